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
    fn masks_show_at_most_four_digits(key in "\\PC{0,30}") {
        let masked = event::mask(&key);
        prop_assert!(masked.chars().filter(char::is_ascii_digit).count() <= 4);
        prop_assert_eq!(masked.chars().count(), key.chars().count());
    }
}
