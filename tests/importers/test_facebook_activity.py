"""Facebook "Download your information" activity JSON: posts, comments, reactions, profile, ads.

The shared Facebook fixtures are Messenger threads (the Messenger importer's); the activity files
in tests/fixtures/social/facebook are written from Meta's documented layouts, with mojibake.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from importers import facebook_activity as facebook
from tests.importers._source import FIXTURES, LOCAL_FIXTURES, source_for
from vault.records import (
    Detection,
    ImportOptions,
    Interaction,
    Invalid,
    MalformedExport,
    Person,
    Post,
    ProfileFact,
    Record,
)

LOCAL = LOCAL_FIXTURES / "social" / "facebook"


def records(path: Path) -> list[Record]:
    return list(facebook.parse(source_for(path), ImportOptions()))


def detect(path: Path) -> Detection | None:
    return facebook.detect(source_for(path), path.read_bytes()[:65536])


def counts(found: list[Record]) -> dict[str, int]:
    return dict(Counter(type(r).__name__ for r in found))


def test_messenger_threads_are_not_claimed() -> None:
    for path in (FIXTURES / "facebook").glob("*.json"):
        assert detect(path) is None
    assert detect(FIXTURES / "instagram" / "chat-miner__test_export.json") is None


def test_posts_with_check_in_place_and_link() -> None:
    found = records(LOCAL / "your_posts__check_ins__photos_and_videos_1.json")
    assert counts(found) == {"Person": 1, "Post": 2, "Invalid": 1}
    check_in = found[1]
    assert isinstance(check_in, Post)
    assert (check_in.ts_ms, check_in.text, check_in.place_name, check_in.lat, check_in.lon) == (
        1672574400000,
        "Happy new year from Vienna! 🎉",
        "Café Central",
        48.2104,
        16.3656,
    )
    assert found[2].url == "https://example.org/article"  # type: ignore[union-attr]
    assert found[3] == Invalid("post without timestamp", "item[2]")


def test_comments_reactions_searches_and_friends() -> None:
    comment = records(LOCAL / "comments.json")[1]
    assert isinstance(comment, Post)
    assert (comment.kind, comment.text, comment.community, comment.ts_ms) == (
        "comment",
        "Schön!",
        "Hiking Vienna",
        1677000000000,
    )
    assert [r.value for r in records(LOCAL / "likes_and_reactions_1.json") if isinstance(r, Interaction)] == [
        "LOVE",
        "LIKE",
    ]
    assert records(LOCAL / "posts_and_comments.json")[1:] == [
        Interaction("like", 1500000000000, "Sample Owner reacted to Tom's comment.", "HAHA")
    ]
    assert records(LOCAL / "your_search_history.json")[1:] == [
        Interaction("search", 1679000000000, "hiking boots")
    ]
    assert records(LOCAL / "friends.json")[1:] == [
        Interaction("follow", 1400000000000, "Lea Müller", "friend"),
        Interaction("follow", 1410000000000, "Tom Berg", "friend"),
    ]


def test_profile_gives_the_owner_and_sensitive_facts() -> None:
    found = records(LOCAL / "profile_information.json")
    owner = next(r for r in found if isinstance(r, Person) and r.display_name)
    assert owner == Person(
        "self", "Sample Owner", True, ("+43 660 1234567",), ("owner@example.org",), ("sample.owner",)
    )
    facts = {(f.key, f.value, f.sensitivity) for f in found if isinstance(f, ProfileFact)}
    assert len(facts) == 10
    assert ("birth_date", "1990-04-12", "high") in facts
    assert ("relationship", "In a relationship", "high") in facts
    assert ("current_city", "Wien, Austria", "high") in facts


def test_ad_interests_are_high_sensitivity() -> None:
    assert records(LOCAL / "ads_interests.json")[1:] == [
        ProfileFact("ad_interest", "Hiking", None, "high"),
        ProfileFact("ad_interest", "Vegetarianism", None, "high"),
        ProfileFact("ad_interest", "Left-wing politics", None, "high"),
    ]


def test_parsing_is_deterministic() -> None:
    for name in ("your_posts__check_ins__photos_and_videos_1.json", "profile_information.json"):
        assert records(LOCAL / name) == records(LOCAL / name)


def test_truncated_file_is_malformed() -> None:
    assert detect(LOCAL / "truncated_comments.json") == Detection(20)
    with pytest.raises(MalformedExport):
        records(LOCAL / "truncated_comments.json")


@pytest.mark.parametrize("content", [b"", b"\x00\xff garbage", b'{"a_future_section_v9": []}'])
def test_unknown_or_unreadable_files_are_not_claimed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "comments.json"
    path.write_bytes(content)
    assert detect(path) is None
    with pytest.raises(MalformedExport):
        records(path)
