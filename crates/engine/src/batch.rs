//! AWS Batch specs: compute environments, job queues and the job definition a queue runs,
//! with AWS's names, ranges and the Fargate size table; their validation.
//!
//! The runtime (the scheduler, jobs, instances) is `batch_runtime.rs`, a child module of
//! `sim`.

use crate::model::{ComponentId, ComponentKind, Model};
use crate::rng::Distribution;
use crate::time::SimDuration;

/// A compute environment's resource `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ComputeResourceType {
    /// On-Demand EC2 instances.
    #[default]
    Ec2,
    /// EC2 Spot instances: cheaper, and interrupted.
    Spot,
    /// AWS Fargate: no instances; each job gets its own task.
    Fargate,
    /// Fargate Spot: Fargate tasks that can be interrupted.
    FargateSpot,
}

impl ComputeResourceType {
    pub fn as_str(self) -> &'static str {
        match self {
            ComputeResourceType::Ec2 => "EC2",
            ComputeResourceType::Spot => "SPOT",
            ComputeResourceType::Fargate => "FARGATE",
            ComputeResourceType::FargateSpot => "FARGATE_SPOT",
        }
    }

    pub fn is_fargate(self) -> bool {
        matches!(
            self,
            ComputeResourceType::Fargate | ComputeResourceType::FargateSpot
        )
    }

    pub fn is_spot(self) -> bool {
        matches!(
            self,
            ComputeResourceType::Spot | ComputeResourceType::FargateSpot
        )
    }
}

/// A managed compute environment.
#[derive(Clone, Debug, PartialEq)]
pub struct ComputeEnvironmentSpec {
    pub resource_type: ComputeResourceType,
    /// `minvCpus`: vCPUs kept running even without jobs (EC2/SPOT only), 0..=maxvCpus.
    pub min_vcpus: u32,
    /// `maxvCpus`: the most vCPUs the environment runs at once, 1..=100000.
    pub max_vcpus: u32,
    /// vCPUs of one EC2 instance (the instance type's size), 1..=192.
    pub instance_vcpus: u32,
    /// Memory of one EC2 instance, MiB.
    pub instance_memory_mib: u32,
    /// Seconds from a scale-out decision to a registered EC2 instance.
    pub instance_launch: SimDuration,
    /// Seconds in `STARTING` (image pull, container start): on an EC2 host, or a Fargate
    /// task's provisioning.
    pub container_start: SimDuration,
    /// An idle EC2 instance above `minvCpus` is terminated after this long.
    pub scale_in_after: SimDuration,
    /// Spot only: interruptions per instance-hour (EC2 Spot) or per task-hour (Fargate Spot).
    pub interruptions_per_hour: f64,
    /// US dollars per vCPU-hour (EC2: per instance vCPU while the instance runs; Fargate:
    /// per job vCPU while its task runs).
    pub price_per_vcpu_hour: f64,
    /// Fargate only: US dollars per GB-hour of job memory.
    pub price_per_gb_hour: f64,
}

/// The job definition a job queue runs (`containerProperties` reduced to what scheduling needs).
#[derive(Clone, Debug, PartialEq)]
pub struct JobDefinitionSpec {
    /// `resourceRequirements` `VCPU`: 0.25 steps on Fargate (0.25..=16), whole vCPUs on EC2.
    pub vcpus: f64,
    /// `resourceRequirements` `MEMORY`, MiB.
    pub memory_mib: u32,
    /// Seconds one attempt's container runs before it exits.
    pub duration: Distribution,
    /// Chance that an attempt exits non-zero.
    pub failure_probability: f64,
    /// `retryStrategy.attempts`, 1..=10.
    pub attempts: u32,
    /// `timeout.attemptDurationSeconds` (>= 60), None: no timeout.
    pub attempt_duration_seconds: Option<u32>,
}

/// How the jobs a queue receives depend on each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum JobDependency {
    /// Independent jobs.
    #[default]
    None,
    /// Each job `dependsOn` the job submitted before it to the same queue (a chain).
    Previous,
}

/// A job queue: its priority, its compute environments in order, and what it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct JobQueueSpec {
    /// `priority`: higher is scheduled first among queues sharing a compute environment.
    pub priority: u32,
    /// `computeEnvironmentOrder`, first tried first (1..=3 environments).
    pub compute_environments: Vec<ComponentId>,
    pub job_definition: JobDefinitionSpec,
    /// `arrayProperties.size` of each submitted job (2..=10000), None: a single job.
    pub array_size: Option<u32>,
    /// Array jobs only: `SEQUENTIAL` (child i waits for child i-1).
    pub sequential_array: bool,
    pub depends_on: JobDependency,
}

/// Allowed Fargate memory (MiB) per vCPU value (§5.4 of the reference).
pub fn fargate_memory_allowed(vcpus: f64, memory_mib: u32) -> Option<bool> {
    let steps = |from: u32, to: u32, step: u32| {
        memory_mib >= from && memory_mib <= to && (memory_mib - from).is_multiple_of(step)
    };
    let key = libm::round(vcpus * 100.0) as u32;
    Some(match key {
        25 => matches!(memory_mib, 512 | 1024 | 2048),
        50 => steps(1024, 4096, 1024),
        100 => steps(2048, 8192, 1024),
        200 => steps(4096, 16384, 1024),
        400 => steps(8192, 30720, 1024),
        800 => steps(16384, 61440, 4096),
        1600 => steps(32768, 122880, 8192),
        _ => return None,
    })
}

impl Model {
    pub(crate) fn batch_issues(&self, component: ComponentId, push: &mut dyn FnMut(&str, String)) {
        let Some(spec) = self.components.get(component) else {
            return;
        };
        match &spec.kind {
            ComponentKind::BatchComputeEnvironment(ce) => {
                if !(1..=100_000).contains(&ce.max_vcpus) {
                    push(
                        "maxvCpus",
                        format!("{} is outside 1..=100000", ce.max_vcpus),
                    );
                }
                if ce.resource_type.is_fargate() {
                    if ce.min_vcpus != 0 {
                        push(
                            "minvCpus",
                            format!(
                                "{}: a Fargate compute environment has no minvCpus (0)",
                                ce.min_vcpus
                            ),
                        );
                    }
                } else {
                    if ce.min_vcpus > ce.max_vcpus {
                        push(
                            "minvCpus",
                            format!("{} is above maxvCpus ({})", ce.min_vcpus, ce.max_vcpus),
                        );
                    }
                    if !(1..=192).contains(&ce.instance_vcpus) {
                        push(
                            "instance_vcpus",
                            format!("{} is outside 1..=192", ce.instance_vcpus),
                        );
                    }
                    if !(512..=24_576 * 1024).contains(&ce.instance_memory_mib) {
                        push(
                            "instance_memory_mib",
                            format!("{} MiB is outside 512..=25165824", ce.instance_memory_mib),
                        );
                    }
                }
                if !(ce.interruptions_per_hour.is_finite()
                    && (0.0..=60.0).contains(&ce.interruptions_per_hour))
                {
                    push(
                        "interruptions_per_hour",
                        format!("{} is outside 0..=60", ce.interruptions_per_hour),
                    );
                } else if ce.interruptions_per_hour > 0.0 && !ce.resource_type.is_spot() {
                    push(
                        "interruptions_per_hour",
                        format!(
                            "{}: only SPOT and FARGATE_SPOT capacity is interrupted",
                            ce.interruptions_per_hour
                        ),
                    );
                }
                for (field, price) in [
                    ("price_per_vcpu_hour", ce.price_per_vcpu_hour),
                    ("price_per_gb_hour", ce.price_per_gb_hour),
                ] {
                    if !(price.is_finite() && (0.0..=100.0).contains(&price)) {
                        push(field, format!("{price} is outside 0..=100 US dollars"));
                    }
                }
            }
            ComponentKind::BatchJobQueue(queue) => {
                let environments: Vec<&ComputeEnvironmentSpec> = queue
                    .compute_environments
                    .iter()
                    .filter_map(|&id| match self.components.get(id).map(|c| &c.kind) {
                        Some(ComponentKind::BatchComputeEnvironment(ce)) => Some(ce),
                        _ => {
                            push(
                                "computeEnvironmentOrder",
                                format!("{} is not a compute environment", self.describe(id)),
                            );
                            None
                        }
                    })
                    .collect();
                if !(1..=3).contains(&queue.compute_environments.len()) {
                    push(
                        "computeEnvironmentOrder",
                        format!(
                            "{} compute environments; a job queue uses 1..=3, in order",
                            queue.compute_environments.len()
                        ),
                    );
                }
                let fargate = environments
                    .iter()
                    .filter(|ce| ce.resource_type.is_fargate())
                    .count();
                if fargate != 0 && fargate != environments.len() {
                    push(
                        "computeEnvironmentOrder",
                        "a job queue's compute environments are all EC2/SPOT or all FARGATE/FARGATE_SPOT, not mixed".into(),
                    );
                }
                if queue.priority > 1_000 {
                    push(
                        "priority",
                        format!("{} is outside 0..=1000", queue.priority),
                    );
                }
                let job = &queue.job_definition;
                if !(1..=10).contains(&job.attempts) {
                    push(
                        "jobDefinition.retryStrategy.attempts",
                        format!("{} is outside 1..=10", job.attempts),
                    );
                }
                if let Some(timeout) = job.attempt_duration_seconds {
                    if timeout < 60 {
                        push(
                            "jobDefinition.timeout.attemptDurationSeconds",
                            format!("{timeout} s is below the minimum of 60 seconds"),
                        );
                    }
                }
                if !(0.0..=1.0).contains(&job.failure_probability) {
                    push(
                        "jobDefinition.failure_probability",
                        format!("{} is outside 0..=1", job.failure_probability),
                    );
                }
                if let Err(problem) = job.duration.check() {
                    push("jobDefinition.duration", problem);
                }
                if let Some(size) = queue.array_size {
                    if !(2..=10_000).contains(&size) {
                        push(
                            "arrayProperties.size",
                            format!("{size} is outside 2..=10000"),
                        );
                    }
                } else if queue.sequential_array {
                    push(
                        "arrayProperties.dependency",
                        "SEQUENTIAL applies to array jobs; set arrayProperties.size".into(),
                    );
                }
                if fargate > 0 {
                    match fargate_memory_allowed(job.vcpus, job.memory_mib) {
                        None => push(
                            "jobDefinition.vcpus",
                            format!("{} vCPU is not a Fargate size (0.25, 0.5, 1, 2, 4, 8 or 16)", job.vcpus),
                        ),
                        Some(false) => push(
                            "jobDefinition.memory",
                            format!("{} MiB is not allowed with {} vCPU on Fargate (see the Fargate size table: e.g. 1 vCPU takes 2048..=8192 MiB in 1024 steps)", job.memory_mib, job.vcpus),
                        ),
                        Some(true) => {}
                    }
                } else {
                    if job.vcpus < 1.0 || job.vcpus.fract() != 0.0 || job.vcpus > 192.0 {
                        push(
                            "jobDefinition.vcpus",
                            format!("{} vCPU: EC2 jobs take whole vCPUs, 1..=192", job.vcpus),
                        );
                    }
                    if job.memory_mib < 4 {
                        push(
                            "jobDefinition.memory",
                            format!("{} MiB is below EC2's minimum of 4 MiB", job.memory_mib),
                        );
                    }
                    for ce in &environments {
                        if job.vcpus > f64::from(ce.instance_vcpus)
                            || job.memory_mib > ce.instance_memory_mib
                        {
                            push(
                                "jobDefinition.vcpus",
                                format!(
                                    "a job of {} vCPU and {} MiB does not fit an instance of {} vCPU and {} MiB: it would stay RUNNABLE forever",
                                    job.vcpus, job.memory_mib, ce.instance_vcpus, ce.instance_memory_mib
                                ),
                            );
                        }
                    }
                }
                for ce in &environments {
                    if job.vcpus > f64::from(ce.max_vcpus) {
                        push(
                            "jobDefinition.vcpus",
                            format!(
                                "{} vCPU is above a compute environment's maxvCpus ({}): the job would stay RUNNABLE forever",
                                job.vcpus, ce.max_vcpus
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}
