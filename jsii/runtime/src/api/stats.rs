use super::Request;
use serde::{Deserialize, Serialize};

/// `stats`: how many objects the kernel is tracking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsRequest {}

/// The answer to [`StatsRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsResponse {
    /// Objects in the kernel's table.
    pub object_count: u64,
}

impl Request for StatsRequest {
    const API: &'static str = "stats";
    type Response = StatsResponse;
    fn describe(&self) -> String {
        "stats".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{request_round_trip, response_round_trip};
    use serde_json::json;

    #[test]
    fn stats_round_trip() {
        request_round_trip(&StatsRequest {}, json!({"api": "stats"}));
        response_round_trip(
            json!({"objectCount": 30}),
            &StatsResponse { object_count: 30 },
        );
    }
}
