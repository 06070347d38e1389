//! `cdk-build-check [--from LIST] [--output FILE] [--root DIR] [STAMP...]`: exits 0 when every
//! stamp still describes what its build read, 1 when one does not (with `APP_BUILD_VERBOSE` set,
//! it says which and why on stderr), 2 on a usage error. `--from LIST` adds the stamps named in
//! LIST, one path per line: the file `bin/cdk-build` writes after a complete run; a missing or
//! empty list is stale. `--output FILE` also requires FILE to be one the stamps list (the binary
//! about to run came from that build). `--root DIR` requires the stamps to describe a build of
//! the project in DIR (two checkouts may share one `CARGO_TARGET_DIR`). `bin/cdk-app` runs it
//! for the app binary before every synth, and `bin/cdk-build` before building; the library says
//! what a stamp holds.

use cdk_build_check::{RealSystem, Stale, built_in, check, names_file};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
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
    let verbose = std::env::var_os("APP_BUILD_VERBOSE").is_some_and(|v| !v.is_empty());
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

fn usage() -> ExitCode {
    eprintln!(
        "usage: cdk-build-check [--from LIST] [--output FILE] [--root DIR] [STAMP...] \
         (bin/cdk-app and bin/cdk-build run it)"
    );
    ExitCode::from(2)
}
