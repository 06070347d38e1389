//! Generates typed Rust bindings from jsii assemblies: aws-cdk-lib, constructs, or any other
//! jsii library. The library is a pure function from parsed assemblies and a config to a set
//! of files (and, for a new app, from a request to the template's files, and for an app's build,
//! from a stamp and a [`build::System`] to "fresh" or "stale"); only the CLI (`main.rs` and its
//! `cli/` modules) reads and writes the disk or runs processes. It does not depend on the
//! runtime crate: generated code reaches `jsii_runtime` through the paths in [`emit::paths`].
//!
//! Three stages, each with its own types:
//! 1. [`assembly`] parses the `.jsii` format (following aws-cdk-lib's gzip redirect);
//! 2. [`resolve`] picks the types to generate, names everything through [`naming`], and builds
//!    the Rust-shaped [`model`];
//! 3. [`emit`] writes one crate per assembly from the model alone.

pub mod assembly;
pub mod build;
pub mod config;
pub mod emit;
mod error;
pub mod manifest;
pub mod model;
pub mod naming;
pub mod npm;
pub mod resolve;
pub mod stamp;
pub mod template;

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
    let resolved = resolve::resolve(input)?;
    let mut files = Files::new();
    let mut summary = Vec::new();
    let mut lines_of: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for (c, emitted) in resolved.crates.iter().zip(emit_all(&resolved.crates)) {
        let emitted = emitted?;
        let lines: usize = emitted.values().map(|f| f.lines().count()).sum();
        let total = lines_of.entry(c.npm.clone()).or_default();
        total.0 += emitted.len();
        total.1 += lines;
        if c.package_from.is_none() && c.manifest.is_some() {
            summary.push(describe(
                &c.npm,
                &c.version,
                &c.package,
                &c.dir,
                &c.stats,
                "",
                emitted.len(),
                lines,
            ));
        }
        files.extend(emitted);
    }
    for f in &resolved.facades {
        let emitted = emit::emit_facade(f)?;
        let parts: Vec<&model::CrateModel> =
            resolved.crates.iter().filter(|c| c.npm == f.npm).collect();
        let mut stats = model::Stats::default();
        for p in &parts {
            stats.classes += p.stats.classes;
            stats.interfaces += p.stats.interfaces;
            stats.structs += p.stats.structs;
            stats.enums += p.stats.enums;
            stats.unions += p.stats.unions;
            stats.members += p.stats.members;
        }
        let (n, lines) = lines_of.get(&f.npm).copied().unwrap_or_default();
        let lines = lines + emitted.values().map(|x| x.lines().count()).sum::<usize>();
        let extra = format!(" (and {} part crates)", parts.len());
        summary.push(describe(
            &f.npm,
            &f.version,
            &f.package,
            &f.dir,
            &stats,
            &extra,
            n + emitted.len(),
            lines,
        ));
        files.extend(emitted);
    }
    Ok(Output { files, summary })
}

/// Emits every crate, in the order given, on as many threads as the machine has cores (a
/// split package is hundreds of crates, and formatting each file dominates the run). The output
/// does not depend on the thread count.
fn emit_all(crates: &[model::CrateModel]) -> Vec<Result<Files, Error>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(crates.len());
    if threads <= 1 {
        return crates.iter().map(emit::emit_crate).collect();
    }
    // The biggest crates first, so that no thread is left with a big one at the end.
    let mut order: Vec<usize> = (0..crates.len()).collect();
    order.sort_by_key(|&i| {
        let s = &crates[i].stats;
        std::cmp::Reverse(s.members + s.structs + s.unions)
    });
    let next = AtomicUsize::new(0);
    let mut out: Vec<Option<Result<Files, Error>>> = crates.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        done.push((i, emit::emit_crate(&crates[i])));
                    }
                    done
                })
            })
            .collect();
        for w in workers {
            let done = w.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            for (i, r) in done {
                out[i] = Some(r);
            }
        }
    });
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Error::Config("a crate was not emitted".into()))))
        .collect()
}

/// One summary line.
#[allow(clippy::too_many_arguments)]
fn describe(
    npm: &str,
    version: &str,
    package: &str,
    dir: &str,
    s: &model::Stats,
    extra: &str,
    files: usize,
    lines: usize,
) -> String {
    format!(
        "{npm}@{version} -> crate {package}{extra} in {dir}: {} classes, {} interfaces, {} \
         structs, {} enums, {} unions, {} members; {files} files, {lines} lines",
        s.classes, s.interfaces, s.structs, s.enums, s.unions, s.members
    )
}
