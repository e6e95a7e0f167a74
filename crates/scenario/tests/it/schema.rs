use serde_json::Value;

/// Walks the schema and collects the properties that have no description.
fn undocumented(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            // A one-key object of an externally tagged variant is described by the variant.
            let single_described = map.get("description").is_some()
                && map
                    .get("properties")
                    .and_then(Value::as_object)
                    .is_some_and(|p| p.len() == 1);
            if let (Some(Value::Object(properties)), false) =
                (map.get("properties"), single_described)
            {
                for (name, property) in properties {
                    let documented = property.get("description").is_some();
                    if !documented {
                        out.push(format!("{path}.{name}"));
                    }
                }
            }
            for (key, child) in map {
                undocumented(child, &format!("{path}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                undocumented(item, &format!("{path}[{index}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_field_of_the_schema_has_a_description() {
    let schema = loosely_scenario::json_schema();
    assert_eq!(schema["title"], "Scenario");
    let mut missing = Vec::new();
    undocumented(&schema, "", &mut missing);
    // The kind tag is a constant, described by the variant itself.
    missing.retain(|path| !path.ends_with(".kind"));
    assert!(
        missing.is_empty(),
        "fields without a description: {missing:#?}"
    );
}

#[test]
fn the_schema_names_the_aws_attributes() {
    let text = loosely_scenario::json_schema().to_string();
    for name in [
        "VisibilityTimeout",
        "RedrivePolicy",
        "deadLetterTargetArn",
        "WaitTimeSeconds",
        "MaxNumberOfMessages",
        "ContentBasedDeduplication",
        "log_normal",
    ] {
        assert!(text.contains(name), "{name} missing from the schema");
    }
}
