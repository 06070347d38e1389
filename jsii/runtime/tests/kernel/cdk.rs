//! The CDK through the raw client: App -> Stack -> Table -> Function -> grant -> synth.

use crate::support::{AWS_CDK_LIB, app, outdir, resources_of_type, template};
use jsii_runtime::{
    Downcast, Error, FromWire, HostObject, JsiiObject, JsiiType, ObjRef, Override, Result, rt,
};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::rc::Rc;

pub fn stack(app: &ObjRef, id: &str) -> Result<ObjRef> {
    rt::create(
        &AWS_CDK_LIB,
        "aws-cdk-lib.Stack",
        vec![app.to_wire_json(), json!(id)],
    )
}

trait ToJson {
    fn to_wire_json(&self) -> Value;
}
impl ToJson for ObjRef {
    fn to_wire_json(&self) -> Value {
        rt::arg(self)
    }
}

/// A Table with a string partition key, on-demand.
pub fn table(scope: &ObjRef) -> Result<ObjRef> {
    rt::create(
        &AWS_CDK_LIB,
        "aws-cdk-lib.aws_dynamodb.Table",
        vec![
            scope.to_wire_json(),
            json!("Customers"),
            rt::struct_to_wire(
                "aws-cdk-lib.aws_dynamodb.TableProps",
                vec![
                    (
                        "partitionKey",
                        rt::struct_to_wire(
                            "aws-cdk-lib.aws_dynamodb.Attribute",
                            vec![
                                ("name", json!("CalledNumber")),
                                (
                                    "type",
                                    rt::enum_to_wire(
                                        "aws-cdk-lib.aws_dynamodb.AttributeType",
                                        "STRING",
                                    ),
                                ),
                            ],
                        ),
                    ),
                    (
                        "billingMode",
                        rt::enum_to_wire("aws-cdk-lib.aws_dynamodb.BillingMode", "PAY_PER_REQUEST"),
                    ),
                ],
            ),
        ],
    )
}

fn function(scope: &ObjRef, table_name: Value) -> Result<ObjRef> {
    let code: ObjRef = rt::sinvoke(
        &AWS_CDK_LIB,
        "aws-cdk-lib.aws_lambda.Code",
        "fromInline",
        vec![json!("exports.handler = async () => ({});")],
    )?;
    let runtime: ObjRef = rt::sget(
        &AWS_CDK_LIB,
        "aws-cdk-lib.aws_lambda.Runtime",
        "NODEJS_20_X",
    )?;
    let timeout: ObjRef = rt::sinvoke(
        &AWS_CDK_LIB,
        "aws-cdk-lib.Duration",
        "seconds",
        vec![json!(3)],
    )?;
    rt::create(
        &AWS_CDK_LIB,
        "aws-cdk-lib.aws_lambda.Function",
        vec![
            scope.to_wire_json(),
            json!("Lookup"),
            rt::struct_to_wire(
                "aws-cdk-lib.aws_lambda.FunctionProps",
                vec![
                    ("code", rt::arg(&code)),
                    ("handler", json!("index.handler")),
                    ("runtime", rt::arg(&runtime)),
                    ("timeout", rt::arg(&timeout)),
                    (
                        "environment",
                        json!({"$jsii.map": {"TABLE_NAME": table_name}}),
                    ),
                ],
            ),
        ],
    )
}

#[test]
fn synthesizes_a_table_a_function_and_a_grant() -> Result<()> {
    let out = outdir();
    let app = app(out.path())?;
    let stack = stack(&app, "Lookup")?;
    let table = table(&stack)?;
    let table_name: Value = rt::get(&table, "tableName")?;
    assert!(
        table_name
            .as_str()
            .is_some_and(|t| t.starts_with("${Token[")),
        "an unresolved token: {table_name}"
    );
    let function = function(&stack, table_name)?;
    let grant: ObjRef = rt::invoke(&table, "grantReadData", vec![rt::arg(&function)])?;
    assert!(grant.class_fqn().ends_with("aws_iam.Grant"), "{grant:?}");
    let _assembly: ObjRef = rt::invoke(&app, "synth", vec![])?;

    let t = template(out.path(), "Lookup");
    let tables = resources_of_type(&t, "AWS::DynamoDB::Table");
    assert_eq!(tables.len(), 1);
    let props = &tables[0].1["Properties"];
    assert_eq!(
        props["KeySchema"],
        json!([{"AttributeName": "CalledNumber", "KeyType": "HASH"}])
    );
    assert_eq!(props["BillingMode"], "PAY_PER_REQUEST");
    let functions = resources_of_type(&t, "AWS::Lambda::Function");
    assert_eq!(functions.len(), 1);
    let fprops = &functions[0].1["Properties"];
    assert_eq!(fprops["Runtime"], "nodejs20.x");
    assert_eq!(fprops["Timeout"], 3);
    assert_eq!(
        fprops["Environment"]["Variables"]["TABLE_NAME"],
        json!({"Ref": tables[0].0})
    );
    let policies = resources_of_type(&t, "AWS::IAM::Policy");
    assert_eq!(policies.len(), 1);
    let statement = &policies[0].1["Properties"]["PolicyDocument"]["Statement"][0];
    let actions = statement["Action"].as_array().expect("actions");
    assert!(actions.contains(&json!("dynamodb:GetItem")), "{actions:?}");
    assert!(actions.contains(&json!("dynamodb:Query")), "{actions:?}");
    assert!(
        !actions.iter().any(|a| a == "dynamodb:PutItem"),
        "read only: {actions:?}"
    );
    assert_eq!(statement["Effect"], "Allow");
    Ok(())
}

#[test]
fn identity_is_preserved_and_structs_read_back_by_reference() -> Result<()> {
    let out = outdir();
    let app = app(out.path())?;
    let stack = stack(&app, "Identity")?;
    let node_a: ObjRef = rt::get(&stack, "node")?;
    let node_b: ObjRef = rt::get(&stack, "node")?;
    assert_eq!(node_a, node_b);
    assert_eq!(node_a.id(), node_b.id());
    let table = table(&stack)?;
    // Table.schema() returns a SchemaOptions struct by reference.
    let schema: Value = rt::invoke(&table, "schema", vec![])?;
    let fields = rt::StructFields::from_wire(schema, "aws-cdk-lib.aws_dynamodb.SchemaOptions")?;
    assert!(matches!(fields, rt::StructFields::ByRef(_)), "{fields:?}");
    let pk: Value = fields.field("partitionKey")?;
    let pk = rt::StructFields::from_wire(pk, "aws-cdk-lib.aws_dynamodb.Attribute")?;
    assert_eq!(pk.field::<String>("name")?, "CalledNumber");
    assert_eq!(
        rt::enum_member(
            &pk.field::<Value>("type")?,
            "aws-cdk-lib.aws_dynamodb.AttributeType"
        )?,
        "STRING"
    );
    assert_eq!(fields.field::<Option<Value>>("sortKey")?, None);
    Ok(())
}

/// A typed wrapper, as generated code would write it, to exercise checked downcasts.
struct Table(ObjRef);
impl JsiiObject for Table {
    fn obj_ref(&self) -> &ObjRef {
        &self.0
    }
}
impl JsiiType for Table {
    const FQN: &'static str = "aws-cdk-lib.aws_dynamodb.Table";
    fn from_obj_ref(obj: ObjRef) -> Table {
        Table(obj)
    }
}
struct Stack(ObjRef);
impl JsiiObject for Stack {
    fn obj_ref(&self) -> &ObjRef {
        &self.0
    }
}
impl JsiiType for Stack {
    const FQN: &'static str = "aws-cdk-lib.Stack";
    fn from_obj_ref(obj: ObjRef) -> Stack {
        Stack(obj)
    }
}

#[test]
fn checked_downcasts_follow_the_type_graph() -> Result<()> {
    let out = outdir();
    let app = app(out.path())?;
    let stack = stack(&app, "Casts")?;
    let table = table(&stack)?;
    // Found as a child construct: declared as IConstruct.
    let node: ObjRef = rt::get(&stack, "node")?;
    let child: ObjRef = rt::invoke(&node, "findChild", vec![json!("Customers")])?;
    assert_eq!(child, table);
    assert!(child.downcast::<Table>().is_some());
    assert!(child.downcast::<Stack>().is_none());
    assert!(child.is_instance_of("constructs.Construct"));
    assert!(child.is_instance_of("aws-cdk-lib.aws_dynamodb.ITable"));
    assert!(stack.downcast::<Stack>().is_some());
    assert!(stack.downcast::<Table>().is_none());
    Ok(())
}

/// An `IAspect` implemented in Rust: tags every construct it visits.
struct Tagger {
    visited: RefCell<Vec<String>>,
}

impl HostObject for Tagger {
    fn invoke(&self, _this: &ObjRef, method: &str, args: Vec<Value>) -> Result<Value> {
        assert_eq!(method, "visit");
        let node = ObjRef::from_wire(args.into_iter().next().unwrap_or_default())?;
        // Nested requests from inside a callback.
        let construct_node: ObjRef = rt::get(&node, "node")?;
        let path: String = rt::get(&construct_node, "path")?;
        self.visited.borrow_mut().push(path);
        if node.is_instance_of("aws-cdk-lib.aws_dynamodb.Table") {
            let tags: ObjRef =
                rt::sinvoke(&AWS_CDK_LIB, "aws-cdk-lib.Tags", "of", vec![rt::arg(&node)])?;
            rt::invoke::<()>(&tags, "add", vec![json!("visited-by"), json!("rust")])?;
        }
        Ok(Value::Null)
    }
}

#[test]
fn a_rust_aspect_tags_constructs_during_synth() -> Result<()> {
    let out = outdir();
    let app = app(out.path())?;
    let stack = stack(&app, "Aspects")?;
    table(&stack)?;
    let tagger = Rc::new(Tagger {
        visited: RefCell::new(vec![]),
    });
    let aspect = rt::create_host(
        &AWS_CDK_LIB,
        "Object",
        vec![],
        &["aws-cdk-lib.IAspect"],
        vec![Override::Method {
            method: "visit".into(),
            cookie: None,
        }],
        tagger.clone(),
    )?;
    let aspects: ObjRef = rt::sinvoke(
        &AWS_CDK_LIB,
        "aws-cdk-lib.Aspects",
        "of",
        vec![rt::arg(&stack)],
    )?;
    rt::invoke::<()>(&aspects, "add", vec![rt::arg(&aspect)])?;
    rt::invoke::<ObjRef>(&app, "synth", vec![])?;

    let visited = tagger.visited.borrow();
    assert!(visited.contains(&"Aspects".to_owned()), "{visited:?}");
    assert!(
        visited.contains(&"Aspects/Customers".to_owned()),
        "{visited:?}"
    );
    let t = template(out.path(), "Aspects");
    let tables = resources_of_type(&t, "AWS::DynamoDB::Table");
    assert_eq!(
        tables[0].1["Properties"]["Tags"],
        json!([{"Key": "visited-by", "Value": "rust"}])
    );
    Ok(())
}

/// A Stack whose `allocateLogicalId` is overridden in Rust, calling `super` through the kernel.
struct PrefixIds;

impl HostObject for PrefixIds {
    fn invoke(&self, this: &ObjRef, method: &str, args: Vec<Value>) -> Result<Value> {
        assert_eq!(method, "allocateLogicalId");
        let original: String = rt::invoke_super(this, method, args)?;
        Ok(json!(format!("Rs{original}")))
    }
}

#[test]
fn overrides_run_in_rust_and_can_call_super() -> Result<()> {
    let out = outdir();
    let app = app(out.path())?;
    let stack = rt::create_host(
        &AWS_CDK_LIB,
        "aws-cdk-lib.Stack",
        vec![rt::arg(&app), json!("Overrides")],
        &[],
        vec![Override::Method {
            method: "allocateLogicalId".into(),
            cookie: None,
        }],
        Rc::new(PrefixIds),
    )?;
    table(&stack)?;
    rt::invoke::<ObjRef>(&app, "synth", vec![])?;
    let t = template(out.path(), "Overrides");
    let ids: Vec<&String> = t["Resources"]
        .as_object()
        .expect("resources")
        .keys()
        .collect();
    assert!(ids.iter().all(|id| id.starts_with("Rs")), "{ids:?}");
    Ok(())
}

/// A Rust callback that fails: the error reaches JavaScript and then the caller.
struct Failing {
    panic: bool,
}

impl HostObject for Failing {
    fn invoke(&self, _this: &ObjRef, _method: &str, _args: Vec<Value>) -> Result<Value> {
        if self.panic {
            panic!("aspect exploded");
        }
        Err(Error::Js {
            name: "Custom".into(),
            message: "visit refused".into(),
            stack: None,
        })
    }
}

#[test]
fn callback_errors_and_panics_surface_as_errors() -> Result<()> {
    for panic in [false, true] {
        let out = outdir();
        let app = app(out.path())?;
        let stack = stack(&app, "Failing")?;
        let aspect = rt::create_host(
            &AWS_CDK_LIB,
            "Object",
            vec![],
            &["aws-cdk-lib.IAspect"],
            vec![Override::Method {
                method: "visit".into(),
                cookie: None,
            }],
            Rc::new(Failing { panic }),
        )?;
        let aspects: ObjRef = rt::sinvoke(
            &AWS_CDK_LIB,
            "aws-cdk-lib.Aspects",
            "of",
            vec![rt::arg(&stack)],
        )?;
        rt::invoke::<()>(&aspects, "add", vec![rt::arg(&aspect)])?;
        let err = rt::invoke::<ObjRef>(&app, "synth", vec![]).expect_err("synth fails");
        let text = err.to_string();
        let expected = if panic {
            "aspect exploded"
        } else {
            "visit refused"
        };
        assert!(text.contains(expected), "{text}");
        // The kernel is still usable afterwards.
        let again: String = rt::get(&stack, "stackName")?;
        assert_eq!(again, "Failing");
    }
    Ok(())
}

#[test]
fn javascript_errors_carry_name_message_and_stack() -> Result<()> {
    let out = outdir();
    let app = app(out.path())?;
    let stack = stack(&app, "Errors")?;
    // A Table without a partition key: the CDK's own validation error.
    let err = rt::create(
        &AWS_CDK_LIB,
        "aws-cdk-lib.aws_dynamodb.Table",
        vec![
            rt::arg(&stack),
            json!("NoKey"),
            rt::struct_to_wire("aws-cdk-lib.aws_dynamodb.TableProps", vec![]),
        ],
    )
    .expect_err("a table needs a partition key");
    match &err {
        Error::Js {
            name,
            message,
            stack,
        } => {
            assert_eq!(name, "PartitionKeyRequired", "{err}");
            assert!(message.contains("partitionKey is required"), "{message}");
            // The CDK formats its own stack: the construct path of the failing construct.
            assert!(
                stack.as_deref().is_some_and(|s| s.contains("NoKey")),
                "{stack:?}"
            );
        }
        other => panic!("expected a JS error, got {other:?}"),
    }
    // A wrongly typed argument is a serialization error naming the key.
    let err = rt::sinvoke::<ObjRef>(
        &AWS_CDK_LIB,
        "aws-cdk-lib.Duration",
        "seconds",
        vec![json!("three")],
    )
    .expect_err("not a number");
    assert!(matches!(err, Error::Serialization { .. }), "{err:?}");
    // A duplicate construct id.
    let err = stack_dup(&app).expect_err("duplicate id");
    assert!(
        err.to_string().contains("There is already a Construct"),
        "{err}"
    );
    Ok(())
}

fn stack_dup(app: &ObjRef) -> Result<ObjRef> {
    stack(app, "Dup")?;
    stack(app, "Dup")
}

#[test]
fn naming_and_stats_answer() -> Result<()> {
    use jsii_runtime::protocol::{NamingRequest, StatsRequest, request};
    let out = outdir();
    let app = app(out.path())?;
    stack(&app, "Stats")?;
    let naming = request(&NamingRequest {
        assembly: "aws-cdk-lib".into(),
    })?;
    assert_eq!(naming.naming["js"]["npm"], "aws-cdk-lib");
    assert_eq!(naming.naming["python"]["module"], "aws_cdk");
    let stats = request(&StatsRequest {})?;
    assert!(stats.object_count >= 2, "App and Stack at least: {stats:?}");
    Ok(())
}
