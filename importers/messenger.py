"""Messenger and Instagram DMs: `inbox/<thread>/message_N.json` (older and 2024+ layouts)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import ijson

from importers._chat_common import BomSkippingReader, is_me
from importers._text import fix_mojibake, fix_mojibake_deep
from vault.records import (
    Attachment,
    Conversation,
    Detection,
    ImportOptions,
    Invalid,
    MalformedExport,
    Message,
    Person,
    Reaction,
    Record,
    SourceFile,
    Unrecognized,
)

NAME = "messenger"
PLATFORM = "messenger"
VERSION = "1"

_MESSAGE_FILE = re.compile(r"(?:^|/)message_\d+\.json$", re.IGNORECASE)
_MEDIA = {
    "photos": "photo",
    "videos": "video",
    "gifs": "gif",
    "audio_files": "audio",
    "files": "file",
}
_KNOWN_MESSAGE_FIELDS = frozenset(
    {
        "sender_name",
        "timestamp_ms",
        "content",
        "type",
        "is_unsent",
        "is_taken_down",
        "is_geoblocked_for_viewer",
        "is_unsent_image_by_messenger_kid_parent",
        "reactions",
        "share",
        "sticker",
        "call_duration",
        "missed",
        "ip",
        "users",
        *_MEDIA,
    }
)
_KNOWN_TOP = frozenset(
    [
        "participants",
        "messages",
        "title",
        "is_still_participant",
        "thread_type",
        "thread_path",
        "magic_words",
        "image",
        "joinable_mode",
    ]
)
_SYSTEM_TYPES = frozenset({"Subscribe", "Unsubscribe"})


def platform(source: SourceFile) -> str:
    """Which platform a message file belongs to: Instagram's and Messenger's share this shape."""
    lowered = source.name.lower()
    return "instagram" if "instagram" in lowered else PLATFORM


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim Meta's `message_N.json` thread files."""
    if not source.name.lower().endswith(".json"):
        return None
    compact = head.replace(b" ", b"").replace(b"\n", b"")
    if b'"sender_name":' in compact and b'"timestamp_ms":' in compact:
        return Detection(score=60 if _MESSAGE_FILE.search(source.name) else 45)
    return None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Yield a thread's participants, its conversation and its messages, strings repaired."""
    thread = _load(source)
    messages = thread.get("messages")
    if not isinstance(messages, list):
        raise MalformedExport("no messages list in this Messenger/Instagram thread file")
    for key in sorted(thread.keys() - _KNOWN_TOP):
        yield Unrecognized(key)
    participants = [p.get("name") for p in thread.get("participants", []) if isinstance(p, dict)]
    senders = [m.get("sender_name") for m in messages if isinstance(m, dict)]
    members = [n for n in dict.fromkeys([*participants, *senders]) if isinstance(n, str)]
    for name in members:
        yield Person(name, name, is_me(options.me, name))
    key = _thread_key(source, thread)
    kind = "group" if len(members) > 2 or thread.get("thread_type") == "RegularGroup" else "direct"
    yield Conversation(key, thread.get("title"), kind, tuple(members))
    unknown: set[str] = set()
    for index, message in enumerate(messages):
        yield from _message(message, key, f"messages[{index}]", unknown)


def _load(source: SourceFile) -> dict[str, Any]:
    with source.open() as handle:
        try:
            thread = dict(ijson.kvitems(BomSkippingReader(handle), "", use_float=True))
        except (ijson.JSONError, UnicodeDecodeError) as error:
            raise MalformedExport(f"not valid JSON: {error}") from error
    repaired: dict[str, Any] = fix_mojibake_deep(thread)
    return repaired


def _thread_key(source: SourceFile, thread: dict[str, Any]) -> str:
    """The thread's stable key: its `thread_path`, else its folder (all message_N share it)."""
    path = thread.get("thread_path")
    if isinstance(path, str) and path:
        return path
    parts = source.path.replace("\\", "/").split("/")
    if len(parts) >= 3 and _MESSAGE_FILE.search(parts[-1]):
        return f"{parts[-3]}/{parts[-2]}"
    title = thread.get("title")
    return title if isinstance(title, str) and title else fix_mojibake(source.name)


def _message(message: Any, key: str, where: str, unknown: set[str]) -> Iterator[Record]:
    if not isinstance(message, dict) or not isinstance(message.get("timestamp_ms"), int | float):
        yield Invalid("message without a timestamp", where)
        return
    for field in sorted(message.keys() - _KNOWN_MESSAGE_FIELDS - unknown):
        unknown.add(field)
        yield Unrecognized(f"messages.{field}")
    attachments = _attachments(message)
    yield Message(
        key,
        message.get("sender_name"),
        int(message["timestamp_ms"]),
        message.get("content"),
        _kind(message, attachments),
        deleted=bool(message.get("is_unsent")),
        attachments=attachments,
        reactions=_reactions(message.get("reactions")),
    )


def _kind(message: dict[str, Any], attachments: tuple[Attachment, ...]) -> str:
    if "call_duration" in message or message.get("type") == "Call":
        return "call"
    if message.get("type") in _SYSTEM_TYPES:
        return "system"
    if any(a.kind != "link" for a in attachments):
        return "media"
    return "text"


def _attachments(message: dict[str, Any]) -> tuple[Attachment, ...]:
    found = []
    for field, kind in _MEDIA.items():
        for item in message.get(field) or []:
            if isinstance(item, dict):
                found.append(Attachment(kind, _file_name(item.get("uri")), ts_ms=_created(item)))
    sticker = message.get("sticker")
    if isinstance(sticker, dict):
        found.append(Attachment("sticker", _file_name(sticker.get("uri"))))
    share = message.get("share")
    if isinstance(share, dict) and share.get("link"):
        found.append(Attachment("link", str(share["link"])))
    return tuple(found)


def _file_name(uri: Any) -> str | None:
    return uri.rsplit("/", 1)[-1] if isinstance(uri, str) and uri else None


def _created(item: dict[str, Any]) -> int | None:
    created = item.get("creation_timestamp")
    return int(created) * 1000 if isinstance(created, int | float) else None


def _reactions(reactions: Any) -> tuple[Reaction, ...]:
    if not isinstance(reactions, list):
        return ()
    return tuple(
        Reaction(r.get("actor"), str(r.get("reaction", "")), _reaction_ts(r.get("timestamp")))
        for r in reactions
        if isinstance(r, dict)
    )


def _reaction_ts(value: Any) -> int | None:
    return int(value) * 1000 if isinstance(value, int | float) else None
