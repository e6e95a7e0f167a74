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

#[test]
fn a_websocket_api_lowers_its_routes_and_its_clients() {
    let json = r#"{"version": 1, "account": {"WebSocketNewConnectionsPerSecond": 800},
      "components": [
        {"id": "users", "kind": "client_population", "parameters": {"clients": 50,
            "silent_clients": 5, "message_bytes": 40000,
            "connection_seconds": {"exponential": {"mean": 600}},
            "actions": [{"value": "sendmessage", "share": 0.9}]}},
        {"id": "chat", "kind": "api_gateway", "parameters": {"ApiType": "WEBSOCKET",
            "Routes": [{"RouteKey": "$connect", "Target": "auth"},
                       {"RouteKey": "sendmessage", "Target": "send",
                        "Throttle": {"rateLimit": 100, "burstLimit": 50}},
                       {"RouteKey": "$default", "Target": "send"}]}},
        {"id": "auth", "kind": "lambda_function"},
        {"id": "send", "kind": "lambda_function"}],
      "connections": [{"from": "users", "to": "chat"}, {"from": "chat", "to": "auth"},
                      {"from": "chat", "to": "send"}]}"#;
    let lowered = Scenario::from_json(json)
        .expect("parses")
        .lower()
        .expect("valid");
    let model = &lowered.model;
    assert_eq!(model.ws_connect_rate, 800);
    let ComponentKind::Api(api) = &model.components[1].kind else {
        panic!("an API")
    };
    assert_eq!(api.api_type, ApiType::WebSocket);
    assert_eq!(api.endpoint_type, EndpointType::Regional);
    assert_eq!(api.integration_timeout_ms, 29_000);
    let ws = api.websocket.as_ref().expect("routes");
    assert_eq!(ws.route_selection_expression, "$request.body.action");
    let routes: Vec<(&str, usize)> = ws
        .routes
        .iter()
        .map(|r| (r.route_key.as_str(), r.integration))
        .collect();
    assert_eq!(
        routes,
        [("$connect", 2), ("sendmessage", 3), ("$default", 3)]
    );
    assert_eq!(ws.routes[1].throttle.map(|t| t.rate_limit), Some(100));
    let ComponentKind::Clients(clients) = &model.components[0].kind else {
        panic!("clients")
    };
    assert_eq!(clients.websocket.silent_clients, 5);
    assert_eq!(clients.websocket.message_bytes, 40_000);
    assert_eq!(
        clients.websocket.actions,
        [("sendmessage".to_string(), 0.9)]
    );
}

#[test]
fn websocket_problems_are_reported_at_their_paths() {
    let json = r#"{"version": 1, "account": {"WebSocketNewConnectionsPerSecond": 0},
      "components": [
        {"id": "users", "kind": "client_population", "parameters": {"clients": 10,
            "silent_clients": 20, "message_bytes": 0,
            "actions": [{"value": "a", "share": 0.8}, {"value": "b", "share": 0.8}]}},
        {"id": "chat", "kind": "api_gateway", "parameters": {"ApiType": "WEBSOCKET",
            "RouteSelectionExpression": "$request.header.action",
            "WafRateBasedRule": {"Limit": 500},
            "Authorizer": {"Type": "COGNITO_USER_POOLS"},
            "Routes": [{"RouteKey": "$connect", "Target": "orders"},
                       {"RouteKey": "$hello", "Target": "send"},
                       {"RouteKey": "$default", "Target": "nowhere"}]}},
        {"id": "send", "kind": "lambda_function"},
        {"id": "orders", "kind": "sqs_queue"},
        {"id": "others", "kind": "client_population", "parameters": {"silent_clients": 1}},
        {"id": "rest", "kind": "api_gateway", "parameters": {"Routes": [{"RouteKey": "$default", "Target": "orders"}]}}],
      "connections": [{"from": "users", "to": "chat"}, {"from": "chat", "to": "send"},
                      {"from": "chat", "to": "orders"}, {"from": "others", "to": "rest"},
                      {"from": "rest", "to": "orders"}]}"#;
    let found = issues(json);
    for expected in [
        "account.WebSocketNewConnectionsPerSecond: 0 is outside 1..=1000000",
        "components[1].parameters.Routes[2].Target: \"nowhere\" is not the id of a component",
        "components[1].parameters.RouteSelectionExpression: \"$request.header.action\" is not of the form $request.body.<field> (or ${request.body.<field>})",
        "components[1].parameters.Routes[1].RouteKey: \"$hello\" is not $connect, $disconnect, $default or a custom key (a custom key does not start with $)",
        "components[1].parameters.WafRateBasedRule: AWS WAF protects REST APIs, not WebSocket APIs",
        "components[1].parameters.Authorizer.Type: a WebSocket API authorizes $connect with AWS_IAM or a LAMBDA (REQUEST) authorizer, not COGNITO_USER_POOLS",
        "components[0].parameters.silent_clients: 20 is outside 0..=10 (the clients)",
        "components[0].parameters.message_bytes: 0 is outside 1..=262144 bytes",
        "components[0].parameters.actions: the shares add up to 1.6, more than 1",
        "components[4].parameters.silent_clients: only clients of a WEBSOCKET API hold connections; this population calls a REST or HTTP API",
        "components[5].parameters.Routes: only a WEBSOCKET API has routes; a REST or HTTP API calls the one integration its arrow points to",
    ] {
        assert!(
            found.iter().any(|issue| issue == expected),
            "missing {expected}\nfound {found:#?}"
        );
    }
    // Every arrow out of a WebSocket API is some route's integration.
    let unused = r#"{"version": 1, "components": [
        {"id": "users", "kind": "client_population"},
        {"id": "chat", "kind": "api_gateway", "parameters": {"ApiType": "WEBSOCKET",
            "Routes": [{"RouteKey": "$default", "Target": "send"}]}},
        {"id": "send", "kind": "lambda_function"},
        {"id": "orders", "kind": "sqs_queue"}],
      "connections": [{"from": "users", "to": "chat"}, {"from": "chat", "to": "send"},
                      {"from": "chat", "to": "orders"}]}"#;
    assert_eq!(
        issues(unused),
        ["components[1]: the arrow to \"orders\" is the integration of no route: name it as the Target of a route, or remove it"]
    );
}
