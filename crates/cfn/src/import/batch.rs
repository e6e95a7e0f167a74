//! AWS Batch: a managed `AWS::Batch::ComputeEnvironment` becomes a compute environment, an
//! `AWS::Batch::JobQueue` a job queue with an arrow to each environment of its
//! `ComputeEnvironmentOrder`, in order. The playground runs one job definition per queue: when
//! the template has exactly one `AWS::Batch::JobDefinition`, every queue runs it; with more,
//! they are listed (set each queue's `jobDefinition`).

use loosely_scenario::{
    Component, ComputeEnvironmentParameters, Connection, JobDefinition, JobQueueParameters,
};
use serde_json::{json, Map, Value};

use super::{properties, resource_type, with_parameters, Importer, NOT_SIMULATED_PROPERTY};
use crate::resolve::Resolved;

type Field = (String, Value, String);

const JOB_DEFINITION: &str = "AWS::Batch::JobDefinition";

/// vCPUs and MiB of an instance type of the general purpose (m), compute (c) and memory (r)
/// families of the 5th to 7th generations, `large` to `4xlarge`: 2 vCPUs at `large`, doubling
/// with each size; 4, 2 or 8 GiB per vCPU.
fn instance_size(instance_type: &str) -> Option<(u32, u32)> {
    let (family, size) = instance_type.split_once('.')?;
    let per_vcpu = match family.chars().next()? {
        'm' => 4096,
        'c' => 2048,
        'r' => 8192,
        _ => return None,
    };
    let generation_ok = family[1..]
        .chars()
        .next()
        .is_some_and(|g| ('5'..='7').contains(&g));
    let vcpus = match size {
        "large" => 2,
        "xlarge" => 4,
        "2xlarge" => 8,
        "4xlarge" => 16,
        _ => return None,
    };
    generation_ok.then_some((vcpus, vcpus * per_vcpu))
}

impl Importer<'_> {
    fn compute_resources(
        &mut self,
        resources: &Value,
        path: &str,
        kind: &str,
        fields: &mut Vec<Field>,
    ) {
        let Some(resources) = resources.as_object() else {
            self.skip(path.to_string(), kind, "ComputeResources is an object");
            return;
        };
        for (key, value) in resources {
            let field_path = format!("{path}.{key}");
            let reason = match key.as_str() {
                "Type" | "MinvCpus" | "MaxvCpus" => match self.scalar(value) {
                    Ok(value) => {
                        let field = match key.as_str() {
                            "Type" => "type",
                            "MinvCpus" => "minvCpus",
                            _ => "maxvCpus",
                        };
                        fields.push((field.to_string(), value, field_path));
                        continue;
                    }
                    Err(reason) => reason,
                },
                "InstanceTypes" => {
                    let types: Vec<String> = value
                        .as_array()
                        .map(|list| {
                            list.iter()
                                .filter_map(|t| self.resolver.text(t).ok())
                                .collect()
                        })
                        .unwrap_or_default();
                    match types.as_slice() {
                        [one] => match instance_size(one) {
                            Some((vcpus, memory)) => {
                                fields.push(("instance_vcpus".to_string(), json!(vcpus), field_path.clone()));
                                fields.push(("instance_memory_mib".to_string(), json!(memory), field_path));
                                continue;
                            }
                            None => format!("the size of {one} is not known here: set instance_vcpus and instance_memory_mib"),
                        },
                        _ => "the simulation runs one instance type per environment: set instance_vcpus and instance_memory_mib".to_string(),
                    }
                }
                "DesiredvCpus" => "the desired vCPUs follow the jobs in the simulation".to_string(),
                _ => NOT_SIMULATED_PROPERTY.to_string(),
            };
            self.skip(field_path, kind, reason);
        }
    }

    /// The one job definition of the template, if it has exactly one.
    fn only_job_definition(&self) -> Option<(&String, Map<String, Value>)> {
        let mut definitions = self.resources.iter().filter(|(_, resource)| {
            resource.get("Type").and_then(Value::as_str) == Some(JOB_DEFINITION)
        });
        let (logical, resource) = definitions.next()?;
        if definitions.next().is_some() {
            return None;
        }
        Some((logical, properties(resource.as_object()?)))
    }

    /// The template's only job definition (its logical id and value), read once.
    fn the_job_definition(&mut self) -> Option<(String, Value)> {
        if self.job_definition.is_none() {
            let read = match self.only_job_definition() {
                Some((logical, definition)) => {
                    let logical = logical.clone();
                    self.job_definition(&logical, &definition)
                        .map(|value| (logical, value))
                }
                None => None,
            };
            self.job_definition = Some(read);
        }
        self.job_definition.clone().flatten()
    }

    /// A container job definition as the queue's `jobDefinition`.
    fn job_definition(&mut self, logical: &str, definition: &Map<String, Value>) -> Option<Value> {
        let path = |key: &str| format!("Resources.{logical}.Properties.{key}");
        let mut fields: Vec<Field> = Vec::new();
        for (key, value) in definition {
            let reason = match key.as_str() {
                "Type" | "JobDefinitionName" | "PlatformCapabilities" => continue,
                "ContainerProperties" => {
                    self.container_properties(logical, value, &mut fields);
                    continue;
                }
                "RetryStrategy" => match value.get("Attempts").map(|a| self.scalar(a)) {
                    Some(Ok(attempts)) => {
                        fields.push((
                            "retryStrategy".to_string(),
                            json!({ "attempts": attempts }),
                            path(key),
                        ));
                        if value.get("EvaluateOnExit").is_some() {
                            self.skip(
                                format!("{}.EvaluateOnExit", path(key)),
                                JOB_DEFINITION,
                                "every non-zero exit and Spot interruption is retried",
                            );
                        }
                        continue;
                    }
                    Some(Err(reason)) => reason,
                    None => "a retry strategy needs Attempts".to_string(),
                },
                "Timeout" => match value.get("AttemptDurationSeconds").map(|a| self.scalar(a)) {
                    Some(Ok(seconds)) => {
                        fields.push((
                            "timeout".to_string(),
                            json!({ "attemptDurationSeconds": seconds }),
                            path(key),
                        ));
                        continue;
                    }
                    Some(Err(reason)) => reason,
                    None => "a timeout needs AttemptDurationSeconds".to_string(),
                },
                "NodeProperties" | "EksProperties" | "EcsProperties" => {
                    "only single-container jobs are simulated".to_string()
                }
                _ => NOT_SIMULATED_PROPERTY.to_string(),
            };
            self.skip(path(key), JOB_DEFINITION, reason);
        }
        self.lenient::<JobDefinition>(fields, JOB_DEFINITION)
            .and_then(|definition| serde_json::to_value(definition).ok())
    }

    fn container_properties(&mut self, logical: &str, value: &Value, fields: &mut Vec<Field>) {
        let path = format!("Resources.{logical}.Properties.ContainerProperties");
        let Some(container) = value.as_object() else {
            self.skip(path, JOB_DEFINITION, "ContainerProperties is an object");
            return;
        };
        for (key, value) in container {
            let field_path = format!("{path}.{key}");
            let reason = match key.as_str() {
                "ResourceRequirements" => {
                    for (index, requirement) in value.as_array().into_iter().flatten().enumerate() {
                        let entry_path = format!("{field_path}[{index}]");
                        let kind = requirement.get("Type").and_then(|t| self.resolver.text(t).ok());
                        let amount = requirement.get("Value").and_then(|v| self.resolver.text(v).ok());
                        let parsed = match (kind.as_deref(), amount) {
                            (Some("VCPU"), Some(amount)) => amount.parse::<f64>().ok().map(|n| ("vcpus", json!(n))),
                            (Some("MEMORY"), Some(amount)) => amount.parse::<u32>().ok().map(|n| ("memory", json!(n))),
                            _ => None,
                        };
                        match parsed {
                            Some((field, value)) => fields.push((field.to_string(), value, entry_path)),
                            None => self.skip(entry_path, JOB_DEFINITION, "only VCPU and MEMORY requirements (numbers) are simulated"),
                        }
                    }
                    continue;
                }
                // The older forms.
                "Vcpus" | "Memory" => match self.scalar(value) {
                    Ok(amount) => {
                        let field = if key == "Vcpus" { "vcpus" } else { "memory" };
                        fields.push((field.to_string(), amount, field_path));
                        continue;
                    }
                    Err(reason) => reason,
                },
                "Image" | "Command" => "the container is not run: the job definition's duration and failure_probability stand for it".to_string(),
                "JobRoleArn" | "ExecutionRoleArn" => super::NOT_SIMULATED_IAM.to_string(),
                _ => NOT_SIMULATED_PROPERTY.to_string(),
            };
            self.skip(field_path, JOB_DEFINITION, reason);
        }
    }

    /// The imported compute environment a value refers to (by reference, name or ARN).
    fn compute_environment_target(&self, value: &Value) -> Result<String, String> {
        let is_environment = |logical: &str| {
            self.resource(logical).map(resource_type) == Some("AWS::Batch::ComputeEnvironment")
        };
        match self.resolver.resolve(value)? {
            Resolved::Resource { logical, .. } if is_environment(&logical) => self
                .ids
                .get(&logical)
                .cloned()
                .ok_or_else(|| format!("{logical} is not imported")),
            Resolved::Resource { logical, .. } => {
                Err(format!("{logical} is not a compute environment"))
            }
            Resolved::Text(text) => {
                let name = text.rsplit('/').next().unwrap_or(&text);
                self.ids
                    .iter()
                    .find(|(logical, _)| {
                        is_environment(logical)
                            && self.resolver.names.get(*logical).map(String::as_str) == Some(name)
                    })
                    .map(|(_, id)| id.clone())
                    .ok_or_else(|| format!("{text} names no compute environment of the template"))
            }
        }
    }
}

pub(super) fn compute_environment(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::Batch::ComputeEnvironment";
    let (meta, mut fields) = im.meta_fields(logical, kind, resource);
    for (key, value) in properties(resource) {
        let path = format!("Resources.{logical}.Properties.{key}");
        let reason = match key.as_str() {
            "ComputeEnvironmentName" => continue,
            "Type" => match im.scalar(&value) {
                Ok(Value::String(text)) if text.eq_ignore_ascii_case("MANAGED") => continue,
                Ok(_) => {
                    im.skip(path, kind, "unmanaged compute environments are not simulated: the simulation launches and stops the instances");
                    return;
                }
                Err(reason) => reason,
            },
            "ComputeResources" => {
                im.compute_resources(&value, &path, kind, &mut fields);
                continue;
            }
            "ServiceRole" => super::NOT_SIMULATED_IAM.to_string(),
            _ => NOT_SIMULATED_PROPERTY.to_string(),
        };
        im.skip(path, kind, reason);
    }
    if let Some(parameters) = im.lenient::<ComputeEnvironmentParameters>(fields, kind) {
        im.add_component(logical, &meta, |node| {
            Component::BatchComputeEnvironment(with_parameters(node, parameters))
        });
    }
}

pub(super) fn job_queue(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::Batch::JobQueue";
    let (meta, mut fields) = im.meta_fields(logical, kind, resource);
    let Some(id) = im.ids.get(logical).cloned() else {
        return;
    };
    let mut environments: Vec<(i64, String, String)> = Vec::new();
    for (key, value) in properties(resource) {
        let path = format!("Resources.{logical}.Properties.{key}");
        let reason = match key.as_str() {
            "JobQueueName" => continue,
            "Priority" => match im.scalar(&value) {
                Ok(priority) => {
                    fields.push(("priority".to_string(), priority, path));
                    continue;
                }
                Err(reason) => reason,
            },
            "ComputeEnvironmentOrder" => {
                for (index, entry) in value.as_array().into_iter().flatten().enumerate() {
                    let entry_path = format!("{path}[{index}]");
                    let order = entry
                        .get("Order")
                        .and_then(|o| im.scalar(o).ok())
                        .and_then(|o| o.as_i64())
                        .unwrap_or(index as i64);
                    match entry
                        .get("ComputeEnvironment")
                        .map(|e| im.compute_environment_target(e))
                    {
                        Some(Ok(environment)) => {
                            environments.push((order, environment, entry_path))
                        }
                        Some(Err(reason)) => im.skip(entry_path, kind, reason),
                        None => im.skip(entry_path, kind, "an entry needs ComputeEnvironment"),
                    }
                }
                continue;
            }
            _ => NOT_SIMULATED_PROPERTY.to_string(),
        };
        im.skip(path, kind, reason);
    }
    if !fields.iter().any(|(key, _, _)| key == "jobDefinition") {
        if let Some((definition, value)) = im.the_job_definition() {
            fields.push((
                "jobDefinition".to_string(),
                value,
                format!("Resources.{definition}"),
            ));
        }
    }
    environments.sort_by_key(|(order, _, _)| *order);
    if let Some(parameters) = im.lenient::<JobQueueParameters>(fields, kind) {
        im.add_component(logical, &meta, |node| {
            Component::BatchJobQueue(with_parameters(node, parameters))
        });
        for (_, environment, _) in environments {
            im.subscriptions.push((
                Some(logical.to_string()),
                Connection {
                    from: id.clone(),
                    to: environment,
                    subscription: None,
                    event_source_mapping: None,
                },
            ));
        }
    }
}

/// A job definition is read into the job queues when it is the template's only one.
pub(super) fn job_definition(im: &mut Importer, logical: &str, _resource: &Map<String, Value>) {
    let reason = if im.only_job_definition().is_none() {
        "the playground runs one job definition per queue and the template has several: set each queue's jobDefinition"
    } else if !im
        .resources
        .values()
        .any(|r| r.get("Type").and_then(Value::as_str) == Some("AWS::Batch::JobQueue"))
    {
        "no job queue of the template runs it"
    } else {
        // Read (once) for the queues, whatever the order of the resources.
        im.the_job_definition();
        return;
    };
    im.skip(format!("Resources.{logical}"), JOB_DEFINITION, reason);
}
