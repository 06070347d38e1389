//! Unit tests of `handle` over the in-memory store.

use super::*;
use aws_sdk_dynamodb::types::AttributeValue;
use proptest::prelude::*;
use serde_json::json;

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime always builds")
        .block_on(future)
}

/// A store that always fails, for testing the error path.
#[derive(Debug)]
struct FailingStore;

impl Store for FailingStore {
    async fn get(&self, _key: &str) -> Result<Option<Item>, Error> {
        Err(Error::DynamoDb {
            operation: "GetItem",
            table: "test".to_owned(),
            detail: "simulated failure".to_owned(),
        })
    }

    async fn get_and_touch(&self, key: &str, _today: &str) -> Result<Option<Item>, Error> {
        self.get(key).await
    }
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

fn bond() -> MemoryStore {
    MemoryStore::new([Item::from([
        ("CalledNumber".to_owned(), s("101")),
        ("FirstName".to_owned(), s("James")),
        ("LastName".to_owned(), s("Bond")),
        ("LastCallDate".to_owned(), s("2026-01-01")),
        ("Visits".to_owned(), AttributeValue::N("7".into())),
    ])])
}

fn voice(number: &str) -> Value {
    json!({"Details": {"Parameters": {}, "ContactData": {"Channel": "VOICE",
        "CustomerEndpoint": {"Address": number, "Type": "TELEPHONE_NUMBER"}}}})
}

fn response(pairs: &[(&str, &str)]) -> Response {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn found() {
    let got = block_on(handle(&voice(" 1-0-1 "), &bond(), Mode::Get)).ok();
    assert_eq!(
        got,
        Some(response(&[
            ("CalledNumber", "101"),
            ("FirstName", "James"),
            ("LastCallDate", "2026-01-01"),
            ("LastName", "Bond"),
            ("LookupResult", "FOUND"),
            ("MatchedBy", "CalledNumber"),
            ("Visits", "7"),
        ]))
    );
}

#[test]
fn not_found_echoes_the_normalised_key() {
    let got = block_on(handle(&voice("0044 7700 900123"), &bond(), Mode::Get)).ok();
    assert_eq!(
        got,
        Some(response(&[
            ("CalledNumber", "+447700900123"),
            ("LookupResult", "NOT_FOUND")
        ]))
    );
}

#[test]
fn no_number() {
    for event in [json!({}), voice("anonymous"), json!([1, 2])] {
        let got = block_on(handle(&event, &bond(), Mode::Get)).ok();
        assert_eq!(
            got,
            Some(response(&[("LookupResult", "NO_NUMBER")])),
            "{event}"
        );
    }
}

#[test]
fn store_failures_are_errors() {
    let got = block_on(handle(&voice("101"), &FailingStore, Mode::Get));
    assert!(matches!(got, Err(Error::DynamoDb { .. })), "{got:?}");
    let diagnostic = lambda_runtime::Diagnostic::from(got.expect_err("checked above"));
    assert_eq!(diagnostic.error_type, "DynamoDbError");
    assert!(diagnostic.error_message.contains("simulated failure"));
}

#[test]
fn touch_returns_the_previous_values_and_records_today() {
    let store = bond();
    let got = block_on(handle(
        &voice("101"),
        &store,
        Mode::Touch {
            today: "2026-11-25",
        },
    ))
    .ok();
    assert_eq!(
        got.as_ref().map(|r| r["LastCallDate"].as_str()),
        Some("2026-01-01")
    );
    assert_eq!(
        store
            .item("101")
            .and_then(|i| i.get("LastCallDate").cloned()),
        Some(s("2026-11-25"))
    );
    let missing = block_on(handle(&voice("102"), &store, Mode::Touch { today: "x" })).ok();
    assert_eq!(
        missing.as_ref().map(|r| r["LookupResult"].as_str()),
        Some("NOT_FOUND")
    );
    assert!(store.item("102").is_none(), "touch must not create items");
}

#[test]
fn dates() {
    assert_eq!(date_from_unix_days(0), "1970-01-01");
    assert_eq!(date_from_unix_days(11_016), "2000-02-29");
    assert_eq!(date_from_unix_days(20_517), "2026-03-05");
    assert_eq!(date_from_unix_days(20_597), "2026-05-24");
    assert_eq!(today_utc().len(), 10);
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,20}".prop_map(Value::from),
        prop_oneof![
            Just("TELEPHONE_NUMBER"),
            Just("+14155550100"),
            Just("101"),
            Just("anonymous"),
            Just("00 44 (0) 20"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        let key = prop_oneof![
            Just("Details".to_owned()),
            Just("Parameters".to_owned()),
            Just("ContactData".to_owned()),
            Just("CustomerEndpoint".to_owned()),
            Just("CalledNumber".to_owned()),
            Just("Address".to_owned()),
            Just("Type".to_owned()),
            "\\PC{0,8}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
            proptest::collection::btree_map(key, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_json_event_gets_a_valid_answer(event in any_json()) {
        let got = block_on(handle(&event, &bond(), Mode::Get));
        let got = got.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let result = got.get("LookupResult").map(String::as_str);
        prop_assert!(matches!(result, Some("FOUND" | "NOT_FOUND" | "NO_NUMBER")), "{:?}", got);
    }

    #[test]
    fn normalising_twice_changes_nothing(key in "[+0-9 ().-]{0,20}|\\PC{0,20}") {
        let once = event::normalise(key.trim());
        prop_assert_eq!(event::normalise(&once), once.clone());
    }

    #[test]
    fn any_json_event_gets_a_valid_answer_in_json_mode_with_a_country(event in any_json()) {
        let settings = Settings {
            normaliser: Normaliser { default_country: Some(phonenumber::country::Id::GB) },
            format: ResponseFormat::Json,
        };
        let got = block_on(handle_with(&event, &doe(), Mode::Get, &settings));
        let got = got.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let result = got.get_text("LookupResult");
        prop_assert!(matches!(result.as_deref(), Some("FOUND" | "NOT_FOUND" | "NO_NUMBER")), "{:?}", got);
    }

    #[test]
    fn normalising_with_a_country_twice_changes_nothing(key in "[+0-9 ().-]{0,20}") {
        let gb = Some(phonenumber::country::Id::GB);
        let once = normalise_number(key.trim(), gb);
        prop_assert_eq!(normalise_number(&once, gb), once.clone());
    }

    #[test]
    fn masks_show_at_most_four_digits(key in "\\PC{0,30}") {
        let masked = event::mask(&key);
        prop_assert!(masked.chars().filter(char::is_ascii_digit).count() <= 4);
        prop_assert_eq!(masked.chars().count(), key.chars().count());
    }
}

/// Jane Doe with a second number and an e-mail alias, plus broken aliases.
fn doe() -> MemoryStore {
    MemoryStore::new([
        Item::from([
            ("CalledNumber".to_owned(), s("+14155550100")),
            ("FirstName".to_owned(), s("Jane")),
            ("Visits".to_owned(), AttributeValue::N("7".into())),
            ("Vip".to_owned(), AttributeValue::Bool(true)),
        ]),
        Item::from([
            ("CalledNumber".to_owned(), s("+14155550111")),
            ("AliasOf".to_owned(), s("+14155550100")),
        ]),
        Item::from([
            ("CalledNumber".to_owned(), s("email:jane@example.com")),
            ("AliasOf".to_owned(), s("+14155550100")),
        ]),
        Item::from([
            ("CalledNumber".to_owned(), s("+14155550122")),
            ("AliasOf".to_owned(), s("+14155550199")),
        ]),
        Item::from([
            ("CalledNumber".to_owned(), s("+14155550133")),
            ("AliasOf".to_owned(), s("+14155550111")),
        ]),
        Item::from([
            ("CalledNumber".to_owned(), s("+14155550144")),
            ("AliasOf".to_owned(), s("+14155550144")),
        ]),
    ])
}

fn email_event(address: &str) -> Value {
    json!({"Details": {"Parameters": {}, "ContactData": {"Channel": "EMAIL",
        "CustomerEndpoint": {"Address": address, "Type": "EMAIL_ADDRESS"}}}})
}

#[test]
fn any_number_or_email_of_a_customer_finds_the_primary() {
    let jane = response(&[
        ("CalledNumber", "+14155550100"),
        ("FirstName", "Jane"),
        ("LookupResult", "FOUND"),
        ("MatchedBy", "CalledNumber"),
        ("Vip", "true"),
        ("Visits", "7"),
    ]);
    let got = block_on(handle(&voice("+14155550100"), &doe(), Mode::Get)).ok();
    assert_eq!(got.as_ref(), Some(&jane));
    let got = block_on(handle(&voice("+1 415 555 0111"), &doe(), Mode::Get)).ok();
    assert_eq!(got.as_ref(), Some(&jane), "the second number");
    let mut by_email = jane.clone();
    by_email.insert("MatchedBy".into(), "Email".into());
    let got = block_on(handle(
        &email_event(" Jane@Example.COM "),
        &doe(),
        Mode::Get,
    ))
    .ok();
    assert_eq!(got, Some(by_email));
}

#[test]
fn broken_aliases_are_not_found_and_never_loop() {
    for number in ["+14155550122", "+14155550133", "+14155550144"] {
        let got = block_on(handle(&voice(number), &doe(), Mode::Get)).ok();
        assert_eq!(
            got,
            Some(response(&[
                ("CalledNumber", number),
                ("LookupResult", "NOT_FOUND")
            ])),
            "{number}"
        );
    }
    let got = block_on(handle(
        &email_event("nobody@example.com"),
        &doe(),
        Mode::Get,
    ))
    .ok();
    assert_eq!(
        got,
        Some(response(&[
            ("Email", "nobody@example.com"),
            ("LookupResult", "NOT_FOUND")
        ]))
    );
}

#[test]
fn resolve_reads_at_most_twice() {
    use std::cell::Cell;
    let store = doe();
    for (key, reads, want_found) in [
        ("+14155550100", 1, true),
        ("+14155550111", 2, true),
        ("+14155550122", 2, false),
        ("+14155550133", 2, false),
        ("+14155550144", 1, false),
        ("+19999999999", 1, false),
    ] {
        let count = Cell::new(0);
        let read = |k: String| {
            count.set(count.get() + 1);
            let store = &store;
            async move { store.get(&k).await }
        };
        let got = block_on(resolve(read, key.to_owned()));
        assert_eq!(count.get(), reads, "{key}");
        assert_eq!(
            matches!(got, Ok(Resolved::Found { .. })),
            want_found,
            "{key}: {got:?}"
        );
    }
}

#[test]
fn touch_through_an_alias_records_the_date_on_the_primary() {
    let store = doe();
    let got = block_on(handle(
        &voice("+14155550111"),
        &store,
        Mode::Touch {
            today: "2026-12-07",
        },
    ))
    .ok();
    assert_eq!(
        got.as_ref().map(|r| r["CalledNumber"].as_str()),
        Some("+14155550100")
    );
    assert_eq!(
        store
            .item("+14155550100")
            .and_then(|i| i.get("LastCallDate").cloned()),
        Some(s("2026-12-07"))
    );
}

#[test]
fn default_country_normalises_national_numbers() {
    let store = MemoryStore::new([Item::from([
        ("CalledNumber".to_owned(), s("+447700900123")),
        ("FirstName".to_owned(), s("Eve")),
    ])]);
    let gb = Settings {
        normaliser: Normaliser {
            default_country: Some(phonenumber::country::Id::GB),
        },
        format: ResponseFormat::Flat,
    };
    let got = block_on(handle_with(&voice("07700 900123"), &store, Mode::Get, &gb)).ok();
    assert_eq!(
        got.and_then(|o| o.get_text("FirstName")).as_deref(),
        Some("Eve")
    );
    let got = block_on(handle(&voice("07700 900123"), &store, Mode::Get)).ok();
    assert_eq!(
        got,
        Some(response(&[
            ("CalledNumber", "07700900123"),
            ("LookupResult", "NOT_FOUND")
        ]))
    );
}

#[test]
fn json_mode_keeps_types() {
    let json_mode = Settings {
        format: ResponseFormat::Json,
        ..Settings::default()
    };
    let got = block_on(handle_with(
        &voice("+14155550111"),
        &doe(),
        Mode::Get,
        &json_mode,
    ));
    let got = serde_json::to_value(got.ok()).ok();
    assert_eq!(
        got,
        Some(json!({"CalledNumber": "+14155550100", "FirstName": "Jane",
            "LookupResult": "FOUND", "MatchedBy": "CalledNumber", "Vip": true, "Visits": 7}))
    );
    for (event, want) in [
        (json!({}), json!({"LookupResult": "NO_NUMBER"})),
        (
            voice("+14155550199"),
            json!({"LookupResult": "NOT_FOUND", "CalledNumber": "+14155550199"}),
        ),
    ] {
        let got = block_on(handle_with(&event, &doe(), Mode::Get, &json_mode));
        assert_eq!(serde_json::to_value(got.ok()).ok(), Some(want));
    }
}
