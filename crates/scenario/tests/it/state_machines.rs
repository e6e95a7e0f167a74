//! The `state_machine` component: its parameters, connections and validation paths.

use loosely_scenario::{ParseErrorKind, Scenario};

use crate::issues;

const GOOD: &str = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#;

fn with_machine(parameters: &str) -> String {
    format!(
        r#"{{"version": 1, "components": [
            {{"id": "shop", "kind": "producer"}},
            {{"id": "flow", "kind": "state_machine", "parameters": {parameters}}}],
            "connections": [{{"from": "shop", "to": "flow"}}]}}"#
    )
}

#[test]
fn a_producer_connected_to_a_state_machine_is_valid() {
    let json = with_machine(&format!(r#"{{"Definition": {GOOD}, "Type": "EXPRESS"}}"#));
    assert_eq!(issues(&json), Vec::<String>::new());
    let mut built = Scenario::from_json(&json)
        .expect("parses")
        .build()
        .expect("builds");
    built
        .simulation
        .run_until(loosely_engine::SimTime::from_secs(10));
    match built.simulation.stats(1) {
        Some(loosely_engine::ComponentStats::StateMachine(stats)) => {
            assert!(stats.express);
            // The default producer sends 1 per second on average (Poisson).
            assert!(stats.started >= 3, "{stats:?}");
            assert_eq!(stats.succeeded, stats.started, "{stats:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bad_definition_is_reported_at_its_path_inside_the_definition() {
    let json = with_machine(
        r#"{"Definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}}"#,
    );
    let found = issues(&json);
    assert!(
        found
            .iter()
            .any(|issue| issue.starts_with("components[1].parameters.Definition.States.A.Next: ")),
        "{found:#?}"
    );
}

#[test]
fn a_missing_definition_is_named() {
    let found = issues(&with_machine("{}"));
    assert_eq!(
        found,
        vec![
            "components[1].parameters.Definition: is required: the Amazon States Language JSON object"
                .to_string()
        ]
    );
}

#[test]
fn an_unknown_type_names_the_allowed_values() {
    let json = with_machine(&format!(r#"{{"Definition": {GOOD}, "Type": "FAST"}}"#));
    let error = Scenario::from_json(&json).expect_err("FAST is not a type");
    assert_eq!(error.kind, ParseErrorKind::Shape);
    assert!(
        error
            .message
            .contains("unknown variant `FAST`, expected `STANDARD` or `EXPRESS`"),
        "{error}"
    );
}

#[test]
fn express_refuses_the_callback_pattern_and_ranges_are_named() {
    let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true}}}"#;
    let json = with_machine(&format!(
        r#"{{"Definition": {definition}, "Type": "EXPRESS", "MemoryMB": 32, "StartExecutionBurst": 0}}"#
    ));
    let found = issues(&json);
    assert!(
        found.iter().any(
            |i| i.starts_with("components[1].parameters.Definition: state T")
                && i.contains("EXPRESS")
        ),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|i| i.starts_with("components[1].parameters.MemoryMB: 32 MB")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|i| i.starts_with("components[1].parameters.StartExecutionBurst: 0")),
        "{found:#?}"
    );
}

#[test]
fn a_mock_config_needs_a_test_case_it_holds() {
    let mock = r#"{"StateMachines": {"flow": {"TestCases": {"Happy": {"A": "Ok"}}}},
                   "MockedResponses": {"Ok": {"0": {"Return": {"ok": true}}}}}"#;
    let json = with_machine(&format!(
        r#"{{"Definition": {GOOD}, "MockConfig": {mock}, "TestCase": "Sad"}}"#
    ));
    let found = issues(&json);
    assert!(
        found
            .iter()
            .any(|i| i.starts_with("components[1].parameters.TestCase: test case \"Sad\"")),
        "{found:#?}"
    );
    let bad = r#"{"MockedResponses": {"Ok": {"zero": {"Return": 1}}}}"#;
    let json = with_machine(&format!(
        r#"{{"Definition": {GOOD}, "MockConfig": {bad}, "TestCase": "Happy"}}"#
    ));
    let found = issues(&json);
    assert!(
        found
            .iter()
            .any(|i| i.starts_with("components[1].parameters.MockConfig.MockedResponses.Ok.zero: ")),
        "{found:#?}"
    );
}

#[test]
fn a_consumer_pool_connects_to_one_state_machine_and_nothing_else_starts_one() {
    let json = format!(
        r#"{{"version": 1, "components": [
            {{"id": "shop", "kind": "producer"}},
            {{"id": "q", "kind": "sqs_queue"}},
            {{"id": "pipe", "kind": "consumer"}},
            {{"id": "flow", "kind": "state_machine", "parameters": {{"Definition": {GOOD}}}}},
            {{"id": "other", "kind": "state_machine", "parameters": {{"Definition": {GOOD}}}}}],
            "connections": [{{"from": "shop", "to": "q"}}, {{"from": "q", "to": "pipe"}},
                            {{"from": "pipe", "to": "flow"}}, {{"from": "pipe", "to": "other"}},
                            {{"from": "q", "to": "other"}}]}}"#
    );
    let found = issues(&json);
    assert_eq!(
        found,
        vec![
            "connections[3]: a consumer pool starts executions of one state machine; \"pipe\" already starts \"flow\"".to_string(),
            "connections[4]: a state machine is started by a producer, a consumer pool or a Lambda function connected to it (or by a states:startExecution task); \"q\" is a queue".to_string(),
        ]
    );
}

/// A Lambda function's arrow to a state machine is its handler's `StartExecution`: it
/// lowers into the function's `start_execution`, and a second machine is refused.
#[test]
fn a_lambda_function_starts_one_state_machine() {
    let json = format!(
        r#"{{"version": 1, "components": [
            {{"id": "orders", "kind": "sns_topic"}},
            {{"id": "starter", "kind": "lambda_function"}},
            {{"id": "flow", "kind": "state_machine", "parameters": {{"Definition": {GOOD}}}}},
            {{"id": "other", "kind": "state_machine", "parameters": {{"Definition": {GOOD}}}}}],
            "connections": [{{"from": "orders", "to": "starter"}}, {{"from": "starter", "to": "flow"}}]}}"#
    );
    let lowered = Scenario::from_json(&json)
        .expect("parses")
        .lower()
        .expect("valid");
    match &lowered.model.components[1].kind {
        loosely_engine::ComponentKind::Lambda(spec) => assert_eq!(spec.start_execution, Some(2)),
        other => panic!("not a function: {other:?}"),
    }
    let twice = json.replace(
        r#"{"from": "starter", "to": "flow"}"#,
        r#"{"from": "starter", "to": "flow"}, {"from": "starter", "to": "other"}"#,
    );
    assert_eq!(
        issues(&twice),
        vec!["connections[2]: a Lambda function starts executions of one state machine; \"starter\" already starts \"flow\"".to_string()]
    );
}
