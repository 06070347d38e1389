//! The thread's kernel: started on first use, ended by [`shutdown`] (or when the thread ends).
//!
//! The protocol is one conversation per process, so each thread that uses jsii gets its own
//! kernel, kept in a thread-local; every handle is `!Send`. Shutting the kernel down also
//! empties the thread's object store and type registry, whose ids and types belonged to it.

use crate::api::Request;
use crate::error::{Error, Result};
use crate::fast::snapshot::FirstLoad;
use crate::kernel::{Kernel, Starting};
use crate::locate::Layout;
use crate::packages::{self, Package};
use crate::{objects, types};
use std::cell::RefCell;
use std::rc::Rc;

enum Slot {
    NotStarted,
    /// Node was started by [`prestart`]; the first use waits for its hello line.
    Starting(Box<Starting>),
    Running(Rc<Kernel>),
    ShutDown,
}

thread_local! {
    static SLOT: RefCell<Slot> = const { RefCell::new(Slot::NotStarted) };
}

/// The thread's kernel, started on first use (by a request that loads no package first).
pub(crate) fn current() -> Result<Rc<Kernel>> {
    current_for(None)
}

/// The thread's kernel, started on first use; `first` is the package the request that
/// starts it loads first, which chooses the kernel's startup snapshot.
pub(crate) fn current_for(first: Option<&'static Package>) -> Result<Rc<Kernel>> {
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        match &*slot {
            Slot::Running(k) => Ok(k.clone()),
            Slot::ShutDown => Err(Error::ShutDown),
            Slot::NotStarted | Slot::Starting(_) => {
                let k = match std::mem::replace(&mut *slot, Slot::NotStarted) {
                    Slot::Starting(starting) => {
                        let first = loads(&starting.layout().node_modules, first);
                        if starting.started_for(&first) || !starting.uses_snapshot() {
                            starting.finish()
                        } else {
                            // Started from the snapshot of other packages: never used.
                            let layout = starting.layout().clone();
                            let _ = starting.abandon();
                            Kernel::start(layout, first)
                        }
                    }
                    _ => Layout::discover().and_then(|layout| {
                        let first = loads(&layout.node_modules, first);
                        Kernel::start(layout, first)
                    }),
                };
                let k = Rc::new(k?);
                *slot = Slot::Running(k.clone());
                Ok(k)
            }
        }
    })
}

/// The packages loading `first` loads.
fn loads(node_modules: &std::path::Path, first: Option<&'static Package>) -> Vec<FirstLoad> {
    first.map_or_else(Vec::new, |p| packages::first_loads(node_modules, p))
}

/// Starts this thread's kernel's node now, without waiting for it, so that what the program
/// does next runs while node starts (0.1-0.3 s for an aws-cdk-lib app). `first` is the
/// package the program's first jsii call uses (for a CDK app, aws-cdk-lib's): node starts
/// from the startup snapshot of that package. The first use of the kernel then waits for it
/// to be ready (or, when that use loads another package and node started from a snapshot,
/// ends it and starts another); [`shutdown`] ends it, used or not. A no-op when this thread's
/// kernel was started (or shut down) already.
///
/// Nothing is reported here: when node cannot be started, the slot stays empty and the first
/// use starts the kernel as usual, reporting what went wrong.
pub fn prestart(first: &'static Package) {
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        if matches!(&*slot, Slot::NotStarted)
            && let Ok(starting) = Layout::discover().and_then(|layout| {
                let first = loads(&layout.node_modules, Some(first));
                Kernel::spawn(layout, first)
            })
        {
            *slot = Slot::Starting(Box::new(starting));
        }
    });
}

/// The thread's kernel if it is running, without starting one.
fn running() -> Option<Rc<Kernel>> {
    SLOT.with(|slot| match &*slot.borrow() {
        Slot::Running(k) => Some(k.clone()),
        _ => None,
    })
}

/// Whether this thread has started a kernel that has not been shut down.
#[cfg(test)]
pub(crate) fn is_running() -> bool {
    running().is_some()
}

/// Ends this thread's kernel: asks it to exit and waits (at most 5 s, then kills it). Handles
/// obtained before are dead afterwards; further calls on this thread fail with
/// [`Error::ShutDown`]. Calling it when no kernel runs is a no-op.
pub fn shutdown() -> Result<()> {
    let taken = SLOT.with(|slot| std::mem::replace(&mut *slot.borrow_mut(), Slot::ShutDown));
    match taken {
        Slot::Running(k) => {
            objects::clear();
            types::clear();
            k.shutdown()
        }
        Slot::Starting(starting) => starting.abandon(),
        Slot::NotStarted | Slot::ShutDown => Ok(()),
    }
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
    Ok(KernelInfo {
        runtime_version: k.runtime_version().to_owned(),
        pid: k.pid(),
        direct: k.is_direct(),
        node_modules: k.node_modules().to_owned(),
    })
}

/// Starts recording this thread's protocol lines (`> ` sent, `< ` received).
pub fn start_transcript() -> Result<()> {
    current()?.start_transcript();
    Ok(())
}

/// Stops recording and returns the lines recorded since [`start_transcript`].
pub fn take_transcript() -> Vec<String> {
    running()
        .and_then(|k| k.take_transcript())
        .unwrap_or_default()
}

/// Sends one request on this thread's kernel and returns its answer, running callbacks.
pub fn request<R: Request>(request: &R) -> Result<R::Response> {
    current()?.request(request)
}

/// Loads `package` and its dependencies (once per thread).
pub fn load(package: &'static Package) -> Result<()> {
    packages::ensure_loaded(&*current_for(Some(package))?, package)
}
