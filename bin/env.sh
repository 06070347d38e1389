# Sourced by the bin/ scripts (not run): puts the project's own tools first on PATH, and sets
# `root` (the project root) and `target` (cargo's target directory, absolute: CARGO_TARGET_DIR
# when set, a relative one being relative to the project root where the scripts run cargo, else
# target/; bin/cdk-app, which does not source this file, resolves it the same way).
# shellcheck shell=bash
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/.venv/bin:$root/node_modules/.bin:$PATH"
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
