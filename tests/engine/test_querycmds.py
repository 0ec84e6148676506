"""`coffer query`, `tables`, `schema` and `search` as real processes: formats, files, zones, history."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

from tests.engine.conftest import PASSPHRASE, coffer
from vault import session

MONTHLY = "SELECT date_trunc('month', ts) AS month, count(*) AS n FROM locations GROUP BY 1 ORDER BY 1"


def test_query_prints_csv_when_piped_with_iso_utc_times(vault_file: Path) -> None:
    result = coffer(vault_file, "query", MONTHLY)
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows and all(r["month"].endswith("T00:00:00Z") for r in rows)
    assert result.err == ""


def test_output_is_the_same_in_every_machine_zone(vault_file: Path) -> None:
    sql = "SELECT ts, strftime(ts, '%H') AS hour, ts::DATE AS day FROM messages ORDER BY ts, id"
    tokyo = coffer(vault_file, "query", sql, "--format", "json", env={"TZ": "Asia/Tokyo"})
    utc = coffer(vault_file, "query", sql, "--format", "json", env={"TZ": "UTC"})
    assert tokyo.code == utc.code == 0, tokyo.err + utc.err
    assert tokyo.out == utc.out
    assert json.loads(utc.out)[0]["ts"].endswith("Z")


def test_sql_from_stdin_and_file_and_limit(vault_file: Path, tmp_path: Path) -> None:
    from_stdin = coffer(vault_file, "query", "-", "--format", "jsonl", stdin="SELECT * FROM locations")
    sql_file = tmp_path / "q.sql"
    sql_file.write_text("SELECT * FROM locations -- all fixes\n")
    from_file = coffer(vault_file, "query", "--file", str(sql_file), "--format", "jsonl", "--limit", "5")
    assert from_stdin.code == from_file.code == 0
    assert from_file.out.splitlines() == from_stdin.out.splitlines()[:5]
    assert len(from_file.out.splitlines()) == 5


def test_out_file_is_private_and_atomic(vault_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = coffer(vault_file, "query", MONTHLY, "--out", str(out))
    assert result.code == 0, result.err
    assert result.out == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())[0]["n"] > 0
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]
    failed = coffer(vault_file, "query", "SELECT nope FROM locations", "--out", str(tmp_path / "bad.csv"))
    assert failed.code == 1
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_markdown_and_table_formats(vault_file: Path) -> None:
    markdown = coffer(vault_file, "query", "SELECT 'a|b' AS x, NULL AS y", "--format", "markdown")
    assert markdown.out.splitlines() == ["| x | y |", "|---|---|", "| a\\|b |  |"]
    table = coffer(vault_file, "query", "SELECT 42 AS answer", "--format", "table")
    assert "answer" in table.out and "42" in table.out


def test_usage_errors_exit_2(vault_file: Path) -> None:
    assert coffer(vault_file, "query").code == 2
    assert coffer(vault_file, "query", "SELECT 1", "--format", "xml").code == 2
    assert coffer(vault_file, "schema", "nope").code == 2


def test_tables_and_schema(vault_file: Path) -> None:
    tables = coffer(vault_file, "tables", "--format", "json")
    listed = {t["name"]: t for t in json.loads(tables.out)}
    assert {"locations", "messages", "timeline", "messages_named"} <= set(listed)
    assert listed["locations"]["rows"] > 0 and listed["locations"]["description"]
    schema = json.loads(coffer(vault_file, "schema", "locations", "--format", "json").out)
    assert {c["column"]: c["type"] for c in schema}["ts"] == "TIMESTAMP WITH TIME ZONE"
    assert all(c["description"] for c in schema)


def test_search_command_and_sql_table_function(vault_file: Path) -> None:
    hits = coffer(vault_file, "search", "pokemon", "--format", "json")
    assert hits.code == 0, hits.err
    found = json.loads(hits.out)
    assert found and all("pokemon" in h["snippet"].lower() for h in found)
    joined = coffer(
        vault_file,
        "query",
        "SELECT m.text FROM search_hits('pokemon') h JOIN messages m ON m.id = h.record_id",
        "--format",
        "json",
    )
    assert sorted(r["text"] for r in json.loads(joined.out)) != []
    assert len(json.loads(joined.out)) == len(found)


def test_query_is_recorded_in_the_vault_history(vault_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "h.db"
    copy.write_bytes(vault_file.read_bytes())
    (tmp_path / "h.db.keys").write_bytes(vault_file.with_name("v.db.keys").read_bytes())
    assert coffer(copy, "query", "SELECT 1 AS one").code == 0
    assert coffer(copy, "query", "SELECT nope").code == 1
    with session.unlock(copy, session.Credentials(passphrase=PASSPHRASE)) as vault:
        rows = vault.store.rows("SELECT sql, rows, error FROM query_history ORDER BY id")[-2:]
    assert rows[0] == ("SELECT 1 AS one", 1, None)
    assert rows[1][0] == "SELECT nope" and rows[1][2]


def test_a_reader_that_stops_early_is_not_an_error(vault_file: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.engine.conftest import RUNNER_ARGS

    env = {k: v for k, v in os.environ.items() if not k.startswith("COFFER_")}
    env["COFFER_PASSPHRASE"] = PASSPHRASE
    proc = subprocess.Popen(
        [sys.executable, *RUNNER_ARGS, "query", "SELECT * FROM range(2000000)", "--vault", str(vault_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() == b"range"
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""


def test_a_csv_file_defuses_formulas_and_standard_output_stays_verbatim(
    vault_file: Path, tmp_path: Path
) -> None:
    sql = """SELECT '=HYPERLINK("http://x")' AS text, -5 AS n, '@sum' AS handle, 'plain' AS p"""
    out = tmp_path / "r.csv"
    saved = coffer(vault_file, "query", sql, "--out", str(out))
    piped = coffer(vault_file, "query", sql)
    assert saved.code == piped.code == 0, saved.err + piped.err
    assert list(csv.reader(io.StringIO(out.read_text())))[1] == [
        '\'=HYPERLINK("http://x")',
        "-5",
        "'@sum",
        "plain",
    ]
    assert list(csv.reader(io.StringIO(piped.out)))[1] == ['=HYPERLINK("http://x")', "-5", "@sum", "plain"]
