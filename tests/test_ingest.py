"""The import pipeline end to end: per-file transactions, dedup, provenance, forgetting."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PASSPHRASE, Coffer, assert_one_error_line
from vault import session

LOCATION_FIXTURES = FIXTURES / "google_location"


def counts(coffer: Coffer) -> dict[str, int]:
    return json.loads(coffer.ok("status", "--json").out)["counts"]


def imported(coffer: Coffer, *paths: Path) -> list[dict]:
    return json.loads(coffer.ok("import", *map(str, paths), "--json").out)


def records_json(points: list[tuple[int, float, float]]) -> bytes:
    """A Takeout Records.json (our own, written from the format: E7 integers, timestampMs)."""
    return json.dumps(
        {
            "locations": [
                {
                    "timestampMs": str(ts),
                    "latitudeE7": round(lat * 1e7),
                    "longitudeE7": round(lon * 1e7),
                    "accuracy": 10,
                }
                for ts, lat, lon in points
            ]
        }
    ).encode()


def test_a_zip_of_the_fixtures_imports_in_one_command_and_again_adds_nothing(
    initialised: Coffer, tmp_path: Path
) -> None:
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(LOCATION_FIXTURES.iterdir()):
            zf.write(path, f"Takeout/Location History/{path.name}")
    first = imported(initialised, archive)
    assert len(first) == len(list(LOCATION_FIXTURES.iterdir()))
    assert all(f["file"].startswith("takeout.zip/Takeout/") for f in first)
    assert {f["status"] for f in first} <= {"imported", "skipped"}
    after_first = counts(initialised)
    assert after_first["locations"] > 100 and after_first["visits"] > 0
    second = imported(initialised, archive)
    assert {f["status"] for f in second} <= {"already", "skipped"}
    assert counts(initialised) == after_first


def test_the_same_fixes_from_another_export_are_not_stored_twice(initialised: Coffer, tmp_path: Path) -> None:
    base = 1_700_000_000_000
    points = [(base + i * 60_000, 48.1372 + i * 1e-4, 11.5756) for i in range(50)]
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Records.json").write_bytes(records_json(points))
    # The same fixes as 6-digit coordinates, a few hundred ms later, plus 10 new ones.
    shifted = [(ts + 400, round(lat, 6), round(lon, 6)) for ts, lat, lon in points]
    extra = [(base + 10_000_000 + i * 1000, 52.52, 13.40 + i * 1e-3) for i in range(10)]
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Records.json").write_bytes(records_json(shifted + extra))
    imported(initialised, tmp_path / "a")
    report = imported(initialised, tmp_path / "b")
    assert report[0]["added"] == {"locations": 10}
    assert counts(initialised)["locations"] == 60


def test_forgetting_an_import_keeps_what_another_import_also_brought(
    initialised: Coffer, tmp_path: Path
) -> None:
    base = 1_700_000_000_000
    shared = [(base + i * 1000, 48.0, 11.0 + i * 1e-3) for i in range(20)]
    only_a = [(base + 100_000 + i * 1000, 47.0, 10.0 + i * 1e-3) for i in range(5)]
    only_b = [(base + 200_000 + i * 1000, 46.0, 9.0 + i * 1e-3) for i in range(7)]
    for name, points in (("a", shared + only_a), ("b", shared + only_b)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Records.json").write_bytes(records_json(points))
    import_a = imported(initialised, tmp_path / "a")[0]["import_id"]
    imported(initialised, tmp_path / "b")
    assert counts(initialised)["locations"] == 32
    out = initialised.ok("forget-import", str(import_a)).out
    assert "5 locations" in out
    assert counts(initialised)["locations"] == 27
    assert_one_error_line(initialised("forget-import", str(import_a)), 1)
    initialised.ok("verify")


def test_a_truncated_file_is_reported_the_rest_goes_on_and_the_vault_is_unchanged_for_it(
    initialised: Coffer, tmp_path: Path
) -> None:
    good = [(1_700_000_000_000 + i * 1000, 48.0, 11.0) for i in range(30)]
    folder = tmp_path / "export"
    folder.mkdir()
    whole = records_json(good)
    (folder / "a_truncated.json").write_bytes(whole[: len(whole) * 2 // 3])
    (folder / "b_good.json").write_bytes(records_json([(t + 10**9, la, lo) for t, la, lo in good]))
    (folder / "c_notes.txt").write_text("shopping list")
    report = {Path(f["file"]).name: f for f in imported(initialised, folder)}
    assert report["a_truncated.json"]["status"] == "failed"
    assert report["b_good.json"]["added"] == {"locations": 30}
    assert report["c_notes.txt"]["status"] == "unrecognised"
    assert counts(initialised)["locations"] == 30
    assert counts(initialised)["imports"] == 1


def test_binary_garbage_and_empty_files_are_reported_not_crashed_on(
    initialised: Coffer, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Records.json").write_bytes(b'{"locations": [\x00\xff\xfe garbage')
    (folder / "empty.json").write_bytes(b"")
    result = initialised("import", str(folder))
    assert result.code == 1  # nothing at all could be imported
    assert "Traceback" not in result.err
    assert counts(initialised)["locations"] == 0


def test_a_missing_path_is_a_usage_error(initialised: Coffer, tmp_path: Path) -> None:
    assert_one_error_line(initialised("import", str(tmp_path / "nope.zip")), 2)


def test_an_unknown_time_zone_is_a_usage_error(initialised: Coffer) -> None:
    assert_one_error_line(initialised("import", str(LOCATION_FIXTURES), "--tz", "Mars/Olympus"), 2)


def test_a_killed_import_leaves_each_file_fully_in_or_not_at_all(initialised: Coffer, tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    n = 300_000
    base = 1_600_000_000_000
    (folder / "Records.json").write_bytes(
        records_json([(base + i * 1000, 48.0 + (i % 1000) * 1e-5, 11.0) for i in range(n)])
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vault",
            "import",
            str(folder),
            "--vault",
            str(initialised.vault),
            "--passphrase-file",
            str(initialised.passphrase_file),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    time.sleep(1.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with session.unlock(initialised.vault, session.Credentials(passphrase=PASSPHRASE)) as vault:
        assert vault.store.integrity_problems() == []
        stored = vault.store.counts()["locations"]
        imports = vault.store.counts()["imports"]
    assert (stored, imports) in ((0, 0), (n, 1))


def test_progress_reaches_the_callback(initialised: Coffer, tmp_path: Path) -> None:
    import importers
    from vault import ingest

    seen: list[tuple[str, object]] = []

    class Recorder:
        def file_started(self, name: str, size: int) -> None:
            seen.append(("start", name))

        def advanced(self, done_bytes: int) -> None:
            seen.append(("bytes", done_bytes))

        def file_finished(self, result: ingest.FileResult) -> None:
            seen.append(("done", result.status))

    with session.unlock(initialised.vault, session.Credentials(passphrase=PASSPHRASE)) as vault:
        ingest.run(vault.store, importers.discover([LOCATION_FIXTURES / "reitti__Records.json"]), Recorder())
    assert seen[0] == ("start", "reitti__Records.json")
    assert seen[-1] == ("done", "imported")
    assert any(kind == "bytes" and value > 0 for kind, value in seen)


@pytest.mark.parametrize("member", ["../evil.json", "/etc/evil.json"])
def test_unsafe_archive_members_are_refused(initialised: Coffer, tmp_path: Path, member: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(member, records_json([(1_700_000_000_000, 1.0, 1.0)]))
        zf.writestr("Records.json", records_json([(1_700_000_001_000, 2.0, 2.0)]))
    (tmp_path / "x.zip").write_bytes(buffer.getvalue())
    report = imported(initialised, tmp_path / "x.zip")
    statuses = sorted(f["status"] for f in report)
    assert statuses == ["imported", "refused"]
    assert counts(initialised)["locations"] == 1
