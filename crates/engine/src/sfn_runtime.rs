//! Step Functions state machines inside the simulation: a child module of `sim` that adds
//! the state machine component, its executions and its task integrations.
//!
//! What it models: executions of a validated ASL definition stepped by the
//! [`crate::asl`] interpreter in virtual time, one `SfnAdvance` event per wake-up. Starts
//! come from a producer (`StartExecution` with the message body as input), a consumer pool
//! whose `target` is the machine (one execution per message, as an EventBridge Pipe with
//! the asynchronous `FIRE_AND_FORGET` invocation: the message is deleted once
//! `StartExecution` succeeds, whatever the execution does later; a Pipe's synchronous
//! `REQUEST_RESPONSE` mode for Express is not modelled) and `states:startExecution` tasks.
//! `StartExecution` goes through a token bucket (Standard 1,300 burst / 300 per s,
//! Express 6,000 / 6,000, us-east-1); an empty bucket refuses with `ThrottlingException`.
//!
//! Task integrations: `arn:aws:states:::sqs:sendMessage` (`QueueUrl` names a queue node
//! by name, id or URL; a real `SendMessage`), `arn:aws:states:::sns:publish` (`TopicArn`
//! names a topic node), both with `.waitForTaskToken` (a consumer pool that processes a
//! message whose body carries the token calls `SendTaskSuccess` with the body as output,
//! or `SendTaskFailure` when the message's last receive before its dead-letter queue
//! fails; without a redrive policy only the task's `TimeoutSeconds`/`HeartbeatSeconds`
//! end the wait), `arn:aws:states:::states:startExecution` (also `.sync` and `.sync:2`),
//! a Lambda function node invoked synchronously (`arn:aws:states:::lambda:invoke` with
//! `FunctionName`, whose result wraps the output in `Payload`, or the function's ARN as the
//! resource; the function's concurrency, cold starts and duration apply, it returns its
//! event, and it fails by name: `Error` for its error share, `Lambda.Unknown` for a
//! timeout, `Lambda.TooManyRequestsException` when throttled), and every other resource
//! (functions that are not nodes included) answered by the mock configuration's test case
//! (`Return` / `Throw` per attempt) or with the task's input when there is none.
//!
//! Standard versus Express: Standard keeps the execution history (the interpreter caps it
//! at 25,000 events and fails the execution), runs at most 1 year and bills $0.025 per
//! 1,000 state transitions; Express keeps none (CloudWatch Logs in AWS), times out after
//! 5 minutes (`States.Timeout`, status `TIMED_OUT`) and bills $1.00 per million requests
//! plus $0.00001667 per GB-second, duration rounded up to 100 ms and memory in 64 MB
//! chunks. Express's at-least-once execution is documented by AWS without a rate: the
//! scenario's `DuplicateExecutionProbability` (default 0) is the chance that an
//! asynchronous start runs the execution twice (same name and input, both runs' side
//! effects happen, `ExecutionDuplicated` in the trace); Standard runs exactly once.
//!
//! Live per-state counts: each execution reports its [`StateOutcome`]s after every wake-up
//! into counters per state name ([`Simulation::state_counts`]), with the last
//! [`RECENT_PER_STATE`] executions that entered each state.
//!
//! Redrive (`RedriveExecution`, [`super::Command::RedriveExecution`]): a stopped Standard
//! execution kept by the simulation resumes from its failed top-level state (the
//! interpreter's [`Execution::redrive`]: a failed Map or Parallel runs again whole), within
//! 14 days of its stop; `$$.Execution.RedriveCount` counts the redrives. Its earlier end
//! stays counted and it ends again (CloudWatch also emits `Executions*` for redriven
//! executions), so `started + redriven = running + ended`. `ExecutionsRedriven` is from the
//! developer guide's metric table, not from the reference notes (🟡); the
//! `RedrivenExecutions*` metrics are not emitted. Only the last [`KEPT_HISTORIES`] stopped
//! executions of each outcome are kept, so an older one answers `ExecutionDoesNotExist`
//! (AWS keeps them 90 days). A redriven execution's `ExecutionTime` counts from the
//! redrive, and a `.sync` parent that gave up on it is not answered again.
//!
//! Simplifications: state transitions take no virtual time (Wait, Retry back-off and task
//! latencies do); the `StateTransition` token bucket is not modelled; executions cannot be
//! stopped (`ABORTED` is counted but nothing aborts yet).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use super::{CommandError, Event, ManualMessage, Simulation, Slot};
use crate::asl::{
    Execution, ExecutionContext, ExecutionKind, HistoryEvent, MockHandler, StateOutcome,
    StatesError, Step, TaskHandler, TaskRequest, TaskStart, TaskToken,
};
use crate::metrics::{Metric, MetricSample};
use crate::model::{ComponentId, ComponentKind, StateMachineSpec};
use crate::time::{SimDuration, SimTime};
use crate::trace::{LambdaOutcome, TraceKind};

/// Standard: US dollars per state transition.
pub const STANDARD_PRICE_PER_TRANSITION: f64 = 0.025 / 1_000.0;
/// Standard: state transitions free each month.
pub const STANDARD_FREE_TRANSITIONS: u64 = 4_000;
/// Express: US dollars per request (execution started).
pub const EXPRESS_PRICE_PER_REQUEST: f64 = 1.0 / 1_000_000.0;
/// Express: US dollars per GB-second (first tier).
pub const EXPRESS_PRICE_PER_GB_SECOND: f64 = 0.000_016_67;
/// Finished Standard executions whose history is kept for inspection: this many that
/// succeeded and as many more that failed, timed out or were aborted (those can be
/// redriven).
pub const KEPT_HISTORIES: usize = 10;
/// The most recent executions remembered per state (newest first) for
/// [`Simulation::state_executions`].
pub const RECENT_PER_STATE: usize = 8;
/// State transitions one wake-up makes before it yields to other events: a loop of
/// Pass/Choice states without a Wait would otherwise never let time move. Such a loop runs
/// this many transitions per [`BUSY_LOOP_PAUSE`] (AWS takes some milliseconds per
/// transition; this keeps a busy Express loop to a bounded amount of work before its
/// 5-minute timeout).
const TRANSITIONS_PER_WAKE: u32 = 1_000;
/// The pause after [`TRANSITIONS_PER_WAKE`] transitions at one instant.
const BUSY_LOOP_PAUSE: SimDuration = SimDuration(1_000_000);

const ACCOUNT: &str = "us-east-1:123456789012";

/// What one state machine has done.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StateMachineStats {
    pub express: bool,
    pub started: u64,
    pub running: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub aborted: u64,
    /// `StartExecution` calls refused with `ThrottlingException`.
    pub throttled: u64,
    /// `RedriveExecution` calls that put a stopped execution back to running (each ends
    /// again, so `started + redriven = running + succeeded + failed + timed_out +
    /// aborted`).
    pub redriven: u64,
    /// Express: asynchronous starts that ran the execution a second time (at-least-once);
    /// each such run ends too, so it counts on the left of the sum above.
    pub duplicated: u64,
    /// State transitions of all executions (what Standard bills).
    pub transitions: u64,
    /// Per state name: how many times it was entered.
    pub entered: BTreeMap<String, u64>,
    /// Sum and maximum of finished executions' durations (CloudWatch `ExecutionTime`).
    pub execution_time_total: SimDuration,
    pub execution_time_max: SimDuration,
    /// Express: billed GB-seconds so far.
    pub billed_gb_seconds: f64,
    /// US dollars so far.
    pub cost_usd: f64,
}

/// A kept execution history (Standard).
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutionRecord {
    pub execution_arn: String,
    pub status: &'static str,
    pub history: Vec<HistoryEvent>,
}

/// What the executions of one state machine did in one state (by state name, across
/// Parallel branches and Map iterations). `running` is counted when asked: the runs of
/// the executions held that are in the state now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateCounts {
    pub entered: u64,
    /// Left normally.
    pub succeeded: u64,
    /// Ended its execution, branch or iteration with an error.
    pub failed: u64,
    /// Errors a retrier took (each retry counts).
    pub retried: u64,
    /// Errors a catcher took.
    pub caught: u64,
    pub running: u64,
}

/// An execution that passed through a state, as [`Simulation::state_executions`] lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutionSummary {
    pub execution_arn: String,
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`, or `UNKNOWN` once it is
    /// neither held nor kept (Express executions and older Standard ones).
    pub status: &'static str,
    /// Whether its history can be read ([`Simulation::execution_record`]).
    pub history_kept: bool,
    /// `REDRIVABLE` or `NOT_REDRIVABLE` (`DescribeExecution`'s `redriveStatus`).
    pub redrive_status: &'static str,
    pub redrive_count: u32,
}

/// One state's counters and the serial numbers of its most recent executions.
#[derive(Clone, Debug, Default)]
struct StateTally {
    counts: StateCounts,
    recent: std::collections::VecDeque<u64>,
}

/// A stopped Standard execution kept for its history and for a redrive.
#[derive(Clone, Debug)]
struct Kept {
    serial: u64,
    status: &'static str,
    execution: Box<Execution>,
    mock: Option<MockHandler>,
}

/// A task waiting in an execution of a machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct TaskRef {
    machine: u32,
    execution: u32,
    /// The execution's serial number: a stale reference to a reused slot is ignored.
    serial: u64,
    token: TaskToken,
    /// `.sync:2` (JSON output) rather than `.sync` (output as a string).
    json_output: bool,
}

#[derive(Clone, Debug)]
struct ExecRt {
    serial: u64,
    execution: Execution,
    mock: Option<MockHandler>,
    started_at: SimTime,
    /// The `states:startExecution.sync` task of the parent waiting for this one.
    parent: Option<TaskRef>,
    /// Token strings this execution issued (`$$.Task.Token`), to forget when it ends.
    issued: Vec<String>,
}

#[derive(Clone, Debug)]
struct Slab {
    exec: Option<ExecRt>,
    /// Changes on every (re)scheduling and when the slot is reused.
    generation: u32,
}

/// The `StartExecution` token bucket, in micro-tokens (integer arithmetic).
#[derive(Clone, Debug)]
struct StartBucket {
    burst: u64,
    refill: u64,
    micro: u64,
    last: SimTime,
}

impl StartBucket {
    fn new(burst: u32, refill: u32) -> StartBucket {
        StartBucket {
            burst: burst as u64,
            refill: refill as u64,
            micro: burst as u64 * 1_000_000,
            last: SimTime::ZERO,
        }
    }

    fn try_take(&mut self, now: SimTime) -> bool {
        let elapsed = now.since(self.last).as_micros();
        self.micro = self
            .micro
            .saturating_add(elapsed.saturating_mul(self.refill))
            .min(self.burst * 1_000_000);
        self.last = now;
        if self.micro >= 1_000_000 {
            self.micro -= 1_000_000;
            true
        } else {
            false
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct MachineRt {
    component: ComponentId,
    name: String,
    spec: StateMachineSpec,
    bucket: StartBucket,
    slab: Vec<Slab>,
    free: Vec<u32>,
    next_name: u64,
    stats: StateMachineStats,
    /// Express: 100 ms units × 64 MB chunks, summed.
    billed_units: u64,
    /// Stopped Standard executions, in the order they stopped (see [`KEPT_HISTORIES`]).
    kept: std::collections::VecDeque<Kept>,
    /// Per state name (bounded by the definition's states).
    states: BTreeMap<Arc<str>, StateTally>,
    /// The counters at the last metric sample.
    sampled: StateMachineStats,
}

impl MachineRt {
    pub(super) fn new(component: ComponentId, name: &str, spec: StateMachineSpec) -> MachineRt {
        MachineRt {
            component,
            name: name.to_string(),
            bucket: StartBucket::new(spec.start_burst, spec.start_refill_per_second),
            stats: StateMachineStats {
                express: spec.kind == ExecutionKind::Express,
                ..StateMachineStats::default()
            },
            spec,
            slab: Vec::new(),
            free: Vec::new(),
            next_name: 1,
            billed_units: 0,
            kept: std::collections::VecDeque::new(),
            states: BTreeMap::new(),
            sampled: StateMachineStats::default(),
        }
    }

    fn arn(&self) -> String {
        format!("arn:aws:states:{ACCOUNT}:stateMachine:{}", self.name)
    }

    /// Starts a run of execution `serial` and holds it; its slot.
    fn run(
        &mut self,
        serial: u64,
        input: Value,
        context: ExecutionContext,
        now: SimTime,
        parent: Option<TaskRef>,
    ) -> u32 {
        let mut execution = Execution::start(Arc::clone(&self.spec.definition), input, context);
        execution.record_state_outcomes();
        let slot = self.hold(ExecRt {
            serial,
            execution,
            mock: self.spec.mock_handler(),
            started_at: now,
            parent,
            issued: Vec::new(),
        });
        self.stats.running += 1;
        slot
    }

    /// Puts a running execution in a free slot; its index.
    fn hold(&mut self, exec: ExecRt) -> u32 {
        match self.free.pop() {
            Some(slot) => {
                self.slab[slot as usize].exec = Some(exec);
                slot
            }
            None => {
                self.slab.push(Slab {
                    exec: Some(exec),
                    generation: 0,
                });
                self.slab.len() as u32 - 1
            }
        }
    }

    fn execution_arn(&self, serial: u64) -> String {
        format!(
            "arn:aws:states:{ACCOUNT}:execution:{}:exec-{serial}",
            self.name
        )
    }

    /// The serial number of an execution named by its ARN or name (`exec-7`).
    fn serial_of(&self, execution: &str) -> Option<u64> {
        let name = execution.rsplit(':').next().unwrap_or(execution);
        let serial = name.strip_prefix("exec-")?.parse::<u64>().ok()?;
        let wanted = self.execution_arn(serial);
        (execution == name || execution == wanted).then_some(serial)
    }

    fn tally(&mut self, serial: u64, outcomes: Vec<(Arc<str>, StateOutcome)>) {
        for (state, outcome) in outcomes {
            let tally = self.states.entry(state).or_default();
            let counts = &mut tally.counts;
            match outcome {
                StateOutcome::Entered => {
                    counts.entered += 1;
                    if tally.recent.front() != Some(&serial) {
                        tally.recent.retain(|&known| known != serial);
                        tally.recent.push_front(serial);
                        tally.recent.truncate(RECENT_PER_STATE);
                    }
                }
                StateOutcome::Succeeded => counts.succeeded += 1,
                StateOutcome::Failed => counts.failed += 1,
                StateOutcome::Retried => counts.retried += 1,
                StateOutcome::Caught => counts.caught += 1,
            }
        }
    }

    /// Keeps a stopped Standard execution, forgetting the oldest of its class (succeeded,
    /// or not) beyond [`KEPT_HISTORIES`].
    fn keep(&mut self, kept: Kept) {
        let succeeded = kept.status == "SUCCEEDED";
        let same_class = |k: &Kept| (k.status == "SUCCEEDED") == succeeded;
        if self.kept.iter().filter(|k| same_class(k)).count() >= KEPT_HISTORIES {
            if let Some(oldest) = self.kept.iter().position(same_class) {
                self.kept.remove(oldest);
            }
        }
        self.kept.push_back(kept);
    }

    fn summary(&self, serial: u64, now: SimTime) -> ExecutionSummary {
        let execution_arn = self.execution_arn(serial);
        let held = self
            .slab
            .iter()
            .filter_map(|slab| slab.exec.as_ref())
            .find(|exec| exec.serial == serial);
        if let Some(exec) = held {
            return ExecutionSummary {
                execution_arn,
                status: "RUNNING",
                history_kept: self.spec.kind == ExecutionKind::Standard,
                redrive_status: "NOT_REDRIVABLE",
                redrive_count: exec.execution.redrive_count(),
            };
        }
        match self.kept.iter().find(|kept| kept.serial == serial) {
            Some(kept) => ExecutionSummary {
                execution_arn,
                status: kept.status,
                history_kept: true,
                redrive_status: if kept.execution.redrivable(now).is_ok() {
                    "REDRIVABLE"
                } else {
                    "NOT_REDRIVABLE"
                },
                redrive_count: kept.execution.redrive_count(),
            },
            None => ExecutionSummary {
                execution_arn,
                status: "UNKNOWN",
                history_kept: false,
                redrive_status: "NOT_REDRIVABLE",
                redrive_count: 0,
            },
        }
    }

    fn cost(&self, free_tier: bool) -> f64 {
        match self.spec.kind {
            ExecutionKind::Standard => {
                let billable = if free_tier {
                    self.stats
                        .transitions
                        .saturating_sub(STANDARD_FREE_TRANSITIONS)
                } else {
                    self.stats.transitions
                };
                billable as f64 * STANDARD_PRICE_PER_TRANSITION
            }
            ExecutionKind::Express => {
                self.stats.started as f64 * EXPRESS_PRICE_PER_REQUEST
                    + self.gb_seconds() * EXPRESS_PRICE_PER_GB_SECOND
            }
        }
    }

    fn gb_seconds(&self) -> f64 {
        // One unit is 0.1 s × 64 MB = 0.1 × 0.0625 GB-s.
        self.billed_units as f64 * 0.1 * 64.0 / 1024.0
    }
}

/// Where a Task's `QueueUrl`/`TopicArn`/`StateMachineArn` points: by component name, by
/// id, or by the last segment of a URL or ARN.
pub(super) fn find_component(
    sim: &Simulation,
    reference: &str,
    want: fn(&Slot) -> bool,
) -> Option<usize> {
    let last = reference
        .rsplit(['/', ':'])
        .next()
        .unwrap_or(reference)
        .to_string();
    let matches = |id: usize| sim.slots.get(id).is_some_and(want);
    if let Ok(id) = reference.parse::<usize>() {
        if matches(id) {
            return Some(id);
        }
    }
    (0..sim.model.components.len()).find(|&id| {
        matches(id)
            && (sim.model.components[id].name == reference || sim.model.components[id].name == last)
    })
}

fn value_to_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The first string in `value` that is a known task token.
fn find_token<'a>(value: &Value, tokens: &'a BTreeMap<String, TaskRef>) -> Option<&'a TaskRef> {
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::String(text) => {
                if let Some(found) = tokens.get(text) {
                    return Some(found);
                }
            }
            Value::Array(items) => stack.extend(items.iter()),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    None
}

/// The task handler of one execution: it reaches into the simulation.
struct Integrations<'a> {
    sim: &'a mut Simulation,
    machine: u32,
    execution: u32,
    serial: u64,
    mock: Option<&'a mut MockHandler>,
    execution_arn: &'a str,
    issued: Vec<String>,
}

impl TaskHandler for Integrations<'_> {
    /// A Distributed Map reads and writes the scenario's bucket components, by name.
    fn objects(&mut self) -> Option<&mut dyn crate::asl::ObjectStore> {
        Some(&mut self.sim.s3)
    }

    fn start_task(&mut self, request: &TaskRequest<'_>) -> TaskStart {
        let component = self.sim.machines[self.machine as usize].component;
        if let Some(cause) = self.sim.fault_task_error(component) {
            return TaskStart::Completed(Err(StatesError::new("States.TaskFailed", cause)));
        }
        let resource = request.resource;
        let task_ref = |json_output| TaskRef {
            machine: self.machine,
            execution: self.execution,
            serial: self.serial,
            token: request.token,
            json_output,
        };
        // The function's own ARN as the resource: its result is the function's output. A
        // function that is not a node of the scenario answers from the mock configuration.
        if let Some(name) = function_name(resource) {
            if let Some(lambda) = self.lambda_named(name) {
                let task = task_ref(false);
                return self.invoke(lambda, request.input.clone(), false, task);
            }
            return self.mocked(request);
        }
        let Some(api) = resource.strip_prefix("arn:aws:states:::") else {
            return self.mocked(request);
        };
        let (api, pattern) = match api.split_once('.') {
            Some((api, pattern)) => (api, pattern),
            None => (api, ""),
        };
        let wait_token = pattern == "waitForTaskToken";
        let task_ref = task_ref(pattern == "sync:2");
        if api == "lambda:invoke" && !wait_token {
            let input = request.input;
            let wanted = value_to_text(input.get("FunctionName"));
            let name = function_name(&wanted).unwrap_or(&wanted);
            let Some(lambda) = self.lambda_named(name) else {
                return self.mocked(request);
            };
            let payload = input.get("Payload").cloned().unwrap_or_else(|| json!({}));
            return self.invoke(lambda, payload, true, task_ref);
        }
        if wait_token {
            let token = format!("{}:{}", self.execution_arn, request.token);
            self.sim.sfn_tokens.insert(token.clone(), task_ref);
            self.issued.push(token);
        }
        let outcome = match api {
            "sqs:sendMessage" => self.send_message(request.input),
            "sns:publish" => self.publish(request.input),
            "batch:submitJob" => {
                let parent = pattern.starts_with("sync").then_some(task_ref);
                self.sim.sfn_submit_job(request.input, parent)
            }
            "states:startExecution" => {
                let parent = pattern.starts_with("sync").then_some(task_ref);
                self.start_child(request.input, parent)
                    .map(|(arn, start)| json!({"ExecutionArn": arn, "StartDate": start}))
            }
            _ => return self.mocked(request),
        };
        match outcome {
            Ok(_) if wait_token || pattern.starts_with("sync") => TaskStart::Pending,
            other => TaskStart::Completed(other),
        }
    }
}

impl Integrations<'_> {
    /// The Lambda function node named `name` (its index), if the scenario has one.
    fn lambda_named(&self, name: &str) -> Option<u32> {
        let found = find_component(self.sim, name, |s| matches!(s, Slot::Lambda(_)))?;
        match self.sim.slots[found] {
            Slot::Lambda(index) => Some(index),
            _ => None,
        }
    }

    /// A synchronous `Invoke` of a function node: the task waits for the invocation, or
    /// fails at once with `Lambda.TooManyRequestsException` when the function is throttled.
    fn invoke(&mut self, lambda: u32, payload: Value, optimized: bool, task: TaskRef) -> TaskStart {
        let key = self.sim.sfn_lambda_next;
        self.sim.sfn_lambda_next = key.wrapping_add(1);
        let by = self.sim.machines[self.machine as usize].component;
        let origin = super::lambda::Origin::Task { key };
        match self.sim.lambda_start(lambda, origin, 1, None, Some(by), false) {
            Ok(_) => {
                self.sim
                    .sfn_lambda_waits
                    .insert(key, LambdaWait { task, payload, optimized });
                TaskStart::Pending
            }
            Err(reason) => TaskStart::Completed(Err(StatesError::new(
                "Lambda.TooManyRequestsException",
                format!("Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; Reason: {reason})"),
            ))),
        }
    }

    fn mocked(&mut self, request: &TaskRequest<'_>) -> TaskStart {
        match self.mock.as_deref_mut() {
            Some(mock) => mock.start_task(request),
            None => TaskStart::Completed(Ok(request.input.clone())),
        }
    }

    fn send_message(&mut self, input: &Value) -> Result<Value, StatesError> {
        let url = value_to_text(input.get("QueueUrl"));
        let Some(queue) = find_component(self.sim, &url, |s| matches!(s, Slot::Queue(_))) else {
            return Err(StatesError::new(
                "SQS.QueueDoesNotExistException",
                format!("QueueUrl \"{url}\" names no queue in this scenario"),
            ));
        };
        let message = ManualMessage {
            body: value_to_text(input.get("MessageBody")),
            message_group_id: input
                .get("MessageGroupId")
                .and_then(Value::as_str)
                .map(str::to_string),
            message_deduplication_id: input
                .get("MessageDeduplicationId")
                .and_then(Value::as_str)
                .map(str::to_string),
            delay_seconds: input
                .get("DelaySeconds")
                .and_then(Value::as_u64)
                .map(|d| d.min(u32::MAX as u64) as u32),
            attributes: Vec::new(),
        };
        let id = self.sim.next_message_id;
        let sender = self.sim.machines[self.machine as usize].component as u32;
        match self.sim.send_one(queue, message, sender) {
            Ok(()) => Ok(json!({"MessageId": format!("m{id}")})),
            Err(CommandError::Sqs(error)) => Err(StatesError::new(
                "SQS.AmazonSQSException",
                error.to_string(),
            )),
            Err(other) => Err(StatesError::new(
                "SQS.AmazonSQSException",
                other.to_string(),
            )),
        }
    }

    fn publish(&mut self, input: &Value) -> Result<Value, StatesError> {
        let arn = value_to_text(input.get("TopicArn"));
        let Some(topic) = find_component(self.sim, &arn, |s| matches!(s, Slot::Topic(_))) else {
            return Err(StatesError::new(
                "SNS.NotFoundException",
                format!("TopicArn \"{arn}\" names no topic in this scenario"),
            ));
        };
        let message = super::ManualPublish {
            body: value_to_text(input.get("Message")),
            attributes: BTreeMap::new(),
            message_group_id: input
                .get("MessageGroupId")
                .and_then(Value::as_str)
                .map(str::to_string),
            message_deduplication_id: input
                .get("MessageDeduplicationId")
                .and_then(Value::as_str)
                .map(str::to_string),
        };
        let id = self.sim.next_message_id;
        match self.sim.publish_by_hand(topic, message) {
            Ok(()) => Ok(json!({"MessageId": format!("m{id}")})),
            Err(error) => Err(StatesError::new("SNS.SnsException", error.to_string())),
        }
    }

    fn start_child(
        &mut self,
        input: &Value,
        parent: Option<TaskRef>,
    ) -> Result<(String, String), StatesError> {
        let arn = value_to_text(input.get("StateMachineArn"));
        let Some(target) = find_component(self.sim, &arn, |s| matches!(s, Slot::Machine(_))) else {
            return Err(StatesError::new(
                "StepFunctions.StateMachineDoesNotExistException",
                format!("StateMachineArn \"{arn}\" names no state machine in this scenario"),
            ));
        };
        let Slot::Machine(index) = self.sim.slots[target] else {
            unreachable!("find_component checked the slot")
        };
        let child_input = match input.get("Input") {
            Some(Value::String(text)) => {
                serde_json::from_str(text).unwrap_or(Value::String(text.clone()))
            }
            Some(value) => value.clone(),
            None => json!({}),
        };
        let by = self.sim.machines[self.machine as usize].component;
        self.sim
            .start_execution(index, child_input, Some(by), parent)
            .map(|arn| (arn, format!("{}", self.sim.now)))
            .map_err(|error| StatesError::new("StepFunctions.SfnException", error))
    }
}

/// A Task state waiting for a function node's invocation.
#[derive(Clone, Debug)]
pub(super) struct LambdaWait {
    task: TaskRef,
    /// The event the function was invoked with; the simulated function returns it.
    payload: Value,
    /// `arn:aws:states:::lambda:invoke` (the result wraps the output in `Payload`) rather
    /// than the function's ARN as the resource (the result is the output).
    optimized: bool,
}

/// The function name in a Lambda function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`,
/// with or without a version or alias after it) or a partial ARN (`ACCOUNT:function:NAME`).
fn function_name(arn: &str) -> Option<&str> {
    let (_, after) = arn.split_once(":function:")?;
    let name = after.split(':').next().unwrap_or(after);
    (!name.is_empty()).then_some(name)
}

impl Simulation {
    /// A function node invoked by a Task state returned: the task succeeds with the
    /// function's output (the simulated function returns its event), or fails with the
    /// error Step Functions reports. A handled error of the function keeps its own error
    /// type (`Error` for the error share of a node, which has no code to name another);
    /// a timeout is an unhandled error, `Lambda.Unknown` (reference §7.8).
    pub(super) fn sfn_lambda_done(&mut self, key: u32, outcome: LambdaOutcome, lambda: u32) {
        let Some(wait) = self.sfn_lambda_waits.remove(&key) else {
            return;
        };
        let result = match outcome {
            LambdaOutcome::Success if wait.optimized => Ok(json!({
                "ExecutedVersion": "$LATEST",
                "Payload": wait.payload,
                "StatusCode": 200,
            })),
            LambdaOutcome::Success => Ok(wait.payload),
            LambdaOutcome::FunctionError => Err(StatesError::new(
                "Error",
                json!({"errorType": "Error", "errorMessage": "the function threw (its error share)"})
                    .to_string(),
            )),
            LambdaOutcome::TimedOut => {
                let seconds = self.lambda_timeout_seconds(lambda);
                Err(StatesError::new(
                    "Lambda.Unknown",
                    format!("The cause could not be determined because Lambda did not return an error type. Returned payload: {{\"errorMessage\":\"Task timed out after {seconds}.00 seconds\"}}"),
                ))
            }
        };
        self.complete_task(wait.task, result);
    }

    /// `StartExecution` on machine `index`: the execution ARN, or `ThrottlingException`.
    pub(super) fn start_execution(
        &mut self,
        index: u32,
        input: Value,
        by: Option<ComponentId>,
        parent: Option<TaskRef>,
    ) -> Result<String, String> {
        let now = self.now;
        let m = &mut self.machines[index as usize];
        let component = m.component;
        if !m.bucket.try_take(now) {
            m.stats.throttled += 1;
            self.record(component, None, TraceKind::ExecutionThrottled { by });
            return Err("ThrottlingException: Rate exceeded".into());
        }
        let serial = m.next_name;
        let name = format!("exec-{serial}");
        m.next_name += 1;
        let execution_arn = format!("arn:aws:states:{ACCOUNT}:execution:{}:{name}", m.name);
        let context = ExecutionContext {
            execution_arn: execution_arn.clone(),
            execution_name: name,
            state_machine_arn: m.arn(),
            state_machine_name: m.name.clone(),
            kind: m.spec.kind,
            start_time: now,
            record_payloads: false,
            ..ExecutionContext::default()
        };
        // Express is at-least-once for asynchronous starts: AWS documents that an
        // execution may run more than once but gives no rate, so the scenario sets one
        // (`DuplicateExecutionProbability`, default 0, and then no random number is drawn).
        // The second run has the same name and input and no `.sync` parent; it is not a
        // second `StartExecution` request, so only its duration is billed (our reading:
        // AWS bills Express by request and duration and does not say how a duplicate run
        // is billed).
        let p = m.spec.duplicate_execution_probability;
        let duplicate = m.spec.kind == ExecutionKind::Express && p > 0.0 && self.sfn_rng.chance(p);
        let slot = m.run(serial, input.clone(), context.clone(), now, parent);
        m.stats.started += 1;
        self.record(
            component,
            None,
            TraceKind::ExecutionStarted {
                by,
                execution: execution_arn.clone(),
            },
        );
        self.wake_execution(index, slot, now);
        if duplicate {
            let m = &mut self.machines[index as usize];
            let slot = m.run(serial, input, context, now, None);
            m.stats.duplicated += 1;
            self.record(
                component,
                None,
                TraceKind::ExecutionDuplicated {
                    execution: execution_arn.clone(),
                },
            );
            self.wake_execution(index, slot, now);
        }
        Ok(execution_arn)
    }

    fn wake_execution(&mut self, machine: u32, execution: u32, at: SimTime) {
        let slab = &mut self.machines[machine as usize].slab[execution as usize];
        slab.generation = slab.generation.wrapping_add(1);
        let generation = slab.generation;
        self.events.schedule(
            at,
            Event::SfnAdvance {
                machine,
                execution,
                generation,
            },
        );
    }

    pub(super) fn on_sfn_advance(&mut self, machine: u32, execution: u32, generation: u32) {
        let slab = &mut self.machines[machine as usize].slab[execution as usize];
        if slab.generation != generation {
            return;
        }
        let Some(mut exec) = slab.exec.take() else {
            return;
        };
        let mut mock = exec.mock.take();
        let mut rng = std::mem::replace(&mut self.sfn_rng, crate::rng::SimRng::seed_from_u64(0));
        let now = self.now;
        let mut step;
        let mut made = 0u32;
        let mut issued = Vec::new();
        let transitions_before = exec.execution.transitions();
        let execution_arn = exec_arn(&exec);
        loop {
            let mut handler = Integrations {
                sim: self,
                machine,
                execution,
                serial: exec.serial,
                mock: mock.as_mut(),
                execution_arn: &execution_arn,
                issued: Vec::new(),
            };
            step = exec.execution.advance(now, &mut rng, &mut handler);
            issued.append(&mut handler.issued);
            if matches!(step, Step::Transitioned { .. }) {
                made += 1;
                if made < TRANSITIONS_PER_WAKE {
                    continue;
                }
            }
            break;
        }
        {
            let m = &mut self.machines[machine as usize];
            m.stats.transitions += exec.execution.transitions() - transitions_before;
            let outcomes = exec.execution.drain_state_outcomes();
            for (state, outcome) in &outcomes {
                if *outcome == StateOutcome::Entered {
                    *m.stats.entered.entry(state.to_string()).or_insert(0) += 1;
                }
            }
            m.tally(exec.serial, outcomes);
        }
        self.sfn_rng = rng;
        exec.mock = mock;
        exec.issued.append(&mut issued);
        let m = &mut self.machines[machine as usize];
        let component = m.component;
        let status = match &step {
            Step::Transitioned { .. } => {
                m.slab[execution as usize].exec = Some(exec);
                self.wake_execution(machine, execution, now.saturating_add(BUSY_LOOP_PAUSE));
                return;
            }
            Step::WaitingUntil(at) => {
                let at = *at;
                m.slab[execution as usize].exec = Some(exec);
                self.wake_execution(machine, execution, at.max(now));
                return;
            }
            Step::WaitingForTasks => {
                m.slab[execution as usize].exec = Some(exec);
                return;
            }
            Step::Succeeded { .. } => "SUCCEEDED",
            Step::Failed { .. } => "FAILED",
            Step::TimedOut => "TIMED_OUT",
        };
        // The execution ended.
        let duration = now.since(exec.started_at);
        m.stats.running -= 1;
        match status {
            "SUCCEEDED" => m.stats.succeeded += 1,
            "FAILED" => m.stats.failed += 1,
            _ => m.stats.timed_out += 1,
        }
        m.stats.execution_time_total =
            SimDuration(m.stats.execution_time_total.0.saturating_add(duration.0));
        m.stats.execution_time_max = m.stats.execution_time_max.max(duration);
        if m.spec.kind == ExecutionKind::Express {
            let hundred_ms = duration.as_micros().div_ceil(100_000).max(1);
            let chunks = (m.spec.memory_mb as u64).div_ceil(64).max(1);
            m.billed_units += hundred_ms * chunks;
        }
        let transitions = exec.execution.transitions();
        let error = match &step {
            Step::Failed { error, cause } => Some(format!("{error}: {cause}")),
            Step::TimedOut => Some("States.Timeout".to_string()),
            _ => None,
        };
        for token in &exec.issued {
            self.sfn_tokens.remove(token);
        }
        m.free.push(execution);
        m.slab[execution as usize].generation =
            m.slab[execution as usize].generation.wrapping_add(1);
        self.record(
            component,
            None,
            TraceKind::ExecutionEnded {
                execution: exec_arn(&exec),
                status,
                error: error.clone(),
                duration,
                transitions,
            },
        );
        let standard = self.machines[machine as usize].spec.kind == ExecutionKind::Standard;
        let parent = exec.parent;
        let output = exec.execution.output().cloned();
        let arn = exec_arn(&exec);
        if standard {
            self.machines[machine as usize].keep(Kept {
                serial: exec.serial,
                status,
                execution: Box::new(exec.execution),
                mock: exec.mock,
            });
        }
        if let Some(parent) = parent {
            let result = match (status, output) {
                ("SUCCEEDED", Some(output)) => Ok(json!({
                    "ExecutionArn": arn,
                    "Status": "SUCCEEDED",
                    "Output": if parent.json_output { output } else { Value::String(output.to_string()) },
                })),
                _ => Err(StatesError::new(
                    "States.TaskFailed",
                    format!(
                        "child execution {} ended {status}: {}",
                        arn,
                        error.unwrap_or_default()
                    ),
                )),
            };
            self.complete_task(parent, result);
        }
    }

    /// `SendTaskSuccess` / `SendTaskFailure` (and a `.sync` child's end): hands the result
    /// to the waiting execution and wakes it now. A stale reference is ignored, as AWS
    /// answers `TaskTimedOut`/`InvalidToken` to a caller who is not waiting for the answer.
    pub(super) fn complete_task(
        &mut self,
        task: TaskRef,
        result: Result<Value, StatesError>,
    ) -> bool {
        let Some(m) = self.machines.get_mut(task.machine as usize) else {
            return false;
        };
        let Some(slab) = m.slab.get_mut(task.execution as usize) else {
            return false;
        };
        let Some(exec) = slab.exec.as_mut().filter(|exec| exec.serial == task.serial) else {
            return false;
        };
        if exec.execution.complete_task(task.token, result).is_err() {
            return false;
        }
        self.wake_execution(task.machine, task.execution, self.now);
        true
    }

    /// A producer's `StartExecution` calls.
    /// The event a Task state invoked function `key` with (`Null` when none waits).
    pub(super) fn sfn_lambda_payload(&self, key: u32) -> Value {
        self.sfn_lambda_waits
            .get(&key)
            .map_or(Value::Null, |wait| wait.payload.clone())
    }

    /// What an execution started for queue message `slot` gets: its body as JSON (a string
    /// when it is not JSON), or its id and size when it has no body.
    pub(super) fn message_input(&self, slot: u32) -> Value {
        let msg = &self.msgs[slot as usize];
        match &msg.extra {
            Some(extra) => body_value(&extra.body),
            None => bodiless_input(msg.id, msg.size),
        }
    }

    pub(super) fn producer_start_executions(&mut self, producer: u32, machine: u32, count: u32) {
        let component = self.producers[producer as usize].component;
        for _ in 0..count {
            let picked = self.pick_message(producer);
            let input = match picked.body.as_deref() {
                Some(body) => body_value(body),
                None => json!({"size": picked.size, "sequence": picked.body_seq}),
            };
            let p = &mut self.producers[producer as usize];
            p.attempted += 1;
            match self.start_execution(machine, input, Some(component), None) {
                Ok(_) => {
                    let p = &mut self.producers[producer as usize];
                    p.accepted += 1;
                    p.period_sent += 1;
                }
                Err(_) => {
                    let p = &mut self.producers[producer as usize];
                    p.throttled += 1;
                    p.rejected += 1;
                    p.period_errors += 1;
                }
            }
        }
    }

    /// A consumer pool processed message `slot`: answers a task token it carries and starts
    /// the pool's target execution. False when `StartExecution` was refused (the message is
    /// then not deleted and comes back).
    pub(super) fn sfn_on_processed(&mut self, consumer: u32, slot: u32) -> bool {
        let c = &self.consumers[consumer as usize];
        let (component, target) = (c.component, c.spec.target);
        let id = self.msgs[slot as usize].id;
        let input = self.message_input(slot);
        if self.msgs[slot as usize].extra.is_some() {
            if let Some(task) = find_token(&input, &self.sfn_tokens).copied() {
                self.answer_token(component, id, task, Ok(input.clone()));
            }
        }
        let Some(target) = target else {
            return true;
        };
        let Some(Slot::Machine(index)) = self.slots.get(target).copied() else {
            return true;
        };
        self.start_execution(index, input, Some(component), None)
            .is_ok()
    }

    /// A consumer pool failed message `slot`: on its last receive before the dead-letter
    /// queue, `SendTaskFailure` for a task token it carries.
    pub(super) fn sfn_on_failed(&mut self, consumer: u32, slot: u32) {
        if self.sfn_tokens.is_empty() {
            return;
        }
        let c = &self.consumers[consumer as usize];
        let component = c.component;
        let msg = &self.msgs[slot as usize];
        let last = self.queues[msg.queue as usize]
            .spec
            .redrive_policy
            .as_ref()
            .is_some_and(|policy| msg.receive_count >= policy.max_receive_count);
        if !last {
            return;
        }
        let id = msg.id;
        let Some(body) = msg.extra.as_ref().map(|extra| extra.body.clone()) else {
            return;
        };
        let value = body_value(&body);
        if let Some(task) = find_token(&value, &self.sfn_tokens).copied() {
            let error = StatesError::new(
                "States.TaskFailed",
                format!("the consumer failed message m{id} on its last receive"),
            );
            self.answer_token(component, id, task, Err(error));
        }
    }

    fn answer_token(
        &mut self,
        consumer: ComponentId,
        message: u64,
        task: TaskRef,
        result: Result<Value, StatesError>,
    ) {
        let success = result.is_ok();
        if !self.complete_task(task, result) {
            return;
        }
        let m = &self.machines[task.machine as usize];
        let execution = m.slab[task.execution as usize]
            .exec
            .as_ref()
            .map(exec_arn)
            .unwrap_or_default();
        let component = m.component;
        self.record(
            component,
            Some(message),
            TraceKind::TaskTokenAnswered {
                consumer,
                execution,
                success,
            },
        );
    }

    /// One sample of each `AWS/States` metric per machine, for the period that ends now.
    pub(super) fn sfn_metric_samples(&mut self, now: SimTime, samples: &mut Vec<MetricSample>) {
        let free_tier = self.model.free_tier;
        for m in &mut self.machines {
            let cost = m.cost(free_tier);
            let (s, last) = (&m.stats, &m.sampled);
            let mut push = |metric: Metric, value: f64| {
                samples.push(MetricSample {
                    time: now,
                    component: m.component,
                    metric,
                    value,
                })
            };
            push(Metric::ExecutionsStarted, (s.started - last.started) as f64);
            push(
                Metric::ExecutionsSucceeded,
                (s.succeeded - last.succeeded) as f64,
            );
            push(Metric::ExecutionsFailed, (s.failed - last.failed) as f64);
            push(
                Metric::ExecutionsTimedOut,
                (s.timed_out - last.timed_out) as f64,
            );
            push(
                Metric::ExecutionThrottled,
                (s.throttled - last.throttled) as f64,
            );
            let ended = |x: &StateMachineStats| x.succeeded + x.failed + x.timed_out + x.aborted;
            let finished = ended(s) - ended(last);
            if finished > 0 {
                let micros = s.execution_time_total.0 - last.execution_time_total.0;
                push(
                    Metric::ExecutionTime,
                    micros as f64 / 1_000.0 / finished as f64,
                );
            }
            push(
                Metric::ExecutionsRedriven,
                (s.redriven - last.redriven) as f64,
            );
            push(Metric::EstimatedCharges, cost);
            m.sampled = StateMachineStats {
                entered: BTreeMap::new(),
                ..m.stats.clone()
            };
        }
    }

    pub(super) fn machine_stats(&self, index: u32) -> StateMachineStats {
        let m = &self.machines[index as usize];
        let mut stats = m.stats.clone();
        stats.billed_gb_seconds = m.gb_seconds();
        stats.cost_usd = m.cost(self.model.free_tier);
        stats
    }

    pub(super) fn machine_cost(&self, index: usize) -> (ComponentId, u64, f64) {
        let m = &self.machines[index];
        let units = match m.spec.kind {
            ExecutionKind::Standard => m.stats.transitions,
            ExecutionKind::Express => m.stats.started,
        };
        (m.component, units, m.cost(self.model.free_tier))
    }

    /// The histories of the most recent finished Standard executions of a machine (up to
    /// [`KEPT_HISTORIES`] that succeeded and as many that did not), oldest first. Express
    /// keeps none.
    pub fn execution_histories(&self, component: ComponentId) -> Vec<ExecutionRecord> {
        let Some(m) = self.machine_at(component) else {
            return Vec::new();
        };
        m.kept
            .iter()
            .map(|kept| ExecutionRecord {
                execution_arn: m.execution_arn(kept.serial),
                status: kept.status,
                history: kept.execution.history().to_vec(),
            })
            .collect()
    }

    /// Per state name, what the executions of state machine `component` did there, with
    /// the runs in each state now. Empty for another kind of component. Memory is bounded
    /// by the definition's states; `running` costs a pass over the executions held.
    pub fn state_counts(&self, component: ComponentId) -> BTreeMap<String, StateCounts> {
        let Some(m) = self.machine_at(component) else {
            return BTreeMap::new();
        };
        let mut counts: BTreeMap<String, StateCounts> = m
            .states
            .iter()
            .map(|(name, tally)| (name.to_string(), tally.counts))
            .collect();
        for exec in m.slab.iter().filter_map(|slab| slab.exec.as_ref()) {
            for state in exec.execution.active_states() {
                counts.entry(state.to_string()).or_default().running += 1;
            }
        }
        counts
    }

    /// The most recent executions (up to [`RECENT_PER_STATE`], newest first) that entered
    /// state `state` of state machine `component`.
    pub fn state_executions(&self, component: ComponentId, state: &str) -> Vec<ExecutionSummary> {
        let Some(m) = self.machine_at(component) else {
            return Vec::new();
        };
        m.states
            .get(state)
            .map(|tally| {
                tally
                    .recent
                    .iter()
                    .map(|&serial| m.summary(serial, self.now))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// One execution of state machine `component` (by ARN or name): its status and, for a
    /// running or kept Standard execution, its history so far.
    pub fn execution_record(
        &self,
        component: ComponentId,
        execution: &str,
    ) -> Option<(ExecutionSummary, Option<ExecutionRecord>)> {
        let m = self.machine_at(component)?;
        let serial = m.serial_of(execution)?;
        if serial == 0 || serial >= m.next_name {
            return None;
        }
        let summary = m.summary(serial, self.now);
        let history = if m.spec.kind == ExecutionKind::Express {
            None
        } else {
            let held = m
                .slab
                .iter()
                .filter_map(|slab| slab.exec.as_ref())
                .find(|exec| exec.serial == serial)
                .map(|exec| &exec.execution);
            held.or_else(|| {
                m.kept
                    .iter()
                    .find(|kept| kept.serial == serial)
                    .map(|kept| &*kept.execution)
            })
            .map(|execution| ExecutionRecord {
                execution_arn: summary.execution_arn.clone(),
                status: summary.status,
                history: execution.history().to_vec(),
            })
        };
        Some((summary, history))
    }

    fn machine_at(&self, component: ComponentId) -> Option<&MachineRt> {
        match self.slots.get(component) {
            Some(Slot::Machine(index)) => self.machines.get(*index as usize),
            _ => None,
        }
    }

    /// `RedriveExecution` on state machine `component`: the kept stopped execution named
    /// `execution` (ARN or name) resumes from the state where it stopped, as running.
    /// Errors as AWS answers them: `ExecutionDoesNotExist` for an unknown name (and, a
    /// simplification, for a stopped execution the simulation no longer keeps: see
    /// [`KEPT_HISTORIES`]), `ExecutionNotRedrivable` for an Express, running or succeeded
    /// execution or one that stopped more than 14 days ago.
    pub(super) fn redrive_execution(
        &mut self,
        component: ComponentId,
        execution: &str,
    ) -> Result<(), CommandError> {
        let index = match self.slots.get(component) {
            None => return Err(CommandError::NoSuchComponent(component)),
            Some(Slot::Machine(index)) => *index,
            Some(_) => {
                return Err(CommandError::WrongKind {
                    component,
                    expected: "state machine",
                    actual: self.model.components[component].kind.kind_name(),
                })
            }
        };
        let now = self.now;
        let m = &mut self.machines[index as usize];
        let does_not_exist = |why: &str| CommandError::StepFunctions {
            error: "ExecutionDoesNotExist",
            message: format!("Execution does not exist: '{execution}'{why}"),
        };
        let not_redrivable = |why: String| CommandError::StepFunctions {
            error: "ExecutionNotRedrivable",
            message: why,
        };
        let Some(serial) = m
            .serial_of(execution)
            .filter(|&serial| serial >= 1 && serial < m.next_name)
        else {
            return Err(does_not_exist(""));
        };
        if m.spec.kind == ExecutionKind::Express {
            return Err(not_redrivable(
                "Express executions cannot be redriven".into(),
            ));
        }
        let running = m
            .slab
            .iter()
            .filter_map(|slab| slab.exec.as_ref())
            .any(|exec| exec.serial == serial);
        if running {
            return Err(not_redrivable(
                "the execution is RUNNING; only FAILED, TIMED_OUT or ABORTED executions can be redriven".into(),
            ));
        }
        let Some(position) = m.kept.iter().position(|kept| kept.serial == serial) else {
            return Err(does_not_exist(
                " (the simulation keeps the last 10 stopped executions of each outcome)",
            ));
        };
        if let Err(refused) = m.kept[position].execution.redrivable(now) {
            let text = refused.to_string();
            let why = text
                .strip_prefix("ExecutionNotRedrivable: ")
                .unwrap_or(&text)
                .to_string();
            return Err(not_redrivable(why));
        }
        let Some(mut kept) = m.kept.remove(position) else {
            return Err(does_not_exist(""));
        };
        if let Err(refused) = kept.execution.redrive(now) {
            m.kept.insert(position, kept);
            return Err(not_redrivable(refused.to_string()));
        }
        let redrive_count = kept.execution.redrive_count();
        let slot = m.hold(ExecRt {
            serial,
            execution: *kept.execution,
            mock: kept.mock,
            started_at: now,
            parent: None,
            issued: Vec::new(),
        });
        m.stats.running += 1;
        m.stats.redriven += 1;
        let (component, execution) = (m.component, m.execution_arn(serial));
        self.record(
            component,
            None,
            TraceKind::ExecutionRedriven {
                execution,
                redrive_count,
            },
        );
        self.wake_execution(index, slot, now);
        Ok(())
    }

    /// Conservation of executions: started + redriven = running + succeeded + failed +
    /// timed out + aborted, and running = executions held.
    pub(super) fn check_sfn_invariants(&self) -> Result<(), String> {
        for m in &self.machines {
            let s = &m.stats;
            let ended = s.running + s.succeeded + s.failed + s.timed_out + s.aborted;
            if s.started + s.redriven + s.duplicated != ended {
                return Err(format!(
                    "{}: {} executions started, {} redriven and {} duplicated but {ended} accounted",
                    m.name, s.started, s.redriven, s.duplicated
                ));
            }
            let held = m.slab.iter().filter(|slab| slab.exec.is_some()).count() as u64;
            if held != s.running {
                return Err(format!(
                    "{}: {} running but {held} executions held",
                    m.name, s.running
                ));
            }
        }
        Ok(())
    }

    pub(super) fn sfn_settled(&self) -> bool {
        self.machines.iter().all(|m| m.stats.running == 0)
    }
}

fn exec_arn(exec: &ExecRt) -> String {
    exec.execution.context().execution_arn.clone()
}

/// The spec of a state machine component, for building its runtime.
/// An object in a bucket component, as `ListObjectsV2` and `GetObject` see it.
#[derive(Clone, Debug, PartialEq)]
pub struct BucketObject {
    pub key: String,
    /// Bytes of the body.
    pub size: u64,
    /// `LastModified`, seconds since the Unix epoch.
    pub last_modified: i64,
    pub body: std::sync::Arc<str>,
}

impl Simulation {
    /// The objects of bucket component `component` (a scenario's seeds and what a
    /// `ResultWriter` wrote), keys in order; `None` when it is not a bucket.
    pub fn bucket_objects(&self, component: ComponentId) -> Option<Vec<BucketObject>> {
        if !matches!(self.slots.get(component), Some(Slot::Bucket(_))) {
            return None;
        }
        let name = &self.model.components[component].name;
        Some(
            self.s3
                .objects(name)
                .map(|(key, object)| BucketObject {
                    key: key.to_string(),
                    size: object.body.len() as u64,
                    last_modified: object.last_modified,
                    body: object.body.clone(),
                })
                .collect(),
        )
    }
}

/// An execution's input for message `id` that carries no body: its id and size.
pub(super) fn bodiless_input(id: u64, size: u32) -> Value {
    json!({"messageId": format!("m{id}"), "size": size})
}

/// An execution's input for API Gateway request `request` (the simulation keeps no body).
pub(super) fn request_input(request: u32) -> Value {
    json!({ "requestId": request })
}

/// A message body as an execution's input: its JSON, or the text as a JSON string.
pub(super) fn body_value(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.into()))
}

pub(super) fn machine_of(kind: &ComponentKind) -> Option<&StateMachineSpec> {
    match kind {
        ComponentKind::StateMachine(spec) => Some(spec),
        _ => None,
    }
}
