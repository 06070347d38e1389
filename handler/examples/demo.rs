//! `bin/demo`: real lookups on this machine. Creates the customer table in a running DynamoDB
//! (dynalite, started by `bin/demo`), seeds the sample customers, starts the `connect-lookup`
//! binary against a local Lambda Runtime API, invokes it with the Connect event fixtures and
//! prints each answer. Everything it starts stops when it ends.
//!
//! Usage: demo --endpoint http://127.0.0.1:<port> --binary <connect-lookup> [--table NAME]

#[path = "../tests/it/support.rs"]
mod support;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use handler::Timeouts;
use support::RuntimeApi;

struct Args {
    endpoint: String,
    binary: PathBuf,
    table: String,
}

fn parse_args() -> Result<Args, String> {
    let usage =
        "usage: demo --endpoint http://127.0.0.1:<port> --binary <connect-lookup> [--table NAME]";
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
        endpoint: endpoint.ok_or(usage)?,
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
    let today = handler::today_utc();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let client = support::client(&args.endpoint, Timeouts::default()).await;
        support::create_table(&client, &args.table).await?;
        support::put_items(&client, &args.table, support::sample_customers(&today)).await
    })?;
    println!("Table {} at {}, seeded with:", args.table, args.endpoint);
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
    let env = vec![
        (handler::TABLE_NAME_ENV.to_owned(), args.table.clone()),
        (
            "AWS_ENDPOINT_URL_DYNAMODB".to_owned(),
            args.endpoint.clone(),
        ),
        ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID".to_owned(), "demo".to_owned()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), "demo".to_owned()),
        ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
    ];
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
