"""vCard lexing: unfolded content lines, parameters, quoted-printable and escapes (2.1, 3.0, 4.0)."""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from typing import IO, NamedTuple

_ESCAPES = re.compile(r"\\(.)", re.S)
_UNESCAPED = {"n": "\n", "N": "\n"}
_SPLIT = re.compile(r"(?<!\\);")


class Property(NamedTuple):
    """One content line: name (upper case, group removed), parameters and the decoded value."""

    name: str
    params: dict[str, list[str]]
    value: str
    line: int


def _logical_lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """Lines with RFC folding and quoted-printable soft breaks joined, and their first line number."""
    current: bytes | None = None
    start = 0
    for number, raw in enumerate(handle, 1):
        line = raw.rstrip(b"\r\n")
        if current is not None and line[:1] in (b" ", b"\t"):
            current += line[1:]
            continue
        if (
            current is not None
            and current.endswith(b"=")
            and b"QUOTED-PRINTABLE" in current.split(b":", 1)[0].upper()
        ):
            current = current[:-1] + line
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def _params(parts: list[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep:  # vCard 2.1 bare type: TEL;CELL
            key, value = "TYPE", key
        values = (
            [v.strip('"').lower() for v in value.split(",")] if key.upper() == "TYPE" else [value.strip('"')]
        )
        params.setdefault(key.upper(), []).extend(values)
    return params


def _split_name(head: str) -> tuple[str, list[str]]:
    parts = [p for p in re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', head)]
    name = parts[0].rsplit(".", 1)[-1].upper()  # drop the item group (`item1.EMAIL`)
    return name, parts[1:]


def _decode(raw: bytes, params: dict[str, list[str]]) -> str:
    encoding = (params.get("ENCODING") or [""])[0].upper()
    charset = (params.get("CHARSET") or ["utf-8"])[0]
    if encoding in ("QUOTED-PRINTABLE", "QP"):
        raw = quopri.decodestring(raw)
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return raw.decode("cp1252", errors="replace")


def properties(handle: IO[bytes]) -> Iterator[Property]:
    """Every content line of a vCard file, decoded."""
    for number, line in _logical_lines(handle):
        if not line.strip():
            continue
        head, sep, raw = line.partition(b":")
        if not sep:
            yield Property("", {}, line.decode("utf-8", "replace"), number)
            continue
        name, parts = _split_name(head.decode("ascii", "replace"))
        params = _params(parts)
        yield Property(name, params, _decode(raw, params), number)


def unescape(text: str) -> str:
    """A text value without vCard backslash escapes (`\\,` `\\;` `\\n`)."""
    return _ESCAPES.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(1)), text)


def components(text: str) -> list[str]:
    """The `;`-separated parts of a structured value (N, ADR, ORG), unescaped."""
    return [unescape(part).strip() for part in _SPLIT.split(text)]
