"""X archive `data/*.js` sections: tweets, DMs, likes, follows, account and inferred facts.

Fixtures in tests/fixtures/social/twitter are small files written from X's archive documentation
(`like.js`, `ip-audit.js`, `personalization.js`, `direct-messages-group.js`, an old flat `tweet.js`,
a split `tweets-part1.js`, `account.js`), variants the shared fixtures lack.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from importers import twitter
from tests.importers._source import FIXTURES, LOCAL_FIXTURES, source_for
from vault.records import (
    Attachment,
    Conversation,
    Detection,
    ImportOptions,
    Interaction,
    Invalid,
    MalformedExport,
    Message,
    Person,
    Post,
    ProfileFact,
    Reaction,
    Record,
    Unrecognized,
)

SHARED = FIXTURES / "twitter"
LOCAL = LOCAL_FIXTURES / "social" / "twitter"


def records(path: Path) -> list[Record]:
    return list(twitter.parse(source_for(path), ImportOptions()))


def kinds(found: list[Record]) -> dict[str, int]:
    return dict(
        Counter(type(r).__name__ + (f":{r.kind}" if isinstance(r, Post | Interaction) else "") for r in found)
    )


def detect(path: Path) -> Detection | None:
    return twitter.detect(source_for(path), path.read_bytes()[: 64 * 1024])


def test_real_tweets_archive_counts_replies_retweets_and_media() -> None:
    found = records(SHARED / "twoo__tweets.js")
    assert kinds(found) == {"Person": 1, "Post:reply": 23, "Post:tweet": 4, "Post:retweet": 1}
    first = found[1]
    assert isinstance(first, Post)
    assert first.ts_ms == 1677221912000  # Fri Feb 24 06:58:32 +0000 2023
    assert first.text == "@RPDeshaies Pretty much anything by Bal-Sagoth"
    assert (first.source_id, first.parent_id, first.score, first.tz_offset_min) == (
        "1629012888185610242",
        "1628894722889601024",
        0,
        0,
    )
    with_media = [p for p in found if isinstance(p, Post) and p.attachments]
    assert [p.attachments for p in with_media] == [(Attachment("photo", "FWVnxzyWIAIEZU3.png"),)]


def test_old_flat_tweet_js_with_place_and_split_part() -> None:
    old = records(LOCAL / "tweet.js")
    assert kinds(old) == {"Person": 1, "Post:tweet": 1}
    tweet = old[1]
    assert isinstance(tweet, Post)
    assert (tweet.ts_ms, tweet.lat, tweet.lon, tweet.place_name, tweet.score) == (
        1338904923000,
        51.5072,
        -0.1275,
        "London, England",
        2,
    )
    part = records(LOCAL / "tweets-part1.js")
    assert kinds(part) == {"Person": 1, "Post:tweet": 1, "Invalid": 1}
    assert part[1].attachments == (Attachment("gif", "AbC.jpg"),)  # type: ignore[union-attr]
    assert part[2] == Invalid("tweet without id or creation time", "tweets[1]")


def test_direct_messages_with_comment_lines_and_a_missing_date() -> None:
    found = records(SHARED / "PDP-Connect-data-connectors__direct-messages.js")
    assert kinds(found) == {"Person": 4, "Conversation": 2, "Message": 3, "Invalid": 1}
    assert found[2] == Conversation("111-222", None, "direct", ("111", "222"))
    message = found[3]
    assert isinstance(message, Message)
    assert (message.sender, message.ts_ms, message.source_id) == ("111", 1717595122000, "m1")
    assert message.text == 'hey there — em dash, "quoted", and \\ backslash'
    assert Invalid("message without createdAt", "direct_messages[0].messages[2]") in found


def test_group_dm_names_the_owner_from_account_js_beside_it() -> None:
    found = records(LOCAL / "direct-messages-group.js")
    assert kinds(found) == {"Person": 3, "Conversation": 1, "Message": 4, "Unrecognized": 1}
    assert found[0] == Person("self", is_self=True)
    assert found[3] == Conversation("1555555555555555555", "Saturday hike", "group", ("self", "5001", "5002"))
    first = found[4]
    assert isinstance(first, Message)
    assert first.sender == "self"
    assert first.reactions == (Reaction("5001", "like", 1673344860000),)
    assert first.attachments == (Attachment("link", "https://example.org/page"),)
    system = [m for m in found if isinstance(m, Message) and m.kind == "system"]
    assert [m.text for m in system] == ["renamed the group to Saturday hike", "added participants"]
    assert found[-1] == Unrecognized("direct_messages.pollCreate")


def test_likes_follows_and_connected_apps() -> None:
    likes = records(LOCAL / "like.js")
    assert likes == [
        Interaction(
            "like",
            None,
            "https://twitter.com/i/web/status/1700000000000000001",
            "a tweet the owner liked https://t.co/abc",
            "1700000000000000001",
        ),
        Interaction(
            "like", None, "https://x.com/i/web/status/1700000000000000002", None, "1700000000000000002"
        ),
        Invalid("like without tweetId", "like[2]"),
    ]
    assert kinds(records(SHARED / "twitter-to-sqlite__follower.js")) == {"Interaction:follower": 2}
    following = records(SHARED / "twitter-to-sqlite__following.js")
    assert [r.target for r in following if isinstance(r, Interaction)] == [
        "https://x.com/intent/user?user_id=547842573",
        "https://x.com/intent/user?user_id=12158",
    ]
    assert records(SHARED / "twitter-to-sqlite__app.js") == [
        ProfileFact("linked_account", "app:BBC Sounds", None, "medium")
    ]


def test_account_gives_the_owner_and_facts() -> None:
    found = records(SHARED / "twitter-to-sqlite__account.js")
    assert found[0] == Person(
        "self", "Simon Willison", True, ("+15555555555",), ("swillison@example.com",), ("simonw",)
    )
    facts = [(f.key, f.value, f.sensitivity) for f in found if isinstance(f, ProfileFact)]
    assert facts == [
        ("email", "swillison@example.com", "medium"),
        ("phone", "+15555555555", "high"),
        ("username", "simonw", "medium"),
        ("account_id", "12497", "medium"),
        ("created_via", "web", "low"),
        ("account_created", "2006-11-15T13:18:50.000Z", "low"),
    ]


def test_ip_audit_and_personalization_are_high_sensitivity_facts() -> None:
    assert records(LOCAL / "ip-audit.js") == [
        ProfileFact("ip_address", "192.0.2.44", 1685622600000, "high"),
        ProfileFact("ip_address", "2001:db8:85a3::8a2e:370:7334", 1685692800000, "high"),
    ]
    facts = [
        (f.key, f.value, f.sensitivity)
        for f in records(LOCAL / "personalization.js")
        if isinstance(f, ProfileFact)
    ]
    assert facts == [
        ("inferred_language", "English", "high"),
        ("inferred_gender", "female", "high"),
        ("ad_interest", "Politics", "high"),
        ("ad_interest", "Running", "high"),
        ("inferred_interest", "Example Show", "high"),
        ("ad_audience_of", "@ExampleBank", "medium"),
        ("ad_lookalike_audience_of", "@ExampleShop", "medium"),
        ("inferred_location", "Berlin, Germany", "high"),
        ("inferred_age", "25-34", "high"),
    ]


def test_sections_not_imported_are_skipped_with_a_reason(tmp_path: Path) -> None:
    assert detect(LOCAL / "future-section.js") == Detection(
        skip_reason="X archive section not imported: brand_new_thing"
    )
    conversions = tmp_path / "ad-online-conversions-attributed.js"
    conversions.write_text("window.YTD.ad_online_conversions_attributed.part0 = [ ]")
    assert detect(conversions) == Detection(
        skip_reason="X archive section not imported: ad_online_conversions_attributed (advertisers' conversion events)"
    )
    manifest = detect(SHARED / "twoo__manifest.js")
    assert manifest is not None and manifest.skip_reason is not None
    assert detect(SHARED / "twoo__tweets.js") == Detection(20)


def test_parsing_is_deterministic() -> None:
    for path in (
        SHARED / "twoo__tweets.js",
        LOCAL / "direct-messages-group.js",
        LOCAL / "personalization.js",
    ):
        assert records(path) == records(path)


def test_truncated_section_is_malformed() -> None:
    assert detect(LOCAL / "truncated-like.js") == Detection(20)
    with pytest.raises(MalformedExport):
        records(LOCAL / "truncated-like.js")


@pytest.mark.parametrize("content", [b"", b"\x00\xff\xfe\x89 binary garbage", b"var x = 1;\n"])
def test_files_without_a_ytd_assignment_are_not_claimed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tweets.js"
    path.write_bytes(content)
    assert detect(path) is None
    with pytest.raises(MalformedExport):
        records(path)


def test_ad_impressions_give_each_targeting_criterion_once() -> None:
    assert records(LOCAL / "ad-impressions.js") == [
        ProfileFact("ad_advertiser", "@ExampleBank", 1675245600000, "medium"),
        ProfileFact("ad_targeting:interests", "Personal finance", 1675245600000, "high"),
        ProfileFact("ad_targeting:age", "25 to 54", 1675245600000, "high"),
        ProfileFact("ad_targeting:locations", "Germany", 1675245600000, "high"),
        ProfileFact("ad_targeting:platforms", "iOS", 1675245600000, "medium"),
        ProfileFact(
            "ad_targeting:retargeting campaign engager",
            "Retargeting campaign engager",
            1675335600000,
            "medium",
        ),
    ]
    assert records(LOCAL / "ad-engagements.js") == []


def test_deleted_tweets_and_edited_versions_are_marked(tmp_path: Path) -> None:
    # Our own fixture, written from the archive's documented shape: `deleted-tweets.js` rows carry
    # `deleted_at`; an edit chain lists every version's id in `edit_info.initial.editTweetIds`.
    def tweet(tweet_id: str, chain: list[str], deleted_at: str | None = None) -> str:
        body: dict[str, object] = {
            "id_str": tweet_id,
            "full_text": f"v{tweet_id}",
            "created_at": "Wed Mar 06 10:00:00 +0000 2024",
            "edit_info": {"initial": {"editTweetIds": chain}},
        }
        if deleted_at:
            body["deleted_at"] = deleted_at
        return json.dumps({"tweet": body})

    versions = ", ".join([tweet("1", ["1", "2"]), tweet("2", ["1", "2"])])
    (tmp_path / "tweets.js").write_text(f"window.YTD.tweets.part0 = [{versions}]")
    gone = tweet("3", ["3"], "Thu Mar 07 10:00:00 +0000 2024")
    (tmp_path / "deleted-tweets.js").write_text(f"window.YTD.deleted_tweets.part0 = [{gone}]")
    posts = [r for r in records(tmp_path / "tweets.js") if isinstance(r, Post)]
    assert [(p.source_id, p.edited, p.deleted) for p in posts] == [("1", True, False), ("2", False, False)]
    deleted = [r for r in records(tmp_path / "deleted-tweets.js") if isinstance(r, Post)]
    assert [(p.source_id, p.deleted) for p in deleted] == [("3", True)]
