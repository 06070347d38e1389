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
//! its pipe close and exits on its own). Every handle ([`ObjRef`] and the generated types that
//! wrap it) is `!Send` and `!Sync`, so handing a kernel object to another thread is a compile
//! error rather than a corrupted conversation:
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

mod api;
pub mod cache;
mod error;
mod kernel;
mod locate;
mod macros;
mod overrides;
mod process;
pub mod rt;
mod tarball;
mod value;

pub use api::{Callback, ObjRefWire, Override};
pub use error::{Error, Result};
pub use kernel::{KernelInfo, info, load, shutdown, start_transcript, take_transcript};
pub use locate::{
    LAUNCH_ENV, NODE_ENV, NODE_MODULES_ENV, RUNTIME_ENV, RUNTIME_PACKAGE, SUPPORTED_RUNTIME,
};
pub use overrides::{FromArgs, Getter, MAX_OVERRIDE_ARGS, Method, Overrides, ToArgs};
pub use process::{DEFAULT_NODE_FLAGS, NODE_FLAGS_ENV, SPIN_ENV};
pub use serde_json::{self, Value};
pub use tarball::TARBALL_DIR_ENV;
pub use value::{Any, Date, Downcast, FromWire, JsiiObject, JsiiType, ObjRef, OptionalArg, ToWire};

/// The wire protocol's message types, for tools and tests that speak it directly.
pub mod protocol {
    pub use crate::api::*;
    pub use crate::kernel::request;
}

/// A jsii package the bindings use: loaded into the kernel (dependencies first) on first use.
///
/// Generated crates define one `static` per assembly; `version` is the exact version they were
/// generated from, and loading fails with [`Error::PackageVersionMismatch`] if `node_modules`
/// holds another.
#[derive(Debug)]
pub struct Package {
    /// The npm package name.
    pub name: &'static str,
    /// The exact version.
    pub version: &'static str,
    /// jsii packages that must be loaded first.
    pub dependencies: &'static [&'static Package],
    /// The package's class and interface hierarchy, one type per line:
    /// `<fqn> <base fqn or -> <interface,interface>`. Used for checked downcasts.
    pub type_graph: &'static str,
}

/// A Rust object the kernel calls back: an implementation of jsii interfaces, or a class whose
/// members are overridden. Generated bindings implement this for you (decoding arguments by
/// their declared types); implement it by hand only for dynamic cases.
pub trait HostObject: 'static {
    /// Runs method `method` with wire arguments; returns the wire result.
    fn invoke(&self, this: &ObjRef, method: &str, args: Vec<Value>) -> Result<Value> {
        let _ = args;
        Err(Error::NoSuchCallback {
            objref: this.id().to_owned(),
            member: method.to_owned(),
        })
    }

    /// Reads property `property`.
    fn get(&self, this: &ObjRef, property: &str) -> Result<Value> {
        Err(Error::NoSuchCallback {
            objref: this.id().to_owned(),
            member: property.to_owned(),
        })
    }

    /// Writes property `property`.
    fn set(&self, this: &ObjRef, property: &str, value: Value) -> Result<()> {
        let _ = value;
        Err(Error::NoSuchCallback {
            objref: this.id().to_owned(),
            member: property.to_owned(),
        })
    }
}

/// Runs a jsii program's body and turns its outcome into an exit code: on success the kernel is
/// shut down and the code is 0; on failure the error is printed to stderr (with the JavaScript
/// stack when `JSII_RS_STACK=1` or `CDK_DEBUG=true`) and the code is 1.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     jsii_runtime::main(|| -> jsii_runtime::Result<()> {
///         // build and synthesize the app here
///         Ok(())
///     })
/// }
/// ```
pub fn main<E>(body: impl FnOnce() -> std::result::Result<(), E>) -> std::process::ExitCode
where
    E: std::error::Error + 'static,
{
    let outcome = body();
    let closed = shutdown();
    match (outcome, closed) {
        (Ok(()), Ok(())) => std::process::ExitCode::SUCCESS,
        (Ok(()), Err(e)) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
        (Err(e), _) => {
            eprintln!("{}", report(&e));
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
