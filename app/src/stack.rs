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
    /// The alarms, their topic and the dashboard (unless context `monitoring` is `false`).
    pub monitoring: Option<crate::monitoring::Monitoring>,
}

/// The function's timeout; Connect waits at most 8 s for it.
const TIMEOUT_SECONDS: f64 = 3.0;

/// Adds the lookup stack to `app`, with construct id `id`.
pub fn build_stack(app: &App, id: &str, settings: &Settings) -> Result<LookupStack, AppError> {
    asset::check_bootstrap(&settings.handler_dir, settings.architecture)?;
    let stack = Stack::new(app, id, None)?;

    let table = Table::new(
        &stack,
        "Customers",
        TableProps::builder()
            .partition_key(
                Attribute::builder()
                    .name("CalledNumber")
                    .r#type(AttributeType::String)
                    .build(),
            )
            .billing_mode(BillingMode::PayPerRequest)
            .point_in_time_recovery_specification(
                PointInTimeRecoverySpecification::builder()
                    .point_in_time_recovery_enabled(true)
                    .build(),
            )
            .encryption(TableEncryption::AwsManaged)
            .removal_policy(RemovalPolicy::Retain)
            .build(),
    )?;

    let log_group = LogGroup::new(
        &stack,
        "LookupLogs",
        LogGroupProps::builder()
            .retention(RetentionDays::OneMonth)
            .removal_policy(RemovalPolicy::Destroy)
            .build(),
    )?;

    // The function's own role, with no managed policy: it may write to its log group and read
    // the table (below), nothing else. (Lambda's default role attaches the broader
    // AWSLambdaBasicExecutionRole.)
    let role = Role::new(
        &stack,
        "LookupRole",
        RoleProps::builder()
            .assumed_by(&ServicePrincipal::new("lambda.amazonaws.com", None)?)
            .description("Runs the Connect customer lookup: writes its log group, reads the table")
            .build(),
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
        FunctionProps::builder()
            // Only the binary: a zip build output in the same directory is not part of the code.
            .code(&Code::from_asset(
                &handler_dir,
                AssetOptions::builder().exclude(["*.zip"]).build(),
            )?)
            .handler("bootstrap")
            .runtime(&Runtime::provided_al2023()?)
            .description("Looks up the caller in DynamoDB for Amazon Connect contact flows.")
            .architecture(&architecture)
            .memory_size(128)
            .timeout(&Duration::seconds(TIMEOUT_SECONDS)?)
            .environment(function_environment(&table.table_name()?, settings))
            .log_group(&log_group)
            .role(&role)
            .build(),
    )?;
    table.grant(&function, &["dynamodb:GetItem"])?;

    let instance_arn = match &settings.connect_instance_arn {
        Some(arn) => arn.clone(),
        None => CfnParameter::new(
            &stack,
            "ConnectInstanceArn",
            CfnParameterProps::builder()
                .r#type("String")
                .allowed_pattern(CONNECT_INSTANCE_ARN_PATTERN)
                .description("ARN of the Amazon Connect instance allowed to invoke the lookup")
                .constraint_description(
                    "an Amazon Connect instance ARN: arn:aws:connect:<region>:<account>:instance/<id>",
                )
                .build(),
        )?
        .value_as_string()?,
    };
    let permission_id = "ConnectInvoke";
    function.add_permission(
        permission_id,
        Permission::builder()
            .principal(&ServicePrincipal::new("connect.amazonaws.com", None)?)
            .action("lambda:InvokeFunction")
            .source_arn(instance_arn.as_str())
            .source_account(stack.account()?)
            .build(),
    )?;
    let association = CfnIntegrationAssociation::new(
        &stack,
        "ConnectIntegration",
        CfnIntegrationAssociationProps::builder()
            .instance_id(instance_arn.as_str())
            .integration_arn(function.function_arn()?)
            .integration_type("LAMBDA_FUNCTION")
            .build(),
    )?;

    let monitoring = match settings.monitoring {
        true => Some(crate::monitoring::add(
            &stack,
            &function,
            TIMEOUT_SECONDS,
            settings.connect_instance_arn.as_deref(),
            settings.alarm_email.as_deref(),
        )?),
        false => None,
    };

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
        CfnOutputProps::builder()
            .value(function.function_arn()?)
            .description(
                "ARN of the lookup function, for the contact flow's Invoke AWS Lambda function block",
            )
            .build(),
    )?;
    CfnOutput::new(
        &stack,
        "TableName",
        CfnOutputProps::builder()
            .value(table.table_name()?)
            .description("The customers table")
            .build(),
    )?;

    Ok(LookupStack {
        stack,
        table,
        function,
        log_group,
        monitoring,
    })
}

/// Writes the original sample's customer (`101`, James Bond) into the table at deploy time,
/// with an `AwsCustomResource` `PutItem` limited to this table.
fn seed_sample_customer(stack: &Stack, table: &Table, date: &str) -> Result<(), AppError> {
    let put = AwsSdkCall::builder()
        .action("putItem")
        .service("DynamoDB")
        .parameters(Any::from_json(json!({
            "TableName": table.table_name()?,
            "Item": {
                "CalledNumber": {"S": "101"},
                "FirstName": {"S": "James"},
                "LastName": {"S": "Bond"},
                "LastCallDate": {"S": date},
            },
        })))
        .physical_resource_id(&PhysicalResourceId::of("sample-customer-101")?)
        .build();
    AwsCustomResource::new(
        stack,
        "SeedSampleCustomer",
        AwsCustomResourceProps::builder()
            .on_create(put)
            .install_latest_aws_sdk(false)
            .policy(&AwsCustomResourcePolicy::from_sdk_calls(
                SdkCallsPolicyOptions::builder()
                    .resources([table.table_arn()?])
                    .build(),
            )?)
            .build(),
    )?;
    // The custom resource's provider is a stack-wide singleton function; aws-cdk-lib names it
    // `AWS` + its UUID without dashes (SingletonFunction).
    let provider_id = format!(
        "AWS{}",
        AwsCustomResource::provider_function_uuid()?.replace('-', "")
    );
    let provider = stack.node()?.find_child(&provider_id)?;
    Validations::of(&provider)?.acknowledge(&[Acknowledgment::builder()
        .id("AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]")
        .reason(
            "The AwsCustomResource provider (opt-in sample data) only runs during deployment; \
             the managed policy lets it write its own logs, and its only data permission is \
             PutItem on this table.",
        )
        .build()])?;
    Ok(())
}

/// A contact flow that looks the caller up, stores the result as contact attributes, greets a
/// known caller by name, and branches on `LookupResult`. The flow language is documented in
/// the Amazon Connect API reference ("Flow language").
/// The function's environment: the table, and the default country when there is one.
fn function_environment(table_name: &str, settings: &Settings) -> Vec<(&'static str, String)> {
    let mut env = vec![(crate::TABLE_NAME_ENV, table_name.to_owned())];
    if let Some(country) = &settings.default_country {
        env.push((crate::DEFAULT_COUNTRY_ENV, country.clone()));
    }
    env
}

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
        CfnContactFlowProps::builder()
            .content(content)
            .instance_arn(instance_arn)
            .name("Customer lookup (sample)")
            .r#type("CONTACT_FLOW")
            .description("Invokes the customer lookup and greets known callers by name.")
            .build(),
    )?)
}
// edit 1 13370
