//! Application Load Balancers inside the simulation.
//!
//! Modelled: one HTTP listener whose default action forwards to one target group of identical
//! EC2 instances; client populations connected to the load balancer send their requests
//! through it (their timeouts, retries and back-off apply to its answers). Each request goes
//! to a healthy target chosen by `round_robin` or `least_outstanding_requests`; with no
//! healthy target the load balancer fails open and routes to every registered target; with
//! no registered target it answers 503. A target serves `instance_concurrency` requests at
//! once (the rest wait in its backlog, first come first served), answers 200, or 500 for the
//! `error_probability` share; a target that refuses or resets the connection makes the load
//! balancer answer 502; no answer within `idle_timeout.timeout_seconds` makes it answer 504.
//! Health checks go to every registered target every `HealthCheckIntervalSeconds` (the first
//! one an interval after the start, or at once for a target registered while running): the
//! check passes when the target answers within `HealthCheckTimeoutSeconds` with a code the
//! matcher accepts; the states `initial`, `healthy`, `unhealthy`, `draining` and `unused`
//! follow `alb::TargetHealth::after_check`. Lowering the instance count while running
//! deregisters the last instances: they drain (no new requests) until their requests are
//! answered or `deregistration_delay.timeout_seconds` passes (requests still open are then
//! cut: 502); raising it registers new instances as `initial`.
//! Faults: `stop` takes `share` of the instances down (connections refused: 502 at once, and
//! the requests they held are reset: 502), `slow` multiplies their service time and their
//! health-check answers, `fail` resets that share of connections (502, health checks too).
//! Metrics of `AWS/ApplicationELB`; the price per load balancer-hour (partial hours count as
//! full ones) and per LCU-hour (us-east-1).
//!
//! Simplified: the load balancer is one node (AWS runs one per enabled Availability Zone,
//! each checking every target); targets registered at the start are healthy from the start
//! (as if they had passed their checks before); health checks do not wait in a target's
//! backlog (they take `health_check_seconds`, times a `slow` fault's factor); every request opens
//! a new connection (no keep-alive) for the LCU count, and LCUs are measured per metric
//! period rather than per hour. Left out: listener rules and several target groups, HTTPS
//! and certificates, stickiness, slow start, cross-zone settings and zonal shift, Lambda and
//! IP targets, access logs, and an API Gateway integration or Auto Scaling group in front
//! of or behind the load balancer.

use std::collections::VecDeque;

use super::*;
use crate::alb::{
    alb_limits, CheckResult, LoadBalancerSpec, Matcher, RoutingAlgorithm, TargetHealth, TargetState,
};

/// What answered an attempt, with the status the client gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlbAnswer {
    /// The target answered 200.
    TargetOk,
    /// The target answered 500.
    TargetError,
    /// 502 Bad Gateway: the target refused or reset the connection.
    BadGateway,
    /// 503 Service Unavailable: the target group has no registered target.
    NoTargets,
    /// 504 Gateway Timeout: no answer within the idle timeout.
    GatewayTimeout,
}

impl AlbAnswer {
    pub fn status(self) -> u16 {
        match self {
            AlbAnswer::TargetOk => 200,
            AlbAnswer::TargetError => 500,
            AlbAnswer::BadGateway => 502,
            AlbAnswer::NoTargets => 503,
            AlbAnswer::GatewayTimeout => 504,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AlbAnswer::TargetOk => "the target answered 200 OK",
            AlbAnswer::TargetError => "the target answered 500 Internal Server Error",
            AlbAnswer::BadGateway => "502 Bad Gateway: the target refused or reset the connection",
            AlbAnswer::NoTargets => {
                "503 Service Unavailable: the target group has no registered targets"
            }
            AlbAnswer::GatewayTimeout => {
                "504 Gateway Timeout: the target did not answer within the idle timeout"
            }
        }
    }
}

#[derive(Clone, Debug, Default)]
struct AlbCounters {
    request_count: u64,
    target_2xx: u64,
    target_5xx: u64,
    elb_502: u64,
    elb_503: u64,
    elb_504: u64,
    target_seconds_sum: f64,
    target_answers: u64,
    /// The most requests outstanding at once (for the active-connections LCU dimension).
    peak_outstanding: u32,
}

#[derive(Clone, Debug)]
struct TargetRt {
    health: TargetHealth,
    /// AWS's reason code for the current state ("" when healthy).
    reason: &'static str,
    /// Requests the load balancer routed here and has not answered yet.
    outstanding: u32,
    /// Requests routed here in all (for the distribution).
    routed: u64,
    /// Requests the instance is serving: (request, epoch).
    serving: Vec<(u32, u32)>,
    backlog: VecDeque<(u32, u32)>,
    /// Stopped by a fault: connections are refused.
    down: bool,
    /// Changes when the instance loses its work (a stop), so that its pending answers drop.
    work_generation: u32,
    /// Changes when the target is deregistered, so that its pending checks drop.
    check_generation: u32,
}

impl TargetRt {
    fn new(state: TargetState) -> TargetRt {
        TargetRt {
            health: TargetHealth::new(state),
            reason: if state == TargetState::Initial {
                "Elb.RegistrationInProgress"
            } else {
                ""
            },
            outstanding: 0,
            routed: 0,
            serving: Vec::new(),
            backlog: VecDeque::new(),
            down: false,
            work_generation: 0,
            check_generation: 0,
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct AlbRt {
    pub(super) component: ComponentId,
    spec: LoadBalancerSpec,
    matcher: Option<Matcher>,
    targets: Vec<TargetRt>,
    cursor: u32,
    period: AlbCounters,
    total: AlbCounters,
    /// LCU-hours of the periods closed so far.
    lcu_hours: f64,
}

impl AlbRt {
    pub(super) fn new(component: ComponentId, spec: LoadBalancerSpec) -> AlbRt {
        // A model with a matcher that does not parse does not validate; None stands for 200.
        let matcher = Matcher::parse(&spec.health_check.matcher).ok();
        let targets = (0..spec.instances)
            .map(|_| TargetRt::new(TargetState::Healthy))
            .collect();
        AlbRt {
            component,
            spec,
            matcher,
            targets,
            cursor: 0,
            period: AlbCounters::default(),
            total: AlbCounters::default(),
            lcu_hours: 0.0,
        }
    }

    fn count(&self, state: TargetState) -> u32 {
        self.targets
            .iter()
            .filter(|t| t.health.state == state)
            .count() as u32
    }
}

/// One target as the inspector shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetStats {
    pub state: TargetState,
    pub reason: &'static str,
    pub outstanding: u32,
    pub serving: u32,
    pub backlog: u32,
    pub routed: u64,
    /// Stopped by a fault now.
    pub down: bool,
}

/// Live numbers of a load balancer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadBalancerStats {
    pub targets: Vec<TargetStats>,
    pub request_count: u64,
    pub target_2xx: u64,
    pub target_5xx: u64,
    pub elb_502: u64,
    pub elb_503: u64,
    pub elb_504: u64,
    pub mean_target_response_seconds: f64,
    pub healthy: u32,
    pub unhealthy: u32,
    pub lcu_hours: f64,
    pub cost_usd: f64,
}

impl Simulation {
    /// Schedules the first health check of every target registered at the start.
    pub(super) fn alb_start(&mut self) {
        for alb in 0..self.albs.len() {
            let interval = self.alb_interval(alb as u32);
            for target in 0..self.albs[alb].targets.len() {
                self.events.schedule(
                    self.now.saturating_add(interval),
                    Event::AlbHealthCheck {
                        alb: alb as u32,
                        target: target as u32,
                        generation: 0,
                    },
                );
            }
        }
    }

    fn alb_interval(&self, alb: u32) -> SimDuration {
        SimDuration::from_secs(u64::from(
            self.albs[alb as usize].spec.health_check.interval_seconds,
        ))
    }

    /// Picks a target for a new request: a healthy one, or any registered one when none is
    /// healthy (fail-open); None when no target is registered.
    fn alb_pick(&mut self, alb: u32) -> Option<u32> {
        let a = &self.albs[alb as usize];
        let any_healthy = a
            .targets
            .iter()
            .any(|t| t.health.state == TargetState::Healthy);
        let eligible = |t: &TargetRt| {
            if any_healthy {
                t.health.state == TargetState::Healthy
            } else {
                t.health.state.registered()
            }
        };
        let n = a.targets.len() as u32;
        if n == 0 {
            return None;
        }
        let start = a.cursor % n;
        let order = (0..n).map(|k| (start + k) % n);
        let chosen = match a.spec.algorithm {
            RoutingAlgorithm::RoundRobin => {
                order.clone().find(|&i| eligible(&a.targets[i as usize]))
            }
            // The fewest outstanding requests; ties go to the next one in turn.
            RoutingAlgorithm::LeastOutstandingRequests => order
                .clone()
                .filter(|&i| eligible(&a.targets[i as usize]))
                .min_by_key(|&i| a.targets[i as usize].outstanding),
        }?;
        self.albs[alb as usize].cursor = chosen + 1;
        Some(chosen)
    }

    /// One attempt of a client's request reaches the load balancer.
    pub(super) fn alb_attempt(&mut self, alb: u32, request: u32) {
        let Some(target) = self.alb_pick(alb) else {
            return self.alb_answer(request, alb, AlbAnswer::NoTargets);
        };
        let epoch = self.requests[request as usize].epoch;
        self.requests[request as usize].alb_target = target;
        let a = &mut self.albs[alb as usize];
        let idle = SimDuration::from_secs(u64::from(a.spec.idle_timeout_seconds));
        let component = a.component;
        for counters in [&mut a.period, &mut a.total] {
            counters.request_count += 1;
        }
        let t = &mut a.targets[target as usize];
        t.outstanding += 1;
        t.routed += 1;
        let outstanding: u32 = a.targets.iter().map(|t| t.outstanding).sum();
        a.period.peak_outstanding = a.period.peak_outstanding.max(outstanding);
        self.events.schedule(
            self.now.saturating_add(idle),
            Event::AlbIdleTimeout { request, epoch },
        );
        if self.albs[alb as usize].targets[target as usize].down || self.fault_fails(component) {
            return self.alb_answer(request, alb, AlbAnswer::BadGateway);
        }
        let a = &mut self.albs[alb as usize];
        let limit = a.spec.instance_concurrency;
        let t = &mut a.targets[target as usize];
        if (t.serving.len() as u32) < limit {
            self.alb_serve(alb, target, request, epoch);
        } else {
            t.backlog.push_back((request, epoch));
        }
    }

    /// The instance starts serving a request.
    fn alb_serve(&mut self, alb: u32, target: u32, request: u32, epoch: u32) {
        let a = &self.albs[alb as usize];
        let (component, error_p) = (a.component, a.spec.error_probability);
        let seconds =
            a.spec.service_time.sample(&mut self.alb_rng) * self.fault_slowdown(component);
        let error = self.alb_rng.chance(error_p);
        let t = &mut self.albs[alb as usize].targets[target as usize];
        t.serving.push((request, epoch));
        let generation = t.work_generation;
        self.events.schedule(
            self.now.saturating_add(SimDuration::from_secs_f64(seconds)),
            Event::AlbTargetDone {
                alb,
                target,
                request,
                epoch,
                generation,
                error,
            },
        );
    }

    /// An instance finished a request; it answers if the load balancer still waits for it,
    /// then takes the next request of its backlog.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn on_alb_target_done(
        &mut self,
        alb: u32,
        target: u32,
        request: u32,
        epoch: u32,
        generation: u32,
        error: bool,
    ) {
        let Some(t) = self
            .albs
            .get_mut(alb as usize)
            .and_then(|a| a.targets.get_mut(target as usize))
        else {
            return;
        };
        if t.work_generation != generation {
            return;
        }
        if let Some(position) = t.serving.iter().position(|&w| w == (request, epoch)) {
            t.serving.swap_remove(position);
        }
        if self.attempt_current(request, epoch)
            && self.requests[request as usize].alb_target == target
        {
            let took = self
                .now
                .since(self.requests[request as usize].attempt_sent)
                .as_secs_f64();
            let a = &mut self.albs[alb as usize];
            for counters in [&mut a.period, &mut a.total] {
                counters.target_seconds_sum += took;
                counters.target_answers += 1;
            }
            let answer = if error {
                AlbAnswer::TargetError
            } else {
                AlbAnswer::TargetOk
            };
            self.alb_answer(request, alb, answer);
        }
        self.alb_next_from_backlog(alb, target);
    }

    fn alb_next_from_backlog(&mut self, alb: u32, target: u32) {
        let limit = self.albs[alb as usize].spec.instance_concurrency as usize;
        loop {
            let t = &mut self.albs[alb as usize].targets[target as usize];
            if t.serving.len() >= limit || t.down {
                return;
            }
            let Some((request, epoch)) = t.backlog.pop_front() else {
                return;
            };
            // A request the load balancer already answered (504) left with its connection.
            if self.attempt_current(request, epoch) {
                self.alb_serve(alb, target, request, epoch);
            }
        }
    }

    pub(super) fn on_alb_idle_timeout(&mut self, request: u32, epoch: u32) {
        if !self.attempt_current(request, epoch) {
            return;
        }
        let clients = self.requests[request as usize].clients;
        let alb = self.clients[clients as usize].alb;
        if alb != NONE {
            self.alb_answer(request, alb, AlbAnswer::GatewayTimeout);
        }
    }

    /// The load balancer answers the current attempt.
    fn alb_answer(&mut self, request: u32, alb: u32, answer: AlbAnswer) {
        let r = &self.requests[request as usize];
        let (clients, client, target) = (r.clients, r.client, r.alb_target);
        let latency = self.now.since(r.attempt_sent);
        let a = &mut self.albs[alb as usize];
        for counters in [&mut a.period, &mut a.total] {
            match answer {
                AlbAnswer::TargetOk => counters.target_2xx += 1,
                AlbAnswer::TargetError => counters.target_5xx += 1,
                AlbAnswer::BadGateway => counters.elb_502 += 1,
                AlbAnswer::NoTargets => counters.elb_503 += 1,
                AlbAnswer::GatewayTimeout => counters.elb_504 += 1,
            }
        }
        let mut finished_draining = false;
        if let Some(t) = a.targets.get_mut(target as usize) {
            t.outstanding = t.outstanding.saturating_sub(1);
            finished_draining = t.health.state == TargetState::Draining && t.outstanding == 0;
        }
        let component = a.component;
        let clients_component = self.clients[clients as usize].component;
        self.record(
            component,
            None,
            TraceKind::LoadBalancerAnswered {
                clients: clients_component,
                client,
                status: answer.status(),
                target: (target != NONE).then_some(target),
                answer: answer.as_str(),
                latency,
            },
        );
        self.client_answered(request, answer.status());
        if finished_draining {
            // "If a deregistering target has no in-flight requests, Elastic Load Balancing
            // immediately completes the deregistration."
            self.alb_deregistered(alb, target);
        }
    }

    // ----- health checks -------------------------------------------------------------------

    /// The registered target a health-check event is for, unless it left the group since.
    fn alb_checked_target(
        &mut self,
        alb: u32,
        target: u32,
        generation: u32,
    ) -> Option<(&mut AlbRt, u32)> {
        let a = self.albs.get_mut(alb as usize)?;
        let t = a.targets.get(target as usize)?;
        (t.check_generation == generation && t.health.state.registered()).then_some((a, target))
    }

    pub(super) fn on_alb_health_check(&mut self, alb: u32, target: u32, generation: u32) {
        let Some((a, _)) = self.alb_checked_target(alb, target, generation) else {
            return;
        };
        let down = a.targets[target as usize].down;
        let component = a.component;
        let check = a.spec.health_check.clone();
        let interval = SimDuration::from_secs(u64::from(check.interval_seconds));
        let timeout = SimDuration::from_secs(u64::from(check.timeout_seconds));
        // The next check is due an interval later, whatever this one's answer takes.
        self.events.schedule(
            self.now.saturating_add(interval),
            Event::AlbHealthCheck {
                alb,
                target,
                generation,
            },
        );
        let (result, after) = if down || self.fault_fails(component) {
            (CheckResult::FailedHealthChecks, SimDuration::ZERO)
        } else {
            let seconds = self.albs[alb as usize]
                .spec
                .health_check_latency
                .sample(&mut self.alb_rng)
                * self.fault_slowdown(component);
            let answer = SimDuration::from_secs_f64(seconds);
            if answer >= timeout {
                (CheckResult::Timeout, timeout)
            } else if !self.albs[alb as usize]
                .matcher
                .as_ref()
                .map_or(check.response_code == 200, |m| {
                    m.accepts(check.response_code)
                })
            {
                (CheckResult::ResponseCodeMismatch, answer)
            } else {
                (CheckResult::Passed, answer)
            }
        };
        self.events.schedule(
            self.now.saturating_add(after),
            Event::AlbHealthResult {
                alb,
                target,
                generation,
                result,
            },
        );
    }

    pub(super) fn on_alb_health_result(
        &mut self,
        alb: u32,
        target: u32,
        generation: u32,
        result: CheckResult,
    ) {
        let Some((a, _)) = self.alb_checked_target(alb, target, generation) else {
            return;
        };
        let check = a.spec.health_check.clone();
        let t = &mut a.targets[target as usize];
        let before = t.health.state;
        t.health = t.health.after_check(result == CheckResult::Passed, &check);
        let after = t.health.state;
        if after != before {
            t.reason = result.reason();
            self.alb_record_change(alb, target, before, after, result.reason());
        }
    }

    // ----- registration --------------------------------------------------------------------

    /// New settings while running: a new instance count registers (`initial`) or
    /// deregisters (the last ones drain) instances.
    pub(super) fn alb_update(&mut self, alb: u32, spec: LoadBalancerSpec) {
        let a = &mut self.albs[alb as usize];
        a.matcher = Matcher::parse(&spec.health_check.matcher).ok();
        let wanted = spec.instances;
        a.spec = spec;
        let registered: Vec<u32> = (0..a.targets.len() as u32)
            .filter(|&i| a.targets[i as usize].health.state.registered())
            .collect();
        if wanted as usize > registered.len() {
            for _ in registered.len()..wanted as usize {
                let index = self.albs[alb as usize].targets.len() as u32;
                self.albs[alb as usize]
                    .targets
                    .push(TargetRt::new(TargetState::Initial));
                self.alb_record_change(
                    alb,
                    index,
                    TargetState::Unused,
                    TargetState::Initial,
                    "Elb.RegistrationInProgress",
                );
                // The first check goes out at once: one pass makes it healthy.
                self.events.schedule(
                    self.now,
                    Event::AlbHealthCheck {
                        alb,
                        target: index,
                        generation: 0,
                    },
                );
            }
            self.alb_apply_faults(alb);
        } else {
            for &target in registered.iter().skip(wanted as usize).rev() {
                self.alb_deregister(alb, target);
            }
        }
    }

    fn alb_deregister(&mut self, alb: u32, target: u32) {
        let a = &mut self.albs[alb as usize];
        let delay = SimDuration::from_secs(u64::from(a.spec.deregistration_delay_seconds));
        let t = &mut a.targets[target as usize];
        let before = t.health.state;
        t.health = TargetHealth::new(TargetState::Draining);
        t.reason = "Target.DeregistrationInProgress";
        t.check_generation = t.check_generation.wrapping_add(1);
        let generation = t.check_generation;
        let idle = t.outstanding == 0;
        self.alb_record_change(
            alb,
            target,
            before,
            TargetState::Draining,
            "Target.DeregistrationInProgress",
        );
        if idle {
            self.alb_deregistered(alb, target);
        } else {
            self.events.schedule(
                self.now.saturating_add(delay),
                Event::AlbDrainEnd {
                    alb,
                    target,
                    generation,
                },
            );
        }
    }

    pub(super) fn on_alb_drain_end(&mut self, alb: u32, target: u32, generation: u32) {
        let current = self
            .albs
            .get(alb as usize)
            .and_then(|a| a.targets.get(target as usize))
            .is_some_and(|t| {
                t.check_generation == generation && t.health.state == TargetState::Draining
            });
        if !current {
            return;
        }
        // The deregistration delay is over: connections still open are closed, and their
        // requests get 502 (the target closed the connection; medium confidence).
        let open: Vec<u32> = (0..self.requests.len() as u32)
            .filter(|&r| {
                let request = &self.requests[r as usize];
                request.live
                    && request.at_gateway
                    && request.alb_target == target
                    && self.clients[request.clients as usize].alb == alb
            })
            .collect();
        for request in open {
            self.alb_answer(request, alb, AlbAnswer::BadGateway);
        }
        self.alb_deregistered(alb, target);
    }

    /// A draining target leaves the group.
    fn alb_deregistered(&mut self, alb: u32, target: u32) {
        let a = &mut self.albs[alb as usize];
        let t = &mut a.targets[target as usize];
        if t.health.state != TargetState::Draining {
            return;
        }
        t.health = TargetHealth::new(TargetState::Unused);
        t.reason = "Target.NotRegistered";
        t.backlog.clear();
        t.serving.clear();
        t.work_generation = t.work_generation.wrapping_add(1);
        self.alb_record_change(
            alb,
            target,
            TargetState::Draining,
            TargetState::Unused,
            "Target.NotRegistered",
        );
    }

    fn alb_record_change(
        &mut self,
        alb: u32,
        target: u32,
        from: TargetState,
        to: TargetState,
        reason: &'static str,
    ) {
        let component = self.albs[alb as usize].component;
        self.record(
            component,
            None,
            TraceKind::TargetHealthChanged {
                target,
                from: from.as_str(),
                to: to.as_str(),
                reason,
            },
        );
    }

    // ----- faults --------------------------------------------------------------------------

    /// A fault edge: the first `ceil(share x registered)` registered instances are down.
    pub(super) fn alb_apply_faults(&mut self, alb: u32) {
        let component = self.albs[alb as usize].component;
        let share = 1.0 - self.fault_capacity(component);
        let registered = self.albs[alb as usize]
            .targets
            .iter()
            .filter(|t| t.health.state.registered())
            .count() as f64;
        let down = libm::ceil(share * registered - 1e-9).max(0.0) as usize;
        let mut rank = 0usize;
        for target in 0..self.albs[alb as usize].targets.len() {
            let t = &mut self.albs[alb as usize].targets[target];
            if !t.health.state.registered() {
                continue;
            }
            let now_down = rank < down;
            rank += 1;
            if now_down == t.down {
                continue;
            }
            t.down = now_down;
            if now_down {
                // The instance's server stops: the requests it holds are reset.
                t.work_generation = t.work_generation.wrapping_add(1);
                let held: Vec<(u32, u32)> =
                    t.serving.drain(..).chain(t.backlog.drain(..)).collect();
                for (request, epoch) in held {
                    if self.attempt_current(request, epoch) {
                        self.alb_answer(request, alb, AlbAnswer::BadGateway);
                    }
                }
            }
        }
    }

    // ----- reports -------------------------------------------------------------------------

    pub(super) fn alb_stats(&self, index: u32) -> LoadBalancerStats {
        let a = &self.albs[index as usize];
        LoadBalancerStats {
            targets: a
                .targets
                .iter()
                .map(|t| TargetStats {
                    state: t.health.state,
                    reason: t.reason,
                    outstanding: t.outstanding,
                    serving: t.serving.len() as u32,
                    backlog: t.backlog.len() as u32,
                    routed: t.routed,
                    down: t.down,
                })
                .collect(),
            request_count: a.total.request_count,
            target_2xx: a.total.target_2xx,
            target_5xx: a.total.target_5xx,
            elb_502: a.total.elb_502,
            elb_503: a.total.elb_503,
            elb_504: a.total.elb_504,
            mean_target_response_seconds: if a.total.target_answers == 0 {
                0.0
            } else {
                a.total.target_seconds_sum / a.total.target_answers as f64
            },
            healthy: a.count(TargetState::Healthy),
            unhealthy: a.count(TargetState::Unhealthy),
            lcu_hours: a.lcu_hours,
            cost_usd: self.alb_cost(a),
        }
    }

    /// Load balancer-hours so far: every started hour counts.
    fn alb_hours(&self) -> f64 {
        libm::ceil(self.now.as_micros() as f64 / 3_600_000_000.0)
    }

    fn alb_cost(&self, a: &AlbRt) -> f64 {
        self.alb_hours() * alb_limits::PRICE_PER_HOUR + a.lcu_hours * alb_limits::PRICE_PER_LCU_HOUR
    }

    /// Per load balancer: (component, US dollars before the free tier).
    pub(super) fn alb_costs(&self) -> Vec<(ComponentId, f64)> {
        self.albs
            .iter()
            .map(|a| (a.component, self.alb_cost(a)))
            .collect()
    }

    /// What every load balancer costs, after the free tier's 750 hours and 15 LCU-hours
    /// when the model asks for it.
    pub(super) fn albs_cost(&self) -> f64 {
        let hours = self.alb_hours() * self.albs.len() as f64;
        let lcu_hours: f64 = self.albs.iter().map(|a| a.lcu_hours).sum();
        let (hours, lcu_hours) = if self.model.free_tier {
            (
                (hours - alb_limits::FREE_HOURS).max(0.0),
                (lcu_hours - alb_limits::FREE_LCU_HOURS).max(0.0),
            )
        } else {
            (hours, lcu_hours)
        };
        hours * alb_limits::PRICE_PER_HOUR + lcu_hours * alb_limits::PRICE_PER_LCU_HOUR
    }

    pub(super) fn alb_metric_samples(&mut self, now: SimTime, samples: &mut Vec<MetricSample>) {
        let period_seconds = self.model.metric_period.as_secs_f64().max(1e-9);
        for index in 0..self.albs.len() {
            let a = &mut self.albs[index];
            let p = &a.period;
            // LCUs: the largest of the dimensions (every request a new connection; the rule
            // evaluations of one default action are within the 10 free rules).
            let new_connections = p.request_count as f64
                / period_seconds
                / alb_limits::LCU_NEW_CONNECTIONS_PER_SECOND;
            let active = f64::from(p.peak_outstanding) / alb_limits::LCU_ACTIVE_CONNECTIONS;
            let bytes_per_hour =
                p.request_count as f64 * f64::from(a.spec.bytes_per_request) * 3_600.0
                    / period_seconds;
            let processed = bytes_per_hour / alb_limits::LCU_BYTES_PER_HOUR;
            let lcus = new_connections.max(active).max(processed);
            a.lcu_hours += lcus * period_seconds / 3_600.0;
            let healthy = a.count(TargetState::Healthy);
            let unhealthy = a.count(TargetState::Unhealthy);
            let a = &self.albs[index];
            let cost = self.alb_cost(a);
            let p = &a.period;
            for metric in crate::metrics::ALB_METRICS {
                let value = match metric {
                    Metric::RequestCount => p.request_count as f64,
                    Metric::HttpCodeTarget2xx => p.target_2xx as f64,
                    Metric::HttpCodeTarget5xx => p.target_5xx as f64,
                    Metric::HttpCodeElb502 => p.elb_502 as f64,
                    Metric::HttpCodeElb503 => p.elb_503 as f64,
                    Metric::HttpCodeElb504 => p.elb_504 as f64,
                    Metric::HttpCodeElb5xx => (p.elb_502 + p.elb_503 + p.elb_504) as f64,
                    Metric::TargetResponseTime if p.target_answers > 0 => {
                        p.target_seconds_sum / p.target_answers as f64
                    }
                    Metric::HealthyHostCount => f64::from(healthy),
                    Metric::UnHealthyHostCount => f64::from(unhealthy),
                    Metric::RequestCountPerTarget if healthy > 0 => {
                        p.request_count as f64 / f64::from(healthy)
                    }
                    Metric::ConsumedLCUs => lcus,
                    Metric::EstimatedCharges => cost,
                    _ => continue,
                };
                samples.push(MetricSample {
                    time: now,
                    component: a.component,
                    metric: *metric,
                    value,
                });
            }
            self.albs[index].period = AlbCounters::default();
        }
    }

    /// Every outstanding count matches the requests waiting on that target, and no instance
    /// serves more than its concurrency.
    pub(super) fn check_alb_invariants(&self) -> Result<(), String> {
        for (index, a) in self.albs.iter().enumerate() {
            for (target, t) in a.targets.iter().enumerate() {
                let waiting = self
                    .requests
                    .iter()
                    .filter(|r| {
                        r.live
                            && r.at_gateway
                            && r.alb_target == target as u32
                            && self.clients[r.clients as usize].alb == index as u32
                    })
                    .count() as u32;
                if waiting != t.outstanding {
                    return Err(format!(
                        "load balancer {index}, target {target}: {waiting} requests wait on it, {} counted outstanding",
                        t.outstanding
                    ));
                }
                if t.serving.len() as u32 > a.spec.instance_concurrency {
                    return Err(format!(
                        "load balancer {index}, target {target} serves {} requests, above its concurrency {}",
                        t.serving.len(),
                        a.spec.instance_concurrency
                    ));
                }
            }
        }
        Ok(())
    }
}
