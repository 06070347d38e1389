//! The build (`bin/cdk-build`) and cdk.json's app (`bin/cdk-app`, which builds when needed),
//! run for real with a stand-in `cargo` on PATH and `CARGO_TARGET_DIR` pointing at a private
//! directory, so the stamps, the outputs and the builds they would run are the test's own and
//! nothing is compiled. The steps and the fast path run this crate's real `cdk-build-check`,
//! which the stand-in cargo "builds" by copying it where cargo would put it.
//!
//! What must hold: a step whose inputs did not change is skipped, a changed input rebuilds it,
//! a build that cannot be stamped (a source saved while it ran) builds again next time and still
//! runs the app once, and one check runs per synth.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use testkit::root;

/// The stand-in `cargo`: records each call in `$FAKE_CARGO_LOG` and writes what the real builds
/// write under `$CARGO_TARGET_DIR` (the binaries and cargo's dep-info naming one source each).
/// The generator's build (`--manifest-path jsii/codegen/Cargo.toml`, on every run of the build
/// step) is not logged: it leaves a stand-in generator that finds the bindings up to date.
const FAKE_CARGO: &str = r#"#!/bin/sh
t="$CARGO_TARGET_DIR"
case " $* " in
  *" --manifest-path "*jsii/codegen/Cargo.toml*)
    mkdir -p "$t/release"
    printf '#!/bin/sh\n' >"$t/release/jsii-codegen"
    chmod +x "$t/release/jsii-codegen"
    exit 0 ;;
esac
case " $* " in
  *" -p app "*) ;;
  *" build "*"-p cdk-build-check"*)
    echo checker >>"$FAKE_CARGO_LOG"
    mkdir -p "$t/debug"
    cp "$FAKE_CHECKER" "$t/debug/cdk-build-check"
    exit 0 ;;
esac
echo "$1" >>"$FAKE_CARGO_LOG"
[ -z "$FAKE_CARGO_FAIL" ] || { echo "error: could not compile" >&2; exit 101; }
[ -z "$FAKE_CARGO_EDIT" ] || echo "// saved while cargo ran" >>"$FAKE_CARGO_EDIT"
case "$1" in
  lambda)
    d="$t/aarch64-unknown-linux-gnu/release"
    mkdir -p "$d" "$t/lambda/connect-lookup"
    echo handler >"$d/connect-lookup"
    echo handler >"$t/lambda/connect-lookup/bootstrap"
    printf '%s: %s\n' "$d/connect-lookup" "$FAKE_HANDLER_SRC" >"$d/connect-lookup.d" ;;
  build)
    mkdir -p "$t/debug"
    cp "$FAKE_APP" "$t/debug/cdk-app"
    printf '%s: %s\n' "$t/debug/cdk-app" "$FAKE_APP_SRC" >"$t/debug/cdk-app.d"
    cp "$FAKE_CHECKER" "$t/debug/cdk-build-check"
    printf '%s: %s\n' "$t/debug/cdk-build-check" "$FAKE_CHECK_SRC" >"$t/debug/cdk-build-check.d" ;;
esac
"#;

/// The stand-in app binary: logs that it ran (in `$FAKE_APP_LOG`), then "synthesizes".
const FAKE_APP: &str = r#"#!/bin/sh
echo ran >>"$FAKE_APP_LOG"
echo "app ran in $PWD"
"#;

/// The checker the stand-in cargo "builds": logs each check (in `$FAKE_CHECK_LOG`; not the
/// steps it runs), then runs this crate's real binary.
fn logging_checker(real: &Path) -> String {
    format!(
        "#!/bin/sh\n[ \"$1\" = step ] || echo check >>\"$FAKE_CHECK_LOG\"\nexec '{}' \"$@\"\n",
        real.display()
    )
}

struct Sandbox {
    dir: tempfile::TempDir,
    /// Extra environment for the build step.
    env: Vec<(String, String)>,
}

impl Sandbox {
    /// A fresh clone: nothing built yet.
    fn new() -> Sandbox {
        let sandbox = Sandbox {
            dir: tempfile::Builder::new()
                .prefix("cdk-build-test.")
                .tempdir()
                .expect("temp dir"),
            env: Vec::new(),
        };
        std::fs::create_dir_all(sandbox.bin()).expect("bin dir");
        sandbox.write_tool("cargo", FAKE_CARGO);
        sandbox.write_tool("fake-app", FAKE_APP);
        let real = PathBuf::from(env!("CARGO_BIN_EXE_cdk-build-check"));
        sandbox.write_tool("logging-checker", &logging_checker(&real));
        for source in ["handler.rs", "app.rs", "check.rs"] {
            std::fs::write(sandbox.path(source), "fn main() {}\n").expect("source");
        }
        sandbox
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn bin(&self) -> PathBuf {
        self.path("bin")
    }

    fn target(&self) -> PathBuf {
        self.path("target")
    }

    fn write_tool(&self, name: &str, script: &str) {
        let path = self.bin().join(name);
        std::fs::write(&path, script).expect("write tool");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    /// `bin/<script>` from the project root, with the stand-ins first on PATH and the given
    /// target directory (the sandbox's unless said otherwise).
    fn command(&self, script: &str, target: Option<&str>) -> Command {
        let path = format!(
            "{}:{}",
            self.bin().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new(root().join("bin").join(script));
        cmd.current_dir(root())
            .env("PATH", path)
            .env(
                "CARGO_TARGET_DIR",
                target.map_or_else(|| self.target().display().to_string(), str::to_owned),
            )
            .env("APP_BUILD_VERBOSE", "1")
            .env("FAKE_CARGO_LOG", self.path("cargo.log"))
            .env("FAKE_APP", self.bin().join("fake-app"))
            .env("FAKE_APP_LOG", self.path("app.log"))
            .env("FAKE_CHECK_LOG", self.path("check.log"))
            .env("FAKE_HANDLER_SRC", self.path("handler.rs"))
            .env("FAKE_APP_SRC", self.path("app.rs"))
            .env("FAKE_CHECK_SRC", self.path("check.rs"))
            .env("FAKE_CHECKER", self.bin().join("logging-checker"))
            .env_remove("APP_BUILD_FORCE")
            .env_remove("HANDLER_ARCH")
            .env_remove("FAKE_CARGO_FAIL")
            .env_remove("FAKE_CARGO_EDIT")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// Runs `bin/cdk-build`; panics unless it succeeds.
    fn build(&self) -> String {
        let out = self
            .command("cdk-build", None)
            .output()
            .expect("run bin/cdk-build");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "bin/cdk-build failed: {stderr}");
        stderr
    }

    /// Runs `bin/cdk-app`, cdk.json's "app", with CARGO_TARGET_DIR set to `target`.
    fn run_app(&self, target: Option<&str>) -> Output {
        self.command("cdk-app", target)
            .output()
            .expect("run bin/cdk-app")
    }

    /// The builds the stand-in cargo ran so far: `checker` (the checker alone, before the
    /// steps of a fresh clone), `lambda` (the function) and `build` (the app).
    fn builds(&self) -> Vec<String> {
        std::fs::read_to_string(self.path("cargo.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// How many times the stand-in app ran so far.
    fn app_runs(&self) -> usize {
        std::fs::read_to_string(self.path("app.log"))
            .unwrap_or_default()
            .lines()
            .count()
    }

    /// How many times the checker ran so far.
    fn checks(&self) -> usize {
        std::fs::read_to_string(self.path("check.log"))
            .unwrap_or_default()
            .lines()
            .count()
    }

    /// Runs `bin/cdk-build` after a change: its log must name `reason`; returns the builds this
    /// run made.
    fn rebuild_for(&self, reason: &str) -> Vec<String> {
        let before = self.builds().len();
        let log = self.build();
        assert!(log.contains(reason), "expected {reason:?} in: {log}");
        self.builds()[before..].to_vec()
    }

    fn stamps(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.target().join("cdk-build"))
            .map(|d| {
                d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".stamp"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// The checker's answer when every stamp holds.
const FAST_SKIP: &str = "nothing any step reads changed since its last build: skipped";

#[test]
fn an_unchanged_step_is_skipped_and_a_changed_source_rebuilds_it() {
    let sb = Sandbox::new();
    sb.build();
    assert_eq!(
        sb.builds(),
        ["checker", "lambda", "build"],
        "a fresh clone builds the checker, then both steps"
    );
    assert_eq!(sb.stamps(), ["app.stamp", "handler-arm64.stamp"]);
    let log = sb.build();
    assert_eq!(
        sb.builds(),
        ["checker", "lambda", "build"],
        "nothing changed: {log}"
    );
    assert!(log.contains(FAST_SKIP), "{log}");
    std::fs::write(sb.path("app.rs"), "fn main() { println!(); }\n").expect("edit");
    let log = sb.build();
    assert_eq!(
        sb.builds(),
        ["checker", "lambda", "build", "build"],
        "only the app rebuilds"
    );
    assert!(
        log.contains("handler-arm64: nothing it reads changed since its last build: skipped"),
        "{log}"
    );
    std::fs::remove_file(sb.target().join("lambda/connect-lookup/bootstrap")).expect("rm");
    sb.build();
    assert_eq!(
        sb.builds(),
        ["checker", "lambda", "build", "build", "lambda"],
        "a deleted output rebuilds its step"
    );
}

#[test]
fn the_checker_skips_what_did_not_change_and_rebuilds_what_did() {
    let mut sb = Sandbox::new();
    sb.build();
    assert!(sb.target().join("debug/cdk-build-check").is_file());
    let log = sb.build();
    assert!(log.contains(FAST_SKIP), "the fast path skips: {log}");
    assert_eq!(sb.builds(), ["checker", "lambda", "build"]);

    std::fs::write(sb.path("app.rs"), "fn main() { println!(); }\n").expect("edit");
    assert_eq!(
        sb.rebuild_for("app.rs changed: building"),
        ["build"],
        "only the app rebuilds"
    );
    assert!(sb.build().contains(FAST_SKIP));

    std::fs::write(sb.path("check.rs"), "fn main() { let _ = 2; }\n").expect("edit");
    assert_eq!(
        sb.rebuild_for("check.rs changed: building"),
        ["build"],
        "the checker's own source rebuilds the app step"
    );

    sb.env.push(("RUSTFLAGS".into(), "-Copt-level=1".into()));
    assert_eq!(
        sb.rebuild_for("environment variable RUSTFLAGS changed"),
        ["lambda", "build"],
        "a variable cargo reads rebuilds both"
    );
    assert!(sb.build().contains(FAST_SKIP));

    sb.write_tool("zig", "#!/bin/sh\n");
    assert_eq!(
        sb.rebuild_for("`zig` resolves to another file on PATH"),
        ["lambda", "build"]
    );

    std::fs::remove_file(sb.target().join("lambda/connect-lookup/bootstrap")).expect("rm");
    assert_eq!(
        sb.rebuild_for("bootstrap is gone"),
        ["lambda"],
        "a deleted output rebuilds its step"
    );

    sb.env.push(("HANDLER_ARCH".into(), "x86_64".into()));
    assert_eq!(
        sb.rebuild_for("environment variable HANDLER_ARCH changed"),
        ["lambda", "build"]
    );
}

#[test]
fn the_checker_vouches_for_nothing_it_cannot_read() {
    let sb = Sandbox::new();
    sb.build();
    let stamp = sb.target().join("cdk-build/app.stamp");
    let text = std::fs::read_to_string(&stamp).expect("stamp");
    std::fs::write(&stamp, format!("{text}directory /somewhere\n")).expect("append");
    let log = sb.build();
    assert!(
        log.contains("stamp line"),
        "an unknown line is stale: {log}"
    );
    assert_eq!(sb.builds(), ["checker", "lambda", "build", "build"]);
    assert!(
        sb.build().contains(FAST_SKIP),
        "the step wrote a stamp it understands again"
    );
    std::fs::write(&stamp, "").expect("truncate");
    sb.build();
    assert_eq!(sb.builds().len(), 5, "an empty stamp is stale");
}

#[test]
fn the_app_command_builds_only_what_changed_then_runs_the_app() {
    let sb = Sandbox::new();
    let app_ran = format!("app ran in {}", root().display());
    let first = sb.run_app(None);
    assert!(first.status.success(), "{first:?}");
    assert_eq!(String::from_utf8_lossy(&first.stdout).trim(), app_ran);
    assert_eq!(
        sb.builds(),
        ["checker", "lambda", "build"],
        "no checker yet: bin/cdk-build ran"
    );
    let second = sb.run_app(None);
    assert_eq!(String::from_utf8_lossy(&second.stdout).trim(), app_ran);
    assert_eq!(
        sb.builds(),
        ["checker", "lambda", "build"],
        "the checker said nothing changed"
    );
    assert!(String::from_utf8_lossy(&second.stderr).contains(FAST_SKIP));
    std::fs::write(sb.path("app.rs"), "fn main() { println!(); }\n").expect("edit");
    let third = sb.run_app(None);
    assert_eq!(String::from_utf8_lossy(&third.stdout).trim(), app_ran);
    assert_eq!(
        sb.builds(),
        ["checker", "lambda", "build", "build"],
        "the app rebuilt first"
    );
    assert!(
        String::from_utf8_lossy(&third.stderr).contains("app.rs changed: building"),
        "{third:?}"
    );
    // Each synth ran the app once. The first had no checker yet; the second and third checked
    // once each (the third's build did not check again).
    assert_eq!(sb.app_runs(), 3);
    assert_eq!(sb.checks(), 2, "one build check per synth");
}

#[test]
fn a_build_that_leaves_no_stamp_still_runs_the_app_once() {
    // A source saved while cargo ran may or may not be in the binary: no stamp, so every check
    // says "stale", and the app must be built and started once per run, and checked once.
    let mut sb = Sandbox::new();
    sb.env.push((
        "FAKE_CARGO_EDIT".into(),
        sb.path("app.rs").display().to_string(),
    ));
    let log = sb.build();
    assert!(
        log.contains("app.rs changed while it built: no stamp"),
        "{log}"
    );
    assert_eq!(sb.stamps(), ["handler-arm64.stamp"], "no stamp for the app");
    for _ in 0..2 {
        let out = sb.run_app(None);
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("app ran in {}", root().display())
        );
    }
    assert_eq!(sb.app_runs(), 2);
    assert_eq!(sb.checks(), 2, "one build check per synth");
    assert_eq!(
        sb.builds(),
        ["checker", "lambda", "build", "build", "build"],
        "the handler's stamp held; the app built every time"
    );
}

#[test]
fn a_binary_the_last_build_did_not_produce_is_not_vouched_for() {
    // Stamps that hold but do not list the app binary (a build script of another version wrote
    // them): the binary may be older than they are, so it is rebuilt before it runs.
    let sb = Sandbox::new();
    sb.build();
    let stamp = sb.target().join("cdk-build/app.stamp");
    let text = std::fs::read_to_string(&stamp).expect("stamp");
    let binary = sb.target().join("debug/cdk-app");
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with(&format!("file {} ", binary.display())))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, text, "the stamp listed the binary");
    std::fs::write(&stamp, without).expect("rewrite stamp");
    let out = sb.run_app(None);
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("is not an output of the last complete build"),
        "{out:?}"
    );
    assert_eq!(sb.app_runs(), 1);
    assert_eq!(sb.builds(), ["checker", "lambda", "build", "build"]);
}

#[test]
fn the_app_command_checks_with_the_tools_the_build_step_found() {
    // bin/cdk-build puts the project's .venv/bin and node_modules/.bin first on PATH (bin/env.sh);
    // a user's shell has neither, so its python3 is another file than the stamps name.
    let venv = root().join(".venv/bin");
    assert!(
        venv.join("python3").is_file(),
        "{} is missing: run bin/setup",
        venv.display()
    );
    let mut sb = Sandbox::new();
    let project_bins = [venv, root().join("node_modules/.bin")];
    let users_path = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|dir| !project_bins.contains(dir))
        .collect::<Vec<_>>();
    let path = std::env::join_paths(std::iter::once(sb.bin()).chain(users_path)).expect("PATH");
    sb.env
        .push(("PATH".into(), path.to_string_lossy().into_owned()));
    assert!(sb.run_app(None).status.success());
    let second = sb.run_app(None);
    let log = String::from_utf8_lossy(&second.stderr);
    // bin/cdk-build's own check would skip too; the first check must not have sent it there.
    assert!(
        log.contains(FAST_SKIP) && !log.contains(": building"),
        "the checker saw other tools than the build step: {log}"
    );
    assert_eq!(sb.builds(), ["checker", "lambda", "build"]);
}

#[test]
fn the_app_command_stops_when_the_build_fails() {
    let mut sb = Sandbox::new();
    sb.build();
    std::fs::write(sb.path("app.rs"), "fn main() { oops }\n").expect("edit");
    sb.env.push(("FAKE_CARGO_FAIL".into(), "1".into()));
    let out = sb.run_app(None);
    assert!(!out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty(), "the app must not run: {out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not compile"));
    assert!(
        !sb.target().join("cdk-build/app.stamp").exists(),
        "no stamp for a failed build"
    );
}

#[test]
fn the_app_command_follows_cargo_target_dir() {
    let sb = Sandbox::new();
    sb.build();
    let absolute = sb.run_app(Some(&sb.target().display().to_string()));
    assert!(absolute.status.success(), "{absolute:?}");
    assert_eq!(
        String::from_utf8_lossy(&absolute.stdout).trim(),
        format!("app ran in {}", root().display())
    );
    // A relative CARGO_TARGET_DIR is relative to the project root, as cargo sees it there.
    let relative = pathdiff(&sb.target(), &root());
    let rel = sb.run_app(Some(&relative));
    assert!(rel.status.success(), "{relative}: {rel:?}");
    assert_eq!(
        String::from_utf8_lossy(&rel.stdout).trim(),
        format!("app ran in {}", root().display())
    );
    assert_eq!(
        sb.builds(),
        ["checker", "lambda", "build", "lambda", "build"],
        "the first run built into the absolute directory; the relative spelling is another \
         CARGO_TARGET_DIR value to cargo, so both steps ran again, into the same directory"
    );
}

/// `to` relative to `from` (both absolute), through `..` segments.
fn pathdiff(to: &Path, from: &Path) -> String {
    let to: Vec<_> = to.components().collect();
    let from: Vec<_> = from.components().collect();
    let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[test]
fn stamps_another_checkout_left_in_a_shared_target_dir_vouch_for_nothing() {
    let sb = Sandbox::new();
    assert!(sb.run_app(None).status.success());
    assert_eq!(sb.builds(), ["checker", "lambda", "build"]);
    // Another checkout of the project built last into this target directory (CARGO_TARGET_DIR
    // shared): its stamps name its own root, and every file they list is as it was.
    let stamps = sb.target().join("cdk-build");
    for entry in std::fs::read_dir(&stamps).expect("stamps") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "stamp") {
            let text = std::fs::read_to_string(&path).expect("stamp");
            let moved = text.replace(
                &format!("manifest-root {}\n", root().display()),
                "manifest-root /elsewhere/another-checkout\n",
            );
            assert_ne!(text, moved, "{} has no manifest-root line", path.display());
            std::fs::write(&path, moved).expect("write stamp");
        }
    }
    let out = sb.run_app(None);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("another project sharing this target directory"),
        "{stderr}"
    );
    assert_eq!(
        sb.builds(),
        ["checker", "lambda", "build", "lambda", "build"],
        "the build ran again for this checkout"
    );
}
