mod api;
mod batch;
mod examples;
mod foreign;
mod hostile;
mod lambda;
mod mq_appflow;
mod round_trip;

/// What an import of loosely's own export lists as left out: the roles and permissions
/// (IAM is not simulated) and the placeholder code of each function (code is not run).
fn left_out_of_an_export(skipped: &loosely_cfn::Skipped) -> bool {
    matches!(
        skipped.resource_type.as_str(),
        "AWS::IAM::Role" | "AWS::Lambda::Permission"
    ) || [".RoleArn", ".Role", ".Runtime", ".Handler", ".Code"]
        .iter()
        .any(|end| skipped.path.ends_with(end))
}

/// Runs an imported scenario for a minute with one more component (a producer or clients,
/// as scenario JSON) connected to `to`.
fn run_with(
    mut scenario: loosely_scenario::Scenario,
    source: serde_json::Value,
    to: &str,
) -> loosely_scenario::Built {
    let source: loosely_scenario::Component = serde_json::from_value(source).expect("a component");
    scenario.connections.push(loosely_scenario::Connection {
        from: source.id().to_string(),
        to: to.to_string(),
        ..Default::default()
    });
    scenario.components.push(source);
    scenario.duration_seconds = 60;
    assert!(scenario.validate().is_empty(), "{:?}", scenario.validate());
    let mut built = scenario.build().expect("a valid scenario");
    built.simulation.run_until(built.duration);
    built
}

/// The parameters of a component of the scenario, as JSON.
fn parameters(scenario: &loosely_scenario::Scenario, id: &str) -> serde_json::Value {
    let component = scenario
        .components
        .iter()
        .find(|c| c.id() == id)
        .unwrap_or_else(|| panic!("no component {id}"));
    serde_json::to_value(component).expect("serializes")["parameters"].clone()
}

/// What an import left out, one line each.
fn skipped(imported: &loosely_cfn::Imported) -> Vec<String> {
    imported.skipped.iter().map(ToString::to_string).collect()
}
