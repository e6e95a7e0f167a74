//! The `postMessage` API of an embedded playground, free of DOM types so it tests natively.
//!
//! A host page sends the iframe objects with a `type`:
//! - `{"type": "loosely:load", "scenario": {…}}` puts a scenario (the JSON file format) on
//!   the canvas;
//! - `{"type": "loosely:play"}`, `{"type": "loosely:pause"}`;
//! - `{"type": "loosely:speed", "speed": 100}` sets simulated seconds per wall second
//!   (0.1 to 10,000).
//!
//! The iframe answers to its parent with:
//! - `{"type": "loosely:ready", "version": "…"}` once it runs;
//! - `{"type": "loosely:state", "playing": true, "speed": 10, "time_seconds": 12.5,
//!   "finished": false}` whenever one of those changes (the time at most once a second);
//! - `{"type": "loosely:metrics", "time_seconds": …, "cost_usd": …, "components": [{"id",
//!   "kind", "numbers": {…}}]}` once a second of wall time while playing;
//! - `{"type": "loosely:error", "message": "…"}` when a message cannot be taken.

use loosely_engine::ComponentStats;
use loosely_scenario::Scenario;
use serde_json::{json, Value};

use crate::components::top_bar::{MAX_SPEED, MIN_SPEED};
use crate::live::ComponentView;

/// What a host page asks of the playground.
#[derive(Clone, Debug, PartialEq)]
pub enum HostMessage {
    Load(Box<Scenario>),
    Play,
    Pause,
    Speed(f64),
}

/// Reads a message from the host page; messages of other libraries (no `loosely:` type)
/// give `Ok(None)`, broken ones an error that says what is wrong.
pub fn parse_host_message(message: &Value) -> Result<Option<HostMessage>, String> {
    let Some(kind) = message.get("type").and_then(Value::as_str) else {
        return Ok(None);
    };
    let Some(kind) = kind.strip_prefix("loosely:") else {
        return Ok(None);
    };
    match kind {
        // Our own events, seen when a page posts to itself: not requests.
        "ready" | "state" | "metrics" | "error" => Ok(None),
        "load" => {
            let scenario = message
                .get("scenario")
                .ok_or("loosely:load needs a \"scenario\" object")?;
            let text = serde_json::to_string(scenario).map_err(|e| e.to_string())?;
            let scenario =
                Scenario::from_json(&text).map_err(|problem| format!("loosely:load: {problem}"))?;
            // A scenario that cannot run leaves the canvas as it was.
            let issues = scenario.validate();
            if issues.is_empty() {
                Ok(Some(HostMessage::Load(Box::new(scenario))))
            } else {
                Err(format!(
                    "loosely:load: {}",
                    issues
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ))
            }
        }
        "play" => Ok(Some(HostMessage::Play)),
        "pause" => Ok(Some(HostMessage::Pause)),
        "speed" => {
            let speed = message
                .get("speed")
                .and_then(Value::as_f64)
                .ok_or("loosely:speed needs a number \"speed\"")?;
            if (MIN_SPEED..=MAX_SPEED).contains(&speed) {
                Ok(Some(HostMessage::Speed(speed)))
            } else {
                Err(format!(
                    "loosely:speed: speed {speed} is outside {MIN_SPEED}..={MAX_SPEED}"
                ))
            }
        }
        other => Err(format!(
            "unknown message type \"loosely:{other}\" (load, play, pause, speed)"
        )),
    }
}

/// The state event.
pub fn state_event(playing: bool, speed: f64, time_seconds: f64, finished: bool) -> Value {
    json!({
        "type": "loosely:state",
        "playing": playing,
        "speed": speed,
        "time_seconds": time_seconds,
        "finished": finished,
    })
}

/// A component's main numbers, by the names the CLI's JSON report uses.
fn numbers(stats: &ComponentStats) -> Value {
    match stats {
        ComponentStats::Queue(q) => json!({
            "visible": q.visible, "in_flight": q.in_flight, "delayed": q.delayed,
            "sent": q.sent, "received": q.received, "deleted": q.deleted,
            "moved_to_dlq": q.moved_to_dlq, "oldest_age_seconds": q.oldest_age_seconds,
        }),
        ComponentStats::Producer(p) => json!({
            "sent": p.sent, "rejected": p.rejected, "throttled": p.throttled,
        }),
        ComponentStats::Consumer(c) => json!({
            "workers": c.workers, "busy": c.busy, "processed": c.processed,
            "failed": c.failed, "deleted": c.deleted,
        }),
        ComponentStats::Topic(t) => json!({
            "published": t.published, "delivered": t.delivered, "failed": t.failed,
            "filtered_out": t.filtered_out,
        }),
        ComponentStats::Endpoint(e) => json!({
            "received": e.received, "server_errors": e.server_errors,
            "client_errors": e.client_errors,
        }),
        ComponentStats::Bucket(b) => json!({ "objects": b.objects, "bytes": b.bytes }),
        ComponentStats::StateMachine(m) => json!({
            "started": m.started, "running": m.running, "succeeded": m.succeeded,
            "failed": m.failed, "timed_out": m.timed_out, "duplicated": m.duplicated,
        }),
        ComponentStats::Lambda(l) => json!({
            "invocations": l.invocations, "errors": l.errors, "throttles": l.throttles,
            "running": l.running, "cold_starts": l.cold_starts,
        }),
        ComponentStats::LoadBalancer(l) => json!({
            "RequestCount": l.request_count, "HealthyHostCount": l.healthy,
            "UnHealthyHostCount": l.unhealthy, "HTTPCode_Target_5XX_Count": l.target_5xx,
            "HTTPCode_ELB_502_Count": l.elb_502, "HTTPCode_ELB_503_Count": l.elb_503,
            "HTTPCode_ELB_504_Count": l.elb_504,
        }),
        ComponentStats::Api(a) => json!({
            "count": a.count, "4xx": a.errors_4xx, "5xx": a.errors_5xx,
            "throttled": a.throttled,
        }),
        ComponentStats::BatchJobQueue(q) => json!({
            "submitted": q.submitted, "runnable": q.runnable, "running": q.running,
            "succeeded": q.succeeded, "failed": q.failed,
        }),
        ComponentStats::BatchComputeEnvironment(e) => json!({
            "vcpus_in_use": e.vcpus_in_use, "max_vcpus": e.max_vcpus,
            "instances": e.instances, "interruptions": e.interruptions,
        }),
        ComponentStats::Broker(b) => json!({
            "sent": b.census.sent, "enqueued": b.census.enqueued,
            "in_flight": b.census.in_flight, "acknowledged": b.census.acknowledged,
            "dead_lettered": b.census.dead_lettered, "lost": b.census.lost,
            "refused": b.census.refused, "active_instance": b.active_instance,
        }),
        ComponentStats::Flow(f) => json!({
            "runs": f.runs_started, "succeeded": f.runs_succeeded, "failed": f.runs_failed,
            "transferred": f.census.transferred, "filtered": f.census.filtered,
            "invalid": f.census.invalid,
        }),
        ComponentStats::Clients(c) => json!({
            "started": c.started, "succeeded": c.succeeded, "failed": c.failed,
            "timed_out": c.timed_out, "retries": c.retries,
        }),
    }
}

/// The metrics snapshot event.
pub fn metrics_event(views: &[ComponentView], time_seconds: f64, cost_usd: f64) -> Value {
    json!({
        "type": "loosely:metrics",
        "time_seconds": time_seconds,
        "cost_usd": cost_usd,
        "components": views.iter().map(|view| json!({
            "id": view.id,
            "kind": view.kind,
            "numbers": numbers(&view.stats),
        })).collect::<Vec<_>>(),
    })
}

/// The `<iframe>` snippet that embeds `url` (an address of the playground with `?embed`).
pub fn embed_code(url: &str, title: &str) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    format!(
        "<iframe src=\"{}\" title=\"{} (loosely)\" width=\"800\" height=\"450\" style=\"border:1px solid #d9dde5;border-radius:8px;max-width:100%\" loading=\"lazy\" allow=\"clipboard-write\"></iframe>",
        escape(url),
        escape(if title.is_empty() { "A scenario" } else { title })
    )
}

/// The address of the same scenario embedded: `?embed&autoplay` (and the rest of the
/// query, without flags of the full page) before the fragment.
pub fn embed_url(page: &str, fragment: &str) -> String {
    let base = page.split(['?', '#']).next().unwrap_or(page);
    format!("{base}?embed&autoplay&speed=20#{fragment}")
}

/// A share link pinned at a moment: `t=SECONDS`, the selected component and the engine
/// version go into the query, before the fragment that carries the scenario.
pub fn pinned_url(url: &str, seconds: f64, selected: Option<&str>, engine: &str) -> String {
    let (without_fragment, fragment) = url.split_once('#').unwrap_or((url, ""));
    let (base, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            !pair.is_empty() && !matches!(key, "t" | "select" | "engine" | "paused")
        })
        .map(str::to_string)
        .collect();
    pairs.push(format!("t={}", (seconds * 1_000.0).round() / 1_000.0));
    if let Some(id) = selected {
        pairs.push(format!("select={}", js_free_encode(id)));
    }
    pairs.push(format!("engine={engine}"));
    let mut out = format!("{base}?{}", pairs.join("&"));
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// Percent-encodes what a query value cannot hold as it is (component ids are mostly
/// letters, digits, `-` and `_`).
fn js_free_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The address of the full playground for an embedded page's address: its query without
/// the embed flags.
pub fn playground_url(href: &str) -> String {
    let (without_fragment, fragment) = match href.split_once('#') {
        Some((a, b)) => (a, Some(b)),
        None => (href, None),
    };
    let (base, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            !pair.is_empty() && !matches!(key, "embed" | "autoplay" | "readonly")
        })
        .collect();
    let mut url = base.to_string();
    if !kept.is_empty() {
        url.push('?');
        url.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_messages_are_read_and_bad_ones_say_why() {
        assert_eq!(
            parse_host_message(&json!({"type": "loosely:play"})),
            Ok(Some(HostMessage::Play))
        );
        assert_eq!(
            parse_host_message(&json!({"type": "loosely:speed", "speed": 100})),
            Ok(Some(HostMessage::Speed(100.0)))
        );
        assert!(
            parse_host_message(&json!({"type": "loosely:speed", "speed": 1e9}))
                .unwrap_err()
                .contains("0.1..=10000")
        );
        assert!(parse_host_message(&json!({"type": "loosely:jump"}))
            .unwrap_err()
            .contains("loosely:jump"));
        // Our own events are not requests (no answer loops between two playgrounds).
        assert_eq!(
            parse_host_message(&json!({"type": "loosely:state"})),
            Ok(None)
        );
        // Other libraries' messages are not ours.
        assert_eq!(parse_host_message(&json!({"type": "resize"})), Ok(None));
        assert_eq!(parse_host_message(&json!("hello")), Ok(None));
        let scenario = json!({"version": 1, "name": "From the host", "components": []});
        match parse_host_message(&json!({"type": "loosely:load", "scenario": scenario})) {
            Ok(Some(HostMessage::Load(s))) => assert_eq!(s.name, "From the host"),
            other => panic!("not loaded: {other:?}"),
        }
        let broken = json!({"type": "loosely:load", "scenario": {"version": 99}});
        assert!(parse_host_message(&broken)
            .unwrap_err()
            .starts_with("loosely:load"));
    }

    #[test]
    fn embed_code_is_an_escaped_iframe() {
        let code = embed_code(
            "https://x.test/?embed&autoplay#v1:abc",
            "A \"quoted\" <name>",
        );
        assert!(code.starts_with("<iframe src=\"https://x.test/?embed&amp;autoplay#v1:abc\""));
        assert!(code.contains("title=\"A &quot;quoted&quot; &lt;name&gt; (loosely)\""));
        assert!(code.contains("width=\"800\" height=\"450\""));
    }

    #[test]
    fn a_pinned_link_carries_the_moment() {
        assert_eq!(
            pinned_url(
                "https://x.test/?speed=5&t=3#v1:abc",
                90.1234,
                Some("orders q"),
                "0.1.0"
            ),
            "https://x.test/?speed=5&t=90.123&select=orders%20q&engine=0.1.0#v1:abc"
        );
        assert_eq!(
            pinned_url("https://x.test/", 0.0, None, "0.1.0"),
            "https://x.test/?t=0&engine=0.1.0"
        );
        let flags = crate::flags::Flags::parse("speed=5&t=90.123&select=orders&engine=0.1.0");
        assert_eq!(flags.at_seconds, Some(90.123));
    }

    #[test]
    fn addresses_between_embed_and_playground() {
        assert_eq!(
            embed_url("https://x.test/play/?select=a#old", "v1:new"),
            "https://x.test/play/?embed&autoplay&speed=20#v1:new"
        );
        assert_eq!(
            playground_url("https://x.test/?embed&autoplay&speed=20&readonly#v1:abc"),
            "https://x.test/?speed=20#v1:abc"
        );
        assert_eq!(playground_url("https://x.test/?embed"), "https://x.test/");
    }
}
