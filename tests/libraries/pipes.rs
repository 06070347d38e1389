//! `@aws-cdk/aws-pipes-alpha`: the `Pipe` construct calls back a source and a target that the
//! program implements. Here they are Rust (`ISourceImpl`, `ITargetImpl`), and their callbacks
//! call back into aws-cdk-lib (the queues' grants) while JavaScript waits.

use crate::support::{assert_same_template, resources_of_type, synth_js, synth_rust};
use aws_cdk_aws_pipes_alpha::{
    DesiredState, IPipeProxy, ISourceImpl, ISourceProxy, ITargetImpl, ITargetProxy, Pipe,
    PipeProps, SourceConfig, SourceParameters, TargetConfig,
};
use aws_cdk_lib::aws_iam::IRoleProxy;
use aws_cdk_lib::aws_pipes::{
    CfnPipePipeSourceSqsQueueParametersProperty, CfnPipePipeTargetParametersProperty,
};
use aws_cdk_lib::aws_sqs::{Queue, QueueProps};
use std::cell::Cell;
use std::rc::Rc;

/// A queue as a pipe's source, in Rust.
struct QueueSource {
    queue: Queue,
    binds: Rc<Cell<u32>>,
}

impl ISourceImpl for QueueSource {
    fn bind(&self, _pipe: IPipeProxy) -> jsii_runtime::Result<SourceConfig> {
        self.binds.set(self.binds.get() + 1);
        Ok(SourceConfig::builder()
            .source_parameters(
                SourceParameters::builder()
                    .sqs_queue_parameters(
                        CfnPipePipeSourceSqsQueueParametersProperty::builder()
                            .batch_size(5.0)
                            .maximum_batching_window_in_seconds(10.0)
                            .build(),
                    )
                    .build(),
            )
            .build())
    }

    fn grant_read(&self, grantee: IRoleProxy) -> jsii_runtime::Result<()> {
        self.queue.grant_consume_messages(&grantee)?;
        Ok(())
    }

    fn source_arn(&self) -> jsii_runtime::Result<String> {
        self.queue.queue_arn()
    }
}

/// A queue as a pipe's target, in Rust.
struct QueueTarget {
    queue: Queue,
}

impl ITargetImpl for QueueTarget {
    fn bind(&self, _pipe: IPipeProxy) -> jsii_runtime::Result<TargetConfig> {
        Ok(TargetConfig::builder()
            .target_parameters(
                CfnPipePipeTargetParametersProperty::builder()
                    .input_template(r#"{"order": <$.body>}"#)
                    .build(),
            )
            .build())
    }

    fn grant_push(&self, grantee: IRoleProxy) -> jsii_runtime::Result<()> {
        self.queue.grant_send_messages(&grantee)?;
        Ok(())
    }

    fn target_arn(&self) -> jsii_runtime::Result<String> {
        self.queue.queue_arn()
    }
}

#[test]
fn a_pipe_with_a_rust_source_and_target_synthesizes_as_in_javascript() {
    let binds = Rc::new(Cell::new(0));
    let rust = synth_rust("Pipes", |stack| {
        let incoming = Queue::new(stack, "Incoming", QueueProps::builder().build())?;
        let accepted = Queue::new(stack, "Accepted", QueueProps::builder().build())?;
        let source = ISourceProxy::implement(QueueSource {
            queue: incoming,
            binds: binds.clone(),
        })?;
        let target = ITargetProxy::implement(QueueTarget { queue: accepted })?;
        Pipe::new(
            stack,
            "Forward",
            PipeProps::builder()
                .source(&source)
                .target(&target)
                .pipe_name("orders-forward")
                .description("Moves orders from the incoming queue to the accepted queue")
                .desired_state(DesiredState::Running)
                .build(),
        )?;
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(binds.get(), 1, "the pipe binds its source once");

    let pipes = resources_of_type(&rust, "AWS::Pipes::Pipe");
    assert_eq!(pipes.len(), 1, "{rust:#}");
    let props = &pipes[0]["Properties"];
    assert_eq!(
        props["SourceParameters"]["SqsQueueParameters"]["BatchSize"],
        5
    );
    assert_eq!(
        props["TargetParameters"]["InputTemplate"],
        r#"{"order": <$.body>}"#
    );
    // The grants the Rust callbacks made: the pipe's role may read one queue and write the other.
    let policies = resources_of_type(&rust, "AWS::IAM::Policy");
    let actions: Vec<String> = policies
        .iter()
        .flat_map(|p| {
            p["Properties"]["PolicyDocument"]["Statement"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .flat_map(|s| match &s["Action"] {
            serde_json::Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
            serde_json::Value::String(a) => vec![a.clone()],
            _ => vec![],
        })
        .collect();
    assert!(
        actions.iter().any(|a| a == "sqs:ReceiveMessage"),
        "{actions:?}"
    );
    assert!(
        actions.iter().any(|a| a == "sqs:SendMessage"),
        "{actions:?}"
    );

    let js = synth_js("pipes", "Pipes").unwrap_or_else(|e| panic!("{e}"));
    assert_same_template(&rust, &js);
}
