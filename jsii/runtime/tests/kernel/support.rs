//! Hand-written package descriptions and helpers shared by the kernel tests.

use jsii_runtime::{Package, Result, rt};
use serde_json::{Value, json};

pub static CONSTRUCTS: Package = Package {
    name: "constructs",
    version: "10.8.1",
    dependencies: &[],
    type_graph: "constructs.Construct - constructs.IConstruct\nconstructs.IConstruct - constructs.IDependable\n",
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
pub static AWS_CDK_LIB: Package = Package {
    name: "aws-cdk-lib",
    version: "2.276.0",
    dependencies: &[&AWSCLI, &PROXY_AGENT, &CLOUD_ASSEMBLY_SCHEMA, &CONSTRUCTS],
    type_graph: "aws-cdk-lib.Stack constructs.Construct aws-cdk-lib.ITaggable\n\
                 aws-cdk-lib.App aws-cdk-lib.Stage\n\
                 aws-cdk-lib.Stage constructs.Construct\n\
                 aws-cdk-lib.Resource constructs.Construct aws-cdk-lib.IResource\n\
                 aws-cdk-lib.aws_dynamodb.TableBase aws-cdk-lib.Resource aws-cdk-lib.aws_dynamodb.ITable\n\
                 aws-cdk-lib.aws_dynamodb.Table aws-cdk-lib.aws_dynamodb.TableBase\n",
};

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
