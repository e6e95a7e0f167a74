//! AWS Batch: the scheduler, retries, timeouts, arrays, dependencies, Spot, Step Functions.

use std::sync::Arc;

use loosely_engine::asl::{self, ExecutionKind};
use loosely_engine::batch::*;
use loosely_engine::*;
use proptest::prelude::*;

use super::support::*;

fn environment(name: &str, resource_type: ComputeResourceType, max_vcpus: u32) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::BatchComputeEnvironment(ComputeEnvironmentSpec {
            resource_type,
            min_vcpus: 0,
            max_vcpus,
            instance_vcpus: 4,
            instance_memory_mib: 16_384,
            instance_launch: SimDuration::from_secs(180),
            container_start: SimDuration::from_secs(30),
            scale_in_after: SimDuration::from_secs(300),
            interruptions_per_hour: 0.0,
            price_per_vcpu_hour: 0.04,
            price_per_gb_hour: 0.0044,
        }),
    }
}

fn job(seconds: f64) -> JobDefinitionSpec {
    JobDefinitionSpec {
        vcpus: 1.0,
        memory_mib: 2_048,
        duration: Distribution::Constant { value: seconds },
        failure_probability: 0.0,
        attempts: 1,
        attempt_duration_seconds: None,
    }
}

fn job_queue(
    name: &str,
    priority: u32,
    environments: Vec<ComponentId>,
    job: JobDefinitionSpec,
) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::BatchJobQueue(JobQueueSpec {
            priority,
            compute_environments: environments,
            job_definition: job,
            array_size: None,
            sequential_array: false,
            depends_on: JobDependency::None,
        }),
    }
}

/// `count` SubmitJob calls 1 ms apart from t = 0.
fn submitter(target: ComponentId, count: u64) -> ComponentSpec {
    submitter_named("submitter", target, 1_000.0, count)
}

/// `count` calls (SubmitJob, or StartExecution to a state machine) at `rate` a second.
fn submitter_named(name: &str, target: ComponentId, rate: f64, count: u64) -> ComponentSpec {
    producer(
        name,
        ProducerSpec {
            target,
            arrival: Arrival::Constant,
            rate_per_second: rate,
            total_count: Some(count),
            ..ProducerSpec::default()
        },
    )
}

fn queue_stats_of(sim: &Simulation, id: ComponentId) -> JobQueueStats {
    match sim.stats(id) {
        Some(ComponentStats::BatchJobQueue(stats)) => stats,
        other => panic!("component {id} is not a job queue: {other:?}"),
    }
}

fn env_stats_of(sim: &Simulation, id: ComponentId) -> ComputeEnvironmentStats {
    match sim.stats(id) {
        Some(ComponentStats::BatchComputeEnvironment(stats)) => stats,
        other => panic!("component {id} is not a compute environment: {other:?}"),
    }
}

/// (time in seconds, job, state) of every job state change.
fn job_states(trace: &[TraceEvent]) -> Vec<(f64, String, &'static str)> {
    trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::JobStateChanged { job, state, .. } => {
                Some((e.time.as_secs_f64(), job.clone(), *state))
            }
            _ => None,
        })
        .collect()
}

fn started_at(trace: &[TraceEvent], job: &str) -> Vec<f64> {
    job_states(trace)
        .into_iter()
        .filter(|(_, j, s)| j == job && *s == "STARTING")
        .map(|(t, _, _)| t)
        .collect()
}

#[test]
fn the_higher_priority_queue_gets_the_capacity_first() {
    let mut sim = build(vec![
        environment("fargate", ComputeResourceType::Fargate, 4),
        job_queue("low", 1, vec![0], job(100.0)),
        job_queue("high", 10, vec![0], job(100.0)),
        submitter(1, 6),
        submitter(2, 6),
    ]);
    let trace = run_traced(&mut sim, secs(1));
    // The first four jobs (two of each queue) fill the environment as they arrive.
    assert_eq!(env_stats_of(&sim, 0).vcpus_in_use, 4.0);
    sim.run_until(secs(2_000));
    let trace: Vec<TraceEvent> = trace.into_iter().chain(sim.drain_trace()).collect();
    // The queue of each placement, in order: when capacity frees at 130 s, the four
    // RUNNABLE jobs of "high" go first, then those of "low".
    let placed: Vec<ComponentId> = trace
        .iter()
        .filter(|e| {
            matches!(
                &e.kind,
                TraceKind::JobStateChanged {
                    state: "STARTING",
                    ..
                }
            )
        })
        .map(|e| e.component)
        .collect();
    assert_eq!(placed, vec![1, 2, 1, 2, 2, 2, 2, 2, 1, 1, 1, 1]);
    let (low, high) = (queue_stats_of(&sim, 1), queue_stats_of(&sim, 2));
    assert_eq!((low.succeeded, high.succeeded), (6, 6));
    sim.check_invariants().expect("invariants");
}

#[test]
fn priority_decides_between_runnable_jobs_of_two_queues() {
    // Both queues' jobs are RUNNABLE at the same moment (a blocking job holds the
    // environment); when it ends, the high-priority queue's job is placed first.
    let mut sim = build(vec![
        environment("fargate", ComputeResourceType::Fargate, 1),
        job_queue("blocker", 0, vec![0], job(50.0)),
        job_queue("low", 1, vec![0], job(10.0)),
        job_queue("high", 10, vec![0], job(10.0)),
        submitter(1, 1),
        submitter_named("later-low", 2, 1.0, 1),
        submitter_named("later-high", 3, 0.5, 1),
    ]);
    let trace = run_traced(&mut sim, secs(300));
    let starts: Vec<(f64, String)> = job_states(&trace)
        .into_iter()
        .filter(|(_, _, s)| *s == "STARTING")
        .map(|(t, j, _)| (t, j))
        .collect();
    // job-1 (blocker) at 0; low submitted at 1 s, high at 2 s; blocker ends at 80 s.
    assert_eq!(starts.len(), 3, "{starts:?}");
    assert_eq!(
        starts[1],
        (80.001, "job-3".to_string()),
        "high first: {starts:?}"
    );
    assert_eq!(starts[2], (120.001, "job-2".to_string()), "{starts:?}");
}

#[test]
fn ec2_scales_out_after_the_instance_launch_time_within_max_vcpus() {
    let mut sim = build(vec![
        environment("ec2", ComputeResourceType::Ec2, 8),
        job_queue("q", 1, vec![0], job(60.0)),
        submitter(1, 12),
    ]);
    let trace = run_traced(&mut sim, secs(1));
    assert_eq!(
        env_stats_of(&sim, 0).launching,
        2,
        "two 4-vCPU instances within 8 vCPUs"
    );
    sim.run_until(secs(1_000));
    let trace: Vec<TraceEvent> = trace.into_iter().chain(sim.drain_trace()).collect();
    // Eight jobs start when the instances are ready (180 s); four more after the first end.
    let first = started_at(&trace, "job-1");
    assert_eq!(first, vec![180.001]);
    let last = started_at(&trace, "job-12");
    assert_eq!(last, vec![270.001]);
    assert_eq!(queue_stats_of(&sim, 1).succeeded, 12);
    // Each instance is terminated 300 s after it went idle (minvCpus 0): the second wave ran
    // on the first instance, idle from 360 s (terminated at 660 s); the other was idle from
    // 270 s (terminated at 570 s). Billed per second from ready (180 s).
    let env = env_stats_of(&sim, 0);
    assert_eq!((env.instances, env.launching), (0, 0));
    let vcpu_seconds = 4.0 * (660.0 - 180.0) + 4.0 * (570.0 - 180.0);
    assert!(
        (env.cost_usd - vcpu_seconds * 0.04 / 3_600.0).abs() < 1e-9,
        "{env:?}"
    );
}

#[test]
fn failed_attempts_are_retried_up_to_the_attempts_then_the_job_fails() {
    let mut definition = job(10.0);
    definition.failure_probability = 1.0;
    definition.attempts = 3;
    let mut sim = build(vec![
        environment("fargate", ComputeResourceType::Fargate, 4),
        job_queue("q", 1, vec![0], definition),
        submitter(1, 1),
    ]);
    let trace = run_traced(&mut sim, secs(300));
    assert_eq!(started_at(&trace, "job-1"), vec![0.001, 40.001, 80.001]);
    let stats = queue_stats_of(&sim, 1);
    assert_eq!((stats.failed, stats.retries, stats.succeeded), (1, 2, 0));
}

#[test]
fn an_attempt_past_its_timeout_fails_without_a_retry() {
    let mut definition = job(500.0);
    definition.attempts = 5;
    definition.attempt_duration_seconds = Some(60);
    let mut sim = build(vec![
        environment("fargate", ComputeResourceType::Fargate, 4),
        job_queue("q", 1, vec![0], definition),
        submitter(1, 1),
    ]);
    let trace = run_traced(&mut sim, secs(1_000));
    let ends: Vec<(f64, String, &str)> = job_states(&trace)
        .into_iter()
        .filter(|(_, _, s)| *s == "FAILED")
        .collect();
    // STARTING for 30 s, RUNNING for the 60 s timeout.
    assert_eq!(ends, vec![(90.001, "job-1".to_string(), "FAILED")]);
    let stats = queue_stats_of(&sim, 1);
    assert_eq!((stats.timed_out, stats.retries), (1, 0));
}

#[test]
fn sequential_array_children_run_one_after_another_and_the_parent_ends_last() {
    let sim = build(vec![
        environment("fargate", ComputeResourceType::Fargate, 16),
        job_queue("q", 1, vec![0], job(10.0)),
        submitter(1, 1),
    ]);
    let mut model = sim.model().clone();
    if let ComponentKind::BatchJobQueue(spec) = &mut model.components[1].kind {
        spec.array_size = Some(4);
        spec.sequential_array = true;
    }
    let mut sim = Simulation::new(model).expect("valid");
    sim.set_tracing(true);
    let trace = run_traced(&mut sim, secs(500));
    let starts: Vec<f64> = (0..4)
        .map(|i| started_at(&trace, &format!("job-1:{i}"))[0])
        .collect();
    assert_eq!(starts, vec![0.001, 40.001, 80.001, 120.001]);
    let parent_end = job_states(&trace)
        .into_iter()
        .find(|(_, j, s)| j == "job-1" && *s == "SUCCEEDED")
        .map(|(t, _, _)| t);
    assert_eq!(parent_end, Some(160.001));
    let stats = queue_stats_of(&sim, 1);
    assert_eq!((stats.submitted, stats.created, stats.succeeded), (1, 5, 5));
    sim.check_invariants().expect("invariants");
}

#[test]
fn a_chain_of_dependent_jobs_runs_in_order_and_a_failure_fails_the_rest() {
    let mut definition = job(10.0);
    definition.failure_probability = 0.0;
    let mut model = model(vec![
        environment("fargate", ComputeResourceType::Fargate, 16),
        job_queue("q", 1, vec![0], definition),
        submitter(1, 3),
    ]);
    if let ComponentKind::BatchJobQueue(spec) = &mut model.components[1].kind {
        spec.depends_on = JobDependency::Previous;
    }
    let mut sim = Simulation::new(model.clone()).expect("valid");
    sim.set_tracing(true);
    let trace = run_traced(&mut sim, secs(500));
    let firsts: Vec<f64> = ["job-1", "job-2", "job-3"]
        .iter()
        .map(|j| started_at(&trace, j)[0])
        .collect();
    assert_eq!(firsts, vec![0.001, 40.001, 80.001]);

    if let ComponentKind::BatchJobQueue(spec) = &mut model.components[1].kind {
        spec.job_definition.failure_probability = 1.0;
    }
    let mut sim = Simulation::new(model).expect("valid");
    sim.set_tracing(true);
    let trace = run_traced(&mut sim, secs(500));
    let failed: Vec<(f64, String)> = job_states(&trace)
        .into_iter()
        .filter(|(_, _, s)| *s == "FAILED")
        .map(|(t, j, _)| (t, j))
        .collect();
    assert_eq!(
        failed,
        vec![
            (40.001, "job-1".to_string()),
            (40.001, "job-2".to_string()),
            (40.001, "job-3".to_string())
        ]
    );
}

#[test]
fn spot_interruptions_fail_attempts_that_are_retried() {
    let mut model = model(vec![
        environment("spot", ComputeResourceType::Spot, 16),
        job_queue("q", 1, vec![0], job(1_800.0)),
        submitter(1, 8),
    ]);
    if let ComponentKind::BatchComputeEnvironment(spec) = &mut model.components[0].kind {
        spec.interruptions_per_hour = 6.0;
    }
    if let ComponentKind::BatchJobQueue(spec) = &mut model.components[1].kind {
        spec.job_definition.attempts = 10;
    }
    let mut sim = Simulation::new(model).expect("valid");
    sim.run_until(secs(20_000));
    let stats = queue_stats_of(&sim, 1);
    let env = env_stats_of(&sim, 0);
    assert!(env.interruptions > 0, "{env:?}");
    assert!(stats.interrupted > 0, "{stats:?}");
    assert_eq!(stats.succeeded + stats.failed, 8, "{stats:?}");
    sim.check_invariants().expect("invariants");
}

#[test]
fn submit_job_sync_waits_for_the_job_to_end() {
    const FLOW: &str = r#"{"StartAt": "Render", "States": {
        "Render": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync",
                   "Parameters": {"JobQueue": "arn:aws:batch:us-east-1:123456789012:job-queue/renders", "JobName": "render-1"},
                   "End": true}}}"#;
    let definition = match asl::validate(FLOW) {
        Ok(machine) => machine,
        Err(issues) => panic!("{issues:?}"),
    };
    let mut sim = build(vec![
        environment("fargate", ComputeResourceType::Fargate, 4),
        job_queue("renders", 1, vec![0], job(100.0)),
        ComponentSpec {
            name: "flow".into(),
            kind: ComponentKind::StateMachine(StateMachineSpec::new(
                Arc::new(definition),
                ExecutionKind::Standard,
            )),
        },
        submitter_named("start", 2, 1.0, 1),
    ]);
    let trace = run_traced(&mut sim, secs(300));
    let ended: Vec<(f64, &str)> = trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::ExecutionEnded { status, .. } => Some((e.time.as_secs_f64(), *status)),
            _ => None,
        })
        .collect();
    // Started at 1 s; the job STARTING 30 s and RUNNING 100 s.
    assert_eq!(ended, vec![(131.0, "SUCCEEDED")]);
    assert_eq!(queue_stats_of(&sim, 1).succeeded, 1);
}

#[test]
fn fargate_sizes_and_mixed_environments_are_refused() {
    let mut definition = job(10.0);
    definition.vcpus = 1.0;
    definition.memory_mib = 1_024;
    let issues: Vec<String> = model(vec![
        environment("fargate", ComputeResourceType::Fargate, 4),
        environment("ec2", ComputeResourceType::Ec2, 4),
        job_queue("q", 1, vec![0, 1], definition),
    ])
    .validate()
    .iter()
    .map(|i| i.to_string())
    .collect();
    assert_eq!(
        issues,
        vec![
            "components[2].computeEnvironmentOrder: a job queue's compute environments are all EC2/SPOT or all FARGATE/FARGATE_SPOT, not mixed",
            "components[2].jobDefinition.memory: 1024 MiB is not allowed with 1 vCPU on Fargate (see the Fargate size table: e.g. 1 vCPU takes 2048..=8192 MiB in 1024 steps)",
        ]
    );
    assert_eq!(fargate_memory_allowed(16.0, 122_880), Some(true));
    assert_eq!(fargate_memory_allowed(0.25, 4_096), Some(false));
    assert_eq!(fargate_memory_allowed(3.0, 4_096), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the capacity, failures, timeouts and Spot interruptions, every job created
    /// is in exactly one state at every step, and capacity never exceeds maxvCpus.
    #[test]
    fn jobs_are_conserved(
        fargate in any::<bool>(),
        max_vcpus in 4u32..16,
        failure in 0.0f64..0.5,
        attempts in 1u32..4,
        timeout in prop::option::of(60u32..200),
        array in prop::option::of(2u32..6),
        sequential in any::<bool>(),
        chained in any::<bool>(),
        spot in 0.0f64..4.0,
        jobs in 1u64..12,
    ) {
        let resource_type = match (fargate, spot > 1.0) {
            (true, true) => ComputeResourceType::FargateSpot,
            (true, false) => ComputeResourceType::Fargate,
            (false, true) => ComputeResourceType::Spot,
            (false, false) => ComputeResourceType::Ec2,
        };
        let mut model = model(vec![
            environment("env", resource_type, max_vcpus),
            job_queue("q", 1, vec![0], job(100.0)),
            submitter(1, jobs),
        ]);
        if let ComponentKind::BatchComputeEnvironment(spec) = &mut model.components[0].kind {
            spec.interruptions_per_hour = if spot > 1.0 { spot } else { 0.0 };
        }
        if let ComponentKind::BatchJobQueue(spec) = &mut model.components[1].kind {
            spec.job_definition.duration = Distribution::Exponential { mean: 100.0 };
            spec.job_definition.failure_probability = failure;
            spec.job_definition.attempts = attempts;
            spec.job_definition.attempt_duration_seconds = timeout;
            spec.array_size = array;
            spec.sequential_array = sequential && array.is_some();
            spec.depends_on = if chained { JobDependency::Previous } else { JobDependency::None };
        }
        let mut sim = Simulation::new(model).expect("valid");
        let mut steps = 0;
        while sim.step() && steps < 50_000 && sim.now() < secs(100_000) {
            steps += 1;
            if let Err(problem) = sim.check_invariants() {
                return Err(TestCaseError::fail(problem));
            }
        }
        let stats = queue_stats_of(&sim, 1);
        prop_assert_eq!(stats.submitted, jobs);
        prop_assert_eq!(stats.succeeded + stats.failed, stats.created, "{:?}", stats);
    }
}

#[test]
fn an_availability_zone_outage_loses_half_the_instances_and_caps_capacity_until_it_ends() {
    let mut definition = job(2_000.0);
    definition.vcpus = 4.0;
    definition.attempts = 2;
    let mut model = model(vec![
        environment("ec2", ComputeResourceType::Ec2, 16),
        job_queue("q", 1, vec![0], definition),
        submitter(1, 4),
    ]);
    if let ComponentKind::BatchComputeEnvironment(spec) = &mut model.components[0].kind {
        spec.instance_vcpus = 8;
        spec.instance_memory_mib = 32_768;
    }
    model.faults.push(FaultSpec {
        component: 0,
        start: SimDuration::from_secs(300),
        duration: SimDuration::from_secs(600),
        effect: FaultEffect::Stop { share: 0.5 },
    });
    let mut sim = Simulation::new(model).expect("valid");
    sim.set_tracing(true);
    let trace = run_traced(&mut sim, secs(5_000));
    let starts: Vec<(f64, String)> = job_states(&trace)
        .into_iter()
        .filter(|(_, _, s)| *s == "STARTING")
        .map(|(t, j, _)| (t, j))
        .collect();
    // Four jobs on two instances at 180 s; the zone takes one instance (two attempts) at
    // 300 s; only 8 of 16 vCPUs may run until 900 s, then a new instance is ready at 1080 s.
    assert_eq!(starts.len(), 6, "{starts:?}");
    assert!(starts[..4].iter().all(|(t, _)| (180.0..181.0).contains(t)));
    assert!(
        starts[4..]
            .iter()
            .all(|(t, _)| (1_080.0..1_081.0).contains(t)),
        "{starts:?}"
    );
    let stats = queue_stats_of(&sim, 1);
    assert_eq!((stats.succeeded, stats.retries), (4, 2));
    sim.check_invariants().expect("invariants");
}

#[test]
fn a_producer_changed_while_running_keeps_submitting_and_batch_settings_are_refused() {
    let mut sim = build(vec![
        environment("fargate", ComputeResourceType::Fargate, 4),
        job_queue("q", 1, vec![0], job(10.0)),
        submitter_named("p", 1, 1.0, 100),
    ]);
    sim.run_until(secs(5));
    let ComponentKind::Producer(mut spec) = sim.model().components[2].kind.clone() else {
        panic!("a producer")
    };
    spec.rate_per_second = 2.0;
    sim.handle_command(Command::Update {
        component: 2,
        kind: ComponentKind::Producer(spec),
    })
    .expect("a producer's rate changes while running");
    sim.run_until(secs(20));
    assert!(queue_stats_of(&sim, 1).submitted > 30);
    let queue = sim.model().components[1].kind.clone();
    assert!(matches!(
        sim.handle_command(Command::Update {
            component: 1,
            kind: queue
        }),
        Err(CommandError::NotWhileRunning(_))
    ));
    sim.check_invariants().expect("invariants");
}
