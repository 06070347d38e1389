//! How call sites pass arguments to generated bindings. One convention, everywhere:
//!
//! - a parameter or struct field typed as a class takes `&x` for that class or any subclass; one
//!   typed as an interface takes `&x` for anything implementing it (a class, a proxy, a Rust
//!   implementation from `implement()`, a `&dyn` trait object);
//! - an optional one takes `&x` or `None`, never `Some(...)` ([`OptionalArg`]);
//! - a number takes any integer or float ([`Number`], [`OptionalNumber`]).
//!
//! Generated code states these as bounds; this module holds the traits. [`Upcast`] is the one
//! relation behind them: "a `&U` may stand where a `&T` is expected". Generated classes
//! implement it for themselves and their subclasses (through `AsRef`), generated interfaces for
//! their trait objects (any implementor, through unsizing).

/// A `&U` may be passed where a `&Self` is expected. Generated code implements it: for a class
/// `C`, every `U: AsRef<C>` (the class and its subclasses); for an interface trait `I`, `dyn I`
/// for every implementor `U: I` and for `dyn I` itself.
pub trait Upcast<U: ?Sized> {
    /// The view of `u` as `Self`.
    fn upcast(u: &U) -> &Self;
}

impl<U: AsRef<str> + ?Sized> Upcast<U> for str {
    fn upcast(u: &U) -> &str {
        u.as_ref()
    }
}

/// A JSON value stands for itself (optional `json` parameters take `&value` or `None`).
impl Upcast<serde_json::Value> for serde_json::Value {
    fn upcast(u: &serde_json::Value) -> &serde_json::Value {
        u
    }
}

/// A map stands for itself (optional map parameters take `&map` or `None`).
impl<T> Upcast<indexmap::IndexMap<String, T>> for indexmap::IndexMap<String, T> {
    fn upcast(u: &indexmap::IndexMap<String, T>) -> &indexmap::IndexMap<String, T> {
        u
    }
}

/// A list: an array, a `Vec` or a slice (optional list parameters take `&list` or `None`).
impl<T, U: AsRef<[T]> + ?Sized> Upcast<U> for [T] {
    fn upcast(u: &U) -> &[T] {
        u.as_ref()
    }
}

/// An optional borrowed argument: `&x` for anything that may stand for a `T` (see [`Upcast`]:
/// the class or a subclass, an implementor of an interface, a `&str` or `&String` for `str`), or
/// `None`. Generated methods take it for optional object and string parameters, so callers
/// write `Stack::new(&app, "Id", None)`, never `Some(&app)`.
pub trait OptionalArg<'a, T: ?Sized + 'a> {
    /// The argument as an `Option`.
    fn into_arg(self) -> Option<&'a T>;
}

impl<'a, T: ?Sized + 'a> OptionalArg<'a, T> for Option<&'a T> {
    fn into_arg(self) -> Option<&'a T> {
        self
    }
}

impl<'a, T: ?Sized + Upcast<U> + 'a, U: ?Sized> OptionalArg<'a, T> for &'a U {
    fn into_arg(self) -> Option<&'a T> {
        Some(T::upcast(self))
    }
}

/// A number argument: any Rust integer or float. JavaScript numbers are doubles, so integers
/// beyond 2^53 lose precision, as they would in JavaScript.
pub trait Number: Copy {
    /// The value as JavaScript holds it.
    fn to_f64(self) -> f64;
}

macro_rules! numbers {
    ($($t:ty),*) => {
        $(
            impl Number for $t {
                #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
                fn to_f64(self) -> f64 {
                    self as f64
                }
            }
        )*
    };
}
numbers!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64
);

/// An optional number argument: any integer or float, or `None` (also an `Option<f64>`).
pub trait OptionalNumber {
    /// The value as JavaScript holds it, if any.
    fn into_number(self) -> Option<f64>;
}

impl<N: Number> OptionalNumber for N {
    fn into_number(self) -> Option<f64> {
        Some(self.to_f64())
    }
}

impl OptionalNumber for Option<f64> {
    fn into_number(self) -> Option<f64> {
        self
    }
}

/// A builder's required field that is not set yet (the state in a struct builder's type,
/// `FunctionPropsBuilder<Set, Unset, Set>`: `build()` exists only when every one is [`Set`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Unset;

/// A builder's required field that is set (see [`Unset`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Set;

/// A required field of a finished builder. Its type state guarantees the field was set; the
/// message is for a bug in generated code, which only its setters can break.
#[doc(hidden)]
#[inline]
pub fn required<T>(field: Option<T>) -> T {
    field.expect("a struct builder's type state guarantees its required fields are set")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_strings_accept_references_and_none() {
        fn take<'a>(v: impl OptionalArg<'a, str>) -> Option<&'a str> {
            v.into_arg()
        }
        assert_eq!(take("x"), Some("x"));
        let owned = String::from("y");
        assert_eq!(take(&owned), Some("y"));
        assert_eq!(take(None), None);
    }

    #[test]
    fn numbers_accept_integers_and_floats() {
        fn take(n: impl Number) -> f64 {
            n.to_f64()
        }
        fn maybe(n: impl OptionalNumber) -> Option<f64> {
            n.into_number()
        }
        let count: u64 = 7;
        let index: usize = 3;
        assert_eq!(
            [take(128), take(2.5), take(count), take(index), take(-4i8)],
            [128.0, 2.5, 7.0, 3.0, -4.0]
        );
        assert_eq!(maybe(128), Some(128.0));
        assert_eq!(maybe(0.5_f32), Some(0.5));
        assert_eq!(maybe(None), None);
        assert_eq!(maybe(Some(1.5)), Some(1.5));
    }

    // The interface and class shapes generated code produces, in miniature.
    trait Shape {
        fn sides(&self) -> u32;
    }
    struct Square;
    impl Shape for Square {
        fn sides(&self) -> u32 {
            4
        }
    }
    impl<'x, U: Shape + 'x> Upcast<U> for dyn Shape + 'x {
        fn upcast(u: &U) -> &(dyn Shape + 'x) {
            u
        }
    }
    impl<'x> Upcast<dyn Shape + 'x> for dyn Shape + 'x {
        fn upcast<'r>(u: &'r (dyn Shape + 'x)) -> &'r (dyn Shape + 'x) {
            u
        }
    }

    #[test]
    fn optional_interfaces_accept_any_implementor_a_trait_object_and_none() {
        fn take<'a>(v: impl OptionalArg<'a, dyn Shape + 'a>) -> Option<u32> {
            v.into_arg().map(Shape::sides)
        }
        let square = Square;
        let object: &dyn Shape = &square;
        assert_eq!(take(&square), Some(4));
        assert_eq!(take(object), Some(4));
        assert_eq!(take(None), None);
    }
}
