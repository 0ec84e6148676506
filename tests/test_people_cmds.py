"""`coffer people`, `coffer people merge A B` and `coffer forget-person ID` on a real WhatsApp export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, assert_one_error_line
from tests.lifecycle.helpers import LifeCoffer, make_life, open_with_passphrase
from tests.lifecycle.residue import pages_containing
from vault.locations import read_all

CHAT = FIXTURES / "whatsapp" / "whatsapp-chat-parser__short-chat.txt"
THEIR_TEXT = b"Hey I'm a test too!"
OWNER_TEXT = b"This is a test message"


@pytest.fixture
def chat_vault(tmp_path: Path) -> LifeCoffer:
    coffer = make_life(tmp_path)
    coffer.ok("init")
    coffer.ok("import", str(CHAT), "--me", "Sample User", "--tz", "UTC")
    return coffer


def _people(coffer: LifeCoffer) -> dict[str, dict[str, object]]:
    return {p["name"]: p for p in json.loads(coffer.ok("people", "--json").out)}


def _residue(coffer: LifeCoffer, needle: bytes) -> int:
    with open_with_passphrase(coffer.vault) as vault:
        key = vault.data_key
    return pages_containing(coffer.vault, key, needle)


def test_people_lists_each_person_with_platforms_identities_and_messages(chat_vault: LifeCoffer) -> None:
    people = _people(chat_vault)
    assert set(people) == {"Sample User", "TestBot", "+410123456789"}
    assert people["Sample User"]["is_self"] is True and people["TestBot"]["is_self"] is False
    assert all(p["platforms"] == ["whatsapp"] and p["messages"] == 1 for p in people.values())
    assert people["+410123456789"]["identities"] == 3
    table = chat_vault.ok("people").out
    assert "Sample User (you)" in table and "TestBot" in table


def test_a_merge_survives_a_re_import(chat_vault: LifeCoffer, tmp_path: Path) -> None:
    people = _people(chat_vault)
    keep, drop = people["+410123456789"]["id"], people["TestBot"]["id"]
    chat_vault.ok("people", "merge", str(keep), str(drop))
    after = _people(chat_vault)
    assert set(after) == {"Sample User", "+410123456789"}
    assert after["+410123456789"]["messages"] == 2

    longer = tmp_path / "later" / CHAT.name  # the same chat exported again, one message later
    longer.parent.mkdir()
    longer.write_text(
        CHAT.read_text(encoding="utf-8") + "10/04/2017, 02:00 - TestBot: Back after the merge\n"
    )
    chat_vault.ok("import", str(longer), "--me", "Sample User", "--tz", "UTC")
    again = _people(chat_vault)
    assert set(again) == {"Sample User", "+410123456789"}
    assert again["+410123456789"]["messages"] == 3


@pytest.mark.parametrize("args", [("1", "1"), ("1", "99"), ("99", "1")])
def test_merge_refuses_unknown_or_identical_people(chat_vault: LifeCoffer, args: tuple[str, str]) -> None:
    assert_one_error_line(chat_vault("people", "merge", *args), 1)
    assert len(_people(chat_vault)) == 3


def test_forget_person_leaves_no_trace_and_keeps_the_owners_messages(chat_vault: LifeCoffer) -> None:
    assert _residue(chat_vault, THEIR_TEXT) == 1
    person = _people(chat_vault)["TestBot"]["id"]
    result = chat_vault.ok("forget-person", str(person))
    assert "1 messages" in result.out
    assert set(_people(chat_vault)) == {"Sample User", "+410123456789"}
    assert _residue(chat_vault, THEIR_TEXT) == 0
    assert _residue(chat_vault, b"TestBot") == 0
    assert _residue(chat_vault, OWNER_TEXT) == 1
    chat_vault.ok("verify")


def test_forget_person_refuses_the_owner_and_unknown_ids(chat_vault: LifeCoffer) -> None:
    owner = _people(chat_vault)["Sample User"]["id"]
    result = chat_vault("forget-person", str(owner))
    assert_one_error_line(result, 1)
    assert "is_self" in result.err
    assert_one_error_line(chat_vault("forget-person", "999"), 1)
    assert len(_people(chat_vault)) == 3 and _residue(chat_vault, OWNER_TEXT) == 1


def test_forget_import_leaves_no_trace(chat_vault: LifeCoffer) -> None:
    chat_vault.ok("forget-import", "1")
    assert _residue(chat_vault, THEIR_TEXT) == 0
    assert _residue(chat_vault, OWNER_TEXT) == 0
    assert _residue(chat_vault, b"TestBot") == 0


def test_a_forgotten_person_stays_forgotten_when_the_chat_is_imported_again(
    chat_vault: LifeCoffer, tmp_path: Path
) -> None:
    person = _people(chat_vault)["TestBot"]["id"]
    chat_vault.ok("forget-person", str(person))
    longer = tmp_path / "later" / CHAT.name  # the same chat exported again, one message later
    longer.parent.mkdir()
    longer.write_text(CHAT.read_text(encoding="utf-8") + "10/04/2017, 02:00 - TestBot: Still here?\n")
    imported = chat_vault.ok("import", str(longer), "--me", "Sample User", "--tz", "UTC", "--json")
    (result,) = json.loads(imported.out)
    assert result["withheld"] == 2 and result["added"] == {}
    assert set(_people(chat_vault)) == {"Sample User", "+410123456789"}
    assert _residue(chat_vault, THEIR_TEXT) == 0
    assert _residue(chat_vault, b"Still here?") == 0
    assert _residue(chat_vault, b"TestBot") == 0
    longest = tmp_path / "latest" / CHAT.name
    longest.parent.mkdir()
    longest.write_text(longer.read_text(encoding="utf-8") + "11/04/2017, 09:00 - Sample User: hello?\n")
    report = chat_vault.ok("import", str(longest), "--me", "Sample User", "--tz", "UTC").out
    assert "left out 2 records of people you forgot" in report and "added 1 messages" in report


def test_a_direct_chat_named_after_a_forgotten_person_keeps_no_trace_of_the_name(tmp_path: Path) -> None:
    coffer = make_life(tmp_path)
    coffer.ok("init")
    chat = tmp_path / "export" / "WhatsApp Chat with Bartholomew Quist.txt"
    chat.parent.mkdir()
    lines = [
        "01/02/2021, 09:00 - Ana: morning!",
        "01/02/2021, 09:05 - Bartholomew Quist: the parcel came",
        "01/02/2021, 09:06 - Ana: great, thanks",
    ]
    chat.write_text("\n".join(lines) + "\n", encoding="utf-8")
    coffer.ok("import", str(chat), "--me", "Ana", "--tz", "UTC")
    assert _residue(coffer, b"Bartholomew Quist") >= 1
    coffer.ok("forget-person", str(_people(coffer)["Bartholomew Quist"]["id"]))
    assert _residue(coffer, b"Bartholomew Quist") == 0

    again = tmp_path / "again" / chat.name  # exported again, one message later
    again.parent.mkdir()
    again.write_text(
        chat.read_text(encoding="utf-8") + "02/02/2021, 10:00 - Ana: see you\n", encoding="utf-8"
    )
    (result,) = json.loads(coffer.ok("import", str(again), "--me", "Ana", "--tz", "UTC", "--json").out)
    assert result["added"] == {"messages": 1} and result["withheld"] == 1
    assert _residue(coffer, b"Bartholomew Quist") == 0
    listed = json.loads(
        coffer.ok("query", "SELECT count(*) AS n, max(title) AS t FROM conversations", "--format", "json").out
    )
    assert listed == [{"n": 1, "t": None}]


def test_forgetting_a_name_leaves_longer_names_in_other_file_names_alone(tmp_path: Path) -> None:
    coffer = make_life(tmp_path)
    coffer.ok("init")
    for name in ("Bo Lind", "Bo Lindqvist"):
        chat = tmp_path / name / f"WhatsApp Chat with {name}.txt"
        chat.parent.mkdir()
        chat.write_text(f"01/02/2021, 09:00 - {name}: hej\n01/02/2021, 09:01 - Ana: hej!\n", encoding="utf-8")
        coffer.ok("import", str(chat), "--me", "Ana", "--tz", "UTC")
    coffer.ok("forget-person", str(_people(coffer)["Bo Lind"]["id"]))
    names = sorted(i["file_name"] for i in json.loads(coffer.ok("imports", "--json").out))
    assert names == ["WhatsApp Chat with (forgotten).txt", "WhatsApp Chat with Bo Lindqvist.txt"]


SHARING_CHAT = (
    "12/03/2024, 09:15 - Lena: location: https://maps.google.com/?q=52.5200,13.4050\n"
    "12/03/2024, 09:16 - Ben: location: https://maps.google.com/?q=48.1372,11.5756\n"
    "12/03/2024, 09:17 - Ben: see you there\n"
)


def _places(coffer: LifeCoffer) -> set[tuple[float, float]]:
    with open_with_passphrase(coffer.vault) as vault:
        fixes = read_all(vault.store.conn)
    return set(zip(fixes["lat"].to_pylist(), fixes["lon"].to_pylist(), strict=True))


def test_the_places_a_forgotten_person_shared_go_with_them_and_stay_out(tmp_path: Path) -> None:
    coffer = make_life(tmp_path)
    coffer.ok("init")
    chat = tmp_path / "export" / "WhatsApp Chat with Ben.txt"
    chat.parent.mkdir()
    chat.write_text(SHARING_CHAT)
    coffer.ok("import", str(chat), "--me", "Lena", "--tz", "UTC")
    assert _places(coffer) == {(52.52, 13.405), (48.1372, 11.5756)}

    result = coffer.ok("forget-person", str(_people(coffer)["Ben"]["id"]))
    assert "1 locations" in result.out and "2 messages" in result.out
    assert _places(coffer) == {(52.52, 13.405)}  # the owner's own share stays

    longer = tmp_path / "later" / chat.name  # exported again, with one more line
    longer.parent.mkdir()
    longer.write_text(SHARING_CHAT + "12/03/2024, 09:20 - Lena: ok\n")
    imported = coffer.ok("import", str(longer), "--me", "Lena", "--tz", "UTC", "--json")
    (report,) = json.loads(imported.out)
    assert report["withheld"] == 3 and report["added"] == {"messages": 1}
    assert _places(coffer) == {(52.52, 13.405)}
    coffer.ok("verify")
