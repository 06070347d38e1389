//! The machine the build stamps describe ([`System`] for real): files, the environment with
//! the builds' `PATH`, tools, the compiler's answer, the workspace's manifests.

use jsii_codegen::build::{FileStat, System, glob_match};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The machine itself, with the `PATH` the builds run with. `rustc -vV` starts when this is
/// made, so it runs while the files are checked.
pub struct RealSystem {
    path: OsString,
    rustc: std::sync::Mutex<RustcState>,
}

enum RustcState {
    Running(std::process::Child),
    Done(Option<String>),
}

impl RealSystem {
    /// Starts `rustc -vV` (through `path`, as the build steps run it).
    pub fn new(path: OsString) -> RealSystem {
        let child = std::process::Command::new("rustc")
            .env("PATH", &path)
            .arg("-vV")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn();
        let state = match child {
            Ok(child) => RustcState::Running(child),
            Err(_) => RustcState::Done(None),
        };
        RealSystem {
            path,
            rustc: std::sync::Mutex::new(state),
        }
    }
}

impl Drop for RealSystem {
    /// A check that found something stale before it needed the compiler's answer does not leave
    /// `rustc -vV` running behind it.
    fn drop(&mut self) {
        if let Ok(state) = self.rustc.get_mut()
            && let RustcState::Running(child) = state
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl System for RealSystem {
    fn vars(&self) -> Vec<(OsString, OsString)> {
        std::env::vars_os()
            .filter(|(k, _)| k != "PATH")
            .chain([("PATH".into(), self.path.clone())])
            .collect()
    }

    fn stat(&self, path: &Path) -> Option<FileStat> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStat {
            size: meta.len(),
            mtime_secs: meta.mtime(),
            mtime_nanos: u32::try_from(meta.mtime_nsec()).ok()?,
        })
    }

    fn which(&self, name: &str) -> Option<PathBuf> {
        use std::os::unix::fs::PermissionsExt;
        std::env::split_paths(&self.path)
            .map(|dir| {
                let dir = if dir.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    dir
                };
                dir.join(name)
            })
            .find(|candidate| {
                std::fs::metadata(candidate)
                    .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            })
    }

    fn same_entry(&self, a: &Path, b: &Path) -> bool {
        let place = |p: &Path| {
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            Some((std::fs::canonicalize(dir).ok()?, p.file_name()?.to_owned()))
        };
        a == b || place(a).is_some_and(|a| Some(a) == place(b))
    }

    fn same_dir(&self, a: &Path, b: &Path) -> bool {
        a == b
            || std::fs::canonicalize(a)
                .is_ok_and(|a| std::fs::canonicalize(b).is_ok_and(|b| a == b))
    }

    fn rustc_version(&self) -> Option<String> {
        let mut state = self.rustc.lock().ok()?;
        let text = match std::mem::replace(&mut *state, RustcState::Done(None)) {
            RustcState::Running(child) => child
                .wait_with_output()
                .ok()
                .filter(|out| out.status.success())
                .and_then(|out| String::from_utf8(out.stdout).ok()),
            RustcState::Done(text) => text,
        };
        *state = RustcState::Done(text.clone());
        text
    }

    fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }

    fn list_dir(&self, dir: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    }

    fn manifests(&self, root: &Path, prune: &[String]) -> Option<Vec<PathBuf>> {
        let pruned = |path: &Path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| prune.iter().any(|g| glob_match(g, n)))
        };
        let mut found = Vec::new();
        if pruned(root) {
            return Some(found);
        }
        let mut dirs = vec![root.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).ok()? {
                let entry = entry.ok()?;
                let path = entry.path();
                if pruned(&path) {
                    continue;
                }
                if entry.file_name() == "Cargo.toml" {
                    found.push(path.clone());
                }
                if entry.file_type().ok()?.is_dir() {
                    dirs.push(path);
                }
            }
        }
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> OsString {
        std::env::var_os("PATH").unwrap_or_default()
    }

    #[test]
    fn the_real_search_finds_manifests_as_find_does() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for d in [
            "a/src",
            "target/debug",
            ".venv-bench/x",
            "b/node_modules/p",
            "c",
        ] {
            std::fs::create_dir_all(root.join(d)).expect("mkdir");
        }
        for f in [
            "Cargo.toml",
            "a/Cargo.toml",
            "target/debug/Cargo.toml",
            ".venv-bench/x/Cargo.toml",
            "b/node_modules/p/Cargo.toml",
            "c/Cargo.toml",
        ] {
            std::fs::write(root.join(f), "").expect("write");
        }
        std::os::unix::fs::symlink(root.join("a"), root.join("link")).expect("symlink");
        let prune = ["target", "node_modules", ".venv*", ".git"].map(String::from);
        let mut found = RealSystem::new(path())
            .manifests(root, &prune)
            .expect("search");
        found.sort();
        let want: Vec<PathBuf> = ["Cargo.toml", "a/Cargo.toml", "c/Cargo.toml"]
            .iter()
            .map(|f| root.join(f))
            .collect();
        assert_eq!(
            found, want,
            "pruned directories and symlinked ones are not searched"
        );
    }

    #[test]
    fn the_real_machine_reads_stat_and_rustc() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("f");
        std::fs::write(&file, "12345").expect("write");
        let meta = std::fs::metadata(&file).expect("metadata");
        let sys = RealSystem::new(path());
        let got = sys.stat(&file).expect("stat");
        assert_eq!(got.size, 5);
        assert_eq!(
            (got.mtime_secs, i64::from(got.mtime_nanos)),
            (meta.mtime(), meta.mtime_nsec())
        );
        assert!(sys.stat(&dir.path().join("missing")).is_none());
        assert!(
            sys.rustc_version().is_some_and(|v| v.starts_with("rustc ")),
            "rustc -vV runs"
        );
        assert_eq!(
            sys.rustc_version(),
            sys.rustc_version(),
            "asked once, answered the same"
        );
    }

    #[test]
    fn a_tool_is_the_same_entry_under_another_spelling_of_its_directory_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).expect("bin");
        std::fs::write(bin.join("tool"), "").expect("tool");
        std::os::unix::fs::symlink(bin.join("tool"), bin.join("alias")).expect("link");
        let sys = RealSystem::new(path());
        let plain = bin.join("tool");
        assert!(sys.same_entry(&plain, &dir.path().join("bin/../bin/tool")));
        assert!(
            !sys.same_entry(&bin.join("alias"), &plain),
            "a link to the tool is another entry"
        );
        assert!(!sys.same_entry(&plain, &dir.path().join("other/tool")));
    }
}
