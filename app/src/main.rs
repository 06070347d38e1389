//! The app binary the CDK CLI runs (`cdk.json`'s `"app"`, through `bin/cdk-app`). It only wires:
//! the kernel's start, the build check that runs meanwhile (`launcher`), the app, the stack,
//! synthesis, and the exit code. Decisions live in `lib.rs` and `launcher.rs`.

use app::launcher::{self, Verdict};
use std::process::ExitCode;

fn main() -> ExitCode {
    // Node boots (0.1-0.3 s) while bin/cdk-app checks the build this binary came from.
    jsii_runtime::prestart(&aws_cdk_lib::PACKAGE);
    let asked = std::env::var_os(launcher::LAUNCHER_ENV);
    if let Verdict::Stale { launcher } = launcher::ask(asked.as_deref()) {
        // Nothing ran in the kernel yet: end it, and let the launcher build and start anew.
        let _ = jsii_runtime::shutdown();
        eprintln!(
            "error: {}",
            launcher::relaunch(&launcher, std::env::args_os().skip(1))
        );
        return ExitCode::FAILURE;
    }
    jsii_runtime::main(app::synth_from_env)
}
