"""The query engine: DuckDB in memory over the vault's tables, loaded lazily through Arrow.

Every catalog name exists from the start (empty, with its types), so DESCRIBE, SHOW TABLES and
views work at once; a table's rows are loaded the first time a statement names it. When the store's
generation moves (an import, a forget), everything loaded is dropped and reloaded on demand.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from vault import catalog, sandbox, snapshot
from vault import search as text_search
from vault.sandbox import QueryError
from vault.store import Store

HISTORY_KEEP = 1_000
# The dashboard's questions, written for speed: days are counted on integers, months from days
# (date_trunc on a million TIMESTAMPTZ values alone costs ~100 ms on a small machine).
DASHBOARD_QUERIES = {
    "per_platform_month": "SELECT platform, date_trunc('month', DATE '1970-01-01' + day::INTEGER) AS month, "
    "sum(n)::BIGINT AS n FROM (SELECT platform, epoch_ms(ts) // 86400000 AS day, count(*) AS n "
    "FROM timeline GROUP BY ALL) GROUP BY ALL ORDER BY month, platform",
    "top_contacts": "SELECT sender_id, sender_name, count(*) AS messages FROM messages_named "
    "WHERE NOT from_self AND sender_id IS NOT NULL GROUP BY ALL ORDER BY messages DESC, sender_id LIMIT 20",
    "visits_per_place": "SELECT coalesce(place_name, address, printf('%.4f, %.4f', lat, lon)) AS place, "
    "count(*) AS visits, round(sum(epoch(end_ts - start_ts)) / 3600, 1) AS hours "
    "FROM visits GROUP BY ALL ORDER BY visits DESC, place",
}
_NAME_PATTERN = re.compile(r"\b(" + "|".join(catalog.NAMES) + r")\b", re.IGNORECASE)

__all__ = ["ColumnInfo", "Engine", "QueryError", "TableInfo", "record_history"]


@dataclass(frozen=True)
class TableInfo:
    """A queryable table or view, its row count and what it holds."""

    name: str
    rows: int
    description: str = ""


@dataclass(frozen=True)
class ColumnInfo:
    """A column of a table or view: name, DuckDB type and a one-line description."""

    name: str
    type: str
    description: str = ""


class Engine:
    """A sandboxed in-memory DuckDB over one open store."""

    def __init__(self, store: Store, *, memory_limit: str | None = None) -> None:
        self.store = store
        self._lock = threading.RLock()
        self._loaded: set[str] = set()
        self._cancelled = threading.Event()
        self._conn = sandbox.connect(memory_limit)
        self._register_search()
        for spec in catalog.TABLES:
            self._expose(spec, spec.arrow_schema.empty_table())
            self._create_view(spec)
        for view in catalog.VIEWS:
            self._conn.execute(f'CREATE VIEW "{view.name}" AS {view.sql}')
        sandbox.lock(self._conn)
        self._generation = store.generation

    # -- running SQL ----------------------------------------------------------------------------

    def query(
        self, sql: str, *, limit: int | None = None, timeout_s: float | None = 30, params: Any = None
    ) -> pa.Table:
        """Run one read-only user statement in the sandbox; DuckDB's errors become QueryError."""
        sandbox.check_read_only(self._conn, sql)
        return self._run(sql, params or (), limit, timeout_s)

    def internal(self, sql: str, params: Any = ()) -> pa.Table:
        """Run trusted SQL from Coffer's own code on the same sandboxed connection."""
        return self._run(sql, params, None, None)

    def _run(self, sql: str, params: Any, limit: int | None, timeout_s: float | None) -> pa.Table:
        with self._lock:
            self._prepare(sql)
            self._cancelled.clear()
            with sandbox.deadline(self._conn, timeout_s) as fired:
                try:
                    return self._fetch(sql, params, limit)
                except duckdb.InterruptException:
                    raise QueryError(self._interrupt_reason(fired.is_set(), timeout_s)) from None
                except duckdb.OutOfMemoryException as exc:
                    raise QueryError(
                        f"the query needs more memory than the engine's limit (set "
                        f"{sandbox.ENV_MEMORY_LIMIT} to raise it): {sandbox.one_line(str(exc))}"
                    ) from None
                except duckdb.Error as exc:
                    raise QueryError(sandbox.one_line(str(exc))) from None

    def _interrupt_reason(self, timed_out: bool, timeout_s: float | None) -> str:
        if timed_out:
            return f"the query ran longer than {timeout_s:g} s and was stopped (timeout)"
        return "the query was cancelled"

    def _fetch(self, sql: str, params: Any, limit: int | None) -> pa.Table:
        relation = self._conn.sql(sql, params=list(params) or None)
        if relation is None:
            return pa.table({})
        if limit is not None:
            relation = relation.limit(int(limit))
        return relation.to_arrow_table()

    def interrupt(self) -> None:
        """Stop the running statement (the TUI's cancel); it fails with QueryError."""
        self._cancelled.set()
        self._conn.interrupt()

    # -- loading ---------------------------------------------------------------------------------

    def _prepare(self, sql: str) -> None:
        """Drop stale data, then load every table the statement may read."""
        generation = self.store.generation
        if generation != self._generation:
            for name in self._loaded:
                self._expose(catalog.TABLE_SPECS[name], catalog.TABLE_SPECS[name].arrow_schema.empty_table())
            self._loaded.clear()
            self._generation = generation
        for name in {m.lower() for m in _NAME_PATTERN.findall(sql)}:
            self._load(name)

    def _load(self, name: str) -> None:
        if name in catalog.VIEW_SPECS:
            for dependency in catalog.VIEW_SPECS[name].depends_on:
                self._load(dependency)
            return
        if name in self._loaded or name not in catalog.TABLE_SPECS:
            return
        spec = catalog.TABLE_SPECS[name]
        self._expose(spec, snapshot.load(self.store, spec))
        self._loaded.add(name)

    def _expose(self, spec: catalog.TableSpec, data: pa.Table) -> None:
        """Point the table's hidden Arrow registration at `data` (the view reads through it)."""
        self._conn.register(f"_coffer_{spec.name}", data)

    def _create_view(self, spec: catalog.TableSpec) -> None:
        """The public view over the hidden registration, with JSON columns typed as JSON."""
        select = ", ".join(
            f'"{c.name}"::JSON AS "{c.name}"' if c.type == "JSON" else f'"{c.name}"' for c in spec.columns
        )
        self._conn.execute(f'CREATE VIEW "{spec.name}" AS SELECT {select} FROM "_coffer_{spec.name}"')

    # -- full-text search ------------------------------------------------------------------------

    def _register_search(self) -> None:
        """`search_hits('words')` in SQL: the FTS5 hits as a table (table_name, record_id, ts, ...)."""
        hit = duckdb.struct_type(
            {
                "table_name": "VARCHAR",
                "record_id": "BIGINT",
                "ts_ms": "BIGINT",
                "rank": "DOUBLE",
                "snippet": "VARCHAR",
            }
        )
        self._conn.create_function(
            "_coffer_search",
            self._search_rows,
            ["VARCHAR", "BIGINT"],
            duckdb.list_type(hit),
            side_effects=True,
        )
        self._conn.execute(
            "CREATE MACRO search_hits(q, n := 100) AS TABLE SELECT h.table_name, h.record_id, "
            "epoch_ms(h.ts_ms)::TIMESTAMPTZ AS ts, h.rank, h.snippet "
            "FROM (SELECT unnest(_coffer_search(q, n)) AS h)"
        )

    def _search_rows(self, text: str, limit: int) -> list[dict[str, Any]]:
        return [
            {
                "table_name": h.table,
                "record_id": h.record_id,
                "ts_ms": h.ts,
                "rank": h.rank,
                "snippet": h.snippet,
            }
            for h in text_search.search(self.store, text, int(limit))
        ]

    def search(self, text: str, limit: int = 50) -> pa.Table:
        """The full-text hits for `text`, best first, as the same columns `search_hits` gives."""
        text_search.fts_query(text)
        return self.internal("SELECT * FROM search_hits(?, n := ?)", (text, int(limit)))

    # -- catalog ---------------------------------------------------------------------------------

    def table(self, name: str) -> pa.Table:
        """Every row of a table or view."""
        self._known(name)
        return self.internal(f'SELECT * FROM "{name}"')

    def tables(self) -> list[TableInfo]:
        """Every table and view with its row count (counted in the store, nothing loaded)."""
        counts = self.store.counts()
        counts["conversation_members"] = int(self.store.scalar("SELECT count(*) FROM conversation_members"))
        counts["messages_named"] = counts["messages"]
        counts["timeline"] = sum(counts[t] for t in ("messages", "posts", "visits", "trips", "locations"))
        counts["timeline"] += int(self.store.scalar("SELECT count(*) FROM interactions WHERE ts IS NOT NULL"))
        return [
            TableInfo(name, counts.get(name, 0), catalog.table_description(name)) for name in catalog.NAMES
        ]

    def columns(self, name: str) -> list[ColumnInfo]:
        """The columns of a table or view, with DuckDB's types and the catalog's descriptions."""
        self._known(name)
        with self._lock:
            described = self._conn.execute(f'DESCRIBE "{name}"').fetchall()
        return [ColumnInfo(str(r[0]), str(r[1]), catalog.description(name, str(r[0]))) for r in described]

    @staticmethod
    def _known(name: str) -> None:
        if name not in catalog.NAMES:
            raise QueryError(f"no table or view named {name!r} (see `coffer tables`)")

    def close(self) -> None:
        """Drop every loaded row and close DuckDB."""
        with self._lock:
            self._loaded.clear()
            self._conn.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def record_history(store: Store, sql: str, duration_ms: int, rows: int | None, error: str | None) -> None:
    """Keep a statement in the vault's query history (never in a file), the last 1,000 only."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO query_history(ts, sql, duration_ms, rows, error) VALUES (?, ?, ?, ?, ?)",
            (int(time.time() * 1000), sql, int(duration_ms), rows, error),
        )
        conn.execute(
            "DELETE FROM query_history WHERE id <= (SELECT max(id) FROM query_history) - ?", (HISTORY_KEEP,)
        )
