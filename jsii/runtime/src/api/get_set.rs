use super::{ObjRefWire, Request};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `get`: read an instance property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetRequest {
    /// The object.
    pub objref: ObjRefWire,
    /// The jsii property name.
    pub property: String,
}

/// The answer to [`GetRequest`] and [`StaticGetRequest`]. A JS `undefined` drops the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetResponse {
    /// The value, absent when it was `undefined`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// `set`: write an instance property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetRequest {
    /// The object.
    pub objref: ObjRefWire,
    /// The jsii property name.
    pub property: String,
    /// The new value.
    pub value: Value,
}

/// The (empty) answer to [`SetRequest`] and [`StaticSetRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetResponse {}

/// `sget`: read a static property or constant. `fqn` is a plain string (the spec page is wrong).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaticGetRequest {
    /// The class FQN.
    pub fqn: String,
    /// The jsii property name.
    pub property: String,
}

/// `sset`: write a static property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaticSetRequest {
    /// The class FQN.
    pub fqn: String,
    /// The jsii property name.
    pub property: String,
    /// The new value.
    pub value: Value,
}

impl Request for GetRequest {
    const API: &'static str = "get";
    type Response = GetResponse;
    fn describe(&self) -> String {
        format!("get {}.{}", self.objref.id, self.property)
    }
}

impl Request for SetRequest {
    const API: &'static str = "set";
    type Response = SetResponse;
    fn describe(&self) -> String {
        format!("set {}.{}", self.objref.id, self.property)
    }
}

impl Request for StaticGetRequest {
    const API: &'static str = "sget";
    type Response = GetResponse;
    fn describe(&self) -> String {
        format!("sget {}.{}", self.fqn, self.property)
    }
}

impl Request for StaticSetRequest {
    const API: &'static str = "sset";
    type Response = SetResponse;
    fn describe(&self) -> String {
        format!("sset {}.{}", self.fqn, self.property)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{request_round_trip, response_round_trip};
    use serde_json::json;

    fn stack() -> ObjRefWire {
        ObjRefWire {
            id: "aws-cdk-lib.Stack@10001".into(),
            interfaces: vec![],
        }
    }

    #[test]
    fn get_round_trip() {
        request_round_trip(
            &GetRequest {
                objref: stack(),
                property: "stackName".into(),
            },
            json!({"api": "get", "objref": {"$jsii.byref": "aws-cdk-lib.Stack@10001"},
                   "property": "stackName"}),
        );
        response_round_trip(
            json!({"value": "Demo"}),
            &GetResponse {
                value: Some(json!("Demo")),
            },
        );
        response_round_trip(json!({}), &GetResponse { value: None });
    }

    #[test]
    fn set_round_trip() {
        request_round_trip(
            &SetRequest {
                objref: stack(),
                property: "templateOptions".into(),
                value: json!(null),
            },
            json!({"api": "set", "objref": {"$jsii.byref": "aws-cdk-lib.Stack@10001"},
                   "property": "templateOptions", "value": null}),
        );
        response_round_trip(json!({}), &SetResponse {});
    }

    #[test]
    fn static_get_and_set_round_trip() {
        request_round_trip(
            &StaticGetRequest {
                fqn: "aws-cdk-lib.aws_lambda.Runtime".into(),
                property: "PROVIDED_AL2023".into(),
            },
            json!({"api": "sget", "fqn": "aws-cdk-lib.aws_lambda.Runtime",
                   "property": "PROVIDED_AL2023"}),
        );
        request_round_trip(
            &StaticSetRequest {
                fqn: "fixture.Counter".into(),
                property: "total".into(),
                value: json!(3),
            },
            json!({"api": "sset", "fqn": "fixture.Counter", "property": "total", "value": 3}),
        );
    }
}
