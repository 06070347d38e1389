use super::Request;
use serde::{Deserialize, Serialize};

/// `load`: hand the kernel one package tarball. Dependencies must already be loaded; the kernel
/// resolves none itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadRequest {
    /// The npm package name.
    pub name: String,
    /// The exact version.
    pub version: String,
    /// Absolute path of the `.tgz` (npm pack layout, files under `package/`).
    pub tarball: String,
}

/// The answer to [`LoadRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadResponse {
    /// The assembly name.
    pub assembly: String,
    /// How many types it declares.
    pub types: u64,
}

impl Request for LoadRequest {
    const API: &'static str = "load";
    type Response = LoadResponse;
    fn describe(&self) -> String {
        format!("load {}@{}", self.name, self.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{request_round_trip, response_round_trip};
    use serde_json::json;

    #[test]
    fn load_round_trip() {
        request_round_trip(
            &LoadRequest {
                name: "constructs".into(),
                version: "10.8.1".into(),
                tarball: "/tmp/constructs-10.8.1.tgz".into(),
            },
            json!({"api": "load", "name": "constructs", "version": "10.8.1",
                   "tarball": "/tmp/constructs-10.8.1.tgz"}),
        );
        response_round_trip(
            json!({"assembly": "constructs", "types": 12}),
            &LoadResponse {
                assembly: "constructs".into(),
                types: 12,
            },
        );
    }
}
