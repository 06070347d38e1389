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
    /// `Details.Parameters.Email`, set by the flow's "Function input parameters".
    EmailParameter,
    /// `Details.ContactData.CustomerEndpoint.Address` with `Type` = `EMAIL_ADDRESS`.
    EmailEndpoint,
}

impl KeySource {
    /// The name used in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            KeySource::Parameter => "parameter",
            KeySource::CustomerEndpoint => "customer_endpoint",
            KeySource::EmailParameter => "email_parameter",
            KeySource::EmailEndpoint => "email_endpoint",
        }
    }

    /// True for the e-mail sources: the key is an address, not a number.
    pub fn is_email(self) -> bool {
        matches!(self, KeySource::EmailParameter | KeySource::EmailEndpoint)
    }

    /// The response's `MatchedBy` value on `FOUND`: `CalledNumber` or `Email`.
    pub fn matched_by(self) -> &'static str {
        if self.is_email() {
            crate::EMAIL_ATTRIBUTE
        } else {
            crate::KEY_ATTRIBUTE
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

/// The key to look up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupKey {
    /// The normalised value: an E.164 (or otherwise normalised) number, or a trimmed,
    /// lower-cased e-mail address. [`LookupKey::table_key`] is the partition key to ask for.
    pub value: String,
    /// Where it came from.
    pub source: KeySource,
}

impl LookupKey {
    /// The `CalledNumber` partition key to read: the number itself, or
    /// [`EMAIL_KEY_PREFIX`](crate::EMAIL_KEY_PREFIX) + the address for an e-mail.
    pub fn table_key(&self) -> String {
        if self.source.is_email() {
            format!("{}{}", crate::EMAIL_KEY_PREFIX, self.value)
        } else {
            self.value.clone()
        }
    }

    /// The key masked for logs: [`mask`] for a number, [`mask_email`] for an address.
    pub fn masked(&self) -> String {
        if self.source.is_email() {
            mask_email(&self.value)
        } else {
            mask(&self.value)
        }
    }
}

/// How numbers are normalised: today's rules alone, or first libphonenumber with a default
/// country for national numbers (`DEFAULT_COUNTRY`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Normaliser {
    /// The country a national number belongs to; `None` keeps national numbers as they are.
    pub default_country: Option<phonenumber::country::Id>,
}

impl Normaliser {
    /// Normalises a trimmed number: [`normalise_number`] with this default country.
    pub fn number(&self, key: &str) -> String {
        normalise_number(key, self.default_country)
    }
}

/// Parses an ISO 3166-1 alpha-2 code (`GB`, `us`; trimmed, any case) into a country that the
/// phone-number metadata knows, or `None`.
pub fn parse_country(code: &str) -> Option<phonenumber::country::Id> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    code.parse().ok()
}

/// Loads libphonenumber's metadata now (it is loaded lazily on first use), so that the first
/// lookup does not pay for it. Only worth calling when a default country is set.
pub fn warm_up_phone_metadata() {
    let _ = phonenumber::parse(Some(phonenumber::country::Id::GB), "07700 900123");
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

/// Picks the lookup key from an event, with today's number normalisation ([`normalise`]).
///
/// See [`select_key_with`].
pub fn select_key(event: &Value) -> Result<LookupKey, NoNumber> {
    select_key_with(event, &Normaliser::default())
}

/// Picks the lookup key from an event.
///
/// `Details.Parameters.CalledNumber` wins when it is a non-blank string or an integer; otherwise
/// the customer endpoint's address is used when its `Type` is `TELEPHONE_NUMBER`. The value is
/// trimmed and normalised with `normaliser`. A withheld-number placeholder gives
/// [`NoNumber::Withheld`]; so does a telephone endpoint whose address has no digit.
///
/// With no usable number, an e-mail address is the key: `Details.Parameters.Email`, else the
/// customer endpoint's address when its `Type` is `EMAIL_ADDRESS` (see [`normalise_email`]).
/// With neither, the reason there is no number is returned.
pub fn select_key_with(event: &Value, normaliser: &Normaliser) -> Result<LookupKey, NoNumber> {
    let why = match select_number(event, normaliser) {
        Ok(key) => return Ok(key),
        Err(why) => why,
    };
    select_email(event).ok_or(why)
}

fn select_number(event: &Value, normaliser: &Normaliser) -> Result<LookupKey, NoNumber> {
    let details = event.get("Details");
    let parameter = details
        .and_then(|d| d.get("Parameters"))
        .and_then(|p| p.get(crate::KEY_ATTRIBUTE))
        .and_then(parameter_text);
    if let Some(raw) = parameter {
        return key_from(&raw, KeySource::Parameter, normaliser);
    }
    let endpoint = customer_endpoint(event);
    if !endpoint_is(endpoint, "TELEPHONE_NUMBER") {
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
            key_from(address, KeySource::CustomerEndpoint, normaliser)
        }
        _ => Err(NoNumber::Withheld),
    }
}

fn customer_endpoint(event: &Value) -> Option<&Value> {
    event
        .get("Details")
        .and_then(|d| d.get("ContactData"))
        .and_then(|c| c.get("CustomerEndpoint"))
}

fn endpoint_is(endpoint: Option<&Value>, kind: &str) -> bool {
    endpoint
        .and_then(|e| e.get("Type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t.trim().eq_ignore_ascii_case(kind))
}

fn select_email(event: &Value) -> Option<LookupKey> {
    let parameter = event
        .get("Details")
        .and_then(|d| d.get("Parameters"))
        .and_then(|p| p.get(crate::EMAIL_ATTRIBUTE))
        .and_then(Value::as_str)
        .and_then(normalise_email);
    if let Some(value) = parameter {
        return Some(LookupKey {
            value,
            source: KeySource::EmailParameter,
        });
    }
    let endpoint = customer_endpoint(event);
    if !endpoint_is(endpoint, "EMAIL_ADDRESS") {
        return None;
    }
    let value = endpoint
        .and_then(|e| e.get("Address"))
        .and_then(Value::as_str)
        .and_then(normalise_email)?;
    Some(LookupKey {
        value,
        source: KeySource::EmailEndpoint,
    })
}

/// An e-mail address as the table keys it: trimmed and lower-cased; `None` unless it looks like
/// an address (one `@` with text on both sides, no whitespace or control character).
pub fn normalise_email(raw: &str) -> Option<String> {
    let address = raw.trim();
    let (local, domain) = address.split_once('@')?;
    let plausible = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !address.chars().any(|c| c.is_whitespace() || c.is_control());
    plausible.then(|| address.to_lowercase())
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

fn key_from(raw: &str, source: KeySource, normaliser: &Normaliser) -> Result<LookupKey, NoNumber> {
    let trimmed = raw.trim();
    if WITHHELD.iter().any(|w| trimmed.eq_ignore_ascii_case(w)) {
        return Err(NoNumber::Withheld);
    }
    let value = normaliser.number(trimmed);
    // An e-mail alias key is not a number: never let a parameter read one as a number.
    if value
        .get(..crate::EMAIL_KEY_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(crate::EMAIL_KEY_PREFIX))
    {
        return Err(NoNumber::Absent);
    }
    Ok(LookupKey { value, source })
}

/// Normalises a trimmed number, with an optional default country for national numbers.
///
/// With `default_country` unset this is exactly [`normalise`]. With it set, a phone-looking
/// value (see [`normalise`]) is parsed by libphonenumber (the `phonenumber` crate) as a number of
/// that country, and a number the library accepts as valid is returned in E.164
/// (`07700 900123` with `GB` is `+447700900123`); a value it cannot parse or does not accept
/// (short codes such as `101`) falls back to [`normalise`]. This is the one normalisation the
/// handler uses; importers should call it too so the table holds the keys the handler asks for.
pub fn normalise_number(key: &str, default_country: Option<phonenumber::country::Id>) -> String {
    let Some(country) = default_country else {
        return normalise(key);
    };
    if !is_phone_looking(key) {
        return key.to_owned();
    }
    match phonenumber::parse(Some(country), key) {
        Ok(number) if number.extension().is_none() && is_possible(&number) => {
            number.format().mode(phonenumber::Mode::E164).to_string()
        }
        _ => normalise(key),
    }
}

/// libphonenumber's "possible number": valid, or of a length its country's numbers can have.
/// (Validity alone would reject unallocated ranges such as the UK's drama numbers
/// `07700 900xxx`, which are real-shaped test numbers; length rejects short codes like `101`.)
fn is_possible(number: &phonenumber::PhoneNumber) -> bool {
    if phonenumber::is_valid(number) {
        return true;
    }
    let code = number.code().value();
    let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
    let national_len = e164.len().saturating_sub(1 + code.to_string().len());
    phonenumber::metadata::DATABASE
        .by_code(&code)
        .unwrap_or_default()
        .iter()
        .any(|meta| {
            let d = meta.descriptors();
            // The general descriptor's lengths are not always filled in: take every type's.
            [
                Some(d.general()),
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.shared_cost(),
                d.personal_number(),
                d.voip(),
                d.pager(),
                d.uan(),
                d.voicemail(),
            ]
            .into_iter()
            .flatten()
            .any(|desc| {
                desc.possible_length()
                    .iter()
                    .any(|&len| usize::from(len) == national_len)
            })
        })
}

fn is_phone_looking(key: &str) -> bool {
    let body = key.strip_prefix('+').unwrap_or(key);
    body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'(' | b')'))
}

/// Normalises a trimmed key the way the table is expected to store it.
///
/// A phone-looking value (digits with spaces, dashes, dots and parentheses, optionally one
/// leading `+`) loses its separators, and a `00` international prefix becomes `+`. No country
/// code is ever added: `07700 900123` stays national. Any other value (an e-mail, `ABC-1`) is
/// returned unchanged. Short values such as `101` are phone-looking and come back as they are.
pub fn normalise(key: &str) -> String {
    if !is_phone_looking(key) {
        return key.to_owned();
    }
    let body = key.strip_prefix('+').unwrap_or(key);
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

/// Masks an e-mail address for logs: keeps the first character and the domain, stars the rest
/// of the local part (`jane@example.com` becomes `j***@example.com`). Anything without an `@`
/// is starred entirely.
pub fn mask_email(address: &str) -> String {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return "*".repeat(address.chars().count());
    };
    let mut out = String::with_capacity(address.len());
    for (i, c) in local.chars().enumerate() {
        out.push(if i == 0 { c } else { '*' });
    }
    out.push('@');
    out.push_str(domain);
    out
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
        // An e-mail endpoint has no number; the address is the key (see new_key_tests).
        assert_eq!(
            select_key(&voice(json!("jane@example.com"), "EMAIL_ADDRESS")).map(|k| k.source),
            Ok(KeySource::EmailEndpoint)
        );
        assert_eq!(
            select_key(&voice(json!("not an address"), "EMAIL_ADDRESS")),
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

#[cfg(test)]
mod new_key_tests {
    use super::*;
    use serde_json::json;

    const GB: Option<phonenumber::country::Id> = Some(phonenumber::country::Id::GB);

    #[test]
    fn default_country_makes_national_numbers_e164() {
        for (input, want) in [
            ("07700 900123", "+447700900123"),
            ("07700900456", "+447700900456"),
            ("020 7946 0018", "+442079460018"),
            ("+44 7700 900123", "+447700900123"),
            ("0044 7700 900123", "+447700900123"),
            ("+1 (415) 555-0100", "+14155550100"),
            // Not a valid GB number: today's rules.
            ("101", "101"),
            ("00", "00"),
            ("jane@example.com", "jane@example.com"),
            ("ABC-1", "ABC-1"),
        ] {
            assert_eq!(normalise_number(input, GB), want, "{input}");
        }
        assert_eq!(normalise_number("07700 900123", None), "07700900123");
    }

    #[test]
    fn countries_are_iso_alpha_2() {
        assert_eq!(parse_country(" gb "), GB);
        assert_eq!(parse_country("US"), Some(phonenumber::country::Id::US));
        for bad in ["", "UK", "GBR", "44", "g", "ÉÉ"] {
            assert_eq!(parse_country(bad), None, "{bad}");
        }
    }

    fn event(endpoint: Value, parameters: Value) -> Value {
        json!({"Details": {"Parameters": parameters, "ContactData": {"Channel": "EMAIL",
            "CustomerEndpoint": endpoint}}})
    }

    fn email(value: &str, source: KeySource) -> Result<LookupKey, NoNumber> {
        Ok(LookupKey {
            value: value.to_owned(),
            source,
        })
    }

    #[test]
    fn email_keys_are_trimmed_and_lower_cased() {
        let endpoint =
            json!({"Type": "EMAIL_ADDRESS", "Address": " Eve.Moneypenny@Example.CO.UK "});
        let got = select_key(&event(endpoint.clone(), json!({})));
        assert_eq!(
            got,
            email("eve.moneypenny@example.co.uk", KeySource::EmailEndpoint)
        );
        assert_eq!(
            got.map(|k| k.table_key()).ok().as_deref(),
            Some("email:eve.moneypenny@example.co.uk")
        );
        // The parameter wins over the endpoint.
        let got = select_key(&event(endpoint, json!({"Email": "Q@Example.com"})));
        assert_eq!(got, email("q@example.com", KeySource::EmailParameter));
        // A chat with an e-mail parameter and no endpoint.
        let got = select_key(&event(json!(null), json!({"Email": " jo@example.com"})));
        assert_eq!(got, email("jo@example.com", KeySource::EmailParameter));
    }

    #[test]
    fn numbers_come_before_emails() {
        let phone = json!({"Type": "TELEPHONE_NUMBER", "Address": "+14155550100"});
        let got = select_key(&event(phone, json!({"Email": "jo@example.com"})));
        assert_eq!(got.map(|k| k.source), Ok(KeySource::CustomerEndpoint));
        let got = select_key(&event(
            json!(null),
            json!({"Email": "jo@example.com", "CalledNumber": "101"}),
        ));
        assert_eq!(got.map(|k| k.source), Ok(KeySource::Parameter));
        // A withheld number with an e-mail parameter: the e-mail.
        let withheld = json!({"Type": "TELEPHONE_NUMBER", "Address": "anonymous"});
        let got = select_key(&event(withheld.clone(), json!({"Email": "jo@example.com"})));
        assert_eq!(got.map(|k| k.source), Ok(KeySource::EmailParameter));
        assert_eq!(
            select_key(&event(withheld, json!({}))),
            Err(NoNumber::Withheld)
        );
    }

    #[test]
    fn unusable_emails_are_ignored() {
        for bad in [
            json!(""),
            json!("  "),
            json!("jane"),
            json!("@example.com"),
            json!("jane@"),
            json!("a@b@c"),
            json!("jane doe@example.com"),
            json!(7),
            json!(null),
            json!({"a": 1}),
        ] {
            let got = select_key(&event(json!(null), json!({"Email": bad.clone()})));
            assert_eq!(got, Err(NoNumber::Absent), "{bad}");
        }
        let chat = event(json!({"Type": "EMAIL_ADDRESS", "Address": null}), json!({}));
        assert_eq!(select_key(&chat), Err(NoNumber::Absent));
    }

    #[test]
    fn a_called_number_parameter_cannot_name_an_email_key() {
        let got = select_key(&event(
            json!(null),
            json!({"CalledNumber": "Email:jane@example.com"}),
        ));
        assert_eq!(got, Err(NoNumber::Absent));
    }

    #[test]
    fn emails_are_masked_to_the_first_letter_and_the_domain() {
        assert_eq!(mask_email("jane@example.com"), "j***@example.com");
        assert_eq!(mask_email("j@x.org"), "j@x.org");
        assert_eq!(mask_email("nodomain"), "********");
        let key = LookupKey {
            value: "eve@example.co.uk".into(),
            source: KeySource::EmailEndpoint,
        };
        assert_eq!(key.masked(), "e**@example.co.uk");
    }
}
