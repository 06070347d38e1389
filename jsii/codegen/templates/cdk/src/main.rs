//! The app the CDK CLI runs (cdk.json's "app", through bin/app): it only wires the kernel's
//! start, the stack and the synthesis; `lib.rs` decides.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Node starts while the program gets going.
    jsii_runtime::prestart(&aws_cdk_lib::PACKAGE);
    jsii_runtime::main(|| {
        let app = aws_cdk_lib::App::new(None)?;
        {{crate}}::build(&app)?;
        app.synth(None)?;
        Ok(())
    })
}
