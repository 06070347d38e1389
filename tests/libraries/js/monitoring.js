// The program of tests/libraries/monitoring.rs, in JavaScript: a MonitoringFacade from
// cdk-monitoring-constructs watching a table and a queue, with alarms and a dashboard.
// Usage: node monitoring.js <outdir>
'use strict';
const cdk = require('aws-cdk-lib');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const sqs = require('aws-cdk-lib/aws-sqs');
const { MonitoringFacade } = require('cdk-monitoring-constructs');

const app = new cdk.App({ outdir: process.argv[2] });
const stack = new cdk.Stack(app, 'Monitoring');
const table = new dynamodb.Table(stack, 'Orders', {
  partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
});
const queue = new sqs.Queue(stack, 'Work', { visibilityTimeout: cdk.Duration.seconds(45) });
const facade = new MonitoringFacade(stack, 'Watch', {
  alarmFactoryDefaults: { actionsEnabled: true, alarmNamePrefix: 'Orders', datapointsToAlarm: 2 },
  metricFactoryDefaults: {},
});
facade
  .addLargeHeader('Orders service')
  .monitorDynamoTable({ table, addConsumedReadCapacityAlarm: { Warning: { maxConsumedCapacityUnits: 500 } } })
  .monitorSqsQueue({
    queue,
    addQueueMaxSizeAlarm: { Warning: { maxMessageCount: 100 }, Critical: { maxMessageCount: 1000 } },
    addQueueMaxMessageAgeAlarm: { Critical: { maxAgeInSeconds: 600 } },
  });
app.synth();
