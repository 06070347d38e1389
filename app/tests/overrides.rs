//! Typed overrides on the real aws-cdk-lib through the generated bindings: a Rust "subclass" of
//! `Stack` whose protected `allocateLogicalId` runs in Rust and calls the JavaScript original,
//! and a construct whose public method is replaced, both driven by the CDK's own synthesis.
//!
//! These need node and `npm ci` (bin/setup).

use aws_cdk_lib::assertions::Template;
use aws_cdk_lib::aws_dynamodb::{Attribute, AttributeType, Table, TableProps};
use aws_cdk_lib::{CfnResource, Stack};
use jsii_runtime::Overrides;

mod common;

fn table(stack: &Stack, id: &str) -> jsii_runtime::Result<Table> {
    Table::new(
        stack,
        id,
        TableProps::builder()
            .partition_key(
                Attribute::builder()
                    .name("CalledNumber")
                    .r#type(AttributeType::String)
                    .build(),
            )
            .build(),
    )
}

#[test]
fn a_stack_allocates_logical_ids_in_rust_through_its_protected_method() -> jsii_runtime::Result<()>
{
    let out = tempfile::tempdir().expect("tempdir");
    let app = common::app(out.path())?;
    let stack = Stack::new_with_overrides(
        &app,
        "Prefixed",
        None,
        Overrides::new().override_method(Stack::ALLOCATE_LOGICAL_ID, |this, (element,)| {
            // The CDK calls this for every CfnElement while it synthesizes.
            let original = Stack::ALLOCATE_LOGICAL_ID.call_super(this, (element,))?;
            Ok(format!("Rs{original}"))
        }),
    )?;
    table(&stack, "Customers")?;
    let mut template = Template::from_stack(&stack, None)?.to_json()?;
    let resources = template
        .shift_remove("Resources")
        .expect("resources")
        .into_json();
    let ids: Vec<&String> = resources.as_object().expect("resources").keys().collect();
    assert!(!ids.is_empty());
    assert!(
        ids.iter().all(|id| id.starts_with("RsCustomers")),
        "every logical id comes from the Rust override: {ids:?}"
    );
    Ok(())
}

#[test]
fn a_resource_renders_its_properties_in_rust() -> jsii_runtime::Result<()> {
    let out = tempfile::tempdir().expect("tempdir");
    let app = common::app(out.path())?;
    let stack = Stack::new(&app, "Rendered", None)?;
    // A raw CloudFormation resource whose protected `renderProperties` is Rust.
    CfnResource::new_with_overrides(
        &stack,
        "Queue",
        aws_cdk_lib::CfnResourceProps::builder()
            .r#type("AWS::SQS::Queue")
            .build(),
        Overrides::new().override_method(CfnResource::RENDER_PROPERTIES, |_this, (_props,)| {
            Ok(jsii_runtime::IndexMap::from([(
                "QueueName".to_owned(),
                jsii_runtime::Any::from("rendered-in-rust"),
            )]))
        }),
    )?;
    let mut template = Template::from_stack(&stack, None)?.to_json()?;
    let resources = template
        .shift_remove("Resources")
        .expect("resources")
        .into_json();
    assert_eq!(
        resources["Queue"]["Properties"],
        serde_json::json!({"QueueName": "rendered-in-rust"})
    );
    Ok(())
}
