//! AWS Lambda inside the simulation: functions with concurrency, cold starts and three ways
//! of being invoked.
//!
//! Modelled: the account's concurrency quota shared by every function (1,000 by default) and
//! `ReservedConcurrentExecutions` carved out of it (at least 100 stay unreserved); throttles as
//! `TooManyRequestsException` with AWS's `Reason`; execution environments that start cold
//! (an `Init` duration), stay warm while idle for a while and are reused most recent first;
//! `Timeout` (up to 900 s) ending the handler as `Task timed out`; an error share per record.
//! Invocation modes:
//! - asynchronous (SNS subscriptions): an internal queue per function; function errors are
//!   retried `MaximumRetryAttempts` times (0..=2) about 1 and 2 minutes apart, throttles with
//!   an exponential back-off from 1 s to 5 min, both within `MaximumEventAgeInSeconds`; then
//!   the event goes to the `OnFailure` destination, else to the dead-letter queue (an SQS
//!   queue or an SNS topic), else it is dropped;
//! - SQS event source mappings: pollers long-poll the queue (20 s), gather up to `BatchSize`
//!   records within `MaximumBatchingWindowInSeconds`, invoke the function and delete the
//!   batch on success; a failed batch stays in flight until the queue's visibility timeout
//!   (and its redrive policy) decides; `ReportBatchItemFailures` leaves only the failed
//!   records; scaling starts at 5 concurrent batches, adds up to 300 per minute while messages
//!   are visible, stops at 1,000 or `ScalingConfig.MaximumConcurrency`, falls back to 5 when
//!   the queue is empty, and backs off to what runs when the function is throttled;
//! - synchronous invocations answer at once with a throttle or, after the duration, with the
//!   outcome.
//!
//! A function's arrow to a state machine is its handler calling `StartExecution`: once per
//! record it handled, when the handler ends (see `lambda_handler_starts`).
//!
//! Billing: $0.20 per million requests and GB-seconds of the billed duration (1 ms steps,
//! `Init` included as AWS bills it since August 2025 ⚠️), x86_64 or arm64 prices; the free
//! tier (1 million requests, 400,000 GB-seconds) when the scenario asks for it.
//!
//! Simplified: the per-function scaling rate (+1,000 environments every 10 s) is not
//! enforced; provisioned concurrency, SnapStart, payload limits of a batch (6 MB) and the
//! `OnSuccess` destination are not modelled; a batch of more than 10 records is gathered as
//! one receive billed as one `ReceiveMessage` per 10 records; an idle environment's lifetime
//! is a fixed setting (AWS does not document it); `IteratorAge` applies to streams only, so
//! no function here reports it.

use std::rc::Rc;

use super::sfn::{bodiless_input, body_value, request_input};
use super::*;
use crate::model::{lambda_limits, Architecture, EventSourceMappingSpec, LambdaSpec};
use crate::trace::{InvocationMode, LambdaOutcome};

/// Seconds a throttled event source mapping poller waits before it polls again.
const ESM_THROTTLE_BACKOFF: SimDuration = SimDuration::from_millis(1_000);
/// How often event source mappings reconsider their concurrency.
pub(super) const ESM_SCALE_PERIOD: SimDuration = SimDuration::from_millis(1_000);
/// First and longest wait before a throttled asynchronous event is tried again.
const ASYNC_THROTTLE_FIRST: SimDuration = SimDuration::from_millis(1_000);
const ASYNC_THROTTLE_MAX: SimDuration = SimDuration::from_millis(300_000);
/// Longest `Init` phase: AWS stops an initialisation after 10 seconds.
const MAX_INIT_SECONDS: f64 = 10.0;

#[derive(Clone, Debug, Default)]
struct LambdaCounters {
    invocations: u64,
    errors: u64,
    throttles: u64,
    completed: u64,
    duration_ms_sum: f64,
    async_received: u64,
    async_dropped: u64,
}

#[derive(Clone, Debug)]
pub(super) struct LambdaRt {
    pub(super) component: ComponentId,
    pub(super) spec: LambdaSpec,
    /// Invocations running now (environments busy).
    running: u32,
    /// The most running at once in the current metric period.
    period_peak: u32,
    /// Idle environments, each with the time it became idle; newest at the back.
    warm: VecDeque<SimTime>,
    cold_starts: u64,
    period: LambdaCounters,
    total: LambdaCounters,
    /// Billable requests (invocations, errors included, throttles excluded).
    pub(super) requests: u64,
    /// Billed memory times duration, MB-milliseconds.
    mb_ms: u64,
    /// Asynchronous events not finished yet.
    async_pending: u64,
    /// Consumer slots of this function's event source mappings.
    pub(super) event_sources: Vec<u32>,
}

impl LambdaRt {
    pub(super) fn new(component: ComponentId, spec: LambdaSpec) -> LambdaRt {
        LambdaRt {
            component,
            spec,
            running: 0,
            period_peak: 0,
            warm: VecDeque::new(),
            cold_starts: 0,
            period: LambdaCounters::default(),
            total: LambdaCounters::default(),
            requests: 0,
            mb_ms: 0,
            async_pending: 0,
            event_sources: Vec::new(),
        }
    }

    fn gb_seconds(&self) -> f64 {
        self.mb_ms as f64 / 1024.0 / 1000.0
    }

    fn price_per_gb_second(&self) -> f64 {
        match self.spec.architecture {
            Architecture::X86_64 => lambda_limits::PRICE_PER_GB_SECOND_X86,
            Architecture::Arm64 => lambda_limits::PRICE_PER_GB_SECOND_ARM,
        }
    }
}

/// Who waits for an invocation's end.
#[derive(Clone, Copy, Debug)]
pub(super) enum Origin {
    EventSource {
        consumer: u32,
        worker: u32,
        generation: u32,
    },
    Async {
        event: u32,
    },
    /// An API Gateway request waiting for the answer.
    Sync {
        request: u32,
        epoch: u32,
    },
    /// A state machine's Task state (`lambda:invoke` or the function's ARN), synchronous:
    /// the key of its wait in the state machines' table.
    Task {
        key: u32,
    },
}

impl Origin {
    fn mode(self) -> InvocationMode {
        match self {
            Origin::EventSource { .. } => InvocationMode::EventSourceMapping,
            Origin::Async { .. } => InvocationMode::Asynchronous,
            Origin::Sync { .. } | Origin::Task { .. } => InvocationMode::Synchronous,
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Invocation {
    lambda: u32,
    origin: Origin,
    outcome: LambdaOutcome,
    records: u32,
    failed_records: u32,
    duration: SimDuration,
    billed: SimDuration,
    message: Option<u64>,
    reserved: bool,
    live: bool,
    epoch: u32,
}

/// An event in a function's asynchronous queue.
#[derive(Clone, Debug)]
pub(super) struct AsyncEvent {
    lambda: u32,
    message: u64,
    source: ComponentId,
    size: u32,
    /// The notification's body, when the publisher gave one (the handler's input).
    body: Option<Rc<str>>,
    received_at: SimTime,
    /// Function errors and timeouts so far.
    failures: u32,
    throttles: u32,
    live: bool,
    epoch: u32,
}

/// Where every asynchronous event is: `received == succeeded + to_destination + dropped +
/// pending`; and every invocation started has ended or is running.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LambdaCensus {
    pub async_received: u64,
    pub async_succeeded: u64,
    /// Sent to an `OnFailure` destination or a dead-letter queue.
    pub async_to_destination: u64,
    pub async_dropped: u64,
    pub async_pending: u64,
    pub invocations_started: u64,
    pub invocations_completed: u64,
    pub invocations_running: u64,
    pub throttles: u64,
}

impl LambdaCensus {
    /// True when every event and invocation is accounted for exactly once.
    pub fn balanced(&self) -> bool {
        self.async_received
            == self.async_succeeded
                + self.async_to_destination
                + self.async_dropped
                + self.async_pending
            && self.invocations_started == self.invocations_completed + self.invocations_running
    }
}

/// Live numbers of a Lambda function.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LambdaStats {
    pub running: u32,
    /// Idle environments still warm.
    pub warm: u32,
    /// The most this function may run at once now (reserved, or what the account leaves).
    pub concurrency_limit: u32,
    pub invocations: u64,
    pub errors: u64,
    pub throttles: u64,
    pub cold_starts: u64,
    pub async_pending: u64,
    /// Concurrent batches the event source mappings aim for, together.
    pub event_source_batches: u32,
    pub mean_duration_ms: f64,
    pub gb_seconds: f64,
    pub requests: u64,
    pub cost_usd: f64,
}

impl Simulation {
    /// Builds the consumer slots that poll for the event source mappings.
    pub(super) fn build_event_sources(&mut self, queue_index: &[u32]) {
        for lambda in 0..self.lambdas.len() {
            let l = &self.lambdas[lambda];
            let component = l.component;
            let sources = l.spec.event_sources.clone();
            for (esm, spec) in sources.iter().enumerate() {
                let queue = queue_index.get(spec.source).copied().unwrap_or(NONE);
                if queue == NONE {
                    continue;
                }
                let initial = initial_batches(spec);
                let consumer = self.consumers.len() as u32;
                let poll_lane = self.events.add_lane();
                self.consumers.push(ConsumerRt {
                    component,
                    spec: ConsumerSpec {
                        source: spec.source,
                        target: None,
                        workers: initial,
                        wait_time_seconds: Some(20),
                        max_number_of_messages: spec.batch_size,
                        visibility_timeout: None,
                        processing_time: crate::rng::Distribution::Constant { value: 0.0 },
                        failure_probability: 0.0,
                        heartbeat: None,
                        delete_mode: DeleteMode::PerBatch,
                        empty_receive_pause: ESM_THROTTLE_BACKOFF,
                        auto_scaling: None,
                    },
                    queue,
                    workers: Vec::new(),
                    poll_lane,
                    paused: false,
                    processed: 0,
                    failed: 0,
                    deleted: 0,
                    period_processed: 0,
                    period_failed: 0,
                    period_latency: LatencyHistogram::new(),
                    total_latency: LatencyHistogram::new(),
                    active: 0,
                    lambda: lambda as u32,
                    event_source: esm as u32,
                    throttled_since_scale: 0,
                    last_scaling: None,
                });
                self.lambdas[lambda].event_sources.push(consumer);
            }
        }
        if self.consumers.iter().any(|c| c.lambda != NONE) {
            self.events.schedule(
                SimTime::ZERO.saturating_add(ESM_SCALE_PERIOD),
                Event::EsmScale,
            );
        }
    }

    fn esm_spec(&self, consumer: u32) -> &EventSourceMappingSpec {
        let c = &self.consumers[consumer as usize];
        &self.lambdas[c.lambda as usize].spec.event_sources[c.event_source as usize]
    }

    /// A poller got messages: wait for the batching window to fill the batch, or invoke.
    pub(super) fn esm_batch_received(&mut self, consumer: u32, worker: u32) {
        let spec = self.esm_spec(consumer).clone();
        let c = &mut self.consumers[consumer as usize];
        let queue = c.queue;
        let w = &mut c.workers[worker as usize];
        w.state = WorkerState::Processing;
        w.position = 0;
        w.generation += 1;
        let generation = w.generation;
        let held = w.batch.len() as u32;
        // ReceiveMessage returns at most 10 messages: a bigger batch took more calls.
        self.queues[queue as usize].requests += u64::from(held.div_ceil(10).saturating_sub(1));
        if held < spec.batch_size && spec.maximum_batching_window_seconds > 0 {
            let at = self.now.saturating_add(SimDuration::from_secs(u64::from(
                spec.maximum_batching_window_seconds,
            )));
            self.events.schedule(
                at,
                Event::EsmWindowEnd {
                    consumer,
                    worker,
                    generation,
                },
            );
            return;
        }
        self.esm_invoke(consumer, worker);
    }

    /// The batching window ended: take what else is visible (up to `BatchSize`) and invoke.
    pub(super) fn on_esm_window_end(&mut self, consumer: u32, worker: u32, generation: u32) {
        if !self.worker_current(consumer, worker, generation) {
            return;
        }
        let batch_size = self.esm_spec(consumer).batch_size as usize;
        let c = &self.consumers[consumer as usize];
        let (queue, component) = (c.queue, c.component);
        let held = c.workers[worker as usize].batch.len();
        if held < batch_size {
            let visibility = self.queues[queue as usize].spec.visibility_timeout;
            let mut more = std::mem::take(&mut self.scratch);
            more.clear();
            // A failed receive (FIFO throttling) leaves the batch as it is.
            let _ = self.receive(
                queue,
                component,
                batch_size - held,
                visibility,
                false,
                true,
                &mut more,
            );
            let added = more.len() as u64;
            self.queues[queue as usize].requests += added.div_ceil(10).saturating_sub(1);
            self.consumers[consumer as usize].workers[worker as usize]
                .batch
                .append(&mut more);
            self.scratch = more;
        }
        self.esm_invoke(consumer, worker);
    }

    fn esm_invoke(&mut self, consumer: u32, worker: u32) {
        let c = &self.consumers[consumer as usize];
        let lambda = c.lambda;
        let queue = c.queue;
        let w = &c.workers[worker as usize];
        let generation = w.generation;
        let records = w.batch.len() as u32;
        let first = w.batch.first().map(|t| self.msgs[t.slot as usize].id);
        let source = Some(self.queues[queue as usize].component);
        let report_failures = self.esm_spec(consumer).report_batch_item_failures;
        let origin = Origin::EventSource {
            consumer,
            worker,
            generation,
        };
        match self.lambda_start(lambda, origin, records, first, source, report_failures) {
            Ok(invocation) => {
                // Which records the handler fails, drawn at the start.
                let failed = self.invocations[invocation as usize].failed_records;
                let outcome = self.invocations[invocation as usize].outcome;
                let w = &mut self.consumers[consumer as usize].workers[worker as usize];
                let mut left = failed;
                for taken in w.batch.iter_mut() {
                    taken.succeeded = outcome == LambdaOutcome::Success;
                }
                // The failed records are spread over the batch by the draw order.
                for taken in w.batch.iter_mut().rev() {
                    if left == 0 {
                        break;
                    }
                    if taken.succeeded {
                        taken.succeeded = false;
                        left -= 1;
                    }
                }
            }
            Err(_) => {
                // The batch stays in flight; its messages return after the visibility timeout.
                let c = &mut self.consumers[consumer as usize];
                c.throttled_since_scale += 1;
                let w = &mut c.workers[worker as usize];
                w.batch.clear();
                w.state = WorkerState::Idle;
                w.generation += 1;
                let generation = w.generation;
                self.events.schedule(
                    self.now.saturating_add(ESM_THROTTLE_BACKOFF),
                    Event::WorkerPoll {
                        consumer,
                        worker,
                        generation,
                    },
                );
            }
        }
    }

    /// Starts one invocation if concurrency allows. Returns the invocation's slot, or the
    /// throttle `Reason`.
    pub(super) fn lambda_start(
        &mut self,
        lambda: u32,
        origin: Origin,
        records: u32,
        message: Option<u64>,
        source: Option<ComponentId>,
        report_failures: bool,
    ) -> Result<u32, &'static str> {
        let mode = origin.mode();
        let l = &self.lambdas[lambda as usize];
        let component = l.component;
        let reserved = l.spec.reserved_concurrent_executions;
        let refused = match reserved {
            Some(limit) => {
                (l.running >= limit).then_some("ReservedFunctionConcurrentInvocationLimitExceeded")
            }
            None => (self.lambda_unreserved_running >= self.lambda_unreserved_pool())
                .then_some("ConcurrentInvocationLimitExceeded"),
        };
        if let Some(reason) = refused {
            let l = &mut self.lambdas[lambda as usize];
            l.period.throttles += 1;
            l.total.throttles += 1;
            self.lambda_census.throttles += 1;
            let retry_at = match origin {
                Origin::EventSource { .. } => Some(self.now.saturating_add(ESM_THROTTLE_BACKOFF)),
                Origin::Async { .. } | Origin::Sync { .. } | Origin::Task { .. } => None,
            };
            // Asynchronous throttles are recorded with their retry by the caller.
            if !matches!(origin, Origin::Async { .. }) {
                self.record(
                    component,
                    message,
                    TraceKind::LambdaThrottled {
                        source,
                        mode,
                        reason,
                        retry_at,
                    },
                );
            }
            return Err(reason);
        }
        let rng = &mut self.lambda_rng;
        let l = &mut self.lambdas[lambda as usize];
        // Environments idle for longer than the keep-warm time are gone.
        let keep = l.spec.keep_warm;
        while l
            .warm
            .front()
            .is_some_and(|&idle_since| self.now.since(idle_since) > keep)
        {
            l.warm.pop_front();
        }
        let cold_start = if l.warm.pop_back().is_some() {
            None
        } else {
            l.cold_starts += 1;
            let seconds = l.spec.init_duration.sample(rng).min(MAX_INIT_SECONDS);
            Some(SimDuration::from_secs_f64(seconds))
        };
        let handler = SimDuration::from_secs_f64(l.spec.duration.sample(rng));
        let timeout = SimDuration::from_secs(u64::from(l.spec.timeout));
        let (outcome, duration, failed_records) = if handler > timeout {
            (LambdaOutcome::TimedOut, timeout, records)
        } else {
            let p = l.spec.error_probability;
            let failed = if p > 0.0 {
                (0..records).filter(|_| rng.chance(p)).count() as u32
            } else {
                0
            };
            if failed > 0 && !report_failures {
                (LambdaOutcome::FunctionError, handler, failed)
            } else {
                (LambdaOutcome::Success, handler, failed)
            }
        };
        let init = cold_start.unwrap_or(SimDuration::ZERO);
        let billed_ms = (init.as_micros() + duration.as_micros())
            .div_ceil(1_000)
            .max(1);
        let billed = SimDuration::from_millis(billed_ms);
        l.mb_ms = l
            .mb_ms
            .saturating_add(billed_ms.saturating_mul(u64::from(l.spec.memory_size)));
        l.requests += 1;
        l.running += 1;
        l.period_peak = l.period_peak.max(l.running);
        l.period.invocations += 1;
        l.total.invocations += 1;
        if reserved.is_none() {
            self.lambda_unreserved_running += 1;
        }
        self.lambda_census.invocations_started += 1;
        self.lambda_census.invocations_running += 1;
        let invocation = Invocation {
            lambda,
            origin,
            outcome,
            records,
            failed_records,
            duration,
            billed,
            message,
            reserved: reserved.is_some(),
            live: true,
            epoch: 0,
        };
        let slot = match self.free_invocations.pop() {
            Some(slot) => {
                let epoch = self.invocations[slot as usize].epoch.wrapping_add(1);
                self.invocations[slot as usize] = Invocation {
                    epoch,
                    ..invocation
                };
                slot
            }
            None => {
                self.invocations.push(invocation);
                self.invocations.len() as u32 - 1
            }
        };
        let epoch = self.invocations[slot as usize].epoch;
        self.record(
            component,
            message,
            TraceKind::LambdaInvoked {
                source,
                mode,
                records,
                cold_start,
            },
        );
        let done = self.now.saturating_add(init).saturating_add(duration);
        self.events.schedule(
            done,
            Event::LambdaDone {
                invocation: slot,
                epoch,
            },
        );
        Ok(slot)
    }

    /// Concurrency the functions without a reservation share.
    fn lambda_unreserved_pool(&self) -> u32 {
        let reserved: u32 = self
            .lambdas
            .iter()
            .filter_map(|l| l.spec.reserved_concurrent_executions)
            .fold(0u32, |sum, r| sum.saturating_add(r));
        self.model
            .lambda_account_concurrency
            .saturating_sub(reserved)
    }

    /// The function's `Timeout`, seconds.
    pub(super) fn lambda_timeout_seconds(&self, lambda: u32) -> u32 {
        self.lambdas[lambda as usize].spec.timeout
    }

    pub(super) fn on_lambda_done(&mut self, slot: u32, epoch: u32) {
        let Some(mut invocation) = self
            .invocations
            .get(slot as usize)
            .filter(|i| i.live && i.epoch == epoch)
            .cloned()
        else {
            return;
        };
        if invocation.outcome == LambdaOutcome::Success {
            let target = self.lambdas[invocation.lambda as usize]
                .spec
                .start_execution;
            if let Some(Slot::Machine(machine)) = target.and_then(|t| self.slots.get(t).copied()) {
                let (outcome, failed_records) = self.lambda_handler_starts(&invocation, machine);
                invocation.outcome = outcome;
                invocation.failed_records = failed_records;
            }
        }
        let i = &mut self.invocations[slot as usize];
        i.live = false;
        i.epoch = i.epoch.wrapping_add(1);
        self.free_invocations.push(slot);
        let l = &mut self.lambdas[invocation.lambda as usize];
        l.running -= 1;
        l.warm.push_back(self.now);
        let failed = invocation.outcome != LambdaOutcome::Success;
        let duration_ms = invocation.duration.as_secs_f64() * 1_000.0;
        for counters in [&mut l.period, &mut l.total] {
            counters.completed += 1;
            counters.duration_ms_sum += duration_ms;
            if failed {
                counters.errors += 1;
            }
        }
        let component = l.component;
        if !invocation.reserved {
            self.lambda_unreserved_running -= 1;
        }
        self.lambda_census.invocations_completed += 1;
        self.lambda_census.invocations_running -= 1;
        let mode = invocation.origin.mode();
        self.record(
            component,
            invocation.message,
            TraceKind::LambdaCompleted {
                mode,
                outcome: invocation.outcome,
                records: invocation.records,
                failed_records: invocation.failed_records,
                duration: invocation.duration,
                billed: invocation.billed,
            },
        );
        match invocation.origin {
            Origin::EventSource {
                consumer,
                worker,
                generation,
            } => {
                if self.worker_current(consumer, worker, generation) {
                    self.esm_batch_done(consumer, worker);
                }
            }
            Origin::Async { event } => self.async_done(event, invocation.outcome),
            Origin::Sync { request, epoch } => {
                self.api_lambda_done(request, epoch, invocation.outcome)
            }
            Origin::Task { key } => {
                self.sfn_lambda_done(key, invocation.outcome, invocation.lambda)
            }
        }
    }

    /// The handler's own `StartExecution` calls, made as it ends: one per record it handled
    /// (the SNS message, each SQS record that succeeded, the API request, the Task's
    /// payload), with the record's body as input (JSON when it parses, else a string; its
    /// id and size when it has no body). A refused call (`ThrottlingException`, the state
    /// machine's start quota) throws in the handler, which then ends in a function error:
    /// SNS retries the event, API Gateway answers 502, a Task state sees `Error`. In an SQS
    /// batch the handler reports that record as failed with `ReportBatchItemFailures`; without
    /// it the whole batch fails and comes back, though the executions already started for
    /// its first records stay started (the at-least-once trap AWS warns about).
    /// Returns the invocation's outcome and failed records after the calls.
    fn lambda_handler_starts(
        &mut self,
        invocation: &Invocation,
        machine: u32,
    ) -> (LambdaOutcome, u32) {
        let by = Some(self.lambdas[invocation.lambda as usize].component);
        let unchanged = (invocation.outcome, invocation.failed_records);
        let input = match invocation.origin {
            Origin::EventSource {
                consumer,
                worker,
                generation,
            } => {
                if !self.worker_current(consumer, worker, generation) {
                    return unchanged;
                }
                let report = self.esm_spec(consumer).report_batch_item_failures;
                let mut batch = std::mem::take(
                    &mut self.consumers[consumer as usize].workers[worker as usize].batch,
                );
                let mut outcome = invocation.outcome;
                for index in 0..batch.len() {
                    if !batch[index].succeeded {
                        continue;
                    }
                    let input = self.message_input(batch[index].slot);
                    if self.start_execution(machine, input, by, None).is_err() {
                        if report {
                            batch[index].succeeded = false;
                        } else {
                            batch.iter_mut().for_each(|taken| taken.succeeded = false);
                            outcome = LambdaOutcome::FunctionError;
                            break;
                        }
                    }
                }
                let failed = batch.iter().filter(|taken| !taken.succeeded).count() as u32;
                self.consumers[consumer as usize].workers[worker as usize].batch = batch;
                return (outcome, failed);
            }
            Origin::Async { event } => {
                let Some(e) = self.async_events.get(event as usize).filter(|e| e.live) else {
                    return unchanged;
                };
                match &e.body {
                    Some(body) => body_value(body),
                    None => bodiless_input(e.message, e.size),
                }
            }
            Origin::Sync { request, .. } => request_input(request),
            Origin::Task { key } => self.sfn_lambda_payload(key),
        };
        match self.start_execution(machine, input, by, None) {
            Ok(_) => unchanged,
            Err(_) => (LambdaOutcome::FunctionError, invocation.records),
        }
    }

    /// The function returned for a batch: delete what succeeded in one call per 10 records.
    fn esm_batch_done(&mut self, consumer: u32, worker: u32) {
        let c = &self.consumers[consumer as usize];
        let (queue, component) = (c.queue, c.component);
        let batch =
            std::mem::take(&mut self.consumers[consumer as usize].workers[worker as usize].batch);
        let succeeded = batch.iter().filter(|t| t.succeeded).count() as u64;
        let failed = batch.len() as u64 - succeeded;
        let c = &mut self.consumers[consumer as usize];
        c.processed += succeeded;
        c.period_processed += succeeded;
        c.failed += failed;
        c.period_failed += failed;
        let queue_component = self.queues[queue as usize].component;
        for taken in batch.iter().filter(|t| !t.succeeded) {
            let id = self.msgs[taken.slot as usize].id;
            self.record(
                queue_component,
                Some(id),
                TraceKind::ProcessingFailed {
                    consumer: component,
                },
            );
        }
        self.delete_succeeded(consumer, &batch);
        self.consumers[consumer as usize].workers[worker as usize].batch = batch;
        self.worker_poll(consumer, worker);
    }

    /// Every second: each event source mapping adds batches while messages wait (300 per
    /// minute), falls back when the queue is empty, and backs off when throttled.
    pub(super) fn on_esm_scale(&mut self) {
        for consumer in 0..self.consumers.len() as u32 {
            let c = &self.consumers[consumer as usize];
            if c.lambda == NONE {
                continue;
            }
            let spec = self.esm_spec(consumer);
            let cap = spec
                .maximum_concurrency
                .unwrap_or(lambda_limits::ESM_MAX_CONCURRENCY)
                .min(lambda_limits::ESM_MAX_CONCURRENCY);
            let floor = lambda_limits::ESM_INITIAL_CONCURRENCY.min(cap);
            let step = lambda_limits::ESM_SCALE_UP_PER_MINUTE
                * ESM_SCALE_PERIOD.as_micros().max(1) as u32
                / 60_000_000;
            let current = c.spec.workers;
            let busy = c
                .workers
                .iter()
                .filter(|w| w.state == WorkerState::Processing)
                .count() as u32;
            let visible = self.queues[c.queue as usize].visible;
            let (wanted, why) = esm_scaling_decision(EsmScaling {
                current,
                busy,
                visible,
                throttled: c.throttled_since_scale,
                floor,
                cap,
                step: step.max(1),
            });
            let queue_component = self.queues[c.queue as usize].component;
            let component = c.component;
            self.consumers[consumer as usize].throttled_since_scale = 0;
            if wanted == current {
                continue;
            }
            self.consumers[consumer as usize].spec.workers = wanted;
            if wanted > current {
                self.add_workers(consumer, wanted - current);
            } else {
                self.retire_workers(consumer, wanted);
            }
            self.record(
                component,
                None,
                TraceKind::EventSourceScaled {
                    queue: queue_component,
                    from: current,
                    to: wanted,
                    why,
                },
            );
        }
        self.events
            .schedule(self.now.saturating_add(ESM_SCALE_PERIOD), Event::EsmScale);
    }

    // ----- asynchronous invocation -----------------------------------------------------------

    /// SNS hands a notification to the function's asynchronous queue (it always accepts).
    pub(super) fn lambda_accept_async(
        &mut self,
        lambda: u32,
        message: u64,
        source: ComponentId,
        size: u32,
        body: Option<Rc<str>>,
    ) {
        let l = &mut self.lambdas[lambda as usize];
        l.period.async_received += 1;
        l.total.async_received += 1;
        l.async_pending += 1;
        self.lambda_census.async_received += 1;
        self.lambda_census.async_pending += 1;
        let event = AsyncEvent {
            lambda,
            message,
            source,
            size,
            body,
            received_at: self.now,
            failures: 0,
            throttles: 0,
            live: true,
            epoch: 0,
        };
        let slot = match self.free_async_events.pop() {
            Some(slot) => {
                let epoch = self.async_events[slot as usize].epoch.wrapping_add(1);
                self.async_events[slot as usize] = AsyncEvent { epoch, ..event };
                slot
            }
            None => {
                self.async_events.push(event);
                self.async_events.len() as u32 - 1
            }
        };
        self.async_attempt(slot);
    }

    pub(super) fn on_async_attempt(&mut self, event: u32, epoch: u32) {
        if self
            .async_events
            .get(event as usize)
            .is_some_and(|e| e.live && e.epoch == epoch)
        {
            self.async_attempt(event);
        }
    }

    fn async_attempt(&mut self, event: u32) {
        let e = &self.async_events[event as usize];
        let (lambda, message, source) = (e.lambda, e.message, e.source);
        let origin = Origin::Async { event };
        let reason = match self.lambda_start(lambda, origin, 1, Some(message), Some(source), false)
        {
            Ok(_) => return,
            Err(reason) => reason,
        };
        // Throttled: back to the internal queue, tried again with an exponential back-off.
        let e = &mut self.async_events[event as usize];
        e.throttles += 1;
        let at = self.now.saturating_add(async_throttle_backoff(e.throttles));
        let (received_at, epoch) = (e.received_at, e.epoch);
        let l = &self.lambdas[lambda as usize];
        let max_age = SimDuration::from_secs(u64::from(l.spec.maximum_event_age_seconds));
        let component = l.component;
        let retry_at = (at.since(received_at) <= max_age).then_some(at);
        self.record(
            component,
            Some(message),
            TraceKind::LambdaThrottled {
                source: Some(source),
                mode: InvocationMode::Asynchronous,
                reason,
                retry_at,
            },
        );
        match retry_at {
            Some(at) => self
                .events
                .schedule(at, Event::AsyncAttempt { event, epoch }),
            None => self.async_give_up(
                event,
                "MaximumEventAgeInSeconds passed while throttled".into(),
            ),
        }
    }

    fn async_done(&mut self, event: u32, outcome: LambdaOutcome) {
        let Some(e) = self.async_events.get(event as usize).filter(|e| e.live) else {
            return;
        };
        let lambda = e.lambda;
        if outcome == LambdaOutcome::Success {
            self.async_release(event);
            self.lambda_census.async_succeeded += 1;
            return;
        }
        let spec = &self.lambdas[lambda as usize].spec;
        let retries = spec.maximum_retry_attempts;
        let max_age = SimDuration::from_secs(u64::from(spec.maximum_event_age_seconds));
        let component = self.lambdas[lambda as usize].component;
        let e = &mut self.async_events[event as usize];
        e.failures += 1;
        let failures = e.failures;
        let message = e.message;
        if failures > retries {
            let reason = format!(
                "{} attempts failed; MaximumRetryAttempts is {retries}",
                failures
            );
            self.async_give_up(event, reason);
            return;
        }
        let delay = lambda_limits::ASYNC_RETRY_DELAYS_SECONDS
            .get(failures as usize - 1)
            .copied()
            .unwrap_or(120);
        let at = self.now.saturating_add(SimDuration::from_secs(delay));
        if at.since(e.received_at) > max_age {
            self.async_give_up(
                event,
                "the next retry would pass MaximumEventAgeInSeconds".into(),
            );
            return;
        }
        let epoch = e.epoch;
        self.record(
            component,
            Some(message),
            TraceKind::AsyncRetryScheduled {
                attempt: failures + 1,
                at,
                outcome,
            },
        );
        self.events
            .schedule(at, Event::AsyncAttempt { event, epoch });
    }

    fn async_release(&mut self, event: u32) -> AsyncEvent {
        let e = &mut self.async_events[event as usize];
        e.live = false;
        e.epoch = e.epoch.wrapping_add(1);
        let released = e.clone();
        self.free_async_events.push(event);
        let l = &mut self.lambdas[released.lambda as usize];
        l.async_pending -= 1;
        self.lambda_census.async_pending -= 1;
        released
    }

    /// The event failed for good: to the `OnFailure` destination, else the dead-letter
    /// queue, else dropped.
    fn async_give_up(&mut self, event: u32, reason: String) {
        let e = self.async_release(event);
        let lambda = e.lambda as usize;
        let component = self.lambdas[lambda].component;
        let spec = &self.lambdas[lambda].spec;
        let target = spec.on_failure.or(spec.dead_letter);
        let delivered = match target.and_then(|t| self.slots.get(t).copied()) {
            Some(Slot::Queue(queue)) => {
                let outgoing = Outgoing {
                    producer: component as u32,
                    via: NONE,
                    size: e.size,
                    group: NONE,
                    dedup_id: None,
                    explicit_dedup: false,
                    delay_seconds: None,
                    extra: None,
                };
                self.enqueue_new(queue, outgoing).is_ok()
            }
            Some(Slot::Topic(topic)) => {
                let publication = sns::Publication {
                    producer: component as u32,
                    size: u64::from(e.size),
                    group: NONE,
                    dedup_id: None,
                    attributes: std::rc::Rc::default(),
                    body: None,
                };
                self.publish(topic, publication).is_ok()
            }
            _ => false,
        };
        let l = &mut self.lambdas[lambda];
        if delivered {
            self.lambda_census.async_to_destination += 1;
        } else {
            l.period.async_dropped += 1;
            l.total.async_dropped += 1;
            self.lambda_census.async_dropped += 1;
        }
        self.record(
            component,
            Some(e.message),
            TraceKind::AsyncEventFailed {
                to: target.filter(|_| delivered),
                reason,
            },
        );
    }

    // ----- reports ---------------------------------------------------------------------------

    /// Where every asynchronous event and every invocation is.
    pub fn lambda_census(&self) -> LambdaCensus {
        self.lambda_census
    }

    pub(super) fn check_lambda_invariants(&self) -> Result<(), String> {
        if !self.lambda_census.balanced() {
            return Err(format!(
                "Lambda census out of balance: {:?}",
                self.lambda_census
            ));
        }
        let running: u64 = self.lambdas.iter().map(|l| u64::from(l.running)).sum();
        let live = self.invocations.iter().filter(|i| i.live).count() as u64;
        if running != live || running != self.lambda_census.invocations_running {
            return Err(format!(
                "functions say {running} invocations run, {live} are held, the census says {}",
                self.lambda_census.invocations_running
            ));
        }
        // Counted from the invocations: a reservation changed while running applies to the
        // invocations started after the change.
        let unreserved = self
            .invocations
            .iter()
            .filter(|i| i.live && !i.reserved)
            .count() as u32;
        if unreserved != self.lambda_unreserved_running {
            return Err(format!(
                "{unreserved} unreserved invocations run, counted {}",
                self.lambda_unreserved_running
            ));
        }
        for l in &self.lambdas {
            if let Some(limit) = l.spec.reserved_concurrent_executions {
                if l.running > limit {
                    return Err(format!(
                        "{} runs {} invocations with {limit} reserved",
                        self.component_name(l.component),
                        l.running
                    ));
                }
            }
            let pending = self
                .async_events
                .iter()
                .filter(|e| e.live && self.lambdas[e.lambda as usize].component == l.component)
                .count() as u64;
            if pending != l.async_pending {
                return Err(format!(
                    "{}: {} asynchronous events counted, {pending} held",
                    self.component_name(l.component),
                    l.async_pending
                ));
            }
        }
        Ok(())
    }

    pub(super) fn lambda_stats(&self, index: u32) -> LambdaStats {
        let l = &self.lambdas[index as usize];
        let warm = l
            .warm
            .iter()
            .filter(|&&idle_since| self.now.since(idle_since) <= l.spec.keep_warm)
            .count() as u32;
        let concurrency_limit = match l.spec.reserved_concurrent_executions {
            Some(limit) => limit,
            None => self.lambda_unreserved_pool(),
        };
        LambdaStats {
            running: l.running,
            warm,
            concurrency_limit,
            invocations: l.total.invocations,
            errors: l.total.errors,
            throttles: l.total.throttles,
            cold_starts: l.cold_starts,
            async_pending: l.async_pending,
            event_source_batches: l
                .event_sources
                .iter()
                .map(|&c| self.consumers[c as usize].spec.workers)
                .sum(),
            mean_duration_ms: if l.total.completed == 0 {
                0.0
            } else {
                l.total.duration_ms_sum / l.total.completed as f64
            },
            gb_seconds: l.gb_seconds(),
            requests: l.requests,
            cost_usd: self.lambda_cost(l, false),
        }
    }

    /// A function's charges; with `free_tier`, after the monthly free requests and GB-seconds
    /// (shared by all functions, so the caller applies it to the sum).
    pub(super) fn lambda_cost(&self, l: &LambdaRt, free_tier: bool) -> f64 {
        let (requests, gb_seconds) = if free_tier {
            (
                l.requests.saturating_sub(lambda_limits::FREE_REQUESTS),
                (l.gb_seconds() - lambda_limits::FREE_GB_SECONDS).max(0.0),
            )
        } else {
            (l.requests, l.gb_seconds())
        };
        requests as f64 * lambda_limits::PRICE_PER_MILLION_REQUESTS / 1_000_000.0
            + gb_seconds * l.price_per_gb_second()
    }

    /// The charges of every function, the free tier applied to their sum when asked.
    pub(super) fn lambdas_cost(&self) -> f64 {
        if !self.model.free_tier {
            return self
                .lambdas
                .iter()
                .map(|l| self.lambda_cost(l, false))
                .sum();
        }
        let requests: u64 = self.lambdas.iter().map(|l| l.requests).sum();
        let billable_requests = requests.saturating_sub(lambda_limits::FREE_REQUESTS);
        let mut free_gb_seconds = lambda_limits::FREE_GB_SECONDS;
        let mut usd =
            billable_requests as f64 * lambda_limits::PRICE_PER_MILLION_REQUESTS / 1_000_000.0;
        for l in &self.lambdas {
            let used = l.gb_seconds();
            let free = used.min(free_gb_seconds);
            free_gb_seconds -= free;
            usd += (used - free) * l.price_per_gb_second();
        }
        usd
    }

    pub(super) fn lambda_metric_samples(&mut self, now: SimTime, samples: &mut Vec<MetricSample>) {
        for index in 0..self.lambdas.len() {
            let cost = self.lambda_cost(&self.lambdas[index], false);
            let l = &mut self.lambdas[index];
            for metric in crate::metrics::LAMBDA_METRICS {
                let value = match metric {
                    Metric::Invocations => l.period.invocations as f64,
                    Metric::Errors => l.period.errors as f64,
                    Metric::Throttles => l.period.throttles as f64,
                    Metric::ConcurrentExecutions => l.period_peak as f64,
                    Metric::Duration if l.period.completed > 0 => {
                        l.period.duration_ms_sum / l.period.completed as f64
                    }
                    Metric::AsyncEventsReceived => l.period.async_received as f64,
                    Metric::AsyncEventsDropped => l.period.async_dropped as f64,
                    Metric::EstimatedCharges => cost,
                    _ => continue,
                };
                samples.push(MetricSample {
                    time: now,
                    component: l.component,
                    metric: *metric,
                    value,
                });
            }
            l.period = LambdaCounters::default();
            l.period_peak = l.running;
        }
    }

    /// A running function's settings change; its event source mappings keep their queues.
    pub(super) fn update_lambda(&mut self, index: u32, spec: LambdaSpec) {
        let l = &mut self.lambdas[index as usize];
        l.spec = spec;
        for esm in 0..l.event_sources.len() {
            let consumer = l.event_sources[esm];
            let batch_size = l.spec.event_sources[esm].batch_size;
            let c = &mut self.consumers[consumer as usize];
            c.spec.max_number_of_messages = batch_size;
        }
    }
}

fn initial_batches(spec: &EventSourceMappingSpec) -> u32 {
    lambda_limits::ESM_INITIAL_CONCURRENCY.min(
        spec.maximum_concurrency
            .unwrap_or(lambda_limits::ESM_MAX_CONCURRENCY),
    )
}

/// What an event source mapping knows when it reconsiders its concurrency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EsmScaling {
    /// Concurrent batches it aims for now.
    pub current: u32,
    /// Batches being processed (or gathered) now.
    pub busy: u32,
    /// Messages visible in the queue.
    pub visible: u32,
    /// Invocations throttled since the last decision.
    pub throttled: u32,
    /// Fewest batches (5, or `MaximumConcurrency` when lower).
    pub floor: u32,
    /// Most batches (1,000, or `MaximumConcurrency`).
    pub cap: u32,
    /// Batches added per decision (300 per minute).
    pub step: u32,
}

/// The scaling rule of an SQS event source mapping: the new concurrency and why.
pub fn esm_scaling_decision(s: EsmScaling) -> (u32, &'static str) {
    if s.throttled > 0 {
        let wanted = s.busy.max(s.floor).min(s.current);
        return (
            wanted,
            "the function is throttled: back off to the batches that run",
        );
    }
    if s.visible > 0 && s.busy >= s.current {
        return (
            s.current.saturating_add(s.step).min(s.cap),
            "messages are waiting and every batch is busy",
        );
    }
    if s.visible == 0 {
        return (s.busy.max(s.floor).min(s.current), "the queue is empty");
    }
    (s.current, "steady")
}

/// Wait before the `throttles`-th retry of a throttled asynchronous event: 1 s doubling up
/// to 5 minutes.
pub fn async_throttle_backoff(throttles: u32) -> SimDuration {
    let doublings = throttles.saturating_sub(1).min(20);
    let micros = ASYNC_THROTTLE_FIRST
        .as_micros()
        .saturating_mul(1u64 << doublings);
    SimDuration(micros.min(ASYNC_THROTTLE_MAX.as_micros()))
}
