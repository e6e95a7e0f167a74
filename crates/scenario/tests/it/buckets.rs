//! The `s3_bucket` component's objects: validation, and a Distributed Map reading and
//! writing them while the scenario runs.

use loosely_engine::{ComponentStats, SimTime};
use loosely_scenario::Scenario;

use crate::issues;

fn with_bucket(id: &str, parameters: &str) -> String {
    format!(
        r#"{{"version": 1, "components": [{{"id": "{id}", "kind": "s3_bucket", "parameters": {parameters}}}]}}"#
    )
}

#[test]
fn objects_are_validated_with_paths() {
    assert!(issues(&with_bucket("orders", r#"{"objects": {"a.csv": "x"}}"#)).is_empty());
    // An empty bucket keeps any name (it only holds the extended client's payloads).
    assert!(issues(&with_bucket("Payload Bucket", "{}")).is_empty());
    let cases = [
        (
            with_bucket("Orders", r#"{"objects": {"a.csv": "x"}}"#),
            "components[0].name: a bucket holding objects is named by S3's rules",
        ),
        (
            with_bucket("orders", r#"{"objects": {"": "x"}}"#),
            "an object key is 1 to 1024 bytes long, this one has 0",
        ),
        (
            with_bucket(
                "orders",
                &format!(
                    r#"{{"objects": {{"big": "{}"}}}}"#,
                    "x".repeat(1024 * 1024 + 1)
                ),
            ),
            "1048577 bytes of content, at most 1048576 (1 MiB) are allowed",
        ),
        (
            with_bucket(
                "orders",
                &format!(
                    r#"{{"objects": {{{}}}}}"#,
                    (0..1001)
                        .map(|n| format!(r#""k{n}": """#))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            ),
            "components[0].parameters.objects: 1001 objects, at most 1000 are allowed",
        ),
    ];
    for (scenario, expected) in cases {
        let found = issues(&scenario);
        assert!(
            found.iter().any(|issue| issue.contains(expected)),
            "expected '{expected}' in {found:?}"
        );
    }
}

#[test]
fn a_distributed_map_reads_and_writes_the_buckets() {
    let definition = r#"{"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "input-data", "Key": "items.json"}},
        "ItemBatcher": {"MaxItemsPerBatch": 2},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix": "runs"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "End": true}}}"#;
    let scenario = format!(
        r#"{{"version": 1, "seed": 3, "duration_seconds": 60, "components": [
            {{"id": "start", "kind": "producer", "parameters": {{"rate_per_second": 1, "arrival": "constant", "total_count": 2}}}},
            {{"id": "machine", "kind": "state_machine", "parameters": {{"Definition": {definition}}}}},
            {{"id": "input-data", "kind": "s3_bucket", "parameters": {{"objects": {{"items.json": "[1, 2, 3]"}}}}}},
            {{"id": "results", "kind": "s3_bucket"}}],
          "connections": [{{"from": "start", "to": "machine"}}]}}"#
    );
    let scenario = Scenario::from_json(&scenario).expect("parses");
    let mut built = scenario.build().expect("builds");
    let usage = |built: &loosely_scenario::Built, component| match built.simulation.stats(component)
    {
        Some(ComponentStats::Bucket(stats)) => (stats.objects, stats.bytes),
        other => panic!("a bucket, got {other:?}"),
    };
    assert_eq!(usage(&built, 2), (1, 9), "the seeded object");
    assert_eq!(usage(&built, 3), (0, 0));
    built.simulation.run_until(SimTime::from_secs(60));
    let Some(ComponentStats::StateMachine(machine)) = built.simulation.stats(1) else {
        panic!("a state machine");
    };
    assert_eq!(machine.succeeded, 2);
    // Two Map Runs, each a SUCCEEDED_0.json and a manifest.json.
    let (objects, bytes) = usage(&built, 3);
    assert_eq!(objects, 4);
    assert!(bytes > 500, "{bytes}");
    assert_eq!(usage(&built, 2).0, 1, "the reader wrote nothing");
    // What the inspector lists: each run's folder under the prefix, keys in order.
    let listed = built.simulation.bucket_objects(3).expect("a bucket");
    let keys: Vec<&str> = listed.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys.len(), 4);
    assert!(keys.iter().all(|k| k.starts_with("runs/")), "{keys:?}");
    assert_eq!(
        keys.iter()
            .filter(|k| k.ends_with("/manifest.json"))
            .count(),
        2
    );
    assert_eq!(listed.iter().map(|o| o.size).sum::<u64>(), bytes);
    let seeded = built.simulation.bucket_objects(2).expect("a bucket");
    assert_eq!(seeded.len(), 1);
    assert_eq!(
        (seeded[0].key.as_str(), &*seeded[0].body),
        ("items.json", "[1, 2, 3]")
    );
    assert_eq!(seeded[0].last_modified, 1_704_067_200);
    assert!(built.simulation.bucket_objects(1).is_none(), "not a bucket");
}
