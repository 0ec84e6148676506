"""Share policies: validation with lines and choices, round trips, the template, the query check."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from vault.anonymize import OPERATORS
from vault.policy import Policy, PolicyError, dump_policy, load_policy, load_policy_file
from vault.policy_template import render

MESSAGES = {
    "ts": "TIMESTAMP WITH TIME ZONE",
    "sender_id": "BIGINT",
    "text": "VARCHAR",
    "conversation_id": "BIGINT",
}
GOOD = """\
name = "chats-for-research"
recipient = "study-42"              # scopes pseudonyms and random seeds
dataset = "messages"

[filter]
platforms = ["telegram", "whatsapp"]
since = "2023-01-01"
until = 2024-12-31
conversations = ["12", 13]

[columns.ts]
op = "truncate"
to = "hour"

[columns.sender_id]
op = "pseudonymize"

[columns.text]
op = "redact"

[columns.conversation_id]

[quasi_identifiers]
columns = ["ts"]
"""


def _error(text: str, available: dict[str, str] | None = MESSAGES) -> str:
    with pytest.raises(PolicyError) as caught:
        load_policy(text, available_columns=available, source="share.toml")
    return str(caught.value)


def test_a_good_policy_loads() -> None:
    policy = load_policy(GOOD, available_columns=MESSAGES)
    assert policy.columns == ("ts", "sender_id", "text", "conversation_id")
    assert [(o.column, o.op, o.params) for o in policy.column_ops] == [
        ("ts", "truncate", {"to": "hour"}),
        ("sender_id", "pseudonymize", {}),
        ("text", "redact", {}),
    ]
    assert policy.filter.until == "2024-12-31" and policy.filter.conversations == (12, 13)
    assert policy.source_text == GOOD and len(policy.sha256) == 64


def test_dump_round_trips_and_comments_do_not_change_the_hash() -> None:
    policy = load_policy(GOOD)
    again = load_policy(dump_policy(policy))
    assert again == policy and again.sha256 == policy.sha256
    commented = load_policy("# a note\n" + GOOD.replace("# scopes", "# keys"))
    assert commented.sha256 == policy.sha256
    assert load_policy(GOOD.replace("study-42", "study-43")).sha256 != policy.sha256


def test_list_form_of_columns() -> None:
    policy = load_policy('name = "n"\nrecipient = "r"\ndataset = "messages"\ncolumns = ["ts", "text"]\n')
    assert policy.columns == ("ts", "text") and policy.column_ops == ()
    assert load_policy(dump_policy(policy)) == policy


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('op = "truncate"', 'op = "trunc"'),
            "share.toml line 12: [columns.ts] op: unknown operator 'trunc' (choose from: drop, pseudonymize",
        ),
        (
            ('to = "hour"', 'to = "minute"'),
            "share.toml line 13: [columns.ts] to: invalid value 'minute' (choose from: hour, day, week, month)",
        ),
        (('to = "hour"', "to = 3"), "share.toml line 13: [columns.ts] to: must be a string, not 3"),
        (
            ("[columns.conversation_id]", "[columns.conversation]"),
            "share.toml line 21: columns: unknown column 'conversation' (choose from: ts, sender_id",
        ),
        (
            ('op = "redact"', 'op = "truncate"\nto = "day"'),
            "share.toml line 19: [columns.text] op: truncate needs a time column; 'text' is VARCHAR",
        ),
        (
            ('op = "pseudonymize"', 'op = "pseudonymize"\nsalt = "x"'),
            "share.toml line 17: [columns.sender_id] salt: unknown parameter for pseudonymize",
        ),
        (
            ('dataset = "messages"', 'query = "DELETE FROM messages"'),
            "share.toml line 3: query: must be a read statement (SELECT, WITH or VALUES), not DELETE",
        ),
        (
            ('dataset = "messages"', 'query = "SELECT 1; DROP TABLE messages"'),
            "share.toml line 3: query: must be one statement, not 2",
        ),
        (
            ('dataset = "messages"', "query = \"COPY messages TO '/tmp/x.csv'\""),
            "share.toml line 3: query: must be a read statement",
        ),
        (
            ('dataset = "messages"', 'dataset = "messages"\nquery = "SELECT 1"'),
            "share.toml line 4: dataset/query: give exactly one of dataset or query",
        ),
        (("[filter]", "[filters]"), "share.toml line 5: filters: unknown key (choose from: name"),
        (
            ('since = "2023-01-01"', 'since = "last year"'),
            "share.toml line 7: [filter] since: must be a date",
        ),
        (
            ('columns = ["ts"]', 'columns = ["age"]'),
            "share.toml line 24: [quasi_identifiers] columns: 'age' is not a column of the slice",
        ),
        (
            ('platforms = ["telegram", "whatsapp"]', "platforms = ["),
            "share.toml line 7: invalid TOML: Invalid value",
        ),
    ],
)
def test_bad_policies_name_line_key_and_choices(change: tuple[str, str], expected: str) -> None:
    assert change[0] in GOOD
    assert _error(GOOD.replace(*change)).startswith(expected)


def test_missing_required_keys() -> None:
    assert "name: is required" in _error(GOOD.replace('name = "chats-for-research"\n', ""))
    assert "recipient: must be a non-empty string" in _error(GOOD.replace('"study-42"', '""'))


def test_location_pair_checks() -> None:
    locations = {"ts": "TIMESTAMP WITH TIME ZONE", "lat": "DOUBLE", "lon": "DOUBLE"}
    base = 'name = "n"\nrecipient = "r"\ndataset = "locations"\n[columns.lat]\nop = "snap"\n'
    assert load_policy(base + "[columns.lon]\n", available_columns=locations).columns == ("lat", "lon")
    bad = base + 'lon = "longitude"\n'
    assert "lon: the longitude column 'longitude' does not exist" in _error(bad, locations)
    grid = base + 'grid_m = 250.0\ncell_column = "h3"\n'
    assert "cell_column: only H3 snapping has cells" in _error(grid, locations)


def test_required_columns_for_the_engine() -> None:
    policy = load_policy(
        'name = "n"\nrecipient = "r"\ndataset = "messages"\n'
        '[[columns.text]]\nop = "drop_others"\n[[columns.text]]\nop = "redact"\n'
    )
    assert policy.output_columns == ("text",)
    assert policy.required_columns() == ("text", "sender_id")


def test_load_policy_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "share.toml"
    path.write_text(GOOD.replace('to = "hour"', 'to = "minute"'), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"^share.toml line 13: \[columns.ts\] to"):
        load_policy_file(path)
    assert PolicyError("x").exit_code == 2


def test_the_template_loads_back_and_documents_every_operator() -> None:
    columns = [
        ("id", "BIGINT"),
        ("ts", "TIMESTAMP WITH TIME ZONE"),
        ("sender_id", "BIGINT"),
        ("text", "VARCHAR"),
        ("lat", "DOUBLE"),
        ("lon", "DOUBLE"),
        ("kind", "VARCHAR"),
    ]
    text = render("messages", columns)
    policy = load_policy(text, available_columns=dict(columns))
    assert isinstance(policy, Policy) and policy.columns == tuple(c for c, _ in columns)
    for spec in OPERATORS.values():
        assert f"#   {spec.name}: " in text
        for param in spec.params:
            assert f"#     {param.name} = " in text
    assert replace(policy, recipient="x").recipient == "x"
    assert [op.op for op in policy.column_ops if op.column == "id"] == ["pseudonymize"]  # ids encode time
