//! Interfaces: JavaScript classes and object literals used through interface types, private
//! classes behind interfaces, and Rust implementations (`IFooProxy::implement`) that JavaScript
//! calls back.

use super::super::a::interfaces::SubclassNativeFriendlyRandom;
use crate::harness::{CaseResult, check, equal};
use jsii_calc::{
    Add, AnonymousImplementationProvider, ConsumePureInterface, ConsumerCanRingBell, DoubleTrouble,
    IBellProxy, IBellRingerImpl, IBellRingerProxy, IFriendlier, IFriendlyRandomGenerator,
    IFriendlyRandomGeneratorImpl, IFriendlyRandomGeneratorProxy, IInterfaceWithPropertiesImpl,
    IInterfaceWithPropertiesProxy, IRandomNumberGenerator, IRandomNumberGeneratorProxy,
    IReturnJsii976Proxy, IStructReturningDelegateImpl, IStructReturningDelegateProxy,
    JSObjectLiteralForInterface, JSObjectLiteralToNative, Multiply, Polymorphism,
    ReturnsPrivateImplementationOfInterface, SomeTypeJsii976, StructB, UsesInterfaceWithProperties,
};
use jsii_runtime::Downcast;
use scope_jsii_calc_lib::deprecation_removal::InterfaceFactory;
use scope_jsii_calc_lib::{IFriendly, IFriendlyProxy, Number};
use std::cell::{Cell, RefCell};

const BINARY_HELLO: &str = "Hello, I am a binary operation. What's your name?";

/// The other ports' `PureNativeFriendlyRandom`: a Rust type implementing
/// `IFriendlyRandomGenerator`, part of no jsii class.
struct PureNativeFriendlyRandom {
    next: Cell<f64>,
}

impl IFriendlyRandomGeneratorImpl for PureNativeFriendlyRandom {
    fn next(&self) -> jsii_runtime::Result<f64> {
        let n = self.next.get();
        self.next.set(n + 1000.0);
        Ok(n)
    }

    fn hello(&self) -> jsii_runtime::Result<String> {
        Ok("I am a native!".to_owned())
    }
}

pub fn interfaces() -> CaseResult {
    let (ten, twenty, thirty) = (Number::new(10)?, Number::new(20)?, Number::new(30)?);
    let add = Add::new(&ten, &twenty)?;
    let friendly: &dyn IFriendly = &add;
    equal(
        friendly.hello()?,
        BINARY_HELLO.to_owned(),
        "Add as IFriendly",
    )?;

    let multiply = Multiply::new(&ten, &thirty)?;
    let friendly: &dyn IFriendly = &multiply;
    let friendlier: &dyn IFriendlier = &multiply;
    let random: &dyn IRandomNumberGenerator = &multiply;
    equal(
        friendly.hello()?,
        BINARY_HELLO.to_owned(),
        "Multiply as IFriendly",
    )?;
    equal(
        friendlier.goodbye()?,
        "Goodbye from Multiply!".to_owned(),
        "Multiply as IFriendlier",
    )?;
    equal(random.next()?, 89.0, "Multiply as IRandomNumberGenerator")?;

    let double_trouble = DoubleTrouble::new()?;
    let friendly_random: &dyn IFriendlyRandomGenerator = &double_trouble;
    equal(
        friendly_random.hello()?,
        "world".to_owned(),
        "DoubleTrouble as IFriendlyRandomGenerator: hello",
    )?;
    equal(
        friendly_random.next()?,
        12.0,
        "DoubleTrouble as IFriendlyRandomGenerator: next",
    )?;

    let poly = Polymorphism::new()?;
    equal(
        poly.say_hello(friendly)?,
        format!("oh, {BINARY_HELLO}"),
        "sayHello(Multiply)",
    )?;
    equal(
        poly.say_hello(friendly_random)?,
        "oh, world".to_owned(),
        "sayHello(DoubleTrouble)",
    )?;
    let pure = IFriendlyRandomGeneratorProxy::implement(PureNativeFriendlyRandom {
        next: Cell::new(1000.0),
    })?;
    equal(
        poly.say_hello(&pure)?,
        "oh, I am a native!".to_owned(),
        "sayHello(a Rust implementation)",
    )?;

    // The other ports' `SubclassNativeFriendlyRandom`: a subclass of the jsii class `Number` that
    // also implements `IFriendly` and `IRandomNumberGenerator`, which `Number` does not.
    let subclass = SubclassNativeFriendlyRandom::new()?.0;
    equal(subclass.value()?, 908.0, "the subclass's value")?;
    let as_friendly = subclass
        .downcast::<IFriendlyProxy>()
        .ok_or("a Rust subclass of Number declaring IFriendly is not an IFriendly")?;
    let as_random = subclass
        .downcast::<IRandomNumberGeneratorProxy>()
        .ok_or("a Rust subclass of Number declaring IRandomNumberGenerator is not one")?;
    equal(as_random.next()?, 100.0, "the subclass's next(), from Rust")?;
    equal(
        poly.say_hello(&as_friendly)?,
        "oh, SubclassNativeFriendlyRandom".to_owned(),
        "sayHello(a Rust subclass of Number)",
    )
}

/// `IInterfaceWithProperties` in Rust: a read-only property and a read-write one.
struct InterfaceWithProperties {
    read_write: RefCell<String>,
}

impl IInterfaceWithPropertiesImpl for InterfaceWithProperties {
    fn read_only_string(&self) -> jsii_runtime::Result<String> {
        Ok("READ_ONLY".to_owned())
    }

    fn read_write_string(&self) -> jsii_runtime::Result<String> {
        Ok(self.read_write.borrow().clone())
    }

    fn set_read_write_string(&self, value: String) -> jsii_runtime::Result<()> {
        *self.read_write.borrow_mut() = value;
        Ok(())
    }
}

pub fn interface_builder() -> CaseResult {
    let obj = IInterfaceWithPropertiesProxy::implement(InterfaceWithProperties {
        read_write: RefCell::new("READ_WRITE".to_owned()),
    })?;
    let interact = UsesInterfaceWithProperties::new(&obj)?;
    equal(interact.just_read()?, "READ_ONLY".to_owned(), "justRead()")?;
    equal(
        interact.write_and_read("Hello")?,
        "Hello".to_owned(),
        "writeAndRead(\"Hello\")",
    )?;
    // The Rust side holds what JavaScript wrote.
    equal(
        obj.read_write_string()?,
        "Hello".to_owned(),
        "readWriteString read from Rust",
    )
}

pub fn literal_interface() -> CaseResult {
    let obj = JSObjectLiteralForInterface::new()?;
    let friendly = obj.give_me_friendly()?;
    equal(
        friendly.hello()?,
        "I am literally friendly!".to_owned(),
        "giveMeFriendly().hello()",
    )?;
    let generator = obj.give_me_friendly_generator()?;
    equal(
        generator.hello()?,
        "giveMeFriendlyGenerator".to_owned(),
        "giveMeFriendlyGenerator().hello()",
    )?;
    equal(generator.next()?, 42.0, "giveMeFriendlyGenerator().next()")
}

/// Implements `IStructReturningDelegate` directly.
struct ImplementsStructReturningDelegate {
    expected: StructB,
}

impl IStructReturningDelegateImpl for ImplementsStructReturningDelegate {
    fn return_struct(&self) -> jsii_runtime::Result<StructB> {
        Ok(self.expected.clone())
    }
}

/// Implements `IStructReturningDelegate` through whatever implementation it wraps: the Rust
/// form of a subclass that inherits the implementation.
struct IndirectlyImplementsStructReturningDelegate<D>(D);

impl<D: IStructReturningDelegateImpl> IStructReturningDelegateImpl
    for IndirectlyImplementsStructReturningDelegate<D>
{
    fn return_struct(&self) -> jsii_runtime::Result<StructB> {
        self.0.return_struct()
    }
}

pub fn pure_interface_implemented_transitively() -> CaseResult {
    let expected = StructB::builder()
        .required_string("It's Britney b**ch!")
        .build();
    let delegate = IStructReturningDelegateProxy::implement(
        IndirectlyImplementsStructReturningDelegate(ImplementsStructReturningDelegate {
            expected: expected.clone(),
        }),
    )?;
    let consumer = ConsumePureInterface::new(&delegate)?;
    equal(consumer.work_it_baby()?, expected, "workItBaby()")
}

/// Rings whatever bell JavaScript hands it.
struct BellRinger;

impl IBellRingerImpl for BellRinger {
    fn your_turn(&self, bell: IBellProxy) -> jsii_runtime::Result<()> {
        bell.ring()
    }
}

pub fn callback_parameter_is_interface() -> CaseResult {
    let ringer = IBellRingerProxy::implement(BellRinger)?;
    check(
        ConsumerCanRingBell::static_implemented_by_object_literal(&ringer)?,
        "staticImplementedByObjectLiteral: the bell was rung",
    )?;
    check(
        ConsumerCanRingBell::static_implemented_by_private_class(&ringer)?,
        "staticImplementedByPrivateClass: the bell was rung",
    )?;
    check(
        ConsumerCanRingBell::static_implemented_by_public_class(&ringer)?,
        "staticImplementedByPublicClass: the bell was rung",
    )?;
    // The instance forms (Python's cases).
    let consumer = ConsumerCanRingBell::new()?;
    check(
        consumer.implemented_by_object_literal(&ringer)?,
        "implementedByObjectLiteral: the bell was rung",
    )?;
    check(
        consumer.implemented_by_private_class(&ringer)?,
        "implementedByPrivateClass: the bell was rung",
    )?;
    check(
        consumer.implemented_by_public_class(&ringer)?,
        "implementedByPublicClass: the bell was rung",
    )
}

pub fn indirect_interface_polymorphism() -> CaseResult {
    let provider = AnonymousImplementationProvider::new()?;
    equal(
        provider.provide_as_class()?.value()?,
        1337.0,
        "provideAsClass().value",
    )?;
    // The same private object, returned as an interface.
    let as_interface = provider.provide_as_interface()?;
    equal(as_interface.value()?, 1337.0, "provideAsInterface().value")?;
    equal(
        as_interface.verb()?,
        "to implement".to_owned(),
        "provideAsInterface().verb()",
    )
}

pub fn return_subclass_that_implements_interface_976() -> CaseResult {
    let obj = SomeTypeJsii976::return_return()?;
    equal(obj.foo()?, 333.0, "returnReturn().foo")
}

pub fn down_casting() -> CaseResult {
    // `returnAnonymous()` is typed `any`: the object's class is not exported, so the kernel
    // knows no jsii type for it and a checked downcast cannot succeed. The unchecked cast (the
    // Go port's `jsii.UnsafeCast`) tells the kernel the object's interface.
    let any = SomeTypeJsii976::return_anonymous()?;
    let obj = any
        .as_object()
        .ok_or_else(|| format!("returnAnonymous() = {any:?}, want an object"))?;
    check(
        obj.downcast::<IReturnJsii976Proxy>().is_none(),
        "a checked downcast of an object of no jsii type succeeds",
    )?;
    let real = obj.unchecked_cast::<IReturnJsii976Proxy>();
    equal(
        real.foo()?,
        1337.0,
        "returnAnonymous().foo through IReturnJsii976",
    )
}

pub fn stripped_deprecated_member_can_be_received() -> CaseResult {
    // `create()` returns a `DeprecatedImplementation` typed as `IInterface`; a build with
    // `--strip-deprecated` removes the class from the assembly, and the object must still
    // arrive as an `IInterface`.
    let obj = InterfaceFactory::create()?;
    obj.method()?;
    Ok(())
}

pub fn receive_instance_of_private_class() -> CaseResult {
    let private = ReturnsPrivateImplementationOfInterface::new()?.private_implementation()?;
    check(private.success()?, "privateImplementation.success")
}

pub fn js_object_literal_to_native() -> CaseResult {
    // JavaScript returns an object literal where the class is declared.
    let obj = JSObjectLiteralToNative::new()?.return_literal()?;
    equal(obj.prop_a()?, "Hello".to_owned(), "propA")?;
    equal(obj.prop_b()?, 102.0, "propB")
}
