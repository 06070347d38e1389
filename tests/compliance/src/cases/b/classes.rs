//! Classes: properties of primitive, class, abstract, optional and union types; constants;
//! factories; JavaScript errors; and a Rust subclass passed where its base is expected.

use crate::harness::{CaseResult, check, equal, js_error};
use jsii_calc::unions::{AllTypesUnionProperty, NumberOrNumericValue, StringOrNumberOrNumber};
use jsii_calc::{
    Add, AllTypes, Calculator, CalculatorProps, ClassWithPrivateConstructorAndAutomaticProperties,
    ConfusingToJackson, Multiply, Negate, Power, Statics,
};
use jsii_runtime::{Downcast, IndexMap, JsiiObject, Overrides};
use scope_jsii_calc_lib::{Number, NumericValue};
use std::ops::Deref;

pub fn unmarshall_into_abstract_type() -> CaseResult {
    let calc = Calculator::new(None)?;
    calc.add(120)?;
    // `curr` is typed as the abstract class NumericValue.
    let value: NumericValue = calc.curr()?;
    equal(value.value()?, 120.0, "curr.value")
}

pub fn get_set_primitive_properties() -> CaseResult {
    let number = Number::new(20)?;
    equal(number.value()?, 20.0, "Number(20).value")?;
    equal(number.double_value()?, 40.0, "Number(20).doubleValue")?;
    // A class-typed parameter takes `&x` for a subclass; the object is bound first, as `?`
    // inside `&...` would be asked for the parameter's class rather than the subclass.
    let (zero, one, two, three, four) = (
        Number::new(0)?,
        Number::new(1)?,
        Number::new(2)?,
        Number::new(3)?,
        Number::new(4)?,
    );
    let (five, ten, twenty, n999) = (
        Number::new(5)?,
        Number::new(10)?,
        Number::new(20)?,
        Number::new(999)?,
    );

    let sum = Add::new(&twenty, &ten)?;
    equal(
        Negate::new(&sum)?.value()?,
        -30.0,
        "Negate(Add(20, 10)).value",
    )?;
    let sum = Add::new(&five, &five)?;
    equal(
        Multiply::new(&sum, &two)?.value()?,
        20.0,
        "Multiply(Add(5, 5), 2).value",
    )?;
    equal(
        Power::new(&three, &four)?.value()?,
        81.0,
        "Power(3, 4).value",
    )?;
    equal(
        Power::new(&n999, &one)?.value()?,
        999.0,
        "Power(999, 1).value",
    )?;
    equal(
        Power::new(&n999, &zero)?.value()?,
        1.0,
        "Power(999, 0).value",
    )
}

pub fn get_and_set_non_primitive_properties() -> CaseResult {
    let calc = Calculator::new(None)?;
    calc.add(3_200_000)?;
    calc.neg()?;
    let (two, curr) = (Number::new(2)?, calc.curr()?);
    let product = Multiply::new(&two, &curr)?;
    calc.set_curr(&product)?;
    equal(calc.value()?, -6_400_000.0, "the calculator's value")
}

pub fn undefined_and_null() -> CaseResult {
    let calc = Calculator::new(None)?;
    equal(calc.max_value()?, None, "maxValue of a new calculator")?;
    calc.set_max_value(None)?;
    equal(
        calc.max_value()?,
        None,
        "maxValue after setting it to nothing",
    )
}

pub fn can_obtain_reference_with_overloaded_setter() -> CaseResult {
    let instance = ConfusingToJackson::make_instance()?;
    equal(
        instance.obj_ref().class_fqn(),
        "jsii-calc.ConfusingToJackson",
        "the class of makeInstance()",
    )?;
    check(
        instance.union_property()?.is_none(),
        "its unionProperty is not set",
    )
}

pub fn private_constructor_and_automatic_properties() -> CaseResult {
    let obj = ClassWithPrivateConstructorAndAutomaticProperties::create("Hello", "Bye")?;
    equal(
        obj.read_write_string()?,
        "Bye".to_owned(),
        "readWriteString",
    )?;
    obj.set_read_write_string("Hello")?;
    equal(
        obj.read_write_string()?,
        "Hello".to_owned(),
        "readWriteString after setting it",
    )?;
    equal(
        obj.read_only_string()?,
        "Hello".to_owned(),
        "readOnlyString",
    )
}

/// The other ports' `AddTen`: a Rust subclass of `Add` whose constructor adds ten to a value.
struct AddTen(Add);

impl AddTen {
    fn new(value: f64) -> jsii_runtime::Result<AddTen> {
        let (lhs, ten) = (Number::new(value)?, Number::new(10)?);
        Add::new_with_overrides(&lhs, &ten, Overrides::new()).map(AddTen)
    }
}

impl Deref for AddTen {
    type Target = Add;
    fn deref(&self) -> &Add {
        &self.0
    }
}

jsii_runtime::subclass!(AddTen => Add);

pub fn subclassing() -> CaseResult {
    let calc = Calculator::new(None)?;
    // The subclass passes where its base class's base, NumericValue, is expected.
    let add_ten = AddTen::new(33.0)?;
    calc.set_curr(&add_ten)?;
    calc.neg()?;
    equal(calc.value()?, -43.0, "the calculator's value")
}

pub fn union_types() -> CaseResult {
    let types = AllTypes::new()?;

    // A single value.
    types.set_union_property(1234)?;
    equal(
        types.union_property()?,
        AllTypesUnionProperty::Number(1234.0),
        "unionProperty set to a number",
    )?;
    types.set_union_property("Hello")?;
    equal(
        types.union_property()?,
        AllTypesUnionProperty::String("Hello".to_owned()),
        "unionProperty set to a string",
    )?;
    let (two, twelve) = (Number::new(2)?, Number::new(12)?);
    let multiply = Multiply::new(&two, &twelve)?;
    types.set_union_property(&multiply)?;
    match types.union_property()? {
        AllTypesUnionProperty::Multiply(got) => {
            check(
                got == multiply,
                "unionProperty is the Multiply that was set",
            )?;
            equal(got.value()?, 24.0, "unionProperty's value")?;
        }
        other => return Err(format!("unionProperty: got {other:?}, want a Multiply").into()),
    }

    // A map.
    let map = IndexMap::from([(
        "Foo".to_owned(),
        StringOrNumberOrNumber::from(Number::new(99)?),
    )]);
    types.set_union_map_property(&map)?;
    match types.union_map_property()?.get("Foo") {
        Some(StringOrNumberOrNumber::Number_(number)) => {
            equal(number.value()?, 99.0, "unionMapProperty[Foo].value")?;
        }
        other => {
            return Err(format!("unionMapProperty[Foo]: got {other:?}, want a Number").into());
        }
    }

    // An array.
    let thirty_three = Number::new(33)?;
    types.set_union_array_property(&[123.into(), NumericValue::from(&thirty_three).into()])?;
    let array = types.union_array_property()?;
    equal(
        array.first(),
        Some(&NumberOrNumericValue::Number(123.0)),
        "unionArrayProperty[0]",
    )?;
    match array.get(1) {
        Some(NumberOrNumericValue::NumericValue(value)) => {
            check(
                value.downcast::<Number>().as_ref() == Some(&thirty_three),
                "unionArrayProperty[1] is the Number that was set",
            )?;
            equal(value.value()?, 33.0, "unionArrayProperty[1].value")
        }
        other => Err(format!("unionArrayProperty[1]: got {other:?}, want a Number").into()),
    }
}

pub fn consts() -> CaseResult {
    equal(Statics::foo()?, "hello".to_owned(), "Statics.Foo")?;
    equal(
        Statics::const_obj()?.hello()?,
        "world".to_owned(),
        "Statics.ConstObj.hello()",
    )?;
    equal(Statics::bar()?, 1234.0, "Statics.BAR")?;
    equal(
        Statics::zoo_bar()?.get("hello").map(String::as_str),
        Some("world"),
        "Statics.zooBar[hello]",
    )
}

pub fn exceptions() -> CaseResult {
    let calc = Calculator::new(
        CalculatorProps::builder()
            .initial_value(20)
            .maximum_value(30)
            .build(),
    )?;
    calc.add(3)?;
    equal(calc.value()?, 23.0, "the value after add(3)")?;
    let (_, message) = js_error(calc.add(10))?;
    check(
        message.contains("Operation 33 exceeded maximum value 30"),
        format!("add(10) fails past the maximum, got {message:?}"),
    )?;
    // Nothing changed, and the calculator still works.
    equal(calc.value()?, 23.0, "the value after the failed add")?;
    calc.set_max_value(40)?;
    calc.add(10)?;
    equal(calc.value()?, 33.0, "the value after raising the maximum")
}
