//! Wait durations in virtual time.

use serde_json::json;

use loosely_engine::asl::{EventType, Step};
use loosely_engine::SimTime;

use crate::support::{failure, run};

fn finish_time(wait_fields: &str, input: serde_json::Value) -> SimTime {
    let definition = format!(
        r#"{{"StartAt": "W", "States": {{"W": {{"Type": "Wait", {wait_fields}, "Next": "Done"}}, "Done": {{"Type": "Succeed"}}}}}}"#
    );
    let outcome = run(&definition, input);
    assert!(
        matches!(outcome.last, Step::Succeeded { .. }),
        "{:?}",
        outcome.last
    );
    outcome.execution.history().last().unwrap().timestamp
}

#[test]
fn durations() {
    // The default context starts at 2024-01-01T00:00:00Z.
    let cases = [
        (r#""Seconds": 10"#, json!({}), 10),
        (r#""Seconds": 0"#, json!({}), 0),
        (r#""SecondsPath": "$.s""#, json!({"s": 42}), 42),
        (r#""Timestamp": "2024-01-01T01:00:00Z""#, json!({}), 3600),
        (r#""Timestamp": "2023-01-01T00:00:00Z""#, json!({}), 0),
        (
            r#""TimestampPath": "$.t""#,
            json!({"t": "2024-01-01T00:00:30+00:00"}),
            30,
        ),
    ];
    for (fields, input, seconds) in cases {
        assert_eq!(
            finish_time(fields, input),
            SimTime::from_secs(seconds),
            "{fields}"
        );
    }
}

#[test]
fn wait_events_and_output() {
    let definition = r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "OutputPath": "$.a", "End": true}}}"#;
    let outcome = run(definition, json!({"a": 1}));
    assert_eq!(outcome.last, Step::Succeeded { output: json!(1) });
    let exited = outcome
        .execution
        .history()
        .iter()
        .find(|e| e.event_type == EventType::StateExited("Wait"))
        .unwrap();
    assert_eq!(exited.timestamp, SimTime::from_secs(5));
}

#[test]
fn bad_seconds_path_is_a_runtime_error() {
    let definition =
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}"#;
    assert_eq!(failure(definition, json!({"s": "ten"})).0, "States.Runtime");
}

#[test]
fn execution_timeout() {
    let definition = r#"{"TimeoutSeconds": 3, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}"#;
    let outcome = run(definition, json!({}));
    assert_eq!(outcome.last, Step::TimedOut);
    assert_eq!(outcome.now, SimTime::from_secs(3));
}
