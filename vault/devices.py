"""This machine's keyring entry for a vault: a device secret that opens the header's keyring slot."""

from __future__ import annotations

from typing import Any

KEYRING_SERVICE = "coffer"
INSECURE_BACKENDS = ("keyrings.alt", "PlaintextKeyring", "EncryptedKeyring", "fail.Keyring", "null.Keyring")


def secure_backend(*, allow_insecure: bool = False) -> Any | None:
    """The keyring backend to use, or None when there is none we trust."""
    import keyring

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if "fail" in name.lower() or "null" in name.lower():
        return None
    if not allow_insecure and any(bad in name for bad in INSECURE_BACKENDS):
        return None
    return backend


def lookup_device_secret(vault_id: str) -> str | None:
    """The device secret for `vault_id`, or None (no backend, locked keyring, no entry)."""
    import keyring.errors

    try:
        backend = secure_backend()
        if backend is None:
            return None
        secret: str | None = backend.get_password(KEYRING_SERVICE, vault_id)
        return secret
    except (keyring.errors.KeyringError, OSError, RuntimeError):
        return None
