use super::ObjRefWire;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A callback: while a request is pending, the kernel asks the host to run an overridden member.
/// Exactly one of `invoke`, `get` and `set` is present. Answered with [`super::SyncComplete`]
/// (synchronous) or, for the async `callbacks` queue, [`super::CompleteRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Callback {
    /// The callback id to complete.
    pub cbid: String,
    /// The cookie the host gave the override at `create`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie: Option<String>,
    /// A method call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoke: Option<CallbackInvoke>,
    /// A property read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get: Option<CallbackGet>,
    /// A property write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<CallbackSet>,
}

/// The method call inside a [`Callback`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackInvoke {
    /// The host object.
    pub objref: ObjRefWire,
    /// The jsii method name.
    pub method: String,
    /// Arguments, serialized by their declared types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Value>,
}

/// The property read inside a [`Callback`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackGet {
    /// The host object.
    pub objref: ObjRefWire,
    /// The jsii property name.
    pub property: String,
}

/// The property write inside a [`Callback`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackSet {
    /// The host object.
    pub objref: ObjRefWire,
    /// The jsii property name.
    pub property: String,
    /// The value written.
    pub value: Value,
}

impl Callback {
    /// The object the callback targets and the member name, whichever form it has.
    pub fn target(&self) -> Option<(&ObjRefWire, &str)> {
        if let Some(i) = &self.invoke {
            Some((&i.objref, &i.method))
        } else if let Some(g) = &self.get {
            Some((&g.objref, &g.property))
        } else {
            self.set.as_ref().map(|s| (&s.objref, s.property.as_str()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::response_round_trip;
    use serde_json::json;

    #[test]
    fn callback_round_trip() {
        // The shape measured from a real synth with an IAspect implemented by the host.
        let wire = json!({"cookie": "visit", "cbid": "jsii::callback::20000",
            "invoke": {"objref": {"$jsii.byref": "Object@10012",
                                  "$jsii.interfaces": ["aws-cdk-lib.IAspect"]},
                       "method": "visit",
                       "args": [{"$jsii.byref": "aws-cdk-lib.Stack@10001"}]}});
        let cb = Callback {
            cbid: "jsii::callback::20000".into(),
            cookie: Some("visit".into()),
            invoke: Some(CallbackInvoke {
                objref: ObjRefWire {
                    id: "Object@10012".into(),
                    interfaces: vec!["aws-cdk-lib.IAspect".into()],
                },
                method: "visit".into(),
                args: vec![json!({"$jsii.byref": "aws-cdk-lib.Stack@10001"})],
            }),
            get: None,
            set: None,
        };
        response_round_trip(wire, &cb);
        assert_eq!(cb.target().map(|(_, m)| m), Some("visit"));
    }

    #[test]
    fn property_callbacks_round_trip() {
        let get = Callback {
            cbid: "jsii::callback::20001".into(),
            cookie: None,
            invoke: None,
            get: Some(CallbackGet {
                objref: ObjRefWire {
                    id: "Object@10013".into(),
                    interfaces: vec![],
                },
                property: "name".into(),
            }),
            set: None,
        };
        response_round_trip(
            json!({"cbid": "jsii::callback::20001",
                   "get": {"objref": {"$jsii.byref": "Object@10013"}, "property": "name"}}),
            &get,
        );
        let set = Callback {
            cbid: "jsii::callback::20002".into(),
            cookie: Some("name".into()),
            invoke: None,
            get: None,
            set: Some(CallbackSet {
                objref: ObjRefWire {
                    id: "Object@10013".into(),
                    interfaces: vec![],
                },
                property: "name".into(),
                value: json!("x"),
            }),
        };
        response_round_trip(
            json!({"cbid": "jsii::callback::20002", "cookie": "name",
                   "set": {"objref": {"$jsii.byref": "Object@10013"}, "property": "name",
                           "value": "x"}}),
            &set,
        );
        assert_eq!(set.target().map(|(_, m)| m), Some("name"));
    }
}
