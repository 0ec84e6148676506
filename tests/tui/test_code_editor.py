"""The code editor degrades to plain text when tree-sitter or a grammar is missing."""

from __future__ import annotations

import pytest
from textual._tree_sitter import TREE_SITTER

from tui.widgets.code import code_editor


def test_a_missing_grammar_gives_a_plain_editor() -> None:
    area = code_editor("SELECT 1", "no-such-language", id="editor")
    assert area.language is None and area.text == "SELECT 1" and not area.cursor_blink


@pytest.mark.skipif(not TREE_SITTER, reason="tree-sitter (textual[syntax]) is not installed")
def test_a_known_grammar_is_kept_when_installed() -> None:
    assert code_editor("SELECT 1", "sql", id="editor").language == "sql"
