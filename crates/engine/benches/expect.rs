//! Judging expectations, as the playground does every frame: eight expectations (one of
//! each measure) on the sqs-pipeline workload (100 messages per second, 8 consumers, 1%
//! failures into a DLQ) after ten simulated minutes with messages in flight.
//!
//! Run with `cargo bench -p loosely-engine --bench expect`.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::Duration;

    use criterion::{criterion_group, Criterion};
    use loosely_engine::expect::{evaluate, Bound, ExpectationSpec, Measure};
    use loosely_engine::workloads::sqs_pipeline;
    use loosely_engine::{SimTime, Simulation};

    fn judge(c: &mut Criterion) {
        let mut sim = Simulation::new(sqs_pipeline(360_000, 100.0, 8)).expect("valid workload");
        sim.run_until(SimTime::from_secs(600));
        let queue = (0..sim.model().components.len())
            .find(|&c| matches!(sim.stats(c), Some(loosely_engine::ComponentStats::Queue(_))))
            .expect("a queue");
        let at = SimTime::from_secs(3_600);
        let specs: Vec<ExpectationSpec> = [
            Measure::QueueDepth(queue),
            Measure::Redelivered(None),
            Measure::Sent(None),
            Measure::Deleted(Some(queue)),
            Measure::MovedToDlq(None),
            Measure::LatencyP50(None),
            Measure::LatencyP99(None),
            Measure::CostUsd,
        ]
        .into_iter()
        .map(|measure| ExpectationSpec {
            label: String::new(),
            measure,
            bound: Bound::AtMost,
            threshold: 1e12,
            at,
        })
        .collect();
        let mut group = c.benchmark_group("expect");
        group.measurement_time(Duration::from_secs(3));
        group.bench_function("evaluate_8_pipeline_10min", |b| {
            b.iter(|| black_box(evaluate(&sim, &specs)))
        });
        group.finish();
    }

    criterion_group!(benches, judge);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
