//! `bench-kernel`: how fast the Rust jsii kernel client talks to the real `@jsii/runtime`, next to
//! the official Python jsii client on the same machine, in the same run. `bin/bench kernel` builds
//! it in release mode and runs it; see `bench/README.md` for how to read its table.
//!
//! It measures per-call round trips on a warm kernel (a `get` of a string property, a cheap
//! `invoke`, an `invoke` that calls back into a host-implemented interface, `create` of a small
//! constructs object and of an `aws_sqs.Queue` in a Stack) and cold starts (spawn to the first
//! call after loading aws-cdk-lib and its four dependencies, package cache warm). Every client
//! runs in its own process: the Rust client twice (direct launch with the protocol on fd 3, and
//! the stdin/stdout wrapper, chosen with `JSII_RS_LAUNCH` in the child's environment because the
//! kernel is per thread and reads the mode at start), and Python through
//! `bench/kernel/anchor.py`, which drives the official client the way its generated bindings do.
//! All load the same tarballs from the project's `node_modules`. Rounds interleave the three
//! processes in rotating order so that the machine's noise spreads evenly, each process times
//! every call on its own, and the table reports the median, 99th percentile and minimum over all
//! rounds. Nothing here asserts a timing.
//!
//! The parent never talks to a kernel itself; `bench-kernel worker --plan FILE --out FILE` is the
//! Rust worker it starts.

mod plan;
mod report;
mod run;
mod worker;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: bench-kernel [--python PYTHON] [--anchor anchor.py] [--rounds N] [--scale F]
  --python PYTHON   interpreter with the pinned jsii client (bin/bench passes .venv-bench/bin/python);
                    without it the Python anchor is skipped
  --anchor FILE     the Python anchor script (default: bench/kernel/anchor.py)
  --rounds N        interleaved rounds (default 8)
  --scale F         multiplies the calls and cold starts per round (default 1.0; 0.1 for a smoke run)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = if args.first().is_some_and(|a| a == "worker") {
        worker_main(&args[1..])
    } else {
        parse(&args).and_then(|opts| run::run(&opts))
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-kernel: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<run::Options, String> {
    let mut opts = run::Options {
        python: None,
        anchor: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/anchor.py")),
        rounds: 8,
        scale: 1.0,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--python" => opts.python = Some(PathBuf::from(value()?)),
            "--anchor" => opts.anchor = PathBuf::from(value()?),
            "--rounds" => {
                opts.rounds = value()?
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--rounds takes a positive number\n{USAGE}"))?;
            }
            "--scale" => {
                opts.scale = value()?
                    .parse()
                    .ok()
                    .filter(|&f: &f64| f > 0.0)
                    .ok_or_else(|| format!("--scale takes a positive number\n{USAGE}"))?;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(opts)
}

/// `worker --plan FILE --out FILE`: runs the Rust workload and writes its result.
fn worker_main(args: &[String]) -> Result<(), String> {
    let (plan_path, out_path) = match args {
        [p, plan, o, out] if p == "--plan" && o == "--out" => (plan, out),
        _ => return Err("usage: bench-kernel worker --plan FILE --out FILE".into()),
    };
    let text = std::fs::read_to_string(plan_path).map_err(|e| format!("{plan_path}: {e}"))?;
    let plan: plan::Plan = serde_json::from_str(&text).map_err(|e| format!("{plan_path}: {e}"))?;
    let result = worker::run(&plan).map_err(|e| jsii_runtime::report(&e))?;
    let json = serde_json::to_string(&result).map_err(|e| e.to_string())?;
    std::fs::write(out_path, json).map_err(|e| format!("{out_path}: {e}"))
}
