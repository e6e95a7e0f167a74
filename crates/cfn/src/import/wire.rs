//! Reading the scenario's wire types from JSON values through [`Scenario::from_json`].
//!
//! Each type is wrapped into the smallest scenario that holds it, written as text and read
//! back with the scenario's own parser. The playground's wasm carries that parser already;
//! `T::deserialize(&Value)` would add a second copy of every type's deserializer (measured:
//! about 180 KB of the wasm before optimisation).

use loosely_scenario::{
    Alarm, ApiParameters, BrokerParameters, BucketParameters, Component,
    ComputeEnvironmentParameters, EventSourceMapping, FlowParameters, JobDefinition,
    JobQueueParameters, LambdaParameters, Protocol, QueueParameters, Scenario,
    StateMachineParameters, Subscription, TopicParameters,
};
use serde_json::{json, Value};

/// A wire type read inside a scenario.
pub(crate) trait Wire: Sized {
    /// The scenario (as JSON) that holds `value` where this type goes.
    fn wrap(value: Value) -> Value;
    /// The value back out of the parsed scenario.
    fn take(scenario: Scenario) -> Option<Self>;
}

/// Reads `T` from a JSON value; the error is serde's message (`unknown field ...`,
/// `missing field ...`, `invalid type ...`).
pub(crate) fn read<T: Wire>(value: Value) -> Result<T, String> {
    let text = T::wrap(value).to_string();
    let scenario = Scenario::from_json(&text).map_err(|error| error.message)?;
    T::take(scenario).ok_or_else(|| "the value is not where it was written".to_string())
}

fn scenario_with(field: &str, value: Value) -> Value {
    let mut scenario = json!({ "version": 1 });
    scenario[field] = value;
    scenario
}

macro_rules! component_parameters {
    ($($parameters:ty => $kind:literal, $variant:ident;)*) => {$(
        impl Wire for $parameters {
            fn wrap(value: Value) -> Value {
                scenario_with(
                    "components",
                    json!([{ "kind": $kind, "id": "c", "parameters": value }]),
                )
            }
            fn take(scenario: Scenario) -> Option<Self> {
                match scenario.components.into_iter().next()? {
                    Component::$variant(node) => Some(node.parameters),
                    _ => None,
                }
            }
        }
    )*};
}

component_parameters! {
    QueueParameters => "sqs_queue", SqsQueue;
    TopicParameters => "sns_topic", SnsTopic;
    StateMachineParameters => "state_machine", StateMachine;
    LambdaParameters => "lambda_function", LambdaFunction;
    ApiParameters => "api_gateway", ApiGateway;
    ComputeEnvironmentParameters => "batch_compute_environment", BatchComputeEnvironment;
    JobQueueParameters => "batch_job_queue", BatchJobQueue;
    BrokerParameters => "mq_broker", MqBroker;
    FlowParameters => "appflow_flow", AppflowFlow;
    BucketParameters => "s3_bucket", S3Bucket;
}

impl Wire for JobDefinition {
    fn wrap(value: Value) -> Value {
        JobQueueParameters::wrap(json!({ "jobDefinition": value }))
    }
    fn take(scenario: Scenario) -> Option<Self> {
        JobQueueParameters::take(scenario)?.job_definition
    }
}

fn connection(field: &str, value: Value) -> Value {
    let mut connection = json!({ "from": "a", "to": "b" });
    connection[field] = value;
    scenario_with("connections", json!([connection]))
}

impl Wire for Subscription {
    fn wrap(value: Value) -> Value {
        connection("subscription", value)
    }
    fn take(scenario: Scenario) -> Option<Self> {
        scenario.connections.into_iter().next()?.subscription
    }
}

impl Wire for EventSourceMapping {
    fn wrap(value: Value) -> Value {
        connection("event_source_mapping", value)
    }
    fn take(scenario: Scenario) -> Option<Self> {
        scenario
            .connections
            .into_iter()
            .next()?
            .event_source_mapping
    }
}

impl Wire for Protocol {
    fn wrap(value: Value) -> Value {
        Subscription::wrap(json!({ "Protocol": value }))
    }
    fn take(scenario: Scenario) -> Option<Self> {
        Subscription::take(scenario)?.protocol
    }
}

impl Wire for Alarm {
    fn wrap(value: Value) -> Value {
        scenario_with("alarms", json!([value]))
    }
    fn take(scenario: Scenario) -> Option<Self> {
        scenario.alarms.into_iter().next()
    }
}

impl Wire for Scenario {
    fn wrap(value: Value) -> Value {
        value
    }
    fn take(scenario: Scenario) -> Option<Self> {
        Some(scenario)
    }
}
