//! What a simulation is built from: components with their parameters, in AWS's units.
//!
//! The scenario crate lowers its JSON into these types; the engine checks them again with
//! [`Model::validate`] before it builds, so a bad model is an error, never a panic.

use crate::asl::{ExecutionKind, MockConfig, MockHandler, StateKind, StateMachine};
use crate::limits::{ranges, LimitProfile};
use crate::metrics::Metric;
use crate::rng::Distribution;
use crate::time::SimDuration;

/// Index of a component in [`Model::components`].
pub type ComponentId = usize;

/// Everything a simulation needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub seed: u64,
    pub limit_profile: LimitProfile,
    /// Length of one metric period (CloudWatch uses 60 s).
    pub metric_period: SimDuration,
    /// When false the cost meter charges from the first request; when true it subtracts the
    /// monthly free tier (1 million SQS requests).
    pub free_tier: bool,
    pub components: Vec<ComponentSpec>,
    pub alarms: Vec<AlarmSpec>,
    /// Lambda's `ConcurrentExecutions` quota of the account (per Region), shared by every
    /// function.
    pub lambda_account_concurrency: u32,
    /// API Gateway's account-level throttle (per Region), shared by every API.
    pub api_account_throttle: Throttle,
    /// API Gateway's new WebSocket connections per second (per account and Region), shared
    /// by every WebSocket API.
    pub ws_connect_rate: u32,
    /// The fault timeline: windows in which components stop, slow down or fail.
    pub faults: Vec<crate::fault::FaultSpec>,
}

impl Default for Model {
    fn default() -> Model {
        Model {
            seed: 1,
            limit_profile: LimitProfile::Current,
            metric_period: SimDuration::from_secs(60),
            free_tier: false,
            components: Vec::new(),
            alarms: Vec::new(),
            lambda_account_concurrency: lambda_limits::DEFAULT_ACCOUNT_CONCURRENCY,
            api_account_throttle: Throttle {
                rate_limit: api_limits::DEFAULT_ACCOUNT_RATE,
                burst_limit: api_limits::DEFAULT_ACCOUNT_BURST,
            },
            ws_connect_rate: api_limits::DEFAULT_WS_CONNECT_RATE,
            faults: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ComponentSpec {
    /// The name shown to people (a queue's `QueueName`).
    pub name: String,
    pub kind: ComponentKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ComponentKind {
    Queue(QueueSpec),
    Producer(ProducerSpec),
    Consumer(ConsumerSpec),
    Topic(TopicSpec),
    Endpoint(EndpointSpec),
    Bucket(BucketSpec),
    StateMachine(StateMachineSpec),
    Lambda(LambdaSpec),
    Api(ApiSpec),
    Clients(ClientsSpec),
    BatchComputeEnvironment(crate::batch::ComputeEnvironmentSpec),
    BatchJobQueue(crate::batch::JobQueueSpec),
    Broker(crate::mq::BrokerSpec),
    // Amazon AppFlow
    Flow(crate::appflow::FlowSpec),
    /// An Application Load Balancer and its target group of instances.
    LoadBalancer(crate::alb::LoadBalancerSpec),
}

impl ComponentKind {
    pub fn kind_name(&self) -> &'static str {
        match self {
            ComponentKind::Queue(spec) if spec.fifo_queue => "FIFO queue",
            ComponentKind::Queue(_) => "standard queue",
            ComponentKind::Producer(_) => "producer",
            ComponentKind::Consumer(_) => "consumer pool",
            ComponentKind::Topic(spec) if spec.fifo_topic => "FIFO topic",
            ComponentKind::Topic(_) => "SNS topic",
            ComponentKind::Endpoint(spec) => spec.kind.kind_name(),
            ComponentKind::Bucket(_) => "S3 bucket",
            ComponentKind::StateMachine(spec) if spec.kind == ExecutionKind::Express => {
                "Express state machine"
            }
            ComponentKind::StateMachine(_) => "Standard state machine",
            ComponentKind::Lambda(_) => "Lambda function",
            ComponentKind::Api(spec) if spec.api_type == ApiType::Http => "HTTP API",
            ComponentKind::Api(spec) if spec.api_type == ApiType::WebSocket => "WebSocket API",
            ComponentKind::Api(_) => "REST API",
            ComponentKind::Clients(_) => "client population",
            ComponentKind::BatchComputeEnvironment(_) => "Batch compute environment",
            ComponentKind::BatchJobQueue(_) => "Batch job queue",
            ComponentKind::Broker(_) => "Amazon MQ broker",
            ComponentKind::Flow(_) => "AppFlow flow",
            ComponentKind::LoadBalancer(_) => "Application Load Balancer",
        }
    }
}

/// An SQS queue: its attributes under their AWS names (`snake_case` here, `PascalCase` in
/// the scenario file), in AWS units.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueSpec {
    /// `FifoQueue`: create-only; the name must then end in `.fifo`.
    pub fifo_queue: bool,
    /// `VisibilityTimeout`, seconds, 0..=43200, default 30.
    pub visibility_timeout: u32,
    /// `DelaySeconds`, seconds, 0..=900, default 0.
    pub delay_seconds: u32,
    /// `MessageRetentionPeriod`, seconds, 60..=1209600, default 345600 (4 days).
    pub message_retention_period: u32,
    /// `ReceiveMessageWaitTimeSeconds`, seconds, 0..=20, default 0 (short polling).
    pub receive_message_wait_time_seconds: u32,
    /// `MaximumMessageSize`, bytes, 1024..=1048576, default 1048576.
    pub maximum_message_size: u32,
    /// `RedrivePolicy`: where messages go after too many receives.
    pub redrive_policy: Option<RedrivePolicy>,
    /// `RedriveAllowPolicy`: which source queues may use this queue as their DLQ.
    pub redrive_allow_policy: RedriveAllowPolicy,
    /// `ContentBasedDeduplication` (FIFO only): the SHA-256 of the body is the dedup id.
    pub content_based_deduplication: bool,
    /// `DeduplicationScope` (FIFO only).
    pub deduplication_scope: DeduplicationScope,
    /// `FifoThroughputLimit` (FIFO only).
    pub fifo_throughput_limit: FifoThroughputLimit,
    /// `SqsManagedSseEnabled`: encryption at rest with SQS-owned keys (shown, not simulated).
    pub sqs_managed_sse_enabled: bool,
    /// `KmsMasterKeyId`: encryption at rest with a KMS key (shown, not simulated).
    pub kms_master_key_id: Option<String>,
    /// `KmsDataKeyReusePeriodSeconds`, 60..=86400, default 300 (shown, not simulated).
    pub kms_data_key_reuse_period_seconds: u32,
    /// Simulation knob (standard queues): the chance that a `DeleteMessage` misses a replica,
    /// so the message is delivered again after its visibility timeout (at-least-once).
    pub duplicate_delivery_probability: f64,
    /// Simulation knob (standard queues): the chance that a sent message overtakes some of the
    /// messages sent just before it (best-effort ordering).
    pub reorder_probability: f64,
    /// The queue's access policy, simplified: which SNS topics may send to it. None allows
    /// every topic of the scenario (one account).
    pub allowed_source_topics: Option<Vec<ComponentId>>,
}

impl Default for QueueSpec {
    fn default() -> QueueSpec {
        QueueSpec {
            fifo_queue: false,
            visibility_timeout: ranges::DEFAULT_VISIBILITY_TIMEOUT,
            delay_seconds: 0,
            message_retention_period: ranges::DEFAULT_MESSAGE_RETENTION_PERIOD,
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
}

impl QueueSpec {
    /// High-throughput FIFO mode: `DeduplicationScope=messageGroup` and
    /// `FifoThroughputLimit=perMessageGroupId`.
    pub fn high_throughput(&self) -> bool {
        self.fifo_queue
            && self.deduplication_scope == DeduplicationScope::MessageGroup
            && self.fifo_throughput_limit == FifoThroughputLimit::PerMessageGroupId
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RedrivePolicy {
    /// `deadLetterTargetArn`: the dead-letter queue.
    pub dead_letter_target: ComponentId,
    /// `maxReceiveCount`, 1..=1000.
    pub max_receive_count: u32,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub enum RedriveAllowPolicy {
    #[default]
    AllowAll,
    DenyAll,
    ByQueue(Vec<ComponentId>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DeduplicationScope {
    #[default]
    Queue,
    MessageGroup,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FifoThroughputLimit {
    #[default]
    PerQueue,
    PerMessageGroupId,
}

/// How a producer spaces its sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Arrival {
    /// Evenly spaced sends.
    Constant,
    /// Exponential gaps (a Poisson process); the first send comes one gap after the start.
    #[default]
    Poisson,
}

/// A linear change of a producer's rate: from `from_rate` at `start` to `to_rate` at `end`;
/// the rate stays at `to_rate` afterwards.
#[derive(Clone, Debug, PartialEq)]
pub struct Ramp {
    pub start: SimDuration,
    pub end: SimDuration,
    pub from_rate: f64,
    pub to_rate: f64,
}

/// A window in which the producer sends at `rate_per_second` instead of its normal rate.
#[derive(Clone, Debug, PartialEq)]
pub struct Spike {
    pub start: SimDuration,
    pub duration: SimDuration,
    pub rate_per_second: f64,
}

/// `count` messages sent all at once at `at`.
#[derive(Clone, Debug, PartialEq)]
pub struct Burst {
    pub at: SimDuration,
    pub count: u32,
}

/// How a producer picks a `MessageGroupId` from its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GroupChoice {
    #[default]
    RoundRobin,
    Random,
}

/// How a producer sets `MessageDeduplicationId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DedupIds {
    /// No explicit id (FIFO queues then need `ContentBasedDeduplication`).
    #[default]
    None,
    /// A fresh id per message (a deliberate duplicate repeats the original's id).
    Unique,
}

/// A message attribute as SQS carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageAttribute {
    pub name: String,
    /// `String`, `Number` or `Binary`, optionally with a custom suffix (`Number.int`).
    pub data_type: String,
    pub value: String,
}

/// What each message of a producer looks like.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageTemplate {
    /// Body size in bytes.
    pub body_size: Distribution,
    pub attributes: Vec<MessageAttribute>,
    /// `MessageGroupId`s to use (required for FIFO queues; turns on fair queues on standard).
    pub group_ids: Vec<String>,
    pub group_choice: GroupChoice,
    pub dedup_ids: DedupIds,
    /// Share of sends that deliberately repeat the previous message (same body and dedup id).
    pub duplicate_share: f64,
    /// Per-message `DelaySeconds` (standard queues only).
    pub delay_seconds: Option<u32>,
    /// Kinds of message the producer sends, picked by weight; each adds attributes and may
    /// carry a JSON body (for filter policies on attributes or on the body).
    pub variants: Vec<MessageVariant>,
    /// The extended client library: bodies above the service's limit go to this bucket and a
    /// pointer is sent instead (up to 2 GB).
    pub extended_client_bucket: Option<ComponentId>,
}

/// One kind of message of a producer.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageVariant {
    /// Relative weight of this kind among the producer's variants.
    pub weight: f64,
    pub attributes: Vec<MessageAttribute>,
    /// The body text; when set its length is the body size.
    pub body: Option<String>,
}

impl Default for MessageTemplate {
    fn default() -> MessageTemplate {
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
}

/// A source of messages sent to one queue.
#[derive(Clone, Debug, PartialEq)]
pub struct ProducerSpec {
    /// The queue it sends to.
    pub target: ComponentId,
    pub arrival: Arrival,
    /// Messages per second outside ramps and spikes.
    pub rate_per_second: f64,
    pub ramps: Vec<Ramp>,
    pub spikes: Vec<Spike>,
    pub bursts: Vec<Burst>,
    /// When the producer starts sending.
    pub start: SimDuration,
    /// When it stops (None: never).
    pub stop: Option<SimDuration>,
    /// Stop after this many messages (None: no limit).
    pub total_count: Option<u64>,
    /// Messages per send call: 1 is `SendMessage`, 2..=10 is `SendMessageBatch`.
    pub batch_size: u32,
    pub template: MessageTemplate,
}

impl Default for ProducerSpec {
    fn default() -> ProducerSpec {
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
            template: MessageTemplate::default(),
        }
    }
}

/// When a consumer deletes what it processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DeleteMode {
    /// `DeleteMessage` after each message.
    #[default]
    PerMessage,
    /// One `DeleteMessageBatch` after the whole batch.
    PerBatch,
}

/// Keeping a message invisible while it is being worked on.
#[derive(Clone, Debug, PartialEq)]
pub struct Heartbeat {
    /// Seconds between `ChangeMessageVisibility` calls.
    pub interval_seconds: u32,
    /// The new `VisibilityTimeout` each call sets, counted from the call.
    pub visibility_timeout: u32,
}

/// A pool of workers that each loop: receive, process one message after another, delete.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerSpec {
    /// The queue it reads.
    pub source: ComponentId,
    /// A state machine the pool starts one execution for per message (as an EventBridge
    /// Pipe does); None: the pool only processes and deletes.
    pub target: Option<ComponentId>,
    pub workers: u32,
    /// `WaitTimeSeconds` of each receive; None uses the queue's `ReceiveMessageWaitTimeSeconds`.
    pub wait_time_seconds: Option<u32>,
    /// `MaxNumberOfMessages`, 1..=10.
    pub max_number_of_messages: u32,
    /// `VisibilityTimeout` of each receive; None uses the queue's.
    pub visibility_timeout: Option<u32>,
    /// Seconds to process one message.
    pub processing_time: Distribution,
    /// Chance that processing a message fails: it is not deleted and comes back.
    pub failure_probability: f64,
    pub heartbeat: Option<Heartbeat>,
    pub delete_mode: DeleteMode,
    /// Pause after a receive that returned nothing without waiting (short polling, throttling),
    /// standing for the client's loop and round trip.
    pub empty_receive_pause: SimDuration,
    /// An Auto Scaling group that sets `workers` from a queue metric.
    pub auto_scaling: Option<crate::autoscaling::AutoScalingSpec>,
}

impl Default for ConsumerSpec {
    fn default() -> ConsumerSpec {
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
}

/// CloudWatch comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
}

impl Comparison {
    pub fn breached(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => value >= threshold,
            Comparison::GreaterThanThreshold => value > threshold,
            Comparison::LessThanThreshold => value < threshold,
            Comparison::LessThanOrEqualToThreshold => value <= threshold,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            Comparison::GreaterThanThreshold => "GreaterThanThreshold",
            Comparison::LessThanThreshold => "LessThanThreshold",
            Comparison::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
        }
    }
}

/// A CloudWatch-style alarm on one metric of one component.
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmSpec {
    pub name: String,
    pub component: ComponentId,
    pub metric: Metric,
    pub comparison: Comparison,
    pub threshold: f64,
    /// Consecutive breaching periods before the alarm fires, 1..=100.
    pub evaluation_periods: u32,
}

/// One problem in a model: which component (if any), which field (named as in the scenario
/// file), and a sentence with the value and the allowed range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelIssue {
    pub component: Option<ComponentId>,
    /// `None` for component-level issues, `Some(alarm index)` for alarms.
    pub alarm: Option<usize>,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for ModelIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.component, self.alarm) {
            (_, Some(alarm)) => write!(f, "alarms[{alarm}].{}: {}", self.field, self.message),
            (Some(component), None) => {
                write!(
                    f,
                    "components[{component}].{}: {}",
                    self.field, self.message
                )
            }
            (None, None) => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

struct Issues {
    list: Vec<ModelIssue>,
    component: Option<ComponentId>,
}

impl Issues {
    fn push(&mut self, field: &str, message: String) {
        self.list.push(ModelIssue {
            component: self.component,
            alarm: None,
            field: field.to_string(),
            message,
        });
    }

    fn range_u32(
        &mut self,
        field: &str,
        value: u32,
        range: std::ops::RangeInclusive<u32>,
        unit: &str,
    ) {
        if !range.contains(&value) {
            self.push(
                field,
                format!(
                    "{value} is outside {}..={}{unit}",
                    range.start(),
                    range.end()
                ),
            );
        }
    }

    fn probability(&mut self, field: &str, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.push(field, format!("{value} is outside 0..=1"));
        }
    }

    fn rate(&mut self, field: &str, value: f64) {
        if !ranges::PRODUCER_RATE.contains(&value) {
            self.push(
                field,
                format!(
                    "{value} is outside {}..={} messages per second",
                    ranges::PRODUCER_RATE.start(),
                    ranges::PRODUCER_RATE.end()
                ),
            );
        }
    }
}

/// Characters allowed in `MessageGroupId` and `MessageDeduplicationId`: letters, digits and
/// printable ASCII punctuation.
pub fn valid_group_or_dedup_id(id: &str) -> bool {
    ranges::GROUP_OR_DEDUP_ID_LENGTH.contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b.is_ascii_punctuation())
}

/// A queue name: 1 to 80 characters of `[A-Za-z0-9_-]`, plus the `.fifo` suffix on FIFO queues.
pub fn queue_name_problem(name: &str, fifo: bool) -> Option<String> {
    let stem = match (fifo, name.strip_suffix(".fifo")) {
        (true, Some(stem)) => stem,
        (true, None) => return Some(format!("\"{name}\": a FIFO queue's name must end in .fifo")),
        (false, Some(_)) => {
            return Some(format!(
                "\"{name}\": only a FIFO queue's name may end in .fifo (set FifoQueue to true)"
            ))
        }
        (false, None) => name,
    };
    if !ranges::QUEUE_NAME_LENGTH.contains(&name.chars().count()) {
        return Some(format!(
            "\"{name}\" is {} characters long; a queue name has 1..=80 characters",
            name.chars().count()
        ));
    }
    if stem.is_empty()
        || !stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Some(format!(
            "\"{name}\": a queue name may only contain letters, digits, hyphens and underscores"
        ));
    }
    None
}

impl Model {
    /// A component as a sentence names it: `"orders" (a standard queue)`, or a note that the
    /// index does not exist.
    pub fn describe(&self, id: ComponentId) -> String {
        match self.components.get(id) {
            Some(component) => format!("\"{}\" (a {})", component.name, component.kind.kind_name()),
            None => format!("component #{id}, which does not exist"),
        }
    }

    /// Every problem in the model; empty when it can be built.
    pub fn validate(&self) -> Vec<ModelIssue> {
        let mut issues = Issues {
            list: Vec::new(),
            component: None,
        };
        let limits = self.limit_profile.limits();
        if self.metric_period.as_micros() < 1_000_000
            || self.metric_period.as_micros() > 86_400_000_000
        {
            issues.push(
                "metric_period",
                format!(
                    "{} s is outside 1..=86400 seconds",
                    self.metric_period.as_secs_f64()
                ),
            );
        }
        if !lambda_limits::ACCOUNT_CONCURRENCY.contains(&self.lambda_account_concurrency) {
            issues.push(
                "lambda_account_concurrency",
                format!(
                    "{} is outside {}..={} concurrent executions",
                    self.lambda_account_concurrency,
                    lambda_limits::ACCOUNT_CONCURRENCY.start(),
                    lambda_limits::ACCOUNT_CONCURRENCY.end()
                ),
            );
        }
        for (field, value, range) in [
            (
                "api_account_throttle.rateLimit",
                self.api_account_throttle.rate_limit,
                api_limits::RATE,
            ),
            (
                "api_account_throttle.burstLimit",
                self.api_account_throttle.burst_limit,
                api_limits::BURST,
            ),
            (
                "ws_connect_rate",
                self.ws_connect_rate,
                api_limits::WS_CONNECT_RATE,
            ),
        ] {
            issues.range_u32(field, value, range, "");
        }
        let reserved: u64 = self
            .components
            .iter()
            .filter_map(|c| match &c.kind {
                ComponentKind::Lambda(spec) => spec.reserved_concurrent_executions,
                _ => None,
            })
            .map(u64::from)
            .sum();
        let reservable = u64::from(
            self.lambda_account_concurrency
                .saturating_sub(lambda_limits::MINIMUM_UNRESERVED),
        );
        if reserved > reservable {
            issues.push(
                "lambda_account_concurrency",
                format!(
                    "the functions reserve {reserved} concurrent executions together; at most {reservable} of the account's {} can be reserved (Lambda keeps {} unreserved)",
                    self.lambda_account_concurrency,
                    lambda_limits::MINIMUM_UNRESERVED
                ),
            );
        }
        let queue_of = |id: ComponentId| match self.components.get(id).map(|c| &c.kind) {
            Some(ComponentKind::Queue(spec)) => Some(spec),
            _ => None,
        };
        let topic_of = |id: ComponentId| match self.components.get(id).map(|c| &c.kind) {
            Some(ComponentKind::Topic(spec)) => Some(spec),
            _ => None,
        };
        for (index, component) in self.components.iter().enumerate() {
            issues.component = Some(index);
            match &component.kind {
                ComponentKind::Queue(spec) => {
                    if let Some(problem) = queue_name_problem(&component.name, spec.fifo_queue) {
                        issues.push("name", problem);
                    }
                    issues.range_u32(
                        "VisibilityTimeout",
                        spec.visibility_timeout,
                        ranges::VISIBILITY_TIMEOUT,
                        " seconds",
                    );
                    issues.range_u32(
                        "DelaySeconds",
                        spec.delay_seconds,
                        ranges::DELAY_SECONDS,
                        " seconds",
                    );
                    issues.range_u32(
                        "MessageRetentionPeriod",
                        spec.message_retention_period,
                        ranges::MESSAGE_RETENTION_PERIOD,
                        " seconds",
                    );
                    issues.range_u32(
                        "ReceiveMessageWaitTimeSeconds",
                        spec.receive_message_wait_time_seconds,
                        ranges::RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
                        " seconds",
                    );
                    let size_range =
                        *ranges::MAXIMUM_MESSAGE_SIZE.start()..=limits.sqs_max_message_size;
                    issues.range_u32(
                        "MaximumMessageSize",
                        spec.maximum_message_size,
                        size_range,
                        " bytes",
                    );
                    issues.range_u32(
                        "KmsDataKeyReusePeriodSeconds",
                        spec.kms_data_key_reuse_period_seconds,
                        ranges::KMS_DATA_KEY_REUSE_PERIOD_SECONDS,
                        " seconds",
                    );
                    issues.probability(
                        "DuplicateDeliveryProbability",
                        spec.duplicate_delivery_probability,
                    );
                    issues.probability("ReorderProbability", spec.reorder_probability);
                    if spec.fifo_queue && spec.duplicate_delivery_probability > 0.0 {
                        issues.push(
                            "DuplicateDeliveryProbability",
                            "a FIFO queue delivers exactly once; duplicates only apply to standard queues".into(),
                        );
                    }
                    if spec.fifo_queue && spec.reorder_probability > 0.0 {
                        issues.push(
                            "ReorderProbability",
                            "a FIFO queue keeps strict order per group; reordering only applies to standard queues".into(),
                        );
                    }
                    if !spec.fifo_queue {
                        if spec.content_based_deduplication {
                            issues.push(
                                "ContentBasedDeduplication",
                                "only FIFO queues deduplicate".into(),
                            );
                        }
                        if spec.deduplication_scope != DeduplicationScope::Queue {
                            issues.push(
                                "DeduplicationScope",
                                "only FIFO queues have a deduplication scope".into(),
                            );
                        }
                        if spec.fifo_throughput_limit != FifoThroughputLimit::PerQueue {
                            issues.push(
                                "FifoThroughputLimit",
                                "only FIFO queues have a throughput limit".into(),
                            );
                        }
                    } else if spec.fifo_throughput_limit == FifoThroughputLimit::PerMessageGroupId
                        && spec.deduplication_scope != DeduplicationScope::MessageGroup
                    {
                        issues.push(
                            "FifoThroughputLimit",
                            "perMessageGroupId is only allowed with DeduplicationScope messageGroup".into(),
                        );
                    }
                    if spec.kms_master_key_id.is_some() && spec.sqs_managed_sse_enabled {
                        issues.push(
                            "SqsManagedSseEnabled",
                            "a queue has one server-side encryption: SqsManagedSseEnabled and KmsMasterKeyId cannot both be set".into(),
                        );
                    }
                    if let Some(policy) = &spec.redrive_policy {
                        issues.range_u32(
                            "RedrivePolicy.maxReceiveCount",
                            policy.max_receive_count,
                            ranges::MAX_RECEIVE_COUNT,
                            "",
                        );
                        match queue_of(policy.dead_letter_target) {
                            None => issues.push(
                                "RedrivePolicy.deadLetterTargetArn",
                                format!("{} is not a queue", self.describe(policy.dead_letter_target)),
                            ),
                            Some(_) if policy.dead_letter_target == index => issues.push(
                                "RedrivePolicy.deadLetterTargetArn",
                                "a queue cannot be its own dead-letter queue".into(),
                            ),
                            Some(dlq) if dlq.fifo_queue != spec.fifo_queue => issues.push(
                                "RedrivePolicy.deadLetterTargetArn",
                                format!(
                                    "the dead-letter queue of a {} queue must be a {} queue too",
                                    if spec.fifo_queue { "FIFO" } else { "standard" },
                                    if spec.fifo_queue { "FIFO" } else { "standard" }
                                ),
                            ),
                            Some(dlq) => match &dlq.redrive_allow_policy {
                                RedriveAllowPolicy::AllowAll => {}
                                RedriveAllowPolicy::DenyAll => issues.push(
                                    "RedrivePolicy.deadLetterTargetArn",
                                    "the dead-letter queue's RedriveAllowPolicy is denyAll".into(),
                                ),
                                RedriveAllowPolicy::ByQueue(sources) if !sources.contains(&index) => issues.push(
                                    "RedrivePolicy.deadLetterTargetArn",
                                    "the dead-letter queue's RedriveAllowPolicy (byQueue) does not list this queue".into(),
                                ),
                                RedriveAllowPolicy::ByQueue(_) => {}
                            },
                        }
                    }
                    if let RedriveAllowPolicy::ByQueue(sources) = &spec.redrive_allow_policy {
                        if sources.len() > 10 {
                            issues.push(
                                "RedriveAllowPolicy.sourceQueueArns",
                                format!("{} queues listed; at most 10", sources.len()),
                            );
                        }
                    }
                }
                ComponentKind::Producer(spec) => {
                    let target = queue_of(spec.target);
                    let topic = topic_of(spec.target);
                    let machine = matches!(
                        self.components.get(spec.target).map(|c| &c.kind),
                        Some(
                            ComponentKind::StateMachine(_)
                                | ComponentKind::BatchJobQueue(_)
                                | ComponentKind::Broker(_)
                        )
                    );
                    if target.is_none() && topic.is_none() && !machine {
                        issues.push(
                            "target",
                            format!(
                                "{} is not a queue, a topic or a state machine",
                                self.describe(spec.target)
                            ),
                        );
                    }
                    if let Some(topic) = topic {
                        if topic.fifo_topic && spec.template.group_ids.is_empty() {
                            issues.push(
                                "message.group_ids",
                                "the target is a FIFO topic: every message needs a MessageGroupId"
                                    .into(),
                            );
                        }
                        if topic.fifo_topic
                            && !topic.content_based_deduplication
                            && spec.template.dedup_ids == DedupIds::None
                        {
                            issues.push(
                                "message.dedup_ids",
                                "the target FIFO topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly".into(),
                            );
                        }
                        if spec.template.delay_seconds.is_some() {
                            issues.push(
                                "message.DelaySeconds",
                                "SNS has no per-message delay; delays belong to SQS queues".into(),
                            );
                        }
                    }
                    if let Some(bucket) = spec.template.extended_client_bucket {
                        if !matches!(
                            self.components.get(bucket).map(|c| &c.kind),
                            Some(ComponentKind::Bucket(_))
                        ) {
                            issues.push(
                                "message.extended_client_bucket",
                                format!("{} is not an S3 bucket", self.describe(bucket)),
                            );
                        }
                    }
                    for (i, variant) in spec.template.variants.iter().enumerate() {
                        if !(variant.weight.is_finite() && variant.weight >= 0.0) {
                            issues.push(
                                &format!("message.variants[{i}].weight"),
                                format!("{} must be a finite number >= 0", variant.weight),
                            );
                        }
                        for (j, attribute) in variant.attributes.iter().enumerate() {
                            if let Some(problem) = attribute_problem(attribute) {
                                issues.push(
                                    &format!("message.variants[{i}].attributes[{j}]"),
                                    problem,
                                );
                            }
                        }
                        if spec.template.attributes.len() + variant.attributes.len() > 10 {
                            issues.push(
                                &format!("message.variants[{i}].attributes"),
                                format!(
                                    "{} attributes with the common ones; a message has at most 10",
                                    spec.template.attributes.len() + variant.attributes.len()
                                ),
                            );
                        }
                    }
                    validate_load(spec, &mut issues);
                    issues.range_u32(
                        "batch_size",
                        spec.batch_size,
                        1..=limits.max_batch_entries,
                        " messages",
                    );
                    if let Err(problem) = spec.template.body_size.check() {
                        issues.push("message.body_size", problem);
                    }
                    issues.probability("message.duplicate_share", spec.template.duplicate_share);
                    if spec.template.attributes.len() > 10 {
                        issues.push(
                            "message.attributes",
                            format!(
                                "{} attributes; a message has at most 10",
                                spec.template.attributes.len()
                            ),
                        );
                    }
                    for (i, attribute) in spec.template.attributes.iter().enumerate() {
                        if let Some(problem) = attribute_problem(attribute) {
                            issues.push(&format!("message.attributes[{i}]"), problem);
                        }
                    }
                    for (i, group) in spec.template.group_ids.iter().enumerate() {
                        if !valid_group_or_dedup_id(group) {
                            issues.push(
                                &format!("message.group_ids[{i}]"),
                                format!("\"{group}\": MessageGroupId can only include alphanumeric and punctuation characters, 1 to 128 in length"),
                            );
                        }
                    }
                    if let Some(delay) = spec.template.delay_seconds {
                        issues.range_u32(
                            "message.DelaySeconds",
                            delay,
                            ranges::DELAY_SECONDS,
                            " seconds",
                        );
                        if target.is_some_and(|queue| queue.fifo_queue) {
                            issues.push(
                                "message.DelaySeconds",
                                "FIFO queues do not support per-message DelaySeconds; set the queue's DelaySeconds".into(),
                            );
                        }
                    }
                    if let Some(queue) = target {
                        if queue.fifo_queue && spec.template.group_ids.is_empty() {
                            issues.push(
                                "message.group_ids",
                                "the target is a FIFO queue: every message needs a MessageGroupId"
                                    .into(),
                            );
                        }
                        if queue.fifo_queue
                            && !queue.content_based_deduplication
                            && spec.template.dedup_ids == DedupIds::None
                        {
                            issues.push(
                                "message.dedup_ids",
                                "the target FIFO queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly".into(),
                            );
                        }
                    }
                }
                ComponentKind::Topic(spec) => {
                    if let Some(problem) = topic_name_problem(&component.name, spec.fifo_topic) {
                        issues.push("name", problem);
                    }
                    if !spec.fifo_topic && spec.content_based_deduplication {
                        issues.push(
                            "ContentBasedDeduplication",
                            "only FIFO topics deduplicate".into(),
                        );
                    }
                    if let Some(policy) = &spec.delivery_policy {
                        for (field, problem) in
                            crate::sns_delivery::delivery_policy_problems(policy)
                        {
                            issues.push(&format!("DeliveryPolicy.{field}"), problem);
                        }
                    }
                    for (i, publisher) in spec.allowed_publishers.iter().flatten().enumerate() {
                        if !matches!(
                            self.components.get(*publisher).map(|c| &c.kind),
                            Some(ComponentKind::Producer(_))
                        ) {
                            issues.push(
                                &format!("allowed_publishers[{i}]"),
                                format!("{} is not a producer", self.describe(*publisher)),
                            );
                        }
                    }
                    for (i, sub) in spec.subscriptions.iter().enumerate() {
                        let field = |name: &str| format!("subscriptions[{i}].{name}");
                        let endpoint = self.components.get(sub.endpoint).map(|c| &c.kind);
                        match (sub.protocol, endpoint) {
                            (Protocol::Sqs, Some(ComponentKind::Queue(queue))) => {
                                if queue.fifo_queue && !spec.fifo_topic {
                                    issues.push(
                                        &field("Endpoint"),
                                        "a FIFO queue can only subscribe to a FIFO topic".into(),
                                    );
                                }
                                // A queue policy that does not allow this topic is not a
                                // configuration error: deliveries fail as client errors.
                            }
                            (Protocol::Sqs, _) => issues.push(
                                &field("Endpoint"),
                                format!(
                                    "protocol sqs needs an SQS queue; {} is not one",
                                    self.describe(sub.endpoint)
                                ),
                            ),
                            (protocol, Some(ComponentKind::Endpoint(node)))
                                if node.kind.accepts(protocol) => {}
                            (Protocol::Lambda, Some(ComponentKind::Lambda(_))) => {}
                            (protocol, Some(kind)) => issues.push(
                                &field("Protocol"),
                                format!(
                                    "protocol {} cannot deliver to a {}",
                                    protocol.as_str(),
                                    kind.kind_name()
                                ),
                            ),
                            (_, None) => {
                                issues.push(&field("Endpoint"), self.describe(sub.endpoint))
                            }
                        }
                        if spec.fifo_topic && sub.protocol != Protocol::Sqs {
                            issues.push(
                                &field("Protocol"),
                                format!(
                                    "a FIFO topic delivers only to SQS queues, not over {}",
                                    sub.protocol.as_str()
                                ),
                            );
                        }
                        if sub.raw_message_delivery && !sub.protocol.supports_raw_delivery() {
                            issues.push(
                                &field("RawMessageDelivery"),
                                format!("raw message delivery is for sqs, http, https and firehose, not {}", sub.protocol.as_str()),
                            );
                        }
                        if let Some(policy) = &sub.delivery_policy {
                            if sub.protocol.retry_class() != RetryClass::Http {
                                issues.push(
                                    &field("DeliveryPolicy"),
                                    format!(
                                        "only HTTP/S subscriptions take a delivery policy, not {}",
                                        sub.protocol.as_str()
                                    ),
                                );
                            }
                            for (name, problem) in
                                crate::sns_delivery::delivery_policy_problems(policy)
                            {
                                issues.push(&field(&format!("DeliveryPolicy.{name}")), problem);
                            }
                        }
                        if let Some(text) = &sub.filter_policy {
                            let scope = match sub.filter_policy_scope {
                                FilterScope::MessageAttributes => {
                                    crate::sns_filter::FilterPolicyScope::MessageAttributes
                                }
                                FilterScope::MessageBody => {
                                    crate::sns_filter::FilterPolicyScope::MessageBody
                                }
                            };
                            if let Err(error) = crate::sns_filter::FilterPolicy::parse(text, scope)
                            {
                                issues.push(&field("FilterPolicy"), error.message);
                            }
                        }
                        if let Some(dlq) = sub.dead_letter_queue {
                            match queue_of(dlq) {
                                None => issues.push(&field("RedrivePolicy.deadLetterTargetArn"), format!("{} is not an SQS queue", self.describe(dlq))),
                                Some(queue) if queue.fifo_queue != spec.fifo_topic => issues.push(
                                    &field("RedrivePolicy.deadLetterTargetArn"),
                                    format!(
                                        "the dead-letter queue of a {} topic's subscription must be a {} queue",
                                        if spec.fifo_topic { "FIFO" } else { "standard" },
                                        if spec.fifo_topic { "FIFO" } else { "standard" }
                                    ),
                                ),
                                Some(_) => {}
                            }
                        }
                    }
                }
                ComponentKind::Endpoint(spec) => {
                    if let Err(problem) = spec.latency.check() {
                        issues.push("latency", problem);
                    }
                    issues.probability("server_error_probability", spec.server_error_probability);
                    issues.probability("client_error_probability", spec.client_error_probability);
                }
                ComponentKind::Bucket(_) => {}
                ComponentKind::LoadBalancer(_) => {
                    let mut found = Vec::new();
                    self.alb_issues(index, &mut |field, message| {
                        found.push((field.to_string(), message))
                    });
                    for (field, message) in found {
                        issues.push(&field, message);
                    }
                }
                ComponentKind::Broker(_) => {
                    let mut found = Vec::new();
                    self.mq_issues(index, &mut |field, message| {
                        found.push((field.to_string(), message))
                    });
                    for (field, message) in found {
                        issues.push(&field, message);
                    }
                }
                ComponentKind::BatchComputeEnvironment(_) | ComponentKind::BatchJobQueue(_) => {
                    let mut found = Vec::new();
                    self.batch_issues(index, &mut |field, message| {
                        found.push((field.to_string(), message))
                    });
                    for (field, message) in found {
                        issues.push(&field, message);
                    }
                }
                ComponentKind::Flow(_) => {
                    let mut found = Vec::new();
                    self.flow_issues(index, &mut |field, message| {
                        found.push((field.to_string(), message))
                    });
                    for (field, message) in found {
                        issues.push(&field, message);
                    }
                }
                ComponentKind::StateMachine(spec) => spec.check(&mut issues),
                ComponentKind::Lambda(spec) => self.validate_lambda(spec, &mut issues),
                ComponentKind::Api(spec) => self.validate_api(spec, &mut issues),
                ComponentKind::Clients(spec) => self.validate_clients(spec, &mut issues),
                ComponentKind::Consumer(spec) => {
                    if let Some(target) = spec.target {
                        if !matches!(
                            self.components.get(target).map(|c| &c.kind),
                            Some(ComponentKind::StateMachine(_))
                        ) {
                            issues.push(
                                "target",
                                format!("{} is not a state machine", self.describe(target)),
                            );
                        }
                    }
                    let broker = matches!(
                        self.components.get(spec.source).map(|c| &c.kind),
                        Some(ComponentKind::Broker(_))
                    );
                    if queue_of(spec.source).is_none() && !broker {
                        issues.push(
                            "source",
                            format!("{} is not a queue", self.describe(spec.source)),
                        );
                    }
                    issues.range_u32("workers", spec.workers, ranges::CONSUMER_WORKERS, "");
                    if let Some(scaling) = &spec.auto_scaling {
                        validate_auto_scaling(scaling, spec.workers, &mut issues);
                    }
                    if let Some(wait) = spec.wait_time_seconds {
                        issues.range_u32(
                            "WaitTimeSeconds",
                            wait,
                            ranges::RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
                            " seconds",
                        );
                    }
                    issues.range_u32(
                        "MaxNumberOfMessages",
                        spec.max_number_of_messages,
                        ranges::MAX_NUMBER_OF_MESSAGES,
                        "",
                    );
                    if let Some(visibility) = spec.visibility_timeout {
                        issues.range_u32(
                            "VisibilityTimeout",
                            visibility,
                            ranges::VISIBILITY_TIMEOUT,
                            " seconds",
                        );
                    }
                    if let Err(problem) = spec.processing_time.check() {
                        issues.push("processing_time", problem);
                    }
                    issues.probability("failure_probability", spec.failure_probability);
                    if let Some(heartbeat) = &spec.heartbeat {
                        issues.range_u32(
                            "heartbeat.interval_seconds",
                            heartbeat.interval_seconds,
                            1..=43_200,
                            " seconds",
                        );
                        issues.range_u32(
                            "heartbeat.VisibilityTimeout",
                            heartbeat.visibility_timeout,
                            ranges::VISIBILITY_TIMEOUT,
                            " seconds",
                        );
                    }
                    if spec.empty_receive_pause.as_micros() < 1_000
                        || spec.empty_receive_pause.as_micros() > 60_000_000
                    {
                        issues.push(
                            "empty_receive_pause_ms",
                            format!(
                                "{} ms is outside 1..=60000 milliseconds",
                                spec.empty_receive_pause.as_micros() / 1_000
                            ),
                        );
                    }
                }
            }
        }
        issues.component = None;
        for (index, alarm) in self.alarms.iter().enumerate() {
            let mut push = |field: &str, message: String| {
                issues.list.push(ModelIssue {
                    component: Some(alarm.component),
                    alarm: Some(index),
                    field: field.to_string(),
                    message,
                })
            };
            match self.components.get(alarm.component) {
                None => push(
                    "component",
                    format!("{} is not a component", alarm.component),
                ),
                Some(component) => {
                    if !alarm.metric.applies_to(&component.kind) {
                        push(
                            "metric",
                            format!(
                                "{} is not a metric of a {}",
                                alarm.metric.as_str(),
                                component.kind.kind_name()
                            ),
                        );
                    }
                }
            }
            if !(1..=100).contains(&alarm.evaluation_periods) {
                push(
                    "EvaluationPeriods",
                    format!("{} is outside 1..=100", alarm.evaluation_periods),
                );
            }
            if !alarm.threshold.is_finite() {
                push(
                    "Threshold",
                    format!("{} is not a finite number", alarm.threshold),
                );
            }
        }
        issues.list.extend(self.fault_issues());
        issues.list
    }
}

/// A topic name: 1 to 256 characters of `[A-Za-z0-9_-]`, plus `.fifo` on FIFO topics (§2.1).
pub fn topic_name_problem(name: &str, fifo: bool) -> Option<String> {
    let stem = match (fifo, name.strip_suffix(".fifo")) {
        (true, Some(stem)) => stem,
        (true, None) => return Some(format!("\"{name}\": a FIFO topic's name must end in .fifo")),
        (false, Some(_)) => {
            return Some(format!(
                "\"{name}\": only a FIFO topic's name may end in .fifo (set FifoTopic to true)"
            ))
        }
        (false, None) => name,
    };
    if name.chars().count() > 256 || stem.is_empty() {
        return Some(format!("\"{name}\": a topic name has 1..=256 characters"));
    }
    if !stem
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Some(format!(
            "\"{name}\": a topic name may only contain letters, digits, hyphens and underscores"
        ));
    }
    None
}

/// Checks one message attribute against SQS's naming and type rules (§1.3).
pub fn attribute_problem(attribute: &MessageAttribute) -> Option<String> {
    let name = attribute.name.as_str();
    let lower = name.to_ascii_lowercase();
    if name.is_empty() || name.len() > 256 {
        return Some(format!("name \"{name}\" must have 1..=256 characters"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
    {
        return Some(format!(
            "name \"{name}\" may only contain letters, digits, '_', '-' and '.'"
        ));
    }
    if lower.starts_with("aws.") || lower.starts_with("amazon.") {
        return Some(format!(
            "name \"{name}\" must not start with AWS. or Amazon."
        ));
    }
    if name.starts_with('.') || name.ends_with('.') || name.contains("..") {
        return Some(format!(
            "name \"{name}\" must not start or end with '.' or contain '..'"
        ));
    }
    let base = attribute.data_type.split('.').next().unwrap_or("");
    if !matches!(base, "String" | "Number" | "Binary") {
        return Some(format!(
            "DataType \"{}\" must be String, Number or Binary (optionally with a custom suffix)",
            attribute.data_type
        ));
    }
    if base == "Number" && attribute.value.trim().parse::<f64>().is_err() {
        return Some(format!("value \"{}\" is not a number", attribute.value));
    }
    None
}

/// An SNS topic and its subscriptions.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicSpec {
    /// `FifoTopic`: the name must then end in `.fifo`; only SQS queues may subscribe.
    pub fifo_topic: bool,
    /// `ContentBasedDeduplication` (FIFO only).
    pub content_based_deduplication: bool,
    /// `FifoThroughputScope` (FIFO only): `Topic` (3,000 messages/s) or `MessageGroup`.
    pub fifo_throughput_scope: FifoThroughputScope,
    /// Topic-level default HTTP/S delivery policy (`DeliveryPolicy` attribute).
    pub delivery_policy: Option<DeliveryPolicy>,
    /// The access policy, simplified: which producers may `Publish`. None lets every
    /// producer of the scenario publish (one account).
    pub allowed_publishers: Option<Vec<ComponentId>>,
    pub subscriptions: Vec<SubscriptionSpec>,
}

impl Default for TopicSpec {
    fn default() -> TopicSpec {
        TopicSpec {
            fifo_topic: false,
            content_based_deduplication: false,
            fifo_throughput_scope: FifoThroughputScope::Topic,
            delivery_policy: None,
            allowed_publishers: None,
            subscriptions: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FifoThroughputScope {
    #[default]
    Topic,
    MessageGroup,
}

/// A subscription's protocol, with SNS's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Sqs,
    Lambda,
    Http,
    Https,
    Email,
    EmailJson,
    Sms,
    Application,
    Firehose,
}

impl Protocol {
    pub const ALL: &'static [Protocol] = &[
        Protocol::Sqs,
        Protocol::Lambda,
        Protocol::Http,
        Protocol::Https,
        Protocol::Email,
        Protocol::EmailJson,
        Protocol::Sms,
        Protocol::Application,
        Protocol::Firehose,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Sqs => "sqs",
            Protocol::Lambda => "lambda",
            Protocol::Http => "http",
            Protocol::Https => "https",
            Protocol::Email => "email",
            Protocol::EmailJson => "email-json",
            Protocol::Sms => "sms",
            Protocol::Application => "application",
            Protocol::Firehose => "firehose",
        }
    }

    pub fn parse(name: &str) -> Option<Protocol> {
        Protocol::ALL.iter().copied().find(|p| p.as_str() == name)
    }

    /// Which delivery retry policy applies (§2.4).
    pub fn retry_class(self) -> RetryClass {
        match self {
            Protocol::Sqs | Protocol::Lambda | Protocol::Firehose => RetryClass::AwsManaged,
            Protocol::Email | Protocol::EmailJson | Protocol::Sms | Protocol::Application => {
                RetryClass::CustomerManaged
            }
            Protocol::Http | Protocol::Https => RetryClass::Http,
        }
    }

    /// `RawMessageDelivery` is available for SQS, HTTP/S and Firehose.
    pub fn supports_raw_delivery(self) -> bool {
        matches!(
            self,
            Protocol::Sqs | Protocol::Http | Protocol::Https | Protocol::Firehose
        )
    }
}

/// The three families of SNS delivery retry policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryClass {
    /// SQS, Lambda, Firehose: 100,015 attempts over about 23 days.
    AwsManaged,
    /// Email, SMS, mobile push: 50 attempts over more than 6 hours.
    CustomerManaged,
    /// HTTP/S: the subscription's or topic's delivery policy (default 3 retries 20 s apart).
    Http,
}

/// `FilterPolicyScope`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FilterScope {
    #[default]
    MessageAttributes,
    MessageBody,
}

/// A subscription: which endpoint, how, and what it receives.
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionSpec {
    /// The subscribed component: an SQS queue, or an endpoint node.
    pub endpoint: ComponentId,
    pub protocol: Protocol,
    /// `FilterPolicy` as JSON text; None delivers everything.
    pub filter_policy: Option<String>,
    pub filter_policy_scope: FilterScope,
    /// `RawMessageDelivery`: the body as published instead of the JSON envelope.
    pub raw_message_delivery: bool,
    /// `DeliveryPolicy` (HTTP/S only); falls back to the topic's, then to SNS's default.
    pub delivery_policy: Option<DeliveryPolicy>,
    /// `RedrivePolicy.deadLetterTargetArn`: an SQS queue for messages SNS gives up on.
    pub dead_letter_queue: Option<ComponentId>,
}

impl Default for SubscriptionSpec {
    fn default() -> SubscriptionSpec {
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
}

/// `backoffFunction` of an HTTP/S delivery policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum BackoffFunction {
    Arithmetic,
    Exponential,
    Geometric,
    #[default]
    Linear,
}

/// An HTTP/S delivery policy (`healthyRetryPolicy` and `throttlePolicy`).
#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryPolicy {
    /// `minDelayTarget`, seconds, 1..=maxDelayTarget, default 20.
    pub min_delay_target: u32,
    /// `maxDelayTarget`, seconds, minDelayTarget..=3600, default 20.
    pub max_delay_target: u32,
    /// `numRetries`, 0..=100 (all phases), default 3.
    pub num_retries: u32,
    pub num_no_delay_retries: u32,
    pub num_min_delay_retries: u32,
    pub num_max_delay_retries: u32,
    pub backoff_function: BackoffFunction,
    /// `throttlePolicy.maxReceivesPerSecond`: deliveries per second to this subscription.
    pub max_receives_per_second: Option<u32>,
}

impl Default for DeliveryPolicy {
    fn default() -> DeliveryPolicy {
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
}

/// What an endpoint node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EndpointKind {
    /// An HTTP/S server with latency, errors and downtime.
    #[default]
    Http,
    Email,
    Sms,
    MobilePush,
    Firehose,
    /// A Lambda function as a plain receiver (functions with concurrency come later).
    Lambda,
}

impl EndpointKind {
    pub fn kind_name(self) -> &'static str {
        match self {
            EndpointKind::Http => "HTTP endpoint",
            EndpointKind::Email => "email address",
            EndpointKind::Sms => "phone number (SMS)",
            EndpointKind::MobilePush => "mobile app (push)",
            EndpointKind::Firehose => "Kinesis Data Firehose stream",
            EndpointKind::Lambda => "Lambda function",
        }
    }

    /// The protocols that may deliver to this kind of endpoint.
    pub fn accepts(self, protocol: Protocol) -> bool {
        match self {
            EndpointKind::Http => matches!(protocol, Protocol::Http | Protocol::Https),
            EndpointKind::Email => matches!(protocol, Protocol::Email | Protocol::EmailJson),
            EndpointKind::Sms => protocol == Protocol::Sms,
            EndpointKind::MobilePush => protocol == Protocol::Application,
            EndpointKind::Firehose => protocol == Protocol::Firehose,
            EndpointKind::Lambda => protocol == Protocol::Lambda,
        }
    }
}

/// A receiver of SNS deliveries.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointSpec {
    pub kind: EndpointKind,
    /// Seconds to answer a delivery.
    pub latency: Distribution,
    /// Chance of a server error (5xx): SNS retries.
    pub server_error_probability: f64,
    /// Chance of a client error (4xx): SNS does not retry.
    pub client_error_probability: f64,
}

impl Default for EndpointSpec {
    fn default() -> EndpointSpec {
        EndpointSpec {
            kind: EndpointKind::Http,
            latency: Distribution::Constant { value: 0.05 },
            server_error_probability: 0.0,
            client_error_probability: 0.0,
        }
    }
}

/// An S3 bucket: it holds large payloads for the extended client library, and objects a
/// state machine's Distributed Map reads (`ItemReader`) and writes (`ResultWriter`),
/// naming the bucket by the component's name.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BucketSpec {
    /// The objects it holds at the start: key and content, in key order.
    pub objects: Vec<(String, String)>,
}

/// A Step Functions state machine: a validated definition and how it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct StateMachineSpec {
    /// The definition, already checked by [`crate::asl::validate`].
    pub definition: std::sync::Arc<StateMachine>,
    /// `STANDARD` or `EXPRESS`.
    pub kind: ExecutionKind,
    /// A Step Functions Local mock configuration and the test case to answer from: Task
    /// states of other resources get its `Return`/`Throw` per attempt.
    pub mock: Option<(MockConfig, String)>,
    /// The `StartExecution` token bucket: its size and its refill per second.
    pub start_burst: u32,
    pub start_refill_per_second: u32,
    /// Express billing memory in MB (billed in 64 MB chunks).
    pub memory_mb: u32,
    /// Express only: chance, 0..=1, that an asynchronous start runs the execution twice
    /// (at-least-once). AWS documents the semantics but no rate, so the default is 0.
    pub duplicate_execution_probability: f64,
}

/// `StartExecution` token bucket of a Standard machine (us-east-1): 1,300 burst, 300/s.
pub const STANDARD_START_BUCKET: (u32, u32) = (1_300, 300);
/// `StartExecution` token bucket of an Express machine: 6,000 burst, 6,000/s.
pub const EXPRESS_START_BUCKET: (u32, u32) = (6_000, 6_000);

impl StateMachineSpec {
    /// A machine with the defaults of its type.
    pub fn new(definition: std::sync::Arc<StateMachine>, kind: ExecutionKind) -> StateMachineSpec {
        let (burst, refill) = match kind {
            ExecutionKind::Standard => STANDARD_START_BUCKET,
            ExecutionKind::Express => EXPRESS_START_BUCKET,
        };
        StateMachineSpec {
            definition,
            kind,
            mock: None,
            start_burst: burst,
            start_refill_per_second: refill,
            memory_mb: 64,
            duplicate_execution_probability: 0.0,
        }
    }

    /// The resources of every Task state, with the state's name.
    pub fn task_resources(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for graph in &self.definition.graphs {
            for state in &graph.states {
                if let StateKind::Task { resource, .. } = &state.kind {
                    out.push((state.name.to_string(), resource.to_string()));
                }
            }
        }
        out
    }

    fn check(&self, issues: &mut Issues) {
        if self.start_burst == 0 || self.start_burst > 1_000_000 {
            issues.push(
                "StartExecutionBurst",
                format!("{} is out of range 1..=1000000", self.start_burst),
            );
        }
        if self.start_refill_per_second == 0 || self.start_refill_per_second > 1_000_000 {
            issues.push(
                "StartExecutionRefillPerSecond",
                format!(
                    "{} is out of range 1..=1000000",
                    self.start_refill_per_second
                ),
            );
        }
        if !(64..=10_240).contains(&self.memory_mb) {
            issues.push(
                "MemoryMB",
                format!("{} MB is out of range 64..=10240", self.memory_mb),
            );
        }
        issues.probability(
            "DuplicateExecutionProbability",
            self.duplicate_execution_probability,
        );
        if self.kind == ExecutionKind::Standard && self.duplicate_execution_probability > 0.0 {
            issues.push(
                "DuplicateExecutionProbability",
                "a STANDARD workflow runs exactly once; duplicates only apply to EXPRESS (at-least-once)".into(),
            );
        }
        if self.definition.graphs.is_empty() {
            issues.push("Definition", "has no states".into());
        }
        if self.kind == ExecutionKind::Express {
            for (state, resource) in self.task_resources() {
                if resource.contains(".sync") || resource.contains(".waitForTaskToken") {
                    issues.push(
                        "Definition",
                        format!(
                            "state {state}: {resource} is not supported by EXPRESS workflows (request-response only: no .sync, no .waitForTaskToken)"
                        ),
                    );
                }
            }
        }
        if let Some((config, case)) = &self.mock {
            let machines: Vec<&String> = config.state_machines.keys().collect();
            let found = config
                .state_machines
                .values()
                .any(|cases| cases.contains_key(case));
            if !found {
                issues.push(
                    "TestCase",
                    format!("test case \"{case}\" is not in the mock configuration (state machines: {machines:?})"),
                );
            }
        }
    }

    /// The mock handler of one execution, when a mock configuration is given.
    pub fn mock_handler(&self) -> Option<MockHandler> {
        let (config, case) = self.mock.as_ref()?;
        config
            .state_machines
            .iter()
            .find(|(_, cases)| cases.contains_key(case))
            .and_then(|(machine, _)| MockHandler::new(config, machine, case).ok())
    }
}

/// The Lambda numbers of §4 of the reference: ranges and defaults.
pub mod lambda_limits {
    use std::ops::RangeInclusive;

    /// `MemorySize`, MB (classic functions).
    pub const MEMORY_SIZE: RangeInclusive<u32> = 128..=10_240;
    pub const DEFAULT_MEMORY_SIZE: u32 = 128;
    /// `Timeout`, seconds.
    pub const TIMEOUT: RangeInclusive<u32> = 1..=900;
    pub const DEFAULT_TIMEOUT: u32 = 3;
    /// `ConcurrentExecutions` of the account, per Region (a soft quota).
    pub const ACCOUNT_CONCURRENCY: RangeInclusive<u32> = 1..=100_000;
    pub const DEFAULT_ACCOUNT_CONCURRENCY: u32 = 1_000;
    /// Lambda keeps this much of the account's concurrency unreserved.
    pub const MINIMUM_UNRESERVED: u32 = 100;
    /// `MaximumRetryAttempts` of asynchronous invocation.
    pub const MAXIMUM_RETRY_ATTEMPTS: RangeInclusive<u32> = 0..=2;
    pub const DEFAULT_MAXIMUM_RETRY_ATTEMPTS: u32 = 2;
    /// `MaximumEventAgeInSeconds` of asynchronous invocation.
    pub const MAXIMUM_EVENT_AGE: RangeInclusive<u32> = 60..=21_600;
    pub const DEFAULT_MAXIMUM_EVENT_AGE: u32 = 21_600;
    /// `BatchSize` of an SQS event source mapping: standard queues; FIFO queues stop at 10.
    pub const BATCH_SIZE: RangeInclusive<u32> = 1..=10_000;
    pub const FIFO_MAX_BATCH_SIZE: u32 = 10;
    pub const DEFAULT_BATCH_SIZE: u32 = 10;
    /// `MaximumBatchingWindowInSeconds`.
    pub const BATCHING_WINDOW: RangeInclusive<u32> = 0..=300;
    /// `ScalingConfig.MaximumConcurrency`.
    pub const MAXIMUM_CONCURRENCY: RangeInclusive<u32> = 2..=1_000;
    /// Concurrent batches an SQS event source mapping starts with and falls back to when idle.
    pub const ESM_INITIAL_CONCURRENCY: u32 = 5;
    /// Concurrent batches an SQS event source mapping may add per minute.
    pub const ESM_SCALE_UP_PER_MINUTE: u32 = 300;
    /// Concurrent batches of one SQS event source mapping at most.
    pub const ESM_MAX_CONCURRENCY: u32 = 1_000;
    /// Seconds before the second and the third attempt of a failed asynchronous event (⚠️ in
    /// the reference: "about 1 minute, then about 2 minutes").
    pub const ASYNC_RETRY_DELAYS_SECONDS: [u64; 2] = [60, 120];
    /// US dollars per million requests.
    pub const PRICE_PER_MILLION_REQUESTS: f64 = 0.20;
    /// US dollars per GB-second, x86_64 and arm64 (first tier).
    pub const PRICE_PER_GB_SECOND_X86: f64 = 0.000_016_666_7;
    pub const PRICE_PER_GB_SECOND_ARM: f64 = 0.000_013_333_4;
    /// The monthly free tier: requests and GB-seconds.
    pub const FREE_REQUESTS: u64 = 1_000_000;
    pub const FREE_GB_SECONDS: f64 = 400_000.0;
}

/// `Architectures` of a function: what a GB-second costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Architecture {
    #[default]
    X86_64,
    Arm64,
}

/// An SQS event source mapping: Lambda polls `source` and invokes the function with batches.
#[derive(Clone, Debug, PartialEq)]
pub struct EventSourceMappingSpec {
    /// The queue polled.
    pub source: ComponentId,
    /// `BatchSize`, records per invocation at most.
    pub batch_size: u32,
    /// `MaximumBatchingWindowInSeconds`.
    pub maximum_batching_window_seconds: u32,
    /// `ScalingConfig.MaximumConcurrency`; `None`: up to 1,000 concurrent batches.
    pub maximum_concurrency: Option<u32>,
    /// `FunctionResponseTypes: ["ReportBatchItemFailures"]`.
    pub report_batch_item_failures: bool,
}

impl Default for EventSourceMappingSpec {
    fn default() -> Self {
        EventSourceMappingSpec {
            source: 0,
            batch_size: lambda_limits::DEFAULT_BATCH_SIZE,
            maximum_batching_window_seconds: 0,
            maximum_concurrency: None,
            report_batch_item_failures: false,
        }
    }
}

/// A Lambda function with AWS's attribute names.
#[derive(Clone, Debug, PartialEq)]
pub struct LambdaSpec {
    /// `MemorySize`, MB.
    pub memory_size: u32,
    /// `Timeout`, seconds.
    pub timeout: u32,
    pub architecture: Architecture,
    /// Seconds one invocation runs (the handler), a distribution.
    pub duration: Distribution,
    /// Chance that handling one record fails (an SQS message, an SNS notification, a request).
    pub error_probability: f64,
    /// Seconds a cold start adds (the `Init` phase), a distribution.
    pub init_duration: Distribution,
    /// How long an idle execution environment stays warm.
    pub keep_warm: SimDuration,
    /// `ReservedConcurrentExecutions`; `None`: the function uses the unreserved pool.
    pub reserved_concurrent_executions: Option<u32>,
    /// `MaximumRetryAttempts` of asynchronous invocation.
    pub maximum_retry_attempts: u32,
    /// `MaximumEventAgeInSeconds` of asynchronous invocation.
    pub maximum_event_age_seconds: u32,
    /// `DestinationConfig.OnFailure`: a queue or a topic.
    pub on_failure: Option<ComponentId>,
    /// `DeadLetterConfig.TargetArn`: a queue or a topic.
    pub dead_letter: Option<ComponentId>,
    /// The SQS event source mappings of this function.
    pub event_sources: Vec<EventSourceMappingSpec>,
    /// A state machine the handler's own code starts (`StartExecution`), one execution per
    /// record it handles: the SNS message, each SQS record, the API request, a Task's
    /// payload. `None`: the handler calls nothing.
    pub start_execution: Option<ComponentId>,
}

impl Default for LambdaSpec {
    fn default() -> Self {
        LambdaSpec {
            memory_size: lambda_limits::DEFAULT_MEMORY_SIZE,
            timeout: lambda_limits::DEFAULT_TIMEOUT,
            architecture: Architecture::X86_64,
            duration: Distribution::Constant { value: 0.1 },
            error_probability: 0.0,
            init_duration: Distribution::Constant { value: 0.25 },
            keep_warm: SimDuration::from_secs(600),
            reserved_concurrent_executions: None,
            maximum_retry_attempts: lambda_limits::DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
            maximum_event_age_seconds: lambda_limits::DEFAULT_MAXIMUM_EVENT_AGE,
            on_failure: None,
            dead_letter: None,
            event_sources: Vec::new(),
            start_execution: None,
        }
    }
}

impl Model {
    fn validate_lambda(&self, spec: &LambdaSpec, issues: &mut Issues) {
        use lambda_limits as l;
        issues.range_u32("MemorySize", spec.memory_size, l::MEMORY_SIZE, " MB");
        issues.range_u32("Timeout", spec.timeout, l::TIMEOUT, " seconds");
        if let Err(problem) = spec.duration.check() {
            issues.push("duration", problem);
        }
        if let Err(problem) = spec.init_duration.check() {
            issues.push("init_duration", problem);
        }
        issues.probability("error_probability", spec.error_probability);
        if spec.keep_warm.as_micros() > SimDuration::from_secs(86_400).as_micros() {
            issues.push(
                "keep_warm",
                format!(
                    "{} s is outside 0..=86400 seconds",
                    spec.keep_warm.as_secs_f64()
                ),
            );
        }
        if let Some(reserved) = spec.reserved_concurrent_executions {
            let most = self
                .lambda_account_concurrency
                .saturating_sub(l::MINIMUM_UNRESERVED);
            if reserved > most {
                issues.push(
                    "ReservedConcurrentExecutions",
                    format!(
                        "{reserved} is outside 0..={most}: Lambda keeps {} of the account's {} concurrent executions unreserved",
                        l::MINIMUM_UNRESERVED,
                        self.lambda_account_concurrency
                    ),
                );
            }
        }
        issues.range_u32(
            "MaximumRetryAttempts",
            spec.maximum_retry_attempts,
            l::MAXIMUM_RETRY_ATTEMPTS,
            "",
        );
        issues.range_u32(
            "MaximumEventAgeInSeconds",
            spec.maximum_event_age_seconds,
            l::MAXIMUM_EVENT_AGE,
            " seconds",
        );
        for (field, target) in [
            ("DestinationConfig.OnFailure.Destination", spec.on_failure),
            ("DeadLetterConfig.TargetArn", spec.dead_letter),
        ] {
            let Some(target) = target else { continue };
            match self.components.get(target).map(|c| &c.kind) {
                Some(ComponentKind::Queue(queue)) if queue.fifo_queue => issues.push(
                    field,
                    format!(
                        "{} is a FIFO queue; Lambda sends failed events only to standard queues",
                        self.describe(target)
                    ),
                ),
                Some(ComponentKind::Topic(topic)) if topic.fifo_topic => issues.push(
                    field,
                    format!(
                        "{} is a FIFO topic; Lambda sends failed events only to standard topics",
                        self.describe(target)
                    ),
                ),
                Some(ComponentKind::Queue(_)) | Some(ComponentKind::Topic(_)) => {}
                _ => issues.push(
                    field,
                    format!(
                        "{} is neither an SQS queue nor an SNS topic",
                        self.describe(target)
                    ),
                ),
            }
        }
        if let Some(machine) = spec.start_execution {
            if !matches!(
                self.components.get(machine).map(|c| &c.kind),
                Some(ComponentKind::StateMachine(_))
            ) {
                issues.push(
                    "start_execution",
                    format!("{} is not a state machine", self.describe(machine)),
                );
            }
        }
        for (i, esm) in spec.event_sources.iter().enumerate() {
            let field = |name: &str| format!("event_sources[{i}].{name}");
            let fifo = match self.components.get(esm.source).map(|c| &c.kind) {
                Some(ComponentKind::Queue(queue)) => queue.fifo_queue,
                _ => {
                    issues.push(
                        &field("EventSourceArn"),
                        format!("{} is not an SQS queue", self.describe(esm.source)),
                    );
                    false
                }
            };
            let most = if fifo {
                l::FIFO_MAX_BATCH_SIZE
            } else {
                *l::BATCH_SIZE.end()
            };
            issues.range_u32(&field("BatchSize"), esm.batch_size, 1..=most, "");
            issues.range_u32(
                &field("MaximumBatchingWindowInSeconds"),
                esm.maximum_batching_window_seconds,
                l::BATCHING_WINDOW,
                " seconds",
            );
            if esm.batch_size > 10 && esm.maximum_batching_window_seconds < 1 {
                issues.push(
                    &field("MaximumBatchingWindowInSeconds"),
                    format!(
                        "{} is too short: a BatchSize above 10 ({}) needs a batching window of at least 1 second",
                        esm.maximum_batching_window_seconds, esm.batch_size
                    ),
                );
            }
            if let Some(most) = esm.maximum_concurrency {
                issues.range_u32(
                    &field("ScalingConfig.MaximumConcurrency"),
                    most,
                    l::MAXIMUM_CONCURRENCY,
                    "",
                );
            }
        }
    }
}

/// The API Gateway numbers of §3 of the reference: ranges and defaults.
pub mod api_limits {
    use std::ops::RangeInclusive;

    /// Account-level throttle per Region: steady rate (requests per second) and burst.
    pub const DEFAULT_ACCOUNT_RATE: u32 = 10_000;
    pub const DEFAULT_ACCOUNT_BURST: u32 = 5_000;
    pub const RATE: RangeInclusive<u32> = 1..=1_000_000;
    pub const BURST: RangeInclusive<u32> = 1..=1_000_000;
    /// Integration timeout, milliseconds: REST and WebSocket 50 ms..29 s, HTTP APIs up to 30 s.
    pub const REST_INTEGRATION_TIMEOUT_MS: RangeInclusive<u32> = 50..=29_000;
    pub const HTTP_INTEGRATION_TIMEOUT_MS: RangeInclusive<u32> = 50..=30_000;
    /// Authorizer result cache TTL, seconds (0 disables it).
    pub const AUTHORIZER_TTL: RangeInclusive<u32> = 0..=3_600;
    pub const DEFAULT_AUTHORIZER_TTL: u32 = 300;
    /// A Lambda authorizer must answer within 10 seconds.
    pub const AUTHORIZER_TIMEOUT_MS: u64 = 10_000;
    /// Clients of one population.
    pub const CLIENTS: RangeInclusive<u32> = 1..=100_000;
    /// Client retries per request.
    pub const MAX_RETRIES: RangeInclusive<u32> = 0..=20;
    /// AWS WAF rate-based rule: requests per client address per evaluation window.
    pub const WAF_LIMIT: RangeInclusive<u32> = 10..=2_000_000_000;
    /// AWS WAF rate-based rule evaluation windows, seconds.
    pub const WAF_WINDOWS: [u32; 4] = [60, 120, 300, 600];
    /// US dollars per million requests (first tier): REST, HTTP.
    pub const PRICE_REST_PER_MILLION: f64 = 3.50;
    pub const PRICE_HTTP_PER_MILLION: f64 = 1.00;

    // WebSocket APIs: "Quotas for configuring and running a WebSocket in API Gateway"
    // (docs.aws.amazon.com/apigateway/latest/developerguide/
    // apigateway-execution-service-websocket-limits-table.html, read for this model ✅) and
    // section 3 of the reference.
    /// New connections per second per account and Region, across every WebSocket API
    /// (soft quota).
    pub const DEFAULT_WS_CONNECT_RATE: u32 = 500;
    /// The connect quota as a token bucket: AWS documents the rate only; the bucket holds
    /// one second of it (our reading).
    pub const WS_CONNECT_RATE: RangeInclusive<u32> = 1..=1_000_000;
    /// A connection lasts at most 2 hours (not adjustable).
    pub const WS_MAX_CONNECTION_SECONDS: u64 = 7_200;
    /// A connection that carries nothing for 10 minutes is closed (not adjustable).
    pub const WS_IDLE_TIMEOUT_SECONDS: u64 = 600;
    /// A frame carries at most 32 KB; messages are metered for the price in 32 KB increments.
    pub const WS_FRAME_BYTES: u32 = 32 * 1_024;
    /// A message carries at most 128 KB; a larger one closes the connection with code 1009.
    pub const WS_MESSAGE_BYTES: u32 = 128 * 1_024;
    /// The sizes a client population may send: up to twice the limit, so that the 1009
    /// closes can be watched.
    pub const WS_CLIENT_MESSAGE_BYTES: RangeInclusive<u32> = 1..=256 * 1_024;
    /// Routes per API (soft quota).
    pub const WS_ROUTES: RangeInclusive<usize> = 1..=300;
    /// US dollars per million messages (first billion) and per million connection-minutes
    /// (api-gateway/pricing, reference section 9 ⚠️).
    pub const PRICE_WS_MESSAGES_PER_MILLION: f64 = 1.00;
    pub const PRICE_WS_CONNECTION_MINUTES_PER_MILLION: f64 = 0.25;
    /// The free tier's monthly WebSocket allowance (first 12 months).
    pub const FREE_WS_MESSAGES: u64 = 1_000_000;
    pub const FREE_WS_CONNECTION_MINUTES: f64 = 750_000.0;
}

/// A WebSocket API's route table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebSocketSpec {
    /// `RouteSelectionExpression`: `$request.body.<field>` (or `${request.body.<field>}`).
    pub route_selection_expression: String,
    /// Routes by `RouteKey`: `$connect`, `$disconnect`, `$default` and custom keys.
    pub routes: Vec<RouteSpec>,
}

/// One route of a WebSocket API and its integration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteSpec {
    pub route_key: String,
    /// A Lambda function, a queue, a topic, a state machine or an HTTP endpoint.
    pub integration: ComponentId,
    /// The route's own throttle in the stage (`RouteSettings`); default none.
    pub throttle: Option<Throttle>,
}

impl WebSocketSpec {
    /// The field the route selection expression reads from the message body, if it has the
    /// documented form `$request.body.<path>` or `${request.body.<path>}`.
    pub fn selected_field(&self) -> Option<&str> {
        let e = self.route_selection_expression.trim();
        let inner = e
            .strip_prefix("${")
            .and_then(|rest| rest.strip_suffix('}'))
            .map(|inner| inner.strip_prefix("request.body."))
            .unwrap_or_else(|| e.strip_prefix("$request.body."))?;
        let ok = !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
        ok.then_some(inner)
    }

    /// The route a message goes to: the route whose key equals the selected value, else
    /// `$default`, else none (API Gateway answers with an error and keeps the connection).
    pub fn select(&self, value: Option<&str>) -> Option<usize> {
        value
            .filter(|v| !v.starts_with('$'))
            .and_then(|v| self.routes.iter().position(|r| r.route_key == v))
            .or_else(|| self.route(ROUTE_DEFAULT))
    }

    pub fn route(&self, key: &str) -> Option<usize> {
        self.routes.iter().position(|r| r.route_key == key)
    }
}

pub const ROUTE_CONNECT: &str = "$connect";
pub const ROUTE_DISCONNECT: &str = "$disconnect";
pub const ROUTE_DEFAULT: &str = "$default";

/// What the clients of a population do on a WebSocket API.
#[derive(Clone, Debug, PartialEq)]
pub struct WsClientSpec {
    /// How long a client keeps its connection open, seconds (API Gateway closes it at 2 h).
    pub connection_seconds: Distribution,
    /// The first clients never send a message (the idle timeout closes them).
    pub silent_clients: u32,
    /// Bytes of each message.
    pub message_bytes: u32,
    /// The value of the selected body field and the share of messages carrying it; the rest
    /// carry none (they go to `$default`).
    pub actions: Vec<(String, f64)>,
}

impl Default for WsClientSpec {
    fn default() -> Self {
        WsClientSpec {
            connection_seconds: Distribution::Constant { value: 1_800.0 },
            silent_clients: 0,
            message_bytes: 1_024,
            actions: Vec::new(),
        }
    }
}

/// The kind of API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ApiType {
    /// REST API (v1): usage plans and API keys, AWS WAF, caching, 29 s integration timeout.
    #[default]
    Rest,
    /// HTTP API (v2): cheaper; no usage plans, API keys or WAF; up to 30 s integration timeout.
    Http,
    /// WebSocket API (v2): long-lived connections, messages routed by a route selection
    /// expression; priced per message and per connection-minute.
    WebSocket,
}

/// Where the API is reachable from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EndpointType {
    /// REST's default: through CloudFront points of presence.
    #[default]
    EdgeOptimized,
    Regional,
    /// Only from inside a VPC (REST only).
    Private,
}

/// A token bucket's steady rate and size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttle {
    /// Requests per second refilled.
    pub rate_limit: u32,
    /// Bucket size: requests allowed at once.
    pub burst_limit: u32,
}

/// The period a usage plan's quota counts over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaPeriod {
    Day,
    Week,
    Month,
}

impl QuotaPeriod {
    /// Length of the period. Simplified: a month is 30 days, and periods start at time zero.
    pub fn length(self) -> SimDuration {
        SimDuration::from_secs(match self {
            QuotaPeriod::Day => 86_400,
            QuotaPeriod::Week => 7 * 86_400,
            QuotaPeriod::Month => 30 * 86_400,
        })
    }
}

/// A usage plan's quota per API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    pub limit: u64,
    pub period: QuotaPeriod,
}

/// A usage plan applied to every API key of the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsagePlan {
    /// Throttle per API key.
    pub throttle: Option<Throttle>,
    pub quota: Option<Quota>,
}

/// How requests are authorized.
#[derive(Clone, Debug, PartialEq)]
pub enum Authorizer {
    /// SigV4 signatures checked against IAM policies: `deny_probability` of callers lack
    /// permission (403).
    Iam { deny_probability: f64 },
    /// A Cognito user pool: `deny_probability` of tokens are invalid or expired (401).
    Cognito { deny_probability: f64 },
    /// A Lambda authorizer: its latency, the share it denies (403), and its result cache.
    Lambda {
        latency: Distribution,
        deny_probability: f64,
        ttl_seconds: u32,
    },
}

/// AWS WAF rate-based rule: block a client address above `limit` requests per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WafRateRule {
    pub limit: u32,
    pub window_seconds: u32,
}

/// An API Gateway API with one stage and one method in front of one integration.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiSpec {
    pub api_type: ApiType,
    pub endpoint_type: EndpointType,
    /// The integration: a Lambda function, a queue, a topic, a state machine or an endpoint.
    pub integration: ComponentId,
    /// Integration timeout, milliseconds.
    pub integration_timeout_ms: u32,
    pub stage_throttle: Option<Throttle>,
    pub method_throttle: Option<Throttle>,
    /// Requests must carry an API key (`x-api-key`) of a usage plan.
    pub api_key_required: bool,
    pub usage_plan: Option<UsagePlan>,
    pub authorizer: Option<Authorizer>,
    pub waf: Option<WafRateRule>,
    /// A PRIVATE API: the VPC whose interface endpoint reaches it; clients elsewhere are
    /// answered 403.
    pub vpc: Option<String>,
    /// A WebSocket API's routes (`integration` is then unused).
    pub websocket: Option<WebSocketSpec>,
}

impl Default for ApiSpec {
    fn default() -> Self {
        ApiSpec {
            api_type: ApiType::Rest,
            endpoint_type: EndpointType::EdgeOptimized,
            integration: 0,
            integration_timeout_ms: 29_000,
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
}

/// How a client waits before it retries a 429 or 5xx answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Backoff {
    /// Retries at once.
    #[default]
    None,
    /// Waits `base` every time.
    Fixed,
    /// Waits `base * 2^(retry - 1)`, at most `cap`.
    Exponential,
    /// Waits a uniform draw between 0 and the exponential wait (AWS's "full jitter").
    ExponentialFullJitter,
}

/// A population of clients calling one API.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientsSpec {
    /// The API or Application Load Balancer called.
    pub target: ComponentId,
    /// How many clients (each with its own address).
    pub clients: u32,
    /// Clients holding an API key (the first ones); key `i` belongs to client `i`.
    pub clients_with_api_key: u32,
    /// The request rate over time, as a producer's (`target` and the message are unused).
    pub load: Box<ProducerSpec>,
    /// How long a client waits for an answer before it gives up.
    pub timeout: SimDuration,
    /// Retries after a 429 or 5xx answer.
    pub max_retries: u32,
    pub backoff: Backoff,
    pub backoff_base: SimDuration,
    pub backoff_cap: SimDuration,
    /// The VPC the clients run in (they reach a PRIVATE API of the same VPC); None: outside
    /// any VPC, on the internet.
    pub vpc: Option<String>,
    /// On a WebSocket API: connections, message size and actions. `load` is then the
    /// population's message rate and the back-off paces reconnections.
    pub websocket: WsClientSpec,
}

impl Default for ClientsSpec {
    fn default() -> Self {
        ClientsSpec {
            target: 0,
            clients: 100,
            clients_with_api_key: 0,
            load: Box::default(),
            timeout: SimDuration::from_secs(30),
            max_retries: 2,
            backoff: Backoff::ExponentialFullJitter,
            backoff_base: SimDuration::from_millis(100),
            backoff_cap: SimDuration::from_secs(20),
            vpc: None,
            websocket: WsClientSpec::default(),
        }
    }
}

impl Model {
    fn check_integration(&self, field: &str, integration: ComponentId, issues: &mut Issues) {
        match self.components.get(integration).map(|c| &c.kind) {
            Some(
                ComponentKind::Lambda(_)
                | ComponentKind::Queue(_)
                | ComponentKind::Topic(_)
                | ComponentKind::StateMachine(_)
                | ComponentKind::Endpoint(_),
            ) => {}
            _ => issues.push(
                field,
                format!(
                    "{} is not a Lambda function, queue, topic, state machine or HTTP endpoint",
                    self.describe(integration)
                ),
            ),
        }
    }

    fn validate_api(&self, spec: &ApiSpec, issues: &mut Issues) {
        use api_limits as l;
        match (&spec.websocket, spec.api_type) {
            (Some(ws), ApiType::WebSocket) => self.validate_websocket(spec, ws, issues),
            (None, ApiType::WebSocket) => issues.push(
                "Routes",
                "a WebSocket API needs its routes and route selection expression".to_string(),
            ),
            (Some(_), _) => issues.push(
                "Routes",
                "only a WebSocket API has routes; set ApiType to WEBSOCKET".to_string(),
            ),
            (None, _) => self.check_integration("integration", spec.integration, issues),
        }
        let timeout = match spec.api_type {
            ApiType::Rest | ApiType::WebSocket => l::REST_INTEGRATION_TIMEOUT_MS,
            ApiType::Http => l::HTTP_INTEGRATION_TIMEOUT_MS,
        };
        issues.range_u32(
            "TimeoutInMillis",
            spec.integration_timeout_ms,
            timeout,
            " milliseconds",
        );
        for (field, throttle) in [
            ("StageThrottle", spec.stage_throttle),
            ("MethodThrottle", spec.method_throttle),
        ] {
            if let Some(t) = throttle {
                check_throttle(issues, field, t, self);
            }
        }
        match (&spec.vpc, spec.endpoint_type) {
            (Some(_), EndpointType::Private) | (None, _) => {}
            (Some(_), _) => issues.push(
                "vpc",
                "only a PRIVATE API is reached through a VPC; set EndpointType to PRIVATE or leave vpc out".to_string(),
            ),
        }
        if spec.endpoint_type == EndpointType::Private && spec.vpc.is_none() {
            issues.push(
                "vpc",
                "a PRIVATE API is reached only through an interface endpoint in a VPC: name that VPC".to_string(),
            );
        }
        if spec.api_type == ApiType::Http {
            if spec.endpoint_type != EndpointType::Regional {
                issues.push("EndpointType", "an HTTP API is REGIONAL only".to_string());
            }
            if spec.api_key_required || spec.usage_plan.is_some() {
                issues.push(
                    "UsagePlan",
                    "HTTP APIs have no API keys or usage plans (REST only)".to_string(),
                );
            }
            if spec.waf.is_some() {
                issues.push(
                    "WafRateBasedRule",
                    "AWS WAF protects REST APIs, not HTTP APIs".to_string(),
                );
            }
        }
        if spec.api_type == ApiType::WebSocket {
            // WebSocket APIs are Regional (reference 3.1 ⚠️; the endpoint type table of the
            // developer guide lists edge-optimized and private for REST only); AWS WAF
            // protects REST APIs only; usage plans are a REST feature. A WebSocket route's
            // ApiKeyRequired exists in AWS but is not modelled here, so it is refused rather
            // than ignored.
            if spec.endpoint_type != EndpointType::Regional {
                issues.push(
                    "EndpointType",
                    "a WebSocket API is REGIONAL only".to_string(),
                );
            }
            if spec.api_key_required || spec.usage_plan.is_some() {
                issues.push(
                    "UsagePlan",
                    "usage plans and API keys are not simulated for WebSocket APIs (usage plans are a REST API feature)".to_string(),
                );
            }
            if spec.waf.is_some() {
                issues.push(
                    "WafRateBasedRule",
                    "AWS WAF protects REST APIs, not WebSocket APIs".to_string(),
                );
            }
            if spec.method_throttle.is_some() {
                issues.push(
                    "MethodThrottle",
                    "a WebSocket API has routes, not methods: set Routes[i].Throttle".to_string(),
                );
            }
            if matches!(spec.authorizer, Some(Authorizer::Cognito { .. })) {
                issues.push(
                    "Authorizer.Type",
                    "a WebSocket API authorizes $connect with AWS_IAM or a LAMBDA (REQUEST) authorizer, not COGNITO_USER_POOLS".to_string(),
                );
            }
        }
        if let Some(plan) = &spec.usage_plan {
            if let Some(t) = plan.throttle {
                check_throttle(issues, "UsagePlan.throttle", t, self);
            }
            if let Some(quota) = plan.quota {
                if quota.limit == 0 {
                    issues.push(
                        "UsagePlan.quota.limit",
                        "0 is outside 1..=18446744073709551615".to_string(),
                    );
                }
            }
        }
        match &spec.authorizer {
            Some(Authorizer::Iam { deny_probability })
            | Some(Authorizer::Cognito { deny_probability }) => {
                issues.probability("Authorizer.deny_probability", *deny_probability)
            }
            Some(Authorizer::Lambda {
                latency,
                deny_probability,
                ttl_seconds,
            }) => {
                if let Err(problem) = latency.check() {
                    issues.push("Authorizer.latency", problem);
                }
                issues.probability("Authorizer.deny_probability", *deny_probability);
                issues.range_u32(
                    "Authorizer.AuthorizerResultTtlInSeconds",
                    *ttl_seconds,
                    l::AUTHORIZER_TTL,
                    " seconds",
                );
            }
            None => {}
        }
        if let Some(waf) = spec.waf {
            if !l::WAF_LIMIT.contains(&waf.limit) {
                issues.push(
                    "WafRateBasedRule.Limit",
                    format!(
                        "{} is outside {}..={}",
                        waf.limit,
                        l::WAF_LIMIT.start(),
                        l::WAF_LIMIT.end()
                    ),
                );
            }
            if !l::WAF_WINDOWS.contains(&waf.window_seconds) {
                issues.push(
                    "WafRateBasedRule.EvaluationWindowSec",
                    format!(
                        "{} is not one of 60, 120, 300, 600 seconds",
                        waf.window_seconds
                    ),
                );
            }
        }
    }

    fn validate_websocket(&self, api: &ApiSpec, ws: &WebSocketSpec, issues: &mut Issues) {
        use api_limits as l;
        let _ = api;
        if ws.selected_field().is_none() {
            issues.push(
                "RouteSelectionExpression",
                format!(
                    "\"{}\" is not of the form $request.body.<field> (or ${{request.body.<field>}})",
                    ws.route_selection_expression
                ),
            );
        }
        if !l::WS_ROUTES.contains(&ws.routes.len()) {
            issues.push(
                "Routes",
                format!(
                    "{} routes is outside {}..={}",
                    ws.routes.len(),
                    l::WS_ROUTES.start(),
                    l::WS_ROUTES.end()
                ),
            );
        }
        for (i, route) in ws.routes.iter().enumerate() {
            let key = &route.route_key;
            if key.is_empty()
                || (key.starts_with('$')
                    && ![ROUTE_CONNECT, ROUTE_DISCONNECT, ROUTE_DEFAULT].contains(&key.as_str()))
            {
                issues.push(
                    &format!("Routes[{i}].RouteKey"),
                    format!(
                        "\"{key}\" is not $connect, $disconnect, $default or a custom key (a custom key does not start with $)"
                    ),
                );
            }
            if ws.routes[..i].iter().any(|r| r.route_key == *key) {
                issues.push(
                    &format!("Routes[{i}].RouteKey"),
                    format!("\"{key}\" is the key of an earlier route"),
                );
            }
            self.check_integration(&format!("Routes[{i}].Target"), route.integration, issues);
            if let Some(t) = route.throttle {
                check_throttle(issues, &format!("Routes[{i}].Throttle"), t, self);
            }
        }
    }

    fn validate_clients(&self, spec: &ClientsSpec, issues: &mut Issues) {
        use api_limits as l;
        if !matches!(
            self.components.get(spec.target).map(|c| &c.kind),
            Some(ComponentKind::Api(_) | ComponentKind::LoadBalancer(_))
        ) {
            issues.push(
                "target",
                format!(
                    "{} is not an API Gateway API or an Application Load Balancer",
                    self.describe(spec.target)
                ),
            );
        }
        issues.range_u32("clients", spec.clients, l::CLIENTS, "");
        if spec.clients_with_api_key > spec.clients {
            issues.push(
                "clients_with_api_key",
                format!(
                    "{} is outside 0..={} (the clients)",
                    spec.clients_with_api_key, spec.clients
                ),
            );
        }
        validate_load(&spec.load, issues);
        issues.range_u32("max_retries", spec.max_retries, l::MAX_RETRIES, "");
        if spec.timeout.as_micros() == 0 || spec.timeout.as_micros() > 3_600_000_000 {
            issues.push(
                "timeout_seconds",
                format!(
                    "{} s is outside 0.001..=3600 seconds",
                    spec.timeout.as_secs_f64()
                ),
            );
        }
        let ws = &spec.websocket;
        if let Err(problem) = ws.connection_seconds.check() {
            issues.push("connection_seconds", problem);
        }
        issues.range_u32(
            "silent_clients",
            ws.silent_clients,
            0..=spec.clients,
            " (the clients)",
        );
        issues.range_u32(
            "message_bytes",
            ws.message_bytes,
            l::WS_CLIENT_MESSAGE_BYTES,
            " bytes",
        );
        let mut shares = 0.0;
        for (i, (value, share)) in ws.actions.iter().enumerate() {
            issues.probability(&format!("actions[{i}].share"), *share);
            shares += share;
            if value.is_empty() {
                issues.push(&format!("actions[{i}].value"), "is empty".to_string());
            }
        }
        if shares > 1.0 + 1e-9 {
            issues.push(
                "actions",
                format!("the shares add up to {shares}, more than 1"),
            );
        }
        if spec.backoff_cap.as_micros() < spec.backoff_base.as_micros() {
            issues.push(
                "backoff_cap_seconds",
                format!(
                    "{} s is shorter than backoff_base_seconds ({} s)",
                    spec.backoff_cap.as_secs_f64(),
                    spec.backoff_base.as_secs_f64()
                ),
            );
        }
    }
}

fn validate_auto_scaling(
    spec: &crate::autoscaling::AutoScalingSpec,
    workers: u32,
    issues: &mut Issues,
) {
    use crate::autoscaling::ScalingPolicy;
    issues.range_u32(
        "auto_scaling.MaxSize",
        spec.max_size,
        1..=*ranges::CONSUMER_WORKERS.end(),
        "",
    );
    issues.range_u32(
        "auto_scaling.MinSize",
        spec.min_size,
        0..=spec.max_size,
        " (at most MaxSize)",
    );
    if !(spec.min_size..=spec.max_size).contains(&workers) {
        issues.push(
            "workers",
            format!(
                "{workers} (the desired capacity) is outside MinSize..=MaxSize ({}..={})",
                spec.min_size, spec.max_size
            ),
        );
    }
    match &spec.policy {
        ScalingPolicy::TargetTracking { target_value, .. } => {
            if !(target_value.is_finite() && *target_value > 0.0) {
                issues.push(
                    "auto_scaling.TargetTrackingConfiguration.TargetValue",
                    format!("{target_value} must be a finite number > 0"),
                );
            }
        }
        ScalingPolicy::StepScaling {
            steps, threshold, ..
        } => {
            if !threshold.is_finite() {
                issues.push(
                    "auto_scaling.StepScalingPolicy.Threshold",
                    format!("{threshold} must be a finite number"),
                );
            }
            if steps.is_empty() {
                issues.push(
                    "auto_scaling.StepScalingPolicy.StepAdjustments",
                    "needs at least one step".into(),
                );
            }
            for (i, step) in steps.iter().enumerate() {
                if let (Some(lower), Some(upper)) = (step.lower, step.upper) {
                    if upper <= lower {
                        issues.push(
                            &format!("auto_scaling.StepScalingPolicy.StepAdjustments[{i}].MetricIntervalUpperBound"),
                            format!("{upper} is not above MetricIntervalLowerBound {lower}"),
                        );
                    }
                }
            }
        }
    }
}

/// The rate pattern of a producer or a client population.
fn validate_load(spec: &ProducerSpec, issues: &mut Issues) {
    issues.rate("rate_per_second", spec.rate_per_second);
    for (i, ramp) in spec.ramps.iter().enumerate() {
        issues.rate(&format!("ramps[{i}].from_rate"), ramp.from_rate);
        issues.rate(&format!("ramps[{i}].to_rate"), ramp.to_rate);
        if ramp.end < ramp.start {
            issues.push(&format!("ramps[{i}].end"), "ends before it starts".into());
        }
    }
    for (i, spike) in spec.spikes.iter().enumerate() {
        issues.rate(
            &format!("spikes[{i}].rate_per_second"),
            spike.rate_per_second,
        );
    }
    for (i, burst) in spec.bursts.iter().enumerate() {
        if burst.count > 1_000_000 {
            issues.push(
                &format!("bursts[{i}].count"),
                format!("{} is outside 0..=1000000", burst.count),
            );
        }
    }
}

fn check_throttle(issues: &mut Issues, field: &str, t: Throttle, model: &Model) {
    use api_limits as l;
    issues.range_u32(
        &format!("{field}.rateLimit"),
        t.rate_limit,
        *l::RATE.start()..=model.api_account_throttle.rate_limit,
        " requests per second (at most the account's rate)",
    );
    issues.range_u32(
        &format!("{field}.burstLimit"),
        t.burst_limit,
        *l::BURST.start()..=model.api_account_throttle.burst_limit,
        " requests (at most the account's burst)",
    );
}
