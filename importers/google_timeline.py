"""Google Maps on-device Timeline export from Android (`Timeline.json`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from importers._location_common import head_text, iso_ms, number, stream_items
from importers._location_segments import BadRow, point, segment
from vault.records import (
    Detection,
    ImportOptions,
    Invalid,
    Location,
    ProfileFact,
    Record,
    SourceFile,
    Unrecognized,
)

NAME = "google_timeline"
PLATFORM = "google"
VERSION = "1"

_START = re.compile(rb'^\{\s*"(?:semanticSegments|rawSignals|userLocationProfile)"\s*:')
_SIGNALS = frozenset({"position", "wifiScan", "activityRecord"})


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a JSON object that starts with one of Timeline.json's sections."""
    return Detection(10) if _START.match(head_text(head)) else None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Segments, then raw position signals, then the frequent places of the user's profile."""
    seen: set[str] = set()
    with source.open() as handle:
        items = stream_items(handle, "semanticSegments.item", source.name)
        for index, item in enumerate(items):
            yield from segment(item, f"semanticSegments[{index}]", options.tz, seen)
    with source.open() as handle:
        items = stream_items(handle, "rawSignals.item", source.name)
        for index, item in enumerate(items):
            yield from _signal(item, f"rawSignals[{index}]", options.tz, seen)
    with source.open() as handle:
        for profile in stream_items(handle, "userLocationProfile", source.name):
            yield from _profile(profile)


def _signal(item: Any, where: str, tz: tzinfo, seen: set[str]) -> Iterator[Record]:
    # Wi-Fi scans and activity records hold no position: deliberately not imported.
    if not isinstance(item, dict):
        yield Invalid("raw signal is not an object", where)
        return
    for key in item:
        if key not in _SIGNALS and f"rawSignals.{key}" not in seen:
            seen.add(f"rawSignals.{key}")
            yield Unrecognized(f"rawSignals.{key}")
    if "position" in item:
        try:
            yield _position(item["position"], tz)
        except BadRow as bad:
            yield Invalid(str(bad), f"{where}.position")


def _position(body: Any, tz: tzinfo) -> Location:
    if not isinstance(body, dict):
        raise BadRow("position is not an object")
    lat, lon = point(body.get("LatLng") or body.get("latLng"))
    if lat is None or lon is None:
        raise BadRow("missing coordinates")
    stamp = body.get("timestamp")
    if not isinstance(stamp, str):
        raise BadRow("missing timestamp")
    try:
        ts = iso_ms(stamp, tz)
    except ValueError:
        raise BadRow("unparseable timestamp") from None
    source = body.get("source")
    return Location(
        ts,
        lat,
        lon,
        accuracy_m=number(body.get("accuracyMeters")),
        altitude_m=number(body.get("altitudeMeters")),
        velocity_mps=number(body.get("speedMetersPerSecond")),
        source=source.lower() if isinstance(source, str) else None,
    )


def _profile(profile: Any) -> Iterator[Record]:
    if not isinstance(profile, dict):
        return
    for place in profile.get("frequentPlaces") or []:
        if not isinstance(place, dict) or not isinstance(place.get("label"), str):
            continue
        value: dict[str, Any] = {"label": place["label"].lower()}
        if isinstance(place.get("placeId"), str):
            value["place_id"] = place["placeId"]
        try:
            lat, lon = point(place.get("placeLocation"))
        except BadRow:
            lat = lon = None
        if lat is not None and lon is not None:
            value.update(lat=lat, lon=lon)
        yield ProfileFact("frequent_place", json.dumps(value, sort_keys=True), sensitivity="high")
    for key in profile:
        if key != "frequentPlaces":
            yield Unrecognized(f"userLocationProfile.{key}")
