//! Synthesizing a stack in Rust and the same program in JavaScript, and comparing templates.

use aws_cdk_lib::{App, AppProps, Stack};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Builds stack `stack_id` with `build` in a fresh app, synthesizes it into a temporary
/// directory, and returns its template.
pub fn synth_rust(
    stack_id: &str,
    build: impl FnOnce(&Stack) -> jsii_runtime::Result<()>,
) -> Result<Value, String> {
    let out = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let run = || -> jsii_runtime::Result<()> {
        let app = App::new(
            AppProps::builder()
                .outdir(out.path().display().to_string())
                .build(),
        )?;
        let stack = Stack::new(&app, stack_id, None)?;
        build(&stack)?;
        app.synth(None)?;
        Ok(())
    };
    run().map_err(|e| jsii_runtime::report(&e))?;
    template(out.path(), stack_id)
}

/// Runs `tests/libraries/js/<script>.js`, which synthesizes stack `stack_id`, and returns its
/// template.
pub fn synth_js(script: &str, stack_id: &str) -> Result<Value, String> {
    let root = testkit::root();
    let out = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    if !root.join("node_modules/aws-cdk-lib").is_dir() {
        return Err("node_modules is missing: run bin/setup (it runs npm ci)".into());
    }
    let script_path = root.join("tests/libraries/js").join(format!("{script}.js"));
    let finished = testkit::run_with_timeout(
        Command::new("node").arg(&script_path).arg(out.path()),
        Duration::from_secs(120),
    )
    .map_err(|e| format!("{e} (node must be on PATH: install Node.js, then run bin/setup)"))?;
    if !finished.status.success() {
        return Err(format!(
            "node {} failed ({}):\n{}",
            script_path.display(),
            finished.status,
            finished.stderr
        ));
    }
    template(out.path(), stack_id)
}

fn template(outdir: &Path, stack_id: &str) -> Result<Value, String> {
    let file = outdir.join(format!("{stack_id}.template.json"));
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))
}

/// Asserts that the Rust program's template equals the JavaScript program's, naming the first
/// resource or section that differs.
#[track_caller]
pub fn assert_same_template(rust: &Value, js: &Value) {
    if rust == js {
        return;
    }
    for section in [
        "Resources",
        "Outputs",
        "Parameters",
        "Conditions",
        "Rules",
        "Mappings",
    ] {
        let (r, j) = (&rust[section], &js[section]);
        if r == j {
            continue;
        }
        let keys: std::collections::BTreeSet<&String> = r
            .as_object()
            .into_iter()
            .chain(j.as_object())
            .flat_map(|m| m.keys())
            .collect();
        for key in keys {
            if r.get(key) != j.get(key) {
                panic!(
                    "the templates differ at {section}.{key}:\nRust: {}\nJavaScript: {}",
                    pretty(r.get(key)),
                    pretty(j.get(key))
                );
            }
        }
    }
    panic!(
        "the templates differ:\nRust: {}\nJavaScript: {}",
        pretty(Some(rust)),
        pretty(Some(js))
    );
}

fn pretty(v: Option<&Value>) -> String {
    v.map_or("(absent)".to_owned(), |v| {
        serde_json::to_string_pretty(v).unwrap_or_default()
    })
}

/// The resources of `template` of CloudFormation type `ty`.
pub fn resources_of_type<'a>(template: &'a Value, ty: &str) -> Vec<&'a Value> {
    template["Resources"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter(|r| r["Type"] == ty)
        .collect()
}
