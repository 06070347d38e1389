//! Type lowering: a jsii type reference to the model's `Ty`, declaring on first use the unions
//! and `IFooOr<T>` enums it needs. It only refers to the types `select` placed; it must not
//! place or rename them.

use super::crates::CrateBuilder;
use super::select::kind_of;
use super::unions::union_name;
use crate::assembly::{CollectionKind, Primitive, TypeRef};
use crate::model::TypeKind as Kind;
use crate::model::*;
use crate::naming;

impl CrateBuilder<'_, '_> {
    pub(super) fn ty(&mut self, r: &TypeRef) -> Ty {
        match r {
            TypeRef::Primitive { primitive } => match primitive {
                Primitive::String => Ty::String,
                Primitive::Number => Ty::Number,
                Primitive::Boolean => Ty::Bool,
                Primitive::Date => Ty::Date,
                Primitive::Json => Ty::Json,
                Primitive::Any => Ty::Any,
            },
            TypeRef::Named { fqn } => match self.r.placed.get(fqn) {
                Some(p) if self.r.libs.contains_key(&p.path.krate) => {
                    self.used_crates.insert(p.path.krate.clone());
                    match p.kind {
                        Kind::Class => Ty::Class(p.path.clone()),
                        Kind::Struct => Ty::Struct(p.path.clone()),
                        Kind::Enum => Ty::Enum(p.path.clone()),
                        Kind::Interface => Ty::Interface {
                            tr: p.path.clone(),
                            proxy: p.path.sibling(p.proxy.as_deref().unwrap_or(&p.path.name)),
                        },
                    }
                }
                _ => match self.r.types.get(fqn.as_str()).map(|t| kind_of(t)) {
                    Some(Kind::Struct | Kind::Enum) => Ty::OpaqueData,
                    _ => Ty::Opaque,
                },
            },
            TypeRef::Collection { collection } => {
                let inner = Box::new(self.ty(&collection.elementtype));
                match collection.kind {
                    CollectionKind::Array => Ty::Array(inner),
                    CollectionKind::Map => Ty::Map(inner),
                }
            }
            TypeRef::Intersection { intersection } => {
                intersection.types.first().map_or(Ty::Any, |t| self.ty(t))
            }
            TypeRef::Union { union } => {
                let mut arms: Vec<Ty> = Vec::new();
                for t in &union.types {
                    let ty = self.ty(t);
                    if !arms.contains(&ty) {
                        arms.push(ty);
                    }
                }
                if arms.len() == 1 {
                    return arms.pop().expect("one arm");
                }
                if let Some(t) = self.or_interface(&arms) {
                    return t;
                }
                let name = match self.unions.get(&arms) {
                    Some(n) => n.clone(),
                    None => {
                        let n = self.union_names.claim(&union_name(&arms, &self.usage));
                        self.unions.insert(arms.clone(), n.clone());
                        n
                    }
                };
                Ty::Union(ItemPath::union(&self.lib, &name))
            }
        }
    }

    /// `IFooOr<T>` for a union of an interface and a value type (not a class, an interface or
    /// an opaque object, which would be ambiguous on the wire), declaring the generic enum on
    /// first use.
    fn or_interface(&mut self, arms: &[Ty]) -> Option<Ty> {
        let [a, b] = arms else {
            return None;
        };
        let (iface, value) = match (a, b) {
            (Ty::Interface { .. }, v) | (v, Ty::Interface { .. }) => (
                if matches!(a, Ty::Interface { .. }) {
                    a
                } else {
                    b
                },
                v,
            ),
            _ => return None,
        };
        if matches!(value, Ty::Class(_) | Ty::Interface { .. } | Ty::Opaque) {
            return None;
        }
        let Ty::Interface { tr, .. } = iface else {
            return None;
        };
        let fqn = self
            .r
            .placed
            .iter()
            .find(|(_, p)| p.path == *tr)
            .map(|(f, _)| f.clone())?;
        let name = match self.or_interfaces.get(tr) {
            Some(m) => m.name.clone(),
            None => {
                let base = tr.name.trim_end_matches('_');
                let name = self.union_names.claim(&format!("{base}Or"));
                self.or_interfaces.insert(
                    tr.clone(),
                    OrInterfaceModel {
                        name: name.clone(),
                        variant: naming::type_name(base),
                        interface: iface.clone(),
                        fqn,
                    },
                );
                name
            }
        };
        Some(Ty::OrInterface {
            generic: ItemPath::union(&self.lib, &name),
            value: Box::new(value.clone()),
        })
    }

    /// [`Self::ty`] for a type used by member `parts` (a property, or a method and one of its
    /// parameters) of the type being built: the usage names a union its arms cannot.
    pub(super) fn ty_for(&mut self, r: &TypeRef, parts: &[&str]) -> Ty {
        self.usage = parts
            .iter()
            .fold(self.owner.clone(), |acc, p| acc + &naming::pascal(p));
        self.ty(r)
    }
}
