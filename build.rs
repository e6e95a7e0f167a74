//! Writes the scenario format's JSON Schema into `OUT_DIR` at build time, so that the web
//! app's inspector reads it as data: the schema generator then stays out of the wasm.

use std::path::PathBuf;

fn main() {
    let schema = loosely_scenario::json_schema();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("scenario-schema.json");
    std::fs::write(&out, schema.to_string()).expect("OUT_DIR is writable");
    // Cargo runs this again whenever the scenario crate (a build dependency) changes.
    println!("cargo::rerun-if-changed=build.rs");
}
