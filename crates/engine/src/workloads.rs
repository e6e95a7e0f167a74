//! The benchmark workloads of `shared/bench/WORKLOADS.md` as models, shared by the
//! `workloads` example (whole runs with figures) and the criterion benchmarks.

use crate::model::{
    Arrival, Burst, ComponentKind, ComponentSpec, ConsumerSpec, Model, ProducerSpec, Protocol,
    QueueSpec, RedrivePolicy, SubscriptionSpec, TopicSpec,
};
use crate::rng::Distribution;
use crate::time::SimDuration;

/// The sqs-pipeline workload: N messages at `rate`/s into one standard queue with a DLQ
/// (maxReceiveCount 3), `consumers` long-polling workers, 50 ms mean processing, 5% failures.
pub fn sqs_pipeline(n: u64, rate: f64, consumers: u32) -> Model {
    let mut model = Model {
        seed: 42,
        ..Model::default()
    };
    model.components.push(ComponentSpec {
        name: "pipeline".into(),
        kind: ComponentKind::Queue(QueueSpec {
            visibility_timeout: 30,
            message_retention_period: 1_209_600,
            redrive_policy: Some(RedrivePolicy {
                dead_letter_target: 1,
                max_receive_count: 3,
            }),
            ..QueueSpec::default()
        }),
    });
    model.components.push(ComponentSpec {
        name: "pipeline-dlq".into(),
        kind: ComponentKind::Queue(QueueSpec {
            message_retention_period: 1_209_600,
            ..QueueSpec::default()
        }),
    });
    model.components.push(ComponentSpec {
        name: "producer".into(),
        kind: ComponentKind::Producer(ProducerSpec {
            target: 0,
            arrival: Arrival::Poisson,
            rate_per_second: rate,
            total_count: Some(n),
            ..ProducerSpec::default()
        }),
    });
    model.components.push(ComponentSpec {
        name: "consumers".into(),
        kind: ComponentKind::Consumer(ConsumerSpec {
            source: 0,
            workers: consumers,
            wait_time_seconds: Some(20),
            max_number_of_messages: 10,
            processing_time: Distribution::Exponential { mean: 0.05 },
            failure_probability: 0.05,
            ..ConsumerSpec::default()
        }),
    });
    model
}

/// The fanout workload: `publishes` at `rate`/s to one standard topic with `queues` raw
/// SQS subscriptions; each queue has `consumers` long-polling workers, 10 ms mean processing.
pub fn fanout(publishes: u64, rate: f64, queues: usize, consumers: u32) -> Model {
    let mut model = Model {
        seed: 42,
        ..Model::default()
    };
    let subscriptions = (0..queues)
        .map(|i| SubscriptionSpec {
            endpoint: 1 + i,
            protocol: Protocol::Sqs,
            raw_message_delivery: true,
            ..SubscriptionSpec::default()
        })
        .collect();
    model.components.push(ComponentSpec {
        name: "fanout".into(),
        kind: ComponentKind::Topic(TopicSpec {
            subscriptions,
            ..TopicSpec::default()
        }),
    });
    for i in 0..queues {
        model.components.push(ComponentSpec {
            name: format!("queue-{i}"),
            kind: ComponentKind::Queue(QueueSpec {
                visibility_timeout: 30,
                ..QueueSpec::default()
            }),
        });
    }
    model.components.push(ComponentSpec {
        name: "publisher".into(),
        kind: ComponentKind::Producer(ProducerSpec {
            target: 0,
            arrival: Arrival::Poisson,
            rate_per_second: rate,
            total_count: Some(publishes),
            ..ProducerSpec::default()
        }),
    });
    for i in 0..queues {
        model.components.push(ComponentSpec {
            name: format!("consumers-{i}"),
            kind: ComponentKind::Consumer(ConsumerSpec {
                source: 1 + i,
                workers: consumers,
                wait_time_seconds: Some(20),
                max_number_of_messages: 10,
                processing_time: Distribution::Exponential { mean: 0.010 },
                ..ConsumerSpec::default()
            }),
        });
    }
    model
}

/// A backlog: `n` messages sent at once to a queue nobody reads, to measure the memory one
/// stored message costs.
pub fn backlog(n: u64) -> Model {
    let mut model = Model {
        seed: 42,
        ..Model::default()
    };
    model.components.push(ComponentSpec {
        name: "backlog".into(),
        kind: ComponentKind::Queue(QueueSpec {
            message_retention_period: 1_209_600,
            ..QueueSpec::default()
        }),
    });
    model.components.push(ComponentSpec {
        name: "burst".into(),
        kind: ComponentKind::Producer(ProducerSpec {
            target: 0,
            rate_per_second: 0.0,
            bursts: vec![Burst {
                at: SimDuration::from_secs(1),
                count: n as u32,
            }],
            batch_size: 10,
            ..ProducerSpec::default()
        }),
    });
    model
}
