//! Mocked task responses in the shape of the Step Functions Local mock configuration:
//!
//! ```json
//! { "StateMachines": { "Orders": { "TestCases": { "HappyPath": { "Charge": "ChargeOk" } } } },
//!   "MockedResponses": { "ChargeOk": {
//!       "0": { "Throw": { "Error": "Lambda.TooManyRequestsException", "Cause": "slow down" } },
//!       "1-2": { "Return": { "StatusCode": 200, "Payload": { "charged": true } } } } } }
//! ```
//!
//! Attempt keys are invocation numbers of that state within the execution (0-based), a
//! single number or an inclusive range `a-b`. An invocation past the last key repeats the
//! last response. A state the test case does not mock echoes its input.

use std::collections::BTreeMap;

use serde_json::Value;

use super::distributed::{Buckets, ObjectStore};
use super::interpreter::{TaskHandler, TaskRequest, TaskStart};
use super::StatesError;

/// One mocked answer.
#[derive(Clone, Debug, PartialEq)]
pub enum MockResponse {
    Return(Value),
    Throw { error: String, cause: String },
}

/// A mocked response: answers by attempt, as `(first, last, response)` ranges.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MockedResponse {
    pub attempts: Vec<(u64, u64, MockResponse)>,
}

impl MockedResponse {
    /// The response for invocation `attempt` (0-based); past the end, the last one.
    pub fn for_attempt(&self, attempt: u64) -> Option<&MockResponse> {
        self.attempts
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&attempt))
            .or_else(|| self.attempts.iter().max_by_key(|(_, last, _)| *last))
            .map(|(_, _, response)| response)
    }
}

/// A parsed mock configuration.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MockConfig {
    /// State machine name → test case name → state name → mocked response name.
    pub state_machines: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    pub mocked_responses: BTreeMap<String, MockedResponse>,
}

fn parse_attempts(key: &str) -> Option<(u64, u64)> {
    match key.split_once('-') {
        Some((first, last)) => {
            let first = first.trim().parse().ok()?;
            let last = last.trim().parse().ok()?;
            (first <= last).then_some((first, last))
        }
        None => {
            let single = key.trim().parse().ok()?;
            Some((single, single))
        }
    }
}

impl MockConfig {
    /// Parses the mock configuration JSON; the error names the offending path.
    pub fn parse(text: &str) -> Result<MockConfig, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|error| format!("$: not valid JSON: {error}"))?;
        if !value.is_object() {
            return Err("$: must be an object with StateMachines and MockedResponses".to_string());
        }
        let mut config = MockConfig::default();
        if let Some(machines) = value.get("StateMachines") {
            let machines = machines
                .as_object()
                .ok_or("$.StateMachines: must be an object")?;
            for (machine, body) in machines {
                let cases = body
                    .get("TestCases")
                    .and_then(Value::as_object)
                    .ok_or_else(|| {
                        format!("$.StateMachines.{machine}.TestCases: must be an object")
                    })?;
                let mut parsed_cases = BTreeMap::new();
                for (case, states) in cases {
                    let states = states.as_object().ok_or_else(|| {
                        format!("$.StateMachines.{machine}.TestCases.{case}: must be an object")
                    })?;
                    let mut mapping = BTreeMap::new();
                    for (state, response) in states {
                        let response = response.as_str().ok_or_else(|| {
                            format!("$.StateMachines.{machine}.TestCases.{case}.{state}: must be a mocked response name")
                        })?;
                        mapping.insert(state.clone(), response.to_string());
                    }
                    parsed_cases.insert(case.clone(), mapping);
                }
                config.state_machines.insert(machine.clone(), parsed_cases);
            }
        }
        if let Some(responses) = value.get("MockedResponses") {
            let responses = responses
                .as_object()
                .ok_or("$.MockedResponses: must be an object")?;
            for (name, attempts) in responses {
                let at = format!("$.MockedResponses.{name}");
                let attempts = attempts
                    .as_object()
                    .ok_or_else(|| format!("{at}: must be an object"))?;
                let mut parsed = MockedResponse::default();
                for (key, body) in attempts {
                    let (first, last) = parse_attempts(key).ok_or_else(|| {
                        format!("{at}.{key}: must be an attempt number or a range such as 1-2")
                    })?;
                    let response = match (body.get("Return"), body.get("Throw")) {
                        (Some(value), None) => MockResponse::Return(value.clone()),
                        (None, Some(throw)) => MockResponse::Throw {
                            error: throw
                                .get("Error")
                                .and_then(Value::as_str)
                                .unwrap_or("States.TaskFailed")
                                .to_string(),
                            cause: throw
                                .get("Cause")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .to_string(),
                        },
                        _ => {
                            return Err(format!("{at}.{key}: needs exactly one of Return or Throw"))
                        }
                    };
                    parsed.attempts.push((first, last, response));
                }
                config.mocked_responses.insert(name.clone(), parsed);
            }
        }
        for (machine, cases) in &config.state_machines {
            for (case, states) in cases {
                for (state, response) in states {
                    if !config.mocked_responses.contains_key(response) {
                        return Err(format!(
                            "$.StateMachines.{machine}.TestCases.{case}.{state}: mocked response \"{response}\" does not exist"
                        ));
                    }
                }
            }
        }
        Ok(config)
    }
}

/// A [`TaskHandler`] that answers from a mock configuration's test case, at once.
#[derive(Clone, Debug, Default)]
pub struct MockHandler {
    /// State name → its mocked responses.
    responses: BTreeMap<String, MockedResponse>,
    invocations: BTreeMap<String, u64>,
    /// The buckets a Distributed Map reads and writes (none by default).
    buckets: Buckets,
}

impl MockHandler {
    /// The handler for one test case of one state machine.
    pub fn new(
        config: &MockConfig,
        state_machine: &str,
        test_case: &str,
    ) -> Result<MockHandler, String> {
        let states = config
            .state_machines
            .get(state_machine)
            .ok_or_else(|| {
                format!("state machine \"{state_machine}\" is not in the mock configuration")
            })?
            .get(test_case)
            .ok_or_else(|| format!("test case \"{test_case}\" is not in the mock configuration"))?;
        let mut responses = BTreeMap::new();
        for (state, response) in states {
            if let Some(mocked) = config.mocked_responses.get(response) {
                responses.insert(state.clone(), mocked.clone());
            }
        }
        Ok(MockHandler {
            responses,
            invocations: BTreeMap::new(),
            buckets: Buckets::new(),
        })
    }

    /// A handler with responses given directly, by state name.
    pub fn from_responses(responses: BTreeMap<String, MockedResponse>) -> MockHandler {
        MockHandler {
            responses,
            invocations: BTreeMap::new(),
            buckets: Buckets::new(),
        }
    }

    /// The same handler over these S3 buckets.
    pub fn with_buckets(mut self, buckets: Buckets) -> MockHandler {
        self.buckets = buckets;
        self
    }

    /// The buckets, with what a `ResultWriter` wrote.
    pub fn buckets(&self) -> &Buckets {
        &self.buckets
    }

    /// How many times each state's task was invoked.
    pub fn invocations(&self) -> &BTreeMap<String, u64> {
        &self.invocations
    }
}

impl TaskHandler for MockHandler {
    fn objects(&mut self) -> Option<&mut dyn ObjectStore> {
        Some(&mut self.buckets)
    }

    fn start_task(&mut self, request: &TaskRequest<'_>) -> TaskStart {
        let count = self
            .invocations
            .entry(request.state_name.to_string())
            .or_insert(0);
        let attempt = *count;
        *count += 1;
        let Some(mocked) = self.responses.get(request.state_name) else {
            return TaskStart::Completed(Ok(request.input.clone()));
        };
        TaskStart::Completed(match mocked.for_attempt(attempt) {
            Some(MockResponse::Return(value)) => Ok(value.clone()),
            Some(MockResponse::Throw { error, cause }) => {
                Err(StatesError::new(error.clone(), cause.clone()))
            }
            None => Ok(request.input.clone()),
        })
    }
}
