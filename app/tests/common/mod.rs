//! Helpers shared by the app's in-process tests.

#![allow(dead_code)] // each test binary uses a different subset

use aws_cdk_lib::{App, AppProps};
use jsii_runtime::Any;
use serde_json::Value;
use std::path::Path;

/// ELF `e_machine` of arm64 executables.
pub const ARM64: u16 = 0xB7;
/// ELF `e_machine` of x86_64 executables.
pub const X86_64: u16 = 0x3E;

/// A directory holding a `bootstrap` whose ELF header says `machine`: enough for the app's
/// architecture check and for asset staging, without building the function.
pub fn fake_build(machine: u16) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut elf = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    elf.resize(18, 0);
    elf.extend_from_slice(&machine.to_le_bytes());
    elf.resize(256, 0);
    std::fs::write(dir.path().join("bootstrap"), elf).expect("write bootstrap");
    dir
}

/// `cdk.json`'s context (the feature flags), plus `extra`.
pub fn cdk_json_context(extra: &[(&str, Value)]) -> Vec<(String, Any)> {
    let text = std::fs::read_to_string(testkit::root().join("cdk.json")).expect("cdk.json");
    let cdk: Value = serde_json::from_str(&text).expect("cdk.json is JSON");
    let mut context: Vec<(String, Any)> = cdk["context"]
        .as_object()
        .expect("context")
        .iter()
        .map(|(k, v)| (k.clone(), Any::from_json(v.clone())))
        .collect();
    context.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Any::from_json(v.clone()))),
    );
    context
}

/// An `App` with `cdk.json`'s context, as under the CDK CLI, writing to `out`.
pub fn app(out: &Path) -> jsii_runtime::Result<App> {
    App::new(
        AppProps::builder()
            .outdir(out.display().to_string())
            .context(cdk_json_context(&[]))
            .analytics_reporting(false)
            .build(),
    )
}
