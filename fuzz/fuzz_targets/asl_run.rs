//! The ASL interpreter: a definition that validates runs on any input JSON to an end
//! (success, a `States.*` error, or the step budget) without a panic.
//!
//! Input layout: the definition, a NUL byte, the execution input JSON (`{}` when absent).
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use loosely_engine::asl::{
    run_to_end, validate, Execution, ExecutionContext, StatesError, TaskHandler, TaskRequest,
    TaskStart,
};
use loosely_engine::SimRng;
use serde_json::Value;

/// Calls of `Execution::advance` at most (a Map over many items, a retry loop).
const MAX_STEPS: u64 = 20_000;

/// Answers tasks at once: every third invocation fails with `States.TaskFailed` (so that
/// Retry and Catch run), the others return their input.
struct Tasks;

impl TaskHandler for Tasks {
    fn start_task(&mut self, request: &TaskRequest<'_>) -> TaskStart {
        if request.token % 3 == 2 {
            TaskStart::Completed(Err(StatesError::new(
                "States.TaskFailed",
                format!("{} failed", request.resource),
            )))
        } else {
            TaskStart::Completed(Ok(request.input.clone()))
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (definition, input) = match data.iter().position(|&byte| byte == 0) {
        Some(split) => (&data[..split], &data[split + 1..]),
        None => (data, &b"{}"[..]),
    };
    let (Ok(definition), Ok(input)) = (std::str::from_utf8(definition), std::str::from_utf8(input))
    else {
        return;
    };
    let Ok(machine) = validate(definition) else {
        return;
    };
    let Ok(input) = serde_json::from_str::<Value>(input) else {
        return;
    };
    let mut execution = Execution::start(Arc::new(machine), input, ExecutionContext::default());
    let mut rng = SimRng::seed_from_u64(7);
    let _ = run_to_end(&mut execution, &mut Tasks, &mut rng, MAX_STEPS);
    let _ = execution.history().len();
});
