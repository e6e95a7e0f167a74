//! `loosely asl validate` and `loosely asl run`: check an Amazon States Language definition,
//! and run one execution of it in virtual time with tasks answered by a Step Functions
//! Local mock configuration (or echoing their input without one). `--s3 DIR` gives a
//! Distributed Map its buckets: each subdirectory of DIR is a bucket, each file in it
//! an object (its key the path below the bucket, with `/`); what a `ResultWriter` writes
//! is written back there as files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use loosely_engine::asl::distributed::check_bucket_name;
use loosely_engine::asl::{
    run_to_end, validate, Buckets, Execution, ExecutionContext, HistoryEvent, MockConfig,
    MockHandler, RunEnd, StateMachine,
};
use loosely_engine::SimRng;
use serde_json::{json, Value};

use crate::error::{CliError, ErrorKind};

/// The most `advance` calls one run may take before it is stopped (a guard, never reached
/// by a definition that finishes).
const MAX_STEPS: u64 = 10_000_000;

/// What `asl run` ended with.
pub struct RunReport {
    /// The history lines and the transition count, when asked for.
    pub history: Option<String>,
    /// The pretty JSON output (success) or `{"error", "cause"}` (failure).
    pub document: Value,
    pub succeeded: bool,
}

/// The task answers of a run: a mock configuration's test case.
pub struct MockChoice<'a> {
    pub file: &'a Path,
    pub test_case: &'a str,
    pub state_machine: Option<&'a str>,
}

fn input_error(context: &str, message: impl Into<String>) -> CliError {
    CliError {
        context: context.to_string(),
        kind: ErrorKind::Input(message.into()),
    }
}

fn read(file: &Path) -> Result<(String, String), CliError> {
    let context = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|error| CliError {
        context: context.clone(),
        kind: ErrorKind::Read(error),
    })?;
    Ok((context, text))
}

/// Reads and validates a definition; every problem comes back in the error.
pub fn load_definition(file: &Path) -> Result<StateMachine, CliError> {
    let (context, text) = read(file)?;
    validate(&text).map_err(|issues| CliError {
        context,
        kind: ErrorKind::InvalidAsl(issues),
    })
}

/// The number of states of a machine, nested ones (Parallel branches, Map iterations) included.
pub fn state_count(machine: &StateMachine) -> usize {
    machine.graphs.iter().map(|graph| graph.states.len()).sum()
}

/// `--input`: JSON text, or `@FILE`.
pub fn parse_input(input: Option<&str>) -> Result<Value, CliError> {
    let Some(input) = input else {
        return Ok(json!({}));
    };
    let (context, text) = match input.strip_prefix('@') {
        Some(path) => read(Path::new(path))?,
        None => ("--input".to_string(), input.to_string()),
    };
    serde_json::from_str(&text)
        .map_err(|error| input_error(&context, format!("the input is not valid JSON: {error}")))
}

/// The mock handler for `--mock FILE --test-case NAME [--state-machine NAME]`.
pub fn mock_handler(choice: Option<MockChoice<'_>>) -> Result<MockHandler, CliError> {
    let Some(choice) = choice else {
        return Ok(MockHandler::default());
    };
    let (context, text) = read(choice.file)?;
    let config = MockConfig::parse(&text).map_err(|message| input_error(&context, message))?;
    let machine = match choice.state_machine {
        Some(name) => name.to_string(),
        None => {
            let mut names = config.state_machines.keys();
            match (names.next(), names.next()) {
                (Some(only), None) => only.clone(),
                (None, _) => {
                    return Err(input_error(
                        &context,
                        "the mock configuration has no StateMachines",
                    ))
                }
                (Some(_), Some(_)) => {
                    let all: Vec<&str> = config.state_machines.keys().map(String::as_str).collect();
                    return Err(input_error(
                        &context,
                        format!(
                            "the mock configuration names several state machines ({}); choose one with --state-machine",
                            all.join(", ")
                        ),
                    ));
                }
            }
        }
    };
    MockHandler::new(&config, &machine, choice.test_case)
        .map_err(|message| input_error(&context, message))
}

/// Runs one execution from t = 0, jumping the clock to each wake-up, until it ends.
pub fn run(
    machine: StateMachine,
    input: Value,
    handler: &mut MockHandler,
    seed: u64,
    with_history: bool,
) -> RunReport {
    let mut execution = Execution::start(Arc::new(machine), input, ExecutionContext::default());
    let mut rng = SimRng::seed_from_u64(seed);
    let (document, succeeded) = match run_to_end(&mut execution, handler, &mut rng, MAX_STEPS) {
        RunEnd::Succeeded(output) => (output, true),
        RunEnd::Failed { error, cause } => (json!({"error": error, "cause": cause}), false),
    };
    let history = with_history.then(|| history_text(&execution));
    RunReport {
        history,
        document,
        succeeded,
    }
}

/// One line per history event, `t=SECONDS  #ID  TYPE  STATE ...`, then the transition count.
fn history_text(execution: &Execution) -> String {
    let mut text = String::new();
    for event in execution.history() {
        let _ = writeln!(text, "{}", history_line(event));
    }
    let _ = writeln!(text, "state transitions: {}", execution.transitions());
    text
}

fn history_line(event: &HistoryEvent) -> String {
    let mut line = format!(
        "t={:.3}s #{} {}",
        event.timestamp.as_secs_f64(),
        event.id,
        event.event_type.name()
    );
    if let Some(state) = &event.state_name {
        let _ = write!(line, " {state}");
    }
    if let Some(index) = event.index {
        let _ = write!(line, " [{index}]");
    }
    if let Some(resource) = &event.resource {
        let _ = write!(line, " {resource}");
    }
    if let Some(error) = &event.error {
        let _ = write!(line, " ({error})");
    }
    line.replace(['\n', '\r'], " ")
}

/// `--s3 DIR`: each subdirectory of DIR is a bucket (named by S3's bucket-name rules),
/// each file below it an object whose key is its path under the bucket with `/`
/// separators and whose `LastModified` is the file's modification time. Hidden entries
/// (names starting with `.`) are skipped.
pub fn load_buckets(dir: &Path) -> Result<Buckets, CliError> {
    let context = dir.display().to_string();
    let read_error = |error| CliError {
        context: context.clone(),
        kind: ErrorKind::Read(error),
    };
    let mut buckets = Buckets::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(read_error)?
        .collect::<Result<_, _>>()
        .map_err(read_error)?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        check_bucket_name(&name).map_err(|message| {
            input_error(
                &entry.path().display().to_string(),
                format!("the directory is not a bucket: {message}"),
            )
        })?;
        buckets.create_bucket(&name);
        let mut pending = vec![(entry.path(), String::new())];
        while let Some((folder, key_prefix)) = pending.pop() {
            let mut files: Vec<_> = std::fs::read_dir(&folder)
                .map_err(read_error)?
                .collect::<Result<_, _>>()
                .map_err(read_error)?;
            files.sort_by_key(std::fs::DirEntry::file_name);
            for file in files {
                let file_name = file.file_name().to_string_lossy().into_owned();
                if file_name.starts_with('.') {
                    continue;
                }
                let key = format!("{key_prefix}{file_name}");
                let path = file.path();
                if path.is_dir() {
                    pending.push((path, format!("{key}/")));
                    continue;
                }
                let bytes = std::fs::read(&path).map_err(|error| CliError {
                    context: path.display().to_string(),
                    kind: ErrorKind::Read(error),
                })?;
                let modified = file
                    .metadata()
                    .and_then(|meta| meta.modified())
                    .ok()
                    .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |since| {
                        i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
                    });
                buckets.insert(&name, &key, &String::from_utf8_lossy(&bytes), modified);
            }
        }
    }
    Ok(buckets)
}

/// Writes the objects of `after` that are new or changed since `before` as files under
/// `dir/<bucket>/<key>`; a key that is not a plain relative path is refused. Returns the
/// paths written.
pub fn save_buckets(
    dir: &Path,
    before: &Buckets,
    after: &Buckets,
) -> Result<Vec<PathBuf>, CliError> {
    let mut written = Vec::new();
    for bucket in after.names() {
        let old: std::collections::BTreeMap<&str, &str> = before
            .objects(bucket)
            .map(|(key, object)| (key, &*object.body))
            .collect();
        for (key, object) in after.objects(bucket) {
            if old.get(key) == Some(&&*object.body) {
                continue;
            }
            let parts: Vec<&str> = key.split('/').collect();
            if parts
                .iter()
                .any(|part| part.is_empty() || *part == "." || *part == "..")
            {
                return Err(input_error(
                    &format!("s3://{bucket}/{key}"),
                    "the key cannot be written as a file: it has an empty, '.' or '..' part",
                ));
            }
            let mut path = dir.join(bucket);
            path.extend(parts);
            let write_error = |error| CliError {
                context: path.display().to_string(),
                kind: ErrorKind::Write(error),
            };
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(write_error)?;
            }
            std::fs::write(&path, object.body.as_bytes()).map_err(write_error)?;
            written.push(path);
        }
    }
    Ok(written)
}
