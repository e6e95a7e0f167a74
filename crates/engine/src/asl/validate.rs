//! Validation: definition JSON in, [`StateMachine`] or every issue (with its JSON path) out.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::choice::{compile_comparison, ChoiceBranch, Rule, OPERATORS};
use super::intrinsics::Intrinsic;
use super::path::{Path, PathRoot};
use super::template::Template;
use super::timestamp::parse_rfc3339;
use super::{
    AslIssue, Catcher, Graph, IoPath, Jitter, Next, ResultPath, Retrier, Seconds, State, StateKind,
    StateMachine, Text, Tolerance, WaitFor,
};

const SCHEMA: &str = "SCHEMA_VALIDATION_FAILED";
const MISSING_TARGET: &str = "MISSING_TRANSITION_TARGET";
const UNREACHABLE: &str = "UNREACHABLE_STATE";
const DUPLICATE: &str = "DUPLICATE_STATE_NAME";
const UNSUPPORTED: &str = "UNSUPPORTED_FEATURE";

/// The largest integer most ASL second counts and attempt counts accept.
const MAX_SECONDS: u64 = 99_999_999;
/// The upper bound of `MaxDelaySeconds` (366 days).
const MAX_DELAY_SECONDS: u64 = 31_622_400;

/// The predefined error names a definition may refer to.
pub const PREDEFINED_ERRORS: &[&str] = &[
    "States.ALL",
    "States.HeartbeatTimeout",
    "States.Timeout",
    "States.TaskFailed",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.QueryEvaluationError",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.IntrinsicFailure",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.DataLimitExceeded",
    "States.Runtime",
    "States.Http.Socket",
];

const JSONATA_FIELDS: &[&str] = &["Arguments", "Output", "Assign", "Items", "Condition"];

fn allowed_fields(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "Pass" => &[
            "Type",
            "Comment",
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultPath",
            "Result",
        ],
        "Task" => &[
            "Type",
            "Comment",
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Resource",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
        ],
        "Choice" => &[
            "Type",
            "Comment",
            "InputPath",
            "OutputPath",
            "Choices",
            "Default",
        ],
        "Wait" => &[
            "Type",
            "Comment",
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Seconds",
            "Timestamp",
            "SecondsPath",
            "TimestampPath",
        ],
        "Succeed" => &["Type", "Comment", "InputPath", "OutputPath"],
        "Fail" => &[
            "Type",
            "Comment",
            "Error",
            "Cause",
            "ErrorPath",
            "CausePath",
        ],
        "Parallel" => &[
            "Type",
            "Comment",
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Branches",
        ],
        "Map" => &[
            "Type",
            "Comment",
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "ItemsPath",
            "ItemSelector",
            "Parameters",
            "ItemProcessor",
            "Iterator",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "Label",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
        ],
        _ => &[],
    }
}

struct Validator {
    issues: Vec<AslIssue>,
    graphs: Vec<Graph>,
    all_names: BTreeSet<String>,
}

/// A state's object and where it is, while its graph's names are being resolved.
struct StateSource<'a> {
    object: &'a Map<String, Value>,
    at: String,
}

/// Validates a definition and compiles it; every problem is returned, each at its path.
pub fn validate(definition_json: &str) -> Result<StateMachine, Vec<AslIssue>> {
    let value: Value = match serde_json::from_str(definition_json) {
        Ok(value) => value,
        Err(error) => {
            return Err(vec![AslIssue {
                path: "$".into(),
                code: "INVALID_JSON_DESCRIPTION",
                message: format!("the definition is not valid JSON: {error}"),
            }])
        }
    };
    validate_value(&value)
}

/// [`validate`] for an already parsed definition.
pub fn validate_value(definition: &Value) -> Result<StateMachine, Vec<AslIssue>> {
    let mut validator = Validator {
        issues: Vec::new(),
        graphs: Vec::new(),
        all_names: BTreeSet::new(),
    };
    let Some(object) = definition.as_object() else {
        return Err(vec![AslIssue {
            path: "$".into(),
            code: SCHEMA,
            message: "the definition must be a JSON object".into(),
        }]);
    };
    for key in object.keys() {
        match key.as_str() {
            "Comment" | "StartAt" | "States" | "TimeoutSeconds" | "Version" => {}
            "QueryLanguage" => validator.query_language(object.get(key), &format!("$.{key}")),
            _ => validator.issue(
                format!("$.{key}"),
                SCHEMA,
                format!("field '{key}' is not allowed at the top level"),
            ),
        }
    }
    let comment = validator.optional_string(object, "Comment", "$");
    if let Some(version) = object.get("Version") {
        if !version.is_string() {
            validator.issue("$.Version", SCHEMA, "Version must be a string");
        }
    }
    let timeout_seconds = validator.positive_integer(object, "TimeoutSeconds", "$");
    validator.graph(object, "$");
    let Validator { issues, graphs, .. } = validator;
    if issues.is_empty() {
        Ok(StateMachine {
            comment,
            timeout_seconds,
            graphs,
        })
    } else {
        Err(issues)
    }
}

impl Validator {
    fn issue(&mut self, path: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.issues.push(AslIssue {
            path: path.into(),
            code,
            message: message.into(),
        });
    }

    fn query_language(&mut self, value: Option<&Value>, at: &str) {
        match value.and_then(Value::as_str) {
            Some("JSONPath") => {}
            Some("JSONata") => self.issue(
                at,
                UNSUPPORTED,
                "QueryLanguage JSONata is not supported by this simulation yet",
            ),
            _ => self.issue(
                at,
                SCHEMA,
                "QueryLanguage must be \"JSONPath\" or \"JSONata\"",
            ),
        }
    }

    fn optional_string(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        at: &str,
    ) -> Option<String> {
        match object.get(key) {
            None => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("{key} must be a string"),
                );
                None
            }
        }
    }

    fn integer_in(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        at: &str,
        min: u64,
        max: u64,
    ) -> Option<u64> {
        let value = object.get(key)?;
        match value.as_u64().filter(|n| (min..=max).contains(n)) {
            Some(number) => Some(number),
            None => {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("{key} must be an integer from {min} to {max}, got {value}"),
                );
                None
            }
        }
    }

    fn positive_integer(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        at: &str,
    ) -> Option<u64> {
        self.integer_in(object, key, at, 1, MAX_SECONDS)
    }

    fn path_field(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        at: &str,
        reference: bool,
    ) -> Option<Path> {
        let value = object.get(key)?;
        let Some(text) = value.as_str() else {
            self.issue(
                format!("{at}.{key}"),
                SCHEMA,
                format!("{key} must be a path string"),
            );
            return None;
        };
        let parsed = if reference {
            Path::parse_reference(text)
        } else {
            Path::parse(text)
        };
        match parsed {
            Ok(path) => Some(path),
            Err(message) => {
                self.issue(format!("{at}.{key}"), SCHEMA, message);
                None
            }
        }
    }

    fn io_path(&mut self, object: &Map<String, Value>, key: &str, at: &str) -> IoPath {
        match object.get(key) {
            None => IoPath::Whole,
            Some(Value::Null) => IoPath::Empty,
            Some(_) => match self.path_field(object, key, at, false) {
                Some(path) if path.is_root() && path.root() == PathRoot::Input => IoPath::Whole,
                Some(path) => IoPath::Path(path),
                None => IoPath::Whole,
            },
        }
    }

    fn result_path(&mut self, object: &Map<String, Value>, at: &str) -> ResultPath {
        match object.get("ResultPath") {
            None => ResultPath::Replace,
            Some(Value::Null) => ResultPath::Discard,
            Some(_) => match self.path_field(object, "ResultPath", at, true) {
                Some(path) if path.root() == PathRoot::Context => {
                    self.issue(
                        format!("{at}.ResultPath"),
                        SCHEMA,
                        "ResultPath must start with '$', not '$$'",
                    );
                    ResultPath::Replace
                }
                Some(path) if path.is_root() => ResultPath::Replace,
                Some(path) => ResultPath::At(path),
                None => ResultPath::Replace,
            },
        }
    }

    fn template(&mut self, object: &Map<String, Value>, key: &str, at: &str) -> Option<Template> {
        let value = object.get(key)?;
        let field_at = format!("{at}.{key}");
        if !value.is_object() {
            self.issue(field_at, SCHEMA, format!("{key} must be a JSON object"));
            return None;
        }
        let mut problems = Vec::new();
        let template = Template::compile(value, &field_at, &mut problems);
        for (path, message) in problems {
            self.issue(path, SCHEMA, message);
        }
        Some(template)
    }

    fn target(
        &mut self,
        names: &BTreeMap<String, usize>,
        value: Option<&Value>,
        at: String,
    ) -> Option<usize> {
        match value {
            Some(Value::String(name)) => match names.get(name) {
                Some(&index) => Some(index),
                None => {
                    self.issue(
                        at,
                        MISSING_TARGET,
                        format!("state \"{name}\" does not exist"),
                    );
                    None
                }
            },
            Some(_) => {
                self.issue(at, SCHEMA, "must be a state name (a string)");
                None
            }
            None => None,
        }
    }

    fn error_equals(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        is_last: bool,
    ) -> Vec<String> {
        let field_at = format!("{at}.ErrorEquals");
        let Some(list) = object.get("ErrorEquals").and_then(Value::as_array) else {
            self.issue(
                field_at,
                SCHEMA,
                "ErrorEquals is required and must be an array of error names",
            );
            return Vec::new();
        };
        if list.is_empty() {
            self.issue(field_at.clone(), SCHEMA, "ErrorEquals must not be empty");
        }
        let mut names = Vec::new();
        for (index, item) in list.iter().enumerate() {
            let Some(name) = item.as_str() else {
                self.issue(
                    format!("{field_at}[{index}]"),
                    SCHEMA,
                    "an error name must be a string",
                );
                continue;
            };
            if name.starts_with("States.") && !PREDEFINED_ERRORS.contains(&name) {
                self.issue(
                    format!("{field_at}[{index}]"),
                    SCHEMA,
                    format!("\"{name}\" is not a predefined error name"),
                );
            }
            names.push(name.to_string());
        }
        if names.iter().any(|name| name == "States.ALL") {
            if names.len() > 1 {
                self.issue(
                    field_at.clone(),
                    SCHEMA,
                    "States.ALL must be the only error name in its ErrorEquals",
                );
            }
            if !is_last {
                self.issue(
                    field_at,
                    SCHEMA,
                    "States.ALL may appear only in the last retrier or catcher",
                );
            }
        }
        names
    }

    fn retriers(&mut self, object: &Map<String, Value>, at: &str) -> Vec<Retrier> {
        let Some(value) = object.get("Retry") else {
            return Vec::new();
        };
        let Some(list) = value.as_array() else {
            self.issue(format!("{at}.Retry"), SCHEMA, "Retry must be an array");
            return Vec::new();
        };
        let mut retriers = Vec::new();
        for (index, item) in list.iter().enumerate() {
            let item_at = format!("{at}.Retry[{index}]");
            let Some(retrier) = item.as_object() else {
                self.issue(item_at, SCHEMA, "a retrier must be an object");
                continue;
            };
            for key in retrier.keys() {
                if !matches!(
                    key.as_str(),
                    "ErrorEquals"
                        | "IntervalSeconds"
                        | "MaxAttempts"
                        | "BackoffRate"
                        | "MaxDelaySeconds"
                        | "JitterStrategy"
                        | "Comment"
                ) {
                    self.issue(
                        format!("{item_at}.{key}"),
                        SCHEMA,
                        format!("field '{key}' is not allowed in a retrier"),
                    );
                }
            }
            let error_equals = self.error_equals(retrier, &item_at, index + 1 == list.len());
            let interval_seconds = self
                .integer_in(retrier, "IntervalSeconds", &item_at, 1, MAX_SECONDS)
                .unwrap_or(1);
            let max_attempts = self
                .integer_in(retrier, "MaxAttempts", &item_at, 0, MAX_SECONDS)
                .unwrap_or(3);
            let backoff_rate = match retrier.get("BackoffRate") {
                None => 2.0,
                Some(value) => match value
                    .as_f64()
                    .filter(|rate| *rate >= 1.0 && rate.is_finite())
                {
                    Some(rate) => rate,
                    None => {
                        self.issue(
                            format!("{item_at}.BackoffRate"),
                            SCHEMA,
                            format!("BackoffRate must be a number >= 1.0, got {value}"),
                        );
                        2.0
                    }
                },
            };
            let max_delay_seconds =
                self.integer_in(retrier, "MaxDelaySeconds", &item_at, 1, MAX_DELAY_SECONDS);
            let jitter = match retrier.get("JitterStrategy") {
                None => Jitter::None,
                Some(value) => match value.as_str() {
                    Some("FULL") => Jitter::Full,
                    Some("NONE") => Jitter::None,
                    _ => {
                        self.issue(
                            format!("{item_at}.JitterStrategy"),
                            SCHEMA,
                            "JitterStrategy must be \"FULL\" or \"NONE\"",
                        );
                        Jitter::None
                    }
                },
            };
            retriers.push(Retrier {
                error_equals,
                interval_seconds,
                max_attempts,
                backoff_rate,
                max_delay_seconds,
                jitter,
            });
        }
        retriers
    }

    fn catchers(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        names: &BTreeMap<String, usize>,
    ) -> Vec<Catcher> {
        let Some(value) = object.get("Catch") else {
            return Vec::new();
        };
        let Some(list) = value.as_array() else {
            self.issue(format!("{at}.Catch"), SCHEMA, "Catch must be an array");
            return Vec::new();
        };
        let mut catchers = Vec::new();
        for (index, item) in list.iter().enumerate() {
            let item_at = format!("{at}.Catch[{index}]");
            let Some(catcher) = item.as_object() else {
                self.issue(item_at, SCHEMA, "a catcher must be an object");
                continue;
            };
            for key in catcher.keys() {
                match key.as_str() {
                    "ErrorEquals" | "Next" | "ResultPath" | "Comment" => {}
                    "Output" | "Assign" => self.issue(
                        format!("{item_at}.{key}"),
                        UNSUPPORTED,
                        format!(
                            "{key} (JSONata, variables) is not supported by this simulation yet"
                        ),
                    ),
                    _ => self.issue(
                        format!("{item_at}.{key}"),
                        SCHEMA,
                        format!("field '{key}' is not allowed in a catcher"),
                    ),
                }
            }
            let error_equals = self.error_equals(catcher, &item_at, index + 1 == list.len());
            if catcher.get("Next").is_none() {
                self.issue(format!("{item_at}.Next"), SCHEMA, "a catcher needs Next");
            }
            let next = self.target(names, catcher.get("Next"), format!("{item_at}.Next"));
            let result_path = self.result_path(catcher, &item_at);
            if let Some(next) = next {
                catchers.push(Catcher {
                    error_equals,
                    next,
                    result_path,
                });
            }
        }
        catchers
    }

    /// Validates `{StartAt, States}` at `at`, returns the graph's index.
    fn graph(&mut self, object: &Map<String, Value>, at: &str) -> usize {
        let graph_index = self.graphs.len();
        self.graphs.push(Graph {
            start: 0,
            states: Vec::new(),
            definition_path: format!("{at}.States"),
        });
        let states_at = format!("{at}.States");
        let Some(states) = object.get("States").and_then(Value::as_object) else {
            self.issue(
                states_at,
                SCHEMA,
                "States is required and must be an object",
            );
            return graph_index;
        };
        if states.is_empty() {
            self.issue(
                states_at.clone(),
                SCHEMA,
                "States must contain at least one state",
            );
        }
        let mut names = BTreeMap::new();
        let mut sources = Vec::new();
        for (position, (name, value)) in states.iter().enumerate() {
            let state_at = format!("{states_at}.{name}");
            names.insert(name.clone(), position);
            if name.is_empty() || name.chars().count() > 80 {
                self.issue(
                    state_at.clone(),
                    SCHEMA,
                    "a state name must be 1 to 80 characters long",
                );
            }
            if !self.all_names.insert(name.clone()) {
                self.issue(
                    state_at.clone(),
                    DUPLICATE,
                    format!("state name \"{name}\" is used more than once in the state machine"),
                );
            }
            match value.as_object() {
                Some(object) => sources.push(Some(StateSource {
                    object,
                    at: state_at,
                })),
                None => {
                    self.issue(state_at, SCHEMA, "a state must be an object");
                    sources.push(None);
                }
            }
        }
        let start = match object.get("StartAt") {
            None => {
                self.issue(format!("{at}.StartAt"), SCHEMA, "StartAt is required");
                None
            }
            Some(value) => self.target(&names, Some(value), format!("{at}.StartAt")),
        };
        let mut compiled = Vec::with_capacity(sources.len());
        for ((name, _), source) in states.iter().zip(sources) {
            let state = match source {
                Some(source) => self.state(name, &source, &names),
                None => None,
            };
            compiled.push(state.unwrap_or_else(|| placeholder(name)));
        }
        // Reachability from StartAt.
        if let Some(start) = start {
            let mut reached = vec![false; compiled.len()];
            let mut stack = vec![start];
            while let Some(index) = stack.pop() {
                let Some(seen) = reached.get_mut(index) else {
                    continue;
                };
                if *seen {
                    continue;
                }
                *seen = true;
                let Some(state) = compiled.get(index) else {
                    continue;
                };
                if let Next::State(next) = state.next {
                    stack.push(next);
                }
                stack.extend(state.catch.iter().map(|catcher| catcher.next));
                if let StateKind::Choice { choices, default } = &state.kind {
                    stack.extend(choices.iter().map(|branch| branch.next));
                    stack.extend(default.iter().copied());
                }
            }
            for ((name, _), was_reached) in states.iter().zip(&reached) {
                if !was_reached {
                    self.issue(
                        format!("{states_at}.{name}"),
                        UNREACHABLE,
                        format!("state \"{name}\" is not reachable from StartAt"),
                    );
                }
            }
        }
        if let Some(graph) = self.graphs.get_mut(graph_index) {
            graph.start = start.unwrap_or(0);
            graph.states = compiled;
        }
        graph_index
    }

    fn next_or_end(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        names: &BTreeMap<String, usize>,
    ) -> Next {
        let end = match object.get("End") {
            None => false,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => {
                self.issue(format!("{at}.End"), SCHEMA, "End must be a boolean");
                false
            }
        };
        let next = object.get("Next");
        match (next, end) {
            (Some(_), true) => {
                self.issue(
                    at,
                    SCHEMA,
                    "a state may have Next or \"End\": true, not both",
                );
                Next::End
            }
            (None, false) => {
                self.issue(
                    at,
                    SCHEMA,
                    "a non-terminal state needs Next or \"End\": true",
                );
                Next::End
            }
            (None, true) => Next::End,
            (Some(value), false) => match self.target(names, Some(value), format!("{at}.Next")) {
                Some(index) => Next::State(index),
                None => Next::End,
            },
        }
    }

    fn seconds(&mut self, object: &Map<String, Value>, key: &str, at: &str) -> Option<Seconds> {
        let path_key = format!("{key}Path");
        let fixed = self.positive_integer(object, key, at);
        let path = self.path_field(object, &path_key, at, true);
        if object.contains_key(key) && object.contains_key(&path_key) {
            self.issue(
                at,
                SCHEMA,
                format!("a state may have {key} or {path_key}, not both"),
            );
        }
        fixed.map(Seconds::Fixed).or(path.map(Seconds::Path))
    }

    fn text(&mut self, object: &Map<String, Value>, key: &str, at: &str) -> Option<Text> {
        let path_key = format!("{key}Path");
        if object.contains_key(key) && object.contains_key(&path_key) {
            self.issue(
                at,
                SCHEMA,
                format!("a Fail state may have {key} or {path_key}, not both"),
            );
        }
        if let Some(text) = self.optional_string(object, key, at) {
            return Some(Text::Fixed(text));
        }
        let value = object.get(&path_key)?;
        let field_at = format!("{at}.{path_key}");
        let Some(text) = value.as_str() else {
            self.issue(
                field_at,
                SCHEMA,
                format!("{path_key} must be a path or an intrinsic function"),
            );
            return None;
        };
        let parsed = if text.trim_start().starts_with("States.") {
            Intrinsic::parse(text).map(Text::Intrinsic)
        } else {
            Path::parse_reference(text).map(Text::Path)
        };
        match parsed {
            Ok(parsed) => Some(parsed),
            Err(message) => {
                self.issue(field_at, SCHEMA, message);
                None
            }
        }
    }

    fn rule(&mut self, value: &Value, at: &str, top_level: bool) -> Option<Rule> {
        let Some(object) = value.as_object() else {
            self.issue(at, SCHEMA, "a choice rule must be an object");
            return None;
        };
        if !top_level && object.contains_key("Next") {
            self.issue(
                format!("{at}.Next"),
                SCHEMA,
                "a nested choice rule must not have Next",
            );
        }
        for key in object.keys() {
            let known = matches!(
                key.as_str(),
                "Variable" | "Next" | "And" | "Or" | "Not" | "Comment"
            ) || OPERATORS.contains(&key.as_str());
            if key == "Condition" || key == "Assign" {
                self.issue(
                    format!("{at}.{key}"),
                    UNSUPPORTED,
                    format!("{key} (JSONata, variables) is not supported by this simulation yet"),
                );
            } else if !known {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("field '{key}' is not allowed in a choice rule"),
                );
            }
        }
        let combinators: Vec<&str> = ["And", "Or", "Not"]
            .into_iter()
            .filter(|key| object.contains_key(*key))
            .collect();
        let operators: Vec<&&str> = OPERATORS
            .iter()
            .filter(|key| object.contains_key(**key))
            .collect();
        if combinators.len() + operators.len() != 1 {
            self.issue(
                at,
                SCHEMA,
                format!(
                    "a choice rule needs exactly one comparison operator or one of And, Or, Not; found {}",
                    if combinators.is_empty() && operators.is_empty() {
                        "none".to_string()
                    } else {
                        combinators.iter().copied().chain(operators.iter().map(|s| **s)).collect::<Vec<_>>().join(", ")
                    }
                ),
            );
            return None;
        }
        if let Some(&combinator) = combinators.first() {
            if object.contains_key("Variable") {
                self.issue(
                    format!("{at}.Variable"),
                    SCHEMA,
                    format!("a rule with {combinator} must not have Variable"),
                );
            }
            let inner_at = format!("{at}.{combinator}");
            let inner = object.get(combinator).unwrap_or(&Value::Null);
            if combinator == "Not" {
                if !inner.is_object() {
                    self.issue(
                        inner_at,
                        SCHEMA,
                        "Not takes a single choice rule (an object)",
                    );
                    return None;
                }
                return self
                    .rule(inner, &inner_at, false)
                    .map(|rule| Rule::Not(Box::new(rule)));
            }
            let Some(list) = inner.as_array().filter(|list| !list.is_empty()) else {
                self.issue(
                    inner_at,
                    SCHEMA,
                    format!("{combinator} takes a non-empty array of choice rules"),
                );
                return None;
            };
            let mut rules = Vec::new();
            for (index, item) in list.iter().enumerate() {
                if let Some(rule) = self.rule(item, &format!("{inner_at}[{index}]"), false) {
                    rules.push(rule);
                }
            }
            if rules.len() != list.len() {
                return None;
            }
            return Some(if combinator == "And" {
                Rule::And(rules)
            } else {
                Rule::Or(rules)
            });
        }
        let operator = operators.first().map(|s| **s).unwrap_or("");
        let variable = match object.get("Variable") {
            None => {
                self.issue(
                    format!("{at}.Variable"),
                    SCHEMA,
                    "a comparison rule needs Variable",
                );
                None
            }
            Some(_) => self.path_field(object, "Variable", at, false),
        };
        let comparison =
            match compile_comparison(operator, object.get(operator).unwrap_or(&Value::Null)) {
                Ok(comparison) => Some(comparison),
                Err(message) => {
                    self.issue(format!("{at}.{operator}"), SCHEMA, message);
                    None
                }
            };
        Some(Rule::Compare {
            variable: variable?,
            comparison: comparison?,
        })
    }

    fn state(
        &mut self,
        name: &str,
        source: &StateSource<'_>,
        names: &BTreeMap<String, usize>,
    ) -> Option<State> {
        let object = source.object;
        let at = source.at.as_str();
        let Some(type_name) = object.get("Type").and_then(Value::as_str) else {
            self.issue(format!("{at}.Type"), SCHEMA, "Type is required and must be one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map");
            return None;
        };
        let allowed = allowed_fields(type_name);
        if allowed.is_empty() {
            self.issue(
                format!("{at}.Type"),
                SCHEMA,
                format!("unknown state type \"{type_name}\""),
            );
            return None;
        }
        for key in object.keys() {
            if key == "QueryLanguage" {
                self.query_language(object.get(key), &format!("{at}.{key}"));
            } else if JSONATA_FIELDS.contains(&key.as_str()) {
                self.issue(
                    format!("{at}.{key}"),
                    UNSUPPORTED,
                    format!("{key} (JSONata, variables) is not supported by this simulation yet"),
                );
            } else if !allowed.contains(&key.as_str()) {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("field '{key}' is not allowed in a {type_name} state"),
                );
            }
        }
        let comment = self.optional_string(object, "Comment", at);
        let input_path = self.io_path(object, "InputPath", at);
        let output_path = self.io_path(object, "OutputPath", at);
        let result_path = self.result_path(object, at);
        let parameters = if type_name == "Map" {
            None
        } else {
            self.template(object, "Parameters", at)
        };
        let result_selector = self.template(object, "ResultSelector", at);
        let retry = self.retriers(object, at);
        let catch = self.catchers(object, at, names);
        let terminal = matches!(type_name, "Choice" | "Succeed" | "Fail");
        let next = if terminal {
            Next::None
        } else {
            self.next_or_end(object, at, names)
        };
        let kind = match type_name {
            "Pass" => StateKind::Pass {
                result: object.get("Result").cloned(),
            },
            "Task" => {
                let resource = match object.get("Resource").and_then(Value::as_str) {
                    Some(resource) => Arc::from(resource),
                    None => {
                        self.issue(
                            format!("{at}.Resource"),
                            SCHEMA,
                            "a Task needs Resource (a string)",
                        );
                        Arc::from("")
                    }
                };
                let timeout = self.seconds(object, "TimeoutSeconds", at);
                let heartbeat = self.seconds(object, "HeartbeatSeconds", at);
                if let Some(Seconds::Fixed(heartbeat)) = heartbeat {
                    let timeout_value = match timeout {
                        Some(Seconds::Fixed(timeout)) => Some(timeout),
                        None => Some(MAX_SECONDS),
                        _ => None,
                    };
                    if timeout_value.is_some_and(|timeout| heartbeat >= timeout) {
                        self.issue(
                            format!("{at}.HeartbeatSeconds"),
                            SCHEMA,
                            "HeartbeatSeconds must be smaller than TimeoutSeconds",
                        );
                    }
                }
                StateKind::Task {
                    resource,
                    timeout,
                    heartbeat,
                }
            }
            "Choice" => {
                let choices_at = format!("{at}.Choices");
                let mut choices = Vec::new();
                match object.get("Choices").and_then(Value::as_array) {
                    Some(list) if !list.is_empty() => {
                        for (index, item) in list.iter().enumerate() {
                            let rule_at = format!("{choices_at}[{index}]");
                            let next = match item.get("Next") {
                                None => {
                                    self.issue(
                                        format!("{rule_at}.Next"),
                                        SCHEMA,
                                        "a top-level choice rule needs Next",
                                    );
                                    None
                                }
                                Some(value) => {
                                    self.target(names, Some(value), format!("{rule_at}.Next"))
                                }
                            };
                            let rule = self.rule(item, &rule_at, true);
                            if let (Some(rule), Some(next)) = (rule, next) {
                                choices.push(ChoiceBranch { rule, next });
                            }
                        }
                    }
                    _ => self.issue(
                        choices_at,
                        SCHEMA,
                        "Choices is required and must be a non-empty array",
                    ),
                }
                let default = self.target(names, object.get("Default"), format!("{at}.Default"));
                StateKind::Choice { choices, default }
            }
            "Wait" => {
                let present: Vec<&str> = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]
                    .into_iter()
                    .filter(|key| object.contains_key(*key))
                    .collect();
                if present.len() != 1 {
                    self.issue(at, SCHEMA, "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath");
                }
                let wait = match present.first().copied() {
                    Some("Seconds") => WaitFor::Seconds(
                        self.integer_in(object, "Seconds", at, 0, MAX_SECONDS)
                            .unwrap_or(0),
                    ),
                    Some("Timestamp") => {
                        let parsed = object
                            .get("Timestamp")
                            .and_then(Value::as_str)
                            .and_then(parse_rfc3339);
                        if parsed.is_none() {
                            self.issue(format!("{at}.Timestamp"), SCHEMA, "Timestamp must be an RFC 3339 timestamp such as 2016-08-18T17:33:00Z");
                        }
                        WaitFor::Timestamp(parsed.unwrap_or(0))
                    }
                    Some("SecondsPath") => match self.path_field(object, "SecondsPath", at, true) {
                        Some(path) => WaitFor::SecondsPath(path),
                        None => WaitFor::Seconds(0),
                    },
                    Some(_) => match self.path_field(object, "TimestampPath", at, true) {
                        Some(path) => WaitFor::TimestampPath(path),
                        None => WaitFor::Seconds(0),
                    },
                    None => WaitFor::Seconds(0),
                };
                StateKind::Wait { wait }
            }
            "Succeed" => StateKind::Succeed,
            "Fail" => StateKind::Fail {
                error: self.text(object, "Error", at),
                cause: self.text(object, "Cause", at),
            },
            "Parallel" => {
                let branches_at = format!("{at}.Branches");
                let mut branches = Vec::new();
                match object.get("Branches").and_then(Value::as_array) {
                    Some(list) if !list.is_empty() => {
                        for (index, item) in list.iter().enumerate() {
                            let branch_at = format!("{branches_at}[{index}]");
                            let Some(branch) = item.as_object() else {
                                self.issue(
                                    branch_at,
                                    SCHEMA,
                                    "a branch must be an object with StartAt and States",
                                );
                                continue;
                            };
                            for key in branch.keys() {
                                if !matches!(key.as_str(), "StartAt" | "States" | "Comment") {
                                    self.issue(
                                        format!("{branch_at}.{key}"),
                                        SCHEMA,
                                        format!("field '{key}' is not allowed in a branch"),
                                    );
                                }
                            }
                            branches.push(self.graph(branch, &branch_at));
                        }
                    }
                    _ => self.issue(
                        branches_at,
                        SCHEMA,
                        "Branches is required and must be a non-empty array",
                    ),
                }
                StateKind::Parallel { branches }
            }
            _ => self.map_state(object, at)?,
        };
        Some(State {
            name: Arc::from(name),
            comment,
            kind,
            input_path,
            output_path,
            result_path,
            parameters,
            result_selector,
            retry,
            catch,
            next,
        })
    }

    fn map_state(&mut self, object: &Map<String, Value>, at: &str) -> Option<StateKind> {
        let items_path = self.io_path(object, "ItemsPath", at);
        if object.contains_key("ItemSelector") && object.contains_key("Parameters") {
            self.issue(
                at,
                SCHEMA,
                "a Map may have ItemSelector or the older Parameters, not both",
            );
        }
        let item_selector = self
            .template(object, "ItemSelector", at)
            .or_else(|| self.template(object, "Parameters", at));
        for key in [
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCountPath",
        ] {
            if object.contains_key(key) {
                self.issue(
                    format!("{at}.{key}"),
                    UNSUPPORTED,
                    format!("{key} is not supported by this simulation yet"),
                );
            }
        }
        let (processor_key, processor) = match (object.get("ItemProcessor"), object.get("Iterator"))
        {
            (Some(_), Some(_)) => {
                self.issue(
                    at,
                    SCHEMA,
                    "a Map may have ItemProcessor or the older Iterator, not both",
                );
                return None;
            }
            (Some(processor), None) => ("ItemProcessor", processor),
            (None, Some(iterator)) => ("Iterator", iterator),
            (None, None) => {
                self.issue(
                    format!("{at}.ItemProcessor"),
                    SCHEMA,
                    "a Map needs ItemProcessor",
                );
                return None;
            }
        };
        let processor_at = format!("{at}.{processor_key}");
        let Some(processor) = processor.as_object() else {
            self.issue(
                processor_at,
                SCHEMA,
                format!("{processor_key} must be an object with StartAt and States"),
            );
            return None;
        };
        let mut distributed = false;
        for key in processor.keys() {
            match key.as_str() {
                "StartAt" | "States" | "Comment" => {}
                "ProcessorConfig" => {
                    let config_at = format!("{processor_at}.ProcessorConfig");
                    let Some(config) = processor.get(key).and_then(Value::as_object) else {
                        self.issue(config_at, SCHEMA, "ProcessorConfig must be an object");
                        continue;
                    };
                    for (config_key, value) in config {
                        match (config_key.as_str(), value.as_str()) {
                            ("Mode", Some("INLINE")) => {}
                            ("Mode", Some("DISTRIBUTED")) => distributed = true,
                            ("ExecutionType", Some("STANDARD" | "EXPRESS")) => {}
                            ("Mode", _) => self.issue(
                                format!("{config_at}.Mode"),
                                SCHEMA,
                                "Mode must be \"INLINE\" or \"DISTRIBUTED\"",
                            ),
                            ("ExecutionType", _) => self.issue(
                                format!("{config_at}.ExecutionType"),
                                SCHEMA,
                                "ExecutionType must be \"STANDARD\" or \"EXPRESS\"",
                            ),
                            _ => self.issue(
                                format!("{config_at}.{config_key}"),
                                SCHEMA,
                                format!("field '{config_key}' is not allowed in ProcessorConfig"),
                            ),
                        }
                    }
                    if distributed && !config.contains_key("ExecutionType") {
                        self.issue(
                            format!("{config_at}.ExecutionType"),
                            SCHEMA,
                            "a DISTRIBUTED Map needs ExecutionType",
                        );
                    }
                }
                _ => self.issue(
                    format!("{processor_at}.{key}"),
                    SCHEMA,
                    format!("field '{key}' is not allowed in {processor_key}"),
                ),
            }
        }
        let processor_graph = self.graph(processor, &processor_at);
        let max_concurrency = self
            .integer_in(object, "MaxConcurrency", at, 0, u64::from(u32::MAX))
            .unwrap_or(0);
        let max_concurrency_path = self.path_field(object, "MaxConcurrencyPath", at, true);
        if object.contains_key("MaxConcurrency") && object.contains_key("MaxConcurrencyPath") {
            self.issue(
                at,
                SCHEMA,
                "a Map may have MaxConcurrency or MaxConcurrencyPath, not both",
            );
        }
        let percentage = match object.get("ToleratedFailurePercentage") {
            None => None,
            Some(value) => match value.as_f64().filter(|p| (0.0..=100.0).contains(p)) {
                Some(percentage) => Some(percentage),
                None => {
                    self.issue(
                        format!("{at}.ToleratedFailurePercentage"),
                        SCHEMA,
                        "ToleratedFailurePercentage must be a number from 0 to 100",
                    );
                    None
                }
            },
        };
        let count = self.integer_in(object, "ToleratedFailureCount", at, 0, MAX_SECONDS);
        if (percentage.is_some() || count.is_some()) && !distributed {
            self.issue(
                at,
                SCHEMA,
                "ToleratedFailurePercentage and ToleratedFailureCount need a DISTRIBUTED Map",
            );
        }
        if let Some(label) = object.get("Label") {
            if label
                .as_str()
                .is_none_or(|label| label.chars().count() > 40)
            {
                self.issue(
                    format!("{at}.Label"),
                    SCHEMA,
                    "Label must be a string of at most 40 characters",
                );
            }
        }
        Some(StateKind::Map {
            items_path,
            item_selector,
            processor: processor_graph,
            max_concurrency,
            max_concurrency_path,
            distributed,
            tolerance: Tolerance { percentage, count },
        })
    }
}

fn placeholder(name: &str) -> State {
    State {
        name: Arc::from(name),
        comment: None,
        kind: StateKind::Succeed,
        input_path: IoPath::Whole,
        output_path: IoPath::Whole,
        result_path: ResultPath::Replace,
        parameters: None,
        result_selector: None,
        retry: Vec::new(),
        catch: Vec::new(),
        next: Next::None,
    }
}
