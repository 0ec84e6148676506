"""Apply a share policy's column operations to the selected rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from vault.anonymize.context import AnonymizeError, OperatorContext
from vault.anonymize.operators import OPERATORS, accepts_arrow
from vault.anonymize.registry import PHASES, resolved_params

if TYPE_CHECKING:
    from vault.policy import ColumnOp, Policy


def op_params(op: ColumnOp, policy: Policy) -> dict[str, Any]:
    """An op's parameters with defaults filled in (suppress_rare defaults to the policy's QIs)."""
    params = resolved_params(OPERATORS[op.op], op.params)
    if op.op == "suppress_rare" and not params.get("with"):
        params["with"] = list(policy.quasi_identifiers.columns)
    return params


def _check_type(table: pa.Table, op: ColumnOp) -> None:
    """Refuse an op whose column is missing or of a type it cannot handle."""
    spec = OPERATORS[op.op]
    if op.column not in table.column_names:
        if op.op == "drop":
            return
        raise AnonymizeError(f"{op.op}: the selected rows have no column {op.column!r}")
    data_type = table.schema.field(op.column).type
    if not accepts_arrow(spec, data_type):
        raise AnonymizeError(f"{op.op} does not apply to column {op.column!r} of type {data_type}")


def apply_policy(table: pa.Table, policy: Policy, ctx: OperatorContext) -> pa.Table:
    """Row filters on raw values first, then value ops in policy order, then rare-row suppression."""
    for phase in PHASES:
        for op in policy.column_ops:
            if OPERATORS[op.op].phase != phase:
                continue
            _check_type(table, op)
            table = OPERATORS[op.op].apply(table, op.column, op_params(op, policy), ctx)
    return _select(table, policy.output_columns)


def _select(table: pa.Table, columns: tuple[str, ...]) -> pa.Table:
    """Keep exactly the output columns, in the policy's order."""
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise AnonymizeError(f"the selected rows have no column {missing[0]!r}")
    return table.select(list(columns))
