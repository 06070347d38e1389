//! The generator's one error type. Each variant says what went wrong and how to fix it.

/// What can go wrong while generating bindings.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input file is not what it should be.
    #[error("could not parse {what}: {detail}")]
    Parse {
        /// What was being parsed.
        what: String,
        /// The parser's message.
        detail: String,
    },

    /// The assembly uses format features this generator does not handle.
    #[error(
        "assembly {assembly} uses jsii features this generator does not support: {features:?}; \
         upgrade jsii-codegen or pin an older version of the package"
    )]
    UnsupportedFeatures {
        /// The assembly.
        assembly: String,
        /// The unknown features.
        features: Vec<String>,
    },

    /// The config names something that does not exist.
    #[error("bindings config: {0}")]
    Config(String),

    /// An assembly the config or a dependency needs was not provided.
    #[error(
        "the assembly {name} is needed but was not found; install it with `npm ci` \
         (it must be a dependency in package.json)"
    )]
    MissingAssembly {
        /// The npm package name.
        name: String,
    },

    /// Emitted code did not parse as Rust (a generator bug).
    #[error(
        "generated code for {file} is not valid Rust ({detail}); this is a jsii-codegen bug, \
         please report it with the assembly that triggered it"
    )]
    InvalidOutput {
        /// The file.
        file: String,
        /// The parser's message.
        detail: String,
    },

    /// Reading or writing files (CLI only).
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}
