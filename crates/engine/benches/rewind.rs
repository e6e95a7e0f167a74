//! Rewind latency: a scenario of an hour at 100 messages per second (the sqs-pipeline
//! workload's shape: 360,000 messages, 8 consumers, 1% failures into a DLQ), checkpointed
//! every 30 simulated seconds as the playground does, then sought back to moments spread
//! over the hour. Each iteration is one seek: clone the nearest checkpoint and replay.
//!
//! Run with `cargo bench -p loosely-engine --bench rewind`.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::Duration;

    use criterion::{criterion_group, Criterion};
    use loosely_engine::workloads::sqs_pipeline;
    use loosely_engine::{SimDuration, SimTime, Simulation, Timeline};

    fn rewind(c: &mut Criterion) {
        let mut sim = Simulation::new(sqs_pipeline(360_000, 100.0, 8)).expect("valid workload");
        sim.set_tracing(true);
        let mut timeline = Timeline::new(SimDuration::from_secs(30), 240);
        for second in 0..=3_600u64 {
            sim.run_until(SimTime::from_secs(second));
            sim.drain_trace();
            timeline.record(&sim);
        }
        println!(
            "{} checkpoints, {} s apart, {} events in the hour",
            timeline.len(),
            timeline.interval().0 / 1_000_000,
            sim.events_processed()
        );
        let mut group = c.benchmark_group("rewind");
        group.measurement_time(Duration::from_secs(5));
        let mut target = 0u64;
        group.bench_function("seek_1h_100_per_s", |b| {
            b.iter(|| {
                // Moments spread over the hour, none on a checkpoint.
                target = (target + 1_237) % 3_600;
                let past = timeline.seek(
                    SimTime::from_secs(target).saturating_add(SimDuration::from_millis(17_500)),
                );
                black_box(past.map(|s| s.now()))
            })
        });
        group.finish();
    }

    criterion_group!(benches, rewind);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
