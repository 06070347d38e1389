//! Overriding members of a jsii class in Rust: the `new_with_overrides` constructors of
//! generated classes take an [`Overrides`], built from the typed member constants the generated
//! classes declare ([`Method`], [`Getter`]) or, untyped, from jsii member names.

use crate::api::Override;
use crate::error::{Error, Result};
use crate::objects::{HostObject, ObjRef};
use crate::packages::Package;
use crate::value::{FromWire, JsiiObject, JsiiType, ToWire};
use serde_json::Value;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::rc::Rc;

type MethodFn = Box<dyn Fn(&ObjRef, Vec<Value>) -> Result<Value>>;
type GetterFn = Box<dyn Fn(&ObjRef) -> Result<Value>>;
type SetterFn = Box<dyn Fn(&ObjRef, Value) -> Result<()>>;

/// An instance method of class `C` that Rust code may override: its jsii name, its arguments as
/// the tuple `A` (owned forms, `Option` for optional ones) and its result `R`. Generated classes
/// declare one per overridable method, named after the method in capitals (`Product::DESCRIBE`
/// for `describe`), on the class that declares the method. Async and variadic methods have none;
/// [`Overrides::method`] reaches them by name.
pub struct Method<C, A, R> {
    jsii_name: &'static str,
    is_async: bool,
    signature: PhantomData<fn(&C, A) -> R>,
}

impl<C, A, R> Method<C, A, R> {
    /// The method `jsii_name` of `C`. Generated code declares these; the types must match the
    /// jsii signature, or decoding the arguments fails when JavaScript calls the override.
    pub const fn new(jsii_name: &'static str) -> Self {
        Method {
            jsii_name,
            is_async: false,
            signature: PhantomData,
        }
    }

    /// The method `jsii_name` of `C`, which returns a promise: its `super` call waits for it
    /// (the kernel's `begin`/`end`).
    pub const fn new_async(jsii_name: &'static str) -> Self {
        Method {
            jsii_name,
            is_async: true,
            signature: PhantomData,
        }
    }

    /// The method's jsii name.
    pub const fn jsii_name(&self) -> &'static str {
        self.jsii_name
    }
}

impl<C: JsiiObject, A: ToArgs, R: FromWire> Method<C, A, R> {
    /// Calls the JavaScript implementation of the method on `this`, past any Rust override:
    /// what `super.method(...)` is in a TypeScript subclass.
    pub fn call_super(&self, this: &C, args: A) -> Result<R> {
        if self.is_async {
            crate::calls::invoke_async_super(this.obj_ref(), self.jsii_name, args.to_args())
        } else {
            crate::calls::invoke_super(this.obj_ref(), self.jsii_name, args.to_args())
        }
    }
}

impl<C, A, R> Clone for Method<C, A, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C, A, R> Copy for Method<C, A, R> {}
impl<C, A, R> std::fmt::Debug for Method<C, A, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Method({})", self.jsii_name)
    }
}

/// The getter of an instance property of class `C` with type `R`, for
/// [`Overrides::override_getter`]. Generated classes declare one per instance property, named
/// after it in capitals (`Product::NAME` for `name`).
pub struct Getter<C, R> {
    jsii_name: &'static str,
    signature: PhantomData<fn(&C) -> R>,
}

impl<C, R> Getter<C, R> {
    /// The getter of property `jsii_name` of `C`.
    pub const fn new(jsii_name: &'static str) -> Self {
        Getter {
            jsii_name,
            signature: PhantomData,
        }
    }

    /// The property's jsii name.
    pub const fn jsii_name(&self) -> &'static str {
        self.jsii_name
    }
}

impl<C: JsiiObject, R: FromWire> Getter<C, R> {
    /// Reads the property through its JavaScript getter, past any Rust override.
    pub fn get_super(&self, this: &C) -> Result<R> {
        crate::calls::get_super(this.obj_ref(), self.jsii_name)
    }
}

impl<C, R> Clone for Getter<C, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C, R> Copy for Getter<C, R> {}
impl<C, R> std::fmt::Debug for Getter<C, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Getter({})", self.jsii_name)
    }
}

/// The setter of a writable instance property of class `C` with type `V`, for
/// [`Overrides::override_setter`]. Generated classes declare one per writable instance property,
/// named after it in capitals with a `SET_` prefix (`Product::SET_NAME` for `name`).
pub struct Setter<C, V> {
    jsii_name: &'static str,
    signature: PhantomData<fn(&C, V)>,
}

impl<C, V> Setter<C, V> {
    /// The setter of property `jsii_name` of `C`.
    pub const fn new(jsii_name: &'static str) -> Self {
        Setter {
            jsii_name,
            signature: PhantomData,
        }
    }

    /// The property's jsii name.
    pub const fn jsii_name(&self) -> &'static str {
        self.jsii_name
    }
}

impl<C: JsiiObject, V: ToWire> Setter<C, V> {
    /// Writes the property through its JavaScript setter, past any Rust override.
    pub fn set_super(&self, this: &C, value: V) -> Result<()> {
        crate::calls::set_super(this.obj_ref(), self.jsii_name, value.to_wire())
    }
}

impl<C, V> Clone for Setter<C, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C, V> Copy for Setter<C, V> {}
impl<C, V> std::fmt::Debug for Setter<C, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Setter({})", self.jsii_name)
    }
}

/// Members of a class `T` implemented in Rust. JavaScript calls to them (from the class's own
/// code, or from anywhere else) run the closures; Rust calls through the generated methods do
/// too. Inside a closure, [`Method::call_super`] (or, untyped, [`crate::calls::invoke_super`])
/// reaches the JavaScript original.
///
/// The typed form takes the member constants of the generated classes: the compiler checks the
/// closure's argument and result types, and that the member belongs to `T` or one of its base
/// classes (`T: AsRef<C>`). The closure receives the object as the declaring class `C`.
///
/// ```no_run
/// # use jsii_runtime::{JsiiObject, Method, ObjRef, Overrides, Result};
/// # #[derive(Clone, PartialEq, Eq, Hash)] pub struct Product(ObjRef);
/// # jsii_runtime::class_impls!(Product => "lib.Product");
/// # impl Product {
/// #     pub const DESCRIBE: Method<Self, (), String> = Method::new("describe");
/// #     pub fn name(&self) -> Result<String> { jsii_runtime::rt::get(self.obj_ref(), "name") }
/// # }
/// // Generated: `impl Product { pub const DESCRIBE: Method<Self, (), String> = ... }`; a
/// // generated `Product::new_with_overrides(spec, overrides)` takes the result.
/// let overrides: Overrides<Product> =
///     Overrides::new().override_method(Product::DESCRIBE, |this, ()| {
///         Ok(format!("{} in Rust", this.name()?))
///     });
/// # let _ = overrides;
/// ```
///
/// A member of a base class is overridden through the base's constant; a member of an unrelated
/// class does not compile:
///
/// ```
/// # use jsii_runtime::{Method, ObjRef, Overrides};
/// # #[derive(Clone, PartialEq, Eq, Hash)] pub struct Base(ObjRef);
/// # jsii_runtime::class_impls!(Base => "lib.Base");
/// # #[derive(Clone, PartialEq, Eq, Hash)] pub struct Derived(Base);
/// # jsii_runtime::class_impls!(Derived: Base => "lib.Derived");
/// # jsii_runtime::upcasts!(Derived => Base);
/// const DESCRIBE: Method<Base, (), String> = Method::new("describe");
/// let overrides: Overrides<Derived> =
///     Overrides::new().override_method(DESCRIBE, |_this: &Base, ()| Ok("Rust".to_owned()));
/// # let _ = overrides;
/// ```
///
/// ```compile_fail,E0277
/// # use jsii_runtime::{Method, ObjRef, Overrides};
/// # #[derive(Clone, PartialEq, Eq, Hash)] pub struct Base(ObjRef);
/// # jsii_runtime::class_impls!(Base => "lib.Base");
/// # #[derive(Clone, PartialEq, Eq, Hash)] pub struct Other(ObjRef);
/// # jsii_runtime::class_impls!(Other => "lib.Other");
/// const DESCRIBE: Method<Base, (), String> = Method::new("describe");
/// let overrides: Overrides<Other> = // error: `Other: AsRef<Base>` is not satisfied
///     Overrides::new().override_method(DESCRIBE, |_this: &Base, ()| Ok("Rust".to_owned()));
/// ```
///
/// The untyped form names the member and declares the types in the closure:
///
/// ```no_run
/// # use jsii_runtime::{Overrides, ObjRef, Result};
/// let overrides = Overrides::<ObjRef>::new()
///     .method("describe", |_this: &ObjRef, (): ()| -> Result<String> { Ok("in Rust".into()) })
///     .method("allocateLogicalId", |this: &ObjRef, (element,): (ObjRef,)| -> Result<String> {
///         let original: String =
///             jsii_runtime::rt::invoke_super(this, "allocateLogicalId", vec![jsii_runtime::rt::arg(&element)])?;
///         Ok(format!("Rs{original}"))
///     });
/// # let _ = overrides;
/// ```
pub struct Overrides<T> {
    methods: BTreeMap<String, MethodFn>,
    getters: BTreeMap<String, GetterFn>,
    setters: BTreeMap<String, SetterFn>,
    interfaces: Vec<&'static str>,
    target: PhantomData<fn() -> T>,
}

impl<T> Default for Overrides<T> {
    fn default() -> Self {
        Overrides {
            methods: BTreeMap::new(),
            getters: BTreeMap::new(),
            setters: BTreeMap::new(),
            interfaces: Vec::new(),
            target: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Overrides<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Overrides")
            .field("methods", &self.methods.keys().collect::<Vec<_>>())
            .field("getters", &self.getters.keys().collect::<Vec<_>>())
            .field("setters", &self.setters.keys().collect::<Vec<_>>())
            .field("interfaces", &self.interfaces)
            .finish()
    }
}

impl<T> Overrides<T> {
    /// No overrides yet.
    pub fn new() -> Self {
        Overrides::default()
    }

    /// Overrides `member`, a method of `T` or of one of its base classes, with `f`. JavaScript
    /// callers' arguments arrive decoded as the method's argument tuple; `this` is the object as
    /// the class that declares the method.
    pub fn override_method<C, A, R, F>(self, member: Method<C, A, R>, f: F) -> Self
    where
        T: AsRef<C>,
        C: JsiiType + 'static,
        A: FromArgs,
        R: ToWire,
        F: Fn(&C, A) -> Result<R> + 'static,
    {
        self.method(member.jsii_name, move |this: &ObjRef, args: A| {
            f(&C::from_obj_ref(this.clone()), args)
        })
    }

    /// Overrides the getter of `member`, a property of `T` or of one of its base classes.
    pub fn override_getter<C, R, F>(self, member: Getter<C, R>, f: F) -> Self
    where
        T: AsRef<C>,
        C: JsiiType + 'static,
        R: ToWire,
        F: Fn(&C) -> Result<R> + 'static,
    {
        self.getter(member.jsii_name, move |this: &ObjRef| {
            f(&C::from_obj_ref(this.clone()))
        })
    }

    /// Implements the setter of a writable property: JavaScript's writes to it (and Rust's,
    /// through the generated setter) run `f`. Inside, [`Setter::set_super`] writes the
    /// JavaScript property. Reads keep going to JavaScript unless the getter is overridden too.
    pub fn override_setter<C, V, F>(self, member: Setter<C, V>, f: F) -> Self
    where
        T: AsRef<C>,
        C: JsiiType + 'static,
        V: FromWire,
        F: Fn(&C, V) -> Result<()> + 'static,
    {
        self.setter(member.jsii_name, move |this: &ObjRef, value: V| {
            f(&C::from_obj_ref(this.clone()), value)
        })
    }

    /// Declares that the object also implements interface `I` (a generated interface proxy),
    /// as a subclass in TypeScript can: the kernel then reports it, so checked downcasts to `I`
    /// succeed and JavaScript accepts the object where `I` is expected. Implement the
    /// interface's members with [`Overrides::method`] and [`Overrides::getter`].
    pub fn implement<I: JsiiType>(mut self) -> Self {
        if !self.interfaces.contains(&I::FQN) {
            self.interfaces.push(I::FQN);
        }
        self
    }

    /// Overrides method `jsii_name`, unchecked. Arguments arrive decoded as the tuple `A` (use
    /// `()` for none, `(x,)` for one); the result is sent back with [`ToWire`].
    pub fn method<A, R, F>(mut self, jsii_name: &str, f: F) -> Self
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

    /// Overrides the getter of property `jsii_name`, unchecked.
    pub fn getter<R, F>(mut self, jsii_name: &str, f: F) -> Self
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

    /// Overrides the setter of property `jsii_name`, untyped: `f` receives the object's handle
    /// and the decoded value.
    pub fn setter<V, F>(mut self, jsii_name: &str, f: F) -> Self
    where
        V: FromWire,
        F: Fn(&ObjRef, V) -> Result<()> + 'static,
    {
        self.setters.insert(
            jsii_name.to_owned(),
            Box::new(move |this, value| f(this, V::from_wire(value)?)),
        );
        self
    }

    /// The `overrides` list for `create`.
    pub(crate) fn wire_list(&self) -> Vec<Override> {
        let methods = self.methods.keys().map(|m| Override::Method {
            method: m.clone(),
            cookie: None,
        });
        // A property is overridden as a whole: the kernel then sends both its reads and its
        // writes here, and the missing half goes back to JavaScript.
        let properties: std::collections::BTreeSet<&String> =
            self.getters.keys().chain(self.setters.keys()).collect();
        let properties = properties.into_iter().map(|p| Override::Property {
            property: p.clone(),
            cookie: None,
        });
        methods.chain(properties).collect()
    }

    /// The interfaces declared with [`Overrides::implement`].
    pub(crate) fn interfaces(&self) -> &[&'static str] {
        &self.interfaces
    }
}

impl<T: 'static> HostObject for Overrides<T> {
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
            None => crate::calls::get_super(this, property),
        }
    }

    fn set(&self, this: &ObjRef, property: &str, value: Value) -> Result<()> {
        match self.setters.get(property) {
            Some(f) => f(this, value),
            None => crate::calls::set_super(this, property, value),
        }
    }
}

/// `new fqn(...args)` with the members in `overrides` implemented in Rust: what a generated
/// `new_with_overrides` calls.
pub fn create_overridden<T: 'static>(
    package: &'static Package,
    fqn: &str,
    args: impl Into<Vec<Value>>,
    overrides: Overrides<T>,
) -> Result<ObjRef> {
    let list = overrides.wire_list();
    let interfaces = overrides.interfaces().to_vec();
    crate::calls::create_host(
        package,
        fqn,
        crate::calls::trim_args(args.into()),
        &interfaces,
        list,
        Rc::new(overrides),
    )
}

/// The most arguments [`FromArgs`] decodes into a tuple: the arity of the longest typed
/// [`Method`] constant generated code may declare.
pub const MAX_OVERRIDE_ARGS: usize = 8;

/// Decodes a callback's argument list into a tuple.
pub trait FromArgs: Sized {
    /// Decodes `args` (missing trailing arguments read as `null`).
    fn from_args(args: Vec<Value>) -> Result<Self>;
}

/// Encodes a tuple of arguments for a call.
pub trait ToArgs {
    /// The wire arguments, in order.
    fn to_args(&self) -> Vec<Value>;
}

/// `ToArgs` and `FromArgs` for one tuple arity.
macro_rules! tuple_args {
    ($($t:ident),*) => {
        impl<$($t: ToWire),*> ToArgs for ($($t,)*) {
            #[allow(non_snake_case)]
            fn to_args(&self) -> Vec<Value> {
                let ($($t,)*) = self;
                vec![$($t.to_wire()),*]
            }
        }
        impl<$($t: FromWire),*> FromArgs for ($($t,)*) {
            #[allow(unused_variables, unused_mut, clippy::unused_unit)]
            fn from_args(args: Vec<Value>) -> Result<Self> {
                let mut it = args.into_iter();
                Ok(($($t::from_wire(it.next().unwrap_or(Value::Null))?,)*))
            }
        }
    };
}
tuple_args!();
tuple_args!(A);
tuple_args!(A, B);
tuple_args!(A, B, C);
tuple_args!(A, B, C, D);
tuple_args!(A, B, C, D, E);
tuple_args!(A, B, C, D, E, F);
tuple_args!(A, B, C, D, E, F, G);
tuple_args!(A, B, C, D, E, F, G, H);

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
    fn tuples_up_to_the_maximum_arity_decode() {
        fn decodes<A: FromArgs>() {}
        decodes::<(f64, f64, f64, f64, f64, f64, f64, f64)>();
        let args = vec![json!(1); MAX_OVERRIDE_ARGS];
        let t = <(f64, f64, f64, f64, f64, f64, f64, f64)>::from_args(args).expect("decodes");
        assert_eq!(t.7, 1.0);
        assert_eq!(t.to_args(), vec![json!(1); MAX_OVERRIDE_ARGS]);
        assert_eq!(
            ("a".to_owned(), None::<f64>).to_args(),
            vec![json!("a"), Value::Null]
        );
    }

    #[test]
    fn lists_methods_and_getters_as_overrides() {
        let o = Overrides::<ObjRef>::new()
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
