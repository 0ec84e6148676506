"""What a reveal report is computed from, and helpers to read columns of any slice."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from vault.places import LatLon

TIME_COLUMNS = ("ts", "start_ts", "ts_ms", "created_at")


@dataclass(frozen=True)
class VaultTruth:
    """What the whole vault knows about its owner, to measure what a slice gives away."""

    home: LatLon | None = None
    work: LatLon | None = None
    timezone: str = "UTC"
    contact_names: tuple[str, ...] = ()
    owner_names: tuple[str, ...] = ()
    owner_person_ids: frozenset[int] = frozenset()
    profile_facts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LedgerEntry:
    """An earlier contribution: who got it and the fingerprints stored with it."""

    contribution_id: int
    recipient: str
    created_at_ms: int
    fingerprints: dict[str, list[str]]


@dataclass(frozen=True)
class RevealInputs:
    """Everything build_report needs: the rows before and after the policy and the vault's truth."""

    policy_name: str
    dataset: str
    before: pa.Table
    after: pa.Table
    truth: VaultTruth = field(default_factory=VaultTruth)
    quasi_identifiers: tuple[str, ...] = ()
    sensitive: tuple[str, ...] = ()
    ledger: tuple[LedgerEntry, ...] = ()
    zones_used: bool = False
    recipient: str | None = None


def has(table: pa.Table, *names: str) -> bool:
    """Whether the table has every one of the columns."""
    return all(n in table.column_names for n in names)


def time_column(table: pa.Table) -> str | None:
    """The first column that holds the row's time, if any."""
    return next((c for c in TIME_COLUMNS if c in table.column_names), None)


def times_ms(table: pa.Table, name: str) -> npt.NDArray[np.int64]:
    """A time column as integer ms UTC (timestamps of any unit, or integers already in ms)."""
    col = table.column(name)
    if pa.types.is_timestamp(col.type):
        col = pc.cast(col, pa.timestamp("ms", tz=col.type.tz)).cast(pa.int64())
    elif pa.types.is_date(col.type) or not pa.types.is_integer(col.type):
        col = pc.cast(pc.cast(col, pa.timestamp("ms")), pa.int64())
    return np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.int64)


def floats(table: pa.Table, name: str) -> npt.NDArray[np.float64]:
    """A numeric column as float64, NaN for nulls."""
    col = table.column(name).cast(pa.float64())
    return np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.float64)


def texts(table: pa.Table, name: str) -> list[str | None]:
    """A column as Python strings (None for nulls)."""
    col = table.column(name)
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        col = col.cast(pa.string())
    return col.to_pylist()


def positions(
    table: pa.Table,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
    """(ts_ms, lat, lon) of the rows with a time and a position, time-ordered; None if absent."""
    tcol = time_column(table)
    if tcol is None or not has(table, "lat", "lon") or table.num_rows == 0:
        return None
    keep = pc.and_(
        pc.and_(pc.is_valid(table.column("lat")), pc.is_valid(table.column("lon"))),
        pc.is_valid(table.column(tcol)),
    )
    sub = table.select([tcol, "lat", "lon"]).filter(keep)
    ts, lat, lon = times_ms(sub, tcol), floats(sub, "lat"), floats(sub, "lon")
    order = np.argsort(ts, kind="stable")
    return ts[order], lat[order], lon[order]
