//! Local stand-ins for the cloud, shared by the integration tests, `examples/demo.rs` and
//! `examples/bench.rs` (they include this file with `#[path]`): dynalite started on a free
//! loopback port, an SDK client and sample customers for it, a minimal Lambda Runtime API
//! server, and paths to the project's tools. Everything started here is stopped on drop.
//!
//! Missing tools (node, dynalite, cargo-lambda, qemu) are errors naming `bin/setup`, never a
//! reason to skip.

// Each includer uses a different part of this file.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{Credentials, Region};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType, TableStatus,
};
use handler::{Item, KEY_ATTRIBUTE, Timeouts};
use serde_json::Value;

/// Errors of this support code: a sentence saying what failed and what to do.
pub type Result<T> = std::result::Result<T, String>;

/// The workspace root (the directory holding `bin/setup`).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Where cargo-lambda writes the function binary: [`handler::BOOTSTRAP_PATH`] under the
/// workspace root, or under `CARGO_TARGET_DIR` when that is set.
pub fn bootstrap_path() -> PathBuf {
    let relative = handler::BOOTSTRAP_PATH;
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root()
            .join(dir)
            .join(relative.strip_prefix("target/").unwrap_or(relative)),
        None => root().join(relative),
    }
}

/// The path of an event fixture under `tests/fixtures/events/`.
pub fn fixture_path(name: &str) -> PathBuf {
    root().join("tests/fixtures/events").join(name)
}

/// An event fixture, parsed.
pub fn fixture(name: &str) -> Result<Value> {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read fixture {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("fixture {} is not JSON: {e}", path.display()))
}

/// Every fixture file name, sorted.
pub fn fixture_names() -> Result<Vec<String>> {
    let dir = root().join("tests/fixtures/events");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    Ok(names)
}

/// PATH with the project's tools first (`.venv/bin`, `node_modules/.bin`), as `bin/env.sh` sets.
pub fn tool_path() -> String {
    let root = root();
    let mut parts = vec![
        root.join(".venv/bin").display().to_string(),
        root.join("node_modules/.bin").display().to_string(),
    ];
    parts.extend(std::env::var("PATH").ok());
    parts.join(":")
}

/// The project's cargo-lambda (installed by `bin/setup` into `.venv`).
pub fn cargo_lambda() -> Result<PathBuf> {
    let path = root().join(".venv/bin/cargo-lambda");
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "cargo-lambda not found at {}: run bin/setup (it installs the pinned version into .venv)",
            path.display()
        ))
    }
}

/// A free TCP port on 127.0.0.1 (free when asked; callers retry if someone takes it first).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot bind a loopback port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot read the bound port: {e}"))
}

/// Waits until something accepts TCP connections on `port`, or `deadline` passes.
pub fn wait_for_port(port: u16, deadline: Duration, child: &mut Child, what: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "{what} exited before listening on port {port} ({status})"
            ));
        }
        if start.elapsed() > deadline {
            return Err(format!(
                "{what} did not listen on port {port} within {deadline:?}"
            ));
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// A child process killed (and reaped) on drop.
#[derive(Debug)]
pub struct ChildGuard {
    /// The process.
    pub child: Child,
    /// What it is, for messages.
    pub name: String,
}

impl ChildGuard {
    /// Guards `child`.
    pub fn new(child: Child, name: impl Into<String>) -> Self {
        ChildGuard {
            child,
            name: name.into(),
        }
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// dynalite (an in-memory DynamoDB written for Node) on a free loopback port.
#[derive(Debug)]
pub struct Dynalite {
    guard: ChildGuard,
    port: u16,
}

impl Dynalite {
    /// Starts dynalite from the project's `node_modules` and waits until it listens.
    pub fn start() -> Result<Self> {
        let cli = root().join("node_modules/dynalite/cli.js");
        if !cli.is_file() {
            return Err(format!(
                "dynalite not found at {}: run bin/setup (npm ci installs it from package-lock.json)",
                cli.display()
            ));
        }
        let mut last_error = String::new();
        for _ in 0..3 {
            let port = free_port()?;
            let child = Command::new("node")
                .arg(&cli)
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                .args([
                    "--createTableMs",
                    "0",
                    "--deleteTableMs",
                    "0",
                    "--updateTableMs",
                    "0",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| {
                    format!(
                        "cannot start node ({e}): install Node.js 20 or newer, then run bin/setup"
                    )
                })?;
            let mut guard = ChildGuard::new(child, "dynalite");
            match wait_for_port(port, Duration::from_secs(15), &mut guard.child, "dynalite") {
                Ok(()) => return Ok(Dynalite { guard, port }),
                Err(e) => last_error = e,
            }
        }
        Err(last_error)
    }

    /// `http://127.0.0.1:<port>`: an IP literal, so nothing resolves DNS.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Environment variables that point the handler binary (or `cargo lambda watch`) here.
    pub fn handler_env(&self, table: &str) -> Vec<(String, String)> {
        [
            (handler::TABLE_NAME_ENV, table),
            ("AWS_ENDPOINT_URL_DYNAMODB", &self.endpoint()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    /// The dynalite process id.
    pub fn pid(&self) -> u32 {
        self.guard.id()
    }
}

/// An SDK client for `endpoint` with the handler's timeout and retry settings, fixed test
/// credentials and region.
pub async fn client(endpoint: &str, timeouts: Timeouts) -> Client {
    let sdk = timeouts
        .sdk_loader()
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .load()
        .await;
    Client::new(&sdk)
}

/// Creates the customer table (partition key `CalledNumber`, string) and waits until it is active.
pub async fn create_table(client: &Client, table: &str) -> Result<()> {
    client
        .create_table()
        .table_name(table)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(KEY_ATTRIBUTE)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name(KEY_ATTRIBUTE)
                .key_type(KeyType::Hash)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .map_err(|e| {
            format!(
                "CreateTable {table}: {}",
                aws_sdk_dynamodb::error::DisplayErrorContext(e)
            )
        })?;
    for _ in 0..500 {
        let status = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .ok()
            .and_then(|d| d.table?.table_status);
        if status == Some(TableStatus::Active) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Err(format!("table {table} did not become active"))
}

/// Writes `items` with PutItem.
pub async fn put_items(client: &Client, table: &str, items: Vec<Item>) -> Result<()> {
    for item in items {
        client
            .put_item()
            .table_name(table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| {
                format!(
                    "PutItem {table}: {}",
                    aws_sdk_dynamodb::error::DisplayErrorContext(e)
                )
            })?;
    }
    Ok(())
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

/// The sample customers: the original AWS sample's row `101` / James / Bond (last call
/// `today`), and two E.164 callers with a few more attribute types.
pub fn sample_customers(today: &str) -> Vec<Item> {
    vec![
        Item::from([
            ("CalledNumber".to_owned(), s("101")),
            ("FirstName".to_owned(), s("James")),
            ("LastName".to_owned(), s("Bond")),
            ("LastCallDate".to_owned(), s(today)),
        ]),
        Item::from([
            ("CalledNumber".to_owned(), s("+14155550100")),
            ("FirstName".to_owned(), s("Jane")),
            ("LastName".to_owned(), s("Doe")),
            ("LastCallDate".to_owned(), s("2026-11-02")),
            ("Tier".to_owned(), s("gold")),
            ("Visits".to_owned(), AttributeValue::N("7".to_owned())),
            ("Vip".to_owned(), AttributeValue::Bool(true)),
        ]),
        Item::from([
            ("CalledNumber".to_owned(), s("+447700900123")),
            ("FirstName".to_owned(), s("Eve")),
            ("LastName".to_owned(), s("Moneypenny")),
            ("LastCallDate".to_owned(), s("2026-10-31")),
            ("PreferredLanguage".to_owned(), s("en-GB")),
            (
                "Languages".to_owned(),
                AttributeValue::Ss(vec!["fr".to_owned(), "en".to_owned()]),
            ),
        ]),
    ]
}

/// What the function sent back for one invocation.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// POST `/runtime/invocation/{id}/response`.
    Response(Value),
    /// POST `/runtime/invocation/{id}/error` (Lambda's `{errorType, errorMessage}`).
    Error(Value),
}

#[derive(Default)]
struct State {
    queue: VecDeque<(String, Vec<u8>)>,
    results: HashMap<String, Outcome>,
    first_poll: Option<Instant>,
    init_error: Option<Value>,
    next_id: u64,
    stopped: bool,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A minimal Lambda Runtime API (`/2018-06-01/runtime/...`) on a free loopback port: the
/// function polls `invocation/next`, [`RuntimeApi::invoke`] hands it an event and waits for its
/// `response` or `error`. One thread per connection (this runs on the host, not under qemu).
pub struct RuntimeApi {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl RuntimeApi {
    /// Starts the server.
    pub fn start() -> Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .map_err(|e| format!("cannot bind the runtime API: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        });
        let accept_shared = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accept_shared.lock().stopped {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let conn_shared = Arc::clone(&accept_shared);
                thread::spawn(move || serve(stream, &conn_shared));
            }
        });
        Ok(RuntimeApi { addr, shared })
    }

    /// `127.0.0.1:<port>`, the value of `AWS_LAMBDA_RUNTIME_API`.
    pub fn address(&self) -> String {
        self.addr.to_string()
    }

    /// Environment variables a Lambda function needs to talk to this server.
    pub fn lambda_env(&self) -> Vec<(String, String)> {
        [
            ("AWS_LAMBDA_RUNTIME_API", self.address()),
            ("AWS_LAMBDA_FUNCTION_NAME", "connect-lookup".to_owned()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".to_owned()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// Waits for the function's first `invocation/next` poll: the moment it is ready. Fails
    /// early if the function reports an init error.
    pub fn wait_ready(&self, timeout: Duration) -> Result<Instant> {
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.lock();
        loop {
            if let Some(at) = state.first_poll {
                return Ok(at);
            }
            if let Some(error) = &state.init_error {
                return Err(format!("the function reported an init error: {error}"));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(format!(
                    "the function did not poll for an event within {timeout:?}"
                ));
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, deadline - now)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|poisoned| poisoned.into_inner().0);
        }
    }

    /// Hands `event` to the function and waits for its answer.
    pub fn invoke(&self, event: &Value, timeout: Duration) -> Result<Outcome> {
        let body = serde_json::to_vec(event).map_err(|e| e.to_string())?;
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.lock();
        state.next_id += 1;
        let id = format!("req-{:06}", state.next_id);
        state.queue.push_back((id.clone(), body));
        self.shared.changed.notify_all();
        loop {
            if let Some(outcome) = state.results.remove(&id) {
                return Ok(outcome);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(format!("no answer to invocation {id} within {timeout:?}"));
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, deadline - now)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|poisoned| poisoned.into_inner().0);
        }
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.shared.lock().stopped = true;
        self.shared.changed.notify_all();
        // Wake the accept loop so its thread ends.
        let _ = TcpStream::connect(self.addr);
    }
}

struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut length = 0usize;
    let mut chunked = false;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().ok()?;
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            }
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        body.resize(length, 0);
        reader.read_exact(&mut body).ok()?;
    }
    Some(Request { method, path, body })
}

fn write_response(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> bool {
    let mut head = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).is_ok() && stream.write_all(body).is_ok()
}

fn serve(stream: TcpStream, shared: &Shared) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        let path = request.path.trim_start_matches("/2018-06-01/runtime");
        let ok = match (request.method.as_str(), path) {
            ("GET", "/invocation/next") => {
                let mut state = shared.lock();
                state.first_poll.get_or_insert_with(Instant::now);
                shared.changed.notify_all();
                let (id, body) = loop {
                    if state.stopped {
                        return;
                    }
                    if let Some(next) = state.queue.pop_front() {
                        break next;
                    }
                    state = shared
                        .changed
                        .wait(state)
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                };
                drop(state);
                let deadline = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() + 3_000)
                    .unwrap_or(0);
                write_response(
                    &mut writer,
                    "200 OK",
                    &[
                        ("content-type", "application/json".to_owned()),
                        ("lambda-runtime-aws-request-id", id),
                        ("lambda-runtime-deadline-ms", deadline.to_string()),
                        (
                            "lambda-runtime-invoked-function-arn",
                            "arn:aws:lambda:us-east-1:123456789012:function:connect-lookup"
                                .to_owned(),
                        ),
                        (
                            "lambda-runtime-trace-id",
                            "Root=1-00000000-000000000000000000000000".to_owned(),
                        ),
                    ],
                    &body,
                )
            }
            ("POST", "/init/error") => {
                let mut state = shared.lock();
                state.init_error = Some(parse_body(&request.body));
                shared.changed.notify_all();
                write_response(&mut writer, "202 Accepted", &[], b"{}")
            }
            ("POST", path) => {
                let rest = path.strip_prefix("/invocation/").unwrap_or("");
                let outcome = match rest.rsplit_once('/') {
                    Some((id, "response")) => {
                        Some((id, Outcome::Response(parse_body(&request.body))))
                    }
                    Some((id, "error")) => Some((id, Outcome::Error(parse_body(&request.body)))),
                    _ => None,
                };
                match outcome {
                    Some((id, outcome)) => {
                        let mut state = shared.lock();
                        state.results.insert(id.to_owned(), outcome);
                        shared.changed.notify_all();
                        write_response(&mut writer, "202 Accepted", &[], b"{}")
                    }
                    None => write_response(&mut writer, "404 Not Found", &[], b"{}"),
                }
            }
            _ => write_response(&mut writer, "404 Not Found", &[], b"{}"),
        };
        if !ok {
            return;
        }
    }
}

fn parse_body(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
}

/// Starts a Lambda binary against `api`, with `env` on top of a clean environment (only PATH
/// and HOME are inherited), and waits until it polls for its first event.
pub fn start_function(
    program: &Path,
    prefix: &[&str],
    api: &RuntimeApi,
    env: &[(String, String)],
    log: &Path,
    ready_timeout: Duration,
) -> Result<(ChildGuard, Instant, Instant)> {
    let log_file =
        std::fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let err_file = log_file.try_clone().map_err(|e| e.to_string())?;
    let (exe, args): (&Path, Vec<&std::ffi::OsStr>) = match prefix.split_first() {
        Some((first, rest)) => (
            Path::new(first),
            rest.iter()
                .map(std::ffi::OsStr::new)
                .chain([program.as_os_str()])
                .collect(),
        ),
        None => (program, Vec::new()),
    };
    let mut command = Command::new(exe);
    command
        .args(args)
        .env_clear()
        .envs(std::env::var("PATH").ok().map(|p| ("PATH".to_owned(), p)))
        .envs(std::env::var("HOME").ok().map(|p| ("HOME".to_owned(), p)))
        .envs(api.lambda_env())
        .envs(env.iter().cloned())
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(err_file);
    let started = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let mut guard = ChildGuard::new(child, program.display().to_string());
    let deadline = Instant::now() + ready_timeout;
    let ready = loop {
        match api.wait_ready(Duration::from_millis(50)) {
            Ok(ready) => break ready,
            Err(e) => {
                let exited = guard.child.try_wait().ok().flatten();
                let why = match exited {
                    Some(status) => format!("it exited with {status} before polling for an event"),
                    None if Instant::now() >= deadline => e,
                    None => continue,
                };
                let log_text = std::fs::read_to_string(log).unwrap_or_default();
                return Err(format!("{}: {why}; its output:\n{log_text}", exe.display()));
            }
        }
    };
    Ok((guard, started, ready))
}

/// What a finished command printed.
#[derive(Debug)]
pub struct Finished {
    /// Exit status.
    pub status: std::process::ExitStatus,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `command` to completion with its output captured, killing it after `timeout`.
pub fn run_with_timeout(command: &mut Command, timeout: Duration) -> Result<Finished> {
    let what = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_reader = thread::spawn(move || {
        let mut text = String::new();
        if let Some(out) = out.as_mut() {
            let _ = out.read_to_string(&mut text);
        }
        text
    });
    let err_reader = thread::spawn(move || {
        let mut text = String::new();
        if let Some(err) = err.as_mut() {
            let _ = err.read_to_string(&mut text);
        }
        text
    });
    let mut guard = ChildGuard::new(child, what.clone());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match guard.child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            Ok(None) => return Err(format!("{what} did not finish within {timeout:?}")),
            Err(e) => return Err(format!("waiting for {what}: {e}")),
        }
    };
    Ok(Finished {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    })
}

/// A process started in its own process group; on drop the whole group gets SIGTERM, then
/// SIGKILL if it is still there after a few seconds (for `cargo lambda watch`, which starts
/// `cargo run` and the function beneath it).
pub struct GroupGuard {
    guard: ChildGuard,
}

impl GroupGuard {
    /// Starts `command` as the leader of a new process group.
    pub fn spawn(command: &mut Command, name: &str) -> Result<Self> {
        use std::os::unix::process::CommandExt as _;
        let child = command
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        Ok(GroupGuard {
            guard: ChildGuard::new(child, name),
        })
    }

    /// The leader's process.
    pub fn child(&mut self) -> &mut Child {
        &mut self.guard.child
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        let group = format!("-{}", self.guard.id());
        let signal = |sig: &str| {
            let _ = Command::new("kill")
                .args([sig, "--", &group])
                .stderr(Stdio::null())
                .status();
        };
        signal("-TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.guard.child.try_wait(), Ok(Some(_))) {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
        signal("-KILL");
    }
}
