//! Loading jsii packages into a kernel: dependencies first, each from its installed copy in
//! `node_modules` (packed into the tarball the kernel's `load` takes), at exactly the version the
//! bindings were generated from; then its type graph goes to the type registry.

use crate::api::LoadRequest;
use crate::error::{Error, Result};
use crate::fast::snapshot::FirstLoad;
use crate::kernel::Kernel;
use crate::{locate, tarball, types};
use std::path::Path;

/// A jsii package the bindings use: loaded into the kernel (dependencies first) on first use.
///
/// Generated crates define one `static` per assembly; `version` is the exact version they were
/// generated from, and loading fails with [`Error::PackageVersionMismatch`] if `node_modules`
/// holds another.
#[derive(Debug)]
pub struct Package {
    /// The npm package name.
    pub name: &'static str,
    /// The exact version.
    pub version: &'static str,
    /// jsii packages that must be loaded first.
    pub dependencies: &'static [&'static Package],
    /// The package's class and interface hierarchy, one type per line:
    /// `<fqn> <base fqn or -> <interface,interface>`. Used for checked downcasts.
    pub type_graph: &'static str,
}

/// The packages a kernel's first load of `package` loads, in order (dependencies first, each
/// once), with their installed directories: what the kernel's startup snapshot is keyed by.
/// Empty when one of them is not installed at the version the bindings want (the load itself
/// then reports it).
pub(crate) fn first_loads(node_modules: &Path, package: &'static Package) -> Vec<FirstLoad> {
    fn visit(
        nm: &Path,
        package: &'static Package,
        parent: Option<&Path>,
        out: &mut Vec<FirstLoad>,
    ) -> Option<()> {
        if out.iter().any(|p| p.name == package.name) {
            return Some(());
        }
        let dir = locate::find_package(nm, package.name, parent).ok()?;
        for dep in package.dependencies {
            visit(nm, dep, Some(&dir), out)?;
        }
        if locate::package_version(&dir)? != package.version {
            return None;
        }
        if !out.iter().any(|p| p.name == package.name) {
            out.push(FirstLoad {
                name: package.name,
                version: package.version,
                dir,
            });
        }
        Some(())
    }
    let mut out = Vec::new();
    match visit(node_modules, package, None, &mut out) {
        Some(()) => out,
        None => Vec::new(),
    }
}

/// Loads `package` and its dependencies into `kernel`, once each.
pub(crate) fn ensure_loaded(kernel: &Kernel, package: &'static Package) -> Result<()> {
    load_from(kernel, package, None)
}

thread_local! {
    /// Packages whose values went into an `any` (a struct or an enum member): the next call
    /// loads them before it sends its arguments, since the kernel must know their types and
    /// nothing else names the package.
    static NOTED: std::cell::RefCell<Vec<&'static Package>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Notes that a value of `package` is about to be sent inside an `any`.
pub(crate) fn note(package: &'static Package) {
    NOTED.with(|n| {
        let mut n = n.borrow_mut();
        if !n.iter().any(|p| std::ptr::eq(*p, package)) {
            n.push(package);
        }
    });
}

/// Loads the packages noted since the last call.
pub(crate) fn load_noted(kernel: &Kernel) -> Result<()> {
    let noted = NOTED.with(|n| std::mem::take(&mut *n.borrow_mut()));
    for p in noted {
        ensure_loaded(kernel, p)?;
    }
    Ok(())
}

fn load_from(kernel: &Kernel, package: &'static Package, parent: Option<&Path>) -> Result<()> {
    if let Some(v) = kernel.loaded_version(package.name) {
        if v == package.version {
            return Ok(());
        }
        return Err(Error::Fault {
            message: format!(
                "{}@{} is already loaded, so {}@{} cannot be: two bindings crates disagree \
                 on the version; regenerate them together with bin/regen",
                package.name, v, package.name, package.version
            ),
            stack: None,
        });
    }
    let nm = kernel.node_modules();
    let dir =
        locate::find_package(nm, package.name, parent).map_err(|_| Error::PackageNotInstalled {
            name: package.name.to_owned(),
            version: package.version.to_owned(),
            searched: nm.display().to_string(),
        })?;
    for dep in package.dependencies {
        load_from(kernel, dep, Some(&dir))?;
    }
    let installed = locate::package_version(&dir).unwrap_or_default();
    if installed != package.version {
        return Err(Error::PackageVersionMismatch {
            name: package.name.to_owned(),
            expected: package.version.to_owned(),
            installed,
            dir,
        });
    }
    let tarball = tarball::tarball_for(nm, package.name, package.version, &dir)?;
    kernel.request(&LoadRequest {
        name: package.name.to_owned(),
        version: package.version.to_owned(),
        tarball: tarball.display().to_string(),
    })?;
    kernel.mark_loaded(package.name, package.version);
    types::register(package.type_graph);
    Ok(())
}
