// The program of tests/libraries/solutions.rs, in JavaScript: a LambdaToDynamoDB construct
// from @aws-solutions-constructs/aws-lambda-dynamodb in a stack.
// Usage: node solutions.js <outdir>
'use strict';
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const { LambdaToDynamoDB } = require('@aws-solutions-constructs/aws-lambda-dynamodb');

const app = new cdk.App({ outdir: process.argv[2] });
const stack = new cdk.Stack(app, 'Solutions');
const pattern = new LambdaToDynamoDB(stack, 'Orders', {
  lambdaFunctionProps: {
    code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    memorySize: 256,
    timeout: cdk.Duration.seconds(10),
  },
  dynamoTableProps: {
    partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'placedAt', type: dynamodb.AttributeType.NUMBER },
  },
  tablePermissions: 'Read',
  tableEnvironmentVariableName: 'ORDERS_TABLE',
});
new cdk.CfnOutput(stack, 'TableName', { value: pattern.dynamoTable.tableName });
app.synth();
