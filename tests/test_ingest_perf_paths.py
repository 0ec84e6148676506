"""The import hot path's shortcuts give the same vault as the plain way: ids, hashes, columns, dedup."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vault import ingest
from vault.ids import OccurrenceIds, time_ordered
from vault.locations import read_all
from vault.records import (
    Attachment,
    Conversation,
    Discovered,
    ImportOptions,
    Invalid,
    Location,
    Message,
    MessageBatch,
    Record,
    SourceFile,
    expanded,
)
from vault.store import Store
from vault.writer import RecordWriter

Parse = Callable[[SourceFile, ImportOptions], Iterator[Record]]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.create(tmp_path / "vault.db", os.urandom(32))
    yield opened
    opened.close()


def source_of(path: Path) -> SourceFile:
    def sibling(rel: str) -> IO[bytes] | None:
        return None

    return SourceFile(path.name, path.name, path.stat().st_size, lambda: path.open("rb"), sibling)


def run_one(store: Store, path: Path, parse: Parse, platform: str = "test") -> ingest.FileResult:
    importer: Any = SimpleNamespace(NAME=f"{platform}_importer", PLATFORM=platform, VERSION="1", parse=parse)
    (result,) = ingest.run(store, [Discovered(source_of(path), importer)]).files
    return result


def stored_sha256(store: Store, import_id: int | None) -> str:
    return str(store.scalar("SELECT sha256 FROM imports WHERE id = ?", (import_id,)))


texts = st.one_of(st.none(), st.text(max_size=20))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["chat", "ünï"]),
            texts,
            st.integers(0, 2**41),
            texts,
            st.sampled_from(["text", "media"]),
        ),
        max_size=30,
    )
)
def test_message_ids_are_the_occurrence_ids_of_vault_ids(identities: list[tuple[Any, ...]]) -> None:
    writer = RecordWriter(None, "whatsapp", ImportOptions(), "chat.txt")
    people = {identity[1]: 7 for identity in identities}
    writer.people = SimpleNamespace(cache=people, resolve=None)  # type: ignore[assignment]
    writer.conversations = {"chat": 1, "ünï": 2}
    reference = OccurrenceIds("whatsapp", "messages")
    messages = [Message(*identity) for identity in identities]
    rows = writer._message_rows(messages, {})
    assert [row[0] for row in rows] == [time_ordered(m.ts_ms, reference.next_id(m[:5])) for m in messages]


def test_a_file_read_to_its_end_is_hashed_while_parsed_and_recognised_next_time(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "fixes.bin"
    path.write_bytes(os.urandom(3 << 20))

    def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
        with source.open() as handle:
            while block := handle.read(65_536):
                yield Location(1_700_000_000_000 + len(block), 48.0, 11.0)

    first = run_one(store, path, parse)
    assert first.status == "imported"
    assert stored_sha256(store, first.import_id) == hashlib.sha256(path.read_bytes()).hexdigest()
    again = run_one(store, path, parse)
    assert (again.status, again.import_id) == ("already", first.import_id)


def test_a_file_the_parser_stops_reading_early_still_gets_its_whole_hash(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "head_only.bin"
    path.write_bytes(os.urandom(1 << 20))

    def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
        with source.open() as handle:
            handle.read(100)
        yield Location(1_700_000_000_000, 48.0, 11.0)

    result = run_one(store, path, parse)
    assert stored_sha256(store, result.import_id) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_file_opened_twice_gets_its_whole_hash(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "twice.bin"
    path.write_bytes(os.urandom(1 << 16))

    def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
        for _ in range(2):
            with source.open() as handle:
                handle.read(10)
        yield Location(1_700_000_000_000, 48.0, 11.0)

    result = run_one(store, path, parse)
    assert stored_sha256(store, result.import_id) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_location_columns_keep_every_value_absent_constant_or_mixed(store: Store, tmp_path: Path) -> None:
    fixes = [
        Location(
            1_700_000_000_000 + i * 1000,
            48.0 + i * 1e-4,
            11.0,
            float(i),
            None,
            None,
            None,
            "GPS",
            None,
            "WALKING" if i % 2 else None,
        )
        for i in range(50)
    ]
    path = tmp_path / "locations.bin"
    path.write_bytes(b"x")

    def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
        yield from fixes[:25]
        yield Invalid("missing timestamp")
        yield from fixes[25:]

    result = run_one(store, path, parse)
    assert (result.added, result.invalid) == ({"locations": 50}, 1)
    table = read_all(store.conn).sort_by("ts")
    assert table["ts"].to_pylist() == [f.ts_ms for f in fixes]
    assert table["lat"].to_pylist() == [f.lat for f in fixes]
    assert table["accuracy_m"].to_pylist() == [f.accuracy_m for f in fixes]
    assert table["altitude_m"].null_count == 50
    assert table["source"].to_pylist() == ["GPS"] * 50
    assert table["activity"].to_pylist() == [f.activity for f in fixes]
    assert table.schema.field("source").type == pa.string()


def test_messages_another_import_brought_are_not_stored_twice_and_gain_a_source(
    store: Store, tmp_path: Path
) -> None:
    def chat(count: int) -> Parse:
        def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
            for i in range(count):
                yield Message(
                    "chat", "Lena" if i % 2 else "Jonas", 1_700_000_000_000 + i * 60_000, f"hi {i % 3}"
                )

        return parse

    (tmp_path / "a.txt").write_bytes(b"a")
    (tmp_path / "b.txt").write_bytes(b"bb")
    first = run_one(store, tmp_path / "a.txt", chat(100), "whatsapp")
    second = run_one(store, tmp_path / "b.txt", chat(130), "whatsapp")
    assert first.added["messages"] == 100
    assert second.added == {"messages": 30}
    assert store.scalar("SELECT count(*) FROM messages") == 130
    sources = store.scalar("SELECT count(*) FROM record_sources WHERE import_id = ?", (second.import_id,))
    assert sources == 100


LINES = [  # (sender, ts, text, kind): identical lines in one minute, a system line, no text
    ("Lena", 1_700_000_000_000, "ok", "text"),
    ("Lena", 1_700_000_000_000, "ok", "text"),
    (None, 1_700_000_030_000, "Lena changed the subject", "system"),
    ("Jonas", 1_700_000_060_000, "ok", "text"),
    ("Lena", 1_700_000_000_000, "ok", "text"),
    ("Jonas", 1_700_000_120_000, None, "text"),
    ("Jonas", 1_700_000_120_000, "ok", "text"),
]


def _as_messages(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    yield Conversation("chat", "Chat", "group", ("Lena", "Jonas"))
    for sender, ts, text, kind in LINES:
        yield Message("chat", sender, ts, text, kind)
    yield Message("chat", "Lena", 1_700_000_180_000, "see photo", attachments=(Attachment("photo"),))
    yield Message("chat", "Lena", 1_700_000_000_000, "ok")  # counts after the lines above


def _as_batches(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    yield Conversation("chat", "Chat", "group", ("Lena", "Jonas"))
    yield MessageBatch("chat", *map(list, zip(*LINES[:3], strict=True)))
    yield MessageBatch("chat", *map(list, zip(*LINES[3:], strict=True)))
    yield Message("chat", "Lena", 1_700_000_180_000, "see photo", attachments=(Attachment("photo"),))
    yield MessageBatch("chat", ["Lena"], [1_700_000_000_000], ["ok"], ["text"])


def _vault_of(tmp_path: Path, name: str, parse: Parse) -> list[list[tuple[Any, ...]]]:
    store = Store.create(tmp_path / f"{name}.db", os.urandom(32))
    path = tmp_path / f"{name}.txt"
    path.write_bytes(b"chat")
    assert run_one(store, path, parse, "whatsapp").added["messages"] == len(LINES) + 2
    tables = [
        store.rows(f"SELECT * FROM {table} ORDER BY 1, 2")
        for table in ("messages", "attachments", "conversation_members", "people")
    ]
    store.close()
    return tables


def test_plain_lines_in_columns_make_the_same_vault_as_one_message_each(tmp_path: Path) -> None:
    assert _vault_of(tmp_path, "batches", _as_batches) == _vault_of(tmp_path, "messages", _as_messages)


def test_a_batch_expands_to_the_messages_it_holds() -> None:
    batch = MessageBatch("chat", ["Lena", None], [1, 2], ["hi", "joined"], ["text", "system"])
    assert list(expanded([batch])) == [
        Message("chat", "Lena", 1, "hi"),
        Message("chat", None, 2, "joined", "system"),
    ]
