//! The stack itself.

use crate::asset::{self, Architecture};
use crate::context::Settings;
use crate::error::AppError;
use aws_cdk_lib::aws_connect::{CfnIntegrationAssociation, CfnIntegrationAssociationProps};
use aws_cdk_lib::aws_dynamodb::{
    Attribute, AttributeType, BillingMode, PointInTimeRecoverySpecification, Table,
    TableEncryption, TableProps,
};
use aws_cdk_lib::aws_iam::ServicePrincipal;
use aws_cdk_lib::aws_lambda::{self, Code, Function, FunctionProps, Permission, Runtime};
use aws_cdk_lib::aws_logs::{LogGroup, LogGroupProps, RetentionDays};
use aws_cdk_lib::aws_s3_assets::AssetOptions;
use aws_cdk_lib::{
    App, CfnOutput, CfnOutputProps, CfnParameter, CfnParameterProps, Duration, RemovalPolicy, Stack,
};

/// The pattern an Amazon Connect instance ARN must match (all partitions).
pub const CONNECT_INSTANCE_ARN_PATTERN: &str =
    "^arn:aws[-a-z0-9]*:connect:[-a-z0-9]+:[0-9]{12}:instance/[-a-zA-Z0-9]+$";

/// The constructs of the stack a caller may want to inspect or extend.
#[derive(Debug, Clone)]
pub struct LookupStack {
    /// The stack.
    pub stack: Stack,
    /// The customers table.
    pub table: Table,
    /// The lookup function.
    pub function: Function,
    /// The function's log group.
    pub log_group: LogGroup,
}

/// Adds the lookup stack to `app`, with construct id `id`.
pub fn build_stack(app: &App, id: &str, settings: &Settings) -> Result<LookupStack, AppError> {
    asset::check_bootstrap(&settings.handler_dir, settings.architecture)?;
    let stack = Stack::new(app, id, None)?;

    let table = Table::new(
        &stack,
        "Customers",
        TableProps::new()
            .with_partition_key(Attribute::new("CalledNumber", AttributeType::String))
            .with_billing_mode(BillingMode::PayPerRequest)
            .with_point_in_time_recovery_specification(PointInTimeRecoverySpecification::new(true))
            .with_encryption(TableEncryption::AwsManaged)
            .with_removal_policy(RemovalPolicy::Retain),
    )?;

    let log_group = LogGroup::new(
        &stack,
        "LookupLogs",
        LogGroupProps::new()
            .with_retention(RetentionDays::OneMonth)
            .with_removal_policy(RemovalPolicy::Destroy),
    )?;

    let architecture = match settings.architecture {
        Architecture::Arm64 => aws_lambda::Architecture::arm_64()?,
        Architecture::X86_64 => aws_lambda::Architecture::x86_64()?,
    };
    let handler_dir = settings.handler_dir.display().to_string();
    let function = Function::new(
        &stack,
        "Lookup",
        FunctionProps::new(
            // Only the binary: a zip build output in the same directory is not part of the code.
            Code::from_asset(&handler_dir, AssetOptions::new().with_exclude(["*.zip"]))?,
            "bootstrap",
            Runtime::provided_al2023()?,
        )
        .with_description("Looks up the caller in DynamoDB for Amazon Connect contact flows.")
        .with_architecture(architecture)
        .with_memory_size(128.0)
        .with_timeout(Duration::seconds(3.0)?)
        .with_environment([(crate::TABLE_NAME_ENV, table.table_name()?)])
        .with_log_group(&log_group),
    )?;
    table.grant(&function, &["dynamodb:GetItem"])?;

    let instance_arn = match &settings.connect_instance_arn {
        Some(arn) => arn.clone(),
        None => CfnParameter::new(
            &stack,
            "ConnectInstanceArn",
            CfnParameterProps::new()
                .with_type("String")
                .with_allowed_pattern(CONNECT_INSTANCE_ARN_PATTERN)
                .with_description("ARN of the Amazon Connect instance allowed to invoke the lookup")
                .with_constraint_description(
                    "an Amazon Connect instance ARN: arn:aws:connect:<region>:<account>:instance/<id>",
                ),
        )?
        .value_as_string()?,
    };
    function.add_permission(
        "ConnectInvoke",
        Permission::new(&ServicePrincipal::new("connect.amazonaws.com", None)?)
            .with_action("lambda:InvokeFunction")
            .with_source_arn(instance_arn.as_str())
            .with_source_account(stack.account()?),
    )?;
    CfnIntegrationAssociation::new(
        &stack,
        "ConnectIntegration",
        CfnIntegrationAssociationProps::new(
            instance_arn.as_str(),
            function.function_arn()?,
            "LAMBDA_FUNCTION",
        ),
    )?;

    CfnOutput::new(
        &stack,
        "LambdaFnARN",
        CfnOutputProps::new(function.function_arn()?).with_description(
            "ARN of the lookup function, for the contact flow's Invoke AWS Lambda function block",
        ),
    )?;
    CfnOutput::new(
        &stack,
        "TableName",
        CfnOutputProps::new(table.table_name()?).with_description("The customers table"),
    )?;

    Ok(LookupStack {
        stack,
        table,
        function,
        log_group,
    })
}
