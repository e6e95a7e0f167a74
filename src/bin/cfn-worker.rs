//! The playground's CloudFormation worker: reads and writes templates (`loosely-cfn`) in a web
//! worker of its own, so that the page's wasm stays small and the template code is downloaded
//! only when someone opens or exports a template.
//!
//! Messages are JSON text. In: `{"id": 1, "op": "import", "name": "stack.yaml", "text": "..."}`
//! or `{"id": 2, "op": "export", "scenario": "<scenario JSON>"}`. Out: first `{"ready": true}`
//! (messages sent before it would be lost), then one answer per request with its `id`:
//! `{"id": 1, "scenario": "...", "skipped": ["..."]}`, `{"id": 2, "template": "..."}`, or
//! `{"id": n, "error": "..."}`.

use serde_json::{json, Value};

/// The answer to one request (JSON text).
fn handle(request: &str) -> String {
    let answer = match serde_json::from_str::<Value>(request) {
        Ok(request) => {
            let id = request.get("id").cloned().unwrap_or(Value::Null);
            let text = |key: &str| request.get(key).and_then(Value::as_str).unwrap_or("");
            let mut answer = match text("op") {
                "import" => match loosely_cfn::import(text("text")) {
                    Ok(imported) => json!({
                        "scenario": imported.scenario.to_json_pretty(),
                        "skipped": imported.skipped.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    }),
                    Err(error) => json!({
                        "error": format!("{} is not a CloudFormation template: {error}", text("name")),
                    }),
                },
                "export" => match loosely_scenario::Scenario::from_json(text("scenario")) {
                    Ok(scenario) => json!({ "template": loosely_cfn::export(&scenario) }),
                    Err(error) => {
                        json!({ "error": format!("the scenario does not parse: {error}") })
                    }
                },
                other => json!({ "error": format!("unknown operation {other:?}") }),
            };
            answer["id"] = id;
            answer
        }
        Err(error) => json!({ "error": format!("the request is not JSON: {error}") }),
    };
    answer.to_string()
}

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else {
        return;
    };
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let request = event.data().as_string().unwrap_or_default();
            let _ = reply_to.post_message(&handle(&request).into());
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&json!({ "ready": true }).to_string().into());
}

/// Outside a browser: answers one request read from standard input (the page starts the
/// worker itself; this is for trying the protocol by hand).
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let mut request = String::new();
    let _ = std::io::Read::read_to_string(&mut std::io::stdin(), &mut request);
    println!("{}", handle(&request));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(request: Value) -> Value {
        serde_json::from_str(&handle(&request.to_string())).expect("JSON")
    }

    #[test]
    fn a_template_is_imported_with_what_it_leaves_out() {
        let text = "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n  Cluster:\n    Type: AWS::ECS::Cluster\n";
        let reply = answer(json!({"id": 7, "op": "import", "name": "stack.yaml", "text": text}));
        assert_eq!(reply["id"], 7);
        let scenario =
            loosely_scenario::Scenario::from_json(reply["scenario"].as_str().expect("text"))
                .expect("a scenario");
        assert_eq!(scenario.components[0].id(), "Jobs");
        assert_eq!(
            reply["skipped"],
            json!(["Resources.Cluster (AWS::ECS::Cluster): this resource type is not simulated"])
        );
    }

    #[test]
    fn a_scenario_is_exported_and_bad_requests_get_errors() {
        let scenario = r#"{"version": 1, "components": [{"kind": "sqs_queue", "id": "jobs"}]}"#;
        let reply = answer(json!({"id": 1, "op": "export", "scenario": scenario}));
        let template: Value =
            serde_json::from_str(reply["template"].as_str().expect("text")).expect("JSON");
        assert_eq!(template["Resources"]["Jobs"]["Type"], "AWS::SQS::Queue");

        let broken =
            answer(json!({"id": 2, "op": "import", "name": "t.yaml", "text": "Resources: ["}));
        assert!(broken["error"]
            .as_str()
            .expect("an error")
            .starts_with("t.yaml is not a CloudFormation template: "));
        assert_eq!(broken["id"], 2);
        let unknown = answer(json!({"id": 3, "op": "delete"}));
        assert_eq!(unknown["error"], "unknown operation \"delete\"");
        let garbage: Value = serde_json::from_str(&handle("not json")).expect("JSON");
        assert!(garbage["error"]
            .as_str()
            .expect("an error")
            .starts_with("the request is not JSON"));
    }
}
