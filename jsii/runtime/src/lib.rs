//! A client for the jsii kernel: it lets Rust use jsii libraries (aws-cdk-lib, constructs,
//! cdk-nag, ...) by driving the real `@jsii/runtime` Node.js process, the way the Go, Python,
//! Java and .NET hosts do.
//!
//! This crate is the only part of the project that starts node or speaks kernel JSON. It knows
//! nothing about the CDK or about code generation: generated bindings (see `jsii-codegen`) call
//! the functions in [`rt`], and hand-written helpers they need live here, not in generated code.
//!
//! # Thread model
//!
//! The kernel protocol is one synchronous conversation, with callbacks that re-enter it. Each
//! thread that uses jsii gets its own kernel process, started on first use and ended by
//! [`shutdown`] (or when the thread ends; if the program exits without either, the kernel sees
//! its pipe close and exits on its own). [`prestart`] starts the thread's node early, so that
//! what the program does before its first jsii call runs while node boots. Every handle
//! ([`ObjRef`] and the generated types that wrap it) is `!Send` and `!Sync`, so handing a kernel
//! object to another thread is a compile error rather than a corrupted conversation:
//!
//! ```compile_fail
//! fn needs_send<T: Send>(_: T) {}
//! fn check(obj: jsii_runtime::ObjRef) { needs_send(obj) }
//! ```
//!
//! # Finding node and the packages
//!
//! `node` comes from `PATH` or `JSII_NODE`. The kernel and the jsii packages come from the
//! project's `node_modules` (installed by `npm ci` from the committed lockfile), found above the
//! current directory or the executable, or named by `JSII_RS_NODE_MODULES`. On Unix the kernel is
//! launched directly with the protocol on fd 3 (set `JSII_RS_LAUNCH=wrapper` for the portable
//! stdin/stdout wrapper, or `JSII_RUNTIME` for your own entry script). `JSII_DEBUG=1` makes the
//! kernel echo the conversation on stderr. The whole environment is passed to node, so
//! aws-cdk-lib sees `CDK_OUTDIR`, `CDK_CONTEXT_JSON` and friends.
//!
//! # Errors
//!
//! Every call returns [`Result`]; nothing panics on bad input or a dead kernel. A JavaScript
//! exception arrives as [`Error::Js`] with its name, message and stack. A Rust callback that
//! returns `Err` or panics is reported to the kernel as a JavaScript error, which JavaScript may
//! catch; if it does not, the original call fails with that message.
//!
//! # Object lifetime
//!
//! The client never sends `del`: the kernel keeps an object's id tag after `del`, so a later
//! reference to the same object would dangle. Objects live as long as the kernel.

// The layers, each module depending only on modules of the layers above it:
//   error                      the error type (and the kernel's error names)
//   wire                       the `$jsii.*` codec: JSON <-> plain data; knows no kernel
//   api                        one wire message per file
//   objects                    the thread's object store: id -> handle, host objects
//   types                      the thread's type registry, for checked downcasts
//   value                      the typed value model over wire, objects and types
//   args                       how call sites pass arguments: optional, upcast, numbers
//   locate, tarball, cache     finding node and packages, packing, the kernel's package cache
//   fast                       every speed-up of a kernel start, behind JSII_RS_FAST: node
//                              flags, the preload script, the startup snapshot
//   process                    spawning node, the line transport
//   kernel                     one conversation with one process: requests, callbacks
//   packages                   loading packages into a kernel (registers their types)
//   session                    the thread's kernel: prestart, start on first use, shutdown
//   calls                      the kernel calls bindings make (create, get, invoke, ...)
//   overrides                  members of jsii classes implemented in Rust
//   rt, macros                 what generated bindings use: calls, overrides, wire, gathered
// `tests/layering.rs` checks this order.
mod api;
mod args;
pub mod cache;
mod calls;
mod error;
mod fast;
mod kernel;
mod locate;
mod macros;
mod objects;
mod overrides;
mod packages;
mod process;
pub mod rt;
mod session;
mod tarball;
mod types;
mod value;
mod wire;

pub use api::{Callback, ObjRefWire, Override};
pub use args::{Number, OptionalArg, OptionalNumber, Set, Unset, Upcast};
pub use error::{Error, Result};
pub use fast::entry::{COMPILE_CACHE_ENV, KERNEL_ENTRY_ENV};
pub use fast::snapshot::KERNEL_SNAPSHOT_ENV;
pub use fast::{DEFAULT_NODE_FLAGS, FAST_ENV, NODE_FLAGS_ENV};
pub use indexmap::{self, IndexMap};
pub use locate::{
    LAUNCH_ENV, NODE_ENV, NODE_MODULES_ENV, RUNTIME_ENV, RUNTIME_PACKAGE, SUPPORTED_RUNTIME,
};
pub use objects::{HostObject, ObjRef};
pub use overrides::{FromArgs, Getter, MAX_OVERRIDE_ARGS, Method, Overrides, Setter, ToArgs};
pub use packages::Package;
pub use process::agent;
pub use serde_json::{self, Value};
pub use session::{KernelInfo, info, load, prestart, shutdown, start_transcript, take_transcript};
pub use tarball::TARBALL_DIR_ENV;
pub use value::{Any, Date, Downcast, FromWire, JsiiObject, JsiiType, ToWire, ValueHash};

/// The wire protocol's message types, for tools and tests that speak it directly.
pub mod protocol {
    pub use crate::api::*;
    pub use crate::session::request;
}

/// Runs a jsii program's body and turns its outcome into an exit code: on success the kernel is
/// shut down and the code is 0; on failure the error is printed to stderr (with the JavaScript
/// stack when `JSII_RS_STACK=1` or `CDK_DEBUG=true`) and the code is 1.
///
/// The body is a closure ending in `Ok(())`, with `?` on any usual error: [`Error`] (every jsii
/// call), `std::io::Error`, your own error type, an `anyhow::Error`, a `String` or `&str`; each
/// becomes a `Box<dyn std::error::Error>`, and its causes are printed too. No annotation is needed:
///
/// ```no_run
/// #[derive(Debug)]
/// struct NoBootstrap;
/// impl std::fmt::Display for NoBootstrap {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.write_str("build the Lambda first")
///     }
/// }
/// impl std::error::Error for NoBootstrap {}
///
/// fn main() -> std::process::ExitCode {
///     jsii_runtime::main(|| {
///         jsii_runtime::info()?; // a jsii error
///         let _settings = std::fs::read_to_string("settings.json")?; // std::io::Error
///         let _port: u16 = "3".parse()?; // any std::error::Error
///         if std::env::args().count() > 9 {
///             Err(NoBootstrap)?; // your own error type
///         }
///         Err(anyhow::anyhow!("an anyhow::Error"))?;
///         Ok(())
///     })
/// }
/// ```
///
/// A function that returns its own `Result` fits too: `jsii_runtime::main(|| Ok(synth()?))`.
pub fn main(
    body: impl FnOnce() -> std::result::Result<(), Box<dyn std::error::Error>>,
) -> std::process::ExitCode {
    let outcome = body();
    let closed = shutdown();
    match (outcome, closed) {
        (Ok(()), Ok(())) => std::process::ExitCode::SUCCESS,
        (Ok(()), Err(e)) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
        (Err(e), _) => {
            eprintln!("{}", report(e.as_ref()));
            std::process::ExitCode::FAILURE
        }
    }
}

/// Formats an error and its causes for a terminal, with the JavaScript stack when asked for.
pub fn report(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = format!("error: {error}");
    let mut source = error.source();
    while let Some(s) = source {
        out.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    let want_stack = std::env::var("JSII_RS_STACK").is_ok_and(|v| v == "1")
        || std::env::var("CDK_DEBUG").is_ok_and(|v| v == "true");
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cur {
        if let Some(js) = e.downcast_ref::<Error>() {
            if let Some(stack) = js.js_stack() {
                if want_stack {
                    out.push_str(&format!("\nJavaScript stack:\n{stack}"));
                } else {
                    out.push_str("\n(set JSII_RS_STACK=1 to see the JavaScript stack)");
                }
            }
            break;
        }
        cur = e.source();
    }
    out
}
