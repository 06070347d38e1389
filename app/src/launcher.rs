//! The app's half of `bin/cdk-app`'s fast path: the build check, run while the kernel starts.
//!
//! `bin/cdk-app` (cdk.json's app) used to ask `cdk-build-check` whether the last complete build
//! still holds before starting this binary, 25-30 ms of every synth spent before node even
//! started. When the binary exists, it now starts it at once with [`LAUNCHER_ENV`] naming
//! itself; `main` starts the kernel's node ([`jsii_runtime::prestart`]) and then [`ask`]s the
//! launcher (`bin/cdk-app --check-build`), which answers while node boots. Only a "fresh"
//! answer lets the app go on. On any other the app ends the unused kernel and [`relaunch`]es
//! the launcher in its place with [`STALE_ENV`] set: the launcher builds what changed and
//! starts the new binary without the variable, so a build that cannot be vouched for is
//! started once and never asked about again (no loop).
//!
//! This must not decide freshness itself: the launcher and the checker own that rule. Nothing
//! the app does before the answer may have effects beyond the kernel's own start-up.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Environment variable `bin/cdk-app` sets for this binary: the launcher to ask (its own path).
pub const LAUNCHER_ENV: &str = "CDK_BUILD_CHECK";
/// Environment variable for the relaunched launcher: the build was found stale, build it.
pub const STALE_ENV: &str = "CDK_BUILD_STALE";
/// The launcher's argument asking only whether the last complete build still holds.
pub const CHECK_ARG: &str = "--check-build";

/// What the launcher said about the build this binary came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No launcher asked for a check (the binary was started directly, or after a build).
    Unchecked,
    /// The last complete build still holds, and produced this binary.
    Fresh,
    /// Something changed (or the check could not run): the launcher must build first.
    Stale {
        /// The launcher to run again.
        launcher: PathBuf,
    },
}

/// Asks `launcher` (the value of [`LAUNCHER_ENV`], if set and not empty) whether the build
/// holds: it runs `launcher --check-build` with this process's stderr (where the checker says
/// why, under `CDK_BUILD_VERBOSE`) and its status is the answer. A launcher that cannot be
/// started counts as "stale", so the relaunch reports the error.
pub fn ask(launcher: Option<&OsStr>) -> Verdict {
    let Some(launcher) = launcher.filter(|l| !l.is_empty()) else {
        return Verdict::Unchecked;
    };
    let fresh = Command::new(launcher)
        .arg(CHECK_ARG)
        .env_remove(LAUNCHER_ENV)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if fresh {
        Verdict::Fresh
    } else {
        Verdict::Stale {
            launcher: PathBuf::from(launcher),
        }
    }
}

/// Runs `launcher` in place of this process with `args` and [`STALE_ENV`] set, so it builds and
/// then starts the new binary. Returns only when that cannot be done, with a message that says
/// what to run instead.
pub fn relaunch(launcher: &Path, args: impl IntoIterator<Item = OsString>) -> String {
    let mut cmd = Command::new(launcher);
    cmd.args(args).env_remove(LAUNCHER_ENV).env(STALE_ENV, "1");
    #[cfg(unix)]
    let error = {
        use std::os::unix::process::CommandExt;
        cmd.exec()
    };
    #[cfg(not(unix))]
    let error = match cmd.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(e) => e,
    };
    format!(
        "the build changed since this binary was built, and running {} to rebuild it failed \
         ({error}): run bin/cdk-build, then the command again",
        launcher.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A launcher that records its arguments and answers `--check-build` with `status`.
    fn launcher(dir: &Path, status: u8) -> PathBuf {
        let path = dir.join("launcher");
        let log = dir.join("log");
        std::fs::write(
            &path,
            format!(
                "#!/bin/sh\necho \"$* ${{{LAUNCHER_ENV}:-unset}}\" >>'{}'\nexit {status}\n",
                log.display()
            ),
        )
        .expect("write launcher");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    #[test]
    fn no_launcher_means_no_check() {
        assert_eq!(ask(None), Verdict::Unchecked);
        assert_eq!(ask(Some(OsStr::new(""))), Verdict::Unchecked);
    }

    #[test]
    fn the_launchers_status_is_the_verdict() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fresh = launcher(dir.path(), 0);
        assert_eq!(ask(Some(fresh.as_os_str())), Verdict::Fresh);
        let log = std::fs::read_to_string(dir.path().join("log")).expect("log");
        // Asked with --check-build only, and not told to check again itself.
        assert_eq!(log, "--check-build unset\n");
        let stale = launcher(dir.path(), 1);
        assert_eq!(
            ask(Some(stale.as_os_str())),
            Verdict::Stale { launcher: stale }
        );
    }

    #[test]
    fn a_launcher_that_cannot_run_is_stale() {
        let missing = PathBuf::from("/nonexistent/bin/cdk-app");
        assert_eq!(
            ask(Some(missing.as_os_str())),
            Verdict::Stale {
                launcher: missing.clone()
            }
        );
        let message = relaunch(&missing, []);
        assert!(message.contains("/nonexistent/bin/cdk-app"), "{message}");
        assert!(message.contains("bin/cdk-build"), "{message}");
    }
}
