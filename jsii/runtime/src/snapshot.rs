//! The kernel's startup snapshot: which V8 snapshot blob a kernel's node may start from
//! (`--snapshot-blob`), with its JavaScript packages already evaluated.
//!
//! The blob is built in the background by `js/kernel-snapshot.js`, planned by the preload
//! script when a kernel exits (`js/kernel-entry.js`, section 5), and kept in the compile cache
//! directory under `snapshots/`. This module only decides: one blob per node binary (path,
//! size, modification time), node arguments, `NODE_OPTIONS`, kernel program and builder, named
//! after a hash of them all; it is passed to node only when the builder finished it and every
//! environment variable the packages read while they were evaluated has the value it had then
//! (`<blob>.env`). A kernel that dies before its hello line when started from a blob is started
//! again without it, and the blob is marked failed (`<blob>.failed`), which also stops the
//! preload from planning it again. It must not start or wait for anything: a missing or
//! unreadable file means "no snapshot".
//!
//! `JSII_RS_KERNEL_SNAPSHOT=0` turns snapshots off (none is used or built).

use crate::entry::identify_file;
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
/// The directory under the compile cache the blobs are kept in (`SNAPSHOT_DIR` in the preload).
const DIR: &str = "snapshots";
/// The builder, as built into this crate.
const BUILDER: &str = include_str!("../js/kernel-snapshot.js");

/// The snapshot for one kernel launch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot {
    /// Where the blob for this launch is, or is to be built.
    pub blob: PathBuf,
    /// The builder script, for the preload.
    pub builder: PathBuf,
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
/// `program`, with the compile cache in `compile_cache` and the client's scripts in
/// `script_dir`; `None` when snapshots are off or the files cannot be found or written.
pub(crate) fn prepare(
    compile_cache: &Path,
    script_dir: &Path,
    node: &str,
    args: &[OsString],
    program: &Path,
) -> Option<Snapshot> {
    if std::env::var_os(KERNEL_SNAPSHOT_ENV).is_some_and(|v| v == "0") {
        return None;
    }
    let builder = crate::entry::write_js(script_dir, "kernel-snapshot", BUILDER)?;
    let mut h = Fnv::default();
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
    Some(Snapshot { blob, builder })
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

    #[test]
    fn a_blob_is_usable_once_complete_and_until_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let program = tmp.path().join("program.js");
        fs::write(&program, "// kernel").expect("write");
        let node = std::env::current_exe().expect("exe");
        let node = node.to_str().expect("utf-8 path");
        let args = [OsString::from("--flag")];
        let none = env(&[]);
        let first = prepare(tmp.path(), tmp.path(), node, &args, &program).expect("prepared");
        assert!(!first.usable(&none), "nothing built yet");
        assert!(first.builder.is_file());
        fs::write(&first.blob, b"blob").expect("write");
        assert!(!first.usable(&none), "the builder has not finished");
        fs::write(sibling(&first.blob, "env"), "[\"CDK_DEBUG\",null]\n").expect("write");
        let again = prepare(tmp.path(), tmp.path(), node, &args, &program).expect("prepared");
        assert_eq!(again, first);
        assert!(first.usable(&none));
        assert!(
            !first.usable(env(&[("CDK_DEBUG", "1")])),
            "another environment"
        );
        let other = [OsString::from("--other-flag")];
        let elsewhere = prepare(tmp.path(), tmp.path(), node, &other, &program).expect("prepared");
        assert_ne!(elsewhere.blob, first.blob, "other flags, another blob");
        fs::write(&program, "// another kernel").expect("write");
        let rebuilt = prepare(tmp.path(), tmp.path(), node, &args, &program).expect("prepared");
        assert_ne!(rebuilt.blob, first.blob, "another kernel, another blob");
        refuse(&first.blob, "node refused it");
        assert!(!first.usable(&none));
        unrefuse(&first.blob);
        assert!(first.usable(&none));
    }
}
