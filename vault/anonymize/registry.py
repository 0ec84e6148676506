"""The operator registry: each operator's parameters, the column kinds it accepts and its phase."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from vault.anonymize.context import AnonymizeError, OperatorContext

Params = Mapping[str, Any]
Apply = Callable[[pa.Table, str, Params, OperatorContext], pa.Table]
Check = Callable[[str, Params, Mapping[str, str] | None], None]
Columns = Callable[[str, Params], tuple[str, ...]]

PARAM_TYPES: dict[str, str] = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "str_list": "a list of strings",
    "float_list": "a list of numbers",
}
PHASES: tuple[str, ...] = ("rows", "values", "after")

_INTEGER_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "INT",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "INT1",
    "INT2",
    "INT4",
    "INT8",
)
_FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL", "FLOAT4", "FLOAT8")
_TEXT_PREFIXES = ("VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR", "UUID", "ENUM")


class OpError(ValueError):
    """A column operation is invalid; `key` names the offending parameter ('op' for the operator)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Param:
    """One parameter of an operator."""

    name: str
    type: str
    doc: str
    default: Any = None
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False


@dataclass(frozen=True)
class OperatorSpec:
    """An operator: what it does, on which column kinds, with which parameters, in which phase."""

    name: str
    family: str
    summary: str
    accepts: tuple[str, ...]
    params: tuple[Param, ...]
    apply: Apply
    phase: str = "values"
    check: Check | None = None
    produces: Columns | None = None
    reads: Columns | None = None

    def param(self, name: str) -> Param | None:
        """The parameter called `name`, if the operator has one."""
        return next((p for p in self.params if p.name == name), None)


def column_kind(duckdb_type: str) -> str:
    """The kind of a DuckDB column type: text, integer, float, time, boolean or other."""
    upper = duckdb_type.strip().upper()
    if upper.startswith(_TEXT_PREFIXES):
        return "text"
    if upper.startswith("TIMESTAMP") or upper in ("DATE", "DATETIME"):
        return "time"
    if upper in _INTEGER_TYPES:
        return "integer"
    if upper in _FLOAT_TYPES or upper.startswith(("DECIMAL", "NUMERIC")):
        return "float"
    if upper.startswith("BOOL"):
        return "boolean"
    return "other"


def arrow_kind(data_type: pa.DataType) -> str:
    """The kind of an Arrow column type, matching `column_kind`."""
    if pa.types.is_string(data_type) or pa.types.is_large_string(data_type):
        return "text"
    if pa.types.is_timestamp(data_type) or pa.types.is_date(data_type):
        return "time"
    if pa.types.is_integer(data_type):
        return "integer"
    if pa.types.is_floating(data_type) or pa.types.is_decimal(data_type):
        return "float"
    if pa.types.is_boolean(data_type):
        return "boolean"
    return "other"


def kind_accepted(kind: str, accepts: tuple[str, ...]) -> bool:
    """Whether a column kind fits an operator ('any' fits everything)."""
    return "any" in accepts or kind in accepts


def _type_ok(param: Param, value: Any) -> bool:
    """Whether a TOML value has the parameter's type."""
    if param.type == "bool":
        return isinstance(value, bool)
    if param.type == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if param.type == "float":
        return isinstance(value, int | float) and not isinstance(value, bool) and _finite(value)
    if param.type == "str":
        return isinstance(value, str)
    if param.type == "str_list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and _finite(v) for v in value
    )


def _finite(value: float) -> bool:
    """Whether a number is neither infinite nor NaN."""
    return math.isfinite(value)


def check_param(param: Param, value: Any) -> None:
    """Raise OpError unless `value` has the right type, is a valid choice and is in range."""
    if not _type_ok(param, value):
        raise OpError(param.name, f"must be {PARAM_TYPES[param.type]}, not {value!r}")
    items = value if isinstance(value, list) else [value]
    if param.choices:
        for item in items:
            if item not in param.choices:
                choices = ", ".join(str(c) for c in param.choices)
                raise OpError(param.name, f"invalid value {item!r} (choose from: {choices})")
    if param.type in ("int", "float", "float_list"):
        for item in items:
            _check_range(param, item)


def _check_range(param: Param, value: float) -> None:
    """Raise OpError when a number is outside the parameter's range."""
    if param.minimum is not None and value < param.minimum:
        raise OpError(param.name, f"must be at least {param.minimum:g}, not {value!r}")
    if param.maximum is not None and value > param.maximum:
        raise OpError(param.name, f"must be at most {param.maximum:g}, not {value!r}")


def resolved_params(spec: OperatorSpec, given: Params) -> dict[str, Any]:
    """The given parameters with the defaults of the missing ones filled in."""
    params = {p.name: p.default for p in spec.params}
    params.update(given)
    return params


def column_array(table: pa.Table, name: str) -> pa.Array:
    """One column as a single contiguous array."""
    if name not in table.column_names:
        raise AnonymizeError(f"the selected rows have no column {name!r}")
    return table.column(name).combine_chunks()


def with_column(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    """The table with column `name` replaced (or appended)."""
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, values)
    return table.append_column(name, values)
