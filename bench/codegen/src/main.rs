//! `bench-codegen`: what the jsii -> Rust generator costs, measured on this machine in one run.
//! `bin/bench codegen` builds it in release mode and runs it; `bench/README.md` explains the
//! table.
//!
//! In order: the generator's own release build from clean (in a private target dir, reported
//! apart); generation of the app's bindings (`app/bindings/bindings.toml`, into the scratch
//! dir, not over the committed crates) and of all of aws-cdk-lib (every submodule, split into a
//! crate per top-level submodule, `constructs` as an extern crate pointing at the committed one);
//! optionally `cargo check` of those crates in a Cargo workspace of its own; `cargo build -p app` from clean in a
//! private target dir and the rebuild after a one-line edit of `app/src/stack.rs` (restored
//! afterwards); and the anchor, jsii-pacmak's Go target on the same assembly (or the figures
//! recorded in bench/README.md when it is not installed). Every step records wall time and
//! peak memory; generation and the anchor can run several rounds (`--rounds`), shown as the
//! median. Nothing here asserts a timing.

mod measure;
mod report;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: bench-codegen [--root DIR] [--scratch DIR] [--pacmak BIN | --no-pacmak] [--rounds N]
                     [--check-all] [--no-app-build]
  --root DIR       the project (default: the checkout this program was built from)
  --scratch DIR    generated crates, private target dirs and logs (default: ROOT/target/codegen-bench)
  --pacmak BIN     jsii-pacmak to run as the anchor (bin/bench installs the pinned one); without it
                   the table shows the figures recorded in bench/README.md
  --no-pacmak      do not run jsii-pacmak even if --pacmak is given (about 1.5 min, 2.3 GB)
  --rounds N       generate (and run jsii-pacmak) N times and show the median (default 1;
                   a round takes about 2 min with jsii-pacmak, 40 s without)
  --check-all      also `cargo check` all of aws-cdk-lib from clean (split: the facade crate and its
                   354 parts): about 2.5 min and 2.7 GiB peak on 2 quiet cores, so it is off by default
  --no-app-build   skip `cargo build -p app` from clean and the one-line-edit rebuild";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args).and_then(|opts| run::run(&opts)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<run::Options, String> {
    let mut root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let mut scratch = None;
    let mut pacmak = None;
    let mut no_pacmak = false;
    let mut check_all = false;
    let mut rounds = 1;
    let mut app_build = true;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--root" => root = value()?,
            "--scratch" => scratch = Some(value()?),
            "--pacmak" => pacmak = Some(value()?),
            "--no-pacmak" => no_pacmak = true,
            "--check-all" => check_all = true,
            "--rounds" => {
                rounds = value()?
                    .to_str()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--rounds takes a positive number\n{USAGE}"))?;
            }
            "--no-app-build" => app_build = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let root = std::fs::canonicalize(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let scratch = scratch.unwrap_or_else(|| root.join("target/codegen-bench"));
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let scratch =
        std::fs::canonicalize(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    Ok(run::Options {
        root,
        scratch,
        pacmak: pacmak.filter(|_| !no_pacmak),
        check_all,
        app_build,
        rounds,
    })
}
