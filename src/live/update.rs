//! Changing a running simulation: a scenario that differs from the running one only in
//! component parameters is applied with `Command::Update`, so the clock and the messages
//! carry on; anything else needs a fresh start.

use loosely_engine::Command;
use loosely_scenario::Scenario;

use super::Live;

impl Live {
    /// Applies `scenario` to the running simulation when only component parameters differ
    /// (same components, kinds, connections and run settings) and the engine accepts each
    /// change; false when the caller must build the simulation again.
    pub fn apply_parameters(&mut self, scenario: &Scenario) -> bool {
        let current = &self.scenario;
        let same_shape = current.components.len() == scenario.components.len()
            && current
                .components
                .iter()
                .zip(&scenario.components)
                .all(|(a, b)| a.id() == b.id() && a.kind_str() == b.kind_str())
            && current.connections == scenario.connections
            && current.alarms == scenario.alarms
            && current.expectations == scenario.expectations
            && current.seed == scenario.seed
            && current.duration_seconds == scenario.duration_seconds
            && current.limit_profile == scenario.limit_profile
            && current.metric_period_seconds == scenario.metric_period_seconds
            && current.free_tier == scenario.free_tier;
        if !same_shape {
            return false;
        }
        let Ok(lowered) = scenario.lower() else {
            return false;
        };
        // Faults (and an endpoint's downtime windows, which lower into faults) are
        // scheduled when the simulation is built: a changed timeline needs a fresh start.
        if lowered.ids != self.ids || lowered.model.faults != self.simulation.model().faults {
            return false;
        }
        for (index, component) in lowered.model.components.into_iter().enumerate() {
            let running = self
                .simulation
                .model()
                .components
                .get(index)
                .map(|c| &c.kind);
            if running == Some(&component.kind) {
                continue;
            }
            let update = Command::Update {
                component: index,
                kind: component.kind,
            };
            if self.simulation.handle_command(update).is_err() {
                return false;
            }
        }
        self.scenario = scenario.clone();
        // The recorded future no longer follows from the present.
        self.timeline.truncate_after(self.simulation.now());
        true
    }
}

#[cfg(test)]
mod tests {
    use loosely_engine::{ComponentKind, SimDuration};
    use loosely_scenario::Scenario;

    use crate::inspector_model::with_value;
    use crate::live::Live;

    const BUNDLED: &str = include_str!("../../examples/worker-pool-dlq.json");

    #[test]
    fn a_parameter_change_applies_to_the_running_simulation() {
        let mut live = Live::from_json(BUNDLED).expect("valid");
        while !live.advance(SimDuration::from_secs(60)) {}
        let before = live.now();
        let mut changed = live.scenario.clone();
        let index = changed
            .components
            .iter()
            .position(|c| c.id() == "orders")
            .expect("orders");
        changed.components[index] = with_value(
            &changed.components[index],
            "VisibilityTimeout",
            Some(serde_json::json!(90)),
        )
        .expect("valid");
        assert!(live.apply_parameters(&changed));
        assert_eq!(live.now(), before, "the clock carries on");
        let orders = live.index_of("orders").expect("orders");
        match &live.simulation().model().components[orders].kind {
            ComponentKind::Queue(spec) => {
                assert_eq!(spec.visibility_timeout, 90)
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(live.scenario, changed);
        while !live.advance(SimDuration::from_secs(60)) {}
        assert!(live.simulation().check_invariants().is_ok());
    }

    #[test]
    fn a_change_of_shape_needs_a_fresh_start() {
        let mut live = Live::from_json(BUNDLED).expect("valid");
        let mut fewer = live.scenario.clone();
        fewer.connections.pop();
        assert!(!live.apply_parameters(&fewer));
        let mut reseeded = live.scenario.clone();
        reseeded.seed += 1;
        assert!(!live.apply_parameters(&reseeded));
        let same: Scenario = live.scenario.clone();
        assert!(live.apply_parameters(&same));
        let mut faulted = live.scenario.clone();
        faulted.faults.push(loosely_scenario::Fault {
            component: "workers".into(),
            start_seconds: 10.0,
            duration_seconds: 5.0,
            ..loosely_scenario::Fault::default()
        });
        assert!(
            !live.apply_parameters(&faulted),
            "a new fault needs a fresh start"
        );
    }
}
