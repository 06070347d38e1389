//! The Lambda side of a local run: a minimal Lambda Runtime API server and a way to start a
//! function binary against it, as the Lambda service would.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::Result;
use crate::process::ChildGuard;

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
/// and HOME are inherited), and waits until it polls for its first event. `prefix` runs it
/// under another program (`qemu-aarch64 -L <sysroot>`). Returns the process, when it was
/// started and when it first polled.
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
