"""Text repairs that several platforms' exports need."""

from __future__ import annotations

from typing import Any


def fix_mojibake(text: str) -> str:
    """Undo Meta's habit of writing UTF-8 bytes as Latin-1 code points ("Ã©" for "é").

    Messenger, Instagram and Facebook JSON escape each UTF-8 byte as its own \\u00XX; a string
    that only holds code points below 256 and decodes as UTF-8 was written that way.
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def fix_mojibake_deep(value: Any) -> Any:
    """Apply `fix_mojibake` to every string in a JSON value, keys included."""
    if isinstance(value, str):
        return fix_mojibake(value)
    if isinstance(value, list):
        return [fix_mojibake_deep(item) for item in value]
    if isinstance(value, dict):
        return {fix_mojibake(k): fix_mojibake_deep(v) for k, v in value.items()}
    return value
