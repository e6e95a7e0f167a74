//! Template → scenario: one mapping function per resource type ([`mapping`]).
//!
//! Two passes: the first gives every resource that becomes a component its id (the id kept
//! in its `Metadata.Loosely`, else its logical id) and its name, so that references resolve
//! in any order; the second maps properties. What is not mapped is listed in
//! [`Imported::skipped`] with its path and why.

use std::collections::BTreeMap;

use loosely_scenario::{
    Alarm, BucketParameters, Component, Connection, EndpointKind, EndpointParameters,
    EventSourceMapping, LambdaParameters, Node, Position, Protocol, QueueParameters, Scenario,
    StateMachineParameters, Subscription, TopicParameters,
};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::resolve::{is_intrinsic, Resolved, Resolver};
use crate::{template, ImportError};

mod api;
mod appflow;
mod batch;
mod lambda;
mod mq;
mod wire;
use api::{api, api_part, usage_plan, NOT_SIMULATED_API_PART};
use batch::{compute_environment, job_definition, job_queue};
use lambda::{event_invoke_config, event_source_mapping, function};
use wire::Wire;

/// A scenario read from a template, and what of the template it leaves out.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub scenario: Scenario,
    /// Resources, properties and references that are not in the scenario, in template order.
    pub skipped: Vec<Skipped>,
}

/// One part of a template that the import leaves out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Where it is: `Resources.Handler`, `Resources.Orders.Properties.Tags`.
    pub path: String,
    /// The resource's `Type`.
    pub resource_type: String,
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.path, self.resource_type, self.reason)
    }
}

/// Reads a CloudFormation or SAM template (JSON or YAML) into a scenario.
pub fn import(text: &str) -> Result<Imported, ImportError> {
    import_value(&template::parse(text)?)
}

/// The top-level `Metadata.Loosely` of an exported template, its scenario still JSON (read
/// with [`wire::read`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenarioMeta {
    pub scenario: Value,
    #[serde(default)]
    pub component_order: Vec<String>,
    #[serde(default)]
    pub connection_order: Vec<Option<String>>,
    #[serde(default)]
    pub alarm_order: Vec<Option<String>>,
}

/// The top-level `Metadata.Loosely` of an exported template.
pub(crate) struct ScenarioMeta {
    pub scenario: Scenario,
    pub component_order: Vec<String>,
    /// For each connection in order: the logical id of its `AWS::SNS::Subscription`, or null
    /// for the next connection of `scenario.connections`.
    pub connection_order: Vec<Option<String>>,
    /// For each alarm in order: the logical id of its `AWS::CloudWatch::Alarm`, or null for
    /// the next alarm of `scenario.alarms`.
    pub alarm_order: Vec<Option<String>>,
}

/// A resource's `Metadata.Loosely`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResourceMeta {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub position: Option<Position>,
    /// Parameters that are the simulation's own (or that CloudFormation does not set).
    #[serde(default)]
    pub parameters: Map<String, Value>,
    /// On a subscription: the component it delivers to, when that is not a resource.
    #[serde(default)]
    pub to: Option<String>,
    /// On a subscription: whether the scenario wrote `Protocol` (export always writes it).
    #[serde(default)]
    pub protocol_written: Option<bool>,
    /// On a subscription: whether the scenario wrote a `subscription` at all.
    #[serde(default)]
    pub subscription_written: Option<bool>,
    /// On an event source mapping: whether the scenario wrote an `event_source_mapping`.
    #[serde(default)]
    pub mapping_written: Option<bool>,
}

type MapFn = fn(&mut Importer, &str, &Map<String, Value>);

enum Mapping {
    /// Becomes a component of this kind (first pass) and is mapped by the function.
    Component(MapFn),
    /// Mapped onto other components (connections, policies).
    Link(MapFn),
    /// A service that is not a component of the playground yet.
    NotYet(&'static str),
    /// Has no meaning in the simulation.
    NotSimulated(&'static str),
}

const NOT_RUN_CODE: &str =
    "the code is not run: the function's duration and error_probability stand for it";
const NOT_SIMULATED_PERMISSION: &str = "resource-based permissions are not simulated: every component may call every other one (queue and topic policies excepted)";
const NOT_SIMULATED_IAM: &str = "IAM is not simulated: every component may call every other one (queue and topic policies excepted)";

/// The mapping of each resource type; adding a type is one line and one function.
fn mapping(resource_type: &str) -> Mapping {
    match resource_type {
        "AWS::SQS::Queue" => Mapping::Component(queue),
        "AWS::SQS::QueuePolicy" => Mapping::Link(queue_policy),
        "AWS::SNS::Topic" => Mapping::Component(topic),
        "AWS::SNS::Subscription" => Mapping::Link(subscription),
        "AWS::S3::Bucket" => Mapping::Component(bucket),
        "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => {
            Mapping::Component(state_machine)
        }
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => Mapping::Component(function),
        "AWS::Lambda::EventSourceMapping" => Mapping::Link(event_source_mapping),
        "AWS::Lambda::EventInvokeConfig" => Mapping::Link(event_invoke_config),
        "AWS::Lambda::Permission" => Mapping::NotSimulated(NOT_SIMULATED_PERMISSION),
        "AWS::Lambda::Version" | "AWS::Lambda::Alias" => Mapping::NotSimulated(
            "versions and aliases are not simulated: every invocation runs the function's one configuration",
        ),
        "AWS::ApiGateway::RestApi" | "AWS::ApiGatewayV2::Api" | "AWS::Serverless::Api"
        | "AWS::Serverless::HttpApi" => Mapping::Component(api),
        "AWS::ApiGateway::Method"
        | "AWS::ApiGateway::Stage"
        | "AWS::ApiGateway::Authorizer"
        | "AWS::ApiGatewayV2::Integration"
        | "AWS::ApiGatewayV2::Stage" => Mapping::Link(api_part),
        "AWS::ApiGateway::UsagePlan" => Mapping::Link(usage_plan),
        "AWS::ApiGateway::ApiKey" | "AWS::ApiGateway::UsagePlanKey" => Mapping::NotSimulated(
            "keys are not resources here: the client population's clients_with_api_key hold them",
        ),
        "AWS::AmazonMQ::Broker" => Mapping::Component(mq::broker),
        "AWS::AmazonMQ::Configuration" | "AWS::AmazonMQ::ConfigurationAssociation" => {
            Mapping::NotSimulated("broker configurations are not read: the broker's redelivery and queues are its parameters")
        }
        "AWS::AppFlow::Flow" => Mapping::Component(appflow::flow),
        "AWS::AppFlow::ConnectorProfile" => Mapping::NotSimulated(
            "connector profiles are not simulated: the flow's source and destination are generated",
        ),
        "AWS::SNS::TopicPolicy" => Mapping::NotSimulated(
            "topic policies are not read: which producers may publish is the topic's allowed_publishers",
        ),
        "AWS::CloudWatch::Alarm" => Mapping::Link(alarm),
        "AWS::Batch::ComputeEnvironment" => Mapping::Component(compute_environment),
        "AWS::Batch::JobQueue" => Mapping::Component(job_queue),
        "AWS::Batch::JobDefinition" => Mapping::Link(job_definition),
        other if other.starts_with("AWS::Batch::") => Mapping::NotSimulated(
            "scheduling policies and consumable resources are not simulated: queues share their environments by priority",
        ),
        other if other.starts_with("AWS::ElasticLoadBalancingV2::") => Mapping::NotYet(
            "load balancers, target groups and listeners are not imported: add an Application Load Balancer from the palette (its instances and health check are its parameters)",
        ),
        other if other.starts_with("AWS::ApiGateway") => {
            Mapping::NotSimulated(NOT_SIMULATED_API_PART)
        }
        other if other.starts_with("AWS::Serverless::") => Mapping::NotYet(
            "of the SAM resource types, AWS::Serverless::Function, Api, HttpApi and StateMachine are imported",
        ),
        other if other.starts_with("AWS::IAM::") => Mapping::NotSimulated(NOT_SIMULATED_IAM),
        other if other.starts_with("AWS::Logs::") => {
            Mapping::NotSimulated("CloudWatch Logs is not simulated")
        }
        _ => Mapping::NotSimulated("this resource type is not simulated"),
    }
}

pub(crate) struct Importer<'a> {
    resolver: Resolver<'a>,
    resources: &'a Map<String, Value>,
    /// Component id of each resource that becomes a component, by logical id.
    ids: BTreeMap<String, String>,
    /// (function, state machine) component ids: a function whose environment names the
    /// machine starts it.
    function_starts: Vec<(String, String)>,
    /// Components made from resources (and endpoints made for subscriptions), by id.
    made: Vec<(String, Component)>,
    /// Components of the top-level metadata.
    meta_components: Vec<Component>,
    /// Connections made from resources (subscriptions, event source mappings, SAM events):
    /// (logical id, connection).
    subscriptions: Vec<(Option<String>, Connection)>,
    /// The template's only `AWS::Batch::JobDefinition`, once read (`Some(None)`: none, several,
    /// or unreadable).
    job_definition: Option<Option<(String, Value)>>,
    /// `Globals.Function` of a SAM template: the defaults of every `AWS::Serverless::Function`.
    function_globals: Map<String, Value>,
    /// Source topics allowed per queue id by queue policies (`None`: every topic).
    policies: BTreeMap<String, Option<Vec<String>>>,
    /// Alarms from `AWS::CloudWatch::Alarm` resources, with their logical ids.
    alarms: Vec<(String, Alarm)>,
    /// The scenario's metric period, seconds.
    period: u32,
    skipped: Vec<Skipped>,
}

/// Reads a parsed template (see [`template::parse`]).
pub fn import_value(template: &Value) -> Result<Imported, ImportError> {
    let Some(root) = template.as_object() else {
        return Err(ImportError::NotATemplate(
            "the document is not an object".to_string(),
        ));
    };
    let Some(resources) = root.get("Resources").and_then(Value::as_object) else {
        return Err(ImportError::NotATemplate(
            "no Resources section".to_string(),
        ));
    };
    if resources.len() > template::MAX_RESOURCES {
        return Err(ImportError::TooManyResources {
            count: resources.len(),
            max: template::MAX_RESOURCES,
        });
    }
    let mut skipped = Vec::new();
    let meta = match root
        .get("Metadata")
        .and_then(|metadata| metadata.get("Loosely"))
    {
        None => None,
        Some(value) => match meta_value(value)
            .and_then(|value| {
                RawScenarioMeta::deserialize(&value).map_err(|error| error.to_string())
            })
            .and_then(|raw| {
                Ok(ScenarioMeta {
                    scenario: wire::read::<Scenario>(raw.scenario)?,
                    component_order: raw.component_order,
                    connection_order: raw.connection_order,
                    alarm_order: raw.alarm_order,
                })
            }) {
            Ok(meta) => Some(meta),
            Err(error) => {
                skipped.push(Skipped {
                    path: "Metadata.Loosely".to_string(),
                    resource_type: "Metadata".to_string(),
                    reason: format!("not the metadata of a loosely export: {error}"),
                });
                None
            }
        },
    };
    let mut importer = Importer {
        resolver: Resolver::new(root, resources),
        resources,
        ids: BTreeMap::new(),
        function_starts: Vec::new(),
        made: Vec::new(),
        meta_components: meta
            .as_ref()
            .map(|meta| meta.scenario.components.clone())
            .unwrap_or_default(),
        subscriptions: Vec::new(),
        job_definition: None,
        function_globals: root
            .get("Globals")
            .and_then(|globals| globals.get("Function"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        policies: BTreeMap::new(),
        alarms: Vec::new(),
        period: meta
            .as_ref()
            .map_or(Scenario::default().metric_period_seconds, |meta| {
                meta.scenario.metric_period_seconds
            }),
        skipped,
    };
    importer.name_components();
    for (logical, resource) in resources {
        importer.map_resource(logical, resource);
    }
    Ok(importer.finish(root, meta))
}

fn resource_meta(resource: &Map<String, Value>) -> Result<ResourceMeta, String> {
    match resource
        .get("Metadata")
        .and_then(|metadata| metadata.get("Loosely"))
    {
        None => Ok(ResourceMeta::default()),
        Some(value) => meta_value(value)
            .and_then(|value| ResourceMeta::deserialize(&value).map_err(|error| error.to_string())),
    }
}

/// `Metadata.Loosely`: JSON text (as exported), or the same as an object.
fn meta_value(value: &Value) -> Result<Value, String> {
    match value {
        Value::String(text) => {
            serde_json::from_str(text).map_err(|error| format!("not JSON text: {error}"))
        }
        other => Ok(other.clone()),
    }
}

fn properties(resource: &Map<String, Value>) -> Map<String, Value> {
    resource
        .get("Properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The property that names a resource of each component kind.
fn name_property(resource_type: &str) -> &'static str {
    match resource_type {
        "AWS::SQS::Queue" => "QueueName",
        "AWS::SNS::Topic" => "TopicName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::Serverless::StateMachine" => "Name",
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => "FunctionName",
        "AWS::Batch::ComputeEnvironment" => "ComputeEnvironmentName",
        "AWS::Batch::JobQueue" => "JobQueueName",
        "AWS::AmazonMQ::Broker" => "BrokerName",
        "AWS::AppFlow::Flow" => "FlowName",
        "AWS::ApiGateway::RestApi"
        | "AWS::ApiGatewayV2::Api"
        | "AWS::Serverless::Api"
        | "AWS::Serverless::HttpApi" => "Name",
        _ => "StateMachineName",
    }
}

fn resource_type(resource: &Map<String, Value>) -> &str {
    resource.get("Type").and_then(Value::as_str).unwrap_or("")
}

/// Integer and boolean properties, which templates often write as text (`"30"`, `"true"`).
fn coerce(value: Value) -> Value {
    match &value {
        Value::String(text) => {
            if let Ok(number) = text.parse::<u64>() {
                return Value::Number(number.into());
            }
            match text.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => value,
            }
        }
        _ => value,
    }
}

/// A JSON-typed property: an object, or JSON written as text.
fn json_property(value: &Value) -> Result<Value, String> {
    match value {
        Value::String(text) => {
            serde_json::from_str(text).map_err(|error| format!("not JSON text: {error}"))
        }
        other => Ok(other.clone()),
    }
}

impl Importer<'_> {
    fn skip(&mut self, path: String, resource_type: &str, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            path,
            resource_type: resource_type.to_string(),
            reason: reason.into(),
        });
    }

    fn resource(&self, logical: &str) -> Option<&Map<String, Value>> {
        self.resources.get(logical).and_then(Value::as_object)
    }

    /// First pass: ids and names of the resources that become components.
    fn name_components(&mut self) {
        let mut taken: Vec<String> = self
            .meta_components
            .iter()
            .map(|component| component.id().to_string())
            .collect();
        for (logical, resource) in self.resources {
            let Some(resource) = resource.as_object() else {
                continue;
            };
            let kind = resource_type(resource);
            if !matches!(mapping(kind), Mapping::Component(_)) {
                continue;
            }
            let meta = resource_meta(resource).unwrap_or_default();
            let mut id = meta.id.clone().unwrap_or_else(|| logical.clone());
            if taken.contains(&id) {
                id = logical.clone();
                let mut n = 2;
                while taken.contains(&id) {
                    id = format!("{logical}{n}");
                    n += 1;
                }
            }
            taken.push(id.clone());
            let physical = properties(resource)
                .get(name_property(kind))
                .and_then(Value::as_str)
                .map(str::to_string);
            let name = node_name(physical, meta.name, &id);
            let display = if name.is_empty() { id.clone() } else { name };
            self.resolver.names.insert(logical.clone(), display);
            self.ids.insert(logical.clone(), id);
        }
    }

    fn map_resource(&mut self, logical: &str, resource: &Value) {
        let path = format!("Resources.{logical}");
        let Some(resource) = resource.as_object() else {
            self.skip(path, "?", "a resource is an object with a Type");
            return;
        };
        let kind = resource_type(resource).to_string();
        if kind.is_empty() {
            self.skip(path, "?", "the resource has no Type");
            return;
        }
        if resource.contains_key("Condition") {
            self.skip(
                format!("{path}.Condition"),
                &kind,
                "conditions are not evaluated: the resource is imported as if the condition held",
            );
        }
        match mapping(&kind) {
            Mapping::Component(map) | Mapping::Link(map) => map(self, logical, resource),
            Mapping::NotYet(reason) | Mapping::NotSimulated(reason) => {
                self.skip(path, &kind, reason)
            }
        }
    }

    /// A reference to a component: the id of an imported resource, or the text as written
    /// (an ARN or a name, which the scenario matches by name).
    fn target(&self, value: &Value) -> Result<String, String> {
        match self.resolver.resolve(value)? {
            Resolved::Resource { logical, .. } => match self.ids.get(&logical) {
                Some(id) => Ok(id.clone()),
                None => Err(format!(
                    "refers to {logical} ({}), which is not imported",
                    self.resource(&logical).map(resource_type).unwrap_or("?")
                )),
            },
            Resolved::Text(text) => Ok(text),
        }
    }

    /// A scalar property: intrinsics resolved to text, integers and booleans written as text
    /// turned into numbers and booleans.
    fn scalar(&self, value: &Value) -> Result<Value, String> {
        if is_intrinsic(value) {
            self.resolver
                .text(value)
                .map(|text| coerce(Value::String(text)))
        } else {
            Ok(coerce(value.clone()))
        }
    }

    /// Deserializes `T` from the fields, leaving out (and listing) each field that does not
    /// fit; `None` when even the required fields are missing.
    fn lenient<T: Wire>(
        &mut self,
        fields: Vec<(String, Value, String)>,
        resource_type: &str,
    ) -> Option<T> {
        let all: Map<String, Value> = fields
            .iter()
            .map(|(key, value, _)| (key.clone(), value.clone()))
            .collect();
        if let Ok(value) = wire::read::<T>(Value::Object(all)) {
            return Some(value);
        }
        let mut kept = Map::new();
        for (key, value, path) in fields {
            let mut trial = kept.clone();
            trial.insert(key.clone(), value);
            match wire::read::<T>(Value::Object(trial.clone())) {
                Ok(_) => kept = trial,
                Err(message) => {
                    // A required field missing is reported by the final attempt.
                    if !message.starts_with("missing field") {
                        self.skip(path, resource_type, message);
                    } else {
                        kept = trial;
                    }
                }
            }
        }
        match wire::read::<T>(Value::Object(kept)) {
            Ok(value) => Some(value),
            Err(message) => {
                self.skip(String::new(), resource_type, message);
                None
            }
        }
    }

    /// The resource's `Metadata.Loosely`; when it is not loosely's, that is listed and the
    /// resource is read without it.
    fn meta(&mut self, logical: &str, kind: &str, resource: &Map<String, Value>) -> ResourceMeta {
        resource_meta(resource).unwrap_or_else(|error| {
            self.skip(
                format!("Resources.{logical}.Metadata.Loosely"),
                kind,
                format!("not the metadata of a loosely export: {error}"),
            );
            ResourceMeta::default()
        })
    }

    fn meta_fields(
        &mut self,
        logical: &str,
        kind: &str,
        resource: &Map<String, Value>,
    ) -> (ResourceMeta, Vec<(String, Value, String)>) {
        let meta = self.meta(logical, kind, resource);
        let fields = meta
            .parameters
            .iter()
            .map(|(key, value)| {
                (
                    key.clone(),
                    value.clone(),
                    format!("Resources.{logical}.Metadata.Loosely.parameters.{key}"),
                )
            })
            .collect();
        (meta, fields)
    }

    fn add_component(
        &mut self,
        logical: &str,
        meta: &ResourceMeta,
        make: impl FnOnce(Node<()>) -> Component,
    ) {
        let Some(id) = self.ids.get(logical).cloned() else {
            return;
        };
        let physical = self
            .resource(logical)
            .map(|resource| {
                properties(resource)
                    .get(name_property(resource_type(resource)))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default();
        let node = Node {
            name: node_name(physical, meta.name.clone(), &id),
            id: id.clone(),
            position: meta.position.unwrap_or_default(),
            parameters: (),
        };
        self.made.push((id, make(node)));
    }

    fn finish(mut self, root: &Map<String, Value>, meta: Option<ScenarioMeta>) -> Imported {
        for (queue, allowed) in std::mem::take(&mut self.policies) {
            if let Some((_, Component::SqsQueue(node))) =
                self.made.iter_mut().find(|(id, _)| *id == queue)
            {
                node.parameters.allowed_source_topics = allowed;
            }
        }
        let (mut scenario, component_order, connection_order, alarm_order) = match meta {
            Some(meta) => (
                meta.scenario,
                meta.component_order,
                meta.connection_order,
                meta.alarm_order,
            ),
            None => {
                let description = root
                    .get("Description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let scenario = Scenario {
                    name: description,
                    ..Scenario::default()
                };
                (scenario, Vec::new(), Vec::new(), Vec::new())
            }
        };
        let laid_out = component_order.is_empty();
        // Components: in the exported order, then any others in template order.
        let mut pool: Vec<Component> = std::mem::take(&mut scenario.components);
        pool.extend(self.made.drain(..).map(|(_, component)| component));
        let mut components = Vec::with_capacity(pool.len());
        for id in &component_order {
            if let Some(at) = pool.iter().position(|component| component.id() == id) {
                components.push(pool.remove(at));
            }
        }
        components.append(&mut pool);
        if laid_out {
            lay_out(&mut components);
        }
        scenario.components = components;
        // Connections: interleave the metadata's and the subscriptions' in the exported order.
        let plain = std::mem::take(&mut scenario.connections);
        let subscriptions = std::mem::take(&mut self.subscriptions)
            .into_iter()
            .map(|(logical, connection)| (logical.unwrap_or_default(), connection))
            .collect();
        let mut connections = interleave(plain, subscriptions, &connection_order);
        // A function's arrow to the machine its environment names, unless the metadata
        // already holds it.
        for (from, to) in std::mem::take(&mut self.function_starts) {
            if !connections.iter().any(|c| c.from == from && c.to == to) {
                connections.push(Connection {
                    from,
                    to,
                    ..Connection::default()
                });
            }
        }
        scenario.connections = connections;
        let plain = std::mem::take(&mut scenario.alarms);
        scenario.alarms = interleave(plain, std::mem::take(&mut self.alarms), &alarm_order);
        Imported {
            scenario,
            skipped: self.skipped,
        }
    }
}

/// Items of the metadata and items made from resources (with their logical ids) in the
/// exported order: `None` takes the next metadata item, `Some(id)` the resource's; the rest
/// follow.
fn interleave<T>(plain: Vec<T>, made: Vec<(String, T)>, order: &[Option<String>]) -> Vec<T> {
    let mut plain = plain.into_iter();
    let mut made: Vec<Option<(String, T)>> = made.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for slot in order {
        match slot {
            None => out.extend(plain.next()),
            Some(logical) => {
                let found = made
                    .iter_mut()
                    .find(|item| item.as_ref().is_some_and(|(id, _)| id == logical));
                if let Some(item) = found.and_then(Option::take) {
                    out.push(item.1);
                }
            }
        }
    }
    out.extend(plain);
    out.extend(made.into_iter().flatten().map(|(_, item)| item));
    out
}

/// The `name` of an imported node: the metadata's name when the template's physical name is
/// still the one it implies, else the physical name.
fn node_name(physical: Option<String>, meta_name: Option<String>, id: &str) -> String {
    match (physical, meta_name) {
        (Some(physical), Some(meta_name)) => {
            let implied = if meta_name.is_empty() { id } else { &meta_name };
            if physical == implied {
                meta_name
            } else {
                physical
            }
        }
        (Some(physical), None) => physical,
        (None, Some(meta_name)) => meta_name,
        (None, None) => String::new(),
    }
}

/// Places components of a foreign template in columns by kind.
fn lay_out(components: &mut [Component]) {
    let mut rows = [0u32; 4];
    for component in components {
        let column = match component {
            Component::SnsTopic(_) | Component::Producer(_) | Component::ClientPopulation(_) => 0,
            Component::SqsQueue(_) | Component::S3Bucket(_) | Component::ApiGateway(_) => 1,
            Component::Consumer(_) | Component::Endpoint(_) | Component::LambdaFunction(_) => 2,
            Component::StateMachine(_)
            | Component::BatchJobQueue(_)
            | Component::BatchComputeEnvironment(_)
            | Component::MqBroker(_) => 3,
            Component::AppflowFlow(_) | Component::ApplicationLoadBalancer(_) => 1,
        };
        component.set_position(Position {
            x: 80.0 + 260.0 * column as f64,
            y: 120.0 + 180.0 * rows[column] as f64,
        });
        rows[column] += 1;
    }
}

fn with_parameters<P: Default>(node: Node<()>, parameters: P) -> Node<P> {
    Node {
        id: node.id,
        name: node.name,
        position: node.position,
        parameters,
    }
}

const QUEUE_SCALARS: &[&str] = &[
    "FifoQueue",
    "VisibilityTimeout",
    "DelaySeconds",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "MaximumMessageSize",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
    "SqsManagedSseEnabled",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
];

const NOT_SIMULATED_PROPERTY: &str = "not simulated";

fn queue(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::SQS::Queue";
    let (meta, mut fields) = im.meta_fields(logical, kind, resource);
    for (key, value) in properties(resource) {
        let path = format!("Resources.{logical}.Properties.{key}");
        let mapped = match key.as_str() {
            "QueueName" => continue,
            "RedrivePolicy" => json_property(&value).and_then(|policy| {
                let mut policy = policy;
                if let Some(target) = policy.get("deadLetterTargetArn") {
                    let target = im.target(target)?;
                    policy["deadLetterTargetArn"] = Value::String(target);
                }
                if let Some(count) = policy.get("maxReceiveCount") {
                    policy["maxReceiveCount"] = im.scalar(count)?;
                }
                Ok(policy)
            }),
            "RedriveAllowPolicy" => json_property(&value).and_then(|policy| {
                let mut policy = policy;
                if let Some(Value::Array(sources)) = policy.get("sourceQueueArns").cloned() {
                    let sources = sources
                        .iter()
                        .map(|source| im.target(source).map(Value::String))
                        .collect::<Result<Vec<_>, _>>()?;
                    policy["sourceQueueArns"] = Value::Array(sources);
                }
                Ok(policy)
            }),
            name if QUEUE_SCALARS.contains(&name) => im.scalar(&value),
            "Tags" => Err(format!("tags are {NOT_SIMULATED_PROPERTY}")),
            _ => Err("not a queue attribute the playground models".to_string()),
        };
        match mapped {
            Ok(value) => fields.push((key, value, path)),
            Err(reason) => im.skip(path, kind, reason),
        }
    }
    if let Some(parameters) = im.lenient::<QueueParameters>(fields, kind) {
        im.add_component(logical, &meta, |node| {
            Component::SqsQueue(with_parameters(node, parameters))
        });
    }
}

fn topic(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::SNS::Topic";
    let (meta, mut fields) = im.meta_fields(logical, kind, resource);
    for (key, value) in properties(resource) {
        let path = format!("Resources.{logical}.Properties.{key}");
        match key.as_str() {
            "TopicName" => {}
            "FifoTopic" | "ContentBasedDeduplication" | "FifoThroughputScope" => {
                match im.scalar(&value) {
                    Ok(value) => fields.push((key, value, path)),
                    Err(reason) => im.skip(path, kind, reason),
                }
            }
            "Subscription" => {
                let Some(list) = value.as_array() else {
                    im.skip(path, kind, "Subscription is a list of {Endpoint, Protocol}");
                    continue;
                };
                for (index, entry) in list.iter().enumerate() {
                    let entry_path = format!("{path}[{index}]");
                    let Some(entry) = entry.as_object() else {
                        im.skip(entry_path, kind, "a subscription is {Endpoint, Protocol}");
                        continue;
                    };
                    let topic_id = im.ids.get(logical).cloned().unwrap_or_default();
                    im.subscribe(
                        &topic_id,
                        &format!("{logical}Subscription{index}"),
                        &entry_path,
                        kind,
                        entry,
                        &ResourceMeta::default(),
                    );
                }
            }
            "DisplayName"
            | "Tags"
            | "KmsMasterKeyId"
            | "SignatureVersion"
            | "TracingConfig"
            | "ArchivePolicy"
            | "DataProtectionPolicy"
            | "DeliveryStatusLogging" => im.skip(path, kind, NOT_SIMULATED_PROPERTY),
            _ => im.skip(path, kind, "not a topic attribute the playground models"),
        }
    }
    if let Some(parameters) = im.lenient::<TopicParameters>(fields, kind) {
        im.add_component(logical, &meta, |node| {
            Component::SnsTopic(with_parameters(node, parameters))
        });
    }
}

fn subscription(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::SNS::Subscription";
    let path = format!("Resources.{logical}");
    let meta = im.meta(logical, kind, resource);
    let properties = properties(resource);
    let Some(topic_arn) = properties.get("TopicArn") else {
        im.skip(path, kind, "a subscription needs TopicArn");
        return;
    };
    let topic = match im.target(topic_arn) {
        Ok(topic) => topic,
        Err(reason) => {
            im.skip(format!("{path}.Properties.TopicArn"), kind, reason);
            return;
        }
    };
    im.subscribe(
        &topic,
        logical,
        &format!("{path}.Properties"),
        kind,
        &properties,
        &meta,
    );
}

impl Importer<'_> {
    /// A subscription (a resource or an entry of a topic's `Subscription` list) as a connection.
    fn subscribe(
        &mut self,
        topic: &str,
        logical: &str,
        path: &str,
        kind: &str,
        properties: &Map<String, Value>,
        meta: &ResourceMeta,
    ) {
        let protocol = properties.get("Protocol").map(|value| self.scalar(value));
        let protocol_text = match protocol {
            Some(Ok(Value::String(text))) => text,
            _ => {
                self.skip(path.to_string(), kind, "a subscription needs a Protocol");
                return;
            }
        };
        let Ok(parsed) = wire::read::<Protocol>(Value::String(protocol_text.clone())) else {
            self.skip(
                format!("{path}.Protocol"),
                kind,
                format!("{protocol_text:?} is not a protocol the playground models (sqs, lambda, http, https, email, email-json, sms, application, firehose)"),
            );
            return;
        };
        let to = match self.subscriber(logical, parsed, properties.get("Endpoint"), meta) {
            Ok(to) => to,
            Err(reason) => {
                self.skip(format!("{path}.Endpoint"), kind, reason);
                return;
            }
        };
        let mut fields = Vec::new();
        if meta.protocol_written != Some(false) {
            fields.push((
                "Protocol".to_string(),
                Value::String(protocol_text),
                format!("{path}.Protocol"),
            ));
        }
        for (key, value) in properties {
            let field_path = format!("{path}.{key}");
            let mapped = match key.as_str() {
                "Protocol" | "Endpoint" | "TopicArn" => continue,
                "FilterPolicy" | "DeliveryPolicy" => {
                    json_property(value).and_then(|policy| self.resolver.deep(&policy))
                }
                "FilterPolicyScope" | "RawMessageDelivery" => self.scalar(value),
                "RedrivePolicy" => json_property(value).and_then(|policy| {
                    let mut policy = policy;
                    if let Some(target) = policy.get("deadLetterTargetArn") {
                        policy["deadLetterTargetArn"] = Value::String(self.target(target)?);
                    }
                    Ok(policy)
                }),
                "Region" | "ReplayPolicy" | "SubscriptionRoleArn" => {
                    Err(NOT_SIMULATED_PROPERTY.to_string())
                }
                _ => Err("not a subscription attribute the playground models".to_string()),
            };
            match mapped {
                Ok(value) => fields.push((key.clone(), value, field_path)),
                Err(reason) => self.skip(field_path, kind, reason),
            }
        }
        let written = meta.subscription_written != Some(false) || fields.len() > 1;
        let subscription = if written {
            self.lenient::<Subscription>(fields, kind)
        } else {
            None
        };
        self.subscriptions.push((
            Some(logical.to_string()),
            Connection {
                from: topic.to_string(),
                to,
                subscription,
                event_source_mapping: None,
            },
        ));
    }

    /// The component a subscription delivers to: a queue of the template for `sqs`, the
    /// component named in the metadata, or a new endpoint of the protocol's kind.
    fn subscriber(
        &mut self,
        logical: &str,
        protocol: Protocol,
        endpoint: Option<&Value>,
        meta: &ResourceMeta,
    ) -> Result<String, String> {
        if let Some(to) = &meta.to {
            let known = self.meta_components.iter().any(|c| c.id() == to)
                || self.ids.values().any(|id| id == to)
                || self.made.iter().any(|(id, _)| id == to);
            if known {
                return Ok(to.clone());
            }
        }
        let Some(endpoint) = endpoint else {
            return Err("a subscription needs an Endpoint".to_string());
        };
        let resolved = self.resolver.resolve(endpoint)?;
        if protocol == Protocol::Sqs {
            return match resolved {
                Resolved::Resource { logical, .. } => match self.ids.get(&logical) {
                    Some(id) => Ok(id.clone()),
                    None => Err(format!(
                        "refers to {logical}, which is not an imported queue"
                    )),
                },
                Resolved::Text(text) => Ok(text),
            };
        }
        if protocol == Protocol::Lambda {
            if let Resolved::Resource { logical, .. } = &resolved {
                if let Some(id) = self.function_id(logical) {
                    return Ok(id);
                }
            }
        }
        let endpoint_kind = match protocol {
            Protocol::Http | Protocol::Https => EndpointKind::Http,
            Protocol::Email | Protocol::EmailJson => EndpointKind::Email,
            Protocol::Sms => EndpointKind::Sms,
            Protocol::Application => EndpointKind::MobilePush,
            Protocol::Firehose => EndpointKind::Firehose,
            Protocol::Lambda | Protocol::Sqs => EndpointKind::Lambda,
        };
        // A Lambda function outside the template becomes one endpoint however many topics it
        // hears.
        let id = match &resolved {
            Resolved::Resource { logical, .. } => logical.clone(),
            Resolved::Text(_) => logical.to_string(),
        };
        let exists = self.made.iter().any(|(made, _)| *made == id);
        if !exists {
            if self.ids.values().any(|taken| *taken == id)
                || self.meta_components.iter().any(|c| c.id() == id)
            {
                return Err(format!(
                    "the endpoint would take the id {id}, which is taken"
                ));
            }
            self.made.push((
                id.clone(),
                Component::Endpoint(Node {
                    id: id.clone(),
                    name: String::new(),
                    position: Position::default(),
                    parameters: EndpointParameters {
                        endpoint_kind: Some(endpoint_kind),
                        ..EndpointParameters::default()
                    },
                }),
            ));
        }
        Ok(id)
    }
}

fn queue_policy(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::SQS::QueuePolicy";
    let path = format!("Resources.{logical}.Properties");
    let properties = properties(resource);
    let Some(Value::Array(queues)) = properties.get("Queues") else {
        im.skip(
            format!("{path}.Queues"),
            kind,
            "Queues is a list of queue URLs",
        );
        return;
    };
    let mut queue_ids = Vec::new();
    for (index, queue) in queues.iter().enumerate() {
        match im.target(queue) {
            Ok(id) if im.ids.values().any(|known| *known == id) => queue_ids.push(id),
            Ok(other) => im.skip(
                format!("{path}.Queues[{index}]"),
                kind,
                format!("{other} is not a queue of the template"),
            ),
            Err(reason) => im.skip(format!("{path}.Queues[{index}]"), kind, reason),
        }
    }
    let statements = match properties.get("PolicyDocument").map(json_property) {
        Some(Ok(document)) => match document.get("Statement") {
            Some(Value::Array(list)) => list.clone(),
            Some(single @ Value::Object(_)) => vec![single.clone()],
            _ => Vec::new(),
        },
        Some(Err(reason)) => {
            im.skip(format!("{path}.PolicyDocument"), kind, reason);
            return;
        }
        None => Vec::new(),
    };
    // Only what the playground models: which SNS topics may send (sqs:SendMessage with an
    // aws:SourceArn condition). An allow without the condition lets every topic send.
    let mut every_topic = false;
    let mut topics: Vec<String> = Vec::new();
    for (index, statement) in statements.iter().enumerate() {
        let statement_path = format!("{path}.PolicyDocument.Statement[{index}]");
        let allows = statement.get("Effect").and_then(Value::as_str) == Some("Allow");
        let sends = match statement.get("Action") {
            Some(Value::String(action)) => sends_messages(action),
            Some(Value::Array(actions)) => actions
                .iter()
                .any(|action| action.as_str().is_some_and(sends_messages)),
            _ => false,
        };
        let from_sns = match statement.get("Principal") {
            Some(Value::String(principal)) => principal == "*",
            Some(principal) => {
                let service = principal.get("Service");
                service.and_then(Value::as_str) == Some("sns.amazonaws.com")
                    || service.and_then(Value::as_array).is_some_and(|list| {
                        list.iter().any(|s| s.as_str() == Some("sns.amazonaws.com"))
                    })
                    || principal.get("AWS").and_then(Value::as_str) == Some("*")
            }
            None => false,
        };
        if !(sends && from_sns) {
            im.skip(
                statement_path,
                kind,
                "only statements on sqs:SendMessage by SNS (which topics may send) are simulated",
            );
            continue;
        }
        if !allows {
            continue;
        }
        let sources = source_arns(statement);
        if sources.is_empty() {
            every_topic = true;
        }
        for source in sources {
            match im.target(&source) {
                Ok(id) => {
                    let topic = im
                        .made
                        .iter()
                        .find(|(made, c)| *made == id && matches!(c, Component::SnsTopic(_)))
                        .map(|(made, _)| made.clone())
                        .or_else(|| topic_by_arn(im, &id));
                    match topic {
                        Some(topic) if !topics.contains(&topic) => topics.push(topic),
                        Some(_) => {}
                        None => im.skip(
                            format!("{statement_path}.Condition"),
                            kind,
                            format!("aws:SourceArn {id} names no topic of the template"),
                        ),
                    }
                }
                Err(reason) => im.skip(format!("{statement_path}.Condition"), kind, reason),
            }
        }
    }
    for queue in queue_ids {
        let allowed = if every_topic {
            None
        } else {
            Some(topics.clone())
        };
        im.policies.insert(queue, allowed);
    }
}

/// A topic id for a topic resource by id, or by the name at the end of an ARN.
fn topic_by_arn(im: &Importer, text: &str) -> Option<String> {
    let name = text.rsplit(':').next().unwrap_or(text);
    im.ids.iter().find_map(|(logical, id)| {
        let is_topic = im.resource(logical).map(resource_type) == Some("AWS::SNS::Topic");
        let named = im.resolver.names.get(logical).map(String::as_str) == Some(name);
        (is_topic && (id == text || named)).then(|| id.clone())
    })
}

fn sends_messages(action: &str) -> bool {
    matches!(action, "sqs:SendMessage" | "sqs:*" | "*")
}

/// The `aws:SourceArn` values of a statement's ArnEquals/ArnLike/StringEquals/StringLike.
fn source_arns(statement: &Value) -> Vec<Value> {
    let mut values = Vec::new();
    let Some(condition) = statement.get("Condition").and_then(Value::as_object) else {
        return values;
    };
    for operator in ["ArnEquals", "ArnLike", "StringEquals", "StringLike"] {
        let Some(keys) = condition.get(operator).and_then(Value::as_object) else {
            continue;
        };
        for (key, value) in keys {
            if key.eq_ignore_ascii_case("aws:SourceArn") {
                match value {
                    Value::Array(list) => values.extend(list.iter().cloned()),
                    other => values.push(other.clone()),
                }
            }
        }
    }
    values
}

fn bucket(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::S3::Bucket";
    let (meta, fields) = im.meta_fields(logical, kind, resource);
    for key in properties(resource).keys() {
        if key != "BucketName" {
            im.skip(
                format!("Resources.{logical}.Properties.{key}"),
                kind,
                "a bucket holds the extended client's payloads and state machines' objects here; its settings are not simulated",
            );
        }
    }
    // The seeded objects come back from Metadata.Loosely.
    if let Some(parameters) = im.lenient::<BucketParameters>(fields, kind) {
        im.add_component(logical, &meta, |node| {
            Component::S3Bucket(with_parameters(node, parameters))
        });
    }
}

fn state_machine(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = resource_type(resource).to_string();
    let kind = kind.as_str();
    let sam = kind == "AWS::Serverless::StateMachine";
    let (meta, mut fields) = im.meta_fields(logical, kind, resource);
    let properties = properties(resource);
    let path = |key: &str| format!("Resources.{logical}.Properties.{key}");
    // DefinitionSubstitutions: ${name} in the definition's texts.
    let mut substitutions = Vec::new();
    if let Some(Value::Object(map)) = properties.get("DefinitionSubstitutions") {
        for (key, value) in map {
            match im.resolver.text(value) {
                Ok(text) => substitutions.push((format!("${{{key}}}"), text)),
                Err(reason) => im.skip(
                    format!("{}.{key}", path("DefinitionSubstitutions")),
                    kind,
                    reason,
                ),
            }
        }
    }
    for (key, value) in &properties {
        let mapped = match key.as_str() {
            "StateMachineName" | "Name" | "DefinitionSubstitutions" => continue,
            "StateMachineType" | "Type" => im
                .scalar(value)
                .map(|value| ("Type".to_string(), value)),
            "Definition" => im
                .resolver
                .deep(value)
                .map(|definition| ("Definition".to_string(), substitute(definition, &substitutions))),
            "DefinitionString" => im.resolver.text(value).and_then(|text| {
                let text = substitutions
                    .iter()
                    .fold(text, |text, (from, to)| text.replace(from, to));
                serde_json::from_str::<Value>(&text)
                    .map(|definition| ("Definition".to_string(), definition))
                    .map_err(|error| format!("DefinitionString is not JSON: {error}"))
            }),
            "DefinitionS3Location" | "DefinitionUri" => Err(
                "the definition is in a file or in S3; write it inline as Definition to import it"
                    .to_string(),
            ),
            "RoleArn" | "Role" | "Policies" | "PermissionsBoundary" | "RolePath" => {
                Err(NOT_SIMULATED_IAM.to_string())
            }
            "Events" if sam => Err(
                "SAM event sources are not imported; connect a producer or a consumer pool to the state machine"
                    .to_string(),
            ),
            "LoggingConfiguration" | "Logging" | "TracingConfiguration" | "Tracing" | "Tags"
            | "EncryptionConfiguration" | "AutoPublishAlias" | "DeploymentPreference" => {
                Err(NOT_SIMULATED_PROPERTY.to_string())
            }
            _ => Err("not a state machine property the playground models".to_string()),
        };
        match mapped {
            Ok((name, value)) => fields.push((name, value, path(key))),
            Err(reason) => im.skip(path(key), kind, reason),
        }
    }
    if let Some(parameters) = im.lenient::<StateMachineParameters>(fields, kind) {
        im.add_component(logical, &meta, |node| {
            Component::StateMachine(with_parameters(node, parameters))
        });
    }
}

fn substitute(value: Value, substitutions: &[(String, String)]) -> Value {
    if substitutions.is_empty() {
        return value;
    }
    match value {
        Value::String(text) => Value::String(
            substitutions
                .iter()
                .fold(text, |text, (from, to)| text.replace(from, to)),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| substitute(item, substitutions))
                .collect(),
        ),
        Value::Object(object) => Value::Object(
            object
                .into_iter()
                .map(|(key, item)| (key, substitute(item, substitutions)))
                .collect(),
        ),
        other => other,
    }
}

fn alarm(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::CloudWatch::Alarm";
    let path = format!("Resources.{logical}");
    let properties = properties(resource);
    let text = |key: &str| {
        properties
            .get(key)
            .map(|value| im.resolver.text(value))
            .transpose()
    };
    let (namespace, metric_name) = match (text("Namespace"), text("MetricName")) {
        (Ok(namespace), Ok(metric)) => (namespace, metric),
        (Err(reason), _) | (_, Err(reason)) => {
            im.skip(path, kind, reason);
            return;
        }
    };
    let sqs_metric = metric_name
        .as_deref()
        .and_then(loosely_engine::Metric::parse)
        .filter(|metric| {
            use loosely_engine::metrics::{FIFO_QUEUE_METRICS, QUEUE_METRICS};
            QUEUE_METRICS
                .iter()
                .chain(FIFO_QUEUE_METRICS)
                .any(|m| m == metric)
        });
    if namespace.as_deref() != Some("AWS/SQS") || sqs_metric.is_none() {
        im.skip(
            path,
            kind,
            "only alarms on a queue's AWS/SQS metrics (MetricName, Namespace and a QueueName dimension) are imported",
        );
        return;
    }
    let queue_name = properties
        .get("Dimensions")
        .and_then(Value::as_array)
        .and_then(|dimensions| {
            dimensions
                .iter()
                .find(|d| d.get("Name").and_then(Value::as_str) == Some("QueueName"))
        })
        .and_then(|dimension| dimension.get("Value"));
    let component = match queue_name.map(|value| im.resolver.resolve(value)) {
        Some(Ok(Resolved::Resource { logical: queue, .. })) => im.ids.get(&queue).cloned(),
        Some(Ok(Resolved::Text(name))) => im.ids.iter().find_map(|(queue, id)| {
            let is_queue = im.resource(queue).map(resource_type) == Some("AWS::SQS::Queue");
            (is_queue && im.resolver.names.get(queue) == Some(&name)).then(|| id.clone())
        }),
        Some(Err(reason)) => {
            im.skip(format!("{path}.Properties.Dimensions"), kind, reason);
            return;
        }
        None => None,
    };
    let Some(component) = component else {
        im.skip(
            format!("{path}.Properties.Dimensions"),
            kind,
            "the QueueName dimension names no queue of the template",
        );
        return;
    };
    let mut fields = vec![
        (
            "component".to_string(),
            Value::String(component),
            format!("{path}.Properties.Dimensions"),
        ),
        (
            "MetricName".to_string(),
            Value::String(metric_name.unwrap_or_default()),
            format!("{path}.Properties.MetricName"),
        ),
    ];
    let mut has_name = false;
    for (key, value) in &properties {
        let field_path = format!("{path}.Properties.{key}");
        let mapped = match key.as_str() {
            "Namespace" | "MetricName" | "Dimensions" => continue,
            "AlarmName" => {
                has_name = true;
                im.resolver.text(value).map(Value::String)
            }
            "ComparisonOperator" => im.resolver.text(value).map(Value::String),
            "Threshold" | "EvaluationPeriods" => im.scalar(value).map(|value| match &value {
                Value::String(text) => text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(value),
                _ => value,
            }),
            "Statistic" => {
                let used = match sqs_metric.map(|metric| metric.statistic()) {
                    Some(loosely_engine::metrics::Statistic::Sum) => "Sum",
                    Some(loosely_engine::metrics::Statistic::Average) => "Average",
                    _ => "Maximum",
                };
                match im.resolver.text(value) {
                    Ok(statistic) if statistic == used => continue,
                    _ => Err(format!("the simulation judges this metric by its {used}")),
                }
            }
            "Period" => match im.scalar(value) {
                Ok(Value::Number(period)) if period.as_u64() == Some(u64::from(im.period)) => {
                    continue
                }
                _ => Err(format!(
                    "the simulation judges every metric per metric_period_seconds ({} s)",
                    im.period
                )),
            },
            _ => Err(NOT_SIMULATED_PROPERTY.to_string()),
        };
        match mapped {
            Ok(value) => fields.push((key.clone(), value, field_path)),
            Err(reason) => im.skip(field_path, kind, reason),
        }
    }
    if !has_name {
        fields.push((
            "AlarmName".to_string(),
            Value::String(logical.to_string()),
            format!("{path}.Properties.AlarmName"),
        ));
    }
    if let Some(alarm) = im.lenient::<Alarm>(fields, kind) {
        im.alarms.push((logical.to_string(), alarm));
    }
}
