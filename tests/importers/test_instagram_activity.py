"""Instagram "Download your information" activity JSON, older and 2024+ layouts, mojibake repaired.

The shared Instagram fixture is a DM thread (the Messenger importer's); the activity files in
tests/fixtures/social/instagram are written from Meta's documented layouts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from importers import instagram_activity as instagram
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

LOCAL = LOCAL_FIXTURES / "social" / "instagram"
OWNER = Person("self", is_self=True)


def records(path: Path) -> list[Record]:
    return list(instagram.parse(source_for(path), ImportOptions()))


def detect(path: Path) -> Detection | None:
    return instagram.detect(source_for(path), path.read_bytes()[:65536])


def counts(found: list[Record]) -> dict[str, int]:
    return dict(Counter(type(r).__name__ for r in found))


def test_dm_threads_are_left_to_the_messenger_importer() -> None:
    assert detect(FIXTURES / "instagram" / "chat-miner__test_export.json") is None
    for path in (FIXTURES / "facebook").glob("*.json"):
        assert detect(path) is None


def test_posts_with_captions_and_photo_coordinates() -> None:
    found = records(LOCAL / "posts_1.json")
    assert counts(found) == {"Person": 1, "Post": 2, "Invalid": 1}
    assert found[0] == OWNER
    post = found[1]
    assert isinstance(post, Post)
    assert (post.kind, post.ts_ms, post.text, post.lat, post.lon) == (
        "post",
        1686830400000,
        "Café au lait by the tower",
        48.8584,
        2.2945,
    )
    assert found[-1] == Invalid("post without creation_timestamp", "item[2]")


def test_followers_old_and_2024_layouts() -> None:
    old = records(LOCAL / "followers.json")
    assert old[1:] == [
        Interaction("follower", 1609459200000, "https://www.instagram.com/josé_photo", "josé_photo"),
        Interaction("follower", 1612137600000, "https://www.instagram.com/mara.k", "mara.k"),
    ]
    new = records(LOCAL / "followers_1.json")
    assert new[1:] == [
        Interaction("follower", 1704067200000, "https://www.instagram.com/river.stone", "river.stone")
    ]
    following = records(LOCAL / "following.json")
    assert following[1:] == [
        Interaction("follow", 1706745600000, "https://www.instagram.com/_u/city_museum", "city_museum")
    ]


def test_likes_saves_searches_and_comments() -> None:
    assert records(LOCAL / "liked_posts.json")[1:] == [
        Interaction("like", 1700000000000, "https://www.instagram.com/p/C1a2b3c4d5e/", "👍")
    ]
    assert records(LOCAL / "saved_posts.json")[1:] == [
        Interaction("save", 1702000000000, "https://www.instagram.com/p/Cxyz/", "city_museum")
    ]
    assert records(LOCAL / "account_searches.json")[1:] == [
        Interaction("search", 1703000000000, "river.stone")
    ]
    comment = records(LOCAL / "post_comments_1.json")[1]
    assert isinstance(comment, Post)
    assert (comment.kind, comment.ts_ms, comment.text, comment.community) == (
        "comment",
        1701000000000,
        "so good 😍",
        "river.stone",
    )


def test_personal_information_gives_the_owner_and_facts() -> None:
    found = records(LOCAL / "personal_information.json")
    owner = found[1]
    assert owner == Person(
        "self", "Renée Owner", True, ("+4915123456789",), ("owner@example.org",), ("sample.owner",)
    )
    facts = [(f.key, f.value, f.sensitivity) for f in found if isinstance(f, ProfileFact)]
    assert facts == [
        ("email", "owner@example.org", "medium"),
        ("phone", "+4915123456789", "high"),
        ("username", "sample.owner", "medium"),
        ("name", "Renée Owner", "medium"),
        ("gender", "female", "high"),
        ("birth_date", "1990-04-12", "high"),
        ("setting:private account", "True", "low"),
    ]


def test_parsing_is_deterministic() -> None:
    for name in ("posts_1.json", "followers.json", "personal_information.json"):
        assert records(LOCAL / name) == records(LOCAL / name)


def test_truncated_file_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "liked_posts.json"
    path.write_bytes((LOCAL / "liked_posts.json").read_bytes()[:120])
    assert detect(path) == Detection(20)
    with pytest.raises(MalformedExport):
        records(path)


@pytest.mark.parametrize("content", [b"", b"\x00\xff garbage", b'{"some_future_key": []}'])
def test_unknown_or_unreadable_files_are_not_claimed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "followers_1.json"
    path.write_bytes(content)
    assert detect(path) is None
    with pytest.raises(MalformedExport):
        records(path)


def test_2024_label_values_layout() -> None:
    # liked_posts_2024.json follows the `label_values` layout Instagram exports use since 2024.
    assert records(LOCAL / "liked_posts_2024.json")[1:] == [
        Interaction("like", 1718000000000, "https://www.instagram.com/p/DAbCdEf/", "mara.k"),
        Invalid("like entry without URL label", "likes_media_likes[1]"),
    ]
