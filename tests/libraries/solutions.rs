//! `@aws-solutions-constructs/aws-lambda-dynamodb`: a construct family whose core package has no
//! bindings of its own and is only loaded into the kernel, after aws-cdk-lib and constructs.

use crate::support::{assert_same_template, resources_of_type, synth_js, synth_rust};
use aws_cdk_lib::aws_dynamodb::{Attribute, AttributeType, TableProps};
use aws_cdk_lib::aws_lambda::{Code, FunctionProps, Runtime};
use aws_cdk_lib::{CfnOutput, CfnOutputProps, Duration};
use aws_solutions_constructs_aws_lambda_dynamodb::{LambdaToDynamoDB, LambdaToDynamoDBProps};

#[test]
fn lambda_to_dynamodb_synthesizes_as_in_javascript() {
    let rust = synth_rust("Solutions", |stack| {
        let pattern = LambdaToDynamoDB::new(
            stack,
            "Orders",
            LambdaToDynamoDBProps::builder()
                .lambda_function_props(
                    FunctionProps::builder()
                        .code(&Code::from_inline(
                            "exports.handler = async () => ({ ok: true });",
                        )?)
                        .handler("index.handler")
                        .runtime(&Runtime::nodejs_22_x()?)
                        .memory_size(256.0)
                        .timeout(&Duration::seconds(10)?)
                        .build(),
                )
                .dynamo_table_props(
                    TableProps::builder()
                        .partition_key(
                            Attribute::builder()
                                .name("orderId")
                                .r#type(AttributeType::String)
                                .build(),
                        )
                        .sort_key(
                            Attribute::builder()
                                .name("placedAt")
                                .r#type(AttributeType::Number)
                                .build(),
                        )
                        .build(),
                )
                .table_permissions("Read")
                .table_environment_variable_name("ORDERS_TABLE")
                .build(),
        )?;
        CfnOutput::new(
            stack,
            "TableName",
            CfnOutputProps::builder()
                .value(pattern.dynamo_table()?.table_name()?)
                .build(),
        )?;
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{e}"));

    // The construct did its job: a table keyed as asked, a function that may only read it.
    let tables = resources_of_type(&rust, "AWS::DynamoDB::Table");
    assert_eq!(tables.len(), 1, "{rust:#}");
    assert_eq!(
        tables[0]["Properties"]["KeySchema"],
        serde_json::json!([
            {"AttributeName": "orderId", "KeyType": "HASH"},
            {"AttributeName": "placedAt", "KeyType": "RANGE"},
        ])
    );
    let functions = resources_of_type(&rust, "AWS::Lambda::Function");
    assert_eq!(functions.len(), 1, "{rust:#}");
    assert_eq!(functions[0]["Properties"]["MemorySize"], 256);
    assert!(
        functions[0]["Properties"]["Environment"]["Variables"]["ORDERS_TABLE"].is_object(),
        "{:#}",
        functions[0]
    );

    let js = synth_js("solutions", "Solutions").unwrap_or_else(|e| panic!("{e}"));
    assert_same_template(&rust, &js);
}
