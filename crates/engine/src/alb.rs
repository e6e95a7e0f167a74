//! Application Load Balancer specs: one listener forwarding to one target group of EC2
//! instances, the target group's health check settings, the target health states and their
//! transitions as pure functions, and validation.
//!
//! The facts used, with their sources (AWS documentation read through the search corpus):
//!
//! - Health check settings, defaults and ranges for instance targets over HTTP
//!   ("Health checks for Application Load Balancer target groups", Elastic Load Balancing
//!   user guide): `HealthCheckIntervalSeconds` 30 (5..=300), `HealthCheckTimeoutSeconds`
//!   5 (2..=120), `HealthyThresholdCount` 5 (2..=10), `UnhealthyThresholdCount` 2 (2..=10),
//!   `Matcher.HttpCode` "200" (codes 200..=499, a list "200,202" or a range "200-299").
//!   The timeout must be shorter than the interval (the API refuses it otherwise).
//!   Confidence: high.
//! - "After your target is registered, it must pass one health check to be considered
//!   healthy"; a healthy target goes out of service after `UnhealthyThresholdCount`
//!   consecutive failures and comes back after `HealthyThresholdCount` consecutive successes;
//!   each check's result holds for the whole interval and the time a target takes to answer
//!   does not move the next check (same page). Confidence: high.
//! - Fail-open: "If a target group contains only unhealthy registered targets, the load
//!   balancer routes requests to all those targets, regardless of their health status"
//!   (same page). The page is silent on a group whose targets are all `initial`; here they are
//!   routed to as well (medium confidence).
//! - `deregistration_delay.timeout_seconds` 300 (0..=3600); a draining target with no request
//!   in flight finishes deregistering at once ("Deregistration delay", target groups page).
//!   Confidence: high.
//! - `idle_timeout.timeout_seconds` 60 (1..=4000), load balancer attributes. Confidence: high.
//! - `load_balancing.algorithm.type` `round_robin` (default) or `least_outstanding_requests`.
//!   Confidence: high.
//! - 503 when the target group has no registered target; 502 when the target resets or closes
//!   the connection; 504 when the target does not answer within the idle timeout
//!   ("Troubleshoot your Application Load Balancers", HTTP 502/503/504). Confidence: high.
//! - Targets per target group: 1,000 (quotas page, instance targets). Confidence: medium.

use crate::model::{ComponentId, ComponentKind, Model};
use crate::rng::Distribution;

/// AWS's numbers for Application Load Balancers.
pub mod alb_limits {
    use std::ops::RangeInclusive;

    pub const HEALTH_CHECK_INTERVAL_SECONDS: RangeInclusive<u32> = 5..=300;
    pub const HEALTH_CHECK_TIMEOUT_SECONDS: RangeInclusive<u32> = 2..=120;
    pub const HEALTHY_THRESHOLD_COUNT: RangeInclusive<u32> = 2..=10;
    pub const UNHEALTHY_THRESHOLD_COUNT: RangeInclusive<u32> = 2..=10;
    pub const DEREGISTRATION_DELAY_SECONDS: RangeInclusive<u32> = 0..=3_600;
    pub const IDLE_TIMEOUT_SECONDS: RangeInclusive<u32> = 1..=4_000;
    /// Registered targets of one target group (instance targets).
    pub const TARGETS: RangeInclusive<u32> = 0..=1_000;
    /// Requests one instance serves at once (the simulation's own bound).
    pub const INSTANCE_CONCURRENCY: RangeInclusive<u32> = 1..=10_000;
    /// Codes a matcher may name for HTTP health checks.
    pub const MATCHER_CODES: RangeInclusive<u16> = 200..=499;
    /// Codes the application may answer its health checks with.
    pub const RESPONSE_CODES: RangeInclusive<u16> = 100..=599;
    /// Bytes of a request and its response, for the processed-bytes dimension of LCUs.
    pub const BYTES_PER_REQUEST: RangeInclusive<u32> = 0..=100_000_000;

    /// US East (N. Virginia): per Application Load Balancer-hour (or partial hour), USD
    /// (Elastic Load Balancing pricing page; partial hours are billed as full hours).
    pub const PRICE_PER_HOUR: f64 = 0.0225;
    /// US East (N. Virginia): per LCU-hour (or partial hour), USD.
    pub const PRICE_PER_LCU_HOUR: f64 = 0.008;
    /// One LCU: 25 new connections per second, 3,000 active connections per minute, 1 GB
    /// processed per hour for instance targets, 1,000 rule evaluations per second (the first
    /// 10 rules are free, so one listener with its default action uses none).
    pub const LCU_NEW_CONNECTIONS_PER_SECOND: f64 = 25.0;
    pub const LCU_ACTIVE_CONNECTIONS: f64 = 3_000.0;
    pub const LCU_BYTES_PER_HOUR: f64 = 1e9;
    /// The free tier (12 months): 750 load balancer-hours and 15 LCUs a month.
    pub const FREE_HOURS: f64 = 750.0;
    pub const FREE_LCU_HOURS: f64 = 15.0;
    /// The time an ALB waits to connect to a target (not configurable), seconds.
    pub const CONNECT_TIMEOUT_SECONDS: u64 = 10;
}

/// How the listener's target group picks a target (`load_balancing.algorithm.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RoutingAlgorithm {
    #[default]
    RoundRobin,
    LeastOutstandingRequests,
}

impl RoutingAlgorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            RoutingAlgorithm::RoundRobin => "round_robin",
            RoutingAlgorithm::LeastOutstandingRequests => "least_outstanding_requests",
        }
    }
}

/// The target group's health check (`HTTP` on the traffic port).
#[derive(Clone, Debug, PartialEq)]
pub struct HealthCheck {
    /// `HealthCheckIntervalSeconds`, 5..=300, default 30.
    pub interval_seconds: u32,
    /// `HealthCheckTimeoutSeconds`, 2..=120 and below the interval, default 5.
    pub timeout_seconds: u32,
    /// `HealthyThresholdCount`, 2..=10, default 5.
    pub healthy_threshold: u32,
    /// `UnhealthyThresholdCount`, 2..=10, default 2.
    pub unhealthy_threshold: u32,
    /// `Matcher.HttpCode`: "200", "200,202", "200-299"; default "200".
    pub matcher: String,
    /// The code the application answers its health check path with (the simulation's own;
    /// default 200). A code the matcher does not accept makes every check fail with
    /// `Target.ResponseCodeMismatch`.
    pub response_code: u16,
}

impl Default for HealthCheck {
    fn default() -> Self {
        HealthCheck {
            interval_seconds: 30,
            timeout_seconds: 5,
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            matcher: "200".to_string(),
            response_code: 200,
        }
    }
}

/// An Application Load Balancer with one HTTP listener whose default action forwards to one
/// target group of identical EC2 instances.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadBalancerSpec {
    /// Registered instances, 0..=1000.
    pub instances: u32,
    /// Requests one instance serves at once; more wait in its accept backlog.
    pub instance_concurrency: u32,
    /// Seconds an instance takes to serve a request.
    pub service_time: Distribution,
    /// Share of requests the application answers with 500 (`HTTPCode_Target_5XX_Count`).
    pub error_probability: f64,
    /// Seconds the application takes to answer its health check path.
    pub health_check_latency: Distribution,
    pub health_check: HealthCheck,
    /// `deregistration_delay.timeout_seconds`, 0..=3600, default 300.
    pub deregistration_delay_seconds: u32,
    /// `idle_timeout.timeout_seconds`, 1..=4000, default 60.
    pub idle_timeout_seconds: u32,
    /// `load_balancing.algorithm.type`.
    pub algorithm: RoutingAlgorithm,
    /// Bytes of one request and its response (for LCUs), default 2,048.
    pub bytes_per_request: u32,
}

impl Default for LoadBalancerSpec {
    fn default() -> Self {
        LoadBalancerSpec {
            instances: 2,
            instance_concurrency: 10,
            service_time: Distribution::Constant { value: 0.05 },
            error_probability: 0.0,
            health_check_latency: Distribution::Constant { value: 0.005 },
            health_check: HealthCheck::default(),
            deregistration_delay_seconds: 300,
            idle_timeout_seconds: 60,
            algorithm: RoutingAlgorithm::RoundRobin,
            bytes_per_request: 2_048,
        }
    }
}

/// A target's state as `DescribeTargetHealth` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetState {
    Initial,
    Healthy,
    Unhealthy,
    Draining,
    /// Deregistered: no longer in the target group.
    Unused,
}

impl TargetState {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetState::Initial => "initial",
            TargetState::Healthy => "healthy",
            TargetState::Unhealthy => "unhealthy",
            TargetState::Draining => "draining",
            TargetState::Unused => "unused",
        }
    }

    /// Registered: in the group and not deregistering.
    pub fn registered(self) -> bool {
        matches!(
            self,
            TargetState::Initial | TargetState::Healthy | TargetState::Unhealthy
        )
    }
}

/// The result of one health check, with the reason code AWS gives for a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckResult {
    Passed,
    /// `Target.ResponseCodeMismatch`: the code is not one the matcher accepts.
    ResponseCodeMismatch,
    /// `Target.Timeout`: no answer within `HealthCheckTimeoutSeconds`.
    Timeout,
    /// `Target.FailedHealthChecks`: the connection was refused or reset.
    FailedHealthChecks,
}

impl CheckResult {
    pub fn reason(self) -> &'static str {
        match self {
            CheckResult::Passed => "",
            CheckResult::ResponseCodeMismatch => "Target.ResponseCodeMismatch",
            CheckResult::Timeout => "Target.Timeout",
            CheckResult::FailedHealthChecks => "Target.FailedHealthChecks",
        }
    }
}

/// A target's health and its streaks of consecutive check results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetHealth {
    pub state: TargetState,
    pub passed_in_a_row: u32,
    pub failed_in_a_row: u32,
}

impl TargetHealth {
    pub fn new(state: TargetState) -> TargetHealth {
        TargetHealth {
            state,
            passed_in_a_row: 0,
            failed_in_a_row: 0,
        }
    }

    /// The health after one check: an `initial` target is healthy after one passed check;
    /// a healthy (or initial) one unhealthy after `unhealthy_threshold` failures in a row;
    /// an unhealthy one healthy after `healthy_threshold` passes in a row. Draining and
    /// deregistered targets are not checked.
    pub fn after_check(self, passed: bool, check: &HealthCheck) -> TargetHealth {
        let mut next = self;
        if !self.state.registered() {
            return next;
        }
        if passed {
            next.passed_in_a_row = self.passed_in_a_row.saturating_add(1);
            next.failed_in_a_row = 0;
        } else {
            next.failed_in_a_row = self.failed_in_a_row.saturating_add(1);
            next.passed_in_a_row = 0;
        }
        next.state = match self.state {
            TargetState::Initial if passed => TargetState::Healthy,
            TargetState::Initial | TargetState::Healthy
                if next.failed_in_a_row >= check.unhealthy_threshold =>
            {
                TargetState::Unhealthy
            }
            TargetState::Unhealthy if next.passed_in_a_row >= check.healthy_threshold => {
                TargetState::Healthy
            }
            state => state,
        };
        next
    }
}

/// A parsed `Matcher.HttpCode`: inclusive ranges of codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matcher(Vec<(u16, u16)>);

impl Matcher {
    /// Parses "200", "200,202" or "200-299" (codes 200..=499 for HTTP health checks).
    pub fn parse(text: &str) -> Result<Matcher, String> {
        let codes = alb_limits::MATCHER_CODES;
        let code = |part: &str| -> Result<u16, String> {
            match part.trim().parse::<u16>() {
                Ok(value) if codes.contains(&value) => Ok(value),
                _ => Err(format!(
                    "\"{text}\": \"{}\" is not an HTTP code in {}..={}",
                    part.trim(),
                    codes.start(),
                    codes.end()
                )),
            }
        };
        if text.trim().is_empty() {
            return Err("is empty: give codes such as \"200\", \"200,202\" or \"200-299\"".into());
        }
        if text.contains(',') && text.contains('-') {
            return Err(format!(
                "\"{text}\": give either a list (\"200,202\") or a range (\"200-299\"), not both"
            ));
        }
        let mut ranges = Vec::new();
        if let Some((low, high)) = text.split_once('-') {
            let (low, high) = (code(low)?, code(high)?);
            if low > high {
                return Err(format!("\"{text}\": the range ends before it starts"));
            }
            ranges.push((low, high));
        } else {
            for part in text.split(',') {
                let value = code(part)?;
                ranges.push((value, value));
            }
        }
        Ok(Matcher(ranges))
    }

    pub fn accepts(&self, code: u16) -> bool {
        self.0
            .iter()
            .any(|&(low, high)| (low..=high).contains(&code))
    }
}

impl Model {
    /// The problems of a load balancer, with fields named as the scenario file names them.
    pub(crate) fn alb_issues(&self, component: ComponentId, push: &mut dyn FnMut(&str, String)) {
        use alb_limits as l;
        let Some(ComponentKind::LoadBalancer(spec)) =
            self.components.get(component).map(|c| &c.kind)
        else {
            return;
        };
        let mut range = |field: &str, value: u32, range: std::ops::RangeInclusive<u32>, unit| {
            if !range.contains(&value) {
                push(
                    field,
                    format!(
                        "{value} is outside {}..={}{unit}",
                        range.start(),
                        range.end()
                    ),
                );
            }
        };
        let check = &spec.health_check;
        range("instances", spec.instances, l::TARGETS, " instances");
        range(
            "instance_concurrency",
            spec.instance_concurrency,
            l::INSTANCE_CONCURRENCY,
            " requests",
        );
        range(
            "HealthCheckIntervalSeconds",
            check.interval_seconds,
            l::HEALTH_CHECK_INTERVAL_SECONDS,
            " seconds",
        );
        range(
            "HealthCheckTimeoutSeconds",
            check.timeout_seconds,
            l::HEALTH_CHECK_TIMEOUT_SECONDS,
            " seconds",
        );
        range(
            "HealthyThresholdCount",
            check.healthy_threshold,
            l::HEALTHY_THRESHOLD_COUNT,
            "",
        );
        range(
            "UnhealthyThresholdCount",
            check.unhealthy_threshold,
            l::UNHEALTHY_THRESHOLD_COUNT,
            "",
        );
        range(
            "deregistration_delay_seconds",
            spec.deregistration_delay_seconds,
            l::DEREGISTRATION_DELAY_SECONDS,
            " seconds",
        );
        range(
            "idle_timeout_seconds",
            spec.idle_timeout_seconds,
            l::IDLE_TIMEOUT_SECONDS,
            " seconds",
        );
        range(
            "bytes_per_request",
            spec.bytes_per_request,
            l::BYTES_PER_REQUEST,
            " bytes",
        );
        if check.timeout_seconds >= check.interval_seconds
            && l::HEALTH_CHECK_TIMEOUT_SECONDS.contains(&check.timeout_seconds)
            && l::HEALTH_CHECK_INTERVAL_SECONDS.contains(&check.interval_seconds)
        {
            push(
                "HealthCheckTimeoutSeconds",
                format!(
                    "{} s must be smaller than HealthCheckIntervalSeconds ({} s)",
                    check.timeout_seconds, check.interval_seconds
                ),
            );
        }
        if let Err(problem) = Matcher::parse(&check.matcher) {
            push("Matcher.HttpCode", problem);
        }
        if !l::RESPONSE_CODES.contains(&check.response_code) {
            push(
                "health_check_response_code",
                format!(
                    "{} is outside {}..={}",
                    check.response_code,
                    l::RESPONSE_CODES.start(),
                    l::RESPONSE_CODES.end()
                ),
            );
        }
        if let Err(problem) = spec.service_time.check() {
            push("service_time", problem);
        }
        if let Err(problem) = spec.health_check_latency.check() {
            push("health_check_seconds", problem);
        }
        if !(0.0..=1.0).contains(&spec.error_probability) {
            push(
                "error_probability",
                format!("{} is outside 0..=1", spec.error_probability),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matcher_reads_codes_lists_and_ranges() {
        let one = Matcher::parse("200").unwrap();
        assert!(one.accepts(200) && !one.accepts(201));
        let list = Matcher::parse("200, 202").unwrap();
        assert!(list.accepts(202) && !list.accepts(201));
        let range = Matcher::parse("200-299").unwrap();
        assert!(range.accepts(204) && !range.accepts(301));
        for bad in ["", "abc", "199", "500", "300-200", "200,201-204"] {
            assert!(Matcher::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn health_follows_the_thresholds() {
        let check = HealthCheck::default();
        let mut health = TargetHealth::new(TargetState::Initial);
        health = health.after_check(true, &check);
        assert_eq!(
            health.state,
            TargetState::Healthy,
            "one pass makes a new target healthy"
        );
        health = health.after_check(false, &check);
        assert_eq!(health.state, TargetState::Healthy);
        health = health.after_check(false, &check);
        assert_eq!(
            health.state,
            TargetState::Unhealthy,
            "two failures in a row"
        );
        for pass in 1..=5 {
            health = health.after_check(true, &check);
            let expected = if pass < 5 {
                TargetState::Unhealthy
            } else {
                TargetState::Healthy
            };
            assert_eq!(health.state, expected, "after {pass} passes");
        }
        // A failure between passes starts the count again.
        let mut health = TargetHealth::new(TargetState::Unhealthy);
        for passed in [true, true, true, true, false, true, true, true, true] {
            health = health.after_check(passed, &check);
        }
        assert_eq!(health.state, TargetState::Unhealthy);
        let draining = TargetHealth::new(TargetState::Draining).after_check(true, &check);
        assert_eq!(draining.state, TargetState::Draining);
    }
}
