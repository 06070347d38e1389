//! Local stand-ins for the cloud that the handler's and the app's tests and demos share: guards
//! that stop every process they started (also on panic), commands run with a timeout and their
//! output captured, a minimal Lambda Runtime API to run a function binary against, the Connect
//! event fixtures and how the demos print them, and the paths of the tools `bin/setup`
//! installs.
//!
//! It depends on neither `handler` nor `app` (they share no code with each other), and knows
//! nothing about DynamoDB or CloudFormation: each crate keeps its own emulator helpers. A missing
//! tool is an error naming `bin/setup`, never a reason to skip.

mod display;
mod paths;
mod process;
mod runtime_api;

pub use display::{describe_event, format_outcome};
pub use paths::{
    fixture, fixture_names, fixture_path, installed_tool, root, target_dir, target_path, tool_path,
};
pub use process::{
    ChildGuard, Finished, GroupGuard, free_port, run_echoed, run_with_timeout, spawn_on_free_port,
    tethered, wait_for_port,
};
pub use runtime_api::{Outcome, RuntimeApi, start_function};

/// Errors of this support code: a sentence saying what failed and what to do.
pub type Result<T> = std::result::Result<T, String>;
