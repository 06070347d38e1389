//! Local stand-ins for the cloud, shared by the integration tests, `examples/demo.rs` and
//! `examples/bench.rs` (they include this file with `#[path]`): dynalite started on a free
//! loopback port, an SDK client and sample customers for it, and the handler's paths. The
//! process guards, the minimal Lambda Runtime API and the fixtures come from the `testkit`
//! crate (shared with the app's tests) and are re-exported here. Everything started is stopped
//! on drop.
//!
//! Missing tools (node, dynalite, cargo-lambda, qemu) are errors naming `bin/setup`, never a
//! reason to skip.

// Each includer uses a different part of this file.
#![allow(dead_code, unused_imports)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{Credentials, Region};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType, TableStatus,
};
use handler::{Item, KEY_ATTRIBUTE, Timeouts};

pub use testkit::{
    ChildGuard, GroupGuard, Outcome, Result, RuntimeApi, describe_event, fixture, fixture_names,
    fixture_path, format_outcome, free_port, root, run_with_timeout, start_function, tool_path,
    wait_for_port,
};

/// Where cargo-lambda writes the function binary: [`handler::BOOTSTRAP_PATH`] under the
/// workspace root, or under `CARGO_TARGET_DIR` when that is set.
pub fn bootstrap_path() -> PathBuf {
    testkit::target_path(handler::BOOTSTRAP_PATH)
}

/// The project's cargo-lambda (installed by `bin/setup` into `.venv`).
pub fn cargo_lambda() -> Result<PathBuf> {
    testkit::installed_tool(
        ".venv/bin/cargo-lambda",
        "the pinned cargo-lambda into .venv",
    )
}

/// dynalite (an in-memory DynamoDB written for Node) on a free loopback port, stopped on drop
/// (also if this process dies: see `testkit::tethered`).
#[derive(Debug)]
pub struct Dynalite {
    server: GroupGuard,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Dynalite {
    /// Starts dynalite from the project's `node_modules` and waits until it listens.
    pub fn start() -> Result<Self> {
        let cli = root().join("node_modules/dynalite/cli.js");
        if !cli.is_file() {
            return Err(format!(
                "dynalite not found at {}: run bin/setup (npm ci installs it from package-lock.json)",
                cli.display()
            ));
        }
        let log =
            tempfile::NamedTempFile::new().map_err(|e| format!("cannot create a log: {e}"))?;
        let (server, port) = testkit::spawn_on_free_port(
            "dynalite",
            Duration::from_secs(15),
            |port| {
                let out = log
                    .reopen()
                    .map_err(|e| format!("cannot open the log: {e}"))?;
                let err = out.try_clone().map_err(|e| e.to_string())?;
                let mut command = testkit::tethered("node");
                command
                    .arg(&cli)
                    .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                    .args([
                        "--createTableMs",
                        "0",
                        "--deleteTableMs",
                        "0",
                        "--updateTableMs",
                        "0",
                    ])
                    .stdout(out)
                    .stderr(err);
                Ok(command)
            },
            || {
                let output = std::fs::read_to_string(log.path()).unwrap_or_default();
                format!(
                    " (is Node.js 20 or newer installed? then run bin/setup); its output:\n{output}"
                )
            },
        )?;
        Ok(Dynalite { server, port, log })
    }

    /// `http://127.0.0.1:<port>`: an IP literal, so nothing resolves DNS.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Environment variables that point the handler binary (or `cargo lambda watch`) here.
    pub fn handler_env(&self, table: &str) -> Vec<(String, String)> {
        handler_env(&self.endpoint(), table)
    }
}

/// Environment variables that point the handler binary at the DynamoDB at `endpoint`, with
/// fixed test credentials and region.
pub fn handler_env(endpoint: &str, table: &str) -> Vec<(String, String)> {
    [
        (handler::TABLE_NAME_ENV, table),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// An SDK client for `endpoint` with the handler's timeout and retry settings, fixed test
/// credentials and region.
pub async fn client(endpoint: &str, timeouts: Timeouts) -> Client {
    let sdk = timeouts
        .sdk_loader()
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .load()
        .await;
    Client::new(&sdk)
}

/// Creates the customer table (partition key `CalledNumber`, string) and waits until it is active.
pub async fn create_table(client: &Client, table: &str) -> Result<()> {
    client
        .create_table()
        .table_name(table)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(KEY_ATTRIBUTE)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name(KEY_ATTRIBUTE)
                .key_type(KeyType::Hash)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .map_err(|e| {
            format!(
                "CreateTable {table}: {}",
                aws_sdk_dynamodb::error::DisplayErrorContext(e)
            )
        })?;
    for _ in 0..500 {
        let status = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .ok()
            .and_then(|d| d.table?.table_status);
        if status == Some(TableStatus::Active) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Err(format!("table {table} did not become active"))
}

/// A client for `endpoint` (with `timeouts`), after creating `table` there and writing `items`.
pub async fn seed(
    endpoint: &str,
    table: &str,
    items: Vec<Item>,
    timeouts: Timeouts,
) -> Result<Client> {
    let client = client(endpoint, timeouts).await;
    create_table(&client, table).await?;
    put_items(&client, table, items).await?;
    Ok(client)
}

/// Writes `items` with PutItem.
pub async fn put_items(client: &Client, table: &str, items: Vec<Item>) -> Result<()> {
    for item in items {
        client
            .put_item()
            .table_name(table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| {
                format!(
                    "PutItem {table}: {}",
                    aws_sdk_dynamodb::error::DisplayErrorContext(e)
                )
            })?;
    }
    Ok(())
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

/// The sample customers: the original AWS sample's row `101` / James / Bond (last call
/// `today`), and two E.164 callers with a few more attribute types. Eve Moneypenny
/// (`+447700900123`) also has a second number and an e-mail address, as alias items (the same
/// customers as `tests/fixtures/customers.csv`).
pub fn sample_customers(today: &str) -> Vec<Item> {
    vec![
        Item::from([
            ("CalledNumber".to_owned(), s("101")),
            ("FirstName".to_owned(), s("James")),
            ("LastName".to_owned(), s("Bond")),
            ("LastCallDate".to_owned(), s(today)),
        ]),
        Item::from([
            ("CalledNumber".to_owned(), s("+14155550100")),
            ("FirstName".to_owned(), s("Jane")),
            ("LastName".to_owned(), s("Doe")),
            ("LastCallDate".to_owned(), s("2026-11-02")),
            ("Tier".to_owned(), s("gold")),
            ("Visits".to_owned(), AttributeValue::N("7".to_owned())),
            ("Vip".to_owned(), AttributeValue::Bool(true)),
        ]),
        Item::from([
            ("CalledNumber".to_owned(), s("+447700900123")),
            ("FirstName".to_owned(), s("Eve")),
            ("LastName".to_owned(), s("Moneypenny")),
            ("LastCallDate".to_owned(), s("2026-10-31")),
            ("PreferredLanguage".to_owned(), s("en-GB")),
            (
                "Languages".to_owned(),
                AttributeValue::Ss(vec!["fr".to_owned(), "en".to_owned()]),
            ),
        ]),
        alias("+447700900456", "+447700900123"),
        alias(
            &format!("{}eve.moneypenny@example.co.uk", handler::EMAIL_KEY_PREFIX),
            "+447700900123",
        ),
    ]
}

/// An alias item: `key` (another number, or an e-mail key) stands for the customer `primary`.
pub fn alias(key: &str, primary: &str) -> Item {
    Item::from([
        (KEY_ATTRIBUTE.to_owned(), s(key)),
        (handler::ALIAS_ATTRIBUTE.to_owned(), s(primary)),
    ])
}

/// The machine a benchmark ran on, for its table: CPU, cores, memory, load.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    // Other work on the machine shows in the tails; say how busy it was.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    format!("{cpu}, {cores} cores, {mem_gib:.0} GiB, x86_64 Linux, load average {load} at the end")
}
