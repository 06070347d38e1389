use super::{ObjRefWire, Request};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `create`: construct an instance of a class (or a bare `Object` for host-implemented
/// interfaces), optionally with members overridden by the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateRequest {
    /// The class FQN, or `Object`.
    pub fqn: String,
    /// Constructor arguments (trailing optional ones may be left out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Value>,
    /// Interfaces the host object implements (FQNs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interfaces: Vec<String>,
    /// Members whose calls the kernel must forward to the host as callbacks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
}

/// One overridden member in a [`CreateRequest`]. The cookie comes back in the [`super::Callback`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Override {
    /// A method override.
    Method {
        /// The jsii method name.
        method: String,
        /// Opaque host data echoed in callbacks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cookie: Option<String>,
    },
    /// A property override (both get and set are forwarded).
    Property {
        /// The jsii property name.
        property: String,
        /// Opaque host data echoed in callbacks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cookie: Option<String>,
    },
}

impl Override {
    /// The overridden member's jsii name.
    pub fn member(&self) -> &str {
        match self {
            Override::Method { method, .. } => method,
            Override::Property { property, .. } => property,
        }
    }
}

impl Request for CreateRequest {
    const API: &'static str = "create";
    type Response = ObjRefWire;
    fn describe(&self) -> String {
        format!("create {}", self.fqn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::request_round_trip;
    use serde_json::json;

    #[test]
    fn create_round_trip() {
        request_round_trip(
            &CreateRequest {
                fqn: "aws-cdk-lib.App".into(),
                args: vec![],
                interfaces: vec![],
                overrides: vec![],
            },
            json!({"api": "create", "fqn": "aws-cdk-lib.App"}),
        );
        request_round_trip(
            &CreateRequest {
                fqn: "Object".into(),
                args: vec![json!(1)],
                interfaces: vec!["aws-cdk-lib.IAspect".into()],
                overrides: vec![
                    Override::Method {
                        method: "visit".into(),
                        cookie: Some("visit".into()),
                    },
                    Override::Property {
                        property: "name".into(),
                        cookie: None,
                    },
                ],
            },
            json!({"api": "create", "fqn": "Object", "args": [1],
                   "interfaces": ["aws-cdk-lib.IAspect"],
                   "overrides": [{"method": "visit", "cookie": "visit"}, {"property": "name"}]}),
        );
    }
}
