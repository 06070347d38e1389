//! The kernel protocol, one wire message per type, named after `@jsii/kernel`'s `api.ts`.
//!
//! The protocol is newline-delimited JSON over one duplex stream. The kernel speaks first
//! ([`Hello`]); then the host sends one request at a time (tagged with `"api"`) and reads lines
//! until the answer: `{"ok": ...}`, `{"error": ...}`, or a [`Callback`] that the host must answer
//! with a [`SyncComplete`] before the answer to its own request arrives. [`Exit`] ends the
//! session. Shapes follow the kernel's code, not the older specification page (which differs
//! in five places; see `jsii/runtime/PROTOCOL.md`, the last section).
//!
//! Every file here holds one verb's request and response and a round-trip test beside them.

mod begin_end;
mod callback;
mod callbacks;
mod complete;
mod create;
mod del;
mod envelope;
mod get_set;
mod invoke;
mod load;
mod naming;
mod stats;

pub use crate::wire::ObjRefWire;
pub use begin_end::{BeginRequest, BeginResponse, EndRequest, EndResponse};
pub use callback::{Callback, CallbackGet, CallbackInvoke, CallbackSet};
pub use callbacks::{CallbacksRequest, CallbacksResponse};
pub use complete::{CompleteRequest, CompleteResponse, SyncComplete};
pub use create::{CreateRequest, Override};
pub use del::{DelRequest, DelResponse};
pub use envelope::{ErrorResponse, Exit, Hello, KernelMessage};
pub use get_set::{
    GetRequest, GetResponse, SetRequest, SetResponse, StaticGetRequest, StaticSetRequest,
};
pub use invoke::{InvokeRequest, InvokeResponse, StaticInvokeRequest};
pub use load::{LoadRequest, LoadResponse};
pub use naming::{NamingRequest, NamingResponse};
pub use stats::{StatsRequest, StatsResponse};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A request the host sends, tagged on the wire with `"api": API`.
pub trait Request: Serialize {
    /// The value of the `"api"` key.
    const API: &'static str;
    /// The payload inside `{"ok": ...}` that answers this request.
    type Response: DeserializeOwned;
    /// A short description for error messages (`invoke synth`, `load aws-cdk-lib`).
    fn describe(&self) -> String;
}

/// Serializes a request with its `"api"` tag: the exact line sent to the kernel (without `\n`).
pub fn encode<R: Request>(request: &R) -> serde_json::Result<String> {
    #[derive(Serialize)]
    struct Tagged<'a, R> {
        api: &'static str,
        #[serde(flatten)]
        request: &'a R,
    }
    serde_json::to_string(&Tagged {
        api: R::API,
        request,
    })
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::Request;
    use serde::de::DeserializeOwned;
    use std::fmt::Debug;

    /// Encodes `request`, checks the line equals `expected` (as JSON), and decodes it back.
    pub fn request_round_trip<R>(request: &R, expected: serde_json::Value)
    where
        R: Request + DeserializeOwned + PartialEq + Debug,
    {
        let line = super::encode(request).expect("requests always serialize");
        let mut value: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(value, expected, "wire shape of {}", R::API);
        value
            .as_object_mut()
            .expect("requests are objects")
            .remove("api");
        let back: R = serde_json::from_value(value).expect("decodes back");
        assert_eq!(&back, request);
    }

    /// Decodes `wire` as `T`, checks it equals `expected`, and re-encodes it to the same JSON.
    pub fn response_round_trip<T>(wire: serde_json::Value, expected: &T)
    where
        T: serde::Serialize + DeserializeOwned + PartialEq + Debug,
    {
        let decoded: T = serde_json::from_value(wire.clone()).expect("decodes");
        assert_eq!(&decoded, expected);
        assert_eq!(serde_json::to_value(&decoded).expect("encodes"), wire);
    }
}
