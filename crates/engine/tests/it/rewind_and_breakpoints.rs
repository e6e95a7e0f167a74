use crate::support::*;
use loosely_engine::*;

fn failing_pipeline() -> Simulation {
    build(vec![
        queue(
            "orders",
            QueueSpec {
                visibility_timeout: 10,
                redrive_policy: Some(RedrivePolicy {
                    dead_letter_target: 1,
                    max_receive_count: 2,
                }),
                ..QueueSpec::default()
            },
        ),
        queue("orders-dlq", QueueSpec::default()),
        producer(
            "shop",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: 5.0,
                ..ProducerSpec::default()
            },
        ),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                workers: 2,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 0.1 },
                failure_probability: 0.3,
                ..ConsumerSpec::default()
            },
        ),
    ])
}

#[test]
fn run_until_the_dlq_receives_its_first_message() {
    let mut sim = failing_pipeline();
    let at = sim.run_until_condition(&StopCondition::DeadLetterArrives { queue: 1 }, secs(3_600));
    let at = at.expect("a message reaches the DLQ");
    let trace = sim.drain_trace();
    let first_move = trace
        .iter()
        .find(|e| matches!(e.kind, TraceKind::MovedToDlq { .. }))
        .expect("a move");
    assert_eq!(first_move.time, at);
    assert_eq!(queue_stats(&sim, 1).dead_lettered_here, 1);
}

#[test]
fn run_until_a_depth_or_a_delete_or_the_limit() {
    let mut sim = failing_pipeline();
    sim.handle_command(Command::Pause { component: 3 })
        .expect("pause");
    let at = sim.run_until_condition(
        &StopCondition::DepthAbove {
            queue: 0,
            visible: 50,
        },
        secs(3_600),
    );
    assert_eq!(at, Some(SimTime::from_millis(10_200)));
    sim.handle_command(Command::Resume { component: 3 })
        .expect("resume");
    let at = sim.run_until_condition(
        &StopCondition::MessageDeleted {
            message: MessageId(40),
        },
        secs(3_600),
    );
    assert!(at.is_some());
    let never = sim.run_until_condition(
        &StopCondition::DepthAbove {
            queue: 0,
            visible: 1_000_000,
        },
        secs(100),
    );
    assert_eq!(never, None);
    assert_eq!(sim.now(), secs(100));
    // A condition on a component that is not a queue never matches.
    assert_eq!(
        sim.run_until_condition(&StopCondition::DeadLetterArrives { queue: 3 }, secs(110)),
        None
    );
}

/// Seeking back to any moment gives exactly the state the run had then.
#[test]
fn the_timeline_rewinds_to_any_earlier_moment() {
    let mut sim = failing_pipeline();
    let mut timeline = Timeline::new(SimDuration::from_secs(30), 8);
    let mut census_at = Vec::new();
    for second in 1..=600u64 {
        sim.run_until(secs(second));
        timeline.record(&sim);
        census_at.push(sim.census());
    }
    assert!(timeline.len() <= 8);
    assert!(
        timeline.interval() > SimDuration::from_secs(30),
        "old checkpoints were thinned"
    );
    for second in [1u64, 37, 299, 450, 600] {
        let past = timeline.seek(secs(second)).expect("a checkpoint");
        assert_eq!(past.now(), secs(second));
        assert_eq!(
            past.census(),
            census_at[second as usize - 1],
            "at {second} s"
        );
    }
    assert!(timeline.seek(SimTime::ZERO).is_none() || timeline.times()[0] == SimTime::ZERO);
}

/// Thinning by hand (to save memory) keeps the first checkpoint and every other one.
#[test]
fn thinning_halves_the_checkpoints_and_doubles_the_interval() {
    let mut sim = failing_pipeline();
    let mut timeline = Timeline::new(SimDuration::from_secs(10), 100);
    assert!(timeline.is_due(SimTime::ZERO), "an empty timeline is due");
    for second in (0..=100u64).step_by(10) {
        sim.run_until(secs(second));
        timeline.record(&sim);
    }
    assert_eq!(timeline.len(), 11);
    assert!(!timeline.is_due(secs(105)));
    assert!(timeline.is_due(secs(110)));
    timeline.thin();
    assert_eq!(timeline.len(), 6);
    assert_eq!(timeline.times()[0], SimTime::ZERO);
    assert_eq!(timeline.interval(), SimDuration::from_secs(20));
    let past = timeline.seek(secs(55)).expect("a checkpoint");
    assert_eq!(past.now(), secs(55));
}
