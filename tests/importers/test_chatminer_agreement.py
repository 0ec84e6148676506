"""Our chat importers against chat-miner on the shared fixtures: same messages, authors, times.

Counts, authors and timestamps must be equal, except the differences listed one by one below,
each with the reason (which side is wrong, as the file's content shows).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from importers import messenger, telegram, whatsapp
from tests.importers._source import FIXTURES, source_for
from vault.records import ImportOptions, Message, Person, expanded

chatparsers = pytest.importorskip("chatminer.chatparsers")

Key = tuple[datetime, str]

_JOHN_TIGHT_COLON = {(datetime(2019, 1, 20, 11, 23), "John Doe"): 1}
# "John Doe:." has no space after the colon; chat-miner drops such lines as "self-destroying".
# John Doe writes elsewhere in the file, so the line is his message "." and we keep it.

# (fixture, our importer, chat-miner parser, its extra arguments, only ours, only theirs)
AGREEING: list[tuple[str, ModuleType, str, dict[str, Any], dict[Key, int], dict[Key, int]]] = [
    ("whatsapp/chat-analytics__2A_5M.txt", whatsapp, "WhatsAppParser", {}, {}, {}),
    ("whatsapp/chat-miner__test_[mmddyy]_24hrs.txt", whatsapp, "WhatsAppParser", {}, _JOHN_TIGHT_COLON, {}),
    ("whatsapp/chat-miner__test_ddmmyy_24hrs.txt", whatsapp, "WhatsAppParser", {}, _JOHN_TIGHT_COLON, {}),
    ("whatsapp/chat-miner__test_mmddyy_24hrs.txt", whatsapp, "WhatsAppParser", {}, _JOHN_TIGHT_COLON, {}),
    ("whatsapp/chat-miner__test_mmddyyyy_12hrs.txt", whatsapp, "WhatsAppParser", {}, _JOHN_TIGHT_COLON, {}),
    ("whatsapp/chat-miner__test_yyyymmdd_24hrs.txt", whatsapp, "WhatsAppParser", {}, _JOHN_TIGHT_COLON, {}),
    ("whatsapp/rwhatsapp__sample.txt", whatsapp, "WhatsAppParser", {}, {}, {}),
    ("whatsapp/whatstk__lorem.txt", whatsapp, "WhatsAppParser", {}, {}, {}),
    # chat-miner counts the encryption notice that this export writes under the chat's name
    # ("Pokemon Chat: Messages and calls are end-to-end encrypted...") as a message by a person
    # called "Pokemon Chat"; it is WhatsApp's system notice, and nobody else writes as that name.
    (
        "whatsapp/whatstk__pokemon.txt", whatsapp, "WhatsAppParser", {}, {},
        {(datetime(2016, 4, 15, 15, 4), "Pokemon Chat"): 1},
    ),
    # No day above 12 anywhere: chat-miner falls back to day first (6 Mar, 8 May, 9 Apr: time
    # runs backwards); read month first the chat runs forward (3 Jun, 5 Aug, 4 Sep), as a chat
    # export always does, so chat-miner's dates are wrong here.
    (
        "whatsapp/whatsapp-chat-parser__short-chat.txt", whatsapp, "WhatsAppParser", {},
        {
            (datetime(2017, 6, 3, 0, 45), "Sample User"): 1,
            (datetime(2017, 8, 5, 1, 48), "TestBot"): 1,
            (datetime(2017, 9, 4, 1, 50), "+410123456789"): 1,
        },
        {
            (datetime(2017, 3, 6, 0, 45), "Sample User"): 1,
            (datetime(2017, 5, 8, 1, 48), "TestBot"): 1,
            (datetime(2017, 4, 9, 1, 50), "+410123456789"): 1,
        },
    ),
    ("telegram/chat-miner__test_single_export.json", telegram, "TelegramJsonParser", {}, {}, {}),
    (
        "telegram/chat-miner__test_batch_export.json", telegram, "TelegramJsonParser",
        {"chat_name": "Chatname"}, {}, {},
    ),
    # chat-miner keeps only messages with a "content"; the photo User 2 sent at 11:04:20.730 is
    # a message too (its "photos" list shows it).
    (
        "facebook/langchain__facebook_chat.json", messenger, "FacebookMessengerParser", {},
        {(datetime(2023, 2, 5, 11, 4, 20, 730000), "User 2"): 1}, {},
    ),
    ("instagram/chat-miner__test_export.json", messenger, "InstagramJsonParser", {}, {}, {}),
]  # fmt: skip

# Fixtures chat-miner cannot read at all, with why; ours read them (see the importer tests).
CHATMINER_FAILS = [
    # several header formats in one file: chat-miner infers one format from the first line
    ("whatsapp/langchain__whatsapp_chat.txt", "WhatsAppParser"),
    ("whatsapp/rwhatsapp__test-rwhatsapp_format_lines.txt", "WhatsAppParser"),
    ("whatsapp/whatsapp-chat-parser__parser.test_format_lines.txt", "WhatsAppParser"),
    # messages with only the local "date" (older exports): chat-miner needs date_unixtime
    ("telegram/chat-analytics__DM_2A_7M.json", "TelegramJsonParser"),
    ("telegram/langchain__telegram.json", "TelegramJsonParser"),
    # the file starts with a UTF-8 byte-order mark, which chat-miner's json.load refuses
    ("facebook/chat-analytics__messenger_2A_7M.json", "FacebookMessengerParser"),
]


def ours(importer: ModuleType, path: Path) -> Counter[Key]:
    records = list(expanded(importer.parse(source_for(path), ImportOptions())))
    names = {r.key: r.display_name or r.key for r in records if isinstance(r, Person)}
    return Counter(
        (datetime.fromtimestamp(m.ts_ms / 1000, UTC).replace(tzinfo=None), names[m.sender])
        for m in records
        if isinstance(m, Message) and m.sender is not None
    )


def theirs(parser_name: str, path: Path, extra: dict[str, Any]) -> Counter[Key]:
    logging.getLogger("chatminer.chatparsers").setLevel(logging.ERROR)
    parser = getattr(chatparsers, parser_name)(str(path), **extra)
    parser.parse_file()
    return Counter(
        (m.timestamp.replace(tzinfo=None), m.author) for m in parser.parsed_messages._parsed_messages
    )


@pytest.mark.parametrize(
    ("fixture", "importer", "parser", "extra", "only_ours", "only_theirs"),
    AGREEING,
    ids=[case[0] for case in AGREEING],
)
def test_same_messages_authors_and_times_as_chatminer(
    fixture: str,
    importer: ModuleType,
    parser: str,
    extra: dict[str, Any],
    only_ours: dict[Key, int],
    only_theirs: dict[Key, int],
) -> None:
    mine, peer = ours(importer, FIXTURES / fixture), theirs(parser, FIXTURES / fixture, extra)
    assert dict(mine - peer) == only_ours
    assert dict(peer - mine) == only_theirs
    assert mine.total() - sum(only_ours.values()) == peer.total() - sum(only_theirs.values())


@pytest.mark.parametrize(("fixture", "parser"), CHATMINER_FAILS, ids=[c[0] for c in CHATMINER_FAILS])
def test_files_chatminer_cannot_read_are_read_by_ours(fixture: str, parser: str) -> None:
    extra: dict[str, Any] = {}
    with pytest.raises((ValueError, KeyError)):
        theirs(parser, FIXTURES / fixture, extra)
    importer = whatsapp if parser == "WhatsAppParser" else telegram if "Telegram" in parser else messenger
    assert ours(importer, FIXTURES / fixture).total() > 0
