//! SNS subscription filter policies: any text parses to a policy or an AWS-style error, and
//! a policy matches any attributes and any body without a panic, the same way twice.
//!
//! Input layout: the policy, a NUL byte, the message attributes JSON (AWS API shape), a NUL
//! byte, the message body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loosely_engine::sns_filter::{parse_attributes_json, FilterPolicy, FilterPolicyScope};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\0');
    let policy = parts.next().unwrap_or_default();
    let attributes = parts.next().unwrap_or("{}");
    let body = parts.next().unwrap_or_default();
    let attributes = parse_attributes_json(attributes).ok();
    for scope in [
        FilterPolicyScope::MessageAttributes,
        FilterPolicyScope::MessageBody,
    ] {
        let Ok(policy) = FilterPolicy::parse(policy, scope) else {
            continue;
        };
        let by_body = policy.matches_body(body);
        assert_eq!(
            by_body,
            policy.matches_body(body),
            "matching is deterministic"
        );
        let _ = by_body.reason();
        if let Some(attributes) = &attributes {
            let by_attributes = policy.matches_attributes(attributes);
            let _ = by_attributes.is_match();
            let _ = by_attributes.reason();
        }
    }
});
