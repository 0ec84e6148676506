"""Reddit account files: what Reddit holds about the owner, as profile facts."""

from __future__ import annotations

from collections.abc import Iterator

from importers._reddit_rows import Row, reddit_ms
from importers._social_common import SELF_KEY, text_of
from vault.records import Invalid, Person, ProfileFact, Record

_EXPORT_ONLY = frozenset({"export time"})  # about the export, not the owner


def owner_name(rows: Iterator[Row]) -> str | None:
    """The account name a `statistics.csv` holds."""
    for row in rows:
        if (text_of(row.get("statistic")) or "").lower() == "account name":
            return text_of(row.get("value"))
    return None


def statistics(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`statistics.csv`: account name, e-mail, registration date and counters."""
    name: str | None = None
    emails: list[str] = []
    facts: list[Record] = []
    for where, row in rows:
        key = (text_of(row.get("statistic")) or "").lower()
        value = text_of(row.get("value"))
        if not key or value is None:
            facts.append(Invalid("statistic without name or value", f"row {where}"))
        elif key == "account name":
            name = value
            facts.append(ProfileFact("username", value, None, "medium"))
        elif key == "email address":
            emails.append(value)
            facts.append(ProfileFact("email", value, None, "medium"))
        elif key == "registration date":
            facts.append(ProfileFact("account_created", value, reddit_ms(value), "low"))
        elif key not in _EXPORT_ONLY:
            facts.append(ProfileFact(f"statistic:{key}", value, None, "low"))
    handles = (name,) if name else ()
    yield Person(SELF_KEY, name, is_self=True, emails=tuple(emails), handles=handles)
    yield from facts


def _single(
    rows: Iterator[tuple[int, Row]], column: str | None, key: str, sensitivity: str
) -> Iterator[Record]:
    for where, row in rows:
        value = text_of(row.get(column)) if column else text_of(next(iter(row.values()), None))
        if value is None:
            yield Invalid(f"empty {key}", f"row {where}")
            continue
        yield ProfileFact(key, value, None, sensitivity)


def birthdate(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`birthdate.csv`."""
    yield from _single(rows, "birthdate", "birth_date", "high")


def gender(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`account_gender.csv` (older exports: `gender.csv`), first column."""
    yield from _single(rows, None, "gender", "high")


def persona(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`persona.csv`: the id of an identity check Reddit ran with its vendor."""
    yield from _single(rows, "persona_inquiry_id", "identity_verification", "medium")


def twitter(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`twitter.csv`: the X account linked to Reddit."""
    for where, row in rows:
        name = text_of(row.get("username"))
        if name is None:
            yield Invalid("empty linked account", f"row {where}")
            continue
        yield ProfileFact("linked_account", f"x:{name}", None, "medium")


def phone(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`linked_phone_number.csv`: also gives the owner a phone to merge on across platforms."""
    numbers: list[str] = []
    for where, row in rows:
        number = text_of(row.get("phone_number"))
        if number is None:
            yield Invalid("empty phone number", f"row {where}")
            continue
        numbers.append(number)
        yield ProfileFact("phone", number, None, "high")
    if numbers:
        yield Person(SELF_KEY, is_self=True, phones=tuple(numbers))


def ip_logs(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`ip_logs.csv`: every address the account was used from, with its time."""
    for where, row in rows:
        ip = text_of(row.get("ip"))
        if ip is None:
            yield Invalid("empty ip address", f"row {where}")
            continue
        yield ProfileFact("ip_address", ip, reddit_ms(row.get("date")), "high")


def linked_identities(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`linked_identities.csv`: sign-in providers (Google, Apple) and the account id there."""
    for where, row in rows:
        issuer, subject = text_of(row.get("issuer_id")), text_of(row.get("subject_id"))
        if issuer is None:
            yield Invalid("linked identity without issuer", f"row {where}")
            continue
        yield ProfileFact("linked_account", f"{issuer}:{subject or ''}", None, "medium")


def _pairs(rows: Iterator[tuple[int, Row]], name: str, value: str, prefix: str) -> Iterator[Record]:
    for where, row in rows:
        key, setting = text_of(row.get(name)), text_of(row.get(value))
        if key is None or setting is None:
            yield Invalid("preference without name or value", f"row {where}")
            continue
        yield ProfileFact(f"{prefix}:{key}", setting, None, "low")


def ads_preferences(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`sensitive_ads_preferences.csv`: sensitive ad categories the owner allowed or hid."""
    yield from _pairs(rows, "type", "preference", "ad_preference")


def preferences(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`user_preferences.csv`: account settings."""
    yield from _pairs(rows, "preference", "value", "preference")


def _subreddits(rows: Iterator[tuple[int, Row]], key: str) -> Iterator[Record]:
    for where, row in rows:
        name = text_of(row.get("subreddit"))
        if name is None:
            yield Invalid("empty subreddit name", f"row {where}")
            continue
        yield ProfileFact(key, f"r/{name.removeprefix('r/')}", None, "medium")


def moderated(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`moderated_subreddits.csv`: communities the owner moderates."""
    yield from _subreddits(rows, "moderator_of")


def approved(rows: Iterator[tuple[int, Row]]) -> Iterator[Record]:
    """`approved_submitter_subreddits.csv`: restricted communities the owner may post in."""
    yield from _subreddits(rows, "approved_submitter_of")
