//! Class and interface items: their members, constructors, overridable members and traits, for
//! the types `select` placed. It must not decide what is generated, nor lower type references
//! itself (that is `lower`).

use super::crates::CrateBuilder;
use crate::assembly::{Callable as JsiiCallable, ClassType, Type};
use crate::model::TypeKind as Kind;
use crate::model::*;
use crate::naming::{self, Scope};
use std::collections::BTreeSet;

impl CrateBuilder<'_, '_> {
    fn params(&mut self, m: &JsiiCallable, scope: &mut Scope) -> Vec<Param> {
        m.parameters
            .iter()
            .map(|p| Param {
                name: scope.claim(&naming::member(&p.name)),
                ty: self.ty_for(&p.type_ref, &[m.name.as_deref().unwrap_or(""), &p.name]),
                optional: p.optional,
                variadic: p.variadic,
            })
            .collect()
    }

    fn method(&mut self, m: &JsiiCallable, scope: &mut Scope) -> Member {
        let jsii = m.name.clone().unwrap_or_default();
        let mut pscope = Scope::with_reserved(naming::RESERVED_PARAMS);
        Member {
            name: scope.claim(&naming::member(&jsii)),
            docs: self.docs(&jsii, &m.docs),
            kind: MemberKind::Method {
                params: self.params(m, &mut pscope),
                ret: m
                    .returns
                    .as_ref()
                    .map(|r| self.ty_for(&r.type_ref, &[&jsii])),
                optional: m.returns.as_ref().is_some_and(|r| r.optional),
                is_async: m.is_async,
            },
            is_static: m.is_static,
            jsii,
        }
    }

    pub(super) fn class(&mut self, fqn: &str) -> ClassModel {
        self.owner = self.r.placed[fqn]
            .path
            .name
            .trim_end_matches('_')
            .to_owned();
        let Type::Class(c) = self.r.types[fqn] else {
            unreachable!("called for classes")
        };
        let placed = &self.r.placed[fqn];
        let base = c
            .base
            .as_ref()
            .and_then(|b| self.r.placed.get(b))
            .map(|p| p.path.clone());
        let mut ancestors = Vec::new();
        let mut cur = c.base.clone();
        while let Some(b) = cur {
            let Some(p) = self.r.placed.get(&b) else {
                break;
            };
            // Upcasts to every ancestor: each one's crate is a dependency.
            self.used_crates.insert(p.path.krate.clone());
            ancestors.push(p.path.clone());
            cur = match self.r.types.get(b.as_str()) {
                Some(Type::Class(bc)) => bc.base.clone(),
                _ => None,
            };
        }
        let traits = self.all_interfaces(fqn);
        let mut scope = Scope::with_reserved(&["obj_ref", "from_obj_ref", "new_with_overrides"]);
        // A protected constructor is for subclasses only: in Rust, `new_with_overrides`.
        let instantiable = c.initializer.as_ref().is_some_and(|i| !i.protected) && !c.is_abstract;
        let ctor_params = |b: &mut Self| {
            c.initializer.as_ref().map(|i| {
                let mut pscope =
                    Scope::with_reserved(&[naming::RESERVED_PARAMS, &["overrides"]].concat());
                Callable {
                    params: b.params(i, &mut pscope),
                    docs: b.docs(fqn, &i.docs),
                }
            })
        };
        let constructor = if instantiable {
            scope.claim("new");
            ctor_params(self)
        } else {
            None
        };
        let override_constructor = ctor_params(self);
        let mut members = Vec::new();
        for m in c.methods.iter().filter(|m| !m.protected) {
            members.push(self.method(m, &mut scope));
        }
        let props: Vec<_> = c.properties.iter().filter(|p| !p.protected).collect();
        let getters: Vec<String> = props
            .iter()
            .map(|p| scope.claim(&naming::member(&p.name)))
            .collect();
        for (p, getter) in props.iter().zip(getters) {
            let setter =
                (!p.immutable && !p.is_const).then(|| scope.claim(&naming::setter(&p.name)));
            members.push(Member {
                name: getter,
                jsii: p.name.clone(),
                docs: self.docs(&p.name, &p.docs),
                is_static: p.is_static,
                kind: MemberKind::Property {
                    ty: self.ty_for(&p.type_ref, &[&p.name]),
                    optional: p.optional,
                    setter,
                    is_const: p.is_const,
                },
            });
        }
        let overridable = self.overridable(c);
        ClassModel {
            name: placed.path.name.clone(),
            fqn: fqn.to_owned(),
            docs: self.docs(fqn, &c.docs),
            base,
            ancestors,
            traits,
            constructor,
            override_constructor,
            members,
            overridable,
            is_abstract: c.is_abstract,
        }
    }

    /// The instance members a class declares that Rust may override (protected ones too), as
    /// typed constants. Async methods, variadic ones and ones with more parameters than the
    /// runtime decodes into a tuple are left to the untyped `Overrides::method`.
    fn overridable(&mut self, c: &ClassType) -> Vec<Overridable> {
        let mut scope = Scope::with_reserved(naming::RESERVED_CLASS_CONSTS);
        let mut out = Vec::new();
        for m in c.methods.iter().filter(|m| !m.is_static) {
            if m.parameters.len() > MAX_OVERRIDE_ARGS || m.parameters.iter().any(|p| p.variadic) {
                continue;
            }
            let jsii = m.name.clone().unwrap_or_default();
            out.push(Overridable {
                name: scope.claim(&naming::override_const(&jsii)),
                protected: m.protected,
                kind: OverridableKind::Method {
                    args: self.params(m, &mut Scope::with_reserved(naming::RESERVED_PARAMS)),
                    ret: m.returns.as_ref().map(|r| self.ty(&r.type_ref)),
                    optional: m.returns.as_ref().is_some_and(|r| r.optional),
                    is_async: m.is_async,
                },
                jsii,
            });
        }
        for p in c.properties.iter().filter(|p| !p.is_static) {
            out.push(Overridable {
                name: scope.claim(&naming::override_const(&p.name)),
                jsii: p.name.clone(),
                protected: p.protected,
                kind: OverridableKind::Getter {
                    ty: self.ty(&p.type_ref),
                    optional: p.optional,
                },
            });
        }
        for p in c
            .properties
            .iter()
            .filter(|p| !p.is_static && !p.immutable && !p.is_const)
        {
            out.push(Overridable {
                name: scope.claim(&naming::override_const(&format!("set_{}", p.name))),
                jsii: p.name.clone(),
                protected: p.protected,
                kind: OverridableKind::Setter {
                    ty: self.ty(&p.type_ref),
                    optional: p.optional,
                },
            });
        }
        out
    }

    /// Every generated interface a class or interface implements, transitively, in FQN order.
    fn all_interfaces(&mut self, fqn: &str) -> Vec<ItemPath> {
        let mut found = BTreeSet::new();
        let mut todo = vec![fqn.to_owned()];
        while let Some(f) = todo.pop() {
            match self.r.types.get(f.as_str()) {
                Some(Type::Class(c)) => {
                    todo.extend(c.base.iter().cloned());
                    todo.extend(c.interfaces.iter().cloned());
                }
                Some(Type::Interface(i)) => {
                    if f != fqn {
                        found.insert(f.clone());
                    }
                    todo.extend(i.interfaces.iter().cloned());
                }
                _ => {}
            }
        }
        found
            .into_iter()
            .filter_map(|f| {
                let p = self.r.placed.get(&f)?;
                self.used_crates.insert(p.path.krate.clone());
                (p.kind == Kind::Interface).then(|| p.path.clone())
            })
            .collect()
    }

    pub(super) fn interface(&mut self, fqn: &str) -> InterfaceModel {
        self.owner = self.r.placed[fqn]
            .path
            .name
            .trim_end_matches('_')
            .to_owned();
        let Type::Interface(i) = self.r.types[fqn] else {
            unreachable!("called for interfaces")
        };
        let placed = &self.r.placed[fqn];
        // The closure: this interface first, then its ancestors breadth-first.
        let mut closure: Vec<&str> = vec![fqn];
        let mut k = 0;
        while k < closure.len() {
            if let Some(Type::Interface(ii)) = self.r.types.get(closure[k]) {
                for s in &ii.interfaces {
                    if !closure.contains(&s.as_str()) {
                        closure.push(s);
                    }
                }
            }
            k += 1;
        }
        let mut scope = Scope::with_reserved(&["obj_ref", "from_obj_ref", "implement"]);
        let mut all_members: Vec<Member> = Vec::new();
        let mut own = Vec::new();
        let mut seen = BTreeSet::new();
        for (depth, f) in closure.iter().enumerate() {
            let Some(Type::Interface(ii)) = self.r.types.get(*f) else {
                continue;
            };
            for m in &ii.methods {
                let jsii = m.name.clone().unwrap_or_default();
                if seen.insert(jsii) {
                    let member = self.method(m, &mut scope);
                    if depth == 0 {
                        own.push(member.clone());
                    }
                    all_members.push(member);
                }
            }
            for p in &ii.properties {
                if seen.insert(p.name.clone()) {
                    let member = Member {
                        name: scope.claim(&naming::member(&p.name)),
                        jsii: p.name.clone(),
                        docs: self.docs(&p.name, &p.docs),
                        is_static: false,
                        kind: MemberKind::Property {
                            ty: self.ty_for(&p.type_ref, &[&p.name]),
                            optional: p.optional,
                            setter: (!p.immutable).then(|| scope.claim(&naming::setter(&p.name))),
                            is_const: false,
                        },
                    };
                    if depth == 0 {
                        own.push(member.clone());
                    }
                    all_members.push(member);
                }
            }
        }
        let supers: Vec<ItemPath> = i
            .interfaces
            .iter()
            .filter_map(|s| self.r.placed.get(s))
            .filter(|p| p.kind == Kind::Interface)
            .map(|p| p.path.clone())
            .collect();
        for s in &i.interfaces {
            if let Some(p) = self.r.placed.get(s) {
                self.used_crates.insert(p.path.krate.clone());
            }
        }
        let all_traits = self.all_interfaces(fqn);
        InterfaceModel {
            name: placed.path.name.clone(),
            proxy: placed.proxy.clone().unwrap_or_default(),
            impl_trait: placed.impl_trait.clone().unwrap_or_default(),
            host: placed.host.clone().unwrap_or_default(),
            fqn: fqn.to_owned(),
            fqns: closure.iter().map(|s| (*s).to_owned()).collect(),
            docs: self.docs(fqn, &i.docs),
            supers,
            all_traits,
            members: own,
            all_members,
        }
    }
}
