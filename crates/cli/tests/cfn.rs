//! `loosely import` and `loosely export --cloudformation`.

mod common;

use common::{example, loosely, text, TempFile};

#[test]
fn export_then_import_gives_the_example_back() {
    let exported = loosely(&["export", "--cloudformation", &example("sns-filtering.json")]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let template: serde_json::Value =
        serde_json::from_slice(&exported.stdout).expect("a JSON template");
    assert_eq!(template["AWSTemplateFormatVersion"], "2010-09-09");
    let file = TempFile::new("template.json", &text(&exported.stdout));
    let imported = loosely(&["import", file.path()]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let original = std::fs::read_to_string(example("sns-filtering.json")).expect("readable");
    let original = loosely_scenario::Scenario::from_json(&original).expect("parses");
    let back = loosely_scenario::Scenario::from_json(&text(&imported.stdout)).expect("parses");
    assert_eq!(back, original);
}

#[test]
fn import_lists_what_it_leaves_out_on_stderr() {
    let template = TempFile::new(
        "sam.yaml",
        "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 45\n  Handler:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: java21\n  Cluster:\n    Type: AWS::ECS::Cluster\n",
    );
    let output = loosely(&["import", template.path()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("skipped Resources.Handler.Properties.Runtime (AWS::Serverless::Function): the code is not run"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "skipped Resources.Cluster (AWS::ECS::Cluster): this resource type is not simulated"
        ),
        "{stderr}"
    );
    let scenario = loosely_scenario::Scenario::from_json(&text(&output.stdout)).expect("parses");
    assert_eq!(scenario.components.len(), 2);
}

#[test]
fn a_corrupt_template_is_one_line_and_exit_2() {
    let template = TempFile::new("broken.yaml", "Resources:\n  Q: [a, b\n");
    let output = loosely(&["import", template.path()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("broken.yaml: line "), "{stderr}");
}

#[test]
fn export_needs_the_format_flag() {
    let output = loosely(&["export", &example("sns-filtering.json")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--cloudformation"));
}
