//! The interpreter: one execution of a [`StateMachine`], advanced step by step in virtual
//! time by its caller.
//!
//! Contract: call [`Execution::advance`] with the current simulated time. Each call makes
//! at most one state transition and says what happened ([`Step`]). When it answers
//! [`Step::WaitingUntil`], call again at (or after) that time; when it answers
//! [`Step::WaitingForTasks`], call again after [`Execution::complete_task`]. Parallel
//! branches and Map iterations are child *runs* of the same execution, kept in an arena
//! and scheduled first-in first-out, so nesting depth never grows the Rust stack.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::choice::ChoiceBranch;
use super::distributed::{
    batch, list_items, parse_items, result_files, result_key, ChildRecord, ChildStatus,
    Distributed, MapRunNames, NoBuckets, ObjectStore, Payload, ReaderSource, Setting, WriterConfig,
};
use super::intrinsics::uuid_v4;
use super::jsonata::{Environment, JsonataTemplate};
use super::path::PathRoot;
use super::template::{truncate, Scope};
use super::timestamp::{format_rfc3339, parse_rfc3339};
use super::{
    json_size_exceeds, Assign, Catcher, IoPath, Jitter, JsonataFields, Next, ResultPath, Retrier,
    Seconds, State, StateKind, StateMachine, StatesError, Text, WaitFor,
    DISTRIBUTED_MAP_CONCURRENCY, INLINE_MAP_CONCURRENCY, MAX_EXECUTION_VARIABLE_BYTES,
    MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES, MAX_VARIABLE_BYTES,
};
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};

/// Identifies one task invocation; answer it with [`Execution::complete_task`].
pub type TaskToken = u64;

/// A task's failure as the resource reports it.
pub type TaskError = StatesError;

/// What the interpreter asks the task handler to do.
#[derive(Debug)]
pub struct TaskRequest<'a> {
    pub token: TaskToken,
    pub state_name: &'a str,
    pub resource: &'a str,
    /// The effective input (after `InputPath` and `Parameters`).
    pub input: &'a Value,
    /// 0 for the first attempt, then 1, 2, ... for retries.
    pub retry_count: u32,
    pub now: SimTime,
}

/// The handler's answer to a task request.
#[derive(Debug)]
pub enum TaskStart {
    /// The task finished at once.
    Completed(Result<Value, TaskError>),
    /// The task runs on; the caller will call [`Execution::complete_task`].
    Pending,
}

/// Runs task resources; the simulation implements it (tests use [`super::MockHandler`]).
pub trait TaskHandler {
    fn start_task(&mut self, request: &TaskRequest<'_>) -> TaskStart;

    /// The S3 buckets a Distributed Map's `ItemReader` reads and `ResultWriter` writes;
    /// `None` (the default) is a world without buckets, where every read and write
    /// answers `NoSuchBucket`.
    fn objects(&mut self) -> Option<&mut dyn ObjectStore> {
        None
    }
}

/// A handler for machines without tasks: every task fails with `States.TaskFailed`.
pub struct NoTasks;

impl TaskHandler for NoTasks {
    fn start_task(&mut self, request: &TaskRequest<'_>) -> TaskStart {
        TaskStart::Completed(Err(StatesError::new(
            "States.TaskFailed",
            format!("no task handler for resource {}", request.resource),
        )))
    }
}

/// `complete_task` or `heartbeat` named a token that is not waiting (finished, timed out,
/// aborted or never issued).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownTaskToken(pub TaskToken);

impl std::fmt::Display for UnknownTaskToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "task token {} is not waiting for a result", self.0)
    }
}

impl std::error::Error for UnknownTaskToken {}

/// Standard or Express: the duration cap and the history cap differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExecutionKind {
    #[default]
    Standard,
    Express,
}

/// Who the execution is and when it starts; the values the context object (`$$`) shows.
#[derive(Clone, Debug)]
pub struct ExecutionContext {
    pub execution_arn: String,
    pub execution_name: String,
    pub role_arn: String,
    pub state_machine_arn: String,
    pub state_machine_name: String,
    pub kind: ExecutionKind,
    /// The simulated time the execution starts at.
    pub start_time: SimTime,
    /// The wall-clock time (microseconds since the Unix epoch) that `start_time` stands
    /// for: Wait `Timestamp`s and `$$.Execution.StartTime` are relative to it.
    pub start_epoch_micros: i64,
    /// Keep state inputs and outputs in the history events (costs a copy per event).
    pub record_payloads: bool,
}

impl Default for ExecutionContext {
    fn default() -> ExecutionContext {
        ExecutionContext {
            execution_arn: "arn:aws:states:us-east-1:123456789012:execution:machine:execution"
                .into(),
            execution_name: "execution".into(),
            role_arn: "arn:aws:iam::123456789012:role/StepFunctionsRole".into(),
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:machine".into(),
            state_machine_name: "machine".into(),
            kind: ExecutionKind::Standard,
            start_time: SimTime::ZERO,
            // 2024-01-01T00:00:00Z
            start_epoch_micros: 1_704_067_200_000_000,
            record_payloads: true,
        }
    }
}

/// The type of a history event, named as Step Functions names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    ExecutionRedriven,
    StateEntered(&'static str),
    StateExited(&'static str),
    TaskScheduled,
    TaskStarted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    MapIterationAborted,
    /// A Distributed Map's Map Run began (details: its ARN).
    MapRunStarted,
    MapRunSucceeded,
    MapRunFailed,
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    ParallelStateAborted,
}

impl EventType {
    /// The AWS name, such as `TaskStateEntered` or `MapIterationStarted`.
    pub fn name(&self) -> Cow<'static, str> {
        match self {
            EventType::StateEntered(state_type) => Cow::Owned(format!("{state_type}StateEntered")),
            EventType::StateExited(state_type) => Cow::Owned(format!("{state_type}StateExited")),
            other => Cow::Borrowed(match other {
                EventType::ExecutionStarted => "ExecutionStarted",
                EventType::ExecutionSucceeded => "ExecutionSucceeded",
                EventType::ExecutionFailed => "ExecutionFailed",
                EventType::ExecutionTimedOut => "ExecutionTimedOut",
                EventType::ExecutionRedriven => "ExecutionRedriven",
                EventType::TaskScheduled => "TaskScheduled",
                EventType::TaskStarted => "TaskStarted",
                EventType::TaskSucceeded => "TaskSucceeded",
                EventType::TaskFailed => "TaskFailed",
                EventType::TaskTimedOut => "TaskTimedOut",
                EventType::MapStateStarted => "MapStateStarted",
                EventType::MapStateSucceeded => "MapStateSucceeded",
                EventType::MapStateFailed => "MapStateFailed",
                EventType::MapIterationStarted => "MapIterationStarted",
                EventType::MapIterationSucceeded => "MapIterationSucceeded",
                EventType::MapIterationFailed => "MapIterationFailed",
                EventType::MapIterationAborted => "MapIterationAborted",
                EventType::MapRunStarted => "MapRunStarted",
                EventType::MapRunSucceeded => "MapRunSucceeded",
                EventType::MapRunFailed => "MapRunFailed",
                EventType::ParallelStateStarted => "ParallelStateStarted",
                EventType::ParallelStateSucceeded => "ParallelStateSucceeded",
                EventType::ParallelStateFailed => "ParallelStateFailed",
                _ => "ParallelStateAborted",
            }),
        }
    }
}

/// One execution history event.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEvent {
    /// 1-based, in order.
    pub id: u64,
    pub timestamp: SimTime,
    pub event_type: EventType,
    pub state_name: Option<Arc<str>>,
    /// State input (entered), state output (exited, succeeded), task input (scheduled),
    /// task result (task succeeded), when payloads are recorded.
    pub payload: Option<Value>,
    pub error: Option<StatesError>,
    /// The Map iteration index, for `MapIteration*` events.
    pub index: Option<usize>,
    pub resource: Option<Arc<str>>,
}

/// What one call to [`Execution::advance`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// A state was entered; `event` indexes [`Execution::history`] (its `…StateEntered`).
    Transitioned {
        event: usize,
        state: Arc<str>,
    },
    /// Nothing can run before `until` (a Wait, a retry back-off, a task or execution
    /// deadline); call again then, or earlier after `complete_task`.
    WaitingUntil(SimTime),
    /// Only task results can move the execution on.
    WaitingForTasks,
    Succeeded {
        output: Value,
    },
    Failed {
        error: String,
        cause: String,
    },
    /// The execution ran past its `TimeoutSeconds` (or Express's 5 minutes).
    TimedOut,
}

#[derive(Clone, Debug)]
enum Phase {
    Enter,
    Execute,
    RetryWait {
        until: SimTime,
    },
    Waiting {
        until: SimTime,
        output: Value,
    },
    AwaitTask {
        token: TaskToken,
        timeout_at: Option<SimTime>,
        heartbeat_at: Option<SimTime>,
        heartbeat_seconds: Option<u64>,
    },
    TaskDone(Result<Value, StatesError>),
    AwaitChildren {
        join: usize,
    },
    /// The children's result, and the Map Run whose results a `ResultWriter` writes.
    /// The children ended; a Distributed Map's result files to write and its Map Run's
    /// ARN.
    ChildrenDone(
        Result<Value, StatesError>,
        Option<Box<MapRun>>,
        Option<String>,
    ),
}

/// A Distributed Map's run as its `ResultWriter` records it.
#[derive(Clone, Debug)]
struct MapRun {
    names: MapRunNames,
    /// The bucket and prefix the results are exported to (`None`: `WriterConfig` alone,
    /// the formatted results are the Map's output).
    export: Option<(String, String)>,
    config: WriterConfig,
    records: Vec<ChildRecord>,
}

/// What a Distributed Map's fields resolve to when it starts (all empty inline).
#[derive(Default)]
struct DistributedStart {
    /// The items an `ItemReader` read (`None`: the items come from the input).
    items: Option<Vec<Value>>,
    tolerated_count: Option<u64>,
    tolerated_percentage: Option<f64>,
    /// `ItemBatcher`: most items, most bytes, `BatchInput`.
    batcher: Option<(Option<u64>, Option<u64>, Option<Value>)>,
    /// `ResultWriter`: bucket and prefix (`None`: no export), and its `WriterConfig`.
    writer: Option<(Option<(String, String)>, WriterConfig)>,
}

/// Where a Distributed Map's payloads and settings are evaluated: the effective input
/// (JSONPath) or `$states` (JSONata).
#[derive(Clone, Copy)]
enum Data<'a> {
    JsonPath {
        input: &'a Value,
        info: Option<RunInfo>,
    },
    Jsonata {
        states: &'a Value,
    },
}

#[derive(Debug, Default, Clone)]
struct RetryCounter {
    total: u32,
    per_error: Vec<(String, u64)>,
}

#[derive(Clone, Debug)]
struct Run {
    generation: u64,
    graph: usize,
    state: usize,
    input: Value,
    phase: Phase,
    parent: Option<(usize, usize)>,
    entered_at: SimTime,
    retry_counters: Vec<RetryCounter>,
    retry_count: u32,
    /// The variables this run's scope assigned (a Parallel branch or Map iteration has
    /// its own scope and reads its parents' through the join).
    variables: BTreeMap<String, Value>,
}

/// What `$states` holds besides `input` and `context`.
#[derive(Default)]
struct StatesExtra {
    result: Option<Value>,
    error_output: Option<Value>,
    task_token: Option<TaskToken>,
    item: Option<(usize, Value)>,
    /// `Map.Item.Key` when a JSONata Map iterates an object.
    item_key: Option<String>,
}

#[derive(Clone, Copy, Debug)]
struct RunInfo {
    entered_at: SimTime,
    retry_count: u32,
}

#[derive(Clone, Debug)]
struct Join {
    parent_run: usize,
    parent_generation: u64,
    is_map: bool,
    results: Vec<Value>,
    remaining: usize,
    next_item: usize,
    items: Vec<Value>,
    /// Map: the state's effective input (for `ItemSelector`); Parallel: the branch input.
    shared_input: Value,
    running: BTreeSet<usize>,
    limit: usize,
    failures: usize,
    tolerated_count: Option<u64>,
    tolerated_percentage: Option<f64>,
    distributed: bool,
    /// JSONata `Items` that were an object: each item's key (`$states.context.Map.Item.Key`).
    item_keys: Vec<String>,
    /// `ItemBatcher`: the items in each batch (empty: one item per child).
    item_counts: Vec<usize>,
    /// The items of the Map (batched or not), the base of the tolerated percentage.
    total_items: usize,
    /// The items already went through `ItemSelector` (batching selects them first).
    pre_selected: bool,
    map_run: Option<Box<MapRun>>,
    /// A Distributed Map's Map Run ARN (its history says `MapRunStarted`, then
    /// `MapRunSucceeded` or `MapRunFailed`).
    map_run_arn: Option<String>,
}

enum Outcome {
    Goto(Next, Value),
    Blocked,
    Fail(StatesError),
    Finish(Result<Value, StatesError>),
}

#[derive(Clone, Debug)]
enum Status {
    Running,
    Succeeded(Value),
    Failed(StatesError),
    TimedOut,
}

/// One execution of a state machine. See the module docs for the driving contract.
#[derive(Clone, Debug)]
pub struct Execution {
    machine: Arc<StateMachine>,
    context: ExecutionContext,
    input: Value,
    runs: Vec<Option<Run>>,
    free_runs: Vec<usize>,
    joins: Vec<Option<Join>>,
    free_joins: Vec<usize>,
    ready: VecDeque<(usize, u64)>,
    timers: BinaryHeap<Reverse<(SimTime, u64, usize, u64)>>,
    timer_sequence: u64,
    pending_tasks: BTreeMap<TaskToken, (usize, u64)>,
    next_token: TaskToken,
    next_generation: u64,
    history: Vec<HistoryEvent>,
    history_overflow: bool,
    transitions: u64,
    status: Status,
    deadline: Option<SimTime>,
    /// Standard: the top-level state last entered and its input, where a redrive resumes.
    redrive_point: Option<(usize, Value)>,
    /// When the execution failed or timed out.
    ended_at: Option<SimTime>,
    redrive_count: u32,
    /// The last redrive, in microseconds since the Unix epoch.
    redrive_epoch_micros: Option<i64>,
    /// The top-level scope's variables once its run is gone (kept for a redrive).
    top_variables: BTreeMap<String, Value>,
    /// What happened to each state since the last drain, when the caller asked for it
    /// ([`Execution::record_state_outcomes`]).
    outcomes: Option<Vec<(Arc<str>, StateOutcome)>>,
}

/// What happened to one state of an execution: what live per-state counters count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateOutcome {
    Entered,
    /// Left normally (`…StateExited`).
    Succeeded,
    /// Its error ended its run (no retrier or catcher took it): the execution, branch or
    /// iteration failed there.
    Failed,
    /// A retrier matched an error: the state runs again after the back-off.
    Retried,
    /// A catcher matched an error: the state leaves for the catcher's `Next`.
    Caught,
}

/// Why [`Execution::redrive`] refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedriveRefused {
    /// Only Standard workflows can be redriven.
    Express,
    /// The execution is running or succeeded (`ExecutionNotRedrivable`).
    NotRedrivable(&'static str),
    /// More than 14 days passed since it ended.
    TooLate,
}

impl std::fmt::Display for RedriveRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedriveRefused::Express => write!(f, "ExecutionNotRedrivable: Express executions cannot be redriven"),
            RedriveRefused::NotRedrivable(status) => write!(f, "ExecutionNotRedrivable: the execution is {status}; only FAILED, TIMED_OUT or ABORTED executions can be redriven"),
            RedriveRefused::TooLate => write!(f, "ExecutionNotRedrivable: the redrivable period of 14 days after the execution ended has passed"),
        }
    }
}

impl std::error::Error for RedriveRefused {}

/// How long after its end a Standard execution can be redriven.
pub const REDRIVABLE_SECONDS: u64 = 14 * 86_400;

/// Express workflows run for at most 5 minutes; Standard for a year.
const EXPRESS_MAX_SECONDS: u64 = 300;
const STANDARD_MAX_SECONDS: u64 = 366 * 86_400;

/// The execution's time limit: its `TimeoutSeconds`, within the workflow type's maximum.
fn time_limit_seconds(machine: &StateMachine, kind: ExecutionKind) -> u64 {
    let max_seconds = match kind {
        ExecutionKind::Express => EXPRESS_MAX_SECONDS,
        ExecutionKind::Standard => STANDARD_MAX_SECONDS,
    };
    machine
        .timeout_seconds
        .unwrap_or(max_seconds)
        .min(max_seconds)
}

fn state_error_matches(names: &[String], error: &str) -> bool {
    if error == "States.Runtime" {
        return false;
    }
    names.iter().any(|name| {
        name == error
            || (name == "States.ALL" && error != "States.DataLimitExceeded")
            || (name == "States.Timeout" && error == "States.HeartbeatTimeout")
            || (name == "States.TaskFailed" && !error.starts_with("States."))
    })
}

fn select_io<'v>(
    path: &IoPath,
    value: &'v Value,
    scope_context: &dyn Fn() -> Value,
    what: &str,
) -> Result<Cow<'v, Value>, StatesError> {
    match path {
        IoPath::Whole => Ok(Cow::Borrowed(value)),
        IoPath::Empty => Ok(Cow::Owned(Value::Object(Map::new()))),
        IoPath::Path(path) => {
            let selected = if path.root() == PathRoot::Context {
                path.select(&scope_context()).into_value().map(Cow::Owned)
            } else {
                match path.select(value) {
                    super::path::Selection::One(found) => Some(Cow::Borrowed(found)),
                    other => other.into_value().map(Cow::Owned),
                }
            };
            selected.ok_or_else(|| {
                StatesError::runtime(format!(
                    "Invalid path '{}' : No results for path: {what} could not be applied to '{}'",
                    path.text(),
                    truncate(&value.to_string(), 1024)
                ))
            })
        }
    }
}

fn check_size(value: &Value, what: &str) -> Result<(), StatesError> {
    if json_size_exceeds(value, MAX_PAYLOAD_BYTES) {
        Err(StatesError::new(
            "States.DataLimitExceeded",
            format!("The {what} has exceeded the maximum size of 262144 bytes."),
        ))
    } else {
        Ok(())
    }
}

fn error_output(error: &StatesError) -> Value {
    let mut object = Map::new();
    object.insert("Error".into(), Value::String(error.error.clone()));
    object.insert("Cause".into(), Value::String(error.cause.clone()));
    Value::Object(object)
}

impl Execution {
    /// Starts an execution: records `ExecutionStarted`; the first state is entered by the
    /// first [`advance`](Execution::advance).
    pub fn start(machine: Arc<StateMachine>, input: Value, context: ExecutionContext) -> Execution {
        let limit_seconds = time_limit_seconds(&machine, context.kind);
        let deadline = Some(
            context
                .start_time
                .saturating_add(SimDuration::from_secs(limit_seconds)),
        );
        let mut execution = Execution {
            machine,
            input: input.clone(),
            runs: Vec::new(),
            free_runs: Vec::new(),
            joins: Vec::new(),
            free_joins: Vec::new(),
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            timer_sequence: 0,
            pending_tasks: BTreeMap::new(),
            next_token: 1,
            next_generation: 1,
            history: Vec::new(),
            history_overflow: false,
            transitions: 0,
            status: Status::Running,
            deadline,
            redrive_point: None,
            ended_at: None,
            redrive_count: 0,
            redrive_epoch_micros: None,
            top_variables: BTreeMap::new(),
            outcomes: None,
            context,
        };
        let start_time = execution.context.start_time;
        let payload = execution.context.record_payloads.then(|| input.clone());
        execution.emit(
            start_time,
            EventType::ExecutionStarted,
            None,
            payload,
            None,
            None,
        );
        if let Err(error) = check_size(&input, "state input") {
            execution.fail_execution(start_time, error);
            return execution;
        }
        let start = execution
            .machine
            .top()
            .map(|graph| graph.start)
            .unwrap_or(0);
        let run = execution.new_run(0, start, input, None, start_time);
        execution.push_ready(run);
        execution
    }

    /// `RedriveExecution`: a failed or timed-out Standard execution resumes from the
    /// top-level state where it stopped, with that state's input, and its variables as
    /// they were then. `$$.Execution.RedriveCount` counts the redrives.
    ///
    /// Simplified: a Parallel or Map that failed runs again as a whole (AWS re-runs only
    /// the branches and iterations that did not succeed), and the execution's
    /// `TimeoutSeconds` counts again from the redrive.
    pub fn redrive(&mut self, now: SimTime) -> Result<(), RedriveRefused> {
        self.redrivable(now)?;
        let Some((state, input)) = self.redrive_point.clone() else {
            return Err(RedriveRefused::NotRedrivable(
                "FAILED before its first state",
            ));
        };
        self.redrive_count += 1;
        self.redrive_epoch_micros = Some(self.epoch_of(now));
        self.status = Status::Running;
        self.history_overflow = false;
        self.ended_at = None;
        let limit_seconds = time_limit_seconds(&self.machine, self.context.kind);
        self.deadline = Some(now.saturating_add(SimDuration::from_secs(limit_seconds)));
        self.emit(now, EventType::ExecutionRedriven, None, None, None, None);
        let variables = std::mem::take(&mut self.top_variables);
        let run = self.new_run(0, state, input, None, now);
        if let Some(run) = self.runs.get_mut(run).and_then(Option::as_mut) {
            run.variables = variables;
        }
        self.push_ready(run);
        Ok(())
    }

    /// How many times the execution was redriven.
    pub fn redrive_count(&self) -> u32 {
        self.redrive_count
    }

    /// Whether [`Execution::redrive`] would accept at `now` (`RedriveStatus`
    /// `REDRIVABLE`), and why not.
    pub fn redrivable(&self, now: SimTime) -> Result<(), RedriveRefused> {
        if self.context.kind == ExecutionKind::Express {
            return Err(RedriveRefused::Express);
        }
        match self.status {
            Status::Running => return Err(RedriveRefused::NotRedrivable("RUNNING")),
            Status::Succeeded(_) => return Err(RedriveRefused::NotRedrivable("SUCCEEDED")),
            Status::Failed(_) | Status::TimedOut => {}
        }
        let ended_at = self.ended_at.unwrap_or(now);
        if now.since(ended_at) > SimDuration::from_secs(REDRIVABLE_SECONDS) {
            return Err(RedriveRefused::TooLate);
        }
        if self.redrive_point.is_none() {
            return Err(RedriveRefused::NotRedrivable(
                "FAILED before its first state",
            ));
        }
        Ok(())
    }

    /// From now on, keep what happens to each state (entered, succeeded, failed, retried,
    /// caught) until [`Execution::drain_state_outcomes`]; off by default, so an execution
    /// nobody drains does not grow.
    pub fn record_state_outcomes(&mut self) {
        self.outcomes.get_or_insert_with(Vec::new);
    }

    /// What happened to states since the last drain, in order.
    pub fn drain_state_outcomes(&mut self) -> Vec<(Arc<str>, StateOutcome)> {
        self.outcomes
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The states the execution is in right now: one name per running branch, iteration
    /// or top-level run that entered its state (a Map or Parallel waiting for its children
    /// counts as in its state).
    pub fn active_states(&self) -> Vec<Arc<str>> {
        self.runs
            .iter()
            .flatten()
            .filter(|run| !matches!(run.phase, Phase::Enter))
            .filter_map(|run| self.machine.state(run.graph, run.state))
            .map(|state| Arc::clone(&state.name))
            .collect()
    }

    fn note(&mut self, state: &Arc<str>, outcome: StateOutcome) {
        if let Some(outcomes) = self.outcomes.as_mut() {
            outcomes.push((Arc::clone(state), outcome));
        }
    }

    /// Who the execution is: its ARN, name, type and start.
    pub fn context(&self) -> &ExecutionContext {
        &self.context
    }

    /// The history so far.
    pub fn history(&self) -> &[HistoryEvent] {
        &self.history
    }

    /// State transitions so far (each state entered, each retry): what Standard bills.
    pub fn transitions(&self) -> u64 {
        self.transitions
    }

    /// The output once the execution succeeded.
    pub fn output(&self) -> Option<&Value> {
        match &self.status {
            Status::Succeeded(output) => Some(output),
            _ => None,
        }
    }

    /// The error once the execution failed.
    pub fn error(&self) -> Option<&StatesError> {
        match &self.status {
            Status::Failed(error) => Some(error),
            _ => None,
        }
    }

    pub fn is_finished(&self) -> bool {
        !matches!(self.status, Status::Running)
    }

    /// Tokens of the tasks waiting for a result, in issue order.
    pub fn pending_tasks(&self) -> Vec<TaskToken> {
        self.pending_tasks.keys().copied().collect()
    }

    /// Delivers a task's result; it is processed by the next `advance`.
    pub fn complete_task(
        &mut self,
        token: TaskToken,
        result: Result<Value, TaskError>,
    ) -> Result<(), UnknownTaskToken> {
        let Some((run_id, generation)) = self.pending_tasks.remove(&token) else {
            return Err(UnknownTaskToken(token));
        };
        let Some(run) = self.run_mut(run_id, generation) else {
            return Err(UnknownTaskToken(token));
        };
        run.phase = Phase::TaskDone(result);
        self.ready.push_back((run_id, generation));
        Ok(())
    }

    /// `SendTaskHeartbeat`: restarts the task's heartbeat clock at `now`.
    pub fn heartbeat(&mut self, token: TaskToken, now: SimTime) -> Result<(), UnknownTaskToken> {
        let Some(&(run_id, generation)) = self.pending_tasks.get(&token) else {
            return Err(UnknownTaskToken(token));
        };
        let mut new_timer = None;
        if let Some(run) = self.run_mut(run_id, generation) {
            if let Phase::AwaitTask {
                heartbeat_at,
                heartbeat_seconds: Some(seconds),
                ..
            } = &mut run.phase
            {
                let at = now.saturating_add(SimDuration::from_secs(*seconds));
                *heartbeat_at = Some(at);
                new_timer = Some(at);
            }
        }
        if let Some(at) = new_timer {
            self.add_timer(at, run_id, generation);
        }
        Ok(())
    }

    /// Makes at most one state transition at time `now`.
    pub fn advance(
        &mut self,
        now: SimTime,
        rng: &mut SimRng,
        handler: &mut dyn TaskHandler,
    ) -> Step {
        if let Some(step) = self.final_step() {
            return step;
        }
        if self.deadline.is_some_and(|deadline| now >= deadline) {
            self.time_out(now);
            return self.final_step().unwrap_or(Step::TimedOut);
        }
        self.fire_timers(now);
        let machine = Arc::clone(&self.machine);
        while let Some((run_id, generation)) = self.ready.pop_front() {
            if self.run_mut(run_id, generation).is_none() {
                continue;
            }
            let stepped = self.step_run(&machine, run_id, now, rng, handler);
            if self.history_overflow && matches!(self.status, Status::Running) {
                self.fail_execution(
                    now,
                    StatesError::runtime(
                        "The execution history reached the limit of 25000 events.",
                    ),
                );
            }
            if let Some(step) = self.final_step() {
                return step;
            }
            if let Some(step) = stepped {
                return step;
            }
        }
        let next_timer = self.next_timer();
        match (next_timer, self.deadline) {
            (Some(timer), Some(deadline)) => Step::WaitingUntil(timer.min(deadline)),
            (Some(timer), None) => Step::WaitingUntil(timer),
            (None, deadline) if !self.pending_tasks.is_empty() => match deadline {
                Some(deadline) => Step::WaitingUntil(deadline),
                None => Step::WaitingForTasks,
            },
            _ => {
                // Nothing ready, no timer, no task: an interpreter bug. Recorded, not panicked.
                debug_assert!(false, "ASL execution stalled");
                self.fail_execution(
                    now,
                    StatesError::runtime("The execution stalled (interpreter error)."),
                );
                self.final_step().unwrap_or(Step::WaitingForTasks)
            }
        }
    }

    fn final_step(&self) -> Option<Step> {
        match &self.status {
            Status::Running => None,
            Status::Succeeded(output) => Some(Step::Succeeded {
                output: output.clone(),
            }),
            Status::Failed(error) => Some(Step::Failed {
                error: error.error.clone(),
                cause: error.cause.clone(),
            }),
            Status::TimedOut => Some(Step::TimedOut),
        }
    }

    fn run_mut(&mut self, run_id: usize, generation: u64) -> Option<&mut Run> {
        self.runs
            .get_mut(run_id)
            .and_then(Option::as_mut)
            .filter(|run| run.generation == generation)
    }

    fn run_generation(&self, run_id: usize) -> Option<u64> {
        self.runs
            .get(run_id)
            .and_then(Option::as_ref)
            .map(|run| run.generation)
    }

    fn push_ready(&mut self, run_id: usize) {
        if let Some(generation) = self.run_generation(run_id) {
            self.ready.push_back((run_id, generation));
        }
    }

    fn new_run(
        &mut self,
        graph: usize,
        state: usize,
        input: Value,
        parent: Option<(usize, usize)>,
        now: SimTime,
    ) -> usize {
        let generation = self.next_generation;
        self.next_generation += 1;
        let run = Run {
            generation,
            graph,
            state,
            input,
            phase: Phase::Enter,
            parent,
            entered_at: now,
            retry_counters: Vec::new(),
            retry_count: 0,
            variables: BTreeMap::new(),
        };
        match self.free_runs.pop() {
            Some(slot) => {
                if let Some(entry) = self.runs.get_mut(slot) {
                    *entry = Some(run);
                }
                slot
            }
            None => {
                self.runs.push(Some(run));
                self.runs.len() - 1
            }
        }
    }

    fn remove_run(&mut self, run_id: usize) -> Option<Run> {
        let run = self.runs.get_mut(run_id)?.take()?;
        self.free_runs.push(run_id);
        Some(run)
    }

    fn add_timer(&mut self, at: SimTime, run_id: usize, generation: u64) {
        self.timer_sequence += 1;
        self.timers
            .push(Reverse((at, self.timer_sequence, run_id, generation)));
    }

    fn next_timer(&mut self) -> Option<SimTime> {
        while let Some(Reverse((at, _, run_id, generation))) = self.timers.peek().copied() {
            if self.run_mut(run_id, generation).is_some() {
                return Some(at);
            }
            self.timers.pop();
        }
        None
    }

    fn fire_timers(&mut self, now: SimTime) {
        while let Some(Reverse((at, _, run_id, generation))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            let Some(run) = self.run_mut(run_id, generation) else {
                continue;
            };
            let wake = match &mut run.phase {
                Phase::RetryWait { until } if *until <= now => {
                    run.phase = Phase::Execute;
                    true
                }
                Phase::Waiting { until, .. } => *until <= now,
                Phase::AwaitTask {
                    token,
                    timeout_at,
                    heartbeat_at,
                    ..
                } => {
                    let timed_out = timeout_at.is_some_and(|t| t <= now);
                    let heartbeat_missed = heartbeat_at.is_some_and(|t| t <= now);
                    if timed_out || heartbeat_missed {
                        let token = *token;
                        run.phase = Phase::TaskDone(Err(if timed_out {
                            StatesError::new("States.Timeout", "The task timed out.")
                        } else {
                            StatesError::new(
                                "States.HeartbeatTimeout",
                                "The task missed its heartbeat.",
                            )
                        }));
                        self.pending_tasks.remove(&token);
                        true
                    } else {
                        false
                    }
                }
                _ => false,
            };
            if wake {
                self.ready.push_back((run_id, generation));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        at: SimTime,
        event_type: EventType,
        state_name: Option<Arc<str>>,
        payload: Option<Value>,
        error: Option<StatesError>,
        index: Option<usize>,
    ) -> usize {
        let terminal = matches!(
            event_type,
            EventType::ExecutionFailed
                | EventType::ExecutionSucceeded
                | EventType::ExecutionTimedOut
        );
        if self.context.kind == ExecutionKind::Standard
            && self.history.len() >= MAX_HISTORY_EVENTS
            && !terminal
        {
            self.history_overflow = true;
            return self.history.len().saturating_sub(1);
        }
        self.history.push(HistoryEvent {
            id: self.history.len() as u64 + 1,
            timestamp: at,
            event_type,
            state_name,
            payload,
            error,
            index,
            resource: None,
        });
        self.history.len() - 1
    }

    fn payload(&self, value: &Value) -> Option<Value> {
        self.context.record_payloads.then(|| value.clone())
    }

    fn context_value(
        &self,
        run: Option<RunInfo>,
        state: Option<&State>,
        task_token: Option<TaskToken>,
        item: Option<(usize, &Value)>,
    ) -> Value {
        let mut execution = Map::new();
        execution.insert(
            "Id".into(),
            Value::String(self.context.execution_arn.clone()),
        );
        execution.insert("Input".into(), self.input.clone());
        execution.insert(
            "Name".into(),
            Value::String(self.context.execution_name.clone()),
        );
        execution.insert(
            "RoleArn".into(),
            Value::String(self.context.role_arn.clone()),
        );
        execution.insert(
            "StartTime".into(),
            Value::String(format_rfc3339(self.context.start_epoch_micros)),
        );
        execution.insert("RedriveCount".into(), Value::from(self.redrive_count));
        if let Some(epoch) = self.redrive_epoch_micros {
            execution.insert("RedriveTime".into(), Value::String(format_rfc3339(epoch)));
        }
        let mut state_object = Map::new();
        if let Some(state) = state {
            state_object.insert("Name".into(), Value::String(state.name.to_string()));
        }
        if let Some(run) = run {
            state_object.insert(
                "EnteredTime".into(),
                Value::String(format_rfc3339(self.epoch_of(run.entered_at))),
            );
            state_object.insert("RetryCount".into(), Value::from(run.retry_count));
        }
        let mut machine = Map::new();
        machine.insert(
            "Id".into(),
            Value::String(self.context.state_machine_arn.clone()),
        );
        machine.insert(
            "Name".into(),
            Value::String(self.context.state_machine_name.clone()),
        );
        let mut context = Map::new();
        context.insert("Execution".into(), Value::Object(execution));
        context.insert("State".into(), Value::Object(state_object));
        context.insert("StateMachine".into(), Value::Object(machine));
        if let Some(token) = task_token {
            let mut task = Map::new();
            task.insert(
                "Token".into(),
                Value::String(format!("{}:{token}", self.context.execution_arn)),
            );
            context.insert("Task".into(), Value::Object(task));
        }
        if let Some((index, value)) = item {
            let mut item_object = Map::new();
            item_object.insert("Index".into(), Value::from(index));
            item_object.insert("Value".into(), value.clone());
            let mut map = Map::new();
            map.insert("Item".into(), Value::Object(item_object));
            context.insert("Map".into(), Value::Object(map));
        }
        Value::Object(context)
    }

    fn epoch_of(&self, time: SimTime) -> i64 {
        let offset =
            i64::try_from(time.since(self.context.start_time).as_micros()).unwrap_or(i64::MAX);
        self.context.start_epoch_micros.saturating_add(offset)
    }

    fn time_out(&mut self, now: SimTime) {
        self.ended_at = Some(now);
        self.clear_runs();
        self.emit(
            now,
            EventType::ExecutionTimedOut,
            None,
            None,
            Some(StatesError::new(
                "States.Timeout",
                "The execution timed out.",
            )),
            None,
        );
        self.status = Status::TimedOut;
    }

    fn clear_runs(&mut self) {
        // The top-level variables stay for a redrive.
        if let Some(top) = self
            .runs
            .iter_mut()
            .flatten()
            .find(|run| run.parent.is_none())
        {
            self.top_variables = std::mem::take(&mut top.variables);
        }
        self.runs.clear();
        self.free_runs.clear();
        self.joins.clear();
        self.free_joins.clear();
        self.ready.clear();
        self.timers.clear();
        self.pending_tasks.clear();
    }

    fn fail_execution(&mut self, now: SimTime, error: StatesError) {
        self.ended_at = Some(now);
        self.clear_runs();
        self.emit(
            now,
            EventType::ExecutionFailed,
            None,
            None,
            Some(error.clone()),
            None,
        );
        self.status = Status::Failed(error);
    }

    /// Runs one run until it enters a state (returned as the step) or blocks or ends.
    fn step_run(
        &mut self,
        machine: &StateMachine,
        run_id: usize,
        now: SimTime,
        rng: &mut SimRng,
        handler: &mut dyn TaskHandler,
    ) -> Option<Step> {
        let (graph, state_index, entering) = {
            let run = self.runs.get(run_id)?.as_ref()?;
            (run.graph, run.state, matches!(run.phase, Phase::Enter))
        };
        let Some(state) = machine.state(graph, state_index) else {
            self.fail_execution(
                now,
                StatesError::runtime("a transition names a state that does not exist"),
            );
            return None;
        };
        let mut step = None;
        if entering {
            self.transitions += 1;
            let payload = {
                let run = self.runs.get(run_id)?.as_ref()?;
                self.payload(&run.input)
            };
            let event = self.emit(
                now,
                EventType::StateEntered(state.kind.type_name()),
                Some(Arc::clone(&state.name)),
                payload,
                None,
                None,
            );
            self.note(&state.name, StateOutcome::Entered);
            step = Some(Step::Transitioned {
                event,
                state: Arc::clone(&state.name),
            });
            let run = self.runs.get_mut(run_id)?.as_mut()?;
            run.entered_at = now;
            run.retry_count = 0;
            run.retry_counters.clear();
            run.phase = Phase::Execute;
            if run.parent.is_none() && self.context.kind == ExecutionKind::Standard {
                self.redrive_point = Some((state_index, run.input.clone()));
            }
        }
        let outcome = self.execute(machine, state, run_id, now, rng, handler);
        self.apply_outcome(machine, state, run_id, now, rng, outcome);
        step
    }

    fn apply_outcome(
        &mut self,
        machine: &StateMachine,
        state: &State,
        run_id: usize,
        now: SimTime,
        rng: &mut SimRng,
        outcome: Outcome,
    ) {
        match outcome {
            Outcome::Blocked => {}
            Outcome::Goto(next, output) => self.exit_to(
                machine,
                state,
                run_id,
                now,
                rng,
                next,
                output,
                StateOutcome::Succeeded,
            ),
            Outcome::Finish(result) => {
                if let Ok(output) = &result {
                    self.exit_state(state, output, now, StateOutcome::Succeeded);
                }
                self.finish_run(machine, run_id, now, rng, result);
            }
            Outcome::Fail(error) => self.handle_error(machine, state, run_id, now, rng, error),
        }
    }

    /// Records that `state` left with `output` (`…StateExited`).
    fn exit_state(&mut self, state: &State, output: &Value, now: SimTime, how: StateOutcome) {
        self.note(&state.name, how);
        let payload = self.payload(output);
        self.emit(
            now,
            EventType::StateExited(state.kind.type_name()),
            Some(Arc::clone(&state.name)),
            payload,
            None,
            None,
        );
    }

    /// The state leaves for `next` with `output` (`how`: normally or through a catcher).
    #[allow(clippy::too_many_arguments)]
    fn exit_to(
        &mut self,
        machine: &StateMachine,
        state: &State,
        run_id: usize,
        now: SimTime,
        rng: &mut SimRng,
        next: Next,
        output: Value,
        how: StateOutcome,
    ) {
        if !matches!(state.kind, StateKind::Fail { .. }) {
            self.exit_state(state, &output, now, how);
        }
        match next {
            Next::State(index) => {
                let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) else {
                    return;
                };
                run.state = index;
                run.input = output;
                run.phase = Phase::Enter;
                let generation = run.generation;
                self.ready.push_back((run_id, generation));
            }
            Next::End | Next::None => self.finish_run(machine, run_id, now, rng, Ok(output)),
        }
    }

    fn handle_error(
        &mut self,
        machine: &StateMachine,
        state: &State,
        run_id: usize,
        now: SimTime,
        rng: &mut SimRng,
        error: StatesError,
    ) {
        // Retry first.
        let retry_index = state
            .retry
            .iter()
            .position(|retrier| state_error_matches(&retrier.error_equals, &error.error));
        if let (Some(index), Some(retrier)) =
            (retry_index, retry_index.and_then(|i| state.retry.get(i)))
        {
            if let Some(delay) = self.retry_delay(run_id, index, retrier, &error.error, rng) {
                let until = now.saturating_add(delay);
                let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) else {
                    return;
                };
                run.retry_count += 1;
                run.phase = Phase::RetryWait { until };
                let generation = run.generation;
                self.transitions += 1;
                self.note(&state.name, StateOutcome::Retried);
                if until <= now {
                    if let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) {
                        run.phase = Phase::Execute;
                    }
                    self.ready.push_back((run_id, generation));
                } else {
                    self.add_timer(until, run_id, generation);
                }
                return;
            }
        }
        // Then Catch.
        if let Some(catcher) = state
            .catch
            .iter()
            .find(|catcher| state_error_matches(&catcher.error_equals, &error.error))
        {
            self.catch(machine, state, catcher, run_id, now, rng, &error);
            return;
        }
        self.finish_run(machine, run_id, now, rng, Err(error));
    }

    #[allow(clippy::too_many_arguments)]
    fn catch(
        &mut self,
        machine: &StateMachine,
        state: &State,
        catcher: &Catcher,
        run_id: usize,
        now: SimTime,
        rng: &mut SimRng,
        error: &StatesError,
    ) {
        let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) else {
            return;
        };
        let raw = std::mem::take(&mut run.input);
        let error_value = error_output(error);
        let (output, assigned) = if state.jsonata.is_some() {
            let states = self.states_value(
                run_id,
                state,
                &raw,
                StatesExtra {
                    error_output: Some(error_value.clone()),
                    ..StatesExtra::default()
                },
            );
            let output = match &catcher.output {
                Some(output) => self.eval_jsonata(output, "Output", run_id, &states, now, rng),
                None => Ok(error_value),
            };
            let assigned = output.and_then(|output| {
                self.eval_assign(
                    catcher.assign.as_ref(),
                    run_id,
                    state,
                    &raw,
                    Some(&states),
                    now,
                    rng,
                )
                .map(|assigned| (output, assigned))
            });
            match assigned {
                Ok(pair) => pair,
                Err(failure) => {
                    self.finish_run(machine, run_id, now, rng, Err(failure));
                    return;
                }
            }
        } else {
            // JSONPath: the catcher's Assign reads the error output as `$`.
            let assigned = match self.eval_assign(
                catcher.assign.as_ref(),
                run_id,
                state,
                &error_value,
                None,
                now,
                rng,
            ) {
                Ok(assigned) => assigned,
                Err(failure) => {
                    self.finish_run(machine, run_id, now, rng, Err(failure));
                    return;
                }
            };
            match apply_result_path(&catcher.result_path, raw, error_value) {
                Ok(output) => (output, assigned),
                Err((failure, _)) => {
                    self.finish_run(machine, run_id, now, rng, Err(failure));
                    return;
                }
            }
        };
        if let Err(failure) = self.apply_assign(run_id, assigned) {
            self.finish_run(machine, run_id, now, rng, Err(failure));
            return;
        }
        self.exit_to(
            machine,
            state,
            run_id,
            now,
            rng,
            Next::State(catcher.next),
            output,
            StateOutcome::Caught,
        );
    }

    fn retry_delay(
        &mut self,
        run_id: usize,
        index: usize,
        retrier: &Retrier,
        error: &str,
        rng: &mut SimRng,
    ) -> Option<SimDuration> {
        let run = self.runs.get_mut(run_id)?.as_mut()?;
        if run.retry_counters.len() <= index {
            run.retry_counters
                .resize(index + 1, RetryCounter::default());
        }
        let counter = run.retry_counters.get_mut(index)?;
        let attempts_for_error = match counter.per_error.iter_mut().find(|(name, _)| name == error)
        {
            Some((_, count)) => count,
            None => {
                counter.per_error.push((error.to_string(), 0));
                &mut counter.per_error.last_mut()?.1
            }
        };
        if *attempts_for_error >= retrier.max_attempts {
            return None;
        }
        *attempts_for_error += 1;
        counter.total += 1;
        let exponent = f64::from(counter.total.saturating_sub(1));
        let mut seconds =
            retrier.interval_seconds as f64 * libm::pow(retrier.backoff_rate, exponent);
        if let Some(max) = retrier.max_delay_seconds {
            seconds = seconds.min(max as f64);
        }
        if retrier.jitter == Jitter::Full {
            seconds *= rng.next_f64();
        }
        Some(SimDuration::from_secs_f64(seconds))
    }

    fn finish_run(
        &mut self,
        machine: &StateMachine,
        run_id: usize,
        now: SimTime,
        rng: &mut SimRng,
        result: Result<Value, StatesError>,
    ) {
        let Some(run) = self.remove_run(run_id) else {
            return;
        };
        let result = result.and_then(|output| check_size(&output, "state output").map(|()| output));
        if result.is_err() {
            if let Some(state) = machine.state(run.graph, run.state) {
                self.note(&state.name, StateOutcome::Failed);
            }
        }
        let Some((join_id, slot)) = run.parent else {
            match result {
                Ok(output) => {
                    let payload = self.payload(&output);
                    self.emit(
                        now,
                        EventType::ExecutionSucceeded,
                        None,
                        payload,
                        None,
                        None,
                    );
                    self.clear_runs();
                    self.status = Status::Succeeded(output);
                }
                Err(error) => {
                    self.fail_execution(now, error);
                    self.top_variables = run.variables;
                }
            }
            return;
        };
        let Some(join) = self.joins.get_mut(join_id).and_then(Option::as_mut) else {
            return;
        };
        join.running.remove(&run_id);
        join.remaining = join.remaining.saturating_sub(1);
        let is_map = join.is_map;
        let parent_run = join.parent_run;
        let parent_state_name = self.run_state_name(machine, parent_run);
        match result {
            Ok(output) => {
                if is_map {
                    self.emit(
                        now,
                        EventType::MapIterationSucceeded,
                        parent_state_name,
                        None,
                        None,
                        Some(slot),
                    );
                }
                let stopped = self.epoch_of(now);
                if let Some(join) = self.joins.get_mut(join_id).and_then(Option::as_mut) {
                    if let Some(record) = join
                        .map_run
                        .as_mut()
                        .and_then(|run| run.records.get_mut(slot))
                    {
                        record.status = ChildStatus::Succeeded(output.clone());
                        record.stopped = Some(stopped);
                    }
                    if let Some(entry) = join.results.get_mut(slot) {
                        *entry = output;
                    }
                }
            }
            Err(error) => {
                if is_map {
                    self.emit(
                        now,
                        EventType::MapIterationFailed,
                        parent_state_name,
                        None,
                        Some(error.clone()),
                        Some(slot),
                    );
                }
                let stopped = self.epoch_of(now);
                let Some(join) = self.joins.get_mut(join_id).and_then(Option::as_mut) else {
                    return;
                };
                if let Some(record) = join
                    .map_run
                    .as_mut()
                    .and_then(|run| run.records.get_mut(slot))
                {
                    record.status = ChildStatus::Failed(error.clone());
                    record.stopped = Some(stopped);
                }
                // A failed batch counts each of its items as failed.
                join.failures += join.item_counts.get(slot).copied().unwrap_or(1);
                // Distributed: the Map Run fails when the failures exceed either tolerance
                // (reference §7.4); without either, the count defaults to 0.
                let exceeded = if join.distributed {
                    let total = join.total_items.max(1) as f64;
                    join.tolerated_count
                        .is_some_and(|count| join.failures as u64 > count)
                        || join
                            .tolerated_percentage
                            .is_some_and(|p| join.failures as f64 * 100.0 / total > p)
                } else {
                    true
                };
                if exceeded {
                    let error = if join.distributed {
                        StatesError::new("States.ExceedToleratedFailureThreshold", format!("The Map failed because {} iteration(s) failed, more than tolerated. Last error: {}", join.failures, error))
                    } else {
                        error
                    };
                    self.mark_aborted(join_id, now);
                    self.abort_join(machine, join_id, now);
                    self.complete_join(join_id, Err(error));
                    return;
                }
                if let Some(entry) = join.results.get_mut(slot) {
                    *entry = error_output(&error);
                }
            }
        }
        self.launch_children(machine, join_id, now, rng);
        let done = self
            .joins
            .get(join_id)
            .and_then(Option::as_ref)
            .is_some_and(|join| join.remaining == 0);
        if done {
            let results = self
                .joins
                .get_mut(join_id)
                .and_then(Option::as_mut)
                .map(|join| std::mem::take(&mut join.results))
                .unwrap_or_default();
            self.complete_join(join_id, Ok(Value::Array(results)));
        }
    }

    /// A failing Map Run's running children are aborted (for its result files).
    fn mark_aborted(&mut self, join_id: usize, now: SimTime) {
        let stopped = self.epoch_of(now);
        let Some(join) = self.joins.get(join_id).and_then(Option::as_ref) else {
            return;
        };
        if join.map_run.is_none() {
            return;
        }
        let slots: Vec<usize> = join
            .running
            .iter()
            .filter_map(|&child| {
                self.runs
                    .get(child)
                    .and_then(Option::as_ref)
                    .and_then(|run| run.parent.map(|p| p.1))
            })
            .collect();
        if let Some(run) = self
            .joins
            .get_mut(join_id)
            .and_then(Option::as_mut)
            .and_then(|join| join.map_run.as_mut())
        {
            for slot in slots {
                if let Some(record) = run.records.get_mut(slot) {
                    record.status = ChildStatus::Aborted;
                    record.stopped = Some(stopped);
                }
            }
        }
    }

    fn run_state_name(&self, machine: &StateMachine, run_id: usize) -> Option<Arc<str>> {
        let run = self.runs.get(run_id)?.as_ref()?;
        machine
            .state(run.graph, run.state)
            .map(|state| Arc::clone(&state.name))
    }

    /// Removes the join and hands its result to the parent run.
    fn complete_join(&mut self, join_id: usize, result: Result<Value, StatesError>) {
        let Some(join) = self.joins.get_mut(join_id).and_then(Option::take) else {
            return;
        };
        self.free_joins.push(join_id);
        if let Some(parent) = self.run_mut(join.parent_run, join.parent_generation) {
            parent.phase = Phase::ChildrenDone(result, join.map_run, join.map_run_arn);
            self.ready
                .push_back((join.parent_run, join.parent_generation));
        }
    }

    /// Stops every running child of a join (and their descendants).
    fn abort_join(&mut self, machine: &StateMachine, join_id: usize, now: SimTime) {
        let mut stack: Vec<usize> = Vec::new();
        let mut joins = vec![join_id];
        while let Some(current) = joins.pop() {
            let Some(join) = self.joins.get_mut(current).and_then(Option::as_mut) else {
                continue;
            };
            let running: Vec<usize> = std::mem::take(&mut join.running).into_iter().collect();
            let is_map = join.is_map;
            let parent = join.parent_run;
            if current != join_id {
                self.joins.get_mut(current).map(Option::take);
                self.free_joins.push(current);
            }
            let parent_name = self.run_state_name(machine, parent);
            for child in running {
                if let Some(slot) = self
                    .runs
                    .get(child)
                    .and_then(Option::as_ref)
                    .and_then(|run| run.parent.map(|p| p.1))
                {
                    if is_map {
                        self.emit(
                            now,
                            EventType::MapIterationAborted,
                            parent_name.clone(),
                            None,
                            None,
                            Some(slot),
                        );
                    }
                }
                stack.push(child);
            }
            while let Some(run_id) = stack.pop() {
                let Some(run) = self.remove_run(run_id) else {
                    continue;
                };
                match run.phase {
                    Phase::AwaitTask { token, .. } => {
                        self.pending_tasks.remove(&token);
                    }
                    Phase::AwaitChildren { join } => joins.push(join),
                    _ => {}
                }
            }
        }
    }

    /// Starts Map iterations while the concurrency limit allows.
    fn launch_children(
        &mut self,
        machine: &StateMachine,
        join_id: usize,
        now: SimTime,
        rng: &mut SimRng,
    ) {
        loop {
            let Some(join) = self.joins.get_mut(join_id).and_then(Option::as_mut) else {
                return;
            };
            if !join.is_map
                || join.next_item >= join.items.len()
                || join.running.len() >= join.limit
            {
                return;
            }
            let index = join.next_item;
            join.next_item += 1;
            let item = join
                .items
                .get_mut(index)
                .map(std::mem::take)
                .unwrap_or(Value::Null);
            let parent_run = join.parent_run;
            let Some((graph, parent_state)) = self
                .runs
                .get(parent_run)
                .and_then(Option::as_ref)
                .map(|run| (run.graph, run.state))
            else {
                return;
            };
            let Some(state) = machine.state(graph, parent_state) else {
                return;
            };
            let StateKind::Map { processor, .. } = &state.kind else {
                return;
            };
            let start = machine.graphs.get(*processor).map(|g| g.start).unwrap_or(0);
            let selected = {
                let Some(join) = self.joins.get(join_id).and_then(Option::as_ref) else {
                    return;
                };
                if join.pre_selected {
                    Ok(item)
                } else {
                    let key = join.item_keys.get(index).cloned();
                    self.select_item(
                        state,
                        parent_run,
                        &join.shared_input,
                        (index, item, key),
                        now,
                        rng,
                    )
                }
            };
            let input = match selected {
                Ok(input) => input,
                Err(error) => {
                    self.abort_join(machine, join_id, now);
                    self.complete_join(join_id, Err(error));
                    return;
                }
            };
            let started = self.epoch_of(now);
            if let Some(run) = self
                .joins
                .get_mut(join_id)
                .and_then(Option::as_mut)
                .and_then(|join| join.map_run.as_mut())
            {
                if let Some(record) = run.records.get_mut(index) {
                    record.name = uuid_v4(rng);
                    record.input = input.clone();
                    record.started = Some(started);
                }
            }
            let payload = None;
            self.emit(
                now,
                EventType::MapIterationStarted,
                Some(Arc::clone(&state.name)),
                payload,
                None,
                Some(index),
            );
            let child = self.new_run(*processor, start, input, Some((join_id, index)), now);
            if let Some(join) = self.joins.get_mut(join_id).and_then(Option::as_mut) {
                join.running.insert(child);
            }
            self.push_ready(child);
        }
    }

    /// One Map item through `ItemSelector` (JSONPath) or the JSONata `ItemSelector`;
    /// `shared` is the Map's effective input.
    fn select_item(
        &self,
        state: &State,
        parent_run: usize,
        shared: &Value,
        (index, item, item_key): (usize, Value, Option<String>),
        now: SimTime,
        rng: &mut SimRng,
    ) -> Result<Value, StatesError> {
        let StateKind::Map { item_selector, .. } = &state.kind else {
            return Ok(item);
        };
        let jsonata_selector = state
            .jsonata
            .as_ref()
            .and_then(|fields| fields.arguments.as_ref());
        match (item_selector, jsonata_selector) {
            (None, Some(selector)) => {
                let states = self.states_value(
                    parent_run,
                    state,
                    shared,
                    StatesExtra {
                        item: Some((index, item)),
                        item_key,
                        ..StatesExtra::default()
                    },
                );
                self.eval_jsonata(selector, "ItemSelector", parent_run, &states, now, rng)
            }
            (None, None) => Ok(item),
            (Some(selector), _) => {
                let parent = self.run_info(parent_run);
                let build = || self.context_value(parent, Some(state), None, Some((index, &item)));
                let lookup = |name: &str| self.variable(parent_run, name);
                let scope = Scope::new(shared, &build).with_variables(&lookup);
                selector.evaluate(&scope, rng)
            }
        }
    }

    fn new_join(&mut self, join: Join) -> usize {
        match self.free_joins.pop() {
            Some(slot) => {
                if let Some(entry) = self.joins.get_mut(slot) {
                    *entry = Some(join);
                }
                slot
            }
            None => {
                self.joins.push(Some(join));
                self.joins.len() - 1
            }
        }
    }

    /// Executes the current phase of a run's state.
    fn execute(
        &mut self,
        machine: &StateMachine,
        state: &State,
        run_id: usize,
        now: SimTime,
        rng: &mut SimRng,
        handler: &mut dyn TaskHandler,
    ) -> Outcome {
        let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) else {
            return Outcome::Blocked;
        };
        let phase = std::mem::replace(&mut run.phase, Phase::Execute);
        match phase {
            Phase::Enter | Phase::Execute => {
                self.execute_body(machine, state, run_id, now, rng, handler)
            }
            Phase::RetryWait { until } => {
                if until <= now {
                    self.execute_body(machine, state, run_id, now, rng, handler)
                } else {
                    if let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) {
                        run.phase = Phase::RetryWait { until };
                    }
                    Outcome::Blocked
                }
            }
            Phase::Waiting { until, output } => {
                if until <= now {
                    Outcome::Goto(state.next, output)
                } else {
                    if let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) {
                        run.phase = Phase::Waiting { until, output };
                    }
                    Outcome::Blocked
                }
            }
            phase @ (Phase::AwaitTask { .. } | Phase::AwaitChildren { .. }) => {
                if let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) {
                    run.phase = phase;
                }
                Outcome::Blocked
            }
            Phase::TaskDone(result) => {
                match &result {
                    Ok(value) => {
                        let payload = self.payload(value);
                        self.emit(
                            now,
                            EventType::TaskSucceeded,
                            Some(Arc::clone(&state.name)),
                            payload,
                            None,
                            None,
                        );
                    }
                    Err(error) => {
                        let event_type = if error.error == "States.Timeout"
                            || error.error == "States.HeartbeatTimeout"
                        {
                            EventType::TaskTimedOut
                        } else {
                            EventType::TaskFailed
                        };
                        self.emit(
                            now,
                            event_type,
                            Some(Arc::clone(&state.name)),
                            None,
                            Some(error.clone()),
                            None,
                        );
                    }
                }
                match result.and_then(|value| check_size(&value, "task result").map(|()| value)) {
                    Ok(value) => {
                        let raw = self.take_input(run_id);
                        self.process_result(state, run_id, raw, value, now, rng)
                    }
                    Err(error) => Outcome::Fail(error),
                }
            }
            Phase::ChildrenDone(result, map_run, map_run_arn) => {
                let is_map = matches!(state.kind, StateKind::Map { .. });
                // A ResultWriter writes the Map Run's files whether it succeeded or
                // failed; the Map's output is then where they are.
                let result = match map_run {
                    None => result,
                    Some(run) => match (self.write_results(&run, now, handler), result) {
                        (Err(error), _) => Err(error),
                        (Ok(_), Err(error)) => Err(error),
                        (Ok(output), Ok(_)) => Ok(output),
                    },
                };
                if map_run_arn.is_some() {
                    let (event_type, error) = match &result {
                        Ok(_) => (EventType::MapRunSucceeded, None),
                        Err(error) => (EventType::MapRunFailed, Some(error.clone())),
                    };
                    self.emit(
                        now,
                        event_type,
                        Some(Arc::clone(&state.name)),
                        None,
                        error,
                        None,
                    );
                }
                match result {
                    Ok(value) => {
                        let event_type = if is_map {
                            EventType::MapStateSucceeded
                        } else {
                            EventType::ParallelStateSucceeded
                        };
                        self.emit(
                            now,
                            event_type,
                            Some(Arc::clone(&state.name)),
                            None,
                            None,
                            None,
                        );
                        match check_size(&value, "state result") {
                            Ok(()) => {
                                let raw = self.take_input(run_id);
                                self.process_result(state, run_id, raw, value, now, rng)
                            }
                            Err(error) => Outcome::Fail(error),
                        }
                    }
                    Err(error) => {
                        let event_type = if is_map {
                            EventType::MapStateFailed
                        } else {
                            EventType::ParallelStateFailed
                        };
                        self.emit(
                            now,
                            event_type,
                            Some(Arc::clone(&state.name)),
                            None,
                            Some(error.clone()),
                            None,
                        );
                        Outcome::Fail(error)
                    }
                }
            }
        }
    }

    /// ResultSelector, ResultPath, OutputPath; `raw` is the state's raw input. On a
    /// ResultPath failure the raw input goes back into the run, for a catcher.
    fn process_result(
        &mut self,
        state: &State,
        run_id: usize,
        raw: Value,
        result: Value,
        now: SimTime,
        rng: &mut SimRng,
    ) -> Outcome {
        if let Some(fields) = &state.jsonata {
            let input = raw.clone();
            self.restore_input(run_id, raw);
            return self
                .finish_jsonata(state, fields, run_id, &input, result, state.next, now, rng);
        }
        let result = match &state.result_selector {
            None => result,
            Some(selector) => {
                let info = self.run_info(run_id);
                let build = || self.context_value(info, Some(state), None, None);
                let lookup = |name: &str| self.variable(run_id, name);
                let scope = Scope::new(&result, &build).with_variables(&lookup);
                match selector.evaluate(&scope, rng) {
                    Ok(value) => value,
                    Err(error) => {
                        self.restore_input(run_id, raw);
                        return Outcome::Fail(error);
                    }
                }
            }
        };
        // JSONPath `Assign` reads the result (after ResultSelector) as `$`.
        let assigned = match self.eval_assign(
            state.assign.as_ref(),
            run_id,
            state,
            &result,
            None,
            now,
            rng,
        ) {
            Ok(assigned) => assigned,
            Err(error) => {
                self.restore_input(run_id, raw);
                return Outcome::Fail(error);
            }
        };
        let combined = match apply_result_path(&state.result_path, raw, result) {
            Ok(combined) => combined,
            Err((error, raw)) => {
                self.restore_input(run_id, raw);
                return Outcome::Fail(error);
            }
        };
        match self.output_path(state, run_id, combined) {
            Ok(output) => match self.apply_assign(run_id, assigned) {
                Ok(()) => Outcome::Goto(state.next, output),
                Err(error) => Outcome::Finish(Err(error)),
            },
            Err(error) => Outcome::Finish(Err(error)),
        }
    }

    fn take_input(&mut self, run_id: usize) -> Value {
        self.runs
            .get_mut(run_id)
            .and_then(Option::as_mut)
            .map(|run| std::mem::take(&mut run.input))
            .unwrap_or(Value::Null)
    }

    fn restore_input(&mut self, run_id: usize, raw: Value) {
        if let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) {
            run.input = raw;
        }
    }

    fn run_info(&self, run_id: usize) -> Option<RunInfo> {
        self.runs
            .get(run_id)
            .and_then(Option::as_ref)
            .map(|run| RunInfo {
                entered_at: run.entered_at,
                retry_count: run.retry_count,
            })
    }

    fn output_path(
        &self,
        state: &State,
        run_id: usize,
        value: Value,
    ) -> Result<Value, StatesError> {
        match &state.output_path {
            IoPath::Whole => Ok(value),
            path => {
                let info = self.run_info(run_id);
                let build = || self.context_value(info, Some(state), None, None);
                select_io(path, &value, &build, "OutputPath").map(Cow::into_owned)
            }
        }
    }

    fn execute_body(
        &mut self,
        machine: &StateMachine,
        state: &State,
        run_id: usize,
        now: SimTime,
        rng: &mut SimRng,
        handler: &mut dyn TaskHandler,
    ) -> Outcome {
        let info = self.run_info(run_id);
        let (input, generation) = match self.runs.get_mut(run_id).and_then(Option::as_mut) {
            Some(run) => (std::mem::take(&mut run.input), run.generation),
            None => return Outcome::Blocked,
        };
        if let Some(fields) = &state.jsonata {
            return self.execute_jsonata(
                machine, state, fields, run_id, generation, input, now, rng, handler,
            );
        }
        match &state.kind {
            StateKind::Pass { result } => {
                let result = {
                    let build = || self.context_value(info, Some(state), None, None);
                    let effective = match select_io(&state.input_path, &input, &build, "InputPath")
                    {
                        Ok(effective) => effective,
                        Err(error) => return Outcome::Finish(Err(error)),
                    };
                    match (result, &state.parameters) {
                        (Some(result), _) => result.clone(),
                        (None, Some(parameters)) => {
                            let lookup = |name: &str| self.variable(run_id, name);
                            let scope = Scope::new(&effective, &build).with_variables(&lookup);
                            match parameters.evaluate(&scope, rng) {
                                Ok(value) => value,
                                Err(error) => return Outcome::Finish(Err(error)),
                            }
                        }
                        (None, None) => effective.into_owned(),
                    }
                };
                self.process_result(state, run_id, input, result, now, rng)
            }
            StateKind::Choice { choices, default } => {
                let effective = match self.input_path_owned(state, info, input) {
                    Ok(effective) => effective,
                    Err(error) => return Outcome::Finish(Err(error)),
                };
                let lookup = |name: &str| self.variable(run_id, name);
                let context = || self.context_value(info, Some(state), None, None);
                let chosen = match choose(choices, &effective, &context, &lookup) {
                    Ok(Some(branch)) => Some((branch.next, branch.assign.as_ref())),
                    Ok(None) => default.map(|next| (next, state.assign.as_ref())),
                    Err(error) => return Outcome::Finish(Err(error)),
                };
                let Some((next, assign)) = chosen else {
                    return Outcome::Finish(Err(StatesError::new(
                        "States.NoChoiceMatched",
                        "No Matches!",
                    )));
                };
                let assigned =
                    match self.eval_assign(assign, run_id, state, &effective, None, now, rng) {
                        Ok(assigned) => assigned,
                        Err(error) => return Outcome::Finish(Err(error)),
                    };
                match self.output_path(state, run_id, effective) {
                    Ok(output) => match self.apply_assign(run_id, assigned) {
                        Ok(()) => Outcome::Goto(Next::State(next), output),
                        Err(error) => Outcome::Finish(Err(error)),
                    },
                    Err(error) => Outcome::Finish(Err(error)),
                }
            }
            StateKind::Succeed => {
                let effective = match self.input_path_owned(state, info, input) {
                    Ok(effective) => effective,
                    Err(error) => return Outcome::Finish(Err(error)),
                };
                match self.output_path(state, run_id, effective) {
                    Ok(output) => Outcome::Finish(Ok(output)),
                    Err(error) => Outcome::Finish(Err(error)),
                }
            }
            StateKind::Fail { error, cause } => {
                let build = || self.context_value(info, Some(state), None, None);
                let lookup = |name: &str| self.variable(run_id, name);
                let scope = Scope::new(&input, &build).with_variables(&lookup);
                let mut resolve = |text: &Option<Text>| -> Result<String, StatesError> {
                    match text {
                        None => Ok(String::new()),
                        Some(Text::Fixed(text)) => Ok(text.clone()),
                        Some(Text::Path(path)) => match scope.select(path) {
                            Some(Value::String(text)) => Ok(text),
                            _ => Err(StatesError::runtime(format!(
                                "The path '{}' did not resolve to a string",
                                path.text()
                            ))),
                        },
                        Some(Text::Intrinsic(call)) => match call.evaluate(&scope, rng)? {
                            Value::String(text) => Ok(text),
                            other => Ok(other.to_string()),
                        },
                    }
                };
                let error = resolve(error);
                let cause = resolve(cause);
                let failure = match (error, cause) {
                    (Ok(error), Ok(cause)) => StatesError::new(error, cause),
                    (Err(failure), _) | (_, Err(failure)) => failure,
                };
                Outcome::Finish(Err(failure))
            }
            StateKind::Wait { wait } => {
                let effective = match self.input_path_owned(state, info, input) {
                    Ok(effective) => effective,
                    Err(error) => return Outcome::Finish(Err(error)),
                };
                let until = match wait {
                    WaitFor::Seconds(seconds) => {
                        Ok(now.saturating_add(SimDuration::from_secs(*seconds)))
                    }
                    WaitFor::Timestamp(epoch) => Ok(self.sim_time_of(*epoch, now)),
                    WaitFor::SecondsPath(path) => {
                        match path.get(&effective).and_then(Value::as_u64) {
                            Some(seconds) => {
                                Ok(now.saturating_add(SimDuration::from_secs(seconds)))
                            }
                            None => Err(StatesError::runtime(format!(
                                "The SecondsPath '{}' did not resolve to a non-negative integer",
                                path.text()
                            ))),
                        }
                    }
                    WaitFor::TimestampPath(path) => match path
                        .get(&effective)
                        .and_then(Value::as_str)
                        .and_then(parse_rfc3339)
                    {
                        Some(epoch) => Ok(self.sim_time_of(epoch, now)),
                        None => Err(StatesError::runtime(format!(
                            "The TimestampPath '{}' did not resolve to an RFC 3339 timestamp",
                            path.text()
                        ))),
                    },
                };
                let until = match until {
                    Ok(until) => until,
                    Err(error) => return Outcome::Finish(Err(error)),
                };
                let assigned = match self.eval_assign(
                    state.assign.as_ref(),
                    run_id,
                    state,
                    &effective,
                    None,
                    now,
                    rng,
                ) {
                    Ok(assigned) => assigned,
                    Err(error) => return Outcome::Finish(Err(error)),
                };
                let output = match self.output_path(state, run_id, effective) {
                    Ok(output) => output,
                    Err(error) => return Outcome::Finish(Err(error)),
                };
                if let Err(error) = self.apply_assign(run_id, assigned) {
                    return Outcome::Finish(Err(error));
                }
                self.start_wait(state, run_id, generation, until, output, now)
            }
            StateKind::Task {
                resource,
                timeout,
                heartbeat,
            } => {
                let token = self.next_token;
                let prepared = {
                    let build = || self.context_value(info, Some(state), Some(token), None);
                    self.prepare_task(run_id, state, &input, &build, timeout, heartbeat, rng)
                };
                self.restore_input(run_id, input);
                let (task_input, timeout_seconds, heartbeat_seconds) = match prepared {
                    Ok(prepared) => prepared,
                    Err(outcome) => return outcome,
                };
                self.dispatch_task(
                    machine,
                    state,
                    resource,
                    run_id,
                    (token, generation),
                    (task_input, timeout_seconds, heartbeat_seconds),
                    now,
                    rng,
                    handler,
                )
            }
            StateKind::Parallel { branches } => {
                let branch_input = {
                    let build = || self.context_value(info, Some(state), None, None);
                    select_io(&state.input_path, &input, &build, "InputPath")
                        .map_err(|e| Outcome::Finish(Err(e)))
                        .and_then(|effective| match &state.parameters {
                            None => Ok(effective.into_owned()),
                            Some(parameters) => {
                                let lookup = |name: &str| self.variable(run_id, name);
                                let scope = Scope::new(&effective, &build).with_variables(&lookup);
                                parameters.evaluate(&scope, rng).map_err(Outcome::Fail)
                            }
                        })
                };
                self.restore_input(run_id, input);
                let branch_input = match branch_input {
                    Ok(value) => value,
                    Err(outcome) => return outcome,
                };
                self.start_parallel(
                    machine,
                    state,
                    branches,
                    run_id,
                    generation,
                    branch_input,
                    now,
                )
            }
            StateKind::Map {
                items_path,
                item_selector,
                max_concurrency,
                max_concurrency_path,
                distributed,
                fields,
                ..
            } => {
                let prepared = {
                    let build = || self.context_value(info, Some(state), None, None);
                    prepare_map(
                        state,
                        &input,
                        &build,
                        (items_path, fields.reader.is_some()),
                        item_selector.is_some() || *distributed,
                        *max_concurrency,
                        max_concurrency_path.as_ref(),
                    )
                };
                self.restore_input(run_id, input);
                let (items, shared_input, concurrency) = match prepared {
                    Ok(prepared) => prepared,
                    Err(outcome) => return outcome,
                };
                let setup = if *distributed {
                    let data = Data::JsonPath {
                        input: &shared_input,
                        info,
                    };
                    match self.distributed_start(state, fields, run_id, data, now, rng, handler) {
                        Ok(setup) => setup,
                        Err(error) => return Outcome::Fail(error),
                    }
                } else {
                    DistributedStart::default()
                };
                self.start_map(
                    machine,
                    state,
                    run_id,
                    generation,
                    (items, Vec::new(), shared_input, concurrency),
                    (*distributed, setup),
                    now,
                    rng,
                )
            }
        }
    }

    /// A Wait state's pause until `until` (none when that has passed).
    fn start_wait(
        &mut self,
        state: &State,
        run_id: usize,
        generation: u64,
        until: SimTime,
        output: Value,
        now: SimTime,
    ) -> Outcome {
        if until <= now {
            return Outcome::Goto(state.next, output);
        }
        let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) else {
            return Outcome::Blocked;
        };
        run.phase = Phase::Waiting { until, output };
        self.add_timer(until, run_id, generation);
        Outcome::Blocked
    }

    #[allow(clippy::too_many_arguments)]
    fn start_parallel(
        &mut self,
        machine: &StateMachine,
        state: &State,
        branches: &[usize],
        run_id: usize,
        generation: u64,
        branch_input: Value,
        now: SimTime,
    ) -> Outcome {
        self.emit(
            now,
            EventType::ParallelStateStarted,
            Some(Arc::clone(&state.name)),
            None,
            None,
            None,
        );
        let join = self.new_join(Join {
            parent_run: run_id,
            parent_generation: generation,
            is_map: false,
            results: vec![Value::Null; branches.len()],
            remaining: branches.len(),
            next_item: 0,
            items: Vec::new(),
            shared_input: Value::Null,
            running: BTreeSet::new(),
            limit: usize::MAX,
            failures: 0,
            tolerated_count: None,
            tolerated_percentage: None,
            distributed: false,
            item_keys: Vec::new(),
            item_counts: Vec::new(),
            total_items: 0,
            pre_selected: false,
            map_run: None,
            map_run_arn: None,
        });
        if let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) {
            run.phase = Phase::AwaitChildren { join };
        }
        for (slot, &branch) in branches.iter().enumerate() {
            let start = machine.graphs.get(branch).map(|g| g.start).unwrap_or(0);
            let child = self.new_run(branch, start, branch_input.clone(), Some((join, slot)), now);
            if let Some(join) = self.joins.get_mut(join).and_then(Option::as_mut) {
                join.running.insert(child);
            }
            self.push_ready(child);
        }
        Outcome::Blocked
    }

    #[allow(clippy::too_many_arguments)]
    fn start_map(
        &mut self,
        machine: &StateMachine,
        state: &State,
        run_id: usize,
        generation: u64,
        (items, item_keys, shared_input, concurrency): (Vec<Value>, Vec<String>, Value, u64),
        (distributed, setup): (bool, DistributedStart),
        now: SimTime,
        rng: &mut SimRng,
    ) -> Outcome {
        let cap = if distributed {
            DISTRIBUTED_MAP_CONCURRENCY
        } else {
            INLINE_MAP_CONCURRENCY
        };
        let limit = if concurrency == 0 {
            cap
        } else {
            usize::try_from(concurrency).unwrap_or(cap).min(cap)
        };
        let items = setup.items.unwrap_or(items);
        let total_items = items.len();
        // With an ItemBatcher, ItemSelector shapes each item before it joins a batch
        // (AWS's ItemBatcher page: the selected items are what each batch's `Items` holds).
        let (items, item_counts, pre_selected) = match setup.batcher {
            None => (items, Vec::new(), false),
            Some((max_items, max_bytes, batch_input)) => {
                let mut selected = Vec::with_capacity(items.len());
                for (index, item) in items.into_iter().enumerate() {
                    let key = item_keys.get(index).cloned();
                    match self.select_item(
                        state,
                        run_id,
                        &shared_input,
                        (index, item, key),
                        now,
                        rng,
                    ) {
                        Ok(value) => selected.push(value),
                        Err(error) => return Outcome::Fail(error),
                    }
                }
                match batch(selected, max_items, max_bytes, batch_input.as_ref()) {
                    Ok((batches, counts)) => (batches, counts, true),
                    Err(message) => {
                        return Outcome::Fail(StatesError::runtime(format!(
                            "ItemBatcher of Map state '{}': {message}",
                            state.name
                        )))
                    }
                }
            }
        };
        let count = items.len();
        self.emit(
            now,
            EventType::MapStateStarted,
            Some(Arc::clone(&state.name)),
            None,
            None,
            None,
        );
        let tolerated_count = if distributed && setup.tolerated_percentage.is_none() {
            Some(setup.tolerated_count.unwrap_or(0))
        } else {
            setup.tolerated_count
        };
        // A Distributed Map runs as a Map Run, named `<machine>/<Label or state name>:<uuid>`.
        let names = distributed.then(|| {
            let label = match &state.kind {
                StateKind::Map { fields, .. } => fields.label.clone(),
                _ => None,
            };
            let label = label.unwrap_or_else(|| state.name.to_string());
            MapRunNames::new(&self.context.state_machine_arn, &label, &uuid_v4(rng))
        });
        let map_run_arn = names.as_ref().map(|names| names.map_run_arn.clone());
        if let Some(arn) = &map_run_arn {
            let mut details = Map::new();
            details.insert("mapRunArn".into(), Value::String(arn.clone()));
            self.emit(
                now,
                EventType::MapRunStarted,
                Some(Arc::clone(&state.name)),
                Some(Value::Object(details)),
                None,
                None,
            );
        }
        let map_run = setup.writer.zip(names).map(|((export, config), names)| {
            let pending = ChildRecord {
                name: String::new(),
                input: Value::Null,
                status: ChildStatus::Pending,
                started: None,
                stopped: None,
            };
            Box::new(MapRun {
                names,
                export,
                config,
                records: vec![pending; count],
            })
        });
        let join = self.new_join(Join {
            parent_run: run_id,
            parent_generation: generation,
            is_map: true,
            results: vec![Value::Null; count],
            remaining: count,
            next_item: 0,
            items,
            shared_input,
            running: BTreeSet::new(),
            limit,
            failures: 0,
            tolerated_count,
            tolerated_percentage: setup.tolerated_percentage,
            distributed,
            item_keys,
            item_counts,
            total_items,
            pre_selected,
            map_run,
            map_run_arn,
        });
        if let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) {
            run.phase = Phase::AwaitChildren { join };
        }
        if count == 0 {
            self.complete_join(join, Ok(Value::Array(Vec::new())));
            return Outcome::Blocked;
        }
        self.launch_children(machine, join, now, rng);
        Outcome::Blocked
    }

    /// A Payload's value: a JSONPath template over the effective input, or a JSONata
    /// template over `$states`.
    #[allow(clippy::too_many_arguments)]
    fn eval_payload(
        &self,
        payload: &Payload,
        field: &str,
        run_id: usize,
        state: &State,
        data: Data<'_>,
        now: SimTime,
        rng: &mut SimRng,
    ) -> Result<Value, StatesError> {
        match (payload, data) {
            (Payload::JsonPath(template), Data::JsonPath { input, info }) => {
                let build = || self.context_value(info, Some(state), None, None);
                let lookup = |name: &str| self.variable(run_id, name);
                let scope = Scope::new(input, &build).with_variables(&lookup);
                template.evaluate(&scope, rng)
            }
            (Payload::Jsonata(template), Data::Jsonata { states }) => {
                self.eval_jsonata(template, field, run_id, states, now, rng)
            }
            _ => Err(StatesError::runtime(format!(
                "{field} is written in the other query language"
            ))),
        }
    }

    /// A Setting's number; `field` names the literal field.
    #[allow(clippy::too_many_arguments)]
    fn eval_setting(
        &self,
        setting: &Setting<u64>,
        field: &str,
        run_id: usize,
        data: Data<'_>,
        min: u64,
        now: SimTime,
        rng: &mut SimRng,
    ) -> Result<u64, StatesError> {
        match (setting, data) {
            (Setting::Fixed(value), _) => Ok(*value),
            (Setting::Path(path), Data::JsonPath { input, .. }) => path
                .get(input)
                .and_then(Value::as_u64)
                .filter(|n| *n >= min)
                .ok_or_else(|| {
                    StatesError::runtime(format!(
                        "{field}Path '{}' did not resolve to an integer of at least {min}",
                        path.text()
                    ))
                }),
            (Setting::Expression(template), Data::Jsonata { states }) => {
                self.jsonata_count(template, field, run_id, states, min, now, rng)
            }
            _ => Err(StatesError::runtime(format!(
                "{field} is written in the other query language"
            ))),
        }
    }

    /// Resolves a Distributed Map's reader (reading its items from the handler's
    /// buckets), batcher, writer and tolerances.
    #[allow(clippy::too_many_arguments)]
    fn distributed_start(
        &self,
        state: &State,
        fields: &Distributed,
        run_id: usize,
        data: Data<'_>,
        now: SimTime,
        rng: &mut SimRng,
        handler: &mut dyn TaskHandler,
    ) -> Result<DistributedStart, StatesError> {
        let mut start = DistributedStart::default();
        if let Some(setting) = &fields.tolerated_count {
            start.tolerated_count = Some(self.eval_setting(
                setting,
                "ToleratedFailureCount",
                run_id,
                data,
                0,
                now,
                rng,
            )?);
        }
        if let Some(setting) = &fields.tolerated_percentage {
            let percentage = match (setting, data) {
                (Setting::Fixed(p), _) => Some(*p),
                (Setting::Path(path), Data::JsonPath { input, .. }) => {
                    path.get(input).and_then(Value::as_f64)
                }
                (Setting::Expression(template), Data::Jsonata { states }) => self
                    .eval_jsonata(
                        template,
                        "ToleratedFailurePercentage",
                        run_id,
                        states,
                        now,
                        rng,
                    )?
                    .as_f64(),
                _ => None,
            };
            match percentage.filter(|p| (0.0..=100.0).contains(p)) {
                Some(p) => start.tolerated_percentage = Some(p),
                None => {
                    return Err(StatesError::runtime(
                        "ToleratedFailurePercentage did not resolve to a number from 0 to 100",
                    ))
                }
            }
        }
        if let Some(batcher) = &fields.batcher {
            let max_items = match &batcher.max_items {
                Some(s) => {
                    Some(self.eval_setting(s, "MaxItemsPerBatch", run_id, data, 1, now, rng)?)
                }
                None => None,
            };
            let max_bytes = match &batcher.max_bytes {
                Some(s) => {
                    let bytes =
                        self.eval_setting(s, "MaxInputBytesPerBatch", run_id, data, 1, now, rng)?;
                    if bytes > super::distributed::MAX_BATCH_BYTES {
                        return Err(StatesError::runtime(format!(
                            "MaxInputBytesPerBatch is {bytes}, more than the 262144 bytes (256 KiB) allowed"
                        )));
                    }
                    Some(bytes)
                }
                None => None,
            };
            let batch_input = match &batcher.batch_input {
                Some(payload) => {
                    Some(self.eval_payload(payload, "BatchInput", run_id, state, data, now, rng)?)
                }
                None => None,
            };
            start.batcher = Some((max_items, max_bytes, batch_input));
        }
        if let Some(writer) = &fields.writer {
            let export = match &writer.arguments {
                None => None,
                Some(payload) => {
                    let arguments =
                        self.eval_payload(payload, "ResultWriter", run_id, state, data, now, rng)?;
                    let bucket = s3_text(&arguments, "Bucket", "States.ResultWriterFailed")?;
                    let prefix = s3_prefix(&arguments, "States.ResultWriterFailed")?;
                    Some((bucket, prefix))
                }
            };
            start.writer = Some((export, writer.config.unwrap_or_default()));
        }
        if let Some(reader) = &fields.reader {
            let arguments = self.eval_payload(
                &reader.arguments,
                "ItemReader",
                run_id,
                state,
                data,
                now,
                rng,
            )?;
            let bucket = s3_text(&arguments, "Bucket", "States.ItemReaderFailed")?;
            let mut items = match handler.objects() {
                Some(store) => read_items(store, &reader.source, &bucket, &arguments)?,
                None => read_items(&NoBuckets, &reader.source, &bucket, &arguments)?,
            };
            if let Some(setting) = &reader.max_items {
                let max = self.eval_setting(setting, "MaxItems", run_id, data, 0, now, rng)?;
                if max > 0 {
                    items.truncate(usize::try_from(max).unwrap_or(usize::MAX));
                }
            }
            start.items = Some(items);
        }
        Ok(start)
    }

    /// Writes a Map Run's result files and answers what the Map state returns with a
    /// `ResultWriter`: `MapRunArn` and `ResultWriterDetails` (the manifest's place). With
    /// `WriterConfig` alone nothing is written: the formatted results are the output.
    fn write_results(
        &self,
        run: &MapRun,
        now: SimTime,
        handler: &mut dyn TaskHandler,
    ) -> Result<Value, StatesError> {
        let Some((bucket, prefix)) = &run.export else {
            return Ok(run.config.output(&run.names, &run.records));
        };
        let files = result_files(bucket, prefix, &run.names, &run.records, &run.config);
        let mut none = NoBuckets;
        let store: &mut dyn ObjectStore = match handler.objects() {
            Some(store) => store,
            None => &mut none,
        };
        let epoch = self.epoch_of(now);
        for (key, body) in files {
            store
                .put_object(bucket, &key, body, epoch)
                .map_err(|error| StatesError::new("States.ResultWriterFailed", error.cause()))?;
        }
        let mut details = Map::new();
        details.insert("Bucket".into(), Value::String(bucket.clone()));
        details.insert(
            "Key".into(),
            Value::String(result_key(prefix, &run.names.id, "manifest.json")),
        );
        let mut output = Map::new();
        output.insert(
            "MapRunArn".into(),
            Value::String(run.names.map_run_arn.clone()),
        );
        output.insert("ResultWriterDetails".into(), Value::Object(details));
        Ok(Value::Object(output))
    }

    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn dispatch_task(
        &mut self,
        machine: &StateMachine,
        state: &State,
        resource: &Arc<str>,
        run_id: usize,
        (token, generation): (TaskToken, u64),
        (task_input, timeout_seconds, heartbeat_seconds): (Value, Option<u64>, Option<u64>),
        now: SimTime,
        rng: &mut SimRng,
        handler: &mut dyn TaskHandler,
    ) -> Outcome {
        let info = self.run_info(run_id);
        let retry_count = info.map(|info| info.retry_count).unwrap_or(0);
        self.next_token += 1;
        let payload = self.payload(&task_input);
        let scheduled = self.emit(
            now,
            EventType::TaskScheduled,
            Some(Arc::clone(&state.name)),
            payload,
            None,
            None,
        );
        if let Some(event) = self.history.get_mut(scheduled) {
            if event.event_type == EventType::TaskScheduled {
                event.resource = Some(Arc::clone(resource));
            }
        }
        self.emit(
            now,
            EventType::TaskStarted,
            Some(Arc::clone(&state.name)),
            None,
            None,
            None,
        );
        let request = TaskRequest {
            token,
            state_name: &state.name,
            resource,
            input: &task_input,
            retry_count,
            now,
        };
        match handler.start_task(&request) {
            TaskStart::Completed(result) => {
                let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) else {
                    return Outcome::Blocked;
                };
                run.phase = Phase::TaskDone(result);
                self.execute(machine, state, run_id, now, rng, handler)
            }
            TaskStart::Pending => {
                let timeout_at =
                    timeout_seconds.map(|s| now.saturating_add(SimDuration::from_secs(s)));
                let heartbeat_at =
                    heartbeat_seconds.map(|s| now.saturating_add(SimDuration::from_secs(s)));
                let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) else {
                    return Outcome::Blocked;
                };
                run.phase = Phase::AwaitTask {
                    token,
                    timeout_at,
                    heartbeat_at,
                    heartbeat_seconds,
                };
                self.pending_tasks.insert(token, (run_id, generation));
                for at in [timeout_at, heartbeat_at].into_iter().flatten() {
                    self.add_timer(at, run_id, generation);
                }
                Outcome::Blocked
            }
        }
    }

    /// InputPath on an owned input (no copy for `$`).
    fn input_path_owned(
        &self,
        state: &State,
        info: Option<RunInfo>,
        input: Value,
    ) -> Result<Value, StatesError> {
        match &state.input_path {
            IoPath::Whole => Ok(input),
            path => {
                let build = || self.context_value(info, Some(state), None, None);
                select_io(path, &input, &build, "InputPath").map(Cow::into_owned)
            }
        }
    }

    #[allow(clippy::type_complexity)]
    #[allow(clippy::too_many_arguments)]
    fn prepare_task(
        &self,
        run_id: usize,
        state: &State,
        input: &Value,
        build: &dyn Fn() -> Value,
        timeout: &Option<Seconds>,
        heartbeat: &Option<Seconds>,
        rng: &mut SimRng,
    ) -> Result<(Value, Option<u64>, Option<u64>), Outcome> {
        let effective = select_io(&state.input_path, input, build, "InputPath")
            .map_err(|e| Outcome::Finish(Err(e)))?;
        let task_input = match &state.parameters {
            None => effective.into_owned(),
            Some(parameters) => {
                let lookup = |name: &str| self.variable(run_id, name);
                let scope = Scope::new(&effective, build).with_variables(&lookup);
                parameters.evaluate(&scope, rng).map_err(Outcome::Fail)?
            }
        };
        check_size(&task_input, "task input").map_err(Outcome::Fail)?;
        let seconds = |value: &Option<Seconds>| -> Result<Option<u64>, Outcome> {
            match value {
                None => Ok(None),
                Some(Seconds::Fixed(seconds)) => Ok(Some(*seconds)),
                Some(Seconds::Path(path)) => {
                    match path.get(input).and_then(Value::as_u64).filter(|s| *s > 0) {
                        Some(seconds) => Ok(Some(seconds)),
                        None => Err(Outcome::Finish(Err(StatesError::runtime(format!(
                            "The path '{}' did not resolve to a positive integer",
                            path.text()
                        ))))),
                    }
                }
            }
        };
        Ok((task_input, seconds(timeout)?, seconds(heartbeat)?))
    }

    /// The simulated time of a wall-clock instant; instants in the past give `now`.
    fn sim_time_of(&self, epoch_micros: i64, now: SimTime) -> SimTime {
        let offset = epoch_micros.saturating_sub(self.context.start_epoch_micros);
        let at = if offset <= 0 {
            self.context.start_time
        } else {
            self.context
                .start_time
                .saturating_add(SimDuration(offset.unsigned_abs()))
        };
        at.max(now)
    }
}

#[allow(clippy::type_complexity)]
/// The items an `ItemReader` reads from `bucket`.
fn read_items(
    store: &dyn ObjectStore,
    source: &ReaderSource,
    bucket: &str,
    arguments: &Value,
) -> Result<Vec<Value>, StatesError> {
    let failed = |cause: String| StatesError::new("States.ItemReaderFailed", cause);
    match source {
        ReaderSource::GetObject(input) => {
            let key = s3_text(arguments, "Key", "States.ItemReaderFailed")?;
            let body = store
                .get_object(bucket, &key)
                .map_err(|error| failed(error.cause()))?;
            parse_items(&body, input)
                .map_err(|message| failed(format!("Reading s3://{bucket}/{key} failed: {message}")))
        }
        ReaderSource::ListObjects => {
            let prefix = s3_prefix(arguments, "States.ItemReaderFailed")?;
            let objects = store
                .list_objects(bucket, &prefix)
                .map_err(|error| failed(error.cause()))?;
            Ok(list_items(&objects))
        }
    }
}

/// The optional `Prefix` of a reader's or writer's evaluated arguments ("" without one).
fn s3_prefix(arguments: &Value, error: &str) -> Result<String, StatesError> {
    match arguments.get("Prefix") {
        None => Ok(String::new()),
        Some(_) => s3_text(arguments, "Prefix", error),
    }
}

/// The text field `key` of a reader's or writer's evaluated arguments.
fn s3_text(arguments: &Value, key: &str, error: &str) -> Result<String, StatesError> {
    match arguments.get(key) {
        Some(Value::String(text)) => Ok(text.clone()),
        other => Err(StatesError::new(
            error,
            format!(
                "{key} must be a string, got {}",
                other.map_or_else(|| "nothing".to_string(), |v| truncate(&v.to_string(), 256))
            ),
        )),
    }
}

fn prepare_map(
    state: &State,
    input: &Value,
    build: &dyn Fn() -> Value,
    (items_path, read): (&IoPath, bool),
    keep_input: bool,
    max_concurrency: u64,
    max_concurrency_path: Option<&super::path::Path>,
) -> Result<(Vec<Value>, Value, u64), Outcome> {
    let effective = select_io(&state.input_path, input, build, "InputPath")
        .map_err(|e| Outcome::Finish(Err(e)))?;
    // An ItemReader's items replace the input's.
    let items = match select_io(items_path, &effective, build, "ItemsPath") {
        _ if read => Vec::new(),
        Ok(Cow::Owned(Value::Array(items))) => items,
        Ok(Cow::Borrowed(Value::Array(items))) => items.clone(),
        Ok(other) => {
            return Err(Outcome::Fail(StatesError::runtime(format!(
                "Map's ItemsPath must select an array, got {}",
                truncate(&other.to_string(), 256)
            ))))
        }
        Err(error) => return Err(Outcome::Finish(Err(error))),
    };
    let concurrency = match max_concurrency_path {
        Some(path) => path
            .get(&effective)
            .and_then(Value::as_u64)
            .ok_or_else(|| {
                Outcome::Finish(Err(StatesError::runtime(format!(
                    "MaxConcurrencyPath '{}' did not resolve to a non-negative integer",
                    path.text()
                ))))
            })?,
        None => max_concurrency,
    };
    let shared = if keep_input {
        effective.into_owned()
    } else {
        Value::Null
    };
    Ok((items, shared, concurrency))
}

fn choose<'c>(
    choices: &'c [ChoiceBranch],
    input: &Value,
    context: &dyn Fn() -> Value,
    variables: &dyn Fn(&str) -> Option<Value>,
) -> Result<Option<&'c ChoiceBranch>, StatesError> {
    for branch in choices {
        if branch.rule.evaluate_with(input, context, variables)? {
            return Ok(Some(branch));
        }
    }
    Ok(None)
}

fn apply_result_path(
    result_path: &ResultPath,
    raw: Value,
    result: Value,
) -> Result<Value, (StatesError, Value)> {
    match result_path {
        ResultPath::Replace => Ok(result),
        ResultPath::Discard => Ok(raw),
        ResultPath::At(path) => path.set(raw, result).map_err(|raw| {
            let error = StatesError::new(
                "States.ResultPathMatchFailure",
                format!(
                    "Unable to apply ResultPath '{}' to input '{}'",
                    path.text(),
                    truncate(&raw.to_string(), 1024)
                ),
            );
            (error, raw)
        }),
    }
}

/// Variables and JSONata.
impl Execution {
    /// The value of variable `name` as run `run_id` sees it: its own scope, then its
    /// enclosing scopes, stopping at a Distributed Map (whose children are executions of
    /// their own).
    fn variable(&self, run_id: usize, name: &str) -> Option<Value> {
        let mut cursor = run_id;
        loop {
            let run = self.runs.get(cursor)?.as_ref()?;
            if let Some(value) = run.variables.get(name) {
                return Some(value.clone());
            }
            let (join_id, _) = run.parent?;
            let join = self.joins.get(join_id)?.as_ref()?;
            if join.distributed {
                return None;
            }
            cursor = join.parent_run;
        }
    }

    /// `$states`: `input`, `context`, and `result` / `errorOutput` where they exist.
    fn states_value(
        &self,
        run_id: usize,
        state: &State,
        input: &Value,
        extra: StatesExtra,
    ) -> Value {
        let info = self.run_info(run_id);
        let item = extra.item.as_ref().map(|(index, value)| (*index, value));
        let mut states = Map::new();
        states.insert("input".into(), input.clone());
        let mut context = self.context_value(info, Some(state), extra.task_token, item);
        if let (Some(key), Some(item)) = (
            extra.item_key,
            context
                .pointer_mut("/Map/Item")
                .and_then(Value::as_object_mut),
        ) {
            item.insert("Key".into(), Value::String(key));
        }
        states.insert("context".into(), context);
        if let Some(result) = extra.result {
            states.insert("result".into(), result);
        }
        if let Some(error_output) = extra.error_output {
            states.insert("errorOutput".into(), error_output);
        }
        Value::Object(states)
    }

    /// Evaluates a JSONata field of run `run_id` against `$states`.
    fn eval_jsonata(
        &self,
        template: &JsonataTemplate,
        field: &str,
        run_id: usize,
        states: &Value,
        now: SimTime,
        rng: &mut SimRng,
    ) -> Result<Value, StatesError> {
        let lookup = |name: &str| {
            if name == "states" {
                Some(states.clone())
            } else {
                self.variable(run_id, name)
            }
        };
        let mut env = Environment {
            variables: &lookup,
            rng,
            now_epoch_micros: self.epoch_of(now),
        };
        template.evaluate(field, &mut env)
    }

    /// Evaluates `Assign` from the state-entry snapshot; apply the result with
    /// [`Execution::apply_assign`] once the state's output is known too.
    #[allow(clippy::too_many_arguments)]
    fn eval_assign(
        &self,
        assign: Option<&Assign>,
        run_id: usize,
        state: &State,
        jsonpath_input: &Value,
        states: Option<&Value>,
        now: SimTime,
        rng: &mut SimRng,
    ) -> Result<Option<Map<String, Value>>, StatesError> {
        let Some(assign) = assign else {
            return Ok(None);
        };
        let value = match assign {
            Assign::Jsonata(template) => {
                let built;
                let states = match states {
                    Some(states) => states,
                    None => {
                        built = self.states_value(
                            run_id,
                            state,
                            jsonpath_input,
                            StatesExtra::default(),
                        );
                        &built
                    }
                };
                self.eval_jsonata(template, "Assign", run_id, states, now, rng)?
            }
            Assign::JsonPath(template) => {
                let info = self.run_info(run_id);
                let build = || self.context_value(info, Some(state), None, None);
                let lookup = |name: &str| self.variable(run_id, name);
                let scope = Scope::new(jsonpath_input, &build).with_variables(&lookup);
                template.evaluate(&scope, rng)?
            }
        };
        let Value::Object(values) = value else {
            return Err(StatesError::runtime(
                "Assign must evaluate to a JSON object",
            ));
        };
        if json_size_exceeds(&Value::Object(values.clone()), MAX_VARIABLE_BYTES) {
            // The documented limit is 256 KiB per Assign; the error name is not documented,
            // so it fails like the other payload limits.
            return Err(StatesError::new(
                "States.DataLimitExceeded",
                format!(
                    "The Assign of state '{}' is larger than {MAX_VARIABLE_BYTES} bytes.",
                    state.name
                ),
            ));
        }
        Ok(Some(values))
    }

    /// Stores assigned variables in the run's scope.
    fn apply_assign(
        &mut self,
        run_id: usize,
        values: Option<Map<String, Value>>,
    ) -> Result<(), StatesError> {
        let Some(values) = values else {
            return Ok(());
        };
        let Some(run) = self.runs.get_mut(run_id).and_then(Option::as_mut) else {
            return Ok(());
        };
        for (name, value) in values {
            run.variables.insert(name, value);
        }
        let total = Value::Object(
            run.variables
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
        if json_size_exceeds(&total, MAX_EXECUTION_VARIABLE_BYTES) {
            return Err(StatesError::new(
                "States.DataLimitExceeded",
                format!("The variables of the execution are larger than {MAX_EXECUTION_VARIABLE_BYTES} bytes."),
            ));
        }
        Ok(())
    }

    /// A JSONata field that must be a whole number of seconds (or items) at least `min`.
    #[allow(clippy::too_many_arguments)]
    fn jsonata_count(
        &self,
        template: &JsonataTemplate,
        field: &str,
        run_id: usize,
        states: &Value,
        min: u64,
        now: SimTime,
        rng: &mut SimRng,
    ) -> Result<u64, StatesError> {
        let value = self.eval_jsonata(template, field, run_id, states, now, rng)?;
        value
            .as_f64()
            .filter(|n| n.fract() == 0.0 && *n >= min as f64 && *n <= 99_999_999.0)
            .map(|n| n as u64)
            .ok_or_else(|| {
                StatesError::new(
                    "States.QueryEvaluationError",
                    format!(
                        "The field '{field}' must be an integer from {min} to 99999999, got {}",
                        truncate(&value.to_string(), 256)
                    ),
                )
            })
    }

    /// The end of a JSONata state that produced `result`: `Output` (default: the result)
    /// and `Assign`, both from the entry snapshot.
    #[allow(clippy::too_many_arguments)]
    fn finish_jsonata(
        &mut self,
        state: &State,
        fields: &JsonataFields,
        run_id: usize,
        input: &Value,
        result: Value,
        next: Next,
        now: SimTime,
        rng: &mut SimRng,
    ) -> Outcome {
        let states = self.states_value(
            run_id,
            state,
            input,
            StatesExtra {
                result: Some(result.clone()),
                ..StatesExtra::default()
            },
        );
        let output = match &fields.output {
            Some(output) => match self.eval_jsonata(output, "Output", run_id, &states, now, rng) {
                Ok(output) => output,
                Err(error) => return Outcome::Fail(error),
            },
            None => result,
        };
        let assigned = match self.eval_assign(
            state.assign.as_ref(),
            run_id,
            state,
            input,
            Some(&states),
            now,
            rng,
        ) {
            Ok(assigned) => assigned,
            Err(error) => return Outcome::Fail(error),
        };
        if let Err(error) = self.apply_assign(run_id, assigned) {
            return Outcome::Finish(Err(error));
        }
        match next {
            Next::End | Next::State(_) => Outcome::Goto(next, output),
            Next::None => Outcome::Finish(Ok(output)),
        }
    }

    /// One state in `QueryLanguage: JSONata`: `$states.input` is the raw state input,
    /// `Arguments` builds what a Task, Parallel or Map receives, `Output` and `Assign`
    /// end the state.
    #[allow(clippy::too_many_arguments)]
    fn execute_jsonata(
        &mut self,
        machine: &StateMachine,
        state: &State,
        fields: &JsonataFields,
        run_id: usize,
        generation: u64,
        input: Value,
        now: SimTime,
        rng: &mut SimRng,
        handler: &mut dyn TaskHandler,
    ) -> Outcome {
        let task_token = matches!(state.kind, StateKind::Task { .. }).then_some(self.next_token);
        let states = self.states_value(
            run_id,
            state,
            &input,
            StatesExtra {
                task_token,
                ..StatesExtra::default()
            },
        );
        // Blocking states keep their input in the run (for `$states.input` in `Output`
        // and for a catcher); the others consume it.
        match &state.kind {
            StateKind::Pass { .. } => {
                self.restore_input(run_id, input.clone());
                let outcome = self.finish_jsonata(
                    state,
                    fields,
                    run_id,
                    &input,
                    input.clone(),
                    state.next,
                    now,
                    rng,
                );
                if !matches!(outcome, Outcome::Fail(_)) {
                    self.take_input(run_id);
                }
                outcome
            }
            StateKind::Succeed => {
                match self.finish_jsonata(
                    state,
                    fields,
                    run_id,
                    &input,
                    input.clone(),
                    Next::None,
                    now,
                    rng,
                ) {
                    Outcome::Fail(error) => Outcome::Finish(Err(error)),
                    other => other,
                }
            }
            StateKind::Choice { default, .. } => {
                let mut chosen = None;
                for choice in &fields.choices {
                    match self.eval_jsonata(&choice.condition, "Condition", run_id, &states, now, rng) {
                        Ok(Value::Bool(true)) => {
                            chosen = Some((choice.next, choice.output.as_ref(), choice.assign.as_ref()));
                            break;
                        }
                        Ok(Value::Bool(false)) => {}
                        Ok(other) => {
                            return Outcome::Finish(Err(StatesError::new(
                                "States.QueryEvaluationError",
                                format!(
                                    "The Condition of a choice rule of state '{}' returned {}, not a boolean.",
                                    state.name,
                                    truncate(&other.to_string(), 256)
                                ),
                            )))
                        }
                        Err(error) => return Outcome::Finish(Err(error)),
                    }
                }
                let chosen = chosen.or_else(|| {
                    default.map(|next| (next, fields.output.as_ref(), state.assign.as_ref()))
                });
                let Some((next, output, assign)) = chosen else {
                    return Outcome::Finish(Err(StatesError::new(
                        "States.NoChoiceMatched",
                        "No Matches!",
                    )));
                };
                let output = match output {
                    Some(output) => {
                        match self.eval_jsonata(output, "Output", run_id, &states, now, rng) {
                            Ok(output) => output,
                            Err(error) => return Outcome::Finish(Err(error)),
                        }
                    }
                    None => input.clone(),
                };
                let applied = self
                    .eval_assign(assign, run_id, state, &input, Some(&states), now, rng)
                    .and_then(|assigned| self.apply_assign(run_id, assigned));
                match applied {
                    Ok(()) => Outcome::Goto(Next::State(next), output),
                    Err(error) => Outcome::Finish(Err(error)),
                }
            }
            StateKind::Wait { wait } => {
                let until = match (&fields.wait_seconds, &fields.wait_timestamp) {
                    (Some(seconds), _) => self
                        .jsonata_count(seconds, "Seconds", run_id, &states, 0, now, rng)
                        .map(|seconds| now.saturating_add(SimDuration::from_secs(seconds))),
                    (None, Some(timestamp)) => self
                        .eval_jsonata(timestamp, "Timestamp", run_id, &states, now, rng)
                        .and_then(|value| {
                            value.as_str().and_then(parse_rfc3339).ok_or_else(|| {
                                StatesError::new(
                                    "States.QueryEvaluationError",
                                    format!(
                                        "The Timestamp of state '{}' is not an RFC 3339 timestamp: {}",
                                        state.name,
                                        truncate(&value.to_string(), 256)
                                    ),
                                )
                            })
                        })
                        .map(|epoch| self.sim_time_of(epoch, now)),
                    (None, None) => Ok(match wait {
                        WaitFor::Timestamp(epoch) => self.sim_time_of(*epoch, now),
                        WaitFor::Seconds(seconds) => now.saturating_add(SimDuration::from_secs(*seconds)),
                        _ => now,
                    }),
                };
                let until = match until {
                    Ok(until) => until,
                    Err(error) => return Outcome::Finish(Err(error)),
                };
                let output = match self.finish_jsonata(
                    state,
                    fields,
                    run_id,
                    &input,
                    input.clone(),
                    state.next,
                    now,
                    rng,
                ) {
                    Outcome::Goto(_, output) => output,
                    Outcome::Fail(error) => return Outcome::Finish(Err(error)),
                    other => return other,
                };
                self.start_wait(state, run_id, generation, until, output, now)
            }
            StateKind::Fail { error, cause } => {
                let mut text = |template: &Option<JsonataTemplate>,
                                fixed: &Option<Text>,
                                field: &str| match (template, fixed)
                {
                    (Some(template), _) => {
                        match self.eval_jsonata(template, field, run_id, &states, now, rng)? {
                            Value::String(text) => Ok(text),
                            other => Ok(other.to_string()),
                        }
                    }
                    (None, Some(Text::Fixed(text))) => Ok(text.clone()),
                    _ => Ok(String::new()),
                };
                let error = text(&fields.error, error, "Error");
                let cause = text(&fields.cause, cause, "Cause");
                Outcome::Finish(Err(match (error, cause) {
                    (Ok(error), Ok(cause)) => StatesError::new(error, cause),
                    (Err(failure), _) | (_, Err(failure)) => failure,
                }))
            }
            StateKind::Task {
                resource,
                timeout,
                heartbeat,
            } => {
                self.restore_input(run_id, input.clone());
                let arguments = match &fields.arguments {
                    Some(arguments) => {
                        self.eval_jsonata(arguments, "Arguments", run_id, &states, now, rng)
                    }
                    None => Ok(input),
                };
                let seconds =
                    |this: &mut Self,
                     template: &Option<JsonataTemplate>,
                     fixed: &Option<Seconds>,
                     field: &str,
                     rng: &mut SimRng| match (template, fixed) {
                        (Some(template), _) => this
                            .jsonata_count(template, field, run_id, &states, 1, now, rng)
                            .map(Some),
                        (None, Some(Seconds::Fixed(seconds))) => Ok(Some(*seconds)),
                        _ => Ok(None),
                    };
                let prepared = arguments.and_then(|task_input| {
                    check_size(&task_input, "task input")?;
                    let timeout = seconds(
                        self,
                        &fields.timeout_seconds,
                        timeout,
                        "TimeoutSeconds",
                        rng,
                    )?;
                    let heartbeat = seconds(
                        self,
                        &fields.heartbeat_seconds,
                        heartbeat,
                        "HeartbeatSeconds",
                        rng,
                    )?;
                    if let (Some(timeout), Some(heartbeat)) = (timeout, heartbeat) {
                        if heartbeat >= timeout {
                            return Err(StatesError::new(
                                "States.QueryEvaluationError",
                                "HeartbeatSeconds must be smaller than TimeoutSeconds",
                            ));
                        }
                    }
                    Ok((task_input, timeout, heartbeat))
                });
                let prepared = match prepared {
                    Ok(prepared) => prepared,
                    Err(error) => return Outcome::Fail(error),
                };
                let token = self.next_token;
                self.dispatch_task(
                    machine,
                    state,
                    resource,
                    run_id,
                    (token, generation),
                    prepared,
                    now,
                    rng,
                    handler,
                )
            }
            StateKind::Parallel { branches } => {
                self.restore_input(run_id, input.clone());
                let branch_input = match &fields.arguments {
                    Some(arguments) => {
                        match self.eval_jsonata(arguments, "Arguments", run_id, &states, now, rng) {
                            Ok(value) => value,
                            Err(error) => return Outcome::Fail(error),
                        }
                    }
                    None => input,
                };
                self.start_parallel(
                    machine,
                    state,
                    branches,
                    run_id,
                    generation,
                    branch_input,
                    now,
                )
            }
            StateKind::Map {
                max_concurrency,
                distributed,
                fields: map_fields,
                ..
            } => {
                self.restore_input(run_id, input.clone());
                let items = match &fields.items {
                    // An ItemReader's items replace the input's.
                    _ if map_fields.reader.is_some() => Ok(Value::Array(Vec::new())),
                    Some(items) => self.eval_jsonata(items, "Items", run_id, &states, now, rng),
                    None => Ok(input.clone()),
                };
                let (items, item_keys) = match items {
                    Ok(Value::Array(items)) => (items, Vec::new()),
                    // An object: each value is an item, its key in
                    // `$states.context.Map.Item.Key`.
                    Ok(Value::Object(map)) => {
                        let keys = map.keys().cloned().collect();
                        (map.into_iter().map(|(_, value)| value).collect(), keys)
                    }
                    Ok(other) => {
                        return Outcome::Fail(StatesError::new(
                            "States.QueryEvaluationError",
                            format!(
                                "The Items of Map state '{}' must be an array or an object, got {}",
                                state.name,
                                truncate(&other.to_string(), 256)
                            ),
                        ))
                    }
                    Err(error) => return Outcome::Fail(error),
                };
                let concurrency = match &fields.max_concurrency {
                    Some(template) => match self.jsonata_count(
                        template,
                        "MaxConcurrency",
                        run_id,
                        &states,
                        0,
                        now,
                        rng,
                    ) {
                        Ok(concurrency) => concurrency,
                        Err(error) => return Outcome::Fail(error),
                    },
                    None => *max_concurrency,
                };
                let setup = if *distributed {
                    let data = Data::Jsonata { states: &states };
                    match self.distributed_start(state, map_fields, run_id, data, now, rng, handler)
                    {
                        Ok(setup) => setup,
                        Err(error) => return Outcome::Fail(error),
                    }
                } else {
                    DistributedStart::default()
                };
                let shared = if fields.arguments.is_some() {
                    input
                } else {
                    Value::Null
                };
                self.start_map(
                    machine,
                    state,
                    run_id,
                    generation,
                    (items, item_keys, shared, concurrency),
                    (*distributed, setup),
                    now,
                    rng,
                )
            }
        }
    }
}
