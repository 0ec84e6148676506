"""Keyed pseudonyms: HMAC-SHA256 of a normalised identifier, scoped to one recipient."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

NORMALIZATIONS: tuple[str, ...] = ("auto", "phone", "email", "name", "none")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]{6,}$")
_DOMAIN = b"pseudonym\x00"


def normalize_name(value: str) -> str:
    """NFKC, case-folded, whitespace collapsed: 'Zoë  Ünal' and 'ZOË ÜNAL' are one name."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def normalize_email(value: str) -> str:
    """Trimmed and lower-cased."""
    return unicodedata.normalize("NFKC", value).strip().lower()


def normalize_phone(value: str, regions: Sequence[str] = ()) -> str:
    """E.164 when the number is valid (national numbers need a region), else its bare digits."""
    text = value.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    for region in [None] if text.startswith("+") else list(regions):
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"\D", "", text)
    return ("+" + digits) if text.startswith("+") else digits


def normalize(value: object, how: str = "auto", regions: Sequence[str] = ()) -> str:
    """The canonical form of an identifier, so one person's spellings share one pseudonym."""
    if not isinstance(value, str):
        return str(value)
    if how == "none":
        return value
    if how == "email" or (how == "auto" and _EMAIL.match(value.strip())):
        return normalize_email(value)
    digits = sum(c.isdigit() for c in value)
    if how == "phone" or (how == "auto" and digits >= 7 and _PHONE_LIKE.match(value.strip())):
        return normalize_phone(value, regions)
    return normalize_name(value)


def pseudonym(key: bytes, normalized: str, length: int = 16, prefix: str = "") -> str:
    """HMAC-SHA256 of the normalised value under the recipient's key, as `length` hex digits."""
    digest = hmac.new(key, _DOMAIN + normalized.encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:length]


def pseudonymize(
    values: pa.Array,
    key: bytes,
    *,
    how: str = "auto",
    length: int = 16,
    prefix: str = "",
    regions: Sequence[str] = (),
) -> pa.Array:
    """Replace every value by its keyed pseudonym, computing each distinct value once."""
    encoded = pc.dictionary_encode(values)
    distinct = encoded.dictionary.to_pylist()
    names = [pseudonym(key, normalize(v, how, regions), length, prefix) for v in distinct]
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    mask = np.asarray(encoded.indices.is_null())
    safe = np.where(mask, 0, indices).astype(np.int64)
    return pc.take(pa.array(names, pa.string()), pa.array(safe, mask=mask))
