"""The UCI Adult benchmark dataset (../shared/datasets/adult), read the way the metrics expect."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv

ADULT = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "adult" / "adult.data"
COLUMNS = [
    "age",
    "workclass",
    "fnlwgt",
    "education",
    "education-num",
    "marital-status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "capital-gain",
    "capital-loss",
    "hours-per-week",
    "native-country",
    "income",
]


def load_adult() -> pa.Table:
    """Adult with `?` read as missing (values keep the file's leading space)."""
    return pcsv.read_csv(
        ADULT,
        read_options=pcsv.ReadOptions(column_names=COLUMNS),
        convert_options=pcsv.ConvertOptions(null_values=[" ?"], strings_can_be_null=True),
    )
