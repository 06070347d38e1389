//! Subclasses written in Rust (`new_with_overrides`): derived classes without overrides, protected
//! members overridden, overrides that call `super`, private JavaScript members that must stay
//! out of reach, abstract members implemented in Rust.

use crate::harness::{CaseResult, check, equal};
use jsii_calc::{
    AbstractSuite, Add, AllTypes, DataRenderer, DoNotOverridePrivates, Multiply,
    OverridableProtectedMember,
};
use jsii_runtime::{Any, Downcast, JsiiObject, ObjRef, Overrides};
use scope_jsii_calc_lib::{MyFirstStruct, Number};
use std::cell::RefCell;
use std::ops::Deref;
use std::rc::Rc;

/// `class DerivedFromAllTypes extends AllTypes {}`: a subclass that overrides nothing.
struct DerivedFromAllTypes(AllTypes);

impl DerivedFromAllTypes {
    fn new() -> jsii_runtime::Result<Self> {
        AllTypes::new_with_overrides(Overrides::new()).map(Self)
    }
}

impl Deref for DerivedFromAllTypes {
    type Target = AllTypes;
    fn deref(&self) -> &AllTypes {
        &self.0
    }
}

pub fn fluent_api_with_derived_classes() -> CaseResult {
    let obj = DerivedFromAllTypes::new()?;
    obj.set_string_property("Hello")?;
    obj.set_number_property(12)?;
    equal(obj.string_property()?.as_str(), "Hello", "stringProperty")?;
    equal(obj.number_property()?, 12.0, "numberProperty")
}

/// A Rust subclass of DoNotOverridePrivates naming the class's private members. They have no
/// typed constants (they are not part of the API), so the only way to name them is the untyped
/// by-name form; the kernel must leave JavaScript's private members alone all the same.
pub fn do_not_override_privates_property_getter_public() -> CaseResult {
    let obj = DoNotOverridePrivates::new_with_overrides(Overrides::new().getter(
        "privateProperty",
        |_this: &ObjRef| -> jsii_runtime::Result<String> {
            Ok("privateProperty-Override".to_owned())
        },
    ))?;
    equal(
        obj.private_property_value()?.as_str(),
        "privateProperty",
        "privatePropertyValue()",
    )?;
    // JavaScript's own setter is the one that runs.
    obj.change_private_property_value("MyNewValue")?;
    equal(
        obj.private_property_value()?.as_str(),
        "MyNewValue",
        "privatePropertyValue() after changePrivatePropertyValue()",
    )
}

pub fn can_override_protected_getter() -> CaseResult {
    let overridden = OverridableProtectedMember::new_with_overrides(
        Overrides::new()
            .override_getter(OverridableProtectedMember::OVERRIDE_READ_ONLY, |_this| {
                Ok("Cthulhu ".to_owned())
            })
            .override_getter(OverridableProtectedMember::OVERRIDE_READ_WRITE, |_this| {
                Ok("Fhtagn!".to_owned())
            }),
    )?;
    equal(
        overridden.value_from_protected()?.as_str(),
        "Cthulhu Fhtagn!",
        "valueFromProtected()",
    )
}

/// `class AddTen extends Add`, built from `value + 10`.
struct AddTen(Add);

impl AddTen {
    fn new(value: f64) -> jsii_runtime::Result<Self> {
        let (lhs, rhs) = (Number::new(value)?, Number::new(10)?);
        Add::new_with_overrides(&lhs, &rhs, Overrides::new()).map(Self)
    }
}

impl Deref for AddTen {
    type Target = Add;
    fn deref(&self) -> &Add {
        &self.0
    }
}

/// `class MulTen extends Multiply`, built from `value * 10`.
struct MulTen(Multiply);

impl MulTen {
    fn new(value: f64) -> jsii_runtime::Result<Self> {
        let (lhs, rhs) = (Number::new(value)?, Number::new(10)?);
        Multiply::new_with_overrides(&lhs, &rhs, Overrides::new()).map(Self)
    }
}

impl Deref for MulTen {
    type Target = Multiply;
    fn deref(&self) -> &Multiply {
        &self.0
    }
}

pub fn creation_of_native_objects_from_javascript_objects() -> CaseResult {
    let types = AllTypes::new()?;

    // A JavaScript object comes back, without type information, as what it is.
    let js_obj = Number::new(44)?;
    types.set_any_property(&js_obj)?;
    let back = types.any_property()?;
    let obj = back
        .as_object()
        .ok_or("the Number did not come back as an object")?;
    equal(
        obj.class_fqn(),
        "@scope/jsii-calc-lib.Number",
        "class of the object read back",
    )?;
    check(
        obj.downcast::<Number>().as_ref() == Some(&js_obj),
        "not the same Number",
    )?;

    // A Rust subclass comes back as the very object created (its Rust members included).
    let native_obj = AddTen::new(10.0)?;
    types.set_any_property(&*native_obj)?;
    let back = types.any_property()?;
    check(
        back.as_object() == Some(native_obj.obj_ref()),
        format!("anyProperty = {back:?} is not the AddTen set"),
    )?;

    let native_obj2 = MulTen::new(20.0)?;
    types.set_any_property(&*native_obj2)?;
    let back = types.any_property()?;
    let obj = back
        .as_object()
        .ok_or("the MulTen did not come back as an object")?;
    check(
        obj == native_obj2.obj_ref(),
        "anyProperty is not the MulTen set",
    )?;
    let multiply = obj
        .downcast::<Multiply>()
        .ok_or("the MulTen read back is not a Multiply")?;
    equal(multiply.value()?, 200.0, "value of the MulTen read back")
}

pub fn callbacks_correctly_deserialize_arguments() -> CaseResult {
    let renderer = DataRenderer::new_with_overrides(Overrides::new().override_method(
        DataRenderer::RENDER_MAP,
        |this, (mut map,)| {
            // Proves the override runs: JavaScript renders what Rust changed.
            map.insert("custom".to_owned(), Any::from("value"));
            DataRenderer::RENDER_MAP.call_super(this, (map,))
        },
    ))?;
    equal(
        renderer
            .render(MyFirstStruct::builder().anumber(50).astring("50").build())?
            .as_str(),
        "{\n  \"anumber\": 50,\n  \"astring\": \"50\",\n  \"custom\": \"value\"\n}",
        "render(struct)",
    )?;
    // The default argument JavaScript fills in (the Python and Java case).
    equal(
        renderer.render(None)?.as_str(),
        "{\n  \"anumber\": 42,\n  \"astring\": \"bazinga!\",\n  \"custom\": \"value\"\n}",
        "render()",
    )
}

/// A private JavaScript method named by a Rust subclass (by name, the only way it can be named)
/// is not overridden.
pub fn do_not_override_privates_method_private() -> CaseResult {
    let obj = DoNotOverridePrivates::new_with_overrides(Overrides::new().method(
        "privateMethod",
        |_this: &ObjRef, (): ()| -> jsii_runtime::Result<String> {
            Ok("privateMethod-Override".to_owned())
        },
    ))?;
    equal(
        obj.private_method_value()?.as_str(),
        "privateMethod",
        "privateMethodValue()",
    )
}

pub fn can_override_protected_method() -> CaseResult {
    let challenge = "Cthulhu Fhtagn!";
    let overridden = OverridableProtectedMember::new_with_overrides(
        Overrides::new()
            .override_method(OverridableProtectedMember::OVERRIDE_ME, move |_this, ()| {
                Ok(challenge.to_owned())
            }),
    )?;
    equal(
        overridden.value_from_protected()?.as_str(),
        challenge,
        "valueFromProtected()",
    )
}

pub fn abstract_members_are_correctly_handled() -> CaseResult {
    // `property` is an abstract protected property, read and written by `workItAll`.
    let property = Rc::new(RefCell::new(String::new()));
    let (read, written) = (property.clone(), property);
    let suite = AbstractSuite::new_with_overrides(
        Overrides::new()
            .override_method(AbstractSuite::SOME_METHOD, |_this, (s,)| {
                Ok(format!("Wrapped<{s}>"))
            })
            .override_getter(AbstractSuite::PROPERTY, move |_this| {
                Ok(read.borrow().clone())
            })
            .override_setter(AbstractSuite::SET_PROPERTY, move |_this, value: String| {
                *written.borrow_mut() = format!("String<{value}>");
                Ok(())
            }),
    )?;
    equal(
        suite.work_it_all("Oomf!")?,
        "Wrapped<String<Oomf!>>".to_owned(),
        "workItAll()",
    )
}

pub fn can_override_protected_setter() -> CaseResult {
    // `switchModes` assigns 'zaar...' to the protected `overrideReadWrite`, through the Rust
    // setter, which writes the JavaScript property with a prefix.
    let overridden =
        OverridableProtectedMember::new_with_overrides(Overrides::new().override_setter(
            OverridableProtectedMember::SET_OVERRIDE_READ_WRITE,
            |this, value: String| {
                OverridableProtectedMember::SET_OVERRIDE_READ_WRITE
                    .set_super(this, format!("zzzzzzzzz{value}"))
            },
        ))?;
    overridden.switch_modes()?;
    equal(
        overridden.value_from_protected()?,
        "Bazzzzzzzzzzzaar...".to_owned(),
        "valueFromProtected()",
    )
}
