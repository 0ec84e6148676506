"""This machine's keyring entry for a vault: a device secret that opens the header's keyring slot.

`remember` stores a random secret in the OS keyring under the vault's id and adds a `keyring` slot
wrapping the data key under it; `forget` removes both, so a copy of the old secret opens nothing.
Backends that keep secrets in plaintext or prompt on the terminal (keyrings.alt) are refused unless
the user insists; no backend at all is a normal case reported with a hint.
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import sys
from dataclasses import replace
from typing import Any

from vault import keys
from vault.errors import CofferError, WrongPassphrase

KEYRING_SERVICE = "coffer"
INSECURE_BACKENDS = ("keyrings.alt", "PlaintextKeyring", "EncryptedKeyring")
PROMPTING_BACKENDS = ("EncryptedKeyring",)
ABSENT_BACKENDS = ("keyring.backends.fail.", "keyring.backends.null.")
SECRET_BYTES = 32


class KeyringUnavailable(CofferError):
    """No usable OS keyring: none installed, refused as insecure, or locked."""


def backend_name(backend: Any) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _is_absent(backend: Any) -> bool:
    return backend_name(backend).startswith(ABSENT_BACKENDS)


def _is_insecure(backend: Any) -> bool:
    return any(bad in backend_name(backend) for bad in INSECURE_BACKENDS)


def _candidates(backend: Any) -> list[Any]:
    """The real backends behind `backend` (keyring's chainer holds several), best first."""
    inner = getattr(backend, "backends", None)
    found = list(inner) if isinstance(inner, list | tuple) else [backend]
    return [b for b in found if not _is_absent(b)]


def secure_backend(*, allow_insecure: bool = False) -> Any | None:
    """The keyring backend to use, or None when there is none we trust."""
    import keyring

    candidates = _candidates(keyring.get_keyring())
    trusted = [b for b in candidates if not _is_insecure(b)]
    if trusted:
        return trusted[0]
    return candidates[0] if candidates and allow_insecure else None


def _reading_backend() -> Any | None:
    """The backend to read an entry from: any backend the user once chose, never a prompt off a tty.

    Remembering refuses insecure backends unless the user insists, so an entry found in one was put
    there on purpose; reading it adds no exposure. A prompting backend would block a script.
    """
    backend = secure_backend(allow_insecure=True)
    if backend is None:
        return None
    prompting = any(name in backend_name(backend) for name in PROMPTING_BACKENDS)
    return None if prompting and not sys.stdin.isatty() else backend


def lookup_device_secret(vault_id: str) -> str | None:
    """The device secret for `vault_id`, or None (no backend, locked keyring, no entry)."""
    import keyring.errors

    try:
        backend = _reading_backend()
        if backend is None:
            return None
        secret: str | None = backend.get_password(KEYRING_SERVICE, vault_id)
        return secret
    except (keyring.errors.KeyringError, OSError, RuntimeError):
        return None


def machine_label() -> str:
    return socket.gethostname() or "this machine"


def device_slot(header: keys.KeyHeader, secret: str | None) -> keys.KeySlot | None:
    """The keyring slot that `secret` opens, if any."""
    if secret is None:
        return None
    for slot in header.slots_of("keyring"):
        with contextlib.suppress(WrongPassphrase):
            keys.unwrap(replace(header, slots=(slot,)), "keyring", secret)
            return slot
    return None


def remember(header: keys.KeyHeader, data_key: bytes, *, allow_insecure: bool = False) -> keys.KeyHeader:
    """Store a new device secret in the keyring; return the header with its slot (to save).

    The entry is written before the slot, so a failure leaves at worst an entry that opens nothing;
    this machine's previous slot, if any, is replaced.
    """
    backend = _writable_backend(allow_insecure)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    stale = device_slot(header, lookup_device_secret(header.vault_id))
    _keyring_call(lambda: backend.set_password(KEYRING_SERVICE, header.vault_id, secret))
    kept = tuple(s for s in header.slots if s != stale and not _is_this_machines(s))
    return keys.add_secret_slot(
        replace(header, slots=kept), data_key, "keyring", secret, label=machine_label(), replace_kind=False
    )


def forget(header: keys.KeyHeader) -> tuple[keys.KeyHeader, bool]:
    """The header without this machine's keyring slot, and whether a slot was removed.

    The slot is found by the secret it opens, else by this machine's label (when the entry was
    lost); the entry is deleted only after the caller saved the header, see `delete_entry`.
    """
    slot = device_slot(header, lookup_device_secret(header.vault_id))
    kept = tuple(s for s in header.slots if s != slot and not _is_this_machines(s))
    return replace(header, slots=kept), len(kept) != len(header.slots)


def delete_entry(vault_id: str) -> bool:
    """Remove this machine's keyring entry for `vault_id`; False when there was none to remove."""
    import keyring.errors

    backend = secure_backend(allow_insecure=True)
    if backend is None:
        return False
    try:
        backend.delete_password(KEYRING_SERVICE, vault_id)
    except keyring.errors.PasswordDeleteError:
        return False
    except (keyring.errors.KeyringError, OSError, RuntimeError):
        return False
    return True


def _is_this_machines(slot: keys.KeySlot) -> bool:
    return slot.kind == "keyring" and slot.label == machine_label()


def _writable_backend(allow_insecure: bool) -> Any:
    import keyring

    backend = secure_backend(allow_insecure=allow_insecure)
    if backend is not None:
        return backend
    candidates = _candidates(keyring.get_keyring())
    if candidates:
        raise KeyringUnavailable(
            f"the keyring backend {backend_name(candidates[0])} stores secrets in plaintext or prompts "
            "on the terminal: refused (use --allow-insecure-keyring to use it anyway)"
        )
    raise KeyringUnavailable(
        "no OS keyring is available on this machine (install and unlock a Secret Service such as "
        "gnome-keyring or KWallet); keep using the passphrase"
    )


def _keyring_call(action: Any) -> None:
    import keyring.errors

    try:
        action()
    except keyring.errors.KeyringLocked:
        raise KeyringUnavailable("the OS keyring is locked: unlock it and try again") from None
    except (keyring.errors.KeyringError, OSError, RuntimeError) as exc:
        raise KeyringUnavailable(
            f"the OS keyring refused to store the secret ({type(exc).__name__})"
        ) from None
