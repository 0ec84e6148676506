"""The encrypted store: a SQLCipher 4 database opened with the raw data key.

This is the only module that imports `sqlcipher3`. It opens and creates vault files, applies
schema migrations, runs transactions, and maps the database's failures to Coffer's errors.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import sqlcipher3

from vault.errors import VaultBusy, VaultDamaged, VaultExists, VaultNotFound
from vault.ids import TIME_ORDERED_SQL

SALT_BYTES = 16
DEFAULT_BUSY_TIMEOUT_MS = 10_000
RECORD_TABLES = (
    "location_chunks",
    "visits",
    "trips",
    "messages",
    "posts",
    "interactions",
    "reactions",
    "attachments",
    "profile_facts",
)
COUNTED_TABLES = (
    "imports",
    "people",
    "identities",
    "conversations",
    *RECORD_TABLES,
    "policies",
    "contributions",
    "query_history",
)

DatabaseError = sqlcipher3.DatabaseError

# Pages of 16 KiB for new vaults: an import writes a quarter as many pages, each with its own IV
# and HMAC, and splits B-tree pages a quarter as often (a chat import 5% faster than with 4 KiB,
# benchmarks/bench_import.py). Older vaults keep the size their key header records.
PAGE_SIZE = 16384


def _migrations() -> list[str]:
    """Ordered schema migrations; migration N brings `user_version` from N-1 to N."""
    base = resources.files("vault").joinpath("schema.sql").read_text(encoding="utf-8")
    return [base, *_LATER_MIGRATIONS]


# Each entry moves the schema one version up. Never edit a released entry: append a new one.
_LATER_MIGRATIONS: list[str] = [
    # 2: full-text index over message and post text (FTS5, contentless: holds no copy of the text
    # beyond its index, rows keyed by the record id).
    """
    CREATE VIRTUAL TABLE text_index USING fts5(
        text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TABLE text_index_map (
        rowid INTEGER PRIMARY KEY,
        table_name TEXT NOT NULL,
        record_id INTEGER NOT NULL
    );
    CREATE INDEX text_index_map_record ON text_index_map(table_name, record_id);
    """,
    # 3: messages without a platform id take ids that begin with their time (vault/ids.py
    # time_ordered), so an import appends rows instead of scattering them; every reference
    # follows. A row whose new id is taken keeps its old one. Nothing in the store reads
    # messages by (conversation, time): that index becomes one on the conversation alone.
    f"""
    DROP INDEX messages_conversation_ts;
    CREATE INDEX messages_conversation ON messages(conversation_id);
    CREATE TEMP TABLE message_ids (old INTEGER PRIMARY KEY, new INTEGER NOT NULL UNIQUE);
    INSERT OR IGNORE INTO message_ids(old, new)
        SELECT id, {TIME_ORDERED_SQL.format(ts="ts", hashed="id")} FROM messages WHERE source_id IS NULL;
    DELETE FROM message_ids WHERE new IN (SELECT id FROM messages);
    UPDATE messages SET id = (SELECT new FROM message_ids WHERE old = messages.id)
        WHERE id IN (SELECT old FROM message_ids);
    UPDATE messages SET reply_to = (SELECT new FROM message_ids WHERE old = messages.reply_to)
        WHERE reply_to IN (SELECT old FROM message_ids);
    UPDATE reactions SET target_id = (SELECT new FROM message_ids WHERE old = reactions.target_id)
        WHERE target_table = 'messages' AND target_id IN (SELECT old FROM message_ids);
    UPDATE attachments SET target_id = (SELECT new FROM message_ids WHERE old = attachments.target_id)
        WHERE target_table = 'messages' AND target_id IN (SELECT old FROM message_ids);
    UPDATE record_sources SET record_id = (SELECT new FROM message_ids WHERE old = record_sources.record_id)
        WHERE table_name = 'messages' AND record_id IN (SELECT old FROM message_ids);
    UPDATE text_index_map SET record_id = (SELECT new FROM message_ids WHERE old = text_index_map.record_id)
        WHERE table_name = 'messages' AND record_id IN (SELECT old FROM message_ids);
    DROP TABLE message_ids;
    """,
    # 4: people forgotten with `coffer forget-person` stay forgotten when an export that names
    # them is imported again. Only keyed digests of their identities are kept (vault/people.py).
    """
    CREATE TABLE forgotten_identities (digest BLOB PRIMARY KEY) WITHOUT ROWID;
    """,
    # 5: no index of messages by import. Only `coffer forget-import` looked messages up by import,
    # and it reads the table once; every imported message paid for the index (about a tenth of
    # a chat import, benchmarks/bench_import.py).
    """
    DROP INDEX messages_import;
    """,
]


def schema_version_latest() -> int:
    return len(_migrations())


def busy_timeout_ms() -> int:
    value = os.environ.get("COFFER_BUSY_TIMEOUT_MS")
    return int(value) if value and value.isdigit() else DEFAULT_BUSY_TIMEOUT_MS


class Store:
    """An open vault database. Thread-safe for the TUI's workers through one lock."""

    def __init__(self, conn: Any, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.lock = threading.RLock()

    @classmethod
    def create(
        cls, path: Path, data_key: bytes, *, migrate_to: int | None = None, page_size: int = PAGE_SIZE
    ) -> Store:
        """Create a new vault database (refusing to overwrite one)."""
        if path.exists() and path.stat().st_size > 0:
            raise VaultExists(f"a vault already exists at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _connect(path, data_key, page_size)
        store = cls(conn, path)
        try:
            store._configure()
            store.migrate(migrate_to)
            with store.transaction():
                store.set_meta("generation", "1")
                store.set_meta("created_at", str(int(time.time())))
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException:
            conn.close()
            remove_vault_files(path)
            raise
        os.chmod(path, 0o600)
        return store

    @classmethod
    def open(
        cls, path: Path, data_key: bytes, *, expected_salt: str | None = None, page_size: int = PAGE_SIZE
    ) -> Store:
        """Open an existing vault (its key header knows the page size); a wrong key here means the
        file was damaged or swapped."""
        check_vault_file(path, expected_salt)
        conn = _connect(path, data_key, page_size)
        store = cls(conn, path)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            conn.close()
            raise VaultDamaged(
                f"{path.name} cannot be decrypted with its key header: the database is damaged, "
                "tampered with, or the header belongs to another vault"
            ) from None
        store._configure()
        store._check_not_truncated()
        store.migrate()
        return store

    def _configure(self) -> None:
        with self.errors():
            for pragma in (
                "foreign_keys = ON",
                "secure_delete = ON",
                "temp_store = MEMORY",
                "journal_mode = WAL",
                "synchronous = NORMAL",
                "cache_size = -65536",
                f"busy_timeout = {busy_timeout_ms()}",
            ):
                self.conn.execute(f"PRAGMA {pragma}")

    @property
    def page_size(self) -> int:
        return int(self.scalar("PRAGMA page_size"))

    def _check_not_truncated(self) -> None:
        page_size = self.page_size
        page_count = int(self.scalar("PRAGMA page_count"))
        wal = self.path.with_name(self.path.name + "-wal")
        wal_empty = not wal.exists() or wal.stat().st_size == 0
        if wal_empty and self.path.stat().st_size < page_size * page_count:
            self.conn.close()
            raise VaultDamaged(f"{self.path.name} is truncated: the database is damaged")

    # -- schema -------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

    def migrate(self, target: int | None = None) -> None:
        migrations = _migrations()
        target = len(migrations) if target is None else target
        current = self.schema_version
        if current > len(migrations):
            raise VaultDamaged(
                f"this vault has schema version {current}, newer than this coffer knows "
                f"({len(migrations)}): upgrade coffer"
            )
        for version in range(current + 1, target + 1):
            with self.transaction():
                for statement in _split_sql(migrations[version - 1]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version}")

    # -- transactions and queries -------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """BEGIN IMMEDIATE ... COMMIT; rolled back on any error, KeyboardInterrupt included."""
        with self.lock, self.errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Turn the database's failures into VaultBusy / VaultDamaged."""
        try:
            yield
        except sqlcipher3.OperationalError as exc:
            message = str(exc)
            if "locked" in message or "busy" in message:
                raise VaultBusy(
                    "the vault is busy: another coffer process is writing to it (try again)"
                ) from None
            if "malformed" in message or "not a database" in message:
                raise VaultDamaged(f"the vault is damaged ({message})") from None
            raise
        except sqlcipher3.DatabaseError as exc:
            if isinstance(exc, sqlcipher3.IntegrityError):
                raise
            raise VaultDamaged(f"the vault is damaged or tampered with ({exc})") from None

    def scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        with self.lock, self.errors():
            row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.lock, self.errors():
            return list(self.conn.execute(sql, params).fetchall())

    def get_meta(self, key: str) -> str | None:
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value (inside the caller's transaction)."""
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def generation(self) -> int:
        """Bumped by every write to the record tables; derived snapshots carry it."""
        return int(self.get_meta("generation") or 0)

    def bump_generation(self) -> int:
        """Mark derived data stale (inside the caller's transaction)."""
        new = self.generation + 1
        self.set_meta("generation", str(new))
        self.conn.execute("DELETE FROM snapshots")
        return new

    def counts(self) -> dict[str, int]:
        """Rows per table (location fixes counted inside their chunks, as `locations`)."""
        return {"locations" if t == "location_chunks" else t: self._rows(t) for t in COUNTED_TABLES}

    def record_total(self) -> int:
        """Records of every kind in RECORD_TABLES, each location fix one record."""
        return sum(self._rows(table) for table in RECORD_TABLES)

    def _rows(self, table: str) -> int:
        if table == "location_chunks":
            return int(self.scalar("SELECT coalesce(sum(rows), 0) FROM location_chunks"))
        return int(self.scalar(f"SELECT count(*) FROM {table}"))

    def integrity_problems(self) -> list[str]:
        """SQLCipher's page HMAC check plus SQLite's own; empty when the vault is sound."""
        with self.lock, self.errors():
            problems = [str(r[0]) for r in self.conn.execute("PRAGMA cipher_integrity_check")]
            problems += [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        return problems

    def checkpoint(self) -> None:
        with self.lock, self.errors():
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt every page under a new data key."""
        with self.lock, self.errors():
            self.conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")

    def close(self) -> None:
        with self.lock:
            with contextlib.suppress(sqlcipher3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.close()


def check_vault_file(path: Path, expected_salt: str | None) -> None:
    """Cheap checks before decrypting: the file exists, is big enough, and matches its header."""
    if not path.exists():
        raise VaultNotFound(f"no vault at {path} (create one with `coffer init`)")
    with path.open("rb") as handle:
        salt = handle.read(SALT_BYTES)
    if len(salt) < SALT_BYTES:
        raise VaultDamaged(f"{path.name} is not a coffer vault (too short)")
    if salt.startswith(b"SQLite format 3"):
        raise VaultDamaged(f"{path.name} is an unencrypted SQLite file, not a coffer vault")
    if expected_salt and salt.hex() != expected_salt:
        raise VaultDamaged(f"the key header does not belong to {path.name} (it was made for another vault)")


def remove_vault_files(path: Path) -> None:
    """Remove a database and SQLite's companions (not the key header)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


def read_salt(path: Path) -> str:
    with path.open("rb") as handle:
        return handle.read(SALT_BYTES).hex()


def _null(value: None) -> None:
    return value


# Binding None takes the driver's slow path: no adapter is registered for it, so each NULL
# parameter raises and clears two AttributeErrors (`__adapt__`, `__conform__`) before it binds.
# Chat rows carry half a dozen NULLs each: this adapter made inserting them three times faster.
sqlcipher3.register_adapter(type(None), _null)

# Prepared statements live in the connection's lookaside memory. With cipher_memory_security ON,
# every allocation that misses lookaside goes through SQLCipher's allocator, which mlocks and
# wipes it: with Python's default cache of 128 statements, lookaside fills up and each row of an
# insert costs a dozen mlock/munlock system calls (an import ran 4x slower). A few cached
# statements keep the hot loops prepared and leave lookaside free (benchmarks/bench_import.py).
STATEMENT_CACHE = 8


def _connect(path: Path, data_key: bytes, page_size: int = PAGE_SIZE) -> Any:
    conn = sqlcipher3.connect(
        str(path), isolation_level=None, check_same_thread=False, cached_statements=STATEMENT_CACHE
    )
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_page_size = {int(page_size)}")
    except sqlcipher3.DatabaseError:
        conn.close()
        raise VaultDamaged(f"{path.name} is not a coffer vault") from None
    return conn


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (complete_statement knows about triggers)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        statements.append(buffer.strip())
    return statements
