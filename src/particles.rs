//! Messages as particles: each trace event that moves a message between two components
//! becomes a dot that travels from one node to the other in a fixed wall-clock time, so the
//! motion stays visible at any speed. Pure data (no DOM); the page draws it on a `<canvas>`.

use loosely_engine::{ComponentId, MessageId, TraceEvent, TraceKind};

/// Most particles alive at once; at high speeds a frame can produce far more events than
/// anyone can see, so spawns beyond this are sampled (one in k) and the oldest make room.
pub const MAX_PARTICLES: usize = 5_000;

/// Wall-clock milliseconds a particle takes from one node to the other.
pub const TRAVEL_MS: f64 = 800.0;

/// What happened to the message, which picks the colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Sent or received, on its way.
    Moving,
    /// Processed and deleted, or delivered by SNS.
    Delivered,
    /// Back in the queue after its visibility timeout, or an SNS retry.
    Retried,
    /// Processing or a delivery failed.
    Failed,
    /// Moved to a dead-letter queue.
    DeadLettered,
    /// Refused: throttled or rejected.
    Throttled,
    /// An SNS copy the subscription's filter policy did not let through.
    FilteredOut,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Moving,
        Outcome::Delivered,
        Outcome::Retried,
        Outcome::Failed,
        Outcome::DeadLettered,
        Outcome::Throttled,
        Outcome::FilteredOut,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Moving => "in transit",
            Outcome::Delivered => "delivered",
            Outcome::Retried => "retried",
            Outcome::Failed => "failed",
            Outcome::DeadLettered => "dead-lettered",
            Outcome::Throttled => "throttled or rejected",
            Outcome::FilteredOut => "filtered out",
        }
    }

    /// The shape of the outcome, so that outcomes read without colour too.
    pub fn shape(self) -> Shape {
        match self {
            Outcome::Moving => Shape::Circle,
            Outcome::Delivered => Shape::Square,
            Outcome::Retried => Shape::Triangle,
            Outcome::Failed => Shape::Cross,
            Outcome::DeadLettered => Shape::Diamond,
            Outcome::Throttled => Shape::Bar,
            Outcome::FilteredOut => Shape::Ring,
        }
    }

    /// The CSS colour of the outcome (also used in the legend).
    pub fn color(self) -> &'static str {
        match self {
            Outcome::Moving => "#3b82f6",
            Outcome::Delivered => "#16a34a",
            Outcome::Retried => "#f59e0b",
            Outcome::Failed => "#ef4444",
            Outcome::DeadLettered => "#991b1b",
            Outcome::Throttled => "#a855f7",
            Outcome::FilteredOut => "#94a3b8",
        }
    }
}

/// How a particle is drawn besides its colour (for readers who cannot tell the colours
/// apart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Cross,
    Diamond,
    Bar,
    Ring,
}

/// Where a particle runs: between the anchors of two nodes (world pixels).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Particle {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub born_ms: f64,
    pub outcome: Outcome,
    /// A hue for the FIFO message group, when the message has one.
    pub group_hue: Option<u16>,
    /// How far the particle swings off the straight line at mid-way, pixels, so that a
    /// stream of messages reads as many dots rather than one line.
    pub swing: f64,
    /// The message it stands for, so that a click on it opens the message's history.
    pub message: Option<MessageId>,
}

impl Particle {
    /// Where the particle is at `now_ms`, or `None` once it arrived.
    pub fn position(&self, now_ms: f64) -> Option<(f64, f64)> {
        let t = (now_ms - self.born_ms) / TRAVEL_MS;
        if !(0.0..1.0).contains(&t) {
            return None;
        }
        // Ease in and out, so particles leave and arrive gently.
        let eased = t * t * (3.0 - 2.0 * t);
        let (dx, dy) = (self.to.0 - self.from.0, self.to.1 - self.from.1);
        let length = (dx * dx + dy * dy).sqrt().max(1.0);
        let bulge = self.swing * (std::f64::consts::PI * t).sin();
        Some((
            self.from.0 + dx * eased - dy / length * bulge,
            self.from.1 + dy * eased + dx / length * bulge,
        ))
    }
}

/// A message's swing off the line, -12..=12 pixels, the same on every hop.
pub fn swing_of(message: Option<loosely_engine::MessageId>) -> f64 {
    let id = message.map_or(0, |m| m.0);
    (id.wrapping_mul(2_654_435_761) % 25) as f64 - 12.0
}

/// A stable hue for a FIFO message group.
pub fn group_hue(group: &str) -> u16 {
    // FNV-1a: the same group always gets the same colour.
    let mut hash: u32 = 0x811c_9dc5;
    for byte in group.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    (hash % 360) as u16
}

/// One hop of a message between two components, as a trace event describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    pub from: ComponentId,
    pub to: ComponentId,
    pub outcome: Outcome,
    pub group: Option<String>,
}

/// The hop a trace event shows, if it moves a message between two components.
pub fn hop(event: &TraceEvent) -> Option<Hop> {
    let here = event.component;
    let (from, to, outcome, group) = match &event.kind {
        TraceKind::Sent {
            producer: Some(p),
            group,
            ..
        } => (*p, here, Outcome::Moving, group.clone()),
        TraceKind::Published {
            producer: Some(p),
            group,
            ..
        } => (*p, here, Outcome::Moving, group.clone()),
        TraceKind::Rejected {
            producer: Some(p), ..
        } => (*p, here, Outcome::Throttled, None),
        TraceKind::PublishRejected {
            producer: Some(p), ..
        } => (*p, here, Outcome::Throttled, None),
        TraceKind::Received { consumer, .. } => (here, *consumer, Outcome::Moving, None),
        TraceKind::Deleted {
            consumer: Some(c), ..
        } => (here, *c, Outcome::Delivered, None),
        // The message goes back: from the consumer towards its queue.
        TraceKind::ProcessingFailed { consumer } => (*consumer, here, Outcome::Failed, None),
        TraceKind::MovedToDlq { dlq, .. } => (here, *dlq, Outcome::DeadLettered, None),
        TraceKind::Redriven { to } => (here, *to, Outcome::Moving, None),
        TraceKind::Delivered { endpoint, .. } => (here, *endpoint, Outcome::Delivered, None),
        TraceKind::FilteredOut { endpoint, .. } => (here, *endpoint, Outcome::FilteredOut, None),
        TraceKind::DeliveryFailed {
            endpoint, retry_at, ..
        } => (
            here,
            *endpoint,
            if retry_at.is_some() {
                Outcome::Retried
            } else {
                Outcome::Failed
            },
            None,
        ),
        TraceKind::SubscriptionDeadLettered { dlq, .. } => {
            (here, *dlq, Outcome::DeadLettered, None)
        }
        // A producer, consumer pool, API, function or parent execution starting one.
        TraceKind::ExecutionStarted { by: Some(by), .. } => (*by, here, Outcome::Moving, None),
        TraceKind::ExecutionThrottled { by: Some(by) } => (*by, here, Outcome::Throttled, None),
        _ => return None,
    };
    (from != to).then_some(Hop {
        from,
        to,
        outcome,
        group,
    })
}

/// The particles on screen.
#[derive(Clone, Debug, Default)]
pub struct Pool {
    particles: Vec<Particle>,
    /// The next slot to overwrite once full (the oldest).
    next: usize,
    /// Spawns skipped by sampling since the pool was made.
    pub sampled_out: u64,
}

impl Pool {
    pub fn len(&self) -> usize {
        self.particles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.particles.is_empty()
    }

    pub fn particles(&self) -> &[Particle] {
        &self.particles
    }

    /// Adds particles, sampling one in k when more than [`MAX_PARTICLES`] arrive at once;
    /// when full, the oldest make room.
    pub fn spawn(&mut self, new: impl ExactSizeIterator<Item = Particle>) {
        let count = new.len();
        let stride = count.div_ceil(MAX_PARTICLES).max(1);
        for (index, particle) in new.enumerate() {
            if index % stride != 0 {
                self.sampled_out += 1;
                continue;
            }
            if self.particles.len() < MAX_PARTICLES {
                self.particles.push(particle);
            } else {
                self.particles[self.next] = particle;
                self.next = (self.next + 1) % MAX_PARTICLES;
            }
        }
    }

    /// Drops particles that arrived by `now_ms`.
    pub fn expire(&mut self, now_ms: f64) {
        self.particles.retain(|p| now_ms - p.born_ms < TRAVEL_MS);
        self.next = 0;
    }

    pub fn clear(&mut self) {
        self.particles.clear();
        self.next = 0;
    }

    /// The message of the particle nearest to `point` (world pixels) at `now_ms`, within
    /// `radius` pixels.
    pub fn hit(&self, point: (f64, f64), now_ms: f64, radius: f64) -> Option<MessageId> {
        self.particles
            .iter()
            .filter_map(|particle| {
                let message = particle.message?;
                let (x, y) = particle.position(now_ms)?;
                let distance = (x - point.0).hypot(y - point.1);
                (distance <= radius).then_some((distance, message))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, message)| message)
    }
}

/// Frame times of the particle benchmark, milliseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameStats {
    pub frames: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
    /// Frames longer than 1/60 s (with a little slack for timer rounding).
    pub over_budget: usize,
}

impl FrameStats {
    /// `None` without frames.
    pub fn of(deltas: &[f64]) -> Option<FrameStats> {
        let mut sorted: Vec<f64> = deltas.iter().copied().filter(|d| d.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
        Some(FrameStats {
            frames: sorted.len(),
            p50: at(0.5),
            p95: at(0.95),
            p99: at(0.99),
            max: at(1.0),
            over_budget: sorted.iter().filter(|d| **d > 17.5).count(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_engine::{SimDuration, SimTime};

    fn event(component: ComponentId, kind: TraceKind) -> TraceEvent {
        TraceEvent {
            time: SimTime::ZERO,
            component,
            message: Some(MessageId(1)),
            kind,
        }
    }

    fn particle(born_ms: f64) -> Particle {
        Particle {
            from: (0.0, 0.0),
            to: (100.0, 50.0),
            born_ms,
            outcome: Outcome::Moving,
            group_hue: None,
            swing: 0.0,
            message: Some(MessageId(7)),
        }
    }

    #[test]
    fn events_become_hops_between_the_right_components() {
        let sent = hop(&event(
            1,
            TraceKind::Sent {
                producer: Some(0),
                size: 10,
                group: Some("g".into()),
            },
        ))
        .expect("a hop");
        assert_eq!((sent.from, sent.to, sent.outcome), (0, 1, Outcome::Moving));
        assert_eq!(sent.group.as_deref(), Some("g"));
        let deleted = hop(&event(
            1,
            TraceKind::Deleted {
                consumer: Some(3),
                end_to_end: SimDuration::from_secs(1),
            },
        ))
        .expect("a hop");
        assert_eq!(
            (deleted.from, deleted.to, deleted.outcome),
            (1, 3, Outcome::Delivered)
        );
        let dlq = hop(&event(
            1,
            TraceKind::MovedToDlq {
                dlq: 2,
                receive_count: 3,
                max_receive_count: 3,
            },
        ))
        .expect("a hop");
        assert_eq!((dlq.to, dlq.outcome), (2, Outcome::DeadLettered));
        assert_eq!(
            hop(&event(1, TraceKind::VisibilityExpired { receive_count: 1 })),
            None
        );
        assert_eq!(
            hop(&event(
                1,
                TraceKind::Sent {
                    producer: None,
                    size: 1,
                    group: None
                }
            )),
            None,
            "by hand"
        );
        // A function's handler starting an execution flies from the function to the
        // machine; a refused start is a throttle there.
        let started = hop(&event(
            4,
            TraceKind::ExecutionStarted {
                by: Some(2),
                execution: "arn:aws:states:us-east-1:123456789012:execution:flow:exec-1".into(),
            },
        ))
        .expect("a hop");
        assert_eq!(
            (started.from, started.to, started.outcome),
            (2, 4, Outcome::Moving)
        );
        let refused = hop(&event(4, TraceKind::ExecutionThrottled { by: Some(2) })).expect("a hop");
        assert_eq!((refused.from, refused.outcome), (2, Outcome::Throttled));
        assert_eq!(
            hop(&event(4, TraceKind::ExecutionThrottled { by: None })),
            None
        );
    }

    #[test]
    fn a_particle_travels_then_is_gone() {
        let p = particle(1_000.0);
        assert_eq!(p.position(999.0), None);
        assert_eq!(p.position(1_000.0), Some((0.0, 0.0)));
        let (x, y) = p.position(1_000.0 + TRAVEL_MS / 2.0).expect("midway");
        assert!((x - 50.0).abs() < 1e-9 && (y - 25.0).abs() < 1e-9);
        assert_eq!(p.position(1_000.0 + TRAVEL_MS), None);
        let swinging = Particle { swing: 10.0, ..p };
        let (sx, sy) = swinging
            .position(1_000.0 + TRAVEL_MS / 2.0)
            .expect("midway");
        let off = ((sx - x).powi(2) + (sy - y).powi(2)).sqrt();
        assert!(
            (off - 10.0).abs() < 1e-9,
            "swings 10 px off the line at mid-way: {off}"
        );
        assert!(swing_of(Some(MessageId(5))).abs() <= 12.0);
        assert_eq!(swing_of(Some(MessageId(5))), swing_of(Some(MessageId(5))));
        let mut pool = Pool::default();
        pool.spawn([particle(0.0), particle(500.0)].into_iter());
        pool.expire(TRAVEL_MS + 1.0);
        assert_eq!(pool.len(), 1);
    }

    #[test]
    fn the_pool_is_capped_and_samples_floods() {
        let mut pool = Pool::default();
        pool.spawn((0..3 * MAX_PARTICLES).map(|i| particle(i as f64)));
        assert!(pool.len() <= MAX_PARTICLES);
        assert_eq!(pool.sampled_out, 2 * MAX_PARTICLES as u64);
        // Full: new particles replace the oldest.
        pool.spawn((0..MAX_PARTICLES).map(|_| particle(1e9)));
        assert_eq!(pool.len(), MAX_PARTICLES);
        pool.spawn(std::iter::once(particle(2e9)));
        assert_eq!(pool.len(), MAX_PARTICLES);
        assert!(pool.particles().iter().any(|p| p.born_ms == 2e9));
        pool.clear();
        assert!(pool.is_empty());
    }

    #[test]
    fn frame_statistics() {
        let deltas: Vec<f64> = (1..=100)
            .map(|i| if i == 100 { 40.0 } else { 16.0 })
            .collect();
        let stats = FrameStats::of(&deltas).expect("frames");
        assert_eq!(stats.frames, 100);
        assert_eq!(stats.p50, 16.0);
        assert_eq!(stats.max, 40.0);
        assert_eq!(stats.over_budget, 1);
        assert_eq!(FrameStats::of(&[]), None);
    }

    #[test]
    fn a_click_finds_the_nearest_particle_in_reach() {
        let mut pool = Pool::default();
        let mut near = particle(0.0);
        near.message = Some(MessageId(3));
        let mut far = particle(0.0);
        far.from = (0.0, 40.0);
        far.to = (100.0, 90.0);
        far.message = Some(MessageId(4));
        let mut anonymous = particle(0.0);
        anonymous.message = None;
        pool.spawn([anonymous, near, far].into_iter());
        // Half way (t = 0.5, eased 0.5), the first runs through (50, 25).
        assert_eq!(pool.hit((51.0, 26.0), 400.0, 8.0), Some(MessageId(3)));
        assert_eq!(pool.hit((50.0, 66.0), 400.0, 8.0), Some(MessageId(4)));
        assert_eq!(pool.hit((50.0, 45.0), 400.0, 8.0), None);
        // Once arrived, a particle cannot be clicked.
        assert_eq!(pool.hit((100.0, 50.0), TRAVEL_MS + 1.0, 8.0), None);
    }

    #[test]
    fn every_outcome_has_its_own_shape() {
        let mut shapes: Vec<Shape> = Outcome::ALL.iter().map(|o| o.shape()).collect();
        shapes.dedup();
        for (i, a) in shapes.iter().enumerate() {
            assert!(!shapes[i + 1..].contains(a), "{a:?} is used twice");
        }
        assert_eq!(shapes.len(), Outcome::ALL.len());
    }

    #[test]
    fn a_group_always_gets_the_same_hue() {
        assert_eq!(group_hue("customer-1"), group_hue("customer-1"));
        assert_ne!(group_hue("customer-1"), group_hue("customer-2"));
        assert!(group_hue("x") < 360);
    }
}
