//! Alarms and a dashboard for the lookup: the function's errors, throttles and p99 duration
//! against its timeout, and, when the Connect instance is known at synth, the instance's contact
//! flow errors. Alarms notify an SNS topic (encrypted with the AWS-managed key, TLS only), with
//! an email subscription when context `alarmEmail` names an address.

use crate::error::AppError;
use aws_cdk_lib::aws_cloudwatch::{
    Alarm, AlarmStatusWidget, AlarmStatusWidgetProps, ComparisonOperator, CreateAlarmOptions,
    Dashboard, DashboardProps, GraphWidget, GraphWidgetProps, IWidget, MathExpression,
    MathExpressionProps, MetricOptions, TreatMissingData,
};
use aws_cdk_lib::aws_cloudwatch_actions::SnsAction;
use aws_cdk_lib::aws_kms::Alias;
use aws_cdk_lib::aws_lambda::Function;
use aws_cdk_lib::aws_sns::{Topic, TopicProps};
use aws_cdk_lib::aws_sns_subscriptions::EmailSubscription;
use aws_cdk_lib::interfaces::aws_cloudwatch::IAlarmRef;
use aws_cdk_lib::{Duration, Stack};

/// The period every alarm and graph of the lookup uses.
const PERIOD_MINUTES: f64 = 5.0;

/// What [`add`] made.
#[derive(Debug, Clone)]
pub struct Monitoring {
    /// The topic the alarms notify.
    pub topic: Topic,
    /// Every alarm, in the order they were made.
    pub alarms: Vec<Alarm>,
    /// The dashboard.
    pub dashboard: Dashboard,
}

/// The Connect instance id of an instance ARN (`arn:...:instance/<id>`), if it has one.
pub fn instance_id(instance_arn: &str) -> Option<&str> {
    instance_arn
        .rsplit_once(":instance/")
        .map(|(_, id)| id)
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

/// Adds the topic, the alarms and the dashboard for `function` (whose timeout is
/// `timeout_seconds`) to `stack`; `instance_arn` is the Connect instance when known at synth.
pub fn add(
    stack: &Stack,
    function: &Function,
    timeout_seconds: f64,
    instance_arn: Option<&str>,
    alarm_email: Option<&str>,
) -> Result<Monitoring, AppError> {
    let key = Alias::from_alias_name(stack, "AlarmTopicKey", "alias/aws/sns")?;
    let topic = Topic::new(
        stack,
        "AlarmTopic",
        TopicProps::builder()
            .display_name("Connect lookup alarms")
            .enforce_ssl(true)
            .master_key(&key)
            .build(),
    )?;
    if let Some(email) = alarm_email {
        topic.add_subscription(&EmailSubscription::new(email, None)?)?;
    }
    let action = SnsAction::new(&topic)?;
    let period = Duration::minutes(PERIOD_MINUTES)?;
    let options = |statistic: &str| {
        MetricOptions::builder()
            .statistic(statistic)
            .period(&period)
            .build()
    };
    let errors = function.metric_errors(options("Sum"))?;
    let throttles = function.metric_throttles(options("Sum"))?;
    let duration = function.metric_duration(options("p99"))?;
    let invocations = function.metric_invocations(options("Sum"))?;

    let above = |threshold: f64, description: &str| {
        CreateAlarmOptions::builder()
            .evaluation_periods(1)
            .threshold(threshold)
            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
            .treat_missing_data(TreatMissingData::NotBreaching)
            .alarm_description(description)
            .build()
    };
    let mut alarms = vec![
        errors.create_alarm(
            stack,
            "ErrorsAlarm",
            above(
                1.0,
                "The lookup failed (DynamoDB error or timeout): callers took the flow's Error branch.",
            ),
        )?,
        throttles.create_alarm(
            stack,
            "ThrottlesAlarm",
            above(1.0, "Lambda throttled the lookup: callers took the flow's Error branch."),
        )?,
        // 80% of the timeout: the lookup is close to failing by time before it does.
        duration.create_alarm(
            stack,
            "DurationAlarm",
            above(
                timeout_seconds * 1000.0 * 0.8,
                "The lookup's p99 duration reached 80% of its timeout.",
            ),
        )?,
    ];
    let flow_errors = match instance_arn.and_then(instance_id) {
        Some(id) => {
            let query = format!(
                "SELECT SUM(ContactFlowErrors) FROM SCHEMA(\"AWS/Connect\", ContactFlowName, \
                 InstanceId, MetricGroup) WHERE InstanceId = '{id}' AND MetricGroup = 'ContactFlow'"
            );
            let expression = MathExpression::new(
                MathExpressionProps::builder()
                    .expression(query)
                    .label("ContactFlowErrors")
                    .period(&period)
                    .build(),
            )?;
            alarms.push(expression.create_alarm(
                stack,
                "ContactFlowErrorsAlarm",
                above(
                    1.0,
                    "A contact flow of the Connect instance hit an error (any block's Error branch).",
                ),
            )?);
            Some(expression)
        }
        None => None,
    };
    for alarm in &alarms {
        alarm.add_alarm_action(&[&action])?;
    }

    let graph = |title: &str, left: &[&dyn aws_cdk_lib::aws_cloudwatch::IMetric]| {
        GraphWidget::new(
            GraphWidgetProps::builder()
                .title(title)
                .left(left)
                .width(12)
                .build(),
        )
    };
    let mut widgets: Vec<Box<dyn IWidget>> = vec![
        Box::new(graph(
            "Invocations and errors",
            &[&invocations, &errors, &throttles],
        )?),
        Box::new(graph("Duration p99 (ms)", &[&duration])?),
    ];
    if let Some(expression) = &flow_errors {
        widgets.push(Box::new(graph("Contact flow errors", &[expression])?));
    }
    let refs: Vec<&dyn IAlarmRef> = alarms.iter().map(|a| a as &dyn IAlarmRef).collect();
    widgets.push(Box::new(AlarmStatusWidget::new(
        AlarmStatusWidgetProps::builder()
            .title("Alarms")
            .alarms(&refs)
            .width(24)
            .build(),
    )?));
    let dashboard = Dashboard::new(stack, "Dashboard", DashboardProps::builder().build())?;
    let rows: Vec<&dyn IWidget> = widgets.iter().map(|w| w.as_ref()).collect();
    dashboard.add_widgets(&rows)?;
    Ok(Monitoring {
        topic,
        alarms,
        dashboard,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_instance_id_is_the_arns_last_segment() {
        assert_eq!(
            instance_id("arn:aws:connect:us-east-1:123456789012:instance/abcd-1234"),
            Some("abcd-1234")
        );
        assert_eq!(
            instance_id("arn:aws:connect:us-east-1:123456789012:instance/"),
            None
        );
        assert_eq!(instance_id("not an arn"), None);
    }
}
