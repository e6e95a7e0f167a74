//! Amazon MQ specs: a broker (ActiveMQ or RabbitMQ engine, its deployment mode, its
//! destinations), the producers and consumer pools that connect to it, the routing rules
//! (virtual topics, exchanges of type direct, fanout and topic) as pure functions, and
//! their validation.
//!
//! The runtime (messages, dispatch with prefetch, acknowledgements, redelivery, failover)
//! is `mq_runtime.rs`, a child module of `sim`.
//!
//! Simplified: a broker's destinations are declared up front (no auto-created
//! destinations), ActiveMQ topics exist only as virtual topics, message expiry is not
//! modelled (`ExpiredCount` stays 0), and the store has no throughput cap.

use crate::model::{ComponentId, ComponentKind, Model};
use crate::time::SimDuration;

/// The broker `EngineType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum BrokerEngine {
    #[default]
    ActiveMq,
    RabbitMq,
}

impl BrokerEngine {
    pub fn as_str(self) -> &'static str {
        match self {
            BrokerEngine::ActiveMq => "ACTIVEMQ",
            BrokerEngine::RabbitMq => "RABBITMQ",
        }
    }

    /// The dead-letter destination's name: ActiveMQ's shared `ActiveMQ.DLQ`; for RabbitMQ
    /// the queue bound to the dead-letter exchange.
    pub fn dlq_name(self) -> &'static str {
        match self {
            BrokerEngine::ActiveMq => "ActiveMQ.DLQ",
            BrokerEngine::RabbitMq => "dead-letter",
        }
    }
}

/// The broker `DeploymentMode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DeploymentMode {
    #[default]
    SingleInstance,
    /// ActiveMQ only: two brokers in two AZs sharing an EFS store, one active.
    ActiveStandbyMultiAz,
    /// RabbitMQ only: three nodes in three AZs behind a Network Load Balancer.
    ClusterMultiAz,
}

impl DeploymentMode {
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentMode::SingleInstance => "SINGLE_INSTANCE",
            DeploymentMode::ActiveStandbyMultiAz => "ACTIVE_STANDBY_MULTI_AZ",
            DeploymentMode::ClusterMultiAz => "CLUSTER_MULTI_AZ",
        }
    }

    /// Broker instances (ActiveMQ) or nodes (RabbitMQ) the mode runs, each billed.
    pub fn instances(self) -> u32 {
        match self {
            DeploymentMode::SingleInstance => 1,
            DeploymentMode::ActiveStandbyMultiAz => 2,
            DeploymentMode::ClusterMultiAz => 3,
        }
    }
}

/// A RabbitMQ exchange `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExchangeType {
    #[default]
    Direct,
    Fanout,
    Topic,
}

impl ExchangeType {
    pub fn as_str(self) -> &'static str {
        match self {
            ExchangeType::Direct => "direct",
            ExchangeType::Fanout => "fanout",
            ExchangeType::Topic => "topic",
        }
    }
}

/// A RabbitMQ queue's `x-queue-type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum QueueType {
    #[default]
    Classic,
    Quorum,
}

/// One queue of the broker.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokerQueueSpec {
    pub name: String,
    /// RabbitMQ only; ActiveMQ queues are always `Classic` here.
    pub queue_type: QueueType,
}

/// One binding of a RabbitMQ exchange to a queue.
#[derive(Clone, Debug, PartialEq)]
pub struct BindingSpec {
    pub queue: String,
    /// The binding key; fanout exchanges ignore it.
    pub routing_key: String,
}

/// A RabbitMQ exchange.
#[derive(Clone, Debug, PartialEq)]
pub struct ExchangeSpec {
    pub name: String,
    pub exchange_type: ExchangeType,
    pub bindings: Vec<BindingSpec>,
}

/// An ActiveMQ virtual topic `VirtualTopic.<name>` and the consumer groups whose queues
/// `Consumer.<group>.VirtualTopic.<name>` receive a copy of every message.
#[derive(Clone, Debug, PartialEq)]
pub struct VirtualTopicSpec {
    pub name: String,
    pub consumer_groups: Vec<String>,
}

impl VirtualTopicSpec {
    pub fn topic_name(&self) -> String {
        format!("VirtualTopic.{}", self.name)
    }

    pub fn queue_name(&self, group: &str) -> String {
        format!("Consumer.{group}.VirtualTopic.{}", self.name)
    }
}

/// A window when a broker instance fails, from the start of the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BrokerFailure {
    pub start: SimDuration,
    pub duration: SimDuration,
}

/// How a producer sends to the broker.
#[derive(Clone, Debug, PartialEq)]
pub struct MqSend {
    pub producer: ComponentId,
    /// ActiveMQ: a queue name or `VirtualTopic.<name>`; RabbitMQ: an exchange name, or ""
    /// for the default exchange (routing key = queue name).
    pub destination: String,
    /// RabbitMQ only.
    pub routing_key: String,
    /// Share of messages sent `PERSISTENT` (RabbitMQ `delivery_mode` 2), 0..=1.
    pub persistent_share: f64,
    /// The VPC group the producer runs in.
    pub vpc: Option<String>,
}

/// How a consumer pool reads from the broker.
#[derive(Clone, Debug, PartialEq)]
pub struct MqReceive {
    pub consumer: ComponentId,
    pub queue: String,
    /// Unacknowledged messages a worker holds at most (`prefetch` / `basic.qos`), 1..=1000.
    pub prefetch_count: u32,
    pub vpc: Option<String>,
}

/// An Amazon MQ broker.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokerSpec {
    pub engine: BrokerEngine,
    pub deployment_mode: DeploymentMode,
    /// `HostInstanceType`, for the price and the export.
    pub instance_type: String,
    /// US dollars per broker instance (or node) per hour.
    pub price_per_instance_hour: f64,
    /// The VPC group the broker's endpoints are in: brokers are private.
    pub vpc: String,
    pub queues: Vec<BrokerQueueSpec>,
    pub virtual_topics: Vec<VirtualTopicSpec>,
    pub exchanges: Vec<ExchangeSpec>,
    /// How long clients take to reach the standby (ActiveMQ) or another node (RabbitMQ)
    /// after the instance they used failed.
    pub failover_delay: SimDuration,
    /// ActiveMQ redelivery policy `maximumRedeliveries`; RabbitMQ quorum queues'
    /// `delivery-limit`. Classic RabbitMQ queues redeliver without a limit.
    pub max_redeliveries: u32,
    pub failures: Vec<BrokerFailure>,
    pub producers: Vec<MqSend>,
    pub consumers: Vec<MqReceive>,
}

/// The ActiveMQ client's default redelivery policy, `maximumRedeliveries`.
pub const ACTIVEMQ_MAX_REDELIVERIES: u32 = 6;
/// RabbitMQ 4's default quorum queue `delivery-limit`.
pub const RABBITMQ_DELIVERY_LIMIT: u32 = 20;

impl Default for BrokerSpec {
    fn default() -> BrokerSpec {
        BrokerSpec {
            engine: BrokerEngine::ActiveMq,
            deployment_mode: DeploymentMode::SingleInstance,
            instance_type: "mq.m5.large".into(),
            // mq.m5.large in us-east-1 ($0.288 an hour for ActiveMQ; RabbitMQ's rate is
            // close enough for this playground).
            price_per_instance_hour: 0.288,
            vpc: "default".into(),
            queues: Vec::new(),
            virtual_topics: Vec::new(),
            exchanges: Vec::new(),
            failover_delay: SimDuration::from_secs(30),
            max_redeliveries: ACTIVEMQ_MAX_REDELIVERIES,
            failures: Vec::new(),
            producers: Vec::new(),
            consumers: Vec::new(),
        }
    }
}

/// Whether a RabbitMQ topic binding key (`*` one word, `#` zero or more words, words split
/// by `.`) matches a routing key.
pub fn topic_matches(binding: &str, routing_key: &str) -> bool {
    let pattern: Vec<&str> = binding.split('.').collect();
    let words: Vec<&str> = routing_key.split('.').collect();
    // Iterative matching with a table: `reachable[j]` is whether the pattern's first i
    // parts can match the key's first j words. Bounded by parts times words.
    let mut reachable = vec![false; words.len() + 1];
    reachable[0] = true;
    for part in &pattern {
        let mut next = vec![false; words.len() + 1];
        for j in 0..=words.len() {
            if !reachable[j] {
                continue;
            }
            match *part {
                "#" => {
                    for slot in next.iter_mut().skip(j) {
                        *slot = true;
                    }
                }
                "*" => {
                    if j < words.len() {
                        next[j + 1] = true;
                    }
                }
                word => {
                    if words.get(j) == Some(&word) {
                        next[j + 1] = true;
                    }
                }
            }
        }
        reachable = next;
    }
    reachable[words.len()]
}

impl BrokerSpec {
    /// The queues (by index in `queues`, each once, in declaration order) a message sent to
    /// `destination` with `routing_key` lands in. Empty when unroutable.
    pub fn route(&self, destination: &str, routing_key: &str) -> Vec<usize> {
        let mut hits = vec![false; self.queues.len()];
        let index_of = |name: &str| self.queues.iter().position(|q| q.name == name);
        match self.engine {
            BrokerEngine::ActiveMq => {
                if let Some(topic) = self
                    .virtual_topics
                    .iter()
                    .find(|t| t.topic_name() == destination)
                {
                    for group in &topic.consumer_groups {
                        if let Some(i) = index_of(&topic.queue_name(group)) {
                            hits[i] = true;
                        }
                    }
                } else if let Some(i) = index_of(destination) {
                    hits[i] = true;
                }
            }
            BrokerEngine::RabbitMq => {
                if destination.is_empty() {
                    // The default exchange: the routing key names the queue.
                    if let Some(i) = index_of(routing_key) {
                        hits[i] = true;
                    }
                } else if let Some(exchange) = self.exchanges.iter().find(|e| e.name == destination)
                {
                    for binding in &exchange.bindings {
                        let matched = match exchange.exchange_type {
                            ExchangeType::Direct => binding.routing_key == routing_key,
                            ExchangeType::Fanout => true,
                            ExchangeType::Topic => topic_matches(&binding.routing_key, routing_key),
                        };
                        if let (true, Some(i)) = (matched, index_of(&binding.queue)) {
                            hits[i] = true;
                        }
                    }
                }
            }
        }
        hits.iter()
            .enumerate()
            .filter_map(|(i, hit)| hit.then_some(i))
            .collect()
    }

    /// Whether a producer may name `destination`.
    pub fn has_destination(&self, destination: &str) -> bool {
        match self.engine {
            BrokerEngine::ActiveMq => {
                self.queues.iter().any(|q| q.name == destination)
                    || self
                        .virtual_topics
                        .iter()
                        .any(|t| t.topic_name() == destination)
            }
            BrokerEngine::RabbitMq => {
                destination.is_empty() || self.exchanges.iter().any(|e| e.name == destination)
            }
        }
    }
}

fn check_name(field: &str, name: &str, push: &mut dyn FnMut(&str, String)) {
    if name.is_empty() || name.len() > 255 {
        push(field, format!("{name:?}: a name needs 1..=255 characters"));
    }
}

impl Model {
    /// The problems of a broker, with fields relative to the broker, and of the producers
    /// and consumer pools connected to it.
    pub(crate) fn mq_issues(&self, component: ComponentId, push: &mut dyn FnMut(&str, String)) {
        let Some(ComponentKind::Broker(spec)) = self.components.get(component).map(|c| &c.kind)
        else {
            return;
        };
        let allowed_modes = match spec.engine {
            BrokerEngine::ActiveMq => "SINGLE_INSTANCE or ACTIVE_STANDBY_MULTI_AZ",
            BrokerEngine::RabbitMq => "SINGLE_INSTANCE or CLUSTER_MULTI_AZ",
        };
        let mode_ok = matches!(
            (spec.engine, spec.deployment_mode),
            (_, DeploymentMode::SingleInstance)
                | (BrokerEngine::ActiveMq, DeploymentMode::ActiveStandbyMultiAz)
                | (BrokerEngine::RabbitMq, DeploymentMode::ClusterMultiAz)
        );
        if !mode_ok {
            push(
                "deployment_mode",
                format!(
                    "{} is not a deployment mode of {}: allowed {allowed_modes}",
                    spec.deployment_mode.as_str(),
                    spec.engine.as_str()
                ),
            );
        }
        check_name("vpc", &spec.vpc, push);
        if !(spec.price_per_instance_hour.is_finite() && spec.price_per_instance_hour >= 0.0) {
            push(
                "price_per_instance_hour",
                format!(
                    "{} is not a price (0 or more)",
                    spec.price_per_instance_hour
                ),
            );
        }
        if spec.failover_delay > SimDuration::from_secs(3_600) {
            push(
                "failover_delay",
                format!(
                    "{} s is outside 0..=3600 seconds",
                    spec.failover_delay.as_secs_f64()
                ),
            );
        }
        if !(1..=1_000).contains(&spec.max_redeliveries) {
            push(
                "max_redeliveries",
                format!("{} is outside 1..=1000", spec.max_redeliveries),
            );
        }
        for (i, queue) in spec.queues.iter().enumerate() {
            check_name(&format!("queues[{i}].name"), &queue.name, push);
            if spec.queues[..i].iter().any(|q| q.name == queue.name) {
                push(
                    &format!("queues[{i}].name"),
                    format!("{:?} is declared twice", queue.name),
                );
            }
            if spec.engine == BrokerEngine::ActiveMq && queue.queue_type == QueueType::Quorum {
                push(
                    &format!("queues[{i}].queue_type"),
                    "quorum queues are RabbitMQ queues; ActiveMQ has classic queues only".into(),
                );
            }
        }
        let has_queue = |name: &str| spec.queues.iter().any(|q| q.name == name);
        if spec.engine == BrokerEngine::RabbitMq && !spec.virtual_topics.is_empty() {
            push(
                "virtual_topics",
                "virtual topics are ActiveMQ destinations; RabbitMQ routes with exchanges".into(),
            );
        }
        if spec.engine == BrokerEngine::ActiveMq && !spec.exchanges.is_empty() {
            push(
                "exchanges",
                "exchanges are RabbitMQ's; ActiveMQ routes with queues and virtual topics".into(),
            );
        }
        for (i, topic) in spec.virtual_topics.iter().enumerate() {
            check_name(&format!("virtual_topics[{i}].name"), &topic.name, push);
            for (g, group) in topic.consumer_groups.iter().enumerate() {
                let queue = topic.queue_name(group);
                if !has_queue(&queue) {
                    push(
                        &format!("virtual_topics[{i}].consumer_groups[{g}]"),
                        format!("the queue {queue:?} is not declared in queues"),
                    );
                }
            }
        }
        for (i, exchange) in spec.exchanges.iter().enumerate() {
            check_name(&format!("exchanges[{i}].name"), &exchange.name, push);
            for (b, binding) in exchange.bindings.iter().enumerate() {
                if !has_queue(&binding.queue) {
                    push(
                        &format!("exchanges[{i}].bindings[{b}].queue"),
                        format!("{:?} is not a queue of the broker", binding.queue),
                    );
                }
                if binding.routing_key.len() > 255 {
                    push(
                        &format!("exchanges[{i}].bindings[{b}].routing_key"),
                        "a routing key holds at most 255 bytes".into(),
                    );
                }
            }
        }
        for (i, failure) in spec.failures.iter().enumerate() {
            if failure.duration == SimDuration::ZERO {
                push(
                    &format!("failures[{i}].duration"),
                    "0 s: a failure lasts more than 0 seconds".into(),
                );
            }
        }
        let vpc_issue = |kind: &str, vpc: &Option<String>| -> Option<String> {
            match vpc {
                Some(v) if *v == spec.vpc => None,
                Some(v) => Some(format!(
                    "the {kind} is in VPC {v:?} but the broker is in VPC {:?}: an Amazon MQ broker is private, only clients in its VPC connect (SQS and SNS are public endpoints)",
                    spec.vpc
                )),
                None => Some(format!(
                    "the {kind} is in no VPC but the broker is in VPC {:?}: an Amazon MQ broker is private, only clients in its VPC connect (SQS and SNS are public endpoints)",
                    spec.vpc
                )),
            }
        };
        for (id, other) in self.components.iter().enumerate() {
            let (connects, listed, what) = match &other.kind {
                ComponentKind::Producer(p) => (
                    p.target == component,
                    spec.producers.iter().filter(|s| s.producer == id).count(),
                    "producers",
                ),
                ComponentKind::Consumer(c) => (
                    c.source == component,
                    spec.consumers.iter().filter(|s| s.consumer == id).count(),
                    "consumers",
                ),
                _ => continue,
            };
            if connects && listed != 1 {
                push(
                    what,
                    format!(
                        "{} connects to the broker and must be listed once in {what} (found {listed})",
                        self.describe(id)
                    ),
                );
            }
        }
        for (i, send) in spec.producers.iter().enumerate() {
            if !matches!(
                self.components.get(send.producer).map(|c| &c.kind),
                Some(ComponentKind::Producer(p)) if p.target == component
            ) {
                push(
                    &format!("producers[{i}]"),
                    format!(
                        "{} is not a producer sending to this broker",
                        self.describe(send.producer)
                    ),
                );
            }
            if !spec.has_destination(&send.destination) {
                push(
                    &format!("producers[{i}].destination"),
                    format!(
                        "{:?} is not a destination of the broker ({})",
                        send.destination,
                        match spec.engine {
                            BrokerEngine::ActiveMq => "a queue or VirtualTopic.<name>",
                            BrokerEngine::RabbitMq =>
                                "an exchange, or \"\" for the default exchange",
                        }
                    ),
                );
            }
            if !(0.0..=1.0).contains(&send.persistent_share) {
                push(
                    &format!("producers[{i}].persistent_share"),
                    format!("{} is outside 0..=1", send.persistent_share),
                );
            }
            if let Some(message) = vpc_issue("producer", &send.vpc) {
                push(&format!("producers[{i}].vpc"), message);
            }
        }
        for (i, receive) in spec.consumers.iter().enumerate() {
            if !matches!(
                self.components.get(receive.consumer).map(|c| &c.kind),
                Some(ComponentKind::Consumer(c)) if c.source == component
            ) {
                push(
                    &format!("consumers[{i}]"),
                    format!(
                        "{} is not a consumer pool reading this broker",
                        self.describe(receive.consumer)
                    ),
                );
            }
            if !has_queue(&receive.queue) {
                push(
                    &format!("consumers[{i}].queue"),
                    format!("{:?} is not a queue of the broker", receive.queue),
                );
            }
            if !(1..=1_000).contains(&receive.prefetch_count) {
                push(
                    &format!("consumers[{i}].prefetch_count"),
                    format!("{} is outside 1..=1000", receive.prefetch_count),
                );
            }
            if let Some(message) = vpc_issue("consumer pool", &receive.vpc) {
                push(&format!("consumers[{i}].vpc"), message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_wildcards_match_as_rabbitmq_does() {
        assert!(topic_matches("orders.*", "orders.created"));
        assert!(!topic_matches("orders.*", "orders.created.eu"));
        assert!(topic_matches("orders.#", "orders.created.eu"));
        assert!(topic_matches("orders.#", "orders"));
        assert!(topic_matches("#", "anything.at.all"));
        assert!(topic_matches("*.created.#", "orders.created"));
        assert!(!topic_matches("*.created", "created"));
        assert!(topic_matches("#.eu", "orders.created.eu"));
        assert!(!topic_matches("orders.created", "orders.deleted"));
    }
}
