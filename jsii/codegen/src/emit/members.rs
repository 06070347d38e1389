//! Methods and property accessors, shared by classes (inherent methods), interface proxies
//! (inherent methods) and interface traits (default methods).

use crate::emit::docs;
use crate::emit::paths::{JSON, RESULT, RT};
use crate::emit::types::{self, Style};
use crate::model::{Member, MemberKind, Param};

/// Who the call goes to.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// An instance: `self.obj_ref()`.
    Instance,
    /// A class's statics: `sget`/`sinvoke` on this FQN, loading the crate's package.
    Static(&'a str),
}

/// Renders a parameter list (without `self`) plus the statements and wire expressions for it.
pub struct Params {
    /// `<'a>` when a parameter borrows through [`crate::emit::paths::OPTIONAL_ARG`], else empty.
    pub generics: &'static str,
    /// `a: &str, b: f64`.
    pub decl: String,
    /// Normalising statements.
    pub prelude: String,
    /// The argument vector expression, or statements building `args` when variadic.
    pub args: String,
}

/// Lays out parameters for a call.
pub fn params(params: &[Param], style: Style, from: &str) -> Params {
    let mut decl = Vec::new();
    let mut prelude = String::new();
    let mut wires = Vec::new();
    let mut variadic = None;
    for p in params {
        decl.push(format!(
            "{}: {}",
            p.name,
            types::param(&p.ty, p.optional, p.variadic, style, from)
        ));
        if let Some(s) = types::param_prelude(&p.name, &p.ty, p.optional, p.variadic, style, from) {
            prelude.push_str(&s);
            prelude.push('\n');
        }
        if p.variadic {
            variadic = Some(p);
        } else {
            wires.push(types::param_wire(&p.name, &p.ty, p.optional));
        }
    }
    let list = format!("[{}]", wires.join(", "));
    let args = match variadic {
        Some(v) => {
            prelude.push_str(&format!("let mut args: Vec<{JSON}> = Vec::from({list});\n"));
            prelude.push_str(&types::variadic_extend(&v.name, &v.ty));
            prelude.push('\n');
            "args".to_owned()
        }
        None => list,
    };
    let decl = decl.join(", ");
    Params {
        generics: if decl.contains("'a") { "<'a>" } else { "" },
        decl,
        prelude,
        args,
    }
}

/// The functions for one member. `body` is false for trait declarations without defaults.
pub fn render(m: &Member, target: Target<'_>, style: Style, from: &str, vis: &str) -> String {
    let mut out = String::new();
    let recv = match target {
        Target::Instance => "&self",
        Target::Static(_) => "",
    };
    let sep = if recv.is_empty() { "" } else { ", " };
    match &m.kind {
        MemberKind::Method {
            params: ps,
            ret,
            optional,
            is_async,
        } => {
            let p = params(ps, style, from);
            let ret_ty = types::result(ret.as_ref(), *optional, from);
            let call = match target {
                Target::Instance if *is_async => format!(
                    "{RT}::invoke_async(self.obj_ref(), {:?}, {})",
                    m.jsii, p.args
                ),
                Target::Instance => {
                    format!("{RT}::invoke(self.obj_ref(), {:?}, {})", m.jsii, p.args)
                }
                Target::Static(fqn) => format!(
                    "{RT}::sinvoke(&crate::PACKAGE, {fqn:?}, {:?}, {})",
                    m.jsii, p.args
                ),
            };
            out.push_str(&docs::render(&m.docs));
            out.push_str(&format!(
                "{vis}fn {}{}({recv}{}{}) -> {RESULT}<{ret_ty}> {{\n{}{call}\n}}\n",
                m.name,
                p.generics,
                if p.decl.is_empty() { "" } else { sep },
                p.decl,
                p.prelude,
            ));
        }
        MemberKind::Property {
            ty,
            optional,
            setter,
            ..
        } => {
            let ret_ty = types::owned_opt(ty, *optional, from);
            let get = match target {
                Target::Instance => format!("{RT}::get(self.obj_ref(), {:?})", m.jsii),
                Target::Static(fqn) => {
                    format!("{RT}::sget(&crate::PACKAGE, {fqn:?}, {:?})", m.jsii)
                }
            };
            out.push_str(&docs::render(&m.docs));
            out.push_str(&format!(
                "{vis}fn {}({recv}) -> {RESULT}<{ret_ty}> {{\n{get}\n}}\n",
                m.name
            ));
            if let Some(setter) = setter {
                let param = Param {
                    name: "value".into(),
                    ty: ty.clone(),
                    optional: *optional,
                    variadic: false,
                };
                let p = params(std::slice::from_ref(&param), style, from);
                let wire = types::param_wire("value", ty, *optional);
                let set = match target {
                    Target::Instance => format!("{RT}::set(self.obj_ref(), {:?}, {wire})", m.jsii),
                    Target::Static(fqn) => {
                        format!("{RT}::sset(&crate::PACKAGE, {fqn:?}, {:?}, {wire})", m.jsii)
                    }
                };
                let mut d = m.docs.clone();
                d.summary = Some(format!("Sets `{}`.", m.jsii));
                d.remarks = None;
                d.default = None;
                d.returns = None;
                d.see = None;
                out.push_str(&docs::render(&d));
                out.push_str(&format!(
                    "{vis}fn {setter}{}({recv}{sep}{}) -> {RESULT}<()> {{\n{}{set}\n}}\n",
                    p.generics, p.decl, p.prelude
                ));
            }
        }
    }
    out
}
