"""Split a WhatsApp chat text into raw messages: header fields and the body that follows."""

from __future__ import annotations

import codecs
from typing import NamedTuple

from importers._whatsapp_header import HEADER
from vault.records import MalformedExport

Fields = tuple[str | None, ...]

_BLANKS = " \t\n\u00a0\u202f"


class RawMessages(NamedTuple):
    """Parallel lists: each header's fields, where it starts, and its body (up to the next)."""

    fields: list[Fields]
    starts: list[int]
    bodies: list[str]


def decode(data: bytes) -> str:
    """Decode an export's bytes (UTF-8 with or without BOM, or UTF-16 with a BOM)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data[:4096]:
        raise MalformedExport("binary data, not a WhatsApp chat text")
    else:
        text = data.decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n")


def count_strong_headers(text: str) -> int:
    """How many lines of `text` start with a header that ends with a separator."""
    return sum(1 for match in HEADER.finditer(text) if not match.group(11).isspace())


def split_messages(text: str) -> tuple[RawMessages, int | None]:
    """Split a chat into raw messages; also return where text stands before the first one.

    A header followed only by a space ("13.06.18 21:25 text") is weak: when headers with a
    separator are the majority, weak ones are body lines that happen to start with a date.
    """
    matches = list(HEADER.finditer(text))
    if not matches:
        return RawMessages([], [], []), None
    weak = [match.group(11).isspace() for match in matches]
    if 0 < sum(weak) <= len(weak) - sum(weak):
        matches = [match for match, is_weak in zip(matches, weak, strict=True) if not is_weak]
    starts = [match.start() for match in matches]
    bodies = []
    for match, end in zip(matches, [*starts[1:], len(text) + 1], strict=True):
        body = text[match.end() : end - 1]
        if body[-1:] in _BLANKS and body:
            body = body.rstrip()
        bodies.append(body)
    orphan = None
    if matches and text[: starts[0]].strip():
        orphan = len(text) - len(text.lstrip())
    return RawMessages([match.groups() for match in matches], starts, bodies), orphan


def line_number(text: str, position: int) -> int:
    """The 1-based line number of a position in the text."""
    return text.count("\n", 0, position) + 1


def require_messages(messages: RawMessages) -> None:
    """Refuse a file in which no WhatsApp header was found."""
    if not messages.starts:
        raise MalformedExport("no WhatsApp message header found")
