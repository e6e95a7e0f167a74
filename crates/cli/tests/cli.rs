//! The `loosely` binary, run as a user runs it.

mod common;

use std::process::Output;

use common::{example, loosely, text, TempFile};

/// Exit code 2, exactly one line on stderr, nothing about a panic.
fn assert_one_line_error(output: &Output) -> String {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    stderr
}

#[test]
fn run_prints_a_table_with_counts_latency_cost_and_dead_letters() {
    let output = loosely(&["run", &example("worker-pool-dlq.json")]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    for expected in [
        "simulated 1h 0m 0s (3600.0 s)",
        "engine events",
        "wall time",
        "moved to DLQ",
        "empty receives",
        "latency, send to delete, seconds",
        "shop → orders → workers",
        "USD",
        "dead letters (first 10 of ",
        "maxReceiveCount is 3",
        "dlq-has-messages",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    let dead_letter_lines = stdout
        .lines()
        .filter(|line| line.starts_with("m-") && line.contains("→ moved to orders-dlq at"))
        .count();
    assert_eq!(dead_letter_lines, 10, "{stdout}");
    let orders = stdout
        .lines()
        .find(|line| line.starts_with("orders "))
        .expect("a row for the orders queue");
    let numbers: Vec<u64> = orders
        .split_whitespace()
        .skip(1)
        .map(|cell| cell.parse().expect("numbers"))
        .collect();
    assert!(numbers[0] > 15_000, "about 5 msg/s for an hour: {orders}");
}

#[test]
fn run_prints_one_json_document() {
    let output = loosely(&[
        "run",
        &example("worker-pool-dlq.json"),
        "--format",
        "json",
        "--until",
        "15m",
        "--seed",
        "7",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    assert_eq!(report["seed"], 7);
    assert_eq!(report["simulated_seconds"], 900.0);
    assert!(report["events_processed"].as_u64().expect("a count") > 0);
    assert!(report["wall_seconds"].as_f64().is_some());
    let orders = &report["components"][1];
    assert_eq!(orders["id"], "orders");
    assert!(orders["sent"].as_u64().expect("a count") > 3_000);
    assert!(report["latency"][0]["p99_seconds"].as_f64().is_some());
    assert!(report["cost"]["usd"].as_f64().expect("dollars") > 0.0);
    let dead_letters = report["dead_letters"].as_array().expect("a list");
    assert!(!dead_letters.is_empty());
    assert!(dead_letters[0]["story"]
        .as_str()
        .expect("a sentence")
        .contains("maxReceiveCount is 3"));
}

#[test]
fn run_stops_early_when_settled() {
    let scenario = TempFile::new(
        "settles.json",
        r#"{"version": 1, "duration_seconds": 3600, "components": [
            {"id": "q", "kind": "sqs_queue"},
            {"id": "p", "kind": "producer", "parameters": {"total_count": 20, "rate_per_second": 10}},
            {"id": "c", "kind": "consumer", "parameters": {"WaitTimeSeconds": 20}}],
          "connections": [{"from": "p", "to": "q"}, {"from": "q", "to": "c"}]}"#,
    );
    let output = loosely(&["run", scenario.path(), "--format", "json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["settled"], true);
    assert!(report["simulated_seconds"].as_f64().expect("seconds") < 60.0);
}

#[test]
fn validate_accepts_a_valid_file() {
    let output = loosely(&["validate", &example("fifo-ordering.json")]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "valid: 3 components\n");
}

#[test]
fn validate_lists_every_problem_of_an_invalid_file() {
    let scenario = TempFile::new(
        "invalid.json",
        r#"{"version": 1, "duration_seconds": 0, "components": [
            {"id": "q", "kind": "sqs_queue", "parameters": {"VisibilityTimeout": 50000}},
            {"id": "c", "kind": "consumer"}]}"#,
    );
    let output = loosely(&["validate", scenario.path()]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(lines[0].ends_with("duration_seconds: 0 is outside 1..=31536000 seconds (one year)"));
    assert!(lines.iter().any(|line| line.ends_with(
        "components[0].parameters.VisibilityTimeout: 50000 is outside 0..=43200 seconds"
    )));
    assert!(lines
        .iter()
        .any(|line| line.contains("components[1]: a consumer needs exactly one connection")));
    assert!(!stderr.contains("panicked"));
}

#[test]
fn schema_is_json() {
    let output = loosely(&["schema"]);
    assert!(output.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(schema["title"], "Scenario");
    assert!(
        schema["$defs"]["QueueParameters"]["properties"]["VisibilityTimeout"]["description"]
            .as_str()
            .is_some()
    );
}

#[test]
fn a_missing_file_is_one_line_and_exit_2() {
    let stderr = assert_one_line_error(&loosely(&["run", "/nonexistent/scenario.json"]));
    assert!(
        stderr.contains("/nonexistent/scenario.json: cannot read the file"),
        "{stderr}"
    );
    assert_one_line_error(&loosely(&["validate", "/nonexistent/scenario.json"]));
}

#[test]
fn bad_json_is_one_line_and_exit_2() {
    let scenario = TempFile::new("bad.json", "{\"version\": 1,\n \"components\": [}");
    let stderr = assert_one_line_error(&loosely(&["run", scenario.path()]));
    assert!(
        stderr.contains("not a scenario: ") && stderr.contains("line 2, column 17: expected value"),
        "{stderr}"
    );
    let typo = TempFile::new("typo.json", r#"{"version": 1, "sead": 3}"#);
    let stderr = assert_one_line_error(&loosely(&["validate", typo.path()]));
    assert!(stderr.contains("unknown field `sead`"), "{stderr}");
}

#[test]
fn bad_flags_are_one_line_and_exit_2() {
    let file = example("worker-pool-dlq.json");
    for args in [
        vec!["run", file.as_str(), "--until", "soon"],
        vec!["run", file.as_str(), "--seed", "-4"],
        vec!["run", file.as_str(), "--format", "xml"],
        vec!["run", file.as_str(), "--frobnicate"],
        vec!["run"],
        vec!["launch"],
        vec![],
    ] {
        let output = loosely(&args);
        let stderr = assert_one_line_error(&output);
        assert!(stderr.starts_with("loosely: "), "{args:?}: {stderr}");
    }
}

const POLICY: &str = r#"{"store": ["example_corp"], "price": [{"numeric": [">", 100]}]}"#;

fn attributes(price: &str) -> String {
    format!(
        r#"{{"store": {{"DataType": "String", "StringValue": "example_corp"}},
            "price": {{"DataType": "Number", "StringValue": "{price}"}}}}"#
    )
}

#[test]
fn sns_filter_prints_match() {
    let output = loosely(&[
        "sns-filter",
        "--policy",
        POLICY,
        "--attributes",
        &attributes("150"),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "match\n");
}

#[test]
fn sns_filter_prints_no_match_and_the_reason() {
    let output = loosely(&[
        "sns-filter",
        "--policy",
        POLICY,
        "--scope",
        "MessageAttributes",
        "--attributes",
        &attributes("50"),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0], "no match");
    assert!(lines[1].contains("price"), "{stdout}");

    let output = loosely(&[
        "sns-filter",
        "--policy",
        r#"{"order": {"region": ["eu-west-1"]}}"#,
        "--body",
        r#"{"order": {"region": "us-east-1"}}"#,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with("no match\n"), "{stdout}");
    assert!(stdout.contains("order.region"), "{stdout}");
}

#[test]
fn sns_filter_rejects_an_invalid_policy_with_the_aws_reason() {
    let stderr = assert_one_line_error(&loosely(&[
        "sns-filter",
        "--policy",
        r#"{"store": []}"#,
        "--attributes",
        "{}",
    ]));
    assert!(
        stderr.contains("Invalid parameter: FilterPolicy: Empty arrays are not allowed"),
        "{stderr}"
    );
}

#[test]
fn sns_filter_reads_at_files() {
    let policy = TempFile::new("policy.json", POLICY);
    let message = TempFile::new("attributes.json", &attributes("101"));
    let output = loosely(&[
        "sns-filter",
        "--policy",
        &format!("@{}", policy.path()),
        "--attributes",
        &format!("@{}", message.path()),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "match\n");

    let stderr = assert_one_line_error(&loosely(&[
        "sns-filter",
        "--policy",
        "@/nonexistent/policy.json",
        "--attributes",
        "{}",
    ]));
    assert!(
        stderr.contains("/nonexistent/policy.json: cannot read the file"),
        "{stderr}"
    );
}

#[test]
fn sns_filter_bad_attributes_are_one_line_and_exit_2() {
    for bad in ["{", "[1, 2]", r#"{"store": "example_corp"}"#] {
        let stderr = assert_one_line_error(&loosely(&[
            "sns-filter",
            "--policy",
            POLICY,
            "--attributes",
            bad,
        ]));
        assert!(
            stderr.starts_with("loosely: --attributes: "),
            "{bad}: {stderr}"
        );
    }
    let stderr = assert_one_line_error(&loosely(&["sns-filter", "--policy", POLICY]));
    assert!(stderr.contains("--attributes"), "{stderr}");
}

#[test]
fn run_prints_sns_figures() {
    let output = loosely(&["run", &example("sns-http-retries.json")]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    for expected in [
        "topic",
        "to subscription DLQ",
        "alerts → webhook",
        "https",
        "server errors",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    let alerts = stdout
        .lines()
        .find(|line| line.starts_with("alerts "))
        .expect("a row for the alerts topic");
    let numbers: Vec<u64> = alerts
        .split_whitespace()
        .skip(1)
        .map(|cell| cell.parse().expect("numbers"))
        .collect();
    assert_eq!(
        numbers[0], 600,
        "one alert a second for ten minutes: {alerts}"
    );
    assert!(numbers[7] > 0, "some alerts reach the DLQ: {alerts}");

    let output = loosely(&[
        "run",
        &example("sns-large-payload.json"),
        "--format",
        "json",
        "--until",
        "5m",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let components = report["components"].as_array().expect("a list");
    let topic = components
        .iter()
        .find(|c| c["kind"] == "sns_topic")
        .expect("a topic");
    assert!(topic["published"].as_u64().expect("a count") > 0);
    assert_eq!(topic["subscriptions"][0]["protocol"], "sqs");
    let bucket = components
        .iter()
        .find(|c| c["kind"] == "s3_bucket")
        .expect("a bucket");
    assert!(bucket["objects"].as_u64().expect("a count") > 0);
    assert!(report["cost"]["topics"][0]["usd"].as_f64().is_some());
}

#[test]
fn link_and_unlink_carry_a_scenario_through_a_url() {
    let output = loosely(&[
        "link",
        &example("worker-pool-dlq.json"),
        "--base",
        "https://docs.example.com/play/",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let link = text(&output.stdout);
    assert!(
        link.starts_with("https://docs.example.com/play/#v1:"),
        "{link}"
    );
    assert!(link.len() < 2_000, "{} characters", link.len());
    let back = loosely(&["unlink", link.trim()]);
    assert!(back.status.success(), "{}", text(&back.stderr));
    let original = std::fs::read_to_string(example("worker-pool-dlq.json")).expect("example");
    assert_eq!(
        loosely_scenario::Scenario::from_json(&text(&back.stdout)),
        loosely_scenario::Scenario::from_json(&original)
    );

    let damaged = loosely(&["unlink", &link.trim()[..link.len() / 2]]);
    assert!(assert_one_line_error(&damaged).contains("the link is damaged"));
    let unknown = loosely(&["unlink", "https://x.example/#v7:abc"]);
    assert!(assert_one_line_error(&unknown).contains("\"v7\" is unknown"));
    let invalid = TempFile::new(
        "invalid-link.json",
        r#"{"version": 1, "duration_seconds": 0}"#,
    );
    let refused = loosely(&["link", invalid.path()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("duration_seconds"));
}

#[test]
fn run_prints_state_machines_and_their_cost() {
    let output = loosely(&["run", &example("sfn-standard-vs-express.json")]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    for expected in [
        "state machine",
        "transitions",
        "standard (state transitions)",
        "express (requests + GB-seconds)",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    let output = loosely(&[
        "run",
        &example("sfn-standard-vs-express.json"),
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    let machines = report["cost"]["state_machines"].as_array().expect("a list");
    assert_eq!(machines.len(), 2);
    let standard = machines[0]["usd"].as_f64().expect("dollars");
    let express = machines[1]["usd"].as_f64().expect("dollars");
    // 4 transitions at $0.025 per 1,000 against $1 per million plus 2 s × 64 MB.
    assert!(standard > 10.0 * express, "{standard} vs {express}");
    let component = report["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["id"] == "express")
        .expect("the express machine");
    assert_eq!(component["Type"], "EXPRESS");
    assert!(component["ExecutionsSucceeded"].as_u64().expect("a count") > 5_000);

    for file in ["sfn-order-workflow.json", "sfn-callback-token.json"] {
        let output = loosely(&["run", &example(file), "--format", "json"]);
        assert!(output.status.success(), "{file}: {}", text(&output.stderr));
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
        let machine = report["components"]
            .as_array()
            .expect("components")
            .iter()
            .find(|c| c["kind"] == "state_machine")
            .expect("a state machine");
        assert!(
            machine["ExecutionsSucceeded"].as_u64().expect("a count") > 100,
            "{file}: {machine}"
        );
    }
}

#[test]
fn test_judges_expectations_and_exits_1_on_a_failure() {
    let exercise = example("visibility-timeout-too-short.json");
    let output = loosely(&["test", &exercise, &example("worker-pool-dlq.json")]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL  "), "{stdout}");
    assert!(
        stdout.contains(
            "No job is transcoded twice: messages received more than once from video-jobs is "
        ),
        "{stdout}"
    );
    assert!(stdout.contains("      messages: m-"), "{stdout}");
    assert!(stdout.ends_with("4 passed, 2 failed\n"), "{stdout}");

    // The exercise's answer: a visibility timeout longer than the work.
    let fixed = std::fs::read_to_string(&exercise)
        .expect("readable")
        .replace("\"VisibilityTimeout\": 30", "\"VisibilityTimeout\": 120");
    let fixed = TempFile::new("fixed.json", &fixed);
    let output = loosely(&["test", fixed.path()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(text(&output.stdout).ends_with("2 passed, 0 failed\n"));
}

#[test]
fn test_exits_2_on_an_invalid_expectation() {
    let broken = std::fs::read_to_string(example("worker-pool-dlq.json"))
        .expect("readable")
        .replace("\"at_most\": 40", "\"at_most\": 40, \"below\": 3");
    let broken = TempFile::new("broken-expectation.json", &broken);
    let output = loosely(&["test", broken.path()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stdout).contains("expectations[0]: give one bound, not at_most and below"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn sweep_prints_a_table_and_csv() {
    let file = example("visibility-timeout-too-short.json");
    let setting = "components.video-jobs.VisibilityTimeout=30,120";
    let output = loosely(&["sweep", &file, "--set", setting]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        stdout.starts_with("components.video-jobs.VisibilityTimeout  sent"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    let output = loosely(&["sweep", &file, "--set", setting, "--csv"]);
    let csv = text(&output.stdout);
    assert!(
        csv.lines()
            .nth(2)
            .is_some_and(|line| line.starts_with("120,")),
        "{csv}"
    );

    let output = loosely(&[
        "sweep",
        &file,
        "--set",
        "components.video-jobs.VisibilityTimeout=99999",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("components.video-jobs.VisibilityTimeout=99999: components[1].parameters.VisibilityTimeout: 99999 is outside 0..=43200 seconds"));
}

#[test]
fn run_writes_metrics_as_csv() {
    let csv = std::env::temp_dir().join(format!("loosely-cli-{}-metrics.csv", std::process::id()));
    let csv_path = csv.display().to_string();
    let output = loosely(&[
        "run",
        &example("worker-pool-dlq.json"),
        "--metrics-csv",
        &csv_path,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let written = std::fs::read_to_string(&csv).expect("written");
    let _ = std::fs::remove_file(&csv);
    let mut lines = written.lines();
    assert_eq!(
        lines.next(),
        Some("time_seconds,component,metric,unit,value")
    );
    assert!(
        written.contains("\n60,orders,NumberOfMessagesSent,Count,"),
        "{}",
        &written[..400.min(written.len())]
    );
    assert!(written.contains(",orders-dlq,ApproximateNumberOfMessagesVisible,Count,"));
}

#[test]
fn run_prints_batch_queues_environments_and_faults() {
    let output = loosely(&["run", &example("batch-fargate-vs-spot.json")]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    for expected in [
        "job queue",
        "SUCCEEDED",
        "compute environment",
        "FARGATE",
        "SPOT",
        "spot (compute capacity)",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    let output = loosely(&[
        "run",
        &example("batch-fargate-vs-spot.json"),
        "--format",
        "json",
    ]);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    let components = report["components"].as_array().expect("components");
    let find = |id: &str| {
        components
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id} in the report"))
    };
    // Spot is cheaper than Fargate for the same work, and its interruptions show as retries.
    let fargate = find("fargate")["cost_usd"].as_f64().expect("dollars");
    let spot = find("spot")["cost_usd"].as_f64().expect("dollars");
    assert!(spot < fargate, "{spot} vs {fargate}");
    assert!(
        find("encode-spot")["interrupted"]
            .as_u64()
            .expect("a count")
            > 0
    );
    assert_eq!(find("encode-fargate")["interrupted"], 0);

    let output = loosely(&[
        "run",
        &example("tight-vs-loose-coupling.json"),
        "--format",
        "json",
    ]);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    let faults = report["faults"].as_array().expect("faults");
    assert_eq!(faults.len(), 2);
    assert_eq!(faults[1]["component"], "billing-workers");
    assert_eq!(faults[1]["start_seconds"], 180.0);
    assert_eq!(faults[1]["end_seconds"], 420.0);
}
