//! One execution of a pasted state machine definition, for the Step Functions workbench:
//! validation, the run in virtual time with task results from a Step Functions Local mock
//! configuration, and per-state counts up to any point of the history. Free of DOM types.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use loosely_engine::asl::{
    run_to_end, validate, AslIssue, EventType, Execution, ExecutionContext, ExecutionKind,
    HistoryEvent, MockConfig, MockHandler, RunEnd, StateMachine,
};
use loosely_engine::SimRng;

/// Guard on `advance` calls of one run (a definition that finishes never reaches it).
pub const MAX_STEPS: u64 = 1_000_000;

/// A finished run.
#[derive(Clone, Debug)]
pub struct Finished {
    pub end: RunEnd,
    pub history: Rc<Vec<HistoryEvent>>,
    pub transitions: u64,
}

/// Why a run did not start, naming the field.
#[derive(Clone, Debug, PartialEq)]
pub enum RunProblem {
    Definition(Vec<AslIssue>),
    Input(String),
    Mock(String),
}

impl std::fmt::Display for RunProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunProblem::Definition(issues) => {
                write!(f, "the definition has {} problem(s)", issues.len())
            }
            RunProblem::Input(why) => write!(f, "Input: {why}"),
            RunProblem::Mock(why) => write!(f, "Mock configuration: {why}"),
        }
    }
}

/// The test cases a mock configuration offers, as `(state machine, test case)`; an error
/// says why the text is not one.
pub fn test_cases(mock_json: &str) -> Result<Vec<(String, String)>, String> {
    let config = MockConfig::parse(mock_json)?;
    Ok(config
        .state_machines
        .iter()
        .flat_map(|(machine, cases)| cases.keys().map(|case| (machine.clone(), case.clone())))
        .collect())
}

/// Validates and runs one execution. `mock` is the configuration's text and the chosen
/// `(state machine, test case)`; without it every Task returns its input.
pub fn run(
    definition: &str,
    input: &str,
    mock: Option<(&str, &str, &str)>,
    kind: ExecutionKind,
    seed: u64,
) -> Result<Finished, RunProblem> {
    let machine: StateMachine = validate(definition).map_err(RunProblem::Definition)?;
    let input = if input.trim().is_empty() {
        serde_json::json!({})
    } else {
        serde_json::from_str(input)
            .map_err(|error| RunProblem::Input(format!("not valid JSON ({error})")))?
    };
    let mut handler = match mock {
        None => MockHandler::default(),
        Some((text, machine_name, case)) => {
            let config = MockConfig::parse(text).map_err(RunProblem::Mock)?;
            MockHandler::new(&config, machine_name, case).map_err(RunProblem::Mock)?
        }
    };
    let context = ExecutionContext {
        kind,
        ..ExecutionContext::default()
    };
    let mut execution = Execution::start(Arc::new(machine), input, context);
    let mut rng = SimRng::seed_from_u64(seed);
    let end = run_to_end(&mut execution, &mut handler, &mut rng, MAX_STEPS);
    Ok(Finished {
        end,
        history: Rc::new(execution.history().to_vec()),
        transitions: execution.transitions(),
    })
}

/// How many times each state (by name) was entered in the first `upto` history events.
pub fn entered_counts(history: &[HistoryEvent], upto: usize) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for event in history.iter().take(upto) {
        if let (EventType::StateEntered(_), Some(name)) = (event.event_type, &event.state_name) {
            *counts.entry(name.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

/// The states that raised an error (a failed task, a Fail state, a timeout) in the first
/// `upto` events; an error event without a state name belongs to the state entered last.
pub fn failed_states(history: &[HistoryEvent], upto: usize) -> Vec<String> {
    let mut current: Option<String> = None;
    let mut failed = Vec::new();
    for event in history.iter().take(upto) {
        if let (EventType::StateEntered(_), Some(name)) = (event.event_type, &event.state_name) {
            current = Some(name.to_string());
        }
        if event.error.is_some() {
            let state = event
                .state_name
                .as_ref()
                .map(|n| n.to_string())
                .or_else(|| current.clone());
            if let Some(state) = state {
                if !failed.contains(&state) {
                    failed.push(state);
                }
            }
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDER: &str = include_str!("../examples/asl/order-workflow.json");
    const ORDER_MOCK: &str = include_str!("../examples/asl/order-workflow.mock.json");

    #[test]
    fn the_order_workflow_runs_with_and_without_its_mock() {
        let input = r#"{"orderId": "o-1", "total": 120, "items": [{"sku": "a"}, {"sku": "b"}]}"#;
        let plain = run(ORDER, input, None, ExecutionKind::Standard, 1).expect("runs");
        assert!(plain.transitions > 3);
        assert!(matches!(
            plain.history.first().map(|e| e.event_type),
            Some(EventType::ExecutionStarted)
        ));
        let cases = test_cases(ORDER_MOCK).expect("a mock configuration");
        assert!(!cases.is_empty());
        for (machine, case) in &cases {
            let mocked = run(
                ORDER,
                input,
                Some((ORDER_MOCK, machine, case)),
                ExecutionKind::Standard,
                1,
            )
            .expect("runs");
            assert!(mocked.history.len() > 2, "{case}");
            let counts = entered_counts(&mocked.history, mocked.history.len());
            assert!(counts.values().sum::<u64>() >= 1);
            // Counting up to an earlier event never counts more.
            let half = entered_counts(&mocked.history, mocked.history.len() / 2);
            assert!(half
                .iter()
                .all(|(state, n)| counts.get(state).is_some_and(|all| all >= n)));
        }
    }

    #[test]
    fn a_failing_state_is_named_and_the_error_is_the_states_one() {
        let definition = r#"{"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Custom.Error", "Cause": "because"}}}"#;
        let finished = run(definition, "{}", None, ExecutionKind::Express, 1).expect("runs");
        assert_eq!(
            finished.end,
            RunEnd::Failed {
                error: "Custom.Error".into(),
                cause: "because".into()
            }
        );
        assert!(
            failed_states(&finished.history, finished.history.len()).contains(&"Boom".to_string())
        );
    }

    #[test]
    fn bad_input_names_the_field() {
        assert!(matches!(
            run("{", "{}", None, ExecutionKind::Standard, 1),
            Err(RunProblem::Definition(_))
        ));
        let pass = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
        assert!(matches!(
            run(pass, "{oops", None, ExecutionKind::Standard, 1),
            Err(RunProblem::Input(_))
        ));
        let problem = run(
            pass,
            "{}",
            Some(("{}", "m", "c")),
            ExecutionKind::Standard,
            1,
        )
        .unwrap_err();
        assert!(
            problem.to_string().starts_with("Mock configuration: "),
            "{problem}"
        );
        assert!(test_cases("[1]").is_err());
    }
}
