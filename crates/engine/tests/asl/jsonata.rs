//! The JSONata evaluator, with the examples of the Step Functions guide and of the JSONata
//! documentation.

use loosely_engine::asl::jsonata::{Environment, Expression};
use loosely_engine::SimRng;
use proptest::prelude::*;
use serde_json::{json, Value};

/// 2024-11-22T10:00:00Z, in microseconds since the epoch.
const NOW: i64 = 1_732_269_600_000_000;

fn evaluate_with(text: &str, input: &Value, rng: &mut SimRng) -> Result<Option<Value>, String> {
    let expression = Expression::parse(text)?;
    let states = json!({"input": input, "context": {"Execution": {"Name": "run-1"}}});
    let variables = |name: &str| match name {
        "states" => Some(states.clone()),
        "total" => Some(json!(42)),
        _ => None,
    };
    let mut env = Environment {
        variables: &variables,
        rng,
        now_epoch_micros: NOW,
    };
    expression.evaluate(&mut env)
}

fn evaluate(text: &str, input: &Value) -> Result<Option<Value>, String> {
    evaluate_with(text, input, &mut SimRng::seed_from_u64(1))
}

fn order() -> Value {
    json!({
        "customer": {"name": "Jane Doe", "email": "jane@example.com", "age": 31},
        "items": [
            {"sku": "A1", "price": 5, "qty": 2},
            {"sku": "B2", "price": 12.5, "qty": 1},
            {"sku": "C3", "price": 30, "qty": 4}
        ],
        "tags": ["new", "priority"],
        "json_string": "{\"key\": \"value\", \"n\": [1, 2]}",
        "type": "Private",
        "value": 22
    })
}

#[test]
fn evaluates_the_documented_examples() {
    let cases: &[(&str, Value)] = &[
        // Paths and $states.
        ("$states.input.customer.name", json!("Jane Doe")),
        ("$states.input.items.sku", json!(["A1", "B2", "C3"])),
        ("$states.input.items[0].sku", json!("A1")),
        ("$states.input.items[-1].sku", json!("C3")),
        ("$states.input.items[price > 10].sku", json!(["B2", "C3"])),
        (
            "$states.input.items[qty = 1]",
            json!({"sku": "B2", "price": 12.5, "qty": 1}),
        ),
        ("$states.input.tags", json!(["new", "priority"])),
        // Object keys come in the order serde_json keeps them (sorted).
        (
            "$states.input.customer.*",
            json!([31, "jane@example.com", "Jane Doe"]),
        ),
        ("$states.context.Execution.Name", json!("run-1")),
        ("$total", json!(42)),
        // Operators.
        (
            "$states.input.value >= 20 and $states.input.value < 30",
            json!(true),
        ),
        ("$states.input.type = \"Private\"", json!(true)),
        ("$states.input.type != 'Private' or false", json!(false)),
        (
            "$states.input.customer.name & \" is \" & $states.input.customer.age",
            json!("Jane Doe is 31"),
        ),
        ("1 + 2 * 3 - 4 / 2", json!(5)),
        ("7 % 3", json!(1)),
        ("-$states.input.value", json!(-22)),
        ("\"new\" in $states.input.tags", json!(true)),
        (
            "$states.input.value > 100 ? \"big\" : \"small\"",
            json!("small"),
        ),
        ("[1..5]", json!([1, 2, 3, 4, 5])),
        ("[1, [2, 3], 4]", json!([1, [2, 3], 4])),
        (
            "{\"n\": $count($states.input.items), \"first\": $states.input.items[0].sku}",
            json!({"n": 3, "first": "A1"}),
        ),
        ("($x := 3; $y := $x * 2; $x + $y)", json!(9)),
        ("$states.input.items.(price * qty)", json!([10, 12.5, 120])),
        ("$sum($states.input.items.(price * qty))", json!(142.5)),
        ("\"hello\" ~> $uppercase()", json!("HELLO")),
        // Aggregation and numbers.
        ("$count($states.input.items)", json!(3)),
        ("$sum($states.input.items.price)", json!(47.5)),
        ("$max($states.input.items.price)", json!(30)),
        ("$min($states.input.items.price)", json!(5)),
        ("$average([1, 2, 3, 4])", json!(2.5)),
        ("$round(2.5)", json!(2)),
        ("$round(3.5)", json!(4)),
        ("$round(12.34567, 2)", json!(12.35)),
        ("$floor(-1.5)", json!(-2)),
        ("$abs(-7)", json!(7)),
        ("$power(2, 10)", json!(1024)),
        ("$sqrt(16)", json!(4)),
        ("$number(\"12.5\")", json!(12.5)),
        // Strings.
        ("$string($states.input.customer.age)", json!("31")),
        ("$string({\"a\": [1, 2]})", json!("{\"a\":[1,2]}")),
        ("$length(\"Step Functions\")", json!(14)),
        ("$substring(\"Step Functions\", 5)", json!("Functions")),
        ("$substring(\"Step Functions\", 0, 4)", json!("Step")),
        ("$substring(\"Step Functions\", -9, 3)", json!("Fun")),
        (
            "$substringBefore($states.input.customer.email, \"@\")",
            json!("jane"),
        ),
        (
            "$substringAfter($states.input.customer.email, \"@\")",
            json!("example.com"),
        ),
        ("$lowercase(\"ABC\")", json!("abc")),
        ("$trim(\"  a   b  \")", json!("a b")),
        ("$pad(\"7\", -3, \"0\")", json!("007")),
        ("$contains(\"abracadabra\", \"cad\")", json!(true)),
        (
            "$split(\"1,2,3,4,5\", \",\")",
            json!(["1", "2", "3", "4", "5"]),
        ),
        ("$join($states.input.tags, \"|\")", json!("new|priority")),
        ("$replace(\"a-b-c\", \"-\", \"+\")", json!("a+b+c")),
        (
            "$base64encode(\"Data to encode\")",
            json!("RGF0YSB0byBlbmNvZGU="),
        ),
        (
            "$base64decode(\"RGF0YSB0byBlbmNvZGU=\")",
            json!("Data to encode"),
        ),
        // Booleans, arrays, objects.
        ("$boolean(\"\")", json!(false)),
        ("$not(0)", json!(true)),
        ("$exists($states.input.missing)", json!(false)),
        ("$append([1, 2], [3])", json!([1, 2, 3])),
        ("$reverse([1, 2, 3])", json!([3, 2, 1])),
        (
            "$distinct([1, 2, 3, 3, 3, 3, 3, 3, 4])",
            json!([1, 2, 3, 4]),
        ),
        ("$sort([3, 1, 2])", json!([1, 2, 3])),
        (
            "$sort($states.input.items, function($a, $b) { $a.price < $b.price }).sku",
            json!(["C3", "B2", "A1"]),
        ),
        ("$zip([1, 2, 3], [4, 5])", json!([[1, 4], [2, 5]])),
        (
            "$keys($states.input.customer)",
            json!(["age", "email", "name"]),
        ),
        (
            "$lookup($states.input.customer, \"email\")",
            json!("jane@example.com"),
        ),
        (
            "$merge([{\"a\": 1}, {\"b\": 2}, {\"a\": 3}])",
            json!({"a": 3, "b": 2}),
        ),
        ("$type($states.input.tags)", json!("array")),
        (
            "$map([1, 2, 3], function($v) { $v * 10 })",
            json!([10, 20, 30]),
        ),
        (
            "$filter($states.input.items, function($i) { $i.qty > 1 }).sku",
            json!(["A1", "C3"]),
        ),
        (
            "$reduce([1, 2, 3, 4], function($acc, $v) { $acc + $v })",
            json!(10),
        ),
        (
            "$reduce([1, 2, 3], function($acc, $v) { $acc + $v }, 10)",
            json!(16),
        ),
        (
            "$each({\"a\": 1, \"b\": 2}, function($v, $k) { $k & \"=\" & $v })",
            json!(["a=1", "b=2"]),
        ),
        ("$single([1, 2, 3], function($v) { $v = 2 })", json!(2)),
        // The Step Functions functions.
        (
            "$partition([1, 2, 3, 4, 5, 6, 7, 8, 9], 4)",
            json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]]),
        ),
        ("$range(0, 10, 2)", json!([0, 2, 4, 6, 8, 10])),
        ("$range(5, 1, -2)", json!([5, 3, 1])),
        (
            "$hash(\"input data\", \"SHA-256\")",
            json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
        ),
        (
            "$parse($states.input.json_string)",
            json!({"key": "value", "n": [1, 2]}),
        ),
        ("$parse($states.input.json_string).n[1]", json!(2)),
        // The virtual clock.
        ("$now()", json!("2024-11-22T10:00:00.000Z")),
        ("$millis()", json!(1_732_269_600_000_i64)),
        (
            "$toMillis(\"2024-11-22T10:00:01Z\")",
            json!(1_732_269_601_000_i64),
        ),
        (
            "$fromMillis(1732269601500)",
            json!("2024-11-22T10:00:01.500Z"),
        ),
    ];
    let input = order();
    let mut failures = Vec::new();
    for (text, expected) in cases {
        match evaluate(text, &input) {
            Ok(Some(value)) if value == *expected => {}
            other => failures.push(format!("{text}: expected {expected}, got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_missing_field_is_undefined_and_undefined_propagates() {
    let input = order();
    for text in [
        "$states.input.missing",
        "$states.input.missing.deeper",
        "$states.input.items[price > 1000]",
        "$states.input.missing + 1",
        "$unknownVariable",
    ] {
        assert_eq!(evaluate(text, &input), Ok(None), "{text}");
    }
}

#[test]
fn type_errors_are_errors_with_a_reason() {
    let input = order();
    for (text, needle) in [
        ("$states.input.customer.name + 1", "must be a number"),
        ("$states.input.tags < 3", "two numbers or two strings"),
        ("$sum($states.input.tags)", "only numbers"),
        ("$number(\"twelve\")", "cannot convert"),
        ("$nothing()", "not a function"),
        ("$range(1, 5000, 1)", "more than 1000"),
        ("$hash(\"x\", \"CRC32\")", "unsupported hash algorithm"),
        ("$parse(\"{\")", "not JSON"),
        ("$single([1, 2], function($v) { true })", "more than one"),
    ] {
        match evaluate(text, &input) {
            Err(message) => assert!(message.contains(needle), "{text}: {message}"),
            other => panic!("{text}: expected an error, got {other:?}"),
        }
    }
}

#[test]
fn parse_errors_name_the_problem() {
    for (text, needle) in [
        ("", "empty"),
        ("$states.input.", "ends too early"),
        ("(1 + 2", "expected ')'"),
        ("'open", "not closed"),
        ("$match(\"a\", /a/)", "not supported"),
        ("$eval(\"1\")", "not supported"),
        ("1 2", "unexpected"),
        ("$states.input ~> | $ | {} |", "not supported"),
    ] {
        match Expression::parse(text) {
            Err(message) => assert!(message.contains(needle), "{text}: {message}"),
            Ok(parsed) => panic!("{text}: parsed as {parsed:?}"),
        }
    }
}

#[test]
fn random_and_uuid_come_from_the_simulation_stream() {
    let input = json!({});
    let draw = |seed| {
        let mut rng = SimRng::seed_from_u64(seed);
        (
            evaluate_with("$random()", &input, &mut rng),
            evaluate_with("$uuid()", &input, &mut rng),
        )
    };
    assert_eq!(draw(9), draw(9));
    assert_ne!(draw(9), draw(10));
    let (random, uuid) = draw(9);
    let random = random.unwrap().unwrap().as_f64().unwrap();
    assert!((0.0..1.0).contains(&random));
    let uuid = uuid.unwrap().unwrap();
    let uuid = uuid.as_str().unwrap();
    assert_eq!(uuid.len(), 36);
    assert_eq!(uuid.chars().nth(14), Some('4'));
    // A seeded $random is the same whatever the stream.
    let seeded = |seed| evaluate_with("$random(42)", &input, &mut SimRng::seed_from_u64(seed));
    assert_eq!(seeded(1), seeded(2));
}

#[test]
fn runaway_expressions_stop_with_an_error() {
    let input = json!({});
    for text in [
        "($f := function($n) { $f($n + 1) }; $f(0))",
        "($f := function($s, $n) { $n = 0 ? $s : $f($s & $s, $n - 1) }; $f(\"x\", 30))",
        "[1..100000000]",
        "$map([1..90000], function($v) { $map([1..90000], function($w) { $w }) })",
    ] {
        assert!(evaluate(text, &input).is_err(), "{text}");
    }
    let deep = format!("{}1{}", "(".repeat(500), ")".repeat(500));
    assert!(Expression::parse(&deep).is_err());
    let deep_array = format!("{}1{}", "[".repeat(500), "]".repeat(500));
    assert!(Expression::parse(&deep_array).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_expression_panics(text in "[$a-z0-9 .,;:?()\\[\\]{}'\"+*/%<>=!&~-]{0,40}") {
        let _ = evaluate(&text, &order());
    }

    #[test]
    fn no_expression_of_known_words_panics(parts in prop::collection::vec(prop::sample::select(vec![
        "$states", ".input", ".items", "[", "]", "(", ")", "{", "}", "$count(", "$sum(", "$map(",
        "function($x)", "{ $x }", "$x", ":=", ";", ",", "..", "1", "-2", "\"s\"", "+", "&", "=",
        "and", "or", "?", ":", "~>", "$string(", "$sort(", "$reduce(", "*", "price", "> 10",
        "$partition(", "$range(", "$parse(", "$random(", "$uuid()", "$now()", "in", "null",
    ]), 0..24)) {
        let text: String = parts.concat();
        let _ = evaluate(&text, &order());
    }
}
