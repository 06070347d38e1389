//! `jsii-codegen run` and `jsii-codegen build`, an app's command, run for real in a project of
//! the test's own: a temporary directory with a bindings config (the real `constructs` from the
//! repository's `node_modules`, generated for real), an `[app]` table with a step that has two
//! variants, and a stand-in `cargo` first on `PATH` that records each build and writes what the
//! real builds write (binaries, cargo's dep-info naming one source each), so nothing compiles.
//!
//! What must hold: a fresh project builds everything; afterwards a build whose inputs did not
//! change is skipped, a changed input rebuilds exactly the steps that read it, a build that cannot
//! be stamped builds again next time (and the app still runs once), a failed build stops before
//! the app, and stamps another checkout left in a shared target directory vouch for nothing.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The stand-in `cargo`: logs each build in `$FAKE_CARGO_LOG` (`lambda-arm64`, `lambda-x86_64`,
/// `build`) and writes its outputs under cargo's target directory.
const FAKE_CARGO: &str = r#"#!/bin/sh
case "${CARGO_TARGET_DIR:-}" in
  "") t="$PWD/target" ;;
  /*) t="$CARGO_TARGET_DIR" ;;
  *) t="$PWD/$CARGO_TARGET_DIR" ;;
esac
[ -z "$FAKE_CARGO_FAIL" ] || { echo "error: could not compile" >&2; exit 101; }
[ -z "$FAKE_CARGO_EDIT" ] || echo "// saved while cargo ran" >>"$FAKE_CARGO_EDIT"
case "$1" in
  lambda)
    case "$3" in
      --arm64) d="$t/aarch64/release" build=lambda-arm64 ;;
      *) d="$t/x86_64/release" build=lambda-x86_64 ;;
    esac
    echo "$build" >>"$FAKE_CARGO_LOG"
    mkdir -p "$d" "$t/lambda"
    echo handler >"$d/handler"
    echo handler >"$t/lambda/bootstrap"
    printf '%s: %s\n' "$d/handler" "$PWD/handler.rs" >"$d/handler.d" ;;
  build)
    echo build >>"$FAKE_CARGO_LOG"
    while [ "$1" != --bin ]; do shift; done
    mkdir -p "$t/debug"
    cp "$FAKE_APP" "$t/debug/$2"
    printf '%s: %s\n' "$t/debug/$2" "$PWD/app.rs" >"$t/debug/$2.d" ;;
  *) echo "fake cargo: unexpected $*" >&2; exit 2 ;;
esac
"#;

/// The stand-in app: logs that it ran, then "synthesizes" its arguments.
const FAKE_APP: &str = "#!/bin/sh\necho ran >>\"$FAKE_APP_LOG\"\necho \"app ran with $*\"\n";

const CONFIG: &str = r#"
[[crate]]
package = "constructs"
path = "bindings/constructs"

[app]
bin = "fake-app"
path = ["tools"]

[[app.step]]
name = "handler"
tools = ["zig"]
hint = "the fake tools are the test's own"
select = "HANDLER_ARCH"
default = "arm64"

[app.step.variant.arm64]
command = ["cargo", "lambda", "build", "--arm64"]
build-dir = "aarch64/release"
depinfo = ["aarch64/release/handler.d"]
outputs = ["aarch64/release/handler", "lambda/bootstrap"]

[app.step.variant.x86_64]
command = ["cargo", "lambda", "build", "--x86-64"]
build-dir = "x86_64/release"
depinfo = ["x86_64/release/handler.d"]
outputs = ["x86_64/release/handler", "lambda/bootstrap"]
"#;

/// The runner's answer when every stamp holds.
const FAST_SKIP: &str = "nothing any step reads changed since its last build: skipped";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Project {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Project {
    fn new() -> Project {
        let node_modules = repo().join("node_modules");
        assert!(
            node_modules.join("constructs").is_dir(),
            "node_modules is missing: run bin/setup (npm ci) first"
        );
        let project = Project {
            dir: tempfile::Builder::new()
                .prefix("jsii-codegen-run.")
                .tempdir()
                .expect("temp dir"),
            env: Vec::new(),
        };
        std::fs::create_dir_all(project.path("bin")).expect("bin");
        std::fs::create_dir_all(project.path("tools")).expect("tools");
        std::os::unix::fs::symlink(&node_modules, project.path("node_modules")).expect("link");
        project.write_tool("bin/cargo", FAKE_CARGO);
        project.write_tool("bin/fake-app", FAKE_APP);
        // The runner runs from a copy, so that a test can make it "another version".
        std::fs::copy(
            env!("CARGO_BIN_EXE_jsii-codegen"),
            project.path("bin/jsii-codegen"),
        )
        .expect("copy jsii-codegen");
        for (file, text) in [
            ("Cargo.toml", "[workspace]\n"),
            ("Cargo.lock", "version = 4\n"),
            ("bindings.toml", CONFIG),
            ("handler.rs", "fn main() {}\n"),
            ("app.rs", "fn main() {}\n"),
        ] {
            std::fs::write(project.path(file), text).expect("write");
        }
        project
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn target(&self) -> PathBuf {
        self.path("target")
    }

    fn write_tool(&self, name: &str, script: &str) {
        let path = self.path(name);
        std::fs::write(&path, script).expect("write tool");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    /// `jsii-codegen <args>` from the project, cargo's target directory `target` (the
    /// project's `target/` unless said otherwise).
    fn command(&self, args: &[&str], target: Option<&str>) -> Command {
        let path = format!(
            "{}:{}",
            self.path("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new(self.path("bin/jsii-codegen"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("PATH", path)
            .env(
                "CARGO_TARGET_DIR",
                target.map_or_else(|| self.target().display().to_string(), str::to_owned),
            )
            .env("APP_BUILD_VERBOSE", "1")
            .env("FAKE_CARGO_LOG", self.path("cargo.log"))
            .env("FAKE_APP", self.path("bin/fake-app"))
            .env("FAKE_APP_LOG", self.path("app.log"))
            .env_remove("APP_BUILD_FORCE")
            .env_remove("HANDLER_ARCH")
            .env_remove("FAKE_CARGO_FAIL")
            .env_remove("FAKE_CARGO_EDIT")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    fn output(&self, args: &[&str], target: Option<&str>) -> Output {
        self.command(args, target)
            .output()
            .expect("run jsii-codegen")
    }

    /// `jsii-codegen build bindings.toml`; panics unless it succeeds; its stderr.
    fn build(&self) -> String {
        let out = self.output(&["build", "bindings.toml"], None);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "jsii-codegen build failed: {stderr}");
        stderr
    }

    /// `jsii-codegen run bindings.toml -- synth`.
    fn run(&self, target: Option<&str>) -> Output {
        self.output(&["run", "bindings.toml", "--", "synth"], target)
    }

    /// The builds the stand-in cargo ran so far.
    fn builds(&self) -> Vec<String> {
        lines(&self.path("cargo.log"))
    }

    /// Builds after a change: the log must name `reason`; returns the builds this run made.
    fn rebuild_for(&self, reason: &str) -> Vec<String> {
        let before = self.builds().len();
        let log = self.build();
        assert!(log.contains(reason), "expected {reason:?} in: {log}");
        self.builds()[before..].to_vec()
    }

    fn app_runs(&self) -> usize {
        lines(&self.path("app.log")).len()
    }

    /// This project's stamp directory (the only one in its target directory).
    fn stamp_dir(&self) -> PathBuf {
        let all = self.target().join("jsii-rs/stamps");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&all)
            .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
            .unwrap_or_default();
        assert!(
            dirs.len() <= 1,
            "one project, one stamp directory: {dirs:?}"
        );
        dirs.pop().unwrap_or(all)
    }

    fn stamps(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.stamp_dir())
            .map(|d| {
                d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".stamp"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    fn stamp(&self, name: &str) -> PathBuf {
        self.stamp_dir().join(name)
    }
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_fresh_project_builds_everything_and_then_only_what_changed() {
    let mut p = Project::new();
    p.build();
    assert_eq!(p.builds(), ["lambda-arm64", "build"]);
    assert_eq!(
        p.stamps(),
        ["app.stamp", "bindings.stamp", "handler-arm64.stamp"]
    );
    assert!(
        p.path("bindings/constructs/Cargo.toml").is_file(),
        "the bindings were generated"
    );
    let log = p.build();
    assert!(log.contains(FAST_SKIP), "nothing changed: {log}");
    assert_eq!(p.builds(), ["lambda-arm64", "build"]);

    std::fs::write(p.path("app.rs"), "fn main() { println!(); }\n").expect("edit");
    let log = p.build();
    assert_eq!(p.builds(), ["lambda-arm64", "build", "build"], "{log}");
    assert!(log.contains("app.rs changed: building"), "{log}");
    assert!(
        log.contains("handler-arm64: nothing it reads changed since its last build: skipped"),
        "{log}"
    );

    std::fs::remove_file(p.target().join("lambda/bootstrap")).expect("rm");
    assert_eq!(p.rebuild_for("bootstrap is gone"), ["lambda-arm64"]);

    p.env.push(("RUSTFLAGS".into(), "-Copt-level=1".into()));
    assert_eq!(
        p.rebuild_for("environment variable RUSTFLAGS changed"),
        ["lambda-arm64", "build"],
        "a variable cargo reads rebuilds both"
    );

    // A tool of the handler's, in the [app] path directory: only the handler reads it.
    p.write_tool("tools/zig", "#!/bin/sh\n");
    assert_eq!(
        p.rebuild_for("`zig` resolves to another file on PATH"),
        ["lambda-arm64"]
    );
    assert!(
        p.build().contains(FAST_SKIP),
        "the path directory is checked as it was built"
    );

    p.env.push(("HANDLER_ARCH".into(), "x86_64".into()));
    assert_eq!(p.rebuild_for("handler-x86_64: no stamp"), ["lambda-x86_64"]);
    p.env.push(("HANDLER_ARCH".into(), "riscv".into()));
    let out = p.output(&["build", "bindings.toml"], None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("HANDLER_ARCH must be one of arm64, x86_64, not \"riscv\""),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_edit_to_the_config_or_another_generator_regenerates_and_rebuilds() {
    let p = Project::new();
    p.build();
    let config = std::fs::read_to_string(p.path("bindings.toml")).expect("config");
    std::fs::write(p.path("bindings.toml"), format!("# edited\n{config}")).expect("edit");
    let log = p.build();
    assert!(log.contains("bindings out of date"), "{log}");
    assert_eq!(
        p.builds(),
        ["lambda-arm64", "build", "lambda-arm64", "build"]
    );
    assert!(p.build().contains(FAST_SKIP));

    // Another version of the toolkit's command line may generate and build differently.
    let exe = p.path("bin/jsii-codegen");
    let copy = p.path("bin/jsii-codegen.new");
    std::fs::copy(&exe, &copy).expect("copy");
    std::fs::rename(&copy, &exe).expect("replace");
    let log = p.build();
    assert!(log.contains("jsii-codegen changed: building"), "{log}");
    assert!(log.contains("bindings out of date"), "{log}");
    assert_eq!(p.builds().len(), 6, "both steps again: {log}");
}

#[test]
fn run_builds_what_changed_then_runs_the_app_with_its_arguments() {
    let p = Project::new();
    let first = p.run(None);
    assert!(first.status.success(), "{first:?}");
    assert_eq!(
        text(&first.stdout),
        "app ran with synth\n",
        "the app's stdout only"
    );
    assert_eq!(p.builds(), ["lambda-arm64", "build"]);
    let second = p.run(None);
    assert_eq!(text(&second.stdout), "app ran with synth\n");
    assert!(text(&second.stderr).contains(FAST_SKIP), "{second:?}");
    assert_eq!(p.builds(), ["lambda-arm64", "build"]);
    std::fs::write(p.path("app.rs"), "fn main() { println!(); }\n").expect("edit");
    let third = p.run(None);
    assert_eq!(text(&third.stdout), "app ran with synth\n");
    assert_eq!(p.builds(), ["lambda-arm64", "build", "build"]);
    assert_eq!(p.app_runs(), 3);
}

#[test]
fn the_stamps_vouch_for_nothing_they_cannot_read() {
    let p = Project::new();
    p.build();
    let stamp = p.stamp("app.stamp");
    let text = std::fs::read_to_string(&stamp).expect("stamp");
    std::fs::write(&stamp, format!("{text}directory /somewhere\n")).expect("append");
    let log = p.build();
    assert!(
        log.contains("stamp line"),
        "an unknown line is stale: {log}"
    );
    assert_eq!(p.builds(), ["lambda-arm64", "build", "build"]);
    assert!(
        p.build().contains(FAST_SKIP),
        "the step wrote a stamp it understands again"
    );
    std::fs::write(&stamp, "").expect("truncate");
    p.build();
    assert_eq!(p.builds().len(), 4, "an empty stamp is stale");
}

#[test]
fn a_build_that_leaves_no_stamp_builds_again_and_still_runs_the_app_once() {
    // A source saved while cargo ran may or may not be in the binary: no stamp, so every run
    // builds, and runs the app once.
    let mut p = Project::new();
    p.env.push((
        "FAKE_CARGO_EDIT".into(),
        p.path("app.rs").display().to_string(),
    ));
    let log = p.build();
    assert!(
        log.contains("app.rs changed while it built: no stamp"),
        "{log}"
    );
    assert!(!p.stamps().contains(&"app.stamp".to_owned()));
    for _ in 0..2 {
        let out = p.run(None);
        assert!(out.status.success(), "{out:?}");
        assert_eq!(text(&out.stdout), "app ran with synth\n");
    }
    assert_eq!(p.app_runs(), 2);
    // The stand-in edits app.rs during the handler's build too, which does not read it: the
    // handler's stamp holds.
    assert_eq!(p.builds(), ["lambda-arm64", "build", "build", "build"]);
}

#[test]
fn a_binary_the_last_build_did_not_produce_is_not_vouched_for() {
    let p = Project::new();
    p.build();
    let stamp = p.stamp("app.stamp");
    let text_before = std::fs::read_to_string(&stamp).expect("stamp");
    let binary = p.target().join("debug/fake-app");
    let without: String = text_before
        .lines()
        .filter(|l| !l.starts_with(&format!("file {} ", binary.display())))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, text_before, "the stamp listed the binary");
    std::fs::write(&stamp, without).expect("rewrite stamp");
    let out = p.run(None);
    assert!(out.status.success(), "{out:?}");
    assert!(
        text(&out.stderr).contains("is not an output of the last complete build"),
        "{out:?}"
    );
    assert!(
        text(&out.stderr).contains("fake-app is not in its stamp"),
        "{out:?}"
    );
    assert_eq!(p.builds(), ["lambda-arm64", "build", "build"]);
}

#[test]
fn a_failed_build_stops_before_the_app_and_says_what_to_do() {
    let mut p = Project::new();
    p.env.push(("FAKE_CARGO_FAIL".into(), "1".into()));
    let out = p.run(None);
    assert!(!out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty(), "the app must not run: {out:?}");
    let err = text(&out.stderr);
    assert!(err.contains("could not compile"), "{err}");
    assert!(
        err.contains("handler-arm64: `cargo lambda build --arm64` failed")
            && err.contains("the fake tools are the test's own"),
        "the step, its command and its hint: {err}"
    );
    assert!(
        !p.stamp("handler-arm64.stamp").exists(),
        "no stamp for a failed build"
    );
    assert!(!p.stamp("last-run").exists());
}

#[test]
fn cargo_target_dir_is_followed_absolute_or_relative() {
    let p = Project::new();
    p.build();
    let absolute = p.run(Some(&p.target().display().to_string()));
    assert!(absolute.status.success(), "{absolute:?}");
    assert!(text(&absolute.stderr).contains(FAST_SKIP));
    let relative = p.run(Some("target"));
    assert!(relative.status.success(), "{relative:?}");
    assert_eq!(text(&relative.stdout), "app ran with synth\n");
    assert_eq!(
        p.builds(),
        ["lambda-arm64", "build", "lambda-arm64", "build"],
        "a relative spelling is another CARGO_TARGET_DIR value to cargo, so both steps ran \
         again, into the same directory"
    );
}

#[test]
fn stamps_another_checkout_left_in_a_shared_target_dir_vouch_for_nothing() {
    let p = Project::new();
    p.build();
    let root = std::fs::canonicalize(p.dir.path()).expect("root");
    for name in ["app.stamp", "handler-arm64.stamp"] {
        let path = p.stamp(name);
        let text = std::fs::read_to_string(&path).expect("stamp");
        let moved = text
            .lines()
            .map(|l| match l.strip_prefix("manifest-root ") {
                Some(_) => "manifest-root /elsewhere/another-checkout".to_owned(),
                None => l.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_ne!(
            text,
            moved,
            "{name} has no manifest-root line ({})",
            root.display()
        );
        std::fs::write(&path, moved + "\n").expect("write stamp");
    }
    let out = p.run(None);
    assert!(out.status.success(), "{out:?}");
    assert!(
        text(&out.stderr).contains("another project sharing this target directory"),
        "{out:?}"
    );
    assert_eq!(
        p.builds(),
        ["lambda-arm64", "build", "lambda-arm64", "build"]
    );
}

#[test]
fn projects_sharing_a_target_directory_keep_their_stamps_apart() {
    let p = Project::new();
    let other = Project::new();
    // Another app: its own binary, no steps.
    let config = CONFIG.split("[[app.step]]").next().expect("app");
    std::fs::write(
        other.path("bindings.toml"),
        config.replace("fake-app", "other-app"),
    )
    .expect("config");
    let shared = p.target().display().to_string();
    assert!(p.run(Some(&shared)).status.success());
    let second = other.output(&["run", "bindings.toml"], Some(&shared));
    assert!(second.status.success(), "{second:?}");
    // Each built once: the other's build left this one's stamps alone.
    let again = p.run(Some(&shared));
    assert!(text(&again.stderr).contains(FAST_SKIP), "{again:?}");
    assert_eq!(p.builds(), ["lambda-arm64", "build"]);
    assert_eq!(other.builds(), ["build"]);
}

#[test]
fn a_config_without_an_app_says_what_to_add() {
    let p = Project::new();
    let config = CONFIG.split("[app]").next().expect("crates");
    std::fs::write(p.path("bindings.toml"), config).expect("config");
    let out = p.run(None);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("has no [app] table") && err.contains("bin = "),
        "{err}"
    );
    assert!(p.builds().is_empty());
}
