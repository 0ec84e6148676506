"""Helpers the social importers share: file names, times, streamed JSON, the owner's key."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

import ijson

from vault.records import MalformedExport

try:
    BACKEND: Any = ijson.get_backend("yajl2_c")
except ImportError:  # pragma: no cover - the C backend ships in ijson's wheels
    BACKEND = ijson

SELF_KEY = "self"
_PART = re.compile(r"^(?P<stem>.+?)(?:[_-]part\d+|[_-]\d+)?$")


def base_name(path: str) -> str:
    """The file name of an export member, lower-cased, without folders."""
    return posixpath.basename(path).lower()


def stem_without_part(path: str) -> str:
    """The file's stem without extension or split-part suffix (`tweets-part1.js` -> `tweets`)."""
    stem = base_name(path).rsplit(".", 1)[0]
    match = _PART.match(stem)
    return match.group("stem") if match else stem


def seconds_ms(value: Any) -> int | None:
    """Milliseconds from Unix seconds (int, float or digit string), None when absent or bad."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if seconds <= 0:
        return None
    return round(seconds * 1000)


def iso_ms(value: Any) -> int | None:
    """Milliseconds from an ISO 8601 time (naive means UTC), None when absent or bad."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def stream_items(handle: IO[bytes], prefix: str, name: str) -> Iterator[Any]:
    """Stream the JSON values under `prefix`, turning parse errors into MalformedExport."""
    try:
        yield from BACKEND.items(handle, prefix, use_float=True)
    except ijson.JSONError as error:
        raise MalformedExport(f"{name}: not valid JSON ({type(error).__name__})") from None


def text_of(value: Any) -> str | None:
    """A stripped non-empty string, else None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None
