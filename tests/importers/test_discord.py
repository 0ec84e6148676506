"""Discord data package importer: legacy CSV (shared), new JSON package (our own)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from importers import discord
from tests.importers._source import FIXTURES, source_for
from vault.records import (
    Attachment,
    Conversation,
    ImportOptions,
    Invalid,
    MalformedExport,
    Message,
    Person,
    Record,
    SourceFile,
)

CSV = FIXTURES / "discord" / "langchain__fake_discord_data_messages.csv"
# Own fixture: a data package laid out as Discord ships it (messages/index.json,
# messages/c<id>/channel.json + messages.json with ids above 2^53, account/user.json).
PACKAGE = Path(__file__).resolve().parents[1] / "fixtures" / "chat" / "discord" / "package"
CHANNEL = PACKAGE / "messages" / "c111222333444555666"


def parse(source: SourceFile) -> list[Record]:
    return list(discord.parse(source, ImportOptions()))


def messages(records: list[Record]) -> list[Message]:
    return [r for r in records if isinstance(r, Message)]


def memory_source(data: bytes, name: str) -> SourceFile:
    return SourceFile(name, name, len(data), lambda: io.BytesIO(data), lambda rel: None)


def test_legacy_csv_with_spreadsheet_mangled_ids() -> None:
    records = parse(source_for(CSV))
    assert records[0] == Person("self", None, True)
    found = messages(records)
    assert len(found) == 25
    assert all(m.source_id is None for m in found)  # 7.73264E+18 is no id any more
    assert found[0].ts_ms == 1681917285904
    assert found[6].text == "  wwtgiqwnjgoaxfmzsmiuaxffpdtrluizcrd vborgbakllp "
    assert {m.sender for m in found} == {"self"}


def test_json_package_keeps_big_ids_exact_and_titles_from_index() -> None:
    records = parse(source_for(CHANNEL / "messages.json"))
    owner = Person("123456789012345678", "The Owner", True, emails=("owner@example.org",), handles=("owner",))
    assert records[0] == owner
    assert records[1] == Conversation(
        "111222333444555666", "Direct Message with alice#0001", "direct", ("123456789012345678",)
    )
    found = messages(records)
    assert [m.source_id for m in found] == ["1096838411231039539", "1096838411231039541"]
    assert found[0].ts_ms == 1681917285000
    assert (found[1].kind, found[1].attachments) == ("media", (Attachment("photo", "cat.png"),))
    assert Invalid("message without a readable timestamp", "messages[2]") in records


def test_index_and_channel_files_are_skipped_with_a_reason() -> None:
    index = PACKAGE / "messages" / "index.json"
    verdict = discord.detect(source_for(index), index.read_bytes())
    assert verdict is not None and verdict.skip_reason
    channel = CHANNEL / "channel.json"
    verdict = discord.detect(source_for(channel), channel.read_bytes())
    assert verdict is not None and verdict.skip_reason
    assert discord.detect(source_for(CSV), CSV.read_bytes()) == (60, None)


def test_parse_is_deterministic() -> None:
    assert parse(source_for(CSV)) == parse(source_for(CSV))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'[{"ID": 1, "Timest', "messages.json"),
        (b"\x00\xff" * 30, "messages.json"),
        (b"a,b\n1,2\n", "messages.csv"),
    ],
)
def test_bad_files_raise_malformed_export(data: bytes, name: str) -> None:
    with pytest.raises(MalformedExport):
        parse(memory_source(data, name))
