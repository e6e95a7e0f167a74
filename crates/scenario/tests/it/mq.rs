//! Amazon MQ brokers in scenario files: validation with paths, lowering, running.

use loosely_engine::{ComponentStats, SimTime};
use loosely_scenario::Scenario;

use crate::issues;

/// A broker with a producer and a consumer pool; `broker`, `producer` and `consumer` are
/// extra parameters of each.
fn scenario(broker: &str, producer: &str, consumer: &str) -> String {
    format!(
        r#"{{"version": 1, "duration_seconds": 120, "components": [
            {{"id": "app", "kind": "producer", "parameters": {{"rate_per_second": 10 {producer}}}}},
            {{"id": "mq", "kind": "mq_broker", "parameters": {{"vpc": "app-vpc" {broker}}}}},
            {{"id": "workers", "kind": "consumer", "parameters": {{"queue": "orders" {consumer}}}}}],
          "connections": [{{"from": "app", "to": "mq"}}, {{"from": "mq", "to": "workers"}}]}}"#
    )
}

const ORDERS: &str = r#", "queues": [{"name": "orders"}]"#;
const IN_VPC: &str = r#", "vpc": "app-vpc""#;

#[test]
fn a_valid_broker_runs_and_its_consumers_acknowledge() {
    let json = scenario(
        ORDERS,
        &format!(r#"{IN_VPC}, "destination": "orders""#),
        IN_VPC,
    );
    assert_eq!(issues(&json), Vec::<String>::new());
    let mut built = Scenario::from_json(&json)
        .expect("parses")
        .build()
        .expect("builds");
    built.simulation.run_until(SimTime::from_secs(120));
    let Some(ComponentStats::Broker(stats)) = built.simulation.stats(1) else {
        panic!("component 1 is a broker");
    };
    assert!(stats.census.acknowledged > 1_000, "{stats:?}");
    assert_eq!(stats.census.lost + stats.census.refused, 0);
    built.simulation.check_invariants().expect("conserved");
}

#[test]
fn clients_outside_the_brokers_vpc_are_refused_on_their_own_paths() {
    let json = scenario(
        ORDERS,
        r#", "vpc": "other-vpc", "destination": "orders""#,
        "",
    );
    assert_eq!(
        issues(&json),
        [
            "components[0].parameters.vpc: the producer is in VPC \"other-vpc\" but the broker is in VPC \"app-vpc\": an Amazon MQ broker is private, only clients in its VPC connect (SQS and SNS are public endpoints)",
            "components[2].parameters.vpc: the consumer pool is in no VPC but the broker is in VPC \"app-vpc\": an Amazon MQ broker is private, only clients in its VPC connect (SQS and SNS are public endpoints)",
        ]
    );
}

#[test]
fn broker_settings_name_field_value_and_allowed_range() {
    let json = scenario(
        r#", "engine": "RABBITMQ", "deployment_mode": "ACTIVE_STANDBY_MULTI_AZ",
            "max_redeliveries": 0, "failover_delay_seconds": 7200,
            "queues": [{"name": "orders"}, {"name": "orders"}],
            "virtual_topics": [{"name": "t", "consumer_groups": ["a"]}],
            "exchanges": [{"name": "x", "type": "topic", "bindings": [{"queue": "ghost", "routing_key": "a.*"}]}],
            "failures": [{"start_seconds": 10, "duration_seconds": 0}]"#,
        &format!(r#"{IN_VPC}, "destination": "nowhere", "persistent_share": 1.5"#),
        &format!(r#"{IN_VPC}, "prefetch_count": 0"#),
    );
    assert_eq!(
        issues(&json),
        [
            "components[1].parameters.deployment_mode: ACTIVE_STANDBY_MULTI_AZ is not a deployment mode of RABBITMQ: allowed SINGLE_INSTANCE or CLUSTER_MULTI_AZ",
            "components[1].parameters.failover_delay_seconds: 7200 s is outside 0..=3600 seconds",
            "components[1].parameters.max_redeliveries: 0 is outside 1..=1000",
            "components[1].parameters.queues[1].name: \"orders\" is declared twice",
            "components[1].parameters.virtual_topics: virtual topics are ActiveMQ destinations; RabbitMQ routes with exchanges",
            "components[1].parameters.virtual_topics[0].consumer_groups[0]: the queue \"Consumer.a.VirtualTopic.t\" is not declared in queues",
            "components[1].parameters.exchanges[0].bindings[0].queue: \"ghost\" is not a queue of the broker",
            "components[1].parameters.failures[0].duration_seconds: 0 s: a failure lasts more than 0 seconds",
            "components[0].parameters.destination: \"nowhere\" is not a destination of the broker (an exchange, or \"\" for the default exchange)",
            "components[0].parameters.persistent_share: 1.5 is outside 0..=1",
            "components[2].parameters.prefetch_count: 0 is outside 1..=1000",
        ]
    );
}

#[test]
fn broker_settings_on_sqs_clients_and_a_missing_queue_are_named() {
    let json = r#"{"version": 1, "components": [
        {"id": "app", "kind": "producer", "parameters": {"destination": "orders"}},
        {"id": "q", "kind": "sqs_queue"},
        {"id": "w", "kind": "consumer", "parameters": {"prefetch_count": 5}},
        {"id": "mq", "kind": "mq_broker", "parameters": {"queues": [{"name": "a"}]}},
        {"id": "w2", "kind": "consumer"},
        {"id": "q2", "kind": "sqs_queue"}],
      "connections": [{"from": "app", "to": "q"}, {"from": "q", "to": "w"},
                      {"from": "mq", "to": "w2"}, {"from": "mq", "to": "q2"}]}"#;
    assert_eq!(
        issues(json),
        [
            "connections[3]: a queue receives messages from a producer or an SNS topic; \"mq\" is an Amazon MQ broker",
            "components[0].parameters.destination: destination is an Amazon MQ setting; \"app\" is not connected to a broker",
            "components[2].parameters.prefetch_count: prefetch_count is an Amazon MQ setting; \"w\" is not connected to a broker",
            "components[4].parameters.queue: a consumer pool reading an Amazon MQ broker names the broker queue it reads",
            "components[4].parameters.queue: \"\" is not a queue of the broker",
            "components[4].parameters.vpc: the consumer pool is in no VPC but the broker is in VPC \"default\": an Amazon MQ broker is private, only clients in its VPC connect (SQS and SNS are public endpoints)",
        ]
    );
}

#[test]
fn unknown_engines_and_modes_are_parse_errors_listing_the_allowed_values() {
    let json = r#"{"version": 1, "components": [
        {"id": "mq", "kind": "mq_broker", "parameters": {"engine": "KAFKA"}}]}"#;
    let error = Scenario::from_json(json)
        .expect_err("not an engine")
        .to_string();
    assert!(error.contains("KAFKA"), "{error}");
    assert!(
        error.contains("ACTIVEMQ") && error.contains("RABBITMQ"),
        "{error}"
    );
}
