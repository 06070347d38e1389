//! How each [`Ty`] is written in generated code: as a parameter, as an owned value (returns,
//! struct fields, callback arguments), as a builder argument, and how each goes on the wire.
//! All the per-type decisions of the Rust mapping are in this one file.

use crate::emit::paths::{ANY, DATE, INDEX_MAP, JSON, OBJ_REF, OBJECT_TRAIT, OPTIONAL_ARG, arg};
use crate::model::Ty;

/// Where a parameter list appears: inherent methods may use `impl Trait` arguments; trait
/// methods must stay dyn-compatible, so they take concrete types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// An inherent method or constructor.
    Inherent,
    /// A method of a generated trait.
    Trait,
}

/// The owned form: what getters return, what struct fields hold, what callbacks receive.
pub fn owned(ty: &Ty, from: &str) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Number => "f64".into(),
        Ty::Bool => "bool".into(),
        Ty::Date => DATE.into(),
        Ty::Json => JSON.into(),
        Ty::Any | Ty::OpaqueData => ANY.into(),
        Ty::Class(p) | Ty::Struct(p) | Ty::Enum(p) | Ty::Union(p) => p.render(from),
        Ty::Interface { proxy, .. } => proxy.render(from),
        Ty::Opaque => OBJ_REF.into(),
        Ty::Array(e) => format!("Vec<{}>", owned(e, from)),
        Ty::Map(e) => format!("{INDEX_MAP}<String, {}>", owned(e, from)),
    }
}

/// `Option<owned>` when optional.
pub fn owned_opt(ty: &Ty, optional: bool, from: &str) -> String {
    if optional {
        format!("Option<{}>", owned(ty, from))
    } else {
        owned(ty, from)
    }
}

/// What a method returns: `()` for void, else the owned form (`Option` when it may be
/// undefined).
pub fn result(ret: Option<&Ty>, optional: bool, from: &str) -> String {
    ret.map_or("()".to_owned(), |t| owned_opt(t, optional, from))
}

/// Whether the parameter form of `ty` is a reference to a kernel object.
fn is_object(ty: &Ty) -> bool {
    matches!(ty, Ty::Class(_) | Ty::Interface { .. } | Ty::Opaque)
}

/// The element form inside a slice parameter: `&str`, `&Class`, `&dyn Trait`, or owned.
fn slice_elem(ty: &Ty, from: &str) -> String {
    match ty {
        Ty::String => "&str".into(),
        Ty::Class(p) => format!("&{}", p.render(from)),
        Ty::Interface { tr, .. } => format!("&dyn {}", tr.render(from)),
        Ty::Opaque => format!("&dyn {OBJECT_TRAIT}"),
        other => owned(other, from),
    }
}

/// The type of a required parameter.
fn required_param(ty: &Ty, style: Style, from: &str) -> String {
    match ty {
        Ty::String => "&str".into(),
        Ty::Json => format!("&{JSON}"),
        Ty::Any | Ty::OpaqueData if style == Style::Inherent => format!("impl Into<{ANY}>"),
        Ty::Union(p) if style == Style::Inherent => format!("impl Into<{}>", p.render(from)),
        Ty::Class(p) => format!("&{}", p.render(from)),
        Ty::Interface { tr, .. } => format!("&dyn {}", tr.render(from)),
        Ty::Opaque => format!("&dyn {OBJECT_TRAIT}"),
        Ty::Array(e) => format!("&[{}]", slice_elem(e, from)),
        Ty::Map(e) => format!("&{INDEX_MAP}<String, {}>", owned(e, from)),
        other => owned(other, from),
    }
}

/// The declared type of a parameter.
pub fn param(ty: &Ty, optional: bool, variadic: bool, style: Style, from: &str) -> String {
    if variadic {
        return format!("&[{}]", slice_elem(ty, from));
    }
    if !optional {
        return required_param(ty, style, from);
    }
    let inner = match ty {
        // Optional classes and strings accept `&x` or `None` (through `AsRef`, so subclasses
        // work); the `'a` makes the method generic over the borrow.
        Ty::Class(p) if style == Style::Inherent => {
            return format!("impl {OPTIONAL_ARG}<'a, {}>", p.render(from));
        }
        Ty::String if style == Style::Inherent => return format!("impl {OPTIONAL_ARG}<'a, str>"),
        // `any` has its own "absent": `Any::Null` (and a plain value converts directly).
        Ty::Any | Ty::OpaqueData if style == Style::Inherent => return format!("impl Into<{ANY}>"),
        // Other borrowed parameters stay `Option<&T>`: `impl Into` would lose deref coercion.
        _ if is_object(ty) => return format!("Option<{}>", required_param(ty, Style::Trait, from)),
        Ty::String | Ty::Json | Ty::Array(_) | Ty::Map(_) => {
            return format!("Option<{}>", required_param(ty, Style::Trait, from));
        }
        other => owned(other, from),
    };
    match style {
        Style::Inherent => format!("impl Into<Option<{inner}>>"),
        Style::Trait => format!("Option<{inner}>"),
    }
}

/// A statement that normalises an `impl Into` parameter before use (`let p: T = p.into();`).
pub fn param_prelude(
    name: &str,
    ty: &Ty,
    optional: bool,
    variadic: bool,
    style: Style,
    from: &str,
) -> Option<String> {
    if variadic || style == Style::Trait {
        return None;
    }
    let declared = param(ty, optional, false, style, from);
    if declared.starts_with(&format!("impl {OPTIONAL_ARG}<")) {
        return Some(format!("let {name} = {OPTIONAL_ARG}::into_arg({name});"));
    }
    let target = declared.strip_prefix("impl Into<")?.strip_suffix('>')?;
    Some(format!("let {name}: {target} = {name}.into();"))
}

/// The wire value of one element of a slice parameter, bound to `x`.
fn elem_wire(ty: &Ty) -> String {
    if is_object(ty) {
        format!("{arg}(x.obj_ref())", arg = arg())
    } else {
        format!("{arg}(x)", arg = arg())
    }
}

/// An expression producing the wire value of a (normalised) parameter.
pub fn param_wire(name: &str, ty: &Ty, optional: bool) -> String {
    let a = arg();
    match ty {
        _ if is_object(ty) => {
            if optional {
                format!("{a}(&{name}.map(|v| v.obj_ref()))")
            } else {
                format!("{a}({name}.obj_ref())")
            }
        }
        Ty::Array(e) if is_object(e) => {
            let list = format!(
                "{JSON}::Array(v.iter().map(|x| {}).collect())",
                elem_wire(e)
            );
            if optional {
                format!("{name}.map_or({JSON}::Null, |v| {list})")
            } else {
                format!("{{ let v = {name}; {list} }}")
            }
        }
        Ty::String | Ty::Json | Ty::Array(_) | Ty::Map(_) if !optional => format!("{a}({name})"),
        _ => format!("{a}(&{name})"),
    }
}

/// Pushes the elements of a variadic parameter onto `args`.
pub fn variadic_extend(name: &str, ty: &Ty) -> String {
    format!("args.extend({name}.iter().map(|x| {}));", elem_wire(ty))
}

/// The argument type of a struct builder (`new` or `with_x`) and the expression converting
/// the argument `v` into the field's owned type.
pub fn builder(ty: &Ty, from: &str) -> (String, String) {
    match ty {
        Ty::String => ("impl Into<String>".into(), "v.into()".into()),
        Ty::Class(p) | Ty::Union(p) => {
            (format!("impl Into<{}>", p.render(from)), "v.into()".into())
        }
        Ty::Interface { proxy, .. } => (
            format!("impl Into<{}>", proxy.render(from)),
            "v.into()".into(),
        ),
        Ty::Any | Ty::OpaqueData => (format!("impl Into<{ANY}>"), "v.into()".into()),
        Ty::Opaque => (format!("&dyn {OBJECT_TRAIT}"), "v.obj_ref().clone()".into()),
        Ty::Array(e) => (
            format!("impl IntoIterator<Item = impl Into<{}>>", owned(e, from)),
            "v.into_iter().map(Into::into).collect()".into(),
        ),
        Ty::Map(e) => (
            format!(
                "impl IntoIterator<Item = (impl Into<String>, impl Into<{}>)>",
                owned(e, from)
            ),
            "v.into_iter().map(|(k, v)| (k.into(), v.into())).collect()".into(),
        ),
        other => (owned(other, from), "v".into()),
    }
}
