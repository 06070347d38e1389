//! The new-app templates pin what this repository tests: the npm versions it shares with the
//! repository's own app and the CDK feature flags of its `cdk.json`. An upgrade here changes
//! both, so the template cannot fall behind the app that CI exercises every day.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_templates_pin_the_versions_the_repository_tests() {
    let root = json(&repo().join("package.json"));
    for framework in ["cdk", "cdk8s"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("templates")
            .join(framework);
        let template = json(&dir.join("package.json"));
        let lock = json(&dir.join("package-lock.json"));
        for (name, version) in template["dependencies"].as_object().expect("dependencies") {
            if let Some(tested) = root["dependencies"].get(name) {
                assert_eq!(
                    version, tested,
                    "templates/{framework}/package.json pins {name} {version}, the repository \
                     {tested}: change both (and regenerate the template's package-lock.json \
                     with npm install --package-lock-only)"
                );
            }
            let locked = &lock["packages"][format!("node_modules/{name}")]["version"];
            assert_eq!(
                locked, version,
                "templates/{framework}/package-lock.json is not the lockfile of its \
                 package.json: run npm install --package-lock-only there"
            );
        }
        assert_eq!(
            template["overrides"],
            root["overrides"]["@jsii/runtime"]
                .as_object()
                .map_or(Value::Null, |o| serde_json::json!({ "@jsii/runtime": o })),
            "templates/{framework}/package.json's overrides differ from the repository's"
        );
    }
    let flags = |p: &Path| json(p)["context"].clone();
    assert_eq!(
        flags(&repo().join("cdk.json")),
        flags(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/cdk/cdk.json")),
        "templates/cdk/cdk.json's feature flags differ from the repository's cdk.json"
    );
}
