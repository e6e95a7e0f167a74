//! The JSONPath subset of the Amazon States Language.
//!
//! A *path* starts with `$` (the state input) or `$$` (the context object) and is made of
//! `.name`, `['name']`, `[n]` (negative counts from the end), `.*` / `[*]`, slices `[a:b]`,
//! unions `[0,2]` / `['a','b']` and recursive descent `..name` / `..*`.
//! A path with only names and indexes is *definite* (a reference path) and selects at most
//! one node; any other path selects a list, returned as a JSON array, as Step Functions does.
//! Filter expressions (`[?(...)]`) and script expressions are left out: parsing reports them.

use serde_json::{Map, Value};

/// Where a path starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathRoot {
    /// `$`: the state input (or the value a selector applies to).
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a variable set by `Assign`.
    Variable,
}

#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Field(String),
    Index(i64),
    Wildcard,
    Slice(Option<i64>, Option<i64>, i64),
    Fields(Vec<String>),
    Indexes(Vec<i64>),
    Descendant(Option<String>),
}

/// A parsed JSONPath.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    text: String,
    root: PathRoot,
    /// The variable's name when the root is [`PathRoot::Variable`].
    variable: Option<String>,
    segments: Vec<Segment>,
    definite: bool,
}

/// What a path selects.
pub enum Selection<'a> {
    /// A definite path that found nothing.
    Missing,
    /// A definite path's one node.
    One(&'a Value),
    /// An indefinite path's nodes, in document order.
    Many(Vec<&'a Value>),
}

impl<'a> Selection<'a> {
    /// The selection as an owned value: `None` when missing, an array for many nodes.
    pub fn into_value(self) -> Option<Value> {
        match self {
            Selection::Missing => None,
            Selection::One(value) => Some(value.clone()),
            Selection::Many(values) => Some(Value::Array(values.into_iter().cloned().collect())),
        }
    }
}

fn parse_integer(text: &str) -> Result<i64, String> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| format!("'{}' is not an integer", text.trim()))
}

/// Parses a quoted name starting at `chars[start]` (a `'` or `"`); returns the name and the
/// index after the closing quote.
fn parse_quoted(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let Some(&quote) = chars.get(start) else {
        return Err("expected a quoted name".into());
    };
    let mut name = String::new();
    let mut position = start + 1;
    loop {
        match chars.get(position) {
            None => return Err("unterminated quoted name".into()),
            Some('\\') => {
                if let Some(&escaped) = chars.get(position + 1) {
                    name.push(escaped);
                }
                position += 2;
            }
            Some(&c) if c == quote => return Ok((name, position + 1)),
            Some(&c) => {
                name.push(c);
                position += 1;
            }
        }
    }
}

fn parse_bracket(chars: &[char], start: usize) -> Result<(Segment, usize), String> {
    // `start` is just after '['.
    let mut position = start;
    while chars.get(position) == Some(&' ') {
        position += 1;
    }
    match chars.get(position) {
        Some('\'') | Some('"') => {
            let mut names = Vec::new();
            loop {
                let (name, after) = parse_quoted(chars, position)?;
                names.push(name);
                position = after;
                while chars.get(position) == Some(&' ') {
                    position += 1;
                }
                match chars.get(position) {
                    Some(',') => {
                        position += 1;
                        while chars.get(position) == Some(&' ') {
                            position += 1;
                        }
                    }
                    Some(']') => break,
                    _ => return Err("expected ',' or ']' after a quoted name".into()),
                }
            }
            let segment = if names.len() == 1 {
                Segment::Field(names.pop().unwrap_or_default())
            } else {
                Segment::Fields(names)
            };
            Ok((segment, position + 1))
        }
        Some('?') | Some('(') => {
            Err("filter and script expressions ([?(...)], [(...)]) are not supported".into())
        }
        _ => {
            let end = chars[position..]
                .iter()
                .position(|&c| c == ']')
                .map(|offset| position + offset)
                .ok_or_else(|| "missing ']'".to_string())?;
            let inner: String = chars[position..end].iter().collect();
            let inner = inner.trim();
            let segment = if inner == "*" {
                Segment::Wildcard
            } else if inner.contains(':') {
                let parts: Vec<&str> = inner.split(':').collect();
                if parts.len() > 3 {
                    return Err(format!("bad slice '{inner}'"));
                }
                let bound = |text: Option<&&str>| -> Result<Option<i64>, String> {
                    match text.map(|text| text.trim()) {
                        None | Some("") => Ok(None),
                        Some(text) => parse_integer(text).map(Some),
                    }
                };
                let step = bound(parts.get(2))?.unwrap_or(1);
                if step <= 0 {
                    return Err("a slice step must be positive".into());
                }
                Segment::Slice(bound(parts.first())?, bound(parts.get(1))?, step)
            } else if inner.contains(',') {
                let indexes = inner
                    .split(',')
                    .map(parse_integer)
                    .collect::<Result<Vec<_>, _>>()?;
                Segment::Indexes(indexes)
            } else {
                Segment::Index(parse_integer(inner)?)
            };
            Ok((segment, end + 1))
        }
    }
}

fn parse_name(chars: &[char], start: usize) -> (String, usize) {
    let mut position = start;
    while let Some(&c) = chars.get(position) {
        if c == '.' || c == '[' {
            break;
        }
        position += 1;
    }
    (chars[start..position].iter().collect(), position)
}

impl Path {
    /// Parses a path; the error says what is wrong.
    pub fn parse(text: &str) -> Result<Path, String> {
        let chars: Vec<char> = text.chars().collect();
        let (root, mut position) = match (chars.first(), chars.get(1)) {
            (Some('$'), Some('$')) => (PathRoot::Context, 2),
            (Some('$'), Some(c)) if c.is_alphabetic() || *c == '_' => (PathRoot::Variable, 1),
            (Some('$'), _) => (PathRoot::Input, 1),
            _ => return Err(format!("path '{text}' must start with '$'")),
        };
        let mut variable = None;
        if root == PathRoot::Variable {
            let (name, after) = parse_name(&chars, position);
            variable = Some(name);
            position = after;
        }
        let mut segments = Vec::new();
        while position < chars.len() {
            match chars.get(position) {
                Some('.') if chars.get(position + 1) == Some(&'.') => {
                    position += 2;
                    if chars.get(position) == Some(&'*') {
                        segments.push(Segment::Descendant(None));
                        position += 1;
                    } else {
                        let (name, after) = parse_name(&chars, position);
                        if name.is_empty() {
                            return Err(format!("path '{text}': '..' must be followed by a name"));
                        }
                        segments.push(Segment::Descendant(Some(name)));
                        position = after;
                    }
                }
                Some('.') => {
                    position += 1;
                    if chars.get(position) == Some(&'*') {
                        segments.push(Segment::Wildcard);
                        position += 1;
                    } else {
                        let (name, after) = parse_name(&chars, position);
                        if name.is_empty() {
                            return Err(format!("path '{text}': empty field name"));
                        }
                        segments.push(Segment::Field(name));
                        position = after;
                    }
                }
                Some('[') => {
                    let (segment, after) = parse_bracket(&chars, position + 1)
                        .map_err(|message| format!("path '{text}': {message}"))?;
                    segments.push(segment);
                    position = after;
                }
                _ => {
                    return Err(format!(
                        "path '{text}': unexpected character at position {position}"
                    ))
                }
            }
        }
        let definite = segments
            .iter()
            .all(|segment| matches!(segment, Segment::Field(_) | Segment::Index(_)));
        Ok(Path {
            text: text.to_string(),
            root,
            variable,
            segments,
            definite,
        })
    }

    /// Parses a reference path: a definite path of names and indexes only.
    pub fn parse_reference(text: &str) -> Result<Path, String> {
        let path = Path::parse(text)?;
        if !path.definite {
            return Err(format!(
                "'{text}' must be a reference path (names and indexes only, no wildcards, slices, unions or '..')"
            ));
        }
        Ok(path)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn root(&self) -> PathRoot {
        self.root
    }

    /// The variable a `$name...` path reads.
    pub fn variable(&self) -> Option<&str> {
        self.variable.as_deref()
    }

    /// True when the path is `$` or `$$` alone.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// True when the path has only names and indexes.
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// The node a definite path selects, if any (indefinite paths give `None`).
    pub fn get<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        if !self.definite {
            return None;
        }
        let mut current = root;
        for segment in &self.segments {
            current = match segment {
                Segment::Field(name) => current.as_object()?.get(name)?,
                Segment::Index(index) => {
                    let array = current.as_array()?;
                    array.get(resolve_index(*index, array.len())?)?
                }
                _ => return None,
            };
        }
        Some(current)
    }

    /// Evaluates the path against `root`.
    pub fn select<'a>(&self, root: &'a Value) -> Selection<'a> {
        if self.definite {
            return match self.get(root) {
                Some(value) => Selection::One(value),
                None => Selection::Missing,
            };
        }
        let mut current: Vec<&'a Value> = vec![root];
        for segment in &self.segments {
            let mut next: Vec<&'a Value> = Vec::new();
            for node in current {
                apply_segment(segment, node, &mut next);
            }
            current = next;
        }
        Selection::Many(current)
    }

    /// Writes `value` at this (reference) path inside `target`, creating missing objects
    /// on the way; `Err(target)` when a node on the way is not an object or an index is
    /// missing.
    pub fn set(&self, mut target: Value, value: Value) -> Result<Value, Value> {
        if self.segments.is_empty() {
            return Ok(value);
        }
        if set_inner(&self.segments, &mut target, value) {
            Ok(target)
        } else {
            Err(target)
        }
    }
}

fn set_inner(segments: &[Segment], target: &mut Value, value: Value) -> bool {
    let mut current = target;
    let last = segments.len().saturating_sub(1);
    for (position, segment) in segments.iter().enumerate() {
        let is_last = position == last;
        current = match segment {
            Segment::Field(name) => {
                let Value::Object(object) = current else {
                    return false;
                };
                if is_last {
                    object.insert(name.clone(), value);
                    return true;
                }
                object
                    .entry(name.clone())
                    .or_insert_with(|| Value::Object(Map::new()))
            }
            Segment::Index(index) => {
                let Value::Array(array) = current else {
                    return false;
                };
                let Some(slot) = resolve_index(*index, array.len()).and_then(|i| array.get_mut(i))
                else {
                    return false;
                };
                if is_last {
                    *slot = value;
                    return true;
                }
                slot
            }
            _ => return false,
        };
    }
    false
}

fn resolve_index(index: i64, len: usize) -> Option<usize> {
    if index >= 0 {
        usize::try_from(index).ok().filter(|&index| index < len)
    } else {
        let from_end = usize::try_from(index.unsigned_abs()).ok()?;
        len.checked_sub(from_end)
    }
}

fn children<'a>(node: &'a Value, out: &mut Vec<&'a Value>) {
    match node {
        Value::Object(object) => out.extend(object.values()),
        Value::Array(array) => out.extend(array.iter()),
        _ => {}
    }
}

fn apply_segment<'a>(segment: &Segment, node: &'a Value, out: &mut Vec<&'a Value>) {
    match segment {
        Segment::Field(name) => {
            if let Some(child) = node.as_object().and_then(|object| object.get(name)) {
                out.push(child);
            }
        }
        Segment::Fields(names) => {
            if let Some(object) = node.as_object() {
                out.extend(names.iter().filter_map(|name| object.get(name)));
            }
        }
        Segment::Index(index) => {
            if let Some(array) = node.as_array() {
                if let Some(child) = resolve_index(*index, array.len()).and_then(|i| array.get(i)) {
                    out.push(child);
                }
            }
        }
        Segment::Indexes(indexes) => {
            if let Some(array) = node.as_array() {
                for index in indexes {
                    if let Some(child) =
                        resolve_index(*index, array.len()).and_then(|i| array.get(i))
                    {
                        out.push(child);
                    }
                }
            }
        }
        Segment::Wildcard => children(node, out),
        Segment::Slice(start, end, step) => {
            if let Some(array) = node.as_array() {
                let len = i64::try_from(array.len()).unwrap_or(i64::MAX);
                let clamp = |bound: i64| {
                    if bound < 0 {
                        (len + bound).max(0)
                    } else {
                        bound.min(len)
                    }
                };
                let from = clamp(start.unwrap_or(0));
                let to = clamp(end.unwrap_or(len));
                let mut index = from;
                while index < to {
                    if let Some(child) = usize::try_from(index).ok().and_then(|i| array.get(i)) {
                        out.push(child);
                    }
                    index = index.saturating_add(*step);
                }
            }
        }
        Segment::Descendant(name) => {
            // Depth-first, document order, with an explicit stack.
            let mut stack: Vec<&'a Value> = vec![node];
            while let Some(current) = stack.pop() {
                if let Some(name) = name {
                    if let Some(child) = current.as_object().and_then(|o| o.get(name)) {
                        out.push(child);
                    }
                }
                let mut kids = Vec::new();
                children(current, &mut kids);
                if name.is_none() {
                    out.extend(kids.iter().copied());
                }
                stack.extend(kids.into_iter().rev());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selects() {
        let input = json!({"a": [1, 2, 3, 4], "b": {"c": "x"}, "d e": 1});
        let get = |text: &str| {
            Path::parse(text)
                .ok()
                .and_then(|p| p.select(&input).into_value())
        };
        assert_eq!(get("$.a[0:2]"), Some(json!([1, 2])));
        assert_eq!(get("$.a[-1]"), Some(json!(4)));
        assert_eq!(get("$.b.c"), Some(json!("x")));
        assert_eq!(get("$['b']['c']"), Some(json!("x")));
        assert_eq!(get("$..c"), Some(json!(["x"])));
        assert_eq!(get("$.zz"), None);
        assert!(Path::parse("$.a[?(@.x)]").is_err());
        let set = Path::parse("$.x.y")
            .unwrap()
            .set(json!({}), json!(1))
            .unwrap();
        assert_eq!(set, json!({"x": {"y": 1}}));
    }
}
