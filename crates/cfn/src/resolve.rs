//! Intrinsic functions: `Ref`, `Fn::GetAtt` (list and dotted forms), `Fn::Sub` (with and
//! without its variable map), `Fn::Join` and `Fn::Select`.
//!
//! A reference to a resource of the template stays a reference (it becomes a connection);
//! inside a longer text it is written as AWS would return it, in the simulated account
//! `123456789012` of `us-east-1` (a queue's `Ref` is its URL, a topic's its ARN, ...), which the
//! engine matches by name. Parameters resolve to their `Default`; `Fn::If`, `Fn::ImportValue`,
//! `Fn::FindInMap` and the other functions are not evaluated and are reported.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

pub(crate) const REGION: &str = "us-east-1";
pub(crate) const ACCOUNT: &str = "123456789012";

/// What a value refers to once its intrinsics are resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A resource of the template, by logical id, with the attribute asked for (`None` for `Ref`).
    Resource {
        logical: String,
        attribute: Option<String>,
    },
    /// Plain text.
    Text(String),
}

pub(crate) struct Resolver<'a> {
    resources: &'a Map<String, Value>,
    parameters: Option<&'a Map<String, Value>>,
    /// The name each resource goes by (its component's display name once imported).
    pub names: BTreeMap<String, String>,
}

/// An object with one key that is `Ref`, `Condition` or starts with `Fn::`.
pub(crate) fn is_intrinsic(value: &Value) -> bool {
    match value {
        Value::Object(object) if object.len() == 1 => object
            .keys()
            .all(|key| key == "Ref" || key.starts_with("Fn::")),
        _ => false,
    }
}

impl<'a> Resolver<'a> {
    pub fn new(template: &'a Map<String, Value>, resources: &'a Map<String, Value>) -> Self {
        Resolver {
            resources,
            parameters: template.get("Parameters").and_then(Value::as_object),
            names: BTreeMap::new(),
        }
    }

    fn resource_type(&self, logical: &str) -> &str {
        self.resources
            .get(logical)
            .and_then(|resource| resource.get("Type"))
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn resolve(&self, value: &Value) -> Result<Resolved, String> {
        match value {
            Value::String(text) => Ok(Resolved::Text(text.clone())),
            Value::Number(number) => Ok(Resolved::Text(number.to_string())),
            Value::Bool(flag) => Ok(Resolved::Text(flag.to_string())),
            Value::Object(object) if is_intrinsic(value) => {
                let Some((function, argument)) = object.iter().next() else {
                    return Err("an empty object".to_string());
                };
                self.function(function, argument)
            }
            other => Err(format!(
                "{} where a text or a reference was expected",
                crate::template::kind_of(other)
            )),
        }
    }

    /// The value as text (a resource written as AWS returns it).
    pub fn text(&self, value: &Value) -> Result<String, String> {
        Ok(match self.resolve(value)? {
            Resolved::Text(text) => text,
            Resolved::Resource { logical, attribute } => {
                self.render(&logical, attribute.as_deref())
            }
        })
    }

    /// The value with every intrinsic inside it replaced by its text (for state machine
    /// definitions and policies).
    pub fn deep(&self, value: &Value) -> Result<Value, String> {
        if is_intrinsic(value) {
            return self.text(value).map(Value::String);
        }
        Ok(match value {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.deep(item))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(key, item)| Ok((key.clone(), self.deep(item)?)))
                    .collect::<Result<_, String>>()?,
            ),
            other => other.clone(),
        })
    }

    fn function(&self, function: &str, argument: &Value) -> Result<Resolved, String> {
        match function {
            "Ref" => {
                let Some(name) = argument.as_str() else {
                    return Err("Ref takes the name of a resource or parameter".to_string());
                };
                self.reference(name, None)
            }
            "Fn::GetAtt" => {
                let (logical, attribute) = match argument {
                    Value::String(dotted) => match dotted.split_once('.') {
                        Some((logical, attribute)) => (logical.to_string(), attribute.to_string()),
                        None => return Err(format!("Fn::GetAtt {dotted:?} names no attribute")),
                    },
                    Value::Array(items) => match (items.first(), items.get(1), items.len()) {
                        (Some(Value::String(logical)), Some(attribute), 2) => {
                            (logical.clone(), self.text(attribute)?)
                        }
                        _ => return Err("Fn::GetAtt takes [logical id, attribute]".to_string()),
                    },
                    _ => return Err("Fn::GetAtt takes [logical id, attribute]".to_string()),
                };
                if !self.resources.contains_key(&logical) {
                    return Err(format!(
                        "Fn::GetAtt names {logical}, which is not a resource of the template"
                    ));
                }
                Ok(Resolved::Resource {
                    logical,
                    attribute: Some(attribute),
                })
            }
            "Fn::Sub" => {
                let (text, variables) = match argument {
                    Value::String(text) => (text.as_str(), None),
                    Value::Array(items) => match (items.first(), items.get(1), items.len()) {
                        (Some(Value::String(text)), Some(Value::Object(variables)), 2) => {
                            (text.as_str(), Some(variables))
                        }
                        _ => return Err("Fn::Sub takes a text or [text, {variables}]".to_string()),
                    },
                    _ => return Err("Fn::Sub takes a text or [text, {variables}]".to_string()),
                };
                self.substitute(text, variables)
            }
            "Fn::Join" => {
                let (Some(Value::String(separator)), Some(Value::Array(parts)), 2) = (
                    argument.get(0),
                    argument.get(1),
                    argument.as_array().map_or(0, Vec::len),
                ) else {
                    return Err("Fn::Join takes [separator, [values]]".to_string());
                };
                if let [only] = parts.as_slice() {
                    return self.resolve(only);
                }
                let texts = parts
                    .iter()
                    .map(|part| self.text(part))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Resolved::Text(texts.join(separator)))
            }
            "Fn::Select" => {
                let (Some(index), Some(Value::Array(items))) = (argument.get(0), argument.get(1))
                else {
                    return Err("Fn::Select takes [index, [values]]".to_string());
                };
                let index = match self.resolve(index)? {
                    Resolved::Text(text) => text.parse::<usize>().ok(),
                    Resolved::Resource { .. } => None,
                };
                match index.and_then(|index| items.get(index)) {
                    Some(item) => self.resolve(item),
                    None => Err(format!(
                        "Fn::Select index is outside the list of {}",
                        items.len()
                    )),
                }
            }
            other => Err(format!("{other} is not evaluated by the import")),
        }
    }

    fn reference(&self, name: &str, attribute: Option<String>) -> Result<Resolved, String> {
        if let Some(text) = pseudo_parameter(name) {
            return Ok(Resolved::Text(text.to_string()));
        }
        if name == "AWS::NoValue" {
            return Err("AWS::NoValue (an absent value)".to_string());
        }
        if self.resources.contains_key(name) {
            return Ok(Resolved::Resource {
                logical: name.to_string(),
                attribute,
            });
        }
        match self.parameters.and_then(|parameters| parameters.get(name)) {
            Some(parameter) => match parameter.get("Default") {
                Some(default) => self.resolve(default),
                None => Err(format!("parameter {name} has no Default")),
            },
            None => Err(format!(
                "Ref {name}: neither a resource nor a parameter of the template"
            )),
        }
    }

    fn substitute(
        &self,
        text: &str,
        variables: Option<&Map<String, Value>>,
    ) -> Result<Resolved, String> {
        let mut out = String::new();
        let mut rest = text;
        let mut references = Vec::new();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                return Err(format!("Fn::Sub {text:?}: a ${{ without its }}"));
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let resolved = match variables.and_then(|variables| variables.get(name)) {
                Some(value) => self.resolve(value)?,
                None => match name.split_once('.') {
                    Some((logical, attribute)) if self.resources.contains_key(logical) => {
                        Resolved::Resource {
                            logical: logical.to_string(),
                            attribute: Some(attribute.to_string()),
                        }
                    }
                    _ => self.reference(name, None)?,
                },
            };
            match resolved {
                Resolved::Text(value) => out.push_str(&value),
                Resolved::Resource { logical, attribute } => {
                    out.push_str(&self.render(&logical, attribute.as_deref()));
                    references.push(Resolved::Resource { logical, attribute });
                }
            }
        }
        out.push_str(rest);
        // "${Queue.Arn}" alone is the reference itself.
        if let [only] = references.as_slice() {
            if let Resolved::Resource { logical, attribute } = only {
                if out == self.render(logical, attribute.as_deref()) {
                    return Ok(only.clone());
                }
            }
        }
        Ok(Resolved::Text(out))
    }

    /// A resource's `Ref` or attribute as AWS returns it.
    pub fn render(&self, logical: &str, attribute: Option<&str>) -> String {
        let name = self
            .names
            .get(logical)
            .cloned()
            .unwrap_or_else(|| logical.to_string());
        let kind = self.resource_type(logical);
        match (kind, attribute) {
            ("AWS::SQS::Queue", None | Some("QueueUrl")) => {
                format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}")
            }
            ("AWS::SQS::Queue", Some("Arn")) => format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"),
            ("AWS::SNS::Topic", None | Some("TopicArn")) => {
                format!("arn:aws:sns:{REGION}:{ACCOUNT}:{name}")
            }
            (
                "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine",
                None | Some("Arn"),
            ) => format!("arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}"),
            ("AWS::S3::Bucket", Some("Arn")) => format!("arn:aws:s3:::{name}"),
            ("AWS::Lambda::Function" | "AWS::Serverless::Function", Some("Arn")) => {
                format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}")
            }
            _ => name,
        }
    }
}

fn pseudo_parameter(name: &str) -> Option<&'static str> {
    Some(match name {
        "AWS::Region" => REGION,
        "AWS::AccountId" => ACCOUNT,
        "AWS::Partition" => "aws",
        "AWS::URLSuffix" => "amazonaws.com",
        "AWS::StackName" => "loosely",
        "AWS::StackId" => {
            "arn:aws:cloudformation:us-east-1:123456789012:stack/loosely/00000000-0000-0000-0000-000000000000"
        }
        _ => return None,
    })
}
