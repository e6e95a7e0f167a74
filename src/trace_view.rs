//! What the tracing panels show, free of DOM types so it tests natively: a message's
//! history on one timeline, the filtered event log (newest first) and the rows of a peek
//! into a queue.

use std::collections::{BTreeSet, HashSet};

use loosely_engine::{
    ComponentId, MessageId, PeekState, PeekedMessage, SimTime, TraceEvent, TraceKind,
};

/// Rows the event log renders at most (the newest ones): every frame redraws them, so few.
pub const LOG_ROWS: usize = 100;

/// Messages a peek lists at most.
pub const PEEK_LIMIT: usize = 100;

/// The short code of an event kind, as the log shows it and its filter offers it.
pub fn kind_code(kind: &TraceKind) -> &'static str {
    match kind {
        TraceKind::Sent { .. } => "Sent",
        TraceKind::Rejected { .. } => "Rejected",
        TraceKind::Deduplicated { .. } => "Deduplicated",
        TraceKind::Delayed { .. } => "Delayed",
        TraceKind::DelayEnded => "DelayEnded",
        TraceKind::Received { .. } => "Received",
        TraceKind::EmptyReceive { .. } => "EmptyReceive",
        TraceKind::CallFailed { .. } => "CallFailed",
        TraceKind::ProcessingFailed { .. } => "ProcessingFailed",
        TraceKind::Deleted { .. } => "Deleted",
        TraceKind::DeleteMissedReplica { .. } => "DeleteMissedReplica",
        TraceKind::DeleteIgnored { .. } => "DeleteIgnored",
        TraceKind::VisibilityExpired { .. } => "VisibilityExpired",
        TraceKind::VisibilityChanged { .. } => "VisibilityChanged",
        TraceKind::MovedToDlq { .. } => "MovedToDLQ",
        TraceKind::Expired { .. } => "Expired",
        TraceKind::Purged => "Purged",
        TraceKind::Redriven { .. } => "Redriven",
        TraceKind::MoveTaskStatus { .. } => "MoveTaskStatus",
        TraceKind::AlarmStateChanged { .. } => "AlarmStateChanged",
        TraceKind::Paused { .. } => "Paused",
        TraceKind::Updated => "Updated",
        TraceKind::Published { .. } => "Published",
        TraceKind::PublishRejected { .. } => "PublishRejected",
        TraceKind::FilteredOut { .. } => "FilteredOut",
        TraceKind::Delivered { .. } => "Delivered",
        TraceKind::DeliveryFailed { .. } => "DeliveryFailed",
        TraceKind::SubscriptionDeadLettered { .. } => "SubscriptionDeadLettered",
        TraceKind::NotificationDiscarded { .. } => "NotificationDiscarded",
        TraceKind::StoredInBucket { .. } => "StoredInBucket",
        TraceKind::ExecutionStarted { .. } => "ExecutionStarted",
        TraceKind::ExecutionDuplicated { .. } => "ExecutionDuplicated",
        TraceKind::ExecutionThrottled { .. } => "ExecutionThrottled",
        TraceKind::ExecutionRedriven { .. } => "ExecutionRedriven",
        TraceKind::ExecutionEnded { .. } => "ExecutionEnded",
        TraceKind::TaskTokenAnswered { .. } => "TaskTokenAnswered",
        TraceKind::LambdaInvoked { .. } => "LambdaInvoked",
        TraceKind::LambdaCompleted { .. } => "LambdaCompleted",
        TraceKind::LambdaThrottled { .. } => "LambdaThrottled",
        TraceKind::AsyncRetryScheduled { .. } => "AsyncRetryScheduled",
        TraceKind::AsyncEventFailed { .. } => "AsyncEventFailed",
        TraceKind::EventSourceScaled { .. } => "EventSourceScaled",
        TraceKind::ApiAnswered { .. } => "ApiAnswered",
        TraceKind::LoadBalancerAnswered { .. } => "LoadBalancerAnswered",
        TraceKind::TargetHealthChanged { .. } => "TargetHealthChanged",
        TraceKind::ClientRetry { .. } => "ClientRetry",
        TraceKind::ClientGaveUp { .. } => "ClientGaveUp",
        TraceKind::WsConnected { .. } => "WsConnected",
        TraceKind::WsRefused { .. } => "WsRefused",
        TraceKind::WsClosed { .. } => "WsClosed",
        TraceKind::WsMessage { .. } => "WsMessage",
        TraceKind::AutoScaled { .. } => "AutoScaled",
        TraceKind::FaultStarted { .. } => "FaultStarted",
        TraceKind::FaultEnded { .. } => "FaultEnded",
        TraceKind::WorkAbandoned { .. } => "WorkAbandoned",
        TraceKind::JobStateChanged { .. } => "JobStateChanged",
        TraceKind::BatchCapacity { .. } => "BatchCapacity",
        TraceKind::MqEnqueued { .. } => "MqEnqueued",
        TraceKind::MqRefused { .. } => "MqRefused",
        TraceKind::MqUnroutable { .. } => "MqUnroutable",
        TraceKind::MqDelivered { .. } => "MqDelivered",
        TraceKind::MqAcknowledged { .. } => "MqAcknowledged",
        TraceKind::MqRedelivery { .. } => "MqRedelivery",
        TraceKind::MqDeadLettered { .. } => "MqDeadLettered",
        TraceKind::MqMessageLost => "MqMessageLost",
        TraceKind::MqInstances { .. } => "MqInstances",
        TraceKind::MqFailover { .. } => "MqFailover",
        TraceKind::FlowRunChanged { .. } => "FlowRunChanged",
        TraceKind::FlowStatusChanged { .. } => "FlowStatusChanged",
        TraceKind::FlowTriggerSkipped { .. } => "FlowTriggerSkipped",
    }
}

/// The colour family of a kind (a CSS class suffix): how a step went for the message.
pub fn tone(kind: &TraceKind) -> &'static str {
    match kind {
        TraceKind::Sent { .. } | TraceKind::Published { .. } | TraceKind::Delayed { .. } => "start",
        TraceKind::Received { .. } | TraceKind::Delivered { .. } | TraceKind::DelayEnded => {
            "receive"
        }
        TraceKind::Deleted { .. } => "done",
        TraceKind::VisibilityExpired { .. }
        | TraceKind::ProcessingFailed { .. }
        | TraceKind::DeliveryFailed { .. }
        | TraceKind::DeleteMissedReplica { .. }
        | TraceKind::EmptyReceive { .. }
        | TraceKind::LambdaThrottled { .. }
        | TraceKind::AsyncRetryScheduled { .. }
        | TraceKind::ClientRetry { .. }
        | TraceKind::TargetHealthChanged { .. }
        | TraceKind::WsRefused { .. }
        | TraceKind::WorkAbandoned { .. }
        | TraceKind::FaultEnded { .. } => "warn",
        TraceKind::AsyncEventFailed { .. }
        | TraceKind::ClientGaveUp { .. }
        | TraceKind::FaultStarted { .. } => "bad",
        TraceKind::MovedToDlq { .. }
        | TraceKind::SubscriptionDeadLettered { .. }
        | TraceKind::NotificationDiscarded { .. }
        | TraceKind::Rejected { .. }
        | TraceKind::PublishRejected { .. }
        | TraceKind::CallFailed { .. }
        | TraceKind::Expired { .. }
        | TraceKind::Purged => "bad",
        _ => "other",
    }
}

/// Whether a kind starts a message's life (the first event a complete history holds).
fn starts_life(kind: &TraceKind) -> bool {
    matches!(
        kind,
        TraceKind::Sent { .. }
            | TraceKind::Published { .. }
            | TraceKind::Rejected { .. }
            | TraceKind::PublishRejected { .. }
            | TraceKind::Deduplicated { .. }
    )
}

/// One step of a message's history, or one row of the event log.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub time: SimTime,
    pub component: String,
    pub code: &'static str,
    pub tone: &'static str,
    pub sentence: String,
    pub message: Option<MessageId>,
}

fn step(event: &TraceEvent, name: &dyn Fn(ComponentId) -> String) -> Step {
    Step {
        time: event.time,
        component: name(event.component),
        code: kind_code(&event.kind),
        tone: tone(&event.kind),
        sentence: event.explain(name),
        message: event.message,
    }
}

/// Everything kept about one message, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    pub message: MessageId,
    /// True when the message's first events have left the buffer of recent events.
    pub truncated: bool,
    pub steps: Vec<Step>,
}

/// The history of `message` in `events` (oldest first). A visibility expiry also says how
/// long the visibility timeout was, measured from the receive before it.
pub fn history<'a>(
    events: impl IntoIterator<Item = &'a TraceEvent>,
    message: MessageId,
    name: &dyn Fn(ComponentId) -> String,
) -> History {
    let mut steps = Vec::new();
    let mut first_kind_starts = None;
    let mut last_receive: Option<SimTime> = None;
    for event in events {
        if event.message != Some(message) {
            continue;
        }
        first_kind_starts.get_or_insert(starts_life(&event.kind));
        let mut row = step(event, name);
        match &event.kind {
            TraceKind::Received { .. } => last_receive = Some(event.time),
            TraceKind::VisibilityExpired { .. } => {
                if let Some(received) = last_receive.take() {
                    let seconds = event.time.since(received).as_secs_f64();
                    row.sentence
                        .push_str(&format!("; it had been invisible for {seconds} seconds"));
                }
            }
            TraceKind::VisibilityChanged { .. } => last_receive = Some(event.time),
            _ => {}
        }
        steps.push(row);
    }
    History {
        message,
        truncated: first_kind_starts != Some(true),
        steps,
    }
}

/// The message a history opens on by itself (`?history=first`): the first one moved to a
/// dead-letter queue whose send is still kept, else the first one moved to a dead-letter
/// queue, else the first message seen.
pub fn first_message<'a>(events: impl IntoIterator<Item = &'a TraceEvent>) -> Option<MessageId> {
    let mut started = HashSet::new();
    let mut first_seen = None;
    let mut first_moved = None;
    for event in events {
        let Some(message) = event.message else {
            continue;
        };
        first_seen.get_or_insert(message);
        if starts_life(&event.kind) {
            started.insert(message);
        }
        if matches!(event.kind, TraceKind::MovedToDlq { .. }) {
            if started.contains(&message) {
                return Some(message);
            }
            first_moved.get_or_insert(message);
        }
    }
    first_moved.or(first_seen)
}

/// What the event log shows: one component, and a set of kind codes (empty: all).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogFilter {
    pub component: Option<ComponentId>,
    pub kinds: BTreeSet<&'static str>,
}

impl LogFilter {
    pub fn admits(&self, event: &TraceEvent) -> bool {
        self.component
            .is_none_or(|component| event.component == component)
            && (self.kinds.is_empty() || self.kinds.contains(kind_code(&event.kind)))
    }
}

/// The event log: how many kept events pass the filter, and the newest `limit` of them,
/// newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Log {
    pub matching: usize,
    pub rows: Vec<Step>,
}

pub fn log<'a>(
    events: impl DoubleEndedIterator<Item = &'a TraceEvent>,
    filter: &LogFilter,
    limit: usize,
    name: &dyn Fn(ComponentId) -> String,
) -> Log {
    let mut log = Log::default();
    for event in events.rev().filter(|event| filter.admits(event)) {
        log.matching += 1;
        if log.rows.len() < limit {
            log.rows.push(step(event, name));
        }
    }
    log
}

/// The kind codes present in `events`, sorted, for the filter's choices.
pub fn kinds_seen<'a>(events: impl IntoIterator<Item = &'a TraceEvent>) -> Vec<&'static str> {
    let seen: BTreeSet<&'static str> = events.into_iter().map(|e| kind_code(&e.kind)).collect();
    seen.into_iter().collect()
}

/// One message held by a queue, as the peek table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct PeekRow {
    pub id: MessageId,
    pub state: &'static str,
    pub sent_at: String,
    pub receive_count: u32,
    /// When a delayed or in-flight message becomes visible; empty for visible ones.
    pub visible_at: String,
    pub group: String,
    pub size: String,
}

/// A size in bytes as the console shows it (bytes below 1 KiB, else KiB with one decimal).
pub fn format_size(bytes: u32) -> String {
    if bytes < 1_024 {
        format!("{bytes} bytes")
    } else {
        format!("{:.1} KiB", f64::from(bytes) / 1_024.0)
    }
}

pub fn peek_row(message: &PeekedMessage) -> PeekRow {
    let (state, visible_at) = match message.state {
        PeekState::Delayed { until } => ("delayed", until.to_string()),
        PeekState::Visible => ("visible", String::new()),
        PeekState::InFlight { until } => ("in flight", until.to_string()),
    };
    PeekRow {
        id: message.id,
        state,
        sent_at: message.sent_at.to_string(),
        receive_count: message.receive_count,
        visible_at,
        group: message.group.clone().unwrap_or_default(),
        size: format_size(message.size),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(id: ComponentId) -> String {
        ["orders", "orders-dlq", "workers"]
            .get(id)
            .map(|name| name.to_string())
            .unwrap_or_default()
    }

    fn at(seconds: u64, message: u64, kind: TraceKind) -> TraceEvent {
        TraceEvent {
            time: SimTime::from_secs(seconds),
            component: 0,
            message: Some(MessageId(message)),
            kind,
        }
    }

    fn received(count: u32, seconds: u64) -> TraceKind {
        TraceKind::Received {
            consumer: 2,
            receive_count: count,
            visible_again_at: SimTime::from_secs(seconds + 30),
        }
    }

    fn dead_lettered() -> Vec<TraceEvent> {
        vec![
            at(
                1,
                7,
                TraceKind::Sent {
                    producer: None,
                    size: 512,
                    group: None,
                },
            ),
            at(
                2,
                8,
                TraceKind::Sent {
                    producer: None,
                    size: 512,
                    group: None,
                },
            ),
            at(3, 7, received(1, 3)),
            at(33, 7, TraceKind::VisibilityExpired { receive_count: 1 }),
            at(34, 7, received(2, 34)),
            at(64, 7, TraceKind::VisibilityExpired { receive_count: 2 }),
            at(
                65,
                7,
                TraceKind::MovedToDlq {
                    dlq: 1,
                    receive_count: 2,
                    max_receive_count: 2,
                },
            ),
        ]
    }

    #[test]
    fn a_history_holds_one_message_in_order_and_says_why() {
        let events = dead_lettered();
        let history = history(&events, MessageId(7), &name);
        assert!(!history.truncated);
        let codes: Vec<_> = history.steps.iter().map(|s| s.code).collect();
        assert_eq!(
            codes,
            [
                "Sent",
                "Received",
                "VisibilityExpired",
                "Received",
                "VisibilityExpired",
                "MovedToDLQ"
            ]
        );
        assert!(
            history.steps[2]
                .sentence
                .ends_with("; it had been invisible for 30 seconds"),
            "{}",
            history.steps[2].sentence
        );
        assert_eq!(
            history.steps[5].sentence,
            "m-7 moved to orders-dlq: received 2 times, maxReceiveCount is 2"
        );
        assert_eq!(history.steps[5].tone, "bad");
        assert_eq!(history.steps[0].component, "orders");
    }

    #[test]
    fn a_history_whose_start_left_the_buffer_says_so() {
        let events = dead_lettered();
        assert!(history(&events[2..], MessageId(7), &name).truncated);
        let nothing = history(&events, MessageId(99), &name);
        assert!(nothing.truncated && nothing.steps.is_empty());
    }

    #[test]
    fn the_first_message_prefers_a_dead_lettered_one() {
        let events = dead_lettered();
        assert_eq!(first_message(&events), Some(MessageId(7)));
        // m-7 without its send, then m-8 dead-lettered with its send kept: m-8 wins.
        let mut later = events[1..].to_vec();
        later.push(at(
            90,
            8,
            TraceKind::MovedToDlq {
                dlq: 1,
                receive_count: 3,
                max_receive_count: 3,
            },
        ));
        assert_eq!(first_message(&later), Some(MessageId(8)));
        assert_eq!(first_message(&later[..later.len() - 1]), Some(MessageId(7)));
        assert_eq!(first_message(&events[1..2]), Some(MessageId(8)));
        assert_eq!(first_message(&events[..0]), None);
    }

    #[test]
    fn the_log_is_newest_first_filtered_and_capped() {
        let mut events = dead_lettered();
        events.push(TraceEvent {
            time: SimTime::from_secs(70),
            component: 1,
            message: None,
            kind: TraceKind::Updated,
        });
        let all = log(events.iter(), &LogFilter::default(), 3, &name);
        assert_eq!(all.matching, 8);
        assert_eq!(all.rows.len(), 3);
        assert_eq!(all.rows[0].code, "Updated");
        assert_eq!(all.rows[0].component, "orders-dlq");
        assert!(all.rows.windows(2).all(|pair| pair[0].time >= pair[1].time));
        let received = LogFilter {
            component: Some(0),
            kinds: BTreeSet::from(["Received"]),
        };
        let only = log(events.iter(), &received, 10, &name);
        assert_eq!(only.matching, 2);
        assert!(only.rows.iter().all(|row| row.code == "Received"));
        let dlq = LogFilter {
            component: Some(1),
            kinds: BTreeSet::new(),
        };
        assert_eq!(log(events.iter(), &dlq, 10, &name).matching, 1);
        assert_eq!(
            kinds_seen(&events),
            [
                "MovedToDLQ",
                "Received",
                "Sent",
                "Updated",
                "VisibilityExpired"
            ]
        );
    }

    #[test]
    fn peek_rows_read_like_the_console() {
        let message = PeekedMessage {
            id: MessageId(3),
            state: PeekState::InFlight {
                until: SimTime::from_secs(90),
            },
            receive_count: 2,
            group: Some("customer-1".into()),
            size: 2_048,
            sent_at: SimTime::from_secs(5),
            arrived_at: SimTime::from_secs(5),
            body: None,
            message_deduplication_id: None,
        };
        let row = peek_row(&message);
        assert_eq!(row.state, "in flight");
        assert_eq!(row.visible_at, SimTime::from_secs(90).to_string());
        assert_eq!(row.size, "2.0 KiB");
        assert_eq!(row.group, "customer-1");
        assert_eq!(format_size(512), "512 bytes");
        let visible = peek_row(&PeekedMessage {
            state: PeekState::Visible,
            ..message
        });
        assert_eq!(visible.visible_at, "");
    }
}
