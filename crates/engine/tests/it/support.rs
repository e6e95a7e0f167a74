//! Small builders for test models and helpers to read traces.

use loosely_engine::*;

pub fn queue(name: &str, spec: QueueSpec) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::Queue(spec),
    }
}

pub fn producer(name: &str, spec: ProducerSpec) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::Producer(spec),
    }
}

pub fn consumer(name: &str, spec: ConsumerSpec) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::Consumer(spec),
    }
}

pub fn model(components: Vec<ComponentSpec>) -> Model {
    Model {
        seed: 7,
        components,
        ..Model::default()
    }
}

pub fn build(components: Vec<ComponentSpec>) -> Simulation {
    let mut sim = match Simulation::new(model(components)) {
        Ok(sim) => sim,
        Err(error) => panic!("test model is invalid: {error}"),
    };
    sim.set_tracing(true);
    sim
}

pub fn send(sim: &mut Simulation, queue: ComponentId, body: &str) {
    let message = ManualMessage {
        body: body.into(),
        ..ManualMessage::default()
    };
    if let Err(error) = sim.handle_command(Command::SendMessage { queue, message }) {
        panic!("send failed: {error}");
    }
}

pub fn secs(s: u64) -> SimTime {
    SimTime::from_secs(s)
}

pub fn queue_stats(sim: &Simulation, id: ComponentId) -> QueueStats {
    match sim.stats(id) {
        Some(ComponentStats::Queue(stats)) => stats,
        other => panic!("component {id} is not a queue: {other:?}"),
    }
}

pub fn consumer_stats(sim: &Simulation, id: ComponentId) -> ConsumerStats {
    match sim.stats(id) {
        Some(ComponentStats::Consumer(stats)) => stats,
        other => panic!("component {id} is not a consumer: {other:?}"),
    }
}

/// Times (in whole seconds) of the trace events that match.
pub fn times_of(trace: &[TraceEvent], matches: impl Fn(&TraceKind) -> bool) -> Vec<f64> {
    trace
        .iter()
        .filter(|e| matches(&e.kind))
        .map(|e| e.time.as_secs_f64())
        .collect()
}

/// A hash of the whole trace, for determinism checks.
pub fn trace_fingerprint(trace: &[TraceEvent]) -> String {
    trace.iter().map(|e| format!("{e:?}\n")).collect()
}

pub fn run_traced(sim: &mut Simulation, until: SimTime) -> Vec<TraceEvent> {
    sim.run_until(until);
    sim.drain_trace()
}

/// Runs to `until` one event at a time, checking the invariants after each; returns the trace.
pub fn checked_run(sim: &mut Simulation, until: SimTime) -> Vec<TraceEvent> {
    let mut trace = Vec::new();
    while sim.next_event_time().is_some_and(|t| t <= until) && sim.step() {
        if let Err(problem) = sim.check_invariants() {
            panic!("at {}: {problem}", sim.now());
        }
        trace.extend(sim.drain_trace());
    }
    trace
}

pub fn function(name: &str, spec: LambdaSpec) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::Lambda(spec),
    }
}

pub fn lambda_stats(sim: &Simulation, id: ComponentId) -> LambdaStats {
    match sim.stats(id) {
        Some(ComponentStats::Lambda(stats)) => stats,
        other => panic!("component {id} is not a function: {other:?}"),
    }
}

/// An SNS topic subscribing the Lambda function at `endpoint`.
pub fn topic_to_function(name: &str, endpoint: ComponentId) -> ComponentSpec {
    ComponentSpec {
        name: name.into(),
        kind: ComponentKind::Topic(TopicSpec {
            subscriptions: vec![SubscriptionSpec {
                endpoint,
                protocol: Protocol::Lambda,
                ..SubscriptionSpec::default()
            }],
            ..TopicSpec::default()
        }),
    }
}
