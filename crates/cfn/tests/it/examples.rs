//! Every example scenario survives export and import unchanged.

use loosely_scenario::Scenario;

fn examples() -> Vec<(String, Scenario)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let mut found = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("examples/")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("readable");
        let scenario = Scenario::from_json(&text).expect("an example parses");
        found.push((path.display().to_string(), scenario));
    }
    found
}

#[test]
fn every_example_round_trips_through_a_template() {
    let examples = examples();
    assert!(examples.len() >= 10);
    for (file, scenario) in examples {
        let template = loosely_cfn::export(&scenario);
        let imported =
            loosely_cfn::import(&template).unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(imported.scenario, scenario, "{file}");
        for skipped in &imported.skipped {
            assert!(crate::left_out_of_an_export(skipped), "{file}: {skipped}");
        }
    }
}
