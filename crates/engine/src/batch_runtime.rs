//! AWS Batch inside the simulation: a child module of `sim` with the job queues, the
//! compute environments and the scheduler.
//!
//! What it models: jobs submitted by producers and by Step Functions
//! `arn:aws:states:::batch:submitJob` (`.sync` waits for the job's end) go through
//! `SUBMITTED`, then `PENDING` (unmet dependencies, or an array parent waiting for its
//! children), `RUNNABLE`, `STARTING`, `RUNNING`, and end `SUCCEEDED` or `FAILED`. The
//! scheduler runs after every change: queues in descending `priority`, jobs first in, first
//! out, each placed on the first compute environment of the queue's order that has room.
//! EC2 and SPOT environments run instances of one size: when runnable jobs do not fit,
//! instances are launched (ready after `instance_launch`) up to `maxvCpus`, and an instance
//! idle for `scale_in_after` is terminated down to `minvCpus`. Fargate environments have no
//! instances: a job takes its vCPUs from `maxvCpus` and starts after `container_start`.
//! Spot capacity is interrupted at random (exponential times at `interruptions_per_hour`):
//! the jobs on it fail their attempt and are retried while `retryStrategy.attempts` remain.
//! A non-zero exit is retried the same way; an attempt past `attemptDurationSeconds` fails
//! the job without a retry. A job that depends on a failed job fails. An array job's
//! children (`<id>:<index>`) run independently, or one after another with `SEQUENTIAL`;
//! the parent succeeds when every child did and fails when any failed.
//!
//! Simplifications: `SUBMITTED` to `RUNNABLE` takes no time (AWS: seconds); one job
//! definition per queue; instances are billed per second from ready to terminated, Fargate
//! per second from `STARTING` to the end (no one-minute minimum); the Spot two-minute
//! warning, allocation strategies, fair-share scheduling, multi-node jobs and the
//! exceed-`maxvCpus`-by-one-instance allowance are not modelled.

use std::collections::VecDeque;

use serde_json::{json, Value};

use super::{sfn::TaskRef, Event, Simulation, NONE};
use crate::asl::StatesError;
use crate::batch::{ComputeEnvironmentSpec, JobDependency, JobQueueSpec};
use crate::metrics::{Metric, MetricSample};
use crate::model::{ComponentId, ComponentKind, Model};
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};
use crate::trace::TraceKind;

/// A job's status, with AWS's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    Pending,
    Runnable,
    Starting,
    Running,
    Succeeded,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "PENDING",
            JobState::Runnable => "RUNNABLE",
            JobState::Starting => "STARTING",
            JobState::Running => "RUNNING",
            JobState::Succeeded => "SUCCEEDED",
            JobState::Failed => "FAILED",
        }
    }

    fn terminal(self) -> bool {
        matches!(self, JobState::Succeeded | JobState::Failed)
    }
}

/// Why a running attempt ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EndCause {
    Exit {
        success: bool,
    },
    Timeout,
    Interrupted,
    /// The host went away with its availability zone (a fault), or failed the attempt.
    HostLost,
}

#[derive(Clone, Debug)]
struct JobRt {
    live: bool,
    serial: u64,
    queue: u32,
    name: String,
    state: JobState,
    attempt: u32,
    /// The array parent of a child, or NONE.
    parent: u32,
    /// Array parents: children not yet ended, and whether one failed.
    children_left: u32,
    child_failed: bool,
    /// Array parents: children still to create once the parent's dependencies are met.
    array_size: u32,
    deps_left: u32,
    dependents: Vec<u32>,
    /// (environment, instance or NONE on Fargate) while STARTING or RUNNING.
    placement: Option<(u32, u32)>,
    generation: u32,
    /// When the current phase began (STARTING or RUNNING).
    phase_started: SimTime,
    end_cause: EndCause,
    task: Option<TaskRef>,
}

#[derive(Clone, Debug)]
struct Instance {
    alive: bool,
    ready: bool,
    free_vcpus: f64,
    free_memory: u32,
    jobs: u32,
    generation: u32,
    ready_at: SimTime,
    idle_since: SimTime,
}

#[derive(Clone, Debug)]
struct EnvRt {
    component: ComponentId,
    spec: ComputeEnvironmentSpec,
    instances: Vec<Instance>,
    /// vCPUs of jobs placed here (STARTING or RUNNING).
    in_use: f64,
    /// Closed billing: instance vCPU-seconds (EC2) or job vCPU-seconds and GB-seconds (Fargate).
    vcpu_seconds: f64,
    gb_seconds: f64,
    interruptions: u64,
}

#[derive(Clone, Debug)]
struct QueueRt {
    component: ComponentId,
    spec: JobQueueSpec,
    envs: Vec<u32>,
    runnable: VecDeque<u32>,
    last_job: Option<(u32, u64)>,
    last_failed: bool,
    stats: JobQueueStats,
    period_succeeded: u64,
    period_failed: u64,
}

/// Where a queue's jobs are, and what happened to them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobQueueStats {
    /// Jobs submitted (an array job counts once).
    pub submitted: u64,
    /// Jobs and array children created.
    pub created: u64,
    pub pending: u64,
    pub runnable: u64,
    pub starting: u64,
    pub running: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Attempts that ended and went back to RUNNABLE.
    pub retries: u64,
    pub timed_out: u64,
    pub interrupted: u64,
}

/// A compute environment now.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComputeEnvironmentStats {
    pub resource_type: &'static str,
    pub max_vcpus: u32,
    pub vcpus_in_use: f64,
    /// vCPUs of ready instances (EC2/SPOT) or of running tasks (Fargate).
    pub vcpus_provisioned: f64,
    pub instances: u32,
    pub launching: u32,
    pub interruptions: u64,
    pub cost_usd: f64,
}

#[derive(Clone, Debug)]
pub(super) struct BatchRt {
    rng: SimRng,
    envs: Vec<EnvRt>,
    queues: Vec<QueueRt>,
    /// Queue indexes in scheduling order: descending priority, then file order.
    order: Vec<u32>,
    jobs: Vec<JobRt>,
    free: Vec<u32>,
    next_job: u64,
    /// Component id to environment or queue index.
    env_of: Vec<u32>,
    queue_of: Vec<u32>,
}

const WHAT_READY: u8 = 0;
const WHAT_INTERRUPTED: u8 = 1;
const WHAT_IDLE: u8 = 2;

impl BatchRt {
    pub(super) fn new(model: &Model) -> BatchRt {
        let mut env_of = vec![NONE; model.components.len()];
        let mut queue_of = vec![NONE; model.components.len()];
        let mut envs = Vec::new();
        for (id, component) in model.components.iter().enumerate() {
            if let ComponentKind::BatchComputeEnvironment(spec) = &component.kind {
                env_of[id] = envs.len() as u32;
                envs.push(EnvRt {
                    component: id,
                    spec: spec.clone(),
                    instances: Vec::new(),
                    in_use: 0.0,
                    vcpu_seconds: 0.0,
                    gb_seconds: 0.0,
                    interruptions: 0,
                });
            }
        }
        let mut queues = Vec::new();
        for (id, component) in model.components.iter().enumerate() {
            if let ComponentKind::BatchJobQueue(spec) = &component.kind {
                queue_of[id] = queues.len() as u32;
                queues.push(QueueRt {
                    component: id,
                    envs: spec
                        .compute_environments
                        .iter()
                        .map(|&c| env_of.get(c).copied().unwrap_or(NONE))
                        .filter(|&e| e != NONE)
                        .collect(),
                    spec: spec.clone(),
                    runnable: VecDeque::new(),
                    last_job: None,
                    last_failed: false,
                    stats: JobQueueStats::default(),
                    period_succeeded: 0,
                    period_failed: 0,
                });
            }
        }
        let mut order: Vec<u32> = (0..queues.len() as u32).collect();
        order.sort_by_key(|&q| std::cmp::Reverse(queues[q as usize].spec.priority));
        BatchRt {
            rng: SimRng::seed_from_u64(model.seed ^ 0x42_4154_4348),
            envs,
            queues,
            order,
            jobs: Vec::new(),
            free: Vec::new(),
            next_job: 1,
            env_of,
            queue_of,
        }
    }

    pub(super) fn queue_index(&self, component: ComponentId) -> Option<u32> {
        self.queue_of.get(component).copied().filter(|&q| q != NONE)
    }

    pub(super) fn env_index(&self, component: ComponentId) -> Option<u32> {
        self.env_of.get(component).copied().filter(|&e| e != NONE)
    }
}

impl Simulation {
    /// Launches the instances that `minvCpus` keeps, ready at time zero.
    pub(super) fn batch_start(&mut self) {
        for env in 0..self.batch.envs.len() {
            let spec = &self.batch.envs[env].spec;
            if spec.resource_type.is_fargate() {
                continue;
            }
            let count = spec.min_vcpus.div_ceil(spec.instance_vcpus.max(1));
            for _ in 0..count {
                self.launch_instance(env as u32, SimDuration::ZERO);
            }
        }
    }

    fn launch_instance(&mut self, env: u32, after: SimDuration) {
        let e = &mut self.batch.envs[env as usize];
        let instance = Instance {
            alive: true,
            ready: false,
            free_vcpus: f64::from(e.spec.instance_vcpus),
            free_memory: e.spec.instance_memory_mib,
            jobs: 0,
            generation: 0,
            ready_at: self.now,
            idle_since: self.now,
        };
        let index = match e.instances.iter().position(|i| !i.alive) {
            Some(index) => {
                let generation = e.instances[index].generation + 1;
                e.instances[index] = Instance {
                    generation,
                    ..instance
                };
                index
            }
            None => {
                e.instances.push(instance);
                e.instances.len() - 1
            }
        } as u32;
        let generation = e.instances[index as usize].generation;
        self.events.schedule(
            self.now.saturating_add(after),
            Event::BatchInstance {
                env,
                instance: index,
                generation,
                what: WHAT_READY,
            },
        );
    }

    pub(super) fn on_batch_instance(&mut self, env: u32, instance: u32, generation: u32, what: u8) {
        let Some(e) = self.batch.envs.get(env as usize) else {
            return;
        };
        let Some(i) = e.instances.get(instance as usize) else {
            return;
        };
        if !i.alive || i.generation != generation {
            return;
        }
        let component = e.component;
        let vcpus = e.spec.instance_vcpus;
        match what {
            WHAT_READY => {
                let rate = e.spec.interruptions_per_hour;
                let scale_in = e.spec.scale_in_after;
                let i = &mut self.batch.envs[env as usize].instances[instance as usize];
                i.ready = true;
                i.ready_at = self.now;
                i.idle_since = self.now;
                self.record(
                    component,
                    None,
                    TraceKind::BatchCapacity {
                        change: "instance ready",
                        instance,
                        vcpus,
                    },
                );
                if rate > 0.0 {
                    let hours = self.batch.rng.exponential(1.0 / rate);
                    self.events.schedule(
                        self.now
                            .saturating_add(SimDuration::from_secs_f64(hours * 3_600.0)),
                        Event::BatchInstance {
                            env,
                            instance,
                            generation,
                            what: WHAT_INTERRUPTED,
                        },
                    );
                }
                self.events.schedule(
                    self.now.saturating_add(scale_in),
                    Event::BatchInstance {
                        env,
                        instance,
                        generation,
                        what: WHAT_IDLE,
                    },
                );
                self.batch_schedule();
            }
            WHAT_INTERRUPTED => {
                self.batch.envs[env as usize].interruptions += 1;
                self.record(
                    component,
                    None,
                    TraceKind::BatchCapacity {
                        change: "Spot instance interrupted",
                        instance,
                        vcpus,
                    },
                );
                let victims: Vec<u32> = (0..self.batch.jobs.len() as u32)
                    .filter(|&j| {
                        let job = &self.batch.jobs[j as usize];
                        job.live && job.placement == Some((env, instance))
                    })
                    .collect();
                self.terminate_instance(env, instance);
                for job in victims {
                    self.end_attempt(job, EndCause::Interrupted);
                }
                self.batch_schedule();
            }
            _ => {
                // Scale-in check: idle long enough, and above minvCpus.
                let e = &self.batch.envs[env as usize];
                let i = &e.instances[instance as usize];
                let provisioned = provisioned_instance_vcpus(e);
                if i.jobs == 0
                    && self.now.since(i.idle_since) >= e.spec.scale_in_after
                    && provisioned - vcpus >= e.spec.min_vcpus
                {
                    self.record(
                        component,
                        None,
                        TraceKind::BatchCapacity {
                            change: "idle instance terminated (scale-in)",
                            instance,
                            vcpus,
                        },
                    );
                    self.terminate_instance(env, instance);
                } else {
                    let at = i
                        .idle_since
                        .saturating_add(e.spec.scale_in_after)
                        .max(self.now.saturating_add(SimDuration::from_secs(1)));
                    let at = if i.jobs > 0 {
                        self.now.saturating_add(e.spec.scale_in_after)
                    } else {
                        at
                    };
                    self.events.schedule(
                        at,
                        Event::BatchInstance {
                            env,
                            instance,
                            generation,
                            what: WHAT_IDLE,
                        },
                    );
                }
            }
        }
    }

    fn terminate_instance(&mut self, env: u32, instance: u32) {
        let now = self.now;
        let e = &mut self.batch.envs[env as usize];
        let vcpus = f64::from(e.spec.instance_vcpus);
        let i = &mut e.instances[instance as usize];
        if i.ready {
            e.vcpu_seconds += vcpus * now.since(i.ready_at).as_secs_f64();
        }
        i.alive = false;
        i.ready = false;
        i.generation += 1;
    }

    /// A fault stopped `share` of an environment (an availability zone): that share of its
    /// instances (or of its Fargate tasks) is lost with the attempts they ran.
    pub(super) fn batch_zone_outage(&mut self, env: u32, share: f64) {
        let e = &self.batch.envs[env as usize];
        let component = e.component;
        let vcpus = e.spec.instance_vcpus;
        let victims: Vec<u32> = if e.spec.resource_type.is_fargate() {
            let running: Vec<u32> = (0..self.batch.jobs.len() as u32)
                .filter(|&j| {
                    let job = &self.batch.jobs[j as usize];
                    job.live && job.placement.is_some_and(|(at, _)| at == env)
                })
                .collect();
            let lost = libm::ceil(share * running.len() as f64 - 1e-9) as usize;
            running.into_iter().take(lost).collect()
        } else {
            let alive: Vec<u32> = (0..e.instances.len() as u32)
                .filter(|&i| e.instances[i as usize].alive)
                .collect();
            let lost = libm::ceil(share * alive.len() as f64 - 1e-9) as usize;
            let mut victims = Vec::new();
            for &instance in alive.iter().take(lost) {
                self.record(
                    component,
                    None,
                    TraceKind::BatchCapacity {
                        change: "instance lost (availability zone outage)",
                        instance,
                        vcpus,
                    },
                );
                victims.extend((0..self.batch.jobs.len() as u32).filter(|&j| {
                    let job = &self.batch.jobs[j as usize];
                    job.live && job.placement == Some((env, instance))
                }));
                self.terminate_instance(env, instance);
            }
            victims
        };
        for job in victims {
            self.end_attempt(job, EndCause::HostLost);
        }
    }

    /// Capacity came back or went away: place and scale again.
    pub(super) fn batch_after_capacity_change(&mut self) {
        self.batch_schedule();
    }

    /// `maxvCpus` of an environment as far as the faults active now allow.
    fn usable_max_vcpus(&self, env: u32) -> f64 {
        let e = &self.batch.envs[env as usize];
        f64::from(e.spec.max_vcpus) * self.fault_capacity(e.component)
    }

    /// `SubmitJob` to a queue; returns the job's id (`<queue>-<n>`) and its slot.
    pub(super) fn submit_job(
        &mut self,
        queue: u32,
        name: Option<String>,
        array_size: Option<u32>,
        task: Option<TaskRef>,
    ) -> (String, u32) {
        let q = &self.batch.queues[queue as usize];
        let array_size = array_size.or(q.spec.array_size).unwrap_or(0);
        let depends = q.spec.depends_on;
        let previous = q.last_job;
        let previous_failed = q.last_failed;
        let number = self.batch.next_job;
        self.batch.next_job += 1;
        let name = name.unwrap_or_else(|| format!("job-{number}"));
        let job = self.new_job(queue, name.clone(), NONE, task);
        self.batch.jobs[job as usize].array_size = array_size;
        let serial = self.batch.jobs[job as usize].serial;
        let q = &mut self.batch.queues[queue as usize];
        q.stats.submitted += 1;
        q.last_job = Some((job, serial));
        q.last_failed = false;
        self.record_job(job, "SUBMITTED", None);
        let mut dependency_failed = false;
        if depends == JobDependency::Previous {
            if let Some((previous, previous_serial)) = previous {
                let live = self
                    .batch
                    .jobs
                    .get(previous as usize)
                    .is_some_and(|p| p.live && p.serial == previous_serial);
                if live {
                    self.batch.jobs[previous as usize].dependents.push(job);
                    self.batch.jobs[job as usize].deps_left += 1;
                }
            }
            // The previous job already ended (it is no longer held): it failed or it did not.
            dependency_failed = previous.is_none() && previous_failed;
        }
        if dependency_failed {
            self.finish_job(job, false, "Dependent Job failed".into());
        } else if self.batch.jobs[job as usize].deps_left == 0 {
            self.job_ready(job);
        } else {
            self.record_job(job, "PENDING", Some("waiting for its dependency".into()));
        }
        self.batch_schedule();
        (name, job)
    }

    fn new_job(&mut self, queue: u32, name: String, parent: u32, task: Option<TaskRef>) -> u32 {
        let serial = self.batch.next_job.wrapping_mul(0x9E37_79B9) ^ self.batch.jobs.len() as u64;
        let job = JobRt {
            live: true,
            serial,
            queue,
            name,
            state: JobState::Pending,
            attempt: 0,
            parent,
            children_left: 0,
            child_failed: false,
            array_size: 0,
            deps_left: 0,
            dependents: Vec::new(),
            placement: None,
            generation: 0,
            phase_started: self.now,
            end_cause: EndCause::Exit { success: true },
            task,
        };
        self.batch.queues[queue as usize].stats.created += 1;
        self.batch.queues[queue as usize].stats.pending += 1;
        match self.batch.free.pop() {
            Some(slot) => {
                let generation = self.batch.jobs[slot as usize].generation + 1;
                self.batch.jobs[slot as usize] = JobRt { generation, ..job };
                slot
            }
            None => {
                self.batch.jobs.push(job);
                self.batch.jobs.len() as u32 - 1
            }
        }
    }

    fn record_job(&mut self, job: u32, state: &'static str, reason: Option<String>) {
        if !self.tracing {
            return;
        }
        let j = &self.batch.jobs[job as usize];
        let component = self.batch.queues[j.queue as usize].component;
        let name = j.name.clone();
        let attempt = j.attempt;
        self.record(
            component,
            None,
            TraceKind::JobStateChanged {
                job: name,
                state,
                attempt,
                reason,
            },
        );
    }

    /// Moves a job between the queue's state counters and records the change.
    fn set_job_state(&mut self, job: u32, state: JobState, reason: Option<String>) {
        let j = &mut self.batch.jobs[job as usize];
        let before = j.state;
        j.state = state;
        let stats = &mut self.batch.queues[j.queue as usize].stats;
        *counter(stats, before) -= 1;
        *counter(stats, state) += 1;
        self.record_job(job, state.as_str(), reason);
    }

    /// Dependencies met: an array parent creates its children; a job becomes RUNNABLE.
    fn job_ready(&mut self, job: u32) {
        let j = &self.batch.jobs[job as usize];
        let (queue, size) = (j.queue, j.array_size);
        let parent_name = j.name.clone();
        if size == 0 {
            self.set_job_state(job, JobState::Runnable, None);
            self.batch.queues[queue as usize].runnable.push_back(job);
            return;
        }
        self.record_job(
            job,
            "PENDING",
            Some(format!("array parent of {size} child jobs")),
        );
        let sequential = self.batch.queues[queue as usize].spec.sequential_array;
        self.batch.jobs[job as usize].children_left = size;
        let mut previous = NONE;
        for index in 0..size {
            let child = self.new_job(queue, format!("{parent_name}:{index}"), job, None);
            self.record_job(child, "SUBMITTED", None);
            if sequential && previous != NONE {
                self.batch.jobs[previous as usize].dependents.push(child);
                self.batch.jobs[child as usize].deps_left = 1;
                self.record_job(child, "PENDING", None);
            } else {
                self.set_job_state(child, JobState::Runnable, None);
                self.batch.queues[queue as usize].runnable.push_back(child);
            }
            previous = child;
        }
    }

    /// Places runnable jobs by queue priority as capacity allows, and scales out.
    fn batch_schedule(&mut self) {
        for position in 0..self.batch.order.len() {
            let queue = self.batch.order[position];
            while let Some(&job) = self.batch.queues[queue as usize].runnable.front() {
                if !self.place(queue, job) {
                    break;
                }
                self.batch.queues[queue as usize].runnable.pop_front();
            }
            self.scale_out(queue);
        }
    }

    fn place(&mut self, queue: u32, job: u32) -> bool {
        let q = &self.batch.queues[queue as usize];
        let (vcpus, memory) = (
            q.spec.job_definition.vcpus,
            q.spec.job_definition.memory_mib,
        );
        let mut placement = None;
        for &env in &q.envs {
            let e = &self.batch.envs[env as usize];
            if e.spec.resource_type.is_fargate() {
                if e.in_use + vcpus <= self.usable_max_vcpus(env) + 1e-9 {
                    placement = Some((env, NONE));
                    break;
                }
            } else if let Some(instance) = e.instances.iter().position(|i| {
                i.alive && i.ready && i.free_vcpus + 1e-9 >= vcpus && i.free_memory >= memory
            }) {
                placement = Some((env, instance as u32));
                break;
            }
        }
        let Some((env, instance)) = placement else {
            return false;
        };
        let e = &mut self.batch.envs[env as usize];
        e.in_use += vcpus;
        if instance != NONE {
            let i = &mut e.instances[instance as usize];
            i.free_vcpus -= vcpus;
            i.free_memory -= memory;
            i.jobs += 1;
        }
        let start = e.spec.container_start;
        let env_component = e.component;
        let j = &mut self.batch.jobs[job as usize];
        j.placement = Some((env, instance));
        j.attempt += 1;
        j.phase_started = self.now;
        j.generation += 1;
        let generation = j.generation;
        let where_ = if instance == NONE {
            format!("a Fargate task of {}", self.component_name(env_component))
        } else {
            format!(
                "instance {instance} of {}",
                self.component_name(env_component)
            )
        };
        self.set_job_state(job, JobState::Starting, Some(where_));
        self.events.schedule(
            self.now.saturating_add(start),
            Event::BatchJob { job, generation },
        );
        true
    }

    /// Launches EC2 instances for a queue's runnable jobs, within `maxvCpus`.
    fn scale_out(&mut self, queue: u32) {
        let q = &self.batch.queues[queue as usize];
        if q.runnable.is_empty() {
            return;
        }
        let mut needed = q.spec.job_definition.vcpus * q.runnable.len() as f64;
        let envs = q.envs.clone();
        for env in envs {
            let e = &self.batch.envs[env as usize];
            if e.spec.resource_type.is_fargate() {
                continue;
            }
            let size = e.spec.instance_vcpus;
            let launching: f64 = e
                .instances
                .iter()
                .filter(|i| i.alive && !i.ready)
                .map(|i| f64::from(size).min(i.free_vcpus))
                .sum();
            needed -= launching;
            let mut provisioned = e.instances.iter().filter(|i| i.alive).count() as u32 * size;
            let launch = e.spec.instance_launch;
            let max_vcpus = self.usable_max_vcpus(env);
            while needed > 1e-9 && f64::from(provisioned + size) <= max_vcpus + 1e-9 {
                self.launch_instance(env, launch);
                let component = self.batch.envs[env as usize].component;
                self.record(
                    component,
                    None,
                    TraceKind::BatchCapacity {
                        change: "instance launching (scale-out)",
                        instance: self.batch.envs[env as usize].instances.len() as u32,
                        vcpus: size,
                    },
                );
                provisioned += size;
                needed -= f64::from(size);
            }
            if needed <= 1e-9 {
                return;
            }
        }
    }

    pub(super) fn on_batch_job(&mut self, job: u32, generation: u32) {
        let Some(j) = self.batch.jobs.get(job as usize) else {
            return;
        };
        if !j.live || j.generation != generation {
            return;
        }
        match j.state {
            JobState::Starting => {
                let q = &self.batch.queues[j.queue as usize].spec;
                let definition = q.job_definition.clone();
                let spot_rate = j
                    .placement
                    .filter(|&(_, instance)| instance == NONE)
                    .map(|(env, _)| self.batch.envs[env as usize].spec.interruptions_per_hour)
                    .unwrap_or(0.0);
                let seconds = definition.duration.sample(&mut self.batch.rng).max(0.0);
                let success = !self.batch.rng.chance(definition.failure_probability);
                let mut end = seconds;
                let mut cause = EndCause::Exit { success };
                let env_component = j
                    .placement
                    .map(|(env, _)| self.batch.envs[env as usize].component);
                if env_component.is_some_and(|c| self.fault_fails(c)) {
                    // A host error a little into the attempt.
                    end = end.min(1.0);
                    cause = EndCause::HostLost;
                }
                if let Some(timeout) = definition.attempt_duration_seconds {
                    if f64::from(timeout) < end {
                        end = f64::from(timeout);
                        cause = EndCause::Timeout;
                    }
                }
                if spot_rate > 0.0 {
                    let interrupted_after = self.batch.rng.exponential(1.0 / spot_rate) * 3_600.0;
                    if interrupted_after < end {
                        end = interrupted_after;
                        cause = EndCause::Interrupted;
                    }
                }
                let j = &mut self.batch.jobs[job as usize];
                j.end_cause = cause;
                j.generation += 1;
                let generation = j.generation;
                self.set_job_state(job, JobState::Running, None);
                self.events.schedule(
                    self.now.saturating_add(SimDuration::from_secs_f64(end)),
                    Event::BatchJob { job, generation },
                );
            }
            JobState::Running => {
                let cause = j.end_cause;
                if cause == EndCause::Interrupted {
                    if let Some((env, _)) = j.placement {
                        self.batch.envs[env as usize].interruptions += 1;
                    }
                }
                self.end_attempt(job, cause);
                self.batch_schedule();
            }
            _ => {}
        }
    }

    /// Ends the running (or starting) attempt: frees its capacity, then retries or ends the job.
    fn end_attempt(&mut self, job: u32, cause: EndCause) {
        let now = self.now;
        let j = &mut self.batch.jobs[job as usize];
        j.generation += 1;
        let queue = j.queue;
        let attempt = j.attempt;
        let started = j.phase_started;
        if let Some((env, instance)) = j.placement.take() {
            let definition = &self.batch.queues[queue as usize].spec.job_definition;
            let (vcpus, memory) = (definition.vcpus, definition.memory_mib);
            let e = &mut self.batch.envs[env as usize];
            e.in_use = (e.in_use - vcpus).max(0.0);
            if instance == NONE {
                let seconds = now.since(started).as_secs_f64();
                e.vcpu_seconds += vcpus * seconds;
                e.gb_seconds += f64::from(memory) / 1024.0 * seconds;
            } else if let Some(i) = e.instances.get_mut(instance as usize) {
                if i.alive {
                    i.free_vcpus += vcpus;
                    i.free_memory += memory;
                    i.jobs -= 1;
                    if i.jobs == 0 {
                        i.idle_since = now;
                    }
                }
            }
        }
        let attempts = self.batch.queues[queue as usize]
            .spec
            .job_definition
            .attempts;
        let (retry, reason) = match cause {
            EndCause::Exit { success: true } => {
                self.finish_job(job, true, "Essential container in task exited".into());
                return;
            }
            EndCause::Exit { success: false } => (
                attempt < attempts,
                "Essential container in task exited (exit code 1)".to_string(),
            ),
            EndCause::Interrupted => {
                self.batch.queues[queue as usize].stats.interrupted += 1;
                (
                    attempt < attempts,
                    "Host EC2 instance terminated (Spot interruption)".to_string(),
                )
            }
            EndCause::HostLost => (
                attempt < attempts,
                "Host EC2 instance or Fargate task lost (a fault of the scenario)".to_string(),
            ),
            EndCause::Timeout => {
                self.batch.queues[queue as usize].stats.timed_out += 1;
                (false, "Job attempt duration exceeded timeout".to_string())
            }
        };
        if retry {
            self.batch.queues[queue as usize].stats.retries += 1;
            self.set_job_state(
                job,
                JobState::Runnable,
                Some(format!(
                    "attempt {attempt} of {attempts} failed: {reason}; retrying"
                )),
            );
            self.batch.queues[queue as usize].runnable.push_back(job);
        } else {
            self.finish_job(job, false, reason);
        }
    }

    /// A job ends: its dependents, its array parent and a waiting `.sync` task learn it.
    fn finish_job(&mut self, job: u32, success: bool, reason: String) {
        let state = if success {
            JobState::Succeeded
        } else {
            JobState::Failed
        };
        self.set_job_state(job, state, Some(reason.clone()));
        let j = &mut self.batch.jobs[job as usize];
        let queue = j.queue;
        let parent = j.parent;
        let serial = j.serial;
        let dependents = std::mem::take(&mut j.dependents);
        let task = j.task.take();
        let name = j.name.clone();
        let attempts = j.attempt;
        let q = &mut self.batch.queues[queue as usize];
        if success {
            q.period_succeeded += 1;
        } else {
            q.period_failed += 1;
        }
        if q.last_job
            .is_some_and(|(last, s)| last == job && s == serial)
        {
            q.last_job = None;
            q.last_failed = !success;
        }
        j_free(self, job);
        for dependent in dependents {
            let d = &mut self.batch.jobs[dependent as usize];
            if !d.live || d.state != JobState::Pending {
                continue;
            }
            if success {
                d.deps_left = d.deps_left.saturating_sub(1);
                if d.deps_left == 0 {
                    self.job_ready(dependent);
                }
            } else {
                self.finish_job(dependent, false, "Dependent Job failed".into());
            }
        }
        if parent != NONE {
            let p = &mut self.batch.jobs[parent as usize];
            p.children_left -= 1;
            p.child_failed |= !success;
            if p.children_left == 0 {
                let ok = !p.child_failed;
                let why = if ok {
                    "every child job succeeded"
                } else {
                    "a child job failed"
                };
                self.finish_job(parent, ok, why.into());
            }
        }
        if let Some(task) = task {
            let description = json!({
                "JobName": name,
                "JobId": name,
                "JobQueue": self.component_name(self.batch.queues[queue as usize].component),
                "Status": state.as_str(),
                "StatusReason": reason,
                "Attempts": attempts,
            });
            let result = if success {
                Ok(description)
            } else {
                Err(StatesError::new(
                    "States.TaskFailed",
                    description.to_string(),
                ))
            };
            self.complete_task(task, result);
        }
    }

    /// `arn:aws:states:::batch:submitJob` from a state machine: `JobQueue` names a job
    /// queue node (id, name or ARN), `JobName` names the job, `ArrayProperties.Size` makes
    /// it an array job.
    pub(super) fn sfn_submit_job(
        &mut self,
        input: &Value,
        task: Option<TaskRef>,
    ) -> Result<Value, StatesError> {
        let reference = match input.get("JobQueue") {
            Some(Value::String(text)) => text.clone(),
            _ => String::new(),
        };
        let wanted = reference
            .rsplit('/')
            .next()
            .unwrap_or(&reference)
            .to_string();
        let found =
            super::sfn::find_component(self, &wanted, |s| matches!(s, super::Slot::BatchQueue(_)))
                .and_then(|component| self.batch.queue_index(component));
        let Some(queue) = found else {
            return Err(StatesError::new(
                "Batch.ClientException",
                format!("JobQueue \"{reference}\" names no job queue in this scenario"),
            ));
        };
        let name = input
            .get("JobName")
            .and_then(Value::as_str)
            .map(str::to_string);
        let size = input
            .get("ArrayProperties")
            .and_then(|a| a.get("Size"))
            .and_then(Value::as_u64)
            .map(|s| s as u32);
        if let Some(size) = size {
            if !(2..=10_000).contains(&size) {
                return Err(StatesError::new(
                    "Batch.ClientException",
                    format!("ArrayProperties.Size {size} is outside 2..=10000"),
                ));
            }
        }
        let (name, _) = self.submit_job(queue, name, size, task);
        Ok(json!({"JobName": name, "JobId": name}))
    }

    /// A producer's `SubmitJob` calls.
    pub(super) fn producer_submit_jobs(&mut self, producer: u32, queue: u32, count: u32) {
        for _ in 0..count {
            let p = &mut self.producers[producer as usize];
            p.attempted += 1;
            p.accepted += 1;
            p.period_sent += 1;
            self.submit_job(queue, None, None, None);
        }
    }

    pub(super) fn batch_queue_stats(&self, queue: u32) -> JobQueueStats {
        self.batch.queues[queue as usize].stats.clone()
    }

    pub(super) fn batch_env_stats(&self, env: u32) -> ComputeEnvironmentStats {
        let e = &self.batch.envs[env as usize];
        let fargate = e.spec.resource_type.is_fargate();
        ComputeEnvironmentStats {
            resource_type: e.spec.resource_type.as_str(),
            max_vcpus: e.spec.max_vcpus,
            vcpus_in_use: e.in_use,
            vcpus_provisioned: if fargate {
                e.in_use
            } else {
                f64::from(
                    e.instances.iter().filter(|i| i.alive && i.ready).count() as u32
                        * e.spec.instance_vcpus,
                )
            },
            instances: e.instances.iter().filter(|i| i.alive && i.ready).count() as u32,
            launching: e.instances.iter().filter(|i| i.alive && !i.ready).count() as u32,
            interruptions: e.interruptions,
            cost_usd: self.env_cost(env),
        }
    }

    /// Closed billing plus what runs now.
    pub(super) fn env_cost(&self, env: u32) -> f64 {
        let e = &self.batch.envs[env as usize];
        let mut vcpu_seconds = e.vcpu_seconds;
        let mut gb_seconds = e.gb_seconds;
        if e.spec.resource_type.is_fargate() {
            for job in &self.batch.jobs {
                if let (true, Some((at, _))) = (job.live, job.placement) {
                    if at == env {
                        let definition = &self.batch.queues[job.queue as usize].spec.job_definition;
                        let seconds = self.now.since(job.phase_started).as_secs_f64();
                        vcpu_seconds += definition.vcpus * seconds;
                        gb_seconds += f64::from(definition.memory_mib) / 1024.0 * seconds;
                    }
                }
            }
        } else {
            for i in e.instances.iter().filter(|i| i.alive && i.ready) {
                vcpu_seconds +=
                    f64::from(e.spec.instance_vcpus) * self.now.since(i.ready_at).as_secs_f64();
            }
        }
        (vcpu_seconds * e.spec.price_per_vcpu_hour + gb_seconds * e.spec.price_per_gb_hour)
            / 3_600.0
    }

    pub(super) fn batch_costs(&self) -> Vec<(ComponentId, f64)> {
        (0..self.batch.envs.len() as u32)
            .map(|e| (self.batch.envs[e as usize].component, self.env_cost(e)))
            .collect()
    }

    pub(super) fn batch_metric_samples(&mut self, now: SimTime, samples: &mut Vec<MetricSample>) {
        for q in &mut self.batch.queues {
            for (metric, value) in [
                (Metric::RunnableJobs, q.stats.runnable as f64),
                (
                    Metric::RunningJobs,
                    (q.stats.starting + q.stats.running) as f64,
                ),
                (Metric::JobsSucceeded, q.period_succeeded as f64),
                (Metric::JobsFailed, q.period_failed as f64),
            ] {
                samples.push(MetricSample {
                    time: now,
                    component: q.component,
                    metric,
                    value,
                });
            }
            q.period_succeeded = 0;
            q.period_failed = 0;
        }
        for env in 0..self.batch.envs.len() as u32 {
            let stats = self.batch_env_stats(env);
            let component = self.batch.envs[env as usize].component;
            for (metric, value) in [
                (Metric::CPUReservation, stats.vcpus_in_use),
                (Metric::DesiredvCpus, stats.vcpus_provisioned),
                (Metric::EstimatedCharges, stats.cost_usd),
            ] {
                samples.push(MetricSample {
                    time: now,
                    component,
                    metric,
                    value,
                });
            }
        }
    }

    /// Every queue's counters match its live jobs, and every created job is counted once.
    pub(super) fn check_batch_invariants(&self) -> Result<(), String> {
        for (index, q) in self.batch.queues.iter().enumerate() {
            let s = &q.stats;
            let accounted =
                s.pending + s.runnable + s.starting + s.running + s.succeeded + s.failed;
            if accounted != s.created {
                return Err(format!(
                    "job queue {index}: {} jobs created, {accounted} accounted: {s:?}",
                    s.created
                ));
            }
            let mut live = [0u64; 4];
            for job in self
                .batch
                .jobs
                .iter()
                .filter(|j| j.live && j.queue == index as u32)
            {
                match job.state {
                    JobState::Pending => live[0] += 1,
                    JobState::Runnable => live[1] += 1,
                    JobState::Starting => live[2] += 1,
                    JobState::Running => live[3] += 1,
                    _ => return Err(format!("job {} is ended but still held", job.name)),
                }
            }
            if live != [s.pending, s.runnable, s.starting, s.running] {
                return Err(format!(
                    "job queue {index}: held jobs {live:?} against {s:?}"
                ));
            }
            if q.runnable.len() as u64 != s.runnable {
                return Err(format!(
                    "job queue {index}: {} in the runnable list, {} counted",
                    q.runnable.len(),
                    s.runnable
                ));
            }
        }
        for (index, e) in self.batch.envs.iter().enumerate() {
            let provisioned = provisioned_instance_vcpus(e);
            if !e.spec.resource_type.is_fargate() && provisioned > e.spec.max_vcpus {
                return Err(format!(
                    "compute environment {index}: {provisioned} vCPUs above maxvCpus {}",
                    e.spec.max_vcpus
                ));
            }
            if e.in_use > f64::from(e.spec.max_vcpus) + 1e-6 {
                return Err(format!(
                    "compute environment {index}: {} vCPUs in use above maxvCpus",
                    e.in_use
                ));
            }
        }
        Ok(())
    }

    pub(super) fn batch_settled(&self) -> bool {
        self.batch
            .queues
            .iter()
            .all(|q| q.stats.pending + q.stats.runnable + q.stats.starting + q.stats.running == 0)
    }
}

fn provisioned_instance_vcpus(e: &EnvRt) -> u32 {
    e.instances.iter().filter(|i| i.alive).count() as u32 * e.spec.instance_vcpus
}

fn counter(stats: &mut JobQueueStats, state: JobState) -> &mut u64 {
    match state {
        JobState::Pending => &mut stats.pending,
        JobState::Runnable => &mut stats.runnable,
        JobState::Starting => &mut stats.starting,
        JobState::Running => &mut stats.running,
        JobState::Succeeded => &mut stats.succeeded,
        JobState::Failed => &mut stats.failed,
    }
}

/// Releases an ended job's slot (its counters stay in the queue's stats).
fn j_free(sim: &mut Simulation, job: u32) {
    let j = &mut sim.batch.jobs[job as usize];
    debug_assert!(j.state.terminal());
    j.live = false;
    sim.batch.free.push(job);
}
