"""Recall of the identifier detector on generated identifiers hidden in random text."""

from __future__ import annotations

import ipaddress
import random
import string

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vault.anonymize.identifiers import IdentifierFinder, find_identifiers, iban_ok, luhn_ok
from vault.anonymize.text import redact_text

FILLER = st.lists(
    st.sampled_from(
        [
            "the",
            "a",
            "meet",
            "me",
            "tomorrow",
            "at",
            "noon",
            "ok",
            "see",
            "you",
            "later",
            "thanks",
            "bis",
            "morgen",
            "à",
            "demain",
            "3",
            "apples",
            "12",
            "eur",
        ]
    ),
    min_size=0,
    max_size=8,
).map(" ".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FINDER = IdentifierFinder(["Anna Schmidt", "@bob_w", "Zoë Ünal", "Owner Person"])


def _assert_found(before: str, secret: str, after: str, kind: str) -> None:
    """Recall: every character of the secret lies in a span of its kind, and redaction hides it."""
    text = f"{before} {secret} {after}".strip()
    start = len(before.strip()) + 1 if before.strip() else 0
    covered = set()
    for found in FINDER.find(text):
        if found.kind == kind:
            covered.update(range(found.start, found.end))
    assert set(range(start, start + len(secret))) <= covered, (text, FINDER.find(text))
    assert secret not in redact_text(text, FINDER)


@st.composite
def emails(draw: st.DrawFn) -> str:
    local = draw(st.text(string.ascii_letters + string.digits + "._+-", min_size=1, max_size=12))
    local = local.strip(".") or "x"
    domain = draw(st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=10))
    tld = draw(st.sampled_from(["com", "org", "de", "co.uk", "info"]))
    return f"{local}@{domain}.{tld}"


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["https://", "http://", "www.", "https://www."]))
    host = draw(st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=10))
    path = draw(st.text(string.ascii_letters + string.digits + "/-_?=&%", max_size=20))
    return f"{scheme}{host}.com/{path}".rstrip("?")


@st.composite
def cards(draw: st.DrawFn) -> str:
    body = [draw(st.integers(1, 9)), *draw(st.lists(st.integers(0, 9), min_size=14, max_size=14))]
    for check in range(10):
        digits = "".join(map(str, [*body, check]))
        if luhn_ok(digits):
            break
    sep = draw(st.sampled_from(["", " ", "-"]))
    return sep.join(digits[i : i + 4] for i in range(0, 16, 4))


@st.composite
def ibans(draw: st.DrawFn) -> str:
    country, length = draw(st.sampled_from([("DE", 18), ("GB", 18), ("FR", 23), ("NL", 14)]))
    bban = "".join(draw(st.lists(st.sampled_from(string.digits), min_size=length, max_size=length)))
    for check in range(2, 99):
        iban = f"{country}{check:02d}{bban}"
        if iban_ok(iban):
            break
    grouped = draw(st.booleans())
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if grouped else iban


@st.composite
def ips(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return str(ipaddress.IPv4Address(draw(st.integers(0x01000000, 0xDFFFFFFF))))
    return str(ipaddress.IPv6Address(draw(st.integers(1 << 100, (1 << 128) - 1))))


def _random_phone(region: str, seed: int) -> phonenumbers.PhoneNumber:
    rng = random.Random(seed)
    example = phonenumbers.example_number(region)
    national = str(example.national_number)
    for _ in range(200):
        candidate = national[:3] + "".join(rng.choice(string.digits) for _ in national[3:])
        number = phonenumbers.parse(candidate, region)
        if phonenumbers.is_valid_number(number):
            return number
    return example


@given(FILLER, emails(), FILLER)
@SETTINGS
def test_emails_are_found(before: str, email: str, after: str) -> None:
    _assert_found(before, email, after, "email")


@given(FILLER, urls(), FILLER)
@SETTINGS
def test_urls_are_found(before: str, url: str, after: str) -> None:
    _assert_found(before, url, after, "url")


@given(FILLER, cards(), FILLER)
@SETTINGS
def test_cards_are_found(before: str, card: str, after: str) -> None:
    _assert_found(before, card, after, "card")


@given(FILLER, ibans(), FILLER)
@SETTINGS
def test_ibans_are_found(before: str, iban: str, after: str) -> None:
    _assert_found(before, iban, after, "iban")


@given(FILLER, ips(), FILLER)
@SETTINGS
def test_ips_are_found(before: str, ip: str, after: str) -> None:
    _assert_found(before, ip, after, "ip")


@given(FILLER, st.sampled_from(["Anna Schmidt", "anna schmidt", "@bob_w", "Zoë Ünal", "Owner"]), FILLER)
@SETTINGS
def test_contact_names_and_handles_are_found(before: str, name: str, after: str) -> None:
    _assert_found(before, name, after, "name")


@pytest.mark.parametrize("region", ["US", "GB", "DE", "FR"])
@pytest.mark.parametrize("style", ["INTERNATIONAL", "NATIONAL", "E164"])
@given(seed=st.integers(0, 10**6), before=FILLER, after=FILLER)
@settings(max_examples=40, deadline=None)
def test_phones_in_international_and_national_formats(
    region: str, style: str, seed: int, before: str, after: str
) -> None:
    number = _random_phone(region, seed)
    shown = phonenumbers.format_number(number, getattr(phonenumbers.PhoneNumberFormat, style))
    _assert_found(before, shown, after, "phone")


@pytest.mark.parametrize(
    ("text", "kind", "secret"),
    [
        ("meet at 48.85840, 2.29450 tonight", "coordinates", "48.85840, 2.29450"),
        (
            "here https://maps.google.com/?q=48.85,2.29 ok",
            "coordinates",
            "https://maps.google.com/?q=48.85,2.29",
        ),
        ("geo:48.85,2.29", "coordinates", "geo:48.85,2.29"),
        (
            "https://www.openstreetmap.org/#map=18/48.858/2.294.",
            "coordinates",
            "https://www.openstreetmap.org/#map=18/48.858/2.294",
        ),
        ("at 48°51'29.6\"N 2°17'40.2\"E", "coordinates", "48°51'29.6\"N 2°17'40.2\"E"),
    ],
)
def test_coordinates_and_map_links(text: str, kind: str, secret: str) -> None:
    assert (kind, secret) in [(f.kind, text[f.start : f.end]) for f in find_identifiers(text)]


@pytest.mark.parametrize(
    "text",
    ["see you at 10:30:45 on 2024-01-15", "I paid 12.50 eur", "version 1.2.3", "4111 1111 1111 1112"],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert find_identifiers(text) == []


def test_redaction_tags_each_kind() -> None:
    text = "Anna Schmidt: mail anna@example.org or call +49 30 1234567"
    assert redact_text(text, FINDER) == "[NAME]: mail [EMAIL] or call [PHONE]"
