//! The resolved model: Rust-shaped, every name final. Stage 2 ([`crate::resolve`]) builds it
//! from assemblies; stage 3 ([`crate::emit`]) reads only this.

use std::collections::BTreeMap;

/// Where a Rust item lives, from the point of view of the crate being emitted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemPath {
    /// The crate's library name (`aws_cdk_lib`).
    pub krate: String,
    /// Module idents below the crate root.
    pub module: Vec<String>,
    /// The item's ident.
    pub name: String,
}

impl ItemPath {
    /// The path as written in crate `from`: `crate::m::Name` or `::other::m::Name`.
    pub fn render(&self, from: &str) -> String {
        let mut s = if self.krate == from {
            "crate".to_owned()
        } else {
            format!("::{}", self.krate)
        };
        for m in &self.module {
            s.push_str("::");
            s.push_str(m);
        }
        s.push_str("::");
        s.push_str(&self.name);
        s
    }

    /// The union enum `name` of crate `krate`, in its unions module.
    pub fn union(krate: &str, name: &str) -> ItemPath {
        ItemPath {
            krate: krate.to_owned(),
            module: vec![crate::naming::UNIONS_MODULE.to_owned()],
            name: name.to_owned(),
        }
    }

    /// The path as an intra-doc link target in crate `from`: `crate::m::Name` or
    /// `other_crate::m::Name`.
    pub fn doc_link(&self, from: &str) -> String {
        let rendered = self.render(from);
        rendered.strip_prefix("::").unwrap_or(&rendered).to_owned()
    }

    /// The same path with another item name (a sibling item such as a proxy).
    pub fn sibling(&self, name: &str) -> ItemPath {
        ItemPath {
            name: name.to_owned(),
            ..self.clone()
        }
    }
}

/// A type as the generated code sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ty {
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `boolean`.
    Bool,
    /// `Date`.
    Date,
    /// JSON data.
    Json,
    /// `any`.
    Any,
    /// A generated class.
    Class(ItemPath),
    /// A generated behavioural interface: its trait and its proxy handle.
    Interface {
        /// The trait.
        tr: ItemPath,
        /// The proxy struct.
        proxy: ItemPath,
    },
    /// A generated struct.
    Struct(ItemPath),
    /// A generated enum.
    Enum(ItemPath),
    /// A class or interface that is not generated: an opaque handle.
    Opaque,
    /// A struct or enum from an assembly without bindings: passed as `any`.
    OpaqueData,
    /// `T[]`.
    Array(Box<Ty>),
    /// `{ [key: string]: T }`.
    Map(Box<Ty>),
    /// A union, as a generated enum.
    Union(ItemPath),
    /// A two-arm union of a behavioural interface and a value type (`IResolvable | T`, the
    /// shape of most of aws-cdk-lib's L1 properties): one generic enum per interface,
    /// `IResolvableOr<T>`, instead of one enum per `T`.
    OrInterface {
        /// The generic enum (in the crate's unions module).
        generic: ItemPath,
        /// The value arm's type.
        value: Box<Ty>,
    },
}

/// A generated crate.
#[derive(Debug, Clone)]
pub struct CrateModel {
    /// Cargo package name.
    pub package: String,
    /// Library name.
    pub lib: String,
    /// Output directory (relative to the config file).
    pub dir: String,
    /// The npm package.
    pub npm: String,
    /// Its version.
    pub version: String,
    /// One-line description.
    pub description: String,
    /// Generated crates this one uses: (package, relative path).
    pub crate_deps: Vec<(String, String)>,
    /// The packages to load before this one: (static ident or extern path, is_local).
    pub load_deps: Vec<LoadDep>,
    /// Packages without bindings that must be loaded: declared as statics in this crate.
    pub load_only: Vec<LoadOnly>,
    /// The class/interface hierarchy of the whole assembly (for downcasts).
    pub type_graph: String,
    /// Modules by path ([] is the crate root).
    pub modules: BTreeMap<Vec<String>, ModuleModel>,
    /// Union enums, in the `unions` module.
    pub unions: Vec<UnionModel>,
    /// Generic `IFooOr<T>` enums, in the `unions` module.
    pub or_interfaces: Vec<OrInterfaceModel>,
    /// Counts for the report.
    pub stats: Stats,
    /// What the crate holds, for configs that name it under `[extern]` (`None` for the parts
    /// of a split crate: their facade carries the manifest).
    pub manifest: Option<crate::manifest::Manifest>,
    /// For a part of a split crate: the library of the package's crate, whose package static
    /// this crate re-exports instead of defining one.
    pub package_from: Option<String>,
}

/// The crate of a split package: it defines no type, and re-exports its parts' under the paths
/// the package has (`aws_cdk_lib::aws_lambda::Function` from `aws_cdk_lib_aws_lambda`).
#[derive(Debug, Clone)]
pub struct FacadeModel {
    /// Cargo package name.
    pub package: String,
    /// Library name.
    pub lib: String,
    /// Output directory (relative to the config file).
    pub dir: String,
    /// The npm package.
    pub npm: String,
    /// Its version.
    pub version: String,
    /// One-line description.
    pub description: String,
    /// The core part (the root module's types and the package static).
    pub core: FacadePart,
    /// The other parts, one per top-level submodule, in module order.
    pub parts: Vec<FacadePart>,
    /// The crate defining the package static, which every part depends on.
    pub package_crate: FacadePart,
    /// What the package's crates hold, for configs that name it under `[extern]`.
    pub manifest: crate::manifest::Manifest,
}

/// One part of a split crate, as its facade sees it.
#[derive(Debug, Clone)]
pub struct FacadePart {
    /// The module ident it is re-exported as (empty for the core).
    pub module: String,
    /// The module's docs.
    pub docs: String,
    /// Its library name.
    pub lib: String,
    /// Its Cargo package name.
    pub package: String,
    /// Its directory, relative to the facade's.
    pub dir: String,
}

/// What a generated jsii type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeKind {
    /// A class handle.
    Class,
    /// A behavioural interface: a trait plus proxy, implementation trait and host.
    Interface,
    /// A data type (jsii struct).
    Struct,
    /// An enum.
    Enum,
}

impl TypeKind {
    /// The word used in the crate manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            TypeKind::Class => "class",
            TypeKind::Interface => "interface",
            TypeKind::Struct => "struct",
            TypeKind::Enum => "enum",
        }
    }

    /// The kind a manifest word names.
    pub fn parse(word: &str) -> Option<TypeKind> {
        [
            TypeKind::Class,
            TypeKind::Interface,
            TypeKind::Struct,
            TypeKind::Enum,
        ]
        .into_iter()
        .find(|k| k.as_str() == word)
    }
}

/// A package to load before the crate's own.
#[derive(Debug, Clone)]
pub enum LoadDep {
    /// `::other_crate::PACKAGE`.
    Crate(String),
    /// A load-only static declared in this crate.
    Local(String),
}

/// A jsii package without a bindings crate: only loaded.
#[derive(Debug, Clone)]
pub struct LoadOnly {
    /// The static's ident.
    pub ident: String,
    /// npm name.
    pub name: String,
    /// Exact version.
    pub version: String,
    /// Packages to load first: other load-only statics of this crate, or other crates.
    pub deps: Vec<LoadDep>,
}

/// How much was generated.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Classes.
    pub classes: usize,
    /// Behavioural interfaces.
    pub interfaces: usize,
    /// Structs.
    pub structs: usize,
    /// Enums.
    pub enums: usize,
    /// Union enums.
    pub unions: usize,
    /// Methods and property accessors.
    pub members: usize,
}

/// One Rust module: a jsii submodule (or the root).
#[derive(Debug, Clone, Default)]
pub struct ModuleModel {
    /// Module idents from the crate root.
    pub path: Vec<String>,
    /// The jsii FQN of the submodule (the assembly name for the root).
    pub fqn: String,
    /// Module docs.
    pub docs: String,
    /// Child modules (idents).
    pub children: Vec<String>,
    /// Items, in emission order.
    pub items: Vec<Item>,
    /// For each item, the private module (one file) it is written in: a type with its nested
    /// types, and a class with its `Props`. The module re-exports them all, so public paths do
    /// not show the files.
    pub files: Vec<String>,
}

impl Item {
    /// The jsii FQN of the type.
    pub fn fqn(&self) -> &str {
        match self {
            Item::Class(c) => &c.fqn,
            Item::Interface(i) => &i.fqn,
            Item::Struct(s) => &s.fqn,
            Item::Enum(e) => &e.fqn,
        }
    }

    /// The Rust ident of the type (the trait, for an interface).
    pub fn name(&self) -> &str {
        match self {
            Item::Class(c) => &c.name,
            Item::Interface(i) => &i.name,
            Item::Struct(s) => &s.name,
            Item::Enum(e) => &e.name,
        }
    }
}

/// One generated type.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // built once per type and emitted; boxing buys nothing
pub enum Item {
    /// A class handle.
    Class(ClassModel),
    /// A trait plus a proxy handle.
    Interface(InterfaceModel),
    /// A plain struct.
    Struct(StructModel),
    /// An enum.
    Enum(EnumModel),
}

/// Docs carried into rustdoc.
#[derive(Debug, Clone, Default)]
pub struct DocModel {
    /// The jsii name (FQN or member name) this item binds.
    pub jsii: String,
    /// Summary.
    pub summary: Option<String>,
    /// Remarks.
    pub remarks: Option<String>,
    /// Default value.
    pub default: Option<String>,
    /// Returns.
    pub returns: Option<String>,
    /// See also.
    pub see: Option<String>,
    /// Deprecation message.
    pub deprecated: Option<String>,
    /// Experimental API.
    pub experimental: bool,
}

/// A class.
#[derive(Debug, Clone)]
pub struct ClassModel {
    /// Ident.
    pub name: String,
    /// FQN.
    pub fqn: String,
    /// Docs.
    pub docs: DocModel,
    /// The base class (generated), if any.
    pub base: Option<ItemPath>,
    /// All generated ancestors, nearest first (for upcasting conversions).
    pub ancestors: Vec<ItemPath>,
    /// Traits this class implements (all generated interfaces, transitively).
    pub traits: Vec<ItemPath>,
    /// The constructor, when instantiable.
    pub constructor: Option<Callable>,
    /// The constructor used with overrides (also for abstract classes and protected ones).
    pub override_constructor: Option<Callable>,
    /// Instance and static members.
    pub members: Vec<Member>,
    /// The instance members Rust may override, protected ones included: one typed constant
    /// each for `Overrides::override_method` / `override_getter`.
    pub overridable: Vec<Overridable>,
    /// Whether the class is abstract.
    pub is_abstract: bool,
}

/// The most arguments the runtime decodes into a tuple for an override
/// (`jsii_runtime::MAX_OVERRIDE_ARGS`); methods with more get no typed constant. Every generated
/// crate asserts at compile time that its runtime decodes at least this many.
pub const MAX_OVERRIDE_ARGS: usize = 8;

/// An instance member of a class that Rust may override, as a typed constant.
#[derive(Debug, Clone)]
pub struct Overridable {
    /// The constant's ident (`DESCRIBE`).
    pub name: String,
    /// jsii name.
    pub jsii: String,
    /// Protected in TypeScript (overridable, but not callable from Rust).
    pub protected: bool,
    /// What it is.
    pub kind: OverridableKind,
}

/// The signature of an [`Overridable`].
#[derive(Debug, Clone)]
pub enum OverridableKind {
    /// A method: its arguments (type, optional) and result.
    Method {
        /// Parameters (their types and whether they may be omitted).
        args: Vec<Param>,
        /// Return type; `None` for void.
        ret: Option<Ty>,
        /// The return may be undefined.
        optional: bool,
        /// Async: its `super` call waits for the promise.
        is_async: bool,
    },
    /// A property's getter.
    Getter {
        /// Type.
        ty: Ty,
        /// May be undefined.
        optional: bool,
    },
    /// A writable property's setter.
    Setter {
        /// Type.
        ty: Ty,
        /// May be undefined.
        optional: bool,
    },
}

/// A behavioural interface.
#[derive(Debug, Clone)]
pub struct InterfaceModel {
    /// The trait ident.
    pub name: String,
    /// The proxy ident.
    pub proxy: String,
    /// The implementation trait ident.
    pub impl_trait: String,
    /// The ident of the glue type that dispatches callbacks to an implementation.
    pub host: String,
    /// FQN.
    pub fqn: String,
    /// All FQNs it implements (itself and ancestors), for `create`.
    pub fqns: Vec<String>,
    /// Docs.
    pub docs: DocModel,
    /// Generated super-traits.
    pub supers: Vec<ItemPath>,
    /// All generated interfaces the proxy implements (supers, transitively).
    pub all_traits: Vec<ItemPath>,
    /// Own members (the trait's methods).
    pub members: Vec<Member>,
    /// Members of the whole interface closure (the proxy's inherent methods and the
    /// implementation trait).
    pub all_members: Vec<Member>,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructModel {
    /// Ident.
    pub name: String,
    /// FQN.
    pub fqn: String,
    /// Docs.
    pub docs: DocModel,
    /// Fields, inherited ones flattened, required first then optional, each in jsii order.
    pub fields: Vec<Field>,
    /// The builder type's ident (`FunctionPropsBuilder`).
    pub builder: String,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Field ident.
    pub name: String,
    /// The builder's setter ident (the field's name, escaped like it).
    pub setter: String,
    /// jsii name.
    pub jsii: String,
    /// Type.
    pub ty: Ty,
    /// Optional.
    pub optional: bool,
    /// Held in a `Box`: the field's type contains this struct again (a recursive struct such
    /// as a WAF rule statement), so the struct would have infinite size inline.
    pub boxed: bool,
    /// Docs.
    pub docs: DocModel,
}

/// An enum.
#[derive(Debug, Clone)]
pub struct EnumModel {
    /// Ident.
    pub name: String,
    /// FQN.
    pub fqn: String,
    /// Docs.
    pub docs: DocModel,
    /// (variant ident, jsii member, docs).
    pub variants: Vec<(String, String, DocModel)>,
}

/// A generic enum for the unions of one interface with any value type: `IResolvableOr<T>`.
#[derive(Debug, Clone)]
pub struct OrInterfaceModel {
    /// Ident (`IResolvableOr`).
    pub name: String,
    /// The interface arm's variant ident (`IResolvable`).
    pub variant: String,
    /// The interface (a [`Ty::Interface`]).
    pub interface: Ty,
    /// The interface's jsii FQN.
    pub fqn: String,
}

/// A union enum.
#[derive(Debug, Clone)]
pub struct UnionModel {
    /// Ident.
    pub name: String,
    /// Arms: (variant ident, type).
    pub arms: Vec<(String, Ty)>,
}

/// A method, property or constructor signature.
#[derive(Debug, Clone)]
pub struct Callable {
    /// Parameters.
    pub params: Vec<Param>,
    /// Docs.
    pub docs: DocModel,
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Ident.
    pub name: String,
    /// Type.
    pub ty: Ty,
    /// May be omitted (always trailing in jsii).
    pub optional: bool,
    /// Variadic (last).
    pub variadic: bool,
}

/// A class or interface member.
#[derive(Debug, Clone)]
pub struct Member {
    /// Rust ident (getter for properties).
    pub name: String,
    /// jsii name.
    pub jsii: String,
    /// What it is.
    pub kind: MemberKind,
    /// Static.
    pub is_static: bool,
    /// Docs.
    pub docs: DocModel,
}

/// The shape of a member.
#[derive(Debug, Clone)]
pub enum MemberKind {
    /// A method.
    Method {
        /// Parameters.
        params: Vec<Param>,
        /// Return type; `None` for void.
        ret: Option<Ty>,
        /// The return may be undefined.
        optional: bool,
        /// Async (begin/end).
        is_async: bool,
    },
    /// A property.
    Property {
        /// Type.
        ty: Ty,
        /// May be undefined.
        optional: bool,
        /// The setter ident, if writable.
        setter: Option<String>,
        /// A static constant.
        is_const: bool,
    },
}
