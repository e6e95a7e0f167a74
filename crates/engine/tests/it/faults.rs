//! Fault injection: windows applied exactly at their virtual times.

use crate::support::*;
use loosely_engine::*;
use proptest::prelude::*;

fn fault(component: ComponentId, start: u64, duration: u64, effect: FaultEffect) -> FaultSpec {
    FaultSpec {
        component,
        start: SimDuration::from_secs(start),
        duration: SimDuration::from_secs(duration),
        effect,
    }
}

/// A queue fed at a constant rate (at most `total` messages), read by `workers` workers
/// taking `processing` seconds each.
fn pipeline_model(rate: f64, total: Option<u64>, workers: u32, processing: f64) -> Model {
    model(vec![
        queue(
            "orders",
            QueueSpec {
                receive_message_wait_time_seconds: 20,
                ..QueueSpec::default()
            },
        ),
        producer(
            "shop",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: rate,
                total_count: total,
                ..ProducerSpec::default()
            },
        ),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                workers,
                processing_time: Distribution::Constant { value: processing },
                ..ConsumerSpec::default()
            },
        ),
    ])
}

fn build_with(mut model: Model, faults: Vec<FaultSpec>) -> Simulation {
    model.faults = faults;
    let mut sim = Simulation::new(model).expect("valid model");
    sim.set_tracing(true);
    sim
}

/// 10 messages per second, four workers taking 0.1 s.
fn pipeline(faults: Vec<FaultSpec>) -> Simulation {
    build_with(pipeline_model(10.0, None, 4, 0.1), faults)
}

#[test]
fn a_stopped_pool_receives_nothing_inside_its_window_and_drains_after() {
    let mut sim = pipeline(vec![fault(2, 60, 120, FaultEffect::Stop { share: 1.0 })]);
    let trace = run_traced(&mut sim, secs(400));
    let received = times_of(&trace, |k| matches!(k, TraceKind::Received { .. }));
    assert!(
        received.iter().all(|&t| !(60.0..180.0).contains(&t)),
        "a receive inside the window"
    );
    assert!(
        received.iter().any(|&t| t >= 180.0),
        "nothing received after the window"
    );
    let started = times_of(&trace, |k| matches!(k, TraceKind::FaultStarted { .. }));
    let ended = times_of(&trace, |k| matches!(k, TraceKind::FaultEnded { .. }));
    assert_eq!(started, vec![60.0]);
    assert_eq!(ended, vec![180.0]);
    // The backlog built during the outage (about 1,200 messages) is gone at 400 s.
    let orders = queue_stats(&sim, 0);
    assert!(orders.visible < 20, "{orders:?}");
    assert!(orders.deleted > 3_800, "{orders:?}");
}

#[test]
fn stopped_workers_drop_the_messages_in_hand_and_they_come_back_after_the_visibility_timeout() {
    // Processing takes 10 s, so every worker holds a message when the fault starts at 5 s.
    let mut sim = build_with(
        pipeline_model(1.0, Some(4), 4, 10.0),
        vec![fault(2, 5, 10, FaultEffect::Stop { share: 1.0 })],
    );
    let trace = run_traced(&mut sim, secs(120));
    let abandoned = times_of(&trace, |k| matches!(k, TraceKind::WorkAbandoned { .. }));
    assert_eq!(abandoned, vec![5.0; 4]);
    let expired = times_of(&trace, |k| matches!(k, TraceKind::VisibilityExpired { .. }));
    // Received at 1, 2, 3, 4 s with the default 30 s visibility timeout.
    assert_eq!(expired, vec![31.0, 32.0, 33.0, 34.0]);
    let stats = consumer_stats(&sim, 2);
    assert_eq!(stats.abandoned, 4);
    assert_eq!(stats.processed, 4);
    assert_eq!(queue_stats(&sim, 0).deleted, 4);
    assert_eq!(stats.workers_down, 0);
}

#[test]
fn an_availability_zone_outage_stops_a_third_of_the_workers() {
    let mut sim = pipeline(vec![fault(
        2,
        10,
        50,
        FaultEffect::Stop { share: 1.0 / 3.0 },
    )]);
    // 4 workers: one zone of three holds ceil(4/3) = 2 of them.
    sim.run_until(secs(30));
    let stats = consumer_stats(&sim, 2);
    assert_eq!(stats.workers_down, 2);
    sim.run_until(secs(70));
    assert_eq!(consumer_stats(&sim, 2).workers_down, 0);
    // Two workers at 0.1 s each keep up with 10 messages per second: no backlog.
    assert!(queue_stats(&sim, 0).visible < 5);
}

#[test]
fn a_slow_pool_takes_factor_times_longer_inside_the_window_only() {
    let mut sim = pipeline(vec![fault(2, 100, 100, FaultEffect::Slow { factor: 5.0 })]);
    let trace = run_traced(&mut sim, secs(300));
    // Processing time is the gap between a worker's receive and its delete of one message.
    let mut durations = Vec::new();
    for event in &trace {
        if let TraceKind::Deleted { .. } = event.kind {
            let received = trace.iter().rev().find(|e| {
                e.message == event.message
                    && e.time <= event.time
                    && matches!(e.kind, TraceKind::Received { .. })
            });
            if let Some(received) = received {
                durations.push((
                    received.time.as_secs_f64(),
                    event.time.since(received.time).as_secs_f64(),
                ));
            }
        }
    }
    for (at, took) in durations {
        let expected = if (100.0..200.0).contains(&at) {
            0.5
        } else {
            0.1
        };
        assert!(
            (took - expected).abs() < 1e-6,
            "received at {at}: took {took}"
        );
    }
}

#[test]
fn a_failing_pool_fails_its_share_only_inside_the_window() {
    let mut sim = pipeline(vec![fault(2, 100, 100, FaultEffect::Fail { share: 0.5 })]);
    let trace = run_traced(&mut sim, secs(300));
    let failures = times_of(&trace, |k| matches!(k, TraceKind::ProcessingFailed { .. }));
    assert!(failures.iter().all(|&t| (100.0..200.0).contains(&t)));
    // About half of the attempts processed in the window fail (failed messages come back
    // after their visibility timeout and are tried again).
    let receives = times_of(&trace, |k| matches!(k, TraceKind::Received { .. }))
        .into_iter()
        .filter(|&t| (100.0..200.0).contains(&t))
        .count();
    let share = failures.len() as f64 / receives as f64;
    assert!(
        (0.45..0.55).contains(&share),
        "{} of {receives}",
        failures.len()
    );
    let metrics = sim.metric_history(2);
    let active = metrics
        .iter()
        .find(|s| s.metric == Metric::FaultActive)
        .expect("FaultActive series");
    let values: Vec<f64> = active.points().iter().map(|p| p.value).collect();
    assert_eq!(values, vec![0.0, 1.0, 1.0, 1.0, 0.0]);
}

#[test]
fn an_endpoint_fault_fails_deliveries_with_server_errors() {
    let mut model = model(vec![
        ComponentSpec {
            name: "alerts".into(),
            kind: ComponentKind::Topic(TopicSpec {
                subscriptions: vec![SubscriptionSpec {
                    endpoint: 1,
                    protocol: Protocol::Https,
                    ..SubscriptionSpec::default()
                }],
                ..TopicSpec::default()
            }),
        },
        ComponentSpec {
            name: "hook".into(),
            kind: ComponentKind::Endpoint(EndpointSpec {
                latency: Distribution::Constant { value: 0.0 },
                ..EndpointSpec::default()
            }),
        },
        producer(
            "app",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: 1.0,
                stop: Some(SimDuration::from_secs(100)),
                ..ProducerSpec::default()
            },
        ),
    ]);
    model.faults = vec![fault(1, 20, 10, FaultEffect::Fail { share: 1.0 })];
    let mut sim = Simulation::new(model).expect("valid");
    sim.set_tracing(true);
    let trace = run_traced(&mut sim, secs(200));
    let failed = times_of(&trace, |k| {
        matches!(
            k,
            TraceKind::DeliveryFailed {
                outcome: DeliveryOutcome::ServerError,
                ..
            }
        )
    });
    // One publish a second from 1 s to 99 s; those at 20..=29 s fail on their first
    // attempt, and their retries 20 s later succeed.
    let first_attempts: Vec<f64> = failed.iter().copied().filter(|&t| t < 30.0).collect();
    assert_eq!(first_attempts.len(), 10, "{failed:?}");
    let Some(ComponentStats::Endpoint(hook)) = sim.stats(1) else {
        panic!("endpoint stats")
    };
    assert_eq!(hook.received, 99);
    assert_eq!(hook.server_errors, 10);
}

#[test]
fn fault_windows_are_listed_for_the_timeline() {
    let sim = pipeline(vec![
        fault(2, 60, 120, FaultEffect::Stop { share: 1.0 }),
        fault(2, 300, 30, FaultEffect::Slow { factor: 2.0 }),
    ]);
    let windows = sim.model().fault_windows();
    assert_eq!(windows.len(), 2);
    assert_eq!((windows[0].start, windows[0].end), (secs(60), secs(180)));
    assert_eq!(windows[1].effect, FaultEffect::Slow { factor: 2.0 });
    assert_eq!(sim.model().fault_windows_of(0), vec![]);
}

#[test]
fn faults_are_validated_with_their_paths() {
    let mut model = model(vec![
        queue("orders", QueueSpec::default()),
        consumer("workers", ConsumerSpec::default()),
    ]);
    model.faults = vec![
        fault(0, 0, 10, FaultEffect::Stop { share: 1.0 }),
        fault(1, 0, 0, FaultEffect::Fail { share: 1.5 }),
        fault(1, 0, 10, FaultEffect::Slow { factor: 0.5 }),
        fault(9, 0, 10, FaultEffect::Stop { share: 1.0 }),
    ];
    let issues: Vec<String> = model.validate().iter().map(|i| i.to_string()).collect();
    assert_eq!(
        issues,
        vec![
            "faults[0].component: \"orders\" (a standard queue) takes no faults; faults apply to consumer pools, endpoints, state machines, Batch compute environments, Amazon MQ brokers, AppFlow flows and Application Load Balancers",
            "faults[1].duration_seconds: 0 s: a fault lasts more than 0 seconds",
            "faults[1].share: 1.5 is outside 0 (excluded)..=1",
            "faults[2].factor: 0.5 is outside 1..=1000",
            "faults[3].component: component #9, which does not exist is not a component",
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// With any outage of any share of the pool, every message sent is accounted for at
    /// every step, and the run is the same for the same seed.
    #[test]
    fn outages_conserve_messages(
        start in 0u64..60,
        length in 1u64..90,
        share in 0.05f64..=1.0,
        effect in 0u8..3,
    ) {
        let effect = match effect {
            0 => FaultEffect::Stop { share },
            1 => FaultEffect::Slow { factor: 1.0 + share * 9.0 },
            _ => FaultEffect::Fail { share },
        };
        let run = || {
            let mut sim = pipeline(vec![fault(2, start, length, effect)]);
            let mut steps = 0;
            while sim.now() < secs(150) && steps < 20_000 {
                sim.step();
                steps += 1;
                let census = sim.census();
                assert_eq!(census.sent, census.accounted(), "{census:?}");
            }
            sim.check_invariants().expect("invariants");
            (sim.events_processed(), queue_stats(&sim, 0).deleted)
        };
        prop_assert_eq!(run(), run());
    }
}
