//! The bulk importer behind the `customers` binary: a CSV of customers to primary and alias
//! items, validated in full before anything is written, then written with `BatchWriteItem`.
//!
//! The CSV has a header naming attributes. `CalledNumber` is required and holds one or more
//! numbers separated by `;` (the first is the primary, the others become alias items); the
//! optional `Email` column holds one or more addresses separated by `;` (an alias item each, not
//! stored on the primary). Every other column is a string attribute of the primary item; an
//! empty cell is no attribute. Numbers are normalised with [`normalise_number`] and addresses
//! with [`normalise_email`], the handler's own code, so the table holds the keys it asks for.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};

use crate::error::Error;
use crate::event::{normalise_email, normalise_number};
use crate::item::{Item, RESERVED_NAMES, is_valid_key};
use crate::{ALIAS_ATTRIBUTE, EMAIL_ATTRIBUTE, EMAIL_KEY_PREFIX, KEY_ATTRIBUTE};

/// Items per `BatchWriteItem` call (DynamoDB's limit).
pub const BATCH_SIZE: usize = 25;
/// Attempts per batch, the first included, while DynamoDB returns unprocessed items.
pub const MAX_BATCH_ATTEMPTS: u32 = 8;

/// One valid customer row.
#[derive(Clone, Debug, PartialEq)]
pub struct Customer {
    /// The CSV line the row starts on (the header is line 1).
    pub line: u64,
    /// The primary number, normalised.
    pub primary: String,
    /// The other numbers, normalised.
    pub other_numbers: Vec<String>,
    /// The addresses, trimmed and lower-cased.
    pub emails: Vec<String>,
    /// The primary item's other attributes (strings), by column name.
    pub attributes: Vec<(String, String)>,
}

impl Customer {
    /// The primary item and one alias item per other number and address.
    pub fn items(&self) -> Vec<Item> {
        let s = |v: &str| AttributeValue::S(v.to_owned());
        let mut primary = Item::from([(KEY_ATTRIBUTE.to_owned(), s(&self.primary))]);
        for (name, value) in &self.attributes {
            primary.insert(name.clone(), s(value));
        }
        let mut items = vec![primary];
        let alias_keys = self
            .other_numbers
            .iter()
            .cloned()
            .chain(self.emails.iter().map(|e| format!("{EMAIL_KEY_PREFIX}{e}")));
        for key in alias_keys {
            items.push(Item::from([
                (KEY_ATTRIBUTE.to_owned(), s(&key)),
                (ALIAS_ATTRIBUTE.to_owned(), s(&self.primary)),
            ]));
        }
        items
    }
}

/// A problem with one row (or the header), named by line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The CSV line (the header is line 1).
    pub line: u64,
    /// The column (header name), or `-` for the whole row.
    pub column: String,
    /// What is wrong and how to fix it.
    pub problem: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.problem
        )
    }
}

impl From<RowError> for Error {
    fn from(e: RowError) -> Self {
        Error::InvalidRow {
            line: e.line,
            column: e.column,
            problem: e.problem,
        }
    }
}

/// The outcome of reading a CSV: the valid customers and the invalid rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// Rows read (not counting the header).
    pub read: usize,
    /// The valid customers, in file order.
    pub customers: Vec<Customer>,
    /// The invalid rows, in file order (a row that reuses a key of an earlier one included).
    pub invalid: Vec<RowError>,
}

/// True for a normalised number the table can key a customer by: an optional `+` and 3 to 15
/// digits (E.164's maximum; 3 allows short legacy keys such as `101`).
pub fn is_storable_number(n: &str) -> bool {
    let digits = n.strip_prefix('+').unwrap_or(n);
    (3..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Reads and validates a whole CSV. A header problem is an error (nothing can be imported);
/// row problems are collected in [`Parsed::invalid`].
pub fn parse(
    input: impl std::io::Read,
    default_country: Option<phonenumber::country::Id>,
) -> Result<Parsed, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let header_error = |column: &str, problem: String| Error::InvalidRow {
        line: 1,
        column: column.to_owned(),
        problem,
    };
    let headers = reader
        .headers()
        .map_err(|e| header_error("-", format!("cannot read the header: {e}")))?
        .clone();
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_owned()).collect();
    let mut seen = HashSet::new();
    for name in &names {
        if !is_valid_key(name) {
            return Err(header_error(
                name,
                "a column name must be non-empty and only [A-Za-z0-9_-] (contact attribute keys \
                 cannot hold other characters): rename the column"
                    .to_owned(),
            ));
        }
        if RESERVED_NAMES.contains(&name.as_str()) {
            return Err(header_error(
                name,
                "this name is reserved by the handler: rename or drop the column".to_owned(),
            ));
        }
        if !seen.insert(name.clone()) {
            return Err(header_error(
                name,
                "the column appears twice: keep one".to_owned(),
            ));
        }
    }
    let Some(key_index) = names.iter().position(|n| n == KEY_ATTRIBUTE) else {
        return Err(header_error(
            KEY_ATTRIBUTE,
            format!(
                "the header has no {KEY_ATTRIBUTE} column: add it (one or more numbers \
                 separated by `;`, the first the primary)"
            ),
        ));
    };
    let email_index = names.iter().position(|n| n == EMAIL_ATTRIBUTE);

    let mut parsed = Parsed::default();
    // Every key used so far, and the line that used it.
    let mut keys: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        parsed.read += 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                parsed.invalid.push(RowError {
                    line,
                    column: "-".to_owned(),
                    problem: format!(
                        "cannot read the row: {e}; every row must have one cell per header \
                         column, quoted if it holds a comma"
                    ),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        match customer(
            &record,
            line,
            &names,
            key_index,
            email_index,
            default_country,
        ) {
            Err(e) => parsed.invalid.push(e),
            Ok(customer) => {
                let mut row_keys: Vec<(String, &'static str)> =
                    vec![(customer.primary.clone(), KEY_ATTRIBUTE)];
                for n in &customer.other_numbers {
                    row_keys.push((n.clone(), KEY_ATTRIBUTE));
                }
                for e in &customer.emails {
                    row_keys.push((format!("{EMAIL_KEY_PREFIX}{e}"), EMAIL_ATTRIBUTE));
                }
                let mut clash = None;
                let mut mine: HashSet<&str> = HashSet::new();
                for (key, column) in &row_keys {
                    if let Some(earlier) = keys.get(key) {
                        clash = Some(RowError {
                            line,
                            column: (*column).to_owned(),
                            problem: format!(
                                "{key} is already used by line {earlier}: a number or address \
                                 can belong to one customer only"
                            ),
                        });
                        break;
                    }
                    if !mine.insert(key.as_str()) {
                        clash = Some(RowError {
                            line,
                            column: (*column).to_owned(),
                            problem: format!("{key} appears twice in the row: keep one"),
                        });
                        break;
                    }
                }
                match clash {
                    Some(e) => parsed.invalid.push(e),
                    None => {
                        for (key, _) in row_keys {
                            keys.insert(key, line);
                        }
                        parsed.customers.push(customer);
                    }
                }
            }
        }
    }
    Ok(parsed)
}

fn customer(
    record: &csv::StringRecord,
    line: u64,
    names: &[String],
    key_index: usize,
    email_index: Option<usize>,
    default_country: Option<phonenumber::country::Id>,
) -> Result<Customer, RowError> {
    let error = |column: &str, problem: String| RowError {
        line,
        column: column.to_owned(),
        problem,
    };
    let cell = |i: usize| record.get(i).unwrap_or("").trim();
    let raw_numbers: Vec<&str> = cell(key_index).split(';').map(str::trim).collect();
    if raw_numbers.first().is_none_or(|n| n.is_empty()) {
        return Err(error(
            KEY_ATTRIBUTE,
            "the primary number (the first of the cell) is empty: every customer needs one"
                .to_owned(),
        ));
    }
    let mut numbers = Vec::new();
    for raw in raw_numbers {
        if raw.is_empty() {
            return Err(error(
                KEY_ATTRIBUTE,
                "an empty number between `;`: remove the extra `;`".to_owned(),
            ));
        }
        let number = normalise_number(raw, default_country);
        if !is_storable_number(&number) {
            return Err(error(
                KEY_ATTRIBUTE,
                format!(
                    "{raw:?} is not a phone number (expected digits, optionally a leading `+` \
                     and separators, 3 to 15 digits{})",
                    if default_country.is_some() {
                        ""
                    } else {
                        "; pass --default-country for national numbers"
                    }
                ),
            ));
        }
        numbers.push(number);
    }
    let mut emails = Vec::new();
    if let Some(i) = email_index {
        for raw in cell(i).split(';').map(str::trim).filter(|e| !e.is_empty()) {
            match normalise_email(raw) {
                Some(email) => emails.push(email),
                None => {
                    return Err(error(
                        EMAIL_ATTRIBUTE,
                        format!(
                            "{raw:?} is not an e-mail address (expected one `@` with text on \
                             both sides and no spaces)"
                        ),
                    ));
                }
            }
        }
    }
    let attributes = names
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != key_index && Some(*i) != email_index)
        .filter_map(|(i, name)| {
            let value = cell(i);
            (!value.is_empty()).then(|| (name.clone(), value.to_owned()))
        })
        .collect();
    let primary = numbers.remove(0);
    Ok(Customer {
        line,
        primary,
        other_numbers: numbers,
        emails,
        attributes,
    })
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows read (not counting the header).
    pub read: usize,
    /// Items written (primary and alias items); 0 with `--dry-run`.
    pub written: usize,
    /// Invalid rows left out (`--skip-invalid`).
    pub skipped: usize,
    /// Items DynamoDB still had not processed after every retry.
    pub failed: usize,
}

/// What [`run`] tells its caller as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// A row left out (`--skip-invalid`).
    Skipped(&'a RowError),
    /// Another batch went out: `done` of `total` items written or given up on.
    Written {
        /// Items written or given up on so far.
        done: usize,
        /// Items to write.
        total: usize,
    },
}

/// Writes `items` to `table` with `BatchWriteItem`, [`BATCH_SIZE`] at a time, retrying
/// unprocessed items with exponential backoff (from `initial_backoff`, [`MAX_BATCH_ATTEMPTS`]
/// attempts), calling `progress(done, total)` after each batch. Returns (written, failed).
pub async fn write_items(
    client: &Client,
    table: &str,
    items: Vec<Item>,
    initial_backoff: Duration,
    mut progress: impl FnMut(usize, usize),
) -> Result<(usize, usize), Error> {
    let mut written = 0;
    let mut failed = 0;
    let total = items.len();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        let mut pending: Vec<WriteRequest> = Vec::with_capacity(BATCH_SIZE);
        for item in items.by_ref().take(BATCH_SIZE) {
            let put = PutRequest::builder()
                .set_item(Some(item))
                .build()
                .map_err(|e| batch_error(table, e.to_string()))?;
            pending.push(WriteRequest::builder().put_request(put).build());
        }
        let mut backoff = initial_backoff;
        for attempt in 1..=MAX_BATCH_ATTEMPTS {
            let sent = pending.len();
            let output = client
                .batch_write_item()
                .request_items(table, std::mem::take(&mut pending))
                .send()
                .await
                .map_err(|e| {
                    batch_error(
                        table,
                        aws_sdk_dynamodb::error::DisplayErrorContext(e).to_string(),
                    )
                })?;
            pending = output
                .unprocessed_items
                .and_then(|mut u| u.remove(table))
                .unwrap_or_default();
            written += sent - pending.len();
            if pending.is_empty() {
                break;
            }
            if attempt < MAX_BATCH_ATTEMPTS {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
        failed += pending.len();
        progress(written + failed, total);
    }
    Ok((written, failed))
}

fn batch_error(table: &str, detail: String) -> Error {
    Error::DynamoDb {
        operation: "BatchWriteItem",
        table: table.to_owned(),
        detail,
    }
}

/// Options of `customers import`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOptions {
    /// The CSV file.
    pub file: std::path::PathBuf,
    /// The table.
    pub table: String,
    /// `--default-country`.
    pub default_country: Option<phonenumber::country::Id>,
    /// `--dry-run`: validate only, write nothing.
    pub dry_run: bool,
    /// `--skip-invalid`: import the valid rows, leave the invalid ones out.
    pub skip_invalid: bool,
}

/// The usage line of the `customers` binary.
pub const USAGE: &str = "usage: customers import FILE.csv --table NAME [--default-country CC] \
                         [--dry-run] [--skip-invalid]";

/// Parses the command line (without the program name).
pub fn parse_args(args: &[String]) -> Result<ImportOptions, Error> {
    let usage = |problem: String| Error::Usage {
        problem,
        usage: USAGE,
    };
    let mut args = args.iter();
    match args.next().map(String::as_str) {
        Some("import") => {}
        Some(other) => return Err(usage(format!("unknown command {other:?}"))),
        None => return Err(usage("no command".to_owned())),
    }
    let (mut file, mut table, mut country) = (None, None, None);
    let (mut dry_run, mut skip_invalid) = (false, false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--table" => {
                table = Some(
                    args.next()
                        .filter(|t| !t.trim().is_empty())
                        .ok_or_else(|| usage("--table needs a table name".to_owned()))?
                        .clone(),
                );
            }
            "--default-country" => {
                let code = args
                    .next()
                    .ok_or_else(|| usage("--default-country needs a code".to_owned()))?;
                country = Some(crate::event::parse_country(code).ok_or_else(|| {
                    usage(format!(
                        "--default-country {code:?} is not an ISO 3166-1 alpha-2 code known to \
                         libphonenumber (e.g. GB, US)"
                    ))
                })?);
            }
            "--dry-run" => dry_run = true,
            "--skip-invalid" => skip_invalid = true,
            flag if flag.starts_with("--") => {
                return Err(usage(format!("unknown option {flag:?}")));
            }
            path if file.is_none() => file = Some(std::path::PathBuf::from(path)),
            extra => return Err(usage(format!("unexpected argument {extra:?}"))),
        }
    }
    Ok(ImportOptions {
        file: file.ok_or_else(|| usage("no CSV file given".to_owned()))?,
        table: table.ok_or_else(|| usage("--table is required".to_owned()))?,
        default_country: country,
        dry_run,
        skip_invalid,
    })
}

/// Runs an import: reads and validates the whole file, stops at the first invalid row unless
/// `skip_invalid`, then (unless `dry_run`) writes every item. `report` receives each invalid
/// row as it is skipped.
pub async fn run(
    options: &ImportOptions,
    client: &Client,
    mut report: impl FnMut(Event<'_>),
) -> Result<Summary, Error> {
    let file = std::fs::File::open(&options.file).map_err(|e| Error::Io {
        path: options.file.display().to_string(),
        detail: e.to_string(),
    })?;
    let parsed = parse(std::io::BufReader::new(file), options.default_country)?;
    if let Some(first) = parsed.invalid.first()
        && !options.skip_invalid
    {
        return Err(first.clone().into());
    }
    for invalid in &parsed.invalid {
        report(Event::Skipped(invalid));
    }
    let items: Vec<Item> = parsed.customers.iter().flat_map(Customer::items).collect();
    let mut summary = Summary {
        read: parsed.read,
        skipped: parsed.invalid.len(),
        ..Summary::default()
    };
    if !options.dry_run {
        let (written, failed) = write_items(
            client,
            &options.table,
            items,
            Duration::from_millis(50),
            |done, total| report(Event::Written { done, total }),
        )
        .await?;
        summary.written = written;
        summary.failed = failed;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn command_lines() {
        let got = parse_args(&args(
            "import c.csv --table T --default-country gb --dry-run --skip-invalid",
        ))
        .ok();
        assert_eq!(
            got,
            Some(ImportOptions {
                file: "c.csv".into(),
                table: "T".into(),
                default_country: Some(phonenumber::country::Id::GB),
                dry_run: true,
                skip_invalid: true,
            })
        );
        for bad in [
            "",
            "export c.csv --table T",
            "import --table T",
            "import c.csv",
            "import c.csv --table",
            "import c.csv --table T --default-country UK",
            "import c.csv --table T --force",
            "import a.csv b.csv --table T",
        ] {
            let err = parse_args(&args(bad)).err().map(|e| e.to_string());
            assert!(
                err.as_deref().is_some_and(|e| e.contains(USAGE)),
                "{bad}: {err:?}"
            );
        }
    }

    #[test]
    fn rows_become_primary_and_alias_items() {
        let text = "CalledNumber,FirstName,Email,Tier\n\
                    \" 07700 900123 ; +44 7700 900456 \",Eve,Eve@Example.com; e2@example.com,\n";
        let gb = Some(phonenumber::country::Id::GB);
        let parsed = parse(text.as_bytes(), gb).ok();
        let customers = parsed.map(|p| p.customers).unwrap_or_default();
        assert_eq!(
            customers,
            [Customer {
                line: 2,
                primary: "+447700900123".into(),
                other_numbers: vec!["+447700900456".into()],
                emails: vec!["eve@example.com".into(), "e2@example.com".into()],
                attributes: vec![("FirstName".into(), "Eve".into())],
            }]
        );
        let items = customers[0].items();
        assert_eq!(items.len(), 4);
        let keys: Vec<&str> = items
            .iter()
            .filter_map(|i| i.get(KEY_ATTRIBUTE)?.as_s().ok().map(String::as_str))
            .collect();
        assert_eq!(
            keys,
            [
                "+447700900123",
                "+447700900456",
                "email:eve@example.com",
                "email:e2@example.com"
            ]
        );
        assert!(items[1..].iter().all(|i| i.len() == 2
            && i.get(ALIAS_ATTRIBUTE) == Some(&AttributeValue::S("+447700900123".into()))));
    }

    #[test]
    fn storable_numbers() {
        for ok in ["101", "+14155550100", "07700900123", "+123456789012345"] {
            assert!(is_storable_number(ok), "{ok}");
        }
        for bad in [
            "",
            "+",
            "12",
            "+1234567890123456",
            "12ab",
            "1 2 3",
            "email:x",
        ] {
            assert!(!is_storable_number(bad), "{bad}");
        }
    }
}
