//! A model that touches most of the engine: a standard queue with a DLQ, a FIFO queue with
//! groups and duplicates, delays, short and long polling, every distribution.

use loosely_engine::*;

pub fn rich_model(seed: u64) -> Model {
    let component = |name: &str, kind| ComponentSpec {
        name: name.into(),
        kind,
    };
    Model {
        seed,
        components: vec![
            component(
                "orders",
                ComponentKind::Queue(QueueSpec {
                    visibility_timeout: 5,
                    redrive_policy: Some(RedrivePolicy {
                        dead_letter_target: 1,
                        max_receive_count: 3,
                    }),
                    duplicate_delivery_probability: 0.02,
                    reorder_probability: 0.1,
                    ..QueueSpec::default()
                }),
            ),
            component("orders-dlq", ComponentKind::Queue(QueueSpec::default())),
            component(
                "payments.fifo",
                ComponentKind::Queue(QueueSpec {
                    fifo_queue: true,
                    content_based_deduplication: true,
                    delay_seconds: 2,
                    visibility_timeout: 4,
                    ..QueueSpec::default()
                }),
            ),
            component(
                "shop",
                ComponentKind::Producer(ProducerSpec {
                    target: 0,
                    rate_per_second: 20.0,
                    spikes: vec![Spike {
                        start: SimDuration::from_secs(20),
                        duration: SimDuration::from_secs(5),
                        rate_per_second: 80.0,
                    }],
                    template: MessageTemplate {
                        body_size: Distribution::LogNormal {
                            median: 2_000.0,
                            sigma: 0.8,
                        },
                        group_ids: vec!["tenant-a".into(), "tenant-b".into()],
                        group_choice: GroupChoice::Random,
                        ..MessageTemplate::default()
                    },
                    ..ProducerSpec::default()
                }),
            ),
            component(
                "billing",
                ComponentKind::Producer(ProducerSpec {
                    target: 2,
                    arrival: Arrival::Constant,
                    rate_per_second: 8.0,
                    batch_size: 4,
                    template: MessageTemplate {
                        body_size: Distribution::Uniform {
                            min: 100.0,
                            max: 900.0,
                        },
                        group_ids: vec!["g1".into(), "g2".into(), "g3".into()],
                        duplicate_share: 0.2,
                        ..MessageTemplate::default()
                    },
                    ..ProducerSpec::default()
                }),
            ),
            component(
                "workers",
                ComponentKind::Consumer(ConsumerSpec {
                    source: 0,
                    workers: 3,
                    wait_time_seconds: Some(0),
                    max_number_of_messages: 5,
                    processing_time: Distribution::Normal {
                        mean: 0.1,
                        std_dev: 0.05,
                    },
                    failure_probability: 0.2,
                    ..ConsumerSpec::default()
                }),
            ),
            component(
                "payers",
                ComponentKind::Consumer(ConsumerSpec {
                    source: 2,
                    workers: 2,
                    wait_time_seconds: Some(10),
                    max_number_of_messages: 10,
                    processing_time: Distribution::Exponential { mean: 0.3 },
                    failure_probability: 0.1,
                    delete_mode: DeleteMode::PerBatch,
                    ..ConsumerSpec::default()
                }),
            ),
            component(
                "dlq-reader",
                ComponentKind::Consumer(ConsumerSpec {
                    source: 1,
                    workers: 1,
                    wait_time_seconds: Some(20),
                    processing_time: Distribution::Constant { value: 2.0 },
                    ..ConsumerSpec::default()
                }),
            ),
        ],
        ..Model::default()
    }
}

/// SHA-256 of the Debug text of every trace event and metric sample of a 120 s run.
pub fn run_fingerprint(seed: u64) -> (String, u64) {
    use sha2::{Digest, Sha256};
    let mut sim = match Simulation::new(rich_model(seed)) {
        Ok(sim) => sim,
        Err(error) => panic!("{error}"),
    };
    sim.set_tracing(true);
    let mut hasher = Sha256::new();
    let mut events = 0u64;
    for second in 1..=120u64 {
        sim.run_until(SimTime::from_secs(second));
        for event in sim.drain_trace() {
            events += 1;
            hasher.update(format!("{event:?}\n").as_bytes());
        }
        for sample in sim.drain_metrics() {
            hasher.update(format!("{sample:?}\n").as_bytes());
        }
    }
    let digest = hasher.finalize();
    (digest.iter().map(|b| format!("{b:02x}")).collect(), events)
}
