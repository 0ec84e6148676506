"""Reddit private messages (`messages.csv`, `messages_archive.csv`) and chat (`chat_history.csv`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from importers._reddit_rows import Row, reddit_ms
from importers._social_common import SELF_KEY, text_of
from vault.records import Conversation, Invalid, Message, Person, Record


@dataclass
class _Threads:
    """People, threads and messages of one file, gathered so each thread lists all its members."""

    me: str | None
    people: dict[str, None] = field(default_factory=dict)
    titles: dict[str, str | None] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    members: dict[str, dict[str, None]] = field(default_factory=dict)
    out: list[Record] = field(default_factory=list)

    def key(self, name: str | None) -> str | None:
        """The person key of a username, the owner's being `self`."""
        if name is None:
            return None
        bare = name.removeprefix("/u/").removeprefix("u/")
        if self.me is not None and bare.lower() == self.me.lower():
            return SELF_KEY
        self.people.setdefault(bare)
        return bare

    def join(self, thread: str, title: str | None, kind: str, *keys: str | None) -> None:
        """Note the thread and who took part in it."""
        self.titles.setdefault(thread, title)
        self.kinds.setdefault(thread, kind)
        members = self.members.setdefault(thread, {})
        for key in keys:
            if key is not None:
                members.setdefault(key)

    def records(self) -> Iterator[Record]:
        """People first, then threads, then the messages and invalid rows in file order."""
        yield Person(SELF_KEY, self.me, is_self=True, handles=(self.me,) if self.me else ())
        for name in self.people:
            yield Person(name, name, handles=(name,))
        for thread, title in self.titles.items():
            yield Conversation(thread, title, self.kinds[thread], tuple(self.members[thread]))
        yield from self.out


def messages(rows: Iterator[tuple[int, Row]], me: str | None) -> Iterator[Record]:
    """Private messages: one thread per `thread_id`, titled by its subject."""
    threads = _Threads(me)
    for where, row in rows:
        ts = reddit_ms(row.get("date"))
        if ts is None:
            threads.out.append(Invalid("date missing or unreadable", f"row {where}"))
            continue
        sender = threads.key(text_of(row.get("from")))
        recipient = threads.key(text_of(row.get("to")))
        thread = text_of(row.get("thread_id")) or text_of(row.get("id")) or f"row {where}"
        threads.join(thread, text_of(row.get("subject")), "direct", sender, recipient)
        threads.out.append(
            Message(thread, sender, ts, text_of(row.get("body")), source_id=text_of(row.get("id")))
        )
    yield from threads.records()


def chat(rows: Iterator[tuple[int, Row]], me: str | None) -> Iterator[Record]:
    """Reddit chat: one thread per channel, direct or group by its conversation type."""
    threads = _Threads(me)
    for where, row in rows:
        ts = reddit_ms(row.get("created_at"))
        channel = text_of(row.get("channel_url"))
        if ts is None or channel is None:
            threads.out.append(Invalid("date or channel missing", f"row {where}"))
            continue
        sender = threads.key(text_of(row.get("username")))
        kind = "direct" if (row.get("conversation_type") or "").lower() in ("direct", "dm") else "group"
        threads.join(channel, text_of(row.get("channel_name")), kind, SELF_KEY, sender)
        edited = (reddit_ms(row.get("updated_at")) or ts) > ts
        threads.out.append(
            Message(
                channel,
                sender,
                ts,
                text_of(row.get("message")),
                source_id=text_of(row.get("message_id")),
                reply_to=text_of(row.get("thread_parent_message_id")),
                edited=edited,
            )
        )
    yield from threads.records()
