"""X sections of what the owner did or X inferred: likes, follows, blocks, searches, personalization."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from importers._social_common import text_of
from importers._twitter_account import age_facts
from vault.records import Interaction, Invalid, ProfileFact, Record


def like(item: Any, where: str) -> Iterator[Record]:
    """`like.js`: a liked tweet (its text and link when the archive kept them)."""
    body = item.get("like") if isinstance(item, dict) else None
    tweet = text_of(body.get("tweetId")) if isinstance(body, dict) else None
    if not isinstance(body, dict) or tweet is None:
        yield Invalid("like without tweetId", where)
        return
    target = text_of(body.get("expandedUrl")) or f"https://x.com/i/web/status/{tweet}"
    yield Interaction("like", None, target, text_of(body.get("fullText")), tweet)


def _account_link(kind: str, outer: str, item: Any, where: str) -> Iterator[Record]:
    body = item.get(outer) if isinstance(item, dict) else None
    account = text_of(body.get("accountId")) if isinstance(body, dict) else None
    if not isinstance(body, dict) or account is None:
        yield Invalid(f"{outer} entry without accountId", where)
        return
    link = text_of(body.get("userLink")) or f"https://x.com/intent/user?user_id={account}"
    yield Interaction(kind, None, link)


def follower(item: Any, where: str) -> Iterator[Record]:
    """`follower.js`: an account that follows the owner."""
    yield from _account_link("follower", "follower", item, where)


def following(item: Any, where: str) -> Iterator[Record]:
    """`following.js`: an account the owner follows."""
    yield from _account_link("follow", "following", item, where)


def block(item: Any, where: str) -> Iterator[Record]:
    """`block.js`: an account the owner blocked."""
    yield from _account_link("block", "blocking", item, where)


def mute(item: Any, where: str) -> Iterator[Record]:
    """`mute.js`: an account the owner muted."""
    yield from _account_link("mute", "muting", item, where)


def saved_search(item: Any, where: str) -> Iterator[Record]:
    """`saved-search.js`: a search the owner saved."""
    body = item.get("savedSearch") if isinstance(item, dict) else None
    query = text_of(body.get("query")) if isinstance(body, dict) else None
    if query is None:
        yield Invalid("saved search without query", where)
        return
    yield Interaction("search", None, query)


def personalization(item: Any, where: str) -> Iterator[Record]:
    """`personalization.js`: interests, demographics, audiences and locations X inferred."""
    data = item.get("p13nData") if isinstance(item, dict) else None
    if not isinstance(data, dict):
        yield Invalid("personalization entry without p13nData", where)
        return
    yield from _demographics(data.get("demographics"))
    yield from _interests(data.get("interests"))
    for place in data.get("locationHistory") or []:
        if text_of(place):
            yield ProfileFact("inferred_location", str(place), None, "high")
    yield from age_facts(data.get("inferredAgeInfo"), "inferred_birth_date", "inferred_age")


def _demographics(demographics: Any) -> Iterator[Record]:
    if not isinstance(demographics, dict):
        return
    for language in demographics.get("languages") or []:
        if (
            isinstance(language, dict)
            and text_of(language.get("language"))
            and not language.get("isDisabled")
        ):
            yield ProfileFact("inferred_language", language["language"], None, "high")
    gender = demographics.get("genderInfo")
    if isinstance(gender, dict) and text_of(gender.get("gender")):
        yield ProfileFact("inferred_gender", gender["gender"], None, "high")


def _interests(interests: Any) -> Iterator[Record]:
    if not isinstance(interests, dict):
        return
    for entry in interests.get("interests") or []:
        if isinstance(entry, dict) and text_of(entry.get("name")) and not entry.get("isDisabled"):
            yield ProfileFact("ad_interest", entry["name"], None, "high")
    for name in interests.get("partnerInterests") or []:
        if text_of(name):
            yield ProfileFact("partner_interest", str(name), None, "high")
    for show in interests.get("shows") or []:
        if text_of(show):
            yield ProfileFact("inferred_interest", str(show), None, "high")
    audience = interests.get("audienceAndAdvertisers")
    if isinstance(audience, dict):
        for advertiser in audience.get("advertisers") or []:
            if text_of(advertiser):
                yield ProfileFact("ad_audience_of", str(advertiser), None, "medium")
        for advertiser in audience.get("lookalikeAdvertisers") or []:
            if text_of(advertiser):
                yield ProfileFact("ad_lookalike_audience_of", str(advertiser), None, "medium")
