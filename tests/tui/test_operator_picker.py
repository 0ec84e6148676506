"""The operator picker's policy rewriting: what it offers per column type and the TOML it writes."""

from __future__ import annotations

import pytest

from tui.widgets.operator_picker import KEEP, current_operator, operator_choices, with_operator
from vault.policy import PolicyError, load_policy

POLICY = """\
name = "chats"
recipient = "study-1"
dataset = "messages"

[columns.ts]
op = "truncate"
to = "day"

[columns.sender_id]
op = "pseudonymize"

[columns.text]
op = "redact"
"""


def test_choices_follow_the_column_type() -> None:
    text_ops = {name for _, name in operator_choices("VARCHAR")}
    time_ops = {name for _, name in operator_choices("TIMESTAMP WITH TIME ZONE")}
    assert KEEP in text_ops and "redact" in text_ops and "truncate" not in text_ops
    assert "truncate" in time_ops and "redact" not in time_ops
    assert "bin" not in {name for _, name in operator_choices("DOUBLE")}  # needs edges only TOML can give


def test_with_operator_replaces_only_that_column() -> None:
    text = with_operator(POLICY, "text", "length_only")
    policy = load_policy(text)
    ops = {op.column: (op.op, op.params) for op in policy.column_ops}
    assert ops["text"] == ("length_only", {})
    assert ops["ts"] == ("truncate", {"to": "day"}) and ops["sender_id"][0] == "pseudonymize"
    assert policy.columns == ("ts", "sender_id", "text")
    assert current_operator(text, "text") == "length_only"


def test_keep_removes_the_operator_and_required_defaults_are_filled() -> None:
    kept = load_policy(with_operator(POLICY, "text", KEEP))
    assert "text" in kept.columns and all(op.column != "text" for op in kept.column_ops)
    truncated = load_policy(with_operator(POLICY, "sender_id", "truncate"))
    assert [op.params for op in truncated.column_ops if op.column == "sender_id"] == [{"to": "hour"}]


def test_a_broken_policy_is_not_rewritten() -> None:
    assert current_operator("name = ", "text") is None
    with pytest.raises(PolicyError):
        with_operator("name = ", "text", "redact")
