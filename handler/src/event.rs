//! From a Connect event to the lookup key: selection, trimming, normalisation, masking.
//!
//! The event is read as a `serde_json::Value`, so nothing in it can make parsing fail: every
//! field may be missing, null or of another type, and unknown fields are ignored.

use serde_json::Value;

/// Where the lookup key came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// `Details.Parameters.CalledNumber`, set by the flow's "Function input parameters".
    Parameter,
    /// `Details.ContactData.CustomerEndpoint.Address` with `Type` = `TELEPHONE_NUMBER`.
    CustomerEndpoint,
}

impl KeySource {
    /// The name used in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            KeySource::Parameter => "parameter",
            KeySource::CustomerEndpoint => "customer_endpoint",
        }
    }
}

/// Why an event carries no usable number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoNumber {
    /// No `CalledNumber` parameter and no telephone customer endpoint (chat, task, e-mail, API).
    Absent,
    /// The caller withheld their number (an `anonymous`-style placeholder or no digits at all).
    Withheld,
}

impl NoNumber {
    /// The name used in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            NoNumber::Absent => "absent",
            NoNumber::Withheld => "withheld",
        }
    }
}

/// The key to look up, as the table stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupKey {
    /// The normalised value, the `CalledNumber` partition key to ask for.
    pub value: String,
    /// Where it came from.
    pub source: KeySource,
}

/// Placeholders that carriers and Connect put where a withheld number would be.
const WITHHELD: &[&str] = &[
    "anonymous",
    "blocked",
    "private",
    "restricted",
    "unavailable",
    "unknown",
    "withheld",
];

/// Picks the lookup key from an event.
///
/// `Details.Parameters.CalledNumber` wins when it is a non-blank string or an integer; otherwise
/// the customer endpoint's address is used when its `Type` is `TELEPHONE_NUMBER`. The value is
/// trimmed and normalised with [`normalise`]. A withheld-number placeholder gives
/// [`NoNumber::Withheld`]; so does a telephone endpoint whose address has no digit.
pub fn select_key(event: &Value) -> Result<LookupKey, NoNumber> {
    let details = event.get("Details");
    let parameter = details
        .and_then(|d| d.get("Parameters"))
        .and_then(|p| p.get(crate::KEY_ATTRIBUTE))
        .and_then(parameter_text);
    if let Some(raw) = parameter {
        return key_from(&raw, KeySource::Parameter);
    }
    let endpoint = details
        .and_then(|d| d.get("ContactData"))
        .and_then(|c| c.get("CustomerEndpoint"));
    let is_phone = endpoint
        .and_then(|e| e.get("Type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("TELEPHONE_NUMBER"));
    if !is_phone {
        return Err(NoNumber::Absent);
    }
    match endpoint
        .and_then(|e| e.get("Address"))
        .and_then(Value::as_str)
    {
        Some(address) if !address.trim().is_empty() => {
            if !address.bytes().any(|b| b.is_ascii_digit()) {
                return Err(NoNumber::Withheld);
            }
            key_from(address, KeySource::CustomerEndpoint)
        }
        _ => Err(NoNumber::Withheld),
    }
}

/// The text of a `CalledNumber` parameter: a non-blank string, or an integer's decimal text.
/// Anything else (blank, null, bool, float, object, array) counts as "no parameter".
fn parameter_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

fn key_from(raw: &str, source: KeySource) -> Result<LookupKey, NoNumber> {
    let trimmed = raw.trim();
    if WITHHELD.iter().any(|w| trimmed.eq_ignore_ascii_case(w)) {
        return Err(NoNumber::Withheld);
    }
    Ok(LookupKey {
        value: normalise(trimmed),
        source,
    })
}

/// Normalises a trimmed key the way the table is expected to store it.
///
/// A phone-looking value (digits with spaces, dashes, dots and parentheses, optionally one
/// leading `+`) loses its separators, and a `00` international prefix becomes `+`. No country
/// code is ever added: `07700 900123` stays national. Any other value (an e-mail, `ABC-1`) is
/// returned unchanged. Short values such as `101` are phone-looking and come back as they are.
pub fn normalise(key: &str) -> String {
    let body = key.strip_prefix('+').unwrap_or(key);
    let phone_looking = body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'(' | b')'));
    if !phone_looking {
        return key.to_owned();
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    if key.starts_with('+') {
        format!("+{digits}")
    } else if digits.len() > 2
        && let Some(rest) = digits.strip_prefix("00")
    {
        format!("+{rest}")
    } else {
        digits
    }
}

/// Masks a key for logs: keeps a leading `+` and the last four digits, stars everything else.
///
/// `+14155550100` becomes `+*******0100`; `anonymous` becomes `*********`.
pub fn mask(key: &str) -> String {
    let mut kept = 0;
    let mut out: Vec<char> = key
        .chars()
        .rev()
        .map(|c| {
            if c.is_ascii_digit() && kept < 4 {
                kept += 1;
                c
            } else {
                '*'
            }
        })
        .collect();
    out.reverse();
    if key.starts_with('+')
        && let Some(first) = out.first_mut()
    {
        *first = '+';
    }
    out.into_iter().collect()
}

/// Fields of the event worth logging: none of them is personal data.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ContactSummary {
    /// `Details.ContactData.ContactId`.
    pub contact_id: Option<String>,
    /// `Details.ContactData.Channel` (`VOICE`, `CHAT`, `TASK`, `EMAIL`).
    pub channel: Option<String>,
    /// `Details.ContactData.InitiationMethod` (`INBOUND`, `OUTBOUND`, `TRANSFER`, ...).
    pub initiation_method: Option<String>,
}

/// Reads the [`ContactSummary`] from an event, tolerating any shape.
pub fn contact_summary(event: &Value) -> ContactSummary {
    let data = event.get("Details").and_then(|d| d.get("ContactData"));
    let text = |name: &str| {
        data.and_then(|c| c.get(name))
            .and_then(Value::as_str)
            .map(|s| s.chars().take(64).collect())
    };
    ContactSummary {
        contact_id: text("ContactId"),
        channel: text("Channel"),
        initiation_method: text("InitiationMethod"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn voice(address: Value, kind: &str) -> Value {
        json!({"Name": "ContactFlowEvent", "Details": {"Parameters": {}, "ContactData": {
            "Channel": "VOICE", "CustomerEndpoint": {"Address": address, "Type": kind}}}})
    }

    fn key(value: &str, source: KeySource) -> Result<LookupKey, NoNumber> {
        Ok(LookupKey {
            value: value.to_owned(),
            source,
        })
    }

    #[test]
    fn customer_endpoint_is_the_default_key() {
        let event = voice(json!("+14155550100"), "TELEPHONE_NUMBER");
        assert_eq!(
            select_key(&event),
            key("+14155550100", KeySource::CustomerEndpoint)
        );
    }

    #[test]
    fn parameter_overrides_the_endpoint() {
        let mut event = voice(json!("+14155550100"), "TELEPHONE_NUMBER");
        event["Details"]["Parameters"]["CalledNumber"] = json!(" 101 ");
        assert_eq!(select_key(&event), key("101", KeySource::Parameter));
        event["Details"]["Parameters"]["CalledNumber"] = json!(101);
        assert_eq!(select_key(&event), key("101", KeySource::Parameter));
    }

    #[test]
    fn unusable_parameters_fall_back_to_the_endpoint() {
        for bad in [
            json!(""),
            json!("   "),
            json!(null),
            json!(true),
            json!(1.5),
            json!({"a": 1}),
            json!([1]),
        ] {
            let mut event = voice(json!("+14155550100"), "TELEPHONE_NUMBER");
            event["Details"]["Parameters"]["CalledNumber"] = bad.clone();
            assert_eq!(
                select_key(&event),
                key("+14155550100", KeySource::CustomerEndpoint),
                "{bad}"
            );
        }
    }

    #[test]
    fn non_telephone_endpoints_have_no_number() {
        assert_eq!(
            select_key(&voice(json!("jane@example.com"), "EMAIL_ADDRESS")),
            Err(NoNumber::Absent)
        );
        let chat =
            json!({"Details": {"ContactData": {"Channel": "CHAT", "CustomerEndpoint": null}}});
        assert_eq!(select_key(&chat), Err(NoNumber::Absent));
        assert_eq!(select_key(&json!({})), Err(NoNumber::Absent));
        assert_eq!(select_key(&json!(null)), Err(NoNumber::Absent));
        assert_eq!(select_key(&json!({"Details": 7})), Err(NoNumber::Absent));
    }

    #[test]
    fn withheld_numbers_are_recognised() {
        for address in [
            json!("anonymous"),
            json!(" Anonymous "),
            json!("RESTRICTED"),
            json!(""),
            json!(null),
            json!("+"),
        ] {
            assert_eq!(
                select_key(&voice(address.clone(), "TELEPHONE_NUMBER")),
                Err(NoNumber::Withheld),
                "{address}"
            );
        }
        let mut event = voice(json!("+14155550100"), "TELEPHONE_NUMBER");
        event["Details"]["Parameters"]["CalledNumber"] = json!("Private");
        assert_eq!(select_key(&event), Err(NoNumber::Withheld));
    }

    #[test]
    fn normalisation() {
        for (input, want) in [
            ("+1 (415) 555-0100", "+14155550100"),
            ("+44 7700.900.123", "+447700900123"),
            ("0044 7700 900123", "+447700900123"),
            ("07700 900123", "07700900123"),
            ("101", "101"),
            ("00", "00"),
            ("001", "+1"),
            ("ABC-1", "ABC-1"),
            ("jane@example.com", "jane@example.com"),
            ("++1", "++1"),
            ("1+1", "1+1"),
            ("sip:+1415", "sip:+1415"),
        ] {
            assert_eq!(normalise(input), want, "{input}");
        }
    }

    #[test]
    fn masking_keeps_the_last_four_digits() {
        assert_eq!(mask("+14155550100"), "+*******0100");
        assert_eq!(mask("101"), "101");
        assert_eq!(mask("anonymous"), "*********");
        assert_eq!(mask("07700900123"), "*******0123");
        assert_eq!(mask(""), "");
    }

    #[test]
    fn summary_reads_safe_fields_only() {
        let event = json!({"Details": {"ContactData": {"ContactId": "c-1", "Channel": "VOICE",
            "InitiationMethod": 3}}});
        assert_eq!(
            contact_summary(&event),
            ContactSummary {
                contact_id: Some("c-1".into()),
                channel: Some("VOICE".into()),
                initiation_method: None,
            }
        );
    }
}
