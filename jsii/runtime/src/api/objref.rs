use serde::{Deserialize, Serialize};

/// An object reference as it travels on the wire: `{"$jsii.byref": "<fqn>@<n>"}`, plus the
/// interfaces the object implements beyond its class (`"$jsii.interfaces"`).
///
/// The id names the nearest exported class (`aws-cdk-lib.aws_dynamodb.TableBase@10002`), or
/// `Object@N` for plain objects and host-implemented interfaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjRefWire {
    /// The kernel's id for the object.
    #[serde(rename = "$jsii.byref")]
    pub id: String,
    /// Extra interfaces, as FQNs.
    #[serde(
        rename = "$jsii.interfaces",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub interfaces: Vec<String>,
}

impl ObjRefWire {
    /// The FQN part of the id (everything before the last `@`).
    pub fn class_fqn(&self) -> &str {
        self.id.rsplit_once('@').map_or(&self.id, |(fqn, _)| fqn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::response_round_trip;
    use serde_json::json;

    #[test]
    fn objref_round_trip() {
        response_round_trip(
            json!({"$jsii.byref": "aws-cdk-lib.Stack@10001"}),
            &ObjRefWire {
                id: "aws-cdk-lib.Stack@10001".into(),
                interfaces: vec![],
            },
        );
        let with_interfaces = ObjRefWire {
            id: "Object@10012".into(),
            interfaces: vec!["aws-cdk-lib.IAspect".into()],
        };
        response_round_trip(
            json!({"$jsii.byref": "Object@10012", "$jsii.interfaces": ["aws-cdk-lib.IAspect"]}),
            &with_interfaces,
        );
        assert_eq!(with_interfaces.class_fqn(), "Object");
    }

    #[test]
    fn class_fqn_keeps_scoped_package_names() {
        let r = ObjRefWire {
            id: "@scope/pkg.Thing@10003".into(),
            interfaces: vec![],
        };
        assert_eq!(r.class_fqn(), "@scope/pkg.Thing");
    }
}
