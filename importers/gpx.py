"""GPX 1.0 and 1.1 files (GPS loggers, sports apps, Reitti): tracks, routes and waypoints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from typing import Any

import gpxpy
import gpxpy.gpx

from importers._location_common import valid_position
from importers._location_xml import checked_text, root_name
from vault.records import (
    Detection,
    ImportOptions,
    Invalid,
    Location,
    MalformedExport,
    Record,
    SourceFile,
    Unrecognized,
    Visit,
)

NAME = "gpx"
PLATFORM = "gpx"
VERSION = "1"


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim an XML document whose root element is `gpx`."""
    return Detection(10) if root_name(head) == "gpx" else None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Track points, then route points, then waypoints (as visits of no duration)."""
    with source.open() as handle:
        text = checked_text(handle.read(), source.name)
    try:
        document = gpxpy.parse(text)
    except (gpxpy.gpx.GPXException, ValueError, TypeError):
        raise MalformedExport(f"{source.name} is not a valid GPX file") from None
    untimed: Counter[str] = Counter()
    tz = options.tz
    for t, track in enumerate(document.tracks):
        for s, segment in enumerate(track.segments):
            where = f"trk[{t}].trkseg[{s}]"
            yield from _points(segment.points, where, "gpx_track", tz, untimed)
    for r, route in enumerate(document.routes):
        yield from _points(route.points, f"rte[{r}]", "gpx_route", tz, untimed)
    yield from _waypoints(document.waypoints, tz, untimed)
    for kind, count in sorted(untimed.items()):
        yield Unrecognized(f"{kind} without time ({count} not imported)")


def _points(
    points: Iterable[Any], where: str, source: str, tz: tzinfo, untimed: Counter[str]
) -> Iterator[Record]:
    for number, point in enumerate(points):
        reason = valid_position(point.latitude, point.longitude)
        if reason is not None:
            yield Invalid(reason, f"{where}.pt[{number}]")
        elif point.time is None:
            untimed["rtept" if source == "gpx_route" else "trkpt"] += 1
        else:
            yield Location(
                _ms(point.time, tz),
                point.latitude,
                point.longitude,
                accuracy_m=_accuracy(point),
                altitude_m=point.elevation,
                velocity_mps=getattr(point, "speed", None),
                heading_deg=getattr(point, "course", None),
                source=source,
            )


def _waypoints(points: Iterable[Any], tz: tzinfo, untimed: Counter[str]) -> Iterator[Record]:
    for number, point in enumerate(points):
        reason = valid_position(point.latitude, point.longitude)
        if reason is not None:
            yield Invalid(reason, f"wpt[{number}]")
        elif point.time is None:
            untimed["wpt"] += 1
        else:
            ts = _ms(point.time, tz)
            yield Visit(ts, ts, point.latitude, point.longitude, place_name=point.name)


def _ms(moment: datetime, tz: tzinfo) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return round(moment.timestamp() * 1000)


def _accuracy(point: Any) -> float | None:
    """Horizontal accuracy in metres from an `<accuracy>` extension (Reitti, GPSLogger)."""
    for element in point.extensions:
        if element.tag.rsplit("}", 1)[-1] == "accuracy" and element.text:
            try:
                return float(element.text)
            except ValueError:
                return None
    return None
