//! Compare: the scenario beside a copy with one setting changed (a visibility timeout of
//! 30 s against 90 s, a batch size, a maxReceiveCount), both run under the same seed. The
//! engine draws from one random stream, so once the two runs make different draws (a
//! receive more here, a retry less there) their arrivals drift apart a little; the load is
//! the same, not the very same messages. Free of DOM types; the page advances a
//! [`Comparison`] a slice per animation frame and draws its totals and overlaid series.

use loosely_engine::{
    ComponentStats, Metric, SeriesPoint, SimDuration, SimTime, Simulation, TraceKind,
};
use loosely_scenario::Scenario;
use serde_json::Value;

use crate::inspector_model::with_value;

/// Problems of a scenario, one per line.
pub fn issues_text(issues: &[loosely_scenario::Issue]) -> String {
    issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The one setting that differs: `parameter` of component `component` takes `value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub component: String,
    pub parameter: String,
    pub value: Value,
}

impl Change {
    /// How the page names the variant: `orders.VisibilityTimeout = 90`.
    pub fn label(&self) -> String {
        format!("{}.{} = {}", self.component, self.parameter, self.value)
    }
}

/// The scenario with `change` applied; an error names the component or the parameter and
/// says what is wrong, as the validator would.
pub fn variant(base: &Scenario, change: &Change) -> Result<Scenario, String> {
    let mut scenario = base.clone();
    let Some(slot) = scenario
        .components
        .iter_mut()
        .find(|c| c.id() == change.component)
    else {
        return Err(format!("there is no component \"{}\"", change.component));
    };
    *slot = with_value(slot, &change.parameter, Some(change.value.clone()))?;
    Ok(scenario)
}

/// The figures compared at the end (or so far) of each run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    /// Messages accepted from producers (sends and publishes).
    pub sent: u64,
    /// Messages processed and deleted by consumer pools.
    pub deleted: u64,
    /// Receives of a message that had been received before: the same work done again
    /// (at-least-once delivery made visible).
    pub redeliveries: u64,
    /// Messages moved to a dead-letter queue.
    pub dead_lettered: u64,
    /// The worst path's end-to-end latency percentiles, seconds.
    pub p50_seconds: f64,
    pub p99_seconds: f64,
    pub cost_usd: f64,
}

/// One of the two runs.
struct Run {
    simulation: Simulation,
    ids: Vec<String>,
    redeliveries: u64,
}

impl Run {
    fn new(scenario: &Scenario) -> Result<(Run, SimTime), String> {
        let built = scenario.build().map_err(|issues| issues_text(&issues))?;
        let mut simulation = built.simulation;
        simulation.set_tracing(true);
        Ok((
            Run {
                simulation,
                ids: built.ids,
                redeliveries: 0,
            },
            built.duration,
        ))
    }

    /// Processes at most `budget` events up to `until`; true once the clock is there.
    fn work(&mut self, until: SimTime, budget: u32) -> bool {
        let mut done = 0;
        while done < budget {
            match self.simulation.next_event_time() {
                Some(at) if at <= until => {
                    self.simulation.step();
                    done += 1;
                }
                _ => break,
            }
        }
        let caught_up = self
            .simulation
            .next_event_time()
            .is_none_or(|at| at > until);
        if caught_up {
            self.simulation.run_until(until);
        }
        for event in self.simulation.drain_trace() {
            if let TraceKind::Received { receive_count, .. } = event.kind {
                if receive_count > 1 {
                    self.redeliveries += 1;
                }
            }
        }
        // Metric samples stay in the simulation's own bounded history.
        self.simulation.drain_metrics();
        caught_up
    }

    fn totals(&self) -> Totals {
        let mut totals = Totals {
            redeliveries: self.redeliveries,
            cost_usd: self.simulation.cost().total_usd,
            ..Totals::default()
        };
        for index in 0..self.ids.len() {
            match self.simulation.stats(index) {
                Some(ComponentStats::Producer(p)) => totals.sent += p.sent,
                Some(ComponentStats::Consumer(c)) => totals.deleted += c.deleted,
                Some(ComponentStats::Queue(q)) => totals.dead_lettered += q.moved_to_dlq,
                _ => {}
            }
        }
        for path in self.simulation.latency() {
            totals.p50_seconds = totals.p50_seconds.max(path.summary.p50);
            totals.p99_seconds = totals.p99_seconds.max(path.summary.p99);
        }
        totals
    }

    fn series(&self, component: &str, metric: Metric) -> Vec<SeriesPoint> {
        self.ids
            .iter()
            .position(|id| id == component)
            .and_then(|index| {
                self.simulation
                    .metric_history(index)
                    .iter()
                    .find(|series| series.metric == metric)
            })
            .map(|series| series.points().to_vec())
            .unwrap_or_default()
    }

    fn metrics(&self, component: &str) -> Vec<Metric> {
        self.ids
            .iter()
            .position(|id| id == component)
            .map(|index| {
                self.simulation
                    .metric_history(index)
                    .iter()
                    .map(|series| series.metric)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Events each run processes per call of [`Comparison::work`].
pub const EVENTS_PER_WORK: u32 = 20_000;

/// The two runs, advanced together.
pub struct Comparison {
    pub change: Change,
    base: Run,
    changed: Run,
    /// Both run to the longer of the two durations.
    duration: SimTime,
    /// How far both have got.
    reached: SimTime,
}

impl Comparison {
    pub fn new(base: &Scenario, change: Change) -> Result<Comparison, String> {
        let other = variant(base, &change)?;
        let (base_run, base_duration) = Run::new(base)?;
        let (changed_run, changed_duration) = Run::new(&other)
            .map_err(|problem| format!("the changed copy cannot run: {problem}"))?;
        Ok(Comparison {
            change,
            base: base_run,
            changed: changed_run,
            duration: base_duration.max(changed_duration),
            reached: SimTime::ZERO,
        })
    }

    pub fn duration(&self) -> SimTime {
        self.duration
    }

    pub fn reached(&self) -> SimTime {
        self.reached
    }

    pub fn finished(&self) -> bool {
        self.reached >= self.duration
    }

    /// Moves both runs at most `step` further, [`EVENTS_PER_WORK`] events each at most;
    /// returns true once both reached the end.
    pub fn work(&mut self, step: SimDuration) -> bool {
        let until = self.reached.saturating_add(step).min(self.duration);
        let base = self.base.work(until, EVENTS_PER_WORK);
        let changed = self.changed.work(until, EVENTS_PER_WORK);
        if base && changed {
            self.reached = until;
        }
        self.finished()
    }

    /// The totals of the original and of the changed copy.
    pub fn totals(&self) -> [Totals; 2] {
        [self.base.totals(), self.changed.totals()]
    }

    /// A metric of a component in both runs, for an overlaid chart.
    pub fn series(&self, component: &str, metric: Metric) -> [Vec<SeriesPoint>; 2] {
        [
            self.base.series(component, metric),
            self.changed.series(component, metric),
        ]
    }

    /// The metrics a component has (in the original run).
    pub fn metrics(&self, component: &str) -> Vec<Metric> {
        self.base.metrics(component)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHORT_TIMEOUT: &str = include_str!("../examples/visibility-timeout-too-short.json");

    fn scenario() -> Scenario {
        Scenario::from_json(SHORT_TIMEOUT).expect("the example parses")
    }

    fn queue_id(scenario: &Scenario) -> String {
        scenario
            .components
            .iter()
            .find(|c| matches!(c, loosely_scenario::Component::SqsQueue(_)))
            .map(|c| c.id().to_string())
            .expect("a queue")
    }

    fn run_out(comparison: &mut Comparison) {
        let mut calls = 0;
        while !comparison.work(SimDuration::from_secs(60)) {
            calls += 1;
            assert!(calls < 100_000, "the comparison never finished");
        }
    }

    #[test]
    fn a_longer_visibility_timeout_removes_the_duplicates() {
        let base = scenario();
        let change = Change {
            component: queue_id(&base),
            parameter: "VisibilityTimeout".into(),
            value: Value::from(900),
        };
        let mut comparison = Comparison::new(&base, change).expect("both run");
        run_out(&mut comparison);
        let [before, after] = comparison.totals();
        assert!(
            before.redeliveries > 0,
            "the example shows duplicates: {before:?}"
        );
        assert!(
            after.redeliveries < before.redeliveries,
            "a longer timeout gives fewer: {before:?} against {after:?}"
        );
        // The same seed; the engine has one random stream, so arrivals drift a little once
        // the runs' draws interleave differently, but the load is the same.
        let drift = before.sent.abs_diff(after.sent) as f64 / before.sent as f64;
        assert!(drift < 0.1, "{before:?} against {after:?}");
    }

    #[test]
    fn an_unchanged_copy_gives_the_same_figures() {
        let base = scenario();
        let queue = queue_id(&base);
        let current = crate::inspector_model::value(
            base.components
                .iter()
                .find(|c| c.id() == queue)
                .expect("the queue"),
            "VisibilityTimeout",
        )
        .unwrap_or(Value::from(30));
        let mut comparison = Comparison::new(
            &base,
            Change {
                component: queue.clone(),
                parameter: "VisibilityTimeout".into(),
                value: current,
            },
        )
        .expect("both run");
        run_out(&mut comparison);
        let [a, b] = comparison.totals();
        assert_eq!(a, b);
        let metric = comparison.metrics(&queue)[0];
        let [sa, sb] = comparison.series(&queue, metric);
        assert!(!sa.is_empty());
        assert_eq!(sa, sb);
    }

    #[test]
    fn a_bad_change_is_an_error_that_names_it() {
        let base = scenario();
        let queue = queue_id(&base);
        let missing = Comparison::new(
            &base,
            Change {
                component: "nope".into(),
                parameter: "VisibilityTimeout".into(),
                value: Value::from(90),
            },
        );
        assert!(missing.err().is_some_and(|e| e.contains("\"nope\"")));
        let out_of_range = Comparison::new(
            &base,
            Change {
                component: queue,
                parameter: "VisibilityTimeout".into(),
                value: Value::from(99_999),
            },
        );
        let problem = out_of_range.err().expect("refused");
        assert!(problem.contains("VisibilityTimeout"), "{problem}");
    }
}
