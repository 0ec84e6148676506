"""Time operators: truncate, shift and hour_of_week, over timestamp or epoch-millisecond columns."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.compute as pc

TRUNCATE_UNITS: tuple[str, ...] = ("hour", "day", "week", "month")
_MS_PER_DAY = 86_400_000
_EPOCH_MS = pa.timestamp("ms", tz="UTC")


def _as_local_timestamps(values: pa.Array, timezone: str) -> pa.Array:
    """View timestamps (or integer epoch milliseconds) in the given zone."""
    if pa.types.is_integer(values.type):
        values = values.cast(pa.int64()).cast(_EPOCH_MS)
    unit = values.type.unit
    return values.cast(pa.timestamp(unit, tz=timezone))


def _restore_type(local: pa.Array, original: pa.DataType) -> pa.Array:
    """Cast a local-time result back to the column's original type."""
    if pa.types.is_integer(original):
        return local.cast(pa.timestamp("ms", tz="UTC")).cast(pa.int64()).cast(original)
    return local.cast(original)


def truncate(values: pa.Array, to: str, timezone: str = "UTC") -> pa.Array:
    """Round each time down to the start of its hour, day, week (Monday) or month in `timezone`."""
    if to not in TRUNCATE_UNITS:
        raise ValueError(f"cannot truncate to {to!r}")
    local = _as_local_timestamps(values, timezone)
    wall = pc.floor_temporal(pc.local_timestamp(local), unit=to, week_starts_monday=True)
    # A wall time repeated or skipped by a DST change maps to its earliest instant.
    floored = pc.assume_timezone(wall, timezone=timezone, ambiguous="earliest", nonexistent="earliest")
    return _restore_type(floored, values.type)


def draw_shift_ms(rng: random.Random, max_days: int, whole_days: bool) -> int:
    """One non-zero offset in [-max_days, +max_days] days, in whole days or whole seconds."""
    if whole_days:
        return rng.choice((-1, 1)) * rng.randint(1, max_days) * _MS_PER_DAY
    return rng.choice((-1, 1)) * rng.randint(1, max_days * 86_400) * 1000


def shift(values: pa.Array, offset_ms: int) -> pa.Array:
    """Move every time by the same offset, so intervals and orders survive and dates do not."""
    if pa.types.is_integer(values.type):
        return pc.add(values.cast(pa.int64()), pa.scalar(offset_ms, pa.int64())).cast(values.type)
    delta = pa.scalar(offset_ms, pa.duration("ms")).cast(pa.duration(values.type.unit))
    return pc.add(values, delta)


def hour_of_week(values: pa.Array, timezone: str = "UTC") -> pa.Array:
    """Replace each time by its local hour of the week, 0 (Monday 00h) to 167 (Sunday 23h)."""
    local = _as_local_timestamps(values, timezone)
    day = pc.day_of_week(local, count_from_zero=True, week_start=1)
    hours = pc.add(pc.multiply(day, 24), pc.hour(local))
    return hours.cast(pa.int16())
