use crate::support::*;
use loosely_engine::*;

fn tenant(name: &str, group: &str, rate: f64) -> ComponentSpec {
    producer(
        name,
        ProducerSpec {
            target: 0,
            arrival: Arrival::Constant,
            rate_per_second: rate,
            template: MessageTemplate {
                group_ids: vec![group.into()],
                ..MessageTemplate::default()
            },
            ..ProducerSpec::default()
        },
    )
}

/// A standard queue whose messages carry a `MessageGroupId` is a fair queue: a noisy tenant
/// that builds a backlog does not hold up a quiet one.
#[test]
fn a_noisy_tenant_does_not_starve_a_quiet_one() {
    let mut sim = build(vec![
        queue("shared", QueueSpec::default()),
        tenant("noisy", "tenant-a", 50.0),
        tenant("quiet", "tenant-b", 2.0),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                workers: 3,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 0.1 },
                ..ConsumerSpec::default()
            },
        ),
    ]);
    sim.set_tracing(false);
    sim.run_until(secs(120));
    let latency = sim.latency();
    let p50 = |producer: ComponentId| {
        latency
            .iter()
            .find(|p| p.producer == Some(producer))
            .map(|p| p.summary.p50)
            .unwrap_or(f64::NAN)
    };
    assert!(
        p50(1) > 10.0,
        "the noisy tenant's backlog grows: p50 {}",
        p50(1)
    );
    assert!(
        p50(2) < 1.0,
        "the quiet tenant is served at once: p50 {}",
        p50(2)
    );
    assert!(queue_stats(&sim, 0).visible > 1_000);
}

/// Standard queues deliver at least once: a delete that misses a replica brings the message
/// back after its visibility timeout.
#[test]
fn standard_queues_can_deliver_a_message_twice() {
    let mut sim = build(vec![
        queue(
            "q",
            QueueSpec {
                visibility_timeout: 10,
                duplicate_delivery_probability: 1.0,
                ..QueueSpec::default()
            },
        ),
        consumer(
            "c",
            ConsumerSpec {
                source: 0,
                wait_time_seconds: Some(20),
                processing_time: Distribution::Constant { value: 1.0 },
                ..ConsumerSpec::default()
            },
        ),
    ]);
    send(&mut sim, 0, "once?");
    let trace = run_traced(&mut sim, secs(25));
    assert_eq!(
        times_of(&trace, |k| matches!(
            k,
            TraceKind::DeleteMissedReplica { .. }
        )),
        vec![1.0, 11.0, 21.0]
    );
    assert_eq!(
        times_of(&trace, |k| matches!(k, TraceKind::Received { .. })),
        vec![0.0, 10.0, 20.0]
    );
}
