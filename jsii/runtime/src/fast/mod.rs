//! Everything that makes a kernel start faster, and nothing else. A plain kernel start is
//! `node [--max-old-space-size=4096] [--preserve-symlinks] <@jsii/runtime's program>`, as the
//! other jsii hosts start it; a fast one adds:
//!
//! - V8 flags for a short, single-threaded run ([`DEFAULT_NODE_FLAGS`]);
//! - the preload script (`entry`, `js/kernel-entry.js`) and its hooks, a file each in
//!   `js/hooks/`: a compile cache, the tarball digest memo, the line reader for type
//!   definitions, the template validator's engine snapshots, the startup snapshot's loader;
//! - the startup snapshot (`snapshot`, `js/kernel-snapshot.js`): node starts from a heap in which
//!   the packages the program loads first are already evaluated.
//!
//! None of it may change what a program does. Each hook applies only where it knows the code it
//! meets (the versions in `js/hooks.json`, and the exact text it changes); a startup snapshot
//! is keyed by the exact packages the program loads first and holds nothing else; and a kernel
//! that does not come up with the speed-ups is started once more without any of them
//! (`kernel.rs`). So an upgrade can make a program slower, never different.
//!
//! `JSII_RS_FAST=0` turns all of it off. The finer settings (`JSII_RS_KERNEL_ENTRY`,
//! `JSII_RS_COMPILE_CACHE`, `JSII_RS_KERNEL_SNAPSHOT`, `JSII_RS_NODE_FLAGS`) are for diagnosis.

pub(crate) mod entry;
pub(crate) mod hooks;
pub(crate) mod snapshot;

use std::ffi::OsString;

/// Environment variable: `0` starts every kernel plainly, with none of this module's speed-ups.
pub const FAST_ENV: &str = "JSII_RS_FAST";

/// Whether kernels start with the speed-ups (unless [`FAST_ENV`] is `0`).
pub(crate) fn enabled() -> bool {
    std::env::var_os(FAST_ENV).is_none_or(|v| v != "0")
}

/// Whether `JSII_DEBUG` asks for the kernel's diagnostics, where the speed-ups say when they
/// step aside.
pub(crate) fn debugging() -> bool {
    std::env::var_os("JSII_DEBUG").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Says, under `JSII_DEBUG`, that a speed-up stepped aside and why (one line on stderr).
pub(crate) fn step_aside(what: &str, why: &str) {
    if debugging() {
        eprintln!("jsii-runtime: {what} off: {why}");
    }
}

/// Environment variable replacing [`DEFAULT_NODE_FLAGS`] (space-separated; empty for none).
pub const NODE_FLAGS_ENV: &str = "JSII_RS_NODE_FLAGS";

/// V8 flags for the kernel's node. A synth is a short, mostly single-threaded run:
/// `--liftoff-only` skips optimising compiles of WebAssembly (aws-cdk-lib's CloudFormation
/// validation is a 9 MB module, and node otherwise waits for its background recompilation
/// before exiting), and `--single-threaded-gc` keeps the collector off the other cores. On the
/// 2-core reference machine they cut a validating synth from 4.3 s to 1.6 s (bin/bench synth).
/// `--max-semi-space-size=16` (MiB) gives the young generation room for a synth's short-lived
/// objects: with the single-threaded collector and the compile cache it saves about 0.15 s of
/// CPU without validation and 0.25 s with it (8 and 32 were slower; bench/README.md).
/// `--no-flush-bytecode` keeps the bytecode of functions that ran once (a module's top level,
/// aws-cdk-lib's 1.4 MB table of region facts) until exit, when the compile cache saves it:
/// flushed by the collectors of a longer run, it left entries that made every later run parse
/// those functions again. A node that rejects one of them does not start; the kernel is then
/// started without any speed-up. Set `JSII_RS_NODE_FLAGS` to tune them for long-running
/// programs on many cores.
pub const DEFAULT_NODE_FLAGS: &[&str] = &[
    "--liftoff-only",
    "--single-threaded-gc",
    "--max-semi-space-size=16",
    "--no-flush-bytecode",
];

/// The V8 flags of a fast start: [`NODE_FLAGS_ENV`]'s, or [`DEFAULT_NODE_FLAGS`].
pub(crate) fn node_flags() -> Vec<OsString> {
    match std::env::var(NODE_FLAGS_ENV) {
        Ok(flags) => flags.split_whitespace().map(OsString::from).collect(),
        Err(_) => DEFAULT_NODE_FLAGS.iter().map(OsString::from).collect(),
    }
}
