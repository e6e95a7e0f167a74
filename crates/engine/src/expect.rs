//! Expectations: what a scenario promises about its run ("by 5 min the DLQ holds exactly 3
//! messages", "no message is received twice", "p99 latency under 2 s", "cost under $1"),
//! judged from the simulation's counters without walking its messages, so a caller can
//! judge them every frame.
//!
//! An expectation is judged at its time `at`: before it, it is pending, except that an upper
//! bound on a figure that only grows (sent, deleted, moved to a DLQ, received more than once,
//! cost) fails as soon as the figure passes it. From `at` on, [`evaluate`] judges the figure
//! as it is now; [`Judge`] keeps the first verdict given at or after `at`, so a caller that
//! runs to each [`Judge::next_time`] in turn records the figure at exactly that time.

use crate::sim::{ComponentStats, Simulation};
use crate::time::{format_clock, SimTime};
use crate::trace::MessageId;
use crate::ComponentId;

/// What an expectation measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Messages a queue holds (visible, in flight and delayed): `ApproximateNumberOfMessages*`.
    QueueDepth(ComponentId),
    /// Messages received more than once, of one queue or of all.
    Redelivered(Option<ComponentId>),
    /// Messages accepted by one queue, or send attempts of the whole scenario.
    Sent(Option<ComponentId>),
    /// Messages deleted from one queue or from all.
    Deleted(Option<ComponentId>),
    /// Messages moved to a dead-letter queue by the redrive policy of one queue or of all.
    MovedToDlq(Option<ComponentId>),
    /// The 50th percentile of send-to-delete latency of one consumer pool, or the worst pool's.
    LatencyP50(Option<ComponentId>),
    /// The 99th percentile of send-to-delete latency, seconds.
    LatencyP99(Option<ComponentId>),
    /// The scenario's cost so far, US dollars.
    CostUsd,
}

impl Measure {
    /// Whether the figure never decreases as the run goes on.
    fn only_grows(self) -> bool {
        matches!(
            self,
            Measure::Redelivered(_)
                | Measure::Sent(_)
                | Measure::Deleted(_)
                | Measure::MovedToDlq(_)
                | Measure::CostUsd
        )
    }
}

/// How the figure compares with the bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    Equals,
    AtMost,
    AtLeast,
    Below,
    Above,
}

impl Bound {
    fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            // Counts are integers; money and seconds compare within a micro-unit.
            Bound::Equals => (value - threshold).abs() < 1e-6,
            Bound::AtMost => value <= threshold,
            Bound::AtLeast => value >= threshold,
            Bound::Below => value < threshold,
            Bound::Above => value > threshold,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Bound::Equals => "exactly",
            Bound::AtMost => "at most",
            Bound::AtLeast => "at least",
            Bound::Below => "below",
            Bound::Above => "above",
        }
    }

    /// An upper bound, which a growing figure can break before the time comes.
    fn is_upper(self) -> bool {
        matches!(self, Bound::AtMost | Bound::Below)
    }
}

/// One expectation, lowered.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpectationSpec {
    /// Shown with the verdict; may be empty.
    pub label: String,
    pub measure: Measure,
    pub bound: Bound,
    pub threshold: f64,
    /// When it is judged.
    pub at: SimTime,
}

/// Where an expectation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictState {
    Pending,
    Pass,
    Fail,
}

/// The verdict on one expectation.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub state: VerdictState,
    /// The measured figure when judged.
    pub value: f64,
    /// When it was judged (the simulation's clock).
    pub judged_at: SimTime,
    /// One sentence: what was measured, the figure, the bound and the verdict.
    pub sentence: String,
    /// For a failure, the messages that broke it where the simulation keeps them (messages
    /// received more than once; messages moved to a dead-letter queue).
    pub messages: Vec<MessageId>,
}

fn sum_queues(
    sim: &Simulation,
    only: Option<ComponentId>,
    field: fn(&crate::QueueCounts) -> u64,
) -> f64 {
    let mut total = 0u64;
    for component in 0..sim.model().components.len() {
        if only.is_some_and(|only| only != component) {
            continue;
        }
        if let Some(counts) = sim.queue_counts(component) {
            total += field(&counts);
        }
    }
    total as f64
}

fn worst_latency(sim: &Simulation, only: Option<ComponentId>, p99: bool) -> f64 {
    let mut worst = 0.0f64;
    for component in 0..sim.model().components.len() {
        if only.is_some_and(|only| only != component) {
            continue;
        }
        // Only pools: `stats` of a queue would walk its retention log.
        let is_pool = matches!(
            sim.model().components.get(component).map(|c| &c.kind),
            Some(crate::ComponentKind::Consumer(_))
        );
        if !is_pool {
            continue;
        }
        if let Some(ComponentStats::Consumer(stats)) = sim.stats(component) {
            if stats.latency.count > 0 {
                worst = worst.max(if p99 {
                    stats.latency.p99
                } else {
                    stats.latency.p50
                });
            }
        }
    }
    worst
}

/// The figure an expectation measures, now.
pub fn measure(sim: &Simulation, measure: Measure) -> f64 {
    match measure {
        Measure::QueueDepth(queue) => match sim.queue_counts(queue) {
            Some(counts) => {
                f64::from(counts.visible) + f64::from(counts.in_flight) + f64::from(counts.delayed)
            }
            None => 0.0,
        },
        Measure::Redelivered(queue) => sum_queues(sim, queue, |s| s.redelivered),
        Measure::Sent(None) => sim.census().sent as f64,
        Measure::Sent(queue) => sum_queues(sim, queue, |s| s.sent),
        Measure::Deleted(queue) => sum_queues(sim, queue, |s| s.deleted),
        Measure::MovedToDlq(queue) => sum_queues(sim, queue, |s| s.moved_to_dlq),
        Measure::LatencyP50(pool) => worst_latency(sim, pool, false),
        Measure::LatencyP99(pool) => worst_latency(sim, pool, true),
        Measure::CostUsd => sim.cost().total_usd,
    }
}

fn describe(sim: &Simulation, measure: Measure) -> String {
    let of = |component: Option<ComponentId>, all: &str| match component {
        Some(component) => sim.component_name(component).to_string(),
        None => all.to_string(),
    };
    match measure {
        Measure::QueueDepth(queue) => format!("messages held by {}", sim.component_name(queue)),
        Measure::Redelivered(queue) => {
            format!(
                "messages received more than once from {}",
                of(queue, "any queue")
            )
        }
        Measure::Sent(queue) => format!("messages sent to {}", of(queue, "any queue")),
        Measure::Deleted(queue) => format!("messages deleted from {}", of(queue, "any queue")),
        Measure::MovedToDlq(queue) => {
            format!(
                "messages moved to a dead-letter queue from {}",
                of(queue, "any queue")
            )
        }
        Measure::LatencyP50(pool) => {
            format!(
                "p50 latency (seconds) of {}",
                of(pool, "the slowest consumer pool")
            )
        }
        Measure::LatencyP99(pool) => {
            format!(
                "p99 latency (seconds) of {}",
                of(pool, "the slowest consumer pool")
            )
        }
        Measure::CostUsd => "cost (USD)".to_string(),
    }
}

fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.4}")
    }
}

/// The messages behind a failure, where the simulation keeps them.
fn evidence(sim: &Simulation, measure: Measure) -> Vec<MessageId> {
    match measure {
        Measure::Redelivered(queue) => sim
            .redeliveries()
            .iter()
            .filter(|(from, _)| queue.is_none_or(|queue| queue == *from))
            .map(|&(_, message)| message)
            .collect(),
        Measure::MovedToDlq(queue) => sim
            .dead_letters()
            .iter()
            .filter(|record| queue.is_none_or(|queue| queue == record.source))
            .map(|record| record.message)
            .collect(),
        Measure::QueueDepth(queue) => sim
            .dead_letters()
            .iter()
            .filter(|record| record.dlq == queue)
            .map(|record| record.message)
            .collect(),
        _ => Vec::new(),
    }
}

/// Judges one expectation against the simulation as it is now.
pub fn judge(sim: &Simulation, spec: &ExpectationSpec) -> Verdict {
    let now = sim.now();
    let value = measure(sim, spec.measure);
    let holds = spec.bound.holds(value, spec.threshold);
    let broken_early = spec.measure.only_grows() && spec.bound.is_upper() && !holds;
    let state = if now >= spec.at || broken_early {
        if holds {
            VerdictState::Pass
        } else {
            VerdictState::Fail
        }
    } else {
        VerdictState::Pending
    };
    let label = if spec.label.is_empty() {
        String::new()
    } else {
        format!("{}: ", spec.label)
    };
    let verdict = match state {
        VerdictState::Pending => format!("pending until {}", format_clock(spec.at.as_micros())),
        VerdictState::Pass => "pass".to_string(),
        VerdictState::Fail => "FAIL".to_string(),
    };
    let sentence = format!(
        "{label}{} is {} at {}; expected {} {} by {}: {verdict}",
        describe(sim, spec.measure),
        format_value(value),
        format_clock(now.as_micros()),
        spec.bound.words(),
        format_value(spec.threshold),
        format_clock(spec.at.as_micros()),
    );
    Verdict {
        state,
        value,
        judged_at: now,
        sentence,
        messages: if state == VerdictState::Fail {
            evidence(sim, spec.measure)
        } else {
            Vec::new()
        },
    }
}

/// Judges every expectation against the simulation as it is now (cheap: counters only).
pub fn evaluate(sim: &Simulation, specs: &[ExpectationSpec]) -> Vec<Verdict> {
    specs.iter().map(|spec| judge(sim, spec)).collect()
}

/// Keeps the first decided verdict of each expectation.
#[derive(Clone, Debug, PartialEq)]
pub struct Judge {
    specs: Vec<ExpectationSpec>,
    verdicts: Vec<Option<Verdict>>,
}

impl Judge {
    pub fn new(specs: Vec<ExpectationSpec>) -> Judge {
        let verdicts = vec![None; specs.len()];
        Judge { specs, verdicts }
    }

    pub fn specs(&self) -> &[ExpectationSpec] {
        &self.specs
    }

    /// Judges the undecided expectations now and returns every verdict (decided ones as they
    /// were decided).
    pub fn observe(&mut self, sim: &Simulation) -> Vec<Verdict> {
        self.specs
            .iter()
            .zip(self.verdicts.iter_mut())
            .map(|(spec, kept)| match kept {
                Some(verdict) => verdict.clone(),
                None => {
                    let verdict = judge(sim, spec);
                    if verdict.state != VerdictState::Pending {
                        *kept = Some(verdict.clone());
                    }
                    verdict
                }
            })
            .collect()
    }

    /// The earliest time after `now` at which an undecided expectation is judged.
    pub fn next_time(&self, now: SimTime) -> Option<SimTime> {
        self.specs
            .iter()
            .zip(&self.verdicts)
            .filter(|(spec, kept)| kept.is_none() && spec.at > now)
            .map(|(spec, _)| spec.at)
            .min()
    }

    /// Forgets every verdict (after a rewind).
    pub fn reset(&mut self) {
        self.verdicts.iter_mut().for_each(|kept| *kept = None);
    }
}
