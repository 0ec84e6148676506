"""Typed records that importers yield and the ingest pipeline stores.

Importers may import this module and nothing else of `vault`. Records are NamedTuples: immutable,
typed, cheap to build by the million, and insertable into SQLite as they are.

Conventions:
- times are integer milliseconds since the Unix epoch, UTC (`ts_ms`); `tz_offset_min` keeps the
  source's own offset where it gave one;
- people are referred to by a platform-scoped `key` (a Telegram `from_id`, a WhatsApp display
  name or phone, an e-mail...); the pipeline resolves keys to people;
- `source_id` is the platform's own id of the record where it has one; the pipeline derives the
  deterministic record id from it (or, without one, from the record's fields and occurrence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, NamedTuple, Protocol
from zoneinfo import ZoneInfo


class Location(NamedTuple):
    """One raw position fix."""

    ts_ms: int
    lat: float
    lon: float
    accuracy_m: float | None = None
    altitude_m: float | None = None
    velocity_mps: float | None = None
    heading_deg: float | None = None
    source: str | None = None
    device: str | None = None
    activity: str | None = None


class LocationBatch(NamedTuple):
    """Many fixes as columns, for importers of large location files (the fields of `Location`).

    Each column is a sequence as long as `ts_ms`, or None when the export has no such values.
    """

    ts_ms: Sequence[int]
    lat: Sequence[float]
    lon: Sequence[float]
    accuracy_m: Sequence[float | None] | None = None
    altitude_m: Sequence[float | None] | None = None
    velocity_mps: Sequence[float | None] | None = None
    heading_deg: Sequence[float | None] | None = None
    source: Sequence[str | None] | None = None
    device: Sequence[str | None] | None = None
    activity: Sequence[str | None] | None = None

    def fixes(self) -> Iterator[Location]:
        """The batch as one Location per fix."""
        n = len(self.ts_ms)
        columns = [c if c is not None else [None] * n for c in self]
        return (Location(*row) for row in zip(*columns, strict=True))


class Visit(NamedTuple):
    """A stay at a place."""

    start_ms: int
    end_ms: int
    lat: float | None
    lon: float | None
    place_name: str | None = None
    address: str | None = None
    place_id: str | None = None
    semantic_type: str | None = None
    confidence: float | None = None
    source_id: str | None = None
    parent_place_id: str | None = None


class Trip(NamedTuple):
    """A movement segment between two places."""

    start_ms: int
    end_ms: int
    start_lat: float | None
    start_lon: float | None
    end_lat: float | None
    end_lon: float | None
    distance_m: float | None = None
    mode: str | None = None
    confidence: float | None = None


class Person(NamedTuple):
    """Someone in the data, as one platform knows them (the owner has `is_self`)."""

    key: str
    display_name: str | None = None
    is_self: bool = False
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    birthday: str | None = None
    addresses: tuple[str, ...] = ()
    organization: str | None = None


class Conversation(NamedTuple):
    """A chat thread; `members` are person keys."""

    key: str
    title: str | None = None
    kind: str = "direct"  # direct, group, channel
    members: tuple[str, ...] = ()


class Attachment(NamedTuple):
    """Metadata of a file attached to a message or post (never the file itself)."""

    kind: str  # photo, video, audio, voice, sticker, gif, file, link
    file_name: str | None = None
    size: int | None = None
    lat: float | None = None
    lon: float | None = None
    ts_ms: int | None = None


class Reaction(NamedTuple):
    """A reaction by `person` (a key) to the message or post it is attached to."""

    person: str | None
    reaction: str
    ts_ms: int | None = None


class Message(NamedTuple):
    """A chat message; `conversation` and `sender` are keys, `reply_to` a source id."""

    conversation: str
    sender: str | None
    ts_ms: int
    text: str | None
    kind: str = "text"  # text, media, call, system, poll, location, contact
    source_id: str | None = None
    reply_to: str | None = None
    edited: bool = False
    deleted: bool = False
    tz_offset_min: int | None = None
    forwarded_from: str | None = None
    lat: float | None = None
    lon: float | None = None
    attachments: tuple[Attachment, ...] = ()
    reactions: tuple[Reaction, ...] = ()


class MessageBatch(NamedTuple):
    """Many plain messages of one conversation as columns, for chat importers' bulk of text lines.

    Each row is `Message(conversation, sender[i], ts_ms[i], text[i], kind[i])` with every other
    field at its default: no platform id, reply, edit, attachment or reaction. A chat importer
    yields its plain lines this way and anything richer as a `Message`, in the file's order.
    """

    conversation: str
    sender: Sequence[str | None]
    ts_ms: Sequence[int]
    text: Sequence[str | None]
    kind: Sequence[str]

    def messages(self) -> Iterator[Message]:
        """The batch as one Message per row."""
        key = self.conversation
        rows = zip(self.sender, self.ts_ms, self.text, self.kind, strict=True)
        return (Message(key, sender, ts, text, kind) for sender, ts, text, kind in rows)


class Post(NamedTuple):
    """A post, comment, tweet, reply, retweet or story written by `author` (a key)."""

    kind: str  # post, comment, tweet, reply, retweet, story
    ts_ms: int
    text: str | None
    url: str | None = None
    source_id: str | None = None
    parent_id: str | None = None
    community: str | None = None
    score: int | None = None
    title: str | None = None
    author: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_name: str | None = None
    tz_offset_min: int | None = None
    attachments: tuple[Attachment, ...] = ()
    reactions: tuple[Reaction, ...] = ()
    edited: bool = False
    deleted: bool = False


class Interaction(NamedTuple):
    """Something the owner did to an item: like, vote, follow, follower, save, search, view, hide."""

    kind: str
    ts_ms: int | None
    target: str
    value: str | None = None
    source_id: str | None = None


class ProfileFact(NamedTuple):
    """What a platform holds or inferred about the owner."""

    key: str  # email, phone, birth_date, gender, ip_address, ad_interest, linked_account, ...
    value: str
    ts_ms: int | None = None
    sensitivity: str = "medium"  # low, medium, high


class Invalid(NamedTuple):
    """A row the importer could not use: counted and reported, never stored."""

    reason: str
    where: str = ""


class Unrecognized(NamedTuple):
    """A field or section the importer does not know: recorded on the import."""

    name: str


Record = (
    Location
    | LocationBatch
    | Visit
    | Trip
    | Person
    | Conversation
    | Message
    | MessageBatch
    | Post
    | Interaction
    | ProfileFact
    | Invalid
    | Unrecognized
)


def expanded(records: Iterable[Record]) -> Iterator[Record]:
    """The records with each columnar batch as one record per row (Location, Message)."""
    for record in records:
        if type(record) is LocationBatch:
            yield from record.fixes()
        elif type(record) is MessageBatch:
            yield from record.messages()
        else:
            yield record


class ExportFileError(Exception):
    """An export file that cannot be read at all (bad format, truncated, not what it claims)."""


class UnrecognizedExport(ExportFileError):
    """No importer recognises this file."""


class MalformedExport(ExportFileError):
    """The file looked like a known export but cannot be parsed."""


@dataclass(frozen=True)
class ImportOptions:
    """What the user said about this import."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    me: str | None = None
    date_order: str | None = None  # dmy, mdy, ymd


@dataclass(frozen=True)
class SourceFile:
    """One file of an export (on disk or an archive member), opened only when read.

    `name` is what the user sees ("takeout.zip/Takeout/Records.json"); `path` is the file's
    posix path inside the folder or archive it was found in, used to open its siblings (a
    Discord `messages.json` needs its `channel.json`).
    """

    name: str
    path: str
    size: int
    open: Callable[[], IO[bytes]]
    sibling: Callable[[str], IO[bytes] | None]


class Detection(NamedTuple):
    """An importer's verdict on a file: parse it (score ranks rival claims) or skip it knowingly."""

    score: int = 1
    skip_reason: str | None = None


class Importer(Protocol):
    """What each module in `importers/` provides (module-level names)."""

    NAME: str
    PLATFORM: str
    VERSION: str

    def detect(self, source: SourceFile, head: bytes) -> Detection | None: ...

    def parse(self, source: SourceFile, options: ImportOptions) -> Iterator[Record]: ...


@dataclass(frozen=True)
class Discovered:
    """A file `importers.discover` found, with the importer that claims it or why none does."""

    source: SourceFile
    importer: Importer | None = None
    skip_reason: str | None = None  # set when importer is None, or when a known file is skipped
    refused: bool = False  # unsafe archive member (path traversal, zip bomb)
