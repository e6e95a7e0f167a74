//! EC2 Auto Scaling of a consumer pool on a queue metric, without simulation state.
//!
//! Modelled: `MinSize`, `MaxSize`, the desired capacity (the pool's `workers`), instance
//! warm-up (a new instance consumes only after it), a cooldown after each scaling activity,
//! and two policies on the source queue's `ApproximateNumberOfMessagesVisible`, or on the
//! backlog per instance AWS recommends (visible messages divided by the running instances):
//! target tracking (capacity proportional to metric / target) and step scaling
//! (`ChangeInCapacity` steps on the metric's distance from an alarm threshold).
//!
//! Simplified: the policy is evaluated once per 60-second period on the metric at that
//! moment; target tracking scales in as fast as it scales out (AWS scales in more slowly);
//! instances never fail health checks.

use crate::time::SimDuration;

/// The queue metric a policy follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalingMetric {
    /// `ApproximateNumberOfMessagesVisible` of the source queue.
    VisibleMessages,
    /// Visible messages per running instance (the metric math AWS recommends).
    BacklogPerInstance,
}

/// One step of a step scaling policy: when `lower <= metric - threshold < upper`, change the
/// capacity by `adjustment`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepAdjustment {
    /// `MetricIntervalLowerBound`; `None` is minus infinity.
    pub lower: Option<f64>,
    /// `MetricIntervalUpperBound`; `None` is plus infinity.
    pub upper: Option<f64>,
    /// `ScalingAdjustment`, instances (`ChangeInCapacity`).
    pub adjustment: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ScalingPolicy {
    /// Keeps the metric near `target_value`.
    TargetTracking {
        metric: ScalingMetric,
        target_value: f64,
    },
    /// Adds or removes instances by the step that contains `metric - threshold`.
    StepScaling {
        metric: ScalingMetric,
        threshold: f64,
        steps: Vec<StepAdjustment>,
    },
}

/// An Auto Scaling group around a consumer pool.
#[derive(Clone, Debug, PartialEq)]
pub struct AutoScalingSpec {
    pub min_size: u32,
    pub max_size: u32,
    /// `DefaultInstanceWarmup`: a new instance starts consuming this long after launch.
    pub instance_warmup: SimDuration,
    /// `DefaultCooldown`: no scaling activity for this long after one.
    pub cooldown: SimDuration,
    pub policy: ScalingPolicy,
}

/// How often the policy is evaluated (one CloudWatch period).
pub const EVALUATION_PERIOD: SimDuration = SimDuration::from_millis(60_000);

impl ScalingPolicy {
    pub fn metric(&self) -> ScalingMetric {
        match self {
            ScalingPolicy::TargetTracking { metric, .. }
            | ScalingPolicy::StepScaling { metric, .. } => *metric,
        }
    }
}

/// The metric's value for `visible` messages and `running` instances.
pub fn metric_value(metric: ScalingMetric, visible: u32, running: u32) -> f64 {
    match metric {
        ScalingMetric::VisibleMessages => f64::from(visible),
        ScalingMetric::BacklogPerInstance => f64::from(visible) / f64::from(running.max(1)),
    }
}

/// The capacity a policy asks for, within `MinSize..=MaxSize`.
pub fn desired_capacity(spec: &AutoScalingSpec, current: u32, value: f64) -> u32 {
    let wanted = match &spec.policy {
        ScalingPolicy::TargetTracking { target_value, .. } => {
            if *target_value <= 0.0 {
                i64::from(current)
            } else {
                (f64::from(current.max(1)) * value / target_value).ceil() as i64
            }
        }
        ScalingPolicy::StepScaling {
            threshold, steps, ..
        } => {
            let distance = value - threshold;
            let step = steps.iter().find(|step| {
                step.lower.is_none_or(|lower| distance >= lower)
                    && step.upper.is_none_or(|upper| distance < upper)
            });
            i64::from(current) + i64::from(step.map(|s| s.adjustment).unwrap_or(0))
        }
    };
    wanted.clamp(
        i64::from(spec.min_size),
        i64::from(spec.max_size.max(spec.min_size)),
    ) as u32
}
