//! Behaviour tests of the engine, one module per behaviour.

mod api_gateway;
mod appflow;
mod autoscaling;
mod batch;
mod commands;
mod dead_letter;
mod determinism;
mod fair_queues;
mod faults;
mod fifo;
mod lambda;
mod load_balancer;
mod metrics_and_cost;
mod mq;
mod polling;
mod producers;
mod properties;
mod rewind_and_breakpoints;
mod sns;
mod step_functions;
mod stop_change_resume;
mod support;
mod timers;
mod websocket;
