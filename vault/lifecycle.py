"""A vault's life after `init`: rotating its data key, backing it up, restoring it, destroying it.

Rekey: the new data key is first written into the header as `extra["pending_rekey"]`: slots
wrapping it under the same secrets, and the key itself wrapped under the old one. Then SQLCipher's
`PRAGMA rekey` re-encrypts every page in one transaction (WAL mode: an interrupted rekey leaves
only uncommitted frames), and the pending slots replace the old ones. If the process dies in
between, `open_during_rekey` opens the database with whichever key it is under and finishes.

Backup file (`.cofferbak`, any name): `MAGIC` (8 bytes), a big-endian u32 length, that many bytes
of UTF-8 JSON (`format`, `version`, `vault_id`, `created_at`, `db_bytes`, `db_sha256`,
`key_header`: the `.keys` document), then `db_bytes` bytes of the database as SQLite's backup API
copied it, still encrypted under the data key. It holds no plaintext: the key header only holds
wrapped keys. The copy goes through a private temporary file beside the backup, encrypted too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vault import keys, session
from vault.errors import CofferError, VaultDamaged, VaultExists
from vault.fsutil import atomic_file
from vault.store import Store, _connect, read_salt, remove_vault_files

PENDING = "pending_rekey"
MAGIC = b"COFFERBK"
BACKUP_FORMAT = "coffer-backup"
BACKUP_VERSION = 1
MAX_BACKUP_JSON = 1 << 20
CHUNK = 1 << 20


# -- rekey ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RekeyResult:
    """What a rekey changed: a new recovery key when none was given, keyring slots dropped."""

    new_recovery_key: str | None
    dropped_keyring_slots: int


def rekey(
    vault: session.Vault, passphrase: str, recovery_key: str | None, device_secret: str | None
) -> RekeyResult:
    """Re-encrypt the vault under a new data key and re-wrap every slot whose secret is at hand."""
    keys.unwrap(vault.header, "passphrase", passphrase)
    if recovery_key is not None:
        keys.unwrap(vault.header, "recovery", keys.normalize_recovery_key(recovery_key))
    new_key = keys.new_data_key()
    rewrapped, new_recovery, dropped = _rewrapped(
        vault.header, new_key, passphrase, recovery_key, device_secret
    )
    pending = _pending_entry(vault.header, vault.data_key, new_key, rewrapped)
    vault.save_header(replace(vault.header, extra={**vault.header.extra, PENDING: pending}))
    vault.store.checkpoint()
    vault.store.rekey(new_key)
    vault.store.checkpoint()
    vault.save_header(finalised(vault.header))
    vault.data_key = new_key
    return RekeyResult(new_recovery, dropped)


def _rewrapped(
    header: keys.KeyHeader,
    new_key: bytes,
    passphrase: str,
    recovery_key: str | None,
    device_secret: str | None,
) -> tuple[keys.KeyHeader, str | None, int]:
    """Slots for `new_key`: passphrase, recovery (a new key when none given), this machine's keyring."""
    from vault.devices import device_slot

    base = replace(header, slots=(), key_check=keys.key_check(new_key), extra={})
    old_params = [keys.slot_kdf_params(s) for s in header.slots_of("passphrase")]
    kdf = old_params[0] if old_params and old_params[0] else keys.DEFAULT_KDF
    kdf = keys.DEFAULT_KDF if kdf.weaker_than(keys.DEFAULT_KDF) else kdf
    new = keys.add_passphrase_slot(base, new_key, passphrase, kdf)
    new_recovery = None if recovery_key is not None else keys.new_recovery_key()
    new = keys.add_secret_slot(
        new, new_key, "recovery", keys.normalize_recovery_key(recovery_key or new_recovery or "")
    )
    mine = device_slot(header, device_secret)
    if mine is not None and device_secret is not None:
        new = keys.add_secret_slot(
            new, new_key, "keyring", device_secret, label=mine.label, replace_kind=False
        )
    return new, new_recovery, len(header.slots_of("keyring")) - (mine is not None)


def _pending_entry(
    header: keys.KeyHeader, old_key: bytes, new_key: bytes, rewrapped: keys.KeyHeader
) -> dict[str, Any]:
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(_pending_kek(old_key)).encrypt(nonce, new_key, _pending_aad(header, rewrapped.key_check))
    return {
        "key_check": rewrapped.key_check,
        "slots": [slot.to_json() for slot in rewrapped.slots],
        "nonce": nonce.hex(),
        "wrapped": wrapped.hex(),
    }


def _pending_kek(old_key: bytes) -> bytes:
    return HKDF(SHA256(), 32, None, b"coffer pending rekey v1").derive(old_key)


def _pending_aad(header: keys.KeyHeader, new_key_check: str) -> bytes:
    return json.dumps({"vault_id": header.vault_id, "pending": new_key_check}, sort_keys=True).encode()


def pending_key(header: keys.KeyHeader, old_key: bytes) -> bytes:
    """The new data key of an unfinished rekey, unwrapped with the old one."""
    entry = header.extra[PENDING]
    try:
        new_key = AESGCM(_pending_kek(old_key)).decrypt(
            bytes.fromhex(entry["nonce"]),
            bytes.fromhex(entry["wrapped"]),
            _pending_aad(header, entry["key_check"]),
        )
    except (InvalidTag, KeyError, ValueError, TypeError):
        raise VaultDamaged("the key header's unfinished rekey is corrupt") from None
    if keys.key_check(new_key) != entry["key_check"]:
        raise VaultDamaged("the key header's unfinished rekey is inconsistent")
    return new_key


def _without_pending(header: keys.KeyHeader) -> dict[str, Any]:
    return {k: v for k, v in header.extra.items() if k != PENDING}


def finalised(header: keys.KeyHeader) -> keys.KeyHeader:
    """The header after a rekey: the pending slots become the slots."""
    entry = header.extra[PENDING]
    extra = _without_pending(header)
    slots = tuple(keys.KeySlot.from_json(s) for s in entry["slots"])
    return replace(header, key_check=str(entry["key_check"]), slots=slots, extra=extra)


def open_during_rekey(path: Path, header: keys.KeyHeader, old_key: bytes) -> session.Vault:
    """Open a vault whose rekey was interrupted: under the old key as it was, or the new one, finished."""
    try:
        return session.Vault(path, header, old_key, session.open_store(path, header, old_key))
    except VaultDamaged:
        new_key = pending_key(header, old_key)
        store = session.open_store(path, header, new_key)
    done = finalised(header)
    keys.save_header(keys.header_path(path), done)
    return session.Vault(path, done, new_key, store)


# -- backup and restore ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupInfo:
    """A backup file's description (its JSON header, the key header aside)."""

    path: Path
    vault_id: str
    created_at: int
    db_bytes: int


def backup(vault: session.Vault, dest: Path, *, overwrite: bool = False) -> BackupInfo:
    """Write one consistent, still encrypted copy of the vault and its key header to `dest`."""
    if dest.resolve() in (vault.path.resolve(), vault.header_path.resolve()):
        raise CofferError("the backup must not replace the vault itself: choose another path")
    if dest.exists() and not overwrite:
        raise VaultExists(f"{dest} exists: choose another path or use --force")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _private_temp(dest, ".db") as copy:
        _copy_database(vault.store, copy, vault.data_key)
        header = replace(vault.header, db_salt=read_salt(copy), extra=_without_pending(vault.header))
        digest, size = _digest(copy)
        meta = _backup_meta(header, digest, size)
        with atomic_file(dest) as out, copy.open("rb") as source:
            _write_container(out, meta, source)
    with vault.store.transaction():
        vault.store.set_meta("last_backup_at", str(meta["created_at"]))
    return BackupInfo(dest, header.vault_id, int(meta["created_at"]), size)


def _copy_database(store: Store, target_path: Path, data_key: bytes) -> None:
    """SQLite's backup API in one step: one read snapshot, so writers elsewhere never tear it."""
    target = _connect(target_path, data_key, store.page_size)
    try:
        with store.lock, store.errors():
            store.conn.backup(target)
    finally:
        target.close()
    os.chmod(target_path, 0o600)


def _backup_meta(header: keys.KeyHeader, digest: str, size: int) -> dict[str, Any]:
    return {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "vault_id": header.vault_id,
        "created_at": int(time.time()),
        "db_bytes": size,
        "db_sha256": digest,
        "key_header": header.to_json(),
    }


def _write_container(out: IO[bytes], meta: dict[str, Any], source: IO[bytes]) -> None:
    encoded = json.dumps(meta, separators=(",", ":")).encode()
    out.write(MAGIC + struct.pack(">I", len(encoded)) + encoded)
    while chunk := source.read(CHUNK):
        out.write(chunk)


def read_backup(path: Path) -> tuple[dict[str, Any], int]:
    """The backup's JSON header and the offset of its database bytes; VaultDamaged when it is not sound."""
    try:
        with path.open("rb") as handle:
            meta, offset = _read_head(handle, path)
            digest, size = _digest_stream(handle)
    except OSError as exc:
        raise CofferError(f"cannot read the backup {path}: {exc.strerror}") from None
    if size != meta.get("db_bytes") or digest != meta.get("db_sha256"):
        raise VaultDamaged(f"the backup {path.name} is damaged (its database does not match its checksum)")
    return meta, offset


def _read_head(handle: IO[bytes], path: Path) -> tuple[dict[str, Any], int]:
    start = handle.read(len(MAGIC) + 4)
    if len(start) < len(MAGIC) + 4 or not start.startswith(MAGIC):
        raise VaultDamaged(f"{path.name} is not a coffer backup (or it is damaged)")
    (length,) = struct.unpack(">I", start[len(MAGIC) :])
    if length > MAX_BACKUP_JSON:
        raise VaultDamaged(f"the backup {path.name} is damaged (header too large)")
    try:
        meta = json.loads(handle.read(length))
    except (ValueError, UnicodeDecodeError):
        raise VaultDamaged(f"the backup {path.name} is damaged (unreadable header)") from None
    if not isinstance(meta, dict) or meta.get("format") != BACKUP_FORMAT:
        raise VaultDamaged(f"{path.name} is not a coffer backup")
    if int(meta.get("version", 0)) > BACKUP_VERSION:
        raise VaultDamaged(f"the backup {path.name} was made by a newer coffer")
    return meta, len(MAGIC) + 4 + length


def restore(source: Path, dest: Path, credentials: session.Credentials, *, force: bool = False) -> BackupInfo:
    """Check that the backup opens and verifies, then put it in place of `dest` (only with `force`)."""
    dest_header = keys.header_path(dest)
    if not force and (dest.exists() or dest_header.exists()):
        raise VaultExists(f"a vault exists at {dest}: use --force to replace it with the backup")
    meta, offset = read_backup(source)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _private_temp(dest, ".db") as db_copy, _private_temp(dest, ".keys") as header_copy:
        _extract(source, offset, db_copy)
        keys.save_header(header_copy, _header_of(meta, header_copy))
        _check_restorable(db_copy, keys.load_header(header_copy), credentials)
        _remove_companions(dest)
        os.replace(db_copy, dest)
        os.replace(header_copy, dest_header)
    return BackupInfo(dest, str(meta["vault_id"]), int(meta["created_at"]), int(meta["db_bytes"]))


def _header_of(meta: dict[str, Any], scratch: Path) -> keys.KeyHeader:
    try:
        scratch.write_text(json.dumps(meta["key_header"]))
    except (KeyError, TypeError):
        raise VaultDamaged("the backup's key header is missing") from None
    return keys.load_header(scratch)


def _check_restorable(db_copy: Path, header: keys.KeyHeader, credentials: session.Credentials) -> None:
    data_key = session.unlock_key(header, credentials)
    store = session.open_store(db_copy, header, data_key)
    try:
        problems = store.integrity_problems()
    finally:
        store.close()
    _remove_companions(db_copy)
    if problems:
        raise VaultDamaged(f"the backup does not verify: {problems[0]}")


def _remove_companions(path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


def _extract(source: Path, offset: int, target: Path) -> None:
    with source.open("rb") as handle, target.open("wb") as out:
        handle.seek(offset)
        while chunk := handle.read(CHUNK):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())


@contextlib.contextmanager
def _private_temp(beside: Path, suffix: str) -> Iterator[Path]:
    """A private temporary path beside `beside`, removed with its SQLite companions afterwards."""
    path = beside.with_name(f".{beside.name}.{secrets.token_hex(6)}{suffix}.tmp")
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield path
    finally:
        remove_vault_files(path)


def _digest(path: Path) -> tuple[str, int]:
    with path.open("rb") as handle:
        return _digest_stream(handle)


def _digest_stream(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


# -- destroy --------------------------------------------------------------------------------------


def destroy(path: Path) -> list[Path]:
    """Overwrite and remove the key header (which alone makes the data unreadable), then the database."""
    removed = []
    for target in (
        keys.header_path(path),
        *(path.with_name(path.name + s) for s in ("", "-wal", "-shm", "-journal")),
    ):
        if target.exists():
            _shred(target)
            removed.append(target)
    return removed


def _shred(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        written = 0
        while written < size:
            block = secrets.token_bytes(min(CHUNK, size - written))
            handle.write(block)
            written += len(block)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
