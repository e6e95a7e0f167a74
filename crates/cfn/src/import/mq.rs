//! Amazon MQ: an `AWS::AmazonMQ::Broker` becomes a broker with its engine, deployment mode
//! and instance type. A template holds neither the broker's queues, topics and exchanges nor
//! its clients (applications create them): those are added on the canvas.

use loosely_scenario::{BrokerParameters, Component};
use serde_json::{Map, Value};

use super::{properties, with_parameters, Importer, NOT_SIMULATED_PROPERTY};

pub(super) fn broker(im: &mut Importer, logical: &str, resource: &Map<String, Value>) {
    let kind = "AWS::AmazonMQ::Broker";
    let (meta, mut fields) = im.meta_fields(logical, kind, resource);
    for (key, value) in properties(resource) {
        let path = format!("Resources.{logical}.Properties.{key}");
        let field = match key.as_str() {
            "BrokerName" => continue,
            "EngineType" => "engine",
            "DeploymentMode" => "deployment_mode",
            "HostInstanceType" => "host_instance_type",
            "Users" | "AuthenticationStrategy" | "LdapServerMetadata" => {
                im.skip(path, kind, "users and authentication are not simulated: every client of the broker's VPC connects");
                continue;
            }
            "SubnetIds" | "SecurityGroups" | "PubliclyAccessible" => {
                im.skip(
                    path,
                    kind,
                    "the network is the broker's vpc parameter: clients of the same vpc connect",
                );
                continue;
            }
            _ => {
                im.skip(path, kind, NOT_SIMULATED_PROPERTY);
                continue;
            }
        };
        match im.scalar(&value) {
            // CloudFormation accepts the engine in any case (ActiveMQ, RABBITMQ).
            Ok(Value::String(text)) if field == "engine" => fields.push((
                field.to_string(),
                Value::String(text.to_ascii_uppercase()),
                path,
            )),
            Ok(value) => fields.push((field.to_string(), value, path)),
            Err(reason) => im.skip(path, kind, reason),
        }
    }
    if let Some(parameters) = im.lenient::<BrokerParameters>(fields, kind) {
        im.add_component(logical, &meta, |node| {
            Component::MqBroker(with_parameters(node, parameters))
        });
    }
}
