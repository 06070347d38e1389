//! `cdk-monitoring-constructs`: a large library (152 classes, 279 structs, unions of a boolean
//! and a map, maps of structs), driven through a fluent facade.

use crate::support::{assert_same_template, resources_of_type, synth_js, synth_rust};
use aws_cdk_lib::Duration;
use aws_cdk_lib::aws_dynamodb::{Attribute, AttributeType, BillingMode, Table, TableProps};
use aws_cdk_lib::aws_sqs::{Queue, QueueProps};
use cdk_monitoring_constructs::{
    AlarmFactoryDefaults, ConsumedCapacityThreshold, DynamoTableMonitoringProps,
    MaxMessageAgeThreshold, MaxMessageCountThreshold, MetricFactoryDefaults, MonitoringFacade,
    MonitoringFacadeProps, SqsQueueMonitoringProps,
};

#[test]
fn a_monitoring_facade_synthesizes_as_in_javascript() {
    let rust = synth_rust("Monitoring", |stack| {
        let table = Table::new(
            stack,
            "Orders",
            TableProps::builder()
                .partition_key(
                    Attribute::builder()
                        .name("orderId")
                        .r#type(AttributeType::String)
                        .build(),
                )
                .billing_mode(BillingMode::PayPerRequest)
                .build(),
        )?;
        let queue = Queue::new(
            stack,
            "Work",
            QueueProps::builder()
                .visibility_timeout(&Duration::seconds(45)?)
                .build(),
        )?;
        let facade = MonitoringFacade::new(
            stack,
            "Watch",
            MonitoringFacadeProps::builder()
                .alarm_factory_defaults(
                    AlarmFactoryDefaults::builder()
                        .actions_enabled(true)
                        .alarm_name_prefix("Orders")
                        .datapoints_to_alarm(2.0)
                        .build(),
                )
                .metric_factory_defaults(MetricFactoryDefaults::builder().build())
                .build(),
        )?;
        facade
            .add_large_header("Orders service", None, None)?
            .monitor_dynamo_table(
                DynamoTableMonitoringProps::builder()
                    .table(&table)
                    .add_consumed_read_capacity_alarm([(
                        "Warning",
                        ConsumedCapacityThreshold::builder()
                            .max_consumed_capacity_units(500.0)
                            .build(),
                    )])
                    .build(),
            )?
            .monitor_sqs_queue(
                SqsQueueMonitoringProps::builder()
                    .queue(&queue)
                    .add_queue_max_size_alarm([
                        (
                            "Warning",
                            MaxMessageCountThreshold::builder()
                                .max_message_count(100.0)
                                .build(),
                        ),
                        (
                            "Critical",
                            MaxMessageCountThreshold::builder()
                                .max_message_count(1000.0)
                                .build(),
                        ),
                    ])
                    .add_queue_max_message_age_alarm([(
                        "Critical",
                        MaxMessageAgeThreshold::builder()
                            .max_age_in_seconds(600.0)
                            .build(),
                    )])
                    .build(),
            )?;
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{e}"));

    // Three alarms named with the prefix, and a dashboard.
    let alarms = resources_of_type(&rust, "AWS::CloudWatch::Alarm");
    assert_eq!(alarms.len(), 4, "{rust:#}");
    for alarm in &alarms {
        let name = alarm["Properties"]["AlarmName"]
            .as_str()
            .unwrap_or_default();
        assert!(name.starts_with("Orders-"), "{alarm:#}");
        assert_eq!(alarm["Properties"]["DatapointsToAlarm"], 2, "{alarm:#}");
    }
    assert!(!resources_of_type(&rust, "AWS::CloudWatch::Dashboard").is_empty());

    let js = synth_js("monitoring", "Monitoring").unwrap_or_else(|e| panic!("{e}"));
    assert_same_template(&rust, &js);
}
