//! Lambda functions in the file: defaults, connections, and problems at their JSON paths.

use loosely_engine::{Architecture, ComponentKind, Distribution, Protocol, SimDuration};
use loosely_scenario::Scenario;

use crate::issues;

#[test]
fn a_bare_function_takes_the_v1_defaults_and_its_arrows_become_invocations() {
    let json = r#"{"version": 1, "components": [
        {"id": "jobs", "kind": "sqs_queue"},
        {"id": "events", "kind": "sns_topic"},
        {"id": "worker", "kind": "lambda_function"}],
      "connections": [{"from": "jobs", "to": "worker"}, {"from": "events", "to": "worker"}]}"#;
    let lowered = Scenario::from_json(json)
        .expect("parses")
        .lower()
        .expect("valid");
    assert_eq!(lowered.model.lambda_account_concurrency, 1_000);
    let ComponentKind::Lambda(spec) = &lowered.model.components[2].kind else {
        panic!("a function")
    };
    assert_eq!((spec.memory_size, spec.timeout), (128, 3));
    assert_eq!(spec.architecture, Architecture::X86_64);
    assert_eq!(spec.duration, Distribution::Constant { value: 0.1 });
    assert_eq!(spec.init_duration, Distribution::Constant { value: 0.25 });
    assert_eq!(spec.keep_warm, SimDuration::from_secs(600));
    assert_eq!(spec.error_probability, 0.0);
    assert_eq!(spec.reserved_concurrent_executions, None);
    assert_eq!(
        (spec.maximum_retry_attempts, spec.maximum_event_age_seconds),
        (2, 21_600)
    );
    assert_eq!((spec.on_failure, spec.dead_letter), (None, None));
    assert_eq!(spec.event_sources.len(), 1);
    let esm = &spec.event_sources[0];
    assert_eq!(esm.source, 0);
    assert_eq!(
        (esm.batch_size, esm.maximum_batching_window_seconds),
        (10, 0)
    );
    assert_eq!(esm.maximum_concurrency, None);
    assert!(!esm.report_batch_item_failures);
    let ComponentKind::Topic(topic) = &lowered.model.components[1].kind else {
        panic!("a topic")
    };
    assert_eq!(topic.subscriptions[0].protocol, Protocol::Lambda);
    assert_eq!(topic.subscriptions[0].endpoint, 2);
}

#[test]
fn mapping_and_function_problems_are_reported_at_their_paths() {
    let json = r#"{"version": 1, "account": {"LambdaConcurrentExecutions": 200},
      "components": [
        {"id": "jobs", "kind": "sqs_queue"},
        {"id": "shop", "kind": "producer"},
        {"id": "worker", "kind": "lambda_function", "parameters": {
            "MemorySize": 20000, "keep_warm_seconds": 90000, "ReservedConcurrentExecutions": 150,
            "DestinationConfig": {"OnFailure": {"Destination": "shop"}},
            "DeadLetterConfig": {"TargetArn": "arn:aws:sqs:us-east-1:123456789012:nowhere"}}}],
      "connections": [
        {"from": "shop", "to": "jobs"},
        {"from": "jobs", "to": "worker", "event_source_mapping": {"BatchSize": 50,
            "ScalingConfig": {"MaximumConcurrency": 1}}},
        {"from": "shop", "to": "worker"}]}"#;
    assert_eq!(
        issues(json),
        [
            "connections[2]: a Lambda function is invoked by an SQS queue connected to it (an event source mapping) or by an SNS topic it subscribes to; \"shop\" is a producer",
            "components[2].parameters.DestinationConfig.OnFailure.Destination: \"shop\" is a producer, not an SQS queue or an SNS topic",
            "components[2].parameters.DeadLetterConfig.TargetArn: \"arn:aws:sqs:us-east-1:123456789012:nowhere\" is neither the id of a queue or topic nor an SQS or SNS ARN of one",
            "account.LambdaConcurrentExecutions: the functions reserve 150 concurrent executions together; at most 100 of the account's 200 can be reserved (Lambda keeps 100 unreserved)",
            "components[2].parameters.MemorySize: 20000 is outside 128..=10240 MB",
            "components[2].parameters.keep_warm_seconds: 90000 s is outside 0..=86400 seconds",
            "components[2].parameters.ReservedConcurrentExecutions: 150 is outside 0..=100: Lambda keeps 100 of the account's 200 concurrent executions unreserved",
            "connections[1].event_source_mapping.MaximumBatchingWindowInSeconds: 0 is too short: a BatchSize above 10 (50) needs a batching window of at least 1 second",
            "connections[1].event_source_mapping.ScalingConfig.MaximumConcurrency: 1 is outside 2..=1000",
        ]
    );
}

#[test]
fn settings_on_the_wrong_arrow_are_refused() {
    let json = r#"{"version": 1, "components": [
        {"id": "shop", "kind": "producer"},
        {"id": "jobs", "kind": "sqs_queue"}],
      "connections": [{"from": "shop", "to": "jobs", "event_source_mapping": {"BatchSize": 5}}]}"#;
    assert_eq!(
        issues(json),
        ["connections[0].event_source_mapping: only an arrow from an SQS queue to a Lambda function is an event source mapping; this one goes from a producer to a queue"]
    );
}

#[test]
fn destinations_resolve_by_id_or_arn() {
    let json = r#"{"version": 1, "components": [
        {"id": "events", "kind": "sns_topic"},
        {"id": "failures", "kind": "sqs_queue", "name": "failed-events"},
        {"id": "alerts", "kind": "sns_topic", "name": "ops-alerts"},
        {"id": "worker", "kind": "lambda_function", "parameters": {
            "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:eu-west-1:123456789012:failed-events"}},
            "DeadLetterConfig": {"TargetArn": "arn:aws:sns:eu-west-1:123456789012:ops-alerts"}}}],
      "connections": [{"from": "events", "to": "worker"}]}"#;
    let lowered = Scenario::from_json(json)
        .expect("parses")
        .lower()
        .expect("valid");
    let ComponentKind::Lambda(spec) = &lowered.model.components[3].kind else {
        panic!("a function")
    };
    assert_eq!((spec.on_failure, spec.dead_letter), (Some(1), Some(2)));
}
