//! The simulation's one random number generator and the distributions drawn from it.
//!
//! The generator is xoshiro256++ (Blackman and Vigna), seeded through SplitMix64 from the
//! scenario's 64-bit seed, as implemented by the `rand_xoshiro` crate.
//! Floating-point transcendental functions come from `libm`, never from the platform, so a
//! draw is bit-identical natively and in WebAssembly.

use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The seeded generator owned by a simulation. Cloning it clones its state exactly.
#[derive(Clone, Debug)]
pub struct SimRng {
    inner: Xoshiro256PlusPlus,
}

impl SimRng {
    pub fn seed_from_u64(seed: u64) -> SimRng {
        SimRng {
            inner: Xoshiro256PlusPlus::seed_from_u64(seed),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// A uniform float in [0, 1) with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p` (values outside 0..=1 are clamped).
    pub fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        self.next_f64() < p
    }

    /// A uniform integer in `0..n`; zero when `n` is zero.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Lemire's multiply-shift; the tiny bias for huge n does not matter here.
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// An exponential variate with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        let u = self.next_f64();
        -mean * libm::log1p(-u)
    }

    /// A standard normal variate (Box-Muller, one of the pair).
    pub fn standard_normal(&mut self) -> f64 {
        let u1 = 1.0 - self.next_f64(); // (0, 1]
        let u2 = self.next_f64();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
    }
}

/// A distribution of non-negative values (times in seconds, sizes in bytes).
#[derive(Clone, Debug, PartialEq)]
pub enum Distribution {
    /// Always `value`.
    Constant { value: f64 },
    /// Uniform between `min` and `max`.
    Uniform { min: f64, max: f64 },
    /// Exponential with the given mean (memoryless service or inter-arrival times).
    Exponential { mean: f64 },
    /// Normal, cut at zero.
    Normal { mean: f64, std_dev: f64 },
    /// Log-normal with the given median and shape `sigma` (a long right tail).
    LogNormal { median: f64, sigma: f64 },
}

impl Distribution {
    /// Draws one value; never negative, never NaN.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        let value = match *self {
            Distribution::Constant { value } => value,
            Distribution::Uniform { min, max } => min + (max - min) * rng.next_f64(),
            Distribution::Exponential { mean } => rng.exponential(mean),
            Distribution::Normal { mean, std_dev } => mean + std_dev * rng.standard_normal(),
            Distribution::LogNormal { median, sigma } => {
                median * libm::exp(sigma * rng.standard_normal())
            }
        };
        if value.is_nan() || value < 0.0 {
            0.0
        } else {
            value
        }
    }

    /// The mean of the distribution (before the cut at zero for `Normal`).
    pub fn mean(&self) -> f64 {
        match *self {
            Distribution::Constant { value } => value,
            Distribution::Uniform { min, max } => (min + max) / 2.0,
            Distribution::Exponential { mean } => mean,
            Distribution::Normal { mean, .. } => mean,
            Distribution::LogNormal { median, sigma } => median * libm::exp(sigma * sigma / 2.0),
        }
    }

    /// Checks the parameters; the message names the parameter and the allowed range.
    pub fn check(&self) -> Result<(), String> {
        fn finite_non_negative(name: &str, value: f64) -> Result<(), String> {
            if value.is_finite() && value >= 0.0 {
                Ok(())
            } else {
                Err(format!("{name}: {value} must be a finite number >= 0"))
            }
        }
        match *self {
            Distribution::Constant { value } => finite_non_negative("value", value),
            Distribution::Uniform { min, max } => {
                finite_non_negative("min", min)?;
                finite_non_negative("max", max)?;
                if min > max {
                    return Err(format!("min: {min} is greater than max {max}"));
                }
                Ok(())
            }
            Distribution::Exponential { mean } => finite_non_negative("mean", mean),
            Distribution::Normal { mean, std_dev } => {
                finite_non_negative("mean", mean)?;
                finite_non_negative("std_dev", std_dev)
            }
            Distribution::LogNormal { median, sigma } => {
                finite_non_negative("median", median)?;
                finite_non_negative("sigma", sigma)?;
                if sigma > 10.0 {
                    return Err(format!("sigma: {sigma} is outside 0..=10"));
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_draws() {
        let mut a = SimRng::seed_from_u64(7);
        let mut b = SimRng::seed_from_u64(7);
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn sample_means_are_close_to_the_parameters() {
        let mut rng = SimRng::seed_from_u64(1);
        let cases = [
            Distribution::Constant { value: 2.0 },
            Distribution::Uniform { min: 1.0, max: 3.0 },
            Distribution::Exponential { mean: 0.05 },
            Distribution::Normal {
                mean: 5.0,
                std_dev: 1.0,
            },
            Distribution::LogNormal {
                median: 1.0,
                sigma: 0.5,
            },
        ];
        for dist in cases {
            let n = 200_000;
            let mean: f64 = (0..n).map(|_| dist.sample(&mut rng)).sum::<f64>() / n as f64;
            let expected = dist.mean();
            assert!(
                (mean - expected).abs() < expected * 0.02,
                "{dist:?}: sample mean {mean}, expected {expected}"
            );
        }
    }

    #[test]
    fn bad_parameters_are_named() {
        let err = Distribution::Uniform { min: 3.0, max: 1.0 }
            .check()
            .unwrap_err();
        assert!(err.contains("min: 3"), "{err}");
        let err = Distribution::Exponential { mean: f64::NAN }
            .check()
            .unwrap_err();
        assert!(err.contains("mean"), "{err}");
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SimRng::seed_from_u64(3);
        for n in [1u64, 2, 7, 1000] {
            for _ in 0..1000 {
                assert!(rng.below(n) < n);
            }
        }
        assert_eq!(rng.below(0), 0);
    }
}
