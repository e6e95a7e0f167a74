//! Rewind: checkpoints of a running simulation, and seeking to any earlier moment by
//! cloning the nearest checkpoint and replaying from it (a run is deterministic, so the
//! replay is exact).

use crate::sim::Simulation;
use crate::time::{SimDuration, SimTime};

/// Checkpoints taken every `interval` of simulated time, at most `capacity` of them: when
/// full, every other checkpoint is dropped and the interval doubles, so any length of run
/// fits and seeking never replays more than two intervals.
#[derive(Clone, Debug)]
pub struct Timeline {
    checkpoints: Vec<Simulation>,
    interval: SimDuration,
    capacity: usize,
}

impl Timeline {
    pub fn new(interval: SimDuration, capacity: usize) -> Timeline {
        Timeline {
            checkpoints: Vec::new(),
            interval: SimDuration(interval.0.max(1)),
            capacity: capacity.max(2),
        }
    }

    /// The current spacing of checkpoints.
    pub fn interval(&self) -> SimDuration {
        self.interval
    }

    pub fn len(&self) -> usize {
        self.checkpoints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// Times of the checkpoints held.
    pub fn times(&self) -> Vec<SimTime> {
        self.checkpoints.iter().map(|c| c.now()).collect()
    }

    /// Whether [`Timeline::record`] would take a checkpoint at `now`.
    pub fn is_due(&self, now: SimTime) -> bool {
        match self.checkpoints.last() {
            None => true,
            Some(last) => now >= last.now().saturating_add(self.interval),
        }
    }

    /// Drops every other checkpoint (the first stays) and doubles the interval: half the
    /// memory, twice the longest replay.
    pub fn thin(&mut self) {
        let mut index = 0;
        self.checkpoints.retain(|_| {
            index += 1;
            index % 2 == 1
        });
        self.interval = SimDuration(self.interval.0.saturating_mul(2));
    }

    /// Takes a checkpoint if the last one is at least one interval old. Call it as often as
    /// you like (after every frame, say).
    pub fn record(&mut self, sim: &Simulation) {
        if !self.is_due(sim.now()) {
            return;
        }
        let mut checkpoint = sim.clone();
        // What was already drained belongs to the present, not to the checkpoint.
        checkpoint.drain_trace();
        checkpoint.drain_metrics();
        self.checkpoints.push(checkpoint);
        if self.checkpoints.len() > self.capacity {
            self.thin();
        }
    }

    /// Forgets checkpoints after `time` (after an edit, the old future is gone).
    pub fn truncate_after(&mut self, time: SimTime) {
        self.checkpoints.retain(|c| c.now() <= time);
    }

    /// The simulation as it was at `time`: the latest checkpoint at or before it, replayed
    /// to `time`. None when there is no checkpoint that early.
    pub fn seek(&self, time: SimTime) -> Option<Simulation> {
        let index = self.checkpoints.partition_point(|c| c.now() <= time);
        let mut sim = self.checkpoints.get(index.checked_sub(1)?)?.clone();
        sim.run_until(time);
        Some(sim)
    }
}
