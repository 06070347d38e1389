//! The app binary the CDK CLI runs (`cdk.json`'s `"app"`, through `bin/app`, whose
//! `jsii-codegen run` has checked that this binary is the current build). It only wires: the kernel's start, the app,
//! the stack, synthesis, and the exit code. Decisions live in `lib.rs`.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Node boots (0.1-0.3 s) while the app reads its context and checks the Lambda's asset.
    jsii_runtime::prestart(&aws_cdk_lib::PACKAGE);
    jsii_runtime::main(|| Ok(app::synth_from_env()?))
}
