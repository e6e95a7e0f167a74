//! `loosely`: run, validate and inspect scenario files headless.
//!
//! ```text
//! loosely run scenario.json [--until 1h] [--seed N] [--format table|json] [--metrics-csv FILE]
//! loosely sweep scenario.json --set components.orders.VisibilityTimeout=10,30,60 [--set ...] [--csv]
//! loosely validate scenario.json
//! loosely schema
//! loosely link scenario.json [--base URL]
//! loosely unlink URL
//! loosely test scenario.json...
//! loosely import TEMPLATE.yaml > scenario.json
//! loosely export --cloudformation scenario.json > template.json
//! loosely asl validate DEFINITION.json
//! loosely asl run DEFINITION.json [--input JSON|@FILE] [--mock MOCK.json --test-case NAME [--state-machine NAME]] [--s3 DIR] [--history] [--seed N]
//! loosely sns-filter --policy POLICY [--scope MessageAttributes|MessageBody] (--attributes ATTRS | --body BODY)
//! ```
//!
//! A problem with the input (missing file, bad JSON, bad flag) is one line on stderr and exit
//! code 2; an invalid scenario or state machine definition lists every problem, one per
//! line, and also exits with 2. `asl run` exits with 1 when the execution fails.

mod asl;
mod duration;
mod error;
mod report;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{ArgGroup, Parser, Subcommand, ValueEnum};
use loosely_engine::sns_filter::{self, FilterPolicy, FilterPolicyScope};
use loosely_engine::SimTime;
use loosely_scenario::Scenario;

use crate::error::{CliError, ErrorKind};
use crate::report::RunOutcome;

/// Exit code of every input problem (as clap uses for usage errors).
const EXIT_INPUT: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "loosely",
    version,
    about = "Simulate loosely coupled AWS architectures (SQS queues, SNS topics, producers, consumers) in virtual time."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario headless and print what happened.
    Run {
        /// The scenario file (JSON, format version 1).
        file: PathBuf,
        /// Simulated time to run: 90s, 15m, 1h, 2d or plain seconds; default the scenario's duration_seconds. Stops earlier once every message is settled.
        #[arg(long, value_parser = duration::parse_duration)]
        until: Option<SimTime>,
        /// Seed of the random number generator, overriding the file's.
        #[arg(long)]
        seed: Option<u64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Also write every metric sample (one per component, metric and period) to FILE as CSV.
        #[arg(long, value_name = "FILE")]
        metrics_csv: Option<PathBuf>,
    },
    /// Run a scenario once per value of a parameter, under the same seed, and print the outcomes side by side.
    Sweep {
        /// The scenario file (JSON, format version 1).
        file: PathBuf,
        /// PATH=V1,V2,...: components.<id>.<Parameter> (components.orders.VisibilityTimeout=10,30,60) or a top-level field (seed=1,2,3); several --set run every combination.
        #[arg(long = "set", required = true, value_name = "PATH=VALUES")]
        settings: Vec<String>,
        /// Print CSV instead of a table.
        #[arg(long)]
        csv: bool,
    },
    /// Run scenarios headless and judge their expectations: one line per expectation; exit 1 when one fails, 2 when a file is not a valid scenario.
    Test {
        /// The scenario files (JSON, format version 1).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Check a scenario and print every problem with its JSON path.
    Validate {
        /// The scenario file (JSON, format version 1).
        file: PathBuf,
    },
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Print a share link that opens the scenario in the playground (the scenario travels in the link's fragment).
    Link {
        /// The scenario file (JSON, format version 1).
        file: PathBuf,
        /// Where the playground is served; the link is BASE#v1:...
        #[arg(long, default_value = "http://127.0.0.1:8080/")]
        base: String,
    },
    /// Print the scenario a share link holds, as JSON (a whole URL, or the part after #).
    Unlink {
        /// The link.
        link: String,
    },
    /// Read a CloudFormation or SAM template (JSON or YAML) and print it as a scenario; every resource, property or reference left out is listed on stderr.
    Import {
        /// The template file.
        file: PathBuf,
    },
    /// Print a scenario as a CloudFormation template (simulation-only settings go under Metadata).
    Export {
        /// Write a CloudFormation template (the only export format).
        #[arg(long, required = true)]
        cloudformation: bool,
        /// The scenario file (JSON, format version 1).
        file: PathBuf,
    },
    /// Amazon States Language (Step Functions): validate a definition or run one execution.
    Asl {
        #[command(subcommand)]
        command: AslCommand,
    },
    /// Test an SNS subscription filter policy against one message: prints `match`, or `no match` and the reason.
    #[command(group(ArgGroup::new("message").required(true).args(["attributes", "body"])))]
    SnsFilter {
        /// The FilterPolicy: JSON text, or @FILE to read it from a file.
        #[arg(long)]
        policy: String,
        /// FilterPolicyScope; default MessageBody with --body, MessageAttributes with --attributes.
        #[arg(long, value_enum)]
        scope: Option<Scope>,
        /// Message attributes in the AWS API shape, {"store": {"DataType": "String", "StringValue": "example_corp"}}: JSON text, or @FILE.
        #[arg(long)]
        attributes: Option<String>,
        /// The message body (a JSON object for MessageBody-scope policies): text, or @FILE.
        #[arg(long)]
        body: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum AslCommand {
    /// Check a definition and print every problem with its JSON path and code.
    Validate {
        /// The state machine definition (ASL JSON).
        file: PathBuf,
    },
    /// Run one execution in virtual time and print its output (exit 1 if it fails).
    Run {
        /// The state machine definition (ASL JSON).
        file: PathBuf,
        /// The execution input: JSON text, or @FILE; default {}.
        #[arg(long)]
        input: Option<String>,
        /// A Step Functions Local mock configuration answering the Task states.
        #[arg(long, requires = "test_case")]
        mock: Option<PathBuf>,
        /// The test case of the mock configuration to use.
        #[arg(long, requires = "mock")]
        test_case: Option<String>,
        /// The state machine of the mock configuration, when it names several.
        #[arg(long, requires = "mock")]
        state_machine: Option<String>,
        /// Also print the execution history (one event a line) and the state transitions.
        #[arg(long)]
        history: bool,
        /// Seed of the random number generator (retry jitter, Map Run names).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// S3 buckets for a Distributed Map: each subdirectory of DIR is a bucket, each
        /// file below it an object (key = its path under the bucket). ItemReader reads
        /// them; what a ResultWriter writes (Prefix/<map run id>/manifest.json, ...) is
        /// written back into DIR as files. Without it every bucket is missing.
        #[arg(long, value_name = "DIR")]
        s3: Option<PathBuf>,
    },
}

/// `FilterPolicyScope`, with AWS's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Scope {
    /// The policy names message attributes.
    #[value(name = "MessageAttributes")]
    MessageAttributes,
    /// The policy names properties of the JSON message body.
    #[value(name = "MessageBody")]
    MessageBody,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Aligned text for people.
    Table,
    /// One JSON document.
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return clap_error(&error),
    };
    match execute(cli) {
        Ok(code) => code,
        Err(error) => {
            let code = match error.downcast_ref::<CliError>() {
                Some(cli_error) => {
                    if let ErrorKind::InvalidAsl(issues) = &cli_error.kind {
                        let mut text = String::new();
                        for issue in issues {
                            text.push_str(&format!(
                                "{}: {}: {}: {}\n",
                                cli_error.context, issue.path, issue.code, issue.message
                            ));
                        }
                        let _ = std::io::stderr().write_all(text.as_bytes());
                        return ExitCode::from(EXIT_INPUT);
                    }
                    if let ErrorKind::Invalid(issues) = &cli_error.kind {
                        let mut text = String::new();
                        for issue in issues {
                            text.push_str(&format!("{}: {issue}\n", cli_error.context));
                        }
                        let _ = std::io::stderr().write_all(text.as_bytes());
                        return ExitCode::from(EXIT_INPUT);
                    }
                    EXIT_INPUT
                }
                None => 1,
            };
            let _ = writeln!(std::io::stderr(), "loosely: {error:#}");
            ExitCode::from(code)
        }
    }
}

/// Help and version go to stdout with exit 0; every other clap error is one line, exit 2.
fn clap_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind as Kind;
    match error.kind() {
        Kind::DisplayHelp | Kind::DisplayVersion => {
            let _ = write!(std::io::stdout(), "{error}");
            ExitCode::SUCCESS
        }
        Kind::DisplayHelpOnMissingArgumentOrSubcommand | Kind::MissingSubcommand
            if std::env::args().nth(1).as_deref() == Some("asl") =>
        {
            let _ = writeln!(
                std::io::stderr(),
                "loosely: an asl command is required: validate or run (try loosely asl --help)"
            );
            ExitCode::from(EXIT_INPUT)
        }
        Kind::DisplayHelpOnMissingArgumentOrSubcommand | Kind::MissingSubcommand => {
            let _ = writeln!(
                std::io::stderr(),
                "loosely: a command is required: run, sweep, test, validate, schema, link, unlink, import, export, asl or sns-filter (try --help)"
            );
            ExitCode::from(EXIT_INPUT)
        }
        _ => {
            let rendered = error.to_string();
            let mut lines = rendered.lines().filter(|line| !line.trim().is_empty());
            let first = lines.next().unwrap_or("invalid arguments");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            // "the following required arguments were not provided:" names them on the next line.
            let first = match (first.strip_suffix(':'), lines.next()) {
                (Some(head), Some(next)) => format!("{head}: {}", next.trim()),
                _ => first.to_string(),
            };
            let _ = writeln!(std::io::stderr(), "loosely: {first} (try --help)");
            ExitCode::from(EXIT_INPUT)
        }
    }
}

fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Schema => {
            let schema = loosely_scenario::json_schema();
            emit(&format!("{}\n", serde_json::to_string_pretty(&schema)?))?;
        }
        Command::SnsFilter {
            policy,
            scope,
            attributes,
            body,
        } => {
            emit(&sns_filter_verdict(&policy, scope, attributes, body)?)?;
        }
        Command::Asl { command } => return asl_command(command),
        Command::Link { file, base } => {
            let scenario = load_valid(&file)?;
            let base = base.split('#').next().unwrap_or_default();
            emit(&format!(
                "{base}#{}\n",
                loosely_scenario::encode_link(&scenario)
            ))?;
        }
        Command::Unlink { link } => {
            let scenario = loosely_scenario::decode_link(&link).map_err(|error| CliError {
                context: "link".to_string(),
                kind: ErrorKind::Input(error.to_string()),
            })?;
            emit(&format!("{}\n", scenario.to_json_pretty()))?;
        }
        Command::Test { files } => return test_command(&files),
        Command::Import { file } => {
            let context = file.display().to_string();
            let text = std::fs::read_to_string(&file).map_err(|error| CliError {
                context: context.clone(),
                kind: ErrorKind::Read(error),
            })?;
            let imported = loosely_cfn::import(&text).map_err(|error| CliError {
                context: context.clone(),
                kind: ErrorKind::Input(error.to_string()),
            })?;
            let mut notes = String::new();
            for skipped in &imported.skipped {
                notes.push_str(&format!("{context}: skipped {skipped}\n"));
            }
            for issue in imported.scenario.validate() {
                notes.push_str(&format!("{context}: the imported scenario: {issue}\n"));
            }
            let _ = std::io::stderr().write_all(notes.as_bytes());
            emit(&format!("{}\n", imported.scenario.to_json_pretty()))?;
        }
        Command::Export {
            cloudformation: _,
            file,
        } => {
            let scenario = load_valid(&file)?;
            emit(&format!("{}\n", loosely_cfn::export(&scenario)))?;
        }
        Command::Validate { file } => {
            let scenario = load_valid(&file)?;
            emit(&format!(
                "valid: {} components\n",
                scenario.components.len()
            ))?;
        }
        Command::Sweep {
            file,
            settings,
            csv,
        } => {
            let (context, scenario) = load(&file)?;
            let invalid = |issues| CliError {
                context: context.clone(),
                kind: ErrorKind::Invalid(issues),
            };
            let settings = settings
                .iter()
                .map(|text| loosely_scenario::sweep::Setting::parse(text))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|issue| invalid(vec![issue]))?;
            let base_issues = scenario.validate();
            if !base_issues.is_empty() {
                return Err(invalid(base_issues).into());
            }
            let rows = loosely_scenario::sweep::run(&scenario, &settings).map_err(invalid)?;
            emit(&if csv {
                loosely_scenario::sweep::csv(&settings, &rows)
            } else {
                report::sweep_table(&settings, &rows)
            })?;
        }
        Command::Run {
            file,
            until,
            seed,
            format,
            metrics_csv,
        } => {
            let (context, mut scenario) = load(&file)?;
            if let Some(seed) = seed {
                scenario.seed = seed;
            }
            let built = scenario.build().map_err(|issues| CliError {
                context: context.clone(),
                kind: ErrorKind::Invalid(issues),
            })?;
            let limit = until.unwrap_or(built.duration);
            let mut simulation = built.simulation;
            let started = Instant::now();
            let settled = simulation.run_until_settled(limit);
            let wall = started.elapsed();
            if let Some(path) = &metrics_csv {
                let text =
                    loosely_scenario::csv::metrics_csv(&simulation.drain_metrics(), &built.ids);
                std::fs::write(path, text).map_err(|error| CliError {
                    context: path.display().to_string(),
                    kind: ErrorKind::Write(error),
                })?;
            }
            let outcome = RunOutcome {
                file: context,
                scenario: &scenario,
                ids: &built.ids,
                simulation: &simulation,
                limit,
                settled,
                wall_seconds: wall.as_secs_f64(),
            };
            let text = match format {
                Format::Table => report::table(&outcome),
                Format::Json => format!(
                    "{}\n",
                    serde_json::to_string_pretty(&report::json(&outcome))?
                ),
            };
            emit(&text)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `loosely test`: runs each scenario to its end, judging each expectation at its time.
fn test_command(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    use loosely_engine::expect::{Judge, VerdictState};
    let mut out = String::new();
    let (mut failed, mut invalid) = (0usize, 0usize);
    let mut passed = 0usize;
    for file in files {
        let (context, scenario) = match load(file) {
            Ok(loaded) => loaded,
            Err(error) => {
                out.push_str(&format!("ERROR {error}\n"));
                invalid += 1;
                continue;
            }
        };
        let built = match scenario.build() {
            Ok(built) => built,
            Err(issues) => {
                for issue in issues {
                    out.push_str(&format!("ERROR {context}: {issue}\n"));
                }
                invalid += 1;
                continue;
            }
        };
        if built.expectations.is_empty() {
            out.push_str(&format!("NONE  {context}: no expectations\n"));
            continue;
        }
        let mut simulation = built.simulation;
        let mut judge = Judge::new(built.expectations);
        let mut verdicts = judge.observe(&simulation);
        while let Some(next) = judge.next_time(simulation.now()) {
            simulation.run_until(next.min(built.duration));
            verdicts = judge.observe(&simulation);
            if simulation.now() >= built.duration {
                break;
            }
        }
        for verdict in verdicts {
            let tag = match verdict.state {
                VerdictState::Pass => {
                    passed += 1;
                    "PASS "
                }
                VerdictState::Fail => {
                    failed += 1;
                    "FAIL "
                }
                // Every expectation is due by the end of the run; kept for completeness.
                VerdictState::Pending => "PEND ",
            };
            out.push_str(&format!("{tag} {context}: {}\n", verdict.sentence));
            if !verdict.messages.is_empty() {
                let ids: Vec<String> = verdict.messages.iter().map(|m| m.to_string()).collect();
                out.push_str(&format!("      messages: {}\n", ids.join(", ")));
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    emit(&out)?;
    Ok(if invalid > 0 {
        ExitCode::from(EXIT_INPUT)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `asl validate` and `asl run`.
fn asl_command(command: AslCommand) -> anyhow::Result<ExitCode> {
    match command {
        AslCommand::Validate { file } => {
            let machine = asl::load_definition(&file)?;
            emit(&format!("valid: {} states\n", asl::state_count(&machine)))?;
            Ok(ExitCode::SUCCESS)
        }
        AslCommand::Run {
            file,
            input,
            mock,
            test_case,
            state_machine,
            history,
            seed,
            s3,
        } => {
            let machine = asl::load_definition(&file)?;
            let input = asl::parse_input(input.as_deref())?;
            let choice = match (&mock, &test_case) {
                (Some(file), Some(test_case)) => Some(asl::MockChoice {
                    file,
                    test_case,
                    state_machine: state_machine.as_deref(),
                }),
                _ => None,
            };
            let mut handler = asl::mock_handler(choice)?;
            let buckets = match &s3 {
                Some(dir) => Some(asl::load_buckets(dir)?),
                None => None,
            };
            if let Some(buckets) = &buckets {
                handler = handler.with_buckets(buckets.clone());
            }
            let report = asl::run(machine, input, &mut handler, seed, history);
            if let (Some(dir), Some(before)) = (&s3, &buckets) {
                asl::save_buckets(dir, before, handler.buckets())?;
            }
            let mut text = report.history.unwrap_or_default();
            text.push_str(&serde_json::to_string_pretty(&report.document)?);
            text.push('\n');
            emit(&text)?;
            Ok(if report.succeeded {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// What `sns-filter` prints: `match`, or `no match` and the engine's reason on a second line.
fn sns_filter_verdict(
    policy: &str,
    scope: Option<Scope>,
    attributes: Option<String>,
    body: Option<String>,
) -> Result<String, CliError> {
    let input = |context: &str, message: String| CliError {
        context: context.to_string(),
        kind: ErrorKind::Input(message),
    };
    let scope = match (scope, &body) {
        (Some(scope), _) => scope,
        (None, Some(_)) => Scope::MessageBody,
        (None, None) => Scope::MessageAttributes,
    };
    let policy_text = text_or_file(policy)?;
    let parsed = FilterPolicy::parse(
        &policy_text,
        match scope {
            Scope::MessageAttributes => FilterPolicyScope::MessageAttributes,
            Scope::MessageBody => FilterPolicyScope::MessageBody,
        },
    )
    .map_err(|error| input("--policy", error.message))?;
    let verdict = match (scope, attributes, body) {
        (Scope::MessageAttributes, Some(attributes), None) => {
            let attributes = sns_filter::parse_attributes_json(&text_or_file(&attributes)?)
                .map_err(|message| input("--attributes", message))?;
            parsed.matches_attributes(&attributes)
        }
        (Scope::MessageBody, None, Some(body)) => parsed.matches_body(&text_or_file(&body)?),
        (Scope::MessageBody, Some(_), _) => {
            return Err(input(
                "--attributes",
                "a MessageBody-scope policy looks at the body; give --body instead".to_string(),
            ))
        }
        (Scope::MessageAttributes, _, Some(_)) => {
            return Err(input(
                "--body",
                "a MessageAttributes-scope policy looks at the attributes; give --attributes, or --scope MessageBody".to_string(),
            ))
        }
        // clap requires exactly one of --attributes and --body.
        (_, None, None) => return Err(input("sns-filter", "give --attributes or --body".to_string())),
    };
    Ok(match verdict.reason() {
        None => "match\n".to_string(),
        Some(reason) => format!("no match\n{reason}\n"),
    })
}

/// A command-line value: the text itself, or the contents of FILE when written `@FILE`.
fn text_or_file(value: &str) -> Result<String, CliError> {
    match value.strip_prefix('@') {
        None => Ok(value.to_string()),
        Some(path) => std::fs::read_to_string(path).map_err(|error| CliError {
            context: path.to_string(),
            kind: ErrorKind::Read(error),
        }),
    }
}

/// Reads and parses a scenario file; the context is the file name as given.
fn load(file: &std::path::Path) -> Result<(String, Scenario), CliError> {
    let context = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|error| CliError {
        context: context.clone(),
        kind: ErrorKind::Read(error),
    })?;
    let scenario = Scenario::from_json(&text).map_err(|error| CliError {
        context: context.clone(),
        kind: ErrorKind::Parse(error),
    })?;
    Ok((context, scenario))
}

/// A scenario file that parses and validates; otherwise every problem.
fn load_valid(file: &std::path::Path) -> Result<Scenario, CliError> {
    let (context, scenario) = load(file)?;
    let issues = scenario.validate();
    if issues.is_empty() {
        Ok(scenario)
    } else {
        Err(CliError {
            context,
            kind: ErrorKind::Invalid(issues),
        })
    }
}

/// Writes to stdout; a closed pipe (`loosely run x | head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(()),
    }
}
