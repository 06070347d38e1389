//! Writing a stamp: the facts one build step read and made, in the format [`check`](crate::check)
//! reads. Both halves live in this crate, so a new kind of fact is one change here, with the
//! round-trip tests below; `bin/cdk-build` only says which steps there are.

use crate::{STAMP_HEADER, System, glob_match};
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

/// One build step: what `bin/cdk-build` tells this crate about it.
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
    /// Every input the step read: its own inputs, the lockfile, the cargo config files cargo
    /// would read (the root's and its ancestors' `.cargo/`, `CARGO_HOME`'s), the workspace's
    /// manifests and the local sources its dep-info lists. `None` when a dep-info file cannot
    /// be read or names a path this format cannot hold.
    pub fn input_files(&self, sys: &impl System) -> Option<Vec<PathBuf>> {
        let mut files = self.inputs.clone();
        files.push(self.root.join("Cargo.lock"));
        for dir in self.root.ancestors() {
            files.push(dir.join(".cargo/config"));
            files.push(dir.join(".cargo/config.toml"));
        }
        let cargo_home = sys
            .vars()
            .into_iter()
            .find(|(k, _)| k == "CARGO_HOME")
            .map(|(_, v)| PathBuf::from(v))
            .or_else(|| {
                sys.vars()
                    .into_iter()
                    .find(|(k, _)| k == "HOME")
                    .map(|(_, v)| PathBuf::from(v).join(".cargo"))
            });
        if let Some(home) = cargo_home {
            files.push(home.join("config"));
            files.push(home.join("config.toml"));
        }
        files.extend(self.manifests(sys)?);
        for depinfo in &self.depinfo {
            files.extend(depinfo_sources(&std::fs::read_to_string(depinfo).ok()?));
        }
        Some(files)
    }

    fn manifests(&self, sys: &impl System) -> Option<Vec<PathBuf>> {
        let prune: Vec<String> = MANIFEST_PRUNE.iter().map(|s| (*s).to_owned()).collect();
        let mut found = sys.manifests(&self.root, &prune)?;
        found.sort();
        Some(found)
    }
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

/// The stamp of `step` as the machine is now: every fact [`check`](crate::check) verifies, one a
/// line. `None` when a fact cannot be written down faithfully (a compiler that does not answer,
/// a file that cannot be read, a name or value with a line break or outside UTF-8): the caller
/// then writes no stamp, so the next run builds again. A fingerprint that cannot be computed
/// means "rebuild", never "unchanged".
pub fn fingerprint(step: &Step, sys: &impl System) -> Option<String> {
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
    let mut names: Vec<String> = build_script_env(&step.build_dir);
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
    for manifest in step.manifests(sys)? {
        writeln!(out, "manifest {}", text(manifest.as_os_str())?).ok()?;
    }
    let inputs = step.input_files(sys)?;
    let mut present = Vec::new();
    for file in inputs.iter().chain(&step.outputs) {
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
fn build_script_env(build_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(build_dir.join("build")) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for entry in entries.flatten() {
        let Ok(output) = std::fs::read_to_string(entry.path().join("output")) else {
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

/// How a step ended when its command did not fail.
#[derive(Debug, PartialEq, Eq)]
pub enum Ran {
    /// Its stamp held: nothing it reads changed, so the command did not run.
    Skipped,
    /// The command ran, and the stamp now describes what it read and made.
    Stamped,
    /// The command ran, and left no stamp (the reason): the next run builds again.
    Unstamped(String),
}

/// Runs one step: skips it while its stamp at `stamp` holds (and is of this project, and its
/// dep-info files exist), else removes the stamp, runs the command (its stdout goes to stderr:
/// the CDK CLI reads the app's stdout) and writes a new stamp unless an input changed while it
/// ran. `force` runs it whatever the stamp says. `say` hears why a step runs or is skipped.
/// `Err` is the command's failure (it could not start, or exited with a failure).
pub fn run_step(
    step: &Step,
    stamp: &Path,
    force: bool,
    say: &mut dyn FnMut(&str),
) -> Result<Ran, String> {
    let fresh = if force {
        Err("APP_BUILD_FORCE is set".to_owned())
    } else {
        std::fs::read_to_string(stamp)
            .map_err(|_| "no stamp (a first build, or the last one failed)".to_owned())
            .and_then(|text| {
                let sys = crate::RealSystem::new();
                crate::built_in(&text, &step.root, &sys)
                    .and_then(|()| crate::check(&text, &sys))
                    .map_err(|e| e.to_string())?;
                // A stamp that holds but does not list an output (written for other outputs)
                // does not say the output came from this build.
                match step
                    .outputs
                    .iter()
                    .find(|o| !crate::names_file(&text, o, &sys))
                {
                    Some(o) => Err(format!("{} is not in its stamp", o.display())),
                    None => Ok(()),
                }
            })
            .and_then(|()| match step.depinfo.iter().find(|d| !d.exists()) {
                Some(d) => Err(format!("{} is missing", d.display())),
                None => Ok(()),
            })
    };
    match fresh {
        Ok(()) => {
            say("nothing it reads changed since its last build: skipped");
            return Ok(Ran::Skipped);
        }
        Err(why) => say(&format!("{why}: building")),
    }
    let _ = std::fs::remove_file(stamp);
    // Its modification time is when the build began, on the file system's own clock.
    let started = stamp.with_extension("started");
    std::fs::write(&started, "").map_err(|e| format!("cannot write {}: {e}", started.display()))?;
    let (program, args) = step
        .command
        .split_first()
        .ok_or_else(|| "a step needs a command".to_owned())?;
    let status = std::process::Command::new(program)
        .args(args)
        .stdout(std::io::stderr())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", program.to_string_lossy()))?;
    if !status.success() {
        return Err(format!("{} failed ({status})", program.to_string_lossy()));
    }
    let sys = crate::RealSystem::new();
    let Some(text) = fingerprint(step, &sys) else {
        return Ok(Ran::Unstamped(
            "what it read cannot all be written down (a file unreadable, rustc silent)".into(),
        ));
    };
    // A source saved while the build ran may or may not be in its output. One whose time equals
    // the start's counts too: the file system's clock ticks coarsely (milliseconds), so that
    // may be a save after the start; the price is one more build.
    let began = sys.stat(&started);
    let inputs = step.input_files(&sys).unwrap_or_default();
    let changed = inputs.iter().find(|f| match (sys.stat(f), began) {
        (Some(now), Some(began)) => {
            (now.mtime_secs, now.mtime_nanos) >= (began.mtime_secs, began.mtime_nanos)
        }
        (None, _) => false,
        (Some(_), None) => true,
    });
    if let Some(file) = changed {
        return Ok(Ran::Unstamped(format!(
            "{} changed while it built",
            file.display()
        )));
    }
    let partial = stamp.with_extension("partial");
    std::fs::write(&partial, text)
        .and_then(|()| std::fs::rename(&partial, stamp))
        .map_err(|e| format!("cannot write the stamp {}: {e}", stamp.display()))?;
    Ok(Ran::Stamped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RealSystem, Stale, built_in, check, names_file};

    /// A project on disk: a manifest, a lockfile, a source its dep-info names, an output.
    fn project() -> (tempfile::TempDir, Step) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().to_path_buf();
        let write = |p: &str, text: &str| {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, text).expect("write");
            path
        };
        write("Cargo.toml", "[workspace]\n");
        write("Cargo.lock", "version = 4\n");
        write("app/Cargo.toml", "[package]\n");
        let source = write("app/src/my main.rs", "fn main() {}\n");
        let output = write("target/debug/app", "binary");
        write(
            "target/debug/build/dep-1/output",
            "cargo:rerun-if-env-changed=BUILD_SCRIPT_VAR\ncargo::rustc-cfg=x\n",
        );
        let depinfo = write(
            "target/debug/app.d",
            &format!(
                "{}: {}\n",
                output.display(),
                source.display().to_string().replace(' ', "\\ ")
            ),
        );
        write(
            "target/Cargo.toml",
            "pruned: never a manifest of the workspace\n",
        );
        let step = Step {
            command: vec!["cargo".into(), "build".into()],
            root: root.clone(),
            build_dir: root.join("target/debug"),
            depinfo: vec![depinfo],
            outputs: vec![output],
            inputs: vec![root.join("bin/missing-script")],
            tools: vec!["a-tool-nobody-has".into()],
            env_globs: vec!["MY_STEP_*".into()],
        };
        (dir, step)
    }

    #[test]
    fn a_stamp_written_now_holds_now_and_names_its_outputs() {
        let (_dir, step) = project();
        let sys = RealSystem::new();
        let stamp = fingerprint(&step, &sys).expect("a fingerprint");
        check(&stamp, &RealSystem::new()).expect("fresh");
        built_in(&stamp, &step.root, &sys).expect("built here");
        assert!(names_file(&stamp, &step.outputs[0], &sys));
        for expected in [
            "command: cargo build",
            "envglob MY_STEP_*",
            "env BUILD_SCRIPT_VAR",
            "tool a-tool-nobody-has",
            "manifest-prune .venv*",
        ] {
            assert!(stamp.contains(expected), "{expected:?} not in\n{stamp}");
        }
        assert!(
            stamp.contains("my main.rs "),
            "the escaped source:\n{stamp}"
        );
        assert!(stamp.contains(&format!("absent {}", step.inputs[0].display())));
        assert!(!stamp.contains("target/Cargo.toml"), "{stamp}");
    }

    #[test]
    fn a_stamp_written_before_a_change_is_stale_after_it() {
        let (dir, step) = project();
        let stamp = fingerprint(&step, &RealSystem::new()).expect("a fingerprint");
        // A source edited (another size), an input that appeared, a new manifest.
        std::fs::write(dir.path().join("app/src/my main.rs"), "fn main() { }\n").expect("edit");
        assert!(matches!(
            check(&stamp, &RealSystem::new()),
            Err(Stale::File {
                what: "changed",
                ..
            })
        ));
        let stamp = fingerprint(&step, &RealSystem::new()).expect("a fingerprint");
        std::fs::create_dir_all(dir.path().join("bin")).expect("mkdir");
        std::fs::write(&step.inputs[0], "#!/bin/sh\n").expect("appears");
        assert!(matches!(
            check(&stamp, &RealSystem::new()),
            Err(Stale::File {
                what: "appeared",
                ..
            })
        ));
        let stamp = fingerprint(&step, &RealSystem::new()).expect("a fingerprint");
        std::fs::write(dir.path().join("bin/Cargo.toml"), "[package]\n").expect("manifest");
        assert!(matches!(
            check(&stamp, &RealSystem::new()),
            Err(Stale::Manifests)
        ));
    }

    #[test]
    fn what_cannot_be_written_down_gives_no_stamp() {
        let (_dir, mut step) = project();
        step.command.push("two\nlines".into());
        assert!(fingerprint(&step, &RealSystem::new()).is_none());
        let (_dir, mut step) = project();
        step.depinfo.push(step.root.join("target/debug/none.d"));
        assert!(fingerprint(&step, &RealSystem::new()).is_none());
    }

    #[test]
    fn dep_info_paths_keep_their_escaped_spaces() {
        assert_eq!(
            depinfo_sources("/t/app: /src/a\\ b.rs /src/c.rs\n\n/t/app.d: /src/d.rs\n"),
            ["/src/a b.rs", "/src/c.rs", "/src/d.rs"].map(PathBuf::from)
        );
    }
}
