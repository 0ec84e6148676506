"""The DuckDB sandbox user SQL runs in: in memory, no files, no network, no extensions, no settings.

Configuration is locked once set, so a statement cannot loosen it; only single read statements
are accepted; a timer interrupts a statement that runs too long.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator

import duckdb

from vault.errors import CofferError, UsageError

DEFAULT_MEMORY_LIMIT = "2GB"
ENV_MEMORY_LIMIT = "COFFER_MEMORY_LIMIT"
READ_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})
_MEMORY = re.compile(r"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.I)


class QueryError(CofferError):
    """SQL that failed or was refused; the message is DuckDB's own (with its position) or ours."""


_LINE = re.compile(r"^LINE (\d+): ?")


def one_line(message: str) -> str:
    """DuckDB's multi-line message on one line, its caret turned into "at line L, column C"."""
    lines = [line for line in message.splitlines() if line.strip()]
    parts: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        found = _LINE.match(line)
        if found and index + 1 < len(lines) and lines[index + 1].strip().startswith("^"):
            column = lines[index + 1].index("^") - found.end() + 1
            parts.append(f"at line {found.group(1)}, column {column}: {line[found.end() :].strip()}")
            index += 2
            continue
        parts.append(line.strip())
        index += 1
    return " ".join(parts)


def memory_limit() -> str:
    """The engine's memory limit: $COFFER_MEMORY_LIMIT (like "512MB") or 2GB."""
    value = os.environ.get(ENV_MEMORY_LIMIT, DEFAULT_MEMORY_LIMIT)
    if not _MEMORY.match(value):
        raise UsageError(f"{ENV_MEMORY_LIMIT} must be a size like 512MB or 2GB, not {value!r}")
    return value.strip()


def connect(limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB, configured and locked (functions are registered before locking)."""
    conn = duckdb.connect(
        ":memory:",
        config={"autoload_known_extensions": False, "autoinstall_known_extensions": False},
    )
    for setting, value in (
        ("TimeZone", "UTC"),
        ("temp_directory", ""),
        ("memory_limit", limit or memory_limit()),
        ("python_enable_replacements", False),
        ("allow_community_extensions", False),
    ):
        conn.execute(_set(setting, value))
    return conn


def _set(setting: str, value: str | bool) -> str:
    literal = str(value).lower() if isinstance(value, bool) else "'" + value.replace("'", "''") + "'"
    return f"SET {setting} = {literal}"


def lock(conn: duckdb.DuckDBPyConnection) -> None:
    """Cut off files and network, then freeze every setting."""
    conn.execute("SET enable_external_access = false")
    conn.execute("SET lock_configuration = true")


def check_read_only(conn: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one SELECT-like statement (SELECT, WITH, VALUES, DESCRIBE, SHOW, ...)."""
    try:
        statements = conn.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(one_line(str(exc))) from None
    if not statements:
        raise QueryError("no SQL statement given")
    if len(statements) > 1:
        raise QueryError("one statement at a time, please (found several separated by ';')")
    kind = statements[0].type
    if kind not in READ_STATEMENTS:
        name = kind.name if hasattr(kind, "name") else str(kind)
        raise QueryError(
            f"only read statements are allowed (SELECT, WITH, VALUES, DESCRIBE, SUMMARIZE, SHOW, "
            f"EXPLAIN); this is a {name} statement"
        )


@contextlib.contextmanager
def deadline(conn: duckdb.DuckDBPyConnection, seconds: float | None) -> Iterator[threading.Event]:
    """Interrupt the connection after `seconds`; the event tells whether it fired."""
    fired = threading.Event()
    if not seconds or seconds <= 0:
        yield fired
        return

    def stop() -> None:
        fired.set()
        conn.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()
