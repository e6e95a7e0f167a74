//! The simulation narrated for screen readers: a polite live region says, at most every few
//! seconds of wall time, the most telling thing that happened since it last spoke
//! ("1m 20s: m-12 moved to orders-dlq after 3 receives, maxReceiveCount is 3; and 4 more
//! like it"). Free of DOM types; the page writes [`Narrator::hear`]'s sentence into an
//! `aria-live="polite"` element.

use loosely_engine::{format_clock, ComponentId, TraceEvent, TraceKind};

/// Wall milliseconds between two sentences, so a reader can follow.
pub const PAUSE_MS: f64 = 4_000.0;

/// How telling an event is: 0 is not said at all.
pub fn weight(kind: &TraceKind) -> u8 {
    match kind {
        TraceKind::MovedToDlq { .. }
        | TraceKind::SubscriptionDeadLettered { .. }
        | TraceKind::AsyncEventFailed { .. }
        | TraceKind::ClientGaveUp { .. } => 4,
        TraceKind::FaultStarted { .. }
        | TraceKind::FaultEnded { .. }
        | TraceKind::AlarmStateChanged { .. }
        | TraceKind::AutoScaled { .. }
        | TraceKind::TargetHealthChanged { .. }
        | TraceKind::Expired { .. } => 3,
        TraceKind::LambdaThrottled { .. }
        | TraceKind::ExecutionThrottled { .. }
        | TraceKind::Rejected { .. }
        | TraceKind::VisibilityExpired { .. }
        | TraceKind::DeliveryFailed { .. }
        | TraceKind::ProcessingFailed { .. } => 2,
        TraceKind::ExecutionEnded { .. } | TraceKind::JobStateChanged { .. } => 1,
        _ => 0,
    }
}

/// Keeps the most telling event heard since the last sentence, and how many others of its
/// weight came with it.
#[derive(Clone, Debug, Default)]
pub struct Narrator {
    best: Option<(u8, TraceEvent, String)>,
    alike: usize,
    last_spoken_ms: Option<f64>,
}

impl Narrator {
    /// Listens to one frame's events; returns a sentence when it is time to speak and there
    /// is something to say. `name` gives a component's name.
    pub fn hear(
        &mut self,
        events: &[TraceEvent],
        name: &dyn Fn(ComponentId) -> String,
        now_ms: f64,
    ) -> Option<String> {
        for event in events {
            let weight = weight(&event.kind);
            if weight == 0 {
                continue;
            }
            match &self.best {
                Some((best, ..)) if *best > weight => {}
                Some((best, ..)) if *best == weight => self.alike += 1,
                _ => {
                    self.best = Some((weight, event.clone(), event.explain(name)));
                    self.alike = 0;
                }
            }
        }
        let rested = self
            .last_spoken_ms
            .is_none_or(|last| now_ms - last >= PAUSE_MS);
        if !rested {
            return None;
        }
        let (_, event, words) = self.best.take()?;
        let more = std::mem::take(&mut self.alike);
        self.last_spoken_ms = Some(now_ms);
        let mut sentence = format!("{}: {words}", format_clock(event.time.as_micros()));
        if more > 0 {
            sentence.push_str(&format!("; and {more} more like it"));
        }
        Some(sentence)
    }

    /// Forgets what it heard (a reset, a rewind, another scenario).
    pub fn clear(&mut self) {
        *self = Narrator::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_engine::{MessageId, SimTime};

    fn event(seconds: u64, kind: TraceKind) -> TraceEvent {
        TraceEvent {
            time: SimTime::from_secs_f64(seconds as f64),
            component: 0,
            message: Some(MessageId(12)),
            kind,
        }
    }

    fn name(id: ComponentId) -> String {
        ["orders", "orders-dlq"][id].to_string()
    }

    #[test]
    fn the_most_telling_event_is_said_with_how_many_came_alike() {
        let mut narrator = Narrator::default();
        let dead = |at| {
            event(
                at,
                TraceKind::MovedToDlq {
                    dlq: 1,
                    receive_count: 3,
                    max_receive_count: 3,
                },
            )
        };
        let events = [
            event(70, TraceKind::VisibilityExpired { receive_count: 1 }),
            dead(80),
            dead(81),
            event(82, TraceKind::Purged),
        ];
        let said = narrator.hear(&events, &name, 0.0).expect("a sentence");
        assert!(said.starts_with("1m 20s: m-12"), "{said}");
        assert!(said.contains("orders-dlq"), "{said}");
        assert!(said.ends_with("; and 1 more like it"), "{said}");
    }

    #[test]
    fn it_waits_between_sentences_and_says_nothing_without_news() {
        let mut narrator = Narrator::default();
        let expired = [event(5, TraceKind::VisibilityExpired { receive_count: 1 })];
        assert!(narrator.hear(&expired, &name, 1_000.0).is_some());
        assert_eq!(narrator.hear(&expired, &name, 2_000.0), None);
        let said = narrator
            .hear(&[], &name, 1_000.0 + PAUSE_MS)
            .expect("what it heard meanwhile");
        assert!(said.starts_with("5s: "), "{said}");
        assert_eq!(narrator.hear(&[], &name, 20_000.0), None);
        assert_eq!(
            narrator.hear(&[event(9, TraceKind::Purged)], &name, 40_000.0),
            None
        );
    }
}
