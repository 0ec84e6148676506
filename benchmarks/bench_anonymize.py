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

from benchmarks.harness import Figures, Goal, scenario
from vault.anonymize import OperatorContext, apply_policy
from vault.anonymize.keys import derive
from vault.demo import population
from vault.policy import load_policy

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
randomize = true

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


def _context(
    policy_sha: str, names: tuple[str, ...], places: dict[str, tuple[float, float]] | None = None
) -> OperatorContext:
    key, seed = derive(b"\x01" * 32, "bench", policy_sha)
    return OperatorContext(key, seed, names, frozenset({1}), places or {}, "Europe/Berlin")


def location_table(rows: int, seed: int) -> tuple[pa.Table, dict[str, tuple[float, float]]]:
    """One generated person's fixes (the persona generator's population mode), and their places."""
    person = population(1, seed=seed, days=max(2, rows // 150))[0]
    ts = person.ts_ms[:rows]
    stamps = pa.array(ts, pa.int64()).cast(pa.timestamp("ms", tz="UTC"))
    table = pa.table({"ts": stamps, "lat": person.lat[:rows], "lon": person.lon[:rows]})
    return table, {"home": (person.home_lat, person.home_lon), "work": (person.work_lat, person.work_lon)}


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


NAMES = [f"Person{i} Surname{i}" for i in range(400)] + ["Owner Person"]


@scenario(
    "anonymize.locations_1m", group="share", goals=(Goal("rows_per_s", 200_000, higher_is_better=True),)
)
def locations_scenario(quick: bool) -> Figures:
    """1,000,000 fixes of one generated person through truncate + privacy_zone (randomised) + snap."""
    rows = 100_000 if quick else 1_000_000
    policy = load_policy(LOCATION_POLICY)
    table, places = location_table(rows, 7)
    ctx = _context(policy.sha256, (), places)
    start = time.perf_counter()
    out = apply_policy(table, policy, ctx)
    seconds = time.perf_counter() - start
    return {"rows_per_s": rows / seconds, "seconds": seconds, "rows_kept": float(out.num_rows)}


@scenario(
    "anonymize.messages_200k", group="share", goals=(Goal("rows_per_s", 50_000, higher_is_better=True),)
)
def messages_scenario(quick: bool) -> Figures:
    """200,000 chat messages through redact (401 known names) + pseudonymize."""
    rows = 20_000 if quick else 200_000
    policy = load_policy(CHAT_POLICY)
    messages = message_table(rows, 7, NAMES)
    ctx = _context(policy.sha256, tuple(NAMES))
    start = time.perf_counter()
    apply_policy(messages, policy, ctx)
    seconds = time.perf_counter() - start
    return {"rows_per_s": rows / seconds, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    names = NAMES
    location_rows, message_rows = int(1_000_000 * args.scale), int(200_000 * args.scale)

    policy = load_policy(LOCATION_POLICY)
    table, places = location_table(location_rows, args.seed)
    ctx = _context(policy.sha256, (), places)
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
