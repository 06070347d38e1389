//! The crate's one error type. Each variant names what went wrong; its message says how to fix it.

use std::path::PathBuf;

/// The kernel's name for a host or protocol mistake.
pub(crate) const FAULT: &str = "@jsii/kernel.Fault";
/// The kernel's name for a value that does not match its declared type.
pub(crate) const SERIALIZATION_ERROR: &str = "@jsii/kernel.SerializationError";
/// The kernel's name for a JavaScript error thrown inside a call, and the name a host gives a
/// failed callback.
pub(crate) const RUNTIME_ERROR: &str = "@jsii/kernel.RuntimeError";

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while talking to the jsii kernel.
///
/// Errors thrown by JavaScript code (a construct rejecting its props, say) arrive as
/// [`Error::Js`], with the name, message and stack the library gave them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The `node` binary could not be started.
    #[error(
        "could not start Node.js (`{node}`): {source}. Install Node.js 20 or newer \
         (https://nodejs.org) or point JSII_NODE at a node binary"
    )]
    NodeNotFound {
        /// The program we tried to run (`node`, or the value of `JSII_NODE`).
        node: String,
        /// Why the operating system refused.
        #[source]
        source: std::io::Error,
    },

    /// `node` runs but is older than the kernel supports.
    #[error(
        "Node.js {found} is too old for the jsii kernel (needs {required} or newer): \
         install a newer Node.js or point JSII_NODE at one"
    )]
    NodeTooOld {
        /// The version `node --version` printed.
        found: String,
        /// The oldest version this crate supports.
        required: &'static str,
    },

    /// `@jsii/runtime` is not installed where we looked.
    #[error(
        "the jsii kernel (npm package @jsii/runtime) is not installed: looked for \
         node_modules/@jsii/runtime in {searched}. Run `npm ci` in the project root \
         (bin/setup does it), or set JSII_RS_NODE_MODULES to the node_modules directory"
    )]
    RuntimeNotInstalled {
        /// The directories searched, joined for display.
        searched: String,
    },

    /// The kernel greeted us with a version this crate does not speak.
    #[error(
        "the installed @jsii/runtime is {found}, but this client needs {required}: \
         run `npm ci` so node_modules matches package-lock.json"
    )]
    RuntimeVersion {
        /// The version from the kernel's hello line.
        found: String,
        /// The semver range this crate accepts.
        required: &'static str,
    },

    /// A jsii package the bindings need is not installed.
    #[error(
        "the npm package {name}@{version} is not installed (searched {searched}): \
         run `npm ci` in the project root (bin/setup does it)"
    )]
    PackageNotInstalled {
        /// The npm package name.
        name: String,
        /// The version the bindings were generated from.
        version: String,
        /// The directories searched, joined for display.
        searched: String,
    },

    /// The installed package has another version than the generated bindings.
    #[error(
        "the bindings were generated for {name}@{expected} but node_modules has {name}@{installed} \
         (at {}): run `npm ci` to restore the pinned version, or run bin/regen after changing \
         package.json on purpose", dir.display()
    )]
    PackageVersionMismatch {
        /// The npm package name.
        name: String,
        /// The version the bindings were generated from.
        expected: String,
        /// The version in node_modules.
        installed: String,
        /// Where the installed package lives.
        dir: PathBuf,
    },

    /// Packing an installed package into the tarball the kernel loads failed.
    #[error(
        "could not pack {} into a tarball for the kernel at {}: {source}. \
         Check the directory is writable, or set JSII_RS_TARBALL_DIR to a writable directory",
        package_dir.display(), tarball.display()
    )]
    Tarball {
        /// The installed package directory.
        package_dir: PathBuf,
        /// The tarball we tried to write.
        tarball: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// The kernel process ended while we were waiting for it.
    #[error(
        "the jsii kernel (node) exited unexpectedly ({status}) during `{during}`.{}",
        format_tail(stderr_tail)
    )]
    KernelExited {
        /// The request in flight (`load aws-cdk-lib`, `invoke synth`, ...).
        during: String,
        /// The exit status, as text.
        status: String,
        /// The last lines the kernel wrote to stderr.
        stderr_tail: String,
    },

    /// Reading from or writing to the kernel failed.
    #[error("I/O error talking to the jsii kernel during `{during}`: {source}")]
    Io {
        /// The request in flight.
        during: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// The kernel sent something this client does not understand.
    #[error(
        "unexpected message from the jsii kernel during `{during}`: {detail}. \
         This is a bug in jsii-runtime or a mismatched @jsii/runtime; run `npm ci`, \
         and report it with JSII_DEBUG=1 output if it persists"
    )]
    Protocol {
        /// The request in flight.
        during: String,
        /// What was wrong.
        detail: String,
    },

    /// JavaScript threw: a construct rejected its input, a method failed, a Rust callback
    /// failed and JavaScript did not catch it.
    #[error("{name}: {message}")]
    Js {
        /// The JavaScript error's name (`ValidationError`, `@jsii/kernel.RuntimeError`, ...).
        name: String,
        /// The JavaScript error's message.
        message: String,
        /// The JavaScript stack, when the kernel sent one.
        stack: Option<String>,
    },

    /// The kernel rejected a value because it did not match the declared jsii type.
    #[error("the jsii kernel rejected a value: {message}")]
    Serialization {
        /// The kernel's explanation, a readable tree of what did not match.
        message: String,
        /// The kernel-side stack, if any.
        stack: Option<String>,
    },

    /// The kernel reported a host or protocol mistake (unknown object, bad override, ...).
    #[error("the jsii kernel reported a fault: {message}{}", fault_hint(message))]
    Fault {
        /// The kernel's message.
        message: String,
        /// The kernel-side stack, if any.
        stack: Option<String>,
    },

    /// A value from the kernel did not have the shape the bindings declared.
    #[error("expected {expected} from the jsii kernel, got {got}")]
    UnexpectedValue {
        /// What the declared type needed.
        expected: String,
        /// A short rendering of what arrived.
        got: String,
    },

    /// A Rust callback (an interface implementation or an override) panicked.
    #[error("the Rust callback for `{member}` panicked: {message}")]
    CallbackPanicked {
        /// The jsii member being called back.
        member: String,
        /// The panic message.
        message: String,
    },

    /// The kernel asked for a member the host object does not implement.
    #[error("the Rust object behind {objref} has no callback for `{member}`")]
    NoSuchCallback {
        /// The object the kernel called.
        objref: String,
        /// The member it asked for.
        member: String,
    },

    /// An error raised by Rust code, typically a callback refusing a call: JavaScript sees
    /// `message` as the thrown error's message.
    #[error("{message}")]
    Custom {
        /// The message.
        message: String,
    },

    /// A kernel call was made after [`crate::shutdown`].
    #[error("the jsii kernel was shut down; no more calls can be made on this thread")]
    ShutDown,
}

impl Error {
    /// A short one-line label for the kind of failure, for exit reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::NodeNotFound { .. } | Error::NodeTooOld { .. } => "node",
            Error::RuntimeNotInstalled { .. }
            | Error::RuntimeVersion { .. }
            | Error::PackageNotInstalled { .. }
            | Error::PackageVersionMismatch { .. }
            | Error::Tarball { .. } => "setup",
            Error::KernelExited { .. } | Error::Io { .. } | Error::Protocol { .. } => "kernel",
            Error::Js { .. } | Error::Serialization { .. } | Error::Fault { .. } => "javascript",
            Error::UnexpectedValue { .. } => "value",
            Error::CallbackPanicked { .. } | Error::NoSuchCallback { .. } => "callback",
            Error::ShutDown => "shutdown",
            Error::Custom { .. } => "custom",
        }
    }

    /// The JavaScript stack trace, for errors that came from JavaScript.
    pub fn js_stack(&self) -> Option<&str> {
        match self {
            Error::Js { stack, .. }
            | Error::Serialization { stack, .. }
            | Error::Fault { stack, .. } => stack.as_deref(),
            _ => None,
        }
    }

    /// An error with a message, for Rust callbacks (interface implementations and overrides)
    /// to fail a call: JavaScript receives `message`.
    pub fn msg(message: impl Into<String>) -> Error {
        Error::Custom {
            message: message.into(),
        }
    }

    /// The JavaScript error's own name: `ValidationError` for a constructor's error, and for a
    /// method's (which the kernel wraps as `@jsii/kernel.RuntimeError` with the message
    /// `"<Name>: <message>"`), the inner name when the message starts with one.
    pub fn js_name(&self) -> Option<&str> {
        let Error::Js { name, message, .. } = self else {
            return None;
        };
        if name != RUNTIME_ERROR {
            return Some(name);
        }
        let (inner, _) = message.split_once(": ")?;
        let is_identifier = !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.');
        Some(if is_identifier { inner } else { name })
    }

    /// What a failed callback reports to JavaScript: the bare message of a JavaScript error
    /// (JavaScript adds the name), the full text otherwise.
    pub(crate) fn callback_message(&self) -> String {
        match self {
            Error::Js { message, .. } | Error::Custom { message } => message.clone(),
            other => other.to_string(),
        }
    }

    /// Maps the kernel's error envelope (`name`, `error`, `stack`) to a variant, following the
    /// other hosts: a Fault is a host/protocol mistake, a SerializationError a type mismatch,
    /// anything else came from JavaScript.
    pub(crate) fn from_kernel(
        mut name: Option<String>,
        mut message: String,
        stack: Option<String>,
    ) -> Error {
        // Calls run under `ensureSync`, which wraps kernel errors in a RuntimeError whose
        // message starts with the inner error's name; unwrap those two so they map like their
        // bare forms.
        if name.as_deref() == Some(RUNTIME_ERROR) {
            for inner in [FAULT, SERIALIZATION_ERROR] {
                if let Some(rest) = message
                    .strip_prefix(inner)
                    .and_then(|r| r.strip_prefix(": "))
                {
                    message = rest.to_owned();
                    name = Some(inner.to_owned());
                    break;
                }
            }
        }
        match name.as_deref() {
            Some(FAULT) => Error::Fault { message, stack },
            Some(SERIALIZATION_ERROR) => Error::Serialization { message, stack },
            other => Error::Js {
                name: other.unwrap_or("Error").to_owned(),
                message,
                stack,
            },
        }
    }

    pub(crate) fn unexpected(expected: impl Into<String>, got: &serde_json::Value) -> Error {
        let mut got = got.to_string();
        if got.len() > 200 {
            let mut cut = 200;
            while !got.is_char_boundary(cut) {
                cut -= 1;
            }
            got.truncate(cut);
            got.push('…');
        }
        Error::UnexpectedValue {
            expected: expected.into(),
            got,
        }
    }
}

fn format_tail(tail: &str) -> String {
    if tail.trim().is_empty() {
        " It wrote nothing to stderr; rerun with JSII_DEBUG=1 to see the conversation.".to_owned()
    } else {
        format!(" Last lines of its stderr:\n{tail}")
    }
}

/// What to do about a kernel fault, when its message says the bindings and the installed
/// packages disagree (a type or member the kernel does not know).
fn fault_hint(message: &str) -> &'static str {
    let unknown = [
        "not found",
        "Unknown",
        "doesn't have",
        "does not have",
        "no such",
    ];
    if unknown.iter().any(|u| message.contains(u)) {
        ". The bindings and the installed npm packages may disagree: run `npm ci`, then bin/regen"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(name: &str, message: &str) -> Error {
        Error::Js {
            name: name.into(),
            message: message.into(),
            stack: None,
        }
    }

    #[test]
    fn js_names_unwrap_runtime_errors() {
        assert_eq!(
            js("ValidationError", "bad").js_name(),
            Some("ValidationError")
        );
        assert_eq!(
            js("@jsii/kernel.RuntimeError", "Error: division by zero").js_name(),
            Some("Error")
        );
        assert_eq!(
            js("@jsii/kernel.RuntimeError", "not a name: x").js_name(),
            Some("@jsii/kernel.RuntimeError")
        );
        assert_eq!(Error::msg("x").js_name(), None);
    }

    #[test]
    fn kernel_error_names_map_to_variants() {
        let e =
            |name: Option<&str>| Error::from_kernel(name.map(str::to_owned), "msg".into(), None);
        assert!(matches!(e(Some("@jsii/kernel.Fault")), Error::Fault { .. }));
        assert!(matches!(
            e(Some("@jsii/kernel.SerializationError")),
            Error::Serialization { .. }
        ));
        assert!(matches!(
            e(Some("PartitionKeyRequired")),
            Error::Js { name, .. } if name == "PartitionKeyRequired"
        ));
        assert!(matches!(e(None), Error::Js { name, .. } if name == "Error"));
        let wrapped = Error::from_kernel(
            Some(RUNTIME_ERROR.into()),
            "@jsii/kernel.SerializationError: Passed to parameter amount".into(),
            None,
        );
        assert!(matches!(
            wrapped,
            Error::Serialization { message, .. } if message == "Passed to parameter amount"
        ));
        assert!(matches!(
            Error::from_kernel(Some(RUNTIME_ERROR.into()), "Error: boom".into(), None),
            Error::Js { name, message, .. } if name == RUNTIME_ERROR && message == "Error: boom"
        ));
    }

    #[test]
    fn callbacks_report_bare_messages() {
        assert_eq!(
            js("Custom", "visit refused").callback_message(),
            "visit refused"
        );
        assert_eq!(Error::msg("no").callback_message(), "no");
        assert!(Error::ShutDown.callback_message().contains("shut down"));
    }
}
