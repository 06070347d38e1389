use super::Callback;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The kernel's first line: `{"hello": "@jsii/runtime@1.140.0"}`. Unknown extra keys are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    /// `<package>@<version>` of the runtime.
    pub hello: String,
}

impl Hello {
    /// The version after the last `@`.
    pub fn version(&self) -> &str {
        self.hello.rsplit_once('@').map_or("", |(_, v)| v)
    }
}

/// `{"exit": code}`: ends the session. There is no answer; the process exits with `code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exit {
    /// The exit code the kernel process should use.
    pub exit: i32,
}

/// `{"error": message, "name": ..., "stack": ...}`: a request failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The message.
    pub error: String,
    /// `@jsii/kernel.Fault`, `@jsii/kernel.SerializationError`, `@jsii/kernel.RuntimeError`, or
    /// the JS error's own name (errors thrown by constructors are not wrapped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The JS stack (absent with `JSII_NOSTACK`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
}

/// One line from the kernel while a request is pending.
#[derive(Debug, Clone, PartialEq)]
pub enum KernelMessage {
    /// `{"ok": payload}`: the request succeeded.
    Ok(Value),
    /// The request failed.
    Error(ErrorResponse),
    /// The kernel needs the host to run a callback first.
    Callback(Box<Callback>),
}

impl KernelMessage {
    /// Classifies a parsed line. Returns `Err` with a description when it has none of the shapes.
    pub fn from_value(value: Value) -> Result<KernelMessage, String> {
        let Value::Object(mut map) = value else {
            return Err(format!("expected a JSON object, got {value}"));
        };
        if let Some(ok) = map.remove("ok") {
            return Ok(KernelMessage::Ok(ok));
        }
        if let Some(cb) = map.remove("callback") {
            return serde_json::from_value(cb)
                .map(|cb| KernelMessage::Callback(Box::new(cb)))
                .map_err(|e| format!("malformed callback: {e}"));
        }
        if map.contains_key("error") {
            return serde_json::from_value(Value::Object(map))
                .map(KernelMessage::Error)
                .map_err(|e| format!("malformed error: {e}"));
        }
        Err(format!(
            "a line with none of ok/error/callback: {}",
            Value::Object(map)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::response_round_trip;
    use serde_json::json;

    #[test]
    fn hello_round_trip() {
        let hello = Hello {
            hello: "@jsii/runtime@1.140.0".into(),
        };
        response_round_trip(json!({"hello": "@jsii/runtime@1.140.0"}), &hello);
        assert_eq!(hello.version(), "1.140.0");
        let extra: Hello =
            serde_json::from_value(json!({"hello": "@jsii/runtime@1.2.3", "future": true}))
                .expect("unknown keys are ignored");
        assert_eq!(extra.version(), "1.2.3");
    }

    #[test]
    fn exit_round_trip() {
        response_round_trip(json!({"exit": 0}), &Exit { exit: 0 });
    }

    #[test]
    fn error_round_trip() {
        response_round_trip(
            json!({"error": "Object constructs.Node@10002 not found",
                   "name": "@jsii/kernel.Fault", "stack": "Error: ...\n    at ..."}),
            &ErrorResponse {
                error: "Object constructs.Node@10002 not found".into(),
                name: Some("@jsii/kernel.Fault".into()),
                stack: Some("Error: ...\n    at ...".into()),
            },
        );
    }

    #[test]
    fn classifies_lines() {
        assert_eq!(
            KernelMessage::from_value(json!({"ok": {"value": 1}})),
            Ok(KernelMessage::Ok(json!({"value": 1})))
        );
        assert!(matches!(
            KernelMessage::from_value(json!({"error": "x", "name": "PartitionKeyRequired"})),
            Ok(KernelMessage::Error(ErrorResponse { name: Some(n), .. })) if n == "PartitionKeyRequired"
        ));
        assert!(matches!(
            KernelMessage::from_value(json!({"callback": {"cbid": "c", "get":
                {"objref": {"$jsii.byref": "Object@1"}, "property": "p"}}})),
            Ok(KernelMessage::Callback(_))
        ));
        assert!(KernelMessage::from_value(json!({"hello": "x"})).is_err());
        assert!(KernelMessage::from_value(json!([1])).is_err());
        assert!(KernelMessage::from_value(json!({"callback": 3})).is_err());
    }
}
