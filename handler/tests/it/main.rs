//! Integration tests of the lookup handler, in one test binary: the fixtures through the lookup,
//! the lookup through the real aws-sdk-dynamodb against dynalite, the built binary against a
//! local Lambda Runtime API, `cargo lambda watch` + `invoke`, and the arm64 build under qemu.
//!
//! Every tool these tests need is installed by `bin/setup`; a missing one fails the test with a
//! message naming it.

mod arm64;
mod binary;
mod dynamodb;
mod fixtures;
mod importer;
mod support;
mod watch;

use std::sync::{Mutex, MutexGuard};

/// Taken by the tests that run cargo builds (watch, arm64), so they do not fight over the two
/// cores and the target directory at the same time.
static BUILDS: Mutex<()> = Mutex::new(());

fn builds() -> MutexGuard<'static, ()> {
    BUILDS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A current-thread runtime, like the Lambda's.
fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime always builds")
        .block_on(future)
}
