//! The wire codec: how jsii values look as JSON on the kernel protocol. This module is the only
//! place that knows the `$jsii.*` tokens (`jsii/runtime/PROTOCOL.md`, "Values"):
//!
//! | value | wire form |
//! |---|---|
//! | object reference | `{"$jsii.byref": "<fqn>@<n>", "$jsii.interfaces": [...]}` |
//! | date | `{"$jsii.date": "2030-01-02T03:04:05.000Z"}` |
//! | enum member | `{"$jsii.enum": "<enum fqn>/<MEMBER>"}` |
//! | map | `{"$jsii.map": {...}}` (a bare object is accepted inbound) |
//! | struct, sent | `{"$jsii.struct": {"fqn": ..., "data": {...}}}`; returned by reference |
//!
//! It is pure: it turns JSON into plain data ([`ObjRefWire`], ISO text, member names) and back,
//! and never touches a kernel or the object store. Turning an [`ObjRefWire`] into a handle is
//! the object store's job (`objects`), the typed conversions are the value model's (`value`).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

const BYREF: &str = "$jsii.byref";
const DATE: &str = "$jsii.date";
const ENUM: &str = "$jsii.enum";
const MAP: &str = "$jsii.map";
const STRUCT: &str = "$jsii.struct";

/// An object reference as it travels on the wire: `{"$jsii.byref": "<fqn>@<n>"}`, plus the
/// interfaces the object implements beyond its class (`"$jsii.interfaces"`).
///
/// The id names the nearest exported class (`aws-cdk-lib.aws_dynamodb.TableBase@10002`), or
/// `Object@N` for plain objects and host-implemented interfaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjRefWire {
    /// The kernel's id for the object.
    #[serde(rename = "$jsii.byref")]
    pub id: String,
    /// Extra interfaces, as FQNs.
    #[serde(
        rename = "$jsii.interfaces",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub interfaces: Vec<String>,
}

impl ObjRefWire {
    /// The FQN part of the id (everything before the last `@`).
    pub fn class_fqn(&self) -> &str {
        class_fqn(&self.id)
    }
}

/// The FQN part of an object id: everything before the last `@` (`@scope/pkg.Thing@10003` gives
/// `@scope/pkg.Thing`).
pub(crate) fn class_fqn(id: &str) -> &str {
    id.rsplit_once('@').map_or(id, |(fqn, _)| fqn)
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
            Value::Object(m) if m.contains_key(BYREF) => WireKind::Object,
            Value::Object(m) if m.contains_key(DATE) => WireKind::Date,
            Value::Object(m) if m.contains_key(ENUM) => WireKind::Enum,
            Value::Object(_) => WireKind::Map,
        }
    }
}

/// `{"$jsii.byref": id}`: how the host names an object it sends.
pub(crate) fn byref(id: &str) -> Value {
    let mut m = Map::with_capacity(1);
    m.insert(BYREF.to_owned(), Value::String(id.to_owned()));
    Value::Object(m)
}

/// Reads an object reference.
pub(crate) fn objref(value: Value) -> Result<ObjRefWire> {
    match &value {
        Value::Object(m) if m.contains_key(BYREF) => {
            serde_json::from_value(value).map_err(|e| Error::UnexpectedValue {
                expected: "an object reference".into(),
                got: e.to_string(),
            })
        }
        other => Err(Error::unexpected("an object reference", other)),
    }
}

/// `{"$jsii.date": iso}`.
pub(crate) fn date(iso: String) -> Value {
    let mut m = Map::with_capacity(1);
    m.insert(DATE.to_owned(), Value::String(iso));
    Value::Object(m)
}

/// The ISO text of a `$jsii.date`, unparsed.
pub(crate) fn date_text(value: &Value) -> Option<&str> {
    value.get(DATE).and_then(Value::as_str)
}

/// `{"$jsii.enum": "fqn/MEMBER"}` from the whole `fqn/MEMBER` text.
pub(crate) fn enum_value(fqn_and_member: String) -> Value {
    let mut m = Map::with_capacity(1);
    m.insert(ENUM.to_owned(), Value::String(fqn_and_member));
    Value::Object(m)
}

/// The wire form of an enum member: `{"$jsii.enum": "fqn/MEMBER"}`.
pub fn enum_to_wire(fqn: &str, member: &str) -> Value {
    enum_value(format!("{fqn}/{member}"))
}

/// The member name of an enum value of type `fqn` from the wire.
pub fn enum_member(value: &Value, fqn: &str) -> Result<String> {
    value
        .get(ENUM)
        .and_then(Value::as_str)
        .and_then(|s| s.rsplit_once('/'))
        .filter(|(f, _)| *f == fqn)
        .map(|(_, m)| m.to_owned())
        .ok_or_else(|| Error::unexpected(format!("a member of enum {fqn}"), value))
}

/// `{"$jsii.map": data}`.
pub(crate) fn map(data: Map<String, Value>) -> Value {
    let mut m = Map::with_capacity(1);
    m.insert(MAP.to_owned(), Value::Object(data));
    Value::Object(m)
}

/// The entries of a map from the wire: `{"$jsii.map": {...}}`, or a bare object.
pub(crate) fn map_entries(value: Value) -> Result<Map<String, Value>> {
    match value {
        Value::Object(mut m) => match m.remove(MAP) {
            Some(Value::Object(inner)) if m.is_empty() => Ok(inner),
            Some(other) => Err(Error::unexpected("a map", &other)),
            None => Ok(m),
        },
        other => Err(Error::unexpected("a map", &other)),
    }
}

/// `{"$jsii.struct": {"fqn": fqn, "data": data}}`.
pub(crate) fn struct_value(fqn: &str, data: Map<String, Value>) -> Value {
    let mut inner = Map::with_capacity(2);
    inner.insert("fqn".to_owned(), Value::String(fqn.to_owned()));
    inner.insert("data".to_owned(), Value::Object(data));
    let mut m = Map::with_capacity(1);
    m.insert(STRUCT.to_owned(), Value::Object(inner));
    Value::Object(m)
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
    struct_value(fqn, data)
}

/// A struct value as it arrives, before its fields are read.
#[derive(Debug)]
pub(crate) enum StructWire {
    /// By reference (what the kernel returns for structs): read each field with a `get`.
    ByRef(ObjRefWire),
    /// Inline: `$jsii.struct` data, a `$jsii.map`, or a plain object.
    ByValue(Map<String, Value>),
}

/// Classifies a wire value that should hold a struct of type `fqn`.
pub(crate) fn struct_fields(value: Value, fqn: &str) -> Result<StructWire> {
    match value {
        Value::Object(m) if m.contains_key(BYREF) => {
            objref(Value::Object(m)).map(StructWire::ByRef)
        }
        Value::Object(mut m) if m.contains_key(STRUCT) => {
            match m.remove(STRUCT).and_then(|s| s.get("data").cloned()) {
                Some(Value::Object(data)) => Ok(StructWire::ByValue(data)),
                _ => Err(Error::unexpected(
                    format!("a {fqn} struct"),
                    &Value::Object(m),
                )),
            }
        }
        Value::Object(m) => map_entries(Value::Object(m)).map(StructWire::ByValue),
        other => Err(Error::unexpected(format!("a {fqn} struct"), &other)),
    }
}

/// An object of an `any` position, classified by its `$jsii.*` token.
#[derive(Debug)]
pub(crate) enum AnyObject {
    /// `$jsii.byref`.
    Ref(ObjRefWire),
    /// `$jsii.date`, the whole value (decoded by the value model).
    Date(Value),
    /// `$jsii.enum` alone: `fqn/MEMBER`.
    Enum(String),
    /// A map: the entries of `$jsii.map`, or a plain object.
    Map(Map<String, Value>),
    /// `$jsii.struct`: the struct's FQN and its fields.
    Struct(String, Map<String, Value>),
}

/// Classifies an object in an `any` position.
pub(crate) fn any_object(m: Map<String, Value>) -> Result<AnyObject> {
    if m.contains_key(BYREF) {
        return objref(Value::Object(m)).map(AnyObject::Ref);
    }
    if m.contains_key(DATE) {
        return Ok(AnyObject::Date(Value::Object(m)));
    }
    let mut m = m;
    if m.len() == 1
        && let Some(Value::Object(inner)) = m.get(STRUCT)
        && let (Some(Value::String(fqn)), Some(Value::Object(data))) =
            (inner.get("fqn"), inner.get("data"))
    {
        return Ok(AnyObject::Struct(fqn.clone(), data.clone()));
    }
    if m.len() == 1 && m.contains_key(ENUM) {
        return match m.remove(ENUM) {
            Some(Value::String(s)) => Ok(AnyObject::Enum(s)),
            other => Err(Error::unexpected("an enum", &other.unwrap_or_default())),
        };
    }
    map_entries(Value::Object(m)).map(AnyObject::Map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::response_round_trip;
    use serde_json::json;

    #[test]
    fn objref_round_trip() {
        response_round_trip(
            json!({"$jsii.byref": "aws-cdk-lib.Stack@10001"}),
            &ObjRefWire {
                id: "aws-cdk-lib.Stack@10001".into(),
                interfaces: vec![],
            },
        );
        let with_interfaces = ObjRefWire {
            id: "Object@10012".into(),
            interfaces: vec!["aws-cdk-lib.IAspect".into()],
        };
        response_round_trip(
            json!({"$jsii.byref": "Object@10012", "$jsii.interfaces": ["aws-cdk-lib.IAspect"]}),
            &with_interfaces,
        );
        assert_eq!(with_interfaces.class_fqn(), "Object");
        assert_eq!(
            byref("Object@10012"),
            json!({"$jsii.byref": "Object@10012"})
        );
        assert_eq!(
            objref(json!({"$jsii.byref": "Object@10012", "$jsii.interfaces": ["a.I"]}))
                .expect("a reference"),
            ObjRefWire {
                id: "Object@10012".into(),
                interfaces: vec!["a.I".into()]
            }
        );
        let err = objref(json!("Stack@1")).expect_err("not a ref");
        assert!(err.to_string().contains("object reference"), "{err}");
        assert!(objref(json!({"$jsii.byref": 3})).is_err());
    }

    #[test]
    fn class_fqn_keeps_scoped_package_names() {
        let r = ObjRefWire {
            id: "@scope/pkg.Thing@10003".into(),
            interfaces: vec![],
        };
        assert_eq!(r.class_fqn(), "@scope/pkg.Thing");
        assert_eq!(class_fqn("no-at-sign"), "no-at-sign");
    }

    #[test]
    fn kinds_follow_the_tokens() {
        assert_eq!(WireKind::of(&json!(null)), WireKind::Null);
        assert_eq!(WireKind::of(&json!(1)), WireKind::Number);
        assert_eq!(
            WireKind::of(&json!({"$jsii.byref": "a@1"})),
            WireKind::Object
        );
        assert_eq!(WireKind::of(&date("x".into())), WireKind::Date);
        assert_eq!(WireKind::of(&enum_to_wire("a.E", "X")), WireKind::Enum);
        assert_eq!(WireKind::of(&map(Map::new())), WireKind::Map);
        assert_eq!(
            WireKind::of(&struct_value("a.S", Map::new())),
            WireKind::Map
        );
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
    fn structs_arrive_by_reference_or_by_value() {
        assert!(matches!(
            struct_fields(json!({"$jsii.byref": "Object@10004"}), "x"),
            Ok(StructWire::ByRef(r)) if r.id == "Object@10004"
        ));
        assert!(matches!(
            struct_fields(json!({"$jsii.struct": {"fqn": "x", "data": {"a": 1}}}), "x"),
            Ok(StructWire::ByValue(m)) if m["a"] == 1
        ));
        assert!(matches!(
            struct_fields(json!({"$jsii.map": {"a": 1}}), "x"),
            Ok(StructWire::ByValue(m)) if m["a"] == 1
        ));
        assert!(struct_fields(json!({"$jsii.struct": {"fqn": "x"}}), "x").is_err());
        assert!(struct_fields(json!(3), "x").is_err());
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
    fn maps_unwrap_or_pass_through() {
        let inner = json!({"a": 1}).as_object().cloned().expect("object");
        assert_eq!(map(inner.clone()), json!({"$jsii.map": {"a": 1}}));
        assert_eq!(
            map_entries(json!({"$jsii.map": {"a": 1}})).expect("wrapped"),
            inner
        );
        assert_eq!(map_entries(json!({"a": 1})).expect("bare"), inner);
        assert!(map_entries(json!({"$jsii.map": 1})).is_err());
        assert!(map_entries(json!([1])).is_err());
    }

    #[test]
    fn any_objects_are_classified_by_token() {
        let obj = |v: Value| v.as_object().cloned().expect("object");
        assert!(matches!(
            any_object(obj(json!({"$jsii.byref": "a.B@1"}))),
            Ok(AnyObject::Ref(_))
        ));
        assert!(matches!(
            any_object(obj(json!({"$jsii.date": "x"}))),
            Ok(AnyObject::Date(_))
        ));
        assert!(matches!(
            any_object(obj(json!({"$jsii.enum": "a.E/X"}))),
            Ok(AnyObject::Enum(s)) if s == "a.E/X"
        ));
        assert!(any_object(obj(json!({"$jsii.enum": 3}))).is_err());
        // Not alone: an ordinary key of a map.
        assert!(matches!(
            any_object(obj(json!({"$jsii.enum": "a.E/X", "k": 1}))),
            Ok(AnyObject::Map(m)) if m.len() == 2
        ));
        assert_eq!(date_text(&date("2030".into())), Some("2030"));
    }
}
