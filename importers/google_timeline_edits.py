"""Google Takeout `Timeline/Timeline Edits.json`: the raw positions behind the user's timeline edits.

The file mixes position fixes with Wi-Fi scans, activity guesses, place aggregates and edited
segments that repeat what Timeline.json holds; only the fixes are imported, the other entries
are counted and reported as not imported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from importers._location_common import head_text, iso_ms, lat_e7, lon_e7, stream_items, valid_position
from vault.records import Detection, ImportOptions, Invalid, Location, Record, SourceFile, Unrecognized

NAME = "google_timeline_edits"
PLATFORM = "google"
VERSION = "1"

_START = re.compile(rb'^\{\s*"timelineEdits"\s*:')


class _Bad(ValueError):
    """A fix that cannot be used; the message is the reason."""


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a JSON object that starts with `timelineEdits`."""
    return Detection(10) if _START.match(head_text(head)) else None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Each raw position fix; a count of each kind of entry left out."""
    skipped: Counter[str] = Counter()
    with source.open() as handle:
        edits = stream_items(handle, "timelineEdits.item", source.name)
        for index, edit in enumerate(edits):
            yield from _edit(edit, f"timelineEdits[{index}]", options.tz, skipped)
    for name, count in sorted(skipped.items()):
        yield Unrecognized(f"{name} ({count} not imported)")


def _edit(edit: Any, where: str, tz: tzinfo, skipped: Counter[str]) -> Iterator[Record]:
    if not isinstance(edit, dict):
        yield Invalid("edit is not an object", where)
        return
    for key, body in edit.items():
        if key == "deviceId":
            continue
        signal = body.get("signal") if key == "rawSignal" and isinstance(body, dict) else None
        if not isinstance(signal, dict):
            skipped[f"timelineEdits[].{key}"] += 1
            continue
        for kind, value in signal.items():
            if kind != "position":
                skipped[f"timelineEdits[].rawSignal.signal.{kind}"] += 1
                continue
            try:
                yield _position(value, tz)
            except _Bad as bad:
                yield Invalid(str(bad), f"{where}.rawSignal.signal.position")


def _position(body: Any, tz: tzinfo) -> Location:
    if not isinstance(body, dict):
        raise _Bad("position is not an object")
    inner = body.get("point")
    holder: dict[str, Any] = inner if isinstance(inner, dict) else body
    if holder.get("latE7") is None or holder.get("lngE7") is None:
        raise _Bad("missing coordinates")
    try:
        lat, lon = lat_e7(holder["latE7"]), lon_e7(holder["lngE7"])
    except (TypeError, ValueError):
        raise _Bad("coordinate is not a number") from None
    reason = valid_position(lat, lon)
    if reason is not None:
        raise _Bad(reason)
    stamp = body.get("timestamp")
    if not isinstance(stamp, str):
        raise _Bad("missing timestamp")
    try:
        ts = iso_ms(stamp, tz)
    except ValueError:
        raise _Bad("unparseable timestamp") from None
    accuracy = body.get("accuracyMm")
    accuracy_m = accuracy / 1000 if isinstance(accuracy, int | float) else None
    altitude = body.get("altitudeMeters")
    return Location(
        ts,
        lat,
        lon,
        accuracy_m=accuracy_m,
        altitude_m=altitude if isinstance(altitude, int | float) else None,
        source="timeline_edit",
    )
