"""Messenger / Instagram importer: shared fixtures, a mojibake group thread of our own."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from importers import messenger
from tests.importers._source import FIXTURES, source_for
from vault.records import (
    Attachment,
    Conversation,
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

# Own fixture: a group thread written as Meta writes it (UTF-8 bytes escaped one by one).
OWN = Path(__file__).resolve().parents[1] / "fixtures" / "chat" / "messenger_group_message_1.json"


def parse(source: SourceFile, **options: object) -> list[Record]:
    return list(messenger.parse(source, ImportOptions(**options)))  # type: ignore[arg-type]


def memory_source(data: bytes, name: str) -> SourceFile:
    return SourceFile(name, name, len(data), lambda: io.BytesIO(data), lambda rel: None)


def messages(records: list[Record]) -> list[Message]:
    return [r for r in records if isinstance(r, Message)]


def test_chat_analytics_thread_with_bom_media_and_extra_keys() -> None:
    records = parse(source_for(FIXTURES / "facebook" / "chat-analytics__messenger_2A_7M.json"))
    assert records[2] == Conversation("inbox/alice_aaaaaaaaaa", "Alice", "direct", ("Alice", "Bob"))
    found = messages(records)
    assert len(found) == 7
    assert [m.kind for m in found] == ["text"] * 3 + ["media"] * 4
    assert found[3].attachments == (Attachment("file", "blabla.docx", ts_ms=1429378752000),)
    assert found[5].attachments == (Attachment("sticker", "123123123123123.png"),)
    assert Unrecognized("messages.sender_id_INTERNAL") in records


def test_langchain_thread_newest_first() -> None:
    found = messages(parse(source_for(FIXTURES / "facebook" / "langchain__facebook_chat.json")))
    assert len(found) == 11
    assert (found[0].sender, found[0].ts_ms, found[0].text) == ("User 2", 1675597571851, "Bye!")
    assert found[6].kind == "media"


def test_instagram_minimal_thread() -> None:
    path = FIXTURES / "instagram" / "chat-miner__test_export.json"
    records = parse(source_for(path), me="jane doe")
    assert Person("Jane Doe", "Jane Doe", True) in records
    assert [(m.sender, m.ts_ms) for m in messages(records)] == [
        ("John Doe", 1579294140000),
        ("Jane Doe", 1577186580000),
    ]


def test_group_thread_repairs_mojibake_and_reads_every_message_kind() -> None:
    records = parse(source_for(OWN))
    assert records[:3] == [Person("Zoë", "Zoë"), Person("Ann", "Ann"), Person("Ben", "Ben")]
    assert records[3] == Conversation(
        "inbox/zoeannben_123456", "Zoë, Ann & Ben", "group", ("Zoë", "Ann", "Ben")
    )
    found = messages(records)
    assert (found[0].text, found[0].reactions) == ("Café ☕", (Reaction("Ann", "❤"),))
    assert found[1].attachments == (Attachment("link", "https://example.org/x"),)
    assert found[1].kind == "text"
    assert found[2].kind == "call"
    assert found[3].deleted
    assert Invalid("message without a timestamp", "messages[4]") in records


def test_thread_key_from_folder_when_no_thread_path() -> None:
    data = b'{"participants": [{"name": "A"}], "messages": [{"sender_name": "A", "timestamp_ms": 1}]}'
    name = "your_instagram_activity/messages/inbox/alice_99/message_2.json"
    source = memory_source(data, name)
    assert messenger.platform(source) == "instagram"
    assert messenger.detect(source, data) == (60, None)
    assert messages(parse(source))[0].conversation == "inbox/alice_99"


def test_parse_is_deterministic() -> None:
    assert parse(source_for(OWN)) == parse(source_for(OWN))


@pytest.mark.parametrize(
    "data", [b"", b'{"messages": [{"sender_name": "A", "timest', b"\xff\x00" * 30, b"{}"]
)
def test_bad_files_raise_malformed_export(data: bytes) -> None:
    with pytest.raises(MalformedExport):
        parse(memory_source(data, "inbox/x/message_1.json"))


def test_instagram_threads_are_claimed_as_instagram(tmp_path: Path) -> None:
    import importers

    src = FIXTURES / "instagram" / "chat-miner__test_export.json"
    thread = tmp_path / "instagram-someone" / "messages" / "inbox" / "alice_123"
    thread.mkdir(parents=True)
    (thread / "message_1.json").write_bytes(src.read_bytes())
    found = list(importers.discover([tmp_path]))
    assert [d.importer.NAME for d in found if d.importer] == ["instagram_dms"]
    assert found[0].importer is not None and found[0].importer.PLATFORM == "instagram"
