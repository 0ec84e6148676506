"""vCard 2.1, 3.0 and 4.0 address books (Google, iCloud, Android, Outlook exports): one Person per card.

A card's key is its UID, else a stable hash of its name and first phone or e-mail; the pipeline
merges people across platforms on an exact phone (E.164) or e-mail. Properties not stored on a
person (photos, notes, URLs, X- extensions) are reported as not recognised, once per name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from importers._vcard_lines import Property, components, properties, unescape
from vault.records import (
    Detection,
    ImportOptions,
    Invalid,
    MalformedExport,
    Person,
    Record,
    SourceFile,
    Unrecognized,
)

NAME = "vcard"
PLATFORM = "vcard"
VERSION = "1"

_BEGIN = re.compile(rb"^(?:\xef\xbb\xbf)?\s*BEGIN:VCARD\s*$", re.I | re.M)
_STRUCTURE = frozenset({"BEGIN", "END", "VERSION", "PRODID", "REV", "X-ABLABEL", "X-ABADR", "X-ABUID"})
_READ = frozenset({"FN", "N", "TEL", "EMAIL", "ADR", "BDAY", "ORG", "UID", "IMPP", "X-SOCIALPROFILE"})


@dataclass
class _Card:
    """The parts of one card that make a Person."""

    line: int
    props: dict[str, list[Property]] = field(default_factory=dict)

    def values(self, name: str) -> list[str]:
        return [p.value for p in self.props.get(name, [])]

    def first(self, name: str) -> str | None:
        found = [v.strip() for v in self.values(name) if v.strip()]
        return unescape(found[0]) if found else None


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a file whose content starts a vCard."""
    return Detection(20) if _BEGIN.search(head[:4096]) else None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Yield a Person per card, Invalid for cards that name nobody or never end."""
    seen_unknown: set[str] = set()
    cards = 0
    card: _Card | None = None
    with source.open() as handle:
        for prop in properties(handle):
            if prop.name == "BEGIN" and prop.value.strip().upper() == "VCARD":
                if card is not None:
                    yield Invalid("card not closed before the next one", f"line {card.line}")
                card, cards = _Card(prop.line), cards + 1
            elif prop.name == "END" and prop.value.strip().upper() == "VCARD" and card is not None:
                yield _person(card)
                card = None
            elif card is not None:
                card.props.setdefault(prop.name, []).append(prop)
                if prop.name not in _READ and prop.name not in _STRUCTURE and prop.name not in seen_unknown:
                    seen_unknown.add(prop.name)
                    yield Unrecognized(prop.name or "line without a property name")
    if card is not None:
        yield Invalid("card not closed at the end of the file", f"line {card.line}")
    if cards == 0:
        raise MalformedExport(f"{source.name}: no BEGIN:VCARD found")


def _phone(value: str) -> str:
    return value.strip().removeprefix("tel:").strip()


def _address(value: str) -> str | None:
    parts = [p.replace("\n", ", ") for p in components(value) if p]
    return ", ".join(parts) or None


def _name(card: _Card) -> str | None:
    full = card.first("FN")
    if full:
        return full
    structured = card.values("N")
    if structured:
        family, given, *rest = [*components(structured[0]), "", ""]
        joined = " ".join(p for p in (given, *rest[:1], family) if p)
        if joined:
            return joined
    org = card.values("ORG")
    return ", ".join(p for p in components(org[0]) if p) if org else None


def _person(card: _Card) -> Record:
    name = _name(card)
    phones = tuple(dict.fromkeys(p for v in card.values("TEL") if (p := _phone(v))))
    emails = tuple(dict.fromkeys(e.strip() for e in card.values("EMAIL") if "@" in e))
    if not (name or phones or emails):
        return Invalid("card without name, phone or e-mail", f"line {card.line}")
    handles = tuple(
        unescape(v).strip() for v in card.values("IMPP") + card.values("X-SOCIALPROFILE") if v.strip()
    )
    addresses = tuple(a for v in card.values("ADR") if (a := _address(v)))
    org = card.values("ORG")
    return Person(
        key=card.first("UID") or _stable_key(name, phones, emails),
        display_name=name,
        phones=phones,
        emails=emails,
        handles=handles,
        birthday=card.first("BDAY"),
        addresses=addresses,
        organization=", ".join(p for p in components(org[0]) if p) or None if org else None,
    )


def _stable_key(name: str | None, phones: tuple[str, ...], emails: tuple[str, ...]) -> str:
    contact = phones[0] if phones else emails[0] if emails else ""
    digest = hashlib.sha256(f"{name or ''}\x1f{contact}".encode()).hexdigest()[:16]
    return f"card:{digest}"
