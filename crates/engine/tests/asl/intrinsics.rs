//! Intrinsic functions, table-driven from the AWS examples.

use serde_json::{json, Value};

use crate::support::{failure, output, pass};

fn eval(expression: &str, input: Value) -> Value {
    let definition = pass(&format!(
        r#""Parameters": {{"r.$": {}}},"#,
        serde_json::to_string(expression).unwrap()
    ));
    output(&definition, input)["r"].clone()
}

fn fails(expression: &str, input: Value) -> String {
    let definition = pass(&format!(
        r#""Parameters": {{"r.$": {}}},"#,
        serde_json::to_string(expression).unwrap()
    ));
    failure(&definition, input).0
}

#[test]
fn examples() {
    let input = json!({"name": "Arnav", "someJson": {"random": "abcdefg"}, "inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9],
        "dup": [1, 2, 3, 3, 3, 3, 3, 3, 4], "s": "{\"number\": 20}", "n": 5, "json1": {"a": {"a1": 1, "a2": 2}, "b": 2},
        "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}});
    let cases: Vec<(&str, Value)> = vec![
        (
            "States.Format('Hello, my name is {}.', $.name)",
            json!("Hello, my name is Arnav."),
        ),
        (
            "States.Format('{} and {} and {}', 1, true, null)",
            json!("1 and true and null"),
        ),
        (
            "States.Format('escaped \\{\\} {}', 'x')",
            json!("escaped {} x"),
        ),
        ("States.StringToJson($.s)", json!({"number": 20})),
        (
            "States.JsonToString($.someJson)",
            json!("{\"random\":\"abcdefg\"}"),
        ),
        (
            "States.Array('Foo', 2020, $.someJson, null)",
            json!(["Foo", 2020, {"random": "abcdefg"}, null]),
        ),
        (
            "States.ArrayPartition($.inputArray, 4)",
            json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]]),
        ),
        ("States.ArrayContains($.inputArray, 5)", json!(true)),
        ("States.ArrayContains($.inputArray, 50)", json!(false)),
        ("States.ArrayRange(1, 9, 2)", json!([1, 3, 5, 7, 9])),
        ("States.ArrayRange(5, 1, -2)", json!([5, 3, 1])),
        ("States.ArrayGetItem($.inputArray, 5)", json!(6)),
        ("States.ArrayLength($.inputArray)", json!(9)),
        ("States.ArrayUnique($.dup)", json!([1, 2, 3, 4])),
        (
            "States.Base64Encode('Data to encode')",
            json!("RGF0YSB0byBlbmNvZGU="),
        ),
        (
            "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')",
            json!("Data to encode"),
        ),
        (
            "States.Hash('input data', 'SHA-1')",
            json!("aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ),
        (
            "States.Hash('abc', 'MD5')",
            json!("900150983cd24fb0d6963f7d28e17f72"),
        ),
        (
            "States.Hash('abc', 'SHA-256')",
            json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ),
        (
            "States.JsonMerge($.json1, $.json2, false)",
            json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}),
        ),
        ("States.MathAdd(111, -1)", json!(110)),
        ("States.MathAdd($.n, 1)", json!(6)),
        (
            "States.StringSplit('1,2,3,4,5', ',')",
            json!(["1", "2", "3", "4", "5"]),
        ),
        (
            "States.StringSplit('This.is+a,test=string', '.+,=')",
            json!(["This", "is", "a", "test", "string"]),
        ),
        (
            "States.ArrayLength(States.Array(1, 2, States.MathAdd(1, 2)))",
            json!(3),
        ),
    ];
    for (expression, expected) in cases {
        assert_eq!(eval(expression, input.clone()), expected, "{expression}");
    }
}

#[test]
fn random_and_uuid() {
    let seeded_a = eval("States.MathRandom(1, 999, 7)", json!({}));
    let seeded_b = eval("States.MathRandom(1, 999, 7)", json!({}));
    assert_eq!(seeded_a, seeded_b);
    let value = eval("States.MathRandom(1, 3)", json!({})).as_i64().unwrap();
    assert!((1..3).contains(&value));
    let uuid = eval("States.UUID()", json!({}));
    let text = uuid.as_str().unwrap();
    assert_eq!(text.len(), 36);
    assert_eq!(text.chars().nth(14), Some('4'));
}

#[test]
fn argument_checks_raise_intrinsic_failure() {
    let cases = [
        "States.Format('{} {}', 1)",
        "States.Format('{}', $.obj)",
        "States.StringToJson('not json')",
        "States.ArrayPartition($.arr, 0)",
        "States.ArrayRange(1, 2, 0)",
        "States.ArrayRange(0, 5000, 1)",
        "States.ArrayGetItem($.arr, -1)",
        "States.ArrayLength($.obj)",
        "States.Base64Decode('!!!!')",
        "States.Hash('x', 'SHA-3')",
        "States.JsonMerge($.obj, $.obj, true)",
        "States.MathRandom(5, 5)",
        "States.MathAdd(1.5, 1)",
        "States.MathAdd(3000000000, 1)",
        "States.ArrayLength($.missing)",
    ];
    for expression in cases {
        assert_eq!(
            fails(expression, json!({"obj": {"a": 1}, "arr": [1, 2]})),
            "States.IntrinsicFailure",
            "{expression}"
        );
    }
}
