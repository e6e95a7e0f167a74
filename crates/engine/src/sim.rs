//! The simulation: components, messages and the event loop.
//!
//! # Driving contract
//!
//! A [`Simulation`] is sans-IO. The caller builds it from a valid [`Model`], then repeatedly:
//!
//! ```text
//!   handle_command(..)      change settings, pause, purge, redrive, send by hand (any time)
//!   run_until(t) / step()   advance virtual time; nothing happens between calls
//!   drain_trace()           what happened, message by message (when tracing is on)
//!   drain_metrics()         metric samples, one per component and metric at each period end
//! ```
//!
//! `next_event_time()` says when something will happen next. The same model, seed and calls
//! give the same trace, natively and in WebAssembly. `Clone` is a checkpoint: a clone goes on
//! exactly as the original would.
//!
//! # What SQS behaviour is modelled
//!
//! Standard and FIFO queues with AWS's attributes, ranges and defaults; delay queues and
//! message timers; visibility timeouts and `ChangeMessageVisibility` (heartbeats); short
//! polling that samples a subset of servers and long polling that answers as soon as a message
//! is visible; redrive to a dead-letter queue after `maxReceiveCount` receives and redrive back
//! with a message move task; retention; FIFO ordering per group, group locking,
//! deduplication (explicit or content-based SHA-256) in a 5-minute window, and per-action
//! throughput quotas; fair queues on standard queues whose messages carry a `MessageGroupId`;
//! at-least-once delivery and best-effort ordering as probabilities on standard queues; the
//! in-flight cap; billing in 64 KB chunks.
//!
//! # Simplifications
//!
//! API calls take no time; attribute changes apply at once (AWS: up to 60 s); a queue is one
//! partition (FIFO quotas are per queue, not per partition); fair queues serve groups in
//! round-robin order; `ReceiveRequestAttemptId`, access policies and KMS are not simulated
//! (encryption settings are shown only).

use std::collections::VecDeque;

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use crate::event_queue::{EventQueue, LaneId};
use crate::limits::Limits;
use crate::metrics::{
    LatencyHistogram, LatencySummary, Metric, MetricSample, MetricSeries, SeriesPoint,
    CONSUMER_METRICS, FIFO_QUEUE_METRICS, PRODUCER_METRICS, QUEUE_METRICS,
};
use crate::model::{
    Arrival, ComponentId, ComponentKind, ConsumerSpec, DedupIds, DeduplicationScope, DeleteMode,
    GroupChoice, MessageAttribute, Model, ModelIssue, ProducerSpec, QueueSpec, RetryClass,
};
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};
use crate::trace::{EmptyReason, MessageId, SqsError, TraceEvent, TraceKind};

#[path = "sns_runtime.rs"]
mod sns;

#[path = "sfn_runtime.rs"]
mod sfn;

#[path = "lambda_runtime.rs"]
mod lambda;

#[path = "api_runtime.rs"]
mod api;

pub use api::{
    backoff_wait, metered_messages, ws_price, ApiAnswer, ApiStats, ClientCensus, ClientsStats,
    RateBucket, WsCensus, WsStats,
};

pub use lambda::{
    async_throttle_backoff, esm_scaling_decision, EsmScaling, LambdaCensus, LambdaStats,
};
#[path = "fault_runtime.rs"]
mod faults_rt;

#[path = "batch_runtime.rs"]
mod batch_rt;

pub use batch_rt::{ComputeEnvironmentStats, JobQueueStats, JobState};

#[path = "appflow_runtime.rs"]
mod appflow_rt;

pub use appflow_rt::{FlowCensus, FlowRunRecord, FlowRunStatus, FlowStats, FlowStatus};

#[path = "alb_runtime.rs"]
mod alb_rt;

pub use alb_rt::{AlbAnswer, LoadBalancerStats, TargetStats};

#[path = "mq_runtime.rs"]
mod mq_rt;

pub use mq_rt::{BrokerQueueStats, BrokerStats, MqCensus};

pub use sfn::{
    BucketObject, ExecutionRecord, ExecutionSummary, StateCounts, StateMachineStats,
    RECENT_PER_STATE,
};

pub use sns::{BucketStats, EndpointStats, ManualPublish, SnsCensus, TopicStats};

const NONE: u32 = u32::MAX;
/// The `LastModified` of the objects a scenario puts in its buckets (2024-01-01T00:00:00Z,
/// the moment every execution's clock starts at), seconds since the Unix epoch.
const SEEDED_OBJECTS_EPOCH: i64 = 1_704_067_200;
/// Records kept of messages that ended in a dead-letter queue.
pub const DEAD_LETTER_RECORDS: usize = 10;
/// Rate of a message move task that names none ("system-optimised"): the documented maximum.
const DEFAULT_MOVE_TASK_RATE: u32 = 500;
/// Messages a short poll looks at before it gives up on sampled-out messages.
const SHORT_POLL_SCAN: usize = 100;

/// Why a model could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the model has {} problem(s): {}", .0.len(), .0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ModelIssue>),
}

/// Why a command was refused. The simulation is unchanged when a command fails.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CommandError {
    #[error("component {0} does not exist")]
    NoSuchComponent(ComponentId),
    #[error("component {component} is a {actual}, not a {expected}")]
    WrongKind {
        component: ComponentId,
        expected: &'static str,
        actual: &'static str,
    },
    #[error("{}", .0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ModelIssue>),
    #[error("{0}")]
    Sqs(SqsError),
    #[error("{0}")]
    NotWhileRunning(String),
    /// A Step Functions API error: its AWS name (`ExecutionDoesNotExist`,
    /// `ExecutionNotRedrivable`) and message.
    #[error("{error}: {message}")]
    StepFunctions {
        error: &'static str,
        message: String,
    },
}

/// A message sent by hand from the playground or a test.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ManualMessage {
    pub body: String,
    pub message_group_id: Option<String>,
    pub message_deduplication_id: Option<String>,
    pub delay_seconds: Option<u32>,
    pub attributes: Vec<MessageAttribute>,
}

/// Inputs accepted while running.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Replace a component's parameters (connections and `FifoQueue` cannot change).
    Update {
        component: ComponentId,
        kind: ComponentKind,
    },
    /// Stop a producer or consumer pool (a consumer finishes the batch in hand).
    Pause {
        component: ComponentId,
    },
    Resume {
        component: ComponentId,
    },
    /// `PurgeQueue`: delete every message, in flight included.
    PurgeQueue {
        queue: ComponentId,
    },
    /// `StartMessageMoveTask` from a dead-letter queue back to its sources (or `destination`).
    StartMessageMoveTask {
        source: ComponentId,
        destination: Option<ComponentId>,
        max_number_of_messages_per_second: Option<u32>,
    },
    /// `CancelMessageMoveTask`.
    CancelMessageMoveTask {
        source: ComponentId,
    },
    /// `SendMessage` by hand.
    SendMessage {
        queue: ComponentId,
        message: ManualMessage,
    },
    /// SNS `Publish` by hand.
    Publish {
        topic: ComponentId,
        message: ManualPublish,
    },
    /// Step Functions `RedriveExecution`: a failed, timed-out or aborted Standard execution
    /// (named by its ARN or name) resumes from the state where it stopped.
    RedriveExecution {
        state_machine: ComponentId,
        execution: String,
    },
    /// AppFlow `StartFlow`: runs an on-demand flow now (an error while one of its runs is in
    /// progress); activates a suspended scheduled or event flow.
    StartFlow {
        flow: ComponentId,
    },
}

/// How many messages received more than once [`Simulation::redeliveries`] keeps.
pub const REDELIVERY_EXAMPLES: usize = 20;

/// A breakpoint for [`Simulation::run_until_condition`].
#[derive(Clone, Debug, PartialEq)]
pub enum StopCondition {
    /// A message arrives in this dead-letter queue from a source's redrive policy.
    DeadLetterArrives { queue: ComponentId },
    /// The queue's visible messages pass this number.
    DepthAbove { queue: ComponentId, visible: u32 },
    /// This message is deleted.
    MessageDeleted { message: MessageId },
    /// The alarm (index in the model) goes into `ALARM`.
    AlarmFires { alarm: usize },
}

/// Where each message sent so far is. Sends are conserved:
/// `sent == rejected + deduplicated + delayed + visible + in_flight + deleted + expired + purged`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Census {
    /// Send attempts (each message of a batch counts).
    pub sent: u64,
    pub rejected: u64,
    /// Accepted by a FIFO queue but dropped as duplicates.
    pub deduplicated: u64,
    pub delayed: u64,
    pub visible: u64,
    pub in_flight: u64,
    pub deleted: u64,
    pub expired: u64,
    pub purged: u64,
    /// Of the held ones (delayed, visible, in flight), those in a dead-letter queue.
    pub in_dlq: u64,
}

impl Census {
    pub fn accounted(&self) -> u64 {
        self.rejected
            + self.deduplicated
            + self.delayed
            + self.visible
            + self.in_flight
            + self.deleted
            + self.expired
            + self.purged
    }
}

/// Live numbers of a queue.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueStats {
    pub visible: u32,
    pub in_flight: u32,
    pub delayed: u32,
    pub sent: u64,
    pub received: u64,
    pub deleted: u64,
    pub empty_receives: u64,
    pub deduplicated: u64,
    pub throttled: u64,
    pub moved_to_dlq: u64,
    /// Messages received more than once (each counted once): redeliveries after a failure or
    /// an expired visibility timeout, and duplicate deliveries of standard queues.
    pub redelivered: u64,
    /// Messages that arrived here from a source queue's redrive policy.
    pub dead_lettered_here: u64,
    pub expired: u64,
    pub purged: u64,
    /// Billable requests (64 KB chunks).
    pub requests: u64,
    pub cost_usd: f64,
    pub oldest_age_seconds: f64,
    pub groups_with_in_flight: u32,
    /// Some other queue names this queue in its redrive policy.
    pub is_dead_letter_queue: bool,
    pub move_task: Option<MoveTaskStats>,
}

/// A queue's counters without the age of its oldest message (which walks the retention
/// log): cheap enough to read for every frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub visible: u32,
    pub in_flight: u32,
    pub delayed: u32,
    pub sent: u64,
    pub deleted: u64,
    pub moved_to_dlq: u64,
    /// Messages received more than once (each counted once).
    pub redelivered: u64,
}

/// A message move task's progress.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveTaskStats {
    /// `RUNNING`, `COMPLETED`, `CANCELLED`.
    pub status: &'static str,
    pub moved: u64,
    pub rate_per_second: u32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProducerStats {
    pub sent: u64,
    pub rejected: u64,
    pub throttled: u64,
    pub finished: bool,
    pub paused: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConsumerStats {
    pub workers: u32,
    pub busy: u32,
    pub polling: u32,
    pub idle: u32,
    pub processed: u64,
    pub failed: u64,
    pub deleted: u64,
    pub latency: LatencySummary,
    pub paused: bool,
    /// Workers stopped by a fault now.
    pub workers_down: u32,
    /// Messages that stopped workers dropped (they came back after their visibility timeout).
    pub abandoned: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ComponentStats {
    Queue(QueueStats),
    Producer(ProducerStats),
    Consumer(ConsumerStats),
    Topic(TopicStats),
    Endpoint(EndpointStats),
    Bucket(BucketStats),
    StateMachine(StateMachineStats),
    Lambda(LambdaStats),
    Api(ApiStats),
    Clients(ClientsStats),
    BatchJobQueue(JobQueueStats),
    BatchComputeEnvironment(ComputeEnvironmentStats),
    Broker(BrokerStats),
    Flow(FlowStats),
    LoadBalancer(LoadBalancerStats),
}

/// Where a message is, for [`Simulation::peek`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeekState {
    Delayed { until: SimTime },
    Visible,
    InFlight { until: SimTime },
}

/// A message held by a queue, seen without receiving it.
#[derive(Clone, Debug, PartialEq)]
pub struct PeekedMessage {
    pub id: MessageId,
    pub state: PeekState,
    pub receive_count: u32,
    pub group: Option<String>,
    pub size: u32,
    pub sent_at: SimTime,
    pub arrived_at: SimTime,
    /// The body, for messages sent by hand (generated messages have only a size).
    pub body: Option<String>,
    pub message_deduplication_id: Option<String>,
}

/// The story of a message that ended in a dead-letter queue.
#[derive(Clone, Debug, PartialEq)]
pub struct DeadLetterRecord {
    pub message: MessageId,
    pub producer: Option<ComponentId>,
    pub source: ComponentId,
    pub dlq: ComponentId,
    pub sent_at: SimTime,
    pub first_receive_at: SimTime,
    pub moved_at: SimTime,
    pub receive_count: u32,
    pub max_receive_count: u32,
}

/// End-to-end latency (send to delete) along one path.
#[derive(Clone, Debug, PartialEq)]
pub struct PathLatency {
    pub producer: Option<ComponentId>,
    pub queue: ComponentId,
    pub consumer: ComponentId,
    pub summary: LatencySummary,
}

/// Billable requests and their price.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CostReport {
    /// Per queue: (component, billable requests, US dollars).
    pub queues: Vec<(ComponentId, u64, f64)>,
    /// Per topic: (component, billable publish requests, US dollars for publishes and deliveries).
    pub topics: Vec<(ComponentId, u64, f64)>,
    /// Per state machine: (component, billed units: state transitions for Standard,
    /// requests for Express, US dollars).
    pub state_machines: Vec<(ComponentId, u64, f64)>,
    /// Per Lambda function: (component, billed requests, US dollars for requests and
    /// GB-seconds, before the free tier).
    pub lambdas: Vec<(ComponentId, u64, f64)>,
    /// Per API: (component, billed requests, US dollars, before the free tier).
    pub apis: Vec<(ComponentId, u64, f64)>,
    /// Per Batch compute environment: (component, US dollars of EC2 or Fargate capacity;
    /// Batch itself is free).
    pub compute_environments: Vec<(ComponentId, f64)>,
    /// Per Amazon MQ broker: (component, US dollars of broker instance-hours).
    pub brokers: Vec<(ComponentId, f64)>,
    /// Per AppFlow flow: (component, flow runs, US dollars for runs and data processed).
    pub flows: Vec<(ComponentId, u64, f64)>,
    /// Per Application Load Balancer: (component, US dollars for load balancer-hours and
    /// LCU-hours, before the free tier).
    pub load_balancers: Vec<(ComponentId, f64)>,
    pub requests: u64,
    /// Total in US dollars, after the free tier when the model asks for it.
    pub total_usd: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    FlowTrigger {
        flow: u32,
        what: u8,
    },
    FlowRunEnd {
        flow: u32,
        execution: u32,
    },
    ProducerTick {
        producer: u32,
        generation: u32,
    },
    Burst {
        producer: u32,
        count: u32,
    },
    DelayEnd {
        slot: u32,
        epoch: u32,
    },
    VisibilityEnd {
        slot: u32,
        epoch: u32,
    },
    RetentionCheck {
        queue: u32,
        generation: u32,
    },
    WorkerPoll {
        consumer: u32,
        worker: u32,
        generation: u32,
    },
    PollTimeout {
        consumer: u32,
        worker: u32,
        generation: u32,
    },
    WorkDone {
        consumer: u32,
        worker: u32,
        generation: u32,
    },
    Heartbeat {
        consumer: u32,
        worker: u32,
        generation: u32,
    },
    MoveTaskTick {
        queue: u32,
        generation: u32,
    },
    MetricTick,
    DeliveryAttempt {
        delivery: u32,
        epoch: u32,
    },
    DeliveryDone {
        delivery: u32,
        epoch: u32,
    },
    SfnAdvance {
        machine: u32,
        execution: u32,
        generation: u32,
    },
    LambdaDone {
        invocation: u32,
        epoch: u32,
    },
    AsyncAttempt {
        event: u32,
        epoch: u32,
    },
    EsmWindowEnd {
        consumer: u32,
        worker: u32,
        generation: u32,
    },
    EsmScale,
    AutoScale,
    ClientAttempt {
        request: u32,
        epoch: u32,
    },
    ClientTimeout {
        request: u32,
        epoch: u32,
    },
    AlbHealthCheck {
        alb: u32,
        target: u32,
        generation: u32,
    },
    AlbHealthResult {
        alb: u32,
        target: u32,
        generation: u32,
        result: crate::alb::CheckResult,
    },
    AlbTargetDone {
        alb: u32,
        target: u32,
        request: u32,
        epoch: u32,
        generation: u32,
        error: bool,
    },
    AlbIdleTimeout {
        request: u32,
        epoch: u32,
    },
    AlbDrainEnd {
        alb: u32,
        target: u32,
        generation: u32,
    },
    AuthorizerDone {
        request: u32,
        epoch: u32,
        verdict: u8,
    },
    IntegrationDone {
        request: u32,
        epoch: u32,
        answer: ApiAnswer,
    },
    IntegrationTimeout {
        request: u32,
        epoch: u32,
    },
    WsConnect {
        clients: u32,
        client: u32,
        epoch: u32,
    },
    WsClose {
        clients: u32,
        client: u32,
        epoch: u32,
        reason: u8,
    },
    WsIdle {
        clients: u32,
        client: u32,
        epoch: u32,
    },
    MqEdge {
        broker: u32,
        window: u32,
        begins: bool,
    },
    MqFailoverDone {
        broker: u32,
    },
    MqReconnect {
        broker: u32,
    },
    MqWork {
        broker: u32,
        consumer: u32,
        worker: u32,
        generation: u32,
    },
    FaultEdge {
        fault: u32,
        begins: bool,
    },
    BatchJob {
        job: u32,
        generation: u32,
    },
    BatchInstance {
        env: u32,
        instance: u32,
        generation: u32,
        what: u8,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MsgState {
    Free,
    Delayed,
    Visible,
    InFlight,
}

#[derive(Clone, Debug)]
struct MsgExtra {
    body: String,
    dedup_id: Option<String>,
}

#[derive(Clone, Debug)]
struct Msg {
    id: u64,
    queue: u32,
    state: MsgState,
    /// Changes whenever a pending timer of this message becomes meaningless.
    epoch: u32,
    /// Changes on every receive: the receipt handle.
    receipt: u32,
    receive_count: u32,
    /// Interned `MessageGroupId`, or NONE.
    group: u32,
    /// Index of the group in the current queue.
    local_group: u32,
    size: u32,
    /// Component id of the producer, or NONE for messages sent by hand.
    producer: u32,
    /// Queue index the message was first sent to (redrive goes back there).
    origin_queue: u32,
    seq: u64,
    sent_at: SimTime,
    /// Start of the retention clock.
    enqueued_at: SimTime,
    /// Arrival in the current queue.
    arrived_at: SimTime,
    /// End of the delay or of the visibility timeout.
    deadline: SimTime,
    first_receive_at: SimTime,
    receive_started: SimTime,
    extra: Option<Box<MsgExtra>>,
}

#[derive(Clone, Debug)]
struct GroupRt {
    name: u32,
    visible: VecDeque<u32>,
    in_flight: u32,
    in_ready: bool,
    /// The message most recently received from the group (for "blocked by" explanations).
    last_received: u32,
}

#[derive(Clone, Copy, Debug, Default)]
struct QueueCounters {
    sent: u64,
    received: u64,
    deleted: u64,
    empty_receives: u64,
    deduplicated: u64,
    size_sum: u64,
    throttled: u64,
    moved_to_dlq: u64,
    dead_lettered_here: u64,
    expired: u64,
    purged: u64,
    /// Messages received a second time (each counted once).
    redelivered: u64,
}

/// A token bucket in micro-tokens: integer arithmetic keeps it deterministic.
#[derive(Clone, Debug)]
struct TokenBucket {
    rate_per_second: u64,
    micro_tokens: u64,
    last: SimTime,
}

impl TokenBucket {
    fn new(rate_per_second: u32) -> TokenBucket {
        TokenBucket {
            rate_per_second: rate_per_second as u64,
            micro_tokens: rate_per_second as u64 * 1_000_000,
            last: SimTime::ZERO,
        }
    }

    fn try_take(&mut self, now: SimTime) -> bool {
        let capacity = self.rate_per_second * 1_000_000;
        let elapsed = now.since(self.last).as_micros();
        self.micro_tokens = self
            .micro_tokens
            .saturating_add(elapsed.saturating_mul(self.rate_per_second))
            .min(capacity);
        self.last = now;
        if self.micro_tokens >= 1_000_000 {
            self.micro_tokens -= 1_000_000;
            true
        } else {
            false
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Send,
    Receive,
    Delete,
}

#[derive(Clone, Debug)]
struct MoveTask {
    destination: Option<u32>,
    rate: u32,
    moved: u64,
    status: &'static str,
    generation: u32,
}

#[derive(Clone, Debug)]
struct Waiter {
    consumer: u32,
    worker: u32,
    generation: u32,
}

#[derive(Clone, Debug)]
struct QueueRt {
    component: ComponentId,
    spec: QueueSpec,
    groups: Vec<GroupRt>,
    group_index: FxHashMap<u32, u32>,
    ready: VecDeque<u32>,
    visible: u32,
    in_flight: u32,
    delayed: u32,
    groups_in_flight: u32,
    waiters: VecDeque<Waiter>,
    visibility_lane: LaneId,
    delay_lane: LaneId,
    retention_log: VecDeque<(SimTime, u32, u64)>,
    retention_stale: usize,
    retention_generation: u32,
    dedup: sns::DedupWindow,
    next_seq: u64,
    buckets: [TokenBucket; 3],
    period: QueueCounters,
    total: QueueCounters,
    requests: u64,
    is_dlq: bool,
    move_task: Option<MoveTask>,
    last_purge: Option<SimTime>,
}

#[derive(Clone, Debug)]
struct ProducerRt {
    component: ComponentId,
    spec: ProducerSpec,
    target: Target,
    /// Each variant's attributes and body, built once; index 0 is the plain template.
    variants: Vec<(sns::Attributes, Option<std::rc::Rc<str>>)>,
    attempted: u64,
    accepted: u64,
    rejected: u64,
    throttled: u64,
    period_sent: u64,
    period_errors: u64,
    generation: u32,
    paused: bool,
    finished: bool,
    round_robin: usize,
    /// (size, group, dedup sequence) of the last message, for deliberate duplicates.
    last: Option<(u32, u32, u64, usize)>,
    next_body: u64,
}

impl ProducerRt {
    fn new(component: ComponentId, spec: ProducerSpec, target: Target) -> ProducerRt {
        let base = &spec.template.attributes;
        let mut variants = vec![(sns::attributes_of(base), None)];
        for variant in &spec.template.variants {
            let mut attributes = base.clone();
            attributes.extend(variant.attributes.iter().cloned());
            variants.push((
                sns::attributes_of(&attributes),
                variant.body.as_deref().map(std::rc::Rc::from),
            ));
        }
        ProducerRt {
            component,
            spec,
            target,
            variants,
            attempted: 0,
            accepted: 0,
            rejected: 0,
            throttled: 0,
            period_sent: 0,
            period_errors: 0,
            generation: 0,
            paused: false,
            finished: false,
            round_robin: 0,
            last: None,
            next_body: 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WorkerState {
    Idle,
    Polling { since: SimTime },
    Processing,
    Paused,
    Retired,
}

#[derive(Clone, Debug)]
struct Taken {
    slot: u32,
    receipt: u32,
    succeeded: bool,
}

#[derive(Clone, Debug)]
struct Worker {
    state: WorkerState,
    generation: u32,
    batch: Vec<Taken>,
    position: usize,
}

#[derive(Clone, Debug)]
struct ConsumerRt {
    component: ComponentId,
    spec: ConsumerSpec,
    queue: u32,
    workers: Vec<Worker>,
    poll_lane: LaneId,
    paused: bool,
    processed: u64,
    failed: u64,
    deleted: u64,
    period_processed: u64,
    period_failed: u64,
    period_latency: LatencyHistogram,
    total_latency: LatencyHistogram,
    /// Workers that are not retired.
    active: u32,
    /// The function whose SQS event source mapping this is, or NONE for a consumer pool.
    lambda: u32,
    /// Which of the function's event source mappings.
    event_source: u32,
    /// Invocations throttled since the mapping last reconsidered its concurrency.
    throttled_since_scale: u32,
    /// The last Auto Scaling activity (for the cooldown).
    last_scaling: Option<SimTime>,
}

#[derive(Clone, Copy, Debug)]
enum Slot {
    Queue(u32),
    Producer(u32),
    Consumer(u32),
    Topic(u32),
    Endpoint(u32),
    Bucket(u32),
    Machine(u32),
    Lambda(u32),
    Api(u32),
    /// A client population: its own slot and the producer that paces it.
    Clients(u32, u32),
    BatchQueue(u32),
    BatchEnv(u32),
    Broker(u32),
    /// A consumer pool reading a broker: (broker, consumer).
    MqConsumer(u32, u32),
    Flow(u32),
    /// An Application Load Balancer.
    Alb(u32),
}

/// Where a producer sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Queue(u32),
    Topic(u32),
    Machine(u32),
    /// The requests of a client population.
    Clients(u32),
    BatchQueue(u32),
    Broker(u32),
}

/// A message a producer is about to send, before the service-specific parts.
struct Picked {
    size: u32,
    group: u32,
    body_seq: u64,
    attributes: sns::Attributes,
    body: Option<std::rc::Rc<str>>,
}

#[derive(Clone, Debug)]
struct AlarmRt {
    breaching_periods: u32,
    in_alarm: bool,
}

#[derive(Clone, Debug)]
struct PathRt {
    producer: u32,
    queue: u32,
    consumer: u32,
    histogram: LatencyHistogram,
}

/// A running simulation. See the module documentation for the driving contract.
#[derive(Clone, Debug)]
pub struct Simulation {
    model: Model,
    limits: Limits,
    now: SimTime,
    events: EventQueue<Event>,
    rng: SimRng,
    slots: Vec<Slot>,
    queues: Vec<QueueRt>,
    producers: Vec<ProducerRt>,
    consumers: Vec<ConsumerRt>,
    msgs: Vec<Msg>,
    free: Vec<u32>,
    next_message_id: u64,
    group_names: Vec<String>,
    group_ids: FxHashMap<String, u32>,
    tracing: bool,
    trace: Vec<TraceEvent>,
    /// Trace events dropped, oldest first, because nobody drained them.
    trace_dropped: u64,
    metric_out: Vec<MetricSample>,
    /// Metric samples dropped, oldest first, because nobody drained them.
    metrics_dropped: u64,
    history: Vec<Vec<MetricSeries>>,
    census: Census,
    events_processed: u64,
    dead_letters: Vec<DeadLetterRecord>,
    /// The first messages received more than once, with the queue (at most
    /// [`REDELIVERY_EXAMPLES`]).
    redeliveries: Vec<(ComponentId, MessageId)>,
    paths: Vec<PathRt>,
    alarms: Vec<AlarmRt>,
    pending_wakes: Vec<u32>,
    scratch: Vec<Taken>,
    /// Reused for the messages of one send call.
    outgoing_scratch: Vec<Outgoing>,
    /// A message whose delete a breakpoint waits for, and whether it happened.
    watched_message: Option<u64>,
    watched_deleted: bool,
    topics: Vec<sns::TopicRt>,
    endpoints: Vec<sns::EndpointRt>,
    buckets: Vec<sns::BucketRt>,
    /// The objects of every bucket component by its name: what state machines read and
    /// write (bodies are shared, so a checkpoint does not copy them).
    s3: crate::asl::Buckets,
    deliveries: Vec<sns::Delivery>,
    free_deliveries: Vec<u32>,
    sns_census: SnsCensus,
    machines: Vec<sfn::MachineRt>,
    /// `$$.Task.Token` strings of `.waitForTaskToken` tasks still waiting.
    sfn_tokens: std::collections::BTreeMap<String, sfn::TaskRef>,
    /// Task states waiting for a function node's invocation, by key.
    sfn_lambda_waits: std::collections::BTreeMap<u32, sfn::LambdaWait>,
    sfn_lambda_next: u32,
    /// The executions' own stream (Retry jitter), so that state machines leave the draws
    /// of queues and consumers as they were.
    sfn_rng: SimRng,
    lambdas: Vec<lambda::LambdaRt>,
    invocations: Vec<lambda::Invocation>,
    free_invocations: Vec<u32>,
    async_events: Vec<lambda::AsyncEvent>,
    free_async_events: Vec<u32>,
    lambda_census: LambdaCensus,
    /// Invocations running in functions without reserved concurrency.
    lambda_unreserved_running: u32,
    /// The functions' own stream (durations, errors, cold starts), so that functions leave
    /// the draws of queues, consumers and state machines as they were.
    lambda_rng: SimRng,
    apis: Vec<api::ApiRt>,
    clients: Vec<api::ClientsRt>,
    requests: Vec<api::Request>,
    free_requests: Vec<u32>,
    client_census: ClientCensus,
    /// API Gateway's account-level bucket, shared by every API.
    api_account_bucket: RateBucket,
    /// New WebSocket connections per second of the account.
    ws_connect_bucket: RateBucket,
    /// The gateway's and the clients' own stream (authorizers, jitter, endpoints behind an
    /// API), so that APIs leave the other components' draws as they were.
    api_rng: SimRng,
    albs: Vec<alb_rt::AlbRt>,
    /// The load balancers' own stream (service times, errors, health-check answers).
    alb_rng: SimRng,
    faults: faults_rt::FaultsRt,
    batch: batch_rt::BatchRt,
    mq: mq_rt::MqRt,
    appflow: appflow_rt::AppFlowRt,
}

impl Simulation {
    /// Builds a simulation at time zero. Fails with every problem of the model.
    pub fn new(model: Model) -> Result<Simulation, BuildError> {
        let issues = model.validate();
        if !issues.is_empty() {
            return Err(BuildError::Invalid(issues));
        }
        let limits = model.limit_profile.limits();
        let mut events = EventQueue::new();
        let mut slots = Vec::with_capacity(model.components.len());
        let mut queues = Vec::new();
        let mut producers = Vec::new();
        let mut consumers = Vec::new();
        // Queues first, so producers and consumers can refer to queue indexes.
        let mut queue_index = vec![NONE; model.components.len()];
        for (id, component) in model.components.iter().enumerate() {
            if let ComponentKind::Queue(spec) = &component.kind {
                queue_index[id] = queues.len() as u32;
                queues.push(QueueRt::new(id, spec.clone(), &limits, &mut events));
            }
        }
        for component in &model.components {
            if let ComponentKind::Queue(spec) = &component.kind {
                if let Some(policy) = &spec.redrive_policy {
                    let dlq = queue_index[policy.dead_letter_target];
                    queues[dlq as usize].is_dlq = true;
                }
            }
        }
        // Topics next, so that producers can find them.
        let mut topic_index = vec![NONE; model.components.len()];
        let mut topics = Vec::new();
        for (id, component) in model.components.iter().enumerate() {
            if let ComponentKind::Topic(spec) = &component.kind {
                topic_index[id] = topics.len() as u32;
                topics.push(sns::TopicRt::new(id, spec.clone()));
            }
        }
        let mut endpoints = Vec::new();
        let mut buckets = Vec::new();
        let mut s3 = crate::asl::Buckets::new();
        let mut lambdas = Vec::new();
        let mut apis = Vec::new();
        let mut api_index = vec![NONE; model.components.len()];
        for (id, component) in model.components.iter().enumerate() {
            if let ComponentKind::Api(spec) = &component.kind {
                api_index[id] = apis.len() as u32;
                apis.push(api::ApiRt::new(id, spec.clone()));
            }
        }
        let mut albs = Vec::new();
        let mut alb_index = vec![NONE; model.components.len()];
        for (id, component) in model.components.iter().enumerate() {
            if let ComponentKind::LoadBalancer(spec) = &component.kind {
                alb_index[id] = albs.len() as u32;
                albs.push(alb_rt::AlbRt::new(id, spec.clone()));
            }
        }
        let mut clients = Vec::new();
        let mut machine_index = vec![NONE; model.components.len()];
        let mut machines = Vec::new();
        for (id, component) in model.components.iter().enumerate() {
            if let Some(spec) = sfn::machine_of(&component.kind) {
                machine_index[id] = machines.len() as u32;
                machines.push(sfn::MachineRt::new(id, &component.name, spec.clone()));
            }
        }
        let batch = batch_rt::BatchRt::new(&model);
        let mq = mq_rt::MqRt::new(&model);
        let appflow = appflow_rt::AppFlowRt::new(&model);
        for (id, component) in model.components.iter().enumerate() {
            slots.push(match &component.kind {
                ComponentKind::Queue(_) => Slot::Queue(queue_index[id]),
                ComponentKind::Topic(_) => Slot::Topic(topic_index[id]),
                ComponentKind::Endpoint(spec) => {
                    endpoints.push(sns::EndpointRt::new(id, spec.clone()));
                    Slot::Endpoint(endpoints.len() as u32 - 1)
                }
                ComponentKind::Bucket(spec) => {
                    s3.create_bucket(&component.name);
                    for (key, body) in &spec.objects {
                        s3.insert(&component.name, key, body, SEEDED_OBJECTS_EPOCH);
                    }
                    buckets.push(sns::BucketRt::new(id, spec));
                    Slot::Bucket(buckets.len() as u32 - 1)
                }
                ComponentKind::Producer(spec) => {
                    let target = if topic_index[spec.target] != NONE {
                        Target::Topic(topic_index[spec.target])
                    } else if machine_index[spec.target] != NONE {
                        Target::Machine(machine_index[spec.target])
                    } else if let Some(queue) = batch.queue_index(spec.target) {
                        Target::BatchQueue(queue)
                    } else if let Some(broker) = mq.producer_broker(id) {
                        Target::Broker(broker)
                    } else {
                        Target::Queue(queue_index[spec.target])
                    };
                    producers.push(ProducerRt::new(id, spec.clone(), target));
                    Slot::Producer(producers.len() as u32 - 1)
                }
                ComponentKind::Consumer(_) if mq.consumer_slot(id).is_some() => {
                    let (broker, consumer) = mq.consumer_slot(id).unwrap_or((NONE, NONE));
                    Slot::MqConsumer(broker, consumer)
                }
                ComponentKind::Consumer(spec) => {
                    consumers.push(ConsumerRt {
                        component: id,
                        spec: spec.clone(),
                        queue: queue_index[spec.source],
                        workers: Vec::new(),
                        poll_lane: events.add_lane(),
                        paused: false,
                        processed: 0,
                        failed: 0,
                        deleted: 0,
                        period_processed: 0,
                        period_failed: 0,
                        period_latency: LatencyHistogram::new(),
                        total_latency: LatencyHistogram::new(),
                        active: 0,
                        lambda: NONE,
                        event_source: 0,
                        throttled_since_scale: 0,
                        last_scaling: None,
                    });
                    Slot::Consumer(consumers.len() as u32 - 1)
                }
                ComponentKind::StateMachine(_) => Slot::Machine(machine_index[id]),
                ComponentKind::Lambda(spec) => {
                    lambdas.push(lambda::LambdaRt::new(id, spec.clone()));
                    Slot::Lambda(lambdas.len() as u32 - 1)
                }
                ComponentKind::Api(_) => Slot::Api(api_index[id]),
                ComponentKind::Clients(spec) => {
                    let index = clients.len() as u32;
                    clients.push(api::ClientsRt::new(
                        id,
                        spec.clone(),
                        api_index[spec.target],
                        alb_index[spec.target],
                    ));
                    producers.push(ProducerRt::new(
                        id,
                        (*spec.load).clone(),
                        Target::Clients(index),
                    ));
                    Slot::Clients(index, producers.len() as u32 - 1)
                }
                ComponentKind::BatchComputeEnvironment(_) => {
                    Slot::BatchEnv(batch.env_index(id).unwrap_or(NONE))
                }
                ComponentKind::BatchJobQueue(_) => {
                    Slot::BatchQueue(batch.queue_index(id).unwrap_or(NONE))
                }
                ComponentKind::Broker(_) => Slot::Broker(mq.broker_index(id).unwrap_or(NONE)),
                ComponentKind::Flow(_) => Slot::Flow(appflow.flow_index(id).unwrap_or(NONE)),
                ComponentKind::LoadBalancer(_) => Slot::Alb(alb_index[id]),
            });
        }
        let history = model
            .components
            .iter()
            .map(|component| {
                Metric::ALL
                    .iter()
                    .filter(|metric| metric.applies_to(&component.kind))
                    .map(|metric| MetricSeries::new(*metric))
                    .collect()
            })
            .enumerate()
            .map(|(id, mut series): (usize, Vec<MetricSeries>)| {
                if Simulation::fault_targeted(&model, id) {
                    series.push(MetricSeries::new(Metric::FaultActive));
                }
                series
            })
            .collect();
        let consumer_count = consumers.len();
        let alarms = model
            .alarms
            .iter()
            .map(|_| AlarmRt {
                breaching_periods: 0,
                in_alarm: false,
            })
            .collect();
        let mut sim = Simulation {
            rng: SimRng::seed_from_u64(model.seed),
            limits,
            now: SimTime::ZERO,
            events,
            slots,
            queues,
            producers,
            consumers,
            msgs: Vec::new(),
            free: Vec::new(),
            next_message_id: 1,
            group_names: Vec::new(),
            group_ids: FxHashMap::default(),
            tracing: false,
            trace: Vec::new(),
            trace_dropped: 0,
            metric_out: Vec::new(),
            metrics_dropped: 0,
            history,
            census: Census::default(),
            events_processed: 0,
            dead_letters: Vec::new(),
            redeliveries: Vec::new(),
            paths: Vec::new(),
            alarms,
            pending_wakes: Vec::new(),
            scratch: Vec::new(),
            outgoing_scratch: Vec::new(),
            watched_message: None,
            watched_deleted: false,
            topics,
            endpoints,
            buckets,
            s3,
            deliveries: Vec::new(),
            free_deliveries: Vec::new(),
            sns_census: SnsCensus::default(),
            machines,
            sfn_tokens: std::collections::BTreeMap::new(),
            sfn_lambda_waits: std::collections::BTreeMap::new(),
            sfn_lambda_next: 0,
            sfn_rng: SimRng::seed_from_u64(model.seed ^ 0x5354_4154_4553),
            lambdas,
            invocations: Vec::new(),
            free_invocations: Vec::new(),
            async_events: Vec::new(),
            free_async_events: Vec::new(),
            lambda_census: LambdaCensus::default(),
            lambda_unreserved_running: 0,
            lambda_rng: SimRng::seed_from_u64(model.seed ^ 0x4c41_4d42_4441),
            apis,
            clients,
            requests: Vec::new(),
            free_requests: Vec::new(),
            client_census: ClientCensus::default(),
            api_account_bucket: RateBucket::new(model.api_account_throttle),
            ws_connect_bucket: RateBucket::new(crate::model::Throttle {
                rate_limit: model.ws_connect_rate,
                burst_limit: model.ws_connect_rate,
            }),
            api_rng: SimRng::seed_from_u64(model.seed ^ 0x4150_4947_5759),
            albs,
            alb_rng: SimRng::seed_from_u64(model.seed ^ 0x414c_4245_4c42),
            faults: faults_rt::FaultsRt::new(&model, consumer_count),
            batch,
            mq,
            appflow,
            model,
        };
        sim.build_event_sources(&queue_index);
        sim.schedule_faults();
        sim.batch_start();
        sim.mq_start();
        sim.appflow_start();
        sim.alb_start();
        sim.ws_start();
        for producer in 0..sim.producers.len() {
            sim.schedule_first_tick(producer as u32);
            for (index, burst) in sim.producers[producer]
                .spec
                .bursts
                .clone()
                .iter()
                .enumerate()
            {
                let _ = index;
                sim.events.schedule(
                    SimTime::ZERO.saturating_add(burst.at),
                    Event::Burst {
                        producer: producer as u32,
                        count: burst.count,
                    },
                );
            }
        }
        for consumer in 0..sim.consumers.len() {
            let workers = sim.consumers[consumer].spec.workers;
            sim.add_workers(consumer as u32, workers);
        }
        let period = sim.model.metric_period;
        sim.events
            .schedule(SimTime::ZERO.saturating_add(period), Event::MetricTick);
        if sim.consumers.iter().any(|c| c.spec.auto_scaling.is_some()) {
            sim.events.schedule(
                SimTime::ZERO.saturating_add(crate::autoscaling::EVALUATION_PERIOD),
                Event::AutoScale,
            );
        }
        Ok(sim)
    }

    // ----- driving -------------------------------------------------------------------------

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// When the next event happens (there is always one: the next metric period's end).
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.events.peek_time()
    }

    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Pending events, stale timers included.
    pub fn pending_events(&self) -> usize {
        self.events.len()
    }

    /// Turns the per-message trace on or off (off by default; the UI and tests turn it on).
    pub fn set_tracing(&mut self, on: bool) {
        self.tracing = on;
    }

    pub fn tracing(&self) -> bool {
        self.tracing
    }

    /// Processes the next event. Returns false when there is none.
    pub fn step(&mut self) -> bool {
        self.step_until(SimTime::MAX)
    }

    /// Processes the next event if it is at or before `limit`.
    fn step_until(&mut self, limit: SimTime) -> bool {
        let Some((time, event)) = self.pop_event(limit) else {
            return false;
        };
        self.now = time;
        self.dispatch(event);
        true
    }

    /// Processes every event up to and including time `until`, then sets the clock to `until`.
    /// Returns the number of events processed.
    pub fn run_until(&mut self, until: SimTime) -> u64 {
        let before = self.events_processed;
        while self.step_until(until) {}
        if until > self.now {
            self.now = until;
        }
        self.events_processed - before
    }

    /// Runs until every producer has finished and every queue that is not a dead-letter queue
    /// is empty, or until `limit`. Returns true when settled.
    pub fn run_until_settled(&mut self, limit: SimTime) -> bool {
        loop {
            if self.is_settled() {
                return true;
            }
            if !self.step_until(limit) {
                if limit > self.now && limit != SimTime::MAX {
                    self.now = limit;
                }
                return false;
            }
        }
    }

    /// Runs until `condition` holds after an event, or until `limit`. Returns the time the
    /// condition was met, or None when the limit came first (the clock is then at `limit`).
    /// An invalid component or alarm index never matches.
    pub fn run_until_condition(
        &mut self,
        condition: &StopCondition,
        limit: SimTime,
    ) -> Option<SimTime> {
        let queue_index = |component: ComponentId| match self.slots.get(component) {
            Some(Slot::Queue(index)) => Some(*index as usize),
            _ => None,
        };
        let (dlq, depth_queue) = match condition {
            StopCondition::DeadLetterArrives { queue } => (queue_index(*queue), None),
            StopCondition::DepthAbove { queue, .. } => (None, queue_index(*queue)),
            _ => (None, None),
        };
        let arrived_before = dlq.map(|q| self.queues[q].total.dead_lettered_here);
        if let StopCondition::MessageDeleted { message } = condition {
            self.watched_message = Some(message.0);
            self.watched_deleted = false;
        }
        let met = |sim: &Simulation| match condition {
            StopCondition::DeadLetterArrives { .. } => dlq
                .zip(arrived_before)
                .is_some_and(|(q, before)| sim.queues[q].total.dead_lettered_here > before),
            StopCondition::DepthAbove { visible, .. } => {
                depth_queue.is_some_and(|q| sim.queues[q].visible > *visible)
            }
            StopCondition::MessageDeleted { .. } => sim.watched_deleted,
            StopCondition::AlarmFires { alarm } => {
                sim.alarms.get(*alarm).is_some_and(|a| a.in_alarm)
            }
        };
        let result = loop {
            if met(self) {
                break Some(self.now);
            }
            if !self.step_until(limit) {
                if limit > self.now && limit != SimTime::MAX {
                    self.now = limit;
                }
                break None;
            }
        };
        self.watched_message = None;
        result
    }

    /// Every producer finished and every message is deleted, expired or in a dead-letter queue.
    pub fn is_settled(&self) -> bool {
        self.producers.iter().all(|p| p.finished)
            && self
                .queues
                .iter()
                .all(|q| q.is_dlq || q.visible + q.in_flight + q.delayed == 0)
            && self.sfn_settled()
            && self.lambda_census.invocations_running == 0
            && self.lambda_census.async_pending == 0
            && self.requests.iter().all(|r| !r.live)
            && self.ws_settled()
            && self.batch_settled()
            && self.mq_settled()
            && self.appflow_settled()
    }

    /// Takes the trace recorded since the last call: at most [`MAX_UNDRAINED_TRACE`]
    /// events, the newest (see [`Simulation::dropped_trace_events`]).
    pub fn drain_trace(&mut self) -> Vec<TraceEvent> {
        std::mem::take(&mut self.trace)
    }

    /// Takes the metric samples emitted since the last call: at most
    /// [`MAX_UNDRAINED_METRICS`], the newest. The metric history ([`Simulation::metric_history`])
    /// keeps every period whether or not anyone drains.
    pub fn drain_metrics(&mut self) -> Vec<MetricSample> {
        std::mem::take(&mut self.metric_out)
    }

    /// Trace events dropped since the start because more than [`MAX_UNDRAINED_TRACE`]
    /// piled up between two [`Simulation::drain_trace`] calls.
    pub fn dropped_trace_events(&self) -> u64 {
        self.trace_dropped
    }

    /// Metric samples dropped since the start because more than [`MAX_UNDRAINED_METRICS`]
    /// piled up between two [`Simulation::drain_metrics`] calls (a headless run that never
    /// drains keeps memory flat this way).
    pub fn dropped_metric_samples(&self) -> u64 {
        self.metrics_dropped
    }

    // ----- reading -------------------------------------------------------------------------

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn component_name(&self, component: ComponentId) -> &str {
        self.model
            .components
            .get(component)
            .map(|c| c.name.as_str())
            .unwrap_or("?")
    }

    /// A closure for [`TraceEvent::explain`].
    pub fn namer(&self) -> impl Fn(ComponentId) -> String + '_ {
        move |id| self.component_name(id).to_string()
    }

    pub fn census(&self) -> Census {
        let mut census = self.census;
        for queue in &self.queues {
            census.delayed += queue.delayed as u64;
            census.visible += queue.visible as u64;
            census.in_flight += queue.in_flight as u64;
            if queue.is_dlq {
                census.in_dlq += (queue.delayed + queue.visible + queue.in_flight) as u64;
            }
        }
        census
    }

    /// Checks that the counters agree with the messages actually held (for tests and debug
    /// builds; it walks every message). Returns the first disagreement.
    pub fn check_invariants(&self) -> Result<(), String> {
        for (index, q) in self.queues.iter().enumerate() {
            let held = |state: MsgState| {
                self.msgs
                    .iter()
                    .filter(|m| m.queue == index as u32 && m.state == state)
                    .count() as u32
            };
            let (visible, in_flight, delayed) = (
                held(MsgState::Visible),
                held(MsgState::InFlight),
                held(MsgState::Delayed),
            );
            if (visible, in_flight, delayed) != (q.visible, q.in_flight, q.delayed) {
                return Err(format!(
                    "{}: counters say visible {} in flight {} delayed {}, messages say {visible} {in_flight} {delayed}",
                    self.component_name(q.component),
                    q.visible,
                    q.in_flight,
                    q.delayed
                ));
            }
            let in_groups: usize = q.groups.iter().map(|g| g.visible.len()).sum();
            if in_groups != visible as usize {
                return Err(format!(
                    "{}: {in_groups} messages in group lists, {visible} visible",
                    self.component_name(q.component)
                ));
            }
            for (local, group) in q.groups.iter().enumerate() {
                let flying = self
                    .msgs
                    .iter()
                    .filter(|m| {
                        m.queue == index as u32
                            && m.state == MsgState::InFlight
                            && m.local_group == local as u32
                    })
                    .count() as u32;
                if flying != group.in_flight {
                    return Err(format!(
                        "{}: group {local} counts {} in flight, has {flying}",
                        self.component_name(q.component),
                        group.in_flight
                    ));
                }
                if group
                    .visible
                    .iter()
                    .any(|&slot| self.msgs[slot as usize].state != MsgState::Visible)
                {
                    return Err(format!(
                        "{}: group {local} lists a message that is not visible",
                        self.component_name(q.component)
                    ));
                }
                let ready = q.ready.iter().filter(|&&g| g == local as u32).count();
                if ready > 1 || (ready == 1) != group.in_ready {
                    return Err(format!(
                        "{}: group {local} is {ready} times in the ready ring, flag {}",
                        self.component_name(q.component),
                        group.in_ready
                    ));
                }
                if !group.visible.is_empty()
                    && !group.in_ready
                    && (!q.spec.fifo_queue || group.in_flight == 0)
                {
                    return Err(format!(
                        "{}: group {local} has visible messages but is not ready",
                        self.component_name(q.component)
                    ));
                }
            }
        }
        self.check_sfn_invariants()?;
        self.check_lambda_invariants()?;
        self.check_api_invariants()?;
        self.check_batch_invariants()?;
        self.check_mq_invariants()?;
        self.check_appflow_invariants()?;
        self.check_alb_invariants()?;
        Ok(())
    }

    /// Live numbers of one component.
    pub fn stats(&self, component: ComponentId) -> Option<ComponentStats> {
        Some(match *self.slots.get(component)? {
            Slot::Queue(index) => {
                let q = &self.queues[index as usize];
                let oldest = q
                    .retention_log
                    .iter()
                    .find(|entry| self.retention_entry_live(index, entry))
                    .map(|&(_, slot, _)| {
                        self.now
                            .since(self.msgs[slot as usize].arrived_at)
                            .as_secs_f64()
                    })
                    .unwrap_or(0.0);
                ComponentStats::Queue(QueueStats {
                    visible: q.visible,
                    in_flight: q.in_flight,
                    delayed: q.delayed,
                    sent: q.total.sent,
                    received: q.total.received,
                    deleted: q.total.deleted,
                    empty_receives: q.total.empty_receives,
                    deduplicated: q.total.deduplicated,
                    throttled: q.total.throttled,
                    moved_to_dlq: q.total.moved_to_dlq,
                    redelivered: q.total.redelivered,
                    dead_lettered_here: q.total.dead_lettered_here,
                    expired: q.total.expired,
                    purged: q.total.purged,
                    requests: q.requests,
                    cost_usd: self.queue_cost(q),
                    oldest_age_seconds: oldest,
                    groups_with_in_flight: q.groups_in_flight,
                    is_dead_letter_queue: q.is_dlq,
                    move_task: q.move_task.as_ref().map(|task| MoveTaskStats {
                        status: task.status,
                        moved: task.moved,
                        rate_per_second: task.rate,
                    }),
                })
            }
            Slot::Producer(index) => {
                let p = &self.producers[index as usize];
                ComponentStats::Producer(ProducerStats {
                    sent: p.accepted,
                    rejected: p.rejected,
                    throttled: p.throttled,
                    finished: p.finished,
                    paused: p.paused,
                })
            }
            Slot::Topic(index) => ComponentStats::Topic(self.topic_stats(index)),
            Slot::Endpoint(index) => ComponentStats::Endpoint(self.endpoint_stats(index)),
            Slot::Bucket(index) => ComponentStats::Bucket(self.bucket_stats(index)),
            Slot::Machine(index) => ComponentStats::StateMachine(self.machine_stats(index)),
            Slot::Lambda(index) => ComponentStats::Lambda(self.lambda_stats(index)),
            Slot::Api(index) => ComponentStats::Api(self.api_stats(index)),
            Slot::Clients(index, _) => ComponentStats::Clients(self.clients_stats(index)),
            Slot::BatchQueue(index) => ComponentStats::BatchJobQueue(self.batch_queue_stats(index)),
            Slot::Broker(index) => ComponentStats::Broker(self.mq_broker_stats(index)),
            Slot::MqConsumer(broker, consumer) => {
                ComponentStats::Consumer(self.mq_consumer_stats(broker, consumer))
            }
            Slot::Flow(index) => ComponentStats::Flow(self.flow_stats(index)),
            Slot::Alb(index) => ComponentStats::LoadBalancer(self.alb_stats(index)),
            Slot::BatchEnv(index) => {
                ComponentStats::BatchComputeEnvironment(self.batch_env_stats(index))
            }
            Slot::Consumer(index) => {
                let c = &self.consumers[index as usize];
                let outage = self.pool_fault_stats(index);
                let mut stats = ConsumerStats {
                    workers_down: outage.workers_down,
                    abandoned: outage.abandoned,
                    workers: c.spec.workers,
                    processed: c.processed,
                    failed: c.failed,
                    deleted: c.deleted,
                    latency: c.total_latency.summary(),
                    paused: c.paused,
                    ..ConsumerStats::default()
                };
                for worker in &c.workers {
                    match worker.state {
                        WorkerState::Processing => stats.busy += 1,
                        WorkerState::Polling { .. } => stats.polling += 1,
                        WorkerState::Idle | WorkerState::Paused => stats.idle += 1,
                        WorkerState::Retired => {}
                    }
                }
                ComponentStats::Consumer(stats)
            }
        })
    }

    /// A queue's counters (`None` for any other component).
    pub fn queue_counts(&self, component: ComponentId) -> Option<QueueCounts> {
        let Slot::Queue(index) = *self.slots.get(component)? else {
            return None;
        };
        let q = &self.queues[index as usize];
        Some(QueueCounts {
            visible: q.visible,
            in_flight: q.in_flight,
            delayed: q.delayed,
            sent: q.total.sent,
            deleted: q.total.deleted,
            moved_to_dlq: q.total.moved_to_dlq,
            redelivered: q.total.redelivered,
        })
    }

    /// The bounded metric history of a component.
    pub fn metric_history(&self, component: ComponentId) -> &[MetricSeries] {
        self.history
            .get(component)
            .map(|h| h.as_slice())
            .unwrap_or(&[])
    }

    /// Up to `limit` messages held by a queue, delayed first, then visible in delivery order,
    /// then in flight; without receiving them.
    pub fn peek(
        &self,
        queue: ComponentId,
        limit: usize,
    ) -> Result<Vec<PeekedMessage>, CommandError> {
        let index = self.queue_slot(queue)?;
        let mut held: Vec<&Msg> = self
            .msgs
            .iter()
            .filter(|m| m.queue == index && m.state != MsgState::Free)
            .collect();
        let rank = |m: &Msg| match m.state {
            MsgState::Delayed => 0,
            MsgState::Visible => 1,
            _ => 2,
        };
        held.sort_by_key(|m| (rank(m), m.seq));
        Ok(held
            .into_iter()
            .take(limit)
            .map(|m| PeekedMessage {
                id: MessageId(m.id),
                state: match m.state {
                    MsgState::Delayed => PeekState::Delayed { until: m.deadline },
                    MsgState::InFlight => PeekState::InFlight { until: m.deadline },
                    _ => PeekState::Visible,
                },
                receive_count: m.receive_count,
                group: (m.group != NONE).then(|| self.group_names[m.group as usize].clone()),
                size: m.size,
                sent_at: m.sent_at,
                arrived_at: m.arrived_at,
                body: m.extra.as_ref().map(|extra| extra.body.clone()),
                message_deduplication_id: m.extra.as_ref().and_then(|extra| extra.dedup_id.clone()),
            })
            .collect())
    }

    /// The first messages received more than once (at most [`REDELIVERY_EXAMPLES`]), with
    /// the queue they were received from.
    pub fn redeliveries(&self) -> &[(ComponentId, MessageId)] {
        &self.redeliveries
    }

    /// The first messages that ended in a dead-letter queue, with their stories.
    pub fn dead_letters(&self) -> &[DeadLetterRecord] {
        &self.dead_letters
    }

    /// End-to-end latency per (producer, queue, consumer) path.
    pub fn latency(&self) -> Vec<PathLatency> {
        self.paths
            .iter()
            .map(|path| PathLatency {
                producer: (path.producer != NONE).then_some(path.producer as usize),
                queue: self.queues[path.queue as usize].component,
                consumer: self.consumers[path.consumer as usize].component,
                summary: path.histogram.summary(),
            })
            .collect()
    }

    pub fn cost(&self) -> CostReport {
        let mut report = CostReport::default();
        let mut gross = 0.0;
        for q in &self.queues {
            let usd = self.queue_cost(q);
            report.queues.push((q.component, q.requests, usd));
            report.requests += q.requests;
            gross += usd;
        }
        for t in &self.topics {
            let usd = self.topic_cost(t);
            report.topics.push((t.component, t.requests, usd));
            gross += usd;
        }
        for index in 0..self.machines.len() {
            let (component, units, usd) = self.machine_cost(index);
            report.state_machines.push((component, units, usd));
        }
        for a in &self.apis {
            report
                .apis
                .push((a.component, a.requests, self.api_cost(a)));
        }
        for l in &self.lambdas {
            report
                .lambdas
                .push((l.component, l.requests, self.lambda_cost(l, false)));
        }
        let machines_usd: f64 = report.state_machines.iter().map(|m| m.2).sum::<f64>()
            + self.lambdas_cost()
            + self.apis_cost();
        report.compute_environments = self.batch_costs();
        report.flows = self.appflow_costs();
        let batch_usd: f64 = report.compute_environments.iter().map(|c| c.1).sum::<f64>()
            + report.flows.iter().map(|f| f.2).sum::<f64>();
        report.brokers = self.mq_costs();
        let brokers_usd: f64 = report.brokers.iter().map(|c| c.1).sum::<f64>() + self.albs_cost();
        report.load_balancers = self.alb_costs();
        report.total_usd = if self.model.free_tier {
            let billable = report.requests.saturating_sub(1_000_000);
            if report.requests == 0 {
                0.0
            } else {
                gross * billable as f64 / report.requests as f64
            }
        } else {
            gross
        } + machines_usd
            + batch_usd
            + brokers_usd;
        report
    }

    fn queue_cost(&self, q: &QueueRt) -> f64 {
        let price = if q.spec.fifo_queue {
            self.limits.price_fifo_per_million
        } else {
            self.limits.price_standard_per_million
        };
        q.requests as f64 * price / 1_000_000.0
    }

    /// Alarm states, in model order: true when in `ALARM`.
    pub fn alarm_states(&self) -> Vec<bool> {
        self.alarms.iter().map(|a| a.in_alarm).collect()
    }

    // ----- commands ------------------------------------------------------------------------

    /// Applies a command at the current time.
    pub fn handle_command(&mut self, command: Command) -> Result<(), CommandError> {
        let result = match command {
            Command::Update { component, kind } => self.update_component(component, kind),
            Command::Pause { component } => self.set_paused(component, true),
            Command::Resume { component } => self.set_paused(component, false),
            Command::PurgeQueue { queue } => self.purge(queue),
            Command::StartMessageMoveTask {
                source,
                destination,
                max_number_of_messages_per_second,
            } => self.start_move_task(source, destination, max_number_of_messages_per_second),
            Command::CancelMessageMoveTask { source } => self.cancel_move_task(source),
            Command::SendMessage { queue, message } => self.send_by_hand(queue, message),
            Command::Publish { topic, message } => self.publish_by_hand(topic, message),
            Command::RedriveExecution {
                state_machine,
                execution,
            } => self.redrive_execution(state_machine, &execution),
            Command::StartFlow { flow } => self.start_flow_command(flow),
        };
        self.flush_wakes();
        result
    }

    fn start_flow_command(&mut self, component: ComponentId) -> Result<(), CommandError> {
        match self.slots.get(component) {
            None => Err(CommandError::NoSuchComponent(component)),
            Some(Slot::Flow(flow)) => {
                let flow = *flow;
                self.start_flow(flow).map_err(CommandError::NotWhileRunning)
            }
            Some(_) => Err(CommandError::WrongKind {
                component,
                expected: "AppFlow flow",
                actual: self.model.components[component].kind.kind_name(),
            }),
        }
    }

    fn queue_slot(&self, component: ComponentId) -> Result<u32, CommandError> {
        match self.slots.get(component) {
            None => Err(CommandError::NoSuchComponent(component)),
            Some(Slot::Queue(index)) => Ok(*index),
            Some(_) => Err(CommandError::WrongKind {
                component,
                expected: "queue",
                actual: self.model.components[component].kind.kind_name(),
            }),
        }
    }

    fn update_component(
        &mut self,
        component: ComponentId,
        kind: ComponentKind,
    ) -> Result<(), CommandError> {
        let slot = *self
            .slots
            .get(component)
            .ok_or(CommandError::NoSuchComponent(component))?;
        let old = &self.model.components[component].kind;
        if matches!(slot, Slot::Broker(_) | Slot::MqConsumer(..)) {
            // The broker's runtime holds its clients' settings and its failure windows.
            return Err(CommandError::NotWhileRunning(
                "an Amazon MQ broker's settings and its consumer pools cannot change while running; reset the simulation".into(),
            ));
        }
        match (&kind, old) {
            (ComponentKind::Queue(new), ComponentKind::Queue(old)) if new.fifo_queue != old.fifo_queue => {
                return Err(CommandError::NotWhileRunning(
                    "FifoQueue cannot change after a queue is created".into(),
                ))
            }
            (ComponentKind::Consumer(new), ComponentKind::Consumer(old)) if new.source != old.source => {
                return Err(CommandError::NotWhileRunning(
                    "a consumer pool's source queue cannot change while running; reset the simulation".into(),
                ))
            }
                        (ComponentKind::Topic(new), ComponentKind::Topic(old)) if new.fifo_topic != old.fifo_topic => {
                return Err(CommandError::NotWhileRunning("FifoTopic cannot change after a topic is created".into()))
            }
            (ComponentKind::Queue(_), ComponentKind::Queue(_))
            | (ComponentKind::Producer(_), ComponentKind::Producer(_))
            | (ComponentKind::Consumer(_), ComponentKind::Consumer(_))
            | (ComponentKind::Topic(_), ComponentKind::Topic(_))
            | (ComponentKind::Endpoint(_), ComponentKind::Endpoint(_))
            | (ComponentKind::Bucket(_), ComponentKind::Bucket(_)) => {}
            (ComponentKind::Lambda(new), ComponentKind::Lambda(old))
                if new.event_sources.len() != old.event_sources.len()
                    || new
                        .event_sources
                        .iter()
                        .zip(&old.event_sources)
                        .any(|(a, b)| a.source != b.source) =>
            {
                return Err(CommandError::NotWhileRunning(
                    "a function's event source mappings cannot change queues while running; reset the simulation".into(),
                ))
            }
            (ComponentKind::Lambda(_), ComponentKind::Lambda(_))
            | (ComponentKind::LoadBalancer(_), ComponentKind::LoadBalancer(_)) => {}
            (ComponentKind::BatchJobQueue(_), ComponentKind::BatchJobQueue(_))
            | (ComponentKind::Broker(_), ComponentKind::Broker(_))
            | (
                ComponentKind::BatchComputeEnvironment(_),
                ComponentKind::BatchComputeEnvironment(_),
            ) => {
                return Err(CommandError::NotWhileRunning(
                    "a Batch job queue's or compute environment's settings cannot change while running; reset the simulation".into(),
                ))
            }
            (ComponentKind::Flow(_), ComponentKind::Flow(_)) => {
                return Err(CommandError::NotWhileRunning(
                    "an AppFlow flow's settings cannot change while running; reset the simulation"
                        .into(),
                ))
            }
            (ComponentKind::StateMachine(_), ComponentKind::StateMachine(_)) => {
                return Err(CommandError::NotWhileRunning(
                    "a state machine's definition cannot change while running; reset the simulation".into(),
                ))
            }
            _ => {
                return Err(CommandError::WrongKind {
                    component,
                    expected: old.kind_name(),
                    actual: kind.kind_name(),
                })
            }
        }
        let mut candidate = self.model.clone();
        candidate.components[component].kind = kind.clone();
        let issues: Vec<ModelIssue> = candidate.validate();
        if !issues.is_empty() {
            return Err(CommandError::Invalid(issues));
        }
        // Redrive targets may have changed: recompute which queues are dead-letter queues.
        self.model = candidate;
        match (slot, kind) {
            (Slot::Queue(index), ComponentKind::Queue(spec)) => self.update_queue(index, spec),
            (Slot::Producer(index), ComponentKind::Producer(spec)) => {
                let target = match self.slots[spec.target] {
                    Slot::Topic(t) => Target::Topic(t),
                    Slot::Queue(q) => Target::Queue(q),
                    Slot::Machine(m) => Target::Machine(m),
                    Slot::BatchQueue(q) => Target::BatchQueue(q),
                    Slot::Broker(b) => Target::Broker(b),
                    _ => Target::Queue(NONE),
                };
                let component = self.producers[index as usize].component;
                let fresh = ProducerRt::new(component, spec.clone(), target);
                let producer = &mut self.producers[index as usize];
                producer.target = target;
                producer.variants = fresh.variants;
                producer.last = None;
                producer.spec = spec;
                producer.finished = false;
                producer.generation += 1;
                if !producer.paused {
                    self.schedule_next_tick(index);
                }
            }
            (Slot::Consumer(index), ComponentKind::Consumer(spec)) => {
                let current = self.consumers[index as usize].spec.workers;
                let wanted = spec.workers;
                self.consumers[index as usize].spec = spec;
                if wanted > current {
                    self.add_workers(index, wanted - current);
                } else {
                    self.retire_workers(index, wanted);
                }
            }
            (Slot::Topic(index), ComponentKind::Topic(spec)) => {
                self.topics[index as usize].update(spec)
            }
            (Slot::Endpoint(index), ComponentKind::Endpoint(spec)) => {
                self.endpoints[index as usize].spec = spec
            }
            (Slot::Lambda(index), ComponentKind::Lambda(spec)) => self.update_lambda(index, spec),
            (Slot::Alb(index), ComponentKind::LoadBalancer(spec)) => self.alb_update(index, spec),
            _ => {}
        }
        for q in 0..self.queues.len() {
            self.queues[q].is_dlq = false;
        }
        for spec in self.model.components.iter().filter_map(|c| match &c.kind {
            ComponentKind::Queue(spec) => spec.redrive_policy.as_ref(),
            _ => None,
        }) {
            if let Slot::Queue(dlq) = self.slots[spec.dead_letter_target] {
                self.queues[dlq as usize].is_dlq = true;
            }
        }
        self.record(component, None, TraceKind::Updated);
        Ok(())
    }

    fn update_queue(&mut self, index: u32, spec: QueueSpec) {
        let q = &mut self.queues[index as usize];
        let old = std::mem::replace(&mut q.spec, spec);
        // FIFO queues apply a new DelaySeconds to messages already delayed (AWS: retroactive);
        // standard queues keep the delay a message was sent with.
        if q.spec.fifo_queue && q.spec.delay_seconds != old.delay_seconds {
            let delay = SimDuration::from_secs(q.spec.delay_seconds as u64);
            let lane = q.delay_lane;
            for slot in 0..self.msgs.len() {
                let m = &mut self.msgs[slot];
                if m.queue == index && m.state == MsgState::Delayed {
                    m.deadline = m.arrived_at.saturating_add(delay).max(self.now);
                    m.epoch = m.epoch.wrapping_add(1);
                    let event = Event::DelayEnd {
                        slot: slot as u32,
                        epoch: m.epoch,
                    };
                    self.events.schedule_in_lane(lane, m.deadline, event);
                }
            }
        }
        if self.queues[index as usize].spec.message_retention_period != old.message_retention_period
        {
            self.arm_retention(index);
        }
    }

    fn set_paused(&mut self, component: ComponentId, paused: bool) -> Result<(), CommandError> {
        match *self
            .slots
            .get(component)
            .ok_or(CommandError::NoSuchComponent(component))?
        {
            Slot::Queue(_)
            | Slot::Topic(_)
            | Slot::Endpoint(_)
            | Slot::Bucket(_)
            | Slot::Machine(_)
            | Slot::Lambda(_)
            | Slot::Api(_)
            | Slot::BatchQueue(_)
            | Slot::BatchEnv(_)
            | Slot::Broker(_)
            | Slot::MqConsumer(..)
            | Slot::Flow(_)
            | Slot::Alb(_) => {
                return Err(CommandError::WrongKind {
                    component,
                    expected: "producer, client population or consumer pool",
                    actual: self.model.components[component].kind.kind_name(),
                })
            }
            Slot::Producer(index) | Slot::Clients(_, index) => {
                let producer = &mut self.producers[index as usize];
                if producer.paused == paused {
                    return Ok(());
                }
                producer.paused = paused;
                producer.generation += 1;
                if !paused {
                    self.schedule_next_tick(index);
                }
            }
            Slot::Consumer(index) => {
                let consumer = &mut self.consumers[index as usize];
                if consumer.paused == paused {
                    return Ok(());
                }
                consumer.paused = paused;
                let queue = consumer.queue;
                for worker in 0..consumer.workers.len() {
                    let state = self.consumers[index as usize].workers[worker].state;
                    match (paused, state) {
                        (true, WorkerState::Polling { .. }) | (true, WorkerState::Idle) => {
                            self.park_worker(index, worker as u32, queue);
                        }
                        (false, WorkerState::Paused) => self.wake_worker(index, worker as u32),
                        _ => {}
                    }
                }
            }
        }
        self.record(component, None, TraceKind::Paused { paused });
        Ok(())
    }

    /// Stops a worker where it is: it leaves the long-poll waiters and its timers go stale.
    fn park_worker(&mut self, consumer: u32, worker: u32, queue: u32) {
        let w = &mut self.consumers[consumer as usize].workers[worker as usize];
        w.generation += 1;
        w.state = WorkerState::Paused;
        self.queues[queue as usize]
            .waiters
            .retain(|waiter| !(waiter.consumer == consumer && waiter.worker == worker));
    }

    /// Starts a parked worker's loop again now.
    fn wake_worker(&mut self, consumer: u32, worker: u32) {
        let w = &mut self.consumers[consumer as usize].workers[worker as usize];
        w.generation += 1;
        w.state = WorkerState::Idle;
        let generation = w.generation;
        self.events.schedule(
            self.now,
            Event::WorkerPoll {
                consumer,
                worker,
                generation,
            },
        );
    }

    fn purge(&mut self, queue: ComponentId) -> Result<(), CommandError> {
        let index = self.queue_slot(queue)?;
        let q = &mut self.queues[index as usize];
        if q.last_purge
            .is_some_and(|at| self.now.since(at) < SimDuration::from_secs(60))
        {
            return Err(CommandError::Sqs(SqsError::PurgeQueueInProgress));
        }
        q.last_purge = Some(self.now);
        for slot in 0..self.msgs.len() as u32 {
            let m = &self.msgs[slot as usize];
            if m.queue == index && m.state != MsgState::Free {
                self.detach(slot);
                self.queues[index as usize].period.purged += 1;
                self.queues[index as usize].total.purged += 1;
                self.census.purged += 1;
                let id = self.msgs[slot as usize].id;
                self.record(queue, Some(id), TraceKind::Purged);
                self.free_slot(slot);
            }
        }
        Ok(())
    }

    fn start_move_task(
        &mut self,
        source: ComponentId,
        destination: Option<ComponentId>,
        rate: Option<u32>,
    ) -> Result<(), CommandError> {
        let index = self.queue_slot(source)?;
        let destination = destination.map(|d| self.queue_slot(d)).transpose()?;
        let q = &self.queues[index as usize];
        if !q.is_dlq {
            return Err(CommandError::Sqs(SqsError::UnsupportedOperation(format!(
                "{} is not a dead-letter queue of any queue",
                self.component_name(source)
            ))));
        }
        if q.move_task
            .as_ref()
            .is_some_and(|task| task.status == "RUNNING")
        {
            return Err(CommandError::Sqs(SqsError::UnsupportedOperation(format!(
                "a message move task is already running on {}",
                self.component_name(source)
            ))));
        }
        let rate = rate.unwrap_or(DEFAULT_MOVE_TASK_RATE);
        if !(1..=self.limits.max_move_task_rate).contains(&rate) {
            return Err(CommandError::Sqs(SqsError::InvalidParameterValue(format!(
                "Value {rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: must be between 1 and {}.",
                self.limits.max_move_task_rate
            ))));
        }
        let generation = q.move_task.as_ref().map(|t| t.generation + 1).unwrap_or(0);
        self.queues[index as usize].move_task = Some(MoveTask {
            destination,
            rate,
            moved: 0,
            status: "RUNNING",
            generation,
        });
        self.events.schedule(
            self.now,
            Event::MoveTaskTick {
                queue: index,
                generation,
            },
        );
        self.record(
            source,
            None,
            TraceKind::MoveTaskStatus {
                status: "RUNNING",
                moved: 0,
            },
        );
        Ok(())
    }

    fn cancel_move_task(&mut self, source: ComponentId) -> Result<(), CommandError> {
        let index = self.queue_slot(source)?;
        let Some(task) = self.queues[index as usize]
            .move_task
            .as_mut()
            .filter(|t| t.status == "RUNNING")
        else {
            return Err(CommandError::Sqs(SqsError::UnsupportedOperation(
                "CancelMessageMoveTask only works while a task is RUNNING".into(),
            )));
        };
        task.status = "CANCELLED";
        task.generation += 1;
        let moved = task.moved;
        self.record(
            source,
            None,
            TraceKind::MoveTaskStatus {
                status: "CANCELLED",
                moved,
            },
        );
        Ok(())
    }

    fn send_by_hand(
        &mut self,
        queue: ComponentId,
        message: ManualMessage,
    ) -> Result<(), CommandError> {
        self.send_one(queue, message, NONE)
    }

    /// One `SendMessage` by hand (`sender` NONE) or by a state machine's task (`sender`
    /// its component id, shown as the message's producer).
    fn send_one(
        &mut self,
        queue: ComponentId,
        message: ManualMessage,
        sender: u32,
    ) -> Result<(), CommandError> {
        let index = self.queue_slot(queue)?;
        for attribute in &message.attributes {
            if let Some(problem) = crate::model::attribute_problem(attribute) {
                return Err(CommandError::Sqs(SqsError::InvalidParameterValue(problem)));
            }
        }
        if message.attributes.len() > 10 {
            return Err(CommandError::Sqs(SqsError::InvalidParameterValue(format!(
                "Number of message attributes [{}] exceeds the allowed maximum [10].",
                message.attributes.len()
            ))));
        }
        if let Some(delay) = message.delay_seconds {
            if !crate::limits::ranges::DELAY_SECONDS.contains(&delay) {
                return Err(CommandError::Sqs(SqsError::InvalidParameterValue(format!(
                    "Value {delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided."
                ))));
            }
        }
        let size = message_size(&message.body, &message.attributes);
        let group = message
            .message_group_id
            .as_deref()
            .map(|g| self.intern_group(g))
            .unwrap_or(NONE);
        let content_hash = self.queues[index as usize]
            .spec
            .content_based_deduplication
            .then(|| sha256_hex(message.body.as_bytes()));
        let outgoing = Outgoing {
            producer: sender,
            via: NONE,
            size,
            group,
            dedup_id: message.message_deduplication_id.clone().or(content_hash),
            explicit_dedup: message.message_deduplication_id.is_some(),
            delay_seconds: message.delay_seconds,
            extra: Some(Box::new(MsgExtra {
                body: message.body,
                dedup_id: message.message_deduplication_id,
            })),
        };
        self.queues[index as usize].requests +=
            billable_chunks(size as u64, self.limits.billing_chunk_bytes);
        if let Err(error) = self.check_throttle(index, Action::Send) {
            self.census.sent += 1;
            self.census.rejected += 1;
            self.record(
                queue,
                None,
                TraceKind::Rejected {
                    producer: (sender != NONE).then_some(sender as usize),
                    error: error.clone(),
                },
            );
            return Err(CommandError::Sqs(error));
        }
        match self.enqueue_new(index, outgoing) {
            Ok(_) => Ok(()),
            Err(error) => Err(CommandError::Sqs(error)),
        }
    }

    // ----- the event loop ------------------------------------------------------------------

    fn pop_event(&mut self, limit: SimTime) -> Option<(SimTime, Event)> {
        let msgs = &self.msgs;
        let consumers = &self.consumers;
        self.events.pop_until(limit, |event| match *event {
            Event::VisibilityEnd { slot, epoch } | Event::DelayEnd { slot, epoch } => {
                msgs.get(slot as usize).is_none_or(|m| m.epoch != epoch)
            }
            Event::PollTimeout {
                consumer,
                worker,
                generation,
            } => consumers
                .get(consumer as usize)
                .and_then(|c| c.workers.get(worker as usize))
                .is_none_or(|w| w.generation != generation),
            _ => false,
        })
    }

    fn dispatch(&mut self, event: Event) {
        self.events_processed += 1;
        match event {
            Event::ProducerTick {
                producer,
                generation,
            } => self.on_producer_tick(producer, generation),
            Event::Burst { producer, count } => self.on_burst(producer, count),
            Event::DelayEnd { slot, epoch } => self.on_delay_end(slot, epoch),
            Event::VisibilityEnd { slot, epoch } => self.on_visibility_end(slot, epoch),
            Event::RetentionCheck { queue, generation } => {
                self.on_retention_check(queue, generation)
            }
            Event::WorkerPoll {
                consumer,
                worker,
                generation,
            } => {
                if self.worker_current(consumer, worker, generation) {
                    self.worker_poll(consumer, worker);
                }
            }
            Event::PollTimeout {
                consumer,
                worker,
                generation,
            } => self.on_poll_timeout(consumer, worker, generation),
            Event::WorkDone {
                consumer,
                worker,
                generation,
            } => self.on_work_done(consumer, worker, generation),
            Event::Heartbeat {
                consumer,
                worker,
                generation,
            } => self.on_heartbeat(consumer, worker, generation),
            Event::MoveTaskTick { queue, generation } => self.on_move_task_tick(queue, generation),
            Event::MetricTick => self.on_metric_tick(),
            Event::DeliveryAttempt { delivery, epoch } => self.on_delivery_attempt(delivery, epoch),
            Event::DeliveryDone { delivery, epoch } => self.on_delivery_done(delivery, epoch),
            Event::SfnAdvance {
                machine,
                execution,
                generation,
            } => self.on_sfn_advance(machine, execution, generation),
            Event::LambdaDone { invocation, epoch } => self.on_lambda_done(invocation, epoch),
            Event::AsyncAttempt { event, epoch } => self.on_async_attempt(event, epoch),
            Event::EsmWindowEnd {
                consumer,
                worker,
                generation,
            } => self.on_esm_window_end(consumer, worker, generation),
            Event::EsmScale => self.on_esm_scale(),
            Event::AutoScale => self.on_auto_scale(),
            Event::ClientAttempt { request, epoch } => self.on_client_attempt(request, epoch),
            Event::ClientTimeout { request, epoch } => self.on_client_timeout(request, epoch),
            Event::AlbHealthCheck {
                alb,
                target,
                generation,
            } => self.on_alb_health_check(alb, target, generation),
            Event::AlbHealthResult {
                alb,
                target,
                generation,
                result,
            } => self.on_alb_health_result(alb, target, generation, result),
            Event::AlbTargetDone {
                alb,
                target,
                request,
                epoch,
                generation,
                error,
            } => self.on_alb_target_done(alb, target, request, epoch, generation, error),
            Event::AlbIdleTimeout { request, epoch } => self.on_alb_idle_timeout(request, epoch),
            Event::AlbDrainEnd {
                alb,
                target,
                generation,
            } => self.on_alb_drain_end(alb, target, generation),
            Event::AuthorizerDone {
                request,
                epoch,
                verdict,
            } => self.on_authorizer_done(request, epoch, verdict),
            Event::IntegrationDone {
                request,
                epoch,
                answer,
            } => self.on_integration_done(request, epoch, answer),
            Event::IntegrationTimeout { request, epoch } => {
                self.on_integration_timeout(request, epoch)
            }
            Event::WsConnect {
                clients,
                client,
                epoch,
            } => self.on_ws_connect(clients, client, epoch),
            Event::WsClose {
                clients,
                client,
                epoch,
                reason,
            } => self.on_ws_close(clients, client, epoch, reason),
            Event::WsIdle {
                clients,
                client,
                epoch,
            } => self.on_ws_idle(clients, client, epoch),
            Event::FaultEdge { fault, begins } => self.on_fault_edge(fault, begins),
            Event::FlowTrigger { flow, what } => self.on_flow_trigger(flow, what),
            Event::FlowRunEnd { flow, execution } => self.on_flow_run_end(flow, execution),
            Event::BatchJob { job, generation } => self.on_batch_job(job, generation),
            Event::MqEdge {
                broker,
                window,
                begins,
            } => self.on_mq_edge(broker, window, begins),
            Event::MqFailoverDone { broker } => self.on_mq_failover_done(broker),
            Event::MqReconnect { broker } => self.on_mq_reconnect(broker),
            Event::MqWork {
                broker,
                consumer,
                worker,
                generation,
            } => self.on_mq_work(broker, consumer, worker, generation),
            Event::BatchInstance {
                env,
                instance,
                generation,
                what,
            } => self.on_batch_instance(env, instance, generation, what),
        }
        self.flush_wakes();
    }

    fn record(&mut self, component: ComponentId, message: Option<u64>, kind: TraceKind) {
        if self.tracing {
            self.trace_dropped += drop_oldest_half_when_full(&mut self.trace, MAX_UNDRAINED_TRACE);
            self.trace.push(TraceEvent {
                time: self.now,
                component,
                message: message.map(MessageId),
                kind,
            });
        }
    }

    fn intern_group(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.group_ids.get(name) {
            return id;
        }
        let id = self.group_names.len() as u32;
        self.group_names.push(name.to_string());
        self.group_ids.insert(name.to_string(), id);
        id
    }

    // ----- producers -----------------------------------------------------------------------

    fn rate_at(spec: &ProducerSpec, at: SimDuration) -> f64 {
        let mut rate = spec.rate_per_second;
        for ramp in &spec.ramps {
            if at >= ramp.start {
                if at < ramp.end && ramp.end > ramp.start {
                    let done = (at.0 - ramp.start.0) as f64 / (ramp.end.0 - ramp.start.0) as f64;
                    rate = ramp.from_rate + (ramp.to_rate - ramp.from_rate) * done;
                } else {
                    rate = ramp.to_rate;
                }
            }
        }
        for spike in &spec.spikes {
            if at >= spike.start && at < spike.start.saturating_add_duration(spike.duration) {
                rate = spike.rate_per_second;
            }
        }
        rate
    }

    /// The earliest moment after `after` when a ramp or spike could change the rate.
    fn next_rate_change(spec: &ProducerSpec, after: SimDuration) -> Option<SimDuration> {
        let starts = spec
            .ramps
            .iter()
            .map(|r| r.start)
            .chain(spec.spikes.iter().map(|s| s.start));
        let ends = spec
            .spikes
            .iter()
            .map(|s| s.start.saturating_add_duration(s.duration));
        starts.chain(ends).filter(|t| *t > after).min()
    }

    fn schedule_first_tick(&mut self, producer: u32) {
        let start = self.producers[producer as usize].spec.start;
        if self.now.as_micros() < start.as_micros() {
            // The first send comes one gap after the start.
            self.schedule_tick_from(producer, SimTime(start.as_micros()));
        } else {
            self.schedule_next_tick(producer);
        }
    }

    fn schedule_next_tick(&mut self, producer: u32) {
        self.schedule_tick_from(producer, self.now);
    }

    fn schedule_tick_from(&mut self, producer: u32, from: SimTime) {
        let p = &self.producers[producer as usize];
        let generation = p.generation;
        let at = SimDuration(from.as_micros());
        let rate = Self::rate_at(&p.spec, at);
        let per_tick = p.spec.batch_size.max(1) as f64;
        let next = if rate > 0.0 {
            let mean_gap = per_tick / rate;
            let gap = match p.spec.arrival {
                Arrival::Constant => mean_gap,
                Arrival::Poisson => self.rng.exponential(mean_gap),
            };
            Some(from.saturating_add(SimDuration::from_secs_f64(gap).max(SimDuration(1))))
        } else {
            Self::next_rate_change(&p.spec, at).map(|t| SimTime(t.as_micros()))
        };
        let p = &mut self.producers[producer as usize];
        match next {
            Some(time)
                if p.spec
                    .stop
                    .is_none_or(|stop| time.as_micros() < stop.as_micros()) =>
            {
                self.events.schedule(
                    time,
                    Event::ProducerTick {
                        producer,
                        generation,
                    },
                );
            }
            _ => {
                if self.now.as_micros()
                    >= p.spec
                        .bursts
                        .iter()
                        .map(|b| b.at.as_micros())
                        .max()
                        .unwrap_or(0)
                {
                    p.finished = true;
                }
            }
        }
    }

    fn on_producer_tick(&mut self, producer: u32, generation: u32) {
        let p = &self.producers[producer as usize];
        if p.generation != generation || p.paused || p.finished {
            return;
        }
        let at = SimDuration(self.now.as_micros());
        if Self::rate_at(&p.spec, at) <= 0.0 {
            // A ramp or spike boundary: nothing to send now, look again.
            self.schedule_next_tick(producer);
            return;
        }
        let remaining = p
            .spec
            .total_count
            .map(|total| total.saturating_sub(p.attempted))
            .unwrap_or(u64::MAX);
        let count = (p.spec.batch_size.max(1) as u64).min(remaining) as u32;
        if count > 0 {
            self.send_call(producer, count);
        }
        let p = &mut self.producers[producer as usize];
        if p.spec.total_count.is_some_and(|total| p.attempted >= total) {
            p.finished = true;
            return;
        }
        self.schedule_next_tick(producer);
    }

    fn on_burst(&mut self, producer: u32, count: u32) {
        if self.producers[producer as usize].paused {
            return;
        }
        let batch = self.producers[producer as usize].spec.batch_size.max(1);
        let mut left = count;
        while left > 0 {
            let p = &self.producers[producer as usize];
            let remaining = p
                .spec
                .total_count
                .map(|t| t.saturating_sub(p.attempted))
                .unwrap_or(u64::MAX);
            let n = (batch.min(left) as u64).min(remaining) as u32;
            if n == 0 {
                break;
            }
            self.send_call(producer, n);
            left -= n;
        }
        let p = &mut self.producers[producer as usize];
        if p.spec.total_count.is_some_and(|total| p.attempted >= total) {
            p.finished = true;
        }
    }

    /// One call of a producer: `SendMessage`/`SendMessageBatch` to a queue, or
    /// `Publish`/`PublishBatch` to a topic.
    fn send_call(&mut self, producer: u32, count: u32) {
        match self.producers[producer as usize].target {
            Target::Queue(queue) => self.send_to_queue(producer, queue, count),
            Target::Topic(topic) => self.publish_call(producer, topic, count),
            Target::Machine(machine) => self.producer_start_executions(producer, machine, count),
            Target::Clients(clients) => self.clients_send(producer, clients, count),
            Target::BatchQueue(queue) => self.producer_submit_jobs(producer, queue, count),
            Target::Broker(broker) => self.producer_send_broker(producer, broker, count),
        }
    }

    fn send_to_queue(&mut self, producer: u32, queue: u32, count: u32) {
        let component = self.producers[producer as usize].component;
        let mut outgoing = std::mem::take(&mut self.outgoing_scratch);
        outgoing.clear();
        for _ in 0..count {
            outgoing.push(self.next_outgoing(producer, queue));
        }
        let payload: u64 = outgoing.iter().map(|o| o.size as u64).sum();
        self.queues[queue as usize].requests +=
            billable_chunks(payload, self.limits.billing_chunk_bytes);
        let throttled = self.check_throttle(queue, Action::Send).err();
        let batch_too_long = (count > 1 && payload > self.limits.max_batch_payload as u64).then(|| {
            SqsError::InvalidParameterValue(format!(
                "BatchRequestTooLong: Batch requests cannot be longer than {} bytes. You have sent {payload} bytes.",
                self.limits.max_batch_payload
            ))
        });
        for message in outgoing.drain(..) {
            self.producers[producer as usize].attempted += 1;
            let refused = throttled.clone().or_else(|| batch_too_long.clone());
            let result = match refused {
                Some(error) => {
                    self.census.sent += 1;
                    self.census.rejected += 1;
                    let queue_component = self.queues[queue as usize].component;
                    self.record(
                        queue_component,
                        None,
                        TraceKind::Rejected {
                            producer: Some(component),
                            error: error.clone(),
                        },
                    );
                    Err(error)
                }
                None => self.enqueue_new(queue, message),
            };
            let p = &mut self.producers[producer as usize];
            match result {
                Ok(_) => {
                    p.accepted += 1;
                    p.period_sent += 1;
                }
                Err(SqsError::RequestThrottled { .. }) => {
                    p.throttled += 1;
                    p.rejected += 1;
                    p.period_errors += 1;
                }
                Err(_) => {
                    p.rejected += 1;
                    p.period_errors += 1;
                }
            }
        }
        self.outgoing_scratch = outgoing;
    }

    /// Draws the next message of a producer: its size, group and kind, or a deliberate
    /// duplicate of the previous one.
    fn pick_message(&mut self, producer: u32) -> Picked {
        let p = &self.producers[producer as usize];
        let template = &p.spec.template;
        let duplicate = template.duplicate_share > 0.0
            && p.last.is_some()
            && self.rng.chance(template.duplicate_share);
        let (size, group, body_seq, variant) = match (duplicate, p.last) {
            (true, Some(last)) => last,
            _ => {
                let variant = if template.variants.is_empty() {
                    0
                } else {
                    let total: f64 = template.variants.iter().map(|v| v.weight.max(0.0)).sum();
                    let mut pick = self.rng.next_f64() * total;
                    let mut chosen = template.variants.len();
                    for (index, v) in template.variants.iter().enumerate() {
                        pick -= v.weight.max(0.0);
                        if pick < 0.0 {
                            chosen = index + 1;
                            break;
                        }
                    }
                    chosen
                };
                let p = &self.producers[producer as usize];
                let template = &p.spec.template;
                let size = match &p.variants[variant].1 {
                    Some(body) => body.len().max(1) as u64,
                    None => (libm::round(template.body_size.sample(&mut self.rng)) as u64)
                        .clamp(1, u32::MAX as u64),
                } as u32;
                let p = &self.producers[producer as usize];
                let template = &p.spec.template;
                let pick = if template.group_ids.is_empty() {
                    None
                } else {
                    Some(match template.group_choice {
                        GroupChoice::RoundRobin => p.round_robin % template.group_ids.len(),
                        GroupChoice::Random => {
                            self.rng.below(template.group_ids.len() as u64) as usize
                        }
                    })
                };
                let group = match pick {
                    Some(pick) => {
                        let name =
                            self.producers[producer as usize].spec.template.group_ids[pick].clone();
                        self.intern_group(&name)
                    }
                    None => NONE,
                };
                let p = &mut self.producers[producer as usize];
                p.round_robin = p.round_robin.wrapping_add(1);
                let body_seq = p.next_body;
                p.next_body += 1;
                (size, group, body_seq, variant)
            }
        };
        let p = &mut self.producers[producer as usize];
        p.last = Some((size, group, body_seq, variant));
        let (attributes, body) = p.variants[variant].clone();
        Picked {
            size,
            group,
            body_seq,
            attributes,
            body,
        }
    }

    /// The `MessageDeduplicationId` a producer's message carries to a FIFO queue or topic:
    /// explicit (`Unique`), the SHA-256 of the body (content-based), or none. The flag says
    /// whether it is explicit.
    fn dedup_id_for(
        p: &ProducerRt,
        picked: &Picked,
        fifo: bool,
        content_based: bool,
    ) -> (Option<String>, bool) {
        let component = p.component;
        if fifo && p.spec.template.dedup_ids == DedupIds::Unique {
            (Some(format!("{component}-{}", picked.body_seq)), true)
        } else if fifo && content_based {
            // A generated body is "<producer>:<sequence>" padded to its size.
            let text = match &picked.body {
                Some(body) => body.to_string(),
                None => format!("{component}:{}:{}", picked.body_seq, picked.size),
            };
            (Some(sha256_hex(text.as_bytes())), false)
        } else {
            (None, false)
        }
    }

    fn next_outgoing(&mut self, producer: u32, queue: u32) -> Outgoing {
        let fifo = self.queues[queue as usize].spec.fifo_queue;
        let content_based = self.queues[queue as usize].spec.content_based_deduplication;
        let picked = self.pick_message(producer);
        let p = &self.producers[producer as usize];
        let component = p.component;
        // Dedup ids only matter to FIFO queues; standard queues ignore them.
        let (dedup_id, explicit) = Self::dedup_id_for(p, &picked, fifo, content_based);
        // The extended client puts a body above the queue's limit into the bucket.
        let mut size = picked.size;
        let max = self.queues[queue as usize]
            .spec
            .maximum_message_size
            .min(self.limits.sqs_max_message_size);
        if size > max {
            if let Some(Slot::Bucket(bucket)) = p
                .spec
                .template
                .extended_client_bucket
                .and_then(|b| self.slots.get(b))
                .copied()
            {
                let b = &mut self.buckets[bucket as usize];
                b.objects += 1;
                b.bytes += size as u64;
                let bucket_component = b.component;
                self.record(
                    bucket_component,
                    None,
                    TraceKind::StoredInBucket { bytes: size as u64 },
                );
                size = crate::sns_delivery::EXTENDED_POINTER_SIZE;
            }
        }
        let p = &self.producers[producer as usize];
        Outgoing {
            producer: component as u32,
            via: NONE,
            size,
            group: picked.group,
            dedup_id,
            explicit_dedup: explicit,
            delay_seconds: p.spec.template.delay_seconds,
            extra: None,
        }
    }

    fn check_throttle(&mut self, queue: u32, action: Action) -> Result<(), SqsError> {
        let q = &mut self.queues[queue as usize];
        if !q.spec.fifo_queue {
            return Ok(());
        }
        let limit = if q.spec.high_throughput() {
            self.limits.fifo_high_throughput_calls_per_second
        } else {
            self.limits.fifo_calls_per_second
        };
        let bucket = &mut q.buckets[action as usize];
        if bucket.rate_per_second != limit as u64 {
            *bucket = TokenBucket::new(limit);
            bucket.last = self.now;
        }
        if bucket.try_take(self.now) {
            Ok(())
        } else {
            q.period.throttled += 1;
            q.total.throttled += 1;
            Err(SqsError::RequestThrottled {
                action: match action {
                    Action::Send => "SendMessage",
                    Action::Receive => "ReceiveMessage",
                    Action::Delete => "DeleteMessage",
                },
                limit_per_second: limit,
            })
        }
    }

    /// Checks and stores one new message. Counts it in the census either way.
    fn enqueue_new(&mut self, queue: u32, message: Outgoing) -> Result<Option<u32>, SqsError> {
        self.census.sent += 1;
        let component = self.queues[queue as usize].component;
        let producer = (message.producer != NONE).then_some(message.producer as usize);
        if let Err(error) = self.check_send(queue, &message) {
            self.census.rejected += 1;
            self.record(
                component,
                None,
                TraceKind::Rejected {
                    producer,
                    error: error.clone(),
                },
            );
            return Err(error);
        }
        let now = self.now;
        let window = SimDuration::from_secs(self.limits.dedup_window_seconds);
        let q = &mut self.queues[queue as usize];
        if q.spec.fifo_queue {
            if let Some(id) = &message.dedup_id {
                let key = match q.spec.deduplication_scope {
                    DeduplicationScope::Queue => id.clone(),
                    DeduplicationScope::MessageGroup => format!("{}\u{0}{id}", message.group),
                };
                if let Some(until) = q.dedup.check(key.clone(), now, now.saturating_add(window)) {
                    q.period.deduplicated += 1;
                    q.total.deduplicated += 1;
                    self.census.deduplicated += 1;
                    let id = self.next_message_id;
                    self.next_message_id += 1;
                    self.record(
                        component,
                        Some(id),
                        TraceKind::Deduplicated {
                            dedup_id: shorten(&key),
                            original_until: until,
                        },
                    );
                    return Ok(None);
                }
            }
        }
        let seq = q.next_seq;
        q.next_seq += 1;
        q.period.sent += 1;
        q.total.sent += 1;
        q.period.size_sum += message.size as u64;
        let delay = message.delay_seconds.unwrap_or(q.spec.delay_seconds);
        let id = self.next_message_id;
        self.next_message_id += 1;
        let msg = Msg {
            id,
            queue,
            state: MsgState::Free,
            epoch: 0,
            receipt: 0,
            receive_count: 0,
            group: message.group,
            local_group: 0,
            size: message.size,
            producer: message.producer,
            origin_queue: queue,
            seq,
            sent_at: now,
            enqueued_at: now,
            arrived_at: now,
            deadline: now,
            first_receive_at: SimTime::ZERO,
            receive_started: SimTime::ZERO,
            extra: message.extra,
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                let epoch = self.msgs[slot as usize].epoch.wrapping_add(1);
                self.msgs[slot as usize] = Msg { epoch, ..msg };
                slot
            }
            None => {
                self.msgs.push(msg);
                self.msgs.len() as u32 - 1
            }
        };
        let group = self.msgs[slot as usize].group;
        self.msgs[slot as usize].local_group = self.local_group(queue, group);
        if self.tracing {
            let group = (group != NONE).then(|| self.group_names[group as usize].clone());
            self.record(
                component,
                Some(id),
                TraceKind::Sent {
                    producer: if message.via != NONE {
                        Some(message.via as usize)
                    } else {
                        producer
                    },
                    size: message.size,
                    group,
                },
            );
        }
        if delay > 0 {
            self.delay(slot, delay);
        } else {
            self.make_visible(slot);
        }
        // After the message has its state: a free slot would count as already gone.
        self.retention_push(queue, slot);
        Ok(Some(slot))
    }

    fn check_send(&self, queue: u32, message: &Outgoing) -> Result<(), SqsError> {
        let spec = &self.queues[queue as usize].spec;
        let max = spec
            .maximum_message_size
            .min(self.limits.sqs_max_message_size);
        if message.size > max {
            return Err(SqsError::InvalidParameterValue(format!(
                "One or more parameters are invalid. Reason: Message must be shorter than {max} bytes."
            )));
        }
        if spec.fifo_queue {
            if message.group == NONE {
                return Err(SqsError::MissingParameter(
                    "The request must contain the parameter MessageGroupId.".into(),
                ));
            }
            if let Some(delay) = message.delay_seconds {
                return Err(SqsError::InvalidParameterValue(format!(
                    "Value {delay} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."
                )));
            }
            if message.dedup_id.is_none() {
                return Err(SqsError::InvalidParameterValue(
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly".into(),
                ));
            }
            if message.explicit_dedup {
                if let Some(id) = &message.dedup_id {
                    if !crate::model::valid_group_or_dedup_id(id) {
                        return Err(SqsError::InvalidParameterValue(format!(
                            "Value {id} for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length."
                        )));
                    }
                }
            }
        }
        if message.group != NONE
            && !crate::model::valid_group_or_dedup_id(&self.group_names[message.group as usize])
        {
            return Err(SqsError::InvalidParameterValue(format!(
                "Value {} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.",
                self.group_names[message.group as usize]
            )));
        }
        Ok(())
    }

    // ----- queue internals -----------------------------------------------------------------

    /// The queue-local group of a message: its `MessageGroupId` on FIFO queues and fair
    /// standard queues, group 0 ("no group") otherwise.
    fn local_group(&mut self, queue: u32, group: u32) -> u32 {
        let q = &mut self.queues[queue as usize];
        if let Some(&local) = q.group_index.get(&group) {
            return local;
        }
        let local = q.groups.len() as u32;
        q.groups.push(GroupRt {
            name: group,
            visible: VecDeque::new(),
            in_flight: 0,
            in_ready: false,
            last_received: NONE,
        });
        q.group_index.insert(group, local);
        local
    }

    fn delay(&mut self, slot: u32, delay_seconds: u32) {
        let now = self.now;
        let m = &mut self.msgs[slot as usize];
        m.state = MsgState::Delayed;
        m.epoch = m.epoch.wrapping_add(1);
        m.deadline = now.saturating_add(SimDuration::from_secs(delay_seconds as u64));
        let (queue, epoch, deadline, id) = (m.queue, m.epoch, m.deadline, m.id);
        let q = &mut self.queues[queue as usize];
        q.delayed += 1;
        let lane = q.delay_lane;
        let component = q.component;
        self.events
            .schedule_in_lane(lane, deadline, Event::DelayEnd { slot, epoch });
        self.record(
            component,
            Some(id),
            TraceKind::Delayed {
                until: deadline,
                delay_seconds,
            },
        );
    }

    fn on_delay_end(&mut self, slot: u32, epoch: u32) {
        let m = &self.msgs[slot as usize];
        if m.epoch != epoch || m.state != MsgState::Delayed {
            return;
        }
        let (queue, id) = (m.queue, m.id);
        self.queues[queue as usize].delayed -= 1;
        let component = self.queues[queue as usize].component;
        self.record(component, Some(id), TraceKind::DelayEnded);
        self.make_visible(slot);
    }

    /// Puts a message among the visible ones of its queue and wakes a long poller.
    fn make_visible(&mut self, slot: u32) {
        let m = &mut self.msgs[slot as usize];
        m.state = MsgState::Visible;
        m.epoch = m.epoch.wrapping_add(1);
        let (queue, local, seq) = (m.queue, m.local_group, m.seq);
        let q = &mut self.queues[queue as usize];
        let fifo = q.spec.fifo_queue;
        let reorder = q.spec.reorder_probability;
        let group = &mut q.groups[local as usize];
        if fifo {
            // Strict order within the group: a message that comes back goes to its place.
            let msgs = &self.msgs;
            if group
                .visible
                .back()
                .is_none_or(|&last| msgs[last as usize].seq < seq)
            {
                group.visible.push_back(slot);
            } else {
                let at = group
                    .visible
                    .partition_point(|&other| msgs[other as usize].seq < seq);
                group.visible.insert(at, slot);
            }
        } else if reorder > 0.0 && !group.visible.is_empty() && self.rng.chance(reorder) {
            // Best-effort ordering: overtake up to ten of the messages just before it.
            let back = self.rng.below(group.visible.len().min(10) as u64) as usize + 1;
            let at = group.visible.len() - back;
            group.visible.insert(at, slot);
        } else {
            group.visible.push_back(slot);
        }
        if !group.in_ready && (!fifo || group.in_flight == 0) {
            group.in_ready = true;
            q.ready.push_back(local);
        }
        q.visible += 1;
        if !q.waiters.is_empty() {
            self.pending_wakes.push(queue);
        }
    }

    /// Serves long pollers of queues that got visible messages, once the current event is done.
    fn flush_wakes(&mut self) {
        while let Some(queue) = self.pending_wakes.pop() {
            loop {
                let q = &mut self.queues[queue as usize];
                if q.visible == 0 {
                    break;
                }
                let Some(waiter) = q.waiters.pop_front() else {
                    break;
                };
                let current = self
                    .consumers
                    .get(waiter.consumer as usize)
                    .and_then(|c| c.workers.get(waiter.worker as usize))
                    .is_some_and(|w| {
                        w.generation == waiter.generation
                            && matches!(w.state, WorkerState::Polling { .. })
                    });
                if !current {
                    continue;
                }
                if !self.try_receive(waiter.consumer, waiter.worker, false) {
                    // Nothing receivable (blocked FIFO groups): it keeps waiting.
                    self.queues[queue as usize].waiters.push_front(waiter);
                    break;
                }
            }
        }
    }

    fn retention_entry_live(&self, queue: u32, entry: &(SimTime, u32, u64)) -> bool {
        let m = &self.msgs[entry.1 as usize];
        m.id == entry.2 && m.queue == queue && m.state != MsgState::Free
    }

    fn retention_push(&mut self, queue: u32, slot: u32) {
        let m = &self.msgs[slot as usize];
        let entry = (m.enqueued_at, slot, m.id);
        let q = &mut self.queues[queue as usize];
        let at_front = if q.retention_log.back().is_none_or(|last| last.0 <= entry.0) {
            q.retention_log.push_back(entry);
            q.retention_log.len() == 1
        } else {
            let at = q.retention_log.partition_point(|other| other.0 <= entry.0);
            q.retention_log.insert(at, entry);
            at == 0
        };
        if at_front {
            self.arm_retention(queue);
        }
    }

    /// Schedules the retention check for the oldest live message of the queue.
    fn arm_retention(&mut self, queue: u32) {
        while let Some(front) = self.queues[queue as usize].retention_log.front().copied() {
            if self.retention_entry_live(queue, &front) {
                break;
            }
            let q = &mut self.queues[queue as usize];
            q.retention_log.pop_front();
            q.retention_stale = q.retention_stale.saturating_sub(1);
        }
        let q = &mut self.queues[queue as usize];
        q.retention_generation += 1;
        if let Some(&(enqueued_at, _, _)) = q.retention_log.front() {
            let deadline = enqueued_at.saturating_add(SimDuration::from_secs(
                q.spec.message_retention_period as u64,
            ));
            let generation = q.retention_generation;
            self.events.schedule(
                deadline.max(self.now),
                Event::RetentionCheck { queue, generation },
            );
        }
    }

    fn note_left_queue(&mut self, queue: u32) {
        let q = &mut self.queues[queue as usize];
        q.retention_stale += 1;
        if q.retention_stale > 1024 && q.retention_stale * 2 > q.retention_log.len() {
            let msgs = &self.msgs;
            q.retention_log.retain(|entry| {
                msgs[entry.1 as usize].id == entry.2
                    && msgs[entry.1 as usize].queue == queue
                    && msgs[entry.1 as usize].state != MsgState::Free
            });
            q.retention_stale = 0;
        }
    }

    fn on_retention_check(&mut self, queue: u32, generation: u32) {
        if self.queues[queue as usize].retention_generation != generation {
            return;
        }
        let retention = SimDuration::from_secs(
            self.queues[queue as usize].spec.message_retention_period as u64,
        );
        while let Some(front) = self.queues[queue as usize].retention_log.front().copied() {
            if !self.retention_entry_live(queue, &front) {
                let q = &mut self.queues[queue as usize];
                q.retention_log.pop_front();
                q.retention_stale = q.retention_stale.saturating_sub(1);
                continue;
            }
            if front.0.saturating_add(retention) > self.now {
                break;
            }
            self.queues[queue as usize].retention_log.pop_front();
            let slot = front.1;
            self.detach(slot);
            // detach counted the entry as stale, but it was popped already.
            let q = &mut self.queues[queue as usize];
            q.retention_stale = q.retention_stale.saturating_sub(1);
            q.period.expired += 1;
            q.total.expired += 1;
            self.census.expired += 1;
            let component = q.component;
            let retention_seconds = q.spec.message_retention_period;
            self.record(
                component,
                Some(front.2),
                TraceKind::Expired { retention_seconds },
            );
            self.free_slot(slot);
        }
        self.arm_retention(queue);
    }

    /// Takes a held message out of its queue's structures (whatever its state), leaving the
    /// slot for the caller to free or move.
    fn detach(&mut self, slot: u32) {
        let m = &mut self.msgs[slot as usize];
        let (queue, local, state) = (m.queue, m.local_group, m.state);
        m.epoch = m.epoch.wrapping_add(1);
        let q = &mut self.queues[queue as usize];
        match state {
            MsgState::Delayed => q.delayed -= 1,
            MsgState::Visible => {
                let group = &mut q.groups[local as usize];
                if let Some(at) = group.visible.iter().position(|&s| s == slot) {
                    group.visible.remove(at);
                }
                q.visible -= 1;
            }
            MsgState::InFlight => {
                q.in_flight -= 1;
                self.release_group(queue, local);
            }
            MsgState::Free => return,
        }
        self.note_left_queue(queue);
    }

    /// One in-flight message of the group is gone: unlock a FIFO group when none is left.
    fn release_group(&mut self, queue: u32, local: u32) {
        let q = &mut self.queues[queue as usize];
        let fifo = q.spec.fifo_queue;
        let group = &mut q.groups[local as usize];
        group.in_flight -= 1;
        if group.in_flight == 0 {
            if fifo {
                q.groups_in_flight -= 1;
            }
            if fifo && !group.in_ready && !group.visible.is_empty() {
                group.in_ready = true;
                q.ready.push_back(local);
                if !q.waiters.is_empty() {
                    self.pending_wakes.push(queue);
                }
            }
        }
    }

    fn free_slot(&mut self, slot: u32) {
        let m = &mut self.msgs[slot as usize];
        m.state = MsgState::Free;
        m.epoch = m.epoch.wrapping_add(1);
        m.extra = None;
        self.free.push(slot);
    }

    /// `ReceiveMessage` for one worker. Returns true when it got messages (the worker then
    /// processes them). `billed` is false for the wake-up of a long poll already billed.
    fn try_receive(&mut self, consumer: u32, worker: u32, billed: bool) -> bool {
        let c = &self.consumers[consumer as usize];
        let queue = c.queue;
        let component = c.component;
        let max = c.spec.max_number_of_messages as usize;
        let wait = c.spec.wait_time_seconds.unwrap_or(
            self.queues[queue as usize]
                .spec
                .receive_message_wait_time_seconds,
        );
        let visibility = c
            .spec
            .visibility_timeout
            .unwrap_or(self.queues[queue as usize].spec.visibility_timeout);
        let mut taken = std::mem::take(&mut self.scratch);
        taken.clear();
        let outcome = self.receive(
            queue,
            component,
            max,
            visibility,
            wait == 0,
            billed,
            &mut taken,
        );
        match outcome {
            Ok(()) if !taken.is_empty() => {
                let w = &mut self.consumers[consumer as usize].workers[worker as usize];
                std::mem::swap(&mut w.batch, &mut taken);
                self.scratch = taken;
                if self.consumers[consumer as usize].lambda != NONE {
                    self.esm_batch_received(consumer, worker);
                } else {
                    self.start_processing(consumer, worker);
                }
                true
            }
            Ok(()) => {
                self.scratch = taken;
                false
            }
            Err(error) => {
                self.scratch = taken;
                let queue_component = self.queues[queue as usize].component;
                self.record(
                    queue_component,
                    None,
                    TraceKind::CallFailed {
                        consumer: component,
                        error,
                    },
                );
                let w = &mut self.consumers[consumer as usize].workers[worker as usize];
                w.generation += 1;
                w.state = WorkerState::Idle;
                let generation = w.generation;
                let pause = self.consumers[consumer as usize].spec.empty_receive_pause;
                self.events.schedule(
                    self.now.saturating_add(pause),
                    Event::WorkerPoll {
                        consumer,
                        worker,
                        generation,
                    },
                );
                true
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn receive(
        &mut self,
        queue: u32,
        consumer_component: ComponentId,
        max: usize,
        visibility_seconds: u32,
        short_poll: bool,
        billed: bool,
        taken: &mut Vec<Taken>,
    ) -> Result<(), SqsError> {
        if billed {
            self.queues[queue as usize].requests += 1;
            self.check_throttle(queue, Action::Receive)?;
        }
        let q = &self.queues[queue as usize];
        let fifo = q.spec.fifo_queue;
        let cap = if fifo {
            self.limits.fifo_in_flight_cap
        } else {
            self.limits.standard_in_flight_cap
        };
        if q.in_flight >= cap {
            if !fifo && short_poll {
                return Err(SqsError::OverLimit {
                    in_flight: q.in_flight,
                });
            }
            return Ok(());
        }
        let room = max.min((cap - q.in_flight) as usize);
        // Short polling on a small queue asks a random subset of the servers.
        let mask = if short_poll && q.visible < self.limits.short_poll_full_view_threshold {
            let servers = self.limits.short_poll_servers.clamp(1, 32);
            let bits = self.rng.next_u64() as u32 & ((1u32 << servers) - 1).max(1);
            Some((bits, servers))
        } else {
            None
        };
        let mut skipped: Vec<(u32, u32)> = Vec::new();
        let mut scanned = 0usize;
        while taken.len() < room {
            let Some(local) = self.queues[queue as usize].ready.pop_front() else {
                break;
            };
            let q = &mut self.queues[queue as usize];
            let group = &mut q.groups[local as usize];
            let Some(slot) = group.visible.pop_front() else {
                group.in_ready = false;
                continue;
            };
            if let Some((bits, servers)) = mask {
                scanned += 1;
                let key = if fifo {
                    group.name as u64
                } else {
                    self.msgs[slot as usize].id
                };
                if bits & (1 << (key % servers as u64)) == 0 {
                    skipped.push((local, slot));
                    if group.visible.is_empty() {
                        group.in_ready = false;
                    } else {
                        q.ready.push_back(local);
                    }
                    if scanned >= SHORT_POLL_SCAN || skipped.len() as u32 >= q.visible {
                        break;
                    }
                    continue;
                }
            }
            q.visible -= 1;
            let got =
                self.deliver_or_dead_letter(queue, slot, consumer_component, visibility_seconds);
            if let Some(receipt) = got {
                taken.push(Taken {
                    slot,
                    receipt,
                    succeeded: false,
                });
            }
            let q = &mut self.queues[queue as usize];
            let group = &mut q.groups[local as usize];
            // A FIFO group stays locked while any of its messages is in flight; a standard
            // queue serves its groups round-robin (fair queues).
            let keep_taking_here = fifo && group.in_flight > 0;
            if fifo && keep_taking_here {
                // Take more of the same group in this receive, in order.
                while taken.len() < room {
                    let Some(next) = self.queues[queue as usize].groups[local as usize]
                        .visible
                        .pop_front()
                    else {
                        break;
                    };
                    self.queues[queue as usize].visible -= 1;
                    if let Some(receipt) = self.deliver_or_dead_letter(
                        queue,
                        next,
                        consumer_component,
                        visibility_seconds,
                    ) {
                        taken.push(Taken {
                            slot: next,
                            receipt,
                            succeeded: false,
                        });
                    }
                }
                let group = &mut self.queues[queue as usize].groups[local as usize];
                if group.in_flight > 0 {
                    group.in_ready = false;
                    continue;
                }
            }
            let q = &mut self.queues[queue as usize];
            let group = &mut q.groups[local as usize];
            if group.visible.is_empty() {
                group.in_ready = false;
            } else {
                q.ready.push_back(local);
            }
        }
        // Put sampled-out messages back at the front of their groups, in their order.
        for &(local, slot) in skipped.iter().rev() {
            let q = &mut self.queues[queue as usize];
            let group = &mut q.groups[local as usize];
            group.visible.push_front(slot);
            if !group.in_ready && (!fifo || group.in_flight == 0) {
                group.in_ready = true;
                q.ready.push_front(local);
            }
        }
        let q = &mut self.queues[queue as usize];
        if !taken.is_empty() {
            q.period.received += taken.len() as u64;
            q.total.received += taken.len() as u64;
        }
        Ok(())
    }

    /// A message taken from the visible ones: either moved to the DLQ (receive count already
    /// at `maxReceiveCount`) or put in flight. Returns the receipt when delivered.
    fn deliver_or_dead_letter(
        &mut self,
        queue: u32,
        slot: u32,
        consumer: ComponentId,
        visibility: u32,
    ) -> Option<u32> {
        let q = &self.queues[queue as usize];
        let m = &self.msgs[slot as usize];
        if let Some(policy) = &q.spec.redrive_policy {
            if m.receive_count >= policy.max_receive_count {
                let (dlq_component, max_receive_count) =
                    (policy.dead_letter_target, policy.max_receive_count);
                self.move_to_dlq(queue, slot, dlq_component, max_receive_count);
                return None;
            }
        }
        let now = self.now;
        let deadline = now.saturating_add(SimDuration::from_secs(visibility as u64));
        let m = &mut self.msgs[slot as usize];
        m.state = MsgState::InFlight;
        m.receive_count += 1;
        m.receipt = m.receipt.wrapping_add(1);
        m.epoch = m.epoch.wrapping_add(1);
        m.deadline = deadline;
        m.receive_started = now;
        if m.receive_count == 1 {
            m.first_receive_at = now;
        }
        let (epoch, receipt, local, id, receive_count) =
            (m.epoch, m.receipt, m.local_group, m.id, m.receive_count);
        let q = &mut self.queues[queue as usize];
        if receive_count == 2 {
            q.total.redelivered += 1;
            if self.redeliveries.len() < REDELIVERY_EXAMPLES {
                self.redeliveries.push((q.component, MessageId(id)));
            }
        }
        q.in_flight += 1;
        let group = &mut q.groups[local as usize];
        group.in_flight += 1;
        group.last_received = slot;
        if q.spec.fifo_queue && group.in_flight == 1 {
            q.groups_in_flight += 1;
        }
        let lane = q.visibility_lane;
        let component = q.component;
        self.events
            .schedule_in_lane(lane, deadline, Event::VisibilityEnd { slot, epoch });
        self.record(
            component,
            Some(id),
            TraceKind::Received {
                consumer,
                receive_count,
                visible_again_at: deadline,
            },
        );
        Some(receipt)
    }

    fn move_to_dlq(
        &mut self,
        queue: u32,
        slot: u32,
        dlq_component: ComponentId,
        max_receive_count: u32,
    ) {
        let Slot::Queue(dlq) = self.slots[dlq_component] else {
            return;
        };
        let source_component = self.queues[queue as usize].component;
        let q = &mut self.queues[queue as usize];
        q.period.moved_to_dlq += 1;
        q.total.moved_to_dlq += 1;
        self.note_left_queue(queue);
        let (id, receive_count) = (
            self.msgs[slot as usize].id,
            self.msgs[slot as usize].receive_count,
        );
        self.record(
            source_component,
            Some(id),
            TraceKind::MovedToDlq {
                dlq: dlq_component,
                receive_count,
                max_receive_count,
            },
        );
        if self.dead_letters.len() < DEAD_LETTER_RECORDS {
            let m = &self.msgs[slot as usize];
            self.dead_letters.push(DeadLetterRecord {
                message: MessageId(id),
                producer: (m.producer != NONE).then_some(m.producer as usize),
                source: source_component,
                dlq: dlq_component,
                sent_at: m.sent_at,
                first_receive_at: m.first_receive_at,
                moved_at: self.now,
                receive_count,
                max_receive_count,
            });
        }
        let q = &mut self.queues[dlq as usize];
        q.period.dead_lettered_here += 1;
        q.total.dead_lettered_here += 1;
        self.transfer(slot, dlq);
    }

    /// Puts a message that left its queue into another queue as a visible message. Standard
    /// queues keep the original enqueue time for retention; FIFO queues reset it (§1.7).
    fn transfer(&mut self, slot: u32, to: u32) {
        let now = self.now;
        let fifo = self.queues[to as usize].spec.fifo_queue;
        let seq = self.queues[to as usize].next_seq;
        self.queues[to as usize].next_seq += 1;
        let group = self.msgs[slot as usize].group;
        let local = self.local_group(to, group);
        let m = &mut self.msgs[slot as usize];
        m.queue = to;
        m.local_group = local;
        m.seq = seq;
        m.arrived_at = now;
        if fifo {
            m.enqueued_at = now;
        }
        self.make_visible(slot);
        self.retention_push(to, slot);
    }

    fn on_visibility_end(&mut self, slot: u32, epoch: u32) {
        let m = &self.msgs[slot as usize];
        if m.epoch != epoch || m.state != MsgState::InFlight {
            return;
        }
        let (queue, local, id, receive_count) = (m.queue, m.local_group, m.id, m.receive_count);
        self.queues[queue as usize].in_flight -= 1;
        let component = self.queues[queue as usize].component;
        self.record(
            component,
            Some(id),
            TraceKind::VisibilityExpired { receive_count },
        );
        self.release_group(queue, local);
        self.make_visible(slot);
    }

    /// `DeleteMessage` with the receipt the worker got. Returns true when the message is gone
    /// (or the consumer was told so).
    fn delete(&mut self, consumer: u32, slot: u32, receipt: u32) {
        let c = &self.consumers[consumer as usize];
        let consumer_component = c.component;
        let m = &self.msgs[slot as usize];
        if m.state != MsgState::InFlight || m.receipt != receipt {
            let reason = if m.state == MsgState::Free {
                "the message is no longer in the queue"
            } else {
                "the receipt handle is outdated: the visibility timeout ended and the message was received again"
            };
            let (queue, id) = (c.queue, m.id);
            let component = self.queues[queue as usize].component;
            self.record(
                component,
                Some(id),
                TraceKind::DeleteIgnored {
                    consumer: consumer_component,
                    reason,
                },
            );
            return;
        }
        let (queue, local, id, sent_at, producer) =
            (m.queue, m.local_group, m.id, m.sent_at, m.producer);
        let q = &self.queues[queue as usize];
        let component = q.component;
        if !q.spec.fifo_queue && q.spec.duplicate_delivery_probability > 0.0 {
            let p = q.spec.duplicate_delivery_probability;
            if self.rng.chance(p) {
                self.record(
                    component,
                    Some(id),
                    TraceKind::DeleteMissedReplica {
                        consumer: consumer_component,
                    },
                );
                return;
            }
        }
        let q = &mut self.queues[queue as usize];
        q.in_flight -= 1;
        q.period.deleted += 1;
        q.total.deleted += 1;
        self.release_group(queue, local);
        self.note_left_queue(queue);
        self.census.deleted += 1;
        let latency = self.now.since(sent_at);
        let c = &mut self.consumers[consumer as usize];
        c.deleted += 1;
        c.period_latency.record(latency);
        c.total_latency.record(latency);
        let path = match self
            .paths
            .iter()
            .position(|p| p.producer == producer && p.queue == queue && p.consumer == consumer)
        {
            Some(index) => index,
            None => {
                self.paths.push(PathRt {
                    producer,
                    queue,
                    consumer,
                    histogram: LatencyHistogram::new(),
                });
                self.paths.len() - 1
            }
        };
        self.paths[path].histogram.record(latency);
        if self.watched_message == Some(id) {
            self.watched_deleted = true;
        }
        self.record(
            component,
            Some(id),
            TraceKind::Deleted {
                consumer: Some(consumer_component),
                end_to_end: latency,
            },
        );
        self.free_slot(slot);
    }

    // ----- consumers -----------------------------------------------------------------------

    fn add_workers(&mut self, consumer: u32, count: u32) {
        self.add_workers_at(consumer, count, self.now);
    }

    /// Adds `count` workers whose first poll is at `start` (after an instance warm-up).
    fn add_workers_at(&mut self, consumer: u32, count: u32, start: SimTime) {
        let c = &mut self.consumers[consumer as usize];
        // Reuse retired workers first.
        let mut left = count;
        for (index, worker) in c.workers.iter_mut().enumerate() {
            if left == 0 {
                break;
            }
            if worker.state == WorkerState::Retired {
                c.active += 1;
                worker.state = WorkerState::Idle;
                worker.generation += 1;
                let generation = worker.generation;
                self.events.schedule(
                    start,
                    Event::WorkerPoll {
                        consumer,
                        worker: index as u32,
                        generation,
                    },
                );
                left -= 1;
            }
        }
        for _ in 0..left {
            let c = &mut self.consumers[consumer as usize];
            c.active += 1;
            c.workers.push(Worker {
                state: WorkerState::Idle,
                generation: 0,
                batch: Vec::new(),
                position: 0,
            });
            let worker = c.workers.len() as u32 - 1;
            self.events.schedule(
                start,
                Event::WorkerPoll {
                    consumer,
                    worker,
                    generation: 0,
                },
            );
        }
    }

    /// Every evaluation period: each Auto Scaling group sets its pool's desired capacity from
    /// its policy, unless its cooldown is running.
    fn on_auto_scale(&mut self) {
        use crate::autoscaling::{desired_capacity, metric_value, ScalingMetric};
        for consumer in 0..self.consumers.len() as u32 {
            let c = &self.consumers[consumer as usize];
            let Some(spec) = c.spec.auto_scaling.clone() else {
                continue;
            };
            if c.last_scaling
                .is_some_and(|at| self.now.since(at) < spec.cooldown)
            {
                continue;
            }
            let current = c.spec.workers;
            let visible = self.queues[c.queue as usize].visible;
            let metric = spec.policy.metric();
            let value = metric_value(metric, visible, current);
            let wanted = desired_capacity(&spec, current, value);
            if wanted == current {
                continue;
            }
            let component = c.component;
            let c = &mut self.consumers[consumer as usize];
            c.spec.workers = wanted;
            c.last_scaling = Some(self.now);
            if wanted > current {
                let start = self.now.saturating_add(spec.instance_warmup);
                self.add_workers_at(consumer, wanted - current, start);
            } else {
                self.retire_workers(consumer, wanted);
            }
            self.record(
                component,
                None,
                TraceKind::AutoScaled {
                    from: current,
                    to: wanted,
                    metric: match metric {
                        ScalingMetric::VisibleMessages => "ApproximateNumberOfMessagesVisible",
                        ScalingMetric::BacklogPerInstance => "backlog per instance",
                    },
                    value,
                    warmup: spec.instance_warmup,
                },
            );
        }
        self.events.schedule(
            self.now
                .saturating_add(crate::autoscaling::EVALUATION_PERIOD),
            Event::AutoScale,
        );
    }

    /// Keeps the first `keep` workers; the others stop once their batch in hand is done.
    fn retire_workers(&mut self, consumer: u32, keep: u32) {
        let c = &mut self.consumers[consumer as usize];
        let queue = c.queue;
        let mut active = 0u32;
        for index in 0..c.workers.len() {
            let worker = &mut c.workers[index];
            if worker.state == WorkerState::Retired {
                continue;
            }
            active += 1;
            if active <= keep {
                continue;
            }
            match worker.state {
                WorkerState::Processing => {} // worker_poll retires it after the batch
                _ => {
                    worker.state = WorkerState::Retired;
                    worker.generation += 1;
                    c.active -= 1;
                    let q = &mut self.queues[queue as usize];
                    q.waiters
                        .retain(|w| !(w.consumer == consumer && w.worker == index as u32));
                }
            }
        }
    }

    fn active_rank(&self, consumer: u32, worker: u32) -> u32 {
        self.consumers[consumer as usize].workers[..worker as usize]
            .iter()
            .filter(|w| w.state != WorkerState::Retired)
            .count() as u32
    }

    fn worker_current(&self, consumer: u32, worker: u32, generation: u32) -> bool {
        self.consumers
            .get(consumer as usize)
            .and_then(|c| c.workers.get(worker as usize))
            .is_some_and(|w| w.generation == generation)
    }

    /// The worker's loop: receive; if nothing, wait (long polling) or pause (short polling).
    fn worker_poll(&mut self, consumer: u32, worker: u32) {
        let c = &self.consumers[consumer as usize];
        if c.paused || self.fault_worker_down(consumer, worker) {
            let w = &mut self.consumers[consumer as usize].workers[worker as usize];
            w.state = WorkerState::Paused;
            w.generation += 1;
            return;
        }
        let c = &self.consumers[consumer as usize];
        // Only when the pool shrank: retire the workers beyond the wanted count.
        if c.active > c.spec.workers && self.active_rank(consumer, worker) >= c.spec.workers {
            self.consumers[consumer as usize].active -= 1;
            let w = &mut self.consumers[consumer as usize].workers[worker as usize];
            w.state = WorkerState::Retired;
            w.generation += 1;
            return;
        }
        if self.try_receive(consumer, worker, true) {
            return;
        }
        let c = &self.consumers[consumer as usize];
        let queue = c.queue;
        let component = c.component;
        let wait = c.spec.wait_time_seconds.unwrap_or(
            self.queues[queue as usize]
                .spec
                .receive_message_wait_time_seconds,
        );
        let pause = c.spec.empty_receive_pause;
        let lane = c.poll_lane;
        let w = &mut self.consumers[consumer as usize].workers[worker as usize];
        w.generation += 1;
        let generation = w.generation;
        if wait > 0 {
            w.state = WorkerState::Polling { since: self.now };
            self.queues[queue as usize].waiters.push_back(Waiter {
                consumer,
                worker,
                generation,
            });
            let deadline = self.now.saturating_add(SimDuration::from_secs(wait as u64));
            self.events.schedule_in_lane(
                lane,
                deadline,
                Event::PollTimeout {
                    consumer,
                    worker,
                    generation,
                },
            );
        } else {
            w.state = WorkerState::Idle;
            self.count_empty_receive(queue, component, SimDuration::ZERO);
            self.events.schedule(
                self.now.saturating_add(pause),
                Event::WorkerPoll {
                    consumer,
                    worker,
                    generation,
                },
            );
        }
    }

    fn count_empty_receive(&mut self, queue: u32, consumer: ComponentId, waited: SimDuration) {
        let q = &mut self.queues[queue as usize];
        q.period.empty_receives += 1;
        q.total.empty_receives += 1;
        if self.tracing {
            let reason = self.empty_reason(queue);
            let component = self.queues[queue as usize].component;
            self.record(
                component,
                None,
                TraceKind::EmptyReceive {
                    consumer,
                    reason,
                    waited,
                },
            );
        }
    }

    fn empty_reason(&self, queue: u32) -> EmptyReason {
        let q = &self.queues[queue as usize];
        let cap = if q.spec.fifo_queue {
            self.limits.fifo_in_flight_cap
        } else {
            self.limits.standard_in_flight_cap
        };
        if q.in_flight >= cap {
            return EmptyReason::InFlightCap {
                in_flight: q.in_flight,
            };
        }
        if q.visible == 0 {
            return EmptyReason::NoMessages;
        }
        if q.spec.fifo_queue {
            if let Some(group) = q
                .groups
                .iter()
                .find(|g| !g.visible.is_empty() && g.in_flight > 0)
            {
                if let Some(blocking) = self.msgs.get(group.last_received as usize) {
                    return EmptyReason::GroupsBlocked {
                        group: self
                            .group_names
                            .get(group.name as usize)
                            .cloned()
                            .unwrap_or_default(),
                        blocking: MessageId(blocking.id),
                        until: blocking.deadline,
                    };
                }
            }
        }
        EmptyReason::ShortPollSampledNone { visible: q.visible }
    }

    fn on_poll_timeout(&mut self, consumer: u32, worker: u32, generation: u32) {
        if !self.worker_current(consumer, worker, generation) {
            return;
        }
        let c = &self.consumers[consumer as usize];
        let queue = c.queue;
        let component = c.component;
        let WorkerState::Polling { since } = c.workers[worker as usize].state else {
            return;
        };
        let q = &mut self.queues[queue as usize];
        if let Some(at) = q
            .waiters
            .iter()
            .position(|w| w.consumer == consumer && w.worker == worker)
        {
            q.waiters.remove(at);
        }
        self.count_empty_receive(queue, component, self.now.since(since));
        self.worker_poll(consumer, worker);
    }

    fn start_processing(&mut self, consumer: u32, worker: u32) {
        let c = &mut self.consumers[consumer as usize];
        let heartbeat = c.spec.heartbeat.as_ref().map(|h| h.interval_seconds);
        let w = &mut c.workers[worker as usize];
        w.state = WorkerState::Processing;
        w.position = 0;
        w.generation += 1;
        let generation = w.generation;
        let seconds = c.spec.processing_time.sample(&mut self.rng);
        let component = c.component;
        let done = self
            .now
            .saturating_add(faults_rt::slowed(seconds, self.fault_slowdown(component)));
        self.events.schedule(
            done,
            Event::WorkDone {
                consumer,
                worker,
                generation,
            },
        );
        if let Some(interval) = heartbeat {
            let at = self
                .now
                .saturating_add(SimDuration::from_secs(interval as u64));
            self.events.schedule(
                at,
                Event::Heartbeat {
                    consumer,
                    worker,
                    generation,
                },
            );
        }
    }

    fn on_work_done(&mut self, consumer: u32, worker: u32, generation: u32) {
        if !self.worker_current(consumer, worker, generation) {
            return;
        }
        let c = &self.consumers[consumer as usize];
        let failure = c.spec.failure_probability;
        let delete_mode = c.spec.delete_mode;
        let component = c.component;
        let queue = c.queue;
        let w = &c.workers[worker as usize];
        let Some(item) = w.batch.get(w.position).cloned() else {
            self.worker_poll(consumer, worker);
            return;
        };
        // A message carrying a task token answers it; a pool whose target is a state
        // machine starts an execution and fails the message when StartExecution is refused.
        let failed = self.rng.chance(failure)
            || self.fault_fails(component)
            || !self.sfn_on_processed(consumer, item.slot);
        if failed {
            self.sfn_on_failed(consumer, item.slot);
            let c = &mut self.consumers[consumer as usize];
            c.failed += 1;
            c.period_failed += 1;
            let id = self.msgs[item.slot as usize].id;
            let queue_component = self.queues[queue as usize].component;
            self.record(
                queue_component,
                Some(id),
                TraceKind::ProcessingFailed {
                    consumer: self.consumers[consumer as usize].component,
                },
            );
        } else {
            let c = &mut self.consumers[consumer as usize];
            c.processed += 1;
            c.period_processed += 1;
            match delete_mode {
                DeleteMode::PerMessage => {
                    self.queues[queue as usize].requests += 1;
                    match self.check_throttle(queue, Action::Delete) {
                        Ok(()) => self.delete(consumer, item.slot, item.receipt),
                        Err(error) => {
                            let queue_component = self.queues[queue as usize].component;
                            self.record(
                                queue_component,
                                None,
                                TraceKind::CallFailed {
                                    consumer: component,
                                    error,
                                },
                            );
                        }
                    }
                }
                DeleteMode::PerBatch => {
                    let w = &mut self.consumers[consumer as usize].workers[worker as usize];
                    w.batch[w.position].succeeded = true;
                }
            }
        }
        let c = &mut self.consumers[consumer as usize];
        let w = &mut c.workers[worker as usize];
        w.position += 1;
        if w.position < w.batch.len() {
            let seconds = c.spec.processing_time.sample(&mut self.rng);
            let done = self
                .now
                .saturating_add(faults_rt::slowed(seconds, self.fault_slowdown(component)));
            self.events.schedule(
                done,
                Event::WorkDone {
                    consumer,
                    worker,
                    generation,
                },
            );
            return;
        }
        if delete_mode == DeleteMode::PerBatch {
            let batch = std::mem::take(
                &mut self.consumers[consumer as usize].workers[worker as usize].batch,
            );
            self.delete_succeeded(consumer, &batch);
            self.consumers[consumer as usize].workers[worker as usize].batch = batch;
        }
        self.worker_poll(consumer, worker);
    }

    /// Deletes the succeeded messages of a batch with one `DeleteMessageBatch` call per 10.
    fn delete_succeeded(&mut self, consumer: u32, batch: &[Taken]) {
        let succeeded = batch.iter().filter(|t| t.succeeded).count() as u64;
        if succeeded == 0 {
            return;
        }
        let c = &self.consumers[consumer as usize];
        let (queue, component) = (c.queue, c.component);
        self.queues[queue as usize].requests += succeeded.div_ceil(10);
        match self.check_throttle(queue, Action::Delete) {
            Ok(()) => {
                for taken in batch.iter().filter(|t| t.succeeded) {
                    self.delete(consumer, taken.slot, taken.receipt);
                }
            }
            Err(error) => {
                let queue_component = self.queues[queue as usize].component;
                self.record(
                    queue_component,
                    None,
                    TraceKind::CallFailed {
                        consumer: component,
                        error,
                    },
                );
            }
        }
    }

    fn on_heartbeat(&mut self, consumer: u32, worker: u32, generation: u32) {
        if !self.worker_current(consumer, worker, generation) {
            return;
        }
        let c = &self.consumers[consumer as usize];
        let Some(heartbeat) = c.spec.heartbeat.clone() else {
            return;
        };
        let component = c.component;
        let queue = c.queue;
        let w = &c.workers[worker as usize];
        if w.state != WorkerState::Processing {
            return;
        }
        let pending: Vec<Taken> = w.batch[w.position..].to_vec();
        let lane = self.queues[queue as usize].visibility_lane;
        let queue_component = self.queues[queue as usize].component;
        let cap = SimDuration::from_secs(self.limits.max_visibility_total_seconds);
        for taken in pending {
            let m = &mut self.msgs[taken.slot as usize];
            if m.state != MsgState::InFlight || m.receipt != taken.receipt {
                let id = m.id;
                self.record(
                    queue_component,
                    Some(id),
                    TraceKind::CallFailed {
                        consumer: component,
                        error: SqsError::MessageNotInflight,
                    },
                );
                continue;
            }
            let deadline = self
                .now
                .saturating_add(SimDuration::from_secs(heartbeat.visibility_timeout as u64));
            if deadline.since(m.receive_started) > cap {
                let id = m.id;
                let error = SqsError::InvalidParameterValue(format!(
                    "Value {} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]",
                    heartbeat.visibility_timeout
                ));
                self.record(
                    queue_component,
                    Some(id),
                    TraceKind::CallFailed {
                        consumer: component,
                        error,
                    },
                );
                continue;
            }
            m.deadline = deadline;
            m.epoch = m.epoch.wrapping_add(1);
            let (epoch, id) = (m.epoch, m.id);
            self.queues[queue as usize].requests += 1;
            self.events.schedule_in_lane(
                lane,
                deadline,
                Event::VisibilityEnd {
                    slot: taken.slot,
                    epoch,
                },
            );
            self.record(
                queue_component,
                Some(id),
                TraceKind::VisibilityChanged {
                    consumer: component,
                    visible_again_at: deadline,
                },
            );
        }
        let at = self
            .now
            .saturating_add(SimDuration::from_secs(heartbeat.interval_seconds as u64));
        self.events.schedule(
            at,
            Event::Heartbeat {
                consumer,
                worker,
                generation,
            },
        );
    }

    // ----- redrive -------------------------------------------------------------------------

    fn on_move_task_tick(&mut self, queue: u32, generation: u32) {
        let Some(task) = self.queues[queue as usize].move_task.clone() else {
            return;
        };
        if task.generation != generation || task.status != "RUNNING" {
            return;
        }
        let component = self.queues[queue as usize].component;
        // The next visible message, in delivery order.
        let next = loop {
            let q = &mut self.queues[queue as usize];
            let Some(&local) = q.ready.front() else {
                break None;
            };
            match q.groups[local as usize].visible.front() {
                Some(&slot) => break Some(slot),
                None => {
                    q.ready.pop_front();
                    q.groups[local as usize].in_ready = false;
                }
            }
        };
        let Some(slot) = next else {
            let moved = task.moved;
            if let Some(task) = self.queues[queue as usize].move_task.as_mut() {
                task.status = "COMPLETED";
            }
            self.record(
                component,
                None,
                TraceKind::MoveTaskStatus {
                    status: "COMPLETED",
                    moved,
                },
            );
            return;
        };
        self.detach(slot);
        let destination = task
            .destination
            .unwrap_or(self.msgs[slot as usize].origin_queue);
        let destination = if destination == queue {
            self.msgs[slot as usize].origin_queue
        } else {
            destination
        };
        // The receive count starts again, or the message would go straight back to the DLQ
        // on its next receive. (Not stated in the docs we follow; the useful reading.)
        self.msgs[slot as usize].receive_count = 0;
        let id = self.msgs[slot as usize].id;
        let to = self.queues[destination as usize].component;
        self.record(component, Some(id), TraceKind::Redriven { to });
        self.transfer(slot, destination);
        if let Some(task) = self.queues[queue as usize].move_task.as_mut() {
            task.moved += 1;
        }
        let gap = SimDuration(1_000_000 / task.rate.max(1) as u64);
        self.events.schedule(
            self.now.saturating_add(gap),
            Event::MoveTaskTick { queue, generation },
        );
    }

    // ----- metrics -------------------------------------------------------------------------

    fn on_metric_tick(&mut self) {
        let period = self.model.metric_period;
        let now = self.now;
        let mut samples: Vec<MetricSample> = Vec::new();
        for index in 0..self.queues.len() {
            // Drop retention entries of messages that left, so the head is the oldest.
            let queue = index as u32;
            while let Some(front) = self.queues[index].retention_log.front().copied() {
                if self.retention_entry_live(queue, &front) {
                    break;
                }
                let q = &mut self.queues[index];
                q.retention_log.pop_front();
                q.retention_stale = q.retention_stale.saturating_sub(1);
            }
            let q = &self.queues[index];
            let oldest = q
                .retention_log
                .front()
                .map(|&(_, slot, _)| now.since(self.msgs[slot as usize].arrived_at).as_secs_f64())
                .unwrap_or(0.0);
            let cost = self.queue_cost(q);
            let component = q.component;
            for metric in QUEUE_METRICS.iter().chain(if q.spec.fifo_queue {
                FIFO_QUEUE_METRICS
            } else {
                &[]
            }) {
                let value = match metric {
                    Metric::ApproximateNumberOfMessagesVisible => q.visible as f64,
                    Metric::ApproximateNumberOfMessagesNotVisible => q.in_flight as f64,
                    Metric::ApproximateNumberOfMessagesDelayed => q.delayed as f64,
                    Metric::ApproximateAgeOfOldestMessage => oldest,
                    Metric::ApproximateNumberOfGroupsWithInflightMessages => {
                        q.groups_in_flight as f64
                    }
                    Metric::NumberOfMessagesSent => q.period.sent as f64,
                    Metric::NumberOfMessagesReceived => q.period.received as f64,
                    Metric::NumberOfMessagesDeleted => q.period.deleted as f64,
                    Metric::NumberOfEmptyReceives => q.period.empty_receives as f64,
                    Metric::NumberOfDeduplicatedSentMessages => q.period.deduplicated as f64,
                    Metric::SentMessageSize => {
                        // Only emitted after at least one send in the period.
                        if q.period.sent == 0 {
                            continue;
                        }
                        q.period.size_sum as f64 / q.period.sent as f64
                    }
                    Metric::NumberOfThrottledRequests => q.period.throttled as f64,
                    Metric::NumberOfMessagesMovedToDLQ => q.period.moved_to_dlq as f64,
                    Metric::NumberOfMessagesExpired => q.period.expired as f64,
                    Metric::EstimatedCharges => cost,
                    _ => continue,
                };
                samples.push(MetricSample {
                    time: now,
                    component,
                    metric: *metric,
                    value,
                });
            }
            self.queues[index].period = QueueCounters::default();
        }
        self.sns_metric_samples(now, &mut samples);
        self.sfn_metric_samples(now, &mut samples);
        self.fault_metric_samples(now, &mut samples);
        self.batch_metric_samples(now, &mut samples);
        self.mq_metric_samples(now, &mut samples);
        self.appflow_metric_samples(now, &mut samples);
        self.lambda_metric_samples(now, &mut samples);
        self.api_metric_samples(now, &mut samples);
        self.alb_metric_samples(now, &mut samples);
        for p in self
            .producers
            .iter_mut()
            .filter(|p| !matches!(p.target, Target::Clients(_)))
        {
            for metric in PRODUCER_METRICS {
                let value = match metric {
                    Metric::MessagesSent => p.period_sent as f64,
                    _ => p.period_errors as f64,
                };
                samples.push(MetricSample {
                    time: now,
                    component: p.component,
                    metric: *metric,
                    value,
                });
            }
            p.period_sent = 0;
            p.period_errors = 0;
        }
        for c in self.consumers.iter_mut().filter(|c| c.lambda == NONE) {
            let busy = c
                .workers
                .iter()
                .filter(|w| w.state == WorkerState::Processing)
                .count() as f64;
            let summary = c.period_latency.summary();
            for metric in CONSUMER_METRICS {
                let value = match metric {
                    Metric::BusyWorkers => busy,
                    Metric::MessagesProcessed => c.period_processed as f64,
                    Metric::ProcessingFailures => c.period_failed as f64,
                    Metric::LatencyP50 if summary.count > 0 => summary.p50,
                    Metric::LatencyP99 if summary.count > 0 => summary.p99,
                    _ => continue,
                };
                samples.push(MetricSample {
                    time: now,
                    component: c.component,
                    metric: *metric,
                    value,
                });
            }
            c.period_processed = 0;
            c.period_failed = 0;
            c.period_latency.clear();
        }
        for sample in &samples {
            if let Some(series) = self.history[sample.component]
                .iter_mut()
                .find(|s| s.metric == sample.metric)
            {
                series.push(SeriesPoint {
                    time: now,
                    span: period,
                    value: sample.value,
                });
            }
        }
        self.evaluate_alarms(&samples);
        for sample in samples {
            self.metrics_dropped +=
                drop_oldest_half_when_full(&mut self.metric_out, MAX_UNDRAINED_METRICS);
            self.metric_out.push(sample);
        }
        self.events
            .schedule(now.saturating_add(period), Event::MetricTick);
    }

    fn evaluate_alarms(&mut self, samples: &[MetricSample]) {
        for index in 0..self.model.alarms.len() {
            let spec = &self.model.alarms[index];
            let Some(sample) = samples
                .iter()
                .find(|s| s.component == spec.component && s.metric == spec.metric)
            else {
                continue;
            };
            let breached = spec.comparison.breached(sample.value, spec.threshold);
            let alarm = &mut self.alarms[index];
            alarm.breaching_periods = if breached {
                alarm.breaching_periods + 1
            } else {
                0
            };
            let should_alarm = alarm.breaching_periods >= spec.evaluation_periods;
            if should_alarm != alarm.in_alarm {
                alarm.in_alarm = should_alarm;
                let kind = TraceKind::AlarmStateChanged {
                    alarm: spec.name.clone(),
                    state: if should_alarm { "ALARM" } else { "OK" },
                    value: sample.value,
                    threshold: spec.threshold,
                };
                let component = spec.component;
                self.record(component, None, kind);
            }
        }
    }
}

impl QueueRt {
    fn new(
        component: ComponentId,
        spec: QueueSpec,
        limits: &Limits,
        events: &mut EventQueue<Event>,
    ) -> QueueRt {
        let rate = if spec.high_throughput() {
            limits.fifo_high_throughput_calls_per_second
        } else {
            limits.fifo_calls_per_second
        };
        QueueRt {
            component,
            spec,
            groups: Vec::new(),
            group_index: FxHashMap::default(),
            ready: VecDeque::new(),
            visible: 0,
            in_flight: 0,
            delayed: 0,
            groups_in_flight: 0,
            waiters: VecDeque::new(),
            visibility_lane: events.add_lane(),
            delay_lane: events.add_lane(),
            retention_log: VecDeque::new(),
            retention_stale: 0,
            retention_generation: 0,
            dedup: sns::DedupWindow::default(),
            next_seq: 0,
            buckets: [
                TokenBucket::new(rate),
                TokenBucket::new(rate),
                TokenBucket::new(rate),
            ],
            period: QueueCounters::default(),
            total: QueueCounters::default(),
            requests: 0,
            is_dlq: false,
            move_task: None,
            last_purge: None,
        }
    }
}

/// A message on its way into a queue.
#[derive(Clone, Debug)]
struct Outgoing {
    producer: u32,
    /// The topic that delivered it, or NONE.
    via: u32,
    size: u32,
    group: u32,
    dedup_id: Option<String>,
    explicit_dedup: bool,
    delay_seconds: Option<u32>,
    extra: Option<Box<MsgExtra>>,
}

/// Trace events kept between two [`Simulation::drain_trace`] calls; past it the oldest half
/// is dropped, so a caller that never drains does not grow without bound.
pub const MAX_UNDRAINED_TRACE: usize = 1 << 18;

/// Metric samples kept between two [`Simulation::drain_metrics`] calls.
pub const MAX_UNDRAINED_METRICS: usize = 1 << 16;

/// Makes room in a buffer that is full: drops its oldest half (amortised O(1) per push).
/// Returns how many items were dropped.
fn drop_oldest_half_when_full<T>(buffer: &mut Vec<T>, capacity: usize) -> u64 {
    if buffer.len() < capacity {
        return 0;
    }
    let dropped = buffer.len() / 2;
    buffer.drain(..dropped);
    dropped as u64
}

/// SQS bills each started 64 KB chunk of a request's payload as one request.
pub fn billable_chunks(payload_bytes: u64, chunk: u32) -> u64 {
    payload_bytes.div_ceil(chunk.max(1) as u64).max(1)
}

/// The size SQS counts: body plus every attribute's name, type and value.
pub fn message_size(body: &str, attributes: &[MessageAttribute]) -> u32 {
    let attributes: usize = attributes
        .iter()
        .map(|a| a.name.len() + a.data_type.len() + a.value.len())
        .sum();
    (body.len() + attributes).min(u32::MAX as usize) as u32
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn shorten(key: &str) -> String {
    let visible = key.rsplit('\u{0}').next().unwrap_or(key);
    if visible.len() > 16 {
        format!("{}…", &visible[..16])
    } else {
        visible.to_string()
    }
}

trait SaturatingAddDuration {
    fn saturating_add_duration(self, other: SimDuration) -> SimDuration;
}

impl SaturatingAddDuration for SimDuration {
    fn saturating_add_duration(self, other: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(other.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored message costs its slot, a retention log entry and a place in its group's
    /// list: well under the 256 bytes per message the engine allows itself.
    #[test]
    fn a_stored_message_stays_small() {
        let per_message = std::mem::size_of::<Msg>()
            + std::mem::size_of::<(SimTime, u32, u64)>()
            + std::mem::size_of::<u32>();
        assert!(per_message <= 192, "{per_message} bytes per stored message");
    }

    #[test]
    fn billing_counts_started_64kb_chunks() {
        assert_eq!(billable_chunks(0, 65_536), 1);
        assert_eq!(billable_chunks(1, 65_536), 1);
        assert_eq!(billable_chunks(65_536, 65_536), 1);
        assert_eq!(billable_chunks(65_537, 65_536), 2);
        assert_eq!(billable_chunks(262_144, 65_536), 4);
        assert_eq!(billable_chunks(1_048_576, 65_536), 16);
    }

    #[test]
    fn token_bucket_allows_the_rate_and_refills() {
        let mut bucket = TokenBucket::new(300);
        let granted = (0..400).filter(|_| bucket.try_take(SimTime::ZERO)).count();
        assert_eq!(granted, 300);
        assert!(!bucket.try_take(SimTime::from_millis(1)));
        // 10 ms later: 3 more tokens.
        let granted = (0..10)
            .filter(|_| bucket.try_take(SimTime::from_millis(10)))
            .count();
        assert_eq!(granted, 3);
    }
}
