//! Where items come from: the [`Store`] seam, its DynamoDB implementation and an in-memory one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

use crate::error::Error;
use crate::item::Item;
use crate::{KEY_ATTRIBUTE, LAST_CALL_DATE_ATTRIBUTE};

/// The one thing the handler needs from the table.
pub trait Store {
    /// Reads the item whose `CalledNumber` is `key` (`GetItem`), or `None` if there is none.
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<Item>, Error>>;

    /// Sets the item's `LastCallDate` to `today` if the item exists, and returns the item as it
    /// was before (`UpdateItem`, `attribute_exists` condition, `ReturnValues=ALL_OLD`); `None`
    /// if there is no item (nothing is created).
    fn get_and_touch(
        &self,
        key: &str,
        today: &str,
    ) -> impl Future<Output = Result<Option<Item>, Error>>;
}

/// The table in DynamoDB, through a client built once at start.
#[derive(Clone, Debug)]
pub struct DynamoDbStore {
    client: Client,
    table: String,
    operation_timeout: Duration,
}

impl DynamoDbStore {
    /// A store over `table`. `operation_timeout` is only used to word timeout errors; the
    /// client's own timeout configuration enforces it.
    pub fn new(client: Client, table: impl Into<String>, operation_timeout: Duration) -> Self {
        DynamoDbStore {
            client,
            table: table.into(),
            operation_timeout,
        }
    }

    /// The SDK client, e.g. to compare the handler with a raw call in benchmarks.
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn error<E, R>(&self, operation: &'static str, err: SdkError<E, R>) -> Error
    where
        E: std::error::Error + ProvideErrorMetadata + 'static,
        R: std::fmt::Debug + 'static,
    {
        let detail = describe(&err);
        match err {
            SdkError::TimeoutError(_) => Error::Timeout {
                operation,
                table: self.table.clone(),
                timeout: self.operation_timeout,
                detail,
            },
            _ => Error::DynamoDb {
                operation,
                table: self.table.clone(),
                detail,
            },
        }
    }
}

impl Store for DynamoDbStore {
    async fn get(&self, key: &str) -> Result<Option<Item>, Error> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(KEY_ATTRIBUTE, AttributeValue::S(key.to_owned()))
            .send()
            .await
            .map_err(|e| self.error("GetItem", e))?;
        Ok(output.item)
    }

    async fn get_and_touch(&self, key: &str, today: &str) -> Result<Option<Item>, Error> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(KEY_ATTRIBUTE, AttributeValue::S(key.to_owned()))
            .update_expression("SET #date = :today")
            .condition_expression("attribute_exists(#key)")
            .expression_attribute_names("#date", LAST_CALL_DATE_ATTRIBUTE)
            .expression_attribute_names("#key", KEY_ATTRIBUTE)
            .expression_attribute_values(":today", AttributeValue::S(today.to_owned()))
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match result {
            Ok(output) => Ok(Some(output.attributes.unwrap_or_default())),
            Err(SdkError::ServiceError(e))
                if matches!(e.err(), UpdateItemError::ConditionalCheckFailedException(_)) =>
            {
                Ok(None)
            }
            Err(e) => Err(self.error("UpdateItem", e)),
        }
    }
}

/// One line for an SDK error: the service's code and message when DynamoDB answered, else the
/// chain of causes (dispatch failure, connection refused, timeout, ...).
fn describe<E, R>(err: &SdkError<E, R>) -> String
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
    R: std::fmt::Debug + 'static,
{
    if let SdkError::ServiceError(service) = err {
        let e = service.err();
        return match (e.code(), e.message()) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            (Some(code), None) => code.to_owned(),
            _ => DisplayErrorContext(e).to_string(),
        };
    }
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// An in-memory table, for tests and examples of the pure logic.
#[derive(Debug, Default)]
pub struct MemoryStore {
    items: RefCell<HashMap<String, Item>>,
}

impl MemoryStore {
    /// A store holding `items`, keyed by their `CalledNumber` string.
    pub fn new(items: impl IntoIterator<Item = Item>) -> Self {
        let items = items
            .into_iter()
            .filter_map(|item| match item.get(KEY_ATTRIBUTE) {
                Some(AttributeValue::S(key)) => Some((key.clone(), item)),
                _ => None,
            })
            .collect();
        MemoryStore {
            items: RefCell::new(items),
        }
    }

    /// The item stored under `key`, as it is now.
    pub fn item(&self, key: &str) -> Option<Item> {
        self.items.borrow().get(key).cloned()
    }
}

impl Store for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<Item>, Error> {
        Ok(self.item(key))
    }

    async fn get_and_touch(&self, key: &str, today: &str) -> Result<Option<Item>, Error> {
        let mut items = self.items.borrow_mut();
        Ok(items.get_mut(key).map(|item| {
            let old = item.clone();
            item.insert(
                LAST_CALL_DATE_ATTRIBUTE.to_owned(),
                AttributeValue::S(today.to_owned()),
            );
            old
        }))
    }
}
