//! State machines inside the simulation: starts, integrations, Standard versus Express.

use std::sync::Arc;

use loosely_engine::asl::{self, ExecutionKind, MockConfig};
use loosely_engine::*;
use proptest::prelude::*;

use super::support::*;

fn machine(name: &str, definition: &str, kind: ExecutionKind) -> ComponentSpec {
    let parsed = match asl::validate(definition) {
        Ok(machine) => machine,
        Err(issues) => panic!("test definition is invalid: {issues:?}"),
    };
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::StateMachine(StateMachineSpec::new(Arc::new(parsed), kind)),
    }
}

fn machine_stats(sim: &Simulation, id: ComponentId) -> StateMachineStats {
    match sim.stats(id) {
        Some(ComponentStats::StateMachine(stats)) => stats,
        other => panic!("component {id} is not a state machine: {other:?}"),
    }
}

fn producer_to(target: ComponentId, rate: f64, total: u64, body: &str) -> ProducerSpec {
    ProducerSpec {
        target,
        arrival: Arrival::Constant,
        rate_per_second: rate,
        total_count: Some(total),
        template: MessageTemplate {
            variants: vec![MessageVariant {
                weight: 1.0,
                body: Some(body.into()),
                attributes: Vec::new(),
            }],
            ..MessageTemplate::default()
        },
        ..ProducerSpec::default()
    }
}

const PASS: &str = r#"{"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "B"},
    "B": {"Type": "Pass", "End": true}}}"#;

#[test]
fn a_producer_starts_executions_that_succeed_and_bill_transitions() {
    let mut sim = build(vec![
        machine("flow", PASS, ExecutionKind::Standard),
        producer("p", producer_to(0, 10.0, 20, r#"{"n": 1}"#)),
    ]);
    sim.run_until(secs(10));
    let stats = machine_stats(&sim, 0);
    assert_eq!(stats.started, 20);
    assert_eq!(stats.succeeded, 20);
    assert_eq!(stats.running, 0);
    assert_eq!(stats.transitions, 40);
    assert_eq!(stats.entered.get("A"), Some(&20));
    assert!((stats.cost_usd - 40.0 * 0.025 / 1000.0).abs() < 1e-12);
    let cost = sim.cost();
    assert_eq!(cost.state_machines, vec![(0, 40, stats.cost_usd)]);
    let histories = sim.execution_histories(0);
    assert_eq!(
        histories.len(),
        10,
        "the last 10 Standard histories are kept"
    );
    let names: Vec<String> = histories[0]
        .history
        .iter()
        .map(|event| event.event_type.name().to_string())
        .collect();
    assert_eq!(names.first().map(String::as_str), Some("ExecutionStarted"));
    assert_eq!(names.last().map(String::as_str), Some("ExecutionSucceeded"));
    assert!(names.iter().any(|n| n == "PassStateEntered"), "{names:?}");
    sim.check_invariants().expect("conservation");
    // AWS/States metrics: the per-period counts add up to the totals.
    sim.run_until(secs(60));
    let samples = sim.drain_metrics();
    let sum = |metric: Metric| -> f64 {
        samples
            .iter()
            .filter(|s| s.component == 0 && s.metric == metric)
            .map(|s| s.value)
            .sum()
    };
    assert_eq!(sum(Metric::ExecutionsStarted), 20.0);
    assert_eq!(sum(Metric::ExecutionsSucceeded), 20.0);
    assert_eq!(sum(Metric::ExecutionsFailed), 0.0);
    assert_eq!(
        Metric::parse("ExecutionsTimedOut"),
        Some(Metric::ExecutionsTimedOut)
    );
    assert_eq!(Metric::ExecutionTime.unit(), "Milliseconds");
}

#[test]
fn express_times_out_after_five_minutes_and_bills_duration() {
    let waits = r#"{"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 280, "Next": "W2"},
        "W2": {"Type": "Wait", "Seconds": 60, "End": true}}}"#;
    let short = r#"{"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 1, "End": true}}}"#;
    let mut sim = build(vec![
        machine("long", waits, ExecutionKind::Express),
        machine("short", short, ExecutionKind::Express),
        machine("standard", waits, ExecutionKind::Standard),
        producer("p1", producer_to(0, 1.0, 1, "{}")),
        producer("p2", producer_to(1, 1.0, 1, "{}")),
        producer("p3", producer_to(2, 1.0, 1, "{}")),
    ]);
    sim.run_until(secs(400));
    let long = machine_stats(&sim, 0);
    assert_eq!((long.timed_out, long.succeeded), (1, 0));
    assert_eq!(long.execution_time_max, SimDuration::from_secs(300));
    let trace = sim.drain_trace();
    assert!(trace.iter().any(|e| matches!(
        &e.kind,
        TraceKind::ExecutionEnded { status: "TIMED_OUT", error: Some(error), .. } if error == "States.Timeout"
    )));
    // Standard runs past 5 minutes.
    let standard = machine_stats(&sim, 2);
    assert_eq!(standard.succeeded, 1);
    assert_eq!(standard.execution_time_max, SimDuration::from_secs(340));
    // Express: $1 per million requests + 1 s × 64 MB = 10 × 0.1 s × 0.0625 GB.
    let short = machine_stats(&sim, 1);
    assert!((short.billed_gb_seconds - 0.0625).abs() < 1e-9, "{short:?}");
    let want = 1e-6 + 0.0625 * 0.000_016_67;
    assert!((short.cost_usd - want).abs() < 1e-12, "{}", short.cost_usd);
    assert_eq!(
        sim.execution_histories(1),
        Vec::new(),
        "Express keeps no history"
    );
}

#[test]
fn a_busy_loop_fails_standard_at_the_history_cap_and_times_out_express() {
    let spin = r#"{"StartAt": "Spin", "States": {
        "Spin": {"Type": "Pass", "Next": "Again"},
        "Again": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}],
                  "Default": "Spin"},
        "Done": {"Type": "Succeed"}}}"#;
    let mut sim = build(vec![
        machine("standard", spin, ExecutionKind::Standard),
        machine("express", spin, ExecutionKind::Express),
        producer("p1", producer_to(0, 1.0, 1, "{}")),
        producer("p2", producer_to(1, 1.0, 1, "{}")),
    ]);
    sim.run_until(secs(400));
    let standard = machine_stats(&sim, 0);
    assert_eq!(standard.failed, 1, "{standard:?}");
    // Entered + exited events: the 25,000-event history holds about 12,500 transitions.
    assert!(
        (12_000..=12_600).contains(&standard.transitions),
        "{}",
        standard.transitions
    );
    let history = &sim.execution_histories(0)[0].history;
    assert!(history.len() <= 25_001, "{}", history.len());
    let express = machine_stats(&sim, 1);
    assert_eq!(express.timed_out, 1, "{express:?}");
    // 1,000 transitions per simulated second of busy loop, for 300 s.
    assert!(express.transitions >= 290_000, "{}", express.transitions);
    assert_eq!(sim.execution_histories(1), Vec::new());
}

#[test]
fn start_execution_is_throttled_by_its_token_bucket() {
    let mut spec = match machine("flow", PASS, ExecutionKind::Standard).kind {
        ComponentKind::StateMachine(spec) => spec,
        _ => unreachable!(),
    };
    spec.start_burst = 5;
    spec.start_refill_per_second = 2;
    let mut sim = build(vec![
        ComponentSpec {
            name: "flow".into(),
            kind: ComponentKind::StateMachine(spec),
        },
        producer(
            "p",
            ProducerSpec {
                bursts: vec![Burst {
                    at: SimDuration::from_secs(1),
                    count: 20,
                }],
                rate_per_second: 0.0,
                total_count: None,
                ..producer_to(0, 0.0, 0, "{}")
            },
        ),
    ]);
    sim.run_until(secs(3));
    let stats = machine_stats(&sim, 0);
    // The bucket starts full (5) and a burst at 1 s finds 5 tokens.
    assert_eq!(stats.started, 5);
    assert_eq!(stats.throttled, 15);
    match sim.stats(1) {
        Some(ComponentStats::Producer(p)) => assert_eq!(p.throttled, 15),
        other => panic!("{other:?}"),
    }
    let trace = sim.drain_trace();
    let throttled = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::ExecutionThrottled { .. }))
        .count();
    assert_eq!(throttled, 15);
    let sentence = trace
        .iter()
        .find(|e| matches!(e.kind, TraceKind::ExecutionThrottled { .. }))
        .map(|e| e.explain(&sim.namer()))
        .unwrap_or_default();
    assert!(sentence.contains("ThrottlingException"), "{sentence}");
}

#[test]
fn send_message_task_puts_a_message_in_the_queue() {
    let definition = r#"{"StartAt": "Send", "States": {
        "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                 "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
                                "MessageBody.$": "$"}, "End": true}}}"#;
    let mut sim = build(vec![
        queue("orders", QueueSpec::default()),
        machine("flow", definition, ExecutionKind::Standard),
        producer("p", producer_to(1, 1.0, 3, r#"{"order": 7}"#)),
    ]);
    sim.run_until(secs(5));
    assert_eq!(machine_stats(&sim, 1).succeeded, 3);
    assert_eq!(queue_stats(&sim, 0).visible, 3);
    let bodies: Vec<Option<String>> = sim
        .peek(0, 10)
        .expect("peek")
        .into_iter()
        .map(|message| message.body)
        .collect();
    assert_eq!(bodies[0].as_deref(), Some(r#"{"order":7}"#));
    // The state machine is the message's sender.
    let trace = sim.drain_trace();
    let senders: Vec<Option<ComponentId>> = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::Sent { producer, .. } => Some(producer),
            _ => None,
        })
        .collect();
    assert_eq!(senders, vec![Some(1); 3]);
}

#[test]
fn a_missing_queue_fails_the_execution_with_an_sqs_error() {
    let definition = r#"{"StartAt": "Send", "States": {
        "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                 "Parameters": {"QueueUrl": "nowhere", "MessageBody": "x"}, "End": true}}}"#;
    let mut sim = build(vec![
        machine("flow", definition, ExecutionKind::Standard),
        producer("p", producer_to(0, 1.0, 1, "{}")),
    ]);
    sim.run_until(secs(5));
    assert_eq!(machine_stats(&sim, 0).failed, 1);
    let trace = sim.drain_trace();
    assert!(trace.iter().any(|e| matches!(
        &e.kind,
        TraceKind::ExecutionEnded { status: "FAILED", error: Some(error), .. }
            if error.starts_with("SQS.QueueDoesNotExistException")
    )));
}

#[test]
fn publish_task_fans_out_through_the_topic() {
    let definition = r#"{"StartAt": "Tell", "States": {
        "Tell": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                 "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:events",
                                "Message": "done"}, "End": true}}}"#;
    let topic = TopicSpec {
        subscriptions: vec![SubscriptionSpec {
            endpoint: 1,
            protocol: Protocol::Sqs,
            raw_message_delivery: true,
            ..SubscriptionSpec::default()
        }],
        ..TopicSpec::default()
    };
    let mut sim = build(vec![
        ComponentSpec {
            name: "events".into(),
            kind: ComponentKind::Topic(topic),
        },
        queue("inbox", QueueSpec::default()),
        machine("flow", definition, ExecutionKind::Express),
        producer("p", producer_to(2, 1.0, 2, "{}")),
    ]);
    sim.run_until(secs(5));
    assert_eq!(machine_stats(&sim, 2).succeeded, 2);
    assert_eq!(queue_stats(&sim, 1).visible, 2);
}

const CALLBACK: &str = r#"{"StartAt": "Ask", "States": {
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "work", "MessageBody": {"TaskToken.$": "$$.Task.Token", "job.$": "$.job"}},
            "TimeoutSeconds": 60, "Next": "Done"},
    "Done": {"Type": "Succeed"}}}"#;

#[test]
fn the_callback_pattern_completes_through_a_queue_and_a_consumer() {
    let mut sim = build(vec![
        queue("work", QueueSpec::default()),
        machine("flow", CALLBACK, ExecutionKind::Standard),
        producer("p", producer_to(1, 1.0, 3, r#"{"job": 1}"#)),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                processing_time: Distribution::Constant { value: 2.0 },
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(30));
    let stats = machine_stats(&sim, 1);
    assert_eq!((stats.succeeded, stats.running), (3, 0), "{stats:?}");
    // Each execution waited for the consumer's 2 s of work.
    assert!(stats.execution_time_max >= SimDuration::from_secs(2));
    let trace = sim.drain_trace();
    let answered = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::TaskTokenAnswered { success: true, .. }))
        .count();
    assert_eq!(answered, 3);
    sim.check_invariants().expect("conservation");
}

#[test]
fn an_unanswered_task_token_times_out_with_states_timeout() {
    // No consumer: nobody answers; TimeoutSeconds 60 ends the wait.
    let mut sim = build(vec![
        queue("work", QueueSpec::default()),
        machine("flow", CALLBACK, ExecutionKind::Standard),
        producer("p", producer_to(1, 1.0, 1, r#"{"job": 1}"#)),
    ]);
    sim.run_until(secs(120));
    let stats = machine_stats(&sim, 1);
    assert_eq!(stats.failed, 1, "{stats:?}");
    let trace = sim.drain_trace();
    assert!(trace.iter().any(|e| matches!(
        &e.kind,
        TraceKind::ExecutionEnded { error: Some(error), .. } if error.starts_with("States.Timeout")
    )));
}

#[test]
fn a_failing_consumer_sends_task_failure_on_the_last_receive() {
    let mut sim = build(vec![
        queue(
            "work",
            QueueSpec {
                visibility_timeout: 1,
                redrive_policy: Some(RedrivePolicy {
                    dead_letter_target: 3,
                    max_receive_count: 2,
                }),
                ..QueueSpec::default()
            },
        ),
        machine("flow", CALLBACK, ExecutionKind::Standard),
        producer("p", producer_to(1, 1.0, 1, r#"{"job": 1}"#)),
        queue("work-dlq", QueueSpec::default()),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                failure_probability: 1.0,
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(30));
    let stats = machine_stats(&sim, 1);
    assert_eq!(stats.failed, 1, "{stats:?}");
    let trace = sim.drain_trace();
    assert!(trace
        .iter()
        .any(|e| matches!(e.kind, TraceKind::TaskTokenAnswered { success: false, .. })));
}

#[test]
fn a_consumer_pool_starts_one_execution_per_message_and_deletes_it() {
    let mut sim = build(vec![
        queue("in", QueueSpec::default()),
        machine("flow", PASS, ExecutionKind::Express),
        producer("p", producer_to(0, 5.0, 10, r#"{"n": 1}"#)),
        consumer(
            "pipe",
            ConsumerSpec {
                source: 0,
                target: Some(1),
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(10));
    assert_eq!(machine_stats(&sim, 1).succeeded, 10);
    assert_eq!(queue_stats(&sim, 0).deleted, 10);
}

#[test]
fn start_execution_sync_waits_for_the_child_and_mocks_answer_other_tasks() {
    let parent = r#"{"StartAt": "Child", "States": {
        "Child": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                  "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child", "Input": {"x": 1}},
                  "OutputPath": "$.Output", "End": true}}}"#;
    let child = r#"{"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
                   "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1}],
                   "End": true}}}"#;
    let mock = MockConfig::parse(
        r#"{"StateMachines": {"child": {"TestCases": {"Busy": {"Charge": "ChargeBusy"}}}},
            "MockedResponses": {"ChargeBusy": {
              "0": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}},
              "1": {"Return": {"charged": true}}}}}"#,
    )
    .expect("mock");
    let mut child_spec = match machine("child", child, ExecutionKind::Standard).kind {
        ComponentKind::StateMachine(spec) => spec,
        _ => unreachable!(),
    };
    child_spec.mock = Some((mock, "Busy".into()));
    let mut sim = build(vec![
        machine("parent", parent, ExecutionKind::Standard),
        ComponentSpec {
            name: "child".into(),
            kind: ComponentKind::StateMachine(child_spec),
        },
        producer("p", producer_to(0, 1.0, 1, "{}")),
    ]);
    sim.run_until(secs(20));
    let parent_stats = machine_stats(&sim, 0);
    let child_stats = machine_stats(&sim, 1);
    assert_eq!(child_stats.succeeded, 1, "{child_stats:?}");
    assert_eq!(parent_stats.succeeded, 1, "{parent_stats:?}");
    // The child's Charge was entered once and retried once: 2 transitions.
    assert_eq!(child_stats.transitions, 2);
    // The parent waited for the child's 1 s retry interval.
    assert!(parent_stats.execution_time_max >= SimDuration::from_secs(1));
}

#[test]
fn express_rejects_wait_for_task_token_at_build() {
    let result = Simulation::new(model(vec![
        queue("work", QueueSpec::default()),
        machine("flow", CALLBACK, ExecutionKind::Express),
    ]));
    match result {
        Err(BuildError::Invalid(issues)) => {
            assert!(issues
                .iter()
                .any(|i| i.field == "Definition" && i.message.contains("EXPRESS")));
        }
        other => panic!("expected an invalid model, got {:?}", other.is_ok()),
    }
}

fn express_storing_in(duplicates: f64) -> ComponentSpec {
    let definition = r#"{"StartAt": "Store", "States": {
        "Store": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                  "Parameters": {"QueueUrl": "stored", "MessageBody.$": "$"}, "End": true}}}"#;
    let mut spec = machine("flow", definition, ExecutionKind::Express);
    if let ComponentKind::StateMachine(machine) = &mut spec.kind {
        machine.duplicate_execution_probability = duplicates;
    }
    spec
}

/// Express is at-least-once: with `DuplicateExecutionProbability` 1 every start runs the
/// execution twice, both runs' side effects happen, and the second run bills its duration
/// but no second request.
#[test]
fn an_express_start_can_run_the_execution_twice() {
    let mut sim = build(vec![
        queue("stored", QueueSpec::default()),
        express_storing_in(1.0),
        producer("p", producer_to(1, 10.0, 20, r#"{"n": 1}"#)),
    ]);
    sim.run_until(secs(10));
    let stats = machine_stats(&sim, 1);
    assert_eq!(stats.started, 20);
    assert_eq!(stats.duplicated, 20);
    assert_eq!(stats.succeeded, 40);
    assert_eq!(
        queue_stats(&sim, 0).visible,
        40,
        "each run sent its message"
    );
    // 20 requests at $1 per million; 40 runs of 100 ms (the minimum) × 64 MB.
    let gb_seconds = 40.0 * 0.1 * 64.0 / 1024.0;
    let expected = 20.0 / 1e6 + gb_seconds * 0.000_016_67;
    assert!(
        (stats.cost_usd - expected).abs() < 1e-12,
        "{}",
        stats.cost_usd
    );
    let trace = sim.drain_trace();
    let twice = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::ExecutionDuplicated { .. }))
        .count();
    assert_eq!(twice, 20);
    sim.check_invariants()
        .expect("started + duplicated = ended");
}

/// A share of the starts, drawn from the simulation's random stream, runs twice; with the
/// default 0 none does.
#[test]
fn duplicates_follow_the_probability_and_default_to_none() {
    let run = |duplicates: f64| {
        let mut sim = build(vec![
            queue("stored", QueueSpec::default()),
            express_storing_in(duplicates),
            producer("p", producer_to(1, 100.0, 2_000, r#"{"n": 1}"#)),
        ]);
        sim.run_until(secs(30));
        machine_stats(&sim, 1)
    };
    assert_eq!(run(0.0).duplicated, 0);
    let some = run(0.1);
    assert_eq!(some.started, 2_000);
    // Binomial(2000, 0.1): mean 200, standard deviation about 13.4.
    assert!(
        (150..=250).contains(&some.duplicated),
        "{}",
        some.duplicated
    );
    assert_eq!(some.succeeded, 2_000 + some.duplicated);
}

#[test]
fn duplicates_are_refused_on_standard_and_outside_zero_to_one() {
    for (kind, probability, wanted) in [
        (ExecutionKind::Standard, 0.1, "exactly once"),
        (ExecutionKind::Express, 1.5, "1.5 is outside 0..=1"),
    ] {
        let mut spec = machine("flow", PASS, kind);
        if let ComponentKind::StateMachine(machine) = &mut spec.kind {
            machine.duplicate_execution_probability = probability;
        }
        match Simulation::new(model(vec![spec])) {
            Err(BuildError::Invalid(issues)) => assert!(
                issues
                    .iter()
                    .any(|i| i.field == "DuplicateExecutionProbability"
                        && i.message.contains(wanted)),
                "{issues:?}"
            ),
            other => panic!("expected an invalid model, got {:?}", other.is_ok()),
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_trace() {
    let run = || {
        let mut sim = build(vec![
            queue("work", QueueSpec::default()),
            machine("flow", CALLBACK, ExecutionKind::Standard),
            producer(
                "p",
                ProducerSpec {
                    arrival: Arrival::Poisson,
                    ..producer_to(1, 3.0, 30, r#"{"job": 2}"#)
                },
            ),
            consumer(
                "workers",
                ConsumerSpec {
                    source: 0,
                    processing_time: Distribution::Exponential { mean: 1.0 },
                    failure_probability: 0.2,
                    ..ConsumerSpec::default()
                },
            ),
        ]);
        sim.run_until(secs(120));
        let events = sim.drain_trace();
        let namer = sim.namer();
        let trace: Vec<String> = events
            .iter()
            .map(|e| format!("{} {}", e.time, e.explain(&namer)))
            .collect();
        trace
    };
    let first = run();
    assert!(first.iter().any(|line| line.contains("SUCCEEDED")));
    assert_eq!(first, run());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_started_execution_is_accounted_for_at_every_step(
        seed in any::<u64>(),
        rate in 0.5f64..20.0,
        failure in 0.0f64..0.6,
        express in any::<bool>(),
        burst in 1u32..10,
        duplicates in 0.0f64..=1.0,
    ) {
        let kind = if express { ExecutionKind::Express } else { ExecutionKind::Standard };
        let definition = if express { PASS } else { CALLBACK };
        let mut spec = match machine("flow", definition, kind).kind {
            ComponentKind::StateMachine(spec) => spec,
            _ => unreachable!(),
        };
        if express {
            spec.duplicate_execution_probability = duplicates;
        }
        spec.start_burst = burst;
        spec.start_refill_per_second = 2;
        let mut model = model(vec![
            queue("work", QueueSpec { visibility_timeout: 5, ..QueueSpec::default() }),
            ComponentSpec { name: "flow".into(), kind: ComponentKind::StateMachine(spec) },
            producer("p", ProducerSpec { arrival: Arrival::Poisson, ..producer_to(1, rate, 200, r#"{"job": 3}"#) }),
            consumer("workers", ConsumerSpec {
                source: 0,
                workers: 3,
                failure_probability: failure,
                processing_time: Distribution::Exponential { mean: 0.5 },
                ..ConsumerSpec::default()
            }),
        ]);
        model.seed = seed;
        let mut sim = Simulation::new(model).expect("valid");
        let mut steps = 0;
        while sim.now() < secs(200) && sim.step() {
            steps += 1;
            if steps % 40 == 0 {
                // Redrive every execution by name: the stopped Standard ones go back to
                // running, the others are refused and change nothing.
                let started = machine_stats(&sim, 1).started;
                for k in 1..=started {
                    let _ = sim.handle_command(Command::RedriveExecution {
                        state_machine: 1,
                        execution: format!("exec-{k}"),
                    });
                }
            }
            if let Err(problem) = sim.check_invariants() {
                prop_assert!(false, "after {} steps: {}", steps, problem);
            }
        }
        let stats = machine_stats(&sim, 1);
        prop_assert_eq!(
            stats.started + stats.redriven + stats.duplicated,
            stats.running + stats.succeeded + stats.failed + stats.timed_out + stats.aborted
        );
        if express {
            prop_assert_eq!(stats.redriven, 0);
        } else {
            prop_assert_eq!(stats.duplicated, 0);
        }
        prop_assert!(stats.duplicated <= stats.started);
        prop_assert!(stats.started + stats.throttled <= 200);
    }
}

/// A fault on a state machine fails its task states with `States.TaskFailed` inside the
/// window only.
#[test]
fn a_fault_fails_task_states_inside_its_window() {
    const TASK: &str = r#"{"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "End": true}}}"#;
    let mut model = model(vec![
        machine("flow", TASK, ExecutionKind::Standard),
        producer("p", producer_to(0, 1.0, 30, r#"{"n": 1}"#)),
    ]);
    model.faults.push(FaultSpec {
        component: 0,
        start: SimDuration::from_secs(10),
        duration: SimDuration::from_secs(10),
        effect: FaultEffect::Stop { share: 1.0 },
    });
    let mut sim = Simulation::new(model).expect("valid");
    sim.set_tracing(true);
    let trace = run_traced(&mut sim, secs(40));
    let stats = machine_stats(&sim, 0);
    // Starts at 1, 2, ..., 30 s; those at 10..=19 s fail.
    assert_eq!(stats.failed, 10);
    assert_eq!(stats.succeeded, 20);
    let failed_at = times_of(
        &trace,
        |k| matches!(k, TraceKind::ExecutionEnded { status: "FAILED", error: Some(e), .. } if e.contains("States.TaskFailed")),
    );
    assert!(
        failed_at.iter().all(|&t| (10.0..20.0).contains(&t)),
        "{failed_at:?}"
    );
}

/// One in three executions goes to a Fail state; the others retry a task once, have a
/// second task's error caught, and succeed.
const ONE_IN_THREE: &str = r#"{"QueryLanguage": "JSONata", "StartAt": "Check", "States": {
    "Check": {"Type": "Choice", "Choices": [
        {"Condition": "{% $states.input.sequence % 3 = 0 %}", "Next": "Reject"}], "Default": "Hold"},
    "Hold": {"Type": "Wait", "Seconds": 5, "Next": "Work"},
    "Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
             "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "MaxAttempts": 1}], "Next": "Audit"},
    "Audit": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:audit",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}], "End": true},
    "Reject": {"Type": "Fail", "Error": "Rejected", "Cause": "one in three"},
    "Done": {"Type": "Succeed"}}}"#;

fn one_in_three(total: u64) -> Simulation {
    let mock = MockConfig::parse(
        r#"{"StateMachines": {"flow": {"TestCases": {"Live": {"Work": "WorkBusy", "Audit": "AuditFails"}}}},
            "MockedResponses": {
              "WorkBusy": {"0": {"Throw": {"Error": "Busy", "Cause": "try again"}}, "1": {"Return": {"ok": true}}},
              "AuditFails": {"0": {"Throw": {"Error": "AuditDown", "Cause": "no auditor"}}}}}"#,
    )
    .expect("mock");
    let mut spec = match machine("flow", ONE_IN_THREE, ExecutionKind::Standard).kind {
        ComponentKind::StateMachine(spec) => spec,
        _ => unreachable!(),
    };
    spec.mock = Some((mock, "Live".into()));
    build(vec![
        ComponentSpec {
            name: "flow".into(),
            kind: ComponentKind::StateMachine(spec),
        },
        producer(
            "p",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: 1.0,
                total_count: Some(total),
                ..ProducerSpec::default()
            },
        ),
    ])
}

#[test]
fn per_state_counts_follow_a_choice_that_sends_one_in_three_to_fail() {
    let mut sim = one_in_three(30);
    // Mid-run: the executions in the Wait are counted as running there.
    sim.run_until(secs(12));
    let counts = sim.state_counts(0);
    let running: u64 = counts.values().map(|c| c.running).sum();
    assert_eq!(running, machine_stats(&sim, 0).running);
    assert!(counts["Hold"].running >= 3, "{counts:?}");
    sim.run_until(secs(60));
    let counts = sim.state_counts(0);
    let of = |name: &str| counts.get(name).copied().unwrap_or_default();
    let expect = |entered, succeeded, failed, retried, caught| StateCounts {
        entered,
        succeeded,
        failed,
        retried,
        caught,
        running: 0,
    };
    assert_eq!(of("Check"), expect(30, 30, 0, 0, 0));
    assert_eq!(of("Reject"), expect(10, 0, 10, 0, 0));
    assert_eq!(of("Hold"), expect(20, 20, 0, 0, 0));
    assert_eq!(of("Work"), expect(20, 20, 0, 20, 0));
    assert_eq!(of("Audit"), expect(20, 0, 0, 0, 20));
    assert_eq!(of("Done"), expect(20, 20, 0, 0, 0));
    let stats = machine_stats(&sim, 0);
    assert_eq!((stats.succeeded, stats.failed), (20, 10));
    assert!(sim.state_counts(1).is_empty(), "a producer has no states");

    // The most recent executions through Reject, newest first, with their histories.
    let recent = sim.state_executions(0, "Reject");
    assert_eq!(recent.len(), RECENT_PER_STATE);
    assert!(recent
        .iter()
        .all(|e| e.status == "FAILED" && e.history_kept));
    assert!(recent.iter().all(|e| e.redrive_status == "REDRIVABLE"));
    let (summary, record) = sim
        .execution_record(0, &recent[0].execution_arn)
        .expect("a known execution");
    assert_eq!(summary, recent[0]);
    let names: Vec<String> = record
        .expect("a kept history")
        .history
        .iter()
        .map(|e| e.event_type.name().to_string())
        .collect();
    assert!(names.contains(&"FailStateEntered".to_string()), "{names:?}");
    assert_eq!(sim.execution_record(0, "exec-999"), None);
    assert_eq!(sim.execution_record(0, "not an execution"), None);
    assert!(sim.state_executions(0, "Nowhere").is_empty());
    // Both kinds of kept histories: the last 10 that succeeded and the 10 that failed.
    assert_eq!(sim.execution_histories(0).len(), 20);
    sim.check_invariants().expect("conservation");
}

/// Fails on its first attempt at Charge; on a redrive, Charge succeeds and the Choice sees
/// `$$.Execution.RedriveCount` = 1 (read by a Pass state).
const REDRIVABLE: &str = r#"{"StartAt": "Charge", "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "Next": "Count"},
    "Count": {"Type": "Pass", "Parameters": {"redrives.$": "$$.Execution.RedriveCount"}, "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [
        {"Variable": "$.redrives", "NumericEquals": 1, "Next": "Done"}], "Default": "Wrong"},
    "Wrong": {"Type": "Fail", "Error": "WrongRedriveCount"},
    "Done": {"Type": "Succeed"}}}"#;

fn redrive(
    sim: &mut Simulation,
    state_machine: ComponentId,
    execution: &str,
) -> Result<(), CommandError> {
    sim.handle_command(Command::RedriveExecution {
        state_machine,
        execution: execution.into(),
    })
}

fn refused_with(result: Result<(), CommandError>) -> &'static str {
    match result {
        Err(CommandError::StepFunctions { error, .. }) => error,
        other => panic!("expected a Step Functions error, got {other:?}"),
    }
}

#[test]
fn a_failed_standard_execution_is_redriven_from_the_failed_state() {
    let mock = MockConfig::parse(
        r#"{"StateMachines": {"flow": {"TestCases": {"Once": {"Charge": "FailsOnce"}}}},
            "MockedResponses": {"FailsOnce": {
              "0": {"Throw": {"Error": "Card.Declined", "Cause": "try later"}},
              "1": {"Return": {"charged": true}}}}}"#,
    )
    .expect("mock");
    let mut spec = match machine("flow", REDRIVABLE, ExecutionKind::Standard).kind {
        ComponentKind::StateMachine(spec) => spec,
        _ => unreachable!(),
    };
    spec.mock = Some((mock, "Once".into()));
    let mut sim = build(vec![
        ComponentSpec {
            name: "flow".into(),
            kind: ComponentKind::StateMachine(spec),
        },
        producer("p", producer_to(0, 1.0, 1, "{}")),
    ]);
    sim.set_tracing(true);
    sim.run_until(secs(5));
    assert_eq!(machine_stats(&sim, 0).failed, 1);
    let arn = "arn:aws:states:us-east-1:123456789012:execution:flow:exec-1";
    assert_eq!(
        sim.state_executions(0, "Charge")[0].redrive_status,
        "REDRIVABLE"
    );

    // Bad requests are errors and change nothing.
    let before = machine_stats(&sim, 0);
    assert!(matches!(
        redrive(&mut sim, 1, "exec-1"),
        Err(CommandError::WrongKind { .. })
    ));
    assert!(matches!(
        redrive(&mut sim, 9, "exec-1"),
        Err(CommandError::NoSuchComponent(9))
    ));
    assert_eq!(
        refused_with(redrive(&mut sim, 0, "exec-2")),
        "ExecutionDoesNotExist"
    );
    assert_eq!(
        refused_with(redrive(&mut sim, 0, "no such thing")),
        "ExecutionDoesNotExist"
    );
    assert_eq!(
        refused_with(redrive(
            &mut sim,
            0,
            "arn:aws:states:us-east-1:123456789012:execution:other:exec-1"
        )),
        "ExecutionDoesNotExist"
    );
    assert_eq!(machine_stats(&sim, 0), before);

    redrive(&mut sim, 0, arn).expect("a failed Standard execution is redrivable");
    let stats = machine_stats(&sim, 0);
    assert_eq!((stats.running, stats.redriven, stats.failed), (1, 1, 1));
    sim.check_invariants()
        .expect("a redriven execution is running again");
    assert_eq!(
        refused_with(redrive(&mut sim, 0, "exec-1")),
        "ExecutionNotRedrivable"
    );
    let trace = run_traced(&mut sim, secs(10));
    assert!(trace.iter().any(|e| matches!(
        &e.kind,
        TraceKind::ExecutionRedriven { execution, redrive_count: 1 } if execution == arn
    )));
    let stats = machine_stats(&sim, 0);
    assert_eq!(
        (stats.succeeded, stats.failed, stats.running),
        (1, 1, 0),
        "{stats:?}"
    );
    // Charge ran again, Count, Check and Done ran for the first time; the first
    // attempt's transitions stay billed.
    assert_eq!(stats.transitions, 1 + 4);
    assert_eq!(
        refused_with(redrive(&mut sim, 0, "exec-1")),
        "ExecutionNotRedrivable"
    );
    let (summary, record) = sim.execution_record(0, "exec-1").expect("kept");
    assert_eq!((summary.status, summary.redrive_count), ("SUCCEEDED", 1));
    let names: Vec<String> = record
        .expect("history")
        .history
        .iter()
        .map(|e| e.event_type.name().to_string())
        .collect();
    assert!(
        names.contains(&"ExecutionRedriven".to_string()),
        "{names:?}"
    );
    assert_eq!(names.last().map(String::as_str), Some("ExecutionSucceeded"));
    sim.check_invariants().expect("conservation");
    sim.run_until(secs(60));
    let redriven: f64 = sim
        .drain_metrics()
        .iter()
        .filter(|s| s.metric == Metric::ExecutionsRedriven)
        .map(|s| s.value)
        .sum();
    assert_eq!(redriven, 1.0);
}

#[test]
fn redrive_is_refused_after_fourteen_days_and_for_express() {
    const BOOM: &str = r#"{"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "E"}}}"#;
    let mut sim = build(vec![
        machine("standard", BOOM, ExecutionKind::Standard),
        machine("express", BOOM, ExecutionKind::Express),
        producer("p1", producer_to(0, 1.0, 2, "{}")),
        producer("p2", producer_to(1, 1.0, 1, "{}")),
    ]);
    let day = 86_400;
    sim.run_until(secs(13 * day));
    assert_eq!(machine_stats(&sim, 0).failed, 2);
    // 13 days after: redrivable; it fails again at Boom and its 14 days start again.
    redrive(&mut sim, 0, "exec-1").expect("within 14 days");
    sim.run_until(secs(13 * day + 10));
    assert_eq!(machine_stats(&sim, 0).failed, 3);
    sim.run_until(secs(15 * day));
    assert_eq!(
        refused_with(redrive(&mut sim, 0, "exec-2")),
        "ExecutionNotRedrivable"
    );
    assert_eq!(
        sim.state_executions(0, "Boom")[0].redrive_status,
        "REDRIVABLE"
    );
    redrive(&mut sim, 0, "exec-1").expect("14 days from its last stop");
    assert_eq!(
        refused_with(redrive(&mut sim, 1, "exec-1")),
        "ExecutionNotRedrivable"
    );
    sim.run_until(secs(15 * day + 10));
    let stats = machine_stats(&sim, 0);
    assert_eq!((stats.started, stats.redriven, stats.failed), (2, 2, 4));
    sim.check_invariants().expect("conservation");
}

/// A Task state invokes a function node and then stores its result in a queue.
fn invoke_then_store(resource_and_parameters: &str) -> String {
    format!(
        r#"{{"StartAt": "Invoke", "States": {{
        "Invoke": {{"Type": "Task", {resource_and_parameters}, "Next": "Store"}},
        "Store": {{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                  "Parameters": {{"QueueUrl": "stored", "MessageBody.$": "$"}}, "End": true}}}}}}"#
    )
}

fn stored_bodies(sim: &mut Simulation) -> Vec<String> {
    sim.peek(0, 10)
        .expect("peek")
        .into_iter()
        .filter_map(|message| message.body)
        .collect()
}

/// The function's ARN as the resource invokes the function node synchronously: the task
/// takes the function's time (cold start, then warm) and its result is the function's
/// output (a simulated function returns its event).
#[test]
fn a_task_invokes_a_function_node_and_waits_for_it() {
    let definition =
        invoke_then_store(r#""Resource": "arn:aws:lambda:us-east-1:123456789012:function:enrich""#);
    let mut sim = build(vec![
        queue("stored", QueueSpec::default()),
        machine("flow", &definition, ExecutionKind::Standard),
        function(
            "enrich",
            LambdaSpec {
                duration: Distribution::Constant { value: 2.0 },
                init_duration: Distribution::Constant { value: 0.5 },
                ..LambdaSpec::default()
            },
        ),
        producer("p", producer_to(1, 1.0, 1, r#"{"order": 7}"#)),
    ]);
    sim.run_until(secs(2));
    assert_eq!(
        machine_stats(&sim, 1).running,
        1,
        "still waiting for the function"
    );
    sim.run_until(secs(5));
    let stats = machine_stats(&sim, 1);
    assert_eq!(stats.succeeded, 1);
    // 0.5 s of cold start and 2 s of handler.
    assert_eq!(stats.execution_time_max, SimDuration::from_millis(2_500));
    assert_eq!(lambda_stats(&sim, 2).invocations, 1);
    assert_eq!(stored_bodies(&mut sim), vec![r#"{"order":7}"#.to_string()]);
}

/// `arn:aws:states:::lambda:invoke` names the function in `FunctionName` (a name or an
/// ARN with an alias) and wraps its output in `Payload`.
#[test]
fn lambda_invoke_wraps_the_output_in_payload() {
    let definition = invoke_then_store(
        r#""Resource": "arn:aws:states:::lambda:invoke",
           "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:enrich:live", "Payload.$": "$"}"#,
    );
    let mut sim = build(vec![
        queue("stored", QueueSpec::default()),
        machine("flow", &definition, ExecutionKind::Express),
        function("enrich", LambdaSpec::default()),
        producer("p", producer_to(1, 1.0, 1, r#"{"n": 1}"#)),
    ]);
    sim.run_until(secs(5));
    assert_eq!(machine_stats(&sim, 1).succeeded, 1);
    let bodies = stored_bodies(&mut sim);
    let body: serde_json::Value = serde_json::from_str(&bodies[0]).expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({"ExecutedVersion": "$LATEST", "Payload": {"n": 1}, "StatusCode": 200})
    );
}

/// Errors by name: the function's error share fails with `Error` (retried here, each
/// retry a new invocation), a timeout with `Lambda.Unknown`, a throttle with
/// `Lambda.TooManyRequestsException`.
#[test]
fn function_errors_reach_the_execution_by_name() {
    let run = |spec: LambdaSpec, retry: &str| {
        let definition = format!(
            r#"{{"StartAt": "Invoke", "States": {{"Invoke": {{"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work", {retry} "End": true}}}}}}"#
        );
        let mut sim = build(vec![
            machine("flow", &definition, ExecutionKind::Standard),
            function("work", spec),
            producer("p", producer_to(0, 1.0, 1, r#"{}"#)),
        ]);
        sim.run_until(secs(30));
        let errors: Vec<String> = sim
            .drain_trace()
            .iter()
            .filter_map(|e| match &e.kind {
                TraceKind::ExecutionEnded { error, .. } => error.clone(),
                _ => None,
            })
            .collect();
        (errors, lambda_stats(&sim, 1), machine_stats(&sim, 0))
    };
    let failing = LambdaSpec {
        error_probability: 1.0,
        ..LambdaSpec::default()
    };
    let (errors, function, _) = run(
        failing,
        r#""Retry": [{"ErrorEquals": ["Error"], "IntervalSeconds": 1, "MaxAttempts": 2}],"#,
    );
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("Error: "), "{errors:?}");
    assert_eq!(function.invocations, 3, "the first attempt and two retries");
    let slow = LambdaSpec {
        duration: Distribution::Constant { value: 10.0 },
        timeout: 3,
        ..LambdaSpec::default()
    };
    let (errors, _, _) = run(slow, "");
    assert!(
        errors[0].starts_with("Lambda.Unknown: ")
            && errors[0].contains("Task timed out after 3.00 seconds"),
        "{errors:?}"
    );
    let throttled = LambdaSpec {
        reserved_concurrent_executions: Some(0),
        ..LambdaSpec::default()
    };
    let (errors, function, stats) = run(throttled, "");
    assert!(
        errors[0].starts_with("Lambda.TooManyRequestsException: "),
        "{errors:?}"
    );
    assert_eq!(function.throttles, 1);
    assert_eq!(stats.failed, 1);
}

// ----- Lambda functions that start executions (the function's arrow to a state machine) ----

/// A topic (0) subscribing function 2, which starts machine 3; machine 3 stores its input
/// in queue 4. The producer (1) publishes `count` messages at once.
fn sns_function_machine(count: u32, start_burst: u32) -> Model {
    let mut spec = match machine("flow", &invoke_then_store_input(), ExecutionKind::Standard).kind {
        ComponentKind::StateMachine(spec) => spec,
        _ => unreachable!(),
    };
    spec.start_burst = start_burst;
    spec.start_refill_per_second = 1;
    model(vec![
        topic_to_function("orders", 2),
        producer(
            "shop",
            ProducerSpec {
                rate_per_second: 0.0,
                total_count: None,
                bursts: vec![Burst {
                    at: SimDuration::ZERO,
                    count,
                }],
                ..producer_to(0, 1.0, u64::from(count), r#"{"order": 7}"#)
            },
        ),
        function(
            "starter",
            LambdaSpec {
                init_duration: Distribution::Constant { value: 0.25 },
                duration: Distribution::Constant { value: 0.1 },
                start_execution: Some(3),
                ..LambdaSpec::default()
            },
        ),
        ComponentSpec {
            name: "flow".into(),
            kind: ComponentKind::StateMachine(spec),
        },
        queue("stored", QueueSpec::default()),
    ])
}

/// A state machine that sends its input to the queue named "stored".
fn invoke_then_store_input() -> String {
    r#"{"StartAt": "Store", "States": {
        "Store": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                  "Parameters": {"QueueUrl": "stored", "MessageBody.$": "$"}, "End": true}}}"#
        .to_string()
}

/// SNS → Lambda → Step Functions: the subscribed function's handler starts one execution
/// per notification as it ends (cold start 0.25 s + 0.1 s), with the message as input.
#[test]
fn a_function_subscribed_to_a_topic_starts_one_execution_per_notification() {
    let mut sim = Simulation::new(sns_function_machine(3, 1_300)).expect("valid");
    sim.set_tracing(true);
    let trace = checked_run(&mut sim, secs(10));
    let starts: Vec<(f64, Option<ComponentId>)> = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::ExecutionStarted { by, .. } => Some((e.time.as_secs_f64(), by)),
            _ => None,
        })
        .collect();
    assert_eq!(starts, vec![(0.35, Some(2)); 3]);
    let stats = machine_stats(&sim, 3);
    assert_eq!((stats.started, stats.succeeded), (3, 3));
    assert_eq!(queue_stats(&sim, 4).sent, 3);
    let bodies: Vec<String> = sim
        .peek(4, 10)
        .expect("peek")
        .into_iter()
        .filter_map(|m| m.body)
        .collect();
    assert_eq!(bodies, vec![r#"{"order":7}"#.to_string(); 3]);
    assert_eq!(sim.lambda_census().async_succeeded, 3);
}

/// A `StartExecution` the machine's quota refuses throws in the handler: the invocation
/// is a function error and SNS's asynchronous retry (about a minute later) starts it.
#[test]
fn a_throttled_start_fails_the_handler_and_the_asynchronous_retry_starts_it() {
    let mut sim = Simulation::new(sns_function_machine(3, 1)).expect("valid");
    sim.set_tracing(true);
    let trace = checked_run(&mut sim, secs(200));
    let stats = machine_stats(&sim, 3);
    // One token for three starts at 0.35 s; the two retries come together about a minute
    // later, when one token has refilled, so one waits for a second retry.
    assert_eq!(stats.throttled, 3);
    assert_eq!((stats.started, stats.succeeded), (3, 3));
    let function = lambda_stats(&sim, 2);
    assert_eq!((function.invocations, function.errors), (6, 3));
    let census = sim.lambda_census();
    assert_eq!(census.async_succeeded, 3);
    assert!(census.balanced());
    let retried = times_of(&trace, |k| {
        matches!(
            k,
            TraceKind::AsyncRetryScheduled {
                outcome: LambdaOutcome::FunctionError,
                ..
            }
        )
    });
    assert_eq!(retried.len(), 3);
    assert_eq!(&retried[..2], &[0.35, 0.35]);
    assert_eq!(queue_stats(&sim, 4).sent, 3);
}

/// An SQS event source mapping whose handler starts an execution per record, against a
/// machine whose quota lets 5 starts through at once and 1 a second after.
fn queue_function_machine(report_batch_item_failures: bool) -> Model {
    let mut spec = match machine("flow", PASS, ExecutionKind::Standard).kind {
        ComponentKind::StateMachine(spec) => spec,
        _ => unreachable!(),
    };
    spec.start_burst = 5;
    spec.start_refill_per_second = 1;
    model(vec![
        queue(
            "jobs",
            QueueSpec {
                visibility_timeout: 30,
                ..QueueSpec::default()
            },
        ),
        producer(
            "burst",
            ProducerSpec {
                rate_per_second: 0.0,
                total_count: None,
                bursts: vec![Burst {
                    at: SimDuration::ZERO,
                    count: 10,
                }],
                ..producer_to(0, 1.0, 10, r#"{"job": 1}"#)
            },
        ),
        function(
            "starter",
            LambdaSpec {
                start_execution: Some(3),
                event_sources: vec![EventSourceMappingSpec {
                    source: 0,
                    report_batch_item_failures,
                    ..EventSourceMappingSpec::default()
                }],
                ..LambdaSpec::default()
            },
        ),
        ComponentSpec {
            name: "flow".into(),
            kind: ComponentKind::StateMachine(spec),
        },
    ])
}

/// With `ReportBatchItemFailures` the handler reports each refused record: the started
/// ones are deleted, the others come back after the visibility timeout and start then.
/// Every record starts exactly one execution.
#[test]
fn with_partial_batch_responses_each_record_starts_exactly_once() {
    let mut sim = Simulation::new(queue_function_machine(true)).expect("valid");
    checked_run(&mut sim, secs(120));
    let stats = machine_stats(&sim, 3);
    assert_eq!(stats.started, 10);
    assert!(stats.throttled >= 1, "{stats:?}");
    assert_eq!(queue_stats(&sim, 0).deleted, 10);
}

/// Without partial batch responses one refused start fails the whole batch: every record
/// comes back, and those whose executions had started start again (duplicates).
#[test]
fn without_partial_batch_responses_a_refused_start_repeats_the_started_records() {
    let mut sim = Simulation::new(queue_function_machine(false)).expect("valid");
    checked_run(&mut sim, secs(25));
    // However the pollers split the ten, 5 starts pass at once and the batch holding the
    // sixth fails: its records stay in flight.
    let first = machine_stats(&sim, 3);
    assert_eq!(first.started, 5);
    assert!(queue_stats(&sim, 0).deleted < 10);
    checked_run(&mut sim, secs(300));
    let stats = machine_stats(&sim, 3);
    let deleted = queue_stats(&sim, 0).deleted;
    assert!(
        stats.started > deleted,
        "duplicates: {} executions for {deleted} deleted records",
        stats.started
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// SNS → Lambda → Step Functions under throttles and handler errors: each event the
    /// function finished successfully started exactly one execution, and every event and
    /// execution is accounted for at every step.
    #[test]
    fn a_function_starts_exactly_one_execution_per_successful_event(
        seed in any::<u64>(),
        count in 1u32..60,
        burst in 1u32..20,
        errors in 0.0f64..0.5,
    ) {
        let mut model = sns_function_machine(count, burst);
        if let ComponentKind::Lambda(spec) = &mut model.components[2].kind {
            spec.error_probability = errors;
            spec.reserved_concurrent_executions = Some(5);
        }
        model.seed = seed;
        let mut sim = Simulation::new(model).expect("valid");
        while sim.now() < secs(3_600) && sim.step() {
            if let Err(problem) = sim.check_invariants() {
                prop_assert!(false, "{}", problem);
            }
        }
        let census = sim.lambda_census();
        prop_assert!(census.balanced());
        prop_assert_eq!(census.async_pending, 0);
        prop_assert_eq!(machine_stats(&sim, 3).started, census.async_succeeded);
        prop_assert_eq!(queue_stats(&sim, 4).sent, census.async_succeeded);
    }
}
