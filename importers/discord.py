"""Discord data package: `messages/c<id>/messages.json|csv`, titled from its channel files."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import ijson

from importers._chat_common import BomSkippingReader, attachment_kind
from vault.records import (
    Attachment,
    Conversation,
    Detection,
    ImportOptions,
    Invalid,
    MalformedExport,
    Message,
    Person,
    Record,
    SourceFile,
)

NAME = "discord"
PLATFORM = "discord"
VERSION = "1"

_CSV_HEADER = b"ID,Timestamp,Contents,Attachments"
_CHANNEL_KINDS = {0: "channel", 1: "direct", 3: "group", 5: "channel", 11: "channel"}
_EXACT_ID = re.compile(r"^\d+$")


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a channel's messages; knowingly skip the channel and index files it reads."""
    name = source.name.replace("\\", "/").lower()
    stripped = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if name.endswith("messages.csv") and stripped.startswith(_CSV_HEADER):
        return Detection(score=60)
    compact = stripped.replace(b" ", b"")
    if name.endswith("messages.json") and compact.startswith(b"[") and b'"timestamp":' in compact.lower():
        return Detection(score=60)
    if name.endswith("index.json") and re.match(rb'^\{"\d+":', compact):
        return Detection(skip_reason="Discord channel index: read for titles by each channel")
    if name.endswith("channel.json") and b'"id":' in compact and b'"type":' in compact:
        return Detection(skip_reason="Discord channel description: read with its messages")
    return None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Yield the owner, the channel and the owner's messages in it."""
    owner = _owner(source)
    owner_key = owner.key
    yield owner
    channel = _read_json(source.sibling("channel.json")) or {}
    channel_id = str(channel.get("id") or _folder_channel_id(source.path) or source.name)
    yield Conversation(channel_id, _title(source, channel, channel_id), _kind(channel), (owner_key,))
    rows = _csv_rows(source) if source.name.lower().endswith(".csv") else _json_rows(source)
    for index, row in enumerate(rows):
        yield _message(row, channel_id, owner_key, f"messages[{index}]")


def _owner(source: SourceFile) -> Person:
    user = _read_json(source.sibling("../../account/user.json"))
    if not user or user.get("id") is None:
        return Person("self", None, True)
    email = user.get("email")
    return Person(
        str(user["id"]),
        user.get("global_name") or user.get("username"),
        True,
        emails=(str(email),) if email else (),
        handles=(str(user["username"]),) if user.get("username") else (),
    )


def _read_json(handle: Any) -> dict[str, Any] | None:
    if handle is None:
        return None
    with handle:
        try:
            value = json.loads(handle.read().decode("utf-8-sig"), parse_int=str)
        except (ValueError, UnicodeDecodeError):
            return None
    return value if isinstance(value, dict) else None


def _folder_channel_id(path: str) -> str | None:
    parts = path.replace("\\", "/").split("/")
    folder = parts[-2] if len(parts) >= 2 else ""
    return folder[1:] if folder.startswith("c") and folder[1:].isdigit() else None


def _title(source: SourceFile, channel: dict[str, Any], channel_id: str) -> str | None:
    index = _read_json(source.sibling("../index.json")) or {}
    if index.get(channel_id):
        return str(index[channel_id])
    guild = channel.get("guild")
    name = channel.get("name")
    if isinstance(guild, dict) and guild.get("name") and name:
        return f"{guild['name']} #{name}"
    return str(name) if name else None


def _kind(channel: dict[str, Any]) -> str:
    try:
        return _CHANNEL_KINDS.get(int(channel.get("type", 0)), "channel")
    except (TypeError, ValueError):
        return "channel"


def _json_rows(source: SourceFile) -> Iterator[dict[str, Any]]:
    with source.open() as handle:
        try:
            for item in ijson.items(BomSkippingReader(handle), "item", use_float=True):
                if isinstance(item, dict):
                    yield {str(k).lower(): v for k, v in item.items()}
        except (ijson.JSONError, UnicodeDecodeError) as error:
            raise MalformedExport(f"not valid JSON: {error}") from error


def _csv_rows(source: SourceFile) -> Iterator[dict[str, Any]]:
    with source.open() as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.DictReader(text)
        if [f.lower() for f in reader.fieldnames or []][:2] != ["id", "timestamp"]:
            raise MalformedExport("not a Discord messages.csv (no ID,Timestamp header)")
        for row in reader:
            yield {str(k).lower(): v for k, v in row.items() if k is not None}


def _message(row: dict[str, Any], channel_id: str, owner_key: str, where: str) -> Record:
    ts_ms = _timestamp(row.get("timestamp"))
    if ts_ms is None:
        return Invalid("message without a readable timestamp", where)
    attachments = _attachments(row.get("attachments"))
    text = row.get("contents") or None
    return Message(
        channel_id,
        owner_key,
        ts_ms,
        text,
        "media" if attachments and not text else "text",
        source_id=_source_id(row.get("id")),
        attachments=attachments,
    )


def _source_id(value: Any) -> str | None:
    """The message id, exact; None when a spreadsheet turned it into 1.23457E+17."""
    text = str(value).strip() if value is not None else ""
    return text if _EXACT_ID.match(text) else None


def _timestamp(value: Any) -> int | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)  # the package writes UTC
    return int(stamp.timestamp()) * 1000 + stamp.microsecond // 1000


def _attachments(value: Any) -> tuple[Attachment, ...]:
    if not isinstance(value, str) or not value.strip():
        return ()
    urls = value.split()
    return tuple(Attachment(attachment_kind(u.rsplit("/", 1)[-1]), u.rsplit("/", 1)[-1]) for u in urls)
