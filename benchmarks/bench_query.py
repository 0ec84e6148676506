"""Headless query speed on a generated 1,000,000-fix vault (issue 7).

`query_cold`: `coffer query` as a fresh process, passphrase from the environment, from process
start to the first result line of a GROUP BY month over all locations (key derivation included);
in the same run the `sqlite3` CLI runs the same GROUP BY on an unencrypted copy of the same fixes.
`query_dashboard`: the dashboard's queries on a loaded engine (ms each).

    python -m benchmarks.bench_query [--points N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import Figures, Goal, scenario
from vault.engine import DASHBOARD_QUERIES

PASSPHRASE = "benchmark passphrase"
POINTS = 1_000_000
QUICK_POINTS = 100_000
MONTHLY = "SELECT date_trunc('month', ts) AS month, count(*) AS fixes FROM locations GROUP BY 1 ORDER BY 1"
SQLITE_MONTHLY = "SELECT strftime('%Y-%m-01', ts / 1000, 'unixepoch') AS month, count(*) FROM locations GROUP BY 1 ORDER BY 1;"


def build_vault(folder: Path, points: int) -> Path:
    """A vault holding `points` generated fixes plus the demo persona (cached in `folder`)."""
    path = folder / f"query-{points}.db"
    if path.exists() and path.with_name(path.name + ".keys").exists():
        return path
    import importers
    from vault import demo, ingest, session

    exports = folder / f"exports-{points}"
    shutil.rmtree(exports, ignore_errors=True)
    demo.generate(exports / "persona", seed=1)
    demo.write_records_json(exports / "Records.json", points, seed=2)
    vault, _recovery = session.create(path, PASSPHRASE)
    with vault:
        ingest.run(vault.store, importers.discover([exports]))
    shutil.rmtree(exports, ignore_errors=True)
    return path


def plain_copy(vault_path: Path, out: Path) -> Path:
    """The vault's fixes in an unencrypted SQLite file, for the sqlite3 CLI's side of the race."""
    if out.exists():
        return out
    from vault import session
    from vault.locations import read_all

    with session.unlock(vault_path, session.Credentials(passphrase=PASSPHRASE)) as vault:
        fixes = read_all(vault.store.conn).select(["id", "ts", "lat", "lon", "accuracy_m", "platform"])
    db = sqlite3.connect(out)
    db.execute(
        "CREATE TABLE locations (id INTEGER PRIMARY KEY, ts INTEGER, lat REAL, lon REAL, accuracy_m REAL, platform TEXT)"
    )
    db.executemany(
        "INSERT INTO locations VALUES (?, ?, ?, ?, ?, ?)",
        zip(*(c.to_pylist() for c in fixes.columns), strict=True),
    )
    db.commit()
    db.close()
    return out


def coffer_command() -> list[str]:
    """`coffer` as a fresh interpreter (through this module while vault/cli.py lacks `query`)."""
    from vault import cli

    if "query" in cli.cli.commands:
        return [sys.executable, "-m", "vault"]
    return [sys.executable, "-m", "benchmarks.bench_query", "coffer"]


def first_line_seconds(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Seconds from starting `command` until its first line of output arrives."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    rest, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{command[-3:]} failed: {err.strip()}")
    return elapsed, line + rest


def cold(points: int, repeats: int = 3) -> Figures:
    folder = Path(tempfile.gettempdir()) / "coffer-bench-query"
    folder.mkdir(exist_ok=True, mode=0o700)
    path = build_vault(folder, points)
    plain = plain_copy(path, folder / f"plain-{points}.sqlite")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COFFER_")}
    env["COFFER_PASSPHRASE"] = PASSPHRASE
    ours, theirs = [], []
    for _ in range(repeats):
        seconds, _ = first_line_seconds(
            [*coffer_command(), "query", MONTHLY, "--format", "csv", "--vault", str(path)], env
        )
        ours.append(seconds)
        seconds, _ = first_line_seconds(["sqlite3", "-csv", str(plain), SQLITE_MONTHLY], env)
        theirs.append(seconds)
    coffer_s, sqlite_s = statistics.median(ours), statistics.median(theirs)
    return {
        "points": float(points),
        "first_result_s": round(coffer_s, 3),
        "sqlite3_cli_s": round(sqlite_s, 3),
        "ratio_vs_sqlite3": round(coffer_s / sqlite_s, 2),
    }


def dashboard(points: int) -> Figures:
    from vault import session
    from vault.engine import Engine

    path = build_vault(Path(tempfile.gettempdir()) / "coffer-bench-query", points)
    figures: Figures = {}
    with session.unlock(path, session.Credentials(passphrase=PASSPHRASE)) as vault:
        engine = Engine(vault.store)
        try:
            started = time.perf_counter()
            for sql in DASHBOARD_QUERIES.values():
                engine.query(sql)
            figures["first_load_s"] = round(time.perf_counter() - started, 3)
            for name, sql in DASHBOARD_QUERIES.items():
                figures[f"{name}_ms"] = round(_best_ms(engine, sql), 1)
        finally:
            engine.close()
    return figures


def _best_ms(engine: Any, sql: str, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        engine.query(sql)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


@scenario(
    "query_cold_first_result",
    "query",
    goals=(Goal("first_result_s", 1.5), Goal("ratio_vs_sqlite3", 3.0)),
)
def query_cold(quick: bool) -> Figures:
    return cold(QUICK_POINTS if quick else POINTS)


@scenario(
    "query_dashboard",
    "query",
    goals=tuple(Goal(f"{name}_ms", 100.0) for name in DASHBOARD_QUERIES),
)
def query_dashboard(quick: bool) -> Figures:
    return dashboard(QUICK_POINTS if quick else POINTS)


def _run_coffer(args: list[str]) -> None:
    """`coffer ARGS` with the query commands registered (used until vault/cli.py registers them)."""
    from vault import cli
    from vault.commands import querycmds

    for command in querycmds.COMMANDS:
        if command.name not in cli.cli.commands:
            cli.cli.add_command(command)
    sys.argv = ["coffer", *args]
    cli.main()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "coffer":
        _run_coffer(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=POINTS)
    args = parser.parse_args()
    print(json.dumps({"cold": cold(args.points), "dashboard": dashboard(args.points)}, indent=2))


if __name__ == "__main__":
    main()
