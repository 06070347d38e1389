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

use local::{Cdk, LocalFunction, Moto};
use serde_json::Value;

/// The events to look up: a known caller, the original sample's `101` passed as a parameter, an
/// unknown caller, a chat with no number, and the four ways a customer of the sample CSV is
/// found besides a number: an email contact, a chat passing an email, a national number (the
/// stack is deployed with `defaultCountry=GB`) and a customer's second number.
const EVENTS: [&str; 8] = [
    "connect-voice-inbound.json",
    "connect-parameters-override.json",
    "connect-voice-transfer.json",
    "connect-chat-null-endpoint.json",
    "connect-email-inbound.json",
    "connect-chat-email-parameter.json",
    "connect-voice-national-number.json",
    "connect-voice-second-number.json",
];

/// The customers imported into the deployed table.
const CUSTOMERS_CSV: &str = "tests/fixtures/customers.csv";

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
    let outputs = cdk.deploy(&[("defaultCountry", "GB")])?;

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

    step("Importing the customers into the deployed table (bin/customers import)");
    let table_name = outputs
        .get("TableName")
        .ok_or("the stack has no TableName output")?;
    let importer = binary.with_file_name("customers");
    let csv = app::project_root().join(CUSTOMERS_CSV);
    let imported = std::process::Command::new(&importer)
        .arg("import")
        .arg(&csv)
        .args(["--table", table_name, "--default-country", "GB"])
        .envs(moto.dynamodb_env())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", importer.display()))?;
    if !imported.status.success() {
        return Err(format!(
            "{} import failed: {}",
            importer.display(),
            String::from_utf8_lossy(&imported.stderr)
        ));
    }
    println!(
        "{CUSTOMERS_CSV}: {}",
        String::from_utf8_lossy(&imported.stdout).trim()
    );

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
