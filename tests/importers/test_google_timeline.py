"""On-device Timeline exports: Android Timeline.json, iOS location-history.json, Timeline Edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from importers import google_timeline, google_timeline_edits, google_timeline_ios
from tests.importers._location_helpers import GOOGLE, OWN, detect, kinds, of, records
from vault.records import Invalid, Location, MalformedExport, ProfileFact, Trip, Unrecognized, Visit

ANDROID = GOOGLE / "reitti__timeline_from_android_randomized.json"
# Own fixtures, written from the formats' public descriptions (PROVENANCE lists no real sample):
PROFILE = OWN / "Timeline_profile.json"
IOS = OWN / "location-history.json"
EDITS = GOOGLE / "potluck__Timeline_Edits.json"


def test_android_counts_and_values() -> None:
    got = records(google_timeline, ANDROID)
    assert kinds(got) == {"Location": 83, "Visit": 7, "Trip": 5}
    first_visit = of(got, Visit)[0]
    assert first_visit == Visit(
        1493691124000,  # 2017-05-02T12:12:04+10:00
        1493715132000,  # 18:52:12+10:00
        -27.413026,
        163.5643862,
        place_id="ChIJ7czCIfZYkWsRpWBJ8NUZOIs",
        confidence=0.2992241680622101,
    )
    first_trip = of(got, Trip)[0]
    assert (first_trip.mode, first_trip.distance_m, first_trip.confidence) == ("cycling", 8856.0, 0.0)
    assert (first_trip.start_lat, first_trip.end_lon) == (-27.413113, 163.6034986)
    points = of(got, Location)
    assert sum(1 for p in points if p.source == "timeline_path") == 80
    raw = [p for p in points if p.source != "timeline_path"]
    assert raw[0] == Location(
        1752870695000, -27.4129293, 163.5639147, 11.0, 46.70000076293945, 0.0, None, "wifi"
    )
    assert [p.source for p in raw] == ["wifi", "unknown", "gps"]


def test_android_profile_frequent_places_and_skips() -> None:
    got = records(google_timeline, PROFILE)
    assert kinds(got) == {
        "Visit": 1, "Invalid": 1, "Location": 1, "ProfileFact": 2, "Unrecognized": 1
    }  # fmt: skip
    assert of(got, Visit)[0].semantic_type == "work"
    assert of(got, Invalid) == [Invalid("missing or unparseable segment time", "semanticSegments[1]")]
    facts = of(got, ProfileFact)
    assert [json.loads(f.value)["label"] for f in facts] == ["home", "work"]
    assert json.loads(facts[0].value) == {
        "label": "home", "lat": 48.15, "lon": 11.58, "place_id": "ChIJ_home_example"
    }  # fmt: skip
    assert all(f.key == "frequent_place" and f.sensitivity == "high" for f in facts)
    assert of(got, Unrecognized) == [Unrecognized("userLocationProfile.persona")]
    (fix,) = of(got, Location)
    assert (fix.ts_ms, fix.velocity_mps, fix.source) == (1714539900000, 1.5, "gps")


def test_ios_location_history() -> None:
    got = records(google_timeline_ios, IOS)
    assert kinds(got) == {"Visit": 1, "Trip": 1, "Location": 2, "Invalid": 1}
    (visit,) = of(got, Visit)
    assert visit == Visit(
        1709276400000, 1709281800000, 52.520008, 13.404954,
        place_id="ChIJ_home_example", semantic_type="home", confidence=0.785,
    )  # fmt: skip
    (trip,) = of(got, Trip)
    assert (trip.mode, trip.distance_m, trip.confidence) == ("walking", 2100.5, 0.88)
    assert [p.ts_ms for p in of(got, Location)] == [1709281800000, 1709282700000]
    assert of(got, Invalid) == [Invalid("latitude out of range", "[2].timelinePath[2]")]


def test_timeline_edits() -> None:
    got = records(google_timeline_edits, EDITS)
    assert got == [
        Location(1705406400000, 40.7128, -74.006, accuracy_m=10.0, source="timeline_edit"),
        Location(1705419000000, 40.7589, -73.9851, accuracy_m=15.0, source="timeline_edit"),
    ]


def test_timeline_edits_real_shape_counts_what_it_leaves_out(tmp_path: Path) -> None:
    path = tmp_path / "Timeline Edits.json"
    path.write_text(json.dumps({"timelineEdits": [
        {"deviceId": "1", "rawSignal": {"signal": {"position": {
            "point": {"latE7": 100000000, "lngE7": 200000000}, "accuracyMm": 5000,
            "timestamp": "2024-01-01T00:00:00Z"}}}},
        {"deviceId": "1", "rawSignal": {"signal": {"wifiScan": {"devices": []}}}},
        {"deviceId": "1", "placeAggregates": {"placeAggregateInfo": []}},
        {"deviceId": "1", "placeAggregates": {"placeAggregateInfo": []}},
    ]}))  # fmt: skip
    got = records(google_timeline_edits, path)
    assert got == [
        Location(1704067200000, 10.0, 20.0, accuracy_m=5.0, source="timeline_edit"),
        Unrecognized("timelineEdits[].placeAggregates (2 not imported)"),
        Unrecognized("timelineEdits[].rawSignal.signal.wifiScan (1 not imported)"),
    ]


def test_detection_is_exclusive() -> None:
    modules = (google_timeline, google_timeline_ios, google_timeline_edits)
    for path, owner in (
        (ANDROID, google_timeline),
        (IOS, google_timeline_ios),
        (EDITS, google_timeline_edits),
    ):
        assert [m for m in modules if detect(m, path)] == [owner]
    assert detect(google_timeline, GOOGLE / "reitti__Records.json") is None


def test_deterministic() -> None:
    assert records(google_timeline, ANDROID) == records(google_timeline, ANDROID)
    assert records(google_timeline_ios, IOS) == records(google_timeline_ios, IOS)


@pytest.mark.parametrize("module", [google_timeline, google_timeline_ios, google_timeline_edits])
@pytest.mark.parametrize("content", [b"", b"\x00\x01binary\xff", b"truncate"])
def test_bad_input(tmp_path: Path, module: object, content: bytes) -> None:
    source = {google_timeline: ANDROID, google_timeline_ios: IOS, google_timeline_edits: EDITS}
    if content == b"truncate":
        data = source[module].read_bytes()  # type: ignore[index]
        content = data[: len(data) // 2]
    path = tmp_path / "export.json"
    path.write_bytes(content)
    with pytest.raises(MalformedExport):
        records(module, path)  # type: ignore[arg-type]
