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

    /// A command line or a request that cannot be carried out as given (the message says
    /// what to pass instead).
    #[error("{0}")]
    Usage(String),

    /// A build step of `jsii-codegen run` failed (its own output, above, says why).
    #[error("{step}: {detail}; fix what its output above says, then synthesize again")]
    Build {
        /// The step.
        step: String,
        /// What happened.
        detail: String,
    },

    /// The config names something that does not exist.
    #[error("bindings config: {0}")]
    Config(String),

    /// An assembly the config or a dependency needs was not given to the generator (a caller
    /// of the library must pass every assembly the CLI would load).
    #[error(
        "the assembly {name} is needed but was not provided; load it and its jsii dependencies \
         from node_modules"
    )]
    MissingAssembly {
        /// The npm package name.
        name: String,
    },

    /// An npm package is not installed in node_modules.
    #[error("{name} is not installed in {node_modules}{needed_by}: {fix}")]
    NotInstalled {
        /// The npm package name.
        name: String,
        /// ` (a jsii dependency of X)`, or empty for a configured package.
        needed_by: String,
        /// Where it was looked for.
        node_modules: String,
        /// What to run.
        fix: String,
    },

    /// One jsii package is installed in two versions: the kernel loads one per program.
    #[error(
        "{name} is installed in more than one version: {copies}. The jsii kernel loads one \
         version of a package per program, so the bindings cannot use both. Make npm install one \
         copy, the version the crates with bindings use: add `\"overrides\": {overrides}` to \
         package.json, run `npm install`, then regenerate"
    )]
    DuplicateInstall {
        /// The npm package name.
        name: String,
        /// Each copy: `version in dir (for dependents)`.
        copies: String,
        /// The package.json `overrides` value that keeps one copy.
        overrides: String,
    },

    /// A package that gets bindings needs another version of a jsii dependency than the one
    /// installed.
    #[error(
        "{package} needs {dependency} {range}, but node_modules has {dependency}@{installed}: \
         install versions that agree (npm install --save-exact {dependency}@<a version in \
         {range}>, or a {package} that accepts {installed}), then regenerate"
    )]
    VersionSkew {
        /// The package (`name@version`) declaring the dependency.
        package: String,
        /// The dependency.
        dependency: String,
        /// The range it declares.
        range: String,
        /// The installed version.
        installed: String,
    },

    /// An `[extern]` crate was generated from another version of its package than the one
    /// installed.
    #[error(
        "the [extern] crate in {dir} was generated from {generated}, but node_modules has \
         {package}@{installed}: regenerate that crate with its own config first (bin/regen does \
         every config), then this one"
    )]
    ExternSkew {
        /// The npm package.
        package: String,
        /// The crate's directory.
        dir: String,
        /// `name@version` from its manifest.
        generated: String,
        /// The installed version.
        installed: String,
    },

    /// An `[extern]` crate lacks types this config's crates need to exist (base classes,
    /// implemented interfaces, structs and enums in signatures).
    #[error(
        "the [extern] crate in {dir} holds only some submodules of {package}, and not these, \
         which this config's crates need:\n{}\nAdd {} to the `submodules` of {package} in the \
         config that generates {dir}, regenerate it, then this config (bin/regen does both)",
        missing.iter().map(|(sub, why)| format!("  {}: {}", submodule_label(sub), why.join(", "))).collect::<Vec<_>>().join("\n"),
        missing.keys().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
    )]
    ExternIncomplete {
        /// The npm package.
        package: String,
        /// The crate's directory.
        dir: String,
        /// Missing types by submodule (`""` is the root): `fqn (needed by fqn)`.
        missing: std::collections::BTreeMap<String, Vec<String>>,
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

/// How a submodule is named in messages (`""` is the root module).
fn submodule_label(sub: &str) -> String {
    if sub.is_empty() {
        "the root module (\"\")".to_owned()
    } else {
        format!("submodule {sub:?}")
    }
}
