//! A parameter sweep in the page: the scenario run once per value of one setting, under the
//! same seed, one variant after another a slice per animation frame. The variants and the
//! figures are those of `loosely sweep` (`loosely_scenario::sweep`), so the page's chart and
//! the command line's table agree. Free of DOM types.

use loosely_engine::{SimTime, Simulation};
use loosely_scenario::sweep::{self, Outcome, Setting};
use loosely_scenario::Scenario;
use serde_json::Value;

use crate::compare::issues_text;

/// The figures a sweep can chart: a label, the column of [`Outcome::values`], and whether it
/// is seconds, dollars or a count.
pub const FIGURES: [(&str, usize, Unit); 7] = [
    ("Messages sent", 0, Unit::Count),
    ("Processed and deleted", 1, Unit::Count),
    ("Redelivered", 2, Unit::Count),
    ("Moved to a DLQ", 3, Unit::Count),
    ("Latency p50 (worst path)", 4, Unit::Seconds),
    ("Latency p99 (worst path)", 5, Unit::Seconds),
    ("Cost", 6, Unit::Dollars),
];

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unit {
    Count,
    Seconds,
    Dollars,
}

impl Unit {
    pub fn show(self, value: f64) -> String {
        if value.is_nan() {
            return "–".to_string();
        }
        match self {
            Unit::Count => format!("{value:.0}"),
            Unit::Seconds => format!("{value:.2} s"),
            Unit::Dollars => format!("${value:.4}"),
        }
    }
}

/// One sweep under way.
pub struct SweepRun {
    /// `components.<id>.<Parameter>`, as `loosely sweep --set` takes it.
    pub setting: Setting,
    variants: Vec<Scenario>,
    /// The variant running now: its simulation and how long it runs.
    current: Option<(Simulation, SimTime)>,
    /// The outcome of each finished variant, in order.
    pub outcomes: Vec<Outcome>,
}

impl SweepRun {
    /// Every variant is built and checked first: a value out of range is an error naming the
    /// setting, the value and the field, before anything runs.
    pub fn new(
        base: &Scenario,
        component: &str,
        parameter: &str,
        values: Vec<Value>,
    ) -> Result<SweepRun, String> {
        let setting = Setting {
            path: format!("components.{component}.{parameter}"),
            values,
        };
        let variants =
            sweep::variants(base, std::slice::from_ref(&setting)).map_err(|i| issues_text(&i))?;
        Ok(SweepRun {
            setting,
            variants: variants.into_iter().map(|(_, scenario)| scenario).collect(),
            current: None,
            outcomes: Vec::new(),
        })
    }

    pub fn total(&self) -> usize {
        self.variants.len()
    }

    pub fn finished(&self) -> bool {
        self.outcomes.len() >= self.variants.len()
    }

    /// Processes at most `budget` events of the variant under way, starting the next one
    /// when it ends (at its `duration_seconds`, or once every message is settled, as
    /// `loosely sweep` runs it); true once every variant has run.
    pub fn work(&mut self, budget: u32) -> Result<bool, String> {
        if self.finished() {
            return Ok(true);
        }
        if self.current.is_none() {
            let variant = &self.variants[self.outcomes.len()];
            let built = variant.build().map_err(|issues| issues_text(&issues))?;
            self.current = Some((built.simulation, built.duration));
        }
        let Some((simulation, duration)) = self.current.as_mut() else {
            return Ok(false);
        };
        let mut ended = false;
        for _ in 0..budget {
            if simulation.is_settled() {
                ended = true;
                break;
            }
            match simulation.next_event_time() {
                Some(at) if at <= *duration => {
                    simulation.step();
                }
                _ => {
                    simulation.run_until(*duration);
                    ended = true;
                    break;
                }
            }
            // Metric samples stay in the simulation's own bounded history; the trace is off.
            simulation.drain_metrics();
        }
        if ended {
            self.outcomes.push(Outcome::of(simulation));
            self.current = None;
        }
        Ok(self.finished())
    }

    /// The value of each variant as a label (`30`, `true`, `poisson`).
    pub fn labels(&self) -> Vec<String> {
        self.setting.values.iter().map(sweep::cell).collect()
    }

    /// The finished rows as `loosely sweep --csv` writes them.
    pub fn csv(&self) -> String {
        let rows: Vec<sweep::Row> = self
            .setting
            .values
            .iter()
            .zip(&self.outcomes)
            .map(|(value, outcome)| sweep::Row {
                values: vec![value.clone()],
                outcome: *outcome,
            })
            .collect();
        sweep::csv(std::slice::from_ref(&self.setting), &rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Scenario {
        Scenario::from_json(include_str!(
            "../examples/visibility-timeout-too-short.json"
        ))
        .expect("the example parses")
    }

    #[test]
    fn a_sweep_in_slices_gives_the_command_lines_figures() {
        let scenario = example();
        let component = "video-jobs";
        let values = vec![Value::from(10), Value::from(60), Value::from(120)];
        let mut run =
            SweepRun::new(&scenario, component, "VisibilityTimeout", values).expect("valid");
        assert_eq!(run.total(), 3);
        let mut slices = 0;
        while !run.work(300).expect("runs") {
            slices += 1;
        }
        assert!(slices > 3, "the work was cut into slices: {slices}");
        let whole = sweep::run(&scenario, std::slice::from_ref(&run.setting)).expect("runs");
        let expected: Vec<Outcome> = whole.iter().map(|row| row.outcome).collect();
        // NaN != NaN: compare the figures as text.
        assert_eq!(format!("{:?}", run.outcomes), format!("{expected:?}"));
        // A short visibility timeout redelivers more than a long one.
        assert!(run.outcomes[0].redelivered > run.outcomes[2].redelivered);
        assert_eq!(run.labels(), ["10", "60", "120"]);
        assert!(run.csv().starts_with(&format!(
            "components.{component}.VisibilityTimeout,sent,deleted"
        )));
    }

    #[test]
    fn a_value_out_of_range_is_refused_before_anything_runs() {
        let scenario = example();
        let error = SweepRun::new(
            &scenario,
            "video-jobs",
            "VisibilityTimeout",
            vec![Value::from(30), Value::from(99_999)],
        )
        .err()
        .unwrap_or_default();
        assert!(error.contains("VisibilityTimeout=99999"), "{error}");
    }
}
