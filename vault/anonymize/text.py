"""Free-text operators: redact identifiers, keep only the owner's messages, keep only lengths."""

from __future__ import annotations

from collections.abc import Collection

import pyarrow as pa
import pyarrow.compute as pc

from vault.anonymize.identifiers import KINDS, IdentifierFinder

LENGTH_UNITS: tuple[str, ...] = ("chars", "words")
REDACT_STYLES: tuple[str, ...] = ("tag", "remove")


def redact_text(
    text: str, finder: IdentifierFinder, kinds: Collection[str] = KINDS, style: str = "tag"
) -> str:
    """The text with each identifier replaced by its kind in brackets ('[PHONE]') or removed."""
    spans = [f for f in finder.find(text) if f.kind in kinds]
    if not spans:
        return text
    parts: list[str] = []
    cursor = 0
    for found in spans:
        parts.append(text[cursor : found.start])
        parts.append(f"[{found.kind.upper()}]" if style == "tag" else "")
        cursor = found.end
    parts.append(text[cursor:])
    return "".join(parts)


def redact(
    values: pa.Array, finder: IdentifierFinder, kinds: Collection[str] = KINDS, style: str = "tag"
) -> pa.Array:
    """Redact every text of a column."""
    wanted = frozenset(kinds)
    out = [None if v is None else redact_text(v, finder, wanted, style) for v in values.to_pylist()]
    return pa.array(out, pa.string())


def tag_value(value: str, finder: IdentifierFinder, label: str) -> str:
    """'<EMAIL>', '<PHONE>'... when the whole value is one identifier, else the label."""
    stripped = value.strip()
    found = finder.find(stripped)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
        return f"<{found[0].kind.upper()}>"
    return label


def tag(values: pa.Array, finder: IdentifierFinder, label: str = "<VALUE>") -> pa.Array:
    """Replace each identifier by the name of its kind: keeps presence and kind, nothing else."""
    encoded = pc.dictionary_encode(values.cast(pa.string()))
    tags = [tag_value(v, finder, label) for v in encoded.dictionary.to_pylist()]
    return pc.take(pa.array(tags, pa.string()), encoded.indices)


def owner_mask(senders: pa.Array, owner_ids: Collection[int]) -> pa.BooleanArray:
    """True for rows sent by the vault's owner (a missing sender is not the owner)."""
    owners = pa.array(sorted(owner_ids), pa.int64())
    mask = pc.is_in(senders.cast(pa.int64()), value_set=owners)
    return pc.fill_null(mask, False)


def length_only(values: pa.Array, unit: str = "chars") -> pa.Array:
    """Replace each text by its length in characters or words."""
    if unit == "words":
        return pc.count_substring_regex(pc.utf8_trim_whitespace(values), r"\S+").cast(pa.int32())
    return pc.utf8_length(values).cast(pa.int32())
