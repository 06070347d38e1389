# Sourced by bin/setup, bin/test and bin/bench (not run): messages and input stamps. It changes
# nothing else, so setup can use it before the tools it installs exist (unlike bin/env.sh, which
# puts .venv first on PATH).
# shellcheck shell=bash

# say / die: messages on stderr, prefixed with the script's name.
say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# stamp_ok <stamp file> <input files...>: true when the inputs are unchanged since stamp_write.
stamp_ok() {
  local stamp="$1"; shift
  [ -f "$stamp" ] && [ "$(cat "$@" | sha256sum)" = "$(cat "$stamp")" ]
}
# stamp_write <stamp file> <input files...>: records the inputs' digest.
stamp_write() { local stamp="$1"; shift; cat "$@" | sha256sum >"$stamp"; }
