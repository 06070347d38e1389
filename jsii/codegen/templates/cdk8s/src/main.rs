//! The app the cdk8s CLI runs (cdk8s.yaml's "app", through bin/app): it only wires the
//! kernel's start, the chart and the synthesis; `lib.rs` decides.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Node starts while the program gets going.
    jsii_runtime::prestart(&cdk8s::PACKAGE);
    jsii_runtime::main(|| {
        let app = cdk8s::App::new(None)?;
        {{crate}}::build(&app)?;
        app.synth()?;
        Ok(())
    })
}
