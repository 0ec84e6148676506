"""The one detector of identifiers in free text, shared by `redact` and the reveal report."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

import phonenumbers

from vault.anonymize.context import DEFAULT_PHONE_REGIONS

KINDS: tuple[str, ...] = ("phone", "email", "url", "iban", "card", "ip", "coordinates", "address", "name")

# Street addresses: "Reichenberger Straße 98, 10999 Berlin", "Hauptstr. 5a", "221B Baker Street".
_ADDRESS = re.compile(
    r"(?:\b[A-ZÄÖÜ][\wäöüß-]*\s)?\b[A-ZÄÖÜ]?[\wäöüß-]*"
    r"(?i:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee)"
    r"\s+\d{1,4}\s?[a-z]?\b(?:,?\s*\d{4,5}\s+[A-ZÄÖÜ][\wäöüß-]+)?"
    r"|\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'-]*\s){1,3}"
    r"(?:Street|St\.|Road|Rd\.|Avenue|Ave\.?|Lane|Drive|Way|Place|Square|Court|Boulevard)(?!\w)"
)


class Found(NamedTuple):
    """One identifier found in a text: its kind and the span [start, end)."""

    kind: str
    start: int
    end: int


_MAP_HOSTS = (
    r"(?:www\.)?google\.[a-z.]{2,6}/maps|maps\.google\.[a-z.]{2,6}|goo\.gl/maps|maps\.app\.goo\.gl"
    r"|(?:www\.)?openstreetmap\.org|osm\.org|(?:www\.)?bing\.com/maps|maps\.apple\.com"
    r"|wego\.here\.com|(?:www\.)?waze\.com"
)
_TLDS = "com|org|net|io|co|de|uk|fr|it|es|nl|ch|at|be|eu|us|ca|au|ru|info|biz|me|app|dev|ly|tv|gov|edu"
_DEC_LAT = r"[-+]?(?:[0-8]?\d|90)\.\d{3,}"
_DEC_LON = r"[-+]?(?:1[0-7]\d|0?\d{1,2}|180)\.\d{3,}"
_DMS = r"\d{1,3}°\s*\d{1,2}['′]\s*\d{1,2}(?:[.,]\d+)?(?:\"|″|'')\s*"

_MAPLINK = re.compile(
    rf"(?:https?://)?(?:{_MAP_HOSTS})[^\s<>\"']*"
    r"|geo:-?\d{1,2}(?:\.\d+)?,-?\d{1,3}(?:\.\d+)?[^\s<>\"']*"
)
_EMAIL_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
_EMAIL_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_URL = re.compile(
    r"(?:https?|ftp)://[^\s<>\"']+|(?<![\w.@/])www\.[^\s<>\"']+"
    rf"|(?<![\w.@/-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLDS})/[^\s<>\"']*"
)
_IBAN = re.compile(
    r"[A-Z](?<![A-Za-z0-9][A-Z])[A-Z][0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?"
    r"(?![A-Za-z0-9])"
)
_IBAN_GATE = re.compile(r"[A-Z]{2}[0-9]{2}")
_COORDINATES = re.compile(
    rf"(?<![\d.])(?:{_DEC_LAT}°?\s*,\s*{_DEC_LON}°?(?![\d])"
    rf"|{_DEC_LAT}°?\s*[NS]\s*,?\s*{_DEC_LON}°?\s*[EW]\b"
    rf"|{_DMS}[NS]\s*,?\s*{_DMS}[EW]\b)"
)
_COORDINATES_GATE = re.compile(r"[0-9]\.[0-9]{3}|°")
_IPV4 = re.compile(r"[0-9](?<![0-9.][0-9])[0-9]{0,2}(?:\.[0-9]{1,3}){3}(?![0-9]|\.[0-9])")
_IPV6 = re.compile(
    r"(?<![\w:])(?=[0-9A-Fa-f:]*[0-9A-Fa-f]{2})(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"
)
_IPV6_GATE = re.compile(r":[0-9A-Fa-f]{0,4}:")
_CARD = re.compile(
    r"[0-9](?<![0-9][0-9])(?:[0-9]{12,18}|[0-9]{3}([ -]?)[0-9]{4}\1[0-9]{4}\1[0-9]{1,4}"
    r"(?:\1[0-9]{1,3})?|[0-9]{3}[ -][0-9]{6}[ -][0-9]{4,5})(?![0-9])"
)
_ANY_DIGIT = re.compile(r"[0-9]")
_TRAILING_GROUP = re.compile(r"[ -][0-9]{1,3}$")
_TRAILING_PUNCT = ".,;:!?)]}'\""
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|\b00)?\(?\d[\d ().\-/\u00a0]{4,22}\d(?!\d)")
_DIGIT_RUN = re.compile(r"(?:\d\D{0,3}){7}")
_DATE_LIKE = re.compile(r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$")
_MIN_PHONE_DIGITS = 7
_MAX_PHONE_TOKENS = 8


def luhn_ok(digits: str) -> bool:
    """Whether a digit string passes the Luhn checksum of payment cards."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_ok(compact: str) -> bool:
    """Whether an IBAN without spaces passes the ISO 13616 mod-97 check."""
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def _valid_iban_length(text: str) -> int:
    """Length of the longest prefix of an IBAN candidate that is a valid IBAN, or 0."""
    for end in range(len(text), 14, -1):
        if text[end - 1] != " " and iban_ok(text[:end].replace(" ", "")):
            return end
    return 0


def _valid_ip(text: str) -> bool:
    """Whether a candidate is a real IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _strip_trailing(text: str, start: int, end: int) -> int:
    """End of a URL-like span without trailing punctuation (keeping balanced parentheses)."""
    while end > start and text[end - 1] in _TRAILING_PUNCT:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


def _url_hits(text: str, pattern: re.Pattern[str], kind: str) -> list[Found]:
    """URL-like spans without their trailing punctuation."""
    return [Found(kind, m.start(), _strip_trailing(text, *m.span())) for m in pattern.finditer(text)]


def _iban_hits(text: str) -> list[Found]:
    """IBANs that pass the mod-97 check (trimming words glued to their end)."""
    found = []
    for match in _IBAN.finditer(text):
        length = _valid_iban_length(match.group())
        if length:
            found.append(Found("iban", match.start(), match.start() + length))
    return found


def _checked_hits(
    text: str, pattern: re.Pattern[str], kind: str, check: Callable[[str], bool]
) -> list[Found]:
    """Spans of a pattern whose text passes a check."""
    return [Found(kind, *m.span()) for m in pattern.finditer(text) if check(m.group())]


def _card_ok(text: str) -> bool:
    """Whether a digit group is a card number (13 to 19 digits passing Luhn)."""
    digits = re.sub(r"\D", "", text)
    return 13 <= len(digits) <= 19 and luhn_ok(digits)


def _always(_text: str) -> bool:
    """Accept every match."""
    return True


def _email_hits(text: str) -> list[Found]:
    """E-mail addresses, found from their '@domain' and extended back over the local part."""
    found = []
    for match in _EMAIL_DOMAIN.finditer(text):
        start = match.start()
        while start > 0 and text[start - 1] in _EMAIL_LOCAL_CHARS:
            start -= 1
        if start < match.start():
            found.append(Found("email", start, match.end()))
    return found


def _structured_hits(text: str) -> list[Found]:
    """Every structured identifier (all but phones and names), each detector behind a cheap gate."""
    found: list[Found] = []
    if "/" in text or "www." in text or "geo:" in text:
        found += _url_hits(text, _MAPLINK, "coordinates")
        found += _url_hits(text, _URL, "url")
    if "@" in text:
        found += _email_hits(text)
    if _ANY_DIGIT.search(text):
        found += _digit_hits(text)
    if ":" in text and _IPV6_GATE.search(text):
        found += _checked_hits(text, _IPV6, "ip", _valid_ip)
    return _without_overlaps(found)


def _digit_hits(text: str) -> list[Found]:
    """Identifiers that contain digits: IBANs, coordinates, IP addresses, cards."""
    found: list[Found] = []
    if _IBAN_GATE.search(text):
        found += _iban_hits(text)
    if _COORDINATES_GATE.search(text):
        found += _checked_hits(text, _COORDINATES, "coordinates", _always)
    if "." in text:
        found += _checked_hits(text, _IPV4, "ip", _valid_ip)
    found += _card_hits(text)
    found += [Found("address", *m.span()) for m in _ADDRESS.finditer(text)]
    return found


def _card_hits(text: str) -> list[Found]:
    """Card numbers passing Luhn, retried without a short trailing group (a number after a card)."""
    found = []
    for match in _CARD.finditer(text):
        candidate = match.group()
        if not _card_ok(candidate):
            candidate = _TRAILING_GROUP.sub("", candidate)
            if not _card_ok(candidate):
                continue
        found.append(Found("card", match.start(), match.start() + len(candidate)))
    return found


def _without_overlaps(found: list[Found]) -> list[Found]:
    """Keep earlier detectors' spans over later overlapping ones (the list is in priority order)."""
    kept: list[Found] = []
    for hit in found:
        if not _overlaps(hit, kept):
            kept.append(hit)
    return kept


@lru_cache(maxsize=65536)
def _phone_valid(candidate: str, regions: tuple[str, ...]) -> bool:
    """Whether a candidate string is one valid phone number in international or a national format."""
    digits = re.sub(r"\D", "", candidate)
    if len(digits) < _MIN_PHONE_DIGITS or _DATE_LIKE.match(candidate):
        return False
    stripped = candidate.strip()
    if stripped.startswith("00"):
        stripped = "+" + stripped[2:]
    if stripped.startswith("+"):
        return _parses_valid(stripped, None)
    return any(_parses_valid(stripped, region) for region in _regions_for(digits, regions))


def _parses_valid(text: str, region: str | None) -> bool:
    """Parse with phonenumbers and check the number against the region's numbering plan."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _regions_for(digits: str, regions: tuple[str, ...]) -> list[str]:
    """Regions whose national format could write these digits (a '0' trunk prefix is mandatory)."""
    return [r for r in regions if _national_prefix(r) != "0" or digits.startswith("0")]


@lru_cache(maxsize=256)
def _national_prefix(region: str) -> str:
    """The national dialling prefix of a region ('0' in most of Europe)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return (metadata.national_prefix or "") if metadata else ""


def _merge_overlapping(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping valid runs as one span: when digits could belong to either, redact them all."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(runs):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _phones_in(candidate: str, offset: int, regions: tuple[str, ...]) -> list[Found]:
    """Phone numbers in a digit-rich candidate; on failure, the valid run of its tokens with most digits."""
    offset += len(candidate) - len(candidate.lstrip())
    candidate = candidate.strip()
    if not candidate:
        return []
    if _phone_valid(candidate, regions):
        return [Found("phone", offset, offset + len(candidate))]
    tokens = [m.span() for m in re.finditer(r"\S+", candidate)][:_MAX_PHONE_TOKENS]
    runs = [
        (tokens[first][0], tokens[last][1])
        for first in range(len(tokens))
        for last in range(first, len(tokens))
    ]
    valid = [
        run
        for run in runs
        if run != (0, len(candidate)) and _phone_valid(candidate[run[0] : run[1]], regions)
    ]
    best = max(_merge_overlapping(valid), key=lambda run: _digits(candidate, *run), default=None)
    if best is None:
        return []
    start, end = best
    return [
        *_phones_in(candidate[:start], offset, regions),
        Found("phone", offset + start, offset + end),
        *_phones_in(candidate[end:], offset + end, regions),
    ]


def _digits(text: str, start: int, end: int) -> int:
    """How many digits text[start:end] holds."""
    return sum(char.isdigit() for char in text[start:end])


def _overlaps(span: Found, taken: Sequence[Found]) -> bool:
    """Whether a span overlaps any span already taken."""
    return any(span.start < other.end and other.start < span.end for other in taken)


def _name_trie_pattern(names: Iterable[str]) -> str:
    """A regex alternation shaped as a trie, so matching costs one branch per character."""
    trie: dict[str, dict] = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_to_regex(trie)


def _trie_to_regex(node: dict[str, dict]) -> str:
    """Render one trie node (an empty key marks the end of a name)."""
    ends = "" in node
    branches = [_char_regex(char) + _trie_to_regex(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def _char_regex(char: str) -> str:
    """One character of a name: any run of spaces matches a space."""
    return r"\s+" if char == " " else re.escape(char)


def _name_forms(known_names: Iterable[str], name_parts: bool) -> set[str]:
    """Lower-cased full names and handles (without '@') and, optionally, their parts."""
    forms: set[str] = set()
    for raw in known_names:
        name = " ".join(raw.strip().lstrip("@").split()).lower()
        if len(name) < 2:
            continue
        forms.add(name)
        if name_parts and " " in name:
            forms.update(part for part in name.split(" ") if len(part) >= 3 and part.isalpha())
    return forms


class IdentifierFinder:
    """Finds identifiers in text; built once per set of known names (the vault's people)."""

    def __init__(
        self,
        known_names: Sequence[str] = (),
        *,
        regions: Sequence[str] = DEFAULT_PHONE_REGIONS,
        name_parts: bool = True,
    ) -> None:
        self.regions = tuple(r.upper() for r in regions)
        forms = _name_forms(known_names, name_parts)
        self._names: re.Pattern[str] | None = None
        if forms:
            trie = _name_trie_pattern(sorted(forms))
            self._names = re.compile(rf"(?<![\w@])@?{trie}(?!\w)", re.IGNORECASE)

    def find(self, text: str) -> list[Found]:
        """All identifiers in `text`, sorted by position and never overlapping."""
        if not text:
            return []
        found = _structured_hits(text)
        if _DIGIT_RUN.search(text):
            found.extend(self._phones(text, found))
        if self._names is not None:
            found.extend(self._known_names(text, found))
        return sorted(found, key=lambda f: f.start)

    def _phones(self, text: str, taken: Sequence[Found]) -> list[Found]:
        """Phone numbers outside the spans already found."""
        phones: list[Found] = []
        for match in _PHONE_CANDIDATE.finditer(text):
            span = Found("phone", *match.span())
            if _overlaps(span, taken):
                continue
            phones.extend(_phones_in(match.group(), match.start(), self.regions))
        return phones

    def _known_names(self, text: str, taken: Sequence[Found]) -> list[Found]:
        """Known names and handles outside the spans already found."""
        assert self._names is not None
        hits = (Found("name", *m.span()) for m in self._names.finditer(text) if m.end() > m.start())
        return [hit for hit in hits if not _overlaps(hit, taken)]


def find_identifiers(text: str, known_names: Sequence[str] = ()) -> list[Found]:
    """All identifiers in `text` (see IdentifierFinder; reuse one finder for many texts)."""
    return _cached_finder(tuple(known_names)).find(text)


@lru_cache(maxsize=8)
def _cached_finder(known_names: tuple[str, ...]) -> IdentifierFinder:
    """A finder per distinct name list, so repeated calls do not recompile."""
    return IdentifierFinder(known_names)
