//! What the live view of a selected state machine reads from the running simulation: its
//! definition and per-state counts, the recent executions of a state, one execution.

use std::collections::BTreeMap;
use std::sync::Arc;

use loosely_engine::asl::StateMachine;
use loosely_engine::{Command, ComponentKind, ExecutionRecord, ExecutionSummary, StateCounts};

use super::Live;

/// A running state machine as its live view shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MachineLive {
    pub name: String,
    pub definition: Arc<StateMachine>,
    pub express: bool,
    pub counts: BTreeMap<String, StateCounts>,
}

impl Live {
    /// The state machine with scenario id `id`; `None` for another kind of component.
    pub fn state_machine(&self, id: &str) -> Option<MachineLive> {
        let index = self.index_of(id)?;
        let component = self.simulation.model().components.get(index)?;
        let ComponentKind::StateMachine(spec) = &component.kind else {
            return None;
        };
        Some(MachineLive {
            name: component.name.clone(),
            definition: Arc::clone(&spec.definition),
            express: spec.kind == loosely_engine::asl::ExecutionKind::Express,
            counts: self.simulation.state_counts(index),
        })
    }

    /// The recent executions that entered `state` of the state machine `id`, newest first.
    pub fn state_executions(&self, id: &str, state: &str) -> Vec<ExecutionSummary> {
        self.index_of(id)
            .map(|index| self.simulation.state_executions(index, state))
            .unwrap_or_default()
    }

    /// One execution of the state machine `id` and its history when kept.
    pub fn execution(
        &self,
        id: &str,
        execution: &str,
    ) -> Option<(ExecutionSummary, Option<ExecutionRecord>)> {
        self.simulation
            .execution_record(self.index_of(id)?, execution)
    }

    /// `RedriveExecution` on the state machine `id`; when refused, the AWS error in words.
    pub fn redrive(&mut self, id: &str, execution: &str) -> Result<(), String> {
        let index = self
            .index_of(id)
            .ok_or_else(|| format!("no component {id}"))?;
        self.simulation
            .handle_command(Command::RedriveExecution {
                state_machine: index,
                execution: execution.into(),
            })
            .map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_engine::SimDuration;

    const ORDERS: &str = include_str!("../../examples/sfn-order-workflow.json");

    #[test]
    fn the_order_workflow_shows_counts_recent_executions_and_histories() {
        let mut live = Live::from_json(ORDERS).expect("the example loads");
        while !live.advance(SimDuration::from_secs(60)) {}
        let machine = live
            .state_machine("OrderWorkflow")
            .expect("a state machine");
        assert_eq!(machine.name, "OrderWorkflow");
        assert!(!machine.express);
        let start = machine
            .definition
            .top()
            .and_then(|graph| graph.states.get(graph.start))
            .map(|state| state.name.to_string())
            .expect("a start state");
        let first = machine.counts.get(&start).copied().unwrap_or_default();
        assert!(first.entered > 0, "{:?}", machine.counts);
        let recent = live.state_executions("OrderWorkflow", &start);
        assert!(!recent.is_empty());
        let (summary, record) = live
            .execution("OrderWorkflow", &recent[0].execution_arn)
            .expect("a known execution");
        assert_eq!(summary.execution_arn, recent[0].execution_arn);
        assert!(record.is_some_and(|r| !r.history.is_empty()));
        // Other components and unknown names have nothing to show.
        assert_eq!(live.state_machine("shipments"), None);
        assert_eq!(live.state_machine("nowhere"), None);
        assert!(live.state_executions("nowhere", &start).is_empty());
        assert_eq!(live.execution("OrderWorkflow", "exec-0"), None);
        // Redrive: refusals are AWS errors in words; a redrivable execution runs again.
        let missing = live.redrive("OrderWorkflow", "exec-999999").unwrap_err();
        assert!(missing.starts_with("ExecutionDoesNotExist"), "{missing}");
        assert!(live.redrive("shipments", "exec-1").is_err());
        assert!(live.redrive("nowhere", "exec-1").is_err());
        let redrivable = machine
            .counts
            .keys()
            .flat_map(|state| live.state_executions("OrderWorkflow", state))
            .find(|summary| summary.redrive_status == "REDRIVABLE");
        if let Some(summary) = redrivable {
            live.redrive("OrderWorkflow", &summary.execution_arn)
                .expect("redrivable");
            let (after, _) = live
                .execution("OrderWorkflow", &summary.execution_arn)
                .expect("known");
            assert_eq!((after.status, after.redrive_count), ("RUNNING", 1));
        }
    }
}
