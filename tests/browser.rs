//! Browser smoke tests: the built site (`dist/`, from `trunk build --release`) served on
//! 127.0.0.1 and opened in headless Chromium.
//!
//! Run with `cargo test -p loosely-web --features browser-tests --test browser`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn answer(mut stream: TcpStream, root: &Path, site: Site) {
    let mut request_line = String::new();
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
        line.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let target = target.split(['?', '#']).next().unwrap_or("/");
    let relative = target.trim_start_matches('/');
    let relative = if relative.is_empty() {
        "index.html"
    } else {
        relative
    };
    let path = root.join(relative);
    let (status, body, kind) = if relative.contains("..") {
        ("403 Forbidden", Vec::new(), "text/plain")
    } else {
        match std::fs::read(&path) {
            Ok(mut body) => {
                if site == Site::BrokenWasm && relative.ends_with(".wasm") {
                    body.truncate(1_000);
                }
                ("200 OK", body, content_type(&path))
            }
            Err(_) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        }
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    let _ = stream.write_all(&body);
}

/// What the test server hands out.
#[derive(Clone, Copy, PartialEq)]
enum Site {
    /// `dist/` as built.
    Built,
    /// `dist/` with the wasm file cut short, as if the download had failed half way.
    BrokenWasm,
}

/// Serves `dist/` on an ephemeral port of 127.0.0.1; returns the base URL.
fn serve_dist(site: Site) -> String {
    let root = repo().join("dist");
    assert!(
        root.join("index.html").exists(),
        "dist/ is missing: run `trunk build --release` first (scripts/test.sh does)"
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            thread::spawn(move || answer(stream, &root, site));
        }
    });
    format!("http://127.0.0.1:{port}/")
}

/// Runs headless Chromium on `url` with the flags this machine needs, plus `extra`.
fn chromium(url: &str, extra: &[&str]) -> String {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::SeqCst);
    let profile =
        std::env::temp_dir().join(format!("loosely-chromium-{}-{run}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    // Debian's Chromium (scripts/test.sh installs it); CHROMIUM overrides the path.
    let program = std::env::var("CHROMIUM").unwrap_or_else(|_| {
        if Path::new("/usr/bin/chromium").exists() {
            "/usr/bin/chromium".to_string()
        } else {
            "chromium".to_string()
        }
    });
    let output = Command::new(&program)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,720",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .unwrap_or_else(|error| {
            panic!("cannot start {program} ({error}): apt-get install chromium")
        });
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        output.status.success(),
        "{program} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The text of the element with `data-testid="{id}"` in a DOM dump.
fn test_id_text(dom: &str, id: &str) -> Option<String> {
    let marker = format!("data-testid=\"{id}\"");
    let at = dom.find(&marker)?;
    let rest = &dom[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')?;
    Some(rest[start..start + end].trim().to_string())
}

/// The DOM once `done` holds for it, or after the last attempt. Compiling the wasm takes
/// real time while the virtual clock runs on, so on a loaded machine a short budget can end
/// before the page has drawn a frame: each attempt gives the page a longer budget.
fn dump_dom_until(url: &str, done: impl Fn(&str) -> bool) -> String {
    let mut dom = String::new();
    for budget_ms in [6_000, 20_000, 60_000] {
        dom = chromium(
            url,
            &["--dump-dom", &format!("--virtual-time-budget={budget_ms}")],
        );
        if done(&dom) {
            break;
        }
    }
    dom
}

/// The number in the element with `data-testid="{id}"`.
fn test_id_number(dom: &str, id: &str) -> Option<u64> {
    test_id_text(dom, id)?.parse().ok()
}

fn clock_moved(clock: &str) -> bool {
    !clock.starts_with("0s of")
}

#[test]
fn the_page_runs_the_bundled_scenario_and_its_numbers_move() {
    // At 1,000 simulated seconds per second even one frame of 16 ms sends messages, however
    // few frames a loaded machine manages within the virtual time budget.
    let url = format!("{}?speed=1000", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"")
            || dom.contains("data-testid=\"load-error\"")
            || (test_id_text(dom, "clock").is_some_and(|clock| clock_moved(&clock))
                && test_id_number(dom, "orders-sent").is_some_and(|sent| sent > 0))
    });
    assert!(
        !dom.contains("data-testid=\"crash\""),
        "the page crashed:\n{dom}"
    );
    assert!(
        !dom.contains("data-testid=\"load-error\""),
        "the scenario did not load:\n{dom}"
    );
    let clock =
        test_id_text(&dom, "clock").unwrap_or_else(|| panic!("no clock in the page:\n{dom}"));
    assert!(
        clock_moved(&clock),
        "the simulated clock did not move: {clock}"
    );
    let sent = test_id_number(&dom, "orders-sent")
        .unwrap_or_else(|| panic!("no sent counter for orders:\n{dom}"));
    assert!(sent > 0, "nothing was sent after {clock}");
    assert!(test_id_text(&dom, "scenario-name").is_some_and(|name| name.contains("dead-letter")));
}

#[test]
fn a_screenshot_of_the_running_page() {
    let url = format!("{}?speed=100", serve_dist(Site::Built));
    screenshot(&url, "playground.png");
}

#[test]
fn a_wasm_that_fails_to_load_shows_a_banner_not_a_blank_page() {
    let url = serve_dist(Site::BrokenWasm);
    let dom = chromium(&url, &["--dump-dom", "--virtual-time-budget=3000"]);
    assert!(
        dom.contains("data-testid=\"crash\"") && dom.contains("<span>The playground stopped: "),
        "no crash banner in the page:\n{dom}"
    );
    assert!(dom.contains(">Reload</button>"), "no reload button:\n{dom}");
}

#[test]
fn the_canvas_draws_the_bundled_scenario_as_nodes_and_edges() {
    let url = format!("{}?speed=100", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"")
            || dom.contains("data-testid=\"load-error\"")
            || dom.contains("data-testid=\"node-orders\"")
    });
    assert!(
        !dom.contains("data-testid=\"crash\""),
        "the page crashed:\n{dom}"
    );
    let svg_at = dom
        .find("data-testid=\"canvas-svg\"")
        .unwrap_or_else(|| panic!("no SVG canvas in the page:\n{dom}"));
    let svg = &dom[svg_at
        ..dom[svg_at..]
            .find("</svg>")
            .map_or(dom.len(), |end| svg_at + end)];
    for id in [
        "node-shop",
        "node-orders",
        "node-orders-dlq",
        "node-workers",
        "edge-shop-orders",
        "edge-orders-workers",
        "edge-orders-orders-dlq",
    ] {
        assert!(
            svg.contains(&format!("data-testid=\"{id}\"")),
            "no {id} in the canvas:\n{svg}"
        );
    }
    assert!(
        !dom.contains("data-testid=\"issues\""),
        "the bundled scenario shows issues:\n{dom}"
    );
    for id in ["palette-producer", "palette-queue", "palette-endpoint"] {
        assert!(dom.contains(&format!("data-testid=\"{id}\"")), "no {id}");
    }

    screenshot(&url, "canvas.png");
}

/// Saves a screenshot of `url` under target/screenshots/`name` and checks it shows a running
/// page: the loading page alone gives a picture of about 7 kB, the running page well over 40 kB.
fn screenshot(url: &str, name: &str) -> PathBuf {
    let dir = repo().join("target").join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let path = dir.join(name);
    let mut size = 0;
    for budget_ms in [6_000, 20_000, 60_000] {
        let _ = std::fs::remove_file(&path);
        chromium(
            url,
            &[
                &format!("--screenshot={}", path.display()),
                &format!("--virtual-time-budget={budget_ms}"),
            ],
        );
        size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if size > 20_000 {
            break;
        }
    }
    assert!(
        size > 20_000,
        "the screenshot is missing or shows no running page ({size} bytes): {}",
        path.display()
    );
    path
}

#[test]
fn a_share_link_opens_its_scenario_and_a_damaged_one_says_why() {
    let text =
        std::fs::read_to_string(repo().join("examples/fifo-ordering.json")).expect("example");
    let scenario = loosely_scenario::Scenario::from_json(&text).expect("example parses");
    let link = loosely_scenario::encode_link(&scenario);
    let url = format!("{}?speed=100#{link}", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"")
            || dom.contains("data-testid=\"load-error\"")
            || dom.contains("data-testid=\"node-")
    });
    let name =
        test_id_text(&dom, "scenario-name").unwrap_or_else(|| panic!("no scenario name:\n{dom}"));
    assert_eq!(name, scenario.name);

    let damaged = format!("{}#{}", serve_dist(Site::Built), &link[..link.len() / 2]);
    let dom = dump_dom_until(&damaged, |dom| {
        dom.contains("data-testid=\"crash\"") || dom.contains("data-testid=\"load-error\"")
    });
    assert!(
        dom.contains("data-testid=\"load-error\"") && dom.contains("the link is damaged"),
        "no explanation of the damaged link:\n{dom}"
    );
}

#[test]
fn the_step_functions_workbench_validates_and_draws_the_example() {
    let url = format!("{}?paused&workbench", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"") || dom.contains("data-testid=\"asl-graph\"")
    });
    assert!(
        !dom.contains("data-testid=\"crash\""),
        "the page crashed:\n{dom}"
    );
    assert_eq!(
        test_id_text(&dom, "asl-valid").as_deref(),
        Some("Valid: 11 states.")
    );
    for state in [
        "CheckOrder",
        "ReserveAndCharge",
        "ChargeCard",
        "ShipItems",
        "ShipItem",
    ] {
        assert!(
            dom.contains(&format!("data-testid=\"asl-state-{state}\"")),
            "no {state} in the graph:\n{dom}"
        );
    }
}

#[test]
fn the_inspector_shows_a_queues_parameters_with_units_ranges_and_defaults() {
    let url = format!("{}?paused&select=orders", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"")
            || dom.contains("data-testid=\"param-VisibilityTimeout\"")
    });
    let inspector_at = dom
        .find("data-testid=\"inspector\"")
        .unwrap_or_else(|| panic!("no inspector:\n{dom}"));
    let inspector = &dom[inspector_at..];
    for text in [
        ">VisibilityTimeout<",
        "seconds · range 0–43200 · default 30",
        ">RedrivePolicy<",
        ">not simulated<",
        ">simulation knob<",
        "What this node models",
    ] {
        assert!(
            inspector.contains(text),
            "no {text:?} in the inspector:\n{inspector}"
        );
    }
    assert!(
        inspector.contains("`VisibilityTimeout`: seconds a received message stays invisible"),
        "the explanation is not on hover:\n{inspector}"
    );
}

#[test]
fn the_timeline_offers_step_rewind_jumps_and_breakpoints() {
    let url = format!("{}?paused", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"") || dom.contains("data-testid=\"timebar\"")
    });
    let at = dom
        .find("data-testid=\"timebar\"")
        .unwrap_or_else(|| panic!("no timeline:\n{dom}"));
    let bar = &dom[at..];
    for id in [
        "step",
        "scrubber",
        "jump-60",
        "jump-1209600",
        "until-choice",
        "until-go",
    ] {
        assert!(
            bar.contains(&format!("data-testid=\"{id}\"")),
            "no {id}:\n{bar}"
        );
    }
    assert!(
        bar.contains(">a message lands in orders-dlq</option>"),
        "{bar}"
    );
    assert!(
        dom.contains("data-testid=\"new-seed\""),
        "no New seed button"
    );
    // The default speed, 10 simulated seconds a second.
    assert_eq!(test_id_text(&dom, "speed-value").as_deref(), Some("10×"));
}

#[test]
fn messages_move_as_particles_on_the_canvas() {
    let url = format!("{}?speed=100", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"") || particle_count(dom).is_some_and(|count| count > 0)
    });
    let count = particle_count(&dom).unwrap_or_else(|| panic!("no particle layer:\n{dom}"));
    assert!(count > 0, "no particle in flight");
    assert!(dom.contains(">dead-lettered</span>"), "no legend");
}

/// The number of particles the canvas layer drew in its last frame.
fn particle_count(dom: &str) -> Option<usize> {
    let at = dom.find("data-particles=\"")? + "data-particles=\"".len();
    dom[at..].split('"').next()?.parse().ok()
}

#[test]
fn the_gallery_lists_every_scenario_with_what_to_watch_and_the_page_has_a_theme() {
    let url = format!("{}?paused&gallery", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"") || dom.contains("data-testid=\"gallery\"")
    });
    for id in [
        "gallery-worker-pool-dlq",
        "gallery-visibility-timeout-too-short",
        "gallery-fifo-ordering",
        "gallery-delay-queue",
        "gallery-short-vs-long-polling",
        "gallery-retention-expiry",
        "gallery-tight-vs-loose-coupling",
        "gallery-sns-fanout",
        "gallery-sfn-callback-token",
    ] {
        assert!(
            dom.contains(&format!("data-testid=\"{id}\"")),
            "no {id} in the gallery"
        );
    }
    assert!(dom.contains("Tightly versus loosely coupled"));
    assert!(
        dom.contains("<html lang=\"en\" data-theme=\"light\">")
            || dom.contains("data-theme=\"light\"")
            || dom.contains("data-theme=\"dark\""),
        "the root element has no theme"
    );
    assert!(dom.contains("data-testid=\"theme-toggle\""));
}

/// The text of the element with `data-testid="tracing"` and everything in it, up to the end
/// of the page (the history drawer is inside it).
fn tracing_part(dom: &str) -> &str {
    dom.find("data-testid=\"tracing\"")
        .map_or("", |at| &dom[at..])
}

#[test]
fn the_event_log_explains_events_and_a_history_shows_a_move_to_the_dlq() {
    let url = format!("{}?speed=1000&history=first", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"")
            || (tracing_part(dom).contains("data-testid=\"history-step\"")
                && tracing_part(dom).contains("maxReceiveCount is 3"))
    });
    assert!(
        !dom.contains("data-testid=\"crash\""),
        "the page crashed:\n{dom}"
    );
    let tracing = tracing_part(&dom);
    assert!(!tracing.is_empty(), "no tracing section:\n{dom}");
    assert!(
        dom.contains("data-testid=\"node-orders-dlq-pulse\""),
        "the DLQ did not pulse when it received"
    );
    assert!(
        tracing.contains("data-testid=\"log-row\"") && tracing.contains(" sent to orders by shop"),
        "the event log has no explained rows:\n{tracing}"
    );
    assert!(
        test_id_text(tracing, "log-count").is_some_and(|count| count.contains("events")),
        "no event count:\n{tracing}"
    );
    let history = &tracing[tracing
        .find("data-testid=\"history\"")
        .unwrap_or_else(|| panic!("no history drawer:\n{tracing}"))..];
    for sentence in [
        "sent to orders by shop",
        "received by workers from orders (receive 1)",
        "its visibility timeout ended without a delete",
        "it had been invisible for 30 seconds",
        "moved to orders-dlq: received 3 times, maxReceiveCount is 3",
    ] {
        assert!(
            history.contains(sentence),
            "the history lacks {sentence:?}:\n{history}"
        );
    }
    assert!(
        tracing.contains("Select one queue on the canvas"),
        "the peek does not say how to use it:\n{tracing}"
    );
    screenshot(&url, "history.png");
}

#[test]
fn a_selected_topic_says_which_subscriptions_receive_a_message() {
    let text =
        std::fs::read_to_string(repo().join("examples/sns-filtering.json")).expect("example");
    let scenario = loosely_scenario::Scenario::from_json(&text).expect("example parses");
    let link = loosely_scenario::encode_link(&scenario);
    let url = format!(
        "{}?paused&select=store-events#{link}",
        serve_dist(Site::Built)
    );
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"") || dom.contains("data-testid=\"fanout-tester\"")
    });
    let at = dom
        .find("data-testid=\"fanout-tester\"")
        .unwrap_or_else(|| panic!("no fan-out tester:\n{dom}"));
    let tester = &dom[at..];
    for subscriber in ["big-orders", "refunds", "eu-orders"] {
        assert!(
            tester.contains(&format!("data-testid=\"fanout-{subscriber}\"")),
            "no verdict for {subscriber}:\n{tester}"
        );
    }
    assert!(
        tester.contains("filtered out: "),
        "no filtered-out reason:\n{tester}"
    );
}

#[test]
fn a_selected_queue_has_cloudwatch_charts_theory_and_the_scenario_cost() {
    let url = format!("{}?speed=1000&select=orders", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"")
            || dom.contains("data-testid=\"chart-ApproximateNumberOfMessagesVisible\"")
    });
    for id in [
        "chart-ApproximateNumberOfMessagesVisible",
        "chart-NumberOfMessagesSent",
        "theory",
        "summary",
    ] {
        assert!(
            dom.contains(&format!("data-testid=\"{id}\"")),
            "no {id}:\n{dom}"
        );
    }
    assert!(
        dom.contains("utilisation ρ"),
        "no utilisation in the theory panel"
    );
    let cost = test_id_text(&dom, "total-cost").unwrap_or_default();
    assert!(
        cost.starts_with('$') && cost != "$0.000000",
        "no cost: {cost:?}"
    );
}

#[test]
fn an_invalid_component_carries_a_red_mark_with_the_problem() {
    let text =
        std::fs::read_to_string(repo().join("examples/worker-pool-dlq.json")).expect("example");
    let mut scenario = loosely_scenario::Scenario::from_json(&text).expect("example parses");
    let orders = scenario
        .components
        .iter()
        .position(|c| c.id() == "orders")
        .expect("orders");
    if let loosely_scenario::Component::SqsQueue(queue) = &mut scenario.components[orders] {
        queue.parameters.visibility_timeout = Some(50_000);
    }
    let link = loosely_scenario::encode_link(&scenario);
    let url = format!("{}?paused#{link}", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"") || dom.contains("data-testid=\"node-orders-problem\"")
    });
    let at = dom
        .find("data-testid=\"node-orders-problem\"")
        .unwrap_or_else(|| panic!("no red mark on orders:\n{dom}"));
    assert!(
        dom[at..].contains("VisibilityTimeout: 50000 is outside 0..=43200"),
        "the mark does not say why"
    );
    assert!(!dom.contains("data-testid=\"node-workers-problem\""));
}
