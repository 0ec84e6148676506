#!/usr/bin/env bash
# Starts an unlocked gnome-keyring (Secret Service) on the current D-Bus session, then runs "$@".
# Run it inside `dbus-run-session -- bash tests/with_keyring.sh CMD...`. The keyring lives in a
# temporary folder removed afterwards; its password is exported so a test can lock and unlock it.
set -u
cleanup_dirs=()
if command -v gnome-keyring-daemon >/dev/null && [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR}" ]; then
    XDG_RUNTIME_DIR="$(mktemp -d)"
    cleanup_dirs+=("$XDG_RUNTIME_DIR")
  fi
  export XDG_RUNTIME_DIR
  XDG_DATA_HOME="$(mktemp -d)"
  cleanup_dirs+=("$XDG_DATA_HOME")
  export XDG_DATA_HOME
  export COFFER_TEST_KEYRING_PASSWORD="coffer-test-keyring"
  if eval "$(printf '%s' "$COFFER_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"; then
    export COFFER_TEST_SECRET_SERVICE=1
  else
    echo "with_keyring.sh: gnome-keyring-daemon did not start; keyring tests will skip (or fail under CI)" >&2
  fi
else
  echo "with_keyring.sh: no gnome-keyring-daemon or no D-Bus session; keyring tests will skip (or fail under CI)" >&2
fi
"$@"
status=$?
for dir in "${cleanup_dirs[@]}"; do rm -rf -- "$dir"; done
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing the run" >&2
  exit 1
fi
exit "$status"
