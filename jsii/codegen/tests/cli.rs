//! The generator's CLI as a user meets it when adding a jsii library: the errors that say what
//! to do (a package not installed, an `[extern]` crate lacking a submodule or generated from
//! another version, a package installed twice), and `bin/regen` recovering from a deleted or
//! broken generated crate. They run the real binary against the project's `node_modules`
//! (bin/setup).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn node_modules() -> PathBuf {
    let nm = root().join("node_modules");
    assert!(
        nm.join("aws-cdk-lib").is_dir(),
        "node_modules is missing: run bin/setup (npm ci) first"
    );
    nm
}

/// Runs `jsii-codegen <dir>/bindings.toml --node-modules <nm>` with `config` as the file.
fn codegen(dir: &Path, config: &str, nm: &Path) -> Output {
    std::fs::write(dir.join("bindings.toml"), config).expect("write config");
    Command::new(env!("CARGO_BIN_EXE_jsii-codegen"))
        .arg(dir.join("bindings.toml"))
        .arg("--node-modules")
        .arg(nm)
        .output()
        .expect("run jsii-codegen")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn app_crate(name: &str) -> String {
    root().join("app/bindings").join(name).display().to_string()
}

#[test]
fn a_package_missing_from_package_json_says_how_to_add_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = codegen(
        dir.path(),
        "[[crate]]\npackage = \"@example/not-installed\"\npath = \"x\"\n",
        &node_modules(),
    );
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("@example/not-installed is not installed"),
        "{err}"
    );
    assert!(
        err.contains("package.json does not list it: add it with `npm install --save-exact @example/not-installed`"),
        "{err}"
    );
}

#[test]
fn an_extern_crate_without_a_needed_submodule_names_the_submodule_to_add() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = format!(
        "[[crate]]\npackage = \"@aws-solutions-constructs/aws-lambda-dynamodb\"\npath = \"s\"\n\
         [extern.constructs]\npath = {:?}\n[extern.aws-cdk-lib]\npath = {:?}\n",
        app_crate("constructs"),
        app_crate("aws-cdk-lib"),
    );
    let out = codegen(dir.path(), &config, &node_modules());
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("holds only some submodules of aws-cdk-lib"),
        "{err}"
    );
    assert!(
        err.contains("submodule \"aws_ec2\": aws-cdk-lib.aws_ec2.VpcProps (needed by @aws-solutions-constructs/aws-lambda-dynamodb.LambdaToDynamoDBProps)"),
        "{err}"
    );
    assert!(
        err.contains("Add \"aws_ec2\" to the `submodules` of aws-cdk-lib"),
        "{err}"
    );
    assert!(
        !dir.path().join("s").exists(),
        "nothing is written on error"
    );
}

#[test]
fn an_extern_crate_generated_from_another_version_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A copy of the constructs crate whose manifest says it came from another version.
    let copy = dir.path().join("constructs");
    std::fs::create_dir_all(&copy).expect("mkdir");
    let manifest = std::fs::read_to_string(root().join("app/bindings/constructs/jsii-types.txt"))
        .expect("the constructs crate's manifest");
    let older = manifest.replace(
        "package constructs 10.8.1 constructs",
        "package constructs 10.0.0 constructs",
    );
    assert_ne!(older, manifest, "the manifest names constructs 10.8.1");
    std::fs::write(copy.join("jsii-types.txt"), older).expect("write");
    let config = format!(
        "[[crate]]\npackage = \"cdk-nag\"\npath = \"nag\"\n[extern.constructs]\npath = \"constructs\"\n\
         [extern.aws-cdk-lib]\npath = {:?}\n",
        app_crate("aws-cdk-lib")
    );
    let out = codegen(dir.path(), &config, &node_modules());
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains(
            "was generated from constructs@10.0.0, but node_modules has constructs@10.8.1"
        ),
        "{err}"
    );
    assert!(err.contains("regenerate that crate"), "{err}");
}

/// A package directory with a minimal jsii assembly.
fn fake_package(dir: &Path, name: &str, version: &str, deps: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let deps: serde_json::Map<String, serde_json::Value> = deps
        .iter()
        .map(|(d, r)| ((*d).to_owned(), serde_json::json!(r)))
        .collect();
    let assembly = serde_json::json!({
        "schema": "jsii/0.10.0", "name": name, "version": version, "dependencies": deps,
        "types": {}, "fingerprint": "x", "jsiiVersion": "6.0.16", "license": "Apache-2.0",
    });
    std::fs::write(dir.join(".jsii"), assembly.to_string()).expect("write .jsii");
    std::fs::write(
        dir.join("package.json"),
        serde_json::json!({"name": name, "version": version}).to_string(),
    )
    .expect("write package.json");
}

#[test]
fn a_package_installed_twice_is_refused_with_the_override_that_fixes_it() {
    // node_modules/lib -> shared@2.0.0 (hoisted); node_modules/helper -> its own shared@1.0.0.
    let dir = tempfile::tempdir().expect("tempdir");
    let nm = dir.path().join("node_modules");
    fake_package(&nm.join("shared"), "shared", "2.0.0", &[]);
    fake_package(
        &nm.join("helper"),
        "helper",
        "1.0.0",
        &[("shared", "^1.0.0")],
    );
    fake_package(
        &nm.join("helper/node_modules/shared"),
        "shared",
        "1.0.0",
        &[],
    );
    fake_package(
        &nm.join("lib"),
        "lib",
        "1.0.0",
        &[("shared", "^2.0.0"), ("helper", "^1.0.0")],
    );
    let out = codegen(
        dir.path(),
        "[[crate]]\npackage = \"lib\"\npath = \"lib\"\n",
        &nm,
    );
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("shared is installed in more than one version"),
        "{err}"
    );
    assert!(
        err.contains("1.0.0 in node_modules/helper/node_modules/shared (for helper)"),
        "{err}"
    );
    assert!(
        err.contains(r#""overrides": { "helper": { "shared": "2.0.0" } }"#),
        "{err}"
    );
}

/// Copies the project's files (tracked and new, as git lists them) into `to`.
fn copy_project(to: &Path) {
    let root = root();
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(&root)
        .output()
        .expect("git ls-files");
    assert!(listed.status.success(), "git ls-files failed");
    for rel in listed.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let rel = Path::new(std::str::from_utf8(rel).expect("utf-8 path"));
        let from = root.join(rel);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&from, &dest).expect("copy");
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("node_modules"), to.join("node_modules"))
        .expect("link node_modules");
}

#[test]
fn regen_recovers_from_a_deleted_and_a_broken_generated_crate() {
    node_modules();
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path();
    copy_project(copy);
    // Delete one generated crate that others depend on, and break another's manifest.
    std::fs::remove_dir_all(copy.join("app/bindings/constructs")).expect("delete");
    let pipes = "tests/libraries/bindings/aws-cdk-aws-pipes-alpha/Cargo.toml";
    std::fs::write(copy.join(pipes), "[package\nthis is not toml").expect("break");
    // Reuse the project's target directory (honoured through CARGO_TARGET_DIR).
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|t| root().join(t))
        .unwrap_or_else(|| root().join("target"));
    let out = Command::new("bash")
        .arg(copy.join("bin/regen"))
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run bin/regen");
    let err = stderr(&out);
    assert!(out.status.success(), "bin/regen failed:\n{err}");
    // The generator builds in its own workspace: nothing needs repairing before it runs.
    assert!(!err.contains("placeholder"), "{err}");
    for file in [
        "app/bindings/constructs/Cargo.toml",
        "app/bindings/constructs/src/lib.rs",
        "app/bindings/constructs/jsii-types.txt",
        pipes,
    ] {
        let restored = std::fs::read_to_string(copy.join(file)).unwrap_or_default();
        let original = std::fs::read_to_string(root().join(file)).expect("original");
        assert!(restored == original, "{file} was not restored by bin/regen");
    }
}
