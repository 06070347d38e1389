//! From a DynamoDB item to the flow's flat string map: conversion, key filtering, the size cap.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// The response Connect receives: a flat JSON object of strings, sorted by key.
pub type Response = BTreeMap<String, String>;

/// A DynamoDB item as the SDK returns it.
pub type Item = HashMap<String, AttributeValue>;

/// The outcome of a lookup, sent as `LookupResult`; the flow branches on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookupResult {
    /// The table has an item for the key; its attributes are in the response.
    Found,
    /// The event had a number, the table has no item for it.
    NotFound,
    /// The event had no usable number (chat, task, withheld caller ID).
    NoNumber,
}

impl LookupResult {
    /// The value of `LookupResult` in the response.
    pub fn as_str(self) -> &'static str {
        match self {
            LookupResult::Found => "FOUND",
            LookupResult::NotFound => "NOT_FOUND",
            LookupResult::NoNumber => "NO_NUMBER",
        }
    }
}

/// Response key carrying the [`LookupResult`].
pub const LOOKUP_RESULT: &str = "LookupResult";
/// Response key set to `true` when attributes were left out to respect [`MAX_RESPONSE_BYTES`].
pub const LOOKUP_TRUNCATED: &str = "LookupTruncated";

/// The largest response, in bytes of serialized UTF-8 JSON, the handler returns.
///
/// Connect accepts "less than 32 KB"; 32,000 bytes is under that whether a KB is 1,000 or
/// 1,024 bytes.
pub const MAX_RESPONSE_BYTES: usize = 32_000;

/// Keys kept first when the response must be truncated, in this order.
pub const PRIORITY_KEYS: [&str; 5] = [
    LOOKUP_RESULT,
    crate::KEY_ATTRIBUTE,
    "FirstName",
    "LastName",
    "LastCallDate",
];

/// An attribute left out of the response, and why. Logged by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// The attribute name (names are not personal data).
    pub name: String,
    /// Why it was left out.
    pub reason: DropReason,
}

/// Why an attribute was left out of the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Its name has a character outside `[A-Za-z0-9_-]`, which contact attributes cannot hold.
    InvalidName,
    /// Its name is one the handler sets itself (`LookupResult`, `LookupTruncated`).
    Reserved,
    /// Its type is one this SDK version does not know.
    UnknownType,
    /// It did not fit under [`MAX_RESPONSE_BYTES`].
    TooLarge,
}

impl DropReason {
    /// The name used in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::InvalidName => "name outside [A-Za-z0-9_-]",
            DropReason::Reserved => "name reserved by the handler",
            DropReason::UnknownType => "unknown attribute type",
            DropReason::TooLarge => "response size cap",
        }
    }
}

/// The response for an item, plus what was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    /// The flat map to return.
    pub response: Response,
    /// The attributes left out, in key order.
    pub dropped: Vec<Dropped>,
}

/// True when `name` can be a contact attribute key: non-empty, only `[A-Za-z0-9_-]`.
pub fn is_valid_key(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Builds the `FOUND` response for an item.
///
/// Every attribute with a valid, unreserved name becomes a string ([`to_text`]). If the JSON
/// response would exceed [`MAX_RESPONSE_BYTES`], it keeps the [`PRIORITY_KEYS`] first, then
/// each remaining attribute in key order that still fits, and sets `LookupTruncated` = `true`.
pub fn found_response(item: &Item) -> Converted {
    let mut dropped = Vec::new();
    let mut fields = BTreeMap::new();
    // `fields` keeps key order itself, and `dropped` is sorted at the end.
    for (name, value) in item {
        let reason = if !is_valid_key(name) {
            Some(DropReason::InvalidName)
        } else if name == LOOKUP_RESULT || name == LOOKUP_TRUNCATED {
            Some(DropReason::Reserved)
        } else {
            None
        };
        if let Some(reason) = reason {
            dropped.push(Dropped {
                name: name.clone(),
                reason,
            });
            continue;
        }
        match to_text(value) {
            Some(text) => {
                fields.insert(name.clone(), text);
            }
            None => dropped.push(Dropped {
                name: name.clone(),
                reason: DropReason::UnknownType,
            }),
        }
    }
    fields.insert(
        LOOKUP_RESULT.to_owned(),
        LookupResult::Found.as_str().to_owned(),
    );
    let response = cap(fields, &mut dropped);
    dropped.sort_by(|a, b| a.name.cmp(&b.name));
    Converted { response, dropped }
}

/// Applies the size cap, recording what it leaves out.
fn cap(fields: Response, dropped: &mut Vec<Dropped>) -> Response {
    if json_len(&fields) <= MAX_RESPONSE_BYTES {
        return fields;
    }
    let marker = entry_len(LOOKUP_TRUNCATED, "true") + 1;
    let budget = MAX_RESPONSE_BYTES - marker;
    let mut kept = Response::new();
    let mut size = 2; // the braces
    let priority = PRIORITY_KEYS
        .iter()
        .filter_map(|k| fields.get_key_value(*k));
    let rest = fields
        .iter()
        .filter(|(k, _)| !PRIORITY_KEYS.contains(&k.as_str()));
    for (key, value) in priority.chain(rest) {
        let add = entry_len(key, value) + usize::from(!kept.is_empty());
        if size + add <= budget {
            size += add;
            kept.insert(key.clone(), value.clone());
        } else {
            dropped.push(Dropped {
                name: key.clone(),
                reason: DropReason::TooLarge,
            });
        }
    }
    kept.insert(LOOKUP_TRUNCATED.to_owned(), "true".to_owned());
    kept
}

/// The serialized size of a response, in bytes.
pub fn json_len(response: &Response) -> usize {
    let entries: usize = response.iter().map(|(k, v)| entry_len(k, v)).sum();
    2 + entries + response.len().saturating_sub(1)
}

/// Bytes of `"key":"value"` in JSON.
fn entry_len(key: &str, value: &str) -> usize {
    json_string_len(key) + 1 + json_string_len(value)
}

/// Bytes of `s` as a JSON string, quotes included, counted without building it: serde_json
/// writes `"` and `\\` and the five short control escapes in two bytes, other control
/// characters as `\u00XX`, and everything else as it is.
fn json_string_len(s: &str) -> usize {
    2 + s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\x08' | b'\x0c' | b'\n' | b'\r' | b'\t' => 2,
            0x00..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// Converts one attribute to the string the flow sees, or `None` for an unknown type.
///
/// S as is; N as its decimal text; BOOL `true`/`false`; NULL empty; B base64; SS, NS, BS, L and
/// M as compact JSON text. Sets are sorted (strings and binaries bytewise, numbers by value) so
/// the output is stable; map keys are sorted. Numbers inside JSON keep DynamoDB's exact text.
pub fn to_text(value: &AttributeValue) -> Option<String> {
    Some(match value {
        AttributeValue::S(s) => s.clone(),
        AttributeValue::N(n) => n.clone(),
        AttributeValue::Bool(b) => b.to_string(),
        AttributeValue::Null(_) => String::new(),
        AttributeValue::B(b) => BASE64.encode(b.as_ref()),
        AttributeValue::Ss(_)
        | AttributeValue::Ns(_)
        | AttributeValue::Bs(_)
        | AttributeValue::L(_)
        | AttributeValue::M(_) => {
            let mut out = String::new();
            write_json(&mut out, value);
            out
        }
        _ => return None,
    })
}

/// Writes an attribute as compact JSON. Unknown types inside lists and maps become `null`.
fn write_json(out: &mut String, value: &AttributeValue) {
    match value {
        AttributeValue::S(s) => write_json_string(out, s),
        AttributeValue::N(n) => write_json_number(out, n),
        AttributeValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        AttributeValue::B(b) => write_json_string(out, &BASE64.encode(b.as_ref())),
        AttributeValue::Ss(items) => {
            let mut sorted: Vec<&String> = items.iter().collect();
            sorted.sort();
            write_array(out, sorted, |out, s| write_json_string(out, s));
        }
        AttributeValue::Ns(items) => {
            let mut sorted: Vec<&String> = items.iter().collect();
            sorted.sort_by(|a, b| compare_numbers(a, b));
            write_array(out, sorted, |out, n| write_json_number(out, n));
        }
        AttributeValue::Bs(items) => {
            let mut sorted: Vec<&[u8]> = items.iter().map(|b| b.as_ref()).collect();
            sorted.sort();
            write_array(out, sorted, |out, b| {
                write_json_string(out, &BASE64.encode(b));
            });
        }
        AttributeValue::L(items) => write_array(out, items, write_json),
        AttributeValue::M(map) => {
            let mut entries: Vec<(&String, &AttributeValue)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(out, k);
                out.push(':');
                write_json(out, v);
            }
            out.push('}');
        }
        _ => out.push_str("null"),
    }
}

fn write_array<T>(
    out: &mut String,
    items: impl IntoIterator<Item = T>,
    write: impl Fn(&mut String, T),
) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(']');
}

fn write_json_string(out: &mut String, s: &str) {
    // serde_json's escaping of a &str cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// A DynamoDB number as a JSON number, keeping its exact text; quoted if the text is not valid
/// JSON number syntax (DynamoDB normally returns valid syntax, but the item could come from
/// anywhere).
fn write_json_number(out: &mut String, n: &str) {
    if is_json_number(n) {
        out.push_str(n);
    } else {
        write_json_string(out, n);
    }
}

fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(c) if c.is_ascii_digit() => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Orders DynamoDB numbers by value (as f64, which suffices for ordering), then by text.
fn compare_numbers(a: &str, b: &str) -> std::cmp::Ordering {
    let value = |s: &str| s.trim().parse::<f64>().unwrap_or(f64::NAN);
    value(a).total_cmp(&value(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::primitives::Blob;
    use proptest::prelude::*;

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }

    #[test]
    fn all_ten_types_become_strings() {
        let cases = [
            (s("James"), "James"),
            (AttributeValue::N("12.50".into()), "12.50"),
            (AttributeValue::Bool(true), "true"),
            (AttributeValue::Bool(false), "false"),
            (AttributeValue::Null(true), ""),
            (AttributeValue::B(Blob::new(b"hi\0".to_vec())), "aGkA"),
            (
                AttributeValue::Ss(vec!["b".into(), "a\"".into()]),
                r#"["a\"","b"]"#,
            ),
            (
                AttributeValue::Ns(vec!["10".into(), "9".into(), "-1.5".into(), "1E+2".into()]),
                "[-1.5,9,10,1E+2]",
            ),
            (
                AttributeValue::Bs(vec![Blob::new(b"b".to_vec()), Blob::new(b"a".to_vec())]),
                r#"["YQ==","Yg=="]"#,
            ),
            (
                AttributeValue::L(vec![
                    s("x"),
                    AttributeValue::N("1".into()),
                    AttributeValue::Null(true),
                    AttributeValue::Bool(false),
                ]),
                r#"["x",1,null,false]"#,
            ),
            (
                AttributeValue::M(HashMap::from([
                    ("z".to_owned(), AttributeValue::N("2".into())),
                    (
                        "a".to_owned(),
                        AttributeValue::M(HashMap::from([("k".to_owned(), s("v"))])),
                    ),
                ])),
                r#"{"a":{"k":"v"},"z":2}"#,
            ),
        ];
        for (value, want) in cases {
            assert_eq!(to_text(&value).as_deref(), Some(want), "{value:?}");
        }
    }

    #[test]
    fn big_numbers_keep_their_exact_text() {
        let n = "12345678901234567890123456789012345678";
        assert_eq!(to_text(&AttributeValue::N(n.into())).as_deref(), Some(n));
        let list = AttributeValue::L(vec![AttributeValue::N(n.into())]);
        assert_eq!(to_text(&list), Some(format!("[{n}]")));
        let odd = AttributeValue::L(vec![AttributeValue::N(".5".into())]);
        assert_eq!(to_text(&odd).as_deref(), Some(r#"[".5"]"#));
    }

    #[test]
    fn json_number_syntax() {
        for ok in ["0", "-0", "1", "10", "1.5", "-1.5e10", "1E+2", "1e-2"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in ["", "-", "01", ".5", "5.", "+1", "1e", "1e+", "NaN", "1 "] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }

    #[test]
    fn invalid_and_reserved_names_are_dropped() {
        let item = Item::from([
            ("CalledNumber".to_owned(), s("101")),
            ("First Name".to_owned(), s("x")),
            ("a.b".to_owned(), s("x")),
            ("LookupResult".to_owned(), s("x")),
            ("ok_key-1".to_owned(), s("y")),
        ]);
        let converted = found_response(&item);
        assert_eq!(
            converted.response,
            Response::from([
                ("CalledNumber".to_owned(), "101".to_owned()),
                ("LookupResult".to_owned(), "FOUND".to_owned()),
                ("ok_key-1".to_owned(), "y".to_owned()),
            ])
        );
        let reasons: Vec<(&str, DropReason)> = converted
            .dropped
            .iter()
            .map(|d| (d.name.as_str(), d.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                ("First Name", DropReason::InvalidName),
                ("LookupResult", DropReason::Reserved),
                ("a.b", DropReason::InvalidName),
            ]
        );
    }

    #[test]
    fn oversized_items_keep_priority_keys_and_say_so() {
        let mut item = Item::from([
            ("CalledNumber".to_owned(), s("+14155550100")),
            ("FirstName".to_owned(), s("James")),
            ("LastName".to_owned(), s("Bond")),
            ("LastCallDate".to_owned(), s("2026-11-25")),
            ("Notes".to_owned(), s(&"n".repeat(20_000))),
            ("Aa".to_owned(), s(&"a".repeat(20_000))),
            ("Zz".to_owned(), s("small")),
        ]);
        let converted = found_response(&item);
        let r = &converted.response;
        assert!(json_len(r) <= MAX_RESPONSE_BYTES);
        assert_eq!(
            json_len(r),
            serde_json::to_string(r).map(|t| t.len()).unwrap_or(0)
        );
        assert_eq!(r["LookupTruncated"], "true");
        assert_eq!(r["LookupResult"], "FOUND");
        for k in [
            "CalledNumber",
            "FirstName",
            "LastName",
            "LastCallDate",
            "Aa",
            "Zz",
        ] {
            assert!(r.contains_key(k), "{k} missing");
        }
        assert!(!r.contains_key("Notes"));
        assert_eq!(
            converted.dropped,
            [Dropped {
                name: "Notes".into(),
                reason: DropReason::TooLarge
            }]
        );
        // A priority key that cannot fit at all is dropped too; the cap always holds.
        item.insert("FirstName".to_owned(), s(&"f".repeat(40_000)));
        let r = found_response(&item).response;
        assert!(json_len(&r) <= MAX_RESPONSE_BYTES);
        assert!(!r.contains_key("FirstName"));
        assert_eq!(r["LastName"], "Bond");
    }

    #[test]
    fn a_response_exactly_at_the_cap_is_not_truncated() {
        let base = Response::from([("LookupResult".to_owned(), "FOUND".to_owned())]);
        let room = MAX_RESPONSE_BYTES - json_len(&base) - r#","Pad":"""#.len();
        let item = Item::from([("Pad".to_owned(), s(&"p".repeat(room)))]);
        let r = found_response(&item).response;
        assert_eq!(json_len(&r), MAX_RESPONSE_BYTES);
        assert!(!r.contains_key("LookupTruncated"));
    }

    fn attribute() -> impl Strategy<Value = AttributeValue> {
        let text = "\\PC{0,40}";
        let number = prop_oneof![
            "-?[1-9][0-9]{0,37}(\\.[0-9]{1,5})?",
            "[0-9]E[+-]?[0-9]{1,2}",
            "\\PC{0,5}",
        ];
        let blob = proptest::collection::vec(any::<u8>(), 0..40).prop_map(Blob::new);
        let leaf = prop_oneof![
            text.prop_map(AttributeValue::S),
            number.clone().prop_map(AttributeValue::N),
            any::<bool>().prop_map(AttributeValue::Bool),
            Just(AttributeValue::Null(true)),
            blob.clone().prop_map(AttributeValue::B),
            proptest::collection::vec(text, 1..5).prop_map(AttributeValue::Ss),
            proptest::collection::vec(number, 1..5).prop_map(AttributeValue::Ns),
            proptest::collection::vec(blob, 1..5).prop_map(AttributeValue::Bs),
            // Large values push the response over the cap.
            (0usize..12_000).prop_map(|n| AttributeValue::S("é".repeat(n))),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(AttributeValue::L),
                proptest::collection::hash_map("\\PC{0,8}", inner, 0..6)
                    .prop_map(AttributeValue::M),
            ]
        })
    }

    proptest! {
        #[test]
        fn string_lengths_match_serde_json_escaping(s in "(?s)[\\x00-\\x7f\\PC]{0,40}") {
            let written = serde_json::to_string(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(json_string_len(&s), written.len());
        }

        #[test]
        fn any_item_gives_a_flat_valid_capped_map(
            item in proptest::collection::hash_map(
                prop_oneof!["[A-Za-z0-9_-]{1,12}", "\\PC{1,12}", Just("FirstName".to_owned())],
                attribute(),
                0..12,
            )
        ) {
            let converted = found_response(&item);
            let text = serde_json::to_string(&converted.response).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(text.len() <= MAX_RESPONSE_BYTES, "{} bytes", text.len());
            prop_assert_eq!(text.len(), json_len(&converted.response));
            prop_assert_eq!(converted.response.get("LookupResult").map(String::as_str), Some("FOUND"));
            for key in converted.response.keys() {
                prop_assert!(is_valid_key(key), "invalid key {:?}", key);
            }
            // Every valid attribute is either in the response or reported as dropped.
            for name in item.keys().filter(|k| is_valid_key(k) && *k != "LookupResult") {
                prop_assert!(
                    converted.response.contains_key(name)
                        || converted.dropped.iter().any(|d| &d.name == name),
                    "{:?} vanished", name
                );
            }
            // Compound values are valid JSON text.
            for (name, value) in &item {
                if matches!(value, AttributeValue::L(_) | AttributeValue::M(_) | AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_))
                    && let Some(text) = converted.response.get(name)
                {
                    prop_assert!(serde_json::from_str::<serde_json::Value>(text).is_ok(), "{}", text);
                }
            }
        }
    }
}
