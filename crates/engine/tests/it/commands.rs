use crate::support::*;
use loosely_engine::*;

fn pipeline() -> Simulation {
    build(vec![
        queue("q", QueueSpec::default()),
        producer(
            "p",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: 10.0,
                ..ProducerSpec::default()
            },
        ),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                workers: 1,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 0.05 },
                ..ConsumerSpec::default()
            },
        ),
    ])
}

#[test]
fn pausing_a_consumer_lets_the_queue_fill_and_resuming_drains_it() {
    let mut sim = pipeline();
    sim.run_until(secs(10));
    assert!(queue_stats(&sim, 0).visible <= 1);
    sim.handle_command(Command::Pause { component: 2 })
        .expect("pause");
    sim.run_until(secs(20));
    let backlog = queue_stats(&sim, 0).visible;
    assert!((98..=101).contains(&backlog), "backlog {backlog}");
    assert!(consumer_stats(&sim, 2).paused);
    sim.handle_command(Command::Resume { component: 2 })
        .expect("resume");
    sim.run_until(secs(40));
    assert!(queue_stats(&sim, 0).visible <= 1);
}

#[test]
fn pausing_a_producer_stops_its_sends() {
    let mut sim = pipeline();
    sim.run_until(secs(5));
    sim.handle_command(Command::Pause { component: 1 })
        .expect("pause");
    let sent = queue_stats(&sim, 0).sent;
    sim.run_until(secs(50));
    assert_eq!(queue_stats(&sim, 0).sent, sent);
    sim.handle_command(Command::Resume { component: 1 })
        .expect("resume");
    sim.run_until(secs(60));
    assert!(queue_stats(&sim, 0).sent >= sent + 99);
}

#[test]
fn purge_deletes_everything_and_a_second_purge_within_60_s_fails() {
    let mut sim = pipeline();
    sim.handle_command(Command::Pause { component: 2 })
        .expect("pause");
    sim.run_until(secs(10));
    let held = queue_stats(&sim, 0).visible as u64;
    sim.handle_command(Command::PurgeQueue { queue: 0 })
        .expect("purge");
    assert_eq!(queue_stats(&sim, 0).visible, 0);
    assert_eq!(sim.census().purged, held);
    sim.run_until(secs(30));
    assert_eq!(
        sim.handle_command(Command::PurgeQueue { queue: 0 }),
        Err(CommandError::Sqs(SqsError::PurgeQueueInProgress))
    );
    sim.run_until(secs(71));
    assert!(sim.handle_command(Command::PurgeQueue { queue: 0 }).is_ok());
}

#[test]
fn changing_a_limit_while_running_applies_to_what_follows() {
    let mut sim = pipeline();
    sim.run_until(secs(5));
    let ComponentKind::Queue(mut spec) = sim.model().components[0].kind.clone() else {
        unreachable!()
    };
    spec.visibility_timeout = 90;
    spec.delay_seconds = 30;
    sim.handle_command(Command::Update {
        component: 0,
        kind: ComponentKind::Queue(spec.clone()),
    })
    .expect("update");
    sim.run_until(secs(10));
    let stats = queue_stats(&sim, 0);
    assert!(stats.delayed >= 49, "delayed {}", stats.delayed);
    // A bad value is refused with the field, the value and the range, and changes nothing.
    spec.visibility_timeout = 50_000;
    let error = sim
        .handle_command(Command::Update {
            component: 0,
            kind: ComponentKind::Queue(spec),
        })
        .expect_err("out of range");
    assert_eq!(
        error.to_string(),
        "components[0].VisibilityTimeout: 50000 is outside 0..=43200 seconds"
    );
    let ComponentKind::Queue(now) = &sim.model().components[0].kind else {
        unreachable!()
    };
    assert_eq!(now.visibility_timeout, 90);
}

#[test]
fn changing_the_worker_count_adds_and_retires_workers() {
    let mut sim = pipeline();
    sim.run_until(secs(1));
    let ComponentKind::Consumer(mut spec) = sim.model().components[2].kind.clone() else {
        unreachable!()
    };
    spec.workers = 5;
    sim.handle_command(Command::Update {
        component: 2,
        kind: ComponentKind::Consumer(spec.clone()),
    })
    .expect("more");
    sim.run_until(secs(2));
    assert_eq!(consumer_stats(&sim, 2).workers, 5);
    assert_eq!(
        consumer_stats(&sim, 2).polling + consumer_stats(&sim, 2).busy,
        5
    );
    spec.workers = 2;
    sim.handle_command(Command::Update {
        component: 2,
        kind: ComponentKind::Consumer(spec),
    })
    .expect("fewer");
    sim.run_until(secs(3));
    assert_eq!(
        consumer_stats(&sim, 2).polling + consumer_stats(&sim, 2).busy,
        2
    );
}

#[test]
fn commands_on_missing_or_wrong_components_are_errors() {
    let mut sim = pipeline();
    assert_eq!(
        sim.handle_command(Command::PurgeQueue { queue: 9 }),
        Err(CommandError::NoSuchComponent(9))
    );
    assert!(matches!(
        sim.handle_command(Command::PurgeQueue { queue: 1 }),
        Err(CommandError::WrongKind {
            expected: "queue",
            ..
        })
    ));
    assert!(matches!(
        sim.handle_command(Command::Update {
            component: 0,
            kind: ComponentKind::Queue(QueueSpec {
                fifo_queue: true,
                ..QueueSpec::default()
            })
        }),
        Err(CommandError::NotWhileRunning(_))
    ));
}

#[test]
fn peek_lists_messages_with_their_state_without_receiving_them() {
    let mut sim = build(vec![
        queue(
            "q",
            QueueSpec {
                visibility_timeout: 100,
                ..QueueSpec::default()
            },
        ),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 1_000.0 },
                ..ConsumerSpec::default()
            },
        ),
    ]);
    send(&mut sim, 0, "first");
    send(&mut sim, 0, "second");
    let delayed = ManualMessage {
        body: "third".into(),
        delay_seconds: Some(60),
        ..ManualMessage::default()
    };
    sim.handle_command(Command::SendMessage {
        queue: 0,
        message: delayed,
    })
    .expect("send");
    sim.run_until(secs(1));
    let peeked = sim.peek(0, 10).expect("peek");
    let states: Vec<_> = peeked
        .iter()
        .map(|m| (m.id.0, m.state, m.receive_count))
        .collect();
    assert_eq!(
        states,
        vec![
            (3, PeekState::Delayed { until: secs(60) }, 0),
            (2, PeekState::Visible, 0),
            (1, PeekState::InFlight { until: secs(100) }, 1),
        ]
    );
    assert_eq!(queue_stats(&sim, 0).received, 1);
}
