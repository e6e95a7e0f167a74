//! Scenario → template.
//!
//! Queues, topics, SNS subscriptions, buckets, state machines and Lambda functions become
//! resources with their AWS properties; a queue's allowed source topics become an
//! `AWS::SQS::QueuePolicy`; each state machine and function gets an `AWS::IAM::Role` its
//! service can assume; a function's asynchronous settings become an
//! `AWS::Lambda::EventInvokeConfig`, an arrow from a queue to a function an
//! `AWS::Lambda::EventSourceMapping`, and a topic's subscription of a function comes with the
//! `AWS::Lambda::Permission` SNS needs; a function's arrow to a state machine becomes a
//! handler that calls `StartExecution` on the machine (`STATE_MACHINE_ARN` in its
//! environment, an inline policy allowing it); an alarm on a queue's `AWS/SQS` metric becomes an
//! `AWS::CloudWatch::Alarm`. Producers, consumer pools, endpoints, their connections, alarms,
//! the run settings and every simulation-only parameter go under `Metadata.Loosely` (the
//! template's or the resource's, as JSON text since cfn-lint allows no floats in `Metadata`),
//! with ids and canvas positions, so that [`crate::import`] gives the same scenario back.

use std::collections::BTreeMap;

use loosely_scenario::{Component, Connection, EndpointKind, Protocol, Scenario};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::resolve::{ACCOUNT, REGION};

/// The scenario as a CloudFormation template (JSON text, indented).
pub fn export(scenario: &Scenario) -> String {
    serde_json::to_string_pretty(&export_value(scenario)).unwrap_or_default()
}

fn to_value(value: &impl Serialize) -> Value {
    // The wire types serialize to JSON without fail (string keys, finite or null numbers).
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Gives every component and generated resource a unique logical id (letters and digits).
struct LogicalIds {
    by_component: BTreeMap<String, String>,
    taken: Vec<String>,
}

impl LogicalIds {
    fn claim(&mut self, wanted: &str) -> String {
        let mut base: String = String::new();
        let mut upper = true;
        for character in wanted.chars() {
            if character.is_ascii_alphanumeric() {
                if upper {
                    base.extend(character.to_uppercase());
                } else {
                    base.push(character);
                }
                upper = false;
            } else {
                upper = true;
            }
        }
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base.insert_str(0, "Component");
        }
        base.truncate(200);
        let mut logical = base.clone();
        let mut n = 2;
        while self.taken.contains(&logical) {
            logical = format!("{base}{n}");
            n += 1;
        }
        self.taken.push(logical.clone());
        logical
    }
}

fn is_resource(component: &Component) -> bool {
    matches!(
        component,
        Component::SqsQueue(_)
            | Component::SnsTopic(_)
            | Component::S3Bucket(_)
            | Component::StateMachine(_)
            | Component::LambdaFunction(_)
    )
}

fn get_att(logical: &str, attribute: &str) -> Value {
    json!({"Fn::GetAtt": [logical, attribute]})
}

/// A reference to a queue: `Fn::GetAtt [Q, Arn]` when it is a queue of the scenario, else the
/// text as written.
fn queue_arn(target: &str, queues: &BTreeMap<String, String>) -> Value {
    match queues.get(target) {
        Some(logical) => get_att(logical, "Arn"),
        None => Value::String(target.to_string()),
    }
}

fn resource_metadata(component: &Component, parameters: Map<String, Value>) -> Value {
    let mut loosely = Map::new();
    loosely.insert("id".to_string(), Value::String(component.id().to_string()));
    loosely.insert(
        "name".to_string(),
        Value::String(component.name().to_string()),
    );
    loosely.insert("position".to_string(), to_value(&component.position()));
    if !parameters.is_empty() {
        loosely.insert("parameters".to_string(), Value::Object(parameters));
    }
    json!({ "Loosely": meta_text(&Value::Object(loosely)) })
}

/// `Metadata.Loosely` is JSON text: cfn-lint allows neither floats nor nulls in `Metadata`.
fn meta_text(value: &Value) -> Value {
    Value::String(serde_json::to_string(value).unwrap_or_default())
}

/// Moves the named fields of `properties` into a new map (the metadata's parameters).
fn take_fields(properties: &mut Map<String, Value>, names: &[&str]) -> Map<String, Value> {
    names
        .iter()
        .filter_map(|name| {
            properties
                .remove(*name)
                .map(|value| (name.to_string(), value))
        })
        .collect()
}

/// The scenario as a template (a JSON value).
pub fn export_value(scenario: &Scenario) -> Value {
    let mut ids = LogicalIds {
        by_component: BTreeMap::new(),
        taken: Vec::new(),
    };
    for component in scenario.components.iter().filter(|c| is_resource(c)) {
        let logical = ids.claim(component.id());
        ids.by_component
            .entry(component.id().to_string())
            .or_insert(logical);
    }
    let by_component = ids.by_component.clone();
    let logical_of = |id: &str| by_component.get(id).cloned();
    // Component id → logical id, for the components of one kind.
    let logical_ids = |kind: fn(&Component) -> bool| -> BTreeMap<String, String> {
        scenario
            .components
            .iter()
            .filter(|c| kind(c))
            .filter_map(|c| Some((c.id().to_string(), logical_of(c.id())?)))
            .collect()
    };
    let queues = logical_ids(|c| matches!(c, Component::SqsQueue(_)));
    let topics = logical_ids(|c| matches!(c, Component::SnsTopic(_)));
    let functions = logical_ids(|c| matches!(c, Component::LambdaFunction(_)));
    let machines = logical_ids(|c| matches!(c, Component::StateMachine(_)));
    // A dead-letter queue or failure destination: a queue's ARN, a topic's (its Ref), or
    // the text as written.
    let destination = |target: &str| match topics.get(target) {
        Some(logical) => json!({"Ref": logical}),
        None => queue_arn(target, &queues),
    };

    let mut resources = Map::new();
    for component in &scenario.components {
        let Some(logical) = logical_of(component.id()) else {
            continue;
        };
        match component {
            Component::SqsQueue(node) => {
                let Value::Object(mut properties) = to_value(&node.parameters) else {
                    continue;
                };
                let mut knobs = take_fields(
                    &mut properties,
                    &[
                        "DuplicateDeliveryProbability",
                        "ReorderProbability",
                        "allowed_source_topics",
                    ],
                );
                properties.insert(
                    "QueueName".to_string(),
                    Value::String(component.display_name().to_string()),
                );
                if let Some(policy) = &node.parameters.redrive_policy {
                    properties["RedrivePolicy"]["deadLetterTargetArn"] =
                        queue_arn(&policy.dead_letter_target_arn, &queues);
                }
                if let Some(policy) = &node.parameters.redrive_allow_policy {
                    if !policy.source_queue_arns.is_empty() {
                        properties["RedriveAllowPolicy"]["sourceQueueArns"] = Value::Array(
                            policy
                                .source_queue_arns
                                .iter()
                                .map(|source| queue_arn(source, &queues))
                                .collect(),
                        );
                    }
                }
                if let Some(allowed) = &node.parameters.allowed_source_topics {
                    let sources: Option<Vec<Value>> = allowed
                        .iter()
                        .map(|topic| topics.get(topic).map(|logical| json!({"Ref": logical})))
                        .collect();
                    if let Some(sources) = sources {
                        knobs.remove("allowed_source_topics");
                        let policy = ids.claim(&format!("{logical}Policy"));
                        resources.insert(policy, queue_policy(&logical, sources));
                    }
                }
                resources.insert(
                    logical,
                    json!({
                        "Type": "AWS::SQS::Queue",
                        "Properties": properties,
                        "Metadata": resource_metadata(component, knobs),
                    }),
                );
            }
            Component::SnsTopic(node) => {
                let Value::Object(mut properties) = to_value(&node.parameters) else {
                    continue;
                };
                // CloudFormation sets no topic DeliveryPolicy (SetTopicAttributes does).
                let knobs = take_fields(&mut properties, &["DeliveryPolicy", "allowed_publishers"]);
                properties.insert(
                    "TopicName".to_string(),
                    Value::String(component.display_name().to_string()),
                );
                resources.insert(
                    logical,
                    json!({
                        "Type": "AWS::SNS::Topic",
                        "Properties": properties,
                        "Metadata": resource_metadata(component, knobs),
                    }),
                );
            }
            Component::S3Bucket(node) => {
                // The objects a scenario seeds are simulation data, not bucket settings.
                let Value::Object(knobs) = to_value(&node.parameters) else {
                    continue;
                };
                resources.insert(
                    logical,
                    json!({
                        "Type": "AWS::S3::Bucket",
                        "Metadata": resource_metadata(component, knobs),
                    }),
                );
            }
            Component::StateMachine(node) => {
                let Value::Object(mut properties) = to_value(&node.parameters) else {
                    continue;
                };
                let knobs = take_fields(
                    &mut properties,
                    &[
                        "MockConfig",
                        "TestCase",
                        "StartExecutionBurst",
                        "StartExecutionRefillPerSecond",
                        "MemoryMB",
                        "DuplicateExecutionProbability",
                    ],
                );
                if let Some(kind) = properties.remove("Type") {
                    properties.insert("StateMachineType".to_string(), kind);
                }
                properties.insert(
                    "StateMachineName".to_string(),
                    Value::String(component.display_name().to_string()),
                );
                let role = ids.claim(&format!("{logical}Role"));
                properties.insert("RoleArn".to_string(), get_att(&role, "Arn"));
                resources.insert(role, service_role("states.amazonaws.com", &[]));
                resources.insert(
                    logical,
                    json!({
                        "Type": "AWS::StepFunctions::StateMachine",
                        "Properties": properties,
                        "Metadata": resource_metadata(component, knobs),
                    }),
                );
            }
            Component::LambdaFunction(node) => {
                let Value::Object(mut properties) = to_value(&node.parameters) else {
                    continue;
                };
                let knobs = take_fields(
                    &mut properties,
                    &[
                        "duration",
                        "error_probability",
                        "init_duration",
                        "keep_warm_seconds",
                    ],
                );
                // Asynchronous invocation settings are a resource of their own.
                let invoke = take_fields(
                    &mut properties,
                    &[
                        "MaximumRetryAttempts",
                        "MaximumEventAgeInSeconds",
                        "DestinationConfig",
                    ],
                );
                if let Some(architecture) = properties.remove("Architecture") {
                    properties.insert("Architectures".to_string(), json!([architecture]));
                }
                if let Some(config) = &node.parameters.dead_letter_config {
                    properties["DeadLetterConfig"]["TargetArn"] = destination(&config.target_arn);
                }
                properties.insert(
                    "FunctionName".to_string(),
                    Value::String(component.display_name().to_string()),
                );
                // The simulation runs no code: the handler stands for the function's duration
                // and error_probability, and for its StartExecution calls when it has an
                // arrow to a state machine.
                let starts = scenario
                    .connections
                    .iter()
                    .filter(|c| c.from == component.id())
                    .find_map(|c| machines.get(&c.to));
                properties.insert("Runtime".to_string(), json!("python3.13"));
                properties.insert("Handler".to_string(), json!("index.handler"));
                let code = match starts {
                    Some(machine) => {
                        properties.insert(
                            "Environment".to_string(),
                            json!({"Variables": {"STATE_MACHINE_ARN": {"Ref": machine}}}),
                        );
                        START_EXECUTION_HANDLER
                    }
                    None => "def handler(event, context):\n    return {}\n",
                };
                properties.insert("Code".to_string(), json!({ "ZipFile": code }));
                let role = ids.claim(&format!("{logical}Role"));
                properties.insert("Role".to_string(), get_att(&role, "Arn"));
                // Allowed to read queues (for its event source mappings) and write its logs.
                let policy = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole";
                let mut role_resource =
                    service_role("lambda.amazonaws.com", &[json!({ "Fn::Sub": policy })]);
                if let Some(machine) = starts {
                    role_resource["Properties"]["Policies"] = json!([{
                        "PolicyName": "StartExecution",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [{
                                "Effect": "Allow",
                                "Action": "states:StartExecution",
                                "Resource": {"Ref": machine},
                            }],
                        },
                    }]);
                }
                resources.insert(role, role_resource);
                if !invoke.is_empty() {
                    let mut invoke = invoke;
                    if let Some(config) = &node.parameters.destination_config {
                        invoke["DestinationConfig"]["OnFailure"]["Destination"] =
                            destination(&config.on_failure.destination);
                    }
                    invoke.insert("FunctionName".to_string(), json!({"Ref": logical}));
                    invoke.insert("Qualifier".to_string(), json!("$LATEST"));
                    let config = ids.claim(&format!("{logical}EventInvokeConfig"));
                    resources.insert(
                        config,
                        json!({"Type": "AWS::Lambda::EventInvokeConfig", "Properties": invoke}),
                    );
                }
                resources.insert(
                    logical,
                    json!({
                        "Type": "AWS::Lambda::Function",
                        "Properties": properties,
                        "Metadata": resource_metadata(component, knobs),
                    }),
                );
            }
            // Not resources of the template yet: kept whole in the metadata.
            Component::Producer(_)
            | Component::Consumer(_)
            | Component::Endpoint(_)
            | Component::ApiGateway(_)
            | Component::ClientPopulation(_)
            | Component::BatchComputeEnvironment(_)
            | Component::BatchJobQueue(_)
            // An AWS::AmazonMQ::Broker needs users, an engine version and subnets the
            // scenario does not have, and its queues and exchanges live inside the broker,
            // not in the template: the broker stays whole in the metadata.
            | Component::MqBroker(_)
            // An Application Load Balancer needs subnets, security groups and instances the
            // scenario does not have: it stays whole in the metadata.
            | Component::ApplicationLoadBalancer(_) => {}
            // AppFlow flows stay in the metadata too (an AWS::AppFlow::Flow needs connector
            // profiles the scenario does not have).
            Component::AppflowFlow(_) => {}
        }
    }

    // Subscriptions and event source mappings become resources; every other connection
    // stays in the metadata.
    let mut connection_order = Vec::new();
    let mut plain_connections = Vec::new();
    for connection in &scenario.connections {
        let to = scenario
            .components
            .iter()
            .find(|component| component.id() == connection.to);
        if let Some(topic) = topics.get(&connection.from) {
            let logical = ids.claim(&format!("{topic}To{}Subscription", connection.to));
            resources.insert(
                logical.clone(),
                subscription_resource(topic, connection, to, &queues, &functions),
            );
            if let Some(function) = functions.get(&connection.to) {
                let permission = ids.claim(&format!("{logical}Permission"));
                resources.insert(permission, sns_permission(topic, function));
            }
            connection_order.push(Value::String(logical));
            continue;
        }
        if let (Some(queue), Some(function)) =
            (queues.get(&connection.from), functions.get(&connection.to))
        {
            let logical = ids.claim(&format!("{queue}To{function}Mapping"));
            resources.insert(
                logical.clone(),
                event_source_mapping(queue, function, connection),
            );
            connection_order.push(Value::String(logical));
            continue;
        }
        plain_connections.push(connection.clone());
        connection_order.push(Value::Null);
    }

    // Alarms on a queue's AWS/SQS metrics become CloudWatch alarms; the others (the
    // simulation's own metrics, other services) stay in the metadata.
    let mut alarm_order = Vec::new();
    let mut plain_alarms = Vec::new();
    for alarm in &scenario.alarms {
        match cloudwatch_alarm(alarm, &queues, scenario.metric_period_seconds) {
            Some(resource) => {
                let logical = ids.claim(&format!("{}Alarm", alarm.alarm_name));
                resources.insert(logical.clone(), resource);
                alarm_order.push(Value::String(logical));
            }
            None => {
                plain_alarms.push(alarm.clone());
                alarm_order.push(Value::Null);
            }
        }
    }

    let mut meta_scenario = scenario.clone();
    meta_scenario.components.retain(|c| !is_resource(c));
    meta_scenario.connections = plain_connections;
    meta_scenario.alarms = plain_alarms;
    let component_order: Vec<&str> = scenario.components.iter().map(|c| c.id()).collect();
    let description = if scenario.name.is_empty() {
        "A loosely scenario".to_string()
    } else {
        // CloudFormation allows 1024 bytes.
        let mut text = scenario.name.clone();
        while text.len() > 1024 {
            text.pop();
        }
        text
    };
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": description,
        "Metadata": {
            "Loosely": meta_text(&json!({
                "scenario": meta_scenario,
                "component_order": component_order,
                "connection_order": connection_order,
                "alarm_order": alarm_order,
            }))
        },
        "Resources": resources,
    })
}

/// Whether CloudFormation accepts the period: 10, 30, or a multiple of 60 seconds.
pub(crate) fn valid_period(seconds: u32) -> bool {
    seconds == 10 || seconds == 30 || (seconds >= 60 && (seconds / 60) * 60 == seconds)
}

/// An `AWS::CloudWatch::Alarm` on an `AWS/SQS` metric of a queue of the scenario.
fn cloudwatch_alarm(
    alarm: &loosely_scenario::Alarm,
    queues: &BTreeMap<String, String>,
    period: u32,
) -> Option<Value> {
    use loosely_engine::metrics::{Statistic, FIFO_QUEUE_METRICS, QUEUE_METRICS};
    let queue = queues.get(&alarm.component)?;
    let metric = loosely_engine::Metric::parse(&alarm.metric_name)?;
    let sqs = QUEUE_METRICS
        .iter()
        .chain(FIFO_QUEUE_METRICS)
        .any(|m| *m == metric)
        && metric != loosely_engine::Metric::EstimatedCharges;
    if !sqs || !valid_period(period) || !alarm.threshold.is_finite() {
        return None;
    }
    let statistic = match metric.statistic() {
        Statistic::Sum => "Sum",
        Statistic::Maximum => "Maximum",
        Statistic::Average => "Average",
    };
    Some(json!({
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": alarm.alarm_name,
            "Namespace": "AWS/SQS",
            "MetricName": alarm.metric_name,
            "Dimensions": [{"Name": "QueueName", "Value": get_att(queue, "QueueName")}],
            "Statistic": statistic,
            "Period": period,
            "EvaluationPeriods": alarm.evaluation_periods,
            "Threshold": alarm.threshold,
            "ComparisonOperator": to_value(&alarm.comparison_operator),
        }
    }))
}

/// Lets the topics (by `Ref`, which is a topic's ARN) send to the queue.
fn queue_policy(queue: &str, sources: Vec<Value>) -> Value {
    let statement = if sources.is_empty() {
        json!({
            "Effect": "Deny",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": get_att(queue, "Arn"),
        })
    } else {
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": get_att(queue, "Arn"),
            "Condition": {"ArnEquals": {"aws:SourceArn": sources}},
        })
    };
    json!({
        "Type": "AWS::SQS::QueuePolicy",
        "Properties": {
            "Queues": [{"Ref": queue}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
        }
    })
}

/// Lets the topic invoke the function (SNS needs it for a `lambda` subscription).
fn sns_permission(topic: &str, function: &str) -> Value {
    json!({
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": function},
            "Principal": "sns.amazonaws.com",
            "SourceArn": {"Ref": topic},
        }
    })
}

/// An `AWS::Lambda::EventSourceMapping` from a queue to a function.
fn event_source_mapping(queue: &str, function: &str, connection: &Connection) -> Value {
    let mapping = connection.event_source_mapping.clone().unwrap_or_default();
    let Value::Object(mut properties) = to_value(&mapping) else {
        return Value::Null;
    };
    properties.insert("EventSourceArn".to_string(), get_att(queue, "Arn"));
    properties.insert("FunctionName".to_string(), json!({"Ref": function}));
    let mut resource = json!({
        "Type": "AWS::Lambda::EventSourceMapping",
        "Properties": properties,
    });
    if connection.event_source_mapping.is_none() {
        resource["Metadata"] = json!({ "Loosely": meta_text(&json!({"mapping_written": false})) });
    }
    resource
}

/// The code of a function with an arrow to a state machine: one `StartExecution` per record
/// (an SNS message, an SQS body, or the whole event), the record as input.
const START_EXECUTION_HANDLER: &str = r#"import json
import os

import boto3

states = boto3.client("stepfunctions")


def as_input(text):
    try:
        json.loads(text)
        return text
    except (TypeError, ValueError):
        return json.dumps(text)


def handler(event, context):
    for record in event.get("Records", [event]):
        if "Sns" in record:
            body = record["Sns"]["Message"]
        elif "body" in record:
            body = record["body"]
        else:
            body = json.dumps(record)
        states.start_execution(
            stateMachineArn=os.environ["STATE_MACHINE_ARN"], input=as_input(body)
        )
    return {}
"#;

/// A role the service (`states.amazonaws.com`, `lambda.amazonaws.com`) can assume, with
/// these managed policies; what it may call is not simulated.
fn service_role(service: &str, managed_policies: &[Value]) -> Value {
    let mut role = json!({
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": "sts:AssumeRole",
                }],
            },
        }
    });
    if !managed_policies.is_empty() {
        role["Properties"]["ManagedPolicyArns"] = Value::Array(managed_policies.to_vec());
    }
    role
}

fn default_protocol(to: Option<&Component>) -> Protocol {
    match to {
        Some(Component::LambdaFunction(_)) => Protocol::Lambda,
        // The wire-level twin of `v1::protocol_for`, which maps the engine's types.
        Some(Component::Endpoint(node)) => {
            match node.parameters.endpoint_kind.unwrap_or_default() {
                EndpointKind::Http => Protocol::Http,
                EndpointKind::Email => Protocol::Email,
                EndpointKind::Sms => Protocol::Sms,
                EndpointKind::MobilePush => Protocol::Application,
                EndpointKind::Firehose => Protocol::Firehose,
                EndpointKind::Lambda => Protocol::Lambda,
            }
        }
        _ => Protocol::Sqs,
    }
}

/// An `Endpoint` of the protocol's shape for a component that is not a resource.
fn placeholder_endpoint(protocol: Protocol, id: &str) -> String {
    let host: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let host = host.trim_matches('-');
    let host = if host.is_empty() { "endpoint" } else { host };
    match protocol {
        Protocol::Http => format!("http://{host}.example.com/"),
        Protocol::Https => format!("https://{host}.example.com/"),
        Protocol::Email | Protocol::EmailJson => format!("{host}@example.com"),
        Protocol::Sms => "+12065550100".to_string(),
        Protocol::Application => {
            format!("arn:aws:sns:{REGION}:{ACCOUNT}:endpoint/GCM/loosely/{host}")
        }
        Protocol::Firehose => {
            format!("arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/{host}")
        }
        Protocol::Lambda => format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{host}"),
        Protocol::Sqs => format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{id}"),
    }
}

fn subscription_resource(
    topic: &str,
    connection: &Connection,
    to: Option<&Component>,
    queues: &BTreeMap<String, String>,
    functions: &BTreeMap<String, String>,
) -> Value {
    let subscription = connection.subscription.clone().unwrap_or_default();
    let protocol = subscription.protocol.unwrap_or(default_protocol(to));
    let Value::Object(mut properties) = to_value(&subscription) else {
        return Value::Null;
    };
    properties.insert("Protocol".to_string(), to_value(&protocol));
    properties.insert("TopicArn".to_string(), json!({"Ref": topic}));
    let resource_to = match protocol {
        Protocol::Sqs => queues.get(&connection.to),
        Protocol::Lambda => functions.get(&connection.to),
        _ => None,
    };
    let endpoint = match resource_to {
        Some(logical) => get_att(logical, "Arn"),
        None => match to {
            Some(Component::SqsQueue(_)) | None if protocol == Protocol::Sqs => {
                Value::String(connection.to.clone())
            }
            _ => Value::String(placeholder_endpoint(protocol, &connection.to)),
        },
    };
    properties.insert("Endpoint".to_string(), endpoint);
    if let Some(policy) = &subscription.redrive_policy {
        properties["RedrivePolicy"]["deadLetterTargetArn"] =
            queue_arn(&policy.dead_letter_target_arn, queues);
    }
    let mut loosely = Map::new();
    if resource_to.is_none() {
        loosely.insert("to".to_string(), Value::String(connection.to.clone()));
    }
    if subscription.protocol.is_none() {
        loosely.insert("protocol_written".to_string(), Value::Bool(false));
    }
    if connection.subscription.is_none() {
        loosely.insert("subscription_written".to_string(), Value::Bool(false));
    }
    let mut resource = json!({
        "Type": "AWS::SNS::Subscription",
        "Properties": properties,
    });
    if !loosely.is_empty() {
        resource["Metadata"] = json!({ "Loosely": meta_text(&Value::Object(loosely)) });
    }
    resource
}
