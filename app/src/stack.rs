//! The stack itself.

use crate::asset::{self, Architecture};
use crate::context::Settings;
use crate::error::AppError;
use aws_cdk_lib::aws_connect::{
    CfnContactFlow, CfnContactFlowProps, CfnIntegrationAssociation, CfnIntegrationAssociationProps,
};
use aws_cdk_lib::aws_dynamodb::{
    Attribute, AttributeType, BillingMode, PointInTimeRecoverySpecification, Table,
    TableEncryption, TableProps,
};
use aws_cdk_lib::aws_iam::{Role, RoleProps, ServicePrincipal};
use aws_cdk_lib::aws_lambda::{self, Code, Function, FunctionProps, Permission, Runtime};
use aws_cdk_lib::aws_logs::{LogGroup, LogGroupProps, RetentionDays};
use aws_cdk_lib::aws_s3_assets::AssetOptions;
use aws_cdk_lib::custom_resources::{
    AwsCustomResource, AwsCustomResourcePolicy, AwsCustomResourceProps, AwsSdkCall,
    PhysicalResourceId, SdkCallsPolicyOptions,
};
use aws_cdk_lib::{
    Acknowledgment, App, CfnOutput, CfnOutputProps, CfnParameter, CfnParameterProps, Duration,
    RemovalPolicy, Stack, Validations,
};
use jsii_runtime::Any;
use serde_json::json;

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

    // The function's own role, with no managed policy: it may write to its log group and read
    // the table (below), nothing else. (Lambda's default role attaches the broader
    // AWSLambdaBasicExecutionRole.)
    let role = Role::new(
        &stack,
        "LookupRole",
        RoleProps::new(&ServicePrincipal::new("lambda.amazonaws.com", None)?).with_description(
            "Runs the Connect customer lookup: writes its log group, reads the table",
        ),
    )?;
    log_group.grant_write(&role)?;

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
        .with_log_group(&log_group)
        .with_role(&role),
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
    let permission_id = "ConnectInvoke";
    function.add_permission(
        permission_id,
        Permission::new(&ServicePrincipal::new("connect.amazonaws.com", None)?)
            .with_action("lambda:InvokeFunction")
            .with_source_arn(instance_arn.as_str())
            .with_source_account(stack.account()?),
    )?;
    let association = CfnIntegrationAssociation::new(
        &stack,
        "ConnectIntegration",
        CfnIntegrationAssociationProps::new(
            instance_arn.as_str(),
            function.function_arn()?,
            "LAMBDA_FUNCTION",
        ),
    )?;

    if settings.seed_sample_customer {
        seed_sample_customer(&stack, &table, &settings.sample_customer_date)?;
    }
    if settings.sample_contact_flow {
        let flow = sample_contact_flow(&stack, &function, &instance_arn)?;
        // Creating a flow validates it: the function must already be usable by the instance.
        let node = flow.node()?;
        node.add_dependency(&[&association, &function.node()?.find_child(permission_id)?])?;
    }

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

/// Writes the original sample's customer (`101`, James Bond) into the table at deploy time,
/// with an `AwsCustomResource` `PutItem` limited to this table.
fn seed_sample_customer(stack: &Stack, table: &Table, date: &str) -> Result<(), AppError> {
    let put = AwsSdkCall::new("putItem", "DynamoDB")
        .with_parameters(Any::from_json(json!({
            "TableName": table.table_name()?,
            "Item": {
                "CalledNumber": {"S": "101"},
                "FirstName": {"S": "James"},
                "LastName": {"S": "Bond"},
                "LastCallDate": {"S": date},
            },
        })))
        .with_physical_resource_id(PhysicalResourceId::of("sample-customer-101")?);
    AwsCustomResource::new(
        stack,
        "SeedSampleCustomer",
        AwsCustomResourceProps::new()
            .with_on_create(put)
            .with_install_latest_aws_sdk(false)
            .with_policy(AwsCustomResourcePolicy::from_sdk_calls(
                SdkCallsPolicyOptions::new([table.table_arn()?]),
            )?),
    )?;
    // The custom resource's provider is a stack-wide singleton function; aws-cdk-lib names it
    // `AWS` + its UUID without dashes (SingletonFunction).
    let provider_id = format!(
        "AWS{}",
        AwsCustomResource::provider_function_uuid()?.replace('-', "")
    );
    let provider = stack.node()?.find_child(&provider_id)?;
    Validations::of(&provider)?.acknowledge(&[Acknowledgment::new(
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "The AwsCustomResource provider (opt-in sample data) only runs during deployment; the \
         managed policy lets it write its own logs, and its only data permission is PutItem on \
         this table.",
    )])?;
    Ok(())
}

/// A contact flow that looks the caller up, stores the result as contact attributes, greets a
/// known caller by name, and branches on `LookupResult`. The flow language is documented in
/// the Amazon Connect API reference ("Flow language").
fn sample_contact_flow(
    stack: &Stack,
    function: &Function,
    instance_arn: &str,
) -> Result<CfnContactFlow, AppError> {
    let on_error = |next: &str| json!([{"NextAction": next, "ErrorType": "NoMatchingError"}]);
    let content = json!({
        "Version": "2019-10-30",
        "StartAction": "lookup",
        "Actions": [
            {
                "Identifier": "lookup",
                "Type": "InvokeLambdaFunction",
                "Parameters": {
                    "LambdaFunctionARN": function.function_arn()?,
                    "InvocationTimeLimitSeconds": "3",
                    "InvocationType": "SYNCHRONOUS",
                    "ResponseValidation": {"ResponseType": "STRING_MAP"},
                },
                "Transitions": {"NextAction": "save", "Errors": on_error("sorry")},
            },
            {
                "Identifier": "save",
                "Type": "UpdateContactAttributes",
                "Parameters": {
                    "TargetContact": "Current",
                    "Attributes": {
                        "LookupResult": "$.External.LookupResult",
                        "FirstName": "$.External.FirstName",
                        "LastName": "$.External.LastName",
                        "LastCallDate": "$.External.LastCallDate",
                    },
                },
                "Transitions": {"NextAction": "branch", "Errors": on_error("branch")},
            },
            {
                "Identifier": "branch",
                "Type": "Compare",
                "Parameters": {"ComparisonValue": "$.External.LookupResult"},
                "Transitions": {
                    "NextAction": "welcome",
                    "Conditions": [{
                        "NextAction": "welcome-back",
                        "Condition": {"Operator": "Equals", "Operands": ["FOUND"]},
                    }],
                    "Errors": [{"NextAction": "welcome", "ErrorType": "NoMatchingCondition"}],
                },
            },
            {
                "Identifier": "welcome-back",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "Welcome back, $.Attributes.FirstName."},
                "Transitions": {"NextAction": "bye", "Errors": on_error("bye")},
            },
            {
                "Identifier": "welcome",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "Welcome. Thank you for calling."},
                "Transitions": {"NextAction": "bye", "Errors": on_error("bye")},
            },
            {
                "Identifier": "sorry",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "Sorry, we could not look up your details."},
                "Transitions": {"NextAction": "bye", "Errors": on_error("bye")},
            },
            {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
        ],
    });
    // toJsonString keeps the function ARN token a CloudFormation reference inside the string.
    let content = stack.to_json_string(Any::from_json(content), None)?;
    Ok(CfnContactFlow::new(
        stack,
        "SampleContactFlow",
        CfnContactFlowProps::new(
            content,
            instance_arn,
            "Customer lookup (sample)",
            "CONTACT_FLOW",
        )
        .with_description("Invokes the customer lookup and greets known callers by name."),
    )?)
}
