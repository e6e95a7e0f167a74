//! Choice rules: compiled from the definition, evaluated against a state's input.
//!
//! Type mismatches are "no match", never an error; a missing `Variable` (or `…Path`
//! operand) is `States.Runtime`, except under `IsPresent`.

use std::cmp::Ordering;

use serde_json::Value;

use super::path::{Path, PathRoot};
use super::timestamp::parse_rfc3339;
use super::StatesError;

/// One top-level rule of `Choices`, with its `Next` state index.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceBranch {
    pub rule: Rule,
    pub next: usize,
    /// The rule's `Assign`, which replaces the state-level one when the rule matches.
    pub assign: Option<super::Assign>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
    Compare {
        variable: Path,
        comparison: Comparison,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    Equals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeTest {
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Str(String),
    Number(f64),
    Bool(bool),
    /// Microseconds since the Unix epoch.
    Time(i64),
    Path(Path),
}

/// A comparison operator with its operand.
#[derive(Clone, Debug, PartialEq)]
pub enum Comparison {
    Compare {
        value_type: ValueType,
        relation: Relation,
        operand: Operand,
    },
    /// `StringMatches`: the pattern split at unescaped `*`.
    Matches(Vec<String>),
    Test {
        test: TypeTest,
        expected: bool,
    },
}

/// Every operator name, for the validator.
pub const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringEqualsPath",
    "StringLessThan",
    "StringLessThanPath",
    "StringGreaterThan",
    "StringGreaterThanPath",
    "StringLessThanEquals",
    "StringLessThanEqualsPath",
    "StringGreaterThanEquals",
    "StringGreaterThanEqualsPath",
    "StringMatches",
    "NumericEquals",
    "NumericEqualsPath",
    "NumericLessThan",
    "NumericLessThanPath",
    "NumericGreaterThan",
    "NumericGreaterThanPath",
    "NumericLessThanEquals",
    "NumericLessThanEqualsPath",
    "NumericGreaterThanEquals",
    "NumericGreaterThanEqualsPath",
    "BooleanEquals",
    "BooleanEqualsPath",
    "TimestampEquals",
    "TimestampEqualsPath",
    "TimestampLessThan",
    "TimestampLessThanPath",
    "TimestampGreaterThan",
    "TimestampGreaterThanPath",
    "TimestampLessThanEquals",
    "TimestampLessThanEqualsPath",
    "TimestampGreaterThanEquals",
    "TimestampGreaterThanEqualsPath",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

/// Compiles operator `name` with `value`; the error says what is wrong with the value.
pub fn compile_comparison(name: &str, value: &Value) -> Result<Comparison, String> {
    let test = match name {
        "IsNull" => Some(TypeTest::IsNull),
        "IsPresent" => Some(TypeTest::IsPresent),
        "IsNumeric" => Some(TypeTest::IsNumeric),
        "IsString" => Some(TypeTest::IsString),
        "IsBoolean" => Some(TypeTest::IsBoolean),
        "IsTimestamp" => Some(TypeTest::IsTimestamp),
        _ => None,
    };
    if let Some(test) = test {
        let Some(expected) = value.as_bool() else {
            return Err(format!("{name} takes true or false"));
        };
        return Ok(Comparison::Test { test, expected });
    }
    if name == "StringMatches" {
        let Some(pattern) = value.as_str() else {
            return Err("StringMatches takes a string".into());
        };
        return Ok(Comparison::Matches(split_pattern(pattern)));
    }
    let (type_name, rest) = ["String", "Numeric", "Boolean", "Timestamp"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix).map(|rest| (*prefix, rest)))
        .ok_or_else(|| format!("unknown operator {name}"))?;
    let value_type = match type_name {
        "String" => ValueType::String,
        "Numeric" => ValueType::Numeric,
        "Boolean" => ValueType::Boolean,
        _ => ValueType::Timestamp,
    };
    let (relation_name, is_path) = match rest.strip_suffix("Path") {
        Some(relation) => (relation, true),
        None => (rest, false),
    };
    let relation = match relation_name {
        "Equals" => Relation::Equals,
        "LessThan" => Relation::LessThan,
        "GreaterThan" => Relation::GreaterThan,
        "LessThanEquals" => Relation::LessThanEquals,
        "GreaterThanEquals" => Relation::GreaterThanEquals,
        _ => return Err(format!("unknown operator {name}")),
    };
    if value_type == ValueType::Boolean && relation != Relation::Equals {
        return Err(format!("unknown operator {name}"));
    }
    let operand = if is_path {
        let Some(text) = value.as_str() else {
            return Err(format!("{name} takes a reference path"));
        };
        Operand::Path(Path::parse_reference(text)?)
    } else {
        match value_type {
            ValueType::String => Operand::Str(
                value
                    .as_str()
                    .ok_or_else(|| format!("{name} takes a string"))?
                    .to_string(),
            ),
            ValueType::Numeric => Operand::Number(
                value
                    .as_f64()
                    .ok_or_else(|| format!("{name} takes a number"))?,
            ),
            ValueType::Boolean => Operand::Bool(
                value
                    .as_bool()
                    .ok_or_else(|| format!("{name} takes a boolean"))?,
            ),
            ValueType::Timestamp => {
                Operand::Time(value.as_str().and_then(parse_rfc3339).ok_or_else(|| {
                    format!("{name} takes an RFC 3339 timestamp such as 2016-08-18T17:33:00Z")
                })?)
            }
        }
    };
    Ok(Comparison::Compare {
        value_type,
        relation,
        operand,
    })
}

/// Splits a `StringMatches` pattern at unescaped `*`; `\*` is a literal star and `\\` a
/// literal backslash.
fn split_pattern(pattern: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped @ ('*' | '\\')) => push_char(&mut parts, escaped),
                Some(other) => {
                    push_char(&mut parts, '\\');
                    push_char(&mut parts, other);
                }
                None => push_char(&mut parts, '\\'),
            },
            '*' => parts.push(String::new()),
            other => push_char(&mut parts, other),
        }
    }
    parts
}

fn push_char(parts: &mut [String], c: char) {
    if let Some(last) = parts.last_mut() {
        last.push(c);
    }
}

/// Glob match: `parts` are the literal pieces between stars.
fn glob_matches(parts: &[String], text: &str) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return text.is_empty();
    };
    let Some(mut remaining) = text.strip_prefix(first.as_str()) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        // No star at all: the whole text must equal the literal.
        return remaining.is_empty();
    };
    for piece in middle {
        match remaining.find(piece.as_str()) {
            Some(at) => remaining = remaining.get(at + piece.len()..).unwrap_or(""),
            None => return false,
        }
    }
    remaining.ends_with(last.as_str())
}

fn compare_utf16(left: &str, right: &str) -> Ordering {
    if left.is_ascii() && right.is_ascii() {
        return left.cmp(right);
    }
    left.encode_utf16().cmp(right.encode_utf16())
}

fn relation_holds(relation: Relation, ordering: Ordering) -> bool {
    match relation {
        Relation::Equals => ordering == Ordering::Equal,
        Relation::LessThan => ordering == Ordering::Less,
        Relation::GreaterThan => ordering == Ordering::Greater,
        Relation::LessThanEquals => ordering != Ordering::Greater,
        Relation::GreaterThanEquals => ordering != Ordering::Less,
    }
}

fn is_timestamp(value: &Value) -> bool {
    value.as_str().and_then(parse_rfc3339).is_some()
}

impl Rule {
    /// Evaluates the rule against `input`. Nesting depth is bounded by the definition
    /// (which the JSON parser caps at 128 levels).
    pub fn evaluate(&self, input: &Value) -> Result<bool, StatesError> {
        self.evaluate_with(input, &|| Value::Null, &|_| None)
    }

    /// [`Rule::evaluate`] where paths may also read the context object (`$$...`) and
    /// variables (`$name...`), in `Variable` and in the `...Path` comparisons alike; the
    /// context object is built only for a path that reads it.
    pub fn evaluate_with(
        &self,
        input: &Value,
        context: &dyn Fn() -> Value,
        variables: &dyn Fn(&str) -> Option<Value>,
    ) -> Result<bool, StatesError> {
        match self {
            Rule::And(rules) => {
                for rule in rules {
                    if !rule.evaluate_with(input, context, variables)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Rule::Or(rules) => {
                for rule in rules {
                    if rule.evaluate_with(input, context, variables)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Rule::Not(rule) => Ok(!rule.evaluate_with(input, context, variables)?),
            Rule::Compare {
                variable,
                comparison,
            } => {
                let roots = Roots {
                    input,
                    context,
                    variables,
                };
                let held = roots.held(variable);
                let selected = roots
                    .root(variable, &held)
                    .and_then(|root| variable.select(root).into_value_ref());
                if let Comparison::Test {
                    test: TypeTest::IsPresent,
                    expected,
                } = comparison
                {
                    return Ok(selected.is_some() == *expected);
                }
                let Some(value) = selected else {
                    return Err(StatesError::runtime(format!(
                        "Invalid path '{}': The choice state's condition path references an invalid value.",
                        variable.text()
                    )));
                };
                compare(value.as_ref(), comparison, &roots)
            }
        }
    }
}

/// What a Choice rule's paths read: `$` the state input, `$$` the context object, `$name`
/// a variable.
struct Roots<'r> {
    input: &'r Value,
    context: &'r dyn Fn() -> Value,
    variables: &'r dyn Fn(&str) -> Option<Value>,
}

impl<'r> Roots<'r> {
    /// The value a `$$...` or `$name...` path starts from, built or looked up once.
    fn held(&self, path: &Path) -> Option<Value> {
        match path.root() {
            PathRoot::Input => None,
            PathRoot::Context => Some((self.context)()),
            PathRoot::Variable => path.variable().and_then(self.variables),
        }
    }

    /// The value `path` starts from (`held` is what [`Roots::held`] gave for it).
    fn root<'a>(&'a self, path: &Path, held: &'a Option<Value>) -> Option<&'a Value> {
        match path.root() {
            PathRoot::Input => Some(self.input),
            PathRoot::Context | PathRoot::Variable => held.as_ref(),
        }
    }
}

trait SelectionExt<'a> {
    fn into_value_ref(self) -> Option<std::borrow::Cow<'a, Value>>;
}

impl<'a> SelectionExt<'a> for super::path::Selection<'a> {
    fn into_value_ref(self) -> Option<std::borrow::Cow<'a, Value>> {
        match self {
            super::path::Selection::Missing => None,
            super::path::Selection::One(value) => Some(std::borrow::Cow::Borrowed(value)),
            many => many.into_value().map(std::borrow::Cow::Owned),
        }
    }
}

fn compare(value: &Value, comparison: &Comparison, roots: &Roots) -> Result<bool, StatesError> {
    match comparison {
        Comparison::Test { test, expected } => {
            let actual = match test {
                TypeTest::IsNull => value.is_null(),
                TypeTest::IsPresent => true,
                TypeTest::IsNumeric => value.is_number(),
                TypeTest::IsString => value.is_string(),
                TypeTest::IsBoolean => value.is_boolean(),
                TypeTest::IsTimestamp => is_timestamp(value),
            };
            Ok(actual == *expected)
        }
        Comparison::Matches(parts) => {
            Ok(value.as_str().is_some_and(|text| glob_matches(parts, text)))
        }
        Comparison::Compare {
            value_type,
            relation,
            operand,
        } => {
            let (held, resolved);
            let operand_value = match operand {
                Operand::Path(path) => {
                    held = roots.held(path);
                    resolved = roots.root(path, &held).and_then(|root| path.get(root)).ok_or_else(|| {
                        StatesError::runtime(format!(
                            "Invalid path '{}': The choice state's condition path references an invalid value.",
                            path.text()
                        ))
                    })?;
                    Some(resolved)
                }
                _ => None,
            };
            let ordering = match value_type {
                ValueType::String => {
                    let Some(left) = value.as_str() else {
                        return Ok(false);
                    };
                    let right = match (operand, operand_value) {
                        (Operand::Str(text), _) => text.as_str(),
                        (_, Some(Value::String(text))) => text.as_str(),
                        _ => return Ok(false),
                    };
                    compare_utf16(left, right)
                }
                ValueType::Numeric => {
                    let Some(left) = value.as_f64() else {
                        return Ok(false);
                    };
                    let right = match (operand, operand_value) {
                        (Operand::Number(number), _) => *number,
                        (_, Some(other)) => match other.as_f64() {
                            Some(number) => number,
                            None => return Ok(false),
                        },
                        _ => return Ok(false),
                    };
                    match left.partial_cmp(&right) {
                        Some(ordering) => ordering,
                        None => return Ok(false),
                    }
                }
                ValueType::Boolean => {
                    let Some(left) = value.as_bool() else {
                        return Ok(false);
                    };
                    let right = match (operand, operand_value) {
                        (Operand::Bool(flag), _) => *flag,
                        (_, Some(Value::Bool(flag))) => *flag,
                        _ => return Ok(false),
                    };
                    left.cmp(&right)
                }
                ValueType::Timestamp => {
                    let Some(left) = value.as_str().and_then(parse_rfc3339) else {
                        return Ok(false);
                    };
                    let right = match (operand, operand_value) {
                        (Operand::Time(time), _) => *time,
                        (_, Some(other)) => match other.as_str().and_then(parse_rfc3339) {
                            Some(time) => time,
                            None => return Ok(false),
                        },
                        _ => return Ok(false),
                    };
                    left.cmp(&right)
                }
            };
            Ok(relation_holds(*relation, ordering))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let matches = |pattern: &str, text: &str| glob_matches(&split_pattern(pattern), text);
        assert!(matches("log-*.txt", "log-2020.txt"));
        assert!(matches("*", ""));
        assert!(matches("a*b*c", "abc"));
        assert!(!matches("a*b*c", "acb"));
        assert!(matches("a\\*b", "a*b"));
        assert!(!matches("a\\*b", "axb"));
        assert!(!matches("abc", "abcd"));
        assert!(matches("*.log", "x.log"));
        assert!(!matches("ab*ba", "aba"));
    }
}
