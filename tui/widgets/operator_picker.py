"""Pick a column and an anonymization operator for it, so a policy can be built without writing TOML.

The picker only proposes; the share pane rewrites the policy text with `with_operator`, which goes
through `vault.policy.load_policy` and `dump_policy`, so the editor always holds a policy the core
reads the same way.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, Select

from vault.anonymize import OPERATORS
from vault.anonymize.registry import OperatorSpec, column_kind
from vault.policy import ColumnOp, PolicyError, load_policy
from vault.policy import dump_policy as dump

KEEP = "keep"  # the column leaves as it is


def usable(spec: OperatorSpec, kind: str) -> bool:
    """Whether the picker offers `spec` for a column of `kind` (it needs no value only TOML could give)."""
    accepted = "any" in spec.accepts or kind in spec.accepts
    return accepted and all(p.default is not None for p in spec.params if p.required)


def operator_choices(duckdb_type: str) -> list[tuple[str, str]]:
    """(label, operator name) for a column type, `keep` first."""
    kind = column_kind(duckdb_type)
    choices = [(f"{KEEP}: leave as it is", KEEP)]
    choices += [(f"{s.name}: {s.summary}", s.name) for s in OPERATORS.values() if usable(s, kind)]
    return choices


def current_operator(text: str, column: str) -> str | None:
    """The first operator the policy text puts on `column` (KEEP for none), or None if it does not parse."""
    try:
        policy = load_policy(text, source="share screen")
    except PolicyError:
        return None
    return next((op.op for op in policy.column_ops if op.column == column), KEEP)


def with_operator(text: str, column: str, operator: str) -> str:
    """The policy text with `column`'s operators replaced by `operator` (none for KEEP), in canonical TOML."""
    policy = load_policy(text, source="share screen")
    spec = OPERATORS.get(operator)
    new = [] if spec is None else [ColumnOp(column, operator, _required_defaults(spec))]
    ops = list(policy.column_ops)
    at = next((i for i, op in enumerate(ops) if op.column == column), len(ops))
    ops = (
        [op for op in ops[:at] if op.column != column] + new + [op for op in ops[at:] if op.column != column]
    )
    columns = policy.columns if column in policy.columns else (*policy.columns, column)
    return dump(replace(policy, columns=columns, column_ops=tuple(ops)))


def _required_defaults(spec: OperatorSpec) -> dict[str, object]:
    return {p.name: p.default for p in spec.params if p.required}


class OperatorPicker(Horizontal):
    """A column select and an operator select; choosing an operator posts `Chosen`."""

    class Chosen(Message):
        """The user chose `operator` (or KEEP) for `column`."""

        def __init__(self, column: str, operator: str) -> None:
            super().__init__()
            self.column = column
            self.operator = operator

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.types: dict[str, str] = {}
        self.offered: set[str] = set()
        self.policy_text = ""

    def compose(self) -> ComposeResult:
        yield Label("Column", classes="pane-title")
        yield Select[str]([], prompt="column", id="picker-column")
        yield Label("Operator", classes="pane-title")
        yield Select[str]([], prompt="operator", id="picker-operator")

    def set_columns(self, columns: list[tuple[str, str]]) -> None:
        """Offer these (name, DuckDB type) columns."""
        self.types = dict(columns)
        self.query_one("#picker-column", Select).set_options([(name, name) for name, _ in columns])
        self.query_one("#picker-operator", Select).set_options([])

    def show_policy(self, text: str) -> None:
        """Follow the editor: the operator shown is the one the text puts on the chosen column."""
        self.policy_text = text
        column = self.query_one("#picker-column", Select).value
        if isinstance(column, str):
            self._sync_operator(column)

    @on(Select.Changed, "#picker-column")
    def column_chosen(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            choices = operator_choices(self.types.get(event.value, "VARCHAR"))
            self.offered = {name for _, name in choices}
            self.query_one("#picker-operator", Select).set_options(choices)
            self._sync_operator(event.value)

    def _sync_operator(self, column: str) -> None:
        current = current_operator(self.policy_text, column)
        operators = self.query_one("#picker-operator", Select)
        if current in self.offered and operators.value != current:
            with operators.prevent(Select.Changed):
                operators.value = current

    @on(Select.Changed, "#picker-operator")
    def operator_chosen(self, event: Select.Changed) -> None:
        event.stop()
        column = self.query_one("#picker-column", Select).value
        chosen = event.value
        if (
            isinstance(column, str)
            and isinstance(chosen, str)
            and chosen != current_operator(self.policy_text, column)
        ):
            self.post_message(self.Chosen(column, chosen))
