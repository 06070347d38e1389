//! Methods and property accessors, shared by classes (inherent methods), interface proxies
//! (inherent methods) and interface traits (default methods).

use crate::emit::docs;
use crate::emit::paths::{JSON, RESULT, RT};
use crate::emit::types;
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
    /// `<'a>` when parameters borrow through `OptionalArg`, else empty.
    pub generics: String,
    /// `a: &str, b: impl jsii::Number`.
    pub decl: String,
    /// Normalising statements.
    pub prelude: String,
    /// The argument vector expression, or statements building `args` when variadic.
    pub args: String,
}

impl Params {
    /// Whether the parameters make the function generic (trait methods then need
    /// `where Self: Sized` to keep the trait usable as `dyn`).
    pub fn is_generic(&self) -> bool {
        !self.generics.is_empty() || self.decl.contains("impl ")
    }
}

/// Lays out parameters for a call.
pub fn params(params: &[Param], from: &str) -> Params {
    let mut decl = Vec::new();
    let mut prelude = String::new();
    let mut wires = Vec::new();
    let mut generics: Vec<String> = Vec::new();
    let mut variadic = None;
    for p in params {
        let f = types::param(&p.name, &p.ty, p.optional, p.variadic, from);
        decl.push(format!("{}: {}", p.name, f.decl));
        for g in f.generics {
            if !generics.contains(&g) {
                generics.push(g);
            }
        }
        if let Some(s) = f.prelude {
            prelude.push_str(&s);
            prelude.push('\n');
        }
        if p.variadic {
            variadic = Some((p, f.wire));
        } else {
            wires.push(f.wire);
        }
    }
    let list = format!("[{}]", wires.join(", "));
    let args = match variadic {
        Some((v, elem_wire)) => {
            prelude.push_str(&format!("let mut args: Vec<{JSON}> = Vec::from({list});\n"));
            prelude.push_str(&format!(
                "args.extend({}.iter().map(|x| {elem_wire}));\n",
                v.name
            ));
            "args".to_owned()
        }
        None => list,
    };
    // Lifetimes first, as Rust requires.
    generics.sort_by_key(|g| !g.starts_with('\''));
    Params {
        generics: if generics.is_empty() {
            String::new()
        } else {
            format!("<{}>", generics.join(", "))
        },
        decl: decl.join(", "),
        prelude,
        args,
    }
}

/// The functions for one member: inherent methods (`vis` = `pub `) or a trait's default
/// methods (`vis` empty), which get `where Self: Sized` when generic.
pub fn render(m: &Member, target: Target<'_>, from: &str, vis: &str) -> String {
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
            let p = params(ps, from);
            let ret_ty = types::result(ret.as_ref(), *optional, from);
            let bound = where_sized(vis, p.is_generic());
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
                "{vis}fn {}{}({recv}{}{}) -> {RESULT}<{ret_ty}>{bound} {{\n{}{call}\n}}\n",
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
                let p = params(std::slice::from_ref(&param), from);
                let wire = types::param("value", ty, *optional, false, from).wire;
                let bound = where_sized(vis, p.is_generic());
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
                    "{vis}fn {setter}{}({recv}{sep}{}) -> {RESULT}<()>{bound} {{\n{}{set}\n}}\n",
                    p.generics, p.decl, p.prelude
                ));
            }
        }
    }
    out
}

/// `where Self: Sized` for a generic default method of a trait (`vis` empty), which keeps the
/// trait usable as `dyn Trait`.
fn where_sized(vis: &str, generic: bool) -> &'static str {
    if vis.is_empty() && generic {
        " where Self: Sized"
    } else {
        ""
    }
}
