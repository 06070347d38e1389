//! The kernel calls a binding makes, one function per kind of member access: create, get, set,
//! invoke (and their static and `super` forms), async invoke, struct fields. Generated bindings
//! reach them through [`crate::rt`].
//!
//! Every function takes wire values ([`Value`]) in and decodes results with [`FromWire`], so the
//! generated code stays a thin, readable layer: one call per jsii member.

use crate::api::{
    BeginRequest, CallbacksRequest, CreateRequest, EndRequest, GetRequest, InvokeRequest, Override,
    SetRequest, StaticGetRequest, StaticInvokeRequest, StaticSetRequest,
};
use crate::error::Result;
use crate::kernel::Kernel;
use crate::objects::{self, HostBinding, HostObject, ObjRef};
use crate::packages::{self, Package};
use crate::session::{current, current_for};
use crate::value::{FromWire, ToWire};
use crate::{types, wire};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::rc::Rc;

/// The thread's kernel, ready for a request: `package` (the one the request names) loaded if
/// this thread has not, and so are the packages of values noted for an `any` since the last
/// request ([`struct_any`], [`enum_any`]), which nothing else in the request names.
fn ready(package: Option<&'static Package>) -> Result<Rc<Kernel>> {
    let k = current_for(package)?;
    if let Some(package) = package {
        packages::ensure_loaded(&k, package)?;
    }
    packages::load_noted(&k)?;
    Ok(k)
}

/// `new fqn(...args)`, loading `package` first if this thread has not.
pub fn create(package: &'static Package, fqn: &str, args: impl Into<Vec<Value>>) -> Result<ObjRef> {
    let k = ready(Some(package))?;
    let wire = k.request(&CreateRequest {
        fqn: fqn.to_owned(),
        args: trim_args(args.into()),
        interfaces: vec![],
        overrides: vec![],
    })?;
    Ok(objects::intern(wire))
}

/// Creates an object whose listed members run in Rust: a class with overrides, or `Object`
/// implementing interfaces. `host` receives the callbacks; Rust calls to those members on the
/// returned handle are dispatched to `host` directly.
pub fn create_host(
    package: &'static Package,
    fqn: &str,
    args: impl Into<Vec<Value>>,
    interfaces: &[&str],
    overrides: Vec<Override>,
    host: Rc<dyn HostObject>,
) -> Result<ObjRef> {
    let k = ready(Some(package))?;
    let members: HashSet<String> = overrides.iter().map(|o| o.member().to_owned()).collect();
    let request = CreateRequest {
        fqn: fqn.to_owned(),
        args: args.into(),
        interfaces: interfaces.iter().map(|s| (*s).to_owned()).collect(),
        overrides: overrides
            .into_iter()
            .map(|o| match o {
                Override::Method { method, cookie } => Override::Method {
                    cookie: cookie.or_else(|| Some(method.clone())),
                    method,
                },
                Override::Property { property, cookie } => Override::Property {
                    cookie: cookie.or_else(|| Some(property.clone())),
                    property,
                },
            })
            .collect(),
    };
    let binding = HostBinding {
        object: host,
        members,
    };
    objects::create_bound(binding, || k.request(&request))
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
    let k = ready(None)?;
    let response = k.request(&InvokeRequest {
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
    let k = ready(None)?;
    k.request(&SetRequest {
        objref: obj.to_wire_ref(),
        property: property.to_owned(),
        value,
    })?;
    Ok(())
}

/// Whether the object reference in `value` is an instance of `fqn` (see [`crate::Downcast`]).
pub fn wire_is_instance(value: &Value, fqn: &str) -> bool {
    ObjRef::from_wire(value.clone()).is_ok_and(|o| types::is_instance_of(&o, fqn))
}

/// Calls an async method and waits for it, running the callbacks it queues.
pub fn invoke_async<T: FromWire>(
    obj: &ObjRef,
    method: &str,
    args: impl Into<Vec<Value>>,
) -> Result<T> {
    // A method overridden in Rust runs here: `begin` would run the JavaScript original.
    match obj.host_for(method) {
        Some(host) => T::from_wire(host.invoke(obj, method, args.into())?),
        None => invoke_async_super(obj, method, args),
    }
}

/// Calls the JavaScript implementation of the async `obj.method(...args)` even when Rust
/// overrides it (the `super` call of an async override), waiting for it and running the
/// callbacks it queues.
pub fn invoke_async_super<T: FromWire>(
    obj: &ObjRef,
    method: &str,
    args: impl Into<Vec<Value>>,
) -> Result<T> {
    let k = ready(None)?;
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
    let k = ready(Some(package))?;
    let response = k.request(&StaticGetRequest {
        fqn: fqn.to_owned(),
        property: property.to_owned(),
    })?;
    T::from_wire(response.value.unwrap_or(Value::Null))
}

/// Writes the static property `fqn.property = value`.
pub fn sset(package: &'static Package, fqn: &str, property: &str, value: Value) -> Result<()> {
    let k = ready(Some(package))?;
    k.request(&StaticSetRequest {
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
    let k = ready(Some(package))?;
    let response = k.request(&StaticInvokeRequest {
        fqn: fqn.to_owned(),
        method: method.to_owned(),
        args: trim_args(args.into()),
    })?;
    T::from_wire(response.result.unwrap_or(Value::Null))
}

/// Trailing `null`s stand for omitted optional arguments; the kernel prefers them left out.
pub(crate) fn trim_args(mut args: Vec<Value>) -> Vec<Value> {
    while args.last().is_some_and(Value::is_null) {
        args.pop();
    }
    args
}

/// A struct as a value of jsii type `any` (a struct passed where JavaScript takes anything):
/// its wire form, with `package` noted so the next call loads it first.
pub fn struct_any<S: ToWire>(package: &'static Package, value: &S) -> crate::value::Any {
    packages::note(package);
    // A struct's own wire form decodes unless a field holds JSON that looks like a malformed
    // `$jsii.*` token; then its JSON is kept as is (encoded again: cheaper than a copy kept for
    // a path almost never taken).
    crate::value::Any::from_wire(value.to_wire())
        .unwrap_or_else(|_| crate::value::Any::from_json(value.to_wire()))
}

/// An enum member as a value of jsii type `any`, with `package` noted so the next call loads
/// it first.
pub fn enum_any(package: &'static Package, fqn: &str, member: &str) -> crate::value::Any {
    packages::note(package);
    crate::value::Any::Enum(format!("{fqn}/{member}"))
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
        Ok(match wire::struct_fields(value, fqn)? {
            wire::StructWire::ByRef(r) => StructFields::ByRef(objects::intern(r)),
            wire::StructWire::ByValue(data) => StructFields::ByValue(data),
        })
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

    /// A stand-in struct: its wire form as given.
    struct Wire(Value);

    impl ToWire for Wire {
        fn to_wire(&self) -> Value {
            self.0.clone()
        }
    }

    static PACKAGE: Package = Package {
        name: "x",
        version: "1.0.0",
        dependencies: &[],
        type_graph: "",
    };

    #[test]
    fn a_struct_as_any_decodes_its_wire_form_or_keeps_its_json() {
        use crate::value::Any;
        let good = struct_any(
            &PACKAGE,
            &Wire(json!({"$jsii.struct": {"fqn": "x.S", "data": {"name": "pk"}}})),
        );
        assert!(
            matches!(&good, Any::Struct { fqn, .. } if fqn == "x.S"),
            "{good:?}"
        );
        // A field holding JSON that looks like a malformed token: kept as plain JSON.
        let odd = json!({"$jsii.struct": {"fqn": "x.S", "data": {"r": {"$jsii.byref": 5}}}});
        let kept = struct_any(&PACKAGE, &Wire(odd.clone()));
        assert_eq!(kept, Any::from_json(odd));
    }
}
