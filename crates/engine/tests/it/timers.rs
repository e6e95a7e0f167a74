use crate::support::*;
use loosely_engine::*;

fn long_polling_consumer(source: ComponentId, processing: f64) -> ComponentSpec {
    consumer(
        "workers",
        ConsumerSpec {
            source,
            workers: 1,
            wait_time_seconds: Some(20),
            processing_time: Distribution::Constant { value: processing },
            ..ConsumerSpec::default()
        },
    )
}

#[test]
fn a_delay_queue_hides_messages_for_exactly_delay_seconds() {
    let mut sim = build(vec![
        queue(
            "slow",
            QueueSpec {
                delay_seconds: 60,
                ..QueueSpec::default()
            },
        ),
        long_polling_consumer(0, 1.0),
    ]);
    send(&mut sim, 0, "later");
    sim.run_until(secs(59));
    let stats = queue_stats(&sim, 0);
    assert_eq!((stats.delayed, stats.visible, stats.in_flight), (1, 0, 0));
    let trace = run_traced(&mut sim, secs(61));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::DelayEnded)),
        vec![60.0]
    );
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Received { .. })),
        vec![60.0]
    );
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Deleted { .. })),
        vec![61.0]
    );
}

#[test]
fn per_message_delay_overrides_the_queue_delay_on_standard_queues() {
    let mut sim = build(vec![queue(
        "q",
        QueueSpec {
            delay_seconds: 60,
            ..QueueSpec::default()
        },
    )]);
    let message = ManualMessage {
        body: "x".into(),
        delay_seconds: Some(5),
        ..ManualMessage::default()
    };
    sim.handle_command(Command::SendMessage { queue: 0, message })
        .expect("send");
    let trace = run_traced(&mut sim, secs(10));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::DelayEnded)),
        vec![5.0]
    );
}

#[test]
fn fifo_queues_refuse_per_message_delay_with_the_aws_message() {
    let mut sim = build(vec![queue(
        "q.fifo",
        QueueSpec {
            fifo_queue: true,
            content_based_deduplication: true,
            ..QueueSpec::default()
        },
    )]);
    let message = ManualMessage {
        body: "x".into(),
        message_group_id: Some("g".into()),
        delay_seconds: Some(5),
        ..ManualMessage::default()
    };
    let error = sim
        .handle_command(Command::SendMessage { queue: 0, message })
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "InvalidParameterValue: Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."
    );
    assert_eq!(sim.census().rejected, 1);
}

#[test]
fn retention_deletes_messages_exactly_when_the_period_ends() {
    let mut sim = build(vec![queue(
        "q",
        QueueSpec {
            message_retention_period: 60,
            ..QueueSpec::default()
        },
    )]);
    send(&mut sim, 0, "a");
    sim.run_until(secs(30));
    send(&mut sim, 0, "b");
    let trace = run_traced(&mut sim, secs(200));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Expired { .. })),
        vec![60.0, 90.0]
    );
    assert_eq!(queue_stats(&sim, 0).expired, 2);
    assert_eq!(sim.census().expired, 2);
    assert_eq!(
        trace
            .iter()
            .find(|e| matches!(e.kind, TraceKind::Expired { .. }))
            .map(|e| e.explain(&sim.namer())),
        Some("m-1 deleted by q: MessageRetentionPeriod (60 s) ended".to_string())
    );
}

/// Processing takes 45 s but the visibility timeout is 30 s: the message becomes visible
/// again and the other worker receives it while the first still works on it. Each delete then
/// carries an outdated receipt handle, which AWS answers with success without deleting
/// ("the request succeeds, but the message might not be deleted"), so the message goes round
/// until `maxReceiveCount` sends it to the DLQ.
#[test]
fn visibility_timeout_shorter_than_processing_delivers_twice_and_never_deletes() {
    let mut sim = build(vec![
        queue(
            "q",
            QueueSpec {
                visibility_timeout: 30,
                redrive_policy: Some(RedrivePolicy {
                    dead_letter_target: 2,
                    max_receive_count: 3,
                }),
                ..QueueSpec::default()
            },
        ),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                workers: 2,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 45.0 },
                ..ConsumerSpec::default()
            },
        ),
        queue("q-dlq", QueueSpec::default()),
    ]);
    send(&mut sim, 0, "slow");
    let trace = run_traced(&mut sim, secs(200));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Received { .. })),
        vec![0.0, 30.0, 60.0]
    );
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::VisibilityExpired { .. })),
        vec![30.0, 60.0, 90.0]
    );
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::DeleteIgnored { .. })),
        vec![45.0, 75.0, 105.0]
    );
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::MovedToDlq { .. })),
        vec![90.0]
    );
    assert!(times_of(&trace, |k| matches!(k, TraceKind::Deleted { .. })).is_empty());
    assert_eq!(consumer_stats(&sim, 1).processed, 3);
}

#[test]
fn a_heartbeat_keeps_a_long_task_invisible() {
    let mut sim = build(vec![
        queue(
            "q",
            QueueSpec {
                visibility_timeout: 30,
                ..QueueSpec::default()
            },
        ),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                workers: 2,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 45.0 },
                heartbeat: Some(Heartbeat {
                    interval_seconds: 20,
                    visibility_timeout: 30,
                }),
                ..ConsumerSpec::default()
            },
        ),
    ]);
    send(&mut sim, 0, "slow");
    let trace = run_traced(&mut sim, secs(100));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Received { .. })),
        vec![0.0]
    );
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::VisibilityChanged { .. })),
        vec![20.0, 40.0]
    );
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Deleted { .. })),
        vec![45.0]
    );
}
