//! Retry back-off in virtual time and Catch routing.

use serde_json::json;

use loosely_engine::asl::{EventType, MockHandler, MockResponse, MockedResponse, Step};
use loosely_engine::SimTime;

use crate::support::run_with;

fn throws(errors: &[&str], then: Option<serde_json::Value>) -> MockedResponse {
    let mut attempts: Vec<_> = errors
        .iter()
        .enumerate()
        .map(|(index, error)| {
            (
                index as u64,
                index as u64,
                MockResponse::Throw {
                    error: error.to_string(),
                    cause: "boom".into(),
                },
            )
        })
        .collect();
    if let Some(value) = then {
        let index = errors.len() as u64;
        attempts.push((index, index, MockResponse::Return(value)));
    }
    MockedResponse { attempts }
}

fn handler(state: &str, response: MockedResponse) -> MockHandler {
    MockHandler::from_responses([(state.to_string(), response)].into_iter().collect())
}

fn scheduled_times(outcome: &crate::support::Outcome) -> Vec<u64> {
    outcome
        .execution
        .history()
        .iter()
        .filter(|event| event.event_type == EventType::TaskScheduled)
        .map(|event| event.timestamp.as_micros() / 1_000_000)
        .collect()
}

#[test]
fn exponential_backoff_attempts_at_0_2_6_14() {
    let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 3}], "End": true}}}"#;
    let outcome = run_with(
        definition,
        json!({}),
        &mut handler("T", throws(&["E", "E", "E", "E"], None)),
    );
    assert_eq!(scheduled_times(&outcome), vec![0, 2, 6, 14]);
    assert_eq!(
        outcome.last,
        Step::Failed {
            error: "E".into(),
            cause: "boom".into()
        }
    );
    assert_eq!(outcome.execution.transitions(), 4);
}

#[test]
fn succeeds_after_retries_with_max_delay() {
    let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r",
        "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 3, "BackoffRate": 3, "MaxAttempts": 5, "MaxDelaySeconds": 10}], "End": true}}}"#;
    let outcome = run_with(
        definition,
        json!({}),
        &mut handler("T", throws(&["E", "E", "E"], Some(json!("ok")))),
    );
    assert_eq!(scheduled_times(&outcome), vec![0, 3, 12, 22]);
    assert_eq!(outcome.execution.output(), Some(&json!("ok")));
}

#[test]
fn fractional_backoff() {
    let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r",
        "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 3, "BackoffRate": 1.5, "MaxAttempts": 2}], "End": true}}}"#;
    let outcome = run_with(
        definition,
        json!({}),
        &mut handler("T", throws(&["E", "E", "E"], None)),
    );
    let micros: Vec<u64> = outcome
        .execution
        .history()
        .iter()
        .filter(|e| e.event_type == EventType::TaskScheduled)
        .map(|e| e.timestamp.as_micros())
        .collect();
    assert_eq!(micros, vec![0, 3_000_000, 7_500_000]);
}

#[test]
fn full_jitter_stays_within_the_computed_wait() {
    let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r",
        "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 10, "MaxAttempts": 1, "JitterStrategy": "FULL"}], "End": true}}}"#;
    let outcome = run_with(
        definition,
        json!({}),
        &mut handler("T", throws(&["E"], Some(json!(1)))),
    );
    let times: Vec<SimTime> = outcome
        .execution
        .history()
        .iter()
        .filter(|e| e.event_type == EventType::TaskScheduled)
        .map(|e| e.timestamp)
        .collect();
    assert_eq!(times.len(), 2);
    assert!(times[1] <= SimTime::from_secs(10));
}

#[test]
fn spec_worked_example_routes_to_catch_after_a_b_c_b_b() {
    let definition = r#"{"StartAt": "X", "States": {
        "X": {"Type": "Task", "Resource": "r", "Next": "Y",
          "Retry": [{"ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 2},
                    {"ErrorEquals": ["ErrorC"], "IntervalSeconds": 5}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Z"}]},
        "Y": {"Type": "Succeed"}, "Z": {"Type": "Pass", "End": true}}}"#;
    let outcome = run_with(
        definition,
        json!({}),
        &mut handler(
            "X",
            throws(&["ErrorA", "ErrorB", "ErrorC", "ErrorB", "ErrorB"], None),
        ),
    );
    assert_eq!(scheduled_times(&outcome), vec![0, 1, 3, 8, 12]);
    assert_eq!(
        outcome.execution.output(),
        Some(&json!({"Error": "ErrorB", "Cause": "boom"}))
    );
}

#[test]
fn catch_with_result_path_keeps_the_input() {
    let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r", "End": true,
        "Catch": [{"ErrorEquals": ["Other"], "Next": "Wrong"}, {"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "Handled"}]},
        "Wrong": {"Type": "Fail"}, "Handled": {"Type": "Pass", "End": true}}}"#;
    let outcome = run_with(
        definition,
        json!({"foo": "bar"}),
        &mut handler("T", throws(&["Custom.Error"], None)),
    );
    assert_eq!(
        outcome.execution.output(),
        Some(&json!({"foo": "bar", "error": {"Error": "Custom.Error", "Cause": "boom"}}))
    );
}

#[test]
fn runtime_errors_are_neither_retried_nor_caught() {
    let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r", "InputPath": "$.missing", "End": true,
        "Retry": [{"ErrorEquals": ["States.ALL"]}], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}]},
        "H": {"Type": "Succeed"}}}"#;
    let outcome = run_with(definition, json!({}), &mut MockHandler::default());
    assert!(matches!(outcome.last, Step::Failed { ref error, .. } if error == "States.Runtime"));
}

#[test]
fn parameter_path_failure_is_catchable() {
    let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r", "Parameters": {"x.$": "$.missing"}, "End": true,
        "Catch": [{"ErrorEquals": ["States.ParameterPathFailure"], "ResultPath": "$.e", "Next": "H"}]},
        "H": {"Type": "Pass", "OutputPath": "$.e.Error", "End": true}}}"#;
    let outcome = run_with(definition, json!({}), &mut MockHandler::default());
    assert_eq!(
        outcome.execution.output(),
        Some(&json!("States.ParameterPathFailure"))
    );
}
