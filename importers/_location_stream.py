"""Read the `locations` array of a huge Records.json in batches, fast, without holding the file.

Google writes Records.json pretty-printed with two-space indentation, so every element of the
`locations` array ends with a line "  }". The fast path cuts the stream at the last such line of
each block and decodes the block's elements in one call of a C JSON decoder. The cut is only a
guess: a block that does not decode as a list of whole values (another layout, a string that
happens to hold the marker, a damaged file) hands the rest of the file, from the first element
not yet yielded, to ijson, which streams it and judges it exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import IO, Any

from importers._location_common import stream_items
from vault.records import MalformedExport

_loads: Callable[[bytes], Any]
try:
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - the standard decoder is slower but equivalent
    _loads = json.loads

BLOCK_BYTES = 1 << 20
BATCH = 2048
_ARRAY_START = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{\s*"locations"\s*:\s*\[')
_END_OF_ELEMENT = b"\n  }"
_MAX_UNCUT = 8 * BLOCK_BYTES


def location_batches(handle: IO[bytes], what: str) -> Iterator[list[Any]]:
    """The elements of the top-level `locations` array, in order, a list at a time."""
    buf = handle.read(BLOCK_BYTES)
    start = _ARRAY_START.match(buf)
    if start is None:
        yield from _batched(stream_items(_Prefixed(buf, handle), "locations.item", what))
        return
    buf = buf[start.end() :]
    eof = False
    while True:
        buf = _after_element(buf)
        cut = buf.rfind(_END_OF_ELEMENT)
        if cut < 0:
            if eof or len(buf) > _MAX_UNCUT:
                break
            more = handle.read(BLOCK_BYTES)
            eof = not more
            buf += more
            continue
        end = cut + len(_END_OF_ELEMENT)
        points = _decode(buf[:end])
        if points is None:
            break
        yield points
        buf = buf[end:]
        if not eof:
            more = handle.read(BLOCK_BYTES)
            eof = not more
            buf += more
    document = _Prefixed(b'{"locations":[' + _after_element(buf), handle)
    yield from _batched(stream_items(document, "locations.item", what))


def _decode(body: bytes) -> list[Any] | None:
    try:
        points = _loads(b"[" + body + b"]")
    except ValueError:
        return None
    return points if isinstance(points, list) else None


def _after_element(rest: bytes) -> bytes:
    rest = rest.lstrip()
    return rest[1:] if rest.startswith(b",") else rest


def _batched(items: Iterator[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) >= BATCH:
                yield batch
                batch = []
    except MalformedExport:
        if batch:  # what was read before the damage, then the error
            yield batch
        raise
    if batch:
        yield batch


class _Prefixed:
    """A readable stream: some bytes already read, then the rest of a file."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self._prefix = prefix
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if not self._prefix:
            return self._rest.read(size)
        if size < 0:
            out, self._prefix = self._prefix + self._rest.read(), b""
            return out
        out, self._prefix = self._prefix[:size], self._prefix[size:]
        return out
