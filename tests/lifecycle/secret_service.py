"""The real Secret Service the keyring tests run against (tests/with_keyring.sh starts one)."""

from __future__ import annotations

import os
from typing import Any

import pytest

needs_secret_service = pytest.mark.skipif(
    not os.environ.get("COFFER_TEST_SECRET_SERVICE") and not os.environ.get("CI"),
    reason="no Secret Service: run under `dbus-run-session -- bash tests/with_keyring.sh` (make test)",
)


def stored_secret(vault_id: str) -> str | None:
    import keyring

    value: str | None = keyring.get_password("coffer", vault_id)
    return value


def store_secret(vault_id: str, secret: str) -> None:
    import keyring

    keyring.set_password("coffer", vault_id, secret)


def _login_collection() -> tuple[Any, Any, Any]:
    import secretstorage
    from secretstorage.util import DBusAddressWrapper

    conn = secretstorage.dbus_init()
    service = DBusAddressWrapper("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", conn)
    path = service.call("ReadAlias", "s", "default")[0]
    return conn, path, secretstorage.Collection(conn, path)


def lock_keyring() -> None:
    _conn, _path, collection = _login_collection()
    collection.lock()
    assert collection.is_locked()


def unlock_keyring() -> None:
    """gnome-keyring's own unlock call: the standard one needs a graphical prompt."""
    from secretstorage.util import DBusAddressWrapper, format_secret, open_session

    conn, path, collection = _login_collection()
    password = os.environ["COFFER_TEST_KEYRING_PASSWORD"].encode()
    internal = DBusAddressWrapper(
        "/org/freedesktop/secrets", "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", conn
    )
    internal.call(
        "UnlockWithMasterPassword",
        "o(oayays)",
        path,
        format_secret(open_session(conn), password, "text/plain"),
    )
    assert not collection.is_locked()
