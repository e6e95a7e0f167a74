//! API Gateway and client populations: throttling, usage plans, authorizers, WAF,
//! integrations, retries with back-off, and the conservation of requests.

use loosely_engine::*;
use proptest::prelude::*;

use crate::support::*;

pub(crate) fn api(name: &str, spec: ApiSpec) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::Api(spec),
    }
}

pub(crate) fn clients(name: &str, spec: ClientsSpec) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::Clients(spec),
    }
}

fn load(rate: f64, total: u64) -> Box<ProducerSpec> {
    Box::new(ProducerSpec {
        arrival: Arrival::Constant,
        rate_per_second: rate,
        total_count: Some(total),
        ..ProducerSpec::default()
    })
}

fn api_stats(sim: &Simulation, id: ComponentId) -> ApiStats {
    match sim.stats(id) {
        Some(ComponentStats::Api(stats)) => stats,
        other => panic!("component {id} is not an API: {other:?}"),
    }
}

fn clients_stats(sim: &Simulation, id: ComponentId) -> ClientsStats {
    match sim.stats(id) {
        Some(ComponentStats::Clients(stats)) => stats,
        other => panic!("component {id} is not a client population: {other:?}"),
    }
}

#[test]
fn a_token_bucket_allows_the_burst_then_the_rate() {
    let mut bucket = RateBucket::new(Throttle {
        rate_limit: 10,
        burst_limit: 5,
    });
    let at = |ms: u64| SimTime::from_millis(ms);
    // Full at the start: 5 at once, the sixth refused.
    let first: Vec<bool> = (0..6).map(|_| bucket.try_take(at(0))).collect();
    assert_eq!(first, [true, true, true, true, true, false]);
    // 10 per second: one token every 100 ms.
    assert!(!bucket.try_take(at(99)));
    assert!(bucket.try_take(at(100)));
    assert!(!bucket.try_take(at(150)));
    assert!(bucket.try_take(at(200)));
    // A long pause refills only up to the burst.
    let later: usize = (0..10).filter(|_| bucket.try_take(at(60_000))).count();
    assert_eq!(later, 5);
}

#[test]
fn stage_throttling_answers_429_above_rate_and_burst() {
    // 100 requests in the first second against rate 20, burst 10: 10 + about 20 pass.
    let mut sim = build(vec![
        queue("orders", QueueSpec::default()),
        api(
            "shop-api",
            ApiSpec {
                integration: 0,
                stage_throttle: Some(Throttle {
                    rate_limit: 20,
                    burst_limit: 10,
                }),
                ..ApiSpec::default()
            },
        ),
        clients(
            "browsers",
            ClientsSpec {
                target: 1,
                load: load(100.0, 100),
                max_retries: 0,
                ..ClientsSpec::default()
            },
        ),
    ]);
    checked_run(&mut sim, secs(5));
    let stats = api_stats(&sim, 1);
    assert_eq!(stats.count, 100);
    // Requests at 0, 10, 20, ... 990 ms: the bucket's 10 plus one every 50 ms after it empties.
    assert_eq!(stats.count - stats.throttled, 29);
    assert_eq!(stats.errors_4xx, stats.throttled);
    assert_eq!(queue_stats(&sim, 0).sent, 29);
    let c = clients_stats(&sim, 2);
    assert_eq!((c.succeeded, c.failed), (29, 71));
}

#[test]
fn a_usage_plan_quota_resets_at_the_period_boundary() {
    let mut sim = build(vec![
        queue("orders", QueueSpec::default()),
        api(
            "partner-api",
            ApiSpec {
                integration: 0,
                api_key_required: true,
                usage_plan: Some(UsagePlan {
                    throttle: None,
                    quota: Some(Quota {
                        limit: 3,
                        period: QuotaPeriod::Day,
                    }),
                }),
                ..ApiSpec::default()
            },
        ),
        clients(
            "partners",
            ClientsSpec {
                target: 1,
                clients: 2,
                clients_with_api_key: 1,
                // One request an hour for two days, alternating between the two clients.
                load: load(1.0 / 3600.0, 48),
                max_retries: 0,
                ..ClientsSpec::default()
            },
        ),
    ]);
    let trace = checked_run(&mut sim, secs(2 * 86_400 + 10));
    let answers: Vec<(u32, u16, u64)> = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::ApiAnswered { client, status, .. } => {
                Some((client, status, e.time.as_micros() / 86_400_000_000))
            }
            _ => None,
        })
        .collect();
    // The client without a key is refused with 403 every time.
    assert!(answers.iter().filter(|a| a.0 == 1).all(|a| a.1 == 403));
    // The keyed client gets 3 answers a day, then 429 until the next day.
    for day in 0..2 {
        let ok = answers
            .iter()
            .filter(|a| a.0 == 0 && a.2 == day && a.1 == 200)
            .count();
        let refused = answers
            .iter()
            .filter(|a| a.0 == 0 && a.2 == day && a.1 == 429)
            .count();
        assert_eq!((ok, refused), (3, 9), "day {day}");
    }
    assert_eq!(api_stats(&sim, 1).quota_exceeded, 18);
}

#[test]
fn a_lambda_authorizer_caches_its_answer_for_the_ttl() {
    let run = |ttl_seconds: u32| {
        let mut sim = build(vec![
            queue("orders", QueueSpec::default()),
            api(
                "api",
                ApiSpec {
                    integration: 0,
                    authorizer: Some(Authorizer::Lambda {
                        latency: Distribution::Constant { value: 0.2 },
                        deny_probability: 0.0,
                        ttl_seconds,
                    }),
                    ..ApiSpec::default()
                },
            ),
            clients(
                "users",
                ClientsSpec {
                    target: 1,
                    clients: 5,
                    load: load(1.0, 600),
                    ..ClientsSpec::default()
                },
            ),
        ]);
        checked_run(&mut sim, secs(700));
        api_stats(&sim, 1)
    };
    // 600 requests from 5 identities over 10 minutes: with a 300 s TTL each identity misses
    // at 0 s and about 300 s later (2 or 3 times), the rest hit.
    let cached = run(300);
    assert!((10..=15).contains(&cached.cache_misses), "{cached:?}");
    assert_eq!(cached.cache_hits + cached.cache_misses, 600);
    // A TTL of 0 turns the cache off.
    let uncached = run(0);
    assert_eq!((uncached.cache_hits, uncached.cache_misses), (0, 600));
    // The authorizer's 200 ms shows in the latency only on misses.
    assert!(uncached.mean_latency_ms > 199.0 && cached.mean_latency_ms < 10.0);
}

#[test]
fn denied_calls_answer_403_and_never_reach_the_integration() {
    let mut sim = build(vec![
        queue("orders", QueueSpec::default()),
        api(
            "api",
            ApiSpec {
                integration: 0,
                authorizer: Some(Authorizer::Iam {
                    deny_probability: 1.0,
                }),
                ..ApiSpec::default()
            },
        ),
        clients(
            "users",
            ClientsSpec {
                target: 1,
                load: load(10.0, 50),
                ..ClientsSpec::default()
            },
        ),
    ]);
    checked_run(&mut sim, secs(30));
    let stats = api_stats(&sim, 1);
    assert_eq!((stats.unauthorized, stats.errors_4xx), (50, 50));
    assert_eq!(queue_stats(&sim, 0).sent, 0);
    // 403 is not retried.
    assert_eq!(clients_stats(&sim, 2).retries, 0);
    assert_eq!(stats.requests, 0, "refused requests are not billed");
}

#[test]
fn a_private_api_answers_its_vpc_and_refuses_the_internet_with_403() {
    let private = |vpc: &str| ApiSpec {
        integration: 0,
        endpoint_type: EndpointType::Private,
        vpc: Some(vpc.into()),
        ..ApiSpec::default()
    };
    let mut sim = build(vec![
        queue("orders", QueueSpec::default()),
        api("api", private("shop")),
        clients(
            "inside",
            ClientsSpec {
                target: 1,
                load: load(10.0, 40),
                vpc: Some("shop".into()),
                ..ClientsSpec::default()
            },
        ),
        clients(
            "internet",
            ClientsSpec {
                target: 1,
                load: load(10.0, 30),
                ..ClientsSpec::default()
            },
        ),
        clients(
            "other-vpc",
            ClientsSpec {
                target: 1,
                load: load(10.0, 20),
                vpc: Some("billing".into()),
                ..ClientsSpec::default()
            },
        ),
    ]);
    let trace = checked_run(&mut sim, secs(30));
    let stats = api_stats(&sim, 1);
    assert_eq!(
        stats.errors_4xx, 50,
        "the internet and the other VPC are refused"
    );
    assert_eq!(
        queue_stats(&sim, 0).sent,
        40,
        "only the VPC's requests reach the queue"
    );
    assert_eq!(clients_stats(&sim, 2).succeeded, 40);
    assert_eq!(
        (
            clients_stats(&sim, 3).failed,
            clients_stats(&sim, 3).retries
        ),
        (30, 0),
        "403 is not retried"
    );
    let refused = trace
        .iter()
        .filter(|event| {
            matches!(event.kind, TraceKind::ApiAnswered { status: 403, answer, .. }
                if answer.contains("private API"))
        })
        .count();
    assert_eq!(refused, 50);
}

#[test]
fn a_vpc_belongs_to_private_apis_only_and_a_private_api_needs_one() {
    for (endpoint_type, vpc, expected) in [
        (
            EndpointType::Regional,
            Some("shop"),
            Some("only a PRIVATE API"),
        ),
        (EndpointType::Private, None, Some("name that VPC")),
        (EndpointType::Private, Some("shop"), None),
    ] {
        let model = Model {
            components: vec![
                queue("orders", QueueSpec::default()),
                api(
                    "api",
                    ApiSpec {
                        endpoint_type,
                        vpc: vpc.map(str::to_string),
                        ..ApiSpec::default()
                    },
                ),
            ],
            ..Model::default()
        };
        let problems: Vec<String> = model.validate().iter().map(ToString::to_string).collect();
        match expected {
            Some(text) => assert!(
                problems
                    .iter()
                    .any(|p| p.contains("vpc") && p.contains(text)),
                "{endpoint_type:?} {vpc:?}: {problems:?}"
            ),
            None => assert!(problems.is_empty(), "{problems:?}"),
        }
    }
}

#[test]
fn the_waf_blocks_an_address_above_its_rate() {
    let mut sim = build(vec![
        queue("orders", QueueSpec::default()),
        api(
            "api",
            ApiSpec {
                integration: 0,
                waf: Some(WafRateRule {
                    limit: 100,
                    window_seconds: 60,
                }),
                ..ApiSpec::default()
            },
        ),
        clients(
            "scraper",
            ClientsSpec {
                target: 1,
                clients: 1,
                load: load(5.0, 600),
                max_retries: 0,
                ..ClientsSpec::default()
            },
        ),
    ]);
    checked_run(&mut sim, secs(130));
    // 5 a second from one address, from 0.2 s to 120 s: the windows [0, 60) and [60, 120)
    // hold 299 and 300 requests, of which 100 pass; the last request opens a third window.
    let stats = api_stats(&sim, 1);
    assert_eq!(stats.waf_blocked, 199 + 200);
    assert_eq!(queue_stats(&sim, 0).sent, 201);
}

#[test]
fn a_slow_lambda_times_out_at_29_seconds_with_504_and_errors_answer_502() {
    let mut sim = build(vec![
        function(
            "slow",
            LambdaSpec {
                timeout: 60,
                duration: Distribution::Constant { value: 40.0 },
                ..LambdaSpec::default()
            },
        ),
        api(
            "api",
            ApiSpec {
                integration: 0,
                ..ApiSpec::default()
            },
        ),
        clients(
            "users",
            ClientsSpec {
                target: 1,
                load: load(1.0, 1),
                timeout: SimDuration::from_secs(60),
                max_retries: 0,
                ..ClientsSpec::default()
            },
        ),
        function(
            "broken",
            LambdaSpec {
                error_probability: 1.0,
                ..LambdaSpec::default()
            },
        ),
        api(
            "broken-api",
            ApiSpec {
                integration: 3,
                ..ApiSpec::default()
            },
        ),
        clients(
            "others",
            ClientsSpec {
                target: 4,
                load: load(1.0, 1),
                max_retries: 0,
                ..ClientsSpec::default()
            },
        ),
    ]);
    let trace = checked_run(&mut sim, secs(100));
    let answers: Vec<(ComponentId, f64, u16)> = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::ApiAnswered { status, .. } => {
                Some((e.component, e.time.as_secs_f64(), status))
            }
            _ => None,
        })
        .collect();
    // The constant load sends its one request at 1 s; the gateway gives up 29 s later.
    assert!(answers.contains(&(1, 30.0, 504)), "{answers:?}");
    assert!(
        answers.iter().any(|a| a.0 == 4 && a.2 == 502),
        "{answers:?}"
    );
    assert_eq!(api_stats(&sim, 1).integration_timeouts, 1);
}

#[test]
fn a_throttled_lambda_answers_429() {
    let mut sim = build(vec![
        function(
            "busy",
            LambdaSpec {
                duration: Distribution::Constant { value: 1.0 },
                reserved_concurrent_executions: Some(2),
                ..LambdaSpec::default()
            },
        ),
        api(
            "api",
            ApiSpec {
                integration: 0,
                ..ApiSpec::default()
            },
        ),
        clients(
            "users",
            ClientsSpec {
                target: 1,
                load: load(10.0, 10),
                max_retries: 0,
                ..ClientsSpec::default()
            },
        ),
    ]);
    checked_run(&mut sim, secs(10));
    let stats = api_stats(&sim, 1);
    // 10 requests 100 ms apart, each holding one of 2 environments for 1 s: 2 run.
    assert_eq!(stats.count, 10);
    assert_eq!(stats.errors_4xx, 8);
    assert_eq!(clients_stats(&sim, 2).succeeded, 2);
}

#[test]
fn each_backoff_waits_as_documented() {
    let base = SimDuration::from_millis(100);
    let cap = SimDuration::from_secs(2);
    let waits = |backoff: Backoff, draw: f64| -> Vec<u64> {
        (1..=6)
            .map(|retry| backoff_wait(backoff, base, cap, retry, draw).as_micros() / 1_000)
            .collect()
    };
    assert_eq!(waits(Backoff::None, 0.5), [0, 0, 0, 0, 0, 0]);
    assert_eq!(waits(Backoff::Fixed, 0.5), [100, 100, 100, 100, 100, 100]);
    assert_eq!(
        waits(Backoff::Exponential, 0.5),
        [100, 200, 400, 800, 1600, 2000]
    );
    assert_eq!(
        waits(Backoff::ExponentialFullJitter, 0.5),
        [50, 100, 200, 400, 800, 1000]
    );
    assert_eq!(waits(Backoff::ExponentialFullJitter, 0.0), [0; 6]);
}

#[test]
fn retries_follow_the_backoff_in_the_trace() {
    let mut sim = build(vec![
        queue("orders", QueueSpec::default()),
        api(
            "api",
            ApiSpec {
                integration: 0,
                stage_throttle: Some(Throttle {
                    rate_limit: 1,
                    burst_limit: 1,
                }),
                ..ApiSpec::default()
            },
        ),
        clients(
            "users",
            ClientsSpec {
                target: 1,
                load: Box::new(ProducerSpec {
                    rate_per_second: 0.0,
                    bursts: vec![Burst {
                        at: SimDuration::ZERO,
                        count: 2,
                    }],
                    ..ProducerSpec::default()
                }),
                max_retries: 3,
                backoff: Backoff::Exponential,
                backoff_base: SimDuration::from_millis(300),
                ..ClientsSpec::default()
            },
        ),
    ]);
    let trace = checked_run(&mut sim, secs(10));
    let retries = times_of(&trace, |k| matches!(k, TraceKind::ClientRetry { .. }));
    let answers: Vec<(f64, u16)> = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::ApiAnswered { status, .. } => Some((e.time.as_secs_f64(), status)),
            _ => None,
        })
        .collect();
    // The second request is throttled at 0 s, retried at 0.3 s (429: one token a second),
    // then at 0.9 s (429), then at 2.1 s (200).
    assert_eq!(retries, [0.0, 0.3, 0.9]);
    assert_eq!(
        answers,
        [(0.0, 200), (0.0, 429), (0.3, 429), (0.9, 429), (2.1, 200)]
    );
}

#[test]
fn jitter_spreads_the_retries_of_a_synchronised_crowd() {
    // 200 clients call at once an API that allows 10 a second (burst 10), and retry up to 6
    // times from a 1 s base. Without jitter the retries come back in waves at 1, 3, 7, 15, 31
    // and 63 s, and each wave finds only 10 tokens: 10 + 6 x 10 = 70 succeed. With full
    // jitter the same retries spread over the waits and use the refill in between.
    let crowd = |backoff: Backoff| {
        let mut sim = build(vec![
            queue("orders", QueueSpec::default()),
            api(
                "api",
                ApiSpec {
                    integration: 0,
                    stage_throttle: Some(Throttle {
                        rate_limit: 10,
                        burst_limit: 10,
                    }),
                    ..ApiSpec::default()
                },
            ),
            clients(
                "crowd",
                ClientsSpec {
                    target: 1,
                    clients: 200,
                    load: Box::new(ProducerSpec {
                        rate_per_second: 0.0,
                        bursts: vec![Burst {
                            at: SimDuration::ZERO,
                            count: 200,
                        }],
                        ..ProducerSpec::default()
                    }),
                    max_retries: 6,
                    backoff,
                    backoff_base: SimDuration::from_secs(1),
                    backoff_cap: SimDuration::from_secs(60),
                    ..ClientsSpec::default()
                },
            ),
        ]);
        checked_run(&mut sim, secs(200));
        clients_stats(&sim, 2)
    };
    let plain = crowd(Backoff::Exponential);
    let jitter = crowd(Backoff::ExponentialFullJitter);
    assert_eq!((plain.succeeded, plain.failed), (70, 130));
    assert_eq!(plain.retries, 190 + 180 + 170 + 160 + 150 + 140);
    assert!(jitter.succeeded >= 150, "{jitter:?}");
    assert!(jitter.retries < plain.retries, "{jitter:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_request_ends_in_exactly_one_response_or_timeout(
        seed in any::<u64>(),
        rate in 1.0f64..200.0,
        stage_rate in 1u32..100,
        burst in 1u32..50,
        retries in 0u32..5,
        backoff in prop_oneof![
            Just(Backoff::None),
            Just(Backoff::Fixed),
            Just(Backoff::Exponential),
            Just(Backoff::ExponentialFullJitter)
        ],
        timeout_ms in 100u64..5_000,
        duration in 0.01f64..3.0,
        error in 0.0f64..0.5,
        deny in 0.0f64..0.3,
        reserved in proptest::option::of(1u32..20),
    ) {
        let mut model = model(vec![
            function("handler", LambdaSpec {
                duration: Distribution::Exponential { mean: duration },
                error_probability: error,
                reserved_concurrent_executions: reserved,
                timeout: 10,
                ..LambdaSpec::default()
            }),
            api("api", ApiSpec {
                integration: 0,
                integration_timeout_ms: 2_000,
                stage_throttle: Some(Throttle { rate_limit: stage_rate, burst_limit: burst }),
                authorizer: Some(Authorizer::Lambda {
                    latency: Distribution::Exponential { mean: 0.05 },
                    deny_probability: deny,
                    ttl_seconds: 30,
                }),
                ..ApiSpec::default()
            }),
            clients("users", ClientsSpec {
                target: 1,
                clients: 50,
                load: Box::new(ProducerSpec {
                    arrival: Arrival::Poisson,
                    ..*load(rate, 400)
                }),
                timeout: SimDuration::from_millis(timeout_ms),
                max_retries: retries,
                backoff,
                ..ClientsSpec::default()
            }),
        ]);
        model.seed = seed;
        let mut sim = Simulation::new(model).expect("valid");
        // At the slowest rate (1 a second) the 400 requests take about 400 s and more: run
        // until nothing is left to do, with an hour as a bound.
        let mut steps = 0;
        while sim.now() < secs(3_600) && sim.step() {
            steps += 1;
            if let Err(problem) = sim.check_invariants() {
                prop_assert!(false, "after {} steps: {}", steps, problem);
            }
        }
        let census = sim.client_census();
        prop_assert_eq!(census.started, 400);
        prop_assert_eq!(census.in_progress, 0);
        prop_assert_eq!(census.succeeded + census.failed + census.timed_out, 400);
    }
}
