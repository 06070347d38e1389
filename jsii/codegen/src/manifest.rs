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
//! class aws-cdk-lib.App App
//! interface aws-cdk-lib.IResource IResource IResourceProxy IResourceImpl IResourceImplHost
//! struct aws-cdk-lib.aws_dynamodb.Attribute aws_dynamodb::Attribute
//! ```

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
    /// Every generated type, by jsii FQN.
    pub types: BTreeMap<String, ManifestType>,
}

/// Where one generated type lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestType {
    /// What it is.
    pub kind: TypeKind,
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
        for (fqn, t) in &self.types {
            let mut path = t.module.join("::");
            if !path.is_empty() {
                path.push_str("::");
            }
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
            types.insert(
                fqn.to_owned(),
                ManifestType {
                    kind,
                    module,
                    name,
                    interface_items: extra,
                },
            );
        }
        let (package, version, cargo) = header.ok_or_else(|| bad(0, "no `package` line"))?;
        Ok(Manifest {
            package,
            version,
            cargo,
            types,
        })
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
                module: vec![],
                name: "B".into(),
                interface_items: None,
            },
        );
        types.insert(
            "a.type.IC".to_owned(),
            ManifestType {
                kind: TypeKind::Interface,
                module: vec!["r#type".into()],
                name: "IC".into(),
                interface_items: Some(["ICProxy".into(), "ICImpl".into(), "ICImplHost".into()]),
            },
        );
        let m = Manifest {
            package: "@s/a".into(),
            version: "1.2.3".into(),
            cargo: "s-a".into(),
            types,
        };
        let text = m.render("# header\n");
        assert!(text.contains("\ninterface a.type.IC r#type::IC ICProxy ICImpl ICImplHost\n"));
        assert_eq!(Manifest::parse(&text, "x").expect("parses"), m);
    }

    #[test]
    fn damaged_manifests_say_to_regenerate() {
        let err = Manifest::parse("package a 1\n", "crate/jsii-types.txt").expect_err("short");
        assert!(err.to_string().contains("bin/regen"), "{err}");
        let err = Manifest::parse("package a 1 a\nwidget a.B B\n", "m").expect_err("kind");
        assert!(err.to_string().contains("widget"), "{err}");
        assert!(Manifest::parse("", "m").is_err());
    }
}
