//! Data types: structs (plain Rust structs with a typestate builder; their wire codec, `Hash`
//! and conversion into `Any` come from the runtime's `struct_impls!`), enums, and the enums
//! that stand for unions.

use crate::emit::docs;
use crate::emit::paths::{JSON, NUMBER, RESULT, RT};
use crate::emit::types;
use crate::model::{EnumModel, Field, OrInterfaceModel, StructModel, Ty, UnionModel};
use crate::naming;

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
    out.push_str(&builder_fn(s));
    out.push_str("}\n");
    out.push_str(&builder(s, from));

    let fields: Vec<String> = s
        .fields
        .iter()
        .map(|f| format!("{}: {:?}", f.name, f.jsii))
        .collect();
    out.push_str(&format!(
        "jsii::struct_impls!({} {{ {} }} in crate::PACKAGE);\n",
        s.name,
        fields.join(", ")
    ));
    out
}

/// `#[inline]` for a builder setter that is not generic (in its builder's state parameters, its
/// own parameters or an `impl` argument). Generic functions are compiled where they are used;
/// `#[inline]` does the same for the others, so the bindings crate compiles none of its
/// builders for nothing.
fn inline_unless_generic(in_generic_impl: bool, form: &types::SetterForm) -> &'static str {
    if in_generic_impl || !form.generics.is_empty() || form.arg.contains("impl ") {
        ""
    } else {
        "#[inline]\n"
    }
}

/// A field's declared type: owned, boxed when recursive, `Option` when optional.
fn field_type(f: &Field, from: &str) -> String {
    let ty = field_inner(f, from);
    if f.optional {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

/// `S::builder()`, with docs naming the required fields.
fn builder_fn(s: &StructModel) -> String {
    let required: Vec<String> = s
        .fields
        .iter()
        .filter(|f| !f.optional)
        .map(|f| format!("`{}`", f.setter))
        .collect();
    let what = match required.len() {
        0 => "Set any of its fields, then call `build()`.".to_owned(),
        1 => format!(
            "Set the required field {}, any optional ones, then call `build()`; the compiler \
             checks that the required field is set exactly once.",
            required[0]
        ),
        _ => format!(
            "Set the required fields {}, any optional ones, then call `build()`; the compiler \
             checks that each required field is set exactly once.",
            required.join(", ")
        ),
    };
    let inits: Vec<String> = s
        .fields
        .iter()
        .map(|f| format!("{}: None", f.name))
        .collect();
    let state = if required.is_empty() {
        String::new()
    } else {
        format!("{BUILDER_STATE}: ::std::marker::PhantomData")
    };
    format!(
        "/// Starts a {}. {what}\n#[inline]\npub fn builder() -> {b} {{\n{b} {{ {} }}\n}}\n",
        naming::doc_link(&s.builder, "struct"),
        inits
            .iter()
            .chain(Some(&state).filter(|s| !s.is_empty()))
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        b = s.builder,
    )
}

/// The private field of a builder that carries its type state (no jsii field can be named so:
/// member names never start with `_`).
const BUILDER_STATE: &str = "_required";

/// The builder of a struct: a setter per field, `build()` once every required field is set.
/// Each required field is a type parameter, [`jsii::Unset`] until its setter moves it to
/// [`jsii::Set`]; so a missing or repeated required field is a compile error, and fields are
/// named at the call site.
fn builder(s: &StructModel, from: &str) -> String {
    let b = &s.builder;
    let required: Vec<&Field> = s.fields.iter().filter(|f| !f.optional).collect();
    let params: Vec<String> = (0..required.len()).map(|i| format!("R{i}")).collect();
    let mut out = format!(
        "/// Builds a {}; start with [`{name}::builder`].\n",
        naming::doc_link(&s.name, "struct"),
        name = s.name
    );
    if !required.is_empty() {
        out.push_str(&format!(
            "///\n/// The type parameters track the required fields ({}): each is `jsii::Unset` until its \
             setter is called, then `jsii::Set`; `build()` exists once all are `Set`.\n",
            required.iter().map(|f| format!("`{}`", f.setter)).collect::<Vec<_>>().join(", ")
        ));
    }
    out.push_str("#[must_use = \"a builder does nothing until `build()` is called\"]\n");
    let decl_params = if params.is_empty() {
        String::new()
    } else {
        format!(
            "<{}>",
            params
                .iter()
                .map(|p| format!("{p} = jsii::Unset"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    out.push_str(&format!("pub struct {b}{decl_params} {{\n"));
    for f in &s.fields {
        out.push_str(&format!("{}: Option<{}>,\n", f.name, field_inner(f, from)));
    }
    if !params.is_empty() {
        out.push_str(&format!(
            "{BUILDER_STATE}: ::std::marker::PhantomData<({},)>,\n",
            params.join(", ")
        ));
    }
    out.push_str("}\n");
    let generic = |ps: &[String]| {
        if ps.is_empty() {
            String::new()
        } else {
            format!("<{}>", ps.join(", "))
        }
    };
    // Optional setters, and the state change, in every state.
    out.push_str(&format!("impl{g} {b}{g} {{\n", g = generic(&params)));
    if !params.is_empty() {
        let next: Vec<String> = (0..params.len()).map(|i| format!("S{i}")).collect();
        let moves: Vec<String> = s
            .fields
            .iter()
            .map(|f| format!("{0}: self.{0}", f.name))
            .collect();
        out.push_str(&format!(
            "fn into_state{n}(self) -> {b}{n} {{\n{b} {{ {}, {BUILDER_STATE}: ::std::marker::PhantomData }}\n}}\n",
            moves.join(", "),
            n = generic(&next),
        ));
    }
    for f in s.fields.iter().filter(|f| f.optional) {
        let form = types::setter(&f.ty, from);
        out.push_str(&setter_docs(f, false));
        out.push_str(&format!(
            "{}pub fn {}{}(mut self, v: {}) -> Self {{\nself.{} = Some({});\nself\n}}\n",
            inline_unless_generic(!params.is_empty(), &form),
            f.setter,
            form.generics,
            form.arg,
            f.name,
            boxed(f, &form.conv)
        ));
    }
    if params.is_empty() {
        out.push_str(&build_fn(s));
    }
    out.push_str("}\n");
    // One impl per required field: its setter exists only while it is unset.
    for (i, f) in required.iter().enumerate() {
        let others: Vec<String> = params
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, p)| p.clone())
            .collect();
        let state = |mark: &str| {
            let args: Vec<String> = params
                .iter()
                .enumerate()
                .map(|(j, p)| if j == i { mark.to_owned() } else { p.clone() })
                .collect();
            format!("{b}<{}>", args.join(", "))
        };
        let form = types::setter(&f.ty, from);
        out.push_str(&format!(
            "impl{} {} {{\n",
            generic(&others),
            state("jsii::Unset")
        ));
        out.push_str(&setter_docs(f, true));
        out.push_str(&format!(
            "{}pub fn {}{}(self, v: {}) -> {} {{\nlet mut next: {} = self.into_state();\nnext.{} = Some({});\nnext\n}}\n}}\n",
            inline_unless_generic(!others.is_empty(), &form),
            f.setter,
            form.generics,
            form.arg,
            state("jsii::Set"),
            state("jsii::Set"),
            f.name,
            boxed(f, &form.conv)
        ));
    }
    if !params.is_empty() {
        let set: Vec<&str> = params.iter().map(|_| "jsii::Set").collect();
        out.push_str(&format!(
            "impl {b}<{}> {{\n{}}}\n",
            set.join(", "),
            build_fn(s)
        ));
    }
    out
}

/// `build()`: the struct, from a builder whose required fields are all set.
fn build_fn(s: &StructModel) -> String {
    let inits: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            if f.optional {
                format!("{0}: self.{0}", f.name)
            } else {
                format!("{0}: {RT}::required(self.{0})", f.name)
            }
        })
        .collect();
    format!(
        "/// The {} with the fields set so far.\n#[inline]\npub fn build(self) -> {name} {{\n{name} {{ {} }}\n}}\n",
        naming::doc_link(&s.name, "struct"),
        inits.join(", "),
        name = s.name
    )
}

/// A setter's docs: the field's summary and default, and whether it is required.
fn setter_docs(f: &Field, required: bool) -> String {
    let mut d = f.docs.clone();
    d.summary = Some(format!(
        "{} `{}`{}",
        if required {
            "Sets the required field"
        } else {
            "Sets"
        },
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
    docs::render(&d)
}

/// The type a builder holds for a field (inside its `Option`): owned, boxed when recursive.
fn field_inner(f: &Field, from: &str) -> String {
    let ty = types::owned(&f.ty, from);
    if f.boxed { format!("Box<{ty}>") } else { ty }
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
    out.push_str(&format!(
        "jsii::enum_impls!({} in crate::PACKAGE);\n",
        e.name
    ));
    out
}

/// The generic enum for the unions of one interface with a value type: `IResolvableOr<T>`.
/// Any value converts into it (`From<T>`); the interface arm is built with its variant or the
/// constructor named like it, which takes `&x` for any implementor.
pub fn or_interface(m: &OrInterfaceModel, from: &str) -> String {
    let proxy = types::owned(&m.interface, from);
    let Ty::Interface { tr, .. } = &m.interface else {
        return String::new();
    };
    let tr = tr.render(from);
    let (name, variant, fqn) = (&m.name, &m.variant, &m.fqn);
    let ctor = naming::member(variant);
    let ints = integer_froms(&format!("{name}<f64>"), "Self::Value");
    format!(
        "/// A `{fqn}`, or a value of type `T`: the jsii union `{variant} | T`.\n\
         ///\n/// Any `T` converts into it (`value.into()`); [`{name}::{ctor}`] takes `&x` for \
         anything implementing the interface.\n\
         #[derive(Clone, Debug, PartialEq)]\npub enum {name}<T> {{\n\
         /// An object implementing `{fqn}`.\n{variant}({proxy}),\n/// A value of the other type.\nValue(T),\n}}\n\
         impl<T> From<T> for {name}<T> {{\n#[inline]\nfn from(v: T) -> Self {{\nSelf::Value(v)\n}}\n}}\n\
         impl From<&str> for {name}<String> {{\n#[inline]\nfn from(v: &str) -> Self {{\nSelf::Value(v.to_owned())\n}}\n}}\n\
         {ints}\
         impl<T> {name}<T> {{\n/// The union holding `v`, an object implementing `{fqn}`.\n#[inline]\n\
         pub fn {ctor}<V: {tr} + ?Sized>(v: &V) -> Self {{\nSelf::{variant}(<{proxy}>::from(v))\n}}\n}}\n\
         impl<T: jsii::ToWire> jsii::ToWire for {name}<T> {{\nfn to_wire(&self) -> {JSON} {{\nmatch self {{\n\
         Self::{variant}(v) => {RT}::arg(v),\nSelf::Value(v) => {RT}::arg(v),\n}}\n}}\n}}\n\
         impl<T: jsii::FromWire> jsii::FromWire for {name}<T> {{\nfn from_wire(value: {JSON}) -> {RESULT}<Self> {{\n\
         let object = {RT}::WireKind::of(&value) == {RT}::WireKind::Object;\n\
         if object && {RT}::wire_is_instance(&value, <{proxy} as jsii::JsiiType>::FQN) {{\n\
         return jsii::FromWire::from_wire(value).map(Self::{variant});\n}}\n\
         match T::from_wire(value.clone()) {{\nOk(v) => Ok(Self::Value(v)),\n\
         Err(_) if object => jsii::FromWire::from_wire(value).map(Self::{variant}),\nErr(e) => Err(e),\n}}\n}}\n}}\n\
         impl<T: jsii::ValueHash> ::std::hash::Hash for {name}<T> {{\n\
         fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {{\nmatch self {{\n\
         Self::{variant}(v) => {{ ::std::hash::Hash::hash(&0u8, state); jsii::ValueHash::value_hash(v, state) }}\n\
         Self::Value(v) => {{ ::std::hash::Hash::hash(&1u8, state); jsii::ValueHash::value_hash(v, state) }}\n}}\n}}\n}}\n\
         impl<T: jsii::ValueHash> jsii::ValueHash for {name}<T> {{\n\
         fn value_hash<H: ::std::hash::Hasher>(&self, state: &mut H) {{\n::std::hash::Hash::hash(self, state)\n}}\n}}\n"
    )
}

/// The integer types a number converts from (JavaScript numbers are doubles).
const INTEGERS: &[&str] = &["i32", "i64", "u32", "u64", "usize"];

/// `From` each integer type for `target`, built with `ctor(v as f64)`.
fn integer_froms(target: &str, ctor: &str) -> String {
    INTEGERS
        .iter()
        .map(|t| {
            format!(
                "impl From<{t}> for {target} {{\n#[inline]\nfn from(v: {t}) -> Self {{\n{ctor}({NUMBER}::to_f64(v))\n}}\n}}\n"
            )
        })
        .collect()
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
            "/// The `{}` arm.\n{v}({}),\n",
            v,
            types::owned(t, from)
        ));
    }
    out.push_str("}\n");
    // With one object arm, of this crate, `&x` for a subclass or any implementor converts;
    // otherwise a reference converts only to its exact class (a generic conversion per arm, or
    // over another crate's trait, could overlap with the other conversions).
    let object_arms = u
        .arms
        .iter()
        .filter(|(_, t)| matches!(t, Ty::Class(_) | Ty::Interface { .. }))
        .count();
    let local = |t: &Ty| match t {
        Ty::Class(p) | Ty::Interface { tr: p, .. } => p.krate == from,
        _ => false,
    };
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
            Ty::Class(_) if object_arms == 1 && local(t) => out.push_str(&format!(
                "impl<V: ::std::convert::AsRef<{owned}> + ?Sized> From<&V> for {} {{\nfn from(v: &V) -> Self {{\nSelf::{v}(v.as_ref().clone())\n}}\n}}\n",
                u.name
            )),
            Ty::Class(_) => out.push_str(&format!(
                "impl From<&{owned}> for {} {{\nfn from(v: &{owned}) -> Self {{\nSelf::{v}(v.clone())\n}}\n}}\n",
                u.name
            )),
            Ty::Interface { tr, .. } if object_arms == 1 && local(t) => out.push_str(&format!(
                "impl<V: {} + ?Sized> From<&V> for {} {{\nfn from(v: &V) -> Self {{\nSelf::{v}(<{owned}>::from(v))\n}}\n}}\n",
                tr.render(from),
                u.name
            )),
            Ty::Number => out.push_str(&integer_froms(&u.name, &format!("Self::{v}"))),
            _ => {}
        }
    }
    let variants: Vec<&str> = u.arms.iter().map(|(v, _)| v.as_str()).collect();
    out.push_str(&format!(
        "jsii::union_impls!({} {{ {} }});\n",
        u.name,
        variants.join(", ")
    ));
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
            Ty::Union(_) | Ty::OrInterface { .. } => catch_all.push_str(&attempt(v, t)),
        }
    }
    specific + &fallback + &catch_all
}
