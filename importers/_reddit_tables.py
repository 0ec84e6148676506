"""Every known CSV of Reddit's data export: the columns that identify it and what becomes of it."""

from __future__ import annotations

import csv
import io
from typing import NamedTuple

from importers._social_common import stem_without_part


class CsvSpec(NamedTuple):
    """A Reddit CSV: columns its header must hold, the parser that reads it, or why it is skipped."""

    columns: frozenset[str]
    handler: str | None = None
    skip: str | None = None


def _spec(columns: str, handler: str | None = None, skip: str | None = None) -> CsvSpec:
    return CsvSpec(frozenset(columns.split(",")) if columns else frozenset(), handler, skip)


_HEADERS_ONLY = "headers only: the same rows, with bodies, are in {}.csv"

# File stem -> spec. The module docstring of importers/reddit.py shows this table to readers.
KNOWN: dict[str, CsvSpec] = {
    "posts": _spec("id,permalink,date,subreddit,title", "posts"),
    "comments": _spec("id,permalink,date,subreddit,body", "comments"),
    "messages": _spec("id,thread_id,date,from,to,body", "messages"),
    "messages_archive": _spec("id,thread_id,date,from,to,body", "messages"),
    "chat_history": _spec("message_id,created_at,username,message,channel_url", "chat"),
    "post_votes": _spec("id,permalink,direction", "votes"),
    "comment_votes": _spec("id,permalink,direction", "votes"),
    "poll_votes": _spec("post_id", "poll_votes"),
    "saved_posts": _spec("id,permalink", "saves"),
    "saved_comments": _spec("id,permalink", "saves"),
    "hidden_posts": _spec("id,permalink", "hides"),
    "subscribed_subreddits": _spec("subreddit", "subscriptions"),
    "friends": _spec("username", "friends"),
    "statistics": _spec("statistic,value", "statistics"),
    "birthdate": _spec("birthdate", "birthdate"),
    "account_gender": _spec("account_gender", "gender"),
    "gender": _spec("", "gender"),
    "ip_logs": _spec("date,ip", "ip_logs"),
    "linked_phone_number": _spec("phone_number", "phone"),
    "linked_identities": _spec("issuer_id,subject_id", "linked_identities"),
    "twitter": _spec("username", "twitter"),
    "sensitive_ads_preferences": _spec("type,preference", "ads_preferences"),
    "user_preferences": _spec("preference,value", "preferences"),
    "moderated_subreddits": _spec("subreddit", "moderated"),
    "approved_submitter_subreddits": _spec("subreddit", "approved"),
    "persona": _spec("persona_inquiry_id", "persona"),
    "post_headers": _spec("", skip=_HEADERS_ONLY.format("posts")),
    "comment_headers": _spec("", skip=_HEADERS_ONLY.format("comments")),
    "message_headers": _spec("", skip=_HEADERS_ONLY.format("messages")),
    "messages_archive_headers": _spec("", skip=_HEADERS_ONLY.format("messages_archive")),
    "drafts": _spec("", skip="unpublished drafts: never seen by anyone, not imported"),
    "scheduled_posts": _spec("", skip="scheduled posts: not yet published, not imported"),
    "announcements": _spec("", skip="announcements Reddit sent to every user: nothing of the owner's"),
    "checkfile": _spec("", skip="checksums of the export's own files"),
    "multireddits": _spec("", skip="custom feeds: names and subreddit lists, not imported"),
    "gilded_content": _spec("", skip="awards given: payment records, not imported"),
    "gold_received": _spec("", skip="awards received: payment records, not imported"),
    "payouts": _spec("", skip="contributor payouts: payment records, not imported"),
    "purchases": _spec("", skip="purchases: payment records, not imported"),
    "stripe": _spec("", skip="payment processor ids, not imported"),
    "subscriptions": _spec("", skip="premium subscriptions: payment records, not imported"),
}

_BY_LENGTH = sorted(KNOWN, key=len, reverse=True)


def header_of(head: bytes) -> list[str] | None:
    """The header row of a CSV's first bytes (BOM removed, lower-cased), None if unreadable."""
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head[: head.rfind(b"\n") if b"\n" in head else len(head)].decode("utf-8-sig", "replace")
    first = text.splitlines()[0] if text else ""
    if not first or "\x00" in first:
        return None
    try:
        row = next(csv.reader(io.StringIO(first)))
    except (csv.Error, StopIteration):
        return None
    return [cell.strip().lower() for cell in row]


def known_stem(path: str) -> str | None:
    """The known CSV name a file is (`posts_1.csv`, `x__reddit_posts.csv` -> `posts`), if any."""
    stem = stem_without_part(path)
    if stem in KNOWN:
        return stem
    for name in _BY_LENGTH:
        if stem.endswith(("_" + name, "-" + name)):
            return name
    return None


def spec_for(path: str, header: list[str]) -> tuple[str, CsvSpec] | None:
    """The spec whose name and columns fit this file."""
    stem = known_stem(path)
    if stem is None:
        return None
    spec = KNOWN[stem]
    return (stem, spec) if spec.columns <= set(header) else None
