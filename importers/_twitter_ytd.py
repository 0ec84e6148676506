"""X archive `data/*.js` files: `window.YTD.<section>.partN = [...]`, read as streamed JSON."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from importers._social_common import stream_items
from vault.records import MalformedExport

_ASSIGN = re.compile(rb"window\.YTD\.([A-Za-z0-9_]+)\.part(\d+)\s*=\s*")
_COMMENT = re.compile(rb"(?:\s*//[^\n]*\n|\s*/\*.*?\*/)*\s*", re.S)
_MANIFEST = re.compile(rb"window\.__THAR_CONFIG\s*=")
_TAIL = b" \t\r\n;"
_CHUNK = 64 * 1024


def section_of(head: bytes) -> tuple[str, int] | None:
    """The YTD section name and where its JSON starts, after optional comment lines."""
    text = head.removeprefix(b"\xef\xbb\xbf")
    start = _COMMENT.match(text)
    offset = start.end() if start else 0
    found = _ASSIGN.match(text, offset)
    if found is None:
        return None
    skipped = len(head) - len(text)
    return found.group(1).decode("ascii"), found.end() + skipped


def is_manifest(head: bytes) -> bool:
    """Whether this is the archive's `manifest.js` (`window.__THAR_CONFIG = {...}`)."""
    text = head.removeprefix(b"\xef\xbb\xbf")
    start = _COMMENT.match(text)
    return _MANIFEST.match(text, start.end() if start else 0) is not None


class _Payload:
    """The JSON after `= `, with the trailing `;` and blanks held back so the parser sees clean JSON."""

    def __init__(self, raw: IO[bytes], skip: int) -> None:
        self._raw = raw
        self._pending = b""
        raw.read(skip)

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        while True:
            chunk = self._raw.read(_CHUNK)
            data = self._pending + chunk
            if not chunk:
                self._pending = b""
                return data.rstrip(_TAIL)
            cut = len(data.rstrip(_TAIL))
            self._pending = data[cut:]
            if cut:
                return data[:cut]


def items(handle: IO[bytes], name: str) -> Iterator[tuple[str, Any]]:
    """The section name and each element of the file's array, streamed."""
    head = handle.read(_CHUNK)
    found = section_of(head)
    if found is None:
        raise MalformedExport(f"{name}: no `window.YTD.<name>.partN =` assignment")
    section, start = found
    rest = _Rejoin(head, handle)
    for item in stream_items(_Payload(rest, start), "item", name):  # type: ignore[arg-type]
        yield section, item


class _Rejoin:
    """A reader giving back the bytes already read for the head, then the rest of the file."""

    def __init__(self, head: bytes, raw: IO[bytes]) -> None:
        self._head = head
        self._raw = raw

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        if self._head:
            if size < 0 or size >= len(self._head):
                data, self._head = self._head, b""
                return data + (self._raw.read(size - len(data)) if size > len(data) else b"")
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._raw.read(size)


def read_section(handle: IO[bytes] | None, name: str) -> list[Any]:
    """Every element of a small YTD file (a sibling such as `account.js`), or [] when absent or bad."""
    if handle is None:
        return []
    with handle:
        try:
            return [item for _, item in items(handle, name)]
        except MalformedExport:
            return []
