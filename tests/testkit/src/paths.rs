//! Where things are: the project root, the tools `bin/setup` installs, the event fixtures.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::Result;

/// The project root (the directory holding `bin/setup`).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .unwrap_or(manifest)
        .to_path_buf()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` (relative to the root) when set, else
/// `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// A path the project names relative to the root under `target/` (e.g. the function's
/// `target/lambda/connect-lookup/bootstrap`), moved under [`target_dir`].
pub fn target_path(relative: &str) -> PathBuf {
    target_dir().join(relative.strip_prefix("target/").unwrap_or(relative))
}

/// PATH with the project's tools first (`.venv/bin`, `node_modules/.bin`), as `bin/env.sh` sets.
pub fn tool_path() -> String {
    let root = root();
    let mut parts = vec![
        root.join(".venv/bin").display().to_string(),
        root.join("node_modules/.bin").display().to_string(),
    ];
    parts.extend(std::env::var("PATH").ok());
    parts.join(":")
}

/// A tool `bin/setup` installs, at `relative` under the root (`.venv/bin/moto_server`,
/// `node_modules/.bin/cdk`); an error naming `bin/setup` when it is missing. `what` says where
/// it comes from.
pub fn installed_tool(relative: &str, what: &str) -> Result<PathBuf> {
    let path = root().join(relative);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} not found: run bin/setup (it installs {what})",
            path.display()
        ))
    }
}

/// The path of an event fixture under `tests/fixtures/events/`.
pub fn fixture_path(name: &str) -> PathBuf {
    root().join("tests/fixtures/events").join(name)
}

/// An event fixture, parsed.
pub fn fixture(name: &str) -> Result<Value> {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read fixture {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("fixture {} is not JSON: {e}", path.display()))
}

/// Every fixture file name, sorted.
pub fn fixture_names() -> Result<Vec<String>> {
    let dir = root().join("tests/fixtures/events");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    Ok(names)
}
