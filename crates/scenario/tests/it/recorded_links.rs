//! Share links made in the past must open the same scenario forever: each file pair under
//! `recorded_links/` is a link as it was made (`NAME.link`) and the scenario it was made
//! from (`NAME.json`). Never edit these files; record new ones instead.

use loosely_scenario::{decode_link, encode_link, Scenario};

#[test]
fn recorded_links_still_open_the_same_scenario() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/recorded_links");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("recorded_links/")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "link"))
        .collect();
    entries.sort();
    for link_path in entries {
        let link = std::fs::read_to_string(&link_path).expect("link file");
        let json = std::fs::read_to_string(link_path.with_extension("json")).expect("json file");
        let expected = Scenario::from_json(&json).expect("the recorded scenario parses");
        let decoded = decode_link(link.trim())
            .unwrap_or_else(|error| panic!("{}: {error}", link_path.display()));
        assert_eq!(decoded, expected, "{}", link_path.display());
        assert_eq!(decode_link(&encode_link(&expected)), Ok(expected));
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} recorded links");
}
