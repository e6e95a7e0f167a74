//! SNS delivery rules that need no simulation state: the retry schedules of §2.4, the size of
//! the JSON envelope, and the limits of §2.1.
//!
//! Simplifications, said once: the phases of each retry policy count retries after the first
//! attempt; every delay gets up to ±10% jitter (AWS says retries use jitter without saying how
//! much); the envelope size is an estimate of AWS's JSON (its fixed fields, the escaped body
//! and the attributes), not a byte-exact copy.

use crate::model::{BackoffFunction, DeliveryPolicy, RetryClass};
use crate::time::SimDuration;

/// Largest SNS message, bytes (§2.1; SNS did not follow SQS to 1 MiB).
pub const MAX_PUBLISH_SIZE: u32 = 262_144;
/// Largest payload the extended client library stores in S3: 2 GB.
pub const MAX_EXTENDED_PAYLOAD: u64 = 2 * 1024 * 1024 * 1024;
/// Size of the S3 pointer the extended client publishes instead of a large body, bytes.
pub const EXTENDED_POINTER_SIZE: u32 = 160;
/// Entries in one `PublishBatch`.
pub const MAX_BATCH_ENTRIES: u32 = 10;
/// FIFO topic throughput with `FifoThroughputScope=Topic`: messages per second.
pub const FIFO_TOPIC_MESSAGES_PER_SECOND: u32 = 3_000;
/// Total retry time of an HTTP/S delivery policy is capped at one hour.
pub const HTTP_RETRY_CAP_SECONDS: u64 = 3_600;
/// Jitter applied to each retry delay: up to this share either way.
pub const RETRY_JITTER: f64 = 0.10;

/// The retry phases of a policy: (number of retries, delay of the first, delay of the last,
/// how delays grow between them).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Phase {
    retries: u32,
    first_seconds: f64,
    last_seconds: f64,
    growth: BackoffFunction,
}

fn phases(class: RetryClass, policy: &DeliveryPolicy) -> Vec<Phase> {
    let constant = |retries, seconds| Phase {
        retries,
        first_seconds: seconds,
        last_seconds: seconds,
        growth: BackoffFunction::Linear,
    };
    match class {
        // 3 immediate, 2 one second apart, 10 exponential 1 s → 20 s, 100,000 at 20 s.
        RetryClass::AwsManaged => vec![
            constant(3, 0.0),
            constant(2, 1.0),
            Phase {
                retries: 10,
                first_seconds: 1.0,
                last_seconds: 20.0,
                growth: BackoffFunction::Exponential,
            },
            constant(100_000, 20.0),
        ],
        // None immediate, 2 ten seconds apart, 10 exponential 10 s → 600 s, 38 at 600 s.
        RetryClass::CustomerManaged => vec![
            constant(2, 10.0),
            Phase {
                retries: 10,
                first_seconds: 10.0,
                last_seconds: 600.0,
                growth: BackoffFunction::Exponential,
            },
            constant(38, 600.0),
        ],
        RetryClass::Http => {
            let min = policy.min_delay_target as f64;
            let max = policy.max_delay_target as f64;
            let fixed = policy.num_no_delay_retries
                + policy.num_min_delay_retries
                + policy.num_max_delay_retries;
            vec![
                constant(policy.num_no_delay_retries, 0.0),
                constant(policy.num_min_delay_retries, min),
                Phase {
                    retries: policy.num_retries.saturating_sub(fixed),
                    first_seconds: min,
                    last_seconds: max,
                    growth: policy.backoff_function,
                },
                constant(policy.num_max_delay_retries, max),
            ]
        }
    }
}

/// How far along a backoff phase the delay is, for step `i` of `n` (0-based): 0 at the first
/// retry, 1 at the last. The four curves follow the shapes the SNS console draws: linear is a
/// straight line, arithmetic bends a little, geometric more, exponential the most.
fn progress(growth: BackoffFunction, i: u32, n: u32) -> f64 {
    if n <= 1 {
        return 0.0;
    }
    let x = i as f64 / (n - 1) as f64;
    match growth {
        BackoffFunction::Linear => x,
        BackoffFunction::Arithmetic => x * x,
        BackoffFunction::Geometric => x * x * x,
        BackoffFunction::Exponential => x,
    }
}

/// The delay before retry number `retry` (1 for the first retry), without jitter, or None
/// when the policy has no such retry.
pub fn retry_delay(class: RetryClass, policy: &DeliveryPolicy, retry: u32) -> Option<SimDuration> {
    if retry == 0 {
        return None;
    }
    let mut index = retry - 1;
    for phase in phases(class, policy) {
        if index < phase.retries {
            let t = progress(phase.growth, index, phase.retries);
            let seconds = match phase.growth {
                BackoffFunction::Exponential if phase.first_seconds > 0.0 => {
                    phase.first_seconds * libm::pow(phase.last_seconds / phase.first_seconds, t)
                }
                _ => phase.first_seconds + (phase.last_seconds - phase.first_seconds) * t,
            };
            return Some(SimDuration::from_secs_f64(seconds));
        }
        index -= phase.retries;
    }
    None
}

/// Retries a policy allows in all.
pub fn total_retries(class: RetryClass, policy: &DeliveryPolicy) -> u32 {
    phases(class, policy).iter().map(|p| p.retries).sum()
}

/// Whether a retry that would start `elapsed` after the first attempt is still allowed (the
/// HTTP/S policies stop after one hour in all).
pub fn within_retry_window(class: RetryClass, elapsed: SimDuration) -> bool {
    class != RetryClass::Http || elapsed <= SimDuration::from_secs(HTTP_RETRY_CAP_SECONDS)
}

/// Checks an HTTP/S delivery policy against the documented ranges.
pub fn delivery_policy_problems(policy: &DeliveryPolicy) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if !(1..=HTTP_RETRY_CAP_SECONDS as u32).contains(&policy.max_delay_target) {
        problems.push((
            "maxDelayTarget",
            format!("{} is outside 1..=3600 seconds", policy.max_delay_target),
        ));
    }
    if policy.min_delay_target < 1 || policy.min_delay_target > policy.max_delay_target {
        problems.push((
            "minDelayTarget",
            format!(
                "{} is outside 1..={} seconds (maxDelayTarget)",
                policy.min_delay_target, policy.max_delay_target
            ),
        ));
    }
    if policy.num_retries > 100 {
        problems.push((
            "numRetries",
            format!("{} is outside 0..=100", policy.num_retries),
        ));
    }
    let fixed =
        policy.num_no_delay_retries + policy.num_min_delay_retries + policy.num_max_delay_retries;
    if fixed > policy.num_retries {
        problems.push((
            "numRetries",
            format!(
                "{} is less than numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries = {fixed}",
                policy.num_retries
            ),
        ));
    }
    if policy.max_receives_per_second == Some(0) {
        problems.push(("maxReceivesPerSecond", "0 is outside 1.. per second".into()));
    }
    problems
}

/// The size of a delivery in the JSON envelope (§2.6): the fixed fields (type, ids, topic ARN,
/// timestamp, signature, certificate and unsubscribe URLs, about 700 bytes with the topic's
/// name twice), the body as a JSON string (quotes and escapes add about 2%), and each
/// attribute as `"name":{"Type":"...","Value":"..."}`.
pub fn envelope_size(
    body_size: u32,
    topic_name: &str,
    attributes_size: u32,
    attribute_count: u32,
) -> u32 {
    let fixed = 700 + 2 * topic_name.len() as u64;
    let body = body_size as u64 + body_size as u64 / 50 + 2;
    let attributes = if attribute_count > 0 {
        24 + attributes_size as u64 + 26 * attribute_count as u64
    } else {
        0
    };
    (fixed + body + attributes).min(u32::MAX as u64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(class: RetryClass, policy: &DeliveryPolicy, retry: u32) -> Option<f64> {
        retry_delay(class, policy, retry).map(|d| (d.as_secs_f64() * 1000.0).round() / 1000.0)
    }

    #[test]
    fn aws_managed_policy_has_100015_retries_in_four_phases() {
        let policy = DeliveryPolicy::default();
        assert_eq!(total_retries(RetryClass::AwsManaged, &policy), 100_015);
        let first: Vec<_> = (1..=6)
            .map(|r| seconds(RetryClass::AwsManaged, &policy, r))
            .collect();
        assert_eq!(
            first,
            [
                Some(0.0),
                Some(0.0),
                Some(0.0),
                Some(1.0),
                Some(1.0),
                Some(1.0)
            ]
        );
        assert_eq!(seconds(RetryClass::AwsManaged, &policy, 15), Some(20.0));
        assert_eq!(
            seconds(RetryClass::AwsManaged, &policy, 100_015),
            Some(20.0)
        );
        assert_eq!(seconds(RetryClass::AwsManaged, &policy, 100_016), None);
        // About 23 days in all.
        let total: f64 = (1..=100_015)
            .filter_map(|r| retry_delay(RetryClass::AwsManaged, &policy, r))
            .map(|d| d.as_secs_f64())
            .sum();
        assert!(
            (total / 86_400.0 - 23.2).abs() < 0.2,
            "{} days",
            total / 86_400.0
        );
    }

    #[test]
    fn customer_managed_policy_has_50_retries_over_six_hours() {
        let policy = DeliveryPolicy::default();
        assert_eq!(total_retries(RetryClass::CustomerManaged, &policy), 50);
        assert_eq!(seconds(RetryClass::CustomerManaged, &policy, 1), Some(10.0));
        assert_eq!(
            seconds(RetryClass::CustomerManaged, &policy, 12),
            Some(600.0)
        );
        let total: f64 = (1..=50)
            .filter_map(|r| retry_delay(RetryClass::CustomerManaged, &policy, r))
            .map(|d| d.as_secs_f64())
            .sum();
        assert!(total > 6.0 * 3_600.0, "{total} s");
    }

    #[test]
    fn default_http_policy_is_three_retries_20_seconds_apart() {
        let policy = DeliveryPolicy::default();
        let delays: Vec<_> = (1..=4)
            .map(|r| seconds(RetryClass::Http, &policy, r))
            .collect();
        assert_eq!(delays, [Some(20.0), Some(20.0), Some(20.0), None]);
    }

    /// The docs' example: 3 immediate, 2 at 1 s, 10 exponential 1 → 60 s, 35 at 60 s.
    #[test]
    fn custom_http_policy_follows_its_phases() {
        let policy = DeliveryPolicy {
            min_delay_target: 1,
            max_delay_target: 60,
            num_retries: 50,
            num_no_delay_retries: 3,
            num_min_delay_retries: 2,
            num_max_delay_retries: 35,
            backoff_function: BackoffFunction::Exponential,
            max_receives_per_second: None,
        };
        assert!(delivery_policy_problems(&policy).is_empty());
        assert_eq!(total_retries(RetryClass::Http, &policy), 50);
        let delays: Vec<_> = (1..=6)
            .map(|r| seconds(RetryClass::Http, &policy, r))
            .collect();
        assert_eq!(
            delays,
            [
                Some(0.0),
                Some(0.0),
                Some(0.0),
                Some(1.0),
                Some(1.0),
                Some(1.0)
            ]
        );
        assert_eq!(seconds(RetryClass::Http, &policy, 15), Some(60.0));
        assert_eq!(seconds(RetryClass::Http, &policy, 50), Some(60.0));
        assert_eq!(seconds(RetryClass::Http, &policy, 51), None);
        // Each backoff curve rises from min to max; linear is the highest in between.
        for growth in [
            BackoffFunction::Linear,
            BackoffFunction::Arithmetic,
            BackoffFunction::Geometric,
            BackoffFunction::Exponential,
        ] {
            let p = DeliveryPolicy {
                backoff_function: growth,
                ..policy.clone()
            };
            let backoff: Vec<f64> = (6..=15)
                .filter_map(|r| seconds(RetryClass::Http, &p, r))
                .collect();
            assert_eq!(backoff.first(), Some(&1.0));
            assert_eq!(backoff.last(), Some(&60.0));
            assert!(
                backoff.windows(2).all(|w| w[0] <= w[1]),
                "{growth:?}: {backoff:?}"
            );
        }
    }

    #[test]
    fn delivery_policies_are_range_checked() {
        let policy = DeliveryPolicy {
            min_delay_target: 30,
            max_delay_target: 4_000,
            num_retries: 101,
            ..DeliveryPolicy::default()
        };
        let fields: Vec<_> = delivery_policy_problems(&policy)
            .into_iter()
            .map(|(field, _)| field)
            .collect();
        assert_eq!(fields, ["maxDelayTarget", "numRetries"]);
        let policy = DeliveryPolicy {
            min_delay_target: 30,
            max_delay_target: 20,
            ..DeliveryPolicy::default()
        };
        assert_eq!(delivery_policy_problems(&policy)[0].0, "minDelayTarget");
    }

    #[test]
    fn the_envelope_is_bigger_than_the_raw_body() {
        let raw = 1_000;
        let wrapped = envelope_size(raw, "orders", 0, 0);
        assert!(wrapped > raw + 700 && wrapped < raw + 800, "{wrapped}");
        assert!(envelope_size(raw, "orders", 40, 2) > wrapped + 40);
    }
}
