//! The same scenario gives a bit-identical trace natively and in WebAssembly: both compare the
//! hash of the whole trace with the same recorded value.
//! Run in wasm with `cargo test -p loosely-engine --target wasm32-unknown-unknown --test trace_hash`
//! (runner: `wasm-bindgen-test-runner`, under Node).

#[path = "common/rich_model.rs"]
mod rich_model;

/// Recorded from a native run. If an engine change alters behaviour on purpose, record the
/// new value — natively and in wasm it must still be one and the same.
const EXPECTED: &str = "5f3dc9b63a99ac5fe0b188f985b497c91a74ac0cd0687da2e3aed80f9fe46304";

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn trace_hash_is_the_same_on_every_platform() {
    let (hash, events) = rich_model::run_fingerprint(2024);
    assert!(events > 5_000, "the run traced only {events} events");
    assert_eq!(hash, EXPECTED, "trace hash over {events} events");
}
