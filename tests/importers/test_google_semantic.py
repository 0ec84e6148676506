"""Google Semantic Location History: visits, trips, waypoints and raw paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers import google_semantic
from tests.importers._location_helpers import GOOGLE, detect, kinds, of, records
from vault.records import Invalid, Location, MalformedExport, Trip, Visit

PLACE = GOOGLE / "google_takeout_parser__SemanticLocationHistory_placeVisit.json"
BOTH = GOOGLE / "google_takeout_parser__SemanticLocationHistory_2024_placeVisit_activitySegment.json"


def test_place_visit() -> None:
    got = records(google_semantic, PLACE)
    assert got == [
        Visit(
            1512948565026,
            1512955206106,
            55.5555555,
            -106.6666666,
            place_name="name",
            address="address",
            place_id="JK4E4P",
            confidence=0.6045,
        )
    ]


def test_visit_and_activity_segment() -> None:
    got = records(google_semantic, BOTH)
    assert kinds(got) == {"Visit": 1, "Trip": 1, "Location": 4}
    (trip,) = of(got, Trip)
    assert trip == Trip(
        1512955206106,
        1512956406106,
        55.5555555,
        -106.6666666,
        55.5555567,
        -106.6666678,
        distance_m=13071.0,
        mode="in_passenger_vehicle",
        confidence=0.85514968640442,
    )
    points = of(got, Location)
    assert [p.source for p in points] == ["waypoint"] * 3 + ["raw_path"]
    assert [p.ts_ms for p in points[:3]] == [1512955206106, 1512955806106, 1512956406106]
    assert (points[0].lat, points[0].lon) == (12.3456789, 121.0)
    assert points[3] == Location(1512956104000, 12.3456489, 121.000024, accuracy_m=10.0, source="raw_path")


def test_child_visits_invalid_and_unknown(tmp_path: Path) -> None:
    path = tmp_path / "2019_JANUARY.json"
    path.write_text(
        '{"timelineObjects": [{"placeVisit": {"location": {"latitudeE7": 480000000,'
        ' "longitudeE7": 110000000, "placeId": "P1", "semanticType": "TYPE_HOME"},'
        ' "duration": {"startTimestampMs": "1000", "endTimestampMs": "5000"},'
        ' "childVisits": [{"location": {"latitudeE7": 480000001, "longitudeE7": 110000001,'
        ' "placeId": "C1"}, "duration": {"startTimestampMs": "2000", "endTimestampMs": "3000"}}],'
        ' "brandNewField": 1}},'
        ' {"placeVisit": {"location": {"latitudeE7": 910000000, "longitudeE7": 1},'
        ' "duration": {"startTimestampMs": "1", "endTimestampMs": "2"}}},'
        ' {"activitySegment": {"duration": {}}}, {"somethingElse": {}}]}'
    )
    got = records(google_semantic, path)
    visits = of(got, Visit)
    assert [(v.place_id, v.parent_place_id, v.semantic_type) for v in visits] == [
        ("P1", None, "home"),
        ("C1", "P1", None),
    ]
    assert of(got, Invalid) == [
        Invalid("latitude out of range", "timelineObjects[1].placeVisit"),
        Invalid("missing timestamp", "timelineObjects[2].activitySegment"),
    ]
    names = {r.name for r in got if type(r).__name__ == "Unrecognized"}
    assert names == {"placeVisit.brandNewField", "timelineObjects[].somethingElse"}


def test_deterministic_and_detect() -> None:
    assert records(google_semantic, BOTH) == records(google_semantic, BOTH)
    assert detect(google_semantic, BOTH).score == 10
    assert detect(google_semantic, GOOGLE / "reitti__Records.json") is None


@pytest.mark.parametrize("content", [b"", b"\xff\xfe garbage", None])
def test_bad_input(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "2017_DECEMBER.json"
    path.write_bytes(content if content is not None else BOTH.read_bytes()[:-40])
    with pytest.raises(MalformedExport):
        records(google_semantic, path)
