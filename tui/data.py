"""Where the app gets its engine, and the small read-only queries its panes share."""

from __future__ import annotations

from vault.engine import Engine, QueryError, record_history
from vault.store import Store

__all__ = ["Engine", "QueryError", "get_setting", "open_engine", "record_history", "set_setting"]


def open_engine(store: Store) -> Engine:
    """A fresh sandboxed engine over the open store (nothing is loaded until a query names a table)."""
    return Engine(store)


def get_setting(store: Store, key: str, default: str = "") -> str:
    value = store.scalar("SELECT value FROM settings WHERE key = ?", (key,))
    return default if value is None else str(value)


def set_setting(store: Store, key: str, value: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
