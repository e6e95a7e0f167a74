use crate::support::*;
use loosely_engine::*;

fn topic(name: &str, spec: TopicSpec) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::Topic(spec),
    }
}

fn endpoint(name: &str, spec: EndpointSpec) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::Endpoint(spec),
    }
}

fn sqs(endpoint: ComponentId) -> SubscriptionSpec {
    SubscriptionSpec {
        endpoint,
        protocol: Protocol::Sqs,
        raw_message_delivery: true,
        ..SubscriptionSpec::default()
    }
}

fn attribute(name: &str, value: &str) -> MessageAttribute {
    MessageAttribute {
        name: name.into(),
        data_type: "String".into(),
        value: value.into(),
    }
}

fn publisher(target: ComponentId, count: u64, template: MessageTemplate) -> ComponentSpec {
    producer(
        "shop",
        ProducerSpec {
            target,
            arrival: Arrival::Constant,
            rate_per_second: 10.0,
            total_count: Some(count),
            template,
            ..ProducerSpec::default()
        },
    )
}

fn topic_stats(sim: &Simulation, id: ComponentId) -> TopicStats {
    match sim.stats(id) {
        Some(ComponentStats::Topic(stats)) => stats,
        other => panic!("component {id} is not a topic: {other:?}"),
    }
}

#[test]
fn fanout_delivers_a_copy_to_every_subscription() {
    let mut sim = build(vec![
        topic(
            "orders",
            TopicSpec {
                subscriptions: vec![sqs(1), sqs(2), sqs(3)],
                ..TopicSpec::default()
            },
        ),
        queue("billing", QueueSpec::default()),
        queue("shipping", QueueSpec::default()),
        queue("analytics", QueueSpec::default()),
        publisher(0, 100, MessageTemplate::default()),
    ]);
    sim.run_until(secs(60));
    for queue in 1..=3 {
        assert_eq!(queue_stats(&sim, queue).sent, 100);
    }
    let stats = topic_stats(&sim, 0);
    assert_eq!((stats.published, stats.delivered), (100, 300));
    let census = sim.sns_census();
    assert_eq!(
        (census.copies, census.delivered, census.pending),
        (300, 300, 0)
    );
    let trace = sim.drain_trace();
    let first = trace
        .iter()
        .find(|e| matches!(e.kind, TraceKind::Published { .. }))
        .expect("published");
    assert_eq!(
        first.explain(&sim.namer()),
        "m-1 published to orders by shop (1024 bytes); fans out to 3 subscriptions"
    );
}

#[test]
fn filter_policies_on_attributes_pick_what_each_subscriber_gets() {
    let template = MessageTemplate {
        variants: vec![
            MessageVariant {
                weight: 3.0,
                attributes: vec![attribute("type", "order")],
                body: None,
            },
            MessageVariant {
                weight: 1.0,
                attributes: vec![attribute("type", "refund")],
                body: None,
            },
        ],
        ..MessageTemplate::default()
    };
    let filtered = |endpoint, policy: &str| SubscriptionSpec {
        filter_policy: Some(policy.into()),
        ..sqs(endpoint)
    };
    let mut sim = build(vec![
        topic(
            "events",
            TopicSpec {
                subscriptions: vec![
                    filtered(1, r#"{"type": ["order"]}"#),
                    filtered(2, r#"{"type": ["refund"]}"#),
                    sqs(3),
                ],
                ..TopicSpec::default()
            },
        ),
        queue("orders", QueueSpec::default()),
        queue("refunds", QueueSpec::default()),
        queue("everything", QueueSpec::default()),
        publisher(0, 400, template),
    ]);
    sim.run_until(secs(60));
    let (orders, refunds, all) = (
        queue_stats(&sim, 1).sent,
        queue_stats(&sim, 2).sent,
        queue_stats(&sim, 3).sent,
    );
    assert_eq!(all, 400);
    assert_eq!(orders + refunds, 400);
    assert!((250..=350).contains(&orders), "orders {orders}");
    let stats = topic_stats(&sim, 0);
    assert_eq!(stats.filtered_out, 400);
    let census = sim.sns_census();
    assert_eq!(census.copies, census.delivered + census.filtered_out);
    let trace = sim.drain_trace();
    let filtered_out = trace
        .iter()
        .find(|e| matches!(e.kind, TraceKind::FilteredOut { .. }))
        .expect("a filtered copy");
    let sentence = filtered_out.explain(&sim.namer());
    assert!(
        sentence.contains("filtered out by its filter policy"),
        "{sentence}"
    );
    let samples = sim.drain_metrics();
    let filtered_metric: f64 = samples
        .iter()
        .filter(|s| s.metric == Metric::NumberOfNotificationsFilteredOut)
        .map(|s| s.value)
        .sum();
    assert_eq!(filtered_metric, 400.0);
    assert_eq!(
        Metric::NumberOfNotificationsFilteredOutNoMessageAttributes.as_str(),
        "NumberOfNotificationsFilteredOut-NoMessageAttributes"
    );
}

#[test]
fn filter_policies_on_the_body() {
    let template = MessageTemplate {
        variants: vec![
            MessageVariant {
                weight: 1.0,
                attributes: vec![],
                body: Some(r#"{"order": {"total": 250}}"#.into()),
            },
            MessageVariant {
                weight: 1.0,
                attributes: vec![],
                body: Some(r#"{"order": {"total": 20}}"#.into()),
            },
        ],
        ..MessageTemplate::default()
    };
    let big = SubscriptionSpec {
        filter_policy: Some(r#"{"order": {"total": [{"numeric": [">=", 100]}]}}"#.into()),
        filter_policy_scope: FilterScope::MessageBody,
        ..sqs(1)
    };
    let mut sim = build(vec![
        topic(
            "orders",
            TopicSpec {
                subscriptions: vec![big],
                ..TopicSpec::default()
            },
        ),
        queue("big-orders", QueueSpec::default()),
        publisher(0, 200, template),
    ]);
    sim.run_until(secs(60));
    let got = queue_stats(&sim, 1).sent;
    assert!((70..=130).contains(&got), "{got}");
    assert_eq!(topic_stats(&sim, 0).filtered_out, 200 - got);
}

#[test]
fn fifo_topics_keep_order_per_group_in_fifo_queues() {
    let fifo_queue = QueueSpec {
        fifo_queue: true,
        ..QueueSpec::default()
    };
    let mut sim = build(vec![
        topic(
            "orders.fifo",
            TopicSpec {
                fifo_topic: true,
                content_based_deduplication: true,
                subscriptions: vec![sqs(1), sqs(2)],
                ..TopicSpec::default()
            },
        ),
        queue("a.fifo", fifo_queue.clone()),
        queue("b.fifo", fifo_queue),
        publisher(
            0,
            30,
            MessageTemplate {
                group_ids: vec!["g1".into(), "g2".into()],
                duplicate_share: 0.2,
                ..MessageTemplate::default()
            },
        ),
        consumer(
            "reader",
            ConsumerSpec {
                source: 1,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 0.01 },
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.run_until(secs(60));
    let stats = topic_stats(&sim, 0);
    assert!(stats.deduplicated > 0);
    assert_eq!(stats.published + stats.deduplicated, 30);
    assert_eq!(queue_stats(&sim, 1).sent, stats.published);
    assert_eq!(queue_stats(&sim, 2).sent, stats.published);
    assert_eq!(sim.sns_census().copies, 2 * stats.published);
}

#[test]
fn fifo_topic_rules_are_checked() {
    let issues = model(vec![
        topic(
            "orders.fifo",
            TopicSpec {
                fifo_topic: true,
                subscriptions: vec![SubscriptionSpec {
                    endpoint: 1,
                    protocol: Protocol::Http,
                    ..SubscriptionSpec::default()
                }],
                ..TopicSpec::default()
            },
        ),
        endpoint("hook", EndpointSpec::default()),
        topic(
            "plain",
            TopicSpec {
                subscriptions: vec![sqs(3)],
                ..TopicSpec::default()
            },
        ),
        queue(
            "q.fifo",
            QueueSpec {
                fifo_queue: true,
                ..QueueSpec::default()
            },
        ),
        topic("bad name!", TopicSpec::default()),
    ])
    .validate();
    let text: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert!(text.contains(&"components[0].subscriptions[0].Protocol: a FIFO topic delivers only to SQS queues, not over http".to_string()), "{text:?}");
    assert!(text.contains(&"components[2].subscriptions[0].Endpoint: a FIFO queue can only subscribe to a FIFO topic".to_string()), "{text:?}");
    assert!(
        text.iter().any(|t| t.starts_with("components[4].name:")),
        "{text:?}"
    );
    let issues = model(vec![
        topic(
            "t",
            TopicSpec {
                subscriptions: vec![SubscriptionSpec {
                    filter_policy: Some(r#"{"a":[],"b":["x"]}"#.into()),
                    ..sqs(1)
                }],
                ..TopicSpec::default()
            },
        ),
        queue("q", QueueSpec::default()),
    ])
    .validate();
    assert_eq!(issues[0].to_string(), "components[0].subscriptions[0].FilterPolicy: Invalid parameter: FilterPolicy: Empty arrays are not allowed");
}

fn http_endpoint_scenario(down_until: u64, dlq: bool) -> Simulation {
    let mut model = model(vec![
        topic(
            "alerts",
            TopicSpec {
                subscriptions: vec![SubscriptionSpec {
                    endpoint: 1,
                    protocol: Protocol::Https,
                    dead_letter_queue: dlq.then_some(2),
                    ..SubscriptionSpec::default()
                }],
                ..TopicSpec::default()
            },
        ),
        endpoint(
            "webhook",
            EndpointSpec {
                latency: Distribution::Constant { value: 0.0 },
                ..EndpointSpec::default()
            },
        ),
        queue("alerts-dlq", QueueSpec::default()),
        publisher(0, 1, MessageTemplate::default()),
    ]);
    model.faults.push(FaultSpec {
        component: 1,
        start: SimDuration::ZERO,
        duration: SimDuration::from_secs(down_until),
        effect: FaultEffect::Stop { share: 1.0 },
    });
    let mut sim = Simulation::new(model).expect("valid");
    sim.set_tracing(true);
    sim
}

/// The default HTTP/S policy: 3 retries 20 s apart (with jitter). An endpoint that comes
/// back at 50 s gets the message on the third retry.
#[test]
fn http_deliveries_retry_with_the_default_policy() {
    let mut sim = http_endpoint_scenario(50, true);
    let trace = run_traced(&mut sim, secs(200));
    let failures = times_of(&trace, |k| matches!(k, TraceKind::DeliveryFailed { .. }));
    assert_eq!(failures.len(), 3, "{failures:?}");
    let delivered = times_of(&trace, |k| matches!(k, TraceKind::Delivered { .. }));
    assert_eq!(delivered.len(), 1);
    // Retries about 20 s apart, each within ±10%.
    let gaps: Vec<f64> = failures
        .windows(2)
        .map(|w| w[1] - w[0])
        .chain(std::iter::once(delivered[0] - failures[2]))
        .collect();
    assert!(gaps.iter().all(|g| (18.0..=22.0).contains(g)), "{gaps:?}");
    assert_eq!(queue_stats(&sim, 2).sent, 0);
    let delivered_event = trace
        .iter()
        .find(|e| matches!(e.kind, TraceKind::Delivered { .. }))
        .expect("delivered");
    assert_eq!(
        delivered_event.explain(&sim.namer()),
        "m-1 delivered by alerts to webhook after 4 attempts"
    );
}

#[test]
fn after_the_last_retry_the_copy_goes_to_the_subscription_dlq() {
    let mut sim = http_endpoint_scenario(1_000, true);
    let trace = run_traced(&mut sim, secs(200));
    let moved = times_of(&trace, |k| {
        matches!(k, TraceKind::SubscriptionDeadLettered { .. })
    });
    assert_eq!(moved.len(), 1);
    assert!((54.0..=66.0).contains(&moved[0]), "{moved:?}");
    assert_eq!(queue_stats(&sim, 2).visible, 1);
    let census = sim.sns_census();
    assert_eq!((census.copies, census.to_dlq, census.failed), (1, 1, 0));
    // Without a DLQ the copy is discarded and counted as failed.
    let mut sim = http_endpoint_scenario(1_000, false);
    sim.run_until(secs(200));
    let census = sim.sns_census();
    assert_eq!((census.to_dlq, census.failed), (0, 1));
    assert_eq!(topic_stats(&sim, 0).failed, 1);
}

#[test]
fn client_errors_are_not_retried() {
    let mut sim = build(vec![
        topic(
            "alerts",
            TopicSpec {
                subscriptions: vec![SubscriptionSpec {
                    endpoint: 1,
                    protocol: Protocol::Http,
                    dead_letter_queue: Some(2),
                    ..SubscriptionSpec::default()
                }],
                ..TopicSpec::default()
            },
        ),
        endpoint(
            "webhook",
            EndpointSpec {
                client_error_probability: 1.0,
                ..EndpointSpec::default()
            },
        ),
        queue("dlq", QueueSpec::default()),
        publisher(0, 5, MessageTemplate::default()),
    ]);
    let trace = run_traced(&mut sim, secs(60));
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::DeliveryFailed { .. })).len(),
        0
    );
    assert_eq!(
        times_of(&trace, |k| matches!(
            k,
            TraceKind::SubscriptionDeadLettered { .. }
        ))
        .len(),
        5
    );
}

#[test]
fn large_payloads_need_the_extended_client() {
    let big = MessageTemplate {
        body_size: Distribution::Constant { value: 1_000_000.0 },
        ..MessageTemplate::default()
    };
    let mut sim = build(vec![
        topic(
            "media",
            TopicSpec {
                subscriptions: vec![sqs(1)],
                ..TopicSpec::default()
            },
        ),
        queue("q", QueueSpec::default()),
        publisher(0, 3, big.clone()),
    ]);
    let trace = run_traced(&mut sim, secs(10));
    let refused = trace
        .iter()
        .find(|e| matches!(e.kind, TraceKind::PublishRejected { .. }))
        .expect("refused");
    assert_eq!(
        refused.explain(&sim.namer()),
        "publish to media refused: InvalidParameter: Invalid parameter: Message too long"
    );
    let with_bucket = MessageTemplate {
        extended_client_bucket: Some(3),
        ..big
    };
    let mut sim = build(vec![
        topic(
            "media",
            TopicSpec {
                subscriptions: vec![sqs(1)],
                ..TopicSpec::default()
            },
        ),
        queue("q", QueueSpec::default()),
        publisher(0, 3, with_bucket),
        ComponentSpec {
            name: "payloads".into(),
            kind: ComponentKind::Bucket(BucketSpec::default()),
        },
    ]);
    sim.run_until(secs(10));
    assert_eq!(queue_stats(&sim, 1).sent, 3);
    assert_eq!(
        sim.stats(3),
        Some(ComponentStats::Bucket(BucketStats {
            objects: 3,
            bytes: 3_000_000
        }))
    );
}

#[test]
fn access_policies_decide_who_publishes_and_which_topic_may_send() {
    let mut sim = build(vec![
        topic(
            "locked",
            TopicSpec {
                allowed_publishers: Some(vec![]),
                subscriptions: vec![sqs(1)],
                ..TopicSpec::default()
            },
        ),
        queue("q", QueueSpec::default()),
        publisher(0, 2, MessageTemplate::default()),
    ]);
    let trace = run_traced(&mut sim, secs(10));
    let refused = trace
        .iter()
        .find(|e| matches!(e.kind, TraceKind::PublishRejected { .. }))
        .expect("refused");
    assert!(refused.explain(&sim.namer()).contains("AuthorizationError: User: arn:aws:sts::123456789012:assumed-role/shop/shop is not authorized to perform: SNS:Publish"));
    let mut sim = build(vec![
        topic(
            "open",
            TopicSpec {
                subscriptions: vec![sqs(1)],
                ..TopicSpec::default()
            },
        ),
        queue(
            "q",
            QueueSpec {
                allowed_source_topics: Some(vec![]),
                ..QueueSpec::default()
            },
        ),
        publisher(0, 2, MessageTemplate::default()),
    ]);
    sim.run_until(secs(10));
    assert_eq!(queue_stats(&sim, 1).sent, 0);
    assert_eq!(sim.sns_census().failed, 2);
}

#[test]
fn raw_delivery_is_smaller_than_the_envelope() {
    let mut sim = build(vec![
        topic(
            "t",
            TopicSpec {
                subscriptions: vec![
                    sqs(1),
                    SubscriptionSpec {
                        raw_message_delivery: false,
                        ..sqs(2)
                    },
                ],
                ..TopicSpec::default()
            },
        ),
        queue("raw", QueueSpec::default()),
        queue("wrapped", QueueSpec::default()),
        publisher(0, 10, MessageTemplate::default()),
    ]);
    sim.run_until(secs(60));
    let sizes: Vec<f64> = sim
        .drain_metrics()
        .into_iter()
        .filter(|s| s.metric == Metric::SentMessageSize)
        .map(|s| s.value)
        .collect();
    assert_eq!(sizes.len(), 2);
    assert_eq!(sizes[0], 1_024.0);
    assert!(sizes[1] > 1_700.0, "{sizes:?}");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// Every copy of every publish is in exactly one place, at every step.
        #[test]
        fn copies_are_conserved(
            seed in any::<u64>(),
            server_errors in 0.0f64..1.0,
            client_errors in 0.0f64..0.3,
            down_until in 1u64..120,
            with_dlq in any::<bool>(),
            filtered in any::<bool>(),
        ) {
            let filter = filtered.then(|| r#"{"type": ["order"]}"#.to_string());
            let template = MessageTemplate {
                variants: vec![
                    MessageVariant { weight: 1.0, attributes: vec![attribute("type", "order")], body: None },
                    MessageVariant { weight: 1.0, attributes: vec![], body: None },
                ],
                ..MessageTemplate::default()
            };
            let mut model = model(vec![
                topic(
                    "t",
                    TopicSpec {
                        subscriptions: vec![
                            SubscriptionSpec { filter_policy: filter.clone(), ..sqs(1) },
                            SubscriptionSpec {
                                endpoint: 2,
                                protocol: Protocol::Https,
                                filter_policy: filter,
                                dead_letter_queue: with_dlq.then_some(3),
                                delivery_policy: Some(DeliveryPolicy { min_delay_target: 1, max_delay_target: 10, num_retries: 5, backoff_function: BackoffFunction::Exponential, ..DeliveryPolicy::default() }),
                                ..SubscriptionSpec::default()
                            },
                        ],
                        ..TopicSpec::default()
                    },
                ),
                queue("q", QueueSpec::default()),
                endpoint(
                    "hook",
                    EndpointSpec {
                        latency: Distribution::Exponential { mean: 0.2 },
                        server_error_probability: server_errors,
                        client_error_probability: client_errors,
                        ..EndpointSpec::default()
                    },
                ),
                queue("dlq", QueueSpec::default()),
                publisher(0, 300, template),
            ]);
            model.seed = seed;
            model.faults.push(FaultSpec {
                component: 2,
                start: SimDuration::from_secs(10),
                duration: SimDuration::from_secs(down_until),
                effect: FaultEffect::Stop { share: 1.0 },
            });
            let mut sim = Simulation::new(model).expect("valid");
            let mut steps = 0;
            while sim.now() < secs(400) && steps < 20_000 {
                sim.step();
                steps += 1;
                let c = sim.sns_census();
                prop_assert_eq!(c.copies, c.filtered_out + c.delivered + c.failed + c.to_dlq + c.pending, "{:?}", c);
                prop_assert_eq!(c.published, c.rejected + c.deduplicated + c.copies / 2, "{:?}", c);
            }
            let c = sim.sns_census();
            prop_assert_eq!(c.pending, 0, "every retry ended within 400 s: {:?}", c);
            let sqs = sim.census();
            prop_assert_eq!(sqs.sent, sqs.accounted());
        }
    }
}
