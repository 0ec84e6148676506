"""Forgetting an import: delete what only it brought, keep what other imports brought too."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from vault.errors import CofferError
from vault.locations import decode_chunk, encode_chunk
from vault.store import Store

PARENT_TABLES = ("messages", "posts", "interactions", "profile_facts", "visits", "trips")
CHILD_TABLES = ("attachments", "reactions")


class NoSuchImport(CofferError):
    """The import id is not in the vault."""


def forget_import(store: Store, import_id: int) -> Counter[str]:
    """Delete import `import_id` and every record no other import brought; returns rows deleted."""
    deleted: Counter[str] = Counter()
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM imports WHERE id = ?", (import_id,)).fetchone() is None:
            raise NoSuchImport(f"no import {import_id} (see `coffer imports`)")
        for table in PARENT_TABLES:
            _rehome(conn, table, import_id)
        for table in CHILD_TABLES:
            _rehome_children(conn, table, import_id)
        _drop_text_index(conn, import_id)
        for table in (*CHILD_TABLES, *PARENT_TABLES):
            deleted[table] += conn.execute(f"DELETE FROM {table} WHERE import_id = ?", (import_id,)).rowcount
        deleted["locations"] = _forget_locations(conn, import_id)
        deleted["conversations"] = _drop_orphans(conn, import_id)
        deleted["people"] = drop_unreferenced_people(conn, import_id)
        conn.execute("DELETE FROM record_sources WHERE import_id = ?", (import_id,))
        conn.execute("DELETE FROM imports WHERE id = ?", (import_id,))
        store.bump_generation()
    purge_text_index(store)
    store.checkpoint()
    return Counter({k: v for k, v in deleted.items() if v})


def purge_text_index(store: Store) -> None:
    """Merge the full-text index's segments, so deleted rows' words leave the file too."""
    with store.transaction() as conn:
        conn.execute("INSERT INTO text_index(text_index) VALUES ('optimize')")


def _rehome(conn: Any, table: str, import_id: int) -> None:
    """Records another import also brought now belong to the earliest such import."""
    conn.execute(
        f"UPDATE {table} SET import_id = (SELECT min(s.import_id) FROM record_sources s "
        f"WHERE s.table_name = ? AND s.record_id = {table}.id AND s.import_id != ?) "
        f"WHERE import_id = ? AND id IN (SELECT record_id FROM record_sources "
        f"WHERE table_name = ? AND import_id != ?)",
        (table, import_id, import_id, table, import_id),
    )
    conn.execute(
        f"DELETE FROM record_sources WHERE table_name = ? AND (record_id, import_id) IN "
        f"(SELECT id, import_id FROM {table} WHERE id IN "
        f"(SELECT record_id FROM record_sources WHERE table_name = ?))",
        (table, table),
    )


def _rehome_children(conn: Any, table: str, import_id: int) -> None:
    """Attachments and reactions follow their message or post when it survives."""
    for parent in ("messages", "posts"):
        conn.execute(
            f"UPDATE {table} SET import_id = (SELECT p.import_id FROM {parent} p WHERE p.id = target_id) "
            f"WHERE import_id = ? AND target_table = ? AND target_id IN "
            f"(SELECT id FROM {parent} WHERE import_id != ?)",
            (import_id, parent, import_id),
        )


def _drop_text_index(conn: Any, import_id: int) -> None:
    for table in ("messages", "posts"):
        rowids = [
            row[0]
            for row in conn.execute(
                f"SELECT m.rowid FROM text_index_map m JOIN {table} t ON t.id = m.record_id "
                f"WHERE m.table_name = ? AND t.import_id = ?",
                (table, import_id),
            )
        ]
        for rowid in rowids:
            conn.execute("DELETE FROM text_index WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM text_index_map WHERE rowid = ?", (rowid,))


def _forget_locations(conn: Any, import_id: int) -> int:
    """Delete this import's chunks, first moving fixes other imports also brought into new chunks."""
    deleted = 0
    chunks = conn.execute(
        "SELECT id, platform, data FROM location_chunks WHERE import_id = ?", (import_id,)
    ).fetchall()
    for chunk_id, platform, data in chunks:
        table = decode_chunk(data)
        owners = _other_owners(conn, table["id"].to_numpy(), import_id)
        for owner, rows in owners.items():
            kept = table.take(rows)
            ts = kept["ts"].to_numpy()
            conn.execute(
                "INSERT INTO location_chunks(platform, import_id, first_ts, last_ts, rows, data) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (platform, owner, int(ts.min()), int(ts.max()), kept.num_rows, encode_chunk(kept)),
            )
            conn.executemany(
                "DELETE FROM record_sources WHERE table_name = 'locations' AND record_id = ? AND import_id = ?",
                ((int(rid), owner) for rid in kept["id"].to_numpy()),
            )
        deleted += table.num_rows - sum(len(r) for r in owners.values())
        conn.execute("DELETE FROM location_chunks WHERE id = ?", (chunk_id,))
    return deleted


def _other_owners(conn: Any, ids: np.ndarray, import_id: int) -> dict[int, list[int]]:
    """Row positions of fixes another import also brought, grouped by their new owner."""
    lo, hi = int(ids.min()), int(ids.max())
    owner_of: dict[int, int] = {}
    for record_id, other in conn.execute(
        "SELECT record_id, min(import_id) FROM record_sources WHERE table_name = 'locations' "
        "AND record_id BETWEEN ? AND ? AND import_id != ? GROUP BY record_id",
        (lo, hi, import_id),
    ):
        owner_of[int(record_id)] = int(other)
    grouped: dict[int, list[int]] = {}
    for position, rid in enumerate(ids.tolist()):
        owner = owner_of.get(rid)
        if owner is not None:
            grouped.setdefault(owner, []).append(position)
    return grouped


def _drop_orphans(conn: Any, import_id: int) -> int:
    return int(
        conn.execute(
            "DELETE FROM conversations WHERE import_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id)",
            (import_id,),
        ).rowcount
    )


def drop_unreferenced_people(conn: Any, import_id: int | None = None) -> int:
    """Delete people nothing refers to any more (optionally only those an import created)."""
    scope = "import_id = ? AND " if import_id is not None else ""
    params = (import_id,) if import_id is not None else ()
    return int(
        conn.execute(
            f"DELETE FROM people WHERE {scope}"
            "NOT EXISTS (SELECT 1 FROM messages WHERE sender_id = people.id) AND "
            "NOT EXISTS (SELECT 1 FROM posts WHERE author_id = people.id) AND "
            "NOT EXISTS (SELECT 1 FROM reactions WHERE person_id = people.id) AND "
            "NOT EXISTS (SELECT 1 FROM conversation_members WHERE person_id = people.id) AND "
            "NOT EXISTS (SELECT 1 FROM identities i WHERE i.person_id = people.id "
            "AND coalesce(i.import_id, -1) != coalesce(people.import_id, -1))",
            params,
        ).rowcount
    )
