//! `bin/demo handler`: real lookups on this machine. Starts dynalite (a local DynamoDB) on a free
//! loopback port, or uses the DynamoDB at `--endpoint`, creates the customer table there, seeds
//! the sample customers, starts the `connect-lookup` binary against a local Lambda Runtime API,
//! invokes it with the Connect event fixtures and prints each answer. Everything it starts stops
//! when it ends.
//!
//! Usage: demo --binary <connect-lookup> [--endpoint http://127.0.0.1:<port>] [--table NAME]

#[path = "../tests/it/support.rs"]
mod support;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use handler::Timeouts;
use support::RuntimeApi;

struct Args {
    endpoint: Option<String>,
    binary: PathBuf,
    table: String,
}

fn parse_args() -> Result<Args, String> {
    let usage =
        "usage: demo --binary <connect-lookup> [--endpoint http://127.0.0.1:<port>] [--table NAME]";
    let (mut endpoint, mut binary, mut table) = (None, None, "Customers".to_owned());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value; {usage}"))
        };
        match arg.as_str() {
            "--endpoint" => endpoint = Some(value()?),
            "--binary" => binary = Some(PathBuf::from(value()?)),
            "--table" => table = value()?,
            _ => return Err(format!("unknown argument {arg}; {usage}")),
        }
    }
    Ok(Args {
        endpoint,
        binary: binary.ok_or(usage)?,
        table,
    })
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    // Without --endpoint, dynalite runs until the end of `run`.
    let (endpoint, _dynalite) = match args.endpoint.clone() {
        Some(endpoint) => (endpoint, None),
        None => {
            let dynalite = support::Dynalite::start()?;
            println!("dynalite on {}", dynalite.endpoint());
            (dynalite.endpoint(), Some(dynalite))
        }
    };
    let today = handler::today_utc();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(support::seed(
        &endpoint,
        &args.table,
        support::sample_customers(&today),
        Timeouts::default(),
    ))?;
    println!("Table {} at {endpoint}, seeded with:", args.table);
    for item in support::sample_customers(&today) {
        let mut names: Vec<&String> = item.keys().collect();
        names.sort();
        let fields: Vec<String> = names
            .into_iter()
            .map(|name| {
                format!(
                    "{name}={}",
                    handler::item::to_text(&item[name]).unwrap_or_default()
                )
            })
            .collect();
        println!("  {}", fields.join(" "));
    }

    let logs = tempfile::tempdir().map_err(|e| e.to_string())?;
    let log = logs.path().join("connect-lookup.log");
    let env = support::handler_env(&endpoint, &args.table);
    let api = RuntimeApi::start()?;
    let (function, started, ready) =
        support::start_function(&args.binary, &[], &api, &env, &log, Duration::from_secs(30))?;
    println!(
        "\nconnect-lookup ({}) ready for events {:.1} ms after exec\n",
        args.binary.display(),
        (ready - started).as_secs_f64() * 1e3
    );

    for name in support::fixture_names()? {
        let event = support::fixture(&name)?;
        let outcome = api.invoke(&event, Duration::from_secs(10))?;
        println!("{name}\n  {}", support::describe_event(&event));
        println!("{}", support::format_outcome(&outcome));
        println!();
    }
    drop(function);
    println!("The function's JSON logs (phone numbers masked):");
    let text = std::fs::read_to_string(&log).map_err(|e| e.to_string())?;
    for line in text.lines().take(4) {
        println!("  {line}");
    }

    // The Error branch: the same function pointed at a table that does not exist.
    let api = RuntimeApi::start()?;
    let mut env = env;
    env[0].1 = "NoSuchTable".to_owned();
    let (function, _, _) =
        support::start_function(&args.binary, &[], &api, &env, &log, Duration::from_secs(30))?;
    let event = support::fixture("connect-voice-inbound.json")?;
    let outcome = api.invoke(&event, Duration::from_secs(10))?;
    println!("\nconnect-voice-inbound.json with TABLE_NAME=NoSuchTable");
    println!("{}", support::format_outcome(&outcome));
    drop(function);
    Ok(())
}
