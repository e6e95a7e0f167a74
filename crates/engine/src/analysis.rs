//! What queueing theory predicts for a queue and its consumers, to set beside what the
//! simulation shows: utilisation, the Erlang C chance of waiting, Little's law backlog and
//! wait, and the time to drain a backlog.
//!
//! The model is M/M/c (Poisson arrivals, exponential service, `c` workers), with failed
//! attempts counted as extra work: a message that fails with probability `p` is processed
//! `1 / (1 - p)` times on average. It ignores visibility timeouts, batching and polling, so it
//! is a first estimate, and says so.

use crate::model::{ComponentKind, ConsumerSpec, Model, ProducerSpec};

/// Predictions for one queue with one consumer pool.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// Messages per second arriving (sum of the producers' base rates).
    pub arrival_rate: f64,
    /// Processing attempts per second that one worker can do.
    pub service_rate_per_worker: f64,
    pub workers: u32,
    /// Offered load divided by capacity; at or above 1 the backlog grows without bound.
    pub utilisation: f64,
    /// Erlang C: the chance that an arriving message waits for a worker.
    pub chance_of_waiting: f64,
    /// Mean messages waiting (Little's law: arrival rate × mean wait), None when unstable.
    pub mean_backlog: Option<f64>,
    /// Mean time a message waits before a worker takes it, seconds; None when unstable.
    pub mean_wait_seconds: Option<f64>,
    /// Spare capacity in messages per second (capacity minus load); negative when overloaded.
    pub spare_per_second: f64,
}

impl Prediction {
    /// Seconds to work off `backlog` waiting messages at the spare capacity; None if there is none.
    pub fn time_to_drain(&self, backlog: f64) -> Option<f64> {
        (self.spare_per_second > 0.0).then(|| backlog / self.spare_per_second)
    }
}

fn base_rate(producer: &ProducerSpec) -> f64 {
    producer.rate_per_second
}

/// M/M/c predictions for `consumer` reading from its queue, with arrivals from every producer
/// that sends to that queue.
pub fn predict(model: &Model, consumer: &ConsumerSpec) -> Prediction {
    let arrival_rate: f64 = model
        .components
        .iter()
        .filter_map(|c| match &c.kind {
            ComponentKind::Producer(p) if p.target == consumer.source => Some(base_rate(p)),
            _ => None,
        })
        .sum();
    let mean_service = consumer.processing_time.mean().max(1e-9);
    let service_rate_per_worker = 1.0 / mean_service;
    let attempts_per_message = 1.0 / (1.0 - consumer.failure_probability.clamp(0.0, 0.999));
    let workers = consumer.workers;
    let load = arrival_rate * attempts_per_message / service_rate_per_worker; // Erlangs
    let capacity = workers as f64;
    let utilisation = if capacity > 0.0 {
        load / capacity
    } else {
        f64::INFINITY
    };
    let spare_per_second = (capacity * service_rate_per_worker
        - arrival_rate * attempts_per_message)
        / attempts_per_message;
    let (chance_of_waiting, mean_backlog, mean_wait_seconds) = if utilisation < 1.0 && workers > 0 {
        let c = erlang_c(workers, load);
        let wait = c / (capacity * service_rate_per_worker - load * service_rate_per_worker);
        (c, Some(arrival_rate * wait), Some(wait))
    } else {
        (1.0, None, None)
    };
    Prediction {
        arrival_rate,
        service_rate_per_worker,
        workers,
        utilisation,
        chance_of_waiting,
        mean_backlog,
        mean_wait_seconds,
        spare_per_second,
    }
}

/// Erlang C formula for `c` servers and offered load `a` Erlangs (a < c), computed with the
/// Erlang B recursion, which stays stable for thousands of servers.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    let rho = a / c as f64;
    b / (1.0 - rho + rho * b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ComponentSpec, QueueSpec};
    use crate::rng::Distribution;

    #[test]
    fn erlang_c_matches_textbook_values() {
        // One server: the chance of waiting is the utilisation.
        assert!((erlang_c(1, 0.5) - 0.5).abs() < 1e-12);
        // Two servers, load 1 Erlang: 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn mm1_wait_and_littles_law() {
        let consumer = ConsumerSpec {
            source: 0,
            workers: 1,
            processing_time: Distribution::Exponential { mean: 0.1 },
            ..ConsumerSpec::default()
        };
        let model = Model {
            components: vec![
                ComponentSpec {
                    name: "q".into(),
                    kind: ComponentKind::Queue(QueueSpec::default()),
                },
                ComponentSpec {
                    name: "p".into(),
                    kind: ComponentKind::Producer(ProducerSpec {
                        target: 0,
                        rate_per_second: 5.0,
                        ..ProducerSpec::default()
                    }),
                },
            ],
            ..Model::default()
        };
        let prediction = predict(&model, &consumer);
        assert!((prediction.utilisation - 0.5).abs() < 1e-12);
        // M/M/1: Wq = rho / (mu - lambda) = 0.5 / 5 = 0.1 s; Lq = lambda Wq = 0.5.
        assert!((prediction.mean_wait_seconds.unwrap_or(0.0) - 0.1).abs() < 1e-9);
        assert!((prediction.mean_backlog.unwrap_or(0.0) - 0.5).abs() < 1e-9);
        assert!((prediction.time_to_drain(100.0).unwrap_or(0.0) - 20.0).abs() < 1e-9);
    }

    #[test]
    fn overload_has_no_steady_state() {
        let consumer = ConsumerSpec {
            source: 0,
            workers: 1,
            processing_time: Distribution::Constant { value: 1.0 },
            ..ConsumerSpec::default()
        };
        let model = Model {
            components: vec![
                ComponentSpec {
                    name: "q".into(),
                    kind: ComponentKind::Queue(QueueSpec::default()),
                },
                ComponentSpec {
                    name: "p".into(),
                    kind: ComponentKind::Producer(ProducerSpec {
                        target: 0,
                        rate_per_second: 2.0,
                        ..ProducerSpec::default()
                    }),
                },
            ],
            ..Model::default()
        };
        let prediction = predict(&model, &consumer);
        assert!(prediction.utilisation >= 1.0);
        assert_eq!(prediction.mean_wait_seconds, None);
        assert_eq!(prediction.time_to_drain(10.0), None);
    }
}
