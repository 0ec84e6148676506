"""Who wrote each WhatsApp line: a sender, or nobody (system lines, iOS's group-name lines)."""

from __future__ import annotations

from importers._whatsapp_body import classify, is_encryption_notice

_LRM = "\u200e"
_NAME_LIMIT = 120
_NAME_MARKS = _LRM + " \u202f\u00a0"


class SenderReader:
    """Split "Name: text" lines, remembering cleaned names (a chat has few senders)."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def split(self, body: str) -> tuple[str | None, str]:
        """The sender of a message body and its text; a line without a name has no sender."""
        newline = body.find("\n")
        first = body if newline < 0 else body[:newline]
        colon = first.find(": ")
        if 0 < colon <= _NAME_LIMIT:
            raw = first[:colon]
            name = self._names.get(raw)
            if name is None and '"' not in raw and "“" not in raw:
                name = self._names[raw] = clean_name(raw)
            if name is not None:
                return name, body[colon + 2 :]
        if first.endswith(":") and 0 < len(first) <= _NAME_LIMIT and ": " not in first:
            return clean_name(first[:-1]), body[len(first) + 1 :]
        return None, body


def clean_name(name: str) -> str:
    """Drop the marks WhatsApp puts around names (LRM, the "~ " of numbers not in contacts)."""
    name = name.strip(_NAME_MARKS)
    if name.startswith("~"):
        name = name[1:].lstrip(_NAME_MARKS)
    return name


def resolve_tight_colon(text: str, authors: set[str]) -> tuple[str, str] | None:
    """Read "Name:text" (no space) as a message only when Name writes elsewhere in the file."""
    colon = text.find(":")
    if colon <= 0:
        return None
    name = clean_name(text[:colon])
    return (name, text[colon + 1 :]) if name in authors else None


def is_system_text(text: str) -> bool:
    """Tell whether a named line is an iOS system line (LRM-prefixed event or encryption notice).

    iOS writes group events under the group's name ("Team: ‎Alice added Bob") and the
    encryption notice under a contact's name; neither is that name's message.
    """
    if is_encryption_notice(text):
        return True
    return text.startswith(_LRM) and classify(text) is None
