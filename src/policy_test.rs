//! The SNS filter policy test panel's logic, free of DOM types: a policy, its scope and a
//! message give a verdict, exactly as the engine's subscriptions decide.

use loosely_engine::sns_filter::{parse_attributes_json, FilterPolicy, FilterPolicyScope};

/// What the panel shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The policy is valid and the message was matched against it.
    Checked {
        delivered: bool,
        /// Why not, when the message is filtered out.
        reason: Option<String>,
        /// The policy's value combinations (AWS allows 150).
        combinations: u64,
    },
    /// The policy is invalid: AWS's error text.
    BadPolicy(String),
    /// The message cannot be read (attributes not in the API shape, body not JSON, ...).
    BadMessage(String),
}

/// Checks `message` (the attributes in the SNS API shape for the `MessageAttributes`
/// scope, the body for `MessageBody`) against `policy`.
pub fn check(policy: &str, scope: FilterPolicyScope, message: &str) -> Verdict {
    let parsed = match FilterPolicy::parse(policy, scope) {
        Ok(parsed) => parsed,
        Err(error) => return Verdict::BadPolicy(error.message),
    };
    let outcome = match scope {
        FilterPolicyScope::MessageAttributes => match parse_attributes_json(message) {
            Ok(attributes) => parsed.matches_attributes(&attributes),
            Err(problem) => return Verdict::BadMessage(format!("MessageAttributes: {problem}")),
        },
        FilterPolicyScope::MessageBody => parsed.matches_body(message),
    };
    Verdict::Checked {
        delivered: outcome.is_match(),
        reason: outcome.reason(),
        combinations: parsed.combinations(),
    }
}

/// One subscription of a topic, as the fan-out tester sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionPolicy {
    /// The subscriber's name.
    pub subscriber: String,
    /// The filter policy's JSON text; `None` when the subscription has none.
    pub policy: Option<String>,
    pub scope: FilterPolicyScope,
}

/// Which subscriptions of a topic receive a message with these attributes and this body,
/// and why the others do not: one verdict per subscription, in order. A subscription
/// without a filter policy receives everything.
pub fn check_fanout(
    subscriptions: &[SubscriptionPolicy],
    attributes: &str,
    body: &str,
) -> Vec<(String, Verdict)> {
    subscriptions
        .iter()
        .map(|subscription| {
            let verdict = match &subscription.policy {
                None => Verdict::Checked {
                    delivered: true,
                    reason: None,
                    combinations: 0,
                },
                Some(policy) => {
                    let message = match subscription.scope {
                        FilterPolicyScope::MessageAttributes => attributes,
                        FilterPolicyScope::MessageBody => body,
                    };
                    check(policy, subscription.scope, message)
                }
            };
            (subscription.subscriber.clone(), verdict)
        })
        .collect()
}

/// A policy and message to start from, for each scope.
pub fn example(scope: FilterPolicyScope) -> (&'static str, &'static str) {
    match scope {
        FilterPolicyScope::MessageAttributes => (
            r#"{
  "store": ["example_corp"],
  "price_usd": [{"numeric": [">=", 100]}],
  "event": [{"anything-but": ["order_cancelled"]}]
}"#,
            r#"{
  "store": {"DataType": "String", "StringValue": "example_corp"},
  "price_usd": {"DataType": "Number", "StringValue": "210.75"},
  "event": {"DataType": "String", "StringValue": "order_placed"}
}"#,
        ),
        FilterPolicyScope::MessageBody => (
            r#"{
  "order": {"region": [{"prefix": "eu-"}]},
  "total": [{"numeric": [">", 0, "<=", 500]}]
}"#,
            r#"{"order": {"region": "eu-west-1", "id": "o-1"}, "total": 42}"#,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_examples_match() {
        for scope in [
            FilterPolicyScope::MessageAttributes,
            FilterPolicyScope::MessageBody,
        ] {
            let (policy, message) = example(scope);
            assert!(
                matches!(
                    check(policy, scope, message),
                    Verdict::Checked {
                        delivered: true,
                        reason: None,
                        ..
                    }
                ),
                "{scope:?}: {:?}",
                check(policy, scope, message)
            );
        }
    }

    #[test]
    fn a_filtered_out_message_says_which_key_failed() {
        let (policy, _) = example(FilterPolicyScope::MessageAttributes);
        let message = r#"{"store": {"DataType": "String", "StringValue": "other_corp"},
            "price_usd": {"DataType": "Number", "StringValue": "210.75"},
            "event": {"DataType": "String", "StringValue": "order_placed"}}"#;
        match check(policy, FilterPolicyScope::MessageAttributes, message) {
            Verdict::Checked {
                delivered: false,
                reason: Some(reason),
                combinations,
            } => {
                assert!(reason.contains("store"), "{reason}");
                assert_eq!(combinations, 1);
            }
            other => panic!("{other:?}"),
        }
        match check(policy, FilterPolicyScope::MessageAttributes, "{}") {
            Verdict::Checked {
                delivered: false,
                reason: Some(reason),
                ..
            } => assert!(reason.contains("no attributes"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_fanout_says_which_subscriptions_receive_the_message() {
        let (attribute_policy, attributes) = example(FilterPolicyScope::MessageAttributes);
        let (body_policy, body) = example(FilterPolicyScope::MessageBody);
        let subscriptions = [
            SubscriptionPolicy {
                subscriber: "all".into(),
                policy: None,
                scope: FilterPolicyScope::MessageAttributes,
            },
            SubscriptionPolicy {
                subscriber: "by-attribute".into(),
                policy: Some(attribute_policy.into()),
                scope: FilterPolicyScope::MessageAttributes,
            },
            SubscriptionPolicy {
                subscriber: "by-body".into(),
                policy: Some(body_policy.into()),
                scope: FilterPolicyScope::MessageBody,
            },
            SubscriptionPolicy {
                subscriber: "eu-only".into(),
                policy: Some(r#"{"store": ["eu_corp"]}"#.into()),
                scope: FilterPolicyScope::MessageAttributes,
            },
        ];
        let verdicts = check_fanout(&subscriptions, attributes, body);
        let delivered: Vec<bool> = verdicts
            .iter()
            .map(|(_, v)| {
                matches!(
                    v,
                    Verdict::Checked {
                        delivered: true,
                        ..
                    }
                )
            })
            .collect();
        assert_eq!(delivered, [true, true, true, false]);
        match &verdicts[3].1 {
            Verdict::Checked {
                reason: Some(reason),
                ..
            } => assert!(reason.contains("store"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_input_says_what_is_wrong() {
        let six_keys = r#"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}"#;
        assert_eq!(
            check(six_keys, FilterPolicyScope::MessageAttributes, "{}"),
            Verdict::BadPolicy(
                "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys"
                    .to_string()
            )
        );
        assert!(matches!(
            check("{", FilterPolicyScope::MessageAttributes, "{}"),
            Verdict::BadPolicy(text) if text.contains("failed to parse JSON")
        ));
        assert!(matches!(
            check(r#"{"a": ["x"]}"#, FilterPolicyScope::MessageAttributes, "[1]"),
            Verdict::BadMessage(text) if text.starts_with("MessageAttributes: ")
        ));
        // A body that is not JSON is filtered out, as AWS does, rather than refused.
        assert!(matches!(
            check(
                r#"{"a": ["x"]}"#,
                FilterPolicyScope::MessageBody,
                "plain text"
            ),
            Verdict::Checked {
                delivered: false,
                ..
            }
        ));
    }
}
