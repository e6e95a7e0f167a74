//! Release-mode timing of SNS filter policy matching.
//!
//! Run with `cargo bench -p loosely-engine --bench sns_filter`.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::collections::BTreeMap;
    use std::hint::black_box;

    use criterion::{criterion_group, Criterion, Throughput};
    use loosely_engine::sns_filter::{
        parse_attributes_json, FilterPolicy, FilterPolicyScope, MessageAttributeValue,
    };

    const POLICY: &str = r#"{
        "store": ["example_corp", "other_corp"],
        "event": [{"anything-but": ["order_cancelled", "order_failed"]}],
        "customer_interests": ["rugby", "football", "baseball"],
        "price_usd": [{"numeric": [">=", 100, "<", 500]}],
        "region": [{"prefix": "eu-"}]
    }"#;

    const ATTRIBUTES: &str = r#"{
        "store": {"DataType": "String", "StringValue": "example_corp"},
        "event": {"DataType": "String", "StringValue": "order_placed"},
        "customer_interests": {"DataType": "String", "StringValue": "baseball"},
        "price_usd": {"DataType": "Number", "StringValue": "210.75"},
        "region": {"DataType": "String", "StringValue": "eu-west-1"}
    }"#;

    const BODY: &str = r#"{"store": "example_corp", "event": "order_placed",
        "customer_interests": "baseball", "price_usd": 210.75, "region": "eu-west-1"}"#;

    fn attributes() -> BTreeMap<String, MessageAttributeValue> {
        parse_attributes_json(ATTRIBUTES).unwrap_or_default()
    }

    fn bench(c: &mut Criterion) {
        let Ok(policy) = FilterPolicy::parse(POLICY, FilterPolicyScope::MessageAttributes) else {
            return;
        };
        let attributes = attributes();
        assert!(policy.matches_attributes(&attributes).is_match());
        let mut group = c.benchmark_group("sns_filter");
        group.throughput(Throughput::Elements(1));
        group.bench_function("attributes_5_keys_matched", |b| {
            b.iter(|| black_box(&policy).matches_attributes(black_box(&attributes)))
        });
        let mut rejected = attributes.clone();
        rejected.insert(
            "region".to_string(),
            MessageAttributeValue {
                data_type: "String".to_string(),
                string_value: Some("us-east-1".to_string()),
                binary_value: None,
            },
        );
        group.bench_function("attributes_5_keys_rejected", |b| {
            b.iter(|| black_box(&policy).matches_attributes(black_box(&rejected)))
        });
        let Ok(body_policy) = FilterPolicy::parse(POLICY, FilterPolicyScope::MessageBody) else {
            return;
        };
        group.bench_function("body_5_keys_matched_with_json_parse", |b| {
            b.iter(|| black_box(&body_policy).matches_body(black_box(BODY)))
        });
        group.bench_function("parse_policy", |b| {
            b.iter(|| FilterPolicy::parse(black_box(POLICY), FilterPolicyScope::MessageAttributes))
        });
        group.finish();
    }

    criterion_group!(benches, bench);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
