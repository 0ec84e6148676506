"""WhatsApp importer: real-format fixtures, locale header variants, bodies, bad input."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from importers import whatsapp
from tests.importers._source import FIXTURES, source_for
from vault.records import (
    Conversation,
    ImportOptions,
    Invalid,
    Location,
    MalformedExport,
    Message,
    Person,
    Record,
    SourceFile,
    expanded,
)

WA = FIXTURES / "whatsapp"
# Own fixtures, written from the documented formats for variants the shared ones lack (iOS with
# BOM, CRLF, U+202F and U+200E marks, polls, locations, edits; a German Android chat).
OWN = Path(__file__).resolve().parents[1] / "fixtures" / "chat"
BERLIN = ZoneInfo("Europe/Berlin")


def memory_source(data: bytes, name: str = "chat.txt") -> SourceFile:
    """A SourceFile over bytes in memory, named like an export member."""
    return SourceFile(name, name, len(data), lambda: io.BytesIO(data), lambda rel: None)


def parse(source: SourceFile, **options: object) -> list[Record]:
    return list(expanded(whatsapp.parse(source, ImportOptions(**options))))  # type: ignore[arg-type]


def messages(records: list[Record]) -> list[Message]:
    return [r for r in records if isinstance(r, Message)]


def utc(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


def counts(records: list[Record]) -> Counter[str]:
    return Counter(type(r).__name__ for r in records)


CHAT_MINER_VARIANTS = [
    "chat-miner__test_[mmddyy]_24hrs.txt",
    "chat-miner__test_ddmmyy_24hrs.txt",
    "chat-miner__test_mmddyy_24hrs.txt",
    "chat-miner__test_mmddyyyy_12hrs.txt",
    "chat-miner__test_yyyymmdd_24hrs.txt",
]


@pytest.mark.parametrize("name", CHAT_MINER_VARIANTS)
def test_chat_miner_variants_agree_across_header_formats(name: str) -> None:
    records = parse(source_for(WA / name))
    assert counts(records) == {"Message": 9, "Person": 5, "Conversation": 1}
    found = messages(records)
    assert [utc(m.ts_ms) for m in found][:3] == [
        "2019-01-01 11:25:00",
        "2019-01-20 11:23:00",
        "2019-01-30 20:49:00",
    ]
    assert found[1].sender == "John Doe" and found[1].text == "."
    assert found[2].text == "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero."
    assert [m.kind for m in found].count("system") == 2
    assert found[4] == Message(found[4].conversation, None, 1592611680000, found[4].text, "system")
    assert found[4].text == '+12 345 578 created group "Groupname"'
    conversation = next(r for r in records if isinstance(r, Conversation))
    assert conversation.kind == "group"


def test_twelve_hour_clock_with_spanish_markers_and_hour_zero() -> None:
    found = messages(parse(source_for(WA / "chat-miner__test_mmddyyyy_12hrs.txt")))
    assert utc(found[2].ts_ms) == "2019-01-30 20:49:00"  # 08:49 p. m.
    assert utc(found[4].ts_ms) == "2020-06-20 00:08:00"  # 00:08 a. m.
    assert utc(found[7].ts_ms) == "2021-12-20 12:10:00"  # 12:10 p. m.


def test_rwhatsapp_real_group_export() -> None:
    records = parse(source_for(WA / "rwhatsapp__sample.txt"), tz=BERLIN)
    assert counts(records) == {"Message": 9, "Person": 2, "Conversation": 1}
    found = messages(records)
    assert [m.kind for m in found[:3]] == ["system", "system", "media"]
    assert (found[0].text or "").startswith("Messages to this group are now secured")
    assert found[0].ts_ms == 1499891700000  # 12/07/2017 22:35 CEST
    assert found[4].text == "It's fun doing text analysis with R\nisn't it?"
    assert found[4].sender == "Test"


def test_pokemon_encryption_notice_under_a_chat_name_is_system() -> None:
    records = parse(source_for(WA / "whatstk__pokemon.txt"))
    assert counts(records) == {"Message": 20, "Person": 8, "Conversation": 1}
    found = messages(records)
    assert found[0].sender is None and found[0].kind == "system"
    assert "Pokemon Chat" not in {r.key for r in records if isinstance(r, Person)}
    assert found[2].sender == "Ash Ketchum" and utc(found[2].ts_ms) == "2016-08-06 13:23:00"


def test_whatstk_lorem_dash_dates_with_seconds_and_phone_sender() -> None:
    records = parse(source_for(WA / "whatstk__lorem.txt"))
    assert counts(records) == {"Message": 500, "Person": 4, "Conversation": 1}
    found = messages(records)
    assert utc(found[0].ts_ms) == "2020-01-15 02:22:56"
    assert found[0].text == "Nostrud exercitation magna id."
    phone = next(r for r in records if isinstance(r, Person) and r.phones)
    assert phone == Person("+1 123 456 789", "+1 123 456 789", False, ("+1 123 456 789",))


def test_mixed_header_formats_each_get_their_own_date_order() -> None:
    found = messages(parse(source_for(WA / "langchain__whatsapp_chat.txt")))
    assert [utc(m.ts_ms) for m in found] == [
        "2023-05-05 15:48:11",
        "2021-11-08 09:41:32",
        "2023-01-23 03:19:00",
        "2023-01-23 03:22:00",
        "2021-01-24 12:41:03",
        "2023-05-04 16:13:23",
        "2022-07-19 23:32:00",
        "2022-07-20 11:32:00",
        "2023-04-20 09:42:00",
        "2023-06-29 00:16:00",
    ]
    assert found[4].sender == "User name 2"  # "~ User name 2": not in contacts
    assert (found[8].kind, found[8].text) == ("media", None)
    assert (found[9].deleted, found[9].text) == (True, None)


def test_chat_analytics_keeps_file_order_and_lowercase_placeholder() -> None:
    found = messages(parse(source_for(WA / "chat-analytics__2A_5M.txt")))
    assert [m.sender for m in found] == ["A", "B", "A", "B", "A"]
    assert found[3].kind == "media"
    assert found[4].ts_ms == found[2].ts_ms


def test_short_chat_direct_vs_group_and_phone_author() -> None:
    records = parse(source_for(WA / "whatsapp-chat-parser__short-chat.txt"))
    conversation = next(r for r in records if isinstance(r, Conversation))
    assert conversation.kind == "group"
    found = messages(records)
    assert found[4].sender == "+410123456789"
    assert found[4].text == "How are you?\nIs everything alright?"


def test_pustur_header_variants_line_by_line() -> None:
    lines = (WA / "whatsapp-chat-parser__parser.test_format_lines.txt").read_text("utf-8")
    expected = {
        1: "2018-06-03 13:55:00",
        2: "2018-06-03 13:55:00",
        3: "2018-06-13 21:25:15",
        4: "2018-06-13 21:25:15",
        5: "2018-06-13 21:25:15",
        7: "2018-06-03 13:55:00",
        8: "2018-06-03 13:55:00",
        9: "2018-06-13 21:25:15",
        11: "2018-06-03 13:55:00",
        12: "2018-06-03 13:55:00",
    }
    rows = lines.splitlines()
    for index, stamp in expected.items():
        found = messages(parse(memory_source(rows[index].encode())))
        assert [(utc(m.ts_ms), m.sender, m.text) for m in found] == [(stamp, "a", "m")], rows[index]


def test_pustur_attachment_markers() -> None:
    records = parse(source_for(WA / "whatsapp-chat-parser__parser.test_format_lines.txt"))
    found = messages(records)
    assert [m.attachments[0].file_name for m in found[-4:]] == [
        "00000042-PHOTO-2020-06-07-15-13-20.jpg",
        "IMG-20210428-WA0001.jpg",
        "2015-08-04-PHOTO-00004762.jpg",
        "4f2680f1db95a8454775cc2eefc95bfc.jpg",
    ]
    assert found[-1].text == "Dir auch frohe Ostern."
    assert Invalid("text before the first message", "line 1") in records


def test_rwhatsapp_format_pairs() -> None:
    rows = (WA / "rwhatsapp__test-rwhatsapp_format_lines.txt").read_text("utf-8").splitlines()
    checked = 0
    for first, second in zip(rows[1:97:2], rows[2:97:2], strict=True):
        found = messages(parse(memory_source(f"{first}\n{second}".encode())))
        assert [m.sender for m in found] == ["Johannes Gruber", "R"], first
        assert utc(found[0].ts_ms)[:16] == "2017-07-12 22:35", first
        assert utc(found[1].ts_ms)[:16] == "2017-07-13 09:12", first
        checked += 1
    assert checked == 48


def test_ios_group_with_marks_polls_locations_and_edits() -> None:
    data = (OWN / "whatsapp_ios_en_group.txt").read_bytes()
    source = memory_source(data, "WhatsApp Chat - Team.zip/_chat.txt")
    records = parse(source, tz=BERLIN)
    assert counts(records) == {"Message": 11, "Person": 4, "Conversation": 1, "Location": 1}
    assert records[4] == Conversation("Team", "Team", "group", ("Alice", "Bob", "Carol", "+49 151 23456789"))
    found = messages(records)
    assert [m.kind for m in found] == [
        "system", "system", "text", "text", "media", "location", "poll", "text", "text", "media", "text",
    ]  # fmt: skip
    assert utc(found[0].ts_ms) == "2024-01-15 20:05:12"
    assert found[1].text == "Alice created group “Team”"
    assert found[2] == found[3]  # identical lines in the same minute stay two messages
    assert (found[5].sender, found[5].lat, found[5].lon) == ("Carol", 52.520008, 13.404954)
    assert Location(found[5].ts_ms, 52.520008, 13.404954, source="whatsapp_share") in records
    assert found[6].text == "POLL:\nLunch?\nOPTION: Pizza (2 votes)\nOPTION: Sushi (0 votes)"
    assert (found[7].text, found[7].edited) == ("See you tomorrow", True)
    assert (found[8].deleted, found[8].text) == (True, None)
    assert found[9].attachments[0].kind == "photo"
    assert utc(found[10].ts_ms) == "2024-01-15 23:04:00"  # 12:04 AM in Berlin
    assert all(not p.is_self for p in records if isinstance(p, Person))


def test_german_android_date_order_from_time_running_forward() -> None:
    path = OWN / "WhatsApp Chat mit Anna.txt"
    records = parse(source_for(path), tz=BERLIN, me="anna")
    assert records[2] == Conversation("Anna", "Anna", "direct", ("Max Muster", "Anna"))
    assert Person("Anna", "Anna", True) in records
    found = messages(records)
    assert [utc(m.ts_ms)[:10] for m in found] == [
        "2021-02-01", "2021-02-01", "2021-02-03", "2021-02-05", "2021-03-02", "2021-03-02",
        "2021-03-02",
    ]  # fmt: skip
    assert found[0].kind == "system"  # German encryption notice
    assert found[3].text == "Treffen wir uns?\n06.03.21 10:00 passt mir\nund danach Kaffee"
    assert found[4].deleted
    assert (found[5].kind, found[5].lat) == ("location", 48.137154)
    assert (found[6].text, found[6].attachments[0].file_name) == (
        "Schau mal",
        "IMG-20210302-WA0001.jpg",
    )


def test_date_order_option_overrides_the_evidence() -> None:
    found = messages(parse(source_for(OWN / "WhatsApp Chat mit Anna.txt"), date_order="mdy"))
    assert utc(found[2].ts_ms)[:10] == "2021-03-02"


def test_titles_from_file_names() -> None:
    assert whatsapp.chat_title("WhatsApp Chat with Alice.txt") == "Alice"
    assert whatsapp.chat_title("export.zip/WhatsApp Chat - Bob Smith.zip/_chat.txt") == "Bob Smith"
    assert whatsapp.chat_title("Chat de WhatsApp con Ana (2).txt") == "Ana"
    assert whatsapp.chat_title("Discussion WhatsApp avec Léa.txt") == "Léa"
    assert whatsapp.chat_title("notes.txt") is None


def test_detect_claims_chats_and_refuses_other_text() -> None:
    data = (WA / "rwhatsapp__sample.txt").read_bytes()
    assert whatsapp.detect(source_for(WA / "rwhatsapp__sample.txt"), data) is not None
    named = memory_source(data, "WhatsApp Chat with Tes.txt")
    assert whatsapp.detect(named, data) == (60, None)
    assert whatsapp.detect(memory_source(b"hello\nworld\n"), b"hello\nworld\n") is None
    assert whatsapp.detect(memory_source(data, "chat.json"), data) is None


def test_parse_is_deterministic() -> None:
    source = source_for(WA / "whatstk__lorem.txt")
    assert parse(source) == parse(source)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01\x02binary\xff\xfe" * 50, b"just some notes\nwithout any header\n"],
)
def test_unreadable_files_raise_malformed_export(data: bytes) -> None:
    with pytest.raises(MalformedExport):
        parse(memory_source(data, "WhatsApp Chat with X.txt"))


def test_truncated_file_keeps_what_it_has() -> None:
    data = (WA / "rwhatsapp__sample.txt").read_bytes()[:300]
    found = messages(parse(memory_source(data)))
    assert len(found) == 5
    assert found[4].ts_ms == 1499937120000  # the cut-off line still counts, from its header


def test_impossible_date_is_an_invalid_row() -> None:
    data = b"31/12/2020, 10:00 - A: ok\n32/13/2020, 10:00 - A: bad\n"
    records = parse(memory_source(data))
    assert Invalid("invalid date or time", "line 2") in records
    assert len(messages(records)) == 1


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Europe/Berlin", datetime(2021, 3, 28)),  # 02:00-03:00 does not exist
        ("Europe/Berlin", datetime(2021, 10, 31)),  # 02:00-03:00 happens twice
        ("America/Santiago", datetime(2022, 9, 11)),  # the clocks change at midnight
        ("Australia/Lord_Howe", datetime(2022, 4, 3)),  # a half-hour change
        ("Asia/Kolkata", datetime(2022, 6, 1)),  # no change at all
    ],
)
def test_every_minute_of_a_day_the_clocks_change_is_read_as_python_reads_it(zone: str, day: datetime) -> None:
    """Times are cached per day and hour; around a change they must still match datetime's
    reading (the earlier instant when clocks go back, the offset before a gap)."""
    tz = ZoneInfo(zone)
    stamps = [
        datetime(day.year, day.month, day.day, minute // 60, minute % 60) for minute in range(0, 1440, 7)
    ]
    lines = "".join(f"{s:%d/%m/%Y, %H:%M} - Ana: at {s:%H:%M}\n" for s in stamps)
    found = messages(parse(memory_source(lines.encode()), tz=tz))
    expected = [int(s.replace(tzinfo=tz).timestamp()) * 1000 for s in stamps]
    assert [m.ts_ms for m in found] == expected


def test_a_weak_header_before_the_first_message_is_text_before_the_first_message() -> None:
    """When headers with a separator are the majority, a leading "date time text" line is not a
    message of its own: it is reported like any text before the first message."""
    lines = ["13.06.18 21:25 stray line", *(f"13.06.18, 21:{m:02d} - Ana: hi {m}" for m in range(30, 33))]
    records = parse(memory_source(("\n".join(lines) + "\n").encode()), tz=BERLIN)
    assert [m.text for m in messages(records)] == ["hi 30", "hi 31", "hi 32"]
    (invalid,) = [r for r in records if isinstance(r, Invalid)]
    assert invalid.reason == "text before the first message" and invalid.where == "line 1"
