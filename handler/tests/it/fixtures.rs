//! Every fixture through the lookup with the in-memory store, and the expected answers that the
//! other modules reuse.

use handler::{MemoryStore, Mode, Response, handle};

use crate::block_on;
use crate::support::{self, fixture, fixture_names, sample_customers};

/// The date the tests store as "today" for James Bond.
pub const TODAY: &str = "2026-11-25";

fn map(pairs: &[(&str, &str)]) -> Response {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The answer to each fixture over [`sample_customers`]`(today)`.
pub fn expected(name: &str, today: &str) -> Option<Response> {
    let bond = map(&[
        ("CalledNumber", "101"),
        ("FirstName", "James"),
        ("LastCallDate", today),
        ("LastName", "Bond"),
        ("LookupResult", "FOUND"),
    ]);
    let doe = map(&[
        ("CalledNumber", "+14155550100"),
        ("FirstName", "Jane"),
        ("LastCallDate", "2026-11-02"),
        ("LastName", "Doe"),
        ("LookupResult", "FOUND"),
        ("Tier", "gold"),
        ("Vip", "true"),
        ("Visits", "7"),
    ]);
    let moneypenny = map(&[
        ("CalledNumber", "+447700900123"),
        ("FirstName", "Eve"),
        ("Languages", r#"["en","fr"]"#),
        ("LastCallDate", "2026-10-31"),
        ("LastName", "Moneypenny"),
        ("LookupResult", "FOUND"),
        ("PreferredLanguage", "en-GB"),
    ]);
    let no_number = map(&[("LookupResult", "NO_NUMBER")]);
    Some(match name {
        "connect-voice-inbound.json" => doe,
        "connect-voice-outbound.json" => moneypenny,
        "connect-voice-transfer.json" => map(&[
            ("CalledNumber", "+14155550142"),
            ("LookupResult", "NOT_FOUND"),
        ]),
        "connect-chat-null-endpoint.json" => no_number,
        "connect-task-no-endpoints.json" => no_number,
        "connect-parameters-override.json" => bond,
        "connect-parameters-non-string.json" => bond,
        "connect-parameters-formatted-number.json" => moneypenny,
        "connect-voice-withheld.json" => no_number,
        "connect-email-address-endpoint.json" => no_number,
        _ => return None,
    })
}

#[test]
fn every_fixture_has_an_expected_answer() {
    let names = fixture_names().expect("fixtures listed");
    assert!(names.len() >= 8, "fixtures missing: {names:?}");
    for name in names {
        assert!(
            expected(&name, TODAY).is_some(),
            "{name}: add its expected answer to handler/tests/it/fixtures.rs"
        );
    }
}

#[test]
fn fixtures_give_the_expected_answers() {
    let store = MemoryStore::new(sample_customers(TODAY));
    for name in fixture_names().expect("fixtures listed") {
        let event = fixture(&name).expect("fixture readable");
        let got = block_on(handle(&event, &store, Mode::Get));
        assert_eq!(got.ok(), expected(&name, TODAY), "{name}");
    }
}

#[test]
fn the_strict_typed_model_would_have_rejected_some_fixtures() {
    // Why the handler reads events as serde_json::Value: the shapes below are what Connect sends
    // for chat, tasks and JSON parameters, and a model with a required endpoint object and
    // string-only Parameters cannot read them.
    for name in [
        "connect-chat-null-endpoint.json",
        "connect-task-no-endpoints.json",
        "connect-parameters-non-string.json",
    ] {
        let event = fixture(name).expect("fixture readable");
        let details = &event["Details"];
        let endpoint_is_object = details["ContactData"]["CustomerEndpoint"].is_object();
        let params_all_strings = details["Parameters"]
            .as_object()
            .is_some_and(|p| p.values().all(serde_json::Value::is_string));
        assert!(!endpoint_is_object || !params_all_strings, "{name}");
    }
    assert!(support::fixture_path("connect-voice-inbound.json").is_file());
}
