//! CloudFormation and SAM templates: any text given to `import` (JSON or YAML, short tags,
//! intrinsic functions) is a scenario with the skipped parts listed or an `ImportError`,
//! never a panic; an imported scenario is validated, and if it is valid its export imports
//! back to the same scenario.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(imported) = loosely_cfn::import(text) else {
        return;
    };
    if !imported.scenario.validate().is_empty() {
        return;
    }
    let exported = loosely_cfn::export(&imported.scenario);
    let again = loosely_cfn::import(&exported).expect("an export imports");
    assert_eq!(
        again.scenario, imported.scenario,
        "export then import gives back the scenario"
    );
});
