"""The seeded demo vault, built through the real importers, holds what the generator wrote."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Coffer


def query(coffer: Coffer, sql: str) -> list[dict]:
    return json.loads(coffer.ok("query", sql, "--format", "json").out)


def test_counts_match_the_ground_truth(demo_vault: Coffer, demo_vault_master: Path) -> None:
    truth = json.loads((demo_vault_master.parent / "exports" / "ground_truth.json").read_text())["totals"]
    rows = query(demo_vault, "SELECT platform, count(*) AS n FROM messages GROUP BY 1 ORDER BY 1")
    by_platform = {r["platform"]: r["n"] for r in rows}
    expected = {k.removeprefix("messages_"): v for k, v in truth.items() if k.startswith("messages_")}
    assert by_platform == expected
    assert sum(by_platform.values()) == truth["messages"]
    totals = query(
        demo_vault,
        "SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM interactions) AS interactions",
    )[0]
    assert totals == {"posts": truth["posts"], "interactions": truth["interactions"]}


def test_the_owner_is_one_person_across_platforms(demo_vault: Coffer) -> None:
    owners = query(demo_vault, "SELECT id, display_name FROM people WHERE is_self")
    assert len(owners) == 1 and owners[0]["display_name"] == "Zoë Hartmann"
    platforms = query(
        demo_vault, f"SELECT DISTINCT platform FROM identities WHERE person_id = {owners[0]['id']}"
    )
    assert {p["platform"] for p in platforms} >= {
        "whatsapp",
        "telegram",
        "messenger",
        "instagram",
        "reddit",
        "x",
    }


def test_group_members_include_everyone_who_wrote(demo_vault: Coffer) -> None:
    groups = query(
        demo_vault,
        "SELECT c.title, (SELECT count(*) FROM conversation_members m "
        "WHERE m.conversation_id = c.id) AS members FROM conversations c "
        "WHERE c.kind = 'group'",
    )
    assert {"title": "Kletter-Crew", "members": 7} in groups


def test_every_generated_file_imports_with_its_ground_truth_counts(
    demo_vault: Coffer, demo_vault_master: Path
) -> None:
    truth = json.loads((demo_vault_master.parent / "exports" / "ground_truth.json").read_text())
    seen = {
        r["file_name"].removeprefix("exports/"): r["seen"]
        for r in query(demo_vault, "SELECT file_name, seen FROM imports")
    }
    account_files = {"account_gender.csv", "birthdate.csv", "statistics.csv"}  # one row, several facts
    for name, facts in truth["files"].items():
        if name.startswith("reddit.zip/") and name.split("/")[-1] not in account_files:
            assert seen[name] == facts["rows"], name
        if name.startswith("twitter.zip/data/") and name.split("/")[-1] in (
            "tweets.js",
            "like.js",
            "follower.js",
            "following.js",
            "direct-messages.js",
            "ip-audit.js",
        ):
            assert seen[name] == facts["items"], name
    cards = query(
        demo_vault, "SELECT count(*) AS n FROM identities WHERE platform = 'vcard' AND kind = 'key'"
    )
    assert cards[0]["n"] == truth["files"]["contacts.vcf"]["cards"]
    records = [v for k, v in seen.items() if k.endswith("Records.json")]
    assert records == [truth["totals"]["locations"]]
    places = query(
        demo_vault, "SELECT (SELECT count(*) FROM visits) AS visits, (SELECT count(*) FROM trips) AS trips"
    )
    assert places[0] == {
        "visits": truth["totals"]["visits"] + truth["totals"]["timeline_visits"],
        "trips": truth["totals"]["trips"] + truth["totals"]["timeline_trips"],
    }
