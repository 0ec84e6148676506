"""A vCard address book: Google-style 3.0 cards and Android 2.1 quoted-printable ones."""

from __future__ import annotations

import quopri
from collections.abc import Sequence

from vault.demo.persona import phone_formats
from vault.demo.truth import Contact


def _qp(text: str) -> str:
    """Quoted-printable UTF-8 as Android's vCard 2.1 writes it."""
    return quopri.encodestring(text.encode("utf-8"), quotetabs=True).decode("ascii").replace("=\n", "=\r\n")


def vcard_file(contacts: Sequence[Contact], quoted: set[int]) -> str:
    """A Google-style vCard 3.0 book with a few Android 2.1 quoted-printable cards; CRLF."""
    cards = []
    for i, c in enumerate(contacts):
        first, _, last = c.name.partition(" ")
        national = phone_formats(c.phone)["international"]
        if i in quoted:
            lines = [
                "BEGIN:VCARD",
                "VERSION:2.1",
                f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(last)};{_qp(first)};;;",
                f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(c.name)}",
                f"TEL;CELL;PREF:{national}",
                f"EMAIL;HOME:{c.email}",
                "CATEGORIES:My Contacts",
                "END:VCARD",
            ]
        else:
            lines = [
                "BEGIN:VCARD",
                "VERSION:3.0",
                f"FN:{c.name}",
                f"N:{last};{first};;;",
                f"EMAIL;TYPE=INTERNET;TYPE=HOME:{c.email}",
                f"TEL;TYPE=CELL:{national}",
                "CATEGORIES:myContacts",
                "END:VCARD",
            ]
        cards.append("\r\n".join(lines))
    return "\r\n".join(cards) + "\r\n"
