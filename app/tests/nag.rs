//! cdk-nag's AwsSolutions rule pack, through its generated bindings, finds nothing in the stack
//! that is not acknowledged with a written reason (the acknowledgements live in
//! `app/src/stack.rs`, next to the resources they concern).

use app::{Settings, build_stack};
use aws_cdk_lib::{App, AppProps, Validations};
use cdk_nag::{AwsSolutionsChecks, NagPackProps};
use serde_json::Value;

mod common;
use common::{ARM64, cdk_json_context, fake_build};

/// Synthesizes the stack (with `variant` applied to the default settings) under the
/// AwsSolutions pack; see `synth_under_aws_solutions_with`.
fn synth_under_aws_solutions(variant: impl FnOnce(&mut Settings)) -> Result<(), String> {
    let build = fake_build(ARM64);
    synth_under_aws_solutions_with(|app| {
        let mut settings = Settings::new(build.path());
        variant(&mut settings);
        build_stack(app, app::STACK_ID, &settings)
            .map(drop)
            .map_err(|e| jsii_runtime::Error::msg(e.to_string()))
    })
}

/// Synthesizes an app, with what `add` puts in it, under the AwsSolutions pack. A finding fails
/// the synthesis; the error lists cdk-nag's findings from the validation report (or is the
/// synthesis error itself when there is no report).
fn synth_under_aws_solutions_with(
    add: impl FnOnce(&App) -> jsii_runtime::Result<()>,
) -> Result<(), String> {
    let out = tempfile::tempdir().expect("tempdir");
    let run = || -> jsii_runtime::Result<()> {
        let app = App::new(
            AppProps::builder()
                .outdir(out.path().display().to_string())
                .context(cdk_json_context(&[]))
                .build(),
        )?;
        add(&app)?;
        let checks = AwsSolutionsChecks::new(&app, NagPackProps::builder().verbose(true).build())?;
        Validations::of(&app)?.add_plugins(&[&checks])?;
        app.synth(None)?;
        Ok(())
    };
    run().map_err(|e| {
        std::fs::read_to_string(out.path().join("validation-report.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .map_or_else(|| e.to_string(), |r| findings(&r).join("\n"))
    })
}

/// `rule at construct path: description` for every violation in a policy-validation report.
fn findings(report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for plugin in report["pluginReports"].as_array().into_iter().flatten() {
        for v in plugin["violations"].as_array().into_iter().flatten() {
            for c in v["violatingConstructs"].as_array().into_iter().flatten() {
                out.push(format!(
                    "{} at {}: {}",
                    v["ruleName"].as_str().unwrap_or("?"),
                    c["constructPath"].as_str().unwrap_or("?"),
                    v["description"].as_str().unwrap_or(""),
                ));
            }
        }
    }
    out
}

#[test]
fn the_stack_passes_aws_solutions() {
    if let Err(findings) = synth_under_aws_solutions(|_| {}) {
        panic!(
            "cdk-nag AwsSolutions findings (fix them or acknowledge them with a reason in app/src/stack.rs):\n{findings}"
        );
    }
}

#[test]
fn the_opt_in_variants_pass_aws_solutions() {
    let result = synth_under_aws_solutions(|s| {
        s.seed_sample_customer = true;
        s.sample_contact_flow = true;
        s.connect_instance_arn =
            Some("arn:aws:connect:us-east-1:123456789012:instance/abcd-1234".into());
    });
    if let Err(findings) = result {
        panic!(
            "cdk-nag AwsSolutions findings (fix them or acknowledge them with a reason in app/src/stack.rs):\n{findings}"
        );
    }
}

#[test]
fn a_finding_fails_the_check() {
    // The check can fail: a Function with Lambda's default role (AWSLambdaBasicExecutionRole)
    // is an AwsSolutions-IAM4 finding.
    let findings = synth_with_extra_function().expect_err("a default-role function is a finding");
    assert!(findings.contains("AwsSolutions-IAM4"), "{findings}");
}

fn synth_with_extra_function() -> Result<(), String> {
    use aws_cdk_lib::aws_lambda::{Code, Function, FunctionProps, Runtime};
    synth_under_aws_solutions_with(|app| {
        let stack = aws_cdk_lib::Stack::new(app, "Nagged", None)?;
        Function::new(
            &stack,
            "Default",
            FunctionProps::builder()
                .code(&Code::from_inline("exports.handler = async () => ({})")?)
                .handler("index.handler")
                .runtime(&Runtime::nodejs_22_x()?)
                .build(),
        )?;
        Ok(())
    })
}
