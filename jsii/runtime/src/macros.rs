//! Declarative macros generated bindings use for the parts every class and proxy share, so the
//! generated files stay about the jsii API rather than boilerplate.

/// The impls of a class handle, a newtype over its base class (or over
/// [`ObjRef`](crate::ObjRef) for a root class): `Deref` to the base, `Debug`, the runtime
/// traits, and `From<&Self>`. The struct itself (with `#[derive(Clone, PartialEq, Eq, Hash)]`)
/// is declared by the generated code, so its docs read normally.
///
/// ```
/// #[derive(Clone, PartialEq, Eq, Hash)]
/// pub struct Construct(jsii_runtime::ObjRef);
/// jsii_runtime::class_impls!(Construct => "constructs.Construct");
/// #[derive(Clone, PartialEq, Eq, Hash)]
/// pub struct Stack(Construct);
/// jsii_runtime::class_impls!(Stack: Construct => "aws-cdk-lib.Stack");
/// fn scope_of(stack: &Stack) -> &Construct {
///     stack // deref coercion walks the chain
/// }
/// ```
#[macro_export]
macro_rules! class_impls {
    ($name:ident => $fqn:literal) => {
        $crate::proxy_impls!($name => $fqn);
        impl ::std::convert::From<&$name> for $name {
            fn from(value: &$name) -> Self {
                value.clone()
            }
        }
        impl ::std::convert::AsRef<$name> for $name {
            fn as_ref(&self) -> &$name {
                self
            }
        }
        impl<U: ::std::convert::AsRef<$name> + ?Sized> $crate::Upcast<U> for $name {
            fn upcast(u: &U) -> &$name {
                u.as_ref()
            }
        }
    };
    ($name:ident : $base:ty => $fqn:literal) => {
        impl ::std::ops::Deref for $name {
            type Target = $base;
            fn deref(&self) -> &$base {
                &self.0
            }
        }
        impl $crate::JsiiObject for $name {
            fn obj_ref(&self) -> &$crate::ObjRef {
                $crate::JsiiObject::obj_ref(&self.0)
            }
        }
        impl $crate::JsiiType for $name {
            const FQN: &'static str = $fqn;
            fn from_obj_ref(obj: $crate::ObjRef) -> Self {
                $name(<$base as $crate::JsiiType>::from_obj_ref(obj))
            }
        }
        $crate::__handle_common!($name);
        impl ::std::convert::From<&$name> for $name {
            fn from(value: &$name) -> Self {
                value.clone()
            }
        }
        impl ::std::convert::AsRef<$name> for $name {
            fn as_ref(&self) -> &$name {
                self
            }
        }
        impl<U: ::std::convert::AsRef<$name> + ?Sized> $crate::Upcast<U> for $name {
            fn upcast(u: &U) -> &$name {
                u.as_ref()
            }
        }
    };
}

/// The impls of a handle that wraps an [`ObjRef`](crate::ObjRef) directly: an interface proxy
/// (declared by the generated code as `pub struct IFooProxy(jsii_runtime::ObjRef);`), and the
/// core of a root class's [`class_impls!`].
#[macro_export]
macro_rules! proxy_impls {
    ($name:ident => $fqn:literal) => {
        impl $crate::JsiiObject for $name {
            fn obj_ref(&self) -> &$crate::ObjRef {
                &self.0
            }
        }
        impl $crate::JsiiType for $name {
            const FQN: &'static str = $fqn;
            fn from_obj_ref(obj: $crate::ObjRef) -> Self {
                $name(obj)
            }
        }
        $crate::__handle_common!($name);
    };
}

/// Conversions from a class handle to each of its ancestors (`From<&Table> for Construct`,
/// by value, and `AsRef`), so builders taking `impl Into<Base>` and optional parameters taking
/// [`OptionalArg`](crate::OptionalArg) accept subclasses.
#[macro_export]
macro_rules! upcasts {
    ($name:ident => $($ancestor:ty),+ $(,)?) => {
        $(
            impl ::std::convert::From<&$name> for $ancestor {
                fn from(value: &$name) -> Self {
                    <$ancestor as $crate::JsiiType>::from_obj_ref(
                        $crate::JsiiObject::obj_ref(value).clone(),
                    )
                }
            }
            impl ::std::convert::From<$name> for $ancestor {
                fn from(value: $name) -> Self {
                    <$ancestor as ::std::convert::From<&$name>>::from(&value)
                }
            }
            impl ::std::convert::AsRef<$ancestor> for $name {
                fn as_ref(&self) -> &$ancestor {
                    self
                }
            }
        )+
    };
}

/// Makes a Rust type that wraps a generated class handle (a subclass written in Rust, usually
/// created with the class's `new_with_overrides`) pass wherever the wrapped class or any of its
/// ancestors is expected, as the generated subclasses do: `&my_subclass` for a parameter typed
/// as the base class. The type must `Deref` to the wrapped class; the macro forwards `AsRef` to
/// every ancestor through it and implements [`JsiiObject`](crate::JsiiObject).
///
/// ```
/// #[derive(Clone, PartialEq, Eq, Hash)]
/// pub struct Construct(jsii_runtime::ObjRef);
/// jsii_runtime::class_impls!(Construct => "constructs.Construct");
/// #[derive(Clone, PartialEq, Eq, Hash)]
/// pub struct Stack(Construct);
/// jsii_runtime::class_impls!(Stack: Construct => "aws-cdk-lib.Stack");
/// jsii_runtime::upcasts!(Stack => Construct);
///
/// // A subclass written in Rust.
/// struct AuditedStack(Stack);
/// impl std::ops::Deref for AuditedStack {
///     type Target = Stack;
///     fn deref(&self) -> &Stack {
///         &self.0
///     }
/// }
/// jsii_runtime::subclass!(AuditedStack => Stack);
///
/// fn takes_construct(scope: &(impl AsRef<Construct> + ?Sized)) -> &Construct {
///     scope.as_ref()
/// }
/// fn check(stack: &AuditedStack) -> bool {
///     takes_construct(stack) == &*stack.0
/// }
/// ```
#[macro_export]
macro_rules! subclass {
    ($name:ty => $base:ty) => {
        impl<T: ?Sized> ::std::convert::AsRef<T> for $name
        where
            $base: ::std::convert::AsRef<T>,
        {
            fn as_ref(&self) -> &T {
                <$base as ::std::convert::AsRef<T>>::as_ref(::std::ops::Deref::deref(self))
            }
        }
        impl $crate::JsiiObject for $name {
            fn obj_ref(&self) -> &$crate::ObjRef {
                $crate::JsiiObject::obj_ref(::std::ops::Deref::deref(self))
            }
        }
    };
}

/// The impls that let anything implementing a generated interface trait pass where the
/// interface is expected: `&x` for the proxy's `From` (struct fields, unions), and
/// [`Upcast`](crate::Upcast) for `dyn Trait` (optional parameters take `&x` or `None`).
///
/// ```
/// pub trait IShape: jsii_runtime::JsiiObject {}
/// #[derive(Clone, PartialEq, Eq, Hash)]
/// pub struct IShapeProxy(jsii_runtime::ObjRef);
/// jsii_runtime::proxy_impls!(IShapeProxy => "lib.IShape");
/// impl IShape for IShapeProxy {}
/// jsii_runtime::interface_impls!(IShape => IShapeProxy);
/// fn take<'a>(shape: impl jsii_runtime::OptionalArg<'a, dyn IShape + 'a>) -> bool {
///     shape.into_arg().is_some()
/// }
/// fn check(p: &IShapeProxy) -> bool {
///     take(p) && !take(None)
/// }
/// ```
#[macro_export]
macro_rules! interface_impls {
    ($tr:ident => $proxy:ident) => {
        impl<T: $tr + ?Sized> ::std::convert::From<&T> for $proxy {
            fn from(value: &T) -> Self {
                <Self as $crate::JsiiType>::from_obj_ref($crate::JsiiObject::obj_ref(value).clone())
            }
        }
        impl<'x, U: $tr + 'x> $crate::Upcast<U> for dyn $tr + 'x {
            fn upcast(u: &U) -> &(dyn $tr + 'x) {
                u
            }
        }
        impl<'x> $crate::Upcast<dyn $tr + 'x> for dyn $tr + 'x {
            fn upcast<'r>(u: &'r (dyn $tr + 'x)) -> &'r (dyn $tr + 'x) {
                u
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __handle_common {
    ($name:ident) => {
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple(stringify!($name))
                    .field(&$crate::JsiiObject::obj_ref(self).id())
                    .finish()
            }
        }
        impl $crate::ToWire for $name {
            fn to_wire(&self) -> $crate::Value {
                $crate::ToWire::to_wire($crate::JsiiObject::obj_ref(self))
            }
        }
        impl $crate::FromWire for $name {
            fn from_wire(value: $crate::Value) -> $crate::Result<Self> {
                <$crate::ObjRef as $crate::FromWire>::from_wire(value)
                    .map(<$name as $crate::JsiiType>::from_obj_ref)
            }
        }
        impl ::std::convert::From<&$name> for $crate::Any {
            fn from(value: &$name) -> Self {
                $crate::Any::Object($crate::JsiiObject::obj_ref(value).clone())
            }
        }
        impl ::std::convert::From<$name> for $crate::Any {
            fn from(value: $name) -> Self {
                $crate::Any::Object($crate::JsiiObject::obj_ref(&value).clone())
            }
        }
        impl $crate::ValueHash for $name {
            fn value_hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash($crate::JsiiObject::obj_ref(self), state);
            }
        }
    };
}

/// The impls a generated struct has besides its declaration and builder: the wire codec
/// ([`ToWire`](crate::ToWire) as a `$jsii.struct` of its FQN, [`FromWire`](crate::FromWire) field
/// by field, each field named by its jsii name), `Hash` agreeing with its `PartialEq` (through
/// [`ValueHash`](crate::ValueHash), field by field), and the conversion into
/// [`Any`](crate::Any) (for a parameter of jsii type `any`), which makes the next call load the
/// struct's package. The struct needs an associated `FQN` constant.
///
/// ```
/// #[derive(Clone, Debug, PartialEq)]
/// pub struct Point { pub x: f64, pub r#type: Option<String> }
/// impl Point {
///     pub const FQN: &'static str = "lib.Point";
/// }
/// pub static PACKAGE: jsii_runtime::Package = jsii_runtime::Package {
///     name: "lib", version: "1.0.0", dependencies: &[], type_graph: "",
/// };
/// jsii_runtime::struct_impls!(Point { x: "x", r#type: "type" } in PACKAGE);
///
/// use jsii_runtime::{FromWire, ToWire};
/// let a = Point { x: 0.0, r#type: Some("dot".into()) };
/// let wire = a.to_wire();
/// assert_eq!(wire["$jsii.struct"]["fqn"], "lib.Point");
/// assert_eq!(wire["$jsii.struct"]["data"]["type"], "dot");
/// assert_eq!(Point::from_wire(serde_json::json!({"x": 0, "type": "dot"})).unwrap(), a);
///
/// let b = Point { x: -0.0, ..a.clone() };
/// assert_eq!(a, b);
/// let state = std::hash::RandomState::new();
/// assert_eq!(std::hash::BuildHasher::hash_one(&state, &a), std::hash::BuildHasher::hash_one(&state, &b));
/// ```
#[macro_export]
macro_rules! struct_impls {
    ($name:ident { $($field:ident: $jsii:literal),* $(,)? } in $package:path) => {
        impl $crate::ToWire for $name {
            fn to_wire(&self) -> $crate::Value {
                $crate::rt::struct_to_wire(
                    Self::FQN,
                    [$( ($jsii, $crate::rt::arg(&self.$field)) ),*],
                )
            }
        }
        impl $crate::FromWire for $name {
            fn from_wire(value: $crate::Value) -> $crate::Result<Self> {
                let fields = $crate::rt::StructFields::from_wire(value, Self::FQN)?;
                let _ = &fields;
                Ok(Self { $( $field: fields.field($jsii)?, )* })
            }
        }
        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                $( $crate::ValueHash::value_hash(&self.$field, state); )*
            }
        }
        impl $crate::ValueHash for $name {
            fn value_hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(self, state);
            }
        }
        impl ::std::convert::From<$name> for $crate::Any {
            fn from(value: $name) -> Self {
                $crate::rt::struct_any(&$package, &value)
            }
        }
    };
}

/// The `Hash` of a generated union (agreeing with its `PartialEq`: the arm, then its value
/// through [`ValueHash`](crate::ValueHash)), and its [`ValueHash`](crate::ValueHash).
#[macro_export]
macro_rules! union_impls {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(&::std::mem::discriminant(self), state);
                match self {
                    $( Self::$variant(v) => $crate::ValueHash::value_hash(v, state), )*
                }
            }
        }
        impl $crate::ValueHash for $name {
            fn value_hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(self, state);
            }
        }
    };
}

/// The impls a generated enum has besides its own code: [`ValueHash`](crate::ValueHash) (from
/// its derived `Hash`) and the conversion into [`Any`](crate::Any), which makes the next call
/// load the enum's package.
#[macro_export]
macro_rules! enum_impls {
    ($name:ident in $package:path) => {
        impl $crate::ValueHash for $name {
            fn value_hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(self, state);
            }
        }
        impl ::std::convert::From<$name> for $crate::Any {
            fn from(value: $name) -> Self {
                $crate::rt::enum_any(&$package, $name::FQN, value.jsii_name())
            }
        }
    };
}
