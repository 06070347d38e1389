//! What generated bindings call. Hand-written code can use it too (the tests do), but the
//! generated types are the intended surface.
//!
//! Every function takes wire values ([`Value`]) in and decodes results with [`FromWire`], so the
//! generated code stays a thin, readable layer: one call per jsii member.

use crate::Package;
use crate::api::{
    BeginRequest, CallbacksRequest, EndRequest, GetRequest, InvokeRequest, SetRequest,
    StaticGetRequest, StaticInvokeRequest, StaticSetRequest,
};
use crate::error::{Error, Result};
use crate::kernel::{self, current};
use crate::value::{FromWire, ObjRef, ToWire};
use serde_json::{Map, Value};

pub use crate::api::Override;
pub use crate::kernel::create_host;

/// `new fqn(...args)`, loading `package` first if this thread has not.
pub fn create(package: &'static Package, fqn: &str, args: impl Into<Vec<Value>>) -> Result<ObjRef> {
    kernel::load(package)?;
    let wire = current()?.request(&crate::api::CreateRequest {
        fqn: fqn.to_owned(),
        args: trim_args(args.into()),
        interfaces: vec![],
        overrides: vec![],
    })?;
    kernel::intern(wire)
}

/// Reads `obj.property`. Properties implemented in Rust are read locally.
pub fn get<T: FromWire>(obj: &ObjRef, property: &str) -> Result<T> {
    match obj.host_for(property) {
        Some(host) => T::from_wire(host.get(obj, property)?),
        None => get_super(obj, property),
    }
}

/// Writes `obj.property = value`. Properties implemented in Rust are written locally.
pub fn set(obj: &ObjRef, property: &str, value: Value) -> Result<()> {
    match obj.host_for(property) {
        Some(host) => host.set(obj, property, value),
        None => set_super(obj, property, value),
    }
}

/// Calls `obj.method(...args)`. Methods implemented in Rust run locally: the kernel would run
/// the JavaScript original instead.
pub fn invoke<T: FromWire>(obj: &ObjRef, method: &str, args: impl Into<Vec<Value>>) -> Result<T> {
    match obj.host_for(method) {
        Some(host) => T::from_wire(host.invoke(obj, method, args.into())?),
        None => invoke_super(obj, method, args),
    }
}

/// Calls the JavaScript implementation of `obj.method(...args)` even when Rust overrides it:
/// the `super.method()` of an override.
pub fn invoke_super<T: FromWire>(
    obj: &ObjRef,
    method: &str,
    args: impl Into<Vec<Value>>,
) -> Result<T> {
    let response = current()?.request(&InvokeRequest {
        objref: obj.to_wire_ref(),
        method: method.to_owned(),
        args: trim_args(args.into()),
    })?;
    T::from_wire(response.result.unwrap_or(Value::Null))
}

/// Reads the JavaScript value of `obj.property`, bypassing a Rust override of its getter.
pub fn get_super<T: FromWire>(obj: &ObjRef, property: &str) -> Result<T> {
    let response = current()?.request(&GetRequest {
        objref: obj.to_wire_ref(),
        property: property.to_owned(),
    })?;
    T::from_wire(response.value.unwrap_or(Value::Null))
}

/// Writes `obj.property` in JavaScript, bypassing a Rust override.
pub fn set_super(obj: &ObjRef, property: &str, value: Value) -> Result<()> {
    current()?.request(&SetRequest {
        objref: obj.to_wire_ref(),
        property: property.to_owned(),
        value,
    })?;
    Ok(())
}

/// `new fqn(...args)` with the members in `overrides` implemented in Rust.
pub fn create_overridden<T: 'static>(
    package: &'static Package,
    fqn: &str,
    args: impl Into<Vec<Value>>,
    overrides: crate::Overrides<T>,
) -> Result<ObjRef> {
    let list = overrides.wire_list();
    create_host(
        package,
        fqn,
        trim_args(args.into()),
        &[],
        list,
        std::rc::Rc::new(overrides),
    )
}

/// The shape of a wire value, for decoding unions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireKind {
    /// `null` (undefined).
    Null,
    /// A boolean.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// `$jsii.date`.
    Date,
    /// `$jsii.enum`.
    Enum,
    /// `$jsii.byref`: a kernel object (or a struct returned by reference).
    Object,
    /// A plain object, `$jsii.map` or `$jsii.struct`.
    Map,
}

impl WireKind {
    /// Classifies `value`.
    pub fn of(value: &Value) -> WireKind {
        match value {
            Value::Null => WireKind::Null,
            Value::Bool(_) => WireKind::Bool,
            Value::Number(_) => WireKind::Number,
            Value::String(_) => WireKind::String,
            Value::Array(_) => WireKind::Array,
            Value::Object(m) if m.contains_key("$jsii.byref") => WireKind::Object,
            Value::Object(m) if m.contains_key("$jsii.date") => WireKind::Date,
            Value::Object(m) if m.contains_key("$jsii.enum") => WireKind::Enum,
            Value::Object(_) => WireKind::Map,
        }
    }
}

/// Whether the object reference in `value` is an instance of `fqn` (see [`crate::Downcast`]).
pub fn wire_is_instance(value: &Value, fqn: &str) -> bool {
    ObjRef::from_wire(value.clone()).is_ok_and(|o| kernel::is_instance_of(&o, fqn))
}

/// Calls an async method and waits for it, running the callbacks it queues.
pub fn invoke_async<T: FromWire>(
    obj: &ObjRef,
    method: &str,
    args: impl Into<Vec<Value>>,
) -> Result<T> {
    let k = current()?;
    let promise = k.request(&BeginRequest {
        objref: obj.to_wire_ref(),
        method: method.to_owned(),
        args: trim_args(args.into()),
    })?;
    loop {
        let pending = k.request(&CallbacksRequest {})?.callbacks;
        if pending.is_empty() {
            break;
        }
        for cb in pending {
            let complete = k.complete_async(cb);
            k.request(&complete)?;
        }
    }
    let response = k.request(&EndRequest {
        promiseid: promise.promiseid,
    })?;
    T::from_wire(response.result.unwrap_or(Value::Null))
}

/// Reads the static property (or constant) `fqn.property`.
pub fn sget<T: FromWire>(package: &'static Package, fqn: &str, property: &str) -> Result<T> {
    kernel::load(package)?;
    let response = current()?.request(&StaticGetRequest {
        fqn: fqn.to_owned(),
        property: property.to_owned(),
    })?;
    T::from_wire(response.value.unwrap_or(Value::Null))
}

/// Writes the static property `fqn.property = value`.
pub fn sset(package: &'static Package, fqn: &str, property: &str, value: Value) -> Result<()> {
    kernel::load(package)?;
    current()?.request(&StaticSetRequest {
        fqn: fqn.to_owned(),
        property: property.to_owned(),
        value,
    })?;
    Ok(())
}

/// Calls the static method `fqn.method(...args)`.
pub fn sinvoke<T: FromWire>(
    package: &'static Package,
    fqn: &str,
    method: &str,
    args: impl Into<Vec<Value>>,
) -> Result<T> {
    kernel::load(package)?;
    let response = current()?.request(&StaticInvokeRequest {
        fqn: fqn.to_owned(),
        method: method.to_owned(),
        args: trim_args(args.into()),
    })?;
    T::from_wire(response.result.unwrap_or(Value::Null))
}

/// Trailing `null`s stand for omitted optional arguments; the kernel prefers them left out.
fn trim_args(mut args: Vec<Value>) -> Vec<Value> {
    while args.last().is_some_and(Value::is_null) {
        args.pop();
    }
    args
}

/// The wire form of a struct: `{"$jsii.struct": {"fqn", "data"}}`, leaving out unset fields.
/// The wrapper lets the kernel type-check the data and avoids the "empty object is undefined"
/// trap of bare objects.
pub fn struct_to_wire<'a>(fqn: &str, fields: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
    let data: Map<String, Value> = fields
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    serde_json::json!({ "$jsii.struct": { "fqn": fqn, "data": data } })
}

/// The wire form of an enum member: `{"$jsii.enum": "fqn/MEMBER"}`.
pub fn enum_to_wire(fqn: &str, member: &str) -> Value {
    serde_json::json!({ "$jsii.enum": format!("{fqn}/{member}") })
}

/// The member name of an enum value of type `fqn` from the wire.
pub fn enum_member(value: &Value, fqn: &str) -> Result<String> {
    value
        .get("$jsii.enum")
        .and_then(Value::as_str)
        .and_then(|s| s.rsplit_once('/'))
        .filter(|(f, _)| *f == fqn)
        .map(|(_, m)| m.to_owned())
        .ok_or_else(|| Error::unexpected(format!("a member of enum {fqn}"), value))
}

/// Wraps a value converted with [`ToWire`]; generated code calls this for each argument.
pub fn arg<T: ToWire + ?Sized>(value: &T) -> Value {
    value.to_wire()
}

/// A struct arriving from the kernel: by reference (read with one `get` per field, as the
/// other hosts do), or by value (a plain object, inside `any` or json).
#[derive(Debug)]
pub enum StructFields {
    /// The kernel returned a reference.
    ByRef(ObjRef),
    /// The fields arrived inline.
    ByValue(Map<String, Value>),
}

impl StructFields {
    /// Classifies a wire value that should hold a struct of type `fqn`.
    pub fn from_wire(value: Value, fqn: &str) -> Result<StructFields> {
        match value {
            Value::Object(m) if m.contains_key("$jsii.byref") => {
                Ok(StructFields::ByRef(ObjRef::from_wire(Value::Object(m))?))
            }
            Value::Object(mut m) if m.contains_key("$jsii.struct") => {
                match m
                    .remove("$jsii.struct")
                    .and_then(|s| s.get("data").cloned())
                {
                    Some(Value::Object(data)) => Ok(StructFields::ByValue(data)),
                    _ => Err(Error::unexpected(
                        format!("a {fqn} struct"),
                        &Value::Object(m),
                    )),
                }
            }
            Value::Object(m) => Ok(StructFields::ByValue(crate::value::map_entries(
                Value::Object(m),
            )?)),
            other => Err(Error::unexpected(format!("a {fqn} struct"), &other)),
        }
    }

    /// Reads field `name` (its jsii name).
    pub fn field<T: FromWire>(&self, name: &str) -> Result<T> {
        match self {
            StructFields::ByRef(obj) => get(obj, name),
            StructFields::ByValue(map) => T::from_wire(map.get(name).cloned().unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn trailing_nulls_are_dropped() {
        assert_eq!(
            trim_args(vec![
                json!(1),
                Value::Null,
                json!(2),
                Value::Null,
                Value::Null
            ]),
            vec![json!(1), Value::Null, json!(2)]
        );
        assert!(trim_args(vec![Value::Null]).is_empty());
    }

    #[test]
    fn structs_leave_out_unset_fields() {
        assert_eq!(
            struct_to_wire(
                "aws-cdk-lib.aws_dynamodb.Attribute",
                vec![("name", json!("CalledNumber")), ("type", Value::Null)]
            ),
            json!({"$jsii.struct": {"fqn": "aws-cdk-lib.aws_dynamodb.Attribute",
                                    "data": {"name": "CalledNumber"}}})
        );
    }

    #[test]
    fn enum_members_are_checked_against_their_type() {
        let v = enum_to_wire("aws-cdk-lib.aws_dynamodb.AttributeType", "STRING");
        assert_eq!(
            v,
            json!({"$jsii.enum": "aws-cdk-lib.aws_dynamodb.AttributeType/STRING"})
        );
        assert_eq!(
            enum_member(&v, "aws-cdk-lib.aws_dynamodb.AttributeType").expect("member"),
            "STRING"
        );
        assert!(enum_member(&v, "aws-cdk-lib.aws_dynamodb.BillingMode").is_err());
        assert!(enum_member(&json!("STRING"), "x").is_err());
    }

    #[test]
    fn inline_structs_read_fields_from_the_map() {
        let s = StructFields::from_wire(json!({"name": "pk", "type": {"$jsii.enum": "t/S"}}), "x")
            .expect("inline");
        assert_eq!(s.field::<String>("name").expect("name"), "pk");
        assert_eq!(s.field::<Option<String>>("missing").expect("none"), None);
        let wrapped = StructFields::from_wire(
            json!({"$jsii.struct": {"fqn": "x", "data": {"name": "pk"}}}),
            "x",
        )
        .expect("wrapped");
        assert_eq!(wrapped.field::<String>("name").expect("name"), "pk");
        assert!(StructFields::from_wire(json!(3), "x").is_err());
    }
}
