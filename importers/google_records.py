"""Google Takeout `Records.json` (and the older `Location History.json`): raw position fixes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, tzinfo
from itertools import repeat
from operator import attrgetter, itemgetter, truediv
from typing import Any

from importers._location_common import head_text, iso_ms, valid_position
from importers._location_stream import location_batches
from vault.records import (
    Detection,
    ImportOptions,
    Invalid,
    Location,
    LocationBatch,
    Record,
    SourceFile,
    Unrecognized,
)

NAME = "google_records"
PLATFORM = "google"
VERSION = "2"

_KNOWN = frozenset(
    {
        "timestampMs", "timestamp", "latitudeE7", "longitudeE7", "accuracy", "altitude",
        "verticalAccuracy", "velocity", "heading", "source", "deviceTag", "deviceDesignation",
        "activity", "activitys", "platformType", "batteryCharging", "activeWifiScan",
        "locationMetadata", "formFactor", "osLevel", "serverTimestamp", "deviceTimestamp",
        "placeId", "inferredLocation", "sourceInfo",
    }
)  # fmt: skip
_START = re.compile(rb'^\{\s*"locations"\s*:\s*\[')
_EMPTY = re.compile(rb'^\{\s*"locations"\s*:\s*\[\s*\]')
_WRAP = 2**32
_LAT_MAX = 900_000_000
_LON_MAX = 1_800_000_000
_FAST_KEYS = _KNOWN - {"activitys"}
_OPTIONAL = ("accuracy", "altitude", "velocity", "heading", "source")
_new = tuple.__new__
_fromiso = datetime.fromisoformat
_pick = itemgetter
_tzinfo = attrgetter("tzinfo")


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a JSON object whose first key is a `locations` array of E7 fixes."""
    text = head_text(head)
    if not _START.match(text):
        return None
    if b'"latitudeE7"' in head or b'"timestampMs"' in head or _EMPTY.match(text):
        return Detection(10)
    return None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Stream every fix of the `locations` array."""
    seen: set[str] = set()
    done = 0
    with source.open() as handle:
        for batch in location_batches(handle, source.name):
            fast = _columns(batch)
            if fast is None:
                yield from _convert(batch, done, options.tz, seen)
            else:
                yield fast
            done += len(batch)


def _columns(points: list[Any]) -> LocationBatch | None:
    """A batch with nothing unusual in it, as columns built in C; else None."""
    # The hot path: millions of fixes. Any surprise (unknown key, missing or odd value, a time
    # without offset, a coordinate to unwrap) sends the whole batch to the careful loop.
    try:
        if set(map(type, points)) != {dict}:
            return None
        keys: set[str] = set().union(*points)
        if not keys <= _FAST_KEYS:
            return None
        lats = list(map(_pick("latitudeE7"), points))
        lons = list(map(_pick("longitudeE7"), points))
        if min(lats) < -_LAT_MAX or max(lats) > _LAT_MAX:
            return None
        if min(lons) < -_LON_MAX or max(lons) > _LON_MAX:
            return None
        times = _times(points, keys)
        devices = _devices(points, keys)
        activities = _activities(points, keys)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if times is None:
        return None
    accuracy, altitude, velocity, heading, source = (_column(points, keys, key) for key in _OPTIONAL)
    return LocationBatch(
        times,
        list(map(truediv, lats, repeat(1e7))),
        list(map(truediv, lons, repeat(1e7))),
        accuracy,
        altitude,
        velocity,
        heading,
        source,
        devices,
        activities,
    )


def _times(points: list[Any], keys: set[str]) -> list[int] | None:
    if "timestamp" not in keys:
        return list(map(int, map(_pick("timestampMs"), points)))
    moments = list(map(_fromiso, map(_pick("timestamp"), points)))
    if not all(map(_tzinfo, moments)):
        return None
    return [round(stamp * 1000) for stamp in map(datetime.timestamp, moments)]


def _column(points: list[Any], keys: set[str], key: str) -> list[Any] | None:
    return list(map(dict.get, points, repeat(key))) if key in keys else None


def _devices(points: list[Any], keys: set[str]) -> list[str | None] | None:
    if "deviceTag" not in keys:
        return None
    tags = list(map(dict.get, points, repeat("deviceTag")))
    names: dict[Any, str | None] = {tag: str(tag) for tag in set(tags)}
    names[None] = None
    return list(map(names.__getitem__, tags))


def _activities(points: list[Any], keys: set[str]) -> list[str | None] | None:
    if "activity" not in keys:
        return None
    return [None if a is None else _activity(a) for a in map(dict.get, points, repeat("activity"))]


def _convert(points: list[Any], offset: int, tz: tzinfo, seen: set[str]) -> Iterator[Record]:
    # The hot path (millions of fixes): tuples built directly, rare cases handled out of line.
    known = _KNOWN
    new = _new
    location = Location
    fromiso = _fromiso
    last_tag: Any = None
    device: str | None = None
    for index, point in enumerate(points, offset):
        try:
            get = point.get
            stamp = get("timestamp")
            if stamp is None:
                ts = int(point["timestampMs"])
            else:
                moment = fromiso(stamp)
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=tz)
                ts = round(moment.timestamp() * 1000)
            lat = point["latitudeE7"]
            lon = point["longitudeE7"]
            plain = -_LAT_MAX <= lat <= _LAT_MAX and -_LON_MAX <= lon <= _LON_MAX
        except (KeyError, TypeError, ValueError, AttributeError):
            yield Invalid(_reason(point, tz), f"locations[{index}]")
            continue
        if not plain:
            bad = _out_of_range(lat, lon)
            if bad is not None:
                yield Invalid(bad, f"locations[{index}]")
                continue
            lat, lon = _unwrap(lat, _LAT_MAX), _unwrap(lon, _LON_MAX)
        if not known.issuperset(point):
            yield from _unknown(point, seen)
        tag = get("deviceTag")
        if tag != last_tag:
            last_tag, device = tag, None if tag is None else str(tag)
        activity = get("activity") or get("activitys")
        yield new(
            location,
            (
                ts,
                lat / 1e7,
                lon / 1e7,
                get("accuracy"),
                get("altitude"),
                get("velocity"),
                get("heading"),
                get("source"),
                device,
                None if activity is None else _activity(activity),
            ),
        )


def _unwrap(value: Any, limit: int) -> int:
    number = int(value)
    return number - _WRAP if number > limit else number


def _out_of_range(lat: Any, lon: Any) -> str | None:
    return valid_position(_unwrap(lat, _LAT_MAX) / 1e7, _unwrap(lon, _LON_MAX) / 1e7)


def _reason(point: Any, tz: tzinfo) -> str:
    """Why a fix the fast path rejected cannot be used (worked out again, slowly)."""
    if not isinstance(point, dict):
        return "location is not an object"
    if "timestamp" not in point and "timestampMs" not in point:
        return "missing timestamp"
    try:
        stamp = point.get("timestamp")
        _ = iso_ms(stamp, tz) if stamp is not None else int(point["timestampMs"])
    except (TypeError, ValueError, AttributeError):
        return "unparseable timestamp"
    for key in ("latitudeE7", "longitudeE7"):
        if key not in point:
            return f"missing {key}"
        if not isinstance(point[key], int | float) or isinstance(point[key], bool):
            return f"{key} is not a number"
    return "unusable location"


def _unknown(point: dict[str, Any], seen: set[str]) -> Iterator[Record]:
    for key in point:
        if key not in _KNOWN and key not in seen:
            seen.add(key)
            yield Unrecognized(f"locations[].{key}")


def _activity(entries: Any) -> str | None:
    """The most likely activity type of the first activity entry."""
    if not isinstance(entries, list) or not entries or not isinstance(entries[0], dict):
        return None
    candidates = entries[0].get("activity") or entries[0].get("activities") or []
    best: tuple[float, str] | None = None
    for candidate in candidates:
        if isinstance(candidate, dict) and isinstance(candidate.get("type"), str):
            score = candidate.get("confidence")
            score = score if isinstance(score, int | float) else 0
            if best is None or score > best[0]:
                best = (score, candidate["type"])
    return None if best is None else best[1]
