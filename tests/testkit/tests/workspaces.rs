//! The generator (`jsii/codegen`) is a Cargo workspace of its own, so it builds whatever state
//! the generated crates of the main workspace are in. Its lints cannot inherit the main
//! workspace's; this test keeps the two lists the same.

use std::path::Path;

/// The `key = value` lines of the TOML tables whose headers start with `prefix` (`[lints.` or
/// `[workspace.lints.`), keyed by the table name without the prefix, comments dropped.
fn lint_tables(manifest: &str, prefix: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut table: Option<String> = None;
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            table = line
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(']'))
                .map(str::to_owned);
        } else if let Some(t) = &table
            && !line.is_empty()
        {
            out.push((t.clone(), line.to_owned()));
        }
    }
    out.sort();
    out
}

#[test]
fn generator_workspace_keeps_the_main_lints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let read =
        |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("read {p}: {e}"));
    let main = lint_tables(&read("Cargo.toml"), "[workspace.lints.");
    let generator = lint_tables(&read("jsii/codegen/Cargo.toml"), "[lints.");
    assert!(
        !main.is_empty(),
        "no [workspace.lints.*] in the root Cargo.toml"
    );
    assert_eq!(
        main, generator,
        "jsii/codegen/Cargo.toml's [lints.*] differ from the root Cargo.toml's \
         [workspace.lints.*]: change both"
    );
}
