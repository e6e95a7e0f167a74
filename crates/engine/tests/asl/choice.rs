//! Choice rules: every operator, combinators, Default and NoChoiceMatched.

use serde_json::{json, Value};

use crate::support::{failure, output};

fn chooses(rule: &str, input: Value) -> bool {
    let definition = format!(
        r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{{ {rule}, "Next": "Yes" }}], "Default": "No"}},
        "Yes": {{"Type": "Pass", "Result": true, "End": true}}, "No": {{"Type": "Pass", "Result": false, "End": true}}}}}}"#
    );
    output(&definition, input) == json!(true)
}

#[test]
fn canonical_example() {
    let definition = r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
        {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
        {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
        {"And": [{"Variable": "$.value", "NumericGreaterThanEquals": 20}, {"Variable": "$.value", "NumericLessThan": 30}], "Next": "ValueInTwenties"}],
        "Default": "DefaultState"},
      "Public": {"Type": "Pass", "Result": "Public", "End": true},
      "ValueIsZero": {"Type": "Pass", "Result": "ValueIsZero", "End": true},
      "ValueInTwenties": {"Type": "Pass", "Result": "ValueInTwenties", "End": true},
      "DefaultState": {"Type": "Fail", "Error": "NoMatch"}}}"#;
    assert_eq!(
        output(definition, json!({"type": "Private", "value": 22})),
        json!("ValueInTwenties")
    );
    assert_eq!(
        output(definition, json!({"type": "Public", "value": 22})),
        json!("Public")
    );
    assert_eq!(
        failure(definition, json!({"type": "Private", "value": 99})).0,
        "NoMatch"
    );
}

#[test]
fn operator_table() {
    let input = json!({"s": "b", "n": 5, "f": 2.5, "t": true, "ts": "2016-08-18T17:33:00Z", "z": null,
        "other": {"s": "b", "n": 5, "t": true, "ts": "2016-08-18T17:33:00Z", "later": "2017-01-01T00:00:00Z"}});
    let cases: &[(&str, bool)] = &[
        (r#""Variable": "$.s", "StringEquals": "b""#, true),
        (r#""Variable": "$.s", "StringEquals": "c""#, false),
        (r#""Variable": "$.s", "StringLessThan": "c""#, true),
        (r#""Variable": "$.s", "StringGreaterThan": "a""#, true),
        (r#""Variable": "$.s", "StringLessThanEquals": "b""#, true),
        (
            r#""Variable": "$.s", "StringGreaterThanEquals": "c""#,
            false,
        ),
        (
            r#""Variable": "$.s", "StringEqualsPath": "$.other.s""#,
            true,
        ),
        (
            r#""Variable": "$.s", "StringLessThanPath": "$.other.s""#,
            false,
        ),
        (r#""Variable": "$.n", "StringEquals": "5""#, false),
        (r#""Variable": "$.n", "NumericEquals": 5"#, true),
        (r#""Variable": "$.f", "NumericLessThan": 3"#, true),
        (r#""Variable": "$.n", "NumericGreaterThan": 5"#, false),
        (r#""Variable": "$.n", "NumericLessThanEquals": 5"#, true),
        (r#""Variable": "$.n", "NumericGreaterThanEquals": 6"#, false),
        (
            r#""Variable": "$.n", "NumericEqualsPath": "$.other.n""#,
            true,
        ),
        (
            r#""Variable": "$.f", "NumericGreaterThanPath": "$.other.n""#,
            false,
        ),
        (r#""Variable": "$.s", "NumericEquals": 5"#, false),
        (r#""Variable": "$.t", "BooleanEquals": true"#, true),
        (
            r#""Variable": "$.t", "BooleanEqualsPath": "$.other.t""#,
            true,
        ),
        (
            r#""Variable": "$.ts", "TimestampEquals": "2016-08-18T17:33:00Z""#,
            true,
        ),
        (
            r#""Variable": "$.ts", "TimestampLessThan": "2016-08-18T17:33:01Z""#,
            true,
        ),
        (
            r#""Variable": "$.ts", "TimestampGreaterThan": "2016-08-18T17:33:01Z""#,
            false,
        ),
        (
            r#""Variable": "$.ts", "TimestampLessThanEqualsPath": "$.other.later""#,
            true,
        ),
        (
            r#""Variable": "$.ts", "TimestampGreaterThanEqualsPath": "$.other.ts""#,
            true,
        ),
        (
            r#""Variable": "$.s", "TimestampEquals": "2016-08-18T17:33:00Z""#,
            false,
        ),
        (
            r#""Variable": "$.ts", "StringEquals": "2016-08-18T17:33:00Z""#,
            true,
        ),
        (r#""Variable": "$.z", "IsNull": true"#, true),
        (r#""Variable": "$.s", "IsNull": true"#, false),
        (r#""Variable": "$.s", "IsPresent": true"#, true),
        (r#""Variable": "$.nope", "IsPresent": true"#, false),
        (r#""Variable": "$.nope", "IsPresent": false"#, true),
        (r#""Variable": "$.n", "IsNumeric": true"#, true),
        (r#""Variable": "$.s", "IsString": true"#, true),
        (r#""Variable": "$.t", "IsBoolean": true"#, true),
        (r#""Variable": "$.ts", "IsTimestamp": true"#, true),
        (r#""Variable": "$.s", "IsTimestamp": false"#, true),
        (r#""Variable": "$.s", "StringMatches": "*""#, true),
        (r#""Variable": "$.ts", "StringMatches": "2016-*Z""#, true),
        (r#""Variable": "$.s", "StringMatches": "a*""#, false),
        (
            r#""Or": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericEquals": 5}]"#,
            true,
        ),
        (
            r#""And": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericEquals": 5}]"#,
            false,
        ),
        (r#""Not": {"Variable": "$.n", "NumericEquals": 1}"#, true),
        (
            r#""And": [{"Variable": "$.nope", "IsPresent": true}, {"Variable": "$.nope", "NumericEquals": 1}]"#,
            false,
        ),
    ];
    for (rule, expected) in cases {
        assert_eq!(chooses(rule, input.clone()), *expected, "{rule}");
    }
}

#[test]
fn string_matches_escapes() {
    let input = json!({"s": "a*b", "t": "axb"});
    assert!(chooses(
        r#""Variable": "$.s", "StringMatches": "a\\*b""#,
        input.clone()
    ));
    assert!(!chooses(
        r#""Variable": "$.t", "StringMatches": "a\\*b""#,
        input
    ));
}

#[test]
fn strings_compare_by_utf16_code_units() {
    // U+FF61 sorts after U+1F600 by code point but before it in UTF-16 (surrogates D83D…).
    assert!(!chooses(
        r#""Variable": "$.s", "StringLessThan": "😀""#,
        json!({"s": "\u{FF61}"})
    ));
}

#[test]
fn no_match_and_missing_variable() {
    let definition = r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
        {"Variable": "$.n", "NumericEquals": 1, "Next": "D"}]}, "D": {"Type": "Succeed"}}}"#;
    assert_eq!(
        failure(definition, json!({"n": 2})).0,
        "States.NoChoiceMatched"
    );
    assert_eq!(failure(definition, json!({})).0, "States.Runtime");
}

#[test]
fn rules_read_the_context_object() {
    // `$$` in `Variable` and in a `...Path` operand reads the context object, not the input.
    assert!(chooses(
        r#""Variable": "$$.State.Name", "StringEquals": "C""#,
        json!({})
    ));
    assert!(chooses(
        r#""Variable": "$.y", "NumericEqualsPath": "$$.Execution.Input.x""#,
        json!({"x": 5, "y": 5})
    ));
    assert!(!chooses(
        r#""Variable": "$.y", "NumericEqualsPath": "$$.Execution.Input.x""#,
        json!({"x": 5, "y": 6})
    ));
    assert!(chooses(
        r#""Variable": "$$.Execution.Input.missing", "IsPresent": false"#,
        json!({"x": 1})
    ));
}
