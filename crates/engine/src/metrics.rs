//! Metrics named as CloudWatch names them, sampled once per metric period, with a bounded
//! history per component.

use crate::model::ComponentKind;
use crate::time::{SimDuration, SimTime};

/// A metric of one component. SQS metrics carry CloudWatch's names (`AWS/SQS`); metrics that
/// CloudWatch does not have for these components are named in the same style and documented
/// as the simulation's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    // AWS/SQS
    ApproximateNumberOfMessagesVisible,
    ApproximateNumberOfMessagesNotVisible,
    ApproximateNumberOfMessagesDelayed,
    ApproximateAgeOfOldestMessage,
    ApproximateNumberOfGroupsWithInflightMessages,
    NumberOfMessagesSent,
    NumberOfMessagesReceived,
    NumberOfMessagesDeleted,
    NumberOfEmptyReceives,
    NumberOfDeduplicatedSentMessages,
    SentMessageSize,
    /// The simulation's own: requests refused with `RequestThrottled`.
    NumberOfThrottledRequests,
    /// The simulation's own: messages moved to the dead-letter queue.
    NumberOfMessagesMovedToDLQ,
    /// The simulation's own: messages deleted because `MessageRetentionPeriod` ended.
    NumberOfMessagesExpired,
    /// The billing metric: cumulative estimated charges in US dollars.
    EstimatedCharges,
    // Producer (simulation's own)
    MessagesSent,
    SendErrors,
    // Consumer pool (simulation's own)
    BusyWorkers,
    MessagesProcessed,
    ProcessingFailures,
    /// End-to-end latency (send to delete) of messages deleted in the period, seconds.
    LatencyP50,
    LatencyP99,
    // AWS/SNS
    NumberOfMessagesPublished,
    NumberOfNotificationsDelivered,
    NumberOfNotificationsFailed,
    NumberOfNotificationsFilteredOut,
    NumberOfNotificationsFilteredOutInvalidAttributes,
    NumberOfNotificationsFilteredOutNoMessageAttributes,
    NumberOfNotificationsRedrivenToDlq,
    PublishSize,
    // Endpoint nodes (simulation's own)
    NotificationsReceived,
    DeliveryErrors,
    // AWS/S3 storage metrics
    NumberOfObjects,
    BucketSizeBytes,
    // AWS/States
    ExecutionsStarted,
    ExecutionsSucceeded,
    ExecutionsFailed,
    ExecutionsTimedOut,
    /// `StartExecution` calls refused with `ThrottlingException` (CloudWatch's
    /// `ExecutionThrottled` counts state-transition throttling, not modelled here).
    ExecutionThrottled,
    /// Mean duration of the executions that ended in the period, milliseconds.
    ExecutionTime,
    /// Executions redriven in the period (`RedriveExecution`).
    ExecutionsRedriven,
    // AWS/Lambda
    Invocations,
    Errors,
    Throttles,
    ConcurrentExecutions,
    /// Mean handler duration of the invocations that ended in the period, milliseconds.
    Duration,
    AsyncEventsReceived,
    AsyncEventsDropped,
    // AWS/ApiGateway
    Count,
    Error4xx,
    Error5xx,
    /// Mean time from the request to the answer, milliseconds.
    Latency,
    /// Mean time the integration took, milliseconds.
    IntegrationLatency,
    /// The simulation's own: Lambda authorizer results served from the cache.
    AuthorizerCacheHits,
    AuthorizerCacheMisses,
    // AWS/ApiGateway, WebSocket APIs (developer guide, "Monitor WebSocket API execution with
    // CloudWatch metrics" ✅)
    /// Messages sent to the `$connect` route integration.
    ConnectCount,
    /// Messages received from clients (CloudWatch's `MessageCount`; a separate variant from
    /// RabbitMQ's gauge of the same name because it is a sum).
    WebSocketMessageCount,
    /// Requests the integration answered with 4XX/5XX.
    IntegrationError,
    /// Requests answered 4XX by API Gateway before the integration was invoked.
    ClientError,
    /// Errors calling the integration (it did not answer, or could not be called).
    ExecutionError,
    /// The simulation's own: connections open at the period's end.
    OpenConnections,
    // Client population (simulation's own)
    RequestsStarted,
    RequestsSucceeded,
    RequestsFailed,
    RequestsTimedOut,
    Retries,
    /// The simulation's own, for components named by a fault: 1 when a fault window
    /// overlapped the period, else 0.
    FaultActive,
    // AWS Batch (the simulation's own: Batch publishes job state changes as events, not
    // these metrics)
    /// Jobs in `RUNNABLE` at the period's end.
    RunnableJobs,
    /// Jobs in `STARTING` or `RUNNING` at the period's end.
    RunningJobs,
    JobsSucceeded,
    JobsFailed,
    /// vCPUs of jobs placed on the compute environment at the period's end.
    CPUReservation,
    /// vCPUs the environment runs (instances, or Fargate tasks) at the period's end.
    DesiredvCpus,
    // AWS/AmazonMQ, ActiveMQ (CloudWatch gives these per destination; here they are the
    // broker's sum over its queues)
    EnqueueCount,
    DequeueCount,
    /// Messages in the queues, unacknowledged ones included, at the period's end.
    QueueSize,
    /// Dispatched and unacknowledged at the period's end.
    InFlightCount,
    DispatchCount,
    /// Always 0: message expiry is not modelled.
    ExpiredCount,
    // AWS/AmazonMQ, RabbitMQ (broker-level)
    MessageCount,
    MessageReadyCount,
    MessageUnacknowledgedCount,
    /// Messages published per second over the period.
    PublishRate,
    /// Acknowledgements per second over the period.
    AckRate,
    ConnectionCount,
    /// The simulation's own: non-persistent messages lost when a broker instance failed.
    MessagesLost,
    // AWS/AppFlow (names as the AppFlow user guide's CloudWatch page lists them, read
    // through third-party copies ⚠️)
    FlowExecutionsStarted,
    FlowExecutionsFailed,
    FlowExecutionsSucceeded,
    FlowExecutionRecordsProcessed,
    /// Average time of the runs that ended in the period, milliseconds.
    FlowExecutionTime,
    // AWS/ApplicationELB
    /// Requests for which the load balancer chose a target (a 503 for an empty target group
    /// is not counted, as in CloudWatch).
    RequestCount,
    HttpCodeTarget2xx,
    HttpCodeTarget5xx,
    HttpCodeElb502,
    HttpCodeElb503,
    HttpCodeElb504,
    HttpCodeElb5xx,
    /// Mean time from the request leaving the load balancer to the target's answer, seconds.
    TargetResponseTime,
    /// Targets healthy at the period's end.
    HealthyHostCount,
    /// Targets unhealthy at the period's end (draining ones are neither).
    UnHealthyHostCount,
    /// `RequestCount` divided by the healthy targets.
    RequestCountPerTarget,
    /// Load balancer capacity units used over the period.
    ConsumedLCUs,
}

/// How a metric combines over time (CloudWatch statistic used when downsampling).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Statistic {
    Sum,
    Maximum,
    Average,
}

pub const QUEUE_METRICS: &[Metric] = &[
    Metric::ApproximateNumberOfMessagesVisible,
    Metric::ApproximateNumberOfMessagesNotVisible,
    Metric::ApproximateNumberOfMessagesDelayed,
    Metric::ApproximateAgeOfOldestMessage,
    Metric::NumberOfMessagesSent,
    Metric::NumberOfMessagesReceived,
    Metric::NumberOfMessagesDeleted,
    Metric::NumberOfEmptyReceives,
    Metric::NumberOfDeduplicatedSentMessages,
    Metric::SentMessageSize,
    Metric::NumberOfThrottledRequests,
    Metric::NumberOfMessagesMovedToDLQ,
    Metric::NumberOfMessagesExpired,
    Metric::EstimatedCharges,
];

pub const FIFO_QUEUE_METRICS: &[Metric] = &[Metric::ApproximateNumberOfGroupsWithInflightMessages];

pub const TOPIC_METRICS: &[Metric] = &[
    Metric::NumberOfMessagesPublished,
    Metric::NumberOfNotificationsDelivered,
    Metric::NumberOfNotificationsFailed,
    Metric::NumberOfNotificationsFilteredOut,
    Metric::NumberOfNotificationsFilteredOutInvalidAttributes,
    Metric::NumberOfNotificationsFilteredOutNoMessageAttributes,
    Metric::NumberOfNotificationsRedrivenToDlq,
    Metric::PublishSize,
    Metric::EstimatedCharges,
];

pub const ENDPOINT_METRICS: &[Metric] = &[Metric::NotificationsReceived, Metric::DeliveryErrors];

pub const BUCKET_METRICS: &[Metric] = &[Metric::NumberOfObjects, Metric::BucketSizeBytes];

pub const STATE_MACHINE_METRICS: &[Metric] = &[
    Metric::ExecutionsStarted,
    Metric::ExecutionsSucceeded,
    Metric::ExecutionsFailed,
    Metric::ExecutionsTimedOut,
    Metric::ExecutionThrottled,
    Metric::ExecutionTime,
    Metric::ExecutionsRedriven,
    Metric::EstimatedCharges,
];

pub const LAMBDA_METRICS: &[Metric] = &[
    Metric::Invocations,
    Metric::Errors,
    Metric::Throttles,
    Metric::ConcurrentExecutions,
    Metric::Duration,
    Metric::AsyncEventsReceived,
    Metric::AsyncEventsDropped,
    Metric::EstimatedCharges,
];

pub const API_METRICS: &[Metric] = &[
    Metric::Count,
    Metric::Error4xx,
    Metric::Error5xx,
    Metric::Latency,
    Metric::IntegrationLatency,
    Metric::AuthorizerCacheHits,
    Metric::AuthorizerCacheMisses,
    Metric::EstimatedCharges,
];

pub const WEBSOCKET_API_METRICS: &[Metric] = &[
    Metric::ConnectCount,
    Metric::WebSocketMessageCount,
    Metric::IntegrationError,
    Metric::ClientError,
    Metric::ExecutionError,
    Metric::IntegrationLatency,
    Metric::OpenConnections,
    Metric::EstimatedCharges,
];

pub const CLIENT_METRICS: &[Metric] = &[
    Metric::RequestsStarted,
    Metric::RequestsSucceeded,
    Metric::RequestsFailed,
    Metric::RequestsTimedOut,
    Metric::Retries,
];

pub const BATCH_JOB_QUEUE_METRICS: &[Metric] = &[
    Metric::RunnableJobs,
    Metric::RunningJobs,
    Metric::JobsSucceeded,
    Metric::JobsFailed,
];

pub const BATCH_COMPUTE_ENVIRONMENT_METRICS: &[Metric] = &[
    Metric::CPUReservation,
    Metric::DesiredvCpus,
    Metric::EstimatedCharges,
];

pub const ACTIVEMQ_METRICS: &[Metric] = &[
    Metric::EnqueueCount,
    Metric::DequeueCount,
    Metric::QueueSize,
    Metric::InFlightCount,
    Metric::DispatchCount,
    Metric::ExpiredCount,
    Metric::MessagesLost,
    Metric::EstimatedCharges,
];

pub const RABBITMQ_METRICS: &[Metric] = &[
    Metric::MessageCount,
    Metric::MessageReadyCount,
    Metric::MessageUnacknowledgedCount,
    Metric::PublishRate,
    Metric::AckRate,
    Metric::ConnectionCount,
    Metric::MessagesLost,
    Metric::EstimatedCharges,
];

pub const APPFLOW_METRICS: &[Metric] = &[
    Metric::FlowExecutionsStarted,
    Metric::FlowExecutionsFailed,
    Metric::FlowExecutionsSucceeded,
    Metric::FlowExecutionRecordsProcessed,
    Metric::FlowExecutionTime,
    Metric::EstimatedCharges,
];

pub const ALB_METRICS: &[Metric] = &[
    Metric::RequestCount,
    Metric::HttpCodeTarget2xx,
    Metric::HttpCodeTarget5xx,
    Metric::HttpCodeElb502,
    Metric::HttpCodeElb503,
    Metric::HttpCodeElb504,
    Metric::HttpCodeElb5xx,
    Metric::TargetResponseTime,
    Metric::HealthyHostCount,
    Metric::UnHealthyHostCount,
    Metric::RequestCountPerTarget,
    Metric::ConsumedLCUs,
    Metric::EstimatedCharges,
];

pub const PRODUCER_METRICS: &[Metric] = &[Metric::MessagesSent, Metric::SendErrors];

pub const CONSUMER_METRICS: &[Metric] = &[
    Metric::BusyWorkers,
    Metric::MessagesProcessed,
    Metric::ProcessingFailures,
    Metric::LatencyP50,
    Metric::LatencyP99,
];

impl Metric {
    pub const ALL: &'static [Metric] = &[
        Metric::ApproximateNumberOfMessagesVisible,
        Metric::ApproximateNumberOfMessagesNotVisible,
        Metric::ApproximateNumberOfMessagesDelayed,
        Metric::ApproximateAgeOfOldestMessage,
        Metric::ApproximateNumberOfGroupsWithInflightMessages,
        Metric::NumberOfMessagesSent,
        Metric::NumberOfMessagesReceived,
        Metric::NumberOfMessagesDeleted,
        Metric::NumberOfEmptyReceives,
        Metric::NumberOfDeduplicatedSentMessages,
        Metric::SentMessageSize,
        Metric::NumberOfThrottledRequests,
        Metric::NumberOfMessagesMovedToDLQ,
        Metric::NumberOfMessagesExpired,
        Metric::EstimatedCharges,
        Metric::MessagesSent,
        Metric::SendErrors,
        Metric::BusyWorkers,
        Metric::MessagesProcessed,
        Metric::ProcessingFailures,
        Metric::LatencyP50,
        Metric::LatencyP99,
        Metric::NumberOfMessagesPublished,
        Metric::NumberOfNotificationsDelivered,
        Metric::NumberOfNotificationsFailed,
        Metric::NumberOfNotificationsFilteredOut,
        Metric::NumberOfNotificationsFilteredOutInvalidAttributes,
        Metric::NumberOfNotificationsFilteredOutNoMessageAttributes,
        Metric::NumberOfNotificationsRedrivenToDlq,
        Metric::PublishSize,
        Metric::NotificationsReceived,
        Metric::DeliveryErrors,
        Metric::NumberOfObjects,
        Metric::BucketSizeBytes,
        Metric::ExecutionsStarted,
        Metric::ExecutionsSucceeded,
        Metric::ExecutionsFailed,
        Metric::ExecutionsTimedOut,
        Metric::ExecutionThrottled,
        Metric::ExecutionTime,
        Metric::ExecutionsRedriven,
        Metric::Invocations,
        Metric::Errors,
        Metric::Throttles,
        Metric::ConcurrentExecutions,
        Metric::Duration,
        Metric::AsyncEventsReceived,
        Metric::AsyncEventsDropped,
        Metric::Count,
        Metric::Error4xx,
        Metric::Error5xx,
        Metric::Latency,
        Metric::IntegrationLatency,
        Metric::AuthorizerCacheHits,
        Metric::AuthorizerCacheMisses,
        Metric::ConnectCount,
        Metric::IntegrationError,
        Metric::ClientError,
        Metric::ExecutionError,
        Metric::OpenConnections,
        Metric::RequestsStarted,
        Metric::RequestsSucceeded,
        Metric::RequestsFailed,
        Metric::RequestsTimedOut,
        Metric::Retries,
        Metric::FaultActive,
        Metric::RunnableJobs,
        Metric::RunningJobs,
        Metric::JobsSucceeded,
        Metric::JobsFailed,
        Metric::CPUReservation,
        Metric::DesiredvCpus,
        Metric::EnqueueCount,
        Metric::DequeueCount,
        Metric::QueueSize,
        Metric::InFlightCount,
        Metric::DispatchCount,
        Metric::ExpiredCount,
        Metric::MessageCount,
        Metric::MessageReadyCount,
        Metric::MessageUnacknowledgedCount,
        Metric::PublishRate,
        Metric::AckRate,
        Metric::ConnectionCount,
        Metric::MessagesLost,
        Metric::FlowExecutionsStarted,
        Metric::FlowExecutionsFailed,
        Metric::FlowExecutionsSucceeded,
        Metric::FlowExecutionRecordsProcessed,
        Metric::FlowExecutionTime,
        Metric::RequestCount,
        Metric::HttpCodeTarget2xx,
        Metric::HttpCodeTarget5xx,
        Metric::HttpCodeElb502,
        Metric::HttpCodeElb503,
        Metric::HttpCodeElb504,
        Metric::HttpCodeElb5xx,
        Metric::TargetResponseTime,
        Metric::HealthyHostCount,
        Metric::UnHealthyHostCount,
        Metric::RequestCountPerTarget,
        Metric::ConsumedLCUs,
        // After RabbitMQ's `MessageCount`, so that the name alone finds the gauge.
        Metric::WebSocketMessageCount,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::ApproximateNumberOfMessagesVisible => "ApproximateNumberOfMessagesVisible",
            Metric::ApproximateNumberOfMessagesNotVisible => {
                "ApproximateNumberOfMessagesNotVisible"
            }
            Metric::ApproximateNumberOfMessagesDelayed => "ApproximateNumberOfMessagesDelayed",
            Metric::ApproximateAgeOfOldestMessage => "ApproximateAgeOfOldestMessage",
            Metric::ApproximateNumberOfGroupsWithInflightMessages => {
                "ApproximateNumberOfGroupsWithInflightMessages"
            }
            Metric::NumberOfMessagesSent => "NumberOfMessagesSent",
            Metric::NumberOfMessagesReceived => "NumberOfMessagesReceived",
            Metric::NumberOfMessagesDeleted => "NumberOfMessagesDeleted",
            Metric::NumberOfEmptyReceives => "NumberOfEmptyReceives",
            Metric::NumberOfDeduplicatedSentMessages => "NumberOfDeduplicatedSentMessages",
            Metric::SentMessageSize => "SentMessageSize",
            Metric::NumberOfThrottledRequests => "NumberOfThrottledRequests",
            Metric::NumberOfMessagesMovedToDLQ => "NumberOfMessagesMovedToDLQ",
            Metric::NumberOfMessagesExpired => "NumberOfMessagesExpired",
            Metric::EstimatedCharges => "EstimatedCharges",
            Metric::MessagesSent => "MessagesSent",
            Metric::SendErrors => "SendErrors",
            Metric::BusyWorkers => "BusyWorkers",
            Metric::MessagesProcessed => "MessagesProcessed",
            Metric::ProcessingFailures => "ProcessingFailures",
            Metric::LatencyP50 => "LatencyP50",
            Metric::LatencyP99 => "LatencyP99",
            Metric::NumberOfMessagesPublished => "NumberOfMessagesPublished",
            Metric::NumberOfNotificationsDelivered => "NumberOfNotificationsDelivered",
            Metric::NumberOfNotificationsFailed => "NumberOfNotificationsFailed",
            Metric::NumberOfNotificationsFilteredOut => "NumberOfNotificationsFilteredOut",
            Metric::NumberOfNotificationsFilteredOutInvalidAttributes => {
                "NumberOfNotificationsFilteredOut-InvalidAttributes"
            }
            Metric::NumberOfNotificationsFilteredOutNoMessageAttributes => {
                "NumberOfNotificationsFilteredOut-NoMessageAttributes"
            }
            Metric::NumberOfNotificationsRedrivenToDlq => "NumberOfNotificationsRedrivenToDlq",
            Metric::PublishSize => "PublishSize",
            Metric::NotificationsReceived => "NotificationsReceived",
            Metric::DeliveryErrors => "DeliveryErrors",
            Metric::NumberOfObjects => "NumberOfObjects",
            Metric::BucketSizeBytes => "BucketSizeBytes",
            Metric::ExecutionsStarted => "ExecutionsStarted",
            Metric::ExecutionsSucceeded => "ExecutionsSucceeded",
            Metric::ExecutionsFailed => "ExecutionsFailed",
            Metric::ExecutionsTimedOut => "ExecutionsTimedOut",
            Metric::ExecutionThrottled => "ExecutionThrottled",
            Metric::ExecutionTime => "ExecutionTime",
            Metric::ExecutionsRedriven => "ExecutionsRedriven",
            Metric::Invocations => "Invocations",
            Metric::Errors => "Errors",
            Metric::Throttles => "Throttles",
            Metric::ConcurrentExecutions => "ConcurrentExecutions",
            Metric::Duration => "Duration",
            Metric::AsyncEventsReceived => "AsyncEventsReceived",
            Metric::AsyncEventsDropped => "AsyncEventsDropped",
            Metric::Count => "Count",
            Metric::Error4xx => "4XXError",
            Metric::Error5xx => "5XXError",
            Metric::Latency => "Latency",
            Metric::IntegrationLatency => "IntegrationLatency",
            Metric::AuthorizerCacheHits => "AuthorizerCacheHits",
            Metric::AuthorizerCacheMisses => "AuthorizerCacheMisses",
            Metric::ConnectCount => "ConnectCount",
            Metric::WebSocketMessageCount => "MessageCount",
            Metric::IntegrationError => "IntegrationError",
            Metric::ClientError => "ClientError",
            Metric::ExecutionError => "ExecutionError",
            Metric::OpenConnections => "OpenConnections",
            Metric::RequestsStarted => "RequestsStarted",
            Metric::RequestsSucceeded => "RequestsSucceeded",
            Metric::RequestsFailed => "RequestsFailed",
            Metric::RequestsTimedOut => "RequestsTimedOut",
            Metric::Retries => "Retries",
            Metric::FaultActive => "FaultActive",
            Metric::RunnableJobs => "RunnableJobs",
            Metric::RunningJobs => "RunningJobs",
            Metric::JobsSucceeded => "JobsSucceeded",
            Metric::JobsFailed => "JobsFailed",
            Metric::CPUReservation => "CPUReservation",
            Metric::DesiredvCpus => "DesiredvCpus",
            Metric::EnqueueCount => "EnqueueCount",
            Metric::DequeueCount => "DequeueCount",
            Metric::QueueSize => "QueueSize",
            Metric::InFlightCount => "InFlightCount",
            Metric::DispatchCount => "DispatchCount",
            Metric::ExpiredCount => "ExpiredCount",
            Metric::MessageCount => "MessageCount",
            Metric::MessageReadyCount => "MessageReadyCount",
            Metric::MessageUnacknowledgedCount => "MessageUnacknowledgedCount",
            Metric::PublishRate => "PublishRate",
            Metric::AckRate => "AckRate",
            Metric::ConnectionCount => "ConnectionCount",
            Metric::MessagesLost => "MessagesLost",
            Metric::FlowExecutionsStarted => "FlowExecutionsStarted",
            Metric::FlowExecutionsFailed => "FlowExecutionsFailed",
            Metric::FlowExecutionsSucceeded => "FlowExecutionsSucceeded",
            Metric::FlowExecutionRecordsProcessed => "FlowExecutionRecordsProcessed",
            Metric::FlowExecutionTime => "FlowExecutionTime",
            Metric::RequestCount => "RequestCount",
            Metric::HttpCodeTarget2xx => "HTTPCode_Target_2XX_Count",
            Metric::HttpCodeTarget5xx => "HTTPCode_Target_5XX_Count",
            Metric::HttpCodeElb502 => "HTTPCode_ELB_502_Count",
            Metric::HttpCodeElb503 => "HTTPCode_ELB_503_Count",
            Metric::HttpCodeElb504 => "HTTPCode_ELB_504_Count",
            Metric::HttpCodeElb5xx => "HTTPCode_ELB_5XX_Count",
            Metric::TargetResponseTime => "TargetResponseTime",
            Metric::HealthyHostCount => "HealthyHostCount",
            Metric::UnHealthyHostCount => "UnHealthyHostCount",
            Metric::RequestCountPerTarget => "RequestCountPerTarget",
            Metric::ConsumedLCUs => "ConsumedLCUs",
        }
    }

    pub fn parse(name: &str) -> Option<Metric> {
        Metric::ALL
            .iter()
            .copied()
            .find(|metric| metric.as_str() == name)
    }

    /// The metric of that name a component of this kind reports (`MessageCount` is both
    /// RabbitMQ's gauge and a WebSocket API's sum).
    pub fn parse_for(name: &str, kind: &ComponentKind) -> Option<Metric> {
        Metric::ALL
            .iter()
            .copied()
            .find(|metric| metric.as_str() == name && metric.applies_to(kind))
            .or_else(|| Metric::parse(name))
    }

    /// CloudWatch's unit for the metric.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::ApproximateAgeOfOldestMessage
            | Metric::LatencyP50
            | Metric::LatencyP99
            | Metric::TargetResponseTime => "Seconds",
            Metric::SentMessageSize | Metric::PublishSize | Metric::BucketSizeBytes => "Bytes",
            Metric::EstimatedCharges => "USD",
            Metric::ExecutionTime
            | Metric::FlowExecutionTime
            | Metric::Duration
            | Metric::Latency
            | Metric::IntegrationLatency => "Milliseconds",
            _ => "Count",
        }
    }

    pub fn statistic(self) -> Statistic {
        match self {
            Metric::ApproximateNumberOfMessagesVisible
            | Metric::ApproximateNumberOfMessagesNotVisible
            | Metric::ApproximateNumberOfMessagesDelayed
            | Metric::ApproximateAgeOfOldestMessage
            | Metric::ApproximateNumberOfGroupsWithInflightMessages
            | Metric::EstimatedCharges
            | Metric::BusyWorkers
            | Metric::FaultActive
            | Metric::RunnableJobs
            | Metric::RunningJobs
            | Metric::CPUReservation
            | Metric::DesiredvCpus
            | Metric::QueueSize
            | Metric::InFlightCount
            | Metric::MessageCount
            | Metric::MessageReadyCount
            | Metric::MessageUnacknowledgedCount
            | Metric::ConnectionCount
            | Metric::HealthyHostCount
            | Metric::UnHealthyHostCount
            | Metric::OpenConnections
            | Metric::LatencyP50
            | Metric::LatencyP99
            | Metric::ConcurrentExecutions => Statistic::Maximum,
            Metric::SentMessageSize
            | Metric::PublishSize
            | Metric::ExecutionTime
            | Metric::FlowExecutionTime
            | Metric::Duration
            | Metric::Latency
            | Metric::IntegrationLatency
            | Metric::PublishRate
            | Metric::AckRate
            | Metric::TargetResponseTime => Statistic::Average,
            Metric::NumberOfObjects | Metric::BucketSizeBytes => Statistic::Maximum,
            _ => Statistic::Sum,
        }
    }

    /// Whether a component of this kind reports the metric.
    pub fn applies_to(self, kind: &ComponentKind) -> bool {
        match kind {
            ComponentKind::Queue(spec) => {
                QUEUE_METRICS.contains(&self)
                    || (spec.fifo_queue && FIFO_QUEUE_METRICS.contains(&self))
            }
            ComponentKind::Producer(_) => PRODUCER_METRICS.contains(&self),
            ComponentKind::Consumer(_) => CONSUMER_METRICS.contains(&self),
            ComponentKind::Topic(_) => TOPIC_METRICS.contains(&self),
            ComponentKind::Endpoint(_) => ENDPOINT_METRICS.contains(&self),
            ComponentKind::Bucket(_) => BUCKET_METRICS.contains(&self),
            ComponentKind::StateMachine(_) => STATE_MACHINE_METRICS.contains(&self),
            ComponentKind::Lambda(_) => LAMBDA_METRICS.contains(&self),
            ComponentKind::Api(spec) if spec.api_type == crate::ApiType::WebSocket => {
                WEBSOCKET_API_METRICS.contains(&self)
            }
            ComponentKind::Api(_) => API_METRICS.contains(&self),
            ComponentKind::Clients(_) => CLIENT_METRICS.contains(&self),
            ComponentKind::BatchComputeEnvironment(_) => {
                BATCH_COMPUTE_ENVIRONMENT_METRICS.contains(&self)
            }
            ComponentKind::BatchJobQueue(_) => BATCH_JOB_QUEUE_METRICS.contains(&self),
            ComponentKind::Broker(spec) => match spec.engine {
                crate::mq::BrokerEngine::ActiveMq => ACTIVEMQ_METRICS.contains(&self),
                crate::mq::BrokerEngine::RabbitMq => RABBITMQ_METRICS.contains(&self),
            },
            ComponentKind::Flow(_) => APPFLOW_METRICS.contains(&self),
            ComponentKind::LoadBalancer(_) => ALB_METRICS.contains(&self),
        }
    }
}

/// One data point, emitted at the end of a metric period.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricSample {
    /// The end of the period.
    pub time: SimTime,
    pub component: usize,
    pub metric: Metric,
    pub value: f64,
}

/// Points of one metric, oldest first, with bounded memory: when the series is full, the
/// older half is merged pairwise (each merged point then covers twice the period), so a long
/// run keeps full detail for recent time and coarser detail for the past.
#[derive(Clone, Debug)]
pub struct MetricSeries {
    pub metric: Metric,
    points: Vec<SeriesPoint>,
    capacity: usize,
}

/// A point of a series: the end of the time it covers, how long it covers, and the value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeriesPoint {
    pub time: SimTime,
    pub span: SimDuration,
    pub value: f64,
}

/// Points kept per series before old ones are merged.
pub const SERIES_CAPACITY: usize = 1_024;

impl MetricSeries {
    pub fn new(metric: Metric) -> MetricSeries {
        MetricSeries::with_capacity(metric, SERIES_CAPACITY)
    }

    pub fn with_capacity(metric: Metric, capacity: usize) -> MetricSeries {
        MetricSeries {
            metric,
            points: Vec::new(),
            capacity: capacity.max(4),
        }
    }

    pub fn points(&self) -> &[SeriesPoint] {
        &self.points
    }

    pub fn push(&mut self, point: SeriesPoint) {
        if self.points.len() >= self.capacity {
            self.compact();
        }
        self.points.push(point);
    }

    fn compact(&mut self) {
        let half = self.points.len() / 2;
        let statistic = self.metric.statistic();
        let mut merged = Vec::with_capacity(self.capacity);
        let mut index = 0;
        while index + 1 < half {
            let (a, b) = (self.points[index], self.points[index + 1]);
            let value = match statistic {
                Statistic::Sum => a.value + b.value,
                Statistic::Maximum => a.value.max(b.value),
                Statistic::Average => (a.value + b.value) / 2.0,
            };
            merged.push(SeriesPoint {
                time: b.time,
                span: SimDuration(a.span.0 + b.span.0),
                value,
            });
            index += 2;
        }
        merged.extend_from_slice(&self.points[index..]);
        self.points = merged;
    }
}

/// End-to-end latency of delivered messages, in microseconds, with bounded memory
/// (an HDR histogram with three significant digits).
#[derive(Clone, Debug)]
pub struct LatencyHistogram {
    histogram: hdrhistogram::Histogram<u32>,
}

/// Percentiles of a latency histogram, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct LatencySummary {
    pub count: u64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        LatencyHistogram::new()
    }
}

/// The longest latency recorded: one year, in microseconds.
const MAX_LATENCY_MICROS: u64 = 366 * 86_400 * 1_000_000;

impl LatencyHistogram {
    pub fn new() -> LatencyHistogram {
        // Auto-resizing, with 32-bit counts: the histogram grows with the longest latency
        // recorded instead of holding room for a year from the start (about 70 KB for
        // latencies of minutes instead of 290 KB), which matters because every rewind
        // checkpoint copies it. Resolution, and so every percentile, is the same: it depends
        // on the lowest value and the significant digits, not on the highest value.
        match hdrhistogram::Histogram::new(3) {
            Ok(histogram) => LatencyHistogram { histogram },
            Err(_) => unreachable!("3 significant digits is a valid HDR histogram precision"),
        }
    }

    pub fn record(&mut self, latency: SimDuration) {
        // Recording grows the histogram; it fails only above i64::MAX / 2, far beyond the
        // one-year clamp.
        let _ = self
            .histogram
            .record(latency.as_micros().clamp(1, MAX_LATENCY_MICROS));
    }

    pub fn clear(&mut self) {
        self.histogram.reset();
    }

    pub fn summary(&self) -> LatencySummary {
        let h = &self.histogram;
        let seconds = |micros: u64| micros as f64 / 1_000_000.0;
        if h.is_empty() {
            return LatencySummary::default();
        }
        LatencySummary {
            count: h.len(),
            p50: seconds(h.value_at_quantile(0.50)),
            p90: seconds(h.value_at_quantile(0.90)),
            p99: seconds(h.value_at_quantile(0.99)),
            max: seconds(h.max()),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_latency_histogram_grows_with_what_it_holds_and_keeps_its_resolution() {
        // Sized for a year from the start, every histogram held about 290 KB, and every
        // rewind checkpoint copied it: the page of a one-hour run grew by 117 MB.
        let mut short = LatencyHistogram::new();
        let mut fixed =
            hdrhistogram::Histogram::<u64>::new_with_bounds(1, MAX_LATENCY_MICROS, 3).unwrap();
        for millis in (1..5_000).step_by(7) {
            short.record(SimDuration::from_millis(millis));
            fixed.record(millis * 1_000).unwrap();
        }
        assert!(short.histogram.buckets() < fixed.buckets() / 2);
        let summary = short.summary();
        let seconds = |micros: u64| micros as f64 / 1_000_000.0;
        assert_eq!(summary.p50, seconds(fixed.value_at_quantile(0.5)));
        assert_eq!(summary.p99, seconds(fixed.value_at_quantile(0.99)));
        assert_eq!(summary.max, seconds(fixed.max()));
        // A latency of a year (the clamp) is still recorded.
        short.record(SimDuration::from_secs(400 * 86_400));
        assert_eq!(short.summary().count, fixed.len() + 1);
        assert!(short.summary().max >= 365.0 * 86_400.0);
    }
    use super::*;

    #[test]
    fn series_memory_is_bounded_and_sums_are_kept() {
        let mut series = MetricSeries::with_capacity(Metric::NumberOfMessagesSent, 16);
        for i in 0..10_000u64 {
            series.push(SeriesPoint {
                time: SimTime::from_secs((i + 1) * 60),
                span: SimDuration::from_secs(60),
                value: 1.0,
            });
        }
        assert!(series.points().len() <= 16);
        let total: f64 = series.points().iter().map(|p| p.value).sum();
        assert_eq!(total, 10_000.0);
        let covered: u64 = series.points().iter().map(|p| p.span.as_micros()).sum();
        assert_eq!(covered, 10_000 * 60_000_000);
        let times: Vec<_> = series.points().iter().map(|p| p.time).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn latency_percentiles() {
        let mut histogram = LatencyHistogram::new();
        for ms in 1..=100u64 {
            histogram.record(SimDuration::from_millis(ms));
        }
        let summary = histogram.summary();
        assert_eq!(summary.count, 100);
        assert!((summary.p50 - 0.050).abs() < 0.001, "{summary:?}");
        assert!((summary.p99 - 0.099).abs() < 0.001, "{summary:?}");
        assert!((summary.max - 0.100).abs() < 0.001, "{summary:?}");
    }

    #[test]
    fn metric_names_round_trip() {
        for metric in Metric::ALL {
            let parsed = Metric::parse(metric.as_str()).expect("a known name");
            assert_eq!(parsed.as_str(), metric.as_str());
            if *metric != Metric::WebSocketMessageCount {
                assert_eq!(parsed, *metric);
            }
        }
        // `MessageCount` names RabbitMQ's gauge and a WebSocket API's sum.
        let websocket = ComponentKind::Api(crate::ApiSpec {
            api_type: crate::ApiType::WebSocket,
            ..crate::ApiSpec::default()
        });
        assert_eq!(
            Metric::parse_for("MessageCount", &websocket),
            Some(Metric::WebSocketMessageCount)
        );
        assert_eq!(Metric::parse("MessageCount"), Some(Metric::MessageCount));
    }
}
