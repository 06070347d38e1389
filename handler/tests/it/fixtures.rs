//! Every fixture through the lookup with the in-memory store, and the expected answers that the
//! other modules reuse.

use handler::{
    MemoryStore, Mode, Normaliser, Output, Response, ResponseFormat, Settings, handle, handle_with,
};

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
        ("MatchedBy", "CalledNumber"),
    ]);
    let doe = map(&[
        ("CalledNumber", "+14155550100"),
        ("FirstName", "Jane"),
        ("LastCallDate", "2026-11-02"),
        ("LastName", "Doe"),
        ("LookupResult", "FOUND"),
        ("MatchedBy", "CalledNumber"),
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
        ("MatchedBy", "CalledNumber"),
        ("PreferredLanguage", "en-GB"),
    ]);
    let mut moneypenny_by_email = moneypenny.clone();
    moneypenny_by_email.insert("MatchedBy".to_owned(), "Email".to_owned());
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
        // No customer has this address.
        "connect-email-address-endpoint.json" => {
            map(&[("Email", "jane@example.com"), ("LookupResult", "NOT_FOUND")])
        }
        "connect-email-inbound.json" => moneypenny_by_email,
        "connect-chat-email-parameter.json" => moneypenny_by_email,
        "connect-voice-second-number.json" => moneypenny,
        // Without DEFAULT_COUNTRY (these expectations are for the default settings) the
        // national number is looked up as it is; see `expected_with_default_country`.
        "connect-voice-national-number.json" => map(&[
            ("CalledNumber", "07700900123"),
            ("LookupResult", "NOT_FOUND"),
        ]),
        _ => return None,
    })
}

/// The answer to each fixture with `DEFAULT_COUNTRY=GB`: the national number is found, every
/// other fixture answers as with the default settings.
pub fn expected_with_default_country(name: &str, today: &str) -> Option<Response> {
    if name == "connect-voice-national-number.json" {
        return expected("connect-voice-outbound.json", today);
    }
    expected(name, today)
}

/// The settings for `DEFAULT_COUNTRY=GB`.
pub fn gb() -> Settings {
    Settings {
        normaliser: Normaliser {
            default_country: handler::event::parse_country("GB"),
        },
        format: ResponseFormat::Flat,
    }
}

#[test]
fn fixtures_with_a_default_country() {
    let store = MemoryStore::new(sample_customers(TODAY));
    for name in fixture_names().expect("fixtures listed") {
        let event = fixture(&name).expect("fixture readable");
        let got = block_on(handle_with(&event, &store, Mode::Get, &gb()));
        assert_eq!(
            got.ok().and_then(Output::into_flat),
            expected_with_default_country(&name, TODAY),
            "{name}"
        );
    }
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
