"""Reddit CSV rows the owner wrote or acted on: posts, comments, votes, saves, hides, subscriptions."""

from __future__ import annotations

from collections.abc import Iterator

from importers._social_common import SELF_KEY, iso_ms, text_of
from vault.records import Attachment, Interaction, Invalid, Person, Post, ProfileFact, Record

Row = dict[str, str]


def reddit_ms(value: str | None) -> int | None:
    """Milliseconds from Reddit's `YYYY-MM-DD HH:MM:SS UTC`."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(" UTC"):
        text = text[:-4]
    return iso_ms(text)


def fullname(kind: str, value: str | None) -> str | None:
    """A Reddit fullname (`t3_abc`) from a bare or already prefixed id."""
    text = text_of(value)
    if text is None:
        return None
    return text if text[:3] in ("t1_", "t3_", "t4_") else f"{kind}_{text}"


def owner() -> Person:
    """The owner, as every Reddit file refers to them."""
    return Person(SELF_KEY, is_self=True)


def posts(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`posts.csv`: the owner's submissions."""
    yield owner()
    for where, row in rows:
        ts = reddit_ms(row.get("date"))
        if ts is None:
            yield Invalid("date missing or unreadable", f"row {where}")
            continue
        permalink, link = text_of(row.get("permalink")), text_of(row.get("url"))
        yield Post(
            kind="post",
            ts_ms=ts,
            text=text_of(row.get("body")),
            url=permalink or link,
            source_id=fullname("t3", row.get("id")),
            community=text_of(row.get("subreddit")),
            title=text_of(row.get("title")),
            author=SELF_KEY,
            attachments=(Attachment("link", link),) if link and link != permalink else (),
        )
        yield from _ip_fact(row, ts)


def comments(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`comments.csv`: the owner's comments, each pointing at its parent post or comment."""
    yield owner()
    for where, row in rows:
        ts = reddit_ms(row.get("date"))
        if ts is None:
            yield Invalid("date missing or unreadable", f"row {where}")
            continue
        yield Post(
            kind="comment",
            ts_ms=ts,
            text=text_of(row.get("body")),
            url=text_of(row.get("permalink")),
            source_id=fullname("t1", row.get("id")),
            parent_id=text_of(row.get("parent")) or text_of(row.get("link")),
            community=text_of(row.get("subreddit")),
            author=SELF_KEY,
        )
        yield from _ip_fact(row, ts)


def _ip_fact(row: Row, ts: int) -> Iterator[Record]:
    ip = text_of(row.get("ip"))
    if ip is not None and ip != "0.0.0.0":  # noqa: S104 - Reddit's placeholder for "not kept"
        yield ProfileFact("ip_address", ip, ts, "high")


def _target(row: Row) -> str | None:
    return text_of(row.get("permalink")) or text_of(row.get("id"))


def _acted(kind: str, rows: Iterator[tuple[int, Row]], value_column: str | None) -> Iterator[Record]:
    for where, row in rows:
        target = _target(row)
        if target is None:
            yield Invalid("item without id or permalink", f"row {where}")
            continue
        value = text_of(row.get(value_column)) if value_column else None
        yield Interaction(kind, None, target, value)


def votes(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`post_votes.csv`, `comment_votes.csv`: direction up, down or none."""
    yield from _acted("vote", rows, "direction")


def saves(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`saved_posts.csv`, `saved_comments.csv`."""
    yield from _acted("save", rows, None)


def hides(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`hidden_posts.csv`."""
    yield from _acted("hide", rows, None)


def poll_votes(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`poll_votes.csv`: the option the owner chose in a poll."""
    for where, row in rows:
        post = text_of(row.get("post_id"))
        if post is None:
            yield Invalid("poll vote without post id", f"row {where}")
            continue
        choice = text_of(row.get("text")) or text_of(row.get("user_selection"))
        yield Interaction("vote", None, post, choice)


def subscriptions(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`subscribed_subreddits.csv`: communities the owner follows."""
    for where, row in rows:
        name = text_of(row.get("subreddit"))
        if name is None:
            yield Invalid("empty subreddit name", f"row {where}")
            continue
        yield Interaction("follow", None, f"r/{name.removeprefix('r/')}")


def friends(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`friends.csv`: people the owner added as friends (with their private note)."""
    for where, row in rows:
        name = text_of(row.get("username"))
        if name is None:
            yield Invalid("friend without username", f"row {where}")
            continue
        yield Person(name, name, handles=(name,))
        yield Interaction("follow", None, f"u/{name}", text_of(row.get("note")))
