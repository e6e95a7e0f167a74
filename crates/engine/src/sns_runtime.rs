//! SNS inside the simulation: publishing, fanout with filter policies, deliveries to SQS
//! queues and endpoint nodes, retries, subscription dead-letter queues, large payloads.
//!
//! Modelled: standard and FIFO topics (ordering is kept by delivering at once, in publish
//! order, to the FIFO queues; deduplication in the 5-minute window; the 3,000 messages per
//! second quota of `FifoThroughputScope=Topic`); `Publish` and `PublishBatch`; the 256 KB
//! limit; every subscription evaluated independently; filter policies on attributes or body;
//! raw delivery versus the JSON envelope (which changes the delivered size); the retry
//! policies of each protocol class; client errors not retried; the subscription DLQ;
//! the extended client storing large bodies in a bucket; publish permissions and queue
//! permissions for topics; the CloudWatch metrics of `AWS/SNS`.
//!
//! Simplified: deliveries to SQS succeed at once unless the queue refuses them; a standard
//! topic's publish quota (30,000 messages per second in the largest Regions) is not enforced;
//! subscription confirmation, archive and replay are not modelled.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::*;
use crate::model::{
    BucketSpec, EndpointSpec, FifoThroughputScope, FilterScope, Protocol, SubscriptionSpec,
    TopicSpec,
};
use crate::sns_delivery::{self, EXTENDED_POINTER_SIZE, MAX_EXTENDED_PAYLOAD, MAX_PUBLISH_SIZE};
use crate::sns_filter::{FilterPolicy, FilterPolicyScope, Match, MessageAttributeValue};
use crate::trace::{DeliveryOutcome, SnsError};

/// Attributes of a published message, shared by its copies.
pub(super) type Attributes = Rc<BTreeMap<String, MessageAttributeValue>>;

#[derive(Clone, Debug, Default)]
pub(super) struct TopicCounters {
    published: u64,
    delivered: u64,
    failed: u64,
    filtered_out: u64,
    filtered_invalid: u64,
    filtered_no_attributes: u64,
    redriven_to_dlq: u64,
    publish_size_sum: u64,
    throttled: u64,
    rejected: u64,
    deduplicated: u64,
}

#[derive(Clone, Debug)]
pub(super) struct SubscriptionRt {
    spec: SubscriptionSpec,
    filter: Option<FilterPolicy>,
    /// A policy that does not parse (only possible if validation was skipped) lets nothing
    /// through rather than everything.
    rejects_all: bool,
    /// `throttlePolicy.maxReceivesPerSecond`.
    bucket: Option<TokenBucket>,
    delivered: u64,
    failed: u64,
    filtered_out: u64,
    to_dlq: u64,
}

#[derive(Clone, Debug)]
pub(super) struct TopicRt {
    pub(super) component: ComponentId,
    pub(super) spec: TopicSpec,
    subscriptions: Vec<SubscriptionRt>,
    dedup: DedupWindow,
    bucket: TokenBucket,
    period: TopicCounters,
    total: TopicCounters,
    /// Billable publish requests (64 KB chunks).
    pub(super) requests: u64,
    /// Billable deliveries per protocol price class: (HTTP/S, email, mobile push).
    deliveries_http: u64,
    deliveries_email: u64,
    deliveries_push: u64,
}

#[derive(Clone, Debug, Default)]
pub(super) struct EndpointRt {
    pub(super) component: ComponentId,
    pub(super) spec: EndpointSpec,
    received: u64,
    server_errors: u64,
    client_errors: u64,
    period_received: u64,
    period_errors: u64,
}

#[derive(Clone, Debug, Default)]
pub(super) struct BucketRt {
    pub(super) component: ComponentId,
    pub(super) objects: u64,
    pub(super) bytes: u64,
}

/// A copy of a message on its way to one subscription, kept while retries are pending.
#[derive(Clone, Debug)]
pub(super) struct Delivery {
    topic: u32,
    subscription: u32,
    message: u64,
    producer: u32,
    size: u32,
    group: u32,
    dedup_id: Option<String>,
    attributes: Attributes,
    first_attempt_at: SimTime,
    attempts: u32,
    epoch: u32,
    live: bool,
}

/// Where each copy of each published message is. Copies are conserved:
/// `copies == filtered_out + delivered + failed + to_dlq + pending`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SnsCensus {
    /// Publish attempts (each entry of a batch counts).
    pub published: u64,
    pub rejected: u64,
    pub deduplicated: u64,
    /// One per subscription of every accepted publish.
    pub copies: u64,
    pub filtered_out: u64,
    pub delivered: u64,
    /// Given up on and discarded (no DLQ).
    pub failed: u64,
    pub to_dlq: u64,
    /// Waiting for an endpoint's answer or for a retry.
    pub pending: u64,
}

/// Live numbers of a topic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TopicStats {
    pub published: u64,
    pub rejected: u64,
    pub throttled: u64,
    pub deduplicated: u64,
    pub delivered: u64,
    pub failed: u64,
    pub filtered_out: u64,
    pub redriven_to_dlq: u64,
    /// Copies waiting for an answer or a retry.
    pub pending: u64,
    pub requests: u64,
    pub cost_usd: f64,
    /// Per subscription, in order: (delivered, failed, filtered out, sent to its DLQ).
    pub subscriptions: Vec<(u64, u64, u64, u64)>,
}

/// Live numbers of an endpoint node.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointStats {
    pub received: u64,
    pub server_errors: u64,
    pub client_errors: u64,
    pub down: bool,
}

/// Live numbers of a bucket.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BucketStats {
    pub objects: u64,
    pub bytes: u64,
}

/// A FIFO deduplication window: ids remembered for a fixed time.
#[derive(Clone, Debug, Default)]
pub(super) struct DedupWindow {
    seen: FxHashMap<String, SimTime>,
    order: VecDeque<(SimTime, String)>,
}

impl DedupWindow {
    /// Forgets ids older than `now`, then returns the time until which `key` is remembered if
    /// it is a duplicate, or remembers it until `until`.
    pub(super) fn check(&mut self, key: String, now: SimTime, until: SimTime) -> Option<SimTime> {
        while self.order.front().is_some_and(|(expiry, _)| *expiry <= now) {
            if let Some((expiry, old)) = self.order.pop_front() {
                if self.seen.get(&old) == Some(&expiry) {
                    self.seen.remove(&old);
                }
            }
        }
        if let Some(&remembered) = self.seen.get(&key) {
            return Some(remembered);
        }
        self.seen.insert(key.clone(), until);
        self.order.push_back((until, key));
        None
    }
}

/// A message published by hand.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ManualPublish {
    pub body: String,
    /// Attributes in the SNS API shape.
    pub attributes: BTreeMap<String, MessageAttributeValue>,
    pub message_group_id: Option<String>,
    pub message_deduplication_id: Option<String>,
}

/// One message about to be published.
pub(in crate::sim) struct Publication {
    pub(super) producer: u32,
    pub(super) size: u64,
    pub(super) group: u32,
    pub(super) dedup_id: Option<String>,
    pub(super) attributes: Attributes,
    pub(super) body: Option<Rc<str>>,
}

fn filter_scope(scope: FilterScope) -> FilterPolicyScope {
    match scope {
        FilterScope::MessageAttributes => FilterPolicyScope::MessageAttributes,
        FilterScope::MessageBody => FilterPolicyScope::MessageBody,
    }
}

fn attributes_size(attributes: &BTreeMap<String, MessageAttributeValue>) -> u32 {
    attributes
        .iter()
        .map(|(name, value)| {
            name.len()
                + value.data_type.len()
                + value.string_value.as_ref().map_or(0, |v| v.len())
                + value.binary_value.as_ref().map_or(0, |v| v.len())
        })
        .sum::<usize>()
        .min(u32::MAX as usize) as u32
}

impl SubscriptionRt {
    pub(super) fn new(spec: SubscriptionSpec) -> SubscriptionRt {
        let parsed = spec
            .filter_policy
            .as_deref()
            .map(|text| FilterPolicy::parse(text, filter_scope(spec.filter_policy_scope)));
        let (filter, rejects_all) = match parsed {
            Some(Ok(policy)) => (Some(policy), false),
            Some(Err(_)) => (None, true),
            None => (None, false),
        };
        let bucket = spec
            .delivery_policy
            .as_ref()
            .and_then(|p| p.max_receives_per_second)
            .map(TokenBucket::new);
        SubscriptionRt {
            spec,
            filter,
            rejects_all,
            bucket,
            delivered: 0,
            failed: 0,
            filtered_out: 0,
            to_dlq: 0,
        }
    }
}

impl TopicRt {
    pub(super) fn new(component: ComponentId, spec: TopicSpec) -> TopicRt {
        let subscriptions = spec
            .subscriptions
            .iter()
            .cloned()
            .map(SubscriptionRt::new)
            .collect();
        TopicRt {
            component,
            spec,
            subscriptions,
            dedup: DedupWindow::default(),
            bucket: TokenBucket::new(sns_delivery::FIFO_TOPIC_MESSAGES_PER_SECOND),
            period: TopicCounters::default(),
            total: TopicCounters::default(),
            requests: 0,
            deliveries_http: 0,
            deliveries_email: 0,
            deliveries_push: 0,
        }
    }

    pub(super) fn update(&mut self, spec: TopicSpec) {
        // Counters per subscription survive when the subscription list keeps its length.
        let old = std::mem::take(&mut self.subscriptions);
        self.subscriptions = spec
            .subscriptions
            .iter()
            .cloned()
            .enumerate()
            .map(|(index, sub)| {
                let mut fresh = SubscriptionRt::new(sub);
                if let Some(previous) = old.get(index) {
                    fresh.delivered = previous.delivered;
                    fresh.failed = previous.failed;
                    fresh.filtered_out = previous.filtered_out;
                    fresh.to_dlq = previous.to_dlq;
                }
                fresh
            })
            .collect();
        self.spec = spec;
    }
}

impl EndpointRt {
    pub(super) fn new(component: ComponentId, spec: EndpointSpec) -> EndpointRt {
        EndpointRt {
            component,
            spec,
            ..EndpointRt::default()
        }
    }
}

impl BucketRt {
    pub(super) fn new(component: ComponentId, _spec: &BucketSpec) -> BucketRt {
        BucketRt {
            component,
            objects: 0,
            bytes: 0,
        }
    }
}

impl Simulation {
    /// Where every copy of every published message is.
    pub fn sns_census(&self) -> SnsCensus {
        let mut census = self.sns_census;
        census.pending = self.deliveries.iter().filter(|d| d.live).count() as u64;
        census
    }

    pub(super) fn topic_stats(&self, index: u32) -> TopicStats {
        let t = &self.topics[index as usize];
        TopicStats {
            published: t.total.published,
            rejected: t.total.rejected,
            throttled: t.total.throttled,
            deduplicated: t.total.deduplicated,
            delivered: t.total.delivered,
            failed: t.total.failed,
            filtered_out: t.total.filtered_out,
            redriven_to_dlq: t.total.redriven_to_dlq,
            pending: self
                .deliveries
                .iter()
                .filter(|d| d.live && d.topic == index)
                .count() as u64,
            requests: t.requests,
            cost_usd: self.topic_cost(t),
            subscriptions: t
                .subscriptions
                .iter()
                .map(|s| (s.delivered, s.failed, s.filtered_out, s.to_dlq))
                .collect(),
        }
    }

    pub(super) fn endpoint_stats(&self, index: u32) -> EndpointStats {
        let e = &self.endpoints[index as usize];
        EndpointStats {
            received: e.received,
            server_errors: e.server_errors,
            client_errors: e.client_errors,
            down: self.fault_stopped(e.component),
        }
    }

    pub(super) fn bucket_stats(&self, index: u32) -> BucketStats {
        let b = &self.buckets[index as usize];
        // Payloads of the extended client, and the objects state machines read and wrote.
        let name = &self.model.components[b.component].name;
        let (objects, bytes) = self.s3.usage(name);
        BucketStats {
            objects: b.objects + objects,
            bytes: b.bytes + bytes,
        }
    }

    pub(super) fn topic_cost(&self, t: &TopicRt) -> f64 {
        let l = &self.limits;
        (t.requests as f64 * l.price_sns_publish_per_million
            + t.deliveries_http as f64 * l.price_sns_http_per_million
            + t.deliveries_email as f64 * l.price_sns_email_per_million
            + t.deliveries_push as f64 * l.price_sns_push_per_million)
            / 1_000_000.0
    }

    /// `PublishBatch` (count > 1) or `Publish` from a producer.
    pub(super) fn publish_call(&mut self, producer: u32, topic: u32, count: u32) {
        let component = self.producers[producer as usize].component;
        let mut batch = Vec::with_capacity(count as usize);
        for _ in 0..count {
            batch.push(self.next_publication(producer, topic));
        }
        let payload: u64 = batch
            .iter()
            .map(|p| p.size.min(MAX_PUBLISH_SIZE as u64 + 1))
            .sum();
        self.topics[topic as usize].requests +=
            billable_chunks(payload, self.limits.billing_chunk_bytes);
        let allowed = self.topics[topic as usize]
            .spec
            .allowed_publishers
            .as_ref()
            .is_none_or(|allowed| allowed.contains(&component));
        let batch_error = if !allowed {
            Some(SnsError::AuthorizationError(format!(
                "User: arn:aws:sts::123456789012:assumed-role/{0}/{0} is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:123456789012:{1}",
                self.component_name(component),
                self.component_name(self.topics[topic as usize].component)
            )))
        } else if count > 1 && payload > MAX_PUBLISH_SIZE as u64 {
            Some(SnsError::BatchRequestTooLong(format!(
                "The length of all the messages put together is more than the limit ({payload} bytes, limit {MAX_PUBLISH_SIZE})."
            )))
        } else {
            None
        };
        for publication in batch {
            self.producers[producer as usize].attempted += 1;
            let result = match &batch_error {
                Some(error) => {
                    self.reject_publication(topic, Some(component), error.clone());
                    Err(())
                }
                None => self.publish(topic, publication),
            };
            let p = &mut self.producers[producer as usize];
            match result {
                Ok(()) => {
                    p.accepted += 1;
                    p.period_sent += 1;
                }
                Err(()) => {
                    p.rejected += 1;
                    p.period_errors += 1;
                }
            }
        }
    }

    fn next_publication(&mut self, producer: u32, topic: u32) -> Publication {
        let fifo = self.topics[topic as usize].spec.fifo_topic;
        let content_based = self.topics[topic as usize].spec.content_based_deduplication;
        let picked = self.pick_message(producer);
        let p = &self.producers[producer as usize];
        let component = p.component;
        let (dedup_id, _) = Simulation::dedup_id_for(p, &picked, fifo, content_based);
        Publication {
            producer: component as u32,
            size: picked.size as u64,
            group: picked.group,
            dedup_id,
            attributes: picked.attributes,
            body: picked.body,
        }
    }

    fn reject_publication(&mut self, topic: u32, producer: Option<ComponentId>, error: SnsError) {
        let t = &mut self.topics[topic as usize];
        t.period.rejected += 1;
        t.total.rejected += 1;
        if matches!(error, SnsError::Throttled) {
            t.period.throttled += 1;
            t.total.throttled += 1;
        }
        self.sns_census.published += 1;
        self.sns_census.rejected += 1;
        let component = t.component;
        self.record(
            component,
            None,
            TraceKind::PublishRejected { producer, error },
        );
    }

    /// Publishes one message: checks, large payloads, deduplication, then fanout.
    pub(super) fn publish(&mut self, topic: u32, mut publication: Publication) -> Result<(), ()> {
        let producer = (publication.producer != NONE).then_some(publication.producer as usize);
        let spec = &self.topics[topic as usize].spec;
        let fifo = spec.fifo_topic;
        // The extended client stores a body above the limit in S3 and publishes a pointer.
        let mut stored_in: Option<u32> = None;
        if publication.size > MAX_PUBLISH_SIZE as u64 {
            let bucket = producer
                .and_then(|p| match self.slots.get(p) {
                    Some(Slot::Producer(index)) => {
                        self.producers[*index as usize]
                            .spec
                            .template
                            .extended_client_bucket
                    }
                    _ => None,
                })
                .and_then(|bucket| match self.slots.get(bucket) {
                    Some(Slot::Bucket(index)) => Some(*index),
                    _ => None,
                });
            match bucket {
                Some(bucket) if publication.size <= MAX_EXTENDED_PAYLOAD => {
                    stored_in = Some(bucket)
                }
                _ => {
                    self.reject_publication(
                        topic,
                        producer,
                        SnsError::InvalidParameter("Invalid parameter: Message too long".into()),
                    );
                    return Err(());
                }
            }
        }
        if fifo {
            if publication.group == NONE {
                self.reject_publication(
                    topic,
                    producer,
                    SnsError::InvalidParameter(
                        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics".into(),
                    ),
                );
                return Err(());
            }
            if publication.dedup_id.is_none() {
                self.reject_publication(
                    topic,
                    producer,
                    SnsError::InvalidParameter(
                        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly".into(),
                    ),
                );
                return Err(());
            }
            let throttled = self.topics[topic as usize].spec.fifo_throughput_scope
                == FifoThroughputScope::Topic
                && !self.topics[topic as usize].bucket.try_take(self.now);
            if throttled {
                self.reject_publication(topic, producer, SnsError::Throttled);
                return Err(());
            }
        }
        if let Some(bucket) = stored_in {
            let b = &mut self.buckets[bucket as usize];
            b.objects += 1;
            b.bytes += publication.size;
            let bucket_component = b.component;
            let size = publication.size;
            self.record(
                bucket_component,
                None,
                TraceKind::StoredInBucket { bytes: size },
            );
            publication.size = EXTENDED_POINTER_SIZE as u64;
        }
        self.sns_census.published += 1;
        let id = self.next_message_id;
        self.next_message_id += 1;
        let now = self.now;
        let t = &mut self.topics[topic as usize];
        if fifo {
            if let Some(dedup) = &publication.dedup_id {
                let key = match t.spec.fifo_throughput_scope {
                    FifoThroughputScope::Topic => dedup.clone(),
                    FifoThroughputScope::MessageGroup => {
                        format!("{}\u{0}{dedup}", publication.group)
                    }
                };
                let until =
                    now.saturating_add(SimDuration::from_secs(self.limits.dedup_window_seconds));
                if let Some(remembered) = t.dedup.check(key.clone(), now, until) {
                    t.period.deduplicated += 1;
                    t.total.deduplicated += 1;
                    self.sns_census.deduplicated += 1;
                    let component = t.component;
                    self.record(
                        component,
                        Some(id),
                        TraceKind::Deduplicated {
                            dedup_id: shorten(&key),
                            original_until: remembered,
                        },
                    );
                    return Ok(());
                }
            }
        }
        let size = publication.size as u32;
        t.period.published += 1;
        t.total.published += 1;
        t.period.publish_size_sum += size as u64;
        let component = t.component;
        let subscriptions = t.subscriptions.len();
        if self.tracing {
            let group = (publication.group != NONE)
                .then(|| self.group_names[publication.group as usize].clone());
            self.record(
                component,
                Some(id),
                TraceKind::Published {
                    producer,
                    size,
                    group,
                    subscriptions: subscriptions as u32,
                },
            );
        }
        for subscription in 0..subscriptions {
            self.fan_out(topic, subscription as u32, id, &publication);
        }
        Ok(())
    }

    /// One subscription's copy: filter, then deliver.
    fn fan_out(&mut self, topic: u32, subscription: u32, message: u64, publication: &Publication) {
        self.sns_census.copies += 1;
        let t = &self.topics[topic as usize];
        let sub = &t.subscriptions[subscription as usize];
        let verdict = match &sub.filter {
            None if sub.rejects_all => Match::NoMatch {
                key: String::new(),
                reason: "the filter policy is invalid".into(),
            },
            None => Match::Matched,
            Some(policy) => match sub.spec.filter_policy_scope {
                FilterScope::MessageAttributes => {
                    policy.matches_attributes(&publication.attributes)
                }
                FilterScope::MessageBody => {
                    policy.matches_body(publication.body.as_deref().unwrap_or(""))
                }
            },
        };
        if !matches!(verdict, Match::Matched) {
            let t = &mut self.topics[topic as usize];
            t.period.filtered_out += 1;
            t.total.filtered_out += 1;
            match verdict {
                Match::NoMessageAttributes => t.period.filtered_no_attributes += 1,
                Match::InvalidAttributes { .. } => t.period.filtered_invalid += 1,
                _ => {}
            }
            t.subscriptions[subscription as usize].filtered_out += 1;
            self.sns_census.filtered_out += 1;
            let component = t.component;
            let endpoint = t.subscriptions[subscription as usize].spec.endpoint;
            if self.tracing {
                let reason = match verdict {
                    Match::NoMatch { key, reason } => format!("{key}: {reason}"),
                    Match::NoMessageAttributes => "the message has no attributes".into(),
                    Match::InvalidAttributes { reason } => format!("invalid attributes: {reason}"),
                    Match::Matched => String::new(),
                };
                self.record(
                    component,
                    Some(message),
                    TraceKind::FilteredOut {
                        subscription,
                        endpoint,
                        reason,
                    },
                );
            }
            return;
        }
        let delivery = Delivery {
            topic,
            subscription,
            message,
            producer: publication.producer,
            size: publication.size as u32,
            group: publication.group,
            dedup_id: publication.dedup_id.clone(),
            attributes: publication.attributes.clone(),
            first_attempt_at: self.now,
            attempts: 0,
            epoch: 0,
            live: true,
        };
        let protocol = sub.spec.protocol;
        if protocol == Protocol::Sqs {
            // Deliveries to SQS are immediate: no slot is kept.
            self.deliver_to_queue(&delivery);
            return;
        }
        if let (Protocol::Lambda, Some(Slot::Lambda(lambda))) =
            (protocol, self.slots.get(sub.spec.endpoint).copied())
        {
            // Lambda takes the notification into its asynchronous queue at once.
            let size = self.delivered_size(&delivery);
            let topic_component = self.topics[topic as usize].component;
            self.count_delivered(&delivery);
            let body = publication.body.clone();
            self.lambda_accept_async(lambda, message, topic_component, size, body);
            return;
        }
        let slot = match self.free_deliveries.pop() {
            Some(slot) => {
                let epoch = self.deliveries[slot as usize].epoch.wrapping_add(1);
                self.deliveries[slot as usize] = Delivery { epoch, ..delivery };
                slot
            }
            None => {
                self.deliveries.push(delivery);
                self.deliveries.len() as u32 - 1
            }
        };
        self.attempt_delivery(slot);
    }

    /// The size of a copy as the subscriber receives it.
    fn delivered_size(&self, delivery: &Delivery) -> u32 {
        let t = &self.topics[delivery.topic as usize];
        let sub = &t.subscriptions[delivery.subscription as usize];
        let attributes = attributes_size(&delivery.attributes);
        if sub.spec.raw_message_delivery {
            // Raw: the body as published; SNS attributes become SQS attributes (SQS only).
            if sub.spec.protocol == Protocol::Sqs {
                delivery.size.saturating_add(attributes)
            } else {
                delivery.size
            }
        } else {
            sns_delivery::envelope_size(
                delivery.size,
                self.component_name(t.component),
                attributes,
                delivery.attributes.len() as u32,
            )
        }
    }

    fn deliver_to_queue(&mut self, delivery: &Delivery) {
        let t = &self.topics[delivery.topic as usize];
        let sub = &t.subscriptions[delivery.subscription as usize];
        let topic_component = t.component;
        let target = sub.spec.endpoint;
        let Some(Slot::Queue(queue)) = self.slots.get(target).copied() else {
            self.give_up(
                delivery.clone(),
                "the subscribed queue does not exist".into(),
            );
            return;
        };
        let permitted = self.queues[queue as usize]
            .spec
            .allowed_source_topics
            .as_ref()
            .is_none_or(|topics| topics.contains(&topic_component));
        if !permitted {
            // A client-side error: never retried (§2.5).
            let reason = format!(
                "{}'s access policy does not allow {} to send messages (client error, not retried)",
                self.component_name(target),
                self.component_name(topic_component)
            );
            self.give_up(delivery.clone(), reason);
            return;
        }
        let size = self.delivered_size(delivery);
        let queue_fifo = self.queues[queue as usize].spec.fifo_queue;
        let outgoing = Outgoing {
            producer: delivery.producer,
            via: topic_component as u32,
            size,
            group: delivery.group,
            dedup_id: if queue_fifo {
                delivery.dedup_id.clone()
            } else {
                None
            },
            explicit_dedup: false,
            delay_seconds: None,
            extra: None,
        };
        match self.enqueue_new(queue, outgoing) {
            Ok(_) => self.count_delivered(delivery),
            Err(error) => {
                let reason = format!(
                    "{} refused the message: {error} (client error, not retried)",
                    self.component_name(target)
                );
                self.give_up(delivery.clone(), reason);
            }
        }
    }

    fn count_delivered(&mut self, delivery: &Delivery) {
        let t = &mut self.topics[delivery.topic as usize];
        t.period.delivered += 1;
        t.total.delivered += 1;
        let sub = &mut t.subscriptions[delivery.subscription as usize];
        sub.delivered += 1;
        match sub.spec.protocol {
            Protocol::Http | Protocol::Https => t.deliveries_http += 1,
            Protocol::Email | Protocol::EmailJson => t.deliveries_email += 1,
            Protocol::Application => t.deliveries_push += 1,
            _ => {}
        }
        self.sns_census.delivered += 1;
        let component = t.component;
        let endpoint = sub.spec.endpoint;
        let attempts = delivery.attempts.max(1);
        self.record(
            component,
            Some(delivery.message),
            TraceKind::Delivered {
                subscription: delivery.subscription,
                endpoint,
                attempts,
            },
        );
    }

    /// Sends the copy to an endpoint node; the answer comes after the endpoint's latency.
    fn attempt_delivery(&mut self, slot: u32) {
        let d = &self.deliveries[slot as usize];
        let t = &mut self.topics[d.topic as usize];
        let sub = &mut t.subscriptions[d.subscription as usize];
        if let Some(bucket) = sub.bucket.as_mut() {
            if !bucket.try_take(self.now) {
                // Throttle policy: wait for the next token.
                let rate = bucket.rate_per_second.max(1);
                let wait = SimDuration(1_000_000 / rate);
                let epoch = d.epoch;
                self.events.schedule(
                    self.now.saturating_add(wait),
                    Event::DeliveryAttempt {
                        delivery: slot,
                        epoch,
                    },
                );
                return;
            }
        }
        let endpoint = sub.spec.endpoint;
        let Some(Slot::Endpoint(index)) = self.slots.get(endpoint).copied() else {
            let d = self.release_delivery(slot);
            self.give_up(d, "the subscribed endpoint does not exist".into());
            return;
        };
        let latency = self.endpoints[index as usize]
            .spec
            .latency
            .sample(&mut self.rng)
            * self.fault_slowdown(endpoint);
        let d = &mut self.deliveries[slot as usize];
        d.attempts += 1;
        if d.attempts == 1 {
            d.first_attempt_at = self.now;
        }
        let epoch = d.epoch;
        let done = self.now.saturating_add(SimDuration::from_secs_f64(latency));
        self.events.schedule(
            done,
            Event::DeliveryDone {
                delivery: slot,
                epoch,
            },
        );
    }

    pub(super) fn on_delivery_attempt(&mut self, slot: u32, epoch: u32) {
        if self
            .deliveries
            .get(slot as usize)
            .is_some_and(|d| d.live && d.epoch == epoch)
        {
            self.attempt_delivery(slot);
        }
    }

    /// The endpoint answered: success, a server error (retry), or a client error (no retry).
    pub(super) fn on_delivery_done(&mut self, slot: u32, epoch: u32) {
        if !self
            .deliveries
            .get(slot as usize)
            .is_some_and(|d| d.live && d.epoch == epoch)
        {
            return;
        }
        let d = &self.deliveries[slot as usize];
        let sub = &self.topics[d.topic as usize].subscriptions[d.subscription as usize];
        let protocol = sub.spec.protocol;
        let endpoint_component = sub.spec.endpoint;
        let Some(Slot::Endpoint(index)) = self.slots.get(endpoint_component).copied() else {
            return;
        };
        let endpoint = &self.endpoints[index as usize];
        let down = self.fault_stopped(endpoint_component);
        let client_p = endpoint.spec.client_error_probability;
        let server_p = endpoint.spec.server_error_probability;
        let outcome = if down {
            DeliveryOutcome::Unreachable
        } else if self.fault_fails(endpoint_component) {
            DeliveryOutcome::ServerError
        } else if self.rng.chance(client_p) {
            DeliveryOutcome::ClientError
        } else if self.rng.chance(server_p) {
            DeliveryOutcome::ServerError
        } else {
            DeliveryOutcome::Success
        };
        let e = &mut self.endpoints[index as usize];
        match outcome {
            DeliveryOutcome::Success => {
                e.received += 1;
                e.period_received += 1;
                let d = self.release_delivery(slot);
                self.count_delivered(&d);
            }
            DeliveryOutcome::ClientError => {
                e.client_errors += 1;
                e.period_errors += 1;
                let d = self.release_delivery(slot);
                self.give_up(
                    d,
                    "the endpoint answered with a client error (4xx): not retried".into(),
                );
            }
            DeliveryOutcome::ServerError | DeliveryOutcome::Unreachable => {
                e.server_errors += 1;
                e.period_errors += 1;
                self.retry_or_give_up(slot, protocol, outcome);
            }
        }
    }

    fn retry_or_give_up(&mut self, slot: u32, protocol: Protocol, outcome: DeliveryOutcome) {
        let d = &self.deliveries[slot as usize];
        let t = &self.topics[d.topic as usize];
        let sub = &t.subscriptions[d.subscription as usize];
        let class = protocol.retry_class();
        let policy = sub
            .spec
            .delivery_policy
            .clone()
            .or_else(|| t.spec.delivery_policy.clone())
            .unwrap_or_default();
        let retry = d.attempts; // retries so far + 1
        let component = t.component;
        let endpoint = sub.spec.endpoint;
        let (message, attempts, first, subscription) =
            (d.message, d.attempts, d.first_attempt_at, d.subscription);
        let delay = sns_delivery::retry_delay(class, &policy, retry).map(|delay| {
            let jitter = 1.0 + sns_delivery::RETRY_JITTER * (2.0 * self.rng.next_f64() - 1.0);
            SimDuration::from_secs_f64(delay.as_secs_f64() * jitter)
        });
        let next = delay.filter(|delay| {
            sns_delivery::within_retry_window(class, self.now.saturating_add(*delay).since(first))
        });
        match next {
            Some(delay) => {
                let at = self.now.saturating_add(delay);
                self.record(
                    component,
                    Some(message),
                    TraceKind::DeliveryFailed {
                        subscription,
                        endpoint,
                        attempts,
                        outcome,
                        retry_at: Some(at),
                    },
                );
                let epoch = self.deliveries[slot as usize].epoch;
                self.events.schedule(
                    at,
                    Event::DeliveryAttempt {
                        delivery: slot,
                        epoch,
                    },
                );
            }
            None => {
                self.record(
                    component,
                    Some(message),
                    TraceKind::DeliveryFailed {
                        subscription,
                        endpoint,
                        attempts,
                        outcome,
                        retry_at: None,
                    },
                );
                let d = self.release_delivery(slot);
                let reason = format!(
                    "{attempts} attempts failed; the {} retry policy allows no more",
                    match class {
                        RetryClass::AwsManaged => "AWS-managed",
                        RetryClass::CustomerManaged => "customer-managed",
                        RetryClass::Http => "HTTP/S",
                    }
                );
                self.give_up(d, reason);
            }
        }
    }

    fn release_delivery(&mut self, slot: u32) -> Delivery {
        let d = &mut self.deliveries[slot as usize];
        d.live = false;
        d.epoch = d.epoch.wrapping_add(1);
        self.free_deliveries.push(slot);
        self.deliveries[slot as usize].clone()
    }

    /// SNS stops trying: the copy goes to the subscription's DLQ if it has one, else it is lost.
    fn give_up(&mut self, delivery: Delivery, reason: String) {
        let t = &self.topics[delivery.topic as usize];
        let sub = &t.subscriptions[delivery.subscription as usize];
        let component = t.component;
        let dlq = sub.spec.dead_letter_queue;
        let endpoint = sub.spec.endpoint;
        let dlq_queue = dlq.and_then(|d| match self.slots.get(d) {
            Some(Slot::Queue(q)) => Some(*q),
            _ => None,
        });
        if let (Some(dlq_component), Some(queue)) = (dlq, dlq_queue) {
            // The DLQ receives the message with its envelope, as SNS stores it.
            let size = sns_delivery::envelope_size(
                delivery.size,
                self.component_name(component),
                attributes_size(&delivery.attributes),
                delivery.attributes.len() as u32,
            );
            let fifo = self.queues[queue as usize].spec.fifo_queue;
            let outgoing = Outgoing {
                producer: delivery.producer,
                via: component as u32,
                size,
                group: delivery.group,
                dedup_id: if fifo {
                    delivery
                        .dedup_id
                        .clone()
                        .or_else(|| Some(format!("sns-{}", delivery.message)))
                } else {
                    None
                },
                explicit_dedup: false,
                delay_seconds: None,
                extra: None,
            };
            if self.enqueue_new(queue, outgoing).is_ok() {
                // NumberOfNotificationsFailed counts every notification SNS could not deliver,
                // including those it then moved to the DLQ (NumberOfNotificationsRedrivenToDlq).
                let t = &mut self.topics[delivery.topic as usize];
                t.period.redriven_to_dlq += 1;
                t.total.redriven_to_dlq += 1;
                t.period.failed += 1;
                t.total.failed += 1;
                t.subscriptions[delivery.subscription as usize].to_dlq += 1;
                self.sns_census.to_dlq += 1;
                self.record(
                    component,
                    Some(delivery.message),
                    TraceKind::SubscriptionDeadLettered {
                        subscription: delivery.subscription,
                        endpoint,
                        dlq: dlq_component,
                        reason,
                    },
                );
                return;
            }
        }
        let t = &mut self.topics[delivery.topic as usize];
        t.period.failed += 1;
        t.total.failed += 1;
        t.subscriptions[delivery.subscription as usize].failed += 1;
        self.sns_census.failed += 1;
        self.record(
            component,
            Some(delivery.message),
            TraceKind::NotificationDiscarded {
                subscription: delivery.subscription,
                endpoint,
                reason,
            },
        );
    }

    /// `Publish` by hand.
    pub(super) fn publish_by_hand(
        &mut self,
        topic: ComponentId,
        message: ManualPublish,
    ) -> Result<(), CommandError> {
        let index = match self.slots.get(topic) {
            Some(Slot::Topic(index)) => *index,
            None => return Err(CommandError::NoSuchComponent(topic)),
            Some(_) => {
                return Err(CommandError::WrongKind {
                    component: topic,
                    expected: "SNS topic",
                    actual: self.model.components[topic].kind.kind_name(),
                })
            }
        };
        let size = message.body.len() as u64 + attributes_size(&message.attributes) as u64;
        let group = message
            .message_group_id
            .as_deref()
            .map(|g| self.intern_group(g))
            .unwrap_or(NONE);
        let dedup_id = message.message_deduplication_id.clone().or_else(|| {
            self.topics[index as usize]
                .spec
                .content_based_deduplication
                .then(|| sha256_hex(message.body.as_bytes()))
        });
        self.topics[index as usize].requests +=
            billable_chunks(size, self.limits.billing_chunk_bytes);
        let publication = Publication {
            producer: NONE,
            size,
            group,
            dedup_id,
            attributes: Rc::new(message.attributes),
            body: Some(Rc::from(message.body.as_str())),
        };
        let rejected_before = self.sns_census.rejected;
        let _ = self.publish(index, publication);
        if self.sns_census.rejected > rejected_before {
            return Err(CommandError::NotWhileRunning(
                "the publish was refused; see the trace".into(),
            ));
        }
        Ok(())
    }

    pub(super) fn sns_metric_samples(&mut self, now: SimTime, samples: &mut Vec<MetricSample>) {
        for index in 0..self.topics.len() {
            let cost = self.topic_cost(&self.topics[index]);
            let t = &mut self.topics[index];
            let c = &t.period;
            let mut push = |metric: Metric, value: f64| {
                samples.push(MetricSample {
                    time: now,
                    component: t.component,
                    metric,
                    value,
                })
            };
            push(Metric::NumberOfMessagesPublished, c.published as f64);
            push(Metric::NumberOfNotificationsDelivered, c.delivered as f64);
            push(Metric::NumberOfNotificationsFailed, c.failed as f64);
            push(
                Metric::NumberOfNotificationsFilteredOut,
                c.filtered_out as f64,
            );
            push(
                Metric::NumberOfNotificationsFilteredOutInvalidAttributes,
                c.filtered_invalid as f64,
            );
            push(
                Metric::NumberOfNotificationsFilteredOutNoMessageAttributes,
                c.filtered_no_attributes as f64,
            );
            push(
                Metric::NumberOfNotificationsRedrivenToDlq,
                c.redriven_to_dlq as f64,
            );
            if c.published > 0 {
                push(
                    Metric::PublishSize,
                    c.publish_size_sum as f64 / c.published as f64,
                );
            }
            push(Metric::EstimatedCharges, cost);
            t.period = TopicCounters::default();
        }
        for e in &mut self.endpoints {
            samples.push(MetricSample {
                time: now,
                component: e.component,
                metric: Metric::NotificationsReceived,
                value: e.period_received as f64,
            });
            samples.push(MetricSample {
                time: now,
                component: e.component,
                metric: Metric::DeliveryErrors,
                value: e.period_errors as f64,
            });
            e.period_received = 0;
            e.period_errors = 0;
        }
        for b in &self.buckets {
            samples.push(MetricSample {
                time: now,
                component: b.component,
                metric: Metric::NumberOfObjects,
                value: b.objects as f64,
            });
            samples.push(MetricSample {
                time: now,
                component: b.component,
                metric: Metric::BucketSizeBytes,
                value: b.bytes as f64,
            });
        }
    }
}

/// Builds the attribute map of a message variant from the template's attributes.
pub(super) fn attributes_of(attributes: &[MessageAttribute]) -> Attributes {
    Rc::new(
        attributes
            .iter()
            .map(|a| {
                let value = if a.data_type.starts_with("Binary") {
                    MessageAttributeValue {
                        data_type: a.data_type.clone(),
                        string_value: None,
                        binary_value: Some(a.value.clone()),
                    }
                } else {
                    MessageAttributeValue {
                        data_type: a.data_type.clone(),
                        string_value: Some(a.value.clone()),
                        binary_value: None,
                    }
                };
                (a.name.clone(), value)
            })
            .collect(),
    )
}
