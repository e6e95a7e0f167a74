use crate::support::*;
use loosely_engine::*;

fn fifo(content_based: bool) -> QueueSpec {
    QueueSpec {
        fifo_queue: true,
        content_based_deduplication: content_based,
        ..QueueSpec::default()
    }
}

fn send_group(
    sim: &mut Simulation,
    queue: ComponentId,
    body: &str,
    group: &str,
) -> Result<(), CommandError> {
    let message = ManualMessage {
        body: body.into(),
        message_group_id: Some(group.into()),
        ..ManualMessage::default()
    };
    sim.handle_command(Command::SendMessage { queue, message })
}

#[test]
fn fifo_names_end_in_dot_fifo() {
    let issues = model(vec![queue("orders", fifo(true))]).validate();
    assert_eq!(
        issues[0].to_string(),
        "components[0].name: \"orders\": a FIFO queue's name must end in .fifo"
    );
    let issues = model(vec![queue("orders.fifo", QueueSpec::default())]).validate();
    assert!(
        issues[0]
            .message
            .contains("only a FIFO queue's name may end in .fifo"),
        "{issues:?}"
    );
}

#[test]
fn a_group_is_blocked_while_one_of_its_messages_is_in_flight() {
    let mut sim = build(vec![
        queue(
            "orders.fifo",
            QueueSpec {
                visibility_timeout: 30,
                ..fifo(true)
            },
        ),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                workers: 3,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 10.0 },
                ..ConsumerSpec::default()
            },
        ),
    ]);
    for (body, group) in [("a1", "a"), ("a2", "a"), ("b1", "b"), ("a3", "a")] {
        send_group(&mut sim, 0, body, group).expect("send");
    }
    let trace = run_traced(&mut sim, secs(60));
    // m-1 (a1) and m-3 (b1) go at once to two workers; a2 waits for a1's delete at 10 s,
    // a3 for a2's at 20 s. The third worker never gets a message of a blocked group.
    let received: Vec<(f64, u64)> = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::Received { .. }))
        .map(|e| (e.time.as_secs_f64(), e.message.map(|m| m.0).unwrap_or(0)))
        .collect();
    assert_eq!(received, vec![(0.0, 1), (0.0, 3), (10.0, 2), (20.0, 4)]);
}

#[test]
fn a_receive_takes_several_messages_of_one_group_in_order() {
    let mut sim = build(vec![
        queue("orders.fifo", fifo(true)),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                workers: 1,
                wait_time_seconds: Some(1),
                max_number_of_messages: 10,
                processing_time: Distribution::Constant { value: 1.0 },
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(2));
    // Pause the worker so that all five are visible before its next receive.
    sim.handle_command(Command::Pause { component: 1 })
        .expect("pause");
    for i in 0..5 {
        send_group(&mut sim, 0, &format!("a{i}"), "a").expect("send");
    }
    sim.drain_trace();
    sim.handle_command(Command::Resume { component: 1 })
        .expect("resume");
    let trace = run_traced(&mut sim, secs(3));
    let ids: Vec<u64> = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::Received { .. }))
        .filter_map(|e| e.message.map(|m| m.0))
        .collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
}

#[test]
fn duplicates_inside_the_window_are_accepted_but_not_delivered() {
    let mut sim = build(vec![queue("orders.fifo", fifo(true))]);
    send_group(&mut sim, 0, "same body", "g").expect("first");
    sim.run_until(secs(299));
    send_group(&mut sim, 0, "same body", "g").expect("a duplicate is accepted");
    assert_eq!(queue_stats(&sim, 0).visible, 1);
    assert_eq!(queue_stats(&sim, 0).deduplicated, 1);
    sim.run_until(secs(301));
    send_group(&mut sim, 0, "same body", "g").expect("after the window");
    assert_eq!(queue_stats(&sim, 0).visible, 2);
    let census = sim.census();
    assert_eq!(
        (census.sent, census.deduplicated, census.visible),
        (3, 1, 2)
    );
}

#[test]
fn explicit_deduplication_ids_override_the_content_hash() {
    let mut sim = build(vec![queue("orders.fifo", fifo(true))]);
    for (body, id) in [("one", "x"), ("two", "x"), ("one", "y")] {
        let message = ManualMessage {
            body: body.into(),
            message_group_id: Some("g".into()),
            message_deduplication_id: Some(id.into()),
            ..ManualMessage::default()
        };
        sim.handle_command(Command::SendMessage { queue: 0, message })
            .expect("send");
    }
    assert_eq!(queue_stats(&sim, 0).visible, 2);
    let peeked = sim.peek(0, 10).expect("peek");
    let bodies: Vec<_> = peeked
        .iter()
        .map(|m| m.body.clone().unwrap_or_default())
        .collect();
    assert_eq!(bodies, ["one", "one"]);
}

#[test]
fn fifo_sends_without_group_or_dedup_id_fail_like_aws() {
    let mut sim = build(vec![
        queue("a.fifo", fifo(false)),
        queue("b.fifo", fifo(true)),
    ]);
    let error = send_group(&mut sim, 0, "x", "g").expect_err("no dedup id");
    assert_eq!(
        error.to_string(),
        "InvalidParameterValue: The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
    );
    let message = ManualMessage {
        body: "x".into(),
        ..ManualMessage::default()
    };
    let error = sim
        .handle_command(Command::SendMessage { queue: 1, message })
        .expect_err("no group");
    assert_eq!(
        error.to_string(),
        "MissingParameter: The request must contain the parameter MessageGroupId."
    );
}

fn fifo_producer(batch_size: u32, rate: f64, high_throughput: bool) -> Simulation {
    let mut spec = fifo(true);
    if high_throughput {
        spec.deduplication_scope = DeduplicationScope::MessageGroup;
        spec.fifo_throughput_limit = FifoThroughputLimit::PerMessageGroupId;
    }
    let mut sim = build(vec![
        queue("fast.fifo", spec),
        producer(
            "p",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: rate,
                batch_size,
                template: MessageTemplate {
                    group_ids: vec!["g1".into(), "g2".into()],
                    ..MessageTemplate::default()
                },
                ..ProducerSpec::default()
            },
        ),
    ]);
    sim.set_tracing(false);
    sim.run_until(secs(10));
    sim
}

/// Normal mode allows 300 calls per second per action: 1,000 single sends per second are
/// throttled down to 300 (plus the first second's burst), while batches of 10 carry 3,000
/// messages per second without a throttle.
#[test]
fn fifo_throughput_quota_throttles_above_300_calls_per_second() {
    let sim = fifo_producer(1, 1_000.0, false);
    let stats = queue_stats(&sim, 0);
    assert!((3_000..=3_310).contains(&stats.sent), "sent {}", stats.sent);
    assert!(stats.throttled > 6_500, "throttled {}", stats.throttled);
    let sim = fifo_producer(10, 3_000.0, false);
    let stats = queue_stats(&sim, 0);
    assert_eq!(stats.throttled, 0);
    assert!(stats.sent >= 29_990, "sent {}", stats.sent);
    let sim = fifo_producer(1, 1_000.0, true);
    assert_eq!(queue_stats(&sim, 0).throttled, 0);
}

#[test]
fn the_exam_profile_uses_the_exam_numbers() {
    let limits = LimitProfile::Exam.limits();
    assert_eq!(limits.sqs_max_message_size, 262_144);
    assert_eq!(limits.fifo_calls_per_second, 300);
    assert_eq!(limits.fifo_high_throughput_calls_per_second, 9_000);
    let current = LimitProfile::Current.limits();
    assert_eq!(current.sqs_max_message_size, 1_048_576);
    assert_eq!(current.fifo_high_throughput_calls_per_second, 70_000);
}
