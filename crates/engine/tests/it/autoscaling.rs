//! Auto Scaling of a consumer pool on its queue's depth: policy decisions, warm-up,
//! cooldown, scaling out on a backlog and back in when it is gone.

use loosely_engine::autoscaling::*;
use loosely_engine::*;

use crate::support::*;

fn group(policy: ScalingPolicy) -> AutoScalingSpec {
    AutoScalingSpec {
        min_size: 1,
        max_size: 20,
        instance_warmup: SimDuration::from_secs(30),
        cooldown: SimDuration::from_secs(60),
        policy,
    }
}

/// `count` messages sent to queue 0 at 1 s.
fn batch_at_one_second(count: u32) -> ProducerSpec {
    ProducerSpec {
        target: 0,
        rate_per_second: 0.0,
        bursts: vec![Burst {
            at: SimDuration::from_secs(1),
            count,
        }],
        ..ProducerSpec::default()
    }
}

#[test]
fn target_tracking_on_backlog_per_instance_asks_for_backlog_over_target() {
    let spec = group(ScalingPolicy::TargetTracking {
        metric: ScalingMetric::BacklogPerInstance,
        target_value: 100.0,
    });
    // 1,500 visible messages over 3 instances: 500 per instance, target 100: 15 instances.
    let value = metric_value(ScalingMetric::BacklogPerInstance, 1_500, 3);
    assert_eq!(value, 500.0);
    assert_eq!(desired_capacity(&spec, 3, value), 15);
    // Clamped to MaxSize and MinSize.
    assert_eq!(
        desired_capacity(
            &spec,
            3,
            metric_value(ScalingMetric::BacklogPerInstance, 9_000, 3)
        ),
        20
    );
    assert_eq!(desired_capacity(&spec, 8, 0.0), 1);
    // On the visible messages themselves: capacity proportional to value / target.
    let visible = group(ScalingPolicy::TargetTracking {
        metric: ScalingMetric::VisibleMessages,
        target_value: 1_000.0,
    });
    assert_eq!(desired_capacity(&visible, 4, 2_500.0), 10);
}

#[test]
fn step_scaling_applies_the_step_that_holds_the_breach() {
    let spec = group(ScalingPolicy::StepScaling {
        metric: ScalingMetric::VisibleMessages,
        threshold: 100.0,
        steps: vec![
            StepAdjustment {
                lower: None,
                upper: Some(-50.0),
                adjustment: -1,
            },
            StepAdjustment {
                lower: Some(0.0),
                upper: Some(500.0),
                adjustment: 2,
            },
            StepAdjustment {
                lower: Some(500.0),
                upper: None,
                adjustment: 5,
            },
        ],
    });
    assert_eq!(desired_capacity(&spec, 4, 100.0), 6); // distance 0: first scale-out step
    assert_eq!(desired_capacity(&spec, 4, 599.0), 6);
    assert_eq!(desired_capacity(&spec, 4, 600.0), 9);
    assert_eq!(desired_capacity(&spec, 4, 75.0), 4); // between steps: no change
    assert_eq!(desired_capacity(&spec, 4, 10.0), 3);
    assert_eq!(desired_capacity(&spec, 1, 0.0), 1); // MinSize
}

#[test]
fn a_backlog_scales_the_pool_out_after_warm_up_and_back_in() {
    let mut sim = build(vec![
        queue("jobs", QueueSpec::default()),
        producer("batch", batch_at_one_second(6_000)),
        consumer(
            "workers",
            ConsumerSpec {
                source: 0,
                workers: 1,
                wait_time_seconds: Some(20),
                max_number_of_messages: 10,
                processing_time: Distribution::Constant { value: 0.5 },
                auto_scaling: Some(group(ScalingPolicy::TargetTracking {
                    metric: ScalingMetric::BacklogPerInstance,
                    target_value: 100.0,
                })),
                ..ConsumerSpec::default()
            },
        ),
    ]);
    let trace = checked_run(&mut sim, secs(1_800));
    let scaled: Vec<(f64, u32, u32)> = trace
        .iter()
        .filter_map(|e| match e.kind {
            TraceKind::AutoScaled { from, to, .. } => Some((e.time.as_secs_f64(), from, to)),
            _ => None,
        })
        .collect();
    // At 60 s about 5,900 messages wait for 1 instance: out to MaxSize 20.
    assert_eq!(scaled.first().map(|s| (s.0, s.1, s.2)), Some((60.0, 1, 20)));
    // Back in to MinSize once the queue is empty, and every message was processed.
    assert_eq!(scaled.last().map(|s| s.2), Some(1));
    assert_eq!(consumer_stats(&sim, 2).workers, 1);
    assert_eq!(queue_stats(&sim, 0).deleted, 6_000);
    // The cooldown keeps activities at least 60 s apart.
    assert!(scaled.windows(2).all(|w| w[1].0 - w[0].0 >= 60.0));
}

#[test]
fn warm_up_delays_the_first_receive_of_new_instances() {
    let run = |warmup: u64| {
        let mut spec = group(ScalingPolicy::TargetTracking {
            metric: ScalingMetric::BacklogPerInstance,
            target_value: 10.0,
        });
        spec.instance_warmup = SimDuration::from_secs(warmup);
        let mut sim = build(vec![
            queue("jobs", QueueSpec::default()),
            producer("batch", batch_at_one_second(2_000)),
            consumer(
                "workers",
                ConsumerSpec {
                    source: 0,
                    workers: 1,
                    processing_time: Distribution::Constant { value: 1.0 },
                    auto_scaling: Some(spec),
                    ..ConsumerSpec::default()
                },
            ),
        ]);
        sim.run_until(secs(75));
        queue_stats(&sim, 0).deleted
    };
    // One instance alone deletes about 74 in 74 s; twenty from 60 s add about 19 x 15 with no
    // warm-up, and nothing yet with a 30 s warm-up.
    let without = run(0);
    let with = run(30);
    assert!((70..=76).contains(&with), "{with}");
    assert!(without > with + 200, "{without} vs {with}");
}
