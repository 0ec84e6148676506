"""Location fixes, stored columnar: encrypted chunks of Arrow IPC inside the vault.

A million fixes as rows cost seconds to insert and seconds to load back through Python tuples;
as chunks they are written at parse speed and handed to DuckDB without touching Python objects.
Two fixes are the same fix when their times match to the second and their positions lie within
1 m, whichever export brought them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from vault.records import Location, LocationBatch

SAME_FIX_M = 1.0
M_PER_DEG = 111_320.0
ID_SHIFT = 8  # id = ts << 8 | n: up to 256 distinct fixes in one millisecond

FIX_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("ts", pa.int64()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("accuracy_m", pa.float64()),
        ("altitude_m", pa.float64()),
        ("velocity_mps", pa.float64()),
        ("heading_deg", pa.float64()),
        ("source", pa.string()),
        ("device", pa.string()),
        ("activity", pa.string()),
    ]
)
_WRITE_OPTIONS = ipc.IpcWriteOptions(compression=pa.Codec("zstd", compression_level=1))


def encode_chunk(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with ipc.new_stream(sink, FIX_SCHEMA, options=_WRITE_OPTIONS) as writer:
        writer.write_table(table)
    return sink.getvalue()


def decode_chunk(data: bytes) -> pa.Table:
    return ipc.open_stream(data).read_all()


def as_batch(fixes: list[Location]) -> LocationBatch:
    """Location records as one columnar batch (one transpose, in C)."""
    return LocationBatch(*zip(*fixes, strict=True))


def batch_table(
    batch: LocationBatch, ids: np.ndarray, ts: np.ndarray, lat: np.ndarray, lon: np.ndarray
) -> pa.Table:
    """Arrow columns of a batch, with their ids (the numeric key columns already as numpy)."""
    n = len(ids)
    arrays: list[pa.Array] = [
        pa.array(ids, pa.int64()),
        pa.array(ts, pa.int64()),
        pa.array(lat, pa.float64()),
        pa.array(lon, pa.float64()),
    ]
    for values, field in zip(batch[3:], list(FIX_SCHEMA)[4:], strict=True):
        arrays.append(_column(values, field.type, n))
    return pa.Table.from_arrays(arrays, schema=FIX_SCHEMA)


def _column(values: Sequence[Any] | None, kind: pa.DataType, n: int) -> pa.Array:
    """One column; a column that is absent or all None (common: no velocity) costs nothing."""
    if values is None:
        return pa.nulls(n, kind)
    values = values if isinstance(values, list | tuple) else list(values)
    first = values[0]
    if first is None and values.count(None) == len(values):
        return pa.nulls(len(values), kind)
    if kind == pa.string() and values.count(first) == len(values):
        return pa.repeat(pa.scalar(first, kind), len(values))
    return pa.array(values, type=kind)


@dataclass
class Known:
    """Fixes already stored around a time range, sorted by second."""

    second: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    ids: np.ndarray
    import_ids: np.ndarray


class LocationSink:
    """Writes one import's fixes as chunks, skipping fixes the vault already holds."""

    def __init__(self, conn: Any, platform: str, import_id: int) -> None:
        self.conn = conn
        self.platform = platform
        self.import_id = import_id
        self.added = 0
        self.known_from_other_imports = 0

    def write(self, fixes: list[Location]) -> None:
        self.write_batch(as_batch(fixes))

    def write_batch(self, batch: LocationBatch) -> None:
        """Store the batch's fixes that the vault does not hold yet, as one chunk."""
        ts = np.asarray(batch.ts_ms, np.int64)
        lat = np.asarray(batch.lat, np.float64)
        lon = np.asarray(batch.lon, np.float64)
        if not ts.size:
            return
        second = ts // 1000
        known = self._known(int(ts.min()), int(ts.max()))
        twin = _match(second, lat, lon, known)
        fresh = twin < 0
        fresh &= ~_repeats_within(second, lat, lon, fresh)
        self._record_sources(known, twin)
        if not fresh.any():
            return
        if fresh.all():
            table = batch_table(batch, _assign_ids(ts, known.ids), ts, lat, lon)
        else:
            keep = np.flatnonzero(fresh)
            whole = batch_table(batch, np.zeros(ts.size, np.int64), ts, lat, lon).take(keep)
            ids = _assign_ids(ts[keep], known.ids)
            table = whole.set_column(0, "id", pa.array(ids, pa.int64()))
        self._insert_chunk(table)

    def _known(self, first: int, last: int) -> Known:
        rows = self.conn.execute(
            "SELECT import_id, data FROM location_chunks WHERE first_ts <= ? AND last_ts >= ?",
            (last - last % 1000 + 999, first - first % 1000),
        ).fetchall()
        parts = []
        for import_id, data in rows:
            table = decode_chunk(data).select(["id", "ts", "lat", "lon"])
            parts.append((table, import_id))
        if not parts:
            empty = np.empty(0, np.int64)
            return Known(empty, np.empty(0), np.empty(0), empty, empty)
        ts = np.concatenate([t["ts"].to_numpy() for t, _ in parts])
        order = np.argsort(ts // 1000, kind="stable")
        return Known(
            second=(ts // 1000)[order],
            lat=np.concatenate([t["lat"].to_numpy() for t, _ in parts])[order],
            lon=np.concatenate([t["lon"].to_numpy() for t, _ in parts])[order],
            ids=np.concatenate([t["id"].to_numpy() for t, _ in parts])[order],
            import_ids=np.concatenate([np.full(t.num_rows, i, np.int64) for t, i in parts])[order],
        )

    def _record_sources(self, known: Known, twin: np.ndarray) -> None:
        matched = twin[twin >= 0]
        if not matched.size:
            return
        other = matched[known.import_ids[matched] != self.import_id]
        self.known_from_other_imports += int(other.size)
        self.conn.executemany(
            "INSERT OR IGNORE INTO record_sources(table_name, record_id, import_id) VALUES (?,?,?)",
            (("locations", int(rid), self.import_id) for rid in known.ids[other]),
        )

    def _insert_chunk(self, table: pa.Table) -> None:
        ts = table["ts"].to_numpy()
        self.conn.execute(
            "INSERT INTO location_chunks(platform, import_id, first_ts, last_ts, rows, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                self.platform,
                self.import_id,
                int(ts.min()),
                int(ts.max()),
                table.num_rows,
                encode_chunk(table),
            ),
        )
        self.added += table.num_rows


def _match(second: np.ndarray, lat: np.ndarray, lon: np.ndarray, known: Known) -> np.ndarray:
    """For each fix, the index of a known fix at the same second within 1 m, else -1."""
    twin = np.full(second.size, -1, np.int64)
    if not known.second.size:
        return twin
    start = np.searchsorted(known.second, second, "left")
    end = np.searchsorted(known.second, second, "right")
    scale = np.cos(np.radians(lat)) * M_PER_DEG
    for offset in range(int((end - start).max(initial=0))):
        j = start + offset
        open_ = (j < end) & (twin < 0)
        jj = np.where(open_, j, 0)
        dy = (known.lat[jj] - lat) * M_PER_DEG
        dx = (known.lon[jj] - lon) * scale
        close = open_ & (dx * dx + dy * dy <= SAME_FIX_M * SAME_FIX_M)
        twin[close] = jj[close]
    return twin


def _repeats_within(second: np.ndarray, lat: np.ndarray, lon: np.ndarray, fresh: np.ndarray) -> np.ndarray:
    """Fixes that repeat an earlier fresh fix of the same batch (same second, within 1 m)."""
    repeat = np.zeros(second.size, bool)
    candidates = np.flatnonzero(fresh)
    seconds, counts = np.unique(second[candidates], return_counts=True)
    crowded = set(seconds[counts > 1].tolist())
    if not crowded:
        return repeat
    seen: dict[int, list[int]] = {}
    for i in candidates:
        s = int(second[i])
        if s not in crowded:
            continue
        scale = np.cos(np.radians(lat[i])) * M_PER_DEG
        for j in seen.get(s, []):
            dy, dx = (lat[j] - lat[i]) * M_PER_DEG, (lon[j] - lon[i]) * scale
            if dx * dx + dy * dy <= SAME_FIX_M * SAME_FIX_M:
                repeat[i] = True
                break
        else:
            seen.setdefault(s, []).append(int(i))
    return repeat


def _assign_ids(ts: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """ts << 8, bumped past ids already taken by other fixes of the same millisecond."""
    ids = ts << ID_SHIFT
    clash_mask = _duplicated(ids)
    if taken.size:
        clash_mask |= np.isin(ids, taken)
    clash = np.flatnonzero(clash_mask)
    if not clash.size:
        return ids
    used = set(taken.tolist()) | set(ids.tolist())
    for i in clash:
        candidate = int(ids[i])
        while candidate in used:
            candidate += 1
        ids[i] = candidate
        used.add(candidate)
    return ids


def _duplicated(values: np.ndarray) -> np.ndarray:
    """True for every occurrence of a value after its first."""
    if values.size < 2 or bool(np.all(values[1:] > values[:-1])):  # sorted and distinct: the usual case
        return np.zeros(values.size, bool)
    order = np.argsort(values, kind="stable")
    dup_sorted = np.zeros(values.size, bool)
    dup_sorted[1:] = values[order][1:] == values[order][:-1]
    dup = np.zeros(values.size, bool)
    dup[order] = dup_sorted
    return dup


def forget_shares(conn: Any, places: Sequence[tuple[int, float, float]]) -> int:
    """Delete the fixes chat messages shared (a source ending in `_share`) at these (ts, lat, lon):
    the same second, within SAME_FIX_M. Chunks are written again without them; returns how many.

    A shared location is the sender's, not the owner's: it goes when its sender is forgotten.
    """
    if not places:
        return 0
    ts, lat, lon = (np.asarray(column) for column in zip(*places, strict=True))
    order = np.argsort(ts // 1000, kind="stable")
    none = np.zeros(ts.size, np.int64)
    shared = Known((ts // 1000)[order], lat[order].astype(float), lon[order].astype(float), none, none)
    first, last = int(ts.min()), int(ts.max())
    deleted = 0
    for chunk_id, data in conn.execute(
        "SELECT id, data FROM location_chunks WHERE first_ts <= ? AND last_ts >= ?",
        (last - last % 1000 + 999, first - first % 1000),
    ).fetchall():
        table = decode_chunk(data)
        chunk_ts = table["ts"].to_numpy()
        twin = _match(chunk_ts // 1000, table["lat"].to_numpy(), table["lon"].to_numpy(), shared)
        share = pc.fill_null(pc.ends_with(table["source"], "_share"), False).to_numpy(zero_copy_only=False)
        drop = (twin >= 0) & share
        if not drop.any():
            continue
        conn.executemany(
            "DELETE FROM record_sources WHERE table_name = 'locations' AND record_id = ?",
            ((int(rid),) for rid in table["id"].to_numpy()[drop]),
        )
        kept = table.filter(pa.array(~drop))
        if kept.num_rows:
            kept_ts = kept["ts"].to_numpy()
            conn.execute(
                "UPDATE location_chunks SET first_ts = ?, last_ts = ?, rows = ?, data = ? WHERE id = ?",
                (int(kept_ts.min()), int(kept_ts.max()), kept.num_rows, encode_chunk(kept), chunk_id),
            )
        else:
            conn.execute("DELETE FROM location_chunks WHERE id = ?", (chunk_id,))
        deleted += int(drop.sum())
    return deleted


def iter_chunks(conn: Any) -> Iterator[tuple[str, int, pa.Table]]:
    """Every stored chunk as (platform, import_id, table), oldest first."""
    for platform, import_id, data in conn.execute(
        "SELECT platform, import_id, data FROM location_chunks ORDER BY first_ts, id"
    ):
        yield platform, int(import_id), decode_chunk(data)


def read_all(conn: Any) -> pa.Table:
    """All fixes with their platform and import id, as one Arrow table."""
    parts = []
    for platform, import_id, table in iter_chunks(conn):
        n = table.num_rows
        parts.append(
            table.append_column("platform", pa.array([platform] * n, pa.string())).append_column(
                "import_id", pa.array(np.full(n, import_id), pa.int64())
            )
        )
    if not parts:
        schema = FIX_SCHEMA.append(pa.field("platform", pa.string())).append(
            pa.field("import_id", pa.int64())
        )
        return schema.empty_table()
    return pa.concat_tables(parts)
