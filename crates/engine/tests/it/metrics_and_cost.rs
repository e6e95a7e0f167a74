use crate::support::*;
use loosely_engine::*;

#[test]
fn metrics_carry_cloudwatch_names_once_per_period() {
    let mut sim = build(vec![
        queue("q", QueueSpec::default()),
        producer(
            "p",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: 2.0,
                ..ProducerSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(120));
    let samples = sim.drain_metrics();
    let sent: Vec<_> = samples
        .iter()
        .filter(|s| s.component == 0 && s.metric == Metric::NumberOfMessagesSent)
        .map(|s| (s.time.as_secs_f64(), s.value))
        .collect();
    // The send at exactly 60 s comes after the period's end, which was scheduled first.
    assert_eq!(sent, vec![(60.0, 119.0), (120.0, 120.0)]);
    let visible: Vec<_> = samples
        .iter()
        .filter(|s| s.metric == Metric::ApproximateNumberOfMessagesVisible)
        .map(|s| s.value)
        .collect();
    assert_eq!(visible, vec![119.0, 239.0]);
    let age = samples
        .iter()
        .rfind(|s| s.metric == Metric::ApproximateAgeOfOldestMessage)
        .map(|s| s.value);
    assert_eq!(age, Some(119.5));
    assert_eq!(
        Metric::ApproximateNumberOfMessagesVisible.as_str(),
        "ApproximateNumberOfMessagesVisible"
    );
    let history = sim.metric_history(0);
    let series = history
        .iter()
        .find(|s| s.metric == Metric::NumberOfMessagesSent)
        .expect("series");
    assert_eq!(series.points().len(), 2);
}

#[test]
fn an_alarm_fires_when_its_threshold_is_crossed() {
    let mut model = model(vec![
        queue("q", QueueSpec::default()),
        producer(
            "p",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: 1.0,
                ..ProducerSpec::default()
            },
        ),
    ]);
    model.alarms.push(AlarmSpec {
        name: "backlog".into(),
        component: 0,
        metric: Metric::ApproximateNumberOfMessagesVisible,
        comparison: Comparison::GreaterThanOrEqualToThreshold,
        threshold: 100.0,
        evaluation_periods: 2,
    });
    let mut sim = Simulation::new(model).expect("valid");
    sim.set_tracing(true);
    sim.run_until(secs(120));
    assert_eq!(sim.alarm_states(), vec![false]);
    sim.run_until(secs(180));
    assert_eq!(sim.alarm_states(), vec![true]);
    let trace = sim.drain_trace();
    let fired = trace
        .iter()
        .find(|e| matches!(e.kind, TraceKind::AlarmStateChanged { .. }))
        .expect("alarm event");
    assert_eq!(fired.time, secs(180));
    assert_eq!(
        fired.explain(&sim.namer()),
        "alarm backlog on q is ALARM: value 179 against threshold 100"
    );
}

#[test]
fn requests_are_billed_in_64_kb_chunks() {
    let mut sim = build(vec![
        queue("q", QueueSpec::default()),
        producer(
            "p",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: 1.0,
                total_count: Some(10),
                template: MessageTemplate {
                    body_size: Distribution::Constant { value: 200_000.0 },
                    ..MessageTemplate::default()
                },
                ..ProducerSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(20));
    // 10 sends of 200,000 bytes: 4 chunks each.
    let cost = sim.cost();
    assert_eq!(cost.requests, 40);
    assert!((cost.total_usd - 40.0 * 0.40 / 1e6).abs() < 1e-12);
}

#[test]
fn oversized_messages_are_rejected_with_the_aws_text() {
    let mut sim = build(vec![queue(
        "q",
        QueueSpec {
            maximum_message_size: 1_024,
            ..QueueSpec::default()
        },
    )]);
    let message = ManualMessage {
        body: "x".repeat(2_000),
        ..ManualMessage::default()
    };
    let error = sim
        .handle_command(Command::SendMessage { queue: 0, message })
        .expect_err("too big");
    assert_eq!(
        error.to_string(),
        "InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes."
    );
}

#[test]
fn latency_percentiles_are_reported_per_path() {
    let mut sim = build(vec![
        queue("q", QueueSpec::default()),
        producer(
            "p",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: 1.0,
                ..ProducerSpec::default()
            },
        ),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 0.25 },
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(100));
    let paths = sim.latency();
    assert_eq!(paths.len(), 1);
    assert_eq!(
        (paths[0].producer, paths[0].queue, paths[0].consumer),
        (Some(1), 0, 2)
    );
    assert!(
        (paths[0].summary.p50 - 0.25).abs() < 0.001,
        "{:?}",
        paths[0].summary
    );
    assert!(paths[0].summary.count >= 98);
}

/// A headless run that never drains (as `loosely run` does) keeps the undrained metric
/// samples and trace events bounded: the oldest half goes when the buffer is full, and the
/// drops are counted; what is kept is the newest, in order.
#[test]
fn undrained_samples_and_trace_stay_bounded() {
    // An idle queue for 100 days of one-minute periods: far more samples than are kept.
    let mut sim = build(vec![queue("q", QueueSpec::default())]);
    sim.run_until(secs(100 * 86_400));
    let samples = sim.drain_metrics();
    assert!(samples.len() <= MAX_UNDRAINED_METRICS, "{}", samples.len());
    assert!(samples.len() >= MAX_UNDRAINED_METRICS / 2);
    assert!(sim.dropped_metric_samples() > 0);
    assert!(samples.windows(2).all(|pair| pair[0].time <= pair[1].time));
    assert_eq!(samples.last().map(|s| s.time), Some(secs(100 * 86_400)));
    // Drained, the buffer starts again from empty.
    sim.run_until(secs(100 * 86_400 + 60));
    assert!(sim.drain_metrics().len() < 50);

    // 200 messages a second that nobody reads and that expire after 60 s: a Sent and an
    // Expired event each.
    let mut sim = build(vec![
        queue(
            "q",
            QueueSpec {
                message_retention_period: 60,
                ..QueueSpec::default()
            },
        ),
        producer(
            "p",
            ProducerSpec {
                target: 0,
                arrival: Arrival::Constant,
                rate_per_second: 200.0,
                ..ProducerSpec::default()
            },
        ),
    ]);
    sim.set_tracing(true);
    sim.run_until(secs(900));
    let trace = sim.drain_trace();
    assert!(trace.len() <= MAX_UNDRAINED_TRACE, "{}", trace.len());
    assert!(sim.dropped_trace_events() > 0);
    let census = sim.census();
    assert_eq!(
        trace.len() as u64 + sim.dropped_trace_events(),
        census.sent + census.expired
    );
    assert!(trace.windows(2).all(|pair| pair[0].time <= pair[1].time));
}
