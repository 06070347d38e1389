//! Configuration from the environment, and the SDK settings built from it.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, ConfigLoader};

use crate::error::Error;
use crate::event::{Normaliser, parse_country};
use crate::item::ResponseFormat;
use crate::{Settings, TABLE_NAME_ENV};

/// Optional: `true` makes each lookup a single `UpdateItem` that records today's date.
pub const UPDATE_LAST_CALL_DATE_ENV: &str = "UPDATE_LAST_CALL_DATE";
/// Optional: an ISO 3166-1 alpha-2 country (`GB`) whose national numbers become E.164.
pub const DEFAULT_COUNTRY_ENV: &str = "DEFAULT_COUNTRY";
/// Optional: `json` returns typed values instead of the flat string map (`flat`, the default).
pub const RESPONSE_FORMAT_ENV: &str = "RESPONSE_FORMAT";
/// Optional: TCP connect timeout to DynamoDB, in milliseconds (default 1000).
pub const CONNECT_TIMEOUT_ENV: &str = "DYNAMODB_CONNECT_TIMEOUT_MS";
/// Optional: timeout of one attempt, in milliseconds (default 1000).
pub const ATTEMPT_TIMEOUT_ENV: &str = "DYNAMODB_ATTEMPT_TIMEOUT_MS";
/// Optional: timeout of the whole operation, retries included, in milliseconds (default 2000).
pub const OPERATION_TIMEOUT_ENV: &str = "DYNAMODB_OPERATION_TIMEOUT_MS";
/// Optional: attempts per operation, the first one included (default 3).
pub const MAX_ATTEMPTS_ENV: &str = "DYNAMODB_MAX_ATTEMPTS";

/// Optional: the log filter, `tracing` directives such as `info` or
/// `warn,handler=debug,aws_smithy_runtime=debug` (default `info`).
pub const LOG_ENV: &str = "RUST_LOG";
/// Optional: Lambda's advanced logging level (`TRACE` .. `FATAL`), used when `RUST_LOG` is unset.
pub const LAMBDA_LOG_LEVEL_ENV: &str = "AWS_LAMBDA_LOG_LEVEL";

/// The log filter directives: `RUST_LOG`, else Lambda's `AWS_LAMBDA_LOG_LEVEL`, else `info`.
pub fn log_directives(get: impl Fn(&str) -> Option<String>) -> String {
    if let Some(directives) = get(LOG_ENV).filter(|d| !d.trim().is_empty()) {
        return directives.trim().to_owned();
    }
    match get(LAMBDA_LOG_LEVEL_ENV).map(|l| l.trim().to_ascii_lowercase()) {
        Some(level) if level == "fatal" => "error".to_owned(),
        Some(level) if !level.is_empty() => level,
        _ => "info".to_owned(),
    }
}

/// What the handler reads from its environment, once, at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `TABLE_NAME`: the customer table (name or ARN). Required.
    pub table_name: String,
    /// `UPDATE_LAST_CALL_DATE`: record today's date on each found item (needs
    /// `dynamodb:UpdateItem`). Default false: a read-only `GetItem`.
    pub update_last_call_date: bool,
    /// Timeouts and retries for DynamoDB calls.
    pub timeouts: Timeouts,
    /// `DEFAULT_COUNTRY` and `RESPONSE_FORMAT`: number normalisation and the response format.
    pub settings: Settings,
}

/// Timeouts and retries for DynamoDB calls.
///
/// The defaults keep one invocation well inside the default 3 s function timeout and Connect's
/// 8 s block limit: a dead endpoint fails in milliseconds (three refused connections), a stalled
/// one after the 2 s operation timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// `DYNAMODB_CONNECT_TIMEOUT_MS`.
    pub connect: Duration,
    /// `DYNAMODB_ATTEMPT_TIMEOUT_MS`.
    pub attempt: Duration,
    /// `DYNAMODB_OPERATION_TIMEOUT_MS`: the bound on one lookup, retries included.
    pub operation: Duration,
    /// `DYNAMODB_MAX_ATTEMPTS`.
    pub max_attempts: u32,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_millis(1000),
            attempt: Duration::from_millis(1000),
            operation: Duration::from_millis(2000),
            max_attempts: 3,
        }
    }
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `get`, which returns a variable's value if set.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let table_name = get(TABLE_NAME_ENV)
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .ok_or(Error::MissingTableName)?;
        let update_last_call_date = match get(UPDATE_LAST_CALL_DATE_ENV) {
            None => false,
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "" | "false" | "0" | "no" => false,
                "true" | "1" | "yes" => true,
                _ => {
                    return Err(Error::InvalidSetting {
                        name: UPDATE_LAST_CALL_DATE_ENV,
                        value: v,
                        expected: "true or false",
                    });
                }
            },
        };
        let default_country = match get(DEFAULT_COUNTRY_ENV) {
            None => None,
            Some(v) if v.trim().is_empty() => None,
            Some(v) => Some(parse_country(&v).ok_or(Error::InvalidSetting {
                name: DEFAULT_COUNTRY_ENV,
                value: v,
                expected: "an ISO 3166-1 alpha-2 country code known to libphonenumber, such as \
                           GB or US (or unset, to add no country code)",
            })?),
        };
        let format = match get(RESPONSE_FORMAT_ENV) {
            None => ResponseFormat::Flat,
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "" | "flat" => ResponseFormat::Flat,
                "json" => ResponseFormat::Json,
                _ => {
                    return Err(Error::InvalidSetting {
                        name: RESPONSE_FORMAT_ENV,
                        value: v,
                        expected: "flat (every value a string, the default) or json (typed \
                                   values, for an Invoke Lambda block with response validation \
                                   JSON)",
                    });
                }
            },
        };
        let defaults = Timeouts::default();
        let millis = |name: &'static str, default: Duration| -> Result<Duration, Error> {
            let expected = "a whole number of milliseconds from 1 to 60000";
            let ms = number_in(&get, name, 1..=60_000, expected)?;
            Ok(ms.map_or(default, Duration::from_millis))
        };
        let max_attempts = number_in(
            &get,
            MAX_ATTEMPTS_ENV,
            1..=10,
            "a whole number from 1 to 10",
        )?
        .map_or(defaults.max_attempts, |n| n as u32);
        Ok(Config {
            table_name,
            update_last_call_date,
            timeouts: Timeouts {
                connect: millis(CONNECT_TIMEOUT_ENV, defaults.connect)?,
                attempt: millis(ATTEMPT_TIMEOUT_ENV, defaults.attempt)?,
                operation: millis(OPERATION_TIMEOUT_ENV, defaults.operation)?,
                max_attempts,
            },
            settings: Settings {
                normaliser: Normaliser { default_country },
                format,
            },
        })
    }
}

/// Variable `name` read through `get` as a whole number in `range`: `None` when unset, an
/// `InvalidSetting` saying `expected` when it is anything else.
fn number_in(
    get: impl Fn(&str) -> Option<String>,
    name: &'static str,
    range: std::ops::RangeInclusive<u64>,
    expected: &'static str,
) -> Result<Option<u64>, Error> {
    let Some(value) = get(name) else {
        return Ok(None);
    };
    match value.trim().parse::<u64>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => Err(Error::InvalidSetting {
            name,
            value,
            expected,
        }),
    }
}

impl Timeouts {
    /// The SDK timeout configuration.
    pub fn timeout_config(&self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect)
            .operation_attempt_timeout(self.attempt)
            .operation_timeout(self.operation)
            .build()
    }

    /// The SDK retry configuration: standard mode, bounded attempts, short backoff.
    pub fn retry_config(&self) -> RetryConfig {
        RetryConfig::standard()
            .with_max_attempts(self.max_attempts)
            .with_initial_backoff(Duration::from_millis(25))
            .with_max_backoff(Duration::from_millis(250))
    }

    /// An `aws-config` loader with these timeouts and retries. Region, credentials and the
    /// endpoint (`AWS_ENDPOINT_URL_DYNAMODB`) come from the environment as usual; tests set
    /// them on the loader instead.
    pub fn sdk_loader(&self) -> ConfigLoader {
        aws_config::defaults(BehaviorVersion::latest())
            .timeout_config(self.timeout_config())
            .retry_config(self.retry_config())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, Error> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn table_name_is_required() {
        for vars in [&[][..], &[("TABLE_NAME", "  ")][..]] {
            let err = config(vars)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains("TABLE_NAME is not set"), "{err}");
        }
    }

    #[test]
    fn log_directives_prefer_rust_log_then_the_lambda_level() {
        let vars = |pairs: &[(&str, &str)]| {
            let map: HashMap<String, String> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            log_directives(|name| map.get(name).cloned())
        };
        assert_eq!(vars(&[]), "info");
        assert_eq!(vars(&[("AWS_LAMBDA_LOG_LEVEL", "DEBUG")]), "debug");
        assert_eq!(vars(&[("AWS_LAMBDA_LOG_LEVEL", "FATAL")]), "error");
        assert_eq!(
            vars(&[
                ("RUST_LOG", "warn,handler=debug"),
                ("AWS_LAMBDA_LOG_LEVEL", "DEBUG")
            ]),
            "warn,handler=debug"
        );
    }

    #[test]
    fn defaults() {
        let c = config(&[("TABLE_NAME", " Customers ")]).ok();
        assert_eq!(
            c,
            Some(Config {
                table_name: "Customers".into(),
                update_last_call_date: false,
                timeouts: Timeouts::default(),
                settings: Settings::default(),
            })
        );
    }

    #[test]
    fn default_country_and_response_format() {
        let c = config(&[
            ("TABLE_NAME", "T"),
            ("DEFAULT_COUNTRY", " gb "),
            ("RESPONSE_FORMAT", "JSON"),
        ])
        .ok()
        .map(|c| c.settings);
        assert_eq!(
            c,
            Some(Settings {
                normaliser: Normaliser {
                    default_country: Some(phonenumber::country::Id::GB)
                },
                format: ResponseFormat::Json,
            })
        );
        let blank = config(&[
            ("TABLE_NAME", "T"),
            ("DEFAULT_COUNTRY", ""),
            ("RESPONSE_FORMAT", "flat"),
        ])
        .ok()
        .map(|c| c.settings);
        assert_eq!(blank, Some(Settings::default()));
        for (name, value) in [
            ("DEFAULT_COUNTRY", "UK"),
            ("DEFAULT_COUNTRY", "GBR"),
            ("DEFAULT_COUNTRY", "44"),
            ("RESPONSE_FORMAT", "xml"),
        ] {
            let err = config(&[("TABLE_NAME", "T"), (name, value)])
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(name) && err.contains("expected"), "{err}");
        }
    }

    #[test]
    fn optional_settings_are_read_and_checked() {
        let c = config(&[
            ("TABLE_NAME", "T"),
            ("UPDATE_LAST_CALL_DATE", "TRUE"),
            ("DYNAMODB_OPERATION_TIMEOUT_MS", "500"),
            ("DYNAMODB_MAX_ATTEMPTS", "1"),
        ])
        .ok();
        let c = c.as_ref();
        assert_eq!(c.map(|c| c.update_last_call_date), Some(true));
        assert_eq!(
            c.map(|c| c.timeouts.operation),
            Some(Duration::from_millis(500))
        );
        assert_eq!(c.map(|c| c.timeouts.max_attempts), Some(1));
        for (name, value) in [
            ("UPDATE_LAST_CALL_DATE", "maybe"),
            ("DYNAMODB_CONNECT_TIMEOUT_MS", "0"),
            ("DYNAMODB_ATTEMPT_TIMEOUT_MS", "1s"),
            ("DYNAMODB_MAX_ATTEMPTS", "11"),
        ] {
            let err = config(&[("TABLE_NAME", "T"), (name, value)])
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(name) && err.contains("expected"), "{err}");
        }
    }
}
