//! Validation and lowering: wire types in, an engine [`Model`] (or every problem) out.
//!
//! One pass does both, so the checks and the conversion never disagree. Structural problems
//! (version, ids, references, connections, durations) are found here; parameter ranges are
//! the engine's ([`Model::validate`]), whose issues are mapped back to JSON paths. A field
//! whose reference could not be resolved here is not reported a second time by the engine.
//!
//! Every function here is `#[inline(never)]`: with everything inlined into `analyze`, the
//! release profile (`opt-level = 3`, `codegen-units = 1`) took more than five minutes to
//! compile this crate (LLVM); kept apart, about ten seconds. Lowering runs once per load, so
//! the calls cost nothing that matters.

use std::collections::BTreeMap;
use std::fmt;

use loosely_engine::{
    AlarmSpec, Burst, Comparison, ComponentKind, ComponentSpec, ConsumerSpec, Heartbeat,
    LimitProfile, MessageAttribute, Metric, Model, ModelIssue, ProducerSpec, Ramp,
    RedriveAllowPolicy, RedrivePolicy, SimDuration, SimTime, Spike,
};

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
    reported: Vec<(usize, &'static str)>,
    /// (alarm, engine field) pairs already reported here.
    reported_alarm: Vec<(usize, &'static str)>,
}

pub(crate) fn analyze(scenario: &Scenario) -> Analysis {
    let mut lowerer = Lowerer {
        scenario,
        issues: Vec::new(),
        index_of: BTreeMap::new(),
        queue_named: BTreeMap::new(),
        reported: Vec::new(),
        reported_alarm: Vec::new(),
    };
    lowerer.check_top_level();
    lowerer.index_components();
    let (targets, sources) = lowerer.connect();
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
    };
    for issue in model.validate() {
        lowerer.push_engine_issue(issue);
    }
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
                    self.reported.push((index, "name"));
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
        for (index, connection) in scenario.connections.iter().enumerate() {
            let from = self.resolve_id(&format!("connections[{index}].from"), &connection.from);
            let to = self.resolve_id(&format!("connections[{index}].to"), &connection.to);
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            let (Some(source), Some(target)) = (self.component(from), self.component(to)) else {
                continue;
            };
            let refusal = match (source, target) {
                (Component::Producer(_), Component::SqsQueue(_)) => {
                    if let Some(list) = outgoing.get_mut(from) {
                        list.push(to);
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
                    "a consumer reads from a queue; \"{}\" is a {}",
                    connection.from,
                    source.kind_words()
                )),
                (Component::SqsQueue(_), Component::SqsQueue(_)) => Some(
                    "a queue is not connected to another queue; a dead-letter queue is set with the source queue's RedrivePolicy".to_string(),
                ),
                (_, Component::SqsQueue(_)) => Some(format!(
                    "a queue receives messages from a producer; \"{}\" is a {}",
                    connection.from,
                    source.kind_words()
                )),
                (_, Component::Producer(_)) => Some(format!(
                    "nothing connects into a producer; \"{}\" is a producer, connect it to the queue it sends to",
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
                        self.reported.push((index, "target"));
                        self.push(
                            format!("components[{index}]"),
                            format!(
                                "a producer needs exactly one connection to a queue; \"{}\" has {}",
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
                        self.reported.push((index, "source"));
                        self.push(
                            format!("components[{index}]"),
                            format!(
                                "a consumer needs exactly one connection from a queue; \"{}\" has {}",
                                component.id(),
                                list.len()
                            ),
                        );
                    }
                }
                Component::SqsQueue(_) => {}
            }
        }
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
                ComponentKind::Consumer(lower_consumer(&node.parameters, source))
            }
        };
        ComponentSpec { name, kind }
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
                        self.reported
                            .push((index, "RedrivePolicy.deadLetterTargetArn"));
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
            allowed_source_topics: defaults.allowed_source_topics,
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
            Some(message) => lower_message(message),
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
                    .any(|&(c, f)| c == component && f == field)
                {
                    return;
                }
                match field.as_str() {
                    "name" => format!("components[{component}].name"),
                    // Connections are checked above; this is a defensive fallback.
                    "target" | "source" => format!("components[{component}]"),
                    _ => format!("components[{component}].parameters.{}", wire_field(&field)),
                }
            }
            (None, None) => match field.as_str() {
                "metric_period" => "metric_period_seconds".to_string(),
                other => other.to_string(),
            },
        };
        self.push(path, message);
    }
}

/// The wire name of an engine field path where they differ (`ramps[0].end` is
/// `ramps[0].end_seconds` in the file).
#[inline(never)]
fn wire_field(field: &str) -> String {
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
        variants: defaults.variants,
        extended_client_bucket: defaults.extended_client_bucket,
    }
}

#[inline(never)]
fn lower_consumer(p: &wire::ConsumerParameters, source: usize) -> ConsumerSpec {
    let defaults = v1::consumer();
    ConsumerSpec {
        source,
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
    }
}
