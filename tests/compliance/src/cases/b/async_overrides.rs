//! Async methods of `AsyncVirtualMethods`, called from Rust and overridden in Rust, through their
//! typed member constants like synchronous ones: `call_super` reaches the JavaScript original
//! (the runtime starts and awaits the async call).
//!
//! `callMe()` is `await this.overrideMe(10) + this.dontOverrideMe() + await this.overrideMeToo()`,
//! that is `12 * 10 + 8 + 0` without overrides.

use crate::harness::{CaseResult, Failure, check, equal, js_error};
use jsii_calc::AsyncVirtualMethods;
use jsii_runtime::Overrides;
use std::ops::Deref;

/// The other ports' `OverrideAsyncMethods`: `overrideMe` runs in Rust and calls another Rust
/// method, `foo`, which overrides nothing.
pub(super) struct OverrideAsyncMethods(AsyncVirtualMethods);

impl OverrideAsyncMethods {
    pub(super) fn new() -> jsii_runtime::Result<OverrideAsyncMethods> {
        AsyncVirtualMethods::new_with_overrides(
            Overrides::new().override_method(AsyncVirtualMethods::OVERRIDE_ME, |_this, _mult| {
                Ok(OverrideAsyncMethods::foo() * 2.0)
            }),
        )
        .map(OverrideAsyncMethods)
    }

    /// A method of the Rust type that is no member of the jsii class.
    fn foo() -> f64 {
        2222.0
    }
}

impl Deref for OverrideAsyncMethods {
    type Target = AsyncVirtualMethods;
    fn deref(&self) -> &AsyncVirtualMethods {
        &self.0
    }
}

/// The other ports' `OverrideAsyncMethodsByBaseClass`: a type built on `OverrideAsyncMethods`
/// that adds nothing, so the override comes from its base.
struct OverrideAsyncMethodsByBaseClass(OverrideAsyncMethods);

impl OverrideAsyncMethodsByBaseClass {
    fn new() -> jsii_runtime::Result<OverrideAsyncMethodsByBaseClass> {
        OverrideAsyncMethods::new().map(OverrideAsyncMethodsByBaseClass)
    }
}

impl Deref for OverrideAsyncMethodsByBaseClass {
    type Target = OverrideAsyncMethods;
    fn deref(&self) -> &OverrideAsyncMethods {
        &self.0
    }
}

pub fn call_async_method() -> CaseResult {
    let obj = AsyncVirtualMethods::new()?;
    equal(obj.call_me()?, 128.0, "callMe()")?;
    equal(obj.override_me(44)?, 528.0, "overrideMe(44)")?;
    // And once more, on the same object.
    equal(obj.call_me()?, 128.0, "callMe() again")
}

pub fn override_async_method() -> CaseResult {
    let obj = OverrideAsyncMethods::new()?;
    equal(obj.call_me()?, 4452.0, "callMe() with overrideMe in Rust")
}

pub fn override_async_method_by_parent_class() -> CaseResult {
    let obj = OverrideAsyncMethodsByBaseClass::new()?;
    equal(
        obj.call_me()?,
        4452.0,
        "callMe() with overrideMe overridden by the base type",
    )
}

pub fn override_calls_super() -> CaseResult {
    let obj = AsyncVirtualMethods::new_with_overrides(Overrides::new().override_method(
        AsyncVirtualMethods::OVERRIDE_ME,
        |this, (mult,)| {
            let original = AsyncVirtualMethods::OVERRIDE_ME.call_super(this, (mult,))?;
            Ok(original * 10.0 + 1.0)
        },
    ))?;
    // Both calls are made whatever the first gives, so a failure names every call that failed.
    let from_rust = obj.override_me(12).map_err(Failure::from).and_then(|v| {
        equal(
            v,
            1441.0,
            "overrideMe(12) called from Rust runs the override",
        )
    });
    let from_javascript = obj
        .call_me()
        .map_err(Failure::from)
        .and_then(|v| equal(v, 1209.0, "callMe() with overrideMe calling super"));
    match (from_rust, from_javascript) {
        (Err(Failure(a)), Err(Failure(b))) => Err(Failure(format!("{a}; and {b}"))),
        (a, b) => a.and(b),
    }
}

pub fn two_overrides() -> CaseResult {
    let obj = AsyncVirtualMethods::new_with_overrides(
        Overrides::new()
            .override_method(AsyncVirtualMethods::OVERRIDE_ME, |_this, _mult| Ok(666.0))
            .override_method(AsyncVirtualMethods::OVERRIDE_ME_TOO, |_this, ()| Ok(10.0)),
    )?;
    equal(obj.call_me()?, 684.0, "callMe() with two async overrides")
}

pub fn override_throws() -> CaseResult {
    let obj = AsyncVirtualMethods::new_with_overrides(Overrides::new().override_method(
        AsyncVirtualMethods::OVERRIDE_ME,
        |_this, _mult| -> jsii_runtime::Result<f64> {
            Err(jsii_runtime::Error::msg("Thrown by native code"))
        },
    ))?;
    let (_, message) = js_error(obj.call_me())?;
    check(
        message.contains("Thrown by native code"),
        format!("callMe() fails with the override's error, got {message:?}"),
    )?;
    // The object and the kernel still work.
    equal(obj.dont_override_me()?, 8.0, "dontOverrideMe() afterwards")
}
