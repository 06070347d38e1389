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

/// How this repository's `bin/app` reaches its generator: built from the checkout it is in, where
/// a new app installs it (the one difference between the two app commands).
const CHECKOUT_GENERATOR: &str = r#"# The toolkit's command line, jsii-codegen, built from this checkout (jsii/codegen, a workspace
# of its own, sharing cargo's target directory) when it is missing or older than its sources.
generator="$target/release/jsii-codegen"
if [ ! -x "$generator" ] || [ -n "$(find jsii/codegen/src jsii/codegen/templates \
  jsii/codegen/Cargo.toml jsii/codegen/Cargo.lock -newer "$generator" -print -quit)" ]; then
  cargo build --quiet --release --locked --manifest-path jsii/codegen/Cargo.toml \
    --target-dir "$target" >&2 || fail "could not build jsii-codegen (see above)"
  touch "$generator"
fi"#;

#[test]
fn the_repository_app_runs_the_template_app_command() {
    let expected = jsii_codegen::template::app_command(
        jsii_codegen::template::Framework::Cdk,
        "app/bindings/bindings.toml",
        CHECKOUT_GENERATOR,
    );
    let path = repo().join("bin/app");
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &expected).expect("write bin/app");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "bin/app is not the template's app command (templates/common/bin/app) with this \
         checkout's generator: it is generated, never edited by hand. Run \
         UPDATE_GOLDEN=1 cargo test --manifest-path jsii/codegen/Cargo.toml --test templates"
    );
    let cdk = std::fs::read_to_string(repo().join("cdk.json")).expect("cdk.json");
    assert!(
        cdk.contains(r#""app": "bin/app""#),
        "cdk.json's app is not bin/app"
    );
}
