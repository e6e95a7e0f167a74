//! Fault injection: a timeline of windows in which a component stops, slows down or fails a
//! share of its requests.
//!
//! A fault names a component, a start and a duration in virtual time, and an effect. The
//! simulation applies it exactly at its start and lifts it exactly at its end (the window is
//! `[start, start + duration)`), through events of its own (`fault_runtime.rs`, a child module
//! of `sim`), and records both edges in the trace.
//!
//! | Component | `Stop` | `Slow` | `Fail` |
//! | --- | --- | --- | --- |
//! | consumer pool | `share` of its workers crash (one availability zone out of three: 1/3); messages in their hands stay in flight until their visibility timeout | processing time × `factor` | processing fails (the message is not deleted) |
//! | endpoint | deliveries find it down (SNS retries as for a 5xx) | answers take `factor` × its latency | deliveries get a server error (5xx) |
//! | state machine | every task state fails with `States.TaskFailed` | (not applicable) | that share of task states fails with `States.TaskFailed` |
//! | AppFlow flow | runs that start fail (the source cannot be reached) | (not applicable) | the destination refuses that share of records (error location, or the run fails with `failOnFirstDestinationError`) |
//! | Application Load Balancer | `share` of its target instances (at least one, the first ones) stop serving: connections to them are refused (502) and their health checks fail | the instances serve requests and answer health checks `factor` times slower | that share of requests (and health checks) finds its connection reset (502) |
//! | Batch compute environment | `share` of its instances (or Fargate tasks) are lost, their jobs' attempts fail (and are retried), and only `1 - share` of `maxvCpus` can run until the end | (not applicable) | that share of job attempts fails (a host error, retried) |
//!
//! Simplification: AWS has no such switch; AWS Fault Injection Service (FIS) offers
//! comparable actions (stop instances, throttle or fail API calls, disrupt an AZ's network).

use crate::model::{ComponentId, ComponentKind, Model, ModelIssue};
use crate::time::{SimDuration, SimTime};

/// What a fault does while it lasts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultEffect {
    /// The component stops; on a consumer pool, `share` (0 < share <= 1) of its workers.
    Stop { share: f64 },
    /// The component works `factor` times slower (factor >= 1).
    Slow { factor: f64 },
    /// The component fails `share` (0 < share <= 1) of its requests.
    Fail { share: f64 },
}

impl FaultEffect {
    /// The effect's name as the scenario file spells it.
    pub fn name(self) -> &'static str {
        match self {
            FaultEffect::Stop { .. } => "stop",
            FaultEffect::Slow { .. } => "slow",
            FaultEffect::Fail { .. } => "fail",
        }
    }

    /// The effect in words: "stops", "stops 33% of its workers", "runs 3x slower", ...
    pub fn describe(self) -> String {
        match self {
            FaultEffect::Stop { share } if share >= 1.0 => "stops".to_string(),
            FaultEffect::Stop { share } => {
                format!("loses {}% of its workers", percent(share))
            }
            FaultEffect::Slow { factor } => format!("runs {factor}x slower"),
            FaultEffect::Fail { share } => format!("fails {}% of its requests", percent(share)),
        }
    }
}

fn percent(share: f64) -> f64 {
    libm::round(share * 1_000.0) / 10.0
}

/// One fault of the scenario's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultSpec {
    pub component: ComponentId,
    /// From the start of the run.
    pub start: SimDuration,
    pub duration: SimDuration,
    pub effect: FaultEffect,
}

impl FaultSpec {
    pub fn end(&self) -> SimDuration {
        SimDuration(
            self.start
                .as_micros()
                .saturating_add(self.duration.as_micros()),
        )
    }

    /// Whether the window `[start, end)` holds `at`.
    pub fn active_at(&self, at: SimTime) -> bool {
        let at = at.as_micros();
        at >= self.start.as_micros() && at < self.end().as_micros()
    }
}

/// A fault window as a timeline draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultWindow {
    /// Index in [`Model::faults`].
    pub fault: usize,
    pub component: ComponentId,
    pub start: SimTime,
    pub end: SimTime,
    pub effect: FaultEffect,
}

/// Which effects a kind of component accepts, or None when it takes no faults.
fn accepted(kind: &ComponentKind) -> Option<&'static [&'static str]> {
    match kind {
        ComponentKind::Consumer(_)
        | ComponentKind::Endpoint(_)
        | ComponentKind::LoadBalancer(_) => Some(&["stop", "slow", "fail"]),
        ComponentKind::StateMachine(_) | ComponentKind::BatchComputeEnvironment(_) => {
            Some(&["stop", "fail"])
        }
        // A stop takes down broker instances (the share of the deployment's instances,
        // at least one).
        ComponentKind::Broker(_) => Some(&["stop"]),
        ComponentKind::Flow(_) => Some(&["stop", "fail"]),
        _ => None,
    }
}

impl Model {
    /// The fault windows, in the order of [`Model::faults`], for a timeline.
    pub fn fault_windows(&self) -> Vec<FaultWindow> {
        self.faults
            .iter()
            .enumerate()
            .map(|(fault, spec)| FaultWindow {
                fault,
                component: spec.component,
                start: SimTime::ZERO.saturating_add(spec.start),
                end: SimTime::ZERO.saturating_add(spec.end()),
                effect: spec.effect,
            })
            .collect()
    }

    /// The fault windows of one component.
    pub fn fault_windows_of(&self, component: ComponentId) -> Vec<FaultWindow> {
        let mut windows = self.fault_windows();
        windows.retain(|w| w.component == component);
        windows
    }

    /// Every problem of the fault timeline (fields `faults[i].<field>`).
    pub(crate) fn fault_issues(&self) -> Vec<ModelIssue> {
        let mut issues = Vec::new();
        for (index, fault) in self.faults.iter().enumerate() {
            let mut push = |field: &str, message: String| {
                issues.push(ModelIssue {
                    component: None,
                    alarm: None,
                    field: format!("faults[{index}].{field}"),
                    message,
                })
            };
            match self.components.get(fault.component) {
                None => push(
                    "component",
                    format!("{} is not a component", self.describe(fault.component)),
                ),
                Some(component) => match accepted(&component.kind) {
                    None => push(
                        "component",
                        format!(
                            "{} takes no faults; faults apply to consumer pools, endpoints, state machines, Batch compute environments, Amazon MQ brokers, AppFlow flows and Application Load Balancers",
                            self.describe(fault.component)
                        ),
                    ),
                    Some(effects) if !effects.contains(&fault.effect.name()) => push(
                        "effect",
                        format!(
                            "\"{}\" does not apply to {}; it takes {}",
                            fault.effect.name(),
                            self.describe(fault.component),
                            effects.join(", ")
                        ),
                    ),
                    Some(_) => {}
                },
            }
            if fault.duration.as_micros() == 0 {
                push(
                    "duration_seconds",
                    "0 s: a fault lasts more than 0 seconds".into(),
                );
            }
            match fault.effect {
                FaultEffect::Stop { share } | FaultEffect::Fail { share } => {
                    if !(share > 0.0 && share <= 1.0) {
                        push("share", format!("{share} is outside 0 (excluded)..=1"));
                    }
                    let is_pool = matches!(
                        self.components.get(fault.component).map(|c| &c.kind),
                        Some(
                            ComponentKind::Consumer(_)
                                | ComponentKind::BatchComputeEnvironment(_)
                                | ComponentKind::Broker(_)
                                | ComponentKind::LoadBalancer(_)
                        )
                    );
                    if matches!(fault.effect, FaultEffect::Stop { .. }) && share < 1.0 && !is_pool {
                        push(
                            "share",
                            format!("{share}: only a consumer pool, a Batch compute environment, an Amazon MQ broker or an Application Load Balancer stops a share of itself (its workers, instances in one availability zone, broker instances, or target instances); other components stop whole (share 1)"),
                        );
                    }
                }
                FaultEffect::Slow { factor } => {
                    if !(factor.is_finite() && (1.0..=1_000.0).contains(&factor)) {
                        push("factor", format!("{factor} is outside 1..=1000"));
                    }
                }
            }
        }
        issues
    }
}
