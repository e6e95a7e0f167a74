//! Parameter sweeps: settings, variants, validation naming the setting, same seed per variant.

use loosely_scenario::sweep::{self, Setting};
use loosely_scenario::Scenario;

fn example(name: &str) -> Scenario {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    Scenario::from_json(&std::fs::read_to_string(path).expect("readable")).expect("parses")
}

#[test]
fn a_longer_visibility_timeout_stops_the_redeliveries() {
    let scenario = example("visibility-timeout-too-short.json");
    let setting = Setting::parse("components.video-jobs.VisibilityTimeout=30,120").expect("parses");
    let rows = sweep::run(&scenario, std::slice::from_ref(&setting)).expect("valid variants");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].values, [serde_json::json!(30)]);
    assert!(rows[0].outcome.redelivered > 100.0, "{:?}", rows[0].outcome);
    assert_eq!(rows[1].outcome.redelivered, 0.0);
    assert!(rows[1].outcome.latency_p99_seconds < 120.0);
    // The same seed gives the same row.
    let again = sweep::run(&scenario, std::slice::from_ref(&setting)).expect("valid");
    assert_eq!(again, rows);
    let csv = sweep::csv(&[setting], &rows);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("components.video-jobs.VisibilityTimeout,sent,deleted,redelivered,moved_to_dlq,latency_p50_seconds,latency_p99_seconds,cost_usd")
    );
    assert!(lines.next().is_some_and(|line| line.starts_with("30,")));
    assert_eq!(csv.lines().count(), 3);
}

#[test]
fn settings_combine_and_reach_nested_and_top_level_fields() {
    let scenario = example("worker-pool-dlq.json");
    let settings = [
        Setting::parse("components.orders.RedrivePolicy.maxReceiveCount=1,5").expect("parses"),
        Setting::parse("seed=1,2,3").expect("parses"),
    ];
    let variants = sweep::variants(&scenario, &settings).expect("valid");
    assert_eq!(variants.len(), 6);
    let (values, last) = &variants[5];
    assert_eq!(values, &[serde_json::json!(5), serde_json::json!(3)]);
    assert_eq!(last.seed, 3);
    let loosely_scenario::Component::SqsQueue(orders) = &last.components[1] else {
        panic!("orders is the second component")
    };
    assert_eq!(
        orders
            .parameters
            .redrive_policy
            .as_ref()
            .and_then(|p| p.max_receive_count),
        Some(5)
    );
}

#[test]
fn bad_settings_name_the_setting_and_the_field() {
    let scenario = example("worker-pool-dlq.json");
    let problems = |text: &str| -> Vec<String> {
        match Setting::parse(text) {
            Err(issue) => vec![issue.to_string()],
            Ok(setting) => sweep::variants(&scenario, &[setting])
                .err()
                .unwrap_or_default()
                .iter()
                .map(|issue| issue.to_string())
                .collect(),
        }
    };
    assert_eq!(
        problems("components.orders.VisibilityTimeout=10,50000"),
        ["components.orders.VisibilityTimeout=50000: components[1].parameters.VisibilityTimeout: 50000 is outside 0..=43200 seconds"]
    );
    assert_eq!(
        problems("components.nobody.VisibilityTimeout=1"),
        ["components.nobody.VisibilityTimeout=1: no component has the id \"nobody\""]
    );
    assert_eq!(
        problems("components.orders.VisibilityTimeout=soon"),
        ["components.orders.VisibilityTimeout=soon: invalid type: string \"soon\", expected u32"]
    );
    assert_eq!(
        problems("components.orders.VisibilityTimeout"),
        ["components.orders.VisibilityTimeout: expected PATH=V1,V2,... (components.orders.VisibilityTimeout=10,30,60)"]
    );
    assert!(problems("seeds=1")[0].starts_with("seeds=1: \"seeds\" is not a top-level field"));
}
