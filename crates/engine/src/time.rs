//! Virtual time: integer microseconds since the start of a run.
//!
//! Nothing in the engine reads a wall clock; time only moves when the event queue pops an event.

use std::fmt;

/// A moment of simulated time, in microseconds since the start of the run.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct SimTime(pub u64);

/// A span of simulated time, in microseconds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct SimDuration(pub u64);

pub const MICROS_PER_SECOND: u64 = 1_000_000;

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub const MAX: SimTime = SimTime(u64::MAX);

    pub const fn from_secs(seconds: u64) -> SimTime {
        SimTime(seconds.saturating_mul(MICROS_PER_SECOND))
    }

    pub const fn from_millis(millis: u64) -> SimTime {
        SimTime(millis.saturating_mul(1_000))
    }

    /// Seconds as a float, rounded down to microseconds; negative and NaN inputs give zero.
    pub fn from_secs_f64(seconds: f64) -> SimTime {
        SimTime(SimDuration::from_secs_f64(seconds).0)
    }

    pub const fn as_micros(self) -> u64 {
        self.0
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_SECOND as f64
    }

    pub const fn saturating_add(self, duration: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(duration.0))
    }

    /// The time from `earlier` to `self`, zero if `earlier` is later.
    pub const fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);

    pub const fn from_secs(seconds: u64) -> SimDuration {
        SimDuration(seconds.saturating_mul(MICROS_PER_SECOND))
    }

    pub const fn from_millis(millis: u64) -> SimDuration {
        SimDuration(millis.saturating_mul(1_000))
    }

    /// Seconds as a float, rounded to the nearest microsecond; negative and NaN give zero,
    /// values past the range saturate.
    pub fn from_secs_f64(seconds: f64) -> SimDuration {
        if seconds.is_nan() || seconds <= 0.0 {
            return SimDuration(0);
        }
        let micros = seconds * MICROS_PER_SECOND as f64;
        if micros >= u64::MAX as f64 {
            SimDuration(u64::MAX)
        } else {
            SimDuration(libm::round(micros) as u64)
        }
    }

    pub const fn as_micros(self) -> u64 {
        self.0
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_SECOND as f64
    }
}

/// Writes a duration the way the playground's clock shows it: `1d 2h 3m 4.5s`, leaving out
/// leading zero units (`0s` for zero).
pub fn format_clock(micros: u64) -> String {
    let total_seconds = micros / MICROS_PER_SECOND;
    let fraction_ms = (micros % MICROS_PER_SECOND) / 1_000;
    let days = total_seconds / 86_400;
    let hours = (total_seconds / 3_600) % 24;
    let minutes = (total_seconds / 60) % 60;
    let seconds = total_seconds % 60;
    let mut out = String::new();
    if days > 0 {
        out.push_str(&format!("{days}d "));
    }
    if days > 0 || hours > 0 {
        out.push_str(&format!("{hours}h "));
    }
    if days > 0 || hours > 0 || minutes > 0 {
        out.push_str(&format!("{minutes}m "));
    }
    if fraction_ms > 0 && days == 0 && hours == 0 {
        out.push_str(&format!("{seconds}.{fraction_ms:03}s"));
    } else {
        out.push_str(&format!("{seconds}s"));
    }
    out
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_clock(self.0))
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_clock(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_format_leaves_out_leading_zero_units() {
        assert_eq!(format_clock(0), "0s");
        assert_eq!(format_clock(1_500_000), "1.500s");
        assert_eq!(format_clock(62 * MICROS_PER_SECOND), "1m 2s");
        assert_eq!(
            format_clock((86_400 + 3_600 * 2 + 180 + 4) * MICROS_PER_SECOND),
            "1d 2h 3m 4s"
        );
    }

    #[test]
    fn float_seconds_round_and_clamp() {
        assert_eq!(SimDuration::from_secs_f64(0.05), SimDuration(50_000));
        assert_eq!(SimDuration::from_secs_f64(-3.0), SimDuration(0));
        assert_eq!(SimDuration::from_secs_f64(f64::NAN), SimDuration(0));
        assert_eq!(SimDuration::from_secs_f64(1e30), SimDuration(u64::MAX));
    }
}
