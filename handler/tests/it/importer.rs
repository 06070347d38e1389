//! The `customers` importer: its library against dynalite, and the binary end to end.

use std::path::Path;
use std::process::Command;

use aws_sdk_dynamodb::Client;
use handler::import::{self, ImportOptions, Summary};
use handler::{MemoryStore, Mode, Timeouts, handle};

use crate::block_on;
use crate::fixtures::{TODAY, expected};
use crate::support::{self, Dynalite, fixture, fixture_names, root};

const BINARY: &str = env!("CARGO_BIN_EXE_customers");
const TABLE: &str = "Customers";

fn options(file: &Path) -> ImportOptions {
    ImportOptions {
        file: file.to_path_buf(),
        table: TABLE.to_owned(),
        default_country: None,
        dry_run: false,
        skip_invalid: false,
    }
}

async fn empty_table(dynalite: &Dynalite) -> Client {
    support::seed(&dynalite.endpoint(), TABLE, vec![], Timeouts::default())
        .await
        .expect("table")
}

async fn scan(client: &Client) -> Vec<handler::Item> {
    let mut items = client
        .scan()
        .table_name(TABLE)
        .send()
        .await
        .expect("Scan")
        .items
        .unwrap_or_default();
    items.sort_by_key(|i| format!("{:?}", i.get("CalledNumber")));
    items
}

fn csv(text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), text).expect("written");
    file
}

#[test]
fn the_sample_file_imports_and_answers_the_fixtures() {
    let dynalite = Dynalite::start().expect("dynalite");
    let path = root().join("tests/fixtures/customers.csv");
    block_on(async {
        let client = empty_table(&dynalite).await;
        let summary = import::run(&options(&path), &client, |_| {})
            .await
            .expect("import");
        assert_eq!(
            summary,
            Summary {
                read: 3,
                written: 5,
                skipped: 0,
                failed: 0
            }
        );
        let first = scan(&client).await;
        // A rerun changes nothing.
        let again = import::run(&options(&path), &client, |_| {})
            .await
            .expect("import");
        assert_eq!(again.read, 3);
        assert_eq!(scan(&client).await, first);
        // The imported table answers the alias fixtures like the sample customers.
        let store = MemoryStore::new(first);
        for name in [
            "connect-email-inbound.json",
            "connect-chat-email-parameter.json",
            "connect-voice-second-number.json",
            "connect-parameters-override.json",
        ] {
            let event = fixture(name).expect("fixture");
            let got = handle(&event, &store, Mode::Get).await.expect("lookup");
            let want = expected(name, TODAY).expect("expected");
            for key in ["LookupResult", "MatchedBy", "CalledNumber", "FirstName"] {
                assert_eq!(got.get(key), want.get(key), "{name}: {key}");
            }
        }
        assert!(fixture_names().expect("names").len() > 4);
    });
}

#[test]
fn malformed_files_are_rejected_naming_line_and_column() {
    let cases = [
        (
            "FirstName,LastName\nJane,Doe\n",
            1,
            "CalledNumber",
            "no CalledNumber column",
        ),
        (
            "CalledNumber,FirstName\n+14155550100,Jane\nnot-a-number,Joe\n",
            3,
            "CalledNumber",
            "is not a phone number",
        ),
        (
            "CalledNumber,Email\n+14155550100,jane.example.com\n",
            2,
            "Email",
            "is not an e-mail address",
        ),
        (
            "CalledNumber,FirstName\n+14155550100,Jane\n+1 415 555 0100,Joe\n",
            3,
            "CalledNumber",
            "already used by line 2",
        ),
        (
            "CalledNumber,FirstName\n+14155550100;+14155550111,Jane\n+14155550122;+14155550111,Joe\n",
            3,
            "CalledNumber",
            "already used by line 2",
        ),
        (
            "CalledNumber,Email\n+14155550100,a@example.com\n+14155550111,A@Example.com\n",
            3,
            "Email",
            "already used by line 2",
        ),
        (
            "CalledNumber,FirstName\n,Jane\n",
            2,
            "CalledNumber",
            "primary number",
        ),
        (
            "CalledNumber,FirstName\n;+14155550100,Jane\n",
            2,
            "CalledNumber",
            "primary number",
        ),
        (
            "CalledNumber,FirstName\n+14155550100,Jane,extra\n",
            2,
            "-",
            "cannot read the row",
        ),
        (
            "CalledNumber,First Name\n+14155550100,Jane\n",
            1,
            "First Name",
            "[A-Za-z0-9_-]",
        ),
        (
            "CalledNumber,AliasOf\n+14155550100,x\n",
            1,
            "AliasOf",
            "reserved",
        ),
    ];
    let dynalite = Dynalite::start().expect("dynalite");
    block_on(async {
        let client = empty_table(&dynalite).await;
        for (text, line, column, words) in cases {
            let file = csv(text);
            let err = import::run(&options(file.path()), &client, |_| {})
                .await
                .expect_err(text);
            let message = err.to_string();
            assert!(
                message.contains(&format!("line {line}, column {column}:"))
                    && message.contains(words),
                "{text:?}: {message}"
            );
            assert!(scan(&client).await.is_empty(), "{text:?} wrote something");
        }
    });
}

#[test]
fn dry_run_writes_nothing_and_skip_invalid_imports_the_rest() {
    let dynalite = Dynalite::start().expect("dynalite");
    let file = csv("CalledNumber,FirstName,Email\n\
         +14155550100;+14155550111,Jane,jane@example.com\n\
         12ab,Bad,\n\
         07700 900123,Eve,\n");
    block_on(async {
        let client = empty_table(&dynalite).await;
        let mut dry = options(file.path());
        dry.dry_run = true;
        dry.skip_invalid = true;
        let summary = import::run(&dry, &client, |_| {}).await.expect("dry run");
        assert_eq!((summary.read, summary.written, summary.skipped), (3, 0, 1));
        assert!(scan(&client).await.is_empty());

        let mut skip = options(file.path());
        skip.skip_invalid = true;
        skip.default_country = handler::event::parse_country("GB");
        let mut reported = vec![];
        let mut batches = vec![];
        let summary = import::run(&skip, &client, |event| match event {
            import::Event::Skipped(e) => reported.push(e.line),
            import::Event::Written { done, total } => batches.push((done, total)),
        })
        .await
        .expect("import");
        assert_eq!(
            summary,
            Summary {
                read: 3,
                written: 4,
                skipped: 1,
                failed: 0
            }
        );
        assert_eq!(reported, [3]);
        assert_eq!(batches, [(4, 4)], "one batch of four items, reported once");
        let keys: Vec<String> = scan(&client)
            .await
            .iter()
            .filter_map(|i| i.get("CalledNumber")?.as_s().ok().cloned())
            .collect();
        assert_eq!(
            keys,
            [
                "+14155550100",
                "+14155550111",
                "+447700900123",
                "email:jane@example.com"
            ]
        );
    });
}

#[test]
fn more_than_one_batch() {
    let dynalite = Dynalite::start().expect("dynalite");
    let mut text = String::from("CalledNumber,FirstName\n");
    for i in 0..60 {
        text.push_str(&format!("+1415555{i:04};+1415666{i:04},Name{i}\n"));
    }
    let file = csv(&text);
    block_on(async {
        let client = empty_table(&dynalite).await;
        let summary = import::run(&options(file.path()), &client, |_| {})
            .await
            .expect("import");
        assert_eq!(
            (summary.read, summary.written, summary.failed),
            (60, 120, 0)
        );
        assert_eq!(scan(&client).await.len(), 120);
    });
}

#[test]
fn the_binary_imports_with_the_endpoint_from_the_environment() {
    let dynalite = Dynalite::start().expect("dynalite");
    block_on(async {
        empty_table(&dynalite).await;
    });
    let path = root().join("tests/fixtures/customers.csv");
    let run = |extra: &[&str]| {
        Command::new(BINARY)
            .arg("import")
            .arg(&path)
            .args(["--table", TABLE])
            .args(extra)
            .env("AWS_ENDPOINT_URL", dynalite.endpoint())
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("customers runs")
    };
    let out = run(&["--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.contains("read 3 rows, wrote 0 items"), "{stdout}");
    let out = run(&["--default-country", "GB"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("read 3 rows, wrote 5 items, skipped 0 rows, failed 0 items"),
        "{stdout}"
    );
    let out = Command::new(BINARY)
        .args(["import"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: customers import"));
}

/// A DynamoDB endpoint on loopback that answers each `BatchWriteItem` with every item of it
/// unprocessed, `refusals` times, then takes them all: what DynamoDB does when a table is
/// throttled. Returns its endpoint and the number of calls it answered.
fn throttling_endpoint(
    refusals: usize,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::atomic::Ordering;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = calls.clone();
    std::thread::spawn(move || {
        // Bounded: the test makes a handful of calls.
        for stream in listener.incoming().take(16).flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let request: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let call = counted.fetch_add(1, Ordering::SeqCst);
            let answer = if call < refusals {
                serde_json::json!({ "UnprocessedItems": request["RequestItems"] })
            } else {
                serde_json::json!({ "UnprocessedItems": {} })
            }
            .to_string();
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (endpoint, calls)
}

#[test]
fn unprocessed_items_are_retried_with_backoff_until_written() {
    let (endpoint, calls) = throttling_endpoint(2);
    let items: Vec<handler::Item> = (0..3)
        .map(|i| {
            handler::Item::from([(
                "CalledNumber".to_owned(),
                aws_sdk_dynamodb::types::AttributeValue::S(format!("+4420{i:08}")),
            )])
        })
        .collect();
    let (written, failed) = block_on(async {
        let client = support::client(&endpoint, Timeouts::default()).await;
        import::write_items(
            &client,
            TABLE,
            items,
            std::time::Duration::from_millis(1),
            |_, _| {},
        )
        .await
    })
    .expect("written");
    assert_eq!((written, failed), (3, 0));
    assert_eq!(
        calls.load(std::sync::atomic::Ordering::SeqCst),
        3,
        "two refusals, then the retry that took them"
    );

    // A table that never takes them: given up after the attempts, counted as failed.
    let (endpoint, calls) = throttling_endpoint(usize::MAX);
    let one = vec![handler::Item::from([(
        "CalledNumber".to_owned(),
        aws_sdk_dynamodb::types::AttributeValue::S("+442000000001".into()),
    )])];
    let (written, failed) = block_on(async {
        let client = support::client(&endpoint, Timeouts::default()).await;
        import::write_items(
            &client,
            TABLE,
            one,
            std::time::Duration::from_millis(1),
            |_, _| {},
        )
        .await
    })
    .expect("an answer");
    assert_eq!((written, failed), (0, 1));
    assert_eq!(
        calls.load(std::sync::atomic::Ordering::SeqCst),
        import::MAX_BATCH_ATTEMPTS as usize
    );
}
