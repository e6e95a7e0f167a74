//! # loosely-scenario
//!
//! The versioned JSON scenario format of loosely: what a person saves, shares and loads.
//!
//! ```text
//!   JSON text ──from_json──▶ Scenario (wire types, v1) ──validate──▶ Vec<Issue> (every problem)
//!                                  │
//!                                  └──lower──▶ Lowered { model, ids, duration } ──▶ Simulation
//!                                  └──build──▶ Built { simulation, ids, duration }
//! ```
//!
//! Parsing checks the shape (unknown fields are errors, with line and column); validation
//! checks the meaning and returns every problem with its JSON path; lowering turns the wire
//! types into the engine's [`loosely_engine::Model`]. Parameters left out take the frozen
//! defaults of format version 1 ([`v1`]), whatever the engine's defaults become later.
//!
//! ```
//! use loosely_scenario::Scenario;
//!
//! let json = r#"{
//!   "version": 1,
//!   "name": "Hello queue",
//!   "duration_seconds": 60,
//!   "components": [
//!     {"id": "orders", "kind": "sqs_queue"},
//!     {"id": "shop", "kind": "producer", "parameters": {"rate_per_second": 10}},
//!     {"id": "workers", "kind": "consumer", "parameters": {"workers": 2}}
//!   ],
//!   "connections": [{"from": "shop", "to": "orders"}, {"from": "orders", "to": "workers"}]
//! }"#;
//! let scenario = Scenario::from_json(json).expect("well-formed JSON");
//! assert!(scenario.validate().is_empty());
//! let mut built = scenario.build().expect("a valid scenario");
//! built.simulation.run_until(built.duration);
//! assert!(built.simulation.census().deleted > 500);
//!
//! let broken = Scenario::from_json(r#"{"version": 1, "duration_seconds": 0}"#).expect("parses");
//! let issues = broken.validate();
//! assert_eq!(issues[0].to_string(), "duration_seconds: 0 is outside 1..=31536000 seconds (one year)");
//! ```

pub mod csv;
mod distribution;
mod link;
mod lower;
pub mod sweep;
pub mod v1;
mod wire;

use loosely_engine::{SimTime, Simulation};

pub use distribution::Distribution;
pub use link::{decode_link, encode_link, LinkError, LINK_TAG, MAX_LINK_JSON_BYTES};
pub use lower::{Issue, Lowered};
pub use wire::*;

/// Why a text is not a scenario: the place (line, column, and the JSON path as far as it is
/// known) and serde's message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}line {line}, column {column}: {message}", path_prefix(.path))]
pub struct ParseError {
    /// 1-based line of the problem (0 when unknown).
    pub line: usize,
    /// 1-based column of the problem (0 when unknown).
    pub column: usize,
    /// The JSON path down to the problem, as far as the parser tracked it (`components[2]`).
    pub path: String,
    /// What is wrong, in serde's words (`unknown field \`Foo\`, expected one of ...`).
    pub message: String,
    pub kind: ParseErrorKind,
}

/// What kind of parse failure it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Not JSON at all (a syntax error).
    Syntax,
    /// The text ended too early.
    Eof,
    /// JSON, but not the shape of a scenario (a missing, unknown or mistyped field).
    Shape,
}

fn path_prefix(path: &str) -> String {
    if path.is_empty() || path == "." {
        String::new()
    } else {
        format!("{path}: ")
    }
}

/// A scenario built into a simulation at time zero.
#[derive(Debug)]
pub struct Built {
    pub simulation: Simulation,
    /// The scenario's expectations, to judge with [`loosely_engine::expect::evaluate`] or a
    /// [`loosely_engine::expect::Judge`].
    pub expectations: Vec<loosely_engine::expect::ExpectationSpec>,
    /// The scenario id of each engine component, by engine index.
    pub ids: Vec<String>,
    /// How long the scenario asks to run.
    pub duration: SimTime,
}

impl Scenario {
    /// Parses a scenario file. Checks the shape only; call [`Scenario::validate`] next.
    pub fn from_json(text: &str) -> Result<Scenario, ParseError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let result: Result<Scenario, _> = serde_path_to_error::deserialize(&mut deserializer);
        let scenario = result.map_err(|error| {
            let path = error.path().to_string();
            let inner = error.into_inner();
            parse_error(&inner, path)
        })?;
        deserializer
            .end()
            .map_err(|error| parse_error(&error, String::new()))?;
        Ok(scenario)
    }

    /// The scenario as indented JSON (parameters left out stay left out).
    pub fn to_json_pretty(&self) -> String {
        // Serializing these types cannot fail: every map key is a string and every number is
        // written as JSON can (a non-finite float becomes null).
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Every problem of the scenario, each with its JSON path; empty when it can be built.
    pub fn validate(&self) -> Vec<Issue> {
        lower::analyze(self).issues
    }

    /// The engine model of a valid scenario, or every problem.
    pub fn lower(&self) -> Result<Lowered, Vec<Issue>> {
        let analysis = lower::analyze(self);
        if analysis.issues.is_empty() {
            Ok(analysis.lowered)
        } else {
            Err(analysis.issues)
        }
    }

    /// Lowers the scenario and builds its simulation at time zero.
    pub fn build(&self) -> Result<Built, Vec<Issue>> {
        let Lowered {
            model,
            ids,
            duration,
            expectations,
        } = self.lower()?;
        match Simulation::new(model) {
            Ok(simulation) => Ok(Built {
                simulation,
                expectations,
                ids,
                duration,
            }),
            // Unreachable after a clean validation; kept as an error, never a panic.
            Err(loosely_engine::BuildError::Invalid(problems)) => Err(problems
                .into_iter()
                .map(|problem| Issue {
                    path: String::new(),
                    message: problem.to_string(),
                })
                .collect()),
        }
    }
}

fn parse_error(error: &serde_json::Error, path: String) -> ParseError {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
    ParseError {
        line: error.line(),
        column: error.column(),
        path,
        message,
        kind: match error.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                ParseErrorKind::Syntax
            }
            serde_json::error::Category::Eof => ParseErrorKind::Eof,
            serde_json::error::Category::Data => ParseErrorKind::Shape,
        },
    }
}

/// The JSON Schema (draft 2020-12) of scenario format v1, with a description on every field.
pub fn json_schema() -> serde_json::Value {
    schemars::schema_for!(Scenario).to_value()
}
