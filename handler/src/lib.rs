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
pub mod import;
pub mod item;
pub mod store;

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value;
use tracing::{info, warn};

pub use config::{Config, Timeouts};
pub use error::Error;
pub use event::{KeySource, LookupKey, NoNumber, Normaliser, normalise_email, normalise_number};
pub use item::{
    Item, JsonResponse, LookupResult, MAX_RESPONSE_BYTES, Output, Response, ResponseFormat,
};
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

/// The attribute of an alias item naming its customer's primary key (a string).
///
/// The table holds one primary item per customer, keyed by the primary number, and one alias
/// item `{CalledNumber: <other key>, AliasOf: <primary number>}` per other number and per
/// e-mail address. A lookup that reads an alias reads the primary once more; an alias is never
/// followed further, and `AliasOf` is never returned.
pub const ALIAS_ATTRIBUTE: &str = "AliasOf";

/// The prefix of an e-mail alias key: `email:` + the trimmed, lower-cased address, e.g.
/// `email:jane@example.com`. No number starts with it (a number has no `:`), and a
/// `CalledNumber` parameter that does is not looked up.
pub const EMAIL_KEY_PREFIX: &str = "email:";

/// The `Details.Parameters` name of an e-mail address to look up, and the `MatchedBy` value of
/// an e-mail match (also the CSV column of the addresses).
pub const EMAIL_ATTRIBUTE: &str = "Email";

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

/// The per-lookup settings read once at start: how numbers are normalised and the response
/// format. The default is the handler's behaviour with no optional setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// `DEFAULT_COUNTRY`.
    pub normaliser: Normaliser,
    /// `RESPONSE_FORMAT`.
    pub format: ResponseFormat,
}

/// Handles one Connect event with the default [`Settings`] and returns the flat map.
///
/// See [`handle_with`].
pub async fn handle<S: Store>(event: &Value, store: &S, mode: Mode<'_>) -> Result<Response, Error> {
    let output = handle_with(event, store, mode, &Settings::default()).await?;
    // The default format is flat.
    Ok(output.into_flat().unwrap_or_default())
}

/// Handles one Connect event: picks the key, reads the store (following at most one alias),
/// builds the response.
///
/// A missing, withheld or unknown key is a successful response; only a store failure is an
/// error (the flow's Error branch). Logs one line per lookup with the key masked.
pub async fn handle_with<S: Store>(
    event: &Value,
    store: &S,
    mode: Mode<'_>,
    settings: &Settings,
) -> Result<Output, Error> {
    let contact = event::contact_summary(event);
    let format = settings.format;
    let key = match event::select_key_with(event, &settings.normaliser) {
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
            return Ok(Output::strings(
                format,
                Response::from([(
                    item::LOOKUP_RESULT.to_owned(),
                    LookupResult::NoNumber.as_str().to_owned(),
                )]),
            ));
        }
    };
    let masked = key.masked();
    let not_found = |key: LookupKey| {
        let echo = if key.source.is_email() {
            EMAIL_ATTRIBUTE
        } else {
            KEY_ATTRIBUTE
        };
        Output::strings(
            format,
            Response::from([
                (
                    item::LOOKUP_RESULT.to_owned(),
                    LookupResult::NotFound.as_str().to_owned(),
                ),
                (echo.to_owned(), key.value),
            ]),
        )
    };
    let read = |table_key: String| async move {
        match mode {
            Mode::Get => store.get(&table_key).await,
            Mode::Touch { today } => store.get_and_touch(&table_key, today).await,
        }
    };
    let found = match resolve(read, key.table_key()).await {
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
    let found = match found {
        Resolved::Found { item, via_alias } => Some((item, via_alias)),
        Resolved::Missing => None,
        Resolved::BrokenAlias { problem } => {
            warn!(
                key = masked,
                key_source = key.source.as_str(),
                contact_id = contact.contact_id,
                problem = problem.as_str(),
                "alias item not followed; answering NOT_FOUND"
            );
            None
        }
    };
    let Some((found, via_alias)) = found else {
        info!(
            result = LookupResult::NotFound.as_str(),
            key = masked,
            key_source = key.source.as_str(),
            contact_id = contact.contact_id,
            channel = contact.channel,
            initiation_method = contact.initiation_method,
            "lookup done"
        );
        return Ok(not_found(key));
    };
    let (output, dropped) = item::found_output(&found, key.source.matched_by(), format);
    for dropped in &dropped {
        // An alias item's own AliasOf is never in `found` (the primary is), so any drop here
        // is an attribute of the customer's item.
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
        via_alias,
        contact_id = contact.contact_id,
        channel = contact.channel,
        initiation_method = contact.initiation_method,
        attributes = output.len(),
        truncated = output.get_text(item::LOOKUP_TRUNCATED).is_some(),
        "lookup done"
    );
    Ok(output)
}

/// The outcome of reading a key and following its alias, if any.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    /// The customer's primary item; `via_alias` when the key was an alias.
    Found {
        /// The primary item.
        item: Item,
        /// True when the key read first was an alias item.
        via_alias: bool,
    },
    /// No item under the key.
    Missing,
    /// The key is an alias that cannot be followed (answered `NOT_FOUND`, logged).
    BrokenAlias {
        /// What is wrong.
        problem: AliasProblem,
    },
}

/// Why an alias item was not followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AliasProblem {
    /// Its primary key has no item.
    MissingPrimary,
    /// Its primary item is itself an alias (aliases are followed one hop only).
    AliasOfAlias,
    /// It points at itself.
    SelfReference,
}

impl AliasProblem {
    /// The name used in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            AliasProblem::MissingPrimary => "the alias's primary item does not exist",
            AliasProblem::AliasOfAlias => "the alias points at another alias",
            AliasProblem::SelfReference => "the alias points at itself",
        }
    }
}

/// The primary key an item is an alias of: its `AliasOf` string, if it has one.
pub fn alias_target(item: &Item) -> Option<&str> {
    match item.get(ALIAS_ATTRIBUTE) {
        Some(AttributeValue::S(primary)) => Some(primary.as_str()),
        _ => None,
    }
}

/// Reads `key` with `read` and, if the item is an alias, reads its primary: at most two reads,
/// never more (an alias of an alias, a self-reference or a missing primary is
/// [`Resolved::BrokenAlias`]).
pub async fn resolve<F, Fut>(read: F, key: String) -> Result<Resolved, Error>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<Option<Item>, Error>>,
{
    let Some(first) = read(key.clone()).await? else {
        return Ok(Resolved::Missing);
    };
    let Some(primary) = alias_target(&first).map(str::to_owned) else {
        return Ok(Resolved::Found {
            item: first,
            via_alias: false,
        });
    };
    if primary == key {
        return Ok(Resolved::BrokenAlias {
            problem: AliasProblem::SelfReference,
        });
    }
    match read(primary).await? {
        None => Ok(Resolved::BrokenAlias {
            problem: AliasProblem::MissingPrimary,
        }),
        Some(item) if alias_target(&item).is_some() => Ok(Resolved::BrokenAlias {
            problem: AliasProblem::AliasOfAlias,
        }),
        Some(item) => Ok(Resolved::Found {
            item,
            via_alias: true,
        }),
    }
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
