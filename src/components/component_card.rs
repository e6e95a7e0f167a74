use loosely_engine::{ApiStats, ComponentStats};
use yew::prelude::*;

use crate::live::ComponentView;

#[derive(Properties, PartialEq)]
pub struct ComponentCardProps {
    pub view: ComponentView,
}

fn row(id: &str, field: &str, label: &str, value: String) -> Html {
    html! {
        <>
            <dt>{ label.to_string() }</dt>
            <dd data-testid={format!("{id}-{field}")}>{ value }</dd>
        </>
    }
}

/// A box with a component's live numbers.
#[function_component(ComponentCard)]
pub fn component_card(props: &ComponentCardProps) -> Html {
    let view = &props.view;
    let id = view.id.as_str();
    let (extra_class, body) = match &view.stats {
        ComponentStats::Queue(q) => {
            let held = (q.visible + q.in_flight + q.delayed).max(1) as f64;
            let width = |n: u32| format!("width: {:.1}%", n as f64 * 100.0 / held);
            (
                if q.is_dead_letter_queue { "dlq" } else { "" },
                html! {
                    <>
                        <div class="gauge" aria-hidden="true">
                            <div class="visible" style={width(q.visible)}></div>
                            <div class="inflight" style={width(q.in_flight)}></div>
                            <div class="delayed" style={width(q.delayed)}></div>
                        </div>
                        <dl>
                            { row(id, "visible", "visible", q.visible.to_string()) }
                            { row(id, "in-flight", "in flight", q.in_flight.to_string()) }
                            { row(id, "delayed", "delayed", q.delayed.to_string()) }
                            { row(id, "sent", "sent", q.sent.to_string()) }
                            { row(id, "received", "received", q.received.to_string()) }
                            { row(id, "deleted", "deleted", q.deleted.to_string()) }
                            { row(id, "moved-to-dlq", "moved to DLQ", q.moved_to_dlq.to_string()) }
                            { row(id, "expired", "expired", q.expired.to_string()) }
                            { row(id, "empty-receives", "empty receives", q.empty_receives.to_string()) }
                        </dl>
                    </>
                },
            )
        }
        ComponentStats::Producer(p) => (
            "",
            html! {
                <dl>
                    { row(id, "sent", "sent", p.sent.to_string()) }
                    { row(id, "rejected", "rejected", p.rejected.to_string()) }
                    { row(id, "throttled", "throttled", p.throttled.to_string()) }
                </dl>
            },
        ),
        ComponentStats::Consumer(c) => (
            "",
            html! {
                <dl>
                    { row(id, "busy", "busy workers", format!("{} / {}", c.busy, c.workers)) }
                    { row(id, "processed", "processed", c.processed.to_string()) }
                    { row(id, "failed", "failed", c.failed.to_string()) }
                    { row(id, "deleted", "deleted", c.deleted.to_string()) }
                    { row(id, "p99", "latency p99", format!("{:.3} s", c.latency.p99)) }
                </dl>
            },
        ),
        ComponentStats::Topic(t) => (
            "",
            html! {
                <dl>
                    { row(id, "published", "published", t.published.to_string()) }
                    { row(id, "delivered", "delivered", t.delivered.to_string()) }
                    { row(id, "filtered-out", "filtered out", t.filtered_out.to_string()) }
                    { row(id, "failed", "failed", t.failed.to_string()) }
                    { row(id, "pending", "retries pending", t.pending.to_string()) }
                </dl>
            },
        ),
        ComponentStats::Endpoint(e) => (
            if e.down { "dlq" } else { "" },
            html! {
                <dl>
                    { row(id, "received", "received", e.received.to_string()) }
                    { row(id, "server-errors", "server errors", e.server_errors.to_string()) }
                    { row(id, "client-errors", "client errors", e.client_errors.to_string()) }
                </dl>
            },
        ),
        ComponentStats::Bucket(b) => (
            "",
            html! {
                <dl>
                    { row(id, "objects", "objects", b.objects.to_string()) }
                    { row(id, "bytes", "bytes", b.bytes.to_string()) }
                </dl>
            },
        ),
        ComponentStats::BatchJobQueue(q) => (
            "",
            html! {
                <dl>
                    { row(id, "submitted", "submitted", q.submitted.to_string()) }
                    { row(id, "pending", "PENDING", q.pending.to_string()) }
                    { row(id, "runnable", "RUNNABLE", q.runnable.to_string()) }
                    { row(id, "starting", "STARTING", q.starting.to_string()) }
                    { row(id, "running", "RUNNING", q.running.to_string()) }
                    { row(id, "succeeded", "SUCCEEDED", q.succeeded.to_string()) }
                    { row(id, "failed", "FAILED", q.failed.to_string()) }
                    { row(id, "retries", "retries", q.retries.to_string()) }
                </dl>
            },
        ),
        ComponentStats::Flow(f) => (
            "",
            html! {
                <dl>
                    { row(id, "flow-status", "flowStatus", f.flow_status.map_or("", |s| s.as_str()).to_string()) }
                    { row(id, "runs", "runs (Successful / Error)", format!("{} ({} / {})", f.runs_started, f.runs_succeeded, f.runs_failed)) }
                    { row(id, "transferred", "records transferred", f.census.transferred.to_string()) }
                    { row(id, "filtered", "records filtered", f.census.filtered.to_string()) }
                    { row(id, "invalid", "records failed validation", f.census.invalid.to_string()) }
                    { row(id, "refused", "refused by the destination", f.census.destination_failed.to_string()) }
                    { row(id, "api-calls", "source API calls", f.api_calls.to_string()) }
                    { row(id, "cost", "cost", format!("${:.4}", f.cost_usd)) }
                </dl>
            },
        ),
        ComponentStats::BatchComputeEnvironment(e) => (
            "",
            html! {
                <dl>
                    { row(id, "type", "type", e.resource_type.to_string()) }
                    { row(id, "vcpus", "vCPUs in use", format!("{} / {}", e.vcpus_in_use, e.max_vcpus)) }
                    { row(id, "running", "vCPUs running", e.vcpus_provisioned.to_string()) }
                    { row(id, "instances", "instances (launching)", format!("{} ({})", e.instances, e.launching)) }
                    { row(id, "interruptions", "Spot interruptions", e.interruptions.to_string()) }
                    { row(id, "cost", "cost", format!("${:.4}", e.cost_usd)) }
                </dl>
            },
        ),
        ComponentStats::Broker(b) => (
            if b.census.lost + b.census.dead_lettered > 0 {
                "dlq"
            } else {
                ""
            },
            html! {
                <dl>
                    { row(id, "mode", "mode", format!("{} {}", b.engine, b.deployment_mode)) }
                    { row(id, "active", "active instance", if b.failover_in_progress { "failover in progress".to_string() } else { b.active_instance.to_string() }) }
                    { for b.queues.iter().map(|q| row(id, "queue", &q.name, format!("{} ready / {} unacked", q.ready, q.unacknowledged))) }
                    { row(id, "acknowledged", "acknowledged", b.census.acknowledged.to_string()) }
                    { row(id, "dlq", "dead-lettered", b.census.dead_lettered.to_string()) }
                    { row(id, "lost", "lost (non-persistent)", b.census.lost.to_string()) }
                    { row(id, "refused", "refused", b.census.refused.to_string()) }
                    { row(id, "cost", "cost", format!("${:.4}", b.cost_usd)) }
                </dl>
            },
        ),
        ComponentStats::StateMachine(m) => (
            "",
            html! {
                <dl>
                    { row(id, "started", "started", m.started.to_string()) }
                    { row(id, "running", "running", m.running.to_string()) }
                    { row(id, "succeeded", "succeeded", m.succeeded.to_string()) }
                    { row(id, "failed", "failed", m.failed.to_string()) }
                </dl>
            },
        ),
        ComponentStats::Lambda(l) => (
            if l.throttles > 0 { "dlq" } else { "" },
            html! {
                <dl>
                    { row(id, "running", "ConcurrentExecutions", format!("{} / {}", l.running, l.concurrency_limit)) }
                    { row(id, "warm", "warm environments", l.warm.to_string()) }
                    { row(id, "invocations", "Invocations", l.invocations.to_string()) }
                    { row(id, "errors", "Errors", l.errors.to_string()) }
                    { row(id, "throttles", "Throttles", l.throttles.to_string()) }
                    { row(id, "cold-starts", "cold starts", l.cold_starts.to_string()) }
                    { row(id, "esm-batches", "event source batches", l.event_source_batches.to_string()) }
                    { row(id, "async-pending", "async events pending", l.async_pending.to_string()) }
                    { row(id, "duration", "Duration (mean)", format!("{:.1} ms", l.mean_duration_ms)) }
                </dl>
            },
        ),
        ComponentStats::Api(ApiStats {
            websocket: Some(w),
            cost_usd,
            ..
        }) => (
            if w.integration_errors + w.execution_errors > 0 {
                "dlq"
            } else {
                ""
            },
            html! {
                <dl>
                    { row(id, "open", "connections open", w.open_connections.to_string()) }
                    { row(id, "connects", "ConnectCount (total)", w.connections_opened.to_string()) }
                    { row(id, "refused", "connections refused", w.connections_refused.to_string()) }
                    { row(id, "closed", "closed: client / 2 h / idle / 1009", format!("{} / {} / {} / {}", w.closed_by_client, w.closed_at_max_duration, w.closed_idle, w.closed_too_large)) }
                    { row(id, "messages", "MessageCount (total)", w.messages.to_string()) }
                    { row(id, "metered", "billed messages (32 KB)", w.metered_messages.to_string()) }
                    { row(id, "client-errors", "ClientError", w.client_errors.to_string()) }
                    { row(id, "integration-errors", "IntegrationError", w.integration_errors.to_string()) }
                    { row(id, "execution-errors", "ExecutionError", w.execution_errors.to_string()) }
                    { row(id, "minutes", "connection-minutes", format!("{:.0}", w.connection_minutes)) }
                    { row(id, "cost", "cost", format!("${cost_usd:.4}")) }
                </dl>
            },
        ),
        ComponentStats::Api(a) => (
            if a.errors_5xx > 0 { "dlq" } else { "" },
            html! {
                <dl>
                    { row(id, "count", "Count", a.count.to_string()) }
                    { row(id, "4xx", "4XXError", a.errors_4xx.to_string()) }
                    { row(id, "5xx", "5XXError", a.errors_5xx.to_string()) }
                    { row(id, "throttled", "throttled (429)", a.throttled.to_string()) }
                    { row(id, "quota", "quota exceeded (429)", a.quota_exceeded.to_string()) }
                    { row(id, "unauthorized", "unauthorized (401/403)", a.unauthorized.to_string()) }
                    { row(id, "waf", "WAF blocked (403)", a.waf_blocked.to_string()) }
                    { row(id, "timeouts", "integration timeouts (504)", a.integration_timeouts.to_string()) }
                    { row(id, "cache", "authorizer cache hits", format!("{} / {}", a.cache_hits, a.cache_hits + a.cache_misses)) }
                    { row(id, "latency", "Latency (mean)", format!("{:.1} ms", a.mean_latency_ms)) }
                </dl>
            },
        ),
        ComponentStats::LoadBalancer(l) => (
            if l.elb_502 + l.elb_503 + l.elb_504 + l.target_5xx > 0 {
                "dlq"
            } else {
                ""
            },
            html! {
                <dl>
                    { row(id, "healthy", "HealthyHostCount", l.healthy.to_string()) }
                    { row(id, "unhealthy", "UnHealthyHostCount", l.unhealthy.to_string()) }
                    { row(id, "requests", "RequestCount", l.request_count.to_string()) }
                    { row(id, "target-2xx", "HTTPCode_Target_2XX_Count", l.target_2xx.to_string()) }
                    { row(id, "target-5xx", "HTTPCode_Target_5XX_Count", l.target_5xx.to_string()) }
                    { row(id, "elb-502", "HTTPCode_ELB_502_Count", l.elb_502.to_string()) }
                    { row(id, "elb-503", "HTTPCode_ELB_503_Count", l.elb_503.to_string()) }
                    { row(id, "elb-504", "HTTPCode_ELB_504_Count", l.elb_504.to_string()) }
                    { row(id, "response-time", "TargetResponseTime (mean)", format!("{:.3} s", l.mean_target_response_seconds)) }
                    { row(id, "cost", "cost (hours and LCUs)", format!("${:.4}", l.cost_usd)) }
                </dl>
            },
        ),
        ComponentStats::Clients(c) => (
            "",
            html! {
                <dl>
                    { row(id, "requests", "requests", c.started.to_string()) }
                    { row(id, "succeeded", "succeeded", c.succeeded.to_string()) }
                    { row(id, "failed", "failed", c.failed.to_string()) }
                    { row(id, "timed-out", "timed out", c.timed_out.to_string()) }
                    { row(id, "retries", "retries", c.retries.to_string()) }
                    { row(id, "waiting", "waiting", c.in_progress.to_string()) }
                    { row(id, "p99", "latency p99", format!("{:.3} s", c.latency.p99)) }
                </dl>
            },
        ),
    };
    let properties = if view.properties.is_empty() {
        html! {}
    } else {
        html! {
            <dl class="properties" title="Shown, not simulated">
                { for view.properties.iter().map(|(label, value)| row(id, &label.replace(' ', "-"), label, value.clone())) }
            </dl>
        }
    };
    html! {
        <section class={classes!("card", extra_class)} data-testid={format!("card-{id}")} aria-label={view.name.clone()}>
            <h2>{ view.name.clone() }</h2>
            <div class="kind">{ view.kind }</div>
            { body }
            { properties }
        </section>
    }
}
