//! The Amazon Connect customer lookup: the Lambda a contact flow's "Invoke AWS Lambda function"
//! block calls while the caller waits.
//!
//! It reads the caller's number from the Connect event ([`event::select_key`]), does one
//! DynamoDB `GetItem` on the table keyed by `CalledNumber` (through the [`Store`] seam), and
//! returns a flat string-to-string map with `LookupResult` = `FOUND`, `NOT_FOUND` or
//! `NO_NUMBER` ([`item::found_response`]). This library decides; `main.rs` only wires the
//! runtime, the logs and the SDK client. What it must not do: panic or hang on any event,
//! reject an event shape Connect really sends, return anything but strings, exceed 32 KB, log
//! a phone number unmasked, or create threads (it runs on tokio's `current_thread` runtime; the
//! arm64 binary is tested under qemu-user, which hangs on thread creation).

pub mod config;
pub mod error;
pub mod event;
pub mod item;
pub mod store;

use serde_json::Value;
use tracing::{info, warn};

pub use config::{Config, Timeouts};
pub use error::Error;
pub use event::{KeySource, LookupKey, NoNumber};
pub use item::{Item, LookupResult, MAX_RESPONSE_BYTES, Response};
pub use store::{DynamoDbStore, MemoryStore, Store};

/// The environment variable holding the table name (required).
///
/// Part of the contract with the CDK app: `app/` sets a variable of this name on the function
/// and mirrors this constant there (the app does not depend on this crate).
pub const TABLE_NAME_ENV: &str = "TABLE_NAME";

/// Where `cargo lambda build --release --arm64` writes the function binary, relative to the
/// workspace root (`--output-format zip` adds `bootstrap.zip` beside it).
///
/// Part of the contract with the CDK app: `app/` uses this path as the function's code asset
/// and mirrors this constant there (the app does not depend on this crate).
pub const BOOTSTRAP_PATH: &str = "target/lambda/connect-lookup/bootstrap";

/// The table's partition key (type `S`), and the `Details.Parameters` name that overrides it.
pub const KEY_ATTRIBUTE: &str = "CalledNumber";

/// The attribute `UPDATE_LAST_CALL_DATE=true` sets to today's date (`YYYY-MM-DD`, UTC).
pub const LAST_CALL_DATE_ATTRIBUTE: &str = "LastCallDate";

/// How a lookup reads the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode<'a> {
    /// A read-only `GetItem` (the default; needs `dynamodb:GetItem`).
    Get,
    /// One `UpdateItem` that records `today` as `LastCallDate` and returns the previous values
    /// (`UPDATE_LAST_CALL_DATE=true`; needs `dynamodb:UpdateItem`).
    Touch {
        /// Today's date as stored, e.g. `2026-11-25`.
        today: &'a str,
    },
}

/// Handles one Connect event: picks the key, reads the store, builds the response.
///
/// A missing, withheld or unknown number is a successful response; only a store failure is an
/// error (the flow's Error branch). Logs one line per lookup with the number masked.
pub async fn handle<S: Store>(event: &Value, store: &S, mode: Mode<'_>) -> Result<Response, Error> {
    let contact = event::contact_summary(event);
    let key = match event::select_key(event) {
        Ok(key) => key,
        Err(why) => {
            info!(
                result = LookupResult::NoNumber.as_str(),
                reason = why.as_str(),
                contact_id = contact.contact_id,
                channel = contact.channel,
                initiation_method = contact.initiation_method,
                "lookup done"
            );
            return Ok(Response::from([(
                item::LOOKUP_RESULT.to_owned(),
                LookupResult::NoNumber.as_str().to_owned(),
            )]));
        }
    };
    let masked = event::mask(&key.value);
    let found = match mode {
        Mode::Get => store.get(&key.value).await,
        Mode::Touch { today } => store.get_and_touch(&key.value, today).await,
    };
    let found = match found {
        Ok(found) => found,
        Err(error) => {
            warn!(
                key = masked,
                key_source = key.source.as_str(),
                contact_id = contact.contact_id,
                error_type = error.kind(),
                error = %error,
                "lookup failed"
            );
            return Err(error);
        }
    };
    let Some(found) = found else {
        info!(
            result = LookupResult::NotFound.as_str(),
            key = masked,
            key_source = key.source.as_str(),
            contact_id = contact.contact_id,
            channel = contact.channel,
            initiation_method = contact.initiation_method,
            "lookup done"
        );
        return Ok(Response::from([
            (
                item::LOOKUP_RESULT.to_owned(),
                LookupResult::NotFound.as_str().to_owned(),
            ),
            (KEY_ATTRIBUTE.to_owned(), key.value),
        ]));
    };
    let converted = item::found_response(&found);
    for dropped in &converted.dropped {
        warn!(
            attribute = dropped.name,
            reason = dropped.reason.as_str(),
            key = masked,
            "attribute left out of the response"
        );
    }
    info!(
        result = LookupResult::Found.as_str(),
        key = masked,
        key_source = key.source.as_str(),
        contact_id = contact.contact_id,
        channel = contact.channel,
        initiation_method = contact.initiation_method,
        attributes = converted.response.len(),
        truncated = converted.response.contains_key(item::LOOKUP_TRUNCATED),
        "lookup done"
    );
    Ok(converted.response)
}

/// Today's date in UTC as `YYYY-MM-DD`.
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    date_from_unix_days(secs / 86_400)
}

/// The civil date (proleptic Gregorian, `YYYY-MM-DD`) of a day count since 1970-01-01.
pub fn date_from_unix_days(days: u64) -> String {
    // Howard Hinnant's civil_from_days, for non-negative day counts.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests;
