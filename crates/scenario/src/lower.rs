//! Validation and lowering: wire types in, an engine [`Model`] (or every problem) out.
//!
//! One pass does both, so the checks and the conversion never disagree. Structural problems
//! (version, ids, references, connections, durations) are found here; parameter ranges are
//! the engine's ([`Model::validate`]), whose issues are mapped back to JSON paths. A field
//! whose reference could not be resolved here is not reported a second time by the engine.
//! A topic's subscriptions are its arrows to queues and endpoints, in connection order; an
//! engine issue about `subscriptions[i]` is reported at the arrow that drew it
//! (`connections[k].subscription.FilterPolicy`, `connections[k].to` for the endpoint).
//!
//! Every function here is `#[inline(never)]`: with everything inlined into `analyze`, the
//! release profile (`opt-level = 3`, `codegen-units = 1`) took more than five minutes to
//! compile this crate (LLVM); kept apart, about ten seconds. Lowering runs once per load, so
//! the calls cost nothing that matters.

use std::collections::BTreeMap;
use std::fmt;

use loosely_engine::{
    AlarmSpec, Architecture, Burst, Comparison, ComponentKind, ComponentSpec, ConsumerSpec,
    DeliveryPolicy, EndpointSpec, EventSourceMappingSpec, FaultEffect, FaultSpec, Heartbeat,
    LambdaSpec, LimitProfile, MessageAttribute, MessageVariant, Metric, Model, ModelIssue,
    ProducerSpec, Protocol, Ramp, RedriveAllowPolicy, RedrivePolicy, SimDuration, SimTime, Spike,
    SubscriptionSpec, TopicSpec,
};

use loosely_engine::expect::{Bound, ExpectationSpec, Measure};
use loosely_engine::{
    ApiSpec, ApiType, Authorizer, Backoff, ClientsSpec, EndpointType, Quota, QuotaPeriod, Throttle,
    UsagePlan, WafRateRule,
};

use loosely_engine::autoscaling::{AutoScalingSpec, ScalingMetric, ScalingPolicy, StepAdjustment};

use crate::v1;
use crate::wire::{self, Component, Scenario};

/// One problem of a scenario: where (a JSON path) and what (a sentence with the value and
/// the allowed range).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// `components[3].parameters.VisibilityTimeout`, `connections[0].to`, `version`, ...
    pub path: String,
    pub message: String,
}

impl fmt::Display for Issue {
    #[inline(never)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A scenario lowered into what the engine runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Lowered {
    pub model: Model,
    /// The scenario id of each engine component, by engine index (the same order as the file).
    pub ids: Vec<String>,
    /// How long to run: the scenario's `duration_seconds`.
    pub duration: SimTime,
    /// The scenario's expectations, in file order.
    pub expectations: Vec<ExpectationSpec>,
}

/// A component index the engine rejects; used where a reference could not be resolved and
/// the problem is already reported.
const UNRESOLVED: usize = usize::MAX;

pub(crate) struct Analysis {
    pub issues: Vec<Issue>,
    pub lowered: Lowered,
}

struct Lowerer<'a> {
    scenario: &'a Scenario,
    issues: Vec<Issue>,
    /// Component ids to their first index.
    index_of: BTreeMap<&'a str, usize>,
    /// Queue names to their first index, for ARNs.
    queue_named: BTreeMap<&'a str, usize>,
    /// (component, engine field) pairs already reported here.
    reported: Vec<(usize, String)>,
    /// The connections that are subscriptions of each topic, by component index, in
    /// connection order (a topic's `subscriptions[i]` is connection `subscriptions_of[t][i]`).
    subscriptions_of: Vec<Vec<usize>>,
    /// (alarm, engine field) pairs already reported here.
    reported_alarm: Vec<(usize, &'static str)>,
    /// The state machine each consumer pool or Lambda function starts executions of, by
    /// component index.
    machine_targets: BTreeMap<usize, usize>,
    /// The connections from queues to each Lambda function (its event source mappings), by
    /// component index, in connection order.
    event_sources_of: Vec<Vec<usize>>,
    /// The compute environments of each job queue, in arrow order, by component index.
    environments_of: BTreeMap<usize, Vec<usize>>,
    /// The producers and consumer pools connected to each Amazon MQ broker, by component
    /// index, in component order (the broker's `producers[i]` and `consumers[i]`).
    mq_clients_of: BTreeMap<usize, (Vec<usize>, Vec<usize>)>,
    /// The arrows out of each WebSocket API (its integrations), by component index.
    api_arrows: BTreeMap<usize, Vec<usize>>,
    /// The engine's faults, and the path of each in the file (`faults[2]`, or an
    /// endpoint's `components[4].parameters.downtime[0]`).
    faults: Vec<(FaultSpec, String)>,
}

pub(crate) fn analyze(scenario: &Scenario) -> Analysis {
    let mut lowerer = Lowerer {
        scenario,
        issues: Vec::new(),
        index_of: BTreeMap::new(),
        queue_named: BTreeMap::new(),
        reported: Vec::new(),
        reported_alarm: Vec::new(),
        subscriptions_of: Vec::new(),
        api_arrows: BTreeMap::new(),
        machine_targets: BTreeMap::new(),
        event_sources_of: vec![Vec::new(); scenario.components.len()],
        environments_of: BTreeMap::new(),
        mq_clients_of: BTreeMap::new(),
        faults: Vec::new(),
    };
    lowerer.check_top_level();
    lowerer.index_components();
    let (targets, sources) = lowerer.connect();
    lowerer.collect_mq_clients(&targets, &sources);
    let components = scenario
        .components
        .iter()
        .enumerate()
        .map(|(index, component)| {
            lowerer.lower_component(index, component, targets[index], sources[index])
        })
        .collect();
    let alarms = scenario
        .alarms
        .iter()
        .enumerate()
        .map(|(index, alarm)| lowerer.lower_alarm(index, alarm))
        .collect();
    // The file's faults come first, so that engine fault i is the file's `faults[i]`; the
    // endpoints' downtime windows (lowered with their endpoints) follow.
    let downtime_faults = lowerer.faults.len();
    lowerer.lower_faults();
    lowerer.faults.rotate_left(downtime_faults);
    let faults = lowerer
        .faults
        .iter()
        .map(|(spec, _)| spec.clone())
        .collect();
    let model = Model {
        seed: scenario.seed,
        limit_profile: match scenario.limit_profile {
            wire::LimitProfile::Current => LimitProfile::Current,
            wire::LimitProfile::Exam => LimitProfile::Exam,
        },
        metric_period: SimDuration::from_secs(u64::from(scenario.metric_period_seconds)),
        free_tier: scenario.free_tier,
        components,
        alarms,
        lambda_account_concurrency: scenario
            .account
            .lambda_concurrent_executions
            .unwrap_or(v1::LAMBDA_ACCOUNT_CONCURRENCY),
        api_account_throttle: scenario
            .account
            .api_gateway_throttle
            .as_ref()
            .map(lower_throttle)
            .unwrap_or(v1::API_ACCOUNT_THROTTLE),
        ws_connect_rate: scenario
            .account
            .websocket_new_connections_per_second
            .unwrap_or(v1::WS_NEW_CONNECTIONS_PER_SECOND),
        faults,
    };
    for issue in model.validate() {
        lowerer.push_engine_issue(issue);
    }
    let expectations = scenario
        .expectations
        .iter()
        .enumerate()
        .filter_map(|(index, expectation)| lowerer.lower_expectation(index, expectation))
        .collect();
    Analysis {
        issues: lowerer.issues,
        lowered: Lowered {
            ids: scenario
                .components
                .iter()
                .map(|c| c.id().to_string())
                .collect(),
            duration: SimTime::from_secs(scenario.duration_seconds),
            model,
            expectations,
        },
    }
}

impl<'a> Lowerer<'a> {
    #[inline(never)]
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            path: path.into(),
            message: message.into(),
        });
    }

    #[inline(never)]
    fn mark_reported(&mut self, component: usize, field: impl Into<String>) {
        self.reported.push((component, field.into()));
    }

    #[inline(never)]
    fn check_top_level(&mut self) {
        let scenario = self.scenario;
        if scenario.version != v1::VERSION {
            self.push(
                "version",
                format!(
                    "{} is not supported; this build reads version {}",
                    scenario.version,
                    v1::VERSION
                ),
            );
        }
        if !(1..=v1::MAX_DURATION_SECONDS).contains(&scenario.duration_seconds) {
            self.push(
                "duration_seconds",
                format!(
                    "{} is outside 1..={} seconds (one year)",
                    scenario.duration_seconds,
                    v1::MAX_DURATION_SECONDS
                ),
            );
        }
    }

    #[inline(never)]
    fn index_components(&mut self) {
        let scenario = self.scenario;
        for (index, component) in scenario.components.iter().enumerate() {
            let id = component.id();
            if id.is_empty() {
                self.push(format!("components[{index}].id"), "must not be empty");
                if component.display_name().is_empty() {
                    // The name defaults to the id: one problem, reported once.
                    self.mark_reported(index, "name");
                }
            } else if let Some(first) = self.index_of.get(id) {
                let first = *first;
                self.push(
                    format!("components[{index}].id"),
                    format!("\"{id}\" is already the id of components[{first}]"),
                );
            } else {
                self.index_of.insert(id, index);
            }
            if let Component::SqsQueue(_) = component {
                self.queue_named
                    .entry(component.display_name())
                    .or_insert(index);
            }
        }
    }

    #[inline(never)]
    fn component(&self, index: usize) -> Option<&'a Component> {
        self.scenario.components.get(index)
    }

    /// Resolves the connections: the target queue of each producer and the source queue of
    /// each consumer (UNRESOLVED when missing or ambiguous, and reported).
    #[inline(never)]
    fn connect(&mut self) -> (Vec<usize>, Vec<usize>) {
        let scenario = self.scenario;
        let count = scenario.components.len();
        let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); count];
        let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); count];
        let mut subscriptions: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (index, connection) in scenario.connections.iter().enumerate() {
            let from = self.resolve_id(&format!("connections[{index}].from"), &connection.from);
            let to = self.resolve_id(&format!("connections[{index}].to"), &connection.to);
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            let (Some(source), Some(target)) = (self.component(from), self.component(to)) else {
                continue;
            };
            let is_subscription = matches!(
                (source, target),
                (
                    Component::SnsTopic(_),
                    Component::SqsQueue(_) | Component::Endpoint(_) | Component::LambdaFunction(_)
                )
            );
            if connection.subscription.is_some() && !is_subscription {
                self.push(
                    format!("connections[{index}].subscription"),
                    format!(
                        "only an arrow from an SNS topic to a queue, an endpoint or a Lambda function is a subscription; this one goes from {} to {}",
                        with_article(source.kind_words()),
                        with_article(target.kind_words())
                    ),
                );
            }
            let is_event_source = matches!(
                (source, target),
                (Component::SqsQueue(_), Component::LambdaFunction(_))
            );
            if connection.event_source_mapping.is_some() && !is_event_source {
                self.push(
                    format!("connections[{index}].event_source_mapping"),
                    format!(
                        "only an arrow from an SQS queue to a Lambda function is an event source mapping; this one goes from {} to {}",
                        with_article(source.kind_words()),
                        with_article(target.kind_words())
                    ),
                );
            }
            let refusal = match (source, target) {
                (
                    Component::ClientPopulation(_),
                    Component::ApiGateway(_) | Component::ApplicationLoadBalancer(_),
                )
                | (
                    Component::ApiGateway(_),
                    Component::LambdaFunction(_)
                    | Component::SqsQueue(_)
                    | Component::SnsTopic(_)
                    | Component::StateMachine(_)
                    | Component::Endpoint(_),
                ) => {
                    if let Some(list) = outgoing.get_mut(from) {
                        list.push(to);
                    }
                    None
                }
                (_, Component::ApiGateway(_)) => Some(format!(
                    "an API Gateway API is called by a client population connected to it; \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (_, Component::ClientPopulation(_)) => Some(format!(
                    "nothing connects into a client population; \"{}\" is one, connect it to the API or load balancer it calls",
                    connection.to
                )),
                (_, Component::ApplicationLoadBalancer(_)) => Some(format!(
                    "an Application Load Balancer is called by a client population connected to it; \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (Component::ApplicationLoadBalancer(_), _) => Some(
                    "an Application Load Balancer's targets are its own instances (its `instances` parameter); it has no outgoing connections".to_string(),
                ),
                (
                    Component::Consumer(_) | Component::LambdaFunction(_),
                    Component::StateMachine(_),
                ) => {
                    if let Some(first) = self.machine_targets.insert(from, to) {
                        self.machine_targets.insert(from, first);
                        Some(format!(
                            "{} starts executions of one state machine; \"{}\" already starts \"{}\"",
                            source.starter_words(),
                            connection.from,
                            scenario.components[first].id()
                        ))
                    } else {
                        None
                    }
                }
                (Component::BatchJobQueue(_), Component::BatchComputeEnvironment(_)) => {
                    self.environments_of.entry(from).or_default().push(to);
                    None
                }
                (_, Component::BatchComputeEnvironment(_)) => Some(format!(
                    "a compute environment is connected from the Batch job queues that use it; \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (Component::MqBroker(_), Component::Consumer(_)) => {
                    if let Some(list) = incoming.get_mut(to) {
                        list.push(from);
                    }
                    None
                }
                (
                    Component::Producer(_),
                    Component::SqsQueue(_)
                    | Component::SnsTopic(_)
                    | Component::StateMachine(_)
                    | Component::BatchJobQueue(_)
                    | Component::MqBroker(_),
                ) => {
                    if let Some(list) = outgoing.get_mut(from) {
                        list.push(to);
                    }
                    None
                }
                (_, Component::MqBroker(_)) => Some(format!(
                    "an Amazon MQ broker receives messages from a producer connected to it; \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (_, Component::BatchJobQueue(_)) => Some(format!(
                    "a Batch job queue receives jobs from a producer (SubmitJob) or from a state machine's batch:submitJob task; \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (_, Component::StateMachine(_)) => Some(format!(
                    "a state machine is started by a producer, a consumer pool or a Lambda function connected to it (or by a states:startExecution task); \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (Component::SqsQueue(_), Component::LambdaFunction(_)) => {
                    if let Some(list) = self.event_sources_of.get_mut(to) {
                        list.push(index);
                    }
                    None
                }
                (
                    Component::SnsTopic(_),
                    Component::SqsQueue(_) | Component::Endpoint(_) | Component::LambdaFunction(_),
                ) => {
                    if let Some(list) = subscriptions.get_mut(from) {
                        list.push(index);
                    }
                    None
                }
                (Component::SqsQueue(_), Component::Consumer(_)) => {
                    if let Some(list) = incoming.get_mut(to) {
                        list.push(from);
                    }
                    None
                }
                (_, Component::Consumer(_)) => Some(format!(
                    "a consumer reads from a queue or an Amazon MQ broker; \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (Component::SqsQueue(_), Component::SqsQueue(_)) => Some(
                    "a queue is not connected to another queue; a dead-letter queue is set with the source queue's RedrivePolicy".to_string(),
                ),
                (_, Component::SqsQueue(_)) => Some(format!(
                    "a queue receives messages from a producer or an SNS topic; \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (_, Component::SnsTopic(_)) => Some(format!(
                    "an SNS topic receives messages a producer publishes; \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (_, Component::Endpoint(_)) => Some(format!(
                    "an endpoint receives deliveries of an SNS topic it subscribes to; \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (_, Component::LambdaFunction(_)) => Some(format!(
                    "a Lambda function is invoked by an SQS queue connected to it (an event source mapping) or by an SNS topic it subscribes to; \"{}\" is {}",
                    connection.from,
                    with_article(source.kind_words())
                )),
                (_, Component::S3Bucket(_)) => Some(format!(
                    "nothing connects into an S3 bucket; a producer stores large bodies in \"{}\" through its message.extended_client_bucket",
                    connection.to
                )),
                (Component::AppflowFlow(_), _) | (_, Component::AppflowFlow(_)) => Some(
                    "an AppFlow flow has no connections: its source and destination are its sourceFlowConfig and destinationFlowConfigList".to_string(),
                ),
                (_, Component::Producer(_)) => Some(format!(
                    "nothing connects into a producer; \"{}\" is a producer, connect it to the queue or topic it sends to",
                    connection.to
                )),
            };
            if let Some(refusal) = refusal {
                self.push(format!("connections[{index}]"), refusal);
            }
        }
        let mut targets = vec![UNRESOLVED; count];
        let mut sources = vec![UNRESOLVED; count];
        for (index, component) in scenario.components.iter().enumerate() {
            match component {
                Component::Producer(_) => {
                    let list = outgoing.get(index).map(Vec::as_slice).unwrap_or(&[]);
                    if let [queue] = list {
                        targets[index] = *queue;
                    } else {
                        self.mark_reported(index, "target");
                        self.push(
                            format!("components[{index}]"),
                            format!(
                                "a producer needs exactly one connection to a queue, an SNS topic, a state machine, a Batch job queue or an Amazon MQ broker; \"{}\" has {}",
                                component.id(),
                                list.len()
                            ),
                        );
                    }
                }
                Component::Consumer(_) => {
                    let list = incoming.get(index).map(Vec::as_slice).unwrap_or(&[]);
                    if let [queue] = list {
                        sources[index] = *queue;
                    } else {
                        self.mark_reported(index, "source");
                        self.push(
                            format!("components[{index}]"),
                            format!(
                                "a consumer needs exactly one connection from a queue or an Amazon MQ broker; \"{}\" has {}",
                                component.id(),
                                list.len()
                            ),
                        );
                    }
                }
                Component::ApiGateway(node)
                    if node.parameters.api_type == Some(wire::ApiType::WebSocket) =>
                {
                    // A WebSocket API's arrows are its routes' integrations.
                    let list = outgoing.get(index).cloned().unwrap_or_default();
                    self.mark_reported(index, "integration");
                    self.api_arrows.insert(index, list);
                }
                Component::ApiGateway(_) | Component::ClientPopulation(_) => {
                    let list = outgoing.get(index).map(Vec::as_slice).unwrap_or(&[]);
                    if let [target] = list {
                        targets[index] = *target;
                    } else {
                        let (field, needs) = if matches!(component, Component::ApiGateway(_)) {
                            ("integration", "an API needs exactly one integration: a connection to a Lambda function, a queue, an SNS topic, a state machine or an endpoint")
                        } else {
                            ("target", "a client population needs exactly one connection to an API Gateway API or an Application Load Balancer")
                        };
                        self.mark_reported(index, field);
                        self.push(
                            format!("components[{index}]"),
                            format!("{needs}; \"{}\" has {}", component.id(), list.len()),
                        );
                    }
                }
                Component::SqsQueue(_)
                | Component::SnsTopic(_)
                | Component::Endpoint(_)
                | Component::S3Bucket(_)
                | Component::StateMachine(_)
                | Component::LambdaFunction(_)
                | Component::BatchComputeEnvironment(_)
                | Component::BatchJobQueue(_)
                | Component::MqBroker(_)
                | Component::ApplicationLoadBalancer(_) => {}
                Component::AppflowFlow(_) => {}
            }
        }
        self.subscriptions_of = subscriptions;
        (targets, sources)
    }

    #[inline(never)]
    fn resolve_id(&mut self, path: &str, id: &str) -> Option<usize> {
        let found = self.index_of.get(id).copied();
        if found.is_none() {
            self.push(path, format!("\"{id}\" is not the id of a component"));
        }
        found
    }

    /// A queue named by component id or by ARN (`arn:aws:sqs:<region>:<account>:<name>`).
    #[inline(never)]
    fn resolve_queue(&mut self, path: &str, reference: &str) -> Option<usize> {
        let found = if reference.starts_with("arn:") {
            let parts: Vec<&str> = reference.split(':').collect();
            match parts.as_slice() {
                ["arn", _partition, "sqs", _region, _account, name] => {
                    let found = self.queue_named.get(name).copied();
                    if found.is_none() {
                        self.push(
                            path,
                            format!("\"{reference}\": no queue is named \"{name}\""),
                        );
                        return None;
                    }
                    found
                }
                _ => {
                    self.push(
                        path,
                        format!(
                            "\"{reference}\" is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue name>)"
                        ),
                    );
                    return None;
                }
            }
        } else {
            self.index_of.get(reference).copied()
        };
        match found.and_then(|index| self.component(index).map(|c| (index, c))) {
            Some((index, Component::SqsQueue(_))) => Some(index),
            Some((_, other)) => {
                self.push(
                    path,
                    format!("\"{reference}\" is a {}, not a queue", other.kind_words()),
                );
                None
            }
            None => {
                self.push(
                    path,
                    format!("\"{reference}\" is neither the id of a queue nor a queue ARN"),
                );
                None
            }
        }
    }

    /// Seconds written as a float, which must be finite and not negative.
    #[inline(never)]
    fn seconds(&mut self, path: String, value: f64) -> SimDuration {
        if !value.is_finite() || value < 0.0 {
            self.push(
                path,
                format!("{value} must be a finite number >= 0 seconds"),
            );
        }
        SimDuration::from_secs_f64(value)
    }

    #[inline(never)]
    fn lower_component(
        &mut self,
        index: usize,
        component: &Component,
        target: usize,
        source: usize,
    ) -> ComponentSpec {
        let name = component.display_name().to_string();
        let kind = match component {
            Component::SqsQueue(node) => ComponentKind::Queue(self.lower_queue(index, node)),
            Component::Producer(node) => {
                ComponentKind::Producer(self.lower_producer(index, &node.parameters, target))
            }
            Component::Consumer(node) => {
                let mut spec = lower_consumer(&node.parameters, source);
                spec.auto_scaling = node
                    .parameters
                    .auto_scaling
                    .as_ref()
                    .and_then(|group| self.lower_auto_scaling(index, group));
                spec.target = self.machine_targets.get(&index).copied();
                ComponentKind::Consumer(spec)
            }
            Component::StateMachine(node) => {
                ComponentKind::StateMachine(self.lower_state_machine(index, &node.parameters))
            }
            Component::SnsTopic(node) => {
                ComponentKind::Topic(self.lower_topic(index, &node.parameters))
            }
            Component::Endpoint(node) => {
                ComponentKind::Endpoint(self.lower_endpoint(index, &node.parameters))
            }
            Component::S3Bucket(node) => {
                let name = if node.name.is_empty() {
                    &node.id
                } else {
                    &node.name
                };
                ComponentKind::Bucket(self.lower_bucket(index, name, &node.parameters))
            }
            Component::LambdaFunction(node) => {
                let mut spec = self.lower_lambda(index, &node.parameters);
                spec.start_execution = self.machine_targets.get(&index).copied();
                ComponentKind::Lambda(spec)
            }
            Component::ApiGateway(node) => {
                let mut spec = lower_api(&node.parameters, target);
                spec.websocket = self.lower_routes(index, &node.parameters);
                ComponentKind::Api(spec)
            }
            Component::ClientPopulation(node) => {
                ComponentKind::Clients(self.lower_clients(index, &node.parameters, target))
            }
            Component::BatchComputeEnvironment(node) => ComponentKind::BatchComputeEnvironment(
                self.lower_compute_environment(index, &node.parameters),
            ),
            Component::BatchJobQueue(node) => {
                ComponentKind::BatchJobQueue(self.lower_job_queue(index, &node.parameters))
            }
            Component::MqBroker(node) => {
                ComponentKind::Broker(self.lower_broker(index, &node.parameters))
            }
            Component::AppflowFlow(node) => {
                ComponentKind::Flow(self.lower_flow(index, &node.parameters))
            }
            Component::ApplicationLoadBalancer(node) => {
                ComponentKind::LoadBalancer(lower_load_balancer(&node.parameters))
            }
        };
        ComponentSpec { name, kind }
    }

    #[inline(never)]
    fn lower_state_machine(
        &mut self,
        index: usize,
        p: &wire::StateMachineParameters,
    ) -> loosely_engine::StateMachineSpec {
        use loosely_engine::asl::{self, ExecutionKind, MockConfig};
        let at = |field: &str| format!("components[{index}].parameters.{field}");
        // A definition that does not validate still lowers (to a one-state machine) so that
        // every other problem is reported too; the issue keeps the model from running.
        let fallback = || {
            asl::validate(r#"{"StartAt": "Invalid", "States": {"Invalid": {"Type": "Succeed"}}}"#)
                .map(std::sync::Arc::new)
        };
        let definition = match &p.definition {
            None => {
                self.push(
                    at("Definition"),
                    "is required: the Amazon States Language JSON object",
                );
                fallback()
            }
            Some(value) => match asl::validate(&value.to_string()) {
                Ok(machine) => Ok(std::sync::Arc::new(machine)),
                Err(issues) => {
                    for issue in issues {
                        let rest = issue.path.strip_prefix('$').unwrap_or(&issue.path);
                        self.push(
                            format!("{}{rest}", at("Definition")),
                            format!("{} ({})", issue.message, issue.code),
                        );
                    }
                    fallback()
                }
            },
        };
        let Ok(definition) = definition else {
            unreachable!("the fallback definition is valid")
        };
        let kind = match p.r#type {
            None => v1::STATE_MACHINE_TYPE,
            Some(wire::StateMachineType::Standard) => ExecutionKind::Standard,
            Some(wire::StateMachineType::Express) => ExecutionKind::Express,
        };
        let mut spec = loosely_engine::StateMachineSpec::new(definition, kind);
        if let Some(burst) = p.start_execution_burst {
            spec.start_burst = burst;
        }
        if let Some(refill) = p.start_execution_refill_per_second {
            spec.start_refill_per_second = refill;
        }
        spec.memory_mb = p.memory_mb.unwrap_or(v1::STATE_MACHINE_MEMORY_MB);
        spec.duplicate_execution_probability = p.duplicate_execution_probability.unwrap_or(0.0);
        match (&p.mock_config, &p.test_case) {
            (None, None) => {}
            (Some(_), None) => self.push(
                at("TestCase"),
                "is required with MockConfig: the test case to answer from",
            ),
            (None, Some(_)) => self.push(at("TestCase"), "needs a MockConfig"),
            (Some(config), Some(case)) => match MockConfig::parse(&config.to_string()) {
                Ok(config) => spec.mock = Some((config, case.clone())),
                Err(error) => {
                    let (path, message) = error.split_once(": ").unwrap_or(("$", &error));
                    let rest = path.strip_prefix('$').unwrap_or(path);
                    self.push(format!("{}{rest}", at("MockConfig")), message.to_string());
                }
            },
        }
        spec
    }

    #[inline(never)]
    fn lower_queue(
        &mut self,
        index: usize,
        node: &wire::Node<wire::QueueParameters>,
    ) -> loosely_engine::QueueSpec {
        let p = &node.parameters;
        let defaults = v1::queue();
        let path = |field: &str| format!("components[{index}].parameters.{field}");
        let redrive_policy = match &p.redrive_policy {
            None => None,
            Some(policy) => {
                let target = self
                    .resolve_queue(
                        &path("RedrivePolicy.deadLetterTargetArn"),
                        &policy.dead_letter_target_arn,
                    )
                    .unwrap_or_else(|| {
                        self.mark_reported(index, "RedrivePolicy.deadLetterTargetArn");
                        UNRESOLVED
                    });
                Some(RedrivePolicy {
                    dead_letter_target: target,
                    max_receive_count: policy.max_receive_count.unwrap_or(v1::MAX_RECEIVE_COUNT),
                })
            }
        };
        let redrive_allow_policy = match &p.redrive_allow_policy {
            None => defaults.redrive_allow_policy.clone(),
            Some(policy) => match policy.redrive_permission {
                wire::RedrivePermission::AllowAll | wire::RedrivePermission::DenyAll
                    if !policy.source_queue_arns.is_empty() =>
                {
                    self.push(
                        path("RedriveAllowPolicy.sourceQueueArns"),
                        "only allowed with redrivePermission byQueue",
                    );
                    RedriveAllowPolicy::AllowAll
                }
                wire::RedrivePermission::AllowAll => RedriveAllowPolicy::AllowAll,
                wire::RedrivePermission::DenyAll => RedriveAllowPolicy::DenyAll,
                wire::RedrivePermission::ByQueue => {
                    let mut sources = Vec::new();
                    for (i, arn) in policy.source_queue_arns.iter().enumerate() {
                        let at = path(&format!("RedriveAllowPolicy.sourceQueueArns[{i}]"));
                        if let Some(queue) = self.resolve_queue(&at, arn) {
                            sources.push(queue);
                        }
                    }
                    RedriveAllowPolicy::ByQueue(sources)
                }
            },
        };
        loosely_engine::QueueSpec {
            fifo_queue: p.fifo_queue.unwrap_or(defaults.fifo_queue),
            visibility_timeout: p.visibility_timeout.unwrap_or(defaults.visibility_timeout),
            delay_seconds: p.delay_seconds.unwrap_or(defaults.delay_seconds),
            message_retention_period: p
                .message_retention_period
                .unwrap_or(defaults.message_retention_period),
            receive_message_wait_time_seconds: p
                .receive_message_wait_time_seconds
                .unwrap_or(defaults.receive_message_wait_time_seconds),
            maximum_message_size: p.maximum_message_size.unwrap_or(
                match self.scenario.limit_profile {
                    wire::LimitProfile::Current => defaults.maximum_message_size,
                    wire::LimitProfile::Exam => v1::EXAM_MAXIMUM_MESSAGE_SIZE,
                },
            ),
            redrive_policy,
            redrive_allow_policy,
            content_based_deduplication: p
                .content_based_deduplication
                .unwrap_or(defaults.content_based_deduplication),
            deduplication_scope: match p.deduplication_scope {
                None => defaults.deduplication_scope,
                Some(wire::DeduplicationScope::Queue) => loosely_engine::DeduplicationScope::Queue,
                Some(wire::DeduplicationScope::MessageGroup) => {
                    loosely_engine::DeduplicationScope::MessageGroup
                }
            },
            fifo_throughput_limit: match p.fifo_throughput_limit {
                None => defaults.fifo_throughput_limit,
                Some(wire::FifoThroughputLimit::PerQueue) => {
                    loosely_engine::FifoThroughputLimit::PerQueue
                }
                Some(wire::FifoThroughputLimit::PerMessageGroupId) => {
                    loosely_engine::FifoThroughputLimit::PerMessageGroupId
                }
            },
            // A KMS key replaces SSE-SQS unless the file says otherwise (AWS: one SSE per queue).
            sqs_managed_sse_enabled: p
                .sqs_managed_sse_enabled
                .unwrap_or(defaults.sqs_managed_sse_enabled && p.kms_master_key_id.is_none()),
            kms_master_key_id: p.kms_master_key_id.clone(),
            kms_data_key_reuse_period_seconds: p
                .kms_data_key_reuse_period_seconds
                .unwrap_or(defaults.kms_data_key_reuse_period_seconds),
            duplicate_delivery_probability: p
                .duplicate_delivery_probability
                .unwrap_or(defaults.duplicate_delivery_probability),
            reorder_probability: p
                .reorder_probability
                .unwrap_or(defaults.reorder_probability),
            allowed_source_topics: match &p.allowed_source_topics {
                None => defaults.allowed_source_topics,
                Some(ids) => Some(
                    ids.iter()
                        .enumerate()
                        .filter_map(|(i, id)| {
                            self.resolve_kind(
                                &path(&format!("allowed_source_topics[{i}]")),
                                id,
                                |c| matches!(c, Component::SnsTopic(_)),
                                "an SNS topic",
                            )
                        })
                        .collect(),
                ),
            },
        }
    }

    /// A component of one kind, by id; a missing id or another kind is reported.
    #[inline(never)]
    fn resolve_kind(
        &mut self,
        path: &str,
        id: &str,
        is_kind: fn(&Component) -> bool,
        kind_words: &str,
    ) -> Option<usize> {
        let index = self.resolve_id(path, id)?;
        let component = self.component(index)?;
        if is_kind(component) {
            Some(index)
        } else {
            self.push(
                path,
                format!(
                    "\"{id}\" is {}, not {kind_words}",
                    with_article(component.kind_words())
                ),
            );
            None
        }
    }

    #[inline(never)]
    fn lower_topic(&mut self, index: usize, p: &wire::TopicParameters) -> TopicSpec {
        let defaults = v1::topic();
        let path = |field: &str| format!("components[{index}].parameters.{field}");
        let allowed_publishers = p.allowed_publishers.as_ref().map(|ids| {
            ids.iter()
                .enumerate()
                .filter_map(|(i, id)| {
                    self.resolve_kind(
                        &path(&format!("allowed_publishers[{i}]")),
                        id,
                        |c| matches!(c, Component::Producer(_)),
                        "a producer",
                    )
                })
                .collect()
        });
        let delivery_policy = p.delivery_policy.as_ref().map(|policy| {
            lower_delivery_policy(
                policy.http.default_healthy_retry_policy.as_ref(),
                policy.http.default_throttle_policy.as_ref(),
            )
        });
        let connections = self
            .subscriptions_of
            .get(index)
            .cloned()
            .unwrap_or_default();
        let subscriptions = connections
            .iter()
            .enumerate()
            .map(|(i, &connection)| self.lower_subscription(index, i, connection))
            .collect();
        TopicSpec {
            fifo_topic: p.fifo_topic.unwrap_or(defaults.fifo_topic),
            content_based_deduplication: p
                .content_based_deduplication
                .unwrap_or(defaults.content_based_deduplication),
            fifo_throughput_scope: match p.fifo_throughput_scope {
                None => defaults.fifo_throughput_scope,
                Some(wire::FifoThroughputScope::Topic) => {
                    loosely_engine::FifoThroughputScope::Topic
                }
                Some(wire::FifoThroughputScope::MessageGroup) => {
                    loosely_engine::FifoThroughputScope::MessageGroup
                }
            },
            delivery_policy,
            allowed_publishers,
            subscriptions,
        }
    }

    /// Subscription `position` of topic `topic`, drawn as connection `connection`.
    #[inline(never)]
    fn lower_subscription(
        &mut self,
        topic: usize,
        position: usize,
        connection: usize,
    ) -> SubscriptionSpec {
        let defaults = v1::subscription();
        let Some(arrow) = self.scenario.connections.get(connection) else {
            return defaults;
        };
        let endpoint = self
            .index_of
            .get(arrow.to.as_str())
            .copied()
            .unwrap_or(UNRESOLVED);
        let natural = match self.component(endpoint) {
            Some(Component::Endpoint(node)) => {
                v1::protocol_for(lower_endpoint_kind(node.parameters.endpoint_kind))
            }
            Some(Component::LambdaFunction(_)) => Protocol::Lambda,
            _ => defaults.protocol,
        };
        let Some(sub) = &arrow.subscription else {
            return SubscriptionSpec {
                endpoint,
                protocol: natural,
                ..defaults
            };
        };
        let dead_letter_queue = sub.redrive_policy.as_ref().map(|policy| {
            let found = self.resolve_queue(
                &format!(
                    "connections[{connection}].subscription.RedrivePolicy.deadLetterTargetArn"
                ),
                &policy.dead_letter_target_arn,
            );
            if found.is_none() {
                self.mark_reported(
                    topic,
                    format!("subscriptions[{position}].RedrivePolicy.deadLetterTargetArn"),
                );
            }
            found.unwrap_or(UNRESOLVED)
        });
        SubscriptionSpec {
            endpoint,
            protocol: match sub.protocol {
                None => natural,
                Some(protocol) => lower_protocol(protocol),
            },
            // Serializing a JSON value cannot fail; the engine parses the text again.
            filter_policy: sub
                .filter_policy
                .as_ref()
                .map(|policy| serde_json::to_string(policy).unwrap_or_default()),
            filter_policy_scope: match sub.filter_policy_scope {
                None => defaults.filter_policy_scope,
                Some(wire::FilterPolicyScope::MessageAttributes) => {
                    loosely_engine::FilterScope::MessageAttributes
                }
                Some(wire::FilterPolicyScope::MessageBody) => {
                    loosely_engine::FilterScope::MessageBody
                }
            },
            raw_message_delivery: sub
                .raw_message_delivery
                .unwrap_or(defaults.raw_message_delivery),
            delivery_policy: sub.delivery_policy.as_ref().map(|policy| {
                lower_delivery_policy(
                    policy.healthy_retry_policy.as_ref(),
                    policy.throttle_policy.as_ref(),
                )
            }),
            dead_letter_queue,
        }
    }

    /// A consumer pool's Auto Scaling group; `None` (reported) without exactly one policy.
    #[inline(never)]
    fn lower_auto_scaling(
        &mut self,
        index: usize,
        group: &wire::AutoScaling,
    ) -> Option<AutoScalingSpec> {
        let path = |field: &str| format!("components[{index}].parameters.auto_scaling.{field}");
        let metric = |name: wire::ScalingMetricName| match name {
            wire::ScalingMetricName::ApproximateNumberOfMessagesVisible => {
                ScalingMetric::VisibleMessages
            }
            wire::ScalingMetricName::BacklogPerInstance => ScalingMetric::BacklogPerInstance,
        };
        let policy = match (
            &group.target_tracking_configuration,
            &group.step_scaling_policy,
        ) {
            (Some(target), None) => ScalingPolicy::TargetTracking {
                metric: metric(target.metric_name),
                target_value: target.target_value,
            },
            (None, Some(step)) => ScalingPolicy::StepScaling {
                metric: metric(step.metric_name),
                threshold: step.threshold,
                steps: step
                    .step_adjustments
                    .iter()
                    .map(|s| StepAdjustment {
                        lower: s.metric_interval_lower_bound,
                        upper: s.metric_interval_upper_bound,
                        adjustment: s.scaling_adjustment,
                    })
                    .collect(),
            },
            (both, _) => {
                let how = if both.is_some() { "both" } else { "neither" };
                self.push(
                    path("TargetTrackingConfiguration"),
                    format!("an Auto Scaling group here needs exactly one of TargetTrackingConfiguration and StepScalingPolicy; this one has {how}"),
                );
                return None;
            }
        };
        let mut seconds = |field: &str, value: Option<f64>, default: u64| match value {
            Some(value) => self.seconds(path(field), value),
            None => SimDuration::from_secs(default),
        };
        Some(AutoScalingSpec {
            min_size: group.min_size,
            max_size: group.max_size,
            instance_warmup: seconds(
                "DefaultInstanceWarmup",
                group.default_instance_warmup,
                v1::AUTO_SCALING_WARMUP_SECONDS,
            ),
            cooldown: seconds(
                "DefaultCooldown",
                group.default_cooldown,
                v1::AUTO_SCALING_COOLDOWN_SECONDS,
            ),
            policy,
        })
    }

    /// A WebSocket API's routes, each naming one of the API's arrows as its integration;
    /// every arrow is some route's integration. Routes on another type of API are refused.
    #[inline(never)]
    fn lower_routes(
        &mut self,
        index: usize,
        p: &wire::ApiParameters,
    ) -> Option<loosely_engine::WebSocketSpec> {
        let path = |field: &str| format!("components[{index}].parameters.{field}");
        if p.api_type != Some(wire::ApiType::WebSocket) {
            if !p.routes.is_empty() {
                self.push(
                    path("Routes"),
                    "only a WEBSOCKET API has routes; a REST or HTTP API calls the one integration its arrow points to".to_string(),
                );
            }
            if p.route_selection_expression.is_some() {
                self.push(
                    path("RouteSelectionExpression"),
                    "only a WEBSOCKET API selects routes".to_string(),
                );
            }
            return None;
        }
        let arrows = self.api_arrows.get(&index).cloned().unwrap_or_default();
        let mut used = vec![false; arrows.len()];
        let mut routes = Vec::new();
        for (i, route) in p.routes.iter().enumerate() {
            let field = format!("Routes[{i}].Target");
            let integration = match self.index_of.get(route.target.as_str()).copied() {
                Some(target) => match arrows.iter().position(|&a| a == target) {
                    Some(arrow) => {
                        used[arrow] = true;
                        target
                    }
                    None => {
                        self.mark_reported(index, field.clone());
                        self.push(
                            path(&field),
                            format!(
                                "\"{}\" is not connected from this API: draw an arrow from the API to it",
                                route.target
                            ),
                        );
                        UNRESOLVED
                    }
                },
                None => {
                    self.mark_reported(index, field.clone());
                    self.push(
                        path(&field),
                        format!("\"{}\" is not the id of a component", route.target),
                    );
                    UNRESOLVED
                }
            };
            routes.push(loosely_engine::RouteSpec {
                route_key: route.route_key.clone(),
                integration,
                throttle: route.throttle.as_ref().map(lower_throttle),
            });
        }
        for (arrow, used) in arrows.iter().zip(used) {
            if !used {
                self.push(
                    format!("components[{index}]"),
                    format!(
                        "the arrow to \"{}\" is the integration of no route: name it as the Target of a route, or remove it",
                        self.scenario.components[*arrow].id()
                    ),
                );
            }
        }
        Some(loosely_engine::WebSocketSpec {
            route_selection_expression: p
                .route_selection_expression
                .clone()
                .unwrap_or_else(|| v1::ROUTE_SELECTION_EXPRESSION.to_string()),
            routes,
        })
    }

    /// A client population: its traffic is lowered as a producer's.
    #[inline(never)]
    fn lower_clients(
        &mut self,
        index: usize,
        p: &wire::ClientParameters,
        target: usize,
    ) -> ClientsSpec {
        let defaults = v1::clients();
        let traffic = wire::ProducerParameters {
            arrival: p.arrival,
            rate_per_second: p.rate_per_second,
            ramps: p.ramps.clone(),
            spikes: p.spikes.clone(),
            bursts: p.bursts.clone(),
            start_seconds: p.start_seconds,
            stop_seconds: p.stop_seconds,
            total_count: p.total_count,
            batch_size: None,
            message: None,
            ..wire::ProducerParameters::default()
        };
        let load = Box::new(self.lower_producer(index, &traffic, target));
        let path = |field: &str| format!("components[{index}].parameters.{field}");
        let mut seconds = |field: &str, value: Option<f64>, default: SimDuration| match value {
            Some(value) => self.seconds(path(field), value),
            None => default,
        };
        ClientsSpec {
            target,
            clients: p.clients.unwrap_or(defaults.clients),
            clients_with_api_key: p
                .clients_with_api_key
                .unwrap_or(defaults.clients_with_api_key),
            load,
            timeout: seconds("timeout_seconds", p.timeout_seconds, defaults.timeout),
            max_retries: p.max_retries.unwrap_or(defaults.max_retries),
            backoff: match p.backoff {
                None => defaults.backoff,
                Some(wire::BackoffStrategy::None) => Backoff::None,
                Some(wire::BackoffStrategy::Fixed) => Backoff::Fixed,
                Some(wire::BackoffStrategy::Exponential) => Backoff::Exponential,
                Some(wire::BackoffStrategy::ExponentialFullJitter) => {
                    Backoff::ExponentialFullJitter
                }
            },
            backoff_base: seconds(
                "backoff_base_seconds",
                p.backoff_base_seconds,
                defaults.backoff_base,
            ),
            backoff_cap: seconds(
                "backoff_cap_seconds",
                p.backoff_cap_seconds,
                defaults.backoff_cap,
            ),
            vpc: p.vpc.clone(),
            websocket: self.lower_ws_clients(index, p, target),
        }
    }

    /// What clients do on a WebSocket API; the same fields on another API are refused.
    #[inline(never)]
    fn lower_ws_clients(
        &mut self,
        index: usize,
        p: &wire::ClientParameters,
        target: usize,
    ) -> loosely_engine::WsClientSpec {
        let defaults = v1::ws_clients();
        let websocket = matches!(
            self.scenario.components.get(target),
            Some(Component::ApiGateway(node)) if node.parameters.api_type == Some(wire::ApiType::WebSocket)
        );
        let set = [
            ("connection_seconds", p.connection_seconds.is_some()),
            ("silent_clients", p.silent_clients.is_some()),
            ("message_bytes", p.message_bytes.is_some()),
            ("actions", !p.actions.is_empty()),
        ];
        if target != UNRESOLVED && !websocket {
            for (field, _) in set.iter().filter(|(_, set)| *set) {
                self.push(
                    format!("components[{index}].parameters.{field}"),
                    "only clients of a WEBSOCKET API hold connections; this population calls a REST or HTTP API".to_string(),
                );
            }
        }
        loosely_engine::WsClientSpec {
            connection_seconds: p
                .connection_seconds
                .map(|d| d.to_engine())
                .unwrap_or(defaults.connection_seconds),
            silent_clients: p.silent_clients.unwrap_or(defaults.silent_clients),
            message_bytes: p.message_bytes.unwrap_or(defaults.message_bytes),
            actions: p
                .actions
                .iter()
                .map(|a| (a.value.clone(), a.share))
                .collect(),
        }
    }

    #[inline(never)]
    fn lower_lambda(&mut self, index: usize, p: &wire::LambdaParameters) -> LambdaSpec {
        let defaults = v1::lambda();
        let path = |field: &str| format!("components[{index}].parameters.{field}");
        let on_failure = p.destination_config.as_ref().map(|config| {
            let field = "DestinationConfig.OnFailure.Destination";
            self.resolve_failure_target(index, &path(field), field, &config.on_failure.destination)
        });
        let dead_letter = p.dead_letter_config.as_ref().map(|config| {
            let field = "DeadLetterConfig.TargetArn";
            self.resolve_failure_target(index, &path(field), field, &config.target_arn)
        });
        let connections = self
            .event_sources_of
            .get(index)
            .cloned()
            .unwrap_or_default();
        let event_sources = connections
            .iter()
            .map(|&connection| self.lower_event_source(connection))
            .collect();
        LambdaSpec {
            memory_size: p.memory_size.unwrap_or(defaults.memory_size),
            timeout: p.timeout.unwrap_or(defaults.timeout),
            architecture: match p.architecture {
                None => defaults.architecture,
                Some(wire::Architecture::X86_64) => Architecture::X86_64,
                Some(wire::Architecture::Arm64) => Architecture::Arm64,
            },
            duration: p
                .duration
                .map(|d| d.to_engine())
                .unwrap_or(defaults.duration),
            error_probability: p.error_probability.unwrap_or(defaults.error_probability),
            init_duration: p
                .init_duration
                .map(|d| d.to_engine())
                .unwrap_or(defaults.init_duration),
            keep_warm: p
                .keep_warm_seconds
                .map(|s| SimDuration::from_secs(u64::from(s)))
                .unwrap_or(defaults.keep_warm),
            reserved_concurrent_executions: p.reserved_concurrent_executions,
            maximum_retry_attempts: p
                .maximum_retry_attempts
                .unwrap_or(defaults.maximum_retry_attempts),
            maximum_event_age_seconds: p
                .maximum_event_age_in_seconds
                .unwrap_or(defaults.maximum_event_age_seconds),
            on_failure,
            dead_letter,
            event_sources,
            // Set from the function's arrow to a state machine.
            start_execution: None,
        }
    }

    /// The event source mapping drawn as connection `connection` (a queue to a function).
    #[inline(never)]
    fn lower_event_source(&mut self, connection: usize) -> EventSourceMappingSpec {
        let defaults = v1::event_source_mapping();
        let Some(arrow) = self.scenario.connections.get(connection) else {
            return defaults;
        };
        let source = self
            .index_of
            .get(arrow.from.as_str())
            .copied()
            .unwrap_or(UNRESOLVED);
        let Some(esm) = &arrow.event_source_mapping else {
            return EventSourceMappingSpec { source, ..defaults };
        };
        EventSourceMappingSpec {
            source,
            batch_size: esm.batch_size.unwrap_or(defaults.batch_size),
            maximum_batching_window_seconds: esm
                .maximum_batching_window_in_seconds
                .unwrap_or(defaults.maximum_batching_window_seconds),
            maximum_concurrency: esm
                .scaling_config
                .as_ref()
                .and_then(|config| config.maximum_concurrency)
                .or(defaults.maximum_concurrency),
            report_batch_item_failures: esm
                .function_response_types
                .contains(&wire::FunctionResponseType::ReportBatchItemFailures),
        }
    }

    /// A queue or a topic named by component id or by ARN (matched by name).
    #[inline(never)]
    fn resolve_failure_target(
        &mut self,
        component: usize,
        path: &str,
        field: &str,
        reference: &str,
    ) -> usize {
        let scenario = self.scenario;
        let found = if let Some(rest) = reference.strip_prefix("arn:") {
            let parts: Vec<&str> = rest.split(':').collect();
            match parts.as_slice() {
                [_partition, service @ ("sqs" | "sns"), _region, _account, name] => {
                    scenario.components.iter().position(|c| {
                        c.display_name() == *name
                            && matches!(
                                (c, *service),
                                (Component::SqsQueue(_), "sqs") | (Component::SnsTopic(_), "sns")
                            )
                    })
                }
                _ => None,
            }
        } else {
            self.index_of.get(reference).copied()
        };
        match found.and_then(|index| self.component(index).map(|c| (index, c))) {
            Some((index, Component::SqsQueue(_) | Component::SnsTopic(_))) => index,
            Some((_, other)) => {
                self.push(
                    path,
                    format!(
                        "\"{reference}\" is {}, not an SQS queue or an SNS topic",
                        with_article(other.kind_words())
                    ),
                );
                self.mark_reported(component, field);
                UNRESOLVED
            }
            None => {
                self.push(
                    path,
                    format!(
                        "\"{reference}\" is neither the id of a queue or topic nor an SQS or SNS ARN of one"
                    ),
                );
                self.mark_reported(component, field);
                UNRESOLVED
            }
        }
    }

    #[inline(never)]
    fn lower_bucket(
        &mut self,
        index: usize,
        name: &str,
        p: &wire::BucketParameters,
    ) -> loosely_engine::BucketSpec {
        let path = format!("components[{index}].parameters.objects");
        if p.objects.is_empty() {
            return v1::bucket();
        }
        if let Err(message) = loosely_engine::asl::distributed::check_bucket_name(name) {
            self.push(
                format!("components[{index}].name"),
                format!("a bucket holding objects is named by S3's rules, as state machines address it: {message}"),
            );
        }
        if p.objects.len() > v1::BUCKET_MAX_OBJECTS {
            self.push(
                path.clone(),
                format!(
                    "{} objects, at most {} are allowed",
                    p.objects.len(),
                    v1::BUCKET_MAX_OBJECTS
                ),
            );
        }
        let bytes: usize = p.objects.values().map(String::len).sum();
        if bytes > v1::BUCKET_MAX_BYTES {
            self.push(
                path.clone(),
                format!(
                    "{bytes} bytes of content, at most {} (1 MiB) are allowed",
                    v1::BUCKET_MAX_BYTES
                ),
            );
        }
        for key in p.objects.keys() {
            if key.is_empty() || key.len() > v1::OBJECT_KEY_MAX_BYTES {
                self.push(
                    format!("{path}[{key:?}]"),
                    format!(
                        "an object key is 1 to {} bytes long, this one has {}",
                        v1::OBJECT_KEY_MAX_BYTES,
                        key.len()
                    ),
                );
            }
        }
        loosely_engine::BucketSpec {
            objects: p
                .objects
                .iter()
                .map(|(key, body)| (key.clone(), body.clone()))
                .collect(),
        }
    }

    fn lower_endpoint(&mut self, index: usize, p: &wire::EndpointParameters) -> EndpointSpec {
        let defaults = v1::endpoint();
        let path = |field: &str| format!("components[{index}].parameters.{field}");
        for (i, window) in p.downtime.iter().enumerate() {
            let start = self.seconds(
                path(&format!("downtime[{i}].start_seconds")),
                window.start_seconds,
            );
            let end = self.seconds(
                path(&format!("downtime[{i}].end_seconds")),
                window.end_seconds,
            );
            if end <= start {
                self.push(
                    path(&format!("downtime[{i}].end_seconds")),
                    "ends before it starts",
                );
                continue;
            }
            // A downtime window is a stop fault of the endpoint.
            self.faults.push((
                FaultSpec {
                    component: index,
                    start,
                    duration: SimDuration(end.as_micros() - start.as_micros()),
                    effect: FaultEffect::Stop { share: 1.0 },
                },
                path(&format!("downtime[{i}]")),
            ));
        }
        EndpointSpec {
            kind: match p.endpoint_kind {
                None => defaults.kind,
                kind => lower_endpoint_kind(kind),
            },
            latency: p.latency.map(|d| d.to_engine()).unwrap_or(defaults.latency),
            server_error_probability: p
                .server_error_probability
                .unwrap_or(defaults.server_error_probability),
            client_error_probability: p
                .client_error_probability
                .unwrap_or(defaults.client_error_probability),
        }
    }

    #[inline(never)]
    fn lower_producer(
        &mut self,
        index: usize,
        p: &wire::ProducerParameters,
        target: usize,
    ) -> ProducerSpec {
        let defaults = v1::producer();
        let path = |field: &str| format!("components[{index}].parameters.{field}");
        let ramps = p
            .ramps
            .iter()
            .enumerate()
            .map(|(i, ramp)| Ramp {
                start: self.seconds(
                    path(&format!("ramps[{i}].start_seconds")),
                    ramp.start_seconds,
                ),
                end: self.seconds(path(&format!("ramps[{i}].end_seconds")), ramp.end_seconds),
                from_rate: ramp.from_rate,
                to_rate: ramp.to_rate,
            })
            .collect();
        let spikes = p
            .spikes
            .iter()
            .enumerate()
            .map(|(i, spike)| Spike {
                start: self.seconds(
                    path(&format!("spikes[{i}].start_seconds")),
                    spike.start_seconds,
                ),
                duration: self.seconds(
                    path(&format!("spikes[{i}].duration_seconds")),
                    spike.duration_seconds,
                ),
                rate_per_second: spike.rate_per_second,
            })
            .collect();
        let bursts = p
            .bursts
            .iter()
            .enumerate()
            .map(|(i, burst)| Burst {
                at: self.seconds(path(&format!("bursts[{i}].at_seconds")), burst.at_seconds),
                count: burst.count,
            })
            .collect();
        let start = match p.start_seconds {
            Some(seconds) => self.seconds(path("start_seconds"), seconds),
            None => defaults.start,
        };
        let stop = p
            .stop_seconds
            .map(|seconds| self.seconds(path("stop_seconds"), seconds));
        let template = match &p.message {
            None => defaults.template.clone(),
            Some(message) => self.lower_message(index, message),
        };
        ProducerSpec {
            target,
            arrival: match p.arrival {
                None => defaults.arrival,
                Some(wire::Arrival::Constant) => loosely_engine::Arrival::Constant,
                Some(wire::Arrival::Poisson) => loosely_engine::Arrival::Poisson,
            },
            rate_per_second: p.rate_per_second.unwrap_or(defaults.rate_per_second),
            ramps,
            spikes,
            bursts,
            start,
            stop,
            total_count: p.total_count,
            batch_size: p.batch_size.unwrap_or(defaults.batch_size),
            template,
        }
    }

    #[inline(never)]
    fn lower_alarm(&mut self, index: usize, alarm: &wire::Alarm) -> AlarmSpec {
        let component = match self.index_of.get(alarm.component.as_str()) {
            Some(component) => *component,
            None => {
                self.reported_alarm.push((index, "component"));
                self.reported_alarm.push((index, "metric"));
                self.push(
                    format!("alarms[{index}].component"),
                    format!("\"{}\" is not the id of a component", alarm.component),
                );
                UNRESOLVED
            }
        };
        let metric = match Metric::parse(&alarm.metric_name) {
            Some(metric) => metric,
            None => {
                self.reported_alarm.push((index, "metric"));
                let known: Vec<&str> = Metric::ALL.iter().map(|m| m.as_str()).collect();
                self.push(
                    format!("alarms[{index}].MetricName"),
                    format!(
                        "\"{}\" is not a metric; known metrics: {}",
                        alarm.metric_name,
                        known.join(", ")
                    ),
                );
                Metric::ApproximateNumberOfMessagesVisible
            }
        };
        AlarmSpec {
            name: alarm.alarm_name.clone(),
            component,
            metric,
            comparison: match alarm.comparison_operator {
                wire::ComparisonOperator::GreaterThanOrEqualToThreshold => {
                    Comparison::GreaterThanOrEqualToThreshold
                }
                wire::ComparisonOperator::GreaterThanThreshold => Comparison::GreaterThanThreshold,
                wire::ComparisonOperator::LessThanThreshold => Comparison::LessThanThreshold,
                wire::ComparisonOperator::LessThanOrEqualToThreshold => {
                    Comparison::LessThanOrEqualToThreshold
                }
            },
            threshold: alarm.threshold,
            evaluation_periods: alarm.evaluation_periods,
        }
    }

    #[inline(never)]
    fn lower_expectation(
        &mut self,
        index: usize,
        expectation: &wire::Expectation,
    ) -> Option<ExpectationSpec> {
        use wire::ExpectationMeasure as M;
        let path = |field: &str| format!("expectations[{index}].{field}");
        let mut ok = true;
        let component = match &expectation.component {
            None => None,
            Some(id) => match self.index_of.get(id.as_str()) {
                Some(&component) => Some(component),
                None => {
                    self.push(
                        path("component"),
                        format!("\"{id}\" is not the id of a component"),
                    );
                    return None;
                }
            },
        };
        let kind_of = |component: usize| self.scenario.components.get(component);
        let wants_queue = matches!(
            expectation.measure,
            M::QueueDepth | M::Redelivered | M::Sent | M::Deleted | M::MovedToDlq
        );
        let wants_pool = matches!(
            expectation.measure,
            M::LatencyP50Seconds | M::LatencyP99Seconds
        );
        match (component, kind_of(component.unwrap_or(usize::MAX))) {
            (None, _) if expectation.measure == M::QueueDepth => {
                self.push(
                    path("component"),
                    "queue_depth measures one queue: name it".to_string(),
                );
                ok = false;
            }
            (Some(_), Some(found))
                if wants_queue && !matches!(found, wire::Component::SqsQueue(_)) =>
            {
                self.push(
                    path("component"),
                    format!(
                        "\"{}\" is {} {}; this measure counts a queue's messages",
                        found.id(),
                        article(found.kind_words()),
                        found.kind_words()
                    ),
                );
                ok = false;
            }
            (Some(_), Some(found))
                if wants_pool && !matches!(found, wire::Component::Consumer(_)) =>
            {
                self.push(
                    path("component"),
                    format!(
                        "\"{}\" is {} {}; latency is measured at a consumer pool",
                        found.id(),
                        article(found.kind_words()),
                        found.kind_words()
                    ),
                );
                ok = false;
            }
            (Some(_), _) if expectation.measure == M::CostUsd => {
                self.push(
                    path("component"),
                    "cost_usd is the whole scenario's; leave component out".to_string(),
                );
                ok = false;
            }
            _ => {}
        }
        let bounds = [
            ("equals", expectation.equals, Bound::Equals),
            ("at_most", expectation.at_most, Bound::AtMost),
            ("at_least", expectation.at_least, Bound::AtLeast),
            ("below", expectation.below, Bound::Below),
            ("above", expectation.above, Bound::Above),
        ];
        let given: Vec<_> = bounds
            .iter()
            .filter(|(_, value, _)| value.is_some())
            .collect();
        let (bound, threshold) = match given.as_slice() {
            [(name, Some(value), bound)] => {
                if !value.is_finite() {
                    self.push(path(name), format!("{value} is not a finite number"));
                    ok = false;
                }
                (*bound, *value)
            }
            [] => {
                self.push(
                    format!("expectations[{index}]"),
                    "give one bound: equals, at_most, at_least, below or above".to_string(),
                );
                return None;
            }
            _ => {
                let names: Vec<&str> = given.iter().map(|(name, _, _)| *name).collect();
                self.push(
                    format!("expectations[{index}]"),
                    format!("give one bound, not {}", names.join(" and ")),
                );
                return None;
            }
        };
        let duration = self.scenario.duration_seconds as f64;
        let at = match expectation.by_seconds {
            None => SimTime::from_secs(self.scenario.duration_seconds),
            Some(seconds) if seconds.is_finite() && (0.0..=duration).contains(&seconds) => {
                SimTime::from_secs_f64(seconds)
            }
            Some(seconds) => {
                self.push(
                    path("by_seconds"),
                    format!(
                        "{seconds} is outside 0..={duration} seconds (the run's duration_seconds)"
                    ),
                );
                return None;
            }
        };
        let measure = match expectation.measure {
            M::QueueDepth => Measure::QueueDepth(component.unwrap_or(UNRESOLVED)),
            M::Redelivered => Measure::Redelivered(component),
            M::Sent => Measure::Sent(component),
            M::Deleted => Measure::Deleted(component),
            M::MovedToDlq => Measure::MovedToDlq(component),
            M::LatencyP50Seconds => Measure::LatencyP50(component),
            M::LatencyP99Seconds => Measure::LatencyP99(component),
            M::CostUsd => Measure::CostUsd,
        };
        ok.then(|| ExpectationSpec {
            label: expectation.name.clone(),
            measure,
            bound,
            threshold,
            at,
        })
    }

    fn lower_compute_environment(
        &mut self,
        index: usize,
        p: &wire::ComputeEnvironmentParameters,
    ) -> loosely_engine::batch::ComputeEnvironmentSpec {
        use loosely_engine::batch::ComputeResourceType as T;
        let resource_type = match p.r#type.unwrap_or_default() {
            wire::ComputeResourceType::Ec2 => T::Ec2,
            wire::ComputeResourceType::Spot => T::Spot,
            wire::ComputeResourceType::Fargate => T::Fargate,
            wire::ComputeResourceType::FargateSpot => T::FargateSpot,
        };
        let defaults = v1::compute_environment(resource_type);
        let path = |field: &str| format!("components[{index}].parameters.{field}");
        let seconds =
            |lowerer: &mut Self, field: &str, value: Option<f64>, default: SimDuration| {
                value.map_or(default, |v| lowerer.seconds(path(field), v))
            };
        loosely_engine::batch::ComputeEnvironmentSpec {
            resource_type,
            min_vcpus: p.min_vcpus.unwrap_or(defaults.min_vcpus),
            max_vcpus: p.max_vcpus.unwrap_or(defaults.max_vcpus),
            instance_vcpus: p.instance_vcpus.unwrap_or(defaults.instance_vcpus),
            instance_memory_mib: p
                .instance_memory_mib
                .unwrap_or(defaults.instance_memory_mib),
            instance_launch: seconds(
                self,
                "instance_launch_seconds",
                p.instance_launch_seconds,
                defaults.instance_launch,
            ),
            container_start: seconds(
                self,
                "container_start_seconds",
                p.container_start_seconds,
                defaults.container_start,
            ),
            scale_in_after: seconds(
                self,
                "scale_in_after_seconds",
                p.scale_in_after_seconds,
                defaults.scale_in_after,
            ),
            interruptions_per_hour: p
                .interruptions_per_hour
                .unwrap_or(defaults.interruptions_per_hour),
            price_per_vcpu_hour: p
                .price_per_vcpu_hour
                .unwrap_or(defaults.price_per_vcpu_hour),
            price_per_gb_hour: p.price_per_gb_hour.unwrap_or(defaults.price_per_gb_hour),
        }
    }

    #[inline(never)]
    fn lower_flow(
        &mut self,
        index: usize,
        p: &wire::FlowParameters,
    ) -> loosely_engine::appflow::FlowSpec {
        use loosely_engine::appflow::{
            parse_rate, AwsTask, ConnectorType, DataPullMode, FieldSpec, FieldType, FileType,
            ScheduleSpec, TaskSpec, TriggerSpec,
        };
        let path = |field: &str| format!("components[{index}].parameters.{field}");
        let defaults = v1::flow();
        let connector = |this: &mut Self, field: &str, name: Option<&str>, fallback| {
            let Some(name) = name else {
                return fallback;
            };
            ConnectorType::parse(name).unwrap_or_else(|| {
                this.push(
                    path(field),
                    format!(
                        "\"{name}\" is not an AppFlow connector type; allowed: {}",
                        connector_names().join(", ")
                    ),
                );
                fallback
            })
        };
        let source = connector(
            self,
            "sourceFlowConfig.connectorType",
            p.source_flow_config
                .as_ref()
                .map(|c| c.connector_type.as_str()),
            defaults.source,
        );
        if p.destination_flow_config_list.len() > 1 {
            self.push(
                path("destinationFlowConfigList"),
                format!(
                    "{} destinations; a flow writes to exactly one",
                    p.destination_flow_config_list.len()
                ),
            );
        }
        let destination_config = p.destination_flow_config_list.first();
        let destination = connector(
            self,
            "destinationFlowConfigList[0].connectorType",
            destination_config.map(|c| c.connector_type.as_str()),
            defaults.destination,
        );
        let file_type = match destination_config.and_then(|c| c.file_type) {
            None => defaults.file_type,
            Some(wire::FlowFileType::Csv) => FileType::Csv,
            Some(wire::FlowFileType::Json) => FileType::Json,
            Some(wire::FlowFileType::Parquet) => FileType::Parquet,
        };
        if destination_config.is_some_and(|c| c.file_type.is_some())
            && destination != ConnectorType::S3
        {
            self.push(
                path("destinationFlowConfigList[0].fileType"),
                format!(
                    "fileType is an S3 output setting; the destination is {}",
                    destination.as_str()
                ),
            );
        }
        let trigger_config = p.trigger_config.clone().unwrap_or_default();
        let trigger = match trigger_config.trigger_type {
            wire::TriggerType::OnDemand => TriggerSpec::OnDemand,
            wire::TriggerType::Event => {
                let seconds = trigger_config
                    .event_batch_seconds
                    .unwrap_or(v1::FLOW_EVENT_BATCH_SECONDS);
                if !(1..=3_600).contains(&seconds) {
                    self.push(
                        path("triggerConfig.event_batch_seconds"),
                        format!("{seconds} is outside 1..=3600"),
                    );
                }
                TriggerSpec::Event {
                    batch_window: SimDuration::from_secs(seconds.clamp(1, 3_600)),
                }
            }
            wire::TriggerType::Scheduled => {
                let properties = trigger_config
                    .trigger_properties
                    .clone()
                    .unwrap_or_default();
                let interval = match parse_rate(&properties.schedule_expression) {
                    Ok(interval) => interval,
                    Err(message) => {
                        self.push(
                            path("triggerConfig.triggerProperties.scheduleExpression"),
                            message,
                        );
                        SimDuration::from_secs(3_600)
                    }
                };
                TriggerSpec::Scheduled(ScheduleSpec {
                    expression: properties.schedule_expression.clone(),
                    interval,
                    data_pull_mode: match properties.data_pull_mode {
                        Some(wire::DataPullMode::Complete) => DataPullMode::Complete,
                        _ => DataPullMode::Incremental,
                    },
                    start: SimDuration::from_secs(properties.schedule_start_time.unwrap_or(0)),
                    end: properties.schedule_end_time.map(SimDuration::from_secs),
                    offset: SimDuration::from_secs(properties.schedule_offset.unwrap_or(0)),
                    deactivation_threshold: properties.flow_error_deactivation_threshold,
                })
            }
        };
        if trigger_config.trigger_properties.is_some()
            && trigger_config.trigger_type != wire::TriggerType::Scheduled
        {
            self.push(
                path("triggerConfig.triggerProperties"),
                "triggerProperties belong to a Scheduled flow".to_string(),
            );
        }
        let fields: Vec<FieldSpec> = if p.fields.is_empty() {
            defaults.fields.clone()
        } else {
            p.fields
                .iter()
                .map(|f| FieldSpec {
                    name: f.name.clone(),
                    field_type: match f.field_type {
                        Some(wire::FlowFieldType::String) => FieldType::String,
                        _ => FieldType::Number,
                    },
                    min: f.min.unwrap_or(v1::FLOW_FIELD_MIN),
                    max: f.max.unwrap_or(v1::FLOW_FIELD_MAX),
                    choices: f.choices.clone(),
                    null_share: f.null_share.unwrap_or(0.0),
                    zero_share: f.zero_share.unwrap_or(0.0),
                    negative_share: f.negative_share.unwrap_or(0.0),
                    non_numeric_share: f.non_numeric_share.unwrap_or(0.0),
                })
                .collect()
        };
        let mut tasks = Vec::new();
        for (position, task) in p.tasks.iter().enumerate() {
            let at = |field: &str| path(&format!("tasks[{position}].{field}"));
            if task.connector_operator.len() > 1 {
                self.push(
                    at("connectorOperator"),
                    format!(
                        "{} entries; connectorOperator holds one, keyed by the connector",
                        task.connector_operator.len()
                    ),
                );
            }
            let aws = AwsTask {
                task_type: task.task_type.clone(),
                source_fields: task.source_fields.clone(),
                operator: task
                    .connector_operator
                    .values()
                    .next()
                    .cloned()
                    .unwrap_or_else(|| "NO_OP".into()),
                task_properties: task
                    .task_properties
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            };
            match TaskSpec::from_aws(&aws, &fields) {
                Ok(spec) => tasks.push(spec),
                Err((field, message)) => self.push(at(&field), message),
            }
        }
        let error_handling = p.error_handling_config.clone().unwrap_or_default();
        loosely_engine::appflow::FlowSpec {
            source,
            destination,
            file_type,
            trigger,
            tasks,
            fields,
            records_per_run: p.records_per_run.unwrap_or(defaults.records_per_run),
            records_changed_per_minute: p
                .records_changed_per_minute
                .unwrap_or(defaults.records_changed_per_minute),
            record_size_bytes: p.record_size_bytes.unwrap_or(defaults.record_size_bytes),
            page_size: p.page_size.unwrap_or(source.default_page_size()),
            api_call_latency: p
                .api_call_latency_ms
                .map(SimDuration::from_millis)
                .unwrap_or(defaults.api_call_latency),
            run_overhead: p
                .run_overhead_seconds
                .map(SimDuration::from_secs)
                .unwrap_or(defaults.run_overhead),
            fail_on_first_destination_error: error_handling.fail_on_first_destination_error,
            error_location: error_handling.bucket_name.map(|bucket| {
                format!(
                    "{bucket}/{}",
                    error_handling.bucket_prefix.unwrap_or_default()
                )
            }),
            start_flow_at: p
                .start_flow_at_seconds
                .iter()
                .map(|&s| SimDuration::from_secs(s))
                .collect(),
        }
    }

    fn lower_job_queue(
        &mut self,
        index: usize,
        p: &wire::JobQueueParameters,
    ) -> loosely_engine::batch::JobQueueSpec {
        let defaults = v1::job_queue();
        let job = p.job_definition.clone().unwrap_or_default();
        let d = &defaults.job_definition;
        loosely_engine::batch::JobQueueSpec {
            priority: p.priority.unwrap_or(defaults.priority),
            compute_environments: self
                .environments_of
                .get(&index)
                .cloned()
                .unwrap_or_default(),
            job_definition: loosely_engine::batch::JobDefinitionSpec {
                vcpus: job.vcpus.unwrap_or(d.vcpus),
                memory_mib: job.memory.unwrap_or(d.memory_mib),
                duration: job
                    .duration
                    .map(|x| x.to_engine())
                    .unwrap_or_else(|| d.duration.clone()),
                failure_probability: job.failure_probability.unwrap_or(d.failure_probability),
                attempts: job
                    .retry_strategy
                    .and_then(|r| r.attempts)
                    .unwrap_or(d.attempts),
                attempt_duration_seconds: job
                    .timeout
                    .and_then(|t| t.attempt_duration_seconds)
                    .or(d.attempt_duration_seconds),
            },
            array_size: p
                .array_properties
                .as_ref()
                .map(|a| a.size)
                .or(defaults.array_size),
            sequential_array: p
                .array_properties
                .as_ref()
                .is_some_and(|a| a.dependency.is_some()),
            depends_on: match p.depends_on.unwrap_or_default() {
                wire::JobDependsOn::None => loosely_engine::batch::JobDependency::None,
                wire::JobDependsOn::PreviousJob => loosely_engine::batch::JobDependency::Previous,
            },
        }
    }

    /// The producers and consumer pools of each broker; broker settings on clients that do
    /// not connect to a broker are reported.
    #[inline(never)]
    fn collect_mq_clients(&mut self, targets: &[usize], sources: &[usize]) {
        let scenario = self.scenario;
        let is_broker =
            |index: usize| matches!(scenario.components.get(index), Some(Component::MqBroker(_)));
        for (index, component) in scenario.components.iter().enumerate() {
            let (peer, settings): (usize, &[(&str, bool)]) = match component {
                Component::Producer(node) => (
                    targets[index],
                    &[
                        ("destination", node.parameters.destination.is_some()),
                        ("routing_key", node.parameters.routing_key.is_some()),
                        (
                            "persistent_share",
                            node.parameters.persistent_share.is_some(),
                        ),
                    ],
                ),
                Component::Consumer(node) => (
                    sources[index],
                    &[
                        ("queue", node.parameters.queue.is_some()),
                        ("prefetch_count", node.parameters.prefetch_count.is_some()),
                    ],
                ),
                _ => continue,
            };
            if is_broker(peer) {
                let entry = self.mq_clients_of.entry(peer).or_default();
                if matches!(component, Component::Producer(_)) {
                    entry.0.push(index);
                } else {
                    entry.1.push(index);
                }
                continue;
            }
            if peer == UNRESOLVED {
                continue;
            }
            for (field, set) in settings {
                if *set {
                    self.push(
                        format!("components[{index}].parameters.{field}"),
                        format!(
                            "{field} is an Amazon MQ setting; \"{}\" is not connected to a broker",
                            component.id()
                        ),
                    );
                }
            }
        }
    }

    #[inline(never)]
    fn lower_broker(
        &mut self,
        index: usize,
        p: &wire::BrokerParameters,
    ) -> loosely_engine::mq::BrokerSpec {
        use loosely_engine::mq;
        let engine = match p.engine.unwrap_or_default() {
            wire::BrokerEngine::Activemq => mq::BrokerEngine::ActiveMq,
            wire::BrokerEngine::Rabbitmq => mq::BrokerEngine::RabbitMq,
        };
        let defaults = v1::broker(engine);
        let path = |field: &str| format!("components[{index}].parameters.{field}");
        let failures = p
            .failures
            .iter()
            .enumerate()
            .map(|(i, f)| mq::BrokerFailure {
                start: self.seconds(
                    path(&format!("failures[{i}].start_seconds")),
                    f.start_seconds,
                ),
                duration: self.seconds(
                    path(&format!("failures[{i}].duration_seconds")),
                    f.duration_seconds,
                ),
            })
            .collect();
        let failover_delay = p
            .failover_delay_seconds
            .map_or(defaults.failover_delay, |v| {
                self.seconds(path("failover_delay_seconds"), v)
            });
        let (producers, consumers) = self.mq_clients_of.get(&index).cloned().unwrap_or_default();
        let scenario = self.scenario;
        let producers = producers
            .into_iter()
            .filter_map(|producer| match scenario.components.get(producer) {
                Some(Component::Producer(node)) => Some(mq::MqSend {
                    producer,
                    destination: node.parameters.destination.clone().unwrap_or_default(),
                    routing_key: node.parameters.routing_key.clone().unwrap_or_default(),
                    persistent_share: node
                        .parameters
                        .persistent_share
                        .unwrap_or(v1::MQ_PERSISTENT_SHARE),
                    vpc: node.parameters.vpc.clone(),
                }),
                _ => None,
            })
            .collect();
        let consumers = consumers
            .into_iter()
            .filter_map(|consumer| match scenario.components.get(consumer) {
                Some(Component::Consumer(node)) => {
                    if node.parameters.queue.is_none() {
                        self.push(
                            format!("components[{consumer}].parameters.queue"),
                            "a consumer pool reading an Amazon MQ broker names the broker queue it reads".to_string(),
                        );
                    }
                    Some(mq::MqReceive {
                        consumer,
                        queue: node.parameters.queue.clone().unwrap_or_default(),
                        prefetch_count: node
                            .parameters
                            .prefetch_count
                            .unwrap_or(v1::MQ_PREFETCH_COUNT),
                        vpc: node.parameters.vpc.clone(),
                    })
                }
                _ => None,
            })
            .collect();
        mq::BrokerSpec {
            engine,
            deployment_mode: match p.deployment_mode.unwrap_or_default() {
                wire::DeploymentMode::SingleInstance => mq::DeploymentMode::SingleInstance,
                wire::DeploymentMode::ActiveStandbyMultiAz => {
                    mq::DeploymentMode::ActiveStandbyMultiAz
                }
                wire::DeploymentMode::ClusterMultiAz => mq::DeploymentMode::ClusterMultiAz,
            },
            instance_type: p
                .host_instance_type
                .clone()
                .unwrap_or(defaults.instance_type),
            price_per_instance_hour: p
                .price_per_instance_hour
                .unwrap_or(defaults.price_per_instance_hour),
            vpc: p.vpc.clone().unwrap_or(defaults.vpc),
            queues: p
                .queues
                .iter()
                .map(|q| mq::BrokerQueueSpec {
                    name: q.name.clone(),
                    queue_type: match q.r#type.unwrap_or_default() {
                        wire::BrokerQueueType::Classic => mq::QueueType::Classic,
                        wire::BrokerQueueType::Quorum => mq::QueueType::Quorum,
                    },
                })
                .collect(),
            virtual_topics: p
                .virtual_topics
                .iter()
                .map(|t| mq::VirtualTopicSpec {
                    name: t.name.clone(),
                    consumer_groups: t.consumer_groups.clone(),
                })
                .collect(),
            exchanges: p
                .exchanges
                .iter()
                .map(|e| mq::ExchangeSpec {
                    name: e.name.clone(),
                    exchange_type: match e.r#type {
                        wire::ExchangeType::Direct => mq::ExchangeType::Direct,
                        wire::ExchangeType::Fanout => mq::ExchangeType::Fanout,
                        wire::ExchangeType::Topic => mq::ExchangeType::Topic,
                    },
                    bindings: e
                        .bindings
                        .iter()
                        .map(|b| mq::BindingSpec {
                            queue: b.queue.clone(),
                            routing_key: b.routing_key.clone(),
                        })
                        .collect(),
                })
                .collect(),
            failover_delay,
            max_redeliveries: p.max_redeliveries.unwrap_or(defaults.max_redeliveries),
            failures,
            producers,
            consumers,
        }
    }

    /// The path in the file of an engine field of a broker: its own parameters, or a
    /// setting of one of its producers or consumer pools.
    #[inline(never)]
    fn broker_path(&self, component: usize, field: &str) -> Option<String> {
        let (producers, consumers) = self.mq_clients_of.get(&component)?;
        for (prefix, clients) in [("producers[", producers), ("consumers[", consumers)] {
            if let Some(rest) = field.strip_prefix(prefix) {
                let (position, rest) = rest.split_once(']')?;
                let client = *clients.get(position.parse::<usize>().ok()?)?;
                return Some(match rest.strip_prefix('.') {
                    Some(setting) => format!("components[{client}].parameters.{setting}"),
                    None => format!("components[{client}]"),
                });
            }
        }
        None
    }

    /// The scenario's `faults`, after the endpoints' downtime windows.
    #[inline(never)]
    fn lower_faults(&mut self) {
        let scenario = self.scenario;
        for (index, fault) in scenario.faults.iter().enumerate() {
            let path = |field: &str| format!("faults[{index}].{field}");
            let component = self
                .resolve_id(&path("component"), &fault.component)
                .unwrap_or(UNRESOLVED);
            let start = self.seconds(path("start_seconds"), fault.start_seconds);
            let duration = self.seconds(path("duration_seconds"), fault.duration_seconds);
            let name = match fault.effect {
                wire::FaultEffect::Stop => "stop",
                wire::FaultEffect::Slow => "slow",
                wire::FaultEffect::Fail => "fail",
            };
            if fault.effect == wire::FaultEffect::Slow && fault.share.is_some() {
                self.push(
                    path("share"),
                    "share applies to stop and fail; a slow fault takes a factor",
                );
            }
            if fault.effect != wire::FaultEffect::Slow && fault.factor.is_some() {
                self.push(
                    path("factor"),
                    format!("factor applies to slow faults; a {name} fault takes a share"),
                );
            }
            let share = fault.share.unwrap_or(v1::FAULT_SHARE);
            let effect = match fault.effect {
                wire::FaultEffect::Stop => FaultEffect::Stop { share },
                wire::FaultEffect::Slow => FaultEffect::Slow {
                    factor: fault.factor.unwrap_or(v1::FAULT_FACTOR),
                },
                wire::FaultEffect::Fail => FaultEffect::Fail { share },
            };
            self.faults.push((
                FaultSpec {
                    component,
                    start,
                    duration,
                    effect,
                },
                format!("faults[{index}]"),
            ));
        }
    }

    /// The file's path of an engine fault field (`faults[3].share`), unless the
    /// component was already reported as unresolved.
    #[inline(never)]
    fn fault_path(&self, field: &str) -> Option<String> {
        let rest = field.strip_prefix("faults[")?;
        let (position, rest) = rest.split_once("].")?;
        let position: usize = position.parse().ok()?;
        let (spec, path) = self.faults.get(position)?;
        if rest == "component" && spec.component == UNRESOLVED {
            return Some(String::new());
        }
        Some(format!("{path}.{rest}"))
    }

    /// Maps an engine issue to a JSON path, unless it repeats a problem reported here.
    #[inline(never)]
    fn push_engine_issue(&mut self, issue: ModelIssue) {
        let ModelIssue {
            component,
            alarm,
            field,
            message,
        } = issue;
        let path = match (alarm, component) {
            (Some(alarm), _) => {
                if self
                    .reported_alarm
                    .iter()
                    .any(|&(a, f)| a == alarm && f == field)
                {
                    return;
                }
                let field = match field.as_str() {
                    "metric" => "MetricName",
                    other => other,
                };
                format!("alarms[{alarm}].{field}")
            }
            (None, Some(component)) => {
                if self
                    .reported
                    .iter()
                    .any(|(c, f)| *c == component && *f == field)
                {
                    return;
                }
                if let Some(path) = self.subscription_path(component, &field) {
                    path
                } else if let Some(path) = self.event_source_path(component, &field) {
                    path
                } else if let Some(path) = self.broker_path(component, &field) {
                    path
                } else {
                    match field.as_str() {
                        "name" => format!("components[{component}].name"),
                        // Connections are checked above; this is a defensive fallback.
                        "target" | "source" | "integration" | "computeEnvironmentOrder" => {
                            format!("components[{component}]")
                        }
                        _ => format!("components[{component}].parameters.{}", wire_field(&field)),
                    }
                }
            }
            (None, None) => match field.as_str() {
                "metric_period" => "metric_period_seconds".to_string(),
                "lambda_account_concurrency" => "account.LambdaConcurrentExecutions".to_string(),
                "api_account_throttle.rateLimit" => "account.ApiGatewayThrottle.rateLimit".into(),
                "api_account_throttle.burstLimit" => "account.ApiGatewayThrottle.burstLimit".into(),
                "ws_connect_rate" => "account.WebSocketNewConnectionsPerSecond".into(),
                other => self.fault_path(other).unwrap_or_else(|| other.to_string()),
            },
        };
        if path.is_empty() {
            return;
        }
        self.push(path, message);
    }

    /// The path of an engine field of a topic's subscription (`subscriptions[2].FilterPolicy`)
    /// in the file: the connection that drew the subscription.
    #[inline(never)]
    fn subscription_path(&self, component: usize, field: &str) -> Option<String> {
        let rest = field.strip_prefix("subscriptions[")?;
        let (position, rest) = rest.split_once("].")?;
        let position: usize = position.parse().ok()?;
        let connection = *self.subscriptions_of.get(component)?.get(position)?;
        let has_subscription = self
            .scenario
            .connections
            .get(connection)
            .is_some_and(|c| c.subscription.is_some());
        Some(match rest {
            "Endpoint" => format!("connections[{connection}].to"),
            "Protocol" if !has_subscription => format!("connections[{connection}]"),
            _ => {
                let rest = match rest.strip_prefix("DeliveryPolicy.") {
                    Some("maxReceivesPerSecond") => {
                        "DeliveryPolicy.throttlePolicy.maxReceivesPerSecond".to_string()
                    }
                    Some(name) => format!("DeliveryPolicy.healthyRetryPolicy.{name}"),
                    None => rest.to_string(),
                };
                format!("connections[{connection}].subscription.{rest}")
            }
        })
    }

    /// The path of an engine field of a function's event source mapping
    /// (`event_sources[0].BatchSize`) in the file: the arrow from the queue.
    #[inline(never)]
    fn event_source_path(&self, component: usize, field: &str) -> Option<String> {
        let rest = field.strip_prefix("event_sources[")?;
        let (position, rest) = rest.split_once("].")?;
        let position: usize = position.parse().ok()?;
        let connection = *self.event_sources_of.get(component)?.get(position)?;
        Some(match rest {
            "EventSourceArn" => format!("connections[{connection}].from"),
            _ => format!("connections[{connection}].event_source_mapping.{rest}"),
        })
    }

    #[inline(never)]
    fn lower_message(
        &mut self,
        index: usize,
        message: &wire::MessageParameters,
    ) -> loosely_engine::MessageTemplate {
        let mut template = lower_message(message);
        if let Some(bucket) = &message.extended_client_bucket {
            let path = format!("components[{index}].parameters.message.extended_client_bucket");
            match self.resolve_kind(
                &path,
                bucket,
                |c| matches!(c, Component::S3Bucket(_)),
                "an S3 bucket",
            ) {
                Some(bucket) => template.extended_client_bucket = Some(bucket),
                None => {
                    self.mark_reported(index, "message.extended_client_bucket");
                    template.extended_client_bucket = Some(UNRESOLVED);
                }
            }
        }
        template
    }
}

/// "a queue", "an endpoint", "an SNS topic", "an S3 bucket".
#[inline(never)]
fn with_article(words: &str) -> String {
    // "an SNS topic", "an API Gateway API", "an Amazon MQ broker".
    let vowel_sound = words.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'S']);
    format!("{} {words}", if vowel_sound { "an" } else { "a" })
}

#[inline(never)]
fn lower_throttle(throttle: &wire::ThrottleSettings) -> Throttle {
    Throttle {
        rate_limit: throttle.rate_limit,
        burst_limit: throttle.burst_limit,
    }
}

#[inline(never)]
fn lower_load_balancer(p: &wire::LoadBalancerParameters) -> loosely_engine::alb::LoadBalancerSpec {
    use loosely_engine::alb::{HealthCheck, LoadBalancerSpec, RoutingAlgorithm};
    let d = v1::load_balancer();
    LoadBalancerSpec {
        instances: p.instances.unwrap_or(d.instances),
        instance_concurrency: p.instance_concurrency.unwrap_or(d.instance_concurrency),
        service_time: p
            .service_time
            .map(|t| t.to_engine())
            .unwrap_or(d.service_time),
        error_probability: p.error_probability.unwrap_or(d.error_probability),
        health_check_latency: p
            .health_check_seconds
            .map(|t| t.to_engine())
            .unwrap_or(d.health_check_latency),
        health_check: HealthCheck {
            interval_seconds: p
                .health_check_interval_seconds
                .unwrap_or(d.health_check.interval_seconds),
            timeout_seconds: p
                .health_check_timeout_seconds
                .unwrap_or(d.health_check.timeout_seconds),
            healthy_threshold: p
                .healthy_threshold_count
                .unwrap_or(d.health_check.healthy_threshold),
            unhealthy_threshold: p
                .unhealthy_threshold_count
                .unwrap_or(d.health_check.unhealthy_threshold),
            matcher: p
                .matcher
                .as_ref()
                .map(|m| m.http_code.clone())
                .unwrap_or(d.health_check.matcher),
            response_code: p
                .health_check_response_code
                .unwrap_or(d.health_check.response_code),
        },
        deregistration_delay_seconds: p
            .deregistration_delay_seconds
            .unwrap_or(d.deregistration_delay_seconds),
        idle_timeout_seconds: p.idle_timeout_seconds.unwrap_or(d.idle_timeout_seconds),
        algorithm: match p.load_balancing_algorithm {
            None => d.algorithm,
            Some(wire::LoadBalancingAlgorithm::RoundRobin) => RoutingAlgorithm::RoundRobin,
            Some(wire::LoadBalancingAlgorithm::LeastOutstandingRequests) => {
                RoutingAlgorithm::LeastOutstandingRequests
            }
        },
        bytes_per_request: p.bytes_per_request.unwrap_or(d.bytes_per_request),
    }
}

#[inline(never)]
fn lower_api(p: &wire::ApiParameters, integration: usize) -> ApiSpec {
    let api_type = match p.api_type {
        None | Some(wire::ApiType::Rest) => ApiType::Rest,
        Some(wire::ApiType::Http) => ApiType::Http,
        Some(wire::ApiType::WebSocket) => ApiType::WebSocket,
    };
    let defaults = v1::api(api_type);
    ApiSpec {
        api_type,
        endpoint_type: match p.endpoint_type {
            None => defaults.endpoint_type,
            Some(wire::EndpointType::Edge) => EndpointType::EdgeOptimized,
            Some(wire::EndpointType::Regional) => EndpointType::Regional,
            Some(wire::EndpointType::Private) => EndpointType::Private,
        },
        integration,
        integration_timeout_ms: p
            .timeout_in_millis
            .unwrap_or(defaults.integration_timeout_ms),
        stage_throttle: p.stage_throttle.as_ref().map(lower_throttle),
        method_throttle: p.method_throttle.as_ref().map(lower_throttle),
        api_key_required: p.api_key_required.unwrap_or(defaults.api_key_required),
        usage_plan: p.usage_plan.as_ref().map(|plan| UsagePlan {
            throttle: plan.throttle.as_ref().map(lower_throttle),
            quota: plan.quota.as_ref().map(|quota| Quota {
                limit: quota.limit,
                period: match quota.period {
                    wire::QuotaPeriod::Day => QuotaPeriod::Day,
                    wire::QuotaPeriod::Week => QuotaPeriod::Week,
                    wire::QuotaPeriod::Month => QuotaPeriod::Month,
                },
            }),
        }),
        authorizer: p.authorizer.as_ref().map(|a| {
            let deny_probability = a.deny_probability.unwrap_or(0.0);
            match a.r#type {
                wire::AuthorizerType::AwsIam => Authorizer::Iam { deny_probability },
                wire::AuthorizerType::CognitoUserPools => Authorizer::Cognito { deny_probability },
                wire::AuthorizerType::Lambda => Authorizer::Lambda {
                    latency: a
                        .latency
                        .map(|d| d.to_engine())
                        .unwrap_or(v1::AUTHORIZER_LATENCY),
                    deny_probability,
                    ttl_seconds: a
                        .authorizer_result_ttl_in_seconds
                        .unwrap_or(v1::AUTHORIZER_TTL_SECONDS),
                },
            }
        }),
        waf: p.waf_rate_based_rule.as_ref().map(|rule| WafRateRule {
            limit: rule.limit,
            window_seconds: rule
                .evaluation_window_sec
                .unwrap_or(v1::WAF_EVALUATION_WINDOW_SECONDS),
        }),
        vpc: p.vpc.clone(),
        websocket: None,
    }
}

#[inline(never)]
fn lower_protocol(protocol: wire::Protocol) -> Protocol {
    match protocol {
        wire::Protocol::Sqs => Protocol::Sqs,
        wire::Protocol::Lambda => Protocol::Lambda,
        wire::Protocol::Http => Protocol::Http,
        wire::Protocol::Https => Protocol::Https,
        wire::Protocol::Email => Protocol::Email,
        wire::Protocol::EmailJson => Protocol::EmailJson,
        wire::Protocol::Sms => Protocol::Sms,
        wire::Protocol::Application => Protocol::Application,
        wire::Protocol::Firehose => Protocol::Firehose,
    }
}

#[inline(never)]
fn lower_endpoint_kind(kind: Option<wire::EndpointKind>) -> loosely_engine::EndpointKind {
    match kind {
        None => v1::endpoint().kind,
        Some(wire::EndpointKind::Http) => loosely_engine::EndpointKind::Http,
        Some(wire::EndpointKind::Email) => loosely_engine::EndpointKind::Email,
        Some(wire::EndpointKind::Sms) => loosely_engine::EndpointKind::Sms,
        Some(wire::EndpointKind::MobilePush) => loosely_engine::EndpointKind::MobilePush,
        Some(wire::EndpointKind::Firehose) => loosely_engine::EndpointKind::Firehose,
        Some(wire::EndpointKind::Lambda) => loosely_engine::EndpointKind::Lambda,
    }
}

/// A delivery policy from its wire parts; a field left out takes SNS's default.
#[inline(never)]
fn lower_delivery_policy(
    retry: Option<&wire::HealthyRetryPolicy>,
    throttle: Option<&wire::ThrottlePolicy>,
) -> DeliveryPolicy {
    let defaults = v1::delivery_policy();
    let retry = retry.cloned().unwrap_or_default();
    DeliveryPolicy {
        min_delay_target: retry.min_delay_target.unwrap_or(defaults.min_delay_target),
        max_delay_target: retry.max_delay_target.unwrap_or(defaults.max_delay_target),
        num_retries: retry.num_retries.unwrap_or(defaults.num_retries),
        num_no_delay_retries: retry
            .num_no_delay_retries
            .unwrap_or(defaults.num_no_delay_retries),
        num_min_delay_retries: retry
            .num_min_delay_retries
            .unwrap_or(defaults.num_min_delay_retries),
        num_max_delay_retries: retry
            .num_max_delay_retries
            .unwrap_or(defaults.num_max_delay_retries),
        backoff_function: match retry.backoff_function {
            None => defaults.backoff_function,
            Some(wire::BackoffFunction::Arithmetic) => loosely_engine::BackoffFunction::Arithmetic,
            Some(wire::BackoffFunction::Exponential) => {
                loosely_engine::BackoffFunction::Exponential
            }
            Some(wire::BackoffFunction::Geometric) => loosely_engine::BackoffFunction::Geometric,
            Some(wire::BackoffFunction::Linear) => loosely_engine::BackoffFunction::Linear,
        },
        max_receives_per_second: throttle
            .and_then(|policy| policy.max_receives_per_second)
            .or(defaults.max_receives_per_second),
    }
}

/// The wire name of an engine field path where they differ (`ramps[0].end` is
/// `ramps[0].end_seconds` in the file).
#[inline(never)]
fn connector_names() -> Vec<&'static str> {
    let mut names = loosely_engine::appflow::ConnectorType::names(true);
    for name in loosely_engine::appflow::ConnectorType::names(false) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn wire_field(field: &str) -> String {
    match field {
        "keep_warm" => return "keep_warm_seconds".to_string(),
        "failover_delay" => return "failover_delay_seconds".to_string(),
        "instance_type" => return "host_instance_type".to_string(),
        _ => {}
    }
    if let Some(rest) = field.strip_prefix("failures[") {
        if let Some(index) = rest.strip_suffix("].duration") {
            return format!("failures[{index}].duration_seconds");
        }
    }
    if let Some(rest) = field.strip_prefix("queues[") {
        if let Some(index) = rest.strip_suffix("].queue_type") {
            return format!("queues[{index}].type");
        }
    }
    if let Some(rest) = field.strip_prefix("downtime[") {
        if let Some(index) = rest.strip_suffix("].end") {
            return format!("downtime[{index}].end_seconds");
        }
        if let Some(index) = rest.strip_suffix("].start") {
            return format!("downtime[{index}].start_seconds");
        }
    }
    if let Some(name) = field.strip_prefix("DeliveryPolicy.") {
        return match name {
            "maxReceivesPerSecond" => {
                "DeliveryPolicy.http.defaultThrottlePolicy.maxReceivesPerSecond".to_string()
            }
            name => format!("DeliveryPolicy.http.defaultHealthyRetryPolicy.{name}"),
        };
    }
    if let Some(rest) = field.strip_prefix("ramps[") {
        if let Some(index) = rest.strip_suffix("].end") {
            return format!("ramps[{index}].end_seconds");
        }
        if let Some(index) = rest.strip_suffix("].start") {
            return format!("ramps[{index}].start_seconds");
        }
    }
    field.to_string()
}

#[inline(never)]
fn lower_message(message: &wire::MessageParameters) -> loosely_engine::MessageTemplate {
    let defaults = v1::message();
    loosely_engine::MessageTemplate {
        body_size: message
            .body_size
            .map(|d| d.to_engine())
            .unwrap_or(defaults.body_size),
        attributes: message
            .attributes
            .iter()
            .map(|attribute| MessageAttribute {
                name: attribute.name.clone(),
                data_type: attribute.data_type.clone(),
                value: attribute.string_value.clone(),
            })
            .collect(),
        group_ids: message.group_ids.clone(),
        group_choice: match message.group_choice {
            None => defaults.group_choice,
            Some(wire::GroupChoice::RoundRobin) => loosely_engine::GroupChoice::RoundRobin,
            Some(wire::GroupChoice::Random) => loosely_engine::GroupChoice::Random,
        },
        dedup_ids: match message.dedup_ids {
            None => defaults.dedup_ids,
            Some(wire::DedupIds::None) => loosely_engine::DedupIds::None,
            Some(wire::DedupIds::Unique) => loosely_engine::DedupIds::Unique,
        },
        duplicate_share: message.duplicate_share.unwrap_or(defaults.duplicate_share),
        delay_seconds: message.delay_seconds,
        variants: message
            .variants
            .iter()
            .map(|variant| MessageVariant {
                weight: variant.weight.unwrap_or(v1::VARIANT_WEIGHT),
                attributes: variant
                    .attributes
                    .iter()
                    .map(|attribute| MessageAttribute {
                        name: attribute.name.clone(),
                        data_type: attribute.data_type.clone(),
                        value: attribute.string_value.clone(),
                    })
                    .collect(),
                body: variant.body.clone(),
            })
            .collect(),
        // Resolved by `Lowerer::lower_message`, which knows the component ids.
        extended_client_bucket: defaults.extended_client_bucket,
    }
}

#[inline(never)]
fn lower_consumer(p: &wire::ConsumerParameters, source: usize) -> ConsumerSpec {
    let defaults = v1::consumer();
    ConsumerSpec {
        source,
        target: None,
        workers: p.workers.unwrap_or(defaults.workers),
        wait_time_seconds: p.wait_time_seconds.or(defaults.wait_time_seconds),
        max_number_of_messages: p
            .max_number_of_messages
            .unwrap_or(defaults.max_number_of_messages),
        visibility_timeout: p.visibility_timeout.or(defaults.visibility_timeout),
        processing_time: p
            .processing_time
            .map(|d| d.to_engine())
            .unwrap_or(defaults.processing_time),
        failure_probability: p
            .failure_probability
            .unwrap_or(defaults.failure_probability),
        heartbeat: p.heartbeat.as_ref().map(|heartbeat| Heartbeat {
            interval_seconds: heartbeat.interval_seconds,
            visibility_timeout: heartbeat.visibility_timeout,
        }),
        delete_mode: match p.delete_mode {
            None => defaults.delete_mode,
            Some(wire::DeleteMode::PerMessage) => loosely_engine::DeleteMode::PerMessage,
            Some(wire::DeleteMode::PerBatch) => loosely_engine::DeleteMode::PerBatch,
        },
        empty_receive_pause: p
            .empty_receive_pause_ms
            .map(|ms| SimDuration::from_millis(u64::from(ms)))
            .unwrap_or(defaults.empty_receive_pause),
        auto_scaling: None,
    }
}

/// "a" or "an" before a word.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}
