"""Throughput of the share operators on synthetic data built here from a seed.

Scenarios (goals from the share issue): 1,000,000 location rows through truncate + privacy_zone
+ snap (>= 200,000 rows/s), and 200,000 chat messages through redact + pseudonymize
(>= 50,000 messages/s). Run: .venv/bin/python benchmarks/bench_anonymize.py [--scale 1.0]
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
import pyarrow as pa

from vault.anonymize import OperatorContext, apply_policy
from vault.anonymize.keys import derive
from vault.policy import load_policy

HOME = (52.5200, 13.4050)
WORK = (52.4990, 13.4450)
LOCATION_POLICY = """
name = "bench-locations"
recipient = "bench"
dataset = "locations"

[columns.ts]
op = "truncate"
to = "hour"

[[columns.lat]]
op = "privacy_zone"
places = ["home", "work"]
radius_m = 400.0

[[columns.lat]]
op = "snap"
res = 8

[columns.lon]
"""
CHAT_POLICY = """
name = "bench-chats"
recipient = "bench"
dataset = "messages"

[columns.ts]

[columns.sender_id]
op = "pseudonymize"

[columns.text]
op = "redact"
"""
WORDS = [
    "ok",
    "yes",
    "no",
    "maybe",
    "tomorrow",
    "tonight",
    "see",
    "you",
    "later",
    "thanks",
    "love",
    "it",
    "haha",
    "what",
    "when",
    "where",
    "are",
    "we",
    "going",
    "to",
    "the",
    "cinema",
    "dinner",
    "at",
    "mine",
    "running",
    "late",
    "train",
    "delayed",
    "call",
    "me",
    "back",
    "please",
    "sure",
]


def _context(policy_sha: str, names: tuple[str, ...]) -> OperatorContext:
    key, seed = derive(b"\x01" * 32, "bench", policy_sha)
    places = {"home": HOME, "work": WORK}
    return OperatorContext(key, seed, names, frozenset({1}), places, "Europe/Berlin")


def location_table(rows: int, seed: int) -> pa.Table:
    """A day-by-day random walk around home and work, one fix every 30 s."""
    rng = np.random.default_rng(seed)
    ts = 1_700_000_000_000 + np.arange(rows, dtype=np.int64) * 30_000
    anchor = np.where((ts // 3_600_000) % 24 < 9, 0, 1)
    lat = np.where(anchor == 0, HOME[0], WORK[0]) + np.cumsum(rng.normal(0, 2e-5, rows)) % 0.05
    lon = np.where(anchor == 0, HOME[1], WORK[1]) + np.cumsum(rng.normal(0, 3e-5, rows)) % 0.05
    stamps = pa.array(ts, pa.int64()).cast(pa.timestamp("ms", tz="UTC"))
    return pa.table({"ts": stamps, "lat": lat, "lon": lon})


def _message(rng: random.Random, names: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(2, 20))]
    roll = rng.random()
    extras = {
        0.05: f"+49 30 {rng.randint(1000000, 9999999)}",
        0.08: f"0171 {rng.randint(1000000, 9999999)}",
        0.11: f"name{rng.randint(1, 999)}@example.org",
        0.14: f"https://example.com/{rng.randint(1, 10**6)}",
        0.18: rng.choice(names),
        0.20: f"{52 + rng.random():.5f}, {13 + rng.random():.5f}",
    }
    for bound, extra in extras.items():
        if roll < bound:
            words.insert(rng.randint(0, len(words)), extra)
            break
    return " ".join(words)


def message_table(rows: int, seed: int, names: list[str]) -> pa.Table:
    """Chat messages with one identifier in about a fifth of them."""
    rng = random.Random(seed)
    texts = [_message(rng, names) for _ in range(rows)]
    senders = [rng.randint(1, 400) for _ in range(rows)]
    ts = pa.array(np.arange(rows, dtype=np.int64) * 60_000, pa.int64())
    return pa.table({"ts": ts, "sender_id": pa.array(senders, pa.int64()), "text": texts})


def _time(label: str, rows: int, goal: float, run: object) -> None:
    start = time.perf_counter()
    out = run()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    rate = rows / seconds
    verdict = "ok" if rate >= goal else "BELOW GOAL"
    print(
        f"{label:<44} {rows:>9,} rows {seconds:7.2f} s {rate:>11,.0f} rows/s "
        f"(goal {goal:,.0f}: {verdict}); {out.num_rows:,} rows out"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    names = [f"Person{i} Surname{i}" for i in range(400)] + ["Owner Person"]
    location_rows, message_rows = int(1_000_000 * args.scale), int(200_000 * args.scale)

    policy = load_policy(LOCATION_POLICY)
    table = location_table(location_rows, args.seed)
    ctx = _context(policy.sha256, ())
    _time(
        "locations: truncate + privacy_zone + snap",
        location_rows,
        200_000,
        lambda: apply_policy(table, policy, ctx),
    )

    chat_policy = load_policy(CHAT_POLICY)
    messages = message_table(message_rows, args.seed, names)
    chat_ctx = _context(chat_policy.sha256, tuple(names))
    _time(
        "messages: redact + pseudonymize",
        message_rows,
        50_000,
        lambda: apply_policy(messages, chat_policy, chat_ctx),
    )


if __name__ == "__main__":
    main()
