//! The jsii value model in Rust: the traits of kernel-backed handles, conversion to and from the
//! wire, dates, `any`.
//!
//! Conversions are two small traits instead of serde derives on thousands of generated types:
//! [`ToWire`] turns a Rust value into the JSON the kernel expects for its declared jsii type,
//! [`FromWire`] reads one back. The `$jsii.*` forms themselves belong to the wire codec
//! (`wire`); an object reference read here becomes a handle through the object store
//! (`objects`), and checked downcasts ask the type registry (`types`). Nothing here talks to a
//! kernel: decoding a value never starts node.

use crate::error::{Error, Result};
use crate::objects::{self, ObjRef};
use crate::{types, wire};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Anything backed by a kernel object: generated classes, interface proxies, [`ObjRef`] itself.
pub trait JsiiObject {
    /// The handle of the underlying JS object.
    fn obj_ref(&self) -> &ObjRef;
}

impl JsiiObject for ObjRef {
    fn obj_ref(&self) -> &ObjRef {
        self
    }
}

impl<T: JsiiObject + ?Sized> JsiiObject for &T {
    fn obj_ref(&self) -> &ObjRef {
        (**self).obj_ref()
    }
}

/// A generated class or interface proxy: a typed wrapper around an [`ObjRef`].
pub trait JsiiType: JsiiObject + Sized {
    /// The jsii FQN of the type.
    const FQN: &'static str;
    /// Wraps a handle without checking its type. Use [`Downcast::downcast`] for a checked cast.
    fn from_obj_ref(obj: ObjRef) -> Self;
}

/// Checked downcasts for every kernel-backed value.
pub trait Downcast: JsiiObject {
    /// Returns the object as `T` when its runtime type is `T` or derives from it, using the type
    /// graphs of the loaded packages. `None` otherwise.
    fn downcast<T: JsiiType>(&self) -> Option<T> {
        let obj = self.obj_ref();
        types::is_instance_of(obj, T::FQN).then(|| T::from_obj_ref(obj.clone()))
    }

    /// True when the object's runtime type is `fqn` or derives from it.
    fn is_instance_of(&self, fqn: &str) -> bool {
        types::is_instance_of(self.obj_ref(), fqn)
    }

    /// Treats the object as `T` without checking its type: the Go runtime's `UnsafeCast`, for
    /// an object the kernel knows no jsii type for (an instance of an unexported class,
    /// returned as `any`) that you know implements `T`. The handle then tells the kernel the
    /// object is a `T` with every call, so `T`'s members work on it; if it is not, those calls
    /// fail with the kernel's error. Prefer [`Downcast::downcast`] wherever it succeeds.
    fn unchecked_cast<T: JsiiType>(&self) -> T {
        let obj = self.obj_ref();
        if !types::is_instance_of(obj, T::FQN) {
            obj.assert_type(T::FQN);
        }
        T::from_obj_ref(obj.clone())
    }
}
impl<T: JsiiObject + ?Sized> Downcast for T {}

/// Converts a Rust value to the JSON the kernel expects for its declared jsii type.
pub trait ToWire {
    /// The wire form.
    fn to_wire(&self) -> Value;
}

/// Reads a Rust value from what the kernel sent for its declared jsii type.
pub trait FromWire: Sized {
    /// Decodes `value`; `Value::Null` stands for a missing (`undefined`) value.
    fn from_wire(value: Value) -> Result<Self>;
}

impl ToWire for ObjRef {
    fn to_wire(&self) -> Value {
        wire::byref(self.id())
    }
}

impl ToWire for dyn JsiiObject + '_ {
    fn to_wire(&self) -> Value {
        self.obj_ref().to_wire()
    }
}

impl FromWire for ObjRef {
    fn from_wire(value: Value) -> Result<ObjRef> {
        wire::objref(value).map(objects::intern)
    }
}

impl ToWire for () {
    fn to_wire(&self) -> Value {
        Value::Null
    }
}
impl FromWire for () {
    fn from_wire(_: Value) -> Result<()> {
        Ok(())
    }
}

impl ToWire for bool {
    fn to_wire(&self) -> Value {
        Value::Bool(*self)
    }
}
impl FromWire for bool {
    fn from_wire(value: Value) -> Result<bool> {
        value
            .as_bool()
            .ok_or_else(|| Error::unexpected("a boolean", &value))
    }
}

impl ToWire for f64 {
    fn to_wire(&self) -> Value {
        // Integral values go as integers, as JavaScript would print them.
        if self.fract() == 0.0 && self.abs() < 9_007_199_254_740_992.0 {
            #[allow(clippy::cast_possible_truncation)]
            Value::from(*self as i64)
        } else {
            // JSON cannot carry NaN or infinities. Sending them as text (not as null, which
            // means "absent") makes the kernel reject the argument with a SerializationError
            // naming the parameter, instead of silently using a default.
            serde_json::Number::from_f64(*self)
                .map_or_else(|| Value::String(self.to_string()), Value::Number)
        }
    }
}
impl FromWire for f64 {
    fn from_wire(value: Value) -> Result<f64> {
        value
            .as_f64()
            .ok_or_else(|| Error::unexpected("a number", &value))
    }
}

impl ToWire for str {
    fn to_wire(&self) -> Value {
        Value::String(self.to_owned())
    }
}
impl ToWire for String {
    fn to_wire(&self) -> Value {
        Value::String(self.clone())
    }
}
impl FromWire for String {
    fn from_wire(value: Value) -> Result<String> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(Error::unexpected("a string", &other)),
        }
    }
}

/// `json` values travel as plain JSON.
impl ToWire for Value {
    fn to_wire(&self) -> Value {
        self.clone()
    }
}
impl FromWire for Value {
    fn from_wire(value: Value) -> Result<Value> {
        Ok(value)
    }
}

impl<T: ToWire + ?Sized> ToWire for &T {
    fn to_wire(&self) -> Value {
        (**self).to_wire()
    }
}

impl<T: ToWire + ?Sized> ToWire for Box<T> {
    fn to_wire(&self) -> Value {
        (**self).to_wire()
    }
}

impl<T: FromWire> FromWire for Box<T> {
    fn from_wire(value: Value) -> Result<Box<T>> {
        T::from_wire(value).map(Box::new)
    }
}

impl<T: ToWire> ToWire for Option<T> {
    fn to_wire(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToWire::to_wire)
    }
}
impl<T: FromWire> FromWire for Option<T> {
    fn from_wire(value: Value) -> Result<Option<T>> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_wire(value).map(Some)
        }
    }
}

impl<T: ToWire> ToWire for [T] {
    fn to_wire(&self) -> Value {
        Value::Array(self.iter().map(ToWire::to_wire).collect())
    }
}
impl<T: ToWire> ToWire for Vec<T> {
    fn to_wire(&self) -> Value {
        self.as_slice().to_wire()
    }
}
impl<T: FromWire> FromWire for Vec<T> {
    fn from_wire(value: Value) -> Result<Vec<T>> {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_wire).collect(),
            other => Err(Error::unexpected("an array", &other)),
        }
    }
}

fn map_to_wire<'a, T: ToWire + 'a>(entries: impl Iterator<Item = (&'a String, &'a T)>) -> Value {
    wire::map(entries.map(|(k, v)| (k.clone(), v.to_wire())).collect())
}

impl<T: ToWire> ToWire for BTreeMap<String, T> {
    fn to_wire(&self) -> Value {
        map_to_wire(self.iter())
    }
}
impl<T: FromWire> FromWire for BTreeMap<String, T> {
    fn from_wire(value: Value) -> Result<BTreeMap<String, T>> {
        wire::map_entries(value)?
            .into_iter()
            .map(|(k, v)| T::from_wire(v).map(|v| (k, v)))
            .collect()
    }
}
impl<T: ToWire, S> ToWire for HashMap<String, T, S> {
    fn to_wire(&self) -> Value {
        let sorted: BTreeMap<&String, &T> = self.iter().collect();
        map_to_wire(sorted.into_iter())
    }
}
/// The map type of generated bindings: keys stay in insertion order, as in a JavaScript object,
/// so a map reaches JavaScript in the order the program wrote it.
impl<T: ToWire, S> ToWire for IndexMap<String, T, S> {
    fn to_wire(&self) -> Value {
        map_to_wire(self.iter())
    }
}
impl<T: FromWire> FromWire for IndexMap<String, T> {
    fn from_wire(value: Value) -> Result<IndexMap<String, T>> {
        wire::map_entries(value)?
            .into_iter()
            .map(|(k, v)| T::from_wire(v).map(|v| (k, v)))
            .collect()
    }
}

/// Hashing that agrees with the `PartialEq` of generated structs and unions, whose fields hold
/// values `Hash` does not cover: numbers hash by value (`0.0` and `-0.0` alike), maps regardless
/// of their order (as their `==` ignores it), JSON and `any` values by their structure. Generated
/// structs and unions implement [`Hash`] through it, so equal ones hash alike.
pub trait ValueHash {
    /// Feeds the value into `state`.
    fn value_hash<H: Hasher>(&self, state: &mut H);
}

macro_rules! value_hash_via_hash {
    ($($t:ty),*) => {
        $(impl ValueHash for $t {
            fn value_hash<H: Hasher>(&self, state: &mut H) {
                self.hash(state);
            }
        })*
    };
}
value_hash_via_hash!(String, str, bool, Date, ObjRef);

impl ValueHash for f64 {
    fn value_hash<H: Hasher>(&self, state: &mut H) {
        // Equal numbers hash alike: -0.0 == 0.0 (NaN equals nothing, so any hash will do).
        let n = if *self == 0.0 { 0.0 } else { *self };
        n.to_bits().hash(state);
    }
}

impl<T: ValueHash + ?Sized> ValueHash for &T {
    fn value_hash<H: Hasher>(&self, state: &mut H) {
        (**self).value_hash(state);
    }
}
impl<T: ValueHash + ?Sized> ValueHash for Box<T> {
    fn value_hash<H: Hasher>(&self, state: &mut H) {
        (**self).value_hash(state);
    }
}
impl<T: ValueHash> ValueHash for Option<T> {
    fn value_hash<H: Hasher>(&self, state: &mut H) {
        match self {
            None => 0u8.hash(state),
            Some(v) => {
                1u8.hash(state);
                v.value_hash(state);
            }
        }
    }
}
impl<T: ValueHash> ValueHash for [T] {
    fn value_hash<H: Hasher>(&self, state: &mut H) {
        self.len().hash(state);
        for v in self {
            v.value_hash(state);
        }
    }
}
impl<T: ValueHash> ValueHash for Vec<T> {
    fn value_hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().value_hash(state);
    }
}

/// The hash of a map's entries regardless of their order: each entry hashed on its own, the
/// results summed.
fn unordered<'a, V: ValueHash + 'a, H: Hasher>(
    entries: impl Iterator<Item = (&'a String, &'a V)>,
    state: &mut H,
) {
    let mut sum = 0u64;
    let mut len = 0usize;
    for (k, v) in entries {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        k.hash(&mut h);
        v.value_hash(&mut h);
        sum = sum.wrapping_add(h.finish());
        len += 1;
    }
    len.hash(state);
    sum.hash(state);
}

impl<T: ValueHash, S> ValueHash for IndexMap<String, T, S> {
    fn value_hash<H: Hasher>(&self, state: &mut H) {
        unordered(self.iter(), state);
    }
}

impl ValueHash for Value {
    fn value_hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Value::Null => 0u8.hash(state),
            Value::Bool(b) => b.hash(state),
            Value::Number(n) => n.as_f64().unwrap_or(f64::NAN).value_hash(state),
            Value::String(s) => s.hash(state),
            Value::Array(a) => a.value_hash(state),
            Value::Object(m) => unordered(m.iter(), state),
        }
    }
}

impl ValueHash for Any {
    fn value_hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Any::Null => {}
            Any::Bool(b) => b.hash(state),
            Any::Number(n) => n.value_hash(state),
            Any::String(s) | Any::Enum(s) => s.hash(state),
            Any::Date(d) => d.hash(state),
            Any::Array(a) => a.value_hash(state),
            Any::Map(m) => m.value_hash(state),
            Any::Object(o) => o.hash(state),
            Any::Struct { fqn, data } => {
                fqn.hash(state);
                data.value_hash(state);
            }
        }
    }
}

/// A JavaScript `Date`: milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    millis: i64,
}

impl Date {
    /// The date `millis` milliseconds after 1970-01-01T00:00:00Z (negative: before).
    pub fn from_millis(millis: i64) -> Date {
        Date { millis }
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.millis
    }

    /// The current time, at millisecond precision.
    pub fn now() -> Date {
        Date::from(SystemTime::now())
    }

    /// ISO 8601 in UTC, as JavaScript's `toISOString` writes it: `2030-01-02T03:04:05.000Z`.
    pub fn to_iso_string(self) -> String {
        let days = self.millis.div_euclid(86_400_000);
        let ms_of_day = self.millis.rem_euclid(86_400_000);
        let (y, m, d) = civil_from_days(days);
        let (h, rest) = (ms_of_day / 3_600_000, ms_of_day % 3_600_000);
        let (min, rest) = (rest / 60_000, rest % 60_000);
        let (s, ms) = (rest / 1000, rest % 1000);
        if (0..=9999).contains(&y) {
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}Z")
        } else {
            format!("{y:+07}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}Z")
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (also `±YYYYYY` years). Returns `None` otherwise.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let text = text.strip_suffix('Z')?;
        let (date, time) = text.split_once('T')?;
        let (sign, date) = match date.as_bytes().first()? {
            b'+' => (1, &date[1..]),
            b'-' => (-1, &date[1..]),
            _ => (1, date),
        };
        let mut dp = date.splitn(3, '-');
        let y: i64 = dp.next()?.parse().ok()?;
        let m: i64 = dp.next()?.parse().ok()?;
        let d: i64 = dp.next()?.parse().ok()?;
        let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
        let mut tp = hms.splitn(3, ':');
        let h: i64 = tp.next()?.parse().ok()?;
        let min: i64 = tp.next()?.parse().ok()?;
        let s: i64 = tp.next()?.parse().ok()?;
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || min > 59 || s > 60 {
            return None;
        }
        let frac3: String = frac.chars().chain("000".chars()).take(3).collect();
        let ms: i64 = frac3.parse().ok()?;
        let days = days_from_civil(sign * y, m, d);
        Some(Date::from_millis(
            days * 86_400_000 + h * 3_600_000 + min * 60_000 + s * 1000 + ms,
        ))
    }
}

// Howard Hinnant's civil-date algorithms (public domain descriptions), proleptic Gregorian.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

impl From<SystemTime> for Date {
    fn from(t: SystemTime) -> Date {
        let millis = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
        };
        Date { millis }
    }
}

impl From<Date> for SystemTime {
    fn from(d: Date) -> SystemTime {
        let magnitude = Duration::from_millis(d.millis.unsigned_abs());
        if d.millis >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso_string())
    }
}

impl ToWire for Date {
    fn to_wire(&self) -> Value {
        wire::date(self.to_iso_string())
    }
}
impl FromWire for Date {
    fn from_wire(value: Value) -> Result<Date> {
        wire::date_text(&value)
            .and_then(Date::parse_iso)
            .ok_or_else(|| Error::unexpected("a date", &value))
    }
}

/// A value of jsii type `any`: whatever JavaScript can hold, as the kernel serializes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Any {
    /// `null` or `undefined`.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// A date.
    Date(Date),
    /// An array.
    Array(Vec<Any>),
    /// A map or plain object, keys in insertion order (as JavaScript keeps them).
    Map(IndexMap<String, Any>),
    /// A reference to a JS object (a class instance, or an object with behaviour).
    Object(ObjRef),
    /// An enum member, `fqn/MEMBER` (sent by the host; the kernel sends plain values back).
    Enum(String),
    /// A struct, sent with its FQN so the kernel can check it.
    Struct {
        /// The struct's FQN.
        fqn: String,
        /// Its fields, by jsii name.
        data: IndexMap<String, Any>,
    },
}

impl ToWire for Any {
    fn to_wire(&self) -> Value {
        match self {
            Any::Null => Value::Null,
            Any::Bool(b) => Value::Bool(*b),
            Any::Number(n) => n.to_wire(),
            Any::String(s) => Value::String(s.clone()),
            Any::Date(d) => d.to_wire(),
            Any::Array(a) => a.to_wire(),
            Any::Map(m) => m.to_wire(),
            Any::Object(o) => o.to_wire(),
            Any::Enum(member) => wire::enum_value(member.clone()),
            Any::Struct { fqn, data } => wire::struct_value(
                fqn,
                data.iter().map(|(k, v)| (k.clone(), v.to_wire())).collect(),
            ),
        }
    }
}

impl FromWire for Any {
    fn from_wire(value: Value) -> Result<Any> {
        Ok(match value {
            Value::Null => Any::Null,
            Value::Bool(b) => Any::Bool(b),
            Value::Number(n) => Any::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Any::String(s),
            Value::Array(items) => Any::Array(
                items
                    .into_iter()
                    .map(Any::from_wire)
                    .collect::<Result<_>>()?,
            ),
            Value::Object(m) => match wire::any_object(m)? {
                wire::AnyObject::Ref(r) => Any::Object(objects::intern(r)),
                wire::AnyObject::Date(d) => Any::Date(Date::from_wire(d)?),
                wire::AnyObject::Enum(s) => Any::Enum(s),
                wire::AnyObject::Map(entries) => Any::Map(
                    entries
                        .into_iter()
                        .map(|(k, v)| Any::from_wire(v).map(|v| (k, v)))
                        .collect::<Result<_>>()?,
                ),
                wire::AnyObject::Struct(fqn, data) => Any::Struct {
                    fqn,
                    data: data
                        .into_iter()
                        .map(|(k, v)| Any::from_wire(v).map(|v| (k, v)))
                        .collect::<Result<_>>()?,
                },
            },
        })
    }
}

impl Any {
    /// Builds an `any` from plain JSON (objects become maps).
    pub fn from_json(value: Value) -> Any {
        match value {
            Value::Null => Any::Null,
            Value::Bool(b) => Any::Bool(b),
            Value::Number(n) => Any::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Any::String(s),
            Value::Array(a) => Any::Array(a.into_iter().map(Any::from_json).collect()),
            Value::Object(m) => {
                Any::Map(m.into_iter().map(|(k, v)| (k, Any::from_json(v))).collect())
            }
        }
    }

    /// Plain JSON: maps and arrays recursively, dates as ISO text, objects as their
    /// `{"$jsii.byref": id}` reference, enums as `fqn/MEMBER`, structs as their data.
    pub fn into_json(self) -> Value {
        match self {
            Any::Null => Value::Null,
            Any::Bool(b) => Value::Bool(b),
            Any::Number(n) => n.to_wire(),
            Any::String(s) => Value::String(s),
            Any::Date(d) => Value::String(d.to_iso_string()),
            Any::Array(a) => Value::Array(a.into_iter().map(Any::into_json).collect()),
            Any::Map(m) | Any::Struct { data: m, .. } => {
                Value::Object(m.into_iter().map(|(k, v)| (k, v.into_json())).collect())
            }
            Any::Object(o) => o.to_wire(),
            Any::Enum(member) => Value::String(member),
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Any::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, when this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Any::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The object handle, when this is one.
    pub fn as_object(&self) -> Option<&ObjRef> {
        match self {
            Any::Object(o) => Some(o),
            _ => None,
        }
    }
}

impl From<&str> for Any {
    fn from(s: &str) -> Any {
        Any::String(s.to_owned())
    }
}
impl From<String> for Any {
    fn from(s: String) -> Any {
        Any::String(s)
    }
}
impl From<f64> for Any {
    fn from(n: f64) -> Any {
        Any::Number(n)
    }
}
impl From<i32> for Any {
    fn from(n: i32) -> Any {
        Any::Number(f64::from(n))
    }
}
impl From<bool> for Any {
    fn from(b: bool) -> Any {
        Any::Bool(b)
    }
}
impl From<Date> for Any {
    fn from(d: Date) -> Any {
        Any::Date(d)
    }
}
impl From<ObjRef> for Any {
    fn from(o: ObjRef) -> Any {
        Any::Object(o)
    }
}
/// `None` is `Any::Null`, so an optional `any` parameter (`impl Into<Any>`) accepts `None` like
/// other optional parameters do.
impl From<Option<Any>> for Any {
    fn from(v: Option<Any>) -> Any {
        v.unwrap_or(Any::Null)
    }
}
impl From<Value> for Any {
    fn from(v: Value) -> Any {
        Any::from_json(v)
    }
}
impl<T: Into<Any>> From<Vec<T>> for Any {
    fn from(v: Vec<T>) -> Any {
        Any::Array(v.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Any>> From<BTreeMap<String, T>> for Any {
    fn from(m: BTreeMap<String, T>) -> Any {
        Any::Map(m.into_iter().map(|(k, v)| (k, v.into())).collect())
    }
}
impl<T: Into<Any>> From<IndexMap<String, T>> for Any {
    fn from(m: IndexMap<String, T>) -> Any {
        Any::Map(m.into_iter().map(|(k, v)| (k, v.into())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_round_trip_through_iso_text() {
        for (millis, iso) in [
            (0, "1970-01-01T00:00:00.000Z"),
            (1_893_553_445_000, "2030-01-02T03:04:05.000Z"),
            (951_782_400_123, "2000-02-29T00:00:00.123Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        ] {
            let d = Date::from_millis(millis);
            assert_eq!(d.to_iso_string(), iso);
            assert_eq!(Date::parse_iso(iso), Some(d), "{iso}");
            assert_eq!(Date::from_wire(d.to_wire()).expect("decodes"), d);
        }
        assert_eq!(
            Date::parse_iso("2030-01-02T03:04:05Z"),
            Date::parse_iso("2030-01-02T03:04:05.000Z")
        );
        assert_eq!(Date::parse_iso("2030-13-02T03:04:05Z"), None);
        assert_eq!(Date::parse_iso("yesterday"), None);
        let now = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        assert_eq!(SystemTime::from(Date::from(now)), now);
    }

    #[test]
    fn none_is_the_null_any() {
        fn take(v: impl Into<Any>) -> Any {
            v.into()
        }
        assert_eq!(take(None), Any::Null);
        assert_eq!(take(Some(Any::from(1.0))), Any::Number(1.0));
        assert_eq!(take("x"), Any::from("x"));
    }

    #[test]
    fn numbers_go_as_integers_when_integral() {
        assert_eq!(3.0_f64.to_wire(), json!(3));
        assert_eq!(2.5_f64.to_wire(), json!(2.5));
        assert_eq!(f64::from_wire(json!(7)).expect("number"), 7.0);
        // Never null (which would read as "absent"): the kernel rejects the text instead.
        assert_eq!(f64::NAN.to_wire(), json!("NaN"));
        assert_eq!(f64::INFINITY.to_wire(), json!("inf"));
        assert!(f64::from_wire(json!("7")).is_err());
    }

    #[test]
    fn maps_are_wrapped_and_unwrapped() {
        let m: BTreeMap<String, f64> = [("a".to_owned(), 1.0)].into();
        assert_eq!(m.to_wire(), json!({"$jsii.map": {"a": 1}}));
        let back: BTreeMap<String, f64> =
            FromWire::from_wire(json!({"$jsii.map": {"a": 1}})).expect("wrapped");
        assert_eq!(back, m);
        let bare: BTreeMap<String, f64> = FromWire::from_wire(json!({"a": 1})).expect("bare");
        assert_eq!(bare, m);
    }

    #[test]
    fn options_use_null_for_undefined() {
        assert_eq!(Option::<String>::None.to_wire(), Value::Null);
        assert_eq!(
            Option::<String>::from_wire(Value::Null).expect("null"),
            None
        );
        assert_eq!(
            Option::<String>::from_wire(json!("x")).expect("str"),
            Some("x".to_owned())
        );
    }

    #[test]
    fn any_encodes_every_shape() {
        let mut data = IndexMap::new();
        data.insert("name".to_owned(), Any::from("CalledNumber"));
        let any = Any::Array(vec![
            Any::Null,
            Any::from(true),
            Any::from(1.5),
            Any::Enum("aws-cdk-lib.aws_dynamodb.AttributeType/STRING".into()),
            Any::Struct {
                fqn: "aws-cdk-lib.aws_dynamodb.Attribute".into(),
                data: data.clone(),
            },
            Any::Map(data),
        ]);
        assert_eq!(
            any.to_wire(),
            json!([null, true, 1.5,
                {"$jsii.enum": "aws-cdk-lib.aws_dynamodb.AttributeType/STRING"},
                {"$jsii.struct": {"fqn": "aws-cdk-lib.aws_dynamodb.Attribute",
                                  "data": {"name": "CalledNumber"}}},
                {"$jsii.map": {"name": "CalledNumber"}}])
        );
        let back = Any::from_wire(json!([1, "a", {"k": [true]}, {"$jsii.map": {"x": null}}]))
            .expect("decodes");
        assert_eq!(
            back,
            Any::Array(vec![
                Any::Number(1.0),
                Any::from("a"),
                Any::Map([("k".to_owned(), Any::Array(vec![Any::Bool(true)]))].into()),
                Any::Map([("x".to_owned(), Any::Null)].into()),
            ])
        );
    }

    #[test]
    fn maps_keep_the_order_the_program_gave_them() {
        // As a JavaScript object does: `{ Warning: ..., Critical: ... }` stays in that order.
        let m: IndexMap<String, f64> = [
            ("Warning".to_owned(), 100.0),
            ("Critical".to_owned(), 1000.0),
        ]
        .into();
        assert_eq!(
            serde_json::to_string(&m.to_wire()).expect("json"),
            r#"{"$jsii.map":{"Warning":100,"Critical":1000}}"#
        );
        let back: IndexMap<String, f64> =
            FromWire::from_wire(serde_json::from_str(r#"{"b": 1, "a": 2}"#).expect("json"))
                .expect("map");
        assert_eq!(back.keys().collect::<Vec<_>>(), ["b", "a"]);
        let any = Any::from_json(
            serde_json::from_str(r#"{"z": 1, "y": {"x": 2, "w": 3}}"#).expect("json"),
        );
        assert_eq!(
            serde_json::to_string(&any.to_wire()).expect("json"),
            r#"{"$jsii.map":{"z":1,"y":{"$jsii.map":{"x":2,"w":3}}}}"#
        );
    }

    #[test]
    fn any_converts_back_to_plain_json() {
        let json = serde_json::json!({"a": [1, 2.5, "x", null, true], "b": {"c": {}}});
        assert_eq!(Any::from_json(json.clone()).into_json(), json);
        assert_eq!(
            Any::Date(Date::from_millis(0)).into_json(),
            serde_json::json!("1970-01-01T00:00:00.000Z")
        );
    }

    #[test]
    fn decoding_references_never_starts_a_kernel() {
        let obj = ObjRef::from_wire(json!({"$jsii.byref": "lib.Thing@10001"})).expect("a ref");
        let any = Any::from_wire(json!([{"$jsii.byref": "lib.Thing@10001",
                                         "$jsii.interfaces": ["lib.IThing"]}]))
        .expect("an array holding a ref");
        assert_eq!(any, Any::Array(vec![Any::Object(obj.clone())]));
        assert_eq!(obj.interfaces(), ["lib.IThing"], "the same interned handle");
        assert!(obj.is_instance_of("lib.IThing"));
        assert!(!crate::session::is_running());
    }

    #[test]
    fn wrong_shapes_are_errors_not_panics() {
        assert!(String::from_wire(json!(1)).is_err());
        assert!(Vec::<String>::from_wire(json!({"a": 1})).is_err());
        assert!(bool::from_wire(Value::Null).is_err());
        assert!(Date::from_wire(json!({"$jsii.date": "nope"})).is_err());
        assert!(BTreeMap::<String, f64>::from_wire(json!([1])).is_err());
        let err = ObjRef::from_wire(json!("Stack@1")).expect_err("not a ref");
        assert!(err.to_string().contains("object reference"), "{err}");
    }
}
