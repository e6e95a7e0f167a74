//! The benchmark workloads of `shared/bench/WORKLOADS.md` as models, shared by the
//! `workloads` example (whole runs with figures) and the criterion benchmarks.

use std::sync::Arc;

use crate::asl::{validate, ExecutionKind};
use crate::model::{
    Arrival, Burst, ComponentKind, ComponentSpec, ConsumerSpec, MessageTemplate, MessageVariant,
    Model, ProducerSpec, Protocol, QueueSpec, RedrivePolicy, StateMachineSpec, SubscriptionSpec,
    TopicSpec,
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

/// The state machine of [`long_run`]: record, wait two seconds, branch on the order total.
pub const LONG_RUN_DEFINITION: &str = r#"{
  "Comment": "Order check of the long-run workload",
  "StartAt": "Record",
  "States": {
    "Record": {"Type": "Pass", "Result": "recorded", "ResultPath": "$.status", "Next": "Settle"},
    "Settle": {"Type": "Wait", "Seconds": 2, "Next": "Large?"},
    "Large?": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Review"}],
      "Default": "Done"
    },
    "Review": {"Type": "Pass", "Parameters": {"order.$": "$.order", "review": true}, "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}"#;

/// The long-run workload: a producer publishes `rate` messages per second, for ever, to an
/// SNS topic that fans out to three queues: `fulfil` (5 workers, 20 ms, 1% failures, a DLQ
/// after 3 receives, the DLQ keeping messages 4 days), `workflow` (a pool that starts one
/// Standard execution of [`LONG_RUN_DEFINITION`] per message) and `audit`, which nobody
/// reads and which keeps messages one hour, so that retention alone bounds it.
///
/// Components: 0 topic, 1 fulfil, 2 fulfil-dlq, 3 workflow, 4 audit, 5 state machine,
/// 6 producer, 7 fulfil workers, 8 workflow starters.
pub fn long_run(rate: f64) -> Model {
    let mut model = Model {
        seed: 42,
        ..Model::default()
    };
    let component = |name: &str, kind| ComponentSpec {
        name: name.into(),
        kind,
    };
    let subscriptions = [1, 3, 4]
        .into_iter()
        .map(|endpoint| SubscriptionSpec {
            endpoint,
            protocol: Protocol::Sqs,
            raw_message_delivery: true,
            ..SubscriptionSpec::default()
        })
        .collect();
    let queue = |retention: u32, redrive_policy| {
        ComponentKind::Queue(QueueSpec {
            message_retention_period: retention,
            redrive_policy,
            ..QueueSpec::default()
        })
    };
    // The definition is a constant that validates (a test checks it); an empty machine
    // list would make the model invalid rather than panic.
    let machine = validate(LONG_RUN_DEFINITION).map(|machine| {
        ComponentKind::StateMachine(StateMachineSpec::new(
            Arc::new(machine),
            ExecutionKind::Standard,
        ))
    });
    let body = |order: u32, total: u32| MessageVariant {
        weight: 1.0,
        body: Some(format!(r#"{{"order": {order}, "total": {total}}}"#)),
        attributes: Vec::new(),
    };
    model.components = vec![
        component(
            "orders",
            ComponentKind::Topic(TopicSpec {
                subscriptions,
                ..TopicSpec::default()
            }),
        ),
        component(
            "fulfil",
            queue(
                345_600,
                Some(RedrivePolicy {
                    dead_letter_target: 2,
                    max_receive_count: 3,
                }),
            ),
        ),
        component("fulfil-dlq", queue(345_600, None)),
        component("workflow", queue(345_600, None)),
        component("audit", queue(3_600, None)),
    ];
    if let Ok(machine) = machine {
        model.components.push(component("order-check", machine));
    }
    model.components.push(component(
        "storefront",
        ComponentKind::Producer(ProducerSpec {
            target: 0,
            arrival: Arrival::Poisson,
            rate_per_second: rate,
            template: MessageTemplate {
                variants: vec![body(1, 40), body(2, 250)],
                ..MessageTemplate::default()
            },
            ..ProducerSpec::default()
        }),
    ));
    model.components.push(component(
        "fulfil-workers",
        ComponentKind::Consumer(ConsumerSpec {
            source: 1,
            workers: 5,
            wait_time_seconds: Some(20),
            max_number_of_messages: 10,
            processing_time: Distribution::Exponential { mean: 0.02 },
            failure_probability: 0.01,
            ..ConsumerSpec::default()
        }),
    ));
    model.components.push(component(
        "workflow-starters",
        ComponentKind::Consumer(ConsumerSpec {
            source: 3,
            target: Some(5),
            workers: 2,
            wait_time_seconds: Some(20),
            max_number_of_messages: 10,
            processing_time: Distribution::Constant { value: 0.001 },
            ..ConsumerSpec::default()
        }),
    ));
    model
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SimTime, Simulation};

    #[test]
    fn the_long_run_model_is_valid_and_runs_every_part() {
        let model = long_run(100.0);
        assert_eq!(model.components.len(), 9, "the state machine is part of it");
        let mut sim = match Simulation::new(model) {
            Ok(sim) => sim,
            Err(error) => panic!("{error}"),
        };
        sim.run_until(SimTime::from_secs(120));
        let census = sim.census();
        assert!(census.sent > 3 * 11_000, "{census:?}");
        assert!(census.deleted > 2 * 11_000, "{census:?}");
        assert_eq!(sim.execution_histories(5).len(), 10);
        assert_eq!(sim.check_invariants(), Ok(()));
    }
}
