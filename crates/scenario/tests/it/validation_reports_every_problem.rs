use loosely_scenario::{ParseErrorKind, Scenario};

use crate::issues;

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
            "connections[0]: a consumer reads from a queue or an Amazon MQ broker; \"shop\" is a producer",
            "connections[1].to: \"ghost\" is not the id of a component",
            "components[3]: a producer needs exactly one connection to a queue, an SNS topic, a state machine, a Batch job queue or an Amazon MQ broker; \"shop\" has 0",
            "components[4]: a consumer needs exactly one connection from a queue or an Amazon MQ broker; \"workers\" has 0",
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
            "connections[3]: nothing connects into a producer; \"shop\" is a producer, connect it to the queue or topic it sends to",
            "connections[4]: a queue receives messages from a producer or an SNS topic; \"workers\" is a consumer",
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

/// A topic `news` with a producer `press`, a standard queue `inbox` and an HTTP endpoint `hook`.
const FANOUT: &str = r#"
    {"id": "press", "kind": "producer"},
    {"id": "news", "kind": "sns_topic"},
    {"id": "inbox", "kind": "sqs_queue"},
    {"id": "hook", "kind": "endpoint"}"#;

#[test]
fn sns_connection_shapes_are_refused_with_a_reason() {
    let json = format!(
        r#"{{"version": 1, "components": [{FANOUT}, {{"id": "big", "kind": "s3_bucket"}}],
            "connections": [{{"from": "press", "to": "news"}}, {{"from": "news", "to": "inbox"}},
              {{"from": "inbox", "to": "news"}}, {{"from": "press", "to": "hook"}},
              {{"from": "press", "to": "big"}},
              {{"from": "press", "to": "inbox", "subscription": {{"RawMessageDelivery": true}}}}]}}"#
    );
    assert_eq!(
        issues(&json),
        [
            "connections[2]: an SNS topic receives messages a producer publishes; \"inbox\" is a queue",
            "connections[3]: an endpoint receives deliveries of an SNS topic it subscribes to; \"press\" is a producer",
            "connections[4]: nothing connects into an S3 bucket; a producer stores large bodies in \"big\" through its message.extended_client_bucket",
            "connections[5].subscription: only an arrow from an SNS topic to a queue, an endpoint or a Lambda function is a subscription; this one goes from a producer to a queue",
            "components[0]: a producer needs exactly one connection to a queue, an SNS topic, a state machine, a Batch job queue or an Amazon MQ broker; \"press\" has 2",
        ]
    );
}

#[test]
fn sns_engine_refusals_map_to_the_connection_of_the_subscription() {
    let json = r#"{"version": 1, "components": [
        {"id": "press", "kind": "producer", "parameters": {"message": {"group_ids": ["g"], "dedup_ids": "unique"}}},
        {"id": "news.fifo", "kind": "sns_topic", "parameters": {"FifoTopic": true,
            "DeliveryPolicy": {"http": {"defaultHealthyRetryPolicy": {"maxDelayTarget": 5000}}}}},
        {"id": "plain", "kind": "sns_topic"},
        {"id": "orders.fifo", "kind": "sqs_queue", "parameters": {"FifoQueue": true}},
        {"id": "hook", "kind": "endpoint", "parameters": {"downtime": [{"start_seconds": 60, "end_seconds": 10}]}}],
      "connections": [
        {"from": "press", "to": "news.fifo"},
        {"from": "news.fifo", "to": "orders.fifo"},
        {"from": "news.fifo", "to": "hook", "subscription": {"Protocol": "https"}},
        {"from": "plain", "to": "orders.fifo", "subscription": {"FilterPolicy": {"store": []}}},
        {"from": "plain", "to": "hook", "subscription": {"DeliveryPolicy": {"healthyRetryPolicy": {"numRetries": 101}}}}]}"#;
    assert_eq!(
        issues(json),
        [
            "components[4].parameters.downtime[0].end_seconds: ends before it starts",
            "components[1].parameters.DeliveryPolicy.http.defaultHealthyRetryPolicy.maxDelayTarget: 5000 is outside 1..=3600 seconds",
            "connections[2].subscription.Protocol: a FIFO topic delivers only to SQS queues, not over https",
            "connections[3].to: a FIFO queue can only subscribe to a FIFO topic",
            "connections[3].subscription.FilterPolicy: Invalid parameter: FilterPolicy: Empty arrays are not allowed",
            "connections[4].subscription.DeliveryPolicy.healthyRetryPolicy.numRetries: 101 is outside 0..=100",
        ]
    );
}

#[test]
fn sns_references_name_the_wrong_kind() {
    let json = r#"{"version": 1, "components": [
        {"id": "press", "kind": "producer", "parameters": {"message": {"extended_client_bucket": "inbox"}}},
        {"id": "news", "kind": "sns_topic", "parameters": {"allowed_publishers": ["inbox", "ghost"]}},
        {"id": "inbox", "kind": "sqs_queue", "parameters": {"allowed_source_topics": ["press"]}},
        {"id": "hook", "kind": "endpoint"}],
      "connections": [
        {"from": "press", "to": "news"},
        {"from": "news", "to": "inbox"},
        {"from": "news", "to": "hook", "subscription": {"RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:missing"}}}]}"#;
    assert_eq!(
        issues(json),
        [
            "components[0].parameters.message.extended_client_bucket: \"inbox\" is a queue, not an S3 bucket",
            "components[1].parameters.allowed_publishers[0]: \"inbox\" is a queue, not a producer",
            "components[1].parameters.allowed_publishers[1]: \"ghost\" is not the id of a component",
            "connections[2].subscription.RedrivePolicy.deadLetterTargetArn: \"arn:aws:sqs:us-east-1:123456789012:missing\": no queue is named \"missing\"",
            "components[2].parameters.allowed_source_topics[0]: \"press\" is a producer, not an SNS topic",
        ]
    );
}

#[test]
fn a_valid_fanout_lowers_subscriptions_in_connection_order() {
    let json = format!(
        r#"{{"version": 1, "components": [{FANOUT}, {{"id": "mail", "kind": "endpoint", "parameters": {{"endpoint_kind": "mobile_push"}}}}],
            "connections": [{{"from": "news", "to": "mail"}}, {{"from": "press", "to": "news"}},
              {{"from": "news", "to": "inbox"}}, {{"from": "news", "to": "hook"}}]}}"#
    );
    let lowered = Scenario::from_json(&json)
        .expect("parses")
        .lower()
        .expect("valid");
    let loosely_engine::ComponentKind::Topic(topic) = &lowered.model.components[1].kind else {
        panic!("a topic")
    };
    let wired: Vec<(usize, &str)> = topic
        .subscriptions
        .iter()
        .map(|s| (s.endpoint, s.protocol.as_str()))
        .collect();
    assert_eq!(wired, [(4, "application"), (2, "sqs"), (3, "http")]);
}

#[test]
fn faults_are_checked_with_their_paths() {
    let json = r#"{"version": 1, "components": [
        {"id": "orders", "kind": "sqs_queue"},
        {"id": "workers", "kind": "consumer"}],
      "connections": [{"from": "orders", "to": "workers"}],
      "faults": [
        {"component": "orders", "start_seconds": 10, "duration_seconds": 5},
        {"component": "nobody", "start_seconds": 10, "duration_seconds": 5},
        {"component": "workers", "effect": "slow", "start_seconds": -1, "duration_seconds": 0, "share": 0.5, "factor": 0.5},
        {"component": "workers", "effect": "fail", "start_seconds": 0, "duration_seconds": 5, "share": 2, "factor": 3},
        {"component": "workers", "effect": "stop", "start_seconds": 0, "duration_seconds": 5, "share": 0.34}]}"#;
    assert_eq!(
        issues(json),
        [
            "faults[1].component: \"nobody\" is not the id of a component",
            "faults[2].start_seconds: -1 must be a finite number >= 0 seconds",
            "faults[2].share: share applies to stop and fail; a slow fault takes a factor",
            "faults[3].factor: factor applies to slow faults; a fail fault takes a share",
            "faults[0].component: \"orders\" (a standard queue) takes no faults; faults apply to consumer pools, endpoints, state machines, Batch compute environments, Amazon MQ brokers, AppFlow flows and Application Load Balancers",
            "faults[2].duration_seconds: 0 s: a fault lasts more than 0 seconds",
            "faults[2].factor: 0.5 is outside 1..=1000",
            "faults[3].share: 2 is outside 0 (excluded)..=1",
        ]
    );
}
