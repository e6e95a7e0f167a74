//! Validation: definition JSON in, [`StateMachine`] or every issue (with its JSON path) out.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::choice::{compile_comparison, ChoiceBranch, Rule, OPERATORS};
use super::distributed::{
    CsvHeader, Distributed, InputType, ItemBatcher, ItemReader, OutputType, Payload, ReaderSource,
    ResultWriter, Setting, Transformation, WriterConfig, MAX_BATCH_BYTES, MAX_ITEMS_LIMIT,
};
use super::intrinsics::Intrinsic;
use super::jsonata::{expression_text, JsonataTemplate};
use super::path::{Path, PathRoot};
use super::template::Template;
use super::timestamp::parse_rfc3339;
use super::{
    AslIssue, Assign, Catcher, Graph, IoPath, Jitter, JsonataChoice, JsonataFields, Next,
    QueryLanguage, ResultPath, Retrier, Seconds, State, StateKind, StateMachine, Text, WaitFor,
    MAX_VARIABLE_NAME_CHARS,
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

/// Fields only a JSONata state may have (`Assign` is in both languages).
const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items"];
/// Fields only a JSONPath state may have.
const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Result",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "ErrorPath",
    "CausePath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
];

/// The JSONata fields and `Assign` each state type accepts.
fn allowed_jsonata_fields(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "Task" | "Parallel" => &["Arguments", "Output", "Assign"],
        "Map" => &["Items", "Output", "Assign"],
        "Pass" | "Choice" | "Wait" => &["Output", "Assign"],
        "Succeed" => &["Output"],
        _ => &[],
    }
}

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
    /// The top level's query language.
    top_language: QueryLanguage,
    /// The graph whose states are being validated.
    current_graph: usize,
    /// Per graph: its enclosing graph and whether it is a Distributed Map's processor.
    graph_parents: Vec<(Option<usize>, bool)>,
    /// Per graph: the variables its states assign, with where.
    assigned: Vec<Vec<(String, String)>>,
    /// Per graph: the variables its states read, with where.
    read: Vec<Vec<(String, String)>>,
    /// Set while a Map's processor is being validated in DISTRIBUTED mode.
    next_graph_distributed: bool,
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
        top_language: QueryLanguage::JsonPath,
        current_graph: 0,
        graph_parents: Vec::new(),
        assigned: Vec::new(),
        read: Vec::new(),
        next_graph_distributed: false,
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
            "QueryLanguage" => {
                validator.top_language = validator
                    .query_language(object.get(key), &format!("$.{key}"))
                    .unwrap_or_default();
            }
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
    validator.check_variable_scopes();
    let top_language = validator.top_language;
    let Validator { issues, graphs, .. } = validator;
    if issues.is_empty() {
        Ok(StateMachine {
            comment,
            query_language: top_language,
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

    fn query_language(&mut self, value: Option<&Value>, at: &str) -> Option<QueryLanguage> {
        match value.and_then(Value::as_str) {
            Some("JSONPath") => Some(QueryLanguage::JsonPath),
            Some("JSONata") => Some(QueryLanguage::Jsonata),
            _ => {
                self.issue(
                    at,
                    SCHEMA,
                    "QueryLanguage must be \"JSONPath\" or \"JSONata\"",
                );
                None
            }
        }
    }

    /// A JSONata field: a value whose `{% %}` strings are expressions.
    fn jsonata(&mut self, value: &Value, at: &str) -> JsonataTemplate {
        let mut problems = Vec::new();
        let template = JsonataTemplate::compile(value, at, &mut problems);
        for (path, message) in problems {
            self.issue(path, SCHEMA, message);
        }
        let mut names = Vec::new();
        template.variables(&mut names);
        for name in names {
            if name.is_empty() || name == "$" {
                self.issue(
                    at,
                    SCHEMA,
                    "a JSONata expression cannot read $ or $$ at the top level; use $states.input and $states.context",
                );
            } else if name != "states" {
                self.note_read(&name, at);
            }
        }
        template
    }

    fn jsonata_field(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        at: &str,
    ) -> Option<JsonataTemplate> {
        let value = object.get(key)?;
        Some(self.jsonata(value, &format!("{at}.{key}")))
    }

    /// A field that takes a literal or a `{% %}` expression; `literal` checks the literal.
    fn literal_or_expression(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        at: &str,
        literal: impl FnOnce(&mut Validator) -> bool,
    ) -> Option<JsonataTemplate> {
        let value = object.get(key)?;
        if value.as_str().and_then(expression_text).is_some() {
            return Some(self.jsonata(value, &format!("{at}.{key}")));
        }
        literal(self);
        None
    }

    fn note_read(&mut self, name: &str, at: &str) {
        if let Some(reads) = self.read.get_mut(self.current_graph) {
            reads.push((name.to_string(), at.to_string()));
        }
    }

    fn template_reads(&mut self, template: &Template, at: &str) {
        let mut names = Vec::new();
        template.variables(&mut names);
        for name in names {
            self.note_read(&name, at);
        }
    }

    /// `Assign`: variable names (JSONPath keys may end in `.$`) and their values.
    fn assign(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        language: QueryLanguage,
    ) -> Option<Assign> {
        let value = object.get("Assign")?;
        let assign_at = format!("{at}.Assign");
        let Some(fields) = value.as_object() else {
            self.issue(
                assign_at,
                SCHEMA,
                "Assign must be a JSON object of variable names",
            );
            return None;
        };
        for key in fields.keys() {
            let name = match language {
                QueryLanguage::JsonPath => key.strip_suffix(".$").unwrap_or(key),
                QueryLanguage::Jsonata => key.as_str(),
            };
            let key_at = format!("{assign_at}.{key}");
            let valid = name
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !valid {
                self.issue(key_at, SCHEMA, format!("'{name}' is not a variable name: it must start with a letter or '_' and hold only letters, digits and '_' (no sub-path such as x.y or x[2])"));
            } else if name == "states" {
                self.issue(key_at, SCHEMA, "$states is reserved and cannot be assigned");
            } else if name.chars().count() > MAX_VARIABLE_NAME_CHARS {
                self.issue(
                    key_at,
                    SCHEMA,
                    format!("a variable name is at most {MAX_VARIABLE_NAME_CHARS} characters"),
                );
            } else if let Some(assigned) = self.assigned.get_mut(self.current_graph) {
                assigned.push((name.to_string(), key_at));
            }
        }
        Some(match language {
            QueryLanguage::Jsonata => Assign::Jsonata(self.jsonata(value, &assign_at)),
            QueryLanguage::JsonPath => {
                let mut problems = Vec::new();
                let template = Template::compile(value, &assign_at, &mut problems);
                for (path, message) in problems {
                    self.issue(path, SCHEMA, message);
                }
                self.template_reads(&template, &assign_at);
                Assign::JsonPath(template)
            }
        })
    }

    /// Variable scope rules: an inner scope (a Parallel branch, a Map iteration) may read
    /// but not assign an outer variable, and a Distributed Map's child executions cannot
    /// read outer variables at all.
    fn check_variable_scopes(&mut self) {
        let mut issues = Vec::new();
        let assigns = |graphs: &Vec<Vec<(String, String)>>, graph: usize, name: &str| {
            graphs
                .get(graph)
                .is_some_and(|list| list.iter().any(|(n, _)| n == name))
        };
        for graph in 0..self.graph_parents.len() {
            let mut cursor = graph;
            let mut crossed_distributed = false;
            while let Some(&(Some(parent), distributed_processor)) = self.graph_parents.get(cursor)
            {
                crossed_distributed |= distributed_processor;
                for (name, at) in self.assigned.get(graph).into_iter().flatten() {
                    if assigns(&self.assigned, parent, name) {
                        issues.push((at.clone(), format!("${name} is assigned in an enclosing scope: a Parallel branch or Map iteration can read an outer variable but not assign it, nor declare one of the same name")));
                    }
                }
                if crossed_distributed {
                    for (name, at) in self.read.get(graph).into_iter().flatten() {
                        if !assigns(&self.assigned, graph, name)
                            && assigns(&self.assigned, parent, name)
                        {
                            issues.push((at.clone(), format!("${name} is assigned outside a Distributed Map, whose child executions cannot read outer variables (pass the value in ItemSelector)")));
                        }
                    }
                }
                cursor = parent;
            }
        }
        issues.sort();
        issues.dedup();
        for (at, message) in issues {
            self.issue(at, SCHEMA, message);
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
            Ok(path) if path.variable().is_some() && key != "Variable" => {
                // Variables are read in payload templates, intrinsic arguments, Assign,
                // Choice rules' Variable and Fail's ErrorPath/CausePath.
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("{key} cannot read a variable; use it in Parameters, ResultSelector, ItemSelector or Assign"),
                );
                None
            }
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
        language: QueryLanguage,
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
                    "ErrorEquals" | "Next" | "Comment" | "Assign" => {}
                    "ResultPath" if language == QueryLanguage::Jsonata => self.issue(
                        format!("{item_at}.{key}"),
                        SCHEMA,
                        "ResultPath is a JSONPath field; a JSONata catcher uses Output and Assign",
                    ),
                    "Output" if language == QueryLanguage::JsonPath => self.issue(
                        format!("{item_at}.{key}"),
                        SCHEMA,
                        "Output is a JSONata field; a JSONPath catcher uses ResultPath",
                    ),
                    "ResultPath" | "Output" => {}
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
            let output = match language {
                QueryLanguage::Jsonata => self.jsonata_field(catcher, "Output", &item_at),
                QueryLanguage::JsonPath => None,
            };
            let assign = self.assign(catcher, &item_at, language);
            if let Some(next) = next {
                catchers.push(Catcher {
                    error_equals,
                    next,
                    result_path,
                    output,
                    assign,
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
        let parent = (graph_index > 0).then_some(self.current_graph);
        self.graph_parents
            .push((parent, std::mem::take(&mut self.next_graph_distributed)));
        self.assigned.push(Vec::new());
        self.read.push(Vec::new());
        let enclosing = std::mem::replace(&mut self.current_graph, graph_index);
        let index = self.graph_body(object, at, graph_index);
        self.current_graph = enclosing;
        index
    }

    fn graph_body(&mut self, object: &Map<String, Value>, at: &str, graph_index: usize) -> usize {
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
                if let Some(fields) = &state.jsonata {
                    stack.extend(fields.choices.iter().map(|choice| choice.next));
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
            if key == "Condition" {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    "Condition is a JSONata field; set QueryLanguage to JSONata or use Variable and a comparison operator",
                );
            } else if key == "Assign" && top_level {
            } else if key == "Assign" {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    "only a top-level choice rule (one with Next) may have Assign",
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
        if let Some(name) = variable.as_ref().and_then(|path| path.variable()) {
            let name = name.to_string();
            self.note_read(&name, &format!("{at}.Variable"));
        }
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
        let language = match object.get("QueryLanguage") {
            None => self.top_language,
            Some(value) => self
                .query_language(Some(value), &format!("{at}.QueryLanguage"))
                .unwrap_or(self.top_language),
        };
        if self.top_language == QueryLanguage::Jsonata && language == QueryLanguage::JsonPath {
            self.issue(
                format!("{at}.QueryLanguage"),
                SCHEMA,
                "a state cannot use JSONPath when the state machine's QueryLanguage is JSONata",
            );
        }
        let jsonata_allowed = allowed_jsonata_fields(type_name);
        for key in object.keys() {
            let key = key.as_str();
            if key == "QueryLanguage" {
                continue;
            }
            if key == "Assign" || JSONATA_ONLY.contains(&key) {
                if !jsonata_allowed.contains(&key) {
                    self.issue(
                        format!("{at}.{key}"),
                        SCHEMA,
                        format!("field '{key}' is not allowed in a {type_name} state"),
                    );
                } else if key != "Assign" && language == QueryLanguage::JsonPath {
                    self.issue(
                        format!("{at}.{key}"),
                        SCHEMA,
                        format!("{key} is a JSONata field; set QueryLanguage to JSONata (JSONPath uses {})", jsonpath_equivalent(key)),
                    );
                }
            } else if !allowed.contains(&key) {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("field '{key}' is not allowed in a {type_name} state"),
                );
            } else if language == QueryLanguage::Jsonata && JSONPATH_ONLY.contains(&key) {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!(
                        "{key} is a JSONPath field; a JSONata state uses {}",
                        jsonata_equivalent(key)
                    ),
                );
            }
        }
        let jsonpath = language == QueryLanguage::JsonPath;
        let comment = self.optional_string(object, "Comment", at);
        let (input_path, output_path, result_path, parameters, result_selector) = if jsonpath {
            let input_path = self.io_path(object, "InputPath", at);
            let output_path = self.io_path(object, "OutputPath", at);
            let result_path = self.result_path(object, at);
            let parameters = if type_name == "Map" {
                None
            } else {
                self.template(object, "Parameters", at)
            };
            let result_selector = self.template(object, "ResultSelector", at);
            (
                input_path,
                output_path,
                result_path,
                parameters,
                result_selector,
            )
        } else {
            (
                IoPath::Whole,
                IoPath::Whole,
                ResultPath::Replace,
                None,
                None,
            )
        };
        for (field, template) in [
            ("Parameters", &parameters),
            ("ResultSelector", &result_selector),
        ] {
            if let Some(template) = template {
                self.template_reads(template, &format!("{at}.{field}"));
            }
        }
        let retry = self.retriers(object, at);
        let catch = self.catchers(object, at, names, language);
        let assign = self.assign(object, at, language);
        let mut jsonata = JsonataFields::default();
        if !jsonpath {
            jsonata.output = self.jsonata_field(object, "Output", at);
            jsonata.arguments = match type_name {
                "Map" => self.jsonata_field(object, "ItemSelector", at),
                _ => self.jsonata_field(object, "Arguments", at),
            };
            jsonata.items = self.jsonata_field(object, "Items", at);
            if let Some(items) = object.get("Items") {
                if !items.is_array() && items.as_str().and_then(expression_text).is_none() {
                    self.issue(
                        format!("{at}.Items"),
                        SCHEMA,
                        "Items must be a JSON array or a {% %} expression",
                    );
                }
            }
        }
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
                jsonata.timeout_seconds =
                    self.literal_or_expression(object, "TimeoutSeconds", at, |_| true);
                jsonata.heartbeat_seconds =
                    self.literal_or_expression(object, "HeartbeatSeconds", at, |_| true);
                let timeout = if jsonata.timeout_seconds.is_some() {
                    None
                } else {
                    self.seconds(object, "TimeoutSeconds", at)
                };
                let heartbeat = if jsonata.heartbeat_seconds.is_some() {
                    None
                } else {
                    self.seconds(object, "HeartbeatSeconds", at)
                };
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
                    Some(list) if !list.is_empty() && !jsonpath => {
                        for (index, item) in list.iter().enumerate() {
                            let rule_at = format!("{choices_at}[{index}]");
                            if let Some(choice) = self.jsonata_choice(item, &rule_at, names) {
                                jsonata.choices.push(choice);
                            }
                        }
                    }
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
                            let assign = item.as_object().and_then(|rule_object| {
                                self.assign(rule_object, &rule_at, language)
                            });
                            if let (Some(rule), Some(next)) = (rule, next) {
                                choices.push(ChoiceBranch { rule, next, assign });
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
                jsonata.wait_seconds = self.literal_or_expression(object, "Seconds", at, |_| true);
                jsonata.wait_timestamp =
                    self.literal_or_expression(object, "Timestamp", at, |_| true);
                let present: Vec<&str> = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]
                    .into_iter()
                    .filter(|key| object.contains_key(*key))
                    .collect();
                if present.len() != 1 {
                    self.issue(at, SCHEMA, "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath");
                }
                let wait = match present.first().copied() {
                    Some("Seconds" | "Timestamp")
                        if jsonata.wait_seconds.is_some() || jsonata.wait_timestamp.is_some() =>
                    {
                        WaitFor::Seconds(0)
                    }
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
            "Fail" => {
                jsonata.error = self.literal_or_expression(object, "Error", at, |_| true);
                jsonata.cause = self.literal_or_expression(object, "Cause", at, |_| true);
                StateKind::Fail {
                    error: if jsonata.error.is_some() {
                        None
                    } else {
                        self.text(object, "Error", at)
                    },
                    cause: if jsonata.cause.is_some() {
                        None
                    } else {
                        self.text(object, "Cause", at)
                    },
                }
            }
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
            _ => {
                if !jsonpath {
                    jsonata.max_concurrency =
                        self.literal_or_expression(object, "MaxConcurrency", at, |_| true);
                }
                self.map_state(object, at, language, jsonata.max_concurrency.is_some())?
            }
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
            assign,
            jsonata: (!jsonpath).then(|| Box::new(jsonata)),
        })
    }

    fn jsonata_choice(
        &mut self,
        item: &Value,
        at: &str,
        names: &BTreeMap<String, usize>,
    ) -> Option<JsonataChoice> {
        let Some(object) = item.as_object() else {
            self.issue(at, SCHEMA, "a choice rule must be an object");
            return None;
        };
        for key in object.keys() {
            if !matches!(
                key.as_str(),
                "Condition" | "Next" | "Assign" | "Output" | "Comment"
            ) {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("field '{key}' is not allowed in a JSONata choice rule (it has Condition, Next, Assign, Output)"),
                );
            }
        }
        let condition = match object.get("Condition") {
            Some(value @ Value::String(text)) if expression_text(text).is_some() => {
                Some(self.jsonata(value, &format!("{at}.Condition")))
            }
            Some(value @ Value::Bool(_)) => Some(JsonataTemplate::Const(value.clone())),
            Some(_) => {
                self.issue(
                    format!("{at}.Condition"),
                    SCHEMA,
                    "Condition must be a {% %} expression (or true/false)",
                );
                None
            }
            None => {
                self.issue(
                    format!("{at}.Condition"),
                    SCHEMA,
                    "a JSONata choice rule needs Condition",
                );
                None
            }
        };
        let next = match object.get("Next") {
            None => {
                self.issue(
                    format!("{at}.Next"),
                    SCHEMA,
                    "a top-level choice rule needs Next",
                );
                None
            }
            Some(value) => self.target(names, Some(value), format!("{at}.Next")),
        };
        let assign = self.assign(object, at, QueryLanguage::Jsonata);
        let output = self.jsonata_field(object, "Output", at);
        Some(JsonataChoice {
            condition: condition?,
            next: next?,
            assign,
            output,
        })
    }

    fn map_state(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        language: QueryLanguage,
        max_concurrency_expression: bool,
    ) -> Option<StateKind> {
        let jsonpath = language == QueryLanguage::JsonPath;
        let items_path = if jsonpath {
            self.io_path(object, "ItemsPath", at)
        } else {
            IoPath::Whole
        };
        if object.contains_key("ItemSelector") && object.contains_key("Parameters") {
            self.issue(
                at,
                SCHEMA,
                "a Map may have ItemSelector or the older Parameters, not both",
            );
        }
        let item_selector = if jsonpath {
            self.template(object, "ItemSelector", at)
                .or_else(|| self.template(object, "Parameters", at))
        } else {
            None
        };
        if let Some(selector) = &item_selector {
            self.template_reads(selector, &format!("{at}.ItemSelector"));
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
        self.next_graph_distributed = distributed;
        let processor_graph = self.graph(processor, &processor_at);
        let max_concurrency = if max_concurrency_expression {
            0
        } else {
            self.integer_in(object, "MaxConcurrency", at, 0, u64::from(u32::MAX))
                .unwrap_or(0)
        };
        let max_concurrency_path = self.path_field(object, "MaxConcurrencyPath", at, true);
        if object.contains_key("MaxConcurrency") && object.contains_key("MaxConcurrencyPath") {
            self.issue(
                at,
                SCHEMA,
                "a Map may have MaxConcurrency or MaxConcurrencyPath, not both",
            );
        }
        let fields = self.distributed_fields(object, at, language, distributed);
        Some(StateKind::Map {
            items_path,
            item_selector,
            processor: processor_graph,
            max_concurrency,
            max_concurrency_path,
            distributed,
            fields: Box::new(fields),
        })
    }

    /// The Distributed-only fields of a Map: `ItemReader`, `ItemBatcher`, `ResultWriter`,
    /// the tolerances (and their `...Path` forms) and `Label`.
    fn distributed_fields(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        language: QueryLanguage,
        distributed: bool,
    ) -> Distributed {
        let jsonata = language == QueryLanguage::Jsonata;
        for key in [
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
        ] {
            if object.contains_key(key) && !distributed {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("{key} needs a DISTRIBUTED Map (ItemProcessor.ProcessorConfig.Mode)"),
                );
            }
        }
        let label = match object.get("Label") {
            None => None,
            Some(Value::String(label))
                if label.chars().count() <= 40
                    && !label.chars().any(|c| {
                        c.is_whitespace()
                            || c.is_control()
                            || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
                    }) =>
            {
                Some(label.clone())
            }
            Some(_) => {
                self.issue(
                    format!("{at}.Label"),
                    SCHEMA,
                    "Label must be a string of at most 40 characters, without spaces or any of <>{}[]?*\"#%\\^|~`$&,;:/",
                );
                None
            }
        };
        let reader = object
            .get("ItemReader")
            .and_then(|value| self.item_reader(value, &format!("{at}.ItemReader"), jsonata));
        if reader.is_some() {
            let items_key = if jsonata { "Items" } else { "ItemsPath" };
            if object.contains_key(items_key) {
                self.issue(
                    format!("{at}.{items_key}"),
                    UNSUPPORTED,
                    format!("{items_key} together with ItemReader is not simulated: the Map iterates the items the reader reads"),
                );
            }
        }
        let batcher = object
            .get("ItemBatcher")
            .and_then(|value| self.item_batcher(value, &format!("{at}.ItemBatcher"), jsonata));
        let writer = object
            .get("ResultWriter")
            .and_then(|value| self.result_writer(value, &format!("{at}.ResultWriter"), jsonata));
        let tolerated_percentage = self
            .setting(object, "ToleratedFailurePercentage", at, jsonata, |value| {
                value.as_f64().filter(|p| (0.0..=100.0).contains(p))
            })
            .map_err(|()| "a number from 0 to 100".to_string());
        let tolerated_count = self
            .setting(object, "ToleratedFailureCount", at, jsonata, |value| {
                value.as_u64().filter(|n| *n <= MAX_SECONDS)
            })
            .map_err(|()| format!("an integer from 0 to {MAX_SECONDS}"));
        Distributed {
            reader,
            batcher,
            writer,
            label,
            tolerated_count: self.setting_or_issue(tolerated_count, "ToleratedFailureCount", at),
            tolerated_percentage: self.setting_or_issue(
                tolerated_percentage,
                "ToleratedFailurePercentage",
                at,
            ),
        }
    }

    fn setting_or_issue<T>(
        &mut self,
        setting: Result<Option<Setting<T>>, String>,
        key: &str,
        at: &str,
    ) -> Option<Setting<T>> {
        match setting {
            Ok(setting) => setting,
            Err(allowed) => {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("{key} must be {allowed}"),
                );
                None
            }
        }
    }

    /// A number field `key` with its `keyPath` form (JSONPath) or a `{% %}` expression
    /// (JSONata). `Err(())` when the literal is out of range (`literal` answers `None`).
    fn setting<T>(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        at: &str,
        jsonata: bool,
        literal: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<Setting<T>>, ()> {
        let path_key = format!("{key}Path");
        if object.contains_key(key) && object.contains_key(&path_key) {
            self.issue(
                at,
                SCHEMA,
                format!("{key} and {path_key} cannot both be given"),
            );
        }
        if let Some(path) = self.path_field(object, &path_key, at, true) {
            if jsonata {
                self.issue(
                    format!("{at}.{path_key}"),
                    SCHEMA,
                    format!("{path_key} is a JSONPath field; in JSONata give {key} a {{% %}} expression"),
                );
            }
            return Ok(Some(Setting::Path(path)));
        }
        let Some(value) = object.get(key) else {
            return Ok(None);
        };
        if jsonata && value.as_str().and_then(expression_text).is_some() {
            return Ok(Some(Setting::Expression(
                self.jsonata(value, &format!("{at}.{key}")),
            )));
        }
        literal(value).map(|v| Some(Setting::Fixed(v))).ok_or(())
    }

    fn integer_setting(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        at: &str,
        jsonata: bool,
        (min, max): (u64, u64),
    ) -> Option<Setting<u64>> {
        let setting = self
            .setting(object, key, at, jsonata, |value| {
                value.as_u64().filter(|n| (min..=max).contains(n))
            })
            .map_err(|()| format!("an integer from {min} to {max}"));
        self.setting_or_issue(setting, key, at)
    }

    /// `Parameters` (JSONPath) or `Arguments` (JSONata) of a reader or writer, which must
    /// name each of `required` (or its `.$` form).
    fn s3_arguments(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        jsonata: bool,
        required: &[&str],
    ) -> Option<Payload> {
        let (key, other) = if jsonata {
            ("Arguments", "Parameters")
        } else {
            ("Parameters", "Arguments")
        };
        if object.contains_key(other) {
            self.issue(
                format!("{at}.{other}"),
                SCHEMA,
                format!("{other} is not allowed here in this query language; use {key}"),
            );
        }
        let Some(value) = object.get(key) else {
            self.issue(
                format!("{at}.{key}"),
                SCHEMA,
                format!("{key} is required and names {}", required.join(" and ")),
            );
            return None;
        };
        if let Some(fields) = value.as_object() {
            for name in required {
                if !fields.contains_key(*name) && !fields.contains_key(&format!("{name}.$")) {
                    self.issue(format!("{at}.{key}"), SCHEMA, format!("{key} needs {name}"));
                }
            }
        }
        if jsonata {
            Some(Payload::Jsonata(
                self.jsonata(value, &format!("{at}.{key}")),
            ))
        } else {
            let template = self.template(object, key, at)?;
            self.template_reads(&template, &format!("{at}.{key}"));
            Some(Payload::JsonPath(template))
        }
    }

    fn unknown_fields(&mut self, object: &Map<String, Value>, at: &str, allowed: &[&str]) {
        for key in object.keys() {
            if !allowed.contains(&key.as_str()) {
                let name = at.rsplit('.').next().unwrap_or(at);
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("field '{key}' is not allowed in {name}"),
                );
            }
        }
    }

    fn item_reader(&mut self, value: &Value, at: &str, jsonata: bool) -> Option<ItemReader> {
        let Some(object) = value.as_object() else {
            self.issue(at, SCHEMA, "ItemReader must be an object");
            return None;
        };
        self.unknown_fields(
            object,
            at,
            &["Resource", "ReaderConfig", "Parameters", "Arguments"],
        );
        let empty = Map::new();
        let config = match object.get("ReaderConfig") {
            None => &empty,
            Some(Value::Object(config)) => config,
            Some(_) => {
                self.issue(
                    format!("{at}.ReaderConfig"),
                    SCHEMA,
                    "ReaderConfig must be an object",
                );
                &empty
            }
        };
        let config_at = format!("{at}.ReaderConfig");
        let resource = object.get("Resource").and_then(Value::as_str);
        let (source, required): (Option<ReaderSource>, &[&str]) = match resource {
            Some("arn:aws:states:::s3:getObject") => {
                self.unknown_fields(
                    config,
                    &config_at,
                    &[
                        "InputType",
                        "CSVHeaderLocation",
                        "CSVHeaders",
                        "CSVDelimiter",
                        "MaxItems",
                        "MaxItemsPath",
                    ],
                );
                (
                    self.input_type(config, &config_at)
                        .map(ReaderSource::GetObject),
                    &["Bucket", "Key"],
                )
            }
            Some("arn:aws:states:::s3:listObjectsV2") => {
                self.unknown_fields(config, &config_at, &["MaxItems", "MaxItemsPath"]);
                (Some(ReaderSource::ListObjects), &["Bucket"])
            }
            _ => {
                self.issue(
                    format!("{at}.Resource"),
                    SCHEMA,
                    "ItemReader's Resource must be \"arn:aws:states:::s3:getObject\" or \"arn:aws:states:::s3:listObjectsV2\"",
                );
                (None, &["Bucket"])
            }
        };
        let max_items = self.integer_setting(
            config,
            "MaxItems",
            &config_at,
            jsonata,
            (0, MAX_ITEMS_LIMIT),
        );
        let arguments = self.s3_arguments(object, at, jsonata, required);
        Some(ItemReader {
            source: source?,
            arguments: arguments?,
            max_items,
        })
    }

    fn input_type(&mut self, config: &Map<String, Value>, at: &str) -> Option<InputType> {
        let csv_fields = ["CSVHeaderLocation", "CSVHeaders", "CSVDelimiter"];
        let input = match config.get("InputType").and_then(Value::as_str) {
            Some("JSON") => InputType::Json,
            Some("JSONL") => InputType::Jsonl,
            Some("CSV") => {
                let header = match config.get("CSVHeaderLocation").map(|v| v.as_str()) {
                    None | Some(Some("FIRST_ROW")) => {
                        if config.contains_key("CSVHeaders") {
                            self.issue(
                                format!("{at}.CSVHeaders"),
                                SCHEMA,
                                "CSVHeaders needs CSVHeaderLocation GIVEN",
                            );
                        }
                        CsvHeader::FirstRow
                    }
                    Some(Some("GIVEN")) => {
                        let names: Option<Vec<String>> = config
                            .get("CSVHeaders")
                            .and_then(Value::as_array)
                            .filter(|names| !names.is_empty())
                            .and_then(|names| {
                                names.iter().map(|n| n.as_str().map(String::from)).collect()
                            });
                        match names {
                            Some(names) => CsvHeader::Given(names),
                            None => {
                                self.issue(
                                    format!("{at}.CSVHeaders"),
                                    SCHEMA,
                                    "CSVHeaderLocation GIVEN needs CSVHeaders, a non-empty array of column names",
                                );
                                return None;
                            }
                        }
                    }
                    Some(_) => {
                        self.issue(
                            format!("{at}.CSVHeaderLocation"),
                            SCHEMA,
                            "CSVHeaderLocation must be \"FIRST_ROW\" or \"GIVEN\"",
                        );
                        return None;
                    }
                };
                let delimiter = match config.get("CSVDelimiter").map(|v| v.as_str()) {
                    None | Some(Some("COMMA")) => ',',
                    Some(Some("PIPE")) => '|',
                    Some(Some("SEMICOLON")) => ';',
                    Some(Some("SPACE")) => ' ',
                    Some(Some("TAB")) => '\t',
                    Some(_) => {
                        self.issue(
                            format!("{at}.CSVDelimiter"),
                            SCHEMA,
                            "CSVDelimiter must be COMMA, PIPE, SEMICOLON, SPACE or TAB",
                        );
                        return None;
                    }
                };
                return Some(InputType::Csv { header, delimiter });
            }
            Some(other @ ("MANIFEST" | "PARQUET")) => {
                self.issue(
                    format!("{at}.InputType"),
                    UNSUPPORTED,
                    format!("InputType {other} is not simulated (S3 inventory manifests and Parquet files are not read); use CSV, JSON or JSONL"),
                );
                return None;
            }
            _ => {
                self.issue(
                    format!("{at}.InputType"),
                    SCHEMA,
                    "an s3:getObject reader needs InputType CSV, JSON, JSONL, MANIFEST or PARQUET",
                );
                return None;
            }
        };
        for key in csv_fields {
            if config.contains_key(key) {
                self.issue(
                    format!("{at}.{key}"),
                    SCHEMA,
                    format!("{key} is for InputType CSV"),
                );
            }
        }
        Some(input)
    }

    fn item_batcher(&mut self, value: &Value, at: &str, jsonata: bool) -> Option<ItemBatcher> {
        let Some(object) = value.as_object() else {
            self.issue(at, SCHEMA, "ItemBatcher must be an object");
            return None;
        };
        self.unknown_fields(
            object,
            at,
            &[
                "MaxItemsPerBatch",
                "MaxItemsPerBatchPath",
                "MaxInputBytesPerBatch",
                "MaxInputBytesPerBatchPath",
                "BatchInput",
            ],
        );
        let max_items = self.integer_setting(
            object,
            "MaxItemsPerBatch",
            at,
            jsonata,
            (1, u64::from(u32::MAX)),
        );
        let max_bytes = self.integer_setting(
            object,
            "MaxInputBytesPerBatch",
            at,
            jsonata,
            (1, MAX_BATCH_BYTES),
        );
        if !object.keys().any(|key| key.starts_with("Max")) {
            self.issue(
                at,
                SCHEMA,
                "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or a Path form)",
            );
        }
        let batch_input = match object.get("BatchInput") {
            None => None,
            Some(value) if jsonata => Some(Payload::Jsonata(
                self.jsonata(value, &format!("{at}.BatchInput")),
            )),
            Some(_) => {
                let template = self.template(object, "BatchInput", at)?;
                self.template_reads(&template, &format!("{at}.BatchInput"));
                Some(Payload::JsonPath(template))
            }
        };
        Some(ItemBatcher {
            max_items,
            max_bytes,
            batch_input,
        })
    }

    fn result_writer(&mut self, value: &Value, at: &str, jsonata: bool) -> Option<ResultWriter> {
        let Some(object) = value.as_object() else {
            self.issue(at, SCHEMA, "ResultWriter must be an object");
            return None;
        };
        self.unknown_fields(
            object,
            at,
            &["Resource", "Parameters", "Arguments", "WriterConfig"],
        );
        // Three combinations are allowed: WriterConfig alone (the formatted results are
        // the Map's output), Resource with Parameters/Arguments (an export, NONE and
        // JSON), or all three (a formatted export).
        let config = object
            .get("WriterConfig")
            .map(|value| self.writer_config(value, &format!("{at}.WriterConfig")));
        let exports = ["Resource", "Parameters", "Arguments"]
            .iter()
            .any(|key| object.contains_key(*key));
        if !exports {
            if config.is_none() {
                self.issue(
                    at,
                    SCHEMA,
                    "ResultWriter cannot be empty: give WriterConfig, Resource and Parameters (JSONata: Arguments), or all three",
                );
                return None;
            }
            return Some(ResultWriter {
                arguments: None,
                config: Some(config??),
            });
        }
        if object.get("Resource").and_then(Value::as_str) != Some("arn:aws:states:::s3:putObject") {
            self.issue(
                format!("{at}.Resource"),
                SCHEMA,
                "ResultWriter's Resource must be \"arn:aws:states:::s3:putObject\"",
            );
        }
        let arguments = self.s3_arguments(object, at, jsonata, &["Bucket"])?;
        Some(ResultWriter {
            arguments: Some(arguments),
            config: match config {
                None => None,
                Some(config) => Some(config?),
            },
        })
    }

    /// `ResultWriter.WriterConfig`: both `Transformation` and `OutputType` (our reading:
    /// the guide lists both and gives no default inside a WriterConfig; the CDK requires
    /// both too).
    fn writer_config(&mut self, value: &Value, at: &str) -> Option<WriterConfig> {
        let Some(object) = value.as_object() else {
            self.issue(
                at,
                SCHEMA,
                "WriterConfig must be an object with Transformation and OutputType",
            );
            return None;
        };
        self.unknown_fields(object, at, &["Transformation", "OutputType"]);
        let transformation = match object.get("Transformation").map(Value::as_str) {
            Some(Some("NONE")) => Some(Transformation::None),
            Some(Some("COMPACT")) => Some(Transformation::Compact),
            Some(Some("FLATTEN")) => Some(Transformation::Flatten),
            found => {
                let message = match found {
                    None => "Transformation is required and must be NONE, COMPACT or FLATTEN",
                    Some(_) => "Transformation must be NONE, COMPACT or FLATTEN",
                };
                self.issue(format!("{at}.Transformation"), SCHEMA, message);
                None
            }
        };
        let output_type = match object.get("OutputType").map(Value::as_str) {
            Some(Some("JSON")) => Some(OutputType::Json),
            Some(Some("JSONL")) => Some(OutputType::Jsonl),
            found => {
                let message = match found {
                    None => "OutputType is required and must be JSON or JSONL",
                    Some(_) => "OutputType must be JSON or JSONL",
                };
                self.issue(format!("{at}.OutputType"), SCHEMA, message);
                None
            }
        };
        Some(WriterConfig {
            transformation: transformation?,
            output_type: output_type?,
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
        assign: None,
        jsonata: None,
    }
}

/// What a JSONata field replaces in JSONPath.
fn jsonpath_equivalent(key: &str) -> &'static str {
    match key {
        "Arguments" => "Parameters",
        "Output" => "ResultSelector, ResultPath and OutputPath",
        "Items" => "ItemsPath",
        _ => "paths",
    }
}

/// What replaces a JSONPath field in JSONata.
fn jsonata_equivalent(key: &str) -> &'static str {
    match key {
        "InputPath" => "$states.input in its expressions",
        "Parameters" => "Arguments (Map: ItemSelector)",
        "ResultSelector" | "OutputPath" | "Result" => "Output",
        "ResultPath" => "Output or Assign",
        "ItemsPath" => "Items",
        "TimeoutSecondsPath" => "TimeoutSeconds with a {% %} expression",
        "HeartbeatSecondsPath" => "HeartbeatSeconds with a {% %} expression",
        "SecondsPath" => "Seconds with a {% %} expression",
        "TimestampPath" => "Timestamp with a {% %} expression",
        "ErrorPath" => "Error with a {% %} expression",
        "CausePath" => "Cause with a {% %} expression",
        "MaxConcurrencyPath" => "MaxConcurrency with a {% %} expression",
        _ => "a {% %} expression in the field without Path",
    }
}
