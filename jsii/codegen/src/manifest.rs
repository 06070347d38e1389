//! The manifest of a generated crate: which assembly and version it was generated from, and
//! where each type it holds lives. The generator writes it next to the crate's `Cargo.toml`
//! ([`FILE`]); another config that names the crate under `[extern]` reads it back, so references
//! into the crate point only at types that exist there, and a crate generated from another
//! version of the package is refused instead of producing code that does not compile.
//!
//! The format is plain text, one record per line, sorted, so that diffs of regenerated bindings
//! stay readable:
//!
//! ```text
//! package aws-cdk-lib 2.276.0 aws-cdk-lib
//! crate aws_cdk_lib_core aws-cdk-lib-core parts/core package
//! crate aws_cdk_lib_aws_dynamodb aws-cdk-lib-aws-dynamodb parts/aws-dynamodb
//! class aws-cdk-lib.App aws_cdk_lib_core::App
//! interface aws-cdk-lib.IResource aws_cdk_lib_core::IResource IResourceProxy IResourceImpl IResourceImplHost
//! struct aws-cdk-lib.aws_dynamodb.Attribute aws_cdk_lib_aws_dynamodb::Attribute
//! ```
//!
//! A crate generated whole has one `crate` line (directory `.`); one split into a crate per
//! submodule lists every part, and the one that defines the package static says `package`.

use crate::error::Error;
use crate::model::TypeKind;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The manifest's file name, in the crate's directory.
pub const FILE: &str = "jsii-types.txt";

/// What one generated crate holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The npm package (assembly) name.
    pub package: String,
    /// The exact version the crate was generated from.
    pub version: String,
    /// The crate's Cargo package name (`aws-cdk-lib`).
    pub cargo: String,
    /// The Rust crates holding the types, by library name.
    pub crates: BTreeMap<String, ManifestCrate>,
    /// Every generated type, by jsii FQN.
    pub types: BTreeMap<String, ManifestType>,
}

/// One Rust crate of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestCrate {
    /// Its Cargo package name.
    pub cargo: String,
    /// Its directory, relative to the manifest's.
    pub dir: String,
    /// Whether it defines the jsii package static (`PACKAGE`) the others re-export.
    pub defines_package: bool,
}

/// Where one generated type lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestType {
    /// What it is.
    pub kind: TypeKind,
    /// The library name of the crate holding it.
    pub krate: String,
    /// Module idents below the crate root.
    pub module: Vec<String>,
    /// The item's ident (for an interface: its trait).
    pub name: String,
    /// For an interface: the proxy, implementation-trait and host idents.
    pub interface_items: Option<[String; 3]>,
}

impl Manifest {
    /// The file's text.
    pub fn render(&self, header: &str) -> String {
        let mut out = String::from(header);
        out.push_str(
            "# The types this crate holds. A bindings config that names this crate under \
             [extern] reads this file.\n",
        );
        let _ = writeln!(
            out,
            "package {} {} {}",
            self.package, self.version, self.cargo
        );
        for (lib, c) in &self.crates {
            let _ = writeln!(
                out,
                "crate {lib} {} {}{}",
                c.cargo,
                c.dir,
                if c.defines_package { " package" } else { "" }
            );
        }
        for (fqn, t) in &self.types {
            let mut path = t.krate.clone();
            for m in &t.module {
                path.push_str("::");
                path.push_str(m);
            }
            path.push_str("::");
            path.push_str(&t.name);
            let _ = write!(out, "{} {fqn} {path}", t.kind.as_str());
            if let Some(items) = &t.interface_items {
                for i in items {
                    let _ = write!(out, " {i}");
                }
            }
            out.push('\n');
        }
        out
    }

    /// Reads a manifest's text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Manifest, Error> {
        let bad = |line: usize, why: &str| Error::Parse {
            what: format!("{origin} line {line}"),
            detail: format!(
                "{why}; the file is generated: regenerate the crate (bin/regen) rather than \
                 editing it"
            ),
        };
        let mut header = None;
        let mut crates = BTreeMap::new();
        let mut types = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let parts: Vec<&str> = line.split(' ').collect();
            if parts[0] == "package" {
                let [_, package, version, cargo] = parts[..] else {
                    return Err(bad(
                        n,
                        "expected `package <npm name> <version> <cargo package>`",
                    ));
                };
                header = Some((package.to_owned(), version.to_owned(), cargo.to_owned()));
                continue;
            }
            if parts[0] == "crate" {
                let (lib, cargo, dir, defines_package) = match parts[..] {
                    [_, lib, cargo, dir] => (lib, cargo, dir, false),
                    [_, lib, cargo, dir, "package"] => (lib, cargo, dir, true),
                    _ => {
                        return Err(bad(
                            n,
                            "expected `crate <lib> <cargo package> <dir> [package]`",
                        ));
                    }
                };
                crates.insert(
                    lib.to_owned(),
                    ManifestCrate {
                        cargo: cargo.to_owned(),
                        dir: dir.to_owned(),
                        defines_package,
                    },
                );
                continue;
            }
            let kind = TypeKind::parse(parts[0])
                .ok_or_else(|| bad(n, &format!("unknown kind {:?}", parts[0])))?;
            let (fqn, path, extra) = match parts[..] {
                [_, fqn, path] => (fqn, path, None),
                [_, fqn, path, proxy, imp, host] if kind == TypeKind::Interface => {
                    (fqn, path, Some([proxy.into(), imp.into(), host.into()]))
                }
                _ => return Err(bad(n, "expected `<kind> <fqn> <path>`")),
            };
            if kind == TypeKind::Interface && extra.is_none() {
                return Err(bad(n, "an interface needs its proxy, impl and host idents"));
            }
            let mut module: Vec<String> = path.split("::").map(str::to_owned).collect();
            let name = module.pop().unwrap_or_default();
            if module.is_empty() {
                return Err(bad(n, "a type's path starts with its crate"));
            }
            let krate = module.remove(0);
            if !crates.contains_key(&krate) {
                return Err(bad(n, &format!("crate {krate} has no `crate` line")));
            }
            types.insert(
                fqn.to_owned(),
                ManifestType {
                    kind,
                    krate,
                    module,
                    name,
                    interface_items: extra,
                },
            );
        }
        let (package, version, cargo) = header.ok_or_else(|| bad(0, "no `package` line"))?;
        if crates.values().filter(|c| c.defines_package).count() != 1 {
            return Err(bad(0, "exactly one crate must define the package"));
        }
        Ok(Manifest {
            package,
            version,
            cargo,
            crates,
            types,
        })
    }

    /// The crate that defines the package static, by library name.
    pub fn package_crate(&self) -> Option<&str> {
        self.crates
            .iter()
            .find(|(_, c)| c.defines_package)
            .map(|(lib, _)| lib.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_round_trip() {
        let mut types = BTreeMap::new();
        types.insert(
            "a.B".to_owned(),
            ManifestType {
                kind: TypeKind::Class,
                krate: "s_a_core".into(),
                module: vec![],
                name: "B".into(),
                interface_items: None,
            },
        );
        types.insert(
            "a.type.IC".to_owned(),
            ManifestType {
                kind: TypeKind::Interface,
                krate: "s_a_type".into(),
                module: vec!["nested".into()],
                name: "IC".into(),
                interface_items: Some(["ICProxy".into(), "ICImpl".into(), "ICImplHost".into()]),
            },
        );
        let part = |cargo: &str, dir: &str, defines_package| ManifestCrate {
            cargo: cargo.into(),
            dir: dir.into(),
            defines_package,
        };
        let m = Manifest {
            package: "@s/a".into(),
            version: "1.2.3".into(),
            cargo: "s-a".into(),
            crates: [
                ("s_a_core".to_owned(), part("s-a-core", "parts/core", true)),
                ("s_a_type".to_owned(), part("s-a-type", "parts/type", false)),
            ]
            .into(),
            types,
        };
        let text = m.render("# header\n");
        assert!(
            text.contains("\ninterface a.type.IC s_a_type::nested::IC ICProxy ICImpl ICImplHost\n"),
            "{text}"
        );
        assert!(
            text.contains("\ncrate s_a_core s-a-core parts/core package\n"),
            "{text}"
        );
        assert_eq!(m.package_crate(), Some("s_a_core"));
        assert_eq!(Manifest::parse(&text, "x").expect("parses"), m);
    }

    #[test]
    fn damaged_manifests_say_to_regenerate() {
        let err = Manifest::parse("package a 1\n", "crate/jsii-types.txt").expect_err("short");
        assert!(err.to_string().contains("bin/regen"), "{err}");
        let err = Manifest::parse("package a 1 a\ncrate a a . package\nwidget a.B a::B\n", "m")
            .expect_err("kind");
        assert!(err.to_string().contains("widget"), "{err}");
        assert!(Manifest::parse("", "m").is_err());
        let err = Manifest::parse("package a 1 a\ncrate a a . package\nclass a.B b::B\n", "m")
            .expect_err("unknown crate");
        assert!(err.to_string().contains("crate b"), "{err}");
    }
}
