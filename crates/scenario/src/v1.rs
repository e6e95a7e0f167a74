//! The defaults of format version 1, frozen.
//!
//! A parameter left out of a v1 file takes the value written here, whatever the engine's
//! `Default` impls say later. The specs are written out field by field (no `..Default`), so a
//! new engine field fails to compile here until someone decides its v1 value.
//! `tests/it/v1_defaults.rs` pins every value.

use loosely_engine::{
    ApiSpec, ApiType, Backoff, ClientsSpec, EndpointType, Throttle, WsClientSpec,
};
use loosely_engine::{
    Architecture, Arrival, BackoffFunction, BucketSpec, ConsumerSpec, DedupIds, DeduplicationScope,
    DeleteMode, DeliveryPolicy, Distribution, EndpointKind, EndpointSpec, EventSourceMappingSpec,
    FifoThroughputLimit, FifoThroughputScope, FilterScope, GroupChoice, LambdaSpec,
    MessageTemplate, ProducerSpec, Protocol, QueueSpec, RedriveAllowPolicy, SimDuration,
    SubscriptionSpec, TopicSpec,
};

/// The format version this module describes.
pub const VERSION: u32 = 1;
pub const SEED: u64 = 1;
pub const DURATION_SECONDS: u64 = 3_600;
/// The longest run a scenario may ask for: one year.
pub const MAX_DURATION_SECONDS: u64 = 31_536_000;
pub const METRIC_PERIOD_SECONDS: u32 = 60;
/// `maxReceiveCount` of a `RedrivePolicy` that leaves it out (AWS: "Default: 10").
pub const MAX_RECEIVE_COUNT: u32 = 10;
pub const EVALUATION_PERIODS: u32 = 1;
/// Default `MaximumMessageSize` under the `exam` limit profile, whose largest message is
/// 256 KiB (the `current` default, 1 MiB, would be out of range there).
pub const EXAM_MAXIMUM_MESSAGE_SIZE: u32 = 262_144;
/// `share` of a `stop` or `fail` fault that leaves it out: the whole component.
pub const FAULT_SHARE: f64 = 1.0;
/// `factor` of a `slow` fault that leaves it out.
pub const FAULT_FACTOR: f64 = 2.0;
/// `weight` of a message variant that leaves it out.
pub const VARIANT_WEIGHT: f64 = 1.0;

pub(crate) fn seed() -> u64 {
    SEED
}

pub(crate) fn duration_seconds() -> u64 {
    DURATION_SECONDS
}

pub(crate) fn metric_period_seconds() -> u32 {
    METRIC_PERIOD_SECONDS
}

pub(crate) fn evaluation_periods() -> u32 {
    EVALUATION_PERIODS
}

/// A queue with every attribute at its v1 default (AWS's defaults).
pub fn queue() -> QueueSpec {
    QueueSpec {
        fifo_queue: false,
        visibility_timeout: 30,
        delay_seconds: 0,
        message_retention_period: 345_600,
        receive_message_wait_time_seconds: 0,
        maximum_message_size: 1_048_576,
        redrive_policy: None,
        redrive_allow_policy: RedriveAllowPolicy::AllowAll,
        content_based_deduplication: false,
        deduplication_scope: DeduplicationScope::Queue,
        fifo_throughput_limit: FifoThroughputLimit::PerQueue,
        sqs_managed_sse_enabled: true,
        kms_master_key_id: None,
        kms_data_key_reuse_period_seconds: 300,
        duplicate_delivery_probability: 0.0,
        reorder_probability: 0.0,
        allowed_source_topics: None,
    }
}

/// The message template of a producer that says nothing about its messages.
pub fn message() -> MessageTemplate {
    MessageTemplate {
        body_size: Distribution::Constant { value: 1_024.0 },
        attributes: Vec::new(),
        group_ids: Vec::new(),
        group_choice: GroupChoice::RoundRobin,
        dedup_ids: DedupIds::None,
        duplicate_share: 0.0,
        delay_seconds: None,
        variants: Vec::new(),
        extended_client_bucket: None,
    }
}

/// A producer with every parameter at its v1 default (target 0 until connected).
pub fn producer() -> ProducerSpec {
    ProducerSpec {
        target: 0,
        arrival: Arrival::Poisson,
        rate_per_second: 1.0,
        ramps: Vec::new(),
        spikes: Vec::new(),
        bursts: Vec::new(),
        start: SimDuration::ZERO,
        stop: None,
        total_count: None,
        batch_size: 1,
        template: message(),
    }
}

/// A consumer pool with every parameter at its v1 default (source 0 until connected).
pub fn consumer() -> ConsumerSpec {
    ConsumerSpec {
        source: 0,
        target: None,
        workers: 1,
        wait_time_seconds: None,
        max_number_of_messages: 1,
        visibility_timeout: None,
        processing_time: Distribution::Constant { value: 0.1 },
        failure_probability: 0.0,
        heartbeat: None,
        delete_mode: DeleteMode::PerMessage,
        empty_receive_pause: SimDuration::from_millis(100),
        auto_scaling: None,
    }
}

/// A topic with every attribute at its v1 default: standard, no delivery policy, every
/// producer may publish, no subscriptions until connected.
pub fn topic() -> TopicSpec {
    TopicSpec {
        fifo_topic: false,
        content_based_deduplication: false,
        fifo_throughput_scope: FifoThroughputScope::Topic,
        delivery_policy: None,
        allowed_publishers: None,
        subscriptions: Vec::new(),
    }
}

/// A subscription with every attribute at its v1 default (endpoint 0 and protocol `sqs` until
/// connected).
pub fn subscription() -> SubscriptionSpec {
    SubscriptionSpec {
        endpoint: 0,
        protocol: Protocol::Sqs,
        filter_policy: None,
        filter_policy_scope: FilterScope::MessageAttributes,
        raw_message_delivery: false,
        delivery_policy: None,
        dead_letter_queue: None,
    }
}

/// The protocol of a subscription to an endpoint that does not name one: the endpoint kind's
/// own (`application` for mobile push).
pub fn protocol_for(kind: EndpointKind) -> Protocol {
    match kind {
        EndpointKind::Http => Protocol::Http,
        EndpointKind::Email => Protocol::Email,
        EndpointKind::Sms => Protocol::Sms,
        EndpointKind::MobilePush => Protocol::Application,
        EndpointKind::Firehose => Protocol::Firehose,
        EndpointKind::Lambda => Protocol::Lambda,
    }
}

/// SNS's default HTTP/S delivery policy: 3 retries 20 seconds apart, linear, no throttling.
/// A policy in a file starts from these values and overrides the fields it names.
pub fn delivery_policy() -> DeliveryPolicy {
    DeliveryPolicy {
        min_delay_target: 20,
        max_delay_target: 20,
        num_retries: 3,
        num_no_delay_retries: 0,
        num_min_delay_retries: 0,
        num_max_delay_retries: 0,
        backoff_function: BackoffFunction::Linear,
        max_receives_per_second: None,
    }
}

/// An endpoint with every parameter at its v1 default: an HTTP server answering in 50 ms,
/// never failing, never down.
pub fn endpoint() -> EndpointSpec {
    EndpointSpec {
        kind: EndpointKind::Http,
        latency: Distribution::Constant { value: 0.05 },
        server_error_probability: 0.0,
        client_error_probability: 0.0,
    }
}

/// An S3 bucket: empty at the start.
pub fn bucket() -> BucketSpec {
    BucketSpec {
        objects: Vec::new(),
    }
}

/// The most objects a scenario may put in one bucket.
pub const BUCKET_MAX_OBJECTS: usize = 1_000;
/// The most bytes of content a scenario may put in one bucket (1 MiB), to keep share
/// links and checkpoints small.
pub const BUCKET_MAX_BYTES: usize = 1024 * 1024;
/// The longest object key S3 accepts, in bytes of UTF-8.
pub const OBJECT_KEY_MAX_BYTES: usize = 1024;

/// `Type` of a state machine: `STANDARD`.
pub const STATE_MACHINE_TYPE: loosely_engine::asl::ExecutionKind =
    loosely_engine::asl::ExecutionKind::Standard;
/// Memory an Express execution is billed for, MB.
pub const STATE_MACHINE_MEMORY_MB: u32 = 64;

/// Lambda's `ConcurrentExecutions` quota of an account that does not name one.
pub const LAMBDA_ACCOUNT_CONCURRENCY: u32 = 1_000;

/// A Lambda function with every parameter at its v1 default: 128 MB, 3 s timeout, x86_64,
/// a 100 ms handler that never fails, 250 ms cold starts, environments warm for 10 minutes,
/// no reservation, 2 asynchronous retries within 6 hours, no destination.
pub fn lambda() -> LambdaSpec {
    LambdaSpec {
        memory_size: 128,
        timeout: 3,
        architecture: Architecture::X86_64,
        duration: Distribution::Constant { value: 0.1 },
        error_probability: 0.0,
        init_duration: Distribution::Constant { value: 0.25 },
        keep_warm: SimDuration::from_secs(600),
        reserved_concurrent_executions: None,
        maximum_retry_attempts: 2,
        maximum_event_age_seconds: 21_600,
        on_failure: None,
        dead_letter: None,
        event_sources: Vec::new(),
        start_execution: None,
    }
}

/// An SQS event source mapping with every setting at its v1 default (AWS's): `BatchSize` 10,
/// no batching window, no `MaximumConcurrency`, no partial batch responses (source 0 until
/// connected).
pub fn event_source_mapping() -> EventSourceMappingSpec {
    EventSourceMappingSpec {
        source: 0,
        batch_size: 10,
        maximum_batching_window_seconds: 0,
        maximum_concurrency: None,
        report_batch_item_failures: false,
    }
}

/// API Gateway's account throttle of an account that does not name one: 10,000 requests per
/// second, burst 5,000.
pub const API_ACCOUNT_THROTTLE: Throttle = Throttle {
    rate_limit: 10_000,
    burst_limit: 5_000,
};
/// A Lambda authorizer that names no latency answers in 50 ms.
pub const AUTHORIZER_LATENCY: Distribution = Distribution::Constant { value: 0.05 };
/// `authorizerResultTtlInSeconds` of a Lambda authorizer that names none.
pub const AUTHORIZER_TTL_SECONDS: u32 = 300;
/// `EvaluationWindowSec` of a WAF rate-based rule that names none.
pub const WAF_EVALUATION_WINDOW_SECONDS: u32 = 300;

/// An API of `api_type` with every setting at its v1 default: edge-optimized (REST) or
/// Regional (HTTP, WebSocket), integration timeout 29 s (REST, WebSocket) or 30 s (HTTP), no
/// stage or method throttle, no API keys, no authorizer, no WAF (integration 0 until
/// connected).
pub fn api(api_type: ApiType) -> ApiSpec {
    let http = api_type == ApiType::Http;
    ApiSpec {
        api_type,
        endpoint_type: if api_type == ApiType::Rest {
            EndpointType::EdgeOptimized
        } else {
            EndpointType::Regional
        },
        integration: 0,
        integration_timeout_ms: if http { 30_000 } else { 29_000 },
        stage_throttle: None,
        method_throttle: None,
        api_key_required: false,
        usage_plan: None,
        authorizer: None,
        waf: None,
        vpc: None,
        websocket: None,
    }
}

/// `RouteSelectionExpression` of a WebSocket API that names none (the expression the API
/// Gateway console proposes and the developer guide uses).
pub const ROUTE_SELECTION_EXPRESSION: &str = "$request.body.action";
/// API Gateway's new WebSocket connections per second per account and Region (soft quota).
pub const WS_NEW_CONNECTIONS_PER_SECOND: u32 = 500;

/// What clients of a WebSocket API do by default: stay connected 30 minutes, all of them
/// talk, 1 KB messages carrying no action (they go to `$default`).
pub fn ws_clients() -> WsClientSpec {
    WsClientSpec {
        connection_seconds: Distribution::Constant { value: 1_800.0 },
        silent_clients: 0,
        message_bytes: 1_024,
        actions: Vec::new(),
    }
}

/// A client population with every parameter at its v1 default: 100 clients without API keys,
/// a 30 s timeout, 2 retries with exponential back-off and full jitter from 0.1 s to 20 s
/// (the AWS SDKs' standard mode); the traffic is a producer's default (target 0 until
/// connected).
pub fn clients() -> ClientsSpec {
    ClientsSpec {
        target: 0,
        clients: 100,
        clients_with_api_key: 0,
        load: Box::new(producer()),
        timeout: SimDuration::from_secs(30),
        max_retries: 2,
        backoff: Backoff::ExponentialFullJitter,
        backoff_base: SimDuration::from_millis(100),
        backoff_cap: SimDuration::from_secs(20),
        vpc: None,
        websocket: ws_clients(),
    }
}

/// An Application Load Balancer with every parameter at its v1 default: 2 instances serving
/// 10 requests each at once in a constant 50 ms, no errors, health checks answered in 5 ms;
/// AWS's health check defaults
/// (every 30 s, 5 s timeout, 5 passes to recover, 2 failures to leave, code 200); a 300 s
/// deregistration delay, a 60 s idle timeout, round robin; 2 KB per request and response.
pub fn load_balancer() -> loosely_engine::alb::LoadBalancerSpec {
    loosely_engine::alb::LoadBalancerSpec {
        instances: 2,
        instance_concurrency: 10,
        service_time: Distribution::Constant { value: 0.05 },
        error_probability: 0.0,
        health_check_latency: Distribution::Constant { value: 0.005 },
        health_check: loosely_engine::alb::HealthCheck {
            interval_seconds: 30,
            timeout_seconds: 5,
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            matcher: "200".to_string(),
            response_code: 200,
        },
        deregistration_delay_seconds: 300,
        idle_timeout_seconds: 60,
        algorithm: loosely_engine::alb::RoutingAlgorithm::RoundRobin,
        bytes_per_request: 2_048,
    }
}

/// `DefaultInstanceWarmup` and `DefaultCooldown` of an Auto Scaling group that names none:
/// 300 seconds each (AWS's defaults).
pub const AUTO_SCALING_WARMUP_SECONDS: u64 = 300;
pub const AUTO_SCALING_COOLDOWN_SECONDS: u64 = 300;
/// A compute environment of the given type with every other parameter at its v1 default.
pub fn compute_environment(
    resource_type: loosely_engine::batch::ComputeResourceType,
) -> loosely_engine::batch::ComputeEnvironmentSpec {
    use loosely_engine::batch::ComputeResourceType as T;
    let (vcpu_price, gb_price) = match resource_type {
        T::Ec2 => (0.048, 0.0),
        T::Spot => (0.0144, 0.0),
        T::Fargate => (0.040_48, 0.004_445),
        T::FargateSpot => (0.013_343_84, 0.001_464_89),
    };
    loosely_engine::batch::ComputeEnvironmentSpec {
        resource_type,
        min_vcpus: 0,
        max_vcpus: 256,
        instance_vcpus: 4,
        instance_memory_mib: 16_384,
        instance_launch: SimDuration::from_secs(180),
        container_start: SimDuration::from_secs(if resource_type.is_fargate() { 45 } else { 10 }),
        scale_in_after: SimDuration::from_secs(300),
        interruptions_per_hour: 0.0,
        price_per_vcpu_hour: vcpu_price,
        price_per_gb_hour: gb_price,
    }
}

/// The default compute environment type.
pub const COMPUTE_RESOURCE_TYPE: loosely_engine::batch::ComputeResourceType =
    loosely_engine::batch::ComputeResourceType::Fargate;

/// A job queue's v1 defaults (its compute environments come from its arrows).
pub fn job_queue() -> loosely_engine::batch::JobQueueSpec {
    loosely_engine::batch::JobQueueSpec {
        priority: 1,
        compute_environments: Vec::new(),
        job_definition: loosely_engine::batch::JobDefinitionSpec {
            vcpus: 1.0,
            memory_mib: 2_048,
            duration: Distribution::Constant { value: 60.0 },
            failure_probability: 0.0,
            attempts: 1,
            attempt_duration_seconds: None,
        },
        array_size: None,
        sequential_array: false,
        depends_on: loosely_engine::batch::JobDependency::None,
    }
}

/// An Amazon MQ broker's v1 defaults for an engine (its destinations, clients and failures
/// come from the file and its arrows).
pub fn broker(engine: loosely_engine::mq::BrokerEngine) -> loosely_engine::mq::BrokerSpec {
    use loosely_engine::mq;
    mq::BrokerSpec {
        engine,
        deployment_mode: mq::DeploymentMode::SingleInstance,
        instance_type: "mq.m5.large".into(),
        // mq.m5.large in us-east-1, per instance-hour.
        price_per_instance_hour: 0.288,
        vpc: "default".into(),
        queues: Vec::new(),
        virtual_topics: Vec::new(),
        exchanges: Vec::new(),
        // AWS documents "a short while" for a failure; 30 s stands for detection plus the
        // failover transport's reconnect.
        failover_delay: SimDuration::from_secs(30),
        max_redeliveries: match engine {
            mq::BrokerEngine::ActiveMq => mq::ACTIVEMQ_MAX_REDELIVERIES,
            mq::BrokerEngine::RabbitMq => mq::RABBITMQ_DELIVERY_LIMIT,
        },
        failures: Vec::new(),
        producers: Vec::new(),
        consumers: Vec::new(),
    }
}

/// A consumer pool's prefetch on a broker.
pub const MQ_PREFETCH_COUNT: u32 = 10;
/// A producer's share of `PERSISTENT` messages to a broker (JMS's default delivery mode).
pub const MQ_PERSISTENT_SHARE: f64 = 1.0;

/// An AppFlow flow's v1 defaults: Salesforce to S3 as CSV, `OnDemand`, 1,000 records a
/// snapshot, 10 changed a minute, 1 KiB records, the connector's page size, 250 ms per API
/// call, 20 s per run besides the calls, and two generated fields.
pub fn flow() -> loosely_engine::appflow::FlowSpec {
    use loosely_engine::appflow::{FieldSpec, FieldType, FlowSpec};
    FlowSpec {
        fields: vec![
            FieldSpec {
                name: "Amount".into(),
                field_type: FieldType::Number,
                min: 0.0,
                max: 10_000.0,
                null_share: 0.02,
                zero_share: 0.0,
                negative_share: 0.01,
                non_numeric_share: 0.01,
                choices: Vec::new(),
            },
            FieldSpec {
                name: "StageName".into(),
                field_type: FieldType::String,
                choices: ["Prospecting", "Negotiation", "Closed Won", "Closed Lost"]
                    .map(String::from)
                    .to_vec(),
                ..FieldSpec::default()
            },
        ],
        ..FlowSpec::default()
    }
}

/// Seconds over which an `Event` flow batches change events into one run.
pub const FLOW_EVENT_BATCH_SECONDS: u64 = 60;
/// A generated number field's range when the file names none.
pub const FLOW_FIELD_MIN: f64 = 0.0;
pub const FLOW_FIELD_MAX: f64 = 1_000.0;
