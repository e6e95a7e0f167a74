//! Benchmark workloads of `shared/bench/WORKLOADS.md`, built in code so the engine is
//! measured alone.
//! `cargo run --release -p loosely-engine --example workloads -- sqs-pipeline|fanout|asl-map|backlog [N] [--trace]`
//!
//! For asl-map, N is the number of executions (default 100), run one after another.
//!
//! Prints one line of figures and a last line `RESULT {json}` like the peer scripts.

use loosely_engine::asl::{run_to_end, validate, Execution, ExecutionContext, NoTasks, RunEnd};
use loosely_engine::workloads::{backlog, fanout, sqs_pipeline};
use loosely_engine::{SimRng, SimTime, Simulation};
use std::sync::Arc;
use std::time::Instant;

/// The asl-map definition of WORKLOADS.md: a Map over `$.items`, Pass → Choice → Pass.
const ASL_MAP: &str = include_str!("../tests/asl/asl-map.json");

/// asl-map: `runs` executions one after another over 1,000 items each (3,001 transitions),
/// without payloads in the history, as the peer keeps none.
fn asl_map(runs: u64) {
    let machine = match validate(ASL_MAP) {
        Ok(machine) => Arc::new(machine),
        Err(issues) => {
            eprintln!("asl-map.json does not validate: {issues:?}");
            std::process::exit(2);
        }
    };
    let items: Vec<serde_json::Value> = (0..1000).map(|n| serde_json::json!({ "n": n })).collect();
    let input = serde_json::json!({ "items": items });
    let start = Instant::now();
    let mut transitions = 0u64;
    for _ in 0..runs {
        let context = ExecutionContext {
            record_payloads: false,
            ..ExecutionContext::default()
        };
        let mut execution = Execution::start(Arc::clone(&machine), input.clone(), context);
        let end = run_to_end(
            &mut execution,
            &mut NoTasks,
            &mut SimRng::seed_from_u64(1),
            1_000_000,
        );
        if let RunEnd::Failed { error, cause } = end {
            eprintln!("asl-map execution failed: {error}: {cause}");
            std::process::exit(1);
        }
        transitions += execution.transitions();
    }
    let wall = start.elapsed().as_secs_f64();
    println!(
        "loosely asl-map runs={runs}: transitions={transitions} wall={wall:.3}s transitions/s={:.0} executions/s={:.1} peak_rss={:.1}MiB",
        transitions as f64 / wall,
        runs as f64 / wall,
        peak_rss_mib()
    );
    println!(
        "RESULT {{\"workload\":\"asl-map\",\"n\":{runs},\"wall_s\":{wall:.3},\"transitions\":{transitions},\"transitions_per_s\":{:.0},\"executions_per_s\":{:.2},\"peak_rss_mib\":{:.1}}}",
        transitions as f64 / wall,
        runs as f64 / wall,
        peak_rss_mib()
    );
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| {
                    line.split_whitespace()
                        .nth(1)
                        .and_then(|kb| kb.parse::<f64>().ok())
                })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let workload = args.first().map(String::as_str).unwrap_or("sqs-pipeline");
    let trace = args.iter().any(|a| a == "--trace");
    let (model, n, unit) = match workload {
        "sqs-pipeline" => {
            let n = args
                .get(1)
                .and_then(|a| a.parse().ok())
                .unwrap_or(1_000_000);
            (sqs_pipeline(n, 1_000.0, 100), n, "messages")
        }
        "fanout" => {
            let publishes = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
            (fanout(publishes, 500.0, 5, 10), publishes * 5, "deliveries")
        }
        "asl-map" => {
            let runs = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100);
            asl_map(runs);
            return;
        }
        "backlog" => {
            let n: u64 = args
                .get(1)
                .and_then(|a| a.parse().ok())
                .unwrap_or(1_000_000);
            let before = peak_rss_mib();
            let mut sim = match Simulation::new(backlog(n)) {
                Ok(sim) => sim,
                Err(error) => {
                    eprintln!("{error}");
                    std::process::exit(2);
                }
            };
            sim.run_until(SimTime::from_secs(2));
            let held = sim.census().visible;
            let grown = (peak_rss_mib() - before) * 1_048_576.0;
            println!(
                "loosely backlog: {held} messages held, peak RSS grew {:.1} MiB: {:.0} bytes per stored message",
                grown / 1_048_576.0,
                grown / held.max(1) as f64
            );
            println!(
                "RESULT {{\"workload\":\"backlog\",\"held\":{held},\"bytes_per_message\":{:.0}}}",
                grown / held.max(1) as f64
            );
            return;
        }
        other => {
            eprintln!("unknown workload {other}; known: sqs-pipeline, fanout, asl-map, backlog");
            std::process::exit(2);
        }
    };
    let mut sim = match Simulation::new(model) {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(2);
        }
    };
    sim.set_tracing(trace);
    let start = Instant::now();
    let mut trace_events = 0u64;
    loop {
        let settled = sim.run_until_settled(SimTime(sim.now().0 + 10_000_000));
        trace_events += sim.drain_trace().len() as u64;
        sim.drain_metrics();
        if settled {
            break;
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let census = sim.census();
    let events = sim.events_processed();
    let per_second = n as f64 / wall;
    println!(
        "loosely {workload} N={n} trace={trace}: sim_time={:.0}s wall={wall:.2}s deleted={} dlq={} events={events} \
         events/s={:.0} {unit}/s={per_second:.0} trace_events={trace_events} peak_rss={:.1}MiB",
        sim.now().as_secs_f64(),
        census.deleted,
        census.in_dlq,
        events as f64 / wall,
        peak_rss_mib()
    );
    println!(
        "RESULT {{\"workload\":\"{workload}\",\"n\":{n},\"trace\":{trace},\"sim_time_s\":{:.3},\"wall_s\":{wall:.3},\"deleted\":{},\"dlq\":{},\"events\":{events},\"events_per_s\":{:.0},\"{unit}_per_s\":{per_second:.0},\"peak_rss_mib\":{:.1}}}",
        sim.now().as_secs_f64(),
        census.deleted,
        census.in_dlq,
        events as f64 / wall,
        peak_rss_mib()
    );
}
