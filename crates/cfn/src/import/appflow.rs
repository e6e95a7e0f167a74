//! Amazon AppFlow: an `AWS::AppFlow::Flow` becomes a flow, its CloudFormation shape (PascalCase,
//! connector properties by connector, `TaskProperties` as a key/value list) turned into
//! `CreateFlow`'s, which the flow component uses.

use loosely_scenario::{Component, FlowParameters};
use serde_json::{json, Map, Value};

use super::{properties, with_parameters, Importer, NOT_SIMULATED_PROPERTY};

type Field = (String, Value, String);

/// A connector (`SourceFlowConfig` or an entry of `DestinationFlowConfigList`) as
/// `{connectorType, object, fileType, bucketName}`, the destination's error handling, and the
/// paths (below the connector) of what is not read.
type Connector = (Value, Option<Value>, Vec<String>);

fn connector(config: &Value, properties_key: &str) -> Result<Connector, String> {
    let connector_type = config
        .get("ConnectorType")
        .and_then(Value::as_str)
        .ok_or("the connector needs ConnectorType")?;
    let mut out = Map::new();
    out.insert("connectorType".to_string(), json!(connector_type));
    let mut error_handling = None;
    let mut unread: Vec<String> = config
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, _)| key)
        .filter(|key| *key != "ConnectorType" && *key != properties_key)
        .cloned()
        .collect();
    // {"S3": {...}} under SourceConnectorProperties / DestinationConnectorProperties.
    let properties = config
        .get(properties_key)
        .and_then(Value::as_object)
        .and_then(|by_connector| by_connector.iter().next());
    if let Some((connector_name, properties)) = properties {
        const READ: &[&str] = &[
            "Object",
            "BucketName",
            "S3OutputFormatConfig",
            "ErrorHandlingConfig",
        ];
        unread.extend(
            properties
                .as_object()
                .into_iter()
                .flatten()
                .map(|(key, _)| key)
                .filter(|key| !READ.contains(&key.as_str()))
                .map(|key| format!("{properties_key}.{connector_name}.{key}")),
        );
        if let Some(object) = properties.get("Object").and_then(Value::as_str) {
            out.insert("object".to_string(), json!(object));
        }
        if let Some(bucket) = properties.get("BucketName").and_then(Value::as_str) {
            out.insert("bucketName".to_string(), json!(bucket));
        }
        let file_type = properties
            .get("S3OutputFormatConfig")
            .and_then(|format| format.get("FileType"))
            .and_then(Value::as_str);
        if let Some(file_type) = file_type {
            out.insert("fileType".to_string(), json!(file_type));
        }
        if let Some(handling) = properties.get("ErrorHandlingConfig") {
            let mut config = Map::new();
            if let Some(fail) = handling.get("FailOnFirstError") {
                config.insert("failOnFirstDestinationError".to_string(), fail.clone());
            }
            for (from, to) in [
                ("BucketName", "bucketName"),
                ("BucketPrefix", "bucketPrefix"),
            ] {
                if let Some(value) = handling.get(from) {
                    config.insert(to.to_string(), value.clone());
                }
            }
            error_handling = Some(Value::Object(config));
        }
    }
    Ok((Value::Object(out), error_handling, unread))
}

/// `TriggerConfig` as `triggerConfig`; AWS's timestamps are not times of the simulation.
fn trigger(im: &mut Importer, config: &Value, path: &str, kind: &str) -> Result<Value, String> {
    let trigger_type = config
        .get("TriggerType")
        .and_then(Value::as_str)
        .ok_or("TriggerConfig needs TriggerType")?;
    let mut out = Map::new();
    out.insert("triggerType".to_string(), json!(trigger_type));
    if let Some(Value::Object(properties)) = config.get("TriggerProperties") {
        let mut scheduled = Map::new();
        for (key, value) in properties {
            let to = match key.as_str() {
                "ScheduleExpression" => "scheduleExpression",
                "DataPullMode" => "dataPullMode",
                "ScheduleOffset" => "scheduleOffset",
                "FlowErrorDeactivationThreshold" => "flowErrorDeactivationThreshold",
                "ScheduleStartTime" | "ScheduleEndTime" | "FirstExecutionFrom" => {
                    im.skip(
                        format!("{path}.TriggerProperties.{key}"),
                        kind,
                        "a timestamp: the simulation's schedule starts at time zero (set scheduleStartTime in seconds from the start)",
                    );
                    continue;
                }
                _ => {
                    im.skip(
                        format!("{path}.TriggerProperties.{key}"),
                        kind,
                        NOT_SIMULATED_PROPERTY,
                    );
                    continue;
                }
            };
            scheduled.insert(to.to_string(), im.scalar(value)?);
        }
        out.insert("triggerProperties".to_string(), Value::Object(scheduled));
    }
    Ok(Value::Object(out))
}

/// `Tasks` as `tasks`: `TaskProperties` `[{Key, Value}]` becomes a map.
fn tasks(value: &Value) -> Result<Value, String> {
    let list = value.as_array().ok_or("Tasks is a list")?;
    let tasks = list
        .iter()
        .map(|task| {
            let mut out = Map::new();
            for (from, to) in [
                ("TaskType", "taskType"),
                ("SourceFields", "sourceFields"),
                ("ConnectorOperator", "connectorOperator"),
                ("DestinationField", "destinationField"),
            ] {
                if let Some(value) = task.get(from) {
                    out.insert(to.to_string(), value.clone());
                }
            }
            if let Some(Value::Array(properties)) = task.get("TaskProperties") {
                let map: Map<String, Value> = properties
                    .iter()
                    .filter_map(|p| {
                        Some((p.get("Key")?.as_str()?.to_string(), p.get("Value")?.clone()))
                    })
                    .collect();
                out.insert("taskProperties".to_string(), Value::Object(map));
            }
            Value::Object(out)
        })
        .collect();
    Ok(Value::Array(tasks))
}

pub(super) fn flow(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::AppFlow::Flow";
    let (meta, mut fields): (_, Vec<Field>) = im.meta_fields(logical, kind, resource);
    for (key, value) in properties(resource) {
        let path = format!("Resources.{logical}.Properties.{key}");
        let mapped = match key.as_str() {
            "FlowName" => continue,
            "SourceFlowConfig" => {
                connector(&value, "SourceConnectorProperties").map(|(source, _, unread)| {
                    for key in unread {
                        im.skip(format!("{path}.{key}"), kind, NOT_SIMULATED_PROPERTY);
                    }
                    vec![("sourceFlowConfig", source)]
                })
            }
            "DestinationFlowConfigList" => match value.as_array().map(Vec::as_slice) {
                Some([one]) => connector(one, "DestinationConnectorProperties").map(
                    |(destination, handling, unread)| {
                        for key in unread {
                            im.skip(format!("{path}[0].{key}"), kind, NOT_SIMULATED_PROPERTY);
                        }
                        let mut out = vec![("destinationFlowConfigList", json!([destination]))];
                        out.extend(handling.map(|h| ("errorHandlingConfig", h)));
                        out
                    },
                ),
                _ => Err("the playground's flow writes to exactly one destination".to_string()),
            },
            "TriggerConfig" => trigger(im, &value, &path, kind).map(|t| vec![("triggerConfig", t)]),
            "Tasks" => tasks(&value).map(|t| vec![("tasks", t)]),
            _ => Err(NOT_SIMULATED_PROPERTY.to_string()),
        };
        match mapped {
            Ok(entries) => {
                for (field, value) in entries {
                    fields.push((field.to_string(), value, path.clone()));
                }
            }
            Err(reason) => im.skip(path, kind, reason),
        }
    }
    if let Some(parameters) = im.lenient::<FlowParameters>(fields, kind) {
        im.add_component(logical, &meta, |node| {
            Component::AppflowFlow(with_parameters(node, parameters))
        });
    }
}
