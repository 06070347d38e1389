//! Classes: a handle type in a `Deref` chain to the base class, a constructor, the class's own
//! members, upcasting conversions, and the traits of every interface it implements.

use crate::emit::docs;
use crate::emit::members::{self, Target};
use crate::emit::paths::{OBJ_REF, RESULT, RT};
use crate::emit::types::Style;
use crate::model::{Callable, ClassModel};

/// The code for one class.
pub fn render(c: &ClassModel, from: &str) -> String {
    let mut out = String::new();
    out.push_str(&docs::render(&c.docs));
    out.push_str("#[derive(Clone, PartialEq, Eq, Hash)]\n");
    match &c.base {
        Some(base) => {
            let base = base.render(from);
            out.push_str(&format!("pub struct {}({base});\n", c.name));
            out.push_str(&format!(
                "jsii::class_impls!({}: {base} => {:?});\n",
                c.name, c.fqn
            ));
        }
        None => {
            out.push_str(&format!("pub struct {}({OBJ_REF});\n", c.name));
            out.push_str(&format!("jsii::class_impls!({} => {:?});\n", c.name, c.fqn));
        }
    }
    if !c.ancestors.is_empty() {
        let list: Vec<String> = c.ancestors.iter().map(|a| a.render(from)).collect();
        out.push_str(&format!(
            "jsii::upcasts!({} => {});\n",
            c.name,
            list.join(", ")
        ));
    }
    out.push_str(&format!("impl {} {{\n", c.name));
    if let Some(ctor) = &c.constructor {
        out.push_str(&constructor(c, ctor, false, from));
    }
    if let Some(ctor) = &c.override_constructor {
        out.push_str(&constructor(c, ctor, true, from));
    }
    for m in &c.members {
        let target = if m.is_static {
            Target::Static(&c.fqn)
        } else {
            Target::Instance
        };
        out.push_str(&members::render(m, target, Style::Inherent, from, "pub "));
    }
    out.push_str("}\n");
    for t in &c.traits {
        out.push_str(&format!("impl {} for {} {{}}\n", t.render(from), c.name));
    }
    out
}

fn constructor(c: &ClassModel, ctor: &Callable, overridden: bool, from: &str) -> String {
    let p = members::params(&ctor.params, Style::Inherent, from);
    let mut d = ctor.docs.clone();
    let (name, extra, call) = if overridden {
        d.summary = Some(format!(
            "Creates a `{}` whose members listed in `overrides` run in Rust \
             (a subclass, in TypeScript terms).",
            c.fqn
        ));
        d.remarks = Some(
            "Override by jsii member name, e.g. `jsii::Overrides::new().method(\"describe\", \
             |this, (): ()| Ok(\"...\".to_owned()))`. Inside an override, \
             `jsii::rt::invoke_super` calls the original JavaScript implementation."
                .to_owned(),
        );
        (
            "new_with_overrides",
            format!(
                "{}overrides: jsii::Overrides",
                if p.decl.is_empty() { "" } else { ", " }
            ),
            format!(
                "{RT}::create_overridden(&crate::PACKAGE, {:?}, {}, overrides)",
                c.fqn, p.args
            ),
        )
    } else {
        if d.summary.is_none() {
            d.summary = Some(format!("Creates a new `{}`.", c.fqn));
        }
        (
            "new",
            String::new(),
            format!("{RT}::create(&crate::PACKAGE, {:?}, {})", c.fqn, p.args),
        )
    };
    format!(
        "{}pub fn {name}{}({}{extra}) -> {RESULT}<Self> {{\n{}{call}.map(<Self as jsii::JsiiType>::from_obj_ref)\n}}\n",
        docs::render(&d),
        p.generics,
        p.decl,
        p.prelude,
    )
}
