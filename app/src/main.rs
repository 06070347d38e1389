//! The app binary the CDK CLI runs (`cdk.json`'s `"app"`). It only wires: the kernel's
//! lifetime, the app, the stack, synthesis, and the exit code. Decisions live in `lib.rs`.

use std::process::ExitCode;

fn main() -> ExitCode {
    jsii_runtime::main(app::synth_from_env)
}
