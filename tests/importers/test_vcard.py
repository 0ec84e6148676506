"""vCard address books: one Person per card, phones and e-mails kept for merging across platforms.

tests/fixtures/social/vcard/android_qp_and_truncated.vcf is written from the vCard 2.1 spec:
quoted-printable UTF-8 with soft line breaks, a card naming nobody, and a last card cut off.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from importers import vcard
from tests.importers._source import FIXTURES, LOCAL_FIXTURES, source_for
from vault.records import Detection, ImportOptions, Invalid, MalformedExport, Person, Record, Unrecognized

SHARED = FIXTURES / "vcard"
LOCAL = LOCAL_FIXTURES / "social" / "vcard"


def records(path: Path) -> list[Record]:
    return list(vcard.parse(source_for(path), ImportOptions()))


def people(path: Path) -> list[Person]:
    return [r for r in records(path) if isinstance(r, Person)]


def counts(found: list[Record]) -> dict[str, int]:
    return dict(Counter(type(r).__name__ for r in found))


@pytest.mark.parametrize(
    ("name", "cards"),
    [
        ("ez-vcard__John_Doe_ANDROID.vcf", 6),
        ("ez-vcard__John_Doe_BLACK_BERRY.vcf", 1),
        ("ez-vcard__John_Doe_EVOLUTION.vcf", 1),
        ("ez-vcard__John_Doe_GMAIL.vcf", 1),
        ("ez-vcard__John_Doe_IPHONE.vcf", 1),
        ("ez-vcard__John_Doe_LOTUS_NOTES.vcf", 1),
        ("ez-vcard__John_Doe_MAC_ADDRESS_BOOK.vcf", 1),
        ("ez-vcard__John_Doe_MS_OUTLOOK.vcf", 1),
        ("ez-vcard__gmail-list.vcf", 3),
        ("ez-vcard__outlook-2007.vcf", 1),
        ("ez-vcard__rfc6350-example.vcf", 1),
        ("ez-vcard__thunderbird-MoreFunctionsForAddressBook-extension.vcf", 1),
    ],
)
def test_every_shared_card_becomes_one_person(name: str, cards: int) -> None:
    path = SHARED / name
    assert vcard.detect(source_for(path), path.read_bytes()[:65536]) == Detection(20)
    found = records(path)
    assert counts(found).get("Person") == cards
    assert "Invalid" not in counts(found)
    assert all(not p.is_self for p in people(path))


def test_android_quoted_printable_utf8_is_decoded() -> None:
    found = people(SHARED / "ez-vcard__John_Doe_ANDROID.vcf")
    assert found[0].emails == ("john.doe@company.com",)
    assert found[2].display_name == "Ñ Ñ Ñ Ñ Ñ"
    assert found[3].display_name == "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ"  # soft line break inside the value
    assert found[3].phones == ("123456", "234567", "3456789", "45678901")


def test_iphone_item_groups_addresses_and_birthday() -> None:
    (person,) = people(SHARED / "ez-vcard__John_Doe_IPHONE.vcf")
    assert person.display_name == "Mr. John Richter James Doe Sr."
    assert person.emails == ("john.doe@ibm.com",)
    assert len(person.phones) == 7 and person.phones[-1] == "905-222-1234"
    assert person.addresses[1] == "Street4, Building 6, Floor 8, New York, 12345, USA"
    assert (person.birthday, person.organization) == ("2012-06-06", "IBM, Accounting")


def test_vcard4_uri_phones_and_partial_birthday() -> None:
    (person,) = people(SHARED / "ez-vcard__rfc6350-example.vcf")
    assert person.phones == ("+1-418-656-9254;ext=102", "+1-418-262-6501")
    assert person.birthday == "--0203"
    assert person.addresses == ("Suite D2-630, 2875 Laurier, Quebec, QC, G1V 2M2, Canada",)


def test_uid_is_the_key_else_a_stable_hash() -> None:
    (lotus,) = people(SHARED / "ez-vcard__John_Doe_LOTUS_NOTES.vcf")
    assert lotus.key == "0e7602cc-443e-4b82-b4b1-90f62f99a199"
    gmail = people(SHARED / "ez-vcard__gmail-list.vcf")
    assert [p.display_name for p in gmail] == ["Arnold Smith", "Chris Beatle", "Doug White"]
    assert all(p.key.startswith("card:") for p in gmail)
    assert len({p.key for p in gmail}) == 3
    assert records(SHARED / "ez-vcard__gmail-list.vcf") == records(SHARED / "ez-vcard__gmail-list.vcf")


def test_properties_not_kept_are_reported_once() -> None:
    unknown = [
        r.name for r in records(SHARED / "ez-vcard__John_Doe_ANDROID.vcf") if isinstance(r, Unrecognized)
    ]
    assert unknown == ["CATEGORIES", "NOTE", "URL", "PHOTO"]


def test_vcard21_quoted_printable_nameless_and_truncated_cards() -> None:
    found = records(LOCAL / "android_qp_and_truncated.vcf")
    assert counts(found) == {"Person": 1, "Unrecognized": 1, "Invalid": 2}
    person = found[0]
    assert isinstance(person, Person)
    assert person.display_name == "Jürgen Müller"
    assert person.phones == ("+49 151 2345678", "030 1234567")
    assert person.addresses == ("Hauptstraße 1, Berlin, 10115, Deutschland",)
    assert Invalid("card without name, phone or e-mail", "line 12") in found
    assert found[-1] == Invalid("card not closed at the end of the file", "line 16")


@pytest.mark.parametrize("content", [b"", b"\x00\x01\xff\xfe\x89PNG garbage"])
def test_empty_or_binary_file_is_malformed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_bytes(content)
    assert vcard.detect(source_for(path), content) is None
    with pytest.raises(MalformedExport):
        records(path)
