//! Structs: built with their builders, compared, hashed, sent to JavaScript (also inside unions
//! and through a base struct type) and read back.

use crate::harness::{CaseResult, check, equal};
use jsii_calc::{
    Calculator, CalculatorProps, ChildStruct982, Demonstrate982, DerivedStruct,
    DiamondInheritanceTopLevelStruct, DoubleTrouble, GiveMeStructs, OptionalStruct,
    ParentStruct982, StableStruct, StructA, StructB, StructUnionConsumer,
    StructWithJavaReservedWords,
};
use jsii_runtime::Date;
use scope_jsii_calc_lib::{MyFirstStruct, StructWithOnlyOptionals};

fn diamond(second_mid_level: &str) -> DiamondInheritanceTopLevelStruct {
    DiamondInheritanceTopLevelStruct::builder()
        .base_level_property("one")
        .first_mid_level_property("two")
        .second_mid_level_property(second_mid_level)
        .top_level_property("four")
        .build()
}

pub fn multiple_properties_equals() -> CaseResult {
    let a = diamond("three");
    let b = diamond("three");
    let c = diamond("different");
    check(a == b, "structs with equal fields are equal")?;
    check(a != c, "structs that differ in one field are not equal")
}

pub fn diamond_inheritance_dedupes_properties() -> CaseResult {
    let s = DiamondInheritanceTopLevelStruct::builder()
        .base_level_property("base")
        .first_mid_level_property("mid1")
        .second_mid_level_property("mid2")
        .top_level_property("top")
        .build();
    equal(s.base_level_property.as_str(), "base", "baseLevelProperty")?;
    equal(
        s.first_mid_level_property.as_str(),
        "mid1",
        "firstMidLevelProperty",
    )?;
    equal(
        s.second_mid_level_property.as_str(),
        "mid2",
        "secondMidLevelProperty",
    )?;
    equal(s.top_level_property.as_str(), "top", "topLevelProperty")
}

/// The four hash code cases: what the Java port checks with `hashCode()` is, in Rust, the
/// `Hash` trait, consistent with `PartialEq` (equal structs hash alike).
fn hash_of<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::Hasher as _;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

pub fn hash_resists_property_shadowing_result_variable() -> CaseResult {
    // `result` and `that` are fields of the struct: a naive generated hash would shadow them.
    let first = StructWithJavaReservedWords::builder()
        .default("one")
        .build();
    let second = StructWithJavaReservedWords::builder()
        .default("one")
        .build();
    let third = StructWithJavaReservedWords::builder()
        .default("two")
        .build();
    check(first == second && first != third, "equality of the structs")?;
    equal(
        hash_of(&first),
        hash_of(&second),
        "equal structs hash alike",
    )?;
    check(
        hash_of(&first) != hash_of(&third),
        "different structs hash differently",
    )
}

pub fn multiple_properties_hash() -> CaseResult {
    let a = diamond("three");
    let b = diamond("three");
    let c = diamond("different");
    check(a == b && a != c, "equality of the structs")?;
    equal(hash_of(&a), hash_of(&b), "equal structs hash alike")?;
    check(
        hash_of(&a) != hash_of(&c),
        "different structs hash differently",
    )
}

pub fn optional_hash() -> CaseResult {
    let a = OptionalStruct::builder().field("one").build();
    let b = OptionalStruct::builder().field("one").build();
    let c = OptionalStruct::builder().field("two").build();
    let d = OptionalStruct::builder().build();
    check(a == b && a != c && a != d, "equality of the structs")?;
    equal(hash_of(&a), hash_of(&b), "equal structs hash alike")?;
    check(
        hash_of(&a) != hash_of(&c),
        "a different field hashes differently",
    )?;
    check(
        hash_of(&a) != hash_of(&d),
        "an unset field hashes differently",
    )
}

pub fn non_optional_hash() -> CaseResult {
    let a = StableStruct::builder().readonly_property("one").build();
    let b = StableStruct::builder().readonly_property("one").build();
    let c = StableStruct::builder().readonly_property("two").build();
    check(a == b && a != c, "equality of the structs")?;
    equal(hash_of(&a), hash_of(&b), "equal structs hash alike")?;
    check(
        hash_of(&a) != hash_of(&c),
        "different structs hash differently",
    )
}

pub fn optional_equals() -> CaseResult {
    let a = OptionalStruct::builder().field("one").build();
    let b = OptionalStruct::builder().field("one").build();
    let c = OptionalStruct::builder().field("two").build();
    let d = OptionalStruct::builder().build();
    check(a == b, "structs with the same optional field are equal")?;
    check(
        a != c,
        "structs with different optional fields are not equal",
    )?;
    check(
        a != d,
        "a struct with the field set differs from one without",
    )
}

pub fn structs_can_be_downcasted_to_parent_type() -> CaseResult {
    // The same JavaScript object, returned as the child struct and then as its parent.
    equal(
        Demonstrate982::take_this()?,
        ChildStruct982::builder().foo("foo").bar(1337).build(),
        "takeThis",
    )?;
    equal(
        Demonstrate982::take_this_too()?,
        ParentStruct982::builder().foo("foo").build(),
        "takeThisToo",
    )
}

pub fn serialize_to_jsii() -> CaseResult {
    let first = MyFirstStruct::builder()
        .astring("FirstString")
        .anumber(999)
        .first_optional(["First", "Optional"])
        .build();
    let double_trouble = DoubleTrouble::new()?;
    let derived = DerivedStruct::builder()
        .non_primitive(&double_trouble)
        .bool(false)
        .another_required(Date::now())
        .astring("String")
        .anumber(1234)
        .first_optional(["one", "two"])
        .build();

    let gms = GiveMeStructs::new()?;
    equal(
        gms.read_first_number(first)?,
        999.0,
        "readFirstNumber(first)",
    )?;
    // The derived struct's inherited fields, as the base struct.
    let mut as_first = MyFirstStruct::builder()
        .astring(derived.astring.as_str())
        .anumber(derived.anumber)
        .build();
    as_first.first_optional = derived.first_optional.clone();
    equal(
        gms.read_first_number(as_first.clone())?,
        1234.0,
        "readFirstNumber(the derived struct's fields)",
    )?;
    // JavaScript's own view of the derived struct as its base.
    equal(
        gms.derived_to_first(derived.clone())?,
        as_first,
        "derivedToFirst",
    )?;
    check(
        gms.read_derived_non_primitive(derived)? == double_trouble,
        "readDerivedNonPrimitive returns the DoubleTrouble that was sent",
    )?;

    let literal = gms.struct_literal()?;
    equal(
        literal.optional1.as_deref(),
        Some("optional1FromStructLiteral"),
        "structLiteral.optional1",
    )?;
    equal(literal.optional3, Some(false), "structLiteral.optional3")?;
    equal(literal.optional2, None, "structLiteral.optional2")?;
    let native = StructWithOnlyOptionals::builder()
        .optional1("optional1FromStructLiteral")
        .optional3(false)
        .build();
    equal(
        literal,
        native,
        "structLiteral against the same struct built in Rust",
    )
}

pub fn correctly_deserializes_struct_unions() -> CaseResult {
    let a0 = StructA::builder()
        .required_string("Present!")
        .optional_string("Bazinga!")
        .build();
    let a1 = StructA::builder()
        .required_string("Present!")
        .optional_number(1337)
        .build();
    let b0 = StructB::builder()
        .required_string("Present!")
        .optional_boolean(true)
        .build();
    let b1 = StructB::builder()
        .required_string("Present!")
        .optional_struct_a(a1.clone())
        .build();

    check(
        StructUnionConsumer::is_struct_a(a0.clone())?,
        "isStructA(a0)",
    )?;
    check(
        StructUnionConsumer::is_struct_a(a1.clone())?,
        "isStructA(a1)",
    )?;
    check(
        !StructUnionConsumer::is_struct_a(b0.clone())?,
        "!isStructA(b0)",
    )?;
    check(
        !StructUnionConsumer::is_struct_a(b1.clone())?,
        "!isStructA(b1)",
    )?;

    check(!StructUnionConsumer::is_struct_b(a0)?, "!isStructB(a0)")?;
    check(!StructUnionConsumer::is_struct_b(a1)?, "!isStructB(a1)")?;
    check(StructUnionConsumer::is_struct_b(b0)?, "isStructB(b0)")?;
    check(StructUnionConsumer::is_struct_b(b1)?, "isStructB(b1)")
}

/// The Java port's fluent API case: a struct built with chained setters, then used.
pub fn fluent_api() -> CaseResult {
    let calc = Calculator::new(
        CalculatorProps::builder()
            .initial_value(20)
            .maximum_value(30)
            .build(),
    )?;
    calc.add(3)?;
    equal(calc.value()?, 23.0, "the calculator's value")
}
