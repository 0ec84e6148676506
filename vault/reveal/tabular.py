"""Privacy models for tables whose rows are people: k, l, t, delta and re-identification risk.

Everything is computed on equivalence classes over the quasi-identifier columns, vectorised with
numpy over dictionary codes. `missing` says what a null is: "value" (the default) makes it a value
of its own, so no row is silently lost; "drop" removes rows with a missing quasi-identifier or
sensitive value first; "pycanon" does what pycanon does on a pandas frame read with NaN: classes
are formed from the rows whose quasi-identifiers are all present (pandas' groupby drops NaN keys),
while the sensitive attribute's overall distribution is taken over every row.

Definitions follow pycanon (k, distinct and entropy l, t-closeness with the ordered distance for
numeric and the equal distance for categorical sensitive attributes, delta-disclosure) and ARX
(prosecutor, journalist and marketer risk). Without a population table the journalist model
cannot know the population's class sizes, so it is taken to equal the prosecutor model (the sample
is its own population), and marketer risk is the share of records that are re-identified on
average, classes / rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from vault.reveal.report import Finding, Severity

IntArray = npt.NDArray[np.int64]
DENSE_CELLS = 4_000_000
MISSING_MODES = ("value", "drop", "pycanon")


class TabularError(ValueError):
    """The quasi-identifier or sensitive columns asked for are not in the table."""


@dataclass(frozen=True)
class TabularRisk:
    """Figures for one table under one choice of quasi-identifiers and sensitive attributes."""

    rows: int
    classes: int
    k: int
    sample_uniques: int
    prosecutor_max: float
    prosecutor_avg: float
    journalist_max: float
    journalist_avg: float
    marketer: float
    l_distinct: int | None = None
    l_entropy: float | None = None
    t_closeness: float | None = None
    delta_disclosure: float | None = None

    @property
    def l_entropy_int(self) -> int | None:
        """Entropy l rounded down, as pycanon reports it."""
        return None if self.l_entropy is None else int(self.l_entropy + 1e-9)

    def as_dict(self) -> dict[str, float | int | None]:
        """The figures as a flat dict for a finding."""
        return {
            "rows": self.rows,
            "classes": self.classes,
            "k": self.k,
            "sample_uniques": self.sample_uniques,
            "sample_uniques_share": round(self.sample_uniques / self.rows, 6) if self.rows else 0.0,
            "prosecutor_max": self.prosecutor_max,
            "prosecutor_avg": round(self.prosecutor_avg, 6),
            "journalist_max": self.journalist_max,
            "journalist_avg": round(self.journalist_avg, 6),
            "marketer": round(self.marketer, 6),
            "l_distinct": self.l_distinct,
            "l_entropy": None if self.l_entropy is None else round(self.l_entropy, 6),
            "t_closeness": None if self.t_closeness is None else round(self.t_closeness, 7),
            "delta_disclosure": (None if self.delta_disclosure is None else round(self.delta_disclosure, 7)),
        }


def _codes(column: pa.ChunkedArray | pa.Array) -> tuple[IntArray, int]:
    """Dense integer codes of a column, nulls encoded as a value of their own."""
    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    encoded = pc.dictionary_encode(arr, null_encoding="encode")
    return np.asarray(encoded.indices, dtype=np.int64), len(encoded.dictionary)


def class_ids(table: pa.Table, columns: Sequence[str]) -> tuple[IntArray, int]:
    """Equivalence class id of every row over `columns`, and the number of classes."""
    if not columns:
        return np.zeros(table.num_rows, dtype=np.int64), min(table.num_rows, 1)
    combined = np.zeros(table.num_rows, dtype=np.int64)
    radix = 1
    for name in columns:
        codes, size = _codes(table.column(name))
        if radix * max(size, 1) >= 2**62:
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64).ravel()
            radix = int(combined.max()) + 1 if len(combined) else 1
        combined = combined * max(size, 1) + codes
        radix *= max(size, 1)
    _, inverse = np.unique(combined, return_inverse=True)
    inverse = inverse.astype(np.int64).ravel()
    return inverse, int(inverse.max()) + 1 if len(inverse) else 0


def _sensitive_codes(column: pa.ChunkedArray) -> tuple[IntArray, int, bool]:
    """Codes of a sensitive column, in value order for numbers (nulls last); numeric flag."""
    arr = column.combine_chunks()
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        values = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=float)
        uniq, inverse = np.unique(values, return_inverse=True)  # NaN (null) sorts last
        return inverse.astype(np.int64).ravel(), len(uniq), True
    codes, size = _codes(arr)
    return codes, size, False


def _check(table: pa.Table, names: Sequence[str]) -> None:
    """Raise TabularError naming the first missing column."""
    missing = [n for n in names if n not in table.column_names]
    if missing:
        raise TabularError(f"no column {missing[0]!r} in the table")


def drop_missing_rows(table: pa.Table, columns: Sequence[str]) -> pa.Table:
    """Rows with a value in every one of `columns`."""
    mask = pa.array(np.ones(table.num_rows, dtype=bool))
    for name in columns:
        mask = pc.and_(mask, pc.is_valid(table.column(name)))
    return table.filter(mask)


def tabular_risk(
    table: pa.Table,
    quasi_identifiers: Sequence[str],
    sensitive: Sequence[str] = (),
    *,
    missing: str = "value",
) -> TabularRisk:
    """k-anonymity, l-diversity, t-closeness, delta-disclosure and re-identification risk."""
    _check(table, [*quasi_identifiers, *sensitive])
    if missing not in MISSING_MODES:
        raise TabularError(f"missing must be one of {', '.join(MISSING_MODES)}")
    full = table
    if missing == "drop":
        table = full = drop_missing_rows(table, [*quasi_identifiers, *sensitive])
    elif missing == "pycanon":
        table = drop_missing_rows(table, quasi_identifiers)
    rows = table.num_rows
    if rows == 0:
        return TabularRisk(0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
    cls, n_classes = class_ids(table, quasi_identifiers)
    sizes = np.bincount(cls, minlength=n_classes)
    k = int(sizes.min())
    per_sa = [_sensitive_figures(cls, sizes, table.column(s), full.column(s)) for s in sensitive]
    return TabularRisk(
        rows=rows,
        classes=n_classes,
        k=k,
        sample_uniques=int((sizes == 1).sum()),
        prosecutor_max=1.0 / k,
        prosecutor_avg=n_classes / rows,
        journalist_max=1.0 / k,
        journalist_avg=n_classes / rows,
        marketer=n_classes / rows,
        l_distinct=min((f[0] for f in per_sa), default=None),
        l_entropy=min((f[1] for f in per_sa), default=None),
        t_closeness=max((f[2] for f in per_sa), default=None),
        delta_disclosure=max((f[3] for f in per_sa), default=None),
    )


def _sensitive_figures(
    cls: IntArray, sizes: IntArray, column: pa.ChunkedArray, overall: pa.ChunkedArray
) -> tuple[int, float, float, float]:
    """(distinct l, entropy l, t, delta) for one sensitive attribute against `overall`."""
    if overall is column:
        all_codes, m, numeric = _sensitive_codes(column)
        codes = all_codes
    else:
        joined = pa.chunked_array([*overall.chunks, *column.chunks], type=column.type)
        all_codes, m, numeric = _sensitive_codes(joined)
        codes = all_codes[len(overall) :]
    n_classes = len(sizes)
    pair, counts = np.unique(cls * m + codes, return_counts=True)
    pc_cls, pc_val = pair // m, pair % m
    p = np.bincount(all_codes[: len(overall)], minlength=m) / len(overall)
    q = counts / sizes[pc_cls]
    l_distinct = int(np.bincount(pc_cls, minlength=n_classes).min())
    entropy = -np.bincount(pc_cls, weights=q * np.log(q), minlength=n_classes)
    l_entropy = float(math.exp(entropy.min()))
    delta = float(np.abs(np.log(q / p[pc_val])).max())
    if numeric:
        t = _ordered_emd(cls, codes, sizes, p, m)
    else:
        diff = np.bincount(pc_cls, weights=np.abs(q - p[pc_val]), minlength=n_classes)
        unseen = 1.0 - np.bincount(pc_cls, weights=p[pc_val], minlength=n_classes)
        t = float((0.5 * (diff + unseen)).max())
    return l_distinct, l_entropy, t, delta


def _ordered_emd(
    cls: IntArray, codes: IntArray, sizes: IntArray, p: npt.NDArray[np.float64], m: int
) -> float:
    """Largest ordered-distance EMD between a class's distribution and the table's, in blocks."""
    if m < 2:
        return 0.0
    n_classes = len(sizes)
    block = max(1, DENSE_CELLS // m)
    worst = 0.0
    for first in range(0, n_classes, block):
        last = min(first + block, n_classes)
        sel = (cls >= first) & (cls < last)
        dense = np.bincount((cls[sel] - first) * m + codes[sel], minlength=(last - first) * m)
        q = dense.reshape(last - first, m) / sizes[first:last, None]
        emd = np.abs(np.cumsum(q - p, axis=1)).sum(axis=1) / (m - 1)
        worst = max(worst, float(emd.max()))
    return worst


# A5/A4: a record unique on its quasi-identifiers is re-identifiable by anyone holding them.
K_HIGH = 2  # k below 2 (sample uniques exist): HIGH
K_MEDIUM = 5  # k below 5: MEDIUM
L_HIGH = 2  # a class with one sensitive value discloses it: HIGH
T_MEDIUM = 0.2  # a class whose sensitive distribution differs from the table's by over 0.2: MEDIUM
PEOPLE_TABLES = frozenset({"people", "identities", "conversation_members", "contacts"})
ID_LIKE = frozenset({"id", "person_id", "import_id"})


def default_quasi_identifiers(dataset: str, table: pa.Table) -> list[str]:
    """For tables whose rows are people, every column but the row ids."""
    if dataset not in PEOPLE_TABLES:
        return []
    return [c for c in table.column_names if c not in ID_LIKE]


def tabular_findings(
    before: pa.Table, after: pa.Table, quasi_identifiers: Sequence[str], sensitive: Sequence[str]
) -> list[Finding]:
    """k-anonymity and re-identification risk, and attribute disclosure when sensitive is given."""
    qi = [c for c in quasi_identifiers if c in after.column_names]
    sa = [c for c in sensitive if c in after.column_names]
    if not qi:
        return []
    risk = tabular_risk(after, qi, sa)
    qi_before = [c for c in qi if c in before.column_names]
    sa_before = [c for c in sa if c in before.column_names]
    prior = tabular_risk(before, qi_before, sa_before).as_dict() if qi_before else {}
    figures = risk.as_dict()
    severity = _k_severity(risk.k)
    found = [
        Finding(
            "table.k_anonymity",
            "singling_out",
            severity,
            "Records unique or rare on their quasi-identifiers",
            {k: figures[k] for k in _RISK_KEYS} | {"quasi_identifiers": qi},
            {k: prior[k] for k in _RISK_KEYS if k in prior},
            "A5",
            "generalize the quasi-identifiers, or suppress_rare to k >= 5",
        )
    ]
    if sa and risk.l_distinct is not None:
        found.append(_disclosure(risk, figures, prior, sa))
    return found


def _k_severity(k: int) -> Severity:
    """HIGH below k = 2 (sample uniques), MEDIUM below k = 5, else LOW."""
    if k < K_HIGH:
        return Severity.HIGH
    return Severity.MEDIUM if k < K_MEDIUM else Severity.LOW


_RISK_KEYS = (
    "rows",
    "classes",
    "k",
    "sample_uniques",
    "sample_uniques_share",
    "prosecutor_max",
    "prosecutor_avg",
    "journalist_max",
    "journalist_avg",
    "marketer",
)
_DISCLOSURE_KEYS = ("l_distinct", "l_entropy", "t_closeness", "delta_disclosure")


def _disclosure(risk: TabularRisk, figures: dict[str, Any], prior: dict[str, Any], sa: list[str]) -> Finding:
    """Attribute disclosure: l-diversity, t-closeness and delta-disclosure of the sensitive columns."""
    if (risk.l_distinct or 0) < L_HIGH:
        severity = Severity.HIGH
    else:
        severity = Severity.MEDIUM if (risk.t_closeness or 0) > T_MEDIUM else Severity.LOW
    return Finding(
        "table.attribute_disclosure",
        "inference",
        severity,
        "Sensitive values that follow from the quasi-identifiers",
        {k: figures[k] for k in _DISCLOSURE_KEYS} | {"sensitive": sa},
        {k: prior[k] for k in _DISCLOSURE_KEYS if k in prior},
        None,
        "generalize the quasi-identifiers until l >= 2",
    )
