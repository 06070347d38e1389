//! The stack's settings, read from CDK context (`-c key=value`, `cdk.json`), with defaults.
//!
//! | key | default | meaning |
//! |---|---|---|
//! | `connectInstanceArn` | (none: a `ConnectInstanceArn` CloudFormation parameter) | the Amazon Connect instance allowed to invoke the function |
//! | `handlerArchitecture` | `arm64` | `arm64` or `x86_64`; must match the built `bootstrap` |
//! | `handlerDir` | `lambda/connect-lookup` in cargo's target directory ([`target_dir`]) | the cargo-lambda output directory |
//! | `seedSampleCustomer` | `false` | write the original sample's customer row at deploy time |
//! | `sampleCustomerDate` | today (UTC, at synth) | the seeded row's `LastCallDate` |
//! | `sampleContactFlow` | `false` | add a contact flow that invokes the function |

use crate::asset::Architecture;
use crate::error::AppError;
use aws_cdk_lib::App;
use jsii_runtime::Any;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Everything the stack can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The Connect instance ARN; `None` makes it a CloudFormation parameter.
    pub connect_instance_arn: Option<String>,
    /// The function's architecture.
    pub architecture: Architecture,
    /// The directory holding `bootstrap`.
    pub handler_dir: PathBuf,
    /// Seed the sample customer with a custom resource.
    pub seed_sample_customer: bool,
    /// The seeded row's `LastCallDate` (`YYYY-MM-DD`).
    pub sample_customer_date: String,
    /// Add the sample contact flow.
    pub sample_contact_flow: bool,
    /// The country (ISO 3166 alpha-2, upper case) the function reads national numbers in
    /// (context `defaultCountry`, passed as [`crate::DEFAULT_COUNTRY_ENV`]); `None`: numbers are
    /// looked up as they come, never given a country code.
    pub default_country: Option<String>,
    /// The address the alarm topic emails (context `alarmEmail`); `None`: no subscription.
    pub alarm_email: Option<String>,
    /// Add the alarms, their topic and the dashboard (context `monitoring`, default `true`;
    /// `false` for an emulator without CloudWatch alarms).
    pub monitoring: bool,
}

impl Settings {
    /// Defaults, with the function code in `handler_dir`.
    pub fn new(handler_dir: impl Into<PathBuf>) -> Settings {
        Settings {
            connect_instance_arn: None,
            architecture: Architecture::Arm64,
            handler_dir: handler_dir.into(),
            seed_sample_customer: false,
            sample_customer_date: today_utc(),
            sample_contact_flow: false,
            default_country: None,
            alarm_email: None,
            monitoring: true,
        }
    }

    /// Reads the settings from `app`'s context.
    pub fn from_app(app: &App) -> Result<Settings, AppError> {
        let node = app.node()?;
        let get = |key: &str| node.try_get_context(key);
        let text = |key: &'static str| -> Result<Option<String>, AppError> {
            match get(key)? {
                Any::Null => Ok(None),
                Any::String(s) if s.trim().is_empty() => Ok(None),
                Any::String(s) => Ok(Some(s.trim().to_owned())),
                other => Err(AppError::BadContext {
                    key,
                    value: format!("{other:?}"),
                    expected: "a string",
                }),
            }
        };
        let flag = |key: &'static str| -> Result<bool, AppError> {
            match get(key)? {
                Any::Null => Ok(false),
                Any::Bool(b) => Ok(b),
                Any::String(s) if s == "true" => Ok(true),
                Any::String(s) if s == "false" || s.is_empty() => Ok(false),
                other => Err(AppError::BadContext {
                    key,
                    value: format!("{other:?}"),
                    expected: "true or false",
                }),
            }
        };
        let architecture = match text("handlerArchitecture")? {
            None => Architecture::Arm64,
            Some(v) => Architecture::parse(&v).ok_or(AppError::BadContext {
                key: "handlerArchitecture",
                value: v,
                expected: "arm64 or x86_64",
            })?,
        };
        let handler_dir = match text("handlerDir")? {
            Some(dir) => PathBuf::from(dir),
            None => default_handler_dir(&target_dir(&project_root())),
        };
        let default_country = match text("defaultCountry")? {
            None => None,
            Some(cc) if cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(cc.to_ascii_uppercase())
            }
            Some(cc) => {
                return Err(AppError::BadContext {
                    key: "defaultCountry",
                    value: cc,
                    expected: "an ISO 3166 alpha-2 country code such as GB or US",
                });
            }
        };
        let alarm_email = match text("alarmEmail")? {
            Some(a) if a.contains(char::is_whitespace) || !a.contains('@') => {
                return Err(AppError::BadContext {
                    key: "alarmEmail",
                    value: a,
                    expected: "one email address, such as ops@example.com",
                });
            }
            other => other,
        };
        let monitoring = match get("monitoring")? {
            Any::Null => true,
            _ => flag("monitoring")?,
        };
        Ok(Settings {
            default_country,
            alarm_email,
            monitoring,
            connect_instance_arn: text("connectInstanceArn")?,
            architecture,
            handler_dir,
            seed_sample_customer: flag("seedSampleCustomer")?,
            sample_customer_date: text("sampleCustomerDate")?.unwrap_or_else(today_utc),
            sample_contact_flow: flag("sampleContactFlow")?,
        })
    }
}

/// Today's date in UTC, `YYYY-MM-DD` (the sample customer's default `LastCallDate`).
pub fn today_utc() -> String {
    jsii_runtime::Date::now().to_iso_string()[..10].to_owned()
}

/// The project root: the nearest directory holding `cdk.json` above the current directory, or
/// above the executable; the current directory when neither has one.
pub fn project_root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf));
    [Some(cwd.clone()), exe_dir]
        .into_iter()
        .flatten()
        .find_map(|start| {
            start
                .ancestors()
                .find(|d| d.join("cdk.json").is_file())
                .map(Path::to_path_buf)
        })
        .unwrap_or(cwd)
}

/// Cargo's target directory, where `bin/app` builds: `CARGO_TARGET_DIR` when set (a relative
/// one is relative to `root`, where `bin/app` runs cargo), else `<root>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    target_dir_from(root, std::env::var_os("CARGO_TARGET_DIR"))
}

fn target_dir_from(root: &Path, var: Option<OsString>) -> PathBuf {
    match var.filter(|v| !v.is_empty()) {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// The directory cargo-lambda writes the function to under `target`: the directory of
/// [`crate::HANDLER_BOOTSTRAP`], moved from `target/` to `target`.
pub fn default_handler_dir(target: &Path) -> PathBuf {
    let bootstrap = Path::new(crate::HANDLER_BOOTSTRAP);
    let under_target = bootstrap.strip_prefix("target").unwrap_or(bootstrap);
    target
        .join(under_target)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| target.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handler_dir_follows_cargo_target_dir() {
        let root = Path::new("/project");
        assert_eq!(target_dir_from(root, None), Path::new("/project/target"));
        assert_eq!(
            target_dir_from(root, Some(OsString::new())),
            Path::new("/project/target")
        );
        assert_eq!(
            target_dir_from(root, Some("build/out".into())),
            Path::new("/project/build/out")
        );
        assert_eq!(
            target_dir_from(root, Some("/shared/target".into())),
            Path::new("/shared/target")
        );
        assert_eq!(
            default_handler_dir(Path::new("/project/target")),
            Path::new("/project/target/lambda/connect-lookup")
        );
        assert_eq!(
            default_handler_dir(Path::new("/shared/target")),
            Path::new("/shared/target/lambda/connect-lookup")
        );
    }
}
