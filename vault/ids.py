"""Deterministic record ids: 63-bit integers from a record's identity."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Hashable


def stable_id(*parts: object) -> int:
    """A positive 63-bit id from the parts' text (same parts, same id, on every machine)."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


class OccurrenceIds:
    """Ids for records without a platform id: their fields plus how often that exact record
    occurred before in the same file, so two identical "ok" sent in one minute stay two."""

    def __init__(self, platform: str, table: str) -> None:
        self.platform = platform
        self.table = table
        self.seen: Counter[Hashable] = Counter()

    def next_id(self, identity: tuple[object, ...]) -> int:
        occurrence = self.seen[identity]
        self.seen[identity] = occurrence + 1
        return stable_id(self.platform, self.table, *identity, occurrence)
