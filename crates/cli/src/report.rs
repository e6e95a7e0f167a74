//! What `loosely run` prints: final counts per component, latency per path, cost, the first
//! dead letters with their stories, alarms; as aligned text or as one JSON document.

use loosely_engine::{
    ApiStats, ComponentKind, ComponentStats, DeadLetterRecord, SimTime, Simulation,
};
use loosely_scenario::Scenario;
use serde_json::{json, Value};

/// A finished run and what is needed to describe it.
pub struct RunOutcome<'a> {
    pub file: String,
    pub scenario: &'a Scenario,
    pub ids: &'a [String],
    pub simulation: &'a Simulation,
    pub limit: SimTime,
    pub settled: bool,
    /// Wall-clock time of the run (measured here, never in the engine).
    pub wall_seconds: f64,
}

fn seconds(time: SimTime) -> String {
    format!("{:.1}s", time.as_secs_f64())
}

fn usd(amount: f64) -> String {
    format!("${amount:.6}")
}

/// "m-17: sent by shop at 3.2s → orders received 3 times (first at 3.3s) → moved to
/// orders-dlq at 95.1s: maxReceiveCount is 3"
pub fn dead_letter_story(simulation: &Simulation, record: &DeadLetterRecord) -> String {
    let sender = match record.producer {
        Some(producer) => simulation.component_name(producer).to_string(),
        None => "hand".to_string(),
    };
    format!(
        "{}: sent by {sender} at {} → {} received {} times (first at {}) → moved to {} at {}: maxReceiveCount is {}",
        record.message,
        seconds(record.sent_at),
        simulation.component_name(record.source),
        record.receive_count,
        seconds(record.first_receive_at),
        simulation.component_name(record.dlq),
        seconds(record.moved_at),
        record.max_receive_count
    )
}

/// Messages that arrived in a dead-letter queue, over every queue.
fn dead_lettered_total(outcome: &RunOutcome) -> u64 {
    (0..outcome.ids.len())
        .filter_map(|index| match outcome.simulation.stats(index) {
            Some(ComponentStats::Queue(queue)) => Some(queue.dead_lettered_here),
            _ => None,
        })
        .sum()
}

fn path_name(
    simulation: &Simulation,
    producer: Option<usize>,
    queue: usize,
    consumer: usize,
) -> String {
    let producer = match producer {
        Some(producer) => simulation.component_name(producer).to_string(),
        None => "by hand".to_string(),
    };
    format!(
        "{producer} → {} → {}",
        simulation.component_name(queue),
        simulation.component_name(consumer)
    )
}

/// Aligned columns: the first left-aligned, the others right-aligned.
fn columns(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (index, cell) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(index) {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (index, cell) in cells.iter().enumerate() {
            let width = widths.get(index).copied().unwrap_or(0);
            let pad = width.saturating_sub(cell.chars().count());
            if index == 0 {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str("  ");
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

fn seconds_or_dash(value: f64) -> String {
    if value.is_nan() {
        "-".to_string()
    } else {
        format!("{value:.3}")
    }
}

/// A sweep as aligned columns: one per setting, then the outcomes.
pub fn sweep_table(
    settings: &[loosely_scenario::sweep::Setting],
    rows: &[loosely_scenario::sweep::Row],
) -> String {
    use loosely_scenario::sweep::cell;
    let mut headers: Vec<&str> = settings.iter().map(|s| s.path.as_str()).collect();
    headers.extend([
        "sent",
        "deleted",
        "redelivered",
        "to DLQ",
        "p50 s",
        "p99 s",
        "cost USD",
    ]);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let o = &row.outcome;
            let mut cells: Vec<String> = row.values.iter().map(cell).collect();
            cells.extend([
                format!("{:.0}", o.sent),
                format!("{:.0}", o.deleted),
                format!("{:.0}", o.redelivered),
                format!("{:.0}", o.moved_to_dlq),
                seconds_or_dash(o.latency_p50_seconds),
                seconds_or_dash(o.latency_p99_seconds),
                usd(o.cost_usd),
            ]);
            cells
        })
        .collect();
    columns(&headers, &cells)
}

/// The subscriptions of topic `topic`, in order, with their endpoint and protocol.
fn subscriptions_of(sim: &Simulation, topic: usize) -> Vec<(usize, &'static str)> {
    match sim.model().components.get(topic).map(|c| &c.kind) {
        Some(ComponentKind::Topic(spec)) => spec
            .subscriptions
            .iter()
            .map(|s| (s.endpoint, s.protocol.as_str()))
            .collect(),
        _ => Vec::new(),
    }
}

/// One table row per subscription: `topic → endpoint`, protocol and its counts.
fn subscription_rows(
    sim: &Simulation,
    topic: usize,
    topic_name: &str,
    counts: &[(u64, u64, u64, u64)],
) -> Vec<Vec<String>> {
    subscriptions_of(sim, topic)
        .into_iter()
        .zip(counts)
        .map(
            |((endpoint, protocol), (delivered, failed, filtered_out, to_dlq))| {
                vec![
                    format!("{topic_name} → {}", sim.component_name(endpoint)),
                    protocol.to_string(),
                    delivered.to_string(),
                    filtered_out.to_string(),
                    failed.to_string(),
                    to_dlq.to_string(),
                ]
            },
        )
        .collect()
}

fn subscription_json(
    sim: &Simulation,
    topic: usize,
    counts: &[(u64, u64, u64, u64)],
    id_of: &dyn Fn(usize) -> String,
) -> Vec<Value> {
    subscriptions_of(sim, topic)
        .into_iter()
        .zip(counts)
        .map(
            |((endpoint, protocol), (delivered, failed, filtered_out, to_dlq))| {
                json!({
                    "endpoint": id_of(endpoint), "protocol": protocol,
                    "delivered": delivered, "failed": failed,
                    "filtered_out": filtered_out, "redriven_to_dlq": to_dlq,
                })
            },
        )
        .collect()
}

pub fn table(outcome: &RunOutcome) -> String {
    let sim = outcome.simulation;
    let mut out = String::new();
    let title = if outcome.scenario.name.is_empty() {
        String::new()
    } else {
        format!(" \"{}\"", outcome.scenario.name)
    };
    out.push_str(&format!(
        "{}{title} (seed {})\n",
        outcome.file, outcome.scenario.seed
    ));
    out.push_str(&format!(
        "simulated {} ({:.1} s) of {}; {}; {} engine events; wall time {:.3} s\n",
        sim.now(),
        sim.now().as_secs_f64(),
        outcome.limit,
        if outcome.settled {
            "settled: every message is deleted, expired or in a dead-letter queue"
        } else {
            "not settled"
        },
        sim.events_processed(),
        outcome.wall_seconds
    ));

    let mut queues = Vec::new();
    let mut producers = Vec::new();
    let mut consumers = Vec::new();
    let mut topics = Vec::new();
    let mut endpoints = Vec::new();
    let mut buckets = Vec::new();
    let mut machines = Vec::new();
    let mut functions = Vec::new();
    let mut apis = Vec::new();
    let mut websockets = Vec::new();
    let mut populations = Vec::new();
    let mut subscriptions = Vec::new();
    let mut job_queues = Vec::new();
    let mut environments = Vec::new();
    let mut brokers = Vec::new();
    let mut flows = Vec::new();
    let mut load_balancers = Vec::new();
    for index in 0..outcome.ids.len() {
        let name = sim.component_name(index).to_string();
        match sim.stats(index) {
            Some(ComponentStats::Queue(q)) => queues.push(vec![
                name,
                q.sent.to_string(),
                q.received.to_string(),
                q.deleted.to_string(),
                q.visible.to_string(),
                q.in_flight.to_string(),
                q.delayed.to_string(),
                q.moved_to_dlq.to_string(),
                q.expired.to_string(),
                q.deduplicated.to_string(),
                q.empty_receives.to_string(),
            ]),
            Some(ComponentStats::Producer(p)) => producers.push(vec![
                name,
                p.sent.to_string(),
                p.rejected.to_string(),
                p.throttled.to_string(),
            ]),
            Some(ComponentStats::Consumer(c)) => consumers.push(vec![
                name,
                c.workers.to_string(),
                c.processed.to_string(),
                c.failed.to_string(),
                c.deleted.to_string(),
            ]),
            Some(ComponentStats::Topic(t)) => {
                subscriptions.extend(subscription_rows(sim, index, &name, &t.subscriptions));
                topics.push(vec![
                    name,
                    t.published.to_string(),
                    t.rejected.to_string(),
                    t.throttled.to_string(),
                    t.deduplicated.to_string(),
                    t.delivered.to_string(),
                    t.filtered_out.to_string(),
                    t.failed.to_string(),
                    t.redriven_to_dlq.to_string(),
                    t.pending.to_string(),
                ]);
            }
            Some(ComponentStats::Endpoint(e)) => endpoints.push(vec![
                name,
                e.received.to_string(),
                e.server_errors.to_string(),
                e.client_errors.to_string(),
            ]),
            Some(ComponentStats::Bucket(b)) => {
                buckets.push(vec![name, b.objects.to_string(), b.bytes.to_string()])
            }
            Some(ComponentStats::BatchJobQueue(q)) => job_queues.push(vec![
                name,
                q.submitted.to_string(),
                q.created.to_string(),
                q.pending.to_string(),
                q.runnable.to_string(),
                (q.starting + q.running).to_string(),
                q.succeeded.to_string(),
                q.failed.to_string(),
                q.retries.to_string(),
                q.timed_out.to_string(),
                q.interrupted.to_string(),
            ]),
            Some(ComponentStats::Broker(b)) => brokers.push(vec![
                name,
                format!("{} {}", b.engine, b.deployment_mode),
                b.census.sent.to_string(),
                b.census.enqueued.to_string(),
                b.census.in_flight.to_string(),
                b.census.acknowledged.to_string(),
                b.census.dead_lettered.to_string(),
                b.census.lost.to_string(),
                b.census.refused.to_string(),
                b.census.unroutable.to_string(),
                b.redeliveries.to_string(),
                b.failovers.to_string(),
                usd(b.cost_usd),
            ]),
            Some(ComponentStats::BatchComputeEnvironment(e)) => environments.push(vec![
                name,
                e.resource_type.to_string(),
                format!("{}/{}", e.vcpus_in_use, e.max_vcpus),
                e.vcpus_provisioned.to_string(),
                e.instances.to_string(),
                e.interruptions.to_string(),
                usd(e.cost_usd),
            ]),
            Some(ComponentStats::Flow(f)) => flows.push(vec![
                name,
                f.flow_status.map_or("", |s| s.as_str()).to_string(),
                f.runs_started.to_string(),
                f.runs_succeeded.to_string(),
                f.runs_failed.to_string(),
                f.census.generated.to_string(),
                f.census.transferred.to_string(),
                f.census.filtered.to_string(),
                f.census.invalid.to_string(),
                f.census.destination_failed.to_string(),
                f.api_calls.to_string(),
                usd(f.cost_usd),
            ]),
            Some(ComponentStats::StateMachine(m)) => machines.push(vec![
                name,
                if m.express { "EXPRESS" } else { "STANDARD" }.to_string(),
                m.started.to_string(),
                m.duplicated.to_string(),
                m.running.to_string(),
                m.succeeded.to_string(),
                m.failed.to_string(),
                m.timed_out.to_string(),
                m.throttled.to_string(),
                m.transitions.to_string(),
                format!("{:.3}", mean_execution_seconds(&m)),
            ]),
            Some(ComponentStats::Lambda(l)) => functions.push(vec![
                name,
                l.invocations.to_string(),
                l.errors.to_string(),
                l.throttles.to_string(),
                l.cold_starts.to_string(),
                l.running.to_string(),
                l.event_source_batches.to_string(),
                l.async_pending.to_string(),
                format!("{:.1}", l.mean_duration_ms),
                format!("{:.2}", l.gb_seconds),
            ]),
            Some(ComponentStats::Api(ApiStats {
                websocket: Some(w), ..
            })) => websockets.push(vec![
                name,
                w.open_connections.to_string(),
                w.connections_opened.to_string(),
                w.connections_refused.to_string(),
                format!(
                    "{}/{}/{}/{}",
                    w.closed_by_client, w.closed_at_max_duration, w.closed_idle, w.closed_too_large
                ),
                w.messages.to_string(),
                w.metered_messages.to_string(),
                w.client_errors.to_string(),
                w.integration_errors.to_string(),
                w.execution_errors.to_string(),
                format!("{:.0}", w.connection_minutes),
            ]),
            Some(ComponentStats::Api(a)) => apis.push(vec![
                name,
                a.count.to_string(),
                a.errors_4xx.to_string(),
                a.errors_5xx.to_string(),
                a.throttled.to_string(),
                a.quota_exceeded.to_string(),
                a.unauthorized.to_string(),
                a.waf_blocked.to_string(),
                a.integration_timeouts.to_string(),
                format!("{}/{}", a.cache_hits, a.cache_hits + a.cache_misses),
                format!("{:.1}", a.mean_latency_ms),
            ]),
            Some(ComponentStats::Clients(c)) => populations.push(vec![
                name,
                c.started.to_string(),
                c.succeeded.to_string(),
                c.failed.to_string(),
                c.timed_out.to_string(),
                c.retries.to_string(),
                c.in_progress.to_string(),
                format!("{:.3}", c.latency.p50),
                format!("{:.3}", c.latency.p99),
            ]),
            Some(ComponentStats::LoadBalancer(l)) => load_balancers.push(vec![
                name,
                l.request_count.to_string(),
                l.target_2xx.to_string(),
                l.target_5xx.to_string(),
                l.elb_502.to_string(),
                l.elb_503.to_string(),
                l.elb_504.to_string(),
                format!("{}/{}", l.healthy, l.targets.len()),
                format!("{:.3}", l.mean_target_response_seconds),
            ]),
            None => {}
        }
    }
    if !queues.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "queue",
                "sent",
                "received",
                "deleted",
                "visible",
                "in flight",
                "delayed",
                "moved to DLQ",
                "expired",
                "deduplicated",
                "empty receives",
            ],
            &queues,
        ));
    }
    if !producers.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &["producer", "sent", "rejected", "throttled"],
            &producers,
        ));
    }
    if !consumers.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &["consumer", "workers", "processed", "failed", "deleted"],
            &consumers,
        ));
    }
    if !topics.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "topic",
                "published",
                "rejected",
                "throttled",
                "deduplicated",
                "delivered",
                "filtered out",
                "failed",
                "to subscription DLQ",
                "pending",
            ],
            &topics,
        ));
    }
    if !subscriptions.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "subscription",
                "protocol",
                "delivered",
                "filtered out",
                "failed",
                "to DLQ",
            ],
            &subscriptions,
        ));
    }
    if !endpoints.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &["endpoint", "received", "server errors", "client errors"],
            &endpoints,
        ));
    }
    if !buckets.is_empty() {
        out.push('\n');
        out.push_str(&columns(&["bucket", "objects", "bytes"], &buckets));
    }
    if !machines.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "state machine",
                "type",
                "started",
                "ran twice",
                "running",
                "succeeded",
                "failed",
                "timed out",
                "throttled",
                "transitions",
                "mean s",
            ],
            &machines,
        ));
    }
    if !apis.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "API",
                "Count",
                "4XXError",
                "5XXError",
                "throttled",
                "quota",
                "unauthorized",
                "WAF",
                "504",
                "auth cache hits",
                "Latency ms",
            ],
            &apis,
        ));
    }
    if !websockets.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "WebSocket API",
                "open",
                "connected",
                "refused",
                "closed client/2h/idle/1009",
                "MessageCount",
                "billed (32 KB)",
                "ClientError",
                "IntegrationError",
                "ExecutionError",
                "connection-min",
            ],
            &websockets,
        ));
    }
    if !populations.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "clients",
                "requests",
                "succeeded",
                "failed",
                "timed out",
                "retries",
                "waiting",
                "p50 s",
                "p99 s",
            ],
            &populations,
        ));
    }
    if !load_balancers.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "load balancer",
                "RequestCount",
                "target 2XX",
                "target 5XX",
                "ELB 502",
                "ELB 503",
                "ELB 504",
                "healthy",
                "TargetResponseTime s",
            ],
            &load_balancers,
        ));
    }
    if !functions.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "function",
                "Invocations",
                "Errors",
                "Throttles",
                "cold starts",
                "running",
                "ESM batches",
                "async pending",
                "Duration ms",
                "GB-s",
            ],
            &functions,
        ));
    }

    if !job_queues.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "job queue",
                "submitted",
                "jobs (with array children)",
                "PENDING",
                "RUNNABLE",
                "STARTING+RUNNING",
                "SUCCEEDED",
                "FAILED",
                "retries",
                "timed out",
                "interrupted",
            ],
            &job_queues,
        ));
    }
    if !environments.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "compute environment",
                "type",
                "vCPUs in use/max",
                "vCPUs running",
                "instances",
                "interruptions",
                "USD",
            ],
            &environments,
        ));
    }
    if !brokers.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "broker",
                "engine and mode",
                "sent",
                "enqueued",
                "unacked",
                "acked",
                "DLQ",
                "lost",
                "refused",
                "unroutable",
                "redeliveries",
                "failovers",
                "USD",
            ],
            &brokers,
        ));
    }

    if !flows.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &[
                "AppFlow flow",
                "flowStatus",
                "runs",
                "Successful",
                "Error",
                "records read",
                "transferred",
                "filtered",
                "invalid",
                "refused",
                "API calls",
                "USD",
            ],
            &flows,
        ));
    }

    let latency: Vec<Vec<String>> = sim
        .latency()
        .iter()
        .map(|path| {
            vec![
                path_name(sim, path.producer, path.queue, path.consumer),
                path.summary.count.to_string(),
                format!("{:.3}", path.summary.p50),
                format!("{:.3}", path.summary.p90),
                format!("{:.3}", path.summary.p99),
                format!("{:.3}", path.summary.max),
            ]
        })
        .collect();
    out.push_str("\nlatency, send to delete, seconds\n");
    if latency.is_empty() {
        out.push_str("no message was deleted\n");
    } else {
        out.push_str(&columns(
            &["path", "messages", "p50", "p90", "p99", "max"],
            &latency,
        ));
    }

    let cost = sim.cost();
    let mut cost_rows: Vec<Vec<String>> = cost
        .queues
        .iter()
        .map(|(queue, requests, amount)| {
            vec![
                sim.component_name(*queue).to_string(),
                requests.to_string(),
                usd(*amount),
            ]
        })
        .collect();
    let mut topic_requests = 0;
    for (topic, requests, amount) in &cost.topics {
        topic_requests += requests;
        cost_rows.push(vec![
            sim.component_name(*topic).to_string(),
            requests.to_string(),
            usd(*amount),
        ]);
    }
    for (machine, units, amount) in &cost.state_machines {
        let express = matches!(
            sim.stats(*machine),
            Some(ComponentStats::StateMachine(m)) if m.express
        );
        let what = if express {
            "requests + GB-seconds"
        } else {
            "state transitions"
        };
        cost_rows.push(vec![
            format!("{} ({what})", sim.component_name(*machine)),
            units.to_string(),
            usd(*amount),
        ]);
    }
    for (api, requests, amount) in &cost.apis {
        cost_rows.push(vec![
            format!("{} (API requests)", sim.component_name(*api)),
            requests.to_string(),
            usd(*amount),
        ]);
    }
    for (function, requests, amount) in &cost.lambdas {
        cost_rows.push(vec![
            format!("{} (requests + GB-seconds)", sim.component_name(*function)),
            requests.to_string(),
            usd(*amount),
        ]);
    }
    for (environment, amount) in &cost.compute_environments {
        cost_rows.push(vec![
            format!("{} (compute capacity)", sim.component_name(*environment)),
            String::new(),
            usd(*amount),
        ]);
    }
    for (broker, amount) in &cost.brokers {
        cost_rows.push(vec![
            format!("{} (broker instance-hours)", sim.component_name(*broker)),
            String::new(),
            usd(*amount),
        ]);
    }
    for (balancer, amount) in &cost.load_balancers {
        cost_rows.push(vec![
            format!(
                "{} (load balancer-hours + LCU-hours)",
                sim.component_name(*balancer)
            ),
            String::new(),
            usd(*amount),
        ]);
    }
    cost_rows.push(vec![
        if outcome.scenario.free_tier {
            "total (after the free tier)".to_string()
        } else {
            "total".to_string()
        },
        // The engine's request count is SQS's; SNS publishes are billed apart; state
        // machines' units are not requests of either.
        (cost.requests + topic_requests).to_string(),
        usd(cost.total_usd),
    ]);
    out.push('\n');
    out.push_str(&columns(&["cost", "requests", "USD"], &cost_rows));

    let records = sim.dead_letters();
    let total = dead_lettered_total(outcome);
    if total > 0 || !records.is_empty() {
        out.push_str(&format!(
            "\ndead letters (first {} of {total})\n",
            records.len()
        ));
        for record in records {
            out.push_str(&dead_letter_story(sim, record));
            out.push('\n');
        }
    }

    let faults = fault_rows(outcome);
    if !faults.is_empty() {
        out.push('\n');
        out.push_str(&columns(
            &["fault", "component", "effect", "from s", "to s"],
            &faults,
        ));
    }

    let states = sim.alarm_states();
    if !states.is_empty() {
        out.push('\n');
        let rows: Vec<Vec<String>> = sim
            .model()
            .alarms
            .iter()
            .zip(states)
            .map(|(alarm, in_alarm)| {
                vec![
                    alarm.name.clone(),
                    sim.component_name(alarm.component).to_string(),
                    alarm.metric.as_str().to_string(),
                    if in_alarm { "ALARM" } else { "OK" }.to_string(),
                ]
            })
            .collect();
        out.push_str(&columns(&["alarm", "component", "metric", "state"], &rows));
    }
    out
}

/// One row per fault of the timeline, with what it did to a consumer pool.
fn fault_rows(outcome: &RunOutcome) -> Vec<Vec<String>> {
    let sim = outcome.simulation;
    sim.model()
        .fault_windows()
        .iter()
        .map(|window| {
            let mut effect = window.effect.describe();
            let stop = matches!(window.effect, loosely_engine::FaultEffect::Stop { .. });
            if let (true, Some(ComponentStats::Consumer(c))) = (stop, sim.stats(window.component)) {
                if c.abandoned > 0 {
                    effect.push_str(&format!(
                        " ({} messages dropped in all by stopped workers)",
                        c.abandoned
                    ));
                }
            }
            vec![
                format!("#{}", window.fault),
                sim.component_name(window.component).to_string(),
                effect,
                format!("{:.1}", window.start.as_secs_f64()),
                format!("{:.1}", window.end.as_secs_f64()),
            ]
        })
        .collect()
}

pub fn json(outcome: &RunOutcome) -> Value {
    let sim = outcome.simulation;
    let id_of = |index: usize| outcome.ids.get(index).cloned().unwrap_or_default();
    let components: Vec<Value> = outcome
        .ids
        .iter()
        .enumerate()
        .filter_map(|(index, id)| {
            let name = sim.component_name(index);
            Some(match sim.stats(index)? {
                ComponentStats::Queue(q) => json!({
                    "id": id, "name": name, "kind": "sqs_queue",
                    "sent": q.sent, "received": q.received, "deleted": q.deleted,
                    "visible": q.visible, "in_flight": q.in_flight, "delayed": q.delayed,
                    "moved_to_dlq": q.moved_to_dlq, "dead_lettered_here": q.dead_lettered_here,
                    "expired": q.expired, "empty_receives": q.empty_receives,
                    "deduplicated": q.deduplicated, "throttled": q.throttled, "purged": q.purged,
                    "requests": q.requests, "cost_usd": q.cost_usd,
                    "is_dead_letter_queue": q.is_dead_letter_queue,
                }),
                ComponentStats::Producer(p) => json!({
                    "id": id, "name": name, "kind": "producer",
                    "sent": p.sent, "rejected": p.rejected, "throttled": p.throttled,
                    "finished": p.finished,
                }),
                ComponentStats::Consumer(c) => json!({
                    "id": id, "name": name, "kind": "consumer",
                    "workers": c.workers, "processed": c.processed, "failed": c.failed,
                    "deleted": c.deleted, "workers_down": c.workers_down,
                    "abandoned": c.abandoned,
                }),
                ComponentStats::Topic(t) => json!({
                    "id": id, "name": name, "kind": "sns_topic",
                    "published": t.published, "rejected": t.rejected, "throttled": t.throttled,
                    "deduplicated": t.deduplicated, "delivered": t.delivered, "failed": t.failed,
                    "filtered_out": t.filtered_out, "redriven_to_dlq": t.redriven_to_dlq,
                    "pending": t.pending, "requests": t.requests, "cost_usd": t.cost_usd,
                    "subscriptions": subscription_json(sim, index, &t.subscriptions, &id_of),
                }),
                ComponentStats::Endpoint(e) => json!({
                    "id": id, "name": name, "kind": "endpoint",
                    "received": e.received, "server_errors": e.server_errors,
                    "client_errors": e.client_errors,
                }),
                ComponentStats::Bucket(b) => json!({
                    "id": id, "name": name, "kind": "s3_bucket",
                    "objects": b.objects, "bytes": b.bytes,
                }),
                ComponentStats::BatchJobQueue(q) => json!({
                    "id": id, "name": name, "kind": "batch_job_queue",
                    "submitted": q.submitted, "jobs": q.created, "PENDING": q.pending,
                    "RUNNABLE": q.runnable, "STARTING": q.starting, "RUNNING": q.running,
                    "SUCCEEDED": q.succeeded, "FAILED": q.failed, "retries": q.retries,
                    "timed_out": q.timed_out, "interrupted": q.interrupted,
                }),
                ComponentStats::Broker(b) => json!({
                    "id": id, "name": name, "kind": "mq_broker",
                    "EngineType": b.engine, "DeploymentMode": b.deployment_mode,
                    "active_instance": b.active_instance, "failovers": b.failovers,
                    "sent": b.census.sent, "enqueued": b.census.enqueued,
                    "in_flight": b.census.in_flight, "acknowledged": b.census.acknowledged,
                    "dead_lettered": b.census.dead_lettered, "lost": b.census.lost,
                    "refused": b.census.refused, "unroutable": b.census.unroutable,
                    "redeliveries": b.redeliveries, "cost_usd": b.cost_usd,
                    "queues": b.queues.iter().map(|q| json!({
                        "name": q.name, "ready": q.ready, "unacknowledged": q.unacknowledged,
                        "EnqueueCount": q.enqueued, "DequeueCount": q.dequeued,
                    })).collect::<Vec<_>>(),
                }),
                ComponentStats::BatchComputeEnvironment(e) => json!({
                    "id": id, "name": name, "kind": "batch_compute_environment",
                    "type": e.resource_type, "maxvCpus": e.max_vcpus,
                    "vcpus_in_use": e.vcpus_in_use, "vcpus_running": e.vcpus_provisioned,
                    "instances": e.instances, "launching": e.launching,
                    "interruptions": e.interruptions, "cost_usd": e.cost_usd,
                }),
                ComponentStats::Flow(f) => json!({
                    "id": id, "name": name, "kind": "appflow_flow",
                    "flowStatus": f.flow_status.map(|s| s.as_str()),
                    "FlowExecutionsStarted": f.runs_started,
                    "FlowExecutionsSucceeded": f.runs_succeeded,
                    "FlowExecutionsFailed": f.runs_failed,
                    "records_read": f.census.generated, "transferred": f.census.transferred,
                    "filtered": f.census.filtered, "invalid": f.census.invalid,
                    "refused": f.census.destination_failed, "not_written": f.census.not_written,
                    "api_calls": f.api_calls, "bytes_processed": f.bytes_processed,
                    "cost_usd": f.cost_usd,
                }),
                ComponentStats::StateMachine(m) => json!({
                    "id": id, "name": name, "kind": "state_machine",
                    "Type": if m.express { "EXPRESS" } else { "STANDARD" },
                    "ExecutionsStarted": m.started, "duplicated_runs": m.duplicated,
                    "running": m.running,
                    "ExecutionsSucceeded": m.succeeded, "ExecutionsFailed": m.failed,
                    "ExecutionsTimedOut": m.timed_out, "ExecutionsAborted": m.aborted,
                    "ExecutionThrottled": m.throttled, "state_transitions": m.transitions,
                    "ExecutionTime_mean_seconds": mean_execution_seconds(&m),
                    "ExecutionTime_max_seconds": m.execution_time_max.as_secs_f64(),
                    "states_entered": m.entered,
                    "billed_gb_seconds": m.billed_gb_seconds, "cost_usd": m.cost_usd,
                }),
                ComponentStats::Lambda(l) => json!({
                    "id": id, "name": name, "kind": "lambda_function",
                    "Invocations": l.invocations, "Errors": l.errors, "Throttles": l.throttles,
                    "cold_starts": l.cold_starts, "running": l.running, "warm": l.warm,
                    "concurrency_limit": l.concurrency_limit,
                    "event_source_batches": l.event_source_batches,
                    "async_pending": l.async_pending,
                    "Duration_mean_ms": l.mean_duration_ms,
                    "billed_gb_seconds": l.gb_seconds, "requests": l.requests,
                    "cost_usd": l.cost_usd,
                }),
                ComponentStats::Api(a) => json!({
                    "id": id, "name": name, "kind": "api_gateway",
                    "Count": a.count, "4XXError": a.errors_4xx, "5XXError": a.errors_5xx,
                    "throttled": a.throttled, "quota_exceeded": a.quota_exceeded,
                    "unauthorized": a.unauthorized, "waf_blocked": a.waf_blocked,
                    "integration_timeouts": a.integration_timeouts,
                    "authorizer_cache_hits": a.cache_hits,
                    "authorizer_cache_misses": a.cache_misses,
                    "Latency_mean_ms": a.mean_latency_ms,
                    "requests": a.requests, "cost_usd": a.cost_usd,
                }),
                ComponentStats::Clients(c) => json!({
                    "id": id, "name": name, "kind": "client_population",
                    "requests": c.started, "succeeded": c.succeeded, "failed": c.failed,
                    "timed_out": c.timed_out, "retries": c.retries,
                    "in_progress": c.in_progress,
                    "p50_seconds": c.latency.p50, "p99_seconds": c.latency.p99,
                }),
                ComponentStats::LoadBalancer(l) => json!({
                    "id": id, "name": name, "kind": "application_load_balancer",
                    "RequestCount": l.request_count,
                    "HTTPCode_Target_2XX_Count": l.target_2xx,
                    "HTTPCode_Target_5XX_Count": l.target_5xx,
                    "HTTPCode_ELB_502_Count": l.elb_502,
                    "HTTPCode_ELB_503_Count": l.elb_503,
                    "HTTPCode_ELB_504_Count": l.elb_504,
                    "HealthyHostCount": l.healthy, "UnHealthyHostCount": l.unhealthy,
                    "TargetResponseTime_mean_seconds": l.mean_target_response_seconds,
                    "targets": l.targets.iter().map(|t| t.state.as_str()).collect::<Vec<_>>(),
                    "lcu_hours": l.lcu_hours, "cost_usd": l.cost_usd,
                }),
            })
        })
        .collect();
    let latency: Vec<Value> = sim
        .latency()
        .iter()
        .map(|path| {
            json!({
                "path": path_name(sim, path.producer, path.queue, path.consumer),
                "producer": path.producer.map(id_of),
                "queue": id_of(path.queue),
                "consumer": id_of(path.consumer),
                "messages": path.summary.count,
                "p50_seconds": path.summary.p50,
                "p90_seconds": path.summary.p90,
                "p99_seconds": path.summary.p99,
                "max_seconds": path.summary.max,
            })
        })
        .collect();
    let cost = sim.cost();
    let dead_letters: Vec<Value> = sim
        .dead_letters()
        .iter()
        .map(|record| {
            json!({
                "message": record.message.to_string(),
                "producer": record.producer.map(id_of),
                "source": id_of(record.source),
                "dlq": id_of(record.dlq),
                "sent_at_seconds": record.sent_at.as_secs_f64(),
                "first_receive_at_seconds": record.first_receive_at.as_secs_f64(),
                "moved_at_seconds": record.moved_at.as_secs_f64(),
                "receive_count": record.receive_count,
                "max_receive_count": record.max_receive_count,
                "story": dead_letter_story(sim, record),
            })
        })
        .collect();
    let alarms: Vec<Value> = sim
        .model()
        .alarms
        .iter()
        .zip(sim.alarm_states())
        .map(|(alarm, in_alarm)| {
            json!({
                "AlarmName": alarm.name,
                "component": id_of(alarm.component),
                "MetricName": alarm.metric.as_str(),
                "state": if in_alarm { "ALARM" } else { "OK" },
            })
        })
        .collect();
    json!({
        "file": outcome.file,
        "scenario": outcome.scenario.name,
        "seed": outcome.scenario.seed,
        "until_seconds": outcome.limit.as_secs_f64(),
        "simulated_seconds": sim.now().as_secs_f64(),
        "settled": outcome.settled,
        "events_processed": sim.events_processed(),
        "wall_seconds": outcome.wall_seconds,
        "components": components,
        "latency": latency,
        "cost": {
            "requests": cost.requests,
            "usd": cost.total_usd,
            "free_tier": outcome.scenario.free_tier,
            "queues": cost.queues.iter().map(|(queue, requests, amount)| json!({
                "queue": id_of(*queue), "requests": requests, "usd": amount,
            })).collect::<Vec<_>>(),
            "topics": cost.topics.iter().map(|(topic, requests, amount)| json!({
                "topic": id_of(*topic), "requests": requests, "usd": amount,
            })).collect::<Vec<_>>(),
            "state_machines": cost.state_machines.iter().map(|(machine, units, amount)| json!({
                "state_machine": id_of(*machine), "billed_units": units, "usd": amount,
            })).collect::<Vec<_>>(),
        },
        "dead_lettered": dead_lettered_total(outcome),
        "dead_letters": dead_letters,
        "alarms": alarms,
        "faults": sim.model().fault_windows().iter().map(|window| json!({
            "component": id_of(window.component),
            "effect": window.effect.name(),
            "description": window.effect.describe(),
            "start_seconds": window.start.as_secs_f64(),
            "end_seconds": window.end.as_secs_f64(),
        })).collect::<Vec<_>>(),
    })
}

/// Mean `ExecutionTime` of the finished executions, seconds (0 when none finished).
fn mean_execution_seconds(m: &loosely_engine::StateMachineStats) -> f64 {
    let finished = m.succeeded + m.failed + m.timed_out + m.aborted;
    if finished == 0 {
        0.0
    } else {
        m.execution_time_total.as_secs_f64() / finished as f64
    }
}
