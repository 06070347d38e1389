//! The stack deployed on this machine, with no AWS account: moto server (the AWS emulator pinned
//! in `requirements.txt`) on a free loopback port, the pinned CDK CLI pointed at it, the
//! emulator's view of what got deployed, and the handler binary run against the deployed table.
//! `tests/deploy.rs` and `examples/local-deploy.rs` (`bin/demo`) include this file with `#[path]`.
//!
//! moto needs three things from the CLI (README.md, "Deploying locally", explains them too):
//! 1. the endpoint spelled `http://localhost:<port>`, not `127.0.0.1`: moto's CloudFormation reads
//!    the template's bucket from the `TemplateURL` host unless that host contains "localhost";
//! 2. `--method=direct`: a change-set update fails in moto (`DeleteChangeSet` answers 500), and a
//!    change-set create reports no stack outputs;
//! 3. `--no-previous-parameters` with every parameter passed: moto cannot resolve
//!    `UsePreviousValue` for the SSM-typed `BootstrapVersion` parameter.
//!
//! Only loopback is ever contacted: every `AWS_*` and `CDK_*` variable and proxy setting of the
//! calling environment is dropped, the AWS config files are pointed at nothing, and the CLI's
//! notices (fetched from the internet otherwise), version check and telemetry are off.

// The test and the demo each use a different part of this file.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value;
use testkit::{ChildGuard, Finished, GroupGuard, Outcome, Result, RuntimeApi};

/// The account moto runs as (its default).
pub const ACCOUNT: &str = "123456789012";
/// The region everything is deployed to.
pub const REGION: &str = "us-east-1";
/// The Connect instance the deployed permission is scoped to: the one in the event fixtures.
pub const INSTANCE_ARN: &str =
    "arn:aws:connect:us-east-1:123456789012:instance/9308c2a1-9bc6-4cea-8290-6c0b4a6d38fa";
/// The context every synth against moto needs: its CloudFormation creates no CloudWatch alarms,
/// so the stack goes without them (README, "Deploying locally").
pub const MOTO_CONTEXT: [&str; 2] = ["-c", "monitoring=false"];
/// The emulator's credentials (any value works; these are moto's documented ones).
const CREDENTIALS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_SESSION_TOKEN", "testing"),
];
/// A "no hang" bound for one CLI or build command (a cold release build of the function for
/// arm64 takes about 4 minutes on 2 cores).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// moto server on a free loopback port, stopped on drop (also if this process dies: see
/// `testkit::tethered`).
pub struct Moto {
    server: GroupGuard,
    port: u16,
    dir: tempfile::TempDir,
}

impl Moto {
    /// Starts `.venv/bin/moto_server` bound to 127.0.0.1 and waits until it listens.
    pub fn start() -> Result<Moto> {
        let program = testkit::installed_tool(
            ".venv/bin/moto_server",
            "moto[server], pinned in requirements.txt, into .venv",
        )?;
        let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
        let log = dir.path().join("moto.log");
        let (server, port) = testkit::spawn_on_free_port(
            "moto_server",
            Duration::from_secs(60),
            |port| {
                let file = File::create(&log)
                    .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
                let err = file.try_clone().map_err(|e| e.to_string())?;
                let mut command = testkit::tethered(&program);
                command
                    .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                    .current_dir(dir.path())
                    .env_clear()
                    .envs(["PATH", "HOME"].map(|k| (k, std::env::var(k).unwrap_or_default())))
                    .stdout(file)
                    .stderr(err);
                Ok(command)
            },
            || {
                let output = std::fs::read_to_string(&log).unwrap_or_default();
                format!("; its output:\n{output}")
            },
        )?;
        Ok(Moto { server, port, dir })
    }

    /// `http://localhost:<port>`, the spelling moto's CloudFormation needs (see the module docs).
    pub fn endpoint(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    /// The environment an AWS SDK program needs to use this server's DynamoDB (endpoint, region,
    /// credentials, no instance metadata).
    pub fn dynamodb_env(&self) -> Vec<(String, String)> {
        [
            ("AWS_ENDPOINT_URL_DYNAMODB", self.ip_endpoint().as_str()),
            ("AWS_REGION", REGION),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]
        .into_iter()
        .chain(CREDENTIALS)
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    /// `http://127.0.0.1:<port>`, for clients that should not resolve a name (the handler).
    pub fn ip_endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The last lines moto logged (one per request), for failure messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.dir.path().join("moto.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// A command for `program` that reaches AWS only through this emulator: the caller's AWS and
    /// CDK settings removed, the emulator's endpoint, credentials and region set.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        for (key, _) in std::env::vars_os() {
            let name = key.to_string_lossy().to_ascii_uppercase();
            if name.starts_with("AWS_")
                || name.starts_with("CDK_")
                || ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"].contains(&name.as_str())
            {
                command.env_remove(&key);
            }
        }
        let nowhere = self.dir.path().join("no-aws-config");
        command
            .env("AWS_ENDPOINT_URL", self.endpoint())
            .envs(CREDENTIALS)
            .env("AWS_REGION", REGION)
            .env("AWS_DEFAULT_REGION", REGION)
            .env("AWS_CONFIG_FILE", &nowhere)
            .env("AWS_SHARED_CREDENTIALS_FILE", &nowhere)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("NO_PROXY", "localhost,127.0.0.1")
            .env("CDK_DISABLE_VERSION_CHECK", "1")
            .env("CDK_DISABLE_CLI_TELEMETRY", "1")
            // On Node < 22 the AWS SDK inside the CLI warns, in every CLI process and more than
            // once per process, that its releases after January 2027 need Node 22; the demo
            // says so once instead (`node_notice`). Only that notice is turned off, through the
            // SDK's own switch; errors and other warnings still show.
            .env("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true")
            .env("PATH", testkit::tool_path())
            .current_dir(testkit::root());
        command
    }

    /// What the emulator holds for `stack` (see `describe_stack.py` for the shape), through
    /// boto3 from the project's `.venv`.
    pub fn describe(&self, stack: &str) -> Result<Value> {
        let python = testkit::installed_tool(".venv/bin/python", "a Python virtualenv")?;
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/local/describe_stack.py");
        let mut command = self.command(python);
        command.arg(&script).arg(stack);
        let done = testkit::run_with_timeout(&mut command, Duration::from_secs(120))?;
        if !done.status.success() {
            return Err(format!(
                "describe_stack.py {stack} failed ({}):\n{}",
                done.status, done.stderr
            ));
        }
        serde_json::from_str(&done.stdout)
            .map_err(|e| format!("describe_stack.py printed no JSON ({e}):\n{}", done.stdout))
    }

    /// A DynamoDB client for the emulator (the SDK the handler uses), configured in full here:
    /// nothing is read from the environment or `~/.aws`.
    pub fn dynamodb(&self) -> aws_sdk_dynamodb::Client {
        use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
            .endpoint_url(self.ip_endpoint())
            .build();
        aws_sdk_dynamodb::Client::from_conf(config)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.server.id()
    }
}

/// The project's CDK CLI (`node_modules/.bin/cdk`, pinned in package.json) aimed at [`Moto`],
/// writing its cloud assembly and outputs into a private directory (never the project's
/// `cdk.out`, which a developer's own `cdk` commands use).
pub struct Cdk<'a> {
    moto: &'a Moto,
    program: PathBuf,
    work: PathBuf,
    echo: bool,
}

impl<'a> Cdk<'a> {
    /// The CLI, writing `cdk.out` and `outputs.json` under `work`; with `echo`, each command
    /// line and the CLI's output are copied to stderr as they come.
    pub fn new(moto: &'a Moto, work: &Path, echo: bool) -> Result<Cdk<'a>> {
        let program = testkit::installed_tool(
            "node_modules/.bin/cdk",
            "the aws-cdk CLI pinned in package.json (npm ci)",
        )?;
        Ok(Cdk {
            moto,
            program,
            work: work.to_path_buf(),
            echo,
        })
    }

    /// Runs `cdk <args> --output <private dir> --no-notices`; an error with the CLI's output
    /// when it fails.
    pub fn run(&self, args: &[&str]) -> Result<Finished> {
        let mut command = self.moto.command(&self.program);
        let output = self.assembly().display().to_string();
        let args: Vec<&str> = args
            .iter()
            .copied()
            .chain(["--output", &output, "--no-notices"])
            .collect();
        command.args(&args);
        let line = format!("cdk {}", args.join(" "));
        let done = if self.echo {
            eprintln!("\n$ AWS_ENDPOINT_URL={} {line}", self.moto.endpoint());
            testkit::run_echoed(&mut command, COMMAND_TIMEOUT)?
        } else {
            testkit::run_with_timeout(&mut command, COMMAND_TIMEOUT)?
        };
        if done.status.success() {
            Ok(done)
        } else {
            Err(format!(
                "`{line}` failed ({})\n--- stdout\n{}\n--- stderr\n{}\n--- moto's last requests\n{}",
                done.status,
                done.stdout,
                done.stderr,
                self.moto.log_tail()
            ))
        }
    }

    /// The private cloud assembly directory (`--output`).
    pub fn assembly(&self) -> PathBuf {
        self.work.join("cdk.out")
    }

    /// `cdk synth -q`: the stack's template from the private assembly.
    pub fn synth(&self) -> Result<Value> {
        self.run(&["synth", "-q", app::STACK_ID])?;
        let path = self
            .assembly()
            .join(format!("{}.template.json", app::STACK_ID));
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cdk synth wrote no {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// `cdk bootstrap aws://<account>/<region>`: the CDKToolkit stack (assets bucket, roles,
    /// the version parameter) in the emulator.
    pub fn bootstrap(&self) -> Result<Finished> {
        self.run(&["bootstrap", &format!("aws://{ACCOUNT}/{REGION}")])
    }

    /// `cdk deploy` of the stack with the workarounds moto needs, `-c key=value` for each of
    /// `context`; returns the stack's outputs from `--outputs-file`.
    pub fn deploy(&self, context: &[(&str, &str)]) -> Result<BTreeMap<String, String>> {
        let outputs_file = self.work.join("outputs.json");
        let parameter = format!("ConnectInstanceArn={INSTANCE_ARN}");
        let outputs_arg = outputs_file.display().to_string();
        let context: Vec<String> = context.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut args = vec![
            "deploy",
            app::STACK_ID,
            "--require-approval",
            "never",
            "--method=direct",
            "--no-previous-parameters",
            "--parameters",
            &parameter,
            "--outputs-file",
            &outputs_arg,
        ];
        args.extend(MOTO_CONTEXT);
        for pair in &context {
            args.extend(["-c", pair]);
        }
        self.run(&args)?;
        let text = std::fs::read_to_string(&outputs_file)
            .map_err(|e| format!("cdk deploy wrote no {}: {e}", outputs_file.display()))?;
        let all: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", outputs_file.display()))?;
        all.get(app::STACK_ID)
            .cloned()
            .ok_or_else(|| format!("no outputs for {} in {text}", app::STACK_ID))
    }
}

/// Runs one build step from the project root with a "no hang" bound; an error with its output
/// when it fails.
fn build(command: &mut Command, what: &str) -> Result<()> {
    let done = testkit::run_with_timeout(
        command
            .current_dir(testkit::root())
            .env("PATH", testkit::tool_path()),
        COMMAND_TIMEOUT,
    )?;
    if done.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}\n{}",
            done.status, done.stdout, done.stderr
        ))
    }
}

/// Builds what a deploy needs, as cdk.json's app does first (`bin/cdk-build`: the function for
/// arm64 with cargo-lambda, and the app), so the deploy's own build check passes at once; and the
/// native `connect-lookup` binary that runs the handler locally. Returns that binary.
pub fn build_all() -> Result<PathBuf> {
    build(
        &mut Command::new(testkit::root().join("bin/cdk-build")),
        "bin/cdk-build",
    )?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    build(
        Command::new(cargo).args([
            "build",
            "--quiet",
            "-p",
            "handler",
            "--bin",
            "connect-lookup",
        ]),
        "cargo build -p handler --bin connect-lookup",
    )?;
    handler_binary()
}

/// The native (debug) `connect-lookup` binary: the handler, built for this machine.
pub fn handler_binary() -> Result<PathBuf> {
    let path = testkit::target_dir().join("debug/connect-lookup");
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} not found: build it with `cargo build -p handler --bin connect-lookup`",
            path.display()
        ))
    }
}

/// A copy of the built function (`bootstrap`) in `dir` with one byte appended: the same program
/// with a different asset hash, so a deploy with `-c handlerDir=<dir>` changes the code.
pub fn changed_build(dir: &Path) -> Result<()> {
    let built = testkit::target_path(app::HANDLER_BOOTSTRAP);
    let mut bytes =
        std::fs::read(&built).map_err(|e| format!("cannot read {}: {e}", built.display()))?;
    bytes.push(b'\n');
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(dir.join("bootstrap"), bytes).map_err(|e| format!("{}: {e}", dir.display()))
}

/// Writes a row of string attributes into `table`.
pub async fn put_row(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    row: &[(&str, &str)],
) -> Result<()> {
    let item = row
        .iter()
        .map(|(k, v)| ((*k).to_owned(), AttributeValue::S((*v).to_owned())))
        .collect();
    client
        .put_item()
        .table_name(table)
        .set_item(Some(item))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| {
            format!(
                "PutItem into {table}: {}",
                aws_sdk_dynamodb::error::DisplayErrorContext(e)
            )
        })
}

/// A current-thread runtime for the SDK calls, like the Lambda's.
pub fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime always builds")
        .block_on(future)
}

/// The handler binary running on this machine as the deployed function would: the deployed
/// function's environment variables (its `TABLE_NAME`), the emulator as its DynamoDB endpoint,
/// and a local Lambda Runtime API to hand it events.
pub struct LocalFunction {
    api: RuntimeApi,
    process: ChildGuard,
    dir: tempfile::TempDir,
}

impl LocalFunction {
    /// Starts `binary` with `function`'s environment (a Lambda `GetFunctionConfiguration`, as
    /// [`Moto::describe`] returns it) and waits until it polls for its first event.
    pub fn start(binary: &Path, function: &Value, moto: &Moto) -> Result<LocalFunction> {
        let variables = function["Environment"]["Variables"]
            .as_object()
            .ok_or_else(|| format!("the deployed function has no environment: {function}"))?;
        let mut env: Vec<(String, String)> = variables
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect();
        env.extend(moto.dynamodb_env());
        let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
        let api = RuntimeApi::start()?;
        let (process, _, _) = testkit::start_function(
            binary,
            &[],
            &api,
            &env,
            &dir.path().join("function.log"),
            Duration::from_secs(60),
        )?;
        Ok(LocalFunction { api, process, dir })
    }

    /// Hands `event` to the function and waits for its answer.
    pub fn invoke(&self, event: &Value) -> Result<Outcome> {
        self.api.invoke(event, Duration::from_secs(30))
    }

    /// What the function logged (JSON lines).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("function.log")).unwrap_or_default()
    }
}

/// A one-line notice when `node` is older than the Node 22 LTS the project recommends (the AWS
/// SDK inside the CDK CLI needs it for releases after January 2027), else `None`.
pub fn node_notice() -> Option<String> {
    let out = Command::new("node")
        .arg("--version")
        .env("PATH", testkit::tool_path())
        .output()
        .ok()?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()?;
    (major < 22).then(|| {
        format!(
            "note: node {version}: the AWS SDK in the CDK CLI will need Node 22 for its releases \
             after January 2027 (its warning is silenced here); install Node 22 LTS"
        )
    })
}
