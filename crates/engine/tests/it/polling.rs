use crate::support::*;
use loosely_engine::*;

#[test]
fn long_polling_answers_as_soon_as_a_message_arrives() {
    let mut sim = build(vec![
        queue("q", QueueSpec::default()),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 0.5 },
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.run_until(SimTime::from_millis(5_250));
    sim.drain_trace();
    send(&mut sim, 0, "now");
    let trace = run_traced(&mut sim, secs(50));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Received { .. })),
        vec![5.25]
    );
    // The wait that was cut short is not an empty receive; the ones after the delete are,
    // each after the full 20 s.
    let empties: Vec<_> = trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::EmptyReceive { waited, .. } => {
                Some((e.time.as_secs_f64(), waited.as_secs_f64()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(empties, vec![(25.75, 20.0), (45.75, 20.0)]);
}

#[test]
fn queue_wait_time_applies_when_the_consumer_sets_none() {
    let mut sim = build(vec![
        queue(
            "q",
            QueueSpec {
                receive_message_wait_time_seconds: 10,
                ..QueueSpec::default()
            },
        ),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: None,
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(35));
    assert_eq!(queue_stats(&sim, 0).empty_receives, 3);
}

/// With few messages, short polling samples a subset of servers and often answers empty
/// although messages are visible.
#[test]
fn short_polling_can_answer_empty_while_messages_exist() {
    let mut sim = build(vec![
        queue("q", QueueSpec::default()),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: Some(0),
                processing_time: Distribution::Constant { value: 0.01 },
                failure_probability: 1.0,
                ..ConsumerSpec::default()
            },
        ),
    ]);
    send(&mut sim, 0, "one");
    let trace = run_traced(&mut sim, secs(5));
    let sampled_none = trace
        .iter()
        .filter(|e| {
            matches!(
                &e.kind,
                TraceKind::EmptyReceive {
                    reason: EmptyReason::ShortPollSampledNone { visible: 1 },
                    ..
                }
            )
        })
        .count();
    let received = times_of(&trace, |k| matches!(k, TraceKind::Received { .. })).len();
    assert!(
        sampled_none > 0,
        "no empty answer while a message was visible"
    );
    assert!(received > 0, "short polling never found the message");
    let first = trace
        .iter()
        .find(|e| matches!(e.kind, TraceKind::EmptyReceive { .. }))
        .expect("an empty receive");
    assert!(
        first
            .explain(&sim.namer())
            .contains("short polling sampled servers"),
        "{}",
        first.explain(&sim.namer())
    );
}

#[test]
fn short_polling_pays_for_every_empty_receive() {
    let mut sim = build(vec![
        queue("q", QueueSpec::default()),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: Some(0),
                empty_receive_pause: SimDuration::from_millis(100),
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.run_until(SimTime::from_millis(9_950));
    // One receive every 100 ms from 0 to 9.9 s.
    let stats = queue_stats(&sim, 0);
    assert_eq!(stats.empty_receives, 100);
    assert_eq!(stats.requests, 100);
}

#[test]
fn max_number_of_messages_caps_a_receive() {
    let mut sim = build(vec![
        queue("q", QueueSpec::default()),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: Some(20),
                max_number_of_messages: 4,
                processing_time: Distribution::Constant { value: 10.0 },
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(1));
    for i in 0..10 {
        send(&mut sim, 0, &format!("{i}"));
    }
    // The long poller was waiting and wakes on the first message.
    sim.run_until(SimTime::from_millis(1_500));
    assert_eq!(queue_stats(&sim, 0).in_flight, 1);
    sim.run_until(SimTime::from_millis(11_500));
    assert_eq!(queue_stats(&sim, 0).in_flight, 4);
    let issues = model(vec![
        queue("q", QueueSpec::default()),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                max_number_of_messages: 11,
                ..ConsumerSpec::default()
            },
        ),
    ])
    .validate();
    assert_eq!(
        issues[0].to_string(),
        "components[1].MaxNumberOfMessages: 11 is outside 1..=10"
    );
}
