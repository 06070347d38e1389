"""Prints what the local AWS emulator holds for one deployed stack, as one JSON document.

Usage: describe_stack.py <stack name>

{"Stack":     {"StackStatus", "Outputs": {key: value}, "Parameters": {key: value}},
 "Resources": [{"LogicalResourceId", "ResourceType", "ResourceStatus"}, ...],
 "Table":     DynamoDB DescribeTable of the stack's table,
 "Function":  Lambda GetFunctionConfiguration of the stack's function,
 "Policy":    the function's resource policy (Lambda GetPolicy), parsed,
 "LogGroup":  CloudWatch Logs DescribeLogGroups entry of the stack's log group}

"Table", "Function", "Policy" and "LogGroup" are null when the stack has no such resource. Run with the
project's .venv python (boto3 comes with moto); app/tests/local/mod.rs calls it through
`Moto::command`, whose environment says where the emulator is (AWS_ENDPOINT_URL), its
credentials and region, and points the AWS config files at nothing: this script sets none of
them, so it talks to what the caller set up and nothing else.
"""

import json
import os
import sys

import boto3


def main(stack_name):
    if not os.environ.get("AWS_ENDPOINT_URL"):
        sys.exit("describe_stack.py: AWS_ENDPOINT_URL is not set: run it through Moto::command")
    session = boto3.Session()

    def client(service):
        return session.client(service)

    cloudformation = client("cloudformation")
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    resources = cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    # moto lists resource types it does not emulate without a LogicalResourceId.
    physical = {
        r["ResourceType"]: r.get("PhysicalResourceId")
        for r in resources
        if "LogicalResourceId" in r
    }

    table = function = policy = log_group = None
    if physical.get("AWS::DynamoDB::Table"):
        dynamodb = client("dynamodb")
        table = dynamodb.describe_table(TableName=physical["AWS::DynamoDB::Table"])["Table"]
    if physical.get("AWS::Lambda::Function"):
        lambda_ = client("lambda")
        name = physical["AWS::Lambda::Function"]
        function = lambda_.get_function_configuration(FunctionName=name)
        function.pop("ResponseMetadata", None)
        policy = json.loads(lambda_.get_policy(FunctionName=name)["Policy"])
    if physical.get("AWS::Logs::LogGroup"):
        name = physical["AWS::Logs::LogGroup"]
        groups = client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
        log_group = next((g for g in groups if g["logGroupName"] == name), None)

    state = {
        "Stack": {
            "StackStatus": stack["StackStatus"],
            "Outputs": {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
            "Parameters": {
                p["ParameterKey"]: p.get("ParameterValue") for p in stack.get("Parameters", [])
            },
        },
        "Resources": [
            {
                "LogicalResourceId": r.get("LogicalResourceId"),
                "ResourceType": r.get("ResourceType"),
                "ResourceStatus": r.get("ResourceStatus"),
            }
            for r in resources
        ],
        "Table": table,
        "Function": function,
        "Policy": policy,
        "LogGroup": log_group,
    }
    json.dump(state, sys.stdout, default=str, sort_keys=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
