//! What the generator checks about the npm install it reads, before generating: every jsii
//! package installed once, and the versions the packages declare for each other satisfied.
//! Pure functions over what the CLI found on disk; the CLI (`main.rs`) does the finding.
//!
//! Why it matters: the jsii kernel loads one version of a package per program, and the
//! generated crates name the exact versions they were generated from. npm, on the other hand,
//! installs a second copy of a package when two dependents ask for incompatible ranges (a
//! construct family's core package pinning an older `@aws-cdk/cloud-assembly-schema` than
//! aws-cdk-lib's, say). Such an install is refused with the `overrides` entry that fixes it.

use crate::assembly::Assembly;
use crate::error::Error;
use std::collections::{BTreeMap, BTreeSet};

/// One installed copy of a jsii package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Copy {
    /// Its version.
    pub version: String,
    /// Its directory, as the CLI displays it.
    pub dir: String,
    /// The packages whose dependency resolved to this copy (empty: named by the config).
    pub dependents: BTreeSet<String>,
}

/// Checks an install: `copies` holds every copy of every jsii package the config reaches (the
/// first copy of each is the one the generator read), `crates` the npm names that get or have
/// bindings (configured crates and `[extern]` crates). Returns warnings to print; a duplicate
/// install, or a range a crate package declares that the install does not satisfy, is an error.
pub fn check_install(
    assemblies: &BTreeMap<String, Assembly>,
    copies: &BTreeMap<String, Vec<Copy>>,
    crates: &BTreeSet<String>,
) -> Result<Vec<String>, Error> {
    for (name, list) in copies {
        let versions: BTreeSet<&str> = list.iter().map(|c| c.version.as_str()).collect();
        if versions.len() > 1 {
            // Keep the version the crates with bindings (or the config itself) resolve to.
            let keep = list
                .iter()
                .find(|c| {
                    c.dependents.is_empty() || c.dependents.iter().any(|d| crates.contains(d))
                })
                .unwrap_or(&list[0]);
            let described: Vec<String> = list
                .iter()
                .map(|c| {
                    let by = if c.dependents.is_empty() {
                        "named by the config".to_owned()
                    } else {
                        format!(
                            "for {}",
                            c.dependents.iter().cloned().collect::<Vec<_>>().join(", ")
                        )
                    };
                    format!("{} in {} ({by})", c.version, c.dir)
                })
                .collect();
            // Override the dependency only where it resolves to another version.
            let others: BTreeSet<&str> = list
                .iter()
                .filter(|c| c.version != keep.version)
                .flat_map(|c| c.dependents.iter().map(String::as_str))
                .collect();
            let entries: Vec<String> = others
                .iter()
                .map(|d| format!("\"{d}\": {{ \"{name}\": \"{}\" }}", keep.version))
                .collect();
            return Err(Error::DuplicateInstall {
                name: name.clone(),
                copies: described.join("; "),
                overrides: format!("{{ {} }}", entries.join(", ")),
            });
        }
    }
    let mut warnings = Vec::new();
    for asm in assemblies.values() {
        for (dep, range) in &asm.dependencies {
            let Some(installed) = assemblies.get(dep).map(|d| d.version.as_str()) else {
                continue;
            };
            if satisfies(range, installed) {
                continue;
            }
            if crates.contains(&asm.name) || crates.contains(dep) {
                return Err(Error::VersionSkew {
                    package: format!("{}@{}", asm.name, asm.version),
                    dependency: dep.clone(),
                    range: range.clone(),
                    installed: installed.to_owned(),
                });
            }
            warnings.push(format!(
                "{}@{} declares {dep} {range}, but {installed} is installed (an npm override?); \
                 the kernel loads {installed} for every package",
                asm.name, asm.version
            ));
        }
    }
    Ok(warnings)
}

/// A version as numbers plus its prerelease tag (`2.175.1-alpha.0`).
fn parse_version(v: &str) -> Option<([u64; 3], &str)> {
    let v = v.trim().trim_start_matches(['v', '=']);
    let (core, pre) = v.split_once('-').unwrap_or((v, ""));
    let core = core.split('+').next().unwrap_or(core);
    let mut n = [0u64; 3];
    let mut parts = core.split('.');
    for slot in &mut n {
        match parts.next() {
            Some(p) if !p.is_empty() && p != "x" && p != "*" => *slot = p.parse().ok()?,
            _ => break,
        }
    }
    Some((n, pre))
}

/// How many numeric parts a range's version spells out (`2` -> 1, `2.1` -> 2, `2.1.0` -> 3).
fn precision(v: &str) -> usize {
    v.trim_start_matches(['v', '='])
        .split(['-', '+'])
        .next()
        .unwrap_or("")
        .split('.')
        .take_while(|p| !p.is_empty() && *p != "x" && *p != "*")
        .count()
}

/// Whether `version` satisfies the npm range `range`: `||` alternatives of space-separated
/// comparators (`^`, `~`, `>=`, `>`, `<=`, `<`, `=`, exact, `x`/`*` wildcards). A range this does
/// not understand counts as satisfied (npm itself has accepted the install).
pub fn satisfies(range: &str, version: &str) -> bool {
    let Some((v, v_pre)) = parse_version(version) else {
        return true;
    };
    range.split("||").any(|alt| {
        let alt = alt.trim();
        if alt.is_empty() || alt == "*" || alt == "latest" {
            return true;
        }
        alt.split_whitespace().all(|cmp| {
            let (op, rest) = match cmp {
                c if c.starts_with(">=") => (">=", &c[2..]),
                c if c.starts_with("<=") => ("<=", &c[2..]),
                c if c.starts_with('>') => (">", &c[1..]),
                c if c.starts_with('<') => ("<", &c[1..]),
                c if c.starts_with('^') => ("^", &c[1..]),
                c if c.starts_with('~') => ("~", &c[1..]),
                c => ("=", c.trim_start_matches('=')),
            };
            let Some((r, r_pre)) = parse_version(rest) else {
                return true;
            };
            let exact_pre = v_pre == r_pre;
            match op {
                ">=" => v > r || (v == r && (exact_pre || r_pre.is_empty() && v_pre.is_empty())),
                ">" => v > r,
                "<=" => v <= r,
                "<" => v < r,
                "^" => {
                    let upper = if r[0] > 0 {
                        [r[0] + 1, 0, 0]
                    } else if r[1] > 0 {
                        [0, r[1] + 1, 0]
                    } else {
                        [0, 0, r[2] + 1]
                    };
                    v >= r && v < upper && (v_pre.is_empty() || (v == r && exact_pre))
                }
                "~" => {
                    let upper = if precision(rest) >= 2 {
                        [r[0], r[1] + 1, 0]
                    } else {
                        [r[0] + 1, 0, 0]
                    };
                    v >= r && v < upper && (v_pre.is_empty() || (v == r && exact_pre))
                }
                _ => match precision(rest) {
                    0 => true,
                    1 => v[0] == r[0],
                    2 => v[..2] == r[..2],
                    _ => v == r && exact_pre,
                },
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_npm_reads_them() {
        for (range, version, ok) in [
            ("^2.248.0", "2.276.0", true),
            ("^2.248.0", "3.0.0", false),
            ("^2.248.0", "2.200.0", false),
            ("^53.13.0", "55.6.0", false),
            ("^0.3.1", "0.3.9", true),
            ("^0.3.1", "0.4.0", false),
            ("~1.2.3", "1.2.9", true),
            ("~1.2.3", "1.3.0", false),
            ("2.101.0", "2.101.0", true),
            ("2.101.0", "2.101.1", false),
            ("2.175.1-alpha.0", "2.175.1-alpha.0", true),
            ("^2.175.1", "2.175.1-alpha.0", false),
            (">=4", "55.6.0", true),
            (">=1.0.0 <2.0.0", "1.5.0", true),
            (">=1.0.0 <2.0.0", "2.0.0", false),
            ("^1.0.0 || ^2.0.0", "2.3.0", true),
            ("10.x", "10.8.1", true),
            ("*", "1.0.0", true),
        ] {
            assert_eq!(satisfies(range, version), ok, "{version} in {range}");
        }
    }

    fn asm(name: &str, version: &str, deps: &[(&str, &str)]) -> Assembly {
        let text = serde_json::json!({
            "schema": "jsii/0.10.0", "name": name, "version": version,
            "dependencies": deps.iter().map(|(d, r)| ((*d).to_owned(), serde_json::json!(r))).collect::<serde_json::Map<_, _>>(),
            "types": {},
        });
        serde_json::from_value(text).expect("assembly")
    }

    #[test]
    fn a_second_copy_is_refused_with_the_override_that_fixes_it() {
        let copy = |v: &str, dir: &str, by: &[&str]| Copy {
            version: v.into(),
            dir: dir.into(),
            dependents: by.iter().map(|s| (*s).to_owned()).collect(),
        };
        let copies: BTreeMap<String, Vec<Copy>> = [(
            "@aws-cdk/cloud-assembly-schema".to_owned(),
            vec![
                copy(
                    "53.28.0",
                    "node_modules/@aws-cdk/cloud-assembly-schema",
                    &["core"],
                ),
                copy(
                    "55.6.0",
                    "node_modules/aws-cdk-lib/node_modules/@aws-cdk/cloud-assembly-schema",
                    &["aws-cdk-lib"],
                ),
            ],
        )]
        .into();
        let crates: BTreeSet<String> = ["aws-cdk-lib".to_owned()].into();
        let err = check_install(&BTreeMap::new(), &copies, &crates).expect_err("duplicate");
        let text = err.to_string();
        assert!(
            text.contains("53.28.0 in node_modules/@aws-cdk/cloud-assembly-schema (for core)"),
            "{text}"
        );
        assert!(
            text.contains(
                r#""overrides": { "core": { "@aws-cdk/cloud-assembly-schema": "55.6.0" } }"#
            ),
            "{text}"
        );
    }

    #[test]
    fn skew_is_an_error_for_crates_and_a_warning_for_load_only_packages() {
        let mut assemblies = BTreeMap::new();
        for a in [
            asm("lib", "1.0.0", &[("aws-cdk-lib", "^2.280.0")]),
            asm("aws-cdk-lib", "2.276.0", &[]),
            asm("core", "2.0.0", &[("schema", "^53.0.0")]),
            asm("schema", "55.6.0", &[]),
        ] {
            assemblies.insert(a.name.clone(), a);
        }
        let crates: BTreeSet<String> = ["lib".to_owned(), "aws-cdk-lib".to_owned()].into();
        let err = check_install(&assemblies, &BTreeMap::new(), &crates).expect_err("skew");
        assert!(
            err.to_string().starts_with(
                "lib@1.0.0 needs aws-cdk-lib ^2.280.0, but node_modules has aws-cdk-lib@2.276.0"
            ),
            "{err}"
        );
        assemblies.insert(
            "lib".into(),
            asm("lib", "1.0.0", &[("aws-cdk-lib", "^2.200.0")]),
        );
        let warnings = check_install(&assemblies, &BTreeMap::new(), &crates).expect("warns only");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("core@2.0.0 declares schema ^53.0.0"),
            "{warnings:?}"
        );
    }
}
