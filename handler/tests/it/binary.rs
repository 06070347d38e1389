//! The `connect-lookup` binary (the debug build cargo made for these tests) against the local
//! Runtime API and dynalite: the wiring in `main.rs`, the logs, start-up failures.

use std::path::Path;
use std::time::Duration;

use serde_json::json;

use crate::block_on;
use crate::fixtures::{TODAY, expected};
use crate::support::{
    self, Dynalite, Outcome, RuntimeApi, fixture, fixture_names, sample_customers,
};

const BINARY: &str = env!("CARGO_BIN_EXE_connect-lookup");
const TABLE: &str = "Customers";

fn seed(dynalite: &Dynalite, today: &str) {
    block_on(support::seed(
        &dynalite.endpoint(),
        TABLE,
        sample_customers(today),
        handler::Timeouts::default(),
    ))
    .expect("table created and seeded");
}

/// The binary started against `api` with `env`, logging to the returned file (in the returned
/// directory); the guard ends it.
fn start(
    api: &RuntimeApi,
    env: &[(String, String)],
) -> (impl Sized + use<>, tempfile::TempDir, std::path::PathBuf) {
    let logs = tempfile::tempdir().expect("temp dir");
    let log = logs.path().join("function.log");
    let (function, _, _) = support::start_function(
        Path::new(BINARY),
        &[],
        api,
        env,
        &log,
        Duration::from_secs(30),
    )
    .expect("function started");
    (function, logs, log)
}

#[test]
fn answers_every_fixture_and_logs_json_with_masked_numbers() {
    let dynalite = Dynalite::start().expect("dynalite");
    seed(&dynalite, TODAY);
    let api = RuntimeApi::start().expect("runtime API");
    let (_function, _logs, log) = start(&api, &dynalite.handler_env(TABLE));
    for name in fixture_names().expect("fixtures listed") {
        let event = fixture(&name).expect("fixture readable");
        let got = api.invoke(&event, Duration::from_secs(30)).expect("answer");
        let want = expected(&name, TODAY).map(|r| Outcome::Response(json!(r)));
        assert_eq!(Some(got), want, "{name}");
    }
    let text = std::fs::read_to_string(&log).expect("log readable");
    let lookups: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["fields"]["message"] == "lookup done")
        .collect();
    assert_eq!(
        lookups.len(),
        fixture_names().expect("fixtures").len(),
        "{text}"
    );
    assert!(
        lookups.iter().any(|l| l["fields"]["key"] == "+*******0100"),
        "masked key missing: {text}"
    );
    for number in ["4155550100", "7700900123", "4155550142", "7700900456"] {
        assert!(
            !text.contains(number),
            "unmasked {number} in the logs:\n{text}"
        );
    }
    assert!(
        lookups
            .iter()
            .any(|l| l["fields"]["key"] == "e*************@example.co.uk"),
        "masked address missing: {text}"
    );
    assert!(
        !text.to_lowercase().contains("moneypenny@"),
        "unmasked address in the logs:\n{text}"
    );
}

#[test]
fn default_country_and_json_mode_through_the_binary() {
    let dynalite = Dynalite::start().expect("dynalite");
    seed(&dynalite, TODAY);
    let api = RuntimeApi::start().expect("runtime API");
    let mut env = dynalite.handler_env(TABLE);
    env.push(("DEFAULT_COUNTRY".to_owned(), "GB".to_owned()));
    env.push(("RESPONSE_FORMAT".to_owned(), "json".to_owned()));
    let (_function, _logs, _log) = start(&api, &env);
    let event = fixture("connect-voice-national-number.json").expect("fixture");
    let got = api.invoke(&event, Duration::from_secs(30)).expect("answer");
    let want = json!({"CalledNumber": "+447700900123", "FirstName": "Eve",
        "Languages": ["en", "fr"], "LastCallDate": "2026-10-31", "LastName": "Moneypenny",
        "LookupResult": "FOUND", "MatchedBy": "CalledNumber", "PreferredLanguage": "en-GB"});
    assert_eq!(got, Outcome::Response(want));
    let event = fixture("connect-voice-inbound.json").expect("fixture");
    let got = api.invoke(&event, Duration::from_secs(30)).expect("answer");
    let want = json!({"CalledNumber": "+14155550100", "FirstName": "Jane",
        "LastCallDate": "2026-11-02", "LastName": "Doe", "LookupResult": "FOUND",
        "MatchedBy": "CalledNumber", "Tier": "gold", "Vip": true, "Visits": 7});
    assert_eq!(got, Outcome::Response(want));
}

#[test]
fn bad_new_settings_stop_the_function_at_start() {
    for (name, value) in [("DEFAULT_COUNTRY", "UK"), ("RESPONSE_FORMAT", "xml")] {
        let api = RuntimeApi::start().expect("runtime API");
        let logs = tempfile::tempdir().expect("temp dir");
        let log = logs.path().join("function.log");
        let mut env = support::handler_env("http://127.0.0.1:9", TABLE);
        env.push((name.to_owned(), value.to_owned()));
        let err = support::start_function(
            Path::new(BINARY),
            &[],
            &api,
            &env,
            &log,
            Duration::from_secs(10),
        )
        .expect_err("the function must not start");
        assert!(err.contains(name) && err.contains(value), "{err}");
        assert!(err.contains("expected"), "{err}");
        assert!(
            err.contains("exited with exit status: 1"),
            "the process must exit: {err}"
        );
    }
}

#[test]
fn a_missing_table_name_stops_the_function_at_start() {
    let api = RuntimeApi::start().expect("runtime API");
    let logs = tempfile::tempdir().expect("temp dir");
    let log = logs.path().join("function.log");
    let env = [("AWS_REGION".to_owned(), "us-east-1".to_owned())];
    let err = support::start_function(
        Path::new(BINARY),
        &[],
        &api,
        &env,
        &log,
        Duration::from_secs(10),
    )
    .expect_err("the function must not start");
    assert!(err.contains("TABLE_NAME is not set"), "{err}");
    assert!(
        err.contains("exited with exit status: 1"),
        "the process must exit: {err}"
    );
}

#[test]
fn dynamodb_failures_are_invocation_errors() {
    let api = RuntimeApi::start().expect("runtime API");
    let port = support::free_port().expect("free port");
    // Nothing listens on `port`: every DynamoDB call fails to connect.
    let env = support::handler_env(&format!("http://127.0.0.1:{port}"), "Customers");
    let (_function, _logs, _log) = start(&api, &env);
    let event = fixture("connect-voice-inbound.json").expect("fixture");
    let got = api.invoke(&event, Duration::from_secs(10)).expect("answer");
    match got {
        Outcome::Error(body) => {
            assert_eq!(body["errorType"], "DynamoDbError", "{body}");
            let message = body["errorMessage"].as_str().unwrap_or_default();
            assert!(
                message.contains("GetItem") && message.contains("Customers"),
                "{message}"
            );
        }
        other => panic!("expected an invocation error, got {other:?}"),
    }
    // The chat fixture needs no lookup, so it still answers.
    let chat = fixture("connect-chat-null-endpoint.json").expect("fixture");
    let got = api.invoke(&chat, Duration::from_secs(10)).expect("answer");
    assert_eq!(got, Outcome::Response(json!({"LookupResult": "NO_NUMBER"})));
}

#[test]
fn update_last_call_date_records_today() {
    let dynalite = Dynalite::start().expect("dynalite");
    seed(&dynalite, "2026-01-01");
    let api = RuntimeApi::start().expect("runtime API");
    let mut env = dynalite.handler_env(TABLE);
    env.push(("UPDATE_LAST_CALL_DATE".to_owned(), "true".to_owned()));
    let (_function, _logs, _log) = start(&api, &env);
    let event = fixture("connect-parameters-override.json").expect("fixture");
    let first = api.invoke(&event, Duration::from_secs(10)).expect("answer");
    let second = api.invoke(&event, Duration::from_secs(10)).expect("answer");
    let date = |outcome: &Outcome| match outcome {
        Outcome::Response(r) => r["LastCallDate"].as_str().map(str::to_owned),
        Outcome::Error(_) => None,
    };
    let today = handler::today_utc();
    assert_eq!(date(&first).as_deref(), Some("2026-01-01"), "{first:?}");
    assert_eq!(
        date(&second),
        Some(today),
        "the first call recorded today: {second:?}"
    );
}
