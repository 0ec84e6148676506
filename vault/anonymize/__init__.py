"""Share operators: small vectorised functions over Arrow columns, and the policy applier.

Phases: row filters (drop_others, stays_only, privacy_zone) see the raw values; value operators
then run in policy order; suppress_rare runs last, on the values that will leave.
"""

from __future__ import annotations

from vault.anonymize.apply import apply_policy, op_params
from vault.anonymize.context import AnonymizeError, OperatorContext
from vault.anonymize.operators import OPERATORS
from vault.anonymize.registry import OperatorSpec, OpError, Param, column_kind

__all__ = [
    "OPERATORS",
    "AnonymizeError",
    "OpError",
    "OperatorContext",
    "OperatorSpec",
    "Param",
    "apply_policy",
    "column_kind",
    "op_params",
]
