//! The one table of runtime paths the generated code uses. Every generated module imports the
//! runtime as `jsii` (`use ::jsii_runtime as jsii;`), so these are short and stable.

/// The runtime crate as the generated `Cargo.toml` names it.
pub const RUNTIME_CRATE: &str = "jsii-runtime";
/// How every generated module imports the runtime.
pub const RUNTIME_IMPORT: &str =
    "use ::jsii_runtime as jsii;\n#[allow(unused_imports)]\nuse jsii::JsiiObject as _;\n";
/// `any`.
pub const ANY: &str = "jsii::Any";
/// `Date`.
pub const DATE: &str = "jsii::Date";
/// JSON values (and wire values).
pub const JSON: &str = "jsii::Value";
/// jsii maps (`{ [key: string]: T }`): insertion-ordered, as JavaScript objects are.
pub const INDEX_MAP: &str = "jsii::IndexMap";
/// An opaque object handle.
pub const OBJ_REF: &str = "jsii::ObjRef";
/// The trait of every kernel-backed value.
pub const OBJECT_TRAIT: &str = "jsii::JsiiObject";
/// Number arguments: any integer or float.
pub const NUMBER: &str = "jsii::Number";
/// Optional number arguments: any integer or float, or `None`.
pub const OPTIONAL_NUMBER: &str = "jsii::OptionalNumber";
/// Optional borrowed arguments (`&x` or `None`).
pub const OPTIONAL_ARG: &str = "jsii::OptionalArg";
/// The result type.
pub const RESULT: &str = "jsii::Result";
/// The package description type.
pub const PACKAGE_TYPE: &str = "jsii::Package";
/// Support functions for generated code.
pub const RT: &str = "jsii::rt";
/// A typed overridable method (`jsii::Method<Class, (Args,), Ret>`).
pub const METHOD: &str = "jsii::Method";
/// A typed overridable getter (`jsii::Getter<Class, Ret>`).
pub const GETTER: &str = "jsii::Getter";
/// A typed overridable setter (`jsii::Setter<Class, Value>`).
pub const SETTER: &str = "jsii::Setter";

/// `jsii::rt::arg`: a value's wire form.
pub fn arg() -> &'static str {
    "jsii::rt::arg"
}
