//! The parent: warms up, runs the workers round by round in rotating order, and prints the
//! machine, the versions and the table.

use crate::plan::{Plan, WorkerResult};
use crate::report::{self, RunSamples, Summary, Variant};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What `main` parsed.
#[derive(Debug)]
pub struct Options {
    pub python: Option<PathBuf>,
    pub anchor: PathBuf,
    pub rounds: usize,
    pub scale: f64,
}

/// Environment the workers must not inherit: each would change what is measured.
const SCRUBBED_ENV: &[&str] = &[
    jsii_runtime::RUNTIME_ENV,
    jsii_runtime::LAUNCH_ENV,
    "JSII_DEBUG",
    "JSII_DEBUG_TIMING",
    "JSII_VALIDATE_ASSEMBLIES",
    "JSII_RUNTIME_PACKAGE_CACHE",
    "JSII_HOST_STACK_TRACES",
];

pub fn run(opts: &Options) -> Result<(), String> {
    let load_before = bench_report::load_average();
    let work = tempfile::Builder::new()
        .prefix("bench-kernel.")
        .tempdir()
        .map_err(|e| format!("creating a temp dir: {e}"))?;
    let workers = Workers {
        exe: std::env::current_exe().map_err(|e| format!("finding this program: {e}"))?,
        python: opts.python.clone(),
        anchor: opts.anchor.clone(),
        dir: work.path().to_owned(),
    };
    let mut variants = vec![Variant::RustDirect, Variant::RustWrapper];
    if opts.python.is_some() {
        variants.push(Variant::Python);
    }

    // Warm-up, not recorded: packs the tarballs (first run after npm ci), fills the kernel's
    // package cache and runtime index for both runtime versions, and warms the file cache.
    eprintln!("bench: warming up ({})", names(&variants));
    let mut plan = Plan::scaled(opts.scale * 0.05);
    plan.cold_starts = 1;
    plan.wait_for_index = true;
    let mut meta: BTreeMap<Variant, WorkerResult> = BTreeMap::new();
    let mut warmup_notes = Vec::new();
    for &v in &variants {
        let result = workers.run(v, &plan)?;
        if plan.packages.is_empty() {
            plan.packages = result.packages.clone();
            if plan.packages.is_empty() {
                return Err("the Rust worker loaded no packages".into());
            }
        }
        warmup_notes.extend(result.notes.iter().cloned());
        plan.wait_for_index = false;
        meta.insert(v, result);
    }

    let mut plan = Plan::scaled(opts.scale);
    plan.packages = meta[&Variant::RustDirect].packages.clone();
    let mut samples = RunSamples::new();
    let mut per_round: BTreeMap<Variant, Vec<String>> = BTreeMap::new();
    let mut peak_load = 0.0f64;
    for round in 0..opts.rounds {
        let mut order = variants.clone();
        order.rotate_left(round % variants.len());
        for v in order {
            let result = workers.run(v, &plan)?;
            let get = result.samples.get("get").and_then(|s| Summary::of(s));
            let get = get.map_or("–".to_owned(), |s| format!("{:.1}", s.median / 1e3));
            eprintln!(
                "bench: round {}/{} {:<12} get median {get} µs",
                round + 1,
                opts.rounds,
                v.name(),
            );
            per_round.entry(v).or_default().push(get);
            let all = samples.entry(v).or_default();
            for (op, ns) in result.samples {
                all.entry(op).or_default().extend(ns);
            }
        }
        peak_load = peak_load.max(bench_report::one_minute_load());
    }
    let load_after = bench_report::load_average();

    println!("## Kernel benchmark (`bin/bench kernel`)\n");
    println!("- machine: {}", bench_report::machine());
    println!(
        "- load average (1/5/15 min): before {load_before}; highest 1-min after a round \
         {peak_load:.2}; after {load_after}"
    );
    println!("- node: {}", node_version());
    let rust = &meta[&Variant::RustDirect];
    println!(
        "- Rust client: {} ({}), kernel @jsii/runtime {} from node_modules",
        rust.client_version, rust.host_version, rust.runtime_version
    );
    match meta.get(&Variant::Python) {
        Some(py) => println!(
            "- Python client: {} ({}), its embedded kernel @jsii/runtime {}, wrapper launch \
             (its only one)",
            py.client_version, py.host_version, py.runtime_version
        ),
        None => println!("- Python client: skipped (no --python)"),
    }
    let packages: Vec<String> = plan
        .packages
        .iter()
        .map(|p| format!("{}@{}", p.name, p.version))
        .collect();
    println!(
        "- packages, same tarballs for every client: {} (from {})",
        packages.join(", "),
        plan.packages
            .first()
            .and_then(|p| Path::new(&p.tarball).parent())
            .map_or("?".to_owned(), |d| d.display().to_string())
    );
    for note in &warmup_notes {
        println!("- {note}");
    }
    println!(
        "- plan: {}, each running {} as fresh processes in rotating order; per process: {}, \
         then {} on one warm kernel ({} warm-up calls each, untimed)",
        plural(opts.rounds, "round"),
        names(&variants),
        plural(plan.cold_starts, "cold start"),
        plan.calls
            .iter()
            .map(|(op, n)| format!("{n} {op}"))
            .collect::<Vec<_>>()
            .join(", "),
        plan.warmup
    );
    println!(
        "- cells: median / p99 / min over all rounds; direct ÷ Python is the ratio of the \
         medians (below 1: Rust direct is faster)\n"
    );
    print!("{}", report::table(&samples));
    println!("\nMedian `get` of each worker process, round by round (µs):");
    for (v, medians) in &per_round {
        println!("- {}: {}", v.name(), medians.join(", "));
    }
    println!(
        "\nReference figures (bench/README.md, same box class, 2026-11-24): get 35–37 µs direct, \
         72–84 µs wrapper; Python get 121–136 µs direct, 330–460 µs wrapper; create \
         aws_sqs.Queue 289–341 µs direct, 311–408 µs wrapper; spawn → hello 0.12–0.17 s direct, \
         0.19–0.38 s wrapper, plus 0.13–0.23 s for the five loads."
    );
    Ok(())
}

/// How to start each kind of worker, and where they exchange files.
struct Workers {
    exe: PathBuf,
    python: Option<PathBuf>,
    anchor: PathBuf,
    dir: PathBuf,
}

impl Workers {
    /// Runs one worker process with `plan` and reads its result.
    fn run(&self, variant: Variant, plan: &Plan) -> Result<WorkerResult, String> {
        let plan_path = self.dir.join(format!("plan-{}.json", variant.name()));
        let out_path = self.dir.join(format!("result-{}.json", variant.name()));
        let json = serde_json::to_string_pretty(plan).map_err(|e| e.to_string())?;
        std::fs::write(&plan_path, json).map_err(|e| format!("{}: {e}", plan_path.display()))?;
        let _ = std::fs::remove_file(&out_path);

        let mut cmd = match variant {
            Variant::RustDirect | Variant::RustWrapper => {
                let mut cmd = Command::new(&self.exe);
                cmd.arg("worker");
                cmd
            }
            Variant::Python => {
                let python = self.python.as_ref().ok_or("no --python given")?;
                let mut cmd = Command::new(python);
                cmd.arg(&self.anchor);
                cmd
            }
        };
        cmd.arg("--plan")
            .arg(&plan_path)
            .arg("--out")
            .arg(&out_path)
            .stdin(Stdio::null())
            .env("CDK_OUTDIR", self.dir.join("cdk.out"));
        for var in SCRUBBED_ENV {
            cmd.env_remove(var);
        }
        match variant {
            Variant::RustDirect => cmd.env(jsii_runtime::LAUNCH_ENV, "direct"),
            Variant::RustWrapper => cmd.env(jsii_runtime::LAUNCH_ENV, "wrapper"),
            Variant::Python => &mut cmd,
        };
        // Both streams are kept and shown only on failure: node's end-of-life banner and other
        // console noise would bury the table.
        let output = cmd
            .output()
            .map_err(|e| format!("starting the {} worker: {e}", variant.name()))?;
        if !output.status.success() {
            return Err(format!(
                "the {} worker failed ({}):\n{}{}",
                variant.name(),
                output.status,
                tail(&output.stdout),
                tail(&output.stderr)
            ));
        }
        let text = std::fs::read_to_string(&out_path)
            .map_err(|e| format!("the {} worker wrote no result: {e}", variant.name()))?;
        let result: WorkerResult = serde_json::from_str(&text)
            .map_err(|e| format!("the {} worker's result: {e}", variant.name()))?;
        let expected = match variant {
            Variant::RustDirect => "direct",
            Variant::RustWrapper | Variant::Python => "wrapper",
        };
        if result.launch != expected {
            return Err(format!(
                "the {} worker ran with {} launch, not {expected}",
                variant.name(),
                result.launch
            ));
        }
        Ok(result)
    }
}

/// The last 40 lines of a worker's output.
fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(40);
    lines[start..].iter().map(|l| format!("  {l}\n")).collect()
}

fn names(variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|v| v.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `1 round`, `8 rounds`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `node --version` of the node the workers use (`JSII_NODE` or `node` on PATH).
fn node_version() -> String {
    let node = std::env::var(jsii_runtime::NODE_ENV)
        .ok()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "node".to_owned());
    Command::new(&node)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .map_or_else(
            || format!("unknown ({node} --version failed)"),
            |v| format!("{v} ({node})"),
        )
}
