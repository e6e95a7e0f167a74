//! Amazon SNS subscription filter policies: parse, validate and match.
//!
//! What it models: the filter policy language of SNS subscriptions for both scopes,
//! `MessageAttributes` (the default) and `MessageBody`.
//! A policy is a JSON object; every key must match (AND across keys), and within a key's
//! array any element may match (OR within arrays).
//! The operators are exact strings, numbers and the literals `true`, `false` and `null`,
//! `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (a value, a list, or
//! `{"prefix": ...}`), `numeric` comparisons and ranges, `exists`, `cidr`, and `$or`.
//! Nested keys are allowed only with the `MessageBody` scope.
//!
//! ```text
//!   policy JSON ──FilterPolicy::parse──▶ FilterPolicy (sorted keys, parsed numbers,
//!                                         │             lowercased patterns, parsed CIDRs)
//!                                         ├─ matches_attributes(&BTreeMap<..>) ─▶ Match
//!                                         └─ matches_body(&str) ─────────────────▶ Match
//! ```
//!
//! ```
//! use std::collections::BTreeMap;
//! use loosely_engine::sns_filter::{parse_attributes_json, FilterPolicy, FilterPolicyScope, Match};
//!
//! let policy = FilterPolicy::parse(
//!     r#"{"sport": ["rugby", "tennis"], "price": [{"numeric": [">", 0, "<=", 150]}]}"#,
//!     FilterPolicyScope::MessageAttributes,
//! ).expect("a valid policy");
//! let attributes = parse_attributes_json(r#"{
//!     "sport": {"DataType": "String", "StringValue": "rugby"},
//!     "price": {"DataType": "Number", "StringValue": "3.015e2"}
//! }"#).expect("valid attributes");
//! assert!(matches!(policy.matches_attributes(&attributes), Match::NoMatch { .. }));
//! assert_eq!(policy.matches_attributes(&BTreeMap::new()), Match::NoMessageAttributes);
//! ```
//!
//! What it simplifies, each choice made where the documentation is silent or contradicts
//! itself:
//!
//! * Types are strict: string matchers see strings only, numeric matchers and number
//!   literals see numbers only (a `Number` attribute, a JSON number in the body or in a
//!   `String.Array`), and `true`/`false`/`null` match the JSON literals only.
//! * `Binary` attributes are ignored entirely, as if absent.
//! * In the body, a key names a leaf: objects are not values, and arrays are flattened, so
//!   `{"a": [{"b": 1}, {"b": 2}]}` gives `a.b` the values 1 and 2. A key with no leaf is
//!   absent. Keys from different elements of one array may satisfy different policy keys
//!   (no "array consistency").
//! * A `cidr` whose address has host bits set is accepted and masked.
//! * Only the top-level keys of a policy count toward the limit of five; `$or` counts as
//!   one key (as LocalStack's parity implementation does).
//!
//! What it leaves out: the 15-minute propagation delay, the per-topic and per-account
//! policy quotas, the double-escaping of `"` and `\` in attribute-scope policies, and
//! dotted keys (`"a.b"`) matching nested body properties.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde_json::Value;

/// The largest filter policy in bytes (256 KB).
pub const MAX_POLICY_BYTES: usize = 262_144;
/// The most top-level keys a policy may have.
pub const MAX_KEYS: usize = 5;
/// The most value combinations a policy may have.
pub const MAX_COMBINATIONS: u64 = 150;
/// The largest magnitude of a number in a policy.
pub const MAX_NUMERIC_MAGNITUDE: f64 = 1e9;
/// The most digits after the decimal point of a number in a policy.
pub const MAX_NUMERIC_DECIMALS: usize = 5;

const ERROR_PREFIX: &str = "Invalid parameter: FilterPolicy: ";

/// Which part of a message a subscription's filter policy looks at (`FilterPolicyScope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum FilterPolicyScope {
    /// Policy keys name message attributes (the AWS default).
    #[default]
    MessageAttributes,
    /// Policy keys name properties of the message body, which must be a JSON object.
    MessageBody,
}

/// A message attribute in the SNS API shape:
/// `{"DataType": "String"|"String.Array"|"Number"|"Binary", "StringValue": "...", "BinaryValue": "..."}`.
///
/// A data type may carry a custom suffix (`Number.float`, `String.json`); `String.Array`
/// is the only suffix with a meaning of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageAttributeValue {
    /// `String`, `String.Array`, `Number` or `Binary`, optionally followed by `.custom`.
    pub data_type: String,
    /// The value of `String`, `String.Array` and `Number` attributes.
    pub string_value: Option<String>,
    /// The base64 value of `Binary` attributes (never compared).
    pub binary_value: Option<String>,
}

/// A policy that failed validation, with the AWS-style error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FilterPolicyError {
    /// The full text, for example
    /// `Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys`.
    pub message: String,
}

impl FilterPolicyError {
    fn new(text: impl fmt::Display) -> FilterPolicyError {
        FilterPolicyError {
            message: format!("{ERROR_PREFIX}{text}"),
        }
    }
}

/// Why a message did or did not match a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// Every key of the policy matched.
    Matched,
    /// The first policy key (in sorted order) that failed, and why, in one sentence.
    /// `key` is `$or` when no branch of an `$or` matched, and empty when the message body
    /// is not a JSON object.
    NoMatch { key: String, reason: String },
    /// The message has no attributes at all (CloudWatch `...FilteredOut-NoMessageAttributes`).
    NoMessageAttributes,
    /// An attribute the policy looked at is malformed, for example a `Number` that does not
    /// parse or a `String.Array` that is not a JSON array
    /// (CloudWatch `...FilteredOut-InvalidAttributes`).
    InvalidAttributes { reason: String },
}

impl Match {
    /// Whether the message is delivered.
    pub fn is_match(&self) -> bool {
        matches!(self, Match::Matched)
    }

    /// Why the message is not delivered, in one sentence; `None` when it matched.
    pub fn reason(&self) -> Option<String> {
        match self {
            Match::Matched => None,
            Match::NoMatch { reason, .. } | Match::InvalidAttributes { reason } => {
                Some(reason.clone())
            }
            Match::NoMessageAttributes => {
                Some("the message has no attributes, so no attribute policy can match".to_string())
            }
        }
    }
}

/// A compiled, validated filter policy.
#[derive(Debug, Clone)]
pub struct FilterPolicy {
    scope: FilterPolicyScope,
    /// A conjunction, keys in sorted order, `$or` nodes where they sort as `$or`.
    nodes: Vec<Node>,
    combinations: u64,
    /// Every node is a key of one path element: attributes can be merge-joined with the
    /// sorted keys instead of looked up one by one.
    flat: bool,
}

#[derive(Debug, Clone)]
enum Node {
    Key(KeyRule),
    /// At least one branch (a conjunction) must match.
    Or(Vec<Vec<Node>>),
}

#[derive(Debug, Clone)]
struct KeyRule {
    /// One element in attribute scope; the nesting path in body scope.
    path: Vec<String>,
    /// The path joined with `.`, for reasons.
    display: String,
    /// Any one of these may match.
    matchers: Vec<Matcher>,
    /// Some matcher is `{"exists": false}`: an absent key matches.
    accepts_absent: bool,
    /// The policy array as compact JSON, for reasons.
    description: String,
    /// Every matcher is an exact literal (wording of reasons only).
    all_literals: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone)]
enum Matcher {
    Literal(Literal),
    Prefix(String),
    Suffix(String),
    /// The pattern, already lowercased.
    EqualsIgnoreCase(String),
    /// Matches a present value equal to none of the literals, of any type.
    ///
    /// For a `String.Array` attribute (and a body array) every element is compared
    /// separately and any matching element satisfies the key, as for every other matcher.
    /// So `["rugby", "baseball"]` matches `{"anything-but": ["rugby", "tennis"]}` because
    /// `"baseball"` is not listed. This follows the examples of the AWS guide (2023 and
    /// current); the current prose says an array matches only when none of its elements is
    /// listed, which contradicts those examples.
    AnythingBut(Vec<Literal>),
    /// Matches a string that does not start with the prefix.
    AnythingButPrefix(String),
    Numeric(NumericRange),
    Exists(bool),
    Cidr(Cidr),
}

#[derive(Debug, Clone, Copy)]
enum Bound {
    Unbounded,
    Inclusive(f64),
    Exclusive(f64),
}

#[derive(Debug, Clone, Copy)]
struct NumericRange {
    lower: Bound,
    upper: Bound,
}

impl NumericRange {
    fn contains(&self, value: f64) -> bool {
        let above = match self.lower {
            Bound::Unbounded => true,
            Bound::Inclusive(bound) => value >= bound,
            Bound::Exclusive(bound) => value > bound,
        };
        let below = match self.upper {
            Bound::Unbounded => true,
            Bound::Inclusive(bound) => value <= bound,
            Bound::Exclusive(bound) => value < bound,
        };
        above && below
    }
}

#[derive(Debug, Clone, Copy)]
enum Cidr {
    V4 { network: u32, mask: u32 },
    V6 { network: u128, mask: u128 },
}

impl Cidr {
    fn contains(&self, text: &str) -> bool {
        match *self {
            Cidr::V4 { network, mask } => text
                .parse::<Ipv4Addr>()
                .is_ok_and(|address| u32::from(address) & mask == network),
            Cidr::V6 { network, mask } => text
                .parse::<Ipv6Addr>()
                .is_ok_and(|address| u128::from(address) & mask == network),
        }
    }
}

/// One value seen in a message: a string, a number, or a JSON literal.
#[derive(Debug, Clone, Copy)]
enum Scalar<'a> {
    Str(&'a str),
    Num(f64),
    Bool(bool),
    Null,
}

impl Scalar<'_> {
    fn from_json(value: &Value) -> Option<Scalar<'_>> {
        match value {
            Value::String(text) => Some(Scalar::Str(text)),
            Value::Number(number) => number.as_f64().map(Scalar::Num),
            Value::Bool(flag) => Some(Scalar::Bool(*flag)),
            Value::Null => Some(Scalar::Null),
            Value::Array(_) | Value::Object(_) => None,
        }
    }

    fn equals(&self, literal: &Literal) -> bool {
        match (self, literal) {
            (Scalar::Str(value), Literal::Str(pattern)) => value == pattern,
            (Scalar::Num(value), Literal::Num(pattern)) => value == pattern,
            (Scalar::Bool(value), Literal::Bool(pattern)) => value == pattern,
            (Scalar::Null, Literal::Null) => true,
            _ => false,
        }
    }
}

impl Matcher {
    /// Whether a present value satisfies this matcher.
    #[inline]
    fn matches(&self, value: Scalar<'_>) -> bool {
        match self {
            Matcher::Literal(literal) => value.equals(literal),
            Matcher::Prefix(prefix) => {
                matches!(value, Scalar::Str(text) if text.starts_with(prefix.as_str()))
            }
            Matcher::Suffix(suffix) => {
                matches!(value, Scalar::Str(text) if text.ends_with(suffix.as_str()))
            }
            Matcher::EqualsIgnoreCase(lowered) => match value {
                Scalar::Str(text) => equals_ignore_case(text, lowered),
                _ => false,
            },
            Matcher::AnythingBut(literals) => !literals.iter().any(|literal| value.equals(literal)),
            Matcher::AnythingButPrefix(prefix) => {
                matches!(value, Scalar::Str(text) if !text.starts_with(prefix.as_str()))
            }
            Matcher::Numeric(range) => {
                matches!(value, Scalar::Num(number) if range.contains(number))
            }
            Matcher::Exists(must_exist) => *must_exist,
            Matcher::Cidr(cidr) => matches!(value, Scalar::Str(text) if cidr.contains(text)),
        }
    }
}

/// Compares `text` with an already lowercased pattern without allocating.
fn equals_ignore_case(text: &str, lowered: &str) -> bool {
    if text.is_ascii() && lowered.is_ascii() {
        return text.eq_ignore_ascii_case(lowered);
    }
    text.chars()
        .flat_map(char::to_lowercase)
        .eq(lowered.chars())
}

// ---------------------------------------------------------------------------------------
// Parsing and validation.
// ---------------------------------------------------------------------------------------

/// Compilation state: the first structural error wins over a complexity error, which wins
/// over the first rule error (the order of LocalStack's AWS-parity validator).
struct Compiler {
    scope: FilterPolicyScope,
    structure_error: Option<FilterPolicyError>,
    rule_error: Option<FilterPolicyError>,
}

impl Compiler {
    fn structure(&mut self, error: FilterPolicyError) {
        if self.structure_error.is_none() {
            self.structure_error = Some(error);
        }
    }

    fn rule(&mut self, error: FilterPolicyError) {
        if self.rule_error.is_none() {
            self.rule_error = Some(error);
        }
    }

    /// Compiles one policy object into a conjunction; returns it with its combinations.
    fn object(
        &mut self,
        object: &serde_json::Map<String, Value>,
        parent: &[String],
        depth: u64,
    ) -> (Vec<Node>, u64) {
        let mut entries: Vec<(&String, &Value)> = object.iter().collect();
        entries.sort_by(|left, right| left.0.cmp(right.0));
        let mut nodes = Vec::with_capacity(entries.len());
        let mut combinations: u64 = 1;
        for (key, value) in entries {
            if key == "$or" && is_or_operator(value) {
                let Value::Array(branches) = value else {
                    continue;
                };
                let mut compiled_branches = Vec::with_capacity(branches.len());
                let mut branch_sum: u64 = 0;
                for branch in branches {
                    let Value::Object(branch_object) = branch else {
                        continue;
                    };
                    let (branch_nodes, branch_combinations) =
                        self.object(branch_object, parent, depth);
                    branch_sum = branch_sum.saturating_add(branch_combinations);
                    compiled_branches.push(branch_nodes);
                }
                combinations = combinations.saturating_mul(branch_sum);
                nodes.push(Node::Or(compiled_branches));
                continue;
            }
            let mut path = parent.to_vec();
            path.push(key.clone());
            match value {
                Value::Object(child) => {
                    if self.scope == FilterPolicyScope::MessageAttributes {
                        self.structure(FilterPolicyError {
                            message: "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy".to_string(),
                        });
                        continue;
                    }
                    let (child_nodes, child_combinations) = self.object(child, &path, depth + 1);
                    combinations = combinations.saturating_mul(child_combinations);
                    nodes.extend(child_nodes);
                }
                Value::Array(rules) => {
                    if rules.is_empty() {
                        self.structure(FilterPolicyError::new("Empty arrays are not allowed"));
                        continue;
                    }
                    let factor = (rules.len() as u64).saturating_mul(depth);
                    combinations = combinations.saturating_mul(factor);
                    if let Some(rule) = self.key_rule(path, rules) {
                        nodes.push(Node::Key(rule));
                    }
                }
                _ => {
                    self.structure(FilterPolicyError::new(format!(
                        "\"{key}\" must be an object or an array"
                    )));
                }
            }
        }
        // The conjunction of one object keeps the sorted order of its own keys; nested keys
        // were appended in place, so the whole list is sorted by path.
        (nodes, combinations)
    }

    fn key_rule(&mut self, path: Vec<String>, rules: &[Value]) -> Option<KeyRule> {
        let mut matchers = Vec::with_capacity(rules.len());
        for rule in rules {
            match compile_rule(rule) {
                Ok(matcher) => matchers.push(matcher),
                Err(error) => {
                    self.rule(error);
                    return None;
                }
            }
        }
        let description = format!(
            "[{}]",
            rules
                .iter()
                .map(compact_json)
                .collect::<Vec<_>>()
                .join(", ")
        );
        let accepts_absent = matchers
            .iter()
            .any(|matcher| matches!(matcher, Matcher::Exists(false)));
        let all_literals = matchers
            .iter()
            .all(|matcher| matches!(matcher, Matcher::Literal(_)));
        Some(KeyRule {
            display: path.join("."),
            path,
            matchers,
            accepts_absent,
            description,
            all_literals,
        })
    }
}

/// `$or` is an operator only when its value is an array of at least two objects, each with
/// at least one key; otherwise `"$or"` is an ordinary key.
fn is_or_operator(value: &Value) -> bool {
    let Value::Array(branches) = value else {
        return false;
    };
    branches.len() >= 2
        && branches
            .iter()
            .all(|branch| matches!(branch, Value::Object(object) if !object.is_empty()))
}

fn compact_json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// How a rule's value is shown in error texts: strings bare, everything else as JSON.
fn error_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => compact_json(other),
    }
}

fn policy_number(value: &Value) -> Result<f64, FilterPolicyError> {
    let Some(number) = value.as_f64() else {
        return Err(FilterPolicyError::new(
            "Match value must be String, number, true, false, or null",
        ));
    };
    if !number.is_finite() || number.abs() > MAX_NUMERIC_MAGNITUDE {
        return Err(FilterPolicyError::new(format!(
            "Numeric value {} must be between -1000000000 and 1000000000",
            compact_json(value)
        )));
    }
    // Rust prints the shortest text that reads back as the same f64, never in exponent form.
    let shortest = format!("{number}");
    let decimals = shortest
        .split_once('.')
        .map_or(0, |(_, fraction)| fraction.len());
    if decimals > MAX_NUMERIC_DECIMALS {
        return Err(FilterPolicyError::new(format!(
            "Numeric value {} must have at most 5 digits after the decimal point",
            compact_json(value)
        )));
    }
    Ok(number)
}

fn literal(value: &Value) -> Result<Literal, FilterPolicyError> {
    match value {
        Value::String(text) => Ok(Literal::Str(text.clone())),
        Value::Number(_) => policy_number(value).map(Literal::Num),
        Value::Bool(flag) => Ok(Literal::Bool(*flag)),
        Value::Null => Ok(Literal::Null),
        Value::Array(_) | Value::Object(_) => Err(FilterPolicyError::new(
            "Match value must be String, number, true, false, or null",
        )),
    }
}

fn compile_rule(rule: &Value) -> Result<Matcher, FilterPolicyError> {
    let Value::Object(expression) = rule else {
        return literal(rule).map(Matcher::Literal);
    };
    let mut entries = expression.iter();
    let (Some((operator, value)), None) = (entries.next(), entries.next()) else {
        return Err(FilterPolicyError::new(
            "Only one key allowed in match expression",
        ));
    };
    let string_pattern = |operator: &str| match value {
        Value::String(text) => Ok(text.clone()),
        _ => Err(FilterPolicyError::new(format!(
            "{operator} match pattern must be a string"
        ))),
    };
    match operator.as_str() {
        "prefix" => string_pattern("prefix").map(Matcher::Prefix),
        "suffix" => string_pattern("suffix").map(Matcher::Suffix),
        "equals-ignore-case" => string_pattern("equals-ignore-case")
            .map(|pattern| Matcher::EqualsIgnoreCase(pattern.to_lowercase())),
        "exists" => match value {
            Value::Bool(flag) => Ok(Matcher::Exists(*flag)),
            _ => Err(FilterPolicyError::new(
                "exists match pattern must be either true or false.",
            )),
        },
        "anything-but" => compile_anything_but(value),
        "numeric" => compile_numeric(value).map(Matcher::Numeric),
        "cidr" => compile_cidr(value).map(Matcher::Cidr),
        other => Err(FilterPolicyError::new(format!(
            "Unrecognized match type {other}"
        ))),
    }
}

fn anything_but_literal(value: &Value) -> Result<Literal, FilterPolicyError> {
    match value {
        Value::String(_) | Value::Number(_) => literal(value),
        _ => Err(FilterPolicyError::new(
            "Inside anything but list, start|null|boolean is not supported.",
        )),
    }
}

fn compile_anything_but(value: &Value) -> Result<Matcher, FilterPolicyError> {
    match value {
        Value::Array(items) => {
            if items.is_empty() {
                return Err(FilterPolicyError::new("Empty arrays are not allowed"));
            }
            items
                .iter()
                .map(anything_but_literal)
                .collect::<Result<Vec<_>, _>>()
                .map(Matcher::AnythingBut)
        }
        Value::Object(inner) => {
            let mut entries = inner.iter();
            let (Some((operator, pattern)), None) = (entries.next(), entries.next()) else {
                return Err(FilterPolicyError::new(
                    "Only one key allowed in match expression",
                ));
            };
            if operator != "prefix" {
                return Err(FilterPolicyError::new(format!(
                    "Unsupported anything-but pattern: {operator}"
                )));
            }
            match pattern {
                Value::String(text) => Ok(Matcher::AnythingButPrefix(text.clone())),
                _ => Err(FilterPolicyError::new(
                    "prefix match pattern must be a string",
                )),
            }
        }
        single => anything_but_literal(single).map(|literal| Matcher::AnythingBut(vec![literal])),
    }
}

fn numeric_operand(operator: &str, value: Option<&Value>) -> Result<f64, FilterPolicyError> {
    match value {
        Some(number @ Value::Number(_)) => policy_number(number),
        _ => {
            let shown = if operator == "=" { "equals" } else { operator };
            Err(FilterPolicyError::new(format!(
                "Value of {shown} must be numeric"
            )))
        }
    }
}

fn compile_numeric(value: &Value) -> Result<NumericRange, FilterPolicyError> {
    let Value::Array(terms) = value else {
        return Err(FilterPolicyError::new("Value of numeric must be an array."));
    };
    let Some(first) = terms.first() else {
        return Err(FilterPolicyError::new("Invalid member in numeric match: ]"));
    };
    let Value::String(operator) = first else {
        return Err(FilterPolicyError::new(format!(
            "Invalid member in numeric match: {}",
            error_text(first)
        )));
    };
    if !matches!(operator.as_str(), "<" | "<=" | "=" | ">" | ">=") {
        return Err(FilterPolicyError::new(format!(
            "Unrecognized numeric range operator: {operator}"
        )));
    }
    let operand = numeric_operand(operator, terms.get(1))?;
    let single = match operator.as_str() {
        "=" => NumericRange {
            lower: Bound::Inclusive(operand),
            upper: Bound::Inclusive(operand),
        },
        "<" => NumericRange {
            lower: Bound::Unbounded,
            upper: Bound::Exclusive(operand),
        },
        "<=" => NumericRange {
            lower: Bound::Unbounded,
            upper: Bound::Inclusive(operand),
        },
        ">" => NumericRange {
            lower: Bound::Exclusive(operand),
            upper: Bound::Unbounded,
        },
        _ => NumericRange {
            lower: Bound::Inclusive(operand),
            upper: Bound::Unbounded,
        },
    };
    if terms.len() <= 2 {
        return Ok(single);
    }
    if !matches!(operator.as_str(), ">" | ">=") {
        return Err(FilterPolicyError::new(
            "Too many elements in numeric expression",
        ));
    }
    let second = terms.get(2).unwrap_or(&Value::Null);
    let Value::String(upper_operator) = second else {
        return Err(FilterPolicyError::new(format!(
            "Bad value in numeric range: {}",
            error_text(second)
        )));
    };
    let upper_operand = match upper_operator.as_str() {
        "<" | "<=" => numeric_operand(upper_operator, terms.get(3))?,
        other => {
            return Err(FilterPolicyError::new(format!(
                "Bad numeric range operator: {other}"
            )));
        }
    };
    if upper_operand <= operand {
        return Err(FilterPolicyError::new("Bottom must be less than top"));
    }
    if terms.len() > 4 {
        return Err(FilterPolicyError::new(
            "Too many terms in numeric range expression",
        ));
    }
    let upper = if upper_operator == "<" {
        Bound::Exclusive(upper_operand)
    } else {
        Bound::Inclusive(upper_operand)
    };
    Ok(NumericRange {
        lower: single.lower,
        upper,
    })
}

fn compile_cidr(value: &Value) -> Result<Cidr, FilterPolicyError> {
    // AWS answers a non-string `cidr` with the prefix text (recorded by LocalStack).
    let Value::String(text) = value else {
        return Err(FilterPolicyError::new(
            "prefix match pattern must be a string",
        ));
    };
    let mut parts = text.split('/');
    let (Some(address), Some(bits), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(FilterPolicyError::new("Malformed CIDR, one '/' required"));
    };
    let Ok(bits) = bits.parse::<u32>() else {
        return Err(FilterPolicyError::new(
            "Malformed CIDR, mask bits must be an integer",
        ));
    };
    let nonstandard = || FilterPolicyError::new(format!("Nonstandard IP address: {address}"));
    if let Ok(v4) = address.parse::<Ipv4Addr>() {
        if bits > 32 {
            return Err(nonstandard());
        }
        let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
        return Ok(Cidr::V4 {
            network: u32::from(v4) & mask,
            mask,
        });
    }
    if let Ok(v6) = address.parse::<Ipv6Addr>() {
        if bits > 128 {
            return Err(nonstandard());
        }
        let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
        return Ok(Cidr::V6 {
            network: u128::from(v6) & mask,
            mask,
        });
    }
    Err(nonstandard())
}

impl FilterPolicy {
    /// Parses and validates a policy; the error carries the AWS-style text.
    pub fn parse(
        policy_json: &str,
        scope: FilterPolicyScope,
    ) -> Result<FilterPolicy, FilterPolicyError> {
        if policy_json.len() > MAX_POLICY_BYTES {
            return Err(FilterPolicyError::new(format!(
                "Filter policy is too large: {} bytes, the limit is {MAX_POLICY_BYTES} bytes",
                policy_json.len()
            )));
        }
        let document: Value = serde_json::from_str(policy_json)
            .map_err(|error| FilterPolicyError::new(format!("failed to parse JSON. {error}")))?;
        let Value::Object(object) = document else {
            return Err(FilterPolicyError::new(
                "Filter policy must be a JSON object",
            ));
        };
        if object.len() > MAX_KEYS {
            return Err(FilterPolicyError::new(
                "Filter policy can not have more than 5 keys",
            ));
        }
        let mut compiler = Compiler {
            scope,
            structure_error: None,
            rule_error: None,
        };
        let (nodes, combinations) = compiler.object(&object, &[], 1);
        if let Some(error) = compiler.structure_error {
            return Err(error);
        }
        if combinations > MAX_COMBINATIONS {
            return Err(FilterPolicyError::new("Filter policy is too complex"));
        }
        if let Some(error) = compiler.rule_error {
            return Err(error);
        }
        let flat = nodes
            .iter()
            .all(|node| matches!(node, Node::Key(rule) if rule.path.len() == 1));
        Ok(FilterPolicy {
            scope,
            nodes,
            combinations,
            flat,
        })
    }

    /// The scope the policy was parsed for.
    pub fn scope(&self) -> FilterPolicyScope {
        self.scope
    }

    /// The policy's value combinations: the product of its arrays' sizes, each multiplied by
    /// its nesting depth in body policies, with `$or` branches summed.
    pub fn combinations(&self) -> u64 {
        self.combinations
    }

    /// Matches message attributes (scope `MessageAttributes`).
    ///
    /// A policy parsed for the body scope is applied to the attributes all the same; its
    /// nested keys then never find a value.
    pub fn matches_attributes(
        &self,
        attributes: &BTreeMap<String, MessageAttributeValue>,
    ) -> Match {
        if self.flat && self.matches_flat(attributes) {
            return Match::Matched;
        }
        let mut message = AttributeMessage {
            attributes,
            invalid: None,
        };
        match conjunction(&self.nodes, &mut message) {
            Ok(()) => Match::Matched,
            Err(failure) => {
                if let Some(reason) = message.invalid {
                    return Match::InvalidAttributes { reason };
                }
                if attributes.is_empty() {
                    return Match::NoMessageAttributes;
                }
                failure.into_match(&mut message)
            }
        }
    }

    /// The fast path: walks the sorted attributes and the sorted policy keys together.
    /// True means matched; false sends the caller to the general path, which explains.
    fn matches_flat(&self, attributes: &BTreeMap<String, MessageAttributeValue>) -> bool {
        let mut message = AttributeMessage {
            attributes,
            invalid: None,
        };
        let mut entries = attributes.iter();
        let mut current = entries.next();
        for node in &self.nodes {
            let Node::Key(rule) = node else { return false };
            let Some(name) = rule.path.first() else {
                return false;
            };
            while let Some((key, _)) = current {
                if key.as_str() < name.as_str() {
                    current = entries.next();
                } else {
                    break;
                }
            }
            let found = match current {
                Some((key, attribute)) if key == name => {
                    message.check_attribute(name, attribute, rule)
                }
                _ => None,
            };
            let matched = match found {
                Some(matched) => matched,
                None => rule.accepts_absent,
            };
            if !matched || message.invalid.is_some() {
                return false;
            }
        }
        true
    }

    /// Matches a message body (scope `MessageBody`); a body that is not a JSON object
    /// matches nothing.
    pub fn matches_body(&self, body: &str) -> Match {
        let Ok(Value::Object(object)) = serde_json::from_str::<Value>(body) else {
            return Match::NoMatch {
                key: String::new(),
                reason: "the message body is not a JSON object".to_string(),
            };
        };
        self.matches_body_value(&object)
    }

    /// Matches an already parsed body object.
    pub fn matches_body_value(&self, body: &serde_json::Map<String, Value>) -> Match {
        let mut message = BodyMessage { body };
        match conjunction(&self.nodes, &mut message) {
            Ok(()) => Match::Matched,
            Err(failure) => failure.into_match(&mut message),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Matching.
// ---------------------------------------------------------------------------------------

/// What one policy key found in the message.
enum KeyOutcome {
    Matched,
    Absent,
    /// Present, and no value matched; the values as text.
    Mismatch(String),
}

trait Message {
    fn noun(&self) -> &'static str;
    /// Whether any value at the key satisfies any matcher; `None` when the key is absent.
    fn check(&mut self, rule: &KeyRule) -> Option<bool>;
    /// The value(s) at the key as text, for reasons.
    fn describe(&self, rule: &KeyRule) -> Option<String>;
}

#[inline]
fn key_matches(rule: &KeyRule, message: &mut impl Message) -> bool {
    match message.check(rule) {
        Some(matched) => matched,
        None => rule.accepts_absent,
    }
}

enum Failure<'p> {
    Key(&'p KeyRule),
    Or(Vec<Failure<'p>>),
}

fn conjunction<'p>(nodes: &'p [Node], message: &mut impl Message) -> Result<(), Failure<'p>> {
    for node in nodes {
        match node {
            Node::Key(rule) => {
                if !key_matches(rule, message) {
                    return Err(Failure::Key(rule));
                }
            }
            Node::Or(branches) => {
                let mut failures = Vec::new();
                let mut any = false;
                for branch in branches {
                    match conjunction(branch, message) {
                        Ok(()) => {
                            any = true;
                            break;
                        }
                        Err(failure) => failures.push(failure),
                    }
                }
                if !any {
                    return Err(Failure::Or(failures));
                }
            }
        }
    }
    Ok(())
}

impl Failure<'_> {
    fn key(&self) -> String {
        match self {
            Failure::Key(rule) => rule.display.clone(),
            Failure::Or(_) => "$or".to_string(),
        }
    }

    fn reason(&self, message: &mut impl Message) -> String {
        match self {
            Failure::Key(rule) => {
                let outcome = match message.describe(rule) {
                    None => KeyOutcome::Absent,
                    Some(values) => {
                        if message.check(rule) == Some(true) {
                            KeyOutcome::Matched
                        } else {
                            KeyOutcome::Mismatch(values)
                        }
                    }
                };
                let noun = message.noun();
                match outcome {
                    KeyOutcome::Absent => format!(
                        "{noun} \"{}\" is absent, and only {{\"exists\": false}} accepts an absent key (the policy lists {})",
                        rule.display, rule.description
                    ),
                    KeyOutcome::Mismatch(values) => {
                        let verb = if rule.all_literals { "is" } else { "matches" };
                        format!(
                            "{noun} \"{}\" is {values}, which {verb} none of {}",
                            rule.display, rule.description
                        )
                    }
                    KeyOutcome::Matched => format!("{noun} \"{}\" matched", rule.display),
                }
            }
            Failure::Or(branches) => {
                let parts: Vec<String> = branches
                    .iter()
                    .enumerate()
                    .map(|(index, failure)| {
                        format!("branch {}: {}", index + 1, failure.reason(message))
                    })
                    .collect();
                format!("no branch of $or matched ({})", parts.join("; "))
            }
        }
    }

    fn into_match(self, message: &mut impl Message) -> Match {
        Match::NoMatch {
            key: self.key(),
            reason: self.reason(message),
        }
    }
}

enum AttributeKind {
    String,
    StringArray,
    Number,
    Binary,
    Unknown,
}

#[inline]
fn attribute_kind(data_type: &str) -> AttributeKind {
    match data_type {
        "String" => return AttributeKind::String,
        "Number" => return AttributeKind::Number,
        _ => {}
    }
    let base = data_type
        .split_once('.')
        .map_or(data_type, |(base, _)| base);
    match base {
        "String" if data_type == "String.Array" => AttributeKind::StringArray,
        "String" => AttributeKind::String,
        "Number" => AttributeKind::Number,
        "Binary" => AttributeKind::Binary,
        _ => AttributeKind::Unknown,
    }
}

fn parse_number(text: &str) -> Option<f64> {
    if let Some(number) = parse_simple_decimal(text.as_bytes()) {
        return Some(number);
    }
    let trimmed = text.trim();
    // Rust accepts "inf" and "NaN"; SNS numbers are finite decimals.
    if !trimmed
        .bytes()
        .all(|byte| byte.is_ascii_digit() || matches!(byte, b'-' | b'+' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    trimmed
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}

/// The fast path for `-?digits(.digits)?` with at most 15 digits: the digits form an exact
/// integer and one division by an exact power of ten rounds correctly (Clinger's fast path),
/// so the result equals `str::parse`.
#[inline]
fn parse_simple_decimal(bytes: &[u8]) -> Option<f64> {
    const POWERS_OF_TEN: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let mut mantissa: u64 = 0;
    let mut digit_count = 0usize;
    let mut fraction_digits: Option<usize> = None;
    for &byte in digits {
        match byte {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(byte - b'0');
                digit_count += 1;
                if let Some(count) = fraction_digits.as_mut() {
                    *count += 1;
                }
                if digit_count > 15 {
                    return None;
                }
            }
            b'.' if fraction_digits.is_none() => fraction_digits = Some(0),
            _ => return None,
        }
    }
    let fraction_digits = fraction_digits.unwrap_or(0);
    if digit_count == 0 || (fraction_digits == 0 && digits.last() == Some(&b'.')) {
        return None;
    }
    let scale = POWERS_OF_TEN.get(fraction_digits)?;
    #[allow(clippy::cast_precision_loss)] // At most 15 digits: exact in an f64.
    let magnitude = mantissa as f64 / scale;
    Some(if negative { -magnitude } else { magnitude })
}

struct AttributeMessage<'m> {
    attributes: &'m BTreeMap<String, MessageAttributeValue>,
    /// The first malformed attribute the policy looked at.
    invalid: Option<String>,
}

impl AttributeMessage<'_> {
    /// Whether any value of a present attribute satisfies any matcher; `None` when the
    /// attribute counts as absent (Binary, or an empty String.Array).
    #[inline]
    fn check_attribute(
        &mut self,
        name: &str,
        attribute: &MessageAttributeValue,
        rule: &KeyRule,
    ) -> Option<bool> {
        let any = |value: Scalar<'_>| rule.matchers.iter().any(|matcher| matcher.matches(value));
        match attribute_kind(&attribute.data_type) {
            AttributeKind::Binary => None,
            AttributeKind::String => match &attribute.string_value {
                Some(text) => Some(any(Scalar::Str(text))),
                None => {
                    self.mark_invalid(|| {
                        format!("attribute \"{name}\" is a String without a StringValue")
                    });
                    Some(false)
                }
            },
            AttributeKind::Number => {
                match attribute.string_value.as_deref().and_then(parse_number) {
                    Some(number) => Some(any(Scalar::Num(number))),
                    None => {
                        self.mark_invalid(|| {
                            format!(
                                "attribute \"{name}\" is a Number but {} does not parse as a number",
                                quoted(attribute.string_value.as_deref())
                            )
                        });
                        Some(false)
                    }
                }
            }
            AttributeKind::StringArray => {
                let parsed = attribute
                    .string_value
                    .as_deref()
                    .and_then(|text| serde_json::from_str::<Value>(text).ok());
                match parsed {
                    // An empty array has no value to compare, like an absent key.
                    Some(Value::Array(elements)) if elements.is_empty() => None,
                    Some(Value::Array(elements)) => Some(
                        elements
                            .iter()
                            .filter_map(Scalar::from_json)
                            .any(|element| {
                                rule.matchers.iter().any(|matcher| matcher.matches(element))
                            }),
                    ),
                    _ => {
                        self.mark_invalid(|| {
                            format!(
                                "attribute \"{name}\" is a String.Array but {} is not a JSON array",
                                quoted(attribute.string_value.as_deref())
                            )
                        });
                        Some(false)
                    }
                }
            }
            AttributeKind::Unknown => {
                self.mark_invalid(|| {
                    format!(
                        "attribute \"{name}\" has the unknown DataType \"{}\"",
                        attribute.data_type
                    )
                });
                Some(false)
            }
        }
    }

    fn mark_invalid(&mut self, reason: impl FnOnce() -> String) {
        if self.invalid.is_none() {
            self.invalid = Some(reason());
        }
    }
}

impl Message for AttributeMessage<'_> {
    fn noun(&self) -> &'static str {
        "attribute"
    }

    #[inline]
    fn check(&mut self, rule: &KeyRule) -> Option<bool> {
        let [name] = rule.path.as_slice() else {
            return None;
        };
        let attribute = self.attributes.get(name.as_str())?;
        self.check_attribute(name, attribute, rule)
    }

    fn describe(&self, rule: &KeyRule) -> Option<String> {
        let [name] = rule.path.as_slice() else {
            return None;
        };
        let attribute = self.attributes.get(name.as_str())?;
        match attribute_kind(&attribute.data_type) {
            AttributeKind::Binary => None,
            AttributeKind::String => Some(quoted(attribute.string_value.as_deref())),
            AttributeKind::Number | AttributeKind::StringArray | AttributeKind::Unknown => Some(
                attribute
                    .string_value
                    .clone()
                    .unwrap_or_else(|| "empty".to_string()),
            ),
        }
    }
}

fn quoted(text: Option<&str>) -> String {
    match text {
        Some(text) => compact_json(&Value::String(text.to_string())),
        None => "empty".to_string(),
    }
}

struct BodyMessage<'m> {
    body: &'m serde_json::Map<String, Value>,
}

/// Visits the leaf values at `path` below `value`, flattening arrays; stops when `visit`
/// returns true and reports whether it did.
fn visit_leaves<'v>(
    value: &'v Value,
    path: &[String],
    visit: &mut impl FnMut(&'v Value) -> bool,
) -> bool {
    match value {
        Value::Array(elements) => elements
            .iter()
            .any(|element| visit_leaves(element, path, visit)),
        Value::Object(object) => match path.split_first() {
            Some((head, rest)) => object
                .get(head.as_str())
                .is_some_and(|child| visit_leaves(child, rest, visit)),
            None => false,
        },
        leaf => path.is_empty() && visit(leaf),
    }
}

fn visit_body<'v>(
    body: &'v serde_json::Map<String, Value>,
    path: &[String],
    visit: &mut impl FnMut(&'v Value) -> bool,
) -> bool {
    let Some((head, rest)) = path.split_first() else {
        return false;
    };
    body.get(head.as_str())
        .is_some_and(|child| visit_leaves(child, rest, visit))
}

impl Message for BodyMessage<'_> {
    fn noun(&self) -> &'static str {
        "property"
    }

    fn check(&mut self, rule: &KeyRule) -> Option<bool> {
        let mut present = false;
        let matched = visit_body(self.body, &rule.path, &mut |leaf| {
            present = true;
            Scalar::from_json(leaf)
                .is_some_and(|value| rule.matchers.iter().any(|matcher| matcher.matches(value)))
        });
        present.then_some(matched)
    }

    fn describe(&self, rule: &KeyRule) -> Option<String> {
        let mut leaves: Vec<String> = Vec::new();
        visit_body(self.body, &rule.path, &mut |leaf| {
            leaves.push(compact_json(leaf));
            false
        });
        match leaves.len() {
            0 => None,
            1 => leaves.pop(),
            _ => Some(format!("[{}]", leaves.join(", "))),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Attribute JSON.
// ---------------------------------------------------------------------------------------

/// Parses attributes in the AWS API shape, `{"store": {"DataType": "String", "StringValue": "x"}}`.
///
/// The notification shape of the AWS guide's examples, `{"Type": "Number", "Value": 301.5}`,
/// is accepted too; a JSON number or array value is kept as its JSON text.
pub fn parse_attributes_json(
    json: &str,
) -> Result<BTreeMap<String, MessageAttributeValue>, String> {
    let document: Value = serde_json::from_str(json)
        .map_err(|error| format!("attributes are not valid JSON: {error}"))?;
    let Value::Object(object) = document else {
        return Err("attributes must be a JSON object".to_string());
    };
    let mut attributes = BTreeMap::new();
    for (name, value) in &object {
        let Value::Object(fields) = value else {
            return Err(format!("attribute \"{name}\" must be an object"));
        };
        let data_type = match fields.get("DataType").or_else(|| fields.get("Type")) {
            Some(Value::String(text)) => text.clone(),
            _ => return Err(format!("attribute \"{name}\" needs a string DataType")),
        };
        let text_of = |field: Option<&Value>| -> Result<Option<String>, String> {
            match field {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(other @ (Value::Number(_) | Value::Array(_) | Value::Bool(_))) => {
                    Ok(Some(compact_json(other)))
                }
                Some(Value::Object(_)) => Err(format!("attribute \"{name}\" has an object value")),
            }
        };
        let string_value = text_of(fields.get("StringValue").or_else(|| fields.get("Value")))?;
        let binary_value = text_of(fields.get("BinaryValue"))?;
        attributes.insert(
            name.clone(),
            MessageAttributeValue {
                data_type,
                string_value,
                binary_value,
            },
        );
    }
    Ok(attributes)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{parse_number, parse_simple_decimal};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_fast_number_path_agrees_with_the_standard_parser(text in "-?[0-9]{0,17}(\\.[0-9]{0,8})?") {
            if let Some(fast) = parse_simple_decimal(text.as_bytes()) {
                let standard = text.parse::<f64>().ok();
                prop_assert_eq!(Some(fast.to_bits()), standard.map(f64::to_bits), "{}", text);
            }
            prop_assert_eq!(parse_number(&text).map(f64::to_bits), text.parse::<f64>().ok().map(f64::to_bits));
        }
    }
}
