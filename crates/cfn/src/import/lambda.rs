//! Lambda: `AWS::Lambda::Function` and `AWS::Serverless::Function` (with SAM's `Globals`,
//! `DeadLetterQueue`, `EventInvokeConfig` and `SQS`/`SNS` events), `AWS::Lambda::EventInvokeConfig`
//! and `AWS::Lambda::EventSourceMapping` from an SQS queue; a function whose environment names
//! a state machine of the template starts it (the function's arrow to the machine).

use loosely_scenario::Component;
use serde_json::{json, Map, Value};

use super::{
    properties, resource_type, with_parameters, EventSourceMapping, Importer, LambdaParameters,
    ResourceMeta, NOT_RUN_CODE, NOT_SIMULATED_IAM, NOT_SIMULATED_PROPERTY,
};
use crate::resolve::Resolved;

type Field = (String, Value, String);

fn is_function(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "AWS::Lambda::Function" | "AWS::Serverless::Function"
    )
}

/// Properties of an SQS event source mapping that only streams, Kafka or Amazon MQ read.
const NOT_FOR_SQS: &[&str] = &[
    "StartingPosition",
    "StartingPositionTimestamp",
    "ParallelizationFactor",
    "BisectBatchOnFunctionError",
    "MaximumRecordAgeInSeconds",
    "MaximumRetryAttempts",
    "DestinationConfig",
    "TumblingWindowInSeconds",
    "Topics",
    "Queues",
    "SourceAccessConfigurations",
    "SelfManagedEventSource",
    "SelfManagedKafkaEventSourceConfig",
    "AmazonManagedKafkaEventSourceConfig",
    "DocumentDBEventSourceConfig",
    "ProvisionedPollerConfig",
];

impl Importer<'_> {
    /// The component id of a resource that is an imported Lambda function.
    pub(super) fn function_id(&self, logical: &str) -> Option<String> {
        let resource = self.resource(logical)?;
        if !is_function(resource_type(resource)) {
            return None;
        }
        self.ids.get(logical).cloned()
    }

    /// The imported resource of one of `types` that goes by `name`.
    fn named(&self, name: &str, types: fn(&str) -> bool) -> Option<String> {
        self.ids.iter().find_map(|(logical, id)| {
            let fits = self.resource(logical).map(resource_type).is_some_and(types);
            (fits && self.resolver.names.get(logical).map(String::as_str) == Some(name))
                .then(|| id.clone())
        })
    }

    /// A function named by `Ref`, `Fn::GetAtt`, its name, or its ARN (with or without a
    /// version or alias).
    fn function_target(&self, value: &Value) -> Result<String, String> {
        match self.resolver.resolve(value)? {
            Resolved::Resource { logical, .. } => self.function_id(&logical).ok_or_else(|| {
                format!(
                    "refers to {logical} ({}), which is not a Lambda function of the template",
                    self.resource(&logical).map(resource_type).unwrap_or("?")
                )
            }),
            Resolved::Text(text) => {
                let name = match text.split_once(":function:") {
                    Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
                    None => text.as_str(),
                };
                self.named(name, is_function)
                    .ok_or_else(|| format!("{text} names no Lambda function of the template"))
            }
        }
    }

    /// `Environment.Variables`: a variable holding a state machine of the template (its
    /// `Ref` or ARN) is taken as the handler calling `StartExecution` on it, the function's
    /// arrow to the machine (as the exported handler does); the other variables are listed
    /// as not simulated.
    fn function_environment(&mut self, logical: &str, value: &Value, path: &str, kind: &str) {
        let Some(variables) = value.get("Variables").and_then(Value::as_object) else {
            self.skip(path.to_string(), kind, NOT_SIMULATED_PROPERTY);
            return;
        };
        for (name, variable) in variables {
            let machine = match self.resolver.resolve(variable) {
                Ok(Resolved::Resource {
                    logical: target, ..
                }) => self
                    .resource(&target)
                    .filter(|r| resource_type(r) == "AWS::StepFunctions::StateMachine")
                    .and_then(|_| self.ids.get(&target).cloned()),
                _ => None,
            };
            let (Some(machine), Some(function)) = (machine, self.ids.get(logical).cloned()) else {
                self.skip(
                    format!("{path}.Variables.{name}"),
                    kind,
                    "environment variables are not simulated (one naming a state machine of the template is taken as the handler starting it)",
                );
                continue;
            };
            if !self
                .function_starts
                .contains(&(function.clone(), machine.clone()))
            {
                self.function_starts.push((function, machine));
            }
        }
    }

    /// The SQS queue an event source mapping reads.
    fn event_source(&self, value: &Value) -> Result<String, String> {
        let is_queue = |kind: &str| kind == "AWS::SQS::Queue";
        match self.resolver.resolve(value)? {
            Resolved::Resource { logical, .. } => match self.resource(&logical) {
                Some(resource) if is_queue(resource_type(resource)) => {
                    self.ids.get(&logical).cloned().ok_or_else(|| {
                        format!("refers to {logical}, which is not an imported queue")
                    })
                }
                other => Err(format!(
                    "reads {logical} ({}): only SQS event sources are simulated",
                    other.map(resource_type).unwrap_or("?")
                )),
            },
            Resolved::Text(text) => {
                let parts: Vec<&str> = text.split(':').collect();
                match parts.as_slice() {
                    ["arn", _, "sqs", _, _, name] => self
                        .named(name, is_queue)
                        .ok_or_else(|| format!("{text} names no queue of the template")),
                    ["arn", _, service, ..] => Err(format!(
                        "reads {service} ({text}): only SQS event sources are simulated"
                    )),
                    _ => Err(format!("{text:?} is not the ARN of a queue")),
                }
            }
        }
    }

    /// `DestinationConfig` of asynchronous invocation, its destination resolved; SAM's `Type`
    /// is dropped and `OnSuccess` listed as left out.
    fn destination_config(
        &mut self,
        value: &Value,
        path: &str,
        kind: &str,
    ) -> Result<Value, String> {
        let Some(config) = value.as_object() else {
            return Err("DestinationConfig is an object with OnFailure".to_string());
        };
        let mut out = Map::new();
        for (key, entry) in config {
            let entry_path = format!("{path}.{key}");
            match key.as_str() {
                "OnFailure" => {
                    let Some(destination) = entry.get("Destination") else {
                        // SAM makes the queue or topic itself when Destination is absent.
                        return Err(
                            "OnFailure names no Destination (SAM would make one); name a queue or topic of the template"
                                .to_string(),
                        );
                    };
                    let target = self.target(destination)?;
                    out.insert(key.clone(), json!({ "Destination": target }));
                }
                "OnSuccess" => {
                    self.skip(entry_path, kind, "only failure destinations are simulated")
                }
                _ => self.skip(entry_path, kind, "not a destination the playground models"),
            }
        }
        Ok(Value::Object(out))
    }

    /// The asynchronous invocation settings (`MaximumRetryAttempts`,
    /// `MaximumEventAgeInSeconds`, `DestinationConfig`) of an `EventInvokeConfig`.
    fn invoke_fields(
        &mut self,
        config: &Map<String, Value>,
        path: &str,
        kind: &str,
        fields: &mut Vec<Field>,
    ) {
        for (key, value) in config {
            let field_path = format!("{path}.{key}");
            let mapped = match key.as_str() {
                "FunctionName" | "Qualifier" => continue,
                "MaximumRetryAttempts" | "MaximumEventAgeInSeconds" => self.scalar(value),
                "DestinationConfig" => self.destination_config(value, &field_path, kind),
                _ => {
                    Err("not an asynchronous invocation setting the playground models".to_string())
                }
            };
            match mapped {
                Ok(value) => fields.push((key.clone(), value, field_path)),
                Err(reason) => self.skip(field_path, kind, reason),
            }
        }
    }

    /// The settings of an SQS event source mapping (a resource or a SAM `SQS` event); `None`
    /// when it is disabled.
    fn mapping_fields(
        &mut self,
        properties: &Map<String, Value>,
        path: &str,
        kind: &str,
    ) -> Option<Vec<Field>> {
        let mut fields = Vec::new();
        for (key, value) in properties {
            let field_path = format!("{path}.{key}");
            let mapped = match key.as_str() {
                "EventSourceArn" | "FunctionName" | "Queue" => continue,
                "Enabled" => match self.scalar(value) {
                    Ok(Value::Bool(false)) => {
                        self.skip(
                            field_path,
                            kind,
                            "the mapping is disabled: it reads nothing, so it is not imported",
                        );
                        return None;
                    }
                    Ok(Value::Bool(true)) => continue,
                    _ => Err("Enabled is true or false".to_string()),
                },
                "BatchSize" | "MaximumBatchingWindowInSeconds" => self.scalar(value),
                "ScalingConfig" => match value.as_object() {
                    Some(config) => config
                        .iter()
                        .map(|(key, value)| Ok((key.clone(), self.scalar(value)?)))
                        .collect::<Result<Map<_, _>, String>>()
                        .map(Value::Object),
                    None => Err("ScalingConfig is an object with MaximumConcurrency".to_string()),
                },
                "FunctionResponseTypes" => self.resolver.deep(value),
                "FilterCriteria" | "MetricsConfig" | "KmsKeyArn" | "Tags" => {
                    Err(NOT_SIMULATED_PROPERTY.to_string())
                }
                name if NOT_FOR_SQS.contains(&name) => Err(
                    "applies to stream, Kafka or Amazon MQ sources, not to an SQS queue"
                        .to_string(),
                ),
                _ => Err("not an event source mapping setting the playground models".to_string()),
            };
            match mapped {
                Ok(value) => fields.push((key.clone(), value, field_path)),
                Err(reason) => self.skip(field_path, kind, reason),
            }
        }
        Some(fields)
    }

    /// An arrow from a queue to a function with its mapping's settings.
    fn connect_mapping(
        &mut self,
        logical: &str,
        from: String,
        to: String,
        fields: Vec<Field>,
        written: bool,
        kind: &str,
    ) {
        let event_source_mapping = if written || !fields.is_empty() {
            self.lenient::<EventSourceMapping>(fields, kind)
        } else {
            None
        };
        self.subscriptions.push((
            Some(logical.to_string()),
            loosely_scenario::Connection {
                from,
                to,
                subscription: None,
                event_source_mapping,
            },
        ));
    }

    /// The `Events` of a SAM function: `SQS` events become event source mappings, `SNS`
    /// events subscriptions; the others are listed.
    fn sam_events(&mut self, logical: &str, events: &Value, kind: &str) {
        let path = format!("Resources.{logical}.Properties.Events");
        let Some(events) = events.as_object() else {
            self.skip(path, kind, "Events is a map of event sources");
            return;
        };
        let Some(function) = self.ids.get(logical).cloned() else {
            return;
        };
        for (name, event) in events {
            let event_path = format!("{path}.{name}");
            let event_type = event.get("Type").and_then(Value::as_str).unwrap_or("");
            let event_properties = event
                .get("Properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let properties_path = format!("{event_path}.Properties");
            match event_type {
                "SQS" => {
                    let Some(queue) = event_properties.get("Queue") else {
                        self.skip(event_path, kind, "an SQS event needs Queue");
                        continue;
                    };
                    let from = match self.event_source(queue) {
                        Ok(from) => from,
                        Err(reason) => {
                            self.skip(format!("{properties_path}.Queue"), kind, reason);
                            continue;
                        }
                    };
                    if let Some(fields) =
                        self.mapping_fields(&event_properties, &properties_path, kind)
                    {
                        let connection = format!("{logical}{name}");
                        self.connect_mapping(&connection, from, function.clone(), fields, false, kind);
                    }
                }
                "SNS" => {
                    let Some(topic) = event_properties.get("Topic") else {
                        self.skip(event_path, kind, "an SNS event needs Topic");
                        continue;
                    };
                    let topic = match self.target(topic) {
                        Ok(topic) => topic,
                        Err(reason) => {
                            self.skip(format!("{properties_path}.Topic"), kind, reason);
                            continue;
                        }
                    };
                    let mut subscription = Map::new();
                    subscription.insert("Protocol".to_string(), json!("lambda"));
                    subscription.insert(
                        "Endpoint".to_string(),
                        json!({"Fn::GetAtt": [logical, "Arn"]}),
                    );
                    for (key, value) in &event_properties {
                        match key.as_str() {
                            "Topic" => {}
                            "SqsSubscription" => self.skip(
                                format!("{properties_path}.{key}"),
                                kind,
                                "the queue SAM puts between the topic and the function is not imported: the function is subscribed directly",
                            ),
                            _ => {
                                subscription.insert(key.clone(), value.clone());
                            }
                        }
                    }
                    self.subscribe(
                        &topic,
                        &format!("{logical}{name}"),
                        &properties_path,
                        kind,
                        &subscription,
                        &ResourceMeta::default(),
                    );
                }
                "Api" | "HttpApi" => {
                    let connection = format!("{logical}{name}");
                    let http = event_type == "HttpApi";
                    self.sam_api_event(&function, &connection, http, &event_properties, &properties_path, kind);
                }
                "" => self.skip(event_path, kind, "an event source needs a Type"),
                other => self.skip(
                    event_path,
                    kind,
                    format!("{other} events are not simulated; connect a producer, an API gateway or a queue to the function"),
                ),
            }
        }
    }
}

pub(super) fn function(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = resource_type(resource).to_string();
    let kind = kind.as_str();
    let sam = kind == "AWS::Serverless::Function";
    let (meta, mut fields) = im.meta_fields(logical, kind, resource);
    let own = properties(resource);
    // SAM's Globals.Function gives the properties the function does not set itself.
    let mut all: Vec<(String, Value, String)> = own
        .iter()
        .map(|(key, value)| {
            let path = format!("Resources.{logical}.Properties.{key}");
            (key.clone(), value.clone(), path)
        })
        .collect();
    if sam {
        for (key, value) in im.function_globals.clone() {
            if !own.contains_key(&key) {
                all.push((key.clone(), value, format!("Globals.Function.{key}")));
            }
        }
    }
    let mut events = None;
    for (key, value, path) in all {
        let mapped = match key.as_str() {
            "FunctionName" => continue,
            "Events" if sam => {
                events = Some(value);
                continue;
            }
            "MemorySize" | "Timeout" | "ReservedConcurrentExecutions" => im.scalar(&value),
            "Architectures" => match value.as_array().map(Vec::as_slice) {
                Some([one]) => match im.scalar(one) {
                    Ok(architecture) => {
                        fields.push(("Architecture".to_string(), architecture, path));
                        continue;
                    }
                    Err(reason) => Err(reason),
                },
                _ => Err("Architectures holds one architecture: x86_64 or arm64".to_string()),
            },
            // SAM's DeadLetterQueue {Type, TargetArn} is the function's DeadLetterConfig.
            "DeadLetterConfig" | "DeadLetterQueue" => match value.get("TargetArn") {
                Some(target) => match im.target(target) {
                    Ok(target) => {
                        let config = json!({ "TargetArn": target });
                        fields.push(("DeadLetterConfig".to_string(), config, path));
                        continue;
                    }
                    Err(reason) => Err(reason),
                },
                None => Err("the dead-letter queue needs TargetArn".to_string()),
            },
            "EventInvokeConfig" if sam => {
                match value.as_object() {
                    Some(config) => im.invoke_fields(config, &path, kind, &mut fields),
                    None => im.skip(path, kind, "EventInvokeConfig is an object"),
                }
                continue;
            }
            "Runtime" | "Handler" | "Code" | "CodeUri" | "InlineCode" | "ImageUri"
            | "PackageType" | "ImageConfig" | "Layers" => Err(NOT_RUN_CODE.to_string()),
            "Role" | "Policies" | "PermissionsBoundary" | "RolePath" | "AssumeRolePolicyDocument" => {
                Err(NOT_SIMULATED_IAM.to_string())
            }
            "ProvisionedConcurrencyConfig" => Err(
                "provisioned concurrency is not simulated: every new execution environment starts cold"
                    .to_string(),
            ),
            "Environment" => {
                im.function_environment(logical, &value, &path, kind);
                continue;
            }
            "Description" | "Tags" | "TracingConfig" | "Tracing" | "VpcConfig"
            | "KmsKeyArn" | "EphemeralStorage" | "LoggingConfig" | "SnapStart"
            | "RuntimeManagementConfig" | "FileSystemConfigs" | "CodeSigningConfigArn"
            | "RecursiveLoop" | "AutoPublishAlias" | "AutoPublishCodeSha256"
            | "DeploymentPreference" | "FunctionUrlConfig" | "PropagateTags" => {
                Err(NOT_SIMULATED_PROPERTY.to_string())
            }
            _ => Err("not a function property the playground models".to_string()),
        };
        match mapped {
            Ok(value) => fields.push((key, value, path)),
            Err(reason) => im.skip(path, kind, reason),
        }
    }
    // AWS::Lambda::EventInvokeConfig resources of this function.
    let configs: Vec<(String, Map<String, Value>)> = im
        .resources
        .iter()
        .filter_map(|(config, resource)| {
            let resource = resource.as_object()?;
            (resource_type(resource) == "AWS::Lambda::EventInvokeConfig").then_some(())?;
            let properties = properties(resource);
            let target = im.function_target(properties.get("FunctionName")?).ok()?;
            (im.ids.get(logical) == Some(&target)).then(|| (config.clone(), properties))
        })
        .collect();
    for (config, properties) in configs {
        let path = format!("Resources.{config}.Properties");
        im.invoke_fields(
            &properties,
            &path,
            "AWS::Lambda::EventInvokeConfig",
            &mut fields,
        );
    }
    if let Some(parameters) = im.lenient::<LambdaParameters>(fields, kind) {
        im.add_component(logical, &meta, |node| {
            Component::LambdaFunction(with_parameters(node, parameters))
        });
        if let Some(events) = events {
            im.sam_events(logical, &events, kind);
        }
    }
}

/// An `AWS::Lambda::EventInvokeConfig` is read with its function ([`function`]); here only
/// one that names no function of the template is listed.
pub(super) fn event_invoke_config(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::Lambda::EventInvokeConfig";
    let path = format!("Resources.{logical}.Properties.FunctionName");
    let reason = match properties(resource).get("FunctionName") {
        Some(function) => match im.function_target(function) {
            Ok(_) => return,
            Err(reason) => reason,
        },
        None => "an EventInvokeConfig needs FunctionName".to_string(),
    };
    im.skip(path, kind, reason);
}

pub(super) fn event_source_mapping(
    im: &mut Importer,
    logical: &str,
    resource: &Map<String, Value>,
) {
    let kind = "AWS::Lambda::EventSourceMapping";
    let path = format!("Resources.{logical}.Properties");
    let meta = im.meta(logical, kind, resource);
    let properties = properties(resource);
    let Some(source) = properties.get("EventSourceArn") else {
        im.skip(
            format!("Resources.{logical}"),
            kind,
            "an SQS event source mapping needs EventSourceArn (mappings without one read Kafka or Amazon MQ, which are not simulated)",
        );
        return;
    };
    let from = match im.event_source(source) {
        Ok(from) => from,
        Err(reason) => {
            im.skip(format!("{path}.EventSourceArn"), kind, reason);
            return;
        }
    };
    let to = match properties
        .get("FunctionName")
        .map(|f| im.function_target(f))
    {
        Some(Ok(to)) => to,
        Some(Err(reason)) => {
            im.skip(format!("{path}.FunctionName"), kind, reason);
            return;
        }
        None => {
            im.skip(path, kind, "an event source mapping needs FunctionName");
            return;
        }
    };
    if let Some(fields) = im.mapping_fields(&properties, &path, kind) {
        let written = meta.mapping_written != Some(false);
        im.connect_mapping(logical, from, to, fields, written, kind);
    }
}
