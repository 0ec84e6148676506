"""Managing people: listing them, merging two into one, forgetting one and all they sent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from vault.errors import CofferError
from vault.forget import purge_text_index
from vault.locations import forget_shares
from vault.people import hide_conversation_keys, hide_in_file_names, merge_people, remember_forgotten
from vault.store import Store

PEOPLE_SQL = """
SELECT p.id, p.display_name, p.is_self,
       (SELECT group_concat(DISTINCT platform) FROM identities WHERE person_id = p.id),
       (SELECT count(*) FROM identities WHERE person_id = p.id),
       (SELECT count(*) FROM messages WHERE sender_id = p.id)
FROM people p ORDER BY p.is_self DESC, p.id
"""


class NoSuchPerson(CofferError):
    """The person id is not in the vault."""


@dataclass(frozen=True)
class PersonRow:
    """One line of `coffer people`."""

    id: int
    name: str
    is_self: bool
    platforms: list[str]
    identities: int
    messages: int


def list_people(store: Store) -> list[PersonRow]:
    return [
        PersonRow(
            int(r[0]), r[1] or "", bool(r[2]), sorted((r[3] or "").split(",")) if r[3] else [], r[4], r[5]
        )
        for r in store.rows(PEOPLE_SQL)
    ]


def _require_person(conn: Any, person_id: int) -> bool:
    row = conn.execute("SELECT is_self FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise NoSuchPerson(f"no person {person_id} (see `coffer people`)")
    return bool(row[0])


def merge(store: Store, keep: int, drop: int) -> None:
    """Fold person `drop` into `keep`; later imports find `drop`'s identities on `keep`."""
    if keep == drop:
        raise CofferError("a person cannot be merged into themselves")
    with store.transaction() as conn:
        _require_person(conn, keep)
        _require_person(conn, drop)
        merge_people(conn, keep=keep, drop=drop)
        store.bump_generation()


def forget_person(store: Store, person_id: int) -> Counter[str]:
    """Delete a person, their identities and everything they sent; the owner's messages stay."""
    with store.transaction() as conn:
        if _require_person(conn, person_id):
            raise CofferError(f"person {person_id} is you (is_self): forget an import instead")
        names = [r[0] for r in conn.execute(_NAMES_SQL, (person_id, person_id))]
        remember_forgotten(conn, person_id)  # so that importing their chats again leaves them out
        hidden = hide_conversation_keys(conn, person_id)  # a direct chat keyed by their name
        shared = conn.execute(  # the places they shared in chats are theirs too
            "SELECT ts, lat, lon FROM messages WHERE sender_id = ? AND lat IS NOT NULL AND lon IS NOT NULL",
            (person_id,),
        ).fetchall()
        deleted = _delete_authored(conn, person_id)
        deleted["locations"] = forget_shares(conn, shared)
        deleted["conversation names"] = hidden
        deleted["conversation titles"] = _clear_titles(conn, person_id, names)
        deleted["import file names"] = hide_in_file_names(conn, names)
        deleted["identities"] = conn.execute(
            "DELETE FROM identities WHERE person_id = ?", (person_id,)
        ).rowcount
        conn.execute("DELETE FROM conversation_members WHERE person_id = ?", (person_id,))
        deleted["people"] = conn.execute("DELETE FROM people WHERE id = ?", (person_id,)).rowcount
        store.bump_generation()
    purge_text_index(store)
    store.checkpoint()
    return Counter({k: v for k, v in deleted.items() if v})


_NAMES_SQL = (
    "SELECT value FROM identities WHERE person_id = ? AND kind IN ('name', 'key') "
    "UNION SELECT display_name FROM people WHERE id = ? AND display_name IS NOT NULL"
)


def _delete_authored(conn: Any, person_id: int) -> Counter[str]:
    """Their messages and posts (with attachments, reactions, index entries) and their reactions."""
    deleted: Counter[str] = Counter()
    for table, column in (("messages", "sender_id"), ("posts", "author_id")):
        owned = f"SELECT id FROM {table} WHERE {column} = ?"
        for child in ("attachments", "reactions"):
            deleted[child] += conn.execute(
                f"DELETE FROM {child} WHERE target_table = ? AND target_id IN ({owned})", (table, person_id)
            ).rowcount
        for rowid in [r[0] for r in conn.execute(_INDEX_ROWS.format(owned=owned), (table, person_id))]:
            conn.execute("DELETE FROM text_index WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM text_index_map WHERE rowid = ?", (rowid,))
        conn.execute(
            f"DELETE FROM record_sources WHERE table_name = ? AND record_id IN ({owned})", (table, person_id)
        )
        deleted[table] = conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (person_id,)).rowcount
    deleted["reactions"] += conn.execute("DELETE FROM reactions WHERE person_id = ?", (person_id,)).rowcount
    return deleted


_INDEX_ROWS = "SELECT rowid FROM text_index_map WHERE table_name = ? AND record_id IN ({owned})"


def _clear_titles(conn: Any, person_id: int, names: list[str]) -> int:
    """A direct chat is titled with the other person's name: that name goes with them."""
    cleared = 0
    for name in names:
        cleared += conn.execute(
            "UPDATE conversations SET title = NULL WHERE title = ? AND id IN "
            "(SELECT conversation_id FROM conversation_members WHERE person_id = ?)",
            (name, person_id),
        ).rowcount
    return cleared
