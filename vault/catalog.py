"""The tables and views the query engine exposes: names, typed columns and what each one means.

This is the one place every queryable column is documented; `coffer schema`, the TUI and the
engine's loader all read it. Names and columns follow CONTRACTS.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

ARROW_TYPES: dict[str, pa.DataType] = {
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "VARCHAR": pa.string(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMPTZ": pa.timestamp("ms", tz="UTC"),
    "JSON": pa.string(),
}


@dataclass(frozen=True)
class Column:
    """One column: its name, DuckDB type and a one-line description."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class TableSpec:
    """A table loaded from the store (`source` is the store's table; "locations" reads chunks)."""

    name: str
    description: str
    columns: tuple[Column, ...]
    source: str

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([(c.name, ARROW_TYPES[c.type]) for c in self.columns])


@dataclass(frozen=True)
class ViewSpec:
    """A view over loaded tables, created once its dependencies are loaded."""

    name: str
    description: str
    depends_on: tuple[str, ...]
    sql: str
    columns: dict[str, str]


_COMMON = {
    "id": "The record's id (deterministic: the same record imported twice has the same id).",
    "platform": "Platform the record came from (google, whatsapp, telegram, reddit, x, ...).",
    "import_id": "The import that first brought the record (see `imports`).",
}


def _cols(*spec: tuple[str, str, str] | str) -> tuple[Column, ...]:
    """Columns from (name, type, description) triples; a bare name is a common column."""
    columns = []
    for item in spec:
        if isinstance(item, str):
            kind = "VARCHAR" if item == "platform" else "BIGINT"
            columns.append(Column(item, kind, _COMMON[item]))
        else:
            columns.append(Column(*item))
    return tuple(columns)


_LOC = "Latitude, WGS84 degrees."
_LON = "Longitude, WGS84 degrees."
_TZ_OFFSET = ("tz_offset_min", "BIGINT", "The source's UTC offset in minutes, when it gave one.")

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "locations",
        "Raw position fixes (GPS, Wi-Fi, cell) from location histories and GPX tracks.",
        _cols(
            "id",
            ("ts", "TIMESTAMPTZ", "When the fix was taken (UTC)."),
            ("lat", "DOUBLE", _LOC),
            ("lon", "DOUBLE", _LON),
            ("accuracy_m", "DOUBLE", "Accuracy radius in metres, as the device estimated it."),
            ("altitude_m", "DOUBLE", "Altitude in metres above sea level."),
            ("velocity_mps", "DOUBLE", "Speed in metres per second."),
            ("heading_deg", "DOUBLE", "Heading in degrees clockwise from north."),
            ("source", "VARCHAR", "How the position was found (gps, wifi, cell, ...)."),
            ("device", "VARCHAR", "Device tag of the export, when it has one."),
            ("activity", "VARCHAR", "Most likely activity at the time (still, walking, in vehicle, ...)."),
            "platform",
            "import_id",
        ),
        "locations",
    ),
    TableSpec(
        "visits",
        "Place visits: stays at one place, with the place's name when the export has it.",
        _cols(
            "id",
            "platform",
            "import_id",
            ("start_ts", "TIMESTAMPTZ", "When the visit began (UTC)."),
            ("end_ts", "TIMESTAMPTZ", "When the visit ended (UTC)."),
            ("lat", "DOUBLE", _LOC),
            ("lon", "DOUBLE", _LON),
            ("place_name", "VARCHAR", "Name of the place."),
            ("address", "VARCHAR", "Postal address of the place."),
            ("place_id", "VARCHAR", "The platform's id for the place."),
            ("semantic_type", "VARCHAR", "Role the platform gave the place (home, work, ...)."),
            ("confidence", "DOUBLE", "The platform's confidence in the visit, 0 to 1 or percent."),
            ("parent_place_id", "VARCHAR", "The place this one lies in, when nested."),
        ),
        "visits",
    ),
    TableSpec(
        "trips",
        "Movement segments between places, with distance and travel mode.",
        _cols(
            "id",
            "platform",
            "import_id",
            ("start_ts", "TIMESTAMPTZ", "When the trip began (UTC)."),
            ("end_ts", "TIMESTAMPTZ", "When the trip ended (UTC)."),
            ("start_lat", "DOUBLE", "Latitude where the trip began."),
            ("start_lon", "DOUBLE", "Longitude where the trip began."),
            ("end_lat", "DOUBLE", "Latitude where the trip ended."),
            ("end_lon", "DOUBLE", "Longitude where the trip ended."),
            ("distance_m", "DOUBLE", "Distance travelled in metres."),
            ("mode", "VARCHAR", "Travel mode (walking, cycling, in vehicle, ...)."),
            ("confidence", "DOUBLE", "The platform's confidence in the mode."),
        ),
        "trips",
    ),
    TableSpec(
        "messages",
        "Chat messages from every messenger, one row per message.",
        _cols(
            "id",
            "platform",
            "import_id",
            ("source_id", "VARCHAR", "The platform's own message id, when it has one."),
            ("conversation_id", "BIGINT", "The conversation (see `conversations`)."),
            ("sender_id", "BIGINT", "The person who sent it (see `people`)."),
            ("ts", "TIMESTAMPTZ", "When it was sent (UTC)."),
            _TZ_OFFSET,
            ("text", "VARCHAR", "The message text."),
            ("kind", "VARCHAR", "text, media, call, system, poll, location or contact."),
            ("reply_to", "BIGINT", "The message this one replies to."),
            ("edited", "BOOLEAN", "Whether the message was edited."),
            ("deleted", "BOOLEAN", "Whether the message was deleted."),
            ("forwarded_from", "VARCHAR", "Who the message was forwarded from."),
            ("lat", "DOUBLE", "Latitude of a shared location."),
            ("lon", "DOUBLE", "Longitude of a shared location."),
        ),
        "messages",
    ),
    TableSpec(
        "conversations",
        "Chat threads: direct chats, groups and channels.",
        _cols(
            "id",
            "platform",
            ("key", "VARCHAR", "The platform's key for the thread."),
            ("title", "VARCHAR", "The thread's title or the other person's name."),
            ("kind", "VARCHAR", "direct, group or channel."),
            "import_id",
        ),
        "conversations",
    ),
    TableSpec(
        "conversation_members",
        "Who is in which conversation.",
        _cols(
            ("conversation_id", "BIGINT", "The conversation (see `conversations`)."),
            ("person_id", "BIGINT", "A member (see `people`)."),
        ),
        "conversation_members",
    ),
    TableSpec(
        "people",
        "People: the owner and everyone they talk to, merged across platforms.",
        _cols(
            "id",
            ("display_name", "VARCHAR", "The name shown for the person."),
            ("is_self", "BOOLEAN", "True for the vault's owner."),
            ("birthday", "VARCHAR", "Birthday, when a contact card gave one."),
            ("organization", "VARCHAR", "Organization, when a contact card gave one."),
            "import_id",
        ),
        "people",
    ),
    TableSpec(
        "identities",
        "Each person's names, handles, phones and e-mails per platform.",
        _cols(
            "id",
            ("person_id", "BIGINT", "The person (see `people`)."),
            "platform",
            ("kind", "VARCHAR", "key, name, handle, phone, email or address."),
            ("value", "VARCHAR", "The handle, number, address or name."),
            "import_id",
        ),
        "identities",
    ),
    TableSpec(
        "posts",
        "Posts, comments, tweets, replies and stories the owner published.",
        _cols(
            "id",
            "platform",
            "import_id",
            ("source_id", "VARCHAR", "The platform's own id."),
            ("kind", "VARCHAR", "post, comment, tweet, reply, retweet or story."),
            ("ts", "TIMESTAMPTZ", "When it was published (UTC)."),
            _TZ_OFFSET,
            ("author_id", "BIGINT", "The author (see `people`)."),
            ("title", "VARCHAR", "Title, for platforms that have one."),
            ("text", "VARCHAR", "The text."),
            ("url", "VARCHAR", "Link to it, or the link it shared."),
            ("parent_id", "VARCHAR", "The post this one answers."),
            ("community", "VARCHAR", "Subreddit, group or community."),
            ("score", "BIGINT", "Score or likes, when the export has it."),
            ("lat", "DOUBLE", "Latitude of a tagged place."),
            ("lon", "DOUBLE", "Longitude of a tagged place."),
            ("place_name", "VARCHAR", "Name of a tagged place."),
            ("edited", "BOOLEAN", "A later version of it exists or it was edited."),
            ("deleted", "BOOLEAN", "The owner deleted it (the export still holds it)."),
        ),
        "posts",
    ),
    TableSpec(
        "reactions",
        "Reactions to messages and posts.",
        _cols(
            "id",
            "platform",
            "import_id",
            ("target_table", "VARCHAR", "messages or posts."),
            ("target_id", "BIGINT", "The message or post reacted to."),
            ("person_id", "BIGINT", "Who reacted (see `people`)."),
            ("reaction", "VARCHAR", "The reaction (an emoji or a word)."),
            ("ts", "TIMESTAMPTZ", "When, if the export says (UTC)."),
        ),
        "reactions",
    ),
    TableSpec(
        "attachments",
        "Attachment metadata of messages and posts (never the files themselves).",
        _cols(
            "id",
            "platform",
            "import_id",
            ("target_table", "VARCHAR", "messages or posts."),
            ("target_id", "BIGINT", "The message or post it belongs to."),
            ("kind", "VARCHAR", "photo, video, audio, file, sticker, ..."),
            ("file_name", "VARCHAR", "File name in the export."),
            ("size", "BIGINT", "Size in bytes."),
            ("lat", "DOUBLE", "Latitude embedded in the photo, when the export has it."),
            ("lon", "DOUBLE", "Longitude embedded in the photo, when the export has it."),
            ("ts", "TIMESTAMPTZ", "When it was taken or sent (UTC)."),
        ),
        "attachments",
    ),
    TableSpec(
        "interactions",
        "Likes, votes, follows, saves, searches and views.",
        _cols(
            "id",
            "platform",
            "import_id",
            ("source_id", "VARCHAR", "The platform's own id."),
            ("ts", "TIMESTAMPTZ", "When (UTC)."),
            ("kind", "VARCHAR", "like, vote, follow, follower, save, search, view or hide."),
            ("target", "VARCHAR", "What it was about: a URL, an account, a search query."),
            ("value", "VARCHAR", "Extra value: vote direction, reaction type."),
        ),
        "interactions",
    ),
    TableSpec(
        "profile_facts",
        "What a platform holds or inferred about the owner (e-mail, phone, interests, IPs).",
        _cols(
            "id",
            "platform",
            "import_id",
            ("key", "VARCHAR", "What the fact is (email, phone, birth_date, ad_interest, ip, ...)."),
            ("value", "VARCHAR", "The fact's value."),
            ("ts", "TIMESTAMPTZ", "When the platform recorded it, if known (UTC)."),
            ("sensitivity", "VARCHAR", "low, medium or high."),
            ("source_file", "VARCHAR", "The export file it came from."),
        ),
        "profile_facts",
    ),
    TableSpec(
        "imports",
        "Every file imported into the vault.",
        _cols(
            "id",
            "platform",
            ("importer", "VARCHAR", "The importer that read it."),
            ("importer_version", "VARCHAR", "The importer's version."),
            ("file_name", "VARCHAR", "File (or archive member) name."),
            ("sha256", "VARCHAR", "SHA-256 of the file."),
            ("size", "BIGINT", "Size in bytes."),
            ("tz", "VARCHAR", "Time zone used for local times without an offset."),
            ("started_at", "TIMESTAMPTZ", "When the import began (UTC)."),
            ("finished_at", "TIMESTAMPTZ", "When it finished (UTC)."),
            ("status", "VARCHAR", "ok or failed."),
            ("counts", "JSON", "Rows added per table."),
            ("seen", "BIGINT", "Records read (added or already known)."),
            ("invalid", "BIGINT", "Rows skipped as invalid."),
            ("unrecognized", "JSON", "Field names the importer did not recognise."),
            ("error", "VARCHAR", "Why it failed."),
        ),
        "imports",
    ),
    TableSpec(
        "contributions",
        "Exports that left the vault: the sharing ledger.",
        _cols(
            "id",
            ("created_at", "TIMESTAMPTZ", "When the export was written (UTC)."),
            ("recipient", "VARCHAR", "Who it was for."),
            ("policy_name", "VARCHAR", "The share policy's name."),
            ("policy_sha256", "VARCHAR", "SHA-256 of the policy text."),
            ("file_name", "VARCHAR", "The exported file."),
            ("format", "VARCHAR", "csv or parquet."),
            ("rows", "BIGINT", "Rows exported."),
            ("columns", "BIGINT", "Columns exported."),
            ("sha256", "VARCHAR", "SHA-256 of the exported file."),
            ("worst_severity", "VARCHAR", "Worst finding of the reveal report: low, medium or high."),
            ("report", "JSON", "The full reveal report."),
        ),
        "contributions",
    ),
    TableSpec(
        "policies",
        "Share policies saved in the vault.",
        _cols(
            "id",
            ("name", "VARCHAR", "The policy's name."),
            ("toml", "VARCHAR", "The policy text (TOML)."),
            ("created_at", "TIMESTAMPTZ", "When it was saved first (UTC)."),
            ("updated_at", "TIMESTAMPTZ", "When it was saved last (UTC)."),
        ),
        "policies",
    ),
)

_TIMELINE_SQL = """
SELECT ts, platform, 'message' AS kind, sender_id AS person_id, left(coalesce(text, kind), 200) AS summary
FROM messages
UNION ALL SELECT ts, platform, kind, author_id, left(coalesce(title, text, url, kind), 200) FROM posts
UNION ALL SELECT ts, platform, kind, NULL, left(target, 200) FROM interactions WHERE ts IS NOT NULL
UNION ALL SELECT start_ts, platform, 'visit', NULL, coalesce(place_name, address, semantic_type, 'visit')
FROM visits
UNION ALL SELECT start_ts, platform, 'trip', NULL,
    coalesce(mode, 'trip') || coalesce(' ' || round(distance_m / 1000, 1) || ' km', '') FROM trips
UNION ALL SELECT ts, platform, 'location', NULL, printf('%.5f, %.5f', lat, lon) FROM locations
"""

_MESSAGES_NAMED_SQL = """
SELECT m.*, c.title AS conversation_title, c.kind AS conversation_kind,
       p.display_name AS sender_name, coalesce(p.is_self, false) AS from_self
FROM messages m
LEFT JOIN conversations c ON c.id = m.conversation_id
LEFT JOIN people p ON p.id = m.sender_id
"""

VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec(
        "timeline",
        "Everything with a time, in one stream: messages, posts, interactions, visits, trips, fixes.",
        ("messages", "posts", "interactions", "visits", "trips", "locations"),
        _TIMELINE_SQL,
        {
            "ts": "When it happened (UTC).",
            "platform": _COMMON["platform"],
            "kind": "message, visit, trip, location, or the post or interaction kind.",
            "person_id": "Who did it (the sender or author), when known.",
            "summary": "A short text: the message, the place, the target.",
        },
    ),
    ViewSpec(
        "messages_named",
        "Messages with their conversation's title and the sender's name.",
        ("messages", "conversations", "people"),
        _MESSAGES_NAMED_SQL,
        {
            "conversation_title": "The conversation's title.",
            "conversation_kind": "direct, group or channel.",
            "sender_name": "The sender's display name.",
            "from_self": "True when the owner sent it.",
        },
    ),
)

TABLE_SPECS: dict[str, TableSpec] = {t.name: t for t in TABLES}
VIEW_SPECS: dict[str, ViewSpec] = {v.name: v for v in VIEWS}
NAMES: tuple[str, ...] = (*TABLE_SPECS, *VIEW_SPECS)


def description(table: str, column: str) -> str:
    """The one-line description of a column of a table or view ("" when unknown)."""
    if table in TABLE_SPECS:
        return next((c.description for c in TABLE_SPECS[table].columns if c.name == column), "")
    view = VIEW_SPECS.get(table)
    if view is None:
        return ""
    if column in view.columns:
        return view.columns[column]
    return next((description(dep, column) for dep in view.depends_on if description(dep, column)), "")


def table_description(name: str) -> str:
    spec = TABLE_SPECS.get(name) or VIEW_SPECS.get(name)
    return spec.description if spec else ""
