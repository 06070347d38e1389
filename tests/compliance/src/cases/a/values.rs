//! Values: dates, `any` in every shape, unions, enums (of this and of a dependency's package),
//! optional constructor arguments, `undefined` and `null`, Node's standard library, the agent.

use crate::harness::{CaseResult, check, equal};
use jsii_calc::composition::CompositeOperationCompositionStringStyle as StringStyle;
use jsii_calc::unions::{AddOrMultiplyOrPower, StringOrNumber, StringOrNumberOrAllTypes};
use jsii_calc::{
    AllTypes, AllTypesEnum, Calculator, CalculatorProps, EnumDispenser, EraseUndefinedHashValues,
    EraseUndefinedHashValuesOptions, JsiiAgent, Multiply, NodeStandardLibrary,
    NullShouldBeTreatedAsUndefined, NullShouldBeTreatedAsUndefinedData, Power,
    ReferenceEnumFromScopedPackage, StringEnum, UnionProperties,
};
use jsii_runtime::{Any, Date, Downcast, IndexMap, JsiiObject};
use scope_jsii_calc_lib::{EnumFromScopedModule, Number};
use serde_json::json;

pub fn dates() -> CaseResult {
    let types = AllTypes::new()?;
    // Strongly typed.
    types.set_date_property(Date::from_millis(128_000))?;
    equal(
        types.date_property()?,
        Date::from_millis(128_000),
        "dateProperty",
    )?;
    // Weakly typed: a date in an `any` comes back as a date.
    types.set_any_property(Date::from_millis(999_000))?;
    equal(
        types.any_property()?,
        Any::Date(Date::from_millis(999_000)),
        "anyProperty",
    )
}

pub fn node_standard_library() -> CaseResult {
    let obj = NodeStandardLibrary::new()?;
    equal(
        obj.fs_read_file_sync()?.as_str(),
        "Hello, resource! SYNC!",
        "fsReadFileSync()",
    )?;
    let platform = obj.os_platform()?;
    check(!platform.is_empty(), "osPlatform is empty")?;
    equal(
        obj.crypto_sha256()?.as_str(),
        "6a2da20943931e9834fc12cfe5bb47bbd9ae43489a30726962b576f4e3993e50",
        "cryptoSha256()",
    )?;
    // An async method: the kernel's begin/end.
    equal(
        obj.fs_read_file()?.as_str(),
        "Hello, resource!",
        "fsReadFile()",
    )
}

pub fn dynamic_types() -> CaseResult {
    let types = AllTypes::new()?;

    types.set_any_property(false)?;
    equal(types.any_property()?, Any::Bool(false), "boolean")?;

    types.set_any_property("String")?;
    equal(types.any_property()?, Any::from("String"), "string")?;

    types.set_any_property(12.5)?;
    equal(types.any_property()?, Any::Number(12.5), "number")?;

    // JSON: an object comes back as a map.
    types.set_any_property(Any::from_json(json!({"Goo": ["Hello", {"World": 123}]})))?;
    let json = types.any_property()?.into_json();
    equal(
        json["Goo"][1]["World"].as_f64(),
        Some(123.0),
        "Goo[1].World",
    )?;

    types.set_any_property(vec!["Hello", "World"])?;
    let Any::Array(items) = types.any_property()? else {
        return Err("an array in anyProperty did not come back as an array".into());
    };
    equal(items, vec![Any::from("Hello"), Any::from("World")], "array")?;

    // An array of anything, in an `any` (Go) and in an `any[]` (Python, Java).
    let hybrid = vec![
        Any::from("Hybrid"),
        Any::from(&Number::new(12)?),
        Any::from(123),
        Any::from(false),
    ];
    types.set_any_property(hybrid.clone())?;
    let Any::Array(items) = types.any_property()? else {
        return Err("an array of any in anyProperty did not come back as an array".into());
    };
    equal(items.get(2), Some(&Any::Number(123.0)), "anyProperty[2]")?;
    types.set_any_array_property(&hybrid)?;
    equal(
        types.any_array_property()?.get(2),
        Some(&Any::Number(123.0)),
        "anyArrayProperty[2]",
    )?;

    types.set_any_property(IndexMap::from([("MapKey".to_owned(), "MapValue")]))?;
    let Any::Map(map) = types.any_property()? else {
        return Err("a map in anyProperty did not come back as a map".into());
    };
    equal(
        map.get("MapKey"),
        Some(&Any::from("MapValue")),
        "map MapKey",
    )?;

    // A map of anything, in an `any` (Go) and in a `map<any>` (Python, Java).
    let map_of_any = IndexMap::from([
        ("MapKey".to_owned(), Any::from("MapValue")),
        ("Goo".to_owned(), Any::from(19_289_812)),
    ]);
    types.set_any_property(map_of_any.clone())?;
    let Any::Map(map) = types.any_property()? else {
        return Err("a map of any in anyProperty did not come back as a map".into());
    };
    equal(
        map.get("Goo"),
        Some(&Any::Number(19_289_812.0)),
        "anyProperty Goo",
    )?;
    types.set_any_map_property(&map_of_any)?;
    equal(
        types.any_map_property()?.get("Goo").cloned(),
        Some(Any::Number(19_289_812.0)),
        "anyMapProperty Goo",
    )?;

    // A class instance: the same object comes back, and it is a Multiply.
    let (ten, twenty) = (Number::new(10)?, Number::new(20)?);
    let mult = Multiply::new(&ten, &twenty)?;
    types.set_any_property(&mult)?;
    let back = types.any_property()?;
    let obj = back
        .as_object()
        .ok_or("an object in anyProperty did not come back as one")?;
    check(
        obj == mult.obj_ref(),
        "anyProperty is not the Multiply that was set",
    )?;
    let as_multiply = obj
        .downcast::<Multiply>()
        .ok_or("anyProperty is not a Multiply")?;
    equal(as_multiply.value()?, 200.0, "the Multiply's value")?;

    types.set_any_property(Date::from_millis(1_234_000))?;
    equal(
        types.any_property()?,
        Any::Date(Date::from_millis(1_234_000)),
        "date",
    )
}

pub fn union_properties() -> CaseResult {
    let calc = Calculator::new(
        CalculatorProps::builder()
            .initial_value(0)
            .maximum_value(f64::MAX)
            .build(),
    )?;
    let (nine, three, ten) = (Number::new(9)?, Number::new(3)?, Number::new(10)?);
    calc.set_union_property(AddOrMultiplyOrPower::from(&Multiply::new(&nine, &three)?))?;
    check(
        matches!(
            calc.union_property()?,
            Some(AddOrMultiplyOrPower::Multiply(_))
        ),
        "unionProperty is not a Multiply",
    )?;
    equal(calc.read_union_value()?, 27.0, "readUnionValue() of 9 * 3")?;

    calc.set_union_property(AddOrMultiplyOrPower::from(&Power::new(&ten, &three)?))?;
    check(
        matches!(calc.union_property()?, Some(AddOrMultiplyOrPower::Power(_))),
        "unionProperty is not a Power",
    )?;
    equal(
        calc.read_union_value()?,
        1000.0,
        "readUnionValue() of 10 ^ 3",
    )
}

pub fn use_enum_from_scoped_module() -> CaseResult {
    let obj = ReferenceEnumFromScopedPackage::new()?;
    equal(obj.foo()?, Some(EnumFromScopedModule::Value2), "foo")?;
    obj.set_foo(EnumFromScopedModule::Value1)?;
    equal(
        obj.load_foo()?,
        Some(EnumFromScopedModule::Value1),
        "loadFoo()",
    )?;
    obj.save_foo(EnumFromScopedModule::Value2)?;
    equal(
        obj.foo()?,
        Some(EnumFromScopedModule::Value2),
        "foo after saveFoo()",
    )
}

/// Go has no overloads; the Java and Python cases construct a Calculator with and without its
/// optional props, which Rust does with `None` or the props.
pub fn create_object_and_ctor_overloads() -> CaseResult {
    let plain = Calculator::new(None)?;
    equal(plain.max_value()?, None, "maxValue without props")?;
    let capped = Calculator::new(CalculatorProps::builder().maximum_value(10).build())?;
    equal(capped.max_value()?, Some(10.0), "maxValue with props")
}

pub fn get_and_set_enum_values() -> CaseResult {
    let calc = Calculator::new(None)?;
    calc.add(9)?;
    calc.pow(3)?;
    equal(calc.string_style()?, StringStyle::Normal, "stringStyle")?;
    calc.set_string_style(StringStyle::Decorated)?;
    equal(
        calc.string_style()?,
        StringStyle::Decorated,
        "stringStyle after set",
    )?;
    equal(
        calc.to_string()?.as_str(),
        "<<[[{{(((1 * (0 + 9)) * (0 + 9)) * (0 + 9))}}]]>>",
        "toString()",
    )
}

pub fn can_load_enum_values() -> CaseResult {
    // Decoding fails on anything but a member; the members JavaScript returns are known.
    equal(
        EnumDispenser::random_string_like_enum()?,
        StringEnum::B,
        "randomStringLikeEnum()",
    )?;
    equal(
        EnumDispenser::random_integer_like_enum()?,
        AllTypesEnum::YourEnumValue,
        "randomIntegerLikeEnum()",
    )
}

pub fn jsii_agent() -> CaseResult {
    let agent = JsiiAgent::value()?.ok_or("JSII_AGENT is not set in the kernel")?;
    equal(agent.clone(), jsii_runtime::agent(), "JsiiAgent.value")?;
    // `Rust/jsii-runtime-<version>/<os>/<arch>` unless JSII_AGENT overrides it.
    let suffix = format!("/{}/{}", std::env::consts::OS, std::env::consts::ARCH);
    check(
        std::env::var_os("JSII_AGENT").is_some()
            || agent.starts_with("Rust/jsii-runtime-") && agent.ends_with(&suffix),
        format!("JsiiAgent.value = {agent:?}, want Rust/jsii-runtime-<version>{suffix}"),
    )
}

pub fn null_should_be_treated_as_undefined() -> CaseResult {
    let obj = NullShouldBeTreatedAsUndefined::new("hello", None)?;
    obj.give_me_undefined(None)?;
    obj.give_me_undefined_inside_an_object(
        NullShouldBeTreatedAsUndefinedData::builder()
            .array_with_three_elements_and_undefined_as_second_argument([
                Any::from("hello"),
                Any::Null,
                Any::from("boom"),
            ])
            .this_should_be_undefined(None)
            .build(),
    )?;
    obj.set_change_me_to_undefined(None)?;
    obj.verify_property_is_undefined()?;
    equal(obj.change_me_to_undefined()?, None, "changeMeToUndefined")
}

pub fn erase_unset_data_values() -> CaseResult {
    let opts = EraseUndefinedHashValuesOptions::builder()
        .option1("option1")
        .build();
    check(
        EraseUndefinedHashValues::does_key_exist(opts.clone(), "option1")?,
        "option1 is missing in JavaScript",
    )?;
    equal(
        EraseUndefinedHashValues::prop1_is_null()?,
        IndexMap::from([("prop2".to_owned(), Any::from("value2"))]),
        "prop1IsNull()",
    )?;
    equal(
        EraseUndefinedHashValues::prop2_is_undefined()?,
        IndexMap::from([("prop1".to_owned(), Any::from("value1"))]),
        "prop2IsUndefined()",
    )?;
    check(
        !EraseUndefinedHashValues::does_key_exist(opts, "option2")?,
        "the unset option2 is a key in JavaScript",
    )
}

pub fn union_properties_with_builder() -> CaseResult {
    let obj1 = UnionProperties::builder().bar(12).foo("Hello").build();
    equal(obj1.bar, StringOrNumberOrAllTypes::Number(12.0), "obj1.bar")?;
    equal(
        obj1.foo,
        Some(StringOrNumber::String("Hello".to_owned())),
        "obj1.foo",
    )?;

    let obj2 = UnionProperties::builder().bar("BarIsString").build();
    equal(
        obj2.bar,
        StringOrNumberOrAllTypes::String("BarIsString".to_owned()),
        "obj2.bar",
    )?;
    equal(obj2.foo, None, "obj2.foo")?;

    let all_types = AllTypes::new()?;
    let obj3 = UnionProperties::builder().bar(&all_types).foo(999).build();
    let StringOrNumberOrAllTypes::AllTypes(bar) = &obj3.bar else {
        return Err(format!("obj3.bar is not the AllTypes: {:?}", obj3.bar).into());
    };
    check(*bar == all_types, "obj3.bar is not the same AllTypes")?;
    equal(obj3.foo, Some(StringOrNumber::Number(999.0)), "obj3.foo")
}
