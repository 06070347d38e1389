//! `cdk synth` as a CDK user runs it: the real CDK CLI pinned in package.json, from the project
//! root, through `cdk.json` (its `app`, bin/app, has cargo-lambda build the function and
//! cargo the app when something changed, then runs the Rust binary). Each run writes to a private output
//! directory. Needs `bin/setup` (node_modules, .venv with cargo-lambda).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use testkit::{installed_tool, root};

/// `cdk <args>` from the project root, writing to `out`.
fn cdk(out: &Path, args: &[&str]) -> Output {
    let root = root();
    let cli = installed_tool("node_modules/.bin/cdk", "the pinned CDK CLI (npm ci)")
        .unwrap_or_else(|e| panic!("{e}"));
    installed_tool(
        ".venv/bin/cargo-lambda",
        "the pinned cargo-lambda into .venv",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Command::new(cli)
        .args(args)
        .arg("--output")
        .arg(out)
        .current_dir(&root)
        .env("CDK_DISABLE_VERSION_CHECK", "1")
        .env("CDK_DISABLE_CLI_TELEMETRY", "1")
        .arg("--no-notices")
        .output()
        .expect("run the CDK CLI")
}

fn template(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("ConnectLookupStack.template.json"))
        .expect("the CLI wrote the template");
    serde_json::from_str(&text).expect("template JSON")
}

fn types(t: &Value) -> Vec<String> {
    let mut v: Vec<String> = t["Resources"]
        .as_object()
        .expect("resources")
        .values()
        .filter_map(|r| r["Type"].as_str().map(str::to_owned))
        .collect();
    v.sort();
    v
}

/// Runs the pinned cfn-lint on a template: no errors, and no warnings but W3005 (CDK writes an
/// explicit `DependsOn` on the function's role that a `GetAtt` already implies; every CDK app
/// with a Lambda function has it).
fn assert_cfn_lint_clean(template: &Path) {
    let cfn_lint = installed_tool(".venv/bin/cfn-lint", "the pinned cfn-lint into .venv")
        .unwrap_or_else(|e| panic!("{e}"));
    let o = Command::new(cfn_lint)
        .args(["--format", "parseable"])
        .arg(template)
        .output()
        .expect("run cfn-lint");
    let report = String::from_utf8_lossy(&o.stdout);
    let code = o.status.code().unwrap_or(-1);
    assert!(
        code >= 0 && code & 2 == 0,
        "cfn-lint found errors (exit {code}):\n{report}"
    );
    let rules: Vec<&str> = report.lines().filter_map(|l| l.split(':').nth(5)).collect();
    assert!(
        rules.iter().all(|r| *r == "W3005"),
        "cfn-lint findings beyond W3005:\n{report}"
    );
}

fn assert_success(o: &Output) {
    assert!(
        o.status.success(),
        "cdk failed ({}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn cdk_synth_with_validation_prints_and_writes_the_stack() {
    let out = tempfile::tempdir().expect("tempdir");
    let o = cdk(out.path(), &["synth"]);
    assert_success(&o);
    // The template goes to stdout as YAML; the app itself stays quiet there.
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("Type: AWS::DynamoDB::Table"), "{stdout}");
    assert!(
        stdout.contains("Type: AWS::Connect::IntegrationAssociation"),
        "{stdout}"
    );
    let t = template(out.path());
    assert_eq!(
        types(&t),
        [
            "AWS::CDK::Metadata",
            "AWS::CloudWatch::Alarm",
            "AWS::CloudWatch::Alarm",
            "AWS::CloudWatch::Alarm",
            "AWS::CloudWatch::Dashboard",
            "AWS::Connect::IntegrationAssociation",
            "AWS::DynamoDB::Table",
            "AWS::IAM::Policy",
            "AWS::IAM::Role",
            "AWS::Lambda::Function",
            "AWS::Lambda::Permission",
            "AWS::Logs::LogGroup",
            "AWS::SNS::Topic",
            "AWS::SNS::TopicPolicy",
        ]
    );
    // Run by the CLI, the app gets asset metadata and an asset directory with the arm64 binary.
    let function = t["Resources"]
        .as_object()
        .expect("resources")
        .values()
        .find(|r| r["Type"] == "AWS::Lambda::Function")
        .expect("function");
    let asset = function["Metadata"]["aws:asset:path"]
        .as_str()
        .expect("asset metadata");
    // The staged bootstrap is an aarch64 executable: the app's own check.
    app::check_bootstrap(&out.path().join(asset), app::Architecture::Arm64)
        .unwrap_or_else(|e| panic!("staged bootstrap: {e}"));
    assert!(
        std::fs::read_dir(out.path().join(asset))
            .expect("asset dir")
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().ends_with(".zip")),
        "only the binary is staged"
    );
    assert_eq!(
        function["Properties"]["Architectures"],
        serde_json::json!(["arm64"])
    );
    assert_cfn_lint_clean(&out.path().join("ConnectLookupStack.template.json"));
}

#[test]
fn cdk_synth_of_both_opt_in_variants_without_validation() {
    let out = tempfile::tempdir().expect("tempdir");
    let arn =
        "arn:aws:connect:us-east-1:123456789012:instance/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    let o = cdk(
        out.path(),
        &[
            "synth",
            "--quiet",
            "--no-validation",
            "-c",
            "seedSampleCustomer=true",
            "-c",
            "sampleContactFlow=true",
            "-c",
            &format!("connectInstanceArn={arn}"),
        ],
    );
    assert_success(&o);
    let t = template(out.path());
    let found = types(&t);
    for ty in [
        "Custom::AWS",
        "AWS::Connect::ContactFlow",
        "AWS::Connect::IntegrationAssociation",
    ] {
        assert!(found.iter().any(|f| f == ty), "{ty} missing from {found:?}");
    }
    assert!(
        t["Parameters"].get("ConnectInstanceArn").is_none(),
        "the ARN came from context"
    );
    assert_cfn_lint_clean(&out.path().join("ConnectLookupStack.template.json"));
}

#[test]
fn cdk_synth_without_a_build_names_the_build_command() {
    let out = tempfile::tempdir().expect("tempdir");
    let empty = tempfile::tempdir().expect("tempdir");
    let o = cdk(
        out.path(),
        &[
            "synth",
            "--quiet",
            "--no-validation",
            "-c",
            &format!("handlerDir={}", empty.path().display()),
        ],
    );
    assert!(!o.status.success(), "synth must fail without a bootstrap");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("cargo lambda build --release --arm64"),
        "the error names the build command:\n{stderr}"
    );
}
