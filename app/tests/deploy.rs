//! The stack deployed for real, without an AWS account: the pinned CDK CLI runs `cdk bootstrap`
//! and `cdk deploy` against moto server (a local AWS emulator) on loopback, and the emulator's
//! own APIs say what got created. Then the handler binary, run on this machine with the deployed
//! function's environment, finds a row put into the deployed table; and a deploy of changed
//! function code updates the function in place.
//!
//! One test, so the emulator starts and the account is bootstrapped once. It needs what
//! `bin/setup` installs (node_modules with the CLI, .venv with moto and cargo-lambda); a missing
//! tool fails the test with a message naming `bin/setup`. What moto does not emulate (the
//! function's architecture, point-in-time recovery, the Connect integration, invoking the
//! function) is listed in the README, "Deploying locally".

mod local;

use local::{ACCOUNT, Cdk, INSTANCE_ARN, LocalFunction, Moto, block_on};
use serde_json::{Value, json};
use testkit::Outcome;

/// Unwraps a support-code result, printing its message as written (it spans lines).
#[track_caller]
fn must<T>(result: testkit::Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

#[track_caller]
fn fixture(name: &str) -> Value {
    must(testkit::fixture(name))
}

#[test]
fn the_stack_deploys_to_a_local_emulator_finds_callers_and_takes_new_code() {
    let binary = must(local::build_all());
    let moto = must(Moto::start());
    let work = tempfile::tempdir().expect("temp dir");
    let cdk = must(Cdk::new(&moto, work.path(), false));

    // cdk bootstrap: the toolkit stack the deploy's assets and roles come from.
    must(cdk.bootstrap());
    let toolkit = must(moto.describe("CDKToolkit"));
    assert_eq!(
        toolkit["Stack"]["StackStatus"], "CREATE_COMPLETE",
        "{toolkit:#}"
    );

    // cdk deploy.
    let outputs = must(cdk.deploy(&[]));
    let deployed = must(moto.describe(app::STACK_ID));
    assert_eq!(
        deployed["Stack"]["StackStatus"], "CREATE_COMPLETE",
        "{deployed:#}"
    );
    assert_eq!(
        deployed["Stack"]["Outputs"],
        json!(outputs),
        "the CLI's --outputs-file and the stack's outputs differ"
    );
    assert_eq!(
        deployed["Stack"]["Parameters"]["ConnectInstanceArn"],
        INSTANCE_ARN
    );
    // Every resource moto emulates was created; it lists the two it does not
    // (AWS::Connect::IntegrationAssociation, AWS::CDK::Metadata) without an id.
    let mut created: Vec<(&str, &str)> = deployed["Resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["LogicalResourceId"].is_string())
        .map(|r| {
            (
                r["ResourceType"].as_str().unwrap_or_default(),
                r["ResourceStatus"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    created.sort_unstable();
    assert_eq!(
        created,
        [
            "AWS::DynamoDB::Table",
            "AWS::IAM::Policy",
            "AWS::IAM::Role",
            "AWS::Lambda::Function",
            "AWS::Lambda::Permission",
            "AWS::Logs::LogGroup",
        ]
        .map(|ty| (ty, "CREATE_COMPLETE")),
        "{deployed:#}"
    );
    assert_eq!(deployed["LogGroup"]["retentionInDays"], 30, "{deployed:#}");
    let table_name = &outputs["TableName"];
    let function_arn = &outputs["LambdaFnARN"];

    // The table: keyed by CalledNumber, a string; on demand.
    let table = &deployed["Table"];
    assert_eq!(table["TableName"], **table_name, "{table:#}");
    assert_eq!(
        table["KeySchema"],
        json!([{"AttributeName": "CalledNumber", "KeyType": "HASH"}])
    );
    assert_eq!(
        table["AttributeDefinitions"],
        json!([{"AttributeName": "CalledNumber", "AttributeType": "S"}])
    );
    assert_eq!(
        table["BillingModeSummary"]["BillingMode"],
        "PAY_PER_REQUEST"
    );

    // The function: the custom runtime's bootstrap, told the deployed table's name.
    let function = &deployed["Function"];
    assert_eq!(function["FunctionArn"], **function_arn, "{function:#}");
    assert_eq!(
        function["Environment"]["Variables"],
        json!({ app::TABLE_NAME_ENV: table_name })
    );
    assert_eq!(
        [
            &function["Runtime"],
            &function["Handler"],
            &function["MemorySize"],
            &function["Timeout"]
        ],
        [
            &json!("provided.al2023"),
            &json!("bootstrap"),
            &json!(128),
            &json!(3)
        ]
    );

    // The permission: Connect may invoke it, from this instance in this account only.
    let statements = deployed["Policy"]["Statement"]
        .as_array()
        .unwrap_or_else(|| panic!("no policy statements: {deployed:#}"));
    assert_eq!(statements.len(), 1, "{statements:#?}");
    let statement = &statements[0];
    assert_eq!(statement["Effect"], "Allow");
    assert_eq!(statement["Action"], "lambda:InvokeFunction");
    assert_eq!(
        statement["Principal"],
        json!({"Service": "connect.amazonaws.com"})
    );
    assert_eq!(statement["Resource"], **function_arn);
    assert_eq!(
        statement["Condition"],
        json!({
            "ArnLike": {"AWS:SourceArn": INSTANCE_ARN},
            "StringEquals": {"AWS:SourceAccount": ACCOUNT},
        })
    );

    // The handler, run here as the deployed function, finds a row put into the deployed table.
    block_on(async {
        let client = moto.dynamodb();
        local::put_row(
            &client,
            table_name,
            &[
                ("CalledNumber", "+14155550100"),
                ("FirstName", "Jane"),
                ("LastName", "Doe"),
            ],
        )
        .await
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let lookup = must(LocalFunction::start(&binary, function, &moto));
    let found = must(lookup.invoke(&fixture("connect-voice-inbound.json")));
    assert_eq!(
        found,
        Outcome::Response(json!({
            "CalledNumber": "+14155550100",
            "FirstName": "Jane",
            "LastName": "Doe",
            "LookupResult": "FOUND",
            "MatchedBy": "CalledNumber",
        })),
        "the function's log:\n{}",
        lookup.log()
    );
    let unknown = must(lookup.invoke(&fixture("connect-voice-transfer.json")));
    assert_eq!(
        unknown,
        Outcome::Response(json!({"CalledNumber": "+14155550142", "LookupResult": "NOT_FOUND"})),
        "the function's log:\n{}",
        lookup.log()
    );
    drop(lookup);

    // New function code (the same binary plus one byte): the deploy updates the function in
    // place.
    let changed = work.path().join("changed-build");
    must(local::changed_build(&changed));
    let changed_dir = changed.display().to_string();
    // cdk diff against the deployed stack: nothing for the same app, the code for the new build.
    let [c, monitoring] = local::MOTO_CONTEXT;
    let same = must(cdk.run(&["diff", app::STACK_ID, "--fail", c, monitoring]));
    assert!(
        format!("{}{}", same.stdout, same.stderr).contains("no differences"),
        "{}\n{}",
        same.stdout,
        same.stderr
    );
    let differs = cdk.run(&[
        "diff",
        app::STACK_ID,
        "--fail",
        c,
        monitoring,
        "-c",
        &format!("handlerDir={changed_dir}"),
    ]);
    let report = differs.expect_err("a new build differs from the deployed code");
    assert!(report.contains("AWS::Lambda::Function"), "{report}");
    let outputs_after = must(cdk.deploy(&[("handlerDir", &changed_dir)]));
    let updated = must(moto.describe(app::STACK_ID));
    assert_eq!(
        updated["Stack"]["StackStatus"], "UPDATE_COMPLETE",
        "{updated:#}"
    );
    assert_eq!(outputs_after, outputs, "same function, same table");
    assert_ne!(
        updated["Function"]["CodeSha256"], deployed["Function"]["CodeSha256"],
        "the function's code did not change"
    );
    assert_eq!(
        updated["Function"]["Environment"],
        deployed["Function"]["Environment"]
    );
}
