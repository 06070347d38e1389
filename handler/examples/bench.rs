//! `bin/bench handler`: measures the lookup Lambda on this machine and prints a table.
//!
//! - cold start: exec of the native release binary until its first poll of the local Runtime
//!   API (median of runs), next to the exec of `/bin/true` as the anchor;
//! - warm latency, p50/p99: `handler::handle` with the DynamoDB store, next to a raw GetItem from
//!   the same client against the same dynalite (the anchor; overhead = the difference), and the
//!   full round trip through the local Runtime API for reference;
//! - peak RSS of the function process after the warm runs (`VmHWM`);
//! - the size of the arm64 `bootstrap.zip`.
//!
//! Usage: bench --binary <native connect-lookup> --zip <arm64 bootstrap.zip> [--runs N]
//! It measures; it asserts nothing (goals are printed beside the figures).

#[path = "../tests/it/support.rs"]
mod support;

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::AttributeValue;
use handler::{DynamoDbStore, Mode, Timeouts};
use support::{Dynalite, Outcome, RuntimeApi};

const TABLE: &str = "Customers";

struct Args {
    binary: PathBuf,
    zip: PathBuf,
    runs: usize,
}

fn parse_args() -> Result<Args, String> {
    let usage =
        "usage: bench --binary <native connect-lookup> --zip <arm64 bootstrap.zip> [--runs N]";
    let mut binary = None;
    let mut zip = None;
    let mut runs = 2000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value; {usage}"))
        };
        match arg.as_str() {
            "--binary" => binary = Some(PathBuf::from(value()?)),
            "--zip" => zip = Some(PathBuf::from(value()?)),
            "--runs" => {
                runs = value()?
                    .parse()
                    .map_err(|e| format!("--runs: {e}; {usage}"))?;
            }
            _ => return Err(format!("unknown argument {arg}; {usage}")),
        }
    }
    Ok(Args {
        binary: binary.ok_or(usage)?,
        zip: zip.ok_or(usage)?,
        runs: runs.max(10),
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    signed_ms(d.as_secs_f64())
}

fn signed_ms(seconds: f64) -> String {
    format!("{:.3} ms", seconds * 1e3)
}

fn ratio(value: f64, anchor: f64) -> String {
    if anchor > 0.0 {
        format!("{:.2}x", value / anchor)
    } else {
        "-".to_owned()
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let dynalite = Dynalite::start()?;
    let client = runtime.block_on(support::seed(
        &dynalite.endpoint(),
        TABLE,
        support::sample_customers(&handler::today_utc()),
        Timeouts::default(),
    ))?;
    let event = support::fixture("connect-voice-inbound.json")?;
    let logs = tempfile::tempdir().map_err(|e| e.to_string())?;
    let log = logs.path().join("function.log");
    let mut env = dynalite.handler_env(TABLE);
    env.push(("RUST_LOG".to_owned(), "warn".to_owned()));
    // The optional settings, passed through so their cost can be measured
    // (`DEFAULT_COUNTRY=GB bin/bench handler`).
    for name in ["DEFAULT_COUNTRY", "RESPONSE_FORMAT"] {
        if let Ok(value) = std::env::var(name) {
            env.push((name.to_owned(), value));
        }
    }

    // Anchor for process start: exec of /bin/true until it exits.
    let mut true_runs: Vec<Duration> = (0..20)
        .map(|_| {
            let start = Instant::now();
            let _ = Command::new("/bin/true").stdout(Stdio::null()).status();
            start.elapsed()
        })
        .collect();
    true_runs.sort();
    let exec_anchor = percentile(&true_runs, 0.5);

    // Cold start: exec until the first poll, and the first invocation after it.
    let mut colds = Vec::new();
    let mut firsts = Vec::new();
    for _ in 0..20 {
        let api = RuntimeApi::start()?;
        let (function, started, ready) =
            support::start_function(&args.binary, &[], &api, &env, &log, Duration::from_secs(30))?;
        colds.push(ready - started);
        let start = Instant::now();
        api.invoke(&event, Duration::from_secs(10))?;
        firsts.push(start.elapsed());
        drop(function);
    }
    colds.sort();
    firsts.sort();
    let cold = percentile(&colds, 0.5);
    let first = percentile(&firsts, 0.5);

    // Warm, through the Runtime API, and peak RSS of that process.
    let api = RuntimeApi::start()?;
    let (function, _, _) =
        support::start_function(&args.binary, &[], &api, &env, &log, Duration::from_secs(30))?;
    let mut round_trips = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        let start = Instant::now();
        match api.invoke(&event, Duration::from_secs(10))? {
            Outcome::Response(r) if r["LookupResult"] == "FOUND" => {}
            other => return Err(format!("unexpected answer {other:?}")),
        }
        round_trips.push(start.elapsed());
    }
    round_trips.sort();
    let rss_kib = peak_rss_kib(function.id()).ok_or("cannot read VmHWM of the function")?;
    drop(function);

    // Warm, in process: the handler vs a raw GetItem through the same client, interleaved.
    let store = DynamoDbStore::new(client.clone(), TABLE, Timeouts::default().operation);
    let (mut raws, mut handled) = (Vec::new(), Vec::new());
    runtime.block_on(async {
        for i in 0..(args.runs + args.runs / 10) {
            let start = Instant::now();
            let item = client
                .get_item()
                .table_name(TABLE)
                .key(
                    handler::KEY_ATTRIBUTE,
                    AttributeValue::S("+14155550100".to_owned()),
                )
                .send()
                .await
                .map_err(|e| {
                    format!(
                        "GetItem: {}",
                        aws_sdk_dynamodb::error::DisplayErrorContext(e)
                    )
                })?;
            let raw = start.elapsed();
            if item.item.is_none() {
                return Err("the seeded item is missing".to_owned());
            }
            let start = Instant::now();
            let response = handler::handle(&event, &store, Mode::Get)
                .await
                .map_err(|e| e.to_string())?;
            let full = start.elapsed();
            if response["LookupResult"] != "FOUND" {
                return Err(format!("unexpected answer {response:?}"));
            }
            if i >= args.runs / 10 {
                // the first tenth warms up
                raws.push(raw);
                handled.push(full);
            }
        }
        Ok::<(), String>(())
    })?;
    raws.sort();
    handled.sort();
    let (raw50, raw99) = (percentile(&raws, 0.5), percentile(&raws, 0.99));
    let (h50, h99) = (percentile(&handled, 0.5), percentile(&handled, 0.99));
    let (rt50, rt99) = (
        percentile(&round_trips, 0.5),
        percentile(&round_trips, 0.99),
    );
    // Signed: at p99 the handler's own GetItem can be the faster of the two.
    let overhead50 = h50.as_secs_f64() - raw50.as_secs_f64();
    let overhead99 = h99.as_secs_f64() - raw99.as_secs_f64();
    let zip_bytes = std::fs::metadata(&args.zip)
        .map_err(|e| {
            format!(
                "{}: {e} (build it with cargo lambda build --release --arm64 --output-format zip)",
                args.zip.display()
            )
        })?
        .len();
    let bootstrap_bytes = std::fs::metadata(args.zip.with_file_name("bootstrap"))
        .map(|m| m.len())
        .ok();

    let raw = raw50.as_secs_f64();
    let anchor = exec_anchor.as_secs_f64();
    println!("bin/bench handler — {}", support::machine());
    println!(
        "native x86_64 release binary ({}) against dynalite 4.0.0 on loopback; {} warm runs; cold start median of 20",
        args.binary.display(),
        args.runs
    );
    println!();
    println!("| metric | value | ratio to anchor | goal | |");
    println!("|---|---|---|---|---|");
    println!(
        "| anchor: exec of /bin/true (median) | {} | 1.00x | | |",
        ms(exec_anchor)
    );
    println!(
        "| cold start: exec to first poll of the Runtime API (median; max {}) | {} | {} vs exec | <= 15 ms | {} |",
        ms(colds[colds.len() - 1]),
        ms(cold),
        ratio(cold.as_secs_f64(), anchor),
        verdict(cold <= Duration::from_millis(15))
    );
    println!(
        "| first invocation after cold start, Runtime API round trip (median) | {} | {} vs raw GetItem p50 | | |",
        ms(first),
        ratio(first.as_secs_f64(), raw)
    );
    println!(
        "| anchor: raw GetItem, same client, p50 | {} | 1.00x | | |",
        ms(raw50)
    );
    println!(
        "| anchor: raw GetItem, same client, p99 | {} | {} | | |",
        ms(raw99),
        ratio(raw99.as_secs_f64(), raw)
    );
    println!(
        "| handler (event -> GetItem -> map), p50 | {} | {} | | |",
        ms(h50),
        ratio(h50.as_secs_f64(), raw)
    );
    println!(
        "| handler, p99 | {} | {} | | |",
        ms(h99),
        ratio(h99.as_secs_f64(), raw)
    );
    println!(
        "| overhead = handler - raw GetItem, p50 | {} | {} | <= 0.3 ms | {} |",
        signed_ms(overhead50),
        ratio(overhead50, raw),
        verdict(overhead50 <= 0.000_3)
    );
    println!(
        "| overhead, p99 | {} | {} | | |",
        signed_ms(overhead99),
        ratio(overhead99, raw)
    );
    println!(
        "| warm invocation through the local Runtime API (binary), p50 | {} | {} | | |",
        ms(rt50),
        ratio(rt50.as_secs_f64(), raw)
    );
    println!(
        "| warm invocation through the local Runtime API (binary), p99 | {} | {} | | |",
        ms(rt99),
        ratio(rt99.as_secs_f64(), raw)
    );
    println!(
        "| peak RSS of the function after {} invocations (VmHWM) | {:.1} MB | | <= 25 MB | {} |",
        args.runs + 1,
        rss_kib as f64 / 1024.0,
        verdict(rss_kib <= 25 * 1024)
    );
    println!(
        "| arm64 bootstrap.zip{} | {:.2} MB | | <= 3 MB | {} |",
        bootstrap_bytes.map_or(String::new(), |b| format!(
            " (bootstrap {:.2} MB)",
            b as f64 / 1e6
        )),
        zip_bytes as f64 / 1e6,
        verdict(zip_bytes <= 3_000_000)
    );
    println!();
    println!(
        "MB = 10^6 bytes for files, 2^20 bytes for RSS. Latency is the native x86_64 build; the arm64 \
         binary is only sized here (under qemu its timings would measure the emulator)."
    );
    drop(dynalite);
    Ok(())
}
