//! # loosely-engine
//!
//! A deterministic discrete-event simulation of loosely coupled AWS architectures: SQS
//! queues with their dead-letter queues, producers and consumer pools.
//!
//! ```text
//!   Model ──validate──▶ Simulation::new ──▶ Simulation
//!                                              │  handle_command(Command)
//!                                              │  run_until(t) / step()
//!                                              ▼
//!                                drain_trace() · drain_metrics() · stats() · peek()
//! ```
//!
//! The engine has no IO, no wall clock, no threads and no DOM. Time is an integer number of
//! microseconds ([`SimTime`]); equal times run in scheduling order; one seeded generator
//! ([`SimRng`], xoshiro256++) draws every random number, and `libm` computes every
//! transcendental function, so a run is bit-identical natively and in WebAssembly.
//!
//! ```
//! use loosely_engine::{Model, ComponentSpec, ComponentKind, QueueSpec, ProducerSpec,
//!     ConsumerSpec, Simulation, SimTime, ComponentStats};
//!
//! let mut model = Model::default();
//! model.components.push(ComponentSpec { name: "orders".into(), kind: ComponentKind::Queue(QueueSpec::default()) });
//! model.components.push(ComponentSpec {
//!     name: "shop".into(),
//!     kind: ComponentKind::Producer(ProducerSpec { target: 0, rate_per_second: 10.0, ..ProducerSpec::default() }),
//! });
//! model.components.push(ComponentSpec {
//!     name: "workers".into(),
//!     kind: ComponentKind::Consumer(ConsumerSpec { source: 0, workers: 2, ..ConsumerSpec::default() }),
//! });
//! let mut sim = Simulation::new(model).expect("a valid model");
//! sim.run_until(SimTime::from_secs(60));
//! let Some(ComponentStats::Queue(orders)) = sim.stats(0) else { unreachable!() };
//! assert!(orders.sent > 500 && orders.deleted > 500);
//! ```

pub mod alb;
pub mod analysis;
pub mod appflow;
pub mod asl;
pub mod autoscaling;
pub mod batch;
pub mod event_queue;
pub mod expect;
pub mod fault;
pub mod limits;
pub mod metrics;
pub mod model;
pub mod mq;
pub mod rng;
mod sim;
pub mod sns_delivery;
pub mod sns_filter;
pub mod time;
pub mod timeline;
pub mod trace;
pub mod workloads;

pub use fault::{FaultEffect, FaultSpec, FaultWindow};
pub use limits::{LimitProfile, Limits};
pub use metrics::{LatencySummary, Metric, MetricSample, MetricSeries, SeriesPoint};
pub use model::*;
pub use rng::{Distribution, SimRng};
pub use sim::{
    async_throttle_backoff, backoff_wait, billable_chunks, esm_scaling_decision, message_size,
    metered_messages, ws_price, AlbAnswer, ApiAnswer, ApiStats, BrokerQueueStats, BrokerStats,
    BucketObject, BucketStats, BuildError, Census, ClientCensus, ClientsStats, Command,
    CommandError, ComponentStats, ComputeEnvironmentStats, ConsumerStats, CostReport,
    DeadLetterRecord, EndpointStats, EsmScaling, ExecutionRecord, ExecutionSummary, FlowCensus,
    FlowRunRecord, FlowRunStatus, FlowStats, FlowStatus, JobQueueStats, JobState, LambdaCensus,
    LambdaStats, LoadBalancerStats, ManualMessage, ManualPublish, MoveTaskStats, MqCensus,
    PathLatency, PeekState, PeekedMessage, ProducerStats, QueueCounts, QueueStats, RateBucket,
    Simulation, SnsCensus, StateCounts, StateMachineStats, StopCondition, TargetStats, TopicStats,
    WsCensus, WsStats, DEAD_LETTER_RECORDS, MAX_UNDRAINED_METRICS, MAX_UNDRAINED_TRACE,
    RECENT_PER_STATE, REDELIVERY_EXAMPLES,
};
pub use time::{format_clock, SimDuration, SimTime};
pub use timeline::Timeline;
pub use trace::{
    DeliveryOutcome, EmptyReason, InvocationMode, LambdaOutcome, MessageId, SnsError, SqsError,
    TraceEvent, TraceKind,
};
