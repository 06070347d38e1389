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
type TypeEdges = (Option<&'static str>, Vec<&'static str>);

/// The graphs of the loaded packages. Registering only keeps the text: aws-cdk-lib's graph has
/// 23,000 lines, and a program that never makes a checked downcast should not parse it (that
/// took about 15 ms of every synth in a dev build). The first check parses what is pending.
#[derive(Default)]
struct Graphs {
    /// Graph texts registered since the last check.
    pending: Vec<&'static str>,
    /// fqn -> direct supertypes, for the graphs parsed so far.
    edges: HashMap<&'static str, TypeEdges>,
}

impl Graphs {
    /// Every registered type's edges, parsing the pending graphs first.
    fn edges(&mut self) -> &HashMap<&'static str, TypeEdges> {
        for text in self.pending.drain(..) {
            for line in text.lines() {
                let mut parts = line.split(' ');
                let (Some(fqn), base, ifaces) = (parts.next(), parts.next(), parts.next()) else {
                    continue;
                };
                let base = base.filter(|b| !b.is_empty() && *b != "-");
                let ifaces = ifaces
                    .map(|i| i.split(',').filter(|s| !s.is_empty()).collect())
                    .unwrap_or_default();
                self.edges.insert(fqn, (base, ifaces));
            }
        }
        &self.edges
    }
}

thread_local! {
    static GRAPHS: RefCell<Graphs> = RefCell::new(Graphs::default());
}

/// Adds a package's graph: one type per line, `<fqn> <base fqn or -> <interface,interface>`.
pub(crate) fn register(type_graph: &'static str) {
    GRAPHS.with(|graphs| graphs.borrow_mut().pending.push(type_graph));
}

/// Whether `obj`'s runtime type is `fqn` or derives from it.
pub(crate) fn is_instance_of(obj: &ObjRef, fqn: &str) -> bool {
    let interfaces = obj.interfaces();
    if obj.class_fqn() == fqn || interfaces.iter().any(|i| i == fqn) {
        return true;
    }
    GRAPHS.with(|graphs| {
        let mut graphs = graphs.borrow_mut();
        let graph = graphs.edges();
        if graph.is_empty() {
            return false;
        }
        let mut todo: Vec<&str> = vec![obj.class_fqn()];
        todo.extend(interfaces.iter().map(String::as_str));
        let mut seen = HashSet::new();
        while let Some(t) = todo.pop() {
            if t == fqn {
                return true;
            }
            if !seen.insert(t) {
                continue;
            }
            if let Some((base, ifaces)) = graph.get(t) {
                todo.extend(base.iter().copied());
                todo.extend(ifaces.iter().copied());
            }
        }
        false
    })
}

/// Forgets every registered type (the kernel that loaded them is gone).
pub(crate) fn clear() {
    GRAPHS.with(|graphs| *graphs.borrow_mut() = Graphs::default());
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
        // A package loaded after a check: its graph is parsed at the next one.
        assert!(!is_instance_of(&table, "lib.IPrincipal"));
        register("lib.IGrantable - lib.IPrincipal\n");
        assert!(is_instance_of(&table, "lib.IPrincipal"));
        clear();
        assert!(!is_instance_of(&table, "lib.Resource"));
    }
}
