//! The developer loop: `cargo lambda watch` serving the function (compiled on the first invoke)
//! and `cargo lambda invoke --data-file <fixture>` against dynalite.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::block_on;
use crate::fixtures::{TODAY, expected};
use crate::support::{self, Dynalite, GroupGuard, fixture_path, sample_customers};

const TABLE: &str = "Customers";

#[test]
fn cargo_lambda_watch_and_invoke_return_the_expected_maps() {
    let _builds = crate::builds();
    let cargo_lambda = support::cargo_lambda().expect("cargo-lambda");
    let dynalite = Dynalite::start().expect("dynalite");
    block_on(support::seed(
        &dynalite.endpoint(),
        TABLE,
        sample_customers(TODAY),
        handler::Timeouts::default(),
    ))
    .expect("table created and seeded");

    // Logs go outside the package: watch reloads on file changes under it.
    let logs = tempfile::tempdir().expect("temp dir");
    let log_path = logs.path().join("watch.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let port = support::free_port().expect("free port").to_string();
    let mut command = Command::new(&cargo_lambda);
    command
        .args([
            "lambda",
            "watch",
            "--invoke-address",
            "127.0.0.1",
            "--invoke-port",
            &port,
        ])
        .args(
            dynalite
                .handler_env(TABLE)
                .iter()
                .flat_map(|(k, v)| ["--env-var".to_owned(), format!("{k}={v}")]),
        )
        .current_dir(support::root())
        .env("PATH", support::tool_path())
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log file"))
        .stderr(log);
    let mut watch = GroupGuard::spawn(&mut command, "cargo lambda watch").expect("watch started");
    let ready = support::wait_for_port(
        port.parse().expect("port"),
        Duration::from_secs(60),
        watch.child(),
        "cargo lambda watch",
    );
    let watch_log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    assert!(ready.is_ok(), "{ready:?}\n{}", watch_log());

    for name in [
        "connect-voice-inbound.json",
        "connect-parameters-override.json",
        "connect-voice-transfer.json",
        "connect-chat-null-endpoint.json",
    ] {
        let path = fixture_path(name);
        let path = path.to_str().expect("UTF-8 path");
        // The first invoke compiles the function, so it gets a long timeout.
        let invoked = support::run_with_timeout(
            Command::new(&cargo_lambda)
                .args([
                    "lambda",
                    "invoke",
                    "connect-lookup",
                    "--invoke-address",
                    "127.0.0.1",
                ])
                .args([
                    "--invoke-port",
                    &port,
                    "--data-file",
                    path,
                    "--output-format",
                    "json",
                ])
                .current_dir(support::root())
                .env("PATH", support::tool_path()),
            Duration::from_secs(900),
        )
        .expect("cargo lambda invoke ran");
        assert!(
            invoked.status.success(),
            "{name}: {}\n{}\nwatch log:\n{}",
            invoked.status,
            invoked.stderr,
            watch_log()
        );
        let got: handler::Response = serde_json::from_str(invoked.stdout.trim())
            .unwrap_or_else(|e| panic!("{name}: not a string map ({e}): {}", invoked.stdout));
        assert_eq!(Some(got), expected(name, TODAY), "{name}");
    }
}
