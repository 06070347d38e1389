//! The chart's manifests, through cdk8s's own `Testing.synth`.

use cdk8s::Testing;
use serde_json::{Value, json};

#[test]
fn the_deployment_is_exposed_and_configured() -> Result<(), jsii_runtime::Error> {
    let app = Testing::app(None)?;
    let built = {{crate}}::build(&app)?;
    let manifests: Vec<Value> = Testing::synth(&built.chart)?
        .into_iter()
        .map(jsii_runtime::Any::into_json)
        .collect();
    let kinds: Vec<&str> = manifests.iter().filter_map(|m| m["kind"].as_str()).collect();
    assert_eq!(kinds, ["ConfigMap", "Deployment", "Service"]);
    let deployment = &manifests[1];
    assert_eq!(deployment["spec"]["replicas"], json!(2));
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["ports"][0]["containerPort"], json!(8080));
    assert_eq!(
        container["envFrom"][0]["configMapRef"]["name"],
        manifests[0]["metadata"]["name"]
    );
    assert_eq!(manifests[2]["spec"]["ports"][0]["port"], json!(80));
    Ok(())
}
