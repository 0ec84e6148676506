"""Number operators: round to digits or to a multiple, and bin into labelled intervals."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def round_values(values: pa.Array, digits: int = 0, multiple: float | None = None) -> pa.Array:
    """Round to `digits` decimals, or to the nearest `multiple` when one is given."""
    if multiple is not None:
        rounded = pc.round_to_multiple(values.cast(pa.float64()), multiple=multiple)
    else:
        rounded = pc.round(values.cast(pa.float64()), ndigits=digits)
    if pa.types.is_integer(values.type) and (multiple is None or float(multiple).is_integer()):
        return rounded.cast(values.type)
    return rounded


def _format_edge(edge: float) -> str:
    """An interval edge without a needless '.0'."""
    return str(int(edge)) if float(edge).is_integer() else repr(float(edge))


def bin_labels(edges: Sequence[float]) -> list[str]:
    """Labels of the intervals below, between and above the sorted edges."""
    shown = [_format_edge(e) for e in edges]
    inner = [f"[{lo}, {hi})" for lo, hi in itertools.pairwise(shown)]
    return [f"< {shown[0]}", *inner, f">= {shown[-1]}"]


def bin_values(values: pa.Array, edges: Sequence[float], labels: Sequence[str] | None = None) -> pa.Array:
    """Replace each number by the label of the interval [edge_i, edge_i+1) it falls in."""
    names = list(labels) if labels else bin_labels(edges)
    if len(names) != len(edges) + 1:
        raise ValueError(f"{len(edges)} edges need {len(edges) + 1} labels, not {len(names)}")
    numbers = values.cast(pa.float64()).to_numpy(zero_copy_only=False)
    index = np.searchsorted(np.asarray(edges, dtype=np.float64), numbers, side="right")
    dictionary = pa.array(names, pa.string())
    indices = pa.array(index.astype(np.int32), mask=np.asarray(values.is_null()))
    return pc.take(dictionary, indices)
