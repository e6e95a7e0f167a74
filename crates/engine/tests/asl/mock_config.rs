//! The Step Functions Local mock configuration format.

use serde_json::json;

use loosely_engine::asl::{MockConfig, MockHandler, Step};

use crate::support::run_with;

const CONFIG: &str = r#"{
  "StateMachines": {
    "Orders": {"TestCases": {
      "HappyPath": {"Charge": "ChargeOk"},
      "RetryPath": {"Charge": "ChargeFlaky"}}}},
  "MockedResponses": {
    "ChargeOk": {"0": {"Return": {"StatusCode": 200, "Payload": {"charged": true}}}},
    "ChargeFlaky": {
      "0": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded"}},
      "1-2": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded"}},
      "3": {"Return": {"StatusCode": 200, "Payload": {"charged": "late"}}}}}}"#;

const DEFINITION: &str = r#"{"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "OutputPath": "$.Payload", "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3}], "End": true}}}"#;

#[test]
fn test_cases() {
    let config = MockConfig::parse(CONFIG).unwrap();
    let mut happy = MockHandler::new(&config, "Orders", "HappyPath").unwrap();
    assert_eq!(
        run_with(DEFINITION, json!({}), &mut happy).last,
        Step::Succeeded {
            output: json!({"charged": true})
        }
    );
    let mut flaky = MockHandler::new(&config, "Orders", "RetryPath").unwrap();
    let outcome = run_with(DEFINITION, json!({}), &mut flaky);
    assert_eq!(
        outcome.last,
        Step::Succeeded {
            output: json!({"charged": "late"})
        }
    );
    assert_eq!(outcome.now.as_micros(), 7_000_000);
    assert_eq!(flaky.invocations().get("Charge"), Some(&4));
}

#[test]
fn config_errors_name_their_path() {
    let cases = [
        (
            r#"{"MockedResponses": {"A": {"x": {"Return": 1}}}}"#,
            "$.MockedResponses.A.x",
        ),
        (
            r#"{"MockedResponses": {"A": {"0": {}}}}"#,
            "$.MockedResponses.A.0",
        ),
        (
            r#"{"StateMachines": {"M": {"TestCases": {"T": {"S": "Nope"}}}}}"#,
            "$.StateMachines.M.TestCases.T.S",
        ),
        ("not json", "$"),
        // Valid JSON that is not an object used to pass as an empty configuration.
        ("[1]", "$: must be an object"),
    ];
    for (text, path) in cases {
        let error = MockConfig::parse(text).unwrap_err();
        assert!(error.starts_with(path), "{error}");
    }
    let config = MockConfig::parse(CONFIG).unwrap();
    assert!(MockHandler::new(&config, "Orders", "Nope").is_err());
}
