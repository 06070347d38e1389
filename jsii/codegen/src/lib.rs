//! Generates typed Rust bindings from jsii assemblies: aws-cdk-lib, constructs, or any other
//! jsii library. The library is a pure function from parsed assemblies and a config to a set
//! of files; only the CLI (`main.rs`) reads and writes the disk. It does not depend on the
//! runtime crate: generated code reaches `jsii_runtime` through the paths in [`emit::paths`].
//!
//! Three stages, each with its own types:
//! 1. [`assembly`] parses the `.jsii` format (following aws-cdk-lib's gzip redirect);
//! 2. [`resolve`] picks the types to generate, names everything through [`naming`], and builds
//!    the Rust-shaped [`model`];
//! 3. [`emit`] writes one crate per assembly from the model alone.

pub mod assembly;
pub mod config;
pub mod emit;
mod error;
pub mod manifest;
pub mod model;
pub mod naming;
pub mod npm;
pub mod resolve;

pub use emit::Files;
pub use error::Error;
pub use resolve::Input;

/// What one run produced.
#[derive(Debug)]
pub struct Output {
    /// The files, by path relative to the config file's directory.
    pub files: Files,
    /// One line per crate: what was generated.
    pub summary: Vec<String>,
}

/// Generates every crate the config names.
pub fn generate(input: &Input<'_>) -> Result<Output, Error> {
    let crates = resolve::resolve(input)?;
    let mut files = Files::new();
    let mut summary = Vec::new();
    for c in &crates {
        let emitted = emit::emit_crate(c)?;
        let lines: usize = emitted.values().map(|f| f.lines().count()).sum();
        summary.push(format!(
            "{}@{} -> crate {} in {}: {} classes, {} interfaces, {} structs, {} enums, {} unions, {} members; {} files, {} lines",
            c.npm,
            c.version,
            c.package,
            c.dir,
            c.stats.classes,
            c.stats.interfaces,
            c.stats.structs,
            c.stats.enums,
            c.stats.unions,
            c.stats.members,
            emitted.len(),
            lines
        ));
        files.extend(emitted);
    }
    Ok(Output { files, summary })
}
