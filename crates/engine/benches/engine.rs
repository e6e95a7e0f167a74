//! Release-mode timing of the future event list and of the whole engine.
//!
//! Run with `cargo bench -p loosely-engine --bench engine` (about a minute).
//!
//! * `bare_heap`: a std `BinaryHeap` of 32-byte entries, one pop plus one push per iteration,
//!   with 1,000 / 30,000 / 100,000 pending events: the reference figure of
//!   `shared/bench/WORKLOADS.md`.
//! * `event_queue`: the engine's [`EventQueue`], one pop plus one schedule per iteration, with
//!   the same pending counts, half the timers with a constant delay: `heap_only` schedules
//!   everything in the heap, `lanes` puts the constant-delay timers in one lane.
//! * `sqs_pipeline`: the whole engine on the sqs-pipeline workload with N = 20,000 messages;
//!   throughput is in engine events, so criterion prints the time per engine event.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    use std::hint::black_box;
    use std::time::Duration;

    use criterion::{criterion_group, BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput};
    use loosely_engine::event_queue::EventQueue;
    use loosely_engine::{SimTime, Simulation};

    const PENDING: [usize; 3] = [1_000, 30_000, 100_000];

    /// The constant delay of lane timers, and the mean of the random delays (1 s in µs).
    const DELAY: u64 = 1_000_000;

    /// SplitMix64: a tiny deterministic generator, so the benchmark does not measure an RNG.
    struct Mix(u64);

    impl Mix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// A delay uniform in [0, 2 × DELAY): mean DELAY, so the pending count stays put.
        fn delay(&mut self) -> u64 {
            self.next() % (2 * DELAY)
        }
    }

    type BareEntry = Reverse<(u64, u64, [u8; 16])>;

    fn bare_heap(c: &mut Criterion) {
        assert_eq!(std::mem::size_of::<BareEntry>(), 32);
        let mut group = c.benchmark_group("bare_heap");
        group.throughput(Throughput::Elements(1));
        for pending in PENDING {
            let mut rng = Mix(7);
            let mut heap: BinaryHeap<BareEntry> = BinaryHeap::with_capacity(pending + 1);
            let mut seq = 0u64;
            for _ in 0..pending {
                heap.push(Reverse((rng.delay(), seq, [seq as u8; 16])));
                seq += 1;
            }
            group.bench_function(BenchmarkId::new("pop_push", pending), |b| {
                b.iter(|| {
                    let Some(Reverse((time, _, payload))) = heap.pop() else {
                        return;
                    };
                    let payload = black_box(payload);
                    heap.push(Reverse((time + rng.delay(), seq, payload)));
                    seq += 1;
                })
            });
        }
        group.finish();
    }

    /// Fills a queue with `pending` events: the even ones random timers in the heap, the odd
    /// ones constant-delay timers (spread evenly over one delay), in `lane` when given.
    fn filled_queue(pending: usize, use_lane: bool, rng: &mut Mix) -> (EventQueue<[u8; 16]>, u32) {
        let mut queue = EventQueue::new();
        let lane = queue.add_lane();
        let constant = pending / 2;
        for i in 0..constant {
            let time = SimTime(i as u64 * DELAY / constant as u64);
            if use_lane {
                queue.schedule_in_lane(lane, time, [1; 16]);
            } else {
                queue.schedule(time, [1; 16]);
            }
        }
        for _ in constant..pending {
            queue.schedule(SimTime(rng.delay()), [0; 16]);
        }
        (queue, lane)
    }

    fn event_queue(c: &mut Criterion) {
        let mut group = c.benchmark_group("event_queue");
        group.throughput(Throughput::Elements(1));
        for (name, use_lane) in [("heap_only", false), ("lanes", true)] {
            for pending in PENDING {
                let mut rng = Mix(7);
                let (mut queue, lane) = filled_queue(pending, use_lane, &mut rng);
                assert_eq!(queue.len(), pending);
                group.bench_function(BenchmarkId::new(name, pending), |b| {
                    b.iter(|| {
                        let Some((time, payload)) = queue.pop(|_| false) else {
                            return;
                        };
                        let payload = black_box(payload);
                        if payload[0] == 1 {
                            let time = SimTime(time.0 + DELAY);
                            if use_lane {
                                queue.schedule_in_lane(lane, time, payload);
                            } else {
                                queue.schedule(time, payload);
                            }
                        } else {
                            queue.schedule(SimTime(time.0 + rng.delay()), payload);
                        }
                    })
                });
            }
        }
        group.finish();
    }

    /// Runs a fresh simulation of `model` until every message is resolved; returns the
    /// number of engine events it processed.
    fn run_to_end(mut sim: Simulation, trace: bool) -> u64 {
        sim.set_tracing(trace);
        loop {
            let settled = sim.run_until_settled(SimTime(sim.now().0 + 10_000_000));
            black_box(sim.drain_trace().len());
            black_box(sim.drain_metrics().len());
            if settled {
                return sim.events_processed();
            }
        }
    }

    fn sqs_pipeline(c: &mut Criterion) {
        const N: u64 = 20_000;
        let model = loosely_engine::workloads::sqs_pipeline(N, 1_000.0, 100);
        let new_sim = || Simulation::new(model.clone()).expect("the sqs-pipeline model is valid");
        let events = run_to_end(new_sim(), false);
        assert!(events > N, "sqs-pipeline processed only {events} events");
        let mut group = c.benchmark_group("sqs_pipeline");
        group.throughput(Throughput::Elements(events));
        group.sample_size(10);
        group.sampling_mode(SamplingMode::Flat);
        for (name, trace) in [("n20000", false), ("n20000_trace", true)] {
            group.bench_function(name, |b| {
                b.iter_batched(new_sim, |sim| run_to_end(sim, trace), BatchSize::LargeInput)
            });
        }
        group.finish();
    }

    fn config() -> Criterion {
        Criterion::default()
            .sample_size(20)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2))
    }

    criterion_group! {
        name = benches;
        config = config();
        targets = bare_heap, event_queue, sqs_pipeline
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
