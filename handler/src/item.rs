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
/// Response key saying, on `FOUND`, which kind of key matched: `CalledNumber` or `Email`.
pub const MATCHED_BY: &str = "MatchedBy";

/// Attribute names the handler sets itself or never returns: left out of every response.
pub const RESERVED_NAMES: [&str; 4] = [
    LOOKUP_RESULT,
    LOOKUP_TRUNCATED,
    MATCHED_BY,
    crate::ALIAS_ATTRIBUTE,
];

/// How the `FOUND` response carries attribute values (`RESPONSE_FORMAT`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResponseFormat {
    /// Every value as a string (the default; what "Set contact attributes" needs).
    #[default]
    Flat,
    /// Values keep their JSON types (`RESPONSE_FORMAT=json`, for an Invoke Lambda block with
    /// response validation JSON); see [`to_json`].
    Json,
}

/// A response in JSON mode: keys sorted, values typed.
pub type JsonResponse = BTreeMap<String, serde_json::Value>;

/// What the handler returns: the flat string map, or the typed map in JSON mode.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Output {
    /// [`ResponseFormat::Flat`].
    Flat(Response),
    /// [`ResponseFormat::Json`].
    Json(JsonResponse),
}

impl Output {
    /// The value of a key as text: a string as it is, anything else as its JSON.
    pub fn get_text(&self, key: &str) -> Option<String> {
        match self {
            Output::Flat(r) => r.get(key).cloned(),
            Output::Json(r) => r.get(key).map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
        }
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        match self {
            Output::Flat(r) => r.len(),
            Output::Json(r) => r.len(),
        }
    }

    /// True when there is no key (never the case for a handler answer).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The flat map, if this is one.
    pub fn into_flat(self) -> Option<Response> {
        match self {
            Output::Flat(r) => Some(r),
            Output::Json(_) => None,
        }
    }

    /// A response of strings only (`NOT_FOUND`, `NO_NUMBER`) in `format`.
    pub fn strings(format: ResponseFormat, pairs: Response) -> Output {
        match format {
            ResponseFormat::Flat => Output::Flat(pairs),
            ResponseFormat::Json => Output::Json(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::String(v)))
                    .collect(),
            ),
        }
    }
}

/// The largest response, in bytes of serialized UTF-8 JSON, the handler returns.
///
/// Connect accepts "less than 32 KB"; 32,000 bytes is under that whether a KB is 1,000 or
/// 1,024 bytes.
pub const MAX_RESPONSE_BYTES: usize = 32_000;

/// Keys kept first when the response must be truncated, in this order.
pub const PRIORITY_KEYS: [&str; 6] = [
    LOOKUP_RESULT,
    MATCHED_BY,
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
    /// Its name is one the handler sets itself or never returns ([`RESERVED_NAMES`]).
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

/// Builds the `FOUND` response for an item, in the flat format and without `MatchedBy`.
///
/// Every attribute with a valid, unreserved name becomes a string ([`to_text`]). If the JSON
/// response would exceed [`MAX_RESPONSE_BYTES`], it keeps the [`PRIORITY_KEYS`] first, then
/// each remaining attribute in key order that still fits, and sets `LookupTruncated` = `true`.
pub fn found_response(item: &Item) -> Converted {
    let (fields, mut dropped) = convert(item, None, to_text);
    let response = cap(
        fields,
        &mut dropped,
        |k, v: &String| entry_len(k, v),
        "true".to_owned(),
    );
    dropped.sort_by(|a, b| a.name.cmp(&b.name));
    Converted { response, dropped }
}

/// The `FOUND` response in JSON mode, plus what was left out.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvertedJson {
    /// The typed map to return.
    pub response: JsonResponse,
    /// The attributes left out, in key order.
    pub dropped: Vec<Dropped>,
}

/// Builds the `FOUND` response for an item in `format`, with `MatchedBy` = `matched_by`.
///
/// As [`found_response`]; in [`ResponseFormat::Json`] values are converted with [`to_json`]
/// and the cap is measured on the typed JSON. `LookupResult`, `MatchedBy` and
/// `LookupTruncated` are strings in both formats.
pub fn found_output(
    item: &Item,
    matched_by: &str,
    format: ResponseFormat,
) -> (Output, Vec<Dropped>) {
    match format {
        ResponseFormat::Flat => {
            let (fields, mut dropped) = convert(item, Some(matched_by), to_text);
            let response = cap(
                fields,
                &mut dropped,
                |k, v: &String| entry_len(k, v),
                "true".to_owned(),
            );
            dropped.sort_by(|a, b| a.name.cmp(&b.name));
            (Output::Flat(response), dropped)
        }
        ResponseFormat::Json => {
            let converted = found_json(item, matched_by);
            (Output::Json(converted.response), converted.dropped)
        }
    }
}

/// The JSON-mode `FOUND` response for an item (see [`found_output`]).
pub fn found_json(item: &Item, matched_by: &str) -> ConvertedJson {
    let (fields, mut dropped) = convert(item, Some(matched_by), to_json);
    let response = cap(
        fields,
        &mut dropped,
        json_entry_len,
        serde_json::Value::String("true".to_owned()),
    );
    dropped.sort_by(|a, b| a.name.cmp(&b.name));
    ConvertedJson { response, dropped }
}

/// The valid, unreserved attributes of `item` converted with `to`, plus `LookupResult` (and
/// `MatchedBy` when given) as strings; and what was left out (unsorted).
fn convert<T: From<String>>(
    item: &Item,
    matched_by: Option<&str>,
    to: impl Fn(&AttributeValue) -> Option<T>,
) -> (BTreeMap<String, T>, Vec<Dropped>) {
    let mut dropped = Vec::new();
    let mut fields = BTreeMap::new();
    // `fields` keeps key order itself, and `dropped` is sorted by the caller.
    for (name, value) in item {
        let reason = if !is_valid_key(name) {
            Some(DropReason::InvalidName)
        } else if RESERVED_NAMES.contains(&name.as_str()) {
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
        match to(value) {
            Some(converted) => {
                fields.insert(name.clone(), converted);
            }
            None => dropped.push(Dropped {
                name: name.clone(),
                reason: DropReason::UnknownType,
            }),
        }
    }
    fields.insert(
        LOOKUP_RESULT.to_owned(),
        T::from(LookupResult::Found.as_str().to_owned()),
    );
    if let Some(matched_by) = matched_by {
        fields.insert(MATCHED_BY.to_owned(), T::from(matched_by.to_owned()));
    }
    (fields, dropped)
}

/// Applies the size cap, recording what it leaves out. `entry` is the serialized size of one
/// `"key":value` pair; `marker` is the `LookupTruncated` value.
fn cap<T: Clone>(
    fields: BTreeMap<String, T>,
    dropped: &mut Vec<Dropped>,
    entry: impl Fn(&str, &T) -> usize,
    marker: T,
) -> BTreeMap<String, T> {
    let total: usize =
        2 + fields.iter().map(|(k, v)| entry(k, v)).sum::<usize>() + fields.len().saturating_sub(1);
    if total <= MAX_RESPONSE_BYTES {
        return fields;
    }
    let budget = MAX_RESPONSE_BYTES - (entry(LOOKUP_TRUNCATED, &marker) + 1);
    let mut kept = BTreeMap::new();
    let mut size = 2; // the braces
    let priority = PRIORITY_KEYS
        .iter()
        .filter_map(|k| fields.get_key_value(*k));
    let rest = fields
        .iter()
        .filter(|(k, _)| !PRIORITY_KEYS.contains(&k.as_str()));
    for (key, value) in priority.chain(rest) {
        let add = entry(key, value) + usize::from(!kept.is_empty());
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
    kept.insert(LOOKUP_TRUNCATED.to_owned(), marker);
    kept
}

/// Bytes of `"key":value` in JSON, for a typed value.
fn json_entry_len(key: &str, value: &serde_json::Value) -> usize {
    // Serializing a Value into a counting sink cannot fail.
    let mut counter = Counter(0);
    let _ = serde_json::to_writer(&mut counter, value);
    json_string_len(key) + 1 + counter.0
}

/// An `io::Write` that only counts bytes.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The serialized size of a JSON-mode response, in bytes.
pub fn json_response_len(response: &JsonResponse) -> usize {
    let entries: usize = response.iter().map(|(k, v)| json_entry_len(k, v)).sum();
    2 + entries + response.len().saturating_sub(1)
}

/// Converts one attribute to a typed JSON value for [`ResponseFormat::Json`], or `None` for an
/// unknown type.
///
/// S string; N a JSON number when the number converts losslessly (an integer that fits 64 bits,
/// or a decimal whose `f64` value reads back as the same decimal), otherwise a string holding
/// DynamoDB's exact text (e.g. a 38-digit number); BOOL bool; NULL null; B base64 string; SS,
/// NS and BS arrays (sorted as in [`to_text`]); L array; M object. Unknown types nested in L
/// or M become null.
pub fn to_json(value: &AttributeValue) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match value {
        AttributeValue::S(s) => J::String(s.clone()),
        AttributeValue::N(n) => json_number(n),
        AttributeValue::Bool(b) => J::Bool(*b),
        AttributeValue::Null(_) => J::Null,
        AttributeValue::B(b) => J::String(BASE64.encode(b.as_ref())),
        AttributeValue::Ss(items) => {
            let mut sorted: Vec<&String> = items.iter().collect();
            sorted.sort();
            J::Array(sorted.into_iter().map(|s| J::String(s.clone())).collect())
        }
        AttributeValue::Ns(items) => {
            let mut sorted: Vec<&String> = items.iter().collect();
            sorted.sort_by(|a, b| compare_numbers(a, b));
            J::Array(sorted.into_iter().map(|n| json_number(n)).collect())
        }
        AttributeValue::Bs(items) => {
            let mut sorted: Vec<&[u8]> = items.iter().map(|b| b.as_ref()).collect();
            sorted.sort();
            J::Array(
                sorted
                    .into_iter()
                    .map(|b| J::String(BASE64.encode(b)))
                    .collect(),
            )
        }
        AttributeValue::L(items) => J::Array(
            items
                .iter()
                .map(|v| to_json(v).unwrap_or(J::Null))
                .collect(),
        ),
        AttributeValue::M(map) => J::Object(
            map.iter()
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .map(|(k, v)| (k.clone(), to_json(v).unwrap_or(J::Null)))
                .collect(),
        ),
        _ => return None,
    })
}

/// A DynamoDB number as a JSON number when that loses nothing, else its exact text as a string.
fn json_number(n: &str) -> serde_json::Value {
    use serde_json::Value as J;
    if let Ok(i) = n.parse::<i64>() {
        return J::from(i);
    }
    if let Ok(u) = n.parse::<u64>() {
        return J::from(u);
    }
    if is_json_number(n)
        && let Ok(f) = n.parse::<f64>()
        && f.is_finite()
        && let Some(number) = serde_json::Number::from_f64(f)
        && decimal(n).is_some()
        && decimal(n) == decimal(&number.to_string())
    {
        return J::Number(number);
    }
    J::String(n.to_owned())
}

/// A decimal's canonical form: (negative, significant digits without leading or trailing
/// zeros, exponent of the last digit). Zero is `(false, "", 0)`. `None` if not a number.
fn decimal(text: &str) -> Option<(bool, String, i64)> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i64>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let mut exp = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let trimmed_end = digits.trim_end_matches('0');
    exp = exp.checked_add(i64::try_from(digits.len() - trimmed_end.len()).ok()?)?;
    let significant = trimmed_end.trim_start_matches('0');
    if significant.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, significant.to_owned(), exp))
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

    #[test]
    fn json_mode_keeps_every_type() {
        use serde_json::json;
        let n = |v: &str| AttributeValue::N(v.into());
        let cases = [
            (s("James"), json!("James")),
            (n("7"), json!(7)),
            (n("-12.5"), json!(-12.5)),
            (n("12.50"), json!(12.5)),
            (n("0.1"), json!(0.1)),
            (n("1E+2"), json!(100.0)),
            (
                n("18446744073709551615"),
                json!(18_446_744_073_709_551_615u64),
            ),
            // Does not fit f64 exactly: the exact text, as a string.
            (
                n("12345678901234567890123456789012345678"),
                json!("12345678901234567890123456789012345678"),
            ),
            (n("0.30000000000000000001"), json!("0.30000000000000000001")),
            (AttributeValue::Bool(true), json!(true)),
            (AttributeValue::Null(true), json!(null)),
            (
                AttributeValue::B(Blob::new(b"hi\0".to_vec())),
                json!("aGkA"),
            ),
            (
                AttributeValue::Ss(vec!["b".into(), "a".into()]),
                json!(["a", "b"]),
            ),
            (
                AttributeValue::Ns(vec!["10".into(), "9".into()]),
                json!([9, 10]),
            ),
            (
                AttributeValue::Bs(vec![Blob::new(b"b".to_vec()), Blob::new(b"a".to_vec())]),
                json!(["YQ==", "Yg=="]),
            ),
            (
                AttributeValue::L(vec![s("x"), n("1"), AttributeValue::Null(true)]),
                json!(["x", 1, null]),
            ),
            (
                AttributeValue::M(HashMap::from([
                    ("z".to_owned(), n("2")),
                    ("a".to_owned(), AttributeValue::Bool(false)),
                ])),
                json!({"a": false, "z": 2}),
            ),
        ];
        for (value, want) in cases {
            assert_eq!(to_json(&value), Some(want), "{value:?}");
        }
    }

    #[test]
    fn decimals_compare_by_value() {
        assert_eq!(decimal("12.50"), decimal("1.25e1"));
        assert_eq!(decimal("0"), decimal("-0.000"));
        assert_ne!(decimal("0.1"), decimal("0.10000000000000001"));
        assert_eq!(decimal("x"), None);
        assert_eq!(decimal("."), None);
    }

    #[test]
    fn json_mode_caps_and_marks_strings() {
        let item = Item::from([
            ("CalledNumber".to_owned(), s("+14155550100")),
            ("FirstName".to_owned(), s("Jane")),
            ("AliasOf".to_owned(), s("+1")),
            ("MatchedBy".to_owned(), s("x")),
            (
                "Big".to_owned(),
                AttributeValue::L(vec![AttributeValue::N("123456".into()); 6_000]),
            ),
            ("Small".to_owned(), AttributeValue::N("1".into())),
        ]);
        let converted = found_json(&item, "Email");
        let r = &converted.response;
        let text = serde_json::to_string(r).unwrap_or_default();
        assert!(text.len() <= MAX_RESPONSE_BYTES, "{}", text.len());
        assert_eq!(text.len(), json_response_len(r));
        assert_eq!(r["LookupTruncated"], serde_json::json!("true"));
        assert_eq!(r["MatchedBy"], serde_json::json!("Email"));
        assert_eq!(r["LookupResult"], serde_json::json!("FOUND"));
        assert_eq!(r["Small"], serde_json::json!(1));
        assert!(!r.contains_key("Big") && !r.contains_key("AliasOf"));
        let names: Vec<&str> = converted.dropped.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["AliasOf", "Big", "MatchedBy"]);
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
        fn any_item_gives_a_capped_json_map(
            item in proptest::collection::hash_map("[A-Za-z0-9_-]{1,12}", attribute(), 0..12)
        ) {
            let converted = found_json(&item, "CalledNumber");
            let text = serde_json::to_string(&converted.response).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(text.len() <= MAX_RESPONSE_BYTES, "{} bytes", text.len());
            prop_assert_eq!(text.len(), json_response_len(&converted.response));
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
