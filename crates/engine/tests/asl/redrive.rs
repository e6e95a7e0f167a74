//! `RedriveExecution`: a failed Standard execution resumes from the state that failed.

use serde_json::{json, Value};

use loosely_engine::asl::{
    Execution, ExecutionContext, ExecutionKind, RedriveRefused, Step, TaskHandler, TaskRequest,
    TaskStart,
};
use loosely_engine::{SimDuration, SimRng, SimTime};

use crate::support::{event_names, machine};

/// Fails every task until `healthy` is set.
struct Flaky {
    healthy: bool,
    calls: u32,
}

impl TaskHandler for Flaky {
    fn start_task(&mut self, request: &TaskRequest<'_>) -> TaskStart {
        self.calls += 1;
        if self.healthy {
            TaskStart::Completed(Ok(json!({"charged": request.input})))
        } else {
            TaskStart::Completed(Err(loosely_engine::asl::StatesError::new(
                "Payment.Unavailable",
                "the payment service is down",
            )))
        }
    }
}

const DEFINITION: &str = r#"{"QueryLanguage": "JSONata", "StartAt": "Set", "States": {
    "Set": {"Type": "Pass", "Assign": {"orderId": "{% $states.input.id %}"}, "Next": "Charge"},
    "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Charge",
        "Arguments": {"order": "{% $orderId %}"}, "Next": "Done"},
    "Done": {"Type": "Pass", "Output": {"result": "{% $states.input %}", "order": "{% $orderId %}",
        "redrives": "{% $states.context.Execution.RedriveCount %}"}, "End": true}}}"#;

fn run(execution: &mut Execution, now: &mut SimTime, handler: &mut Flaky) -> Step {
    let mut rng = SimRng::seed_from_u64(5);
    loop {
        match execution.advance(*now, &mut rng, handler) {
            Step::Transitioned { .. } => {}
            Step::WaitingUntil(until) => *now = until,
            last => return last,
        }
    }
}

fn start(kind: ExecutionKind) -> Execution {
    let context = ExecutionContext {
        kind,
        ..ExecutionContext::default()
    };
    Execution::start(machine(DEFINITION), json!({"id": "o-7"}), context)
}

#[test]
fn a_failed_execution_resumes_from_the_failed_state() {
    let mut execution = start(ExecutionKind::Standard);
    let mut now = SimTime::ZERO;
    let mut handler = Flaky {
        healthy: false,
        calls: 0,
    };
    assert!(
        matches!(run(&mut execution, &mut now, &mut handler), Step::Failed { error, .. } if error == "Payment.Unavailable")
    );
    // A day later the service is back.
    now = now.saturating_add(SimDuration::from_secs(86_400));
    handler.healthy = true;
    assert_eq!(execution.redrive(now), Ok(()));
    let last = run(&mut execution, &mut now, &mut handler);
    let Step::Succeeded { output } = last else {
        panic!("expected success, got {last:?}");
    };
    assert_eq!(
        output,
        json!({"result": {"charged": {"order": "o-7"}}, "order": "o-7", "redrives": 1})
    );
    assert_eq!(execution.redrive_count(), 1);
    assert_eq!(handler.calls, 2);
    let names = event_names(&execution);
    let entered_set = names.iter().filter(|n| *n == "PassStateEntered").count();
    // Set once, Done once: the redrive did not run Set again.
    assert_eq!(entered_set, 2, "{names:?}");
    let redriven = names.iter().position(|n| n == "ExecutionRedriven").unwrap();
    assert_eq!(
        names.get(redriven - 1).map(String::as_str),
        Some("ExecutionFailed")
    );
    assert_eq!(
        names.get(redriven + 1).map(String::as_str),
        Some("TaskStateEntered")
    );
    // Succeeded executions cannot be redriven.
    assert_eq!(
        execution.redrive(now),
        Err(RedriveRefused::NotRedrivable("SUCCEEDED"))
    );
}

#[test]
fn the_redrive_rules() {
    // Express workflows cannot be redriven.
    let mut express = start(ExecutionKind::Express);
    let mut now = SimTime::ZERO;
    let mut handler = Flaky {
        healthy: false,
        calls: 0,
    };
    run(&mut express, &mut now, &mut handler);
    assert_eq!(express.redrive(now), Err(RedriveRefused::Express));
    // Within 14 days only.
    let mut standard = start(ExecutionKind::Standard);
    run(&mut standard, &mut now, &mut handler);
    let late = now.saturating_add(SimDuration::from_secs(14 * 86_400 + 1));
    assert_eq!(standard.redrive(late), Err(RedriveRefused::TooLate));
    let in_time = now.saturating_add(SimDuration::from_secs(14 * 86_400));
    assert_eq!(standard.redrive(in_time), Ok(()));
    // A running execution cannot be redriven.
    assert_eq!(
        standard.redrive(in_time),
        Err(RedriveRefused::NotRedrivable("RUNNING"))
    );
    // Redriven again after failing again: the count goes on.
    let mut at = in_time;
    run(&mut standard, &mut at, &mut handler);
    assert_eq!(standard.redrive(at), Ok(()));
    handler.healthy = true;
    let last = run(&mut standard, &mut at, &mut handler);
    let Step::Succeeded { output } = last else {
        panic!("expected success, got {last:?}");
    };
    assert_eq!(output.get("redrives"), Some(&Value::from(2)));
}
