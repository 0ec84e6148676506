"""Helpers the location importers share: E7 coordinates, ISO times, streaming JSON, range checks."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any, Protocol

import ijson

from vault.records import MalformedExport

try:
    BACKEND: Any = ijson.get_backend("yajl2_c")
except ImportError:  # pragma: no cover - the C backend ships in ijson's wheels
    BACKEND = ijson

_WRAP = 2**32
_DEGREES = re.compile(r"^\s*(?:geo:)?\s*(-?[\d.]+)\s*°?\s*,\s*(-?[\d.]+)\s*°?\s*$")
_fromiso = datetime.fromisoformat


def e7(value: Any, limit: int) -> float:
    """Degrees from an E7 integer, undoing Google's known 32-bit overflow above `limit`."""
    number = int(value)
    if number > limit:
        number -= _WRAP
    return number / 1e7


def lat_e7(value: Any) -> float:
    """A latitude from `latitudeE7`/`latE7`."""
    return e7(value, 900_000_000)


def lon_e7(value: Any) -> float:
    """A longitude from `longitudeE7`/`lngE7`."""
    return e7(value, 1_800_000_000)


def valid_position(lat: float, lon: float) -> str | None:
    """Why a position is impossible, or None."""
    if not -90.0 <= lat <= 90.0:
        return "latitude out of range"
    if not -180.0 <= lon <= 180.0:
        return "longitude out of range"
    return None


def iso_ms(text: str, tz: tzinfo) -> int:
    """Milliseconds since the epoch for an ISO 8601 time; `tz` when it carries no offset."""
    moment = _fromiso(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return round(moment.timestamp() * 1000)


def iso_offset_min(text: str) -> int | None:
    """The UTC offset an ISO 8601 time carries, in minutes, or None."""
    offset = _fromiso(text).utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)


def degrees_pair(text: str) -> tuple[float, float]:
    """Latitude and longitude from "48.12°, 11.5°" or "geo:48.12,11.5"."""
    match = _DEGREES.match(text)
    if match is None:
        raise ValueError("unparseable coordinates")
    return float(match.group(1)), float(match.group(2))


class Readable(Protocol):
    """Anything with a binary `read`, as ijson needs."""

    def read(self, size: int = -1, /) -> bytes: ...


def stream_items(handle: Readable, prefix: str, what: str) -> Iterator[Any]:
    """Stream the JSON values at `prefix`; a truncated or broken file raises MalformedExport."""
    try:
        yield from BACKEND.items(handle, prefix, use_float=True)
    except ijson.IncompleteJSONError as exc:
        # yajl's message quotes the file's text; keep row values out of the error.
        kind = "truncated" if "premature EOF" in str(exc) else "not valid JSON"
        raise MalformedExport(f"{what} is {kind}") from None
    except ijson.JSONError:
        raise MalformedExport(f"{what} is not valid JSON") from None
    except UnicodeDecodeError:
        raise MalformedExport(f"{what} is not UTF-8 text") from None


def head_text(head: bytes, limit: int = 4096) -> bytes:
    """The start of a file without a UTF-8 BOM or leading blanks, for cheap format checks."""
    return head[:limit].removeprefix(b"\xef\xbb\xbf").lstrip()


def semantic_type(value: Any) -> str | None:
    """Google's place type in one vocabulary: "TYPE_HOME", "INFERRED_HOME", "Home" -> "home"."""
    if not isinstance(value, str):
        return None
    name = value.strip().upper().removeprefix("TYPE_").removeprefix("INFERRED_")
    return None if name in ("", "UNKNOWN") else name.lower()


def number(value: Any) -> float | None:
    """A float from a JSON number or a numeric string (iOS writes numbers as strings), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            parsed = float(value)
        except ValueError:
            return None
        return parsed if math.isfinite(parsed) else None
    return None
