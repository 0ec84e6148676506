"""The key header: a random data key wrapped once per key slot (passphrase, recovery, keyring).

Argon2id turns a passphrase into a key-encryption key; AES-256-GCM wraps the data key with
associated data that binds the format version, vault id, slot type, slot id and KDF parameters,
so a slot cannot be moved to another vault or have its parameters weakened unnoticed. Changing a
passphrase re-wraps the data key and never re-encrypts the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vault.errors import VaultDamaged, WrongPassphrase
from vault.fsutil import atomic_write
from vault.store import PAGE_SIZE

FORMAT = "coffer-keys"
FORMAT_VERSION = 1
DATA_KEY_BYTES = 32
LEGACY_DB_PAGE_SIZE = 4096  # SQLCipher 4's default, which vaults made before 16 KiB pages use
DB_PAGE_SIZES = frozenset(1 << n for n in range(9, 17))  # 512 .. 65536
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to copy by hand
RECOVERY_GROUPS = 8
RECOVERY_GROUP_LEN = 4


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: `time_cost` passes over `memory_kib` KiB with `parallelism` lanes."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4

    def weaker_than(self, other: KdfParams) -> bool:
        return self.time_cost < other.time_cost or self.memory_kib < other.memory_kib


DEFAULT_KDF = KdfParams()
RECOVERY_KDF = KdfParams(time_cost=2, memory_kib=32 * 1024, parallelism=2)


@dataclass(frozen=True)
class KeySlot:
    """One way to unwrap the data key."""

    slot_id: str
    kind: str  # passphrase, recovery, keyring
    kdf: dict[str, Any]
    nonce: bytes
    wrapped: bytes
    created_at: int
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.slot_id,
            "type": self.kind,
            "kdf": self.kdf,
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
            "created_at": self.created_at,
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeySlot:
        return cls(
            slot_id=str(data["id"]),
            kind=str(data["type"]),
            kdf=dict(data["kdf"]),
            nonce=_unb64(data["nonce"]),
            wrapped=_unb64(data["wrapped"]),
            created_at=int(data["created_at"]),
            label=str(data.get("label", "")),
        )


@dataclass(frozen=True)
class KeyHeader:
    """The `<vault>.keys` file: which vault, which database, and its key slots."""

    vault_id: str
    created_at: int
    db_salt: str  # hex of the database file's first 16 bytes (SQLCipher's salt)
    key_check: str  # HMAC of a constant under the data key: tells a foreign header apart
    slots: tuple[KeySlot, ...] = field(default_factory=tuple)
    extra: dict[str, Any] = field(default_factory=dict)
    # SQLCipher cannot read a database's page size before it decrypts the first page: it lives
    # here. Headers written before it was recorded belong to databases of SQLCipher's default.
    db_page_size: int = PAGE_SIZE

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "db_salt": self.db_salt,
            "db_page_size": self.db_page_size,
            "key_check": self.key_check,
            "slots": [slot.to_json() for slot in self.slots],
            **({"extra": self.extra} if self.extra else {}),
        }

    def slots_of(self, kind: str) -> list[KeySlot]:
        return [slot for slot in self.slots if slot.kind == kind]

    def without(self, kind: str) -> KeyHeader:
        return replace(self, slots=tuple(s for s in self.slots if s.kind != kind))

    def with_slot(self, slot: KeySlot, *, replacing: str | None = None) -> KeyHeader:
        kept = tuple(s for s in self.slots if replacing is None or s.kind != replacing)
        return replace(self, slots=(*kept, slot))


def header_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".keys")


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def new_header(data_key: bytes, passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> tuple[KeyHeader, str]:
    """A header with a passphrase slot and a recovery slot; returns it and the recovery key."""
    header = KeyHeader(
        vault_id=str(uuid.uuid4()),
        created_at=int(time.time()),
        db_salt="",
        key_check=key_check(data_key),
    )
    recovery = new_recovery_key()
    header = add_passphrase_slot(header, data_key, passphrase, kdf)
    header = add_secret_slot(header, data_key, "recovery", normalize_recovery_key(recovery))
    return header, recovery


def key_check(data_key: bytes) -> str:
    return hmac.new(data_key, b"coffer key check v1", hashlib.sha256).hexdigest()[:32]


def add_passphrase_slot(
    header: KeyHeader, data_key: bytes, passphrase: str, kdf: KdfParams = DEFAULT_KDF
) -> KeyHeader:
    """Replace the passphrase slot with one for `passphrase` under `kdf`."""
    params = _argon2_params(kdf)
    slot = _wrap(header, data_key, "passphrase", params, _argon2(passphrase.encode(), params))
    return header.with_slot(slot, replacing="passphrase")


def add_secret_slot(
    header: KeyHeader, data_key: bytes, kind: str, secret: str, *, label: str = "", replace_kind: bool = True
) -> KeyHeader:
    """A slot opened by a high-entropy secret (recovery key, keyring device secret)."""
    if kind == "recovery":
        params = _argon2_params(RECOVERY_KDF)
        kek = _argon2(secret.encode(), params)
    else:
        params = {"name": "hkdf-sha256", "salt": _b64(secrets.token_bytes(16))}
        kek = _hkdf(secret.encode(), params)
    slot = _wrap(header, data_key, kind, params, kek, label=label)
    return header.with_slot(slot, replacing=kind if replace_kind else None)


def unwrap(header: KeyHeader, kind: str, secret: str) -> bytes:
    """The data key, from the first slot of `kind` that `secret` opens."""
    for slot in header.slots_of(kind):
        data_key = _try_slot(header, slot, secret)
        if data_key is not None:
            if not hmac.compare_digest(key_check(data_key), header.key_check):
                raise VaultDamaged("the key header is inconsistent (key check failed)")
            return data_key
    what = {"recovery": "recovery key", "keyring": "keyring secret"}.get(kind, "passphrase")
    raise WrongPassphrase(f"wrong {what}")


def slot_kdf_params(slot: KeySlot) -> KdfParams | None:
    if slot.kdf.get("name") != "argon2id":
        return None
    return KdfParams(int(slot.kdf["t"]), int(slot.kdf["m"]), int(slot.kdf["p"]))


def new_recovery_key() -> str:
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN))
    groups = [chars[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(chars), RECOVERY_GROUP_LEN)]
    return "-".join(groups)


def normalize_recovery_key(text: str) -> str:
    """Accept the key as a person types it: any case, with or without spaces and dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def load_header(path: Path) -> KeyHeader:
    """Read and check `<vault>.keys`; any problem is VaultDamaged (exit 4)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise VaultDamaged(
            f"the key header {path.name} is missing: without it the vault cannot be opened "
            "(restore it from a backup)"
        ) from None
    except OSError as exc:
        raise VaultDamaged(f"cannot read the key header {path.name}: {exc.strerror}") from None
    try:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise ValueError("not a coffer key header")
        if int(data.get("version", 0)) > FORMAT_VERSION:
            raise ValueError(f"format version {data['version']} is newer than this coffer")
        return KeyHeader(
            vault_id=str(data["vault_id"]),
            created_at=int(data["created_at"]),
            db_salt=str(data.get("db_salt", "")),
            key_check=str(data["key_check"]),
            slots=tuple(KeySlot.from_json(s) for s in data["slots"]),
            extra=dict(data.get("extra", {})),
            db_page_size=_page_size(data.get("db_page_size", LEGACY_DB_PAGE_SIZE)),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise VaultDamaged(f"the key header {path.name} is corrupt ({exc})") from None


def _page_size(value: Any) -> int:
    size = int(value)
    if size not in DB_PAGE_SIZES:
        raise ValueError(f"db_page_size {size} is not a SQLCipher page size")
    return size


def save_header(path: Path, header: KeyHeader) -> None:
    atomic_write(path, json.dumps(header.to_json(), indent=2).encode() + b"\n")


def _wrap(
    header: KeyHeader, data_key: bytes, kind: str, kdf: dict[str, Any], kek: bytes, *, label: str = ""
) -> KeySlot:
    slot_id = secrets.token_hex(8)
    nonce = secrets.token_bytes(12)
    aad = _aad(header.vault_id, kind, slot_id, kdf)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, aad)
    return KeySlot(slot_id, kind, kdf, nonce, wrapped, int(time.time()), label)


def _try_slot(header: KeyHeader, slot: KeySlot, secret: str) -> bytes | None:
    try:
        if slot.kdf.get("name") == "argon2id":
            kek = _argon2(secret.encode(), slot.kdf)
        elif slot.kdf.get("name") == "hkdf-sha256":
            kek = _hkdf(secret.encode(), slot.kdf)
        else:
            raise VaultDamaged(f"the key header has a slot with an unknown KDF {slot.kdf.get('name')!r}")
        aad = _aad(header.vault_id, slot.kind, slot.slot_id, slot.kdf)
        return AESGCM(kek).decrypt(slot.nonce, slot.wrapped, aad)
    except InvalidTag:
        return None
    except (KeyError, ValueError, TypeError) as exc:
        raise VaultDamaged(f"the key header has a corrupt slot ({exc})") from None


def _aad(vault_id: str, kind: str, slot_id: str, kdf: dict[str, Any]) -> bytes:
    bound = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "vault_id": vault_id,
        "type": kind,
        "slot": slot_id,
        "kdf": kdf,
    }
    return json.dumps(bound, sort_keys=True, separators=(",", ":")).encode()


def _argon2_params(kdf: KdfParams) -> dict[str, Any]:
    return {
        "name": "argon2id",
        "t": kdf.time_cost,
        "m": kdf.memory_kib,
        "p": kdf.parallelism,
        "salt": _b64(secrets.token_bytes(16)),
    }


def _argon2(secret: bytes, params: dict[str, Any]) -> bytes:
    return hash_secret_raw(
        secret,
        _unb64(params["salt"]),
        time_cost=int(params["t"]),
        memory_cost=int(params["m"]),
        parallelism=int(params["p"]),
        hash_len=32,
        type=Type.ID,
    )


def _hkdf(secret: bytes, params: dict[str, Any]) -> bytes:
    return HKDF(SHA256(), 32, _unb64(params["salt"]), b"coffer slot kek v1").derive(secret)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
