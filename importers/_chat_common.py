"""Helpers shared by the chat importers (WhatsApp, Telegram, Messenger, Discord)."""

from __future__ import annotations

import codecs
import re
from typing import IO

_PHONE_LIKE = re.compile(r"^\+?[\d\s\-().\u00a0\u202f]{6,}$")

_EXT_KINDS = {
    "jpg": "photo",
    "jpeg": "photo",
    "png": "photo",
    "heic": "photo",
    "gif": "gif",
    "mp4": "video",
    "mov": "video",
    "3gp": "video",
    "webm": "video",
    "opus": "voice",
    "ogg": "voice",
    "m4a": "audio",
    "mp3": "audio",
    "aac": "audio",
    "wav": "audio",
    "webp": "sticker",
    "tgs": "sticker",
    "vcf": "file",
    "pdf": "file",
}

_NAME_HINTS = (
    ("PHOTO", "photo"),
    ("IMG", "photo"),
    ("VID", "video"),
    ("PTT", "voice"),
    ("AUD", "audio"),
    ("STK", "sticker"),
    ("GIF", "gif"),
)


def looks_like_phone(name: str) -> bool:
    """Tell whether a sender name is a phone number written as such (at least 6 digits)."""
    return bool(_PHONE_LIKE.match(name)) and sum(ch.isdigit() for ch in name) >= 6


def attachment_kind(file_name: str) -> str:
    """Guess an attachment's kind from its file name (WhatsApp names carry PHOTO/VID/PTT tags)."""
    upper = file_name.upper()
    for hint, kind in _NAME_HINTS:
        if hint in upper:
            return kind
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return _EXT_KINDS.get(ext, "file")


def is_me(options_me: str | None, *names: str | None) -> bool:
    """Tell whether any of a person's names equals the owner named by `--me` (case-insensitive)."""
    if not options_me:
        return False
    wanted = options_me.strip().casefold()
    return any(name is not None and name.strip().casefold() == wanted for name in names)


class BomSkippingReader:
    """A binary reader that drops a leading UTF-8 byte-order mark (ijson refuses one)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        start = handle.read(3)
        self._pending = b"" if start == codecs.BOM_UTF8 else start

    def read(self, size: int = -1) -> bytes:
        """Read like the wrapped file, after what was looked at to find the mark."""
        if not self._pending:
            return self._handle.read(size)
        if size is None or size < 0:
            data, self._pending = self._pending + self._handle.read(), b""
            return data
        data, self._pending = self._pending[:size], self._pending[size:]
        if len(data) < size:
            data += self._handle.read(size - len(data))
        return data
