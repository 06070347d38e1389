"""The Connect lookup stack as a Python CDK app: the comparison app of `bin/bench synth`.

It mirrors app/src/stack.rs (the Rust app) construct by construct, with the same ids, props and
context keys, so the three apps synthesize the same template. aws-cdk-lib and constructs come
from PyPI, pinned in bench/requirements.txt and installed by bin/bench into .venv-bench.
"""

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_connect as connect
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions

CONNECT_INSTANCE_ARN_PATTERN = (
    "^arn:aws[-a-z0-9]*:connect:[-a-z0-9]+:[0-9]{12}:instance/[-a-zA-Z0-9]+$"
)
PROJECT_ROOT = Path(__file__).resolve().parents[3]
ELF_MACHINE = {"arm64": 0xB7, "x86_64": 0x3E}

app = cdk.App()


def text(key):
    value = app.node.try_get_context(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


architecture = text("handlerArchitecture") or "arm64"
if architecture not in ELF_MACHINE:
    raise SystemExit(f"context handlerArchitecture: {architecture}, expected arm64 or x86_64")
handler_dir = text("handlerDir") or str(PROJECT_ROOT / "target" / "lambda" / "connect-lookup")

# The same check as the Rust app (app/src/asset.rs): a 64-bit ELF for the declared architecture.
with open(Path(handler_dir) / "bootstrap", "rb") as f:
    header = f.read(20)
if header[:4] != b"\x7fELF" or int.from_bytes(header[18:20], "little") != ELF_MACHINE[architecture]:
    raise SystemExit(f"{handler_dir}/bootstrap is not an {architecture} executable")

stack = cdk.Stack(app, "ConnectLookupStack")

table = dynamodb.Table(
    stack,
    "Customers",
    partition_key=dynamodb.Attribute(name="CalledNumber", type=dynamodb.AttributeType.STRING),
    billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
    point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
        point_in_time_recovery_enabled=True
    ),
    encryption=dynamodb.TableEncryption.AWS_MANAGED,
    removal_policy=cdk.RemovalPolicy.RETAIN,
)

log_group = logs.LogGroup(
    stack,
    "LookupLogs",
    retention=logs.RetentionDays.ONE_MONTH,
    removal_policy=cdk.RemovalPolicy.DESTROY,
)

# The function's own role, with no managed policy: it may write to its log group and read the
# table, nothing else.
role = iam.Role(
    stack,
    "LookupRole",
    assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
    description="Runs the Connect customer lookup: writes its log group, reads the table",
)
log_group.grant_write(role)

fn = lambda_.Function(
    stack,
    "Lookup",
    code=lambda_.Code.from_asset(handler_dir, exclude=["*.zip"]),
    handler="bootstrap",
    runtime=lambda_.Runtime.PROVIDED_AL2023,
    description="Looks up the caller in DynamoDB for Amazon Connect contact flows.",
    architecture=(
        lambda_.Architecture.ARM_64 if architecture == "arm64" else lambda_.Architecture.X86_64
    ),
    memory_size=128,
    timeout=cdk.Duration.seconds(3),
    environment={"TABLE_NAME": table.table_name},
    log_group=log_group,
    role=role,
)
table.grant(fn, "dynamodb:GetItem")

instance_arn = (
    text("connectInstanceArn")
    or cdk.CfnParameter(
        stack,
        "ConnectInstanceArn",
        type="String",
        allowed_pattern=CONNECT_INSTANCE_ARN_PATTERN,
        description="ARN of the Amazon Connect instance allowed to invoke the lookup",
        constraint_description=(
            "an Amazon Connect instance ARN: arn:aws:connect:<region>:<account>:instance/<id>"
        ),
    ).value_as_string
)
fn.add_permission(
    "ConnectInvoke",
    principal=iam.ServicePrincipal("connect.amazonaws.com"),
    action="lambda:InvokeFunction",
    source_arn=instance_arn,
    source_account=stack.account,
)
connect.CfnIntegrationAssociation(
    stack,
    "ConnectIntegration",
    instance_id=instance_arn,
    integration_arn=fn.function_arn,
    integration_type="LAMBDA_FUNCTION",
)

# Alarms and a dashboard, as app/src/monitoring.rs makes them.
key = kms.Alias.from_alias_name(stack, "AlarmTopicKey", "alias/aws/sns")
topic = sns.Topic(
    stack, "AlarmTopic", display_name="Connect lookup alarms", enforce_ssl=True, master_key=key
)
if text("alarmEmail"):
    topic.add_subscription(subscriptions.EmailSubscription(text("alarmEmail")))
action = actions.SnsAction(topic)
period = cdk.Duration.minutes(5)
errors = fn.metric_errors(statistic="Sum", period=period)
throttles = fn.metric_throttles(statistic="Sum", period=period)
duration = fn.metric_duration(statistic="p99", period=period)
invocations = fn.metric_invocations(statistic="Sum", period=period)


def above(threshold, description):
    return dict(
        evaluation_periods=1,
        threshold=threshold,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        alarm_description=description,
    )


alarms = [
    errors.create_alarm(
        stack,
        "ErrorsAlarm",
        **above(1, "The lookup failed (DynamoDB error or timeout): callers took the flow's Error branch."),
    ),
    throttles.create_alarm(
        stack,
        "ThrottlesAlarm",
        **above(1, "Lambda throttled the lookup: callers took the flow's Error branch."),
    ),
    duration.create_alarm(
        stack,
        "DurationAlarm",
        **above(3 * 1000 * 0.8, "The lookup's p99 duration reached 80% of its timeout."),
    ),
]
instance_id = (text("connectInstanceArn") or "").partition(":instance/")[2]
flow_errors = None
if instance_id:
    flow_errors = cloudwatch.MathExpression(
        expression=(
            'SELECT SUM(ContactFlowErrors) FROM SCHEMA("AWS/Connect", ContactFlowName, '
            f"InstanceId, MetricGroup) WHERE InstanceId = '{instance_id}' AND MetricGroup = 'ContactFlow'"
        ),
        label="ContactFlowErrors",
        period=period,
    )
    alarms.append(
        flow_errors.create_alarm(
            stack,
            "ContactFlowErrorsAlarm",
            **above(1, "A contact flow of the Connect instance hit an error (any block's Error branch)."),
        )
    )
for alarm in alarms:
    alarm.add_alarm_action(action)
widgets = [
    cloudwatch.GraphWidget(title="Invocations and errors", left=[invocations, errors, throttles], width=12),
    cloudwatch.GraphWidget(title="Duration p99 (ms)", left=[duration], width=12),
]
if flow_errors:
    widgets.append(cloudwatch.GraphWidget(title="Contact flow errors", left=[flow_errors], width=12))
widgets.append(cloudwatch.AlarmStatusWidget(title="Alarms", alarms=alarms, width=24))
cloudwatch.Dashboard(stack, "Dashboard").add_widgets(*widgets)

cdk.CfnOutput(
    stack,
    "LambdaFnARN",
    value=fn.function_arn,
    description="ARN of the lookup function, for the contact flow's Invoke AWS Lambda function block",
)
cdk.CfnOutput(stack, "TableName", value=table.table_name, description="The customers table")

app.synth()
