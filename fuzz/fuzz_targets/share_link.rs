//! Share links: any text given to `decode_link` is a scenario or a `LinkError`, never a
//! panic; a link that opens is validated, and a valid scenario survives encode → decode.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loosely_scenario::{decode_link, encode_link};

fuzz_target!(|data: &[u8]| {
    let Ok(link) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = decode_link(link) else {
        return;
    };
    let _ = scenario.validate();
    let again = decode_link(&encode_link(&scenario));
    assert_eq!(
        again.as_ref(),
        Ok(&scenario),
        "a decoded link re-encodes to the same scenario"
    );
});
