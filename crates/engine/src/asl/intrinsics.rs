//! Intrinsic functions (`States.Format(...)` and friends), parsed once when the definition
//! is validated and evaluated against a [`Scope`]. Every failure is `States.IntrinsicFailure`.

use serde_json::{Map, Value};

use super::path::{Path, PathRoot};
use super::template::Scope;
use super::StatesError;
use crate::rng::SimRng;

/// The most intrinsic calls nested in one field.
pub const MAX_NESTING: usize = 10;
/// The longest string `Base64Encode`, `Base64Decode` and `Hash` accept.
pub const MAX_STRING_CHARS: usize = 10_000;
/// The longest array `ArrayRange` builds.
pub const MAX_RANGE_ITEMS: usize = 1_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

impl Function {
    fn from_name(name: &str) -> Option<Function> {
        Some(match name {
            "States.Format" => Function::Format,
            "States.StringToJson" => Function::StringToJson,
            "States.JsonToString" => Function::JsonToString,
            "States.Array" => Function::Array,
            "States.ArrayPartition" => Function::ArrayPartition,
            "States.ArrayContains" => Function::ArrayContains,
            "States.ArrayRange" => Function::ArrayRange,
            "States.ArrayGetItem" => Function::ArrayGetItem,
            "States.ArrayLength" => Function::ArrayLength,
            "States.ArrayUnique" => Function::ArrayUnique,
            "States.Base64Encode" => Function::Base64Encode,
            "States.Base64Decode" => Function::Base64Decode,
            "States.Hash" => Function::Hash,
            "States.JsonMerge" => Function::JsonMerge,
            "States.MathRandom" => Function::MathRandom,
            "States.MathAdd" => Function::MathAdd,
            "States.StringSplit" => Function::StringSplit,
            "States.UUID" => Function::Uuid,
            _ => return None,
        })
    }

    /// The allowed argument counts (inclusive).
    fn arity(self) -> (usize, usize) {
        match self {
            Function::Format => (1, usize::MAX),
            Function::Array => (0, usize::MAX),
            Function::StringToJson
            | Function::JsonToString
            | Function::ArrayLength
            | Function::ArrayUnique
            | Function::Base64Encode
            | Function::Base64Decode => (1, 1),
            Function::ArrayPartition
            | Function::ArrayContains
            | Function::ArrayGetItem
            | Function::Hash
            | Function::MathAdd
            | Function::StringSplit => (2, 2),
            Function::ArrayRange | Function::JsonMerge => (3, 3),
            Function::MathRandom => (2, 3),
            Function::Uuid => (0, 0),
        }
    }
}

/// One argument of an intrinsic call.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// A string literal: its value and its text with the escapes kept (for `Format`).
    Str {
        value: String,
        raw: String,
    },
    /// A number, `null`, `true` or `false`.
    Literal(Value),
    Path(Path),
    Call(Box<Intrinsic>),
}

/// A parsed intrinsic call.
#[derive(Clone, Debug, PartialEq)]
pub struct Intrinsic {
    pub function: Function,
    pub args: Vec<Arg>,
    /// True when some argument (at any depth) reads the context object `$$`.
    pub uses_context: bool,
}

struct Parser<'a> {
    chars: Vec<char>,
    position: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn skip_spaces(&mut self) {
        while self
            .chars
            .get(self.position)
            .is_some_and(|c| c.is_whitespace())
        {
            self.position += 1;
        }
    }

    fn error(&self, message: &str) -> String {
        format!(
            "intrinsic function '{}': {message} (at character {})",
            self.text, self.position
        )
    }

    fn call(&mut self, depth: usize) -> Result<Intrinsic, String> {
        if depth > MAX_NESTING {
            return Err(self.error("more than 10 nested intrinsic functions"));
        }
        let start = self.position;
        while self
            .chars
            .get(self.position)
            .is_some_and(|c| c.is_alphanumeric() || *c == '.' || *c == '_')
        {
            self.position += 1;
        }
        let name: String = self
            .chars
            .get(start..self.position)
            .unwrap_or(&[])
            .iter()
            .collect();
        let Some(function) = Function::from_name(&name) else {
            return Err(self.error(&format!("unknown function '{name}'")));
        };
        self.skip_spaces();
        if self.chars.get(self.position) != Some(&'(') {
            return Err(self.error("expected '('"));
        }
        self.position += 1;
        let mut args = Vec::new();
        self.skip_spaces();
        if self.chars.get(self.position) == Some(&')') {
            self.position += 1;
        } else {
            loop {
                self.skip_spaces();
                args.push(self.arg(depth)?);
                self.skip_spaces();
                match self.chars.get(self.position) {
                    Some(',') => self.position += 1,
                    Some(')') => {
                        self.position += 1;
                        break;
                    }
                    _ => return Err(self.error("expected ',' or ')'")),
                }
            }
        }
        let (min, max) = function.arity();
        if args.len() < min || args.len() > max {
            return Err(self.error(&format!(
                "{name} takes {} argument(s), got {}",
                if min == max {
                    min.to_string()
                } else if max == usize::MAX {
                    format!("at least {min}")
                } else {
                    format!("{min} to {max}")
                },
                args.len()
            )));
        }
        if function == Function::JsonToString && !matches!(args.first(), Some(Arg::Path(_))) {
            return Err(self.error("States.JsonToString takes a path"));
        }
        let uses_context = args.iter().any(|arg| match arg {
            Arg::Path(path) => path.root() == PathRoot::Context,
            Arg::Call(call) => call.uses_context,
            _ => false,
        });
        Ok(Intrinsic {
            function,
            args,
            uses_context,
        })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, String> {
        match self.chars.get(self.position) {
            Some('\'') => {
                self.position += 1;
                let mut value = String::new();
                let mut raw = String::new();
                loop {
                    match self.chars.get(self.position) {
                        None => return Err(self.error("unterminated string")),
                        Some('\\') => {
                            let Some(&escaped) = self.chars.get(self.position + 1) else {
                                return Err(self.error("unterminated escape"));
                            };
                            value.push(escaped);
                            raw.push('\\');
                            raw.push(escaped);
                            self.position += 2;
                        }
                        Some('\'') => {
                            self.position += 1;
                            return Ok(Arg::Str { value, raw });
                        }
                        Some(&c) => {
                            value.push(c);
                            raw.push(c);
                            self.position += 1;
                        }
                    }
                }
            }
            Some('$') => {
                let start = self.position;
                let mut bracket_depth = 0usize;
                let mut quote: Option<char> = None;
                while let Some(&c) = self.chars.get(self.position) {
                    if let Some(q) = quote {
                        if c == q {
                            quote = None;
                        }
                    } else if c == '\'' || c == '"' {
                        if bracket_depth == 0 {
                            break;
                        }
                        quote = Some(c);
                    } else if c == '[' {
                        bracket_depth += 1;
                    } else if c == ']' {
                        bracket_depth = bracket_depth.saturating_sub(1);
                    } else if bracket_depth == 0 && (c == ',' || c == ')') {
                        break;
                    }
                    self.position += 1;
                }
                let text: String = self
                    .chars
                    .get(start..self.position)
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                Path::parse(text.trim_end())
                    .map(Arg::Path)
                    .map_err(|message| self.error(&message))
            }
            Some(c) if c.is_ascii_digit() || *c == '-' => {
                let start = self.position;
                while self
                    .chars
                    .get(self.position)
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
                {
                    self.position += 1;
                }
                let text: String = self
                    .chars
                    .get(start..self.position)
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                serde_json::from_str::<Value>(&text)
                    .ok()
                    .filter(Value::is_number)
                    .map(Arg::Literal)
                    .ok_or_else(|| self.error(&format!("bad number '{text}'")))
            }
            Some(_) => {
                let rest: String = self
                    .chars
                    .get(self.position..)
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                for (word, value) in [
                    ("null", Value::Null),
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                ] {
                    if rest.starts_with(word)
                        && !rest
                            .chars()
                            .nth(word.len())
                            .is_some_and(|c| c.is_alphanumeric() || c == '.')
                    {
                        self.position += word.len();
                        return Ok(Arg::Literal(value));
                    }
                }
                if rest.starts_with("States.") {
                    return Ok(Arg::Call(Box::new(self.call(depth + 1)?)));
                }
                Err(self.error("expected a string, number, null, path or function"))
            }
            None => Err(self.error("unexpected end")),
        }
    }
}

impl Intrinsic {
    /// The variables the call's path arguments read, at any nesting.
    pub fn variables(&self) -> Vec<String> {
        let mut out = Vec::new();
        for arg in &self.args {
            match arg {
                Arg::Path(path) => {
                    if let Some(name) = path.variable() {
                        out.push(name.to_string());
                    }
                }
                Arg::Call(call) => out.extend(call.variables()),
                _ => {}
            }
        }
        out
    }

    /// Parses `States.Name(arg, ...)`; the error names the problem.
    pub fn parse(text: &str) -> Result<Intrinsic, String> {
        let mut parser = Parser {
            chars: text.chars().collect(),
            position: 0,
            text,
        };
        parser.skip_spaces();
        let call = parser.call(1)?;
        parser.skip_spaces();
        if parser.position != parser.chars.len() {
            return Err(parser.error("unexpected text after the call"));
        }
        Ok(call)
    }

    /// Evaluates the call.
    pub fn evaluate(&self, scope: &Scope<'_>, rng: &mut SimRng) -> Result<Value, StatesError> {
        let mut values = Vec::with_capacity(self.args.len());
        for arg in &self.args {
            values.push(match arg {
                Arg::Str { value, .. } => Value::String(value.clone()),
                Arg::Literal(value) => value.clone(),
                Arg::Path(path) => scope.select(path).ok_or_else(|| {
                    failure(format!(
                        "The JsonPath argument '{}' could not be found in the input",
                        path.text()
                    ))
                })?,
                Arg::Call(call) => call.evaluate(scope, rng)?,
            });
        }
        apply(self.function, &self.args, values, rng)
    }
}

fn failure(cause: String) -> StatesError {
    StatesError::new("States.IntrinsicFailure", cause)
}

fn integer(value: &Value, what: &str) -> Result<i64, StatesError> {
    if let Some(integer) = value.as_i64() {
        return Ok(integer);
    }
    match value.as_f64() {
        Some(float) if float.fract() == 0.0 && float.abs() < 9.007_199_254_740_992e15 => {
            Ok(float as i64)
        }
        _ => Err(failure(format!("{what} must be an integer, got {value}"))),
    }
}

fn string<'v>(value: &'v Value, what: &str) -> Result<&'v str, StatesError> {
    value
        .as_str()
        .ok_or_else(|| failure(format!("{what} must be a string, got {value}")))
}

fn array<'v>(value: &'v Value, what: &str) -> Result<&'v Vec<Value>, StatesError> {
    value
        .as_array()
        .ok_or_else(|| failure(format!("{what} must be an array, got {value}")))
}

fn format_template(template: &str, values: &[Value]) -> Result<String, StatesError> {
    let mut out = String::with_capacity(template.len());
    let mut chars = template.chars().peekable();
    let mut next_value = values.iter();
    let mut placeholders = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(escaped) = chars.next() {
                    out.push(escaped);
                }
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                placeholders += 1;
                match next_value.next() {
                    Some(Value::String(text)) => out.push_str(text),
                    Some(value @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => {
                        out.push_str(&value.to_string())
                    }
                    Some(other) => {
                        return Err(failure(format!(
                            "States.Format arguments must be strings, numbers, booleans or null, got {other}"
                        )))
                    }
                    None => {}
                }
            }
            other => out.push(other),
        }
    }
    if placeholders != values.len() {
        return Err(failure(format!(
            "States.Format has {placeholders} placeholder(s) but {} value(s)",
            values.len()
        )));
    }
    Ok(out)
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let triple = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let symbol = |shift: u32| char::from(BASE64[((triple >> shift) & 63) as usize]);
        out.push(symbol(18));
        out.push(symbol(12));
        out.push(if chunk.len() > 1 { symbol(6) } else { '=' });
        out.push(if chunk.len() > 2 { symbol(0) } else { '=' });
    }
    out
}

pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let trimmed: &[u8] = {
        let mut end = symbols.len();
        while end > 0 && symbols.get(end - 1) == Some(&b'=') {
            end -= 1;
        }
        if symbols.len() - end > 2 {
            return None;
        }
        symbols.get(..end)?
    };
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for &symbol in trimmed {
        let value = BASE64.iter().position(|&b| b == symbol)? as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    if trimmed.len() % 4 == 1 {
        return None;
    }
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// The hex digest of `data` with `MD5`, `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512`.
pub(crate) fn hash_hex(data: &str, algorithm: &str) -> Option<String> {
    use sha2::Digest;
    Some(match algorithm {
        "MD5" => hex(&md5::Md5::digest(data.as_bytes())),
        "SHA-1" => hex(&sha1::Sha1::digest(data.as_bytes())),
        "SHA-256" => hex(&sha2::Sha256::digest(data.as_bytes())),
        "SHA-384" => hex(&sha2::Sha384::digest(data.as_bytes())),
        "SHA-512" => hex(&sha2::Sha512::digest(data.as_bytes())),
        _ => return None,
    })
}

/// A version 4 UUID from the simulation's random stream.
pub(crate) fn uuid_v4(rng: &mut SimRng) -> String {
    let high = rng.next_u64();
    let low = rng.next_u64();
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let text = hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &text[0..8],
        &text[8..12],
        &text[12..16],
        &text[16..20],
        &text[20..32]
    )
}

fn apply(
    function: Function,
    args: &[Arg],
    values: Vec<Value>,
    rng: &mut SimRng,
) -> Result<Value, StatesError> {
    let arg = |index: usize| values.get(index).unwrap_or(&Value::Null);
    match function {
        Function::Format => {
            let template = match args.first() {
                Some(Arg::Str { raw, .. }) => raw.clone(),
                _ => string(arg(0), "the States.Format template")?.to_string(),
            };
            Ok(Value::String(format_template(
                &template,
                values.get(1..).unwrap_or(&[]),
            )?))
        }
        Function::StringToJson => {
            let text = string(arg(0), "the States.StringToJson argument")?;
            serde_json::from_str(text)
                .map_err(|error| failure(format!("States.StringToJson could not parse: {error}")))
        }
        Function::JsonToString => Ok(Value::String(arg(0).to_string())),
        Function::Array => Ok(Value::Array(values)),
        Function::ArrayPartition => {
            let items = array(arg(0), "the array to partition")?;
            let size = integer(arg(1), "the chunk size")?;
            if size <= 0 {
                return Err(failure(format!(
                    "the chunk size must be a positive integer, got {size}"
                )));
            }
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            Ok(Value::Array(
                items
                    .chunks(size)
                    .map(|chunk| Value::Array(chunk.to_vec()))
                    .collect(),
            ))
        }
        Function::ArrayContains => {
            let items = array(arg(0), "the array to search")?;
            Ok(Value::Bool(items.contains(arg(1))))
        }
        Function::ArrayRange => {
            let first = integer(arg(0), "the first value")?;
            let last = integer(arg(1), "the last value")?;
            let step = integer(arg(2), "the step")?;
            if step == 0 {
                return Err(failure("the step must not be 0".into()));
            }
            let count = if (step > 0 && last < first) || (step < 0 && last > first) {
                0
            } else {
                (i128::from(last) - i128::from(first)) / i128::from(step) + 1
            };
            if count > MAX_RANGE_ITEMS as i128 {
                return Err(failure(format!(
                    "States.ArrayRange would produce {count} items; at most 1000 are allowed"
                )));
            }
            let mut out = Vec::new();
            let mut current = first;
            for _ in 0..count {
                out.push(Value::from(current));
                current = current.saturating_add(step);
            }
            Ok(Value::Array(out))
        }
        Function::ArrayGetItem => {
            let items = array(arg(0), "the array")?;
            let index = integer(arg(1), "the index")?;
            usize::try_from(index)
                .ok()
                .and_then(|index| items.get(index))
                .cloned()
                .ok_or_else(|| failure(format!("index {index} is out of bounds")))
        }
        Function::ArrayLength => Ok(Value::from(array(arg(0), "the array")?.len())),
        Function::ArrayUnique => {
            let items = array(arg(0), "the array")?;
            let mut out: Vec<Value> = Vec::new();
            for item in items {
                if !out.contains(item) {
                    out.push(item.clone());
                }
            }
            Ok(Value::Array(out))
        }
        Function::Base64Encode => {
            let text = string(arg(0), "the data to encode")?;
            if text.chars().count() > MAX_STRING_CHARS {
                return Err(failure(
                    "the data to encode exceeds 10000 characters".into(),
                ));
            }
            Ok(Value::String(base64_encode(text.as_bytes())))
        }
        Function::Base64Decode => {
            let text = string(arg(0), "the data to decode")?;
            if text.chars().count() > MAX_STRING_CHARS {
                return Err(failure(
                    "the data to decode exceeds 10000 characters".into(),
                ));
            }
            let bytes =
                base64_decode(text).ok_or_else(|| failure("invalid Base64 input".into()))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| failure("the decoded data is not UTF-8 text".into()))
        }
        Function::Hash => {
            let data = match arg(0) {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            if data.chars().count() > MAX_STRING_CHARS {
                return Err(failure("the data to hash exceeds 10000 characters".into()));
            }
            let algorithm = string(arg(1), "the hash algorithm")?;
            hash_hex(&data, algorithm).map(Value::String).ok_or_else(|| {
                failure(format!(
                    "unsupported hash algorithm '{algorithm}' (MD5, SHA-1, SHA-256, SHA-384, SHA-512)"
                ))
            })
        }
        Function::JsonMerge => {
            let (Value::Object(left), Value::Object(right)) = (arg(0), arg(1)) else {
                return Err(failure("States.JsonMerge takes two JSON objects".into()));
            };
            if arg(2) != &Value::Bool(false) {
                return Err(failure(
                    "the third argument of States.JsonMerge must be false (deep merge is not supported)"
                        .into(),
                ));
            }
            let mut merged: Map<String, Value> = left.clone();
            for (key, value) in right {
                merged.insert(key.clone(), value.clone());
            }
            Ok(Value::Object(merged))
        }
        Function::MathRandom => {
            let start = integer(arg(0), "the start")?;
            let end = integer(arg(1), "the end")?;
            if end <= start {
                return Err(failure(format!(
                    "the end ({end}) must be greater than the start ({start})"
                )));
            }
            let span = (i128::from(end) - i128::from(start)) as u64;
            let draw = match values.get(2) {
                Some(seed) => {
                    let seed = integer(seed, "the seed")?;
                    SimRng::seed_from_u64(seed as u64).below(span)
                }
                None => rng.below(span),
            };
            Ok(Value::from((i128::from(start) + i128::from(draw)) as i64))
        }
        Function::MathAdd => {
            let left = integer(arg(0), "the first addend")?;
            let right = integer(arg(1), "the second addend")?;
            let in_range = |value: i64| i32::try_from(value).is_ok();
            if !in_range(left) || !in_range(right) {
                return Err(failure(
                    "States.MathAdd takes integers in the 32-bit range".into(),
                ));
            }
            Ok(Value::from(left + right))
        }
        Function::StringSplit => {
            let text = string(arg(0), "the string to split")?;
            let delimiters = string(arg(1), "the delimiter")?;
            Ok(Value::Array(
                text.split(|c: char| delimiters.contains(c))
                    .filter(|part| !part.is_empty())
                    .map(|part| Value::String(part.to_string()))
                    .collect(),
            ))
        }
        Function::Uuid => Ok(Value::String(uuid_v4(rng))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        assert_eq!(base64_encode(b"Data to encode"), "RGF0YSB0byBlbmNvZGU=");
        assert_eq!(
            base64_decode("RGF0YSB0byBlbmNvZGU="),
            Some(b"Data to encode".to_vec())
        );
        assert_eq!(base64_decode("!!"), None);
    }
}
