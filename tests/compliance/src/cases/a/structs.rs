//! Structs: typestate builders, equality, structs returned by JavaScript, structs passed where
//! JavaScript takes `any`, and a struct parameter named like the positional one before it.

use crate::harness::{CaseResult, check, equal};
use jsii_calc::{
    AmbiguousParameters, Bell, ConfusingToJackson, DerivedStruct, DoubleTrouble, GiveMeStructs,
    JsonFormatter, StableStruct, StructB, StructParameterType, StructWithJavaReservedWords,
};
use jsii_runtime::Date;
use scope_jsii_calc_base_of_base::StaticConsumer;
use scope_jsii_calc_lib::submodule::NestingClassNestedStruct;
use scope_jsii_calc_lib::{MyFirstStruct, StructWithOnlyOptionals};
use serde_json::json;

pub fn use_nested_struct() -> CaseResult {
    let nested = NestingClassNestedStruct::builder()
        .name("Bond, James Bond")
        .build();
    StaticConsumer::consume(&[nested.into()])?;
    Ok(())
}

pub fn equals_is_resistant_to_property_shadowing_result_variable() -> CaseResult {
    let first = StructWithJavaReservedWords::builder()
        .default("one")
        .build();
    let second = StructWithJavaReservedWords::builder()
        .default("one")
        .build();
    let third = StructWithJavaReservedWords::builder()
        .default("two")
        .build();
    check(first == second, "structs with the same fields differ")?;
    check(first != third, "structs with different fields are equal")
}

pub fn structs_non_optional_equals() -> CaseResult {
    let struct_a = StableStruct::builder().readonly_property("one").build();
    let struct_b = StableStruct::builder().readonly_property("one").build();
    let struct_c = StableStruct::builder().readonly_property("two").build();
    check(struct_a == struct_b, "structs with the same field differ")?;
    check(
        struct_a != struct_c,
        "structs with different fields are equal",
    )
}

pub fn lifted_kwarg_with_same_name_as_positional_arg() -> CaseResult {
    let bell = Bell::new()?;
    let amb = AmbiguousParameters::new(
        &bell,
        StructParameterType::builder().scope("Driiiing!").build(),
    )?;
    check(amb.scope()? == bell, "scope is not the Bell passed")?;
    equal(
        amb.props()?,
        StructParameterType::builder().scope("Driiiing!").build(),
        "props",
    )
}

pub fn structs_returned_literal_equals_native_built() -> CaseResult {
    let returned = GiveMeStructs::new()?.struct_literal()?;
    let built = StructWithOnlyOptionals::builder()
        .optional1("optional1FromStructLiteral")
        .optional3(false)
        .build();
    equal(&returned.optional1, &built.optional1, "optional1")?;
    equal(&returned.optional2, &built.optional2, "optional2")?;
    equal(&returned.optional3, &built.optional3, "optional3")?;
    check(
        built == returned,
        "the built struct differs from the returned literal",
    )?;
    check(
        returned == built,
        "the returned literal differs from the built struct",
    )
}

pub fn can_obtain_struct_reference_with_overloaded_setter() -> CaseResult {
    // Decoded as a ConfusingToJacksonStruct: that it decodes is the check.
    let made = ConfusingToJackson::make_struct_instance()?;
    equal(
        made.union_property,
        None,
        "unionProperty of the struct made",
    )
}

pub fn structs_step_builders() -> CaseResult {
    // Go has no builders; these are the Java case's checks. A required field left out does not
    // compile, so there is no runtime check for it.
    let some_instant = Date::now();
    let non_prim = DoubleTrouble::new()?;
    let s = DerivedStruct::builder()
        .non_primitive(&non_prim)
        .bool(false)
        .another_required(some_instant)
        .astring("Hello")
        .anumber(1234)
        .first_optional(["Hello", "World"])
        .build();
    check(
        s.non_primitive == non_prim,
        "nonPrimitive is not the DoubleTrouble given",
    )?;
    equal(s.bool, false, "bool")?;
    equal(s.another_required, some_instant, "anotherRequired")?;
    equal(s.astring.as_str(), "Hello", "astring")?;
    equal(s.anumber, 1234.0, "anumber")?;
    equal(
        s.first_optional
            .as_ref()
            .and_then(|l| l.get(1))
            .map(String::as_str),
        Some("World"),
        "firstOptional[1]",
    )?;
    check(s.another_optional.is_none(), "anotherOptional is set")?;
    check(s.optional_array.is_none(), "optionalArray is set")?;

    let my_first = MyFirstStruct::builder()
        .astring("Hello")
        .anumber(12)
        .build();
    equal(my_first.astring.as_str(), "Hello", "MyFirstStruct.astring")?;
    equal(my_first.anumber, 12.0, "MyFirstStruct.anumber")?;

    let only_optionals = StructWithOnlyOptionals::builder()
        .optional1("Hello")
        .optional2(1)
        .build();
    equal(
        only_optionals.optional1.as_deref(),
        Some("Hello"),
        "optional1",
    )?;
    equal(only_optionals.optional2, Some(1.0), "optional2")?;
    equal(only_optionals.optional3, None, "optional3")?;

    let empty = StructWithOnlyOptionals::builder().build();
    equal(
        (empty.optional1, empty.optional2, empty.optional3),
        (None, None, None),
        "a StructWithOnlyOptionals built with nothing",
    )
}

pub fn structs_are_undecorated_on_the_way_to_kernel() -> CaseResult {
    let s = StructB::builder()
        .required_string("Bazinga!")
        .optional_boolean(false)
        .build();
    let text = JsonFormatter::stringify(s)?.ok_or("stringify() returned undefined")?;
    let parsed: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("stringify() = {text:?}: {e}"))?;
    equal(
        parsed,
        json!({"requiredString": "Bazinga!", "optionalBoolean": false}),
        "the struct as JavaScript sees it",
    )
}
