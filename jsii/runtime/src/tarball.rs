//! The tarballs the kernel loads, packed from the installed npm packages.
//!
//! The kernel's `load` takes a `.tgz` in `npm pack` layout. We pack the installed package
//! directory (so the bytes come from the project's pinned `package-lock.json`, never from a path
//! on one machine) into `node_modules/.cache/jsii-rs/` (or `$JSII_RS_TARBALL_DIR`), once per
//! installed copy: the file name carries the version and a stamp of the package's `package.json`
//! and assembly modification times, so `npm ci` or rebuilding a local package repacks it.
//! Build-time-only files (TypeScript declarations, source maps, Markdown, Rosetta translations)
//! are left out. Packing is deterministic (sorted entries, zero mtimes), so the kernel's own package cache,
//! keyed by the tarball's hash, stays warm across repacks. Default compression: the kernel
//! hashes the whole tarball on every load, and the smaller file hashes faster.

use crate::error::{Error, Result};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Environment variable overriding where packed tarballs are kept.
pub const TARBALL_DIR_ENV: &str = "JSII_RS_TARBALL_DIR";

/// Where this client keeps what it writes for the kernel (packed tarballs, the kernel's preload
/// script, its compile cache): `$JSII_RS_TARBALL_DIR`, else `node_modules/.cache/jsii-rs`.
pub(crate) fn cache_dir(node_modules: &Path) -> PathBuf {
    std::env::var_os(TARBALL_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map_or_else(|| node_modules.join(".cache/jsii-rs"), PathBuf::from)
}

/// Returns the tarball for the package installed at `package_dir`, packing it if needed.
pub(crate) fn tarball_for(
    node_modules: &Path,
    name: &str,
    version: &str,
    package_dir: &Path,
) -> Result<PathBuf> {
    let dir = cache_dir(node_modules);
    let safe_name = name.replace('/', "__").replace('@', "");
    let stamp = stamp(package_dir);
    let path = dir.join(format!("{safe_name}-{version}-{stamp:016x}.tgz"));
    if path.is_file() {
        return Ok(path);
    }
    let fail = |source: io::Error| Error::Tarball {
        package_dir: package_dir.to_owned(),
        tarball: path.clone(),
        source,
    };
    fs::create_dir_all(&dir).map_err(fail)?;
    // Remove older packs of the same package; they belong to replaced installs.
    let prefix = format!("{safe_name}-");
    if let Ok(entries) = fs::read_dir(&dir) {
        for e in entries.flatten() {
            let file = e.file_name();
            let file = file.to_string_lossy();
            if file.starts_with(&prefix)
                && file[prefix.len()..].starts_with(|c: char| c.is_ascii_digit())
                && e.path() != path
            {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    // Unique per process and call: tests pack concurrently from several threads.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(
        ".{safe_name}-{version}.{}.{n}.tmp",
        std::process::id()
    ));
    let result = pack(package_dir, &tmp).and_then(|()| fs::rename(&tmp, &path));
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(path)
}

/// A cheap fingerprint of an installed copy: the canonical path and the modification times and
/// sizes of its `package.json` and assembly files.
fn stamp(package_dir: &Path) -> u64 {
    let mut h = Fnv::default();
    let canonical = fs::canonicalize(package_dir).unwrap_or_else(|_| package_dir.to_owned());
    h.write(canonical.to_string_lossy().as_bytes());
    for f in ["package.json", ".jsii", ".jsii.gz"] {
        if let Ok(meta) = fs::metadata(package_dir.join(f)) {
            h.write(f.as_bytes());
            h.write(&meta.len().to_le_bytes());
            if let Ok(t) = meta.modified()
                && let Ok(d) = t.duration_since(std::time::UNIX_EPOCH)
            {
                h.write(&d.as_nanos().to_le_bytes());
            }
        }
    }
    h.0
}

/// FNV-1a, 64 bits: a stable fingerprint for file names (not for security).
#[derive(Debug)]
pub(crate) struct Fnv(pub(crate) u64);
impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}
impl Fnv {
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Packs `dir` as `package/...` into a gzip'd tarball at `out`, deterministically.
pub(crate) fn pack(dir: &Path, out: &Path) -> io::Result<()> {
    let dir = fs::canonicalize(dir)?;
    let file = fs::File::create(out)?;
    let gz =
        flate2::write::GzEncoder::new(io::BufWriter::new(file), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    tar.follow_symlinks(false);
    let mut files = Vec::new();
    walk(&dir, &dir, &mut files)?;
    files.sort();
    for rel in files {
        let full = dir.join(&rel);
        let meta = fs::symlink_metadata(&full)?;
        let name = Path::new("package").join(&rel);
        if meta.file_type().is_symlink() {
            // npm never ships symlinks; installs can have them (node_modules/.bin). Keep files
            // they point to inside the package, drop the rest.
            match fs::metadata(&full) {
                Ok(target) if target.is_file() => {
                    tar.append_path_with_name(fs::canonicalize(&full)?, &name)?
                }
                _ => continue,
            }
        } else {
            tar.append_path_with_name(&full, &name)?;
        }
    }
    let gz = tar.into_inner()?;
    let mut buf = gz.finish()?;
    buf.flush()?;
    Ok(())
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ty = entry.file_type()?;
        let rel = path
            .strip_prefix(root)
            .map_err(|e| io::Error::other(e.to_string()))?
            .to_path_buf();
        if ty.is_dir() {
            if rel == Path::new("node_modules/.bin") || rel == Path::new("node_modules/.cache") {
                continue;
            }
            walk(root, &path, out)?;
        } else if !build_time_only(&rel) {
            out.push(rel);
        }
    }
    Ok(())
}

/// Files an installed package carries that nothing loads at run time: TypeScript declarations,
/// source maps, Markdown, and jsii's Rosetta example translations. Leaving them out roughly
/// halves aws-cdk-lib's tarball, which the kernel hashes on every load.
fn build_time_only(rel: &Path) -> bool {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with(".d.ts")
        || name.ends_with(".d.mts")
        || name.ends_with(".js.map")
        || name.ends_with(".md")
        || name == ".jsii.tabl.json.gz"
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn sample_package(root: &Path) -> PathBuf {
        let pkg = root.join("pkg");
        fs::create_dir_all(pkg.join("lib")).expect("mkdir");
        fs::write(
            pkg.join("package.json"),
            r#"{"name":"pkg","version":"1.0.0"}"#,
        )
        .expect("w");
        fs::write(pkg.join("lib/index.js"), "module.exports = 1;\n").expect("w");
        fs::write(pkg.join(".jsii"), "{}").expect("w");
        fs::write(pkg.join("lib/index.d.ts"), "export {};\n").expect("w");
        fs::write(pkg.join("README.md"), "# pkg\n").expect("w");
        pkg
    }

    fn entries(tgz: &Path) -> Vec<String> {
        let mut data = Vec::new();
        flate2::read::GzDecoder::new(fs::File::open(tgz).expect("open"))
            .read_to_end(&mut data)
            .expect("gunzip");
        let mut archive = tar::Archive::new(&data[..]);
        archive
            .entries()
            .expect("entries")
            .map(|e| {
                e.expect("entry")
                    .path()
                    .expect("path")
                    .display()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn packs_in_npm_layout_deterministically() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let pkg = sample_package(tmp.path());
        let a = tmp.path().join("a.tgz");
        let b = tmp.path().join("b.tgz");
        pack(&pkg, &a).expect("pack a");
        pack(&pkg, &b).expect("pack b");
        assert_eq!(
            entries(&a),
            [
                "package/.jsii",
                "package/lib/index.js",
                "package/package.json"
            ]
        );
        assert_eq!(fs::read(&a).expect("a"), fs::read(&b).expect("b"));
    }

    #[test]
    fn repacks_when_the_install_changes() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let pkg = sample_package(tmp.path());
        let nm = tmp.path().join("node_modules");
        let first = tarball_for(&nm, "@scope/pkg", "1.0.0", &pkg).expect("first");
        assert!(first.starts_with(nm.join(".cache/jsii-rs")));
        assert_eq!(
            tarball_for(&nm, "@scope/pkg", "1.0.0", &pkg).expect("again"),
            first,
            "cached"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(pkg.join(".jsii"), "{\"changed\":true}").expect("w");
        let second = tarball_for(&nm, "@scope/pkg", "1.0.0", &pkg).expect("second");
        assert_ne!(first, second);
        assert!(!first.exists(), "the stale pack is removed");
    }
}
