"""Telegram Desktop `result.json` (one chat or the full export), streamed with ijson."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ijson

from importers._chat_common import BomSkippingReader, is_me
from importers._chat_telegram_message import KNOWN_FIELDS, message_records, person_key
from vault.records import (
    Conversation,
    Detection,
    ImportOptions,
    MalformedExport,
    Message,
    Person,
    Record,
    SourceFile,
    Unrecognized,
)

NAME = "telegram"
PLATFORM = "telegram"
VERSION = "1"

_CHAT_KINDS = {
    "personal_chat": "direct",
    "bot_chat": "direct",
    "saved_messages": "direct",
    "public_channel": "channel",
    "private_channel": "channel",
}
_FULL, _LEFT = "chats.list.item.", "left_chats.list.item."
_CHAT_FIELDS = frozenset(f"{base}{field}" for base in ("", _FULL, _LEFT) for field in ("name", "type", "id"))


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a JSON file with Telegram's message shape (`"type": "message"` plus its dates)."""
    if not source.name.lower().endswith(".json"):
        return None
    compact = head.replace(b" ", b"").replace(b"\n", b"").replace(b"\r", b"")
    if b'"messages":[' not in compact and b'"chats":{' not in compact:
        return None
    if b'"type":"message"' in compact or b'"type":"service"' in compact:
        return Detection(score=50)
    if b'"personal_information":{' in compact and b'"chats":{' in compact:
        return Detection(score=50)
    return None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Yield the owner, contacts, and each chat with its senders and messages, in file order."""
    walker = _Walker(source.name, options)
    with source.open() as handle:
        try:
            for prefix, event, value in ijson.parse(BomSkippingReader(handle), use_float=True):
                yield from walker.feed(prefix, event, value)
        except ijson.JSONError as error:
            raise MalformedExport(f"not valid JSON: {error}") from error
        except UnicodeDecodeError as error:
            raise MalformedExport("not UTF-8 JSON") from error
    if not walker.saw_messages:
        raise MalformedExport("no Telegram messages list found")


class _Walker:
    """Follow ijson's events, building one message (or owner, contact) object at a time."""

    def __init__(self, file_name: str, options: ImportOptions) -> None:
        self._file_name = file_name
        self._options = options
        self._builder: ijson.ObjectBuilder | None = None
        self._target = ""
        self._chat: dict[str, Any] = {}
        self._chat_key = ""
        self._index = 0
        self._self_key: str | None = None
        self._people: set[str] = set()
        self._unknown: set[str] = set()
        self.saw_messages = False

    def feed(self, prefix: str, event: str, value: Any) -> Iterator[Record]:
        """Take one ijson event; yield records when an object it was building is complete."""
        if self._builder is not None:
            self._builder.event(event, value)
            if prefix == self._target and event == "end_map":
                built, self._builder = self._builder.value, None
                yield from self._complete(built)
            return
        if event == "start_map" and prefix in _OBJECT_PREFIXES:
            self._builder = ijson.ObjectBuilder()
            self._builder.event(event, value)
            self._target = prefix
        elif event == "start_map" and prefix in ("chats.list.item", "left_chats.list.item"):
            self._chat = {}
        elif prefix in _CHAT_FIELDS and event != "map_key":
            self._chat[prefix.rsplit(".", 1)[-1]] = value
        elif event == "start_array" and prefix in ("messages", _FULL + "messages", _LEFT + "messages"):
            self.saw_messages = True
            yield self._start_chat()

    def _complete(self, built: dict[str, Any]) -> Iterator[Record]:
        if self._target == "personal_information":
            yield self._owner(built)
        elif self._target == "contacts.list.item":
            yield from self._contact(built)
        else:
            yield from self._message(built)

    def _owner(self, info: dict[str, Any]) -> Person:
        self._self_key = person_key(info.get("user_id"), None)
        name = " ".join(str(info.get(k) or "") for k in ("first_name", "last_name")).strip()
        phone, handle = info.get("phone_number"), info.get("username")
        key = self._self_key or "self"
        self._people.add(key)
        return Person(key, name or None, True, (phone,) if phone else (), (), _handles(handle))

    def _contact(self, info: dict[str, Any]) -> Iterator[Person]:
        phone = info.get("phone_number")
        if not phone:
            return
        name = " ".join(str(info.get(k) or "") for k in ("first_name", "last_name")).strip()
        yield Person(f"phone:{phone}", name or None, False, (phone,))

    def _start_chat(self) -> Conversation:
        chat_id, name, chat_type = self._chat.get("id"), self._chat.get("name"), self._chat.get("type")
        self._chat_key = str(int(chat_id)) if isinstance(chat_id, float) else str(chat_id or "")
        self._chat_key = self._chat_key or name or self._file_name
        self._index = 0
        members: tuple[str, ...] = ()
        if chat_type == "personal_chat" and chat_id is not None:
            other = f"user{int(chat_id)}"
            members = (other, self._self_key) if self._self_key else (other,)
        return Conversation(self._chat_key, name, _CHAT_KINDS.get(str(chat_type), "group"), members)

    def _message(self, message: dict[str, Any]) -> Iterator[Record]:
        where = f"messages[{self._index}]"
        self._index += 1
        for field in message.keys() - KNOWN_FIELDS - self._unknown:
            self._unknown.add(field)
            yield Unrecognized(f"message.{field}")
        records = list(message_records(message, self._chat_key, self._options.tz, where))
        first = records[0]
        if isinstance(first, Message) and first.sender and first.sender not in self._people:
            self._people.add(first.sender)
            service = message.get("type") == "service"
            display = message.get("actor" if service else "from")
            yield Person(first.sender, display, self._is_self(first.sender, display))
        yield from records

    def _is_self(self, key: str, display: str | None) -> bool:
        return key == self._self_key or is_me(self._options.me, display, key)


def _handles(username: Any) -> tuple[str, ...]:
    return (str(username),) if username else ()


_OBJECT_PREFIXES = frozenset(
    {
        "messages.item",
        _FULL + "messages.item",
        _LEFT + "messages.item",
        "personal_information",
        "contacts.list.item",
    }
)
