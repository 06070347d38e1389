//! Running cases and printing the compliance table.

use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

/// What a case body returns: `?` on kernel calls and on [`check`] / [`equal`].
pub type CaseResult = Result<(), Failure>;

/// Why a case failed: a kernel error or a check that did not hold.
#[derive(Debug)]
pub struct Failure(pub String);

impl From<jsii_runtime::Error> for Failure {
    fn from(e: jsii_runtime::Error) -> Failure {
        Failure(jsii_runtime::report(&e))
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure(message.to_owned())
    }
}

/// One case of the suite.
pub struct Case {
    /// The case's name, as in the Go port.
    pub name: &'static str,
    /// What it runs, or why it does not apply to Rust.
    pub kind: Kind,
}

/// How a case is decided.
pub enum Kind {
    /// A test body.
    Run(fn() -> CaseResult),
    /// Not applicable to Rust, with the reason (one line).
    NotApplicable(&'static str),
}

impl Case {
    /// A case with a body.
    pub const fn run(name: &'static str, body: fn() -> CaseResult) -> Case {
        Case {
            name,
            kind: Kind::Run(body),
        }
    }

    /// A case that does not apply to Rust.
    pub const fn not_applicable(name: &'static str, reason: &'static str) -> Case {
        Case {
            name,
            kind: Kind::NotApplicable(reason),
        }
    }
}

/// How a case ended.
pub enum Outcome {
    /// It passed.
    Pass(&'static str, Duration),
    /// It failed, with the message.
    Fail(&'static str, String),
    /// It does not apply, with the reason.
    NotApplicable(&'static str, &'static str),
}

impl Outcome {
    /// Whether the case failed.
    pub fn failed(&self) -> bool {
        matches!(self, Outcome::Fail(..))
    }
}

/// How long one case may take before it counts as hung.
const CASE_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs every case, each on its own thread (its own kernel), in order.
pub fn run(cases: &[Case]) -> Vec<Outcome> {
    cases.iter().map(run_one).collect()
}

fn run_one(case: &Case) -> Outcome {
    let body = match case.kind {
        Kind::Run(body) => body,
        Kind::NotApplicable(reason) => return Outcome::NotApplicable(case.name, reason),
    };
    let started = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(case.name.to_owned())
        .spawn(move || {
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(body));
            let closed = jsii_runtime::shutdown();
            let _ = tx.send((outcome, closed));
        });
    if let Err(e) = spawned {
        return Outcome::Fail(case.name, format!("could not start a thread: {e}"));
    }
    match rx.recv_timeout(CASE_TIMEOUT) {
        Ok((Ok(Ok(())), Ok(()))) => Outcome::Pass(case.name, started.elapsed()),
        Ok((Ok(Ok(())), Err(e))) => Outcome::Fail(case.name, format!("kernel shutdown: {e}")),
        Ok((Ok(Err(Failure(message))), _)) => Outcome::Fail(case.name, message),
        Ok((Err(panic), _)) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_owned());
            Outcome::Fail(case.name, format!("panicked: {message}"))
        }
        Err(_) => Outcome::Fail(
            case.name,
            format!("no result within {}s", CASE_TIMEOUT.as_secs()),
        ),
    }
}

/// The compliance table: one row per case, then the totals.
pub fn table(results: &[Outcome]) -> String {
    let mut out = String::from("| case | result | detail |\n|---|---|---|\n");
    let (mut pass, mut fail, mut na) = (0, 0, 0);
    for r in results {
        let (name, result, detail) = match r {
            Outcome::Pass(n, took) => {
                pass += 1;
                (n, "pass", format!("{} ms", took.as_millis()))
            }
            Outcome::Fail(n, why) => {
                fail += 1;
                (n, "FAIL", one_line(why))
            }
            Outcome::NotApplicable(n, why) => {
                na += 1;
                (n, "n/a", (*why).to_owned())
            }
        };
        let _ = writeln!(out, "| {name} | {result} | {detail} |");
    }
    let applicable = pass + fail;
    let _ = writeln!(
        out,
        "\n{} cases: {pass} pass, {fail} fail, {na} not applicable to Rust ({pass} of \
         {applicable} applicable cases pass)",
        results.len()
    );
    out
}

fn one_line(text: &str) -> String {
    let line = text.replace('\n', " ⏎ ").replace('|', "\\|");
    if line.chars().count() > 300 {
        line.chars().take(300).collect::<String>() + "..."
    } else {
        line
    }
}

/// Fails the case with `message` unless `condition` holds.
pub fn check(condition: bool, message: impl Into<String>) -> CaseResult {
    if condition {
        Ok(())
    } else {
        Err(Failure(message.into()))
    }
}

/// Fails the case unless `got == want`.
pub fn equal<T: PartialEq + std::fmt::Debug>(got: T, want: T, what: &str) -> CaseResult {
    if got == want {
        Ok(())
    } else {
        Err(Failure(format!("{what}: got {got:?}, want {want:?}")))
    }
}

/// The JavaScript error a call must have failed with: its name and message.
pub fn js_error<T: std::fmt::Debug>(
    result: jsii_runtime::Result<T>,
) -> Result<(String, String), Failure> {
    match result {
        Err(jsii_runtime::Error::Js { name, message, .. }) => Ok((name, message)),
        other => Err(Failure(format!(
            "expected a JavaScript error, got {other:?}"
        ))),
    }
}
