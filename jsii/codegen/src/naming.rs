//! Every identifier the generator emits comes from here: case conversion, keyword escaping,
//! names reserved by the generated code itself, and de-duplication within a scope.
//!
//! Rules (tested below and by the hostile fixture):
//! - Members and parameters are `snake_case`; Rust keywords become raw identifiers (`r#type`),
//!   except those that cannot be raw (`self`, `Self`, `super`, `crate`), which get a `_` suffix.
//! - Types keep their jsii name (already `PascalCase`); nested types are flattened by
//!   concatenation (`CfnTable.KeySchemaProperty` -> `CfnTableKeySchemaProperty`). Names the
//!   generated code uses unqualified (`String`, `Vec`, `Option`, `Some`, `None`, `Ok`, `Box`)
//!   and keywords get a `_` suffix.
//! - Enum members become `PascalCase` variants (`PAY_PER_REQUEST` -> `PayPerRequest`).
//! - Modules are the submodule's last segment in `snake_case`, escaped like members; names the
//!   generated code reserves (`unions`, `jsii`) get a `_` suffix.
//! - Within one scope, a name that is already taken gets `_` appended until it is unique; the
//!   order of claims decides who keeps the plain name, and callers claim in a fixed order.

use std::collections::BTreeSet;

/// Rust keywords (2024 edition, strict and reserved) that cannot be used as plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code refers to unqualified; a jsii type with one of these names is
/// renamed so the generated code keeps meaning the prelude item.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "String", "Vec", "Option", "Some", "None", "Ok", "Err", "Box", "From", "Into", "AsRef",
];

/// Names of the prelude's derive macros and traits: a generated type may carry one (jsii-calc
/// has a struct `Default`), and an intra-doc link to it must then say it means the type.
const PRELUDE_MACROS: &[&str] = &[
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "Hash",
    "Ord",
    "PartialEq",
    "PartialOrd",
];

/// An intra-doc link to the generated type `name` of the same module: `` [`Name`] ``, or
/// `` [`Default`](struct@Default) `` where the name is also a prelude macro. `kind` is the
/// rustdoc disambiguator (`struct`, `enum`, `trait`).
pub fn doc_link(name: &str, kind: &str) -> String {
    if PRELUDE_MACROS.contains(&name) {
        format!("[`{name}`]({kind}@{name})")
    } else {
        format!("[`{name}`]")
    }
}

/// Names a generated method uses for itself besides its parameters: `self`, and `args` (the
/// argument list a variadic call builds). A parameter so named gets a `_` suffix.
pub const RESERVED_PARAMS: &[&str] = &["self", "args"];

/// The longest identifier the generator emits; longer ones are built another way (a union
/// named where it is used, a nested type's name capped) so file names and docs stay usable.
pub const MAX_NAME: usize = 100;

/// The module of a generated crate that holds its union enums.
pub const UNIONS_MODULE: &str = "unions";

/// Module names the generated crate uses for itself.
pub const RESERVED_MODULE_NAMES: &[&str] = &[UNIONS_MODULE, "jsii"];

/// Splits a jsii name (`camelCase`, `PascalCase` or `UPPER_SNAKE`) into lowercase words.
/// Acronyms stay together (`toJSONString` -> `to json string`); digits stick to the word
/// before them (`arm64`, `s3Bucket` -> `s3 bucket`).
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '_' | '-' | '.' | ' ' | '/' | '@') {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            // fooBar | FOOBar (the B starts "Bar") | 3D stays with the digit
            if prev.is_lowercase()
                || (prev.is_uppercase() && next_lower)
                || (prev.is_ascii_digit() && next_lower)
            {
                words.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// `snake_case` of a jsii name, unescaped.
pub fn snake(name: &str) -> String {
    let w = words(name);
    if w.is_empty() {
        return "_".to_owned();
    }
    w.join("_")
}

/// `PascalCase` of a jsii name, unescaped.
pub fn pascal(name: &str) -> String {
    let mut out = String::new();
    for w in words(name) {
        let mut cs = w.chars();
        if let Some(first) = cs.next() {
            out.extend(first.to_uppercase());
            out.push_str(cs.as_str());
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// Escapes a value-namespace identifier (function, field, parameter, module).
pub fn escape_value(ident: &str) -> String {
    if NOT_RAW.contains(&ident) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident) {
        format!("r#{ident}")
    } else if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{ident}")
    } else {
        ident.to_owned()
    }
}

/// A member or parameter name: `grantReadData` -> `grant_read_data`, `type` -> `r#type`.
pub fn member(jsii_name: &str) -> String {
    escape_value(&snake(jsii_name))
}

/// A type name: kept as jsii wrote it unless it is a keyword or a reserved name.
pub fn type_name(jsii_name: &str) -> String {
    if KEYWORDS.contains(&jsii_name) || RESERVED_TYPE_NAMES.contains(&jsii_name) {
        format!("{jsii_name}_")
    } else {
        jsii_name.to_owned()
    }
}

/// An enum variant: `PAY_PER_REQUEST` -> `PayPerRequest`, `SELF` -> `Self_`.
pub fn variant(jsii_member: &str) -> String {
    let p = pascal(jsii_member);
    if KEYWORDS.contains(&p.as_str()) {
        format!("{p}_")
    } else {
        p
    }
}

/// A module name from one submodule segment. Claim it in a scope reserving
/// [`RESERVED_MODULE_NAMES`] (every generated module imports the runtime as `jsii`).
pub fn module(segment: &str) -> String {
    escape_value(&snake(segment))
}

/// The file name of a module (raw-identifier prefix dropped).
pub fn module_file(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// The crate name (Cargo package) of an npm package: `@scope/name` -> `scope-name`.
pub fn crate_package(npm: &str) -> String {
    npm.trim_start_matches('@').replace(['/', '.', '_'], "-")
}

/// The library name of a crate package: `aws-cdk-lib` -> `aws_cdk_lib`.
pub fn crate_lib(package: &str) -> String {
    package.replace('-', "_")
}

/// The ident of the `static` describing a dependency package:
/// `@aws-cdk/asset-awscli-v1` -> `AWS_CDK_ASSET_AWSCLI_V1`.
pub fn package_static(npm: &str) -> String {
    snake(npm).to_uppercase()
}

/// The name of the getter for a static constant: `PROVIDED_AL2023` -> `provided_al2023`.
pub fn constant(jsii_name: &str) -> String {
    member(jsii_name)
}

/// The constant naming an overridable member: `allocateLogicalId` -> `ALLOCATE_LOGICAL_ID`.
/// Claim it in a scope reserving [`RESERVED_CLASS_CONSTS`].
pub fn override_const(jsii_name: &str) -> String {
    let name = snake(jsii_name).to_uppercase();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("M_{name}")
    }
}

/// Associated constants every class already has through the runtime's traits; an inherent
/// constant of the same name would shadow them in `Self::` paths.
pub const RESERVED_CLASS_CONSTS: &[&str] = &["FQN"];

/// The setter of a property: `tableName` -> `set_table_name`.
pub fn setter(jsii_name: &str) -> String {
    escape_value(&format!("set_{}", snake(jsii_name)))
}

/// The builder type of a struct: `FunctionProps` -> `FunctionPropsBuilder`. Claimed in the
/// module's type scope after every type name, so a jsii type of that name keeps its name.
pub fn builder(struct_name: &str) -> String {
    format!("{struct_name}Builder")
}

/// Methods every struct builder has; a field named like one gets a `_` setter.
pub const RESERVED_BUILDER_METHODS: &[&str] = &["build", "into_state"];

/// One scope of names: claims are unique within it.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Scope {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Claims `desired`, or `desired_`, `desired__`, ... if taken. Raw identifiers compare by
    /// their text (`r#type` and `type_` do not clash).
    pub fn claim(&mut self, desired: &str) -> String {
        let mut name = desired.to_owned();
        while self.taken.contains(&name) {
            name = match name.strip_prefix("r#") {
                Some(raw) => format!("{raw}_"),
                None => format!("{name}_"),
            };
        }
        self.taken.insert(name.clone());
        name
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_keeps_acronyms_and_digits_together() {
        for (jsii, rust) in [
            ("grantReadData", "grant_read_data"),
            ("tableName", "table_name"),
            ("toJSONString", "to_json_string"),
            ("ARM_64", "arm_64"),
            ("PROVIDED_AL2023", "provided_al2023"),
            ("s3Bucket", "s3_bucket"),
            ("fromTableArn", "from_table_arn"),
            ("IPAddress", "ip_address"),
            ("V1_0", "v1_0"),
            ("x", "x"),
            ("addL3Thing", "add_l3_thing"),
        ] {
            assert_eq!(snake(jsii), rust, "{jsii}");
        }
    }

    #[test]
    fn override_constants_are_upper_snake_case() {
        assert_eq!(override_const("allocateLogicalId"), "ALLOCATE_LOGICAL_ID");
        assert_eq!(override_const("type"), "TYPE");
        assert_eq!(override_const("self"), "SELF");
        assert_eq!(override_const("toJSONString"), "TO_JSON_STRING");
        assert_eq!(override_const("_"), "M__");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(member("type"), "r#type");
        assert_eq!(member("ref"), "r#ref");
        assert_eq!(member("match"), "r#match");
        assert_eq!(member("fn"), "r#fn");
        assert_eq!(member("async"), "r#async");
        assert_eq!(member("self"), "self_");
        assert_eq!(member("super"), "super_");
        assert_eq!(member("crate"), "crate_");
        assert_eq!(member("new"), "new");
        assert_eq!(setter("type"), "set_type");
        assert_eq!(builder("FunctionProps"), "FunctionPropsBuilder");
    }

    #[test]
    fn type_names_that_the_generated_code_needs_are_renamed() {
        assert_eq!(type_name("Fn"), "Fn");
        assert_eq!(type_name("Result"), "Result");
        assert_eq!(type_name("String"), "String_");
        assert_eq!(type_name("Vec"), "Vec_");
        assert_eq!(type_name("Option"), "Option_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("Table"), "Table");
        assert_eq!(type_name("From"), "From_");
        assert_eq!(type_name("Err"), "Err_");
        assert_eq!(type_name("Default"), "Default");
        assert_eq!(doc_link("Default", "struct"), "[`Default`](struct@Default)");
        assert_eq!(doc_link("Table", "struct"), "[`Table`]");
    }

    #[test]
    fn enum_variants_are_pascal_case() {
        assert_eq!(variant("PAY_PER_REQUEST"), "PayPerRequest");
        assert_eq!(variant("STRING"), "String");
        assert_eq!(variant("SELF"), "Self_");
        assert_eq!(variant("TYPE"), "Type");
        assert_eq!(
            variant("ALL_CAPS_WITH_UNDERSCORES"),
            "AllCapsWithUnderscores"
        );
        assert_eq!(variant("V1_0"), "V10");
        assert_eq!(variant("V10"), "V10");
        assert_eq!(variant("_3D"), "V3d");
    }

    #[test]
    fn modules_escape_keywords_and_reserved_names() {
        assert_eq!(module("aws_dynamodb"), "aws_dynamodb");
        assert_eq!(module("type"), "r#type");
        let mut scope = Scope::with_reserved(RESERVED_MODULE_NAMES);
        assert_eq!(scope.claim(&module("unions")), "unions_");
        assert_eq!(scope.claim(&module("jsii")), "jsii_");
        assert_eq!(module_file("r#type"), "type");
    }

    #[test]
    fn scopes_deduplicate_deterministically() {
        let mut s = Scope::with_reserved(&["new"]);
        assert_eq!(s.claim("new"), "new_");
        assert_eq!(s.claim("set_url"), "set_url");
        assert_eq!(s.claim("set_url"), "set_url_");
        assert_eq!(s.claim("r#type"), "r#type");
        assert_eq!(s.claim("r#type"), "type_");
        assert!(s.contains("type_"));
    }

    #[test]
    fn crate_names_come_from_npm_names() {
        assert_eq!(crate_package("aws-cdk-lib"), "aws-cdk-lib");
        assert_eq!(
            crate_package("@aws-cdk/cloud-assembly-schema"),
            "aws-cdk-cloud-assembly-schema"
        );
        assert_eq!(crate_lib("aws-cdk-lib"), "aws_cdk_lib");
        assert_eq!(
            package_static("@aws-cdk/asset-awscli-v1"),
            "AWS_CDK_ASSET_AWSCLI_V1"
        );
    }
}
