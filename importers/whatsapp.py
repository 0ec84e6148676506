"""WhatsApp chat exports (`WhatsApp Chat with X.txt`, iOS `_chat.txt`), every locale's headers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from importers._chat_common import is_me, looks_like_phone
from importers._whatsapp_body import Body, classify, is_encryption_notice, is_group_event
from importers._whatsapp_header import DateKey, HeaderClock, choose_order, date_key, to_date
from importers._whatsapp_lines import (
    RawMessages,
    count_strong_headers,
    decode,
    line_number,
    require_messages,
    split_messages,
)
from importers._whatsapp_senders import SenderReader, is_system_text, resolve_tight_colon
from vault.records import (
    Conversation,
    Detection,
    ImportOptions,
    Invalid,
    Location,
    Message,
    MessageBatch,
    Person,
    Record,
    SourceFile,
)

NAME = "whatsapp"
PLATFORM = "whatsapp"
VERSION = "1"

_BATCH = 5_000  # plain lines per MessageBatch

_TITLE = re.compile(
    r"^(?:WhatsApp[ -]Chat(?: with| mit| met| con| com| z| -| с)?|Chat de WhatsApp con|"
    r"Chat WhatsApp con|Conversa do WhatsApp com|Discussion WhatsApp avec|Чат WhatsApp с)"
    r"\s+(?:-\s+)?(?P<title>.+?)(?:\s\(\d+\))?$",
    re.IGNORECASE,
)


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a .txt whose first lines carry WhatsApp message headers."""
    if not source.name.lower().endswith(".txt") or b"\x00" in head[:4096]:
        return None
    first_lines = "\n".join(head.decode("utf-8-sig", errors="replace").splitlines()[:30])
    if count_strong_headers(first_lines) == 0:
        return None
    return Detection(score=60 if chat_title(source.name) else 40)


def chat_title(name: str) -> str | None:
    """The chat's title from the export's file name ("WhatsApp Chat with Alice.txt" -> "Alice")."""
    parts = [p for p in name.replace("\\", "/").split("/") if p]
    for part in reversed(parts[-2:]):
        stem = re.sub(r"\.(txt|zip)$", "", part, flags=re.IGNORECASE)
        match = _TITLE.match(stem)
        if match:
            return match.group("title").strip()
    return None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Yield the chat's people, its conversation, its messages and shared locations."""
    with source.open() as handle:
        text = decode(handle.read())
    raw_messages, orphan = split_messages(text)
    require_messages(raw_messages)
    if orphan is not None:
        yield Invalid("text before the first message", f"line {line_number(text, orphan)}")
    senders, texts = _read_senders(raw_messages)
    members = [sender for sender in dict.fromkeys(senders) if sender is not None]
    yield from _people(members, options)
    title = chat_title(source.name)
    key = title or source.name.replace("\\", "/").rsplit("/", 1)[-1]
    yield Conversation(key, title, _chat_kind(senders, texts, members), tuple(members))
    dates = _dates(raw_messages, options.date_order)
    yield from _messages(text, raw_messages, senders, texts, dates, key, options)


def _read_senders(raw_messages: RawMessages) -> tuple[list[str | None], list[str]]:
    split = SenderReader().split
    senders: list[str | None] = []
    texts: list[str] = []
    system_only: dict[str, bool] = {}
    for body in raw_messages.bodies:
        sender, text = split(body)
        if sender is not None and system_only.get(sender, True):
            system_only[sender] = is_system_text(text)
        senders.append(sender)
        texts.append(text)
    pseudo = {name for name, only in system_only.items() if only}
    authors = set(system_only) - pseudo
    for index, sender in enumerate(senders):
        if sender is None:
            tight = resolve_tight_colon(texts[index], authors)
            if tight:
                senders[index], texts[index] = tight
        elif sender in pseudo or is_encryption_notice(texts[index]):
            senders[index] = None
    return senders, texts


def _dates(raw_messages: RawMessages, forced: str | None) -> dict[DateKey, tuple[int, int, int] | None]:
    """Read every distinct date, choosing the order per header shape from the file's evidence."""
    runs: dict[DateKey, list[tuple[str, str, str]]] = {}
    last: tuple[str | None, ...] = ()
    g = raw_messages.columns
    for written in zip(g[0], g[1], g[2], g[3], g[4], g[5], g[9], strict=True):
        if written != last:
            key = date_key(written)
            runs.setdefault(key[:3], []).append(key[3:])  # type: ignore[arg-type]
            last = written
    dates: dict[DateKey, tuple[int, int, int] | None] = {}
    for shape, shape_runs in runs.items():
        order = choose_order(shape_runs, forced)
        for a, b, c in shape_runs:
            dates[(*shape, a, b, c)] = to_date(order, a, b, c)
    return dates


def _people(members: list[str], options: ImportOptions) -> Iterator[Person]:
    for name in members:
        phones = (name,) if looks_like_phone(name) else ()
        yield Person(name, name, is_me(options.me, name), phones)


def _chat_kind(senders: list[str | None], texts: list[str], members: list[str]) -> str:
    if len(members) > 2:
        return "group"
    system = (text for sender, text in zip(senders, texts, strict=True) if sender is None)
    return "group" if any(is_group_event(text) for text in system) else "direct"


def _messages(
    text: str,
    raw_messages: RawMessages,
    senders: list[str | None],
    texts: list[str],
    dates: dict[DateKey, tuple[int, int, int] | None],
    key: str,
    options: ImportOptions,
) -> Iterator[Record]:
    """Plain and system lines in columns (MessageBatch), anything richer as its own records,
    in the file's order (identical lines are told apart by how often they occurred before)."""
    stamps = HeaderClock(options.tz, dates).stamps(raw_messages.columns)
    texts = [  # a system line's text without the marks iOS puts before it
        line if sender is not None else line.lstrip("\u200e")
        for sender, line in zip(senders, texts, strict=True)
    ]
    rich = {
        index: body
        for index, (ts_ms, sender, body_text) in enumerate(zip(stamps, senders, texts, strict=True))
        if ts_ms is not None and sender is not None and (body := classify(body_text)) is not None
    }
    invalid = [index for index, ts_ms in enumerate(stamps) if ts_ms is None]
    start = 0
    for stop in [*sorted(rich.keys() | set(invalid)), len(stamps)]:
        for low in range(start, stop, _BATCH):
            high = min(stop, low + _BATCH)
            line_senders = senders[low:high]
            kinds = ["text" if sender is not None else "system" for sender in line_senders]
            yield MessageBatch(key, line_senders, stamps[low:high], texts[low:high], kinds)  # type: ignore[arg-type]
        if stop in rich:
            yield from _message(key, senders[stop], stamps[stop], rich[stop])  # type: ignore[arg-type]
        elif stop < len(stamps):
            yield Invalid("invalid date or time", f"line {line_number(text, raw_messages.starts[stop])}")
        start = stop + 1


def _message(key: str, sender: str, ts_ms: int, body: Body) -> Iterator[Record]:
    yield Message(
        key,
        sender,
        ts_ms,
        body.text,
        body.kind,
        edited=body.edited,
        deleted=body.deleted,
        lat=body.lat,
        lon=body.lon,
        attachments=body.attachments,
    )
    if body.lat is not None and body.lon is not None:
        yield Location(ts_ms, body.lat, body.lon, source="whatsapp_share")
