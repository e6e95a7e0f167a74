//! Input and output processing, from the specification's and AWS guide's examples.

use serde_json::json;

use crate::support::{failure, output, pass, run_with};
use loosely_engine::asl::{MockHandler, MockResponse, MockedResponse};

#[test]
fn pass_result_at_result_path() {
    let definition = pass(
        r#""Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355}, "ResultPath": "$.coords","#,
    );
    assert_eq!(
        output(&definition, json!({"georefOf": "Home"})),
        json!({"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}})
    );
}

#[test]
fn result_path_table() {
    let input = json!({"comment": "hi", "data": {"a": 1}});
    let cases = [
        (r#""Result": "r","#, json!("r")),
        (r#""Result": "r", "ResultPath": "$","#, json!("r")),
        (r#""Result": "r", "ResultPath": null,"#, input.clone()),
        (
            r#""Result": "r", "ResultPath": "$.taskresult","#,
            json!({"comment": "hi", "data": {"a": 1}, "taskresult": "r"}),
        ),
        (
            r#""Result": "r", "ResultPath": "$.comment","#,
            json!({"comment": "r", "data": {"a": 1}}),
        ),
        (
            r#""Result": "r", "ResultPath": "$.x.y.z","#,
            json!({"comment": "hi", "data": {"a": 1}, "x": {"y": {"z": "r"}}}),
        ),
        (
            r#""Result": 5, "ResultPath": "$['data']['b']","#,
            json!({"comment": "hi", "data": {"a": 1, "b": 5}}),
        ),
        (r#""InputPath": "$.data","#, json!({"a": 1})),
        (r#""InputPath": null,"#, json!({})),
        (r#""OutputPath": "$.data.a","#, json!(1)),
        (r#""OutputPath": null,"#, json!({})),
    ];
    for (fields, expected) in cases {
        assert_eq!(output(&pass(fields), input.clone()), expected, "{fields}");
    }
}

#[test]
fn canonical_task_example() {
    let definition = r#"{"StartAt": "HelloWorld", "States": {"HelloWorld": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction",
        "InputPath": "$.lambda", "ResultPath": "$.data.lambdaresult", "OutputPath": "$.data", "End": true}}}"#;
    let input = json!({"comment": "An input comment.", "data": {"val1": 23, "val2": 17},
        "extra": "foo", "lambda": {"who": "AWS Step Functions"}});
    let mut handler = MockHandler::from_responses(
        [(
            "HelloWorld".to_string(),
            MockedResponse {
                attempts: vec![(
                    0,
                    0,
                    MockResponse::Return(json!("Hello, AWS Step Functions!")),
                )],
            },
        )]
        .into_iter()
        .collect(),
    );
    let outcome = run_with(definition, input, &mut handler);
    assert_eq!(
        outcome.execution.output(),
        Some(&json!({"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"}))
    );
    let scheduled = outcome
        .execution
        .history()
        .iter()
        .find(|e| e.event_type.name() == "TaskScheduled")
        .unwrap();
    assert_eq!(
        scheduled.payload,
        Some(json!({"who": "AWS Step Functions"}))
    );
}

#[test]
fn parameters_example() {
    let definition = pass(
        r#""Parameters": {"comment": "Selecting what I care about.", "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo"}},"#,
    );
    let input = json!({"comment": "Example for Parameters.", "product": {"details": {"color": "blue", "size": "small", "material": "cotton"}, "availability": "in stock", "sku": "2317", "cost": "$23"}});
    assert_eq!(
        output(&definition, input),
        json!({"comment": "Selecting what I care about.", "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}})
    );
}

#[test]
fn result_selector_example() {
    let definition = r#"{"StartAt": "EMR", "States": {"EMR": {"Type": "Task", "Resource": "arn:aws:states:::elasticmapreduce:createCluster.sync",
        "ResultSelector": {"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"},
        "ResultPath": "$.EMROutput", "End": true}}}"#;
    let mut handler = MockHandler::from_responses(
        [("EMR".to_string(), MockedResponse { attempts: vec![(0, 0, MockResponse::Return(json!({"resourceType": "elasticmapreduce", "resource": "createCluster.sync", "output": {"SdkHttpMetadata": {}, "ClusterId": "AKIAIOSFODNN7EXAMPLE"}})))] })]
            .into_iter()
            .collect(),
    );
    let outcome = run_with(definition, json!({"OtherDataFromInput": {}}), &mut handler);
    assert_eq!(
        outcome.execution.output(),
        Some(
            &json!({"OtherDataFromInput": {}, "EMROutput": {"ResourceType": "elasticmapreduce", "ClusterId": "AKIAIOSFODNN7EXAMPLE"}})
        )
    );
}

#[test]
fn context_object_in_parameters() {
    let definition = pass(
        r#""Parameters": {"name.$": "$$.State.Name", "input.$": "$$.Execution.Input.a", "start.$": "$$.Execution.StartTime", "retries.$": "$$.State.RetryCount"},"#,
    );
    assert_eq!(
        output(&definition, json!({"a": 1})),
        json!({"name": "P", "input": 1, "start": "2024-01-01T00:00:00.000Z", "retries": 0})
    );
}

#[test]
fn indefinite_paths_select_lists() {
    let definition =
        pass(r#""Parameters": {"first.$": "$.a[0:2]", "all.$": "$.b[*].c", "deep.$": "$..c"},"#);
    assert_eq!(
        output(
            &definition,
            json!({"a": [1, 2, 3, 4], "b": [{"c": 1}, {"c": 2}]})
        ),
        json!({"first": [1, 2], "all": [1, 2], "deep": [1, 2]})
    );
}

#[test]
fn error_table() {
    let cases = [
        (
            pass(r#""InputPath": "$.missing","#),
            json!({}),
            "States.Runtime",
        ),
        (
            pass(r#""OutputPath": "$.missing","#),
            json!({}),
            "States.Runtime",
        ),
        (
            pass(r#""Parameters": {"x.$": "$.missing"},"#),
            json!({}),
            "States.ParameterPathFailure",
        ),
        (
            pass(r#""Result": 1, "ResultPath": "$.x","#),
            json!("a string"),
            "States.ResultPathMatchFailure",
        ),
        (
            pass(r#""Result": 1, "ResultPath": "$.a.b","#),
            json!({"a": 3}),
            "States.ResultPathMatchFailure",
        ),
        (
            pass(r#""Parameters": {"x.$": "States.ArrayGetItem($.a, 5)"},"#),
            json!({"a": [1]}),
            "States.IntrinsicFailure",
        ),
    ];
    for (definition, input, expected) in cases {
        assert_eq!(failure(&definition, input).0, expected, "{definition}");
    }
}

#[test]
fn data_limit_exceeded() {
    let big = "x".repeat(300_000);
    let definition = pass(r#""Parameters": {"a.$": "States.Array($.s, $.s)"},"#);
    assert_eq!(
        failure(&definition, json!({"s": &big[..140_000]})).0,
        "States.DataLimitExceeded"
    );
    assert_eq!(
        failure(&pass(""), json!({"s": big})).0,
        "States.DataLimitExceeded"
    );
}
