//! States in `QueryLanguage: JSONata` and variables (`Assign`) in both query languages,
//! with the examples of the Step Functions guide.

use serde_json::{json, Value};

use loosely_engine::asl::{Step, TaskHandler, TaskRequest, TaskStart};

use crate::support::{failure, output, run_with};

/// Answers every task with `{"echo": <task input>, "resource": <resource>}`, or fails
/// when the input has `"fail": true`.
struct Echo;

impl TaskHandler for Echo {
    fn start_task(&mut self, request: &TaskRequest<'_>) -> TaskStart {
        if request.input.get("fail") == Some(&Value::Bool(true)) {
            return TaskStart::Completed(Err(loosely_engine::asl::StatesError::new(
                "Order.Rejected",
                "the warehouse said no",
            )));
        }
        TaskStart::Completed(Ok(
            json!({"echo": request.input, "resource": request.resource}),
        ))
    }
}

fn echo_output(definition: &str, input: Value) -> Value {
    match run_with(definition, input, &mut Echo).last {
        Step::Succeeded { output } => output,
        other => panic!("expected success, got {other:?}"),
    }
}

fn echo_failure(definition: &str, input: Value) -> (String, String) {
    match run_with(definition, input, &mut Echo).last {
        Step::Failed { error, cause } => (error, cause),
        other => panic!("expected failure, got {other:?}"),
    }
}

/// A JSONata machine from its states.
fn machine(states: &str, start: &str) -> String {
    format!(r#"{{"QueryLanguage": "JSONata", "StartAt": "{start}", "States": {states}}}"#)
}

#[test]
fn the_guides_examples() {
    // (definition, input, expected output)
    let cases: Vec<(String, Value, Value)> = vec![
        // Output reshapes the input (Pass).
        (
            machine(
                r#"{"P": {"Type": "Pass", "Output": {"name": "{% $states.input.customer.name %}", "items": "{% $count($states.input.items) %}"}, "End": true}}"#,
                "P",
            ),
            json!({"customer": {"name": "Jane"}, "items": [1, 2, 3]}),
            json!({"name": "Jane", "items": 3}),
        ),
        // Without Output a Pass passes its input on.
        (
            machine(r#"{"P": {"Type": "Pass", "End": true}}"#, "P"),
            json!({"a": 1}),
            json!({"a": 1}),
        ),
        // Arguments build the task's input; Output reads $states.result and $states.input.
        (
            machine(
                r#"{"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Price",
                "Arguments": {"sku": "{% $states.input.order.sku %}", "qty": "{% $states.input.order.qty * 2 %}"},
                "Output": {"sent": "{% $states.result.echo %}", "order": "{% $states.input.order.id %}"}, "End": true}}"#,
                "T",
            ),
            json!({"order": {"id": "o-1", "sku": "A1", "qty": 2}}),
            json!({"sent": {"sku": "A1", "qty": 4}, "order": "o-1"}),
        ),
        // Without Output a Task's output is its result.
        (
            machine(
                r#"{"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Arguments": {"MessageBody": "hi"}, "End": true}}"#,
                "T",
            ),
            json!({}),
            json!({"echo": {"MessageBody": "hi"}, "resource": "arn:aws:states:::sqs:sendMessage"}),
        ),
        // Choice with Condition: the canonical example goes to ValueInTwenties.
        (
            machine(
                r#"{
                "C": {"Type": "Choice", "Default": "Other", "Choices": [
                    {"Condition": "{% $states.input.type != 'Private' %}", "Next": "Public"},
                    {"Condition": "{% $states.input.value = 0 %}", "Next": "ValueIsZero"},
                    {"Condition": "{% $states.input.value >= 20 and $states.input.value < 30 %}", "Next": "ValueInTwenties"}]},
                "Public": {"Type": "Pass", "Output": "Public", "End": true},
                "ValueIsZero": {"Type": "Pass", "Output": "ValueIsZero", "End": true},
                "ValueInTwenties": {"Type": "Pass", "Output": "ValueInTwenties", "End": true},
                "Other": {"Type": "Pass", "Output": "Other", "End": true}}"#,
                "C",
            ),
            json!({"type": "Private", "value": 22}),
            json!("ValueInTwenties"),
        ),
        // Map: Items, ItemSelector with $states.context.Map.Item, Output over the results.
        (
            machine(
                r#"{"M": {"Type": "Map", "Items": "{% $states.input.orders[qty > 0] %}",
                "ItemSelector": {"index": "{% $states.context.Map.Item.Index %}", "sku": "{% $states.context.Map.Item.Value.sku %}", "currency": "{% $states.input.currency %}"},
                "ItemProcessor": {"StartAt": "Line", "States": {"Line": {"Type": "Pass", "Output": "{% $states.input.sku & '/' & $states.input.currency & '#' & $states.input.index %}", "End": true}}},
                "Output": {"lines": "{% $states.result %}", "count": "{% $count($states.result) %}"}, "End": true}}"#,
                "M",
            ),
            json!({"currency": "EUR", "orders": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 0}, {"sku": "C", "qty": 5}]}),
            json!({"lines": ["A/EUR#0", "C/EUR#1"], "count": 2}),
        ),
        // Items may be an object: each value is an item, its key in Map.Item.Key.
        (
            machine(
                r#"{"M": {"Type": "Map", "Items": "{% $states.input.stock %}",
                "ItemSelector": {"sku": "{% $states.context.Map.Item.Key %}", "count": "{% $states.context.Map.Item.Value %}"},
                "ItemProcessor": {"StartAt": "Line", "States": {"Line": {"Type": "Pass", "Output": "{% $states.input.sku & '=' & $states.input.count %}", "End": true}}},
                "End": true}}"#,
                "M",
            ),
            json!({"stock": {"apples": 3, "pears": 0}}),
            json!(["apples=3", "pears=0"]),
        ),
        // Parallel: Arguments go to every branch; the result is one element per branch.
        (
            machine(
                r#"{"P": {"Type": "Parallel", "Arguments": "{% $states.input.numbers %}", "Branches": [
                    {"StartAt": "Add", "States": {"Add": {"Type": "Pass", "Output": "{% $states.input[0] + $states.input[1] %}", "End": true}}},
                    {"StartAt": "Sub", "States": {"Sub": {"Type": "Pass", "Output": "{% $states.input[0] - $states.input[1] %}", "End": true}}}],
                "End": true}}"#,
                "P",
            ),
            json!({"numbers": [3, 2]}),
            json!([5, 1]),
        ),
        // Wait with a Seconds expression; Output after the wait.
        (
            machine(
                r#"{"W": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "Output": {"waited": "{% $states.input.delay %}"}, "End": true}}"#,
                "W",
            ),
            json!({"delay": 5}),
            json!({"waited": 5}),
        ),
        // Succeed with Output; the context object under $states.context.
        (
            machine(
                r#"{"S": {"Type": "Succeed", "Output": {"state": "{% $states.context.State.Name %}", "retries": "{% $states.context.State.RetryCount %}"}}}"#,
                "S",
            ),
            json!({}),
            json!({"state": "S", "retries": 0}),
        ),
    ];
    for (definition, input, expected) in cases {
        assert_eq!(echo_output(&definition, input), expected, "{definition}");
    }
}

#[test]
fn a_wait_expression_waits_in_virtual_time() {
    let definition = machine(
        r#"{"W": {"Type": "Wait", "Seconds": "{% $states.input.delay * 60 %}", "End": true}}"#,
        "W",
    );
    let outcome = run_with(&definition, json!({"delay": 2}), &mut Echo);
    assert!(matches!(outcome.last, Step::Succeeded { .. }));
    assert_eq!(outcome.now.as_micros(), 120_000_000);
}

#[test]
fn fail_states_and_query_errors() {
    let fail = machine(
        r#"{"F": {"Type": "Fail", "Error": "{% 'Order.' & $states.input.reason %}", "Cause": "{% 'order ' & $states.input.id & ' failed' %}"}}"#,
        "F",
    );
    assert_eq!(
        echo_failure(&fail, json!({"reason": "Late", "id": 7})),
        ("Order.Late".into(), "order 7 failed".into())
    );
    // An undefined result is States.QueryEvaluationError, naming the field.
    let undefined = machine(
        r#"{"P": {"Type": "Pass", "Output": {"x": "{% $states.input.missing %}"}, "End": true}}"#,
        "P",
    );
    let (error, cause) = echo_failure(&undefined, json!({}));
    assert_eq!(error, "States.QueryEvaluationError");
    assert!(
        cause.contains("Output/x") && cause.contains("undefined"),
        "{cause}"
    );
    // A type error too.
    let type_error = machine(
        r#"{"P": {"Type": "Pass", "Output": "{% $states.input.name + 1 %}", "End": true}}"#,
        "P",
    );
    assert_eq!(
        echo_failure(&type_error, json!({"name": "x"})).0,
        "States.QueryEvaluationError"
    );
    // A Condition that is not a boolean.
    let condition = machine(
        r#"{"C": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.n %}", "Next": "D"}]}, "D": {"Type": "Succeed"}}"#,
        "C",
    );
    assert_eq!(
        echo_failure(&condition, json!({"n": 3})).0,
        "States.QueryEvaluationError"
    );
    // No rule and no Default.
    let no_match = machine(
        r#"{"C": {"Type": "Choice", "Choices": [{"Condition": "{% false %}", "Next": "D"}]}, "D": {"Type": "Succeed"}}"#,
        "C",
    );
    assert_eq!(
        echo_failure(&no_match, json!({})).0,
        "States.NoChoiceMatched"
    );
}

#[test]
fn catch_reads_error_output_and_assigns() {
    let definition = machine(
        r#"{
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": "{% $states.input %}",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Report",
                "Output": {"failed": "{% $states.errorOutput.Error %}", "order": "{% $states.input.id %}"},
                "Assign": {"lastError": "{% $states.errorOutput.Cause %}"}}],
            "End": true},
        "Report": {"Type": "Pass", "Output": {"report": "{% $states.input %}", "why": "{% $lastError %}"}, "End": true}}"#,
        "T",
    );
    assert_eq!(
        echo_output(&definition, json!({"id": 9, "fail": true})),
        json!({"report": {"failed": "Order.Rejected", "order": 9}, "why": "the warehouse said no"})
    );
    // Without Output the catcher's output is the error output.
    let plain = machine(
        r#"{
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["Order.Rejected"], "Next": "D"}], "End": true},
        "D": {"Type": "Succeed"}}"#,
        "T",
    );
    assert_eq!(
        echo_output(&plain, json!({"fail": true})),
        json!({"Error": "Order.Rejected", "Cause": "the warehouse said no"})
    );
    // A query error in Output is catchable.
    let caught = machine(
        r#"{
        "P": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Output": "{% $states.result.nothing %}",
            "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "D"}], "End": true},
        "D": {"Type": "Pass", "Output": "{% $states.input.Error %}", "End": true}}"#,
        "P",
    );
    assert_eq!(
        echo_output(&caught, json!({})),
        json!("States.QueryEvaluationError")
    );
}

#[test]
fn variables_are_assigned_from_the_entry_snapshot() {
    // The guide's swap: both expressions read the values from before the state.
    let swap = machine(
        r#"{
        "Init": {"Type": "Pass", "Assign": {"x": 1, "y": 2}, "Next": "Swap"},
        "Swap": {"Type": "Pass", "Assign": {"x": "{% $y %}", "y": "{% $x %}"}, "Next": "Show"},
        "Show": {"Type": "Pass", "Output": {"x": "{% $x %}", "y": "{% $y %}"}, "End": true}}"#,
        "Init",
    );
    assert_eq!(echo_output(&swap, json!({})), json!({"x": 2, "y": 1}));
    // A variable assigned by a state is not visible in the same state's Output.
    let same_state = machine(
        r#"{"P": {"Type": "Pass", "Assign": {"a": 1}, "Output": "{% $a %}", "End": true}}"#,
        "P",
    );
    assert_eq!(
        echo_failure(&same_state, json!({})).0,
        "States.QueryEvaluationError"
    );
    // Assign reads $states.result in a Task.
    let task = machine(
        r#"{
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Arguments": {"n": 5}, "Assign": {"sent": "{% $states.result.echo.n %}"}, "Output": {}, "Next": "Show"},
        "Show": {"Type": "Pass", "Output": "{% $sent * 10 %}", "End": true}}"#,
        "T",
    );
    assert_eq!(echo_output(&task, json!({})), json!(50));
}

#[test]
fn choice_assigns_from_the_matched_rule_or_the_state() {
    let definition = |value: i64| {
        (
            machine(
                r#"{
            "C": {"Type": "Choice", "Assign": {"route": "default"}, "Default": "Show", "Choices": [
                {"Condition": "{% $states.input.v > 10 %}", "Assign": {"route": "big"}, "Output": {"v": "{% $states.input.v %}", "tag": "big"}, "Next": "Show"}]},
            "Show": {"Type": "Pass", "Output": {"route": "{% $route %}", "input": "{% $states.input %}"}, "End": true}}"#,
                "C",
            ),
            json!({"v": value}),
        )
    };
    let (big, input) = definition(20);
    assert_eq!(
        echo_output(&big, input),
        json!({"route": "big", "input": {"v": 20, "tag": "big"}})
    );
    let (small, input) = definition(1);
    assert_eq!(
        echo_output(&small, input),
        json!({"route": "default", "input": {"v": 1}})
    );
}

#[test]
fn inner_scopes_read_outer_variables_and_keep_their_own() {
    let definition = machine(
        r#"{
        "Set": {"Type": "Pass", "Assign": {"rate": 3}, "Next": "M"},
        "M": {"Type": "Map", "Items": "{% $states.input.n %}", "ItemProcessor": {"StartAt": "Mul", "States": {
            "Mul": {"Type": "Pass", "Assign": {"own": "{% $states.input * $rate %}"}, "Next": "Show"},
            "Show": {"Type": "Pass", "Output": "{% $own %}", "End": true}}},
            "Next": "After"},
        "After": {"Type": "Pass", "Output": {"results": "{% $states.input %}", "ownOutside": "{% $exists($own) %}"}, "End": true}}"#,
        "Set",
    );
    assert_eq!(
        echo_output(&definition, json!({"n": [1, 2, 3]})),
        json!({"results": [3, 6, 9], "ownOutside": false})
    );
}

#[test]
fn a_distributed_maps_children_do_not_see_outer_variables() {
    // The validator rejects a direct read; at run time a lookup stops at the boundary too.
    let definition = machine(
        r#"{
        "Set": {"Type": "Pass", "Assign": {"secret": 1}, "Next": "M"},
        "M": {"Type": "Map", "Items": [1], "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "Look", "States": {"Look": {"Type": "Pass", "Output": "{% $lookup({'v': $secret}, 'v') %}", "End": true}}},
            "End": true}}"#,
        "Set",
    );
    let issues = loosely_engine::asl::validate(&definition).unwrap_err();
    assert!(
        issues.iter().any(|i| i.message.contains("Distributed Map")),
        "{issues:?}"
    );
}

#[test]
fn jsonpath_states_assign_and_read_variables() {
    let definition = r#"{"StartAt": "Count", "States": {
        "Count": {"Type": "Pass", "Result": {"n": 2}, "Assign": {"count.$": "$.n", "label": "two", "items.$": "States.Array($.n, 3)"}, "ResultPath": null, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$count", "NumericEquals": 2, "Assign": {"picked": "rule"}, "Next": "Use"}], "Default": "Use"},
        "Use": {"Type": "Pass", "Parameters": {"count.$": "$count", "label.$": "$label", "first.$": "$items[0]", "picked.$": "$picked", "sum.$": "States.MathAdd($count, 40)"}, "End": true}}}"#;
    assert_eq!(
        output(definition, json!({"keep": true})),
        json!({"count": 2, "label": "two", "first": 2, "picked": "rule", "sum": 42})
    );
    // A missing variable in Parameters is States.ParameterPathFailure.
    let missing = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "$nothing"}, "End": true}}}"#;
    assert_eq!(failure(missing, json!({})).0, "States.ParameterPathFailure");
    // A catcher's Assign reads the error output as $.
    let caught = r#"{"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"why.$": "$.Cause"}, "ResultPath": "$.error", "Next": "D"}], "End": true},
        "D": {"Type": "Pass", "Parameters": {"why.$": "$why"}, "End": true}}}"#;
    assert_eq!(
        match run_with(caught, json!({"fail": true}), &mut Echo).last {
            Step::Succeeded { output } => output,
            other => panic!("{other:?}"),
        },
        json!({"why": "the warehouse said no"})
    );
}

#[test]
fn a_seeded_execution_repeats_its_random_values() {
    let definition = machine(
        r#"{"P": {"Type": "Pass", "Output": {"r": "{% $random() %}", "u": "{% $uuid() %}", "t": "{% $now() %}"}, "End": true}}"#,
        "P",
    );
    let first = echo_output(&definition, json!({}));
    assert_eq!(first, echo_output(&definition, json!({})));
    assert!(first["u"].as_str().is_some_and(|u| u.len() == 36));
}
