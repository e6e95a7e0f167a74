//! Browser smoke tests: the built site (`dist/`, from `trunk build --release`) served on
//! 127.0.0.1 and opened in headless Chromium.
//!
//! Run with `cargo test -p loosely-web --features browser-tests --test browser`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

#[path = "browser/webdriver.rs"]
mod webdriver;

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
    serve_dist_until(site, Arc::new(AtomicBool::new(false)))
}

/// Serves `dist/` until `down` is set; from then on every connection is closed unanswered,
/// as when the network is gone.
fn serve_dist_until(site: Site, down: Arc<AtomicBool>) -> String {
    let root = repo().join("dist");
    assert!(
        root.join("index.html").exists(),
        "dist/ is missing: run `trunk build --release` first (scripts/test.sh does)"
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if down.load(Ordering::SeqCst) {
                drop(stream);
                continue;
            }
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
        .args(webdriver::CHROMIUM_FLAGS)
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

/// The DOM once `done` holds for it, or after 60 s of real time. The page runs in real
/// time under ChromeDriver (a virtual time budget stalls on some Chromium versions when
/// the machine is loaded); the DOM is read every quarter second.
fn dump_dom_until(url: &str, done: impl Fn(&str) -> bool) -> String {
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(url).await.expect("the page opens");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut dom = String::new();
        while std::time::Instant::now() < deadline {
            dom = client.source().await.unwrap_or_default();
            if done(&dom) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        let _ = client.close().await;
        dom
    })
}

fn clock_moved(clock: &str) -> bool {
    !clock.starts_with("0s of")
}

#[test]
fn the_page_runs_the_bundled_scenario_its_numbers_move_and_the_dlq_pulses() {
    use webdriver::{by_test_id, eventually, has_test_id};
    let url = format!("{}?speed=1000", serve_dist(Site::Built));
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        let name = by_test_id(&client, "scenario-name").await;
        assert!(name
            .text()
            .await
            .unwrap_or_default()
            .contains("dead-letter"));
        eventually("the simulated clock moves", || async {
            let clock = by_test_id(&client, "clock").await;
            clock_moved(&clock.text().await.unwrap_or_default())
        })
        .await;
        eventually("orders counts sent messages", || async {
            let sent = by_test_id(&client, "orders-sent").await;
            sent.text()
                .await
                .ok()
                .and_then(|text| text.parse::<u64>().ok())
                .is_some_and(|sent| sent > 0)
        })
        .await;
        // At 1,000× the first message fails three times within seconds and moves to the
        // dead-letter queue, whose node pulses.
        eventually("the DLQ pulses when it receives", || async {
            has_test_id(&client, "node-orders-dlq-pulse").await
        })
        .await;
        assert!(!has_test_id(&client, "crash").await, "the page crashed");
        assert!(
            !has_test_id(&client, "load-error").await,
            "the scenario did not load"
        );
        let _ = client.close().await;
    });
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
    // The gallery downloads its scenarios when it opens.
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"")
            || dom.contains("data-testid=\"gallery-worker-pool-dlq\"")
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

/// A selected bucket lists its objects while the scenario runs: the seeded ones at once,
/// then the files the Distributed Map's ResultWriter wrote.
#[test]
fn a_selected_bucket_lists_its_objects() {
    let seeded = dump_dom_until(
        &format!(
            "{}?paused&example=sfn-distributed-map-s3&select=orders-in",
            serve_dist(Site::Built)
        ),
        |dom| dom.contains("data-testid=\"crash\"") || dom.contains("2025/orders.csv"),
    );
    let at = seeded
        .find("data-testid=\"bucket-objects\"")
        .unwrap_or_else(|| panic!("no bucket panel:\n{seeded}"));
    let panel = &seeded[at..];
    assert!(panel.contains("Objects in orders-in: 2 ("), "{panel}");
    assert!(panel.contains("2024/orders.csv") && panel.contains("2024-01-01T00:00:00Z"));
    let written = dump_dom_until(
        &format!(
            "{}?speed=1000&example=sfn-distributed-map-s3&select=orders-results",
            serve_dist(Site::Built)
        ),
        |dom| dom.contains("data-testid=\"crash\"") || dom.contains("/manifest.json"),
    );
    assert!(
        written.contains("/SUCCEEDED_0.json") && written.contains("/manifest.json"),
        "no result files:\n{written}"
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

/// The sent count in a producer node's numbers ("12 sent").
fn sent_in(numbers: &str) -> u64 {
    numbers
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The built page opening an empty scenario called `name`, with these query flags.
fn empty_scenario_url(name: &str, query: &str) -> String {
    let empty = loosely_scenario::Scenario::from_json(&format!(
        r#"{{"version": 1, "name": "{name}", "components": []}}"#
    ))
    .expect("an empty scenario");
    format!(
        "{}?{query}#{}",
        serve_dist(Site::Built),
        loosely_scenario::encode_link(&empty)
    )
}

#[test]
fn a_person_builds_runs_traces_undoes_and_switches_theme_with_pointer_and_keys() {
    use webdriver::{by_test_id, chord, drag, eventually, has_test_id, save_screenshot};
    let url = empty_scenario_url("Built by hand", "paused&speed=20");
    let shots = repo().join("target").join("screenshots");
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        let canvas = by_test_id(&client, "canvas").await;

        // Drag a producer, a queue and a consumer from the palette onto the canvas.
        for (entry, node, x) in [
            ("palette-producer", "node-producer-1", -330.0),
            ("palette-queue", "node-queue-1", -60.0),
            ("palette-consumer", "node-consumer-1", 210.0),
        ] {
            let from = by_test_id(&client, entry).await;
            drag(&client, &from, &canvas, (x, -100.0)).await;
            by_test_id(&client, node).await;
        }
        // Connect them from each output handle to the next node.
        for (from, to) in [("producer-1", "queue-1"), ("queue-1", "consumer-1")] {
            let handle = by_test_id(&client, &format!("node-{from}-handle")).await;
            let target = by_test_id(&client, &format!("node-{to}")).await;
            drag(&client, &handle, &target, (0.0, 0.0)).await;
            by_test_id(&client, &format!("edge-{from}-{to}")).await;
        }
        save_screenshot(&client, &shots, "built-by-hand.png").await;

        // Play: the producer's sent counter and the queue's badges move.
        let numbers = by_test_id(&client, "node-producer-1-numbers").await;
        assert_eq!(sent_in(&numbers.text().await.unwrap_or_default()), 0);
        assert!(!has_test_id(&client, "node-queue-1-badge-in-flight").await);
        by_test_id(&client, "play")
            .await
            .click()
            .await
            .expect("play");
        eventually("the producer has sent messages", || async {
            let numbers = by_test_id(&client, "node-producer-1-numbers").await;
            sent_in(&numbers.text().await.unwrap_or_default()) > 0
        })
        .await;
        eventually("the queue's badges show messages", || async {
            let depth = by_test_id(&client, "node-queue-1-badge-depth").await;
            let visible = depth.text().await.unwrap_or_default();
            visible != "0" || has_test_id(&client, "node-queue-1-badge-in-flight").await
        })
        .await;
        save_screenshot(&client, &shots, "running-by-hand.png").await;

        // A row of the event log opens that message's history: pause the log so that its
        // rows hold still under the pointer, then click a row about a message.
        let pause = by_test_id(&client, "log-pause").await;
        pause.click().await.expect("pause the log");
        assert_eq!(
            pause.attr("aria-pressed").await.ok().flatten().as_deref(),
            Some("true")
        );
        client
            .wait()
            .at_most(std::time::Duration::from_secs(30))
            .for_element(fantoccini::Locator::Css(
                "tr.opens[data-testid=\"log-row\"]",
            ))
            .await
            .expect("a log row about a message")
            .click()
            .await
            .expect("a log row");
        by_test_id(&client, "history").await;
        by_test_id(&client, "history-step").await;
        save_screenshot(&client, &shots, "history-by-hand.png").await;

        // Undo takes the last connection away; redo brings it back.
        canvas.click().await.expect("focus the canvas");
        chord(&client, &[fantoccini::key::Key::Control], "z").await;
        eventually("undo removed the last connection", || async {
            !has_test_id(&client, "edge-queue-1-consumer-1").await
        })
        .await;
        assert!(has_test_id(&client, "edge-producer-1-queue-1").await);
        chord(
            &client,
            &[fantoccini::key::Key::Control, fantoccini::key::Key::Shift],
            "z",
        )
        .await;
        by_test_id(&client, "edge-queue-1-consumer-1").await;

        // Close the history drawer, then switch the theme: the page says so on its root.
        client
            .find(fantoccini::Locator::Css(
                "[aria-label=\"close the history\"]",
            ))
            .await
            .expect("the history's close button")
            .click()
            .await
            .expect("close the history");
        let theme = || async {
            client
                .execute(
                    "return document.documentElement.dataset.theme || ''",
                    vec![],
                )
                .await
                .ok()
                .and_then(|value| value.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let before = theme().await;
        by_test_id(&client, "theme-toggle")
            .await
            .click()
            .await
            .expect("theme");
        let after = theme().await;
        assert_ne!(before, after, "the theme did not change");
        assert!(after == "dark" || after == "light", "theme is {after:?}");
        save_screenshot(&client, &shots, "theme-switched.png").await;
        assert!(!has_test_id(&client, "crash").await, "the page crashed");
        let _ = client.close().await;
    });
}

/// Reads an attribute of the page's body (the demo page records what the embed reported).
async fn body_attribute(client: &fantoccini::Client, name: &str) -> Option<String> {
    client
        .find(fantoccini::Locator::Css("body"))
        .await
        .ok()?
        .attr(name)
        .await
        .ok()
        .flatten()
}

#[test]
fn the_demo_page_embeds_playgrounds_and_drives_one_with_post_message() {
    use webdriver::{by_test_id, eventually, save_screenshot};
    let url = format!("{}embed-demo.html", serve_dist(Site::Built));
    let shots = repo().join("target").join("screenshots");
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the demo page opens");
        // The driven playground says it is there and paused (an embed waits for play).
        eventually("the embed reports its state", || async {
            body_attribute(&client, "data-playing").await.as_deref() == Some("false")
        })
        .await;
        by_test_id(&client, "host-play")
            .await
            .click()
            .await
            .expect("play");
        eventually("the embed plays", || async {
            body_attribute(&client, "data-playing").await.as_deref() == Some("true")
        })
        .await;
        eventually("metrics snapshots arrive", || async {
            body_attribute(&client, "data-metrics-events")
                .await
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| n >= 1)
        })
        .await;
        let fanout = loosely_scenario::Scenario::from_json(
            &std::fs::read_to_string(repo().join("examples/sns-fanout.json")).expect("example"),
        )
        .expect("the example parses");
        assert_eq!(
            body_attribute(&client, "data-components").await,
            Some(fanout.components.len().to_string()),
            "the metrics list every component of the SNS fan-out example"
        );
        by_test_id(&client, "host-load")
            .await
            .click()
            .await
            .expect("load");
        eventually("the loaded scenario reports three components", || async {
            body_attribute(&client, "data-components").await.as_deref() == Some("3")
        })
        .await;
        save_screenshot(&client, &shots, "embed-demo.png").await;

        // Inside the driven iframe: only the canvas and the play controls, read-only, dark.
        let frame = client
            .find(fantoccini::Locator::Id("driven"))
            .await
            .expect("the driven iframe");
        frame.enter_frame().await.expect("into the iframe");
        let name = by_test_id(&client, "scenario-name").await;
        assert_eq!(
            name.text().await.unwrap_or_default(),
            "Loaded by the host page"
        );
        by_test_id(&client, "embed").await;
        by_test_id(&client, "readonly").await;
        assert!(!webdriver::has_test_id(&client, "palette-producer").await);
        let open = by_test_id(&client, "open-playground").await;
        let href = open.attr("href").await.ok().flatten().unwrap_or_default();
        assert!(
            !href.contains("embed") && href.contains("#v1:"),
            "Open in playground leads to the full page with the scenario: {href}"
        );
        let theme = client
            .execute("return document.documentElement.dataset.theme", vec![])
            .await
            .expect("theme");
        assert_eq!(theme.as_str(), Some("dark"));
        let _ = client.close().await;
    });
}

/// The visibility-timeout example with Compare open on its queue.
fn compare_url() -> String {
    format!(
        "{}?paused&compare&select=video-jobs&example=visibility-timeout-too-short",
        serve_dist(Site::Built)
    )
}

#[test]
fn compare_runs_a_changed_copy_beside_the_scenario() {
    use webdriver::{by_test_id, save_screenshot};
    let url = compare_url();
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        by_test_id(&client, "compare").await;
        let parameter = by_test_id(&client, "compare-parameter").await;
        parameter
            .select_by_value("VisibilityTimeout")
            .await
            .expect("VisibilityTimeout is offered for a queue");
        by_test_id(&client, "compare-value")
            .await
            .send_keys("120")
            .await
            .expect("type a value");
        by_test_id(&client, "compare-run")
            .await
            .click()
            .await
            .expect("run");
        until_finished(&client, "compare-results", "both runs finished").await;
        let table = by_test_id(&client, "compare-results")
            .await
            .text()
            .await
            .unwrap_or_default();
        assert!(
            table.contains("video-jobs.VisibilityTimeout = 120"),
            "{table}"
        );
        assert!(table.contains("Duplicate deliveries"), "{table}");
        by_test_id(&client, "compare-chart").await;
        save_screenshot(
            &client,
            &repo().join("target").join("screenshots"),
            "compare.png",
        )
        .await;
        let _ = client.close().await;
    });
}

#[test]
fn a_fault_added_in_the_panel_stops_the_workers_and_shows_on_the_timeline() {
    use webdriver::{by_test_id, eventually, has_test_id, save_screenshot};
    let url = format!("{}?paused&select=workers", serve_dist(Site::Built));
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        by_test_id(&client, "faults-panel").await;
        assert!(!has_test_id(&client, "fault-band").await);
        by_test_id(&client, "fault-add")
            .await
            .click()
            .await
            .expect("add a fault");
        let duration = by_test_id(&client, "fault-duration").await;
        duration.clear().await.expect("clear the duration");
        duration.send_keys("600").await.expect("type a duration");
        by_test_id(&client, "fault-apply")
            .await
            .click()
            .await
            .expect("apply");
        let band = by_test_id(&client, "fault-band").await;
        let title = band.attr("title").await.ok().flatten().unwrap_or_default();
        assert!(title.contains("workers"), "{title}");
        // While the fault lasts the node says so.
        by_test_id(&client, "play")
            .await
            .click()
            .await
            .expect("play");
        eventually("the workers node is marked as faulted", || async {
            by_test_id(&client, "node-workers")
                .await
                .attr("class")
                .await
                .ok()
                .flatten()
                .is_some_and(|class| class.contains("faulted"))
        })
        .await;
        save_screenshot(
            &client,
            &repo().join("target").join("screenshots"),
            "fault-panel.png",
        )
        .await;
        let _ = client.close().await;
    });
}

/// Focuses an element as the Tab key would.
async fn focus(client: &fantoccini::Client, element: &fantoccini::elements::Element) {
    let element = serde_json::to_value(element).expect("an element as JSON");
    client
        .execute("arguments[0].focus();", vec![element])
        .await
        .expect("focus");
}

#[test]
fn a_scenario_is_built_wired_and_moved_with_the_keyboard_alone() {
    use fantoccini::key::Key;
    use webdriver::{by_test_id, chord, eventually};
    let url = empty_scenario_url("Built with keys", "paused");
    let enter = char::from(Key::Enter).to_string();
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        // Enter on a palette entry adds that component.
        for (entry, node) in [
            ("palette-producer", "node-producer-1"),
            ("palette-queue", "node-queue-1"),
        ] {
            focus(&client, &by_test_id(&client, entry).await).await;
            chord(&client, &[], &enter).await;
            by_test_id(&client, node).await;
        }
        // The text outline lists them and connects them without a pointer.
        let outline = by_test_id(&client, "outline").await;
        let summary = outline
            .find(fantoccini::Locator::Css("summary"))
            .await
            .expect("the outline's summary");
        focus(&client, &summary).await;
        chord(&client, &[], &enter).await;
        by_test_id(&client, "outline-from")
            .await
            .select_by_value("producer-1")
            .await
            .expect("from the producer");
        by_test_id(&client, "outline-to")
            .await
            .select_by_value("queue-1")
            .await
            .expect("to the queue");
        focus(&client, &by_test_id(&client, "outline-connect").await).await;
        chord(&client, &[], &enter).await;
        by_test_id(&client, "edge-producer-1-queue-1").await;
        let text = outline.text().await.unwrap_or_default();
        assert!(text.contains("producer-1 → queue-1"), "{text}");
        // Select the queue from the outline, then move it with the arrow keys.
        focus(&client, &by_test_id(&client, "outline-queue-1").await).await;
        chord(&client, &[], &enter).await;
        let node = by_test_id(&client, "node-queue-1").await;
        let before = node
            .attr("transform")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        focus(&client, &by_test_id(&client, "canvas").await).await;
        chord(&client, &[], &char::from(Key::Right).to_string()).await;
        eventually("the queue moved one grid step right", || async {
            let after = by_test_id(&client, "node-queue-1")
                .await
                .attr("transform")
                .await
                .ok()
                .flatten()
                .unwrap_or_default();
            after != before
        })
        .await;
        let after = by_test_id(&client, "node-queue-1")
            .await
            .attr("transform")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let x = |transform: &str| -> f64 {
            transform
                .trim_start_matches("translate(")
                .split_whitespace()
                .next()
                .and_then(|x| x.parse().ok())
                .unwrap_or(f64::NAN)
        };
        assert_eq!(x(&after) - x(&before), 20.0, "{before} → {after}");
        let _ = client.close().await;
    });
}

#[test]
fn axe_finds_no_serious_accessibility_problems() {
    use webdriver::by_test_id;
    let axe_path = repo().join(".tools/axe/node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&axe_path).unwrap_or_else(|error| {
        panic!(
            "{}: {error} (scripts/test.sh installs axe-core with ensure_axe)",
            axe_path.display()
        )
    });
    let site = serve_dist(Site::Built);
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        for query in [
            "?paused&select=orders",
            "?paused&select=workers&theme=dark",
            "?embed",
        ] {
            client
                .goto(&format!("{site}{query}"))
                .await
                .expect("the page opens");
            by_test_id(&client, "canvas").await;
            client.execute(&axe, vec![]).await.expect("axe-core loads");
            let found = client
                .execute_async(
                    r#"const done = arguments[arguments.length - 1];
                    axe.run(document, { resultTypes: ["violations"] })
                      .then((result) => done(result.violations
                        .filter((v) => v.impact === "serious" || v.impact === "critical")
                        .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(", ")}`)))
                      .catch((error) => done([`axe failed: ${error}`]));"#,
                    vec![],
                )
                .await
                .expect("axe-core runs");
            let problems: Vec<String> = serde_json::from_value(found).unwrap_or_default();
            assert!(
                problems.is_empty(),
                "{query}: {} serious problems:\n{}",
                problems.len(),
                problems.join("\n")
            );
        }
        let _ = client.close().await;
    });
}

#[test]
fn expectations_are_judged_live_on_the_page() {
    let url = format!("{}?speed=1000", serve_dist(Site::Built));
    let dom = dump_dom_until(&url, |dom| {
        dom.contains("data-testid=\"crash\"")
            || dom.contains("data-testid=\"expectation\" data-state=\"pass\"")
            || dom.contains("data-state=\"pass\" data-testid=\"expectation\"")
    });
    let at = dom
        .find("data-testid=\"expectations\"")
        .unwrap_or_else(|| panic!("no expectations panel:\n{dom}"));
    let panel = &dom[at..];
    assert_eq!(
        panel.matches("data-testid=\"expectation\"").count(),
        4,
        "the bundled scenario's four expectations"
    );
    assert!(
        panel.contains("The DLQ catches the first failure within 10 minutes"),
        "each expectation is named"
    );
    assert!(panel.contains("✓ pass"), "a passed expectation says so");
}

/// Reports the time from navigation to the first drawn page (the app's
/// `loosely-first-render` performance mark) in `target/bench/first-render.txt`; a figure,
/// not a pass mark: speed is reported by benchmarks, not asserted by tests.
#[test]
fn the_first_render_is_measured() {
    use webdriver::by_test_id;
    let url = serve_dist(Site::Built);
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        let mut times = Vec::new();
        for _ in 0..3 {
            client.goto(&url).await.expect("the page opens");
            by_test_id(&client, "canvas").await;
            let mark = client
                .execute(
                    "const m = performance.getEntriesByName('loosely-first-render')[0]; \
                     return m ? m.startTime : null;",
                    vec![],
                )
                .await
                .expect("the performance mark");
            times.push(
                mark.as_f64()
                    .unwrap_or_else(|| panic!("no loosely-first-render mark: {mark}")),
            );
        }
        let line = format!(
            "first render (navigation to drawn page), 3 loads: {}",
            times
                .iter()
                .map(|ms| format!("{ms:.0} ms"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!("{line}");
        let dir = repo().join("target").join("bench");
        std::fs::create_dir_all(&dir).expect("target/bench");
        std::fs::write(dir.join("first-render.txt"), format!("{line}\n")).expect("written");
        let _ = client.close().await;
    });
}

#[test]
fn a_cloudformation_template_opened_in_the_page_becomes_the_canvas() {
    use webdriver::{by_test_id, eventually, has_test_id};
    let url = format!("{}?paused", serve_dist(Site::Built));
    let template = "Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Timeout: 30\n  Reads:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt Orders.Arn\n      FunctionName: !Ref Worker\n";
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        by_test_id(&client, "export-cloudformation").await;
        // What a person's file choice does: the input gets a file and says it changed.
        let input = by_test_id(&client, "import-file").await;
        let input = serde_json::to_value(&input).expect("an element as JSON");
        client
            .execute(
                "const transfer = new DataTransfer();
                 transfer.items.add(new File([arguments[1]], 'stack.yaml'));
                 arguments[0].files = transfer.files;
                 arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                vec![input, serde_json::Value::String(template.to_string())],
            )
            .await
            .expect("a file is chosen");
        eventually(
            "the template's queue and function are on the canvas",
            || async {
                has_test_id(&client, "node-Orders").await
                    && has_test_id(&client, "node-Worker").await
            },
        )
        .await;
        let status = by_test_id(&client, "share-status")
            .await
            .text()
            .await
            .unwrap_or_default();
        assert!(
            status.starts_with("Imported the template stack.yaml: 2 components; 1 part left out"),
            "{status}"
        );
        // And back out as a template, through the same worker.
        open_share_menu(&client).await;
        by_test_id(&client, "export-cloudformation")
            .await
            .click()
            .await
            .expect("export");
        eventually("the template is saved", || async {
            by_test_id(&client, "share-status")
                .await
                .text()
                .await
                .is_ok_and(|text| text.starts_with("Saved ") && text.ends_with(".template.json."))
        })
        .await;
        let _ = client.close().await;
    });
}

#[test]
fn once_loaded_the_playground_opens_again_without_the_network() {
    use webdriver::{by_test_id, eventually, has_test_id};
    let down = Arc::new(AtomicBool::new(false));
    let url = format!(
        "{}?paused&select=orders",
        serve_dist_until(Site::Built, down.clone())
    );
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        by_test_id(&client, "play").await;
        eventually("the service worker controls the page", || async {
            client
                .execute("return !!navigator.serviceWorker.controller", vec![])
                .await
                .ok()
                .and_then(|value| value.as_bool())
                == Some(true)
        })
        .await;
        down.store(true, Ordering::SeqCst);
        client.refresh().await.expect("reload");
        by_test_id(&client, "play").await;
        assert!(
            !has_test_id(&client, "crash").await,
            "the page crashed offline"
        );
        let served = client
            .execute(
                "return document.querySelectorAll('[data-testid^=\\'node-\\']').length",
                vec![],
            )
            .await
            .ok()
            .and_then(|value| value.as_u64())
            .unwrap_or(0);
        assert!(served > 0, "the bundled scenario's nodes are drawn offline");
        // The inspector's schema, fetched on demand, was cached by the service worker.
        by_test_id(&client, "param-VisibilityTimeout").await;
        let _ = client.close().await;
    });
}

#[test]
fn several_values_in_compare_run_a_sweep_drawn_as_bars() {
    use webdriver::{by_test_id, save_screenshot};
    let url = compare_url();
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        by_test_id(&client, "compare-parameter")
            .await
            .select_by_value("VisibilityTimeout")
            .await
            .expect("VisibilityTimeout is offered for a queue");
        by_test_id(&client, "compare-value")
            .await
            .send_keys("10,30,60,120")
            .await
            .expect("type the values");
        let run = by_test_id(&client, "compare-run").await;
        assert_eq!(run.text().await.unwrap_or_default(), "Run sweep");
        run.click().await.expect("run");
        until_finished(&client, "sweep-results", "every variant ran").await;
        let bars = client
            .find_all(fantoccini::Locator::Css("[data-testid=\"sweep-bar\"]"))
            .await
            .expect("bars");
        assert_eq!(bars.len(), 4);
        let progress = by_test_id(&client, "sweep-progress")
            .await
            .text()
            .await
            .unwrap_or_default();
        assert!(
            progress.contains("4 of 4 variants run")
                && progress.contains("components.video-jobs.VisibilityTimeout=10,30,60,120"),
            "{progress}"
        );
        // The redeliveries fall as the visibility timeout grows past the processing time.
        by_test_id(&client, "sweep-figure")
            .await
            .select_by_value("2")
            .await
            .expect("the Redelivered figure");
        let table = by_test_id(&client, "sweep-results")
            .await
            .text()
            .await
            .unwrap_or_default();
        assert!(table.contains("Redelivered"), "{table}");
        save_screenshot(
            &client,
            &repo().join("target").join("screenshots"),
            "sweep.png",
        )
        .await;
        let _ = client.close().await;
    });
}

/// A scenario of 100 components: 25 chains of a producer sending 2,000 messages at once, a
/// queue with a DLQ, and two slow workers; 50,000 messages in the queues a few simulated
/// seconds after the start.
fn load_scenario() -> loosely_scenario::Scenario {
    let mut components = Vec::new();
    let mut connections = Vec::new();
    for chain in 0..25 {
        let (producer, queue, dlq, workers) = (
            format!("p{chain}"),
            format!("q{chain}"),
            format!("q{chain}-dlq"),
            format!("w{chain}"),
        );
        let (x, y) = (f64::from(chain % 5) * 900.0, f64::from(chain / 5) * 200.0);
        components.push(
            serde_json::json!({"kind": "producer", "id": producer, "position": {"x": x, "y": y},
            "parameters": {"rate_per_second": 400, "total_count": 2000}}),
        );
        components.push(serde_json::json!({"kind": "sqs_queue", "id": queue, "position": {"x": x + 220.0, "y": y},
            "parameters": {"VisibilityTimeout": 30, "RedrivePolicy": {"deadLetterTargetArn": dlq, "maxReceiveCount": 3}}}));
        components.push(serde_json::json!({"kind": "sqs_queue", "id": dlq, "position": {"x": x + 220.0, "y": y + 100.0}}));
        components.push(serde_json::json!({"kind": "consumer", "id": workers, "position": {"x": x + 440.0, "y": y},
            "parameters": {"workers": 2, "processing_time": 5, "failure_probability": 0.1}}));
        connections.push(serde_json::json!({"from": producer, "to": queue}));
        connections.push(serde_json::json!({"from": queue, "to": workers}));
    }
    let json = serde_json::json!({"version": 1, "name": "100 components, 50,000 messages",
        "duration_seconds": 86400, "components": components, "connections": connections});
    loosely_scenario::Scenario::from_json(&json.to_string()).expect("the load scenario parses")
}

/// The size of the page's WebAssembly memory and Chromium's JS heap, MiB.
async fn memory_mib(client: &fantoccini::Client) -> (f64, f64) {
    let sizes = client
        .execute(
            "return [window.looselyMemory ? window.looselyMemory.buffer.byteLength : 0, \
                     performance.memory ? performance.memory.usedJSHeapSize : 0];",
            vec![],
        )
        .await
        .expect("memory sizes");
    let mib = |index: usize| sizes[index].as_f64().unwrap_or(0.0) / (1024.0 * 1024.0);
    (mib(0), mib(1))
}

/// Frame times (ms between animation frames) over `seconds` of wall time.
async fn frame_times(client: &fantoccini::Client, seconds: f64) -> Vec<f64> {
    let times = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const times = []; let last = performance.now(); const end = last + arguments[0] * 1000;
             function frame(now) { times.push(now - last); last = now;
                 if (now < end) requestAnimationFrame(frame); else done(times); }
             requestAnimationFrame(frame);",
            vec![serde_json::json!(seconds)],
        )
        .await
        .expect("frame times");
    times
        .as_array()
        .map(|list| list.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

fn write_bench(name: &str, line: &str) {
    println!("{line}");
    let dir = repo().join("target").join("bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    std::fs::write(dir.join(name), format!("{line}\n")).expect("written");
}

/// Frame times and memory with 100 components and 50,000 messages in the queues, in
/// `target/bench/load.txt`: figures, not pass marks.
#[test]
fn the_page_is_measured_with_a_hundred_components_and_fifty_thousand_messages() {
    use webdriver::by_test_id;
    let link = loosely_scenario::encode_link(&load_scenario());
    let url = format!("{}?speed=100#{link}", serve_dist(Site::Built));
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        by_test_id(&client, "node-w24").await;
        // At 100x every producer has sent its 2,000 messages within a tenth of a second.
        tokio_sleep(3.0).await;
        let clock = by_test_id(&client, "clock")
            .await
            .text()
            .await
            .unwrap_or_default();
        let mut times = frame_times(&client, 5.0).await;
        let (wasm, heap) = memory_mib(&client).await;
        times.sort_by(f64::total_cmp);
        assert!(times.len() > 10, "frames were drawn: {}", times.len());
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        write_bench(
            "load.txt",
            &format!(
                "100 components, 50,000 messages, 100x (clock {clock}): {} frames in 5 s, {:.0} fps; frame time p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; wasm memory {wasm:.0} MiB, JS heap {heap:.1} MiB",
                times.len(),
                1000.0 / mean,
                percentile(&times, 0.5),
                percentile(&times, 0.95),
                times.last().copied().unwrap_or(f64::NAN),
            ),
        );
        let _ = client.close().await;
    });
}

/// The memory of the page running the bundled scenario, made 60 days long, at 10,000x for
/// 20 s, sampled at the start and after every tenth of that time, in `target/bench/memory.txt`: it levels off once the rewind
/// checkpoints are all taken (their spacing doubles when they are full), or it leaks.
/// `LOOSELY_MEMORY_SECONDS=3600 LOOSELY_MEMORY_SPEED=1000` makes it the hour at 1,000x of
/// `docs/RELIABILITY.md`.
#[test]
fn memory_over_a_long_fast_run_is_measured() {
    use webdriver::by_test_id;
    let setting = |name: &str, default: u32| {
        std::env::var(name)
            .ok()
            .and_then(|value| value.parse::<u32>().ok())
            .filter(|value| *value > 0)
            .unwrap_or(default)
    };
    let seconds = setting("LOOSELY_MEMORY_SECONDS", 20);
    let speed = setting("LOOSELY_MEMORY_SPEED", 10_000);
    let mut scenario =
        loosely_scenario::Scenario::from_json(include_str!("../examples/worker-pool-dlq.json"))
            .expect("the bundled scenario");
    scenario.duration_seconds = 60 * 86_400;
    let url = format!(
        "{}?speed={speed}#{}",
        serve_dist(Site::Built),
        loosely_scenario::encode_link(&scenario)
    );
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        by_test_id(&client, "canvas").await;
        let mut samples = Vec::new();
        for _ in 0..=10 {
            let (wasm, heap) = memory_mib(&client).await;
            let clock = by_test_id(&client, "clock")
                .await
                .text()
                .await
                .unwrap_or_default();
            samples.push(format!("{clock}: {wasm:.0}/{heap:.1}"));
            tokio_sleep(f64::from(seconds) / 10.0).await;
        }
        write_bench(
            "memory.txt",
            &format!(
                "bundled scenario over 60 days at {speed}x for {seconds} s, every tenth of it (simulated clock: wasm MiB/JS heap MiB): {}",
                samples.join(", ")
            ),
        );
        let _ = client.close().await;
    });
}

async fn tokio_sleep(seconds: f64) {
    tokio::time::sleep(std::time::Duration::from_secs_f64(seconds)).await;
}

#[test]
fn a_few_seconds_of_the_running_canvas_are_recorded_as_a_webm_video() {
    use webdriver::by_test_id;
    let url = serve_dist(Site::Built);
    let driver = webdriver::start_driver();
    webdriver::block_on(async {
        let client = webdriver::session(&driver).await;
        client.goto(&url).await.expect("the page opens");
        open_share_menu(&client).await;
        by_test_id(&client, "export-video")
            .await
            .click()
            .await
            .expect("record");
        // The status line says "Recording…" at once and "Saved …" after five seconds of
        // video; a starved browser (the other browser tests run beside this one) can take
        // much longer to encode, so this waits up to 90 s, reading without waiting on each
        // poll.
        let status = || async {
            webdriver::text_of_test_id(&client, "share-status")
                .await
                .unwrap_or_default()
        };
        webdriver::eventually_within(
            "the video is saved",
            std::time::Duration::from_secs(90),
            || async {
                let text = status().await;
                text.starts_with("Saved ") || text.starts_with("No video")
            },
        )
        .await;
        let saved = status().await;
        assert!(saved.contains(".webm ("), "{saved}");
        let kilobytes: f64 = saved
            .rsplit('(')
            .next()
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0);
        assert!(
            kilobytes > 10.0,
            "five seconds of video hold more than 10 KB: {saved}"
        );
        // Played back, a frame shows the architecture: many dark pixels (nodes, names,
        // arrows) on the light background.
        let frame = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const video = document.createElement('video');
                 video.muted = true; video.src = window.looselyVideo;
                 video.onerror = () => done(null);
                 video.onloadeddata = () => { video.play(); setTimeout(() => {
                     const canvas = document.createElement('canvas');
                     canvas.width = video.videoWidth; canvas.height = video.videoHeight;
                     const context = canvas.getContext('2d');
                     context.drawImage(video, 0, 0);
                     const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
                     let dark = 0;
                     for (let i = 0; i < data.length; i += 4) {
                         if (data[i] + data[i + 1] + data[i + 2] < 450) dark++;
                     }
                     canvas.style = 'position: fixed; left: 0; top: 0; z-index: 9999; border: 2px solid red';
                     document.body.appendChild(canvas);
                     done([canvas.width, canvas.height, dark]);
                 }, 2000); };",
                vec![],
            )
            .await
            .expect("the video plays back");
        let numbers: Vec<u64> = frame
            .as_array()
            .map(|list| list.iter().filter_map(serde_json::Value::as_u64).collect())
            .unwrap_or_default();
        assert_eq!(numbers.len(), 3, "the video decodes: {frame}");
        assert!(numbers[0] > 300 && numbers[1] > 200, "{numbers:?}");
        assert!(numbers[2] > 2_000, "a frame shows the diagram: {numbers:?}");
        webdriver::save_screenshot(
            &client,
            &repo().join("target").join("screenshots"),
            "video-frame.png",
        )
        .await;
        let _ = client.close().await;
    });
}

/// Opens the Share & export menu.
async fn open_share_menu(client: &fantoccini::Client) {
    webdriver::by_test_id(client, "share-menu")
        .await
        .find(fantoccini::Locator::Css("summary"))
        .await
        .expect("the menu's summary")
        .click()
        .await
        .expect("open the menu");
}

/// Waits until the element with the test id says `data-finished="true"`.
async fn until_finished(client: &fantoccini::Client, test_id: &str, what: &str) {
    webdriver::eventually(what, || async {
        webdriver::by_test_id(client, test_id)
            .await
            .attr("data-finished")
            .await
            .ok()
            .flatten()
            .as_deref()
            == Some("true")
    })
    .await;
}
