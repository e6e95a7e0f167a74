//! API Gateway WebSocket APIs: the connect quota, the idle timeout and the 2-hour cap,
//! route selection, 32 KB metering, authorizers on `$connect` only, validation, and the
//! conservation of messages.

use loosely_engine::*;
use proptest::prelude::*;

use crate::support::*;

use crate::api_gateway::{api, clients};

/// A chat function (component 0), the API (1) and its clients (2).
fn chat_sim(spec: ApiSpec, population: ClientsSpec) -> Simulation {
    build(vec![
        function("chat", quick_lambda()),
        api("chat-api", spec),
        clients("users", population),
    ])
}

fn route(key: &str, integration: ComponentId) -> RouteSpec {
    RouteSpec {
        route_key: key.into(),
        integration,
        throttle: None,
    }
}

/// A WebSocket API whose routes all call component 0.
fn websocket(keys: &[&str]) -> ApiSpec {
    ApiSpec {
        api_type: ApiType::WebSocket,
        endpoint_type: EndpointType::Regional,
        websocket: Some(WebSocketSpec {
            route_selection_expression: "$request.body.action".into(),
            routes: keys.iter().map(|key| route(key, 0)).collect(),
        }),
        ..ApiSpec::default()
    }
}

fn chat(clients_count: u32, rate: f64, ws: WsClientSpec) -> ClientsSpec {
    ClientsSpec {
        target: 1,
        clients: clients_count,
        load: Box::new(ProducerSpec {
            arrival: Arrival::Constant,
            rate_per_second: rate,
            ..ProducerSpec::default()
        }),
        backoff: Backoff::Fixed,
        backoff_base: SimDuration::from_secs(5),
        websocket: ws,
        ..ClientsSpec::default()
    }
}

fn quick_lambda() -> LambdaSpec {
    LambdaSpec {
        duration: Distribution::Constant { value: 0.01 },
        ..LambdaSpec::default()
    }
}

fn ws_stats(sim: &Simulation, id: ComponentId) -> WsStats {
    match sim.stats(id) {
        Some(ComponentStats::Api(ApiStats {
            websocket: Some(stats),
            ..
        })) => stats,
        other => panic!("component {id} is not a WebSocket API: {other:?}"),
    }
}

#[test]
fn route_selection_matches_the_key_then_default_then_nothing() {
    let mut spec = WebSocketSpec {
        route_selection_expression: "$request.body.action".into(),
        routes: vec![
            route("$connect", 0),
            route("sendmessage", 0),
            route("$default", 0),
        ],
    };
    assert_eq!(spec.selected_field(), Some("action"));
    assert_eq!(spec.select(Some("sendmessage")), Some(1));
    assert_eq!(spec.select(Some("unknown")), Some(2));
    assert_eq!(spec.select(None), Some(2));
    // A message cannot pick a predefined route by naming it.
    assert_eq!(spec.select(Some("$connect")), Some(2));
    spec.routes.pop();
    assert_eq!(spec.select(Some("unknown")), None);
    assert_eq!(spec.select(None), None);
    assert_eq!(spec.select(Some("sendmessage")), Some(1));
    for (expression, field) in [
        ("${request.body.action}", Some("action")),
        ("$request.body.data.type", Some("data.type")),
        ("$request.header.action", None),
        ("action", None),
        ("$request.body.", None),
    ] {
        spec.route_selection_expression = expression.into();
        assert_eq!(spec.selected_field(), field, "{expression}");
    }
}

#[test]
fn messages_are_metered_in_32_kb_increments() {
    assert_eq!(metered_messages(1), 1);
    assert_eq!(metered_messages(32 * 1024), 1);
    assert_eq!(metered_messages(32 * 1024 + 1), 2);
    assert_eq!(metered_messages(128 * 1024), 4);
    // $1.00 per million messages, $0.25 per million connection-minutes.
    assert!((ws_price(2_000_000, 4_000_000.0) - 3.0).abs() < 1e-9);
}

#[test]
fn the_connect_quota_admits_500_a_second() {
    // 2,000 clients connect within the first second; the account's bucket holds 500 and
    // refills 500 a second, so about 1,000 get in during that second and the rest are
    // refused with 429 and come back with their back-off.
    let mut sim = chat_sim(websocket(&["$default"]), {
        let mut spec = chat(2_000, 0.0, WsClientSpec::default());
        spec.backoff = Backoff::ExponentialFullJitter;
        spec.backoff_base = SimDuration::from_millis(500);
        spec
    });
    let trace = checked_run(&mut sim, secs(120));
    let connected = times_of(&trace, |k| matches!(k, TraceKind::WsConnected { .. }));
    let refused = times_of(&trace, |k| {
        matches!(k, TraceKind::WsRefused { status: 429, .. })
    });
    let in_first_second = connected.iter().filter(|t| **t < 1.0).count();
    assert!(
        (990..=1_000).contains(&in_first_second),
        "{in_first_second}"
    );
    // Never more than the bucket allows: 500 + 500 per second.
    for until in [1.0, 2.0, 3.0, 4.0] {
        let by = connected.iter().filter(|t| **t < until).count() as f64;
        assert!(by <= 500.0 + 500.0 * until + 1.0, "{by} by {until} s");
    }
    assert!(refused.len() >= 1_000, "{}", refused.len());
    let stats = ws_stats(&sim, 1);
    assert_eq!(stats.open_connections, 2_000);
    assert_eq!(stats.connections_opened, 2_000);
    assert_eq!(stats.connections_refused, refused.len() as u64);
    assert_eq!(stats.client_errors, refused.len() as u64);
}

#[test]
fn silent_connections_close_at_the_idle_timeout_and_busy_ones_at_two_hours() {
    // Client 0 never sends; clients 1 and 2 send a message every 2 s each and would stay
    // connected for 3 hours, but API Gateway closes connections at 2 hours.
    let mut sim = chat_sim(
        websocket(&["$default"]),
        chat(
            3,
            1.0,
            WsClientSpec {
                connection_seconds: Distribution::Constant { value: 10_800.0 },
                silent_clients: 1,
                ..WsClientSpec::default()
            },
        ),
    );
    let trace = checked_run(&mut sim, secs(7_300));
    let closes: Vec<(u32, u16, f64, f64)> = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::WsClosed {
                client,
                code,
                connected,
                ..
            } => Some((client, code, e.time.as_secs_f64(), connected.as_secs_f64())),
            _ => None,
        })
        .collect();
    // The silent client: 600 s after each connect, then back 5 s later (fixed back-off).
    let silent: Vec<f64> = closes.iter().filter(|c| c.0 == 0).map(|c| c.2).collect();
    assert_eq!(&silent[..3], &[600.0, 1_205.0, 1_810.0]);
    assert!(closes
        .iter()
        .filter(|c| c.0 == 0)
        .all(|c| c.1 == 1001 && c.3 == 600.0));
    // The talkers: exactly 2 hours after they connected (1/3 and 2/3 of a second).
    let busy: Vec<&(u32, u16, f64, f64)> = closes.iter().filter(|c| c.0 != 0).collect();
    assert_eq!(busy.len(), 2, "{busy:?}");
    for close in busy {
        assert_eq!((close.1, close.3), (1001, 7_200.0));
        let opened = f64::from(close.0) / 3.0;
        assert!((close.2 - (7_200.0 + opened)).abs() < 1e-5, "{close:?}");
    }
    let stats = ws_stats(&sim, 1);
    assert_eq!(stats.closed_at_max_duration, 2);
    assert_eq!(stats.closed_idle, silent.len() as u64);
}

#[test]
fn a_client_that_sends_rarely_is_closed_ten_minutes_after_its_last_message() {
    // One client, a message every 15 minutes: the first at 0 s... it connects at 0 s, sends
    // at 0 s, and nothing for the next 10 minutes.
    let mut sim = chat_sim(
        websocket(&["$default"]),
        chat(
            1,
            1.0 / 900.0,
            WsClientSpec {
                connection_seconds: Distribution::Constant { value: 7_000.0 },
                ..WsClientSpec::default()
            },
        ),
    );
    let trace = checked_run(&mut sim, secs(1_000));
    let sends = times_of(&trace, |k| matches!(k, TraceKind::WsMessage { .. }));
    let closes = times_of(&trace, |k| {
        matches!(k, TraceKind::WsClosed { code: 1001, .. })
    });
    assert!(!closes.is_empty());
    let last_send = sends
        .iter()
        .copied()
        .filter(|t| *t < closes[0])
        .fold(0.0, f64::max);
    assert!(
        (closes[0] - (last_send + 600.0)).abs() < 1e-6,
        "{sends:?} {closes:?}"
    );
}

#[test]
fn the_authorizer_runs_on_connect_only() {
    let mut spec = websocket(&["$default"]);
    spec.authorizer = Some(Authorizer::Lambda {
        latency: Distribution::Constant { value: 0.1 },
        deny_probability: 0.0,
        ttl_seconds: 0,
    });
    let mut sim = chat_sim(spec, chat(5, 10.0, WsClientSpec::default()));
    checked_run(&mut sim, secs(60));
    let gateway = match sim.stats(1) {
        Some(ComponentStats::Api(stats)) => stats,
        other => panic!("{other:?}"),
    };
    let ws = gateway.websocket.clone().expect("WebSocket stats");
    // 5 connections, about 600 messages: the authorizer was asked 5 times.
    assert_eq!(gateway.cache_misses, 5);
    assert!(ws.messages > 500, "{ws:?}");
    // An IAM policy that denies everyone: no connection, no message.
    let mut denied = websocket(&["$default"]);
    denied.authorizer = Some(Authorizer::Iam {
        deny_probability: 1.0,
    });
    let mut sim = chat_sim(denied, chat(5, 10.0, WsClientSpec::default()));
    let trace = checked_run(&mut sim, secs(60));
    let ws = ws_stats(&sim, 1);
    assert_eq!((ws.connections_opened, ws.messages), (0, 0));
    assert!(ws.connections_refused >= 5);
    assert!(trace
        .iter()
        .all(|e| !matches!(e.kind, TraceKind::WsRefused { status, .. } if status != 403)));
}

#[test]
fn unmatched_messages_without_default_are_client_errors() {
    // Half the messages carry "sendmessage", half nothing; there is no $default.
    let mut sim = chat_sim(
        websocket(&["sendmessage"]),
        chat(
            10,
            20.0,
            WsClientSpec {
                actions: vec![("sendmessage".into(), 0.5)],
                ..WsClientSpec::default()
            },
        ),
    );
    let trace = checked_run(&mut sim, secs(100));
    let ws = ws_stats(&sim, 1);
    let census = ws.census;
    assert!(census.balanced());
    let share = census.client_errors as f64 / census.sent as f64;
    assert!((0.45..0.55).contains(&share), "{census:?}");
    assert_eq!(census.client_errors, ws.client_errors);
    let lambda = match sim.stats(0) {
        Some(ComponentStats::Lambda(stats)) => stats,
        other => panic!("{other:?}"),
    };
    assert_eq!(lambda.invocations, census.succeeded + census.in_flight);
    assert!(trace.iter().any(|e| matches!(
        e.kind,
        TraceKind::WsMessage {
            status: 403,
            integration: None,
            ..
        }
    )));
    // Only routed messages are billed.
    assert_eq!(ws.metered_messages, census.sent - census.client_errors);
}

#[test]
fn large_messages_cost_one_message_per_32_kb_and_connection_minutes_count() {
    // 10 clients connected for the whole run, 40 KB messages: two metered messages each.
    let mut sim = chat_sim(
        websocket(&["$default"]),
        chat(
            10,
            1.0,
            WsClientSpec {
                message_bytes: 40_000,
                ..WsClientSpec::default()
            },
        ),
    );
    checked_run(&mut sim, secs(600));
    let ws = ws_stats(&sim, 1);
    assert_eq!(ws.metered_messages, 2 * ws.messages);
    // Client i connected at i/10 s.
    let minutes: f64 = (0..10).map(|i| (600.0 - f64::from(i) / 10.0) / 60.0).sum();
    assert!((ws.connection_minutes - minutes).abs() < 1e-6, "{ws:?}");
    let cost = sim.cost();
    let expected = ws_price(ws.metered_messages, minutes);
    let api_cost = cost.apis.iter().find(|a| a.0 == 1).expect("the API").2;
    assert!(
        (api_cost - expected).abs() < 1e-12,
        "{api_cost} vs {expected}"
    );
}

#[test]
fn a_message_over_128_kb_closes_the_connection_with_1009() {
    let mut sim = chat_sim(
        websocket(&["$default"]),
        chat(
            2,
            1.0,
            WsClientSpec {
                message_bytes: 200_000,
                ..WsClientSpec::default()
            },
        ),
    );
    let trace = checked_run(&mut sim, secs(60));
    let closes = times_of(&trace, |k| {
        matches!(k, TraceKind::WsClosed { code: 1009, .. })
    });
    let ws = ws_stats(&sim, 1);
    assert!(!closes.is_empty());
    assert_eq!(ws.closed_too_large, closes.len() as u64);
    assert_eq!(ws.metered_messages, 0);
    assert_eq!(ws.census.client_errors, ws.census.sent);
}

#[test]
fn disconnect_is_called_once_per_closed_connection() {
    let mut spec = websocket(&["$default"]);
    spec.websocket
        .as_mut()
        .expect("routes")
        .routes
        .push(route("$disconnect", 2));
    spec.websocket
        .as_mut()
        .expect("routes")
        .routes
        .push(route("$connect", 3));
    let mut sim = build(vec![
        function("chat", quick_lambda()),
        api("chat-api", spec),
        function("on-disconnect", quick_lambda()),
        function("on-connect", quick_lambda()),
        ComponentSpec {
            name: "users".into(),
            kind: ComponentKind::Clients(chat(
                4,
                0.0,
                WsClientSpec {
                    connection_seconds: Distribution::Constant { value: 30.0 },
                    ..WsClientSpec::default()
                },
            )),
        },
    ]);
    checked_run(&mut sim, secs(200));
    let ws = ws_stats(&sim, 1);
    let invocations = |id| match sim.stats(id) {
        Some(ComponentStats::Lambda(stats)) => stats.invocations,
        other => panic!("{other:?}"),
    };
    let closed = ws.closed_by_client;
    assert!(closed >= 4 * 5, "{ws:?}");
    assert_eq!(invocations(2), closed);
    assert_eq!(invocations(3), ws.connections_opened);
    assert_eq!(invocations(0), 0);
}

#[test]
fn websocket_apis_refuse_what_aws_does_not_allow() {
    let check = |api_spec: ApiSpec, ws: WsClientSpec| {
        let model = model(vec![
            function("chat", quick_lambda()),
            api("chat-api", api_spec),
            clients("users", chat(10, 1.0, ws)),
        ]);
        match Simulation::new(model) {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        }
    };
    let ok = websocket(&["$default"]);
    assert_eq!(check(ok.clone(), WsClientSpec::default()), "");
    let cases: Vec<(ApiSpec, &str)> = vec![
        (
            ApiSpec {
                authorizer: Some(Authorizer::Cognito {
                    deny_probability: 0.0,
                }),
                ..ok.clone()
            },
            "Authorizer.Type",
        ),
        (
            ApiSpec {
                waf: Some(WafRateRule {
                    limit: 100,
                    window_seconds: 300,
                }),
                ..ok.clone()
            },
            "WafRateBasedRule",
        ),
        (
            ApiSpec {
                usage_plan: Some(UsagePlan {
                    throttle: None,
                    quota: None,
                }),
                ..ok.clone()
            },
            "UsagePlan",
        ),
        (
            ApiSpec {
                endpoint_type: EndpointType::EdgeOptimized,
                ..ok.clone()
            },
            "EndpointType",
        ),
        (websocket(&["$default", "$default"]), "Routes[1].RouteKey"),
        (websocket(&["$whatever"]), "Routes[0].RouteKey"),
        (websocket(&[]), "Routes"),
        (
            ApiSpec {
                websocket: Some(WebSocketSpec {
                    route_selection_expression: "$request.header.action".into(),
                    routes: vec![route("$default", 0)],
                }),
                ..ok.clone()
            },
            "RouteSelectionExpression",
        ),
        (
            ApiSpec {
                websocket: None,
                ..ok.clone()
            },
            "Routes",
        ),
    ];
    for (spec, field) in cases {
        let error = check(spec, WsClientSpec::default());
        assert!(error.contains(field), "{field}: {error}");
    }
    for (ws, field) in [
        (
            WsClientSpec {
                silent_clients: 11,
                ..WsClientSpec::default()
            },
            "silent_clients",
        ),
        (
            WsClientSpec {
                message_bytes: 0,
                ..WsClientSpec::default()
            },
            "message_bytes",
        ),
        (
            WsClientSpec {
                actions: vec![("a".into(), 0.7), ("b".into(), 0.7)],
                ..WsClientSpec::default()
            },
            "actions",
        ),
    ] {
        let error = check(ok.clone(), ws);
        assert!(error.contains(field), "{field}: {error}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn every_websocket_message_ends_in_exactly_one_outcome(
        seed in any::<u64>(),
        clients_count in 1u32..60,
        silent in 0u32..10,
        rate in 0.5f64..80.0,
        route_rate in 1u32..40,
        seconds in 5.0f64..900.0,
        bytes in 1u32..200_000,
        share in 0.0f64..1.0,
        default in any::<bool>(),
        error in 0.0f64..0.3,
        duration in 0.01f64..40.0,
        deny in 0.0f64..0.3,
    ) {
        let mut routes = vec![RouteSpec {
            route_key: "sendmessage".into(),
            integration: 0,
            throttle: Some(Throttle { rate_limit: route_rate, burst_limit: route_rate }),
        }, route("$connect", 0), route("$disconnect", 0)];
        if default {
            routes.push(route("$default", 0));
        }
        let mut model = model(vec![
            function("chat", LambdaSpec {
                duration: Distribution::Exponential { mean: duration },
                error_probability: error,
                timeout: 60,
                ..LambdaSpec::default()
            }),
            api("chat-api", ApiSpec {
                api_type: ApiType::WebSocket,
                endpoint_type: EndpointType::Regional,
                integration_timeout_ms: 29_000,
                authorizer: Some(Authorizer::Iam { deny_probability: deny }),
                websocket: Some(WebSocketSpec {
                    route_selection_expression: "${request.body.action}".into(),
                    routes,
                }),
                ..ApiSpec::default()
            }),
            clients("users", ClientsSpec {
                target: 1,
                clients: clients_count,
                load: Box::new(ProducerSpec {
                    arrival: Arrival::Poisson,
                    rate_per_second: rate,
                    stop: Some(SimDuration::from_secs(1_200)),
                    ..ProducerSpec::default()
                }),
                websocket: WsClientSpec {
                    connection_seconds: Distribution::Exponential { mean: seconds },
                    silent_clients: silent.min(clients_count),
                    message_bytes: bytes,
                    actions: vec![("sendmessage".into(), share)],
                },
                ..ClientsSpec::default()
            }),
        ]);
        model.seed = seed;
        let mut sim = Simulation::new(model).expect("valid");
        let mut steps = 0;
        while sim.now() < secs(3_000) && sim.step() {
            steps += 1;
            if let Err(problem) = sim.check_invariants() {
                prop_assert!(false, "after {} steps: {}", steps, problem);
            }
        }
        // The clients stopped at 20 minutes: every connection has closed since (idle
        // timeout at the latest), and every message has its outcome.
        let census = sim.ws_census();
        prop_assert!(census.balanced(), "{:?}", census);
        prop_assert_eq!(census.in_flight, 0);
        prop_assert_eq!(ws_stats(&sim, 1).open_connections, 0);
        prop_assert!(sim.is_settled());
    }
}
