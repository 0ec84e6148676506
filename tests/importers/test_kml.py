"""KML: Latitude gx:Track, and Maps Timeline style placemarks with times."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers import kml
from tests.importers._location_helpers import OWN, detect, kinds, of, records
from tests.importers._source import FIXTURES
from vault.records import Invalid, Location, MalformedExport, Trip, Unrecognized, Visit

LATITUDE = FIXTURES / "kml" / "latitude2gpx__README_example_LocationHistory.kml"


def test_latitude_gx_track() -> None:
    got = records(kml, LATITUDE)
    assert kinds(got) == {"Location": 4}
    assert got[0] == Location(1374015714272, 52.6527182, -1.121163, altitude_m=0.0, source="kml_track")
    assert got[-1].ts_ms == 1374015914345  # 2013-07-16T16:05:14.345-07:00


def test_placemarks_with_times() -> None:
    # Own fixture, written from the KML 2.2 reference: the shared sample has only a gx:Track.
    got = records(kml, OWN / "placemarks.kml")
    assert of(got, Visit) == [
        Visit(1554192000000, 1554196500000, 52.52, 13.4049, "Cafe Example", "1 Example Street, Berlin")
    ]
    assert of(got, Trip) == [
        Trip(1554196500000, 1554198000000, 52.52, 13.4049, 52.5, 13.3, 5120.0, "driving")
    ]
    assert of(got, Location) == [Location(1554199200000, 52.5, 13.3, source="kml_point")]
    assert of(got, Invalid) == [Invalid("longitude out of range", "Placemark[4]")]
    assert of(got, Unrecognized) == [Unrecognized("Placemark without time (1 not imported)")]


def test_entity_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.kml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x "y">]><kml>&x;</kml>')
    with pytest.raises(MalformedExport):
        records(kml, path)


@pytest.mark.parametrize("content", [b"", b"\x00\xff\xfe", b"<kml><Document><Placemark>"])
def test_bad_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "history.kml"
    path.write_bytes(content)
    with pytest.raises(MalformedExport):
        records(kml, path)


def test_detect_and_determinism() -> None:
    assert detect(kml, LATITUDE).score == 10
    assert detect(kml, FIXTURES / "gpx" / "reitti__20250619.gpx") is None
    assert records(kml, LATITUDE) == records(kml, LATITUDE)
