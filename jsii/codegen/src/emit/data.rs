//! Data types: structs (plain Rust structs with a `new` for required fields and `with_*`
//! setters, sent as `$jsii.struct`), enums, and the enums that stand for unions.

use crate::emit::docs;
use crate::emit::paths::{JSON, RESULT, RT};
use crate::emit::types;
use crate::model::{EnumModel, Field, StructModel, Ty, UnionModel};

/// The code for one struct.
pub fn structure(s: &StructModel, from: &str) -> String {
    let mut out = String::new();
    let all_optional = s.fields.iter().all(|f| f.optional);
    out.push_str(&docs::render(&s.docs));
    out.push_str(if all_optional {
        "#[derive(Clone, Debug, PartialEq, Default)]\n"
    } else {
        "#[derive(Clone, Debug, PartialEq)]\n"
    });
    out.push_str(&format!("pub struct {} {{\n", s.name));
    for f in &s.fields {
        out.push_str(&docs::render(&f.docs));
        out.push_str(&format!("pub {}: {},\n", f.name, field_type(f, from)));
    }
    out.push_str("}\n");

    out.push_str(&format!("impl {} {{\n", s.name));
    out.push_str(&format!(
        "/// The jsii FQN of this struct.\npub const FQN: &'static str = {:?};\n",
        s.fqn
    ));
    let required: Vec<_> = s.fields.iter().filter(|f| !f.optional).collect();
    let params: Vec<String> = required
        .iter()
        .map(|f| format!("{}: {}", f.name, types::builder(&f.ty, from).0))
        .collect();
    let inits: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            if f.optional {
                format!("{}: None", f.name)
            } else {
                let conv = boxed(f, &types::builder(&f.ty, from).1.replacen('v', &f.name, 1));
                format!("{}: {conv}", f.name)
            }
        })
        .collect();
    out.push_str(&format!(
        "/// A `{}` with its required fields set; set optional ones with the `with_*` methods.\n\
         pub fn new({}) -> Self {{\nSelf {{ {} }}\n}}\n",
        s.name,
        params.join(", "),
        inits.join(", ")
    ));
    for f in s.fields.iter().filter(|f| f.optional) {
        let (arg, conv) = types::builder(&f.ty, from);
        let conv = boxed(f, &conv);
        let mut d = f.docs.clone();
        d.summary = Some(format!(
            "Sets `{}`{}",
            f.jsii,
            f.docs
                .summary
                .as_deref()
                .map(|s| format!(": {}", lowercase_first(s)))
                .unwrap_or_else(|| ".".to_owned())
        ));
        d.remarks = None;
        d.see = None;
        d.jsii = String::new();
        out.push_str(&docs::render(&d));
        out.push_str(&format!(
            "#[must_use]\npub fn {}(mut self, v: {arg}) -> Self {{\nself.{} = Some({conv});\nself\n}}\n",
            f.with, f.name
        ));
    }
    out.push_str("}\n");

    let wires: Vec<String> = s
        .fields
        .iter()
        .map(|f| format!("({:?}, {RT}::arg(&self.{}))", f.jsii, f.name))
        .collect();
    out.push_str(&format!(
        "impl jsii::ToWire for {} {{\nfn to_wire(&self) -> {JSON} {{\n{RT}::struct_to_wire(Self::FQN, [{}])\n}}\n}}\n",
        s.name,
        wires.join(", ")
    ));
    let reads: Vec<String> = s
        .fields
        .iter()
        .map(|f| format!("{}: fields.field({:?})?", f.name, f.jsii))
        .collect();
    out.push_str(&format!(
        "impl jsii::FromWire for {} {{\nfn from_wire(value: {JSON}) -> {RESULT}<Self> {{\n\
         #[allow(unused_variables)]\nlet fields = {RT}::StructFields::from_wire(value, Self::FQN)?;\nOk(Self {{ {} }})\n}}\n}}\n",
        s.name,
        reads.join(", ")
    ));
    out
}

/// A field's declared type: owned, boxed when recursive, `Option` when optional.
fn field_type(f: &Field, from: &str) -> String {
    let ty = types::owned(&f.ty, from);
    let ty = if f.boxed { format!("Box<{ty}>") } else { ty };
    if f.optional {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

/// A builder's conversion expression, boxed for a recursive field.
fn boxed(f: &Field, conv: &str) -> String {
    if f.boxed {
        format!("Box::new({conv})")
    } else {
        conv.to_owned()
    }
}

fn lowercase_first(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) if cs.clone().next().is_some_and(char::is_lowercase) => {
            c.to_lowercase().chain(cs).collect()
        }
        Some(c) => std::iter::once(c).chain(cs).collect(),
        None => String::new(),
    }
}

/// The code for one enum.
pub fn enumeration(e: &EnumModel) -> String {
    let mut out = String::new();
    out.push_str(&docs::render(&e.docs));
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
    out.push_str(&format!("pub enum {} {{\n", e.name));
    for (v, _, d) in &e.variants {
        out.push_str(&docs::render(d));
        out.push_str(&format!("{v},\n"));
    }
    out.push_str("}\n");
    let names: Vec<String> = e
        .variants
        .iter()
        .map(|(v, m, _)| format!("Self::{v} => {m:?},"))
        .collect();
    let all: Vec<String> = e
        .variants
        .iter()
        .map(|(v, _, _)| format!("Self::{v}"))
        .collect();
    out.push_str(&format!(
        "impl {} {{\n/// The jsii FQN of this enum.\npub const FQN: &'static str = {:?};\n\
         /// Every member, in declaration order.\npub const ALL: &'static [Self] = &[{}];\n\
         /// The member's jsii name, as sent on the wire.\npub fn jsii_name(self) -> &'static str {{\n\
         #[allow(unreachable_code)]\nmatch self {{\n{}\n}}\n}}\n}}\n",
        e.name,
        e.fqn,
        all.join(", "),
        names.join("\n")
    ));
    out.push_str(&format!(
        "impl jsii::ToWire for {} {{\nfn to_wire(&self) -> {JSON} {{\n{RT}::enum_to_wire(Self::FQN, self.jsii_name())\n}}\n}}\n",
        e.name
    ));
    out.push_str(&format!(
        "impl jsii::FromWire for {} {{\nfn from_wire(value: {JSON}) -> {RESULT}<Self> {{\n\
         let member = {RT}::enum_member(&value, Self::FQN)?;\n\
         Self::ALL.iter().copied().find(|m| m.jsii_name() == member).ok_or_else(|| \
         jsii::Error::UnexpectedValue {{ expected: format!(\"a member of {{}}\", Self::FQN), got: member }})\n}}\n}}\n",
        e.name
    ));
    out
}

/// The code for one union enum.
pub fn union(u: &UnionModel, from: &str) -> String {
    let mut out = String::new();
    let labels: Vec<String> = u.arms.iter().map(|(v, _)| format!("`{v}`")).collect();
    out.push_str(&format!(
        "/// A value that is one of: {}.\n#[derive(Clone, Debug, PartialEq)]\npub enum {} {{\n",
        labels.join(", "),
        u.name
    ));
    for (v, t) in &u.arms {
        out.push_str(&format!(
            "/// A `{}` value.\n{v}({}),\n",
            v,
            types::owned(t, from)
        ));
    }
    out.push_str("}\n");
    for (v, t) in &u.arms {
        let owned = types::owned(t, from);
        out.push_str(&format!(
            "impl From<{owned}> for {} {{\nfn from(v: {owned}) -> Self {{\nSelf::{v}(v)\n}}\n}}\n",
            u.name
        ));
        match t {
            Ty::String => out.push_str(&format!(
                "impl From<&str> for {} {{\nfn from(v: &str) -> Self {{\nSelf::{v}(v.to_owned())\n}}\n}}\n",
                u.name
            )),
            Ty::Class(_) => out.push_str(&format!(
                "impl From<&{owned}> for {} {{\nfn from(v: &{owned}) -> Self {{\nSelf::{v}(v.clone())\n}}\n}}\n",
                u.name
            )),
            _ => {}
        }
    }
    let arms: Vec<String> = u
        .arms
        .iter()
        .map(|(v, _)| format!("Self::{v}(v) => {RT}::arg(v),"))
        .collect();
    out.push_str(&format!(
        "impl jsii::ToWire for {} {{\nfn to_wire(&self) -> {JSON} {{\nmatch self {{\n{}\n}}\n}}\n}}\n",
        u.name,
        arms.join("\n")
    ));
    out.push_str(&format!(
        "impl jsii::FromWire for {} {{\nfn from_wire(value: {JSON}) -> {RESULT}<Self> {{\n\
         let kind = {RT}::WireKind::of(&value);\n{}\
         Err(jsii::Error::UnexpectedValue {{ expected: {:?}.to_owned(), got: value.to_string() }})\n}}\n}}\n",
        u.name,
        decode_attempts(u, from),
        format!("one of {}", labels.join(", ")).replace('`', "")
    ));
    out
}

/// Decoding attempts, most specific first: arms matched by wire kind (object arms checked
/// against the runtime type), then unchecked object arms, then `json`/`any` catch-alls.
fn decode_attempts(u: &UnionModel, from: &str) -> String {
    let mut specific = String::new();
    let mut fallback = String::new();
    let mut catch_all = String::new();
    let attempt = |v: &str, t: &Ty| {
        format!(
            "if let Ok(x) = <{} as jsii::FromWire>::from_wire(value.clone()) {{\nreturn Ok(Self::{v}(x));\n}}\n",
            types::owned(t, from)
        )
    };
    for (v, t) in &u.arms {
        let kind = |k: &str| format!("{RT}::WireKind::{k}");
        match t {
            Ty::String => specific.push_str(&format!(
                "if kind == {} {{\n{}}}\n",
                kind("String"),
                attempt(v, t)
            )),
            Ty::Number => specific.push_str(&format!(
                "if kind == {} {{\n{}}}\n",
                kind("Number"),
                attempt(v, t)
            )),
            Ty::Bool => specific.push_str(&format!(
                "if kind == {} {{\n{}}}\n",
                kind("Bool"),
                attempt(v, t)
            )),
            Ty::Date => specific.push_str(&format!(
                "if kind == {} {{\n{}}}\n",
                kind("Date"),
                attempt(v, t)
            )),
            Ty::Enum(_) => specific.push_str(&format!(
                "if kind == {} {{\n{}}}\n",
                kind("Enum"),
                attempt(v, t)
            )),
            Ty::Array(_) => specific.push_str(&format!(
                "if kind == {} {{\n{}}}\n",
                kind("Array"),
                attempt(v, t)
            )),
            Ty::Map(_) | Ty::Struct(_) => specific.push_str(&format!(
                "if kind == {} || kind == {} {{\n{}}}\n",
                kind("Map"),
                kind("Object"),
                attempt(v, t)
            )),
            Ty::Class(p) | Ty::Interface { tr: p, .. } => {
                let fqn_of = match t {
                    Ty::Class(_) => format!("<{} as jsii::JsiiType>::FQN", p.render(from)),
                    _ => format!("<{} as jsii::JsiiType>::FQN", types::owned(t, from)),
                };
                specific.push_str(&format!(
                    "if kind == {} && {RT}::wire_is_instance(&value, {fqn_of}) {{\n{}}}\n",
                    kind("Object"),
                    attempt(v, t)
                ));
                fallback.push_str(&format!(
                    "if kind == {} {{\n{}}}\n",
                    kind("Object"),
                    attempt(v, t)
                ));
            }
            Ty::Opaque => fallback.push_str(&format!(
                "if kind == {} {{\n{}}}\n",
                kind("Object"),
                attempt(v, t)
            )),
            Ty::Json | Ty::Any | Ty::OpaqueData => catch_all.push_str(&attempt(v, t)),
            Ty::Union(_) => catch_all.push_str(&attempt(v, t)),
        }
    }
    specific + &fallback + &catch_all
}
