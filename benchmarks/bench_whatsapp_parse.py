"""Time Coffer's WhatsApp parser against whatstk and chat-miner on the same chat text.

`run(path)` returns the median of three runs of each parser and the ratios (peer / ours).
`make_chat(path, messages)` builds a large chat by repeating shared fixtures' messages with
shifted dates, for measuring before the project's data generator exists:

    python -m benchmarks.bench_whatsapp_parse /tmp/wa_200k.txt 200000
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from importers import whatsapp
from vault.records import ImportOptions, Message, MessageBatch, SourceFile, expanded

_SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "whatsapp"
FIXTURES = (_SHARED / "whatstk__lorem.txt", _SHARED / "rwhatsapp__sample.txt")


def _source(path: Path) -> SourceFile:
    def sibling(rel: str) -> IO[bytes] | None:
        candidate = path.parent / rel
        return candidate.open("rb") if candidate.is_file() else None

    return SourceFile(path.name, path.name, path.stat().st_size, lambda: path.open("rb"), sibling)


def parse_coffer(path: Path) -> int:
    """Parse with Coffer's importer; return the number of messages."""
    records = whatsapp.parse(_source(path), ImportOptions())
    return sum(len(r.ts_ms) if type(r) is MessageBatch else type(r) is Message for r in records)


def parse_whatstk(path: Path) -> int:
    """Parse with whatstk (header detected automatically); return the number of rows."""
    from whatstk import WhatsAppChat

    return len(WhatsAppChat.from_source(filepath=str(path)).df)


def parse_chatminer(path: Path) -> int:
    """Parse with chat-miner; return the number of messages it kept."""
    os.environ.setdefault("TQDM_DISABLE", "1")  # its progress bars would fill the benchmark's output
    from chatminer.chatparsers import WhatsAppParser

    logging.getLogger("chatminer.chatparsers").setLevel(logging.ERROR)
    parser = WhatsAppParser(str(path))
    parser.parse_file()
    return len(parser.parsed_messages._parsed_messages)


def _median_seconds(parse: Callable[[Path], int], path: Path) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(3):
        start = time.perf_counter()
        count = parse(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), count


def run(path: Path) -> dict[str, float | int]:
    """Time the three parsers on `path`; ratios above 1 mean Coffer is faster."""
    ours, ours_count = _median_seconds(parse_coffer, path)
    whatstk_s, whatstk_count = _median_seconds(parse_whatstk, path)
    chatminer_s, chatminer_count = _median_seconds(parse_chatminer, path)
    return {
        "messages": ours_count,
        "coffer_s": round(ours, 3),
        "whatstk_s": round(whatstk_s, 3),
        "chatminer_s": round(chatminer_s, 3),
        "whatstk_messages": whatstk_count,
        "chatminer_messages": chatminer_count,
        "ratio_whatstk": round(whatstk_s / ours, 2),
        "ratio_chatminer": round(chatminer_s / ours, 2),
    }


def make_chat(path: Path, messages: int) -> Path:
    """Write an Android-style chat of `messages` messages: the fixtures' lines again, later on."""
    bodies = [
        (record.sender, record.text or "<Media omitted>")
        for fixture in FIXTURES
        for record in expanded(whatsapp.parse(_source(fixture), ImportOptions()))
        if isinstance(record, Message)
    ]
    stamp = datetime(2019, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8") as out:
        for index in range(messages):
            sender, text = bodies[index % len(bodies)]
            head = stamp.strftime("%d/%m/%Y, %H:%M - ")
            out.write(f"{head}{sender}: {text}\n" if sender else f"{head}{text}\n")
            stamp += timedelta(seconds=97 + (index % 7) * 13)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1])
    if len(sys.argv) > 2:
        make_chat(target, int(sys.argv[2]))
    print(run(target))
