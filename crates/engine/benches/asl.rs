//! Release-mode throughput of the ASL interpreter on the `asl-map` workload of
//! shared/bench/WORKLOADS.md: a Map over 1,000 items whose iteration is
//! Pass (States.MathAdd) → Choice → Pass; 3,001 state transitions per execution.
//!
//! Run with `cargo bench -p loosely-engine --bench asl`. Besides the criterion groups it
//! prints state transitions per second for 100 executions one after another.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::sync::Arc;
    use std::time::Instant;

    use criterion::{criterion_group, Criterion, Throughput};
    use loosely_engine::asl::{validate, Execution, ExecutionContext, NoTasks, StateMachine, Step};
    use loosely_engine::{SimRng, SimTime};
    use serde_json::{json, Value};

    const DEFINITION: &str = include_str!("../tests/asl/asl-map.json");

    fn input() -> Value {
        json!({"items": (0..1000).map(|n| json!({"n": n})).collect::<Vec<_>>()})
    }

    /// Runs one execution to the end; returns its transitions.
    fn execute(machine: &Arc<StateMachine>, input: &Value, record_payloads: bool) -> u64 {
        let context = ExecutionContext {
            record_payloads,
            ..ExecutionContext::default()
        };
        let mut execution = Execution::start(Arc::clone(machine), input.clone(), context);
        let mut rng = SimRng::seed_from_u64(1);
        let mut now = SimTime::ZERO;
        loop {
            match execution.advance(now, &mut rng, &mut NoTasks) {
                Step::Transitioned { .. } => {}
                Step::WaitingUntil(until) => now = until,
                _ => return execution.transitions(),
            }
        }
    }

    pub fn report() {
        let Ok(machine) = validate(DEFINITION) else {
            return;
        };
        let machine = Arc::new(machine);
        let input = input();
        for record_payloads in [true, false] {
            let started = Instant::now();
            let mut transitions = 0;
            for _ in 0..100 {
                transitions += execute(&machine, &input, record_payloads);
            }
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "asl-map, 100 executions, payloads in history {record_payloads}: {transitions} transitions in {seconds:.3} s = {:.0} transitions/s, {:.1} executions/s",
                transitions as f64 / seconds,
                100.0 / seconds
            );
        }
    }

    fn bench(c: &mut Criterion) {
        let Ok(machine) = validate(DEFINITION) else {
            return;
        };
        let machine = Arc::new(machine);
        let input = input();
        let mut group = c.benchmark_group("asl-map");
        group.throughput(Throughput::Elements(3001));
        group.bench_function("execution", |b| {
            b.iter(|| black_box(execute(&machine, &input, true)))
        });
        group.bench_function("execution_without_payloads", |b| {
            b.iter(|| black_box(execute(&machine, &input, false)))
        });
        group.finish();
        c.bench_function("validate asl-map", |b| {
            b.iter(|| black_box(validate(black_box(DEFINITION)).is_ok()))
        });
    }

    criterion_group!(benches, bench);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::report();
    native::benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
