//! Scenario → template → scenario gives the scenario back, for random scenarios.

use loosely_scenario::{
    Alarm, Architecture, BucketParameters, ComparisonOperator, Component, Connection,
    ConsumerParameters, DeadLetterConfig, DestinationConfig, Distribution, EndpointKind,
    EndpointParameters, EventSourceMapping, FilterPolicyScope, FunctionResponseType,
    LambdaParameters, Node, OnFailure, Position, ProducerParameters, Protocol, QueueParameters,
    RedrivePolicy, ScalingConfig, Scenario, StateMachineParameters, StateMachineType, Subscription,
    SubscriptionRedrivePolicy, TopicParameters,
};
use proptest::prelude::*;

/// Turns a list of random numbers into choices.
struct Draw {
    numbers: Vec<u32>,
    floats: Vec<f64>,
    at: usize,
}

impl Draw {
    fn below(&mut self, n: u32) -> u32 {
        let value = self.numbers[self.at % self.numbers.len()];
        self.at += 1;
        if n == 0 {
            0
        } else {
            value % n
        }
    }
    fn flip(&mut self) -> bool {
        self.below(2) == 1
    }
    fn maybe<T>(&mut self, make: impl FnOnce(&mut Draw) -> T) -> Option<T> {
        if self.flip() {
            Some(make(self))
        } else {
            None
        }
    }
    fn float(&mut self) -> f64 {
        let value = self.floats[self.at % self.floats.len()];
        self.at += 1;
        value
    }
    fn name(&mut self, prefix: &str, n: usize) -> String {
        const PARTS: [&str; 6] = ["", "-x", "_2", ".fifo", " b", "Ü"];
        format!("{prefix}{n}{}", PARTS[self.below(6) as usize])
    }
}

fn node<P: Default>(draw: &mut Draw, id: String, parameters: P) -> Node<P> {
    let name = if draw.flip() {
        draw.name("n", 0)
    } else {
        String::new()
    };
    Node {
        id,
        name,
        position: Position {
            x: draw.float(),
            y: draw.float(),
        },
        parameters,
    }
}

fn scenario(draw: &mut Draw) -> Scenario {
    let mut scenario = Scenario {
        name: if draw.flip() {
            "Random".to_string()
        } else {
            String::new()
        },
        seed: draw.below(1000) as u64,
        ..Scenario::default()
    };
    let queues: Vec<String> = (0..draw.below(4) as usize)
        .map(|n| draw.name("q", n))
        .collect();
    let topics: Vec<String> = (0..draw.below(3) as usize)
        .map(|n| draw.name("t", n))
        .collect();
    let endpoints: Vec<String> = (0..draw.below(3) as usize)
        .map(|n| draw.name("e", n))
        .collect();
    let producers: Vec<String> = (0..draw.below(3) as usize)
        .map(|n| draw.name("p", n))
        .collect();
    let functions: Vec<String> = (0..draw.below(3) as usize)
        .map(|n| draw.name("f", n))
        .collect();
    let mut components = Vec::new();
    for id in &queues {
        let parameters = QueueParameters {
            fifo_queue: draw.maybe(Draw::flip),
            visibility_timeout: draw.maybe(|d| d.below(43_201)),
            delay_seconds: draw.maybe(|d| d.below(901)),
            kms_master_key_id: draw.maybe(|d| d.name("alias/k", 1)),
            duplicate_delivery_probability: draw.maybe(|d| d.float().abs().fract()),
            redrive_policy: draw.maybe(|d| RedrivePolicy {
                dead_letter_target_arn: if d.flip() && !queues.is_empty() {
                    queues[d.below(queues.len() as u32) as usize].clone()
                } else {
                    "arn:aws:sqs:us-east-1:123456789012:elsewhere".to_string()
                },
                max_receive_count: d.maybe(|d| 1 + d.below(1000)),
            }),
            allowed_source_topics: draw
                .maybe(|d| topics.iter().filter(|_| d.flip()).cloned().collect()),
            ..QueueParameters::default()
        };
        components.push(Component::SqsQueue(node(draw, id.clone(), parameters)));
    }
    for id in &topics {
        let parameters = TopicParameters {
            fifo_topic: draw.maybe(Draw::flip),
            content_based_deduplication: draw.maybe(Draw::flip),
            allowed_publishers: draw
                .maybe(|d| producers.iter().filter(|_| d.flip()).cloned().collect()),
            ..TopicParameters::default()
        };
        components.push(Component::SnsTopic(node(draw, id.clone(), parameters)));
    }
    for id in &endpoints {
        let kinds = [
            EndpointKind::Http,
            EndpointKind::Email,
            EndpointKind::Lambda,
            EndpointKind::Sms,
        ];
        let parameters = EndpointParameters {
            endpoint_kind: draw.maybe(|d| kinds[d.below(4) as usize]),
            server_error_probability: draw.maybe(|d| d.float().abs().fract()),
            ..EndpointParameters::default()
        };
        components.push(Component::Endpoint(node(draw, id.clone(), parameters)));
    }
    for id in &producers {
        let parameters = ProducerParameters {
            rate_per_second: draw.maybe(|d| d.float().abs()),
            ..ProducerParameters::default()
        };
        components.push(Component::Producer(node(draw, id.clone(), parameters)));
    }
    // A dead-letter target or failure destination: a queue, a topic, or an ARN elsewhere.
    let destination = |d: &mut Draw| match d.below(3) {
        0 if !queues.is_empty() => queues[d.below(queues.len() as u32) as usize].clone(),
        1 if !topics.is_empty() => topics[d.below(topics.len() as u32) as usize].clone(),
        _ => "arn:aws:sqs:us-east-1:123456789012:elsewhere".to_string(),
    };
    for id in &functions {
        let parameters = LambdaParameters {
            memory_size: draw.maybe(|d| 128 + d.below(10_113)),
            timeout: draw.maybe(|d| 1 + d.below(900)),
            architecture: draw.maybe(|d| {
                if d.flip() {
                    Architecture::Arm64
                } else {
                    Architecture::X86_64
                }
            }),
            duration: draw.maybe(|d| Distribution::Constant(d.float().abs())),
            error_probability: draw.maybe(|d| d.float().abs().fract()),
            keep_warm_seconds: draw.maybe(|d| d.below(86_401)),
            reserved_concurrent_executions: draw.maybe(|d| d.below(1000)),
            maximum_retry_attempts: draw.maybe(|d| d.below(3)),
            maximum_event_age_in_seconds: draw.maybe(|d| 60 + d.below(21_541)),
            destination_config: draw.maybe(|d| DestinationConfig {
                on_failure: OnFailure {
                    destination: destination(d),
                },
            }),
            dead_letter_config: draw.maybe(|d| DeadLetterConfig {
                target_arn: destination(d),
            }),
            ..LambdaParameters::default()
        };
        components.push(Component::LambdaFunction(node(
            draw,
            id.clone(),
            parameters,
        )));
    }
    if draw.flip() {
        let parameters = StateMachineParameters {
            definition: Some(
                serde_json::json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}),
            ),
            r#type: draw.maybe(|d| {
                if d.flip() {
                    StateMachineType::Express
                } else {
                    StateMachineType::Standard
                }
            }),
            memory_mb: draw.maybe(|d| 64 + d.below(1000)),
            ..StateMachineParameters::default()
        };
        components.push(Component::StateMachine(node(
            draw,
            "machine".to_string(),
            parameters,
        )));
    }
    if draw.flip() {
        components.push(Component::S3Bucket(node(
            draw,
            "bucket".to_string(),
            BucketParameters::default(),
        )));
    }
    if draw.flip() {
        components.push(Component::Consumer(node(
            draw,
            "pool".to_string(),
            ConsumerParameters::default(),
        )));
    }
    // Shuffle the order of components.
    for i in (1..components.len()).rev() {
        let j = draw.below(i as u32 + 1) as usize;
        components.swap(i, j);
    }
    let mut connections = Vec::new();
    for _ in 0..draw.below(8) {
        let connection = match draw.below(5) {
            3 if !topics.is_empty() && !functions.is_empty() => Connection {
                from: topics[draw.below(topics.len() as u32) as usize].clone(),
                to: functions[draw.below(functions.len() as u32) as usize].clone(),
                subscription: draw.maybe(|d| Subscription {
                    protocol: d.maybe(|_| Protocol::Lambda),
                    filter_policy: d.maybe(|d| serde_json::json!({"kind": [d.name("k", 0)]})),
                    ..Subscription::default()
                }),
                event_source_mapping: None,
            },
            4 if !queues.is_empty() && !functions.is_empty() => Connection {
                from: queues[draw.below(queues.len() as u32) as usize].clone(),
                to: functions[draw.below(functions.len() as u32) as usize].clone(),
                subscription: None,
                event_source_mapping: draw.maybe(|d| EventSourceMapping {
                    batch_size: d.maybe(|d| 1 + d.below(10_000)),
                    maximum_batching_window_in_seconds: d.maybe(|d| d.below(301)),
                    scaling_config: d.maybe(|d| ScalingConfig {
                        maximum_concurrency: d.maybe(|d| 2 + d.below(999)),
                    }),
                    function_response_types: if d.flip() {
                        vec![FunctionResponseType::ReportBatchItemFailures]
                    } else {
                        Vec::new()
                    },
                }),
            },
            0 if !topics.is_empty() && (!queues.is_empty() || !endpoints.is_empty()) => {
                let from = topics[draw.below(topics.len() as u32) as usize].clone();
                let to_queue = endpoints.is_empty() || (!queues.is_empty() && draw.flip());
                let to = if to_queue {
                    queues[draw.below(queues.len() as u32) as usize].clone()
                } else {
                    endpoints[draw.below(endpoints.len() as u32) as usize].clone()
                };
                let subscription = draw.maybe(|d| Subscription {
                    protocol: if to_queue {
                        d.maybe(|_| Protocol::Sqs)
                    } else {
                        d.maybe(|_| Protocol::Https)
                    },
                    filter_policy: d.maybe(|d| serde_json::json!({"kind": [d.name("k", 0)]})),
                    filter_policy_scope: d.maybe(|_| FilterPolicyScope::MessageBody),
                    raw_message_delivery: d.maybe(Draw::flip),
                    redrive_policy: if queues.is_empty() {
                        None
                    } else {
                        d.maybe(|d| SubscriptionRedrivePolicy {
                            dead_letter_target_arn: queues[d.below(queues.len() as u32) as usize]
                                .clone(),
                        })
                    },
                    ..Subscription::default()
                });
                Connection {
                    from,
                    to,
                    subscription,
                    event_source_mapping: None,
                }
            }
            _ if !producers.is_empty() && !queues.is_empty() => Connection {
                from: producers[draw.below(producers.len() as u32) as usize].clone(),
                to: queues[draw.below(queues.len() as u32) as usize].clone(),
                subscription: None,
                event_source_mapping: None,
            },
            _ => continue,
        };
        connections.push(connection);
    }
    let mut alarms = Vec::new();
    for n in 0..draw.below(3) {
        let on_queue = !queues.is_empty() && draw.flip();
        let (component, metric) = if on_queue {
            let metric = [
                "ApproximateNumberOfMessagesVisible",
                "NumberOfMessagesSent",
                "NumberOfMessagesMovedToDLQ",
            ][draw.below(3) as usize];
            (
                queues[draw.below(queues.len() as u32) as usize].clone(),
                metric,
            )
        } else if !producers.is_empty() {
            (producers[0].clone(), "MessagesSent")
        } else {
            continue;
        };
        let operators = [
            ComparisonOperator::GreaterThanOrEqualToThreshold,
            ComparisonOperator::GreaterThanThreshold,
            ComparisonOperator::LessThanThreshold,
            ComparisonOperator::LessThanOrEqualToThreshold,
        ];
        alarms.push(Alarm {
            alarm_name: format!("alarm {n}"),
            component,
            metric_name: metric.to_string(),
            comparison_operator: operators[draw.below(4) as usize],
            threshold: draw.float(),
            evaluation_periods: 1 + draw.below(100),
        });
    }
    if draw.flip() {
        scenario.metric_period_seconds = [10, 30, 45, 120][draw.below(4) as usize];
    }
    scenario.components = components;
    scenario.connections = connections;
    scenario.alarms = alarms;
    scenario
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn export_then_import_gives_the_scenario_back(
        numbers in prop::collection::vec(any::<u32>(), 64..256),
        floats in prop::collection::vec(-1.0e4f64..1.0e4, 8..32),
    ) {
        let scenario = scenario(&mut Draw { numbers, floats, at: 0 });
        let template = loosely_cfn::export(&scenario);
        let imported = loosely_cfn::import(&template).expect("our own template imports");
        prop_assert_eq!(&imported.scenario, &scenario);
        for skipped in &imported.skipped {
            prop_assert!(crate::left_out_of_an_export(skipped), "{}", skipped);
        }
    }
}
