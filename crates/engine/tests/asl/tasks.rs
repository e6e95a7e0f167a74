//! Tasks answered later, timeouts, heartbeats and the history they leave.

use serde_json::json;

use loosely_engine::asl::{
    Execution, ExecutionContext, Step, TaskHandler, TaskRequest, TaskStart, UnknownTaskToken,
};
use loosely_engine::{SimRng, SimTime};

use crate::support::machine;

/// Leaves every task pending and remembers its token and input.
#[derive(Default)]
struct Deferred {
    started: Vec<(u64, serde_json::Value, String)>,
}

impl TaskHandler for Deferred {
    fn start_task(&mut self, request: &TaskRequest<'_>) -> TaskStart {
        self.started.push((
            request.token,
            request.input.clone(),
            request.resource.to_string(),
        ));
        TaskStart::Pending
    }
}

#[test]
fn pending_task_completes_later() {
    let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"token.$": "$$.Task.Token"}, "ResultPath": "$.r", "End": true}}}"#;
    let mut execution = Execution::start(
        machine(definition),
        json!({"a": 1}),
        ExecutionContext::default(),
    );
    let mut rng = SimRng::seed_from_u64(1);
    let mut handler = Deferred::default();
    assert!(matches!(
        execution.advance(SimTime::ZERO, &mut rng, &mut handler),
        Step::Transitioned { .. }
    ));
    assert_eq!(
        execution.advance(SimTime::ZERO, &mut rng, &mut handler),
        Step::WaitingUntil(SimTime::from_secs(366 * 86_400))
    );
    let (token, input, _) = handler.started[0].clone();
    assert!(input["token"].as_str().unwrap().ends_with(":1"));
    assert_eq!(execution.pending_tasks(), vec![token]);
    execution.complete_task(token, Ok(json!("done"))).unwrap();
    assert_eq!(
        execution.complete_task(token, Ok(json!("again"))),
        Err(UnknownTaskToken(token))
    );
    let step = execution.advance(SimTime::from_secs(9), &mut rng, &mut handler);
    assert_eq!(
        step,
        Step::Succeeded {
            output: json!({"a": 1, "r": "done"})
        }
    );
    let names: Vec<String> = execution
        .history()
        .iter()
        .map(|e| e.event_type.name().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(execution.history()[4].timestamp, SimTime::from_secs(9));
}

#[test]
fn task_timeout_and_heartbeat() {
    let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r", "TimeoutSeconds": 30, "HeartbeatSeconds": 10,
        "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Late"}], "End": true}, "Late": {"Type": "Pass", "End": true}}}"#;
    let mut execution =
        Execution::start(machine(definition), json!({}), ExecutionContext::default());
    let mut rng = SimRng::seed_from_u64(1);
    let mut handler = Deferred::default();
    execution.advance(SimTime::ZERO, &mut rng, &mut handler);
    assert_eq!(
        execution.advance(SimTime::ZERO, &mut rng, &mut handler),
        Step::WaitingUntil(SimTime::from_secs(10))
    );
    let token = handler.started[0].0;
    execution.heartbeat(token, SimTime::from_secs(8)).unwrap();
    // The old heartbeat deadline at 10 s no longer fires; the new one is at 18 s.
    assert_eq!(
        execution.advance(SimTime::from_secs(10), &mut rng, &mut handler),
        Step::WaitingUntil(SimTime::from_secs(18))
    );
    let output = loop {
        match execution.advance(SimTime::from_secs(18), &mut rng, &mut handler) {
            Step::Succeeded { output } => break output,
            Step::Transitioned { .. } => {}
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(output["Error"], json!("States.HeartbeatTimeout"));
    assert!(execution
        .history()
        .iter()
        .any(|e| e.event_type.name() == "TaskTimedOut"));
}

#[test]
fn express_executions_stop_after_five_minutes() {
    let definition =
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r", "End": true}}}"#;
    let context = ExecutionContext {
        kind: loosely_engine::asl::ExecutionKind::Express,
        ..ExecutionContext::default()
    };
    let mut execution = Execution::start(machine(definition), json!({}), context);
    let mut rng = SimRng::seed_from_u64(1);
    let mut handler = Deferred::default();
    execution.advance(SimTime::ZERO, &mut rng, &mut handler);
    assert_eq!(
        execution.advance(SimTime::ZERO, &mut rng, &mut handler),
        Step::WaitingUntil(SimTime::from_secs(300))
    );
    assert_eq!(
        execution.advance(SimTime::from_secs(300), &mut rng, &mut handler),
        Step::TimedOut
    );
}
