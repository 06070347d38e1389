//! The kernel process: spawning node, the line transport, forwarding its console output, and
//! shutting it down.
//!
//! Direct launch (Unix): `node --preserve-symlinks program.js` with one end of a socket pair on
//! fd 3, which is where the kernel core reads and writes the protocol. That saves the wrapper
//! process and halves each round trip. Wrapper launch: `node jsii-runtime.js` speaking the
//! protocol on stdin/stdout and wrapping the core's console output as base64 JSON lines on stderr.
//! Either way the kernel's stderr is forwarded to ours, and its last lines are kept for error
//! reports. What a fast start adds to node's command line comes from `crate::fast`; until the
//! hello line of such a start, the kernel's stderr is held back (a failed fast start is retried
//! plainly, and only the retry's output is the user's).

use crate::error::{Error, Result};
use crate::fast::snapshot::{self, FirstLoad};
use crate::locate::{Launch, Layout};
use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How many stderr lines to keep for error messages.
const TAIL_LINES: usize = 40;

/// A running kernel.
pub(crate) struct KernelProcess {
    child: Child,
    reader: BufReader<Box<dyn Read>>,
    writer: Box<dyn Write>,
    tail: Arc<Mutex<VecDeque<String>>>,
    stderr_thread: Option<JoinHandle<()>>,
    /// Whether node was started with the speed-ups (`crate::fast`).
    fast: bool,
    /// The startup snapshot node was started from, if any.
    snapshot: Option<PathBuf>,
    /// The kernel's stderr held back (while `Some`) until `release_stderr`: what node prints
    /// when it cannot start with the speed-ups is not for the user, the plain retry is.
    held: Arc<Mutex<Option<Vec<u8>>>>,
}

impl KernelProcess {
    /// Starts node. The caller reads the hello line next. With `fast` (the packages the program
    /// loads first, possibly none) and unless `JSII_RS_FAST=0`, node starts with the speed-ups
    /// of `crate::fast`, from a startup snapshot when there is a usable one; without, plainly.
    pub fn spawn(layout: &Layout, fast: Option<&[FirstLoad]>) -> Result<KernelProcess> {
        let fast = fast.filter(|_| crate::fast::enabled());
        let mut cmd = Command::new(&layout.node);
        let node_options = std::env::var("NODE_OPTIONS").unwrap_or_default();
        let mut args: Vec<OsString> = Vec::new();
        if !node_options.contains("--max-old-space-size") {
            // What the Go and Python hosts do: large CDK apps outgrow node's default heap.
            args.push("--max-old-space-size=4096".into());
        }
        let entry = match fast {
            Some(_) => {
                args.extend(crate::fast::node_flags());
                crate::fast::entry::prepare(&layout.node_modules)
            }
            None => None,
        };
        if let Some(entry) = &entry {
            args.push("--require".into());
            args.push(entry.script.clone().into());
            cmd.env(
                crate::fast::entry::COMPILE_CACHE_ENV,
                entry.compile_cache.clone().unwrap_or_default(),
            );
            cmd.env(
                crate::fast::entry::PROGRAM_ENV,
                entry.program.clone().unwrap_or_default(),
            );
            cmd.env(
                crate::fast::hooks::MANIFEST_ENV,
                crate::fast::hooks::MANIFEST,
            );
        }
        cmd.env("JSII_AGENT", agent())
            .stdin(Stdio::null())
            .stdout(Stdio::inherit())
            .stderr(Stdio::piped());
        match &layout.launch {
            Launch::Direct { program } => {
                args.push("--preserve-symlinks".into());
                let snapshot = match (&entry, fast) {
                    (Some(entry), Some(first)) => {
                        entry.compile_cache.as_deref().and_then(|cache| {
                            let dir = entry.script.parent()?;
                            snapshot::prepare(cache, dir, &layout.node, &args, program, first)
                        })
                    }
                    _ => None,
                };
                if let Some(snapshot) = &snapshot {
                    cmd.env(snapshot::BLOB_ENV, &snapshot.blob);
                    cmd.env(snapshot::BUILDER_ENV, &snapshot.builder);
                    cmd.env(snapshot::PACKAGES_ENV, &snapshot.packages);
                }
                let usable = snapshot
                    .filter(|s| s.usable(|name| kernel_env(&cmd, name)))
                    .map(|s| s.blob);
                if let Some(blob) = &usable {
                    cmd.arg("--snapshot-blob").arg(blob);
                }
                cmd.args(&args).arg(program);
                spawn_direct(cmd, &layout.node, fast.is_some(), usable)
            }
            Launch::Wrapper { script } => {
                cmd.args(&args)
                    .arg(script)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped());
                let mut child = cmd.spawn().map_err(|source| Error::NodeNotFound {
                    node: layout.node.clone(),
                    source,
                })?;
                let stdin = child.stdin.take().expect("stdin was piped");
                let stdout = child.stdout.take().expect("stdout was piped");
                let stderr = child.stderr.take().expect("stderr was piped");
                Ok(KernelProcess::assemble(
                    child,
                    Box::new(stdout),
                    Box::new(io::BufWriter::with_capacity(1 << 16, stdin)),
                    stderr,
                    true,
                    fast.is_some(),
                    None,
                ))
            }
        }
    }

    fn assemble(
        child: Child,
        read: Box<dyn Read>,
        write: Box<dyn Write>,
        stderr: ChildStderr,
        wrapped: bool,
        fast: bool,
        snapshot: Option<PathBuf>,
    ) -> KernelProcess {
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let thread_tail = tail.clone();
        let held = Arc::new(Mutex::new(fast.then(Vec::new)));
        let thread_held = held.clone();
        let stderr_thread = std::thread::Builder::new()
            .name("jsii-kernel-stderr".into())
            .spawn(move || forward_stderr(stderr, &thread_tail, wrapped, &thread_held))
            .ok();
        KernelProcess {
            child,
            reader: BufReader::with_capacity(1 << 16, read),
            writer: write,
            tail,
            stderr_thread,
            fast,
            snapshot,
            held,
        }
    }

    /// Writes one line (a newline is appended) and flushes.
    pub fn send(&mut self, line: &str) -> io::Result<()> {
        self.writer.write_all(line.as_bytes())?;
        self.writer.write_all(b"\n")?;
        self.writer.flush()
    }

    /// Reads one line, without its newline. `Ok(None)` at end of stream (the kernel is gone).
    pub fn receive(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Ok(None);
            }
            let trimmed = line.trim_end_matches(['\n', '\r']);
            // Recorded transcripts mark our own lines with "< "; the kernel skips those too.
            if trimmed.is_empty() || trimmed.starts_with("< ") {
                continue;
            }
            return Ok(Some(
                trimmed.strip_prefix("> ").unwrap_or(trimmed).to_owned(),
            ));
        }
    }

    /// After the stream ended: the exit status (waiting briefly for it) and the stderr tail.
    pub fn post_mortem(&mut self) -> (String, String) {
        let deadline = Instant::now() + Duration::from_secs(1);
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break describe_status(status),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Ok(None) => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    break "it stopped answering and was killed".to_owned();
                }
                Err(e) => break format!("status unknown: {e}"),
            }
        };
        if let Some(t) = self.stderr_thread.take() {
            let _ = t.join();
        }
        let tail = self
            .tail
            .lock()
            .map(|t| t.iter().cloned().collect::<Vec<_>>().join("\n"))
            .unwrap_or_default();
        (status, tail)
    }

    /// Asks the kernel to exit, then waits for it (killing it after `grace`).
    pub fn shutdown(mut self, grace: Duration) -> io::Result<()> {
        let _ = self.send(r#"{"exit":0}"#);
        drop(std::mem::replace(&mut self.writer, Box::new(io::sink())));
        let deadline = Instant::now() + grace;
        loop {
            if self.child.try_wait()?.is_some() {
                break;
            }
            if Instant::now() >= deadline {
                self.child.kill()?;
                self.child.wait()?;
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if let Some(t) = self.stderr_thread.take() {
            let _ = t.join();
        }
        Ok(())
    }

    /// Whether node was started with the speed-ups.
    pub fn is_fast(&self) -> bool {
        self.fast
    }

    /// The startup snapshot node was started from, if any.
    pub fn snapshot(&self) -> Option<&Path> {
        self.snapshot.as_deref()
    }

    /// Forwards the kernel's stderr held back so far, and from now on as it comes.
    pub fn release_stderr(&self) {
        if let Ok(mut held) = self.held.lock()
            && let Some(bytes) = held.take()
        {
            let _ = io::stderr().write_all(&bytes);
        }
    }

    /// The node process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for KernelProcess {
    fn drop(&mut self) {
        // Closing our end is enough for a clean exit: the kernel reads EOF and leaves, removing
        // its work directory. Do not wait here; `shutdown` is the waiting path.
        drop(std::mem::replace(&mut self.writer, Box::new(io::sink())));
    }
}

#[cfg(unix)]
fn spawn_direct(
    mut cmd: Command,
    node: &str,
    fast: bool,
    snapshot: Option<PathBuf>,
) -> Result<KernelProcess> {
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;
    use std::os::unix::process::CommandExt;

    let (ours, theirs) = UnixStream::pair().map_err(|source| Error::Io {
        during: "creating the kernel socket".into(),
        source,
    })?;
    let fd = theirs.as_raw_fd();
    #[allow(unsafe_code)]
    // SAFETY: the closure runs in the forked child before exec and only calls the
    // async-signal-safe functions dup2 and fcntl on file descriptors we own.
    unsafe {
        cmd.pre_exec(move || {
            if fd == 3 {
                // Already in place; clear close-on-exec so the kernel inherits it.
                if libc::fcntl(3, libc::F_SETFD, 0) == -1 {
                    return Err(io::Error::last_os_error());
                }
            } else if libc::dup2(fd, 3) == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|source| Error::NodeNotFound {
        node: node.to_owned(),
        source,
    })?;
    drop(theirs);
    let stderr = child.stderr.take().expect("stderr was piped");
    let write = ours.try_clone().map_err(|source| Error::Io {
        during: "cloning the kernel socket".into(),
        source,
    })?;
    Ok(KernelProcess::assemble(
        child,
        Box::new(ours),
        Box::new(io::BufWriter::with_capacity(1 << 16, write)),
        stderr,
        false,
        fast,
        snapshot,
    ))
}

#[cfg(not(unix))]
fn spawn_direct(
    _cmd: Command,
    node: &str,
    _fast: bool,
    _snapshot: Option<PathBuf>,
) -> Result<KernelProcess> {
    Err(Error::NodeNotFound {
        node: node.to_owned(),
        source: io::Error::new(
            io::ErrorKind::Unsupported,
            "direct launch needs Unix; unset JSII_RS_LAUNCH",
        ),
    })
}

/// What `name` is in the environment `cmd` gives the kernel.
fn kernel_env(cmd: &Command, name: &str) -> Option<OsString> {
    match cmd.get_envs().find(|(key, _)| *key == name) {
        Some((_, value)) => value.map(OsStr::to_owned),
        None => std::env::var_os(name),
    }
}

/// The agent this client tells the kernel it is (`JSII_AGENT`, which jsii libraries can read
/// through the kernel's user agent): `Rust/jsii-runtime-<version>/<os>/<arch>`, or the
/// `JSII_AGENT` variable when it is set.
pub fn agent() -> String {
    std::env::var("JSII_AGENT").unwrap_or_else(|_| {
        format!(
            "Rust/jsii-runtime-{}/{}/{}",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH
        )
    })
}

fn describe_status(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return format!("killed by signal {sig}");
        }
    }
    match status.code() {
        Some(c) => format!("exit code {c}"),
        None => "no exit code".to_owned(),
    }
}

/// Copies the kernel's stderr to ours, keeping the last lines. In wrapper mode, decodes the
/// `{"stdout": b64}` / `{"stderr": b64}` lines the wrapper writes for the core's console.
fn forward_stderr(
    stderr: ChildStderr,
    tail: &Mutex<VecDeque<String>>,
    wrapped: bool,
    held: &Mutex<Option<Vec<u8>>>,
) {
    let reader = BufReader::new(stderr);
    let mut out = io::stderr();
    for line in reader.split(b'\n') {
        let Ok(line) = line else { break };
        let text = String::from_utf8_lossy(&line).into_owned();
        let decoded = if wrapped { unwrap_console(&text) } else { None };
        match decoded {
            Some((Stream::Stdout, bytes)) => {
                let _ = io::stdout().write_all(&bytes);
                let _ = io::stdout().flush();
            }
            Some((Stream::Stderr, bytes)) => {
                let _ = out.write_all(&bytes);
                remember(tail, String::from_utf8_lossy(&bytes).trim_end());
            }
            None => {
                match held.lock().as_deref_mut() {
                    Ok(Some(buffer)) => {
                        let _ = writeln!(buffer, "{text}");
                    }
                    _ => {
                        let _ = writeln!(out, "{text}");
                    }
                }
                remember(tail, &text);
            }
        }
    }
}

fn remember(tail: &Mutex<VecDeque<String>>, text: &str) {
    if let Ok(mut t) = tail.lock() {
        for l in text.lines() {
            if t.len() == TAIL_LINES {
                t.pop_front();
            }
            t.push_back(l.to_owned());
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Stream {
    Stdout,
    Stderr,
}

fn unwrap_console(line: &str) -> Option<(Stream, Vec<u8>)> {
    use base64::Engine;
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    let obj = value.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    let (key, payload) = obj.iter().next()?;
    let stream = match key.as_str() {
        "stdout" => Stream::Stdout,
        "stderr" => Stream::Stderr,
        _ => return None,
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(payload.as_str()?)
        .ok()?;
    Some((stream, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_wrapped_console_lines() {
        assert_eq!(
            unwrap_console(r#"{"stderr":"aGVsbG8K"}"#),
            Some((Stream::Stderr, b"hello\n".to_vec()))
        );
        assert_eq!(
            unwrap_console(r#"{"stdout":"eA=="}"#),
            Some((Stream::Stdout, b"x".to_vec()))
        );
        assert_eq!(unwrap_console("plain text banner"), None);
        assert_eq!(unwrap_console(r#"{"other":"eA=="}"#), None);
        assert_eq!(unwrap_console(r#"{"stderr":"!!!"}"#), None);
    }

    #[test]
    fn keeps_only_the_last_lines() {
        let tail = Mutex::new(VecDeque::new());
        for i in 0..100 {
            remember(&tail, &format!("line {i}"));
        }
        let t = tail.lock().expect("lock");
        assert_eq!(t.len(), TAIL_LINES);
        assert_eq!(t.back().map(String::as_str), Some("line 99"));
    }
}
