//! `cdk-build-check STAMP...`: exits 0 when every stamp still describes what its build read, 1
//! when one does not (with `CDK_BUILD_VERBOSE` set, it says which and why on stderr), 2 on a usage
//! error. `bin/cdk-build` runs it before building; see the library for what a stamp holds.

use cdk_build_check::{RealSystem, Stale, check};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let stamps: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if stamps.is_empty() {
        eprintln!("usage: cdk-build-check STAMP... (bin/cdk-build runs it with its stamps)");
        return ExitCode::from(2);
    }
    let verbose = std::env::var_os("CDK_BUILD_VERBOSE").is_some_and(|v| !v.is_empty());
    let sys = RealSystem::new();
    for stamp in &stamps {
        let result = std::fs::read_to_string(stamp)
            .map_err(|e| Stale::NoStamp {
                stamp: stamp.clone(),
                reason: e.to_string(),
            })
            .and_then(|text| check(&text, &sys));
        if let Err(stale) = result {
            if verbose {
                let step = stamp.file_stem().unwrap_or_default().to_string_lossy();
                eprintln!("cdk-build: {step}: {stale}: building");
            }
            return ExitCode::from(1);
        }
    }
    if verbose {
        eprintln!("cdk-build: nothing any step reads changed since its last build: skipped");
    }
    ExitCode::SUCCESS
}
