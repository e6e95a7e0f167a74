//! Corrupt, truncated and oversized templates get a clear error, never a panic.

use loosely_cfn::{import, ImportError, MAX_RESOURCES, MAX_TEMPLATE_BYTES};
use proptest::prelude::*;

#[test]
fn oversized_text_is_refused_before_parsing() {
    let text = format!("Resources: {{}}\n#{}", "x".repeat(MAX_TEMPLATE_BYTES));
    let error = import(&text).expect_err("too large");
    assert!(matches!(error, ImportError::TooLarge { .. }));
    assert!(error.to_string().starts_with("the template is 1048"));
}

#[test]
fn too_many_resources_are_refused_before_mapping() {
    let mut text = String::from("Resources:\n");
    for n in 0..=MAX_RESOURCES {
        text.push_str(&format!("  Q{n}:\n    Type: AWS::SQS::Queue\n"));
    }
    let error = import(&text).expect_err("too many");
    assert_eq!(
        error.to_string(),
        "the template declares 501 resources; at most 500 are read (CloudFormation's quota per template)"
    );
}

#[test]
fn truncated_and_corrupt_templates_say_where() {
    let truncated =
        import("{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"").expect_err("truncated");
    assert!(
        matches!(truncated, ImportError::Syntax { line: 1, .. }),
        "{truncated}"
    );
    let yaml = import("Resources:\n  Q: [a, b\n").expect_err("corrupt");
    assert!(matches!(yaml, ImportError::Syntax { .. }), "{yaml}");
    let no_resources = import("AWSTemplateFormatVersion: '2010-09-09'\n").expect_err("empty");
    assert_eq!(
        no_resources.to_string(),
        "not a CloudFormation template: no Resources section; a template declares its resources under Resources"
    );
    let alias =
        import("Resources:\n  A: &a {Type: AWS::SQS::Queue}\n  B: *a\n").expect_err("alias");
    assert!(alias.to_string().contains("aliases"), "{alias}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_imports_or_errs_without_panicking(text in ".{0,400}") {
        let _ = import(&text);
    }

    #[test]
    fn cut_templates_never_panic(cut in 0usize..2000) {
        let text = loosely_cfn::export(&example());
        let end = text.char_indices().map(|(i, _)| i).find(|&i| i >= cut.min(text.len())).unwrap_or(text.len());
        let _ = import(&text[..end]);
        let yaml = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: {deadLetterTargetArn: !GetAtt D.Arn, maxReceiveCount: 3}\n  D:\n    Type: AWS::SQS::Queue\n";
        let end = cut.min(yaml.len());
        let _ = import(&yaml[..end]);
    }
}

fn example() -> loosely_scenario::Scenario {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/sns-filtering.json"
    ))
    .expect("the example");
    loosely_scenario::Scenario::from_json(&text).expect("parses")
}
