"""Import throughput end to end: a 1,000,000-point Records.json and a 200,000-message WhatsApp chat.

Each scenario imports a generated file into a fresh vault through `ingest.run` over
`importers.discover` (parse, encrypt, commit), the way `coffer import` does. The vault gets a
random data key directly (no Argon2: its fixed cost is not import throughput). Generated inputs
are synthetic, cached per (size, seed) in the temp folder so repeats do not regenerate them.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import importers
from benchmarks.harness import Figures, Goal, peer, scenario
from vault import ingest
from vault.demo import write_records_json, write_whatsapp_chat
from vault.records import ImportOptions
from vault.store import Store

SEED = 7
RECORDS_POINTS = 1_000_000
CHAT_MESSAGES = 200_000


def generated(kind: str, count: int, write: Callable[[Path, int, int], int]) -> Path:
    """A generated input file, written once per (kind, count, seed) and reused by later repeats."""
    folder = Path(tempfile.gettempdir()) / "coffer-bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}-{count}-{SEED}" / ("Records.json" if kind == "records" else "chat.txt")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + f".{os.getpid()}.part")
        write(partial, count, SEED)
        partial.replace(path)
    return path


def import_fresh(path: Path) -> tuple[float, ingest.FileResult]:
    """Seconds to import one file into a new vault, and its accounting."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store.create(Path(folder) / "bench.db", os.urandom(32))
        try:
            start = time.perf_counter()
            report = ingest.run(store, importers.discover([path]), options=ImportOptions())
            seconds = time.perf_counter() - start
        finally:
            store.close()
    (result,) = report.files
    if result.status != "imported":
        raise RuntimeError(f"{path.name}: {result.status} ({result.reason})")
    return seconds, result


def records_path(quick: bool) -> Path:
    return generated("records", 100_000 if quick else RECORDS_POINTS, write_records_json)


def chat_path(quick: bool) -> Path:
    return generated("whatsapp", 20_000 if quick else CHAT_MESSAGES, write_whatsapp_chat)


@scenario(
    "import.records_1m",
    group="import",
    goals=(Goal("points_per_s", 150_000, higher_is_better=True), Goal("peak_rss_mb", 600)),
)
def records_end_to_end(quick: bool) -> Figures:
    """Import a 1,000,000-point Records.json end to end (100,000 with --quick)."""
    seconds, result = import_fresh(records_path(quick))
    return {
        "seconds": seconds,
        "points": result.added.get("locations", 0),
        "points_per_s": result.seen / seconds,
    }


@peer("import.records_1m", "google-takeout-parser")
def records_takeout_parser(quick: bool) -> Figures:
    """google_takeout_parser reading the same Records.json (parse only: it stores nothing)."""
    from google_takeout_parser.parse_json import _parse_location_history

    path = records_path(quick)
    start = time.perf_counter()
    points = sum(1 for item in _parse_location_history(path) if not isinstance(item, Exception))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "points": points, "points_per_s": points / seconds}


@scenario(
    "import.whatsapp_200k",
    group="import",
    goals=(Goal("messages_per_s", 100_000, higher_is_better=True),),
)
def whatsapp_end_to_end(quick: bool) -> Figures:
    """Import a 200,000-message WhatsApp chat end to end (20,000 with --quick)."""
    seconds, result = import_fresh(chat_path(quick))
    messages = result.added.get("messages", 0)
    return {"seconds": seconds, "messages": messages, "messages_per_s": messages / seconds}


@scenario(
    "parse.whatsapp_200k",
    group="import",
    goals=(
        Goal("ratio_whatstk", 3, higher_is_better=True),
        Goal("ratio_chatminer", 3, higher_is_better=True),
    ),
)
def whatsapp_parse_vs_peers(quick: bool) -> Figures:
    """Our WhatsApp parser against whatstk and chat-miner on the same chat (medians of 3 inside)."""
    from benchmarks.bench_whatsapp_parse import run

    return {key: float(value) for key, value in run(chat_path(quick)).items()}
