//! Properties: nothing panics, and runs are deterministic.

use proptest::prelude::*;
use serde_json::{json, Value};

use loosely_engine::asl::{validate, Execution, ExecutionContext, MockHandler, Step};
use loosely_engine::{SimRng, SimTime};

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        "[$a-zA-Z.*\\[\\]0-9 (),'{}]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "Pass",
            "Task",
            "Choice",
            "Wait",
            "Succeed",
            "Fail",
            "Parallel",
            "Map",
            "$",
            "$.a",
            "$$.Map.Item.Value",
            "States.ALL",
            "States.Format('{}', $.a)",
            "A",
            "B"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "StartAt",
                    "States",
                    "Type",
                    "Next",
                    "End",
                    "A",
                    "B",
                    "Choices",
                    "Variable",
                    "NumericEquals",
                    "And",
                    "Not",
                    "Default",
                    "Branches",
                    "ItemProcessor",
                    "ItemsPath",
                    "Parameters",
                    "x.$",
                    "Result",
                    "ResultPath",
                    "Retry",
                    "Catch",
                    "ErrorEquals",
                    "Seconds",
                    "Iterator",
                    "InputPath",
                    "OutputPath",
                    "Error",
                    "MaxAttempts"
                ])
                .prop_map(String::from),
                inner,
                0..5
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn drive(machine: loosely_engine::asl::StateMachine, input: Value) -> (Step, u64) {
    let mut execution = Execution::start(machine.into(), input, ExecutionContext::default());
    let mut rng = SimRng::seed_from_u64(3);
    let mut handler = MockHandler::default();
    let mut now = SimTime::ZERO;
    for _ in 0..2_000 {
        match execution.advance(now, &mut rng, &mut handler) {
            Step::Transitioned { .. } => {}
            Step::WaitingUntil(until) => {
                assert!(until >= now, "time never goes back");
                now = until;
            }
            last => return (last, execution.transitions()),
        }
    }
    (Step::WaitingForTasks, execution.transitions())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn validator_never_panics_on_text(text in ".{0,200}") {
        let _ = validate(&text);
    }

    #[test]
    fn validator_and_interpreter_never_panic(definition in arbitrary_json(), input in arbitrary_json()) {
        if let Ok(machine) = validate(&definition.to_string()) {
            let first = drive(machine.clone(), input.clone());
            let second = drive(machine, input);
            prop_assert_eq!(first, second);
        }
    }

    #[test]
    fn pass_machines_with_random_paths_never_panic(
        path in "\\$[a-z.\\[\\]0-9*:'-]{0,10}",
        input in arbitrary_json(),
    ) {
        let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Pass",
            "Parameters": {"x.$": path.clone(), "y.$": format!("States.Array({path})")},
            "InputPath": path.clone(), "End": true}}});
        if let Ok(machine) = validate(&definition.to_string()) {
            let _ = drive(machine, input);
        }
    }

    #[test]
    fn jsonata_machines_with_random_expressions_never_panic(
        parts in prop::collection::vec(prop::sample::select(vec![
            "$states.input", "$states.context.Execution.Name", "$states.result", "$states.errorOutput",
            ".a", ".b", "[0]", "[-1]", "[a > 1]", "$v", "$w", "1", "\"s\"", "+", "-", "*", "&", "=",
            "<", "and", "or", "?", ":", "(", ")", "[", "]", "{", "}", ",", "$count(", "$sum(",
            "$string(", "$uuid()", "$random()", "$now()", "$map(", "function($x){$x}", "..",
            "true", "null", "$exists(", "$partition(", "$range(", "$parse(",
        ]), 0..10),
        input in arbitrary_json(),
    ) {
        let expression = format!("{{% {} %}}", parts.concat());
        let definition = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"v": expression.clone(), "w": 1}, "Output": expression.clone(), "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Condition": expression.clone(), "Assign": {"w": expression.clone()}, "Next": "M"}], "Default": "M"},
            "M": {"Type": "Map", "Items": expression.clone(), "MaxConcurrency": 2,
                "ItemSelector": {"i": "{% $states.context.Map.Item.Index %}", "e": expression.clone()},
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Output": expression.clone(), "End": true}}},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Output": expression.clone(), "Assign": {"v": expression.clone()}, "Next": "F"}],
                "Next": "W"},
            "W": {"Type": "Wait", "Seconds": expression.clone(), "Next": "F"},
            "F": {"Type": "Fail", "Error": expression.clone(), "Cause": expression}}});
        if let Ok(machine) = validate(&definition.to_string()) {
            let first = drive(machine.clone(), input.clone());
            let second = drive(machine, input);
            prop_assert_eq!(first, second);
        }
    }

    #[test]
    fn jsonpath_machines_with_variables_never_panic(
        path in "\\$[a-z.\\[\\]0-9]{0,8}",
        input in arbitrary_json(),
    ) {
        let definition = json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"a.$": path.clone(), "b": 1}, "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": path.clone(), "IsPresent": true, "Assign": {"c.$": path.clone()}, "Next": "P"}], "Default": "P"},
            "P": {"Type": "Pass", "Parameters": {"x.$": path.clone(), "y.$": format!("States.Array({path})")}, "End": true}}});
        if let Ok(machine) = validate(&definition.to_string()) {
            let _ = drive(machine, input);
        }
    }
}

proptest! {
    /// No object body panics a reader: every format answers items or an error.
    #[test]
    fn no_reader_input_panics(
        body in "[a-z0-9,;|\t \"\\[\\]{}:\r\n]{0,80}",
        delimiter in prop::sample::select(vec![',', '|', ';', ' ', '\t']),
        given in prop::option::of(prop::collection::vec("[a-z]{1,3}", 1..4)),
    ) {
        use loosely_engine::asl::distributed::{parse_items, CsvHeader, InputType};
        let header = match given {
            Some(names) => CsvHeader::Given(names),
            None => CsvHeader::FirstRow,
        };
        let csv = InputType::Csv { header, delimiter };
        if let Ok(items) = parse_items(&body, &csv) {
            // Every row became an object of text fields.
            prop_assert!(items.iter().all(|item| item
                .as_object()
                .is_some_and(|fields| fields.values().all(Value::is_string))));
        }
        let _ = parse_items(&body, &InputType::Json);
        let _ = parse_items(&body, &InputType::Jsonl);
    }

    /// Batches keep every item once, in order, within both limits (a batch of one may
    /// exceed the byte limit only as an error).
    #[test]
    fn batches_keep_items_within_limits(
        count in 0usize..40,
        max_items in prop::option::of(1u64..6),
        max_bytes in prop::option::of(12u64..120),
    ) {
        use loosely_engine::asl::distributed::batch;
        let items: Vec<Value> = (0..count).map(|n| json!(n * 37)).collect();
        if let Ok((batches, sizes)) = batch(items.clone(), max_items, max_bytes, None) {
            let flattened: Vec<Value> = batches
                .iter()
                .flat_map(|batch| batch["Items"].as_array().cloned().unwrap_or_default())
                .collect();
            prop_assert_eq!(flattened, items);
            prop_assert_eq!(sizes.iter().sum::<usize>(), count);
            for (batch, size) in batches.iter().zip(&sizes) {
                prop_assert!(*size >= 1);
                prop_assert!(max_items.is_none_or(|max| *size as u64 <= max));
                let bytes = serde_json::to_string(batch).map(|text| text.len()).unwrap_or(0);
                prop_assert!(max_bytes.is_none_or(|max| bytes as u64 <= max));
            }
        }
    }
}
