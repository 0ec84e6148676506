"""X (Twitter) archive: `data/*.js` files holding `window.YTD.<section>.partN = [...]`.

Every section the archive is known to hold and what happens to it (any other `window.YTD` section is
claimed and skipped with "X archive section not imported: <name>"):

| section (file) | becomes |
|---|---|
| tweets (tweets.js, tweets-partN.js), tweet (older tweet.js), deleted_tweets | Post tweet, reply or retweet (media, place, likes as score) |
| direct_messages, direct_messages_group | Person per account id, Conversation, Message (reactions, media, edits, system events) |
| like | Interaction like (target: tweet link, value: its text) |
| follower, following, block, mute | Interaction follower, follow, block, mute (target: account link) |
| saved_search | Interaction search |
| account | the owner's Person; facts email, phone, username, account_id, created_via, account_created |
| ip_audit, account_creation_ip | fact ip_address (high), with the login time |
| phone_number, email_address_change, screen_name_change | facts phone, email, username |
| ageinfo | facts birth_date, age, inferred_birth_date, inferred_age (high) |
| personalization | facts ad_interest, partner_interest, inferred_interest, inferred_gender, inferred_language, inferred_location, inferred_age (high); ad_audience_of, ad_lookalike_audience_of (medium) |
| profile | facts bio, website, profile_location |
| connected_application, app | fact linked_account (app:<name>) |
| tweet_headers, deleted_tweet_headers, direct_message_headers, direct_message_group_headers | skipped: ids and times only, the full rows are in the matching file |
| note_tweet, deleted_note_tweet | skipped: long-form bodies of tweets already in tweets.js |
| ad_impressions, ad_engagements | facts ad_targeting:<type> (high for interests, age, gender, locations, languages, conversation topics; else medium) and ad_advertiser, once each, first time kept |
| ad_*_conversions_* | skipped: advertisers' conversion events |
| device_token, ni_devices, key_registry | skipped: device credentials |
| manifest.js (`window.__THAR_CONFIG`) | skipped: the archive's table of contents |
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from importers import _twitter_account as account
from importers import _twitter_social as social
from importers._social_common import SELF_KEY, base_name
from importers._twitter_ads import AdTargeting
from importers._twitter_dms import DmState, thread_records
from importers._twitter_tweets import tweet_record
from importers._twitter_ytd import is_manifest, items, read_section, section_of
from vault.records import Detection, ImportOptions, Person, Record, SourceFile

NAME = "twitter"
PLATFORM = "x"
VERSION = "2"

Handler = Callable[[Any, str], Iterator[Record]]

_TWEETS = frozenset({"tweets", "tweet", "deleted_tweets"})
_ADS = frozenset({"ad_impressions", "ad_engagements"})
_DMS = {"direct_messages": False, "direct_messages_group": True}
_SECTIONS: dict[str, Handler] = {
    "like": social.like,
    "follower": social.follower,
    "following": social.following,
    "block": social.block,
    "mute": social.mute,
    "saved_search": social.saved_search,
    "personalization": social.personalization,
    "account": account.account,
    "ip_audit": account.ip_audit,
    "account_creation_ip": account.creation_ip,
    "phone_number": account.phone_number,
    "email_address_change": account.email_change,
    "screen_name_change": account.screen_name_change,
    "ageinfo": account.ageinfo,
    "profile": account.profile,
    "connected_application": account.connected_app,
    "app": account.connected_app,
}
_HEADERS = "ids and times only: the full rows are in the matching file"
_SKIPPED = {
    "tweet_headers": _HEADERS,
    "deleted_tweet_headers": _HEADERS,
    "direct_message_headers": _HEADERS,
    "direct_message_group_headers": _HEADERS,
    "note_tweet": "long-form bodies of tweets already in tweets.js",
    "deleted_note_tweet": "long-form bodies of tweets already in deleted-tweets.js",
    "device_token": "device credentials",
    "ni_devices": "device credentials",
    "key_registry": "device credentials",
}


def _skip_reason(section: str) -> str | None:
    if section in _TWEETS or section in _DMS or section in _SECTIONS or section in _ADS:
        return None
    if section.startswith("ad_"):
        return f"X archive section not imported: {section} (advertisers' conversion events)"
    if section in _SKIPPED:
        return f"X archive section not imported: {section} ({_SKIPPED[section]})"
    return f"X archive section not imported: {section}"


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a `window.YTD.<section>` file; skip knowingly sections not imported and the manifest."""
    if not base_name(source.path).endswith(".js"):
        return None
    if is_manifest(head):
        return Detection(skip_reason="X archive manifest: the archive's table of contents")
    found = section_of(head)
    if found is None:
        return None
    reason = _skip_reason(found[0])
    return Detection(skip_reason=reason) if reason else Detection(20)


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Stream the section's elements into records."""
    owner_id = account.owner_id(read_section(source.sibling("account.js"), "account.js"))
    dms = DmState(owner_id or options.me)
    ads = AdTargeting()
    started = False
    with source.open() as handle:
        for index, (section, item) in enumerate(items(handle, source.name)):
            where = f"{section}[{index}]"
            if not started and section in _TWEETS:
                started = True
                yield Person(SELF_KEY, is_self=True)
            if section in _TWEETS:
                yield tweet_record(item, where, deleted=section == "deleted_tweets")
            elif section in _DMS:
                yield from thread_records(item, where, _DMS[section], dms)
            elif section in _ADS:
                yield from ads(item, where)
            elif section in _SECTIONS:
                yield from _SECTIONS[section](item, where)
