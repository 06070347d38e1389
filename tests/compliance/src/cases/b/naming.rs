//! Members named with Rust keywords: raw identifiers (`r#const`) where Rust allows them, a
//! trailing underscore (`self_`, `new_`, `super_`) where it does not; the jsii names reach
//! JavaScript unchanged.

use crate::harness::{CaseResult, equal};
use jsii_calc::python_self::{ClassWithSelf, ClassWithSelfKwarg, StructWithSelf};
use jsii_calc::{
    ClassWithJavaReservedWords, JavaReservedWords, PythonReservedWords, StructWithJavaReservedWords,
};

pub fn keywords_in_struct_properties() -> CaseResult {
    // Java's keywords, plain identifiers in Rust.
    let java = StructWithJavaReservedWords::builder()
        .assert("one")
        .default("two")
        .build();
    equal(java.assert.as_deref(), Some("one"), "assert")?;
    equal(java.default.as_str(), "two", "default")?;

    // `self`, which Rust cannot use even as a raw identifier, sent to JavaScript and read back.
    let props = StructWithSelf::builder().self_("Howdy!").build();
    equal(props.self_.as_str(), "Howdy!", "self")?;
    let subject = ClassWithSelfKwarg::new(props.clone())?;
    equal(subject.props()?, props, "props read back from JavaScript")
}

pub fn keywords_in_class_properties() -> CaseResult {
    // Java's port: a constructor parameter and a property named `int`, a method `import` with a
    // parameter `assert`.
    let java = ClassWithJavaReservedWords::new("one")?;
    equal(java.import("two")?, "onetwo".to_owned(), "import(\"two\")")?;
    equal(java.int()?, "one".to_owned(), "int")?;

    // A property named `while`.
    equal(
        JavaReservedWords::new()?.r#while()?,
        "hello".to_owned(),
        "while",
    )?;

    // A constructor parameter, a property and a method parameter named `self`.
    let subject = ClassWithSelf::new("Howdy!")?;
    equal(subject.self_()?, "Howdy!".to_owned(), "self")?;
    equal(subject.method(1337)?, "1337".to_owned(), "method(1337)")
}

pub fn keywords_in_method_names() -> CaseResult {
    // Every method of the two classes whose name is a Rust keyword (strict or reserved).
    let java = JavaReservedWords::new()?;
    java.r#abstract()?;
    java.r#break()?;
    java.r#const()?;
    java.r#continue()?;
    java.r#do()?;
    java.r#else()?;
    java.r#enum()?;
    java.r#false()?;
    java.r#final()?;
    java.r#for()?;
    java.r#if()?;
    java.new_()?;
    java.r#return()?;
    java.r#static()?;
    java.super_()?;
    java.r#true()?;
    java.r#try()?;
    // And a few of Java's keywords that are plain identifiers in Rust.
    java.import()?;
    java.class()?;
    java.default()?;
    equal(java.r#while()?, "hello".to_owned(), "the property while")?;

    let python = PythonReservedWords::new()?;
    python.r#as()?;
    python.r#async()?;
    python.r#await()?;
    python.r#break()?;
    python.r#continue()?;
    python.r#else()?;
    python.r#for()?;
    python.r#if()?;
    python.r#in()?;
    python.r#return()?;
    python.r#try()?;
    python.r#while()?;
    python.r#yield()?;
    python.import()?;
    python.from()?;
    Ok(())
}
