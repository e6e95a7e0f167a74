//! What happened, message by message: the trace a person reads to learn *why*.
//!
//! Every event names the component, the message and the time, and carries the reason as
//! data; [`TraceEvent::explain`] turns it into one plain sentence.

use std::fmt;

use crate::model::ComponentId;
use crate::time::{SimDuration, SimTime};

/// A message's identity for its whole life, across queues (`m-12`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(pub u64);

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m-{}", self.0)
    }
}

/// SQS errors the simulation returns, with AWS's exception names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SqsError {
    /// `InvalidParameterValue` with AWS's message text.
    InvalidParameterValue(String),
    /// `MissingParameter` (FIFO send without `MessageGroupId`).
    MissingParameter(String),
    /// `RequestThrottled`: above the FIFO quota for the action.
    RequestThrottled {
        action: &'static str,
        limit_per_second: u32,
    },
    /// `OverLimit`: the in-flight cap of a standard queue was reached (short poll).
    OverLimit { in_flight: u32 },
    /// `MessageNotInflight`: visibility change for a message that is not in flight.
    MessageNotInflight,
    /// `PurgeQueueInProgress`: a second purge within 60 seconds.
    PurgeQueueInProgress,
    /// `AccessDenied` on the message move task (not a DLQ, or a task already running).
    UnsupportedOperation(String),
}

impl SqsError {
    /// The exception name as the AWS SDK reports it.
    pub fn code(&self) -> &'static str {
        match self {
            SqsError::InvalidParameterValue(_) => "InvalidParameterValue",
            SqsError::MissingParameter(_) => "MissingParameter",
            SqsError::RequestThrottled { .. } => "RequestThrottled",
            SqsError::OverLimit { .. } => "OverLimit",
            SqsError::MessageNotInflight => "MessageNotInflight",
            SqsError::PurgeQueueInProgress => "PurgeQueueInProgress",
            SqsError::UnsupportedOperation(_) => "UnsupportedOperation",
        }
    }
}

impl fmt::Display for SqsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqsError::InvalidParameterValue(text) | SqsError::MissingParameter(text) => {
                write!(f, "{}: {text}", self.code())
            }
            SqsError::RequestThrottled { action, limit_per_second } => write!(
                f,
                "RequestThrottled: {action} is above {limit_per_second} calls per second for this FIFO queue"
            ),
            SqsError::OverLimit { in_flight } => write!(
                f,
                "OverLimit: {in_flight} messages are in flight, the queue's in-flight limit"
            ),
            SqsError::MessageNotInflight => f.write_str("MessageNotInflight: the message is not in flight"),
            SqsError::PurgeQueueInProgress => f.write_str(
                "PurgeQueueInProgress: only one PurgeQueue operation is allowed every 60 seconds",
            ),
            SqsError::UnsupportedOperation(text) => write!(f, "UnsupportedOperation: {text}"),
        }
    }
}

/// SNS errors, with AWS's exception codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnsError {
    /// `InvalidParameter` with AWS's message text.
    InvalidParameter(String),
    /// `AuthorizationError`: the topic's access policy does not allow the caller.
    AuthorizationError(String),
    /// `Throttled`: above the FIFO topic's throughput.
    Throttled,
    /// `BatchRequestTooLong`.
    BatchRequestTooLong(String),
}

impl SnsError {
    pub fn code(&self) -> &'static str {
        match self {
            SnsError::InvalidParameter(_) => "InvalidParameter",
            SnsError::AuthorizationError(_) => "AuthorizationError",
            SnsError::Throttled => "Throttled",
            SnsError::BatchRequestTooLong(_) => "BatchRequestTooLong",
        }
    }
}

impl fmt::Display for SnsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnsError::InvalidParameter(text)
            | SnsError::AuthorizationError(text)
            | SnsError::BatchRequestTooLong(text) => {
                write!(f, "{}: {text}", self.code())
            }
            SnsError::Throttled => f.write_str("Throttled: Rate exceeded"),
        }
    }
}

/// How an endpoint answered a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Success,
    /// 4xx: SNS does not retry.
    ClientError,
    /// 5xx: SNS retries.
    ServerError,
    /// The endpoint is down: SNS retries.
    Unreachable,
}

/// How a Lambda function was invoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvocationMode {
    /// `InvocationType=RequestResponse`: the caller waits for the answer.
    Synchronous,
    /// `InvocationType=Event`: the event waits in Lambda's internal queue (SNS).
    Asynchronous,
    /// An SQS event source mapping's batch (invoked synchronously by the poller).
    EventSourceMapping,
}

impl InvocationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            InvocationMode::Synchronous => "synchronous",
            InvocationMode::Asynchronous => "asynchronous",
            InvocationMode::EventSourceMapping => "event source mapping",
        }
    }
}

/// How an invocation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LambdaOutcome {
    /// The handler returned (with `ReportBatchItemFailures`, possibly naming failed records).
    Success,
    /// The handler threw: the invocation counts in `Errors`.
    FunctionError,
    /// `Task timed out after N seconds`: counts in `Errors`.
    TimedOut,
}

/// Why a receive returned fewer messages than it could have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmptyReason {
    /// Nothing visible (long polls wait before they say so).
    NoMessages,
    /// Short polling sampled servers that held none of the visible messages.
    ShortPollSampledNone { visible: u32 },
    /// Every visible message belongs to a FIFO group that is blocked.
    GroupsBlocked {
        group: String,
        blocking: MessageId,
        until: SimTime,
    },
    /// The in-flight cap was reached.
    InFlightCap { in_flight: u32 },
}

/// What happened.
#[derive(Clone, Debug, PartialEq)]
pub enum TraceKind {
    /// A producer (or a person, `producer: None`) sent the message to the queue.
    Sent {
        producer: Option<ComponentId>,
        size: u32,
        group: Option<String>,
    },
    /// The send was refused: the message never entered the queue.
    Rejected {
        producer: Option<ComponentId>,
        error: SqsError,
    },
    /// A FIFO queue accepted the send but dropped it as a duplicate.
    Deduplicated {
        dedup_id: String,
        original_until: SimTime,
    },
    /// The message is stored but hidden until its delay ends.
    Delayed {
        until: SimTime,
        delay_seconds: u32,
    },
    /// The delay ended; the message is visible.
    DelayEnded,
    /// A consumer received the message.
    Received {
        consumer: ComponentId,
        receive_count: u32,
        visible_again_at: SimTime,
    },
    /// A receive came back with nothing.
    EmptyReceive {
        consumer: ComponentId,
        reason: EmptyReason,
        waited: SimDuration,
    },
    /// A consumer call failed with an error.
    CallFailed {
        consumer: ComponentId,
        error: SqsError,
    },
    /// Processing the message failed; the consumer does not delete it.
    ProcessingFailed {
        consumer: ComponentId,
    },
    /// The consumer deleted the message.
    Deleted {
        consumer: Option<ComponentId>,
        end_to_end: SimDuration,
    },
    /// The delete missed a replica (standard queues): the message will be delivered again.
    DeleteMissedReplica {
        consumer: ComponentId,
    },
    /// A delete with an outdated receipt handle: AWS answers success, nothing is deleted.
    DeleteIgnored {
        consumer: ComponentId,
        reason: &'static str,
    },
    /// The visibility timeout ended before a delete; the message is visible again.
    VisibilityExpired {
        receive_count: u32,
    },
    /// `ChangeMessageVisibility` set a new deadline.
    VisibilityChanged {
        consumer: ComponentId,
        visible_again_at: SimTime,
    },
    /// The message went to the dead-letter queue instead of a further delivery.
    MovedToDlq {
        dlq: ComponentId,
        receive_count: u32,
        max_receive_count: u32,
    },
    /// `MessageRetentionPeriod` ended: SQS deleted the message.
    Expired {
        retention_seconds: u32,
    },
    /// `PurgeQueue` deleted the message.
    Purged,
    /// A message move task took the message from a dead-letter queue to `to`.
    Redriven {
        to: ComponentId,
    },
    /// A message move task changed status.
    MoveTaskStatus {
        status: &'static str,
        moved: u64,
    },
    /// An alarm changed state.
    AlarmStateChanged {
        alarm: String,
        state: &'static str,
        value: f64,
        threshold: f64,
    },
    /// A component was paused or resumed by a command.
    Paused {
        paused: bool,
    },
    /// A component's parameters were changed while running.
    Updated,
    /// A topic accepted a publish and fans it out to its subscriptions.
    Published {
        producer: Option<ComponentId>,
        size: u32,
        group: Option<String>,
        subscriptions: u32,
    },
    /// A publish was refused.
    PublishRejected {
        producer: Option<ComponentId>,
        error: SnsError,
    },
    /// The subscription's filter policy did not match: this copy is not delivered.
    FilteredOut {
        subscription: u32,
        endpoint: ComponentId,
        reason: String,
    },
    /// A copy reached its subscriber.
    Delivered {
        subscription: u32,
        endpoint: ComponentId,
        attempts: u32,
    },
    /// A delivery attempt failed; `retry_at` is None when SNS gives up.
    DeliveryFailed {
        subscription: u32,
        endpoint: ComponentId,
        attempts: u32,
        outcome: DeliveryOutcome,
        retry_at: Option<SimTime>,
    },
    /// SNS gave up and put the copy in the subscription's dead-letter queue.
    SubscriptionDeadLettered {
        subscription: u32,
        endpoint: ComponentId,
        dlq: ComponentId,
        reason: String,
    },
    /// SNS gave up and the copy is lost (no dead-letter queue).
    NotificationDiscarded {
        subscription: u32,
        endpoint: ComponentId,
        reason: String,
    },
    /// The extended client stored a large body in this bucket.
    StoredInBucket {
        bytes: u64,
    },
    /// `StartExecution` succeeded on this state machine.
    ExecutionStarted {
        by: Option<ComponentId>,
        execution: String,
    },
    /// An Express start ran the execution a second time (at-least-once).
    ExecutionDuplicated {
        execution: String,
    },
    /// `StartExecution` was refused with `ThrottlingException`: the token bucket is empty.
    ExecutionThrottled {
        by: Option<ComponentId>,
    },
    /// `RedriveExecution`: a stopped execution runs again from where it stopped.
    ExecutionRedriven {
        execution: String,
        redrive_count: u32,
    },
    /// An execution ended: `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`.
    ExecutionEnded {
        execution: String,
        status: &'static str,
        error: Option<String>,
        duration: SimDuration,
        transitions: u64,
    },
    /// A Lambda function started an invocation (`cold_start`: the `Init` duration it added).
    LambdaInvoked {
        source: Option<ComponentId>,
        mode: InvocationMode,
        records: u32,
        cold_start: Option<SimDuration>,
    },
    /// An invocation ended; `billed` is the billed duration (init included, 1 ms steps).
    LambdaCompleted {
        mode: InvocationMode,
        outcome: LambdaOutcome,
        records: u32,
        failed_records: u32,
        duration: SimDuration,
        billed: SimDuration,
    },
    /// `TooManyRequestsException` (429) with its `Reason`: no concurrency was free.
    LambdaThrottled {
        source: Option<ComponentId>,
        mode: InvocationMode,
        reason: &'static str,
        retry_at: Option<SimTime>,
    },
    /// A failed asynchronous event is tried again.
    AsyncRetryScheduled {
        attempt: u32,
        at: SimTime,
        outcome: LambdaOutcome,
    },
    /// Lambda gave up on an asynchronous event: sent to the on-failure destination or the
    /// dead-letter queue (`to`), or dropped.
    AsyncEventFailed {
        to: Option<ComponentId>,
        reason: String,
    },
    /// An SQS event source mapping changed how many batches it processes at once.
    EventSourceScaled {
        queue: ComponentId,
        from: u32,
        to: u32,
        why: &'static str,
    },
    /// API Gateway answered one attempt of a client's request.
    ApiAnswered {
        clients: ComponentId,
        client: u32,
        status: u16,
        answer: &'static str,
        latency: SimDuration,
    },
    /// An Application Load Balancer answered one attempt of a client's request: the target's
    /// answer, or its own 502, 503 or 504.
    LoadBalancerAnswered {
        clients: ComponentId,
        client: u32,
        status: u16,
        /// The target (instance index) that got the request, if one was chosen.
        target: Option<u32>,
        answer: &'static str,
        latency: SimDuration,
    },
    /// A target of a load balancer's target group changed state (`initial`, `healthy`,
    /// `unhealthy`, `draining`, `unused`), with AWS's reason code.
    TargetHealthChanged {
        target: u32,
        from: &'static str,
        to: &'static str,
        reason: &'static str,
    },
    /// A client retries after a 429 or 5xx answer.
    ClientRetry {
        client: u32,
        status: u16,
        retry: u32,
        at: SimTime,
    },
    /// A client gave up: the last answer (`status`) or its timeout (`None`).
    ClientGaveUp {
        client: u32,
        status: Option<u16>,
        attempts: u32,
    },
    /// A WebSocket client's connection opened (`$connect` succeeded).
    WsConnected {
        clients: ComponentId,
        client: u32,
    },
    /// A WebSocket client's connection was refused; it tries again at `retry_at`.
    WsRefused {
        clients: ComponentId,
        client: u32,
        status: u16,
        answer: &'static str,
        retry_at: SimTime,
    },
    /// A WebSocket connection closed with a WebSocket close `code` after `connected`.
    WsClosed {
        clients: ComponentId,
        client: u32,
        code: u16,
        reason: &'static str,
        connected: SimDuration,
    },
    /// A WebSocket API handled one message of a client: the route's `integration` (none
    /// when no route matched or the gateway refused it) and how it ended.
    WsMessage {
        clients: ComponentId,
        client: u32,
        integration: Option<ComponentId>,
        status: u16,
        answer: &'static str,
    },
    /// An Auto Scaling group changed a consumer pool's desired capacity.
    AutoScaled {
        from: u32,
        to: u32,
        metric: &'static str,
        value: f64,
        warmup: SimDuration,
    },
    /// A fault of the scenario's timeline began on this component.
    FaultStarted {
        fault: usize,
        effect: crate::fault::FaultEffect,
        until: SimTime,
    },
    /// A fault ended; the component works normally again.
    FaultEnded {
        fault: usize,
        effect: crate::fault::FaultEffect,
    },
    /// A worker stopped by a fault dropped the message it held; the message stays in flight
    /// until its visibility timeout, then comes back.
    WorkAbandoned {
        consumer: ComponentId,
    },
    /// Amazon MQ: a message copy entered a broker queue.
    MqEnqueued {
        queue: String,
        persistent: bool,
    },
    /// Amazon MQ: a send refused while the broker was unreachable.
    MqRefused {
        reason: &'static str,
    },
    /// Amazon MQ: no queue matched the destination and routing key; the message is dropped.
    MqUnroutable {
        destination: String,
    },
    /// Amazon MQ: the broker pushed a message to a consumer (within its prefetch).
    MqDelivered {
        consumer: ComponentId,
        redelivered: bool,
        delivery_count: u32,
    },
    MqAcknowledged {
        consumer: ComponentId,
    },
    /// Amazon MQ: an unacknowledged message went back to its queue.
    MqRedelivery {
        redeliveries: u32,
        connection_lost: bool,
    },
    /// Amazon MQ: past the redelivery limit, to `ActiveMQ.DLQ` or the dead-letter exchange.
    MqDeadLettered {
        dlq: &'static str,
        redeliveries: u32,
    },
    /// Amazon MQ: a non-persistent message lost with the instance that held it.
    MqMessageLost,
    /// Amazon MQ: broker instances or nodes down now, of the deployment's.
    MqInstances {
        down: u32,
        of: u32,
    },
    /// Amazon MQ active/standby: clients move to the other instance (`done` when they
    /// reach it).
    MqFailover {
        to_instance: u32,
        done: bool,
    },
    /// An AWS Batch job changed status (`SUBMITTED`, `PENDING`, `RUNNABLE`, `STARTING`,
    /// `RUNNING`, `SUCCEEDED`, `FAILED`), on its job queue.
    JobStateChanged {
        job: String,
        state: &'static str,
        attempt: u32,
        reason: Option<String>,
    },
    /// A compute environment's capacity changed: an instance launched, ready, interrupted or
    /// terminated.
    BatchCapacity {
        change: &'static str,
        instance: u32,
        vcpus: u32,
    },
    /// An AppFlow flow run changed `executionStatus` (`InProgress`, `Successful`, `Error`).
    FlowRunChanged {
        execution: u32,
        status: &'static str,
        /// Records the run read from the source.
        records: u64,
        reason: Option<String>,
    },
    /// An AppFlow flow's status changed (`Active`, `Suspended`).
    FlowStatusChanged {
        status: &'static str,
    },
    /// A flow's trigger found a run in progress or the flow suspended, and started nothing.
    FlowTriggerSkipped {
        reason: String,
    },
    /// A consumer answered a task token: `SendTaskSuccess` or `SendTaskFailure`.
    TaskTokenAnswered {
        consumer: ComponentId,
        execution: String,
        success: bool,
    },
}

/// One trace entry.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceEvent {
    pub time: SimTime,
    /// The component where it happened (the queue, for message events).
    pub component: ComponentId,
    pub message: Option<MessageId>,
    pub kind: TraceKind,
}

impl TraceEvent {
    /// The event as one plain sentence; `name` gives a component's name.
    pub fn explain(&self, name: &dyn Fn(ComponentId) -> String) -> String {
        let here = name(self.component);
        let message = self.message.map(|id| id.to_string()).unwrap_or_default();
        match &self.kind {
            TraceKind::Sent { producer, size, group } => {
                let by = producer.map(|p| format!(" by {}", name(p))).unwrap_or_else(|| " by hand".into());
                let group = group.as_ref().map(|g| format!(", group {g}")).unwrap_or_default();
                format!("{message} sent to {here}{by} ({size} bytes{group})")
            }
            TraceKind::Rejected { error, .. } => format!("send to {here} refused: {error}"),
            TraceKind::Deduplicated { dedup_id, original_until } => format!(
                "{message} accepted by {here} but not delivered: deduplication id {dedup_id} was already sent (remembered until {original_until})"
            ),
            TraceKind::Delayed { until, delay_seconds } => {
                format!("{message} delayed in {here} until {until} (DelaySeconds {delay_seconds})")
            }
            TraceKind::DelayEnded => format!("{message} visible in {here}: its delay ended"),
            TraceKind::Received { consumer, receive_count, visible_again_at } => format!(
                "{message} received by {} from {here} (receive {receive_count}); invisible until {visible_again_at}",
                name(*consumer)
            ),
            TraceKind::EmptyReceive { consumer, reason, waited } => {
                let why = match reason {
                    EmptyReason::NoMessages => "no message was visible".to_string(),
                    EmptyReason::ShortPollSampledNone { visible } => format!(
                        "short polling sampled servers that held none of the {visible} visible messages"
                    ),
                    EmptyReason::GroupsBlocked { group, blocking, until } => format!(
                        "group {group} is blocked while {blocking} is in flight until {until}"
                    ),
                    EmptyReason::InFlightCap { in_flight } => {
                        format!("{in_flight} messages are in flight, the queue's limit")
                    }
                };
                let waited = if waited.as_micros() > 0 { format!(" after waiting {waited}") } else { String::new() };
                format!("empty receive from {here} by {}{waited}: {why}", name(*consumer))
            }
            TraceKind::CallFailed { consumer, error } => format!("{} call to {here} failed: {error}", name(*consumer)),
            TraceKind::ProcessingFailed { consumer } => format!(
                "{message} failed in {}; not deleted, it comes back after its visibility timeout",
                name(*consumer)
            ),
            TraceKind::Deleted { consumer, end_to_end } => {
                let by = consumer.map(|c| format!(" by {}", name(c))).unwrap_or_default();
                format!("{message} deleted from {here}{by}, {end_to_end} after it was sent")
            }
            TraceKind::DeleteMissedReplica { consumer } => format!(
                "{message}: the delete by {} missed a replica; {here} will deliver it again (at-least-once)",
                name(*consumer)
            ),
            TraceKind::DeleteIgnored { consumer, reason } => {
                format!("{message}: delete by {} did nothing: {reason}", name(*consumer))
            }
            TraceKind::VisibilityExpired { receive_count } => format!(
                "{message} visible again in {here}: its visibility timeout ended without a delete (received {receive_count} times)"
            ),
            TraceKind::VisibilityChanged { consumer, visible_again_at } => format!(
                "{message}: {} extended its visibility in {here} until {visible_again_at}",
                name(*consumer)
            ),
            TraceKind::MovedToDlq { dlq, receive_count, max_receive_count } => format!(
                "{message} moved to {}: received {receive_count} times, maxReceiveCount is {max_receive_count}",
                name(*dlq)
            ),
            TraceKind::Expired { retention_seconds } => format!(
                "{message} deleted by {here}: MessageRetentionPeriod ({retention_seconds} s) ended"
            ),
            TraceKind::Purged => format!("{message} deleted by PurgeQueue on {here}"),
            TraceKind::Redriven { to } => format!("{message} moved from {here} back to {} by a redrive", name(*to)),
            TraceKind::MoveTaskStatus { status, moved } => {
                format!("message move task on {here}: {status} ({moved} messages moved)")
            }
            TraceKind::AlarmStateChanged { alarm, state, value, threshold } => {
                format!("alarm {alarm} on {here} is {state}: value {value} against threshold {threshold}")
            }
            TraceKind::Paused { paused: true } => format!("{here} paused"),
            TraceKind::Paused { paused: false } => format!("{here} resumed"),
            TraceKind::Updated => format!("{here}: settings changed while running"),
            TraceKind::Published { producer, size, group, subscriptions } => {
                let by = producer.map(|p| format!(" by {}", name(p))).unwrap_or_else(|| " by hand".into());
                let group = group.as_ref().map(|g| format!(", group {g}")).unwrap_or_default();
                format!("{message} published to {here}{by} ({size} bytes{group}); fans out to {subscriptions} subscriptions")
            }
            TraceKind::PublishRejected { error, .. } => format!("publish to {here} refused: {error}"),
            TraceKind::FilteredOut { endpoint, reason, .. } => {
                format!("{message} not delivered to {}: filtered out by its filter policy ({reason})", name(*endpoint))
            }
            TraceKind::Delivered { endpoint, attempts, .. } => {
                let tries = if *attempts > 1 { format!(" after {attempts} attempts") } else { String::new() };
                format!("{message} delivered by {here} to {}{tries}", name(*endpoint))
            }
            TraceKind::DeliveryFailed { endpoint, attempts, outcome, retry_at, .. } => {
                let what = match outcome {
                    DeliveryOutcome::ClientError => "answered with a client error (4xx)",
                    DeliveryOutcome::ServerError => "answered with a server error (5xx)",
                    DeliveryOutcome::Unreachable => "is down",
                    DeliveryOutcome::Success => "answered",
                };
                match retry_at {
                    Some(at) => format!("{message}: {} {what} (attempt {attempts}); {here} retries at {at}", name(*endpoint)),
                    None => format!("{message}: {} {what} (attempt {attempts}); {here} gives up", name(*endpoint)),
                }
            }
            TraceKind::SubscriptionDeadLettered { endpoint, dlq, reason, .. } => format!(
                "{message} for {} moved to the subscription's dead-letter queue {}: {reason}",
                name(*endpoint),
                name(*dlq)
            ),
            TraceKind::NotificationDiscarded { endpoint, reason, .. } => {
                format!("{message} for {} discarded (no dead-letter queue): {reason}", name(*endpoint))
            }
            TraceKind::ExecutionStarted { by, execution } => {
                let by = by.map(|b| format!(" by {}", name(b))).unwrap_or_default();
                format!("{here}: execution {execution} started{by} (StartExecution)")
            }
            TraceKind::ExecutionDuplicated { execution } => {
                format!("{here}: execution {execution} runs a second time (Express is at-least-once)")
            }
            TraceKind::ExecutionThrottled { by } => {
                let by = by.map(|b| format!(" from {}", name(b))).unwrap_or_default();
                format!("{here}: StartExecution{by} refused with ThrottlingException: the StartExecution token bucket is empty")
            }
            TraceKind::ExecutionRedriven { execution, redrive_count } => {
                format!("{here}: execution {execution} redriven (RedriveExecution, redrive {redrive_count}): it resumes from the state where it stopped")
            }
            TraceKind::ExecutionEnded { execution, status, error, duration, transitions } => {
                let why = error.as_ref().map(|e| format!(" ({e})")).unwrap_or_default();
                format!("{here}: execution {execution} {status}{why} after {duration}, {transitions} state transitions")
            }
            TraceKind::TaskTokenAnswered { consumer, execution, success } => {
                let call = if *success { "SendTaskSuccess" } else { "SendTaskFailure" };
                format!("{message}: {} called {call} for the task token of execution {execution} on {here}", name(*consumer))
            }
            TraceKind::LambdaInvoked { source, mode, records, cold_start } => {
                let from = source.map(|s| format!(" by {}", name(s))).unwrap_or_default();
                let start = match cold_start {
                    Some(init) => format!("cold start, Init {init}"),
                    None => "warm environment".to_string(),
                };
                let what = if *records == 1 { "1 record".to_string() } else { format!("{records} records") };
                format!("{here} invoked{from} ({}, {what}, {start})", mode.as_str())
            }
            TraceKind::LambdaCompleted { mode, outcome, records, failed_records, duration, billed } => {
                let how = match outcome {
                    LambdaOutcome::Success if *failed_records > 0 => format!(
                        "returned {failed_records} of {records} records in batchItemFailures"
                    ),
                    LambdaOutcome::Success => "succeeded".to_string(),
                    LambdaOutcome::FunctionError => format!(
                        "failed with a function error ({failed_records} of {records} records failed)"
                    ),
                    LambdaOutcome::TimedOut => "timed out (Task timed out)".to_string(),
                };
                format!("{here} {how} after {duration} ({} invocation, billed {billed})", mode.as_str())
            }
            TraceKind::LambdaThrottled { source, mode, reason, retry_at } => {
                let from = source.map(|s| format!(" from {}", name(s))).unwrap_or_default();
                let then = retry_at.map(|at| format!("; retried at {at}")).unwrap_or_default();
                format!(
                    "{here}: {} invocation{from} throttled with TooManyRequestsException ({reason}){then}",
                    mode.as_str()
                )
            }
            TraceKind::AsyncRetryScheduled { attempt, at, outcome } => {
                let why = match outcome {
                    LambdaOutcome::TimedOut => "timed out",
                    _ => "failed",
                };
                format!("{message}: the asynchronous invocation of {here} {why}; attempt {attempt} at {at}")
            }
            TraceKind::AsyncEventFailed { to: Some(to), reason } => {
                format!("{message}: {here} gave up on the event ({reason}); sent to {}", name(*to))
            }
            TraceKind::AsyncEventFailed { to: None, reason } => {
                format!("{message}: {here} dropped the event ({reason}); no destination or dead-letter queue")
            }
            TraceKind::EventSourceScaled { queue, from, to, why } => format!(
                "{here}: the event source mapping on {} goes from {from} to {to} concurrent batches ({why})",
                name(*queue)
            ),
            TraceKind::ApiAnswered { clients, client, status, answer, latency } => format!(
                "{here} answered {status} to client {client} of {} after {latency} ({answer})",
                name(*clients)
            ),
            TraceKind::LoadBalancerAnswered { clients, client, status, target: Some(target), answer, latency } => format!(
                "{here} answered {status} to client {client} of {} after {latency} from instance {} ({answer})",
                name(*clients),
                target + 1
            ),
            TraceKind::LoadBalancerAnswered { clients, client, status, target: None, answer, latency } => format!(
                "{here} answered {status} to client {client} of {} after {latency} ({answer})",
                name(*clients)
            ),
            TraceKind::TargetHealthChanged { target, from, to, reason: "" } => format!(
                "{here}: instance {} goes from {from} to {to}",
                target + 1
            ),
            TraceKind::TargetHealthChanged { target, from, to, reason } => format!(
                "{here}: instance {} goes from {from} to {to} ({reason})",
                target + 1
            ),
            TraceKind::ClientRetry { client, status, retry, at } => format!(
                "client {client} of {here} got {status} and retries (retry {retry}) at {at}"
            ),
            TraceKind::ClientGaveUp { client, status: Some(status), attempts } => format!(
                "client {client} of {here} gave up after {attempts} attempts: the last answer was {status}"
            ),
            TraceKind::ClientGaveUp { client, status: None, attempts } => format!(
                "client {client} of {here} timed out waiting for an answer (attempt {attempts})"
            ),
            TraceKind::WsConnected { clients, client } => format!(
                "client {client} of {} opened a WebSocket connection to {here}",
                name(*clients)
            ),
            TraceKind::WsRefused { clients, client, status, answer, retry_at } => format!(
                "{here} refused the connection of client {client} of {} with {status} ({answer}); it reconnects at {retry_at}",
                name(*clients)
            ),
            TraceKind::WsClosed { clients, client, code, reason, connected } => format!(
                "the WebSocket connection of client {client} of {} to {here} closed with code {code} ({reason}) after {connected}",
                name(*clients)
            ),
            TraceKind::WsMessage { clients, client, integration: Some(to), status, answer } => format!(
                "{here} routed a message of client {client} of {} to {}: {status} ({answer})",
                name(*clients),
                name(*to)
            ),
            TraceKind::WsMessage { clients, client, integration: None, status, answer } => format!(
                "{here} refused a message of client {client} of {}: {status} ({answer})",
                name(*clients)
            ),
            TraceKind::AutoScaled { from, to, metric, value, warmup } if to > from => format!(
                "{here} scales out from {from} to {to} instances ({metric} {value:.1}); they consume after a {warmup} warm-up"
            ),
            TraceKind::AutoScaled { from, to, metric, value, .. } => format!(
                "{here} scales in from {from} to {to} instances ({metric} {value:.1})"
            ),
            TraceKind::FaultStarted { fault, effect, until } => {
                format!("fault #{fault}: {here} {} until {until}", effect.describe())
            }
            TraceKind::FaultEnded { fault, effect } => {
                format!("fault #{fault} ended: {here} no longer {}", effect.describe())
            }
            TraceKind::MqEnqueued { queue, persistent } => {
                let mode = if *persistent { "PERSISTENT" } else { "NON_PERSISTENT" };
                format!("{message} ({mode}) enqueued in {queue} on {here}")
            }
            TraceKind::MqRefused { reason } => format!("{here} refused {message}: {reason}"),
            TraceKind::MqUnroutable { destination } => {
                format!("{here}: {message} sent to {destination:?} matched no queue and was dropped")
            }
            TraceKind::MqDelivered { consumer, redelivered, delivery_count } => {
                let again = if *redelivered { format!(" (redelivered, delivery {delivery_count})") } else { String::new() };
                format!("{here} delivered {message} to {}{again}", name(*consumer))
            }
            TraceKind::MqAcknowledged { consumer } => {
                format!("{} acknowledged {message} on {here}", name(*consumer))
            }
            TraceKind::MqRedelivery { redeliveries, connection_lost } => {
                let why = if *connection_lost { "its consumer's connection dropped" } else { "its consumer failed it" };
                format!("{message} back in its queue on {here} unacknowledged ({why}); redelivery {redeliveries}")
            }
            TraceKind::MqDeadLettered { dlq, redeliveries } => {
                format!("{message} moved to {dlq} on {here} after {redeliveries} redeliveries")
            }
            TraceKind::MqMessageLost => {
                format!("{message} (NON_PERSISTENT) lost: the {here} instance holding it failed")
            }
            TraceKind::MqInstances { down, of } => format!("{here}: {down} of {of} instances down"),
            TraceKind::MqFailover { to_instance, done } => {
                if *done {
                    format!("{here}: instance {to_instance} is active; clients reconnected")
                } else {
                    format!("{here}: the active instance failed; failing over to instance {to_instance}")
                }
            }
            TraceKind::JobStateChanged { job, state, attempt, reason } => {
                let attempt = if *attempt > 0 { format!(" (attempt {attempt})") } else { String::new() };
                let why = reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default();
                format!("{here}: job {job} is {state}{attempt}{why}")
            }
            TraceKind::FlowRunChanged { execution, status, records, reason } => {
                let why = reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default();
                format!("{here}: run {execution} is {status} ({records} records read){why}")
            }
            TraceKind::FlowStatusChanged { status } => format!("{here} is now {status}"),
            TraceKind::FlowTriggerSkipped { reason } => {
                format!("{here}: a trigger started no run: {reason}")
            }
            TraceKind::BatchCapacity { change, instance, vcpus } => {
                format!("{here}: {change} (instance {instance}, {vcpus} vCPUs)")
            }
            TraceKind::WorkAbandoned { consumer } => format!(
                "{message} dropped by a stopped worker of {}; it stays in flight in {here} until its visibility timeout, then comes back",
                name(*consumer)
            ),
            TraceKind::StoredInBucket { bytes } => {
                format!("a {bytes}-byte payload stored in {here} by the extended client; a pointer is sent instead")
            }
        }
    }
}
