//! Interfaces: implemented in Rust (`IFooProxy::implement`), added to a Rust subclass of a jsii
//! class, object literals returned by JavaScript, interface setters, and objects returned as the
//! most specific type the kernel knows.

use crate::harness::{CaseResult, check, equal};
use jsii_calc::submodule::child::OuterClass;
use jsii_calc::{
    AbstractClassReturner, AllTypes, Constructors, ConsumePureInterface, GreetingAugmenter,
    IFriendlyRandomGeneratorImpl, IFriendlyRandomGeneratorProxy, IInterfaceWithPropertiesImpl,
    IInterfaceWithPropertiesProxy, IRandomNumberGenerator, IRandomNumberGeneratorProxy,
    IStructReturningDelegate, IStructReturningDelegateImpl, IStructReturningDelegateProxy,
    InbetweenClass, JSObjectLiteralForInterface, NumberGenerator, ObjectWithPropertyProvider,
    StructB, UsesInterfaceWithProperties,
};
use jsii_runtime::{Downcast, JsiiObject, ObjRef, Overrides};
use scope_jsii_calc_lib::{IFriendly, IFriendlyProxy, Number};
use std::cell::{Cell, RefCell};

/// Not a jsii object at all: a Rust value that implements IFriendlyRandomGenerator.
struct PureNativeFriendlyRandom {
    next_number: Cell<f64>,
}

impl IFriendlyRandomGeneratorImpl for PureNativeFriendlyRandom {
    fn next(&self) -> jsii_runtime::Result<f64> {
        let n = self.next_number.get();
        self.next_number.set(n + 1000.0);
        Ok(n)
    }

    fn hello(&self) -> jsii_runtime::Result<String> {
        Ok("I am a native!".to_owned())
    }
}

/// `class SubclassNativeFriendlyRandom extends Number implements IFriendly,
/// IRandomNumberGenerator`: a Rust subclass of Number (908) that adds the interfaces' members,
/// overridden by jsii name since Number has no such members, and declared to the kernel so
/// checked downcasts and JavaScript see the interfaces.
pub(crate) struct SubclassNativeFriendlyRandom(pub(crate) Number);

impl SubclassNativeFriendlyRandom {
    pub(crate) fn new() -> jsii_runtime::Result<Self> {
        let next_number = Cell::new(100.0);
        Number::new_with_overrides(
            908,
            Overrides::new()
                .method(
                    "hello",
                    |_this: &ObjRef, (): ()| -> jsii_runtime::Result<String> {
                        Ok("SubclassNativeFriendlyRandom".to_owned())
                    },
                )
                .method(
                    "next",
                    move |_this: &ObjRef, (): ()| -> jsii_runtime::Result<f64> {
                        let n = next_number.get();
                        next_number.set(n + 100.0);
                        Ok(n)
                    },
                )
                .implement::<IFriendlyProxy>()
                .implement::<IRandomNumberGeneratorProxy>(),
        )
        .map(Self)
    }
}

impl JsiiObject for SubclassNativeFriendlyRandom {
    fn obj_ref(&self) -> &ObjRef {
        self.0.obj_ref()
    }
}

impl IFriendly for SubclassNativeFriendlyRandom {}
impl IRandomNumberGenerator for SubclassNativeFriendlyRandom {}

pub fn native_objects_with_interfaces() -> CaseResult {
    let pure_native = IFriendlyRandomGeneratorProxy::implement(PureNativeFriendlyRandom {
        next_number: Cell::new(1000.0),
    })?;
    let bound_to_pure = NumberGenerator::new(&pure_native)?;
    // The object JavaScript holds is the one Rust passed, both ways.
    check(
        bound_to_pure.generator()?.obj_ref() == pure_native.obj_ref(),
        "generator is not the Rust implementation passed",
    )?;
    check(
        bound_to_pure.is_same_generator(&pure_native)?,
        "isSameGenerator(pure native)",
    )?;
    equal(
        bound_to_pure.next_times100()?,
        100_000.0,
        "first nextTimes100()",
    )?;
    equal(
        bound_to_pure.next_times100()?,
        200_000.0,
        "second nextTimes100()",
    )?;

    let subclass_native = SubclassNativeFriendlyRandom::new()?;
    let bound_to_subclass = NumberGenerator::new(&subclass_native)?;
    check(
        bound_to_subclass.generator()?.obj_ref() == subclass_native.obj_ref(),
        "generator is not the Rust subclass passed",
    )?;
    check(
        bound_to_subclass.is_same_generator(&subclass_native)?,
        "isSameGenerator(subclass native)",
    )?;
    equal(
        bound_to_subclass.next_times100()?,
        10_000.0,
        "first nextTimes100()",
    )?;
    equal(
        bound_to_subclass.next_times100()?,
        20_000.0,
        "second nextTimes100()",
    )?;
    // Still a Number underneath.
    equal(
        subclass_native.0.value()?,
        908.0,
        "the subclass's Number value",
    )
}

/// `class ImplementsAdditionalInterface extends AllTypes implements IStructReturningDelegate`.
struct ImplementsAdditionalInterface(AllTypes);

impl ImplementsAdditionalInterface {
    fn new(returned: StructB) -> jsii_runtime::Result<Self> {
        AllTypes::new_with_overrides(Overrides::new().method(
            "returnStruct",
            move |_this: &ObjRef, (): ()| -> jsii_runtime::Result<StructB> { Ok(returned.clone()) },
        ))
        .map(Self)
    }
}

impl JsiiObject for ImplementsAdditionalInterface {
    fn obj_ref(&self) -> &ObjRef {
        self.0.obj_ref()
    }
}

impl IStructReturningDelegate for ImplementsAdditionalInterface {}

pub fn interfaces_can_be_used_transparently_when_added_to_jsii_type() -> CaseResult {
    let expected = StructB::builder()
        .required_string("It's Britney b**ch!")
        .build();
    let delegate = ImplementsAdditionalInterface::new(expected.clone())?;
    let consumer = ConsumePureInterface::new(&delegate)?;
    equal(consumer.work_it_baby()?, expected, "workItBaby()")
}

pub fn interface_parameter() -> CaseResult {
    let obj = JSObjectLiteralForInterface::new()?;
    let friendly = obj.give_me_friendly()?;
    equal(
        friendly.hello()?.as_str(),
        "I am literally friendly!",
        "hello()",
    )?;
    let augmenter = GreetingAugmenter::new()?;
    equal(
        augmenter.better_greeting(&friendly)?.as_str(),
        "I am literally friendly! Let me buy you a drink!",
        "betterGreeting()",
    )
}

pub fn can_use_interface_setters() -> CaseResult {
    let obj = ObjectWithPropertyProvider::provide()?;
    obj.set_property("New Value")?;
    check(obj.was_set()?, "wasSet() after setting the property")
}

/// Appends `!` when written and `?` when read.
struct InterfaceWithProperties {
    x: RefCell<String>,
}

impl IInterfaceWithPropertiesImpl for InterfaceWithProperties {
    fn read_only_string(&self) -> jsii_runtime::Result<String> {
        Ok("READ_ONLY_STRING".to_owned())
    }

    fn read_write_string(&self) -> jsii_runtime::Result<String> {
        Ok(format!("{}?", self.x.borrow()))
    }

    fn set_read_write_string(&self, value: String) -> jsii_runtime::Result<()> {
        *self.x.borrow_mut() = format!("{value}!");
        Ok(())
    }
}

pub fn property_overrides_interfaces() -> CaseResult {
    let obj = IInterfaceWithPropertiesProxy::implement(InterfaceWithProperties {
        x: RefCell::new(String::new()),
    })?;
    let interact = UsesInterfaceWithProperties::new(&obj)?;
    equal(
        interact.just_read()?.as_str(),
        "READ_ONLY_STRING",
        "justRead()",
    )?;
    equal(
        interact.write_and_read("Hello")?.as_str(),
        "Hello!?",
        "writeAndRead()",
    )
}

struct StructReturningDelegate {
    expected: StructB,
}

impl IStructReturningDelegateImpl for StructReturningDelegate {
    fn return_struct(&self) -> jsii_runtime::Result<StructB> {
        Ok(self.expected.clone())
    }
}

pub fn pure_interfaces_can_be_used_transparently() -> CaseResult {
    let expected = StructB::builder()
        .required_string("It's Britney b**ch!")
        .build();
    let delegate = IStructReturningDelegateProxy::implement(StructReturningDelegate {
        expected: expected.clone(),
    })?;
    let consumer = ConsumePureInterface::new(&delegate)?;
    equal(consumer.work_it_baby()?, expected, "workItBaby()")
}

pub fn obj_refs_are_labelled_using_with_the_most_correct_type() -> CaseResult {
    let iface = Constructors::make_interface()?;
    equal(iface.bye()?.as_str(), "bye", "makeInterface().bye()")?;
    // Typed as PublicClass, created as InbetweenClass.
    let class = Constructors::make_class()?;
    let inbetween = class
        .downcast::<InbetweenClass>()
        .ok_or("makeClass() is not an InbetweenClass")?;
    equal(inbetween.ciao()?.as_str(), "ciao", "ciao()")
}

pub fn classes_can_self_reference_during_class_initialization() -> CaseResult {
    let outer = OuterClass::new()?;
    // Typed as InnerClass and not optional: that it decodes is the check.
    let inner = outer.inner_class()?;
    check(
        inner.obj_ref() != outer.obj_ref(),
        "innerClass is the outer object",
    )
}

pub fn return_abstract() -> CaseResult {
    let obj = AbstractClassReturner::new()?;
    let abstract_class = obj.give_me_abstract()?;
    equal(
        abstract_class.abstract_method("John")?.as_str(),
        "Hello, John!!",
        "abstractMethod()",
    )?;
    equal(
        abstract_class.prop_from_interface()?.as_str(),
        "propFromInterfaceValue",
        "propFromInterface",
    )?;
    equal(
        abstract_class.non_abstract_method()?,
        42.0,
        "nonAbstractMethod()",
    )?;

    let iface = obj.give_me_interface()?;
    equal(
        iface.prop_from_interface()?.as_str(),
        "propFromInterfaceValue",
        "giveMeInterface().propFromInterface",
    )?;
    equal(
        obj.return_abstract_from_property()?
            .abstract_property()?
            .as_str(),
        "hello-abstract-property",
        "returnAbstractFromProperty.abstractProperty",
    )
}
