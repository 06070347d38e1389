//! A golden transcript of a small session, so protocol changes show up in review.
//! Bless changes with `UPDATE_GOLDEN=1 cargo test -p jsii-runtime --test kernel`.

use crate::support::CONSTRUCTS;
use jsii_runtime::{HostObject, ObjRef, Override, Result, rt};
use serde_json::{Value, json};
use std::path::Path;
use std::rc::Rc;

struct Validator;

impl HostObject for Validator {
    fn invoke(&self, _this: &ObjRef, method: &str, _args: Vec<Value>) -> Result<Value> {
        assert_eq!(method, "validate");
        Ok(json!(["name must not be empty"]))
    }
}

#[test]
fn a_small_session_matches_the_golden_transcript() -> Result<()> {
    jsii_runtime::load(&CONSTRUCTS)?;
    jsii_runtime::start_transcript()?;
    let root = rt::create(&CONSTRUCTS, "constructs.RootConstruct", vec![json!("root")])?;
    let node: ObjRef = rt::get(&root, "node")?;
    let path: String = rt::get(&node, "path")?;
    assert_eq!(path, "root");
    rt::invoke::<()>(&node, "setContext", vec![json!("stage"), json!("test")])?;
    let stage: Value = rt::invoke(&node, "tryGetContext", vec![json!("stage")])?;
    assert_eq!(stage, json!("test"));
    let validation = rt::create_host(
        &CONSTRUCTS,
        "Object",
        vec![],
        &["constructs.IValidation"],
        vec![Override::Method {
            method: "validate".into(),
            cookie: None,
        }],
        Rc::new(Validator),
    )?;
    rt::invoke::<()>(&node, "addValidation", vec![rt::arg(&validation)])?;
    let errors: Vec<String> = rt::invoke(&node, "validate", vec![])?;
    assert_eq!(errors, ["name must not be empty"]);
    let err = rt::invoke::<Value>(&node, "noSuchMethod", vec![]).expect_err("unknown method");
    assert!(err.to_string().contains("noSuchMethod"), "{err}");
    let lines = jsii_runtime::take_transcript();

    let normalized: String = lines
        .iter()
        .map(|l| normalize(l))
        .map(|l| l + "\n")
        .collect();
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/transcript-constructs.txt");
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(golden.parent().expect("parent")).expect("mkdir");
        std::fs::write(&golden, &normalized).expect("bless");
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        expected == normalized,
        "the protocol transcript changed; review the diff and bless it with \
         UPDATE_GOLDEN=1 cargo test -p jsii-runtime --test kernel\n--- expected\n{expected}\n--- got\n{normalized}"
    );
    Ok(())
}

/// Drops JS stacks (they name paths on this machine) from error lines.
fn normalize(line: &str) -> String {
    let (dir, json) = line.split_at(2);
    let Ok(mut v) = serde_json::from_str::<Value>(json) else {
        return line.to_owned();
    };
    if let Some(obj) = v.as_object_mut()
        && obj.contains_key("stack")
    {
        obj.insert("stack".into(), json!("<stack>"));
    }
    format!("{dir}{v}")
}
