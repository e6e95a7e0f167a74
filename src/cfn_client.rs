//! The page's side of the CloudFormation worker (`src/bin/cfn-worker.rs`). The worker is
//! started on first use, so the template code is downloaded only by those who open or export
//! a template; requests wait until it says it is ready.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::{json, Value};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The worker's loader, which Trunk writes beside the page (`data-loader-shim`).
const WORKER_URL: &str = "./cfn-worker_loader.js";

type Done = Box<dyn FnOnce(Result<Value, String>)>;

struct Client {
    worker: web_sys::Worker,
    ready: bool,
    /// Requests written before the worker was ready.
    queue: Vec<String>,
    pending: HashMap<u64, Done>,
    next: u64,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

fn on_message(event: web_sys::MessageEvent) {
    let Some(text) = event.data().as_string() else {
        return;
    };
    let Ok(answer) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    if answer.get("ready").is_some() {
        CLIENT.with(|client| {
            if let Some(client) = client.borrow_mut().as_mut() {
                client.ready = true;
                for request in client.queue.drain(..) {
                    let _ = client.worker.post_message(&request.into());
                }
            }
        });
        return;
    }
    let id = answer.get("id").and_then(Value::as_u64);
    let done = CLIENT.with(|client| {
        client
            .borrow_mut()
            .as_mut()
            .and_then(|client| client.pending.remove(&id?))
    });
    if let Some(done) = done {
        match answer.get("error").and_then(Value::as_str) {
            Some(error) => done(Err(error.to_string())),
            None => done(Ok(answer)),
        }
    }
}

/// The worker failed to load or threw: every waiting request hears why, and the next one
/// starts a new worker.
fn on_error(event: web_sys::Event) {
    let message = event
        .dyn_ref::<web_sys::ErrorEvent>()
        .map(|error| error.message())
        .filter(|message| !message.is_empty())
        .unwrap_or_else(|| format!("{WORKER_URL} did not load"));
    let pending = CLIENT.with(|client| client.borrow_mut().take().map(|client| client.pending));
    for (_, done) in pending.into_iter().flatten() {
        done(Err(format!("The CloudFormation reader stopped: {message}")));
    }
}

fn start() -> Result<Client, String> {
    let worker = web_sys::Worker::new(WORKER_URL)
        .map_err(|error| format!("The CloudFormation reader cannot start: {error:?}"))?;
    let message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(on_message);
    let error = Closure::<dyn Fn(web_sys::Event)>::new(on_error);
    worker.set_onmessage(Some(message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(error.as_ref().unchecked_ref()));
    Ok(Client {
        worker,
        ready: false,
        queue: Vec::new(),
        pending: HashMap::new(),
        next: 1,
        _on_message: message,
        _on_error: error,
    })
}

/// Sends one request (`{"op": ...}`) and calls `done` with the worker's answer.
fn request(mut request: Value, done: impl FnOnce(Result<Value, String>) + 'static) {
    let started = CLIENT.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(start()?);
        }
        Ok::<(), String>(())
    });
    if let Err(problem) = started {
        done(Err(problem));
        return;
    }
    CLIENT.with(|cell| {
        let mut cell = cell.borrow_mut();
        let Some(client) = cell.as_mut() else {
            return;
        };
        let id = client.next;
        client.next += 1;
        request["id"] = json!(id);
        let text = request.to_string();
        client.pending.insert(id, Box::new(done));
        if client.ready {
            let _ = client.worker.post_message(&text.into());
        } else {
            client.queue.push(text);
        }
    });
}

/// Reads a template: the scenario's JSON text and what was left out, one line each.
pub fn import(
    name: &str,
    text: &str,
    done: impl FnOnce(Result<(String, Vec<String>), String>) + 'static,
) {
    request(
        json!({"op": "import", "name": name, "text": text}),
        move |answer| {
            done(answer.map(|answer| {
                let scenario = answer["scenario"].as_str().unwrap_or_default().to_string();
                let skipped = answer["skipped"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .filter_map(|line| line.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                (scenario, skipped)
            }))
        },
    );
}

/// Writes the scenario (its JSON text) as a CloudFormation template.
pub fn export(scenario: String, done: impl FnOnce(Result<String, String>) + 'static) {
    request(
        json!({"op": "export", "scenario": scenario}),
        move |answer| {
            done(answer.map(|answer| answer["template"].as_str().unwrap_or_default().to_string()))
        },
    );
}
