"""TOML helpers for share policies: where each key sits in the source, and a canonical writer."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

_HEADER = re.compile(r"^\[(\[)?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"^((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*="
)
_PART = re.compile(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)")
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_TOML_ERROR_AT = re.compile(r"\s*\(at line (\d+), column \d+\)$")
_TOML_ERROR_END = re.compile(r"\s*\(at end of document\)$")


def _dotted(raw: str) -> str:
    """A dotted key with its quoting removed: '"columns"."ts"' -> 'columns.ts'."""
    return ".".join(next(g for g in m.groups() if g is not None) for m in _PART.finditer(raw))


class KeyLines:
    """The line of every table header and key of a TOML text (array tables counted per occurrence)."""

    def __init__(self, text: str) -> None:
        self.headers: dict[str, list[int]] = {}
        self.keys: dict[tuple[str, int], int] = {}
        self._scan(text.splitlines())

    def _scan(self, lines: list[str]) -> None:
        table, occurrence, in_string = "", 0, False
        for number, line in enumerate(lines, 1):
            stripped = line.strip()
            if (stripped.count('"""') + stripped.count("'''")) % 2 == 1:
                in_string = not in_string
                if not in_string:
                    continue
            elif in_string:
                continue
            header = _HEADER.match(stripped)
            if header:
                table = _dotted(header.group(2))
                self.headers.setdefault(table, []).append(number)
                occurrence = len(self.headers[table]) - 1
                continue
            key = _KEY.match(stripped)
            if key:
                full = f"{table}.{_dotted(key.group(1))}" if table else _dotted(key.group(1))
                self.keys.setdefault((full, occurrence), number)

    def line(self, path: str, occurrence: int = 0) -> int | None:
        """Line of a key or table (dotted path), or of the nearest enclosing table found."""
        while path:
            if (path, occurrence) in self.keys:
                return self.keys[(path, occurrence)]
            if path in self.headers and occurrence < len(self.headers[path]):
                return self.headers[path][occurrence]
            path = path.rpartition(".")[0]
            occurrence = 0
        return None


def toml_error_position(message: str, text: str) -> tuple[str, int | None]:
    """Split tomllib's message into its text and line number."""
    at = _TOML_ERROR_AT.search(message)
    if at:
        return message[: at.start()], int(at.group(1))
    end = _TOML_ERROR_END.search(message)
    if end:
        return message[: end.start()], max(1, len(text.splitlines()))
    return message, None


def key(name: str) -> str:
    """A TOML key, quoted when it is not bare."""
    return name if _BARE.match(name) else json.dumps(name, ensure_ascii=False)


def value(item: Any) -> str:
    """A TOML value for a string, bool, number or list of them."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float):
        return repr(item)
    if isinstance(item, str):
        return json.dumps(item, ensure_ascii=False)
    if isinstance(item, list | tuple):
        return "[" + ", ".join(value(v) for v in item) + "]"
    raise TypeError(f"cannot write {type(item).__name__} to TOML")


def assignments(pairs: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> list[str]:
    """`key = value` lines, skipping None values."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return [f"{key(k)} = {value(v)}" for k, v in items if v is not None]
