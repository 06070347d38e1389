//! Struct flattening: a jsii struct and its struct ancestors become one model struct, each
//! property once, its most derived declaration winning. It must not box fields (that is
//! `cycles`, once every struct is built).

use super::crates::CrateBuilder;
use crate::assembly::Type;
use crate::model::*;
use crate::naming::{self, Scope};
use std::collections::BTreeSet;

impl<'a> CrateBuilder<'_, 'a> {
    pub(super) fn structure(&mut self, fqn: &str) -> StructModel {
        self.owner = self.r.placed[fqn]
            .path
            .name
            .trim_end_matches('_')
            .to_owned();
        let placed = &self.r.placed[fqn];
        // Flatten: the most basic ancestor's fields first, each property once.
        let mut order: Vec<String> = Vec::new();
        self.struct_ancestry(fqn, &mut order);
        let mut seen = BTreeSet::new();
        let mut props = Vec::new();
        for f in &order {
            if let Some(Type::Interface(s)) = self.r.types.get(f.as_str()) {
                for p in &s.properties {
                    if seen.insert(p.name.clone()) {
                        props.push(p);
                    }
                }
            }
        }
        // A later re-declaration (narrowing optional to required) wins over the base's.
        let mut fields_scope = Scope::default();
        let mut methods_scope = Scope::with_reserved(naming::RESERVED_BUILDER_METHODS);
        let mut fields: Vec<Field> = props
            .iter()
            .map(|p| {
                let last = self.latest_declaration(fqn, &p.name).unwrap_or(p);
                Field {
                    name: fields_scope.claim(&naming::member(&p.name)),
                    setter: methods_scope.claim(&naming::member(&p.name)),
                    jsii: p.name.clone(),
                    ty: self.ty_for(&last.type_ref, &[&p.name]),
                    optional: last.optional,
                    boxed: false,
                    docs: self.docs(&p.name, &last.docs),
                }
            })
            .collect();
        fields.sort_by_key(|f| f.optional);
        let Type::Interface(s) = self.r.types[fqn] else {
            unreachable!("called for structs")
        };
        StructModel {
            name: placed.path.name.clone(),
            fqn: fqn.to_owned(),
            docs: self.docs(fqn, &s.docs),
            fields,
            builder: placed.builder.clone().unwrap_or_default(),
        }
    }

    /// `fqn` and its struct ancestors, the most basic first.
    fn struct_ancestry(&self, fqn: &str, out: &mut Vec<String>) {
        if out.iter().any(|f| f == fqn) {
            return;
        }
        if let Some(Type::Interface(s)) = self.r.types.get(fqn) {
            for parent in &s.interfaces {
                self.struct_ancestry(parent, out);
            }
        }
        out.push(fqn.to_owned());
    }

    /// The most derived declaration of property `name` in struct `fqn` or its ancestors.
    fn latest_declaration(&self, fqn: &str, name: &str) -> Option<&'a crate::assembly::Property> {
        let mut todo = vec![fqn.to_owned()];
        while let Some(f) = todo.pop() {
            let t: Option<&'a Type> = self.r.types.get(f.as_str()).copied();
            if let Some(Type::Interface(s)) = t {
                if let Some(p) = s.properties.iter().find(|p| p.name == name) {
                    return Some(p);
                }
                todo.extend(s.interfaces.iter().rev().cloned());
            }
        }
        None
    }
}
