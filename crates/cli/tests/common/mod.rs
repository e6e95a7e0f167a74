//! Running the built `loosely` binary as a user does, shared by the CLI test binaries.

#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn loosely(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loosely"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The path of `examples/<name>` in the repository.
pub fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
        .display()
        .to_string()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary file that is removed when dropped.
pub struct TempFile(PathBuf);

impl TempFile {
    pub fn new(name: &str, contents: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("loosely-cli-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).expect("writable temp dir");
        TempFile(path)
    }

    pub fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
