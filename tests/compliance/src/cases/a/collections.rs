//! Lists and maps: returned by static and instance members, passed to constructors, read back
//! from class properties, lists of structs, optional collections.

use crate::harness::{CaseResult, check, equal};
use jsii_calc::{
    Calculator, ClassWithCollections, DisappointingCollectionSource, InterfaceCollections,
};
use jsii_runtime::IndexMap;

/// The map `{ key1: 'value1', key2: 'value2' }` that ClassWithCollections returns.
fn two_keys() -> IndexMap<String, String> {
    IndexMap::from([
        ("key1".to_owned(), "value1".to_owned()),
        ("key2".to_owned(), "value2".to_owned()),
    ])
}

pub fn static_map_in_class_can_be_read_correctly() -> CaseResult {
    let map = ClassWithCollections::static_map()?;
    equal(
        map.get("key1").map(String::as_str),
        Some("value1"),
        "staticMap key1",
    )?;
    equal(
        map.get("key2").map(String::as_str),
        Some("value2"),
        "staticMap key2",
    )?;
    equal(map.len(), 2, "staticMap size")?;
    equal(map, two_keys(), "staticMap")
}

pub fn maps() -> CaseResult {
    // The props are optional: no `CalculatorProps` needed.
    let calc = Calculator::new(None)?;
    calc.add(10)?;
    calc.add(20)?;
    calc.mul(2)?;
    let operations = calc.operations_map()?;
    let adds = operations
        .get("add")
        .ok_or("operationsMap has no \"add\"")?;
    let muls = operations
        .get("mul")
        .ok_or("operationsMap has no \"mul\"")?;
    equal(adds.len(), 2, "additions in operationsMap")?;
    equal(muls.len(), 1, "multiplications in operationsMap")?;
    equal(adds[1].value()?, 30.0, "value of the second addition")
}

pub fn array_returned_by_method_can_be_read() -> CaseResult {
    let list = ClassWithCollections::create_a_list()?;
    check(
        list.iter().any(|s| s == "one"),
        format!("createAList() = {list:?} holds \"one\""),
    )?;
    check(
        list.iter().any(|s| s == "two"),
        format!("createAList() = {list:?} holds \"two\""),
    )?;
    equal(
        list,
        vec!["one".to_owned(), "two".to_owned()],
        "createAList()",
    )
}

pub fn list_in_class_can_be_read_correctly() -> CaseResult {
    let collections = ClassWithCollections::new(&IndexMap::new(), &["one", "two"])?;
    let array = collections.array()?;
    equal(array.first().map(String::as_str), Some("one"), "array[0]")?;
    equal(array.get(1).map(String::as_str), Some("two"), "array[1]")?;
    equal(array.len(), 2, "array length")
}

pub fn collection_of_interfaces_list_of_structs() -> CaseResult {
    // Typed as `Vec<StructA>`: every element decoded as a StructA.
    let list = InterfaceCollections::list_of_structs()?;
    let first = list.first().ok_or("listOfStructs() is empty")?;
    equal(
        first.required_string.as_str(),
        "Hello, I'm String!",
        "listOfStructs()[0].requiredString",
    )
}

pub fn null_is_a_valid_optional_map() -> CaseResult {
    equal(
        DisappointingCollectionSource::maybe_map()?,
        None,
        "DisappointingCollectionSource.MAYBE_MAP",
    )
}

pub fn map_returned_by_method_can_be_read() -> CaseResult {
    let map = ClassWithCollections::create_a_map()?;
    equal(
        map.get("key1").map(String::as_str),
        Some("value1"),
        "createAMap() key1",
    )?;
    equal(
        map.get("key2").map(String::as_str),
        Some("value2"),
        "createAMap() key2",
    )?;
    equal(map.len(), 2, "createAMap() size")?;
    equal(map, two_keys(), "createAMap()")
}

/// Java checks that the list cannot be modified. In Rust the list is a `Vec` the caller owns, a
/// copy: changing it leaves the static list in JavaScript as it was.
pub fn static_list_in_class_cannot_be_modified() -> CaseResult {
    let mut list = ClassWithCollections::static_array()?;
    list.push("three".to_owned());
    list.retain(|s| s != "one");
    equal(
        ClassWithCollections::static_array()?,
        vec!["one".to_owned(), "two".to_owned()],
        "staticArray after changing the Vec read from it",
    )
}
