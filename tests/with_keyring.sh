#!/usr/bin/env bash
# Starts an unlocked gnome-keyring (Secret Service) on the current D-Bus session, then runs "$@".
set -u
if command -v gnome-keyring-daemon >/dev/null; then
  export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
  export HOME_KEYRING_DIR="$(mktemp -d)"
  export XDG_DATA_HOME="$HOME_KEYRING_DIR"
  eval "$(printf '\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export COFFER_TEST_SECRET_SERVICE=1
fi
"$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing the run" >&2
  exit 1
fi
exit "$status"
