//! Expectations: validation with paths, and verdicts judged at their time.

use loosely_engine::expect::{evaluate, Judge, VerdictState};
use loosely_engine::SimTime;
use loosely_scenario::Scenario;

fn scenario(expectations: &str) -> Scenario {
    let text = format!(
        r#"{{
  "version": 1,
  "duration_seconds": 600,
  "components": [
    {{"id": "shop", "kind": "producer", "parameters": {{"rate_per_second": 5, "arrival": "constant"}}}},
    {{"id": "orders", "kind": "sqs_queue", "parameters": {{"VisibilityTimeout": 1, "RedrivePolicy": {{"deadLetterTargetArn": "dlq", "maxReceiveCount": 2}}}}}},
    {{"id": "dlq", "kind": "sqs_queue"}},
    {{"id": "workers", "kind": "consumer", "parameters": {{"workers": 2, "processing_time": {{"constant": 0.1}}, "failure_probability": 0.3}}}}
  ],
  "connections": [{{"from": "shop", "to": "orders"}}, {{"from": "orders", "to": "workers"}}],
  "expectations": {expectations}
}}"#
    );
    Scenario::from_json(&text).expect("parses")
}

#[test]
fn every_problem_names_its_field() {
    let broken = scenario(
        r#"[
      {"measure": "queue_depth", "at_most": 1},
      {"measure": "queue_depth", "component": "workers", "equals": 1},
      {"measure": "latency_p99_seconds", "component": "orders", "below": 2},
      {"measure": "sent", "component": "nobody", "above": 1},
      {"measure": "sent"},
      {"measure": "sent", "below": 1, "above": 2},
      {"measure": "cost_usd", "below": 1, "by_seconds": 601},
      {"measure": "cost_usd", "component": "orders", "below": 1}
    ]"#,
    );
    let issues: Vec<String> = broken.validate().iter().map(|i| i.to_string()).collect();
    assert_eq!(
        issues,
        [
            "expectations[0].component: queue_depth measures one queue: name it",
            "expectations[1].component: \"workers\" is a consumer; this measure counts a queue's messages",
            "expectations[2].component: \"orders\" is a queue; latency is measured at a consumer pool",
            "expectations[3].component: \"nobody\" is not the id of a component",
            "expectations[4]: give one bound: equals, at_most, at_least, below or above",
            "expectations[5]: give one bound, not below and above",
            "expectations[6].by_seconds: 601 is outside 0..=600 seconds (the run's duration_seconds)",
            "expectations[7].component: cost_usd is the whole scenario's; leave component out",
        ]
    );
}

#[test]
fn time_pinned_expectations_wait_for_their_time_and_growing_counts_fail_early() {
    let built = scenario(
        r#"[
      {"name": "dlq by 5 min", "measure": "queue_depth", "component": "dlq", "at_least": 1, "by_seconds": 300},
      {"measure": "redelivered", "at_most": 0},
      {"measure": "sent", "component": "orders", "equals": 3000}
    ]"#,
    )
    .build()
    .expect("valid");
    let mut simulation = built.simulation;
    let mut judge = Judge::new(built.expectations.clone());
    let at_start = judge.observe(&simulation);
    assert!(at_start.iter().all(|v| v.state == VerdictState::Pending));
    assert!(at_start[0].sentence.starts_with("dlq by 5 min: messages held by dlq is 0 at 0s; expected at least 1 by 5m 0s: pending until 5m 0s"), "{}", at_start[0].sentence);

    simulation.run_until(SimTime::from_secs(30));
    let early = evaluate(&simulation, &built.expectations);
    assert_eq!(early[0].state, VerdictState::Pending);
    // Redeliveries only grow: at most 0 fails as soon as one happens, with the message ids.
    assert_eq!(early[1].state, VerdictState::Fail);
    assert!(!early[1].messages.is_empty());
    assert_eq!(early[2].state, VerdictState::Pending);

    assert_eq!(
        judge.next_time(simulation.now()),
        Some(SimTime::from_secs(300))
    );
    simulation.run_until(SimTime::from_secs(300));
    let at_five = judge.observe(&simulation);
    assert_eq!(
        at_five[0].state,
        VerdictState::Pass,
        "{}",
        at_five[0].sentence
    );
    assert_eq!(
        judge.next_time(simulation.now()),
        Some(SimTime::from_secs(600))
    );
    simulation.run_until(SimTime::from_secs(600));
    let at_end = judge.observe(&simulation);
    // 5 constant sends a second for 600 s.
    assert_eq!(at_end[2].value, 3000.0, "{}", at_end[2].sentence);
    assert_eq!(at_end[2].state, VerdictState::Pass);
    // The verdict given at 5 minutes is kept.
    assert_eq!(at_end[0].judged_at, SimTime::from_secs(300));
    assert_eq!(judge.next_time(simulation.now()), None);
}
