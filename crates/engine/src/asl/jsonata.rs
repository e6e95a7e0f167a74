//! The JSONata subset that Step Functions documents, for `QueryLanguage: JSONata`.
//!
//! What it models: path navigation with JSONata's sequence rules (a path maps over arrays
//! and flattens; one result is a value, none is *undefined*), predicates (`items[0]`,
//! `items[-1]`, `items[price > 10]`), wildcards (`*`), the operators `+ - * / %`,
//! `= != < <= > >=`, `&`, `and`, `or`, `in`, `? :`, the range `[1..5]`, array and object
//! constructors, blocks `( a; b )` with `:=` bindings, lambdas `function($x) { ... }`,
//! the chain `~>`, variables (`$name`, including `$states`), and the functions the Step
//! Functions guide uses: the JSONata string, numeric, aggregation, Boolean, array, object
//! and higher-order functions listed in [`FUNCTIONS`], plus the Step Functions additions
//! `$partition`, `$range`, `$hash`, `$random([seed])`, `$uuid` and `$parse`.
//!
//! What it simplifies: `$now()` and `$millis()` read the execution's virtual clock, and
//! `$random()` / `$uuid()` draw from the simulation's random stream, so a seed gives one
//! result. Evaluation is bounded (nesting depth, a step budget, the length of strings and
//! arrays it builds): an expression past a bound fails with a message instead of running
//! away, as an error and never a panic.
//!
//! What it leaves out: regular expressions (`/ab+c/`, `$match`, regex arguments of
//! `$contains`/`$split`/`$replace`), `$formatNumber`, `$formatBase`, `$formatInteger`,
//! `$parseInteger`, date pictures of `$fromMillis`/`$toMillis`, `$eval`, the
//! transform operator `| ... |`, group-by `{...}` after a path, focus/index binding
//! (`@`, `#`), partial application, and function signatures. Each is reported when the
//! expression is parsed or called.

use std::sync::Arc;

use serde_json::{Map, Number, Value};

use super::intrinsics::{hash_hex, uuid_v4};
use super::timestamp::{format_rfc3339, parse_rfc3339};
use crate::rng::SimRng;

/// The deepest nesting of an expression (parentheses, constructors, operators).
pub const MAX_DEPTH: usize = 64;
/// The most evaluation steps one expression may take.
pub const MAX_STEPS: u64 = 1_000_000;
/// The longest string an expression may build, in bytes.
pub const MAX_STRING_BYTES: usize = 1 << 20;
/// The longest array an expression may build.
pub const MAX_ARRAY_ITEMS: usize = 100_000;
/// The deepest chain of lambda calls.
pub const MAX_CALL_DEPTH: usize = 32;

/// The functions this evaluator knows, without the `$`.
pub const FUNCTIONS: &[&str] = &[
    "string",
    "length",
    "substring",
    "substringBefore",
    "substringAfter",
    "uppercase",
    "lowercase",
    "trim",
    "pad",
    "contains",
    "split",
    "join",
    "replace",
    "base64encode",
    "base64decode",
    "number",
    "abs",
    "floor",
    "ceil",
    "round",
    "power",
    "sqrt",
    "sum",
    "max",
    "min",
    "average",
    "count",
    "boolean",
    "not",
    "exists",
    "append",
    "reverse",
    "distinct",
    "sort",
    "shuffle",
    "zip",
    "keys",
    "lookup",
    "merge",
    "spread",
    "each",
    "type",
    "map",
    "filter",
    "reduce",
    "single",
    "now",
    "millis",
    "toMillis",
    "fromMillis",
    "partition",
    "range",
    "hash",
    "random",
    "uuid",
    "parse",
];

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expression {
    text: String,
    node: Node,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Number(f64),
    Str(String),
    Bool(bool),
    Null,
    /// `$name`; the empty name is `$`, the context item.
    Variable(String),
    Name(String),
    Wildcard,
    Path(Vec<PathStep>),
    Unary(Box<Node>),
    Binary(BinaryOp, Box<Node>, Box<Node>),
    Condition(Box<Node>, Box<Node>, Option<Box<Node>>),
    Array(Vec<Node>),
    Range(Box<Node>, Box<Node>),
    Object(Vec<(Node, Node)>),
    Block(Vec<Node>),
    Bind(String, Box<Node>),
    Call(Box<Node>, Vec<Node>),
    Lambda(Arc<Lambda>),
}

#[derive(Clone, Debug, PartialEq)]
struct PathStep {
    node: Node,
    predicates: Vec<Node>,
}

#[derive(Debug, PartialEq)]
struct Lambda {
    params: Vec<String>,
    body: Node,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Concat,
    And,
    Or,
    In,
    Chain,
}

// ---------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(f64),
    Str(String),
    Name(String),
    Variable(String),
    Op(&'static str),
}

const OPERATORS: &[&str] = &[
    "..", ":=", "!=", "<=", ">=", "~>", ".", "[", "]", "{", "}", "(", ")", ",", ";", ":", "?", "+",
    "-", "*", "/", "%", "=", "<", ">", "&", "|", "@", "#", "^",
];

fn lex(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            let mut j = i + 2;
            loop {
                match (chars.get(j), chars.get(j + 1)) {
                    (Some('*'), Some('/')) => break,
                    (None, _) => return Err("the comment '/*' is not closed".into()),
                    _ => j += 1,
                }
            }
            i = j + 2;
            continue;
        }
        if c == '"' || c == '\'' {
            let (value, next) = lex_string(&chars, i + 1, c)?;
            tokens.push(Token::Str(value));
            i = next;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while chars.get(i).is_some_and(char::is_ascii_digit) {
                i += 1;
            }
            if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                i += 1;
                while chars.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
            }
            if matches!(chars.get(i), Some('e' | 'E')) {
                let mut j = i + 1;
                if matches!(chars.get(j), Some('+' | '-')) {
                    j += 1;
                }
                if chars.get(j).is_some_and(char::is_ascii_digit) {
                    i = j;
                    while chars.get(i).is_some_and(char::is_ascii_digit) {
                        i += 1;
                    }
                }
            }
            let literal: String = chars.get(start..i).unwrap_or_default().iter().collect();
            let number: f64 = literal
                .parse()
                .map_err(|_| format!("'{literal}' is not a number"))?;
            if !number.is_finite() {
                return Err(format!("the number {literal} is out of range"));
            }
            tokens.push(Token::Number(number));
            continue;
        }
        if c == '`' {
            let mut j = i + 1;
            while chars.get(j).is_some_and(|&d| d != '`') {
                j += 1;
            }
            if chars.get(j).is_none() {
                return Err("a name quoted with '`' is not closed".into());
            }
            tokens.push(Token::Name(
                chars.get(i + 1..j).unwrap_or_default().iter().collect(),
            ));
            i = j + 1;
            continue;
        }
        if c == '$' {
            let mut j = i + 1;
            while chars.get(j).is_some_and(|&d| is_name_char(d)) {
                j += 1;
            }
            if j == i + 1 && chars.get(j) == Some(&'$') {
                j += 1;
            }
            tokens.push(Token::Variable(
                chars.get(i + 1..j).unwrap_or_default().iter().collect(),
            ));
            i = j;
            continue;
        }
        if is_name_char(c) {
            let mut j = i;
            while chars.get(j).is_some_and(|&d| is_name_char(d)) {
                j += 1;
            }
            tokens.push(Token::Name(
                chars.get(i..j).unwrap_or_default().iter().collect(),
            ));
            i = j;
            continue;
        }
        if c == 'λ' {
            tokens.push(Token::Name("function".into()));
            i += 1;
            continue;
        }
        let rest = |op: &str| {
            op.chars()
                .enumerate()
                .all(|(k, d)| chars.get(i + k) == Some(&d))
        };
        match OPERATORS.iter().find(|op| rest(op)) {
            Some(op) => {
                tokens.push(Token::Op(op));
                i += op.chars().count();
            }
            None => return Err(format!("unexpected character '{c}'")),
        }
    }
    Ok(tokens)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn lex_string(chars: &[char], mut i: usize, quote: char) -> Result<(String, usize), String> {
    let mut value = String::new();
    loop {
        match chars.get(i) {
            None => return Err("a string literal is not closed".into()),
            Some(&c) if c == quote => return Ok((value, i + 1)),
            Some('\\') => {
                let escaped = chars.get(i + 1).copied();
                i += 2;
                match escaped {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some('r') => value.push('\r'),
                    Some('b') => value.push('\u{8}'),
                    Some('f') => value.push('\u{c}'),
                    Some('u') => {
                        let hex: String = chars.get(i..i + 4).unwrap_or_default().iter().collect();
                        let code = u32::from_str_radix(&hex, 16)
                            .ok()
                            .filter(|_| hex.len() == 4)
                            .ok_or("'\\u' must be followed by four hex digits")?;
                        value.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        i += 4;
                    }
                    Some(other @ ('"' | '\'' | '\\' | '/')) => value.push(other),
                    Some(other) => return Err(format!("unknown escape '\\{other}'")),
                    None => return Err("a string literal is not closed".into()),
                }
            }
            Some(&c) => {
                value.push(c);
                i += 1;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Parser (top-down operator precedence, as jsonata-js)

struct Parser {
    tokens: Vec<Token>,
    position: usize,
    depth: usize,
}

fn binding_power(token: &Token) -> u8 {
    match token {
        Token::Op(op) => match *op {
            "." => 75,
            "[" | "(" => 80,
            "*" | "/" | "%" => 60,
            "+" | "-" | "&" => 50,
            "=" | "!=" | "<" | "<=" | ">" | ">=" | "~>" => 40,
            "?" => 20,
            ":=" => 10,
            _ => 0,
        },
        Token::Name(name) => match name.as_str() {
            "in" => 40,
            "and" => 30,
            "or" => 25,
            _ => 0,
        },
        _ => 0,
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Token::Op(o)) if *o == op)
    }

    fn expect(&mut self, op: &str) -> Result<(), String> {
        match self.next() {
            Some(Token::Op(o)) if o == op => Ok(()),
            Some(other) => Err(format!("expected '{op}', found {}", describe(&other))),
            None => Err(format!("expected '{op}' before the end of the expression")),
        }
    }

    fn expression(&mut self, right_binding: u8) -> Result<Node, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "the expression is nested deeper than {MAX_DEPTH} levels"
            ));
        }
        let mut left = self.prefix()?;
        while let Some(token) = self.peek() {
            let power = binding_power(token);
            if power <= right_binding {
                break;
            }
            left = self.infix(left, power)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn prefix(&mut self) -> Result<Node, String> {
        let Some(token) = self.next() else {
            return Err("the expression ends too early".into());
        };
        Ok(match token {
            Token::Number(number) => Node::Number(number),
            Token::Str(text) => Node::Str(text),
            Token::Variable(name) => Node::Variable(name),
            Token::Name(name) => match name.as_str() {
                "true" => Node::Bool(true),
                "false" => Node::Bool(false),
                "null" => Node::Null,
                "function" if self.is_op("(") => self.lambda()?,
                "and" | "or" | "in" => {
                    return Err(format!("the operator '{name}' needs a left-hand side"))
                }
                _ => Node::Name(name),
            },
            Token::Op("-") => Node::Unary(Box::new(self.expression(70)?)),
            Token::Op("*") => Node::Wildcard,
            Token::Op("(") => {
                let mut items = Vec::new();
                while !self.is_op(")") {
                    items.push(self.expression(0)?);
                    if !self.is_op(";") {
                        break;
                    }
                    self.next();
                }
                self.expect(")")?;
                Node::Block(items)
            }
            Token::Op("[") => {
                let mut items = Vec::new();
                if !self.is_op("]") {
                    loop {
                        let item = self.expression(0)?;
                        if self.is_op("..") {
                            self.next();
                            let end = self.expression(0)?;
                            items.push(Node::Range(Box::new(item), Box::new(end)));
                        } else {
                            items.push(item);
                        }
                        if !self.is_op(",") {
                            break;
                        }
                        self.next();
                    }
                }
                self.expect("]")?;
                Node::Array(items)
            }
            Token::Op("{") => Node::Object(self.object_body()?),
            Token::Op("/") => {
                return Err("regular expressions are not supported by this simulation".into())
            }
            Token::Op("|") => {
                return Err(
                    "the transform operator '| ... |' is not supported by this simulation".into(),
                )
            }
            Token::Op(op @ ("@" | "#" | "^")) => {
                return Err(format!(
                    "the operator '{op}' is not supported by this simulation"
                ))
            }
            other => return Err(format!("unexpected {}", describe(&other))),
        })
    }

    fn object_body(&mut self) -> Result<Vec<(Node, Node)>, String> {
        let mut pairs = Vec::new();
        if !self.is_op("}") {
            loop {
                let key = self.expression(0)?;
                self.expect(":")?;
                let value = self.expression(0)?;
                pairs.push((key, value));
                if !self.is_op(",") {
                    break;
                }
                self.next();
            }
        }
        self.expect("}")?;
        Ok(pairs)
    }

    fn lambda(&mut self) -> Result<Node, String> {
        self.expect("(")?;
        let mut params = Vec::new();
        while !self.is_op(")") {
            match self.next() {
                Some(Token::Variable(name)) => params.push(name),
                _ => return Err("a function's parameters must be variables such as $x".into()),
            }
            if self.is_op(",") {
                self.next();
            }
        }
        self.expect(")")?;
        if self.is_op("<") {
            return Err("function signatures are not supported by this simulation".into());
        }
        self.expect("{")?;
        let body = self.expression(0)?;
        self.expect("}")?;
        Ok(Node::Lambda(Arc::new(Lambda { params, body })))
    }

    fn infix(&mut self, left: Node, power: u8) -> Result<Node, String> {
        let Some(token) = self.next() else {
            return Ok(left);
        };
        let op = match &token {
            Token::Op(op) => *op,
            Token::Name(name) if name == "and" => "and",
            Token::Name(name) if name == "or" => "or",
            Token::Name(name) if name == "in" => "in",
            other => return Err(format!("unexpected {}", describe(other))),
        };
        Ok(match op {
            "." => {
                let right = self.expression(power)?;
                let mut steps = into_steps(left);
                steps.extend(into_steps(right));
                Node::Path(steps)
            }
            "[" => {
                if self.is_op("]") {
                    self.next();
                    // `a[]` keeps a singleton array; the sequence rules here already return
                    // arrays as arrays, so it changes nothing.
                    return Ok(left);
                }
                let predicate = self.expression(0)?;
                self.expect("]")?;
                let mut steps = into_steps(left);
                if let Some(last) = steps.last_mut() {
                    last.predicates.push(predicate);
                }
                Node::Path(steps)
            }
            "(" => {
                let mut args = Vec::new();
                while !self.is_op(")") {
                    if self.is_op("?") {
                        return Err(
                            "partial application is not supported by this simulation".into()
                        );
                    }
                    args.push(self.expression(0)?);
                    if !self.is_op(",") {
                        break;
                    }
                    self.next();
                }
                self.expect(")")?;
                Node::Call(Box::new(left), args)
            }
            "?" => {
                let then = self.expression(0)?;
                let otherwise = if self.is_op(":") {
                    self.next();
                    Some(Box::new(self.expression(0)?))
                } else {
                    None
                };
                Node::Condition(Box::new(left), Box::new(then), otherwise)
            }
            ":=" => {
                let Node::Variable(name) = left else {
                    return Err("the left-hand side of ':=' must be a variable".into());
                };
                Node::Bind(name, Box::new(self.expression(power - 1)?))
            }
            _ => {
                let op = match op {
                    "+" => BinaryOp::Add,
                    "-" => BinaryOp::Sub,
                    "*" => BinaryOp::Mul,
                    "/" => BinaryOp::Div,
                    "%" => BinaryOp::Mod,
                    "=" => BinaryOp::Eq,
                    "!=" => BinaryOp::Ne,
                    "<" => BinaryOp::Lt,
                    "<=" => BinaryOp::Le,
                    ">" => BinaryOp::Gt,
                    ">=" => BinaryOp::Ge,
                    "&" => BinaryOp::Concat,
                    "and" => BinaryOp::And,
                    "or" => BinaryOp::Or,
                    "in" => BinaryOp::In,
                    "~>" => BinaryOp::Chain,
                    other => return Err(format!("unexpected '{other}'")),
                };
                let right = self.expression(power)?;
                Node::Binary(op, Box::new(left), Box::new(right))
            }
        })
    }
}

fn into_steps(node: Node) -> Vec<PathStep> {
    match node {
        Node::Path(steps) => steps,
        other => vec![PathStep {
            node: other,
            predicates: Vec::new(),
        }],
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Number(number) => format!("the number {number}"),
        Token::Str(text) => format!("the string \"{text}\""),
        Token::Name(name) => format!("'{name}'"),
        Token::Variable(name) => format!("'${name}'"),
        Token::Op(op) => format!("'{op}'"),
    }
}

// ---------------------------------------------------------------------------------------
// Values during evaluation

/// A value during evaluation: undefined, a JSON value, a sequence, or a function.
#[derive(Clone, Debug)]
enum Data {
    Undefined,
    Value(Value),
    /// A result sequence: collapses to undefined, one value or an array.
    Sequence(Vec<Value>),
    Function(Function),
}

#[derive(Clone, Debug)]
enum Function {
    Builtin(&'static str),
    Lambda(Arc<Lambda>, Arc<Vec<(String, Data)>>),
}

impl Data {
    fn collapse(self) -> Data {
        match self {
            Data::Sequence(mut items) => match items.len() {
                0 => Data::Undefined,
                1 => items.pop().map(Data::Value).unwrap_or(Data::Undefined),
                _ => Data::Value(Value::Array(items)),
            },
            other => other,
        }
    }

    fn into_value(self) -> Option<Value> {
        match self.collapse() {
            Data::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The items a path step maps over.
    fn into_items(self) -> Vec<Value> {
        match self {
            Data::Undefined | Data::Function(_) => Vec::new(),
            Data::Value(Value::Array(items)) | Data::Sequence(items) => items,
            Data::Value(value) => vec![value],
        }
    }
}

fn number(value: f64) -> Result<Value, String> {
    if !value.is_finite() {
        return Err("the number is out of range (D1001)".into());
    }
    if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
        return Ok(Value::Number(Number::from(value as i64)));
    }
    Number::from_f64(value)
        .map(Value::Number)
        .ok_or_else(|| "the number is out of range (D1001)".into())
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => items.iter().any(truthy),
        Value::Object(map) => !map.is_empty(),
    }
}

fn data_truthy(data: &Data) -> bool {
    match data {
        Data::Undefined => false,
        Data::Value(value) => truthy(value),
        Data::Sequence(items) => items.iter().any(truthy),
        Data::Function(_) => false,
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

/// `$string`: strings as they are, numbers as JSON numbers, the rest as compact JSON.
fn stringify(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

// ---------------------------------------------------------------------------------------
// Evaluation

/// What an expression can read: its variables (`$states` and the state machine's
/// variables), the random stream and the virtual clock.
pub struct Environment<'a> {
    /// Looks up a variable by name (without the `$`), `states` included.
    pub variables: &'a dyn Fn(&str) -> Option<Value>,
    pub rng: &'a mut SimRng,
    /// The virtual clock as microseconds since the Unix epoch.
    pub now_epoch_micros: i64,
}

struct Evaluator<'e, 'a> {
    env: &'e mut Environment<'a>,
    steps: u64,
    frames: Vec<(String, Data)>,
    call_depth: usize,
}

impl Expression {
    /// Parses the text between `{%` and `%}`.
    pub fn parse(text: &str) -> Result<Expression, String> {
        let tokens = lex(text)?;
        if tokens.is_empty() {
            return Err("the expression is empty".into());
        }
        let mut parser = Parser {
            tokens,
            position: 0,
            depth: 0,
        };
        let node = parser.expression(0)?;
        if let Some(token) = parser.peek() {
            return Err(format!(
                "unexpected {} after the expression",
                describe(token)
            ));
        }
        check_node(&node, 0)?;
        Ok(Expression {
            text: text.to_string(),
            node,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The variables the expression reads, without the `$` (bound names and function
    /// parameters included).
    pub fn variables(&self) -> Vec<String> {
        let mut names = Vec::new();
        collect_variables(&self.node, &mut names);
        names
    }

    /// Evaluates the expression; `Ok(None)` is JSONata's *undefined*.
    pub fn evaluate(&self, env: &mut Environment<'_>) -> Result<Option<Value>, String> {
        let mut evaluator = Evaluator {
            env,
            steps: 0,
            frames: Vec::new(),
            call_depth: 0,
        };
        let result = evaluator.eval(&self.node, &Value::Null)?;
        Ok(result.into_value())
    }
}

fn collect_variables(node: &Node, out: &mut Vec<String>) {
    if let Node::Variable(name) = node {
        if !out.contains(name) {
            out.push(name.clone());
        }
        return;
    }
    let mut visit = |child: &Node| collect_variables(child, out);
    match node {
        Node::Path(steps) => {
            for step in steps {
                visit(&step.node);
                step.predicates.iter().for_each(&mut visit);
            }
        }
        Node::Unary(inner) | Node::Bind(_, inner) => visit(inner),
        Node::Binary(_, a, b) | Node::Range(a, b) => {
            visit(a);
            visit(b);
        }
        Node::Condition(a, b, c) => {
            visit(a);
            visit(b);
            if let Some(c) = c {
                visit(c);
            }
        }
        Node::Array(items) | Node::Block(items) => items.iter().for_each(visit),
        Node::Object(pairs) => {
            for (key, value) in pairs {
                visit(key);
                visit(value);
            }
        }
        Node::Call(function, args) => {
            visit(function);
            args.iter().for_each(visit);
        }
        Node::Lambda(lambda) => visit(&lambda.body),
        _ => {}
    }
}

/// Rejects calls of functions this evaluator does not know, at parse time.
fn check_node(node: &Node, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH * 2 {
        return Err(format!(
            "the expression is nested deeper than {MAX_DEPTH} levels"
        ));
    }
    let check = |child: &Node| check_node(child, depth + 1);
    match node {
        Node::Call(function, args) => {
            if let Node::Variable(name) = function.as_ref() {
                if name == "eval" {
                    return Err("$eval is not supported by Step Functions".into());
                }
                if name.starts_with(|c: char| c.is_ascii_lowercase())
                    && !FUNCTIONS.contains(&name.as_str())
                    && KNOWN_UNSUPPORTED.contains(&name.as_str())
                {
                    return Err(format!(
                        "the function ${name} is not supported by this simulation"
                    ));
                }
            }
            check(function)?;
            args.iter().try_for_each(check)
        }
        Node::Path(steps) => steps.iter().try_for_each(|step| {
            check(&step.node)?;
            step.predicates.iter().try_for_each(check)
        }),
        Node::Unary(inner) | Node::Bind(_, inner) => check(inner),
        Node::Binary(_, a, b) | Node::Range(a, b) => {
            check(a)?;
            check(b)
        }
        Node::Condition(a, b, c) => {
            check(a)?;
            check(b)?;
            c.as_deref().map_or(Ok(()), check)
        }
        Node::Array(items) | Node::Block(items) => items.iter().try_for_each(check),
        Node::Object(pairs) => pairs.iter().try_for_each(|(k, v)| {
            check(k)?;
            check(v)
        }),
        Node::Lambda(lambda) => check(&lambda.body),
        _ => Ok(()),
    }
}

const KNOWN_UNSUPPORTED: &[&str] = &[
    "match",
    "formatNumber",
    "formatBase",
    "formatInteger",
    "parseInteger",
    "sift",
    "error",
    "assert",
    "encodeUrl",
    "encodeUrlComponent",
    "decodeUrl",
    "decodeUrlComponent",
];

impl Evaluator<'_, '_> {
    fn tick(&mut self) -> Result<(), String> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(format!(
                "the expression took more than {MAX_STEPS} evaluation steps"
            ));
        }
        Ok(())
    }

    fn lookup(&self, name: &str) -> Option<Data> {
        if let Some((_, data)) = self.frames.iter().rev().find(|(n, _)| n == name) {
            return Some(data.clone());
        }
        if let Some(value) = (self.env.variables)(name) {
            return Some(Data::Value(value));
        }
        if let Some(builtin) = FUNCTIONS.iter().find(|f| **f == name) {
            return Some(Data::Function(Function::Builtin(builtin)));
        }
        None
    }

    fn value(&mut self, node: &Node, context: &Value) -> Result<Option<Value>, String> {
        Ok(self.eval(node, context)?.into_value())
    }

    fn eval(&mut self, node: &Node, context: &Value) -> Result<Data, String> {
        self.tick()?;
        Ok(match node {
            Node::Number(n) => Data::Value(number(*n)?),
            Node::Str(text) => Data::Value(Value::String(text.clone())),
            Node::Bool(flag) => Data::Value(Value::Bool(*flag)),
            Node::Null => Data::Value(Value::Null),
            Node::Variable(name) if name.is_empty() => Data::Value(context.clone()),
            Node::Variable(name) => self.lookup(name).unwrap_or(Data::Undefined),
            Node::Name(name) => field(context, name),
            Node::Wildcard => match context {
                Value::Object(map) => {
                    let mut items = Vec::new();
                    for value in map.values() {
                        match value {
                            Value::Array(inner) => items.extend(inner.iter().cloned()),
                            other => items.push(other.clone()),
                        }
                    }
                    Data::Sequence(items)
                }
                _ => Data::Undefined,
            },
            Node::Path(steps) => self.path(steps, context)?,
            Node::Unary(inner) => match self.value(inner, context)? {
                None => Data::Undefined,
                Some(Value::Number(n)) => Data::Value(number(-n.as_f64().unwrap_or(0.0))?),
                Some(other) => {
                    return Err(format!(
                        "cannot negate a {} (T1002: the operand of '-' must be a number)",
                        type_name(&other)
                    ))
                }
            },
            Node::Binary(op, left, right) => self.binary(*op, left, right, context)?,
            Node::Condition(test, then, otherwise) => {
                let test = self.eval(test, context)?;
                if data_truthy(&test) {
                    self.eval(then, context)?
                } else if let Some(otherwise) = otherwise {
                    self.eval(otherwise, context)?
                } else {
                    Data::Undefined
                }
            }
            Node::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Node::Range(start, end) => {
                            let start = self.integer_operand(start, context, "..")?;
                            let end = self.integer_operand(end, context, "..")?;
                            if let (Some(start), Some(end)) = (start, end) {
                                if end >= start {
                                    let count = (end - start + 1) as u64;
                                    if count + out.len() as u64 > MAX_ARRAY_ITEMS as u64 {
                                        return Err(format!(
                                            "the range [{start}..{end}] has more than {MAX_ARRAY_ITEMS} items"
                                        ));
                                    }
                                    self.steps += count;
                                    self.tick()?;
                                    out.extend((start..=end).map(Value::from));
                                }
                            }
                        }
                        other => match self.eval(other, context)?.collapse() {
                            Data::Undefined | Data::Function(_) => {}
                            Data::Value(value) => {
                                if matches!(other, Node::Array(_)) {
                                    out.push(value);
                                } else if let Value::Array(inner) = value {
                                    out.extend(inner);
                                } else {
                                    out.push(value);
                                }
                            }
                            Data::Sequence(inner) => out.extend(inner),
                        },
                    }
                    check_items(out.len())?;
                }
                Data::Value(Value::Array(out))
            }
            Node::Range(_, _) => return Err("a range '..' must be inside [ ]".into()),
            Node::Object(pairs) => {
                let mut map = Map::new();
                for (key, value) in pairs {
                    let key = match self.value(key, context)? {
                        Some(Value::String(key)) => key,
                        Some(other) => {
                            return Err(format!(
                                "an object key must be a string, got {} (T1003)",
                                truncate(&other.to_string())
                            ))
                        }
                        None => continue,
                    };
                    if let Some(value) = self.value(value, context)? {
                        map.insert(key, value);
                    }
                }
                Data::Value(Value::Object(map))
            }
            Node::Block(items) => {
                let depth = self.frames.len();
                let mut last = Data::Undefined;
                for item in items {
                    last = self.eval(item, context)?;
                }
                self.frames.truncate(depth);
                last
            }
            Node::Bind(name, value) => {
                if name == "states" {
                    return Err("$states is reserved and cannot be bound".into());
                }
                let value = self.eval(value, context)?.collapse();
                self.frames.push((name.clone(), value.clone()));
                value
            }
            Node::Lambda(lambda) => Data::Function(Function::Lambda(
                Arc::clone(lambda),
                Arc::new(self.frames.clone()),
            )),
            Node::Call(function, args) => {
                let function = match self.eval(function, context)? {
                    Data::Function(function) => function,
                    _ => {
                        let name = match function.as_ref() {
                            Node::Variable(name) => format!("${name}"),
                            _ => "the expression".into(),
                        };
                        return Err(format!("{name} is not a function (T1006)"));
                    }
                };
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    values.push(self.eval(arg, context)?.collapse());
                }
                self.call(&function, values, context)?
            }
        })
    }

    fn integer_operand(
        &mut self,
        node: &Node,
        context: &Value,
        op: &str,
    ) -> Result<Option<i64>, String> {
        match self.value(node, context)? {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(Some(f as i64)),
                _ => Err(format!("the operands of '{op}' must be integers (T2003)")),
            },
            Some(_) => Err(format!("the operands of '{op}' must be integers (T2003)")),
        }
    }

    fn path(&mut self, steps: &[PathStep], context: &Value) -> Result<Data, String> {
        let mut items: Vec<Value> = match (context, steps.first().map(|s| &s.node)) {
            (_, Some(Node::Variable(_))) => vec![context.clone()],
            (Value::Array(array), _) => array.clone(),
            (other, _) => vec![other.clone()],
        };
        let last = steps.len().saturating_sub(1);
        for (index, step) in steps.iter().enumerate() {
            let mut results: Vec<Data> = Vec::new();
            for item in &items {
                let mut result = self.eval(&step.node, item)?;
                if !step.predicates.is_empty() {
                    let mut selected = result.into_items();
                    for predicate in &step.predicates {
                        selected = self.filter(predicate, selected)?;
                    }
                    result = Data::Sequence(selected);
                }
                if !matches!(result, Data::Undefined) {
                    results.push(result);
                }
            }
            if index == last
                && results.len() == 1
                && matches!(results.first(), Some(Data::Value(Value::Array(_))))
            {
                return Ok(results.pop().unwrap_or(Data::Undefined));
            }
            let mut next = Vec::new();
            for result in results {
                match result {
                    Data::Value(Value::Array(inner)) | Data::Sequence(inner) => next.extend(inner),
                    Data::Value(value) => next.push(value),
                    Data::Function(function) if steps.len() == 1 => {
                        return Ok(Data::Function(function))
                    }
                    _ => {}
                }
                check_items(next.len())?;
            }
            items = next;
        }
        Ok(Data::Sequence(items))
    }

    fn filter(&mut self, predicate: &Node, items: Vec<Value>) -> Result<Vec<Value>, String> {
        let count = items.len() as i64;
        let mut kept = Vec::new();
        for (position, item) in items.into_iter().enumerate() {
            let verdict = self.eval(predicate, &item)?.collapse();
            let keep = match &verdict {
                Data::Value(Value::Number(n)) => index_matches(n, position as i64, count),
                Data::Value(Value::Array(values))
                    if !values.is_empty() && values.iter().all(Value::is_number) =>
                {
                    values.iter().any(|v| {
                        v.as_number()
                            .is_some_and(|n| index_matches(n, position as i64, count))
                    })
                }
                other => data_truthy(other),
            };
            if keep {
                kept.push(item);
            }
        }
        Ok(kept)
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        left: &Node,
        right: &Node,
        context: &Value,
    ) -> Result<Data, String> {
        match op {
            BinaryOp::And => {
                let l = self.eval(left, context)?;
                if !data_truthy(&l) {
                    return Ok(Data::Value(Value::Bool(false)));
                }
                let r = self.eval(right, context)?;
                return Ok(Data::Value(Value::Bool(data_truthy(&r))));
            }
            BinaryOp::Or => {
                let l = self.eval(left, context)?;
                if data_truthy(&l) {
                    return Ok(Data::Value(Value::Bool(true)));
                }
                let r = self.eval(right, context)?;
                return Ok(Data::Value(Value::Bool(data_truthy(&r))));
            }
            BinaryOp::Chain => {
                let value = self.eval(left, context)?.collapse();
                let (function, mut args) = match right {
                    Node::Call(function, args) => {
                        let mut values = Vec::new();
                        for arg in args {
                            values.push(self.eval(arg, context)?.collapse());
                        }
                        (self.eval(function, context)?, values)
                    }
                    other => (self.eval(other, context)?, Vec::new()),
                };
                let Data::Function(function) = function else {
                    return Err("the right-hand side of '~>' must be a function (T2006)".into());
                };
                args.insert(0, value);
                return self.call(&function, args, context);
            }
            _ => {}
        }
        let l = self.value(left, context)?;
        let r = self.value(right, context)?;
        let symbol = match op {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Concat => "&",
            BinaryOp::In => "in",
            BinaryOp::And | BinaryOp::Or | BinaryOp::Chain => "",
        };
        let result = match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                let numeric = |side: &Option<Value>, which: &str| -> Result<Option<f64>, String> {
                    match side {
                        None => Ok(None),
                        Some(Value::Number(n)) => Ok(n.as_f64()),
                        Some(other) => Err(format!(
                            "the {which} side of '{symbol}' must be a number, got {} {} (T2001)",
                            type_name(other),
                            truncate(&other.to_string())
                        )),
                    }
                };
                let (Some(a), Some(b)) = (numeric(&l, "left")?, numeric(&r, "right")?) else {
                    return Ok(Data::Undefined);
                };
                let value = match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Sub => a - b,
                    BinaryOp::Mul => a * b,
                    BinaryOp::Div => a / b,
                    _ => a % b,
                };
                number(value)?
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                let (Some(a), Some(b)) = (&l, &r) else {
                    return Ok(Data::Value(Value::Bool(false)));
                };
                let same = equal(a, b);
                Value::Bool(if op == BinaryOp::Eq { same } else { !same })
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let (Some(a), Some(b)) = (&l, &r) else {
                    return Ok(Data::Undefined);
                };
                let ordering = match (a, b) {
                    (Value::Number(x), Value::Number(y)) => x
                        .as_f64()
                        .partial_cmp(&y.as_f64())
                        .unwrap_or(std::cmp::Ordering::Equal),
                    (Value::String(x), Value::String(y)) => x.cmp(y),
                    _ => {
                        return Err(format!(
                            "'{symbol}' compares two numbers or two strings, got {} and {} (T2009/T2010)",
                            type_name(a),
                            type_name(b)
                        ))
                    }
                };
                Value::Bool(match op {
                    BinaryOp::Lt => ordering.is_lt(),
                    BinaryOp::Le => ordering.is_le(),
                    BinaryOp::Gt => ordering.is_gt(),
                    _ => ordering.is_ge(),
                })
            }
            BinaryOp::Concat => {
                let text = format!(
                    "{}{}",
                    l.as_ref().map(stringify).unwrap_or_default(),
                    r.as_ref().map(stringify).unwrap_or_default()
                );
                check_string(&text)?;
                Value::String(text)
            }
            BinaryOp::In => {
                let (Some(a), Some(b)) = (&l, &r) else {
                    return Ok(Data::Value(Value::Bool(false)));
                };
                Value::Bool(match b {
                    Value::Array(items) => items.iter().any(|item| equal(a, item)),
                    other => equal(a, other),
                })
            }
            BinaryOp::And | BinaryOp::Or | BinaryOp::Chain => Value::Null,
        };
        Ok(Data::Value(result))
    }

    fn call(
        &mut self,
        function: &Function,
        args: Vec<Data>,
        context: &Value,
    ) -> Result<Data, String> {
        match function {
            Function::Lambda(lambda, captured) => {
                self.call_depth += 1;
                if self.call_depth > MAX_CALL_DEPTH {
                    return Err(format!(
                        "functions call each other deeper than {MAX_CALL_DEPTH} levels"
                    ));
                }
                let saved = std::mem::replace(&mut self.frames, captured.as_ref().clone());
                for (index, param) in lambda.params.iter().enumerate() {
                    let value = args.get(index).cloned().unwrap_or(Data::Undefined);
                    self.frames.push((param.clone(), value));
                }
                let result = self.eval(&lambda.body, context);
                self.frames = saved;
                self.call_depth -= 1;
                result
            }
            Function::Builtin(name) => self.builtin(name, args),
        }
    }

    fn call_value(
        &mut self,
        function: &Function,
        args: Vec<Value>,
    ) -> Result<Option<Value>, String> {
        let args = args.into_iter().map(Data::Value).collect();
        Ok(self.call(function, args, &Value::Null)?.into_value())
    }

    fn builtin(&mut self, name: &str, args: Vec<Data>) -> Result<Data, String> {
        let fail = |message: String| Err::<Data, String>(format!("${name}: {message}"));
        // Functions taking functions come first: their arguments are not plain values.
        if matches!(
            name,
            "map" | "filter" | "reduce" | "sort" | "single" | "each"
        ) {
            return self.higher_order(name, args);
        }
        let values: Vec<Option<Value>> = args.into_iter().map(Data::into_value).collect();
        let arg = |index: usize| values.get(index).cloned().flatten();
        let text = |index: usize| -> Result<Option<String>, String> {
            match arg(index) {
                None => Ok(None),
                Some(Value::String(text)) => Ok(Some(text)),
                Some(other) => Err(format!(
                    "${name}: argument {} must be a string, got {} (T0410)",
                    index + 1,
                    type_name(&other)
                )),
            }
        };
        let numeric = |index: usize| -> Result<Option<f64>, String> {
            match arg(index) {
                None => Ok(None),
                Some(Value::Number(n)) => Ok(n.as_f64()),
                Some(other) => Err(format!(
                    "${name}: argument {} must be a number, got {} (T0410)",
                    index + 1,
                    type_name(&other)
                )),
            }
        };
        let numbers = |index: usize| -> Result<Option<Vec<f64>>, String> {
            let items = match arg(index) {
                None => return Ok(None),
                Some(Value::Array(items)) => items,
                Some(other) => vec![other],
            };
            items
                .iter()
                .map(|item| {
                    item.as_f64()
                        .ok_or_else(|| format!("${name}: the array must hold only numbers (T0412)"))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some)
        };
        let array = |index: usize| -> Option<Vec<Value>> {
            match arg(index)? {
                Value::Array(items) => Some(items),
                other => Some(vec![other]),
            }
        };
        let some = |value: Value| Ok(Data::Value(value));
        match name {
            "string" => match arg(0) {
                None => Ok(Data::Undefined),
                Some(value) => {
                    let pretty = arg(1).is_some_and(|v| truthy(&v));
                    let text = match (&value, pretty) {
                        (Value::String(text), _) => text.clone(),
                        (other, true) => serde_json::to_string_pretty(other).unwrap_or_default(),
                        (other, false) => other.to_string(),
                    };
                    some(Value::String(text))
                }
            },
            "length" => match text(0)? {
                None => Ok(Data::Undefined),
                Some(text) => some(Value::from(text.chars().count())),
            },
            "substring" => {
                let Some(text) = text(0)? else {
                    return Ok(Data::Undefined);
                };
                let chars: Vec<char> = text.chars().collect();
                let len = chars.len() as i64;
                let start = numeric(1)?.unwrap_or(0.0) as i64;
                let start = if start < 0 {
                    (len + start).max(0)
                } else {
                    start.min(len)
                };
                let end = match numeric(2)? {
                    Some(count) => (start + (count as i64).max(0)).min(len),
                    None => len,
                };
                some(Value::String(
                    chars
                        .get(start as usize..end.max(start) as usize)
                        .unwrap_or_default()
                        .iter()
                        .collect(),
                ))
            }
            "substringBefore" | "substringAfter" => {
                let (Some(text), Some(chars)) = (text(0)?, text(1)?) else {
                    return Ok(Data::Undefined);
                };
                let out = match text.find(&chars) {
                    Some(at) if name == "substringBefore" => text.get(..at).unwrap_or(""),
                    Some(at) => text.get(at + chars.len()..).unwrap_or(""),
                    None if name == "substringBefore" => text.as_str(),
                    None => text.as_str(),
                };
                some(Value::String(out.to_string()))
            }
            "uppercase" => {
                Ok(text(0)?.map_or(Data::Undefined, |t| Data::Value(t.to_uppercase().into())))
            }
            "lowercase" => {
                Ok(text(0)?.map_or(Data::Undefined, |t| Data::Value(t.to_lowercase().into())))
            }
            "trim" => Ok(text(0)?.map_or(Data::Undefined, |t| {
                Data::Value(t.split_whitespace().collect::<Vec<_>>().join(" ").into())
            })),
            "pad" => {
                let Some(text) = text(0)? else {
                    return Ok(Data::Undefined);
                };
                let width = numeric(1)?.unwrap_or(0.0);
                if width.abs() > MAX_STRING_BYTES as f64 {
                    return fail(format!("the width is longer than {MAX_STRING_BYTES}"));
                }
                let pad = text_or(&arg(2), " ");
                let pad: Vec<char> = if pad.is_empty() {
                    vec![' ']
                } else {
                    pad.chars().collect()
                };
                let missing = (width.abs() as usize).saturating_sub(text.chars().count());
                let filler: String = pad.iter().cycle().take(missing).collect();
                some(Value::String(if width < 0.0 {
                    format!("{filler}{text}")
                } else {
                    format!("{text}{filler}")
                }))
            }
            "contains" => {
                let (Some(text), Some(pattern)) = (text(0)?, text(1)?) else {
                    return Ok(Data::Undefined);
                };
                some(Value::Bool(text.contains(&pattern)))
            }
            "split" => {
                let (Some(text), Some(separator)) = (text(0)?, text(1)?) else {
                    return Ok(Data::Undefined);
                };
                let limit = numeric(2)?
                    .map(|l| l.max(0.0) as usize)
                    .unwrap_or(usize::MAX);
                let parts: Vec<Value> = if separator.is_empty() {
                    text.chars()
                        .map(|c| Value::String(c.to_string()))
                        .take(limit)
                        .collect()
                } else {
                    text.split(separator.as_str())
                        .map(Value::from)
                        .take(limit)
                        .collect()
                };
                check_items(parts.len())?;
                some(Value::Array(parts))
            }
            "join" => {
                let Some(items) = array(0) else {
                    return Ok(Data::Undefined);
                };
                let separator = text(1)?.unwrap_or_default();
                let mut parts = Vec::new();
                for item in items {
                    match item {
                        Value::String(text) => parts.push(text),
                        other => {
                            return fail(format!(
                                "the array must hold only strings, got {} (T0412)",
                                type_name(&other)
                            ))
                        }
                    }
                }
                let joined = parts.join(&separator);
                check_string(&joined)?;
                some(Value::String(joined))
            }
            "replace" => {
                let (Some(text), Some(pattern), Some(replacement)) = (text(0)?, text(1)?, text(2)?)
                else {
                    return Ok(Data::Undefined);
                };
                if pattern.is_empty() {
                    return fail("the pattern must not be empty (D3010)".into());
                }
                let out = match numeric(3)? {
                    Some(limit) => text.replacen(&pattern, &replacement, limit.max(0.0) as usize),
                    None => text.replace(&pattern, &replacement),
                };
                check_string(&out)?;
                some(Value::String(out))
            }
            "base64encode" => Ok(text(0)?.map_or(Data::Undefined, |t| {
                Data::Value(Value::String(super::intrinsics::base64_encode(
                    t.as_bytes(),
                )))
            })),
            "base64decode" => match text(0)? {
                None => Ok(Data::Undefined),
                Some(t) => match super::intrinsics::base64_decode(&t)
                    .and_then(|b| String::from_utf8(b).ok())
                {
                    Some(decoded) => some(Value::String(decoded)),
                    None => fail("the argument is not Base64 text of UTF-8".into()),
                },
            },
            "number" => match arg(0) {
                None => Ok(Data::Undefined),
                Some(Value::Number(n)) => some(Value::Number(n)),
                Some(Value::Bool(flag)) => some(Value::from(u8::from(flag))),
                Some(Value::String(text)) => match text.trim().parse::<f64>() {
                    Ok(parsed) if parsed.is_finite() => some(number(parsed)?),
                    _ => fail(format!(
                        "cannot convert \"{}\" to a number (D3030)",
                        truncate(&text)
                    )),
                },
                Some(other) => fail(format!(
                    "cannot convert a {} to a number (D3030)",
                    type_name(&other)
                )),
            },
            "abs" | "floor" | "ceil" | "sqrt" => match numeric(0)? {
                None => Ok(Data::Undefined),
                Some(x) => {
                    let result = match name {
                        "abs" => x.abs(),
                        "floor" => libm::floor(x),
                        "ceil" => libm::ceil(x),
                        _ if x < 0.0 => {
                            return fail("the argument must not be negative (D3060)".into())
                        }
                        _ => libm::sqrt(x),
                    };
                    some(number(result)?)
                }
            },
            "round" => match numeric(0)? {
                None => Ok(Data::Undefined),
                Some(x) => {
                    let precision = numeric(1)?.unwrap_or(0.0).clamp(-15.0, 15.0) as i32;
                    let scale = libm::pow(10.0, f64::from(precision));
                    let scaled = x * scale;
                    // Round half to even, as JSONata does.
                    let floor = libm::floor(scaled);
                    let diff = scaled - floor;
                    let rounded = if (diff - 0.5).abs() < 1e-9 {
                        if floor % 2.0 == 0.0 {
                            floor
                        } else {
                            floor + 1.0
                        }
                    } else {
                        libm::round(scaled)
                    };
                    some(number(rounded / scale)?)
                }
            },
            "power" => match (numeric(0)?, numeric(1)?) {
                (Some(base), Some(exponent)) => some(number(libm::pow(base, exponent))?),
                _ => Ok(Data::Undefined),
            },
            "sum" => Ok(numbers(0)?.map_or(Data::Undefined, |n| {
                number(n.iter().sum())
                    .map(Data::Value)
                    .unwrap_or(Data::Undefined)
            })),
            "max" | "min" | "average" => {
                let Some(values) = numbers(0)? else {
                    return Ok(Data::Undefined);
                };
                if values.is_empty() {
                    return Ok(Data::Undefined);
                }
                let result = match name {
                    "max" => values.iter().copied().fold(f64::MIN, f64::max),
                    "min" => values.iter().copied().fold(f64::MAX, f64::min),
                    _ => values.iter().sum::<f64>() / values.len() as f64,
                };
                some(number(result)?)
            }
            "count" => some(Value::from(match arg(0) {
                None => 0,
                Some(Value::Array(items)) => items.len(),
                Some(_) => 1,
            })),
            "boolean" => {
                Ok(arg(0).map_or(Data::Undefined, |v| Data::Value(Value::Bool(truthy(&v)))))
            }
            "not" => Ok(arg(0).map_or(Data::Undefined, |v| Data::Value(Value::Bool(!truthy(&v))))),
            "exists" => some(Value::Bool(arg(0).is_some())),
            "append" => match (array(0), array(1)) {
                (None, None) => Ok(Data::Undefined),
                (Some(a), None) | (None, Some(a)) => some(Value::Array(a)),
                (Some(mut a), Some(b)) => {
                    check_items(a.len() + b.len())?;
                    a.extend(b);
                    some(Value::Array(a))
                }
            },
            "reverse" => Ok(array(0).map_or(Data::Undefined, |mut a| {
                a.reverse();
                Data::Value(Value::Array(a))
            })),
            "distinct" => Ok(array(0).map_or(Data::Undefined, |a| {
                let mut out: Vec<Value> = Vec::new();
                for item in a {
                    if !out.iter().any(|seen| equal(seen, &item)) {
                        out.push(item);
                    }
                }
                Data::Value(Value::Array(out))
            })),
            "shuffle" => Ok(array(0).map_or(Data::Undefined, |mut a| {
                for i in (1..a.len()).rev() {
                    let j = self.env.rng.below(i as u64 + 1) as usize;
                    a.swap(i, j);
                }
                Data::Value(Value::Array(a))
            })),
            "zip" => {
                let arrays: Vec<Vec<Value>> = (0..values.len()).filter_map(array).collect();
                let len = arrays.iter().map(Vec::len).min().unwrap_or(0);
                some(Value::Array(
                    (0..len)
                        .map(|i| {
                            Value::Array(arrays.iter().filter_map(|a| a.get(i).cloned()).collect())
                        })
                        .collect(),
                ))
            }
            "keys" => {
                let mut keys: Vec<Value> = Vec::new();
                for item in array(0).unwrap_or_default() {
                    if let Value::Object(map) = item {
                        for key in map.keys() {
                            if !keys.iter().any(|k| k.as_str() == Some(key)) {
                                keys.push(Value::String(key.clone()));
                            }
                        }
                    }
                }
                Ok(Data::Sequence(keys).collapse())
            }
            "lookup" => {
                let Some(key) = text(1)? else {
                    return Ok(Data::Undefined);
                };
                let found: Vec<Value> = array(0)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|item| item.get(&key).cloned())
                    .collect();
                Ok(Data::Sequence(found).collapse())
            }
            "merge" => {
                let Some(items) = array(0) else {
                    return Ok(Data::Undefined);
                };
                let mut out = Map::new();
                for item in items {
                    match item {
                        Value::Object(map) => out.extend(map),
                        other => {
                            return fail(format!(
                                "the array must hold objects, got {} (T0412)",
                                type_name(&other)
                            ))
                        }
                    }
                }
                some(Value::Object(out))
            }
            "spread" => {
                let mut out = Vec::new();
                for item in array(0).unwrap_or_default() {
                    match item {
                        Value::Object(map) => out.extend(map.into_iter().map(|(k, v)| {
                            let mut single = Map::new();
                            single.insert(k, v);
                            Value::Object(single)
                        })),
                        other => out.push(other),
                    }
                }
                Ok(Data::Sequence(out).collapse())
            }
            "type" => Ok(arg(0).map_or(Data::Undefined, |v| Data::Value(type_name(&v).into()))),
            "now" => some(Value::String(format_rfc3339_millis(
                self.env.now_epoch_micros,
            ))),
            "millis" => some(Value::from(self.env.now_epoch_micros.div_euclid(1000))),
            "toMillis" => match text(0)? {
                None => Ok(Data::Undefined),
                Some(text) => match parse_rfc3339(&text) {
                    Some(micros) => some(Value::from(micros.div_euclid(1000))),
                    None => fail(format!(
                        "\"{}\" is not an ISO 8601 timestamp (D3110)",
                        truncate(&text)
                    )),
                },
            },
            "fromMillis" => match numeric(0)? {
                None => Ok(Data::Undefined),
                Some(millis) if millis.abs() < 1e15 => some(Value::String(format_rfc3339_millis(
                    (millis as i64).saturating_mul(1000),
                ))),
                Some(_) => fail("the number of milliseconds is out of range".into()),
            },
            "partition" => {
                let (Some(items), Some(size)) = (array(0), numeric(1)?) else {
                    return fail("needs an array and a chunk size".into());
                };
                if size < 1.0 || size.fract() != 0.0 {
                    return fail("the chunk size must be a positive integer".into());
                }
                let chunks = items
                    .chunks(size.min(MAX_ARRAY_ITEMS as f64) as usize)
                    .map(|chunk| Value::Array(chunk.to_vec()))
                    .collect();
                some(Value::Array(chunks))
            }
            "range" => {
                let (Some(start), Some(end), Some(step)) = (numeric(0)?, numeric(1)?, numeric(2)?)
                else {
                    return fail("needs start, end and step".into());
                };
                if [start, end, step]
                    .iter()
                    .any(|v| v.fract() != 0.0 || v.abs() > 1e15)
                    || step == 0.0
                {
                    return fail(
                        "start, end and step must be integers and step must not be 0".into(),
                    );
                }
                let count = if (end - start) * step < 0.0 {
                    0.0
                } else {
                    libm::floor((end - start) / step) + 1.0
                };
                if count > 1000.0 {
                    return fail("the range has more than 1000 items".into());
                }
                some(Value::Array(
                    (0..count as i64)
                        .map(|i| Value::from(start as i64 + i * step as i64))
                        .collect(),
                ))
            }
            "hash" => {
                let data = match arg(0) {
                    None => return Ok(Data::Undefined),
                    Some(Value::String(text)) => text,
                    Some(other) => other.to_string(),
                };
                let algorithm = text(1)?.unwrap_or_default();
                if data.chars().count() > super::intrinsics::MAX_STRING_CHARS {
                    return fail("the data to hash exceeds 10000 characters".into());
                }
                match hash_hex(&data, &algorithm) {
                    Some(digest) => some(Value::String(digest)),
                    None => fail(format!(
                        "unsupported hash algorithm '{algorithm}' (MD5, SHA-1, SHA-256, SHA-384, SHA-512)"
                    )),
                }
            }
            "random" => {
                let value = match arg(0) {
                    None => self.env.rng.next_f64(),
                    Some(seed) => {
                        let seed = match &seed {
                            Value::Number(n) => n.as_f64().map(f64::to_bits).unwrap_or(0),
                            other => {
                                let digest =
                                    hash_hex(&stringify(other), "SHA-256").unwrap_or_default();
                                u64::from_str_radix(digest.get(..16).unwrap_or("0"), 16)
                                    .unwrap_or(0)
                            }
                        };
                        SimRng::seed_from_u64(seed).next_f64()
                    }
                };
                some(number(value)?)
            }
            "uuid" => some(Value::String(uuid_v4(self.env.rng))),
            "parse" => match text(0)? {
                None => Ok(Data::Undefined),
                Some(text) => match serde_json::from_str::<Value>(&text) {
                    Ok(value) => some(value),
                    Err(error) => fail(format!("the string is not JSON: {error}")),
                },
            },
            other => Err(format!(
                "the function ${other} is not supported by this simulation"
            )),
        }
    }

    fn higher_order(&mut self, name: &str, mut args: Vec<Data>) -> Result<Data, String> {
        let function_at = |args: &[Data], index: usize| match args.get(index) {
            Some(Data::Function(function)) => Some(function.clone()),
            _ => None,
        };
        let items = match args.first().cloned() {
            None | Some(Data::Undefined) => return Ok(Data::Undefined),
            Some(data) => match data.collapse() {
                Data::Value(Value::Array(items)) => items,
                Data::Value(Value::Object(map)) if name == "each" => {
                    let Some(function) = function_at(&args, 1) else {
                        return Err("$each: the second argument must be a function".into());
                    };
                    let mut out = Vec::new();
                    for (key, value) in map {
                        if let Some(result) =
                            self.call_value(&function, vec![value, Value::String(key)])?
                        {
                            out.push(result);
                        }
                    }
                    return Ok(Data::Sequence(out).collapse());
                }
                Data::Value(value) => vec![value],
                _ => return Ok(Data::Undefined),
            },
        };
        // The third argument (the whole array) is built only for a function that takes it.
        let wants_array = match args.get(1) {
            Some(Data::Function(Function::Lambda(lambda, _))) => lambda.params.len() >= 3,
            _ => false,
        };
        let array = if wants_array {
            Value::Array(items.clone())
        } else {
            Value::Null
        };
        match name {
            "map" | "filter" | "single" => {
                let Some(function) = function_at(&args, 1) else {
                    return Err(format!(
                        "${name}: the second argument must be a function (T0410)"
                    ));
                };
                let mut out = Vec::new();
                for (index, item) in items.into_iter().enumerate() {
                    let mut call_args = vec![item.clone(), Value::from(index)];
                    if wants_array {
                        call_args.push(array.clone());
                    }
                    let result = self.call_value(&function, call_args)?;
                    if name == "map" {
                        out.extend(result);
                    } else if result.as_ref().is_some_and(truthy) {
                        out.push(item);
                    }
                }
                if name == "single" {
                    return match out.len() {
                        1 => Ok(out.pop().map(Data::Value).unwrap_or(Data::Undefined)),
                        0 => Err("$single: no item matched (D3139)".into()),
                        _ => Err("$single: more than one item matched (D3138)".into()),
                    };
                }
                Ok(Data::Sequence(out).collapse())
            }
            "reduce" => {
                let Some(function) = function_at(&args, 1) else {
                    return Err("$reduce: the second argument must be a function (T0410)".into());
                };
                let mut iter = items.into_iter();
                let mut accumulator = match args
                    .get_mut(2)
                    .map(|slot| std::mem::replace(slot, Data::Undefined))
                {
                    Some(Data::Value(initial)) => Some(initial),
                    _ => iter.next(),
                };
                for (index, item) in iter.enumerate() {
                    let previous = accumulator.take().unwrap_or(Value::Null);
                    accumulator =
                        self.call_value(&function, vec![previous, item, Value::from(index)])?;
                }
                Ok(accumulator.map_or(Data::Undefined, Data::Value))
            }
            "sort" => {
                let function = function_at(&args, 1);
                let mut sorted = items;
                // Insertion sort through the comparator: stable and never panics on an
                // inconsistent comparator.
                let mut out: Vec<Value> = Vec::with_capacity(sorted.len());
                for item in sorted.drain(..) {
                    let mut position = out.len();
                    while position > 0 {
                        let before = out.get(position - 1).cloned().unwrap_or(Value::Null);
                        let swap = match &function {
                            Some(function) => self
                                .call_value(function, vec![before, item.clone()])?
                                .as_ref()
                                .is_some_and(truthy),
                            None => match (&before, &item) {
                                (Value::Number(a), Value::Number(b)) => a.as_f64() > b.as_f64(),
                                (Value::String(a), Value::String(b)) => a > b,
                                _ => return Err("$sort: without a function the array must hold only numbers or only strings (D3070)".into()),
                            },
                        };
                        if !swap {
                            break;
                        }
                        self.tick()?;
                        position -= 1;
                    }
                    out.insert(position, item);
                }
                Ok(Data::Value(Value::Array(out)))
            }
            "each" => Err("$each: the first argument must be an object".into()),
            other => Err(format!(
                "the function ${other} is not supported by this simulation"
            )),
        }
    }
}

fn index_matches(n: &Number, position: i64, count: i64) -> bool {
    let Some(f) = n.as_f64() else {
        return false;
    };
    let index = libm::floor(f) as i64;
    let index = if index < 0 { count + index } else { index };
    index == position
}

fn field(context: &Value, name: &str) -> Data {
    match context {
        Value::Object(map) => map.get(name).cloned().map_or(Data::Undefined, Data::Value),
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                match field(item, name) {
                    Data::Value(Value::Array(inner)) | Data::Sequence(inner) => out.extend(inner),
                    Data::Value(value) => out.push(value),
                    _ => {}
                }
            }
            Data::Sequence(out)
        }
        _ => Data::Undefined,
    }
}

fn text_or(value: &Option<Value>, default: &str) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        _ => default.to_string(),
    }
}

fn check_string(text: &str) -> Result<(), String> {
    if text.len() > MAX_STRING_BYTES {
        return Err(format!(
            "the expression built a string longer than {MAX_STRING_BYTES} bytes"
        ));
    }
    Ok(())
}

fn check_items(count: usize) -> Result<(), String> {
    if count > MAX_ARRAY_ITEMS {
        return Err(format!(
            "the expression built an array of more than {MAX_ARRAY_ITEMS} items"
        ));
    }
    Ok(())
}

fn truncate(text: &str) -> String {
    super::template::truncate(text, 256)
}

/// ISO 8601 with milliseconds, as JSONata's `$now()` and `$fromMillis()` print.
fn format_rfc3339_millis(epoch_micros: i64) -> String {
    let millis = epoch_micros.div_euclid(1000) * 1000;
    let seconds = format_rfc3339(millis - millis.rem_euclid(1_000_000));
    let fraction = millis.rem_euclid(1_000_000) / 1000;
    match seconds.strip_suffix('Z') {
        Some(stem) => format!("{}.{fraction:03}Z", stem.split('.').next().unwrap_or(stem)),
        None => seconds,
    }
}

/// A definition value in JSONata mode: strings `{% ... %}` are expressions, at any depth
/// of objects and arrays; everything else is literal.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonataTemplate {
    Const(Value),
    Expression(Box<Expression>),
    Object(Vec<(String, JsonataTemplate)>),
    Array(Vec<JsonataTemplate>),
}

/// The expression inside `{% ... %}`, if `text` is one.
pub fn expression_text(text: &str) -> Option<&str> {
    text.trim()
        .strip_prefix("{%")
        .and_then(|rest| rest.strip_suffix("%}"))
}

impl JsonataTemplate {
    /// Compiles a value; `issues` receives `(json path, message)` for each bad expression.
    pub fn compile(value: &Value, at: &str, issues: &mut Vec<(String, String)>) -> JsonataTemplate {
        match value {
            Value::String(text) => match expression_text(text) {
                Some(inner) => match Expression::parse(inner) {
                    Ok(expression) => JsonataTemplate::Expression(Box::new(expression)),
                    Err(message) => {
                        issues.push((
                            at.to_string(),
                            format!("invalid JSONata expression: {message}"),
                        ));
                        JsonataTemplate::Const(Value::Null)
                    }
                },
                None => JsonataTemplate::Const(value.clone()),
            },
            Value::Object(map) => {
                let fields: Vec<(String, JsonataTemplate)> = map
                    .iter()
                    .map(|(key, child)| {
                        (
                            key.clone(),
                            JsonataTemplate::compile(child, &format!("{at}.{key}"), issues),
                        )
                    })
                    .collect();
                if fields
                    .iter()
                    .all(|(_, t)| matches!(t, JsonataTemplate::Const(_)))
                {
                    JsonataTemplate::Const(value.clone())
                } else {
                    JsonataTemplate::Object(fields)
                }
            }
            Value::Array(items) => {
                let compiled: Vec<JsonataTemplate> = items
                    .iter()
                    .enumerate()
                    .map(|(i, child)| {
                        JsonataTemplate::compile(child, &format!("{at}[{i}]"), issues)
                    })
                    .collect();
                if compiled
                    .iter()
                    .all(|t| matches!(t, JsonataTemplate::Const(_)))
                {
                    JsonataTemplate::Const(value.clone())
                } else {
                    JsonataTemplate::Array(compiled)
                }
            }
            other => JsonataTemplate::Const(other.clone()),
        }
    }

    /// Evaluates every expression; an *undefined* result or an evaluation error is
    /// `States.QueryEvaluationError`, naming `field`.
    pub fn evaluate(
        &self,
        field: &str,
        env: &mut Environment<'_>,
    ) -> Result<Value, super::StatesError> {
        match self {
            JsonataTemplate::Const(value) => Ok(value.clone()),
            JsonataTemplate::Expression(expression) => match expression.evaluate(env) {
                Ok(Some(value)) => Ok(value),
                Ok(None) => Err(super::StatesError::new(
                    "States.QueryEvaluationError",
                    format!(
                        "The JSONata expression '{}' specified for the field '{field}' returned nothing (undefined).",
                        expression.text().trim()
                    ),
                )),
                Err(message) => Err(super::StatesError::new(
                    "States.QueryEvaluationError",
                    format!(
                        "An error occurred while evaluating the JSONata expression '{}' specified for the field '{field}': {message}",
                        expression.text().trim()
                    ),
                )),
            },
            JsonataTemplate::Object(fields) => {
                let mut map = Map::new();
                for (key, template) in fields {
                    map.insert(key.clone(), template.evaluate(&format!("{field}/{key}"), env)?);
                }
                Ok(Value::Object(map))
            }
            JsonataTemplate::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| item.evaluate(&format!("{field}[{i}]"), env))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
        }
    }

    /// The variables the template's expressions read.
    pub fn variables(&self, out: &mut Vec<String>) {
        match self {
            JsonataTemplate::Const(_) => {}
            JsonataTemplate::Expression(expression) => {
                for name in expression.variables() {
                    if !out.contains(&name) {
                        out.push(name);
                    }
                }
            }
            JsonataTemplate::Object(fields) => fields.iter().for_each(|(_, t)| t.variables(out)),
            JsonataTemplate::Array(items) => items.iter().for_each(|t| t.variables(out)),
        }
    }
}
