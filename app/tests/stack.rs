//! The stack, synthesized in-process through the generated bindings and checked with the
//! generated `assertions` module (aws-cdk-lib's own `Template` matchers), plus a normalised
//! snapshot. The app gets `cdk.json`'s context, as under the CDK CLI, so the feature flags
//! match what `cdk synth` produces.
//!
//! These need node and `npm ci` (bin/setup). Bless a snapshot change with
//! `UPDATE_GOLDEN=1 cargo test -p app --test stack`.

use app::{AppError, Architecture, Settings, build_stack};
use aws_cdk_lib::assertions::{Match, Template};
use jsii_runtime::Any;
use serde_json::{Value, json};
use std::path::Path;

mod common;
use common::{ARM64, X86_64, fake_build};

#[derive(Debug)]
struct Synth {
    template: Template,
    _out: tempfile::TempDir,
    _build: tempfile::TempDir,
}

fn synth_with(settings: impl FnOnce(&Path) -> Settings) -> Result<Synth, AppError> {
    let build = fake_build(ARM64);
    let out = tempfile::tempdir().expect("tempdir");
    let app = common::app(out.path()).expect("App");
    let lookup = build_stack(&app, app::STACK_ID, &settings(build.path()))?;
    let template = Template::from_stack(&lookup.stack, None)?;
    Ok(Synth {
        template,
        _out: out,
        _build: build,
    })
}

fn synth() -> Synth {
    synth_with(|dir| Settings::new(dir)).expect("the stack synthesizes")
}

/// A literal pattern (aws-cdk-lib matches objects partially, arrays exactly).
fn pattern(value: Value) -> Any {
    Any::from_json(value)
}

#[test]
fn holds_exactly_the_expected_resources() {
    let t = synth().template;
    for (ty, n) in [
        ("AWS::DynamoDB::Table", 1.0),
        ("AWS::Lambda::Function", 1.0),
        ("AWS::Logs::LogGroup", 1.0),
        ("AWS::IAM::Role", 1.0),
        ("AWS::IAM::Policy", 1.0),
        ("AWS::Lambda::Permission", 1.0),
        ("AWS::Connect::IntegrationAssociation", 1.0),
        ("Custom::AWS", 0.0),
        ("AWS::Connect::ContactFlow", 0.0),
    ] {
        t.resource_count_is(ty, n)
            .unwrap_or_else(|e| panic!("{ty}: {e}"));
    }
}

#[test]
fn the_table_is_keyed_on_demand_recoverable_encrypted_and_retained() {
    let t = synth().template;
    t.has_resource(
        "AWS::DynamoDB::Table",
        pattern(json!({
            "Properties": {
                "KeySchema": [{"AttributeName": "CalledNumber", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "CalledNumber", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true},
                "SSESpecification": {"SSEEnabled": true},
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        })),
    )
    .expect("table");
}

#[test]
fn the_function_runs_the_arm64_bootstrap_with_the_table_name() {
    let t = synth().template;
    let table = t
        .get_resource_id("AWS::DynamoDB::Table", None)
        .expect("one table");
    let logs = t
        .get_resource_id("AWS::Logs::LogGroup", None)
        .expect("one log group");
    t.has_resource_properties(
        "AWS::Lambda::Function",
        pattern(json!({
            "Runtime": "provided.al2023",
            "Handler": "bootstrap",
            "Architectures": ["arm64"],
            "MemorySize": 128,
            "Timeout": 3,
            "Environment": {"Variables": {app::TABLE_NAME_ENV: {"Ref": table}}},
            "LoggingConfig": {"LogGroup": {"Ref": logs}},
        })),
    )
    .expect("function");
    t.has_resource_properties(
        "AWS::Logs::LogGroup",
        pattern(json!({"RetentionInDays": 30})),
    )
    .expect("log retention");
}

#[test]
fn the_role_may_write_its_logs_and_get_items_from_the_table_nothing_else() {
    let t = synth().template;
    let table = t
        .get_resource_id("AWS::DynamoDB::Table", None)
        .expect("one table");
    let logs = t
        .get_resource_id("AWS::Logs::LogGroup", None)
        .expect("one log group");
    // Match.objectEquals on the policy document: exactly these statements and actions.
    let document: jsii_runtime::IndexMap<String, Any> = [
        (
            "Statement".to_owned(),
            pattern(json!([
                {
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Effect": "Allow",
                    "Resource": {"Fn::GetAtt": [logs, "Arn"]},
                },
                {
                    "Action": "dynamodb:GetItem",
                    "Effect": "Allow",
                    // A single resource, not a list: cdk.json sets @aws-cdk/aws-iam:minimizePolicies.
                    "Resource": {"Fn::GetAtt": [table, "Arn"]},
                },
            ])),
        ),
        ("Version".to_owned(), Any::from("2012-10-17")),
    ]
    .into_iter()
    .collect();
    let exactly = Match::object_equals(&document).expect("matcher");
    let mut props = jsii_runtime::IndexMap::new();
    props.insert("PolicyDocument".to_owned(), Any::from(&exactly));
    t.has_resource_properties("AWS::IAM::Policy", Any::Map(props))
        .expect("logs and GetItem only");
    // The role has no managed policies (Lambda's default role would attach one).
    let roles = t.find_resources("AWS::IAM::Role", None).expect("roles");
    for (id, role) in roles {
        let role = Any::Map(role).into_json();
        assert!(
            role["Properties"].get("ManagedPolicyArns").is_none(),
            "{id} has managed policies: {role}"
        );
    }
}

#[test]
fn connect_may_invoke_scoped_to_the_instance_and_account() {
    let t = synth().template;
    let function = t
        .get_resource_id("AWS::Lambda::Function", None)
        .expect("one function");
    t.has_resource_properties(
        "AWS::Lambda::Permission",
        pattern(json!({
            "Action": "lambda:InvokeFunction",
            "Principal": "connect.amazonaws.com",
            "FunctionName": {"Fn::GetAtt": [function, "Arn"]},
            "SourceArn": {"Ref": "ConnectInstanceArn"},
            "SourceAccount": {"Ref": "AWS::AccountId"},
        })),
    )
    .expect("permission");
    t.has_resource_properties(
        "AWS::Connect::IntegrationAssociation",
        pattern(json!({
            "InstanceId": {"Ref": "ConnectInstanceArn"},
            "IntegrationType": "LAMBDA_FUNCTION",
            "IntegrationArn": {"Fn::GetAtt": [function, "Arn"]},
        })),
    )
    .expect("integration association");
    t.has_parameter(
        "ConnectInstanceArn",
        pattern(json!({"Type": "String", "AllowedPattern": app::CONNECT_INSTANCE_ARN_PATTERN})),
    )
    .expect("parameter");
    t.has_output(
        "LambdaFnARN",
        pattern(json!({"Value": {"Fn::GetAtt": [function, "Arn"]}})),
    )
    .expect("LambdaFnARN output");
    let table = t
        .get_resource_id("AWS::DynamoDB::Table", None)
        .expect("one table");
    t.has_output("TableName", pattern(json!({"Value": {"Ref": table}})))
        .expect("TableName output");
}

#[test]
fn an_instance_arn_from_context_replaces_the_parameter() {
    let arn = "arn:aws:connect:eu-west-2:123456789012:instance/abcd-1234";
    let synth = synth_with(|dir| Settings {
        connect_instance_arn: Some(arn.to_owned()),
        ..Settings::new(dir)
    })
    .expect("synth");
    let t = synth.template;
    let params = t
        .find_parameters("ConnectInstanceArn", None)
        .expect("find parameters");
    assert!(
        params.is_empty(),
        "no parameter when the ARN is given: {params:?}"
    );
    t.has_resource_properties(
        "AWS::Lambda::Permission",
        pattern(json!({"SourceArn": arn})),
    )
    .expect("literal SourceArn");
}

#[test]
fn a_missing_or_foreign_bootstrap_is_a_clear_error() {
    let empty = tempfile::tempdir().expect("tempdir");
    let err = synth_with(|_| Settings::new(empty.path())).expect_err("no bootstrap");
    assert!(matches!(err, AppError::MissingBootstrap { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("cargo lambda build --release --arm64"),
        "{err}"
    );

    let x86 = fake_build(X86_64);
    let err = synth_with(|_| Settings::new(x86.path())).expect_err("x86 binary, arm64 declared");
    assert!(matches!(err, AppError::WrongArchitecture { .. }), "{err:?}");
    assert!(err.to_string().contains("x86_64 executable"), "{err}");

    let ok = synth_with(|_| Settings {
        architecture: Architecture::X86_64,
        ..Settings::new(x86.path())
    })
    .expect("x86_64 declared and built");
    ok.template
        .has_resource_properties(
            "AWS::Lambda::Function",
            pattern(json!({"Architectures": ["x86_64"]})),
        )
        .expect("x86_64 function");
}

/// The template with what changes between builds (asset hashes) replaced by placeholders.
fn normalised(t: &Template) -> Value {
    let mut json = Any::Map(t.to_json().expect("template JSON")).into_json();
    fn walk(v: &mut Value) {
        match v {
            Value::String(s) => {
                if let Some(stem) = s.strip_suffix(".zip")
                    && stem.len() == 64
                    && stem.chars().all(|c| c.is_ascii_hexdigit())
                {
                    *s = "<asset-hash>.zip".to_owned();
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            Value::Object(m) => m.values_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut json);
    json
}

#[test]
fn the_cloud_assembly_from_synth_holds_the_same_template() {
    // App::synth returns the typed cloud assembly; a stack's template is read from it as JSON.
    let build = fake_build(ARM64);
    let out = tempfile::tempdir().expect("tempdir");
    let app = common::app(out.path()).expect("App");
    let lookup = build_stack(&app, app::STACK_ID, &Settings::new(build.path())).expect("stack");
    let assembly = app.synth(None).expect("synth");
    let artifact = assembly
        .get_stack_by_name(app::STACK_ID)
        .expect("the stack's artifact");
    assert_eq!(artifact.stack_name().expect("name"), app::STACK_ID);
    let from_assembly = artifact.template().expect("template").into_json();
    let from_assertions = Any::Map(
        Template::from_stack(&lookup.stack, None)
            .expect("template")
            .to_json()
            .expect("json"),
    )
    .into_json();
    assert!(
        from_assembly["Resources"]
            .as_object()
            .is_some_and(|r| r.len() > 5)
    );
    assert_eq!(from_assembly, from_assertions);
}

#[test]
fn the_template_matches_the_snapshot() {
    let got = serde_json::to_string_pretty(&normalised(&synth().template)).expect("json") + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/ConnectLookupStack.template.json");
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &got).expect("bless");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == got,
        "the synthesized template changed; review it and bless with \
         UPDATE_GOLDEN=1 cargo test -p app --test stack\n--- got\n{got}"
    );
}

#[test]
fn the_sample_data_variant_seeds_the_original_row_with_a_scoped_put() {
    let synth = synth_with(|dir| Settings {
        seed_sample_customer: true,
        sample_customer_date: "2026-11-25".into(),
        ..Settings::new(dir)
    })
    .expect("synth");
    let t = synth.template;
    t.resource_count_is("Custom::AWS", 1.0)
        .expect("one custom resource");
    let json = Any::Map(t.to_json().expect("template")).into_json();
    let seed = json["Resources"]
        .as_object()
        .expect("resources")
        .values()
        .find(|r| r["Type"] == "Custom::AWS")
        .expect("the seed");
    let create = seed["Properties"]["Create"].to_string();
    for expected in [
        r#"\"action\":\"putItem\""#,
        r#"\"CalledNumber\":{\"S\":\"101\"}"#,
        r#"\"FirstName\":{\"S\":\"James\"}"#,
        r#"\"LastName\":{\"S\":\"Bond\"}"#,
        r#"\"LastCallDate\":{\"S\":\"2026-11-25\"}"#,
    ] {
        assert!(create.contains(expected), "{expected} not in {create}");
    }
    let table = t
        .get_resource_id("AWS::DynamoDB::Table", None)
        .expect("one table");
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern(json!({"PolicyDocument": {"Statement": [{
            "Action": "dynamodb:PutItem",
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [table, "Arn"]},
        }]}})),
    )
    .expect("PutItem on the table only");
}

/// The resources of one type in a synthesized template, by logical id.
fn resources_of(synth: &Synth, kind: &str) -> Vec<(String, Value)> {
    let json = Any::Map(synth.template.to_json().expect("template")).into_json();
    json["Resources"]
        .as_object()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == kind)
        .map(|(id, r)| (id.clone(), r["Properties"].clone()))
        .collect()
}

#[test]
fn alarms_watch_the_function_and_notify_an_encrypted_topic() {
    let plain = synth();
    let alarms = resources_of(&plain, "AWS::CloudWatch::Alarm");
    let metric = |p: &Value| p["MetricName"].as_str().unwrap_or_default().to_owned();
    let mut names: Vec<String> = alarms.iter().map(|(_, p)| metric(p)).collect();
    names.sort();
    assert_eq!(names, ["Duration", "Errors", "Throttles"], "{alarms:?}");
    let topics = resources_of(&plain, "AWS::SNS::Topic");
    assert_eq!(topics.len(), 1);
    let (topic, props) = &topics[0];
    assert!(
        props.get("KmsMasterKeyId").is_some(),
        "an encrypted topic: {props}"
    );
    for (id, p) in &alarms {
        assert_eq!(
            p["AlarmActions"],
            json!([{"Ref": topic}]),
            "{id} notifies the topic"
        );
        assert_eq!(p["TreatMissingData"], "notBreaching", "{id}");
    }
    let duration = alarms
        .iter()
        .find(|(_, p)| metric(p) == "Duration")
        .expect("p99");
    assert_eq!(duration.1["ExtendedStatistic"], "p99");
    assert_eq!(
        duration.1["Threshold"],
        json!(2400),
        "80% of the 3 s timeout, in ms"
    );
    assert_eq!(resources_of(&plain, "AWS::CloudWatch::Dashboard").len(), 1);
    assert!(
        resources_of(&plain, "AWS::SNS::Subscription").is_empty(),
        "no alarmEmail"
    );
    let policies = resources_of(&plain, "AWS::SNS::TopicPolicy");
    assert_eq!(policies.len(), 1);
    let statements = policies[0].1["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        statements.iter().any(|st| st["Effect"] == "Deny"
            && st["Condition"] == json!({"Bool": {"aws:SecureTransport": "false"}})),
        "the topic refuses plain HTTP: {statements:?}"
    );

    let known = synth_with(|dir| Settings {
        connect_instance_arn: Some(
            "arn:aws:connect:us-east-1:123456789012:instance/abcd-1234".into(),
        ),
        alarm_email: Some("ops@example.com".into()),
        ..Settings::new(dir)
    })
    .expect("synth");
    let alarms = resources_of(&known, "AWS::CloudWatch::Alarm");
    assert_eq!(alarms.len(), 4, "the contact flow errors too");
    let flows = alarms
        .iter()
        .find(|(_, p)| p.get("Metrics").is_some())
        .expect("the ContactFlowErrors alarm");
    let query = flows.1["Metrics"][0]["Expression"]
        .as_str()
        .unwrap_or_default();
    assert!(
        query.contains("SUM(ContactFlowErrors)") && query.contains("InstanceId = 'abcd-1234'"),
        "{query}"
    );
    let subscriptions = resources_of(&known, "AWS::SNS::Subscription");
    assert_eq!(subscriptions.len(), 1);
    assert_eq!(subscriptions[0].1["Protocol"], "email");
    assert_eq!(subscriptions[0].1["Endpoint"], "ops@example.com");

    let off = synth_with(|dir| Settings {
        monitoring: false,
        ..Settings::new(dir)
    })
    .expect("synth");
    for kind in [
        "AWS::CloudWatch::Alarm",
        "AWS::SNS::Topic",
        "AWS::CloudWatch::Dashboard",
    ] {
        assert!(
            resources_of(&off, kind).is_empty(),
            "monitoring=false: no {kind}"
        );
    }
}

#[test]
fn the_default_country_reaches_the_function_only_when_set() {
    let env = |synth: &Synth| -> Value {
        let json = Any::Map(synth.template.to_json().expect("template")).into_json();
        let functions: Vec<&Value> = json["Resources"]
            .as_object()
            .expect("resources")
            .values()
            .filter(|r| r["Type"] == "AWS::Lambda::Function")
            .collect();
        assert_eq!(functions.len(), 1, "one function");
        functions[0]["Properties"]["Environment"]["Variables"].clone()
    };
    let plain = synth_with(|dir| Settings::new(dir)).expect("synth");
    assert!(
        env(&plain).get("DEFAULT_COUNTRY").is_none(),
        "{}",
        env(&plain)
    );
    let gb = synth_with(|dir| Settings {
        default_country: Some("GB".into()),
        ..Settings::new(dir)
    })
    .expect("synth");
    assert_eq!(env(&gb)["DEFAULT_COUNTRY"], "GB");
    assert!(env(&gb).get("TABLE_NAME").is_some());
}

#[test]
fn the_contact_flow_variant_invokes_the_function_after_it_is_associated() {
    let synth = synth_with(|dir| Settings {
        sample_contact_flow: true,
        ..Settings::new(dir)
    })
    .expect("synth");
    let t = synth.template;
    t.resource_count_is("AWS::Connect::ContactFlow", 1.0)
        .expect("one flow");
    let json = Any::Map(t.to_json().expect("template")).into_json();
    let resources = json["Resources"].as_object().expect("resources");
    let id_of = |ty: &str| {
        resources
            .iter()
            .find(|(_, r)| r["Type"] == ty)
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| panic!("no {ty}"))
    };
    let flow = &resources[&id_of("AWS::Connect::ContactFlow")];
    let depends: Vec<&str> = flow["DependsOn"]
        .as_array()
        .expect("DependsOn")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        depends.contains(&id_of("AWS::Connect::IntegrationAssociation").as_str()),
        "{depends:?}"
    );
    assert!(
        depends.contains(&id_of("AWS::Lambda::Permission").as_str()),
        "{depends:?}"
    );
    assert_eq!(flow["Properties"]["Type"], "CONTACT_FLOW");
    assert_eq!(
        flow["Properties"]["InstanceArn"],
        json!({"Ref": "ConnectInstanceArn"})
    );
    // The content is flow-language JSON with the function ARN spliced in by Fn::Join.
    let content = flow["Properties"]["Content"]["Fn::Join"][1].to_string();
    for expected in [
        "InvokeLambdaFunction",
        "STRING_MAP",
        "UpdateContactAttributes",
        r#"$.External.LookupResult"#,
        "FOUND",
        "DisconnectParticipant",
    ] {
        assert!(content.contains(expected), "{expected} not in {content}");
    }
    assert!(
        content
            .contains(&json!({"Fn::GetAtt": [id_of("AWS::Lambda::Function"), "Arn"]}).to_string()),
        "{content}"
    );
}
