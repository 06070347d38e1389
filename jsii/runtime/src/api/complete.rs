use super::Request;
use crate::error::RUNTIME_ERROR;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The outcome of a callback: a result, or an error the kernel throws inside JavaScript.
///
/// Sent bare (with `"api": "complete"`) for async callbacks, and wrapped in [`SyncComplete`]
/// (no `api` key) to answer a callback that arrived while a request was pending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompleteRequest {
    /// The callback being answered.
    pub cbid: String,
    /// The error message, when the host failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err: Option<String>,
    /// The error name (`@jsii/kernel.RuntimeError`); a Fault name makes the kernel raise a Fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The result, when the host succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
}

/// The answer to an async [`CompleteRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompleteResponse {
    /// The callback that was completed.
    pub cbid: String,
}

/// `{"complete": {...}}`: how the host answers a synchronous callback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncComplete {
    /// The outcome.
    pub complete: CompleteRequest,
}

impl CompleteRequest {
    /// A successful completion.
    pub fn ok(cbid: String, result: Option<Value>) -> Self {
        CompleteRequest {
            cbid,
            err: None,
            name: None,
            result,
        }
    }

    /// A failed completion, raised in JavaScript as a `RuntimeError` with `message`.
    pub fn failed(cbid: String, message: String) -> Self {
        CompleteRequest {
            cbid,
            err: Some(message),
            name: Some(RUNTIME_ERROR.to_owned()),
            result: None,
        }
    }
}

impl Request for CompleteRequest {
    const API: &'static str = "complete";
    type Response = CompleteResponse;
    fn describe(&self) -> String {
        format!("complete {}", self.cbid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{request_round_trip, response_round_trip};
    use serde_json::json;

    #[test]
    fn sync_complete_has_no_api_key() {
        response_round_trip(
            json!({"complete": {"cbid": "jsii::callback::20000", "result": "hi"}}),
            &SyncComplete {
                complete: CompleteRequest::ok("jsii::callback::20000".into(), Some(json!("hi"))),
            },
        );
        response_round_trip(
            json!({"complete": {"cbid": "jsii::callback::20001", "err": "boom",
                                "name": "@jsii/kernel.RuntimeError"}}),
            &SyncComplete {
                complete: CompleteRequest::failed("jsii::callback::20001".into(), "boom".into()),
            },
        );
    }

    #[test]
    fn async_complete_round_trip() {
        request_round_trip(
            &CompleteRequest::ok("jsii::callback::20002".into(), None),
            json!({"api": "complete", "cbid": "jsii::callback::20002"}),
        );
        response_round_trip(
            json!({"cbid": "jsii::callback::20002"}),
            &CompleteResponse {
                cbid: "jsii::callback::20002".into(),
            },
        );
    }
}
