//! Classes: a handle type in a `Deref` chain to the base class, a constructor, the class's own
//! members, upcasting conversions, and the traits of every interface it implements.

use crate::emit::docs;
use crate::emit::members::{self, Target};
use crate::emit::paths::{GETTER, METHOD, OBJ_REF, RESULT, RT, SETTER};
use crate::emit::types;
use crate::model::{Callable, ClassModel, Overridable, OverridableKind};

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
        out.push_str(&members::render(m, target, from, "pub "));
    }
    for o in &c.overridable {
        out.push_str(&overridable(o, from));
    }
    out.push_str("}\n");
    for t in &c.traits {
        out.push_str(&format!("impl {} for {} {{}}\n", t.render(from), c.name));
    }
    out
}

/// The typed constant for one overridable member.
fn overridable(o: &Overridable, from: &str) -> String {
    let protected = if o.protected { " (protected)" } else { "" };
    match &o.kind {
        OverridableKind::Method {
            args,
            ret,
            optional,
            is_async,
        } => {
            let args: Vec<String> = args
                .iter()
                .map(|p| types::owned_opt(&p.ty, p.optional, from))
                .collect();
            let tuple = match args.as_slice() {
                [one] => format!("({one},)"),
                _ => format!("({})", args.join(", ")),
            };
            let ret = types::result(ret.as_ref(), *optional, from);
            format!(
                "/// The method `{jsii}`{protected}, to override with \
                 [`Overrides::override_method`](jsii::Overrides::override_method).\n\
                 pub const {name}: {METHOD}<Self, {tuple}, {ret}> = {METHOD}::{new}({jsii:?});\n",
                jsii = o.jsii,
                name = o.name,
                new = if *is_async { "new_async" } else { "new" },
            )
        }
        OverridableKind::Setter { ty, optional } => format!(
            "/// The setter of `{jsii}`{protected}, to override with \
             [`Overrides::override_setter`](jsii::Overrides::override_setter).\n\
             pub const {name}: {SETTER}<Self, {ty}> = {SETTER}::new({jsii:?});\n",
            jsii = o.jsii,
            name = o.name,
            ty = types::owned_opt(ty, *optional, from),
        ),
        OverridableKind::Getter { ty, optional } => format!(
            "/// The getter of `{jsii}`{protected}, to override with \
             [`Overrides::override_getter`](jsii::Overrides::override_getter).\n\
             pub const {name}: {GETTER}<Self, {ty}> = {GETTER}::new({jsii:?});\n",
            jsii = o.jsii,
            name = o.name,
            ty = types::owned_opt(ty, *optional, from),
        ),
    }
}

fn constructor(c: &ClassModel, ctor: &Callable, overridden: bool, from: &str) -> String {
    let p = members::params(&ctor.params, from);
    let mut d = ctor.docs.clone();
    let (name, extra, call) = if overridden {
        d.summary = Some(format!(
            "Creates a `{}` whose members listed in `overrides` run in Rust \
             (a subclass, in TypeScript terms).",
            c.fqn
        ));
        d.remarks = Some(
            "Each overridable member has a typed constant, in capitals, on the class that \
             declares it: `jsii::Overrides::new().override_method(Class::SOME_METHOD, \
             |this, (arg,)| ...)`; inside, `Class::SOME_METHOD.call_super(this, (arg,))` calls \
             the JavaScript original. `jsii::Overrides::method` overrides by jsii name."
                .to_owned(),
        );
        (
            "new_with_overrides",
            format!(
                "{}overrides: jsii::Overrides<Self>",
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
