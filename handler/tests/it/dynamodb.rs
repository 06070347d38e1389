//! The lookup through the real aws-sdk-dynamodb against dynalite (started per test on a free
//! loopback port).

use std::collections::HashMap;
use std::net::{Ipv4Addr, TcpListener};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use handler::{DynamoDbStore, Error, Item, MAX_RESPONSE_BYTES, Mode, Response, Timeouts, handle};
use serde_json::json;

use crate::block_on;
use crate::fixtures::{TODAY, expected};
use crate::support::{self, Dynalite, fixture, fixture_names, sample_customers};

const TABLE: &str = "Customers";

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

fn voice(number: &str) -> serde_json::Value {
    json!({"Details": {"ContactData": {"CustomerEndpoint":
        {"Address": number, "Type": "TELEPHONE_NUMBER"}}}})
}

/// dynalite with the customer table holding `items`, and a store over it.
async fn seeded(dynalite: &Dynalite, items: Vec<Item>) -> DynamoDbStore {
    let timeouts = Timeouts::default();
    let client = support::seed(&dynalite.endpoint(), TABLE, items, timeouts)
        .await
        .expect("table created and seeded");
    DynamoDbStore::new(client, TABLE, timeouts.operation)
}

#[test]
fn fixtures_found_and_not_found() {
    let dynalite = Dynalite::start().expect("dynalite");
    block_on(async {
        let store = seeded(&dynalite, sample_customers(TODAY)).await;
        for name in fixture_names().expect("fixtures listed") {
            let event = fixture(&name).expect("fixture readable");
            let got = handle(&event, &store, Mode::Get).await;
            assert_eq!(got.ok(), expected(&name, TODAY), "{name}");
        }
    });
}

#[test]
fn every_attribute_type_becomes_a_string() {
    let dynalite = Dynalite::start().expect("dynalite");
    let item = Item::from([
        ("CalledNumber".to_owned(), s("+14155550101")),
        ("S".to_owned(), s("text ✓")),
        ("N".to_owned(), AttributeValue::N("-12.50".to_owned())),
        ("BOOL".to_owned(), AttributeValue::Bool(false)),
        ("NULL".to_owned(), AttributeValue::Null(true)),
        (
            "B".to_owned(),
            AttributeValue::B(Blob::new(vec![0, 255, 10])),
        ),
        (
            "SS".to_owned(),
            AttributeValue::Ss(vec!["b".to_owned(), "a".to_owned()]),
        ),
        (
            "NS".to_owned(),
            AttributeValue::Ns(vec!["10".to_owned(), "9".to_owned(), "1.5".to_owned()]),
        ),
        (
            "BS".to_owned(),
            AttributeValue::Bs(vec![Blob::new(b"y".to_vec()), Blob::new(b"x".to_vec())]),
        ),
        (
            "L".to_owned(),
            AttributeValue::L(vec![
                s("a"),
                AttributeValue::N("1".to_owned()),
                AttributeValue::Null(true),
            ]),
        ),
        (
            "M".to_owned(),
            AttributeValue::M(HashMap::from([
                ("z".to_owned(), AttributeValue::Bool(true)),
                ("a".to_owned(), AttributeValue::L(vec![])),
            ])),
        ),
        ("Bad Name".to_owned(), s("left out")),
        ("Bad.Name".to_owned(), s("left out")),
    ]);
    block_on(async {
        let store = seeded(&dynalite, vec![item]).await;
        let got = handle(&voice("+1 415 555 0101"), &store, Mode::Get)
            .await
            .expect("lookup");
        let want: Response = [
            ("B", "AP8K"),
            ("BOOL", "false"),
            ("BS", r#"["eA==","eQ=="]"#),
            ("CalledNumber", "+14155550101"),
            ("L", r#"["a",1,null]"#),
            ("LookupResult", "FOUND"),
            ("M", r#"{"a":[],"z":true}"#),
            ("MatchedBy", "CalledNumber"),
            ("N", "-12.5"),
            ("NS", "[1.5,9,10]"),
            ("NULL", ""),
            ("S", "text ✓"),
            ("SS", r#"["a","b"]"#),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        // DynamoDB normalises numbers (-12.50 is stored as -12.5); the handler keeps its text.
        assert_eq!(got, want);
    });
}

#[test]
fn oversized_items_are_truncated() {
    let dynalite = Dynalite::start().expect("dynalite");
    let mut item = Item::from([
        ("CalledNumber".to_owned(), s("+14155550102")),
        ("FirstName".to_owned(), s("Max")),
        ("LastName".to_owned(), s("Payne")),
        ("LastCallDate".to_owned(), s("2026-01-01")),
    ]);
    for i in 0..40 {
        item.insert(format!("Note{i:02}"), s(&"x".repeat(5_000)));
    }
    block_on(async {
        let store = seeded(&dynalite, vec![item]).await;
        let got = handle(&voice("+14155550102"), &store, Mode::Get)
            .await
            .expect("lookup");
        let size = serde_json::to_string(&got).expect("serializable").len();
        assert!(size <= MAX_RESPONSE_BYTES, "{size} bytes");
        assert_eq!(got["LookupTruncated"], "true");
        assert_eq!(got["LookupResult"], "FOUND");
        assert_eq!(got["FirstName"], "Max");
        assert_eq!(got["LastName"], "Payne");
        assert_eq!(got["LastCallDate"], "2026-01-01");
        // The notes that fit come in key order.
        assert!(got.contains_key("Note00") && got.contains_key("Note04"));
        assert!(!got.contains_key("Note39"));
    });
}

#[test]
fn a_missing_table_is_an_invocation_error() {
    let dynalite = Dynalite::start().expect("dynalite");
    block_on(async {
        let timeouts = Timeouts::default();
        let client = support::client(&dynalite.endpoint(), timeouts).await;
        let store = DynamoDbStore::new(client, "NoSuchTable", timeouts.operation);
        let got = handle(&voice("+14155550100"), &store, Mode::Get).await;
        match got {
            Err(Error::DynamoDb { detail, .. }) => {
                assert!(detail.contains("ResourceNotFoundException"), "{detail}");
            }
            other => panic!("expected a DynamoDB error, got {other:?}"),
        }
    });
}

#[test]
fn an_endpoint_that_is_down_fails_fast() {
    // A port nobody listens on: connections are refused, the bounded retries give up quickly.
    let port = support::free_port().expect("free port");
    block_on(async {
        let timeouts = Timeouts::default();
        let client = support::client(&format!("http://127.0.0.1:{port}"), timeouts).await;
        let store = DynamoDbStore::new(client, TABLE, timeouts.operation);
        let started = Instant::now();
        let got = handle(&voice("+14155550100"), &store, Mode::Get).await;
        let took = started.elapsed();
        assert!(
            matches!(got, Err(Error::DynamoDb { .. } | Error::Timeout { .. })),
            "{got:?}"
        );
        // Loose on purpose: the point is "no hang", well inside the 3 s function timeout.
        assert!(took < Duration::from_millis(2_900), "took {took:?}");
    });
}

#[test]
fn a_stalled_endpoint_times_out() {
    // Accepts connections and never answers: only the operation timeout ends the call.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let port = listener.local_addr().expect("addr").port();
    block_on(async {
        let timeouts = Timeouts {
            operation: Duration::from_millis(500),
            attempt: Duration::from_millis(300),
            ..Timeouts::default()
        };
        let client = support::client(&format!("http://127.0.0.1:{port}"), timeouts).await;
        let store = DynamoDbStore::new(client, TABLE, timeouts.operation);
        let started = Instant::now();
        let got = handle(&voice("+14155550100"), &store, Mode::Get).await;
        let took = started.elapsed();
        match got {
            Err(Error::Timeout { ref detail, .. }) => assert!(
                detail.contains("timed out") || detail.contains("timeout"),
                "{detail}"
            ),
            ref other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(
            took >= Duration::from_millis(450),
            "gave up too early: {took:?}"
        );
        assert!(took < Duration::from_millis(2_500), "took {took:?}");
    });
    drop(listener);
}

#[test]
fn update_last_call_date_returns_the_previous_values() {
    let dynalite = Dynalite::start().expect("dynalite");
    block_on(async {
        let store = seeded(&dynalite, sample_customers("2026-01-01")).await;
        let got = handle(&voice("101"), &store, Mode::Touch { today: TODAY })
            .await
            .expect("lookup");
        assert_eq!(got["LookupResult"], "FOUND");
        assert_eq!(got["FirstName"], "James");
        assert_eq!(got["LastCallDate"], "2026-01-01", "the previous value");
        let now = store
            .client()
            .get_item()
            .table_name(TABLE)
            .key("CalledNumber", s("101"))
            .send()
            .await
            .expect("GetItem")
            .item
            .expect("still there");
        assert_eq!(now.get("LastCallDate"), Some(&s(TODAY)));
        assert_eq!(now.get("FirstName"), Some(&s("James")));

        let missing = handle(&voice("+14155550199"), &store, Mode::Touch { today: TODAY })
            .await
            .expect("lookup");
        assert_eq!(missing["LookupResult"], "NOT_FOUND");
        let created = store
            .client()
            .get_item()
            .table_name(TABLE)
            .key("CalledNumber", s("+14155550199"))
            .send()
            .await
            .expect("GetItem")
            .item;
        assert!(
            created.is_none(),
            "an unknown caller must not create an item"
        );
    });
}

fn event_with(endpoint: serde_json::Value, parameters: serde_json::Value) -> serde_json::Value {
    json!({"Details": {"Parameters": parameters, "ContactData": {"Channel": "CHAT",
        "CustomerEndpoint": endpoint}}})
}

fn found_eve(got: &Response, matched_by: &str) {
    assert_eq!(got["LookupResult"], "FOUND", "{got:?}");
    assert_eq!(got["CalledNumber"], "+447700900123", "the primary number");
    assert_eq!(got["FirstName"], "Eve");
    assert_eq!(got["MatchedBy"], matched_by);
    assert!(!got.contains_key("AliasOf"));
}

#[test]
fn emails_second_numbers_and_chats_without_either() {
    let dynalite = Dynalite::start().expect("dynalite");
    block_on(async {
        let store = seeded(&dynalite, sample_customers(TODAY)).await;
        // The e-mail endpoint, in another case and with spaces.
        let endpoint = json!({"Type": "EMAIL_ADDRESS", "Address": " EVE.moneypenny@example.co.uk"});
        let got = handle(&event_with(endpoint, json!({})), &store, Mode::Get)
            .await
            .expect("lookup");
        found_eve(&got, "Email");
        // The e-mail parameter of a chat.
        let params = json!({"Email": "Eve.Moneypenny@Example.co.uk"});
        let got = handle(&event_with(json!(null), params), &store, Mode::Get)
            .await
            .expect("lookup");
        found_eve(&got, "Email");
        // A chat with neither.
        let got = handle(&event_with(json!(null), json!({})), &store, Mode::Get)
            .await
            .expect("lookup");
        assert_eq!(
            got,
            Response::from([("LookupResult".to_owned(), "NO_NUMBER".to_owned())])
        );
        // The second number, formatted.
        let got = handle(&voice("+44 7700 900456"), &store, Mode::Get)
            .await
            .expect("lookup");
        found_eve(&got, "CalledNumber");
    });
}

#[test]
fn national_numbers_with_a_default_country() {
    let dynalite = Dynalite::start().expect("dynalite");
    block_on(async {
        let store = seeded(&dynalite, sample_customers(TODAY)).await;
        let gb = crate::fixtures::gb();
        for name in fixture_names().expect("fixtures listed") {
            let event = fixture(&name).expect("fixture readable");
            let got = handler::handle_with(&event, &store, Mode::Get, &gb).await;
            assert_eq!(
                got.ok().and_then(handler::Output::into_flat),
                crate::fixtures::expected_with_default_country(&name, TODAY),
                "{name}"
            );
        }
        let got = handler::handle_with(&voice("07700 900456"), &store, Mode::Get, &gb)
            .await
            .ok()
            .and_then(handler::Output::into_flat)
            .expect("lookup");
        found_eve(&got, "CalledNumber");
    });
}

#[test]
fn broken_aliases_are_not_found() {
    let dynalite = Dynalite::start().expect("dynalite");
    let items = vec![
        support::alias("+14155550120", "+14155550199"), // the primary is missing
        support::alias("+14155550121", "+14155550120"), // an alias of an alias
        support::alias("+14155550122", "+14155550122"), // itself
        support::alias("email:gone@example.com", "+14155550199"),
    ];
    block_on(async {
        let store = seeded(&dynalite, items).await;
        for number in ["+14155550120", "+14155550121", "+14155550122"] {
            let got = handle(&voice(number), &store, Mode::Get)
                .await
                .expect("lookup");
            assert_eq!(got["LookupResult"], "NOT_FOUND", "{number}");
            assert_eq!(got["CalledNumber"], number);
        }
        let endpoint = json!({"Type": "EMAIL_ADDRESS", "Address": "gone@example.com"});
        let got = handle(&event_with(endpoint, json!({})), &store, Mode::Get)
            .await
            .expect("lookup");
        assert_eq!(got["LookupResult"], "NOT_FOUND");
        assert_eq!(got["Email"], "gone@example.com");
    });
}

#[test]
fn json_mode_keeps_the_types() {
    let dynalite = Dynalite::start().expect("dynalite");
    let item = Item::from([
        ("CalledNumber".to_owned(), s("+14155550101")),
        ("S".to_owned(), s("text ✓")),
        ("N".to_owned(), AttributeValue::N("-12.50".to_owned())),
        (
            "Big".to_owned(),
            AttributeValue::N("1234567890123456789012345".to_owned()),
        ),
        ("BOOL".to_owned(), AttributeValue::Bool(false)),
        ("NULL".to_owned(), AttributeValue::Null(true)),
        (
            "B".to_owned(),
            AttributeValue::B(Blob::new(vec![0, 255, 10])),
        ),
        (
            "SS".to_owned(),
            AttributeValue::Ss(vec!["b".to_owned(), "a".to_owned()]),
        ),
        (
            "NS".to_owned(),
            AttributeValue::Ns(vec!["10".to_owned(), "9".to_owned(), "1.5".to_owned()]),
        ),
        (
            "L".to_owned(),
            AttributeValue::L(vec![s("a"), AttributeValue::N("1".to_owned())]),
        ),
        (
            "M".to_owned(),
            AttributeValue::M(HashMap::from([(
                "z".to_owned(),
                AttributeValue::Bool(true),
            )])),
        ),
    ]);
    let json_mode = handler::Settings {
        format: handler::ResponseFormat::Json,
        ..handler::Settings::default()
    };
    block_on(async {
        let store = seeded(
            &dynalite,
            vec![item, support::alias("+14155550111", "+14155550101")],
        )
        .await;
        let got = handler::handle_with(&voice("+14155550111"), &store, Mode::Get, &json_mode)
            .await
            .expect("lookup");
        let got = serde_json::to_value(&got).expect("serializable");
        assert_eq!(
            got,
            json!({
                "B": "AP8K", "BOOL": false, "Big": "1234567890123456789012345",
                "CalledNumber": "+14155550101", "L": ["a", 1], "LookupResult": "FOUND",
                "M": {"z": true}, "MatchedBy": "CalledNumber", "N": -12.5, "NS": [1.5, 9, 10],
                "NULL": null, "S": "text ✓", "SS": ["a", "b"],
            })
        );
        let missing = handler::handle_with(&voice("+14155550199"), &store, Mode::Get, &json_mode)
            .await
            .expect("lookup");
        assert_eq!(
            serde_json::to_value(&missing).expect("serializable"),
            json!({"LookupResult": "NOT_FOUND", "CalledNumber": "+14155550199"})
        );
    });
}

#[test]
fn json_mode_respects_the_cap() {
    let dynalite = Dynalite::start().expect("dynalite");
    let mut item = Item::from([
        ("CalledNumber".to_owned(), s("+14155550102")),
        ("FirstName".to_owned(), s("Max")),
    ]);
    for i in 0..40 {
        item.insert(
            format!("Note{i:02}"),
            AttributeValue::L(vec![AttributeValue::N("12345".to_owned()); 900]),
        );
    }
    let json_mode = handler::Settings {
        format: handler::ResponseFormat::Json,
        ..handler::Settings::default()
    };
    block_on(async {
        let store = seeded(&dynalite, vec![item]).await;
        let got = handler::handle_with(&voice("+14155550102"), &store, Mode::Get, &json_mode)
            .await
            .expect("lookup");
        let size = serde_json::to_string(&got).expect("serializable").len();
        assert!(size <= MAX_RESPONSE_BYTES, "{size} bytes");
        assert_eq!(got.get_text("LookupTruncated").as_deref(), Some("true"));
        assert_eq!(got.get_text("FirstName").as_deref(), Some("Max"));
    });
}

#[test]
fn update_last_call_date_through_an_alias_touches_the_primary() {
    let dynalite = Dynalite::start().expect("dynalite");
    block_on(async {
        let store = seeded(&dynalite, sample_customers("2026-01-01")).await;
        let got = handle(
            &voice("+447700900456"),
            &store,
            Mode::Touch { today: TODAY },
        )
        .await
        .expect("lookup");
        found_eve(&got, "CalledNumber");
        assert_eq!(got["LastCallDate"], "2026-10-31", "the previous value");
        let now = store
            .client()
            .get_item()
            .table_name(TABLE)
            .key("CalledNumber", s("+447700900123"))
            .send()
            .await
            .expect("GetItem")
            .item
            .expect("still there");
        assert_eq!(now.get("LastCallDate"), Some(&s(TODAY)));
    });
}
