"""Timeline segments as the on-device Timeline writes them (Android Timeline.json, iOS export)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from importers._location_common import (
    degrees_pair,
    iso_ms,
    number,
    semantic_type,
    valid_position,
)
from vault.records import Invalid, Location, Record, Trip, Unrecognized, Visit

_SEGMENT_KEYS = frozenset(
    {
        "startTime", "endTime", "startTimeTimezoneUtcOffsetMinutes",
        "endTimeTimezoneUtcOffsetMinutes", "visit", "activity", "timelinePath", "timelineMemory",
    }
)  # fmt: skip


class BadRow(ValueError):
    """A row that cannot be used; the message is the reason (never a value)."""


def segment(item: Any, where: str, tz: tzinfo, seen: set[str]) -> Iterator[Record]:
    """The records of one semantic segment: a visit, a trip, or a path of timed points."""
    if not isinstance(item, dict):
        yield Invalid("segment is not an object", where)
        return
    for key in item:
        if key not in _SEGMENT_KEYS and key not in seen:
            seen.add(key)
            yield Unrecognized(f"segment.{key}")
    try:
        start = iso_ms(_text(item, "startTime"), tz)
        end = iso_ms(_text(item, "endTime"), tz)
    except (BadRow, ValueError):
        yield Invalid("missing or unparseable segment time", where)
        return
    if "visit" in item:
        yield from _guard(_visit, item["visit"], start, end, f"{where}.visit")
    if "activity" in item:
        yield from _guard(_trip, item["activity"], start, end, f"{where}.activity")
    if isinstance(item.get("timelinePath"), list):
        yield from _path(item["timelinePath"], start, f"{where}.timelinePath", tz)


def _guard(build: Any, body: Any, start: int, end: int, where: str) -> Iterator[Record]:
    try:
        yield build(body, start, end)
    except BadRow as bad:
        yield Invalid(str(bad), where)


def _visit(body: Any, start: int, end: int) -> Visit:
    if not isinstance(body, dict):
        raise BadRow("visit is not an object")
    top = body.get("topCandidate") or {}
    lat, lon = point(top.get("placeLocation"))
    place_id = top.get("placeId") or top.get("placeID")
    return Visit(
        start,
        end,
        lat,
        lon,
        place_id=place_id if isinstance(place_id, str) else None,
        semantic_type=semantic_type(top.get("semanticType")),
        confidence=number(top.get("probability")),
    )


def _trip(body: Any, start: int, end: int) -> Trip:
    if not isinstance(body, dict):
        raise BadRow("activity is not an object")
    start_lat, start_lon = point(body.get("start"))
    end_lat, end_lon = point(body.get("end"))
    top = body.get("topCandidate") or {}
    mode = top.get("type")
    return Trip(
        start,
        end,
        start_lat,
        start_lon,
        end_lat,
        end_lon,
        distance_m=number(body.get("distanceMeters")),
        mode=mode.lower() if isinstance(mode, str) else None,
        confidence=number(top.get("probability")),
    )


def _path(points: list[Any], start: int, where: str, tz: tzinfo) -> Iterator[Record]:
    for number_, item in enumerate(points):
        try:
            lat, lon = point(item.get("point") if isinstance(item, dict) else None)
            if lat is None or lon is None:
                raise BadRow("missing coordinates")
            ts = _path_time(item, start, tz)
        except BadRow as bad:
            yield Invalid(str(bad), f"{where}[{number_}]")
            continue
        yield Location(ts, lat, lon, source="timeline_path")


def _path_time(item: dict[str, Any], start: int, tz: tzinfo) -> int:
    if isinstance(item.get("time"), str):
        try:
            return iso_ms(item["time"], tz)
        except ValueError:
            raise BadRow("unparseable timestamp") from None
    minutes = number(item.get("durationMinutesOffsetFromStartTime"))
    if minutes is None:
        raise BadRow("missing timestamp")
    return start + round(minutes * 60_000)


def point(value: Any) -> tuple[float | None, float | None]:
    """A checked position from "48.1°, 11.5°", "geo:48.1,11.5" or {"latLng": ...}; None if absent."""
    if isinstance(value, dict):
        value = value.get("latLng") or value.get("LatLng")
    if value is None:
        return None, None
    if not isinstance(value, str):
        raise BadRow("unparseable coordinates")
    try:
        lat, lon = degrees_pair(value)
    except ValueError:
        raise BadRow("unparseable coordinates") from None
    reason = valid_position(lat, lon)
    if reason is not None:
        raise BadRow(reason)
    return lat, lon


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise BadRow(f"missing {key}")
    return value
