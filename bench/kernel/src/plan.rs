//! The contract between the parent and its workers: the plan each worker follows and the result
//! it writes, both JSON files. `anchor.py` reads and writes the same shapes, so a field renamed
//! here must be renamed there.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one worker process does, once per round.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// Cold kernel starts, each measured from spawn to the first call after loading aws-cdk-lib:
    /// a fresh thread per start in the Rust worker, a fresh process in the Python one.
    pub cold_starts: usize,
    /// Untimed calls of each operation on the warm kernel before measuring (at most the
    /// measured count).
    pub warmup: usize,
    /// The measured calls of each operation are split into this many blocks, and the operations
    /// take turns block by block, so a noisy moment spreads over all of them.
    pub blocks: usize,
    /// Measured calls per operation, by operation key (see [`OPS`]).
    pub calls: BTreeMap<String, usize>,
    /// A new `Stack` every this many queues, so the construct tree stays small.
    pub queues_per_stack: usize,
    /// The packages to load, dependencies first. Empty in the first Rust run, which loads them
    /// through `jsii_runtime` and reports the tarballs it used; the parent hands those to Python.
    pub packages: Vec<Tarball>,
    /// Keep the warm kernel alive until the kernel has written its runtime index of every
    /// package loaded (set for the warm-up run only). The kernel builds the index in a worker
    /// thread after a load without one, and exiting earlier loses it.
    #[serde(default)]
    pub wait_for_index: bool,
}

/// One package the kernel loads, and the tarball it is loaded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tarball {
    /// npm package name.
    pub name: String,
    /// Exact version.
    pub version: String,
    /// Path of the `.tgz` given to the kernel's `load`.
    pub tarball: String,
}

/// What a worker measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkerResult {
    /// `rust` or `python`.
    pub client: String,
    /// `direct` (fd 3) or `wrapper` (stdin/stdout through `bin/jsii-runtime.js`).
    pub launch: String,
    /// The `@jsii/runtime` version the kernel said hello with.
    pub runtime_version: String,
    /// The client library and its version.
    pub client_version: String,
    /// The host language runtime.
    pub host_version: String,
    /// The packages loaded, in order, with their tarballs.
    pub packages: Vec<Tarball>,
    /// Samples in nanoseconds, by operation key.
    pub samples: BTreeMap<String, Vec<u64>>,
    /// Remarks for the report (the Python anchor writes none).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// How an operation's samples are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Per-call times, in microseconds.
    Micros,
    /// Start-up times, in milliseconds.
    Millis,
}

/// One measured operation: its key in plans and results, and its row label in the table.
#[derive(Debug)]
pub struct Op {
    pub key: &'static str,
    pub label: &'static str,
    pub scale: Scale,
    /// The goal for the Rust direct median, in nanoseconds, with its wording.
    pub goal: Option<(u64, &'static str)>,
    /// Measured calls in the default plan (scaled by `--scale`); 0 for the start-up rows, which
    /// cold starts measure.
    pub calls: usize,
}

/// Every operation, in table order.
pub const OPS: &[Op] = &[
    Op {
        key: "get",
        label: "get: string property (Node.id)",
        scale: Scale::Micros,
        goal: Some((40_000, "≤ 40 µs")),
        calls: 2000,
    },
    Op {
        key: "get_raw",
        label: "get, raw request (below the bindings layer)",
        scale: Scale::Micros,
        goal: None,
        calls: 2000,
    },
    Op {
        key: "invoke",
        label: "invoke: Node.tryGetContext(\"stage\")",
        scale: Scale::Micros,
        goal: None,
        calls: 2000,
    },
    Op {
        key: "callback",
        label: "invoke + 1 callback: Node.validate() → host IValidation",
        scale: Scale::Micros,
        goal: None,
        calls: 1000,
    },
    Op {
        key: "create_small",
        label: "create: constructs.RootConstruct",
        scale: Scale::Micros,
        goal: None,
        calls: 500,
    },
    Op {
        key: "create_queue",
        label: "create: aws_sqs.Queue in a Stack",
        scale: Scale::Micros,
        goal: None,
        calls: 200,
    },
    Op {
        key: "cold_total",
        label: "spawn to ready: aws-cdk-lib loaded, first call",
        scale: Scale::Millis,
        goal: Some((300_000_000, "≤ 0.3 s")),
        calls: 0,
    },
    Op {
        key: "cold_hello",
        label: "  of which spawn → hello",
        scale: Scale::Millis,
        goal: None,
        calls: 0,
    },
    Op {
        key: "cold_load",
        label: "  of which load ×5 (warm package cache)",
        scale: Scale::Millis,
        goal: None,
        calls: 0,
    },
    Op {
        key: "cold_first_call",
        label: "  of which first call: Duration.seconds(1)",
        scale: Scale::Millis,
        goal: None,
        calls: 0,
    },
];

impl Plan {
    /// The default plan, multiplied by `scale` (at least one call of everything).
    pub fn scaled(scale: f64) -> Plan {
        let n = |base: usize| ((base as f64 * scale).round() as usize).max(1);
        let calls = OPS
            .iter()
            .filter(|op| op.calls > 0)
            .map(|op| (op.key.to_owned(), n(op.calls)))
            .collect();
        Plan {
            cold_starts: n(2),
            warmup: n(200),
            blocks: 10,
            calls,
            queues_per_stack: 100,
            packages: vec![],
            wait_for_index: false,
        }
    }

    /// Measured calls of `op`.
    pub fn count(&self, op: &str) -> usize {
        self.calls.get(op).copied().unwrap_or(0)
    }

    /// How many calls of an operation with `total` calls block `block` makes.
    pub fn block_share(&self, total: usize, block: usize) -> usize {
        let blocks = self.blocks.max(1);
        total * (block + 1) / blocks - total * block / blocks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_add_up_to_the_total() {
        let plan = Plan::scaled(1.0);
        for total in [0, 1, 7, 200, 2001] {
            let sum: usize = (0..plan.blocks).map(|b| plan.block_share(total, b)).sum();
            assert_eq!(sum, total);
        }
    }

    #[test]
    fn every_per_call_row_is_planned_at_least_once() {
        let plan = Plan::scaled(0.01);
        let per_call: Vec<&str> = OPS
            .iter()
            .filter(|op| op.calls > 0)
            .map(|op| op.key)
            .collect();
        assert_eq!(per_call.len(), 6, "{per_call:?}");
        for key in per_call {
            assert!(plan.count(key) >= 1, "{key}");
        }
        assert_eq!(plan.calls.len(), 6);
    }
}
