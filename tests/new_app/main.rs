//! New apps, made the way a user makes them: `bin/new-app` into a temporary directory outside
//! this repository (depending on this clone by git URL at its current commit), then the app's
//! own README commands (`npm ci`, `npx cdk synth` / `npx cdk8s synth`), an edit that adds a
//! submodule and a construct from it to the bindings config and the code, a synth again, and the
//! app's own `cargo test`.
//!
//! The CDK app's templates are checked by resource type; the cdk8s app's manifests are compared
//! byte for byte with the same program in JavaScript (`web-chart.js`). The apps build into one
//! target directory under this repository's (`new-apps/`), so a second run is incremental;
//! the first one in CI is cold (about a minute per app on 2 cores).
//!
//! The apps use the committed state of `jsii/`: commit before running these locally.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use testkit::{Finished, run_with_timeout};
use testkit::{root, target_path};

const BUILD: Duration = Duration::from_secs(15 * 60);

/// Runs `program args` in `dir` with the apps' shared target directory; panics with its
/// output unless it succeeds.
fn run(dir: &Path, program: &str, args: &[&str]) -> Finished {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_path("target/new-apps"));
    let done = run_with_timeout(&mut command, BUILD).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        done.status.success(),
        "`{program} {}` in {} failed ({}):\n{}\n{}",
        args.join(" "),
        dir.display(),
        done.status,
        done.stdout,
        done.stderr
    );
    done
}

/// Makes a new app of `framework` called `name` in a fresh temporary directory.
fn new_app(name: &str, framework: &str) -> (tempfile::TempDir, PathBuf) {
    let parent = tempfile::tempdir().expect("tempdir");
    let dir = parent.path().join(name);
    let new_app = root().join("bin/new-app");
    let made = run(
        parent.path(),
        "bash",
        &[
            &new_app.display().to_string(),
            &dir.display().to_string(),
            "--framework",
            framework,
        ],
    );
    assert!(made.stderr.contains("next: cd"), "{}", made.stderr);
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "package.json",
        "package-lock.json",
        "bindings.toml",
        ".gitignore",
        "README.md",
        "bin/app",
    ] {
        assert!(dir.join(file).is_file(), "the new app has no {file}");
    }
    (parent, dir)
}

/// Replaces `from` with `to` in the app's file `rel` (which must contain it).
fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} no longer contains {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// Asserts a synth's build printed no compiler warning.
fn no_warnings(synth: &Finished) {
    assert!(
        !synth.stderr.contains("warning"),
        "the new app built with warnings:\n{}",
        synth.stderr
    );
}

/// The resource types of a template, with their counts.
fn resource_types(template: &Path) -> std::collections::BTreeMap<String, usize> {
    let text =
        std::fs::read_to_string(template).unwrap_or_else(|e| panic!("{}: {e}", template.display()));
    let t: Value = serde_json::from_str(&text).expect("template JSON");
    let mut out = std::collections::BTreeMap::new();
    for r in t["Resources"].as_object().expect("Resources").values() {
        *out.entry(r["Type"].as_str().expect("Type").to_owned())
            .or_default() += 1;
    }
    out
}

#[test]
fn a_new_cdk_app_synthesizes_takes_a_new_submodule_and_passes_its_tests() {
    let (_parent, dir) = new_app("shop", "cdk");
    // Without its npm packages, the app command says what to run instead of failing later.
    std::fs::rename(dir.join("node_modules"), dir.join("node_modules.aside")).expect("move");
    let mut app = Command::new(dir.join("bin/app"));
    app.current_dir(&dir);
    let missing = run_with_timeout(&mut app, BUILD).unwrap_or_else(|e| panic!("{e}"));
    assert!(!missing.status.success(), "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains("node_modules is missing: run npm ci"),
        "{}",
        missing.stderr
    );
    std::fs::rename(dir.join("node_modules.aside"), dir.join("node_modules")).expect("move");
    run(&dir, "npm", &["ci", "--no-audit", "--no-fund"]);
    let synth = run(&dir, "npx", &["cdk", "synth", "--quiet"]);
    no_warnings(&synth);
    let template = dir.join("cdk.out/ShopStack.template.json");
    let types = resource_types(&template);
    assert_eq!(types.get("AWS::SQS::Queue"), Some(&2), "{types:?}");
    assert_eq!(types.get("AWS::S3::Bucket"), Some(&1), "{types:?}");
    assert_eq!(types.get("AWS::SNS::Topic"), None, "{types:?}");
    run(&dir, "cargo", &["test", "--quiet"]);

    // A second synth with nothing changed regenerates nothing.
    let again = run(&dir, "npx", &["cdk", "synth", "--quiet"]);
    assert!(!again.stderr.contains("jsii-codegen"), "{}", again.stderr);

    // The edit a user makes: one line in the config, a construct from the new submodule.
    edit(
        &dir,
        "bindings.toml",
        "    \"aws_sqs\",\n",
        "    \"aws_sqs\",\n    \"aws_sns\",\n",
    );
    edit(
        &dir,
        "src/lib.rs",
        "    CfnOutput::new(",
        "    aws_cdk_lib::aws_sns::Topic::new(&stack, \"Alerts\", None)?;\n    CfnOutput::new(",
    );
    let edited = run(&dir, "npx", &["cdk", "synth", "--quiet"]);
    no_warnings(&edited);
    assert!(
        edited.stderr.contains("bindings out of date"),
        "{}",
        edited.stderr
    );
    let types = resource_types(&template);
    assert_eq!(types.get("AWS::SNS::Topic"), Some(&1), "{types:?}");
    assert_eq!(types.get("AWS::SQS::Queue"), Some(&2), "{types:?}");
    run(&dir, "cargo", &["test", "--quiet"]);
}

/// Synthesizes `web-chart.js` (the template's chart in JavaScript) with the app's packages.
fn javascript_manifest(app: &Path, args: &[&str]) -> String {
    let out = tempfile::tempdir().expect("tempdir");
    let script = root().join("tests/new_app/web-chart.js");
    let mut all = vec![
        script.display().to_string(),
        out.path().display().to_string(),
    ];
    all.extend(args.iter().map(|a| a.to_string()));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let mut command = Command::new("node");
    command
        .args(&all)
        .current_dir(app)
        .env("NODE_PATH", app.join("node_modules"));
    let done = run_with_timeout(&mut command, BUILD).unwrap_or_else(|e| panic!("{e}"));
    assert!(done.status.success(), "node web-chart.js: {}", done.stderr);
    std::fs::read_to_string(out.path().join("web.k8s.yaml")).expect("JavaScript's manifest")
}

#[test]
fn a_new_cdk8s_app_writes_the_yaml_javascript_writes_before_and_after_an_edit() {
    let (_parent, dir) = new_app("web", "cdk8s");
    run(&dir, "npm", &["ci", "--no-audit", "--no-fund"]);
    let synth = run(&dir, "npx", &["cdk8s", "synth"]);
    no_warnings(&synth);
    let manifest = dir.join("dist/web.k8s.yaml");
    let rust = std::fs::read_to_string(&manifest).expect("dist/web.k8s.yaml");
    assert!(rust.contains("kind: Deployment"), "{rust}");
    assert_eq!(rust, javascript_manifest(&dir, &[]));
    run(&dir, "cargo", &["test", "--quiet"]);

    // The Kubernetes API objects: one line in the config, one construct in the chart.
    edit(&dir, "bindings.toml", "    # \"k8s\",", "    \"k8s\",");
    edit(
        &dir,
        "src/lib.rs",
        "    Ok(WebChart {",
        "    cdk8s_plus_32::k8s::KubeNamespace::new(&chart, \"Namespace\", None)?;\n    Ok(WebChart {",
    );
    let edited = run(&dir, "npx", &["cdk8s", "synth"]);
    no_warnings(&edited);
    let rust = std::fs::read_to_string(&manifest).expect("dist/web.k8s.yaml");
    assert!(rust.contains("kind: Namespace"), "{rust}");
    assert_eq!(rust, javascript_manifest(&dir, &["--namespace"]));
}

#[test]
fn upgrading_a_new_app_to_the_newest_aws_cdk_lib_2x_is_one_npm_install() {
    let (_parent, dir) = new_app("upgraded", "cdk");
    run(&dir, "npm", &["ci", "--no-audit", "--no-fund"]);
    // The README's upgrade step: the newest 2.x of the library and of the CLI.
    run(
        &dir,
        "npm",
        &[
            "install",
            "--save-exact",
            "--no-audit",
            "--no-fund",
            "aws-cdk-lib@2",
            "aws-cdk@2",
        ],
    );
    let package: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("node_modules/aws-cdk-lib/package.json"))
            .expect("aws-cdk-lib's package.json"),
    )
    .expect("package.json");
    let version = package["version"].as_str().expect("version").to_owned();
    assert!(version.starts_with("2."), "{version}");
    let synth = run(&dir, "npx", &["cdk", "synth", "--quiet"]);
    no_warnings(&synth);
    assert!(
        synth
            .stderr
            .contains(&format!("aws-cdk-lib@{version} -> crate aws-cdk-lib")),
        "the synth did not generate bindings for aws-cdk-lib {version}:\n{}",
        synth.stderr
    );
    let types = resource_types(&dir.join("cdk.out/UpgradedStack.template.json"));
    assert_eq!(types.get("AWS::SQS::Queue"), Some(&2), "{types:?}");
    run(&dir, "cargo", &["test", "--quiet"]);
}
