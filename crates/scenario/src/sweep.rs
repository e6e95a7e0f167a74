//! Parameter sweeps: the same scenario run once per value of one or more parameters, under
//! the same seed, with the outcomes side by side (the CLI's `loosely sweep` prints them as a
//! table or CSV; the playground draws them as a chart).
//!
//! ```
//! use loosely_scenario::{sweep, Scenario};
//!
//! let scenario = Scenario::from_json(r#"{"version": 1, "duration_seconds": 60,
//!   "components": [{"id": "orders", "kind": "sqs_queue"},
//!                  {"id": "shop", "kind": "producer", "parameters": {"rate_per_second": 10}},
//!                  {"id": "workers", "kind": "consumer"}],
//!   "connections": [{"from": "shop", "to": "orders"}, {"from": "orders", "to": "workers"}]}"#).unwrap();
//! let set = sweep::Setting::parse("components.workers.workers=1,2,4").unwrap();
//! let rows = sweep::run(&scenario, &[set]).unwrap();
//! assert_eq!(rows.len(), 3);
//! assert!(rows[2].outcome.latency_p99_seconds < rows[0].outcome.latency_p99_seconds);
//! ```

use loosely_engine::expect::{measure, Measure};
use loosely_engine::Simulation;
use serde_json::Value;

use crate::{Issue, Scenario};

/// Most variants one sweep runs (the product of the value counts).
pub const MAX_VARIANTS: usize = 1000;

/// One `--set PATH=V1,V2,...`: a parameter and the values it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// `components.<id>.<Parameter>` (deeper with more dots: `components.orders.RedrivePolicy.maxReceiveCount`), or a top-level field such as `seed` or `duration_seconds`.
    pub path: String,
    pub values: Vec<Value>,
}

impl Setting {
    /// Parses `PATH=V1,V2,...`. Each value is JSON when it parses as JSON (`30`, `true`,
    /// `"text"`), else text (`poisson`).
    pub fn parse(text: &str) -> Result<Setting, Issue> {
        let Some((path, values)) = text.split_once('=') else {
            return Err(Issue {
                path: text.to_string(),
                message: "expected PATH=V1,V2,... (components.orders.VisibilityTimeout=10,30,60)"
                    .to_string(),
            });
        };
        let path = path.trim();
        if path.is_empty() || path.split('.').any(str::is_empty) {
            return Err(Issue {
                path: path.to_string(),
                message: "a path is dot-separated names: components.<id>.<Parameter> or a top-level field such as seed".to_string(),
            });
        }
        let values: Vec<Value> = values
            .split(',')
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(|value| {
                serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()))
            })
            .collect();
        if values.is_empty() {
            return Err(Issue {
                path: path.to_string(),
                message: "no values after =".to_string(),
            });
        }
        Ok(Setting {
            path: path.to_string(),
            values,
        })
    }
}

/// Writes `value` at `path` in a copy of the scenario; the result is parsed and validated
/// like a file, so a wrong name or an out-of-range value is an issue naming the field.
pub fn apply(scenario: &Scenario, path: &str, value: &Value) -> Result<Scenario, Vec<Issue>> {
    let issue = |message: String| {
        vec![Issue {
            path: path.to_string(),
            message,
        }]
    };
    let Ok(mut document) = serde_json::to_value(scenario) else {
        return Err(issue("the scenario cannot be written as JSON".to_string()));
    };
    let mut names = path.split('.');
    let first = names.next().unwrap_or_default();
    let mut target = if first == "components" {
        let Some(id) = names.next() else {
            return Err(issue(
                "name a component: components.<id>.<Parameter>".to_string(),
            ));
        };
        let index = scenario.components.iter().position(|c| c.id() == id);
        let Some(index) = index else {
            return Err(issue(format!("no component has the id \"{id}\"")));
        };
        let Some(node) = document
            .get_mut("components")
            .and_then(|components| components.get_mut(index))
        else {
            return Err(issue("the scenario cannot be written as JSON".to_string()));
        };
        let Some(parameters) = node.as_object_mut() else {
            return Err(issue("the scenario cannot be written as JSON".to_string()));
        };
        parameters
            .entry("parameters")
            .or_insert_with(|| Value::Object(Default::default()))
    } else {
        let Some(root) = document.as_object_mut() else {
            return Err(issue("the scenario cannot be written as JSON".to_string()));
        };
        if !root.contains_key(first)
            && !matches!(
                first,
                "description" | "connections" | "alarms" | "expectations"
            )
        {
            return Err(issue(format!(
                "\"{first}\" is not a top-level field of a scenario (seed, duration_seconds, limit_profile, metric_period_seconds, free_tier) nor components.<id>.<Parameter>"
            )));
        }
        root.entry(first).or_insert(Value::Null)
    };
    let rest: Vec<&str> = names.collect();
    if first == "components" && rest.is_empty() {
        return Err(issue(
            "name a parameter: components.<id>.<Parameter>".to_string(),
        ));
    }
    for (depth, name) in rest.iter().enumerate() {
        if !target.is_object() {
            *target = Value::Object(Default::default());
        }
        let Some(object) = target.as_object_mut() else {
            return Err(issue("not an object".to_string()));
        };
        target = object
            .entry(name.to_string())
            .or_insert(if depth + 1 == rest.len() {
                Value::Null
            } else {
                Value::Object(Default::default())
            });
    }
    *target = value.clone();
    let text = document.to_string();
    let changed = Scenario::from_json(&text).map_err(|error| issue(error.message))?;
    let issues = changed.validate();
    if issues.is_empty() {
        Ok(changed)
    } else {
        Err(issues)
    }
}

/// The figures a sweep compares, for a whole scenario.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Send attempts.
    pub sent: f64,
    /// Messages deleted by consumers (delivered and processed).
    pub deleted: f64,
    /// Messages received more than once.
    pub redelivered: f64,
    /// Messages moved to a dead-letter queue.
    pub moved_to_dlq: f64,
    /// Send-to-delete latency of the slowest consumer pool, seconds; NaN when nothing was
    /// deleted.
    pub latency_p50_seconds: f64,
    pub latency_p99_seconds: f64,
    pub cost_usd: f64,
}

impl Outcome {
    pub fn of(simulation: &Simulation) -> Outcome {
        let deleted = measure(simulation, Measure::Deleted(None));
        let latency = |measured| {
            if deleted > 0.0 {
                measure(simulation, measured)
            } else {
                f64::NAN
            }
        };
        Outcome {
            sent: measure(simulation, Measure::Sent(None)),
            deleted,
            redelivered: measure(simulation, Measure::Redelivered(None)),
            moved_to_dlq: measure(simulation, Measure::MovedToDlq(None)),
            latency_p50_seconds: latency(Measure::LatencyP50(None)),
            latency_p99_seconds: latency(Measure::LatencyP99(None)),
            cost_usd: measure(simulation, Measure::CostUsd),
        }
    }

    /// Column names, as in the CSV header.
    pub const COLUMNS: [&'static str; 7] = [
        "sent",
        "deleted",
        "redelivered",
        "moved_to_dlq",
        "latency_p50_seconds",
        "latency_p99_seconds",
        "cost_usd",
    ];

    pub fn values(&self) -> [f64; 7] {
        [
            self.sent,
            self.deleted,
            self.redelivered,
            self.moved_to_dlq,
            self.latency_p50_seconds,
            self.latency_p99_seconds,
            self.cost_usd,
        ]
    }
}

/// One variant of a sweep: the value of each setting, and what the run gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The value of each setting, in the order of the settings.
    pub values: Vec<Value>,
    pub outcome: Outcome,
}

/// Every variant (the product of the settings' values, the first setting varying slowest),
/// each a valid scenario, or every problem (each naming the setting and the field).
pub fn variants(
    scenario: &Scenario,
    settings: &[Setting],
) -> Result<Vec<(Vec<Value>, Scenario)>, Vec<Issue>> {
    let count = settings.iter().try_fold(1usize, |count, setting| {
        count.checked_mul(setting.values.len())
    });
    match count {
        Some(count) if count <= MAX_VARIANTS => {}
        _ => {
            return Err(vec![Issue {
                path: settings
                    .iter()
                    .map(|s| s.path.as_str())
                    .collect::<Vec<_>>()
                    .join(" × "),
                message: format!("more than {MAX_VARIANTS} variants"),
            }])
        }
    }
    let mut out: Vec<(Vec<Value>, Scenario)> = vec![(Vec::new(), scenario.clone())];
    let mut issues = Vec::new();
    for setting in settings {
        let mut next = Vec::new();
        for (values, base) in &out {
            for value in &setting.values {
                match apply(base, &setting.path, value) {
                    Ok(changed) => {
                        let mut values = values.clone();
                        values.push(value.clone());
                        next.push((values, changed));
                    }
                    Err(found) => {
                        for issue in found {
                            let setting_text = format!("{}={}", setting.path, cell(value));
                            let issue = Issue {
                                path: if issue.path == setting.path {
                                    setting_text
                                } else {
                                    format!("{setting_text}: {}", issue.path)
                                },
                                message: issue.message,
                            };
                            if !issues.contains(&issue) {
                                issues.push(issue);
                            }
                        }
                    }
                }
            }
        }
        out = next;
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(issues)
    }
}

/// Runs one variant to its `duration_seconds` (or until every message is settled).
pub fn run_variant(scenario: &Scenario) -> Result<Outcome, Vec<Issue>> {
    let built = scenario.build()?;
    let mut simulation = built.simulation;
    simulation.run_until_settled(built.duration);
    Ok(Outcome::of(&simulation))
}

/// Runs every variant under the scenario's seed (a `seed` setting changes it per variant).
pub fn run(scenario: &Scenario, settings: &[Setting]) -> Result<Vec<Row>, Vec<Issue>> {
    variants(scenario, settings)?
        .into_iter()
        .map(|(values, variant)| {
            Ok(Row {
                values,
                outcome: run_variant(&variant)?,
            })
        })
        .collect()
}

/// A value as a table cell: text without quotes, anything else as JSON.
pub fn cell(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The rows as CSV: one column per setting, then [`Outcome::COLUMNS`].
pub fn csv(settings: &[Setting], rows: &[Row]) -> String {
    let mut header: Vec<String> = settings
        .iter()
        .map(|s| crate::csv::field(&s.path))
        .collect();
    header.extend(Outcome::COLUMNS.iter().map(|c| c.to_string()));
    let mut text = header.join(",");
    text.push('\n');
    for row in rows {
        let mut cells: Vec<String> = row
            .values
            .iter()
            .map(|v| crate::csv::field(&cell(v)))
            .collect();
        cells.extend(row.outcome.values().iter().map(|v| crate::csv::number(*v)));
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}
