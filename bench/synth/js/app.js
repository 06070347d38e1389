// The Connect lookup stack as a plain-JavaScript CDK app: the comparison app of `bin/bench synth`.
// It mirrors app/src/stack.rs (the Rust app) construct by construct, with the same ids, props and
// context keys, so the three apps synthesize the same template. aws-cdk-lib and constructs are
// the project's pinned copies: Node finds them in the project root's node_modules by walking up
// from this directory (no install here).
'use strict';
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const lambda = require('aws-cdk-lib/aws-lambda');
const logs = require('aws-cdk-lib/aws-logs');
const iam = require('aws-cdk-lib/aws-iam');
const connect = require('aws-cdk-lib/aws-connect');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const actions = require('aws-cdk-lib/aws-cloudwatch-actions');
const kms = require('aws-cdk-lib/aws-kms');
const sns = require('aws-cdk-lib/aws-sns');
const subscriptions = require('aws-cdk-lib/aws-sns-subscriptions');

const CONNECT_INSTANCE_ARN_PATTERN =
  '^arn:aws[-a-z0-9]*:connect:[-a-z0-9]+:[0-9]{12}:instance/[-a-zA-Z0-9]+$';
const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const ELF_MACHINE = { arm64: 0xb7, x86_64: 0x3e };

const app = new cdk.App();
const text = (key) => {
  const v = app.node.tryGetContext(key);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};
const architecture = text('handlerArchitecture') ?? 'arm64';
if (!(architecture in ELF_MACHINE)) {
  throw new Error(`context handlerArchitecture: ${architecture}, expected arm64 or x86_64`);
}
const handlerDir =
  text('handlerDir') ?? path.join(PROJECT_ROOT, 'target', 'lambda', 'connect-lookup');

// The same check as the Rust app (app/src/asset.rs): a 64-bit ELF for the declared architecture.
const header = Buffer.alloc(20);
const fd = fs.openSync(path.join(handlerDir, 'bootstrap'), 'r');
fs.readSync(fd, header, 0, 20, 0);
fs.closeSync(fd);
if (header.readUInt32BE(0) !== 0x7f454c46 || header.readUInt16LE(18) !== ELF_MACHINE[architecture]) {
  throw new Error(`${handlerDir}/bootstrap is not an ${architecture} executable`);
}

const stack = new cdk.Stack(app, 'ConnectLookupStack');

const table = new dynamodb.Table(stack, 'Customers', {
  partitionKey: { name: 'CalledNumber', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  encryption: dynamodb.TableEncryption.AWS_MANAGED,
  removalPolicy: cdk.RemovalPolicy.RETAIN,
});

const logGroup = new logs.LogGroup(stack, 'LookupLogs', {
  retention: logs.RetentionDays.ONE_MONTH,
  removalPolicy: cdk.RemovalPolicy.DESTROY,
});

// The function's own role, with no managed policy: it may write to its log group and read the
// table, nothing else.
const role = new iam.Role(stack, 'LookupRole', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  description: 'Runs the Connect customer lookup: writes its log group, reads the table',
});
logGroup.grantWrite(role);

const fn = new lambda.Function(stack, 'Lookup', {
  code: lambda.Code.fromAsset(handlerDir, { exclude: ['*.zip'] }),
  handler: 'bootstrap',
  runtime: lambda.Runtime.PROVIDED_AL2023,
  description: 'Looks up the caller in DynamoDB for Amazon Connect contact flows.',
  architecture: architecture === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
  memorySize: 128,
  timeout: cdk.Duration.seconds(3),
  environment: { TABLE_NAME: table.tableName },
  logGroup,
  role,
});
table.grant(fn, 'dynamodb:GetItem');

const instanceArn =
  text('connectInstanceArn') ??
  new cdk.CfnParameter(stack, 'ConnectInstanceArn', {
    type: 'String',
    allowedPattern: CONNECT_INSTANCE_ARN_PATTERN,
    description: 'ARN of the Amazon Connect instance allowed to invoke the lookup',
    constraintDescription:
      'an Amazon Connect instance ARN: arn:aws:connect:<region>:<account>:instance/<id>',
  }).valueAsString;
fn.addPermission('ConnectInvoke', {
  principal: new iam.ServicePrincipal('connect.amazonaws.com'),
  action: 'lambda:InvokeFunction',
  sourceArn: instanceArn,
  sourceAccount: stack.account,
});
new connect.CfnIntegrationAssociation(stack, 'ConnectIntegration', {
  instanceId: instanceArn,
  integrationArn: fn.functionArn,
  integrationType: 'LAMBDA_FUNCTION',
});

// Alarms and a dashboard, as app/src/monitoring.rs makes them.
const key = kms.Alias.fromAliasName(stack, 'AlarmTopicKey', 'alias/aws/sns');
const topic = new sns.Topic(stack, 'AlarmTopic', {
  displayName: 'Connect lookup alarms',
  enforceSSL: true,
  masterKey: key,
});
if (text('alarmEmail')) {
  topic.addSubscription(new subscriptions.EmailSubscription(text('alarmEmail')));
}
const action = new actions.SnsAction(topic);
const period = cdk.Duration.minutes(5);
const options = (statistic) => ({ statistic, period });
const errors = fn.metricErrors(options('Sum'));
const throttles = fn.metricThrottles(options('Sum'));
const duration = fn.metricDuration(options('p99'));
const invocations = fn.metricInvocations(options('Sum'));
const above = (threshold, alarmDescription) => ({
  evaluationPeriods: 1,
  threshold,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  alarmDescription,
});
const alarms = [
  errors.createAlarm(stack, 'ErrorsAlarm', above(1, 'The lookup failed (DynamoDB error or timeout): callers took the flow\'s Error branch.')),
  throttles.createAlarm(stack, 'ThrottlesAlarm', above(1, 'Lambda throttled the lookup: callers took the flow\'s Error branch.')),
  duration.createAlarm(stack, 'DurationAlarm', above(3 * 1000 * 0.8, 'The lookup\'s p99 duration reached 80% of its timeout.')),
];
const instanceId = (text('connectInstanceArn') ?? '').split(':instance/')[1];
let flowErrors;
if (instanceId) {
  flowErrors = new cloudwatch.MathExpression({
    expression: `SELECT SUM(ContactFlowErrors) FROM SCHEMA("AWS/Connect", ContactFlowName, InstanceId, MetricGroup) WHERE InstanceId = '${instanceId}' AND MetricGroup = 'ContactFlow'`,
    label: 'ContactFlowErrors',
    period,
  });
  alarms.push(flowErrors.createAlarm(stack, 'ContactFlowErrorsAlarm', above(1, 'A contact flow of the Connect instance hit an error (any block\'s Error branch).')));
}
for (const alarm of alarms) {
  alarm.addAlarmAction(action);
}
const graph = (title, left) => new cloudwatch.GraphWidget({ title, left, width: 12 });
const widgets = [
  graph('Invocations and errors', [invocations, errors, throttles]),
  graph('Duration p99 (ms)', [duration]),
];
if (flowErrors) {
  widgets.push(graph('Contact flow errors', [flowErrors]));
}
widgets.push(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24 }));
new cloudwatch.Dashboard(stack, 'Dashboard', {}).addWidgets(...widgets);

new cdk.CfnOutput(stack, 'LambdaFnARN', {
  value: fn.functionArn,
  description: "ARN of the lookup function, for the contact flow's Invoke AWS Lambda function block",
});
new cdk.CfnOutput(stack, 'TableName', {
  value: table.tableName,
  description: 'The customers table',
});

app.synth();
