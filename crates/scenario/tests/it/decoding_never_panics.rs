//! Decoding never panics: arbitrary text and arbitrary JSON go through from_json, validate,
//! lower and build without a panic.

use loosely_scenario::Scenario;
use proptest::prelude::*;
use serde_json::Value;

use crate::example_files;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![
            Just("sqs_queue".to_string()),
            Just("producer".to_string()),
            Just("consumer".to_string()),
            Just("arn:aws:sqs:us-east-1:1:q".to_string()),
            ".{0,12}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("version".to_string()),
                    Just("components".to_string()),
                    Just("id".to_string()),
                    Just("kind".to_string()),
                    Just("parameters".to_string()),
                    Just("connections".to_string()),
                    "[a-zA-Z_]{1,12}",
                ],
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn exercise(text: &str) {
    if let Ok(scenario) = Scenario::from_json(text) {
        let _ = scenario.validate();
        let _ = scenario.to_json_pretty();
        if let Ok(mut built) = scenario.build() {
            built
                .simulation
                .run_until(loosely_engine::SimTime::from_secs(1));
        }
    }
}

/// A leaf of the example replaced by another value, anywhere in the tree.
fn mutate(value: &mut Value, choice: &mut u64, replacement: &Value) {
    let mut seen = 0u64;
    fn walk(value: &mut Value, target: u64, seen: &mut u64, replacement: &Value) {
        if *seen == target {
            *value = replacement.clone();
            *seen += 1;
            return;
        }
        *seen += 1;
        match value {
            Value::Array(items) => items
                .iter_mut()
                .for_each(|item| walk(item, target, seen, replacement)),
            Value::Object(map) => map
                .values_mut()
                .for_each(|item| walk(item, target, seen, replacement)),
            _ => {}
        }
    }
    let mut count = 0u64;
    fn size(value: &Value, count: &mut u64) {
        *count += 1;
        match value {
            Value::Array(items) => items.iter().for_each(|item| size(item, count)),
            Value::Object(map) => map.values().for_each(|item| size(item, count)),
            _ => {}
        }
    }
    size(value, &mut count);
    let target = *choice % count.max(1);
    walk(value, target, &mut seen, replacement);
    *choice /= count.max(1);
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        exercise(&text);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        exercise(&value.to_string());
        let mut scenario = serde_json::json!({"version": 1, "components": []});
        scenario["components"] = Value::Array(vec![value]);
        exercise(&scenario.to_string());
    }

    #[test]
    fn mutated_examples_never_panic(
        example in 0usize..100,
        mut choice in any::<u64>(),
        replacements in prop::collection::vec(json_value(), 1..4),
    ) {
        let files = example_files();
        // The benchmark is too big to run in a property test; the others run for a second.
        let files: Vec<_> = files.iter().filter(|f| !f.to_string_lossy().contains("bench")).collect();
        let file = files[example % files.len()];
        let text = std::fs::read_to_string(file).expect("readable example");
        let mut value: Value = serde_json::from_str(&text).expect("JSON");
        for replacement in &replacements {
            mutate(&mut value, &mut choice, replacement);
        }
        exercise(&value.to_string());
    }
}
