use super::Request;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `naming`: the `targets` block of a loaded assembly (how other languages name it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamingRequest {
    /// The assembly name.
    pub assembly: String,
}

/// The answer to [`NamingRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamingResponse {
    /// The assembly's `targets`, keyed by language.
    pub naming: Value,
}

impl Request for NamingRequest {
    const API: &'static str = "naming";
    type Response = NamingResponse;
    fn describe(&self) -> String {
        format!("naming {}", self.assembly)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{request_round_trip, response_round_trip};
    use serde_json::json;

    #[test]
    fn naming_round_trip() {
        request_round_trip(
            &NamingRequest {
                assembly: "constructs".into(),
            },
            json!({"api": "naming", "assembly": "constructs"}),
        );
        response_round_trip(
            json!({"naming": {"js": {"npm": "constructs"}}}),
            &NamingResponse {
                naming: json!({"js": {"npm": "constructs"}}),
            },
        );
    }
}
