//! The running simulation behind the page, free of DOM types so it tests natively.
//!
//! The page calls [`Live::advance`] once per animation frame with how much simulated time
//! should pass; the call processes at most a fixed number of events so that a frame never
//! blocks, and reports whether it caught up.

mod trace;
pub use trace::LiveHandle;

use std::collections::VecDeque;

use loosely_engine::expect::{ExpectationSpec, Judge, Verdict};
use loosely_engine::{
    ComponentId, ComponentStats, SimDuration, SimTime, Simulation, Timeline, TraceEvent,
};
use loosely_scenario::Scenario;

mod flows;
mod sfn;
mod time;
mod update;

pub use time::{parse_message_id, Breakpoint, Stopped};

/// Events processed per call before control returns to the page.
pub const EVENTS_PER_SLICE: u32 = 20_000;

/// Trace events the page keeps for the event log and message histories; older ones are
/// dropped first.
pub const RECENT_TRACE: usize = 50_000;

/// One component as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentView {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub stats: ComponentStats,
    /// Properties shown but not simulated (for queues: encryption at rest and in transit).
    pub properties: Vec<(&'static str, String)>,
    /// The faults of the scenario's timeline acting on the component now, in words.
    pub faults: Vec<String>,
}

/// What a queue's encryption settings mean, in AWS's words. SQS endpoints are HTTPS
/// (encryption in transit) whatever the queue's settings.
fn queue_properties(spec: &loosely_engine::QueueSpec) -> Vec<(&'static str, String)> {
    let at_rest = match (&spec.kms_master_key_id, spec.sqs_managed_sse_enabled) {
        (Some(key), _) => format!("SSE-KMS ({key})"),
        (None, true) => "SSE-SQS".to_string(),
        (None, false) => "off".to_string(),
    };
    vec![
        ("encryption at rest", at_rest),
        ("in transit", "HTTPS (TLS)".to_string()),
    ]
}

pub struct Live {
    pub scenario: Scenario,
    simulation: Simulation,
    ids: Vec<String>,
    duration: SimTime,
    /// Simulated time the page wants to have reached.
    target: SimTime,
    /// The last [`RECENT_TRACE`] trace events, oldest first.
    recent: VecDeque<TraceEvent>,
    /// The trace events of the last [`Live::drain`] (what happened during the last frame).
    fresh: Vec<TraceEvent>,
    /// Checkpoints for rewinding.
    timeline: Timeline,
    /// The scenario's expectations, each judged at its moment, and their verdicts now.
    judge: Judge,
    verdicts: Vec<Verdict>,
}

/// Checkpoints start 30 simulated seconds apart; at most this many are kept (the spacing
/// doubles when full), so a rewind replays at most two spacings. 120 cover an hour at the
/// first spacing; each holds a copy of the whole simulation (its latency histograms and
/// metric history included: a few hundred KB for a small scenario run for days, measured
/// in the browser tests' memory figure).
const CHECKPOINT_INTERVAL: SimDuration = SimDuration::from_secs(30);
const CHECKPOINTS: usize = 120;

/// Messages held by all checkpoints together, at most (measured: a checkpoint of 50,000
/// waiting messages takes 13 MB, about 260 bytes each, so at most about 52 MB): a backlog of
/// millions keeps few checkpoints rather than exhausting the page's memory.
const CHECKPOINT_MESSAGES: u64 = 200_000;

impl Live {
    /// Builds the simulation of a scenario file; the error lists every problem.
    pub fn from_json(text: &str) -> Result<Live, String> {
        let scenario = Scenario::from_json(text).map_err(|error| error.to_string())?;
        Live::from_scenario(scenario)
    }

    pub fn from_scenario(scenario: Scenario) -> Result<Live, String> {
        let built = scenario.build().map_err(|issues| {
            issues
                .iter()
                .map(|issue| issue.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        let mut simulation = built.simulation;
        simulation.set_tracing(true);
        let mut judge = Judge::new(built.expectations);
        let verdicts = judge.observe(&simulation);
        let mut timeline = Timeline::new(CHECKPOINT_INTERVAL, CHECKPOINTS);
        timeline.record(&simulation);
        Ok(Live {
            scenario,
            simulation,
            ids: built.ids,
            duration: built.duration,
            target: SimTime::ZERO,
            recent: VecDeque::new(),
            fresh: Vec::new(),
            timeline,
            judge,
            verdicts,
        })
    }

    /// Starts again from time zero with the same scenario and seed.
    pub fn reset(&mut self) -> Result<(), String> {
        *self = Live::from_scenario(self.scenario.clone())?;
        Ok(())
    }

    pub fn now(&self) -> SimTime {
        self.simulation.now()
    }

    pub fn duration(&self) -> SimTime {
        self.duration
    }

    pub fn finished(&self) -> bool {
        self.simulation.now() >= self.duration
    }

    /// Moves the target `simulated` further (not past the scenario's duration), then works
    /// towards it for at most [`EVENTS_PER_SLICE`] events. Returns true when it caught up.
    pub fn advance(&mut self, simulated: SimDuration) -> bool {
        self.target = self.target.saturating_add(simulated).min(self.duration);
        self.work()
    }

    /// Keeps working towards the current target; true when it is reached.
    pub fn work(&mut self) -> bool {
        for _ in 0..EVENTS_PER_SLICE {
            match self.simulation.next_event_time() {
                Some(time) if time <= self.target => {
                    // An expectation is judged at its moment, before the events after it.
                    if let Some(at) = self
                        .judge
                        .next_time(self.simulation.now())
                        .filter(|at| *at <= time)
                    {
                        self.simulation.run_until(at);
                        self.verdicts = self.judge.observe(&self.simulation);
                        continue;
                    }
                    self.simulation.step();
                    self.checkpoint();
                }
                _ => {
                    self.simulation.run_until(self.target);
                    self.checkpoint();
                    return true;
                }
            }
        }
        false
    }

    /// Records a checkpoint when one is due (cheap otherwise), thinning the old ones first
    /// when together they would hold more than [`CHECKPOINT_MESSAGES`] messages.
    fn checkpoint(&mut self) {
        if !self.timeline.is_due(self.simulation.now()) {
            return;
        }
        let census = self.simulation.census();
        let held = census.visible + census.in_flight + census.delayed;
        if held > CHECKPOINT_MESSAGES / 2 {
            // Too big to copy: rewinds replay from an older checkpoint instead.
            return;
        }
        while self.timeline.len() > 2
            && held * (self.timeline.len() as u64 + 1) > CHECKPOINT_MESSAGES
        {
            self.timeline.thin();
        }
        self.timeline.record(&self.simulation);
    }

    /// Takes what the engine recorded since the last call: the trace events become
    /// [`Live::fresh`] and join [`Live::recent`]. (Metric series stay in the engine:
    /// [`Simulation::metric_history`].)
    pub fn drain(&mut self) {
        self.fresh = self.simulation.drain_trace();
        self.simulation.drain_metrics();
        self.verdicts = self.judge.observe(&self.simulation);
        let overflow = (self.recent.len() + self.fresh.len()).saturating_sub(RECENT_TRACE);
        self.recent.drain(..overflow.min(self.recent.len()));
        let skip = self.fresh.len().saturating_sub(RECENT_TRACE);
        self.recent.extend(self.fresh[skip..].iter().cloned());
    }

    /// The scenario's expectations and where each stands now (a decided verdict keeps the
    /// figure of its moment).
    pub fn expectations(&self) -> Vec<(&ExpectationSpec, &Verdict)> {
        self.judge.specs().iter().zip(&self.verdicts).collect()
    }

    /// The trace events of the last frame.
    pub fn fresh(&self) -> &[TraceEvent] {
        &self.fresh
    }

    /// The most recent trace events, oldest first.
    pub fn recent(&self) -> &VecDeque<TraceEvent> {
        &self.recent
    }

    /// The running simulation, for reading (stats, peek, metric series, cost, names).
    pub fn simulation(&self) -> &Simulation {
        &self.simulation
    }

    /// The scenario ids of the components, by engine component id.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The engine id of the component with scenario id `id`.
    pub fn index_of(&self, id: &str) -> Option<ComponentId> {
        self.ids.iter().position(|known| known == id)
    }

    pub fn views(&self) -> Vec<ComponentView> {
        let windows = self.simulation.model().fault_windows();
        let active = self.simulation.active_faults();
        self.ids
            .iter()
            .enumerate()
            .filter_map(|(index, id)| {
                let component = self.simulation.model().components.get(index)?;
                Some(ComponentView {
                    id: id.clone(),
                    name: component.name.clone(),
                    kind: component.kind.kind_name(),
                    stats: self.simulation.stats(index)?,
                    properties: match &component.kind {
                        loosely_engine::ComponentKind::Queue(spec) => queue_properties(spec),
                        _ => Vec::new(),
                    },
                    faults: windows
                        .iter()
                        .filter(|w| w.component == index && active.contains(&w.fault))
                        .map(|w| {
                            format!(
                                "fault #{}: {} until {}",
                                w.fault,
                                w.effect.describe(),
                                loosely_engine::format_clock(w.end.as_micros())
                            )
                        })
                        .collect(),
                })
            })
            .collect()
    }

    pub fn total_cost_usd(&self) -> f64 {
        self.simulation.cost().total_usd
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLED: &str = include_str!("../../examples/worker-pool-dlq.json");

    #[test]
    fn the_bundled_scenario_runs_and_counts() {
        let mut live = Live::from_json(BUNDLED).expect("the bundled scenario is valid");
        assert!(live.advance(SimDuration::from_secs(120)) || !live.work());
        while !live.work() {}
        assert_eq!(live.now(), SimTime::from_secs(120));
        let views = live.views();
        let sent: u64 = views
            .iter()
            .filter_map(|v| match &v.stats {
                ComponentStats::Queue(q) => Some(q.sent),
                _ => None,
            })
            .sum();
        assert!(sent > 400, "sent {sent}");
        let orders = views.iter().find(|v| v.id == "orders").expect("orders");
        assert_eq!(
            orders.properties[0],
            ("encryption at rest", "SSE-SQS".to_string())
        );
    }

    #[test]
    fn a_slice_is_bounded_and_the_target_stops_at_the_duration() {
        let mut live = Live::from_json(BUNDLED).expect("valid");
        // A whole hour at once cannot be done in one slice.
        assert!(!live.advance(SimDuration::from_secs(10 * 3_600)));
        while !live.work() {}
        assert_eq!(live.now(), live.duration());
        assert!(live.finished());
    }

    #[test]
    fn the_trace_of_each_frame_is_kept_and_bounded() {
        let mut live = Live::from_json(BUNDLED).expect("valid");
        while !live.advance(SimDuration::from_secs(10)) {}
        live.drain();
        let first = live.fresh().len();
        assert!(first > 50, "only {first} trace events in 10 s");
        assert_eq!(live.recent().len(), first);
        assert!(live.fresh().iter().all(|event| event.time <= live.now()));
        let orders = live.index_of("orders").expect("orders");
        assert!(live.fresh().iter().any(|event| event.component == orders));
        live.drain();
        assert!(live.fresh().is_empty(), "a second drain has nothing new");
        assert_eq!(live.recent().len(), first);
        // An hour keeps only the newest events.
        while !live.advance(SimDuration::from_secs(3_600)) {
            live.drain();
        }
        live.drain();
        assert_eq!(live.recent().len(), RECENT_TRACE);
        let times: Vec<_> = live.recent().iter().map(|event| event.time).collect();
        assert!(times.windows(2).all(|pair| pair[0] <= pair[1]));
        assert_eq!(
            live.recent().back().map(|event| event.time),
            live.fresh().last().map(|event| event.time)
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(Live::from_json("{").is_err());
        let error = Live::from_json(r#"{"version": 1, "components": [{"id": "q", "kind": "sqs_queue", "parameters": {"VisibilityTimeout": 50000}}]}"#)
            .err()
            .unwrap_or_default();
        assert!(error.contains("VisibilityTimeout"), "{error}");
    }
}
