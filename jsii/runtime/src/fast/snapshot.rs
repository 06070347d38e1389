//! The kernel's startup snapshot: which V8 snapshot blob a kernel's node may start from
//! (`--snapshot-blob`), with its JavaScript packages already evaluated.
//!
//! The blob is built in the background by `js/kernel-snapshot.js`, planned by the preload
//! script when a kernel exits (`js/hooks/startup-snapshot.js`), and kept in the compile cache
//! directory under `snapshots/`. This module only decides: one blob per node binary (path,
//! size, modification time), node arguments, `NODE_OPTIONS`, kernel program, builder and the
//! exact packages the program loads first ([`FirstLoad`]: each name, version, installed
//! directory and its files' identity), named after a hash of them all. A blob holds the modules
//! of those packages and nothing else, so a program that loads other packages (or other
//! versions) never starts from it: evaluating a package can change global state (a package's
//! top level may set `Error.stackTraceLimit` or patch `fs`), which a program that never loads it
//! must not see. Only packages `js/hooks.json` lists (`startupSnapshot`) at their listed versions
//! get a blob. It is passed to node only when the builder finished it and every
//! environment variable the packages read while they were evaluated has the value it had then
//! (`<blob>.env`). A kernel that dies before its hello line when started from a blob is started
//! again without it, and the blob is marked failed (`<blob>.failed`), which also stops the
//! preload from planning it again. It must not start or wait for anything: a missing or
//! unreadable file means "no snapshot".
//!
//! `JSII_RS_KERNEL_SNAPSHOT=0` turns snapshots off (none is used or built).

use super::entry::identify_file;
use crate::tarball::Fnv;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

/// Environment variable: `0` turns the kernel's startup snapshots off.
pub const KERNEL_SNAPSHOT_ENV: &str = "JSII_RS_KERNEL_SNAPSHOT";
/// Environment variable the kernel's node gets: the blob this kernel uses or would use.
pub(crate) const BLOB_ENV: &str = "JSII_RS_SNAPSHOT";
/// Environment variable the kernel's node gets: the builder script.
pub(crate) const BUILDER_ENV: &str = "JSII_RS_SNAPSHOT_BUILDER";
/// Environment variable the kernel's node gets: the names of the packages the blob may hold,
/// comma-separated, in the order the program loads them.
pub(crate) const PACKAGES_ENV: &str = "JSII_RS_SNAPSHOT_PACKAGES";
/// The directory under the compile cache the blobs are kept in (`SNAPSHOT_DIR` in the preload).
const DIR: &str = "snapshots";
/// The builder, as built into this crate.
const BUILDER: &str = include_str!("../../js/kernel-snapshot.js");

/// A package a program loads first, before any request of another kind: the packages of a
/// startup snapshot. The first request to a kernel's packages loads a package and its
/// dependencies (dependencies first), and these are they, in that order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FirstLoad {
    /// The npm package name.
    pub name: &'static str,
    /// The exact version the bindings want.
    pub version: &'static str,
    /// The installed package's directory.
    pub dir: PathBuf,
}

/// The snapshot for one kernel launch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot {
    /// Where the blob for this launch is, or is to be built.
    pub blob: PathBuf,
    /// The builder script, for the preload.
    pub builder: PathBuf,
    /// The names of the packages it may hold ([`PACKAGES_ENV`]).
    pub packages: String,
}

impl Snapshot {
    /// Whether node may start from the blob: the builder finished it, node did not refuse
    /// it, and each variable in `env` (the kernel's environment) has the value the packages
    /// saw when they were evaluated.
    pub(crate) fn usable(&self, env: impl Fn(&str) -> Option<OsString>) -> bool {
        !sibling(&self.blob, "failed").exists()
            && self.blob.is_file()
            && fs::read_to_string(sibling(&self.blob, "env"))
                .is_ok_and(|recorded| environment_matches(&recorded, env))
    }
}

/// The snapshot for starting `node` with `args` (every argument before the program) and
/// `program` for a program whose first loads are `first`, with the compile cache in
/// `compile_cache` and the client's scripts in `script_dir`; `None` when snapshots are off,
/// the program's first loads are unknown or include a package (or version) `js/hooks.json`
/// does not list, or the files cannot be found or written.
pub(crate) fn prepare(
    compile_cache: &Path,
    script_dir: &Path,
    node: &str,
    args: &[OsString],
    program: &Path,
    first: &[FirstLoad],
) -> Option<Snapshot> {
    if std::env::var_os(KERNEL_SNAPSHOT_ENV).is_some_and(|v| v == "0") {
        return None;
    }
    if first.is_empty() {
        return None;
    }
    if let Some(unknown) = first
        .iter()
        .find(|p| !super::hooks::knows("startupSnapshot", p.name, p.version))
    {
        super::step_aside(
            "the startup snapshot",
            &format!(
                "{}@{} is not a version it was tested with (js/hooks.json)",
                unknown.name, unknown.version
            ),
        );
        return None;
    }
    let builder = super::entry::write_js(script_dir, "kernel-snapshot", BUILDER)?;
    let mut h = Fnv::default();
    for package in first {
        h.write(package.name.as_bytes());
        h.write(&[0]);
        h.write(package.version.as_bytes());
        h.write(&[0]);
        let dir = fs::canonicalize(&package.dir).ok()?;
        identify_file(&mut h, &dir.join("package.json"))?;
        identify_file(&mut h, &dir.join(".jsii"))?;
    }
    identify_file(&mut h, &find_program(node)?)?;
    for arg in args {
        h.write(arg.as_encoded_bytes());
        h.write(&[0]);
    }
    identify_file(&mut h, program)?;
    h.write(
        std::env::var_os("NODE_OPTIONS")
            .unwrap_or_default()
            .as_encoded_bytes(),
    );
    h.write(&[0]);
    h.write(BUILDER.as_bytes());
    let blob = compile_cache
        .join(DIR)
        .join(format!("kernel-{:016x}.blob", h.0));
    fs::create_dir_all(blob.parent()?).ok()?;
    let packages = first.iter().map(|p| p.name).collect::<Vec<_>>().join(",");
    Some(Snapshot {
        blob,
        builder,
        packages,
    })
}

/// Takes back `refuse`: the kernel did not start without the blob either, so the blob was
/// not why.
pub(crate) fn unrefuse(blob: &Path) {
    let _ = fs::remove_file(sibling(blob, "failed"));
}

/// Marks `blob` as one node would not start from (`<blob>.failed`, with `why`), so that it is
/// neither used nor planned again.
pub(crate) fn refuse(blob: &Path, why: &str) {
    let _ = fs::write(sibling(blob, "failed"), format!("{why}\n"));
}

/// `<blob>.<ext>`.
fn sibling(blob: &Path, ext: &str) -> PathBuf {
    let mut name = blob.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// Where `name` is: itself when it names a path, else the first match on `PATH`.
fn find_program(name: &str) -> Option<PathBuf> {
    if name.contains(std::path::MAIN_SEPARATOR) || name.contains('/') {
        return Some(PathBuf::from(name));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Whether every line of a `<blob>.env` file (`["NAME", "value"]`, or `["NAME", null]` for a
/// variable that was not set) agrees with `lookup`. A line that cannot be read disagrees.
fn environment_matches(env: &str, lookup: impl Fn(&str) -> Option<OsString>) -> bool {
    env.lines().filter(|l| !l.trim().is_empty()).all(|line| {
        match serde_json::from_str::<(String, Option<String>)>(line) {
            Ok((name, expected)) => lookup(&name).as_deref() == expected.as_deref().map(OsStr::new),
            Err(_) => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + use<> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), OsString::from(v)))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn the_environment_matches_only_when_every_recorded_variable_agrees() {
        let recorded = "[\"NODE_ENV\",null]\n[\"CDK_DEBUG\",\"1\"]\n";
        assert!(environment_matches(recorded, env(&[("CDK_DEBUG", "1")])));
        assert!(environment_matches("", env(&[])));
        assert!(!environment_matches(recorded, env(&[("CDK_DEBUG", "0")])));
        assert!(!environment_matches(recorded, env(&[])));
        assert!(!environment_matches(
            recorded,
            env(&[("CDK_DEBUG", "1"), ("NODE_ENV", "test")])
        ));
        assert!(!environment_matches("NODE_ENV=\n", env(&[])));
    }

    /// A package directory with the two files a key identifies it by.
    fn package(root: &Path, name: &'static str, version: &'static str) -> FirstLoad {
        let dir = root.join("node_modules").join(name);
        fs::create_dir_all(&dir).expect("mkdir");
        fs::write(
            dir.join("package.json"),
            format!("{{\"version\":\"{version}\"}}"),
        )
        .expect("write");
        fs::write(dir.join(".jsii"), "{}").expect("write");
        FirstLoad { name, version, dir }
    }

    /// A scratch directory with a kernel program in it, and a file standing in for node.
    fn scratch() -> (tempfile::TempDir, PathBuf, String) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let program = tmp.path().join("program.js");
        fs::write(&program, "// kernel").expect("write");
        let node = std::env::current_exe().expect("exe");
        let node = node.to_str().expect("utf-8 path").to_owned();
        (tmp, program, node)
    }

    #[test]
    fn a_blob_is_usable_once_complete_and_until_refused() {
        let (tmp, program, node) = scratch();
        let node = node.as_str();
        let args = [OsString::from("--flag")];
        let loads = [
            package(tmp.path(), "constructs", "10.8.1"),
            package(tmp.path(), "aws-cdk-lib", "2.276.0"),
        ];
        let none = env(&[]);
        let at = |args: &[OsString], loads: &[FirstLoad]| {
            prepare(tmp.path(), tmp.path(), node, args, &program, loads)
        };
        let first = at(&args, &loads).expect("prepared");
        assert_eq!(first.packages, "constructs,aws-cdk-lib");
        assert!(!first.usable(&none), "nothing built yet");
        assert!(first.builder.is_file());
        fs::write(&first.blob, b"blob").expect("write");
        assert!(!first.usable(&none), "the builder has not finished");
        fs::write(sibling(&first.blob, "env"), "[\"CDK_DEBUG\",null]\n").expect("write");
        assert_eq!(at(&args, &loads), Some(first.clone()));
        assert!(first.usable(&none));
        assert!(
            !first.usable(env(&[("CDK_DEBUG", "1")])),
            "another environment"
        );
        let other = [OsString::from("--other-flag")];
        assert_ne!(
            at(&other, &loads).expect("prepared").blob,
            first.blob,
            "other flags, another blob"
        );
        let fewer = at(&args, &loads[..1]).expect("prepared");
        assert_ne!(fewer.blob, first.blob, "other first loads, another blob");
        assert_eq!(fewer.packages, "constructs");
        refuse(&first.blob, "node refused it");
        assert!(!first.usable(&none));
        unrefuse(&first.blob);
        assert!(first.usable(&none));
        fs::write(&program, "// another kernel").expect("write");
        let rebuilt = at(&args, &loads).expect("prepared");
        assert_ne!(rebuilt.blob, first.blob, "another kernel, another blob");
    }

    #[test]
    fn only_known_first_loads_get_a_blob_and_a_reinstall_gets_another() {
        let (tmp, program, node) = scratch();
        let node = node.as_str();
        let at = |loads: &[FirstLoad]| prepare(tmp.path(), tmp.path(), node, &[], &program, loads);
        assert_eq!(at(&[]), None, "no first loads known: no blob");
        let cdk = package(tmp.path(), "aws-cdk-lib", "2.276.0");
        let unknown = package(tmp.path(), "cdktf", "0.21.0");
        assert_eq!(
            at(&[cdk.clone(), unknown]),
            None,
            "a package hooks.json does not list"
        );
        let newer = FirstLoad {
            version: "2.999.0",
            ..cdk.clone()
        };
        assert_eq!(at(&[newer]), None, "a version hooks.json does not list");
        let before = at(std::slice::from_ref(&cdk)).expect("prepared").blob;
        let jsii = cdk.dir.join(".jsii");
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        fs::File::options()
            .write(true)
            .open(&jsii)
            .and_then(|f| f.set_modified(later))
            .expect("touch");
        let after = at(std::slice::from_ref(&cdk)).expect("prepared").blob;
        assert_ne!(
            before, after,
            "the same version installed anew: another blob"
        );
    }
}
