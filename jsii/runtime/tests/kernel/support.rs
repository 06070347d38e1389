//! Package descriptions (read from node_modules) and helpers shared by the kernel tests.

use jsii_runtime::{Package, Result, rt};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex};

/// The packages as installed: versions and jsii dependencies come from `node_modules` (the
/// kernel loads exactly the installed version), so `npm install aws-cdk-lib@<version>` needs
/// no edit here. The type graphs are the few types these tests downcast.
pub static CONSTRUCTS: LazyLock<Package> = LazyLock::new(|| {
    installed(
        "constructs",
        "constructs.Construct - constructs.IConstruct\nconstructs.IConstruct - constructs.IDependable\n",
    )
});
pub static AWS_CDK_LIB: LazyLock<Package> = LazyLock::new(|| {
    installed(
        "aws-cdk-lib",
        "aws-cdk-lib.Stack constructs.Construct aws-cdk-lib.ITaggable\n\
         aws-cdk-lib.App aws-cdk-lib.Stage\n\
         aws-cdk-lib.Stage constructs.Construct\n\
         aws-cdk-lib.Resource constructs.Construct aws-cdk-lib.IResource\n\
         aws-cdk-lib.aws_dynamodb.TableBase aws-cdk-lib.Resource aws-cdk-lib.aws_dynamodb.ITable\n\
         aws-cdk-lib.aws_dynamodb.Table aws-cdk-lib.aws_dynamodb.TableBase\n",
    )
});

/// The project's `node_modules` (bin/setup installs it).
fn project_node_modules() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules")
}

/// `name` as installed, with its jsii dependencies (its `dependencies` and `peerDependencies`
/// that hold an assembly), in package.json order, each described the same way. Leaked: a
/// `Package` is `'static`, and there are a handful per test binary.
fn installed(name: &'static str, type_graph: &'static str) -> Package {
    static KNOWN: Mutex<BTreeMap<String, &'static Package>> = Mutex::new(BTreeMap::new());
    fn dependency(name: &str) -> &'static Package {
        if let Some(p) = KNOWN.lock().expect("lock").get(name) {
            return p;
        }
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        let package: &'static Package = Box::leak(Box::new(installed(name, "")));
        KNOWN.lock().expect("lock").insert(name.to_owned(), package);
        package
    }
    let dir = project_node_modules().join(name);
    let manifest: Value = std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| panic!("{name} is not installed in node_modules: run bin/setup"));
    let version = manifest["version"].as_str().expect("a version").to_owned();
    let mut dependencies = Vec::new();
    for key in ["dependencies", "peerDependencies"] {
        for dep in manifest[key]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            if project_node_modules().join(dep).join(".jsii").is_file()
                && !dependencies.iter().any(|d: &&Package| d.name == dep)
            {
                dependencies.push(dependency(dep));
            }
        }
    }
    Package {
        name,
        version: Box::leak(version.into_boxed_str()),
        dependencies: Box::leak(dependencies.into_boxed_slice()),
        type_graph,
    }
}

/// A fresh output directory for one synth, removed with the guard.
pub fn outdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("jsii-rs-test-cdk.out")
        .tempdir()
        .expect("temp dir")
}

/// `new App({ outdir, builtinCloudFormationValidation: false })`.
pub fn app(outdir: &std::path::Path) -> Result<jsii_runtime::ObjRef> {
    rt::create(
        &AWS_CDK_LIB,
        "aws-cdk-lib.App",
        vec![rt::struct_to_wire(
            "aws-cdk-lib.AppProps",
            vec![
                ("outdir", json!(outdir.display().to_string())),
                ("builtinCloudFormationValidation", json!(false)),
            ],
        )],
    )
}

/// Reads `<outdir>/<stack>.template.json`.
pub fn template(outdir: &std::path::Path, stack: &str) -> Value {
    let path = outdir.join(format!("{stack}.template.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("no template at {}: {e}", path.display()));
    serde_json::from_str(&text).expect("template is JSON")
}

/// The resources of `template` whose `Type` is `ty`.
pub fn resources_of_type<'a>(template: &'a Value, ty: &str) -> Vec<(&'a String, &'a Value)> {
    template["Resources"]
        .as_object()
        .expect("Resources")
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .collect()
}

/// A `node_modules` in `dir` linking every package of the project's, except `.cache` and the
/// names in `except` (for the caller to put its own in their place).
pub fn linked_node_modules(dir: &std::path::Path, except: &[&str]) -> std::path::PathBuf {
    let nm = dir.join("node_modules");
    std::fs::create_dir_all(&nm).expect("mkdir");
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules");
    for entry in std::fs::read_dir(&project).expect("the project's node_modules (bin/setup)") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name != ".cache" && !except.iter().any(|e| name == *e) {
            std::os::unix::fs::symlink(entry.path(), nm.join(&name)).expect("link");
        }
    }
    nm
}

/// Whether the speed-up `hook` of `js/hooks.json` knows the installed version of every one of
/// `packages` (a package bundled inside aws-cdk-lib is looked up there first). After an upgrade
/// to a version it does not list, the speed-up steps aside (slower, never different), and its
/// tests assert that instead of what it saves, until its tests pass with the new version and the
/// version is added there.
pub fn speedup_knows_installed(hook: &str, packages: &[&str]) -> bool {
    let manifest: Value =
        serde_json::from_str(include_str!("../../js/hooks.json")).expect("js/hooks.json is JSON");
    let nm = project_node_modules();
    packages.iter().all(|name| {
        let version = [
            nm.join("aws-cdk-lib/node_modules").join(name),
            nm.join(name),
        ]
        .iter()
        .find_map(|dir| {
            let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
            let manifest: Value = serde_json::from_str(&text).ok()?;
            manifest["version"].as_str().map(str::to_owned)
        });
        let known = manifest[hook][*name].as_array();
        version.is_some_and(|v| known.is_some_and(|k| k.iter().any(|x| x == v.as_str())))
    })
}

/// The packages a kernel's first aws-cdk-lib load loads, for [`speedup_knows_installed`].
pub fn first_loads_of_aws_cdk_lib() -> Vec<&'static str> {
    let mut names = vec![AWS_CDK_LIB.name];
    names.extend(AWS_CDK_LIB.dependencies.iter().map(|d| d.name));
    names
}
