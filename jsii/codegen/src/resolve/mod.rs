//! Stage 2, resolve: from parsed assemblies and the config to the Rust-shaped [`crate::model`].
//!
//! Decides which types are generated (the named submodules, plus what they structurally need:
//! base classes, implemented and inherited interfaces, and the structs and enums used in their
//! signatures), names everything through [`naming`], flattens struct inheritance, and maps every
//! jsii type reference to a [`Ty`]. References to classes and interfaces that are not generated
//! become [`Ty::Opaque`].
//!
//! The stages are submodules: `select` (what is generated, in which crate, under which name),
//! `crates` (a crate's model), `items` and `structs` (its items), `lower` and `unions` (type
//! references), `docs`, `cycles` (boxing recursive struct fields) and `paths`.

mod crates;
mod cycles;
mod docs;
mod items;
mod lower;
mod paths;
mod select;
mod structs;
mod unions;

use crate::assembly::{Assembly, Type};
use crate::config::Config;
use crate::error::Error;
use crate::manifest::Manifest;
use crate::model::*;
use crate::naming;
use select::{CrateInfo, Placed, Unit, package_unit, part_unit};
use std::collections::{BTreeMap, BTreeSet};

/// Everything [`resolve`] reads.
#[derive(Debug)]
pub struct Input<'a> {
    /// The config.
    pub config: &'a Config,
    /// Every assembly available, by npm name: the configured ones and their dependencies.
    pub assemblies: &'a BTreeMap<String, Assembly>,
    /// The manifests of the `[extern]` crates, by npm name (read from their directories).
    pub externs: &'a BTreeMap<String, Manifest>,
}

/// Where a split crate's parts go, inside its directory.
pub const PARTS_DIR: &str = "parts";

struct Resolver<'a> {
    assemblies: &'a BTreeMap<String, Assembly>,
    types: BTreeMap<&'a str, &'a Type>,
    crates: BTreeMap<String, CrateInfo>,
    /// Generated types (local and extern), by FQN.
    placed: BTreeMap<String, Placed>,
    /// Module paths of submodules, by submodule FQN.
    modules: BTreeMap<String, Vec<String>>,
    /// Generated types by their jsii name without namespace (`Table`), for doc links.
    by_simple_name: BTreeMap<String, Vec<String>>,
    /// Every Rust crate generated code may depend on, by library name: (Cargo package, dir).
    libs: BTreeMap<String, (String, String)>,
}

/// Resolves the config against the assemblies.
pub fn resolve(input: &Input<'_>) -> Result<Resolved, Error> {
    let mut crates = BTreeMap::new();
    for c in &input.config.crates {
        let asm = input
            .assemblies
            .get(&c.package)
            .ok_or_else(|| Error::MissingAssembly {
                name: c.package.clone(),
            })?;
        let submodules = match &c.submodules {
            None => None,
            Some(list) => {
                let mut set = BTreeSet::new();
                for s in list {
                    let fqn = if s.is_empty() {
                        asm.name.clone()
                    } else {
                        format!("{}.{s}", asm.name)
                    };
                    if fqn != asm.name && !asm.submodules.contains_key(&fqn) {
                        let near: Vec<&str> = asm
                            .submodules
                            .keys()
                            .filter_map(|k| k.strip_prefix(&format!("{}.", asm.name)))
                            .filter(|k| k.contains(s.as_str()) || s.contains(*k))
                            .take(5)
                            .collect();
                        return Err(Error::Config(format!(
                            "{} has no submodule {s:?} (similar: {near:?}); names are as in \
                             the jsii FQN, e.g. \"aws_dynamodb\"",
                            asm.name
                        )));
                    }
                    set.insert(fqn);
                }
                Some(set)
            }
        };
        let package = c
            .name
            .clone()
            .unwrap_or_else(|| naming::crate_package(&c.package));
        let mut info = CrateInfo {
            lib: naming::crate_lib(&package),
            package_lib: naming::crate_lib(&package),
            package,
            dir: c.path.clone(),
            local: true,
            submodules,
            split: c.split,
            parts: BTreeMap::new(),
            package_unit: None,
        };
        if c.split {
            let unit = package_unit(&info, &c.package);
            info.package_lib = unit.lib.clone();
            info.package_unit = Some(unit);
            let core = part_unit(&info, &c.package, "");
            info.parts.insert(String::new(), core);
        }
        crates.insert(c.package.clone(), info);
    }
    for (name, e) in &input.config.externs {
        let asm = input
            .assemblies
            .get(name)
            .ok_or_else(|| Error::MissingAssembly { name: name.clone() })?;
        let manifest = input.externs.get(name).ok_or_else(|| {
            Error::Config(format!(
                "[extern.{name:?}] has no manifest ({}) in {}; generate that crate first",
                crate::manifest::FILE,
                e.path
            ))
        })?;
        if manifest.package != *name {
            return Err(Error::Config(format!(
                "[extern.{name:?}] points at {}, which holds the bindings of {}, not {name}",
                e.path, manifest.package
            )));
        }
        if manifest.version != asm.version {
            return Err(Error::ExternSkew {
                package: name.clone(),
                dir: e.path.clone(),
                generated: format!("{}@{}", manifest.package, manifest.version),
                installed: asm.version.clone(),
            });
        }
        if let Some(declared) = e.name.as_ref().filter(|n| **n != manifest.cargo) {
            return Err(Error::Config(format!(
                "[extern.{name:?}] says name = {declared:?}, but the crate in {} is {:?}; \
                 drop `name` (the manifest says it)",
                e.path, manifest.cargo
            )));
        }
        let package_lib = manifest.package_crate().map(str::to_owned).ok_or_else(|| {
            Error::Config(format!(
                "[extern.{name:?}]: the manifest in {} names no crate defining the package; \
                 regenerate that crate",
                e.path
            ))
        })?;
        crates.insert(
            name.clone(),
            CrateInfo {
                lib: naming::crate_lib(&manifest.cargo),
                package: manifest.cargo.clone(),
                dir: e.path.clone(),
                local: false,
                submodules: None,
                split: manifest.crates.len() > 1,
                package_lib,
                parts: BTreeMap::new(),
                package_unit: None,
            },
        );
    }
    let mut types = BTreeMap::new();
    for asm in input.assemblies.values() {
        for (fqn, t) in &asm.types {
            types.insert(fqn.as_str(), t);
        }
    }
    let mut r = Resolver {
        assemblies: input.assemblies,
        types,
        crates,
        placed: BTreeMap::new(),
        modules: BTreeMap::new(),
        by_simple_name: BTreeMap::new(),
        libs: BTreeMap::new(),
    };
    for info in r.crates.values() {
        if info.local && !info.split {
            r.libs
                .insert(info.lib.clone(), (info.package.clone(), info.dir.clone()));
        }
        for part in info.parts.values().chain(&info.package_unit) {
            r.libs
                .insert(part.lib.clone(), (part.package.clone(), part.dir.clone()));
        }
    }
    for (name, m) in input.externs {
        let Some(info) = r.crates.get(name) else {
            continue;
        };
        for (lib, c) in &m.crates {
            let dir = if c.dir == "." {
                info.dir.clone()
            } else {
                format!("{}/{}", info.dir.trim_end_matches('/'), c.dir)
            };
            r.libs.insert(lib.clone(), (c.cargo.clone(), dir));
        }
    }
    r.place_externs(input.externs);
    let selected = r.select()?;
    r.place(&selected);
    for fqn in r.placed.keys() {
        if let Some(t) = r.types.get(fqn.as_str()) {
            r.by_simple_name
                .entry(simple_name(t).to_owned())
                .or_default()
                .push(fqn.clone());
        }
    }
    let mut out = Vec::new();
    let mut facades = Vec::new();
    for c in &input.config.crates {
        let info = &r.crates[&c.package];
        if info.split {
            let mut parts = Vec::new();
            for unit in info.package_unit.iter().chain(info.parts.values()) {
                parts.push(r.build_crate(unit, &selected)?);
            }
            facades.push(r.facade(&c.package, &parts, &selected));
            out.extend(parts);
        } else {
            let unit = Unit {
                npm: c.package.clone(),
                package: info.package.clone(),
                lib: info.lib.clone(),
                dir: info.dir.clone(),
                prefix: vec![],
                core: None,
            };
            out.push(r.build_crate(&unit, &selected)?);
        }
    }
    Ok(Resolved {
        crates: out,
        facades,
    })
}

/// What [`resolve`] produces: the crates to write, and the facades of split packages.
#[derive(Debug)]
pub struct Resolved {
    /// Every crate holding types (whole packages and parts of split ones).
    pub crates: Vec<CrateModel>,
    /// The crates that re-export the parts of split packages.
    pub facades: Vec<FacadeModel>,
}

impl<'a> Resolver<'a> {
    fn assembly_of(&self, fqn: &str) -> Option<&'a Assembly> {
        // `<assembly>.<namespace>.<name>` (or without a namespace), cut without allocating:
        // building a split package calls this for every type once per part.
        let t = self.types.get(fqn)?;
        let rest = fqn.strip_suffix(simple_name(t))?.strip_suffix('.')?;
        let name = match t.namespace() {
            Some(ns) => rest.strip_suffix(ns)?.strip_suffix('.')?,
            None => rest,
        };
        self.assemblies.get(name)
    }

    /// The submodule FQN a type belongs to, and the names of the types it is nested in.
    fn submodule_of(&self, asm: &Assembly, t: &Type) -> (String, Vec<String>) {
        let Some(ns) = t.namespace() else {
            return (asm.name.clone(), vec![]);
        };
        let segs: Vec<&str> = ns.split('.').collect();
        for cut in (0..=segs.len()).rev() {
            let candidate = if cut == 0 {
                asm.name.clone()
            } else {
                format!("{}.{}", asm.name, segs[..cut].join("."))
            };
            if cut == 0 || asm.submodules.contains_key(&candidate) {
                return (
                    candidate,
                    segs[cut..].iter().map(|s| (*s).to_owned()).collect(),
                );
            }
        }
        (asm.name.clone(), vec![])
    }
}

fn simple_name(t: &Type) -> &str {
    match t {
        Type::Class(c) => &c.name,
        Type::Interface(i) => &i.name,
        Type::Enum(e) => &e.name,
    }
}
