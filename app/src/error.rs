//! The app's one error type. Each variant says what went wrong and which command fixes it.

use std::path::PathBuf;

/// Why the app could not synthesize.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The jsii kernel or aws-cdk-lib reported an error (a construct rejected its input, ...).
    #[error(transparent)]
    Jsii(#[from] jsii_runtime::Error),

    /// The function's `bootstrap` has not been built.
    #[error(
        "the Lambda function has not been built: {} does not exist. Build it with `{command}` \
         (cdk.json's app, bin/app, does this before every synth)",
        path.display()
    )]
    MissingBootstrap {
        /// Where the binary should be.
        path: PathBuf,
        /// The command that builds it.
        command: String,
    },

    /// The `bootstrap` is not an executable for the declared architecture.
    #[error(
        "{} is {found}, but the function is declared {expected}: rebuild it with `{command}` \
         (or set -c handlerArchitecture to match the binary)",
        path.display()
    )]
    WrongArchitecture {
        /// The binary.
        path: PathBuf,
        /// What it is.
        found: String,
        /// What the stack declares.
        expected: String,
        /// The command that builds the right one.
        command: String,
    },

    /// A context value has the wrong shape.
    #[error("context value {key}={value:?} is not valid: expected {expected}")]
    BadContext {
        /// The context key.
        key: &'static str,
        /// What was given.
        value: String,
        /// What would be accepted.
        expected: &'static str,
    },

    /// Reading the bootstrap failed.
    #[error("could not read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}
