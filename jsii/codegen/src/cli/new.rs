//! `jsii-codegen new <dir>`: writes a new CDK or cdk8s app ([`jsii_codegen::template`]), then
//! installs its npm packages, generates its bindings and writes its Cargo.lock, so that the
//! app is complete before its first `npx cdk synth`.

use jsii_codegen::Error;
use jsii_codegen::template::{self, Framework, NewApp, Toolkit};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
jsii-codegen new: make a new app in Rust on this toolkit

USAGE:
    jsii-codegen new <dir> (--git <url> --rev <commit> | --path <checkout>) [options]

Writes a complete app into <dir> (new or empty): Cargo.toml, a pinned package.json and
package-lock.json, bindings.toml, cdk.json (cdk8s.yaml) whose app command is bin/app, a sample
stack (chart) with a test, .gitignore and a README. Then, unless --no-install, it runs `npm ci`,
generates the bindings and writes Cargo.lock. Next: `cd <dir> && npx cdk synth`.

OPTIONS:
    --framework cdk|cdk8s  An AWS CDK app (default) or a cdk8s app.
    --name <name>          The Cargo package and binary name (default: from <dir>).
    --git <url>            Where the toolkit comes from: this repository (a `file://` URL for a
                           local clone works with no network) ...
    --rev <commit>         ... at this commit (the generator and jsii-runtime come from it).
    --path <checkout>      Or: a checkout of the repository, by path (for toolkit work).
    --no-install           Write the files only.
    --reuse-this-generator This executable was built from exactly the toolkit source given:
                           install it as the app's generator (in cargo's target directory,
                           CARGO_TARGET_DIR or <dir>/target) instead of letting the first synth
                           build the same one again (bin/new-app passes it when jsii/codegen
                           has no uncommitted changes).
    -h, --help             Show this help.
";

pub fn run(args: &[String]) -> Result<ExitCode, Error> {
    let mut dir = None;
    let mut framework = Framework::Cdk;
    let mut name = None;
    let (mut git, mut rev, mut path) = (None, None, None);
    let mut install = true;
    let mut reuse = false;
    let mut it = args.iter();
    let value = |it: &mut std::slice::Iter<'_, String>, flag: &str| {
        it.next()
            .cloned()
            .ok_or_else(|| Error::Usage(format!("{flag} needs a value; see --help")))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            "--framework" => framework = Framework::parse(&value(&mut it, a)?)?,
            "--name" => name = Some(value(&mut it, a)?),
            "--git" => git = Some(value(&mut it, a)?),
            "--rev" => rev = Some(value(&mut it, a)?),
            "--path" => path = Some(PathBuf::from(value(&mut it, a)?)),
            "--no-install" => install = false,
            "--reuse-this-generator" => reuse = true,
            other if other.starts_with('-') => {
                return Err(Error::Usage(format!("unknown option {other}; see --help")));
            }
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let dir = dir.ok_or_else(|| Error::Usage("no directory given; see --help".into()))?;
    let toolkit = match (git, rev, path) {
        (Some(url), Some(rev), None) => Toolkit::Git { url, rev },
        (None, None, Some(p)) => Toolkit::Path(std::path::absolute(&p).unwrap_or(p)),
        (Some(_), None, None) => {
            return Err(Error::Usage(
                "--git needs --rev <commit>, so that the generator and jsii-runtime come from \
                 the same commit"
                    .into(),
            ));
        }
        _ => {
            return Err(Error::Usage(
                "say where the toolkit comes from: --git <url> --rev <commit>, or --path \
                 <checkout> (bin/new-app in a clone of the repository passes them)"
                    .into(),
            ));
        }
    };
    template::check_target(
        &dir,
        std::fs::read_dir(&dir).ok().map(|entries| entries.count()),
    )?;
    let dir_name = std::path::absolute(&dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let name = template::package_name(name.as_deref().unwrap_or(&dir_name))?;
    let app = NewApp {
        name,
        framework,
        toolkit,
    };
    for file in template::render(&app) {
        write(&dir.join(file.path), &file.contents, file.executable)?;
    }
    let synth = match framework {
        Framework::Cdk => "npx cdk synth",
        Framework::Cdk8s => "npx cdk8s synth",
    };
    eprintln!(
        "jsii-codegen: wrote the {} app {} into {}",
        label(framework),
        app.name,
        dir.display()
    );
    if reuse {
        reuse_generator(&dir, &app)?;
    }
    if install {
        step(
            &dir,
            "npm",
            &["ci", "--no-audit", "--no-fund", "--loglevel=error"],
            "install Node.js 20 or newer (it brings npm)",
        )?;
        let code = super::generate::run(vec![dir.join("bindings.toml").display().to_string()])?;
        if code != ExitCode::SUCCESS {
            return Ok(code);
        }
        step(
            &dir,
            "cargo",
            &["generate-lockfile", "--quiet"],
            "install Rust (https://rustup.rs)",
        )?;
    }
    eprintln!(
        "jsii-codegen: next: cd {}{} && {synth}",
        dir.display(),
        if install { "" } else { " && npm ci" }
    );
    Ok(ExitCode::SUCCESS)
}

/// Copies this executable to where the app's `bin/app` looks for its generator, resolving
/// cargo's target directory as `bin/app` does.
fn reuse_generator(dir: &Path, app: &NewApp) -> Result<(), Error> {
    let target = match std::env::var_os("CARGO_TARGET_DIR").filter(|t| !t.is_empty()) {
        Some(t) if Path::new(&t).is_absolute() => PathBuf::from(t),
        Some(t) => dir.join(t),
        None => dir.join("target"),
    };
    let installed = target
        .join(template::generator_dir(app))
        .join("bin/jsii-codegen");
    if installed.exists() {
        return Ok(());
    }
    let me = std::env::current_exe().map_err(super::io_error(Path::new("this executable")))?;
    // Copied under a name of this process's own and renamed into place: two apps made at once
    // into one target directory cannot see half a file.
    let staging = installed.with_extension(std::process::id().to_string());
    if let Some(parent) = installed.parent() {
        std::fs::create_dir_all(parent).map_err(super::io_error(parent))?;
    }
    std::fs::copy(&me, &staging).map_err(super::io_error(&staging))?;
    std::fs::rename(&staging, &installed).map_err(super::io_error(&installed))?;
    eprintln!(
        "jsii-codegen: installed this generator as the app's: {}",
        installed.display()
    );
    Ok(())
}

fn label(framework: Framework) -> &'static str {
    match framework {
        Framework::Cdk => "CDK",
        Framework::Cdk8s => "cdk8s",
    }
}

fn write(path: &Path, contents: &str, executable: bool) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(super::io_error(parent))?;
    }
    std::fs::write(path, contents).map_err(super::io_error(path))?;
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(super::io_error(path))?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    Ok(())
}

/// Runs `program args` in `dir`, its output on stderr; `missing` says how to install it.
fn step(dir: &Path, program: &str, args: &[&str], missing: &str) -> Result<(), Error> {
    eprintln!("jsii-codegen: {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdout(std::io::stderr())
        .status()
        .map_err(|e| Error::Usage(format!("could not run {program} ({e}): {missing}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "`{program} {}` in {} failed ({status}); fix what it says above and run it there \
             again",
            args.join(" "),
            dir.display()
        )))
    }
}
