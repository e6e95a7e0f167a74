//! The small live badges on a node: a queue's depth and in-flight count, messages it sent
//! to its dead-letter queue, and errors wherever they happen. Pure data, tested natively;
//! the canvas draws them as pills along the node's top edge.

use loosely_engine::ComponentStats;

/// What a badge counts, which picks its colour (the CSS class `badge-{kind}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadgeKind {
    Depth,
    InFlight,
    DeadLetters,
    Errors,
}

impl BadgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BadgeKind::Depth => "depth",
            BadgeKind::InFlight => "in-flight",
            BadgeKind::DeadLetters => "dlq",
            BadgeKind::Errors => "errors",
        }
    }
}

/// One badge: a short text on the node and a sentence on hover.
#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    pub kind: BadgeKind,
    pub text: String,
    pub title: String,
}

/// A badge showing `count` followed by `label`, when `count` is not zero; its title is the
/// exact count followed by `what`.
fn counted(kind: BadgeKind, count: u64, label: &str, what: &str) -> Option<Badge> {
    (count > 0).then(|| {
        badge(
            kind,
            format!("{} {label}", short_count(count)),
            format!("{count} {what}"),
        )
    })
}

fn badge(kind: BadgeKind, text: String, title: String) -> Badge {
    Badge { kind, text, title }
}

/// The most target instances drawn on a load balancer's node; more are summed up as "+n".
pub const TARGET_MARKS: usize = 14;

/// One instance of a load balancer's target group as the node draws it: a small box whose
/// shape says its health besides its colour (healthy: filled; unhealthy: crossed; initial:
/// dashed outline; draining: half filled), and a sentence on hover.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetMark {
    /// The CSS class and shape: `healthy`, `unhealthy`, `initial` or `draining`.
    pub state: &'static str,
    pub title: String,
}

/// The registered and draining instances of a load balancer (deregistered ones are not
/// drawn), at most [`TARGET_MARKS`], and how many more there are.
pub fn target_marks(stats: &loosely_engine::LoadBalancerStats) -> (Vec<TargetMark>, usize) {
    let shown: Vec<TargetMark> = stats
        .targets
        .iter()
        .enumerate()
        .filter(|(_, t)| t.state != loosely_engine::alb::TargetState::Unused)
        .map(|(index, t)| {
            let mut title = format!("instance {}: {}", index + 1, t.state.as_str());
            if !t.reason.is_empty() {
                title.push_str(&format!(" ({})", t.reason));
            }
            title.push_str(&format!(
                ", {} in progress, {} waiting, {} routed in all",
                t.serving, t.backlog, t.routed
            ));
            if t.down {
                title.push_str("; stopped by a fault");
            }
            TargetMark {
                state: t.state.as_str(),
                title,
            }
        })
        .collect();
    let more = shown.len().saturating_sub(TARGET_MARKS);
    (shown.into_iter().take(TARGET_MARKS).collect(), more)
}

/// Counts shown as they are up to 9,999, then in thousands (12.3k) and millions.
pub fn short_count(count: u64) -> String {
    match count {
        0..=9_999 => count.to_string(),
        10_000..=999_999 => format!("{:.1}k", count as f64 / 1_000.0),
        _ => format!("{:.1}M", count as f64 / 1_000_000.0),
    }
}

/// An errors badge when `errors` is above zero.
fn errors(errors: u64, what: &str) -> Option<Badge> {
    counted(BadgeKind::Errors, errors, "err", what)
}

/// The badges of a component, in the order they are drawn from the right.
pub fn badges(stats: &ComponentStats) -> Vec<Badge> {
    let mut out = Vec::new();
    match stats {
        ComponentStats::Queue(q) => {
            out.push(badge(
                BadgeKind::Depth,
                short_count(u64::from(q.visible)),
                format!(
                    "ApproximateNumberOfMessagesVisible: {} (the queue's depth)",
                    q.visible
                ),
            ));
            if q.in_flight > 0 {
                out.push(badge(
                    BadgeKind::InFlight,
                    format!("{} ✈", short_count(u64::from(q.in_flight))),
                    format!(
                        "ApproximateNumberOfMessagesNotVisible: {} received and not yet deleted",
                        q.in_flight
                    ),
                ));
            }
            if q.moved_to_dlq > 0 {
                out.push(badge(
                    BadgeKind::DeadLetters,
                    format!("{} → DLQ", short_count(q.moved_to_dlq)),
                    format!(
                        "{} messages moved to the dead-letter queue after maxReceiveCount receives",
                        q.moved_to_dlq
                    ),
                ));
            }
            if q.dead_lettered_here > 0 {
                out.push(badge(
                    BadgeKind::DeadLetters,
                    format!("{} DLQ", short_count(q.dead_lettered_here)),
                    format!(
                        "{} messages arrived here through a source queue's redrive policy",
                        q.dead_lettered_here
                    ),
                ));
            }
            out.extend(errors(
                q.throttled,
                "requests throttled (ThrottlingException / RequestThrottled)",
            ));
        }
        ComponentStats::Producer(p) => out.extend(errors(
            p.rejected + p.throttled,
            "sends rejected or throttled",
        )),
        ComponentStats::Consumer(c) => out.extend(errors(
            c.failed,
            "messages whose processing failed (they come back after the visibility timeout)",
        )),
        ComponentStats::Topic(t) => {
            out.extend(counted(
                BadgeKind::DeadLetters,
                t.redriven_to_dlq,
                "→ DLQ",
                "deliveries moved to a subscription's dead-letter queue",
            ));
            out.extend(errors(
                t.failed + t.rejected + t.throttled,
                "deliveries that failed for good, or publishes rejected or throttled",
            ));
        }
        ComponentStats::Endpoint(e) => out.extend(errors(
            e.server_errors + e.client_errors,
            "deliveries answered with an error (5xx or 4xx)",
        )),
        ComponentStats::Bucket(_) => {}
        ComponentStats::StateMachine(m) => {
            out.extend(counted(
                BadgeKind::InFlight,
                m.duplicated,
                "ran twice",
                "executions ran a second time: Express is at-least-once (the rate is the scenario's DuplicateExecutionProbability; AWS publishes none)",
            ));
            out.extend(errors(
                m.failed + m.timed_out + m.aborted + m.throttled,
                "executions failed, timed out or aborted, or starts throttled",
            ));
        }
        ComponentStats::Lambda(l) => out.extend(errors(
            l.errors + l.throttles,
            "invocations that failed (Errors) or were throttled (Throttles)",
        )),
        ComponentStats::Api(loosely_engine::ApiStats {
            websocket: Some(w), ..
        }) => {
            out.push(badge(
                BadgeKind::Depth,
                format!("{} conn", short_count(w.open_connections)),
                format!("{} WebSocket connections open", w.open_connections),
            ));
            out.extend(errors(
                w.client_errors + w.integration_errors + w.execution_errors,
                "WebSocket requests that failed: refused by the gateway (ClientError), answered with an error by the integration (IntegrationError) or unanswered (ExecutionError)",
            ));
        }
        ComponentStats::Api(a) => out.extend(errors(
            a.errors_4xx + a.errors_5xx,
            "requests answered 4XX (throttled, unauthorized, blocked) or 5XX",
        )),
        ComponentStats::BatchJobQueue(q) => {
            if q.runnable > 0 {
                out.push(badge(
                    BadgeKind::Depth,
                    format!("{} RUNNABLE", short_count(q.runnable)),
                    format!("{} jobs RUNNABLE, waiting for capacity", q.runnable),
                ));
            }
            out.extend(errors(q.failed, "jobs FAILED (after their retry strategy)"));
        }
        ComponentStats::BatchComputeEnvironment(e) => out.extend(errors(
            e.interruptions,
            "Spot interruptions (their attempts are retried)",
        )),
        ComponentStats::Clients(c) => out.extend(errors(
            c.failed + c.timed_out,
            "requests that failed for good or timed out after their retries",
        )),
        ComponentStats::Broker(b) => out.extend(broker_badges(b)),
        ComponentStats::LoadBalancer(l) => out.extend(errors(
            l.target_5xx + l.elb_502 + l.elb_503 + l.elb_504,
            "5XX answers (from the targets and the load balancer's own 502, 503 and 504)",
        )),
        ComponentStats::Flow(f) => {
            if let Some(last) = f.last_run {
                out.push(badge(
                    BadgeKind::Depth,
                    format!("{} rec", short_count(f.last_records_processed)),
                    format!(
                        "last run {}: {} records processed",
                        last.as_str(),
                        f.last_records_processed
                    ),
                ));
            }
            if f.flow_status == Some(loosely_engine::FlowStatus::Suspended) {
                out.push(badge(
                    BadgeKind::Errors,
                    "Suspended".to_string(),
                    format!(
                        "deactivated after {} consecutive failed runs; Run flow activates it",
                        f.consecutive_failures
                    ),
                ));
            } else {
                out.extend(errors(f.runs_failed, "flow runs that ended in Error"));
            }
        }
    }
    out
}

/// A broker's badges: which instance is active (or the failover in progress), the depth
/// and unacknowledged messages of its queues, dead letters and lost messages.
fn broker_badges(b: &loosely_engine::BrokerStats) -> Vec<Badge> {
    let mut out = Vec::new();
    let ready: u64 = b.queues.iter().map(|q| q.ready).sum();
    let unacked: u64 = b.queues.iter().map(|q| q.unacknowledged).sum();
    let depths: Vec<String> = b
        .queues
        .iter()
        .map(|q| {
            format!(
                "{}: {} ready, {} unacknowledged",
                q.name, q.ready, q.unacknowledged
            )
        })
        .collect();
    out.push(badge(
        BadgeKind::Depth,
        short_count(ready),
        format!(
            "messages ready in the broker's queues ({})",
            depths.join("; ")
        ),
    ));
    if unacked > 0 {
        out.push(badge(
            BadgeKind::InFlight,
            format!("{} ✈", short_count(unacked)),
            format!("{unacked} messages dispatched and not yet acknowledged"),
        ));
    }
    if b.deployment_mode == "ACTIVE_STANDBY_MULTI_AZ" {
        let (text, title) = if b.failover_in_progress {
            (
                "failover".to_string(),
                format!(
                    "the active instance failed; clients are reconnecting to instance {}",
                    3 - b.active_instance
                ),
            )
        } else {
            (
                format!("active {}", b.active_instance),
                format!(
                    "instance {} is active, the other is the standby",
                    b.active_instance
                ),
            )
        };
        out.push(badge(
            if b.failover_in_progress {
                BadgeKind::Errors
            } else {
                BadgeKind::Depth
            },
            text,
            title,
        ));
    } else if b.instances_down > 0 {
        out.push(badge(
            BadgeKind::Errors,
            format!("{} down", b.instances_down),
            format!(
                "{} broker instances or nodes down ({})",
                b.instances_down,
                if b.available {
                    "still serving"
                } else {
                    "unreachable"
                }
            ),
        ));
    }
    if b.census.dead_lettered > 0 {
        out.push(badge(
            BadgeKind::DeadLetters,
            format!("{} DLQ", short_count(b.census.dead_lettered)),
            format!(
                "{} messages dead-lettered after the redelivery limit",
                b.census.dead_lettered
            ),
        ));
    }
    out.extend(errors(
        b.census.lost + b.census.refused,
        "messages lost (non-persistent, at a failure) or sends refused while unreachable",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_engine::{ConsumerStats, QueueStats};

    #[test]
    fn a_queue_always_shows_its_depth_and_the_rest_when_there_is_some() {
        let quiet = badges(&ComponentStats::Queue(QueueStats::default()));
        assert_eq!(quiet.len(), 1);
        assert_eq!(quiet[0].kind, BadgeKind::Depth);
        assert_eq!(quiet[0].text, "0");

        let busy = badges(&ComponentStats::Queue(QueueStats {
            visible: 12_345,
            in_flight: 7,
            moved_to_dlq: 3,
            throttled: 2,
            ..QueueStats::default()
        }));
        let kinds: Vec<BadgeKind> = busy.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BadgeKind::Depth,
                BadgeKind::InFlight,
                BadgeKind::DeadLetters,
                BadgeKind::Errors
            ]
        );
        assert_eq!(busy[0].text, "12.3k");
        assert_eq!(busy[2].text, "3 → DLQ");
        assert!(busy[2].title.contains("maxReceiveCount"));
        assert_eq!(busy[3].text, "2 err");
    }

    #[test]
    fn a_pool_shows_errors_only_when_processing_failed() {
        assert!(badges(&ComponentStats::Consumer(ConsumerStats::default())).is_empty());
        let failing = badges(&ComponentStats::LoadBalancer(
            loosely_engine::LoadBalancerStats {
                elb_502: 3,
                target_5xx: 2,
                ..Default::default()
            },
        ));
        assert_eq!(failing.len(), 1);
        assert_eq!(failing[0].text, "5 err");
        let failing = badges(&ComponentStats::Consumer(ConsumerStats {
            failed: 4,
            ..ConsumerStats::default()
        }));
        assert_eq!(failing.len(), 1);
        assert_eq!(failing[0].kind, BadgeKind::Errors);
        assert_eq!(failing[0].text, "4 err");
    }

    #[test]
    fn counts_are_short() {
        assert_eq!(short_count(9_999), "9999");
        assert_eq!(short_count(10_000), "10.0k");
        assert_eq!(short_count(2_500_000), "2.5M");
    }

    #[test]
    fn target_marks_show_each_instance_by_state_and_skip_deregistered_ones() {
        use loosely_engine::alb::TargetState;
        use loosely_engine::{LoadBalancerStats, TargetStats};
        let target = |state, reason, down| TargetStats {
            state,
            reason,
            outstanding: 0,
            serving: 1,
            backlog: 0,
            routed: 7,
            down,
        };
        let stats = LoadBalancerStats {
            targets: vec![
                target(TargetState::Healthy, "", false),
                target(TargetState::Unhealthy, "Target.FailedHealthChecks", true),
                target(TargetState::Unused, "Target.NotRegistered", false),
                target(
                    TargetState::Draining,
                    "Target.DeregistrationInProgress",
                    false,
                ),
                target(TargetState::Initial, "Elb.RegistrationInProgress", false),
            ],
            ..LoadBalancerStats::default()
        };
        let (marks, more) = target_marks(&stats);
        let states: Vec<&str> = marks.iter().map(|m| m.state).collect();
        assert_eq!(states, ["healthy", "unhealthy", "draining", "initial"]);
        assert_eq!(more, 0);
        assert_eq!(
            marks[1].title,
            "instance 2: unhealthy (Target.FailedHealthChecks), 1 in progress, 0 waiting, 7 routed in all; stopped by a fault"
        );
        let many = LoadBalancerStats {
            targets: vec![target(TargetState::Healthy, "", false); 20],
            ..LoadBalancerStats::default()
        };
        let (marks, more) = target_marks(&many);
        assert_eq!((marks.len(), more), (TARGET_MARKS, 20 - TARGET_MARKS));
    }
}
