//! Lists and maps: of primitives, of objects, of interfaces and of structs, in and out of
//! JavaScript; variadic arguments; and that a collection read from JavaScript is the caller's own
//! copy (the Rust form of the other ports' "cannot be modified" cases).

use crate::harness::{CaseResult, check, equal};
use jsii_calc::{
    AllTypes, ClassWithCollections, DisappointingCollectionSource, IBellProxy,
    InterfaceCollections, Multiply, Sum, VariadicMethod,
};
use jsii_runtime::{Downcast, IndexMap};
use scope_jsii_calc_lib::{Number, NumericValue};

/// A `map<string>` from literal entries, in order.
fn string_map(entries: &[(&str, &str)]) -> IndexMap<String, String> {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub fn map_of_interfaces() -> CaseResult {
    let bells = InterfaceCollections::map_of_interfaces()?;
    equal(
        bells.keys().map(String::as_str).collect::<Vec<_>>(),
        vec!["A"],
        "the keys of mapOfInterfaces",
    )?;
    for (key, bell) in &bells {
        check(
            bell.downcast::<IBellProxy>().is_some(),
            format!("mapOfInterfaces[{key}] is reported as an IBell"),
        )?;
        bell.ring()?;
    }
    Ok(())
}

pub fn list_of_interfaces() -> CaseResult {
    let bells = InterfaceCollections::list_of_interfaces()?;
    equal(bells.len(), 1, "the length of listOfInterfaces")?;
    for bell in &bells {
        check(
            bell.downcast::<IBellProxy>().is_some(),
            "an element of listOfInterfaces is reported as an IBell",
        )?;
        bell.ring()?;
    }
    Ok(())
}

pub fn map_of_structs() -> CaseResult {
    let structs = InterfaceCollections::map_of_structs()?;
    equal(structs.len(), 1, "the length of mapOfStructs")?;
    let a = structs.get("A").ok_or("mapOfStructs has no entry A")?;
    equal(
        a.required_string.as_str(),
        "Hello, I'm String!",
        "mapOfStructs[A].requiredString",
    )?;
    equal(a.optional_number, None, "mapOfStructs[A].optionalNumber")?;
    equal(
        a.optional_string.as_deref(),
        None,
        "mapOfStructs[A].optionalString",
    )
}

pub fn map_in_class_can_be_read() -> CaseResult {
    let collections = ClassWithCollections::new(&string_map(&[("key", "value")]), &[])?;
    let map = collections.map()?;
    equal(
        map.get("key").map(String::as_str),
        Some("value"),
        "map[key]",
    )?;
    equal(map.len(), 1, "the map's size")
}

/// What the Java port checks as "modifying the returned map throws": in Rust the map read from
/// JavaScript is an owned copy, so changing it cannot change what the object holds.
pub fn map_in_class_cannot_be_modified() -> CaseResult {
    let collections = ClassWithCollections::new(&string_map(&[("key", "value")]), &[])?;
    let mut map = collections.map()?;
    map.insert("keyTwo".to_owned(), "valueTwo".to_owned());
    equal(
        collections.map()?,
        string_map(&[("key", "value")]),
        "the object's map after changing the copy read from it",
    )
}

pub fn array_returned_by_method_cannot_be_modified() -> CaseResult {
    let mut list = ClassWithCollections::create_a_list()?;
    list.push("three".to_owned());
    equal(
        ClassWithCollections::create_a_list()?,
        vec!["one".to_owned(), "two".to_owned()],
        "createAList after changing an earlier result",
    )
}

pub fn static_map_in_class_cannot_be_modified() -> CaseResult {
    let mut map = ClassWithCollections::static_map()?;
    map.insert("keyTwo".to_owned(), "valueTwo".to_owned());
    equal(
        ClassWithCollections::static_map()?,
        string_map(&[("key1", "value1"), ("key2", "value2")]),
        "staticMap after changing the copy read from it",
    )
}

pub fn map_returned_by_method_cannot_be_modified() -> CaseResult {
    let mut map = ClassWithCollections::create_a_map()?;
    map.insert("keyThree".to_owned(), "valueThree".to_owned());
    equal(
        ClassWithCollections::create_a_map()?,
        string_map(&[("key1", "value1"), ("key2", "value2")]),
        "createAMap after changing an earlier result",
    )
}

pub fn static_list_in_class_can_be_read() -> CaseResult {
    equal(
        ClassWithCollections::static_array()?,
        vec!["one".to_owned(), "two".to_owned()],
        "staticArray",
    )
}

pub fn null_is_a_valid_optional_list() -> CaseResult {
    equal(
        DisappointingCollectionSource::maybe_list()?,
        None,
        "maybeList",
    )
}

pub fn variadic_method_can_be_invoked() -> CaseResult {
    let method = VariadicMethod::new(&[1.0])?;
    equal(
        method.as_array(3, &[4.0, 5.0, 6.0])?,
        vec![1.0, 3.0, 4.0, 5.0, 6.0],
        "asArray(3, 4, 5, 6) with the prefix 1",
    )
}

pub fn collection_types() -> CaseResult {
    let types = AllTypes::new()?;

    types.set_array_property(&["Hello", "World"])?;
    equal(
        types.array_property()?.get(1).map(String::as_str),
        Some("World"),
        "arrayProperty[1]",
    )?;

    let numbers = IndexMap::from([("Foo".to_owned(), Number::new(123)?)]);
    types.set_map_property(&numbers)?;
    let back = types.map_property()?;
    let entry = back.get("Foo").ok_or("mapProperty has no entry Foo")?;
    equal(entry.value()?, 123.0, "mapProperty[Foo].value")
}

pub fn arrays() -> CaseResult {
    let sum = Sum::new()?;
    let (two, three, five, ten) = (
        Number::new(2)?,
        Number::new(3)?,
        Number::new(5)?,
        Number::new(10)?,
    );
    let product = Multiply::new(&two, &three)?;
    sum.set_parts(&[&five, &ten, &product])?;
    equal(sum.value()?, 21.0, "the sum's value")?;
    let parts = sum.parts()?;
    equal(parts.len(), 3, "the number of parts")?;
    equal(parts[0].value()?, 5.0, "parts[0].value")?;
    equal(parts[2].value()?, 6.0, "parts[2].value")?;
    check(
        parts[2] == NumericValue::from(&product),
        "parts[2] is the Multiply that was set",
    )?;
    equal(
        sum.to_string()?,
        "(((0 + 5) + 10) + (2 * 3))".to_owned(),
        "the sum's toString",
    )
}
