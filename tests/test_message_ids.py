"""Message ids that sort by time, and migration 3, which moves a vault's older message ids to them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import importers
from vault import ingest, keys, search
from vault.ids import TIME_ORDERED_SQL, OccurrenceIds, time_ordered
from vault.records import ImportOptions
from vault.store import Store, schema_version_latest
from vault.writer import RecordWriter

TS = st.integers(-(2**42), 2**42 - 1)  # 1831 to 2109
HASHED = st.integers(0, 2**63 - 1)


@given(TS, HASHED)
def test_the_sql_expression_is_the_python_one(ts: int, hashed: int) -> None:
    store = _memory_store()
    sql = f"SELECT {TIME_ORDERED_SQL.format(ts='?', hashed='?')}"
    assert store.execute(sql, (ts, hashed)).fetchone()[0] == time_ordered(ts, hashed)
    assert 0 <= time_ordered(ts, hashed) < 2**63


@given(TS, TS, HASHED, HASHED)
def test_a_later_second_sorts_after_an_earlier_one(a: int, b: int, ha: int, hb: int) -> None:
    if a >> 10 < b >> 10:
        assert time_ordered(a, ha) < time_ordered(b, hb)


_STORE: list[Any] = []


def _memory_store() -> Any:
    if not _STORE:
        import sqlcipher3

        _STORE.append(sqlcipher3.connect(":memory:"))
    return _STORE[0]


CHAT = [
    "01/02/2021, 09:00 - Ana: good morning",
    "01/02/2021, 09:01 - Ben: IMG-20210201-WA0001.jpg (file attached)",
    "01/02/2021, 09:01 - Ben: ok",
    "01/02/2021, 09:01 - Ben: ok",
    "02/02/2021, 18:30 - Ana: see you at the station",
]
LATER = ["03/02/2021, 07:45 - Ben: on my way", "03/02/2021, 07:46 - Ana: ok"]


def _chat(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(store: Store, path: Path) -> ingest.FileResult:
    report = ingest.run(store, importers.discover([path]), options=ImportOptions(me="Ana"))
    (result,) = report.files
    assert result.status == "imported", result.reason
    return result


def _hash_only_ids(writer: RecordWriter, identities: Iterable[tuple[Any, ...]]) -> list[int]:
    """The id scheme before migration 3: the occurrence hash alone, scattered over the table."""
    counter = writer.occurrences.setdefault("messages", OccurrenceIds(writer.platform, "messages"))
    return [counter.next_id(tuple(identity)) for identity in identities]


def test_an_older_vault_moves_to_time_ordered_ids_and_a_longer_export_adds_only_the_new_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, data_key = tmp_path / "old.db", keys.new_data_key()
    folder = tmp_path / "export"
    folder.mkdir()
    old = Store.create(path, data_key)
    with monkeypatch.context() as patch:
        patch.setattr(RecordWriter, "_time_ordered_ids", _hash_only_ids)
        first = _import(old, _chat(folder / "WhatsApp Chat with Ben.txt", CHAT))
    assert first.added["messages"] == len(CHAT) and first.added["attachments"] == 1
    search.ensure_indexed(old)
    before = old.rows("SELECT id, ts FROM messages ORDER BY id")
    with old.transaction() as conn:  # the schema as version 2 left it
        conn.execute("DROP TABLE forgotten_identities")
        conn.execute("DROP INDEX messages_conversation")
        conn.execute("CREATE INDEX messages_conversation_ts ON messages(conversation_id, ts)")
        conn.execute("CREATE INDEX messages_import ON messages(import_id)")
        conn.execute("PRAGMA user_version = 2")
    old.close()

    store = Store.open(path, data_key)
    assert store.schema_version == schema_version_latest()
    indexes = {r[0] for r in store.rows("SELECT name FROM sqlite_master WHERE tbl_name = 'messages'")}
    assert {"messages_conversation", "messages_sender"} <= indexes
    assert not {"messages_import", "messages_conversation_ts"} & indexes
    after = store.rows("SELECT id, ts FROM messages ORDER BY id")
    assert sorted(after) == sorted((time_ordered(ts, rid), ts) for rid, ts in before)
    assert [ts for _, ts in after] == sorted(ts for _, ts in after)
    ids = {rid for rid, _ in after}
    assert {r[0] for r in store.rows("SELECT target_id FROM attachments")} <= ids
    indexed = {r[0] for r in store.rows("SELECT record_id FROM text_index_map WHERE table_name = 'messages'")}
    assert indexed == {r[0] for r in store.rows("SELECT id FROM messages WHERE text IS NOT NULL")}
    assert search.search(store, "station")[0].record_id in ids
    assert store.integrity_problems() == []

    newer = _import(store, _chat(tmp_path / "WhatsApp Chat with Ben.txt", CHAT + LATER))
    assert newer.added.get("messages", 0) == len(LATER)
    assert store.scalar("SELECT count(*) FROM attachments") == 1
    store.close()


def test_identical_lines_in_one_minute_keep_distinct_time_ordered_ids(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "v.db", keys.new_data_key())
    _import(store, _chat(tmp_path / "WhatsApp Chat with Ben.txt", CHAT))
    oks = store.rows("SELECT id FROM messages WHERE text = 'ok' ORDER BY id")
    assert len(oks) == 2 and oks[0] != oks[1]
    first_second = store.scalar("SELECT min(ts) FROM messages")
    assert store.scalar("SELECT min(id) FROM messages") >> 30 == (first_second >> 10) + 2**32
    store.close()
