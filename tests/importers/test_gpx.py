"""GPX 1.0/1.1 through defusedxml and gpxpy: tracks, routes, waypoints, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers import gpx
from tests.importers._location_helpers import OWN, detect, kinds, of, records
from tests.importers._source import FIXTURES
from vault.records import Invalid, Location, MalformedExport, Unrecognized, Visit

GPX = FIXTURES / "gpx"


def test_gpslogger_gpx_1_0() -> None:
    got = records(gpx, GPX / "reitti__20250619.gpx")
    assert kinds(got) == {"Location": 1483}
    assert got[0] == Location(
        1750284000129, 53.8633348, 10.7011622, altitude_m=54.20000076293945, source="gpx_track"
    )


def test_reitti_export_with_accuracy_extension() -> None:
    got = records(gpx, GPX / "reitti__location_data_2026-07-26_to_2026-07-26.gpx")
    assert kinds(got) == {"Location": 2201}
    assert got[0] == Location(
        1785018322000, 53.8633639, 10.7011045, 14.777000427246094, 53.5, source="gpx_track"
    )


def test_generated_gpx_1_1() -> None:
    got = records(gpx, GPX / "reitti__track_2_2025-12-06_081704.gpx")
    assert kinds(got) == {"Location": 151}
    assert (got[0].ts_ms, got[0].lat, got[0].altitude_m) == (1764975604000, 52.48333299699007, 10.0)


def test_waypoints_routes_and_untimed_points() -> None:
    # Own fixture, written from the GPX 1.0 schema: the shared samples have no wpt or rte.
    got = records(gpx, OWN / "gpx10_waypoints_route.gpx")
    assert of(got, Location) == [
        Location(1685613900000, 47.3769, 8.5417, None, 408.0, 1.4, 45.0, "gpx_track"),
        Location(1685617200000, 47.3667, 8.55, source="gpx_route"),
    ]
    assert of(got, Visit) == [Visit(1685613600000, 1685613600000, 47.3769, 8.5417, "Zurich HB")]
    assert of(got, Invalid) == [Invalid("latitude out of range", "trk[0].trkseg[0].pt[1]")]
    assert of(got, Unrecognized) == [
        Unrecognized("rtept without time (1 not imported)"),
        Unrecognized("wpt without time (1 not imported)"),
    ]


def test_entity_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.gpx"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<gpx version="1.1"><wpt lat="1" lon="2"><name>&b;</name></wpt></gpx>'
    )
    with pytest.raises(MalformedExport, match="entities"):
        records(gpx, path)


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\xff\xfe", b"<gpx><trk><trkseg><trkpt lat="])
def test_bad_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "track.gpx"
    path.write_bytes(content)
    with pytest.raises(MalformedExport):
        records(gpx, path)


def test_detect_and_determinism() -> None:
    path = GPX / "reitti__track_2_2025-12-06_081704.gpx"
    assert detect(gpx, path).score == 10
    assert detect(gpx, FIXTURES / "kml" / "latitude2gpx__README_example_LocationHistory.kml") is None
    assert records(gpx, path) == records(gpx, path)
