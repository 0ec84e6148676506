"""Tabular privacy metrics against the UCI Adult reference figures in shared/datasets/adult/README.md."""

from __future__ import annotations

import time

import pyarrow as pa
import pytest

from benchmarks.adult import load_adult
from vault.reveal.tabular import TabularError, tabular_findings, tabular_risk

QI_WIDE = ["age", "education", "marital-status", "occupation", "sex", "native-country"]
QI_NARROW = ["race", "sex"]


@pytest.fixture(scope="module")
def adult() -> pa.Table:
    return load_adult()


def test_wide_set_matches_pycanon(adult: pa.Table) -> None:
    # pycanon on a frame read with NaN: classes from rows whose quasi-identifiers are present
    # (30,162), the income distribution over every row.
    r = tabular_risk(adult, QI_WIDE, ["income"], missing="pycanon")
    assert r.rows == 30_162
    assert (r.k, r.l_distinct) == (1, 1)
    assert r.t_closeness == pytest.approx(0.7591904, abs=1e-6)
    assert r.delta_disclosure == pytest.approx(2.9825939, abs=1e-6)


def test_wide_set_missing_as_a_value(adult: pa.Table) -> None:
    r = tabular_risk(adult, QI_WIDE, ["income"])
    assert r.rows == 32_561
    assert r.sample_uniques == 10_011
    assert r.sample_uniques / r.rows == pytest.approx(0.307, abs=1e-3)
    assert r.prosecutor_avg == pytest.approx(0.4490, abs=1e-4)
    assert r.prosecutor_max == 1.0
    assert r.marketer == r.prosecutor_avg == r.journalist_avg


def test_wide_set_with_missing_rows_dropped_first(adult: pa.Table) -> None:
    # pycanon 1.3.6 run on adult.dropna() (measured for this test): t 0.7510775, delta 2.9718501.
    r = tabular_risk(adult, QI_WIDE, ["income"], missing="drop")
    assert r.rows == 30_162
    assert r.t_closeness == pytest.approx(0.7510775, abs=1e-6)
    assert r.delta_disclosure == pytest.approx(2.9718501, abs=1e-6)


def test_narrow_set_matches_pycanon_and_readme(adult: pa.Table) -> None:
    r = tabular_risk(adult, QI_NARROW, ["income"])
    assert (r.k, r.l_distinct, r.classes, r.sample_uniques) == (109, 2, 10, 0)
    assert r.t_closeness == pytest.approx(0.1857637, abs=1e-6)
    assert r.delta_disclosure == pytest.approx(1.4758395, abs=1e-6)
    assert r.prosecutor_avg == pytest.approx(0.000307, abs=1e-6)
    assert r.l_entropy_int == 1


def test_nulls_form_their_own_class() -> None:
    t = pa.table({"zip": ["1", "1", None, None], "s": ["a", "b", "a", "a"]})
    r = tabular_risk(t, ["zip"], ["s"])
    assert (r.classes, r.k, r.l_distinct) == (2, 2, 1)


def test_numeric_sensitive_uses_ordered_distance() -> None:
    # One class holds only the lowest of three ordered values: EMD = (|1-1/3| + |1-2/3|)/2 = 0.5.
    t = pa.table({"q": ["x", "y", "y"], "s": [1, 2, 3]})
    assert tabular_risk(t, ["q"], ["s"]).t_closeness == pytest.approx(0.5)


def test_unknown_column_is_a_typed_error() -> None:
    with pytest.raises(TabularError):
        tabular_risk(pa.table({"a": [1]}), ["b"])


def test_findings_say_high_for_uniques(adult: pa.Table) -> None:
    found = {f.id: f for f in tabular_findings(adult, adult, QI_WIDE, ["income"])}
    assert found["table.k_anonymity"].severity.value == "high"
    assert found["table.attribute_disclosure"].measured["l_distinct"] == 1


def test_adult_metrics_fast(adult: pa.Table) -> None:
    tabular_risk(adult, QI_NARROW, ["income"])  # warm the kernels
    start = time.perf_counter()
    tabular_risk(adult, QI_WIDE, ["income"], missing="pycanon")
    assert time.perf_counter() - start < 0.5
