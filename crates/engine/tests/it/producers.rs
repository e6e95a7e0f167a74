use crate::support::*;
use loosely_engine::*;

fn sent_by(sim: &Simulation) -> u64 {
    queue_stats(sim, 0).sent
}

fn with_producer(spec: ProducerSpec) -> Simulation {
    let mut sim = build(vec![queue("q", QueueSpec::default()), producer("p", spec)]);
    sim.set_tracing(false);
    sim
}

#[test]
fn a_constant_rate_sends_evenly_and_stops_at_the_total() {
    let mut sim = with_producer(ProducerSpec {
        arrival: Arrival::Constant,
        rate_per_second: 4.0,
        total_count: Some(10),
        ..ProducerSpec::default()
    });
    sim.run_until(SimTime::from_millis(1_000));
    assert_eq!(sent_by(&sim), 4);
    sim.run_until(secs(100));
    assert_eq!(sent_by(&sim), 10);
    assert!(matches!(
        sim.stats(1),
        Some(ComponentStats::Producer(ProducerStats {
            finished: true,
            ..
        }))
    ));
}

#[test]
fn a_poisson_rate_averages_out() {
    let mut sim = with_producer(ProducerSpec {
        rate_per_second: 100.0,
        ..ProducerSpec::default()
    });
    sim.run_until(secs(100));
    let sent = sent_by(&sim) as f64;
    assert!((9_700.0..=10_300.0).contains(&sent), "sent {sent}");
}

#[test]
fn bursts_spikes_ramps_start_and_stop_shape_the_traffic() {
    let mut sim = with_producer(ProducerSpec {
        arrival: Arrival::Constant,
        rate_per_second: 1.0,
        start: SimDuration::from_secs(10),
        stop: Some(SimDuration::from_secs(100)),
        bursts: vec![Burst {
            at: SimDuration::from_secs(50),
            count: 500,
        }],
        spikes: vec![Spike {
            start: SimDuration::from_secs(20),
            duration: SimDuration::from_secs(10),
            rate_per_second: 10.0,
        }],
        ramps: vec![Ramp {
            start: SimDuration::from_secs(60),
            end: SimDuration::from_secs(80),
            from_rate: 1.0,
            to_rate: 5.0,
        }],
        ..ProducerSpec::default()
    });
    sim.run_until(secs(10));
    assert_eq!(sent_by(&sim), 0, "nothing before the start");
    sim.run_until(secs(20));
    assert_eq!(sent_by(&sim), 10);
    sim.run_until(secs(30));
    let after_spike = sent_by(&sim);
    assert!((105..=111).contains(&after_spike), "spike: {after_spike}");
    sim.run_until(SimTime::from_millis(49_999));
    let before_burst = sent_by(&sim);
    sim.run_until(SimTime::from_millis(50_001));
    assert!(sent_by(&sim) >= before_burst + 500, "burst");
    sim.run_until(secs(100));
    let at_stop = sent_by(&sim);
    sim.run_until(secs(200));
    assert_eq!(sent_by(&sim), at_stop, "nothing after the stop");
    // Ramp 1 → 5 per second over 20 s sends about 60, then 5 per second for 20 s: 100.
    let ramped = at_stop - before_burst - 500;
    assert!((165..=180).contains(&ramped), "after the burst: {ramped}");
}

#[test]
fn batches_are_one_billable_request() {
    let mut sim = with_producer(ProducerSpec {
        arrival: Arrival::Constant,
        rate_per_second: 10.0,
        batch_size: 10,
        total_count: Some(100),
        ..ProducerSpec::default()
    });
    sim.run_until(secs(20));
    assert_eq!(sent_by(&sim), 100);
    assert_eq!(queue_stats(&sim, 0).requests, 10);
}

#[test]
fn standard_queues_ignore_group_ids_for_order_but_keep_them() {
    let mut sim = with_producer(ProducerSpec {
        arrival: Arrival::Constant,
        rate_per_second: 3.0,
        template: MessageTemplate {
            group_ids: vec!["a".into(), "b".into(), "c".into()],
            ..MessageTemplate::default()
        },
        ..ProducerSpec::default()
    });
    sim.run_until(secs(1));
    let groups: Vec<_> = sim
        .peek(0, 10)
        .expect("peek")
        .into_iter()
        .filter_map(|m| m.group)
        .collect();
    assert_eq!(groups, ["a", "b", "c"]);
}
