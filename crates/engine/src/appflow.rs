//! Amazon AppFlow specs: a flow's source and destination connectors, its trigger, its tasks
//! (with AWS's `taskType` and operator names), the record generator that stands in for the
//! SaaS application, and their validation; the pure parts of a run (schedule expressions,
//! record generation, task evaluation).
//!
//! The runtime (triggers, runs, history, deactivation) is `appflow_runtime.rs`, a child
//! module of `sim`.
//!
//! Simplifications: a flow reads generated records instead of a SaaS API; `Map`,
//! `Map_all`, `Mask`, `Truncate`, `Arithmetic`, `Merge` and `Passthrough` tasks are checked
//! but change no record's fate (only filters and validations decide whether a record is
//! transferred); connection profiles, the timezone, `firstExecutionFrom`, write operations
//! and partitioning are not modelled.

use crate::model::{ComponentId, ComponentKind, Model};
use crate::rng::SimRng;
use crate::time::SimDuration;

/// AppFlow's documented limit of data per flow run: 100 GB (reference 8.5, an older
/// user-guide copy ⚠️; connectors may have lower limits, see [`ConnectorType::max_bytes_per_run`]).
pub const MAX_BYTES_PER_RUN: u64 = 100 * 1_000_000_000;

/// Runs kept in a flow's history (AWS keeps more; `DescribeFlowExecutionRecords` pages
/// through them 20 at a time).
pub const RUN_HISTORY: usize = 100;

/// Records of one run evaluated one by one; a larger run evaluates this many and splits the
/// rest in the same proportions, so a run's work stays bounded.
pub const EVALUATED_RECORDS_PER_RUN: u64 = 200_000;

/// `flowErrorDeactivationThreshold` range (botocore: 1..=100).
pub const DEACTIVATION_THRESHOLD_RANGE: (u32, u32) = (1, 100);

/// `scheduleOffset` range in seconds (botocore: 0..=36000).
pub const MAX_SCHEDULE_OFFSET_SECONDS: u64 = 36_000;

/// Price of one flow run, US dollars (reference 9 ⚠️: $0.001 per flow run).
pub const PRICE_PER_RUN_USD: f64 = 0.001;
/// Price of data processed, US dollars per GB (reference 9 ⚠️: about $0.02 per GB to AWS
/// destinations; charged here on every byte a run reads).
pub const PRICE_PER_GB_USD: f64 = 0.02;

/// A connector type with the name of AppFlow's `ConnectorType` enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectorType {
    Salesforce,
    Pardot,
    Marketo,
    Zendesk,
    Servicenow,
    Slack,
    Googleanalytics,
    Amplitude,
    Datadog,
    Dynatrace,
    Infornexus,
    Singular,
    Trendmicro,
    Veeva,
    SapoData,
    Snowflake,
    Upsolver,
    S3,
    Redshift,
    EventBridge,
    LookoutMetrics,
    CustomerProfiles,
    Honeycode,
}

/// Which connector is a source, a destination, or both, and which emits change events.
///
/// From the AppFlow user guide's "Supported source and destination applications" and the
/// per-connector pages (reference 8.4; the direction per connector is from those pages as
/// stored, ⚠️ where AWS-managed custom connectors add directions): Slack, Google Analytics,
/// Amplitude, Datadog, Dynatrace, Infor Nexus, Singular, Trend Micro, Veeva and Pardot are
/// sources only; Snowflake, Upsolver, Redshift, EventBridge, Lookout for Metrics, Customer
/// Profiles and Honeycode are destinations only; Salesforce, Marketo, Zendesk, ServiceNow,
/// SAP OData and S3 are both. Only Salesforce emits the change events an `Event` trigger
/// runs on (change data capture and platform events, reference 8.2).
const CONNECTORS: &[(ConnectorType, &str, bool, bool, bool, u32)] = &[
    // (type, AWS name, source, destination, events, records per API call)
    (
        ConnectorType::Salesforce,
        "Salesforce",
        true,
        true,
        true,
        2_000,
    ),
    (ConnectorType::Pardot, "Pardot", true, false, false, 200),
    (ConnectorType::Marketo, "Marketo", true, true, false, 300),
    (ConnectorType::Zendesk, "Zendesk", true, true, false, 100),
    (
        ConnectorType::Servicenow,
        "Servicenow",
        true,
        true,
        false,
        1_000,
    ),
    (ConnectorType::Slack, "Slack", true, false, false, 200),
    (
        ConnectorType::Googleanalytics,
        "Googleanalytics",
        true,
        false,
        false,
        10_000,
    ),
    (
        ConnectorType::Amplitude,
        "Amplitude",
        true,
        false,
        false,
        1_000,
    ),
    (ConnectorType::Datadog, "Datadog", true, false, false, 1_000),
    (
        ConnectorType::Dynatrace,
        "Dynatrace",
        true,
        false,
        false,
        500,
    ),
    (
        ConnectorType::Infornexus,
        "Infornexus",
        true,
        false,
        false,
        100,
    ),
    (
        ConnectorType::Singular,
        "Singular",
        true,
        false,
        false,
        1_000,
    ),
    (
        ConnectorType::Trendmicro,
        "Trendmicro",
        true,
        false,
        false,
        100,
    ),
    (ConnectorType::Veeva, "Veeva", true, false, false, 1_000),
    (
        ConnectorType::SapoData,
        "SAPOData",
        true,
        true,
        false,
        1_000,
    ),
    (
        ConnectorType::Snowflake,
        "Snowflake",
        false,
        true,
        false,
        10_000,
    ),
    (
        ConnectorType::Upsolver,
        "Upsolver",
        false,
        true,
        false,
        10_000,
    ),
    (ConnectorType::S3, "S3", true, true, false, 10_000),
    (
        ConnectorType::Redshift,
        "Redshift",
        false,
        true,
        false,
        10_000,
    ),
    (
        ConnectorType::EventBridge,
        "EventBridge",
        false,
        true,
        false,
        10,
    ),
    (
        ConnectorType::LookoutMetrics,
        "LookoutMetrics",
        false,
        true,
        false,
        1_000,
    ),
    (
        ConnectorType::CustomerProfiles,
        "CustomerProfiles",
        false,
        true,
        false,
        1_000,
    ),
    (
        ConnectorType::Honeycode,
        "Honeycode",
        false,
        true,
        false,
        100,
    ),
];

impl ConnectorType {
    fn row(self) -> (ConnectorType, &'static str, bool, bool, bool, u32) {
        CONNECTORS
            .iter()
            .copied()
            .find(|row| row.0 == self)
            .unwrap_or((self, "S3", true, true, false, 10_000))
    }

    /// The name of AppFlow's `ConnectorType` enum.
    pub fn as_str(self) -> &'static str {
        self.row().1
    }

    /// Parses an AppFlow `ConnectorType` name.
    pub fn parse(name: &str) -> Option<ConnectorType> {
        CONNECTORS.iter().find(|row| row.1 == name).map(|row| row.0)
    }

    /// Every name, for error messages.
    pub fn names(sources: bool) -> Vec<&'static str> {
        CONNECTORS
            .iter()
            .filter(|row| if sources { row.2 } else { row.3 })
            .map(|row| row.1)
            .collect()
    }

    pub fn is_source(self) -> bool {
        self.row().2
    }

    pub fn is_destination(self) -> bool {
        self.row().3
    }

    /// Whether the connector emits the change events an `Event` trigger runs on.
    pub fn emits_events(self) -> bool {
        self.row().4
    }

    /// Records one API call returns or writes (the simulation's figure per connector ⚠️;
    /// Salesforce's REST query returns batches of up to 2,000 records).
    pub fn default_page_size(self) -> u32 {
        self.row().5
    }

    /// The connector's own data limit per run, bytes (reference 8.5 ⚠️: Amplitude 25 MB
    /// per run, Marketo 500 MB per export run), else AppFlow's 100 GB.
    pub fn max_bytes_per_run(self) -> u64 {
        match self {
            ConnectorType::Amplitude => 25_000_000,
            ConnectorType::Marketo => 500_000_000,
            _ => MAX_BYTES_PER_RUN,
        }
    }
}

/// `dataPullMode` of a scheduled flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DataPullMode {
    /// Records changed since the last successful run (the first run pulls every record).
    #[default]
    Incremental,
    /// A full snapshot every run.
    Complete,
}

impl DataPullMode {
    pub fn as_str(self) -> &'static str {
        match self {
            DataPullMode::Incremental => "Incremental",
            DataPullMode::Complete => "Complete",
        }
    }
}

/// `ScheduledTriggerProperties` with times from the start of the simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleSpec {
    /// `scheduleExpression` as written (`rate(5minutes)`).
    pub expression: String,
    /// The interval the expression means.
    pub interval: SimDuration,
    pub data_pull_mode: DataPullMode,
    /// `scheduleStartTime`: from the start of the simulation.
    pub start: SimDuration,
    /// `scheduleEndTime`: no trigger at or after it.
    pub end: Option<SimDuration>,
    /// `scheduleOffset`: added to every trigger time, seconds 0..=36000.
    pub offset: SimDuration,
    /// `flowErrorDeactivationThreshold`: consecutive failed runs before the flow is
    /// deactivated (1..=100); None never deactivates.
    pub deactivation_threshold: Option<u32>,
}

/// `triggerConfig.triggerType` and its properties.
#[derive(Clone, Debug, PartialEq)]
pub enum TriggerSpec {
    /// Runs on `StartFlow` only ([`crate::Command::StartFlow`]).
    OnDemand,
    /// Runs on the source's change events, one run per batch of changes collected over
    /// `batch_window` (the simulation's figure ⚠️: AWS runs per event batch without
    /// documenting its size).
    Event {
        batch_window: SimDuration,
    },
    Scheduled(ScheduleSpec),
}

impl TriggerSpec {
    pub fn as_str(&self) -> &'static str {
        match self {
            TriggerSpec::OnDemand => "OnDemand",
            TriggerSpec::Event { .. } => "Event",
            TriggerSpec::Scheduled(_) => "Scheduled",
        }
    }
}

/// Parses `rate(N minutes|hours|days)` (spaces optional, singular or plural unit) into its
/// interval; the error names the allowed forms and range.
pub fn parse_rate(expression: &str) -> Result<SimDuration, String> {
    let allowed = "allowed: rate(N minutes), rate(N hours) or rate(N days), at least 1 minute and at most 365 days";
    let inner = expression
        .trim()
        .strip_prefix("rate(")
        .and_then(|rest| rest.strip_suffix(')'))
        .ok_or_else(|| format!("\"{expression}\" is not a rate expression; {allowed}"))?;
    let inner = inner.trim();
    let digits_end = inner
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(inner.len());
    let (number, unit) = inner.split_at(digits_end);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("\"{expression}\" has no whole number of units; {allowed}"))?;
    let unit_seconds = match unit.trim() {
        "minute" | "minutes" => 60,
        "hour" | "hours" => 3_600,
        "day" | "days" => 86_400,
        other => {
            return Err(format!(
                "\"{other}\" is not a unit of \"{expression}\"; {allowed}"
            ))
        }
    };
    let seconds = number.saturating_mul(unit_seconds);
    if !(60..=365 * 86_400).contains(&seconds) {
        return Err(format!("\"{expression}\" is every {seconds} s; {allowed}"));
    }
    Ok(SimDuration::from_secs(seconds))
}

/// A field's type in the record generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FieldType {
    #[default]
    Number,
    String,
}

/// One field of the generated records, with the share of bad values validations catch.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FieldSpec {
    pub name: String,
    pub field_type: FieldType,
    /// Numbers: uniform between `min` and `max`, rounded to two decimals.
    pub min: f64,
    pub max: f64,
    /// Strings: one of these, uniformly.
    pub choices: Vec<String>,
    /// Share of records where the field is null.
    pub null_share: f64,
    /// Numbers: share of records where the value is 0.
    pub zero_share: f64,
    /// Numbers: share of records where the value is negated (below zero).
    pub negative_share: f64,
    /// Numbers: share of records where the value is text that is not a number ("n/a").
    pub non_numeric_share: f64,
}

/// A generated value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Null,
    Number(f64),
    /// Index into the field's choices.
    Choice(u32),
    /// Text that is not a number.
    NonNumeric,
}

impl FieldSpec {
    /// Draws this field's value of one record.
    pub fn draw(&self, rng: &mut SimRng) -> Value {
        let u = rng.next_f64();
        if u < self.null_share {
            return Value::Null;
        }
        match self.field_type {
            FieldType::String => {
                let count = self.choices.len().max(1) as u64;
                Value::Choice(rng.below(count) as u32)
            }
            FieldType::Number => {
                let u = u - self.null_share;
                if u < self.non_numeric_share {
                    return Value::NonNumeric;
                }
                if u < self.non_numeric_share + self.zero_share {
                    return Value::Number(0.0);
                }
                let raw = self.min + (self.max - self.min) * rng.next_f64();
                let value = libm::round(raw * 100.0) / 100.0;
                if rng.next_f64() < self.negative_share {
                    Value::Number(-libm::fabs(value))
                } else {
                    Value::Number(value)
                }
            }
        }
    }

    fn text(&self, value: Value) -> Option<&str> {
        match value {
            Value::Choice(index) => self.choices.get(index as usize).map(String::as_str),
            Value::NonNumeric => Some("n/a"),
            _ => None,
        }
    }

    fn number(&self, value: Value) -> Option<f64> {
        match value {
            Value::Number(n) => Some(n),
            Value::Choice(_) => self.text(value).and_then(|t| t.trim().parse().ok()),
            _ => None,
        }
    }
}

/// A comparison of a `Filter` task.
#[derive(Clone, Debug, PartialEq)]
pub enum Comparison {
    LessThan(f64),
    GreaterThan(f64),
    LessThanOrEqualTo(f64),
    GreaterThanOrEqualTo(f64),
    Between(f64, f64),
    EqualTo(String),
    NotEqualTo(String),
    Contains(String),
}

/// A `Validate` task's check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidationCheck {
    NonNull,
    NonZero,
    NonNegative,
    Numeric,
}

/// `VALIDATION_ACTION`. AWS's API model leaves the values as free text; the console offers
/// "Ignore record" and "Terminate flow", which the API spells `DropRecord` and
/// `TerminateFlow` (the documented reading we follow; reference 8.3 marks the values ⚠️).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidationAction {
    DropRecord,
    TerminateFlow,
}

/// A task, reduced to what decides a record's fate.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskSpec {
    /// A `Filter` task with `PROJECTION`: only these fields are transferred.
    Projection(Vec<usize>),
    /// A `Filter` task with a comparison: records that fail it are filtered out.
    Filter {
        field: usize,
        comparison: Comparison,
    },
    Validate {
        field: usize,
        check: ValidationCheck,
        action: ValidationAction,
    },
    /// `Map`, `Map_all`, `Mask`, `Truncate`, `Arithmetic`, `Merge`, `Passthrough`: checked,
    /// and changing no record's fate.
    Transform { task_type: &'static str },
}

/// A task as AWS writes it, in plain strings, for [`TaskSpec::from_aws`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AwsTask {
    pub task_type: String,
    pub source_fields: Vec<String>,
    /// The operator of `connectorOperator` (whatever connector key it was under).
    pub operator: String,
    pub task_properties: Vec<(String, String)>,
}

const TASK_TYPES: &[&str] = &[
    "Arithmetic",
    "Filter",
    "Map",
    "Map_all",
    "Mask",
    "Merge",
    "Passthrough",
    "Truncate",
    "Validate",
];

impl TaskSpec {
    /// Reads an AWS task against the flow's fields. Errors are (field of the task, message).
    pub fn from_aws(task: &AwsTask, fields: &[FieldSpec]) -> Result<TaskSpec, (String, String)> {
        let err = |field: &str, message: String| Err((field.to_string(), message));
        let field_index = |name: &str| fields.iter().position(|f| f.name == name);
        let property = |key: &str| {
            task.task_properties
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let Some(&task_type) = TASK_TYPES.iter().find(|t| **t == task.task_type) else {
            return err(
                "taskType",
                format!(
                    "\"{}\" is not a task type; allowed: {}",
                    task.task_type,
                    TASK_TYPES.join(", ")
                ),
            );
        };
        let mut indexes = Vec::new();
        for (i, name) in task.source_fields.iter().enumerate() {
            match field_index(name) {
                Some(index) => indexes.push(index),
                None if task_type == "Map_all" => {}
                None => {
                    return err(
                        &format!("sourceFields[{i}]"),
                        format!(
                            "\"{name}\" is not a field of the source; fields: {}",
                            fields
                                .iter()
                                .map(|f| f.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                }
            }
        }
        let one_field = || -> Result<usize, (String, String)> {
            match indexes.as_slice() {
                [index] => Ok(*index),
                _ => Err((
                    "sourceFields".into(),
                    format!(
                        "{} fields; a {task_type} task with operator {} names exactly 1",
                        indexes.len(),
                        task.operator
                    ),
                )),
            }
        };
        let number = |key: &str| -> Result<f64, (String, String)> {
            let raw = property(key).ok_or_else(|| {
                (
                    format!("taskProperties.{key}"),
                    format!("missing; {} compares with a number in {key}", task.operator),
                )
            })?;
            raw.trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| {
                    (
                        format!("taskProperties.{key}"),
                        format!("\"{raw}\" is not a number"),
                    )
                })
        };
        let text = |key: &str| -> Result<String, (String, String)> {
            property(key).map(str::to_string).ok_or_else(|| {
                (
                    format!("taskProperties.{key}"),
                    format!("missing; {} compares with {key}", task.operator),
                )
            })
        };
        match task_type {
            "Filter" => {
                let comparison = match task.operator.as_str() {
                    "PROJECTION" => {
                        if indexes.is_empty() {
                            return err("sourceFields", "a PROJECTION names at least one field".into());
                        }
                        return Ok(TaskSpec::Projection(indexes));
                    }
                    "LESS_THAN" => Comparison::LessThan(number("VALUE")?),
                    "GREATER_THAN" => Comparison::GreaterThan(number("VALUE")?),
                    "LESS_THAN_OR_EQUAL_TO" => Comparison::LessThanOrEqualTo(number("VALUE")?),
                    "GREATER_THAN_OR_EQUAL_TO" => {
                        Comparison::GreaterThanOrEqualTo(number("VALUE")?)
                    }
                    "BETWEEN" => {
                        let lower = number("LOWER_BOUND")?;
                        let upper = number("UPPER_BOUND")?;
                        if lower > upper {
                            return err(
                                "taskProperties.LOWER_BOUND",
                                format!("{lower} is above UPPER_BOUND {upper}"),
                            );
                        }
                        Comparison::Between(lower, upper)
                    }
                    "EQUAL_TO" => Comparison::EqualTo(text("VALUE")?),
                    "NOT_EQUAL_TO" => Comparison::NotEqualTo(text("VALUE")?),
                    "CONTAINS" => Comparison::Contains(text("VALUE")?),
                    other => {
                        return err(
                            "connectorOperator",
                            format!("\"{other}\" is not a Filter operator; allowed: PROJECTION, LESS_THAN, GREATER_THAN, LESS_THAN_OR_EQUAL_TO, GREATER_THAN_OR_EQUAL_TO, BETWEEN, EQUAL_TO, NOT_EQUAL_TO, CONTAINS"),
                        )
                    }
                };
                Ok(TaskSpec::Filter {
                    field: one_field()?,
                    comparison,
                })
            }
            "Validate" => {
                let check = match task.operator.as_str() {
                    "VALIDATE_NON_NULL" => ValidationCheck::NonNull,
                    "VALIDATE_NON_ZERO" => ValidationCheck::NonZero,
                    "VALIDATE_NON_NEGATIVE" => ValidationCheck::NonNegative,
                    "VALIDATE_NUMERIC" => ValidationCheck::Numeric,
                    other => {
                        return err(
                            "connectorOperator",
                            format!("\"{other}\" is not a Validate operator; allowed: VALIDATE_NON_NULL, VALIDATE_NON_ZERO, VALIDATE_NON_NEGATIVE, VALIDATE_NUMERIC"),
                        )
                    }
                };
                let action = match property("VALIDATION_ACTION") {
                    Some("DropRecord") => ValidationAction::DropRecord,
                    Some("TerminateFlow") => ValidationAction::TerminateFlow,
                    Some(other) => {
                        return err(
                            "taskProperties.VALIDATION_ACTION",
                            format!("\"{other}\" is not an action; allowed: DropRecord, TerminateFlow"),
                        )
                    }
                    None => {
                        return err(
                            "taskProperties.VALIDATION_ACTION",
                            "missing; allowed: DropRecord, TerminateFlow".into(),
                        )
                    }
                };
                Ok(TaskSpec::Validate {
                    field: one_field()?,
                    check,
                    action,
                })
            }
            "Truncate" => {
                let length = number("TRUNCATE_LENGTH")?;
                if length < 0.0 {
                    return err("taskProperties.TRUNCATE_LENGTH", format!("{length} is below 0"));
                }
                Ok(TaskSpec::Transform { task_type })
            }
            "Mask" => match task.operator.as_str() {
                "MASK_ALL" | "MASK_FIRST_N" | "MASK_LAST_N" | "NO_OP" => {
                    Ok(TaskSpec::Transform { task_type })
                }
                other => err(
                    "connectorOperator",
                    format!("\"{other}\" is not a Mask operator; allowed: MASK_ALL, MASK_FIRST_N, MASK_LAST_N"),
                ),
            },
            "Arithmetic" => match task.operator.as_str() {
                "ADDITION" | "SUBTRACTION" | "MULTIPLICATION" | "DIVISION" => {
                    Ok(TaskSpec::Transform { task_type })
                }
                other => err(
                    "connectorOperator",
                    format!("\"{other}\" is not an Arithmetic operator; allowed: ADDITION, SUBTRACTION, MULTIPLICATION, DIVISION"),
                ),
            },
            _ => Ok(TaskSpec::Transform { task_type }),
        }
    }
}

/// What happened to one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFate {
    Transferred,
    Filtered,
    /// Failed a validation with `DropRecord`.
    Invalid,
    /// Failed a validation with `TerminateFlow`: the run ends in `Error`.
    Terminate,
}

/// Applies the tasks, in order, to one record's values.
pub fn record_fate(tasks: &[TaskSpec], fields: &[FieldSpec], values: &[Value]) -> RecordFate {
    for task in tasks {
        match task {
            TaskSpec::Filter { field, comparison } => {
                let (Some(spec), Some(&value)) = (fields.get(*field), values.get(*field)) else {
                    continue;
                };
                let keep = match comparison {
                    Comparison::LessThan(x) => spec.number(value).is_some_and(|n| n < *x),
                    Comparison::GreaterThan(x) => spec.number(value).is_some_and(|n| n > *x),
                    Comparison::LessThanOrEqualTo(x) => spec.number(value).is_some_and(|n| n <= *x),
                    Comparison::GreaterThanOrEqualTo(x) => {
                        spec.number(value).is_some_and(|n| n >= *x)
                    }
                    Comparison::Between(lo, hi) => {
                        spec.number(value).is_some_and(|n| n >= *lo && n <= *hi)
                    }
                    Comparison::EqualTo(x) => equal(spec, value, x),
                    Comparison::NotEqualTo(x) => value != Value::Null && !equal(spec, value, x),
                    Comparison::Contains(x) => {
                        spec.text(value).is_some_and(|t| t.contains(x.as_str()))
                    }
                };
                if !keep {
                    return RecordFate::Filtered;
                }
            }
            TaskSpec::Validate {
                field,
                check,
                action,
            } => {
                let (Some(spec), Some(&value)) = (fields.get(*field), values.get(*field)) else {
                    continue;
                };
                // A null is not numeric, and neither zero nor negative.
                let valid = match check {
                    ValidationCheck::NonNull => value != Value::Null,
                    ValidationCheck::NonZero => spec.number(value) != Some(0.0),
                    ValidationCheck::NonNegative => spec.number(value).is_none_or(|n| n >= 0.0),
                    ValidationCheck::Numeric => spec.number(value).is_some(),
                };
                if !valid {
                    return match action {
                        ValidationAction::DropRecord => RecordFate::Invalid,
                        ValidationAction::TerminateFlow => RecordFate::Terminate,
                    };
                }
            }
            TaskSpec::Projection(_) | TaskSpec::Transform { .. } => {}
        }
    }
    RecordFate::Transferred
}

fn equal(spec: &FieldSpec, value: Value, expected: &str) -> bool {
    match (spec.number(value), expected.trim().parse::<f64>()) {
        (Some(n), Ok(x)) => n == x,
        _ => spec.text(value) == Some(expected),
    }
}

/// S3 output `fileType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FileType {
    #[default]
    Csv,
    Json,
    Parquet,
}

impl FileType {
    pub fn as_str(self) -> &'static str {
        match self {
            FileType::Csv => "CSV",
            FileType::Json => "JSON",
            FileType::Parquet => "PARQUET",
        }
    }
}

/// An AppFlow flow with the generator of its source's records.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowSpec {
    /// `sourceFlowConfig.connectorType`.
    pub source: ConnectorType,
    /// `destinationFlowConfigList[0].connectorType`.
    pub destination: ConnectorType,
    /// `s3OutputFormatConfig.fileType` (S3 destinations).
    pub file_type: FileType,
    pub trigger: TriggerSpec,
    pub tasks: Vec<TaskSpec>,
    pub fields: Vec<FieldSpec>,
    /// Records of a full snapshot (`Complete`, and the first `Incremental` run).
    pub records_per_run: u64,
    /// Records the source changes per minute (`Incremental` and `Event`).
    pub records_changed_per_minute: f64,
    pub record_size_bytes: u32,
    /// Records per API call to the source (each page is one call against its API limits).
    pub page_size: u32,
    pub api_call_latency: SimDuration,
    /// Time a run takes besides API calls (start-up, writing the files).
    pub run_overhead: SimDuration,
    /// `errorHandlingConfig.failOnFirstDestinationError`.
    pub fail_on_first_destination_error: bool,
    /// `errorHandlingConfig` S3 bucket and prefix for records the destination refused.
    pub error_location: Option<String>,
    /// Times `StartFlow` is called (OnDemand flows; reactivates a suspended flow otherwise).
    pub start_flow_at: Vec<SimDuration>,
}

impl Default for FlowSpec {
    fn default() -> FlowSpec {
        FlowSpec {
            source: ConnectorType::Salesforce,
            destination: ConnectorType::S3,
            file_type: FileType::Csv,
            trigger: TriggerSpec::OnDemand,
            tasks: Vec::new(),
            fields: Vec::new(),
            records_per_run: 1_000,
            records_changed_per_minute: 10.0,
            record_size_bytes: 1_024,
            page_size: 2_000,
            api_call_latency: SimDuration::from_millis(250),
            run_overhead: SimDuration::from_secs(20),
            fail_on_first_destination_error: false,
            error_location: None,
            start_flow_at: Vec::new(),
        }
    }
}

impl Model {
    /// Every problem of a flow, as (field, message).
    pub(crate) fn flow_issues(&self, index: ComponentId, push: &mut dyn FnMut(&str, String)) {
        let Some(ComponentKind::Flow(flow)) = self.components.get(index).map(|c| &c.kind) else {
            return;
        };
        if !flow.source.is_source() {
            push(
                "sourceFlowConfig.connectorType",
                format!(
                    "\"{}\" is a destination only; sources: {}",
                    flow.source.as_str(),
                    ConnectorType::names(true).join(", ")
                ),
            );
        }
        if !flow.destination.is_destination() {
            push(
                "destinationFlowConfigList[0].connectorType",
                format!(
                    "\"{}\" is a source only; destinations: {}",
                    flow.destination.as_str(),
                    ConnectorType::names(false).join(", ")
                ),
            );
        }
        if let TriggerSpec::Event { batch_window } = flow.trigger {
            let seconds = batch_window.as_micros() / 1_000_000;
            if !(1..=3_600).contains(&seconds) {
                push(
                    "triggerConfig.event_batch_seconds",
                    format!("{seconds} s is outside 1..=3600"),
                );
            }
            if !flow.source.emits_events() {
                push(
                    "triggerConfig.triggerType",
                    format!(
                        "\"Event\": {} emits no change events; only Salesforce does (use OnDemand or Scheduled)",
                        flow.source.as_str()
                    ),
                );
            }
        }
        if let TriggerSpec::Scheduled(schedule) = &flow.trigger {
            if schedule.interval.as_micros() < 60_000_000 {
                push(
                    "triggerConfig.triggerProperties.scheduleExpression",
                    format!(
                        "\"{}\" is every {} s; the minimum interval is 1 minute",
                        schedule.expression,
                        schedule.interval.as_micros() / 1_000_000
                    ),
                );
            }
            if schedule.offset.as_micros() > MAX_SCHEDULE_OFFSET_SECONDS * 1_000_000 {
                push(
                    "triggerConfig.triggerProperties.scheduleOffset",
                    format!(
                        "{} s is outside 0..={MAX_SCHEDULE_OFFSET_SECONDS}",
                        schedule.offset.as_micros() / 1_000_000
                    ),
                );
            }
            if let Some(end) = schedule.end {
                if end.as_micros() <= schedule.start.as_micros() {
                    push(
                        "triggerConfig.triggerProperties.scheduleEndTime",
                        "is not after scheduleStartTime".into(),
                    );
                }
            }
            if let Some(threshold) = schedule.deactivation_threshold {
                let (lo, hi) = DEACTIVATION_THRESHOLD_RANGE;
                if !(lo..=hi).contains(&threshold) {
                    push(
                        "triggerConfig.triggerProperties.flowErrorDeactivationThreshold",
                        format!("{threshold} is outside {lo}..={hi}"),
                    );
                }
            }
        }
        if flow.fields.is_empty() || flow.fields.len() > 50 {
            push(
                "fields",
                format!("{} fields; a flow's records have 1..=50", flow.fields.len()),
            );
        }
        for (i, field) in flow.fields.iter().enumerate() {
            for (name, share) in [
                ("null_share", field.null_share),
                ("zero_share", field.zero_share),
                ("negative_share", field.negative_share),
                ("non_numeric_share", field.non_numeric_share),
            ] {
                if !(0.0..=1.0).contains(&share) {
                    push(
                        &format!("fields[{i}].{name}"),
                        format!("{share} is outside 0..=1"),
                    );
                }
            }
            if field.null_share + field.zero_share + field.non_numeric_share > 1.0 {
                push(
                    &format!("fields[{i}].null_share"),
                    "null_share + zero_share + non_numeric_share is above 1".into(),
                );
            }
            if !(field.min.is_finite() && field.max.is_finite() && field.min <= field.max) {
                push(
                    &format!("fields[{i}].min"),
                    format!(
                        "{}..{} is not a finite range with min <= max",
                        field.min, field.max
                    ),
                );
            }
            if field.field_type == FieldType::String && field.choices.is_empty() {
                push(
                    &format!("fields[{i}].choices"),
                    "a string field needs at least one choice".into(),
                );
            }
        }
        if flow.records_per_run > 10_000_000 {
            push(
                "records_per_run",
                format!("{} is outside 0..=10000000", flow.records_per_run),
            );
        }
        if !(flow.records_changed_per_minute.is_finite()
            && (0.0..=100_000.0).contains(&flow.records_changed_per_minute))
        {
            push(
                "records_changed_per_minute",
                format!("{} is outside 0..=100000", flow.records_changed_per_minute),
            );
        }
        if !(1..=100_000_000).contains(&flow.record_size_bytes) {
            push(
                "record_size_bytes",
                format!("{} is outside 1..=100000000", flow.record_size_bytes),
            );
        }
        if !(1..=100_000).contains(&flow.page_size) {
            push(
                "page_size",
                format!("{} is outside 1..=100000", flow.page_size),
            );
        }
        if flow.api_call_latency.as_micros() > 60_000_000 {
            push(
                "api_call_latency_ms",
                format!(
                    "{} ms is outside 0..=60000",
                    flow.api_call_latency.as_micros() / 1_000
                ),
            );
        }
        if flow.run_overhead.as_micros() > 3_600_000_000 {
            push(
                "run_overhead_seconds",
                format!(
                    "{} s is outside 0..=3600",
                    flow.run_overhead.as_micros() / 1_000_000
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_expressions() {
        assert_eq!(
            parse_rate("rate(5minutes)"),
            Ok(SimDuration::from_secs(300))
        );
        assert_eq!(parse_rate("rate(1 minute)"), Ok(SimDuration::from_secs(60)));
        assert_eq!(
            parse_rate("rate(2 hours)"),
            Ok(SimDuration::from_secs(7_200))
        );
        assert_eq!(
            parse_rate("rate(1 day)"),
            Ok(SimDuration::from_secs(86_400))
        );
        let error = parse_rate("rate(0 minutes)").unwrap_err();
        assert!(error.contains("at least 1 minute"), "{error}");
        assert!(parse_rate("cron(0 * * * ? *)").is_err());
        assert!(parse_rate("rate(5 weeks)").is_err());
        assert!(parse_rate("rate(minutes)").is_err());
    }

    #[test]
    fn connector_table() {
        for name in ["Slack", "Googleanalytics", "Amplitude", "Datadog"] {
            let connector = ConnectorType::parse(name).unwrap();
            assert!(
                connector.is_source() && !connector.is_destination(),
                "{name}"
            );
        }
        for name in ["Redshift", "Snowflake"] {
            let connector = ConnectorType::parse(name).unwrap();
            assert!(
                !connector.is_source() && connector.is_destination(),
                "{name}"
            );
        }
        assert!(ConnectorType::Salesforce.emits_events());
        assert!(!ConnectorType::Zendesk.emits_events());
        for row in CONNECTORS {
            assert_eq!(ConnectorType::parse(row.1), Some(row.0));
            assert_eq!(row.0.as_str(), row.1);
        }
    }
}
