//! Integration tests of the scenario format, one module per behaviour.

mod api_gateway;
mod appflow;
mod buckets;
mod decoding_never_panics;
mod examples_run;
mod expectations;
mod lambda;
mod load_balancer;
mod mq;
mod recorded_links;
mod round_trip;
mod schema;
mod state_machines;
mod sweeps;
mod v1_defaults;
mod validation_reports_every_problem;

use std::path::PathBuf;

/// Every problem the validator finds in a scenario text, as sentences with their paths.
pub fn issues(json: &str) -> Vec<String> {
    loosely_scenario::Scenario::from_json(json)
        .unwrap_or_else(|error| panic!("{error}"))
        .validate()
        .iter()
        .map(|issue| issue.to_string())
        .collect()
}

/// Every scenario (`*.json` under the repository's `examples/`, except `examples/asl/`), sorted.
pub fn example_files() -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                // examples/asl/ holds state machine definitions and mock files, not scenarios.
                if path.file_name().is_some_and(|name| name == "asl") {
                    continue;
                }
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
}
