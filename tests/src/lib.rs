//! What the compiler guarantees about the generated API, shown on the fixture library
//! (`jsii-rs-fixture`) as doctests that must not compile. The end-to-end behaviour is in the
//! test binaries of this package (`tests/fixture`).
//!
//! # Every field of a struct is named, and every required one is set once
//!
//! Structs are built with a builder whose setters are named after the fields, so two values of
//! the same type cannot trade places unnoticed. `FlowSpec` has four required strings, like
//! aws-cdk-lib's `CfnContactFlowProps`:
//!
//! ```
//! use jsii_rs_fixture::FlowSpec;
//! let spec = FlowSpec::builder()
//!     .content("{}")
//!     .instance_arn("arn:aws:connect:us-east-1:123456789012:instance/abcd")
//!     .name("Lookup")
//!     .r#type("CONTACT_FLOW")
//!     .build();
//! assert_eq!(spec.name, "Lookup");
//! ```
//!
//! There is no positional constructor to pass them to in the wrong order:
//!
//! ```compile_fail,E0599
//! use jsii_rs_fixture::FlowSpec;
//! let spec = FlowSpec::new("{}", "arn:aws:connect:...", "Lookup", "CONTACT_FLOW");
//! ```
//!
//! A required field left out means there is no `build()` (the builder's type says which fields
//! are still `Unset`):
//!
//! ```compile_fail,E0599
//! use jsii_rs_fixture::FlowSpec;
//! let spec = FlowSpec::builder()
//!     .content("{}")
//!     .instance_arn("arn:aws:connect:us-east-1:123456789012:instance/abcd")
//!     .name("Lookup")
//!     .build();
//! ```
//!
//! and a required field set twice (here `name` where `type` was meant) does not compile either:
//!
//! ```compile_fail,E0599
//! use jsii_rs_fixture::FlowSpec;
//! let spec = FlowSpec::builder()
//!     .content("{}")
//!     .instance_arn("arn:aws:connect:us-east-1:123456789012:instance/abcd")
//!     .name("Lookup")
//!     .name("CONTACT_FLOW")
//!     .build();
//! ```
//!
//! `AlarmDefaults` has a required boolean and a required string, like cdk-monitoring-constructs'
//! `AlarmFactoryDefaults`. Named, the two cannot be exchanged:
//!
//! ```
//! use jsii_rs_fixture::AlarmDefaults;
//! let d = AlarmDefaults::builder().actions_enabled(true).alarm_name_prefix("Orders").build();
//! assert!(d.actions_enabled);
//! ```
//!
//! ```compile_fail,E0308
//! use jsii_rs_fixture::AlarmDefaults;
//! let d = AlarmDefaults::builder().actions_enabled("Orders").alarm_name_prefix(true).build();
//! ```
//!
//! ```compile_fail,E0599
//! use jsii_rs_fixture::AlarmDefaults;
//! let d = AlarmDefaults::builder().alarm_name_prefix("Orders").build();
//! ```
//!
//! # Objects are passed as `&x`, optional ones as `&x` or `None`
//!
//! An optional interface parameter takes a reference to anything implementing the interface,
//! or `None`; an `Option` wrapped around it is not the convention, and a value that does not
//! implement the interface is refused:
//!
//! ```compile_fail,E0277
//! use jsii_rs_fixture::{Calculator, Specs};
//! fn greet(calculator: &Calculator) -> jsii_runtime::Result<String> {
//!     Specs::greet_with("Ann", calculator) // a Calculator is not an IGreeter
//! }
//! ```
