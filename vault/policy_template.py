"""The commented starting policy that `coffer policy new DATASET` prints, generated from the registry."""

from __future__ import annotations

from vault import policy_toml
from vault.anonymize.operators import OPERATORS
from vault.anonymize.registry import OperatorSpec, Param, column_kind
from vault.reveal.linkage import RECORD_ID_COLUMNS

_PEOPLE_COLUMNS = ("sender_id", "author_id", "person_id", "from_id", "contact_id")
_TEXT_COLUMNS = ("text", "title", "body", "address", "place_name", "summary", "value", "target")

_HEADER = """\
# Coffer share policy for the `{dataset}` dataset.
# Check it with `coffer policy check FILE`, see what it reveals with `coffer reveal --policy FILE`,
# then `coffer export --policy FILE --out slice.csv`. The same file for the same recipient always
# gives the same slice; another recipient gets other pseudonyms and other random draws.

name = {name}
recipient = "CHANGE-ME"             # who receives the slice: scopes pseudonyms and random draws
dataset = {dataset_value}
# query = "SELECT ..."              # instead of dataset: one read statement, run in the sandbox

# [filter]                          # all optional
# platforms = ["telegram", "whatsapp"]
# since = "2023-01-01"
# until = "2024-12-31"
# conversations = [1, 2]            # conversation ids (coffer query "SELECT id, title FROM conversations")
# people = [3]                      # person ids (coffer people)

# The columns that leave, in this order. An empty table keeps a column as it is; `op` applies an
# operator (all of them are described at the end). Write [[columns.NAME]] several times to apply
# several operators to one column, in order. Remove a column's table to leave it out.
# Location operators are declared on the latitude (`lat`, `start_lat`...) and act on the pair.
"""

_FOOTER = """
# [quasi_identifiers]               # optional: columns an outsider may know, for k-anonymity
# columns = ["age_band", "city"]
# sensitive = ["topic"]

# Row filters (drop_others, stays_only, privacy_zone) see the original values; the other operators
# then run in the order written; suppress_rare runs last, on the values that leave.
"""


def _suggested(name: str, duckdb_type: str) -> list[tuple[str, object]]:
    """A cautious default operator for a column, judged by its name and type."""
    kind = column_kind(duckdb_type)
    if kind == "time":
        return [("op", "truncate"), ("to", "hour")]
    if name in _PEOPLE_COLUMNS or name in RECORD_ID_COLUMNS:  # record ids: see reveal/linkage.py
        return [("op", "pseudonymize")]
    if kind == "text" and name in _TEXT_COLUMNS:
        return [("op", "redact")]
    if kind == "float" and (name == "lat" or name.endswith("_lat")):
        return [("op", "snap"), ("res", 8)]
    return []


def _column_block(name: str, duckdb_type: str) -> list[str]:
    """One column's table with its suggested operator."""
    header = f"[columns.{policy_toml.key(name)}]"
    lines = ["", f"{header:<36}# {duckdb_type}"]
    return lines + policy_toml.assignments(_suggested(name, duckdb_type))


def _param_line(param: Param) -> str:
    """One commented parameter with its default, choices and meaning."""
    shown = policy_toml.value(param.default) if param.default is not None else "(none)"
    setting = f"{param.name} = {shown}"
    notes = [param.doc]
    if param.choices:
        notes.append("choose from: " + ", ".join(str(c) for c in param.choices))
    if param.required:
        notes.append("required")
    return f"#     {setting:<30} # {'; '.join(notes)}"


def _operator_lines(spec: OperatorSpec) -> list[str]:
    """The reference entry of one operator."""
    accepts = ", ".join(spec.accepts)
    lines = [f"#   {spec.name}: {spec.summary}. Columns: {accepts}."]
    return lines + [_param_line(p) for p in spec.params]


def reference() -> str:
    """Every operator and its parameters, grouped by family, as TOML comments."""
    lines = ["", "# Operators", "# ---------"]
    family = ""
    for spec in OPERATORS.values():
        if spec.family != family:
            family = spec.family
            lines.append(f"# {family}")
        lines += _operator_lines(spec)
    return "\n".join(lines) + "\n"


def render(dataset: str, columns: list[tuple[str, str]]) -> str:
    """The commented starting policy for a dataset with these (name, DuckDB type) columns."""
    head = _HEADER.format(
        dataset=dataset,
        name=policy_toml.value(f"{dataset}-share"),
        dataset_value=policy_toml.value(dataset),
    )
    body = [line for name, kind in columns for line in _column_block(name, kind)]
    return head + "\n".join(body) + "\n" + _FOOTER + reference()
