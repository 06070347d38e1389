//! `customers import FILE.csv --table NAME [--default-country CC] [--dry-run] [--skip-invalid]`:
//! the bulk importer of the customer table (primary and alias items). The logic lives in
//! `handler::import`; this is argument handling, the SDK client and the summary.
//!
//! The AWS configuration comes from the environment as usual (region, credentials,
//! `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_DYNAMODB` for a local DynamoDB).

use std::process::ExitCode;

use aws_config::BehaviorVersion;
use handler::import;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match import::parse_args(&args) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("customers: {error}");
            return ExitCode::from(2);
        }
    };
    let sdk = aws_config::defaults(BehaviorVersion::latest()).load().await;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let result = import::run(&options, &client, |invalid| {
        eprintln!("customers: skipped {invalid}");
    })
    .await;
    match result {
        Ok(summary) => {
            println!(
                "read {} rows, wrote {} items, skipped {} rows, failed {} items{}",
                summary.read,
                summary.written,
                summary.skipped,
                summary.failed,
                if options.dry_run {
                    " (dry run: nothing written)"
                } else {
                    ""
                }
            );
            if summary.failed > 0 {
                eprintln!(
                    "customers: {} items were still unprocessed after every retry (throttling): \
                     run the same import again, it rewrites the same items",
                    summary.failed
                );
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("customers: {error}");
            ExitCode::FAILURE
        }
    }
}
