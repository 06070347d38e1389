use super::{ObjRefWire, Request};
use serde::{Deserialize, Serialize};

/// `del`: forget an object. The JS object keeps its id tag, so a later reference to the same
/// object dangles; this client therefore never sends `del` on its own (see the crate docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelRequest {
    /// The object to forget.
    pub objref: ObjRefWire,
}

/// The (empty) answer to [`DelRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelResponse {}

impl Request for DelRequest {
    const API: &'static str = "del";
    type Response = DelResponse;
    fn describe(&self) -> String {
        format!("del {}", self.objref.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{request_round_trip, response_round_trip};
    use serde_json::json;

    #[test]
    fn del_round_trip() {
        request_round_trip(
            &DelRequest {
                objref: ObjRefWire {
                    id: "constructs.Node@10002".into(),
                    interfaces: vec![],
                },
            },
            json!({"api": "del", "objref": {"$jsii.byref": "constructs.Node@10002"}}),
        );
        response_round_trip(json!({}), &DelResponse {});
    }
}
