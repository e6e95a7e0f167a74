//! Reading a template's text (JSON or YAML) into a JSON value, with YAML's short intrinsic
//! tags (`!Ref`, `!GetAtt A.Arn`, `!Sub`, ...) turned into their long forms.
//!
//! The size of the text and the nesting of its brackets are checked before anything is
//! allocated for the parsed document; the number of resources is checked before any is mapped.

use serde_json::{Map, Number, Value};

use crate::ImportError;

/// Largest template text read, bytes: CloudFormation's limit for a template stored in S3
/// (1 MB; a template passed in the request body may hold only 51,200 bytes).
pub const MAX_TEMPLATE_BYTES: usize = 1_048_576;

/// Most resources in one template (CloudFormation's quota).
pub const MAX_RESOURCES: usize = 500;

/// Deepest nesting of mappings and sequences read.
pub const MAX_DEPTH: usize = 64;

/// Parses a template. JSON when the first non-blank character is `{`, YAML otherwise (YAML
/// is a superset of JSON, but JSON errors read better from the JSON parser).
pub fn parse(text: &str) -> Result<Value, ImportError> {
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(ImportError::TooLarge {
            bytes: text.len(),
            max: MAX_TEMPLATE_BYTES,
        });
    }
    if text.trim().is_empty() {
        return Err(ImportError::NotATemplate(
            "the text is empty; a template is a JSON or YAML object with a Resources section"
                .to_string(),
        ));
    }
    check_structure(text)?;
    let value = if text.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(text).map_err(|error| ImportError::Syntax {
            line: error.line(),
            column: error.column(),
            message: strip_position(&error.to_string()),
        })?
    } else {
        parse_yaml(text)?
    };
    let Value::Object(root) = &value else {
        return Err(ImportError::NotATemplate(
            "the document is not an object; a template is an object with a Resources section"
                .to_string(),
        ));
    };
    match root.get("Resources") {
        Some(Value::Object(resources)) if resources.len() > MAX_RESOURCES => {
            Err(ImportError::TooManyResources {
                count: resources.len(),
                max: MAX_RESOURCES,
            })
        }
        Some(Value::Object(_)) => Ok(value),
        Some(other) => Err(ImportError::NotATemplate(format!(
            "Resources is {}, expected an object of resources keyed by logical id",
            kind_of(other)
        ))),
        None => Err(ImportError::NotATemplate(
            "no Resources section; a template declares its resources under Resources".to_string(),
        )),
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Rejects text whose flow brackets nest deeper than [`MAX_DEPTH`] before a parser builds a
/// tree that deep, and YAML aliases (quoted text and comments are skipped).
fn check_structure(text: &str) -> Result<(), ImportError> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let (mut line, mut column) = (1usize, 0usize);
    for character in text.chars() {
        column += 1;
        if character == '\n' {
            line += 1;
            column = 0;
            comment = false;
        }
        match (quote, comment) {
            (_, true) => {}
            (Some(open), _) => {
                if character == open && previous != '\\' {
                    quote = None;
                }
            }
            (None, false) => match character {
                '"' | '\'' => quote = Some(character),
                '#' if previous.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(ImportError::TooDeep {
                            line,
                            column,
                            max: MAX_DEPTH,
                        });
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                // An alias (`*name`) would be expanded by the loader, exponentially so for
                // nested ones; CloudFormation does not accept them either.
                '*' if matches!(previous, ' ' | '\t' | '\n' | '[' | '{' | ',') => {
                    return Err(ImportError::NotATemplate(format!(
                        "line {line}, column {column}: YAML aliases (*name) are not allowed in CloudFormation templates"
                    )));
                }
                _ => {}
            },
        }
        previous = character;
    }
    Ok(())
}

fn parse_yaml(text: &str) -> Result<Value, ImportError> {
    use saphyr::LoadableYamlNode;
    let documents = saphyr::YamlOwned::load_from_str(text).map_err(|error| {
        let marker = error.marker();
        ImportError::Syntax {
            line: marker.line(),
            column: marker.col() + 1,
            message: error.info().to_string(),
        }
    })?;
    let mut documents = documents.into_iter();
    let Some(first) = documents.next() else {
        return Err(ImportError::NotATemplate(
            "the YAML text holds no document".to_string(),
        ));
    };
    if documents.next().is_some() {
        return Err(ImportError::NotATemplate(
            "the YAML text holds several documents; a template is one".to_string(),
        ));
    }
    yaml_to_json(first, 0)
}

fn yaml_to_json(node: saphyr::YamlOwned, depth: usize) -> Result<Value, ImportError> {
    use saphyr::{ScalarOwned, YamlOwned};
    if depth > MAX_DEPTH {
        return Err(ImportError::TooDeep {
            line: 0,
            column: 0,
            max: MAX_DEPTH,
        });
    }
    Ok(match node {
        YamlOwned::Value(scalar) => match scalar {
            ScalarOwned::Null => Value::Null,
            ScalarOwned::Boolean(value) => Value::Bool(value),
            ScalarOwned::Integer(value) => Value::Number(value.into()),
            ScalarOwned::FloatingPoint(value) => match Number::from_f64(value.into_inner()) {
                Some(number) => Value::Number(number),
                None => Value::String(value.into_inner().to_string()),
            },
            ScalarOwned::String(text) => Value::String(text),
        },
        YamlOwned::Representation(text, _, _) => Value::String(text),
        YamlOwned::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(|item| yaml_to_json(item, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        YamlOwned::Mapping(entries) => {
            let mut object = Map::new();
            for (key, value) in entries {
                let key = match yaml_to_json(key, depth + 1)? {
                    Value::String(text) => text,
                    Value::Null => "null".to_string(),
                    other => other.to_string(),
                };
                object.insert(key, yaml_to_json(value, depth + 1)?);
            }
            Value::Object(object)
        }
        YamlOwned::Tagged(tag, inner) => {
            let inner = yaml_to_json(*inner, depth + 1)?;
            if tag.handle != "!" {
                // A core schema tag (`!!str`) or a tag CloudFormation does not know: the value.
                return Ok(inner);
            }
            long_form(&tag.suffix, inner)
        }
        YamlOwned::BadValue => {
            return Err(ImportError::Syntax {
                line: 0,
                column: 0,
                message: "a value that is not valid YAML".to_string(),
            })
        }
        YamlOwned::Alias(_) => {
            return Err(ImportError::NotATemplate(
                "YAML aliases (*name) are not allowed in CloudFormation templates".to_string(),
            ))
        }
    })
}

/// `!Ref X` is `{"Ref": X}`, `!Condition X` is `{"Condition": X}`, `!GetAtt A.B` is
/// `{"Fn::GetAtt": ["A", "B"]}`, and every other `!Name v` is `{"Fn::Name": v}`.
fn long_form(suffix: &str, inner: Value) -> Value {
    let mut object = Map::new();
    match suffix {
        "Ref" | "Condition" => {
            object.insert(suffix.to_string(), inner);
        }
        "GetAtt" => {
            let value = match inner {
                Value::String(text) => match text.split_once('.') {
                    Some((resource, attribute)) => Value::Array(vec![
                        Value::String(resource.to_string()),
                        Value::String(attribute.to_string()),
                    ]),
                    None => Value::String(text),
                },
                other => other,
            };
            object.insert("Fn::GetAtt".to_string(), value);
        }
        _ => {
            object.insert(format!("Fn::{suffix}"), inner);
        }
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tags_become_long_forms() {
        let value = parse(
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt Dlq.Arn\n      A: !Ref Dlq\n      B: !Sub '${Dlq.Arn}'\n      C: !Join [':', [a, !Ref Dlq]]\n",
        )
        .expect("parses");
        let properties = &value["Resources"]["Q"]["Properties"];
        assert_eq!(
            properties["RedrivePolicy"]["deadLetterTargetArn"],
            serde_json::json!({"Fn::GetAtt": ["Dlq", "Arn"]})
        );
        assert_eq!(properties["A"], serde_json::json!({"Ref": "Dlq"}));
        assert_eq!(
            properties["B"],
            serde_json::json!({"Fn::Sub": "${Dlq.Arn}"})
        );
        assert_eq!(
            properties["C"],
            serde_json::json!({"Fn::Join": [":", ["a", {"Ref": "Dlq"}]]})
        );
    }

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(parse(&text), Err(ImportError::TooDeep { .. })));
    }
}
