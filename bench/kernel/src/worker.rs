//! The Rust side of the benchmark: one process, one launch mode (chosen by the parent through
//! `JSII_RS_LAUNCH` before this process started), driving the real kernel through
//! `jsii_runtime::rt`, the layer generated bindings call.

use crate::plan::{Plan, Tarball, WorkerResult};
use jsii_runtime::protocol::{GetRequest, request};
use jsii_runtime::{Error, HostObject, ObjRef, Override, Package, Result, rt};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};

// The packages, as generated bindings will describe them (versions from package-lock.json).
// The type graphs are empty: the benchmark makes no checked downcasts.
static CONSTRUCTS: Package = Package {
    name: "constructs",
    version: "10.8.1",
    dependencies: &[],
    type_graph: "",
};
static CLOUD_ASSEMBLY_SCHEMA: Package = Package {
    name: "@aws-cdk/cloud-assembly-schema",
    version: "55.6.0",
    dependencies: &[],
    type_graph: "",
};
static AWSCLI: Package = Package {
    name: "@aws-cdk/asset-awscli-v1",
    version: "2.2.292",
    dependencies: &[],
    type_graph: "",
};
static PROXY_AGENT: Package = Package {
    name: "@aws-cdk/asset-node-proxy-agent-v6",
    version: "2.1.3",
    dependencies: &[],
    type_graph: "",
};
static AWS_CDK_LIB: Package = Package {
    name: "aws-cdk-lib",
    version: "2.276.0",
    dependencies: &[&AWSCLI, &PROXY_AGENT, &CLOUD_ASSEMBLY_SCHEMA, &CONSTRUCTS],
    type_graph: "",
};

type Samples = BTreeMap<String, Vec<u64>>;

/// Runs the plan and returns what it measured.
pub fn run(plan: &Plan) -> Result<WorkerResult> {
    let started = SystemTime::now();
    let mut samples = Samples::new();
    let mut notes = Vec::new();
    for _ in 0..plan.cold_starts {
        // A fresh thread has no kernel yet: the next call spawns one.
        let start = std::thread::spawn(cold_start)
            .join()
            .map_err(|_| js_error("a cold start panicked"))??;
        for (key, ns) in start {
            samples.entry(key.to_owned()).or_default().push(ns);
        }
    }

    let info = jsii_runtime::info()?;
    jsii_runtime::start_transcript()?;
    jsii_runtime::load(&AWS_CDK_LIB)?;
    let packages = loaded_tarballs(&jsii_runtime::take_transcript());
    if plan.wait_for_index {
        notes.push(wait_for_runtime_index(&packages, started));
    }
    let mut fixture = Fixture::new(plan.queues_per_stack)?;

    // Warm up: node's JIT and both sides' allocators.
    for op in OPS {
        let n = plan.warmup.min(plan.count(op.0));
        for _ in 0..n {
            (op.1)(&mut fixture)?;
        }
    }
    for block in 0..plan.blocks {
        for op in OPS {
            let n = plan.block_share(plan.count(op.0), block);
            let out = samples.entry(op.0.to_owned()).or_default();
            for _ in 0..n {
                let t = Instant::now();
                (op.1)(&mut fixture)?;
                out.push(elapsed_ns(t));
            }
        }
    }
    jsii_runtime::shutdown()?;
    Ok(WorkerResult {
        client: "rust".into(),
        launch: if info.direct { "direct" } else { "wrapper" }.into(),
        runtime_version: info.runtime_version,
        client_version: format!("jsii-runtime {}", env!("CARGO_PKG_VERSION")),
        host_version: "Rust (release build)".into(),
        packages,
        samples,
        notes,
    })
}

/// One measured call; the fixture holds what it needs.
type Call = fn(&mut Fixture) -> Result<()>;

/// The measured operations, by plan key. `cold_*` are measured separately.
const OPS: &[(&str, Call)] = &[
    ("get", |f| {
        let id: String = rt::get(&f.node, "id")?;
        debug_assert_eq!(id, "bench");
        Ok(())
    }),
    ("get_raw", |f| {
        request(&GetRequest {
            objref: f.node.to_wire_ref(),
            property: "id".into(),
        })?;
        Ok(())
    }),
    ("invoke", |f| {
        let stage: Value = rt::invoke(&f.node, "tryGetContext", vec![json!("stage")])?;
        debug_assert_eq!(stage, "bench");
        Ok(())
    }),
    ("callback", |f| {
        let errors: Vec<String> = rt::invoke(&f.validated, "validate", vec![])?;
        debug_assert!(errors.is_empty());
        Ok(())
    }),
    ("create_small", |_| {
        rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("root")])?;
        Ok(())
    }),
    ("create_queue", |f| {
        if f.queues == f.queues_per_stack {
            f.new_stack()?;
        }
        f.queues += 1;
        rt::create(
            &AWS_CDK_LIB,
            "aws-cdk-lib.aws_sqs.Queue",
            vec![rt::arg(&f.stack), json!(format!("Queue{}", f.queues))],
        )?;
        Ok(())
    }),
];

/// The objects the measured calls use, created before measuring.
struct Fixture {
    /// The `node` of a `RootConstruct("bench")`, with context `stage = bench`.
    node: ObjRef,
    /// The `node` of another root, with one validation implemented in Rust.
    validated: ObjRef,
    app: ObjRef,
    stack: ObjRef,
    stacks: usize,
    queues: usize,
    queues_per_stack: usize,
}

impl Fixture {
    fn new(queues_per_stack: usize) -> Result<Fixture> {
        let root = rt::create(
            &CONSTRUCTS,
            "constructs.RootConstruct",
            vec![json!("bench")],
        )?;
        let node: ObjRef = rt::get(&root, "node")?;
        rt::invoke::<()>(&node, "setContext", vec![json!("stage"), json!("bench")])?;

        let other = rt::create(
            &CONSTRUCTS,
            "constructs.RootConstruct",
            vec![json!("validated")],
        )?;
        let validated: ObjRef = rt::get(&other, "node")?;
        let validation = rt::create_host(
            &CONSTRUCTS,
            "Object",
            vec![],
            &["constructs.IValidation"],
            vec![Override::Method {
                method: "validate".into(),
                cookie: None,
            }],
            Rc::new(NoErrors),
        )?;
        rt::invoke::<()>(&validated, "addValidation", vec![rt::arg(&validation)])?;

        // The App finds its output directory in CDK_OUTDIR, set by the parent.
        let app = rt::create(&AWS_CDK_LIB, "aws-cdk-lib.App", vec![])?;
        let stack = stack(&app, 0)?;

        // The measured calls answer what they should (checked once, outside the timing).
        let id: String = rt::get(&node, "id")?;
        let stage: Value = rt::invoke(&node, "tryGetContext", vec![json!("stage")])?;
        let errors: Vec<String> = rt::invoke(&validated, "validate", vec![])?;
        if id != "bench" || stage != "bench" || !errors.is_empty() {
            return Err(js_error(&format!(
                "unexpected answers: id {id:?}, stage {stage}, validate {errors:?}"
            )));
        }
        Ok(Fixture {
            node,
            validated,
            app,
            stack,
            stacks: 1,
            queues: 0,
            queues_per_stack,
        })
    }

    fn new_stack(&mut self) -> Result<()> {
        self.stack = stack(&self.app, self.stacks)?;
        self.stacks += 1;
        self.queues = 0;
        Ok(())
    }
}

fn stack(app: &ObjRef, n: usize) -> Result<ObjRef> {
    rt::create(
        &AWS_CDK_LIB,
        "aws-cdk-lib.Stack",
        vec![rt::arg(app), json!(format!("Bench{n}"))],
    )
}

/// A `constructs.IValidation` implemented in Rust that finds nothing wrong.
struct NoErrors;

impl HostObject for NoErrors {
    fn invoke(&self, _this: &ObjRef, method: &str, _args: Vec<Value>) -> Result<Value> {
        match method {
            "validate" => Ok(json!([])),
            other => Err(js_error(&format!("NoErrors has no method {other}"))),
        }
    }
}

/// One cold start on this (fresh) thread: spawn, load aws-cdk-lib and its dependencies from the
/// warm package cache, make the first call, then shut the kernel down (not timed).
fn cold_start() -> Result<[(&'static str, u64); 4]> {
    let t0 = Instant::now();
    jsii_runtime::info()?;
    let hello = elapsed_ns(t0);
    let t1 = Instant::now();
    jsii_runtime::load(&AWS_CDK_LIB)?;
    let load = elapsed_ns(t1);
    let t2 = Instant::now();
    rt::sinvoke::<ObjRef>(
        &AWS_CDK_LIB,
        "aws-cdk-lib.Duration",
        "seconds",
        vec![json!(1)],
    )?;
    let first_call = elapsed_ns(t2);
    let total = elapsed_ns(t0);
    jsii_runtime::shutdown()?;
    Ok([
        ("cold_total", total),
        ("cold_hello", hello),
        ("cold_load", load),
        ("cold_first_call", first_call),
    ])
}

/// Waits (at most two minutes, keeping this kernel alive) until every package cache entry this
/// process used has a runtime index, and says what it found. Without the index each load parses
/// the whole assembly (87.5 MB for aws-cdk-lib): seconds instead of about 0.1 s.
fn wait_for_runtime_index(packages: &[Tarball], since: SystemTime) -> String {
    use jsii_runtime::cache;
    let Some(root) = cache::package_cache_root() else {
        return "package cache: disabled (JSII_RUNTIME_PACKAGE_CACHE); loads measured as they came"
            .to_owned();
    };
    let names: Vec<(String, String)> = packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    let entries = cache::entries_used_since(&root, &names, since);
    if entries.is_empty() {
        return format!(
            "package cache: no entries used by this run under {} (cache moved?); \
             loads were measured as they came",
            root.display()
        );
    }
    let t = Instant::now();
    let missing = cache::wait_for_index(&entries, Duration::from_secs(120));
    let waited = t.elapsed();
    if !missing.is_empty() {
        format!(
            "package cache: NO runtime index after 120 s for {}; loads are measured without it",
            missing
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else if waited < Duration::from_millis(200) {
        format!(
            "package cache: warm, runtime index present ({})",
            root.display()
        )
    } else {
        format!(
            "package cache: warm; the runtime index was missing and the warm-up kernel waited \
             {:.1} s for the kernel to write it ({})",
            waited.as_secs_f64(),
            root.display()
        )
    }
}

/// The `load` requests of a transcript: which tarballs `jsii_runtime` gave the kernel.
fn loaded_tarballs(transcript: &[String]) -> Vec<Tarball> {
    transcript
        .iter()
        .filter_map(|line| line.strip_prefix("> "))
        .filter_map(|json| serde_json::from_str::<Value>(json).ok())
        .filter(|v| v["api"] == "load")
        .filter_map(|v| {
            Some(Tarball {
                name: v["name"].as_str()?.to_owned(),
                version: v["version"].as_str()?.to_owned(),
                tarball: v["tarball"].as_str()?.to_owned(),
            })
        })
        .collect()
}

fn elapsed_ns(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

fn js_error(message: &str) -> Error {
    Error::Js {
        name: "BenchError".into(),
        message: message.to_owned(),
        stack: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarballs_come_from_load_requests() {
        let transcript = [
            r#"> {"api":"load","name":"constructs","version":"10.8.1","tarball":"/x/c.tgz"}"#,
            r#"< {"ok":{"assembly":"constructs","types":30}}"#,
            r#"> {"api":"get","objref":{"$jsii.byref":"a@1"},"property":"id"}"#,
        ]
        .map(str::to_owned);
        assert_eq!(
            loaded_tarballs(&transcript),
            [Tarball {
                name: "constructs".into(),
                version: "10.8.1".into(),
                tarball: "/x/c.tgz".into(),
            }]
        );
    }

    #[test]
    fn every_operation_is_planned() {
        let plan = Plan::scaled(1.0);
        for (key, _) in OPS {
            assert!(plan.count(key) > 0, "{key} is never measured");
        }
    }
}
