"""KML from Google Latitude / Location History / Maps Timeline: gx:Track fixes, placemarks with times."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring

from importers._location_common import iso_ms, number, valid_position
from importers._location_xml import checked_text, root_name
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

NAME = "kml"
PLATFORM = "kml"
VERSION = "1"


class _Bad(ValueError):
    """A placemark or fix that cannot be used; the message is the reason."""


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim an XML document whose root element is `kml`."""
    return Detection(10) if root_name(head) == "kml" else None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Every placemark: tracks as fixes, timed points as fixes or visits, timed lines as trips."""
    with source.open() as handle:
        root = fromstring(checked_text(handle.read(), source.name))
    skipped: Counter[str] = Counter()
    for number_, placemark in enumerate(_all(root, "Placemark")):
        yield from _placemark(placemark, f"Placemark[{number_}]", options.tz, skipped)
    for kind, count in sorted(skipped.items()):
        yield Unrecognized(f"{kind} ({count} not imported)")


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _all(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element.iter() if _local(child) == name)


def _first(element: Element, name: str) -> Element | None:
    return next(_all(element, name), None)


def _text(element: Element, name: str) -> str | None:
    found = _first(element, name)
    return found.text.strip() if found is not None and found.text else None


def _placemark(mark: Element, where: str, tz: tzinfo, skipped: Counter[str]) -> Iterator[Record]:
    tracks = list(_all(mark, "Track"))
    for t, track in enumerate(tracks):
        yield from _track(track, f"{where}.Track[{t}]", tz)
    if tracks:
        return
    try:
        begin, end = _times(mark, tz)
    except _Bad as bad:
        yield Invalid(str(bad), where)
        return
    if begin is None:
        skipped["Placemark without time"] += 1
        return
    try:
        if _first(mark, "Point") is not None:
            yield _point(mark, begin, end)
        elif _first(mark, "LineString") is not None and end is not None:
            yield _line(mark, begin, end)
        else:
            skipped["Placemark without point or track"] += 1
    except _Bad as bad:
        yield Invalid(str(bad), where)


def _track(track: Element, where: str, tz: tzinfo) -> Iterator[Record]:
    whens = [e.text or "" for e in track if _local(e) == "when"]
    coords = [e.text or "" for e in track if _local(e) == "coord"]
    if len(whens) != len(coords):
        yield Invalid("track has unequal numbers of times and coordinates", where)
    for number_, (when, coord) in enumerate(zip(whens, coords, strict=False)):
        try:
            lon, lat, alt = _coordinate(coord.split())
            ts = _when(when, tz)
        except _Bad as bad:
            yield Invalid(str(bad), f"{where}.when[{number_}]")
            continue
        yield Location(ts, lat, lon, altitude_m=alt, source="kml_track")


def _point(mark: Element, begin: int, end: int | None) -> Record:
    lon, lat, alt = _coordinate(_coordinates(mark)[0])
    if end is None:
        return Location(begin, lat, lon, altitude_m=alt, source="kml_point")
    return Visit(begin, end, lat, lon, place_name=_text(mark, "name"), address=_text(mark, "address"))


def _line(mark: Element, begin: int, end: int) -> Trip:
    points = [_coordinate(chunk.split(",")) for chunk in _coordinates_text(mark).split()]
    if not points:
        raise _Bad("missing coordinates")
    distance = _extended(mark, "Distance")
    mode = _extended(mark, "Category") or _text(mark, "name")
    return Trip(
        begin,
        end,
        points[0][1],
        points[0][0],
        points[-1][1],
        points[-1][0],
        distance_m=number(distance),
        mode=mode.lower() if mode else None,
    )


def _times(mark: Element, tz: tzinfo) -> tuple[int | None, int | None]:
    stamp = _first(mark, "TimeStamp")
    if stamp is not None:
        return _when(_text(stamp, "when") or "", tz), None
    span = _first(mark, "TimeSpan")
    if span is None:
        return None, None
    begin, end = _text(span, "begin"), _text(span, "end")
    if begin is None or end is None:
        raise _Bad("time span without begin or end")
    start_ms, end_ms = _when(begin, tz), _when(end, tz)
    if end_ms < start_ms:
        raise _Bad("ends before it starts")
    return start_ms, end_ms


def _when(text: str, tz: tzinfo) -> int:
    try:
        return iso_ms(text.strip(), tz)
    except ValueError:
        raise _Bad("unparseable timestamp") from None


def _coordinates_text(mark: Element) -> str:
    text = _text(mark, "coordinates")
    if text is None:
        raise _Bad("missing coordinates")
    return text


def _coordinates(mark: Element) -> list[list[str]]:
    return [chunk.split(",") for chunk in _coordinates_text(mark).split()]


def _coordinate(parts: list[str]) -> tuple[float, float, float | None]:
    """Longitude, latitude and altitude of a KML coordinate (longitude first)."""
    if len(parts) < 2:
        raise _Bad("unparseable coordinates")
    lon, lat = number(parts[0]), number(parts[1])
    if lon is None or lat is None:
        raise _Bad("unparseable coordinates")
    reason = valid_position(lat, lon)
    if reason is not None:
        raise _Bad(reason)
    return lon, lat, number(parts[2]) if len(parts) > 2 else None


def _extended(mark: Element, name: str) -> Any:
    for data in _all(mark, "Data"):
        if data.get("name") == name:
            return _text(data, "value")
    return None
