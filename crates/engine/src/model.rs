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
    BatchComputeEnvironment(crate::batch::ComputeEnvironmentSpec),
    BatchJobQueue(crate::batch::JobQueueSpec),
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
            ComponentKind::BatchComputeEnvironment(_) => "Batch compute environment",
            ComponentKind::BatchJobQueue(_) => "Batch job queue",
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
                        Some(ComponentKind::StateMachine(_) | ComponentKind::BatchJobQueue(_))
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
                ComponentKind::BatchComputeEnvironment(_) | ComponentKind::BatchJobQueue(_) => {
                    let mut found = Vec::new();
                    self.batch_issues(index, &mut |field, message| {
                        found.push((field.to_string(), message))
                    });
                    for (field, message) in found {
                        issues.push(&field, message);
                    }
                }
                ComponentKind::StateMachine(spec) => spec.check(&mut issues),
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
                    if queue_of(spec.source).is_none() {
                        issues.push(
                            "source",
                            format!("{} is not a queue", self.describe(spec.source)),
                        );
                    }
                    issues.range_u32("workers", spec.workers, ranges::CONSUMER_WORKERS, "");
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

/// An S3 bucket that holds large payloads for the extended client library.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BucketSpec {}

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
