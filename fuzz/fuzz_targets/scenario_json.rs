//! Scenario files: parse, validate, lower, build and run a few simulated seconds. Bad
//! input is an error; a built simulation keeps its invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loosely_engine::SimTime;
use loosely_scenario::Scenario;

/// Simulated time to run a scenario that builds.
const RUN_FOR: SimTime = SimTime::from_secs(5);
/// Events to process at most, so that a scenario of 3,000 messages per second stays quick.
const MAX_EVENTS: u32 = 20_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = Scenario::from_json(text) else {
        return;
    };
    let issues = scenario.validate();
    let _ = scenario.to_json_pretty();
    let Ok(mut built) = scenario.build() else {
        return;
    };
    assert!(
        issues.is_empty(),
        "a scenario with issues built: {issues:?}"
    );
    let sim = &mut built.simulation;
    for _ in 0..MAX_EVENTS {
        match sim.next_event_time() {
            Some(next) if next <= RUN_FOR => {
                sim.step();
            }
            _ => break,
        }
    }
    if let Err(broken) = sim.check_invariants() {
        panic!("invariant broken at {:?}: {broken}", sim.now());
    }
    let census = sim.census();
    assert_eq!(census.accounted(), census.sent, "census {census:?}");
    let sns = sim.sns_census();
    assert_eq!(
        sns.filtered_out + sns.delivered + sns.failed + sns.to_dlq + sns.pending,
        sns.copies,
        "SNS census {sns:?}"
    );
    let _ = sim.drain_trace();
    let _ = sim.drain_metrics();
    let _ = sim.cost();
});
