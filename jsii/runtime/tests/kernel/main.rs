//! Tests against the real kernel: the pinned `@jsii/runtime` driving the real constructs and
//! aws-cdk-lib from `node_modules`, with hand-written calls (no generated bindings).
//!
//! They need node and `npm ci`; `bin/setup` installs both. Each test runs on its own thread, so
//! each gets its own kernel.

mod cdk;
mod entry;
mod failures;
mod snapshot;
mod support;
mod transcript;
