//! Lambda functions: event source mappings, asynchronous invocation from SNS, concurrency,
//! cold starts, timeouts, scaling and cost.

use loosely_engine::*;
use proptest::prelude::*;

use crate::support::*;

fn burst_of(target: ComponentId, count: u32) -> ProducerSpec {
    ProducerSpec {
        target,
        rate_per_second: 0.0,
        bursts: vec![Burst {
            at: SimDuration::ZERO,
            count,
        }],
        ..ProducerSpec::default()
    }
}

fn esm(source: ComponentId) -> EventSourceMappingSpec {
    EventSourceMappingSpec {
        source,
        ..EventSourceMappingSpec::default()
    }
}

#[test]
fn an_event_source_mapping_drains_the_queue_in_batches_of_ten() {
    let mut sim = build(vec![
        queue("jobs", QueueSpec::default()),
        producer("burst", burst_of(0, 100)),
        function(
            "worker",
            LambdaSpec {
                event_sources: vec![esm(0)],
                ..LambdaSpec::default()
            },
        ),
    ]);
    let trace = checked_run(&mut sim, secs(60));
    let q = queue_stats(&sim, 0);
    assert_eq!(q.deleted, 100);
    let stats = lambda_stats(&sim, 2);
    // Five pollers each take up to 10 messages: at least 10 invocations, all succeeded.
    assert!(stats.invocations >= 10, "{stats:?}");
    assert_eq!(stats.errors, 0);
    assert_eq!(stats.throttles, 0);
    // Five environments start cold, then stay warm.
    assert_eq!(stats.cold_starts, 5);
    let batches: Vec<u32> = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::LambdaInvoked { records, .. } => Some(records),
            _ => None,
        })
        .collect();
    assert!(batches.iter().all(|&n| (1..=10).contains(&n)));
    assert_eq!(batches.iter().sum::<u32>(), 100);
}

#[test]
fn a_batching_window_gathers_a_bigger_batch() {
    let mut sim = build(vec![
        queue("jobs", QueueSpec::default()),
        producer(
            "steady",
            ProducerSpec {
                target: 0,
                rate_per_second: 20.0,
                total_count: Some(200),
                ..ProducerSpec::default()
            },
        ),
        function(
            "worker",
            LambdaSpec {
                event_sources: vec![EventSourceMappingSpec {
                    batch_size: 100,
                    maximum_batching_window_seconds: 2,
                    maximum_concurrency: Some(2),
                    ..esm(0)
                }],
                ..LambdaSpec::default()
            },
        ),
    ]);
    let trace = checked_run(&mut sim, secs(60));
    assert_eq!(queue_stats(&sim, 0).deleted, 200);
    let biggest = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::LambdaInvoked { records, .. } => Some(records),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    // 20 messages a second over a 2-second window: batches of about 40, far above 10.
    assert!(biggest > 10 && biggest <= 100, "largest batch {biggest}");
}

#[test]
fn reserved_concurrency_throttles_the_event_source_mapping() {
    let mut sim = build(vec![
        queue(
            "jobs",
            QueueSpec {
                visibility_timeout: 30,
                ..QueueSpec::default()
            },
        ),
        producer("burst", burst_of(0, 200)),
        function(
            "worker",
            LambdaSpec {
                duration: Distribution::Constant { value: 2.0 },
                reserved_concurrent_executions: Some(2),
                event_sources: vec![esm(0)],
                ..LambdaSpec::default()
            },
        ),
    ]);
    let trace = checked_run(&mut sim, secs(20));
    let stats = lambda_stats(&sim, 2);
    assert!(stats.running <= 2);
    assert!(stats.throttles > 0, "{stats:?}");
    assert!(trace.iter().any(|e| matches!(
        e.kind,
        TraceKind::LambdaThrottled {
            reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
            ..
        }
    )));
    // Throttled batches stay in flight until their visibility timeout ends.
    assert!(queue_stats(&sim, 0).in_flight > 2);
}

#[test]
fn the_account_limit_is_shared_by_functions_without_reservations() {
    let mut sim = Simulation::new(Model {
        seed: 3,
        lambda_account_concurrency: 8,
        components: vec![
            queue("a", QueueSpec::default()),
            queue("b", QueueSpec::default()),
            producer("pa", burst_of(0, 100)),
            producer("pb", burst_of(1, 100)),
            function(
                "fa",
                LambdaSpec {
                    duration: Distribution::Constant { value: 1.0 },
                    event_sources: vec![esm(0)],
                    ..LambdaSpec::default()
                },
            ),
            function(
                "fb",
                LambdaSpec {
                    duration: Distribution::Constant { value: 1.0 },
                    event_sources: vec![esm(1)],
                    ..LambdaSpec::default()
                },
            ),
        ],
        ..Model::default()
    })
    .expect("valid");
    let mut peak = 0;
    while sim.now() < secs(30) && sim.step() {
        let running = lambda_stats(&sim, 4).running + lambda_stats(&sim, 5).running;
        peak = peak.max(running);
        sim.check_invariants().expect("invariants");
    }
    assert_eq!(peak, 8);
    let throttles = lambda_stats(&sim, 4).throttles + lambda_stats(&sim, 5).throttles;
    assert!(throttles > 0);
}

#[test]
fn partial_batch_responses_leave_only_the_failed_records() {
    let run = |report: bool| {
        let mut sim = build(vec![
            queue(
                "jobs",
                QueueSpec {
                    visibility_timeout: 600,
                    ..QueueSpec::default()
                },
            ),
            producer("burst", burst_of(0, 100)),
            function(
                "worker",
                LambdaSpec {
                    error_probability: 0.1,
                    event_sources: vec![EventSourceMappingSpec {
                        report_batch_item_failures: report,
                        ..esm(0)
                    }],
                    ..LambdaSpec::default()
                },
            ),
        ]);
        checked_run(&mut sim, secs(60));
        (queue_stats(&sim, 0), lambda_stats(&sim, 2))
    };
    let (with, with_stats) = run(true);
    let (without, without_stats) = run(false);
    // With ReportBatchItemFailures, every invocation succeeds and only failed records stay.
    assert_eq!(with_stats.errors, 0);
    assert_eq!(with.deleted + u64::from(with.in_flight), 100);
    assert!(with.in_flight > 0 && with.in_flight < 30, "{with:?}");
    // Without it, one failed record fails the whole batch: ten records stay each time.
    assert!(without_stats.errors > 0);
    assert_eq!(without.in_flight as u64, without_stats.errors * 10);
    assert!(without.deleted < with.deleted);
}

#[test]
fn a_handler_longer_than_the_timeout_times_out() {
    let mut sim = build(vec![
        queue("jobs", QueueSpec::default()),
        producer("burst", burst_of(0, 1)),
        function(
            "slow",
            LambdaSpec {
                timeout: 3,
                duration: Distribution::Constant { value: 5.0 },
                init_duration: Distribution::Constant { value: 0.0 },
                event_sources: vec![esm(0)],
                ..LambdaSpec::default()
            },
        ),
    ]);
    let trace = checked_run(&mut sim, secs(10));
    let ended: Vec<_> = trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::LambdaCompleted {
                outcome, duration, ..
            } => Some((e.time, *outcome, *duration)),
            _ => None,
        })
        .collect();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].1, LambdaOutcome::TimedOut);
    assert_eq!(ended[0].2, SimDuration::from_secs(3));
    assert_eq!(lambda_stats(&sim, 2).errors, 1);
}

#[test]
fn environments_stay_warm_for_the_keep_warm_time() {
    let mut sim = build(vec![
        queue("jobs", QueueSpec::default()),
        producer(
            "sparse",
            ProducerSpec {
                target: 0,
                rate_per_second: 0.0,
                bursts: vec![
                    Burst {
                        at: SimDuration::ZERO,
                        count: 1,
                    },
                    Burst {
                        at: SimDuration::from_secs(60),
                        count: 1,
                    },
                    Burst {
                        at: SimDuration::from_secs(1000),
                        count: 1,
                    },
                ],
                ..ProducerSpec::default()
            },
        ),
        function(
            "worker",
            LambdaSpec {
                keep_warm: SimDuration::from_secs(300),
                event_sources: vec![esm(0)],
                ..LambdaSpec::default()
            },
        ),
    ]);
    let trace = checked_run(&mut sim, secs(1100));
    let starts: Vec<bool> = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::LambdaInvoked { cold_start, .. } => Some(cold_start.is_some()),
            _ => None,
        })
        .collect();
    // Cold, warm 60 s later, cold again after more than 300 s idle.
    assert_eq!(starts, vec![true, false, true]);
}

fn async_model(error_probability: f64, retries: u32, with_dlq: bool) -> Simulation {
    build(vec![
        topic_to_function("events", 2),
        producer("one", burst_of(0, 1)),
        function(
            "handler",
            LambdaSpec {
                error_probability,
                maximum_retry_attempts: retries,
                init_duration: Distribution::Constant { value: 0.0 },
                dead_letter: with_dlq.then_some(3),
                ..LambdaSpec::default()
            },
        ),
        queue("handler-dlq", QueueSpec::default()),
    ])
}

#[test]
fn a_failing_asynchronous_event_is_tried_three_times_then_dead_lettered() {
    let mut sim = async_model(1.0, 2, true);
    let trace = checked_run(&mut sim, secs(600));
    let invoked = times_of(&trace, |k| matches!(k, TraceKind::LambdaInvoked { .. }));
    // Attempts at 0 s, about 1 minute after the first failure, about 2 minutes after the second.
    assert_eq!(invoked, vec![0.0, 60.1, 180.2]);
    assert_eq!(queue_stats(&sim, 3).sent, 1);
    let census = sim.lambda_census();
    assert_eq!(census.async_received, 1);
    assert_eq!(census.async_to_destination, 1);
    assert!(census.balanced());
}

#[test]
fn maximum_retry_attempts_zero_drops_after_one_attempt() {
    let mut sim = async_model(1.0, 0, false);
    let trace = checked_run(&mut sim, secs(600));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::LambdaInvoked { .. })).len(),
        1
    );
    assert_eq!(sim.lambda_census().async_dropped, 1);
    assert!(trace
        .iter()
        .any(|e| matches!(e.kind, TraceKind::AsyncEventFailed { to: None, .. })));
}

#[test]
fn a_successful_asynchronous_event_runs_once() {
    let mut sim = async_model(0.0, 2, true);
    checked_run(&mut sim, secs(600));
    let census = sim.lambda_census();
    assert_eq!((census.async_received, census.async_succeeded), (1, 1));
    assert_eq!(queue_stats(&sim, 3).sent, 0);
}

#[test]
fn throttled_asynchronous_events_back_off_exponentially_up_to_five_minutes() {
    let waits: Vec<u64> = (1..=12)
        .map(|n| async_throttle_backoff(n).as_micros() / 1_000_000)
        .collect();
    assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
}

#[test]
fn the_event_source_mapping_scales_by_five_a_second_while_messages_wait() {
    let step = |current, busy, visible, throttled| {
        esm_scaling_decision(EsmScaling {
            current,
            busy,
            visible,
            throttled,
            floor: 5,
            cap: 1000,
            step: 5,
        })
        .0
    };
    // 300 per minute: +5 each second while every batch is busy and messages are visible.
    assert_eq!(step(5, 5, 1000, 0), 10);
    assert_eq!(step(998, 998, 1000, 0), 1000);
    // Not every batch is busy: no growth.
    assert_eq!(step(20, 12, 1000, 0), 20);
    // Empty queue: back to the busy batches, never below 5.
    assert_eq!(step(40, 12, 0, 0), 12);
    assert_eq!(step(40, 0, 0, 0), 5);
    // Throttled: back off to the batches that run.
    assert_eq!(step(40, 7, 1000, 3), 7);
}

#[test]
fn a_backlog_grows_the_mapping_to_its_maximum_concurrency() {
    let mut sim = build(vec![
        queue("jobs", QueueSpec::default()),
        producer("burst", burst_of(0, 20_000)),
        function(
            "worker",
            LambdaSpec {
                duration: Distribution::Constant { value: 1.0 },
                timeout: 10,
                event_sources: vec![EventSourceMappingSpec {
                    maximum_concurrency: Some(50),
                    ..esm(0)
                }],
                ..LambdaSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(4));
    let early = lambda_stats(&sim, 2).event_source_batches;
    sim.run_until(secs(30));
    let later = lambda_stats(&sim, 2);
    assert!((15..=30).contains(&early), "after 4 s: {early}");
    assert_eq!(later.event_source_batches, 50);
    assert!(later.running <= 50);
    assert_eq!(later.throttles, 0);
}

#[test]
fn cost_counts_requests_and_gigabyte_seconds() {
    let mut sim = build(vec![
        queue("jobs", QueueSpec::default()),
        producer("burst", burst_of(0, 1000)),
        function(
            "worker",
            LambdaSpec {
                memory_size: 1024,
                duration: Distribution::Constant { value: 0.1 },
                init_duration: Distribution::Constant { value: 0.0 },
                event_sources: vec![EventSourceMappingSpec {
                    batch_size: 1,
                    ..esm(0)
                }],
                ..LambdaSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(300));
    let stats = lambda_stats(&sim, 2);
    assert_eq!(stats.requests, 1000);
    // 1,000 invocations of 100 ms at 1 GB: 100 GB-seconds.
    assert!(
        (stats.gb_seconds - 100.0).abs() < 1e-9,
        "{}",
        stats.gb_seconds
    );
    let expected = 1000.0 * 0.20 / 1e6 + 100.0 * 0.000_016_666_7;
    assert!((stats.cost_usd - expected).abs() < 1e-12);
    let report = sim.cost();
    assert_eq!(report.lambdas.len(), 1);
    assert!((report.lambdas[0].2 - expected).abs() < 1e-12);
}

#[test]
fn lambda_metrics_carry_cloudwatch_names() {
    let mut sim = build(vec![
        queue("jobs", QueueSpec::default()),
        producer("burst", burst_of(0, 50)),
        function(
            "worker",
            LambdaSpec {
                event_sources: vec![esm(0)],
                ..LambdaSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(60));
    let samples = sim.drain_metrics();
    let of = |metric: Metric| {
        samples
            .iter()
            .find(|s| s.component == 2 && s.metric == metric)
            .map(|s| s.value)
    };
    assert!(of(Metric::Invocations).is_some_and(|v| v >= 5.0));
    assert_eq!(of(Metric::Errors), Some(0.0));
    assert_eq!(of(Metric::Throttles), Some(0.0));
    assert_eq!(of(Metric::ConcurrentExecutions), Some(5.0));
    assert!(of(Metric::Duration).is_some_and(|ms| (ms - 100.0).abs() < 1e-6));
    assert_eq!(
        Metric::parse("ConcurrentExecutions"),
        Some(Metric::ConcurrentExecutions)
    );
    // A mapping is not a consumer pool: no BusyWorkers series for the function.
    assert_eq!(of(Metric::BusyWorkers), None);
}

#[test]
fn bad_lambda_settings_are_reported_with_their_ranges() {
    let model = model(vec![
        queue(
            "jobs.fifo",
            QueueSpec {
                fifo_queue: true,
                ..QueueSpec::default()
            },
        ),
        function(
            "worker",
            LambdaSpec {
                memory_size: 64,
                timeout: 901,
                reserved_concurrent_executions: Some(950),
                maximum_retry_attempts: 3,
                on_failure: Some(0),
                event_sources: vec![EventSourceMappingSpec {
                    batch_size: 20,
                    maximum_concurrency: Some(1),
                    ..esm(0)
                }],
                ..LambdaSpec::default()
            },
        ),
    ]);
    let issues: Vec<String> = model.validate().iter().map(|i| i.to_string()).collect();
    let has = |text: &str| issues.iter().any(|i| i.contains(text));
    assert!(
        has("MemorySize: 64 is outside 128..=10240 MB"),
        "{issues:#?}"
    );
    assert!(has("Timeout: 901 is outside 1..=900 seconds"));
    assert!(has("ReservedConcurrentExecutions: 950 is outside 0..=900"));
    assert!(has("MaximumRetryAttempts: 3 is outside 0..=2"));
    assert!(has("DestinationConfig.OnFailure.Destination"));
    assert!(has("event_sources[0].BatchSize: 20 is outside 1..=10"));
    assert!(has("event_sources[0].MaximumBatchingWindowInSeconds"));
    assert!(has(
        "event_sources[0].ScalingConfig.MaximumConcurrency: 1 is outside 2..=1000"
    ));
}

#[test]
fn the_same_seed_gives_the_same_lambda_trace() {
    let run = || {
        let mut sim = build(vec![
            queue("jobs", QueueSpec::default()),
            producer(
                "steady",
                ProducerSpec {
                    target: 0,
                    arrival: Arrival::Poisson,
                    rate_per_second: 30.0,
                    total_count: Some(500),
                    ..ProducerSpec::default()
                },
            ),
            function(
                "worker",
                LambdaSpec {
                    duration: Distribution::LogNormal {
                        median: 0.3,
                        sigma: 0.5,
                    },
                    error_probability: 0.05,
                    event_sources: vec![esm(0)],
                    ..LambdaSpec::default()
                },
            ),
        ]);
        trace_fingerprint(&run_traced(&mut sim, secs(120)))
    };
    assert_eq!(run(), run());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_event_and_invocation_is_accounted_for_at_every_step(
        seed in any::<u64>(),
        rate in 1.0f64..80.0,
        error in 0.0f64..0.6,
        reserved in proptest::option::of(1u32..8),
        batch in 1u32..20,
        report in any::<bool>(),
        retries in 0u32..=2,
    ) {
        let mut model = model(vec![
            queue("jobs", QueueSpec { visibility_timeout: 10, ..QueueSpec::default() }),
            producer("p", ProducerSpec {
                target: 0,
                arrival: Arrival::Poisson,
                rate_per_second: rate,
                total_count: Some(300),
                ..ProducerSpec::default()
            }),
            function("worker", LambdaSpec {
                duration: Distribution::Exponential { mean: 0.5 },
                error_probability: error,
                reserved_concurrent_executions: reserved,
                maximum_retry_attempts: retries,
                on_failure: Some(5),
                event_sources: vec![EventSourceMappingSpec {
                    batch_size: batch,
                    maximum_batching_window_seconds: u32::from(batch > 10),
                    report_batch_item_failures: report,
                    ..esm(0)
                }],
                ..LambdaSpec::default()
            }),
            topic_to_function("events", 2),
            producer("publisher", ProducerSpec {
                target: 3,
                arrival: Arrival::Poisson,
                rate_per_second: rate,
                total_count: Some(100),
                ..ProducerSpec::default()
            }),
            queue("failures", QueueSpec::default()),
        ]);
        model.seed = seed;
        let mut sim = Simulation::new(model).expect("valid");
        let mut steps = 0;
        while sim.now() < secs(400) && sim.step() {
            steps += 1;
            if let Err(problem) = sim.check_invariants() {
                prop_assert!(false, "after {} steps: {}", steps, problem);
            }
            let census = sim.census();
            prop_assert_eq!(census.accounted(), census.sent);
        }
        let census = sim.lambda_census();
        prop_assert!(census.balanced());
        prop_assert_eq!(census.async_received, 100);
    }
}
