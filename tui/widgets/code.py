"""A code editor that highlights when tree-sitter's grammar is installed, and stays plain otherwise."""

from __future__ import annotations

from textual.widgets import TextArea
from textual.widgets.text_area import LanguageDoesNotExist


def code_editor(text: str, language: str, *, id: str) -> TextArea:
    """A non-blinking code editor for `language`."""
    try:
        area = TextArea.code_editor(text, language=language, id=id, soft_wrap=True)
    except LanguageDoesNotExist:
        area = TextArea.code_editor(text, id=id, soft_wrap=True)
    area.cursor_blink = False
    return area
