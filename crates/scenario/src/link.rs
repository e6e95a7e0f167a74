//! Share links: a whole scenario in a URL fragment, so that nothing reaches a server.
//!
//! A link's fragment is `v1:` followed by the scenario's compact JSON, compressed with raw
//! DEFLATE and written in unpadded base64url (RFC 4648 §5). The tag names the link codec;
//! the JSON inside carries its own format `version`, whose defaults are frozen ([`crate::v1`]).
//! Decoders for every tag stay, so a link made today opens the same scenario forever
//! (`tests/links.rs` keeps recorded links and checks them).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::{ParseError, Scenario};

/// The tag of the current link codec.
pub const LINK_TAG: &str = "v1:";

/// The largest scenario a link may unpack to (a guard against compressed bombs).
pub const MAX_LINK_JSON_BYTES: usize = 4 * 1024 * 1024;

/// Why a link does not open.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link holds no scenario: its fragment (after #) is empty")]
    Empty,
    #[error("the link's format \"{0}\" is unknown: this playground reads v1: links")]
    UnknownTag(String),
    #[error("the link is damaged: {0} (was it cut short when it was copied?)")]
    Damaged(String),
    #[error("the link's scenario is larger than {MAX_LINK_JSON_BYTES} bytes unpacked")]
    TooLarge,
    #[error("the link's scenario does not parse: {0}")]
    Parse(#[from] ParseError),
}

/// The fragment (without `#`) that carries `scenario`.
pub fn encode_link(scenario: &Scenario) -> String {
    // Serializing the wire types cannot fail (string keys, numbers JSON can write).
    let json = serde_json::to_vec(scenario).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 10);
    format!("{LINK_TAG}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The scenario in a link: a whole URL, a fragment with or without `#`.
pub fn decode_link(link: &str) -> Result<Scenario, LinkError> {
    let fragment = match link.split_once('#') {
        Some((_, fragment)) => fragment,
        None => link,
    }
    .trim();
    if fragment.is_empty() {
        return Err(LinkError::Empty);
    }
    let Some(payload) = fragment.strip_prefix(LINK_TAG) else {
        let tag = fragment.split(':').next().unwrap_or(fragment);
        let tag: String = tag.chars().take(12).collect();
        return Err(LinkError::UnknownTag(tag));
    };
    let packed = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|error| LinkError::Damaged(format!("not base64url ({error})")))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_LINK_JSON_BYTES)
        .map_err(|error| match error.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            _ => LinkError::Damaged("the compressed data is incomplete or corrupt".to_string()),
        })?;
    let text = String::from_utf8(json)
        .map_err(|_| LinkError::Damaged("the unpacked scenario is not UTF-8 text".to_string()))?;
    Ok(Scenario::from_json(&text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLED: &str = include_str!("../../../examples/worker-pool-dlq.json");

    #[test]
    fn a_scenario_goes_through_a_link_unchanged() {
        let scenario = Scenario::from_json(BUNDLED).expect("example parses");
        let link = encode_link(&scenario);
        assert!(link.starts_with("v1:"));
        assert!(link[3..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        for written in [
            link.clone(),
            format!("#{link}"),
            format!("https://example.com/play/?speed=10#{link}"),
        ] {
            assert_eq!(decode_link(&written), Ok(scenario.clone()), "{written}");
        }
    }

    #[test]
    fn a_scenario_of_twenty_components_fits_in_two_thousand_characters() {
        let mut components = Vec::new();
        let mut connections = Vec::new();
        for n in 0..5 {
            components.push(format!(
                r#"{{"id": "shop-{n}", "kind": "producer", "position": {{"x": 40, "y": {y}}}, "parameters": {{"rate_per_second": {r}}}}}"#,
                y = n * 120,
                r = 5 + n
            ));
            components.push(format!(
                r#"{{"id": "orders-{n}", "kind": "sqs_queue", "position": {{"x": 300, "y": {y}}}, "parameters": {{"VisibilityTimeout": {v}, "RedrivePolicy": {{"deadLetterTargetArn": "orders-{n}-dlq", "maxReceiveCount": 3}}}}}}"#,
                y = n * 120,
                v = 30 + n
            ));
            components.push(format!(
                r#"{{"id": "orders-{n}-dlq", "kind": "sqs_queue", "position": {{"x": 300, "y": {y}}}}}"#,
                y = n * 120 + 60
            ));
            components.push(format!(
                r#"{{"id": "workers-{n}", "kind": "consumer", "position": {{"x": 560, "y": {y}}}, "parameters": {{"workers": {w}}}}}"#,
                y = n * 120,
                w = 2 + n
            ));
            connections.push(format!(r#"{{"from": "shop-{n}", "to": "orders-{n}"}}"#));
            connections.push(format!(r#"{{"from": "orders-{n}", "to": "workers-{n}"}}"#));
        }
        let json = format!(
            r#"{{"version": 1, "name": "Twenty components", "description": "Five producers, five queues with their DLQs and five pools.", "components": [{}], "connections": [{}]}}"#,
            components.join(","),
            connections.join(",")
        );
        let scenario = Scenario::from_json(&json).expect("parses");
        assert_eq!(scenario.components.len(), 20);
        assert!(scenario.validate().is_empty(), "{:?}", scenario.validate());
        let link = encode_link(&scenario);
        assert!(link.len() <= 2_000, "{} characters", link.len());
        assert_eq!(decode_link(&link), Ok(scenario));
    }

    #[test]
    fn a_broken_link_says_what_is_wrong() {
        assert_eq!(decode_link("https://example.com/#"), Err(LinkError::Empty));
        assert_eq!(decode_link(""), Err(LinkError::Empty));
        assert_eq!(
            decode_link("#v9:abc"),
            Err(LinkError::UnknownTag("v9".to_string()))
        );
        assert!(
            matches!(decode_link("v1:***"), Err(LinkError::Damaged(why)) if why.contains("base64url"))
        );
        let scenario = Scenario::from_json(BUNDLED).expect("example parses");
        let link = encode_link(&scenario);
        let cut = &link[..link.len() / 2];
        assert!(
            matches!(decode_link(cut), Err(LinkError::Damaged(_))),
            "{cut}"
        );
        let not_a_scenario = format!(
            "v1:{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
                br#"{"version": 1, "colour": 3}"#,
                6
            ))
        );
        match decode_link(&not_a_scenario) {
            Err(LinkError::Parse(error)) => {
                assert!(error.to_string().contains("colour"), "{error}")
            }
            other => panic!("{other:?}"),
        }
        let bomb = format!(
            "v1:{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
                &vec![b' '; MAX_LINK_JSON_BYTES + 10],
                6
            ))
        );
        assert_eq!(decode_link(&bomb), Err(LinkError::TooLarge));
    }
}
