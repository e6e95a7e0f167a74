//! API Gateway APIs and client populations in the file: defaults, connections, and problems
//! at their JSON paths.

use loosely_engine::{ApiType, Authorizer, Backoff, ComponentKind, EndpointType, SimDuration};
use loosely_scenario::Scenario;

use crate::issues;

#[test]
fn bare_components_take_the_v1_defaults() {
    let json = r#"{"version": 1, "components": [
        {"id": "users", "kind": "client_population"},
        {"id": "api", "kind": "api_gateway"},
        {"id": "http", "kind": "api_gateway", "parameters": {"ApiType": "HTTP"}},
        {"id": "orders", "kind": "sqs_queue"},
        {"id": "others", "kind": "client_population"}],
      "connections": [{"from": "users", "to": "api"}, {"from": "api", "to": "orders"},
                      {"from": "others", "to": "http"}, {"from": "http", "to": "orders"}]}"#;
    let lowered = Scenario::from_json(json)
        .expect("parses")
        .lower()
        .expect("valid");
    let model = &lowered.model;
    assert_eq!(
        (
            model.api_account_throttle.rate_limit,
            model.api_account_throttle.burst_limit
        ),
        (10_000, 5_000)
    );
    let ComponentKind::Clients(clients) = &model.components[0].kind else {
        panic!("clients")
    };
    assert_eq!((clients.target, clients.clients), (1, 100));
    assert_eq!(clients.clients_with_api_key, 0);
    assert_eq!(clients.timeout, SimDuration::from_secs(30));
    assert_eq!(clients.max_retries, 2);
    assert_eq!(clients.backoff, Backoff::ExponentialFullJitter);
    assert_eq!(
        (clients.backoff_base, clients.backoff_cap),
        (SimDuration::from_millis(100), SimDuration::from_secs(20))
    );
    assert_eq!(clients.load.rate_per_second, 1.0);
    let ComponentKind::Api(rest) = &model.components[1].kind else {
        panic!("an API")
    };
    assert_eq!(rest.api_type, ApiType::Rest);
    assert_eq!(rest.endpoint_type, EndpointType::EdgeOptimized);
    assert_eq!((rest.integration, rest.integration_timeout_ms), (3, 29_000));
    assert!(rest.stage_throttle.is_none() && rest.method_throttle.is_none());
    assert!(!rest.api_key_required && rest.usage_plan.is_none());
    assert!(rest.authorizer.is_none() && rest.waf.is_none());
    let ComponentKind::Api(http) = &model.components[2].kind else {
        panic!("an API")
    };
    assert_eq!(http.endpoint_type, EndpointType::Regional);
    assert_eq!(http.integration_timeout_ms, 30_000);
}

#[test]
fn a_lambda_authorizer_takes_its_defaults() {
    let json = r#"{"version": 1, "components": [
        {"id": "api", "kind": "api_gateway", "parameters": {"Authorizer": {"Type": "LAMBDA"},
            "WafRateBasedRule": {"Limit": 500}}},
        {"id": "fn", "kind": "lambda_function"}],
      "connections": [{"from": "api", "to": "fn"}]}"#;
    let lowered = Scenario::from_json(json)
        .expect("parses")
        .lower()
        .expect("valid");
    let ComponentKind::Api(api) = &lowered.model.components[0].kind else {
        panic!("an API")
    };
    let Some(Authorizer::Lambda {
        ttl_seconds,
        deny_probability,
        ..
    }) = &api.authorizer
    else {
        panic!("a Lambda authorizer")
    };
    assert_eq!((*ttl_seconds, *deny_probability), (300, 0.0));
    assert_eq!(
        api.waf.map(|w| (w.limit, w.window_seconds)),
        Some((500, 300))
    );
}

#[test]
fn api_problems_are_reported_at_their_paths() {
    let json = r#"{"version": 1, "account": {"ApiGatewayThrottle": {"rateLimit": 100, "burstLimit": 50}},
      "components": [
        {"id": "users", "kind": "client_population", "parameters": {"clients": 0,
            "clients_with_api_key": 5, "backoff_base_seconds": 2, "backoff_cap_seconds": 1}},
        {"id": "api", "kind": "api_gateway", "parameters": {"ApiType": "HTTP", "EndpointType": "EDGE",
            "TimeoutInMillis": 40000, "StageThrottle": {"rateLimit": 200, "burstLimit": 10},
            "ApiKeyRequired": true, "WafRateBasedRule": {"Limit": 5, "EvaluationWindowSec": 30},
            "Authorizer": {"Type": "LAMBDA", "AuthorizerResultTtlInSeconds": 4000}}},
        {"id": "lonely", "kind": "api_gateway"},
        {"id": "shop", "kind": "producer"}],
      "connections": [{"from": "users", "to": "api"}, {"from": "api", "to": "shop"},
                      {"from": "shop", "to": "api"}]}"#;
    assert_eq!(
        issues(json),
        [
            "connections[1]: nothing connects into a producer; \"shop\" is a producer, connect it to the queue or topic it sends to",
            "connections[2]: an API Gateway API is called by a client population connected to it; \"shop\" is a producer",
            "components[1]: an API needs exactly one integration: a connection to a Lambda function, a queue, an SNS topic, a state machine or an endpoint; \"api\" has 0",
            "components[2]: an API needs exactly one integration: a connection to a Lambda function, a queue, an SNS topic, a state machine or an endpoint; \"lonely\" has 0",
            "components[3]: a producer needs exactly one connection to a queue, an SNS topic, a state machine, a Batch job queue or an Amazon MQ broker; \"shop\" has 0",
            "components[0].parameters.clients: 0 is outside 1..=100000",
            "components[0].parameters.clients_with_api_key: 5 is outside 0..=0 (the clients)",
            "components[0].parameters.backoff_cap_seconds: 1 s is shorter than backoff_base_seconds (2 s)",
            "components[1].parameters.TimeoutInMillis: 40000 is outside 50..=30000 milliseconds",
            "components[1].parameters.StageThrottle.rateLimit: 200 is outside 1..=100 requests per second (at most the account's rate)",
            "components[1].parameters.EndpointType: an HTTP API is REGIONAL only",
            "components[1].parameters.UsagePlan: HTTP APIs have no API keys or usage plans (REST only)",
            "components[1].parameters.WafRateBasedRule: AWS WAF protects REST APIs, not HTTP APIs",
            "components[1].parameters.Authorizer.AuthorizerResultTtlInSeconds: 4000 is outside 0..=3600 seconds",
            "components[1].parameters.WafRateBasedRule.Limit: 5 is outside 10..=2000000000",
            "components[1].parameters.WafRateBasedRule.EvaluationWindowSec: 30 is not one of 60, 120, 300, 600 seconds",
        ]
    );
}
