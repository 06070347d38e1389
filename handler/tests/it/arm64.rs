//! The artefact that ships: `cargo lambda build --release --arm64 --output-format zip`, checked
//! to be an aarch64 ELF, then run under `qemu-aarch64` against the local Runtime API and
//! dynalite. This proves the real binary starts and answers without creating a thread (qemu-user
//! hangs on thread creation on these machines).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::json;

use crate::block_on;
use crate::fixtures::{TODAY, expected};
use crate::support::{self, Dynalite, Outcome, RuntimeApi, fixture, sample_customers};

const TABLE: &str = "Customers";
const SYSROOT: &str = "/usr/aarch64-linux-gnu";

/// Reads an ELF header: (64-bit, little-endian, machine).
fn elf_header(bytes: &[u8]) -> Result<(bool, bool, u16), String> {
    if bytes.len() < 20 || &bytes[..4] != b"\x7fELF" {
        return Err("not an ELF file".to_owned());
    }
    let little = bytes[5] == 1;
    let machine = if little {
        u16::from_le_bytes([bytes[18], bytes[19]])
    } else {
        u16::from_be_bytes([bytes[18], bytes[19]])
    };
    Ok((bytes[4] == 2, little, machine))
}

/// The name of the first entry of a zip file (its first local file header).
fn first_zip_entry(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() < 30 || &bytes[..4] != b"PK\x03\x04" {
        return Err("not a zip file".to_owned());
    }
    let len = usize::from(u16::from_le_bytes([bytes[26], bytes[27]]));
    let name = bytes.get(30..30 + len).ok_or("truncated zip header")?;
    Ok(String::from_utf8_lossy(name).into_owned())
}

const EM_AARCH64: u16 = 183;

#[test]
fn elf_and_zip_readers() {
    let mut elf = vec![0x7f, b'E', b'L', b'F', 2, 1];
    elf.resize(20, 0);
    elf[18] = 183;
    assert_eq!(elf_header(&elf), Ok((true, true, EM_AARCH64)));
    assert!(elf_header(b"#!/bin/sh\n echo hello there").is_err());
    let mut zip = b"PK\x03\x04".to_vec();
    zip.resize(26, 0);
    zip.extend_from_slice(&[9, 0, 0, 0]);
    zip.extend_from_slice(b"bootstrap");
    assert_eq!(first_zip_entry(&zip), Ok("bootstrap".to_owned()));
}

fn qemu() -> PathBuf {
    let found = std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(|dir| Path::new(dir).join("qemu-aarch64"))
        .find(|p| p.is_file());
    let qemu = found.unwrap_or_else(|| {
        panic!("qemu-aarch64 not found on PATH: run bin/setup (it installs Debian's qemu-user)")
    });
    assert!(
        Path::new(SYSROOT).join("lib").is_dir(),
        "{SYSROOT} missing: run bin/setup (it installs Debian's libc6-arm64-cross)"
    );
    qemu
}

#[test]
fn the_arm64_zip_holds_an_aarch64_bootstrap_that_answers_under_qemu() {
    let qemu = qemu();
    let cargo_lambda = support::cargo_lambda().expect("cargo-lambda");
    let root = support::root();
    let bootstrap = support::bootstrap_path();
    let zip = bootstrap.with_file_name("bootstrap.zip");
    {
        let _builds = crate::builds();
        for format in ["binary", "zip"] {
            let built = support::run_with_timeout(
                Command::new(&cargo_lambda)
                    .args([
                        "lambda",
                        "build",
                        "--release",
                        "--arm64",
                        "--output-format",
                        format,
                    ])
                    .args(["--package", "handler", "--bin", "connect-lookup"])
                    .current_dir(&root)
                    .env("PATH", support::tool_path()),
                Duration::from_secs(1800),
            )
            .expect("cargo lambda build ran");
            assert!(
                built.status.success(),
                "cargo lambda build ({format}): {}\n{}",
                built.status,
                built.stderr
            );
        }
    }

    let zip_bytes = std::fs::read(&zip).unwrap_or_else(|e| panic!("{}: {e}", zip.display()));
    assert_eq!(first_zip_entry(&zip_bytes), Ok("bootstrap".to_owned()));
    let bytes =
        std::fs::read(&bootstrap).unwrap_or_else(|e| panic!("{}: {e}", bootstrap.display()));
    assert_eq!(
        elf_header(&bytes),
        Ok((true, true, EM_AARCH64)),
        "{} must be a 64-bit little-endian aarch64 ELF",
        bootstrap.display()
    );

    let dynalite = Dynalite::start().expect("dynalite");
    block_on(support::seed(
        &dynalite.endpoint(),
        TABLE,
        sample_customers(TODAY),
        handler::Timeouts::default(),
    ))
    .expect("table created and seeded");
    let api = RuntimeApi::start().expect("runtime API");
    let logs = tempfile::tempdir().expect("temp dir");
    let log = logs.path().join("qemu.log");
    let qemu = qemu.to_str().expect("UTF-8 path");
    let (_function, started, ready) = support::start_function(
        &bootstrap,
        &[qemu, "-L", SYSROOT],
        &api,
        &dynalite.handler_env(TABLE),
        &log,
        Duration::from_secs(120),
    )
    .expect("the arm64 bootstrap starts under qemu (a hang here means it created a thread)");
    eprintln!("arm64 under qemu: ready after {:?}", ready - started);
    for name in [
        "connect-voice-inbound.json",
        "connect-task-no-endpoints.json",
    ] {
        let event = fixture(name).expect("fixture");
        let got = api
            .invoke(&event, Duration::from_secs(60))
            .unwrap_or_else(|e| {
                panic!(
                    "{name}: {e}\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            });
        let want = expected(name, TODAY).map(|r| Outcome::Response(json!(r)));
        assert_eq!(Some(got), want, "{name}");
    }
}
