"""Creating and unlocking a vault: the key header and the store, opened together."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from vault import keys
from vault.errors import NoPassphrase, UsageError, VaultExists, WrongPassphrase
from vault.store import Store, check_vault_file, read_salt, remove_vault_files

MIN_PASSPHRASE_LENGTH = 8


@dataclass
class Credentials:
    """Where the secret to unlock comes from, in the order ARCHITECTURE.md gives.

    `passphrase` is an explicit one (file, descriptor or environment); `device_secret` looks up
    this machine's keyring entry for a vault id; `prompt` asks on a terminal (None without one).
    """

    passphrase: str | None = None
    recovery_key: str | None = None
    device_secret: Callable[[str], str | None] | None = None
    prompt: Callable[[str], str] | None = None
    used: str = field(default="", init=False)


@dataclass
class Vault:
    """An unlocked vault: its path, key header, data key and open store."""

    path: Path
    header: keys.KeyHeader
    data_key: bytes = field(repr=False)
    store: Store = field(repr=False)

    @property
    def header_path(self) -> Path:
        return keys.header_path(self.path)

    def save_header(self, header: keys.KeyHeader) -> None:
        keys.save_header(self.header_path, header)
        self.header = header

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_new_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise UsageError(f"the passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters")
    return passphrase


def create(path: Path, passphrase: str, kdf: keys.KdfParams = keys.DEFAULT_KDF) -> tuple[Vault, str]:
    """A new vault at `path`; returns it and its recovery key (to show once)."""
    header_file = keys.header_path(path)
    if header_file.exists() or (path.exists() and path.stat().st_size > 0):
        raise VaultExists(f"a vault already exists at {path}")
    data_key = keys.new_data_key()
    header, recovery = keys.new_header(data_key, check_new_passphrase(passphrase), kdf)
    store = Store.create(path, data_key)
    try:
        header = replace(header, db_salt=read_salt(path), db_page_size=store.page_size)
        keys.save_header(header_file, header)
    except BaseException:
        store.close()
        remove_vault_files(path)
        raise
    return Vault(path, header, data_key, store), recovery


def unlock(path: Path, credentials: Credentials) -> Vault:
    """Open the vault with the first secret that works; errors map to exit codes 3 and 4."""
    check_vault_file(path, None)
    header = keys.load_header(keys.header_path(path))
    check_vault_file(path, header.db_salt)
    data_key = unlock_key(header, credentials)
    if "pending_rekey" in header.extra:
        from vault.lifecycle import open_during_rekey  # a rekey was interrupted: finish it

        return open_during_rekey(path, header, data_key)
    return Vault(path, header, data_key, open_store(path, header, data_key))


def open_store(path: Path, header: keys.KeyHeader, data_key: bytes) -> Store:
    """The database its key header describes: its salt must match, its page size is recorded."""
    return Store.open(path, data_key, expected_salt=header.db_salt, page_size=header.db_page_size)


def unlock_key(header: keys.KeyHeader, credentials: Credentials) -> bytes:
    if credentials.recovery_key is not None:
        credentials.used = "recovery"
        return keys.unwrap(header, "recovery", keys.normalize_recovery_key(credentials.recovery_key))
    if credentials.passphrase is not None:
        credentials.used = "passphrase"
        return keys.unwrap(header, "passphrase", credentials.passphrase)
    data_key = _try_device(header, credentials)
    if data_key is not None:
        return data_key
    if credentials.prompt is None:
        raise NoPassphrase(
            "no passphrase available: use --passphrase-file, --passphrase-fd or COFFER_PASSPHRASE, "
            "or run on a terminal"
        )
    credentials.used = "passphrase"
    return keys.unwrap(header, "passphrase", credentials.prompt("Passphrase: "))


def _try_device(header: keys.KeyHeader, credentials: Credentials) -> bytes | None:
    """This machine's keyring secret, when the vault has a keyring slot; None when it cannot."""
    if credentials.device_secret is None or not header.slots_of("keyring"):
        return None
    secret = credentials.device_secret(header.vault_id)
    if secret is None:
        return None
    with contextlib.suppress(WrongPassphrase):
        data_key = keys.unwrap(header, "keyring", secret)
        credentials.used = "keyring"
        return data_key
    return None
