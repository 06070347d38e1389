//! The kernel's package cache and its runtime index.
//!
//! The kernel extracts each loaded tarball into a cache entry (on by default) and, in a worker
//! thread, writes a "runtime index" beside it so later loads skip parsing the whole assembly
//! (aws-cdk-lib: about 0.1 s instead of about 1 s). Writing the index takes a couple of seconds,
//! and an `exit` kills the worker: a short-lived program would never get an index. So
//! [`crate::shutdown`] waits, once per cache entry, for the index of the packages it loaded.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// The file the kernel writes last when it has indexed a cache entry (index version 1).
const INDEX_MANIFEST: &str = ".jsii.runtime.v1.json";
/// The file the kernel touches in a cache entry each time it uses the entry.
const USE_MARKER: &str = ".jsii-runtime-package-cache";

/// Environment variable bounding the wait at shutdown, in milliseconds (0: do not wait).
pub const INDEX_WAIT_ENV: &str = "JSII_RS_INDEX_WAIT_MS";
const DEFAULT_WAIT: Duration = Duration::from_secs(15);

/// The kernel's package cache directory, or `None` when the cache is disabled
/// (`JSII_RUNTIME_PACKAGE_CACHE` other than `enabled`). Mirrors `@jsii/kernel`'s
/// `default-cache-root.ts`.
pub fn package_cache_root() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if var("JSII_RUNTIME_PACKAGE_CACHE").is_some_and(|v| v != "enabled") {
        return None;
    }
    if let Some(root) = var("JSII_RUNTIME_PACKAGE_CACHE_ROOT") {
        return Some(PathBuf::from(root));
    }
    let home = var("HOME").map(PathBuf::from);
    let default = match std::env::consts::OS {
        "linux" => home.map(|h| h.join(".cache/aws/jsii/package-cache")),
        "macos" => home.map(|h| h.join("Library/Caches/com.amazonaws.jsii/package-cache")),
        "windows" => var("LOCALAPPDATA").map(|d| PathBuf::from(d).join("AWS/jsii/package-cache")),
        _ => None,
    };
    Some(default.unwrap_or_else(|| std::env::temp_dir().join("aws-jsii-package-cache")))
}

/// The cache entries of `packages` (name, version) that the kernel used since `since`.
pub fn entries_used_since(
    root: &Path,
    packages: &[(String, String)],
    since: SystemTime,
) -> Vec<PathBuf> {
    let since = since - Duration::from_secs(2); // file times can be coarse
    packages
        .iter()
        .flat_map(|(name, version)| {
            std::fs::read_dir(root.join(name).join(version))
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(move |dir| {
                    std::fs::metadata(dir.join(USE_MARKER))
                        .and_then(|m| m.modified())
                        .is_ok_and(|t| t >= since)
                })
        })
        .collect()
}

/// Entries among `entries` without a runtime index.
fn unindexed(entries: &[PathBuf]) -> Vec<PathBuf> {
    entries
        .iter()
        .filter(|e| !e.join(INDEX_MANIFEST).is_file())
        .cloned()
        .collect()
}

/// Waits until every entry has its index, at most `limit`. Returns the entries still missing.
pub fn wait_for_index(entries: &[PathBuf], limit: Duration) -> Vec<PathBuf> {
    let start = Instant::now();
    loop {
        let missing = unindexed(entries);
        if missing.is_empty() || start.elapsed() >= limit {
            return missing;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// How long shutdown may wait for missing indexes.
pub(crate) fn wait_limit() -> Duration {
    std::env::var(INDEX_WAIT_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(DEFAULT_WAIT, Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_used_entries_and_their_index() {
        let root = tempfile::tempdir().expect("tempdir");
        let entry = root.path().join("pkg/1.0.0/abc");
        std::fs::create_dir_all(&entry).expect("mkdir");
        let before = SystemTime::now() - Duration::from_secs(60);
        let packages = [("pkg".to_owned(), "1.0.0".to_owned())];
        assert!(entries_used_since(root.path(), &packages, SystemTime::now()).is_empty());
        std::fs::write(entry.join(USE_MARKER), "").expect("marker");
        let used = entries_used_since(root.path(), &packages, before);
        assert_eq!(used, std::slice::from_ref(&entry));
        assert_eq!(unindexed(&used), std::slice::from_ref(&entry));
        assert_eq!(
            wait_for_index(&used, Duration::ZERO),
            std::slice::from_ref(&entry)
        );
        std::fs::write(entry.join(INDEX_MANIFEST), "{}").expect("index");
        assert!(wait_for_index(&used, Duration::from_secs(1)).is_empty());
    }
}
