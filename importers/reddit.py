"""Reddit's data export (GDPR request): one CSV per kind of data, each its own file.

Every CSV Reddit is known to include, and what happens to it (`_reddit_tables.KNOWN`):

| file | becomes |
|---|---|
| posts.csv | Post kind post (title, body, permalink, subreddit; a link post's URL as a link attachment); the row's IP as a profile fact |
| comments.csv | Post kind comment (parent fullname, subreddit); the row's IP as a profile fact |
| messages.csv, messages_archive.csv | Conversation per thread_id, Message, Person per username |
| chat_history.csv | Conversation per channel (direct or group), Message, Person per username |
| post_votes.csv, comment_votes.csv | Interaction vote (value up/down/none) |
| poll_votes.csv | Interaction vote on the poll's post (value: the option chosen) |
| saved_posts.csv, saved_comments.csv | Interaction save |
| hidden_posts.csv | Interaction hide |
| subscribed_subreddits.csv | Interaction follow (target r/name) |
| friends.csv | Person, Interaction follow (target u/name, value: the owner's note) |
| statistics.csv | the owner's Person (account name, e-mail); facts username, email, account_created, statistic:* |
| birthdate.csv, account_gender.csv (gender.csv) | facts birth_date, gender (high) |
| ip_logs.csv | fact ip_address with time (high) |
| linked_phone_number.csv | fact phone (high) and the owner's phone |
| linked_identities.csv, twitter.csv | fact linked_account (medium) |
| sensitive_ads_preferences.csv, user_preferences.csv | facts ad_preference:*, preference:* (low) |
| moderated_subreddits.csv, approved_submitter_subreddits.csv | facts moderator_of, approved_submitter_of |
| persona.csv | fact identity_verification (medium) |
| post_headers.csv, comment_headers.csv, message_headers.csv, messages_archive_headers.csv | skipped: the same rows are in the full file |
| drafts.csv, scheduled_posts.csv | skipped: never published |
| announcements.csv | skipped: sent to every user |
| checkfile.csv | skipped: checksums of the export itself |
| multireddits.csv | skipped: custom feed definitions |
| gilded_content.csv, gold_received.csv, payouts.csv, purchases.csv, stripe.csv, subscriptions.csv | skipped: payment records |

A file is recognised by its name (split parts `posts_1.csv` and prefixed names included) and its
header row together; any other CSV is left to the other importers (and is reported as not
recognised). The owner is the person key `self` in every file; `statistics.csv` names them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from importers import _reddit_account as account
from importers import _reddit_messages as chats
from importers import _reddit_rows as rows
from importers._reddit_tables import header_of, spec_for
from importers._social_common import base_name, text_of
from vault.records import Detection, ImportOptions, Invalid, MalformedExport, Record, SourceFile

NAME = "reddit"
PLATFORM = "reddit"
VERSION = "1"

Rows = Iterator[tuple[int, rows.Row]]

_HANDLERS: dict[str, Callable[[Rows], Iterator[Record]]] = {
    "posts": rows.posts,
    "comments": rows.comments,
    "votes": rows.votes,
    "poll_votes": rows.poll_votes,
    "saves": rows.saves,
    "hides": rows.hides,
    "subscriptions": rows.subscriptions,
    "friends": rows.friends,
    "statistics": account.statistics,
    "birthdate": account.birthdate,
    "gender": account.gender,
    "ip_logs": account.ip_logs,
    "phone": account.phone,
    "linked_identities": account.linked_identities,
    "twitter": account.twitter,
    "ads_preferences": account.ads_preferences,
    "preferences": account.preferences,
    "moderated": account.moderated,
    "approved": account.approved,
    "persona": account.persona,
}
_THREADS: dict[str, Callable[[Rows, str | None], Iterator[Record]]] = {
    "messages": chats.messages,
    "chat": chats.chat,
}


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a CSV whose name and header row are those of a known Reddit export file."""
    if not base_name(source.path).endswith(".csv"):
        return None
    header = header_of(head)
    found = spec_for(source.path, header) if header else None
    if found is None:
        return None
    spec = found[1]
    if spec.skip is not None:
        return Detection(skip_reason=f"Reddit {found[0]}.csv: {spec.skip}")
    return Detection(20)


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Read one Reddit CSV into records."""
    with source.open() as handle:
        head = handle.read(64 * 1024)
    header = header_of(head)
    found = spec_for(source.path, header) if header else None
    if found is None or found[1].handler is None:
        raise MalformedExport(f"{source.name}: not a Reddit export CSV this importer reads")
    handler = found[1].handler
    short: list[Record] = []
    if handler in _THREADS:
        yield from _THREADS[handler](_rows(source, short), _owner_name(source, options))
    else:
        yield from _HANDLERS[handler](_rows(source, short))
    yield from short


def _rows(source: SourceFile, short: list[Record]) -> Rows:
    """Each full data row with lower-case column names and its 1-based number; short rows go to `short`."""
    with source.open() as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        try:
            reader = csv.reader(text, strict=True)
            columns = [cell.strip().lower() for cell in next(reader, [])]
            for number, cells in enumerate(reader, 1):
                if len(cells) < len(columns) and cells:
                    short.append(Invalid("row has fewer columns than the header", f"row {number}"))
                elif cells:
                    yield number, dict(zip(columns, cells, strict=False))
        except (csv.Error, UnicodeDecodeError) as error:
            raise MalformedExport(f"{source.name}: unreadable CSV ({type(error).__name__})") from None


def _owner_name(source: SourceFile, options: ImportOptions) -> str | None:
    """The account name from `statistics.csv` beside this file, else `--me`."""
    handle = source.sibling("statistics.csv")
    if handle is not None:
        with handle:
            reader = csv.DictReader(
                io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline="")
            )
            lowered = ({(k or "").strip().lower(): v for k, v in row.items()} for row in reader)
            name = account.owner_name(lowered)
        if name:
            return name
    return text_of(options.me)
