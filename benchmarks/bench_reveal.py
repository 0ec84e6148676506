"""Reveal scenarios: one person's 1,000,000 location points, and the Adult metrics beside pycanon."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa

from benchmarks.adult import ADULT, COLUMNS, load_adult
from benchmarks.harness import Figures, Goal, scenario
from vault.demo import population
from vault.places import LatLon
from vault.reveal import RevealInputs, VaultTruth, build_report
from vault.reveal.tabular import tabular_risk

QI_SETS = (
    ["age", "education", "marital-status", "occupation", "sex", "native-country"],
    ["race", "sex"],
)
# pycanon's pins clash with the main venv; point COFFER_PYCANON_PYTHON at a venv that has it.
PYCANON_PYTHON = os.environ.get("COFFER_PYCANON_PYTHON", "/tmp/pycanon-venv/bin/python")
PYCANON_SCRIPT = """
import json, sys, time
import pandas as pd
from pycanon import anonymity
cols = json.loads(sys.argv[2])
df = pd.read_csv(sys.argv[1], names=cols, sep=r",\\s*", engine="python", na_values="?")
out = []
for qi in json.loads(sys.argv[3]):
    start = time.perf_counter()
    k = anonymity.k_anonymity(df, qi)
    l = anonymity.l_diversity(df, qi, ["income"])
    t = anonymity.t_closeness(df, qi, ["income"])
    d = anonymity.delta_disclosure(df, qi, ["income"])
    out.append({"seconds": time.perf_counter() - start, "k": int(k), "l": int(l), "t": float(t), "delta": float(d)})
print(json.dumps(out))
"""


def _one_person(n_points: int) -> tuple[pa.Table, VaultTruth]:
    """One person's track of n_points fixes (the population generator, enough days)."""
    days = n_points * 600 // 86_400 + 1
    person = population(1, seed=3, days=days)[0]
    ts = person.ts_ms[:n_points]
    table = pa.table(
        {
            "ts": pa.array(ts).cast(pa.timestamp("ms", tz="UTC")),
            "lat": person.lat[:n_points],
            "lon": person.lon[:n_points],
        }
    )
    truth = VaultTruth(
        home=LatLon(float(person.home_lat), float(person.home_lon)),
        work=LatLon(float(person.work_lat), float(person.work_lon)),
        timezone=person.zone,
    )
    return table, truth


@scenario("reveal.location_1m", group="reveal", goals=(Goal("seconds", 5.0),))
def location_million(quick: bool) -> Figures:
    """build_report on one person's 1,000,000 raw fixes (100,000 with --quick), before = after."""
    table, truth = _one_person(100_000 if quick else 1_000_000)
    start = time.perf_counter()
    report = build_report(RevealInputs("bench", "locations", table, table, truth, zones_used=True))
    seconds = time.perf_counter() - start
    home = next(f for f in report.findings if f.id == "location.home")
    error = home.measured["error_m"]
    return {"seconds": seconds, "points": table.num_rows, "home_error_m": -1.0 if error is None else error}


def _pycanon_seconds() -> float | None:
    """pycanon's time for the same four metrics on both sets, in its own venv; None if absent."""
    if not Path(PYCANON_PYTHON).exists():
        return None
    done = subprocess.run(
        [PYCANON_PYTHON, "-c", PYCANON_SCRIPT, str(ADULT), json.dumps(COLUMNS), json.dumps(QI_SETS)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        print(done.stderr[-500:], file=sys.stderr)
        return None
    return float(sum(r["seconds"] for r in json.loads(done.stdout)))


@scenario("reveal.adult_metrics", group="reveal", goals=(Goal("seconds", 0.5),))
def adult_metrics(quick: bool) -> Figures:
    """k, l, t, delta and risk on Adult for both quasi-identifier sets, with pycanon alongside."""
    table = load_adult()
    start = time.perf_counter()
    for qi in QI_SETS:
        tabular_risk(table, qi, ["income"], missing="pycanon")
    seconds = time.perf_counter() - start
    figures: Figures = {"seconds": seconds, "rows": float(table.num_rows)}
    peer = None if quick else _pycanon_seconds()
    if peer is not None:
        figures["pycanon_seconds"] = peer
        figures["speedup_vs_pycanon"] = peer / seconds
    return figures


if __name__ == "__main__":
    print(location_million("--quick" in sys.argv))
    print(adult_metrics("--quick" in sys.argv))
