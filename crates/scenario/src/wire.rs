//! The wire types of scenario format version 1: exactly what the JSON file holds.
//!
//! Every parameter is optional; a missing one takes the frozen v1 default of [`crate::v1`].
//! Queue attributes carry their AWS names and units (`VisibilityTimeout` in seconds); the
//! simulation's own knobs are `snake_case`. None of these types is an engine type: lowering
//! ([`crate::Scenario::lower`]) turns them into a [`loosely_engine::Model`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::distribution::Distribution;
use crate::v1;

/// A scenario: components on a canvas, the connections between them, alarms, and how to run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version of this file; this build reads version 1.
    pub version: u32,
    /// Title shown to people; default empty.
    #[serde(default)]
    pub name: String,
    /// What to watch, in one or two sentences; default empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Seed of the simulation's random number generator: any unsigned 64-bit integer; default 1. The same seed gives the same run.
    #[serde(default = "v1::seed")]
    pub seed: u64,
    /// How long to simulate, in seconds, 1..=31536000 (one year); default 3600.
    #[serde(default = "v1::duration_seconds")]
    pub duration_seconds: u64,
    /// Which table of AWS limits applies: `current` (today's documentation) or `exam` (figures of common certification notes); default `current`.
    #[serde(default)]
    pub limit_profile: LimitProfile,
    /// Length of one metric period, in seconds, 1..=86400; default 60 (CloudWatch's period).
    #[serde(default = "v1::metric_period_seconds")]
    pub metric_period_seconds: u32,
    /// Subtract the monthly free tier (1 million SQS requests) from the cost; default false.
    #[serde(default)]
    pub free_tier: bool,
    /// The queues, producers and consumer pools; default none.
    #[serde(default)]
    pub components: Vec<Component>,
    /// Arrows between components: producer to queue, queue to consumer; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<Connection>,
    /// CloudWatch-style alarms on component metrics; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<Alarm>,
}

/// Which table of AWS limits a scenario runs under.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitProfile {
    /// Today's documented AWS numbers.
    #[default]
    Current,
    /// The numbers of common exam notes (256 KB messages, FIFO 300 msg/s).
    Exam,
}

/// One box on the canvas. `kind` says what it is; `parameters` depend on the kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Component {
    /// An Amazon SQS queue (standard or FIFO).
    SqsQueue(Node<QueueParameters>),
    /// A source of messages sent to one queue.
    Producer(Node<ProducerParameters>),
    /// A pool of workers that receive, process and delete messages of one queue.
    Consumer(Node<ConsumerParameters>),
}

/// The fields every component has.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Node<P: Default> {
    /// Identifier used by connections, dead-letter targets and alarms; unique and non-empty.
    pub id: String,
    /// Name shown to people (a queue's `QueueName`: 1..=80 characters of letters, digits, `-` and `_`, ending in `.fifo` for FIFO queues); default: the id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Where the box sits on the canvas, in canvas pixels; default (0, 0).
    #[serde(default)]
    pub position: Position,
    /// The component's parameters; every one is optional.
    #[serde(default)]
    pub parameters: P,
}

/// A point on the canvas, in canvas pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// Horizontal position, pixels, growing to the right; default 0.
    #[serde(default)]
    pub x: f64,
    /// Vertical position, pixels, growing downwards; default 0.
    #[serde(default)]
    pub y: f64,
}

impl Component {
    pub fn id(&self) -> &str {
        match self {
            Component::SqsQueue(node) => &node.id,
            Component::Producer(node) => &node.id,
            Component::Consumer(node) => &node.id,
        }
    }

    /// The name shown to people: `name`, or the id when the name is empty.
    pub fn display_name(&self) -> &str {
        let (name, id) = match self {
            Component::SqsQueue(node) => (&node.name, &node.id),
            Component::Producer(node) => (&node.name, &node.id),
            Component::Consumer(node) => (&node.name, &node.id),
        };
        if name.is_empty() {
            id
        } else {
            name
        }
    }

    pub fn position(&self) -> Position {
        match self {
            Component::SqsQueue(node) => node.position,
            Component::Producer(node) => node.position,
            Component::Consumer(node) => node.position,
        }
    }

    pub fn set_position(&mut self, position: Position) {
        match self {
            Component::SqsQueue(node) => node.position = position,
            Component::Producer(node) => node.position = position,
            Component::Consumer(node) => node.position = position,
        }
    }

    /// The `kind` as written in the file.
    pub fn kind_str(&self) -> &'static str {
        match self {
            Component::SqsQueue(_) => "sqs_queue",
            Component::Producer(_) => "producer",
            Component::Consumer(_) => "consumer",
        }
    }

    /// The kind in words, for sentences ("a producer").
    pub fn kind_words(&self) -> &'static str {
        match self {
            Component::SqsQueue(_) => "queue",
            Component::Producer(_) => "producer",
            Component::Consumer(_) => "consumer",
        }
    }
}

/// SQS queue attributes, with AWS's names and units.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct QueueParameters {
    /// `FifoQueue`: a FIFO queue (create-only; the name must end in `.fifo`); default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fifo_queue: Option<bool>,
    /// `VisibilityTimeout`: seconds a received message stays invisible, 0..=43200; default 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility_timeout: Option<u32>,
    /// `DelaySeconds`: seconds every new message stays hidden, 0..=900; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_seconds: Option<u32>,
    /// `MessageRetentionPeriod`: seconds a message is kept, 60..=1209600 (14 days); default 345600 (4 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_retention_period: Option<u32>,
    /// `ReceiveMessageWaitTimeSeconds`: default long-poll wait of receives, seconds, 0..=20; default 0 (short polling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receive_message_wait_time_seconds: Option<u32>,
    /// `MaximumMessageSize`: largest message, bytes, 1024..=1048576 (1024..=262144 under the exam profile); default 1048576 (262144 under the exam profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_message_size: Option<u32>,
    /// `RedrivePolicy`: the dead-letter queue and after how many receives a message goes there; default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redrive_policy: Option<RedrivePolicy>,
    /// `RedriveAllowPolicy` (on a dead-letter queue): which source queues may use it; default allowAll.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redrive_allow_policy: Option<RedriveAllowPolicy>,
    /// `ContentBasedDeduplication` (FIFO only): the SHA-256 of the body is the deduplication id; default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_based_deduplication: Option<bool>,
    /// `DeduplicationScope` (FIFO only): `queue` or `messageGroup`; default `queue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deduplication_scope: Option<DeduplicationScope>,
    /// `FifoThroughputLimit` (FIFO only): `perQueue` or `perMessageGroupId` (needs DeduplicationScope `messageGroup`); default `perQueue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fifo_throughput_limit: Option<FifoThroughputLimit>,
    /// `SqsManagedSseEnabled`: encryption at rest with SQS-owned keys (shown, not simulated); default true, or false when KmsMasterKeyId is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqs_managed_sse_enabled: Option<bool>,
    /// `KmsMasterKeyId`: a KMS key id, alias or ARN for encryption at rest (shown, not simulated); default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
    /// `KmsDataKeyReusePeriodSeconds`: seconds, 60..=86400; default 300 (shown, not simulated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_data_key_reuse_period_seconds: Option<u32>,
    /// Simulation knob (standard queues): chance, 0..=1, that a delete misses a replica so the message is delivered again; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_delivery_probability: Option<f64>,
    /// Simulation knob (standard queues): chance, 0..=1, that a sent message overtakes some sent just before it; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reorder_probability: Option<f64>,
}

/// `RedrivePolicy`: where messages go after too many receives.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RedrivePolicy {
    /// The dead-letter queue: a component id, or an ARN `arn:aws:sqs:<region>:<account>:<queue name>` matched by queue name.
    pub dead_letter_target_arn: String,
    /// Receives after which a message moves to the dead-letter queue, 1..=1000; default 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_receive_count: Option<u32>,
}

/// `RedriveAllowPolicy`: which source queues may use this queue as their dead-letter queue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RedriveAllowPolicy {
    /// `allowAll`, `denyAll` or `byQueue`.
    pub redrive_permission: RedrivePermission,
    /// With `byQueue`: up to 10 source queues, as component ids or ARNs; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_queue_arns: Vec<String>,
}

/// `redrivePermission` of a `RedriveAllowPolicy`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RedrivePermission {
    /// Any source queue may use this queue as its dead-letter queue.
    #[default]
    AllowAll,
    /// No source queue may.
    DenyAll,
    /// Only the queues in `sourceQueueArns` may.
    ByQueue,
}

/// `DeduplicationScope` of a FIFO queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum DeduplicationScope {
    /// Deduplication ids are unique across the queue.
    #[default]
    Queue,
    /// Deduplication ids are unique within a message group.
    MessageGroup,
}

/// `FifoThroughputLimit` of a FIFO queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FifoThroughputLimit {
    /// The quota applies to the whole queue.
    #[default]
    PerQueue,
    /// High-throughput mode: the quota applies per message group.
    PerMessageGroupId,
}

/// How a producer spaces its sends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Arrival {
    /// Evenly spaced sends.
    Constant,
    /// Exponential gaps between sends (a Poisson process).
    #[default]
    Poisson,
}

/// A producer's traffic and the messages it sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProducerParameters {
    /// `constant` (evenly spaced) or `poisson` (exponential gaps); default `poisson`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival: Option<Arrival>,
    /// Messages per second outside ramps and spikes, 0..=1000000; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_per_second: Option<f64>,
    /// Linear rate changes; after a ramp ends the rate stays at its `to_rate`; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ramps: Vec<Ramp>,
    /// Windows with a different rate; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spikes: Vec<Spike>,
    /// Many messages sent at one moment; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bursts: Vec<Burst>,
    /// When the producer starts, seconds from the start of the run, >= 0; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_seconds: Option<f64>,
    /// When the producer stops, seconds from the start of the run, >= 0; default never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_seconds: Option<f64>,
    /// Stop after this many messages; default no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// Messages per send call, 1..=10: 1 is `SendMessage`, more is `SendMessageBatch`; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<u32>,
    /// What each message looks like; default 1024-byte bodies without attributes or groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageParameters>,
}

/// A linear change of a producer's rate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ramp {
    /// When the ramp starts, seconds from the start of the run, >= 0.
    pub start_seconds: f64,
    /// When the ramp ends, seconds from the start of the run, >= start_seconds.
    pub end_seconds: f64,
    /// Messages per second at the start, 0..=1000000.
    pub from_rate: f64,
    /// Messages per second at the end and afterwards, 0..=1000000.
    pub to_rate: f64,
}

/// A window in which a producer sends at another rate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spike {
    /// When the spike starts, seconds from the start of the run, >= 0.
    pub start_seconds: f64,
    /// How long it lasts, seconds, >= 0.
    pub duration_seconds: f64,
    /// Messages per second during the spike, 0..=1000000.
    pub rate_per_second: f64,
}

/// Messages sent all at once.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Burst {
    /// When, seconds from the start of the run, >= 0.
    pub at_seconds: f64,
    /// How many messages, 0..=1000000.
    pub count: u32,
}

/// How a producer picks a `MessageGroupId` from its list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupChoice {
    /// One after another, in list order.
    #[default]
    RoundRobin,
    /// Uniformly at random.
    Random,
}

/// How a producer sets `MessageDeduplicationId`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DedupIds {
    /// No explicit id (a FIFO queue then needs `ContentBasedDeduplication`).
    #[default]
    None,
    /// A fresh id per message; a deliberate duplicate repeats the original's id.
    Unique,
}

/// What each message of a producer looks like.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageParameters {
    /// Body size in bytes, a distribution; default constant 1024.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_size: Option<Distribution>,
    /// Message attributes, at most 10, in the AWS API shape; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<MessageAttribute>,
    /// `MessageGroupId`s to use (required for FIFO queues; on a standard queue they turn on fair queues); default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_ids: Vec<String>,
    /// How to pick a group id: `round_robin` or `random`; default `round_robin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_choice: Option<GroupChoice>,
    /// `MessageDeduplicationId`s: `none` or `unique`; default `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup_ids: Option<DedupIds>,
    /// Share of sends, 0..=1, that deliberately repeat the previous message (same body and deduplication id); default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_share: Option<f64>,
    /// Per-message `DelaySeconds`, 0..=900 (standard queues only); default: the queue's DelaySeconds.
    #[serde(
        default,
        rename = "DelaySeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub delay_seconds: Option<u32>,
}

/// A message attribute as the SQS API carries it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct MessageAttribute {
    /// Attribute name: 1..=256 characters of letters, digits, `_`, `-` and `.`; not starting with `AWS.` or `Amazon.`.
    pub name: String,
    /// `String`, `Number` or `Binary`, optionally with a custom suffix (`Number.int`).
    pub data_type: String,
    /// The value (for `Number`, a decimal number written as text).
    pub string_value: String,
}

/// When a consumer deletes what it processed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeleteMode {
    /// `DeleteMessage` after each message.
    #[default]
    PerMessage,
    /// One `DeleteMessageBatch` after the whole batch.
    PerBatch,
}

/// A consumer pool: workers that each loop receive, process one message after another, delete.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsumerParameters {
    /// Workers in the pool, 0..=10000; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<u32>,
    /// `WaitTimeSeconds` of each receive, 0..=20; default: the queue's ReceiveMessageWaitTimeSeconds.
    #[serde(
        default,
        rename = "WaitTimeSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub wait_time_seconds: Option<u32>,
    /// `MaxNumberOfMessages` of each receive, 1..=10; default 1.
    #[serde(
        default,
        rename = "MaxNumberOfMessages",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_number_of_messages: Option<u32>,
    /// `VisibilityTimeout` of each receive, seconds, 0..=43200; default: the queue's VisibilityTimeout.
    #[serde(
        default,
        rename = "VisibilityTimeout",
        skip_serializing_if = "Option::is_none"
    )]
    pub visibility_timeout: Option<u32>,
    /// Seconds to process one message, a distribution; default constant 0.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_time: Option<Distribution>,
    /// Chance, 0..=1, that processing a message fails (it is not deleted and comes back); default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_probability: Option<f64>,
    /// Keep messages invisible while working on them with `ChangeMessageVisibility`; default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat: Option<Heartbeat>,
    /// `per_message` (`DeleteMessage` each) or `per_batch` (one `DeleteMessageBatch`); default `per_message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_mode: Option<DeleteMode>,
    /// Pause after a receive that returned nothing without waiting, milliseconds, 1..=60000; default 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_receive_pause_ms: Option<u32>,
}

/// Periodic `ChangeMessageVisibility` calls while a message is being processed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    /// Seconds between calls, 1..=43200.
    pub interval_seconds: u32,
    /// The `VisibilityTimeout` each call sets, seconds from the call, 0..=43200.
    #[serde(rename = "VisibilityTimeout")]
    pub visibility_timeout: u32,
}

/// An arrow on the canvas.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    /// Id of the component the arrow starts at (a producer, or the queue a consumer reads).
    pub from: String,
    /// Id of the component the arrow ends at (the producer's queue, or a consumer).
    pub to: String,
}

/// CloudWatch comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ComparisonOperator {
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
}

/// A CloudWatch-style alarm on one metric of one component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alarm {
    /// `AlarmName`: shown in the trace when the alarm changes state.
    #[serde(rename = "AlarmName")]
    pub alarm_name: String,
    /// Id of the component whose metric is watched.
    pub component: String,
    /// `MetricName`: a CloudWatch SQS metric such as `ApproximateNumberOfMessagesVisible`, or one of the simulation's own (`MessagesProcessed`, `LatencyP99`, ...).
    #[serde(rename = "MetricName")]
    pub metric_name: String,
    /// `ComparisonOperator` between the metric and the threshold.
    #[serde(rename = "ComparisonOperator")]
    pub comparison_operator: ComparisonOperator,
    /// `Threshold`: a finite number, in the metric's unit.
    #[serde(rename = "Threshold")]
    pub threshold: f64,
    /// `EvaluationPeriods`: consecutive breaching periods before the alarm fires, 1..=100; default 1.
    #[serde(rename = "EvaluationPeriods", default = "v1::evaluation_periods")]
    pub evaluation_periods: u32,
}
