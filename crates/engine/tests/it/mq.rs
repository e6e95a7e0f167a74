//! Amazon MQ: routing, prefetch and acknowledgements, redelivery to the DLQ, failover,
//! private networking, conservation.

use loosely_engine::mq::*;
use loosely_engine::*;
use proptest::prelude::*;

use super::support::*;

fn queues(names: &[&str], queue_type: QueueType) -> Vec<BrokerQueueSpec> {
    names
        .iter()
        .map(|name| BrokerQueueSpec {
            name: (*name).into(),
            queue_type,
        })
        .collect()
}

fn broker(spec: BrokerSpec) -> ComponentSpec {
    ComponentSpec {
        name: "broker".into(),
        kind: ComponentKind::Broker(spec),
    }
}

fn send(producer: ComponentId, destination: &str, routing_key: &str, persistent: f64) -> MqSend {
    MqSend {
        producer,
        destination: destination.into(),
        routing_key: routing_key.into(),
        persistent_share: persistent,
        vpc: Some("app-vpc".into()),
    }
}

fn receive(consumer: ComponentId, queue: &str, prefetch_count: u32) -> MqReceive {
    MqReceive {
        consumer,
        queue: queue.into(),
        prefetch_count,
        vpc: Some("app-vpc".into()),
    }
}

/// `count` messages at `rate` a second to component 0.
fn sender(name: &str, rate: f64, count: u64) -> ComponentSpec {
    producer(
        name,
        ProducerSpec {
            target: 0,
            arrival: Arrival::Constant,
            rate_per_second: rate,
            total_count: Some(count),
            ..ProducerSpec::default()
        },
    )
}

fn pool(name: &str, workers: u32, seconds: f64, failure_probability: f64) -> ComponentSpec {
    consumer(
        name,
        ConsumerSpec {
            source: 0,
            workers,
            processing_time: Distribution::Constant { value: seconds },
            failure_probability,
            ..ConsumerSpec::default()
        },
    )
}

fn broker_stats(sim: &Simulation) -> BrokerStats {
    match sim.stats(0) {
        Some(ComponentStats::Broker(stats)) => stats,
        other => panic!("component 0 is not a broker: {other:?}"),
    }
}

fn activemq(mode: DeploymentMode) -> BrokerSpec {
    BrokerSpec {
        engine: BrokerEngine::ActiveMq,
        deployment_mode: mode,
        vpc: "app-vpc".into(),
        ..BrokerSpec::default()
    }
}

fn rabbitmq(mode: DeploymentMode) -> BrokerSpec {
    BrokerSpec {
        engine: BrokerEngine::RabbitMq,
        deployment_mode: mode,
        vpc: "app-vpc".into(),
        max_redeliveries: RABBITMQ_DELIVERY_LIMIT,
        ..BrokerSpec::default()
    }
}

/// A producer sends 100 messages (half persistent) in the first 10 s to `orders`, nobody
/// consumes until 60 s; the active instance fails at 20 s.
fn failover_model(mode: DeploymentMode) -> Model {
    let mut spec = activemq(mode);
    spec.queues = queues(&["orders"], QueueType::Classic);
    spec.producers = vec![send(1, "orders", "", 0.5)];
    spec.consumers = vec![receive(2, "orders", 10)];
    spec.failures = vec![BrokerFailure {
        start: SimDuration::from_secs(20),
        duration: SimDuration::from_secs(300),
    }];
    spec.failover_delay = SimDuration::from_secs(30);
    let mut consumer = pool("workers", 2, 0.1, 0.0);
    if let ComponentKind::Consumer(c) = &mut consumer.kind {
        c.processing_time = Distribution::Constant { value: 0.1 };
    }
    let mut m = model(vec![broker(spec), sender("app", 10.0, 100), consumer]);
    // The consumers hold nothing before the failure: they start only after 60 s.
    m.components[2].kind = ComponentKind::Consumer(ConsumerSpec {
        source: 0,
        workers: 2,
        processing_time: Distribution::Constant { value: 100.0 },
        ..ConsumerSpec::default()
    });
    m
}

#[test]
fn activemq_failover_keeps_persistent_messages_and_loses_non_persistent_ones() {
    let mut sim =
        Simulation::new(failover_model(DeploymentMode::ActiveStandbyMultiAz)).expect("valid model");
    sim.set_tracing(true);
    let trace = checked_run(&mut sim, secs(19));
    let persistent = trace
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                TraceKind::MqEnqueued {
                    persistent: true,
                    ..
                }
            )
        })
        .count() as u64;
    assert_eq!(broker_stats(&sim).census.sent, 100);
    assert!(
        (20..=80).contains(&persistent),
        "about half persistent: {persistent}"
    );
    let trace = checked_run(&mut sim, secs(40));
    let stats = broker_stats(&sim);
    // Two workers with a prefetch of 10 held 20 messages; they went back to the queue when
    // the connections dropped, and the non-persistent ones were lost with the rest.
    assert_eq!(stats.census.lost, 100 - persistent, "{stats:?}");
    assert_eq!(
        stats.census.enqueued + stats.census.in_flight + stats.census.acknowledged,
        persistent
    );
    assert!(stats.failover_in_progress);
    assert_eq!(stats.active_instance, 1);
    let lost_events = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::MqMessageLost))
        .count() as u64;
    assert_eq!(lost_events, 100 - persistent);
    checked_run(&mut sim, secs(60));
    let stats = broker_stats(&sim);
    assert!(!stats.failover_in_progress);
    assert_eq!(stats.active_instance, 2);
    assert!(stats.available);
    assert_eq!(stats.failovers, 1);
    // Lost messages show in the metrics.
    sim.run_until(secs(120));
    let lost_metric: f64 = sim
        .drain_metrics()
        .iter()
        .filter(|s| s.metric == Metric::MessagesLost)
        .map(|s| s.value)
        .sum();
    assert_eq!(lost_metric as u64, 100 - persistent);
}

#[test]
fn a_single_instance_broker_refuses_sends_while_down() {
    let mut m = failover_model(DeploymentMode::SingleInstance);
    if let ComponentKind::Broker(spec) = &mut m.components[0].kind {
        spec.failures[0].start = SimDuration::from_secs(5);
        spec.failures[0].duration = SimDuration::from_secs(3);
    }
    let mut sim = Simulation::new(m).expect("valid model");
    sim.set_tracing(true);
    let trace = checked_run(&mut sim, secs(30));
    let stats = broker_stats(&sim);
    // 10 a second for 3 s refused.
    assert_eq!(stats.census.refused, 30, "{stats:?}");
    assert_eq!(
        trace
            .iter()
            .filter(|e| matches!(e.kind, TraceKind::MqRefused { .. }))
            .count(),
        30
    );
    assert_eq!(stats.census.sent, 100);
    assert!(stats.census.lost > 0, "non-persistent held messages lost");
    assert_eq!(stats.failovers, 0);
}

#[test]
fn a_stop_fault_on_the_broker_fails_over_like_a_failure_window() {
    let mut m = failover_model(DeploymentMode::ActiveStandbyMultiAz);
    if let ComponentKind::Broker(spec) = &mut m.components[0].kind {
        spec.failures.clear();
    }
    m.faults.push(FaultSpec {
        component: 0,
        start: SimDuration::from_secs(20),
        duration: SimDuration::from_secs(60),
        effect: FaultEffect::Stop { share: 0.5 },
    });
    let mut sim = Simulation::new(m).expect("valid model");
    checked_run(&mut sim, secs(100));
    let stats = broker_stats(&sim);
    assert_eq!(stats.failovers, 1);
    assert_eq!(stats.active_instance, 2);
    assert!(stats.census.lost > 0);
}

#[test]
fn exchanges_route_by_type_with_topic_wildcards() {
    let mut spec = rabbitmq(DeploymentMode::SingleInstance);
    spec.queues = queues(&["eu", "all-orders", "audit", "created"], QueueType::Quorum);
    spec.exchanges = vec![
        ExchangeSpec {
            name: "orders".into(),
            exchange_type: ExchangeType::Topic,
            bindings: vec![
                BindingSpec {
                    queue: "eu".into(),
                    routing_key: "orders.*.eu".into(),
                },
                BindingSpec {
                    queue: "all-orders".into(),
                    routing_key: "orders.#".into(),
                },
            ],
        },
        ExchangeSpec {
            name: "broadcast".into(),
            exchange_type: ExchangeType::Fanout,
            bindings: vec![
                BindingSpec {
                    queue: "audit".into(),
                    routing_key: "ignored".into(),
                },
                BindingSpec {
                    queue: "eu".into(),
                    routing_key: String::new(),
                },
            ],
        },
        ExchangeSpec {
            name: "events".into(),
            exchange_type: ExchangeType::Direct,
            bindings: vec![BindingSpec {
                queue: "created".into(),
                routing_key: "order.created".into(),
            }],
        },
    ];
    let sends = [
        ("orders", "orders.created.eu", 2u64),
        ("orders", "orders.created.us", 3),
        ("orders", "payments.x", 4),
        ("broadcast", "whatever", 5),
        ("events", "order.created", 6),
        ("events", "order.deleted", 7),
    ];
    let mut components = vec![broker(BrokerSpec::default())];
    for (i, (exchange, key, count)) in sends.iter().enumerate() {
        spec.producers.push(send(i + 1, exchange, key, 1.0));
        components.push(sender(&format!("p{i}"), 100.0, *count));
    }
    components[0] = broker(spec.clone());
    // Direct routing of the pure function too.
    assert_eq!(spec.route("events", "order.created"), vec![3]);
    assert_eq!(spec.route("", "audit"), vec![2]);
    let mut sim = Simulation::new(model(components)).expect("valid model");
    checked_run(&mut sim, secs(10));
    let stats = broker_stats(&sim);
    let ready: Vec<(String, u64)> = stats
        .queues
        .iter()
        .map(|q| (q.name.clone(), q.ready))
        .collect();
    assert_eq!(
        ready,
        vec![
            ("eu".to_string(), 2 + 5),
            ("all-orders".to_string(), 2 + 3),
            ("audit".to_string(), 5),
            ("created".to_string(), 6),
        ]
    );
    // payments.x and order.deleted matched no binding.
    assert_eq!(stats.census.unroutable, 4 + 7);
    // Copies: 2 x 2, 3, 5 x 2 and 6 routed; 4 + 7 unroutable.
    assert_eq!(stats.census.sent, 4 + 3 + 10 + 6 + 4 + 7);
}

#[test]
fn activemq_virtual_topics_fan_out_into_consumer_queues() {
    let mut spec = activemq(DeploymentMode::SingleInstance);
    spec.queues = queues(
        &[
            "Consumer.billing.VirtualTopic.orders",
            "Consumer.shipping.VirtualTopic.orders",
        ],
        QueueType::Classic,
    );
    spec.virtual_topics = vec![VirtualTopicSpec {
        name: "orders".into(),
        consumer_groups: vec!["billing".into(), "shipping".into()],
    }];
    spec.producers = vec![send(1, "VirtualTopic.orders", "", 1.0)];
    spec.consumers = vec![receive(2, "Consumer.billing.VirtualTopic.orders", 5)];
    let mut sim = Simulation::new(model(vec![
        broker(spec),
        sender("app", 10.0, 20),
        pool("billing", 1, 0.01, 0.0),
    ]))
    .expect("valid model");
    checked_run(&mut sim, secs(60));
    let stats = broker_stats(&sim);
    assert_eq!(stats.queues[0].dequeued, 20);
    assert_eq!(stats.queues[1].ready, 20);
    assert_eq!(stats.census.acknowledged, 20);
}

#[test]
fn failing_consumers_redeliver_then_dead_letter_after_the_limit() {
    let mut spec = activemq(DeploymentMode::SingleInstance);
    spec.queues = queues(&["jobs"], QueueType::Classic);
    spec.producers = vec![send(1, "jobs", "", 1.0)];
    spec.consumers = vec![receive(2, "jobs", 1)];
    let mut sim = Simulation::new(model(vec![
        broker(spec),
        sender("app", 1.0, 3),
        pool("always-fails", 1, 1.0, 1.0),
    ]))
    .expect("valid model");
    sim.set_tracing(true);
    let trace = checked_run(&mut sim, secs(600));
    let stats = broker_stats(&sim);
    assert_eq!(stats.census.dead_lettered, 3, "{stats:?}");
    // ActiveMQ's default redelivery policy: 6 redeliveries, 7 deliveries, then ActiveMQ.DLQ.
    assert_eq!(stats.redeliveries, 3 * 6);
    let dlq: Vec<(&'static str, u32)> = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::MqDeadLettered { dlq, redeliveries } => Some((dlq, redeliveries)),
            _ => None,
        })
        .collect();
    assert_eq!(dlq, vec![("ActiveMQ.DLQ", 6); 3]);
    let last_delivery = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::MqDelivered {
                redelivered,
                delivery_count,
                ..
            } => Some((redelivered, delivery_count)),
            _ => None,
        })
        .max_by_key(|d| d.1);
    assert_eq!(last_delivery, Some((true, 7)));
}

#[test]
fn prefetch_caps_the_unacknowledged_messages_of_each_worker() {
    let mut spec = rabbitmq(DeploymentMode::SingleInstance);
    spec.queues = queues(&["work"], QueueType::Classic);
    spec.producers = vec![send(1, "", "work", 1.0)];
    spec.consumers = vec![receive(2, "work", 3)];
    let mut sim = Simulation::new(model(vec![
        broker(spec),
        sender("app", 1_000.0, 50),
        pool("slow", 2, 10.0, 0.0),
    ]))
    .expect("valid model");
    checked_run(&mut sim, secs(1));
    let stats = broker_stats(&sim);
    assert_eq!(stats.queues[0].unacknowledged, 6);
    assert_eq!(stats.queues[0].ready, 44);
}

#[test]
fn a_rabbitmq_cluster_tolerates_losing_one_node() {
    let mut spec = rabbitmq(DeploymentMode::ClusterMultiAz);
    spec.queues = queues(&["work"], QueueType::Quorum);
    spec.producers = vec![send(1, "", "work", 0.0)];
    spec.consumers = vec![receive(2, "work", 5)];
    spec.failures = vec![BrokerFailure {
        start: SimDuration::from_secs(5),
        duration: SimDuration::from_secs(60),
    }];
    let mut sim = Simulation::new(model(vec![
        broker(spec),
        sender("app", 10.0, 200),
        pool("workers", 3, 0.5, 0.0),
    ]))
    .expect("valid model");
    checked_run(&mut sim, secs(600));
    let stats = broker_stats(&sim);
    assert_eq!(stats.census.lost, 0);
    assert_eq!(stats.census.refused, 0);
    assert_eq!(stats.census.acknowledged, 200);
    // The worker on the failed node dropped its unacknowledged messages: redelivered.
    assert!(stats.redeliveries > 0);
    assert_eq!(stats.instances_down, 0);
}

#[test]
fn clients_outside_the_brokers_vpc_cannot_connect() {
    let mut spec = activemq(DeploymentMode::SingleInstance);
    spec.queues = queues(&["orders"], QueueType::Classic);
    spec.producers = vec![MqSend {
        vpc: Some("other-vpc".into()),
        ..send(1, "orders", "", 1.0)
    }];
    spec.consumers = vec![MqReceive {
        vpc: None,
        ..receive(2, "orders", 1)
    }];
    let issues = model(vec![
        broker(spec),
        sender("app", 1.0, 1),
        pool("w", 1, 1.0, 0.0),
    ])
    .validate();
    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["producers[0].vpc", "consumers[0].vpc"],
        "{issues:?}"
    );
    assert!(issues[0].message.contains("\"other-vpc\""));
    assert!(issues[0].message.contains("\"app-vpc\""));
}

#[test]
fn engine_specific_settings_are_refused() {
    let mut spec = activemq(DeploymentMode::ClusterMultiAz);
    spec.queues = queues(&["q"], QueueType::Quorum);
    spec.max_redeliveries = 0;
    let issues = model(vec![broker(spec)]).validate();
    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "deployment_mode",
            "max_redeliveries",
            "queues[0].queue_type"
        ]
    );
    assert!(issues[0]
        .message
        .contains("SINGLE_INSTANCE or ACTIVE_STANDBY_MULTI_AZ"));
}

#[test]
fn the_same_seed_gives_the_same_broker_trace() {
    let run = || {
        let mut m = failover_model(DeploymentMode::ActiveStandbyMultiAz);
        if let ComponentKind::Consumer(c) = &mut m.components[2].kind {
            c.processing_time = Distribution::Exponential { mean: 0.5 };
            c.failure_probability = 0.3;
        }
        let mut sim = Simulation::new(m).expect("valid model");
        sim.set_tracing(true);
        trace_fingerprint(&run_traced(&mut sim, secs(400)))
    };
    assert_eq!(run(), run());
}

#[test]
fn brokers_are_billed_per_instance_hour() {
    let mut m = failover_model(DeploymentMode::ActiveStandbyMultiAz);
    if let ComponentKind::Broker(spec) = &mut m.components[0].kind {
        spec.failures.clear();
    }
    let mut sim = Simulation::new(m).expect("valid model");
    sim.run_until(secs(3_600));
    let cost = sim.cost();
    assert_eq!(cost.brokers.len(), 1);
    // Two mq.m5.large instances for an hour.
    assert!((cost.brokers[0].1 - 2.0 * 0.288).abs() < 1e-9, "{cost:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the engine, mode, failures and consumers, every message sent is enqueued,
    /// in flight, acknowledged, dead-lettered, lost, refused or unroutable, at every step.
    #[test]
    fn broker_messages_are_conserved(
        rabbit in any::<bool>(),
        multi in any::<bool>(),
        persistent in 0.0f64..=1.0,
        failure in 0.0f64..0.8,
        prefetch in 1u32..20,
        workers in 1u32..4,
        windows in prop::collection::vec((0u64..200, 1u64..100), 0..3),
        count in 1u64..200,
    ) {
        let mut spec = if rabbit {
            rabbitmq(if multi { DeploymentMode::ClusterMultiAz } else { DeploymentMode::SingleInstance })
        } else {
            activemq(if multi { DeploymentMode::ActiveStandbyMultiAz } else { DeploymentMode::SingleInstance })
        };
        spec.queues = queues(&["a", "b"], QueueType::Quorum);
        if rabbit {
            spec.exchanges = vec![ExchangeSpec {
                name: "x".into(),
                exchange_type: ExchangeType::Fanout,
                bindings: vec![
                    BindingSpec { queue: "a".into(), routing_key: String::new() },
                    BindingSpec { queue: "b".into(), routing_key: String::new() },
                ],
            }];
            spec.producers = vec![send(1, "x", "", persistent)];
        } else {
            spec.queues = queues(&["a", "b"], QueueType::Classic);
            spec.producers = vec![send(1, "a", "", persistent)];
        }
        spec.max_redeliveries = 3;
        spec.failover_delay = SimDuration::from_secs(10);
        spec.failures = windows
            .iter()
            .map(|(start, duration)| BrokerFailure {
                start: SimDuration::from_secs(*start),
                duration: SimDuration::from_secs(*duration),
            })
            .collect();
        spec.consumers = vec![receive(2, "a", prefetch)];
        let m = model(vec![
            broker(spec),
            sender("app", 5.0, count),
            consumer("w", ConsumerSpec {
                source: 0,
                workers,
                processing_time: Distribution::Exponential { mean: 1.0 },
                failure_probability: failure,
                ..ConsumerSpec::default()
            }),
        ]);
        let mut sim = Simulation::new(m).expect("valid");
        let mut steps = 0;
        while sim.step() && steps < 50_000 && sim.now() < secs(5_000) {
            steps += 1;
            if let Err(problem) = sim.check_invariants() {
                return Err(TestCaseError::fail(problem));
            }
        }
        let census = sim.mq_census(0).expect("a broker");
        prop_assert_eq!(census.accounted(), census.sent);
        prop_assert!(census.sent >= count);
    }
}

#[test]
fn a_running_broker_refuses_setting_changes() {
    let m = failover_model(DeploymentMode::ActiveStandbyMultiAz);
    let kind = m.components[0].kind.clone();
    let pool = m.components[2].kind.clone();
    let mut sim = Simulation::new(m).expect("valid model");
    sim.run_until(secs(5));
    for (component, kind) in [(0, kind), (2, pool)] {
        assert!(matches!(
            sim.handle_command(Command::Update { component, kind }),
            Err(CommandError::NotWhileRunning(_))
        ));
    }
    sim.check_invariants().expect("unchanged");
}
