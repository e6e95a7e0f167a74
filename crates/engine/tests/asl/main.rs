//! Integration tests of the Amazon States Language core (`loosely_engine::asl`).

// Helpers outside `#[test]` functions unwrap too; a failed unwrap is a failed test here.
#![allow(clippy::unwrap_used)]

mod choice;
mod distributed;
mod intrinsics;
mod io_processing;
mod jsonata;
mod jsonata_states;
mod map_parallel;
mod mock_config;
mod properties;
mod redrive;
mod retry_catch;
mod support;
mod tasks;
mod validation;
mod wait;
