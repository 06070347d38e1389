//! Third-party jsii construct libraries from npm, used from Rust through bindings generated the
//! way the README's "Adding a jsii library" says (`tests/libraries/bindings/bindings.toml`).
//! Each module builds a stack with one library's construct and synthesizes it, then runs the
//! same program written in JavaScript (`tests/libraries/js/`) and asserts that the two
//! templates are equal.
//!
//! The three libraries have different shapes:
//! - `solutions`: `@aws-solutions-constructs/aws-lambda-dynamodb`, from a construct family whose
//!   core package (`@aws-solutions-constructs/core`) gets no bindings and is only loaded;
//! - `monitoring`: `cdk-monitoring-constructs`, a large library (152 classes, 279 structs);
//! - `pipes`: `@aws-cdk/aws-pipes-alpha`, whose `Pipe` calls back a source and a target that
//!   the program implements (the `ISource` and `ITarget` interfaces, in Rust here).
//!
//! They need node and `node_modules` (bin/setup); a missing prerequisite fails with a message
//! naming it.

mod monitoring;
mod pipes;
mod solutions;
mod support;
