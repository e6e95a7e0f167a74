//! Tests that use the page as a person does: real pointer drags, clicks and keys sent to
//! headless Chromium through ChromeDriver (WebDriver).

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// The flags Chromium needs on these machines (no sandbox as root, no network beyond
/// 127.0.0.1), at the size the page is designed for.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,720",
];

/// ChromeDriver on a free port of 127.0.0.1, stopped when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on 127.0.0.1")
}

/// Starts ChromeDriver (Debian's `chromium-driver`; `CHROMEDRIVER` overrides the path) and
/// waits until it listens.
pub fn start_driver() -> Driver {
    let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_string());
    let port = free_port();
    let child = Command::new(&program)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("cannot start {program} ({error}): apt-get install chromium-driver")
        });
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{program} did not listen on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let profile =
        std::env::temp_dir().join(format!("loosely-webdriver-{}-{port}", std::process::id()));
    Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        profile,
    }
}

/// A Chromium session with this machine's flags, at 1280×720.
pub async fn session(driver: &Driver) -> Client {
    let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": binary,
            "args": CHROMIUM_FLAGS
                .iter()
                .map(|flag| flag.to_string())
                .chain([format!("--user-data-dir={}", driver.profile.display())])
                .collect::<Vec<_>>()
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object literal")
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|error| panic!("no WebDriver session: {error}"))
}

/// Runs an async test body on a single-threaded runtime.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

/// The element with `data-testid="{id}"`, waiting up to 30 s for it.
pub async fn by_test_id(client: &Client, id: &str) -> Element {
    let selector = format!("[data-testid=\"{id}\"]");
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(&selector))
        .await
        .unwrap_or_else(|error| panic!("no element {selector}: {error}"))
}

/// The text of the element with `data-testid="{id}"` now, without waiting; `None` when
/// there is none.
pub async fn text_of_test_id(client: &Client, id: &str) -> Option<String> {
    let found = client
        .find_all(Locator::Css(&format!("[data-testid=\"{id}\"]")))
        .await
        .ok()?;
    found.first()?.text().await.ok()
}

/// Whether an element with `data-testid="{id}"` is in the page now.
pub async fn has_test_id(client: &Client, id: &str) -> bool {
    client
        .find_all(Locator::Css(&format!("[data-testid=\"{id}\"]")))
        .await
        .map(|found| !found.is_empty())
        .unwrap_or(false)
}

/// Waits up to 30 s until `check` holds, polling every 100 ms; panics with `what`.
pub async fn eventually<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    eventually_within(what, Duration::from_secs(30), check).await;
}

/// Waits up to `limit` until `check` holds, polling every 100 ms; panics with `what`.
pub async fn eventually_within<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Presses the left button on `from` (offset from its centre) and releases it on `to`
/// (offset from its centre), moving in steps as a hand does.
pub async fn drag(client: &Client, from: &Element, to: &Element, offset: (f64, f64)) {
    let mouse = MouseActions::new("mouse".to_string())
        .then(PointerAction::MoveToElement {
            element: from.clone(),
            duration: Some(Duration::from_millis(50)),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveToElement {
            element: to.clone(),
            duration: Some(Duration::from_millis(150)),
            x: offset.0 / 2.0,
            y: offset.1 / 2.0,
        })
        .then(PointerAction::MoveToElement {
            element: to.clone(),
            duration: Some(Duration::from_millis(150)),
            x: offset.0,
            y: offset.1,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    client
        .perform_actions(mouse)
        .await
        .unwrap_or_else(|error| panic!("the drag failed: {error}"));
}

/// Sends a key chord (modifiers held, then `key`) to the focused element.
pub async fn chord(client: &Client, modifiers: &[Key], key: &str) {
    let mut keys = fantoccini::actions::KeyActions::new("keyboard".to_string());
    for modifier in modifiers {
        keys = keys.then(fantoccini::actions::KeyAction::Down {
            value: char::from(*modifier),
        });
    }
    for c in key.chars() {
        keys = keys
            .then(fantoccini::actions::KeyAction::Down { value: c })
            .then(fantoccini::actions::KeyAction::Up { value: c });
    }
    for modifier in modifiers.iter().rev() {
        keys = keys.then(fantoccini::actions::KeyAction::Up {
            value: char::from(*modifier),
        });
    }
    client
        .perform_actions(keys)
        .await
        .unwrap_or_else(|error| panic!("the keys failed: {error}"));
}

/// Saves a screenshot of the page under `target/screenshots/{name}`.
pub async fn save_screenshot(client: &Client, dir: &std::path::Path, name: &str) {
    let png = client
        .screenshot()
        .await
        .unwrap_or_else(|error| panic!("no screenshot: {error}"));
    std::fs::create_dir_all(dir).expect("screenshot folder");
    std::fs::write(dir.join(name), png).expect("screenshot written");
}
