//! # Amazon States Language (Step Functions) core
//!
//! What it models: both query languages of the Amazon States Language — JSONPath (paths,
//! `Parameters`, `ResultSelector`, `ResultPath`, intrinsic functions) and JSONata
//! (`QueryLanguage` at the top level or per state, `{% %}` expressions in `Arguments`,
//! `Output`, `Items`, `ItemSelector`, `Condition` and the numeric and text fields,
//! `$states.input` / `.result` / `.errorOutput` / `.context`, evaluated by [`jsonata`]) —
//! and variables (`Assign` on states, Choice rules and catchers, read as `$name` in either
//! language, evaluated together from the state-entry snapshot; a Parallel branch or Map
//! iteration reads its enclosing scopes and keeps its own). Validation reports every
//! problem at its JSON path, including which fields each query language allows, the
//! variable naming and scope rules, and JSONata syntax. The interpreter runs one
//! execution step by step in virtual time: input/output processing, the context object,
//! Choice rules, Wait, Retry back-off with jitter, Catch, Parallel branches and inline Map
//! iterations as child runs of the same execution, the execution history with AWS event
//! names, and the count of state transitions.
//!
//! What it simplifies: task resources are opaque — a [`TaskHandler`] supplied by the
//! caller answers them, at once or later through [`Execution::complete_task`]. A
//! `DISTRIBUTED` Map runs its child workflows as child runs of the same execution (not
//! child executions with their own histories) with the tolerated-failure thresholds
//! (fixed or `...Path`) applied, a failed batch counting each of its items; its children
//! do not see the outer variables, as in AWS. Its [`distributed`] fields work against
//! the S3 buckets the handler holds ([`TaskHandler::objects`], an [`ObjectStore`]; none by
//! default, so every read answers `NoSuchBucket`): `ItemReader` reads a JSON, JSON Lines
//! or CSV object (`s3:getObject`) or lists objects (`s3:listObjectsV2`), `ItemBatcher`
//! groups items by count and bytes with `BatchInput`, and `ResultWriter` writes
//! `SUCCEEDED_0.json` / `FAILED_0.json` / `PENDING_0.json` and `manifest.json` under
//! `Prefix/<map run id>/`, the Map's output becoming `MapRunArn` and
//! `ResultWriterDetails`; its `WriterConfig` formats the results (Transformation `NONE`,
//! `COMPACT` or `FLATTEN`, OutputType `JSON` or `JSONL`), and alone (no `Resource`) makes
//! the formatted results the Map's output. The parent's history records the Map Run
//! (`MapRunStarted` with its ARN, then `MapRunSucceeded` or `MapRunFailed`). A failed read is `States.ItemReaderFailed`, a failed write
//! `States.ResultWriterFailed`. JSONata's `$now()`, `$millis()`, `$random()` and `$uuid()`
//! (and the Map Run and child names) read the virtual clock and the simulation's random
//! stream. Object keys keep `serde_json`'s sorted order, so `$keys` and `*` list them
//! sorted.
//!
//! What it leaves out: JSONPath filter expressions, the JSONata features listed in
//! [`jsonata`] (regular expressions, number and date pictures, the transform operator),
//! the `MANIFEST` and `PARQUET` reader input types, `ItemsPath`/`Items` together with an
//! `ItemReader`, result files split past 5 GB, activities' polling.
//! [`Execution::redrive`] resumes a failed Standard execution from its failed top-level
//! state (a failed Map or Parallel runs again whole). The validator reports each of these
//! as an issue rather than running a definition wrongly.
//!
//! ```text
//!   definition JSON ──validate──▶ StateMachine ──Execution::start──▶ Execution
//!                                                                      │ advance(now, rng, handler)
//!                                                                      │ complete_task(token, result)
//!                                                                      ▼
//!                                            Step · history() · transitions() · output()
//! ```
//!
//! ```
//! use loosely_engine::asl::{validate, Execution, ExecutionContext, NoTasks, Step};
//! use loosely_engine::{SimRng, SimTime};
//! use serde_json::json;
//!
//! let machine = validate(r#"{"StartAt": "Hello", "States": {
//!     "Hello": {"Type": "Pass", "Result": "world", "ResultPath": "$.greeting", "End": true}}}"#)
//!     .expect("a valid definition");
//! let mut execution = Execution::start(machine.into(), json!({"who": "me"}), ExecutionContext::default());
//! let mut rng = SimRng::seed_from_u64(1);
//! loop {
//!     match execution.advance(SimTime::ZERO, &mut rng, &mut NoTasks) {
//!         Step::Transitioned { .. } => continue,
//!         Step::Succeeded { output } => {
//!             assert_eq!(output, json!({"who": "me", "greeting": "world"}));
//!             break;
//!         }
//!         other => panic!("unexpected {other:?}"),
//!     }
//! }
//! assert_eq!(execution.transitions(), 1);
//! ```

pub mod choice;
pub mod distributed;
pub mod interpreter;
pub mod intrinsics;
pub mod jsonata;
pub mod mock;
pub mod path;
pub mod template;
pub mod timestamp;
pub mod validate;

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

pub use choice::{ChoiceBranch, Comparison, Rule};
pub use distributed::{Buckets, NoBuckets, ObjectStore, ObjectSummary, S3Error};
pub use interpreter::{
    EventType, Execution, ExecutionContext, ExecutionKind, HistoryEvent, NoTasks, RedriveRefused,
    StateOutcome, Step, TaskError, TaskHandler, TaskRequest, TaskStart, TaskToken,
    UnknownTaskToken, REDRIVABLE_SECONDS,
};
pub use jsonata::JsonataTemplate;
pub use mock::{MockConfig, MockHandler, MockResponse, MockedResponse};
pub use path::Path;
pub use template::Template;
pub use validate::validate;

/// The largest state input or output, in bytes of JSON text (256 KiB).
pub const MAX_PAYLOAD_BYTES: usize = 262_144;
/// The execution history cap of a Standard workflow.
pub const MAX_HISTORY_EVENTS: usize = 25_000;
/// The most concurrent iterations of an inline Map.
pub const INLINE_MAP_CONCURRENCY: usize = 40;
/// The default most concurrent child runs of a Distributed Map.
pub const DISTRIBUTED_MAP_CONCURRENCY: usize = 10_000;
/// The largest single variable and the largest `Assign` of one state, in bytes.
pub const MAX_VARIABLE_BYTES: usize = 262_144;
/// The most bytes of variables one execution may hold.
pub const MAX_EXECUTION_VARIABLE_BYTES: usize = 10 * 1024 * 1024;
/// The longest variable name, in characters.
pub const MAX_VARIABLE_NAME_CHARS: usize = 80;

/// A runtime error: a `States.*` or user error name and a cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatesError {
    pub error: String,
    pub cause: String,
}

impl StatesError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> StatesError {
        StatesError {
            error: error.into(),
            cause: cause.into(),
        }
    }

    pub(crate) fn runtime(cause: impl Into<String>) -> StatesError {
        StatesError::new("States.Runtime", cause)
    }
}

impl fmt::Display for StatesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

/// One problem found in a definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AslIssue {
    /// Where: a JSON path into the definition, such as `$.States.Check.Choices[1].Next`.
    pub path: String,
    /// The kind, in the words AWS's `ValidateStateMachineDefinition` uses:
    /// `SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`, `UNREACHABLE_STATE`,
    /// `DUPLICATE_STATE_NAME`, `INVALID_JSON_DESCRIPTION`, `UNSUPPORTED_FEATURE`.
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for AslIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// `InputPath` / `OutputPath` / `ItemsPath`.
#[derive(Clone, Debug, PartialEq)]
pub enum IoPath {
    /// `$` (the default): the whole value.
    Whole,
    /// `null`: an empty object.
    Empty,
    Path(Path),
}

/// `ResultPath`.
#[derive(Clone, Debug, PartialEq)]
pub enum ResultPath {
    /// `$` (the default): the result replaces the input.
    Replace,
    /// `null`: the result is discarded and the input passes through.
    Discard,
    /// A reference path where the result is written into the input.
    At(Path),
}

/// Where a state goes after it succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    State(usize),
    End,
    /// Choice, Succeed and Fail decide for themselves.
    None,
}

/// A number of seconds given in the definition or read from the input.
#[derive(Clone, Debug, PartialEq)]
pub enum Seconds {
    Fixed(u64),
    Path(Path),
}

/// What a Wait state waits for.
#[derive(Clone, Debug, PartialEq)]
pub enum WaitFor {
    Seconds(u64),
    /// Microseconds since the Unix epoch.
    Timestamp(i64),
    SecondsPath(Path),
    TimestampPath(Path),
}

/// A Fail state's `Error` or `Cause`.
#[derive(Clone, Debug, PartialEq)]
pub enum Text {
    Fixed(String),
    Path(Path),
    Intrinsic(intrinsics::Intrinsic),
}

/// `JitterStrategy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    None,
    Full,
}

/// One entry of `Retry`.
#[derive(Clone, Debug, PartialEq)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: u64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter: Jitter,
}

/// One entry of `Catch`.
#[derive(Clone, Debug, PartialEq)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: usize,
    pub result_path: ResultPath,
    /// JSONata: the state's output when this catcher matches (default: the error output).
    pub output: Option<JsonataTemplate>,
    pub assign: Option<Assign>,
}

/// The query language of a state (`QueryLanguage`, inherited from the top level).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    Jsonata,
}

/// `Assign`: the variables a state sets, each evaluated from the state-entry snapshot.
#[derive(Clone, Debug, PartialEq)]
pub enum Assign {
    /// JSONPath: a payload template (`"name.$": "$.path"`, intrinsics, `$variable`).
    JsonPath(Template),
    /// JSONata: `{% %}` expressions at any depth.
    Jsonata(JsonataTemplate),
}

/// A JSONata Choice rule: `Condition` with its `Next`, `Assign` and `Output`.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonataChoice {
    pub condition: JsonataTemplate,
    pub next: usize,
    pub assign: Option<Assign>,
    pub output: Option<JsonataTemplate>,
}

/// The JSONata fields of a state in `QueryLanguage: JSONata`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonataFields {
    /// Task and Parallel `Arguments`; Map `ItemSelector`.
    pub arguments: Option<JsonataTemplate>,
    /// `Output` (default: the result for Task, Parallel and Map, the input otherwise).
    pub output: Option<JsonataTemplate>,
    /// Map `Items` (default: the state input, which must be an array).
    pub items: Option<JsonataTemplate>,
    /// Task `TimeoutSeconds` / `HeartbeatSeconds`, Map `MaxConcurrency`, Wait `Seconds`
    /// given as expressions.
    pub timeout_seconds: Option<JsonataTemplate>,
    pub heartbeat_seconds: Option<JsonataTemplate>,
    pub max_concurrency: Option<JsonataTemplate>,
    pub wait_seconds: Option<JsonataTemplate>,
    pub wait_timestamp: Option<JsonataTemplate>,
    /// Fail `Error` / `Cause` given as expressions.
    pub error: Option<JsonataTemplate>,
    pub cause: Option<JsonataTemplate>,
    /// Choice `Choices`.
    pub choices: Vec<JsonataChoice>,
}

/// What a state does.
#[derive(Clone, Debug, PartialEq)]
pub enum StateKind {
    Pass {
        result: Option<Value>,
    },
    Task {
        resource: Arc<str>,
        timeout: Option<Seconds>,
        heartbeat: Option<Seconds>,
    },
    Choice {
        choices: Vec<ChoiceBranch>,
        default: Option<usize>,
    },
    Wait {
        wait: WaitFor,
    },
    Succeed,
    Fail {
        error: Option<Text>,
        cause: Option<Text>,
    },
    Parallel {
        /// Graph indexes, one per branch.
        branches: Vec<usize>,
    },
    Map {
        items_path: IoPath,
        item_selector: Option<Template>,
        /// The graph index of the iteration.
        processor: usize,
        /// 0 means "as many as allowed".
        max_concurrency: u64,
        max_concurrency_path: Option<Path>,
        distributed: bool,
        /// The Distributed-only fields (reader, batcher, writer, tolerances, label);
        /// empty for an inline Map.
        fields: Box<distributed::Distributed>,
    },
}

impl StateKind {
    /// The state's `Type` as written in ASL.
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Pass { .. } => "Pass",
            StateKind::Task { .. } => "Task",
            StateKind::Choice { .. } => "Choice",
            StateKind::Wait { .. } => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail { .. } => "Fail",
            StateKind::Parallel { .. } => "Parallel",
            StateKind::Map { .. } => "Map",
        }
    }
}

/// One validated state.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub name: Arc<str>,
    pub comment: Option<String>,
    pub kind: StateKind,
    pub input_path: IoPath,
    pub output_path: IoPath,
    pub result_path: ResultPath,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub next: Next,
    /// `Assign`, in either query language.
    pub assign: Option<Assign>,
    /// The JSONata fields; `Some` exactly when the state's query language is JSONata.
    pub jsonata: Option<Box<JsonataFields>>,
}

/// A set of states with a start: the top level, a Parallel branch or a Map iteration.
#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    pub start: usize,
    pub states: Vec<State>,
    /// The JSON path of this graph's `States` in the definition.
    pub definition_path: String,
}

/// A validated state machine. Graph 0 is the top level; Parallel branches and Map
/// iterations refer to the others by index.
#[derive(Clone, Debug, PartialEq)]
pub struct StateMachine {
    pub comment: Option<String>,
    pub query_language: QueryLanguage,
    pub timeout_seconds: Option<u64>,
    pub graphs: Vec<Graph>,
}

impl StateMachine {
    pub fn top(&self) -> Option<&Graph> {
        self.graphs.first()
    }

    /// The state `index` of graph `graph`.
    pub fn state(&self, graph: usize, index: usize) -> Option<&State> {
        self.graphs.get(graph)?.states.get(index)
    }
}

/// How [`run_to_end`] ended: the output, or `States.*` error and cause.
#[derive(Clone, Debug, PartialEq)]
pub enum RunEnd {
    Succeeded(Value),
    Failed { error: String, cause: String },
}

/// Runs `execution` from t = 0 to its end, jumping the virtual clock to each wake-up, for at
/// most `max_steps` calls of [`Execution::advance`]. Task results come from `handler` at
/// once; an execution left waiting for task results that nobody delivers ends with
/// `States.Runtime`, as does one that needs more steps.
pub fn run_to_end(
    execution: &mut Execution,
    handler: &mut dyn TaskHandler,
    rng: &mut crate::SimRng,
    max_steps: u64,
) -> RunEnd {
    let mut now = crate::SimTime::ZERO;
    for _ in 0..max_steps {
        match execution.advance(now, rng, handler) {
            Step::Transitioned { .. } => {}
            Step::WaitingUntil(until) => now = now.max(until),
            Step::Succeeded { output } => return RunEnd::Succeeded(output),
            Step::Failed { error, cause } => return RunEnd::Failed { error, cause },
            Step::TimedOut => {
                return RunEnd::Failed {
                    error: "States.Timeout".into(),
                    cause: "the execution ran past its TimeoutSeconds".into(),
                }
            }
            Step::WaitingForTasks => {
                return RunEnd::Failed {
                    error: "States.Runtime".into(),
                    cause: "the execution is waiting for task results that no one will deliver"
                        .into(),
                }
            }
        }
    }
    RunEnd::Failed {
        error: "States.Runtime".into(),
        cause: format!("the execution did not finish within {max_steps} steps"),
    }
}

/// The JSON text length of `value`, stopping early once past `limit`.
pub fn json_size_exceeds(value: &Value, limit: usize) -> bool {
    fn string_size(text: &str) -> usize {
        let mut size = 2;
        for byte in text.bytes() {
            size += match byte {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
                0..=0x1f => 6,
                _ => 1,
            };
        }
        size
    }
    let mut total = 0usize;
    let mut stack: Vec<&Value> = vec![value];
    while let Some(node) = stack.pop() {
        total += match node {
            Value::Null => 4,
            Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Number(number) => {
                if let Some(integer) = number.as_i64() {
                    let mut digits = if integer < 0 { 2 } else { 1 };
                    let mut rest = integer.unsigned_abs();
                    while rest >= 10 {
                        rest /= 10;
                        digits += 1;
                    }
                    digits
                } else {
                    number.to_string().len()
                }
            }
            Value::String(text) => string_size(text),
            Value::Array(items) => {
                stack.extend(items.iter());
                2 + items.len().saturating_sub(1)
            }
            Value::Object(object) => {
                for (key, child) in object {
                    total += string_size(key) + 1;
                    stack.push(child);
                }
                2 + object.len().saturating_sub(1)
            }
        };
        if total > limit {
            return true;
        }
    }
    false
}
