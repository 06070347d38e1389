//! `customers import FILE.csv --table NAME [--default-country CC] [--dry-run] [--skip-invalid]`:
//! the bulk importer of the customer table (primary and alias items). The logic lives in
//! `handler::import`; this is argument handling, the SDK client and the summary.
//!
//! The AWS configuration comes from the environment as usual (region, credentials,
//! `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_DYNAMODB` for a local DynamoDB).

use std::io::IsTerminal;
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
    let terminal = std::io::stderr().is_terminal();
    let result = import::run(&options, &client, |event| match event {
        import::Event::Skipped(invalid) => eprintln!("customers: skipped {invalid}"),
        import::Event::Written { done, total } if terminal => {
            eprint!("\r{}", progress_bar(done, total));
            if done == total {
                eprintln!();
            }
        }
        import::Event::Written { .. } => {}
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

/// `[#####.....]  1,200/2,400 items`, 30 characters of bar.
fn progress_bar(done: usize, total: usize) -> String {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH)
        .checked_div(total)
        .unwrap_or(WIDTH)
        .min(WIDTH);
    format!(
        "[{}{}] {done}/{total} items",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled)
    )
}

#[cfg(test)]
mod tests {
    use super::progress_bar;

    #[test]
    fn the_bar_fills_with_the_items_written() {
        assert_eq!(
            progress_bar(0, 30),
            format!("[{}] 0/30 items", ".".repeat(30))
        );
        assert_eq!(
            progress_bar(15, 30),
            format!("[{}{}] 15/30 items", "#".repeat(15), ".".repeat(15))
        );
        assert_eq!(
            progress_bar(0, 0),
            format!("[{}] 0/0 items", "#".repeat(30))
        );
    }
}
