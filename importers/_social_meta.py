"""Shared reading of Meta "Download your information" activity JSON (Instagram and Facebook)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from importers._social_common import SELF_KEY, base_name, seconds_ms, stem_without_part, stream_items, text_of
from importers._text import fix_mojibake_deep
from vault.records import Detection, Invalid, Person, Record, SourceFile

Handler = Callable[[Any, str], Iterator[Record]]
_FIRST_KEY = re.compile(rb'^\s*\{\s*"([^"]{1,80})"\s*:')
_LIST = re.compile(rb"^\s*\[")


def _text(head: bytes) -> bytes:
    return head.removeprefix(b"\xef\xbb\xbf")


def top_key(head: bytes) -> str | None:
    """The first key of a JSON object file, from its first bytes."""
    found = _FIRST_KEY.match(_text(head))
    return found.group(1).decode("utf-8", "replace") if found else None


def detect_in(
    source: SourceFile,
    head: bytes,
    keyed: dict[str, Handler],
    listed: dict[str, tuple[bytes, Handler]],
) -> tuple[str, Handler] | None:
    """The handler for this file: by its top-level key, or by file name and content for bare lists."""
    if not base_name(source.path).endswith(".json"):
        return None
    key = top_key(head)
    if key is not None:
        return (f"{key}.item", keyed[key]) if key in keyed else None
    if not _LIST.match(_text(head)):
        return None
    entry = listed.get(stem_without_part(source.path))
    if entry is None or (entry[0] not in head and not re.match(rb"^\s*\[\s*\]", _text(head))):
        return None
    return "item", entry[1]


def claim(found: tuple[str, Handler] | None) -> Detection | None:
    """The detection verdict for a found handler."""
    return None if found is None else Detection(20)


def run(source: SourceFile, found: tuple[str, Handler]) -> Iterator[Record]:
    """The owner, then the file's items, mojibake repaired, each through its handler."""
    prefix, handler = found
    yield Person(SELF_KEY, is_self=True)
    with source.open() as handle:
        for index, item in enumerate(stream_items(handle, prefix, source.name)):
            where = f"{prefix.removesuffix('.item') or 'item'}[{index}]"
            yield from handler(fix_mojibake_deep(item), where)


def string_list(item: Any) -> list[dict[str, Any]]:
    """The `string_list_data` entries of an item."""
    entries = item.get("string_list_data") if isinstance(item, dict) else None
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def string_map(item: Any) -> dict[str, dict[str, Any]]:
    """The `string_map_data` of an item, labels lower-cased."""
    data = item.get("string_map_data") if isinstance(item, dict) else None
    if not isinstance(data, dict):
        return {}
    return {label.lower(): value for label, value in data.items() if isinstance(value, dict)}


def map_value(data: dict[str, dict[str, Any]], *labels: str) -> str | None:
    """The first non-empty `value` (or `href`) under one of these labels."""
    for label in labels:
        entry = data.get(label)
        if entry is not None:
            found = text_of(entry.get("value")) or text_of(entry.get("href"))
            if found:
                return found
    return None


def map_time(data: dict[str, dict[str, Any]]) -> int | None:
    """The first timestamp found in a `string_map_data`."""
    for entry in data.values():
        ts = seconds_ms(entry.get("timestamp"))
        if ts is not None:
            return ts
    return None


def label_values(item: dict[str, Any]) -> dict[str, str]:
    """The 2024+ `label_values` of an item, flattened: label (lower case) -> value or link."""
    found: dict[str, str] = {}
    stack = [item.get("label_values")]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            label, value = text_of(node.get("label")), text_of(node.get("value")) or text_of(node.get("href"))
            if label is not None and value is not None:
                found.setdefault(label.lower(), value)
            stack.append(node.get("dict"))
    return found


def invalid(reason: str, where: str) -> Iterator[Record]:
    """One Invalid record (handlers use it to bail out of a generator)."""
    yield Invalid(reason, where)
