use loosely_scenario::{ParseErrorKind, Scenario};

fn issues(json: &str) -> Vec<String> {
    Scenario::from_json(json)
        .unwrap_or_else(|error| panic!("{error}"))
        .validate()
        .iter()
        .map(|issue| issue.to_string())
        .collect()
}

const PIPELINE: &str = r#"
    {"id": "shop", "kind": "producer"},
    {"id": "orders", "kind": "sqs_queue"},
    {"id": "workers", "kind": "consumer"}"#;
const WIRED: &str = r#"[{"from": "shop", "to": "orders"}, {"from": "orders", "to": "workers"}]"#;

#[test]
fn three_distinct_errors_give_three_issues_with_paths() {
    let json = format!(
        r#"{{"version": 1, "duration_seconds": 0, "components": [{PIPELINE},
            {{"id": "slow", "kind": "sqs_queue", "parameters": {{"VisibilityTimeout": 50000}}}}],
            "connections": {WIRED},
            "alarms": [{{"AlarmName": "a", "component": "nowhere", "MetricName": "NumberOfMessagesSent",
                         "ComparisonOperator": "GreaterThanThreshold", "Threshold": 1}}]}}"#
    );
    assert_eq!(
        issues(&json),
        [
            "duration_seconds: 0 is outside 1..=31536000 seconds (one year)",
            "alarms[0].component: \"nowhere\" is not the id of a component",
            "components[3].parameters.VisibilityTimeout: 50000 is outside 0..=43200 seconds",
        ]
    );
}

#[test]
fn structural_problems_are_named() {
    let json = r#"{"version": 2, "components": [
        {"id": "", "kind": "sqs_queue"},
        {"id": "q", "kind": "sqs_queue"},
        {"id": "q", "kind": "sqs_queue"},
        {"id": "shop", "kind": "producer"},
        {"id": "workers", "kind": "consumer"}],
      "connections": [{"from": "shop", "to": "workers"}, {"from": "q", "to": "ghost"}]}"#;
    assert_eq!(
        issues(json),
        [
            "version: 2 is not supported; this build reads version 1",
            "components[0].id: must not be empty",
            "components[2].id: \"q\" is already the id of components[1]",
            "connections[0]: a consumer reads from a queue; \"shop\" is a producer",
            "connections[1].to: \"ghost\" is not the id of a component",
            "components[3]: a producer needs exactly one connection to a queue; \"shop\" has 0",
            "components[4]: a consumer needs exactly one connection from a queue; \"workers\" has 0",
        ]
    );
}

#[test]
fn connections_between_the_wrong_kinds_are_refused_with_a_reason() {
    let json = format!(
        r#"{{"version": 1, "components": [{PIPELINE}, {{"id": "other", "kind": "sqs_queue"}}],
            "connections": [{{"from": "shop", "to": "orders"}}, {{"from": "orders", "to": "workers"}},
              {{"from": "orders", "to": "other"}}, {{"from": "workers", "to": "shop"}}, {{"from": "workers", "to": "orders"}}]}}"#
    );
    assert_eq!(
        issues(&json),
        [
            "connections[2]: a queue is not connected to another queue; a dead-letter queue is set with the source queue's RedrivePolicy",
            "connections[3]: nothing connects into a producer; \"shop\" is a producer, connect it to the queue it sends to",
            "connections[4]: a queue receives messages from a producer; \"workers\" is a consumer",
        ]
    );
}

#[test]
fn dead_letter_targets_resolve_by_id_or_arn() {
    let json = r#"{"version": 1, "components": [
        {"id": "a", "kind": "sqs_queue", "parameters": {"RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:the-dlq"}}},
        {"id": "dlq", "name": "the-dlq", "kind": "sqs_queue"},
        {"id": "b", "kind": "sqs_queue", "parameters": {"RedrivePolicy": {"deadLetterTargetArn": "dlq", "maxReceiveCount": 5}}},
        {"id": "c", "kind": "sqs_queue", "parameters": {"RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:missing"}}},
        {"id": "d", "kind": "sqs_queue", "parameters": {"RedrivePolicy": {"deadLetterTargetArn": "d", "maxReceiveCount": 0}}}]}"#;
    assert_eq!(
        issues(json),
        [
            "components[3].parameters.RedrivePolicy.deadLetterTargetArn: \"arn:aws:sqs:us-east-1:123456789012:missing\": no queue is named \"missing\"",
            "components[4].parameters.RedrivePolicy.maxReceiveCount: 0 is outside 1..=1000",
            "components[4].parameters.RedrivePolicy.deadLetterTargetArn: a queue cannot be its own dead-letter queue",
        ]
    );
}

#[test]
fn engine_field_names_map_to_file_paths() {
    let json = r#"{"version": 1, "metric_period_seconds": 0, "components": [
        {"id": "q", "name": "bad name!", "kind": "sqs_queue"},
        {"id": "p", "kind": "producer", "parameters": {"ramps": [{"start_seconds": 10, "end_seconds": 5, "from_rate": 1, "to_rate": 2}],
            "start_seconds": -1, "message": {"body_size": {"uniform": {"min": 3, "max": 1}}}}},
        {"id": "c", "kind": "consumer", "parameters": {"empty_receive_pause_ms": 0}}],
      "connections": [{"from": "p", "to": "q"}, {"from": "q", "to": "c"}],
      "alarms": [{"AlarmName": "x", "component": "p", "MetricName": "NumberOfMessagesSent",
                  "ComparisonOperator": "GreaterThanThreshold", "Threshold": 1, "EvaluationPeriods": 0},
                 {"AlarmName": "y", "component": "q", "MetricName": "Nonsense",
                  "ComparisonOperator": "GreaterThanThreshold", "Threshold": 1}]}"#;
    let found = issues(json);
    let expected = [
        "components[1].parameters.start_seconds: -1 must be a finite number >= 0 seconds",
        "metric_period_seconds: ",
        "components[0].name: \"bad name!\": a queue name may only contain letters, digits, hyphens and underscores",
        "components[1].parameters.ramps[0].end_seconds: ends before it starts",
        "components[1].parameters.message.body_size: min: 3 is greater than max 1",
        "components[2].parameters.empty_receive_pause_ms: 0 ms is outside 1..=60000 milliseconds",
        "alarms[0].MetricName: NumberOfMessagesSent is not a metric of a producer",
        "alarms[0].EvaluationPeriods: 0 is outside 1..=100",
        "alarms[1].MetricName: \"Nonsense\" is not a metric; known metrics: ",
    ];
    for prefix in expected {
        assert!(
            found.iter().any(|issue| issue.starts_with(prefix)),
            "no issue starts with {prefix:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn unknown_parameter_names_are_parse_errors_listing_the_allowed_ones() {
    let json = "{\"version\": 1, \"components\": [\n  {\"id\": \"q\", \"kind\": \"sqs_queue\",\n   \"parameters\": {\"VisibilityTimeOut\": 30}}]}";
    let error = Scenario::from_json(json).expect_err("a typo");
    assert_eq!(error.kind, ParseErrorKind::Shape);
    assert_eq!(error.line, 3);
    assert_eq!(error.path, "components[0]");
    assert!(
        error.message.starts_with(
            "unknown field `VisibilityTimeOut`, expected one of `FifoQueue`, `VisibilityTimeout`"
        ),
        "{error}"
    );
    let shown = error.to_string();
    assert!(
        shown.starts_with("components[0]: line 3, column "),
        "{shown}"
    );

    let error = Scenario::from_json(r#"{"version": 1, "sed": 4}"#).expect_err("a typo");
    assert!(error.message.contains("unknown field `sed`"), "{error}");
    let error = Scenario::from_json("{\"version\": 1,").expect_err("cut short");
    assert_eq!(error.kind, ParseErrorKind::Eof);
    let error = Scenario::from_json("{\"version\": 1} trailing").expect_err("trailing text");
    assert_eq!(error.kind, ParseErrorKind::Syntax);
}

#[test]
fn distributions_accept_a_bare_number_and_name_unknown_forms() {
    let json = r#"{"version": 1, "components": [
        {"id": "c", "kind": "consumer", "parameters": {"processing_time": 0.5}}]}"#;
    let scenario = Scenario::from_json(json).expect("a bare number is a constant");
    let loosely_scenario::Component::Consumer(node) = &scenario.components[0] else {
        panic!("a consumer")
    };
    assert_eq!(
        node.parameters.processing_time,
        Some(loosely_scenario::Distribution::Constant(0.5))
    );
    let json = r#"{"version": 1, "components": [
        {"id": "c", "kind": "consumer", "parameters": {"processing_time": {"gamma": {"k": 1}}}}]}"#;
    let error = Scenario::from_json(json).expect_err("no gamma");
    assert!(error.message.contains("unknown variant `gamma`"), "{error}");
}
