//! An app's build stamps: what `jsii-codegen run` (an app's `bin/app`, the CLI's app command)
//! relies on to skip cargo on a synth where nothing changed. After each successful build step
//! (the app's binary, and any build its config adds, such as a Lambda function) a stamp lists
//! every fact that build read: the compiler (`rustc -vV`), the environment variables cargo and
//! the build scripts read, the tools found on `PATH`, the workspace's manifests, and each input
//! and output file by size and modification time. A synth checks them in a few milliseconds
//! where asking cargo (and cargo-lambda) costs 0.1-1 s.
//!
//! It must never call a build fresh that it cannot vouch for: a stamp it cannot read, a line it
//! does not understand, a file it cannot stat or a compiler that does not answer all mean
//! "stale", and the step builds (cargo decides). Pure: it sees the machine only through
//! [`System`]; the CLI (`cli/run.rs`) runs the builds and writes the stamps. Both halves of the
//! format live here, [`fingerprint`] writing what [`check`] reads.

mod check;
mod write;

pub use check::{FileStat, STAMP_HEADER, Stale, System, built_in, check, glob_match, names_file};
pub use write::{
    CARGO_ENV_GLOBS, CARGO_TOOLS, MANIFEST_PRUNE, Reads, Step, depinfo_sources, fingerprint,
    fingerprint_with,
};
