"""Full-text search over messages and posts with the store's FTS5 index (contentless).

The index holds no copy of the text: hits are looked up in their tables for the time and the
snippet. Records are indexed lazily, on the first search after they arrived; a marker in `meta`
remembers the generation that was fully indexed, so a search on an unchanged vault starts at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vault.errors import UsageError
from vault.store import Store

INDEXED_TEXT = {
    "messages": "t.text",
    "posts": "trim(coalesce(t.title, '') || ' ' || coalesce(t.text, ''))",
}
INDEX_MARK = "text_index_generation"
BATCH = 5_000
SNIPPET_BEFORE = 30
SNIPPET_AFTER = 90
_TOKEN = re.compile(r"\w+\*?", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    """One record whose text matches: where it is, when, how well it matched, and around what."""

    table: str
    record_id: int
    ts: int | None
    rank: float
    snippet: str


def search(store: Store, text: str, limit: int = 50) -> list[Hit]:
    """Messages and posts matching every word of `text` (a trailing * matches a prefix), best first."""
    query = fts_query(text)
    ensure_indexed(store)
    ranked = store.rows(
        "SELECT m.table_name, m.record_id, r.rank FROM "
        "(SELECT rowid, rank FROM text_index WHERE text_index MATCH ? ORDER BY rank LIMIT ?) r "
        "JOIN text_index_map m ON m.rowid = r.rowid ORDER BY r.rank",
        (query, int(limit)),
    )
    words = [w.rstrip("*") for w in _TOKEN.findall(text)]
    details = _details(store, ranked)
    hits = []
    for table, record_id, rank in ranked:
        found = details.get((table, record_id))
        if found is not None:
            ts, body = found
            hits.append(Hit(table, int(record_id), ts, float(rank), snippet(body, words)))
    return hits


def fts_query(text: str) -> str:
    """The FTS5 query for free text: each word quoted (no operators reach FTS5), all required."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        raise UsageError("give at least one word to search for")
    return " ".join(f'"{t.rstrip("*")}"' + (" *" if t.endswith("*") else "") for t in tokens)


def ensure_indexed(store: Store) -> int:
    """Index the messages and posts not in the index yet; returns how many were added."""
    if store.get_meta(INDEX_MARK) == str(store.generation):
        return 0
    added = 0
    with store.transaction() as conn:
        for table, expression in INDEXED_TEXT.items():
            added += _index_table(conn, table, expression)
        store.set_meta(INDEX_MARK, str(store.generation))
    return added


def _index_table(conn: Any, table: str, expression: str) -> int:
    cursor = conn.execute(
        f"SELECT t.id, {expression} FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM text_index_map m "
        f"WHERE m.table_name = ? AND m.record_id = t.id) AND coalesce({expression}, '') != ''",
        (table,),
    )
    rows = cursor.fetchall()
    next_rowid = int(conn.execute("SELECT coalesce(max(rowid), 0) + 1 FROM text_index_map").fetchone()[0])
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        rowids = range(next_rowid + start, next_rowid + start + len(batch))
        conn.executemany(
            "INSERT INTO text_index_map(rowid, table_name, record_id) VALUES (?, ?, ?)",
            ((rowid, table, record_id) for rowid, (record_id, _) in zip(rowids, batch, strict=True)),
        )
        conn.executemany(
            "INSERT INTO text_index(rowid, text) VALUES (?, ?)",
            ((rowid, body) for rowid, (_, body) in zip(rowids, batch, strict=True)),
        )
    return len(rows)


def _details(store: Store, ranked: list[tuple[Any, ...]]) -> dict[tuple[str, int], tuple[int | None, str]]:
    """(table, id) -> (ts, text) for the hits that still exist."""
    found: dict[tuple[str, int], tuple[int | None, str]] = {}
    for table, expression in INDEXED_TEXT.items():
        ids = [int(r[1]) for r in ranked if r[0] == table]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join("?" * len(part))
            for record_id, ts, body in store.rows(
                f"SELECT t.id, t.ts, {expression} FROM {table} t WHERE t.id IN ({marks})", tuple(part)
            ):
                found[(table, int(record_id))] = (None if ts is None else int(ts), str(body or ""))
    return found


def snippet(body: str, words: list[str]) -> str:
    """A short extract of `body` around the first word found (the start when none is)."""
    flat = " ".join(body.split())
    folded = flat.casefold()
    positions = [p for p in (folded.find(w.casefold()) for w in words if w) if p >= 0]
    at = min(positions) if positions else 0
    start = max(0, at - SNIPPET_BEFORE)
    end = min(len(flat), at + SNIPPET_AFTER)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")
