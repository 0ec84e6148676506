"""The importer registry and discovery: folders, zips (nested, in memory) and their limits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import importers
from importers import _archive
from tests.importers._source import FIXTURES

LOCATION_FILES = {
    "google_location/google-takeout-to-sqlite__Location_History.json": "google_records",
    "google_location/google_takeout_parser__Records_2024_activity_source.json": "google_records",
    "google_location/google_takeout_parser__Records_isotimestamp_deviceTag.json": "google_records",
    "google_location/google_takeout_parser__Records_timestampMs_old.json": "google_records",
    "google_location/google_takeout_parser__SemanticLocationHistory_2024_placeVisit_activitySegment.json": "google_semantic",
    "google_location/google_takeout_parser__SemanticLocationHistory_placeVisit.json": "google_semantic",
    "google_location/potluck__Timeline_Edits.json": "google_timeline_edits",
    "google_location/reitti__Records.json": "google_records",
    "google_location/reitti__timeline_from_android_randomized.json": "google_timeline",
    "gpx/reitti__20250619.gpx": "gpx",
    "gpx/reitti__location_data_2026-07-26_to_2026-07-26.gpx": "gpx",
    "gpx/reitti__track_2_2025-12-06_081704.gpx": "gpx",
    "kml/latitude2gpx__README_example_LocationHistory.kml": "kml",
}


def test_installed_importers_are_sorted_and_complete() -> None:
    names = [importer.NAME for importer in importers.installed_importers()]
    assert names == sorted(names)
    for name in ("google_records", "google_semantic", "google_timeline", "google_timeline_ios",
                 "google_timeline_edits", "gpx", "kml"):  # fmt: skip
        assert name in names


def _fixture_zip(tmp_path: Path) -> Path:
    path = tmp_path / "takeout.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in LOCATION_FILES:
            archive.write(FIXTURES / rel, f"Takeout/{rel}")
        archive.writestr("Takeout/notes.txt", b"just some notes\n")
        archive.writestr("../evil.json", b'{"locations": []}')
        archive.writestr("Takeout/bomb.json", bytes(1 << 20))
        archive.writestr(".hidden", b"x")
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as nested:
            nested.write(FIXTURES / "gpx/reitti__track_2_2025-12-06_081704.gpx", "track.gpx")
        archive.writestr("Takeout/nested.zip", inner.getvalue())
    return path


def test_zip_of_fixtures(tmp_path: Path) -> None:
    found = {d.source.name: d for d in importers.discover([_fixture_zip(tmp_path)])}
    for rel, name in LOCATION_FILES.items():
        item = found.pop(f"takeout.zip/Takeout/{rel}")
        assert item.importer is not None and name == item.importer.NAME, rel
    evil = found.pop("takeout.zip/../evil.json")
    assert evil.refused and evil.skip_reason == "path leaves the archive (..)"
    bomb = found.pop("takeout.zip/Takeout/bomb.json")
    assert bomb.refused and "compression ratio" in (bomb.skip_reason or "")
    notes = found.pop("takeout.zip/Takeout/notes.txt")
    assert (notes.importer, notes.skip_reason, notes.refused) == (None, "not recognised", False)
    nested = found.pop("takeout.zip/Takeout/nested.zip/track.gpx")
    assert nested.importer is not None and nested.importer.NAME == "gpx"
    assert not any(name.endswith(".hidden") for name in found)


def test_zip_member_streams_and_finds_siblings(tmp_path: Path) -> None:
    found = list(importers.discover([_fixture_zip(tmp_path)]))
    item = next(d for d in found if d.source.name.endswith("reitti__Records.json"))
    with item.source.open() as stream:
        assert stream.read() == (FIXTURES / "google_location/reitti__Records.json").read_bytes()
    sibling = item.source.sibling("potluck__Timeline_Edits.json")
    assert sibling is not None and b"timelineEdits" in sibling.read()
    assert item.source.sibling("absent.json") is None
    assert item.source.path == "Takeout/google_location/reitti__Records.json"


def test_oversized_archive_is_refused_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_archive, "MAX_TOTAL_BYTES", 1000)
    found = list(importers.discover([_fixture_zip(tmp_path)]))
    assert len(found) == 1 and found[0].refused
    assert "above the 8 GiB limit" in (found[0].skip_reason or "")


def test_folder_is_walked_sorted_without_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "track.gpx").write_bytes((FIXTURES / "gpx/reitti__20250619.gpx").read_bytes())
    (tmp_path / "a.kml").write_bytes(
        (FIXTURES / "kml/latitude2gpx__README_example_LocationHistory.kml").read_bytes()
    )
    (tmp_path / ".secret.json").write_text("{}")
    found = list(importers.discover([tmp_path]))
    base = tmp_path.name
    assert [d.source.name for d in found] == [f"{base}/a.kml", f"{base}/b/track.gpx"]
    assert [d.importer.NAME for d in found if d.importer] == ["kml", "gpx"]
    with found[1].source.open() as stream:
        assert stream.read(5) == b"<?xml"


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nowhere"):
        list(importers.discover([tmp_path / "nowhere"]))


def test_damaged_zip_is_skipped_with_reason(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    (item,) = importers.discover([path])
    assert item.importer is None and not item.refused
    assert (item.skip_reason or "").startswith("damaged zip archive")
