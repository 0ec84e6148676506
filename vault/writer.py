"""Writes one file's records into the store inside the caller's transaction.

Ids are deterministic (vault/ids.py), so a record already in the vault is recognised and only
gains a `record_sources` row. Location fixes go to vault/locations.py, stored columnar.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import partial
from hashlib import blake2b
from itertools import repeat
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from vault.ids import HASH_BITS, TIME_BITS, TIME_OFFSET, OccurrenceIds, stable_id
from vault.locations import LocationSink
from vault.people import FORGOTTEN, PeopleResolver, hide_in_file_names, merge_owners, region_of_zone
from vault.records import (
    Attachment,
    Conversation,
    ImportOptions,
    Interaction,
    Invalid,
    Location,
    LocationBatch,
    Message,
    MessageBatch,
    Person,
    Post,
    ProfileFact,
    Reaction,
    Record,
    Trip,
    Unrecognized,
    Visit,
)

_TIME_MASK, _HASH_MASK = (1 << TIME_BITS) - 1, (1 << HASH_BITS) - 1  # ids.time_ordered, inlined
_ID = itemgetter(0)  # a row's id
_hash8 = partial(blake2b, digest_size=8)  # vault/ids.py's digest, without parsing the keyword each time
SQL_VARS = 900  # ids per IN (...) query, below SQLite's variable limit

INSERT = {
    "messages": "INSERT OR IGNORE INTO messages(id, platform, import_id, source_id, conversation_id, "
    "sender_id, ts, tz_offset_min, text, kind, reply_to, edited, deleted, forwarded_from, lat, lon) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "posts": "INSERT OR IGNORE INTO posts(id, platform, import_id, source_id, kind, ts, tz_offset_min, "
    "author_id, title, text, url, parent_id, community, score, lat, lon, place_name, edited, deleted) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "interactions": "INSERT OR IGNORE INTO interactions(id, platform, import_id, source_id, ts, kind, "
    "target, value) VALUES (?,?,?,?,?,?,?,?)",
    "profile_facts": "INSERT OR IGNORE INTO profile_facts(id, platform, import_id, key, value, ts, "
    "sensitivity, source_file) VALUES (?,?,?,?,?,?,?,?)",
    "visits": "INSERT OR IGNORE INTO visits(id, platform, import_id, source_id, start_ts, end_ts, lat, "
    "lon, place_name, address, place_id, semantic_type, confidence, parent_place_id) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "trips": "INSERT OR IGNORE INTO trips(id, platform, import_id, start_ts, end_ts, start_lat, "
    "start_lon, end_lat, end_lon, distance_m, mode, confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    "attachments": "INSERT OR IGNORE INTO attachments(id, platform, import_id, target_table, target_id, "
    "kind, file_name, size, lat, lon, ts) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "reactions": "INSERT OR IGNORE INTO reactions(id, platform, import_id, target_table, target_id, "
    "person_id, reaction, ts) VALUES (?,?,?,?,?,?,?,?)",
}
# A MessageBatch's rows: the columns a plain line has; the others keep their defaults.
PLAIN_MESSAGES = (
    "INSERT OR IGNORE INTO messages(id, platform, import_id, conversation_id, sender_id, ts, text, kind) "
    "VALUES (?,?,?,?,?,?,?,?)"
)


class RecordWriter:
    """Turns a stream of records into rows: ids, people, conversations, dedup, provenance."""

    def __init__(self, conn: Any, platform: str, options: ImportOptions, file_name: str) -> None:
        self.conn = conn
        self.platform = platform
        self.options = options
        self.file_name = file_name
        self.import_id = 0
        self.people: PeopleResolver | None = None
        self.locations: LocationSink | None = None
        self.conversations: dict[str, int] = {}
        self.occurrences: dict[str, OccurrenceIds] = {}
        self.message_occurrences: dict[tuple[Any, ...], int] = {}
        self.writers: set[tuple[int, int]] = set()  # (conversation, person) of every message kept
        self.withheld_shares: set[tuple[int, float, float]] = set()  # places forgotten people shared
        self.others_in: dict[str, bool] = {}
        self.added: Counter[str] = Counter()
        self.seen = 0
        self.invalid = 0
        self.withheld = 0  # records of people the user forgot, left out
        self.hidden_names: set[str] = set()  # their names, kept out of this import's file name too
        self.invalid_reasons: Counter[str] = Counter()
        self.unrecognized: set[str] = set()

    @property
    def added_total(self) -> int:
        return sum(self.added.values())

    def begin(self, importer: str, version: str, size: int, tz: str) -> None:
        cursor = self.conn.execute(
            "INSERT INTO imports(platform, importer, importer_version, file_name, sha256, size, tz, "
            "started_at, status) VALUES (?, ?, ?, ?, '', ?, ?, ?, 'running')",
            (self.platform, importer, version, self.file_name, size, tz, _now_ms()),
        )
        self.import_id = int(cursor.lastrowid)
        zone = self.options.tz if isinstance(self.options.tz, ZoneInfo) else ZoneInfo("UTC")
        self.people = PeopleResolver(self.conn, self.platform, self.import_id, region_of_zone(zone.key))
        self.locations = LocationSink(self.conn, self.platform, self.import_id)

    def finish(self, sha256: str) -> None:
        assert self.people is not None
        self.conn.executemany(  # streamed group chats name their members only through who writes
            "INSERT OR IGNORE INTO conversation_members(conversation_id, person_id) VALUES (?, ?)",
            sorted(self.writers),
        )
        merge_owners(self.conn)
        hide_in_file_names(self.conn, self.hidden_names, self.import_id)
        self.added["people"] += self.people.added
        self.conn.execute(
            "UPDATE imports SET sha256 = ?, finished_at = ?, status = 'ok', counts = ?, seen = ?, "
            "invalid = ?, invalid_examples = ?, unrecognized = ? WHERE id = ?",
            (
                sha256,
                _now_ms(),
                json.dumps({k: v for k, v in self.added.items() if v}),
                self.seen,
                self.invalid,
                json.dumps(dict(self.invalid_reasons.most_common(20))),
                json.dumps(sorted(self.unrecognized)),
                self.import_id,
            ),
        )

    def write(self, batch: list[Record]) -> None:
        if set(map(type, batch)) == {Location}:  # a location export: no per-record dispatch
            self._locations(batch)  # type: ignore[arg-type]
            return
        rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        children: dict[int, tuple[str, Message | Post, int]] = {}
        locations: list[Location] = []
        messages: list[Message] = []
        plain: list[tuple[Any, ...]] = []
        for record in batch:
            if type(record) is Message:
                messages.append(record)
            elif type(record) is MessageBatch:
                if messages:  # the messages before this batch first: identical ones count in order
                    rows["messages"] += self._message_rows(messages, children)
                    messages = []
                plain += self._plain_rows(record)
            elif isinstance(record, Location):
                locations.append(record)
            elif isinstance(record, LocationBatch):
                self._location_batch(record)
            else:
                self._other(record, rows, children)
        if messages:
            rows["messages"] += self._message_rows(messages, children)
        if locations:  # after the messages: a forgotten sender's shared places stay out too
            self._locations(locations)
        for table, table_rows in rows.items():
            fresh = self._insert_new(table, table_rows)
            if children:
                self._write_children({row[0] for row in fresh}, children)
        if plain:
            self._insert_new("messages", plain, PLAIN_MESSAGES)

    def _location_batch(self, batch: LocationBatch) -> None:
        self.seen += len(batch.ts_ms)
        assert self.locations is not None
        self.locations.write_batch(batch)
        self.added["locations"] = self.locations.added

    def _locations(self, locations: list[Location]) -> None:
        self.seen += len(locations)
        assert self.locations is not None
        if self.withheld_shares:
            kept = [fix for fix in locations if not self._withheld_share(fix)]
            self.withheld += len(locations) - len(kept)
            locations = kept
        if locations:
            self.locations.write(locations)
        self.added["locations"] = self.locations.added

    def _withheld_share(self, fix: Location) -> bool:
        """A place shared in a message of someone the user forgot (the message is left out)."""
        shared = fix.source is not None and fix.source.endswith("_share")
        return shared and (fix.ts_ms, fix.lat, fix.lon) in self.withheld_shares

    def _other(
        self,
        record: Record,
        rows: dict[str, list[tuple[Any, ...]]],
        children: dict[int, tuple[str, Message | Post, int]],
    ) -> None:
        if isinstance(record, Post):
            self._post(record, rows, children)
        elif isinstance(record, Person):
            assert self.people is not None
            self.people.person(record)
        elif isinstance(record, Conversation):
            self._conversation(record)
        elif isinstance(record, Interaction):
            self.seen += 1
            rid = self._id("interactions", record.source_id, record[:4])
            rows["interactions"].append(
                (
                    rid,
                    self.platform,
                    self.import_id,
                    record.source_id,
                    record.ts_ms,
                    record.kind,
                    record.target,
                    record.value,
                )
            )
        elif isinstance(record, ProfileFact):
            self.seen += 1
            rid = self._id("profile_facts", None, tuple(record))
            rows["profile_facts"].append(
                (
                    rid,
                    self.platform,
                    self.import_id,
                    record.key,
                    record.value,
                    record.ts_ms,
                    record.sensitivity,
                    self.file_name,
                )
            )
        elif isinstance(record, Visit):
            self.seen += 1
            rid = self._id("visits", None, tuple(record))
            rows["visits"].append((rid, self.platform, self.import_id, *_visit_fields(record)))
        elif isinstance(record, Trip):
            self.seen += 1
            rid = self._id("trips", None, tuple(record))
            rows["trips"].append((rid, self.platform, self.import_id, *record))
        elif isinstance(record, Invalid):
            self.invalid += 1
            self.invalid_reasons[record.reason] += 1
        elif isinstance(record, Unrecognized):
            self.unrecognized.add(record.name)
        else:
            raise TypeError(f"not a record: {type(record).__name__}")

    def _id(self, table: str, source_id: str | None, identity: tuple[Any, ...]) -> int:
        if source_id:
            return stable_id(self.platform, table, source_id)
        counter = self.occurrences.get(table)
        if counter is None:
            counter = self.occurrences[table] = OccurrenceIds(self.platform, table)
        return counter.next_id(identity)

    def _message_rows(
        self, messages: list[Message], children: dict[int, tuple[str, Message | Post, int]]
    ) -> list[tuple[Any, ...]]:
        """Rows of the messages table, all columns."""
        assert self.people is not None
        self.seen += len(messages)
        platform, import_id = self.platform, self.import_id
        people, resolve = self.people.cache, self.people.resolve
        kept: list[tuple[Message, int, int | None]] = []
        for m in messages:
            cid = self.conversations.get(m.conversation) or self._conversation_id(m.conversation)
            sender_id = None if m.sender is None else people.get(m.sender) or resolve(m.sender)
            if sender_id == FORGOTTEN:
                self.withheld += 1
                if m.lat is not None and m.lon is not None:
                    self.withheld_shares.add((m.ts_ms, m.lat, m.lon))
            else:
                kept.append((m, cid, sender_id))
                if sender_id is not None:
                    self.writers.add((cid, sender_id))
        occurrence_ids = iter(self._time_ordered_ids(m[:5] for m, _, _ in kept if not m.source_id))
        rows: list[tuple[Any, ...]] = []
        for m, cid, sender_id in kept:
            if m.source_id:
                rid = stable_id(platform, "messages", m.conversation, m.source_id)
            else:
                rid = next(occurrence_ids)
            reply = (
                None if m.reply_to is None else stable_id(platform, "messages", m.conversation, m.reply_to)
            )
            rows.append(
                (rid, platform, import_id, m.source_id, cid, sender_id, m.ts_ms, m.tz_offset_min, m.text,
                 m.kind, reply, 1 if m.edited else 0, 1 if m.deleted else 0, m.forwarded_from, m.lat, m.lon)
            )  # fmt: skip
            if m.attachments or m.reactions:
                children[rid] = ("messages", m, rid)
        return rows

    def _plain_rows(self, batch: MessageBatch) -> list[tuple[Any, ...]]:
        """Rows of the narrow messages insert (PLAIN_MESSAGES) for a batch of plain lines."""
        assert self.people is not None
        self.seen += len(batch.ts_ms)
        key = batch.conversation
        cid = self.conversations.get(key) or self._conversation_id(key)
        people, resolve = self.people.cache, self.people.resolve
        sender_ids = [None if s is None else people.get(s) or resolve(s) for s in batch.sender]
        ids = self._time_ordered_ids(zip(repeat(key), batch.sender, batch.ts_ms, batch.text, batch.kind))
        platform, import_id = self.platform, self.import_id
        rows = [
            (rid, platform, import_id, cid, sender_id, ts, text, kind)
            for rid, sender_id, ts, text, kind in zip(
                ids, sender_ids, batch.ts_ms, batch.text, batch.kind, strict=True
            )
            if sender_id != FORGOTTEN
        ]
        self.withheld += len(ids) - len(rows)
        self.writers.update((cid, person) for person in set(sender_ids) if person not in (None, FORGOTTEN))
        return rows

    def _time_ordered_ids(self, identities: Iterable[tuple[Any, ...]]) -> list[int]:
        """Ids of messages without a platform id, from (conversation, sender, ts, text, kind).

        `OccurrenceIds.next_id` then `time_ordered` (vault/ids.py), inlined: this is the hot loop
        of a chat import (tests/test_ingest_perf_paths.py holds the two equal).
        """
        seen = self.message_occurrences
        prefix = f"{self.platform}\x1fmessages\x1f"
        ids: list[int] = []
        append = ids.append
        for identity in identities:
            conversation, sender, ts, text, kind = identity
            occurrence = seen.get(identity, 0)
            seen[identity] = occurrence + 1
            key = (
                f"{prefix}{conversation}\x1f{'' if sender is None else sender}\x1f"
                f"{ts}\x1f{'' if text is None else text}\x1f{kind}\x1f{occurrence}"
            )
            digest = _hash8(key.encode("utf-8", "surrogatepass")).digest()
            append(
                ((((ts >> 10) + TIME_OFFSET) & _TIME_MASK) << HASH_BITS)
                | ((int.from_bytes(digest, "big") >> 1) & _HASH_MASK)
            )
        return ids

    def _post(
        self,
        p: Post,
        rows: dict[str, list[tuple[Any, ...]]],
        children: dict[int, tuple[str, Message | Post, int]],
    ) -> None:
        self.seen += 1
        author_id = None if p.author is None else self._person(p.author)
        if author_id == FORGOTTEN:
            self.withheld += 1
            return
        rid = self._id("posts", p.source_id, (p.kind, p.ts_ms, p.text, p.url, p.author))
        rows["posts"].append(
            (
                rid,
                self.platform,
                self.import_id,
                p.source_id,
                p.kind,
                p.ts_ms,
                p.tz_offset_min,
                author_id,
                p.title,
                p.text,
                p.url,
                p.parent_id,
                p.community,
                p.score,
                p.lat,
                p.lon,
                p.place_name,
                int(p.edited),
                int(p.deleted),
            )
        )
        if p.attachments or p.reactions:
            children[rid] = ("posts", p, rid)

    def _person(self, key: str) -> int:
        assert self.people is not None
        return self.people.resolve(key)

    def _conversation(self, c: Conversation) -> None:
        assert self.people is not None
        title = (
            c.title if c.title is None or not self.people.forgotten(self.platform, "key", c.title) else None
        )
        conversation_id = self._conversation_id(c.key, title, c.kind)
        self.conn.execute(
            "UPDATE conversations SET title = coalesce(?, title), kind = ? WHERE id = ?",
            (title, c.kind, conversation_id),
        )
        for member in c.members:
            if (person_id := self._person(member)) != FORGOTTEN:
                self.conn.execute(
                    "INSERT OR IGNORE INTO conversation_members(conversation_id, person_id) VALUES (?, ?)",
                    (conversation_id, person_id),
                )

    def _conversation_id(self, key: str, title: str | None = None, kind: str = "direct") -> int:
        cached = self.conversations.get(key)
        if cached is not None:
            return cached
        assert self.people is not None
        stored_key = self.people.forgotten.stand_in(self.platform, key)  # named after someone forgotten
        if stored_key:
            self.hidden_names.add(key)
        row = self.conn.execute(
            "SELECT id FROM conversations WHERE platform = ? AND key = ?", (self.platform, stored_key or key)
        ).fetchone()
        if row is None:
            cursor = self.conn.execute(
                "INSERT INTO conversations(platform, key, title, kind, import_id) VALUES (?,?,?,?,?)",
                (
                    self.platform,
                    stored_key or key,
                    title or (None if stored_key else key),
                    kind,
                    self.import_id,
                ),
            )
            self.added["conversations"] += 1
            conversation_id = int(cursor.lastrowid)
        else:
            conversation_id = int(row[0])
        self.conversations[key] = conversation_id
        return conversation_id

    def _insert_new(
        self, table: str, rows: list[tuple[Any, ...]], statement: str | None = None
    ) -> list[tuple[Any, ...]]:
        """Insert the rows whose ids are new (with INSERT[table] unless `statement` is given), and
        return them; the others gain this import as a source."""
        existing = self._existing(table, [row[0] for row in rows]) if self._others_in(table) else {}
        fresh = [row for row in rows if row[0] not in existing] if existing else rows
        fresh.sort(key=_ID)  # rows in id order touch each B-tree page once per batch
        before = self.conn.total_changes
        self.conn.executemany(statement or INSERT[table], fresh)
        self.added[table] += self.conn.total_changes - before
        known = [(table, rid, self.import_id) for rid, first in existing.items() if first != self.import_id]
        if known:
            self.conn.executemany(
                "INSERT OR IGNORE INTO record_sources(table_name, record_id, import_id) VALUES (?,?,?)",
                known,
            )
        return fresh

    def _others_in(self, table: str) -> bool:
        """Whether `table` held rows of other imports when this import first wrote to it."""
        known = self.others_in.get(table)
        if known is None:
            row = self.conn.execute(
                f"SELECT 1 FROM {table} WHERE import_id IS NOT ? LIMIT 1", (self.import_id,)
            )
            known = self.others_in[table] = row.fetchone() is not None
        return known

    def _existing(self, table: str, ids: list[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        for start in range(0, len(ids), SQL_VARS):
            chunk = ids[start : start + SQL_VARS]
            marks = ",".join("?" * len(chunk))
            for rid, import_id in self.conn.execute(
                f"SELECT id, import_id FROM {table} WHERE id IN ({marks})", chunk
            ):
                found[rid] = import_id
        return found

    def _write_children(
        self, new_ids: set[int], children: dict[int, tuple[str, Message | Post, int]]
    ) -> None:
        attachment_rows: list[tuple[Any, ...]] = []
        reaction_rows: list[tuple[Any, ...]] = []
        for rid in new_ids & children.keys():
            table, parent, _ = children[rid]
            attachment_rows += [self._attachment(table, rid, i, a) for i, a in enumerate(parent.attachments)]
            reactions = [self._reaction(table, rid, i, r) for i, r in enumerate(parent.reactions)]
            kept = [row for row in reactions if row[5] != FORGOTTEN]  # row[5]: who reacted
            self.withheld += len(reactions) - len(kept)
            reaction_rows += kept
        for table, rows in (("attachments", attachment_rows), ("reactions", reaction_rows)):
            if rows:
                before = self.conn.total_changes
                self.conn.executemany(INSERT[table], rows)
                self.added[table] += self.conn.total_changes - before

    def _attachment(self, table: str, parent: int, index: int, a: Attachment) -> tuple[Any, ...]:
        rid = stable_id(table, parent, "attachment", index)
        return (
            rid,
            self.platform,
            self.import_id,
            table,
            parent,
            a.kind,
            a.file_name,
            a.size,
            a.lat,
            a.lon,
            a.ts_ms,
        )

    def _reaction(self, table: str, parent: int, index: int, r: Reaction) -> tuple[Any, ...]:
        rid = stable_id(table, parent, "reaction", index)
        person = None if r.person is None else self._person(r.person)
        return (rid, self.platform, self.import_id, table, parent, person, r.reaction, r.ts_ms)


def _visit_fields(v: Visit) -> tuple[Any, ...]:
    return (
        v.source_id,
        v.start_ms,
        v.end_ms,
        v.lat,
        v.lon,
        v.place_name,
        v.address,
        v.place_id,
        v.semantic_type,
        v.confidence,
        v.parent_place_id,
    )


def _now_ms() -> int:
    return int(time.time() * 1000)
