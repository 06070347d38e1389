// The program of tests/libraries/pipes.rs, in JavaScript: a Pipe from @aws-cdk/aws-pipes-alpha
// whose source and target are implemented by the program (the ISource and ITarget interfaces);
// the pipe calls them back while it is constructed.
// Usage: node pipes.js <outdir>
'use strict';
const cdk = require('aws-cdk-lib');
const sqs = require('aws-cdk-lib/aws-sqs');
const pipes = require('@aws-cdk/aws-pipes-alpha');

class QueueSource {
  constructor(queue) { this.queue = queue; this.sourceArn = queue.queueArn; }
  bind(_pipe) {
    return { sourceParameters: { sqsQueueParameters: { batchSize: 5, maximumBatchingWindowInSeconds: 10 } } };
  }
  grantRead(role) { this.queue.grantConsumeMessages(role); }
}

class QueueTarget {
  constructor(queue) { this.queue = queue; this.targetArn = queue.queueArn; }
  bind(_pipe) {
    return { targetParameters: { inputTemplate: '{"order": <$.body>}' } };
  }
  grantPush(role) { this.queue.grantSendMessages(role); }
}

const app = new cdk.App({ outdir: process.argv[2] });
const stack = new cdk.Stack(app, 'Pipes');
const incoming = new sqs.Queue(stack, 'Incoming');
const accepted = new sqs.Queue(stack, 'Accepted');
new pipes.Pipe(stack, 'Forward', {
  source: new QueueSource(incoming),
  target: new QueueTarget(accepted),
  pipeName: 'orders-forward',
  description: 'Moves orders from the incoming queue to the accepted queue',
  desiredState: pipes.DesiredState.RUNNING,
});
app.synth();
