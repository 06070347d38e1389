//! Crate assembly: the model of each crate this run writes (its modules and their files, unions,
//! dependencies, load order and manifest) and the facades of split packages. It drives the item
//! builders; it must not decide what is generated or how anything is named (that is `select`).

use super::Resolver;
use super::cycles::box_recursive_fields;
use super::docs::module_docs;
use super::paths::{relative, relative_inside};
use super::select::Unit;
use super::unions::ty_label;
use crate::assembly::{Assembly, Type};
use crate::error::Error;
use crate::manifest::{Manifest, ManifestCrate, ManifestType};
use crate::model::*;
use crate::naming::{self, Scope};
use std::collections::{BTreeMap, BTreeSet};

/// Per-crate state while building items: unions discovered and crates referenced.
pub(super) struct CrateBuilder<'r, 'a> {
    pub(super) r: &'r Resolver<'a>,
    pub(super) lib: String,
    pub(super) unions: BTreeMap<Vec<Ty>, String>,
    /// Generic `IFooOr<T>` enums, by interface trait path.
    pub(super) or_interfaces: BTreeMap<ItemPath, OrInterfaceModel>,
    pub(super) union_names: Scope,
    /// Library names of the crates the generated code refers to.
    pub(super) used_crates: BTreeSet<String>,
    /// Where the type being resolved is used (`ProductSpecCode`): names a union that its arms
    /// cannot name briefly.
    pub(super) usage: String,
    /// The name of the type whose members are being resolved.
    pub(super) owner: String,
    /// Its jsii FQN (the context `{@link X}` in its docs is resolved in).
    pub(super) owner_fqn: String,
}

impl Resolver<'_> {
    pub(super) fn build_crate(
        &self,
        unit: &Unit,
        selected: &BTreeSet<String>,
    ) -> Result<CrateModel, Error> {
        let asm = &self.assemblies[&unit.npm];
        let mut b = CrateBuilder {
            r: self,
            lib: unit.lib.clone(),
            unions: BTreeMap::new(),
            or_interfaces: BTreeMap::new(),
            union_names: Scope::default(),
            used_crates: BTreeSet::new(),
            usage: String::new(),
            owner: String::new(),
            owner_fqn: String::new(),
        };
        let mut modules: BTreeMap<Vec<String>, ModuleModel> = BTreeMap::new();
        let mut stats = Stats::default();
        // Every module on the way to a generated type exists, even if empty.
        let ensure = |modules: &mut BTreeMap<Vec<String>, ModuleModel>, path: &[String]| {
            for i in 0..=path.len() {
                let p = path[..i].to_vec();
                if !modules.contains_key(&p) {
                    let full: Vec<String> = unit.prefix.iter().chain(&p).cloned().collect();
                    let fqn = self
                        .modules
                        .iter()
                        .find(|(k, v)| **v == full && (k.starts_with(&asm.name)))
                        .map_or_else(|| asm.name.clone(), |(k, _)| k.clone());
                    let docs = module_docs(asm, &fqn);
                    modules.insert(
                        p.clone(),
                        ModuleModel {
                            path: p.clone(),
                            fqn,
                            docs,
                            children: vec![],
                            items: vec![],
                            files: vec![],
                        },
                    );
                    if i > 0 {
                        let parent = modules.get_mut(&path[..i - 1]).expect("parent first");
                        parent.children.push(path[i - 1].clone());
                    }
                }
            }
        };
        ensure(&mut modules, &[]);
        // The crate first: a cheap test that rules out most types of a split package's parts.
        for fqn in selected.iter().filter(|f| {
            self.placed
                .get(*f)
                .is_some_and(|p| p.path.krate == unit.lib)
                && self.assembly_of(f).is_some_and(|a| a.name == asm.name)
        }) {
            let placed = &self.placed[fqn];
            ensure(&mut modules, &placed.path.module);
            let t = self.types[fqn.as_str()];
            b.owner_fqn = fqn.clone();
            let item = match t {
                Type::Class(_) => {
                    stats.classes += 1;
                    Item::Class(b.class(fqn))
                }
                Type::Interface(i) if i.datatype => {
                    stats.structs += 1;
                    Item::Struct(b.structure(fqn))
                }
                Type::Interface(_) => {
                    stats.interfaces += 1;
                    Item::Interface(b.interface(fqn))
                }
                Type::Enum(e) => {
                    stats.enums += 1;
                    Item::Enum(EnumModel {
                        name: placed.path.name.clone(),
                        fqn: fqn.clone(),
                        docs: b.docs(fqn, &e.docs),
                        variants: {
                            let mut scope = Scope::default();
                            e.members
                                .iter()
                                .map(|m| {
                                    (
                                        scope.claim(&naming::variant(&m.name)),
                                        m.name.clone(),
                                        b.docs(&m.name, &m.docs),
                                    )
                                })
                                .collect()
                        },
                    })
                }
            };
            stats.members += match &item {
                Item::Class(c) => c.members.len(),
                Item::Interface(i) => i.all_members.len(),
                _ => 0,
            };
            modules
                .get_mut(&placed.path.module)
                .expect("ensured")
                .items
                .push(item);
        }
        for m in modules.values_mut() {
            m.children.sort();
            m.children.dedup();
            m.files = self.files_of(asm, m);
        }
        let unions: Vec<UnionModel> = b
            .unions
            .iter()
            .map(|(arms, name)| UnionModel {
                name: name.clone(),
                arms: {
                    let mut scope = Scope::default();
                    arms.iter()
                        .map(|t| (scope.claim(&ty_label(t)), t.clone()))
                        .collect()
                },
            })
            .collect();
        stats.unions = unions.len() + b.or_interfaces.len();
        let or_interfaces: Vec<OrInterfaceModel> = b.or_interfaces.values().cloned().collect();
        box_recursive_fields(&mut modules, &unions, &unit.lib);

        // What to load before this package (the crate defining its static), and which crates
        // the Cargo.toml needs.
        let mut load_deps = Vec::new();
        let mut load_only = Vec::new();
        match &unit.core {
            None => {
                let mut seen = BTreeSet::new();
                for dep in asm.dependencies.keys() {
                    load_deps.push(self.load_dep(
                        dep,
                        &mut load_only,
                        &mut seen,
                        &mut b.used_crates,
                    )?);
                }
            }
            Some(core) => {
                b.used_crates.insert(core.clone());
            }
        }
        let mut crate_deps: Vec<(String, String)> = b
            .used_crates
            .iter()
            .filter(|lib| **lib != unit.lib)
            .filter_map(|lib| self.libs.get(lib))
            .map(|(package, dir)| (package.clone(), relative(&unit.dir, dir)))
            .collect();
        crate_deps.sort();
        crate_deps.dedup();
        let whole = !self.crates[&unit.npm].split;
        Ok(CrateModel {
            package: unit.package.clone(),
            lib: unit.lib.clone(),
            dir: unit.dir.clone(),
            npm: asm.name.clone(),
            version: asm.version.clone(),
            description: asm.description.clone(),
            crate_deps,
            load_deps,
            load_only,
            type_graph: if unit.core.is_none() {
                type_graph(asm)
            } else {
                String::new()
            },
            modules,
            unions,
            or_interfaces,
            stats,
            manifest: whole.then(|| self.manifest(&unit.npm, selected)),
            package_from: unit.core.clone(),
        })
    }

    /// The facade of split package `npm`: its parts, re-exported under the package's paths.
    pub(super) fn facade(
        &self,
        npm: &str,
        parts: &[CrateModel],
        selected: &BTreeSet<String>,
    ) -> FacadeModel {
        let info = &self.crates[npm];
        let asm = &self.assemblies[npm];
        let part = |u: &Unit| {
            let module = u.prefix.first().cloned().unwrap_or_default();
            let docs = parts
                .iter()
                .find(|p| p.lib == u.lib)
                .and_then(|p| p.modules.get(&Vec::new()))
                .map(|m| m.docs.clone())
                .unwrap_or_default();
            FacadePart {
                module,
                docs,
                lib: u.lib.clone(),
                package: u.package.clone(),
                dir: relative_inside(&info.dir, &u.dir),
            }
        };
        let core = part(&info.parts[""]);
        let rest: Vec<FacadePart> = info
            .parts
            .iter()
            .filter(|(k, _)| !k.is_empty())
            .map(|(_, u)| part(u))
            .collect();
        let package = info.package_unit.as_ref().map(part);
        FacadeModel {
            package: info.package.clone(),
            lib: info.lib.clone(),
            dir: info.dir.clone(),
            npm: npm.to_owned(),
            version: asm.version.clone(),
            description: asm.description.clone(),
            core,
            parts: rest,
            package_crate: package.expect("a split package has a package crate"),
            manifest: self.manifest(npm, selected),
        }
    }

    /// The file (a private module) of each item of `m`: the top-level type a nested type belongs
    /// to (`CfnFunction` for `CfnFunction.CodeProperty`), the class a `...Props` struct is for,
    /// else the item itself. Idents avoid the module's child submodules.
    fn files_of(&self, asm: &Assembly, m: &ModuleModel) -> Vec<String> {
        let mut scope = Scope::with_reserved(naming::RESERVED_MODULE_NAMES);
        for child in &m.children {
            scope.claim(child);
        }
        let classes: BTreeSet<&str> = m
            .items
            .iter()
            .filter(|i| matches!(i, Item::Class(_)))
            .map(Item::name)
            .collect();
        let mut idents: BTreeMap<String, String> = BTreeMap::new();
        m.items
            .iter()
            .map(|item| {
                let owner = match self.types.get(item.fqn()) {
                    Some(t) => match self.submodule_of(asm, t) {
                        (sub, parents) if !parents.is_empty() => self
                            .placed
                            .get(&format!("{sub}.{}", parents[0]))
                            .map_or_else(|| parents[0].clone(), |p| p.path.name.clone()),
                        _ => item.name().to_owned(),
                    },
                    None => item.name().to_owned(),
                };
                let owner = match owner.strip_suffix("Props") {
                    Some(class) if matches!(item, Item::Struct(_)) && classes.contains(class) => {
                        class.to_owned()
                    }
                    _ => owner,
                };
                idents
                    .entry(owner.clone())
                    .or_insert_with(|| scope.claim(&naming::module(owner.trim_end_matches('_'))))
                    .clone()
            })
            .collect()
    }

    /// What the crates of package `npm` hold, for configs that name it under `[extern]`.
    fn manifest(&self, npm: &str, selected: &BTreeSet<String>) -> Manifest {
        let info = &self.crates[npm];
        let asm = &self.assemblies[npm];
        let mut crates = BTreeMap::new();
        if info.split {
            for u in info.parts.values().chain(&info.package_unit) {
                crates.insert(
                    u.lib.clone(),
                    ManifestCrate {
                        cargo: u.package.clone(),
                        dir: relative_inside(&info.dir, &u.dir),
                        defines_package: u.core.is_none(),
                    },
                );
            }
        } else {
            crates.insert(
                info.lib.clone(),
                ManifestCrate {
                    cargo: info.package.clone(),
                    dir: ".".to_owned(),
                    defines_package: true,
                },
            );
        }
        let types = selected
            .iter()
            .filter(|f| self.assembly_of(f).is_some_and(|a| a.name == asm.name))
            .map(|fqn| {
                let p = &self.placed[fqn];
                let interface_items = match (&p.proxy, &p.impl_trait, &p.host) {
                    (Some(proxy), Some(imp), Some(host)) => {
                        Some([proxy.clone(), imp.clone(), host.clone()])
                    }
                    _ => None,
                };
                let t = ManifestType {
                    kind: p.kind,
                    krate: p.path.krate.clone(),
                    module: p.path.module.clone(),
                    name: p.path.name.clone(),
                    interface_items,
                };
                (fqn.clone(), t)
            })
            .collect();
        Manifest {
            package: asm.name.clone(),
            version: asm.version.clone(),
            cargo: info.package.clone(),
            crates,
            types,
        }
    }

    fn load_dep(
        &self,
        name: &str,
        load_only: &mut Vec<LoadOnly>,
        seen: &mut BTreeSet<String>,
        used_crates: &mut BTreeSet<String>,
    ) -> Result<LoadDep, Error> {
        if let Some(c) = self.crates.get(name) {
            used_crates.insert(c.package_lib.clone());
            return Ok(LoadDep::Crate(c.package_lib.clone()));
        }
        let asm = self
            .assemblies
            .get(name)
            .ok_or_else(|| Error::MissingAssembly {
                name: name.to_owned(),
            })?;
        let ident = naming::package_static(name);
        if seen.insert(name.to_owned()) {
            let mut deps = Vec::new();
            for d in asm.dependencies.keys() {
                deps.push(self.load_dep(d, load_only, seen, used_crates)?);
            }
            load_only.push(LoadOnly {
                ident: ident.clone(),
                name: name.to_owned(),
                version: asm.version.clone(),
                deps,
            });
        }
        Ok(LoadDep::Local(ident))
    }
}

/// `<fqn> <base or -> <interfaces,...>` for every class and interface, sorted.
fn type_graph(asm: &Assembly) -> String {
    let mut out = String::new();
    for (fqn, t) in &asm.types {
        let (base, ifaces) = match t {
            Type::Class(c) => (c.base.clone(), &c.interfaces),
            Type::Interface(i) if !i.datatype => (None, &i.interfaces),
            _ => continue,
        };
        if base.is_none() && ifaces.is_empty() {
            continue;
        }
        out.push_str(fqn);
        out.push(' ');
        out.push_str(base.as_deref().unwrap_or("-"));
        out.push(' ');
        out.push_str(&ifaces.join(","));
        out.push('\n');
    }
    out
}
