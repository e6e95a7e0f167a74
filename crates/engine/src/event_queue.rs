//! The future event list: a binary heap plus FIFO lanes for timers with constant delays.
//!
//! Events pop in (time, insertion sequence) order, so events at equal times run in the order
//! they were scheduled. Most timers in a queueing model have a constant delay per queue
//! (visibility timeouts, long-poll waits, delay queues): their deadlines arrive in order, so a
//! plain FIFO is an exact priority queue for them. A lane keeps such timers in a `VecDeque`
//! and only its head sits in the heap; the heap stays as small as the number of lanes plus the
//! truly random timers. A timer that would break a lane's order goes to the heap instead, so
//! the order is always exact.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use crate::time::SimTime;

/// Index of a lane, from [`EventQueue::add_lane`].
pub type LaneId = u32;

#[derive(Clone, Debug)]
struct HeapEntry<E> {
    time: SimTime,
    seq: u64,
    item: Item<E>,
}

#[derive(Clone, Debug)]
enum Item<E> {
    Event(E),
    LaneHead(LaneId),
}

impl<E> PartialEq for HeapEntry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for HeapEntry<E> {}
impl<E> PartialOrd for HeapEntry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for HeapEntry<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest entry first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

#[derive(Clone, Debug)]
struct LaneEntry<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

/// A priority queue of events keyed by (time, insertion sequence).
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<HeapEntry<E>>,
    lanes: Vec<VecDeque<LaneEntry<E>>>,
    next_seq: u64,
    len: usize,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            lanes: Vec::new(),
            next_seq: 0,
            len: 0,
        }
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue::default()
    }

    /// Creates a lane for timers whose deadlines usually arrive in order.
    pub fn add_lane(&mut self) -> LaneId {
        self.lanes.push(VecDeque::new());
        (self.lanes.len() - 1) as LaneId
    }

    /// Pending events, stale ones included.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn take_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// Schedules `event` at `time` in the heap.
    pub fn schedule(&mut self, time: SimTime, event: E) {
        let seq = self.take_seq();
        self.heap.push(HeapEntry {
            time,
            seq,
            item: Item::Event(event),
        });
        self.len += 1;
    }

    /// Schedules `event` at `time` in `lane` when that keeps the lane in order, else in the
    /// heap. Either way it pops at exactly the same point.
    pub fn schedule_in_lane(&mut self, lane: LaneId, time: SimTime, event: E) {
        let seq = self.take_seq();
        let Some(entries) = self.lanes.get_mut(lane as usize) else {
            self.heap.push(HeapEntry {
                time,
                seq,
                item: Item::Event(event),
            });
            self.len += 1;
            return;
        };
        match entries.back() {
            None => {
                entries.push_back(LaneEntry { time, seq, event });
                self.heap.push(HeapEntry {
                    time,
                    seq,
                    item: Item::LaneHead(lane),
                });
            }
            Some(last) if last.time <= time => entries.push_back(LaneEntry { time, seq, event }),
            Some(_) => self.heap.push(HeapEntry {
                time,
                seq,
                item: Item::Event(event),
            }),
        }
        self.len += 1;
    }

    /// The time of the earliest pending event.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|entry| entry.time)
    }

    /// Pops the earliest event. `is_stale` marks events that are known to do nothing when
    /// they fire (a timer whose message was already deleted): such events at the front of a
    /// lane are dropped without a trip through the heap. An event once stale must stay stale.
    pub fn pop(&mut self, is_stale: impl FnMut(&E) -> bool) -> Option<(SimTime, E)> {
        self.pop_until(SimTime::MAX, is_stale)
    }

    /// Like [`EventQueue::pop`], but only an event at or before `limit`; later events stay.
    pub fn pop_until(
        &mut self,
        limit: SimTime,
        mut is_stale: impl FnMut(&E) -> bool,
    ) -> Option<(SimTime, E)> {
        loop {
            if self.heap.peek()?.time > limit {
                return None;
            }
            let entry = self.heap.pop()?;
            match entry.item {
                Item::Event(event) => {
                    self.len -= 1;
                    return Some((entry.time, event));
                }
                Item::LaneHead(lane) => {
                    let entries = &mut self.lanes[lane as usize];
                    let Some(head) = entries.pop_front() else {
                        continue;
                    };
                    self.len -= 1;
                    while entries.front().is_some_and(|next| is_stale(&next.event)) {
                        entries.pop_front();
                        self.len -= 1;
                    }
                    if let Some(next) = entries.front() {
                        self.heap.push(HeapEntry {
                            time: next.time,
                            seq: next.seq,
                            item: Item::LaneHead(lane),
                        });
                    }
                    if is_stale(&head.event) {
                        continue;
                    }
                    return Some((head.time, head.event));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_times_pop_in_scheduling_order() {
        let mut queue = EventQueue::new();
        let lane = queue.add_lane();
        queue.schedule(SimTime(5), "a");
        queue.schedule_in_lane(lane, SimTime(5), "b");
        queue.schedule(SimTime(5), "c");
        queue.schedule_in_lane(lane, SimTime(5), "d");
        queue.schedule(SimTime(1), "first");
        let order: Vec<_> = std::iter::from_fn(|| queue.pop(|_| false).map(|(_, e)| e)).collect();
        assert_eq!(order, ["first", "a", "b", "c", "d"]);
    }

    /// Regression: skipping a stale timer must not run an event past the limit.
    #[test]
    fn pop_until_never_passes_the_limit_when_skipping_stale_entries() {
        let mut queue = EventQueue::new();
        let lane = queue.add_lane();
        queue.schedule_in_lane(lane, SimTime(5), "stale");
        queue.schedule(SimTime(100), "later");
        assert_eq!(queue.pop_until(SimTime(50), |e| *e == "stale"), None);
        assert_eq!(
            queue.pop_until(SimTime(100), |e| *e == "stale"),
            Some((SimTime(100), "later"))
        );
    }

    #[test]
    fn stale_lane_entries_are_skipped() {
        let mut queue = EventQueue::new();
        let lane = queue.add_lane();
        for i in 0..10u32 {
            queue.schedule_in_lane(lane, SimTime(i as u64), i);
        }
        let popped: Vec<_> =
            std::iter::from_fn(|| queue.pop(|e| e % 3 != 0).map(|(_, e)| e)).collect();
        assert_eq!(popped, [0, 3, 6, 9]);
        assert!(queue.is_empty());
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Whatever mix of heap and lane timers, pops come out exactly as a sort by
        /// (time, scheduling order) would give.
        #[test]
        fn pops_are_sorted_by_time_then_sequence(ops in proptest::collection::vec((0u64..50, 0u8..4), 0..300)) {
            use proptest::prelude::*;
            let mut queue = EventQueue::new();
            let lanes = [queue.add_lane(), queue.add_lane()];
            let mut expected = Vec::new();
            for (seq, (time, place)) in ops.iter().enumerate() {
                match place {
                    0 | 1 => queue.schedule_in_lane(lanes[*place as usize], SimTime(*time), seq),
                    _ => queue.schedule(SimTime(*time), seq),
                }
                expected.push((*time, seq));
            }
            expected.sort();
            let mut got = Vec::new();
            while let Some((time, seq)) = queue.pop(|_| false) {
                got.push((time.0, seq));
            }
            prop_assert_eq!(got, expected);
        }
    }
}
