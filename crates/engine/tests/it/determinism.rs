use crate::support::*;
use loosely_engine::*;

#[path = "../common/rich_model.rs"]
mod rich_model;

#[test]
fn the_same_seed_gives_the_same_trace() {
    let (a, events) = rich_model::run_fingerprint(11);
    let (b, _) = rich_model::run_fingerprint(11);
    assert_eq!(a, b);
    assert!(events > 5_000);
    let (c, _) = rich_model::run_fingerprint(12);
    assert_ne!(a, c, "another seed should give another run");
}

/// A clone taken mid-run is a checkpoint: it goes on exactly as the original does.
#[test]
fn a_clone_continues_exactly_as_the_original() {
    let mut original = Simulation::new(rich_model::rich_model(5)).expect("valid");
    original.set_tracing(true);
    original.run_until(secs(40));
    original.drain_trace();
    original.drain_metrics();
    let mut checkpoint = original.clone();
    let a = run_traced(&mut original, secs(100));
    let b = run_traced(&mut checkpoint, secs(100));
    assert!(a.len() > 1_000);
    assert_eq!(trace_fingerprint(&a), trace_fingerprint(&b));
    assert_eq!(original.census(), checkpoint.census());
    assert_eq!(original.drain_metrics(), checkpoint.drain_metrics());
}

/// Stepping event by event and running in big jumps give the same trace.
#[test]
fn step_and_run_until_agree() {
    let mut stepped = Simulation::new(rich_model::rich_model(3)).expect("valid");
    stepped.set_tracing(true);
    let mut jumped = stepped.clone();
    while stepped.next_event_time().is_some_and(|t| t <= secs(30)) {
        stepped.step();
    }
    jumped.run_until(secs(30));
    assert_eq!(
        trace_fingerprint(&stepped.drain_trace()),
        trace_fingerprint(&jumped.drain_trace())
    );
}
