//! Stage 1, parse: the jsii assembly format (`@jsii/spec`'s `assembly.ts`) as Rust types.
//!
//! Only what the generator reads is modelled; unknown fields are ignored, so newer assemblies
//! parse as long as their shapes hold. A `.jsii` file may be a redirect to a gzip'd `.jsii.gz`
//! (aws-cdk-lib's is); [`parse`] reports that and [`parse_gzip`] reads the target.

use crate::error::Error;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;

/// Features of the assembly format this generator handles. An assembly using others is refused,
/// as the kernel refuses it.
pub const SUPPORTED_FEATURES: &[&str] = &["intersection-types", "class-covariant-overrides"];

/// What a `.jsii` file holds.
#[derive(Debug)]
pub enum AssemblyFile {
    /// The assembly itself.
    Assembly(Box<Assembly>),
    /// `{"schema": "jsii/file-redirect", ...}`: read `filename` (next to this file) instead.
    Redirect {
        /// The file to read, relative to the redirect.
        filename: String,
        /// Its compression (`gzip`), if any.
        compression: Option<String>,
    },
}

/// Parses the bytes of a `.jsii` file.
pub fn parse(bytes: &[u8]) -> Result<AssemblyFile, Error> {
    #[derive(Deserialize)]
    struct Probe {
        schema: String,
        filename: Option<String>,
        compression: Option<String>,
    }
    let probe: Probe = serde_json::from_slice(bytes).map_err(|e| Error::Parse {
        what: "a .jsii file".into(),
        detail: e.to_string(),
    })?;
    if probe.schema == "jsii/file-redirect" {
        let filename = probe.filename.ok_or_else(|| Error::Parse {
            what: "a jsii file redirect".into(),
            detail: "it has no `filename`".into(),
        })?;
        return Ok(AssemblyFile::Redirect {
            filename,
            compression: probe.compression,
        });
    }
    if !probe.schema.starts_with("jsii/") {
        return Err(Error::Parse {
            what: "a .jsii file".into(),
            detail: format!("unknown schema {:?}", probe.schema),
        });
    }
    let assembly: Assembly = serde_json::from_slice(bytes).map_err(|e| Error::Parse {
        what: "a jsii assembly".into(),
        detail: e.to_string(),
    })?;
    assembly.check_features()?;
    Ok(AssemblyFile::Assembly(Box::new(assembly)))
}

/// Parses the target of a redirect, decompressing it when `compression` is `gzip`.
pub fn parse_redirected(bytes: &[u8], compression: Option<&str>) -> Result<Assembly, Error> {
    let plain;
    let bytes = match compression {
        None => bytes,
        Some("gzip") => {
            let mut out = Vec::with_capacity(bytes.len() * 10);
            flate2::read::GzDecoder::new(bytes)
                .read_to_end(&mut out)
                .map_err(|e| Error::Parse {
                    what: "a gzip'd jsii assembly".into(),
                    detail: e.to_string(),
                })?;
            plain = out;
            &plain
        }
        Some(other) => {
            return Err(Error::Parse {
                what: "a jsii file redirect".into(),
                detail: format!("unsupported compression {other:?}"),
            });
        }
    };
    match parse(bytes)? {
        AssemblyFile::Assembly(a) => Ok(*a),
        AssemblyFile::Redirect { .. } => Err(Error::Parse {
            what: "a jsii file redirect".into(),
            detail: "it points at another redirect".into(),
        }),
    }
}

/// Shorthand used in tests: parse a gzip'd assembly.
pub fn parse_gzip(bytes: &[u8]) -> Result<Assembly, Error> {
    parse_redirected(bytes, Some("gzip"))
}

/// A jsii assembly: one npm package's public API.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assembly {
    /// `jsii/0.10.0`.
    pub schema: String,
    /// The npm package name.
    pub name: String,
    /// The exact version.
    pub version: String,
    /// One-line description.
    #[serde(default)]
    pub description: String,
    /// jsii dependencies (name -> semver range); they must be loaded first.
    #[serde(default)]
    pub dependencies: BTreeMap<String, String>,
    /// Submodules by FQN.
    #[serde(default)]
    pub submodules: BTreeMap<String, Submodule>,
    /// Types by FQN.
    #[serde(default)]
    pub types: BTreeMap<String, Type>,
    /// Assembly format features used.
    #[serde(default)]
    pub used_features: Vec<String>,
    /// Package docs.
    #[serde(default)]
    pub docs: Docs,
    /// The compiler that wrote it.
    #[serde(default)]
    pub jsii_version: String,
    /// A hash of the API.
    #[serde(default)]
    pub fingerprint: String,
}

impl Assembly {
    fn check_features(&self) -> Result<(), Error> {
        let unknown: Vec<&String> = self
            .used_features
            .iter()
            .filter(|f| !SUPPORTED_FEATURES.contains(&f.as_str()))
            .collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(Error::UnsupportedFeatures {
                assembly: self.name.clone(),
                features: unknown.iter().map(|s| (*s).clone()).collect(),
            })
        }
    }
}

/// A submodule entry.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Submodule {
    /// The submodule's README.
    #[serde(default)]
    pub readme: Option<Readme>,
}

/// A README.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Readme {
    /// Markdown text.
    pub markdown: String,
}

/// One type.
#[derive(Debug, Clone, Deserialize)]
#[allow(clippy::large_enum_variant)] // parsed once and held in maps; boxing buys nothing
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Type {
    /// A class.
    Class(ClassType),
    /// A behavioural interface, or a struct when `datatype` is set.
    Interface(InterfaceType),
    /// An enum.
    Enum(EnumType),
}

impl Type {
    /// The type's FQN.
    pub fn fqn(&self) -> &str {
        match self {
            Type::Class(c) => &c.fqn,
            Type::Interface(i) => &i.fqn,
            Type::Enum(e) => &e.fqn,
        }
    }

    /// The dotted namespace inside the assembly (`aws_dynamodb`, `aws_dynamodb.CfnTable`), if any.
    pub fn namespace(&self) -> Option<&str> {
        match self {
            Type::Class(c) => c.namespace.as_deref(),
            Type::Interface(i) => i.namespace.as_deref(),
            Type::Enum(e) => e.namespace.as_deref(),
        }
    }

    /// The type's docs.
    pub fn docs(&self) -> &Docs {
        match self {
            Type::Class(c) => &c.docs,
            Type::Interface(i) => &i.docs,
            Type::Enum(e) => &e.docs,
        }
    }
}

/// A class.
#[derive(Debug, Clone, Deserialize)]
pub struct ClassType {
    /// FQN.
    pub fqn: String,
    /// Simple name.
    pub name: String,
    /// Dotted namespace inside the assembly.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Base class FQN.
    #[serde(default)]
    pub base: Option<String>,
    /// Implemented interfaces.
    #[serde(default)]
    pub interfaces: Vec<String>,
    /// The constructor; absent when there is no public one.
    #[serde(default)]
    pub initializer: Option<Callable>,
    /// Abstract classes cannot be instantiated directly.
    #[serde(default, rename = "abstract")]
    pub is_abstract: bool,
    /// Properties (own, including overrides).
    #[serde(default)]
    pub properties: Vec<Property>,
    /// Methods (own, including overrides).
    #[serde(default)]
    pub methods: Vec<Callable>,
    /// Docs.
    #[serde(default)]
    pub docs: Docs,
}

/// A behavioural interface or a struct (`datatype`).
#[derive(Debug, Clone, Deserialize)]
pub struct InterfaceType {
    /// FQN.
    pub fqn: String,
    /// Simple name.
    pub name: String,
    /// Dotted namespace inside the assembly.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Base interfaces.
    #[serde(default)]
    pub interfaces: Vec<String>,
    /// True for structs.
    #[serde(default)]
    pub datatype: bool,
    /// Properties.
    #[serde(default)]
    pub properties: Vec<Property>,
    /// Methods.
    #[serde(default)]
    pub methods: Vec<Callable>,
    /// Docs.
    #[serde(default)]
    pub docs: Docs,
}

/// An enum.
#[derive(Debug, Clone, Deserialize)]
pub struct EnumType {
    /// FQN.
    pub fqn: String,
    /// Simple name.
    pub name: String,
    /// Dotted namespace inside the assembly.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Members, in declaration order.
    pub members: Vec<EnumMember>,
    /// Docs.
    #[serde(default)]
    pub docs: Docs,
}

/// An enum member.
#[derive(Debug, Clone, Deserialize)]
pub struct EnumMember {
    /// The member name (as sent on the wire).
    pub name: String,
    /// Docs.
    #[serde(default)]
    pub docs: Docs,
}

/// A property.
#[derive(Debug, Clone, Deserialize)]
pub struct Property {
    /// Name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub type_ref: TypeRef,
    /// May be undefined.
    #[serde(default)]
    pub optional: bool,
    /// Read-only.
    #[serde(default)]
    pub immutable: bool,
    /// Static.
    #[serde(default, rename = "static")]
    pub is_static: bool,
    /// A static constant (its value is fetched with `sget`).
    #[serde(default, rename = "const")]
    pub is_const: bool,
    /// Abstract.
    #[serde(default, rename = "abstract")]
    pub is_abstract: bool,
    /// Protected.
    #[serde(default)]
    pub protected: bool,
    /// FQN of the ancestor declaring the overridden member.
    #[serde(default)]
    pub overrides: Option<String>,
    /// Docs.
    #[serde(default)]
    pub docs: Docs,
}

/// A method or initializer.
#[derive(Debug, Clone, Deserialize)]
pub struct Callable {
    /// Name (absent for initializers).
    #[serde(default)]
    pub name: Option<String>,
    /// Parameters.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Return type (absent: void).
    #[serde(default)]
    pub returns: Option<Returns>,
    /// Static.
    #[serde(default, rename = "static")]
    pub is_static: bool,
    /// Abstract.
    #[serde(default, rename = "abstract")]
    pub is_abstract: bool,
    /// Protected.
    #[serde(default)]
    pub protected: bool,
    /// Async (use begin/end).
    #[serde(default, rename = "async")]
    pub is_async: bool,
    /// The last parameter is variadic.
    #[serde(default)]
    pub variadic: bool,
    /// FQN of the ancestor declaring the overridden member.
    #[serde(default)]
    pub overrides: Option<String>,
    /// Docs.
    #[serde(default)]
    pub docs: Docs,
}

/// A parameter.
#[derive(Debug, Clone, Deserialize)]
pub struct Parameter {
    /// Name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub type_ref: TypeRef,
    /// May be omitted.
    #[serde(default)]
    pub optional: bool,
    /// Variadic (the last parameter only).
    #[serde(default)]
    pub variadic: bool,
    /// Docs.
    #[serde(default)]
    pub docs: Docs,
}

/// A return type.
#[derive(Debug, Clone, Deserialize)]
pub struct Returns {
    /// Type.
    #[serde(rename = "type")]
    pub type_ref: TypeRef,
    /// May be undefined.
    #[serde(default)]
    pub optional: bool,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(untagged)]
pub enum TypeRef {
    /// `string`, `number`, `boolean`, `date`, `json`, `any`.
    Primitive {
        /// The primitive's name.
        primitive: Primitive,
    },
    /// A named type.
    Named {
        /// Its FQN.
        fqn: String,
    },
    /// `array` or `map`.
    Collection {
        /// The collection.
        collection: Collection,
    },
    /// A union.
    Union {
        /// Its members.
        union: Composite,
    },
    /// An intersection (treated as its first member, as the kernel does).
    Intersection {
        /// Its members.
        intersection: Composite,
    },
}

/// A primitive type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Primitive {
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `Date`.
    Date,
    /// JSON data.
    Json,
    /// Anything.
    Any,
}

/// A collection type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub struct Collection {
    /// `array` or `map`.
    pub kind: CollectionKind,
    /// The element type.
    pub elementtype: Box<TypeRef>,
}

/// Array or map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CollectionKind {
    /// `T[]`.
    Array,
    /// `{ [key: string]: T }`.
    Map,
}

/// The members of a union or intersection.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub struct Composite {
    /// The member types.
    pub types: Vec<TypeRef>,
}

/// Documentation, as jsii records it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Docs {
    /// First paragraph.
    #[serde(default)]
    pub summary: Option<String>,
    /// The rest.
    #[serde(default)]
    pub remarks: Option<String>,
    /// What a method returns.
    #[serde(default)]
    pub returns: Option<String>,
    /// The default value of an optional property.
    #[serde(default)]
    pub default: Option<String>,
    /// A link.
    #[serde(default)]
    pub see: Option<String>,
    /// Set when deprecated: the deprecation message.
    #[serde(default)]
    pub deprecated: Option<String>,
    /// `stable`, `experimental`, `deprecated`, `external`.
    #[serde(default)]
    pub stability: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_a_redirect() {
        let file =
            parse(br#"{"schema":"jsii/file-redirect","compression":"gzip","filename":".jsii.gz"}"#)
                .expect("parses");
        match file {
            AssemblyFile::Redirect {
                filename,
                compression,
            } => {
                assert_eq!(filename, ".jsii.gz");
                assert_eq!(compression.as_deref(), Some("gzip"));
            }
            AssemblyFile::Assembly(_) => panic!("a redirect"),
        }
    }

    #[test]
    fn reads_type_refs_of_every_shape() {
        let refs: Vec<TypeRef> = serde_json::from_str(
            r#"[{"primitive":"string"},{"fqn":"a.B"},
                {"collection":{"kind":"map","elementtype":{"primitive":"any"}}},
                {"union":{"types":[{"primitive":"number"},{"fqn":"a.C"}]}},
                {"intersection":{"types":[{"fqn":"a.D"},{"fqn":"a.E"}]}}]"#,
        )
        .expect("type refs");
        assert!(matches!(
            refs[0],
            TypeRef::Primitive {
                primitive: Primitive::String
            }
        ));
        assert!(
            matches!(&refs[2], TypeRef::Collection { collection } if collection.kind == CollectionKind::Map)
        );
        assert!(matches!(&refs[3], TypeRef::Union { union } if union.types.len() == 2));
        assert!(matches!(&refs[4], TypeRef::Intersection { .. }));
    }

    #[test]
    fn refuses_unknown_features() {
        let err = parse(
            br#"{"schema":"jsii/0.10.0","name":"x","version":"1.0.0","usedFeatures":["teleportation"]}"#,
        )
        .expect_err("unknown feature");
        assert!(err.to_string().contains("teleportation"), "{err}");
    }

    #[test]
    fn refuses_garbage_with_a_message() {
        let err = parse(b"not json").expect_err("garbage");
        assert!(err.to_string().contains(".jsii"), "{err}");
    }
}
