mod api;
mod examples;
mod foreign;
mod hostile;
mod lambda;
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
/// as scenario JSON) connected to `to`, and gives the message census at the end.
fn run_with(
    mut scenario: loosely_scenario::Scenario,
    source: serde_json::Value,
    to: &str,
) -> loosely_engine::Census {
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
    built.simulation.census()
}
