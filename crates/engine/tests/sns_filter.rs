//! Behaviour of SNS subscription filter policies: every operator, both scopes, every
//! attribute type, every limit and error text, the AWS guide's own examples, and properties.

use loosely_engine::sns_filter::{
    parse_attributes_json, FilterPolicy, FilterPolicyScope, Match, MessageAttributeValue,
};
use std::collections::BTreeMap;

use FilterPolicyScope::{MessageAttributes as Attrs, MessageBody as Body};

/// What a row expects.
#[derive(Debug, Clone, Copy)]
enum Want {
    Yes,
    No,
    NoAttributes,
    Invalid,
    /// The policy is rejected with this text after the common prefix.
    Error(&'static str),
}
use Want::*;

/// The message of a row: attributes as AWS API JSON for the attribute scope, the body
/// for the body scope.
type Row = (&'static str, FilterPolicyScope, &'static str, Want);

const PREFIX: &str = "Invalid parameter: FilterPolicy: ";

fn evaluate(policy: &str, scope: FilterPolicyScope, message: &str) -> Result<Match, String> {
    let policy = FilterPolicy::parse(policy, scope).map_err(|error| error.to_string())?;
    Ok(match scope {
        Attrs => policy.matches_attributes(&parse_attributes_json(message).expect("attributes")),
        Body => policy.matches_body(message),
    })
}

fn check_rows(rows: &[Row]) {
    let mut failures = Vec::new();
    for (index, (policy, scope, message, want)) in rows.iter().enumerate() {
        let got = evaluate(policy, *scope, message);
        let ok = match (want, &got) {
            (Yes, Ok(Match::Matched)) => true,
            (No, Ok(Match::NoMatch { key, reason })) => !key.is_empty() || !reason.is_empty(),
            (NoAttributes, Ok(Match::NoMessageAttributes)) => true,
            (Invalid, Ok(Match::InvalidAttributes { .. })) => true,
            (Error(text), Err(error)) => {
                *error == format!("{PREFIX}{text}")
                    || (text.starts_with("Invalid parameter:") && error == text)
            }
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "row {index}: {policy} {scope:?} {message} want {want:?} got {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing rows:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn string(value: &str) -> MessageAttributeValue {
    MessageAttributeValue {
        data_type: "String".into(),
        string_value: Some(value.into()),
        binary_value: None,
    }
}

mod operators {
    use super::*;

    #[test]
    fn exact_strings_and_or_within_a_key() {
        check_rows(&[
            (
                r#"{"sport": ["rugby", "tennis"]}"#,
                Attrs,
                r#"{"sport": {"DataType": "String", "StringValue": "rugby"}}"#,
                Yes,
            ),
            (
                r#"{"sport": ["rugby", "tennis"]}"#,
                Attrs,
                r#"{"sport": {"DataType": "String", "StringValue": "tennis"}}"#,
                Yes,
            ),
            (
                r#"{"sport": ["rugby", "tennis"]}"#,
                Attrs,
                r#"{"sport": {"DataType": "String", "StringValue": "golf"}}"#,
                No,
            ),
            (
                r#"{"sport": ["rugby"]}"#,
                Attrs,
                r#"{"sport": {"DataType": "String", "StringValue": "Rugby"}}"#,
                No,
            ),
            (
                r#"{"sport": ["rugby"]}"#,
                Attrs,
                r#"{"other": {"DataType": "String", "StringValue": "rugby"}}"#,
                No,
            ),
            (
                r#"{"sport": ["rugby"]}"#,
                Body,
                r#"{"sport": "rugby"}"#,
                Yes,
            ),
            (r#"{"sport": ["rugby"]}"#, Body, r#"{"sport": "golf"}"#, No),
            (
                r#"{"sport": ["rugby"]}"#,
                Body,
                r#"{"sport": ["golf", "rugby"]}"#,
                Yes,
            ),
            // Types are strict: the string "5" is not the number 5.
            (r#"{"n": ["5"]}"#, Body, r#"{"n": 5}"#, No),
            (r#"{"n": [5]}"#, Body, r#"{"n": "5"}"#, No),
        ]);
    }

    #[test]
    fn and_across_keys() {
        let policy = r#"{"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]}"#;
        check_rows(&[
            (
                policy,
                Attrs,
                r#"{"customer_interests": {"DataType": "String", "StringValue": "rugby"}, "price_usd": {"DataType": "Number", "StringValue": "150"}}"#,
                Yes,
            ),
            (
                policy,
                Attrs,
                r#"{"customer_interests": {"DataType": "String", "StringValue": "rugby"}, "price_usd": {"DataType": "Number", "StringValue": "50"}}"#,
                No,
            ),
            (
                policy,
                Attrs,
                r#"{"customer_interests": {"DataType": "String", "StringValue": "rugby"}}"#,
                No,
            ),
            (
                policy,
                Body,
                r#"{"customer_interests": "rugby", "price_usd": 100.5}"#,
                Yes,
            ),
            (
                policy,
                Body,
                r#"{"customer_interests": "rugby", "price_usd": 100}"#,
                No,
            ),
        ]);
    }

    #[test]
    fn numbers_exact_and_ranges() {
        let eq = r#"{"price": [{"numeric": ["=", 301.5]}]}"#;
        let range = r#"{"price": [{"numeric": [">", 0, "<=", 150]}]}"#;
        let num = |v: &'static str| -> &'static str {
            Box::leak(
                format!(r#"{{"price": {{"DataType": "Number", "StringValue": "{v}"}}}}"#)
                    .into_boxed_str(),
            )
        };
        check_rows(&[
            (eq, Attrs, num("301.5"), Yes),
            (eq, Attrs, num("3.015e2"), Yes),
            (eq, Attrs, num("301.50001"), No),
            (eq, Body, r#"{"price": 3.015e2}"#, Yes),
            (r#"{"price": [301.5]}"#, Attrs, num("3.015e2"), Yes),
            (r#"{"price": [301.5]}"#, Body, r#"{"price": 301.5}"#, Yes),
            (range, Attrs, num("0"), No),
            (range, Attrs, num("0.00001"), Yes),
            (range, Attrs, num("150"), Yes),
            (range, Attrs, num("150.00001"), No),
            (range, Body, r#"{"price": 75}"#, Yes),
            (
                r#"{"p": [{"numeric": ["<", 10]}]}"#,
                Body,
                r#"{"p": 9.99999}"#,
                Yes,
            ),
            (
                r#"{"p": [{"numeric": ["<", 10]}]}"#,
                Body,
                r#"{"p": 10}"#,
                No,
            ),
            (
                r#"{"p": [{"numeric": ["<=", 10]}]}"#,
                Body,
                r#"{"p": 10}"#,
                Yes,
            ),
            (
                r#"{"p": [{"numeric": [">=", -10]}]}"#,
                Body,
                r#"{"p": -10}"#,
                Yes,
            ),
            (
                r#"{"p": [{"numeric": [">=", 0, "<", 1]}]}"#,
                Body,
                r#"{"p": 1}"#,
                No,
            ),
            // Numeric matchers apply to numbers only.
            (
                range,
                Attrs,
                r#"{"price": {"DataType": "String", "StringValue": "75"}}"#,
                No,
            ),
            (range, Body, r#"{"price": "75"}"#, No),
            // The AWS guide's numeric range example.
            (
                r#"{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}"#,
                Attrs,
                r#"{"price_usd": {"DataType": "Number", "StringValue": "100"}}"#,
                Yes,
            ),
            (
                r#"{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}"#,
                Attrs,
                r#"{"price_usd": {"DataType": "Number", "StringValue": "151"}}"#,
                No,
            ),
            // Custom Number subtypes are numbers.
            (
                range,
                Attrs,
                r#"{"price": {"DataType": "Number.float", "StringValue": "1.5"}}"#,
                Yes,
            ),
        ]);
    }

    #[test]
    fn prefix_suffix_and_equals_ignore_case() {
        check_rows(&[
            (
                r#"{"s": [{"prefix": "bas"}]}"#,
                Attrs,
                r#"{"s": {"DataType": "String", "StringValue": "baseball"}}"#,
                Yes,
            ),
            (
                r#"{"s": [{"prefix": "bas"}]}"#,
                Attrs,
                r#"{"s": {"DataType": "String", "StringValue": "rugby"}}"#,
                No,
            ),
            (
                r#"{"s": [{"prefix": "bas"}]}"#,
                Body,
                r#"{"s": "basketball"}"#,
                Yes,
            ),
            (
                r#"{"s": [{"suffix": "ball"}]}"#,
                Attrs,
                r#"{"s": {"DataType": "String", "StringValue": "baseball"}}"#,
                Yes,
            ),
            (
                r#"{"s": [{"suffix": "ball"}]}"#,
                Body,
                r#"{"s": "rugby"}"#,
                No,
            ),
            (
                r#"{"s": [{"equals-ignore-case": "RUGBY"}]}"#,
                Attrs,
                r#"{"s": {"DataType": "String", "StringValue": "rugby"}}"#,
                Yes,
            ),
            (
                r#"{"s": [{"equals-ignore-case": "RUGBY"}]}"#,
                Body,
                r#"{"s": "RuGbY"}"#,
                Yes,
            ),
            (
                r#"{"s": [{"equals-ignore-case": "RUGBY"}]}"#,
                Body,
                r#"{"s": "rugby league"}"#,
                No,
            ),
            (
                r#"{"s": [{"equals-ignore-case": "STRASSE"}]}"#,
                Body,
                r#"{"s": "strasse"}"#,
                Yes,
            ),
            (
                r#"{"s": [{"equals-ignore-case": "ÉTÉ"}]}"#,
                Body,
                r#"{"s": "été"}"#,
                Yes,
            ),
            (r#"{"s": [{"prefix": "1"}]}"#, Body, r#"{"s": 12}"#, No),
        ]);
    }

    /// `anything-but` on a `String.Array` follows the guide's examples: an array matches
    /// when some element is not listed (the prose says: when none is listed).
    #[test]
    fn anything_but() {
        let list = r#"{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}"#;
        check_rows(&[
            (
                list,
                Attrs,
                r#"{"customer_interests": {"DataType": "String", "StringValue": "baseball"}}"#,
                Yes,
            ),
            (
                list,
                Attrs,
                r#"{"customer_interests": {"DataType": "String", "StringValue": "football"}}"#,
                Yes,
            ),
            (
                list,
                Attrs,
                r#"{"customer_interests": {"DataType": "String", "StringValue": "rugby"}}"#,
                No,
            ),
            (
                list,
                Attrs,
                r#"{"customer_interests": {"DataType": "String.Array", "StringValue": "[\"rugby\", \"baseball\"]"}}"#,
                Yes,
            ),
            (
                list,
                Attrs,
                r#"{"customer_interests": {"DataType": "String.Array", "StringValue": "[\"rugby\", \"tennis\"]"}}"#,
                No,
            ),
            (list, Body, r#"{"customer_interests": "baseball"}"#, Yes),
            (list, Body, r#"{"customer_interests": "tennis"}"#, No),
            (list, Body, r#"{"other": "tennis"}"#, No),
            (
                r#"{"price": [{"anything-but": [100, 500]}]}"#,
                Attrs,
                r#"{"price": {"DataType": "Number", "StringValue": "1000"}}"#,
                Yes,
            ),
            (
                r#"{"price": [{"anything-but": [100, 500]}]}"#,
                Attrs,
                r#"{"price": {"DataType": "Number", "StringValue": "1e2"}}"#,
                No,
            ),
            (
                r#"{"price": [{"anything-but": 100}]}"#,
                Body,
                r#"{"price": 101}"#,
                Yes,
            ),
            (
                r#"{"price": [{"anything-but": 100}]}"#,
                Body,
                r#"{"price": 100}"#,
                No,
            ),
            (
                r#"{"s": [{"anything-but": "rugby"}]}"#,
                Body,
                r#"{"s": "golf"}"#,
                Yes,
            ),
            (
                r#"{"s": [{"anything-but": "rugby"}]}"#,
                Body,
                r#"{"s": "rugby"}"#,
                No,
            ),
            (
                r#"{"event": [{"anything-but": {"prefix": "order-"}}]}"#,
                Attrs,
                r#"{"event": {"DataType": "String", "StringValue": "data-entry"}}"#,
                Yes,
            ),
            (
                r#"{"event": [{"anything-but": {"prefix": "order-"}}]}"#,
                Attrs,
                r#"{"event": {"DataType": "String", "StringValue": "order-cancelled"}}"#,
                No,
            ),
            (
                r#"{"event": [{"anything-but": {"prefix": "order-"}}]}"#,
                Body,
                r#"{"event": "order-cancelled"}"#,
                No,
            ),
            // anything-but combined with exists:false also accepts an absent key.
            (
                r#"{"s": [{"anything-but": ["rugby"]}, {"exists": false}]}"#,
                Attrs,
                r#"{"other": {"DataType": "String", "StringValue": "x"}}"#,
                Yes,
            ),
            (
                r#"{"s": [{"anything-but": ["rugby"]}, {"exists": false}]}"#,
                Attrs,
                r#"{"s": {"DataType": "String", "StringValue": "rugby"}}"#,
                No,
            ),
        ]);
    }

    #[test]
    fn exists() {
        check_rows(&[
            (
                r#"{"store": [{"exists": true}]}"#,
                Attrs,
                r#"{"store": {"DataType": "String", "StringValue": "x"}}"#,
                Yes,
            ),
            (
                r#"{"store": [{"exists": true}]}"#,
                Attrs,
                r#"{"other": {"DataType": "String", "StringValue": "x"}}"#,
                No,
            ),
            (
                r#"{"store": [{"exists": false}]}"#,
                Attrs,
                r#"{"other": {"DataType": "String", "StringValue": "x"}}"#,
                Yes,
            ),
            (
                r#"{"store": [{"exists": false}]}"#,
                Attrs,
                r#"{"store": {"DataType": "String", "StringValue": "x"}}"#,
                No,
            ),
            (r#"{"store": [{"exists": false}]}"#, Attrs, r#"{}"#, Yes),
            (
                r#"{"store": [{"exists": true}]}"#,
                Body,
                r#"{"store": null}"#,
                Yes,
            ),
            (
                r#"{"store": [{"exists": true}]}"#,
                Body,
                r#"{"store": {"inner": 1}}"#,
                No,
            ),
            (
                r#"{"store": [{"exists": false}]}"#,
                Body,
                r#"{"other": 1}"#,
                Yes,
            ),
            (
                r#"{"store": [{"exists": false}]}"#,
                Body,
                r#"{"store": []}"#,
                Yes,
            ),
            (
                r#"{"store": [{"exists": true}]}"#,
                Body,
                r#"{"store": [1]}"#,
                Yes,
            ),
            // An absent key fails every matcher except exists:false.
            (
                r#"{"store": [{"anything-but": "x"}]}"#,
                Attrs,
                r#"{"other": {"DataType": "String", "StringValue": "x"}}"#,
                No,
            ),
            (
                r#"{"store": [{"prefix": ""}]}"#,
                Attrs,
                r#"{"other": {"DataType": "String", "StringValue": "x"}}"#,
                No,
            ),
            (
                r#"{"store": [{"numeric": [">", 0]}]}"#,
                Body,
                r#"{"other": 5}"#,
                No,
            ),
        ]);
    }

    #[test]
    fn cidr() {
        check_rows(&[
            (
                r#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#,
                Attrs,
                r#"{"ip": {"DataType": "String", "StringValue": "10.0.0.255"}}"#,
                Yes,
            ),
            (
                r#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#,
                Attrs,
                r#"{"ip": {"DataType": "String", "StringValue": "10.0.1.0"}}"#,
                No,
            ),
            (
                r#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#,
                Body,
                r#"{"ip": "not an ip"}"#,
                No,
            ),
            (
                r#"{"ip": [{"cidr": "0.0.0.0/0"}]}"#,
                Body,
                r#"{"ip": "192.168.1.1"}"#,
                Yes,
            ),
            (
                r#"{"ip": [{"cidr": "10.0.0.7/32"}]}"#,
                Body,
                r#"{"ip": "10.0.0.7"}"#,
                Yes,
            ),
            (
                r#"{"ip": [{"cidr": "2001:db8::/32"}]}"#,
                Body,
                r#"{"ip": "2001:db8:1::1"}"#,
                Yes,
            ),
            (
                r#"{"ip": [{"cidr": "2001:db8::/32"}]}"#,
                Body,
                r#"{"ip": "2001:db9::1"}"#,
                No,
            ),
            (
                r#"{"ip": [{"cidr": "2001:db8::/32"}]}"#,
                Body,
                r#"{"ip": "10.0.0.1"}"#,
                No,
            ),
        ]);
    }

    #[test]
    fn literals_true_false_null() {
        check_rows(&[
            (r#"{"flag": [true]}"#, Body, r#"{"flag": true}"#, Yes),
            (r#"{"flag": [true]}"#, Body, r#"{"flag": false}"#, No),
            (r#"{"flag": [true]}"#, Body, r#"{"flag": "true"}"#, No),
            (r#"{"flag": [false]}"#, Body, r#"{"flag": false}"#, Yes),
            (r#"{"flag": [null]}"#, Body, r#"{"flag": null}"#, Yes),
            (r#"{"flag": [null]}"#, Body, r#"{"other": 1}"#, No),
            (
                r#"{"flag": [true]}"#,
                Attrs,
                r#"{"flag": {"DataType": "String.Array", "StringValue": "[true, 1]"}}"#,
                Yes,
            ),
            (
                r#"{"flag": [null]}"#,
                Attrs,
                r#"{"flag": {"DataType": "String.Array", "StringValue": "[null]"}}"#,
                Yes,
            ),
        ]);
    }

    #[test]
    fn or_operator() {
        let policy = r#"{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}"#;
        check_rows(&[
            (
                policy,
                Attrs,
                r#"{"source": {"DataType": "String", "StringValue": "aws.cloudwatch"}, "metricName": {"DataType": "String", "StringValue": "CPUUtilization"}}"#,
                Yes,
            ),
            (
                policy,
                Attrs,
                r#"{"source": {"DataType": "String", "StringValue": "aws.cloudwatch"}, "namespace": {"DataType": "String", "StringValue": "AWS/EC2"}}"#,
                Yes,
            ),
            (
                policy,
                Attrs,
                r#"{"source": {"DataType": "String", "StringValue": "aws.cloudwatch"}, "namespace": {"DataType": "String", "StringValue": "AWS/S3"}}"#,
                No,
            ),
            (
                policy,
                Attrs,
                r#"{"source": {"DataType": "String", "StringValue": "other"}, "metricName": {"DataType": "String", "StringValue": "CPUUtilization"}}"#,
                No,
            ),
            (
                policy,
                Body,
                r#"{"source": "aws.cloudwatch", "namespace": "AWS/EC2"}"#,
                Yes,
            ),
            // Nested $or.
            (
                r#"{"$or": [{"a": ["1"]}, {"$or": [{"b": ["2"]}, {"c": ["3"]}]}]}"#,
                Body,
                r#"{"c": "3"}"#,
                Yes,
            ),
            (
                r#"{"$or": [{"a": ["1"]}, {"$or": [{"b": ["2"]}, {"c": ["3"]}]}]}"#,
                Body,
                r#"{"d": "3"}"#,
                No,
            ),
            // $or inside a nested body object.
            (
                r#"{"a": {"$or": [{"b": ["1"]}, {"c": ["2"]}]}}"#,
                Body,
                r#"{"a": {"c": "2"}}"#,
                Yes,
            ),
            // Not an operator: fewer than two branches, or a branch that is not an object with a rule.
            (
                r#"{"$or": ["x", "y"]}"#,
                Attrs,
                r#"{"$or": {"DataType": "String", "StringValue": "y"}}"#,
                Yes,
            ),
            (
                r#"{"$or": [{"a": ["1"]}]}"#,
                Attrs,
                r#"{"a": {"DataType": "String", "StringValue": "1"}}"#,
                Error("Unrecognized match type a"),
            ),
            (
                r#"{"$or": [{"a": ["1"]}, {}]}"#,
                Attrs,
                r#"{"a": {"DataType": "String", "StringValue": "1"}}"#,
                Error("Unrecognized match type a"),
            ),
        ]);
    }

    #[test]
    fn nested_body_keys() {
        let policy = r#"{"customer": {"interests": ["rugby"], "address": {"country": ["NZ"]}}}"#;
        check_rows(&[
            (policy, Body, r#"{"customer": {"interests": "rugby", "address": {"country": "NZ"}}}"#, Yes),
            (policy, Body, r#"{"customer": {"interests": ["golf", "rugby"], "address": {"country": "NZ"}}}"#, Yes),
            (policy, Body, r#"{"customer": {"interests": "rugby", "address": {"country": "AU"}}}"#, No),
            (policy, Body, r#"{"customer": {"interests": "rugby"}}"#, No),
            (policy, Body, r#"{"customer": [{"interests": "rugby", "address": {"country": "NZ"}}]}"#, Yes),
            (policy, Body, r#"{"customer.interests": "rugby"}"#, No),
            (policy, Attrs, r#"{}"#, Error("Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy")),
        ]);
    }
}

mod scopes_and_types {
    use super::*;

    #[test]
    fn attribute_types() {
        let policy = r#"{"k": ["rugby", {"numeric": [">", 10]}]}"#;
        check_rows(&[
            (
                policy,
                Attrs,
                r#"{"k": {"DataType": "String", "StringValue": "rugby"}}"#,
                Yes,
            ),
            (
                policy,
                Attrs,
                r#"{"k": {"DataType": "String.custom", "StringValue": "rugby"}}"#,
                Yes,
            ),
            (
                policy,
                Attrs,
                r#"{"k": {"DataType": "String.Array", "StringValue": "[\"golf\", \"rugby\"]"}}"#,
                Yes,
            ),
            (
                policy,
                Attrs,
                r#"{"k": {"DataType": "String.Array", "StringValue": "[\"golf\", 11]"}}"#,
                Yes,
            ),
            (
                policy,
                Attrs,
                r#"{"k": {"DataType": "String.Array", "StringValue": "[\"golf\"]"}}"#,
                No,
            ),
            (
                policy,
                Attrs,
                r#"{"k": {"DataType": "Number", "StringValue": "11"}}"#,
                Yes,
            ),
            (
                policy,
                Attrs,
                r#"{"k": {"DataType": "Number", "StringValue": "9"}}"#,
                No,
            ),
            // Binary attributes are ignored, as if absent.
            (
                policy,
                Attrs,
                r#"{"k": {"DataType": "Binary", "BinaryValue": "cnVnYnk="}}"#,
                No,
            ),
            (
                r#"{"k": [{"exists": false}]}"#,
                Attrs,
                r#"{"k": {"DataType": "Binary", "BinaryValue": "cnVnYnk="}}"#,
                Yes,
            ),
            // The guide's notification shape is accepted too.
            (
                policy,
                Attrs,
                r#"{"k": {"Type": "Number", "Value": 301.5}}"#,
                Yes,
            ),
        ]);
    }

    #[test]
    fn no_and_invalid_attributes() {
        check_rows(&[
            (r#"{"k": ["x"]}"#, Attrs, r#"{}"#, NoAttributes),
            (
                r#"{"k": ["x"]}"#,
                Attrs,
                r#"{"k": {"DataType": "Number", "StringValue": "abc"}}"#,
                Invalid,
            ),
            (
                r#"{"k": ["x"]}"#,
                Attrs,
                r#"{"k": {"DataType": "Number", "StringValue": "inf"}}"#,
                Invalid,
            ),
            (
                r#"{"k": ["x"]}"#,
                Attrs,
                r#"{"k": {"DataType": "String.Array", "StringValue": "[oops"}}"#,
                Invalid,
            ),
            (
                r#"{"k": ["x"]}"#,
                Attrs,
                r#"{"k": {"DataType": "String.Array", "StringValue": "\"x\""}}"#,
                Invalid,
            ),
            (
                r#"{"k": ["x"]}"#,
                Attrs,
                r#"{"k": {"DataType": "Mystery", "StringValue": "x"}}"#,
                Invalid,
            ),
            (
                r#"{"k": ["x"]}"#,
                Attrs,
                r#"{"k": {"DataType": "String"}}"#,
                Invalid,
            ),
            // A malformed attribute the policy does not look at is not reported.
            (
                r#"{"k": ["x"]}"#,
                Attrs,
                r#"{"k": {"DataType": "String", "StringValue": "x"}, "j": {"DataType": "Number", "StringValue": "abc"}}"#,
                Yes,
            ),
            // A match wins over a malformed attribute in a failed $or branch.
            (
                r#"{"$or": [{"bad": ["1"]}, {"k": ["x"]}]}"#,
                Attrs,
                r#"{"k": {"DataType": "String", "StringValue": "x"}, "bad": {"DataType": "Number", "StringValue": "abc"}}"#,
                Yes,
            ),
        ]);
    }

    #[test]
    fn body_must_be_a_json_object() {
        for body in [
            "", "not json", "[1, 2]", "\"text\"", "42", "null", "{\"k\": ",
        ] {
            let policy = FilterPolicy::parse(r#"{"k": ["x"]}"#, Body).unwrap();
            assert!(
                matches!(policy.matches_body(body), Match::NoMatch { .. }),
                "{body}"
            );
        }
    }

    #[test]
    fn empty_policy_matches_everything() {
        let policy = FilterPolicy::parse("{}", Attrs).unwrap();
        assert_eq!(policy.matches_attributes(&BTreeMap::new()), Match::Matched);
        assert_eq!(policy.combinations(), 1);
    }

    #[test]
    fn reasons_name_the_first_failing_key() {
        let policy = FilterPolicy::parse(
            r#"{"sport": ["rugby", "tennis"], "a": [{"exists": true}]}"#,
            Attrs,
        )
        .unwrap();
        let mut attributes = BTreeMap::new();
        attributes.insert("sport".to_string(), string("golf"));
        attributes.insert("a".to_string(), string("present"));
        assert_eq!(
            policy.matches_attributes(&attributes),
            Match::NoMatch {
                key: "sport".into(),
                reason: r#"attribute "sport" is "golf", which is none of ["rugby", "tennis"]"#
                    .into()
            }
        );
        attributes.remove("a");
        let Match::NoMatch { key, reason } = policy.matches_attributes(&attributes) else {
            panic!()
        };
        assert_eq!(key, "a");
        assert!(reason.contains("absent"), "{reason}");

        let policy =
            FilterPolicy::parse(r#"{"$or": [{"x": ["1"]}, {"y": [{"prefix": "p"}]}]}"#, Body)
                .unwrap();
        let Match::NoMatch { key, reason } = policy.matches_body(r#"{"y": "q"}"#) else {
            panic!()
        };
        assert_eq!(key, "$or");
        assert_eq!(
            reason,
            r#"no branch of $or matched (branch 1: property "x" is absent, and only {"exists": false} accepts an absent key (the policy lists ["1"]); branch 2: property "y" is "q", which matches none of [{"prefix":"p"}])"#
        );

        let policy = FilterPolicy::parse(r#"{"n": [{"numeric": [">", 1]}]}"#, Attrs).unwrap();
        let mut attributes = BTreeMap::new();
        attributes.insert(
            "n".to_string(),
            MessageAttributeValue {
                data_type: "Number".into(),
                string_value: Some("x1".into()),
                binary_value: None,
            },
        );
        assert_eq!(
            policy.matches_attributes(&attributes),
            Match::InvalidAttributes {
                reason: r#"attribute "n" is a Number but "x1" does not parse as a number"#.into()
            }
        );
    }
}

mod limits_and_errors {
    use super::*;

    #[test]
    fn error_texts() {
        let m = r#"{}"#;
        check_rows(&[
            (r#"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}"#, Attrs, m, Error("Filter policy can not have more than 5 keys")),
            (r#"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"]}"#, Attrs, m, NoAttributes),
            (r#"{"a": {"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"],"g":["1"]}}"#, Body, r#"{"a": {"b": "1", "c": "1", "d": "1", "e": "1", "f": "1", "g": "1"}}"#, Yes),
            (r#"{"a": []}"#, Attrs, m, Error("Empty arrays are not allowed")),
            (r#"{"a": "x"}"#, Attrs, m, Error("\"a\" must be an object or an array")),
            (r#"{"a": 5}"#, Body, m, Error("\"a\" must be an object or an array")),
            (r#"{"a": [{"prefix": "x", "suffix": "y"}]}"#, Attrs, m, Error("Only one key allowed in match expression")),
            (r#"{"a": [{}]}"#, Attrs, m, Error("Only one key allowed in match expression")),
            (r#"{"a": [{"prefix": 5}]}"#, Attrs, m, Error("prefix match pattern must be a string")),
            (r#"{"a": [{"suffix": null}]}"#, Attrs, m, Error("suffix match pattern must be a string")),
            (r#"{"a": [{"equals-ignore-case": ["x"]}]}"#, Attrs, m, Error("equals-ignore-case match pattern must be a string")),
            (r#"{"a": [{"exists": "yes"}]}"#, Attrs, m, Error("exists match pattern must be either true or false.")),
            (r#"{"a": [{"wildcard": "x*"}]}"#, Attrs, m, Error("Unrecognized match type wildcard")),
            (r#"{"a": [{"numeric": ["!=", 5]}]}"#, Attrs, m, Error("Unrecognized numeric range operator: !=")),
            (r#"{"a": [{"numeric": ["=", "5"]}]}"#, Attrs, m, Error("Value of equals must be numeric")),
            (r#"{"a": [{"numeric": [">"]}]}"#, Attrs, m, Error("Value of > must be numeric")),
            (r#"{"a": [{"numeric": [">", 10, "<", 5]}]}"#, Attrs, m, Error("Bottom must be less than top")),
            (r#"{"a": [{"numeric": [">", 10, "<=", 10]}]}"#, Attrs, m, Error("Bottom must be less than top")),
            (r#"{"a": [{"numeric": ["<", 10, ">", 5]}]}"#, Attrs, m, Error("Too many elements in numeric expression")),
            (r#"{"a": [{"numeric": ["=", 10, "<", 50]}]}"#, Attrs, m, Error("Too many elements in numeric expression")),
            (r#"{"a": [{"numeric": [">", 0, ">", 5]}]}"#, Attrs, m, Error("Bad numeric range operator: >")),
            (r#"{"a": [{"numeric": [">", 0, 5]}]}"#, Attrs, m, Error("Bad value in numeric range: 5")),
            (r#"{"a": [{"numeric": [">", 0, "<", "x"]}]}"#, Attrs, m, Error("Value of < must be numeric")),
            (r#"{"a": [{"numeric": [">", 0, "<", 5, "<", 6]}]}"#, Attrs, m, Error("Too many terms in numeric range expression")),
            (r#"{"a": [{"numeric": []}]}"#, Attrs, m, Error("Invalid member in numeric match: ]")),
            (r#"{"a": [{"numeric": [5]}]}"#, Attrs, m, Error("Invalid member in numeric match: 5")),
            (r#"{"a": [{"numeric": 5}]}"#, Attrs, m, Error("Value of numeric must be an array.")),
            (r#"{"a": [{"cidr": "10.0.0.0"}]}"#, Attrs, m, Error("Malformed CIDR, one '/' required")),
            (r#"{"a": [{"cidr": "10.0.0.0/8/8"}]}"#, Attrs, m, Error("Malformed CIDR, one '/' required")),
            (r#"{"a": [{"cidr": "10.0.0.0/x"}]}"#, Attrs, m, Error("Malformed CIDR, mask bits must be an integer")),
            (r#"{"a": [{"cidr": "10.0.0.300/8"}]}"#, Attrs, m, Error("Nonstandard IP address: 10.0.0.300")),
            (r#"{"a": [{"cidr": "10.0.0.0/33"}]}"#, Attrs, m, Error("Nonstandard IP address: 10.0.0.0")),
            (r#"{"a": [{"cidr": 10}]}"#, Attrs, m, Error("prefix match pattern must be a string")),
            (r#"{"a": [["x"]]}"#, Attrs, m, Error("Match value must be String, number, true, false, or null")),
            (r#"{"a": [{"anything-but": {"suffix": "x"}}]}"#, Attrs, m, Error("Unsupported anything-but pattern: suffix")),
            (r#"{"a": [{"anything-but": {"prefix": 1}}]}"#, Attrs, m, Error("prefix match pattern must be a string")),
            (r#"{"a": [{"anything-but": []}]}"#, Attrs, m, Error("Empty arrays are not allowed")),
            (r#"{"a": [{"anything-but": [true]}]}"#, Attrs, m, Error("Inside anything but list, start|null|boolean is not supported.")),
            (r#"{"a": {"b": ["x"]}}"#, Attrs, m, Error("Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy")),
            (r#"["a"]"#, Attrs, m, Error("Filter policy must be a JSON object")),
            // Structural errors come before complexity, complexity before rule errors.
            (r#"{"a": [], "b": [{"bogus": 1}]}"#, Attrs, m, Error("Empty arrays are not allowed")),
        ]);
    }

    #[test]
    fn numeric_limits() {
        let m = r#"{}"#;
        check_rows(&[
            (
                r#"{"a": [{"numeric": ["<", 1000000000]}]}"#,
                Attrs,
                m,
                NoAttributes,
            ),
            (
                r#"{"a": [{"numeric": [">", -1000000000]}]}"#,
                Attrs,
                m,
                NoAttributes,
            ),
            (
                r#"{"a": [{"numeric": ["=", 0.00001]}]}"#,
                Attrs,
                m,
                NoAttributes,
            ),
            (
                r#"{"a": [{"numeric": ["<", 1000000000.5]}]}"#,
                Attrs,
                m,
                Error("Numeric value 1000000000.5 must be between -1000000000 and 1000000000"),
            ),
            (
                r#"{"a": [-1e10]}"#,
                Attrs,
                m,
                Error("Numeric value -10000000000.0 must be between -1000000000 and 1000000000"),
            ),
            (
                r#"{"a": [{"numeric": ["=", 0.000001]}]}"#,
                Attrs,
                m,
                Error("Numeric value 1e-6 must have at most 5 digits after the decimal point"),
            ),
            (
                r#"{"a": [{"anything-but": [1.123456]}]}"#,
                Attrs,
                m,
                Error("Numeric value 1.123456 must have at most 5 digits after the decimal point"),
            ),
        ]);
    }

    #[test]
    fn combinations() {
        let parse = |policy: &str, scope| FilterPolicy::parse(policy, scope);
        // 3 x 1 x 2 = 6, the guide's example.
        let policy = parse(
            r#"{"key_a": ["a", "b", "c"], "key_b": ["x"], "key_c": ["y", "z"]}"#,
            Attrs,
        )
        .unwrap();
        assert_eq!(policy.combinations(), 6);
        // The guide's nested example: 3 x 4 x 2 x 3 = 72.
        let nested = r#"{"key_a": {"key_b": {"key_c": ["1", "2", "3", "4"]}}, "key_d": {"key_e": ["1", "2", "3"]}}"#;
        assert_eq!(parse(nested, Body).unwrap().combinations(), 72);
        // $or branches add.
        let or = r#"{"k": ["1", "2"], "$or": [{"a": ["1", "2", "3"]}, {"b": ["1"]}]}"#;
        assert_eq!(parse(or, Attrs).unwrap().combinations(), 8);
        // 150 is allowed, 151 is not.
        let values = |n: usize| {
            (0..n)
                .map(|i| format!("\"v{i}\""))
                .collect::<Vec<_>>()
                .join(",")
        };
        let at_limit = format!(r#"{{"a": [{}], "b": [{}]}}"#, values(75), values(2));
        assert_eq!(parse(&at_limit, Attrs).unwrap().combinations(), 150);
        let over = format!(
            r#"{{"a": [{}], "b": [{}], "c": [{}]}}"#,
            values(151),
            values(1),
            values(1)
        );
        assert_eq!(
            parse(&over, Attrs).unwrap_err().to_string(),
            format!("{PREFIX}Filter policy is too complex")
        );
        let over = format!(r#"{{"a": [{}], "b": [{}]}}"#, values(76), values(2));
        assert_eq!(
            parse(&over, Attrs).unwrap_err().message,
            format!("{PREFIX}Filter policy is too complex")
        );
        // Complexity is checked before rule errors.
        let over = format!(r#"{{"a": [{}], "b": [{{"bogus": 1}}]}}"#, values(151));
        assert_eq!(
            parse(&over, Attrs).unwrap_err().message,
            format!("{PREFIX}Filter policy is too complex")
        );
    }

    #[test]
    fn policy_size_and_json() {
        let big = format!(r#"{{"a": ["{}"]}}"#, "x".repeat(262_144));
        let error = FilterPolicy::parse(&big, Attrs).unwrap_err();
        assert!(
            error.message.starts_with(PREFIX) && error.message.contains("too large"),
            "{error}"
        );
        let just_fits = format!(r#"{{"a": ["{}"]}}"#, "x".repeat(262_144 - 11));
        assert_eq!(just_fits.len(), 262_144);
        assert!(FilterPolicy::parse(&just_fits, Attrs).is_ok());
        for bad in ["", "{", "{\"a\": [1,]}", "nope"] {
            let error = FilterPolicy::parse(bad, Body).unwrap_err();
            assert!(error.message.starts_with(PREFIX), "{error}");
        }
    }

    #[test]
    fn attributes_json() {
        let attributes = parse_attributes_json(r#"{"store": {"DataType": "String", "StringValue": "x"}, "b": {"DataType": "Binary", "BinaryValue": "AA=="}}"#).unwrap();
        assert_eq!(attributes.get("store"), Some(&string("x")));
        assert_eq!(
            attributes.get("b").and_then(|b| b.binary_value.as_deref()),
            Some("AA==")
        );
        assert!(parse_attributes_json("[]").is_err());
        assert!(parse_attributes_json(r#"{"a": "x"}"#).is_err());
        assert!(parse_attributes_json(r#"{"a": {"StringValue": "x"}}"#).is_err());
        assert!(parse_attributes_json("{").is_err());
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            (-2000i64..2000).prop_map(|n| serde_json::json!(n)),
            (-1e4f64..1e4).prop_map(|n| serde_json::json!(n)),
            "[a-c0-9 .:/-]{0,6}".prop_map(serde_json::Value::String),
            prop::sample::select(vec![
                "rugby",
                "tennis",
                "10.0.0.1",
                "2001:db8::1",
                "RUGBY",
                "order-x"
            ])
            .prop_map(|s| serde_json::Value::String(s.into())),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                prop::collection::btree_map(
                    prop::sample::select(vec!["a", "b", "c", "$or", "k"]),
                    inner,
                    0..4
                )
                .prop_map(|map| serde_json::Value::Object(
                    map.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
                )),
            ]
        })
    }

    fn rule() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            r#""rugby""#,
            r#""tennis""#,
            "5",
            "301.5",
            "true",
            "null",
            r#"{"prefix": "ru"}"#,
            r#"{"suffix": "is"}"#,
            r#"{"equals-ignore-case": "RUGBY"}"#,
            r#"{"anything-but": ["rugby", "tennis"]}"#,
            r#"{"anything-but": 5}"#,
            r#"{"anything-but": {"prefix": "te"}}"#,
            r#"{"numeric": [">", 0, "<=", 10]}"#,
            r#"{"numeric": ["=", 301.5]}"#,
            r#"{"numeric": ["<", 0]}"#,
            r#"{"exists": true}"#,
            r#"{"exists": false}"#,
            r#"{"cidr": "10.0.0.0/8"}"#,
        ])
        .prop_map(str::to_string)
    }

    fn policy_keys() -> impl Strategy<Value = Vec<(String, Vec<String>)>> {
        prop::collection::vec(
            (
                prop::sample::select(vec!["a", "b", "c", "d", "e"]).prop_map(str::to_string),
                prop::collection::vec(rule(), 1..3),
            ),
            1..4,
        )
    }

    fn policy_text(keys: &[(String, Vec<String>)]) -> String {
        let mut by_key: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (key, rules) in keys {
            by_key
                .entry(key)
                .or_default()
                .extend(rules.iter().map(String::as_str));
        }
        let parts: Vec<String> = by_key
            .iter()
            .map(|(k, rules)| format!("\"{k}\": [{}]", rules.join(", ")))
            .collect();
        format!("{{{}}}", parts.join(", "))
    }

    fn attribute() -> impl Strategy<Value = MessageAttributeValue> {
        let data_type = prop::sample::select(vec![
            "String",
            "String.Array",
            "Number",
            "Binary",
            "Number.x",
            "Weird",
        ]);
        let value = prop::option::of(prop_oneof![
            "[a-z0-9.\\[\\]\",e-]{0,8}",
            prop::sample::select(vec![
                "rugby",
                "tennis",
                "5",
                "301.5",
                "3.015e2",
                "[\"rugby\", 5, true, null]",
                "[]",
                "10.1.2.3",
                "-1"
            ])
            .prop_map(str::to_string),
        ]);
        (data_type, value, prop::option::of("[A-Za-z0-9=]{0,4}")).prop_map(
            |(data_type, string_value, binary_value)| MessageAttributeValue {
                data_type: data_type.to_string(),
                string_value,
                binary_value,
            },
        )
    }

    fn attributes() -> impl Strategy<Value = BTreeMap<String, MessageAttributeValue>> {
        prop::collection::btree_map(
            prop::sample::select(vec!["a", "b", "c", "d", "e", "z"]).prop_map(str::to_string),
            attribute(),
            0..6,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn parsing_any_string_or_json_never_panics(text in ".{0,64}", json in arbitrary_json()) {
            let _ = FilterPolicy::parse(&text, Attrs);
            let _ = FilterPolicy::parse(&text, Body);
            let rendered = json.to_string();
            let _ = FilterPolicy::parse(&rendered, Attrs);
            if let Ok(policy) = FilterPolicy::parse(&rendered, Body) {
                let _ = policy.matches_body(&rendered);
            }
        }

        #[test]
        fn matching_any_attributes_never_panics(keys in policy_keys(), attrs in attributes()) {
            let text = policy_text(&keys);
            for scope in [Attrs, Body] {
                if let Ok(policy) = FilterPolicy::parse(&text, scope) {
                    let _ = policy.matches_attributes(&attrs);
                }
            }
        }

        #[test]
        fn matching_any_body_never_panics(keys in policy_keys(), body in arbitrary_json(), text in ".{0,32}") {
            let policy_text = policy_text(&keys);
            let policy = FilterPolicy::parse(&policy_text, Body).unwrap();
            let _ = policy.matches_body(&body.to_string());
            let _ = policy.matches_body(&text);
        }

        #[test]
        fn adding_a_value_never_loses_a_match(
            keys in policy_keys(),
            extra in rule(),
            which in any::<prop::sample::Index>(),
            attrs in attributes(),
            body in arbitrary_json(),
        ) {
            let before = policy_text(&keys);
            let mut widened = keys.clone();
            let index = which.index(widened.len());
            widened[index].1.push(extra);
            let after = policy_text(&widened);
            let body = body.to_string();
            for scope in [Attrs, Body] {
                let (Ok(narrow), Ok(wide)) = (FilterPolicy::parse(&before, scope), FilterPolicy::parse(&after, scope)) else { continue };
                if narrow.matches_attributes(&attrs).is_match() {
                    prop_assert!(wide.matches_attributes(&attrs).is_match(), "{before} -> {after} on {attrs:?}");
                }
                if narrow.matches_body(&body).is_match() {
                    prop_assert!(wide.matches_body(&body).is_match(), "{before} -> {after} on {body}");
                }
            }
        }
    }
}
