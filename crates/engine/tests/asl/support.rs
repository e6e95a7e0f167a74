//! A virtual-time driver shared by the tests.

use std::sync::Arc;

use loosely_engine::asl::{validate, Execution, ExecutionContext, MockHandler, Step, TaskHandler};
use loosely_engine::{SimRng, SimTime};
use serde_json::Value;

/// The final step, the execution, and the times at which each state was entered.
pub struct Outcome {
    pub last: Step,
    pub execution: Execution,
    pub now: SimTime,
}

pub fn machine(definition: &str) -> Arc<loosely_engine::asl::StateMachine> {
    match validate(definition) {
        Ok(machine) => Arc::new(machine),
        Err(issues) => panic!("invalid definition: {issues:?}"),
    }
}

/// Runs to the end (or until only tasks could move it), jumping virtual time to each wake-up.
pub fn run_with(definition: &str, input: Value, handler: &mut dyn TaskHandler) -> Outcome {
    let mut execution = Execution::start(machine(definition), input, ExecutionContext::default());
    let mut rng = SimRng::seed_from_u64(7);
    let mut now = SimTime::ZERO;
    for _ in 0..1_000_000 {
        match execution.advance(now, &mut rng, handler) {
            Step::Transitioned { .. } => {}
            Step::WaitingUntil(until) => now = until,
            last => {
                return Outcome {
                    last,
                    execution,
                    now,
                }
            }
        }
    }
    panic!("did not finish");
}

pub fn run(definition: &str, input: Value) -> Outcome {
    run_with(definition, input, &mut MockHandler::default())
}

pub fn output(definition: &str, input: Value) -> Value {
    match run(definition, input).last {
        Step::Succeeded { output } => output,
        other => panic!("expected success, got {other:?}"),
    }
}

pub fn failure(definition: &str, input: Value) -> (String, String) {
    match run(definition, input).last {
        Step::Failed { error, cause } => (error, cause),
        other => panic!("expected failure, got {other:?}"),
    }
}

/// A one-state Pass machine with the given extra fields.
pub fn pass(fields: &str) -> String {
    format!(r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", {fields} "End": true}}}}}}"#)
}

pub fn event_names(execution: &Execution) -> Vec<String> {
    execution
        .history()
        .iter()
        .map(|event| event.event_type.name().into_owned())
        .collect()
}
