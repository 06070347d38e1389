//! One conversation with one kernel process: starting it and checking its hello, the request
//! loop, running the callbacks that arrive while a request is pending, and noticing when the
//! process dies.
//!
//! The protocol (`jsii/runtime/PROTOCOL.md`) is a single synchronous conversation with
//! re-entrant callbacks. A request writes one line and then reads until its answer; a callback
//! that arrives meanwhile is dispatched to the Rust object that implements the member, which may
//! itself make requests (the call stack is the state machine). No `RefCell` borrow is held
//! while a callback runs. Which kernel a thread uses is `session`'s business; object identity
//! is the object store's (`objects`), value encoding the wire codec's (`wire`).

use crate::api::{self, Callback, CompleteRequest, Hello, KernelMessage, Request, SyncComplete};
use crate::error::{Error, Result};
use crate::fast::snapshot::{self, FirstLoad};
use crate::locate::{self, Launch, Layout, SUPPORTED_RUNTIME};
use crate::objects;
use crate::process::KernelProcess;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// The oldest Node.js the kernel runs on (`@jsii/runtime`'s `engines`).
const MIN_NODE: &str = "14.17.0";

/// One live conversation with a kernel process.
pub(crate) struct Kernel {
    process: RefCell<Option<KernelProcess>>,
    /// Set when the process died; later calls fail with the same explanation.
    dead: RefCell<Option<(String, String)>>,
    layout: Layout,
    runtime_version: String,
    /// Loaded packages: name -> version.
    loaded: RefCell<HashMap<String, String>>,
    transcript: RefCell<Option<Vec<String>>>,
    /// When the kernel started (to find the package-cache entries it used).
    started: SystemTime,
}

/// A kernel whose node has started and whose hello line is still to be read.
pub(crate) struct Starting {
    started: SystemTime,
    layout: Layout,
    process: KernelProcess,
    /// The packages the program was to load first, as node was started for them.
    first: Vec<FirstLoad>,
}

impl Starting {
    /// Waits for the hello line and checks it: the kernel, ready for requests.
    pub(crate) fn finish(self) -> Result<Kernel> {
        let Starting {
            started,
            layout,
            mut process,
            first: _,
        } = self;
        let mut hello = process.receive();
        if matches!(hello, Ok(None) | Err(_)) && process.is_fast() {
            // The kernel did not come up with the speed-ups (a V8 flag this node rejects, a
            // snapshot it would not start from, a preload that failed): this once without any
            // of them, and a snapshot that was used never again. Should the kernel not start
            // plainly either, the speed-ups were not the cause.
            let blob = process.snapshot().map(Path::to_owned);
            let (status, stderr_tail) = process.post_mortem();
            let why = format!("{status}\n{stderr_tail}");
            if let Some(blob) = &blob {
                snapshot::refuse(blob, &why);
            }
            crate::fast::step_aside(
                "the kernel's speed-ups",
                &format!("node did not start with them ({status}); starting it plainly"),
            );
            process = KernelProcess::spawn(&layout, None)?;
            hello = process.receive();
            if let Some(blob) = &blob
                && !matches!(hello, Ok(Some(_)))
            {
                snapshot::unrefuse(blob);
            }
        }
        process.release_stderr();
        let hello_line = match hello {
            Ok(Some(line)) => line,
            Ok(None) | Err(_) => {
                let (status, stderr_tail) = process.post_mortem();
                if let Some(found) = node_version(&layout.node)
                    && !version_at_least(&found, MIN_NODE)
                {
                    return Err(Error::NodeTooOld {
                        found,
                        required: MIN_NODE,
                    });
                }
                return Err(Error::KernelExited {
                    during: "startup (waiting for the hello line)".into(),
                    status,
                    stderr_tail,
                });
            }
        };
        let hello: Hello = serde_json::from_str(&hello_line).map_err(|e| Error::Protocol {
            during: "startup".into(),
            detail: format!("expected {{\"hello\": ...}}, got {hello_line:?} ({e})"),
        })?;
        let version = hello.version().to_owned();
        if !locate::satisfies_caret(&version, SUPPORTED_RUNTIME) {
            let _ = process.shutdown(Duration::from_secs(1));
            return Err(Error::RuntimeVersion {
                found: version,
                required: SUPPORTED_RUNTIME,
            });
        }
        Ok(Kernel {
            process: RefCell::new(Some(process)),
            dead: RefCell::new(None),
            layout,
            runtime_version: version,
            loaded: RefCell::new(HashMap::new()),
            transcript: RefCell::new(None),
            started,
        })
    }

    /// Where node, the kernel and the packages were found.
    pub(crate) fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Whether node was started from a startup snapshot.
    pub(crate) fn uses_snapshot(&self) -> bool {
        self.process.snapshot().is_some()
    }

    /// Whether this kernel's node was started for a program whose first loads are `first`.
    pub(crate) fn started_for(&self, first: &[FirstLoad]) -> bool {
        self.first == first
    }

    /// Ends a kernel nobody used: asks node to exit once it has started, and waits for it
    /// ([`end_process`]).
    pub(crate) fn abandon(self) -> Result<()> {
        end_process(self.process)
    }
}

/// How long a kernel asked to exit gets before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(5);

/// Asks a kernel's node to exit and waits for it (at most [`EXIT_GRACE`], then kills it).
fn end_process(process: KernelProcess) -> Result<()> {
    process.shutdown(EXIT_GRACE).map_err(|source| Error::Io {
        during: "shutdown".into(),
        source,
    })
}

impl Kernel {
    /// Starts node, found by `layout`, for a program that loads `first` first, and checks its
    /// hello line.
    pub(crate) fn start(layout: Layout, first: Vec<FirstLoad>) -> Result<Kernel> {
        Kernel::spawn(layout, first)?.finish()
    }

    /// Starts node without waiting for it; [`Starting::finish`] reads its hello line. The
    /// packages the program loads first (`first`, possibly none) choose its startup snapshot.
    pub(crate) fn spawn(layout: Layout, first: Vec<FirstLoad>) -> Result<Starting> {
        let started = SystemTime::now();
        let process = KernelProcess::spawn(&layout, Some(&first))?;
        Ok(Starting {
            started,
            layout,
            process,
            first,
        })
    }

    /// The `@jsii/runtime` version from the hello line.
    pub(crate) fn runtime_version(&self) -> &str {
        &self.runtime_version
    }

    /// The node process id, while it runs.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.process.borrow().as_ref().map(KernelProcess::pid)
    }

    /// Whether the protocol runs on fd 3 rather than through the wrapper.
    pub(crate) fn is_direct(&self) -> bool {
        matches!(self.layout.launch, Launch::Direct { .. })
    }

    /// The `node_modules` the kernel's packages come from.
    pub(crate) fn node_modules(&self) -> &Path {
        &self.layout.node_modules
    }

    /// The version of package `name` loaded into this kernel, if any.
    pub(crate) fn loaded_version(&self, name: &str) -> Option<String> {
        self.loaded.borrow().get(name).cloned()
    }

    /// Records that `name@version` is loaded.
    pub(crate) fn mark_loaded(&self, name: &str, version: &str) {
        self.loaded
            .borrow_mut()
            .insert(name.to_owned(), version.to_owned());
    }

    /// Starts recording protocol lines (`> ` sent, `< ` received).
    pub(crate) fn start_transcript(&self) {
        *self.transcript.borrow_mut() = Some(Vec::new());
    }

    /// Stops recording and returns the lines.
    pub(crate) fn take_transcript(&self) -> Option<Vec<String>> {
        self.transcript.borrow_mut().take()
    }

    fn record(&self, direction: &str, line: &str) {
        if let Some(t) = self.transcript.borrow_mut().as_mut() {
            t.push(format!("{direction}{line}"));
        }
    }

    /// Ends the process: lets it finish its package index, asks it to exit and waits (at most
    /// 5 s, then kills it). Later requests fail with [`Error::ShutDown`].
    pub(crate) fn shutdown(&self) -> Result<()> {
        let process = self.process.borrow_mut().take();
        if let Some(p) = process {
            self.finish_package_index();
            end_process(p)?;
        }
        Ok(())
    }

    /// Lets the kernel finish the runtime index of the packages this session loaded, if a cache
    /// entry lacks one (see [`crate::cache`]); bounded by `JSII_RS_INDEX_WAIT_MS`.
    fn finish_package_index(&self) {
        if self.dead.borrow().is_some() || self.loaded.borrow().is_empty() {
            return;
        }
        let Some(root) = crate::cache::package_cache_root() else {
            return;
        };
        let packages: Vec<(String, String)> = self
            .loaded
            .borrow()
            .iter()
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect();
        let entries = crate::cache::entries_used_since(&root, &packages, self.started);
        crate::cache::wait_for_index(&entries, crate::cache::wait_limit());
    }

    fn send_line(&self, line: &str, during: &str) -> Result<()> {
        self.check_alive(during)?;
        self.record("> ", line);
        let result = match self.process.borrow_mut().as_mut() {
            Some(p) => p.send(line),
            None => return Err(Error::ShutDown),
        };
        result.map_err(|source| self.io_failure(during, source))
    }

    /// A broken or reset stream means the kernel died; other I/O errors are reported as such.
    fn io_failure(&self, during: &str, source: std::io::Error) -> Error {
        if matches!(
            source.kind(),
            std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
        ) {
            self.died(during)
        } else {
            Error::Io {
                during: during.to_owned(),
                source,
            }
        }
    }

    fn receive(&self, during: &str) -> Result<KernelMessage> {
        let line = match self.process.borrow_mut().as_mut() {
            Some(p) => p.receive(),
            None => return Err(Error::ShutDown),
        };
        let line = match line {
            Ok(Some(line)) => line,
            Ok(None) => return Err(self.died(during)),
            Err(source) => return Err(self.io_failure(during, source)),
        };
        self.record("< ", &line);
        let value: Value = serde_json::from_str(&line).map_err(|e| Error::Protocol {
            during: during.to_owned(),
            detail: format!("not JSON ({e}): {line:.200}"),
        })?;
        KernelMessage::from_value(value).map_err(|detail| Error::Protocol {
            during: during.to_owned(),
            detail,
        })
    }

    fn check_alive(&self, during: &str) -> Result<()> {
        match &*self.dead.borrow() {
            Some((status, tail)) => Err(Error::KernelExited {
                during: during.to_owned(),
                status: format!("earlier: {status}"),
                stderr_tail: tail.clone(),
            }),
            None => Ok(()),
        }
    }

    fn died(&self, during: &str) -> Error {
        let (status, tail) = match self.process.borrow_mut().as_mut() {
            Some(p) => p.post_mortem(),
            None => ("shut down".to_owned(), String::new()),
        };
        *self.dead.borrow_mut() = Some((status.clone(), tail.clone()));
        Error::KernelExited {
            during: during.to_owned(),
            status,
            stderr_tail: tail,
        }
    }

    /// Sends `request` and reads until its answer, running the callbacks that arrive first.
    pub(crate) fn request<R: Request>(&self, request: &R) -> Result<R::Response> {
        let during = request.describe();
        let line = api::encode(request).map_err(|e| Error::Protocol {
            during: during.clone(),
            detail: format!("could not encode the request: {e}"),
        })?;
        self.send_line(&line, &during)?;
        loop {
            match self.receive(&during)? {
                KernelMessage::Ok(payload) => {
                    return serde_json::from_value(payload).map_err(|e| Error::Protocol {
                        during,
                        detail: format!("unexpected answer shape: {e}"),
                    });
                }
                KernelMessage::Error(e) => {
                    return Err(Error::from_kernel(e.name, e.error, e.stack));
                }
                KernelMessage::Callback(cb) => {
                    let complete = SyncComplete {
                        complete: run_callback(*cb),
                    };
                    let line = serde_json::to_string(&complete).map_err(|e| Error::Protocol {
                        during: during.clone(),
                        detail: format!("could not encode a completion: {e}"),
                    })?;
                    self.send_line(&line, &during)?;
                }
            }
        }
    }

    /// Answers one queued callback of an async call (`complete` request form).
    pub(crate) fn complete_async(&self, cb: Callback) -> CompleteRequest {
        run_callback(cb)
    }
}

impl Drop for Kernel {
    fn drop(&mut self) {
        // After `shutdown()` the process is gone and so is the wait; only a kernel still
        // running waits for its index here.
        if let Some(p) = self.process.get_mut().take() {
            self.finish_package_index();
            let _ = end_process(p);
        }
    }
}

/// Runs one callback and turns its outcome (including a panic) into a completion.
fn run_callback(cb: Callback) -> CompleteRequest {
    let cbid = cb.cbid.clone();
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| dispatch(cb)));
    match outcome {
        Ok(Ok(value)) => CompleteRequest::ok(cbid, Some(value).filter(|v| !v.is_null())),
        Ok(Err(e)) => CompleteRequest::failed(cbid, e.callback_message()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a non-string panic payload".to_owned());
            CompleteRequest::failed(cbid, format!("Rust callback panicked: {message}"))
        }
    }
}

/// Finds the Rust object a callback targets (through the object store) and runs the member.
fn dispatch(cb: Callback) -> Result<Value> {
    let Some((target, member)) = cb.target() else {
        return Err(Error::Protocol {
            during: format!("callback {}", cb.cbid),
            detail: "a callback with none of invoke/get/set".into(),
        });
    };
    let this = objects::callback_target(target.clone());
    let member = member.to_owned();
    let host = this.host_object().ok_or_else(|| Error::NoSuchCallback {
        objref: this.id().to_owned(),
        member: member.clone(),
    })?;
    if let Some(i) = cb.invoke {
        host.invoke(&this, &member, i.args)
    } else if cb.get.is_some() {
        host.get(&this, &member)
    } else if let Some(s) = cb.set {
        host.set(&this, &member, s.value).map(|()| Value::Null)
    } else {
        unreachable!("target() found one of invoke/get/set")
    }
}

fn node_version(node: &str) -> Option<String> {
    let out = std::process::Command::new(node)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    Some(text.trim_start_matches('v').to_owned()).filter(|t| !t.is_empty())
}

fn version_at_least(found: &str, min: &str) -> bool {
    let parse = |v: &str| -> Vec<u64> {
        v.split('.')
            .map(|p| {
                p.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    parse(found) >= parse(min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_versions_compare_numerically() {
        assert!(version_at_least("20.20.2", MIN_NODE));
        assert!(version_at_least("14.17.0", MIN_NODE));
        assert!(!version_at_least("14.9.0", MIN_NODE));
        assert!(!version_at_least("8.0.0", MIN_NODE));
    }
}
