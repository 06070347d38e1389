//! The kernel's preload script (`js/kernel-entry.js`): its digest memo computes exactly the
//! kernel's package-cache digest and notices a changed tarball; with the pinned
//! `@jsii/runtime` the kernel really takes its digests from the memo (so a new runtime whose
//! digest function differs fails here, not silently slower); the type lookup's hook applies to
//! that bundle and reads exactly a line's bytes; the compile cache fills, and each
//! program adds what it compiled once; the template validator's engine is saved once and
//! restored with the same findings, also through the kernel; and the kernel runs without the
//! script when it is turned off.
//!
//! Cases that need their own environment run in a child process, as in `failures.rs`.

use crate::support::{AWS_CDK_LIB, CONSTRUCTS};
use jsii_runtime::{
    COMPILE_CACHE_ENV, KERNEL_ENTRY_ENV, KERNEL_SNAPSHOT_ENV, NODE_ENV, NODE_MODULES_ENV,
    TARBALL_DIR_ENV, rt,
};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn entry_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("js/kernel-entry.js")
}

/// The manifest of the versions the preload's hooks know (`js/hooks.json`), which the client
/// passes to the kernel's node as `JSII_RS_HOOKS`.
pub(crate) fn hooks_manifest() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("js/hooks.json"))
        .expect("js/hooks.json")
}

/// The node the kernel would run: `JSII_NODE`, or `node` from `PATH`.
pub(crate) fn node_program() -> PathBuf {
    std::env::var_os(NODE_ENV).map_or_else(|| "node".into(), PathBuf::from)
}

/// Runs a node script with the preload script's functions in scope as `entry`.
pub(crate) fn node(script: &str) -> String {
    let program = format!(
        "const entry = require({:?});\n{script}",
        entry_source().display().to_string()
    );
    let out = Command::new(node_program())
        .args(["-e", &program])
        .env("JSII_RS_COMPILE_CACHE", "")
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// SHA-256 of the file, then "\0name", then "\0version": the kernel's package-cache digest,
/// computed here independently of the preload script.
fn kernel_digest(file: &Path, name: &str, version: &str) -> String {
    node(&format!(
        "const c = require('crypto'), fs = require('fs');\n\
         const h = c.createHash('sha256');\n\
         h.update(Buffer.concat([fs.readFileSync({:?}), Buffer.from('\\x00{name}\\x00{version}')]));\n\
         console.log(h.digest('hex'));",
        file.display().to_string()
    ))
}

#[test]
fn the_digest_memo_computes_the_kernels_digest_and_follows_the_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("pkg-1.0.0.tgz");
    std::fs::write(&file, b"first contents").expect("write");
    let memo = |f: &Path| {
        node(&format!(
            "console.log(entry.memoDigest({:?}, ['pkg', '1.0.0']).toString('hex'));",
            f.display().to_string()
        ))
    };
    let first = memo(&file);
    assert_eq!(first, kernel_digest(&file, "pkg", "1.0.0"));
    let sidecar = tmp.path().join("pkg-1.0.0.tgz.digest");
    let recorded = std::fs::read_to_string(&sidecar).expect("the memo wrote its sidecar");
    assert!(recorded.contains(&first), "{recorded}");
    assert_eq!(memo(&file), first, "read back");
    // The same path with other contents (size and time change): computed again.
    std::fs::write(&file, b"second, longer contents").expect("rewrite");
    let second = memo(&file);
    assert_ne!(second, first);
    assert_eq!(second, kernel_digest(&file, "pkg", "1.0.0"));
    // A damaged sidecar is ignored and replaced.
    std::fs::write(&sidecar, "garbage").expect("damage");
    assert_eq!(memo(&file), second);
    // Another package name or version is another digest.
    let other = node(&format!(
        "console.log(entry.memoDigest({:?}, ['pkg', '2.0.0']).toString('hex'));",
        file.display().to_string()
    ));
    assert_eq!(other, kernel_digest(&file, "pkg", "2.0.0"));
}

/// `file` in the project's `node_modules` (pinned by its lockfile).
fn node_module(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("node_modules").join(file))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("node_modules/{file}: run bin/setup"))
}

/// The pinned kernel bundle.
fn kernel_bundle() -> PathBuf {
    node_module("@jsii/runtime/webpack/lib/program.js")
}

/// The pinned template validator (aws-cdk-lib's own copy), its generated glue and module.
const VALIDATOR: &str = "aws-cdk-lib/node_modules/@aws/cloudformation-validate";

/// Applies the preload script's hook `hook` to the pinned kernel bundle: how many bytes it
/// added, whether applying it again changes nothing, and whether it leaves other text alone.
fn apply_to_bundle(hook: &str) -> (usize, String) {
    apply_to(&kernel_bundle(), hook)
}

/// `apply_to_bundle` for any file.
fn apply_to(file: &Path, hook: &str) -> (usize, String) {
    let out = node(&format!(
        "const src = require('fs').readFileSync({:?}, 'utf8');\n\
         const hooked = entry.{hook}(src);\n\
         console.log(hooked.length - src.length, entry.{hook}(hooked) === hooked, \
                     entry.{hook}('x') === 'x', \
                     hooked.split('\\n').length === src.split('\\n').length);",
        file.display().to_string()
    ));
    let fields: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(
        fields.get(1..),
        Some(&["true", "true", "true"][..]),
        "{out}: applied twice, to other text, or moving lines"
    );
    let added = fields.first().and_then(|n| n.parse().ok()).unwrap_or(0);
    (added, out)
}

#[test]
fn the_hooks_apply_to_the_pinned_kernel_bundle_only_once() {
    let (added, out) = apply_to_bundle("hookDigest");
    assert!(
        added > 0,
        "the preload script no longer recognises the kernel's digest function ({out}): \
         update DIGEST_HEAD and DIGEST_BODY in js/hooks/digest-memo.js for this @jsii/runtime"
    );
    let (added, out) = apply_to_bundle("hookDefs");
    assert!(
        added > 0,
        "the preload script no longer recognises the kernel's type lookup ({out}): \
         update DEFS_READ and DEFS_HOOK in js/hooks/defs-reader.js for this @jsii/runtime"
    );
}

#[test]
fn the_validator_hook_applies_to_the_pinned_glue_only_once() {
    let glue = node_module(&format!("{VALIDATOR}/bindings_wasm.js"));
    let (added, out) = apply_to(&glue, "hookValidator");
    assert!(
        added > 0,
        "the preload script no longer recognises the validator's glue ({out}): update \
         GLUE_START, GLUE_CONSTRUCTOR and GLUE_EXPORT in js/hooks/validator-snapshots.js for this \
         @aws/cloudformation-validate"
    );
    // A glue whose engine constructor does something else is left alone: the engine object
    // the hook makes would not be the one the constructor makes.
    let out = node(&format!(
        "const src = require('fs').readFileSync({:?}, 'utf8');\n\
         const changed = src.replace('wasm.wasmcompositeengine_new(config);', 'wasm.wasmcompositeengine_new(config, 1);');\n\
         console.log(changed !== src, entry.hookValidator(changed) === changed);",
        glue.display().to_string()
    ));
    assert_eq!(out, "true true");
}

#[test]
fn the_snapshots_read_globals_values_and_configurations_they_can_trust() {
    // A module with three globals: a mutable i32 whose initialiser's immediate is 0x0b (the
    // `end` opcode's value), an immutable i64, a mutable f64; and the pinned validator.
    let out = node(&format!(
        "const m = Buffer.from([0,0x61,0x73,0x6d, 1,0,0,0, 6,23, 3, \
           0x7f,1,0x41,0x0b,0x0b, 0x7e,0,0x42,0x7f,0x0b, 0x7c,1,0x44,0,0,0,0,0,0,0xf0,0x3f,0x0b]);\n\
         new WebAssembly.Module(m);\n\
         const pinned = require('fs').readFileSync({:?});\n\
         console.log(JSON.stringify([entry.definedGlobals(m), \
           entry.definedGlobals(pinned).filter((x) => x).length]));\n\
         console.log(JSON.stringify([globalThis, performance, 'k', 1, null, true, undefined, \
           () => 1, {{}}, NaN].map(entry.describeValue)));\n\
         console.log(JSON.stringify([entry.canonicalJson({{b: [1, 'x'], a: null, u: undefined}}), \
           entry.canonicalJson({{a: new Date(0)}}), entry.canonicalJson({{a: 1n}}) ?? null]));",
        node_module(&format!("{VALIDATOR}/bindings_wasm_bg.wasm"))
            .display()
            .to_string()
    ));
    let lines: Vec<&str> = out.lines().collect();
    // The validator has one mutable global, its stack pointer: a snapshot is possible.
    assert_eq!(lines.first(), Some(&"[[true,false,true],1]"), "{out}");
    assert_eq!(
        lines.get(1),
        Some(
            &r#"[{"global":""},{"global":"performance"},{"value":"k"},{"value":1},{"value":null},{"value":true},{"undefined":true},null,null,null]"#
        ),
        "{out}"
    );
    assert_eq!(
        lines.get(2),
        Some(&r#"["{\"a\":null,\"b\":[1,\"x\"]}",null,null]"#),
        "{out}"
    );
}

/// Runs a script that builds the pinned validator's engine and validates a template with
/// known findings, in a node with the preload script and the compile cache `cache`: what the
/// snapshots did (`saved`, `restored`, `constructed`, or `off`) and the findings.
fn validate_with_snapshots(cache: &Path, env: &[(&str, &str)]) -> (String, serde_json::Value) {
    let script = format!(
        "const v = require({:?});\n\
         const engine = new v.CompositeEngine({{}});\n\
         const snapshots = globalThis[Symbol.for('jsii-rs.validatorEngines')];\n\
         const outcome = snapshots ? snapshots.last.outcome : 'off';\n\
         const template = JSON.stringify({{ Resources: {{\n\
           T: {{ Type: 'AWS::DynamoDB::Table', Properties: {{ Bogus: 1, KeySchema: [] }} }},\n\
           F: {{ Type: 'AWS::Lambda::Function', Properties: {{ Runtime: 'nodejs8.10', \
             Handler: 'x', Role: 'arn:aws:iam::123456789012:role/x', Code: {{ ZipFile: 'x' }} }} }} }} }});\n\
         const report = engine.validateTemplate(new v.TemplateContent(template, 't.json'), \
           {{ detailLevel: 'STANDARD', severityLevel: 'WARN' }});\n\
         const again = new v.CompositeEngine({{}});\n\
         const second = snapshots ? snapshots.last.outcome : 'off';\n\
         engine.free(); again.free();\n\
         console.log(JSON.stringify({{ outcome, second, diagnostics: report.diagnostics, \
           rules: report.metadata.rulesEvaluated }}));",
        node_module(&format!("{VALIDATOR}/index.js"))
            .parent()
            .expect("the package directory")
            .display()
            .to_string()
    );
    let out = Command::new(node_program())
        .args(jsii_runtime::DEFAULT_NODE_FLAGS)
        .arg("--require")
        .arg(entry_source())
        .args(["-e", &script])
        .env(COMPILE_CACHE_ENV, cache)
        .env("JSII_RS_HOOKS", hooks_manifest())
        .envs(env.iter().copied())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut result: serde_json::Value =
        serde_json::from_str(stdout.trim()).expect("the script's JSON");
    // A second engine on the same instance is never a snapshot's: the instance is not fresh.
    // (A validator js/hooks.json does not list has no outcome at all: the hook stepped aside.)
    let stepped_aside = !crate::support::speedup_knows_installed(
        "validatorSnapshots",
        &["@aws/cloudformation-validate"],
    );
    assert!(
        ["constructed", "off"].contains(&result["second"].as_str().unwrap_or_default())
            || (stepped_aside && result["second"].is_null()),
        "{result}"
    );
    let outcome = result["outcome"].as_str().unwrap_or_default().to_owned();
    (outcome, result["diagnostics"].take())
}

/// The snapshot files under `dir`, by name.
fn snapshots(dir: &Path) -> std::collections::BTreeMap<String, (u64, std::time::SystemTime)> {
    sizes(dir)
        .into_iter()
        .filter_map(|(f, v)| {
            let name = f.file_name()?.to_string_lossy().into_owned();
            name.starts_with("validator-").then_some((name, v))
        })
        .collect()
}

#[test]
fn the_validator_engine_is_saved_once_and_restored_with_the_same_findings() {
    let cache = tempfile::tempdir().expect("tempdir");
    if !crate::support::speedup_knows_installed(
        "validatorSnapshots",
        &["@aws/cloudformation-validate"],
    ) {
        // Another validator than js/hooks.json lists (an upgraded aws-cdk-lib): no engine is
        // saved, and the findings are those of a start without the speed-up.
        let (outcome, findings) = validate_with_snapshots(cache.path(), &[]);
        assert!(snapshots(cache.path()).is_empty(), "{outcome}");
        let (_, off) =
            validate_with_snapshots(cache.path(), &[("JSII_RS_VALIDATOR_SNAPSHOT", "0")]);
        assert_eq!(findings, off);
        return;
    }
    let (outcome, findings) = validate_with_snapshots(cache.path(), &[]);
    assert_eq!(outcome, "saved");
    let text = findings.to_string();
    // The findings the template was written to have: schema, deprecated runtime.
    assert!(text.contains("'Bogus' was unexpected"), "{text}");
    assert!(text.contains("nodejs8.10"), "{text}");
    let saved = snapshots(cache.path());
    assert_eq!(saved.len(), 2, "a .json and a .mem: {saved:?}");

    let (outcome, restored) = validate_with_snapshots(cache.path(), &[]);
    assert_eq!(outcome, "restored");
    assert_eq!(restored, findings, "a restored engine found something else");

    let (outcome, off) =
        validate_with_snapshots(cache.path(), &[("JSII_RS_VALIDATOR_SNAPSHOT", "0")]);
    assert_eq!(outcome, "off");
    assert_eq!(off, findings);

    // A damaged snapshot is not used: the engine is built, and saved again.
    let mem = files_under(cache.path())
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == "mem"))
        .expect("the snapshot's memory");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&mem)
        .and_then(|f| f.set_len(4096))
        .expect("truncate the snapshot");
    let (outcome, rebuilt) = validate_with_snapshots(cache.path(), &[]);
    assert_eq!(outcome, "saved");
    assert_eq!(rebuilt, findings);
    let memory: Vec<(String, u64)> = snapshots(cache.path())
        .into_iter()
        .filter(|(n, _)| n.ends_with(".mem"))
        .map(|(n, (len, _))| (n, len))
        .collect();
    assert!(
        memory.len() == 1 && memory[0].1 > 4096 && !mem.exists(),
        "the damaged memory file is still there, or the new one is not: {memory:?}"
    );

    // Only the two most recently used snapshots are kept: two older ones and the run's own
    // leave the oldest to go, with the memory files no kept snapshot names.
    let dir = mem.parent().expect("the snapshot's directory");
    let old = |hex: char, age_s: u64| {
        let key = hex.to_string().repeat(40);
        let name = format!("validator-{key}");
        let meta = format!(r#"{{"key":"{key}","mem":"{name}-1-1.mem"}}"#);
        for file in [
            dir.join(format!("{name}.json")),
            dir.join(format!("{name}-1-1.mem")),
        ] {
            std::fs::write(&file, &meta).expect("write");
            std::fs::File::options()
                .write(true)
                .open(&file)
                .and_then(|f| {
                    f.set_modified(
                        std::time::SystemTime::now() - std::time::Duration::from_secs(age_s),
                    )
                })
                .expect("set mtime");
        }
        name
    };
    let oldest = old('a', 3600);
    let newer = old('b', 60);
    std::fs::remove_file(dir.join(&memory[0].0)).expect("remove the snapshot's memory");
    let (outcome, _) = validate_with_snapshots(cache.path(), &[]);
    assert_eq!(outcome, "saved");
    let kept: Vec<String> = snapshots(cache.path()).into_keys().collect();
    assert!(!kept.iter().any(|n| n.starts_with(&oldest)), "{kept:?}");
    assert!(kept.contains(&format!("{newer}.json")), "{kept:?}");
    assert!(kept.contains(&format!("{newer}-1-1.mem")), "{kept:?}");
    assert_eq!(kept.len(), 4, "two snapshots: {kept:?}");
}

#[test]
fn the_line_reader_reads_exactly_the_range_or_gives_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("defs.jsonl");
    std::fs::write(&file, "{\"a\":1}\n{\"b\":\"\u{e9}t\u{e9}\"}\n").expect("write");
    let out = node(&format!(
        "const f = {:?};\n\
         console.log(JSON.stringify([entry.readDefs(f, 0, 7), entry.readDefs(f, 8, 21), \
                     entry.readDefs(f, 8, 99), entry.readDefs(f + '.missing', 0, 1)]));",
        file.display().to_string()
    ));
    assert_eq!(out, r#"["{\"a\":1}","{\"b\":\"été\"}",null,null]"#);
}

/// Re-runs this test binary as a child running only `entry::child_entry`, with `env`.
pub(crate) fn child(case: &str, env: &[(&str, &Path)]) -> String {
    child_of(
        &std::env::current_exe().expect("test binary path"),
        case,
        env,
    )
}

/// `child`, run from `exe` (this test binary, possibly under another name): its output.
///
/// Kernel snapshots are off: these tests list and stat the compile cache's files, and a
/// snapshot build the child started in the background would write there meanwhile
/// (tests/kernel/snapshot.rs covers snapshots).
fn child_of(exe: &Path, case: &str, env: &[(&str, &Path)]) -> String {
    let mut cmd = Command::new(exe);
    cmd.env(KERNEL_SNAPSHOT_ENV, "0")
        .envs(env.iter().map(|(k, v)| (*k, v.as_os_str())));
    child_command(cmd, case).0
}

/// Runs `cmd` (this test binary, with its environment and directory set) as a child running
/// `entry::child_entry` with case `case`: its stdout and stderr, once it succeeded.
pub(crate) fn child_command(mut cmd: Command, case: &str) -> (String, String) {
    let out = cmd
        .args([
            "entry::child_entry",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("JSII_RS_TEST_CASE", case)
        .output()
        .expect("re-run the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("CASE-DONE"),
        "child {case} failed:\n{stdout}\n{stderr}"
    );
    (stdout.into_owned(), stderr.into_owned())
}

/// The child side: a small session that loads `constructs` (a "synth" loads aws-cdk-lib first,
/// as a CDK app does, so that its kernel gets a startup snapshot of aws-cdk-lib).
#[test]
fn child_entry() {
    let Ok(case) = std::env::var("JSII_RS_TEST_CASE") else {
        return; // Only meaningful when re-run by `child`.
    };
    let root = (!case.starts_with("synth")).then(|| {
        rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("root")])
            .expect("a session with constructs")
    });
    if case == "validated synth" {
        // A synth with aws-cdk-lib's CloudFormation validation: a run long enough for the
        // collectors to flush bytecode that is not kept.
        let out = crate::support::outdir();
        let app = rt::create(
            &AWS_CDK_LIB,
            "aws-cdk-lib.App",
            vec![rt::struct_to_wire(
                "aws-cdk-lib.AppProps",
                vec![("outdir", json!(out.path().display().to_string()))],
            )],
        )
        .expect("an App");
        let stack = crate::cdk::stack(&app, "Cached").expect("a Stack");
        crate::cdk::table(&stack).expect("a Table");
        // A resource with a property its type does not have: a finding for the report.
        rt::create(
            &AWS_CDK_LIB,
            "aws-cdk-lib.CfnResource",
            vec![
                rt::arg(&stack),
                json!("Odd"),
                rt::struct_to_wire(
                    "aws-cdk-lib.CfnResourceProps",
                    vec![
                        ("type", json!("AWS::SQS::Queue")),
                        ("properties", json!({ "NoSuchProperty": 1 })),
                    ],
                ),
            ],
        )
        .expect("a CfnResource");
        let _: serde_json::Value = rt::sget(
            &AWS_CDK_LIB,
            "aws-cdk-lib.region_info.RegionInfo",
            "regions",
        )
        .expect("the region facts");
        let _: jsii_runtime::ObjRef = rt::invoke(&app, "synth", vec![]).expect("synth");
        let report = std::fs::read_to_string(out.path().join("validation-report.json"))
            .expect("the synth's validation report");
        let report: serde_json::Value = serde_json::from_str(&report).expect("JSON");
        println!("REPORT {report}");
    }
    if case == "synth" || case == "synth then polluter" {
        // A synth into ./cdk.out with an asset from ./data.txt, both relative to the child's
        // working directory (staging the asset goes through aws-cdk-lib's bundled fs-extra).
        std::fs::write("data.txt", "asset contents").expect("write the asset");
        let app = crate::support::app(Path::new("cdk.out")).expect("an App");
        let stack = crate::cdk::stack(&app, "Snap").expect("a Stack");
        crate::cdk::table(&stack).expect("a Table");
        rt::create(
            &AWS_CDK_LIB,
            "aws-cdk-lib.aws_s3_assets.Asset",
            vec![
                rt::arg(&stack),
                json!("Data"),
                rt::struct_to_wire(
                    "aws-cdk-lib.aws_s3_assets.AssetProps",
                    vec![("path", json!("data.txt"))],
                ),
            ],
        )
        .expect("an Asset");
        let _: jsii_runtime::ObjRef = rt::invoke(&app, "synth", vec![]).expect("synth");
    }
    if case == "synth then polluter" {
        // A program that loads a package changing global state after its synth.
        jsii_runtime::load(&crate::snapshot::POLLUTER).expect("the polluter loads");
    }
    if case == "more" {
        // Functions of constructs that creating a root alone never runs.
        let child = rt::create(
            &CONSTRUCTS,
            "constructs.Construct",
            vec![rt::arg(root.as_ref().expect("the root")), json!("child")],
        )
        .expect("a child construct");
        let node: jsii_runtime::ObjRef = rt::get(&child, "node").expect("node");
        let _: serde_json::Value =
            rt::invoke(&node, "addMetadata", vec![json!("k"), json!(1)]).expect("addMetadata");
        let path: String = rt::get(&node, "path").expect("path");
        assert_eq!(path, "root/child");
        let _: serde_json::Value = rt::invoke(&node, "findAll", vec![]).expect("findAll");
    }
    jsii_runtime::shutdown().expect("shutdown");
    println!("CASE-DONE");
}

/// A child's own tarball directory and compile cache.
pub(crate) struct Scratch {
    pub(crate) tarballs: tempfile::TempDir,
    pub(crate) cache: tempfile::TempDir,
}

impl Scratch {
    pub(crate) fn new() -> Scratch {
        Scratch {
            tarballs: tempfile::tempdir().expect("tempdir"),
            cache: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// The environment that points a child at them.
    pub(crate) fn env(&self) -> [(&'static str, &Path); 2] {
        [
            (TARBALL_DIR_ENV, self.tarballs.path()),
            (COMPILE_CACHE_ENV, self.cache.path()),
        ]
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_kernel_takes_its_digest_from_the_memo_and_fills_the_compile_cache() {
    let scratch = Scratch::new();
    let (tarballs, cache) = (&scratch.tarballs, &scratch.cache);
    let env = scratch.env();
    child("memo", &env);
    let files = files_under(tarballs.path());
    let tarball = files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "tgz"))
        .unwrap_or_else(|| panic!("no tarball packed: {files:?}"));
    let sidecar = PathBuf::from(format!("{}.digest", tarball.display()));
    let recorded = std::fs::read_to_string(&sidecar).unwrap_or_else(|e| {
        panic!(
            "the kernel did not use the digest memo ({e}; files: {files:?}): its digest \
             function is not the one js/hooks/digest-memo.js knows"
        )
    });
    let digest = kernel_digest(tarball, CONSTRUCTS.name, CONSTRUCTS.version);
    assert!(recorded.ends_with(&format!("{digest}\n")), "{recorded}");
    if let Some(root) = jsii_runtime::cache::package_cache_root() {
        let entry = root
            .join(CONSTRUCTS.name)
            .join(CONSTRUCTS.version)
            .join(&digest);
        assert!(
            entry.is_dir(),
            "the kernel used no cache entry {}",
            entry.display()
        );
    }
    let cached = files_under(cache.path());
    assert!(
        !cached.is_empty(),
        "the compile cache stayed empty ({})",
        cache.path().display()
    );
    // A second session reads the memo back instead of rewriting it, and hits the cache.
    let written = std::fs::metadata(&sidecar).and_then(|m| m.modified()).ok();
    child("memo again", &env);
    assert_eq!(
        std::fs::metadata(&sidecar).and_then(|m| m.modified()).ok(),
        written
    );
    assert_eq!(files_under(cache.path()).len(), cached.len());
}

/// Each compile cache file's length and modification time, by path.
fn sizes(dir: &Path) -> std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let meta = std::fs::metadata(&f).expect("stat a cache file");
            let modified = meta.modified().expect("mtime");
            (f, (meta.len(), modified))
        })
        .collect()
}

/// The program identities the compile cache recorded (its `programs` file).
fn programs(dir: &Path) -> Vec<String> {
    let file = files_under(dir)
        .into_iter()
        .find(|f| f.file_name().is_some_and(|n| n == "programs"))
        .unwrap_or_else(|| panic!("no programs file under {}", dir.display()));
    let text = std::fs::read_to_string(file).expect("read programs");
    text.lines().map(str::to_owned).collect()
}

#[test]
fn each_program_adds_what_it_compiled_to_the_compile_cache_once() {
    let scratch = Scratch::new();
    let cache = &scratch.cache;
    let env = scratch.env();
    // This test binary under another path is another program (a hard link keeps it cheap).
    let bin_dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir");
    let exe = std::env::current_exe().expect("test binary path");
    let other = bin_dir.path().join("another-program");
    if std::fs::hard_link(&exe, &other).is_err() {
        std::fs::copy(&exe, &other).expect("copy the test binary");
    }

    child("small", &env);
    let first = sizes(cache.path());
    assert_eq!(programs(cache.path()).len(), 1);

    // Another program that runs more of constructs: the entries it used grow.
    child_of(&other, "more", &env);
    let second = sizes(cache.path());
    let grown: Vec<_> = first
        .iter()
        .filter(|(f, (len, _))| second.get(*f).is_some_and(|(l, _)| l > len))
        .map(|(f, _)| f)
        .collect();
    assert!(
        grown.iter().any(|f| !f.ends_with("programs")),
        "no compile cache entry grew for the second program: {first:?} -> {second:?}"
    );
    assert_eq!(programs(cache.path()).len(), 2);

    // The same program again only reads: nothing is rewritten.
    child_of(&other, "more", &env);
    assert_eq!(
        sizes(cache.path()),
        second,
        "a settled program rewrote the cache"
    );
}

/// aws-cdk-lib's table of region facts (1.4 MB of JavaScript whose top level runs once), in
/// every package cache entry of the pinned aws-cdk-lib: the module whose cache entry a flushed
/// bytecode empties.
fn region_facts_modules() -> Vec<PathBuf> {
    let root = jsii_runtime::cache::package_cache_root().expect("the package cache is on");
    let versions = root.join(AWS_CDK_LIB.name).join(AWS_CDK_LIB.version);
    std::fs::read_dir(&versions)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("region-info/lib/built-ins.generated.js"))
        .filter(|p| p.is_file())
        .collect()
}

#[test]
fn a_long_run_leaves_compile_cache_entries_with_the_code_it_ran() {
    let scratch = Scratch::new();
    let cache = &scratch.cache;
    child("validated synth", &scratch.env());
    // Cache entries are named after the SHA-1 of the module's real path.
    let names: Vec<String> = region_facts_modules()
        .iter()
        .map(|m| {
            node(&format!(
                "console.log(require('crypto').createHash('sha1')\
                 .update(require('fs').realpathSync.native({:?})).digest('hex'))",
                m.display().to_string()
            ))
        })
        .collect();
    let entry = files_under(cache.path())
        .into_iter()
        .find(|f| {
            f.file_name()
                .is_some_and(|n| names.iter().any(|m| n == m.as_str()))
        })
        .unwrap_or_else(|| panic!("no compile cache entry for the region facts ({names:?})"));
    let len = std::fs::metadata(&entry).expect("stat").len();
    // Kept to the end, the module's code is about 2 MB; flushed, the entry is under 1 KB.
    assert!(
        len > 100_000,
        "the region facts' cache entry holds {len} bytes: the kernel's bytecode was flushed \
         before the cache saved it (is --no-flush-bytecode still among DEFAULT_NODE_FLAGS?)"
    );
}

/// The validation report a "validated synth" child printed.
fn report_of(output: &str) -> String {
    output
        .lines()
        .find_map(|l| l.split_once("REPORT ").map(|(_, r)| r))
        .unwrap_or_else(|| panic!("no report in {output}"))
        .to_owned()
}

#[test]
fn a_validating_synth_saves_the_validator_engine_once_then_restores_it() {
    let scratch = Scratch::new();
    let cache = scratch.cache.path();
    let first = report_of(&child("validated synth", &scratch.env()));
    let saved = snapshots(cache);
    if !crate::support::speedup_knows_installed(
        "validatorSnapshots",
        &["@aws/cloudformation-validate"],
    ) {
        // Another validator than js/hooks.json lists: it stepped aside, nothing was saved.
        assert!(saved.is_empty(), "{saved:?}");
        return;
    }
    let names: Vec<&String> = saved.keys().collect();
    assert_eq!(names.len(), 2, "one snapshot, .json and .mem: {names:?}");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = report_of(&child("validated synth", &scratch.env()));
    let used = snapshots(cache);
    assert_eq!(
        saved.keys().collect::<Vec<_>>(),
        used.keys().collect::<Vec<_>>()
    );
    for (name, (len, modified)) in &used {
        let (saved_len, saved_modified) = saved[name];
        if name.ends_with(".mem") {
            assert_eq!(
                (*len, *modified),
                (saved_len, saved_modified),
                "rewritten: {name}"
            );
        } else {
            assert!(
                *modified > saved_modified,
                "the second synth did not use {name}"
            );
        }
    }
    assert!(
        first.contains("NoSuchProperty"),
        "no finding reported: {first}"
    );
    assert_eq!(first, second, "the validation reports differ");
}

#[test]
fn without_the_entry_the_kernel_runs_as_shipped() {
    let scratch = Scratch::new();
    let (tarballs, cache) = (&scratch.tarballs, &scratch.cache);
    let [tarball_dir, compile_cache] = scratch.env();
    child(
        "plain",
        &[
            tarball_dir,
            compile_cache,
            (KERNEL_ENTRY_ENV, Path::new("0")),
        ],
    );
    let files = files_under(tarballs.path());
    assert!(
        files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "tgz"))
    );
    assert!(
        !files.iter().any(|f| {
            let name = f.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".digest") || name.starts_with("kernel-entry-")
        }),
        "{files:?}"
    );
    assert!(files_under(cache.path()).is_empty());
}

#[test]
fn compile_caches_unused_for_a_month_are_pruned() {
    let scratch = Scratch::new();
    let cache = &scratch.cache;
    let stale = cache.path().join("v18.0.0-x64-old");
    let recent = cache.path().join("v20.0.0-x64-recent");
    for dir in [&stale, &recent] {
        std::fs::create_dir_all(dir).expect("mkdir");
        std::fs::write(dir.join("entry"), b"cached").expect("write");
    }
    let forty_days_ago =
        std::time::SystemTime::now() - std::time::Duration::from_secs(40 * 24 * 3600);
    std::fs::File::open(&stale)
        .and_then(|d| d.set_modified(forty_days_ago))
        .expect("set the stale directory's mtime");
    child("prune", &scratch.env());
    assert!(!stale.exists(), "a cache unused for 40 days was kept");
    assert!(recent.exists(), "a cache used recently was removed");
    assert!(
        files_under(cache.path()).len() > 1,
        "the current cache was not filled"
    );
}

/// Copies `from` to `to`, directories recursively.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("readable").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// An upgrade the hooks do not know: `@jsii/runtime` at a version `js/hooks.json` does not
/// list (the pinned bundle, relabelled 1.140.99). The digest memo and the line reader step
/// aside, each with one line under `JSII_DEBUG`, and the session runs as it would without them.
#[test]
fn a_hook_steps_aside_for_a_version_it_does_not_know() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nm = crate::support::linked_node_modules(dir.path(), &["@jsii"]);
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules");
    let runtime = nm.join("@jsii/runtime");
    std::fs::create_dir_all(nm.join("@jsii")).expect("mkdir");
    copy_tree(&project.join("@jsii/runtime"), &runtime);
    let manifest = runtime.join("package.json");
    let text = std::fs::read_to_string(&manifest).expect("package.json");
    let relabelled = text.replacen("\"version\": \"1.140.0\"", "\"version\": \"1.140.99\"", 1);
    assert_ne!(
        text, relabelled,
        "@jsii/runtime is no longer 1.140.0: update this test"
    );
    std::fs::write(&manifest, relabelled).expect("write");

    let scratch = Scratch::new();
    let mut env = scratch.env().to_vec();
    env.push((NODE_MODULES_ENV, nm.as_path()));
    env.push(("JSII_DEBUG", Path::new("1")));
    let mut cmd = Command::new(std::env::current_exe().expect("test binary path"));
    cmd.env(KERNEL_SNAPSHOT_ENV, "0")
        .envs(env.iter().map(|(k, v)| (*k, v.as_os_str())));
    let (_, stderr) = child_command(cmd, "memo");
    for hook in ["digestMemo", "defsReader"] {
        let line = format!(
            "jsii-runtime: {hook} off: @jsii/runtime@1.140.99 is not a version it was written \
             for (hooks.json)"
        );
        assert_eq!(
            stderr.matches(&line).count(),
            1,
            "{hook} did not say once that it stepped aside:\n{stderr}"
        );
    }
    let memo = files_under(scratch.tarballs.path())
        .into_iter()
        .filter(|f| f.to_string_lossy().ends_with(".digest"))
        .collect::<Vec<_>>();
    assert!(
        memo.is_empty(),
        "the memo ran for a version it does not know: {memo:?}"
    );
}
