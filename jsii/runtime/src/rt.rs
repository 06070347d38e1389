//! What generated bindings call. Hand-written code can use it too (the tests do), but the
//! generated types are the intended surface.
//!
//! Every function takes wire values ([`Value`](crate::Value)) in and decodes results with
//! [`FromWire`](crate::FromWire), so the generated code stays a thin, readable layer: one call
//! per jsii member. This module only gathers them: the calls live with the kernel session, the
//! wire forms with the codec, overrides with the override model.

pub use crate::api::Override;
pub use crate::args::required;
pub use crate::calls::{
    StructFields, arg, create, create_host, enum_any, get, get_super, invoke, invoke_async,
    invoke_async_super, invoke_super, set, set_super, sget, sinvoke, sset, struct_any,
    wire_is_instance,
};
pub use crate::overrides::create_overridden;
pub use crate::wire::{WireKind, enum_member, enum_to_wire, struct_to_wire};
