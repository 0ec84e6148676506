"""Google Takeout Records.json: shared fixtures, edge cases, the fast path and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from importers import google_records
from importers._location_stream import location_batches
from tests.importers._location_helpers import GOOGLE, OWN, detect, kinds, of, records
from tests.importers._source import source_for
from vault.records import ImportOptions, Invalid, Location, MalformedExport, Unrecognized


def test_old_timestamp_ms_point() -> None:
    got = records(google_records, GOOGLE / "google_takeout_parser__Records_timestampMs_old.json")
    assert got == [Location(1512947698030, 35.1324213, -112.2434441, accuracy_m=10)]


def test_iso_timestamp_and_negative_device_tag() -> None:
    path = GOOGLE / "google_takeout_parser__Records_isotimestamp_deviceTag.json"
    (point,) = records(google_records, path)
    assert point.ts_ms == 1512947698030  # 2017-12-10T23:14:58.030Z
    assert point.device == "-8024144696862913506"
    assert (point.lat, point.lon, point.accuracy_m) == (35.1324213, -112.2434441, 10)


def test_2024_activity_and_source() -> None:
    path = GOOGLE / "google_takeout_parser__Records_2024_activity_source.json"
    (point,) = records(google_records, path)
    assert point.ts_ms == 1405695599914
    assert (point.source, point.device, point.activity) == ("WIFI", "1978796627", "UNKNOWN")


def test_old_location_history_with_nested_activity() -> None:
    got = records(google_records, GOOGLE / "google-takeout-to-sqlite__Location_History.json")
    assert kinds(got) == {"Location": 2}
    assert got[0] == Location(1437263846012, 37.6955289, -121.9287261, accuracy_m=45)
    assert got[1].ts_ms == 1437263905529
    assert got[1].activity == "UNKNOWN"  # confidence 40, the highest of the first entry


def test_reitti_records_counts_and_values() -> None:
    got = records(google_records, GOOGLE / "reitti__Records.json")
    assert kinds(got) == {"Location": 95}
    first = got[0]
    assert first == Location(
        1366007486860, 52.5121303, 13.4309551, 25, None, None, None, "GPS", "335552189", None
    )
    assert got[3].activity == "STILL"
    assert sum(1 for p in got if p.activity) == sum(
        1 for p in json.loads((GOOGLE / "reitti__Records.json").read_text())["locations"] if "activity" in p
    )


def test_edge_cases_wrap_invalid_and_unknown() -> None:
    got = records(google_records, OWN / "Records_edge.json")
    assert kinds(got) == {"Location": 2, "Invalid": 4, "Unrecognized": 1}
    wrapped = got[0]
    assert (wrapped.lat, wrapped.lon) == (-0.09, -0.1)  # E7 overflow: minus 2**32
    assert (wrapped.accuracy_m, wrapped.altitude_m, wrapped.velocity_mps) == (20, 35, 3)
    assert wrapped.heading_deg == 90
    assert of(got, Invalid) == [
        Invalid("latitude out of range", "locations[1]"),
        Invalid("missing timestamp", "locations[2]"),
        Invalid("latitudeE7 is not a number", "locations[3]"),
        Invalid("unparseable timestamp", "locations[4]"),
    ]
    assert of(got, Unrecognized) == [Unrecognized("locations[].newFieldFromGoogle")]
    last = of(got, Location)[-1]
    assert last.ts_ms == 1646125380123  # 10:03:00.123456+01:00
    assert last.activity == "tilting"  # old "activitys"/"activities" spelling, best confidence


def test_naive_iso_time_uses_the_import_zone(tmp_path: Path) -> None:
    path = tmp_path / "Records.json"
    path.write_text('{"locations":[{"latitudeE7":1,"longitudeE7":2,"timestamp":"2022-01-01T12:00:00"}]}')
    (point,) = records(google_records, path, ImportOptions(tz=ZoneInfo("Europe/Berlin")))
    assert point.ts_ms == 1641034800000  # 11:00 UTC


def _pretty(points: list[dict[str, object]]) -> bytes:
    body = ", ".join(json.dumps(p, indent=2).replace("\n", "\n  ") for p in points)
    return ('{\n  "locations" : [ ' + body + " ]\n}").encode()


def test_fast_path_equals_careful_path(tmp_path: Path) -> None:
    points = json.loads((GOOGLE / "reitti__Records.json").read_text())["locations"] * 60
    path = tmp_path / "Records.json"
    path.write_bytes(_pretty(points))
    assert path.stat().st_size > 1 << 20  # several blocks of the chunked reader
    fast = records(google_records, path)
    careful = list(google_records._convert(points, 0, ZoneInfo("UTC"), set()))
    assert fast == careful
    assert len(fast) == 95 * 60


def test_chunked_reader_survives_a_marker_inside_a_string(tmp_path: Path) -> None:
    points = [{"latitudeE7": 1, "longitudeE7": 2, "timestampMs": "5", "source": "x\n  }"}] * 3
    handle = tmp_path / "r.json"
    handle.write_bytes(_pretty(points))
    with handle.open("rb") as stream:
        batches = list(location_batches(stream, "r.json"))
    assert [p for batch in batches for p in batch] == points


def test_deterministic() -> None:
    path = GOOGLE / "reitti__Records.json"
    assert records(google_records, path) == records(google_records, path)


@pytest.mark.parametrize("cut", [10, 200, 5000])
def test_truncated_file_raises_after_the_points_read(tmp_path: Path, cut: int) -> None:
    data = (GOOGLE / "reitti__Records.json").read_bytes()
    path = tmp_path / "Records.json"
    path.write_bytes(data[: len(data) - cut])
    seen: list[object] = []
    with pytest.raises(MalformedExport, match="truncated"):
        for record in google_records.parse(source_for(path), ImportOptions()):
            seen.append(record)
    assert 0 < len(seen) < 95


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage\xff" * 100, b'{"locations": [{"a": tru'])
def test_bad_input_raises_malformed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "Records.json"
    path.write_bytes(content)
    with pytest.raises(MalformedExport):
        records(google_records, path)


def test_detect_claims_records_only() -> None:
    assert detect(google_records, GOOGLE / "reitti__Records.json").score == 10
    assert detect(google_records, GOOGLE / "google_takeout_parser__Records_timestampMs_old.json")
    semantic = GOOGLE / "google_takeout_parser__SemanticLocationHistory_placeVisit.json"
    assert detect(google_records, semantic) is None
    assert detect(google_records, OWN / "location-history.json") is None
