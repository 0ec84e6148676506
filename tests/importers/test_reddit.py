"""Reddit export CSVs: every file imported or knowingly skipped, with exact counts and values.

Fixtures in tests/fixtures/social/reddit are small files written from the documented headers of
Reddit's data export (messages, chat history, account files, a BOM, a split part), which the
shared fixtures lack.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest

from importers import discover, reddit
from tests.importers._source import FIXTURES, LOCAL_FIXTURES, source_for
from vault.records import (
    Attachment,
    Conversation,
    ImportOptions,
    Interaction,
    Invalid,
    MalformedExport,
    Message,
    Person,
    Post,
    ProfileFact,
    Record,
)

SHARED = FIXTURES / "reddit"
LOCAL = LOCAL_FIXTURES / "social" / "reddit"


def records(path: Path, options: ImportOptions | None = None) -> list[Record]:
    return list(reddit.parse(source_for(path), options or ImportOptions()))


def counts(found: list[Record]) -> dict[str, int]:
    return dict(Counter(type(r).__name__ for r in found))


def detect(path: Path) -> object:
    return reddit.detect(source_for(path), path.read_bytes()[: 64 * 1024])


def test_synthetic_posts_are_posts_with_titles_and_multiline_bodies() -> None:
    found = records(SHARED / "potluck__reddit-synth-001_posts.csv")
    assert counts(found) == {"Person": 1, "Post": 24}
    assert found[0] == Person("self", is_self=True)
    posts = [r for r in found if isinstance(r, Post)]
    first = posts[0]
    assert (first.kind, first.ts_ms, first.source_id, first.community) == (
        "post",
        1659700800000,
        "t3_p000",
        "mockastronomy",
    )
    assert first.title == "prairie tundra amber dahlia"
    assert first.author == "self"
    assert posts[1].text == 'quartz thyme walnut brook fjord island, they said "quartz thyme", twice'
    assert (
        posts[2].text
        == "yarrow cliff glade meadow ridge valley basil\nyarrow cliff glade\n\ndahlia garnet juniper maple"
    )
    links = [(p.url, p.attachments) for p in posts if p.attachments]
    assert links == [
        (
            "https://www.reddit.com/r/fixturegardens/comments/p006/violet_zinnia_dune/",
            (Attachment("link", "https://example.com/article-11099-6"),),
        ),
        (
            "https://www.reddit.com/r/testtrains/comments/p00f/ember_hazel_kelp/",
            (Attachment("link", "https://example.com/article-11099-15"),),
        ),
    ]


def test_synthetic_comments_keep_parents_and_subreddits() -> None:
    found = records(SHARED / "potluck__reddit-synth-001_comments.csv")
    assert counts(found) == {"Person": 1, "Post": 30}
    comments = [r for r in found if isinstance(r, Post)]
    assert {c.kind for c in comments} == {"comment"}
    assert comments[0].parent_id == "t3_x000"
    assert comments[1].parent_id == "t1_c901"
    assert comments[1].ts_ms == 1659726780000  # 2022-08-05 19:13:00 UTC
    assert comments[3].parent_id == "https://www.reddit.com/r/mockastronomy/comments/x003/umber_yarrow_cliff/"
    assert comments[4].text == "rowan umber yarrow cliff glade 🎉"


def test_prefixed_ids_and_placeholder_ips_are_not_doubled_or_kept() -> None:
    found = records(SHARED / "potluck__comments.csv")
    assert counts(found) == {"Person": 1, "Post": 4}
    assert [r.source_id for r in found if isinstance(r, Post)] == [
        "t1_comm01",
        "t1_comm02",
        "t1_comm03",
        "t1_saved2",
    ]
    assert not [r for r in found if isinstance(r, ProfileFact)]


def test_votes_and_subscriptions_become_interactions() -> None:
    votes = records(SHARED / "potluck__reddit-synth-001_post_votes.csv")
    assert votes == [
        Interaction("vote", None, "https://www.reddit.com/r/synthcooking/comments/v000/decoy_vote/", "up")
    ]
    subs = records(SHARED / "potluck__reddit-synth-001_subscribed_subreddits.csv")
    assert [r.target for r in subs if isinstance(r, Interaction)] == [
        "r/synthcooking",
        "r/fixturegardens",
        "r/testtrains",
        "r/mockastronomy",
    ]


def test_messages_with_bom_map_the_owner_from_statistics_beside_them() -> None:
    found = records(LOCAL / "messages.csv")
    assert counts(found) == {"Person": 2, "Conversation": 1, "Message": 2, "Invalid": 1}
    assert found[0] == Person("self", "sample_owner", is_self=True, handles=("sample_owner",))
    conversation = next(r for r in found if isinstance(r, Conversation))
    assert conversation == Conversation("1a2b3c", "about your post", "direct", ("quietfern", "self"))
    first, second = (r for r in found if isinstance(r, Message))
    assert first.text == 'Hi! Loved the write-up.\nDo you have the "raw" data?'
    assert (first.sender, first.ts_ms) == ("quietfern", 1677954130000)
    assert second.sender == "self"
    assert Invalid("date missing or unreadable", "row 3") in found


def test_chat_history_groups_members_and_marks_edits() -> None:
    found = records(LOCAL / "chat_history.csv")
    assert counts(found) == {"Person": 3, "Conversation": 2, "Message": 3}
    group, direct = (r for r in found if isinstance(r, Conversation))
    assert group == Conversation(
        "sendbird_group_channel_1_abc", "Meetup crew", "group", ("self", "pinecone42")
    )
    assert direct.kind == "direct" and direct.members == ("self", "quietfern")
    reply = [r for r in found if isinstance(r, Message)][1]
    assert (reply.reply_to, reply.edited) == ("m-001", True)


def test_account_files_become_profile_facts_with_sensitivity() -> None:
    stats = records(LOCAL / "statistics.csv")
    assert stats[0] == Person(
        "self", "sample_owner", is_self=True, emails=("owner@example.org",), handles=("sample_owner",)
    )
    facts = {(f.key, f.value, f.sensitivity) for f in stats if isinstance(f, ProfileFact)}
    assert ("email", "owner@example.org", "medium") in facts
    assert ("account_created", "2015-07-09 12:00:00 UTC", "low") in facts
    assert not any(key == "statistic:export time" for key, _, _ in facts)
    assert len(facts) == 5
    assert records(LOCAL / "birthdate.csv") == [ProfileFact("birth_date", "1990-04-12", None, "high")]
    assert records(LOCAL / "account_gender.csv") == [ProfileFact("gender", "female", None, "high")]
    assert records(LOCAL / "linked_phone_number.csv") == [
        ProfileFact("phone", "+44 7700 900123", None, "high"),
        Person("self", is_self=True, phones=("+44 7700 900123",)),
    ]
    assert records(LOCAL / "linked_identities.csv") == [
        ProfileFact("linked_account", "https://accounts.google.com:1234567890", None, "medium")
    ]


def test_ip_logs_keep_each_address_with_its_time() -> None:
    assert records(LOCAL / "ip_logs.csv") == [
        ProfileFact("ip_address", "198.51.100.23", 1711958401000, "high"),
        ProfileFact("ip_address", "2001:db8::1", 1712092544000, "high"),
        Invalid("empty ip address", "row 3"),
    ]


def test_split_parts_saves_and_comment_votes() -> None:
    part = records(LOCAL / "comments_1.csv")
    assert counts(part) == {"Person": 1, "Post": 1}
    assert records(LOCAL / "saved_posts.csv") == [
        Interaction("save", None, "https://www.reddit.com/r/python/comments/q1w2e3/tips/")
    ]
    assert [r.value for r in records(LOCAL / "comment_votes.csv") if isinstance(r, Interaction)] == [
        "down",
        "up",
    ]


def test_every_file_is_imported_skipped_with_reason_or_not_recognised() -> None:
    verdicts = {d.source.name.rsplit("/", 1)[-1]: d for d in discover([LOCAL])}
    assert verdicts["drafts.csv"].importer is None
    assert (
        verdicts["drafts.csv"].skip_reason
        == "Reddit drafts.csv: unpublished drafts: never seen by anyone, not imported"
    )
    assert verdicts["new_feature_2025.csv"].importer is None
    assert verdicts["new_feature_2025.csv"].skip_reason == "not recognised"
    imported = sorted(name for name, d in verdicts.items() if d.importer is reddit)
    assert len(imported) == 11


def test_export_zip_is_read_member_by_member(tmp_path: Path) -> None:
    archive = tmp_path / "export_sample_owner_20240501.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for name in ("posts.csv", "announcements.csv", "unknown_thing.csv"):
            source = (
                SHARED / "potluck__reddit-synth-001_posts.csv"
                if name == "posts.csv"
                else LOCAL / "new_feature_2025.csv"
            )
            bundle.writestr(name, source.read_bytes())
    verdicts = {d.source.name.rsplit("/", 1)[-1]: d for d in discover([archive])}
    assert verdicts["posts.csv"].importer is reddit
    assert verdicts["announcements.csv"].skip_reason == (
        "Reddit announcements.csv: announcements Reddit sent to every user: nothing of the owner's"
    )
    assert verdicts["unknown_thing.csv"].skip_reason == "not recognised"


def test_skipped_files_say_why() -> None:
    drafts = detect(LOCAL / "drafts.csv")
    assert drafts is not None and drafts.skip_reason is not None  # type: ignore[attr-defined]
    assert detect(LOCAL / "new_feature_2025.csv") is None


def test_parsing_is_deterministic() -> None:
    for path in (
        SHARED / "potluck__reddit-synth-001_comments.csv",
        LOCAL / "messages.csv",
        LOCAL / "chat_history.csv",
    ):
        assert records(path) == records(path)


def test_truncated_quoted_body_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    content = (SHARED / "potluck__reddit-synth-001_comments.csv").read_bytes()
    path.write_bytes(content[: content.index(b"dahlia garnet juniper\n") + 5])  # inside a quoted body
    assert detect(path) is not None
    with pytest.raises(MalformedExport):
        records(path)


def test_short_row_is_invalid_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "ip_logs.csv"
    path.write_text("date,ip\n2024-04-01 08:00:01 UTC,198.51.100.23\n2024-04-01 09:00:00 UTC\n")
    assert records(path) == [
        ProfileFact("ip_address", "198.51.100.23", 1711958401000, "high"),
        Invalid("row has fewer columns than the header", "row 2"),
    ]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\xff\xfe garbage \x89PNG\r\n"])
def test_empty_or_binary_file_is_not_claimed_and_cannot_parse(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "comments.csv"
    path.write_bytes(content)
    assert detect(path) is None
    with pytest.raises(MalformedExport):
        records(path)
