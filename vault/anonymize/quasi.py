"""Quasi-identifier operators: generalize values and suppress rare combinations."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DATE_PARTS: tuple[str, ...] = ("year", "quarter", "month", "year_month", "weekday", "hour")
_STRFTIME = {"year": "%Y", "year_month": "%Y-%m"}


def generalize_interval(values: pa.Array, width: float) -> pa.Array:
    """Replace each number by its interval of `width`, as '[30, 40)'."""
    numbers = values.cast(pa.float64()).to_numpy(zero_copy_only=False)
    low = np.floor(numbers / width) * width
    shown = [_interval(lo, width) if not np.isnan(lo) else None for lo in low.tolist()]
    return pa.array(shown, pa.string())


def _interval(low: float, width: float) -> str:
    """One interval label without needless decimals."""
    high = low + width
    if float(low).is_integer() and float(high).is_integer():
        return f"[{int(low)}, {int(high)})"
    return f"[{low:g}, {high:g})"


def generalize_prefix(values: pa.Array, length: int) -> pa.Array:
    """Keep the first `length` characters and mark the cut with '*'."""
    text = values.cast(pa.string())
    head = pc.utf8_slice_codeunits(text, 0, length)
    cut = pc.greater(pc.utf8_length(text), length)
    return pc.if_else(cut, pc.binary_join_element_wise(head, "*", ""), head)


def generalize_date(values: pa.Array, part: str, timezone: str = "UTC") -> pa.Array:
    """Keep one part of a time (year, quarter, month, year_month, weekday, hour) in `timezone`."""
    if pa.types.is_integer(values.type):
        values = values.cast(pa.int64()).cast(pa.timestamp("ms", tz="UTC"))
    if pa.types.is_timestamp(values.type):
        values = values.cast(pa.timestamp(values.type.unit, tz=timezone))
    if part in _STRFTIME:
        return pc.strftime(values, format=_STRFTIME[part])
    extract = {"quarter": pc.quarter, "month": pc.month, "weekday": pc.day_of_week, "hour": pc.hour}
    return extract[part](values).cast(pa.int16())


def rare_mask(columns: Sequence[pa.Array], k: int) -> np.ndarray:
    """True for rows whose combination of values (nulls included) occurs at least k times."""
    if not columns:
        return np.ones(0, dtype=bool)
    codes = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        encoded = pc.dictionary_encode(column, null_encoding="encode")
        indices = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        _, codes = np.unique(codes * (len(encoded.dictionary) + 1) + indices, return_inverse=True)
    counts = np.bincount(codes)
    return counts[codes] >= k
