//! Application Load Balancers: health-check transitions at hand-computed times, routing
//! algorithms, 502/503/504, fail-open, draining, metrics, cost, validation, and the
//! conservation of requests.

use loosely_engine::alb::{HealthCheck, LoadBalancerSpec, RoutingAlgorithm, TargetState};
use loosely_engine::*;
use proptest::prelude::*;

use crate::support::*;

fn alb(spec: LoadBalancerSpec) -> ComponentSpec {
    ComponentSpec {
        name: "web-alb".into(),
        kind: ComponentKind::LoadBalancer(spec),
    }
}

/// A population calling component 0 at a constant rate.
fn users(rate: f64, total: u64, max_retries: u32, timeout_seconds: u64) -> ComponentSpec {
    ComponentSpec {
        name: "users".into(),
        kind: ComponentKind::Clients(ClientsSpec {
            target: 0,
            clients: 100,
            load: Box::new(ProducerSpec {
                arrival: Arrival::Constant,
                rate_per_second: rate,
                total_count: Some(total),
                ..ProducerSpec::default()
            }),
            timeout: SimDuration::from_secs(timeout_seconds),
            max_retries,
            ..ClientsSpec::default()
        }),
    }
}

fn fault(start: u64, duration: u64, effect: FaultEffect) -> FaultSpec {
    FaultSpec {
        component: 0,
        start: SimDuration::from_secs(start),
        duration: SimDuration::from_secs(duration),
        effect,
    }
}

fn lb_stats(sim: &Simulation) -> LoadBalancerStats {
    match sim.stats(0) {
        Some(ComponentStats::LoadBalancer(stats)) => stats,
        other => panic!("component 0 is not a load balancer: {other:?}"),
    }
}

fn clients_stats(sim: &Simulation) -> ClientsStats {
    match sim.stats(1) {
        Some(ComponentStats::Clients(stats)) => stats,
        other => panic!("component 1 is not a client population: {other:?}"),
    }
}

/// Registers or deregisters instances while running, as the inspector does.
fn set_instances(sim: &mut Simulation, instances: u32) {
    let ComponentKind::LoadBalancer(spec) = sim.model().components[0].kind.clone() else {
        unreachable!("component 0 is the load balancer")
    };
    sim.handle_command(Command::Update {
        component: 0,
        kind: ComponentKind::LoadBalancer(LoadBalancerSpec { instances, ..spec }),
    })
    .expect("a valid change");
}

fn start(model: Model) -> Simulation {
    let mut sim = Simulation::new(model).expect("a valid model");
    sim.set_tracing(true);
    sim
}

/// Runs to `until` in slices, keeping every trace event and metric sample.
fn run(sim: &mut Simulation, until: u64) -> (Vec<TraceEvent>, Vec<MetricSample>) {
    let (mut trace, mut metrics) = (Vec::new(), Vec::new());
    let mut t = sim.now().as_micros() / 1_000_000;
    while t < until {
        t = (t + 10).min(until);
        sim.run_until(secs(t));
        trace.extend(sim.drain_trace());
        metrics.extend(sim.drain_metrics());
    }
    (trace, metrics)
}

/// (time in seconds, target, from, to) of every health change.
fn health_changes(trace: &[TraceEvent]) -> Vec<(f64, u32, &'static str, &'static str)> {
    trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::TargetHealthChanged {
                target, from, to, ..
            } => Some((e.time.as_secs_f64(), target, from, to)),
            _ => None,
        })
        .collect()
}

fn answers(trace: &[TraceEvent], status: u16) -> Vec<f64> {
    times_of(
        trace,
        |kind| matches!(kind, TraceKind::LoadBalancerAnswered { status: s, .. } if *s == status),
    )
}

fn metric_sum(samples: &[MetricSample], metric: Metric) -> f64 {
    samples
        .iter()
        .filter(|s| s.component == 0 && s.metric == metric)
        .map(|s| s.value)
        .sum()
}

#[test]
fn health_checks_take_a_stopped_instance_out_after_two_intervals_and_back_after_five() {
    // Four instances checked every 30 s from t = 30 s. One stops at 120 s: the checks at
    // 120 s and 150 s find its connection refused, so it is unhealthy at 150 s
    // (UnhealthyThresholdCount 2 x 30 s). It recovers at 300 s: the checks at 300, 330, 360,
    // 390 and 420 s pass (each answered in 5 ms), so it is healthy again at 420.005 s
    // (HealthyThresholdCount 5).
    let mut model = model(vec![
        alb(LoadBalancerSpec {
            instances: 4,
            ..LoadBalancerSpec::default()
        }),
        users(20.0, 20 * 480, 0, 30),
    ]);
    model.faults = vec![fault(120, 180, FaultEffect::Stop { share: 0.25 })];
    let mut sim = start(model);
    // The last request leaves at 480 s; the period ending at 540 s holds its answer.
    let (trace, metrics) = run(&mut sim, 540);
    let changes = health_changes(&trace);
    assert_eq!(
        changes,
        vec![
            (150.0, 0, "healthy", "unhealthy"),
            (420.005, 0, "unhealthy", "healthy")
        ]
    );
    // Only the stopped instance's share of requests fails, and only until it is taken out.
    let bad = answers(&trace, 502);
    assert!(!bad.is_empty());
    assert!(bad.iter().all(|&t| (120.0..=150.0).contains(&t)), "{bad:?}");
    // 30 s at 20 a second, one in four to the stopped instance: 150 502s.
    assert_eq!(bad.len(), 150);
    let stats = lb_stats(&sim);
    assert_eq!(stats.elb_502, 150);
    assert_eq!(stats.healthy, 4);
    assert_eq!(stats.request_count, stats.target_2xx + stats.elb_502);
    // The metrics count the same: RequestCount, the 2XX and the 502s.
    assert_eq!(
        metric_sum(&metrics, Metric::RequestCount) as u64,
        stats.request_count
    );
    assert_eq!(metric_sum(&metrics, Metric::HttpCodeElb502) as u64, 150);
    assert_eq!(metric_sum(&metrics, Metric::HttpCodeElb5xx) as u64, 150);
    assert_eq!(
        metric_sum(&metrics, Metric::HttpCodeTarget2xx) as u64,
        stats.target_2xx
    );
    // HealthyHostCount dips to 3 while the instance is out.
    let healthy: Vec<(f64, f64)> = metrics
        .iter()
        .filter(|s| s.metric == Metric::HealthyHostCount)
        .map(|s| (s.time.as_secs_f64(), s.value))
        .collect();
    assert!(healthy.contains(&(180.0, 3.0)), "{healthy:?}");
    assert!(healthy.contains(&(480.0, 4.0)), "{healthy:?}");
    let unhealthy_at_240 = metrics
        .iter()
        .find(|s| s.metric == Metric::UnHealthyHostCount && s.time == secs(240))
        .map(|s| s.value);
    assert_eq!(unhealthy_at_240, Some(1.0));
}

#[test]
fn a_slow_instance_fails_its_checks_by_timeout() {
    // Health checks answered in 1 s, slowed 10 times: 10 s > the 5 s timeout. The
    // checks at 30 s and 60 s time out at 35 s and 65 s: unhealthy at 65 s, fail-open then
    // (every target is unhealthy), and the requests still get answers.
    let mut model = model(vec![
        alb(LoadBalancerSpec {
            instances: 2,
            instance_concurrency: 100,
            service_time: Distribution::Constant { value: 1.0 },
            health_check_latency: Distribution::Constant { value: 1.0 },
            ..LoadBalancerSpec::default()
        }),
        users(2.0, 200, 0, 30),
    ]);
    model.faults = vec![fault(0, 1_000, FaultEffect::Slow { factor: 10.0 })];
    let mut sim = start(model);
    let (trace, _) = run(&mut sim, 130);
    let changes = health_changes(&trace);
    assert_eq!(
        changes,
        vec![
            (65.0, 0, "healthy", "unhealthy"),
            (65.0, 1, "healthy", "unhealthy")
        ]
    );
    let reasons: Vec<&str> = lb_stats(&sim).targets.iter().map(|t| t.reason).collect();
    assert_eq!(reasons, ["Target.Timeout", "Target.Timeout"]);
    // Fail-open: requests sent after 65 s are still served (10 s each).
    let served_late = answers(&trace, 200)
        .into_iter()
        .filter(|&t| t > 80.0)
        .count();
    assert!(served_late > 50, "{served_late}");
}

#[test]
fn round_robin_spreads_requests_evenly() {
    let mut sim = start(model(vec![
        alb(LoadBalancerSpec {
            instances: 4,
            ..LoadBalancerSpec::default()
        }),
        users(10.0, 400, 0, 30),
    ]));
    run(&mut sim, 60);
    let routed: Vec<u64> = lb_stats(&sim).targets.iter().map(|t| t.routed).collect();
    assert_eq!(routed, [100, 100, 100, 100]);
    assert_eq!(clients_stats(&sim).succeeded, 400);
}

/// Mean target response time and the requests per target with an algorithm, under
/// exponential service times that make some requests much longer than others.
fn uneven_work(algorithm: RoutingAlgorithm) -> (f64, Vec<u64>) {
    let mut model = model(vec![
        alb(LoadBalancerSpec {
            instances: 4,
            instance_concurrency: 1,
            service_time: Distribution::Exponential { mean: 1.0 },
            algorithm,
            ..LoadBalancerSpec::default()
        }),
        users(3.0, 1_800, 0, 600),
    ]);
    model.seed = 11;
    let mut sim = start(model);
    run(&mut sim, 900);
    let stats = lb_stats(&sim);
    assert_eq!(stats.target_2xx, 1_800, "every request is served");
    (
        stats.mean_target_response_seconds,
        stats.targets.iter().map(|t| t.routed).collect(),
    )
}

#[test]
fn least_outstanding_requests_avoids_busy_instances() {
    let (round_robin, rr_routed) = uneven_work(RoutingAlgorithm::RoundRobin);
    let (least, lor_routed) = uneven_work(RoutingAlgorithm::LeastOutstandingRequests);
    assert_eq!(rr_routed, [450, 450, 450, 450]);
    // Least outstanding requests sends more to the instances that happen to be free, so the
    // counts differ, and the requests wait less behind long ones.
    assert_ne!(lor_routed, rr_routed);
    assert_eq!(lor_routed.iter().sum::<u64>(), 1_800);
    assert!(
        least < round_robin * 0.8,
        "least outstanding {least:.3} s, round robin {round_robin:.3} s"
    );
}

#[test]
fn an_empty_target_group_answers_503_without_counting_requests() {
    let mut sim = start(model(vec![
        alb(LoadBalancerSpec {
            instances: 0,
            ..LoadBalancerSpec::default()
        }),
        users(5.0, 50, 2, 30),
    ]));
    let (_, metrics) = run(&mut sim, 120);
    let stats = lb_stats(&sim);
    // 50 requests, each tried 3 times (503 is retried).
    assert_eq!(stats.elb_503, 150);
    assert_eq!(stats.request_count, 0);
    assert_eq!(metric_sum(&metrics, Metric::HttpCodeElb503), 150.0);
    assert_eq!(metric_sum(&metrics, Metric::RequestCount), 0.0);
    let clients = clients_stats(&sim);
    assert_eq!((clients.failed, clients.succeeded), (50, 0));
}

#[test]
fn a_target_slower_than_the_idle_timeout_gets_504_at_the_timeout() {
    let mut sim = start(model(vec![
        alb(LoadBalancerSpec {
            instances: 1,
            service_time: Distribution::Constant { value: 90.0 },
            idle_timeout_seconds: 60,
            ..LoadBalancerSpec::default()
        }),
        users(1.0, 3, 0, 120),
    ]));
    let (trace, _) = run(&mut sim, 200);
    // Sent at 1, 2 and 3 s: answered 504 at 61, 62 and 63 s.
    assert_eq!(answers(&trace, 504), [61.0, 62.0, 63.0]);
    let stats = lb_stats(&sim);
    assert_eq!((stats.elb_504, stats.target_2xx), (3, 0));
    assert_eq!(stats.mean_target_response_seconds, 0.0);
    assert_eq!(clients_stats(&sim).failed, 3);
}

#[test]
fn reset_connections_answer_502_and_clients_retry_them() {
    let mut model = model(vec![
        alb(LoadBalancerSpec {
            instances: 2,
            ..LoadBalancerSpec::default()
        }),
        users(10.0, 100, 2, 30),
    ]);
    model.faults = vec![fault(0, 1_000, FaultEffect::Fail { share: 1.0 })];
    let mut sim = start(model);
    run(&mut sim, 120);
    let stats = lb_stats(&sim);
    assert_eq!(stats.elb_502, 300, "three attempts of each of 100 requests");
    assert_eq!(stats.request_count, 300);
    let clients = clients_stats(&sim);
    assert_eq!((clients.failed, clients.retries), (100, 200));
}

#[test]
fn targets_whose_checks_all_fail_still_get_traffic_fail_open() {
    // The health check path redirects (301), which the default matcher (200) refuses.
    let mut sim = start(model(vec![
        alb(LoadBalancerSpec {
            instances: 3,
            health_check: HealthCheck {
                response_code: 301,
                ..HealthCheck::default()
            },
            ..LoadBalancerSpec::default()
        }),
        users(10.0, 1_200, 0, 30),
    ]));
    let (trace, metrics) = run(&mut sim, 180);
    let changes = health_changes(&trace);
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().all(|c| c.0 == 60.005 && c.3 == "unhealthy"));
    let stats = lb_stats(&sim);
    assert_eq!(stats.unhealthy, 3);
    assert!(stats
        .targets
        .iter()
        .all(|t| t.reason == "Target.ResponseCodeMismatch"));
    // Every request is still served, round robin over the unhealthy targets.
    assert_eq!(stats.target_2xx, 1_200);
    let routed: Vec<u64> = stats.targets.iter().map(|t| t.routed).collect();
    assert_eq!(routed, [400, 400, 400]);
    // RequestCountPerTarget has no data while no target is healthy.
    let per_target: Vec<f64> = metrics
        .iter()
        .filter(|s| s.metric == Metric::RequestCountPerTarget)
        .map(|s| s.value)
        .collect();
    // 599 requests in the first minute (the first at 0.1 s) over 3 healthy targets.
    assert_eq!(
        per_target.len(),
        1,
        "only the first minute had healthy targets"
    );
    assert!((per_target[0] - 599.0 / 3.0).abs() < 1e-9);
}

#[test]
fn deregistered_instances_drain_then_new_ones_start_initial() {
    let mut sim = start(model(vec![
        alb(LoadBalancerSpec {
            instances: 2,
            instance_concurrency: 100,
            service_time: Distribution::Constant { value: 20.0 },
            deregistration_delay_seconds: 300,
            ..LoadBalancerSpec::default()
        }),
        users(1.0, 100, 0, 60),
    ]));
    run(&mut sim, 10);
    set_instances(&mut sim, 1);
    let (trace, _) = run(&mut sim, 40);
    // Instance 2 (index 1) held the requests of 2, 4, 6, 8 and 10 s; it drains until the
    // last of them is answered at 30 s, well before the 300 s delay.
    assert_eq!(
        health_changes(&trace),
        vec![
            (10.0, 1, "healthy", "draining"),
            (30.0, 1, "draining", "unused")
        ]
    );
    let stats = lb_stats(&sim);
    assert_eq!(stats.targets[1].state, TargetState::Unused);
    assert_eq!(stats.elb_502, 0, "draining lets requests finish");
    // No request went to the draining instance after 10 s.
    assert_eq!(stats.targets[1].routed, 5);
    set_instances(&mut sim, 2);
    let (trace, _) = run(&mut sim, 80);
    // A new target (index 2) is initial, checked at once, healthy after its first answer.
    assert_eq!(
        health_changes(&trace),
        vec![
            (40.0, 2, "unused", "initial"),
            (40.005, 2, "initial", "healthy")
        ]
    );
}

#[test]
fn the_deregistration_delay_cuts_requests_still_open() {
    let mut sim = start(model(vec![
        alb(LoadBalancerSpec {
            instances: 2,
            service_time: Distribution::Constant { value: 50.0 },
            deregistration_delay_seconds: 5,
            ..LoadBalancerSpec::default()
        }),
        users(1.0, 2, 0, 120),
    ]));
    run(&mut sim, 3);
    set_instances(&mut sim, 1);
    let (trace, _) = run(&mut sim, 100);
    // Sent at 1 s (instance 1) and 2 s (instance 2, deregistered at 3 s, cut at 8 s).
    assert_eq!(answers(&trace, 502), [8.0]);
    assert_eq!(answers(&trace, 200), [51.0]);
    assert_eq!(
        health_changes(&trace),
        vec![
            (3.0, 1, "healthy", "draining"),
            (8.0, 1, "draining", "unused")
        ]
    );
}

#[test]
fn the_load_balancer_is_billed_per_started_hour_and_per_lcu_hour() {
    let mut sim = start(model(vec![
        alb(LoadBalancerSpec {
            instances: 2,
            ..LoadBalancerSpec::default()
        }),
        users(50.0, 50 * 600, 0, 30),
    ]));
    let (_, metrics) = run(&mut sim, 600);
    // 50 new connections a second is 2 LCUs (25 a second each); the bytes (2 KB x 50/s, 0.37
    // GB an hour) and the active connections stay below that.
    let lcus: Vec<f64> = metrics
        .iter()
        .filter(|s| s.metric == Metric::ConsumedLCUs)
        .map(|s| s.value)
        .collect();
    assert_eq!(lcus.len(), 10);
    assert!(lcus.iter().all(|&l| (l - 2.0).abs() < 1e-3), "{lcus:?}");
    // 10 minutes: one (partial) hour at $0.0225 and about 2 LCUs x 1/6 hour at $0.008.
    let lcu_hours: f64 = lcus.iter().map(|l| l / 60.0).sum();
    assert!((lcu_hours - 2.0 / 6.0).abs() < 1e-3);
    let expected = 0.0225 + lcu_hours * 0.008;
    let cost = sim.cost();
    assert_eq!(cost.load_balancers.len(), 1);
    assert!((cost.load_balancers[0].1 - expected).abs() < 1e-9);
    assert!(
        (cost.total_usd - expected).abs() < 1e-9,
        "{}",
        cost.total_usd
    );
}

#[test]
fn bad_settings_are_refused_with_field_value_and_range() {
    let model = model(vec![
        alb(LoadBalancerSpec {
            instances: 1_001,
            health_check: HealthCheck {
                interval_seconds: 4,
                timeout_seconds: 121,
                healthy_threshold: 11,
                unhealthy_threshold: 1,
                matcher: "abc".into(),
                response_code: 700,
            },
            idle_timeout_seconds: 0,
            deregistration_delay_seconds: 3_601,
            error_probability: 2.0,
            ..LoadBalancerSpec::default()
        }),
        users(1.0, 1, 0, 30),
    ]);
    let messages: Vec<String> = model
        .validate()
        .iter()
        .map(|issue| format!("{}: {}", issue.field, issue.message))
        .collect();
    for expected in [
        "instances: 1001 is outside 0..=1000 instances",
        "HealthCheckIntervalSeconds: 4 is outside 5..=300 seconds",
        "HealthCheckTimeoutSeconds: 121 is outside 2..=120 seconds",
        "HealthyThresholdCount: 11 is outside 2..=10",
        "UnhealthyThresholdCount: 1 is outside 2..=10",
        "idle_timeout_seconds: 0 is outside 1..=4000 seconds",
        "deregistration_delay_seconds: 3601 is outside 0..=3600 seconds",
        "Matcher.HttpCode: \"abc\": \"abc\" is not an HTTP code in 200..=499",
        "health_check_response_code: 700 is outside 100..=599",
        "error_probability: 2 is outside 0..=1",
    ] {
        assert!(
            messages.iter().any(|m| m == expected),
            "missing {expected:?} in {messages:#?}"
        );
    }
    let timeout_not_below_interval = model_with_check(30, 30);
    assert!(timeout_not_below_interval.iter().any(|m| {
        m
        == "HealthCheckTimeoutSeconds: 30 s must be smaller than HealthCheckIntervalSeconds (30 s)"
    }));
    assert!(model_with_check(30, 29).is_empty());
}

fn model_with_check(interval: u32, timeout: u32) -> Vec<String> {
    model(vec![
        alb(LoadBalancerSpec {
            health_check: HealthCheck {
                interval_seconds: interval,
                timeout_seconds: timeout,
                ..HealthCheck::default()
            },
            ..LoadBalancerSpec::default()
        }),
        users(1.0, 1, 0, 30),
    ])
    .validate()
    .iter()
    .map(|issue| format!("{}: {}", issue.field, issue.message))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_request_ends_in_exactly_one_response_or_timeout(
        seed in any::<u64>(),
        instances in 0u32..6,
        concurrency in 1u32..4,
        mean in 0.01f64..3.0,
        error in 0.0f64..0.3,
        rate in 1.0f64..50.0,
        retries in 0u32..4,
        timeout_ms in 200u64..20_000,
        idle in 1u32..10,
        least in any::<bool>(),
        fault_kind in 0u8..4,
        fault_start in 0u64..60,
        share in 0.1f64..1.0,
        shrink_to in proptest::option::of(0u32..4),
    ) {
        let mut model = model(vec![
            alb(LoadBalancerSpec {
                instances,
                instance_concurrency: concurrency,
                service_time: Distribution::Exponential { mean },
                error_probability: error,
                health_check: HealthCheck {
                    interval_seconds: 10,
                    timeout_seconds: 2,
                    healthy_threshold: 2,
                    unhealthy_threshold: 2,
                    ..HealthCheck::default()
                },
                idle_timeout_seconds: idle,
                deregistration_delay_seconds: 5,
                algorithm: if least {
                    RoutingAlgorithm::LeastOutstandingRequests
                } else {
                    RoutingAlgorithm::RoundRobin
                },
                ..LoadBalancerSpec::default()
            }),
            ComponentSpec {
                name: "users".into(),
                kind: ComponentKind::Clients(ClientsSpec {
                    target: 0,
                    clients: 20,
                    load: Box::new(ProducerSpec {
                        arrival: Arrival::Poisson,
                        rate_per_second: rate,
                        total_count: Some(300),
                        ..ProducerSpec::default()
                    }),
                    timeout: SimDuration::from_millis(timeout_ms),
                    max_retries: retries,
                    ..ClientsSpec::default()
                }),
            },
        ]);
        model.seed = seed;
        let effect = match fault_kind {
            0 => None,
            1 => Some(FaultEffect::Stop { share }),
            2 => Some(FaultEffect::Slow { factor: 5.0 }),
            _ => Some(FaultEffect::Fail { share }),
        };
        if let Some(effect) = effect {
            model.faults = vec![fault(fault_start, 40, effect)];
        }
        let mut sim = Simulation::new(model).expect("valid");
        let mut steps = 0u64;
        while sim.now() < secs(3_600) && sim.step() {
            steps += 1;
            if let (Some(count), true) = (shrink_to, steps == 500) {
                set_instances(&mut sim, count);
            }
            if let Err(problem) = sim.check_invariants() {
                prop_assert!(false, "after {} steps: {}", steps, problem);
            }
            if sim.is_settled() {
                break;
            }
        }
        let census = sim.client_census();
        prop_assert_eq!(census.started, 300);
        prop_assert_eq!(census.in_progress, 0);
        prop_assert_eq!(census.succeeded + census.failed + census.timed_out, 300);
        let stats = lb_stats(&sim);
        let answered = stats.target_2xx + stats.target_5xx + stats.elb_502 + stats.elb_504;
        prop_assert_eq!(answered, stats.request_count, "every routed attempt got one answer");
        prop_assert!(stats.targets.iter().all(|t| t.outstanding == 0));
    }
}
