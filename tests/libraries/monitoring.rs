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
            TableProps::new()
                .with_partition_key(Attribute::new("orderId", AttributeType::String))
                .with_billing_mode(BillingMode::PayPerRequest),
        )?;
        let queue = Queue::new(
            stack,
            "Work",
            QueueProps::new().with_visibility_timeout(Duration::seconds(45.0)?),
        )?;
        let facade = MonitoringFacade::new(
            stack,
            "Watch",
            MonitoringFacadeProps::new()
                .with_alarm_factory_defaults(
                    AlarmFactoryDefaults::new(true, "Orders").with_datapoints_to_alarm(2.0),
                )
                .with_metric_factory_defaults(MetricFactoryDefaults::new()),
        )?;
        facade
            .add_large_header("Orders service", None, None)?
            .monitor_dynamo_table(
                DynamoTableMonitoringProps::new(&table).with_add_consumed_read_capacity_alarm([(
                    "Warning",
                    ConsumedCapacityThreshold::new(500.0),
                )]),
            )?
            .monitor_sqs_queue(
                SqsQueueMonitoringProps::new(&queue)
                    .with_add_queue_max_size_alarm([
                        ("Warning", MaxMessageCountThreshold::new(100.0)),
                        ("Critical", MaxMessageCountThreshold::new(1000.0)),
                    ])
                    .with_add_queue_max_message_age_alarm([(
                        "Critical",
                        MaxMessageAgeThreshold::new(600.0),
                    )]),
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
