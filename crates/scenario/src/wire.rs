//! The wire types of scenario format version 1: exactly what the JSON file holds.
//!
//! Every parameter is optional; a missing one takes the frozen v1 default of [`crate::v1`].
//! Queue attributes carry their AWS names and units (`VisibilityTimeout` in seconds); the
//! simulation's own knobs are `snake_case`. SNS topics subscribe queues and endpoints through
//! their outgoing connections, whose `subscription` carries the subscription's attributes
//! (`FilterPolicy` stays a JSON value here and becomes text in the engine's model).
//! None of these types is an engine type: lowering
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
    /// Quotas of the AWS account the scenario runs in (per Region); default: AWS's defaults.
    #[serde(default, skip_serializing_if = "Account::is_default")]
    pub account: Account,
    /// The queues, producers, consumer pools, SNS topics, endpoints, S3 buckets, state machines, Lambda functions, API gateways, client populations, Batch job queues and compute environments; default none.
    #[serde(default)]
    pub components: Vec<Component>,
    /// Arrows between components: producer to queue, SNS topic, state machine or Batch job queue; queue to consumer; consumer to state machine; SNS topic to queue or endpoint (a subscription); Batch job queue to its compute environments (in order); default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<Connection>,
    /// CloudWatch-style alarms on component metrics; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<Alarm>,
    /// What the run must show, judged as it goes (`loosely test` exits 1 when one fails); default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<Expectation>,
    /// The fault timeline: windows in which a consumer pool, an endpoint, a state machine or a Batch compute environment stops, slows down or fails a share of its requests; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<Fault>,
}

impl Default for Scenario {
    /// An empty scenario of format version 1 with every setting at its v1 default.
    fn default() -> Scenario {
        Scenario {
            version: 1,
            name: String::new(),
            description: String::new(),
            seed: v1::seed(),
            duration_seconds: v1::duration_seconds(),
            limit_profile: LimitProfile::default(),
            metric_period_seconds: v1::metric_period_seconds(),
            free_tier: false,
            account: Account::default(),
            components: Vec::new(),
            connections: Vec::new(),
            alarms: Vec::new(),
            expectations: Vec::new(),
            faults: Vec::new(),
        }
    }
}

/// Account-level quotas, per Region.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Lambda's `ConcurrentExecutions` quota: concurrent executions shared by every function of the account, 1..=100000; default 1000. At most this minus 100 can be reserved by functions.
    #[serde(
        rename = "LambdaConcurrentExecutions",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub lambda_concurrent_executions: Option<u32>,
    /// API Gateway's account-level throttle, shared by every API of the Region: `rateLimit` 1..=1000000 requests per second (default 10000) and `burstLimit` 1..=1000000 (default 5000, the 2023 documentation's figure; AWS now sets it from the rate).
    #[serde(
        rename = "ApiGatewayThrottle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub api_gateway_throttle: Option<ThrottleSettings>,
    /// API Gateway's quota of new WebSocket connections per second, shared by every WebSocket API of the account and Region, 1..=1000000; default 500. Connections above it are refused with 429 and the clients reconnect after their back-off.
    #[serde(
        rename = "WebSocketNewConnectionsPerSecond",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub websocket_new_connections_per_second: Option<u32>,
}

impl Account {
    pub fn is_default(&self) -> bool {
        self == &Account::default()
    }
}

/// What a fault does while it lasts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FaultEffect {
    /// The component stops. A consumer pool loses `share` of its workers (1/3 stands for one availability zone out of three); the messages in their hands stay in flight until their visibility timeout. An endpoint is unreachable (SNS retries as for a server error). A state machine's task states fail with `States.TaskFailed` An Application Load Balancer loses `share` of its instances (at least one): connections to them are refused (502) until the health checks take them out.
    #[default]
    Stop,
    /// The component works `factor` times slower: a consumer pool's processing time, an endpoint's latency, a load balancer's instances (requests and health checks).
    Slow,
    /// The component fails `share` of its requests: a consumer pool's processing (the message is not deleted), an endpoint's deliveries (server error, 5xx), a state machine's task states (`States.TaskFailed`), a load balancer's connections to its instances (reset: 502, health checks included).
    Fail,
}

/// One window of the fault timeline. Simplification: AWS has no such switch; AWS Fault Injection Service offers comparable actions (stop instances, fail or throttle API calls, disrupt an availability zone).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Id of the component: a consumer pool, an endpoint, a state machine (stop and fail only) a Batch compute environment (stop a share of its instances, an availability zone; fail a share of job attempts) an Amazon MQ broker (stop only: `share` of its instances or nodes, at least one, fail) or an Application Load Balancer (stop `share` of its instances, slow them, or reset `share` of connections).
    pub component: String,
    /// `stop`, `slow` or `fail`; default `stop`.
    #[serde(default)]
    pub effect: FaultEffect,
    /// When the fault begins, seconds from the start of the run, >= 0.
    pub start_seconds: f64,
    /// How long it lasts, seconds, > 0; the component recovers at start_seconds + duration_seconds.
    pub duration_seconds: f64,
    /// Share, 0 (excluded)..=1: of a consumer pool's workers, a compute environment's or a load balancer's instances that stop (`stop`; other components stop whole), or of requests that fail (`fail`); default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// How many times slower (`slow` only), 1..=1000; default 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
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
    /// A source of messages sent to one queue, or published to one SNS topic.
    Producer(Node<ProducerParameters>),
    /// A pool of workers that receive, process and delete messages of one queue.
    Consumer(Node<ConsumerParameters>),
    /// An Amazon SNS topic (standard or FIFO); its subscriptions are its outgoing connections.
    SnsTopic(Node<TopicParameters>),
    /// A receiver of SNS deliveries that is not a queue: an HTTP/S server, an email address, a phone, a mobile app, a Firehose stream or a Lambda function.
    Endpoint(Node<EndpointParameters>),
    /// An Amazon S3 bucket that holds large payloads for the extended client library.
    S3Bucket(Node<BucketParameters>),
    /// An AWS Step Functions state machine (Standard or Express) holding an Amazon States Language definition; started by a producer, a consumer pool or a Lambda function connected to it (the function's handler calls `StartExecution` once per record it handles), and by `states:startExecution` tasks.
    StateMachine(Node<StateMachineParameters>),
    /// An AWS Lambda function: invoked by an SQS queue connected to it (an event source mapping, the arrow's `event_source_mapping`) or by an SNS topic subscribing it (asynchronous invocation); an arrow from it to a state machine makes its handler start one execution per record it handles.
    LambdaFunction(Node<LambdaParameters>),
    /// An Amazon API Gateway API (REST or HTTP) with one stage and one method: called by client populations connected to it, it forwards each request to its one integration (the arrow out of it): a Lambda function, an SQS queue (`SendMessage`), an SNS topic (`Publish`), a state machine (`StartExecution`) or an HTTP endpoint.
    ApiGateway(Node<ApiParameters>),
    /// A population of clients (each with its own address and optionally an API key) calling one API or Application Load Balancer at a rate pattern, with a timeout and retries.
    ClientPopulation(Node<ClientParameters>),
    /// An AWS Batch managed compute environment (EC2, SPOT, FARGATE or FARGATE_SPOT); the job queues that use it connect to it, in their order.
    BatchComputeEnvironment(Node<ComputeEnvironmentParameters>),
    /// An AWS Batch job queue with the job definition its jobs run; jobs come from a producer connected to it (one `SubmitJob` per message) or a state machine's `batch:submitJob` task; its arrows to compute environments are its `computeEnvironmentOrder` (1..=3, first tried first).
    BatchJobQueue(Node<JobQueueParameters>),
    /// An Amazon MQ broker (ActiveMQ or RabbitMQ engine) in a VPC: producers connected to it send to one of its destinations, consumer pools it connects to read one of its queues. Only clients in the same VPC (their `vpc` field) connect; SQS and SNS, by contrast, are public endpoints.
    MqBroker(Node<BrokerParameters>),
    /// An Application Load Balancer: one HTTP listener forwarding to one target group of EC2 instances, with the target group's health checks; called by client populations connected to it.
    ApplicationLoadBalancer(Node<LoadBalancerParameters>),
    /// An Amazon AppFlow flow: a SaaS source (a record generator stands in for it), one destination, a trigger (`OnDemand`, `Event`, `Scheduled`) and tasks (filters, validations, mappings) with AWS's names, so a task list from `CreateFlow` can be pasted; no connections.
    AppflowFlow(Node<FlowParameters>),
}

/// Applies `$body` to the node of every kind of component.
macro_rules! each_node {
    ($component:expr, $node:ident => $body:expr) => {
        match $component {
            Component::SqsQueue($node) => $body,
            Component::Producer($node) => $body,
            Component::Consumer($node) => $body,
            Component::SnsTopic($node) => $body,
            Component::Endpoint($node) => $body,
            Component::S3Bucket($node) => $body,
            Component::StateMachine($node) => $body,
            Component::LambdaFunction($node) => $body,
            Component::ApiGateway($node) => $body,
            Component::ClientPopulation($node) => $body,
            Component::BatchComputeEnvironment($node) => $body,
            Component::BatchJobQueue($node) => $body,
            Component::MqBroker($node) => $body,
            Component::AppflowFlow($node) => $body,
            Component::ApplicationLoadBalancer($node) => $body,
        }
    };
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
        each_node!(self, node => &node.id)
    }

    /// The name shown to people: `name`, or the id when the name is empty.
    pub fn display_name(&self) -> &str {
        let (name, id) = each_node!(self, node => (&node.name, &node.id));
        if name.is_empty() {
            id
        } else {
            name
        }
    }

    pub fn position(&self) -> Position {
        each_node!(self, node => node.position)
    }

    pub fn set_position(&mut self, position: Position) {
        each_node!(self, node => node.position = position)
    }

    /// The `name` as written (empty when the id is the name).
    pub fn name(&self) -> &str {
        each_node!(self, node => &node.name)
    }

    pub fn set_id(&mut self, id: String) {
        each_node!(self, node => node.id = id)
    }

    pub fn set_name(&mut self, name: String) {
        each_node!(self, node => node.name = name)
    }

    /// The `kind` as written in the file.
    pub fn kind_str(&self) -> &'static str {
        match self {
            Component::SqsQueue(_) => "sqs_queue",
            Component::Producer(_) => "producer",
            Component::Consumer(_) => "consumer",
            Component::SnsTopic(_) => "sns_topic",
            Component::Endpoint(_) => "endpoint",
            Component::S3Bucket(_) => "s3_bucket",
            Component::StateMachine(_) => "state_machine",
            Component::LambdaFunction(_) => "lambda_function",
            Component::ApiGateway(_) => "api_gateway",
            Component::ClientPopulation(_) => "client_population",
            Component::BatchComputeEnvironment(_) => "batch_compute_environment",
            Component::BatchJobQueue(_) => "batch_job_queue",
            Component::MqBroker(_) => "mq_broker",
            Component::AppflowFlow(_) => "appflow_flow",
            Component::ApplicationLoadBalancer(_) => "application_load_balancer",
        }
    }

    /// What starts executions over an arrow to a state machine, with its article: "a Lambda
    /// function" or "a consumer pool".
    pub fn starter_words(&self) -> &'static str {
        match self {
            Component::LambdaFunction(_) => "a Lambda function",
            _ => "a consumer pool",
        }
    }

    /// The kind in words, for sentences ("a producer").
    pub fn kind_words(&self) -> &'static str {
        match self {
            Component::SqsQueue(_) => "queue",
            Component::Producer(_) => "producer",
            Component::Consumer(_) => "consumer",
            Component::SnsTopic(_) => "SNS topic",
            Component::Endpoint(_) => "endpoint",
            Component::S3Bucket(_) => "S3 bucket",
            Component::StateMachine(_) => "state machine",
            Component::LambdaFunction(_) => "Lambda function",
            Component::ApiGateway(_) => "API Gateway API",
            Component::ClientPopulation(_) => "client population",
            Component::BatchComputeEnvironment(_) => "Batch compute environment",
            Component::BatchJobQueue(_) => "Batch job queue",
            Component::MqBroker(_) => "Amazon MQ broker",
            Component::AppflowFlow(_) => "AppFlow flow",
            Component::ApplicationLoadBalancer(_) => "Application Load Balancer",
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
    /// The queue's access policy, simplified: the ids of the SNS topics allowed to send to it (`sqs:SendMessage` with `aws:SourceArn`); a delivery from any other topic is a client error that SNS does not retry. Default: every topic of the scenario may send (one account).
    #[serde(
        default,
        rename = "allowed_source_topics",
        skip_serializing_if = "Option::is_none"
    )]
    pub allowed_source_topics: Option<Vec<String>>,
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
    /// Amazon MQ only: the destination on the broker. ActiveMQ: a queue name or `VirtualTopic.<name>`; RabbitMQ: an exchange name, or "" for the default exchange (the routing key names the queue). Default "".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// Amazon MQ RabbitMQ only: the routing key of every message (words separated by `.`); default "".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_key: Option<String>,
    /// Amazon MQ only: share of messages sent `PERSISTENT` (JMS delivery mode; RabbitMQ `delivery_mode` 2), 0..=1; the rest are `NON_PERSISTENT` and lost when the broker instance holding them fails. Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_share: Option<f64>,
    /// The VPC the producer runs in (a name; the canvas draws a dashed box around the components of each VPC). An Amazon MQ broker accepts only clients of its own `vpc`. Default: none (outside any VPC, which reaches SQS and SNS, public endpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
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
    /// Kinds of message, one picked per send by weight; each adds its attributes to the common ones and may carry a body (for SNS filter policies on attributes or on the body); default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<MessageVariant>,
    /// The extended client library: the id of an `s3_bucket` component; a body above the service's size limit is stored there and a small pointer is sent instead (up to 2 GB); default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_client_bucket: Option<String>,
}

/// One kind of message of a producer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageVariant {
    /// Relative weight of this kind among the producer's variants, a finite number >= 0; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Attributes added to the producer's common ones (together at most 10), in the AWS API shape; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<MessageAttribute>,
    /// The body text (JSON for MessageBody-scope filter policies); its length in bytes is the body size. Default: no text, the size comes from `body_size`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
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
    /// An EC2 Auto Scaling group around the pool (each worker an instance): `workers` is its desired capacity, set by a policy on the source queue's depth every 60 s; default none (a fixed pool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<AutoScaling>,
    /// Amazon MQ only: the broker queue the pool reads (for an ActiveMQ virtual topic, `Consumer.<group>.VirtualTopic.<name>`). Required when the pool reads a broker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// Amazon MQ only: unacknowledged messages each worker holds at most (ActiveMQ `prefetchSize`, RabbitMQ `basic.qos` prefetch count), 1..=1000; default 10. The broker pushes messages; a message a worker fails is redelivered (its count raised) until the redelivery limit, then dead-lettered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefetch_count: Option<u32>,
    /// The VPC the pool runs in (a name; the canvas draws a dashed box around the components of each VPC). An Amazon MQ broker accepts only clients of its own `vpc`. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
}

/// An Auto Scaling group with one scaling policy, with AWS's names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct AutoScaling {
    /// `MinSize`: instances at least, 0..=MaxSize.
    pub min_size: u32,
    /// `MaxSize`: instances at most, 1..=10000.
    pub max_size: u32,
    /// `DefaultInstanceWarmup`: seconds before a new instance starts consuming, >= 0; default 300.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_instance_warmup: Option<f64>,
    /// `DefaultCooldown`: seconds without another scaling activity after one, >= 0; default 300.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_cooldown: Option<f64>,
    /// A target tracking policy; exactly one of this and `StepScalingPolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_tracking_configuration: Option<TargetTrackingConfiguration>,
    /// A step scaling policy on a CloudWatch alarm threshold; exactly one of this and `TargetTrackingConfiguration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_scaling_policy: Option<StepScalingPolicy>,
}

/// The queue metric a scaling policy follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ScalingMetricName {
    /// The source queue's visible messages.
    ApproximateNumberOfMessagesVisible,
    /// Visible messages per running instance: the metric math AWS recommends for SQS workers.
    BacklogPerInstance,
}

/// `TargetTrackingConfiguration`: keep the metric near the target (capacity = current x value / target).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct TargetTrackingConfiguration {
    /// `ApproximateNumberOfMessagesVisible` or `BacklogPerInstance`.
    pub metric_name: ScalingMetricName,
    /// `TargetValue`: a finite number > 0 (for the backlog: the messages one instance may have waiting, its processing rate times the acceptable latency).
    pub target_value: f64,
}

/// A step scaling policy: `ChangeInCapacity` by the step holding `metric - Threshold`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct StepScalingPolicy {
    /// `ApproximateNumberOfMessagesVisible` or `BacklogPerInstance`.
    pub metric_name: ScalingMetricName,
    /// The alarm threshold the steps are measured from.
    pub threshold: f64,
    /// `StepAdjustments`: at least one.
    pub step_adjustments: Vec<StepAdjustmentSettings>,
}

/// One step of a step scaling policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct StepAdjustmentSettings {
    /// `MetricIntervalLowerBound` from the threshold (inclusive); default minus infinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_interval_lower_bound: Option<f64>,
    /// `MetricIntervalUpperBound` from the threshold (exclusive); default plus infinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_interval_upper_bound: Option<f64>,
    /// `ScalingAdjustment`: instances to add (negative: remove).
    pub scaling_adjustment: i32,
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
    /// Id of the component the arrow starts at (a producer, the queue a consumer or a Lambda function reads, or an SNS topic).
    pub from: String,
    /// Id of the component the arrow ends at (the producer's queue or topic, a consumer, a Lambda function, or a topic's subscriber: a queue, an endpoint or a Lambda function).
    pub to: String,
    /// The subscription's attributes, only on an arrow from an SNS topic to a queue, an endpoint or a Lambda function; default: protocol `sqs` for a queue, `lambda` for a function, the endpoint kind's own protocol otherwise, no filter policy, JSON envelope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<Subscription>,
    /// The event source mapping's settings, only on an arrow from an SQS queue to a Lambda function; default: `BatchSize` 10, no batching window, no maximum concurrency, no partial batch responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source_mapping: Option<EventSourceMapping>,
}

/// An SQS event source mapping, with AWS's names. Lambda long-polls the queue, starts with 5 concurrent batches, adds up to 300 a minute while messages wait (at most 1,000), and deletes a batch when the function returns. A failed batch stays in flight until the queue's `VisibilityTimeout` ends (AWS recommends at least 6 times the function's timeout), then the queue's `RedrivePolicy` applies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct EventSourceMapping {
    /// `BatchSize`: records per invocation at most, 1..=10000 (1..=10 for a FIFO queue); default 10. Above 10 needs `MaximumBatchingWindowInSeconds` >= 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<u32>,
    /// `MaximumBatchingWindowInSeconds`: seconds Lambda gathers records before it invokes with fewer than `BatchSize`, 0..=300; default 0. Simplified: one more receive at the end of the window fills the batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_batching_window_in_seconds: Option<u32>,
    /// `ScalingConfig`: how far the mapping may scale; default none (up to 1,000 concurrent batches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling_config: Option<ScalingConfig>,
    /// `FunctionResponseTypes`: `["ReportBatchItemFailures"]` lets the function name the failed records (`batchItemFailures`), so only those stay in the queue; default none (one failed record fails the whole batch).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub function_response_types: Vec<FunctionResponseType>,
}

/// `ScalingConfig` of an SQS event source mapping.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ScalingConfig {
    /// `MaximumConcurrency`: concurrent batches at most, 2..=1000; default none (1,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_concurrency: Option<u32>,
}

/// A value of `FunctionResponseTypes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum FunctionResponseType {
    /// The function returns `{"batchItemFailures": [{"itemIdentifier": "<messageId>"}]}`.
    ReportBatchItemFailures,
}

/// The attributes of an SNS subscription, with AWS's names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Subscription {
    /// `Protocol`: `sqs`, `lambda`, `http`, `https`, `email`, `email-json`, `sms`, `application` or `firehose`; default `sqs` for a queue, and for an endpoint its kind's protocol (`http`, `email`, `sms`, `application` for mobile_push, `firehose`, `lambda`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// `FilterPolicy`: a JSON object of SNS filter rules (at most 5 keys, 150 combinations); default none, every message is delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_policy: Option<serde_json::Value>,
    /// `FilterPolicyScope`: `MessageAttributes` (the policy names message attributes) or `MessageBody` (it names properties of a JSON body); default `MessageAttributes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_policy_scope: Option<FilterPolicyScope>,
    /// `RawMessageDelivery` (sqs, http, https, firehose): deliver the body as published instead of SNS's JSON envelope; default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_message_delivery: Option<bool>,
    /// `DeliveryPolicy` (http and https only): retries and throttling of this subscription; default: the topic's DeliveryPolicy, else SNS's (3 retries 20 seconds apart, no throttling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_policy: Option<SubscriptionDeliveryPolicy>,
    /// `RedrivePolicy`: the dead-letter queue for messages SNS gives up on; default none (they are dropped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redrive_policy: Option<SubscriptionRedrivePolicy>,
}

/// A subscription `Protocol`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// To an SQS queue.
    Sqs,
    /// To a Lambda function.
    Lambda,
    /// To an HTTP endpoint.
    Http,
    /// To an HTTPS endpoint.
    Https,
    /// To an email address (plain text).
    Email,
    /// To an email address (the JSON envelope).
    EmailJson,
    /// To a phone number.
    Sms,
    /// To a mobile app (push notification).
    Application,
    /// To a Kinesis Data Firehose stream.
    Firehose,
}

/// `FilterPolicyScope` of a subscription.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum FilterPolicyScope {
    /// Policy keys name message attributes.
    #[default]
    MessageAttributes,
    /// Policy keys name properties of the message body, which must be a JSON object.
    MessageBody,
}

/// A subscription's `RedrivePolicy`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SubscriptionRedrivePolicy {
    /// The dead-letter queue: a component id, or an ARN `arn:aws:sqs:<region>:<account>:<queue name>` matched by queue name; a standard queue for a standard topic, a FIFO queue for a FIFO topic.
    pub dead_letter_target_arn: String,
}

/// A subscription's `DeliveryPolicy` (HTTP/S).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SubscriptionDeliveryPolicy {
    /// How failed deliveries are retried; default SNS's (3 retries 20 seconds apart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthy_retry_policy: Option<HealthyRetryPolicy>,
    /// How fast deliveries may go; default no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle_policy: Option<ThrottlePolicy>,
}

/// A topic's `DeliveryPolicy`: `{"http": {...}}`, the defaults of its HTTP/S subscriptions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicDeliveryPolicy {
    /// The policy of HTTP/S subscriptions that have none of their own.
    pub http: TopicHttpDeliveryPolicy,
}

/// The `http` part of a topic's `DeliveryPolicy`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TopicHttpDeliveryPolicy {
    /// How failed deliveries are retried; default SNS's (3 retries 20 seconds apart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_healthy_retry_policy: Option<HealthyRetryPolicy>,
    /// How fast deliveries may go; default no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_throttle_policy: Option<ThrottlePolicy>,
}

/// `healthyRetryPolicy`: the phases of HTTP/S delivery retries (SNS caps them at 3600 seconds in total).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HealthyRetryPolicy {
    /// `minDelayTarget`: wait before the first backoff retry, seconds, 1..=maxDelayTarget; default 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_delay_target: Option<u32>,
    /// `maxDelayTarget`: wait before the last backoff retry and between post-backoff retries, seconds, minDelayTarget..=3600; default 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_target: Option<u32>,
    /// `numRetries`: retries of all phases together, 0..=100; default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_retries: Option<u32>,
    /// `numNoDelayRetries`: immediate retries first, >= 0; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_no_delay_retries: Option<u32>,
    /// `numMinDelayRetries`: retries minDelayTarget apart before the backoff, >= 0; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_min_delay_retries: Option<u32>,
    /// `numMaxDelayRetries`: retries maxDelayTarget apart after the backoff, >= 0; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_max_delay_retries: Option<u32>,
    /// `backoffFunction`: `arithmetic`, `exponential`, `geometric` or `linear`; default `linear`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_function: Option<BackoffFunction>,
}

/// `backoffFunction` of a retry policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BackoffFunction {
    /// Delays grow by a fixed step squared.
    Arithmetic,
    /// Delays double.
    Exponential,
    /// Delays grow geometrically.
    Geometric,
    /// Delays grow evenly from minDelayTarget to maxDelayTarget.
    #[default]
    Linear,
}

/// `throttlePolicy`: a ceiling on deliveries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThrottlePolicy {
    /// `maxReceivesPerSecond`: deliveries per second to one subscription, >= 1; default no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_receives_per_second: Option<u32>,
}

/// SNS topic attributes, with AWS's names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct TopicParameters {
    /// `FifoTopic`: a FIFO topic (create-only; the name must end in `.fifo`; only SQS queues subscribe); default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fifo_topic: Option<bool>,
    /// `ContentBasedDeduplication` (FIFO only): the SHA-256 of the body is the deduplication id; default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_based_deduplication: Option<bool>,
    /// `FifoThroughputScope` (FIFO only): `Topic` (3000 messages per second for the topic, deduplication across it) or `MessageGroup` (deduplication and quota per message group); default `Topic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fifo_throughput_scope: Option<FifoThroughputScope>,
    /// `DeliveryPolicy`: the default retry and throttle policy of the topic's HTTP/S subscriptions, `{"http": {"defaultHealthyRetryPolicy": {...}, "defaultThrottlePolicy": {...}}}`; default SNS's (3 retries 20 seconds apart, no throttling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_policy: Option<TopicDeliveryPolicy>,
    /// The topic's access policy, simplified: ids of the producers allowed to `Publish`; default: every producer of the scenario (one account).
    #[serde(
        default,
        rename = "allowed_publishers",
        skip_serializing_if = "Option::is_none"
    )]
    pub allowed_publishers: Option<Vec<String>>,
}

/// `FifoThroughputScope` of a FIFO topic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum FifoThroughputScope {
    /// Deduplication and the throughput quota apply to the whole topic.
    #[default]
    Topic,
    /// Deduplication and the throughput quota apply per message group.
    MessageGroup,
}

/// What an endpoint stands for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKind {
    /// An HTTP/S server (protocol http or https).
    #[default]
    Http,
    /// An email address (protocol email or email-json).
    Email,
    /// A phone number (protocol sms).
    Sms,
    /// A mobile app behind a push service (protocol application).
    MobilePush,
    /// A Kinesis Data Firehose stream (protocol firehose).
    Firehose,
    /// A Lambda function as a plain receiver (protocol lambda).
    Lambda,
}

/// A window when an endpoint does not answer: the same as a `stop` fault on the endpoint in the scenario's `faults`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DowntimeWindow {
    /// When the endpoint goes down, seconds from the start of the run, >= 0.
    pub start_seconds: f64,
    /// When it answers again, seconds from the start of the run, > start_seconds.
    pub end_seconds: f64,
}

/// How an endpoint answers SNS deliveries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointParameters {
    /// `http`, `email`, `sms`, `mobile_push`, `firehose` or `lambda`; default `http`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_kind: Option<EndpointKind>,
    /// Seconds to answer one delivery, a distribution; default constant 0.05.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<Distribution>,
    /// Chance, 0..=1, that a delivery gets a server error (5xx), which SNS retries; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_error_probability: Option<f64>,
    /// Chance, 0..=1, that a delivery gets a client error (4xx), which SNS does not retry; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_error_probability: Option<f64>,
    /// Windows when the endpoint is down: deliveries then fail as server errors; default none. Each window is a `stop` fault of this endpoint (the scenario's `faults` can also slow it down or fail a share of deliveries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub downtime: Vec<DowntimeWindow>,
}

/// How the target group picks a target for a request (`load_balancing.algorithm.type`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoadBalancingAlgorithm {
    /// Each healthy target in turn.
    #[default]
    RoundRobin,
    /// The healthy target with the fewest requests in progress.
    LeastOutstandingRequests,
}

/// `Matcher` of a target group's health check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthCheckMatcher {
    /// `HttpCode`: the codes a healthy target answers with: one code ("200"), a list ("200,202") or a range ("200-299"), each 200..=499; default "200".
    #[serde(rename = "HttpCode")]
    pub http_code: String,
}

/// An Application Load Balancer with one HTTP listener whose default action forwards to one target group of identical EC2 instances. Health check names are the target group's (`CreateTargetGroup`); attributes are written in snake_case after their AWS keys.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerParameters {
    /// EC2 instances registered in the target group, 0..=1000; default 2. With none, the load balancer answers 503. Lowering it while running deregisters the last instances (they drain); raising it registers new ones (`initial` until they pass one health check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances: Option<u32>,
    /// Simulation knob: requests one instance serves at once, 1..=10000; more wait in its backlog, first come first served; default 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_concurrency: Option<u32>,
    /// Simulation knob: seconds an instance takes to serve a request, a distribution; default constant 0.05.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_time: Option<Distribution>,
    /// Simulation knob: seconds the application takes to answer its health check path, a distribution; default constant 0.005. A `slow` fault multiplies it; an answer slower than `HealthCheckTimeoutSeconds` fails the check (`Target.Timeout`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_seconds: Option<Distribution>,
    /// Simulation knob: chance, 0..=1, that the application answers a request with 500 (counted in `HTTPCode_Target_5XX_Count`); default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_probability: Option<f64>,
    /// `HealthCheckIntervalSeconds`: seconds between two health checks of a target, 5..=300; default 30.
    #[serde(
        rename = "HealthCheckIntervalSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check_interval_seconds: Option<u32>,
    /// `HealthCheckTimeoutSeconds`: seconds without an answer after which a check fails (`Target.Timeout`), 2..=120 and smaller than the interval; default 5.
    #[serde(
        rename = "HealthCheckTimeoutSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check_timeout_seconds: Option<u32>,
    /// `HealthyThresholdCount`: consecutive passed checks that bring an unhealthy target back into service, 2..=10; default 5. A newly registered target needs one.
    #[serde(
        rename = "HealthyThresholdCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub healthy_threshold_count: Option<u32>,
    /// `UnhealthyThresholdCount`: consecutive failed checks that take a target out of service, 2..=10; default 2.
    #[serde(
        rename = "UnhealthyThresholdCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub unhealthy_threshold_count: Option<u32>,
    /// `Matcher`: the HTTP codes of a passed check; default {"HttpCode": "200"}.
    #[serde(rename = "Matcher", default, skip_serializing_if = "Option::is_none")]
    pub matcher: Option<HealthCheckMatcher>,
    /// Simulation knob: the HTTP code the application answers its health check path with, 100..=599; default 200. A code the matcher does not accept fails every check (`Target.ResponseCodeMismatch`), as a redirect to HTTPS does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_response_code: Option<u16>,
    /// `deregistration_delay.timeout_seconds`: seconds a deregistered target drains its requests before it leaves the group, 0..=3600; default 300.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deregistration_delay_seconds: Option<u32>,
    /// `idle_timeout.timeout_seconds`: seconds the load balancer waits for a target's answer before it answers 504, 1..=4000; default 60.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout_seconds: Option<u32>,
    /// `load_balancing.algorithm.type`: `round_robin` or `least_outstanding_requests`; default `round_robin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancing_algorithm: Option<LoadBalancingAlgorithm>,
    /// Simulation knob: bytes of one request and its response, 0..=100000000, for the processed-bytes dimension of LCUs; default 2048.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_per_request: Option<u32>,
}

/// An S3 bucket: it holds the extended client library's large payloads, and objects state machines read and write. A Distributed Map's `ItemReader` and `ResultWriter` name the bucket by the component's name, which then follows S3's bucket-name rules (3 to 63 lowercase letters, digits, dots and hyphens).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BucketParameters {
    /// Objects the bucket holds at the start, key → content as text (a CSV, JSON or JSON Lines file a Distributed Map reads); keys of 1 to 1024 bytes; at most 1,000 objects and 1 MiB of content in all; default none. What a `ResultWriter` writes is added while the scenario runs.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub objects: std::collections::BTreeMap<String, String>,
}

/// `Type` of a state machine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum StateMachineType {
    /// Exactly-once, up to 1 year, execution history kept (25,000 events), billed per state transition.
    #[default]
    #[serde(rename = "STANDARD")]
    Standard,
    /// At-least-once, up to 5 minutes, no history, billed per request and GB-second; request-response integrations only.
    #[serde(rename = "EXPRESS")]
    Express,
}

/// A Step Functions state machine's parameters, with AWS's names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateMachineParameters {
    /// `Definition`: the Amazon States Language JSON object (JSONPath). Task `Resource`s `arn:aws:states:::sqs:sendMessage` (`QueueUrl`: a queue's id, name or URL), `arn:aws:states:::sns:publish` (`TopicArn`: a topic's id, name or ARN), their `.waitForTaskToken` forms, and `arn:aws:states:::states:startExecution` (`.sync`, `.sync:2`; `StateMachineArn`: a state machine's id, name or ARN) act on the simulation; any other resource answers from `MockConfig` or echoes its input. Required.
    #[serde(
        rename = "Definition",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub definition: Option<serde_json::Value>,
    /// `Type`: `STANDARD` or `EXPRESS`; default `STANDARD`.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<StateMachineType>,
    /// A Step Functions Local mock configuration (`StateMachines` / `TestCases` / `MockedResponses` with `Return` or `Throw` per attempt) for the tasks of other resources; default none.
    #[serde(
        rename = "MockConfig",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mock_config: Option<serde_json::Value>,
    /// The test case of `MockConfig` to answer from; required with `MockConfig`.
    #[serde(rename = "TestCase", default, skip_serializing_if = "Option::is_none")]
    pub test_case: Option<String>,
    /// Size of the `StartExecution` token bucket, 1..=1000000; default 1300 (Standard) or 6000 (Express), us-east-1.
    #[serde(
        rename = "StartExecutionBurst",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub start_execution_burst: Option<u32>,
    /// Refill of the `StartExecution` token bucket per second, 1..=1000000; default 300 (Standard) or 6000 (Express).
    #[serde(
        rename = "StartExecutionRefillPerSecond",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub start_execution_refill_per_second: Option<u32>,
    /// Memory an Express execution is billed for, MB, 64..=10240, billed in 64 MB chunks; default 64.
    #[serde(rename = "MemoryMB", default, skip_serializing_if = "Option::is_none")]
    pub memory_mb: Option<u32>,
    /// Simulation knob (EXPRESS only): chance, 0..=1, that an asynchronous start runs the execution twice (at-least-once; AWS gives no rate); default 0.
    #[serde(
        rename = "DuplicateExecutionProbability",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub duplicate_execution_probability: Option<f64>,
}

/// `Architectures` of a function.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Architecture {
    /// Intel/AMD: $0.0000166667 per GB-second.
    #[default]
    #[serde(rename = "x86_64")]
    X86_64,
    /// Graviton: $0.0000133334 per GB-second.
    #[serde(rename = "arm64")]
    Arm64,
}

/// A Lambda function's parameters: AWS's names for its configuration, `snake_case` for the simulation's own knobs (how long the handler runs, how often it fails).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LambdaParameters {
    /// `MemorySize`: MB, 128..=10240; default 128. The cost is billed per GB-second of memory.
    #[serde(
        rename = "MemorySize",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub memory_size: Option<u32>,
    /// `Timeout`: seconds an invocation may run, 1..=900; default 3. A longer handler ends as `Task timed out` and counts in `Errors`.
    #[serde(rename = "Timeout", default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    /// `Architectures`: `x86_64` or `arm64` (which price per GB-second applies); default `x86_64`.
    #[serde(
        rename = "Architecture",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub architecture: Option<Architecture>,
    /// Seconds the handler runs per invocation (a whole batch), a distribution; default constant 0.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Distribution>,
    /// Chance, 0..=1, that handling one record fails (an SQS message, an SNS notification); without `ReportBatchItemFailures` one failed record fails the whole invocation; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_probability: Option<f64>,
    /// Seconds a cold start adds before the handler (the `Init` phase, at most 10), a distribution; default constant 0.25 (the simulation's choice; it depends on runtime and package size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_duration: Option<Distribution>,
    /// Seconds an idle execution environment stays warm, 0..=86400; default 600. AWS does not document it (observed: minutes to hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_warm_seconds: Option<u32>,
    /// `ReservedConcurrentExecutions`: concurrency set aside for this function and its ceiling; 0 throttles every invocation; at most the account's quota minus 100; default none (the function shares the unreserved pool).
    #[serde(
        rename = "ReservedConcurrentExecutions",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reserved_concurrent_executions: Option<u32>,
    /// `MaximumRetryAttempts` of asynchronous invocation (SNS): retries after a function error, 0..=2, about 1 and 2 minutes apart; default 2.
    #[serde(
        rename = "MaximumRetryAttempts",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub maximum_retry_attempts: Option<u32>,
    /// `MaximumEventAgeInSeconds` of asynchronous invocation: how long Lambda keeps trying an event (throttled events are retried 1 s to 5 min apart), 60..=21600; default 21600 (6 hours).
    #[serde(
        rename = "MaximumEventAgeInSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub maximum_event_age_in_seconds: Option<u32>,
    /// `DestinationConfig`: where Lambda sends an asynchronous event it gave up on; default none.
    #[serde(
        rename = "DestinationConfig",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub destination_config: Option<DestinationConfig>,
    /// `DeadLetterConfig`: the older alternative to an `OnFailure` destination, used when there is none; default none.
    #[serde(
        rename = "DeadLetterConfig",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub dead_letter_config: Option<DeadLetterConfig>,
}

/// `DestinationConfig` of asynchronous invocation. Only `OnFailure` is simulated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct DestinationConfig {
    /// `OnFailure`: the destination of events whose retries or age ran out.
    pub on_failure: OnFailure,
}

/// `DestinationConfig.OnFailure`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct OnFailure {
    /// `Destination`: a standard SQS queue or a standard SNS topic: its component id, or an ARN (`arn:aws:sqs:<region>:<account>:<queue name>`, `arn:aws:sns:<region>:<account>:<topic name>`) matched by name.
    pub destination: String,
}

/// `DeadLetterConfig` of a function.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct DeadLetterConfig {
    /// `TargetArn`: a standard SQS queue or a standard SNS topic: its component id, or its ARN matched by name.
    pub target_arn: String,
}

/// A token bucket: `rateLimit` requests per second refilled, `burstLimit` requests at once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThrottleSettings {
    /// Steady rate, requests per second, 1..=1000000, at most the account's.
    pub rate_limit: u32,
    /// Bucket size, requests, 1..=1000000, at most the account's.
    pub burst_limit: u32,
}

/// The kind of API.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ApiType {
    /// REST API (v1): API keys and usage plans, AWS WAF, authorizers, 29 s integration timeout; $3.50 per million requests.
    #[default]
    #[serde(rename = "REST")]
    Rest,
    /// HTTP API (v2): Regional only, no API keys, usage plans or WAF, up to 30 s integration timeout; $1.00 per million requests.
    #[serde(rename = "HTTP")]
    Http,
    /// WebSocket API (v2): clients hold connections (at most 2 hours, closed after 10 idle minutes, 500 new connections a second per account); each message goes to the route its `RouteSelectionExpression` picks. Regional only, no API keys, usage plans or WAF; authorizers run on `$connect`. $1.00 per million messages (metered in 32 KB increments) and $0.25 per million connection-minutes.
    #[serde(rename = "WEBSOCKET")]
    WebSocket,
}

/// A route of a WebSocket API (`AWS::ApiGatewayV2::Route` with its integration).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteSettings {
    /// `RouteKey`: `$connect` (called when a client connects; it may refuse the connection), `$disconnect` (called when a connection closes), `$default` (messages no other route matches) or a custom key matched exactly against the value the route selection expression selects.
    #[serde(rename = "RouteKey")]
    pub route_key: String,
    /// The id of the integration: a Lambda function, an SQS queue, an SNS topic, a state machine or an HTTP endpoint, connected from the API by an arrow.
    #[serde(rename = "Target")]
    pub target: String,
    /// The route's throttle in the stage (`RouteSettings`: `ThrottlingRateLimit`, `ThrottlingBurstLimit`); messages above it are refused with 429; default none.
    #[serde(rename = "Throttle", default, skip_serializing_if = "Option::is_none")]
    pub throttle: Option<ThrottleSettings>,
}

/// A value the clients put in the field the route selection expression reads, and the share of their messages that carry it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionShare {
    /// The value, e.g. `sendmessage` for `{"action": "sendmessage"}`.
    pub value: String,
    /// Share of the messages, 0..=1; the shares add up to at most 1 (the rest carry no value and go to `$default`).
    pub share: f64,
}

/// `EndpointConfiguration.Types` of a REST API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum EndpointType {
    /// Through CloudFront points of presence (REST's default).
    #[serde(rename = "EDGE")]
    Edge,
    /// In the Region.
    #[serde(rename = "REGIONAL")]
    Regional,
    /// Only from a VPC through an interface endpoint (shown, not simulated: every client reaches it).
    #[serde(rename = "PRIVATE")]
    Private,
}

/// `period` of a usage plan quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum QuotaPeriod {
    #[serde(rename = "DAY")]
    Day,
    #[serde(rename = "WEEK")]
    Week,
    /// Simplified: 30 days from the start of the run.
    #[serde(rename = "MONTH")]
    Month,
}

/// A usage plan quota per API key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaSettings {
    /// Requests per period and key, >= 1; above it the API answers 429 (`QUOTA_EXCEEDED`, "Limit Exceeded").
    pub limit: u64,
    /// `DAY`, `WEEK` or `MONTH`; periods start at time zero.
    pub period: QuotaPeriod,
}

/// A usage plan: the limits of every API key of the API.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UsagePlanSettings {
    /// Throttle per API key; default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle: Option<ThrottleSettings>,
    /// Quota per API key; default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<QuotaSettings>,
}

/// `Type` of an authorizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum AuthorizerType {
    /// IAM (SigV4): a denied caller gets 403 `ACCESS_DENIED`.
    #[serde(rename = "AWS_IAM")]
    AwsIam,
    /// A Cognito user pool (JWT for HTTP APIs): an invalid or expired token gets 401 `UNAUTHORIZED`.
    #[serde(rename = "COGNITO_USER_POOLS")]
    CognitoUserPools,
    /// A Lambda authorizer (`TOKEN` or `REQUEST`): its latency, a deny (403) share, and its result cache per caller.
    #[serde(rename = "LAMBDA")]
    Lambda,
}

/// How requests are authorized. Unauthorized calls never reach the integration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorizerSettings {
    /// `AWS_IAM`, `COGNITO_USER_POOLS` or `LAMBDA`.
    #[serde(rename = "Type")]
    pub r#type: AuthorizerType,
    /// Chance, 0..=1, that a caller is refused; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deny_probability: Option<f64>,
    /// `LAMBDA` only: seconds the authorizer function takes, a distribution (above 10 s the API answers 500 `AUTHORIZER_FAILURE`); default constant 0.05.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<Distribution>,
    /// `LAMBDA` only: `authorizerResultTtlInSeconds`, how long a caller's result is cached, 0..=3600 seconds (0 turns the cache off); default 300.
    #[serde(
        rename = "AuthorizerResultTtlInSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub authorizer_result_ttl_in_seconds: Option<u32>,
}

/// An AWS WAF rate-based rule on the API's stage (REST only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct WafRateBasedRule {
    /// `Limit`: requests per client address per evaluation window, 10..=2000000000; above it the address is blocked with 403 (`WAF_FILTERED`).
    pub limit: u32,
    /// `EvaluationWindowSec`: 60, 120, 300 or 600 seconds; default 300. Simplified: fixed windows from time zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_window_sec: Option<u32>,
}

/// An API Gateway API's settings, with AWS's names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiParameters {
    /// `REST`, `HTTP` or `WEBSOCKET`; default `REST`.
    #[serde(rename = "ApiType", default, skip_serializing_if = "Option::is_none")]
    pub api_type: Option<ApiType>,
    /// `WEBSOCKET` only: `RouteSelectionExpression`, `$request.body.<field>` (or `${request.body.<field>}`); default `$request.body.action`.
    #[serde(
        rename = "RouteSelectionExpression",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub route_selection_expression: Option<String>,
    /// `WEBSOCKET` only: the routes, 1..=300, each naming its integration (an arrow out of the API). A message that matches no route and finds no `$default` gets an error and the connection stays open.
    #[serde(rename = "Routes", default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<RouteSettings>,
    /// `EDGE`, `REGIONAL` or `PRIVATE` (REST); an HTTP API is `REGIONAL`; default `EDGE` for REST, `REGIONAL` for HTTP.
    #[serde(
        rename = "EndpointType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub endpoint_type: Option<EndpointType>,
    /// `timeoutInMillis` of the integration, 50..=29000 milliseconds (HTTP APIs up to 30000); default 29000 (REST) or 30000 (HTTP). A slower integration answers 504 `INTEGRATION_TIMEOUT`.
    #[serde(
        rename = "TimeoutInMillis",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub timeout_in_millis: Option<u32>,
    /// The stage's default method throttle (`throttlingRateLimit`, `throttlingBurstLimit`); default none: only the account's limit applies.
    #[serde(
        rename = "StageThrottle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub stage_throttle: Option<ThrottleSettings>,
    /// The method's own throttle in the stage; default none.
    #[serde(
        rename = "MethodThrottle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub method_throttle: Option<ThrottleSettings>,
    /// `apiKeyRequired`: callers without an API key get 403 (REST only); default false.
    #[serde(
        rename = "ApiKeyRequired",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub api_key_required: Option<bool>,
    /// The usage plan of the API's keys (REST only); default none.
    #[serde(rename = "UsagePlan", default, skip_serializing_if = "Option::is_none")]
    pub usage_plan: Option<UsagePlanSettings>,
    /// The method's authorizer; default none (open).
    #[serde(
        rename = "Authorizer",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub authorizer: Option<AuthorizerSettings>,
    /// An AWS WAF web ACL with one rate-based rule (REST only); default none.
    #[serde(
        rename = "WafRateBasedRule",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub waf_rate_based_rule: Option<WafRateBasedRule>,
    /// `PRIVATE` APIs only: the VPC whose interface endpoint (`execute-api`) reaches the API, a name also set on the client populations inside it (the canvas draws a dashed box around each VPC). Clients elsewhere are answered 403 Forbidden. Required for `PRIVATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
}

/// How a client waits before it retries a 429 or 5xx answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BackoffStrategy {
    /// Retries at once: a retry storm.
    None,
    /// Waits `backoff_base_seconds` every time.
    Fixed,
    /// Waits base x 2^(retry - 1), at most `backoff_cap_seconds`.
    Exponential,
    /// Waits a random time between 0 and the exponential wait (the AWS SDKs' choice).
    #[default]
    ExponentialFullJitter,
}

/// A client population's parameters: its size, its traffic (as a producer's), and how each client waits and retries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientParameters {
    /// Clients, each with its own address (the WAF counts per address, the authorizer caches per client), 1..=100000; default 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clients: Option<u32>,
    /// How many of the clients hold an API key (sent as `x-api-key`), 0..=clients; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clients_with_api_key: Option<u32>,
    /// `constant` (evenly spaced) or `poisson` (exponential gaps) new requests; default `poisson`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival: Option<Arrival>,
    /// New requests per second outside ramps and spikes (retries come on top), 0..=1000000; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_per_second: Option<f64>,
    /// Linear rate changes; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ramps: Vec<Ramp>,
    /// Windows with a different rate; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spikes: Vec<Spike>,
    /// Many requests at one moment; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bursts: Vec<Burst>,
    /// When the clients start, seconds from the start of the run, >= 0; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_seconds: Option<f64>,
    /// When they stop sending new requests, seconds from the start of the run; default never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_seconds: Option<f64>,
    /// Stop after this many new requests; default no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// Seconds a client waits for an answer before it gives up on the request, 0.001..=3600; default 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<f64>,
    /// Retries after a 429 or 5xx answer, 0..=20; default 2 (the AWS SDKs' standard mode: 3 attempts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
    /// `none`, `fixed`, `exponential` or `exponential_full_jitter`; default `exponential_full_jitter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff: Option<BackoffStrategy>,
    /// The first wait of the back-off, seconds, >= 0; default 0.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_base_seconds: Option<f64>,
    /// The longest wait of the back-off, seconds, >= backoff_base_seconds; default 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_cap_seconds: Option<f64>,
    /// The VPC the clients run in: they reach a `PRIVATE` API of the same VPC; default none (the internet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// On a `WEBSOCKET` API: how long a client keeps its connection, seconds, a distribution (API Gateway closes connections at 2 hours); after a close the client connects again after its back-off; default constant 1800.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_seconds: Option<Distribution>,
    /// On a `WEBSOCKET` API: how many clients never send (the idle timeout closes their connections after 10 minutes), 0..=clients; default 0. The rate is shared by the other clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silent_clients: Option<u32>,
    /// On a `WEBSOCKET` API: bytes per message, 1..=262144; default 1024. Messages are billed per started 32 KB; a message over 128 KB closes the connection (code 1009).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_bytes: Option<u32>,
    /// On a `WEBSOCKET` API: the values the messages carry in the field the route selection expression reads, with their shares; default none (every message goes to `$default`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionShare>,
}

/// A compute environment's resource `type`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComputeResourceType {
    /// On-Demand EC2 instances: launched when jobs need them (`instance_launch_seconds`), billed per instance.
    Ec2,
    /// EC2 Spot instances: cheaper, and interrupted (`interruptions_per_hour`).
    Spot,
    /// AWS Fargate: no instances; each job is a task of its own size (the Fargate vCPU/memory table applies).
    #[default]
    Fargate,
    /// Fargate Spot: Fargate tasks that can be interrupted.
    FargateSpot,
}

/// An AWS Batch managed compute environment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComputeEnvironmentParameters {
    /// `type`: `EC2`, `SPOT`, `FARGATE` or `FARGATE_SPOT`; default `FARGATE`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<ComputeResourceType>,
    /// `minvCpus`: vCPUs kept running without jobs (EC2/SPOT only; Fargate has none), 0..=maxvCpus; default 0.
    #[serde(rename = "minvCpus", default, skip_serializing_if = "Option::is_none")]
    pub min_vcpus: Option<u32>,
    /// `maxvCpus`: the most vCPUs the environment runs at once, 1..=100000; default 256 (the console's default).
    #[serde(rename = "maxvCpus", default, skip_serializing_if = "Option::is_none")]
    pub max_vcpus: Option<u32>,
    /// EC2/SPOT: vCPUs of one instance, 1..=192; default 4 (an m5.xlarge). Simplification: one instance type per environment (AWS picks among `instanceTypes` by its allocation strategy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_vcpus: Option<u32>,
    /// EC2/SPOT: memory of one instance, MiB; default 16384 (an m5.xlarge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_memory_mib: Option<u32>,
    /// EC2/SPOT: seconds from a scale-out to a registered instance (launch, boot, ECS agent); default 180 (AWS documents no figure; a few minutes is typical).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_launch_seconds: Option<f64>,
    /// Seconds a job spends in `STARTING` (image pull, container start): default 10 on EC2/SPOT (a warm host), 45 on FARGATE/FARGATE_SPOT (task provisioning; AWS documents no figure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_start_seconds: Option<f64>,
    /// EC2/SPOT: an instance idle this long is terminated, down to `minvCpus`; default 300. Simplification: AWS does not document the scale-in delay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_in_after_seconds: Option<f64>,
    /// SPOT/FARGATE_SPOT: interruptions per instance-hour (Spot) or task-hour (Fargate Spot), 0..=60; default 0. AWS's Spot Instance Advisor gives interruption frequencies per month, in bands; set a rate to watch retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interruptions_per_hour: Option<f64>,
    /// US dollars per vCPU-hour, 0..=100; default us-east-1 list prices: EC2 0.048 (m5.xlarge 0.192/h), SPOT 0.0144 (about 70% off), FARGATE 0.04048, FARGATE_SPOT 0.01334. EC2 bills instance vCPUs while instances run; Fargate bills job vCPUs while tasks run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_per_vcpu_hour: Option<f64>,
    /// FARGATE/FARGATE_SPOT: US dollars per GB-hour of job memory, 0..=100; default 0.004445 (FARGATE) or 0.00146 (FARGATE_SPOT), 0 on EC2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_per_gb_hour: Option<f64>,
}

/// `retryStrategy` of a job definition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetryStrategy {
    /// `attempts`: 1..=10; default 1 (no retry). Non-zero exits and Spot interruptions are retried; a timed-out attempt is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
}

/// `timeout` of a job definition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobTimeout {
    /// `attemptDurationSeconds`: >= 60, counted from each attempt's start of `RUNNING`; the attempt is stopped and the job fails without a retry; default none (no timeout).
    #[serde(
        rename = "attemptDurationSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub attempt_duration_seconds: Option<u32>,
}

/// The job definition a queue's jobs run (a container job).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobDefinition {
    /// `resourceRequirements` `VCPU`: whole vCPUs on EC2/SPOT (1..=192); on Fargate 0.25, 0.5, 1, 2, 4, 8 or 16; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpus: Option<f64>,
    /// `resourceRequirements` `MEMORY`, MiB: on Fargate one of the values the vCPU allows (1 vCPU: 2048..=8192 in 1024 steps; 16 vCPU: up to 122880); default 2048.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<u32>,
    /// Seconds one attempt's container runs before it exits, a distribution; default constant 60.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Distribution>,
    /// Chance, 0..=1, that an attempt exits with a non-zero code; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_probability: Option<f64>,
    /// `retryStrategy`; default 1 attempt.
    #[serde(
        rename = "retryStrategy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub retry_strategy: Option<RetryStrategy>,
    /// `timeout`; default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<JobTimeout>,
}

/// `arrayProperties` of the submitted jobs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrayProperties {
    /// `size`: 2..=10000 child jobs `<id>:<index>`. Required.
    pub size: u32,
    /// `SEQUENTIAL`: child i waits for child i-1 (a `dependsOn` of type SEQUENTIAL); default: children run independently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependency: Option<ArrayDependency>,
}

/// An array job's dependency type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ArrayDependency {
    #[serde(rename = "SEQUENTIAL")]
    Sequential,
}

/// How the jobs a queue receives depend on each other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobDependsOn {
    /// Independent jobs.
    #[default]
    None,
    /// Each job `dependsOn` the job submitted before it to this queue: a chain; a failed job fails the rest.
    PreviousJob,
}

/// An AWS Batch job queue and what its jobs run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobQueueParameters {
    /// `priority`: among queues sharing a compute environment, higher is scheduled first, 0..=1000; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    /// The job definition of the submitted jobs. Simplification: one job definition per queue.
    #[serde(
        rename = "jobDefinition",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub job_definition: Option<JobDefinition>,
    /// `arrayProperties` of every submitted job; default none (single jobs).
    #[serde(
        rename = "arrayProperties",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub array_properties: Option<ArrayProperties>,
    /// `none` or `previous_job`; default `none`.
    #[serde(rename = "dependsOn", default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<JobDependsOn>,
}

/// An Amazon MQ broker's `EngineType`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BrokerEngine {
    /// Apache ActiveMQ: queues, virtual topics, JMS persistent and non-persistent messages.
    #[default]
    Activemq,
    /// RabbitMQ: exchanges (direct, fanout, topic) with bindings to queues (classic or quorum).
    Rabbitmq,
}

/// An Amazon MQ broker's `DeploymentMode`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeploymentMode {
    /// One broker instance (or RabbitMQ node) in one availability zone: while it is down, sends are refused, and non-persistent messages are lost when it fails.
    #[default]
    SingleInstance,
    /// ActiveMQ only: an active and a standby instance in two availability zones sharing an EFS store; when the active one fails, clients reconnect to the standby after `failover_delay_seconds`.
    ActiveStandbyMultiAz,
    /// RabbitMQ only: three nodes in three availability zones behind a Network Load Balancer; losing one node loses nothing (its clients reconnect), losing two loses the quorum.
    ClusterMultiAz,
}

/// A RabbitMQ queue's type (`x-queue-type`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BrokerQueueType {
    /// Classic queue: redelivers without a limit.
    #[default]
    Classic,
    /// Quorum queue (replicated, RabbitMQ's recommended type): dead-letters a message past `max_redeliveries` (its `delivery-limit`).
    Quorum,
}

/// One queue of a broker.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BrokerQueue {
    /// The queue's name, 1..=255 characters, unique on the broker.
    pub name: String,
    /// RabbitMQ: `classic` or `quorum`; ActiveMQ queues are classic. Default `classic`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<BrokerQueueType>,
}

/// A RabbitMQ exchange type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeType {
    /// A binding matches when its key equals the routing key.
    #[default]
    Direct,
    /// Every bound queue gets a copy; keys are ignored.
    Fanout,
    /// Binding keys are patterns of `.`-separated words: `*` matches exactly one word, `#` zero or more.
    Topic,
}

/// A binding from an exchange to a queue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Binding {
    /// The bound queue, one of the broker's `queues`.
    pub queue: String,
    /// The binding key (a pattern for topic exchanges), at most 255 bytes; default "".
    #[serde(default)]
    pub routing_key: String,
}

/// A RabbitMQ exchange.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// The exchange's name, 1..=255 characters.
    pub name: String,
    /// `direct`, `fanout` or `topic`; default `direct`.
    #[serde(rename = "type", default)]
    pub r#type: ExchangeType,
    /// Its bindings to queues; default none.
    #[serde(default)]
    pub bindings: Vec<Binding>,
}

/// An ActiveMQ virtual topic: messages sent to `VirtualTopic.<name>` are copied into the queue `Consumer.<group>.VirtualTopic.<name>` of each consumer group (AWS recommends virtual destinations over durable subscriptions).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VirtualTopic {
    /// The topic's name without the `VirtualTopic.` prefix.
    pub name: String,
    /// The consumer groups; each queue `Consumer.<group>.VirtualTopic.<name>` must be declared in `queues`.
    #[serde(default)]
    pub consumer_groups: Vec<String>,
}

/// A window when one broker instance (or RabbitMQ node) fails.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BrokerFailure {
    /// When the instance fails, seconds from the start of the run, >= 0.
    pub start_seconds: f64,
    /// How long it stays down, seconds, > 0.
    pub duration_seconds: f64,
}

/// An Amazon MQ broker.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BrokerParameters {
    /// `EngineType`: `ACTIVEMQ` or `RABBITMQ`; default `ACTIVEMQ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<BrokerEngine>,
    /// `DeploymentMode`: ActiveMQ `SINGLE_INSTANCE` or `ACTIVE_STANDBY_MULTI_AZ`; RabbitMQ `SINGLE_INSTANCE` or `CLUSTER_MULTI_AZ`. Default `SINGLE_INSTANCE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_mode: Option<DeploymentMode>,
    /// `HostInstanceType`, for the price and the CloudFormation export; default `mq.m5.large`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_instance_type: Option<String>,
    /// US dollars per instance-hour (each instance of a pair, each node of a cluster is billed), >= 0; default 0.288 (mq.m5.large in us-east-1). Storage is not billed here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_per_instance_hour: Option<f64>,
    /// The VPC the broker's endpoints are in (a name, also set on producers and consumer pools; the canvas draws a dashed box around the components of each VPC). Only clients with the same `vpc` connect. Default "default".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// The broker's queues; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<BrokerQueue>,
    /// ActiveMQ virtual topics; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_topics: Vec<VirtualTopic>,
    /// RabbitMQ exchanges; default none (the default exchange, "", always exists).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchanges: Vec<Exchange>,
    /// Seconds clients take to reach the standby (ActiveMQ) or another node (RabbitMQ) after the instance they used failed, 0..=3600; default 30. AWS documents only "a short while" for a failure (a few seconds for a reboot); the delay covers detection and the failover transport's reconnect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover_delay_seconds: Option<f64>,
    /// ActiveMQ: the client redelivery policy's `maximumRedeliveries` (default 6), after which a message goes to `ActiveMQ.DLQ`. RabbitMQ: quorum queues' `delivery-limit` (default 20), after which the message is dead-lettered; classic queues redeliver without a limit. 1..=1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_redeliveries: Option<u32>,
    /// Windows when one instance fails (also possible with a `stop` fault on the broker in `faults`); default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<BrokerFailure>,
}

/// An Amazon AppFlow flow, with `CreateFlow`'s names where AWS has them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowParameters {
    /// `sourceFlowConfig`: the application the flow reads; default Salesforce.
    #[serde(
        rename = "sourceFlowConfig",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub source_flow_config: Option<FlowConnector>,
    /// `destinationFlowConfigList`: exactly one destination (AppFlow accepts a list and writes to one); default Amazon S3 as CSV.
    #[serde(
        rename = "destinationFlowConfigList",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub destination_flow_config_list: Vec<FlowConnector>,
    /// `triggerConfig`: what starts runs; default `OnDemand`.
    #[serde(
        rename = "triggerConfig",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub trigger_config: Option<TriggerConfig>,
    /// `tasks`: applied in order to every record, as `CreateFlow` writes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<FlowTask>,
    /// The destination's `errorHandlingConfig`; default: records the destination refuses go to no location and the run goes on.
    #[serde(
        rename = "errorHandlingConfig",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub error_handling_config: Option<ErrorHandlingConfig>,
    /// The fields of the generated records (1..=50); default `Amount` (a number with a few nulls, negatives and non-numbers) and `StageName` (a string).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FlowField>,
    /// Records in a full snapshot (`OnDemand`, `Complete`, the first `Incremental` run), 0..=10000000; default 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_per_run: Option<u64>,
    /// Records the source changes per minute (`Incremental` and `Event` runs read those changed since the last successful run), 0..=100000; default 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_changed_per_minute: Option<f64>,
    /// Bytes per record, 1..=100000000; default 1024. A run above 100 GB (Amplitude 25 MB, Marketo 500 MB) fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_size_bytes: Option<u32>,
    /// Records per API call to the source (each call counts against the application's own API limits), 1..=100000; default the connector's (Salesforce 2000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Milliseconds per API call, 0..=60000; default 250.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_call_latency_ms: Option<u64>,
    /// Seconds a run takes besides its API calls (start-up, writing files), 0..=3600; default 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_overhead_seconds: Option<u64>,
    /// Seconds from the start at which `StartFlow` is called: runs an `OnDemand` flow, reactivates a `Suspended` one; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub start_flow_at_seconds: Vec<u64>,
}

/// A source or destination: `connectorType` and, for S3, the output format.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowConnector {
    /// `connectorType`: `Salesforce`, `Pardot`, `Marketo`, `Zendesk`, `Servicenow`, `Slack`, `Googleanalytics`, `Amplitude`, `Datadog`, `Dynatrace`, `Infornexus`, `Singular`, `Trendmicro`, `Veeva`, `SAPOData`, `Snowflake`, `Upsolver`, `S3`, `Redshift`, `EventBridge`, `LookoutMetrics`, `CustomerProfiles`, `Honeycode`. Slack, Googleanalytics, Amplitude, Datadog (and other analytics apps) are sources only; Redshift, Snowflake, EventBridge are destinations only.
    #[serde(rename = "connectorType")]
    pub connector_type: String,
    /// The source object (`Opportunity`, `Account`, ...): a label; default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// S3 destinations: `fileType` `CSV`, `JSON` or `PARQUET`; default CSV.
    #[serde(rename = "fileType", default, skip_serializing_if = "Option::is_none")]
    pub file_type: Option<FlowFileType>,
    /// S3: `bucketName`, a label; default none.
    #[serde(
        rename = "bucketName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bucket_name: Option<String>,
}

/// `s3OutputFormatConfig.fileType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum FlowFileType {
    #[serde(rename = "CSV")]
    Csv,
    #[serde(rename = "JSON")]
    Json,
    #[serde(rename = "PARQUET")]
    Parquet,
}

/// `triggerConfig.triggerType`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TriggerType {
    /// Runs when started (`StartFlow`, the inspector's "Run flow" button).
    #[default]
    OnDemand,
    /// Runs on the source's change events (Salesforce only).
    Event,
    /// Runs on `scheduleExpression`.
    Scheduled,
}

/// `dataPullMode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum DataPullMode {
    /// Records changed since the last successful run (the first run reads them all).
    Incremental,
    /// Every record, every run.
    Complete,
}

/// `triggerConfig`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerConfig {
    /// `triggerType`: `OnDemand`, `Event` or `Scheduled`; default `OnDemand`.
    #[serde(rename = "triggerType", default)]
    pub trigger_type: TriggerType,
    /// `triggerProperties.Scheduled` (flattened): the schedule of a `Scheduled` flow.
    #[serde(
        rename = "triggerProperties",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub trigger_properties: Option<ScheduledTriggerProperties>,
    /// `Event` flows: seconds over which change events are batched into one run, 1..=3600; default 60.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_batch_seconds: Option<u64>,
}

/// `ScheduledTriggerProperties`, with times in seconds from the start of the simulation instead of timestamps.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledTriggerProperties {
    /// `scheduleExpression`: `rate(N minutes)`, `rate(N hours)` or `rate(N days)`, at least 1 minute; required for `Scheduled`.
    #[serde(rename = "scheduleExpression", default)]
    pub schedule_expression: String,
    /// `dataPullMode`; default `Incremental`.
    #[serde(
        rename = "dataPullMode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub data_pull_mode: Option<DataPullMode>,
    /// `scheduleStartTime`, seconds from the start of the simulation (AWS: a timestamp); default 0.
    #[serde(
        rename = "scheduleStartTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub schedule_start_time: Option<u64>,
    /// `scheduleEndTime`, seconds from the start; no run starts at or after it; default none.
    #[serde(
        rename = "scheduleEndTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub schedule_end_time: Option<u64>,
    /// `scheduleOffset`: seconds added to every run time, 0..=36000; default 0.
    #[serde(
        rename = "scheduleOffset",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub schedule_offset: Option<u64>,
    /// `flowErrorDeactivationThreshold`: consecutive failed runs before the flow is deactivated (`Suspended`), 1..=100; default none (never).
    #[serde(
        rename = "flowErrorDeactivationThreshold",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub flow_error_deactivation_threshold: Option<u32>,
}

/// One task of `CreateFlow`'s `tasks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowTask {
    /// `taskType`: `Arithmetic`, `Filter`, `Map`, `Map_all`, `Mask`, `Merge`, `Passthrough`, `Truncate` or `Validate`.
    #[serde(rename = "taskType")]
    pub task_type: String,
    /// `sourceFields`: names of fields of the records.
    #[serde(rename = "sourceFields", default)]
    pub source_fields: Vec<String>,
    /// `connectorOperator`: one entry, the connector's name to the operator (`{"Salesforce": "GREATER_THAN"}`): `PROJECTION`, `LESS_THAN`, `GREATER_THAN`, `LESS_THAN_OR_EQUAL_TO`, `GREATER_THAN_OR_EQUAL_TO`, `BETWEEN`, `EQUAL_TO`, `NOT_EQUAL_TO`, `CONTAINS`, `VALIDATE_NON_NULL`, `VALIDATE_NON_ZERO`, `VALIDATE_NON_NEGATIVE`, `VALIDATE_NUMERIC`, `MASK_ALL`, ..., `NO_OP`.
    #[serde(rename = "connectorOperator", default)]
    pub connector_operator: std::collections::BTreeMap<String, String>,
    /// `destinationField`: a label.
    #[serde(
        rename = "destinationField",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub destination_field: Option<String>,
    /// `taskProperties`: `VALUE`, `LOWER_BOUND`, `UPPER_BOUND`, `DATA_TYPE`, `VALIDATION_ACTION` (`DropRecord` or `TerminateFlow`), `TRUNCATE_LENGTH`, ...
    #[serde(
        rename = "taskProperties",
        default,
        skip_serializing_if = "std::collections::BTreeMap::is_empty"
    )]
    pub task_properties: std::collections::BTreeMap<String, String>,
}

/// `errorHandlingConfig` of the destination.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorHandlingConfig {
    /// `failOnFirstDestinationError`: the first record the destination refuses ends the run in `Error`; default false.
    #[serde(rename = "failOnFirstDestinationError", default)]
    pub fail_on_first_destination_error: bool,
    /// `bucketName` where refused records go; a label.
    #[serde(
        rename = "bucketName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bucket_name: Option<String>,
    /// `bucketPrefix`; a label.
    #[serde(
        rename = "bucketPrefix",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bucket_prefix: Option<String>,
}

/// A field of the generated records.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowField {
    /// The field's name, as tasks' `sourceFields` name it.
    pub name: String,
    /// `number` or `string`; default `number`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub field_type: Option<FlowFieldType>,
    /// Numbers: uniform from `min` to `max` (two decimals); default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Numbers: default 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Strings: one of these, uniformly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// Share of records where the value is null, 0..=1; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_share: Option<f64>,
    /// Numbers: share of zeros, 0..=1; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero_share: Option<f64>,
    /// Numbers: share of negative values, 0..=1; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_share: Option<f64>,
    /// Numbers: share of text that is not a number ("n/a"), 0..=1; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_numeric_share: Option<f64>,
}

/// A generated field's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FlowFieldType {
    Number,
    String,
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

/// What an expectation measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectationMeasure {
    /// Messages a queue holds: visible, in flight and delayed (`ApproximateNumberOfMessagesVisible` + `NotVisible` + `Delayed`); needs `component`, a queue.
    QueueDepth,
    /// Messages received more than once (each counted once): redeliveries after a failed or too slow consumer, and standard queues' duplicate deliveries; of `component` (a queue) or of every queue.
    Redelivered,
    /// Messages accepted by `component` (a queue), or send attempts of the whole scenario.
    Sent,
    /// Messages deleted from `component` (a queue) or from every queue.
    Deleted,
    /// Messages moved to a dead-letter queue by the RedrivePolicy of `component` (a queue) or of every queue.
    MovedToDlq,
    /// The 50th percentile of send-to-delete latency, seconds, of `component` (a consumer pool) or of the slowest pool.
    LatencyP50Seconds,
    /// The 99th percentile of send-to-delete latency, seconds, of `component` (a consumer pool) or of the slowest pool.
    LatencyP99Seconds,
    /// The scenario's cost so far, US dollars (as the cost meter shows it).
    CostUsd,
}

/// An expectation about the run: a measure, exactly one bound, and when to judge it.
/// Simplification: the figures come from the simulation's own counters (latency from its histograms, 1% precision), not from CloudWatch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// Shown with the verdict; default empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `queue_depth`, `redelivered`, `sent`, `deleted`, `moved_to_dlq`, `latency_p50_seconds`, `latency_p99_seconds` or `cost_usd`.
    pub measure: ExpectationMeasure,
    /// The component measured (a queue, or a consumer pool for latency); default: the whole scenario (queue_depth needs one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The figure must equal this (a finite number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<f64>,
    /// The figure must be at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    /// The figure must be at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// The figure must be below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// The figure must be above this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    /// When it is judged, seconds from the start, 0..=duration_seconds; default: the end of the run. An upper bound (`at_most`, `below`) on a figure that only grows (redelivered, sent, deleted, moved_to_dlq, cost_usd) fails as soon as the figure passes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_seconds: Option<f64>,
}
