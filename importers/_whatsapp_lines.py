"""Split a WhatsApp chat text into raw messages: header fields and the body that follows."""

from __future__ import annotations

import codecs
import re
from functools import cached_property
from typing import Any

from importers._whatsapp_header import HEADER
from vault.records import MalformedExport

_BLANKS = " \t\n\u00a0\u202f"


class RawMessages:
    """Each header's fields, by column, and the body that follows it (up to the next header).

    Where each header starts is only needed to name the line of a bad one, so it is found lazily.
    """

    def __init__(self, parts: list[Any], text: str, strong_only: bool) -> None:
        # parts: [text before, 11 groups, body, 11 groups, body, ...], as `re.split` returns them
        self.count = len(parts) // _STRIDE
        self.columns: list[list[str | None]] = [parts[1 + group :: _STRIDE] for group in range(_GROUPS)]
        self.bodies: list[str] = parts[_STRIDE::_STRIDE]
        self._text = text
        self._strong_only = strong_only

    @cached_property
    def starts(self) -> list[int]:
        matches = HEADER.finditer(self._text)
        return [m.start() for m in matches if not (self._strong_only and _is_weak(m.group(11)))]


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
    # [text before, 11 groups, body, 11 groups, body, ...]; groups are str or None, bodies str
    parts: list[Any] = _SPLITTER.split("\n" + text)  # each body ends before the next line break
    parts[0] = parts[0][1:]
    endings = parts[_STRIDE - 1 :: _STRIDE]
    weak = sum(map(str.isspace, endings))  # _is_weak, for each header
    strong_only = 0 < weak <= len(endings) - weak
    if strong_only:
        parts = _without_weak(text)
    bodies = parts[_STRIDE::_STRIDE]
    for index, body in enumerate(bodies):
        if body and body[-1] in _BLANKS:
            parts[_STRIDE * (index + 1)] = body.rstrip()
    orphan = None
    if parts[0].strip():
        orphan = len(text) - len(text.lstrip())
    return RawMessages(parts, text, strong_only), orphan


# HEADER with the line break before it, so `split` leaves it out of the previous body.
_SPLITTER = re.compile("\n" + HEADER.pattern.removeprefix("^"), HEADER.flags)
_GROUPS = HEADER.groups
_STRIDE = _GROUPS + 1


def _is_weak(ending: str) -> bool:
    return ending.isspace()


def _without_weak(text: str) -> list[Any]:
    """`HEADER.split`'s list again, with weak headers left inside the body they interrupt."""
    matches = [m for m in HEADER.finditer(text) if not _is_weak(m.group(11))]
    parts: list[Any] = [text[: matches[0].start()]]
    ends = [m.start() for m in matches[1:]] + [len(text)]
    for match, end in zip(matches, ends, strict=True):
        parts += match.groups()
        parts.append(text[match.end() : end])
    return parts


def line_number(text: str, position: int) -> int:
    """The 1-based line number of a position in the text."""
    return text.count("\n", 0, position) + 1


def require_messages(messages: RawMessages) -> None:
    """Refuse a file in which no WhatsApp header was found."""
    if not messages.count:
        raise MalformedExport("no WhatsApp message header found")
