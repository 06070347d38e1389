//! The committed generated crates match what the generator produces from the installed
//! packages: the app's bindings (drift) and the hostile fixture (golden output).
//!
//! These run the real CLI (`jsii-codegen <config> --check`) against `node_modules`, so they
//! need `npm ci` (bin/setup).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn codegen(config: &str, check: bool) -> (bool, String) {
    let root = root();
    assert!(
        root.join("node_modules/aws-cdk-lib").is_dir(),
        "node_modules is missing: run bin/setup (npm ci) first"
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jsii-codegen"));
    cmd.arg(root.join(config));
    if check {
        cmd.arg("--check");
    }
    let out = cmd.output().expect("run jsii-codegen");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_committed_app_bindings_are_what_the_generator_writes() {
    let (ok, log) = codegen("app/bindings/bindings.toml", true);
    assert!(
        ok,
        "the committed bindings under app/bindings/ differ from the generator's output; \
         run bin/regen and commit the result\n{log}"
    );
}

#[test]
fn the_committed_library_test_bindings_are_what_the_generator_writes() {
    let (ok, log) = codegen("tests/libraries/bindings/bindings.toml", true);
    assert!(
        ok,
        "the committed bindings under tests/libraries/bindings/ differ from the generator's \
         output; run bin/regen and commit the result\n{log}"
    );
}

#[test]
fn the_fixture_crate_matches_the_golden_output() {
    let bless = std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    if bless {
        let (ok, log) = codegen("tests/fixture/bindings/bindings.toml", false);
        assert!(ok, "{log}");
    }
    let (ok, log) = codegen("tests/fixture/bindings/bindings.toml", true);
    assert!(
        ok,
        "the generator's output for the fixture changed; review the diff and bless it with \
         UPDATE_GOLDEN=1 cargo test -p jsii-codegen --test generated\n{log}"
    );
}

/// The source of one module of the generated fixture package (`lib.rs` for the root,
/// `geometry.rs` for a submodule, `geometry/solids.rs` for a nested one): its module file and the
/// files holding its items. The fixture is split into a crate per top-level submodule
/// (`parts/core` for the root module, `parts/geometry`, ...), so a top-level module is the root
/// of its part, and the files of a module sit in its directory (`src/` at a part's root).
fn fixture_source(module_file: &str) -> String {
    let package = root().join("tests/fixture/bindings/jsii-rs-fixture/parts");
    let module = module_file.trim_end_matches(".rs");
    let (part, inner) = match module.split_once('/') {
        _ if module == "lib" => ("core", None),
        Some((top, rest)) => (top, Some(rest)),
        None => (module, None),
    };
    let src = package.join(part).join("src");
    let (file, dir) = match inner {
        None => (src.join("lib.rs"), src.clone()),
        Some(rest) => (src.join(format!("{rest}.rs")), src.join(rest)),
    };
    let mut text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{module_file}: {e}"));
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs") && *p != file)
        .collect();
    parts.sort();
    for p in parts {
        text.push_str(&std::fs::read_to_string(&p).expect("item file"));
    }
    text
}

#[test]
fn hostile_names_come_out_as_valid_distinct_rust() {
    let lib = fixture_source("lib.rs");
    for expected in [
        // A class named like a prelude item the generated code uses is renamed; `Fn` and
        // `Result` are not (the generated code never names them unqualified).
        "pub struct String_(",
        "pub struct Vec_(",
        "pub struct Option_(",
        "pub struct Self_(",
        "pub struct Fn(",
        "pub struct Result(",
        // Keyword members become raw identifiers, or get `_` where raw is impossible.
        "pub fn r#type(&self)",
        "pub fn r#ref(&self)",
        "pub fn r#match(&self)",
        "pub fn self_(&self)",
        "pub fn super_(&self)",
        "pub fn crate_(&self)",
        // A static `new` next to the constructor.
        "pub fn new_(",
        // A real class named IWidgetProxy keeps its name; the proxy of IWidget yields.
        "pub struct IWidgetProxy(",
        "pub struct IWidgetProxy_(",
        // A submodule named after a keyword.
        // Enum members that collide once PascalCased.
        "V10,",
        "V10_,",
        // Override constants of keyword-named members need no escaping in capitals.
        "pub const TYPE: jsii::Method<Self, (), String> = jsii::Method::new(\"type\");",
        "pub const SELF: jsii::Method<Self, (String,), String> = jsii::Method::new(\"self\");",
        "pub const TYPE: jsii::Getter<Self, String> = jsii::Getter::new(\"type\");",
        // A protected method gets an override constant, though no method to call it.
        "pub const FORMAT_PRICE: jsii::Method<Self, (f64,), String>",
    ] {
        assert!(lib.contains(expected), "lib.rs lacks {expected:?}");
    }
    // The submodule named like a keyword is re-exported from its part under a raw identifier.
    let facade =
        std::fs::read_to_string(root().join("tests/fixture/bindings/jsii-rs-fixture/src/lib.rs"))
            .expect("the fixture's facade");
    assert!(
        facade.contains("pub use ::jsii_rs_fixture_type as r#type;"),
        "{facade}"
    );
    let geometry = fixture_source("geometry.rs");
    // The nested `Shape.Kind` flattens to `ShapeKind`, which a top-level enum already has.
    assert!(
        geometry.contains("pub enum ShapeKind {"),
        "top-level ShapeKind"
    );
    assert!(
        geometry.contains("pub enum ShapeKind_ {"),
        "nested Shape.Kind"
    );
    assert!(
        fixture_source("type.rs").contains("pub struct Result {"),
        "type.Result struct"
    );
}

#[test]
fn recursive_structs_box_exactly_the_fields_that_close_a_cycle() {
    let lib = fixture_source("lib.rs");
    for expected in [
        // Rule -> Rule, and Rule -> (number | PriceRule) -> PriceRule -> Rule.
        "pub not: Option<Box<crate::Rule>>,",
        "pub max_price: Option<Box<crate::unions::NumberOrPriceRule>>,",
        "pub unless: Option<Box<crate::Rule>>,",
        // A list already holds its elements on the heap; a struct outside the cycle stays inline.
        "pub all_of: Option<Vec<crate::Rule>>,",
        "pub category: Option<crate::Category>,",
        "pub dimensions: Option<crate::Dimensions>,",
    ] {
        assert!(lib.contains(expected), "lib.rs lacks {expected:?}");
    }
    // The builders keep taking the plain value.
    assert!(lib.contains(
        "pub fn not(mut self, v: crate::Rule) -> Self {\n        self.not = Some(Box::new(v));"
    ));
}

#[test]
fn protected_constructors_are_only_reachable_through_overrides() {
    // `geometry.Shape` has a protected constructor: TypeScript lets only subclasses call it,
    // so Rust gets `new_with_overrides` (a subclass) and no public `new`.
    let geometry = fixture_source("geometry.rs");
    let shape = &geometry[geometry.find("impl Shape {").expect("Shape's impl")..];
    let shape = &shape[..shape.find("\n}\n").expect("end of the impl")];
    assert!(shape.contains("pub fn new_with_overrides("), "{shape}");
    assert!(!shape.contains("pub fn new("), "{shape}");
    // A public constructor keeps its `new`.
    let cube = fixture_source("geometry/solids.rs");
    assert!(cube.contains("pub fn new("), "Cube::new");
}

#[test]
fn a_dependency_without_bindings_loads_after_the_crates_it_depends_on() {
    // @aws-solutions-constructs/core has no crate: it is a load-only static of the library's
    // crate, and its own dependencies are other crates' PACKAGE statics, named by path.
    let lib =
        std::fs::read_to_string(root().join(
            "tests/libraries/bindings/aws-solutions-constructs-aws-lambda-dynamodb/src/lib.rs",
        ))
        .expect("the generated library crate");
    let start = lib
        .find("static AWS_SOLUTIONS_CONSTRUCTS_CORE: jsii::Package")
        .expect("a load-only static for the core package");
    let body = &lib[start..start + lib[start..].find("};").expect("end of static")];
    for dep in [
        "&AWS_CDK_CLOUD_ASSEMBLY_SCHEMA,",
        "&::aws_cdk_lib_libtests_package::PACKAGE,",
        "&::constructs::PACKAGE,",
    ] {
        assert!(body.contains(dep), "{dep} missing from:\n{body}");
    }
}

#[test]
fn every_generated_name_and_file_is_bounded() {
    // File names, docs pages and error messages stay usable: no identifier over 100 characters
    // (unions that their arms cannot name briefly are named where they are used).
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    for dir in [
        "app/bindings",
        "tests/libraries/bindings",
        "tests/fixture/bindings",
    ] {
        walk(&root().join(dir), &mut files);
    }
    assert!(files.len() > 20, "generated sources found: {}", files.len());
    // An IDE opens any file: none over 1 MiB (a module is split into one file per type group).
    for f in &files {
        let size = std::fs::metadata(f).expect("stat").len();
        assert!(size <= 1 << 20, "{} is {size} bytes", f.display());
    }
    let mut longest = (0, String::new());
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        // Every declared item, variant and field: the identifier after a keyword or a `pub`.
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '#'))
            .filter(|w| !w.is_empty())
            .collect();
        for pair in words.windows(2) {
            if [
                "struct", "enum", "trait", "fn", "const", "mod", "type", "pub",
            ]
            .contains(&pair[0])
            {
                let name = pair[1].trim_start_matches("r#");
                if name.len() > longest.0 {
                    longest = (name.len(), name.to_owned());
                }
            }
        }
    }
    assert!(
        longest.0 <= jsii_codegen::naming::MAX_NAME,
        "{} characters: {}",
        longest.0,
        longest.1
    );
}
