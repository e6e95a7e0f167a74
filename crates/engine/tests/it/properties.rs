//! Invariants that hold at every step of random scenarios.

use std::collections::BTreeMap;

use loosely_engine::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Shape {
    seed: u64,
    fifo: bool,
    with_dlq: bool,
    max_receive_count: u32,
    visibility: u32,
    delay: u32,
    retention: u32,
    rate: f64,
    batch: u32,
    groups: usize,
    duplicate_share: f64,
    workers: u32,
    wait: u32,
    max_messages: u32,
    mean_processing: f64,
    failure: f64,
    per_batch: bool,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        (
            any::<u64>(),
            any::<bool>(),
            any::<bool>(),
            1u32..4,
            1u32..20,
            0u32..5,
            60u32..200,
        ),
        (0.5f64..30.0, 1u32..4, 1usize..4, 0.0f64..0.5),
        (
            0u32..4,
            0u32..3,
            1u32..11,
            0.01f64..3.0,
            0.0f64..0.6,
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (seed, fifo, with_dlq, max_receive_count, visibility, delay, retention),
                (rate, batch, groups, duplicate_share),
                (workers, wait, max_messages, mean_processing, failure, per_batch),
            )| Shape {
                seed,
                fifo,
                with_dlq,
                max_receive_count,
                visibility,
                delay,
                retention,
                rate,
                batch,
                groups,
                duplicate_share,
                workers,
                wait,
                max_messages,
                mean_processing,
                failure,
                per_batch,
            },
        )
}

fn model_of(shape: &Shape) -> Model {
    let suffix = if shape.fifo { ".fifo" } else { "" };
    let component = |name: String, kind| ComponentSpec { name, kind };
    let mut components = vec![
        component(
            format!("work{suffix}"),
            ComponentKind::Queue(QueueSpec {
                fifo_queue: shape.fifo,
                content_based_deduplication: shape.fifo,
                visibility_timeout: shape.visibility,
                delay_seconds: shape.delay,
                message_retention_period: shape.retention,
                redrive_policy: shape.with_dlq.then_some(RedrivePolicy {
                    dead_letter_target: 1,
                    max_receive_count: shape.max_receive_count,
                }),
                duplicate_delivery_probability: if shape.fifo { 0.0 } else { 0.05 },
                ..QueueSpec::default()
            }),
        ),
        component(
            format!("dlq{suffix}"),
            ComponentKind::Queue(QueueSpec {
                fifo_queue: shape.fifo,
                ..QueueSpec::default()
            }),
        ),
        component(
            "producer".into(),
            ComponentKind::Producer(ProducerSpec {
                target: 0,
                rate_per_second: shape.rate,
                batch_size: shape.batch,
                template: MessageTemplate {
                    group_ids: (0..shape.groups).map(|g| format!("g{g}")).collect(),
                    duplicate_share: shape.duplicate_share,
                    ..MessageTemplate::default()
                },
                ..ProducerSpec::default()
            }),
        ),
        component(
            "consumers".into(),
            ComponentKind::Consumer(ConsumerSpec {
                source: 0,
                workers: shape.workers,
                wait_time_seconds: Some(shape.wait * 5),
                max_number_of_messages: shape.max_messages,
                processing_time: Distribution::Exponential {
                    mean: shape.mean_processing,
                },
                failure_probability: shape.failure,
                delete_mode: if shape.per_batch {
                    DeleteMode::PerBatch
                } else {
                    DeleteMode::PerMessage
                },
                ..ConsumerSpec::default()
            }),
        ),
    ];
    components.push(component(
        "dlq-consumer".into(),
        ComponentKind::Consumer(ConsumerSpec {
            source: 1,
            workers: 1,
            ..ConsumerSpec::default()
        }),
    ));
    Model {
        seed: shape.seed,
        components,
        ..Model::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every message sent is in exactly one place at every step, and time never goes back.
    #[test]
    fn messages_are_conserved_and_time_is_monotone(shape in shape()) {
        let mut sim = Simulation::new(model_of(&shape)).expect("generated models are valid");
        let mut last = sim.now();
        let mut steps = 0;
        while sim.now() < SimTime::from_secs(240) && steps < 20_000 {
            prop_assert!(sim.step());
            steps += 1;
            prop_assert!(sim.now() >= last, "time went back from {last:?} to {:?}", sim.now());
            last = sim.now();
            let census = sim.census();
            prop_assert_eq!(census.sent, census.accounted(), "census {:?}", census);
            if steps % 16 == 0 {
                prop_assert_eq!(sim.check_invariants(), Ok(()));
            }
        }
        prop_assert_eq!(sim.check_invariants(), Ok(()));
    }

    /// FIFO: a message is never received while an earlier message of its group is still
    /// outstanding, unless both come in the same receive; and no message is received twice
    /// unless its visibility timeout ended in between.
    #[test]
    fn fifo_order_and_exactly_once_hold(mut shape in shape()) {
        shape.fifo = true;
        let mut sim = Simulation::new(model_of(&shape)).expect("generated models are valid");
        sim.set_tracing(true);
        sim.run_until(SimTime::from_secs(200));
        let trace = sim.drain_trace();
        // Outstanding messages of the work queue, per group, by id.
        let mut outstanding: BTreeMap<String, BTreeMap<u64, Option<(SimTime, ComponentId)>>> = BTreeMap::new();
        let mut group_of: BTreeMap<u64, String> = BTreeMap::new();
        let mut receivable: BTreeMap<u64, bool> = BTreeMap::new();
        for event in trace.iter().filter(|e| e.component == 0) {
            let Some(id) = event.message.map(|m| m.0) else { continue };
            match &event.kind {
                TraceKind::Sent { group: Some(group), .. } => {
                    outstanding.entry(group.clone()).or_default().insert(id, None);
                    group_of.insert(id, group.clone());
                    receivable.insert(id, true);
                }
                TraceKind::Received { consumer, .. } => {
                    let group = &group_of[&id];
                    prop_assert!(receivable[&id], "m-{} received twice without a visibility expiry", id);
                    receivable.insert(id, false);
                    let earlier = outstanding[group].range(..id);
                    for (other, received) in earlier {
                        prop_assert_eq!(
                            *received, Some((event.time, *consumer)),
                            "m-{} of group {} received at {:?} while m-{} was outstanding", id, group, event.time, other
                        );
                    }
                    outstanding.get_mut(group).map(|g| g.insert(id, Some((event.time, *consumer))));
                }
                TraceKind::VisibilityExpired { .. } => {
                    receivable.insert(id, true);
                    let group = &group_of[&id];
                    outstanding.get_mut(group).map(|g| g.insert(id, None));
                }
                TraceKind::Deleted { .. } | TraceKind::MovedToDlq { .. } | TraceKind::Expired { .. } => {
                    let group = group_of[&id].clone();
                    outstanding.get_mut(&group).map(|g| g.remove(&id));
                }
                _ => {}
            }
        }
    }

    /// Deliberate duplicates sent to a FIFO queue inside the window are never delivered.
    #[test]
    fn fifo_duplicates_are_dropped(mut shape in shape()) {
        shape.fifo = true;
        shape.duplicate_share = 0.5;
        let mut sim = Simulation::new(model_of(&shape)).expect("valid");
        sim.run_until(SimTime::from_secs(120));
        let Some(ComponentStats::Queue(stats)) = sim.stats(0) else { unreachable!() };
        let census = sim.census();
        prop_assert_eq!(stats.sent + stats.deduplicated + census.rejected, census.sent);
        if census.sent > 20 {
            prop_assert!(stats.deduplicated > 0);
        }
    }
}

#[derive(Debug, Clone)]
enum Poke {
    Pause(ComponentId),
    Resume(ComponentId),
    Purge,
    Redrive,
    SendByHand,
    Workers(u32),
    Visibility(u32),
}

fn poke() -> impl Strategy<Value = Poke> {
    prop_oneof![
        (2usize..5).prop_map(Poke::Pause),
        (2usize..5).prop_map(Poke::Resume),
        Just(Poke::Purge),
        Just(Poke::Redrive),
        Just(Poke::SendByHand),
        (0u32..6).prop_map(Poke::Workers),
        (0u32..60).prop_map(Poke::Visibility),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Stopping, changing and resuming at any point never loses or duplicates a message.
    #[test]
    fn commands_at_any_moment_conserve_messages(shape in shape(), pokes in proptest::collection::vec((1u64..200, poke()), 0..12)) {
        let mut sim = Simulation::new(model_of(&shape)).expect("valid");
        let mut pokes = pokes;
        pokes.sort_by_key(|(at, _)| *at);
        for (at, poke) in pokes {
            sim.run_until(SimTime::from_secs(at));
            let command = match poke {
                Poke::Pause(component) => Command::Pause { component },
                Poke::Resume(component) => Command::Resume { component },
                Poke::Purge => Command::PurgeQueue { queue: 0 },
                Poke::Redrive => Command::StartMessageMoveTask { source: 1, destination: None, max_number_of_messages_per_second: Some(50) },
                Poke::SendByHand => Command::SendMessage {
                    queue: 0,
                    message: ManualMessage { body: format!("by hand at {at}"), message_group_id: Some("g0".into()), ..ManualMessage::default() },
                },
                Poke::Workers(workers) => {
                    let ComponentKind::Consumer(mut spec) = sim.model().components[3].kind.clone() else { unreachable!() };
                    spec.workers = workers;
                    Command::Update { component: 3, kind: ComponentKind::Consumer(spec) }
                }
                Poke::Visibility(seconds) => {
                    let ComponentKind::Queue(mut spec) = sim.model().components[0].kind.clone() else { unreachable!() };
                    spec.visibility_timeout = seconds;
                    Command::Update { component: 0, kind: ComponentKind::Queue(spec) }
                }
            };
            // Refusals (a second purge within 60 s, a redrive with no DLQ) are fine.
            let _ = sim.handle_command(command);
            let census = sim.census();
            prop_assert_eq!(census.sent, census.accounted(), "after a command: {:?}", census);
            prop_assert_eq!(sim.check_invariants(), Ok(()));
        }
        let mut steps = 0;
        while sim.now() < SimTime::from_secs(300) && steps < 20_000 {
            sim.step();
            steps += 1;
            let census = sim.census();
            prop_assert_eq!(census.sent, census.accounted(), "census {:?}", census);
        }
    }
}
