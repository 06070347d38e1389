//! `bin/bench import [--rows N]`: the customers importer (`handler::import`, what
//! `bin/customers import` runs) loading a generated CSV of N rows (default 100,000; every tenth
//! customer with a second number and an email, so alias items too) into dynalite, next to the
//! anchor: plain `BatchWriteItem` calls of the same items, 25 at a time, from the same client,
//! with no parsing, validation or retries (the floor any importer has against this dynalite).
//! Prints one table: items, seconds, rows and items per second, importer ÷ anchor. Not a test:
//! nothing is asserted about time.

#[path = "../tests/it/support.rs"]
mod support;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use handler::Timeouts;
use handler::import::{self, ImportOptions};
use support::Dynalite;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench import: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--rows N`.
fn rows_arg() -> Result<usize, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => Ok(100_000),
        [flag, n] if flag == "--rows" => n
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("--rows takes a positive number, not {n:?}")),
        _ => Err("usage: import_bench [--rows N]".to_owned()),
    }
}

/// A CSV of `rows` customers with distinct London numbers.
fn csv(rows: usize) -> String {
    let mut out = String::from("CalledNumber,FirstName,LastName,LastCallDate,Email\n");
    for i in 0..rows {
        let primary = format!("+4420{:08}", i * 2);
        if i % 10 == 0 {
            let second = format!("+4420{:08}", i * 2 + 1);
            let _ = writeln!(
                out,
                "{primary};{second},First{i},Last{i},2026-12-07,customer{i}@example.com"
            );
        } else {
            let _ = writeln!(out, "{primary},First{i},Last{i},2026-12-07,");
        }
    }
    out
}

fn run() -> Result<(), String> {
    let rows = rows_arg()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("customers.csv");
    std::fs::write(&file, csv(rows)).map_err(|e| e.to_string())?;

    let importer = Dynalite::start()?;
    let client = runtime.block_on(support::seed(
        &importer.endpoint(),
        "Import",
        Vec::new(),
        Timeouts::default(),
    ))?;
    let options = ImportOptions {
        file: file.clone(),
        table: "Import".to_owned(),
        default_country: None,
        dry_run: false,
        skip_invalid: false,
    };
    let started = Instant::now();
    let summary = runtime
        .block_on(import::run(&options, &client, |_| {}))
        .map_err(|e| e.to_string())?;
    let imported = started.elapsed();
    drop(importer);

    // The anchor: the same number of items, written as plainly as possible, on a fresh dynalite.
    let anchor = Dynalite::start()?;
    let client = runtime.block_on(support::seed(
        &anchor.endpoint(),
        "Anchor",
        Vec::new(),
        Timeouts::default(),
    ))?;
    let items: Vec<WriteRequest> = (0..summary.written)
        .map(|i| {
            let item = HashMap::from([
                (
                    "CalledNumber".to_owned(),
                    AttributeValue::S(format!("+4420{i:08}")),
                ),
                (
                    "FirstName".to_owned(),
                    AttributeValue::S(format!("First{i}")),
                ),
                ("LastName".to_owned(), AttributeValue::S(format!("Last{i}"))),
                (
                    "LastCallDate".to_owned(),
                    AttributeValue::S("2026-12-07".into()),
                ),
            ]);
            let put = PutRequest::builder().set_item(Some(item)).build();
            put.map(|p| WriteRequest::builder().put_request(p).build())
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    runtime.block_on(async {
        for batch in items.chunks(import::BATCH_SIZE) {
            client
                .batch_write_item()
                .request_items("Anchor", batch.to_vec())
                .send()
                .await
                .map_err(|e| format!("BatchWriteItem: {e}"))?;
        }
        Ok::<(), String>(())
    })?;
    let raw = started.elapsed();
    drop(anchor);

    let per_second = |n: usize, secs: f64| n as f64 / secs;
    let (imp, raw) = (imported.as_secs_f64(), raw.as_secs_f64());
    println!(
        "customers import: {rows} rows ({} items) into dynalite 4.0.0 on loopback, release build",
        summary.written
    );
    println!("machine: {}", support::machine());
    println!();
    println!("| what | items | seconds | rows/s | items/s | seconds ÷ anchor |");
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| `customers import` (parse, validate, batch, retry) | {} | {imp:.2} | {:.0} | {:.0} | {:.2} |",
        summary.written,
        per_second(summary.read, imp),
        per_second(summary.written, imp),
        imp / raw
    );
    println!(
        "| anchor: plain BatchWriteItem, 25 a call | {} | {raw:.2} | | {:.0} | 1.00 |",
        summary.written,
        per_second(summary.written, raw)
    );
    if summary.failed > 0 || summary.skipped > 0 {
        println!(
            "\n{} items failed, {} rows skipped",
            summary.failed, summary.skipped
        );
    }
    Ok(())
}
