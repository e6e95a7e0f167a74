//! The long run: 30 simulated days of 100 messages per second through SNS, three SQS queues
//! and a Standard state machine ([`loosely_engine::workloads::long_run`]), headless.
//!
//! `cargo run --release -p loosely-engine --example long_run -- [DAYS] [RATE] [--trace]`
//!
//! Prints one line per simulated hour (events, wall time, resident and peak memory, what the
//! queues and the state machine hold) and a last line `RESULT {json}`. Memory that stays flat
//! after the first hour shows that nothing grows with the length of a run: metric history
//! merges old points, retention expires messages, execution histories and dead-letter records
//! are capped, and the caller drains trace and metric samples (here once per simulated
//! second, as the page does each frame).

use loosely_engine::workloads::long_run;
use loosely_engine::{ComponentStats, SimTime, Simulation};
use std::time::Instant;

/// A field of /proc/self/status in MiB (VmRSS: resident now, VmHWM: peak), 0 elsewhere.
fn status_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(field))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let numbers: Vec<f64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let days = numbers.first().copied().unwrap_or(30.0);
    let rate = numbers.get(1).copied().unwrap_or(100.0);
    let trace = args.iter().any(|a| a == "--trace");
    let mut sim = match Simulation::new(long_run(rate)) {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(2);
        }
    };
    sim.set_tracing(trace);
    let hours = (days * 24.0).round() as u64;
    let started = Instant::now();
    let mut trace_events = 0u64;
    let mut rss_after_first_hour = 0.0;
    let mut max_rss_after_first_hour = 0.0f64;
    println!("hour  events  wall_s  rss_mib  peak_mib  audit_held  fulfil_held  workflow_held  running  deleted  expired  dlq  pending_events");
    for hour in 1..=hours {
        for second in 1..=3_600 {
            sim.run_until(SimTime::from_secs((hour - 1) * 3_600 + second));
            trace_events += sim.drain_trace().len() as u64;
            sim.drain_metrics();
        }
        let held = |id| match sim.stats(id) {
            Some(ComponentStats::Queue(q)) => q.visible + q.in_flight + q.delayed,
            _ => 0,
        };
        let running = match sim.stats(5) {
            Some(ComponentStats::StateMachine(m)) => m.running,
            _ => 0,
        };
        let census = sim.census();
        let rss = status_mib("VmRSS:");
        if hour == 1 {
            rss_after_first_hour = rss;
        } else {
            max_rss_after_first_hour = max_rss_after_first_hour.max(rss);
        }
        println!(
            "{hour:>4}  {:>11}  {:>7.1}  {rss:>7.1}  {:>8.1}  {:>10}  {:>11}  {:>13}  {running:>7}  {:>10}  {:>9}  {:>4}  {:>6}",
            sim.events_processed(),
            started.elapsed().as_secs_f64(),
            status_mib("VmHWM:"),
            held(4),
            held(1),
            held(3),
            census.deleted,
            census.expired,
            census.in_dlq,
            sim.pending_events(),
        );
        if let Err(broken) = sim.check_invariants() {
            eprintln!("invariant broken after hour {hour}: {broken}");
            std::process::exit(1);
        }
    }
    let wall = started.elapsed().as_secs_f64();
    let census = sim.census();
    let events = sim.events_processed();
    println!(
        "RESULT {{\"workload\":\"long-run\",\"days\":{days},\"rate\":{rate},\"trace\":{trace},\"wall_s\":{wall:.1},\"events\":{events},\"events_per_s\":{:.0},\"sent\":{},\"deleted\":{},\"expired\":{},\"trace_events\":{trace_events},\"rss_after_first_hour_mib\":{rss_after_first_hour:.1},\"max_rss_after_first_hour_mib\":{max_rss_after_first_hour:.1},\"peak_rss_mib\":{:.1}}}",
        events as f64 / wall,
        census.sent,
        census.deleted,
        census.expired,
        status_mib("VmHWM:"),
    );
}
