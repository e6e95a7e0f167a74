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
