//! Parallel branches and Map iterations.

use serde_json::json;

use loosely_engine::asl::{MockHandler, MockResponse, MockedResponse, Step};

use crate::support::{event_names, failure, output, run, run_with};

#[test]
fn parallel_results_in_branch_order() {
    let definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Add", "States": {"Add": {"Type": "Pass", "Parameters": {"r.$": "States.MathAdd($[0], $[1])"}, "OutputPath": "$.r", "End": true}}},
        {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 5, "Next": "Sub"}, "Sub": {"Type": "Pass", "Parameters": {"r.$": "States.MathAdd($[0], -2)"}, "OutputPath": "$.r", "End": true}}}]}}}"#;
    assert_eq!(output(definition, json!([3, 2])), json!([5, 1]));
}

#[test]
fn parallel_branch_failure_fails_the_state() {
    let definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
        "Catch": [{"ErrorEquals": ["Boom"], "Next": "Caught"}], "Branches": [
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100, "End": true}}},
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "b"}}}]},
        "Caught": {"Type": "Pass", "End": true}}}"#;
    let outcome = run(definition, json!({}));
    assert_eq!(
        outcome.last,
        Step::Succeeded {
            output: json!({"Error": "Boom", "Cause": "b"})
        }
    );
    assert!(
        outcome.now.as_micros() < 100_000_000,
        "the waiting branch was stopped"
    );
}

#[test]
fn map_results_in_item_order_with_selector_and_context() {
    let definition = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
        "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
        "ItemProcessor": {"StartAt": "W", "States": {
            "W": {"Type": "Wait", "SecondsPath": "$.value", "Next": "Out"},
            "Out": {"Type": "Pass", "Parameters": {"i.$": "$.index", "t.$": "$.tag"}, "End": true}}},
        "ResultPath": "$.out", "End": true}}}"#;
    let outcome = run(definition, json!({"items": [3, 1, 2], "tag": "x"}));
    assert_eq!(
        outcome.last,
        Step::Succeeded {
            output: json!({"items": [3, 1, 2], "tag": "x", "out": [{"i": 0, "t": "x"}, {"i": 1, "t": "x"}, {"i": 2, "t": "x"}]})
        }
    );
    // Two at a time: items 0 and 1 start at 0; item 2 starts when item 1 ends (t = 1) and ends at 3.
    assert_eq!(outcome.now.as_micros(), 3_000_000);
    let names = event_names(&outcome.execution);
    assert_eq!(
        names.iter().filter(|n| *n == "MapIterationStarted").count(),
        3
    );
    assert_eq!(
        names
            .iter()
            .filter(|n| *n == "MapIterationSucceeded")
            .count(),
        3
    );
    assert!(
        names.contains(&"MapStateStarted".to_string())
            && names.contains(&"MapStateSucceeded".to_string())
    );
}

#[test]
fn older_iterator_and_parameters_fields() {
    let definition = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "Parameters": {"v.$": "$$.Map.Item.Value"},
        "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "OutputPath": "$.v", "End": true}}}, "End": true}}}"#;
    assert_eq!(output(definition, json!([1, 2, 3])), json!([1, 2, 3]));
}

#[test]
fn empty_map_and_non_array() {
    let definition = r#"{"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"#;
    assert_eq!(output(definition, json!([])), json!([]));
    assert_eq!(failure(definition, json!({"a": 1})).0, "States.Runtime");
}

#[test]
fn inline_map_fails_on_first_failed_iteration() {
    let definition = r#"{"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}], "Default": "P"},
            "F": {"Type": "Fail", "Error": "Two"}, "P": {"Type": "Pass", "End": true}}}, "End": true}}}"#;
    let outcome = run(definition, json!([1, 2, 3]));
    assert!(matches!(outcome.last, Step::Failed { ref error, .. } if error == "Two"));
    assert!(event_names(&outcome.execution).contains(&"MapIterationFailed".to_string()));
}

#[test]
fn distributed_map_tolerated_failures() {
    let definition = |tolerance: &str| {
        format!(
            r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", {tolerance}
        "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}}, "StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{{"Variable": "$", "NumericGreaterThan": 7, "Next": "F"}}], "Default": "P"}},
            "F": {{"Type": "Fail", "Error": "Big"}}, "P": {{"Type": "Pass", "End": true}}}}}}, "End": true}}}}}}"#
        )
    };
    let items = json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    let tolerated = output(
        &definition(r#""ToleratedFailurePercentage": 30,"#),
        items.clone(),
    );
    assert_eq!(tolerated.as_array().unwrap().len(), 10);
    assert_eq!(tolerated[9], json!({"Error": "Big", "Cause": ""}));
    assert_eq!(
        failure(&definition(r#""ToleratedFailureCount": 2,"#), items.clone()).0,
        "States.ExceedToleratedFailureThreshold"
    );
    assert_eq!(
        failure(&definition(""), items.clone()).0,
        "States.ExceedToleratedFailureThreshold"
    );
    // Three of ten fail (30%): with both tolerances the Map fails when either is exceeded.
    assert_eq!(
        failure(
            &definition(r#""ToleratedFailurePercentage": 50, "ToleratedFailureCount": 2,"#),
            items.clone()
        )
        .0,
        "States.ExceedToleratedFailureThreshold"
    );
    assert_eq!(
        failure(
            &definition(r#""ToleratedFailurePercentage": 20, "ToleratedFailureCount": 5,"#),
            items.clone()
        )
        .0,
        "States.ExceedToleratedFailureThreshold"
    );
    let within_both = output(
        &definition(r#""ToleratedFailurePercentage": 30, "ToleratedFailureCount": 3,"#),
        items,
    );
    assert_eq!(within_both.as_array().map(Vec::len), Some(10));
}

#[test]
fn map_of_tasks_counts_transitions() {
    let definition = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "r", "End": true}}}, "End": true}}}"#;
    let mut handler = MockHandler::from_responses(
        [(
            "T".to_string(),
            MockedResponse {
                attempts: vec![(0, 99, MockResponse::Return(json!("ok")))],
            },
        )]
        .into_iter()
        .collect(),
    );
    let outcome = run_with(definition, json!([1, 2, 3, 4]), &mut handler);
    assert_eq!(
        outcome.execution.output(),
        Some(&json!(["ok", "ok", "ok", "ok"]))
    );
    assert_eq!(outcome.execution.transitions(), 5);
}

#[test]
fn peer_workload_shape() {
    // A copy of shared/bench/peers/asl-map.json.
    let definition = include_str!("asl-map.json");
    let items: Vec<_> = (0..1000).map(|n| json!({"n": n})).collect();
    let outcome = run(definition, json!({"items": items}));
    assert_eq!(outcome.execution.transitions(), 3001);
    let Step::Succeeded { output } = outcome.last else {
        panic!()
    };
    assert_eq!(output[0], json!({"n": 0, "big": 1, "size": "small"}));
    assert_eq!(output[999], json!({"n": 999, "big": 1000, "size": "big"}));
}
