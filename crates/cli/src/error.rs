//! The CLI's errors, shaped `Error { context, kind }`: the context is the file the problem
//! is in, the kind says what went wrong.

use loosely_engine::asl::AslIssue;
use loosely_scenario::{Issue, ParseError};

#[derive(Debug, thiserror::Error)]
#[error("{context}: {kind}")]
pub struct CliError {
    /// The file (as given on the command line).
    pub context: String,
    pub kind: ErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("cannot read the file: {0}")]
    Read(std::io::Error),
    #[error("cannot write the file: {0}")]
    Write(std::io::Error),
    #[error("not a scenario: {0}")]
    Parse(ParseError),
    #[error("{} problem(s) in the scenario", .0.len())]
    Invalid(Vec<Issue>),
    #[error("{} problem(s) in the state machine definition", .0.len())]
    InvalidAsl(Vec<AslIssue>),
    /// A value given on the command line that cannot be used, in one sentence.
    #[error("{0}")]
    Input(String),
}
