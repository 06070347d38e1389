//! `js/hooks.json`, the manifest of the third-party versions each speed-up was written for and
//! tested with. A speed-up meeting any other version steps aside ([`super::step_aside`]). The
//! preload script reads the same manifest ([`MANIFEST_ENV`]).

/// The manifest, as built into this crate.
pub(crate) const MANIFEST: &str = include_str!("../../js/hooks.json");

/// Environment variable the kernel's node gets: the manifest's text, for the preload script.
pub(crate) const MANIFEST_ENV: &str = "JSII_RS_HOOKS";

/// Whether speed-up `hook` knows `package` at `version`.
pub(crate) fn knows(hook: &str, package: &str, version: &str) -> bool {
    let manifest: serde_json::Value = serde_json::from_str(MANIFEST).unwrap_or_default();
    manifest[hook][package]
        .as_array()
        .is_some_and(|versions| versions.iter().any(|v| v.as_str() == Some(version)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_names_exact_versions_per_hook() {
        let manifest: serde_json::Value = serde_json::from_str(MANIFEST).expect("valid JSON");
        for hook in [
            "digestMemo",
            "defsReader",
            "validatorSnapshots",
            "startupSnapshot",
        ] {
            let packages = manifest[hook].as_object().expect("a hook lists packages");
            assert!(!packages.is_empty(), "{hook}");
        }
        assert!(knows("startupSnapshot", "aws-cdk-lib", "2.276.0"));
        assert!(!knows("startupSnapshot", "aws-cdk-lib", "2.276"));
        assert!(!knows("startupSnapshot", "cdktf", "0.21.0"));
        assert!(!knows("noSuchHook", "aws-cdk-lib", "2.276.0"));
        assert!(knows("digestMemo", "@jsii/runtime", "1.140.0"));
    }
}
