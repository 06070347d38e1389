use super::{Callback, Request};
use serde::{Deserialize, Serialize};

/// `callbacks`: list callbacks queued by async methods (`begin`). Synchronous calls deliver
/// their callbacks inline instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbacksRequest {}

/// The answer to [`CallbacksRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbacksResponse {
    /// The pending callbacks.
    pub callbacks: Vec<Callback>,
}

impl Request for CallbacksRequest {
    const API: &'static str = "callbacks";
    type Response = CallbacksResponse;
    fn describe(&self) -> String {
        "callbacks".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{request_round_trip, response_round_trip};
    use serde_json::json;

    #[test]
    fn callbacks_round_trip() {
        request_round_trip(&CallbacksRequest {}, json!({"api": "callbacks"}));
        response_round_trip(
            json!({"callbacks": []}),
            &CallbacksResponse { callbacks: vec![] },
        );
    }
}
