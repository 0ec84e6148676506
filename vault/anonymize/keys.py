"""Per-recipient keys for pseudonyms and random draws, derived from the vault's data key."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_PSEUDONYM_INFO = b"coffer/anonymize/pseudonym-key/v1"
_SEED_INFO = b"coffer/anonymize/seed/v1"
_KEY_LENGTH = 32


def _field(value: str) -> bytes:
    """Length-prefix a text field so that ("ab", "c") and ("a", "bc") never collide."""
    raw = value.encode("utf-8")
    return len(raw).to_bytes(4, "big") + raw


def _hkdf(data_key: bytes, info: bytes) -> bytes:
    """One HKDF-SHA256 expansion of the data key."""
    return HKDF(algorithm=hashes.SHA256(), length=_KEY_LENGTH, salt=None, info=info).derive(data_key)


def derive(data_key: bytes, recipient: str, policy_sha256: str) -> tuple[bytes, bytes]:
    """Return (pseudonym_key, seed): the key depends on data key and recipient, the seed also on the policy."""
    if len(data_key) < 16:
        raise ValueError("the data key is too short to derive anonymization keys from")
    pseudonym_key = _hkdf(data_key, _PSEUDONYM_INFO + _field(recipient))
    seed = _hkdf(data_key, _SEED_INFO + _field(recipient) + _field(policy_sha256))
    return pseudonym_key, seed
