//! A Distributed Map's Amazon S3 side: the object store it reads items from and writes
//! results to ([`ObjectStore`], held by the caller: the interpreter does no IO), the
//! `ItemReader` formats, `ItemBatcher` arithmetic and the `ResultWriter` files, formatted
//! by its `WriterConfig` (`Transformation` NONE / COMPACT / FLATTEN, `OutputType` JSON /
//! JSONL). A `WriterConfig` without `Resource` and `Parameters` exports nothing: the
//! formatted results are the Map's output ([`WriterConfig::output`]).
//!
//! Everything here is a pure function of its arguments, so the formats can be tested
//! and fuzzed without an execution.
//!
//! ```text
//!   ItemReader ──get/list──▶ parse_items / list_items ──▶ MaxItems ──▶ ItemSelector
//!        ──▶ batch (MaxItemsPerBatch, MaxInputBytesPerBatch, BatchInput) ──▶ child runs
//!        ──▶ WriterConfig (entries, format) ──▶ result_files (SUCCEEDED_n / FAILED_n /
//!            PENDING_n + manifest.json) ──put──▶ bucket   (WriterConfig alone: the output)
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::intrinsics::hash_hex;
use super::jsonata::JsonataTemplate;
use super::path::Path;
use super::template::{truncate, Template};
use super::timestamp::format_rfc3339;
use super::{StatesError, MAX_PAYLOAD_BYTES};

/// The most items `MaxItems` may ask for.
pub const MAX_ITEMS_LIMIT: u64 = 100_000_000;
/// The largest CSV header row Step Functions reads, in bytes (10 KiB).
pub const MAX_CSV_HEADER_BYTES: usize = 10 * 1024;
/// The largest `MaxInputBytesPerBatch` (256 KiB).
pub const MAX_BATCH_BYTES: u64 = MAX_PAYLOAD_BYTES as u64;

/// An S3 error as S3 names it (`NoSuchBucket`, `NoSuchKey`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Error {
    pub code: &'static str,
    pub message: String,
    /// The HTTP status S3 answers with.
    pub status: u16,
}

impl S3Error {
    pub fn no_such_bucket(bucket: &str) -> S3Error {
        S3Error {
            code: "NoSuchBucket",
            message: format!("The specified bucket does not exist: {bucket}"),
            status: 404,
        }
    }

    pub fn no_such_key(key: &str) -> S3Error {
        S3Error {
            code: "NoSuchKey",
            message: format!("The specified key does not exist: {key}"),
            status: 404,
        }
    }

    /// The cause text of a `States.ItemReaderFailed` / `States.ResultWriterFailed`, in the
    /// form the AWS SDK prints a service error.
    pub fn cause(&self) -> String {
        format!(
            "{} (Service: S3, Status Code: {}, Error Code: {})",
            self.message, self.status, self.code
        )
    }
}

/// One entry of a `ListObjectsV2` answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectSummary {
    pub key: String,
    pub size: u64,
    /// The quoted MD5 of the body, as S3 gives it for an object uploaded in one part.
    pub etag: String,
    /// Seconds since the Unix epoch.
    pub last_modified: i64,
}

/// Where a Distributed Map's objects live. The simulation's buckets, the CLI's
/// directories and tests' [`Buckets`] implement it; [`NoBuckets`] has none.
pub trait ObjectStore {
    fn get_object(&self, bucket: &str, key: &str) -> Result<Arc<str>, S3Error>;
    /// The objects whose keys start with `prefix`, in key order (UTF-8 binary order, as
    /// S3 lists them).
    fn list_objects(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectSummary>, S3Error>;
    /// `epoch_micros` is the write's time, the object's `LastModified`.
    fn put_object(
        &mut self,
        bucket: &str,
        key: &str,
        body: String,
        epoch_micros: i64,
    ) -> Result<(), S3Error>;
}

/// A store without buckets: every call answers `NoSuchBucket`.
pub struct NoBuckets;

impl ObjectStore for NoBuckets {
    fn get_object(&self, bucket: &str, _key: &str) -> Result<Arc<str>, S3Error> {
        Err(S3Error::no_such_bucket(bucket))
    }
    fn list_objects(&self, bucket: &str, _prefix: &str) -> Result<Vec<ObjectSummary>, S3Error> {
        Err(S3Error::no_such_bucket(bucket))
    }
    fn put_object(&mut self, bucket: &str, _: &str, _: String, _: i64) -> Result<(), S3Error> {
        Err(S3Error::no_such_bucket(bucket))
    }
}

/// One stored object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredObject {
    /// Shared, so that copying the store (a checkpoint) does not copy the bodies.
    pub body: Arc<str>,
    /// Seconds since the Unix epoch.
    pub last_modified: i64,
}

/// Buckets in memory, keys in order: what the simulation's bucket components and the
/// CLI hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Buckets {
    buckets: BTreeMap<String, BTreeMap<String, StoredObject>>,
}

impl Buckets {
    pub fn new() -> Buckets {
        Buckets::default()
    }

    /// Adds an empty bucket (an existing one keeps its objects).
    pub fn create_bucket(&mut self, name: &str) {
        self.buckets.entry(name.to_string()).or_default();
    }

    pub fn has_bucket(&self, name: &str) -> bool {
        self.buckets.contains_key(name)
    }

    /// Stores an object, creating its bucket if needed.
    pub fn insert(&mut self, bucket: &str, key: &str, body: &str, last_modified: i64) {
        self.buckets.entry(bucket.to_string()).or_default().insert(
            key.to_string(),
            StoredObject {
                body: Arc::from(body),
                last_modified,
            },
        );
    }

    /// The bucket's objects in key order.
    pub fn objects(&self, bucket: &str) -> impl Iterator<Item = (&str, &StoredObject)> {
        self.buckets
            .get(bucket)
            .into_iter()
            .flat_map(|objects| objects.iter().map(|(key, object)| (key.as_str(), object)))
    }

    /// The bucket names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.buckets.keys().map(String::as_str)
    }

    /// The number of objects and their bytes in one bucket.
    pub fn usage(&self, bucket: &str) -> (u64, u64) {
        self.objects(bucket)
            .fold((0, 0), |(count, bytes), (_, object)| {
                (count + 1, bytes + object.body.len() as u64)
            })
    }
}

impl ObjectStore for Buckets {
    fn get_object(&self, bucket: &str, key: &str) -> Result<Arc<str>, S3Error> {
        let objects = self
            .buckets
            .get(bucket)
            .ok_or_else(|| S3Error::no_such_bucket(bucket))?;
        objects
            .get(key)
            .map(|object| Arc::clone(&object.body))
            .ok_or_else(|| S3Error::no_such_key(key))
    }

    fn list_objects(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectSummary>, S3Error> {
        let objects = self
            .buckets
            .get(bucket)
            .ok_or_else(|| S3Error::no_such_bucket(bucket))?;
        Ok(objects
            .range(prefix.to_string()..)
            .take_while(|(key, _)| key.starts_with(prefix))
            .map(|(key, object)| summary(key, object))
            .collect())
    }

    fn put_object(
        &mut self,
        bucket: &str,
        key: &str,
        body: String,
        epoch_micros: i64,
    ) -> Result<(), S3Error> {
        let objects = self
            .buckets
            .get_mut(bucket)
            .ok_or_else(|| S3Error::no_such_bucket(bucket))?;
        objects.insert(
            key.to_string(),
            StoredObject {
                body: Arc::from(body),
                last_modified: epoch_micros.div_euclid(1_000_000),
            },
        );
        Ok(())
    }
}

/// The `ListObjectsV2` entry of a stored object.
pub fn summary(key: &str, object: &StoredObject) -> ObjectSummary {
    ObjectSummary {
        key: key.to_string(),
        size: object.body.len() as u64,
        etag: format!("\"{}\"", hash_hex(&object.body, "MD5").unwrap_or_default()),
        last_modified: object.last_modified,
    }
}

/// Whether `name` is a valid general purpose bucket name: 3 to 63 characters of
/// lowercase letters, digits, dots and hyphens, starting and ending with a letter or
/// digit, no two adjacent dots, not an IP address, without the reserved prefixes
/// (`xn--`, `sthree-`, `amzn-s3-demo-`) and suffixes (`-s3alias`, `--ol-s3`, `.mrap`,
/// `--x-s3`). The message says which rule `name` breaks.
pub fn check_bucket_name(name: &str) -> Result<(), String> {
    let length = name.len();
    if !(3..=63).contains(&length) {
        return Err(format!(
            "a bucket name is 3 to 63 characters long, '{name}' has {length}"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return Err(format!(
            "a bucket name holds lowercase letters, digits, dots and hyphens only, '{name}' has '{bad}'"
        ));
    }
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !edge(name.chars().next()) || !edge(name.chars().last()) {
        return Err(format!(
            "a bucket name begins and ends with a letter or a digit, '{name}' does not"
        ));
    }
    if name.contains("..") {
        return Err(format!(
            "a bucket name has no two adjacent dots, '{name}' has"
        ));
    }
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok()) {
        return Err(format!(
            "a bucket name is not formatted as an IP address, '{name}' is"
        ));
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if name.starts_with(prefix) {
            return Err(format!(
                "a bucket name cannot start with the reserved prefix '{prefix}'"
            ));
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3"] {
        if name.ends_with(suffix) {
            return Err(format!(
                "a bucket name cannot end with the reserved suffix '{suffix}'"
            ));
        }
    }
    Ok(())
}

/// A payload template in either query language (ItemReader and ResultWriter
/// `Parameters`/`Arguments`, ItemBatcher `BatchInput`).
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// A literal or a JSONPath payload template (`"Key.$": "$.key"`).
    JsonPath(Template),
    Jsonata(JsonataTemplate),
}

/// A number given in the definition, read from the input with a reference path (the
/// `...Path` forms), or (JSONata) a `{% %}` expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Setting<T> {
    Fixed(T),
    Path(Path),
    Expression(JsonataTemplate),
}

/// `CSVHeaderLocation`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsvHeader {
    /// `FIRST_ROW` (the default): the first line names the columns.
    FirstRow,
    /// `GIVEN`: `CSVHeaders` names them and every line is a row.
    Given(Vec<String>),
}

/// `ReaderConfig.InputType` of an `s3:getObject` reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputType {
    /// A JSON array: each element is an item.
    Json,
    /// JSON Lines: each non-empty line is an item.
    Jsonl,
    /// Each row is an object of column name to text.
    Csv { header: CsvHeader, delimiter: char },
}

/// What an `ItemReader` reads.
#[derive(Clone, Debug, PartialEq)]
pub enum ReaderSource {
    /// `arn:aws:states:::s3:getObject` with `Bucket` and `Key`.
    GetObject(InputType),
    /// `arn:aws:states:::s3:listObjectsV2` with `Bucket` and an optional `Prefix`.
    ListObjects,
}

/// `ItemReader`.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemReader {
    pub source: ReaderSource,
    /// `Parameters` (JSONPath) or `Arguments` (JSONata).
    pub arguments: Payload,
    /// `ReaderConfig.MaxItems` / `MaxItemsPath`: read at most this many items (0: all).
    pub max_items: Option<Setting<u64>>,
}

/// `ItemBatcher`.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemBatcher {
    pub max_items: Option<Setting<u64>>,
    pub max_bytes: Option<Setting<u64>>,
    pub batch_input: Option<Payload>,
}

/// `ResultWriter`: an export to S3 (`Resource` and `Parameters`/`Arguments`), a
/// `WriterConfig`, or both.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultWriter {
    /// `Parameters` (JSONPath) or `Arguments` (JSONata): `Bucket` and `Prefix`. `None`:
    /// `WriterConfig` alone, the formatted results are the Map's output.
    pub arguments: Option<Payload>,
    /// `WriterConfig` (`None`: an export without one, Transformation NONE and JSON).
    pub config: Option<WriterConfig>,
}

/// `WriterConfig.Transformation`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Transformation {
    /// Each child's `DescribeExecution`-shaped entry (its metadata and output).
    #[default]
    None,
    /// Each succeeded child's output alone.
    Compact,
    /// As `Compact`, with an array output's elements spliced in (one level).
    Flatten,
}

/// `WriterConfig.OutputType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OutputType {
    /// A JSON array.
    #[default]
    Json,
    /// JSON Lines: one JSON value a line.
    Jsonl,
}

/// `WriterConfig`: how the children's results are formatted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct WriterConfig {
    pub transformation: Transformation,
    pub output_type: OutputType,
}

impl WriterConfig {
    /// The entries of `records` as `Transformation` shapes them, in order: a succeeded
    /// child's output (`Compact`, `Flatten`: an array's elements) or, for `None` and for
    /// every child that did not succeed, its `DescribeExecution`-shaped entry (AWS keeps a
    /// failed child unchanged whatever the transformation).
    pub fn entries(&self, names: &MapRunNames, records: &[ChildRecord]) -> Vec<Value> {
        let mut entries = Vec::new();
        for record in records {
            match (&record.status, self.transformation) {
                (ChildStatus::Succeeded(output), Transformation::Compact) => {
                    entries.push(output.clone());
                }
                (ChildStatus::Succeeded(Value::Array(items)), Transformation::Flatten) => {
                    entries.extend(items.iter().cloned());
                }
                (ChildStatus::Succeeded(output), Transformation::Flatten) => {
                    entries.push(output.clone());
                }
                _ => entries.push(entry(names, record)),
            }
        }
        entries
    }

    /// The Map state's output with `WriterConfig` alone (no export): the entries as a
    /// JSON array, or with JSON Lines the lines as one JSON string (our reading: the guide
    /// does not say how JSON Lines look as a state's output, and a state's output must be
    /// one JSON value).
    pub fn output(&self, names: &MapRunNames, records: &[ChildRecord]) -> Value {
        let entries = self.entries(names, records);
        match self.output_type {
            OutputType::Json => Value::Array(entries),
            OutputType::Jsonl => Value::String(self.format(entries)),
        }
    }

    /// `entries` as `OutputType` formats them: a JSON array, or JSON Lines (each value
    /// on its own line, each line ended by `\n`; our reading, the guide does not say
    /// whether the last line has one).
    pub fn format(&self, entries: Vec<Value>) -> String {
        match self.output_type {
            OutputType::Json => Value::Array(entries).to_string(),
            OutputType::Jsonl => {
                let mut body = String::new();
                for entry in &entries {
                    body.push_str(&entry.to_string());
                    body.push('\n');
                }
                body
            }
        }
    }
}

/// The Distributed-only fields of a Map.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Distributed {
    pub reader: Option<ItemReader>,
    pub batcher: Option<ItemBatcher>,
    pub writer: Option<ResultWriter>,
    /// `Label` (default: the state's name), part of the Map Run's and children's ARNs.
    pub label: Option<String>,
    pub tolerated_count: Option<Setting<u64>>,
    pub tolerated_percentage: Option<Setting<f64>>,
}

/// The items of an object read by an `s3:getObject` reader.
pub fn parse_items(body: &str, input: &InputType) -> Result<Vec<Value>, String> {
    match input {
        InputType::Json => match serde_json::from_str::<Value>(body) {
            Ok(Value::Array(items)) => Ok(items),
            Ok(other) => Err(format!(
                "the JSON file must hold an array, it holds {}",
                kind(&other)
            )),
            Err(error) => Err(format!("the file is not valid JSON: {error}")),
        },
        InputType::Jsonl => {
            let mut items = Vec::new();
            for (number, line) in body.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                match serde_json::from_str::<Value>(line) {
                    Ok(item) => items.push(item),
                    Err(error) => {
                        return Err(format!("line {} is not valid JSON: {error}", number + 1))
                    }
                }
            }
            Ok(items)
        }
        InputType::Csv { header, delimiter } => csv_items(body, header, *delimiter),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn csv_items(body: &str, header: &CsvHeader, delimiter: char) -> Result<Vec<Value>, String> {
    let mut rows = parse_csv(body, delimiter)?.into_iter();
    let names = match header {
        CsvHeader::Given(names) => names.clone(),
        CsvHeader::FirstRow => {
            let first_line = body.lines().next().unwrap_or("");
            if first_line.len() > MAX_CSV_HEADER_BYTES {
                return Err(format!(
                    "the CSV header is {} bytes, more than the {MAX_CSV_HEADER_BYTES} Step Functions reads",
                    first_line.len()
                ));
            }
            match rows.next() {
                Some(names) => names,
                None => return Ok(Vec::new()),
            }
        }
    };
    let mut items = Vec::new();
    for (index, row) in rows.enumerate() {
        if row.len() != names.len() {
            let line = index
                + if matches!(header, CsvHeader::FirstRow) {
                    2
                } else {
                    1
                };
            return Err(format!(
                "row {line} has {} field(s), the header names {}",
                row.len(),
                names.len()
            ));
        }
        let object: Map<String, Value> = names
            .iter()
            .cloned()
            .zip(row.into_iter().map(Value::String))
            .collect();
        items.push(Value::Object(object));
    }
    Ok(items)
}

/// RFC 4180 rows: fields split by `delimiter`, `"` quotes a field (which may then hold
/// the delimiter, line breaks and `""` for a quote), lines end with LF or CRLF, blank
/// lines are skipped.
pub fn parse_csv(body: &str, delimiter: char) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    // At the start of a field, where a quote opens a quoted field.
    let mut at_start = true;
    // Nothing read on this line yet: a blank line is no row.
    let mut line_empty = true;
    let mut line = 1usize;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    match chars.peek() {
                        None | Some('\n' | '\r') => {}
                        Some(&next) if next == delimiter => {}
                        Some(&next) => {
                            return Err(format!(
                                "line {line}: '{next}' after a closing quote (a quoted field ends at a delimiter or the line's end)"
                            ))
                        }
                    }
                }
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
                line_empty = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                if !line_empty {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                at_start = true;
                line_empty = true;
                line += 1;
            }
            c if c == delimiter => {
                row.push(std::mem::take(&mut field));
                at_start = true;
                line_empty = false;
            }
            _ => {
                field.push(c);
                at_start = false;
                line_empty = false;
            }
        }
    }
    if quoted {
        return Err(format!("line {line}: a quoted field is not closed"));
    }
    if !line_empty {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// The items of an `s3:listObjectsV2` reader, shaped as Step Functions gives them.
pub fn list_items(objects: &[ObjectSummary]) -> Vec<Value> {
    objects
        .iter()
        .map(|object| {
            let mut item = Map::new();
            item.insert("Etag".into(), Value::String(object.etag.clone()));
            item.insert("Key".into(), Value::String(object.key.clone()));
            item.insert("LastModified".into(), Value::from(object.last_modified));
            item.insert("Size".into(), Value::from(object.size));
            item.insert("StorageClass".into(), Value::String("STANDARD".into()));
            Value::Object(item)
        })
        .collect()
}

/// The byte length of `value` as compact JSON text.
pub fn json_len(value: &Value) -> usize {
    serde_json::to_vec(value)
        .map(|text| text.len())
        .unwrap_or(0)
}

/// Groups `items` into child inputs `{"Items": [...], "BatchInput": ...}` of at most
/// `max_items` items and `max_bytes` bytes of JSON (the whole child input, `BatchInput`
/// included); without `max_bytes` a batch is kept within the 256 KiB payload quota.
/// Returns the inputs and the number of items in each. An item that cannot fit in a
/// batch by itself is an error naming it.
pub fn batch(
    items: Vec<Value>,
    max_items: Option<u64>,
    max_bytes: Option<u64>,
    batch_input: Option<&Value>,
) -> Result<(Vec<Value>, Vec<usize>), String> {
    let byte_limit = max_bytes.unwrap_or(MAX_BATCH_BYTES).min(MAX_BATCH_BYTES) as usize;
    let item_limit = match max_items {
        Some(0) | None => usize::MAX,
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
    };
    // `{"Items":[]}` or `{"BatchInput":<input>,"Items":[]}`.
    let empty = match batch_input {
        Some(input) => "{\"BatchInput\":,\"Items\":[]}".len() + json_len(input),
        None => "{\"Items\":[]}".len(),
    };
    let mut batches = Vec::new();
    let mut sizes = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut bytes = empty;
    let finish = |current: &mut Vec<Value>, batches: &mut Vec<Value>, sizes: &mut Vec<usize>| {
        let mut object = Map::new();
        if let Some(input) = batch_input {
            object.insert("BatchInput".into(), input.clone());
        }
        sizes.push(current.len());
        object.insert("Items".into(), Value::Array(std::mem::take(current)));
        batches.push(Value::Object(object));
    };
    for (index, item) in items.into_iter().enumerate() {
        let size = json_len(&item);
        let added = size + usize::from(!current.is_empty());
        if !current.is_empty() && (current.len() >= item_limit || bytes + added > byte_limit) {
            finish(&mut current, &mut batches, &mut sizes);
            bytes = empty;
        }
        let added = size + usize::from(!current.is_empty());
        if bytes + added > byte_limit {
            return Err(format!(
                "item {index} is {size} bytes, too large for a batch of at most {byte_limit} bytes"
            ));
        }
        bytes += added;
        current.push(item);
    }
    if !current.is_empty() {
        finish(&mut current, &mut batches, &mut sizes);
    }
    Ok((batches, sizes))
}

/// How a child run of a Map Run ended, for the result files.
#[derive(Clone, Debug, PartialEq)]
pub enum ChildStatus {
    /// Never started (the Map Run failed first).
    Pending,
    Succeeded(Value),
    Failed(StatesError),
    /// Stopped when the Map Run failed.
    Aborted,
}

/// One child execution of a Map Run.
#[derive(Clone, Debug, PartialEq)]
pub struct ChildRecord {
    /// The child execution's name (a UUID).
    pub name: String,
    pub input: Value,
    pub status: ChildStatus,
    /// Microseconds since the Unix epoch.
    pub started: Option<i64>,
    pub stopped: Option<i64>,
}

/// The names of a Map Run: its ARN and its children's ARNs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapRunNames {
    /// `arn:aws:states:<region>:<account>:mapRun:<machine>/<label>:<id>`.
    pub map_run_arn: String,
    /// `arn:aws:states:<region>:<account>:stateMachine:<machine>/<label>`.
    pub state_machine_arn: String,
    /// `arn:aws:states:<region>:<account>:execution:<machine>/<label>` (the child's
    /// name follows after a colon).
    pub execution_arn_prefix: String,
    /// The Map Run's id (a UUID).
    pub id: String,
}

impl MapRunNames {
    /// The names for a Map Run `id` of the machine `state_machine_arn`, labelled `label`.
    pub fn new(state_machine_arn: &str, label: &str, id: &str) -> MapRunNames {
        let (prefix, machine) = state_machine_arn
            .split_once(":stateMachine:")
            .unwrap_or(("arn:aws:states:us-east-1:123456789012", state_machine_arn));
        MapRunNames {
            map_run_arn: format!("{prefix}:mapRun:{machine}/{label}:{id}"),
            state_machine_arn: format!("{prefix}:stateMachine:{machine}/{label}"),
            execution_arn_prefix: format!("{prefix}:execution:{machine}/{label}"),
            id: id.to_string(),
        }
    }
}

/// The key of `file` in the Map Run's folder: `<Prefix>/<map run id>/<file>` (no
/// separator after an empty prefix or one that ends with `/`).
pub fn result_key(prefix: &str, id: &str, file: &str) -> String {
    if prefix.is_empty() || prefix.ends_with('/') {
        format!("{prefix}{id}/{file}")
    } else {
        format!("{prefix}/{id}/{file}")
    }
}

/// The objects a `ResultWriter` writes for a finished Map Run: `SUCCEEDED_0.json`,
/// `FAILED_0.json` and `PENDING_0.json` when they have entries, then `manifest.json`
/// listing them (keys and sizes) under `ResultFiles`. Without a `WriterConfig` (or with
/// Transformation NONE) entries are shaped as `DescribeExecution` answers, with
/// `Input`/`Output` as JSON text; `config` may compact or flatten the succeeded children's
/// entries ([`WriterConfig::entries`]) and write JSON Lines. Failed and aborted children go
/// to `FAILED_0.json`, children never started to `PENDING_0.json`. Files keep their
/// `.json` names with JSON Lines too (our reading: the guide names no other) and the
/// manifest stays JSON. Returns (key, body) pairs, the manifest last.
pub fn result_files(
    bucket: &str,
    prefix: &str,
    names: &MapRunNames,
    records: &[ChildRecord],
    config: &WriterConfig,
) -> Vec<(String, String)> {
    let mut groups: [(&str, Vec<ChildRecord>); 3] = [
        ("SUCCEEDED", Vec::new()),
        ("FAILED", Vec::new()),
        ("PENDING", Vec::new()),
    ];
    for record in records {
        let group = match record.status {
            ChildStatus::Succeeded(_) => 0,
            ChildStatus::Failed(_) | ChildStatus::Aborted => 1,
            ChildStatus::Pending => 2,
        };
        groups[group].1.push(record.clone());
    }
    let mut files = Vec::new();
    let mut listed = Map::new();
    for (status, entries) in groups {
        let mut list = Vec::new();
        if !entries.is_empty() {
            let key = result_key(prefix, &names.id, &format!("{status}_0.json"));
            let body = config.format(config.entries(names, &entries));
            let mut file = Map::new();
            file.insert("Key".into(), Value::String(key.clone()));
            file.insert("Size".into(), Value::from(body.len() as u64));
            list.push(Value::Object(file));
            files.push((key, body));
        }
        listed.insert(status.to_string(), Value::Array(list));
    }
    let mut manifest = Map::new();
    manifest.insert("DestinationBucket".into(), Value::String(bucket.into()));
    manifest.insert("MapRunArn".into(), Value::String(names.map_run_arn.clone()));
    manifest.insert("ResultFiles".into(), Value::Object(listed));
    files.push((
        result_key(prefix, &names.id, "manifest.json"),
        Value::Object(manifest).to_string(),
    ));
    files
}

fn entry(names: &MapRunNames, record: &ChildRecord) -> Value {
    let mut entry = Map::new();
    let included = || {
        let mut details = Map::new();
        details.insert("Included".into(), Value::Bool(true));
        Value::Object(details)
    };
    entry.insert("Input".into(), Value::String(record.input.to_string()));
    entry.insert("InputDetails".into(), included());
    let status = match &record.status {
        ChildStatus::Pending => "PENDING",
        ChildStatus::Succeeded(output) => {
            entry.insert("Output".into(), Value::String(output.to_string()));
            entry.insert("OutputDetails".into(), included());
            "SUCCEEDED"
        }
        ChildStatus::Failed(error) => {
            entry.insert("Error".into(), Value::String(error.error.clone()));
            entry.insert(
                "Cause".into(),
                Value::String(truncate(&error.cause, 32_768)),
            );
            "FAILED"
        }
        ChildStatus::Aborted => "ABORTED",
    };
    entry.insert("Status".into(), Value::String(status.into()));
    if !matches!(record.status, ChildStatus::Pending) {
        entry.insert(
            "ExecutionArn".into(),
            Value::String(format!("{}:{}", names.execution_arn_prefix, record.name)),
        );
        entry.insert("Name".into(), Value::String(record.name.clone()));
        entry.insert(
            "StateMachineArn".into(),
            Value::String(names.state_machine_arn.clone()),
        );
        entry.insert("RedriveCount".into(), Value::from(0));
        entry.insert(
            "RedriveStatus".into(),
            Value::String("NOT_REDRIVABLE".into()),
        );
        entry.insert(
            "RedriveStatusReason".into(),
            Value::String(
                "Execution is a Child Execution of Map Run and must be redriven as a part of Map Run"
                    .into(),
            ),
        );
    }
    for (name, time) in [("StartDate", record.started), ("StopDate", record.stopped)] {
        if let Some(time) = time {
            entry.insert(name.into(), Value::String(format_rfc3339(time)));
        }
    }
    Value::Object(entry)
}
