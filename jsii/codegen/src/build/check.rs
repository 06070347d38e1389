//! Reading a stamp: does every fact it lists still hold on this machine?

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// The first line of every stamp this program understands.
pub const STAMP_HEADER: &str = "jsii-codegen build stamp v1";

/// Why a stamp does not hold: the build it describes must run again.
#[derive(Debug)]
pub enum Stale {
    /// The stamp cannot be read: the first build, a failed or interrupted one, or one running now.
    NoStamp {
        /// The stamp's path.
        stamp: PathBuf,
        /// Why it could not be read.
        reason: String,
    },
    /// A line this program does not understand (another version of this program wrote it).
    UnknownLine {
        /// Its 1-based line number.
        line: usize,
        /// The line, shortened.
        text: String,
    },
    /// A kind of fact every stamp holds is missing (the stamp was cut short or edited).
    Incomplete {
        /// The kind of line that is missing.
        missing: &'static str,
    },
    /// `rustc -vV` answers differently now, or not at all.
    Compiler,
    /// An environment variable cargo or a build script reads has another value now.
    Env {
        /// Its name.
        name: String,
    },
    /// A tool resolves to another file on `PATH` now (or to none).
    Tool {
        /// The tool's name.
        name: String,
    },
    /// A workspace manifest (`Cargo.toml`) appeared or disappeared.
    Manifests,
    /// A binary the caller runs is not an output of the last complete build (which a build
    /// script of another version ran, or which built it elsewhere).
    NotBuilt {
        /// The binary.
        path: PathBuf,
    },
    /// The stamp describes a build of another project (another checkout sharing this cargo
    /// target directory through `CARGO_TARGET_DIR`).
    OtherProject {
        /// The project the stamp's build was of.
        built: PathBuf,
    },
    /// An input or output file changed, disappeared or appeared.
    File {
        /// The file.
        path: PathBuf,
        /// What happened to it.
        what: &'static str,
    },
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stale::NoStamp { stamp, reason } => write!(
                f,
                "no readable stamp at {} ({reason}): a first, failed or running build",
                stamp.display()
            ),
            Stale::UnknownLine { line, text } => write!(
                f,
                "stamp line {line} is not one this check knows ({text:?}): written by another \
                 version of jsii-codegen"
            ),
            Stale::Incomplete { missing } => write!(
                f,
                "the stamp has no `{missing}` line: cut short, edited, or written by another \
                 version of jsii-codegen"
            ),
            Stale::Compiler => write!(f, "`rustc -vV` answers differently (or not at all)"),
            Stale::Env { name } => write!(f, "environment variable {name} changed"),
            Stale::Tool { name } => write!(f, "`{name}` resolves to another file on PATH"),
            Stale::Manifests => write!(f, "a Cargo.toml appeared or disappeared in the workspace"),
            Stale::NotBuilt { path } => write!(
                f,
                "{} is not an output of the last complete build (a build of other steps, \
                 or elsewhere?)",
                path.display()
            ),
            Stale::OtherProject { built } => write!(
                f,
                "the last build was of {}, another project sharing this target directory",
                built.display()
            ),
            Stale::File { path, what } => write!(f, "{} {what}", path.display()),
        }
    }
}

impl std::error::Error for Stale {}

/// A file's size and modification time, as `stat -L` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// Size in bytes.
    pub size: u64,
    /// Modification time: whole seconds since the epoch.
    pub mtime_secs: i64,
    /// Modification time: the nanoseconds past `mtime_secs`.
    pub mtime_nanos: u32,
}

/// What the check reads from the machine. The CLI's `RealSystem` (`cli/system.rs`) is the
/// machine; tests pass their own.
pub trait System {
    /// The environment, as the build step sees it.
    fn vars(&self) -> Vec<(OsString, OsString)>;
    /// `stat -L`: the file's size and modification time, following symlinks; `None` if absent or
    /// unreadable.
    fn stat(&self, path: &Path) -> Option<FileStat>;
    /// `[ -e path ]`: whether the path names anything, following symlinks.
    fn exists(&self, path: &Path) -> bool {
        self.stat(path).is_some()
    }
    /// `command -v name`: the first executable file of that name on `PATH`.
    fn which(&self, name: &str) -> Option<PathBuf>;
    /// Whether two spellings of a tool's path name the same directory entry: the same file
    /// name (never true for two names) in directories that resolve to the same place
    /// (`bin/../.venv/bin/cargo-lambda` and `/project/.venv/bin/cargo-lambda`). Not the file
    /// the entry links to: a virtualenv's `python3` is a link to the system's, and behaves
    /// differently.
    fn same_entry(&self, a: &Path, b: &Path) -> bool {
        a == b
    }
    /// Whether two paths name the same directory (after resolving links and `..`).
    fn same_dir(&self, a: &Path, b: &Path) -> bool {
        a == b
    }
    /// The output of `rustc -vV`, or `None` if it did not run or failed.
    fn rustc_version(&self) -> Option<String>;
    /// A text file's contents (cargo's dep-info, a build script's output); `None` if unreadable.
    fn read(&self, path: &Path) -> Option<String>;
    /// The entries of a directory; empty if there is none.
    fn list_dir(&self, dir: &Path) -> Vec<PathBuf>;
    /// Every `Cargo.toml` under `root`, skipping entries whose name matches a `prune` glob (as
    /// `find root ( -name P1 -o ... ) -prune -o -name Cargo.toml -print` does); `None` if a
    /// directory could not be read.
    fn manifests(&self, root: &Path, prune: &[String]) -> Option<Vec<PathBuf>>;
}

/// Checks one stamp's text against the machine. `Ok` only when every fact in it still holds.
///
/// The lines, in the order [`fingerprint`](super::fingerprint) writes them:
/// - `jsii-codegen build stamp v1`: the header ([`STAMP_HEADER`]); anything else is another
///   format.
/// - `command: ...`: the build's command. Not checked here: the config that decides it, and
///   the program that read the config, are themselves `file` lines of the stamp.
/// - `rustc <line>`: the lines of `rustc -vV`, which must answer the same now.
/// - `envglob <glob>`: a pattern (`*` only) of variables cargo reads. Every variable set now whose
///   name matches one must have an `env` line.
/// - `env NAME=value` / `env NAME unset`: a variable and its value at build time (build scripts'
///   `rerun-if-env-changed` names are listed this way too, set or not).
/// - `tool <name> [<path>]`: where `command -v name` found the tool (no path: nowhere).
/// - `manifest-prune <glob>`, `manifest-root <dir>`, `manifest <path>`: the workspace's
///   manifests found under the root; the same search must find exactly these.
/// - `absent <path>`: an input that did not exist, and must not now.
/// - `file <path> <size> <mtime>`: an input or output with its size and modification time
///   (`seconds.nanoseconds`, as GNU `stat -c %.9Y` or BSD `stat -f %Fm` prints it).
///
/// A stamp without any `rustc`, `envglob`, `manifest-root`, `manifest-prune` or `file` line is
/// stale: [`fingerprint`](super::fingerprint) writes each of them every time, so one missing means a stamp
/// cut short.
pub fn check(stamp: &str, sys: &impl System) -> Result<(), Stale> {
    let mut lines = stamp.lines().enumerate();
    if lines.next().map(|(_, l)| l) != Some(STAMP_HEADER) {
        return Err(unknown(0, stamp.lines().next().unwrap_or("")));
    }
    let mut rustc: Vec<&str> = Vec::new();
    let mut globs: Vec<&str> = Vec::new();
    let mut env: Vec<(&str, Option<&str>)> = Vec::new();
    let mut prune: Vec<String> = Vec::new();
    let mut manifest_root: Option<&str> = None;
    let mut manifests: Vec<PathBuf> = Vec::new();
    let mut files = 0usize;
    for (i, line) in lines {
        let (kind, rest) = line.split_once(' ').unwrap_or((line, ""));
        match kind {
            "command:" => {}
            "rustc" => rustc.push(rest),
            "envglob" if !rest.is_empty() => globs.push(rest),
            "env" => match rest.split_once('=') {
                Some((name, value)) if !name.contains(' ') => env.push((name, Some(value))),
                _ => match rest.strip_suffix(" unset") {
                    Some(name) if !name.contains(' ') && !name.is_empty() => env.push((name, None)),
                    _ => return Err(unknown(i, line)),
                },
            },
            "tool" => {
                let (name, path) = rest.split_once(' ').unwrap_or((rest, ""));
                let was = (!path.is_empty()).then(|| Path::new(path));
                let same = match (sys.which(name), was) {
                    (None, None) => true,
                    (Some(now), Some(was)) => sys.same_entry(&now, was),
                    _ => false,
                };
                if name.is_empty() || !same {
                    return Err(Stale::Tool {
                        name: name.to_owned(),
                    });
                }
            }
            "manifest-prune" if !rest.is_empty() => prune.push(rest.to_owned()),
            "manifest-root" if !rest.is_empty() => manifest_root = Some(rest),
            "manifest" if !rest.is_empty() => manifests.push(PathBuf::from(rest)),
            "absent" if !rest.is_empty() => {
                if sys.exists(Path::new(rest)) {
                    return Err(Stale::File {
                        path: rest.into(),
                        what: "appeared",
                    });
                }
            }
            "file" => {
                let Some((path, stat)) = parse_file_line(rest) else {
                    return Err(unknown(i, line));
                };
                files += 1;
                match sys.stat(Path::new(path)) {
                    None => {
                        return Err(Stale::File {
                            path: path.into(),
                            what: "is gone",
                        });
                    }
                    Some(now) if !stat.matches(&now) => {
                        return Err(Stale::File {
                            path: path.into(),
                            what: "changed",
                        });
                    }
                    Some(_) => {}
                }
            }
            _ => return Err(unknown(i, line)),
        }
    }
    // Every stamp written has each of these; without one, part of what the build read
    // would go unchecked.
    for (missing, absent) in [
        ("rustc", rustc.is_empty()),
        ("envglob", globs.is_empty()),
        ("manifest-root", manifest_root.is_none()),
        ("manifest-prune", prune.is_empty()),
        ("file", files == 0),
    ] {
        if absent {
            return Err(Stale::Incomplete { missing });
        }
    }
    check_env(&globs, &env, sys)?;
    let root = manifest_root.unwrap_or_default();
    let mut found = sys
        .manifests(Path::new(root), &prune)
        .ok_or(Stale::Manifests)?;
    found.sort();
    manifests.sort();
    if found != manifests {
        return Err(Stale::Manifests);
    }
    let now = sys.rustc_version().ok_or(Stale::Compiler)?;
    if !now.lines().eq(rustc.iter().copied()) {
        return Err(Stale::Compiler);
    }
    Ok(())
}

/// Whether one of the stamp's `file` lines names `file` (the same directory entry): a binary the
/// build that wrote the stamp produced. Says nothing about whether it changed since; [`check`]
/// does.
pub fn names_file(stamp: &str, file: &Path, sys: &impl System) -> bool {
    // The same entry has the same file name: only those lines need the (costlier) comparison of
    // their directories.
    let name = file.file_name();
    stamp.lines().any(|line| {
        line.strip_prefix("file ")
            .and_then(parse_file_line)
            .is_some_and(|(path, _)| {
                let path = Path::new(path);
                path.file_name() == name && sys.same_entry(path, file)
            })
    })
}

/// Whether the stamp's build was of the project at `root` (its `manifest-root` names the same
/// directory): a target directory shared by two checkouts holds the stamps of whichever built
/// last, and they must not vouch for the other's binary.
pub fn built_in(stamp: &str, root: &Path, sys: &impl System) -> Result<(), Stale> {
    let built = stamp
        .lines()
        .find_map(|l| l.strip_prefix("manifest-root "))
        .ok_or(Stale::Incomplete {
            missing: "manifest-root",
        })?;
    if sys.same_dir(Path::new(built), root) {
        Ok(())
    } else {
        Err(Stale::OtherProject {
            built: built.into(),
        })
    }
}

fn unknown(index: usize, line: &str) -> Stale {
    Stale::UnknownLine {
        line: index + 1,
        text: line.chars().take(80).collect(),
    }
}

/// The variables the stamp names must have their recorded values, and no variable matching one
/// of its globs may be set unless the stamp names it.
fn check_env(globs: &[&str], env: &[(&str, Option<&str>)], sys: &impl System) -> Result<(), Stale> {
    let vars = sys.vars();
    for (name, _) in &vars {
        let Some(name) = name.to_str() else { continue };
        if globs.iter().any(|g| glob_match(g, name)) && !env.iter().any(|(n, _)| *n == name) {
            return Err(Stale::Env {
                name: name.to_owned(),
            });
        }
    }
    for (name, was) in env {
        let now = vars
            .iter()
            .find(|(n, _)| n.to_str() == Some(name))
            .map(|(_, v)| v);
        let same = match (now, was) {
            (None, None) => true,
            (Some(now), Some(was)) => now.to_str() == Some(was),
            _ => false,
        };
        if !same {
            return Err(Stale::Env {
                name: (*name).to_owned(),
            });
        }
    }
    Ok(())
}

/// A recorded size and modification time. The time keeps the precision it was printed with:
/// a stamp with microseconds compares microseconds.
#[derive(Debug, PartialEq, Eq)]
struct Recorded {
    size: u64,
    secs: i64,
    nanos: u32,
    digits: u32,
}

impl Recorded {
    fn matches(&self, now: &FileStat) -> bool {
        let scale = 10u32.pow(9 - self.digits);
        self.size == now.size
            && self.secs == now.mtime_secs
            && self.nanos == now.mtime_nanos / scale * scale
    }
}

/// `<path> <size> <mtime>`, split from the right: the path may hold spaces.
fn parse_file_line(rest: &str) -> Option<(&str, Recorded)> {
    let mut parts = rest.rsplitn(3, ' ');
    let mtime = parts.next()?;
    let size = parts.next()?.parse().ok()?;
    let path = parts.next().filter(|p| !p.is_empty())?;
    let (secs, frac) = mtime.split_once('.').unwrap_or((mtime, ""));
    let digits = u32::try_from(frac.len()).ok().filter(|d| *d <= 9)?;
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos = if frac.is_empty() {
        0
    } else {
        frac.parse::<u32>().ok()? * 10u32.pow(9 - digits)
    };
    Some((
        path,
        Recorded {
            size,
            secs: secs.parse().ok()?,
            nanos,
            digits,
        },
    ))
}

/// Shell-style matching with `*` (any run of characters); every other character is literal.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let mut parts: Vec<&str> = parts.collect();
    let Some(last) = parts.pop() else {
        return rest.is_empty();
    };
    for part in parts {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A machine in memory: files by path, the environment, tools and the compiler's answer.
    #[derive(Clone)]
    struct Fake {
        files: BTreeMap<PathBuf, FileStat>,
        vars: Vec<(&'static str, &'static str)>,
        tools: BTreeMap<&'static str, PathBuf>,
        rustc: Option<String>,
    }

    impl System for Fake {
        fn vars(&self) -> Vec<(OsString, OsString)> {
            self.vars
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect()
        }
        fn stat(&self, path: &Path) -> Option<FileStat> {
            self.files.get(path).copied()
        }
        fn which(&self, name: &str) -> Option<PathBuf> {
            self.tools.get(name).cloned()
        }
        fn rustc_version(&self) -> Option<String> {
            self.rustc.clone()
        }
        fn read(&self, _: &Path) -> Option<String> {
            None
        }
        fn list_dir(&self, _: &Path) -> Vec<PathBuf> {
            Vec::new()
        }
        fn manifests(&self, root: &Path, prune: &[String]) -> Option<Vec<PathBuf>> {
            assert_eq!(prune, ["target", ".venv*"]);
            Some(
                self.files
                    .keys()
                    .filter(|p| p.starts_with(root) && p.ends_with("Cargo.toml"))
                    .cloned()
                    .collect(),
            )
        }
    }

    fn stat(size: u64, secs: i64, nanos: u32) -> FileStat {
        FileStat {
            size,
            mtime_secs: secs,
            mtime_nanos: nanos,
        }
    }

    fn machine() -> Fake {
        Fake {
            files: BTreeMap::from([
                ("/p/Cargo.toml".into(), stat(10, 1_700_000_000, 5)),
                ("/p/app/Cargo.toml".into(), stat(11, 1_700_000_001, 0)),
                (
                    "/p/app/src/main.rs".into(),
                    stat(120, 1_700_000_002, 123_456_789),
                ),
                ("/p/my dir/lib.rs".into(), stat(7, 1_700_000_003, 100_000)),
                ("/bin/cargo".into(), stat(1000, 1_600_000_000, 0)),
            ]),
            vars: vec![("PATH", "/bin"), ("RUSTFLAGS", "-Dwarnings"), ("CC", "cc")],
            tools: BTreeMap::from([("cargo", PathBuf::from("/bin/cargo"))]),
            rustc: Some("rustc 1.95.0\nhost: x86_64-unknown-linux-gnu\n".into()),
        }
    }

    /// A stamp as [`fingerprint`](super::super::fingerprint) writes it for `machine()`.
    const STAMP: &str = "jsii-codegen build stamp v1
command: cargo build --quiet -p app
rustc rustc 1.95.0
rustc host: x86_64-unknown-linux-gnu
envglob CARGO_TARGET_*_LINKER
envglob RUSTFLAGS
env CC=cc
env CFLAGS unset
env RUSTFLAGS=-Dwarnings
tool cargo /bin/cargo
tool zig
manifest-prune target
manifest-prune .venv*
manifest-root /p
manifest /p/Cargo.toml
manifest /p/app/Cargo.toml
absent /p/.cargo/config.toml
file /p/Cargo.toml 10 1700000000.000000005
file /p/app/Cargo.toml 11 1700000001.000000000
file /p/app/src/main.rs 120 1700000002.123456789
file /p/my dir/lib.rs 7 1700000003.000100000
file /bin/cargo 1000 1600000000.000000000
";

    fn stale(sys: &Fake) -> Stale {
        check(STAMP, sys).expect_err("the stamp must not hold")
    }

    #[test]
    fn a_stamp_vouches_only_for_the_project_it_was_built_in() {
        let sys = machine();
        assert!(built_in(STAMP, Path::new("/p"), &sys).is_ok());
        let other = built_in(STAMP, Path::new("/other-checkout"), &sys).expect_err("other");
        assert!(matches!(other, Stale::OtherProject { .. }), "{other}");
        assert!(other.to_string().contains("/p"), "{other}");
        let cut = STAMP.replace("manifest-root /p\n", "");
        assert!(built_in(&cut, Path::new("/p"), &sys).is_err());
    }

    #[test]
    fn a_stamp_whose_facts_all_hold_is_fresh() {
        check(STAMP, &machine()).expect("fresh");
    }

    #[test]
    fn a_stamp_names_the_files_it_lists_and_no_other() {
        let sys = machine();
        assert!(names_file(STAMP, Path::new("/p/my dir/lib.rs"), &sys));
        assert!(names_file(STAMP, Path::new("/bin/cargo"), &sys));
        // A `tool`, `manifest` or `absent` line is not a file the build produced or read.
        assert!(!names_file(STAMP, Path::new("/p/.cargo/config.toml"), &sys));
        assert!(!names_file(STAMP, Path::new("/p/app/src"), &sys));
        assert!(!names_file(
            STAMP,
            Path::new("/p/target/debug/cdk-app"),
            &sys
        ));
    }

    #[test]
    fn a_changed_file_is_stale() {
        let mut sys = machine();
        sys.files.insert(
            "/p/app/src/main.rs".into(),
            stat(121, 1_700_000_002, 123_456_789),
        );
        assert!(matches!(
            stale(&sys),
            Stale::File {
                what: "changed",
                ..
            }
        ));
        let mut sys = machine();
        sys.files.insert(
            "/p/app/src/main.rs".into(),
            stat(120, 1_700_000_002, 123_456_790),
        );
        assert!(
            matches!(
                stale(&sys),
                Stale::File {
                    what: "changed",
                    ..
                }
            ),
            "one nanosecond"
        );
        let mut sys = machine();
        sys.files
            .insert("/p/my dir/lib.rs".into(), stat(7, 1_700_000_004, 100_000));
        let err = stale(&sys);
        assert_eq!(
            err.to_string(),
            "/p/my dir/lib.rs changed",
            "a path with a space"
        );
    }

    #[test]
    fn a_file_gone_or_one_that_appeared_is_stale() {
        let mut sys = machine();
        sys.files.remove(Path::new("/p/app/src/main.rs"));
        assert!(matches!(
            stale(&sys),
            Stale::File {
                what: "is gone",
                ..
            }
        ));
        let mut sys = machine();
        sys.files
            .insert("/p/.cargo/config.toml".into(), stat(1, 1, 0));
        assert!(matches!(
            stale(&sys),
            Stale::File {
                what: "appeared",
                ..
            }
        ));
    }

    #[test]
    fn the_environment_cargo_reads_must_be_as_recorded() {
        let mut sys = machine();
        sys.vars = vec![
            ("PATH", "/bin"),
            ("RUSTFLAGS", "-Copt-level=1"),
            ("CC", "cc"),
        ];
        assert!(matches!(stale(&sys), Stale::Env { name } if name == "RUSTFLAGS"));
        let mut sys = machine();
        sys.vars.retain(|(k, _)| *k != "CC");
        assert!(
            matches!(stale(&sys), Stale::Env { name } if name == "CC"),
            "unset since"
        );
        let mut sys = machine();
        sys.vars.push(("CFLAGS", "-O2"));
        assert!(
            matches!(stale(&sys), Stale::Env { name } if name == "CFLAGS"),
            "set since"
        );
        let mut sys = machine();
        sys.vars
            .push(("CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER", "cc"));
        assert!(
            matches!(stale(&sys), Stale::Env { name } if name.ends_with("_LINKER")),
            "a variable matching a pattern, not set at build time"
        );
        let mut sys = machine();
        sys.vars.push(("HOME", "/elsewhere"));
        check(STAMP, &sys).expect("variables cargo does not read do not count");
    }

    #[test]
    fn a_tool_found_elsewhere_or_newly_found_is_stale() {
        let mut sys = machine();
        sys.tools.insert("cargo", "/usr/local/bin/cargo".into());
        assert!(matches!(stale(&sys), Stale::Tool { name } if name == "cargo"));
        let mut sys = machine();
        sys.tools.insert("zig", "/bin/zig".into());
        assert!(matches!(stale(&sys), Stale::Tool { name } if name == "zig"));
    }

    #[test]
    fn a_manifest_added_to_the_workspace_is_stale() {
        let mut sys = machine();
        sys.files.insert("/p/new/Cargo.toml".into(), stat(1, 1, 0));
        assert!(matches!(stale(&sys), Stale::Manifests));
    }

    #[test]
    fn another_compiler_or_none_is_stale() {
        let mut sys = machine();
        sys.rustc = Some("rustc 1.96.0\nhost: x86_64-unknown-linux-gnu\n".into());
        assert!(matches!(stale(&sys), Stale::Compiler));
        sys.rustc = None;
        assert!(matches!(stale(&sys), Stale::Compiler));
    }

    #[test]
    fn lines_it_does_not_know_are_stale() {
        let sys = machine();
        let v1 = STAMP.replace("stamp v1", "stamp v0");
        assert!(matches!(
            check(&v1, &sys),
            Err(Stale::UnknownLine { line: 1, .. })
        ));
        for bad in [
            "directory /p 1 2",
            "file /p/Cargo.toml ten 1700000000.000000005",
            "file /p/Cargo.toml 10 1700000000.00000000005",
            "file 10 1700000000",
            "env CC",
            "env A B unset",
            "envglob",
            "manifest",
        ] {
            let stamp = format!("{STAMP}{bad}\n");
            assert!(
                matches!(check(&stamp, &sys), Err(Stale::UnknownLine { .. })),
                "{bad:?} must not be taken as fresh"
            );
        }
        for kind in [
            "rustc ",
            "envglob ",
            "manifest-root ",
            "manifest-prune ",
            "file ",
        ] {
            let cut: String = STAMP
                .lines()
                .filter(|l| !l.starts_with(kind))
                .map(|l| format!("{l}\n"))
                .collect();
            assert!(
                matches!(check(&cut, &sys), Err(Stale::Incomplete { .. })),
                "a stamp without {kind:?} lines vouches for nothing"
            );
        }
        assert!(matches!(
            check("", &sys),
            Err(Stale::UnknownLine { line: 1, .. })
        ));
    }

    #[test]
    fn a_time_printed_with_fewer_digits_compares_at_that_precision() {
        let mut sys = machine();
        let stamp = STAMP.replace(
            "file /p/app/src/main.rs 120 1700000002.123456789",
            "file /p/app/src/main.rs 120 1700000002.123456",
        );
        check(&stamp, &sys).expect("microseconds match");
        sys.files.insert(
            "/p/app/src/main.rs".into(),
            stat(120, 1_700_000_002, 123_457_000),
        );
        assert!(matches!(check(&stamp, &sys), Err(Stale::File { .. })));
        let whole = STAMP.replace("120 1700000002.123456789", "120 1700000002");
        check(&whole, &machine()).expect("whole seconds match");
    }

    #[test]
    fn globs_match_as_the_shell_does() {
        assert!(glob_match("RUSTC*", "RUSTC"));
        assert!(glob_match("RUSTC*", "RUSTC_WRAPPER"));
        assert!(!glob_match("RUSTC*", "XRUSTC"));
        assert!(glob_match(
            "CARGO_TARGET_*_AR",
            "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_AR"
        ));
        assert!(!glob_match("CARGO_TARGET_*_AR", "CARGO_TARGET_DIR"));
        assert!(!glob_match("CARGO_TARGET_*_AR", "CARGO_TARGET_AR"));
        assert!(glob_match(".venv*", ".venv-bench"));
        assert!(glob_match("target", "target"));
        assert!(!glob_match("target", "targets"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "abc"));
        assert!(!glob_match("a*b*c", "acb"));
    }
}
