//! How each [`Ty`] is written in generated code: as a parameter, as an owned value (returns,
//! struct fields, callback arguments), as a builder setter's argument, and how each goes on the
//! wire. All the per-type decisions of the Rust mapping are in this one file.
//!
//! The argument convention (the runtime's `args` module states it for users):
//! - a class or interface parameter or field takes `&x` for the class, a subclass or any
//!   implementor; an optional one `&x` or `None` (`OptionalArg`), never `Some(...)`;
//! - a number takes any integer or float (`Number`, `OptionalNumber`);
//! - a string takes `&str`-like values, other optional values `value` or `None`.

use crate::emit::paths::{
    ANY, DATE, INDEX_MAP, JSON, NUMBER, OBJ_REF, OBJECT_TRAIT, OPTIONAL_ARG, OPTIONAL_NUMBER, arg,
};
use crate::model::Ty;

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
        Ty::OrInterface { generic, value } => {
            format!("{}<{}>", generic.render(from), owned(value, from))
        }
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

/// The borrowed type an object parameter points at: the class, `dyn Trait`, `dyn JsiiObject`.
fn object_target(ty: &Ty, from: &str) -> String {
    match ty {
        Ty::Class(p) => p.render(from),
        Ty::Interface { tr, .. } => format!("dyn {}", tr.render(from)),
        _ => format!("dyn {OBJECT_TRAIT}"),
    }
}

/// One parameter as a method declares and sends it.
#[derive(Debug, Default)]
pub struct ParamForm {
    /// Generic parameters it needs (`'a`).
    pub generics: Vec<String>,
    /// Its declared type.
    pub decl: String,
    /// A statement normalising it before use.
    pub prelude: Option<String>,
    /// The expression of its wire value (for a variadic parameter: of one element `x`).
    pub wire: String,
}

/// The element type of a slice parameter (`&[...]`): `&str`, `&Class`, `&dyn Trait`, or owned
/// (numbers are `f64` here: a generic element would leave `&[]` without a type); and the wire
/// value of one element `x`.
fn slice_elem(ty: &Ty, from: &str) -> (String, String) {
    let a = arg();
    match ty {
        Ty::String => ("&str".into(), format!("{a}(x)")),
        _ if is_object(ty) => (
            format!("&{}", object_target(ty, from)),
            format!("{a}(x.obj_ref())"),
        ),
        other => (owned(other, from), format!("{a}(x)")),
    }
}

/// How parameter `name` of type `ty` is declared and sent.
pub fn param(name: &str, ty: &Ty, optional: bool, variadic: bool, from: &str) -> ParamForm {
    let a = arg();
    let mut f = ParamForm::default();
    if variadic {
        let (elem, wire) = slice_elem(ty, from);
        f.decl = format!("&[{elem}]");
        f.wire = wire;
        return f;
    }
    let into = |f: &mut ParamForm, target: String| {
        f.prelude = Some(format!("let {name}: {target} = {name}.into();"));
        f.decl = format!("impl Into<{target}>");
        f.wire = format!("{a}(&{name})");
    };
    let optional_ref = |f: &mut ParamForm, target: String| {
        f.generics.push("'a".into());
        f.decl = format!("impl {OPTIONAL_ARG}<'a, {target}>");
        f.prelude = Some(format!("let {name} = {OPTIONAL_ARG}::into_arg({name});"));
    };
    match (ty, optional) {
        (Ty::String, false) => {
            f.decl = "&str".into();
            f.wire = format!("{a}({name})");
        }
        (Ty::String, true) => {
            optional_ref(&mut f, "str".into());
            f.wire = format!("{a}(&{name})");
        }
        (Ty::Number, false) => {
            f.decl = format!("impl {NUMBER}");
            f.wire = format!("{a}(&{NUMBER}::to_f64({name}))");
        }
        (Ty::Number, true) => {
            f.decl = format!("impl {OPTIONAL_NUMBER}");
            f.wire = format!("{a}(&{OPTIONAL_NUMBER}::into_number({name}))");
        }
        (Ty::Any | Ty::OpaqueData, _) => into(&mut f, ANY.into()),
        (Ty::Union(_) | Ty::OrInterface { .. }, false) => into(&mut f, owned(ty, from)),
        // Generic, so `&x` for a subclass or an implementor is inferred from the argument
        // (an expression such as `&Number::new(3)?` needs no coercion to a base type).
        (Ty::Class(p), false) => {
            f.decl = format!("&(impl ::std::convert::AsRef<{}> + ?Sized)", p.render(from));
            f.wire = format!("{a}({name}.as_ref().obj_ref())");
        }
        (Ty::Interface { tr, .. }, false) => {
            f.decl = format!("&(impl {} + ?Sized)", tr.render(from));
            f.wire = format!("{a}({name}.obj_ref())");
        }
        (_, false) if is_object(ty) => {
            f.decl = format!("&(impl {OBJECT_TRAIT} + ?Sized)");
            f.wire = format!("{a}({name}.obj_ref())");
        }
        (_, true) if is_object(ty) => {
            let target = match ty {
                Ty::Class(_) => object_target(ty, from),
                _ => format!("{} + 'a", object_target(ty, from)),
            };
            optional_ref(&mut f, target);
            f.wire = format!("{a}(&{name}.map(|v| v.obj_ref()))");
        }
        (Ty::Json, false) => {
            f.decl = format!("&{JSON}");
            f.wire = format!("{a}({name})");
        }
        (Ty::Array(e), _) => {
            let (elem, elem_wire) = slice_elem(e, from);
            let list = format!("{JSON}::Array(v.iter().map(|x| {elem_wire}).collect())");
            if optional && !is_object(e) {
                // Borrowed elements (`&str`) live as long as the list.
                let elem = match elem.strip_prefix('&') {
                    Some(rest) => format!("&'a {rest}"),
                    None => elem,
                };
                optional_ref(&mut f, format!("[{elem}]"));
                f.wire = format!("{name}.map_or({JSON}::Null, |v| {list})");
            } else if optional {
                // `&[&a, &b]` coerces each element to the slice's element type only when that
                // type is known, so a list of objects stays an explicit `Option<&[...]>`.
                f.decl = format!("Option<&[{elem}]>");
                f.wire = format!("{name}.map_or({JSON}::Null, |v| {list})");
            } else {
                f.decl = format!("&[{elem}]");
                f.wire = format!("{{ let v = {name}; {list} }}");
            }
        }
        (Ty::Map(e), _) => {
            let map = format!("{INDEX_MAP}<String, {}>", owned(e, from));
            if optional {
                optional_ref(&mut f, map);
                f.wire = format!("{a}(&{name})");
            } else {
                f.decl = format!("&{map}");
                f.wire = format!("{a}({name})");
            }
        }
        (Ty::Json, true) => {
            optional_ref(&mut f, JSON.into());
            f.wire = format!("{a}(&{name})");
        }
        (other, true) => into(&mut f, format!("Option<{}>", owned(other, from))),
        (other, false) => {
            f.decl = owned(other, from);
            f.wire = format!("{a}(&{name})");
        }
    }
    f
}

/// A builder setter's argument: generic parameters, the argument type, and the expression
/// converting the argument `v` into the field's owned type.
#[derive(Debug)]
pub struct SetterForm {
    /// `<V: ...>` or empty.
    pub generics: String,
    /// The argument's type.
    pub arg: String,
    /// `v` converted to the field's type.
    pub conv: String,
}

/// How a struct field is set in its builder.
pub fn setter(ty: &Ty, from: &str) -> SetterForm {
    let plain = |arg: String, conv: &str| SetterForm {
        generics: String::new(),
        arg,
        conv: conv.to_owned(),
    };
    let generic = |bound: String, conv: String| SetterForm {
        generics: format!("<V: {bound} + ?Sized>"),
        arg: "&V".into(),
        conv,
    };
    match ty {
        Ty::String => plain("impl Into<String>".into(), "v.into()"),
        Ty::Number => plain(format!("impl {NUMBER}"), &format!("{NUMBER}::to_f64(v)")),
        Ty::Class(p) => generic(
            format!("::std::convert::AsRef<{}>", p.render(from)),
            "v.as_ref().clone()".into(),
        ),
        Ty::Interface { tr, proxy } => generic(
            tr.render(from),
            format!("<{}>::from(v)", proxy.render(from)),
        ),
        Ty::Opaque => generic(
            OBJECT_TRAIT.into(),
            format!("{OBJECT_TRAIT}::obj_ref(v).clone()"),
        ),
        Ty::Union(_) | Ty::OrInterface { .. } => {
            plain(format!("impl Into<{}>", owned(ty, from)), "v.into()")
        }
        Ty::Any | Ty::OpaqueData => plain(format!("impl Into<{ANY}>"), "v.into()"),
        Ty::Array(e) => match &**e {
            Ty::Class(_) => plain(
                format!("&[&{}]", object_target(e, from)),
                "v.iter().map(|x| (*x).clone()).collect()",
            ),
            Ty::Interface { proxy, .. } => plain(
                format!("&[&{}]", object_target(e, from)),
                &format!(
                    "v.iter().map(|x| <{}>::from(*x)).collect()",
                    proxy.render(from)
                ),
            ),
            Ty::Opaque => plain(
                format!("&[&{}]", object_target(e, from)),
                &format!("v.iter().map(|x| {OBJECT_TRAIT}::obj_ref(*x).clone()).collect()"),
            ),
            Ty::Number => plain(
                format!("impl IntoIterator<Item = impl {NUMBER}>"),
                &format!("v.into_iter().map({NUMBER}::to_f64).collect()"),
            ),
            other => plain(
                format!(
                    "impl IntoIterator<Item = impl Into<{}>>",
                    owned(other, from)
                ),
                "v.into_iter().map(Into::into).collect()",
            ),
        },
        Ty::Map(e) => plain(
            format!(
                "impl IntoIterator<Item = (impl Into<String>, impl Into<{}>)>",
                owned(e, from)
            ),
            "v.into_iter().map(|(k, v)| (k.into(), v.into())).collect()",
        ),
        other => plain(owned(other, from), "v"),
    }
}
