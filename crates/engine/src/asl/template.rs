//! Payload templates: `Parameters`, `ResultSelector`, `ItemSelector`.
//!
//! A field whose name ends in `.$` takes its value from a path (`$...`, `$$...`) or an
//! intrinsic function; the `.$` is dropped from the output name. Objects and arrays are
//! walked at any depth. Fully static sub-trees are kept as constants.

use std::cell::OnceCell;

use serde_json::{Map, Value};

use super::intrinsics::Intrinsic;
use super::path::{Path, PathRoot};
use super::StatesError;
use crate::rng::SimRng;

/// A compiled payload template.
#[derive(Clone, Debug, PartialEq)]
pub enum Template {
    Const(Value),
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
    Path { field: String, path: Path },
    Intrinsic { field: String, call: Intrinsic },
}

/// What paths in a template read: the input (`$`) and, built on first use, the context
/// object (`$$`).
pub struct Scope<'a> {
    pub input: &'a Value,
    context: OnceCell<Value>,
    build_context: &'a dyn Fn() -> Value,
    variables: Option<&'a VariableLookup<'a>>,
}

/// Reads a variable by name (without the `$`).
pub type VariableLookup<'a> = dyn Fn(&str) -> Option<Value> + 'a;

impl<'a> Scope<'a> {
    pub fn new(input: &'a Value, build_context: &'a dyn Fn() -> Value) -> Scope<'a> {
        Scope {
            input,
            context: OnceCell::new(),
            build_context,
            variables: None,
        }
    }

    /// The same scope, reading `$name` paths from `variables`.
    pub fn with_variables(mut self, variables: &'a VariableLookup<'a>) -> Scope<'a> {
        self.variables = Some(variables);
        self
    }

    /// The value of a variable, if it is set.
    pub fn variable(&self, name: &str) -> Option<Value> {
        self.variables.and_then(|lookup| lookup(name))
    }

    pub fn context(&self) -> &Value {
        self.context.get_or_init(|| (self.build_context)())
    }

    /// Evaluates a path against the input or the context; `None` when a definite path
    /// finds nothing.
    pub fn select(&self, path: &Path) -> Option<Value> {
        let root = match path.root() {
            PathRoot::Input => self.input,
            PathRoot::Context => self.context(),
            PathRoot::Variable => {
                let value = self.variable(path.variable().unwrap_or(""))?;
                return path.select(&value).into_value();
            }
        };
        path.select(root).into_value()
    }
}

impl Template {
    /// Compiles a template; `issues` receives `(json path, message)` for each bad field.
    pub fn compile(value: &Value, at: &str, issues: &mut Vec<(String, String)>) -> Template {
        match value {
            Value::Object(object) => {
                let mut fields = Vec::with_capacity(object.len());
                let mut all_const = true;
                for (key, child) in object {
                    let child_at = format!("{at}.{key}");
                    let template = if let Some(name) = key.strip_suffix(".$") {
                        let dynamic = match child {
                            Value::String(text) if text.starts_with('$') => {
                                match Path::parse(text) {
                                    Ok(path) => Template::Path {
                                        field: key.clone(),
                                        path,
                                    },
                                    Err(message) => {
                                        issues.push((child_at, message));
                                        Template::Const(Value::Null)
                                    }
                                }
                            }
                            Value::String(text) if text.trim_start().starts_with("States.") => {
                                match Intrinsic::parse(text) {
                                    Ok(call) => Template::Intrinsic {
                                        field: key.clone(),
                                        call,
                                    },
                                    Err(message) => {
                                        issues.push((child_at, message));
                                        Template::Const(Value::Null)
                                    }
                                }
                            }
                            _ => {
                                issues.push((
                                    child_at,
                                    "a field ending in '.$' must be a path or an intrinsic function"
                                        .into(),
                                ));
                                Template::Const(Value::Null)
                            }
                        };
                        all_const = false;
                        fields.push((name.to_string(), dynamic));
                        continue;
                    } else {
                        Template::compile(child, &child_at, issues)
                    };
                    if !matches!(template, Template::Const(_)) {
                        all_const = false;
                    }
                    fields.push((key.clone(), template));
                }
                if all_const {
                    Template::Const(value.clone())
                } else {
                    Template::Object(fields)
                }
            }
            Value::Array(items) => {
                let templates: Vec<Template> = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| Template::compile(item, &format!("{at}[{index}]"), issues))
                    .collect();
                if templates.iter().all(|t| matches!(t, Template::Const(_))) {
                    Template::Const(value.clone())
                } else {
                    Template::Array(templates)
                }
            }
            other => Template::Const(other.clone()),
        }
    }

    /// Builds the payload. A path that finds nothing is `States.ParameterPathFailure`; an
    /// intrinsic failure is `States.IntrinsicFailure`.
    pub fn evaluate(&self, scope: &Scope<'_>, rng: &mut SimRng) -> Result<Value, StatesError> {
        match self {
            Template::Const(value) => Ok(value.clone()),
            Template::Object(fields) => {
                let mut object = Map::new();
                for (name, template) in fields {
                    object.insert(name.clone(), template.evaluate(scope, rng)?);
                }
                Ok(Value::Object(object))
            }
            Template::Array(items) => items
                .iter()
                .map(|item| item.evaluate(scope, rng))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Template::Path { field, path } => scope.select(path).ok_or_else(|| {
                let variable;
                let (what, root) = match path.root() {
                    PathRoot::Input => ("input", scope.input),
                    PathRoot::Context => ("context object", scope.context()),
                    PathRoot::Variable => {
                        variable = scope
                            .variable(path.variable().unwrap_or(""))
                            .unwrap_or(Value::Null);
                        ("variable", &variable)
                    }
                };
                StatesError::new(
                    "States.ParameterPathFailure",
                    format!(
                        "The JSONPath '{}' specified for the field '{field}' could not be found in the {what} '{}'",
                        path.text(),
                        truncate(&root.to_string(), 1024)
                    ),
                )
            }),
            Template::Intrinsic { call, .. } => call.evaluate(scope, rng),
        }
    }

    /// The variables the template's paths read (`$name...`).
    pub fn variables(&self, out: &mut Vec<String>) {
        match self {
            Template::Const(_) => {}
            Template::Object(fields) => fields.iter().for_each(|(_, t)| t.variables(out)),
            Template::Array(items) => items.iter().for_each(|t| t.variables(out)),
            Template::Path { path, .. } => {
                if let Some(name) = path.variable() {
                    if !out.iter().any(|known| known == name) {
                        out.push(name.to_string());
                    }
                }
            }
            Template::Intrinsic { call, .. } => {
                for name in call.variables() {
                    if !out.contains(&name) {
                        out.push(name);
                    }
                }
            }
        }
    }

    /// True when the template reads the context object anywhere.
    pub fn uses_context(&self) -> bool {
        match self {
            Template::Const(_) => false,
            Template::Object(fields) => fields.iter().any(|(_, t)| t.uses_context()),
            Template::Array(items) => items.iter().any(Template::uses_context),
            Template::Path { path, .. } => path.root() == PathRoot::Context,
            Template::Intrinsic { call, .. } => call.uses_context,
        }
    }
}

/// Cuts `text` to at most `max` bytes on a character boundary.
pub fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", text.get(..end).unwrap_or(""))
}
