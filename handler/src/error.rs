//! The crate's one error type.

use std::time::Duration;

/// Everything that can go wrong in the lookup, at start or per invocation.
///
/// Each message says what went wrong and what to do about it. Configuration errors stop the
/// function at start; the others become invocation errors, so the contact flow takes its Error
/// branch and the failure shows in the function's error metrics.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `TABLE_NAME` is unset or blank.
    #[error(
        "environment variable {} is not set: set it to the name (or ARN) of the DynamoDB \
         customer table; the CDK app sets it on the deployed function, and locally pass it \
         with `cargo lambda watch --env-var {}=<table>`",
        crate::TABLE_NAME_ENV,
        crate::TABLE_NAME_ENV
    )]
    MissingTableName,

    /// An optional setting has a value the handler cannot use.
    #[error(
        "environment variable {name}={value:?} is invalid: expected {expected}; fix or unset it"
    )]
    InvalidSetting {
        /// The environment variable.
        name: &'static str,
        /// Its value as found.
        value: String,
        /// What the handler accepts.
        expected: &'static str,
    },

    /// DynamoDB did not answer within the configured operation timeout (all attempts included).
    #[error(
        "DynamoDB {operation} on table {table:?} timed out after {timeout:?} (all attempts): \
         check that DynamoDB is reachable from the function (VPC endpoints, NAT) and consider \
         raising DYNAMODB_OPERATION_TIMEOUT_MS, keeping it below the function timeout; detail: {detail}"
    )]
    Timeout {
        /// `GetItem` or `UpdateItem`.
        operation: &'static str,
        /// The table asked.
        table: String,
        /// The operation timeout in force.
        timeout: Duration,
        /// The SDK's full error chain.
        detail: String,
    },

    /// `customers`: a row (or the header, line 1) of the CSV is invalid; nothing was written.
    #[error(
        "line {line}, column {column}: {problem}; fix the file and run the import again, or \
         pass --skip-invalid to import the valid rows only"
    )]
    InvalidRow {
        /// The CSV line (the header is line 1).
        line: u64,
        /// The column's header name, or `-` for the whole row.
        column: String,
        /// What is wrong.
        problem: String,
    },

    /// `customers`: the command line is wrong.
    #[error("{problem}\n{usage}")]
    Usage {
        /// What is wrong.
        problem: String,
        /// The usage line.
        usage: &'static str,
    },

    /// `customers`: a file cannot be read.
    #[error("cannot read {path}: {detail}; check the path and its permissions")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error.
        detail: String,
    },

    /// DynamoDB answered with an error, or could not be reached at all.
    #[error(
        "DynamoDB {operation} on table {table:?} failed: {detail}; check that the table exists \
         in the function's region, that the function's role may call dynamodb:{operation} on \
         it, and that DynamoDB is reachable"
    )]
    DynamoDb {
        /// `GetItem` or `UpdateItem`.
        operation: &'static str,
        /// The table asked.
        table: String,
        /// The SDK's full error chain (service error code and message, or the connection error).
        detail: String,
    },
}

impl Error {
    /// A short, stable name for the kind of error: the `errorType` Lambda reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::MissingTableName => "MissingTableName",
            Error::InvalidSetting { .. } => "InvalidSetting",
            Error::InvalidRow { .. } => "InvalidRow",
            Error::Usage { .. } => "Usage",
            Error::Io { .. } => "Io",
            Error::Timeout { .. } => "DynamoDbTimeout",
            Error::DynamoDb { .. } => "DynamoDbError",
        }
    }
}

impl From<Error> for lambda_runtime::Diagnostic {
    fn from(error: Error) -> Self {
        lambda_runtime::Diagnostic {
            error_type: error.kind().to_owned(),
            error_message: error.to_string(),
        }
    }
}
