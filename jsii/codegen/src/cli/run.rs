//! `jsii-codegen run <bindings.toml> [-- ARGS...]`: an app's command (`bin/app`, which the CDK
//! or cdk8s CLI runs for every synth). From the project root, it
//! 1. checks the stamps of the last complete build ([`jsii_codegen::build`]): when every one
//!    holds and lists the app's binary, the binary runs at once (a few milliseconds);
//! 2. otherwise takes the project's build lock and brings the bindings up to date (the
//!    generation step, a no-op while the config and `node_modules` are unchanged), runs the
//!    config's `[[app.step]]` builds and then `cargo build --bin <bin>`, each skipped while its
//!    own stamp holds and stamped after it succeeds;
//! 3. runs the binary with `ARGS`, replacing this process.
//!
//! `jsii-codegen build <bindings.toml>` is steps 1 and 2 only (for scripts that build without
//! synthesizing). Build output goes to stderr: the CLI reads the app's stdout. `APP_BUILD_FORCE=1`
//! runs every step; `APP_BUILD_VERBOSE=1` says why a step runs or is skipped. Cargo's target
//! directory is `CARGO_TARGET_DIR` when set (a relative one relative to the project), else
//! `target/`; the stamps live in its `jsii-rs/stamps/<project>-<hash of its path>/`, so that
//! projects sharing a target directory keep theirs apart.

use super::io_error;
use super::system::RealSystem;
use jsii_codegen::Error;
use jsii_codegen::build::{Step, System, built_in, check, fingerprint_with, names_file};
use jsii_codegen::config::{AppConfig, Config};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The usage line of both commands.
pub const USAGE: &str = "\
usage: jsii-codegen run <bindings.toml> [-- ARGS...]   build what changed, then run the app
       jsii-codegen build <bindings.toml>              build what changed

Run from the project root (an app's bin/app does); the config's [app] table names the binary and
any builds it needs first. APP_BUILD_FORCE=1 builds everything; APP_BUILD_VERBOSE=1 says why a
build runs or is skipped.
";

/// `run` (`exec`: run the app after building) or `build`.
pub fn run(args: &[String], exec: bool) -> Result<ExitCode, Error> {
    let (config_path, app_args) = match args.split_first() {
        Some((first, _)) if first == "-h" || first == "--help" => {
            print!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        Some((config, rest)) if !config.starts_with('-') => {
            let app_args = match rest.split_first() {
                None => &[][..],
                Some((dash, app_args)) if dash == "--" && exec => app_args,
                Some((other, _)) => {
                    return Err(Error::Usage(format!("unexpected {other:?}\n{USAGE}")));
                }
            };
            (PathBuf::from(config), app_args)
        }
        _ => return Err(Error::Usage(format!("no config file given\n{USAGE}"))),
    };
    let project = Project::new(&config_path)?;
    let verbose = flag("APP_BUILD_VERBOSE");
    let mut say = |what: &str| {
        if verbose {
            eprintln!("build: {what}");
        }
    };
    if flag("APP_BUILD_FORCE") || !project.last_build_holds(&mut say) {
        project.build(&mut say)?;
    }
    if !exec {
        return Ok(ExitCode::SUCCESS);
    }
    use std::os::unix::process::CommandExt as _;
    let binary = project.binary();
    let err = std::process::Command::new(&binary).args(app_args).exec();
    Err(Error::Build {
        step: project.app.bin.clone(),
        detail: format!("cannot run {}: {err}", binary.display()),
    })
}

/// A directory name of this project's own under a target directory that several projects may
/// share (`CARGO_TARGET_DIR`): its directory's name and a hash of its path.
fn project_key(root: &Path) -> String {
    let path = root.as_os_str().as_encoded_bytes();
    // FNV-1a, 64 bits: stable across Rust versions, unlike `DefaultHasher`.
    let hash = path.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let name: String = root
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(40).collect())
        .unwrap_or_default();
    format!("{name}-{hash:016x}")
}

fn flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

/// The project being built: its root (the current directory), config and target directory.
struct Project {
    root: PathBuf,
    config_path: PathBuf,
    app: AppConfig,
    target: PathBuf,
    stamps: PathBuf,
    /// `PATH` for the builds and their stamps: the config's directories first.
    path: OsString,
}

impl Project {
    fn new(config_path: &Path) -> Result<Project, Error> {
        let root = std::env::current_dir().map_err(io_error(Path::new(".")))?;
        let text = std::fs::read_to_string(config_path).map_err(io_error(config_path))?;
        let app = Config::parse(&text)?.app.ok_or_else(|| {
            Error::Config(format!(
                "{} has no [app] table, so there is nothing to run: add\n  [app]\n  bin = \
                 \"<the binary that synthesizes>\"",
                config_path.display()
            ))
        })?;
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(t) if !t.is_empty() => root.join(t),
            _ => root.join("target"),
        };
        let inherited = std::env::var_os("PATH").unwrap_or_default();
        let dirs = app
            .path
            .iter()
            .map(|d| root.join(d))
            .chain(std::env::split_paths(&inherited));
        let path = std::env::join_paths(dirs).map_err(|e| {
            Error::Config(format!(
                "[app] path: {e} (a directory with `:` in its name?)"
            ))
        })?;
        Ok(Project {
            config_path: root.join(config_path),
            stamps: target.join("jsii-rs/stamps").join(project_key(&root)),
            root,
            app,
            target,
            path,
        })
    }

    fn binary(&self) -> PathBuf {
        self.target.join("debug").join(&self.app.bin)
    }

    fn last_run(&self) -> PathBuf {
        self.stamps.join("last-run")
    }

    /// Whether every stamp of the last complete build holds, is of this project, and lists the
    /// binary about to run.
    fn last_build_holds(&self, say: &mut dyn FnMut(&str)) -> bool {
        let list = std::fs::read_to_string(self.last_run()).unwrap_or_default();
        let stamps: Vec<&str> = list.lines().filter(|l| !l.is_empty()).collect();
        if stamps.is_empty() {
            say("no complete build is recorded (a first build, or the last one failed): building");
            return false;
        }
        let sys = RealSystem::new(self.path.clone());
        let mut names_binary = false;
        for stamp in stamps {
            let name = Path::new(stamp)
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy();
            let verdict = std::fs::read_to_string(stamp)
                .map_err(|e| format!("its stamp {stamp} cannot be read ({e})"))
                .and_then(|text| {
                    built_in(&text, &self.root, &sys)
                        .and_then(|()| check(&text, &sys))
                        .map_err(|e| e.to_string())?;
                    names_binary |= names_file(&text, &self.binary(), &sys);
                    Ok(())
                });
            if let Err(why) = verdict {
                say(&format!("{name}: {why}: building"));
                return false;
            }
        }
        if !names_binary {
            say(&format!(
                "{} is not an output of the last complete build: building",
                self.binary().display()
            ));
            return false;
        }
        say("nothing any step reads changed since its last build: skipped");
        true
    }

    /// The generation step, the config's steps and the app's, under the project's build lock.
    fn build(&self, say: &mut dyn FnMut(&str)) -> Result<(), Error> {
        std::fs::create_dir_all(&self.stamps).map_err(io_error(&self.stamps))?;
        // One build at a time: synths started together (parallel tests, two terminals) would
        // race cargo-lambda over its output directory and each other over the stamps. The lock
        // goes with this process.
        let lock_path = self.stamps.join("lock");
        let lock = std::fs::File::create(&lock_path).map_err(io_error(&lock_path))?;
        lock.lock().map_err(io_error(&lock_path))?;
        let _ = std::fs::remove_file(self.last_run());

        let (_, bindings) = super::generate::generate(
            &self.config_path,
            None,
            false,
            Some(&self.stamps.join("bindings.stamp")),
        )?;
        // What every step reads besides its sources and the workspace's manifests, lockfile and
        // cargo config (which the stamps find themselves): this program (a new version may
        // build differently), the config and the bindings' inputs.
        let mut inputs: Vec<PathBuf> = std::env::current_exe().into_iter().collect();
        inputs.push(self.config_path.clone());
        inputs.extend(bindings);

        let mut stamped = Vec::new();
        let mut steps = 0;
        for config in &self.app.steps {
            let selected = config.select.as_ref().and_then(|v| std::env::var(v).ok());
            let (name, build) = config.pick(selected.as_deref())?;
            let at = |p: &String| self.target.join(p);
            let step = Step {
                command: build.command.iter().map(OsString::from).collect(),
                root: self.root.clone(),
                build_dir: at(&build.build_dir),
                depinfo: build.depinfo.iter().map(at).collect(),
                outputs: build.outputs.iter().map(at).collect(),
                inputs: inputs.clone(),
                tools: config.tools.clone(),
                env_globs: config.env.iter().chain(&config.select).cloned().collect(),
            };
            steps += 1;
            let ran = self.step(&name, &step, say);
            stamped.extend(ran.map_err(|e| match (e, &config.hint) {
                (Error::Build { step, detail }, Some(hint)) => Error::Build {
                    step,
                    detail: format!("{detail}; {hint}"),
                },
                (e, _) => e,
            })?);
        }
        let mut command: Vec<OsString> = ["cargo", "build", "--quiet"].map(OsString::from).into();
        if let Some(package) = &self.app.package {
            command.extend(["-p".into(), package.into()]);
        }
        command.extend(["--bin".into(), self.app.bin.clone().into()]);
        let debug = self.target.join("debug");
        let app = Step {
            command,
            root: self.root.clone(),
            depinfo: vec![debug.join(format!("{}.d", self.app.bin))],
            outputs: vec![self.binary()],
            build_dir: debug,
            inputs,
            tools: Vec::new(),
            env_globs: Vec::new(),
        };
        steps += 1;
        stamped.extend(self.step("app", &app, say)?);
        if stamped.len() == steps {
            let list: String = stamped
                .iter()
                .map(|s| format!("{}\n", s.display()))
                .collect();
            let partial = self.stamps.join("last-run.partial");
            std::fs::write(&partial, list)
                .and_then(|()| std::fs::rename(&partial, self.last_run()))
                .map_err(io_error(&self.last_run()))?;
        }
        Ok(())
    }

    /// Runs one step; its stamp when it has one.
    fn step(
        &self,
        name: &str,
        step: &Step,
        say: &mut dyn FnMut(&str),
    ) -> Result<Option<PathBuf>, Error> {
        let stamp = self.stamps.join(format!("{name}.stamp"));
        let mut tell = |what: &str| say(&format!("{name}: {what}"));
        let ran = run_step(step, &stamp, &self.path, &mut tell).map_err(|detail| Error::Build {
            step: name.to_owned(),
            detail,
        })?;
        match ran {
            Ran::Skipped | Ran::Stamped => Ok(Some(stamp)),
            Ran::Unstamped(why) => {
                tell(&format!("{why}: no stamp"));
                Ok(None)
            }
        }
    }
}

/// How a step ended when its command did not fail.
#[derive(Debug, PartialEq, Eq)]
enum Ran {
    /// Its stamp held: nothing it reads changed, so the command did not run.
    Skipped,
    /// The command ran, and the stamp now describes what it read and made.
    Stamped,
    /// The command ran, and left no stamp (the reason): the next run builds again.
    Unstamped(String),
}

/// Runs one step: skips it while its stamp at `stamp` holds (of this project, listing each
/// output, its dep-info files present; unless `APP_BUILD_FORCE`), else removes the stamp, runs
/// the command with `PATH` set to `path` (its stdout goes to stderr) and writes a new stamp
/// unless an input changed while it ran. `say` hears why it runs or is skipped. `Err` is the
/// command's failure (it could not start, or exited with a failure).
fn run_step(
    step: &Step,
    stamp: &Path,
    path: &OsString,
    say: &mut dyn FnMut(&str),
) -> Result<Ran, String> {
    // One machine for the check and the stamp: `rustc -vV` runs once.
    let sys = RealSystem::new(path.clone());
    let fresh = if flag("APP_BUILD_FORCE") {
        Err("APP_BUILD_FORCE is set".to_owned())
    } else {
        std::fs::read_to_string(stamp)
            .map_err(|_| "no stamp (a first build, or the last one failed)".to_owned())
            .and_then(|text| {
                built_in(&text, &step.root, &sys)
                    .and_then(|()| check(&text, &sys))
                    .map_err(|e| e.to_string())?;
                // A stamp that holds but does not list an output (written for other outputs)
                // does not say the output came from this build.
                match step.outputs.iter().find(|o| !names_file(&text, o, &sys)) {
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
        .env("PATH", path)
        .current_dir(&step.root)
        .stdout(std::io::stderr())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", program.to_string_lossy()))?;
    if !status.success() {
        return Err(format!("`{}` failed ({status})", command_line(step)));
    }
    let Some((text, reads)) = step
        .reads(&sys)
        .and_then(|reads| Some((fingerprint_with(step, &reads, &sys)?, reads)))
    else {
        return Ok(Ran::Unstamped(
            "what it read cannot all be written down (a file unreadable, rustc silent)".into(),
        ));
    };
    // A source saved while the build ran may or may not be in its output. One whose time equals
    // the start's counts too: the file system's clock ticks coarsely (milliseconds), so that
    // may be a save after the start; the price is one more build.
    let began = sys.stat(&started);
    let changed = reads.files.iter().find(|f| match (sys.stat(f), began) {
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

fn command_line(step: &Step) -> String {
    step.command
        .iter()
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsii_codegen::build::{Stale, fingerprint};

    fn real() -> RealSystem {
        RealSystem::new(std::env::var_os("PATH").unwrap_or_default())
    }

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
        let sys = real();
        let stamp = fingerprint(&step, &sys).expect("a fingerprint");
        check(&stamp, &real()).expect("fresh");
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
        let stamp = fingerprint(&step, &real()).expect("a fingerprint");
        // A source edited (another size), an input that appeared, a new manifest.
        std::fs::write(dir.path().join("app/src/my main.rs"), "fn main() { }\n").expect("edit");
        assert!(matches!(
            check(&stamp, &real()),
            Err(Stale::File {
                what: "changed",
                ..
            })
        ));
        let stamp = fingerprint(&step, &real()).expect("a fingerprint");
        std::fs::create_dir_all(dir.path().join("bin")).expect("mkdir");
        std::fs::write(&step.inputs[0], "#!/bin/sh\n").expect("appears");
        assert!(matches!(
            check(&stamp, &real()),
            Err(Stale::File {
                what: "appeared",
                ..
            })
        ));
        let stamp = fingerprint(&step, &real()).expect("a fingerprint");
        std::fs::write(dir.path().join("bin/Cargo.toml"), "[package]\n").expect("manifest");
        assert!(matches!(check(&stamp, &real()), Err(Stale::Manifests)));
    }

    #[test]
    fn what_cannot_be_written_down_gives_no_stamp() {
        let (_dir, mut step) = project();
        step.command.push("two\nlines".into());
        assert!(fingerprint(&step, &real()).is_none());
        let (_dir, mut step) = project();
        step.depinfo.push(step.root.join("target/debug/none.d"));
        assert!(fingerprint(&step, &real()).is_none());
    }
}
