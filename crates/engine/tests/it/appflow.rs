//! Amazon AppFlow: triggers at their virtual times, Incremental and Complete pulls, tasks
//! that filter and validate, deactivation after consecutive failures, faults, StartFlow,
//! metrics and cost, determinism, and the conservation of records.

use loosely_engine::appflow::*;
use loosely_engine::*;
use proptest::prelude::*;

use crate::support::{model, secs};

fn amount(null_share: f64, negative_share: f64) -> FieldSpec {
    FieldSpec {
        name: "Amount".into(),
        field_type: FieldType::Number,
        min: 1.0,
        max: 100.0,
        null_share,
        negative_share,
        ..FieldSpec::default()
    }
}

fn stage() -> FieldSpec {
    FieldSpec {
        name: "StageName".into(),
        field_type: FieldType::String,
        choices: vec!["Open".into(), "Closed Lost".into()],
        ..FieldSpec::default()
    }
}

fn scheduled(expression: &str, mode: DataPullMode) -> TriggerSpec {
    TriggerSpec::Scheduled(ScheduleSpec {
        expression: expression.into(),
        interval: parse_rate(expression).expect("a rate expression"),
        data_pull_mode: mode,
        start: SimDuration::ZERO,
        end: None,
        offset: SimDuration::ZERO,
        deactivation_threshold: None,
    })
}

fn flow(trigger: TriggerSpec) -> FlowSpec {
    FlowSpec {
        trigger,
        fields: vec![amount(0.0, 0.0), stage()],
        records_per_run: 1_000,
        records_changed_per_minute: 10.0,
        run_overhead: SimDuration::from_secs(10),
        ..FlowSpec::default()
    }
}

fn task(task_type: &str, field: &str, operator: &str, properties: &[(&str, &str)]) -> TaskSpec {
    let aws = AwsTask {
        task_type: task_type.into(),
        source_fields: vec![field.into()],
        operator: operator.into(),
        task_properties: properties
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    TaskSpec::from_aws(&aws, &[amount(0.0, 0.0), stage()]).expect("a valid task")
}

fn build_flows(flows: Vec<FlowSpec>, faults: Vec<FaultSpec>) -> Simulation {
    let components = flows
        .into_iter()
        .enumerate()
        .map(|(i, spec)| ComponentSpec {
            name: format!("flow-{i}"),
            kind: ComponentKind::Flow(spec),
        })
        .collect();
    let mut model = model(components);
    model.faults = faults;
    let mut sim = Simulation::new(model).unwrap_or_else(|e| panic!("invalid model: {e}"));
    sim.set_tracing(true);
    sim
}

fn stats(sim: &Simulation, id: ComponentId) -> FlowStats {
    match sim.stats(id) {
        Some(ComponentStats::Flow(stats)) => stats,
        other => panic!("not a flow: {other:?}"),
    }
}

/// (time in seconds, status, records) of every run change in the trace.
fn run_changes(trace: &[TraceEvent]) -> Vec<(f64, &'static str, u64)> {
    trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::FlowRunChanged {
                status, records, ..
            } => Some((e.time.as_secs_f64(), *status, *records)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_rate_schedule_starts_runs_at_start_time_plus_offset_then_every_interval() {
    let mut spec = flow(scheduled("rate(5 minutes)", DataPullMode::Complete));
    if let TriggerSpec::Scheduled(schedule) = &mut spec.trigger {
        schedule.start = SimDuration::from_secs(60);
        schedule.offset = SimDuration::from_secs(30);
        schedule.end = Some(SimDuration::from_secs(1_200));
    }
    let mut sim = build_flows(vec![spec], vec![]);
    sim.run_until(secs(1_800));
    let starts: Vec<f64> = run_changes(&sim.drain_trace())
        .into_iter()
        .filter(|c| c.1 == "InProgress")
        .map(|c| c.0)
        .collect();
    // 90, 390, 690, 990; 1290 is past scheduleEndTime (1200).
    assert_eq!(starts, vec![90.0, 390.0, 690.0, 990.0]);
    let runs = sim.flow_runs(0);
    assert_eq!(runs.len(), 4);
    // 1,000 records in pages of 2,000 (Salesforce): 1 API call of 250 ms after 10 s.
    assert!(runs.iter().all(|r| r.api_calls == 1));
    assert_eq!(
        runs[0].ends.as_micros() - runs[0].started.as_micros(),
        10_250_000
    );
    assert!(runs.iter().all(|r| r.status == FlowRunStatus::Successful));
}

#[test]
fn incremental_reads_the_changes_since_the_last_successful_run_and_complete_the_snapshot() {
    let mut sim = build_flows(
        vec![
            flow(scheduled("rate(5minutes)", DataPullMode::Incremental)),
            flow(scheduled("rate(5minutes)", DataPullMode::Complete)),
        ],
        vec![],
    );
    sim.run_until(secs(1_000));
    let incremental: Vec<u64> = sim
        .flow_runs(0)
        .iter()
        .map(|r| r.records_processed)
        .collect();
    let complete: Vec<u64> = sim
        .flow_runs(1)
        .iter()
        .map(|r| r.records_processed)
        .collect();
    // The first incremental run reads the snapshot; then 10 a minute for 5 minutes.
    assert_eq!(incremental, vec![1_000, 50, 50, 50]);
    assert_eq!(complete, vec![1_000, 1_000, 1_000, 1_000]);
    // 1,000 records a page of 2,000: one API call per run.
    assert_eq!(stats(&sim, 1).api_calls, 4);
}

#[test]
fn filters_drop_records_and_validations_drop_or_terminate() {
    let mut spec = flow(TriggerSpec::OnDemand);
    spec.fields = vec![amount(0.1, 0.2), stage()];
    spec.records_per_run = 10_000;
    spec.tasks = vec![
        task(
            "Validate",
            "Amount",
            "VALIDATE_NON_NULL",
            &[("VALIDATION_ACTION", "DropRecord")],
        ),
        task(
            "Validate",
            "Amount",
            "VALIDATE_NON_NEGATIVE",
            &[("VALIDATION_ACTION", "DropRecord")],
        ),
        task(
            "Filter",
            "StageName",
            "NOT_EQUAL_TO",
            &[("VALUE", "Closed Lost")],
        ),
    ];
    let mut terminating = spec.clone();
    terminating.tasks = vec![task(
        "Validate",
        "Amount",
        "VALIDATE_NON_NULL",
        &[("VALIDATION_ACTION", "TerminateFlow")],
    )];
    let mut clean = flow(TriggerSpec::OnDemand);
    clean.tasks = spec.tasks.clone();
    clean.fields = vec![amount(0.0, 0.0), stage()];
    clean.tasks.pop();
    let mut sim = build_flows(vec![spec, terminating, clean], vec![]);
    for id in 0..3 {
        sim.handle_command(Command::StartFlow { flow: id })
            .expect("starts");
    }
    sim.run_until(secs(120));
    let run = &sim.flow_runs(0)[0];
    assert_eq!(run.status, FlowRunStatus::Successful);
    assert_eq!(run.records_processed, 10_000);
    // About 10% null, then 20% of the rest negative: ~2,800 invalid; half the rest filtered.
    assert!((2_500..3_100).contains(&run.invalid), "{run:?}");
    assert!((3_300..3_900).contains(&run.filtered), "{run:?}");
    assert_eq!(run.transferred + run.filtered + run.invalid, 10_000);
    let terminated = &sim.flow_runs(1)[0];
    assert_eq!(terminated.status, FlowRunStatus::Error);
    assert_eq!(terminated.transferred, 0);
    assert_eq!(terminated.invalid, 1);
    assert!(terminated.records_processed < 100, "{terminated:?}");
    assert!(terminated
        .message
        .as_deref()
        .unwrap_or("")
        .contains("TerminateFlow"));
    let clean = &sim.flow_runs(2)[0];
    assert_eq!(clean.transferred, 1_000);
    sim.check_invariants().expect("records are conserved");
}

#[test]
fn consecutive_failures_deactivate_a_scheduled_flow_until_start_flow() {
    let mut spec = flow(scheduled("rate(1 minute)", DataPullMode::Complete));
    if let TriggerSpec::Scheduled(schedule) = &mut spec.trigger {
        schedule.deactivation_threshold = Some(3);
    }
    let stop = FaultSpec {
        component: 0,
        start: SimDuration::ZERO,
        duration: SimDuration::from_secs(600),
        effect: FaultEffect::Stop { share: 1.0 },
    };
    let mut sim = build_flows(vec![spec], vec![stop]);
    sim.run_until(secs(400));
    let s = stats(&sim, 0);
    assert_eq!(s.runs_failed, 3);
    assert_eq!(s.flow_status, Some(FlowStatus::Suspended));
    assert!(s.triggers_skipped >= 3, "{s:?}");
    let trace = sim.drain_trace();
    let suspended_at = trace
        .iter()
        .find(|e| {
            matches!(
                e.kind,
                TraceKind::FlowStatusChanged {
                    status: "Suspended"
                }
            )
        })
        .map(|e| e.time)
        .expect("suspended");
    // Runs at 0, 60 and 120 s each fail after 10 s.
    assert_eq!(suspended_at, secs(130));
    // StartFlow reactivates it; after the fault the runs succeed again.
    sim.run_until(secs(610));
    sim.handle_command(Command::StartFlow { flow: 0 })
        .expect("activates");
    sim.run_until(secs(700));
    let s = stats(&sim, 0);
    assert_eq!(s.flow_status, Some(FlowStatus::Active));
    assert_eq!(s.last_run, Some(FlowRunStatus::Successful));
    assert_eq!(s.runs_failed, 3);
}

#[test]
fn start_flow_runs_an_on_demand_flow_once_at_a_time() {
    let mut sim = build_flows(vec![flow(TriggerSpec::OnDemand)], vec![]);
    sim.handle_command(Command::StartFlow { flow: 0 })
        .expect("starts");
    let again = sim.handle_command(Command::StartFlow { flow: 0 });
    assert!(
        matches!(again, Err(CommandError::NotWhileRunning(_))),
        "{again:?}"
    );
    assert!(matches!(
        sim.handle_command(Command::StartFlow { flow: 7 }),
        Err(CommandError::NoSuchComponent(7))
    ));
    sim.run_until(secs(60));
    sim.handle_command(Command::StartFlow { flow: 0 })
        .expect("starts again");
    sim.run_until(secs(120));
    assert_eq!(stats(&sim, 0).runs_succeeded, 2);
}

#[test]
fn a_run_above_the_connectors_data_limit_fails_without_reading() {
    let mut spec = flow(TriggerSpec::OnDemand);
    spec.source = ConnectorType::Amplitude;
    spec.records_per_run = 30_000;
    spec.record_size_bytes = 1_000;
    let mut sim = build_flows(vec![spec], vec![]);
    sim.handle_command(Command::StartFlow { flow: 0 })
        .expect("starts");
    sim.run_until(secs(60));
    let run = &sim.flow_runs(0)[0];
    assert_eq!(run.status, FlowRunStatus::Error);
    assert_eq!(run.records_processed, 0);
    assert!(
        run.message.as_deref().unwrap_or("").contains("25000000"),
        "{run:?}"
    );
}

#[test]
fn a_fail_fault_sends_refused_records_to_the_error_location_or_fails_the_run() {
    let fail = |component| FaultSpec {
        component,
        start: SimDuration::ZERO,
        duration: SimDuration::from_secs(600),
        effect: FaultEffect::Fail { share: 0.1 },
    };
    let mut strict = flow(TriggerSpec::OnDemand);
    strict.fail_on_first_destination_error = true;
    let mut sim = build_flows(
        vec![flow(TriggerSpec::OnDemand), strict],
        vec![fail(0), fail(1)],
    );
    sim.handle_command(Command::StartFlow { flow: 0 })
        .expect("starts");
    sim.handle_command(Command::StartFlow { flow: 1 })
        .expect("starts");
    sim.run_until(secs(60));
    let lenient = &sim.flow_runs(0)[0];
    assert_eq!(lenient.status, FlowRunStatus::Successful);
    assert!(
        (60..140).contains(&lenient.destination_failed),
        "{lenient:?}"
    );
    let strict = &sim.flow_runs(1)[0];
    assert_eq!(strict.status, FlowRunStatus::Error);
    assert_eq!(strict.destination_failed, 1);
    assert_eq!(strict.transferred, 0);
}

#[test]
fn runs_publish_appflow_metrics_and_cost_per_run_and_gigabyte() {
    let mut sim = build_flows(
        vec![flow(scheduled("rate(1 minute)", DataPullMode::Complete))],
        vec![],
    );
    sim.run_until(secs(600));
    let metrics = sim.drain_metrics();
    let sum = |metric: Metric| -> f64 {
        metrics
            .iter()
            .filter(|m| m.metric == metric)
            .map(|m| m.value)
            .sum()
    };
    assert_eq!(sum(Metric::FlowExecutionsStarted), 10.0);
    assert_eq!(sum(Metric::FlowExecutionsSucceeded), 10.0);
    assert_eq!(sum(Metric::FlowExecutionsFailed), 0.0);
    assert_eq!(sum(Metric::FlowExecutionRecordsProcessed), 10_000.0);
    assert!(metrics
        .iter()
        .any(|m| m.metric == Metric::FlowExecutionTime && m.value == 10_250.0));
    let cost = sim.cost();
    // The metric periods up to 600 s saw 10 runs; the run of 600 s has started too and is
    // billed: 11 runs at $0.001 and 11 x 1,024,000 bytes at $0.02 per GB.
    let expected = 11.0 * 0.001 + 11.0 * 1_024_000.0 / 1e9 * 0.02;
    assert!((cost.flows[0].2 - expected).abs() < 1e-12, "{cost:?}");
    assert!((cost.total_usd - expected).abs() < 1e-12);
}

#[test]
fn an_event_flow_runs_on_batches_of_change_events() {
    let mut sim = build_flows(
        vec![flow(TriggerSpec::Event {
            batch_window: SimDuration::from_secs(60),
        })],
        vec![],
    );
    sim.run_until(secs(330));
    let runs: Vec<(u64, u64)> = sim
        .flow_runs(0)
        .iter()
        .map(|r| (r.started.as_micros() / 1_000_000, r.records_processed))
        .collect();
    assert_eq!(
        runs,
        vec![(60, 10), (120, 10), (180, 10), (240, 10), (300, 10)]
    );
}

#[test]
fn unsupported_combinations_and_schedules_are_model_issues() {
    let mut spec = flow(scheduled("rate(5minutes)", DataPullMode::Complete));
    spec.source = ConnectorType::Redshift;
    spec.destination = ConnectorType::Slack;
    let mut event = flow(TriggerSpec::Event {
        batch_window: SimDuration::from_secs(60),
    });
    event.source = ConnectorType::Zendesk;
    let mut model = model(vec![
        ComponentSpec {
            name: "a".into(),
            kind: ComponentKind::Flow(spec),
        },
        ComponentSpec {
            name: "b".into(),
            kind: ComponentKind::Flow(event),
        },
    ]);
    model.seed = 1;
    let issues: Vec<String> = model.validate().iter().map(|i| i.to_string()).collect();
    let all = issues.join("\n");
    assert!(
        all.contains("sourceFlowConfig.connectorType")
            && all.contains("\"Redshift\" is a destination only"),
        "{all}"
    );
    assert!(all.contains("\"Slack\" is a source only"), "{all}");
    assert!(all.contains("Zendesk emits no change events"), "{all}");
    assert!(Simulation::new(model).is_err());
}

#[test]
fn the_same_seed_gives_the_same_runs() {
    let run = || {
        let mut spec = flow(scheduled("rate(2 minutes)", DataPullMode::Incremental));
        spec.fields = vec![amount(0.2, 0.3), stage()];
        spec.tasks = vec![task(
            "Validate",
            "Amount",
            "VALIDATE_NON_NEGATIVE",
            &[("VALIDATION_ACTION", "DropRecord")],
        )];
        let mut sim = build_flows(vec![spec], vec![]);
        sim.run_until(secs(3_600));
        (format!("{:?}", sim.drain_trace()), sim.flow_runs(0))
    };
    assert_eq!(run(), run());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the trigger, tasks, bad values and faults, every record a flow read is
    /// transferred, filtered, invalid, refused, not written, or pending, at every step.
    #[test]
    fn records_are_conserved(
        minutes in 1u64..6,
        complete in any::<bool>(),
        null_share in 0.0f64..0.5,
        negative_share in 0.0f64..0.5,
        terminate in any::<bool>(),
        fail_share in prop::option::of(0.01f64..1.0),
        fail_first in any::<bool>(),
        records in 0u64..3_000,
        per_minute in 0.0f64..500.0,
    ) {
        let mode = if complete { DataPullMode::Complete } else { DataPullMode::Incremental };
        let mut spec = flow(scheduled(&format!("rate({minutes} minutes)"), mode));
        spec.fields = vec![amount(null_share, negative_share), stage()];
        spec.records_per_run = records;
        spec.records_changed_per_minute = per_minute;
        spec.page_size = 100;
        spec.run_overhead = SimDuration::from_secs(50);
        spec.fail_on_first_destination_error = fail_first;
        let action = if terminate { "TerminateFlow" } else { "DropRecord" };
        spec.tasks = vec![
            task("Validate", "Amount", "VALIDATE_NON_NULL", &[("VALIDATION_ACTION", action)]),
            task("Filter", "Amount", "GREATER_THAN", &[("VALUE", "0")]),
        ];
        let faults = fail_share
            .map(|share| vec![FaultSpec {
                component: 0,
                start: SimDuration::from_secs(100),
                duration: SimDuration::from_secs(400),
                effect: FaultEffect::Fail { share },
            }])
            .unwrap_or_default();
        let mut sim = build_flows(vec![spec], faults);
        let mut last = SimTime::ZERO;
        for _ in 0..400 {
            if !sim.step() {
                break;
            }
            prop_assert!(sim.now() >= last);
            last = sim.now();
            prop_assert_eq!(sim.check_invariants(), Ok(()));
            let census = sim.flow_census(0).expect("a flow");
            prop_assert_eq!(census.generated, census.accounted());
            if sim.now() > secs(1_800) {
                break;
            }
        }
    }
}

#[test]
fn an_event_batch_window_outside_its_range_is_a_model_issue() {
    let model = model(vec![ComponentSpec {
        name: "a".into(),
        kind: ComponentKind::Flow(flow(TriggerSpec::Event {
            batch_window: SimDuration::ZERO,
        })),
    }]);
    let issues: Vec<String> = model.validate().iter().map(|i| i.to_string()).collect();
    assert!(
        issues
            .iter()
            .any(|i| i.contains("triggerConfig.event_batch_seconds: 0 s is outside 1..=3600")),
        "{issues:#?}"
    );
}

#[test]
fn a_flow_with_a_trigger_to_come_is_not_settled() {
    let mut later = flow(TriggerSpec::OnDemand);
    later.start_flow_at = vec![SimDuration::from_secs(100)];
    let idle = build_flows(vec![flow(TriggerSpec::OnDemand)], vec![]);
    assert!(idle.is_settled());
    let mut sim = build_flows(vec![later], vec![]);
    assert!(!sim.is_settled());
    sim.run_until(secs(105));
    assert!(!sim.is_settled(), "the run is in progress");
    sim.run_until(secs(200));
    assert!(sim.is_settled());
    assert_eq!(sim.flow_runs(0).len(), 1);
}
