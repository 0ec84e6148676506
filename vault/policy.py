"""Share policies: load, validate and write the TOML that drives export, reveal and the share builder.

A policy is untrusted input. Validation names the line, the key and the valid choices. Columns are
given either as a list (`columns = ["ts", "text"]`, nothing changed) or as tables in output order,
each with its operator (`[columns.ts]` with `op = "truncate"`), an empty table keeping the column
as it is, and `[[columns.text]]` repeated for several operators on one column. (TOML cannot hold
both a `columns` list and `[columns.ts]` tables, so the table order is the column order.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb

from vault import policy_toml
from vault.anonymize.apply import op_params
from vault.anonymize.operators import OPERATORS
from vault.anonymize.registry import OpError, check_param, column_kind, kind_accepted
from vault.errors import UsageError

TOP_KEYS: tuple[str, ...] = (
    "name",
    "recipient",
    "description",
    "dataset",
    "query",
    "columns",
    "filter",
    "quasi_identifiers",
)
FILTER_KEYS: tuple[str, ...] = ("platforms", "since", "until", "conversations", "people")
QI_KEYS: tuple[str, ...] = ("columns", "sensitive")
_DATASET = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class PolicyError(UsageError):
    """An invalid share policy; str() is one line naming the source, line and key."""

    def __init__(
        self, message: str, line: int | None = None, key: str | None = None, source: str = "policy"
    ) -> None:
        super().__init__(message)
        self.message, self.line, self.key, self.source = message, line, key, source

    def __str__(self) -> str:
        where = f"{self.source} line {self.line}" if self.line else self.source
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@dataclass(frozen=True)
class PolicyFilter:
    """Which rows to take; empty means no restriction."""

    platforms: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    conversations: tuple[int, ...] = ()
    people: tuple[int, ...] = ()


@dataclass(frozen=True)
class ColumnOp:
    """One operator on one column, with the parameters the policy gave (defaults not filled in)."""

    column: str
    op: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QuasiIdentifiers:
    """Columns an attacker may know (for k-anonymity) and the sensitive ones."""

    columns: tuple[str, ...] = ()
    sensitive: tuple[str, ...] = ()


@dataclass(frozen=True)
class Policy:
    """A validated share policy; `sha256` is of its canonical form, so comments do not change it."""

    name: str
    recipient: str
    dataset: str | None
    query: str | None
    columns: tuple[str, ...]
    filter: PolicyFilter = PolicyFilter()
    column_ops: tuple[ColumnOp, ...] = ()
    quasi_identifiers: QuasiIdentifiers = QuasiIdentifiers()
    description: str | None = None
    source_text: str = field(default="", compare=False)
    sha256: str = ""

    @property
    def output_columns(self) -> tuple[str, ...]:
        """The columns that leave, in order (listed columns not dropped)."""
        dropped = {op.column for op in self.column_ops if op.op == "drop"}
        return tuple(c for c in self.columns if c not in dropped)

    def produced_columns(self) -> tuple[str, ...]:
        """Columns that operators add (such as a snap's H3 cell column)."""
        found: list[str] = []
        for op in self.column_ops:
            produces = OPERATORS[op.op].produces
            found += produces(op.column, op_params(op, self)) if produces else ()
        return tuple(found)

    def required_columns(self) -> tuple[str, ...]:
        """The source columns the engine must select for this policy, in a stable order."""
        produced = set(self.produced_columns())
        wanted = [c for c in self.columns if c not in produced]
        for op in self.column_ops:
            reads = OPERATORS[op.op].reads
            wanted += [op.column, *(reads(op.column, op_params(op, self)) if reads else ())]
        return tuple(dict.fromkeys(wanted))


class _Reader:
    """Validates one parsed policy, turning problems into PolicyErrors with their lines."""

    def __init__(self, text: str, source: str, available: Mapping[str, str] | None) -> None:
        self.text, self.source, self.available = text, source, available
        self.lines = policy_toml.KeyLines(text)

    def fail(self, message: str, path: str, label: str | None = None, occurrence: int = 0) -> None:
        raise PolicyError(message, self.lines.line(path, occurrence), label or path, self.source)

    def parse(self) -> dict[str, Any]:
        try:
            return tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as error:
            message, line = policy_toml.toml_error_position(str(error), self.text)
            raise PolicyError(f"invalid TOML: {message}", line, None, self.source) from None

    def string(self, data: Mapping[str, Any], name: str, required: bool) -> str | None:
        value = data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail("must be a non-empty string" if name in data else "is required", name)
        return value

    def str_list(self, value: Any, path: str, label: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail("must be a list of non-empty strings", path, label)
        return tuple(value)

    def unknown_keys(self, data: Mapping[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        for name in data:
            if name not in allowed:
                path = f"{prefix}.{name}" if prefix else name
                label = f"[{prefix}] {name}" if prefix else name
                self.fail(f"unknown key (choose from: {', '.join(allowed)})", path, label)


def _read_filter(reader: _Reader, data: Any) -> PolicyFilter:
    """The [filter] table."""
    if data is None:
        return PolicyFilter()
    if not isinstance(data, dict):
        reader.fail("must be a table", "filter")
    reader.unknown_keys(data, FILTER_KEYS, "filter")
    since = _read_time(reader, data.get("since"), "since")
    until = _read_time(reader, data.get("until"), "until")
    if since and until and since > until:
        reader.fail("is before since", "filter.until", "[filter] until")
    platforms = data.get("platforms", [])
    return PolicyFilter(
        reader.str_list(platforms, "filter.platforms", "[filter] platforms"),
        since,
        until,
        _read_ids(reader, data.get("conversations", []), "conversations"),
        _read_ids(reader, data.get("people", []), "people"),
    )


def _read_time(reader: _Reader, value: Any, name: str) -> str | None:
    """A date or date-time bound as ISO 8601 text."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return (
                dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
                if ("T" in value or " " in value)
                else dt.date.fromisoformat(value).isoformat()
            )
        except ValueError:
            pass
    reader.fail("must be a date like 2024-01-31 (or an ISO date-time)", f"filter.{name}", f"[filter] {name}")
    return None


def _read_ids(reader: _Reader, value: Any, name: str) -> tuple[int, ...]:
    """Person or conversation ids (integers, or their digits as strings)."""
    ok = isinstance(value, list) and all(
        (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, str) and v.isdigit())
        for v in value
    )
    if not ok:
        reader.fail("must be a list of ids (integers)", f"filter.{name}", f"[filter] {name}")
    return tuple(int(v) for v in value)


def _read_columns(reader: _Reader, data: Any) -> tuple[tuple[str, ...], tuple[ColumnOp, ...]]:
    """Output columns and their ops from a `columns` list or `[columns.X]` tables."""
    if isinstance(data, list):
        return reader.str_list(data, "columns", "columns"), ()
    if not isinstance(data, dict) or not data:
        reader.fail("must be a list of column names or [columns.NAME] tables", "columns")
    ops: list[ColumnOp] = []
    for column, entry in data.items():
        entries = entry if isinstance(entry, list) else [entry]
        for occurrence, table in enumerate(entries):
            op = _read_op(reader, column, table, occurrence)
            if op is not None:
                ops.append(op)
    return tuple(data), tuple(ops)


def _read_op(reader: _Reader, column: str, table: Any, occurrence: int) -> ColumnOp | None:
    """One `[columns.X]` table: an operator and its parameters, or nothing (keep as is)."""
    path, label = f"columns.{column}", f"[columns.{column}]"
    if not isinstance(table, dict):
        reader.fail("must be a table with an op", path, label)
    if not table:
        return None
    name = table.get("op")
    choices = ", ".join(OPERATORS)
    if not isinstance(name, str) or name not in OPERATORS:
        problem = f"unknown operator {name!r}" if "op" in table else "missing op"
        reader.fail(f"{problem} (choose from: {choices})", f"{path}.op", f"{label} op", occurrence)
    params = {k: v for k, v in table.items() if k != "op"}
    _check_op_params(reader, column, name, params, occurrence)
    return ColumnOp(column, name, params)


def _check_op_params(
    reader: _Reader, column: str, name: str, params: dict[str, Any], occurrence: int
) -> None:
    """Parameters known, typed and in range; the column's type fits the operator."""
    spec = OPERATORS[name]
    path, label = f"columns.{column}", f"[columns.{column}]"
    allowed = ", ".join(p.name for p in spec.params) or "none"
    try:
        for key, value in params.items():
            param = spec.param(key)
            if param is None:
                raise OpError(key, f"unknown parameter for {name} (choose from: {allowed})")
            check_param(param, value)
        for param in spec.params:
            if param.required and param.name not in params:
                raise OpError(param.name, f"is required by {name}")
        _check_column_type(column, name, reader.available)
        if spec.check is not None:
            spec.check(column, params, reader.available)
    except OpError as error:
        reader.fail(error.message, f"{path}.{error.key}", f"{label} {error.key}", occurrence)


def _check_column_type(column: str, name: str, available: Mapping[str, str] | None) -> None:
    """Raise OpError when the column is unknown or its type does not fit the operator."""
    if available is None or (name == "drop" and column not in available):
        return
    if column not in available:
        raise OpError("op", f"unknown column {column!r} (choose from: {', '.join(available)})")
    accepts = OPERATORS[name].accepts
    if not kind_accepted(column_kind(available[column]), accepts):
        wanted = " or ".join(accepts)
        raise OpError("op", f"{name} needs a {wanted} column; {column!r} is {available[column]}")


def check_query(sql: str) -> str | None:
    """Why `sql` is not a single read statement (SELECT, WITH or VALUES), or None; never runs it."""
    try:
        statements = duckdb.connect(":memory:").extract_statements(sql)
    except duckdb.Error as error:
        return "does not parse: " + str(error).splitlines()[0]
    if len(statements) != 1:
        return f"must be one statement, not {len(statements)}"
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        return f"must be a read statement (SELECT, WITH or VALUES), not {kind.name}"
    return None


def _check_source(reader: _Reader, data: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """Exactly one of `dataset` (a table or view name) and `query` (a single read statement)."""
    dataset = reader.string(data, "dataset", required=False)
    query = reader.string(data, "query", required=False)
    if (dataset is None) == (query is None):
        reader.fail("give exactly one of dataset or query", "query" if query else "dataset", "dataset/query")
    if dataset is not None and not _DATASET.match(dataset):
        reader.fail(f"{dataset!r} is not a table or view name", "dataset")
    if query is not None and (problem := check_query(query)):
        reader.fail(problem, "query")
    return dataset, query


def _read_qi(reader: _Reader, data: Any, columns: tuple[str, ...]) -> QuasiIdentifiers:
    """The [quasi_identifiers] table; its columns must be columns of the slice."""
    if data is None:
        return QuasiIdentifiers()
    if not isinstance(data, dict):
        reader.fail("must be a table", "quasi_identifiers")
    reader.unknown_keys(data, QI_KEYS, "quasi_identifiers")
    found: dict[str, tuple[str, ...]] = {}
    for name in QI_KEYS:
        path, label = f"quasi_identifiers.{name}", f"[quasi_identifiers] {name}"
        found[name] = reader.str_list(data.get(name, []), path, label)
        for column in found[name]:
            if column not in columns:
                reader.fail(f"{column!r} is not a column of the slice", path, label)
    return QuasiIdentifiers(found["columns"], found["sensitive"])


def _check_outputs(reader: _Reader, policy: Policy) -> None:
    """Every output column exists in the source or is produced by an operator."""
    if reader.available is None:
        return
    known = set(reader.available) | set(policy.produced_columns())
    for column in policy.output_columns:
        if column not in known:
            choices = ", ".join(reader.available)
            reader.fail(f"unknown column {column!r} (choose from: {choices})", f"columns.{column}", "columns")


def load_policy(
    text: str, *, available_columns: dict[str, str] | None = None, source: str = "policy"
) -> Policy:
    """Parse and validate a policy; `available_columns` (name -> DuckDB type) enables column checks."""
    reader = _Reader(text, source, available_columns)
    data = reader.parse()
    reader.unknown_keys(data, TOP_KEYS, "")
    name = reader.string(data, "name", required=True) or ""
    recipient = reader.string(data, "recipient", required=True) or ""
    dataset, query = _check_source(reader, data)
    if "columns" not in data:
        reader.fail("is required", "columns")
    columns, ops = _read_columns(reader, data["columns"])
    policy = Policy(
        name=name,
        recipient=recipient,
        dataset=dataset,
        query=query,
        columns=columns,
        filter=_read_filter(reader, data.get("filter")),
        column_ops=ops,
        quasi_identifiers=_read_qi(reader, data.get("quasi_identifiers"), columns),
        description=reader.string(data, "description", required=False),
        source_text=text,
    )
    _check_outputs(reader, policy)
    canonical = dump_policy(policy)
    return replace(policy, sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def load_policy_file(path: str | Path, *, available_columns: dict[str, str] | None = None) -> Policy:
    """Read and validate a policy file (errors name the file)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"cannot read the policy: {error}", source=file.name) from None
    return load_policy(text, available_columns=available_columns, source=file.name)


def _filter_lines(policy_filter: PolicyFilter) -> list[str]:
    """The [filter] table, or nothing when it is empty."""
    pairs = [
        ("platforms", list(policy_filter.platforms) or None),
        ("since", policy_filter.since),
        ("until", policy_filter.until),
        ("conversations", list(policy_filter.conversations) or None),
        ("people", list(policy_filter.people) or None),
    ]
    lines = policy_toml.assignments(pairs)
    return ["", "[filter]", *lines] if lines else []


def _column_lines(policy: Policy) -> list[str]:
    """`columns = [...]` when nothing changes, else one table per column and op, in order."""
    if not policy.column_ops:
        return [f"columns = {policy_toml.value(list(policy.columns))}"]
    lines: list[str] = []
    for column in policy.columns:
        ops = [op for op in policy.column_ops if op.column == column]
        header = f"columns.{policy_toml.key(column)}"
        if not ops:
            lines += ["", f"[{header}]"]
        for op in ops:
            lines += ["", f"[[{header}]]" if len(ops) > 1 else f"[{header}]"]
            lines += policy_toml.assignments([("op", op.op), *op.params.items()])
    return lines


def dump_policy(policy: Policy) -> str:
    """The canonical TOML of a policy; load_policy(dump_policy(p)) gives p back."""
    head = policy_toml.assignments(
        [
            ("name", policy.name),
            ("recipient", policy.recipient),
            ("description", policy.description),
            ("dataset", policy.dataset),
            ("query", policy.query),
        ]
    )
    qi = policy.quasi_identifiers
    qi_pairs = [("columns", list(qi.columns) or None), ("sensitive", list(qi.sensitive) or None)]
    qi_lines = policy_toml.assignments(qi_pairs)
    lines = head + _filter_lines(policy.filter)
    if policy.column_ops:
        lines += (["", "[quasi_identifiers]", *qi_lines] if qi_lines else []) + _column_lines(policy)
    else:
        lines += _column_lines(policy) + (["", "[quasi_identifiers]", *qi_lines] if qi_lines else [])
    return "\n".join(lines) + "\n"
