"""User SQL cannot reach files, network, extensions or settings, and cannot run away."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from tests.engine.conftest import coffer
from vault.engine import Engine, QueryError
from vault.sandbox import one_line
from vault.session import Vault

ESCAPES = {
    "SELECT * FROM read_csv('/etc/passwd')": "disabled by configuration",
    "SELECT * FROM read_text('/etc/hostname')": "disabled by configuration",
    "COPY (SELECT 1) TO 'out.csv'": "only read statements",
    "COPY messages TO 'out.parquet' (FORMAT parquet)": "only read statements",
    "ATTACH 'other.db' AS o": "only read statements",
    "INSTALL fts": "only read statements",
    "LOAD fts": "only read statements",
    "SET memory_limit = '100GB'": "only read statements",
    "RESET temp_directory": "only read statements",
    "PRAGMA version": "only read statements",
    "CREATE TABLE t AS SELECT 1": "only read statements",
    "CREATE MACRO m(a) AS a": "only read statements",
    "EXPORT DATABASE 'dump'": "only read statements",
    "CALL pragma_version()": "only read statements",
    "SELECT 1; COPY (SELECT 1) TO 'x.csv'": "one statement at a time",
    "SELECT * FROM query('COPY (SELECT 1) TO ''x.csv''')": "single SELECT",
    "SELECT * FROM 'https://example.com/data.csv'": "",
}


@pytest.mark.parametrize("sql", list(ESCAPES))
def test_every_escape_fails_with_a_clear_message(engine: Engine, sql: str, tmp_path: Path) -> None:
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(QueryError) as caught:
        engine.query(sql)
    assert ESCAPES[sql].lower() in str(caught.value).lower()
    assert "\n" not in str(caught.value)
    assert sorted(os.listdir(tmp_path)) == before


def test_settings_stay_locked_even_for_internal_sql(engine: Engine) -> None:
    with pytest.raises(QueryError, match="locked"):
        engine.internal("SET enable_external_access = true")
    rows = engine.query(
        "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', "
        "'lock_configuration', 'temp_directory', 'autoload_known_extensions', "
        "'autoinstall_known_extensions', 'TimeZone', 'python_enable_replacements')"
    ).to_pylist()
    settings = {r["name"]: r["value"] for r in rows}
    assert settings == {
        "enable_external_access": "false",
        "lock_configuration": "true",
        "temp_directory": "",
        "autoload_known_extensions": "false",
        "autoinstall_known_extensions": "false",
        "TimeZone": "UTC",
        "python_enable_replacements": "false",
    }


def test_python_variables_are_not_reachable(engine: Engine) -> None:
    secret_frame_table = {"a": [1]}  # noqa: F841 - DuckDB's replacement scan would find it by name
    with pytest.raises(QueryError, match="does not exist"):
        engine.query("SELECT * FROM secret_frame_table")


def test_runaway_query_is_stopped_by_the_timeout(engine: Engine) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryError, match="timeout"):
        engine.query("SELECT count(*) FROM range(10000000000000) a(i) WHERE i % 7 = 3", timeout_s=0.5)
    assert time.perf_counter() - started < 10
    assert engine.query("SELECT 1 AS x")["x"][0].as_py() == 1


def test_interrupt_cancels_a_running_query(engine: Engine) -> None:
    import threading

    threading.Timer(0.3, engine.interrupt).start()
    with pytest.raises(QueryError, match="cancelled"):
        engine.query("SELECT count(*) FROM range(10000000000000) a(i) WHERE i % 7 = 3", timeout_s=None)


def _files_under(*folders: Path) -> set[Path]:
    return {p for folder in folders for p in folder.rglob("*")}


def test_sort_larger_than_memory_fails_cleanly_and_spills_nothing(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, private_tmp = tmp_path / "cwd", tmp_path / "tmp"
    work.mkdir()
    private_tmp.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    shared_tmp = Path("/tmp")
    watched = (work, private_tmp, vault.path.parent)
    before = _files_under(*watched)
    shared_before = {p for p in shared_tmp.iterdir() if "duckdb" in p.name or p.name.endswith(".tmp")}
    engine = Engine(vault.store, memory_limit="64MB")
    try:
        with pytest.raises(QueryError, match="memory"):
            engine.query(
                "SELECT i, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS h FROM range(8000000) t(i) ORDER BY h"
            )
    finally:
        engine.close()
    assert _files_under(*watched) - before == set()
    shared_after = {p for p in shared_tmp.iterdir() if "duckdb" in p.name or p.name.endswith(".tmp")}
    assert shared_after - shared_before == set()


def test_memory_limit_from_the_environment(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COFFER_MEMORY_LIMIT", "300MB")
    engine = Engine(vault.store)
    try:
        value = engine.query("SELECT current_setting('memory_limit') AS v")["v"][0].as_py()
    finally:
        engine.close()
    assert value.startswith("286") or "300" in value or "MiB" in value


def test_cli_escape_is_one_error_line_and_exit_1(vault_file: Path, tmp_path: Path) -> None:
    for sql in ("COPY (SELECT 1) TO 'x.csv'", "SELECT * FROM read_csv('/etc/passwd')", "ATTACH 'a.db'"):
        result = coffer(vault_file, "query", sql, cwd=tmp_path)
        assert result.code == 1, result.err
        lines = [line for line in result.err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("coffer: error: "), result.err
        assert result.out == ""
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "a.db").exists()


def test_duckdb_position_reaches_the_user() -> None:
    message = 'Parser Error: syntax error at or near "frm"\n\nLINE 1: select * frm x\n                 ^'
    assert (
        one_line(message)
        == 'Parser Error: syntax error at or near "frm" at line 1, column 10: select * frm x'
    )
