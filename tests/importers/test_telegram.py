"""Telegram importer: shared fixtures, a full export of our own, bad input."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from importers import telegram
from tests.importers._source import FIXTURES, source_for
from vault.records import (
    Attachment,
    Conversation,
    ImportOptions,
    Location,
    MalformedExport,
    Message,
    Person,
    Reaction,
    Record,
    SourceFile,
    Unrecognized,
)

TG = FIXTURES / "telegram"
# Own fixture (full export with owner, contacts, entities, reply, edit, reaction, location,
# poll, voice, deleted account, local-only date), written from Telegram Desktop's format.
OWN = Path(__file__).resolve().parents[1] / "fixtures" / "chat" / "telegram_full_export.json"


def parse(source: SourceFile, **options: object) -> list[Record]:
    return list(telegram.parse(source, ImportOptions(**options)))  # type: ignore[arg-type]


def memory_source(data: bytes, name: str = "result.json") -> SourceFile:
    return SourceFile(name, name, len(data), lambda: io.BytesIO(data), lambda rel: None)


def messages(records: list[Record]) -> list[Message]:
    return [r for r in records if isinstance(r, Message)]


def test_chat_analytics_dm_with_service_messages_and_mixed_dates() -> None:
    records = parse(source_for(TG / "chat-analytics__DM_2A_7M.json"), tz=ZoneInfo("UTC"))
    assert Counter(type(r).__name__ for r in records) == {
        "Message": 8,
        "Person": 2,
        "Conversation": 1,
    }
    assert records[0] == Conversation("700000000", "Bob", "direct", ("user700000000",))
    found = messages(records)
    assert [m.kind for m in found] == ["system", "text", "text", "text", "text", "media", "media", "call"]
    assert found[0].ts_ms == 1562345732000  # "date" only, read in the import's zone
    assert found[1].text == "https://google.com 👀"
    assert found[3].ts_ms == 1652135033000  # date_unixtime
    assert found[5].attachments == (Attachment("photo"),)
    assert found[7].ts_ms == 1691719862000  # both present: date_unixtime wins
    assert found[2].source_id == "700000000:3645"


def test_local_date_follows_the_import_zone() -> None:
    berlin = messages(parse(source_for(TG / "langchain__telegram.json"), tz=ZoneInfo("Europe/Berlin")))
    assert berlin[0].ts_ms == 1577836802000 - 3600 * 1000
    assert berlin[0].sender == "user4325636679"  # old exports: bare number from_id


def test_chat_miner_full_and_single_exports() -> None:
    full = parse(source_for(TG / "chat-miner__test_batch_export.json"))
    assert full[0] == Conversation("Chatname", "Chatname", "group", ())
    assert [(m.sender, m.ts_ms, m.text) for m in messages(full)] == [
        ("Author 1", 1544006350000, "Minimal Message"),
        ("Author 2", 1544006964000, "Link:https://telegram.org/"),
    ]
    single = messages(parse(source_for(TG / "chat-miner__test_single_export.json")))
    assert [m.text for m in single] == ["Minimal Message", "Link:https://telegram.org/"]


def test_full_export_owner_contacts_and_rich_messages() -> None:
    records = parse(source_for(OWN), tz=ZoneInfo("Europe/Berlin"))
    assert records[0] == Person("user111", "Olga Owner", True, ("+49 170 1234567",), (), ("@olga",))
    assert records[1] == Person("phone:+49 171 7654321", "Bob B", False, ("+49 171 7654321",))
    assert records[2] == Conversation("4242", "Trip", "group", ())
    found = messages(records)
    assert found[1].text == "see this (https://example.org) and Olga"
    assert (found[2].reply_to, found[2].edited) == ("4242:2", True)
    assert found[2].reactions == (Reaction("user222", "👍"),)
    assert (found[3].kind, found[3].lat, found[3].lon) == ("location", 52.52, 13.405)
    assert Location(1622534700000, 52.52, 13.405, source="telegram_share") in records
    assert (found[4].kind, found[4].text) == ("poll", "Where?\nSea (1)\nHills (0)")
    assert found[5].attachments == (Attachment("voice", "audio_1.ogg"),)
    assert found[5].forwarded_from == "News"
    assert Person("user333", None) in records  # deleted account
    assert Unrecognized("message.brand_new_field") in records
    assert found[6].ts_ms == 1622541600000  # 12:00 Berlin summer time


def test_me_option_marks_the_owner_without_personal_information() -> None:
    records = parse(source_for(TG / "chat-analytics__DM_2A_7M.json"), me="Alice")
    assert Person("user300000000", "Alice", True) in records


def test_parse_is_deterministic() -> None:
    assert parse(source_for(OWN)) == parse(source_for(OWN))


def test_detect() -> None:
    data = OWN.read_bytes()
    assert telegram.detect(source_for(OWN), data) is not None
    other = FIXTURES / "facebook" / "langchain__facebook_chat.json"
    assert telegram.detect(source_for(other), other.read_bytes()) is None


@pytest.mark.parametrize(
    "data", [b"", b'{"messages": [{"type": "message", "date_unixtime": "1', b"\x00\xff" * 40, b"{}"]
)
def test_bad_files_raise_malformed_export(data: bytes) -> None:
    with pytest.raises(MalformedExport):
        parse(memory_source(data))
