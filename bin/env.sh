# Sourced by the bin/ scripts (not run): puts the project's own tools first on PATH, and sets
# `root` (the project root) and `target` (cargo's target directory, absolute: CARGO_TARGET_DIR
# when set, a relative one being relative to the project root where the scripts run cargo, else
# target/; bin/app and jsii-codegen run, which do not source this file, resolve it the same way).
# shellcheck shell=bash
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/.venv/bin:$root/node_modules/.bin:$PATH"
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac

# build_generator: builds jsii-codegen (release) from its own workspace, jsii/codegen, so it
# builds whatever state the generated crates of the main workspace are in, and sets `generator`
# to its path. It shares cargo's target directory with the main workspace.
build_generator() {
  cargo build --quiet --release --locked --manifest-path "$root/jsii/codegen/Cargo.toml" \
    --target-dir "$target"
  generator="$target/release/jsii-codegen"
}
