//! Overriding members of a jsii class in Rust: the `new_with_overrides` constructors of
//! generated classes take an [`Overrides`] listing members by jsii name.

use crate::error::{Error, Result};
use crate::value::{FromWire, ObjRef, ToWire};
use crate::{HostObject, Override};
use serde_json::Value;
use std::collections::BTreeMap;

type MethodFn = Box<dyn Fn(&ObjRef, Vec<Value>) -> Result<Value>>;
type GetterFn = Box<dyn Fn(&ObjRef) -> Result<Value>>;

/// Members of a class implemented in Rust. JavaScript calls to them (from the class's own code,
/// or from anywhere else) run the closures; Rust calls through the generated methods do too.
/// Inside a closure, [`crate::rt::invoke_super`] reaches the JavaScript original.
///
/// ```no_run
/// # use jsii_runtime::{Overrides, ObjRef, Result};
/// let overrides = Overrides::new()
///     .method("describe", |_this: &ObjRef, (): ()| -> Result<String> { Ok("in Rust".into()) })
///     .method("allocateLogicalId", |this: &ObjRef, (element,): (ObjRef,)| -> Result<String> {
///         let original: String =
///             jsii_runtime::rt::invoke_super(this, "allocateLogicalId", vec![jsii_runtime::rt::arg(&element)])?;
///         Ok(format!("Rs{original}"))
///     });
/// # let _ = overrides;
/// ```
#[derive(Default)]
pub struct Overrides {
    methods: BTreeMap<String, MethodFn>,
    getters: BTreeMap<String, GetterFn>,
}

impl std::fmt::Debug for Overrides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Overrides")
            .field("methods", &self.methods.keys().collect::<Vec<_>>())
            .field("getters", &self.getters.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Overrides {
    /// No overrides yet.
    pub fn new() -> Overrides {
        Overrides::default()
    }

    /// Overrides method `jsii_name`. Arguments arrive decoded as the tuple `A` (use `()` for
    /// none, `(x,)` for one); the result is sent back with [`ToWire`].
    pub fn method<A, R, F>(mut self, jsii_name: &str, f: F) -> Overrides
    where
        A: FromArgs,
        R: ToWire,
        F: Fn(&ObjRef, A) -> Result<R> + 'static,
    {
        self.methods.insert(
            jsii_name.to_owned(),
            Box::new(move |this, args| f(this, A::from_args(args)?).map(|r| r.to_wire())),
        );
        self
    }

    /// Overrides the getter of property `jsii_name`.
    pub fn getter<R, F>(mut self, jsii_name: &str, f: F) -> Overrides
    where
        R: ToWire,
        F: Fn(&ObjRef) -> Result<R> + 'static,
    {
        self.getters.insert(
            jsii_name.to_owned(),
            Box::new(move |this| f(this).map(|r| r.to_wire())),
        );
        self
    }

    /// The `overrides` list for `create`.
    pub(crate) fn wire_list(&self) -> Vec<Override> {
        let methods = self.methods.keys().map(|m| Override::Method {
            method: m.clone(),
            cookie: None,
        });
        let getters = self.getters.keys().map(|p| Override::Property {
            property: p.clone(),
            cookie: None,
        });
        methods.chain(getters).collect()
    }
}

impl HostObject for Overrides {
    fn invoke(&self, this: &ObjRef, method: &str, args: Vec<Value>) -> Result<Value> {
        match self.methods.get(method) {
            Some(f) => f(this, args),
            None => Err(Error::NoSuchCallback {
                objref: this.id().to_owned(),
                member: method.to_owned(),
            }),
        }
    }

    fn get(&self, this: &ObjRef, property: &str) -> Result<Value> {
        match self.getters.get(property) {
            Some(f) => f(this),
            None => crate::rt::get_super(this, property),
        }
    }

    fn set(&self, this: &ObjRef, property: &str, value: Value) -> Result<()> {
        crate::rt::set_super(this, property, value)
    }
}

/// Decodes a callback's argument list into a tuple.
pub trait FromArgs: Sized {
    /// Decodes `args` (missing trailing arguments read as `null`).
    fn from_args(args: Vec<Value>) -> Result<Self>;
}

macro_rules! tuple_from_args {
    ($($t:ident),*) => {
        impl<$($t: FromWire),*> FromArgs for ($($t,)*) {
            #[allow(unused_variables, unused_mut, clippy::unused_unit)]
            fn from_args(args: Vec<Value>) -> Result<Self> {
                let mut it = args.into_iter();
                Ok(($($t::from_wire(it.next().unwrap_or(Value::Null))?,)*))
            }
        }
    };
}
tuple_from_args!();
tuple_from_args!(A);
tuple_from_args!(A, B);
tuple_from_args!(A, B, C);
tuple_from_args!(A, B, C, D);
tuple_from_args!(A, B, C, D, E);
tuple_from_args!(A, B, C, D, E, F);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tuples_decode_in_order_and_pad_missing_with_null() {
        let (a, b): (String, Option<f64>) = FromArgs::from_args(vec![json!("x")]).expect("decodes");
        assert_eq!(a, "x");
        assert_eq!(b, None);
        assert!(<(f64,)>::from_args(vec![json!("no")]).is_err());
        <()>::from_args(vec![json!(1)]).expect("extra args are ignored");
    }

    #[test]
    fn lists_methods_and_getters_as_overrides() {
        let o = Overrides::new()
            .method("describe", |_: &ObjRef, (): ()| Ok("d".to_owned()))
            .getter("name", |_: &ObjRef| Ok("n".to_owned()));
        assert_eq!(
            o.wire_list(),
            vec![
                Override::Method {
                    method: "describe".into(),
                    cookie: None
                },
                Override::Property {
                    property: "name".into(),
                    cookie: None
                }
            ]
        );
        assert!(format!("{o:?}").contains("describe"));
    }
}
