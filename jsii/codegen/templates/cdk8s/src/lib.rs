//! {{name}}: a cdk8s app in Rust. This library builds the chart; `main.rs` only runs it, and the
//! tests inspect what it builds.

use cdk8s::{App, Chart};
use cdk8s_plus_32::{
    ConfigMap, ConfigMapProps, ContainerProps, Deployment, DeploymentExposeViaServiceOptions,
    DeploymentProps, Env, Service, ServicePort,
};

/// The chart and the constructs a caller (a test, another chart) may want.
#[derive(Debug, Clone)]
pub struct WebChart {
    /// The chart: one manifest file, `dist/{{stack_id}}.k8s.yaml`.
    pub chart: Chart,
    /// The web server: two replicas, configured from a ConfigMap.
    pub deployment: Deployment,
    /// The Service in front of it.
    pub service: Service,
}

/// Adds the chart to `app`.
pub fn build(app: &App) -> Result<WebChart, jsii_runtime::Error> {
    let chart = Chart::new(app, "{{stack_id}}", None)?;
    let config = ConfigMap::new(
        &chart,
        "Config",
        ConfigMapProps::builder()
            .data([("GREETING", "hello from Rust")])
            .build(),
    )?;
    let deployment = Deployment::new(
        &chart,
        "Web",
        DeploymentProps::builder()
            .replicas(2)
            .containers([ContainerProps::builder()
                .image("nginxinc/nginx-unprivileged:1.27")
                .port_number(8080)
                .env_from(&[&Env::from_config_map(&config, None)?])
                .build()])
            .build(),
    )?;
    let service = deployment.expose_via_service(
        DeploymentExposeViaServiceOptions::builder()
            .ports([ServicePort::builder().port(80).target_port(8080).build()])
            .build(),
    )?;
    Ok(WebChart {
        chart,
        deployment,
        service,
    })
}
