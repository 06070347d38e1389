//! Writing a stamp: the facts one build step read and made, in the format [`check`](super::check)
//! reads. Both halves live in this module, so a new kind of fact is one change here; the
//! round-trip tests run on the real machine, in `cli/run.rs`.

use super::{STAMP_HEADER, System, glob_match};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The environment variables cargo reads (shell patterns, `*` only): each one set is part of
/// every stamp, with the variables the step's build scripts declared with `rerun-if-env-changed`.
pub const CARGO_ENV_GLOBS: &[&str] = &[
    "CARGO_HOME",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_*",
    "CARGO_PROFILE_*",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_INCREMENTAL",
    "CARGO_UNSTABLE_*",
    "CARGO_TARGET_*_LINKER",
    "CARGO_TARGET_*_RUNNER",
    "CARGO_TARGET_*_RUSTFLAGS",
    "CARGO_TARGET_*_AR",
    "RUSTC*",
    "RUSTFLAGS",
    "RUSTUP_TOOLCHAIN",
    "RUSTUP_HOME",
];

/// The tools every cargo build runs; a step adds its own ([`Step::tools`]).
pub const CARGO_TOOLS: &[&str] = &["cargo", "rustc"];

/// Where the workspace's manifests are not searched: entries with these names (globs).
pub const MANIFEST_PRUNE: &[&str] = &["target", "node_modules", ".venv*", ".git"];

/// One build step: what the app's config says about it, with the paths resolved.
#[derive(Debug, Clone, Default)]
pub struct Step {
    /// The command that builds it, as run.
    pub command: Vec<OsString>,
    /// The project root: the workspace whose manifests, lockfile and cargo config it reads.
    pub root: PathBuf,
    /// The profile directory of the build (`target/debug`, `target/<triple>/release`): its
    /// `build/*/output` files name the variables the build scripts read.
    pub build_dir: PathBuf,
    /// Cargo's dep-info files of the binaries it builds: the local sources they were built from.
    pub depinfo: Vec<PathBuf>,
    /// What it makes.
    pub outputs: Vec<PathBuf>,
    /// Files it reads besides the workspace's and the sources' (the build script itself, the
    /// bindings' inputs).
    pub inputs: Vec<PathBuf>,
    /// Tools it runs besides [`CARGO_TOOLS`], looked up on `PATH`.
    pub tools: Vec<String>,
    /// Variables it reads besides [`CARGO_ENV_GLOBS`] (globs).
    pub env_globs: Vec<String>,
}

impl Step {
    /// What the step read, found once: the workspace's manifests, and every input file (its own
    /// inputs, the lockfile, the cargo config files cargo would read: the root's and its
    /// ancestors' `.cargo/`, `CARGO_HOME`'s; the manifests and the local sources its dep-info
    /// lists). `None` when the manifests cannot be searched or a dep-info file cannot be read.
    pub fn reads(&self, sys: &impl System) -> Option<Reads> {
        let mut files = self.inputs.clone();
        files.push(self.root.join("Cargo.lock"));
        for dir in self.root.ancestors() {
            files.push(dir.join(".cargo/config"));
            files.push(dir.join(".cargo/config.toml"));
        }
        let vars = sys.vars();
        let var = |name: &str| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| PathBuf::from(v))
        };
        if let Some(home) = var("CARGO_HOME").or_else(|| var("HOME").map(|h| h.join(".cargo"))) {
            files.push(home.join("config"));
            files.push(home.join("config.toml"));
        }
        let prune: Vec<String> = MANIFEST_PRUNE.iter().map(|s| (*s).to_owned()).collect();
        let mut manifests = sys.manifests(&self.root, &prune)?;
        manifests.sort();
        files.extend(manifests.iter().cloned());
        for depinfo in &self.depinfo {
            files.extend(depinfo_sources(&sys.read(depinfo)?));
        }
        Some(Reads { manifests, files })
    }
}

/// What a step read ([`Step::reads`]).
#[derive(Debug, Clone)]
pub struct Reads {
    /// The workspace's manifests, sorted.
    pub manifests: Vec<PathBuf>,
    /// Every input file, the manifests among them.
    pub files: Vec<PathBuf>,
}

/// The files cargo's dep-info (`<target>: <dep> <dep> ...`, a space inside a path escaped as
/// `\ `) lists after each target.
pub fn depinfo_sources(text: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for line in text.lines() {
        let Some((_, deps)) = line.split_once(": ") else {
            continue;
        };
        let mut current = String::new();
        let mut chars = deps.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&' ') => {
                    current.push(' ');
                    chars.next();
                }
                ' ' => {
                    if !current.is_empty() {
                        files.push(PathBuf::from(std::mem::take(&mut current)));
                    }
                }
                _ => current.push(c),
            }
        }
        if !current.is_empty() {
            files.push(PathBuf::from(current));
        }
    }
    files
}

/// The stamp of `step` as the machine is now: every fact [`check`](super::check) verifies, one a
/// line. `None` when a fact cannot be written down faithfully (a compiler that does not answer,
/// a file that cannot be read, a name or value with a line break or outside UTF-8): the caller
/// then writes no stamp, so the next run builds again. A fingerprint that cannot be computed
/// means "rebuild", never "unchanged".
pub fn fingerprint(step: &Step, sys: &impl System) -> Option<String> {
    fingerprint_with(step, &step.reads(sys)?, sys)
}

/// [`fingerprint`] with what the step read already found.
pub fn fingerprint_with(step: &Step, reads: &Reads, sys: &impl System) -> Option<String> {
    let mut out = String::new();
    let text = |s: &std::ffi::OsStr| s.to_str().filter(|s| !s.contains('\n')).map(str::to_owned);
    let command: Vec<String> = step
        .command
        .iter()
        .map(|a| text(a))
        .collect::<Option<_>>()?;
    writeln!(out, "{STAMP_HEADER}").ok()?;
    writeln!(out, "command: {}", command.join(" ")).ok()?;
    for line in sys.rustc_version()?.lines() {
        writeln!(out, "rustc {line}").ok()?;
    }
    let globs: Vec<&str> = CARGO_ENV_GLOBS
        .iter()
        .copied()
        .chain(step.env_globs.iter().map(String::as_str))
        .collect();
    for glob in &globs {
        writeln!(out, "envglob {glob}").ok()?;
    }
    let vars = sys.vars();
    let mut names: Vec<String> = build_script_env(&step.build_dir, sys);
    for (name, _) in &vars {
        let name = text(name)?;
        if globs.iter().any(|g| glob_match(g, &name)) {
            names.push(name);
        }
    }
    names.sort();
    names.dedup();
    for name in names {
        match vars.iter().find(|(n, _)| n.to_str() == Some(&name)) {
            Some((_, value)) => writeln!(out, "env {name}={}", text(value)?).ok()?,
            None => writeln!(out, "env {name} unset").ok()?,
        }
    }
    let mut tool_files = Vec::new();
    for tool in CARGO_TOOLS
        .iter()
        .copied()
        .chain(step.tools.iter().map(String::as_str))
    {
        match sys.which(tool) {
            Some(path) => {
                writeln!(out, "tool {tool} {}", text(path.as_os_str())?).ok()?;
                tool_files.push(path);
            }
            None => writeln!(out, "tool {tool}").ok()?,
        }
    }
    for prune in MANIFEST_PRUNE {
        writeln!(out, "manifest-prune {prune}").ok()?;
    }
    writeln!(out, "manifest-root {}", text(step.root.as_os_str())?).ok()?;
    for manifest in &reads.manifests {
        writeln!(out, "manifest {}", text(manifest.as_os_str())?).ok()?;
    }
    let mut present = Vec::new();
    for file in reads.files.iter().chain(&step.outputs) {
        if sys.exists(file) {
            present.push(file);
        } else {
            writeln!(out, "absent {}", text(file.as_os_str())?).ok()?;
        }
    }
    for file in present.into_iter().chain(&tool_files) {
        let stat = sys.stat(file)?;
        writeln!(
            out,
            "file {} {} {}.{:09}",
            text(file.as_os_str())?,
            stat.size,
            stat.mtime_secs,
            stat.mtime_nanos
        )
        .ok()?;
    }
    Some(out)
}

/// The variables the build scripts of a profile directory declared with `rerun-if-env-changed`
/// (in `build/*/output`; both the `cargo:` and the `cargo::` spelling).
fn build_script_env(build_dir: &Path, sys: &impl System) -> Vec<String> {
    let mut names = Vec::new();
    for dir in sys.list_dir(&build_dir.join("build")) {
        let Some(output) = sys.read(&dir.join("output")) else {
            continue;
        };
        for line in output.lines() {
            if let Some(name) = line
                .strip_prefix("cargo::rerun-if-env-changed=")
                .or_else(|| line.strip_prefix("cargo:rerun-if-env-changed="))
                && !name.is_empty()
            {
                names.push(name.to_owned());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dep_info_paths_keep_their_escaped_spaces() {
        assert_eq!(
            depinfo_sources("/t/app: /src/a\\ b.rs /src/c.rs\n\n/t/app.d: /src/d.rs\n"),
            ["/src/a b.rs", "/src/c.rs", "/src/d.rs"].map(PathBuf::from)
        );
    }
}
