"""The engine answers the same questions as the store, with CONTRACTS.md's names and types."""

from __future__ import annotations

import pyarrow as pa
import pytest

from vault import catalog, snapshot
from vault.engine import DASHBOARD_QUERIES, Engine, QueryError
from vault.forget import forget_import
from vault.session import Vault


def test_location_count_and_months_match_the_chunks(engine: Engine, vault: Vault) -> None:
    stored = vault.store.scalar("SELECT sum(rows) FROM location_chunks")
    assert engine.query("SELECT count(*) AS n FROM locations")["n"][0].as_py() == stored
    months = engine.query(
        "SELECT strftime(ts, '%Y-%m') AS m, count(*) AS n FROM locations GROUP BY 1 ORDER BY 1"
    ).to_pylist()
    assert sum(r["n"] for r in months) == stored
    assert len(months) > 1


def test_messages_per_conversation_match_the_store(engine: Engine, vault: Vault) -> None:
    expected = vault.store.rows(
        "SELECT c.title, count(*), min(m.ts) FROM messages m JOIN conversations c ON c.id = m.conversation_id "
        "GROUP BY c.title ORDER BY c.title"
    )
    got = engine.query(
        "SELECT conversation_title, count(*) AS n, epoch_ms(min(ts)) AS first FROM messages_named "
        "GROUP BY 1 ORDER BY 1"
    ).to_pylist()
    assert [(r["conversation_title"], r["n"], r["first"]) for r in got] == [tuple(r) for r in expected]


def test_sender_names_and_owner_flag_come_from_people(engine: Engine, vault: Vault) -> None:
    expected = dict(vault.store.rows("SELECT id, display_name FROM people"))
    rows = engine.query("SELECT sender_id, sender_name FROM messages_named WHERE sender_id IS NOT NULL")
    assert rows.num_rows > 0
    assert all(expected[r["sender_id"]] == r["sender_name"] for r in rows.to_pylist())
    assert engine.query("SELECT is_self FROM people").schema.field("is_self").type == pa.bool_()


def test_times_are_timestamptz_in_utc(engine: Engine) -> None:
    for name, spec in catalog.TABLE_SPECS.items():
        types = {c.name: c.type for c in engine.columns(name)}
        for column in spec.columns:
            if column.type == "TIMESTAMPTZ":
                assert types[column.name] == "TIMESTAMP WITH TIME ZONE", (name, column.name)
    assert engine.query("SELECT current_setting('TimeZone') AS z")["z"][0].as_py() == "UTC"


def test_imports_counts_is_json(engine: Engine, vault: Vault) -> None:
    rows = engine.query("SELECT id, counts->>'$.locations' AS fixes FROM imports ORDER BY id").to_pylist()
    stored = vault.store.rows("SELECT id, json_extract(counts, '$.locations') FROM imports ORDER BY id")
    assert [(r["id"], None if r["fixes"] is None else int(r["fixes"])) for r in rows] == [
        tuple(r) for r in stored
    ]


def test_timeline_unions_everything_with_a_time(engine: Engine) -> None:
    parts = engine.query(
        "SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM posts) + (SELECT count(*) FROM visits)"
        " + (SELECT count(*) FROM trips) + (SELECT count(*) FROM locations)"
        " + (SELECT count(*) FROM interactions WHERE ts IS NOT NULL) AS n"
    )["n"][0].as_py()
    assert engine.query("SELECT count(*) AS n FROM timeline")["n"][0].as_py() == parts
    assert {t.name: t.rows for t in engine.tables()}["timeline"] == parts


def test_tables_count_without_loading_and_every_column_is_described(engine: Engine, vault: Vault) -> None:
    counts = vault.store.counts()
    infos = {t.name: t for t in engine.tables()}
    assert set(infos) == set(catalog.NAMES)
    assert infos["messages"].rows == counts["messages"] and infos["locations"].rows == counts["locations"]
    for name in catalog.NAMES:
        assert infos[name].description
        for column in engine.columns(name):
            assert column.description, (name, column.name)


def test_unknown_table_is_a_query_error(engine: Engine) -> None:
    with pytest.raises(QueryError, match="no table or view named"):
        engine.columns("nope")
    with pytest.raises(QueryError, match="mesages"):
        engine.query("SELECT * FROM mesages")


def test_limit_returns_at_most_n_rows(engine: Engine) -> None:
    assert engine.query("SELECT * FROM locations", limit=3).num_rows == 3
    assert engine.query("SELECT * FROM locations", limit=0).num_rows == 0


def test_dashboard_queries_run(engine: Engine, vault: Vault) -> None:
    months = engine.query(DASHBOARD_QUERIES["per_platform_month"]).to_pylist()
    assert sum(r["n"] for r in months) == {t.name: t.rows for t in engine.tables()}["timeline"]
    top = engine.query(DASHBOARD_QUERIES["top_contacts"]).to_pylist()
    assert top[0]["messages"] == max(r["messages"] for r in top)
    visits = engine.query(DASHBOARD_QUERIES["visits_per_place"]).to_pylist()
    assert sum(r["visits"] for r in visits) == vault.store.counts()["visits"]


def test_forgotten_data_is_never_queryable(engine: Engine, vault: Vault) -> None:
    import_id = vault.store.scalar("SELECT import_id FROM messages GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    before = engine.query(f"SELECT count(*) AS n FROM messages WHERE import_id = {import_id}")["n"][0].as_py()
    assert before > 0
    forget_import(vault.store, import_id)
    after = engine.query(f"SELECT count(*) AS n FROM messages WHERE import_id = {import_id}")["n"][0].as_py()
    assert after == 0


def test_snapshot_is_used_while_fresh_and_never_when_stale(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "SNAPSHOT_MIN_ROWS", 0)
    spec = catalog.TABLE_SPECS["posts"]
    first = snapshot.load(vault.store, spec)
    generation = vault.store.generation
    assert snapshot.read_snapshot(vault.store, "posts", generation) is not None
    assert snapshot.load(vault.store, spec).equals(first)
    with vault.store.transaction():
        vault.store.bump_generation()
    assert snapshot.read_snapshot(vault.store, "posts", generation) is None
    assert snapshot.read_snapshot(vault.store, "posts", vault.store.generation) is None


def test_stale_snapshot_row_is_not_served(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot left at an old generation (even if not deleted) is ignored."""
    monkeypatch.setattr(snapshot, "SNAPSHOT_MIN_ROWS", 0)
    spec = catalog.TABLE_SPECS["posts"]
    fake = spec.arrow_schema.empty_table()
    old = vault.store.generation - 1
    with vault.store.transaction() as conn:
        conn.execute("INSERT INTO snapshots(name, generation, data) VALUES ('posts', ?, x'00')", (old,))
    snapshot.write_snapshot(vault.store, "posts", old, fake)
    assert snapshot.load(vault.store, spec).num_rows == vault.store.counts()["posts"] > 0


def test_share_code_can_use_internal_with_params(engine: Engine) -> None:
    rows = engine.internal("SELECT count(*) AS n FROM messages WHERE platform = ?", ["whatsapp"])
    assert rows["n"][0].as_py() > 0
    assert engine.query("SELECT ? AS x", params=[5])["x"][0].as_py() == 5
