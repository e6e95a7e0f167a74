//! Amazon AppFlow inside the simulation: a child module of `sim` with the flows, their
//! triggers and their runs.
//!
//! What it models: a flow's trigger starts runs (`StartFlow` for `OnDemand`, a batch of the
//! source's change events for `Event`, `rate(...)` from `scheduleStartTime` plus
//! `scheduleOffset` for `Scheduled`). A run reads the source's records (a full snapshot for
//! `OnDemand` and `Complete`; for `Incremental` and `Event` the records changed since the
//! last successful run, the first `Incremental` run reading the full snapshot), one API
//! call per page of `page_size` records, applies the tasks in order to every record
//! (filters drop records, validations drop them or terminate the run) and writes the rest
//! to the destination. It is `InProgress` for `run_overhead` plus one `api_call_latency`
//! per call, then ends `Successful` or `Error`. A run with more data than the connector
//! allows (100 GB, less for some connectors) ends in `Error` without reading. Consecutive
//! failed runs reach `flowErrorDeactivationThreshold` and the flow becomes `Suspended`
//! until a `StartFlow` reactivates it.
//!
//! Faults on a flow stand for its connectors: `stop` makes runs that start during the
//! window fail (the source cannot be reached); `fail` makes the destination refuse that
//! share of records, which go to the error location, or end the run in `Error` at the first
//! refusal with `failOnFirstDestinationError`.
//!
//! Simplifications: one run of a flow at a time (a trigger during a run is skipped, ⚠️ AWS
//! does not document overlapping runs of one flow); the account's 1,000 concurrent runs are
//! never reached by a scenario's flows; a run that ends in `Error` writes nothing.

use std::collections::VecDeque;

use super::{Event, Simulation};
use crate::appflow::{
    record_fate, DataPullMode, FlowSpec, RecordFate, TriggerSpec, Value, EVALUATED_RECORDS_PER_RUN,
    PRICE_PER_GB_USD, PRICE_PER_RUN_USD, RUN_HISTORY,
};
use crate::metrics::{Metric, MetricSample};
use crate::model::{ComponentId, ComponentKind, Model};
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};
use crate::trace::TraceKind;

/// A flow run's `executionStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowRunStatus {
    InProgress,
    Successful,
    Error,
}

impl FlowRunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowRunStatus::InProgress => "InProgress",
            FlowRunStatus::Successful => "Successful",
            FlowRunStatus::Error => "Error",
        }
    }
}

/// A flow's `flowStatus` (of AWS's `Active`, `Deprecated`, `Deleted`, `Draft`, `Errored`,
/// `Suspended`, the two a running flow moves between). A flow deactivated after
/// `flowErrorDeactivationThreshold` failed runs is `Suspended`, as a flow stopped by
/// `StopFlow` is (the documented reading; reference 8.1 lists the statuses without saying
/// which one deactivation gives ⚠️).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowStatus {
    Active,
    Suspended,
}

impl FlowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowStatus::Active => "Active",
            FlowStatus::Suspended => "Suspended",
        }
    }
}

/// One run, as `DescribeFlowExecutionRecords` lists it, with the fate of its records.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowRunRecord {
    pub execution_id: u32,
    /// What started it: `OnDemand`, `Event` or `Scheduled`.
    pub trigger: &'static str,
    pub started: SimTime,
    /// When it ended (for an `InProgress` run, when it will end).
    pub ends: SimTime,
    pub status: FlowRunStatus,
    /// Records read from the source (`recordsProcessed`).
    pub records_processed: u64,
    pub transferred: u64,
    pub filtered: u64,
    /// Dropped by a validation (or the one that terminated the run).
    pub invalid: u64,
    /// Refused by the destination and written to the error location.
    pub destination_failed: u64,
    /// Read by a run that ended in `Error`, not written anywhere.
    pub not_written: u64,
    /// Calls to the source's API (count against its own API limits).
    pub api_calls: u64,
    pub bytes_processed: u64,
    /// The error, for a run that ends in `Error`.
    pub message: Option<String>,
}

/// Where every record a flow read is: `generated == transferred + filtered + invalid +
/// destination_failed + not_written + pending`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlowCensus {
    pub generated: u64,
    pub transferred: u64,
    pub filtered: u64,
    pub invalid: u64,
    pub destination_failed: u64,
    pub not_written: u64,
    /// Read by the run in progress.
    pub pending: u64,
}

impl FlowCensus {
    pub fn accounted(&self) -> u64 {
        self.transferred
            + self.filtered
            + self.invalid
            + self.destination_failed
            + self.not_written
            + self.pending
    }
}

/// A flow's counters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlowStats {
    pub flow_status: Option<FlowStatus>,
    pub runs_started: u64,
    pub runs_succeeded: u64,
    pub runs_failed: u64,
    /// Triggers that found a run in progress, or the flow suspended.
    pub triggers_skipped: u64,
    pub consecutive_failures: u32,
    pub last_run: Option<FlowRunStatus>,
    pub last_records_processed: u64,
    pub census: FlowCensus,
    pub api_calls: u64,
    pub bytes_processed: u64,
    pub cost_usd: f64,
}

#[derive(Clone, Debug)]
pub(super) struct FlowRt {
    component: ComponentId,
    spec: FlowSpec,
    status: FlowStatus,
    current: Option<FlowRunRecord>,
    history: VecDeque<FlowRunRecord>,
    next_execution: u32,
    /// Trigger events scheduled and not yet handled (a flow waiting for one is not settled).
    pending_triggers: u32,
    /// Start of the last successful run: where the next incremental pull begins.
    last_success: Option<SimTime>,
    stats: FlowStats,
    period_started: u64,
    period_failed: u64,
    period_succeeded: u64,
    period_records: u64,
    period_time_ms: f64,
    period_ended: u64,
}

#[derive(Clone, Debug)]
pub(super) struct AppFlowRt {
    flows: Vec<FlowRt>,
    /// Flow index per component, or None.
    flow_of: Vec<Option<u32>>,
    rng: SimRng,
}

/// What a trigger event is.
pub(super) const TRIGGER_SCHEDULE: u8 = 0;
pub(super) const TRIGGER_EVENT_BATCH: u8 = 1;
pub(super) const TRIGGER_START_FLOW: u8 = 2;

impl AppFlowRt {
    pub(super) fn new(model: &Model) -> AppFlowRt {
        let mut flows = Vec::new();
        let mut flow_of = vec![None; model.components.len()];
        for (id, component) in model.components.iter().enumerate() {
            if let ComponentKind::Flow(spec) = &component.kind {
                flow_of[id] = Some(flows.len() as u32);
                flows.push(FlowRt {
                    component: id,
                    spec: spec.clone(),
                    status: FlowStatus::Active,
                    current: None,
                    history: VecDeque::new(),
                    next_execution: 1,
                    pending_triggers: 0,
                    last_success: None,
                    stats: FlowStats::default(),
                    period_started: 0,
                    period_failed: 0,
                    period_succeeded: 0,
                    period_records: 0,
                    period_time_ms: 0.0,
                    period_ended: 0,
                });
            }
        }
        AppFlowRt {
            flows,
            flow_of,
            rng: SimRng::seed_from_u64(model.seed ^ 0x4150_5046_4c4f_5753),
        }
    }

    pub(super) fn flow_index(&self, component: ComponentId) -> Option<u32> {
        self.flow_of.get(component).copied().flatten()
    }
}

/// Records changed by `at` at `per_minute`, counted from time zero (whole records).
fn changes_until(per_minute: f64, at: SimTime) -> u64 {
    libm::floor(per_minute * at.as_micros() as f64 / 60_000_000.0).max(0.0) as u64
}

impl Simulation {
    /// Schedules every flow's first trigger and its `StartFlow` calls.
    pub(super) fn appflow_start(&mut self) {
        for flow in 0..self.appflow.flows.len() {
            let f = &self.appflow.flows[flow];
            let mut first = Vec::new();
            match &f.spec.trigger {
                TriggerSpec::OnDemand => {}
                TriggerSpec::Event { batch_window } => {
                    first.push((
                        SimTime::ZERO.saturating_add(*batch_window),
                        TRIGGER_EVENT_BATCH,
                    ));
                }
                TriggerSpec::Scheduled(schedule) => {
                    let at = SimTime::ZERO
                        .saturating_add(schedule.start)
                        .saturating_add(schedule.offset);
                    if schedule
                        .end
                        .is_none_or(|end| at < SimTime::ZERO.saturating_add(end))
                    {
                        first.push((at, TRIGGER_SCHEDULE));
                    }
                }
            }
            for at in &f.spec.start_flow_at {
                first.push((SimTime::ZERO.saturating_add(*at), TRIGGER_START_FLOW));
            }
            for (at, what) in first {
                self.schedule_flow_trigger(flow as u32, at, what);
            }
        }
    }

    /// Schedules a trigger event of a flow and counts it as pending.
    fn schedule_flow_trigger(&mut self, flow: u32, at: SimTime, what: u8) {
        if let Some(f) = self.appflow.flows.get_mut(flow as usize) {
            f.pending_triggers += 1;
            self.events.schedule(at, Event::FlowTrigger { flow, what });
        }
    }

    pub(super) fn on_flow_trigger(&mut self, flow: u32, what: u8) {
        let Some(f) = self.appflow.flows.get_mut(flow as usize) else {
            return;
        };
        f.pending_triggers = f.pending_triggers.saturating_sub(1);
        let now = self.now;
        match (what, &f.spec.trigger) {
            (TRIGGER_SCHEDULE, TriggerSpec::Scheduled(schedule)) => {
                let next = now.saturating_add(schedule.interval);
                let more = schedule
                    .end
                    .is_none_or(|end| next < SimTime::ZERO.saturating_add(end));
                let suspended = f.status == FlowStatus::Suspended;
                if more {
                    self.schedule_flow_trigger(flow, next, what);
                }
                if suspended {
                    self.skip_trigger(flow, "the flow is Suspended".into());
                } else {
                    self.start_flow_run(flow, "Scheduled");
                }
            }
            (TRIGGER_EVENT_BATCH, TriggerSpec::Event { batch_window }) => {
                let next = now.saturating_add(*batch_window);
                let since = f.last_success.unwrap_or(SimTime::ZERO);
                let per_minute = f.spec.records_changed_per_minute;
                let changes =
                    changes_until(per_minute, now).saturating_sub(changes_until(per_minute, since));
                let ready = changes > 0 && f.current.is_none() && f.status == FlowStatus::Active;
                self.schedule_flow_trigger(flow, next, what);
                if ready {
                    self.start_flow_run(flow, "Event");
                }
            }
            (TRIGGER_START_FLOW, _) => {
                if let Err(reason) = self.start_flow(flow) {
                    self.skip_trigger(flow, reason);
                }
            }
            _ => {}
        }
    }

    fn skip_trigger(&mut self, flow: u32, reason: String) {
        let f = &mut self.appflow.flows[flow as usize];
        f.stats.triggers_skipped += 1;
        let component = f.component;
        self.record(component, None, TraceKind::FlowTriggerSkipped { reason });
    }

    /// `StartFlow`: runs an on-demand flow now; activates a suspended scheduled or event
    /// flow (an active one stays as it is).
    pub(super) fn start_flow(&mut self, flow: u32) -> Result<(), String> {
        let f = &mut self.appflow.flows[flow as usize];
        match f.spec.trigger {
            TriggerSpec::OnDemand => {
                if f.current.is_some() {
                    return Err("a run of this flow is in progress".into());
                }
                self.start_flow_run(flow, "OnDemand");
            }
            _ => {
                if f.status == FlowStatus::Suspended {
                    f.status = FlowStatus::Active;
                    f.stats.consecutive_failures = 0;
                    let component = f.component;
                    self.record(
                        component,
                        None,
                        TraceKind::FlowStatusChanged { status: "Active" },
                    );
                }
            }
        }
        Ok(())
    }

    fn start_flow_run(&mut self, flow: u32, trigger: &'static str) {
        let now = self.now;
        let (component, in_progress) = {
            let f = &self.appflow.flows[flow as usize];
            (f.component, f.current.is_some())
        };
        if in_progress {
            self.skip_trigger(flow, "a run of this flow is in progress".into());
            return;
        }
        let stopped = self.fault_stopped(component);
        let fail_share = self.fault_fail_share(component);
        let f = &mut self.appflow.flows[flow as usize];
        let spec = &f.spec;
        let full = match &spec.trigger {
            TriggerSpec::OnDemand => true,
            TriggerSpec::Event { .. } => false,
            TriggerSpec::Scheduled(s) => {
                s.data_pull_mode == DataPullMode::Complete || f.last_success.is_none()
            }
        };
        let wanted = if full {
            spec.records_per_run
        } else {
            let since = f.last_success.unwrap_or(SimTime::ZERO);
            changes_until(spec.records_changed_per_minute, now)
                .saturating_sub(changes_until(spec.records_changed_per_minute, since))
        };
        let bytes = wanted.saturating_mul(u64::from(spec.record_size_bytes));
        let mut run = FlowRunRecord {
            execution_id: f.next_execution,
            trigger,
            started: now,
            ends: now,
            status: FlowRunStatus::InProgress,
            records_processed: 0,
            transferred: 0,
            filtered: 0,
            invalid: 0,
            destination_failed: 0,
            not_written: 0,
            api_calls: 0,
            bytes_processed: 0,
            message: None,
        };
        f.next_execution += 1;
        let limit = spec.source.max_bytes_per_run();
        if stopped {
            run.status = FlowRunStatus::Error;
            run.message = Some(format!(
                "ConnectorServerException: {} cannot be reached (stopped by a fault)",
                spec.source.as_str()
            ));
        } else if bytes > limit {
            run.status = FlowRunStatus::Error;
            run.message = Some(format!(
                "{wanted} records of {} bytes are {bytes} bytes, above the {limit}-byte limit of data per run of {}",
                spec.record_size_bytes,
                spec.source.as_str()
            ));
        } else {
            evaluate_run(spec, wanted, fail_share, &mut self.appflow.rng, &mut run);
            run.api_calls = run
                .records_processed
                .div_ceil(u64::from(spec.page_size.max(1)))
                .max(1);
            run.bytes_processed = run
                .records_processed
                .saturating_mul(u64::from(spec.record_size_bytes));
        }
        let calls = SimDuration(
            spec.api_call_latency
                .as_micros()
                .saturating_mul(run.api_calls),
        );
        run.ends = now.saturating_add(spec.run_overhead).saturating_add(calls);
        let execution = run.execution_id;
        let records = run.records_processed;
        let ends = run.ends;
        f.stats.runs_started += 1;
        f.period_started += 1;
        f.stats.census.generated += records;
        f.stats.census.pending += records;
        f.stats.api_calls += run.api_calls;
        f.stats.bytes_processed += run.bytes_processed;
        f.stats.cost_usd += PRICE_PER_RUN_USD + run.bytes_processed as f64 / 1e9 * PRICE_PER_GB_USD;
        f.stats.last_run = Some(FlowRunStatus::InProgress);
        f.current = Some(run);
        self.record(
            component,
            None,
            TraceKind::FlowRunChanged {
                execution,
                status: "InProgress",
                records,
                reason: None,
            },
        );
        self.events
            .schedule(ends, Event::FlowRunEnd { flow, execution });
    }

    pub(super) fn on_flow_run_end(&mut self, flow: u32, execution: u32) {
        let Some(f) = self.appflow.flows.get_mut(flow as usize) else {
            return;
        };
        let Some(mut run) = f.current.take_if(|run| run.execution_id == execution) else {
            return;
        };
        if run.status == FlowRunStatus::InProgress {
            run.status = FlowRunStatus::Successful;
        }
        let census = &mut f.stats.census;
        census.pending -= run.records_processed;
        census.transferred += run.transferred;
        census.filtered += run.filtered;
        census.invalid += run.invalid;
        census.destination_failed += run.destination_failed;
        census.not_written += run.not_written;
        f.stats.last_run = Some(run.status);
        f.stats.last_records_processed = run.records_processed;
        f.period_records += run.records_processed;
        f.period_time_ms += run.ends.since(run.started).as_micros() as f64 / 1_000.0;
        f.period_ended += 1;
        let mut suspended = false;
        if run.status == FlowRunStatus::Successful {
            f.stats.runs_succeeded += 1;
            f.period_succeeded += 1;
            f.stats.consecutive_failures = 0;
            f.last_success = Some(run.started);
        } else {
            f.stats.runs_failed += 1;
            f.period_failed += 1;
            f.stats.consecutive_failures += 1;
            if let TriggerSpec::Scheduled(schedule) = &f.spec.trigger {
                if schedule
                    .deactivation_threshold
                    .is_some_and(|threshold| f.stats.consecutive_failures >= threshold)
                    && f.status == FlowStatus::Active
                {
                    f.status = FlowStatus::Suspended;
                    suspended = true;
                }
            }
        }
        let component = f.component;
        let kind = TraceKind::FlowRunChanged {
            execution,
            status: run.status.as_str(),
            records: run.records_processed,
            reason: run.message.clone(),
        };
        if f.history.len() >= RUN_HISTORY {
            f.history.pop_front();
        }
        f.history.push_back(run);
        self.record(component, None, kind);
        if suspended {
            self.record(
                component,
                None,
                TraceKind::FlowStatusChanged {
                    status: "Suspended",
                },
            );
        }
    }

    pub(super) fn flow_stats(&self, flow: u32) -> FlowStats {
        let Some(f) = self.appflow.flows.get(flow as usize) else {
            return FlowStats::default();
        };
        FlowStats {
            flow_status: Some(f.status),
            ..f.stats.clone()
        }
    }

    /// A flow's runs, oldest first (the last [`RUN_HISTORY`] ended ones, then the one in
    /// progress); empty for other components.
    pub fn flow_runs(&self, component: ComponentId) -> Vec<FlowRunRecord> {
        let Some(flow) = self.appflow.flow_index(component) else {
            return Vec::new();
        };
        let f = &self.appflow.flows[flow as usize];
        f.history.iter().chain(f.current.iter()).cloned().collect()
    }

    pub(super) fn appflow_costs(&self) -> Vec<(ComponentId, u64, f64)> {
        self.appflow
            .flows
            .iter()
            .map(|f| (f.component, f.stats.runs_started, f.stats.cost_usd))
            .collect()
    }

    pub(super) fn appflow_metric_samples(&mut self, now: SimTime, samples: &mut Vec<MetricSample>) {
        for f in &mut self.appflow.flows {
            let time = if f.period_ended == 0 {
                0.0
            } else {
                f.period_time_ms / f.period_ended as f64
            };
            for (metric, value) in [
                (Metric::FlowExecutionsStarted, f.period_started as f64),
                (Metric::FlowExecutionsFailed, f.period_failed as f64),
                (Metric::FlowExecutionsSucceeded, f.period_succeeded as f64),
                (
                    Metric::FlowExecutionRecordsProcessed,
                    f.period_records as f64,
                ),
                (Metric::FlowExecutionTime, time),
                (Metric::EstimatedCharges, f.stats.cost_usd),
            ] {
                samples.push(MetricSample {
                    time: now,
                    component: f.component,
                    metric,
                    value,
                });
            }
            f.period_started = 0;
            f.period_failed = 0;
            f.period_succeeded = 0;
            f.period_records = 0;
            f.period_time_ms = 0.0;
            f.period_ended = 0;
        }
    }

    /// Every record a flow read is transferred, filtered, invalid, refused by the
    /// destination, not written, or pending in the run in progress.
    pub(super) fn check_appflow_invariants(&self) -> Result<(), String> {
        for f in &self.appflow.flows {
            let census = f.stats.census;
            if census.generated != census.accounted() {
                return Err(format!(
                    "flow {}: {} records read, {} accounted for ({census:?})",
                    f.component,
                    census.generated,
                    census.accounted()
                ));
            }
            let pending = f.current.as_ref().map_or(0, |run| run.records_processed);
            if pending != census.pending {
                return Err(format!(
                    "flow {}: {} records pending, the run in progress read {pending}",
                    f.component, census.pending
                ));
            }
            for run in f.history.iter().chain(f.current.iter()) {
                let fates = run.transferred
                    + run.filtered
                    + run.invalid
                    + run.destination_failed
                    + run.not_written;
                if fates != run.records_processed {
                    return Err(format!(
                        "flow {} run {}: {} records read, {fates} with a fate",
                        f.component, run.execution_id, run.records_processed
                    ));
                }
            }
        }
        Ok(())
    }

    /// No run in progress and no trigger to come (a scheduled or event flow always has one
    /// until its `scheduleEndTime`).
    pub(super) fn appflow_settled(&self) -> bool {
        self.appflow
            .flows
            .iter()
            .all(|f| f.current.is_none() && f.pending_triggers == 0)
    }

    /// Census of one flow, or None for other components.
    pub fn flow_census(&self, component: ComponentId) -> Option<FlowCensus> {
        let flow = self.appflow.flow_index(component)?;
        Some(self.appflow.flows[flow as usize].stats.census)
    }
}

/// Reads `wanted` records through the tasks and the destination into `run`'s counters.
/// At most [`EVALUATED_RECORDS_PER_RUN`] are drawn; the rest follow the same proportions.
fn evaluate_run(
    spec: &FlowSpec,
    wanted: u64,
    fail_share: f64,
    rng: &mut SimRng,
    run: &mut FlowRunRecord,
) {
    let evaluated = wanted.min(EVALUATED_RECORDS_PER_RUN);
    let mut values: Vec<Value> = Vec::with_capacity(spec.fields.len());
    let mut error: Option<String> = None;
    let mut read = 0u64;
    for index in 0..evaluated {
        values.clear();
        values.extend(spec.fields.iter().map(|field| field.draw(rng)));
        read += 1;
        match record_fate(&spec.tasks, &spec.fields, &values) {
            RecordFate::Transferred => {
                if fail_share > 0.0 && rng.chance(fail_share) {
                    run.destination_failed += 1;
                    if spec.fail_on_first_destination_error {
                        error = Some(format!(
                            "the destination {} refused record {} (failOnFirstDestinationError)",
                            spec.destination.as_str(),
                            index + 1
                        ));
                        break;
                    }
                } else {
                    run.transferred += 1;
                }
            }
            RecordFate::Filtered => run.filtered += 1,
            RecordFate::Invalid => run.invalid += 1,
            RecordFate::Terminate => {
                run.invalid += 1;
                error = Some(format!(
                    "record {} failed a validation whose action is TerminateFlow",
                    index + 1
                ));
                break;
            }
        }
    }
    if error.is_none() && wanted > evaluated && evaluated > 0 {
        // The records past the evaluated ones follow their proportions; what the rounding
        // leaves goes to the transferred ones.
        let extra = wanted - evaluated;
        let scale =
            |count: u64| (u128::from(count) * u128::from(extra) / u128::from(evaluated)) as u64;
        let (filtered, invalid, refused) = (
            scale(run.filtered),
            scale(run.invalid),
            scale(run.destination_failed),
        );
        run.filtered += filtered;
        run.invalid += invalid;
        run.destination_failed += refused;
        run.transferred += extra - filtered - invalid - refused;
        read = wanted;
    }
    run.records_processed = read;
    if let Some(message) = error {
        // A failed run writes nothing: what it would have transferred is not written.
        run.not_written += run.transferred;
        run.transferred = 0;
        run.status = FlowRunStatus::Error;
        run.message = Some(message);
    }
}
