"""Loading the store's tables as Arrow, through columnar snapshots kept encrypted in the store.

Turning a million rows into Python tuples costs seconds, so the first load after a write builds
an Arrow IPC (zstd) snapshot of the table inside the vault's `snapshots` table, tagged with the
store's generation. A snapshot whose generation differs from the store's is never read: every
write bumps the generation (and deletes the snapshots), so forgotten data never comes back.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from vault.catalog import ARROW_TYPES, TableSpec
from vault.errors import VaultBusy
from vault.locations import read_all
from vault.store import Store, busy_timeout_ms

log = logging.getLogger(__name__)

SNAPSHOT_MIN_ROWS = 2_000  # smaller tables load from rows faster than a snapshot round trip
SNAPSHOT_BUSY_MS = 200
_WRITE_OPTIONS = ipc.IpcWriteOptions(compression="zstd")


def load(store: Store, spec: TableSpec) -> pa.Table:
    """The table as Arrow with the catalog's column types."""
    if spec.source == "locations":
        return _locations(store, spec)
    generation = store.generation
    cached = read_snapshot(store, spec.name, generation)
    if cached is not None and cached.schema.equals(spec.arrow_schema):
        return cached
    table = _from_rows(store, spec)
    if table.num_rows >= SNAPSHOT_MIN_ROWS:
        write_snapshot(store, spec.name, generation, table)
    return table


def _locations(store: Store, spec: TableSpec) -> pa.Table:
    with store.lock, store.errors():
        fixes = read_all(store.conn)
    columns = [_convert(fixes.column(c.name), c.type) for c in spec.columns]
    return pa.Table.from_arrays(columns, schema=spec.arrow_schema)


def _from_rows(store: Store, spec: TableSpec) -> pa.Table:
    # [name], not "name": SQLite reads an unknown double-quoted name as a string literal
    names = ", ".join(f"[{c.name}]" for c in spec.columns)
    rows = store.rows(f'SELECT {names} FROM "{spec.source}"')
    values = list(zip(*rows, strict=True)) if rows else [() for _ in spec.columns]
    columns = [_column(list(v), c.type) for v, c in zip(values, spec.columns, strict=True)]
    return pa.Table.from_arrays(columns, schema=spec.arrow_schema)


def _column(values: list[object], kind: str) -> pa.Array:
    """An Arrow array of the catalog type from the store's values (ints for times and flags)."""
    if kind in ("TIMESTAMPTZ", "BOOLEAN"):
        return _convert(pa.array(values, pa.int64()), kind)
    if kind == "DOUBLE":
        return pa.array([None if v is None else float(v) for v in values], pa.float64())  # type: ignore[arg-type]
    if kind in ("VARCHAR", "JSON"):
        return pa.array([None if v is None else str(v) for v in values], pa.string())
    return pa.array(values, ARROW_TYPES[kind])


def _convert(array: pa.Array | pa.ChunkedArray, kind: str) -> pa.Array | pa.ChunkedArray:
    """Cast a column of ints to the catalog type (times are ms UTC, flags 0/1)."""
    if kind == "TIMESTAMPTZ" and pa.types.is_integer(array.type):
        return pc.cast(array, pa.int64()).cast(ARROW_TYPES[kind])
    if kind == "BOOLEAN" and pa.types.is_integer(array.type):
        return pc.not_equal(array, 0)
    return array.cast(ARROW_TYPES[kind])


def read_snapshot(store: Store, name: str, generation: int) -> pa.Table | None:
    """The snapshot of `name` made at `generation`, or None (a stale one is never returned)."""
    data = store.scalar("SELECT data FROM snapshots WHERE name = ? AND generation = ?", (name, generation))
    if data is None:
        return None
    try:
        return ipc.open_stream(bytes(data)).read_all()
    except pa.ArrowInvalid:
        log.warning("snapshot of %s unreadable; rebuilding it", name)
        return None


def write_snapshot(store: Store, name: str, generation: int, table: pa.Table) -> None:
    """Keep `table` as the snapshot of `name`, unless the store moved on or is busy writing."""
    sink = io.BytesIO()
    with ipc.new_stream(sink, table.schema, options=_WRITE_OPTIONS) as writer:
        writer.write_table(table)
    with (
        store.lock,
        contextlib.suppress(VaultBusy),
        _patient(store, SNAPSHOT_BUSY_MS),
        store.transaction() as conn,
    ):
        if store.generation != generation:
            return
        conn.execute(
            "INSERT INTO snapshots(name, generation, data) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET generation = excluded.generation, data = excluded.data",
            (name, generation, sink.getvalue()),
        )


@contextlib.contextmanager
def _patient(store: Store, busy_ms: int) -> Iterator[None]:
    """A short busy timeout: a snapshot is an optimisation, never worth waiting for a writer."""
    store.conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    try:
        yield
    finally:
        store.conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
