//! The kernel client: one conversation with one kernel process per thread.
//!
//! The protocol is a single synchronous conversation with re-entrant callbacks, so the client
//! lives in a thread-local and every handle is `!Send`. A request writes one line and then reads
//! until its answer; a callback that arrives meanwhile is dispatched to the Rust object that
//! implements the member, which may itself make requests (the call stack is the state machine).
//! No `RefCell` borrow is held while a callback runs.

use crate::api::complete::RUNTIME_ERROR;
use crate::api::{
    self, Callback, CompleteRequest, CreateRequest, ErrorResponse, Hello, KernelMessage,
    LoadRequest, ObjRefWire, Override, Request, SyncComplete,
};
use crate::error::{Error, Result};
use crate::locate::{self, Layout, SUPPORTED_RUNTIME};
use crate::process::KernelProcess;
use crate::value::{HostBinding, ObjRef};
use crate::{HostObject, Package};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::time::Duration;

const FAULT: &str = "@jsii/kernel.Fault";
const SERIALIZATION_ERROR: &str = "@jsii/kernel.SerializationError";

/// The oldest Node.js the kernel runs on (`@jsii/runtime`'s `engines`).
const MIN_NODE: &str = "14.17.0";

/// One live conversation with a kernel process.
pub(crate) struct Kernel {
    process: RefCell<Option<KernelProcess>>,
    /// Set when the process died; later calls fail with the same explanation.
    dead: RefCell<Option<(String, String)>>,
    layout: Layout,
    runtime_version: String,
    /// id -> handle, so the same JS object always maps to the same handle.
    objects: RefCell<HashMap<String, ObjRef>>,
    /// Loaded packages: name -> version.
    loaded: RefCell<HashMap<String, String>>,
    /// Type graphs of loaded packages, for checked downcasts: fqn -> (base, interfaces).
    graph: RefCell<HashMap<String, TypeEdges>>,
    transcript: RefCell<Option<Vec<String>>>,
    /// When the kernel started (to find the package-cache entries it used).
    started: std::time::SystemTime,
    /// Host objects being created: callbacks that arrive during their constructor bind to them.
    pending_hosts: RefCell<Vec<HostBinding>>,
}

/// A type's direct supertypes: its base class (if any) and the interfaces it declares.
type TypeEdges = (Option<String>, Vec<String>);

enum Slot {
    NotStarted,
    Running(Rc<Kernel>),
    ShutDown,
}

thread_local! {
    static SLOT: RefCell<Slot> = const { RefCell::new(Slot::NotStarted) };
}

/// The thread's kernel, started on first use.
pub(crate) fn current() -> Result<Rc<Kernel>> {
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        match &*slot {
            Slot::Running(k) => Ok(k.clone()),
            Slot::ShutDown => Err(Error::ShutDown),
            Slot::NotStarted => {
                let k = Rc::new(Kernel::start()?);
                *slot = Slot::Running(k.clone());
                Ok(k)
            }
        }
    })
}

/// The thread's kernel if it is running, without starting one.
fn running() -> Option<Rc<Kernel>> {
    SLOT.with(|slot| match &*slot.borrow() {
        Slot::Running(k) => Some(k.clone()),
        _ => None,
    })
}

/// Ends this thread's kernel: asks it to exit and waits (at most 5 s, then kills it). Handles
/// obtained before are dead afterwards; further calls on this thread fail with
/// [`Error::ShutDown`]. Calling it when no kernel runs is a no-op.
pub fn shutdown() -> Result<()> {
    let taken = SLOT.with(|slot| std::mem::replace(&mut *slot.borrow_mut(), Slot::ShutDown));
    if let Slot::Running(k) = taken {
        let process = k.process.borrow_mut().take();
        k.objects.borrow_mut().clear();
        if let Some(p) = process {
            k.finish_package_index();
            p.shutdown(Duration::from_secs(5))
                .map_err(|source| Error::Io {
                    during: "shutdown".into(),
                    source,
                })?;
        }
    }
    Ok(())
}

/// Facts about this thread's kernel, for diagnostics and benchmarks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelInfo {
    /// The `@jsii/runtime` version from the hello line.
    pub runtime_version: String,
    /// The node process id.
    pub pid: Option<u32>,
    /// Whether the protocol runs on fd 3 (`true`) or through the wrapper.
    pub direct: bool,
    /// The `node_modules` directory in use.
    pub node_modules: std::path::PathBuf,
}

/// Starts this thread's kernel if needed and describes it.
pub fn info() -> Result<KernelInfo> {
    let k = current()?;
    let pid = k.process.borrow().as_ref().map(KernelProcess::pid);
    Ok(KernelInfo {
        runtime_version: k.runtime_version.clone(),
        pid,
        direct: matches!(k.layout.launch, locate::Launch::Direct { .. }),
        node_modules: k.layout.node_modules.clone(),
    })
}

/// Starts recording this thread's protocol lines (`> ` sent, `< ` received).
pub fn start_transcript() -> Result<()> {
    *current()?.transcript.borrow_mut() = Some(Vec::new());
    Ok(())
}

/// Stops recording and returns the lines recorded since [`start_transcript`].
pub fn take_transcript() -> Vec<String> {
    running()
        .and_then(|k| k.transcript.borrow_mut().take())
        .unwrap_or_default()
}

/// Sends one request on this thread's kernel and returns its answer, running callbacks.
pub fn request<R: Request>(request: &R) -> Result<R::Response> {
    current()?.request(request)
}

/// Interns an object reference: the same id always gives the same handle.
pub(crate) fn intern(wire: ObjRefWire) -> Result<ObjRef> {
    Ok(current()?.intern(wire))
}

/// Loads `package` and its dependencies (once per thread).
pub fn load(package: &'static Package) -> Result<()> {
    current()?.ensure_loaded(package)
}

/// Whether `obj`'s runtime type is `fqn` or derives from it.
pub(crate) fn is_instance_of(obj: &ObjRef, fqn: &str) -> bool {
    if obj.class_fqn() == fqn || obj.interfaces().iter().any(|i| i == fqn) {
        return true;
    }
    let Some(k) = running() else { return false };
    let graph = k.graph.borrow();
    let mut todo: Vec<String> = vec![obj.class_fqn().to_owned()];
    todo.extend(obj.interfaces());
    let mut seen = HashSet::new();
    while let Some(t) = todo.pop() {
        if t == fqn {
            return true;
        }
        if !seen.insert(t.clone()) {
            continue;
        }
        if let Some((base, ifaces)) = graph.get(&t) {
            todo.extend(base.iter().cloned());
            todo.extend(ifaces.iter().cloned());
        }
    }
    false
}

/// Creates an object whose listed members run in Rust: a class with overrides, or `Object`
/// implementing interfaces. `host` receives the callbacks; Rust calls to those members on the
/// returned handle are dispatched to `host` directly.
pub fn create_host(
    package: &'static Package,
    fqn: &str,
    args: impl Into<Vec<Value>>,
    interfaces: &[&str],
    overrides: Vec<Override>,
    host: Rc<dyn HostObject>,
) -> Result<ObjRef> {
    let k = current()?;
    k.ensure_loaded(package)?;
    let members: HashSet<String> = overrides.iter().map(|o| o.member().to_owned()).collect();
    let request = CreateRequest {
        fqn: fqn.to_owned(),
        args: args.into(),
        interfaces: interfaces.iter().map(|s| (*s).to_owned()).collect(),
        overrides: overrides
            .into_iter()
            .map(|o| match o {
                Override::Method { method, cookie } => Override::Method {
                    cookie: cookie.or_else(|| Some(method.clone())),
                    method,
                },
                Override::Property { property, cookie } => Override::Property {
                    cookie: cookie.or_else(|| Some(property.clone())),
                    property,
                },
            })
            .collect(),
    };
    let binding = HostBinding {
        object: host,
        members,
    };
    k.pending_hosts.borrow_mut().push(binding.clone());
    let created = k.request(&request);
    k.pending_hosts.borrow_mut().pop();
    let obj = k.intern(created?);
    if obj.host_object().is_none() {
        *obj.0.host.borrow_mut() = Some(binding);
    }
    Ok(obj)
}

impl Kernel {
    fn start() -> Result<Kernel> {
        let started = std::time::SystemTime::now();
        let layout = Layout::discover()?;
        let mut process = KernelProcess::spawn(&layout)?;
        let hello_line = match process.receive() {
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
            objects: RefCell::new(HashMap::new()),
            loaded: RefCell::new(HashMap::new()),
            graph: RefCell::new(HashMap::new()),
            transcript: RefCell::new(None),
            pending_hosts: RefCell::new(Vec::new()),
            started,
        })
    }

    fn record(&self, direction: &str, line: &str) {
        if let Some(t) = self.transcript.borrow_mut().as_mut() {
            t.push(format!("{direction}{line}"));
        }
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
                KernelMessage::Error(e) => return Err(js_error(e)),
                KernelMessage::Callback(cb) => {
                    let complete = SyncComplete {
                        complete: self.run_callback(*cb),
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
        self.run_callback(cb)
    }

    /// Runs one callback and turns its outcome (including a panic) into a completion.
    fn run_callback(&self, cb: Callback) -> CompleteRequest {
        let cbid = cb.cbid.clone();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| self.dispatch(cb)));
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

    fn dispatch(&self, cb: Callback) -> Result<Value> {
        let Some((target, member)) = cb.target() else {
            return Err(Error::Protocol {
                during: format!("callback {}", cb.cbid),
                detail: "a callback with none of invoke/get/set".into(),
            });
        };
        let this = self.intern(target.clone());
        let member = member.to_owned();
        if this.host_object().is_none() {
            // A callback from inside the constructor of an object we are still creating.
            let pending = self.pending_hosts.borrow().last().cloned();
            if pending.is_some() {
                *this.0.host.borrow_mut() = pending;
            }
        }
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

    pub(crate) fn intern(&self, wire: ObjRefWire) -> ObjRef {
        let mut objects = self.objects.borrow_mut();
        if let Some(existing) = objects.get(&wire.id) {
            if !wire.interfaces.is_empty() {
                existing.merge_interfaces(wire.interfaces);
            }
            return existing.clone();
        }
        let obj = ObjRef::new(wire);
        objects.insert(obj.id().to_owned(), obj.clone());
        obj
    }

    fn ensure_loaded(&self, package: &'static Package) -> Result<()> {
        self.load_from(package, None)
    }

    fn load_from(&self, package: &'static Package, parent: Option<&std::path::Path>) -> Result<()> {
        if let Some(v) = self.loaded.borrow().get(package.name) {
            if v == package.version {
                return Ok(());
            }
            return Err(Error::Fault {
                message: format!(
                    "{}@{} is already loaded, so {}@{} cannot be: two bindings crates disagree \
                     on the version; regenerate them together with bin/regen",
                    package.name, v, package.name, package.version
                ),
                stack: None,
            });
        }
        let nm = &self.layout.node_modules;
        let dir = locate::find_package(nm, package.name, parent).map_err(|_| {
            Error::PackageNotInstalled {
                name: package.name.to_owned(),
                version: package.version.to_owned(),
                searched: nm.display().to_string(),
            }
        })?;
        for dep in package.dependencies {
            self.load_from(dep, Some(&dir))?;
        }
        let installed = locate::package_version(&dir).unwrap_or_default();
        if installed != package.version {
            return Err(Error::PackageVersionMismatch {
                name: package.name.to_owned(),
                expected: package.version.to_owned(),
                installed,
                dir,
            });
        }
        let tarball = crate::tarball::tarball_for(nm, package.name, package.version, &dir)?;
        self.request(&LoadRequest {
            name: package.name.to_owned(),
            version: package.version.to_owned(),
            tarball: tarball.display().to_string(),
        })?;
        self.loaded
            .borrow_mut()
            .insert(package.name.to_owned(), package.version.to_owned());
        let mut graph = self.graph.borrow_mut();
        for line in package.type_graph.lines() {
            let mut parts = line.split(' ');
            let (Some(fqn), base, ifaces) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            let base = base
                .filter(|b| !b.is_empty() && *b != "-")
                .map(str::to_owned);
            let ifaces = ifaces
                .map(|i| {
                    i.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            graph.insert(fqn.to_owned(), (base, ifaces));
        }
        Ok(())
    }
}

impl Drop for Kernel {
    fn drop(&mut self) {
        // After `shutdown()` the process is gone and so is the wait; only a kernel still
        // running waits for its index here.
        if let Some(p) = self.process.get_mut().take() {
            self.finish_package_index();
            let _ = p.shutdown(Duration::from_secs(5));
        }
    }
}

/// Maps the kernel's error envelope to the crate error, following the other hosts: a Fault is a
/// host/protocol mistake, a SerializationError a type mismatch, anything else came from JS.
fn js_error(mut e: ErrorResponse) -> Error {
    // Calls run under `ensureSync`, which wraps kernel errors in a RuntimeError whose message
    // starts with the inner error's name; unwrap those two so they map like their bare forms.
    if e.name.as_deref() == Some(RUNTIME_ERROR) {
        for inner in [FAULT, SERIALIZATION_ERROR] {
            if let Some(rest) = e
                .error
                .strip_prefix(inner)
                .and_then(|r| r.strip_prefix(": "))
            {
                e.error = rest.to_owned();
                e.name = Some(inner.to_owned());
                break;
            }
        }
    }
    match e.name.as_deref() {
        Some(FAULT) => Error::Fault {
            message: e.error,
            stack: e.stack,
        },
        Some(SERIALIZATION_ERROR) => Error::Serialization {
            message: e.error,
            stack: e.stack,
        },
        name => Error::Js {
            name: name.unwrap_or("Error").to_owned(),
            message: e.error,
            stack: e.stack,
        },
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
    fn error_names_map_to_variants() {
        let e = |name: Option<&str>| ErrorResponse {
            error: "msg".into(),
            name: name.map(str::to_owned),
            stack: None,
        };
        assert!(matches!(
            js_error(e(Some("@jsii/kernel.Fault"))),
            Error::Fault { .. }
        ));
        assert!(matches!(
            js_error(e(Some("@jsii/kernel.SerializationError"))),
            Error::Serialization { .. }
        ));
        assert!(matches!(
            js_error(e(Some("PartitionKeyRequired"))),
            Error::Js { name, .. } if name == "PartitionKeyRequired"
        ));
        assert!(matches!(js_error(e(None)), Error::Js { name, .. } if name == "Error"));
        let wrapped = ErrorResponse {
            error: "@jsii/kernel.SerializationError: Passed to parameter amount".into(),
            name: Some(RUNTIME_ERROR.into()),
            stack: None,
        };
        assert!(matches!(
            js_error(wrapped),
            Error::Serialization { message, .. } if message == "Passed to parameter amount"
        ));
    }

    #[test]
    fn node_versions_compare_numerically() {
        assert!(version_at_least("20.20.2", MIN_NODE));
        assert!(version_at_least("14.17.0", MIN_NODE));
        assert!(!version_at_least("14.9.0", MIN_NODE));
        assert!(!version_at_least("8.0.0", MIN_NODE));
    }
}
