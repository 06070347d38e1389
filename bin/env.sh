# Sourced by the bin/ scripts (not run): puts the project's own tools first on PATH.
# shellcheck shell=bash
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/.venv/bin:$root/node_modules/.bin:$PATH"
