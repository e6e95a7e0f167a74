//! Amazon States Language validation: any text is a state machine or a list of issues,
//! each with a path, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loosely_engine::asl::validate;

fuzz_target!(|data: &[u8]| {
    let Ok(definition) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(issues) = validate(definition) {
        assert!(
            !issues.is_empty(),
            "a rejected definition names its problems"
        );
    }
});
