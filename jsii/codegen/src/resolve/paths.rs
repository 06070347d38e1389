//! Paths between crate directories, as Cargo.toml dependencies and manifests write them. Pure
//! string functions: they must not touch the file system.

/// `to`, a directory inside `from` (both relative to the same directory), relative to `from`.
pub(super) fn relative_inside(from: &str, to: &str) -> String {
    to.strip_prefix(from)
        .map(|r| r.trim_start_matches('/').to_owned())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| ".".to_owned())
}

/// The path of `to` as seen from `from`, both relative to the same directory; an absolute `to`
/// stays as it is.
pub(super) fn relative(from: &str, to: &str) -> String {
    if std::path::Path::new(to).is_absolute() {
        return to.to_owned();
    }
    let depth = from
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .count();
    let mut s = "../".repeat(depth);
    s.push_str(to);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_out_of_the_crate_dir() {
        assert_eq!(relative("aws-cdk-lib", "constructs"), "../constructs");
        assert_eq!(
            relative("golden/fixture", "../../app/bindings/constructs"),
            "../../../../app/bindings/constructs"
        );
        // An extern crate given by absolute path (a scratch config outside the project).
        assert_eq!(
            relative("aws-cdk-lib", "/work/app/bindings/constructs"),
            "/work/app/bindings/constructs"
        );
    }
}
