//! `jsii_runtime::main` takes the usual error types of a Rust program, and its report keeps the
//! message of the error inside them. No kernel is started: the bodies fail before any call.

use jsii_runtime::{Error, main, report};
use std::process::ExitCode;

#[derive(Debug)]
struct AppError(&'static str);

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for AppError {}

#[test]
fn main_accepts_any_usual_error_type() {
    assert_eq!(main(|| Ok(())), ExitCode::SUCCESS);
    assert_eq!(main(|| Err(Error::msg("jsii failed"))?), ExitCode::FAILURE);
    assert_eq!(main(|| Err(AppError("no bootstrap"))?), ExitCode::FAILURE);
    assert_eq!(main(|| Err("boxed")?), ExitCode::FAILURE);
    assert_eq!(
        main(|| Err(anyhow::anyhow!("from anyhow"))?),
        ExitCode::FAILURE
    );
    assert_eq!(
        main(|| {
            std::fs::read_to_string("/no/such/file")?;
            Ok(())
        }),
        ExitCode::FAILURE
    );
    let own = || -> Result<(), AppError> { Err(AppError("a function's own Result")) };
    assert_eq!(main(|| Ok(own()?)), ExitCode::FAILURE);
}

#[test]
fn the_report_keeps_the_messages_inside_boxed_and_anyhow_errors() {
    let boxed: Box<dyn std::error::Error> = Box::new(AppError("no bootstrap"));
    assert_eq!(report(boxed.as_ref()), "error: no bootstrap");
    let wrapped: Box<dyn std::error::Error> = anyhow::Error::new(Error::msg("kernel said no"))
        .context("synth failed")
        .into();
    let text = report(wrapped.as_ref());
    assert!(text.starts_with("error: synth failed"), "{text}");
    assert!(text.contains("caused by: kernel said no"), "{text}");
}
