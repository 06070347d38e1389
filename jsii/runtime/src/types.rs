//! The type registry: the class and interface hierarchy of the packages this thread's kernel
//! has loaded, for checked downcasts. Each generated crate carries its package's graph
//! (`Package::type_graph`); loading the package registers it here.
//!
//! Like the object store it is thread-local data, never a reason to talk to a kernel: before the
//! first load (and after shutdown) it knows no types, and a check falls back to the object's own
//! class and reported interfaces.

use crate::objects::ObjRef;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// A type's direct supertypes: its base class (if any) and the interfaces it declares.
type TypeEdges = (Option<String>, Vec<String>);

thread_local! {
    /// fqn -> direct supertypes.
    static GRAPH: RefCell<HashMap<String, TypeEdges>> = RefCell::new(HashMap::new());
}

/// Adds a package's graph: one type per line, `<fqn> <base fqn or -> <interface,interface>`.
pub(crate) fn register(type_graph: &str) {
    GRAPH.with(|graph| {
        let mut graph = graph.borrow_mut();
        for line in type_graph.lines() {
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
    });
}

/// Whether `obj`'s runtime type is `fqn` or derives from it.
pub(crate) fn is_instance_of(obj: &ObjRef, fqn: &str) -> bool {
    if obj.class_fqn() == fqn || obj.interfaces().iter().any(|i| i == fqn) {
        return true;
    }
    GRAPH.with(|graph| {
        let graph = graph.borrow();
        if graph.is_empty() {
            return false;
        }
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
    })
}

/// Forgets every registered type (the kernel that loaded them is gone).
pub(crate) fn clear() {
    GRAPH.with(|graph| graph.borrow_mut().clear());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::intern;
    use crate::wire::ObjRefWire;

    #[test]
    fn walks_bases_and_interfaces_of_registered_types() {
        let table = intern(ObjRefWire {
            id: "lib.Table@10001".into(),
            interfaces: vec!["lib.IExtra".into()],
        });
        assert!(is_instance_of(&table, "lib.Table"));
        assert!(is_instance_of(&table, "lib.IExtra"));
        assert!(
            !is_instance_of(&table, "lib.Resource"),
            "nothing registered"
        );
        register(
            "lib.Table lib.TableBase\nlib.TableBase lib.Resource lib.ITable,lib.IGrantable\nlib.Resource - lib.IResource\nmalformed\n\n",
        );
        assert!(is_instance_of(&table, "lib.Resource"));
        assert!(is_instance_of(&table, "lib.IGrantable"));
        assert!(is_instance_of(&table, "lib.IResource"));
        assert!(!is_instance_of(&table, "lib.Bucket"));
        clear();
        assert!(!is_instance_of(&table, "lib.Resource"));
    }
}
