//! The kernel's preload script, `js/kernel-entry.js`: node loads it (`--require`) before the
//! kernel, and it gives the kernel a compile cache, remembers the tarball digests the kernel
//! would otherwise compute on every load, and restores aws-cdk-lib's template validator from a
//! snapshot in the compile cache instead of building it on every validating synth, and serves
//! the kernel's packages from the kernel's startup snapshot (`snapshot`) when node started from
//! one (the script's header says how). The script and its hooks (`js/hooks/`, a file each) are
//! built into this crate and written, once per content, into a directory of their own next to
//! the packed tarballs.
//!
//! `JSII_RS_KERNEL_ENTRY=0` starts the kernel without it; `JSII_RS_COMPILE_CACHE` names the
//! compile cache directory (default `compile-cache` beside the tarballs; empty or `0`: none).
//! When the script cannot be written the kernel starts without it. The kernel is also told which
//! program it serves (`JSII_RS_PROGRAM`), so that each program adds what it compiles to the
//! compile cache once.

use crate::tarball::{self, Fnv};
use std::fs;
use std::path::{Path, PathBuf};

/// Environment variable: `0` starts the kernel without the preload script.
pub const KERNEL_ENTRY_ENV: &str = "JSII_RS_KERNEL_ENTRY";
/// Environment variable: the kernel's compile cache directory (empty or `0`: no compile cache).
/// The kernel's node reads it too, through the preload script.
pub const COMPILE_CACHE_ENV: &str = "JSII_RS_COMPILE_CACHE";

/// Environment variable the kernel's node gets: an identity of the host program (a hash of its
/// executable's path, size and modification time). The preload script lets each identity
/// contribute its compiled functions to the compile cache once.
pub(crate) const PROGRAM_ENV: &str = "JSII_RS_PROGRAM";

/// The script and the hooks it loads, as built into this crate: (path in its directory, text).
/// The entry comes last: written last, its presence says the others are there.
const SOURCES: &[(&str, &str)] = &[
    ("hooks/common.js", include_str!("../../js/hooks/common.js")),
    (
        "hooks/compile-cache.js",
        include_str!("../../js/hooks/compile-cache.js"),
    ),
    (
        "hooks/digest-memo.js",
        include_str!("../../js/hooks/digest-memo.js"),
    ),
    (
        "hooks/defs-reader.js",
        include_str!("../../js/hooks/defs-reader.js"),
    ),
    (
        "hooks/validator-snapshots.js",
        include_str!("../../js/hooks/validator-snapshots.js"),
    ),
    (
        "hooks/startup-snapshot.js",
        include_str!("../../js/hooks/startup-snapshot.js"),
    ),
    ("kernel-entry.js", include_str!("../../js/kernel-entry.js")),
];

/// How to start the kernel with the preload script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The script on disk, for `--require`.
    pub script: PathBuf,
    /// The compile cache directory, or `None` for none.
    pub compile_cache: Option<PathBuf>,
    /// This program's identity for the compile cache (`PROGRAM_ENV`), when it can be computed.
    pub program: Option<String>,
}

/// The preload script for a kernel using `node_modules`, written if needed; `None` when it is
/// turned off or cannot be written.
pub(crate) fn prepare(node_modules: &Path) -> Option<Entry> {
    if std::env::var_os(KERNEL_ENTRY_ENV).is_some_and(|v| v == "0") {
        return None;
    }
    let dir = tarball::cache_dir(node_modules);
    let script = write_script(&dir)?;
    let compile_cache = match std::env::var_os(COMPILE_CACHE_ENV) {
        Some(v) if v.is_empty() || v == "0" => None,
        Some(v) => Some(PathBuf::from(v)),
        None => Some(dir.join("compile-cache")),
    };
    Some(Entry {
        script,
        compile_cache,
        program: program_identity(),
    })
}

/// The running executable's identity: a hash of its path, size and modification time, so a
/// rebuilt program is a new one. `None` when the executable cannot be found or read.
fn program_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let mut h = Fnv::default();
    identify_file(&mut h, &exe)?;
    Some(format!("{:016x}", h.0))
}

/// Adds `file`'s path, size and modification time to `h` (so a rebuilt or replaced file is
/// another one); `None` when it cannot be read.
pub(crate) fn identify_file(h: &mut Fnv, file: &Path) -> Option<()> {
    let meta = fs::metadata(file).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    h.write(file.as_os_str().as_encoded_bytes());
    h.write(&[0]);
    h.write(&meta.len().to_le_bytes());
    h.write(&modified.as_nanos().to_le_bytes());
    Some(())
}

/// Writes the script and its hooks into `dir/kernel-entry-<fingerprint of them all>/` (so a new
/// client never runs an old script), unless they are there already; the entry's path.
fn write_script(dir: &Path) -> Option<PathBuf> {
    let mut h = Fnv::default();
    for (name, source) in SOURCES {
        h.write(name.as_bytes());
        h.write(&[0]);
        h.write(source.as_bytes());
    }
    let home = dir.join(format!("kernel-entry-{:016x}", h.0));
    let mut entry = None;
    for (name, source) in SOURCES {
        let path = home.join(name);
        write_file(&path, source)?;
        entry = Some(path);
    }
    entry
}

/// Writes `source` to `path` (through a temporary file, renamed), unless it is there already.
fn write_file(path: &Path, source: &str) -> Option<()> {
    if fs::metadata(path).is_ok_and(|m| m.len() == source.len() as u64) {
        return Some(());
    }
    let parent = path.parent()?;
    fs::create_dir_all(parent).ok()?;
    let tmp = parent.join(format!(".{}.tmp", std::process::id()));
    let written = fs::write(&tmp, source).and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
        return None;
    }
    Some(())
}

/// Writes `source` into `dir` as `<stem>-<fingerprint>.js`, unless it is there already.
pub(crate) fn write_js(dir: &Path, stem: &str, source: &str) -> Option<PathBuf> {
    let mut h = Fnv::default();
    h.write(source.as_bytes());
    let path = dir.join(format!("{stem}-{:016x}.js", h.0));
    write_file(&path, source)?;
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_and_its_hooks_are_written_once_under_their_fingerprint() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let first = write_script(tmp.path()).expect("written");
        let home = first.parent().expect("its directory");
        for (name, source) in SOURCES {
            assert_eq!(fs::read_to_string(home.join(name)).expect("read"), *source);
        }
        assert_eq!(first.file_name().expect("name"), "kernel-entry.js");
        let dir = home.file_name().expect("name").to_string_lossy();
        assert!(dir.starts_with("kernel-entry-"), "{dir}");
        assert_eq!(write_script(tmp.path()), Some(first));
        assert!(write_script(Path::new("/proc/no/such/dir")).is_none());
    }

    #[test]
    fn the_program_identity_is_a_stable_hex_hash() {
        let id = program_identity().expect("the test binary has an identity");
        assert_eq!(id.len(), 16, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        assert_eq!(program_identity(), Some(id));
    }
}
