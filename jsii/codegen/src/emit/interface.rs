//! Behavioural interfaces: a trait with default methods that call the kernel (so
//! `impl IGrantable for Function {}` is all a class needs), a proxy handle for values of the
//! interface type, and an implementation trait plus `implement()` for Rust implementations
//! that JavaScript calls back.

use crate::emit::docs;
use crate::emit::members::{self, Target};
use crate::emit::paths::{JSON, OBJ_REF, RESULT, RT};
use crate::emit::types;
use crate::model::{InterfaceModel, MemberKind};

/// The code for one interface.
pub fn render(i: &InterfaceModel, from: &str) -> String {
    let mut out = String::new();
    let supers: Vec<String> = i.supers.iter().map(|s| s.render(from)).collect();
    let bound = if supers.is_empty() {
        "jsii::JsiiObject".to_owned()
    } else {
        supers.join(" + ")
    };
    out.push_str(&docs::render(&i.docs));
    out.push_str(&format!("pub trait {}: {bound} {{\n", i.name));
    for m in &i.members {
        out.push_str(&members::render(m, Target::Instance, from, ""));
    }
    out.push_str("}\n");

    let mut proxy_docs = i.docs.clone();
    proxy_docs.summary = Some(format!(
        "A kernel object known to implement `{}`; see the [`{}`] trait.",
        i.fqn, i.name
    ));
    proxy_docs.remarks = Some(format!(
        "Use [`{}::implement`] to implement the interface in Rust.",
        i.proxy
    ));
    proxy_docs.default = None;
    proxy_docs.see = None;
    out.push_str(&docs::render(&proxy_docs));
    out.push_str(&format!(
        "#[derive(Clone, PartialEq, Eq, Hash)]\npub struct {}({OBJ_REF});\njsii::proxy_impls!({} => {:?});\n",
        i.proxy, i.proxy, i.fqn
    ));
    out.push_str(&format!("impl {} for {} {{}}\n", i.name, i.proxy));
    for t in &i.all_traits {
        out.push_str(&format!("impl {} for {} {{}}\n", t.render(from), i.proxy));
    }
    out.push_str(&format!(
        "jsii::interface_impls!({} => {});\n",
        i.name, i.proxy
    ));

    // Inherent methods on the proxy: the whole closure, so calls never need a trait in scope
    // and never clash between two super-traits.
    out.push_str(&format!("impl {} {{\n", i.proxy));
    out.push_str(&implement_fn(i));
    for m in &i.all_members {
        out.push_str(&members::render(m, Target::Instance, from, "pub "));
    }
    out.push_str("}\n");
    out.push_str(&impl_trait(i, from));
    out
}

fn implement_fn(i: &InterfaceModel) -> String {
    let mut overrides = Vec::new();
    for m in &i.all_members {
        match &m.kind {
            MemberKind::Method { .. } => overrides.push(format!(
                "jsii::Override::Method {{ method: {:?}.into(), cookie: None }}",
                m.jsii
            )),
            MemberKind::Property { .. } => overrides.push(format!(
                "jsii::Override::Property {{ property: {:?}.into(), cookie: None }}",
                m.jsii
            )),
        }
    }
    format!(
        "/// Implements `{fqn}` in Rust: JavaScript calls on the returned object run `implementation`.\n\
         pub fn implement(implementation: impl {imp}) -> {RESULT}<Self> {{\n\
         {RT}::create_host(&crate::PACKAGE, \"Object\", [], &{fqns:?}, Vec::from([{overrides}]), \
         ::std::rc::Rc::new({host}(implementation))).map(<Self as jsii::JsiiType>::from_obj_ref)\n}}\n",
        fqn = i.fqn,
        imp = i.impl_trait,
        fqns = i.fqns,
        overrides = overrides.join(", "),
        host = host_name(i),
    )
}

fn host_name(i: &InterfaceModel) -> String {
    i.host.clone()
}

/// The trait a Rust implementation provides, and the glue that decodes callbacks into it.
fn impl_trait(i: &InterfaceModel, from: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "/// The members a Rust implementation of `{}` provides; pass it to [`{}::implement`].\n\
         pub trait {}: 'static {{\n",
        i.fqn, i.proxy, i.impl_trait
    ));
    let mut invoke_arms = Vec::new();
    let mut get_arms = Vec::new();
    let mut set_arms = Vec::new();
    for m in &i.all_members {
        match &m.kind {
            MemberKind::Method {
                params,
                ret,
                optional,
                ..
            } => {
                let decl: Vec<String> = params
                    .iter()
                    .map(|p| {
                        let t = if p.variadic {
                            format!("Vec<{}>", types::owned(&p.ty, from))
                        } else {
                            types::owned_opt(&p.ty, p.optional, from)
                        };
                        format!("{}: {t}", p.name)
                    })
                    .collect();
                let ret_ty = types::result(ret.as_ref(), *optional, from);
                out.push_str(&docs::render(&m.docs));
                out.push_str(&format!(
                    "fn {}(&self{}{}) -> {RESULT}<{ret_ty}>;\n",
                    m.name,
                    if decl.is_empty() { "" } else { ", " },
                    decl.join(", ")
                ));
                let mut decode = String::new();
                for p in params {
                    if p.variadic {
                        decode.push_str(&format!(
                            "let {}: Vec<_> = args.by_ref().map(jsii::FromWire::from_wire).collect::<{RESULT}<_>>()?;\n",
                            p.name
                        ));
                    } else {
                        decode.push_str(&format!(
                            "let {} = jsii::FromWire::from_wire(args.next().unwrap_or_default())?;\n",
                            p.name
                        ));
                    }
                }
                let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                invoke_arms.push(format!(
                    "{:?} => {{\n{decode}let result = self.0.{}({})?;\nOk(jsii::rt::arg(&result))\n}}\n",
                    m.jsii,
                    m.name,
                    names.join(", ")
                ));
            }
            MemberKind::Property {
                ty,
                optional,
                setter,
                ..
            } => {
                let t = types::owned_opt(ty, *optional, from);
                out.push_str(&docs::render(&m.docs));
                if *optional {
                    out.push_str(&format!(
                        "fn {}(&self) -> {RESULT}<{t}> {{\nOk(None)\n}}\n",
                        m.name
                    ));
                } else {
                    out.push_str(&format!("fn {}(&self) -> {RESULT}<{t}>;\n", m.name));
                }
                get_arms.push(format!(
                    "{:?} => Ok(jsii::rt::arg(&self.0.{}()?)),\n",
                    m.jsii, m.name
                ));
                if let Some(setter) = setter {
                    out.push_str(&format!(
                        "/// Sets `{}`; read-only unless the implementation overrides this.\n\
                         fn {setter}(&self, value: {t}) -> {RESULT}<()> {{\nlet _ = value;\n\
                         Err(jsii::Error::NoSuchCallback {{ objref: {:?}.to_owned(), member: {:?}.to_owned() }})\n}}\n",
                        m.jsii, i.fqn, m.jsii
                    ));
                    set_arms.push(format!(
                        "{:?} => self.0.{setter}(jsii::FromWire::from_wire(value)?),\n",
                        m.jsii
                    ));
                }
            }
        }
    }
    out.push_str("}\n");
    let host = host_name(i);
    let no_such = "_ => Err(jsii::Error::NoSuchCallback { objref: this.id().to_owned(), member: member.to_owned() }),";
    out.push_str(&format!(
        "#[doc(hidden)]\npub struct {host}<T>(T);\n\
         impl<T: {imp}> jsii::HostObject for {host}<T> {{\n\
         fn invoke(&self, this: &{OBJ_REF}, member: &str, args: Vec<{JSON}>) -> {RESULT}<{JSON}> {{\n\
         #[allow(unused_mut, unused_variables)]\nlet mut args = args.into_iter();\n\
         match member {{\n{}{no_such}\n}}\n}}\n\
         fn get(&self, this: &{OBJ_REF}, member: &str) -> {RESULT}<{JSON}> {{\nmatch member {{\n{}{no_such}\n}}\n}}\n\
         fn set(&self, this: &{OBJ_REF}, member: &str, value: {JSON}) -> {RESULT}<()> {{\n\
         #[allow(unused_variables)]\nlet value = value;\nmatch member {{\n{}{no_such}\n}}\n}}\n}}\n",
        invoke_arms.concat(),
        get_arms.concat(),
        set_arms.concat(),
        imp = i.impl_trait,
    ));
    out
}
