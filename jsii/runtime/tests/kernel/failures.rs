//! Failure cases: each must give a clear, actionable error quickly (never a hang or a panic).
//!
//! Cases that need a different environment re-run this test binary in a child process with the
//! environment set and `JSII_RS_TEST_CASE` naming the case, so the real environment variables are
//! what gets tested and the parent's kernel is untouched.

use crate::support::{AWS_CDK_LIB, CONSTRUCTS};
use jsii_runtime::protocol::{self, LoadRequest};
use jsii_runtime::{Error, ObjRef, Package, Result, rt};
use serde_json::json;
use std::process::Command;
use std::time::{Duration, Instant};

/// Generous bound meaning "did not hang"; real timings are in `bin/bench kernel`.
const NO_HANG: Duration = Duration::from_secs(10);

/// Re-runs this test binary as a child running only `child_entry`, with `case` and `env`.
fn run_child(case: &str, env: &[(&str, &str)]) -> std::process::Output {
    let exe = std::env::current_exe().expect("test binary path");
    Command::new(exe)
        .args([
            "failures::child_entry",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("JSII_RS_TEST_CASE", case)
        .envs(env.iter().copied())
        .output()
        .expect("re-run the test binary")
}

/// Runs `case` in a child test process with `env`, returning the error text it printed.
fn in_child(case: &str, env: &[(&str, &str)]) -> String {
    let started = Instant::now();
    let out = run_child(case, env);
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("CASE-ERROR: ").map(|(_, e)| e))
        .unwrap_or_else(|| panic!("the child printed no CASE-ERROR line:\n{stdout}"));
    eprintln!("{case}: {elapsed:?}: {line}");
    assert!(elapsed < NO_HANG, "{case} took {elapsed:?}");
    line.to_owned()
}

/// The child side: runs the named case and prints the error it produced.
#[test]
fn child_entry() {
    let Ok(case) = std::env::var("JSII_RS_TEST_CASE") else {
        return; // Only meaningful when re-run by `in_child`.
    };
    let result: Result<ObjRef> = match case.as_str() {
        "create" => rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("root")]),
        "kill" => killed_kernel(),
        "wrapper" => {
            // The wrapper launch: two node processes, stdin/stdout, console output base64-wrapped
            // on stderr and decoded by the client. Table#schema is deprecated, so aws-cdk-lib
            // prints a warning with console.error inside the kernel.
            let out = crate::support::outdir();
            let made = crate::support::app(out.path()).and_then(|app| {
                let stack = rt::create(
                    &AWS_CDK_LIB,
                    "aws-cdk-lib.Stack",
                    vec![rt::arg(&app), json!("Wrapped")],
                )?;
                let node: ObjRef = rt::get(&stack, "node")?;
                let path: String = rt::get(&node, "path")?;
                let direct = jsii_runtime::info()?.direct;
                println!("CASE-ERROR: \"Wrapper\" | path={path} direct={direct}");
                let table = crate::cdk::table(&stack)?;
                let _: serde_json::Value = rt::invoke(&table, "schema", vec![])?;
                Ok(stack)
            });
            if let Err(e) = made {
                println!("CASE-ERROR: \"Other\" | {e}");
            }
            return;
        }
        "prestart" => {
            // Node starts at `prestart`, and the first call uses that process.
            jsii_runtime::prestart(&CONSTRUCTS);
            let started = children();
            let made = rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("r")]);
            let used = jsii_runtime::info().ok().and_then(|i| i.pid);
            println!(
                "CASE-ERROR: \"Prestart\" | started {started:?} used {used:?} created {} now {:?}",
                made.is_ok(),
                children()
            );
            return;
        }
        "prestart-unused" => {
            // A kernel started early and never used ends at shutdown, like any other.
            jsii_runtime::prestart(&CONSTRUCTS);
            let started = children();
            let closed = jsii_runtime::shutdown();
            let after = rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("r")]);
            println!(
                "CASE-ERROR: \"Prestart\" | started {started:?} closed {} now {:?} then {}",
                closed.is_ok(),
                children(),
                after
                    .err()
                    .map_or("created".into(), |e| kind_of(&e).to_owned())
            );
            return;
        }
        "prestart-no-node" => {
            // Node cannot start: prestart says nothing, and the first use reports it.
            jsii_runtime::prestart(&CONSTRUCTS);
            rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("r")])
        }
        "exit" => {
            // A program that fails and exits without shutting the kernel down.
            let made = rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("r")]);
            let pid = jsii_runtime::info().ok().and_then(|i| i.pid);
            println!("KERNEL-PID: {}", pid.unwrap_or(0));
            println!("CASE-ERROR: \"Exit\" | created {}", made.is_ok());
            std::process::exit(1);
        }
        "created" => {
            // A session that must work: one construct.
            let made = rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("r")]);
            let outcome = made.map_or_else(|e| e.to_string(), |_| "ok".to_owned());
            println!("CASE-ERROR: \"Created\" | {outcome}");
            return;
        }
        other => panic!("unknown case {other}"),
    };
    let err = result.expect_err("the case must fail");
    println!(
        "CASE-ERROR: {:?} | {}",
        kind_of(&err),
        err.to_string().replace('\n', " / ")
    );
}

/// Kills the kernel with SIGKILL mid-session, then makes two calls.
fn killed_kernel() -> Result<ObjRef> {
    let root = rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("root")])?;
    let pid = jsii_runtime::info()?.pid.expect("a running kernel");
    let status = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let err = rt::get::<ObjRef>(&root, "node").expect_err("the kernel is gone");
    // Later calls fail the same way instead of writing into a closed pipe.
    let again = rt::get::<ObjRef>(&root, "node").expect_err("still gone");
    assert!(matches!(again, Error::KernelExited { .. }), "{again:?}");
    Err(err)
}

/// This process's child processes still running (not zombies), by pid.
fn children() -> Vec<u32> {
    let me = std::process::id().to_string();
    let mut found: Vec<u32> = std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // `pid (comm) state ppid ...`; comm may hold spaces, so read after its ')'.
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                let mut after = stat
                    .rsplit_once(')')
                    .map_or("", |(_, rest)| rest)
                    .split_whitespace();
                let state = after.next();
                state != Some("Z") && after.next() == Some(me.as_str())
            })
        })
        .collect();
    found.sort_unstable();
    found
}

fn kind_of(e: &Error) -> &'static str {
    match e {
        Error::NodeNotFound { .. } => "NodeNotFound",
        Error::NodeTooOld { .. } => "NodeTooOld",
        Error::RuntimeNotInstalled { .. } => "RuntimeNotInstalled",
        Error::RuntimeVersion { .. } => "RuntimeVersion",
        Error::KernelExited { .. } => "KernelExited",
        Error::Io { .. } => "Io",
        Error::ShutDown => "ShutDown",
        _ => "Other",
    }
}

#[test]
fn a_missing_node_binary_names_the_fix() {
    let line = in_child("create", &[("JSII_NODE", "/nonexistent/bin/node")]);
    assert!(line.starts_with("\"NodeNotFound\""), "{line}");
    assert!(line.contains("/nonexistent/bin/node"), "{line}");
    assert!(line.contains("JSII_NODE"), "{line}");
}

#[test]
fn a_prestarted_kernel_is_the_one_the_first_call_uses() {
    let line = in_child("prestart", &[]);
    // One node child right after prestart; the first call used it and started no other.
    let pid = line
        .split_once("started [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(pids, _)| pids.to_owned())
        .unwrap_or_default();
    assert!(
        !pid.is_empty() && !pid.contains(','),
        "one node child after prestart: {line}"
    );
    assert!(line.contains(&format!("used Some({pid})")), "{line}");
    assert!(line.contains("created true"), "{line}");
    assert!(line.contains(&format!("now [{pid}]")), "{line}");
}

#[test]
fn a_prestarted_kernel_nobody_used_ends_at_shutdown() {
    let line = in_child("prestart-unused", &[]);
    assert!(line.contains("closed true now [] then ShutDown"), "{line}");
    assert!(
        !line.contains("started []"),
        "prestart started node: {line}"
    );
}

#[test]
fn a_prestart_without_node_leaves_the_error_to_the_first_call() {
    let line = in_child(
        "prestart-no-node",
        &[("JSII_NODE", "/nonexistent/bin/node")],
    );
    assert!(line.starts_with("\"NodeNotFound\""), "{line}");
}

/// A V8 flag this node rejects (as an older or newer node may one of the default flags): the
/// kernel is started once more without any speed-up, says so under `JSII_DEBUG`, and node's
/// complaint does not reach the user.
#[test]
fn a_v8_flag_node_rejects_falls_back_to_a_plain_start() {
    let flags = ("JSII_RS_NODE_FLAGS", "--no-such-v8-flag-for-jsii-rs");
    let line = in_child("created", &[flags]);
    assert_eq!(line, "\"Created\" | ok");
    let out = run_child("created", &[flags, ("JSII_DEBUG", "1")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("jsii-runtime: the kernel's speed-ups off: node did not start with them"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("bad option"),
        "node's complaint reached the user: {stderr}"
    );
}

#[test]
fn a_node_that_is_too_old_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fake = dir.path().join("node");
    std::fs::write(
        &fake,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo v12.22.0; exit 0; fi\n\
         echo 'SyntaxError: Unexpected token' >&2; exit 1\n",
    )
    .expect("write fake node");
    make_executable(&fake);
    let line = in_child(
        "create",
        &[("JSII_NODE", fake.to_str().expect("utf-8 path"))],
    );
    assert!(line.starts_with("\"NodeTooOld\""), "{line}");
    assert!(line.contains("12.22.0"), "{line}");
}

#[test]
fn a_missing_runtime_names_npm_ci() {
    let empty = tempfile::tempdir().expect("tempdir");
    let line = in_child(
        "create",
        &[(
            "JSII_RS_NODE_MODULES",
            empty.path().to_str().expect("utf-8 path"),
        )],
    );
    assert!(line.starts_with("\"RuntimeNotInstalled\""), "{line}");
    assert!(line.contains("npm ci"), "{line}");
}

#[test]
fn a_kernel_that_crashes_at_startup_shows_its_stderr() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("crash.js");
    std::fs::write(
        &script,
        "console.error('kernel boom: cannot start'); process.exit(7);\n",
    )
    .expect("write script");
    let line = in_child(
        "create",
        &[("JSII_RUNTIME", script.to_str().expect("utf-8 path"))],
    );
    assert!(line.starts_with("\"KernelExited\""), "{line}");
    assert!(line.contains("exit code 7"), "{line}");
    assert!(line.contains("kernel boom: cannot start"), "{line}");
}

#[cfg(unix)]
fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn a_killed_kernel_is_reported_with_its_status() {
    // SIGKILL leaves the kernel no chance to remove its work directory: give it a private TMPDIR.
    let tmp = tempfile::tempdir().expect("tempdir");
    let line = in_child(
        "kill",
        &[("TMPDIR", tmp.path().to_str().expect("utf-8 path"))],
    );
    assert!(line.starts_with("\"KernelExited\""), "{line}");
    assert!(line.contains("killed by signal 9"), "{line}");
    assert!(
        line.contains("during `get constructs.RootConstruct@10000.node`"),
        "{line}"
    );
}

#[test]
fn a_program_that_errors_out_leaves_no_node_process_or_temp_dir() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let tmpdir = tmp.path().to_str().expect("UTF-8 temp path");
    let out = run_child("exit", &[("TMPDIR", tmpdir)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("created true"), "{stdout}");
    let pid: u32 = stdout
        .lines()
        .find_map(|l| {
            l.split_once("KERNEL-PID: ")
                .map(|(_, p)| p.trim().to_owned())
        })
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no KERNEL-PID line:\n{stdout}"));
    assert_ne!(pid, 0);
    // The kernel sees its socket close and exits, removing its work directory.
    let deadline = Instant::now() + NO_HANG;
    let leftovers = || -> Vec<String> {
        std::fs::read_dir(tmp.path())
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    while (std::path::Path::new(&format!("/proc/{pid}")).exists() || !leftovers().is_empty())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "node {pid} outlived its host"
    );
    assert!(
        leftovers().is_empty(),
        "left behind in TMPDIR: {:?}",
        leftovers()
    );
}

#[test]
fn a_bad_tarball_path_is_a_kernel_error() -> Result<()> {
    let started = Instant::now();
    let err = protocol::request(&LoadRequest {
        name: "constructs".into(),
        version: "10.8.1".into(),
        tarball: "/nonexistent/constructs-10.8.1.tgz".into(),
    })
    .expect_err("no such tarball");
    assert!(started.elapsed() < NO_HANG);
    assert!(
        err.to_string()
            .contains("/nonexistent/constructs-10.8.1.tgz"),
        "{err}"
    );
    // The kernel survives and loads the real package afterwards.
    rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("root")])?;
    Ok(())
}

static NOT_INSTALLED: Package = Package {
    name: "jsii-rs-no-such-package",
    version: "1.0.0",
    dependencies: &[],
    type_graph: "",
};

static WRONG_VERSION: Package = Package {
    name: "constructs",
    version: "10.0.0",
    dependencies: &[],
    type_graph: "",
};

#[test]
fn packages_must_be_installed_at_the_generated_version() {
    let err = rt::create(&NOT_INSTALLED, "x.Y", vec![]).expect_err("not installed");
    assert!(matches!(err, Error::PackageNotInstalled { .. }), "{err:?}");
    assert!(err.to_string().contains("npm ci"), "{err}");
    let err = rt::create(&WRONG_VERSION, "constructs.RootConstruct", vec![]).expect_err("mismatch");
    match &err {
        Error::PackageVersionMismatch {
            expected,
            installed,
            ..
        } => {
            assert_eq!(expected, "10.0.0");
            assert_eq!(installed, "10.8.1");
            assert!(err.to_string().contains("bin/regen"), "{err}");
        }
        other => panic!("expected a version mismatch, got {other:?}"),
    }
}

#[test]
fn shutdown_ends_the_kernel_and_later_calls_say_so() -> Result<()> {
    let root = rt::create(&AWS_CDK_LIB, "aws-cdk-lib.App", vec![])?;
    let pid = jsii_runtime::info()?.pid.expect("running");
    jsii_runtime::shutdown()?;
    // The node process is gone (not a zombie, not an orphan).
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "node {pid} still exists after shutdown"
    );
    let err = rt::get::<String>(&root, "outdir").expect_err("shut down");
    assert!(matches!(err, Error::ShutDown), "{err:?}");
    Ok(())
}

#[test]
fn the_wrapper_launch_works_and_decodes_console_output() {
    let out = run_child("wrapper", &[("JSII_RS_LAUNCH", "wrapper")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("path=Wrapped direct=false"),
        "{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("aws_dynamodb.Table#schema is deprecated"),
        "the kernel's console output reaches stderr, decoded:\n{stderr}"
    );
    assert!(
        !stderr.contains("{\"stderr\":"),
        "nothing left base64-wrapped:\n{stderr}"
    );
}
