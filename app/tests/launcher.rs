//! The app binary's side of `bin/cdk-app`'s fast path (`app/src/launcher.rs`), run for real: the
//! binary cdk.json starts asks the launcher named by `CDK_BUILD_CHECK` whether its build holds
//! while its kernel starts, and on "stale" ends that kernel and runs the launcher again in its
//! place. The launcher here answers "stale" and then hands over to the real `bin/cdk-app`, which
//! runs `bin/cdk-build` (nothing to build when the tree is built) and starts the binary again,
//! unchecked. Needs `bin/setup` (node_modules, .venv with cargo-lambda).

use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use testkit::root;

#[test]
fn a_stale_build_ends_the_unused_kernel_and_relaunches_the_launcher() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("tempdir");
    let tmp = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("launcher.log");
    let launcher = dir.path().join("launcher");
    std::fs::write(
        &launcher,
        format!(
            "#!/bin/sh\n\
             echo \"[$*] stale=${{CDK_BUILD_STALE:-}} check=${{CDK_BUILD_CHECK:-}}\" >>'{log}'\n\
             [ \"$1\" = --check-build ] && exit 1\n\
             exec '{cdk_app}' \"$@\"\n",
            log = log.display(),
            cdk_app = root().join("bin/cdk-app").display()
        ),
    )
    .expect("write launcher");
    std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    let o = Command::new(env!("CARGO_BIN_EXE_cdk-app"))
        .arg("--some-arg")
        .current_dir(root())
        .env("CDK_BUILD_CHECK", &launcher)
        .env("CDK_OUTDIR", out.path())
        .env("CDK_VALIDATION", "false")
        .env("TMPDIR", tmp.path())
        .env_remove("CDK_BUILD_FORCE")
        .env_remove("CDK_BUILD_STALE")
        .output()
        .expect("run the app binary");
    assert!(
        o.status.success(),
        "the relaunched app failed ({}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&log).expect("the launcher ran"),
        "[--check-build] stale= check=\n[--some-arg] stale=1 check=\n",
        "asked once, then run again in the app's place with its arguments, told the build is \
         stale and not to ask again"
    );
    assert!(
        out.path()
            .join("ConnectLookupStack.template.json")
            .is_file(),
        "the binary started after the build synthesized"
    );
    // Both kernels (the one ended unused and the one that synthesized) removed their work
    // directories.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("TMPDIR")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("jsii-kernel-"))
        .collect();
    assert!(left.is_empty(), "left in TMPDIR: {left:?}");
}
