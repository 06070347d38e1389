//! Cycle detection: which struct fields must be boxed for recursive structs to have a finite
//! size. It runs on a crate's built modules and must change nothing but `Field::boxed`.

use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// Marks the struct fields that must be boxed: those whose type leads back to their own
/// struct through structs and unions held inline (`Statement` -> `NotStatement` -> `Statement`
/// in aws_wafv2). Without a `Box` such a struct has infinite size. `Vec` and `BTreeMap`
/// already keep their elements on the heap, so only inline containment counts.
pub(super) fn box_recursive_fields(
    modules: &mut BTreeMap<Vec<String>, ModuleModel>,
    unions: &[UnionModel],
    lib: &str,
) {
    fn inline(ty: &Ty) -> Option<&ItemPath> {
        match ty {
            Ty::Struct(p) | Ty::Union(p) => Some(p),
            // `IResolvableOr<T>` holds its `T` inline.
            Ty::OrInterface { value, .. } => inline(value),
            _ => None,
        }
    }
    let path = |module: &[String], name: &str| ItemPath {
        krate: lib.to_owned(),
        module: module.to_vec(),
        name: name.to_owned(),
    };
    let mut edges: BTreeMap<ItemPath, Vec<ItemPath>> = BTreeMap::new();
    for m in modules.values() {
        for item in &m.items {
            if let Item::Struct(s) = item {
                let out = s.fields.iter().filter_map(|f| inline(&f.ty)).cloned();
                edges.insert(path(&m.path, &s.name), out.collect());
            }
        }
    }
    for u in unions {
        let out = u.arms.iter().filter_map(|(_, t)| inline(t)).cloned();
        edges.insert(ItemPath::union(lib, &u.name), out.collect());
    }
    let component = strongly_connected(&edges);
    for m in modules.values_mut() {
        for item in &mut m.items {
            if let Item::Struct(s) = item {
                let own = component.get(&path(&m.path, &s.name));
                for f in &mut s.fields {
                    f.boxed = own.is_some() && inline(&f.ty).and_then(|t| component.get(t)) == own;
                }
            }
        }
    }
}

/// The strongly connected component of every node of a directed graph, as a number
/// (Tarjan's algorithm, with an explicit stack: struct chains can be long). Two nodes share a
/// number exactly when each reaches the other. Edges to nodes outside the map are ignored.
fn strongly_connected<N: Ord + Clone>(edges: &BTreeMap<N, Vec<N>>) -> BTreeMap<N, usize> {
    let mut index: BTreeMap<&N, (usize, usize)> = BTreeMap::new(); // (index, lowlink)
    let mut stack: Vec<&N> = Vec::new();
    let mut on_stack: BTreeSet<&N> = BTreeSet::new();
    let mut component = BTreeMap::new();
    let mut components = 0;
    let mut next = 0;
    for root in edges.keys() {
        if index.contains_key(root) {
            continue;
        }
        let mut calls: Vec<(&N, usize)> = Vec::new();
        index.insert(root, (next, next));
        next += 1;
        stack.push(root);
        on_stack.insert(root);
        calls.push((root, 0));
        while let Some((v, i)) = calls.last_mut() {
            let v: &N = v;
            let succ = &edges[v];
            if *i < succ.len() {
                let w = &succ[*i];
                *i += 1;
                let Some((w, _)) = edges.get_key_value(w) else {
                    continue;
                };
                match index.get(w) {
                    None => {
                        index.insert(w, (next, next));
                        next += 1;
                        stack.push(w);
                        on_stack.insert(w);
                        calls.push((w, 0));
                    }
                    Some(&(wi, _)) if on_stack.contains(w) => {
                        let e = index.get_mut(v).expect("visited");
                        e.1 = e.1.min(wi);
                    }
                    Some(_) => {}
                }
                continue;
            }
            calls.pop();
            let (vi, vl) = index[v];
            if let Some((parent, _)) = calls.last() {
                let e = index.get_mut(*parent).expect("visited");
                e.1 = e.1.min(vl);
            }
            if vi == vl {
                while let Some(w) = stack.pop() {
                    on_stack.remove(w);
                    component.insert(w.clone(), components);
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_join_exactly_the_nodes_that_reach_each_other() {
        let graph: BTreeMap<&str, Vec<&str>> = [
            ("a", vec!["b", "outside"]),
            ("b", vec!["c", "a"]),
            ("c", vec!["c"]),
            ("d", vec!["a", "e"]),
            ("e", vec!["d"]),
            ("f", vec![]),
        ]
        .into_iter()
        .collect();
        let c = strongly_connected(&graph);
        assert_eq!(c.len(), 6, "{c:?}");
        assert_eq!(c["a"], c["b"]);
        assert_eq!(c["d"], c["e"]);
        let distinct: BTreeSet<usize> = [c["a"], c["c"], c["d"], c["f"]].into();
        assert_eq!(distinct.len(), 4, "{c:?}");
    }
}
