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
    };
}
