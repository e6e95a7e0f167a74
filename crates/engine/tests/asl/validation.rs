//! Validation: each rule with the path of its issue.

use loosely_engine::asl::validate;

/// Asserts that validating `definition` reports an issue at `path` whose message contains `text`.
fn check(definition: &str, path: &str, text: &str) {
    let issues = match validate(definition) {
        Ok(_) => panic!("expected an issue at {path} for {definition}"),
        Err(issues) => issues,
    };
    assert!(
        issues
            .iter()
            .any(|issue| issue.path == path && issue.message.contains(text)),
        "expected {path}: …{text}… in {:#?}",
        issues.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
}

fn one(state: &str) -> String {
    format!(r#"{{"StartAt": "S", "States": {{"S": {state}, "Done": {{"Type": "Succeed"}}}}}}"#)
}

#[test]
fn structure() {
    check("[]", "$", "must be a JSON object");
    check("{", "$", "not valid JSON");
    check(
        r#"{"States": {"A": {"Type": "Succeed"}}}"#,
        "$.StartAt",
        "required",
    );
    check(
        r#"{"StartAt": "B", "States": {"A": {"Type": "Succeed"}}}"#,
        "$.StartAt",
        "state \"B\" does not exist",
    );
    check(r#"{"StartAt": "A"}"#, "$.States", "required");
    check(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}, "Extra": 1}"#,
        "$.Extra",
        "not allowed",
    );
    check(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}, "TimeoutSeconds": 0}"#,
        "$.TimeoutSeconds",
        "integer",
    );
    check(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}"#,
        "$.States.B",
        "not reachable",
    );
    check(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Nope"}}}"#,
        "$.States.A.Type",
        "unknown state type",
    );
    check(
        r#"{"StartAt": "A", "States": {"A": {}}}"#,
        "$.States.A.Type",
        "required",
    );
    let long = "x".repeat(81);
    check(
        &format!(r#"{{"StartAt": "{long}", "States": {{"{long}": {{"Type": "Succeed"}}}}}}"#),
        &format!("$.States.{long}"),
        "1 to 80",
    );
}

#[test]
fn transitions() {
    check(
        &one(r#"{"Type": "Pass"}"#),
        "$.States.S",
        "needs Next or \"End\": true",
    );
    check(
        &one(r#"{"Type": "Pass", "Next": "Done", "End": true}"#),
        "$.States.S",
        "not both",
    );
    check(
        &one(r#"{"Type": "Pass", "Next": "Nope"}"#),
        "$.States.S.Next",
        "state \"Nope\" does not exist",
    );
    check(
        &one(r#"{"Type": "Succeed", "Next": "Done"}"#),
        "$.States.S.Next",
        "not allowed in a Succeed state",
    );
    check(
        &one(r#"{"Type": "Fail", "End": true}"#),
        "$.States.S.End",
        "not allowed in a Fail state",
    );
}

#[test]
fn field_availability() {
    let cases = [
        (
            r#"{"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": true, "Next": "Done"}], "ResultPath": "$.x"}"#,
            "ResultPath",
            "Choice",
        ),
        (
            r#"{"Type": "Wait", "Seconds": 1, "Parameters": {}, "End": true}"#,
            "Parameters",
            "Wait",
        ),
        (
            r#"{"Type": "Pass", "Retry": [], "End": true}"#,
            "Retry",
            "Pass",
        ),
        (
            r#"{"Type": "Pass", "ResultSelector": {}, "End": true}"#,
            "ResultSelector",
            "Pass",
        ),
        (r#"{"Type": "Fail", "InputPath": "$"}"#, "InputPath", "Fail"),
        (
            r#"{"Type": "Succeed", "ResultPath": "$"}"#,
            "ResultPath",
            "Succeed",
        ),
    ];
    for (state, field, type_name) in cases {
        check(
            &one(state),
            &format!("$.States.S.{field}"),
            &format!("not allowed in a {type_name} state"),
        );
    }
    // Assign is in both query languages, but not on Succeed or Fail.
    assert!(validate(&one(
        r#"{"Type": "Pass", "Assign": {"x": 1}, "Next": "Done"}"#
    ))
    .is_ok());
    check(
        &one(r#"{"Type": "Fail", "Assign": {"x": 1}}"#),
        "$.States.S.Assign",
        "not allowed in a Fail state",
    );
}

#[test]
fn jsonata_field_availability() {
    let jsonata = |state: &str| one(&state.replacen("{", r#"{"QueryLanguage": "JSONata", "#, 1));
    // JSONPath fields in a JSONata state, each with what replaces it.
    for (state, field, replacement) in [
        (
            r#"{"Type": "Pass", "InputPath": "$.a", "End": true}"#,
            "InputPath",
            "$states.input",
        ),
        (
            r#"{"Type": "Pass", "Parameters": {}, "End": true}"#,
            "Parameters",
            "Arguments",
        ),
        (
            r#"{"Type": "Pass", "Result": 1, "End": true}"#,
            "Result",
            "Output",
        ),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "ResultPath": "$.r", "End": true}"#,
            "ResultPath",
            "Output or Assign",
        ),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "ResultSelector": {}, "End": true}"#,
            "ResultSelector",
            "Output",
        ),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "TimeoutSecondsPath": "$.t", "End": true}"#,
            "TimeoutSecondsPath",
            "TimeoutSeconds with a {% %} expression",
        ),
        (
            r#"{"Type": "Wait", "SecondsPath": "$.s", "End": true}"#,
            "SecondsPath",
            "Seconds with a {% %} expression",
        ),
        (
            r#"{"Type": "Fail", "ErrorPath": "$.e"}"#,
            "ErrorPath",
            "Error with a {% %} expression",
        ),
        (
            r#"{"Type": "Map", "ItemsPath": "$.a", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "End": true}"#,
            "ItemsPath",
            "Items",
        ),
    ] {
        check(&jsonata(state), &format!("$.States.S.{field}"), replacement);
    }
    // JSONata fields in a JSONPath state.
    for (state, field, instead) in [
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Arguments": {}, "End": true}"#,
            "Arguments",
            "Parameters",
        ),
        (
            r#"{"Type": "Pass", "Output": {}, "End": true}"#,
            "Output",
            "OutputPath",
        ),
        (
            r#"{"Type": "Map", "Items": [], "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "End": true}"#,
            "Items",
            "ItemsPath",
        ),
    ] {
        check(&one(state), &format!("$.States.S.{field}"), instead);
    }
    // Fields a type never has, whatever the language.
    check(
        &jsonata(r#"{"Type": "Pass", "Arguments": {}, "End": true}"#),
        "$.States.S.Arguments",
        "not allowed in a Pass state",
    );
    check(
        &jsonata(r#"{"Type": "Fail", "Output": {}}"#),
        "$.States.S.Output",
        "not allowed in a Fail state",
    );
    check(
        &jsonata(r#"{"Type": "Succeed", "Assign": {"x": 1}}"#),
        "$.States.S.Assign",
        "not allowed in a Succeed state",
    );
    // A state cannot go back to JSONPath under a JSONata top level.
    check(
        r#"{"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}"#,
        "$.States.S.QueryLanguage",
        "cannot use JSONPath",
    );
    check(
        &one(r#"{"Type": "Pass", "QueryLanguage": "XPath", "End": true}"#),
        "$.States.S.QueryLanguage",
        "must be \"JSONPath\" or \"JSONata\"",
    );
    // Expressions: syntax, and no $ or $$ at the top level.
    check(
        &jsonata(r#"{"Type": "Pass", "Output": "{% $states.input. %}", "End": true}"#),
        "$.States.S.Output",
        "invalid JSONata expression",
    );
    check(
        &jsonata(r#"{"Type": "Pass", "Output": {"a": ["{% ( %}"]}, "End": true}"#),
        "$.States.S.Output.a[0]",
        "invalid JSONata expression",
    );
    check(
        &jsonata(r#"{"Type": "Pass", "Output": "{% $.a %}", "End": true}"#),
        "$.States.S.Output",
        "$states.input",
    );
    check(
        &jsonata(r#"{"Type": "Pass", "Output": "{% $$.Execution %}", "End": true}"#),
        "$.States.S.Output",
        "$states.context",
    );
    // Choice rules in JSONata.
    check(
        &jsonata(
            r#"{"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": true, "Next": "Done"}]}"#,
        ),
        "$.States.S.Choices[0].Variable",
        "not allowed in a JSONata choice rule",
    );
    check(
        &jsonata(r#"{"Type": "Choice", "Choices": [{"Next": "Done"}]}"#),
        "$.States.S.Choices[0].Condition",
        "needs Condition",
    );
    check(
        &jsonata(r#"{"Type": "Choice", "Choices": [{"Condition": "yes", "Next": "Done"}]}"#),
        "$.States.S.Choices[0].Condition",
        "{% %} expression",
    );
    check(
        &one(r#"{"Type": "Choice", "Choices": [{"Condition": "{% true %}", "Next": "Done"}]}"#),
        "$.States.S.Choices[0].Condition",
        "JSONata field",
    );
    // Catchers.
    check(
        &jsonata(
            r#"{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "Done"}], "End": true}"#,
        ),
        "$.States.S.Catch[0].ResultPath",
        "Output and Assign",
    );
    check(
        &one(
            r#"{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Catch": [{"ErrorEquals": ["States.ALL"], "Output": {}, "Next": "Done"}], "End": true}"#,
        ),
        "$.States.S.Catch[0].Output",
        "ResultPath",
    );
}

#[test]
fn assign_and_variable_scopes() {
    for (name, message) in [
        ("x.y", "not a variable name"),
        ("x[2]", "not a variable name"),
        ("1abc", "not a variable name"),
        ("states", "reserved"),
    ] {
        check(
            &one(&format!(
                r#"{{"Type": "Pass", "Assign": {{"{name}": 1}}, "End": true}}"#
            )),
            &format!("$.States.S.Assign.{name}"),
            message,
        );
    }
    let long = "v".repeat(81);
    check(
        &one(&format!(
            r#"{{"Type": "Pass", "Assign": {{"{long}": 1}}, "End": true}}"#
        )),
        &format!("$.States.S.Assign.{long}"),
        "at most 80",
    );
    // An inner scope may read an outer variable but not assign it.
    let parallel = |inner_assign: &str| {
        format!(
            r#"{{"StartAt": "Set", "States": {{
            "Set": {{"Type": "Pass", "Assign": {{"total": 1}}, "Next": "P"}},
            "P": {{"Type": "Parallel", "End": true, "Branches": [{{"StartAt": "B", "States": {{
                "B": {{"Type": "Pass", "Assign": {inner_assign}, "End": true}}}}}}]}}}}}}"#
        )
    };
    check(
        &parallel(r#"{"total": 2}"#),
        "$.States.P.Branches[0].States.B.Assign.total",
        "enclosing scope",
    );
    assert!(validate(&parallel(r#"{"mine.$": "$total"}"#)).is_ok());
    // A Distributed Map's children cannot read outer variables.
    let distributed = |mode: &str| {
        format!(
            r#"{{"StartAt": "Set", "States": {{
            "Set": {{"Type": "Pass", "Assign": {{"limit": 5}}, "Next": "M"}},
            "M": {{"Type": "Map", "End": true, "ItemProcessor": {{
                "ProcessorConfig": {{"Mode": "{mode}", "ExecutionType": "EXPRESS"}},
                "StartAt": "I", "States": {{"I": {{"Type": "Pass", "Parameters": {{"l.$": "$limit"}}, "End": true}}}}}}}}}}}}"#
        )
    };
    check(
        &distributed("DISTRIBUTED"),
        "$.States.M.ItemProcessor.States.I.Parameters",
        "Distributed Map",
    );
    assert!(validate(&distributed("INLINE")).is_ok());
}

#[test]
fn choice_rules() {
    let choice = |choices: &str| {
        one(&format!(
            r#"{{"Type": "Choice", "Choices": {choices}, "Default": "Done"}}"#
        ))
    };
    check(&choice("[]"), "$.States.S.Choices", "non-empty");
    check(
        &choice(r#"[{"Variable": "$.a", "Next": "Done"}]"#),
        "$.States.S.Choices[0]",
        "exactly one comparison operator",
    );
    check(
        &choice(r#"[{"Variable": "$.a", "IsNull": true, "IsString": true, "Next": "Done"}]"#),
        "$.States.S.Choices[0]",
        "exactly one",
    );
    check(
        &choice(r#"[{"IsNull": true, "Next": "Done"}]"#),
        "$.States.S.Choices[0].Variable",
        "needs Variable",
    );
    check(
        &choice(r#"[{"Variable": "$.a", "IsNull": true}]"#),
        "$.States.S.Choices[0].Next",
        "needs Next",
    );
    check(
        &choice(
            r#"[{"Variable": "$.a", "IsNull": true, "Next": "Done"}, {"Variable": "$.a", "IsNull": true, "Next": "Nope"}]"#,
        ),
        "$.States.S.Choices[1].Next",
        "state \"Nope\" does not exist",
    );
    check(
        &choice(r#"[{"And": [], "Next": "Done"}]"#),
        "$.States.S.Choices[0].And",
        "non-empty",
    );
    check(
        &choice(r#"[{"Not": [], "Next": "Done"}]"#),
        "$.States.S.Choices[0].Not",
        "single choice rule",
    );
    check(
        &choice(
            r#"[{"Or": [{"Variable": "$.a", "IsNull": true, "Next": "Done"}], "Next": "Done"}]"#,
        ),
        "$.States.S.Choices[0].Or[0].Next",
        "must not have Next",
    );
    check(
        &choice(r#"[{"Variable": "$.a", "NumericEquals": "1", "Next": "Done"}]"#),
        "$.States.S.Choices[0].NumericEquals",
        "takes a number",
    );
    check(
        &choice(r#"[{"Variable": "$.a", "TimestampEquals": "yesterday", "Next": "Done"}]"#),
        "$.States.S.Choices[0].TimestampEquals",
        "RFC 3339",
    );
    check(
        &choice(r#"[{"Variable": "$.a", "StringEqualsPath": "$.b[*]", "Next": "Done"}]"#),
        "$.States.S.Choices[0].StringEqualsPath",
        "reference path",
    );
    check(
        &choice(r#"[{"Variable": "a", "IsNull": true, "Next": "Done"}]"#),
        "$.States.S.Choices[0].Variable",
        "must start with '$'",
    );
    check(
        &one(
            r#"{"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": true, "Next": "Done"}], "Default": "Nope"}"#,
        ),
        "$.States.S.Default",
        "does not exist",
    );
}

#[test]
fn retry_and_catch() {
    let task = |extra: &str| {
        one(&format!(
            r#"{{"Type": "Task", "Resource": "r", "Next": "Done", {extra}}}"#
        ))
    };
    check(
        &task(r#""Retry": [{"ErrorEquals": ["States.ALL", "E"]}]"#),
        "$.States.S.Retry[0].ErrorEquals",
        "only error name",
    );
    check(
        &task(r#""Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}]"#),
        "$.States.S.Retry[0].ErrorEquals",
        "last retrier",
    );
    check(
        &task(r#""Retry": [{"ErrorEquals": []}]"#),
        "$.States.S.Retry[0].ErrorEquals",
        "must not be empty",
    );
    check(
        &task(r#""Retry": [{"ErrorEquals": ["E"], "MaxAttempts": -1}]"#),
        "$.States.S.Retry[0].MaxAttempts",
        "integer",
    );
    check(
        &task(r#""Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 0}]"#),
        "$.States.S.Retry[0].IntervalSeconds",
        "integer",
    );
    check(
        &task(r#""Retry": [{"ErrorEquals": ["E"], "BackoffRate": 0.5}]"#),
        "$.States.S.Retry[0].BackoffRate",
        ">= 1.0",
    );
    check(
        &task(r#""Retry": [{"ErrorEquals": ["E"], "MaxDelaySeconds": 0}]"#),
        "$.States.S.Retry[0].MaxDelaySeconds",
        "integer",
    );
    check(
        &task(r#""Retry": [{"ErrorEquals": ["E"], "JitterStrategy": "SOME"}]"#),
        "$.States.S.Retry[0].JitterStrategy",
        "FULL",
    );
    check(
        &task(r#""Retry": [{"ErrorEquals": ["States.Oops"]}]"#),
        "$.States.S.Retry[0].ErrorEquals[0]",
        "not a predefined error",
    );
    check(
        &task(
            r#""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}, {"ErrorEquals": ["E"], "Next": "Done"}]"#,
        ),
        "$.States.S.Catch[0].ErrorEquals",
        "last retrier or catcher",
    );
    check(
        &task(r#""Catch": [{"ErrorEquals": ["E"], "Next": "Nope"}]"#),
        "$.States.S.Catch[0].Next",
        "does not exist",
    );
    check(
        &task(r#""Catch": [{"ErrorEquals": ["E"]}]"#),
        "$.States.S.Catch[0].Next",
        "needs Next",
    );
}

#[test]
fn paths() {
    check(
        &one(r#"{"Type": "Pass", "InputPath": "a", "End": true}"#),
        "$.States.S.InputPath",
        "must start with '$'",
    );
    check(
        &one(r#"{"Type": "Pass", "ResultPath": "$.a[*]", "End": true}"#),
        "$.States.S.ResultPath",
        "reference path",
    );
    check(
        &one(r#"{"Type": "Pass", "ResultPath": "$$.a", "End": true}"#),
        "$.States.S.ResultPath",
        "not '$$'",
    );
    check(
        &one(r#"{"Type": "Pass", "Parameters": {"a.$": "nope"}, "End": true}"#),
        "$.States.S.Parameters.a.$",
        "path or an intrinsic",
    );
    check(
        &one(r#"{"Type": "Pass", "Parameters": {"a": {"b.$": "$.x[?(@.y)]"}}, "End": true}"#),
        "$.States.S.Parameters.a.b.$",
        "not supported",
    );
    check(
        &one(r#"{"Type": "Pass", "Parameters": {"a.$": "States.Nope(1)"}, "End": true}"#),
        "$.States.S.Parameters.a.$",
        "unknown function",
    );
    check(
        &one(r#"{"Type": "Pass", "Parameters": {"a.$": "States.MathAdd(1)"}, "End": true}"#),
        "$.States.S.Parameters.a.$",
        "takes 2 argument",
    );
    check(
        &one(r#"{"Type": "Pass", "Parameters": {"a.$": "States.JsonToString('x')"}, "End": true}"#),
        "$.States.S.Parameters.a.$",
        "takes a path",
    );
    check(
        &one(r#"{"Type": "Pass", "Parameters": 3, "End": true}"#),
        "$.States.S.Parameters",
        "JSON object",
    );
}

#[test]
fn wait_task_fail_states() {
    check(
        &one(r#"{"Type": "Wait", "End": true}"#),
        "$.States.S",
        "exactly one of Seconds",
    );
    check(
        &one(r#"{"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true}"#),
        "$.States.S",
        "exactly one of Seconds",
    );
    check(
        &one(r#"{"Type": "Wait", "Timestamp": "2016-08-18 17:33", "End": true}"#),
        "$.States.S.Timestamp",
        "RFC 3339",
    );
    check(
        &one(r#"{"Type": "Wait", "SecondsPath": "$..s", "End": true}"#),
        "$.States.S.SecondsPath",
        "reference path",
    );
    check(
        &one(r#"{"Type": "Task", "End": true}"#),
        "$.States.S.Resource",
        "needs Resource",
    );
    check(
        &one(r#"{"Type": "Task", "Resource": "r", "TimeoutSeconds": 0, "End": true}"#),
        "$.States.S.TimeoutSeconds",
        "integer",
    );
    check(
        &one(
            r#"{"Type": "Task", "Resource": "r", "TimeoutSeconds": 10, "HeartbeatSeconds": 10, "End": true}"#,
        ),
        "$.States.S.HeartbeatSeconds",
        "smaller than TimeoutSeconds",
    );
    check(
        &one(
            r#"{"Type": "Task", "Resource": "r", "TimeoutSeconds": 10, "TimeoutSecondsPath": "$.t", "End": true}"#,
        ),
        "$.States.S",
        "not both",
    );
    check(
        &one(r#"{"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}"#),
        "$.States.S",
        "not both",
    );
    check(
        &one(r#"{"Type": "Fail", "CausePath": "$.c[*]"}"#),
        "$.States.S.CausePath",
        "reference path",
    );
}

#[test]
fn parallel_and_map() {
    check(
        &one(r#"{"Type": "Parallel", "Branches": [], "End": true}"#),
        "$.States.S.Branches",
        "non-empty",
    );
    check(
        &one(
            r#"{"Type": "Parallel", "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Done"}}}], "End": true}"#,
        ),
        "$.States.S.Branches[0].States.X.Next",
        "state \"Done\" does not exist",
    );
    check(
        &one(
            r#"{"Type": "Parallel", "Branches": [{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}], "End": true}"#,
        ),
        "$.States.S.Branches[0].States.S",
        "more than once",
    );
    let map = |extra: &str| one(&format!(r#"{{"Type": "Map", "End": true, {extra}}}"#));
    let processor = r#""ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}"#;
    check(
        &map(r#""MaxConcurrency": 1"#),
        "$.States.S.ItemProcessor",
        "needs ItemProcessor",
    );
    check(
        &map(&format!(r#"{processor}, "Iterator": {{}}"#)),
        "$.States.S",
        "not both",
    );
    check(
        &map(&format!(r#"{processor}, "MaxConcurrency": -1"#)),
        "$.States.S.MaxConcurrency",
        "integer",
    );
    check(
        &map(&format!(
            r#"{processor}, "ItemSelector": {{}}, "Parameters": {{}}"#
        )),
        "$.States.S",
        "not both",
    );
    check(
        &map(&format!(
            r#"{processor}, "ToleratedFailurePercentage": 101"#
        )),
        "$.States.S.ToleratedFailurePercentage",
        "0 to 100",
    );
    check(
        &map(&format!(r#"{processor}, "ItemsPath": "items""#)),
        "$.States.S.ItemsPath",
        "must start with '$'",
    );
    check(
        &map(
            r#""ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}"#,
        ),
        "$.States.S.ItemProcessor.ProcessorConfig.ExecutionType",
        "needs ExecutionType",
    );
    check(
        &map(
            r#""ItemProcessor": {"ProcessorConfig": {"Mode": "FAST"}, "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}"#,
        ),
        "$.States.S.ItemProcessor.ProcessorConfig.Mode",
        "INLINE",
    );
}

#[test]
fn all_issues_are_reported_at_once() {
    let definition = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}, "B": {"Type": "Wait", "End": true}}}"#;
    let issues = validate(definition).unwrap_err();
    assert!(issues.len() >= 3, "{issues:?}");
}

#[test]
fn valid_definitions_compile() {
    assert!(validate(include_str!("asl-map.json")).is_ok());
}

#[test]
fn variables_only_where_a_value_is_read() {
    check(
        &one(r#"{"Type": "Pass", "InputPath": "$x", "Next": "Done"}"#),
        "$.States.S.InputPath",
        "cannot read a variable",
    );
    check(
        &one(r#"{"Type": "Pass", "ResultPath": "$x.y", "Next": "Done"}"#),
        "$.States.S.ResultPath",
        "cannot read a variable",
    );
    assert!(validate(&one(
        r#"{"Type": "Pass", "Parameters": {"a.$": "$x.y", "b.$": "States.Format('{}', $x)"}, "Next": "Done"}"#
    ))
    .is_ok());
    assert!(validate(&one(
        r#"{"Type": "Choice", "Choices": [{"Variable": "$x", "IsPresent": true, "Next": "Done"}]}"#
    ))
    .is_ok());
}
