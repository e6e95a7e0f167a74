//! What the tracing panels read from the running simulation: a message's history, the
//! event log and a peek into a queue (the shaping itself is in [`crate::trace_view`]).

use std::cell::RefCell;
use std::rc::Rc;

use loosely_engine::MessageId;

use super::Live;
use crate::trace_view::{self, History, Log, LogFilter, PeekRow, PEEK_LIMIT};

/// The page's running simulation as the tracing components hold it: equal when it is the
/// same cell (the components re-render when the clock they are given moves).
#[derive(Clone)]
pub struct LiveHandle(pub Rc<RefCell<Option<Live>>>);

impl PartialEq for LiveHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl LiveHandle {
    /// Reads the simulation if there is one and it is not being advanced right now.
    pub fn read<T>(&self, read: impl FnOnce(&Live) -> T) -> Option<T> {
        let live = self.0.try_borrow().ok()?;
        live.as_ref().map(read)
    }

    /// Changes the simulation if there is one and it is not being advanced right now.
    pub fn write<T>(&self, write: impl FnOnce(&mut Live) -> T) -> Option<T> {
        let mut live = self.0.try_borrow_mut().ok()?;
        live.as_mut().map(write)
    }
}

impl Live {
    /// The kept events of one message, oldest first.
    pub fn history(&self, message: MessageId) -> History {
        trace_view::history(&self.recent, message, &self.simulation.namer())
    }

    /// The message `?history=first` opens: the first one dead-lettered, else the first seen.
    pub fn first_traced_message(&self) -> Option<MessageId> {
        trace_view::first_message(&self.recent)
    }

    /// The newest `limit` kept events that pass `filter`, newest first.
    pub fn log(&self, filter: &LogFilter, limit: usize) -> Log {
        trace_view::log(self.recent.iter(), filter, limit, &self.simulation.namer())
    }

    /// The kind codes among the kept events.
    pub fn kinds_seen(&self) -> Vec<&'static str> {
        trace_view::kinds_seen(&self.recent)
    }

    /// Up to [`PEEK_LIMIT`] messages held by the queue with scenario id `id`, without
    /// receiving them; `None` when `id` is not a queue.
    pub fn peek(&self, id: &str) -> Option<Vec<PeekRow>> {
        let index = self.index_of(id)?;
        let held = self.simulation.peek(index, PEEK_LIMIT).ok()?;
        Some(held.iter().map(trace_view::peek_row).collect())
    }

    /// Whether the queue with scenario id `id` is a FIFO queue.
    pub fn is_fifo(&self, id: &str) -> bool {
        self.index_of(id)
            .and_then(|index| self.simulation.model().components.get(index))
            .is_some_and(|component| {
                matches!(&component.kind, loosely_engine::ComponentKind::Queue(spec) if spec.fifo_queue)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loosely_engine::SimDuration;

    const BUNDLED: &str = include_str!("../../examples/worker-pool-dlq.json");

    #[test]
    fn the_bundled_scenario_dead_letters_a_message_whose_history_says_why() {
        let mut live = Live::from_json(BUNDLED).expect("valid");
        while !live.advance(SimDuration::from_secs(1_200)) {
            live.drain();
        }
        live.drain();
        let first = live.first_traced_message().expect("a message");
        let history = live.history(first);
        assert!(!history.truncated);
        assert_eq!(history.steps[0].code, "Sent");
        let moved = history
            .steps
            .iter()
            .find(|step| step.code == "MovedToDLQ")
            .expect("the bundled scenario dead-letters messages within 1,200 s");
        assert!(
            moved.sentence.contains("maxReceiveCount is"),
            "{}",
            moved.sentence
        );
        assert!(history.steps.iter().any(|step| step
            .sentence
            .contains("it had been invisible for 30 seconds")));
        let log = live.log(&LogFilter::default(), 10);
        assert_eq!(log.rows.len(), 10);
        assert_eq!(log.matching, live.recent().len());
        assert!(live.kinds_seen().contains(&"Sent"));
        let peeked = live.peek("orders").expect("orders is a queue");
        assert!(peeked.len() <= PEEK_LIMIT);
        assert!(live.peek("nothing-here").is_none());
        assert!(!live.is_fifo("orders"));
    }
}
