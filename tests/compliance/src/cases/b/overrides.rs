//! Classes subclassed in Rust (`new_with_overrides`): synchronous method and property overrides
//! called back by JavaScript, `super` calls, failing overrides, private members that must not be
//! overridden, abstract classes implemented in Rust, and `this` passed out by a constructor.

use super::async_overrides::OverrideAsyncMethods;
use crate::harness::{CaseResult, check, equal, js_error};
use jsii_calc::cdk16625::Cdk16625;
use jsii_calc::{
    AllTypesEnum, ConstructorPassesThisOut, DoNotOverridePrivates, Entropy, IWallClockImpl,
    IWallClockProxy, PartiallyInitializedThisConsumer, SyncVirtualMethods,
};
use jsii_runtime::{Date, Error, ObjRef, Overrides};
use std::cell::{Cell, RefCell};
use std::ops::Deref;
use std::rc::Rc;

/// What the Rust side of [`SyncOverrides`] reads and writes; the tests change it between calls.
struct SyncOverridesState {
    multiplier: Cell<f64>,
    return_super: Cell<bool>,
    call_async: Cell<bool>,
    /// Written by the override of `theProperty`'s setter.
    another_the_property: RefCell<Option<String>>,
}

/// The other ports' `SyncOverrides`: a `SyncVirtualMethods` whose `virtualMethod` and
/// `theProperty` run in Rust. `virtualMethod(n)` is `5 * n * multiplier`, or JavaScript's
/// `n * 2` through `super` when `return_super` is set, or an async call (which the kernel refuses
/// during a synchronous callback) when `call_async` is set.
struct SyncOverrides {
    obj: SyncVirtualMethods,
    state: Rc<SyncOverridesState>,
}

impl SyncOverrides {
    fn new() -> jsii_runtime::Result<SyncOverrides> {
        let state = Rc::new(SyncOverridesState {
            multiplier: Cell::new(1.0),
            return_super: Cell::new(false),
            call_async: Cell::new(false),
            another_the_property: RefCell::new(None),
        });
        let (s, set) = (state.clone(), state.clone());
        let obj = SyncVirtualMethods::new_with_overrides(
            Overrides::new()
                .override_method(SyncVirtualMethods::VIRTUAL_METHOD, move |this, (n,)| {
                    if s.return_super.get() {
                        return SyncVirtualMethods::VIRTUAL_METHOD.call_super(this, (n,));
                    }
                    if s.call_async.get() {
                        return OverrideAsyncMethods::new()?.call_me();
                    }
                    Ok(5.0 * n * s.multiplier.get())
                })
                .override_getter(SyncVirtualMethods::THE_PROPERTY, |_this| {
                    Ok("I am an override!".to_owned())
                })
                .override_setter(SyncVirtualMethods::SET_THE_PROPERTY, move |_this, value| {
                    *set.another_the_property.borrow_mut() = Some(value);
                    Ok(())
                }),
        )?;
        Ok(SyncOverrides { obj, state })
    }
}

impl Deref for SyncOverrides {
    type Target = SyncVirtualMethods;
    fn deref(&self) -> &SyncVirtualMethods {
        &self.obj
    }
}

pub fn sync_overrides() -> CaseResult {
    let obj = SyncOverrides::new()?;
    equal(obj.caller_is_method()?, 50.0, "callerIsMethod()")?;
    obj.state.multiplier.set(5.0);
    equal(
        obj.caller_is_method()?,
        250.0,
        "callerIsMethod() with multiplier 5",
    )?;
    // JavaScript's getter calls the Rust override too.
    equal(obj.caller_is_property()?, 250.0, "callerIsProperty")?;
    // And so does an async method, synchronously (Python's case).
    obj.state.multiplier.set(3.0);
    equal(
        obj.caller_is_async()?,
        150.0,
        "callerIsAsync() with multiplier 3",
    )
}

pub fn sync_overrides_call_super() -> CaseResult {
    let obj = SyncOverrides::new()?;
    equal(obj.caller_is_property()?, 50.0, "callerIsProperty")?;
    obj.state.return_super.set(true);
    equal(
        obj.caller_is_property()?,
        20.0,
        "callerIsProperty with the override calling super",
    )
}

/// The error a call fails with when the override of `virtualMethod` calls an async method: the
/// kernel does not start one while it waits for a synchronous callback.
fn expect_double_async_failure<T: std::fmt::Debug>(result: jsii_runtime::Result<T>) -> CaseResult {
    let (_, message) = js_error(result)?;
    check(
        message.contains("Cannot invoke async method"),
        format!("the kernel refuses the async call in the sync callback, got {message:?}"),
    )
}

pub fn sync_override_calling_async_fails_in_method() -> CaseResult {
    let obj = SyncOverrides::new()?;
    obj.state.call_async.set(true);
    expect_double_async_failure(obj.caller_is_method())
}

pub fn sync_override_calling_async_fails_in_property_getter() -> CaseResult {
    let obj = SyncOverrides::new()?;
    obj.state.call_async.set(true);
    expect_double_async_failure(obj.caller_is_property())
}

pub fn sync_override_calling_async_fails_in_property_setter() -> CaseResult {
    let obj = SyncOverrides::new()?;
    obj.state.call_async.set(true);
    // JavaScript's setter of `callerIsProperty` calls `this.virtualMethod(12)`.
    expect_double_async_failure(obj.set_caller_is_property(12))
}

pub fn property_get_set() -> CaseResult {
    let obj = SyncOverrides::new()?;
    equal(
        obj.retrieve_value_of_the_property()?,
        "I am an override!".to_owned(),
        "retrieveValueOfTheProperty() reads the Rust getter",
    )?;
    obj.modify_value_of_the_property("New Value")?;
    equal(
        obj.state.another_the_property.borrow().as_deref(),
        Some("New Value"),
        "the value JavaScript's modifyValueOfTheProperty() gave the Rust setter of theProperty",
    )
}

pub fn property_get_calls_super() -> CaseResult {
    let obj = SyncVirtualMethods::new_with_overrides(Overrides::new().override_getter(
        SyncVirtualMethods::THE_PROPERTY,
        |this| {
            let original = SyncVirtualMethods::THE_PROPERTY.get_super(this)?;
            Ok(format!("super:{original}"))
        },
    ))?;
    equal(
        obj.retrieve_value_of_the_property()?,
        "super:initial value".to_owned(),
        "retrieveValueOfTheProperty()",
    )?;
    equal(
        obj.the_property()?,
        "super:initial value".to_owned(),
        "theProperty read from Rust",
    )
}

pub fn property_set_calls_super() -> CaseResult {
    let obj = SyncVirtualMethods::new_with_overrides(Overrides::new().override_setter(
        SyncVirtualMethods::SET_THE_PROPERTY,
        |this, value: String| {
            SyncVirtualMethods::SET_THE_PROPERTY.set_super(this, format!("{value}:by override"))
        },
    ))?;
    obj.modify_value_of_the_property("New Value")?;
    equal(
        obj.the_property()?,
        "New Value:by override".to_owned(),
        "theProperty after JavaScript set it through the Rust setter, which calls super",
    )
}

pub fn property_get_throws() -> CaseResult {
    let obj = SyncVirtualMethods::new_with_overrides(Overrides::new().override_getter(
        SyncVirtualMethods::THE_PROPERTY,
        |_this| -> jsii_runtime::Result<String> { Err(Error::msg("Oh no, this is bad")) },
    ))?;
    let (_, message) = js_error(obj.retrieve_value_of_the_property())?;
    check(
        message.contains("Oh no, this is bad"),
        format!("the getter's error reaches the caller, got {message:?}"),
    )
}

pub fn property_set_throws() -> CaseResult {
    let obj = SyncVirtualMethods::new_with_overrides(Overrides::new().override_setter(
        SyncVirtualMethods::SET_THE_PROPERTY,
        |_this, _value: String| Err(Error::msg("Exception from overloaded setter")),
    ))?;
    let outcome = obj.modify_value_of_the_property("Hii");
    check(
        outcome.is_err(),
        "modifyValueOfTheProperty() fails with the Rust setter's error",
    )?;
    let (_, message) = js_error(outcome)?;
    check(
        message.contains("Exception from overloaded setter"),
        format!("the setter's error reaches the caller, got {message:?}"),
    )
}

// `DoNotOverridePrivates` has a private method `privateMethod` and a private property
// `privateProperty`. The typed API has no member constants for them; the by-name form of
// `Overrides` can name them, and the kernel must ignore such overrides. A Rust method that is
// not registered in `Overrides` (the ports' "private" members) is never called by JavaScript.

pub fn do_not_override_private_method() -> CaseResult {
    let obj = DoNotOverridePrivates::new_with_overrides(Overrides::new().method(
        "privateMethod",
        |_this: &ObjRef, (): ()| -> jsii_runtime::Result<String> {
            Ok("privateMethod-Override".to_owned())
        },
    ))?;
    equal(
        obj.private_method_value()?,
        "privateMethod".to_owned(),
        "privateMethodValue()",
    )
}

pub fn do_not_override_private_property_by_public_name() -> CaseResult {
    // A method named after the private property.
    let obj = DoNotOverridePrivates::new_with_overrides(Overrides::new().method(
        "privateProperty",
        |_this: &ObjRef, (): ()| -> jsii_runtime::Result<String> {
            Ok("privateProperty-Override".to_owned())
        },
    ))?;
    equal(
        obj.private_property_value()?,
        "privateProperty".to_owned(),
        "privatePropertyValue()",
    )
}

/// A Rust subclass of `DoNotOverridePrivates` with a member of its own named like the private
/// property, registered nowhere.
struct WithOwnPrivateProperty(DoNotOverridePrivates);

impl WithOwnPrivateProperty {
    fn new() -> jsii_runtime::Result<WithOwnPrivateProperty> {
        DoNotOverridePrivates::new_with_overrides(Overrides::new()).map(WithOwnPrivateProperty)
    }

    fn private_property(&self) -> &'static str {
        "privateProperty-Override"
    }
}

pub fn do_not_override_private_property_by_name() -> CaseResult {
    let obj = WithOwnPrivateProperty::new()?;
    equal(
        obj.0.private_property_value()?,
        "privateProperty".to_owned(),
        "privatePropertyValue()",
    )?;
    check(
        obj.private_property() == "privateProperty-Override",
        "the Rust member stays callable from Rust",
    )
}

pub fn do_not_override_private_property_getter() -> CaseResult {
    // A getter override of the private property. (Java's and Python's cases also override its
    // setter, with one that throws; `Overrides` has no setter override, by name or typed.)
    let obj = DoNotOverridePrivates::new_with_overrides(Overrides::new().getter(
        "privateProperty",
        |_this: &ObjRef| -> jsii_runtime::Result<String> {
            Ok("privateProperty-Override".to_owned())
        },
    ))?;
    equal(
        obj.private_property_value()?,
        "privateProperty".to_owned(),
        "privatePropertyValue()",
    )?;
    // JavaScript writes the property itself, with no Rust setter in the way.
    obj.change_private_property_value("MyNewValue")?;
    equal(
        obj.private_property_value()?,
        "MyNewValue".to_owned(),
        "privatePropertyValue() after changePrivatePropertyValue()",
    )
}

pub fn object_id_kept_when_the_constructor_passes_this_out() -> CaseResult {
    let seen: Rc<RefCell<Option<ConstructorPassesThisOut>>> = Rc::new(RefCell::new(None));
    let record = seen.clone();
    let consumer =
        PartiallyInitializedThisConsumer::new_with_overrides(Overrides::new().override_method(
            PartiallyInitializedThisConsumer::CONSUME_PARTIALLY_INITIALIZED_THIS,
            move |_this, (obj, dt, ev)| {
                if dt != Date::from_millis(0) {
                    return Err(Error::msg(format!("dt: got {dt:?}, want the epoch")));
                }
                if ev != AllTypesEnum::ThisIsGreat {
                    return Err(Error::msg(format!("ev: got {ev:?}, want ThisIsGreat")));
                }
                *record.borrow_mut() = Some(obj);
                Ok("OK".to_owned())
            },
        ))?;
    // The constructor passes `this` to the Rust override before it returns.
    let created = ConstructorPassesThisOut::new(&consumer)?;
    equal(
        seen.borrow().as_ref(),
        Some(&created),
        "the object the constructor passed out is the object created",
    )
}

/// A clock that always tells the same ISO-8601 string.
struct WallClock {
    now: String,
}

impl IWallClockImpl for WallClock {
    fn iso8601_now(&self) -> jsii_runtime::Result<String> {
        Ok(self.now.clone())
    }
}

pub fn iso8601_does_not_deserialize_to_date() -> CaseResult {
    let now = Date::now().to_iso_string();
    let clock = IWallClockProxy::implement(WallClock { now: now.clone() })?;
    let entropy = Entropy::new_with_overrides(
        &clock,
        Overrides::new().override_method(Entropy::REPEAT, |_this, (word,)| Ok(word)),
    )?;
    // JavaScript checks that both callbacks gave it strings, not dates.
    equal(entropy.increase()?, now, "increase()")
}

pub fn class_usable_when_not_expressly_loaded() -> CaseResult {
    let calls = Rc::new(Cell::new(0));
    let counted = calls.clone();
    // `unwrap` receives an object of a class from the `donotimport` submodule, which this
    // program never names.
    let subject = Cdk16625::new_with_overrides(Overrides::new().override_method(
        Cdk16625::UNWRAP,
        move |_this, (generator,)| {
            counted.set(counted.get() + 1);
            generator.next()
        },
    ))?;
    subject.test()?;
    equal(calls.get(), 1, "calls of the Rust unwrap")
}
