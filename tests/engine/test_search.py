"""Full-text search: lazy, incremental indexing; hits from SQL; forgotten records never found."""

from __future__ import annotations

import pytest

from vault import search
from vault.engine import Engine
from vault.errors import UsageError
from vault.forget import forget_import
from vault.session import Vault


def test_search_finds_every_word_and_indexes_only_once(vault: Vault) -> None:
    hits = search.search(vault.store, "pokemon", 100)
    expected = vault.store.scalar("SELECT count(*) FROM messages WHERE text LIKE '%okemon%'")
    assert len(hits) == expected > 0
    assert all(h.table == "messages" and "pokemon" in h.snippet.lower() for h in hits)
    assert search.ensure_indexed(vault.store) == 0


def test_prefix_and_operators_are_plain_words(vault: Vault) -> None:
    assert search.search(vault.store, "poke*", 100)
    assert search.fts_query('a OR "b" NEAR(c)') == '"a" "OR" "b" "NEAR" "c"'
    with pytest.raises(UsageError):
        search.fts_query("  ** ")


def test_search_covers_posts(vault: Vault) -> None:
    word = vault.store.scalar("SELECT text FROM posts WHERE length(text) > 20 LIMIT 1").split()[0]
    hits = search.search(vault.store, word, 500)
    assert any(h.table == "posts" for h in hits)


def test_new_records_are_indexed_on_the_next_search(vault: Vault) -> None:
    search.ensure_indexed(vault.store)
    with vault.store.transaction() as conn:
        conn.execute(
            "INSERT INTO messages(id, platform, ts, text, kind) VALUES (42, 'test', 0, 'zanzibar quokka', 'text')"
        )
        vault.store.bump_generation()
    assert [h.record_id for h in search.search(vault.store, "quokka", 10)] == [42]


def test_forgotten_records_are_not_found(vault: Vault, engine: Engine) -> None:
    hits = search.search(vault.store, "pokemon", 100)
    import_id = vault.store.scalar("SELECT import_id FROM messages WHERE id = ?", (hits[0].record_id,))
    forget_import(vault.store, import_id)
    assert search.search(vault.store, "pokemon", 100) == []
    assert engine.query("SELECT count(*) AS n FROM search_hits('pokemon')")["n"][0].as_py() == 0


def test_search_hits_in_sql_joins_with_messages(engine: Engine) -> None:
    rows = engine.query(
        "SELECT h.ts = m.ts AS same_time, m.text FROM search_hits('gym', n := 10) h "
        "JOIN messages m ON m.id = h.record_id"
    ).to_pylist()
    assert rows and all(r["same_time"] and "gym" in r["text"].lower() for r in rows)
    assert engine.search("gym").num_rows == len(rows)
