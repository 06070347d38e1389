//! The `connect-lookup` Lambda binary: wiring only (logs, configuration, the DynamoDB client,
//! the runtime loop). The lookup itself lives in the `handler` library.

use std::process::ExitCode;

use handler::{Config, DynamoDbStore, Mode};
use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::Value;
use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

// One thread: Lambda hands the function one event at a time, a single thread starts faster, and
// the arm64 test under qemu-user cannot create threads at all.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let directives = handler::config::log_directives(|name| std::env::var(name).ok());
    let (filter, bad_filter) = match directives.parse::<Targets>() {
        Ok(filter) => (filter, None),
        Err(error) => (Targets::new().with_default(Level::INFO), Some(error)),
    };
    tracing_subscriber::fmt()
        .json()
        .with_current_span(false)
        .with_span_list(false)
        .without_time() // CloudWatch stamps every line
        .with_ansi(false)
        .finish()
        .with(filter)
        .init();
    if let Some(error) = bad_filter {
        tracing::warn!(directives, error = %error, "unusable RUST_LOG; logging at info");
    }

    // Bad configuration stops the function before it takes an event: Lambda reports the init
    // failure and the log says what to fix.
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            tracing::error!(error_type = error.kind(), error = %error, "bad configuration");
            return ExitCode::FAILURE;
        }
    };
    // The phone-number metadata is only needed (and only loaded) with a default country; load
    // it during init rather than in the first caller's lookup.
    if config.settings.normaliser.default_country.is_some() {
        handler::event::warm_up_phone_metadata();
    }
    let sdk = config.timeouts.sdk_loader().load().await;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let store = DynamoDbStore::new(client, &config.table_name, config.timeouts.operation);
    let (store, config) = (&store, &config);

    let run = lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        // Today's date only for the update mode: a plain lookup needs no clock.
        let settings = &config.settings;
        if config.update_last_call_date {
            let today = handler::today_utc();
            let mode = Mode::Touch { today: &today };
            handler::handle_with(&event.payload, store, mode, settings).await
        } else {
            handler::handle_with(&event.payload, store, Mode::Get, settings).await
        }
    }));
    match run.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %error, "the Lambda runtime loop failed");
            ExitCode::FAILURE
        }
    }
}
