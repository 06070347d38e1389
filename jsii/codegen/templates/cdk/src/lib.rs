//! {{name}}: a CDK app in Rust. This library builds the stack; `main.rs` only runs it, and the
//! tests inspect what it builds.

use aws_cdk_lib::aws_s3::{BlockPublicAccess, Bucket, BucketEncryption, BucketProps};
use aws_cdk_lib::aws_sqs::{DeadLetterQueue, Queue, QueueEncryption, QueueProps};
use aws_cdk_lib::{App, CfnOutput, CfnOutputProps, Duration, Stack};

/// The stack and the constructs a caller (a test, another stack) may want.
#[derive(Debug, Clone)]
pub struct AppStack {
    /// The stack.
    pub stack: Stack,
    /// Where uploads land.
    pub bucket: Bucket,
    /// The work queue; messages that fail three times move to its dead-letter queue.
    pub queue: Queue,
}

/// Adds the stack to `app`.
pub fn build(app: &App) -> Result<AppStack, jsii_runtime::Error> {
    let stack = Stack::new(app, "{{stack_id}}", None)?;
    let bucket = Bucket::new(
        &stack,
        "Uploads",
        BucketProps::builder()
            .encryption(BucketEncryption::S3Managed)
            .block_public_access(&BlockPublicAccess::block_all()?)
            .enforce_ssl(true)
            .build(),
    )?;
    let dead_letters = Queue::new(
        &stack,
        "DeadLetters",
        QueueProps::builder()
            .retention_period(&Duration::days(14)?)
            .encryption(QueueEncryption::SqsManaged)
            .build(),
    )?;
    let queue = Queue::new(
        &stack,
        "Work",
        QueueProps::builder()
            .visibility_timeout(&Duration::seconds(30)?)
            .encryption(QueueEncryption::SqsManaged)
            .dead_letter_queue(
                DeadLetterQueue::builder()
                    .queue(&dead_letters)
                    .max_receive_count(3)
                    .build(),
            )
            .build(),
    )?;
    CfnOutput::new(
        &stack,
        "QueueUrl",
        CfnOutputProps::builder().value(queue.queue_url()?).build(),
    )?;
    Ok(AppStack {
        stack,
        bucket,
        queue,
    })
}
