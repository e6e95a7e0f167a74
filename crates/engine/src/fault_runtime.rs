//! The fault timeline inside the simulation: a child module of `sim` that applies the
//! model's faults ([`crate::fault`]) at their exact virtual times.
//!
//! Each fault schedules two events when the simulation is built, one at its start and one
//! at its end, ahead of every other event of time zero, so at equal times a fault edge runs
//! before what the components do. Slow and fail effects are read where the work happens
//! (a consumer samples its processing time, an endpoint answers, a task state starts) from
//! the window itself, `[start, end)`; a stop of a consumer pool changes its workers at the
//! edges: the stopped workers drop the messages in their hands (they stay in flight until
//! their visibility timeout, then another worker receives them) and no longer poll.
//! Failure draws come from the faults' own RNG stream, so a scenario's other draws stay as
//! they were.

use super::{Event, Simulation, Slot, WorkerState};
use crate::fault::FaultEffect;
use crate::metrics::{Metric, MetricSample};
use crate::model::{ComponentId, Model};
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};
use crate::trace::TraceKind;

#[derive(Clone, Debug)]
pub(super) struct FaultsRt {
    /// The faults' own stream (failure draws).
    rng: SimRng,
    /// Components named by at least one fault.
    targeted: Vec<bool>,
    /// Workers down per consumer pool (by pool index).
    down: Vec<u32>,
    /// Messages dropped by stopped workers, per consumer pool.
    abandoned: Vec<u64>,
}

impl FaultsRt {
    pub(super) fn new(model: &Model, consumers: usize) -> FaultsRt {
        let mut targeted = vec![false; model.components.len()];
        for fault in &model.faults {
            if let Some(flag) = targeted.get_mut(fault.component) {
                *flag = true;
            }
        }
        FaultsRt {
            rng: SimRng::seed_from_u64(model.seed ^ 0x4641_554c_5453),
            targeted,
            down: vec![0; consumers],
            abandoned: vec![0; consumers],
        }
    }
}

/// What a consumer pool's stats add about faults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolFaultStats {
    pub workers_down: u32,
    pub abandoned: u64,
}

impl Simulation {
    /// Schedules both edges of every fault; called first when the simulation is built.
    pub(super) fn schedule_faults(&mut self) {
        for (index, fault) in self.model.faults.iter().enumerate() {
            let fault_index = index as u32;
            self.events.schedule(
                SimTime::ZERO.saturating_add(fault.start),
                Event::FaultEdge {
                    fault: fault_index,
                    begins: true,
                },
            );
            self.events.schedule(
                SimTime::ZERO.saturating_add(fault.end()),
                Event::FaultEdge {
                    fault: fault_index,
                    begins: false,
                },
            );
        }
    }

    pub(super) fn on_fault_edge(&mut self, fault: u32, begins: bool) {
        let Some(spec) = self.model.faults.get(fault as usize).cloned() else {
            return;
        };
        let kind = if begins {
            TraceKind::FaultStarted {
                fault: fault as usize,
                effect: spec.effect,
                until: SimTime::ZERO.saturating_add(spec.end()),
            }
        } else {
            TraceKind::FaultEnded {
                fault: fault as usize,
                effect: spec.effect,
            }
        };
        self.record(spec.component, None, kind);
        match self.slots.get(spec.component).copied() {
            Some(Slot::Consumer(pool)) => self.apply_pool_outage(pool),
            Some(Slot::BatchEnv(env)) => {
                if begins {
                    if let FaultEffect::Stop { share } = spec.effect {
                        self.batch_zone_outage(env, share);
                    }
                }
                self.batch_after_capacity_change();
            }
            Some(Slot::Alb(alb)) => self.alb_apply_faults(alb),
            _ => {}
        }
    }

    /// The faults of a component active now.
    fn active_effects(&self, component: ComponentId) -> impl Iterator<Item = FaultEffect> + '_ {
        let targeted = self
            .faults
            .targeted
            .get(component)
            .copied()
            .unwrap_or(false);
        let now = self.now;
        self.model
            .faults
            .iter()
            .filter(move |f| targeted && f.component == component && f.active_at(now))
            .map(|f| f.effect)
    }

    /// The largest share stopped by the faults active now (0 when none).
    fn stopped_share(&self, component: ComponentId) -> f64 {
        self.active_effects(component)
            .filter_map(|effect| match effect {
                FaultEffect::Stop { share } => Some(share),
                _ => None,
            })
            .fold(0.0, f64::max)
    }

    /// The share of a component's capacity that works now (1 without a stop fault).
    pub(super) fn fault_capacity(&self, component: ComponentId) -> f64 {
        1.0 - self.stopped_share(component)
    }

    /// Whether a whole component is stopped now (an endpoint, a state machine).
    pub(super) fn fault_stopped(&self, component: ComponentId) -> bool {
        self.stopped_share(component) >= 1.0
    }

    /// How many times slower the component works now (1 without a fault).
    pub(super) fn fault_slowdown(&self, component: ComponentId) -> f64 {
        self.active_effects(component)
            .filter_map(|effect| match effect {
                FaultEffect::Slow { factor } => Some(factor),
                _ => None,
            })
            .fold(1.0, f64::max)
    }

    /// Whether a request to the component fails now because of a `fail` fault (one draw
    /// of the faults' stream when one is active; none otherwise).
    pub(super) fn fault_fails(&mut self, component: ComponentId) -> bool {
        let share = self.fault_fail_share(component);
        share > 0.0 && self.faults.rng.chance(share)
    }

    /// Whether a worker of a pool is one of the stopped ones (the first `down` workers
    /// that are not retired).
    pub(super) fn fault_worker_down(&self, pool: u32, worker: u32) -> bool {
        let down = self.faults.down.get(pool as usize).copied().unwrap_or(0);
        down > 0 && self.active_rank(pool, worker) < down
    }

    /// Stops or restarts a pool's workers after a fault edge.
    fn apply_pool_outage(&mut self, pool: u32) {
        let c = &self.consumers[pool as usize];
        let share = self.stopped_share(c.component);
        let down = libm::ceil(share * f64::from(c.spec.workers) - 1e-9).max(0.0) as u32;
        self.faults.down[pool as usize] = down;
        let paused_by_command = c.paused;
        let queue = c.queue;
        let consumer_component = c.component;
        let queue_component = self.queues[queue as usize].component;
        let mut rank = 0u32;
        for worker in 0..self.consumers[pool as usize].workers.len() {
            let state = self.consumers[pool as usize].workers[worker].state;
            if state == WorkerState::Retired {
                continue;
            }
            let is_down = rank < down;
            rank += 1;
            let worker_index = worker as u32;
            if is_down {
                if state == WorkerState::Paused {
                    continue;
                }
                if state == WorkerState::Processing {
                    let w = &self.consumers[pool as usize].workers[worker];
                    let dropped: Vec<u64> = w.batch[w.position.min(w.batch.len())..]
                        .iter()
                        .map(|taken| self.msgs[taken.slot as usize].id)
                        .collect();
                    self.faults.abandoned[pool as usize] += dropped.len() as u64;
                    for id in dropped {
                        self.record(
                            queue_component,
                            Some(id),
                            TraceKind::WorkAbandoned {
                                consumer: consumer_component,
                            },
                        );
                    }
                }
                let w = &mut self.consumers[pool as usize].workers[worker];
                w.batch.clear();
                w.position = 0;
                self.park_worker(pool, worker_index, queue);
            } else if state == WorkerState::Paused && !paused_by_command {
                self.wake_worker(pool, worker_index);
            }
        }
    }

    pub(super) fn pool_fault_stats(&self, pool: u32) -> PoolFaultStats {
        PoolFaultStats {
            workers_down: self.faults.down.get(pool as usize).copied().unwrap_or(0),
            abandoned: self
                .faults
                .abandoned
                .get(pool as usize)
                .copied()
                .unwrap_or(0),
        }
    }

    /// `FaultActive` for every component a fault names: 1 when a fault of the component
    /// overlapped the period that just ended, else 0.
    pub(super) fn fault_metric_samples(&self, now: SimTime, samples: &mut Vec<MetricSample>) {
        let period_start = now
            .as_micros()
            .saturating_sub(self.model.metric_period.as_micros());
        for (component, targeted) in self.faults.targeted.iter().enumerate() {
            if !targeted {
                continue;
            }
            let overlapped = self.model.faults.iter().any(|f| {
                f.component == component
                    && f.start.as_micros() < now.as_micros()
                    && f.end().as_micros() > period_start
            });
            samples.push(MetricSample {
                time: now,
                component,
                metric: Metric::FaultActive,
                value: if overlapped { 1.0 } else { 0.0 },
            });
        }
    }

    /// Whether a component has faults (its metric history then carries `FaultActive`).
    pub(super) fn fault_targeted(model: &Model, component: ComponentId) -> bool {
        model.faults.iter().any(|f| f.component == component)
    }

    /// The error a task state of a state machine gets from an active fault, if any.
    pub(super) fn fault_task_error(&mut self, component: ComponentId) -> Option<String> {
        if self.fault_stopped(component) {
            return Some("the task's service is stopped by a fault".to_string());
        }
        self.fault_fails(component)
            .then(|| "the task failed: a fault fails a share of this machine's tasks".to_string())
    }

    /// The faults active now, by index in the model's list.
    pub fn active_faults(&self) -> Vec<usize> {
        let now = self.now;
        self.model
            .faults
            .iter()
            .enumerate()
            .filter(|(_, f)| f.active_at(now))
            .map(|(index, _)| index)
            .collect()
    }
}

/// Scales a sampled duration by a slow-down factor.
pub(super) fn slowed(seconds: f64, factor: f64) -> SimDuration {
    SimDuration::from_secs_f64(seconds * factor)
}

impl Simulation {
    /// The combined share of requests `fail` faults fail now (0 when none), for components
    /// that draw per request from their own stream (AppFlow flows).
    pub(super) fn fault_fail_share(&self, component: ComponentId) -> f64 {
        let pass = self
            .active_effects(component)
            .filter_map(|effect| match effect {
                FaultEffect::Fail { share } => Some(1.0 - share),
                _ => None,
            })
            .fold(1.0, |acc, pass| acc * pass);
        1.0 - pass
    }
}
