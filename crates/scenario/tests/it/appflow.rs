//! AppFlow flows in scenario files: every problem with its JSON path, and the gallery
//! example's runs.

use loosely_engine::{ComponentStats, FlowRunStatus, SimTime};
use loosely_scenario::Scenario;

use crate::issues;

fn flow(parameters: &str) -> String {
    format!(
        r#"{{"version": 1, "components": [{{"id": "sync", "kind": "appflow_flow", "parameters": {parameters}}}]}}"#
    )
}

#[test]
fn unsupported_source_and_destination_name_the_field_and_the_value() {
    let found = issues(&flow(
        r#"{"sourceFlowConfig": {"connectorType": "Snowflake"},
            "destinationFlowConfigList": [{"connectorType": "Datadog"}]}"#,
    ));
    assert!(
        found.iter().any(|i| i.starts_with(
            "components[0].parameters.sourceFlowConfig.connectorType: \"Snowflake\" is a destination only"
        )),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|i| i.starts_with(
            "components[0].parameters.destinationFlowConfigList[0].connectorType: \"Datadog\" is a source only"
        )),
        "{found:#?}"
    );
    let unknown = issues(&flow(r#"{"sourceFlowConfig": {"connectorType": "Jira"}}"#));
    assert!(
        unknown
            .iter()
            .any(|i| i.contains("\"Jira\" is not an AppFlow connector type; allowed: Salesforce")),
        "{unknown:#?}"
    );
}

#[test]
fn schedules_triggers_and_tasks_are_checked_with_their_paths() {
    let found = issues(&flow(
        r#"{"sourceFlowConfig": {"connectorType": "Zendesk"},
            "triggerConfig": {"triggerType": "Scheduled", "triggerProperties": {
                "scheduleExpression": "rate(30 seconds)", "flowErrorDeactivationThreshold": 0}},
            "tasks": [
                {"taskType": "Filter", "sourceFields": ["Amount"], "connectorOperator": {"Zendesk": "ROUGHLY"}},
                {"taskType": "Validate", "sourceFields": ["Nope"], "connectorOperator": {"Zendesk": "VALIDATE_NON_NULL"}},
                {"taskType": "Validate", "sourceFields": ["Amount"], "connectorOperator": {"Zendesk": "VALIDATE_NUMERIC"},
                 "taskProperties": {"VALIDATION_ACTION": "Shrug"}}
            ]}"#,
    ));
    let expect = [
        "components[0].parameters.triggerConfig.triggerProperties.scheduleExpression: \"seconds\" is not a unit of \"rate(30 seconds)\"; allowed: rate(N minutes)",
        "components[0].parameters.triggerConfig.triggerProperties.flowErrorDeactivationThreshold: 0 is outside 1..=100",
        "components[0].parameters.tasks[0].connectorOperator: \"ROUGHLY\" is not a Filter operator",
        "components[0].parameters.tasks[1].sourceFields[0]: \"Nope\" is not a field of the source",
        "components[0].parameters.tasks[2].taskProperties.VALIDATION_ACTION: \"Shrug\" is not an action; allowed: DropRecord, TerminateFlow",
    ];
    for prefix in expect {
        assert!(
            found.iter().any(|i| i.starts_with(prefix)),
            "{prefix}\n{found:#?}"
        );
    }
    let event = issues(&flow(
        r#"{"sourceFlowConfig": {"connectorType": "Zendesk"}, "triggerConfig": {"triggerType": "Event"}}"#,
    ));
    assert!(
        event.iter().any(|i| i.starts_with("components[0].parameters.triggerConfig.triggerType: \"Event\": Zendesk emits no change events")),
        "{event:#?}"
    );
    let minimum = issues(&flow(
        r#"{"triggerConfig": {"triggerType": "Scheduled", "triggerProperties": {"scheduleExpression": "rate(0minutes)"}}}"#,
    ));
    assert!(
        minimum.iter().any(|i| i.contains("at least 1 minute")),
        "{minimum:#?}"
    );
}

#[test]
fn the_gallery_sync_runs_every_five_minutes_and_drops_bad_records() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/appflow-scheduled-sync.json"),
    )
    .expect("the example");
    let scenario = Scenario::from_json(&text).expect("parses");
    let mut built = scenario.build().expect("builds");
    built.simulation.run_until(SimTime::from_secs(3_590));
    let runs = built.simulation.flow_runs(0);
    let starts: Vec<u64> = runs
        .iter()
        .map(|r| r.started.as_micros() / 1_000_000)
        .collect();
    assert_eq!(starts, (0..12).map(|k| k * 300).collect::<Vec<_>>());
    assert_eq!(runs[0].records_processed, 5_000);
    assert_eq!(runs[0].api_calls, 3);
    assert!(
        runs[1..].iter().all(|r| r.records_processed == 200),
        "{runs:#?}"
    );
    assert!(runs.iter().all(|r| r.status == FlowRunStatus::Successful));
    assert!(
        runs[0].invalid > 100 && runs[0].filtered > 1_000,
        "{:?}",
        runs[0]
    );
    let backfill = built.simulation.flow_runs(1);
    assert_eq!(backfill.len(), 1);
    assert_eq!(backfill[0].started, SimTime::from_secs(420));
    assert_eq!(backfill[0].records_processed, 20_000);
    let Some(ComponentStats::Flow(stats)) = built.simulation.stats(0) else {
        panic!("a flow");
    };
    assert_eq!(stats.census.generated, stats.census.accounted());
}
