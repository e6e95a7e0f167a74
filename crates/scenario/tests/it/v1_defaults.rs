//! The defaults of format version 1 are frozen: a parameter left out of a v1 file means the
//! value pinned here, even if the engine's `Default` impls change.

use loosely_engine::{
    Arrival, ComponentKind, DedupIds, DeduplicationScope, DeleteMode, Distribution,
    FifoThroughputLimit, GroupChoice, LimitProfile, RedriveAllowPolicy, SimDuration, SimTime,
};
use loosely_scenario::Scenario;

const MINIMAL: &str = r#"{
  "version": 1,
  "components": [
    {"id": "q", "kind": "sqs_queue"},
    {"id": "dlq", "kind": "sqs_queue"},
    {"id": "p", "kind": "producer"},
    {"id": "c", "kind": "consumer"},
    {"id": "r", "kind": "sqs_queue", "parameters": {"RedrivePolicy": {"deadLetterTargetArn": "dlq"}}},
    {"id": "p2", "kind": "producer", "parameters": {"message": {}}}
  ],
  "connections": [{"from": "p", "to": "q"}, {"from": "q", "to": "c"}, {"from": "p2", "to": "r"}],
  "alarms": [{"AlarmName": "a", "component": "q", "MetricName": "NumberOfMessagesSent",
              "ComparisonOperator": "GreaterThanThreshold", "Threshold": 5}]
}"#;

#[test]
fn v1_defaults_are_pinned() {
    let scenario = Scenario::from_json(MINIMAL).expect("parses");
    let lowered = scenario.lower().expect("valid");
    let model = &lowered.model;
    assert_eq!(model.seed, 1);
    assert_eq!(lowered.duration, SimTime::from_secs(3_600));
    assert_eq!(model.limit_profile, LimitProfile::Current);
    assert_eq!(model.metric_period, SimDuration::from_secs(60));
    assert!(!model.free_tier);
    assert_eq!(model.alarms[0].evaluation_periods, 1);
    assert_eq!(lowered.ids, ["q", "dlq", "p", "c", "r", "p2"]);

    let ComponentKind::Queue(queue) = &model.components[0].kind else {
        panic!("a queue")
    };
    assert_eq!(model.components[0].name, "q", "the name defaults to the id");
    assert!(!queue.fifo_queue);
    assert_eq!(queue.visibility_timeout, 30);
    assert_eq!(queue.delay_seconds, 0);
    assert_eq!(queue.message_retention_period, 345_600);
    assert_eq!(queue.receive_message_wait_time_seconds, 0);
    assert_eq!(queue.maximum_message_size, 1_048_576);
    assert_eq!(queue.redrive_policy, None);
    assert_eq!(queue.redrive_allow_policy, RedriveAllowPolicy::AllowAll);
    assert!(!queue.content_based_deduplication);
    assert_eq!(queue.deduplication_scope, DeduplicationScope::Queue);
    assert_eq!(queue.fifo_throughput_limit, FifoThroughputLimit::PerQueue);
    assert!(queue.sqs_managed_sse_enabled);
    assert_eq!(queue.kms_master_key_id, None);
    assert_eq!(queue.kms_data_key_reuse_period_seconds, 300);
    assert_eq!(queue.duplicate_delivery_probability, 0.0);
    assert_eq!(queue.reorder_probability, 0.0);
    assert_eq!(queue.allowed_source_topics, None);

    let ComponentKind::Queue(with_redrive) = &model.components[4].kind else {
        panic!("a queue")
    };
    let policy = with_redrive
        .redrive_policy
        .as_ref()
        .expect("a redrive policy");
    assert_eq!(policy.dead_letter_target, 1);
    assert_eq!(policy.max_receive_count, 10);

    for index in [2, 5] {
        let ComponentKind::Producer(producer) = &model.components[index].kind else {
            panic!("a producer")
        };
        assert_eq!(producer.arrival, Arrival::Poisson);
        assert_eq!(producer.rate_per_second, 1.0);
        assert!(producer.ramps.is_empty() && producer.spikes.is_empty());
        assert!(producer.bursts.is_empty());
        assert_eq!(producer.start, SimDuration::ZERO);
        assert_eq!(producer.stop, None);
        assert_eq!(producer.total_count, None);
        assert_eq!(producer.batch_size, 1);
        let template = &producer.template;
        assert_eq!(
            template.body_size,
            Distribution::Constant { value: 1_024.0 }
        );
        assert!(template.attributes.is_empty() && template.group_ids.is_empty());
        assert_eq!(template.group_choice, GroupChoice::RoundRobin);
        assert_eq!(template.dedup_ids, DedupIds::None);
        assert_eq!(template.duplicate_share, 0.0);
        assert_eq!(template.delay_seconds, None);
        assert!(template.variants.is_empty());
        assert_eq!(template.extended_client_bucket, None);
    }

    let ComponentKind::Consumer(consumer) = &model.components[3].kind else {
        panic!("a consumer")
    };
    assert_eq!(consumer.source, 0);
    assert_eq!(consumer.workers, 1);
    assert_eq!(consumer.wait_time_seconds, None);
    assert_eq!(consumer.max_number_of_messages, 1);
    assert_eq!(consumer.visibility_timeout, None);
    assert_eq!(
        consumer.processing_time,
        Distribution::Constant { value: 0.1 }
    );
    assert_eq!(consumer.failure_probability, 0.0);
    assert_eq!(consumer.heartbeat, None);
    assert_eq!(consumer.delete_mode, DeleteMode::PerMessage);
    assert_eq!(consumer.empty_receive_pause, SimDuration::from_millis(100));
}

#[test]
fn a_kms_key_turns_off_sse_sqs_unless_the_file_says_otherwise() {
    let json = r#"{"version": 1, "components": [
        {"id": "q", "kind": "sqs_queue", "parameters": {"KmsMasterKeyId": "alias/aws/sqs"}}]}"#;
    let lowered = Scenario::from_json(json)
        .expect("parses")
        .lower()
        .expect("valid");
    let ComponentKind::Queue(queue) = &lowered.model.components[0].kind else {
        panic!("a queue")
    };
    assert!(!queue.sqs_managed_sse_enabled);
    assert_eq!(queue.kms_master_key_id.as_deref(), Some("alias/aws/sqs"));
}

#[test]
fn the_exam_profile_defaults_to_its_largest_message() {
    let json = r#"{"version": 1, "limit_profile": "exam", "components": [{"id": "q", "kind": "sqs_queue"}]}"#;
    let lowered = Scenario::from_json(json)
        .expect("parses")
        .lower()
        .expect("valid");
    let ComponentKind::Queue(queue) = &lowered.model.components[0].kind else {
        panic!("a queue")
    };
    assert_eq!(lowered.model.limit_profile, LimitProfile::Exam);
    assert_eq!(queue.maximum_message_size, 262_144);
}

const SNS_MINIMAL: &str = r#"{
  "version": 1,
  "components": [
    {"id": "t", "kind": "sns_topic"},
    {"id": "q", "kind": "sqs_queue"},
    {"id": "e", "kind": "endpoint"},
    {"id": "b", "kind": "s3_bucket"},
    {"id": "p", "kind": "producer", "parameters": {"message": {"variants": [{}]}}},
    {"id": "t2", "kind": "sns_topic", "parameters": {"DeliveryPolicy": {"http": {}}}}
  ],
  "connections": [
    {"from": "p", "to": "t"},
    {"from": "t", "to": "q"},
    {"from": "t", "to": "e"},
    {"from": "t2", "to": "e", "subscription": {"DeliveryPolicy": {}}}
  ]
}"#;

#[test]
fn v1_sns_defaults_are_pinned() {
    use loosely_engine::{
        BackoffFunction, EndpointKind, FifoThroughputScope, FilterScope, Protocol,
    };
    let lowered = Scenario::from_json(SNS_MINIMAL)
        .expect("parses")
        .lower()
        .expect("valid");
    let model = &lowered.model;
    let ComponentKind::Topic(topic) = &model.components[0].kind else {
        panic!("a topic")
    };
    assert!(!topic.fifo_topic);
    assert!(!topic.content_based_deduplication);
    assert_eq!(topic.fifo_throughput_scope, FifoThroughputScope::Topic);
    assert_eq!(topic.delivery_policy, None);
    assert_eq!(topic.allowed_publishers, None);
    assert_eq!(topic.subscriptions.len(), 2);
    for (subscription, (endpoint, protocol)) in topic
        .subscriptions
        .iter()
        .zip([(1, Protocol::Sqs), (2, Protocol::Http)])
    {
        assert_eq!(subscription.endpoint, endpoint);
        assert_eq!(subscription.protocol, protocol);
        assert_eq!(subscription.filter_policy, None);
        assert_eq!(
            subscription.filter_policy_scope,
            FilterScope::MessageAttributes
        );
        assert!(!subscription.raw_message_delivery);
        assert_eq!(subscription.delivery_policy, None);
        assert_eq!(subscription.dead_letter_queue, None);
    }

    let ComponentKind::Endpoint(endpoint) = &model.components[2].kind else {
        panic!("an endpoint")
    };
    assert_eq!(endpoint.kind, EndpointKind::Http);
    assert_eq!(endpoint.latency, Distribution::Constant { value: 0.05 });
    assert_eq!(endpoint.server_error_probability, 0.0);
    assert_eq!(endpoint.client_error_probability, 0.0);
    assert!(model.faults.is_empty());
    assert!(matches!(model.components[3].kind, ComponentKind::Bucket(_)));

    let ComponentKind::Producer(producer) = &model.components[4].kind else {
        panic!("a producer")
    };
    assert_eq!(producer.target, 0);
    let variant = &producer.template.variants[0];
    assert_eq!(variant.weight, 1.0);
    assert!(variant.attributes.is_empty());
    assert_eq!(variant.body, None);

    // An empty delivery policy is SNS's default one: 3 retries 20 seconds apart.
    let ComponentKind::Topic(with_policy) = &model.components[5].kind else {
        panic!("a topic")
    };
    for policy in [
        with_policy
            .delivery_policy
            .as_ref()
            .expect("a topic policy"),
        with_policy.subscriptions[0]
            .delivery_policy
            .as_ref()
            .expect("a subscription policy"),
    ] {
        assert_eq!(policy.min_delay_target, 20);
        assert_eq!(policy.max_delay_target, 20);
        assert_eq!(policy.num_retries, 3);
        assert_eq!(policy.num_no_delay_retries, 0);
        assert_eq!(policy.num_min_delay_retries, 0);
        assert_eq!(policy.num_max_delay_retries, 0);
        assert_eq!(policy.backoff_function, BackoffFunction::Linear);
        assert_eq!(policy.max_receives_per_second, None);
    }
}

#[test]
fn endpoints_default_to_their_kinds_protocol() {
    use loosely_engine::Protocol;
    let kinds = [
        ("http", Protocol::Http),
        ("email", Protocol::Email),
        ("sms", Protocol::Sms),
        ("mobile_push", Protocol::Application),
        ("firehose", Protocol::Firehose),
        ("lambda", Protocol::Lambda),
    ];
    for (kind, protocol) in kinds {
        let json = format!(
            r#"{{"version": 1, "components": [{{"id": "t", "kind": "sns_topic"}},
                {{"id": "e", "kind": "endpoint", "parameters": {{"endpoint_kind": "{kind}"}}}}],
                "connections": [{{"from": "t", "to": "e"}}]}}"#
        );
        let lowered = Scenario::from_json(&json)
            .expect("parses")
            .lower()
            .unwrap_or_else(|issues| panic!("{kind}: {issues:?}"));
        let ComponentKind::Topic(topic) = &lowered.model.components[0].kind else {
            panic!("a topic")
        };
        assert_eq!(topic.subscriptions[0].protocol, protocol, "{kind}");
    }
}

#[test]
fn an_auto_scaling_group_takes_aws_default_warm_up_and_cooldown() {
    use loosely_engine::autoscaling::{ScalingMetric, ScalingPolicy};
    let json = r#"{"version": 1, "components": [
        {"id": "q", "kind": "sqs_queue"},
        {"id": "c", "kind": "consumer", "parameters": {"workers": 2, "auto_scaling": {
            "MinSize": 1, "MaxSize": 10,
            "TargetTrackingConfiguration": {"MetricName": "BacklogPerInstance", "TargetValue": 50}}}}],
      "connections": [{"from": "q", "to": "c"}]}"#;
    let lowered = Scenario::from_json(json)
        .expect("parses")
        .lower()
        .expect("valid");
    let ComponentKind::Consumer(consumer) = &lowered.model.components[1].kind else {
        panic!("a consumer")
    };
    let group = consumer.auto_scaling.as_ref().expect("a group");
    assert_eq!((group.min_size, group.max_size), (1, 10));
    assert_eq!(group.instance_warmup, SimDuration::from_secs(300));
    assert_eq!(group.cooldown, SimDuration::from_secs(300));
    assert_eq!(
        group.policy,
        ScalingPolicy::TargetTracking {
            metric: ScalingMetric::BacklogPerInstance,
            target_value: 50.0
        }
    );
}

#[test]
fn an_auto_scaling_group_needs_one_policy_and_a_desired_capacity_within_its_bounds() {
    let json = r#"{"version": 1, "components": [
        {"id": "q", "kind": "sqs_queue"},
        {"id": "c", "kind": "consumer", "parameters": {"workers": 20, "auto_scaling": {
            "MinSize": 1, "MaxSize": 10}}},
        {"id": "d", "kind": "consumer", "parameters": {"auto_scaling": {
            "MinSize": 1, "MaxSize": 10,
            "StepScalingPolicy": {"MetricName": "ApproximateNumberOfMessagesVisible", "Threshold": 100,
                "StepAdjustments": [{"MetricIntervalLowerBound": 50, "MetricIntervalUpperBound": 10,
                                     "ScalingAdjustment": 2}]}}}}],
      "connections": [{"from": "q", "to": "c"}, {"from": "q", "to": "d"}]}"#;
    assert_eq!(
        crate::issues(json),
        [
            "components[1].parameters.auto_scaling.TargetTrackingConfiguration: an Auto Scaling group here needs exactly one of TargetTrackingConfiguration and StepScalingPolicy; this one has neither",
            "components[2].parameters.auto_scaling.StepScalingPolicy.StepAdjustments[0].MetricIntervalUpperBound: 10 is not above MetricIntervalLowerBound 50",
        ]
    );
}
