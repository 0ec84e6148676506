"""The slice's bytes: RFC 4180 CSV that a spreadsheet cannot turn into formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pyarrow as pa

from vault.export import csv_bytes, manifest_path_for


def read_back(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_formula_cells_are_defused_and_numbers_left_alone() -> None:
    table = pa.table(
        {
            "text": ['=HYPERLINK("http://x")', "+1 555 0100", "-rm", "@SUM(A1)", "\tTab", "\rCR", "plain"],
            "lon": [-0.1278, 2.35, -73.98, 0.0, -1.5, 3.0, 4.0],
            "n": [-1, 2, -3, 4, -5, 6, 7],
        }
    )
    rows = read_back(csv_bytes(table))
    assert rows[0] == ["text", "lon", "n"]
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+1 555 0100",
        "'-rm",
        "'@SUM(A1)",
        "'\tTab",
        "'\rCR",
        "plain",
    ]
    assert rows[1][1] == "-0.1278" and rows[3][2] == "-3"


def test_rfc4180_quoting_crlf_utf8_and_nulls() -> None:
    table = pa.table({"text": ['say "hi"\nnext line', "naïve, café", None], "x": [1.5, None, 2.0]})
    data = csv_bytes(table)
    assert data.startswith(b"text,x\r\n")
    assert b'"say ""hi""\nnext line"' in data
    rows = read_back(data)
    assert rows[2] == ["naïve, café", ""] and rows[3] == ["", "2.0"]


def test_timestamps_are_iso_8601_utc_with_z() -> None:
    moment = dt.datetime(2024, 3, 2, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    table = pa.table({"ts": pa.array([moment], pa.timestamp("us", tz="UTC"))})
    assert read_back(csv_bytes(table))[1] == ["2024-03-02T07:00:00Z"]


def test_manifest_sits_beside_the_slice() -> None:
    assert manifest_path_for(Path("/x/slice.csv")) == Path("/x/slice.manifest.json")
    assert manifest_path_for(Path("/x/slice.parquet")) == Path("/x/slice.manifest.json")
    assert manifest_path_for(Path("/x/slice")) == Path("/x/slice.manifest.json")
