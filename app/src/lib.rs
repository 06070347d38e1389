//! The CDK app: the Amazon Connect customer-lookup stack, written in Rust against the generated
//! aws-cdk-lib bindings (`app/bindings/`). [`build_stack`] adds the stack to an `App`, so tests
//! synthesize it in-process; `main.rs` only wires the kernel's start, the app and the exit code.
//!
//! It must not read the CDK CLI's `CDK_*` variables itself: the jsii kernel inherits the
//! environment and aws-cdk-lib's `App` reads them (output directory, context, validation).
//! Context values the stack understands (`-c key=value` on the CLI, or `cdk.json`) are read
//! through the construct tree, like any CDK app would.
//!
//! The stack:
//! - a DynamoDB table keyed by `CalledNumber` (string), on-demand, point-in-time recovery,
//!   encrypted with an AWS-managed key, retained when the stack is deleted;
//! - the lookup function (`provided.al2023`, arm64 by default, handler `bootstrap`, the
//!   cargo-lambda build output as code, 128 MB, 3 s, `TABLE_NAME`) with its own log group;
//! - `dynamodb:GetItem` on that table only;
//! - a Lambda permission for `connect.amazonaws.com`, scoped by `SourceArn` (the instance) and
//!   `SourceAccount`, and an `AWS::Connect::IntegrationAssociation`;
//! - outputs `LambdaFnARN` and `TableName`.
//!
//! The README's "Rust next to TypeScript" example, compiled here so it stays true:
//!
//! ```no_run
//! use aws_cdk_lib::aws_dynamodb::{Attribute, AttributeType, BillingMode, Table, TableProps};
//! use aws_cdk_lib::aws_lambda::{Architecture, Code, Function, FunctionProps, Runtime};
//! use aws_cdk_lib::{App, Duration, RemovalPolicy, Stack};
//!
//! fn main() -> std::process::ExitCode {
//!     jsii_runtime::main(|| {
//!         let handler_dir = "target/lambda/connect-lookup";
//!         let app = App::new(None)?;
//!         let stack = Stack::new(&app, "ConnectLookupStack", None)?;
//!         let table = Table::new(&stack, "Customers", TableProps::builder()
//!             .partition_key(Attribute::builder().name("CalledNumber").r#type(AttributeType::String).build())
//!             .billing_mode(BillingMode::PayPerRequest)
//!             .removal_policy(RemovalPolicy::Retain)
//!             .build())?;
//!         let function = Function::new(&stack, "Lookup", FunctionProps::builder()
//!             .code(&Code::from_asset(&handler_dir, None)?)
//!             .handler("bootstrap")
//!             .runtime(&Runtime::provided_al2023()?)
//!             .architecture(&Architecture::arm_64()?)
//!             .timeout(&Duration::seconds(3)?)
//!             .environment([("TABLE_NAME", table.table_name()?)])
//!             .build())?;
//!         table.grant(&function, &["dynamodb:GetItem"])?;
//!         let template = app.synth(None)?.get_stack_by_name("ConnectLookupStack")?.template()?;
//!         println!("{}", template.into_json());
//!         Ok(())
//!     })
//! }
//! ```

mod asset;
mod context;
mod error;
pub mod monitoring;
mod stack;

pub use asset::{Architecture, check_bootstrap};
pub use context::{Settings, project_root, today_utc};
pub use error::AppError;
pub use stack::{CONNECT_INSTANCE_ARN_PATTERN, LookupStack, build_stack};

use aws_cdk_lib::App;

/// The name of the environment variable carrying the table name to the function. The handler
/// crate reads the same name (`handler::TABLE_NAME_ENV`); the two crates share no code, so this
/// constant and that one are the contract.
pub const TABLE_NAME_ENV: &str = "TABLE_NAME";

/// The name of the environment variable telling the function which country national numbers
/// belong to (set from context `defaultCountry`); the handler reads the same name
/// (`handler::DEFAULT_COUNTRY_ENV`), as with [`TABLE_NAME_ENV`].
pub const DEFAULT_COUNTRY_ENV: &str = "DEFAULT_COUNTRY";

/// Where cargo-lambda writes the function binary, relative to the project root
/// (`cargo lambda build --release --arm64` for the `connect-lookup` binary). The handler crate
/// states the same path (`handler::BOOTSTRAP_PATH`); the app uses its directory as the code
/// asset.
pub const HANDLER_BOOTSTRAP: &str = "target/lambda/connect-lookup/bootstrap";

/// The command that builds the function for the default architecture.
pub const HANDLER_BUILD_COMMAND: &str =
    "cargo lambda build --release --arm64 -p handler --bin connect-lookup";

/// The construct id of the stack (and the CloudFormation stack name).
pub const STACK_ID: &str = "ConnectLookupStack";

/// What `main` runs: an `App` configured by the CLI's environment, the stack, and `synth`.
pub fn synth_from_env() -> Result<(), AppError> {
    let app = App::new(None)?;
    let settings = Settings::from_app(&app)?;
    build_stack(&app, STACK_ID, &settings)?;
    app.synth(None)?;
    Ok(())
}
