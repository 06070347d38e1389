//! The repository stands on its own: no file a clone contains points at notes outside it.
//! Background notes lived next to the project while it was built; a user who clones it has
//! none of them, so code, comments and docs cite the repository's own documents instead
//! (`jsii/runtime/PROTOCOL.md` for the kernel protocol, `bench/README.md` for measured figures).

use std::path::{Path, PathBuf};

/// What would point outside the repository.
const OUTSIDE: &[&str] = &[
    "shared/notes",
    "/work/shared",
    "../shared",
    "notes/jsii-kernel.md",
    "notes/cdk-contract.md",
    "jsii-kernel.md §",
    "cdk-contract.md §",
];

/// Files known to still cite the notes, owned by the generator's fixture: its README is
/// embedded in the fixture's `.jsii`, so the three change together with a fixture rebuild.
/// Remove each entry when that lands; the test fails on an entry that no longer matches.
const PENDING: &[&str] = &[];

/// CI's entry point: the one file that may name where CI keeps the jsii-calc sources beside the
/// clone, to hand them to `bin/compliance` (README, "The jsii compliance suite"); nothing in the
/// product reads that place.
const CI_ENTRY: &str = ".ci/run";

/// Directories that are not part of a clone (build output, installed packages, virtualenvs).
fn skipped(name: &str) -> bool {
    matches!(name, "target" | "node_modules" | ".git" | "cdk.out") || name.starts_with(".venv")
}

/// Ignored directories that hold other projects' files: the compliance suite's build of
/// jsii-calc and the bindings generated from it.
fn foreign(path: &Path) -> bool {
    path.ends_with("tests/compliance/cache") || path.ends_with("tests/compliance/bindings")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        match entry.file_type() {
            Ok(t)
                if t.is_dir()
                    && !skipped(&name)
                    && !name.starts_with("cdk.out")
                    && !foreign(&path) =>
            {
                walk(&path, out);
            }
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
}

#[test]
fn nothing_cites_notes_outside_the_repository() {
    let root = testkit::root();
    let mut files = Vec::new();
    walk(&root, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("README.md")),
        "the walk found no README.md under {}",
        root.display()
    );
    let mut offenders = Vec::new();
    let mut pending_seen = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue; // binary
        };
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .into_owned();
        if rel == "tests/testkit/tests/self_contained.rs" || rel == CI_ENTRY {
            continue;
        }
        if let Some(pattern) = OUTSIDE.iter().find(|p| text.contains(*p)) {
            if PENDING.contains(&rel.as_str()) {
                pending_seen.push(rel);
            } else {
                offenders.push(format!("{rel} (\"{pattern}\")"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "files citing notes that are not part of the repository (cite jsii/runtime/PROTOCOL.md \
         or bench/README.md instead): {offenders:?}"
    );
    let stale: Vec<_> = PENDING
        .iter()
        .filter(|p| !pending_seen.iter().any(|s| s == *p))
        .collect();
    assert!(
        stale.is_empty(),
        "these no longer cite the notes: remove them from PENDING in {}: {stale:?}",
        file!()
    );
}
