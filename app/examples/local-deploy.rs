//! `bin/demo`: the main job on this machine, with no AWS account. Starts moto server (a local AWS
//! emulator) on loopback, synthesizes the stack with the pinned CDK CLI, bootstraps the
//! emulator's account and deploys the stack to it, shows what the emulator holds, seeds two
//! customers into the deployed table, runs the handler binary here as the deployed function
//! (its environment, the emulator as its DynamoDB) with a few Connect events, and prints each
//! answer and the stack outputs. Everything it starts stops when it ends, also on Ctrl-C.
//!
//! Usage: local-deploy (after `bin/cdk-build` and `cargo build -p handler --bin connect-lookup`;
//! `bin/demo` does both)

#[path = "../tests/local/mod.rs"]
mod local;

use std::collections::BTreeMap;
use std::process::ExitCode;

use local::{Cdk, LocalFunction, Moto, block_on};
use serde_json::Value;

/// The events to look up: a known caller, the original sample's `101` passed as a parameter, an
/// unknown caller, and a chat with no number.
const EVENTS: [&str; 4] = [
    "connect-voice-inbound.json",
    "connect-parameters-override.json",
    "connect-voice-transfer.json",
    "connect-chat-null-endpoint.json",
];

fn main() -> ExitCode {
    if std::env::args().len() > 1 {
        eprintln!("usage: local-deploy (no arguments; bin/demo builds and runs it)");
        return ExitCode::from(2);
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nlocal-deploy: {e}");
            ExitCode::FAILURE
        }
    }
}

fn step(title: &str) {
    println!("\n=== {title}");
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

fn run() -> Result<(), String> {
    if let Some(notice) = local::node_notice() {
        println!("{notice}");
    }
    let binary = local::handler_binary()?;
    let moto = Moto::start()?;
    step(&format!(
        "moto server (the AWS emulator) on {}, pid {}",
        moto.endpoint(),
        moto.pid()
    ));
    let work = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let cdk = Cdk::new(&moto, work.path(), true)?;

    step("cdk synth");
    let template = cdk.synth()?;
    let mut types = BTreeMap::<String, usize>::new();
    for resource in template["Resources"]
        .as_object()
        .into_iter()
        .flat_map(|r| r.values())
    {
        *types.entry(text(&resource["Type"])).or_default() += 1;
    }
    println!(
        "{} synthesized into {}:",
        app::STACK_ID,
        cdk.assembly().display()
    );
    for (ty, n) in &types {
        println!("  {n} x {ty}");
    }

    step("cdk bootstrap");
    cdk.bootstrap()?;
    step("cdk deploy (with the three workarounds moto needs; README, \"Deploying locally\")");
    let outputs = cdk.deploy(&[])?;

    step("What the emulator holds (CloudFormation, DynamoDB and Lambda APIs)");
    let deployed = moto.describe(app::STACK_ID)?;
    let (table, function) = (&deployed["Table"], &deployed["Function"]);
    println!(
        "stack     {}  {}",
        app::STACK_ID,
        text(&deployed["Stack"]["StackStatus"])
    );
    println!(
        "table     {}  key {} ({}), {}",
        text(&table["TableName"]),
        text(&table["KeySchema"][0]["AttributeName"]),
        text(&table["AttributeDefinitions"][0]["AttributeType"]),
        text(&table["BillingModeSummary"]["BillingMode"])
    );
    println!(
        "function  {}  {}, handler {}, {} MB, {} s, environment {}",
        text(&function["FunctionName"]),
        text(&function["Runtime"]),
        text(&function["Handler"]),
        function["MemorySize"],
        function["Timeout"],
        function["Environment"]["Variables"]
    );
    let statement = &deployed["Policy"]["Statement"][0];
    println!(
        "may call  {} {}, when {}",
        text(&statement["Principal"]["Service"]),
        text(&statement["Action"]),
        statement["Condition"]
    );

    step("Seeding the deployed table");
    let table_name = outputs
        .get("TableName")
        .ok_or("the stack has no TableName output")?;
    let today = app::today_utc();
    let rows: [&[(&str, &str)]; 2] = [
        &[
            ("CalledNumber", "101"),
            ("FirstName", "James"),
            ("LastName", "Bond"),
            ("LastCallDate", &today),
        ],
        &[
            ("CalledNumber", "+14155550100"),
            ("FirstName", "Jane"),
            ("LastName", "Doe"),
            ("LastCallDate", "2026-11-02"),
        ],
    ];
    block_on(async {
        let client = moto.dynamodb();
        for row in rows {
            local::put_row(&client, table_name, row).await?;
        }
        Ok::<(), String>(())
    })?;
    for row in rows {
        let fields: Vec<String> = row.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!("  {}", fields.join(" "));
    }

    step("Lookups: the handler binary, run here as the deployed function");
    let lookup = LocalFunction::start(&binary, function, &moto)?;
    println!(
        "{} with the deployed function's environment, AWS_ENDPOINT_URL_DYNAMODB={}\n",
        binary.display(),
        moto.ip_endpoint()
    );
    for name in EVENTS {
        let event = testkit::fixture(name)?;
        let outcome = lookup.invoke(&event)?;
        println!("{name}\n  {}", testkit::describe_event(&event));
        println!("{}\n", testkit::format_outcome(&outcome));
    }
    drop(lookup);

    step("Stack outputs");
    for (key, value) in &outputs {
        println!("{}.{key} = {value}", app::STACK_ID);
    }
    println!("\nDone; stopping moto server.");
    Ok(())
}
