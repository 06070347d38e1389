//! `jsii-codegen`: the CLI around the generator library. This file only dispatches; the
//! commands in `cli/` read and write the disk and run processes, the library decides.
//!
//! - `jsii-codegen <bindings.toml>` generates (or `--check`s) the crates a config names
//!   (`cli/generate.rs`);
//! - `jsii-codegen new <dir>` makes a new CDK or cdk8s app on this toolkit (`cli/new.rs`);
//! - `jsii-codegen run <bindings.toml>` is an app's command: it builds what changed and runs
//!   the app, and `jsii-codegen build <bindings.toml>` only builds (`cli/run.rs`).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("new") => cli::new::run(&args[1..]),
        Some("run") => cli::run::run(&args[1..], true),
        Some("build") => cli::run::run(&args[1..], false),
        Some("--version" | "-V") => {
            println!("jsii-codegen {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        _ => cli::generate::run(args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("jsii-codegen: error: {e}");
        ExitCode::from(2)
    })
}
