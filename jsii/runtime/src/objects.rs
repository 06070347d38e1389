//! The object store: the host's side of object identity. Each kernel object id maps to one
//! [`ObjRef`] per thread, so the same JavaScript object always comes back as the same handle;
//! objects whose members run in Rust carry their [`HostObject`] here, and the kernel's
//! callbacks find it through the store.
//!
//! The store is plain thread-local data: interning a reference never talks to a kernel (a
//! decoded value does not start node). The thread's kernel empties it when it shuts down.

use crate::error::{Error, Result};
use crate::wire::{self, ObjRefWire};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// A handle to a JavaScript object living in the kernel.
///
/// Handles are interned: the kernel always names the same JS object with the same id, and this
/// client maps each id to one handle, so the same object fetched twice gives equal (and
/// pointer-identical) handles. Handles are `!Send`: the kernel conversation belongs to the thread
/// that started it, and moving a handle to another thread is a compile error.
#[derive(Clone)]
pub struct ObjRef(Rc<ObjInner>);

struct ObjInner {
    id: String,
    interfaces: RefCell<Vec<String>>,
    /// Types the Rust side asserted with an unchecked cast that the kernel does not know the
    /// object has: sent with every reference to it, so the kernel resolves their members.
    asserted: RefCell<Vec<String>>,
    /// Members of this object implemented in Rust, dispatched locally when Rust calls them.
    host: RefCell<Option<HostBinding>>,
}

/// A Rust object the kernel calls back: an implementation of jsii interfaces, or a class whose
/// members are overridden. Generated bindings implement this for you (decoding arguments by
/// their declared types); implement it by hand only for dynamic cases.
pub trait HostObject: 'static {
    /// Runs method `method` with wire arguments; returns the wire result.
    fn invoke(&self, this: &ObjRef, method: &str, args: Vec<Value>) -> Result<Value> {
        let _ = args;
        Err(Error::NoSuchCallback {
            objref: this.id().to_owned(),
            member: method.to_owned(),
        })
    }

    /// Reads property `property`.
    fn get(&self, this: &ObjRef, property: &str) -> Result<Value> {
        Err(Error::NoSuchCallback {
            objref: this.id().to_owned(),
            member: property.to_owned(),
        })
    }

    /// Writes property `property`.
    fn set(&self, this: &ObjRef, property: &str, value: Value) -> Result<()> {
        let _ = value;
        Err(Error::NoSuchCallback {
            objref: this.id().to_owned(),
            member: property.to_owned(),
        })
    }
}

/// The Rust side of an object: who implements its overridden members, and which ones.
#[derive(Clone)]
pub(crate) struct HostBinding {
    pub(crate) object: Rc<dyn HostObject>,
    pub(crate) members: HashSet<String>,
}

impl ObjRef {
    fn new(wire: ObjRefWire) -> ObjRef {
        ObjRef(Rc::new(ObjInner {
            id: wire.id,
            interfaces: RefCell::new(wire.interfaces),
            asserted: RefCell::new(Vec::new()),
            host: RefCell::new(None),
        }))
    }

    /// The kernel's id, `<fqn>@<n>`.
    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// The FQN of the object's nearest exported class (`Object` for plain and host objects).
    pub fn class_fqn(&self) -> &str {
        wire::class_fqn(&self.0.id)
    }

    /// Interfaces the kernel reported beyond the class's own.
    pub fn interfaces(&self) -> Vec<String> {
        self.0.interfaces.borrow().clone()
    }

    /// The reference as it goes on the wire, with the types asserted by unchecked casts.
    pub fn to_wire_ref(&self) -> ObjRefWire {
        ObjRefWire {
            id: self.0.id.clone(),
            interfaces: self.0.asserted.borrow().clone(),
        }
    }

    /// Records that the object is a `fqn`, which the kernel did not report (an unchecked cast):
    /// later checks accept it, and references to the object carry it to the kernel.
    pub(crate) fn assert_type(&self, fqn: &str) {
        let mut asserted = self.0.asserted.borrow_mut();
        if !asserted.iter().any(|a| a == fqn) {
            asserted.push(fqn.to_owned());
        }
        drop(asserted);
        self.merge_interfaces(vec![fqn.to_owned()]);
    }

    fn merge_interfaces(&self, more: Vec<String>) {
        let mut mine = self.0.interfaces.borrow_mut();
        for i in more {
            if !mine.contains(&i) {
                mine.push(i);
            }
        }
    }

    /// The Rust implementation of `member`, if this object has one.
    pub(crate) fn host_for(&self, member: &str) -> Option<Rc<dyn HostObject>> {
        let host = self.0.host.borrow();
        host.as_ref()
            .filter(|h| h.members.contains(member))
            .map(|h| h.object.clone())
    }

    /// The Rust object behind this handle, if any.
    pub(crate) fn host_object(&self) -> Option<Rc<dyn HostObject>> {
        self.0.host.borrow().as_ref().map(|h| h.object.clone())
    }

    /// Binds `binding` unless the object already has a Rust side.
    fn bind_if_unbound(&self, binding: HostBinding) {
        let mut host = self.0.host.borrow_mut();
        if host.is_none() {
            *host = Some(binding);
        }
    }
}

impl PartialEq for ObjRef {
    fn eq(&self, other: &ObjRef) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0.id == other.0.id
    }
}
impl Eq for ObjRef {}
impl Hash for ObjRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.id.hash(state);
    }
}
impl fmt::Debug for ObjRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjRef({})", self.0.id)
    }
}
impl fmt::Display for ObjRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.id)
    }
}

#[derive(Default)]
struct Store {
    /// id -> handle, so the same JS object always maps to the same handle.
    objects: HashMap<String, ObjRef>,
    /// Host objects being created, innermost last: a callback that arrives during their
    /// constructor (the object has no handle yet) binds to the innermost one.
    pending: Vec<HostBinding>,
}

thread_local! {
    static STORE: RefCell<Store> = RefCell::new(Store::default());
}

/// The handle for `wire`: the existing one for a known id (with any newly reported interfaces
/// added), else a new one.
pub(crate) fn intern(wire: ObjRefWire) -> ObjRef {
    STORE.with(|store| {
        let mut store = store.borrow_mut();
        if let Some(existing) = store.objects.get(&wire.id) {
            if !wire.interfaces.is_empty() {
                existing.merge_interfaces(wire.interfaces);
            }
            return existing.clone();
        }
        let obj = ObjRef::new(wire);
        store.objects.insert(obj.id().to_owned(), obj.clone());
        obj
    })
}

/// The target of a callback: the interned handle, bound to the host object being created when
/// the callback comes from inside its constructor.
pub(crate) fn callback_target(wire: ObjRefWire) -> ObjRef {
    let this = intern(wire);
    if this.host_object().is_none()
        && let Some(pending) = STORE.with(|s| s.borrow().pending.last().cloned())
    {
        this.bind_if_unbound(pending);
    }
    this
}

/// Runs `create` (the kernel's `create` of a host object) with `binding` as the innermost
/// object being created, then binds the created object to it.
pub(crate) fn create_bound(
    binding: HostBinding,
    create: impl FnOnce() -> Result<ObjRefWire>,
) -> Result<ObjRef> {
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            STORE.with(|s| s.borrow_mut().pending.pop());
        }
    }
    STORE.with(|s| s.borrow_mut().pending.push(binding.clone()));
    let created = {
        let _pop = Pop;
        create()
    };
    let obj = intern(created?);
    obj.bind_if_unbound(binding);
    Ok(obj)
}

/// Forgets every handle (the kernel that named them is gone). Handles held elsewhere stay valid
/// Rust values; calls on them fail with the kernel's error.
pub(crate) fn clear() {
    // Take the map out first: dropping host objects runs user code, which must not find the
    // store borrowed.
    let old = STORE.with(|s| std::mem::take(&mut *s.borrow_mut()));
    drop(old);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(id: &str, interfaces: &[&str]) -> ObjRefWire {
        ObjRefWire {
            id: id.to_owned(),
            interfaces: interfaces.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    struct Nothing;
    impl HostObject for Nothing {}

    fn binding(members: &[&str]) -> HostBinding {
        HostBinding {
            object: Rc::new(Nothing),
            members: members.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn asserted_types_go_on_the_wire_and_reported_ones_do_not() {
        let obj = intern(wire("Object@10007", &["lib.IKnown"]));
        assert!(obj.to_wire_ref().interfaces.is_empty());
        obj.assert_type("lib.IAsserted");
        obj.assert_type("lib.IAsserted");
        assert_eq!(obj.to_wire_ref().interfaces, ["lib.IAsserted"]);
        assert_eq!(obj.interfaces(), ["lib.IKnown", "lib.IAsserted"]);
        clear();
    }

    #[test]
    fn the_same_id_gives_the_same_handle() {
        let a = intern(wire("lib.Thing@10001", &[]));
        let b = intern(wire("lib.Thing@10001", &["lib.IExtra"]));
        assert!(Rc::ptr_eq(&a.0, &b.0));
        assert_eq!(a.interfaces(), ["lib.IExtra"]);
        assert_eq!(a.class_fqn(), "lib.Thing");
        assert_ne!(a, intern(wire("lib.Thing@10002", &[])));
        clear();
        let c = intern(wire("lib.Thing@10001", &[]));
        assert!(!Rc::ptr_eq(&a.0, &c.0), "a cleared store forgets handles");
        assert_eq!(a, c, "handles still compare by id");
    }

    #[test]
    fn host_objects_bind_during_and_after_create() {
        let during = std::cell::Cell::new(None);
        let created = create_bound(binding(&["visit"]), || {
            // A callback from inside the constructor: the object is new to the store.
            let this = callback_target(wire("Object@10007", &[]));
            during.set(Some(this.host_for("visit").is_some()));
            Ok(wire("Object@10007", &[]))
        })
        .expect("created");
        assert_eq!(during.get(), Some(true));
        assert!(created.host_for("visit").is_some());
        assert!(created.host_for("other").is_none());
        // Outside a create, a callback target gets no binding.
        let stranger = callback_target(wire("Object@10008", &[]));
        assert!(stranger.host_object().is_none());
        // A failed create leaves nothing pending.
        assert!(create_bound(binding(&[]), || Err(Error::ShutDown)).is_err());
        assert!(
            callback_target(wire("Object@10009", &[]))
                .host_object()
                .is_none()
        );
    }
}
