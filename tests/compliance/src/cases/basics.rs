//! Statics, primitive types, method calls.

use crate::harness::{Case, CaseResult, check, equal};
use jsii_calc::{AllTypes, Calculator, CalculatorProps, Statics};
use jsii_runtime::Date;

pub fn cases() -> Vec<Case> {
    vec![
        Case::run("TestStatics", statics),
        Case::run("TestPrimitiveTypes", primitive_types),
        Case::run("TestCallMethods", call_methods),
    ]
}

fn statics() -> CaseResult {
    equal(
        Statics::static_method("Yoyo")?,
        "hello ,Yoyo!".to_owned(),
        "staticMethod",
    )?;
    equal(
        Statics::instance()?.value()?,
        "default".to_owned(),
        "instance value",
    )?;
    let fresh = Statics::new("new value")?;
    Statics::set_instance(&fresh)?;
    check(
        Statics::instance()? == fresh,
        "the instance set is the one read back",
    )?;
    equal(
        Statics::instance()?.value()?,
        "new value".to_owned(),
        "new instance value",
    )?;
    equal(Statics::non_const_static()?, 100.0, "nonConstStatic")
}

fn primitive_types() -> CaseResult {
    let types = AllTypes::new()?;
    types.set_boolean_property(true)?;
    equal(types.boolean_property()?, true, "boolean")?;
    types.set_string_property("foo")?;
    equal(types.string_property()?, "foo".to_owned(), "string")?;
    types.set_number_property(1234)?;
    equal(types.number_property()?, 1234.0, "number")?;
    types.set_json_property(&serde_json::json!({"Foo": {"Bar": 123}}))?;
    equal(
        types.json_property()?["Foo"]["Bar"].clone(),
        serde_json::json!(123),
        "json",
    )?;
    types.set_date_property(Date::from_millis(123))?;
    equal(types.date_property()?, Date::from_millis(123), "date")
}

fn call_methods() -> CaseResult {
    let calc = Calculator::new(CalculatorProps::builder().build())?;
    calc.add(10)?;
    equal(calc.value()?, 10.0, "after add")?;
    calc.mul(2)?;
    equal(calc.value()?, 20.0, "after mul")?;
    calc.pow(5)?;
    equal(calc.value()?, 20.0_f64.powi(5), "after pow")?;
    calc.neg()?;
    equal(calc.value()?, -3_200_000.0, "after neg")
}
