//! Distributed Map: ItemReader, ItemBatcher, ResultWriter and the tolerance paths.

use serde_json::{json, Value};

use loosely_engine::asl::distributed::{
    batch, check_bucket_name, list_items, parse_csv, parse_items, result_files, ChildRecord,
    ChildStatus, CsvHeader, InputType, MapRunNames, OutputType, Transformation, WriterConfig,
};
use loosely_engine::asl::StatesError;
use loosely_engine::asl::{validate, Buckets, MockHandler, ObjectStore, Step};

use crate::support::run_with;

/// A Distributed Map with the given fields and a child that fails on items whose `fail`
/// is "yes" (or `true`), or passes its input through.
fn machine(fields: &str) -> String {
    format!(
        r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", {fields}
        "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}, "StartAt": "C", "States": {{
            "C": {{"Type": "Choice", "Choices": [{{"Or": [
                {{"And": [{{"Variable": "$.fail", "IsPresent": true}}, {{"Variable": "$.fail", "StringEquals": "yes"}}]}},
                {{"And": [{{"Variable": "$.fail", "IsPresent": true}}, {{"Variable": "$.fail", "IsBoolean": true}}, {{"Variable": "$.fail", "BooleanEquals": true}}]}}
            ], "Next": "F"}}], "Default": "P"}},
            "F": {{"Type": "Fail", "Error": "Bad", "Cause": "a bad order"}},
            "P": {{"Type": "Pass", "End": true}}}}}}, "End": true}}}}}}"#
    )
}

fn buckets(objects: &[(&str, &str, &str)]) -> Buckets {
    let mut buckets = Buckets::new();
    for (bucket, key, body) in objects {
        buckets.insert(bucket, key, body, 1_704_067_200);
    }
    buckets
}

fn run_in(definition: &str, input: Value, store: Buckets) -> (Step, MockHandler) {
    let mut handler = MockHandler::default().with_buckets(store);
    let outcome = run_with(definition, input, &mut handler);
    (outcome.last, handler)
}

fn succeeded(step: Step) -> Value {
    match step {
        Step::Succeeded { output } => output,
        other => panic!("expected success, got {other:?}"),
    }
}

fn failed(step: Step) -> (String, String) {
    match step {
        Step::Failed { error, cause } => (error, cause),
        other => panic!("expected failure, got {other:?}"),
    }
}

const ORDERS_CSV: &str = "id,amount,fail\n1,10,no\n2,20,no\n3,30,yes\n";

#[test]
fn reader_formats() {
    let csv = InputType::Csv {
        header: CsvHeader::FirstRow,
        delimiter: ',',
    };
    let cases: Vec<(&str, InputType, &str, Value)> = vec![
        (
            "JSON array",
            InputType::Json,
            r#"[1, {"a": 2}]"#,
            json!([1, {"a": 2}]),
        ),
        ("JSON empty", InputType::Json, "[]", json!([])),
        (
            "JSONL with a blank line",
            InputType::Jsonl,
            "{\"a\":1}\n\n{\"a\":2}\r\n",
            json!([{"a": 1}, {"a": 2}]),
        ),
        (
            "CSV first row",
            csv.clone(),
            "id,name\n1,ann\r\n2,bob\n",
            json!([{"id": "1", "name": "ann"}, {"id": "2", "name": "bob"}]),
        ),
        (
            "CSV quotes, delimiters and line breaks in a field",
            csv.clone(),
            "id,note\n1,\"a, \"\"quoted\"\"\nnote\"\n",
            json!([{"id": "1", "note": "a, \"quoted\"\nnote"}]),
        ),
        (
            "CSV empty fields",
            csv.clone(),
            "a,b,c\n,,\n",
            json!([{"a": "", "b": "", "c": ""}]),
        ),
        ("CSV header only", csv, "a,b\n", json!([])),
        (
            "CSV given headers, semicolons",
            InputType::Csv {
                header: CsvHeader::Given(vec!["x".into(), "y".into()]),
                delimiter: ';',
            },
            "1;2\n3;4",
            json!([{"x": "1", "y": "2"}, {"x": "3", "y": "4"}]),
        ),
        (
            "CSV tabs",
            InputType::Csv {
                header: CsvHeader::FirstRow,
                delimiter: '\t',
            },
            "a\tb\n1,5\t2\n",
            json!([{"a": "1,5", "b": "2"}]),
        ),
    ];
    for (name, input, body, expected) in cases {
        assert_eq!(
            parse_items(body, &input).map(Value::Array),
            Ok(expected),
            "{name}"
        );
    }
}

#[test]
fn reader_format_errors_name_the_problem() {
    let csv = InputType::Csv {
        header: CsvHeader::FirstRow,
        delimiter: ',',
    };
    let cases: Vec<(&str, InputType, &str, &str)> = vec![
        (
            "JSON object",
            InputType::Json,
            r#"{"a": 1}"#,
            "must hold an array, it holds an object",
        ),
        ("JSON broken", InputType::Json, "[1,", "not valid JSON"),
        (
            "JSONL broken line",
            InputType::Jsonl,
            "1\n{\n",
            "line 2 is not valid JSON",
        ),
        (
            "CSV short row",
            csv.clone(),
            "a,b\n1\n",
            "has 1 field(s), the header names 2",
        ),
        (
            "CSV open quote",
            csv.clone(),
            "a\n\"x\n",
            "a quoted field is not closed",
        ),
        (
            "CSV text after a quote",
            csv,
            "a\n\"x\"y\n",
            "after a closing quote",
        ),
    ];
    for (name, input, body, expected) in cases {
        let error = parse_items(body, &input).expect_err(name);
        assert!(error.contains(expected), "{name}: {error}");
    }
    let long_header = format!("{}\n", "h".repeat(10 * 1024 + 1));
    let error = parse_items(
        &long_header,
        &InputType::Csv {
            header: CsvHeader::FirstRow,
            delimiter: ',',
        },
    )
    .expect_err("a header over 10 KiB");
    assert!(error.contains("10240"), "{error}");
}

#[test]
fn csv_rows_keep_their_fields() {
    assert_eq!(
        parse_csv("a|\"b|c\"\n\n|\n", '|'),
        Ok(vec![
            vec!["a".to_string(), "b|c".to_string()],
            vec![String::new(), String::new()]
        ])
    );
}

#[test]
fn batches_respect_item_and_byte_limits() {
    let items: Vec<Value> = (0..7).map(|n| json!(n)).collect();
    // Count only: 3 + 3 + 1.
    let (batches, sizes) = batch(items.clone(), Some(3), None, None).unwrap();
    assert_eq!(sizes, vec![3, 3, 1]);
    assert_eq!(batches[0], json!({"Items": [0, 1, 2]}));
    assert_eq!(batches[2], json!({"Items": [6]}));
    // Bytes only: `{"Items":[0,1,2]}` is 17 bytes; a limit of 17 holds 3 one-digit items.
    let (batches, sizes) = batch(items.clone(), None, Some(17), None).unwrap();
    assert_eq!(sizes, vec![3, 3, 1]);
    for batch in &batches {
        assert!(serde_json::to_string(batch).unwrap().len() <= 17);
    }
    // Both: the tighter wins.
    let (_, sizes) = batch(items.clone(), Some(2), Some(17), None).unwrap();
    assert_eq!(sizes, vec![2, 2, 2, 1]);
    // BatchInput counts toward the bytes and is in every batch.
    let (batches, sizes) = batch(items.clone(), None, Some(40), Some(&json!({"k": "v"}))).unwrap();
    // `{"BatchInput":{"k":"v"},"Items":[0,1,2]}` is 40 bytes.
    assert_eq!(
        batches[0],
        json!({"BatchInput": {"k": "v"}, "Items": [0, 1, 2]})
    );
    assert_eq!(sizes, vec![3, 3, 1]);
    assert_eq!(
        serde_json::to_string(&batches[0]).unwrap().len(),
        40,
        "filled to the byte"
    );
    // An item larger than a batch can hold.
    let error = batch(vec![json!("a long string")], None, Some(20), None).unwrap_err();
    assert!(error.contains("item 0 is 15 bytes"), "{error}");
    // No items, no batches.
    assert_eq!(
        batch(Vec::new(), Some(5), None, None).unwrap().0,
        Vec::<Value>::new()
    );
}

#[test]
fn list_objects_items_are_shaped_as_aws_gives_them() {
    let store = buckets(&[
        ("photos", "2024/a.jpg", "abc"),
        ("photos", "2024/b.jpg", ""),
        ("photos", "2025/c.jpg", "x"),
    ]);
    let listed = store.list_objects("photos", "2024/").unwrap();
    assert_eq!(
        Value::Array(list_items(&listed)),
        json!([
            {"Etag": "\"900150983cd24fb0d6963f7d28e17f72\"", "Key": "2024/a.jpg", "LastModified": 1_704_067_200, "Size": 3, "StorageClass": "STANDARD"},
            {"Etag": "\"d41d8cd98f00b204e9800998ecf8427e\"", "Key": "2024/b.jpg", "LastModified": 1_704_067_200, "Size": 0, "StorageClass": "STANDARD"}
        ])
    );
    assert_eq!(store.list_objects("photos", "").unwrap().len(), 3);
    assert_eq!(
        store.list_objects("other", "").unwrap_err().code,
        "NoSuchBucket"
    );
    assert_eq!(
        store.get_object("photos", "nope").unwrap_err().code,
        "NoSuchKey"
    );
}

#[test]
fn bucket_names_follow_s3_rules() {
    for good in ["orders", "my.bucket-1", "a1b"] {
        assert_eq!(check_bucket_name(good), Ok(()), "{good}");
    }
    for (bad, why) in [
        ("ab", "3 to 63"),
        ("Orders", "lowercase"),
        ("-orders", "begins and ends"),
        ("a..b", "adjacent dots"),
        ("192.168.5.4", "IP address"),
        ("xn--abc", "reserved prefix"),
        ("logs-s3alias", "reserved suffix"),
    ] {
        let message = check_bucket_name(bad).unwrap_err();
        assert!(message.contains(why), "{bad}: {message}");
    }
}

#[test]
fn csv_reader_with_batches_and_result_writer() {
    let definition = machine(
        r#""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            "Parameters": {"Bucket": "orders", "Key.$": "$.key"}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix": "runs"}},
        "ToleratedFailureCountPath": "$.tolerated","#,
    );
    let mut store = buckets(&[("orders", "in/orders.csv", ORDERS_CSV)]);
    store.create_bucket("results");
    let (step, handler) = run_in(
        &definition,
        json!({"key": "in/orders.csv", "tolerated": 1}),
        store,
    );
    let output = succeeded(step);
    let arn = output["MapRunArn"].as_str().unwrap().to_string();
    assert!(
        arn.starts_with("arn:aws:states:us-east-1:123456789012:mapRun:machine/M:"),
        "{arn}"
    );
    let id = arn.rsplit(':').next().unwrap();
    assert_eq!(
        output["ResultWriterDetails"],
        json!({"Bucket": "results", "Key": format!("runs/{id}/manifest.json")})
    );
    let written: Vec<(String, String)> = handler
        .buckets()
        .objects("results")
        .map(|(key, object)| (key.to_string(), object.body.to_string()))
        .collect();
    let keys: Vec<&str> = written.iter().map(|(key, _)| key.as_str()).collect();
    assert_eq!(
        keys,
        vec![
            format!("runs/{id}/FAILED_0.json"),
            format!("runs/{id}/SUCCEEDED_0.json"),
            format!("runs/{id}/manifest.json")
        ]
    );
    let manifest: Value = serde_json::from_str(&written[2].1).unwrap();
    assert_eq!(manifest["DestinationBucket"], json!("results"));
    assert_eq!(manifest["MapRunArn"], json!(arn));
    assert_eq!(manifest["ResultFiles"]["PENDING"], json!([]));
    assert_eq!(
        manifest["ResultFiles"]["SUCCEEDED"],
        json!([{"Key": format!("runs/{id}/SUCCEEDED_0.json"), "Size": written[1].1.len()}])
    );
    let succeeded_file: Value = serde_json::from_str(&written[1].1).unwrap();
    let first = &succeeded_file[0];
    assert_eq!(first["Status"], json!("SUCCEEDED"));
    assert_eq!(
        first["Input"],
        json!(r#"{"amount":"10","fail":"no","id":"1"}"#)
    );
    assert_eq!(first["Output"], first["Input"]);
    assert_eq!(first["InputDetails"], json!({"Included": true}));
    assert_eq!(first["StartDate"], json!("2024-01-01T00:00:00.000Z"));
    let name = first["Name"].as_str().unwrap();
    assert_eq!(
        first["ExecutionArn"],
        json!(format!(
            "arn:aws:states:us-east-1:123456789012:execution:machine/M:{name}"
        ))
    );
    let failed_file: Value = serde_json::from_str(&written[0].1).unwrap();
    assert_eq!(failed_file.as_array().unwrap().len(), 1);
    assert_eq!(failed_file[0]["Status"], json!("FAILED"));
    assert_eq!(failed_file[0]["Error"], json!("Bad"));
    assert_eq!(failed_file[0]["Cause"], json!("a bad order"));
    assert!(failed_file[0].get("Output").is_none());
}

#[test]
fn threshold_exceeded_still_writes_results() {
    let definition = machine(
        r#""MaxConcurrency": 1,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "in", "Key": "k.json"}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "in", "Prefix": "out/"}},"#,
    );
    let store = buckets(&[(
        "in",
        "k.json",
        r#"[{"fail": false}, {"fail": true}, {"fail": false}]"#,
    )]);
    let (step, handler) = run_in(&definition, json!({}), store);
    assert_eq!(failed(step).0, "States.ExceedToleratedFailureThreshold");
    let manifest_key = handler
        .buckets()
        .objects("in")
        .map(|(key, _)| key.to_string())
        .find(|key| key.ends_with("manifest.json"))
        .expect("a manifest");
    assert!(manifest_key.starts_with("out/"), "{manifest_key}");
    let manifest: Value =
        serde_json::from_str(&handler.buckets().get_object("in", &manifest_key).unwrap()).unwrap();
    // One at a time: the first succeeded, the second failed, the third never started.
    for status in ["SUCCEEDED", "FAILED", "PENDING"] {
        assert_eq!(
            manifest["ResultFiles"][status].as_array().unwrap().len(),
            1,
            "{status}"
        );
    }
}

#[test]
fn reader_errors_fail_the_map_with_item_reader_failed() {
    let reader = |resource: &str, config: &str, parameters: &str| {
        machine(&format!(
            r#""ItemReader": {{"Resource": "arn:aws:states:::s3:{resource}", {config} "Parameters": {parameters}}},"#
        ))
    };
    let store = || buckets(&[("in", "bad.json", "{\"not\": \"a list\"}")]);
    let json_config = r#""ReaderConfig": {"InputType": "JSON"},"#;
    let cases = [
        (
            reader(
                "getObject",
                json_config,
                r#"{"Bucket": "missing", "Key": "k"}"#,
            ),
            "NoSuchBucket",
        ),
        (
            reader(
                "getObject",
                json_config,
                r#"{"Bucket": "in", "Key": "nope.json"}"#,
            ),
            "NoSuchKey",
        ),
        (
            reader(
                "getObject",
                json_config,
                r#"{"Bucket": "in", "Key": "bad.json"}"#,
            ),
            "must hold an array",
        ),
        (
            reader("listObjectsV2", "", r#"{"Bucket": "missing"}"#),
            "NoSuchBucket",
        ),
        (
            reader(
                "getObject",
                json_config,
                r#"{"Bucket.$": "$.nothing", "Key": "k"}"#,
            ),
            "",
        ),
    ];
    for (definition, cause) in cases {
        let (step, _) = run_in(&definition, json!({"nothing": 5}), store());
        let (error, text) = failed(step);
        if cause.is_empty() {
            // A `.$` path that selects a number is not a bucket name.
            assert_eq!(error, "States.ItemReaderFailed", "{text}");
            assert!(text.contains("Bucket must be a string"), "{text}");
        } else {
            assert_eq!(error, "States.ItemReaderFailed", "{definition}");
            assert!(text.contains(cause), "{cause}: {text}");
        }
    }
    // Without buckets at all (the default handler): NoSuchBucket.
    let mut plain = MockHandler::default();
    let outcome = run_with(
        &reader("getObject", json_config, r#"{"Bucket": "in", "Key": "k"}"#),
        json!({}),
        &mut plain,
    );
    assert!(failed(outcome.last).1.contains("NoSuchBucket"));
}

#[test]
fn list_objects_reader_with_prefix_and_max_items() {
    let definition = machine(
        r#""ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "ReaderConfig": {"MaxItemsPath": "$.max"},
            "Parameters": {"Bucket": "photos", "Prefix": "2024/"}},
        "ItemSelector": {"key.$": "$$.Map.Item.Value.Key", "size.$": "$$.Map.Item.Value.Size"},"#,
    );
    let store = buckets(&[
        ("photos", "2024/a.jpg", "abc"),
        ("photos", "2024/b.jpg", "de"),
        ("photos", "2024/c.jpg", "f"),
        ("photos", "2025/d.jpg", "g"),
    ]);
    let (step, _) = run_in(&definition, json!({"max": 2}), store);
    assert_eq!(
        succeeded(step),
        json!([{"key": "2024/a.jpg", "size": 3}, {"key": "2024/b.jpg", "size": 2}])
    );
}

#[test]
fn batcher_with_selector_and_batch_input() {
    let definition = machine(
        r#""ItemsPath": "$.orders",
        "ItemSelector": {"id.$": "$$.Map.Item.Value.id"},
        "ItemBatcher": {"MaxItemsPerBatchPath": "$.size", "BatchInput": {"run.$": "$.run"}},"#,
    );
    let (step, handler) = run_in(
        &definition,
        json!({"orders": [{"id": 1}, {"id": 2}, {"id": 3}], "size": 2, "run": "r1"}),
        Buckets::new(),
    );
    drop(handler);
    assert_eq!(
        succeeded(step),
        json!([
            {"BatchInput": {"run": "r1"}, "Items": [{"id": 1}, {"id": 2}]},
            {"BatchInput": {"run": "r1"}, "Items": [{"id": 3}]}
        ])
    );
}

#[test]
fn a_failed_batch_counts_each_of_its_items() {
    // Four items in two batches of two; one batch fails: two of four items failed.
    let definition = |tolerance: &str| {
        machine(&format!(
            r#"{tolerance} "ItemBatcher": {{"MaxItemsPerBatch": 2}},
            "ItemSelector": {{"fail.$": "$$.Map.Item.Value"}},"#
        ))
    };
    let input = json!([false, false, false, false]);
    // The child sees {"Items": [...]}, never "fail" at the top: every batch passes.
    let (step, _) = run_in(&definition(""), input, Buckets::new());
    assert_eq!(succeeded(step).as_array().unwrap().len(), 2);
    let failing = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ToleratedFailurePercentage": 50, "ItemBatcher": {"MaxItemsPerBatch": 2},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.Items[0]", "NumericEquals": 3, "Next": "F"}], "Default": "P"},
            "F": {"Type": "Fail", "Error": "Bad"}, "P": {"Type": "Pass", "End": true}}}, "End": true}}}"#;
    let (step, _) = run_in(failing, json!([1, 2, 3, 4]), Buckets::new());
    assert_eq!(
        succeeded(step).as_array().unwrap().len(),
        2,
        "50% tolerated"
    );
    let stricter = failing.replace(
        "\"ToleratedFailurePercentage\": 50",
        "\"ToleratedFailurePercentage\": 49",
    );
    let (step, _) = run_in(&stricter, json!([1, 2, 3, 4]), Buckets::new());
    assert_eq!(failed(step).0, "States.ExceedToleratedFailureThreshold");
}

#[test]
fn tolerance_path_forms() {
    let definition = |fields: &str| machine(fields);
    let input = |extra: Value| {
        let mut input =
            json!({"items": [{"fail": "yes"}, {"fail": "no"}, {"fail": "yes"}, {"fail": "no"}]});
        if let (Some(object), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
            object.extend(extra.clone());
        }
        input
    };
    let cases = [
        (
            r#""ItemsPath": "$.items", "ToleratedFailureCountPath": "$.n","#,
            json!({"n": 2}),
            true,
        ),
        (
            r#""ItemsPath": "$.items", "ToleratedFailureCountPath": "$.n","#,
            json!({"n": 1}),
            false,
        ),
        (
            r#""ItemsPath": "$.items", "ToleratedFailurePercentagePath": "$.p","#,
            json!({"p": 50}),
            true,
        ),
        (
            r#""ItemsPath": "$.items", "ToleratedFailurePercentagePath": "$.p","#,
            json!({"p": 49.5}),
            false,
        ),
    ];
    for (fields, extra, tolerated) in cases {
        let (step, _) = run_in(&definition(fields), input(extra.clone()), Buckets::new());
        match step {
            Step::Succeeded { .. } => assert!(tolerated, "{fields} {extra}"),
            Step::Failed { error, .. } => {
                assert!(!tolerated, "{fields} {extra}: {error}");
                assert_eq!(error, "States.ExceedToleratedFailureThreshold");
            }
            other => panic!("{other:?}"),
        }
    }
    // A path that does not resolve to a number is a runtime error.
    let (step, _) = run_in(
        &definition(r#""ItemsPath": "$.items", "ToleratedFailureCountPath": "$.missing","#),
        input(json!({})),
        Buckets::new(),
    );
    assert_eq!(failed(step).0, "States.Runtime");
}

#[test]
fn jsonata_reader_writer_and_expressions() {
    let definition = r#"{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL", "MaxItems": "{% $states.input.max %}"},
            "Arguments": {"Bucket": "{% $states.input.bucket %}", "Key": "data.jsonl"}},
        "ItemBatcher": {"MaxItemsPerBatch": "{% 2 %}", "BatchInput": {"at": "{% $states.input.bucket %}"}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "{% $states.input.bucket %}", "Prefix": "out"}},
        "ToleratedFailureCount": "{% 0 %}",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "P", "States": {
            "P": {"Type": "Pass", "Output": "{% $count($states.input.Items) %}", "End": true}}},
        "End": true}}}"#;
    let store = buckets(&[("data", "data.jsonl", "1\n2\n3\n4\n")]);
    let (step, handler) = run_in(definition, json!({"bucket": "data", "max": 3}), store);
    let output = succeeded(step);
    let manifest_key = output["ResultWriterDetails"]["Key"].as_str().unwrap();
    assert!(manifest_key.starts_with("out/"));
    let body = handler.buckets().get_object("data", manifest_key).unwrap();
    let manifest: Value = serde_json::from_str(&body).unwrap();
    let succeeded_key = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
        .as_str()
        .unwrap();
    let results: Value =
        serde_json::from_str(&handler.buckets().get_object("data", succeeded_key).unwrap())
            .unwrap();
    let outputs: Vec<&Value> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| &entry["Output"])
        .collect();
    // Three items (MaxItems) in batches of two.
    assert_eq!(outputs, vec![&json!("2"), &json!("1")]);
    assert_eq!(
        results[0]["Input"],
        json!(r#"{"BatchInput":{"at":"data"},"Items":[1,2]}"#)
    );
}

#[test]
fn result_writer_to_a_missing_bucket_fails_with_result_writer_failed() {
    let definition = machine(
        r#""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "nowhere", "Prefix": "p"}},"#,
    );
    let (step, _) = run_in(&definition, json!([{"fail": "no"}]), Buckets::new());
    let (error, cause) = failed(step);
    assert_eq!(error, "States.ResultWriterFailed");
    assert!(cause.contains("NoSuchBucket"), "{cause}");
}

#[test]
fn without_result_writer_the_result_limit_applies() {
    // Each child doubles its 100 KB item: 400 KB of results.
    let definition = |fields: &str| {
        format!(
            r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", "ItemsPath": "$.items", {fields}
            "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}, "StartAt": "P", "States": {{
                "P": {{"Type": "Pass", "Parameters": {{"a.$": "$.blob", "b.$": "$.blob"}}, "End": true}}}}}}, "End": true}}}}}}"#
        )
    };
    let big = "x".repeat(100_000);
    let items: Vec<Value> = (0..2).map(|_| json!({"blob": big})).collect();
    let (step, _) = run_in(&definition(""), json!({"items": items}), Buckets::new());
    assert_eq!(failed(step).0, "States.DataLimitExceeded");
    // The same results go to S3 with a ResultWriter.
    let definition = definition(
        r#""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out"}},"#,
    );
    let mut store = Buckets::new();
    store.create_bucket("out");
    let (step, handler) = run_in(&definition, json!({"items": items}), store);
    let output = succeeded(step);
    let key = output["ResultWriterDetails"]["Key"].as_str().unwrap();
    assert!(
        !key.starts_with('/'),
        "an empty prefix adds no separator: {key}"
    );
    assert_eq!(
        handler.buckets().usage("out").0,
        2,
        "SUCCEEDED_0.json and the manifest"
    );
}

#[test]
fn result_files_group_children_by_status() {
    let names = MapRunNames::new(
        "arn:aws:states:eu-west-1:111122223333:stateMachine:orders",
        "Process",
        "6dbfba93-bcff-410b-9b5c-abf41ae9eddb",
    );
    assert_eq!(
        names.map_run_arn,
        "arn:aws:states:eu-west-1:111122223333:mapRun:orders/Process:6dbfba93-bcff-410b-9b5c-abf41ae9eddb"
    );
    let record = |status| ChildRecord {
        name: "c".into(),
        input: json!({"a": 1}),
        status,
        started: Some(0),
        stopped: Some(1_500),
    };
    let files = result_files(
        "b",
        "pre",
        &names,
        &[
            record(ChildStatus::Succeeded(json!([1]))),
            record(ChildStatus::Failed(StatesError::new("E", "C"))),
            record(ChildStatus::Aborted),
            ChildRecord {
                name: String::new(),
                input: json!(3),
                status: ChildStatus::Pending,
                started: None,
                stopped: None,
            },
        ],
        &WriterConfig::default(),
    );
    let keys: Vec<&str> = files.iter().map(|(key, _)| key.as_str()).collect();
    let folder = "pre/6dbfba93-bcff-410b-9b5c-abf41ae9eddb";
    assert_eq!(
        keys,
        vec![
            format!("{folder}/SUCCEEDED_0.json"),
            format!("{folder}/FAILED_0.json"),
            format!("{folder}/PENDING_0.json"),
            format!("{folder}/manifest.json"),
        ]
    );
    let failed: Value = serde_json::from_str(&files[1].1).unwrap();
    assert_eq!(failed[1]["Status"], json!("ABORTED"));
    assert_eq!(failed[0]["StopDate"], json!("1970-01-01T00:00:00.001Z"));
    let pending: Value = serde_json::from_str(&files[2].1).unwrap();
    assert_eq!(
        pending,
        json!([{"Input": "3", "InputDetails": {"Included": true}, "Status": "PENDING"}])
    );
}

#[test]
fn validation_of_distributed_fields() {
    let issue = |fields: &str| -> Vec<String> {
        match validate(&machine(fields)) {
            Ok(_) => Vec::new(),
            Err(issues) => issues
                .iter()
                .map(|issue| format!("{} {}", issue.path, issue.message))
                .collect(),
        }
    };
    let cases = [
        (
            r#""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "MANIFEST"}, "Parameters": {"Bucket": "b", "Key": "k"}},"#,
            "$.States.M.ItemReader.ReaderConfig.InputType InputType MANIFEST is not simulated",
        ),
        (
            r#""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "PARQUET"}, "Parameters": {"Bucket": "b", "Key": "k"}},"#,
            "PARQUET is not simulated",
        ),
        (
            r#""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}, "Parameters": {"Bucket": "b", "Key": "k"}},"#,
            "CSVHeaders",
        ),
        (
            r#""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVDelimiter": "COLON"}, "Parameters": {"Bucket": "b", "Key": "k"}},"#,
            "CSVDelimiter must be COMMA, PIPE, SEMICOLON, SPACE or TAB",
        ),
        (
            r#""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b"}},"#,
            "Parameters needs Key",
        ),
        (
            r#""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "MaxItems": 100000001}, "Parameters": {"Bucket": "b", "Key": "k"}},"#,
            "MaxItems must be an integer from 0 to 100000000",
        ),
        (
            r#""ItemReader": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b"}},"#,
            "ItemReader's Resource must be",
        ),
        (
            r#""ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}}, "ItemsPath": "$.x","#,
            "ItemsPath together with ItemReader",
        ),
        (
            r#""ItemBatcher": {"BatchInput": {"a": 1}},"#,
            "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch",
        ),
        (
            r#""ItemBatcher": {"MaxInputBytesPerBatch": 262145},"#,
            "MaxInputBytesPerBatch must be an integer from 1 to 262144",
        ),
        (
            r#""ItemBatcher": {"MaxItemsPerBatch": 2, "MaxItemsPerBatchPath": "$.n"},"#,
            "cannot both be given",
        ),
        (
            r#""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Prefix": "p"}},"#,
            "Parameters needs Bucket",
        ),
        (
            r#""ToleratedFailureCountPath": "$.a[*]","#,
            "ToleratedFailureCountPath",
        ),
        (r#""Label": "has space","#, "Label must be"),
    ];
    for (fields, expected) in cases {
        let issues = issue(fields);
        assert!(
            issues.iter().any(|issue| issue.contains(expected)),
            "{fields}: expected '{expected}' in {issues:?}"
        );
    }
    // The fields are Distributed only.
    let inline = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemBatcher": {"MaxItemsPerBatch": 2},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"#;
    let issues = validate(inline).unwrap_err();
    assert!(issues[0].message.contains("needs a DISTRIBUTED Map"));
    // Valid definitions compile.
    for fields in [
        r#""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"], "CSVDelimiter": "PIPE", "MaxItems": 10}, "Parameters": {"Bucket": "b", "Key.$": "$.k"}},"#,
        r#""ItemBatcher": {"MaxItemsPerBatch": 10, "MaxInputBytesPerBatchPath": "$.bytes", "BatchInput": {"x.$": "$.x"}}, "Label": "Orders","#,
        r#""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket.$": "$.b", "Prefix": "p"}}, "ToleratedFailurePercentagePath": "$.p","#,
        r#""ResultWriter": {"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}},"#,
        r#""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b"}, "WriterConfig": {"Transformation": "NONE", "OutputType": "JSONL"}},"#,
    ] {
        assert_eq!(issue(fields), Vec::<String>::new(), "{fields}");
    }
}

/// The failed child of [`writer_records`], as every transformation keeps it.
fn failed_entry() -> Value {
    json!({
        "Cause": "C", "Error": "E",
        "ExecutionArn": "arn:aws:states:eu-west-1:111122223333:execution:orders/Process:c",
        "Input": "{\"a\":1}", "InputDetails": {"Included": true}, "Name": "c",
        "RedriveCount": 0, "RedriveStatus": "NOT_REDRIVABLE",
        "RedriveStatusReason": "Execution is a Child Execution of Map Run and must be redriven as a part of Map Run",
        "StartDate": "1970-01-01T00:00:00.000Z",
        "StateMachineArn": "arn:aws:states:eu-west-1:111122223333:stateMachine:orders/Process",
        "Status": "FAILED", "StopDate": "1970-01-01T00:00:00.001Z"
    })
}

fn writer_names() -> MapRunNames {
    MapRunNames::new(
        "arn:aws:states:eu-west-1:111122223333:stateMachine:orders",
        "Process",
        "6dbfba93-bcff-410b-9b5c-abf41ae9eddb",
    )
}

/// Two succeeded children (an array output and an object output) and a failed one.
fn writer_records() -> Vec<ChildRecord> {
    let record = |status| ChildRecord {
        name: "c".into(),
        input: json!({"a": 1}),
        status,
        started: Some(0),
        stopped: Some(1_500),
    };
    vec![
        record(ChildStatus::Succeeded(json!([1, [2]]))),
        record(ChildStatus::Succeeded(json!({"b": 2}))),
        record(ChildStatus::Failed(StatesError::new("E", "C"))),
    ]
}

#[test]
fn writer_config_shapes_the_result_files() {
    let failed = failed_entry().to_string();
    let config = |transformation, output_type| WriterConfig {
        transformation,
        output_type,
    };
    let cases = [
        (
            config(Transformation::Compact, OutputType::Json),
            r#"[[1,[2]],{"b":2}]"#.to_string(),
            format!("[{failed}]"),
        ),
        (
            config(Transformation::Flatten, OutputType::Json),
            // One level only: the inner [2] stays an array.
            r#"[1,[2],{"b":2}]"#.to_string(),
            format!("[{failed}]"),
        ),
        (
            config(Transformation::Compact, OutputType::Jsonl),
            "[1,[2]]\n{\"b\":2}\n".to_string(),
            format!("{failed}\n"),
        ),
        (
            config(Transformation::Flatten, OutputType::Jsonl),
            "1\n[2]\n{\"b\":2}\n".to_string(),
            format!("{failed}\n"),
        ),
    ];
    let folder = "pre/6dbfba93-bcff-410b-9b5c-abf41ae9eddb";
    for (config, succeeded_body, failed_body) in cases {
        let files = result_files("b", "pre", &writer_names(), &writer_records(), &config);
        let manifest = json!({
            "DestinationBucket": "b",
            "MapRunArn": writer_names().map_run_arn,
            "ResultFiles": {
                "FAILED": [{"Key": format!("{folder}/FAILED_0.json"), "Size": failed_body.len()}],
                "PENDING": [],
                "SUCCEEDED": [{"Key": format!("{folder}/SUCCEEDED_0.json"), "Size": succeeded_body.len()}],
            }
        });
        assert_eq!(
            files,
            vec![
                (format!("{folder}/SUCCEEDED_0.json"), succeeded_body),
                (format!("{folder}/FAILED_0.json"), failed_body),
                (format!("{folder}/manifest.json"), manifest.to_string()),
            ],
            "{config:?}"
        );
    }
    // NONE with JSON is what an export without a WriterConfig writes.
    let none = result_files(
        "b",
        "pre",
        &writer_names(),
        &writer_records(),
        &config(Transformation::None, OutputType::Json),
    );
    let default = result_files(
        "b",
        "pre",
        &writer_names(),
        &writer_records(),
        &WriterConfig::default(),
    );
    assert_eq!(none, default);
    let failed_file: Value = serde_json::from_str(&none[1].1).unwrap();
    assert_eq!(failed_file, json!([failed_entry()]));
    // The state output of a WriterConfig alone: an array, or the JSON Lines as a string.
    let names = writer_names();
    let records = writer_records();
    let output = |t, o| config(t, o).output(&names, &records);
    assert_eq!(
        output(Transformation::Compact, OutputType::Json),
        json!([[1, [2]], {"b": 2}, failed_entry()])
    );
    assert_eq!(
        output(Transformation::Flatten, OutputType::Json),
        json!([1, [2], {"b": 2}, failed_entry()])
    );
    assert_eq!(
        output(Transformation::Flatten, OutputType::Jsonl),
        json!(format!("1\n[2]\n{{\"b\":2}}\n{failed}\n"))
    );
    let entries = output(Transformation::None, OutputType::Json);
    assert_eq!(entries[0]["Output"], json!("[1,[2]]"));
    assert_eq!(entries[1]["Output"], json!(r#"{"b":2}"#));
    assert_eq!(entries[2], failed_entry());
}

/// A Distributed Map over `$` whose children pass their item through (or fail on
/// `"fail": "yes"`), one failure tolerated, with the given ResultWriter.
fn writer_machine(writer: &str) -> String {
    machine(&format!(
        r#""ResultWriter": {writer}, "ToleratedFailureCount": 1, "MaxConcurrency": 1,"#
    ))
}

#[test]
fn writer_config_alone_is_the_map_output() {
    let items = json!([[1, 2], {"fail": "no"}, [[3]]]);
    let cases = [
        (
            r#"{"WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSON"}}"#,
            json!([[1, 2], {"fail": "no"}, [[3]]]),
        ),
        (
            r#"{"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}"#,
            json!([1, 2, {"fail": "no"}, [3]]),
        ),
        (
            r#"{"WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"}}"#,
            json!("[1,2]\n{\"fail\":\"no\"}\n[[3]]\n"),
        ),
        (
            r#"{"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSONL"}}"#,
            json!("1\n2\n{\"fail\":\"no\"}\n[3]\n"),
        ),
    ];
    for (writer, expected) in cases {
        let (step, _) = run_in(&writer_machine(writer), items.clone(), Buckets::new());
        // No buckets: a write would have failed with States.ResultWriterFailed.
        assert_eq!(succeeded(step), expected, "{writer}");
    }
    // NONE: each child's DescribeExecution-shaped entry.
    let (step, _) = run_in(
        &writer_machine(r#"{"WriterConfig": {"Transformation": "NONE", "OutputType": "JSON"}}"#),
        items,
        Buckets::new(),
    );
    let output = succeeded(step);
    let statuses: Vec<(&Value, &Value)> = output
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| (&entry["Status"], &entry["Output"]))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (&json!("SUCCEEDED"), &json!("[1,2]")),
            (&json!("SUCCEEDED"), &json!(r#"{"fail":"no"}"#)),
            (&json!("SUCCEEDED"), &json!("[[3]]")),
        ]
    );
}

#[test]
fn a_failed_child_is_kept_unchanged_under_compact() {
    let (step, _) = run_in(
        &writer_machine(r#"{"WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSON"}}"#),
        json!([{"fail": "yes"}, [1, 2]]),
        Buckets::new(),
    );
    let output = succeeded(step);
    let failed = &output[0];
    let name = failed["Name"].as_str().unwrap();
    let stop = failed["StopDate"].as_str().unwrap();
    assert_eq!(
        output,
        json!([
            {
                "Cause": "a bad order", "Error": "Bad",
                "ExecutionArn": format!("arn:aws:states:us-east-1:123456789012:execution:machine/M:{name}"),
                "Input": r#"{"fail":"yes"}"#, "InputDetails": {"Included": true}, "Name": name,
                "RedriveCount": 0, "RedriveStatus": "NOT_REDRIVABLE",
                "RedriveStatusReason": "Execution is a Child Execution of Map Run and must be redriven as a part of Map Run",
                "StartDate": "2024-01-01T00:00:00.000Z",
                "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:machine/M",
                "Status": "FAILED", "StopDate": stop
            },
            [1, 2]
        ])
    );
}

#[test]
fn writer_config_with_an_export_formats_the_files() {
    let mut store = Buckets::new();
    store.create_bucket("out");
    let (step, handler) = run_in(
        &writer_machine(
            r#"{"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "p"},
                "WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSONL"}}"#,
        ),
        json!([[1, 2], {"fail": "no"}, {"fail": "yes"}]),
        store,
    );
    let output = succeeded(step);
    let arn = output["MapRunArn"].as_str().unwrap();
    let id = arn.rsplit(':').next().unwrap();
    assert_eq!(
        output["ResultWriterDetails"],
        json!({"Bucket": "out", "Key": format!("p/{id}/manifest.json")})
    );
    let written: Vec<(String, String)> = handler
        .buckets()
        .objects("out")
        .map(|(key, object)| (key.to_string(), object.body.to_string()))
        .collect();
    assert_eq!(written[1].0, format!("p/{id}/SUCCEEDED_0.json"));
    assert_eq!(written[1].1, "1\n2\n{\"fail\":\"no\"}\n");
    assert_eq!(written[0].0, format!("p/{id}/FAILED_0.json"));
    let lines: Vec<&str> = written[0].1.lines().collect();
    assert_eq!(lines.len(), 1);
    let failed: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(
        (&failed["Status"], &failed["Error"], &failed["Input"]),
        (&json!("FAILED"), &json!("Bad"), &json!(r#"{"fail":"yes"}"#))
    );
    let manifest: Value = serde_json::from_str(&written[2].1).unwrap();
    assert_eq!(
        manifest["ResultFiles"]["SUCCEEDED"],
        json!([{"Key": format!("p/{id}/SUCCEEDED_0.json"), "Size": 18}])
    );
}

#[test]
fn writer_config_validation() {
    let issues = |writer: &str| -> Vec<String> {
        match validate(&writer_machine(writer)) {
            Ok(_) => Vec::new(),
            Err(issues) => issues
                .iter()
                .map(|issue| format!("{} {}", issue.path, issue.message))
                .collect(),
        }
    };
    let at = "$.States.M.ResultWriter";
    let cases = [
        (
            "{}",
            vec![format!("{at} ResultWriter cannot be empty: give WriterConfig, Resource and Parameters (JSONata: Arguments), or all three")],
        ),
        (
            r#"{"WriterConfig": {"Transformation": "SQUASH", "OutputType": "JSON"}}"#,
            vec![format!("{at}.WriterConfig.Transformation Transformation must be NONE, COMPACT or FLATTEN")],
        ),
        (
            r#"{"WriterConfig": {"Transformation": "NONE", "OutputType": "CSV"}}"#,
            vec![format!("{at}.WriterConfig.OutputType OutputType must be JSON or JSONL")],
        ),
        (
            r#"{"WriterConfig": {"OutputType": "JSON"}}"#,
            vec![format!("{at}.WriterConfig.Transformation Transformation is required and must be NONE, COMPACT or FLATTEN")],
        ),
        (
            r#"{"WriterConfig": {"Transformation": "COMPACT"}}"#,
            vec![format!("{at}.WriterConfig.OutputType OutputType is required and must be JSON or JSONL")],
        ),
        (
            r#"{"WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSON", "Compress": true}}"#,
            vec![format!("{at}.WriterConfig.Compress field 'Compress' is not allowed in WriterConfig")],
        ),
        (
            r#"{"WriterConfig": "COMPACT"}"#,
            vec![format!("{at}.WriterConfig WriterConfig must be an object with Transformation and OutputType")],
        ),
        (
            r#"{"Resource": "arn:aws:states:::s3:putObject", "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSON"}}"#,
            vec![format!("{at}.Parameters Parameters is required and names Bucket")],
        ),
        (
            r#"{"Parameters": {"Bucket": "b"}, "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSON"}}"#,
            vec![format!("{at}.Resource ResultWriter's Resource must be \"arn:aws:states:::s3:putObject\"")],
        ),
        (
            r#"{"Resource": "arn:aws:states:::s3:putObject"}"#,
            vec![format!("{at}.Parameters Parameters is required and names Bucket")],
        ),
    ];
    for (writer, expected) in cases {
        assert_eq!(issues(writer), expected, "{writer}");
    }
    // JSONata: Arguments in place of Parameters.
    let jsonata = r#"{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "b"}, "WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSONL"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {
            "P": {"Type": "Pass", "End": true}}},
        "End": true}}}"#;
    assert!(validate(jsonata).is_ok());
}

/// A Distributed Map runs as a Map Run: its history says `MapRunStarted` (with the Map Run's
/// ARN) after `MapStateStarted`, then `MapRunSucceeded` or `MapRunFailed` before the Map
/// state's own end. An inline Map has no Map Run.
#[test]
fn a_distributed_map_records_its_map_run_in_the_history() {
    let names_around = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .filter(|n| n.starts_with("MapRun") || n.starts_with("MapState"))
            .cloned()
            .collect()
    };
    let ok = crate::support::run(
        &machine(r#""ItemsPath": "$.items", "Label": "Orders","#),
        json!({"items": [{"fail": "no"}, {"fail": "no"}]}),
    );
    assert!(matches!(ok.last, Step::Succeeded { .. }));
    assert_eq!(
        names_around(&crate::support::event_names(&ok.execution)),
        vec![
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited"
        ]
    );
    let started = ok
        .execution
        .history()
        .iter()
        .find(|e| e.event_type.name() == "MapRunStarted")
        .expect("MapRunStarted");
    let arn = started
        .payload
        .as_ref()
        .and_then(|p| p["mapRunArn"].as_str())
        .unwrap_or_default()
        .to_string();
    assert!(
        arn.starts_with("arn:aws:states:") && arn.contains(":mapRun:") && arn.contains("/Orders:"),
        "{arn}"
    );

    let bad = crate::support::run(
        &machine(r#""ItemsPath": "$.items","#),
        json!({"items": [{"fail": "yes"}]}),
    );
    assert!(matches!(bad.last, Step::Failed { .. }));
    let names = crate::support::event_names(&bad.execution);
    let failed_at = names.iter().position(|n| n == "MapRunFailed");
    let state_failed_at = names.iter().position(|n| n == "MapStateFailed");
    assert!(
        failed_at.is_some() && failed_at < state_failed_at,
        "{names:?}"
    );
    let inline = crate::support::run(
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true}}}"#,
        json!({"items": [1, 2]}),
    );
    assert!(!crate::support::event_names(&inline.execution)
        .iter()
        .any(|n| n.starts_with("MapRun")));
}
