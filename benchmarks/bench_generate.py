"""Generator scenarios: the default persona, and 1,000,000 records streamed to disk."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.harness import Figures, Goal, scenario
from vault.demo import generate, population


@scenario("generate.default", group="generate", goals=(Goal("seconds", 30),))
def default_persona(quick: bool) -> Figures:
    """Time to write the default persona's exports."""
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        truth = generate(Path(folder), seed=1)
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "records": truth.totals["records"],
        "records_per_s": truth.totals["records"] / seconds,
    }


@scenario("generate.scale_1m", group="generate", goals=(Goal("seconds", 300), Goal("peak_rss_mb", 300)))
def million_records(quick: bool) -> Figures:
    """Time and memory to write 1,000,000 records (100,000 with --quick)."""
    n = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        truth = generate(Path(folder), seed=1, scale=n)
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    return {
        "seconds": seconds,
        "records": truth.totals["records"],
        "records_per_s": truth.totals["records"] / seconds,
        "disk_mb": size / 2**20,
    }


@scenario("generate.population_100x28", group="generate", goals=(Goal("seconds", 5),))
def population_tracks(quick: bool) -> Figures:
    """Time to simulate 100 people over 28 days."""
    start = time.perf_counter()
    people = population(100, seed=1, days=28)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "fixes": float(sum(len(p.ts_ms) for p in people))}
