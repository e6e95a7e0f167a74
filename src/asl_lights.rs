//! How the workflow view lights its states: from one execution's history up to a replay
//! position (the workbench) or from a running state machine's per-state counts (the live
//! view of a selected state machine). Free of DOM types, so it tests natively; the drawing
//! is `components/asl_graph_view.rs`.

use std::collections::BTreeMap;

use loosely_engine::asl::HistoryEvent;
use loosely_engine::StateCounts;

use crate::asl_run::{entered_counts, failed_states};

/// How one state's box is lit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Light {
    /// Entered at least once: drawn with the success outline.
    pub entered: bool,
    /// An execution is in it now (live) or it is the replay's current state.
    pub active: bool,
    /// It raised errors: drawn in the error colour.
    pub failing: bool,
    /// The short text in the box's corner.
    pub badge: String,
    /// The box's tooltip.
    pub title: String,
}

/// The lights by state name; a state without an entry is drawn unlit.
pub type Lights = BTreeMap<String, Light>;

/// One execution replayed up to history event `upto`: entered counts, the states that
/// raised an error, and the state of the last event shown as the current one.
pub fn replay_lights(history: &[HistoryEvent], upto: usize) -> Lights {
    let shown = upto.min(history.len());
    let failed = failed_states(history, shown);
    let current = history[..shown]
        .iter()
        .rev()
        .find_map(|event| event.state_name.as_ref().map(|name| name.to_string()));
    let mut lights: Lights = entered_counts(history, shown)
        .into_iter()
        .map(|(name, count)| {
            let light = Light {
                entered: count > 0,
                badge: format!("×{count}"),
                title: format!("entered {count} times"),
                ..Light::default()
            };
            (name, light)
        })
        .collect();
    for name in failed {
        lights.entry(name).or_default().failing = true;
    }
    if let Some(current) = current {
        lights.entry(current).or_default().active = true;
    }
    lights
}

/// A running state machine's per-state counts: states with executions in them are active,
/// states that failed executions or had errors caught are failing.
pub fn live_lights(counts: &BTreeMap<String, StateCounts>) -> Lights {
    counts
        .iter()
        .map(|(name, c)| {
            let mut badge = Vec::new();
            if c.running > 0 {
                badge.push(format!("▶{}", c.running));
            }
            badge.push(format!("✓{}", c.succeeded));
            if c.failed > 0 {
                badge.push(format!("✗{}", c.failed));
            }
            if c.caught > 0 {
                badge.push(format!("⤷{}", c.caught));
            }
            if c.retried > 0 {
                badge.push(format!("↻{}", c.retried));
            }
            let light = Light {
                entered: c.entered > 0,
                active: c.running > 0,
                failing: c.failed > 0 || c.caught > 0,
                badge: badge.join(" "),
                title: format!(
                    "entered {}, succeeded {}, failed {}, caught {}, retried {}, in it now {}",
                    c.entered, c.succeeded, c.failed, c.caught, c.retried, c.running
                ),
            };
            (name.clone(), light)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_engine::asl::ExecutionKind;

    use crate::asl_run::run;

    #[test]
    fn live_counts_light_running_and_failing_states() {
        let mut counts = BTreeMap::new();
        counts.insert(
            "Check".to_string(),
            StateCounts {
                entered: 30,
                succeeded: 30,
                ..StateCounts::default()
            },
        );
        counts.insert(
            "Reject".to_string(),
            StateCounts {
                entered: 10,
                failed: 10,
                ..StateCounts::default()
            },
        );
        counts.insert(
            "Hold".to_string(),
            StateCounts {
                entered: 7,
                succeeded: 4,
                running: 3,
                ..StateCounts::default()
            },
        );
        counts.insert(
            "Work".to_string(),
            StateCounts {
                entered: 4,
                succeeded: 4,
                retried: 4,
                ..StateCounts::default()
            },
        );
        let lights = live_lights(&counts);
        assert_eq!(
            lights["Check"],
            Light {
                entered: true,
                active: false,
                failing: false,
                badge: "✓30".into(),
                title: "entered 30, succeeded 30, failed 0, caught 0, retried 0, in it now 0"
                    .into(),
            }
        );
        assert!(lights["Reject"].failing && !lights["Reject"].active);
        assert_eq!(lights["Reject"].badge, "✓0 ✗10");
        assert!(lights["Hold"].active && !lights["Hold"].failing);
        assert_eq!(lights["Hold"].badge, "▶3 ✓4");
        // Retries alone are not failures.
        assert!(!lights["Work"].failing);
        assert_eq!(lights["Work"].badge, "✓4 ↻4");
    }

    #[test]
    fn a_replay_lights_what_the_history_shows_so_far() {
        let definition = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "Boom"},
            "Boom": {"Type": "Fail", "Error": "E", "Cause": "c"}}}"#;
        let finished = run(definition, "{}", None, ExecutionKind::Standard, 1).expect("runs");
        let all = replay_lights(&finished.history, finished.history.len());
        assert!(all["A"].entered && !all["A"].failing);
        assert_eq!(all["A"].badge, "×1");
        assert!(all["Boom"].failing && all["Boom"].active);
        // Before the first state: nothing lit; past the end: the same as the end.
        assert!(replay_lights(&finished.history, 1).is_empty());
        assert_eq!(replay_lights(&finished.history, usize::MAX), all);
    }
}
