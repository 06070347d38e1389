//! The crate's module structure, checked from its source: the modules form the layers listed at
//! the top of `src/lib.rs` (each depends only on layers above it, so there are no cycles), the
//! value model never reaches the kernel process (decoding a value cannot start node), and only
//! the wire codec spells the `$jsii.*` tokens.
//!
//! Dependencies are the `crate::<module>` paths in each module's code; comments and the unit
//! tests at the end of a file do not count. `lib.rs` is the façade and is not a layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`api/create.rs` belongs to `api`).
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(src()).expect("under src");
    let first = rel.components().next().expect("a component");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_owned()
}

/// A file's code: without its unit-test module (a `#[cfg(test)]` line followed by a `mod`
/// line) and everything after it, and without comment lines.
fn code_of(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|w| w[0].trim() == "#[cfg(test)]" && w[1].contains("mod "))
        .unwrap_or(lines.len());
    lines[..end]
        .iter()
        .filter(|l| !l.trim_start().starts_with("//"))
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first names of the `crate::...` paths in `code` (`crate::{a::X, b}` gives `a` and `b`);
/// `$crate::` (macro hygiene) is not a dependency.
fn crate_paths(code: &str) -> Vec<String> {
    fn ident(s: &str) -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    }
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + "crate::".len()..];
        rest = after;
        if before.is_some_and(|c| c == '$' || c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        names.push(ident(&group[item_start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.push(ident(&group[item_start..i]));
                        item_start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            names.push(ident(after));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

/// The layers from the comment at the top of `lib.rs`: lines `//   a, b   description` between
/// `// The layers` and the line naming this test.
fn layers() -> Vec<Vec<String>> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    let mut out = Vec::new();
    let mut inside = false;
    for line in lib.lines() {
        if line.starts_with("// The layers") {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        let Some(body) = line.strip_prefix("//   ") else {
            break;
        };
        let names = body.split("  ").next().unwrap_or_default();
        out.push(
            names
                .split(',')
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect(),
        );
    }
    out
}

struct Crate {
    /// module -> the modules its code names.
    deps: BTreeMap<String, BTreeSet<String>>,
    /// module -> (file, code) of each of its files.
    code: BTreeMap<String, Vec<(PathBuf, String)>>,
}

fn read_crate() -> Crate {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut code: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    for file in files {
        if file == src().join("lib.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        code.entry(module_of(&file))
            .or_default()
            .push((file, code_of(&text)));
    }
    let mut deps = BTreeMap::new();
    for (module, files) in &code {
        let names: BTreeSet<String> = files
            .iter()
            .flat_map(|(_, c)| crate_paths(c))
            .filter(|n| n != module)
            .collect();
        deps.insert(module.clone(), names);
    }
    Crate { deps, code }
}

#[test]
fn modules_name_modules_and_follow_the_layers() {
    let krate = read_crate();
    let layers = layers();
    assert!(
        layers.len() >= 5,
        "the layer comment in src/lib.rs was not found or is too short: {layers:?}"
    );
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, names)| names.iter().map(move |n| (n.as_str(), i)))
        .collect();
    let mut problems = Vec::new();
    for module in krate.deps.keys() {
        if !layer_of.contains_key(module.as_str()) {
            problems.push(format!(
                "module `{module}` is missing from the layer comment in src/lib.rs"
            ));
        }
    }
    for (module, deps) in &krate.deps {
        let Some(&mine) = layer_of.get(module.as_str()) else {
            continue;
        };
        for dep in deps {
            match layer_of.get(dep.as_str()) {
                None if !krate.deps.contains_key(dep) => problems.push(format!(
                    "`{module}` uses `crate::{dep}`, which is not a module: name the module \
                     that defines it (`crate::<module>::{dep}`)"
                )),
                None => {}
                Some(&theirs) if theirs >= mine => problems.push(format!(
                    "`{module}` (layer {mine}) depends on `{dep}` (layer {theirs}): a module may \
                     only use modules of the layers above it in src/lib.rs"
                )),
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_value_model_never_reaches_the_kernel_process() {
    let krate = read_crate();
    for start in ["wire", "api", "objects", "types", "value"] {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.to_owned()];
        while let Some(m) = todo.pop() {
            if !seen.insert(m.clone()) {
                continue;
            }
            todo.extend(krate.deps.get(&m).into_iter().flatten().cloned());
        }
        for forbidden in ["process", "kernel", "session", "packages", "calls"] {
            assert!(
                !seen.contains(forbidden),
                "`{start}` reaches `{forbidden}` (through {seen:?}): decoding a value must not \
                 be able to start or talk to a kernel"
            );
        }
    }
}

#[test]
fn only_the_wire_codec_spells_jsii_tokens() {
    let krate = read_crate();
    let mut offenders = Vec::new();
    for (module, files) in &krate.code {
        for (file, code) in files {
            if code.contains("$jsii.") && module != "wire" {
                offenders.push(file.display().to_string());
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "`$jsii.*` tokens outside src/wire.rs: {offenders:?}; use the codec's functions"
    );
    let wire = &krate.code["wire"];
    assert!(wire.iter().any(|(_, c)| c.contains("\"$jsii.byref\"")));
}

#[test]
fn the_path_scanner_reads_groups_and_skips_macro_paths() {
    assert_eq!(
        crate_paths("use crate::{a::X, b, c::{D, E}};\nuse crate::d::F; $crate::g::H; xcrate::i"),
        ["a", "b", "c", "d"]
    );
    assert_eq!(
        code_of("use crate::a;\n// crate::b\n#[cfg(test)]\nmod tests {\n use crate::c;\n}"),
        "use crate::a;"
    );
}
