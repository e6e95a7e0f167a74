//! Time control of the running scenario: one event at a time, rewind to any earlier moment
//! (the nearest checkpoint, then a deterministic replay), jump ahead, and run until a
//! condition (a breakpoint). Every long operation runs in bounded slices so the page stays
//! responsive.

use loosely_engine::{MessageId, SimDuration, SimTime, StopCondition, TraceEvent};

use super::Live;

/// Simulated time each call of [`Live::work_until`] may cover; the engine checks the
/// condition after every event inside it.
const CONDITION_SLICE: SimDuration = SimDuration::from_secs(5);

/// A breakpoint, in the page's words.
#[derive(Clone, Debug, PartialEq)]
pub enum Breakpoint {
    /// The next message that a queue's RedrivePolicy moves into this dead-letter queue.
    DeadLetter { queue: String },
    /// A queue's visible messages pass `visible`.
    DepthAbove { queue: String, visible: u32 },
    /// This message is deleted.
    Deleted { message: MessageId },
    /// The alarm (index in the scenario's `alarms`) goes into ALARM.
    Alarm { index: usize },
}

/// How a run until a breakpoint ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Stopped {
    /// The condition became true at this time.
    Met(SimTime),
    /// The scenario's end came first.
    End,
    /// The breakpoint names a component the scenario does not have.
    NoSuchComponent(String),
}

impl Live {
    /// Processes exactly one event and returns what it did; nothing at the scenario's end.
    pub fn step_one(&mut self) -> Vec<TraceEvent> {
        match self.simulation.next_event_time() {
            Some(time) if time <= self.duration => {
                self.simulation.step();
                self.target = self.simulation.now();
                self.checkpoint();
                self.drain();
                self.fresh.clone()
            }
            _ => Vec::new(),
        }
    }

    /// Goes to `time` (clamped to the run): back by restoring the nearest checkpoint and
    /// replaying, forward by setting the target that [`Live::work`] then reaches in slices.
    /// The trace kept so far is dropped on a rewind (it describes a future that is replayed).
    pub fn seek(&mut self, time: SimTime) {
        let time = time.min(self.duration);
        if time < self.simulation.now() {
            if let Some(past) = self.timeline.seek(time) {
                self.simulation = past;
                self.simulation.drain_trace();
                self.simulation.drain_metrics();
                self.recent.clear();
                self.fresh.clear();
                // Verdicts given after that moment are judged again on the way.
                self.judge.reset();
                self.verdicts = self.judge.observe(&self.simulation);
            }
        }
        self.target = time.max(self.simulation.now());
    }

    /// The earliest moment a rewind can reach.
    pub fn earliest(&self) -> SimTime {
        self.timeline
            .times()
            .first()
            .copied()
            .unwrap_or(SimTime::ZERO)
    }

    /// The time the page is working towards (ahead of `now` while a jump is in progress).
    pub fn target(&self) -> SimTime {
        self.target
    }

    /// Works towards a breakpoint for one slice of simulated time; `Some` once it is met or
    /// the scenario ended, `None` to be called again.
    pub fn work_until(&mut self, breakpoint: &Breakpoint) -> Option<Stopped> {
        let Some(condition) = self.condition(breakpoint) else {
            let name = match breakpoint {
                Breakpoint::DeadLetter { queue } | Breakpoint::DepthAbove { queue, .. } => {
                    queue.clone()
                }
                _ => String::new(),
            };
            return Some(Stopped::NoSuchComponent(name));
        };
        let limit = self
            .simulation
            .now()
            .saturating_add(CONDITION_SLICE)
            .min(self.duration);
        let met = self.simulation.run_until_condition(&condition, limit);
        self.target = self.simulation.now();
        self.checkpoint();
        match met {
            Some(time) => Some(Stopped::Met(time)),
            None if self.simulation.now() >= self.duration => Some(Stopped::End),
            None => None,
        }
    }

    fn condition(&self, breakpoint: &Breakpoint) -> Option<StopCondition> {
        Some(match breakpoint {
            Breakpoint::DeadLetter { queue } => StopCondition::DeadLetterArrives {
                queue: self.index_of(queue)?,
            },
            Breakpoint::DepthAbove { queue, visible } => StopCondition::DepthAbove {
                queue: self.index_of(queue)?,
                visible: *visible,
            },
            Breakpoint::Deleted { message } => StopCondition::MessageDeleted { message: *message },
            Breakpoint::Alarm { index } => StopCondition::AlarmFires { alarm: *index },
        })
    }
}

/// Reads a message id as the trace writes it (`m-12`) or as a bare number.
pub fn parse_message_id(text: &str) -> Option<MessageId> {
    let text = text.trim();
    text.strip_prefix("m-")
        .unwrap_or(text)
        .parse()
        .ok()
        .map(MessageId)
}

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_engine::{ComponentStats, TraceKind};

    const BUNDLED: &str = include_str!("../../examples/worker-pool-dlq.json");

    fn run_to(live: &mut Live, time: SimTime) {
        live.seek(time);
        while !live.work() {}
        live.drain();
    }

    fn stats(live: &Live) -> Vec<ComponentStats> {
        live.views().into_iter().map(|v| v.stats).collect()
    }

    #[test]
    fn expectations_are_judged_at_their_moment_and_again_after_a_rewind() {
        use loosely_engine::expect::VerdictState;
        let mut live = Live::from_json(BUNDLED).expect("valid");
        let states = |live: &Live| -> Vec<VerdictState> {
            live.expectations().iter().map(|(_, v)| v.state).collect()
        };
        assert_eq!(live.expectations().len(), 4);
        assert!(states(&live).iter().all(|s| *s == VerdictState::Pending));
        run_to(&mut live, SimTime::from_secs(900));
        // "The DLQ catches the first failure within 10 minutes" is decided at 10 minutes.
        let (spec, verdict) = live.expectations()[1];
        assert_eq!(spec.at, SimTime::from_secs(600));
        assert_eq!(verdict.judged_at, SimTime::from_secs(600));
        assert_ne!(verdict.state, VerdictState::Pending);
        let decided = verdict.clone();
        live.seek(SimTime::from_secs(120));
        live.drain();
        assert_eq!(live.expectations()[1].1.state, VerdictState::Pending);
        run_to(&mut live, SimTime::from_secs(900));
        assert_eq!(live.expectations()[1].1, &decided, "the same verdict again");
    }

    #[test]
    fn rewinding_and_playing_again_gives_the_same_run() {
        let mut straight = Live::from_json(BUNDLED).expect("valid");
        run_to(&mut straight, SimTime::from_secs(600));
        let mut rewound = Live::from_json(BUNDLED).expect("valid");
        run_to(&mut rewound, SimTime::from_secs(900));
        rewound.seek(SimTime::from_secs(250));
        assert_eq!(rewound.now(), SimTime::from_secs(250));
        assert!(
            rewound.recent().is_empty(),
            "the old future's trace is gone"
        );
        let mut reference = Live::from_json(BUNDLED).expect("valid");
        run_to(&mut reference, SimTime::from_secs(250));
        assert_eq!(stats(&rewound), stats(&reference));
        run_to(&mut rewound, SimTime::from_secs(600));
        assert_eq!(stats(&rewound), stats(&straight));
        assert!(rewound.earliest() <= SimTime::from_secs(30));
    }

    #[test]
    fn stepping_processes_one_event_and_says_what_it_was() {
        let mut live = Live::from_json(BUNDLED).expect("valid");
        let mut events = 0;
        let mut seen = Vec::new();
        while seen.is_empty() {
            seen = live.step_one();
            events += 1;
            assert!(events < 100, "no trace after 100 events");
        }
        assert!(seen.iter().all(|e| e.time == live.now()));
        assert_eq!(live.target(), live.now());
    }

    #[test]
    fn a_dead_letter_breakpoint_stops_at_the_move() {
        let mut live = Live::from_json(BUNDLED).expect("valid");
        let breakpoint = Breakpoint::DeadLetter {
            queue: "orders-dlq".into(),
        };
        let stopped = loop {
            if let Some(stopped) = live.work_until(&breakpoint) {
                break stopped;
            }
        };
        let Stopped::Met(at) = stopped else {
            panic!("no message reached the DLQ in the whole run")
        };
        assert_eq!(live.now(), at);
        live.drain();
        let dlq = live.index_of("orders-dlq").expect("dlq");
        match live.simulation().stats(dlq) {
            Some(ComponentStats::Queue(q)) => assert_eq!(q.dead_lettered_here, 1),
            other => panic!("{other:?}"),
        }
        // The very last event is the move.
        assert!(live
            .fresh()
            .iter()
            .any(|e| e.time == at && matches!(e.kind, TraceKind::MovedToDlq { .. })));
    }

    #[test]
    fn depth_and_deletion_breakpoints() {
        let mut live = Live::from_json(BUNDLED).expect("valid");
        // Four workers keep up with five orders a second: the depth never passes 1000.
        let deep = Breakpoint::DepthAbove {
            queue: "orders".into(),
            visible: 1000,
        };
        let mut slices = 0;
        let ended = loop {
            slices += 1;
            if let Some(stopped) = live.work_until(&deep) {
                break stopped;
            }
        };
        assert_eq!(ended, Stopped::End);
        assert!(slices > 100, "slices are bounded: {slices}");

        let mut live = Live::from_json(BUNDLED).expect("valid");
        let first = parse_message_id("m-1").expect("id");
        let deleted = loop {
            if let Some(stopped) = live.work_until(&Breakpoint::Deleted { message: first }) {
                break stopped;
            }
        };
        let Stopped::Met(at) = deleted else {
            panic!("m-1 never deleted")
        };
        live.drain();
        assert!(live.fresh().iter().any(|e| e.time == at
            && e.message == Some(first)
            && matches!(e.kind, TraceKind::Deleted { .. })));
        assert_eq!(
            live.work_until(&Breakpoint::DeadLetter {
                queue: "ghost".into()
            }),
            Some(Stopped::NoSuchComponent("ghost".into()))
        );
    }

    #[test]
    fn message_ids_read_both_ways() {
        assert_eq!(parse_message_id("m-12"), Some(MessageId(12)));
        assert_eq!(parse_message_id(" 7 "), Some(MessageId(7)));
        assert_eq!(parse_message_id("twelve"), None);
    }
}
