//! `cdk-build-check [--from LIST] [--output FILE] [--root DIR] [STAMP...]`: exits 0 when every
//! stamp still describes what its build read, 1 when one does not (with `APP_BUILD_VERBOSE` set,
//! it says which and why on stderr), 2 on a usage error. `--from LIST` adds the stamps named in
//! LIST, one path per line: the file `bin/cdk-build` writes after a complete run; a missing or
//! empty list is stale. `--output FILE` also requires FILE to be one the stamps list (the binary
//! about to run came from that build). `--root DIR` requires the stamps to describe a build of
//! the project in DIR (two checkouts may share one `CARGO_TARGET_DIR`). `bin/cdk-app` runs it
//! for the app binary before every synth, and `bin/cdk-build` before building.
//!
//! `cdk-build-check step NAME --stamps DIR --root DIR --build-dir DIR [--depinfo FILE]...
//! [--output FILE]... [--input FILE]... [--tool NAME]... [--env GLOB]... -- COMMAND...`: one build
//! step of `bin/cdk-build` ([`cdk_build_check::write::run_step`]), its stamp `DIR/NAME.stamp`.
//! Exits 0 when the stamp holds (skipped, or built and stamped), 3 when it built but could not
//! stamp (the next run builds again), 1 when the command failed, 2 on a usage error.
//! `APP_BUILD_FORCE` set runs the command whatever the stamp says.

use cdk_build_check::write::{Ran, Step, run_step};
use cdk_build_check::{RealSystem, Stale, built_in, check, names_file};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let verbose = std::env::var_os("APP_BUILD_VERBOSE").is_some_and(|v| !v.is_empty());
    let mut args = std::env::args_os().skip(1).peekable();
    if args.peek().is_some_and(|a| a == "step") {
        args.next();
        return step(args.collect(), verbose);
    }
    let mut stamps: Vec<PathBuf> = Vec::new();
    let mut lists: Vec<PathBuf> = Vec::new();
    let mut outputs: Vec<PathBuf> = Vec::new();
    let mut root: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        if arg == "--from" || arg == "--output" || arg == "--root" {
            let Some(value) = args.next() else {
                return usage();
            };
            if arg == "--from" {
                lists.push(value.into());
            } else if arg == "--root" {
                root = Some(value.into());
            } else {
                outputs.push(value.into());
            }
        } else {
            stamps.push(arg.into());
        }
    }
    if stamps.is_empty() && lists.is_empty() {
        return usage();
    }
    let stale = |stale: Stale, step: &str| {
        if verbose {
            eprintln!("cdk-build: {step}: {stale}: building");
        }
        ExitCode::from(1)
    };
    for list in &lists {
        let named: Vec<PathBuf> = std::fs::read_to_string(list)
            .map(|text| {
                text.lines()
                    .filter(|l| !l.is_empty())
                    .map(PathBuf::from)
                    .collect()
            })
            .unwrap_or_default();
        if named.is_empty() {
            return stale(
                Stale::NoStamp {
                    stamp: list.clone(),
                    reason: "missing or empty: no complete build listed its stamps".into(),
                },
                "build",
            );
        }
        stamps.extend(named);
    }
    let sys = RealSystem::new();
    let mut texts = Vec::new();
    for stamp in &stamps {
        let result = std::fs::read_to_string(stamp)
            .map_err(|e| Stale::NoStamp {
                stamp: stamp.clone(),
                reason: e.to_string(),
            })
            .and_then(|text| {
                if let Some(root) = &root {
                    built_in(&text, root, &sys)?;
                }
                check(&text, &sys).map(|()| text)
            });
        match result {
            Ok(text) => texts.push(text),
            Err(e) => {
                return stale(e, &stamp.file_stem().unwrap_or_default().to_string_lossy());
            }
        }
    }
    for output in outputs {
        if !texts.iter().any(|text| names_file(text, &output, &sys)) {
            return stale(Stale::NotBuilt { path: output }, "build");
        }
    }
    if verbose {
        eprintln!("cdk-build: nothing any step reads changed since its last build: skipped");
    }
    ExitCode::SUCCESS
}

/// `step NAME ...`: see the crate's documentation.
fn step(args: Vec<OsString>, verbose: bool) -> ExitCode {
    let Some((name, rest)) = args.split_first() else {
        return usage();
    };
    let name = name.to_string_lossy().into_owned();
    let mut step = Step::default();
    let mut stamps: Option<PathBuf> = None;
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            step.command = rest.cloned().collect();
            break;
        }
        let Some(value) = rest.next() else {
            return usage();
        };
        let text = || value.to_string_lossy().into_owned();
        match arg.to_str() {
            Some("--stamps") => stamps = Some(value.into()),
            Some("--root") => step.root = value.into(),
            Some("--build-dir") => step.build_dir = value.into(),
            Some("--depinfo") => step.depinfo.push(value.into()),
            Some("--output") => step.outputs.push(value.into()),
            Some("--input") => step.inputs.push(value.into()),
            Some("--tool") => step.tools.push(text()),
            Some("--env") => step.env_globs.push(text()),
            _ => return usage(),
        }
    }
    let Some(stamps) = stamps else {
        return usage();
    };
    if step.command.is_empty() || step.root.as_os_str().is_empty() {
        return usage();
    }
    let force = std::env::var_os("APP_BUILD_FORCE").is_some_and(|v| !v.is_empty());
    let mut say = |what: &str| {
        if verbose {
            eprintln!("cdk-build: {name}: {what}");
        }
    };
    match run_step(
        &step,
        &stamps.join(format!("{name}.stamp")),
        force,
        &mut say,
    ) {
        Ok(Ran::Skipped | Ran::Stamped) => ExitCode::SUCCESS,
        Ok(Ran::Unstamped(why)) => {
            say(&format!("{why}: no stamp"));
            ExitCode::from(3)
        }
        Err(e) => {
            eprintln!("cdk-build: {name}: {e}");
            ExitCode::from(1)
        }
    }
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cdk-build-check [--from LIST] [--output FILE] [--root DIR] [STAMP...]\n   \
         or: cdk-build-check step NAME --stamps DIR --root DIR --build-dir DIR \
         [--depinfo|--output|--input FILE]... [--tool NAME]... [--env GLOB]... -- COMMAND...\n\
         (bin/cdk-app and bin/cdk-build run it)"
    );
    ExitCode::from(2)
}
