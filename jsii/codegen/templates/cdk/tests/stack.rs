//! The stack's template, through aws-cdk-lib's own assertions (`Template`; its
//! `has_resource_properties` matches the given properties as a subset, like `Match.objectLike`).

use aws_cdk_lib::App;
use aws_cdk_lib::assertions::Template;
use jsii_runtime::Any;
use serde_json::json;

#[test]
fn the_work_queue_sends_failed_messages_to_its_dead_letter_queue() -> Result<(), jsii_runtime::Error> {
    let app = App::new(None)?;
    let built = {{crate}}::build(&app)?;
    let template = Template::from_stack(&built.stack, None)?;
    template.resource_count_is("AWS::SQS::Queue", 2)?;
    template.has_resource_properties(
        "AWS::SQS::Queue",
        Any::from_json(json!({
            "VisibilityTimeout": 30,
            "RedrivePolicy": {"maxReceiveCount": 3},
        })),
    )?;
    template.has_resource_properties(
        "AWS::S3::Bucket",
        Any::from_json(json!({
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            }
        })),
    )?;
    template.has_output("QueueUrl", Any::from_json(json!({})))?;
    Ok(())
}
