//! Finding what the kernel needs on disk: the `node_modules` directory, `@jsii/runtime`, and the
//! installed jsii packages. Nothing is ever taken from a fixed path on one machine.
//!
//! `node_modules` is, in order: `$JSII_RS_NODE_MODULES`; the nearest `node_modules` holding
//! `@jsii/runtime` above the current directory; the same above the running executable.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Environment variable naming the `node_modules` directory to use.
pub const NODE_MODULES_ENV: &str = "JSII_RS_NODE_MODULES";
/// Environment variable naming the node binary (shared with the other jsii hosts).
pub const NODE_ENV: &str = "JSII_NODE";
/// Environment variable naming a runtime entry script speaking the wrapper protocol on
/// stdin/stdout (shared with the Python host, which also runs it with node).
pub const RUNTIME_ENV: &str = "JSII_RUNTIME";
/// Environment variable forcing the launch mode: `direct` (fd 3, Unix) or `wrapper`.
pub const LAUNCH_ENV: &str = "JSII_RS_LAUNCH";

/// The `@jsii/runtime` package this client was built and tested against.
pub const RUNTIME_PACKAGE: &str = "@jsii/runtime";
/// The kernel versions this client speaks, as a semver caret range.
pub const SUPPORTED_RUNTIME: &str = "^1.140.0";

/// How to start the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Launch {
    /// `node --preserve-symlinks program.js` with the protocol on fd 3 (Unix only).
    Direct { program: PathBuf },
    /// `node <script>`: the wrapper forwards stdin/stdout to its child and base64-wraps console
    /// output on stderr.
    Wrapper { script: PathBuf },
}

/// Where things are.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub node: String,
    pub node_modules: PathBuf,
    pub launch: Launch,
}

impl Layout {
    pub fn discover() -> Result<Layout> {
        let node = std::env::var(NODE_ENV)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "node".to_owned());
        let node_modules = find_node_modules()?;
        let runtime_dir = node_modules.join(RUNTIME_PACKAGE);
        let launch = match std::env::var_os(RUNTIME_ENV).filter(|v| !v.is_empty()) {
            Some(script) => Launch::Wrapper {
                script: PathBuf::from(script),
            },
            None => {
                let forced = std::env::var(LAUNCH_ENV).unwrap_or_default();
                if cfg!(unix) && forced != "wrapper" {
                    Launch::Direct {
                        program: runtime_dir.join("webpack/lib/program.js"),
                    }
                } else {
                    Launch::Wrapper {
                        script: runtime_dir.join("webpack/bin/jsii-runtime.js"),
                    }
                }
            }
        };
        Ok(Layout {
            node,
            node_modules,
            launch,
        })
    }
}

fn has_runtime(node_modules: &Path) -> bool {
    node_modules
        .join(RUNTIME_PACKAGE)
        .join("webpack/lib/program.js")
        .is_file()
}

fn find_node_modules() -> Result<PathBuf> {
    let mut searched = Vec::new();
    if let Some(dir) = std::env::var_os(NODE_MODULES_ENV).filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        if has_runtime(&dir) {
            return Ok(dir);
        }
        return Err(Error::RuntimeNotInstalled {
            searched: format!("{} (from {NODE_MODULES_ENV})", dir.display()),
        });
    }
    let mut starts = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        starts.push(exe_dir);
    }
    for start in starts {
        for dir in start.ancestors() {
            let candidate = dir.join("node_modules");
            if has_runtime(&candidate) {
                return Ok(candidate);
            }
        }
        searched.push(format!("{} and its parents", start.display()));
    }
    Err(Error::RuntimeNotInstalled {
        searched: searched.join("; "),
    })
}

/// Finds an installed npm package the way Node resolves it from `from` (a package directory):
/// `from/node_modules/<name>`, then each parent's `node_modules`, then the project's.
pub(crate) fn find_package(
    node_modules: &Path,
    name: &str,
    from: Option<&Path>,
) -> Result<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(from) = from {
        for dir in from.ancestors() {
            if dir.file_name().is_some_and(|n| n == "node_modules") {
                continue;
            }
            candidates.push(dir.join("node_modules").join(name));
        }
    }
    candidates.push(node_modules.join(name));
    for c in &candidates {
        if c.join("package.json").is_file() {
            return Ok(c.clone());
        }
    }
    Err(Error::PackageNotInstalled {
        name: name.to_owned(),
        version: String::new(),
        searched: node_modules.display().to_string(),
    })
}

/// The `version` field of a package directory's `package.json`.
pub(crate) fn package_version(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("version")?.as_str().map(str::to_owned)
}

/// True when `version` satisfies the caret range `^major.minor.patch`.
pub(crate) fn satisfies_caret(version: &str, range: &str) -> bool {
    fn parse(v: &str) -> Option<(u64, u64, u64)> {
        let core = v.split(['-', '+']).next()?;
        let mut it = core.split('.').map(|p| p.parse::<u64>().ok());
        Some((it.next()??, it.next()??, it.next()??))
    }
    let (Some(v), Some(min)) = (parse(version), range.strip_prefix('^').and_then(parse)) else {
        return false;
    };
    let upper_ok = if min.0 > 0 {
        v.0 == min.0
    } else if min.1 > 0 {
        v.0 == 0 && v.1 == min.1
    } else {
        v.0 == 0 && v.1 == 0 && v.2 == min.2
    };
    upper_ok && v >= min
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_ranges() {
        assert!(satisfies_caret("1.140.0", SUPPORTED_RUNTIME));
        assert!(satisfies_caret("1.142.3", SUPPORTED_RUNTIME));
        assert!(!satisfies_caret("1.139.9", SUPPORTED_RUNTIME));
        assert!(!satisfies_caret("2.0.0", SUPPORTED_RUNTIME));
        assert!(!satisfies_caret("0.0.0", SUPPORTED_RUNTIME));
        assert!(!satisfies_caret("garbage", SUPPORTED_RUNTIME));
        assert!(satisfies_caret("0.3.5", "^0.3.1"));
        assert!(!satisfies_caret("0.4.0", "^0.3.1"));
    }

    #[test]
    fn finds_nested_packages_first() {
        let root = tempfile::tempdir().expect("tempdir");
        let nm = root.path().join("node_modules");
        let nested = nm.join("outer/node_modules/dep");
        std::fs::create_dir_all(&nested).expect("mkdir");
        std::fs::write(nested.join("package.json"), r#"{"version":"2.0.0"}"#).expect("write");
        std::fs::create_dir_all(nm.join("dep")).expect("mkdir");
        std::fs::write(nm.join("dep/package.json"), r#"{"version":"1.0.0"}"#).expect("write");
        let from_outer =
            find_package(&nm, "dep", Some(&nm.join("outer"))).expect("nested dep found");
        assert_eq!(package_version(&from_outer).as_deref(), Some("2.0.0"));
        let top = find_package(&nm, "dep", None).expect("top-level dep found");
        assert_eq!(package_version(&top).as_deref(), Some("1.0.0"));
        assert!(find_package(&nm, "missing", None).is_err());
    }
}
