"""Hardened XML reading for GPX and KML: defusedxml refuses entity tricks before anything else."""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from vault.records import MalformedExport

_ROOT = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:\w+:)?(\w+)", re.S)


def root_name(head: bytes) -> str | None:
    """The local name of the document's root element, read cheaply from the head."""
    match = _ROOT.match(head[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def checked_text(data: bytes, what: str) -> str:
    """The document as text once defusedxml has parsed it; unsafe or broken XML raises."""
    try:
        fromstring(data)
    except DefusedXmlException:
        raise MalformedExport(f"{what} uses XML entities or a DTD, refused for safety") from None
    except ParseError:
        raise MalformedExport(f"{what} is not well-formed XML (truncated?)") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MalformedExport(f"{what} is not UTF-8 XML") from None
