//! Stopping at any event, changing parameters with `Command::Update` (and pausing, purging),
//! and resuming never loses or duplicates a message, through SNS fan-out, three SQS queues
//! and a state machine (the long-run workload at a random rate and seed).
//!
//! Every queue copy is followed through the trace: it starts once (sent, rejected or
//! deduplicated), ends at most once (deleted, expired, purged, rejected, deduplicated), moves no
//! more after its end (a consumer holding a purged copy may still try to delete it), and the copies that have not ended are exactly what the queues hold.

use std::collections::BTreeMap;

use loosely_engine::workloads::long_run;
use loosely_engine::*;
use proptest::prelude::*;

/// Components of [`long_run`].
const TOPIC: ComponentId = 0;
const QUEUES: [ComponentId; 4] = [1, 2, 3, 4];
const PRODUCER: ComponentId = 6;
const CONSUMERS: [ComponentId; 2] = [7, 8];

#[derive(Clone, Debug)]
enum Change {
    Queue {
        queue: ComponentId,
        visibility: u32,
        retention: u32,
        delay: u32,
        wait: u32,
    },
    Consumer {
        consumer: ComponentId,
        workers: u32,
        failure: f64,
        mean_processing: f64,
    },
    Rate(f64),
    /// Turn a filter policy on the `fulfil` subscription on or off.
    Filter(bool),
    Pause(ComponentId),
    Resume(ComponentId),
    Purge(ComponentId),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (
            prop::sample::select(QUEUES.to_vec()),
            0u32..120,
            60u32..3_600,
            0u32..10,
            0u32..21
        )
            .prop_map(
                |(queue, visibility, retention, delay, wait)| Change::Queue {
                    queue,
                    visibility,
                    retention,
                    delay,
                    wait,
                }
            ),
        (
            prop::sample::select(CONSUMERS.to_vec()),
            0u32..8,
            0.0f64..0.6,
            0.001f64..2.0
        )
            .prop_map(
                |(consumer, workers, failure, mean_processing)| Change::Consumer {
                    consumer,
                    workers,
                    failure,
                    mean_processing,
                }
            ),
        (0.5f64..60.0).prop_map(Change::Rate),
        any::<bool>().prop_map(Change::Filter),
        prop::sample::select(vec![PRODUCER, 7, 8]).prop_map(Change::Pause),
        prop::sample::select(vec![PRODUCER, 7, 8]).prop_map(Change::Resume),
        prop::sample::select(QUEUES.to_vec()).prop_map(Change::Purge),
    ]
}

fn command(sim: &Simulation, change: &Change) -> Command {
    let kind = |component: ComponentId| sim.model().components[component].kind.clone();
    match *change {
        Change::Queue {
            queue,
            visibility,
            retention,
            delay,
            wait,
        } => {
            let ComponentKind::Queue(mut spec) = kind(queue) else {
                unreachable!("component {queue} is a queue")
            };
            spec.visibility_timeout = visibility;
            spec.message_retention_period = retention;
            spec.delay_seconds = delay;
            spec.receive_message_wait_time_seconds = wait;
            Command::Update {
                component: queue,
                kind: ComponentKind::Queue(spec),
            }
        }
        Change::Consumer {
            consumer,
            workers,
            failure,
            mean_processing,
        } => {
            let ComponentKind::Consumer(mut spec) = kind(consumer) else {
                unreachable!("component {consumer} is a consumer pool")
            };
            spec.workers = workers;
            spec.failure_probability = failure;
            spec.processing_time = Distribution::Exponential {
                mean: mean_processing,
            };
            Command::Update {
                component: consumer,
                kind: ComponentKind::Consumer(spec),
            }
        }
        Change::Rate(rate) => {
            let ComponentKind::Producer(mut spec) = kind(PRODUCER) else {
                unreachable!("component {PRODUCER} is a producer")
            };
            spec.rate_per_second = rate;
            Command::Update {
                component: PRODUCER,
                kind: ComponentKind::Producer(spec),
            }
        }
        Change::Filter(on) => {
            let ComponentKind::Topic(mut spec) = kind(TOPIC) else {
                unreachable!("component {TOPIC} is a topic")
            };
            spec.subscriptions[0].filter_policy =
                on.then(|| r#"{"total": [{"numeric": [">", 100]}]}"#.to_string());
            spec.subscriptions[0].filter_policy_scope = FilterScope::MessageBody;
            Command::Update {
                component: TOPIC,
                kind: ComponentKind::Topic(spec),
            }
        }
        Change::Pause(component) => Command::Pause { component },
        Change::Resume(component) => Command::Resume { component },
        Change::Purge(queue) => Command::PurgeQueue { queue },
    }
}

/// What the trace says about each queue copy so far.
#[derive(Default)]
struct Ledger {
    /// Per message id: whether it has ended.
    ended: BTreeMap<u64, bool>,
    deleted: u64,
    expired: u64,
    purged: u64,
}

impl Ledger {
    fn read(&mut self, events: &[TraceEvent]) -> Result<(), String> {
        for event in events {
            if !QUEUES.contains(&event.component) {
                continue;
            }
            let Some(id) = event.message.map(|m| m.0) else {
                continue;
            };
            let starts = matches!(
                event.kind,
                TraceKind::Sent { .. }
                    | TraceKind::Rejected { .. }
                    | TraceKind::Deduplicated { .. }
            );
            let ends = matches!(
                event.kind,
                TraceKind::Deleted { .. }
                    | TraceKind::Expired { .. }
                    | TraceKind::Purged
                    | TraceKind::Rejected { .. }
                    | TraceKind::Deduplicated { .. }
            );
            // A consumer that still holds an ended copy (purged while in its hands) may try to
            // delete it or fail processing it; those calls change nothing.
            let in_hand = matches!(
                event.kind,
                TraceKind::DeleteIgnored { .. }
                    | TraceKind::ProcessingFailed { .. }
                    | TraceKind::CallFailed { .. }
            );
            match (self.ended.get(&id).copied(), starts) {
                (Some(true), false) if in_hand => continue,
                (None, true) => {}
                (None, false) => {
                    return Err(format!("m-{id}: {:?} before it was sent", event.kind))
                }
                (Some(_), true) => return Err(format!("m-{id} sent twice ({:?})", event.kind)),
                (Some(true), false) => {
                    return Err(format!("m-{id}: {:?} after it ended", event.kind))
                }
                (Some(false), false) => {}
            }
            self.ended.insert(id, ends);
            match event.kind {
                TraceKind::Deleted { .. } => self.deleted += 1,
                TraceKind::Expired { .. } => self.expired += 1,
                TraceKind::Purged => self.purged += 1,
                _ => {}
            }
        }
        Ok(())
    }

    fn open(&self) -> u64 {
        self.ended.values().filter(|ended| !**ended).count() as u64
    }
}

fn check(sim: &Simulation, ledger: &Ledger) -> Result<(), TestCaseError> {
    let census = sim.census();
    prop_assert_eq!(census.sent, census.accounted(), "census {:?}", census);
    prop_assert_eq!(sim.check_invariants(), Ok(()));
    let sns = sim.sns_census();
    prop_assert_eq!(
        sns.filtered_out + sns.delivered + sns.failed + sns.to_dlq + sns.pending,
        sns.copies,
        "SNS census {:?}",
        sns
    );
    prop_assert_eq!(
        ledger.open(),
        census.delayed + census.visible + census.in_flight
    );
    prop_assert_eq!(ledger.deleted, census.deleted);
    prop_assert_eq!(ledger.expired, census.expired);
    prop_assert_eq!(ledger.purged, census.purged);
    prop_assert_eq!(ledger.ended.len() as u64, census.sent);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Random stop points (counted in events, so a stop can fall between any two events),
    /// a random change at each, sometimes resuming from a checkpoint (a clone) instead of the
    /// original: nothing is lost or duplicated, at every stop and at the end.
    #[test]
    fn stopping_changing_and_resuming_loses_and_duplicates_nothing(
        seed in any::<u64>(),
        rate in 1.0f64..40.0,
        stops in prop::collection::vec((1u32..1_500, change(), any::<bool>()), 1..16),
    ) {
        let mut model = long_run(rate);
        model.seed = seed;
        let mut sim = Simulation::new(model).expect("the long-run model is valid");
        sim.set_tracing(true);
        let mut ledger = Ledger::default();
        for (events, change, from_checkpoint) in &stops {
            for _ in 0..*events {
                sim.step();
            }
            if *from_checkpoint {
                sim = sim.clone();
            }
            let command = command(&sim, change);
            // A refused command (a second purge within 60 s) leaves the simulation unchanged.
            let _ = sim.handle_command(command);
            ledger.read(&sim.drain_trace()).map_err(TestCaseError::fail)?;
            check(&sim, &ledger)?;
        }
        // Resume: run on for five simulated minutes past the last stop.
        let until = SimTime(sim.now().0 + 300_000_000);
        let mut steps = 0;
        while sim.next_event_time().is_some_and(|t| t <= until) && steps < 30_000 {
            sim.step();
            steps += 1;
        }
        ledger.read(&sim.drain_trace()).map_err(TestCaseError::fail)?;
        check(&sim, &ledger)?;
    }
}
