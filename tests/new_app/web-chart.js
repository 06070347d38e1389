// The cdk8s app bin/new-app writes (jsii/codegen/templates/cdk8s/src/lib.rs), in JavaScript:
// tests/new_app/main.rs synthesizes both and compares the YAML byte for byte.
// Usage: node web-chart.js <outdir> [--namespace]   (--namespace: the edit the test makes)
const { App, Chart } = require('cdk8s');
const kplus = require('cdk8s-plus-32');
const app = new App({ outdir: process.argv[2] });
const chart = new Chart(app, 'web');
const config = new kplus.ConfigMap(chart, 'Config', { data: { GREETING: 'hello from Rust' } });
const deployment = new kplus.Deployment(chart, 'Web', {
  replicas: 2,
  containers: [{
    image: 'nginxinc/nginx-unprivileged:1.27',
    portNumber: 8080,
    envFrom: [kplus.Env.fromConfigMap(config)],
  }],
});
deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
if (process.argv.includes('--namespace')) {
  new kplus.k8s.KubeNamespace(chart, 'Namespace');
}
app.synth();
