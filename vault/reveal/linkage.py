"""Fingerprints of a slice, and whether it can be joined with earlier contributions.

Each kind of fingerprint is a bottom-k sketch: the k smallest truncated SHA-256 hashes of the
slice's exact timestamps, pseudonym or id values, and 5-word text shingles. Two slices that share
items share their smallest hashes too, so a match in the sketches proves an overlap (and its size
estimates how large). Hashes are unsalted so that contributions of the same vault can be compared;
they never leave the vault (they live in the contributions ledger).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from vault.reveal.inputs import LedgerEntry, texts, time_column, times_ms
from vault.reveal.report import Finding, Severity

SKETCH_SIZE = 4_096
HASH_HEX = 16
SHINGLE_WORDS = 5
ID_SUFFIXES = ("_id", "_key", "pseudonym")
ID_COLUMNS = frozenset({"sender", "author", "person", "handle"})
# Shared items that make a join reliable: 4 exact timestamps (as 4 points single out, A1),
# 1 pseudonym, 3 verbatim shingles.
LINK_THRESHOLDS = {"timestamps": 4, "pseudonyms": 1, "shingles": 3}
_WORD = re.compile(r"\w+")


def _hash(value: str) -> str:
    """A truncated SHA-256 hex digest."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:HASH_HEX]


def _sketch(values: Iterable[str]) -> list[str]:
    """The bottom-k sketch of a set of values."""
    return sorted({_hash(v) for v in values})[:SKETCH_SIZE]


def _id_columns(table: pa.Table) -> list[str]:
    """Columns that hold ids or pseudonyms of people and threads."""
    return [c for c in table.column_names if c != "id" and (c.endswith(ID_SUFFIXES) or c in ID_COLUMNS)]


def _shingles(values: Iterable[str | None]) -> Iterable[str]:
    """Overlapping 5-word shingles of every text, lower-cased."""
    for text in values:
        if not text:
            continue
        words = [w.lower() for w in _WORD.findall(text)]
        for i in range(len(words) - SHINGLE_WORDS + 1):
            yield " ".join(words[i : i + SHINGLE_WORDS])


def fingerprints(table: pa.Table) -> dict[str, list[str]]:
    """Sketches of the slice's timestamps, pseudonyms and text shingles."""
    tcol = time_column(table)
    stamps = (str(t) for t in times_ms(table, tcol).tolist()) if tcol else iter(())
    ids = (f"{c}\0{v}" for c in _id_columns(table) for v in texts(table, c) if v is not None)
    text_cols = [c for c in ("text", "title") if c in table.column_names]
    shingles = (s for c in text_cols for s in _shingles(texts(table, c)))
    return {"timestamps": _sketch(stamps), "pseudonyms": _sketch(ids), "shingles": _sketch(shingles)}


def overlap(fp: dict[str, list[str]], other: dict[str, list[str]]) -> dict[str, int]:
    """Items shared per kind between two sets of sketches."""
    return {kind: len(set(fp.get(kind, ())) & set(other.get(kind, ()))) for kind in LINK_THRESHOLDS}


def linkage_findings(
    fp: dict[str, list[str]], ledger: Iterable[LedgerEntry], recipient: str | None = None
) -> list[Finding]:
    """One finding per earlier contribution this slice can be joined with."""
    found = []
    for entry in ledger:
        shared = overlap(fp, entry.fingerprints)
        through = [k for k, n in shared.items() if n >= LINK_THRESHOLDS[k]]
        if not through:
            continue
        same = recipient is not None and entry.recipient == recipient
        found.append(_finding(entry, shared, through, same))
    return found


def _finding(entry: LedgerEntry, shared: dict[str, int], through: list[str], same: bool) -> Finding:
    """A linkage finding: joining with another recipient's slice is worse than with one's own."""
    measured: dict[str, Any] = {
        "contribution": entry.contribution_id,
        "same_recipient": same,
        "shared": shared,
        "joinable_through": through,
    }
    return Finding(
        f"linkage.contribution_{entry.contribution_id}",
        "linkability",
        Severity.MEDIUM if same else Severity.HIGH,
        f"Joinable with earlier contribution {entry.contribution_id}",
        measured,
        {},
        "A1",
        "time shift, pseudonymize (keyed per recipient), redact text",
    )


# Columns that hold the vault's own record ids. Those ids are the same in every slice, whoever
# receives it, and encode the record's time (message ids without a platform id, location fix
# ids): kept as stored they join contributions and undo a truncated or shifted time column.
RECORD_ID_COLUMNS = ("id", "reply_to", "parent_id", "target_id")


def record_id_finding(before: pa.Table, after: pa.Table) -> Finding | None:
    """The vault's record ids leaving unchanged."""
    import pyarrow.compute as pc

    kept: dict[str, int] = {}
    for name in RECORD_ID_COLUMNS:
        if name not in after.column_names or name not in before.column_names:
            continue
        values = after[name]
        if not pa.types.is_integer(values.type) or values.null_count == len(values):
            continue
        same = pc.sum(pc.is_in(values, value_set=before[name].combine_chunks())).as_py() or 0
        if same * 2 >= len(values) - values.null_count:
            kept[name] = int(same)
    if not kept:
        return None
    return Finding(
        "linkage.record_ids",
        "linkability",
        Severity.MEDIUM,
        "The vault's record ids leave as stored: the same in every recipient's slice, and they encode time",
        {"columns": sorted(kept), "rows": max(kept.values())},
        {},
        "A1",
        "pseudonymize the id columns (keyed per recipient) or leave them out",
    )
