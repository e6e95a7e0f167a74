//! Random valid scenarios survive JSON: scenario → JSON → scenario is the same scenario.

use loosely_scenario::*;
use proptest::option::of;
use proptest::prelude::*;

fn distribution(max: f64) -> impl Strategy<Value = Distribution> {
    prop_oneof![
        (0.0..max).prop_map(Distribution::Constant),
        (0.0..max, 0.0..max).prop_map(|(a, b)| Distribution::Uniform {
            min: a.min(b),
            max: a.max(b)
        }),
        (0.0..max).prop_map(|mean| Distribution::Exponential { mean }),
        (0.0..max, 0.0..max).prop_map(|(mean, std_dev)| Distribution::Normal { mean, std_dev }),
        (0.0..max, 0.0..2.0).prop_map(|(median, sigma)| Distribution::LogNormal { median, sigma }),
    ]
}

fn queue_parameters() -> impl Strategy<Value = QueueParameters> {
    (
        (
            of(Just(false)),
            of(0u32..=43_200),
            of(0u32..=900),
            of(60u32..=1_209_600),
            of(0u32..=20),
            of(1_024u32..=262_144),
        ),
        (
            of(prop_oneof![
                Just((Some(false), Some("alias/orders".to_string()))),
                Just((Some(true), None)),
            ]),
            of(60u32..=86_400),
            of(0.0..=1.0f64),
            of(0.0..=1.0f64),
        ),
    )
        .prop_map(
            |(
                (fifo, visibility, delay, retention, wait, size),
                (sse, reuse, duplicates, reorder),
            )| {
                let (sse, kms) = sse.unwrap_or((None, None));
                QueueParameters {
                    fifo_queue: fifo,
                    visibility_timeout: visibility,
                    delay_seconds: delay,
                    message_retention_period: retention,
                    receive_message_wait_time_seconds: wait,
                    maximum_message_size: size,
                    sqs_managed_sse_enabled: sse,
                    kms_master_key_id: kms,
                    kms_data_key_reuse_period_seconds: reuse,
                    duplicate_delivery_probability: duplicates,
                    reorder_probability: reorder,
                    ..QueueParameters::default()
                }
            },
        )
}

fn producer_parameters() -> impl Strategy<Value = ProducerParameters> {
    (
        (
            of(prop_oneof![Just(Arrival::Constant), Just(Arrival::Poisson)]),
            of(0.0..100.0f64),
            prop::collection::vec(
                (0.0..100.0f64, 0.0..100.0f64, 0.0..10.0f64, 0.0..10.0f64).prop_map(
                    |(a, b, from_rate, to_rate)| Ramp {
                        start_seconds: a.min(b),
                        end_seconds: a.max(b),
                        from_rate,
                        to_rate,
                    },
                ),
                0..3,
            ),
            prop::collection::vec(
                (0.0..100.0f64, 0.0..10.0f64, 0.0..10.0f64).prop_map(|(start, duration, rate)| {
                    Spike {
                        start_seconds: start,
                        duration_seconds: duration,
                        rate_per_second: rate,
                    }
                }),
                0..3,
            ),
            prop::collection::vec(
                (0.0..100.0f64, 0u32..100)
                    .prop_map(|(at_seconds, count)| Burst { at_seconds, count }),
                0..3,
            ),
        ),
        (
            of(0.0..10.0f64),
            of(10.0..100.0f64),
            of(0u64..1_000_000),
            of(1u32..=10),
            of((
                of(distribution(4096.0)),
                prop::collection::vec("[a-z]{1,8}", 0..3),
                of(prop_oneof![
                    Just(GroupChoice::RoundRobin),
                    Just(GroupChoice::Random)
                ]),
                of(prop_oneof![Just(DedupIds::None), Just(DedupIds::Unique)]),
                of(0.0..=1.0f64),
                of(0u32..=900),
                prop::collection::vec(
                    ("[a-z]{1,10}", 0u32..1000).prop_map(|(name, value)| MessageAttribute {
                        name,
                        data_type: "Number".into(),
                        string_value: value.to_string(),
                    }),
                    0..3,
                ),
            )),
        ),
    )
        .prop_map(
            |((arrival, rate, ramps, spikes, bursts), (start, stop, total, batch, message))| {
                ProducerParameters {
                    arrival,
                    rate_per_second: rate,
                    ramps,
                    spikes,
                    bursts,
                    start_seconds: start,
                    stop_seconds: stop,
                    total_count: total,
                    batch_size: batch,
                    message: message.map(
                        |(
                            body_size,
                            group_ids,
                            group_choice,
                            dedup_ids,
                            duplicate_share,
                            delay,
                            attributes,
                        )| {
                            MessageParameters {
                                body_size,
                                attributes,
                                group_ids,
                                group_choice,
                                dedup_ids,
                                duplicate_share,
                                delay_seconds: delay,
                                variants: Vec::new(),
                                extended_client_bucket: None,
                            }
                        },
                    ),
                    ..ProducerParameters::default()
                }
            },
        )
}

fn consumer_parameters() -> impl Strategy<Value = ConsumerParameters> {
    (
        of(0u32..=100),
        of(0u32..=20),
        of(1u32..=10),
        of(0u32..=43_200),
        of(distribution(10.0)),
        of(0.0..=1.0f64),
        of(
            (1u32..=600, 0u32..=43_200).prop_map(|(interval_seconds, visibility_timeout)| {
                Heartbeat {
                    interval_seconds,
                    visibility_timeout,
                }
            }),
        ),
        of(prop_oneof![
            Just(DeleteMode::PerMessage),
            Just(DeleteMode::PerBatch)
        ]),
        of(1u32..=60_000),
    )
        .prop_map(
            |(workers, wait, max, visibility, processing, failure, heartbeat, delete, pause)| {
                ConsumerParameters {
                    workers,
                    wait_time_seconds: wait,
                    max_number_of_messages: max,
                    visibility_timeout: visibility,
                    processing_time: processing,
                    failure_probability: failure,
                    heartbeat,
                    delete_mode: delete,
                    empty_receive_pause_ms: pause,
                    auto_scaling: None,
                    ..ConsumerParameters::default()
                }
            },
        )
}

fn position() -> impl Strategy<Value = Position> {
    (-1000.0..1000.0f64, -1000.0..1000.0f64).prop_map(|(x, y)| Position { x, y })
}

/// One pipeline: producer → queue → consumer, maybe with a dead-letter queue.
fn pipeline(
    index: usize,
) -> impl Strategy<Value = (Vec<Component>, Vec<Connection>, Option<Alarm>)> {
    (
        queue_parameters(),
        producer_parameters(),
        consumer_parameters(),
        of(of(1u32..=1000)),
        (position(), position(), position()),
        any::<bool>(),
    )
        .prop_map(
            move |(mut queue, producer, consumer, dlq, (a, b, c), alarm)| {
                let (q, p, w, d) = (
                    format!("queue-{index}"),
                    format!("producer-{index}"),
                    format!("consumer-{index}"),
                    format!("dlq-{index}"),
                );
                let mut components = Vec::new();
                if let Some(max_receive_count) = dlq {
                    queue.redrive_policy = Some(RedrivePolicy {
                        dead_letter_target_arn: format!("arn:aws:sqs:eu-west-1:123456789012:{d}"),
                        max_receive_count,
                    });
                    components.push(Component::SqsQueue(Node {
                        id: d.clone(),
                        name: String::new(),
                        position: a,
                        parameters: QueueParameters {
                            redrive_allow_policy: Some(RedriveAllowPolicy {
                                redrive_permission: RedrivePermission::ByQueue,
                                source_queue_arns: vec![q.clone()],
                            }),
                            ..QueueParameters::default()
                        },
                    }));
                }
                components.push(Component::SqsQueue(Node {
                    id: q.clone(),
                    name: q.clone(),
                    position: a,
                    parameters: queue,
                }));
                components.push(Component::Producer(Node {
                    id: p.clone(),
                    name: format!("The producer {index}"),
                    position: b,
                    parameters: producer,
                }));
                components.push(Component::Consumer(Node {
                    id: w.clone(),
                    name: String::new(),
                    position: c,
                    parameters: consumer,
                }));
                let connections = vec![
                    Connection {
                        from: p,
                        to: q.clone(),
                        subscription: None,
                        event_source_mapping: None,
                    },
                    Connection {
                        from: q.clone(),
                        to: w,
                        subscription: None,
                        event_source_mapping: None,
                    },
                ];
                let alarm = alarm.then(|| Alarm {
                    alarm_name: format!("deep-{index}"),
                    component: q,
                    metric_name: "ApproximateNumberOfMessagesVisible".into(),
                    comparison_operator: ComparisonOperator::GreaterThanThreshold,
                    threshold: 100.0,
                    evaluation_periods: 3,
                });
                (components, connections, alarm)
            },
        )
}

fn retry_policy() -> impl Strategy<Value = HealthyRetryPolicy> {
    (
        1u32..=20,
        20u32..=600,
        of(prop_oneof![
            Just(BackoffFunction::Arithmetic),
            Just(BackoffFunction::Exponential),
            Just(BackoffFunction::Geometric),
            Just(BackoffFunction::Linear),
        ]),
        0u32..=3,
    )
        .prop_map(|(min, max, backoff, phase)| HealthyRetryPolicy {
            min_delay_target: Some(min),
            max_delay_target: Some(max),
            num_retries: Some(10),
            num_no_delay_retries: Some(phase),
            num_min_delay_retries: Some(phase),
            num_max_delay_retries: None,
            backoff_function: backoff,
        })
}

fn filter_policy() -> impl Strategy<Value = (serde_json::Value, Option<FilterPolicyScope>)> {
    prop_oneof![
        Just((
            serde_json::json!({"store": ["example_corp"], "price": [{"numeric": [">", 0, "<=", 150]}]}),
            None
        )),
        Just((
            serde_json::json!({"kind": [{"prefix": "order-"}, {"anything-but": "test"}]}),
            Some(FilterPolicyScope::MessageAttributes)
        )),
        Just((
            serde_json::json!({"order": {"total": [{"numeric": [">=", 100]}]}}),
            Some(FilterPolicyScope::MessageBody)
        )),
    ]
}

/// A fan-out: a producer publishes to a topic with a queue, an HTTP endpoint and (maybe) a
/// dead-letter queue, and keeps large bodies in an S3 bucket.
fn fanout(index: usize) -> impl Strategy<Value = (Vec<Component>, Vec<Connection>)> {
    (
        (
            of(of(retry_policy())),
            of(1u32..=100),
            of(filter_policy()),
            of(any::<bool>()),
            any::<bool>(),
        ),
        (
            of(prop_oneof![
                Just(EndpointKind::Http),
                Just(EndpointKind::Email),
                Just(EndpointKind::Sms),
                Just(EndpointKind::MobilePush),
                Just(EndpointKind::Firehose),
                Just(EndpointKind::Lambda),
            ]),
            of(distribution(2.0)),
            of(0.0..=1.0f64),
            of(0.0..=1.0f64),
            prop::collection::vec(
                (0.0..100.0f64, 0.1..100.0f64).prop_map(|(start, length)| DowntimeWindow {
                    start_seconds: start,
                    end_seconds: start + length,
                }),
                0..3,
            ),
        ),
        (
            prop::collection::vec(
                (
                    of(0.0..10.0f64),
                    "[a-z]{1,8}",
                    of("\\{\"n\": [0-9]{1,3}\\}"),
                )
                    .prop_map(|(weight, value, body)| MessageVariant {
                        weight,
                        attributes: vec![MessageAttribute {
                            name: "kind".into(),
                            data_type: "String".into(),
                            string_value: value,
                        }],
                        body,
                    }),
                0..3,
            ),
            any::<bool>(),
            any::<bool>(),
            position(),
        ),
    )
        .prop_map(
            move |(
                (topic_policy, throttle, filter, raw, dlq),
                (kind, latency, server, client, downtime),
                (variants, large, restricted, at),
            )| {
                let (t, p, q, e, d, b) = (
                    format!("topic-{index}"),
                    format!("publisher-{index}"),
                    format!("subscriber-{index}"),
                    format!("endpoint-{index}"),
                    format!("subscription-dlq-{index}"),
                    format!("bucket-{index}"),
                );
                let http = matches!(kind, None | Some(EndpointKind::Http));
                let mut components = vec![
                    Component::SnsTopic(Node {
                        id: t.clone(),
                        name: String::new(),
                        position: at,
                        parameters: TopicParameters {
                            fifo_topic: Some(false),
                            delivery_policy: topic_policy.map(|retry| TopicDeliveryPolicy {
                                http: TopicHttpDeliveryPolicy {
                                    default_healthy_retry_policy: retry,
                                    default_throttle_policy: throttle.map(|n| ThrottlePolicy {
                                        max_receives_per_second: Some(n),
                                    }),
                                },
                            }),
                            allowed_publishers: restricted.then(|| vec![p.clone()]),
                            ..TopicParameters::default()
                        },
                    }),
                    Component::Producer(Node {
                        id: p.clone(),
                        name: String::new(),
                        position: at,
                        parameters: ProducerParameters {
                            message: Some(MessageParameters {
                                variants,
                                extended_client_bucket: large.then(|| b.clone()),
                                ..MessageParameters::default()
                            }),
                            ..ProducerParameters::default()
                        },
                    }),
                    Component::SqsQueue(Node {
                        id: q.clone(),
                        name: String::new(),
                        position: at,
                        parameters: QueueParameters {
                            allowed_source_topics: restricted.then(|| vec![t.clone()]),
                            ..QueueParameters::default()
                        },
                    }),
                    Component::Endpoint(Node {
                        id: e.clone(),
                        name: String::new(),
                        position: at,
                        parameters: EndpointParameters {
                            endpoint_kind: kind,
                            latency,
                            server_error_probability: server,
                            client_error_probability: client,
                            downtime,
                        },
                    }),
                    Component::S3Bucket(Node {
                        id: b.clone(),
                        name: String::new(),
                        position: at,
                        parameters: BucketParameters::default(),
                    }),
                ];
                if dlq {
                    components.push(Component::SqsQueue(Node {
                        id: d.clone(),
                        name: String::new(),
                        position: at,
                        parameters: QueueParameters::default(),
                    }));
                }
                let (filter_policy, filter_policy_scope) = match filter {
                    Some((policy, scope)) => (Some(policy), scope),
                    None => (None, None),
                };
                let connections = vec![
                    Connection {
                        from: p,
                        to: t.clone(),
                        subscription: None,
                        event_source_mapping: None,
                    },
                    Connection {
                        event_source_mapping: None,
                        from: t.clone(),
                        to: q,
                        subscription: Some(Subscription {
                            protocol: Some(Protocol::Sqs),
                            filter_policy,
                            filter_policy_scope,
                            raw_message_delivery: raw,
                            delivery_policy: None,
                            redrive_policy: None,
                        }),
                    },
                    Connection {
                        event_source_mapping: None,
                        from: t,
                        to: e,
                        subscription: Some(Subscription {
                            protocol: http.then_some(Protocol::Https),
                            delivery_policy: http.then_some(SubscriptionDeliveryPolicy {
                                healthy_retry_policy: None,
                                throttle_policy: Some(ThrottlePolicy {
                                    max_receives_per_second: throttle,
                                }),
                            }),
                            redrive_policy: dlq.then_some(SubscriptionRedrivePolicy {
                                dead_letter_target_arn: d,
                            }),
                            ..Subscription::default()
                        }),
                    },
                ];
                (components, connections)
            },
        )
}

/// Expectations on the first pipeline (always there), judged within the first second.
fn expectation() -> impl Strategy<Value = Expectation> {
    use ExpectationMeasure as M;
    (
        0usize..8,
        0usize..5,
        0.0f64..1000.0,
        of(0.0f64..=1.0),
        any::<bool>(),
        "[a-z ]{0,12}",
    )
        .prop_map(|(measure, bound, threshold, by_seconds, whole, name)| {
            let measure = [
                M::QueueDepth,
                M::Redelivered,
                M::Sent,
                M::Deleted,
                M::MovedToDlq,
                M::LatencyP50Seconds,
                M::LatencyP99Seconds,
                M::CostUsd,
            ][measure];
            let component = match measure {
                M::CostUsd => None,
                M::LatencyP50Seconds | M::LatencyP99Seconds if !whole => {
                    Some("consumer-0".to_string())
                }
                M::QueueDepth => Some("queue-0".to_string()),
                _ if !whole => Some("queue-0".to_string()),
                _ => None,
            };
            let mut expectation = Expectation {
                name,
                measure,
                component,
                equals: None,
                at_most: None,
                at_least: None,
                below: None,
                above: None,
                by_seconds,
            };
            *[
                &mut expectation.equals,
                &mut expectation.at_most,
                &mut expectation.at_least,
                &mut expectation.below,
                &mut expectation.above,
            ][bound] = Some(threshold);
            expectation
        })
}

/// A queue drained by a Lambda function through an event source mapping, and a topic
/// invoking the same function asynchronously.
fn functions(index: usize) -> impl Strategy<Value = (Vec<Component>, Vec<Connection>)> {
    (
        (
            of(128u32..=10_240),
            of(1u32..=900),
            of(prop_oneof![
                Just(Architecture::X86_64),
                Just(Architecture::Arm64)
            ]),
            of(distribution(5.0)),
            of(0.0f64..=1.0),
            of(distribution(2.0)),
            of(0u32..=86_400),
        ),
        (
            of(0u32..=100),
            of(0u32..=2),
            of(60u32..=21_600),
            any::<bool>(),
            of(1u32..=10_000),
            of(2u32..=1_000),
            any::<bool>(),
        ),
    )
        .prop_map(
            move |(
                (memory, timeout, architecture, duration, error, init, keep_warm),
                (reserved, retries, age, to_queue, batch, concurrency, report),
            )| {
                let (q, f, t) = (
                    format!("fq{index}"),
                    format!("fn{index}"),
                    format!("ft{index}"),
                );
                let at = Position { x: 0.0, y: 0.0 };
                let node = |id: &String| (id.clone(), String::new(), at);
                let components = vec![
                    {
                        let (id, name, position) = node(&q);
                        Component::SqsQueue(Node {
                            id,
                            name,
                            position,
                            parameters: QueueParameters::default(),
                        })
                    },
                    {
                        let (id, name, position) = node(&t);
                        Component::SnsTopic(Node {
                            id,
                            name,
                            position,
                            parameters: TopicParameters::default(),
                        })
                    },
                    {
                        let (id, name, position) = node(&f);
                        Component::LambdaFunction(Node {
                            id,
                            name,
                            position,
                            parameters: LambdaParameters {
                                memory_size: memory,
                                timeout,
                                architecture,
                                duration,
                                error_probability: error,
                                init_duration: init,
                                keep_warm_seconds: keep_warm,
                                reserved_concurrent_executions: reserved,
                                maximum_retry_attempts: retries,
                                maximum_event_age_in_seconds: age,
                                destination_config: to_queue.then(|| DestinationConfig {
                                    on_failure: OnFailure {
                                        destination: q.clone(),
                                    },
                                }),
                                dead_letter_config: (!to_queue).then(|| DeadLetterConfig {
                                    target_arn: format!("arn:aws:sns:us-east-1:123456789012:{t}"),
                                }),
                            },
                        })
                    },
                ];
                let batch = batch.map(|b| b.min(10));
                let (c, a) = (format!("fc{index}"), format!("fa{index}"));
                let mut components = components;
                components.push(Component::ClientPopulation(Node {
                    id: c.clone(),
                    name: String::new(),
                    position: at,
                    parameters: ClientParameters {
                        clients: Some(10),
                        clients_with_api_key: Some(5),
                        rate_per_second: Some(2.0),
                        max_retries: retries,
                        backoff: Some(if report {
                            BackoffStrategy::ExponentialFullJitter
                        } else {
                            BackoffStrategy::Fixed
                        }),
                        timeout_seconds: Some(5.0),
                        ..ClientParameters::default()
                    },
                }));
                components.push(Component::ApiGateway(Node {
                    id: a.clone(),
                    name: String::new(),
                    position: at,
                    parameters: ApiParameters {
                        stage_throttle: concurrency.map(|rate| ThrottleSettings {
                            rate_limit: rate,
                            burst_limit: rate,
                        }),
                        api_key_required: Some(to_queue),
                        usage_plan: to_queue.then_some(UsagePlanSettings {
                            throttle: None,
                            quota: Some(QuotaSettings {
                                limit: 100,
                                period: QuotaPeriod::Day,
                            }),
                        }),
                        authorizer: reserved.map(|ttl| AuthorizerSettings {
                            r#type: AuthorizerType::Lambda,
                            deny_probability: Some(0.1),
                            latency: None,
                            authorizer_result_ttl_in_seconds: Some(ttl),
                        }),
                        ..ApiParameters::default()
                    },
                }));
                let connections = vec![
                    Connection {
                        from: c,
                        to: a.clone(),
                        subscription: None,
                        event_source_mapping: None,
                    },
                    Connection {
                        from: a,
                        to: q.clone(),
                        subscription: None,
                        event_source_mapping: None,
                    },
                    Connection {
                        from: q.clone(),
                        to: f.clone(),
                        subscription: None,
                        event_source_mapping: Some(EventSourceMapping {
                            batch_size: batch,
                            maximum_batching_window_in_seconds: None,
                            scaling_config: Some(ScalingConfig {
                                maximum_concurrency: concurrency,
                            }),
                            function_response_types: if report {
                                vec![FunctionResponseType::ReportBatchItemFailures]
                            } else {
                                Vec::new()
                            },
                        }),
                    },
                    Connection {
                        from: t,
                        to: f,
                        subscription: None,
                        event_source_mapping: None,
                    },
                ];
                (components, connections)
            },
        )
}

/// A fault on the first pipeline's consumer pool (every scenario has one).
fn fault() -> impl Strategy<Value = Fault> {
    (
        0.0..1000.0f64,
        0.001..1000.0f64,
        prop_oneof![
            Just(FaultEffect::Stop),
            Just(FaultEffect::Slow),
            Just(FaultEffect::Fail)
        ],
        of(0.01..=1.0f64),
        of(1.0..=1000.0f64),
    )
        .prop_map(|(start, duration, effect, share, factor)| Fault {
            component: "consumer-0".into(),
            effect,
            start_seconds: start,
            duration_seconds: duration,
            share: share.filter(|_| effect != FaultEffect::Slow),
            factor: factor.filter(|_| effect == FaultEffect::Slow),
        })
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        (
            prop::collection::vec(0usize..1, 1..4).prop_flat_map(|slots| {
                slots
                    .iter()
                    .enumerate()
                    .map(|(index, _)| pipeline(index))
                    .collect::<Vec<_>>()
            }),
            prop::collection::vec(0usize..1, 0..3).prop_flat_map(|slots| {
                slots
                    .iter()
                    .enumerate()
                    .map(|(index, _)| fanout(index))
                    .collect::<Vec<_>>()
            }),
            prop::collection::vec(0usize..1, 0..3).prop_flat_map(|slots| {
                slots
                    .iter()
                    .enumerate()
                    .map(|(index, _)| functions(index))
                    .collect::<Vec<_>>()
            }),
            of(1_000u32..=100_000),
        ),
        any::<u64>(),
        1u64..=31_536_000,
        prop_oneof![Just(LimitProfile::Current), Just(LimitProfile::Exam)],
        1u32..=86_400,
        any::<bool>(),
        (".{0,20}", prop::collection::vec(expectation(), 0..3)),
        prop::collection::vec(fault(), 0..3),
    )
        .prop_map(
            |(
                (pipelines, fanouts, functions, lambda_concurrency),
                seed,
                duration,
                profile,
                period,
                free_tier,
                (name, expectations),
                faults,
            )| {
                let mut scenario = Scenario {
                    version: 1,
                    name,
                    description: String::new(),
                    seed,
                    duration_seconds: duration,
                    limit_profile: profile,
                    metric_period_seconds: period,
                    free_tier,
                    account: Account {
                        lambda_concurrent_executions: lambda_concurrency,
                        api_gateway_throttle: None,
                        websocket_new_connections_per_second: None,
                    },
                    components: Vec::new(),
                    connections: Vec::new(),
                    alarms: Vec::new(),
                    expectations,
                    faults,
                };
                for (components, connections) in functions {
                    scenario.components.extend(components);
                    scenario.connections.extend(connections);
                }
                for (components, connections, alarm) in pipelines {
                    scenario.components.extend(components);
                    scenario.connections.extend(connections);
                    scenario.alarms.extend(alarm);
                }
                for (components, connections) in fanouts {
                    scenario.components.extend(components);
                    scenario.connections.extend(connections);
                }
                scenario
            },
        )
}

proptest! {
    #[test]
    fn random_valid_scenarios_survive_json(scenario in scenario()) {
        let issues = scenario.validate();
        prop_assert!(issues.is_empty(), "{:#?}", issues);
        let text = scenario.to_json_pretty();
        let again = Scenario::from_json(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&again, &scenario);
        prop_assert!(again.build().is_ok());
    }
}
