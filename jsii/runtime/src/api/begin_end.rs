use super::{InvokeResponse, ObjRefWire, Request};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `begin`: start an async method (there is no static form). Answered with a promise id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeginRequest {
    /// The object.
    pub objref: ObjRefWire,
    /// The async method's jsii name.
    pub method: String,
    /// Arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Value>,
}

/// The answer to [`BeginRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeginResponse {
    /// The promise to pass to [`EndRequest`].
    pub promiseid: String,
}

/// `end`: wait for a promise started with [`BeginRequest`]. Answered like `invoke`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndRequest {
    /// The promise id from [`BeginResponse`].
    pub promiseid: String,
}

/// The answer to [`EndRequest`].
pub type EndResponse = InvokeResponse;

impl Request for BeginRequest {
    const API: &'static str = "begin";
    type Response = BeginResponse;
    fn describe(&self) -> String {
        format!("begin {}.{}", self.objref.id, self.method)
    }
}

impl Request for EndRequest {
    const API: &'static str = "end";
    type Response = EndResponse;
    fn describe(&self) -> String {
        format!("end {}", self.promiseid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{request_round_trip, response_round_trip};
    use serde_json::json;

    #[test]
    fn begin_end_round_trip() {
        request_round_trip(
            &BeginRequest {
                objref: ObjRefWire {
                    id: "fixture.Slow@10001".into(),
                    interfaces: vec![],
                },
                method: "compute".into(),
                args: vec![],
            },
            json!({"api": "begin", "objref": {"$jsii.byref": "fixture.Slow@10001"},
                   "method": "compute"}),
        );
        response_round_trip(
            json!({"promiseid": "jsii::promise::20001"}),
            &BeginResponse {
                promiseid: "jsii::promise::20001".into(),
            },
        );
        request_round_trip(
            &EndRequest {
                promiseid: "jsii::promise::20001".into(),
            },
            json!({"api": "end", "promiseid": "jsii::promise::20001"}),
        );
    }
}
