//! `loosely asl validate` and `loosely asl run`, run as a user runs them.

// A failed unwrap is a failed test here.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Output;

use common::{loosely, text, TempFile};
use serde_json::{json, Value};

fn example(name: &str) -> String {
    common::example(&format!("asl/{name}"))
}

fn assert_no_panic(output: &Output) {
    for stream in [text(&output.stdout), text(&output.stderr)] {
        assert!(!stream.contains("panicked"), "{stream}");
        assert!(!stream.contains("backtrace"), "{stream}");
    }
}

/// Exit code 2, exactly one line on stderr, nothing about a panic.
fn assert_one_line_error(output: &Output) -> String {
    assert_no_panic(output);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr}");
    assert!(stderr.starts_with("loosely: "), "{stderr}");
    stderr
}

/// Exit 0 and the output document on stdout.
fn succeeded(output: &Output) -> Value {
    assert_no_panic(output);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON document")
}

const ORDER: &str = r#"{"orderId": "o-1", "total": 120, "items": [{"sku": "a"}, {"sku": "b"}]}"#;

#[test]
fn validate_accepts_the_examples() {
    for (file, states) in [
        ("order-workflow.json", 11),
        ("wait.json", 3),
        ("orders-distributed-map.json", 5),
    ] {
        let output = loosely(&["asl", "validate", &example(file)]);
        assert_no_panic(&output);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(text(&output.stdout), format!("valid: {states} states\n"));
    }
}

#[test]
fn validate_lists_every_problem_with_path_and_code() {
    let definition = TempFile::new(
        "invalid.json",
        r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "Nope"},
            "B": {"Type": "Bogus", "End": true}}}"#,
    );
    let output = loosely(&["asl", "validate", definition.path()]);
    assert_no_panic(&output);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() >= 2, "{stderr}");
    assert!(lines
        .iter()
        .all(|line| line.starts_with(&format!("{}: $", definition.path()))));
    assert!(
        stderr.contains("$.States.A.Next: MISSING_TRANSITION_TARGET: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("$.States.B.Type: SCHEMA_VALIDATION_FAILED: "),
        "{stderr}"
    );

    // `run` validates first and reports the same problems.
    let run = loosely(&["asl", "run", definition.path()]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(text(&run.stderr), stderr);
    assert!(run.stdout.is_empty());

    let not_json = TempFile::new("not-json.json", "{\"StartAt\": ");
    let output = loosely(&["asl", "validate", not_json.path()]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains(": $: INVALID_JSON_DESCRIPTION: "));
}

#[test]
fn run_prints_the_output_for_the_input() {
    let output = loosely(&[
        "asl",
        "run",
        &example("wait.json"),
        "--input",
        r#"{"delay": 5}"#,
    ]);
    assert_eq!(succeeded(&output), json!({"delay": 5, "status": "done"}));

    // Without a mock, each task returns its input.
    let output = loosely(&[
        "asl",
        "run",
        &example("order-workflow.json"),
        "--input",
        ORDER,
    ]);
    let document = succeeded(&output);
    assert_eq!(
        document["results"]["payment"],
        json!({"orderId": "o-1", "amount": 120})
    );
    assert_eq!(
        document["shipments"][1],
        json!({"orderId": "o-1", "sku": "b", "position": 1})
    );

    // --input @FILE
    let input = TempFile::new("input.json", r#"{"delay": 0}"#);
    let output = loosely(&[
        "asl",
        "run",
        &example("wait.json"),
        "--input",
        &format!("@{}", input.path()),
    ]);
    assert_eq!(succeeded(&output)["status"], "done");
}

#[test]
fn run_with_history_prints_events_in_virtual_time() {
    let output = loosely(&[
        "asl",
        "run",
        &example("wait.json"),
        "--input",
        r#"{"delay": 5}"#,
        "--history",
    ]);
    assert_no_panic(&output);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "t=0.000s #1 ExecutionStarted");
    assert!(
        lines.contains(&"t=10.000s #3 WaitStateExited WaitTen"),
        "{stdout}"
    );
    assert!(
        lines.contains(&"t=15.000s #8 ExecutionSucceeded"),
        "{stdout}"
    );
    assert!(lines.contains(&"state transitions: 3"), "{stdout}");
    let json_start = stdout.find("\n{").expect("the output after the history");
    let document: Value = serde_json::from_str(&stdout[json_start..]).expect("JSON");
    assert_eq!(document["status"], "done");
}

#[test]
fn run_with_a_mock_happy_path() {
    let output = loosely(&[
        "asl",
        "run",
        &example("order-workflow.json"),
        "--input",
        ORDER,
        "--mock",
        &example("order-workflow.mock.json"),
        "--test-case",
        "HappyPath",
    ]);
    let document = succeeded(&output);
    assert_eq!(
        document["results"],
        json!({"stock": {"reserved": true}, "payment": {"charged": true, "receipt": "r-1001"}})
    );
    assert_eq!(
        document["shipments"],
        json!([{"shipped": true}, {"shipped": true}])
    );
}

#[test]
fn run_with_a_mock_where_a_task_throws_retries_then_catches() {
    let output = loosely(&[
        "asl",
        "run",
        &example("order-workflow.json"),
        "--input",
        ORDER,
        "--mock",
        &example("order-workflow.mock.json"),
        "--test-case",
        "RetryPath",
        "--state-machine",
        "OrderWorkflow",
        "--history",
    ]);
    assert_no_panic(&output);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    // Throttled twice (retried after 2 s, then 4 s), then declined and caught.
    let charge_failures: Vec<&str> = stdout
        .lines()
        .filter(|line| line.contains("TaskFailed ChargeCard"))
        .collect();
    assert_eq!(charge_failures.len(), 3, "{stdout}");
    assert!(charge_failures[0].starts_with("t=0.000s "), "{stdout}");
    assert!(charge_failures[1].starts_with("t=2.000s "), "{stdout}");
    assert!(
        charge_failures[2].starts_with("t=6.000s ")
            && charge_failures[2].contains("(Payment.Declined: card declined"),
        "{stdout}"
    );
    assert!(
        stdout.contains("PassStateEntered PaymentDeclined"),
        "{stdout}"
    );
    assert!(stdout.contains("state transitions: "), "{stdout}");
    let json_start = stdout.find("\n{").expect("the output after the history");
    let document: Value = serde_json::from_str(&stdout[json_start..]).expect("JSON");
    assert_eq!(
        document["results"]["payment"],
        json!({"charged": false, "reason": "card declined: insufficient funds"})
    );
    assert_eq!(
        document["shipments"],
        json!([{"shipped": true}, {"shipped": true}])
    );
}

#[test]
fn a_failing_execution_exits_1_with_the_error() {
    let output = loosely(&[
        "asl",
        "run",
        &example("order-workflow.json"),
        "--input",
        r#"{"orderId": "o-2", "total": 5000, "items": [{"sku": "a"}]}"#,
    ]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let document: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        document,
        json!({"error": "Order.TooLarge", "cause": "orders over 1000 need a manual review"})
    );

    // A runtime error (SecondsPath missing) fails the execution the same way.
    let output = loosely(&["asl", "run", &example("wait.json")]);
    assert_eq!(output.status.code(), Some(1));
    let document: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(document["error"], "States.Runtime");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let wait = example("wait.json");
    let stderr = assert_one_line_error(&loosely(&["asl", "run", &wait, "--input", "{bad"]));
    assert!(
        stderr.starts_with("loosely: --input: the input is not valid JSON"),
        "{stderr}"
    );
    let stderr = assert_one_line_error(&loosely(&[
        "asl",
        "run",
        &wait,
        "--input",
        "@/nonexistent/input.json",
    ]));
    assert!(stderr.contains("/nonexistent/input.json: cannot read the file"));
}

#[test]
fn missing_files_are_one_line_and_exit_2() {
    let stderr = assert_one_line_error(&loosely(&["asl", "validate", "/nonexistent/machine.json"]));
    assert!(stderr.contains("/nonexistent/machine.json: cannot read the file"));
    assert_one_line_error(&loosely(&["asl", "run", "/nonexistent/machine.json"]));
    let stderr = assert_one_line_error(&loosely(&[
        "asl",
        "run",
        &example("wait.json"),
        "--mock",
        "/nonexistent/mock.json",
        "--test-case",
        "HappyPath",
    ]));
    assert!(stderr.contains("/nonexistent/mock.json: cannot read the file"));
}

#[test]
fn bad_mocks_and_flags_are_one_line_and_exit_2() {
    let definition = example("order-workflow.json");
    let mock = example("order-workflow.mock.json");
    let stderr = assert_one_line_error(&loosely(&[
        "asl",
        "run",
        &definition,
        "--mock",
        &mock,
        "--test-case",
        "Nope",
    ]));
    assert!(stderr.contains("test case \"Nope\""), "{stderr}");
    let stderr = assert_one_line_error(&loosely(&[
        "asl",
        "run",
        &definition,
        "--mock",
        &mock,
        "--test-case",
        "HappyPath",
        "--state-machine",
        "Other",
    ]));
    assert!(stderr.contains("state machine \"Other\""), "{stderr}");

    let broken = TempFile::new(
        "broken-mock.json",
        r#"{"MockedResponses": {"A": {"x": {"Return": 1}}}}"#,
    );
    let stderr = assert_one_line_error(&loosely(&[
        "asl",
        "run",
        &definition,
        "--mock",
        broken.path(),
        "--test-case",
        "HappyPath",
    ]));
    assert!(stderr.contains("$.MockedResponses.A.x"), "{stderr}");

    let two = TempFile::new(
        "two-machines.json",
        r#"{"StateMachines": {"A": {"TestCases": {"T": {}}}, "B": {"TestCases": {"T": {}}}}}"#,
    );
    let stderr = assert_one_line_error(&loosely(&[
        "asl",
        "run",
        &definition,
        "--mock",
        two.path(),
        "--test-case",
        "T",
    ]));
    assert!(stderr.contains("--state-machine"), "{stderr}");
    let output = loosely(&[
        "asl",
        "run",
        &definition,
        "--input",
        ORDER,
        "--mock",
        two.path(),
        "--test-case",
        "T",
        "--state-machine",
        "B",
    ]);
    assert_eq!(succeeded(&output)["total"], 120);

    for args in [
        vec!["asl"],
        vec!["asl", "run"],
        vec!["asl", "check", &definition],
        vec!["asl", "run", &definition, "--mock", &mock],
        vec!["asl", "run", &definition, "--test-case", "HappyPath"],
        vec!["asl", "run", &definition, "--seed", "x"],
    ] {
        assert_one_line_error(&loosely(&args));
    }
}

/// A copy of `examples/asl/buckets` in a temporary directory, removed when dropped.
struct BucketDir(std::path::PathBuf);

impl BucketDir {
    fn new(name: &str) -> BucketDir {
        let dir = std::env::temp_dir().join(format!("loosely-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let source = std::path::PathBuf::from(example("buckets"));
        let mut pending = vec![(source, dir.clone())];
        while let Some((from, to)) = pending.pop() {
            std::fs::create_dir_all(&to).unwrap();
            for entry in std::fs::read_dir(&from).unwrap() {
                let entry = entry.unwrap();
                let target = to.join(entry.file_name());
                if entry.path().is_dir() {
                    pending.push((entry.path(), target));
                } else {
                    std::fs::copy(entry.path(), target).unwrap();
                }
            }
        }
        BucketDir(dir)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for BucketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn run_reads_and_writes_buckets_in_a_directory() {
    let buckets = BucketDir::new("s3");
    let output = loosely(&[
        "asl",
        "run",
        &example("orders-distributed-map.json"),
        "--input",
        r#"{"day": "2024"}"#,
        "--s3",
        buckets.path(),
    ]);
    let document = succeeded(&output);
    let key = document["ResultWriterDetails"]["Key"].as_str().unwrap();
    assert_eq!(
        document["ResultWriterDetails"]["Bucket"],
        json!("orders-results")
    );
    assert!(
        key.starts_with("settlements/") && key.ends_with("/manifest.json"),
        "{key}"
    );
    let results = buckets.0.join("orders-results");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(results.join(key)).unwrap()).unwrap();
    // Ten orders in batches of three: the batch holding the order over 1000 failed (3 of
    // 10 orders, within the 34% tolerated).
    let files = &manifest["ResultFiles"];
    assert_eq!(files["SUCCEEDED"].as_array().unwrap().len(), 1);
    assert_eq!(files["FAILED"].as_array().unwrap().len(), 1);
    let failed_key = files["FAILED"][0]["Key"].as_str().unwrap();
    let failed: Value =
        serde_json::from_str(&std::fs::read_to_string(results.join(failed_key)).unwrap()).unwrap();
    assert_eq!(failed[0]["Error"], json!("Order.NeedsReview"));
    let succeeded_key = files["SUCCEEDED"][0]["Key"].as_str().unwrap();
    let settled: Value =
        serde_json::from_str(&std::fs::read_to_string(results.join(succeeded_key)).unwrap())
            .unwrap();
    assert_eq!(settled.as_array().unwrap().len(), 3);
    let input: Value = serde_json::from_str(settled[0]["Input"].as_str().unwrap()).unwrap();
    assert_eq!(input["BatchInput"], json!({"day": "2024"}));
    // The first batch (o-1001 to o-1003) failed; the second is the first settled.
    assert_eq!(
        input["Items"][0],
        json!({"orderId": "o-1004", "amount": 7.25, "currency": "EUR"})
    );
}

#[test]
fn run_without_the_bucket_fails_with_item_reader_failed() {
    let output = loosely(&[
        "asl",
        "run",
        &example("orders-distributed-map.json"),
        "--input",
        r#"{"day": "1999"}"#,
        "--s3",
        BucketDir::new("s3-missing").path(),
    ]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["error"], json!("States.ItemReaderFailed"));
    assert!(document["cause"].as_str().unwrap().contains("NoSuchKey"));
    // A directory that is not a bucket name is refused with one line.
    let bad = BucketDir::new("s3-bad");
    std::fs::create_dir_all(bad.0.join("Not_A_Bucket")).unwrap();
    let output = loosely(&[
        "asl",
        "run",
        &example("orders-distributed-map.json"),
        "--s3",
        bad.path(),
    ]);
    let stderr = assert_one_line_error(&output);
    assert!(stderr.contains("not a bucket"), "{stderr}");
}
