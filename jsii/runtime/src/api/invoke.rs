use super::{ObjRefWire, Request};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `invoke`: call an instance method. The kernel runs the prototype's (original) method, never a
/// host override; the client dispatches overridden members locally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvokeRequest {
    /// The object.
    pub objref: ObjRefWire,
    /// The jsii method name.
    pub method: String,
    /// Arguments (trailing optional ones may be left out; variadic ones are flattened).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Value>,
}

/// `sinvoke`: call a static method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaticInvokeRequest {
    /// The class FQN.
    pub fqn: String,
    /// The jsii method name.
    pub method: String,
    /// Arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Value>,
}

/// The answer to [`InvokeRequest`], [`StaticInvokeRequest`] and `end`. A void or `undefined`
/// result drops the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvokeResponse {
    /// The result, absent for void methods and `undefined`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
}

impl Request for InvokeRequest {
    const API: &'static str = "invoke";
    type Response = InvokeResponse;
    fn describe(&self) -> String {
        format!("invoke {}.{}", self.objref.id, self.method)
    }
}

impl Request for StaticInvokeRequest {
    const API: &'static str = "sinvoke";
    type Response = InvokeResponse;
    fn describe(&self) -> String {
        format!("sinvoke {}.{}", self.fqn, self.method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{request_round_trip, response_round_trip};
    use serde_json::json;

    #[test]
    fn invoke_round_trip() {
        request_round_trip(
            &InvokeRequest {
                objref: ObjRefWire {
                    id: "aws-cdk-lib.aws_dynamodb.Table@10003".into(),
                    interfaces: vec![],
                },
                method: "grantReadData".into(),
                args: vec![json!({"$jsii.byref": "aws-cdk-lib.aws_lambda.Function@10004"})],
            },
            json!({"api": "invoke",
                   "objref": {"$jsii.byref": "aws-cdk-lib.aws_dynamodb.Table@10003"},
                   "method": "grantReadData",
                   "args": [{"$jsii.byref": "aws-cdk-lib.aws_lambda.Function@10004"}]}),
        );
        response_round_trip(
            json!({"result": {"$jsii.byref": "aws-cdk-lib.aws_iam.Grant@10005"}}),
            &InvokeResponse {
                result: Some(json!({"$jsii.byref": "aws-cdk-lib.aws_iam.Grant@10005"})),
            },
        );
        response_round_trip(json!({}), &InvokeResponse { result: None });
    }

    #[test]
    fn static_invoke_round_trip() {
        request_round_trip(
            &StaticInvokeRequest {
                fqn: "aws-cdk-lib.Duration".into(),
                method: "seconds".into(),
                args: vec![json!(30)],
            },
            json!({"api": "sinvoke", "fqn": "aws-cdk-lib.Duration", "method": "seconds",
                   "args": [30]}),
        );
    }
}
