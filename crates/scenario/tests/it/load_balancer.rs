//! Application Load Balancers in scenario files: AWS's names and defaults, issues with
//! their paths, and the connections a load balancer takes.

use loosely_engine::alb::{RoutingAlgorithm, TargetState};
use loosely_engine::ComponentKind;
use loosely_scenario::Scenario;

use crate::issues;

const CLIENTS: &str = r#"{"id": "shoppers", "kind": "client_population"}"#;

#[test]
fn a_load_balancer_takes_aws_defaults_and_names() {
    let json = format!(
        r#"{{"version": 1, "components": [{CLIENTS},
            {{"id": "web", "kind": "application_load_balancer"}},
            {{"id": "lor", "kind": "application_load_balancer", "parameters": {{
                "instances": 6, "HealthCheckIntervalSeconds": 10, "HealthCheckTimeoutSeconds": 3,
                "HealthyThresholdCount": 3, "UnhealthyThresholdCount": 4,
                "Matcher": {{"HttpCode": "200-299"}}, "deregistration_delay_seconds": 30,
                "idle_timeout_seconds": 120, "load_balancing_algorithm": "least_outstanding_requests"}}}}],
            "connections": [{{"from": "shoppers", "to": "web"}}]}}"#
    );
    let built = Scenario::from_json(&json)
        .expect("parses")
        .build()
        .expect("valid");
    let ComponentKind::LoadBalancer(web) = &built.simulation.model().components[1].kind else {
        panic!("not a load balancer")
    };
    assert_eq!(web.instances, 2);
    let check = &web.health_check;
    assert_eq!(
        (
            check.interval_seconds,
            check.timeout_seconds,
            check.healthy_threshold,
            check.unhealthy_threshold,
            check.matcher.as_str()
        ),
        (30, 5, 5, 2, "200")
    );
    assert_eq!(
        (
            web.deregistration_delay_seconds,
            web.idle_timeout_seconds,
            web.algorithm
        ),
        (300, 60, RoutingAlgorithm::RoundRobin)
    );
    let ComponentKind::LoadBalancer(lor) = &built.simulation.model().components[2].kind else {
        panic!("not a load balancer")
    };
    assert_eq!(lor.instances, 6);
    assert_eq!(lor.health_check.matcher, "200-299");
    assert_eq!(lor.algorithm, RoutingAlgorithm::LeastOutstandingRequests);
    assert_eq!(
        (lor.deregistration_delay_seconds, lor.idle_timeout_seconds),
        (30, 120)
    );
    let ComponentKind::Clients(clients) = &built.simulation.model().components[0].kind else {
        panic!("not clients")
    };
    assert_eq!(clients.target, 1, "the clients call the load balancer");
    assert_eq!(TargetState::Initial.as_str(), "initial");
}

#[test]
fn bad_health_check_settings_are_reported_at_their_paths() {
    let json = format!(
        r#"{{"version": 1, "components": [{CLIENTS},
            {{"id": "web", "kind": "application_load_balancer", "parameters": {{
                "instances": 2000, "HealthCheckIntervalSeconds": 301, "HealthCheckTimeoutSeconds": 1,
                "HealthyThresholdCount": 1, "UnhealthyThresholdCount": 11,
                "Matcher": {{"HttpCode": "600"}}, "idle_timeout_seconds": 4001}}}}],
            "connections": [{{"from": "shoppers", "to": "web"}}]}}"#
    );
    assert_eq!(
        issues(&json),
        [
            "components[1].parameters.instances: 2000 is outside 0..=1000 instances",
            "components[1].parameters.HealthCheckIntervalSeconds: 301 is outside 5..=300 seconds",
            "components[1].parameters.HealthCheckTimeoutSeconds: 1 is outside 2..=120 seconds",
            "components[1].parameters.HealthyThresholdCount: 1 is outside 2..=10",
            "components[1].parameters.UnhealthyThresholdCount: 11 is outside 2..=10",
            "components[1].parameters.idle_timeout_seconds: 4001 is outside 1..=4000 seconds",
            "components[1].parameters.Matcher.HttpCode: \"600\": \"600\" is not an HTTP code in 200..=499",
        ]
    );
}

#[test]
fn only_client_populations_connect_into_a_load_balancer_and_nothing_out_of_it() {
    let json = format!(
        r#"{{"version": 1, "components": [{CLIENTS},
            {{"id": "web", "kind": "application_load_balancer"}},
            {{"id": "orders", "kind": "sqs_queue"}},
            {{"id": "shop", "kind": "producer"}}],
            "connections": [{{"from": "shoppers", "to": "web"}}, {{"from": "web", "to": "orders"}},
                            {{"from": "shop", "to": "web"}}]}}"#
    );
    let found = issues(&json);
    assert!(
        found.iter().any(|i| i.starts_with(
            "connections[1]: an Application Load Balancer's targets are its own instances"
        )),
        "{found:#?}"
    );
    assert!(found.iter().any(|i| i.starts_with("connections[2]: an Application Load Balancer is called by a client population connected to it; \"shop\" is a producer")), "{found:#?}");
}
