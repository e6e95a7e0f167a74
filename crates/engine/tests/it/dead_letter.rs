use crate::support::*;
use loosely_engine::*;

/// A message that is never deleted, VisibilityTimeout 10 s, maxReceiveCount 3: received at
/// 0, 10 and 20 s, and moved to the DLQ by the receive at 30 s — after its third receive and
/// not before.
#[test]
fn never_deleted_message_reaches_the_dlq_after_its_third_receive() {
    let mut sim = build(vec![
        queue(
            "orders",
            QueueSpec {
                visibility_timeout: 10,
                redrive_policy: Some(RedrivePolicy {
                    dead_letter_target: 1,
                    max_receive_count: 3,
                }),
                ..QueueSpec::default()
            },
        ),
        queue("orders-dlq", QueueSpec::default()),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                workers: 1,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 1.0 },
                failure_probability: 1.0,
                ..ConsumerSpec::default()
            },
        ),
    ]);
    send(&mut sim, 0, "poison");
    let trace = run_traced(&mut sim, secs(29));
    let receives = times_of(&trace, |k| matches!(k, TraceKind::Received { .. }));
    assert_eq!(receives, vec![0.0, 10.0, 20.0]);
    assert!(times_of(&trace, |k| matches!(k, TraceKind::MovedToDlq { .. })).is_empty());
    assert_eq!(queue_stats(&sim, 1).visible, 0);

    let trace = run_traced(&mut sim, secs(31));
    let moved: Vec<_> = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::MovedToDlq { .. }))
        .collect();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].time, secs(30));
    assert_eq!(
        moved[0].explain(&sim.namer()),
        "m-1 moved to orders-dlq: received 3 times, maxReceiveCount is 3"
    );
    assert_eq!(queue_stats(&sim, 1).visible, 1);
    assert_eq!(queue_stats(&sim, 0).moved_to_dlq, 1);
    let record = &sim.dead_letters()[0];
    assert_eq!(
        (
            record.receive_count,
            record.moved_at,
            record.first_receive_at
        ),
        (3, secs(30), secs(0))
    );
    assert_eq!(sim.census().in_dlq, 1);
}

#[test]
fn dlq_must_match_the_source_type() {
    let model = model(vec![
        queue(
            "orders.fifo",
            QueueSpec {
                fifo_queue: true,
                redrive_policy: Some(RedrivePolicy {
                    dead_letter_target: 1,
                    max_receive_count: 3,
                }),
                ..QueueSpec::default()
            },
        ),
        queue("orders-dlq", QueueSpec::default()),
    ]);
    let issues = model.validate();
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(
        issues[0].to_string(),
        "components[0].RedrivePolicy.deadLetterTargetArn: the dead-letter queue of a FIFO queue must be a FIFO queue too"
    );
}

#[test]
fn max_receive_count_is_range_checked() {
    let model = model(vec![
        queue(
            "orders",
            QueueSpec {
                redrive_policy: Some(RedrivePolicy {
                    dead_letter_target: 1,
                    max_receive_count: 0,
                }),
                ..QueueSpec::default()
            },
        ),
        queue("orders-dlq", QueueSpec::default()),
    ]);
    let issues: Vec<String> = model.validate().iter().map(|i| i.to_string()).collect();
    assert_eq!(
        issues,
        ["components[0].RedrivePolicy.maxReceiveCount: 0 is outside 1..=1000"]
    );
}

/// Standard DLQs keep the original enqueue time for retention (§1.7): a message that spent
/// 100 s in the source expires from a 300 s DLQ 200 s after the move.
#[test]
fn standard_dlq_retention_counts_from_the_original_send() {
    let mut sim = build(vec![
        queue(
            "src",
            QueueSpec {
                visibility_timeout: 50,
                redrive_policy: Some(RedrivePolicy {
                    dead_letter_target: 1,
                    max_receive_count: 2,
                }),
                ..QueueSpec::default()
            },
        ),
        queue(
            "dlq",
            QueueSpec {
                message_retention_period: 300,
                ..QueueSpec::default()
            },
        ),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 1.0 },
                failure_probability: 1.0,
                ..ConsumerSpec::default()
            },
        ),
    ]);
    send(&mut sim, 0, "x");
    let trace = run_traced(&mut sim, secs(400));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::MovedToDlq { .. })),
        vec![100.0]
    );
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Expired { .. })),
        vec![300.0]
    );
}

#[test]
fn fifo_dlq_resets_the_retention_clock() {
    let mut sim = build(vec![
        queue(
            "src.fifo",
            QueueSpec {
                fifo_queue: true,
                content_based_deduplication: true,
                visibility_timeout: 50,
                redrive_policy: Some(RedrivePolicy {
                    dead_letter_target: 1,
                    max_receive_count: 2,
                }),
                ..QueueSpec::default()
            },
        ),
        queue(
            "dlq.fifo",
            QueueSpec {
                fifo_queue: true,
                message_retention_period: 300,
                ..QueueSpec::default()
            },
        ),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 1.0 },
                failure_probability: 1.0,
                ..ConsumerSpec::default()
            },
        ),
    ]);
    let message = ManualMessage {
        body: "x".into(),
        message_group_id: Some("g".into()),
        ..ManualMessage::default()
    };
    sim.handle_command(Command::SendMessage { queue: 0, message })
        .expect("send");
    let trace = run_traced(&mut sim, secs(500));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::MovedToDlq { .. })),
        vec![100.0]
    );
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Expired { .. })),
        vec![400.0]
    );
}

#[test]
fn redrive_moves_messages_back_to_their_source_at_the_chosen_rate() {
    let mut sim = build(vec![
        queue(
            "src",
            QueueSpec {
                visibility_timeout: 5,
                redrive_policy: Some(RedrivePolicy {
                    dead_letter_target: 1,
                    max_receive_count: 1,
                }),
                ..QueueSpec::default()
            },
        ),
        queue("dlq", QueueSpec::default()),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: Some(1),
                processing_time: Distribution::Constant { value: 1.0 },
                failure_probability: 1.0,
                ..ConsumerSpec::default()
            },
        ),
    ]);
    for i in 0..4 {
        send(&mut sim, 0, &format!("m{i}"));
    }
    sim.run_until(secs(60));
    assert_eq!(queue_stats(&sim, 1).visible, 4);
    // Stop the failing consumer, then redrive at 2 messages per second.
    sim.handle_command(Command::Pause { component: 2 })
        .expect("pause");
    sim.run_until(secs(70));
    sim.drain_trace();
    sim.handle_command(Command::StartMessageMoveTask {
        source: 1,
        destination: None,
        max_number_of_messages_per_second: Some(2),
    })
    .expect("start move task");
    let trace = run_traced(&mut sim, secs(80));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Redriven { .. })),
        vec![70.0, 70.5, 71.0, 71.5]
    );
    assert_eq!(queue_stats(&sim, 0).visible, 4);
    assert_eq!(queue_stats(&sim, 1).visible, 0);
    let task = queue_stats(&sim, 1).move_task.expect("a task");
    assert_eq!((task.status, task.moved), ("COMPLETED", 4));
    // Only a dead-letter queue can be redriven.
    let refused = sim.handle_command(Command::StartMessageMoveTask {
        source: 0,
        destination: None,
        max_number_of_messages_per_second: None,
    });
    assert!(
        matches!(
            refused,
            Err(CommandError::Sqs(SqsError::UnsupportedOperation(_)))
        ),
        "{refused:?}"
    );
}
