//! Amazon MQ brokers inside the simulation: a child module of `sim`.
//!
//! Producers whose target is a broker send through [`crate::mq::MqSend`]: each message is
//! routed ([`crate::mq::BrokerSpec::route`]) into one or more of the broker's queues, or
//! refused while the broker is unreachable. Consumer pools reading a broker are pushed
//! messages: each worker holds up to `prefetch_count` unacknowledged messages and works
//! through them one after another (the pool's `processing_time`); a failed message
//! (`failure_probability`) is redelivered with its count raised, and once it has been
//! redelivered `max_redeliveries` times its next failure sends it to the DLQ.
//!
//! Availability, from the broker's `failures` and stop faults on it:
//! - single instance: while down, sends are refused; when it fails, non-persistent
//!   messages are lost and unacknowledged persistent ones go back to their queue;
//! - ActiveMQ active/standby: the active instance fails, clients reconnect to the standby
//!   after `failover_delay` (sends refused meanwhile), non-persistent messages held by the
//!   failed instance are lost, persistent ones survive on the shared EFS store;
//! - RabbitMQ cluster: losing one node of three loses nothing (quorum or mirrored queues);
//!   the workers connected to that node (worker index modulo 3) reconnect after
//!   `failover_delay` and their unacknowledged messages are redelivered. Losing two nodes
//!   loses the quorum: the cluster refuses sends until a node comes back.
//!
//! Draws come from the brokers' own RNG stream, so brokers leave the draws of the other
//! components as they were.

use std::collections::VecDeque;

use super::{ConsumerStats, Event, Simulation, NONE};
use crate::fault::FaultEffect;
use crate::metrics::{Metric, MetricSample};
use crate::model::{ComponentId, ComponentKind, ConsumerSpec, Model};
use crate::mq::{BrokerEngine, BrokerSpec, DeploymentMode, QueueType};
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};
use crate::trace::TraceKind;

/// Where every message sent to a broker is: the conservation census of one broker.
/// A send routed to several queues counts once per copy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MqCensus {
    /// Copies accepted into a queue, plus refused and unroutable sends.
    pub sent: u64,
    /// Ready in a queue.
    pub enqueued: u64,
    /// Dispatched to a consumer and not yet acknowledged.
    pub in_flight: u64,
    pub acknowledged: u64,
    pub dead_lettered: u64,
    /// Non-persistent messages lost when an instance failed.
    pub lost: u64,
    /// Sends refused while the broker was unreachable.
    pub refused: u64,
    /// Sends no queue matched (RabbitMQ drops them, `mandatory` unset).
    pub unroutable: u64,
}

impl MqCensus {
    pub fn accounted(&self) -> u64 {
        self.enqueued
            + self.in_flight
            + self.acknowledged
            + self.dead_lettered
            + self.lost
            + self.refused
            + self.unroutable
    }
}

/// One queue of a broker, for [`BrokerStats`].
#[derive(Clone, Debug, PartialEq)]
pub struct BrokerQueueStats {
    pub name: String,
    pub ready: u64,
    pub unacknowledged: u64,
    pub enqueued: u64,
    pub dequeued: u64,
}

/// What a broker's node shows.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokerStats {
    pub engine: &'static str,
    pub deployment_mode: &'static str,
    /// Active/standby: the active instance, 1 or 2; otherwise 1.
    pub active_instance: u32,
    pub failover_in_progress: bool,
    /// Instances or nodes down now.
    pub instances_down: u32,
    pub available: bool,
    pub queues: Vec<BrokerQueueStats>,
    pub census: MqCensus,
    pub redeliveries: u64,
    pub failovers: u32,
    pub connections: u32,
    pub cost_usd: f64,
}

#[derive(Clone, Debug)]
struct MqMsg {
    id: u64,
    queue: u32,
    persistent: bool,
    redeliveries: u32,
}

#[derive(Clone, Debug, Default)]
struct QueueRt {
    ready: VecDeque<u32>,
    in_flight: u64,
    enqueue_count: u64,
    dequeue_count: u64,
    period_enqueued: u64,
    period_dequeued: u64,
    period_dispatched: u64,
}

#[derive(Clone, Debug, Default)]
struct WorkerRt {
    /// Dispatched and unacknowledged, in delivery order; the first is being processed
    /// when `busy`.
    held: VecDeque<u32>,
    busy: bool,
    generation: u32,
    /// Reconnecting until then.
    away_until: SimTime,
}

#[derive(Clone, Debug)]
struct ConsumerRt {
    component: ComponentId,
    queue: u32,
    prefetch: u32,
    spec: ConsumerSpec,
    workers: Vec<WorkerRt>,
    processed: u64,
    failed: u64,
    acknowledged: u64,
}

#[derive(Clone, Debug)]
struct DownWindow {
    start: SimTime,
    end: SimTime,
    nodes: u32,
}

#[derive(Clone, Debug)]
pub(super) struct BrokerRt {
    component: ComponentId,
    spec: BrokerSpec,
    queues: Vec<QueueRt>,
    msgs: Vec<Option<MqMsg>>,
    free: Vec<u32>,
    consumers: Vec<ConsumerRt>,
    windows: Vec<DownWindow>,
    nodes_down: u32,
    /// Active/standby: 0 or 1.
    active: u32,
    failover_until: Option<SimTime>,
    failovers: u32,
    census: MqCensus,
    redeliveries: u64,
    period_published: u64,
    period_acked: u64,
    period_lost: u64,
}

#[derive(Clone, Debug)]
pub(super) struct MqRt {
    pub(super) brokers: Vec<BrokerRt>,
    /// Per component: (broker, index in its producers or consumers), or NONE.
    client_of: Vec<(u32, u32)>,
    rng: SimRng,
}

impl MqRt {
    pub(super) fn new(model: &Model) -> MqRt {
        let mut brokers = Vec::new();
        let mut client_of = vec![(NONE, NONE); model.components.len()];
        for (id, component) in model.components.iter().enumerate() {
            let ComponentKind::Broker(spec) = &component.kind else {
                continue;
            };
            let broker = brokers.len() as u32;
            for (i, send) in spec.producers.iter().enumerate() {
                if let Some(slot) = client_of.get_mut(send.producer) {
                    *slot = (broker, i as u32);
                }
            }
            let mut consumers = Vec::new();
            for receive in &spec.consumers {
                let Some(ComponentKind::Consumer(pool)) =
                    model.components.get(receive.consumer).map(|c| &c.kind)
                else {
                    continue;
                };
                let queue = spec
                    .queues
                    .iter()
                    .position(|q| q.name == receive.queue)
                    .unwrap_or(0) as u32;
                if let Some(slot) = client_of.get_mut(receive.consumer) {
                    *slot = (broker, consumers.len() as u32);
                }
                consumers.push(ConsumerRt {
                    component: receive.consumer,
                    queue,
                    prefetch: receive.prefetch_count.max(1),
                    spec: pool.clone(),
                    workers: vec![WorkerRt::default(); pool.workers as usize],
                    processed: 0,
                    failed: 0,
                    acknowledged: 0,
                });
            }
            let mut windows: Vec<DownWindow> = spec
                .failures
                .iter()
                .map(|f| DownWindow {
                    start: SimTime::ZERO.saturating_add(f.start),
                    end: SimTime::ZERO
                        .saturating_add(f.start)
                        .saturating_add(f.duration),
                    nodes: 1,
                })
                .collect();
            for fault in model.faults.iter().filter(|f| f.component == id) {
                if let FaultEffect::Stop { share } = fault.effect {
                    let instances = f64::from(spec.deployment_mode.instances());
                    windows.push(DownWindow {
                        start: SimTime::ZERO.saturating_add(fault.start),
                        end: SimTime::ZERO.saturating_add(fault.end()),
                        nodes: (libm::ceil(share * instances) as u32).clamp(1, 3),
                    });
                }
            }
            brokers.push(BrokerRt {
                component: id,
                spec: spec.clone(),
                queues: vec![QueueRt::default(); spec.queues.len()],
                msgs: Vec::new(),
                free: Vec::new(),
                consumers,
                windows,
                nodes_down: 0,
                active: 0,
                failover_until: None,
                failovers: 0,
                census: MqCensus::default(),
                redeliveries: 0,
                period_published: 0,
                period_acked: 0,
                period_lost: 0,
            });
        }
        MqRt {
            brokers,
            client_of,
            rng: SimRng::seed_from_u64(model.seed ^ 0x414d_5a4e_4d51),
        }
    }

    /// The broker a producer sends to, if it sends to one.
    pub(super) fn producer_broker(&self, producer: ComponentId) -> Option<u32> {
        self.client_of
            .get(producer)
            .filter(|(b, _)| *b != NONE)
            .map(|(b, _)| *b)
    }

    /// The (broker, consumer) a consumer pool reads, if it reads a broker.
    pub(super) fn consumer_slot(&self, consumer: ComponentId) -> Option<(u32, u32)> {
        self.client_of
            .get(consumer)
            .copied()
            .filter(|(b, _)| *b != NONE)
    }

    pub(super) fn broker_index(&self, component: ComponentId) -> Option<u32> {
        self.brokers
            .iter()
            .position(|b| b.component == component)
            .map(|i| i as u32)
    }
}

impl BrokerRt {
    fn available(&self, now: SimTime) -> bool {
        if self.failover_until.is_some_and(|until| now < until) {
            return false;
        }
        match self.spec.deployment_mode {
            DeploymentMode::SingleInstance => self.nodes_down == 0,
            DeploymentMode::ActiveStandbyMultiAz => self.nodes_down < 2,
            DeploymentMode::ClusterMultiAz => self.nodes_down < 2,
        }
    }

    fn held(&self) -> u64 {
        self.queues
            .iter()
            .map(|q| q.ready.len() as u64 + q.in_flight)
            .sum()
    }

    fn connections(&self, now: SimTime) -> u32 {
        if !self.available(now) {
            return 0;
        }
        let producers = self.spec.producers.len() as u32;
        let workers: u32 = self
            .consumers
            .iter()
            .map(|c| c.workers.iter().filter(|w| w.away_until <= now).count() as u32)
            .sum();
        producers + workers
    }
}

impl Simulation {
    pub(super) fn mq_start(&mut self) {
        for broker in 0..self.mq.brokers.len() {
            for window in 0..self.mq.brokers[broker].windows.len() {
                let w = &self.mq.brokers[broker].windows[window];
                let (start, end) = (w.start, w.end);
                for (at, begins) in [(start, true), (end, false)] {
                    self.events.schedule(
                        at,
                        Event::MqEdge {
                            broker: broker as u32,
                            window: window as u32,
                            begins,
                        },
                    );
                }
            }
        }
    }

    /// A producer's send call to its broker.
    pub(super) fn producer_send_broker(&mut self, producer: u32, broker: u32, count: u32) {
        let component = self.producers[producer as usize].component;
        let Some((_, send)) = self.mq.client_of.get(component).copied() else {
            return;
        };
        for _ in 0..count {
            let now = self.now;
            let b = &mut self.mq.brokers[broker as usize];
            let Some(spec) = b.spec.producers.get(send as usize) else {
                return;
            };
            let persistent = self.mq.rng.chance(spec.persistent_share);
            let id = self.next_message_id;
            self.next_message_id += 1;
            let p = &mut self.producers[producer as usize];
            p.attempted += 1;
            if !b.available(now) {
                b.census.sent += 1;
                b.census.refused += 1;
                p.rejected += 1;
                let broker_component = b.component;
                self.record(
                    broker_component,
                    Some(id),
                    TraceKind::MqRefused {
                        reason: "the broker is unreachable (instance down or failover in progress)",
                    },
                );
                continue;
            }
            p.accepted += 1;
            p.period_sent += 1;
            let routes = b.spec.route(&spec.destination, &spec.routing_key);
            let destination = spec.destination.clone();
            let broker_component = b.component;
            b.period_published += 1;
            if routes.is_empty() {
                b.census.sent += 1;
                b.census.unroutable += 1;
                self.record(
                    broker_component,
                    Some(id),
                    TraceKind::MqUnroutable { destination },
                );
                continue;
            }
            for queue in routes {
                let b = &mut self.mq.brokers[broker as usize];
                let msg = MqMsg {
                    id,
                    queue: queue as u32,
                    persistent,
                    redeliveries: 0,
                };
                let slot = match b.free.pop() {
                    Some(slot) => {
                        b.msgs[slot as usize] = Some(msg);
                        slot
                    }
                    None => {
                        b.msgs.push(Some(msg));
                        b.msgs.len() as u32 - 1
                    }
                };
                let q = &mut b.queues[queue];
                q.ready.push_back(slot);
                q.enqueue_count += 1;
                q.period_enqueued += 1;
                b.census.sent += 1;
                b.census.enqueued += 1;
                let queue_name = b.spec.queues[queue].name.clone();
                self.record(
                    broker_component,
                    Some(id),
                    TraceKind::MqEnqueued {
                        queue: queue_name,
                        persistent,
                    },
                );
            }
        }
        self.mq_dispatch(broker);
    }

    /// Gives ready messages to workers with room under their prefetch, one message per
    /// worker per round, and starts idle workers.
    fn mq_dispatch(&mut self, broker: u32) {
        let now = self.now;
        let b = &mut self.mq.brokers[broker as usize];
        if !b.available(now) {
            return;
        }
        let mut starts = Vec::new();
        for c in 0..b.consumers.len() {
            loop {
                let mut progress = false;
                for w in 0..b.consumers[c].workers.len() {
                    let consumer = &b.consumers[c];
                    let worker = &consumer.workers[w];
                    if worker.away_until > now || worker.held.len() as u32 >= consumer.prefetch {
                        continue;
                    }
                    let queue = consumer.queue as usize;
                    let Some(slot) = b.queues[queue].ready.pop_front() else {
                        break;
                    };
                    let q = &mut b.queues[queue];
                    q.in_flight += 1;
                    q.period_dispatched += 1;
                    b.census.enqueued -= 1;
                    b.census.in_flight += 1;
                    let worker = &mut b.consumers[c].workers[w];
                    worker.held.push_back(slot);
                    if !worker.busy {
                        worker.busy = true;
                        starts.push((c as u32, w as u32));
                    }
                    progress = true;
                }
                if !progress {
                    break;
                }
            }
        }
        for (consumer, worker) in starts {
            self.mq_start_work(broker, consumer, worker);
        }
    }

    fn mq_start_work(&mut self, broker: u32, consumer: u32, worker: u32) {
        let b = &mut self.mq.brokers[broker as usize];
        let c = &mut b.consumers[consumer as usize];
        let seconds = c.spec.processing_time.sample(&mut self.mq.rng).max(0.0);
        let Some(w) = c.workers.get_mut(worker as usize) else {
            return;
        };
        let Some(&slot) = w.held.front() else {
            w.busy = false;
            return;
        };
        w.busy = true;
        let generation = w.generation;
        let (component, consumer_component) = (b.component, c.component);
        let (id, redeliveries) = b.msgs[slot as usize]
            .as_ref()
            .map(|m| (m.id, m.redeliveries))
            .unwrap_or((0, 0));
        self.record(
            component,
            Some(id),
            TraceKind::MqDelivered {
                consumer: consumer_component,
                redelivered: redeliveries > 0,
                delivery_count: redeliveries + 1,
            },
        );
        self.events.schedule(
            self.now.saturating_add(SimDuration::from_secs_f64(seconds)),
            Event::MqWork {
                broker,
                consumer,
                worker,
                generation,
            },
        );
    }

    pub(super) fn on_mq_work(&mut self, broker: u32, consumer: u32, worker: u32, generation: u32) {
        let Some(b) = self.mq.brokers.get_mut(broker as usize) else {
            return;
        };
        let Some(c) = b.consumers.get_mut(consumer as usize) else {
            return;
        };
        let failure_probability = c.spec.failure_probability;
        let Some(w) = c.workers.get_mut(worker as usize) else {
            return;
        };
        if w.generation != generation || !w.busy {
            return;
        }
        let Some(slot) = w.held.pop_front() else {
            w.busy = false;
            return;
        };
        let failed = self.mq.rng.chance(failure_probability);
        let b = &mut self.mq.brokers[broker as usize];
        let Some(msg) = b.msgs[slot as usize].clone() else {
            return;
        };
        let queue = msg.queue as usize;
        b.queues[queue].in_flight -= 1;
        b.census.in_flight -= 1;
        let component = b.component;
        let consumer_component = b.consumers[consumer as usize].component;
        if failed {
            b.consumers[consumer as usize].failed += 1;
            self.mq_redeliver(broker, slot, false);
        } else {
            let b = &mut self.mq.brokers[broker as usize];
            let c = &mut b.consumers[consumer as usize];
            c.processed += 1;
            c.acknowledged += 1;
            b.queues[queue].dequeue_count += 1;
            b.queues[queue].period_dequeued += 1;
            b.census.acknowledged += 1;
            b.period_acked += 1;
            b.msgs[slot as usize] = None;
            b.free.push(slot);
            self.record(
                component,
                Some(msg.id),
                TraceKind::MqAcknowledged {
                    consumer: consumer_component,
                },
            );
        }
        let b = &mut self.mq.brokers[broker as usize];
        let w = &mut b.consumers[consumer as usize].workers[worker as usize];
        if w.held.is_empty() {
            w.busy = false;
        } else {
            self.mq_start_work(broker, consumer, worker);
        }
        self.mq_dispatch(broker);
    }

    /// A message that left a consumer unacknowledged (counted out of `in_flight` already):
    /// back to the front of its queue with its count raised, or to the DLQ past the limit.
    /// `connection_lost`: the consumer's connection dropped rather than the consumer
    /// failing the message (it still counts as a redelivery, as the broker cannot tell).
    fn mq_redeliver(&mut self, broker: u32, slot: u32, connection_lost: bool) {
        let b = &mut self.mq.brokers[broker as usize];
        let Some(msg) = b.msgs[slot as usize].as_mut() else {
            return;
        };
        let queue = msg.queue as usize;
        let limited = match b.spec.engine {
            BrokerEngine::ActiveMq => true,
            // Classic RabbitMQ queues have no delivery limit; quorum queues have
            // `delivery-limit`.
            BrokerEngine::RabbitMq => b.spec.queues[queue].queue_type == QueueType::Quorum,
        };
        let id = msg.id;
        let component = b.component;
        if limited && msg.redeliveries >= b.spec.max_redeliveries && !connection_lost {
            let redeliveries = msg.redeliveries;
            b.msgs[slot as usize] = None;
            b.free.push(slot);
            b.census.dead_lettered += 1;
            b.queues[queue].dequeue_count += 1;
            b.queues[queue].period_dequeued += 1;
            let dlq = b.spec.engine.dlq_name();
            self.record(
                component,
                Some(id),
                TraceKind::MqDeadLettered { dlq, redeliveries },
            );
            return;
        }
        msg.redeliveries += 1;
        let redeliveries = msg.redeliveries;
        b.queues[queue].ready.push_front(slot);
        b.census.enqueued += 1;
        b.redeliveries += 1;
        self.record(
            component,
            Some(id),
            TraceKind::MqRedelivery {
                redeliveries,
                connection_lost,
            },
        );
    }

    pub(super) fn on_mq_edge(&mut self, broker: u32, window: u32, begins: bool) {
        let now = self.now;
        let Some(b) = self.mq.brokers.get_mut(broker as usize) else {
            return;
        };
        let Some(w) = b.windows.get(window as usize) else {
            return;
        };
        let nodes = w.nodes;
        let was_available = b.available(now);
        let before = b.nodes_down;
        if begins {
            b.nodes_down = (b.nodes_down + nodes).min(b.spec.deployment_mode.instances());
        } else {
            b.nodes_down = b.nodes_down.saturating_sub(nodes);
        }
        let component = b.component;
        let mode = b.spec.deployment_mode;
        let after = b.nodes_down;
        self.record(
            component,
            None,
            TraceKind::MqInstances {
                down: after,
                of: mode.instances(),
            },
        );
        if begins && after > before {
            match mode {
                DeploymentMode::SingleInstance => self.mq_drop_connections(broker, None, true),
                DeploymentMode::ActiveStandbyMultiAz => {
                    // The active instance failed (a failing standby changes nothing until
                    // it is needed). Clients reconnect to the other one after the delay.
                    let b = &mut self.mq.brokers[broker as usize];
                    b.failovers += 1;
                    let delay = b.spec.failover_delay;
                    let until = now.saturating_add(delay);
                    b.failover_until = Some(until);
                    let to = 2 - b.active;
                    self.record(
                        component,
                        None,
                        TraceKind::MqFailover {
                            to_instance: to,
                            done: false,
                        },
                    );
                    self.events
                        .schedule(until, Event::MqFailoverDone { broker });
                    self.mq_drop_connections(broker, None, true);
                }
                DeploymentMode::ClusterMultiAz => {
                    if after >= 2 {
                        // The quorum is lost: the cluster stops serving; quorum queues and
                        // persistent messages survive on the remaining disks.
                        self.mq_drop_connections(broker, None, false);
                    } else {
                        // Clients of the failed node (worker index modulo 3) reconnect.
                        let node = (before % 3) as usize;
                        self.mq_drop_connections(broker, Some(node), false);
                    }
                }
            }
        }
        let b = &self.mq.brokers[broker as usize];
        if !was_available && b.available(now) {
            self.mq_dispatch(broker);
        }
    }

    pub(super) fn on_mq_failover_done(&mut self, broker: u32) {
        let now = self.now;
        let Some(b) = self.mq.brokers.get_mut(broker as usize) else {
            return;
        };
        if b.failover_until.is_some_and(|until| until <= now) {
            b.failover_until = None;
            b.active = 1 - b.active;
            let component = b.component;
            let to = b.active + 1;
            self.record(
                component,
                None,
                TraceKind::MqFailover {
                    to_instance: to,
                    done: true,
                },
            );
            self.mq_dispatch(broker);
        }
    }

    /// Connections drop: the workers (all, or those on one node) lose their unacknowledged
    /// messages, which go back to their queues (persistent ones; non-persistent ones too when
    /// `lose_transient` is false); with `lose_transient`, every non-persistent message the
    /// broker holds is lost (single instance, or the active instance of a pair).
    fn mq_drop_connections(&mut self, broker: u32, node: Option<usize>, lose_transient: bool) {
        let now = self.now;
        let b = &mut self.mq.brokers[broker as usize];
        let delay = b.spec.failover_delay;
        let mut returned = Vec::new();
        for c in &mut b.consumers {
            for (index, w) in c.workers.iter_mut().enumerate() {
                if node.is_some_and(|n| index % 3 != n) {
                    continue;
                }
                w.generation = w.generation.wrapping_add(1);
                w.busy = false;
                w.away_until = now.saturating_add(delay);
                returned.extend(w.held.drain(..).rev());
            }
        }
        // Back to the front in their original order.
        for slot in returned.into_iter().rev() {
            let b = &mut self.mq.brokers[broker as usize];
            if let Some(msg) = &b.msgs[slot as usize] {
                let queue = msg.queue as usize;
                b.queues[queue].in_flight -= 1;
                b.census.in_flight -= 1;
            }
            self.mq_redeliver(broker, slot, true);
        }
        if lose_transient {
            let b = &mut self.mq.brokers[broker as usize];
            let component = b.component;
            let mut lost = Vec::new();
            for q in &mut b.queues {
                let msgs = &b.msgs;
                q.ready.retain(|&slot| {
                    let keep = msgs[slot as usize].as_ref().is_none_or(|m| m.persistent);
                    if !keep {
                        lost.push(slot);
                    }
                    keep
                });
            }
            let mut lost_ids = Vec::with_capacity(lost.len());
            for slot in lost {
                if let Some(msg) = b.msgs[slot as usize].take() {
                    b.free.push(slot);
                    b.census.enqueued -= 1;
                    b.census.lost += 1;
                    b.period_lost += 1;
                    lost_ids.push(msg.id);
                }
            }
            for id in lost_ids {
                self.record(component, Some(id), TraceKind::MqMessageLost);
            }
        }
        // Workers come back after the delay.
        let until = now.saturating_add(delay);
        self.events.schedule(until, Event::MqReconnect { broker });
    }

    pub(super) fn on_mq_reconnect(&mut self, broker: u32) {
        if (broker as usize) < self.mq.brokers.len() {
            self.mq_dispatch(broker);
        }
    }

    pub(super) fn mq_broker_stats(&self, broker: u32) -> BrokerStats {
        let b = &self.mq.brokers[broker as usize];
        BrokerStats {
            engine: b.spec.engine.as_str(),
            deployment_mode: b.spec.deployment_mode.as_str(),
            active_instance: b.active + 1,
            failover_in_progress: b.failover_until.is_some_and(|u| self.now < u),
            instances_down: b.nodes_down,
            available: b.available(self.now),
            queues: b
                .spec
                .queues
                .iter()
                .zip(&b.queues)
                .map(|(spec, q)| BrokerQueueStats {
                    name: spec.name.clone(),
                    ready: q.ready.len() as u64,
                    unacknowledged: q.in_flight,
                    enqueued: q.enqueue_count,
                    dequeued: q.dequeue_count,
                })
                .collect(),
            census: b.census,
            redeliveries: b.redeliveries,
            failovers: b.failovers,
            connections: b.connections(self.now),
            cost_usd: self.mq_cost(broker),
        }
    }

    pub(super) fn mq_consumer_stats(&self, broker: u32, consumer: u32) -> ConsumerStats {
        let c = &self.mq.brokers[broker as usize].consumers[consumer as usize];
        ConsumerStats {
            workers: c.spec.workers,
            processed: c.processed,
            failed: c.failed,
            deleted: c.acknowledged,
            ..ConsumerStats::default()
        }
    }

    /// Broker-hours since the start, every instance (or node) billed.
    pub(super) fn mq_cost(&self, broker: u32) -> f64 {
        let b = &self.mq.brokers[broker as usize];
        let hours = self.now.since(SimTime::ZERO).as_secs_f64() / 3_600.0;
        hours * f64::from(b.spec.deployment_mode.instances()) * b.spec.price_per_instance_hour
    }

    pub(super) fn mq_costs(&self) -> Vec<(ComponentId, f64)> {
        (0..self.mq.brokers.len() as u32)
            .map(|b| (self.mq.brokers[b as usize].component, self.mq_cost(b)))
            .collect()
    }

    /// The census of the broker component, if it is one.
    pub fn mq_census(&self, component: ComponentId) -> Option<MqCensus> {
        let broker = self.mq.broker_index(component)?;
        Some(self.mq.brokers[broker as usize].census)
    }

    pub(super) fn mq_metric_samples(&mut self, now: SimTime, samples: &mut Vec<MetricSample>) {
        let period = self.model.metric_period.as_secs_f64().max(1e-9);
        for broker in 0..self.mq.brokers.len() {
            let cost = self.mq_cost(broker as u32);
            let b = &mut self.mq.brokers[broker];
            let connections = f64::from(b.connections(now));
            let ready: u64 = b.queues.iter().map(|q| q.ready.len() as u64).sum();
            let unacked: u64 = b.queues.iter().map(|q| q.in_flight).sum();
            let enqueued: u64 = b.queues.iter().map(|q| q.period_enqueued).sum();
            let dequeued: u64 = b.queues.iter().map(|q| q.period_dequeued).sum();
            let dispatched: u64 = b.queues.iter().map(|q| q.period_dispatched).sum();
            let values: &[(Metric, f64)] = match b.spec.engine {
                BrokerEngine::ActiveMq => &[
                    (Metric::EnqueueCount, enqueued as f64),
                    (Metric::DequeueCount, dequeued as f64),
                    (Metric::QueueSize, (ready + unacked) as f64),
                    (Metric::InFlightCount, unacked as f64),
                    (Metric::DispatchCount, dispatched as f64),
                    (Metric::ExpiredCount, 0.0),
                    (Metric::MessagesLost, b.period_lost as f64),
                    (Metric::EstimatedCharges, cost),
                ],
                BrokerEngine::RabbitMq => &[
                    (Metric::MessageCount, (ready + unacked) as f64),
                    (Metric::MessageReadyCount, ready as f64),
                    (Metric::MessageUnacknowledgedCount, unacked as f64),
                    (Metric::PublishRate, b.period_published as f64 / period),
                    (Metric::AckRate, b.period_acked as f64 / period),
                    (Metric::ConnectionCount, connections),
                    (Metric::MessagesLost, b.period_lost as f64),
                    (Metric::EstimatedCharges, cost),
                ],
            };
            for &(metric, value) in values {
                samples.push(MetricSample {
                    time: now,
                    component: b.component,
                    metric,
                    value,
                });
            }
            for q in &mut b.queues {
                q.period_enqueued = 0;
                q.period_dequeued = 0;
                q.period_dispatched = 0;
            }
            b.period_published = 0;
            b.period_acked = 0;
            b.period_lost = 0;
        }
    }

    /// Every message sent to a broker is in exactly one place, and the counters match the
    /// messages held.
    pub(super) fn check_mq_invariants(&self) -> Result<(), String> {
        for b in &self.mq.brokers {
            let c = &b.census;
            if c.accounted() != c.sent {
                return Err(format!(
                    "broker {}: {} messages sent, {} accounted: {c:?}",
                    b.component,
                    c.sent,
                    c.accounted()
                ));
            }
            let ready: u64 = b.queues.iter().map(|q| q.ready.len() as u64).sum();
            let unacked: u64 = b.queues.iter().map(|q| q.in_flight).sum();
            let held_by_workers: u64 = b
                .consumers
                .iter()
                .flat_map(|c| &c.workers)
                .map(|w| w.held.len() as u64)
                .sum();
            let live = b.msgs.iter().filter(|m| m.is_some()).count() as u64;
            if ready != c.enqueued || unacked != c.in_flight || held_by_workers != unacked {
                return Err(format!(
                    "broker {}: {ready} ready and {unacked} unacknowledged ({held_by_workers} held by workers) against {c:?}",
                    b.component
                ));
            }
            if live != b.held() {
                return Err(format!(
                    "broker {}: {live} live messages, {} held",
                    b.component,
                    b.held()
                ));
            }
        }
        Ok(())
    }

    pub(super) fn mq_settled(&self) -> bool {
        self.mq.brokers.iter().all(|b| b.held() == 0)
    }
}
