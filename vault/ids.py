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


TIME_BITS = 33  # units of 1,024 ms, offset by 2**32: 1831 to 2109
TIME_OFFSET = 1 << 32
HASH_BITS = 30


# time_ordered in SQL, for schema migration 3: fill in the two column expressions.
TIME_ORDERED_SQL = "((((({ts}) >> 10) + 4294967296) & 8589934591) << 30) | (({hashed}) & 1073741823)"


def time_ordered(ts_ms: int, hashed: int) -> int:
    """A 63-bit id that sorts by time: the time in 1.024 s units, then 30 bits of `hashed`.

    Messages without a platform id get these, so a chat's rows are appended to the table in the
    order they were written instead of scattered over it. TIME_ORDERED_SQL is the same in SQL
    (tests/test_message_ids.py holds them equal).
    """
    return ((((ts_ms >> 10) + TIME_OFFSET) & ((1 << TIME_BITS) - 1)) << HASH_BITS) | (
        hashed & ((1 << HASH_BITS) - 1)
    )


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
