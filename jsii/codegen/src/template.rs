//! New apps: the files of a CDK or cdk8s app in Rust on this toolkit, for `jsii-codegen new`.
//! Pure: it renders the templates in `templates/` (embedded in the binary, so an installed
//! generator makes the same apps as a clone) and never touches the disk; the CLI writes them.
//!
//! A new app uses the same mechanism as this repository's app: a `bindings.toml`, the crates
//! generated from it by `jsii-codegen <bindings.toml> --stamp ...` before every build (a no-op
//! while neither it nor `node_modules` changed), and `jsii_runtime::main`.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// Which CLI and libraries the app is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
    /// The AWS CDK: aws-cdk-lib, `npx cdk synth`.
    Cdk,
    /// cdk8s with cdk8s-plus: `npx cdk8s synth`.
    Cdk8s,
}

impl Framework {
    /// Parses `cdk` or `cdk8s`.
    pub fn parse(text: &str) -> Result<Framework, Error> {
        match text {
            "cdk" => Ok(Framework::Cdk),
            "cdk8s" => Ok(Framework::Cdk8s),
            other => Err(Error::Usage(format!(
                "--framework {other}: this generator makes `cdk` and `cdk8s` apps"
            ))),
        }
    }
}

/// Where the app's toolkit (the `jsii-runtime` crate and the `jsii-codegen` generator) comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Toolkit {
    /// A git repository (a URL, `file://` for a local clone) at one commit.
    Git {
        /// The repository.
        url: String,
        /// The commit both crates come from.
        rev: String,
    },
    /// A checkout of the repository on this machine (for working on the toolkit itself).
    Path(PathBuf),
}

/// What `jsii-codegen new` was asked for.
#[derive(Debug, Clone)]
pub struct NewApp {
    /// The Cargo package (and binary) name.
    pub name: String,
    /// CDK or cdk8s.
    pub framework: Framework,
    /// Where the toolkit comes from.
    pub toolkit: Toolkit,
}

/// One file of a new app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateFile {
    /// Its path inside the app.
    pub path: &'static str,
    /// Its contents.
    pub contents: String,
    /// Whether it is a program (`bin/app`).
    pub executable: bool,
}

/// The Cargo package name for an app in directory `dir_name`: lower case, `-` for spaces and
/// `_`, and an error when that is not a valid name.
pub fn package_name(dir_name: &str) -> Result<String, Error> {
    let name: String = dir_name
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '_' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
        && name.len() <= 64;
    if valid {
        Ok(name)
    } else {
        Err(Error::Usage(format!(
            "{dir_name:?} does not make a Cargo package name (letters, digits and `-`, starting \
             with a letter): pass --name <name>"
        )))
    }
}

/// (path in the app, template text, executable) for every file of a framework's app.
fn sources(framework: Framework) -> Vec<(&'static str, &'static str, bool)> {
    let app = ("bin/app", include_str!("../templates/common/bin/app"), true);
    match framework {
        Framework::Cdk => vec![
            app,
            (
                "Cargo.toml",
                include_str!("../templates/cdk/Cargo.toml.in"),
                false,
            ),
            (
                ".gitignore",
                include_str!("../templates/cdk/gitignore.in"),
                false,
            ),
            (
                "README.md",
                include_str!("../templates/cdk/README.md"),
                false,
            ),
            (
                "bindings.toml",
                include_str!("../templates/cdk/bindings.toml"),
                false,
            ),
            ("cdk.json", include_str!("../templates/cdk/cdk.json"), false),
            (
                "package.json",
                include_str!("../templates/cdk/package.json"),
                false,
            ),
            (
                "package-lock.json",
                include_str!("../templates/cdk/package-lock.json"),
                false,
            ),
            (
                "src/lib.rs",
                include_str!("../templates/cdk/src/lib.rs"),
                false,
            ),
            (
                "src/main.rs",
                include_str!("../templates/cdk/src/main.rs"),
                false,
            ),
            (
                "tests/stack.rs",
                include_str!("../templates/cdk/tests/stack.rs"),
                false,
            ),
        ],
        Framework::Cdk8s => vec![
            app,
            (
                "Cargo.toml",
                include_str!("../templates/cdk8s/Cargo.toml.in"),
                false,
            ),
            (
                ".gitignore",
                include_str!("../templates/cdk8s/gitignore.in"),
                false,
            ),
            (
                "README.md",
                include_str!("../templates/cdk8s/README.md"),
                false,
            ),
            (
                "bindings.toml",
                include_str!("../templates/cdk8s/bindings.toml"),
                false,
            ),
            (
                "cdk8s.yaml",
                include_str!("../templates/cdk8s/cdk8s.yaml"),
                false,
            ),
            (
                "package.json",
                include_str!("../templates/cdk8s/package.json"),
                false,
            ),
            (
                "package-lock.json",
                include_str!("../templates/cdk8s/package-lock.json"),
                false,
            ),
            (
                "src/lib.rs",
                include_str!("../templates/cdk8s/src/lib.rs"),
                false,
            ),
            (
                "src/main.rs",
                include_str!("../templates/cdk8s/src/main.rs"),
                false,
            ),
            (
                "tests/chart.rs",
                include_str!("../templates/cdk8s/tests/chart.rs"),
                false,
            ),
        ],
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A word for `sh`, single-quoted.
fn sh_word(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The directory, under the app's cargo target directory, that `bin/app` installs the generator
/// into (`<dir>/bin/jsii-codegen`): one per generator version and toolkit commit.
pub fn generator_dir(app: &NewApp) -> PathBuf {
    Path::new("jsii-rs").join(toolkit_id(app))
}

fn toolkit_id(app: &NewApp) -> String {
    let version = env!("CARGO_PKG_VERSION");
    match &app.toolkit {
        Toolkit::Git { rev, .. } => {
            format!("{version}-{}", rev.chars().take(12).collect::<String>())
        }
        Toolkit::Path(_) => format!("{version}-path"),
    }
}

/// `bin/app`'s way to its generator: installed once per target directory, from `source`
/// (`cargo install` arguments), into `jsii-rs/<toolkit_id>`.
fn install_generator(toolkit_id: &str, source: &str) -> String {
    format!(
        r#"# The toolkit's command line, jsii-codegen, from the same source as Cargo.toml's
# jsii-runtime (change both to upgrade it): installed once per target directory (about 20 s
# on 2 cores).
tools="$target/jsii-rs/{toolkit_id}"
generator="$tools/bin/jsii-codegen"
if [ ! -x "$generator" ]; then
  echo "bin/app: installing jsii-codegen into $tools (once)" >&2
  # Into a directory of this process's own, moved into place when done: synths started
  # together (two apps sharing CARGO_TARGET_DIR) must not install into one directory at once.
  staging="$tools.$$"
  cargo install --quiet --locked --root "$staging" --target-dir "$target/jsii-rs/build" \
    {source} jsii-codegen >&2 || fail "could not install jsii-codegen (see above)"
  [ -x "$generator" ] || mv "$staging" "$tools" 2>/dev/null || true
  rm -rf "$staging"
  [ -x "$generator" ] || fail "jsii-codegen is not in $tools after installing it"
fi"#
    )
}

/// The app command, `bin/app`, for a project whose config is `config` (relative to the
/// project), which reaches its generator through `generator`: a `sh` fragment that sets
/// `$generator` (it may use `$target`, cargo's target directory, and `fail MESSAGE`). A new
/// app's installs it; an app inside a checkout of the toolkit builds it from there.
pub fn app_command(framework: Framework, config: &str, generator: &str) -> String {
    let (cli, cli_config) = match framework {
        Framework::Cdk => ("CDK", "cdk.json"),
        Framework::Cdk8s => ("cdk8s", "cdk8s.yaml"),
    };
    fill(
        include_str!("../templates/common/bin/app"),
        &[
            ("generator", generator.to_owned()),
            ("config", config.to_owned()),
            ("cli", cli.to_owned()),
            ("cli_config", cli_config.to_owned()),
        ],
    )
}

fn fill(text: &str, values: &[(&'static str, String)]) -> String {
    let mut contents = text.to_owned();
    for (key, value) in values {
        contents = contents.replace(&format!("{{{{{key}}}}}"), value);
    }
    contents
}

/// The values the templates' `{{...}}` placeholders stand for.
fn values(app: &NewApp) -> Vec<(&'static str, String)> {
    let toolkit_id = toolkit_id(app);
    let (runtime, generator, described) = match &app.toolkit {
        Toolkit::Git { url, rev } => (
            format!(
                "{{ git = {}, rev = {} }}",
                toml_string(url),
                toml_string(rev)
            ),
            format!("--git {} --rev {}", sh_word(url), sh_word(rev)),
            format!("jsii-runtime and jsii-codegen from {url} at {rev}"),
        ),
        Toolkit::Path(root) => {
            let at = |p: &str| root.join(p).display().to_string();
            (
                format!("{{ path = {} }}", toml_string(&at("jsii/runtime"))),
                format!("--path {}", sh_word(&at("jsii/codegen"))),
                format!("jsii-runtime and jsii-codegen from {}", root.display()),
            )
        }
    };
    let (stack_id, cli, cli_config) = match app.framework {
        Framework::Cdk => (
            format!("{}Stack", pascal_case(&app.name)),
            "CDK",
            "cdk.json",
        ),
        Framework::Cdk8s => (app.name.clone(), "cdk8s", "cdk8s.yaml"),
    };
    vec![
        ("generator", install_generator(&toolkit_id, &generator)),
        ("config", "bindings.toml".to_owned()),
        ("name", app.name.clone()),
        ("crate", app.name.replace('-', "_")),
        ("stack_id", stack_id),
        ("runtime_dependency", runtime),
        ("toolkit_id", toolkit_id),
        ("toolkit", described),
        ("cli", cli.to_owned()),
        ("cli_config", cli_config.to_owned()),
    ]
}

/// Every file of the new app, rendered.
pub fn render(app: &NewApp) -> Vec<TemplateFile> {
    let values = values(app);
    sources(app.framework)
        .into_iter()
        .map(|(path, text, executable)| TemplateFile {
            path,
            contents: fill(text, &values),
            executable,
        })
        .collect()
}

/// The directory a new app is written to must be new or empty.
pub fn check_target(dir: &Path, entries: Option<usize>) -> Result<(), Error> {
    match entries {
        None | Some(0) => Ok(()),
        Some(n) => Err(Error::Usage(format!(
            "{} is not empty ({n} entries): a new app goes into a new or empty directory",
            dir.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(framework: Framework, toolkit: Toolkit) -> NewApp {
        NewApp {
            name: "my-app".into(),
            framework,
            toolkit,
        }
    }

    fn git() -> Toolkit {
        Toolkit::Git {
            url: "file:///home/me/jsii rs".into(),
            rev: "0123456789abcdef0123".into(),
        }
    }

    #[test]
    fn every_placeholder_is_filled() {
        for framework in [Framework::Cdk, Framework::Cdk8s] {
            for toolkit in [git(), Toolkit::Path("/src/it's here".into())] {
                for f in render(&app(framework, toolkit.clone())) {
                    assert!(
                        !f.contents.contains("{{"),
                        "{framework:?} {}: {}",
                        f.path,
                        f.contents
                    );
                }
            }
        }
    }

    #[test]
    fn the_runtime_and_the_generator_come_from_one_place() {
        let files = render(&app(Framework::Cdk, git()));
        let file = |p: &str| &files.iter().find(|f| f.path == p).expect(p).contents;
        assert!(file("Cargo.toml").contains(
            r#"jsii-runtime = { git = "file:///home/me/jsii rs", rev = "0123456789abcdef0123" }"#
        ));
        assert!(
            file("bin/app")
                .contains("--git 'file:///home/me/jsii rs' --rev '0123456789abcdef0123'")
        );
        assert!(file("src/lib.rs").contains(r#"Stack::new(app, "MyAppStack", None)"#));
        assert!(file("tests/stack.rs").contains("my_app::build(&app)"));
        let path = render(&app(
            Framework::Cdk8s,
            Toolkit::Path("/src/it's here".into()),
        ));
        let file = |p: &str| &path.iter().find(|f| f.path == p).expect(p).contents;
        assert!(
            file("Cargo.toml")
                .contains(r#"jsii-runtime = { path = "/src/it's here/jsii/runtime" }"#)
        );
        assert!(file("bin/app").contains(r"--path '/src/it'\''s here/jsii/codegen'"));
        assert!(file("src/lib.rs").contains(r#"Chart::new(app, "my-app", None)"#));
        assert!(path.iter().any(|f| f.path == "bin/app" && f.executable));
    }

    #[test]
    fn names_come_from_the_directory_or_say_what_to_do() {
        assert_eq!(package_name("My App").expect("valid"), "my-app");
        assert_eq!(package_name("orders_v2").expect("valid"), "orders-v2");
        for bad in ["2fast", "", "café", "a-", "x/y"] {
            let err = package_name(bad).expect_err(bad).to_string();
            assert!(err.contains("--name"), "{err}");
        }
        assert!(Framework::parse("terraform").is_err());
        assert!(check_target(Path::new("x"), Some(2)).is_err());
        assert!(check_target(Path::new("x"), None).is_ok());
    }
}
