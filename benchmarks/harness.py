"""A tiny scenario registry and runner: each repeat in a child process, median figures, peak RSS."""

from __future__ import annotations

import importlib
import json
import multiprocessing as mp
import os
import pkgutil
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

Figures = dict[str, float]


@dataclass(frozen=True)
class Goal:
    """A figure a scenario must reach: `figure <= limit` (or `>=` when `higher_is_better`)."""

    figure: str
    limit: float
    higher_is_better: bool = False

    def met(self, value: float) -> bool:
        return value >= self.limit if self.higher_is_better else value <= self.limit

    def text(self) -> str:
        return f"{'>=' if self.higher_is_better else '<='} {self.limit:g}"


@dataclass(frozen=True)
class Scenario:
    """A registered benchmark: `run(quick)` returns figures; an optional peer does the same job."""

    name: str
    group: str
    run: Callable[[bool], Figures]
    goals: tuple[Goal, ...] = ()
    peer: str | None = None  # distribution name of the peer package
    peer_run: Callable[[bool], Figures] | None = None


@dataclass
class Result:
    """Median figures of a scenario (and its peer) over the repeats."""

    name: str
    group: str
    figures: Figures
    peak_rss_mb: float
    peer: str | None = None
    peer_figures: Figures = field(default_factory=dict)
    peer_note: str = ""
    goals: list[dict[str, Any]] = field(default_factory=list)


REGISTRY: dict[str, Scenario] = {}


def scenario(
    name: str, group: str = "misc", goals: tuple[Goal, ...] = ()
) -> Callable[[Callable[[bool], Figures]], Callable[[bool], Figures]]:
    """Register `fn(quick) -> figures` as a scenario."""

    def register(fn: Callable[[bool], Figures]) -> Callable[[bool], Figures]:
        REGISTRY[name] = Scenario(name, group, fn, goals)
        return fn

    return register


def peer(name: str, package: str) -> Callable[[Callable[[bool], Figures]], Callable[[bool], Figures]]:
    """Register `fn(quick) -> figures` as the peer run of scenario `name` (package may be absent)."""

    def register(fn: Callable[[bool], Figures]) -> Callable[[bool], Figures]:
        base = REGISTRY[name]
        REGISTRY[name] = Scenario(base.name, base.group, base.run, base.goals, package, fn)
        return fn

    return register


def discover() -> list[str]:
    """Import every `benchmarks/bench_*.py` so its scenarios register; returns modules that failed."""
    import benchmarks

    failed = []
    for info in pkgutil.iter_modules(benchmarks.__path__):
        if info.name.startswith("bench_"):
            try:
                importlib.import_module(f"benchmarks.{info.name}")
            except ImportError as exc:  # a scenario whose code is not there yet is skipped
                failed.append(f"{info.name}: {exc}")
    return failed


def _child(name: str, use_peer: bool, quick: bool, queue: Any) -> None:
    """Run one repeat in a fresh process and report its figures and peak RSS."""
    try:
        discover()
        s = REGISTRY[name]
        fn = s.peer_run if use_peer else s.run
        assert fn is not None
        figures = fn(quick)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queue.put(("ok", figures, rss_mb))
    except Exception as exc:  # a failing scenario is reported, not fatal to the run
        queue.put(("error", f"{type(exc).__name__}: {exc}", 0.0))


def _repeat(name: str, use_peer: bool, quick: bool, repeats: int) -> tuple[Figures, float, str]:
    """Median figures and max peak RSS over `repeats` child processes."""
    ctx = mp.get_context("spawn")
    runs: list[Figures] = []
    peak = 0.0
    for _ in range(repeats):
        queue = ctx.Queue()
        proc = ctx.Process(target=_child, args=(name, use_peer, quick, queue))
        proc.start()
        status, payload, rss = queue.get()
        proc.join()
        if status != "ok":
            return {}, 0.0, str(payload)
        runs.append(payload)
        peak = max(peak, rss)
    keys = runs[0].keys()
    return {k: statistics.median(r[k] for r in runs) for k in keys}, peak, ""


def installed(package: str) -> str | None:
    """The installed version of a distribution, or None."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def run_scenario(s: Scenario, quick: bool, repeats: int) -> Result:
    """Run a scenario (and its peer when installed) and check its goals."""
    figures, rss, error = _repeat(s.name, False, quick, repeats)
    figures = {**figures, "peak_rss_mb": rss} if not error else {}
    result = Result(s.name, s.group, figures, rss, s.peer)
    if error:
        result.peer_note = f"error: {error}"
    if s.peer and s.peer_run:
        if installed(s.peer):
            peer_figs, peer_rss, peer_err = _repeat(s.name, True, quick, repeats)
            result.peer_figures = {**peer_figs, "peak_rss_mb": peer_rss} if not peer_err else {}
            result.peer_note = peer_err
        else:
            result.peer_note = "not installed (skipped)"
    for goal in s.goals:
        value = figures.get(goal.figure)
        result.goals.append(
            {"figure": goal.figure, "goal": goal.text(), "pass": value is not None and goal.met(value)}
        )
    return result


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(
            next(
                ln.split()[1]
                for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")
            )
        )
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    packages = [
        "coffer",
        "duckdb",
        "sqlcipher3",
        "pyarrow",
        "numpy",
        "ijson",
        "textual",
        "google-takeout-parser",
        "whatstk",
        "chat-miner",
    ]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": {p: installed(p) for p in packages},
    }


def table(results: list[Result]) -> str:
    """One table: scenario, figure, ours, peer, peer figure, ratio, goal, pass/fail."""
    rows = [("scenario", "figure", "ours", "peer", "peer figure", "ratio", "goal", "result")]
    for r in results:
        goals = {g["figure"]: g for g in r.goals}
        for fig, value in (r.figures or {"-": float("nan")}).items():
            peer_value = r.peer_figures.get(fig)
            ratio = f"{value / peer_value:.2f}" if peer_value else ""
            g = goals.get(fig)
            rows.append(
                (
                    r.name,
                    fig,
                    f"{value:.3g}",
                    r.peer or "",
                    f"{peer_value:.3g}"
                    if peer_value
                    else r.peer_note
                    if fig == next(iter(r.figures or {"-": 0}))
                    else "",
                    ratio,
                    g["goal"] if g else "",
                    ("pass" if g["pass"] else "FAIL") if g else "",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows)


def run_all(names: list[str] | None, quick: bool, repeats: int, out: Path) -> list[Result]:
    """Run the chosen scenarios, print the table, write the JSON."""
    for failure in discover():
        print(f"skipped {failure}", file=sys.stderr)
    unknown = [n for n in names or () if n not in REGISTRY]
    if unknown:
        raise SystemExit(f"no scenario {', '.join(unknown)}; there are: {', '.join(sorted(REGISTRY))}")
    chosen = [REGISTRY[n] for n in (names or sorted(REGISTRY))]
    started = time.time()
    results = [run_scenario(s, quick, repeats) for s in chosen]
    print(table(results))
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "machine": machine(),
        "quick": quick,
        "repeats": repeats,
        "elapsed_s": round(time.time() - started, 1),
        "results": [asdict(r) for r in results],
    }
    out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    return results
