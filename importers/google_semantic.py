"""Google Takeout Semantic Location History (`2019_JANUARY.json`): place visits and trips."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from importers._location_common import (
    head_text,
    iso_ms,
    lat_e7,
    lon_e7,
    semantic_type,
    stream_items,
    valid_position,
)
from vault.records import (
    Detection,
    ImportOptions,
    Invalid,
    Location,
    Record,
    SourceFile,
    Trip,
    Unrecognized,
    Visit,
)

NAME = "google_semantic"
PLATFORM = "google"
VERSION = "1"

_START = re.compile(rb'^\{\s*"timelineObjects"\s*:')
_VISIT_KEYS = frozenset(
    {
        "location", "duration", "placeConfidence", "centerLatE7", "centerLngE7",
        "visitConfidence", "otherCandidateLocations", "editConfirmationStatus",
        "locationConfidence", "placeVisitType", "placeVisitImportance", "childVisits",
        "simplifiedRawPath", "lastEditedTimestamp", "sectionId", "checkin", "publicTransit",
    }
)  # fmt: skip
_TRIP_KEYS = frozenset(
    {
        "startLocation", "endLocation", "duration", "distance", "activityType", "confidence",
        "activities", "waypointPath", "simplifiedRawPath", "editConfirmationStatus",
        "parkingEvent", "transitPath", "roadSegment", "lastEditedTimestamp", "sectionId",
    }
)  # fmt: skip


class _Bad(ValueError):
    """A timeline object that cannot be used; the message is the reason."""


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a JSON object that starts with `timelineObjects`."""
    return Detection(10) if _START.match(head_text(head)) else None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Stream the timeline objects: visits (with child visits), trips and their paths."""
    seen: set[str] = set()
    with source.open() as handle:
        objects = stream_items(handle, "timelineObjects.item", source.name)
        for index, item in enumerate(objects):
            where = f"timelineObjects[{index}]"
            if not isinstance(item, dict):
                yield Invalid("timeline object is not an object", where)
                continue
            for kind, body in item.items():
                yield from _object(kind, body, where, options.tz, seen)


def _object(kind: str, body: Any, where: str, tz: tzinfo, seen: set[str]) -> Iterator[Record]:
    if kind == "placeVisit":
        yield from _unknown(body, _VISIT_KEYS, kind, seen)
        yield from _visit(body, None, f"{where}.placeVisit", tz)
    elif kind == "activitySegment":
        yield from _unknown(body, _TRIP_KEYS, kind, seen)
        yield from _segment(body, f"{where}.activitySegment", tz)
    elif kind not in seen:
        seen.add(kind)
        yield Unrecognized(f"timelineObjects[].{kind}")


def _unknown(body: Any, known: frozenset[str], kind: str, seen: set[str]) -> Iterator[Record]:
    if isinstance(body, dict):
        for key in body:
            name = f"{kind}.{key}"
            if key not in known and name not in seen:
                seen.add(name)
                yield Unrecognized(name)


def _visit(body: Any, parent: str | None, where: str, tz: tzinfo) -> Iterator[Record]:
    try:
        start, end = _duration(body, tz)
        place = body.get("location") or {}
        lat, lon = _position(place, body)
    except _Bad as bad:
        yield Invalid(str(bad), where)
        return
    place_id = place.get("placeId")
    yield Visit(
        start,
        end,
        lat,
        lon,
        place_name=place.get("name"),
        address=place.get("address"),
        place_id=place_id,
        semantic_type=semantic_type(place.get("semanticType")),
        confidence=_percent(place.get("locationConfidence", body.get("visitConfidence"))),
        parent_place_id=parent,
    )
    for number, child in enumerate(body.get("childVisits") or []):
        yield from _visit(child, place_id, f"{where}.childVisits[{number}]", tz)
    raw = body.get("simplifiedRawPath")
    if isinstance(raw, dict):
        yield from _raw_path(raw, f"{where}.simplifiedRawPath", tz)


def _segment(body: Any, where: str, tz: tzinfo) -> Iterator[Record]:
    try:
        start, end = _duration(body, tz)
        start_lat, start_lon = _e7_point(body.get("startLocation"), "latitudeE7", "longitudeE7")
        end_lat, end_lon = _e7_point(body.get("endLocation"), "latitudeE7", "longitudeE7")
    except _Bad as bad:
        yield Invalid(str(bad), where)
        return
    mode = body.get("activityType")
    yield Trip(
        start,
        end,
        start_lat,
        start_lon,
        end_lat,
        end_lon,
        distance_m=_number(body.get("distance")),
        mode=mode.lower() if isinstance(mode, str) else None,
        confidence=_activity_probability(body.get("activities"), mode),
    )
    waypoints = (body.get("waypointPath") or {}).get("waypoints") or []
    yield from _waypoints(waypoints, start, end, f"{where}.waypointPath")
    raw = body.get("simplifiedRawPath")
    if isinstance(raw, dict):
        yield from _raw_path(raw, f"{where}.simplifiedRawPath", tz)


def _waypoints(points: list[Any], start: int, end: int, where: str) -> Iterator[Record]:
    # Waypoints carry no times: they are spread evenly over the segment, first at its start.
    step = (end - start) / (len(points) - 1) if len(points) > 1 else 0
    for number, point in enumerate(points):
        try:
            lat, lon = _e7_point(point, "latE7", "lngE7")
        except _Bad as bad:
            yield Invalid(str(bad), f"{where}[{number}]")
            continue
        if lat is None or lon is None:
            yield Invalid("missing coordinates", f"{where}[{number}]")
            continue
        yield Location(start + round(step * number), lat, lon, source="waypoint")


def _raw_path(raw: dict[str, Any], where: str, tz: tzinfo) -> Iterator[Record]:
    for number, point in enumerate(raw.get("points") or []):
        try:
            lat, lon = _e7_point(point, "latE7", "lngE7")
            ts = _time(point, "timestamp", "timestampMs", tz)
        except _Bad as bad:
            yield Invalid(str(bad), f"{where}[{number}]")
            continue
        if lat is None or lon is None:
            yield Invalid("missing coordinates", f"{where}[{number}]")
            continue
        accuracy = _number(point.get("accuracyMeters"))
        yield Location(ts, lat, lon, accuracy_m=accuracy, source="raw_path")


def _duration(body: Any, tz: tzinfo) -> tuple[int, int]:
    if not isinstance(body, dict) or not isinstance(body.get("duration"), dict):
        raise _Bad("missing duration")
    duration = body["duration"]
    start = _time(duration, "startTimestamp", "startTimestampMs", tz)
    end = _time(duration, "endTimestamp", "endTimestampMs", tz)
    if end < start:
        raise _Bad("ends before it starts")
    return start, end


def _time(holder: Any, iso_key: str, ms_key: str, tz: tzinfo) -> int:
    if not isinstance(holder, dict):
        raise _Bad("missing timestamp")
    try:
        if isinstance(holder.get(iso_key), str):
            return iso_ms(holder[iso_key], tz)
        if holder.get(ms_key) is not None:
            return int(holder[ms_key])
    except (TypeError, ValueError):
        raise _Bad("unparseable timestamp") from None
    raise _Bad("missing timestamp")


def _position(place: dict[str, Any], body: dict[str, Any]) -> tuple[float | None, float | None]:
    lat, lon = _e7_point(place, "latitudeE7", "longitudeE7")
    if lat is None or lon is None:
        lat, lon = _e7_point(body, "centerLatE7", "centerLngE7")
    return lat, lon


def _e7_point(holder: Any, lat_key: str, lon_key: str) -> tuple[float | None, float | None]:
    if not isinstance(holder, dict) or holder.get(lat_key) is None or holder.get(lon_key) is None:
        return None, None
    try:
        lat, lon = lat_e7(holder[lat_key]), lon_e7(holder[lon_key])
    except (TypeError, ValueError):
        raise _Bad("coordinate is not a number") from None
    reason = valid_position(lat, lon)
    if reason is not None:
        raise _Bad(reason)
    return lat, lon


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _percent(value: Any) -> float | None:
    number = _number(value)
    return None if number is None else number / 100


def _activity_probability(activities: Any, mode: Any) -> float | None:
    if not isinstance(activities, list):
        return None
    for activity in activities:
        if isinstance(activity, dict) and activity.get("activityType") == mode:
            return _percent(activity.get("probability"))
    return None
