"""People and their identities: resolving platform keys, merging the same person across platforms."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources
from typing import Any

import phonenumbers

from vault.records import Person

# Tables whose rows point at a person, and the column that does.
PERSON_REFERENCES = (
    ("messages", "sender_id"),
    ("posts", "author_id"),
    ("reactions", "person_id"),
)


def normalize_email(value: str) -> str | None:
    value = value.strip().lower()
    return value if "@" in value and " " not in value else None


def normalize_phone(value: str, region: str | None) -> str | None:
    """E.164 for a phone written in any format; national formats need the region."""
    try:
        number = phonenumbers.parse(value, None if value.strip().startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_name(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold().strip()


@functools.cache
def region_of_zone(zone: str) -> str | None:
    """The country of an IANA zone (tzdata's zone.tab), for reading national phone numbers."""
    try:
        table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    except (FileNotFoundError, ModuleNotFoundError):
        return None
    for line in table.splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) >= 3 and fields[2] == zone:
                return fields[0]
    return None


# What the resolver returns for a person the user forgot: their records are left out.
FORGOTTEN = -1
# Identity kinds that name one person: platform keys and handles, and phones and e-mails anywhere.
_FORGET_KINDS = {"key": True, "handle": True, "phone": False, "email": False}  # kind: per platform


def _forget_key(conn: Any) -> bytes:
    """The vault's secret for forgotten-identity digests, made on first use."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'forget_key'").fetchone()
    if row is not None:
        return bytes.fromhex(str(row[0]))
    key = os.urandom(32)
    conn.execute("INSERT INTO settings(key, value) VALUES ('forget_key', ?)", (key.hex(),))
    return key


def _digest(key: bytes, platform: str | None, kind: str, value: str) -> bytes:
    text = f"{platform if _FORGET_KINDS[kind] else ''}\x1f{kind}\x1f{value}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), key=key, digest_size=16).digest()


def remember_forgotten(conn: Any, person_id: int) -> int:
    """Keep digests of a person's identities, so later imports leave them out; returns how many."""
    key = _forget_key(conn)
    kinds = tuple(_FORGET_KINDS)
    rows = conn.execute(
        f"SELECT platform, kind, value FROM identities WHERE person_id = ? AND kind IN ({', '.join('?' * len(kinds))})",
        (person_id, *kinds),
    ).fetchall()
    digests = [(_digest(key, platform, kind, value),) for platform, kind, value in rows]
    conn.executemany("INSERT OR IGNORE INTO forgotten_identities(digest) VALUES (?)", digests)
    return len(digests)


def stand_in(key: bytes, platform: str, value: str) -> str:
    """What replaces a forgotten person's name where a conversation was keyed by it (a direct
    WhatsApp chat is keyed by its title, the other person's name)."""
    return "forgotten:" + _digest(key, platform, "key", value).hex()


def hide_in_file_names(conn: Any, names: Iterable[str], import_id: int | None = None) -> int:
    """Replace a forgotten person's names, as whole words, in the file names imports recorded
    ("WhatsApp Chat with Ben.txt"); only the import `import_id` when given. Returns how many."""
    changed = 0
    for name in {n for n in names if n}:
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        rows = conn.execute(
            "SELECT id, file_name FROM imports WHERE instr(file_name, ?) > 0 AND (? IS NULL OR id = ?)",
            (name, import_id, import_id),
        ).fetchall()
        for rid, file_name in rows:
            hidden = pattern.sub("(forgotten)", file_name)
            if hidden != file_name:
                conn.execute("UPDATE imports SET file_name = ? WHERE id = ?", (hidden, rid))
                changed += 1
    return changed


def hide_conversation_keys(conn: Any, person_id: int) -> int:
    """Re-key the conversations named after a person about to be forgotten; returns how many."""
    key = _forget_key(conn)
    hidden = 0
    for platform, value in conn.execute(
        "SELECT platform, value FROM identities WHERE person_id = ? AND kind = 'key'", (person_id,)
    ).fetchall():
        hidden += conn.execute(
            "UPDATE conversations SET key = ?, title = NULL WHERE platform = ? AND key = ? AND id IN "
            "(SELECT conversation_id FROM conversation_members WHERE person_id = ?)",
            (stand_in(key, platform, value), platform, value, person_id),
        ).rowcount
    return hidden


class _Forgotten:
    """Whether a platform identity belongs to someone the user forgot (no query when nobody was)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.any = conn.execute("SELECT 1 FROM forgotten_identities LIMIT 1").fetchone() is not None
        self.key = _forget_key(conn) if self.any else b""

    def __call__(self, platform: str, kind: str, value: str) -> bool:
        if not self.any:
            return False
        digest = _digest(self.key, platform, kind, value)
        found = self.conn.execute("SELECT 1 FROM forgotten_identities WHERE digest = ?", (digest,))
        return found.fetchone() is not None

    def stand_in(self, platform: str, value: str) -> str | None:
        """The stand-in conversation key when `value` is a forgotten person's key, else None."""
        return stand_in(self.key, platform, value) if self(platform, "key", value) else None


class PeopleResolver:
    """Turns one import's person keys into person ids, creating and merging people as needed."""

    def __init__(self, conn: Any, platform: str, import_id: int, region: str | None) -> None:
        self.conn = conn
        self.platform = platform
        self.import_id = import_id
        self.region = region
        self.cache: dict[str, int] = {}
        self.added = 0
        self.forgotten = _Forgotten(conn)

    def resolve(self, key: str) -> int:
        """The person for a platform key, created with the key as name when unknown; FORGOTTEN
        for someone the user forgot."""
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        if self.forgotten(self.platform, "key", key):
            self.cache[key] = FORGOTTEN
            return FORGOTTEN
        found = self._find("key", key, self.platform)
        if found is None:
            found = self._create(key, False)
            self._add_identity(found, "key", key)
        self.cache[key] = found
        return found

    def person(self, record: Person) -> int:
        """Store a Person record: find them by key, phone or e-mail; merge when these disagree.
        Someone the user forgot (by any of these) is not stored: FORGOTTEN."""
        if self._is_forgotten(record):
            self.cache[record.key] = FORGOTTEN
            return FORGOTTEN
        person_id = self._find("key", record.key, self.platform)
        matches = self._matches(record)
        if person_id is None:
            person_id = (
                matches[0] if matches else self._create(record.display_name or record.key, record.is_self)
            )
            self._add_identity(person_id, "key", record.key)
        for other in matches:
            if other != person_id:
                merge_people(self.conn, keep=other, drop=person_id)
                self.cache = {k: (other if v == person_id else v) for k, v in self.cache.items()}
                person_id = other
        self._update(person_id, record)
        self._add_identities(person_id, record)
        if record.display_name:
            prefer_real_name(self.conn, person_id, record.display_name)
        self.cache[record.key] = person_id
        return person_id

    def _is_forgotten(self, record: Person) -> bool:
        if not self.forgotten.any:
            return False
        named = [("key", record.key), *(("handle", h) for h in record.handles)]
        named += self._global_identities(record)
        return any(self.forgotten(self.platform, kind, value) for kind, value in named)

    def _matches(self, record: Person) -> list[int]:
        found: list[int] = []
        for kind, value in self._global_identities(record):
            person_id = self._find(kind, value, None)
            if person_id is not None and person_id not in found:
                found.append(person_id)
        return found

    def _global_identities(self, record: Person) -> list[tuple[str, str]]:
        pairs = [("phone", normalize_phone(p, self.region)) for p in record.phones]
        pairs += [("email", normalize_email(e)) for e in record.emails]
        return [(kind, value) for kind, value in pairs if value]

    def _add_identities(self, person_id: int, record: Person) -> None:
        for kind, value in self._global_identities(record):
            self._add_identity(person_id, kind, value)
        for handle in record.handles:
            self._add_identity(person_id, "handle", handle)
        if record.display_name:
            self._add_identity(person_id, "name", record.display_name)
        for address in record.addresses:
            self._add_identity(person_id, "address", address)

    def _find(self, kind: str, value: str, platform: str | None) -> int | None:
        if platform is None:
            row = self.conn.execute(
                "SELECT person_id FROM identities WHERE kind = ? AND value = ?", (kind, value)
            ).fetchone()
        else:
            row = self.conn.execute(
                "SELECT person_id FROM identities WHERE platform = ? AND kind = ? AND value = ?",
                (platform, kind, value),
            ).fetchone()
        return None if row is None else int(row[0])

    def _create(self, name: str, is_self: bool) -> int:
        self.added += 1
        cursor = self.conn.execute(
            "INSERT INTO people(display_name, is_self, import_id) VALUES (?, ?, ?)",
            (name, int(is_self), self.import_id),
        )
        return int(cursor.lastrowid)

    def _add_identity(self, person_id: int, kind: str, value: str) -> None:
        exists = self.conn.execute(
            "SELECT 1 FROM identities WHERE person_id = ? AND platform = ? AND kind = ? AND value = ?",
            (person_id, self.platform, kind, value),
        ).fetchone()
        if exists is None:
            self.conn.execute(
                "INSERT OR IGNORE INTO identities(person_id, platform, kind, value, import_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (person_id, self.platform, kind, value, self.import_id),
            )

    def _update(self, person_id: int, record: Person) -> None:
        self.conn.execute(
            "UPDATE people SET is_self = max(is_self, ?), "
            "display_name = coalesce(display_name, ?), birthday = coalesce(birthday, ?), "
            "organization = coalesce(organization, ?) WHERE id = ?",
            (int(record.is_self), record.display_name, record.birthday, record.organization, person_id),
        )


def prefer_real_name(conn: Any, person_id: int, candidate: str) -> None:
    """Show a person by a name they go by, not by a placeholder key ("self", "user123")."""
    conn.execute(
        "UPDATE people SET display_name = ? WHERE id = ? "
        "AND ? IN (SELECT value FROM identities WHERE person_id = people.id AND kind = 'name') "
        "AND (display_name IS NULL OR display_name NOT IN "
        "(SELECT value FROM identities WHERE person_id = people.id AND kind = 'name'))",
        (candidate, person_id, candidate),
    )


def merge_owners(conn: Any) -> None:
    """The owner found on each platform is one person: the vault's owner."""
    owners = [int(row[0]) for row in conn.execute("SELECT id FROM people WHERE is_self ORDER BY id")]
    for other in owners[1:]:
        merge_people(conn, keep=owners[0], drop=other)


def merge_people(conn: Any, *, keep: int, drop: int) -> None:
    """Fold person `drop` into `keep`: identities, messages, posts, reactions, memberships."""
    if keep == drop:
        return
    for table, column in PERSON_REFERENCES:
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (keep, drop))
    conn.execute(
        "INSERT OR IGNORE INTO conversation_members(conversation_id, person_id) "
        "SELECT conversation_id, ? FROM conversation_members WHERE person_id = ?",
        (keep, drop),
    )
    conn.execute("UPDATE OR IGNORE identities SET person_id = ? WHERE person_id = ?", (keep, drop))
    conn.execute(
        "UPDATE people SET is_self = max(is_self, (SELECT is_self FROM people WHERE id = ?)) WHERE id = ?",
        (drop, keep),
    )
    row = conn.execute("SELECT display_name FROM people WHERE id = ?", (drop,)).fetchone()
    if row is not None and row[0]:
        prefer_real_name(conn, keep, str(row[0]))
    conn.execute("DELETE FROM people WHERE id = ?", (drop,))
