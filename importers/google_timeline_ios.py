"""Google Maps on-device Timeline export from iOS (`location-history.json`, a top-level array)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from importers._location_common import head_text, stream_items
from importers._location_segments import segment
from vault.records import Detection, ImportOptions, Record, SourceFile

NAME = "google_timeline_ios"
PLATFORM = "google"
VERSION = "1"

_START = re.compile(rb'^\[\s*\{\s*"(?:endTime|startTime)"\s*:')
_SECTIONS = (b'"visit"', b'"activity"', b'"timelinePath"', b'"timelineMemory"')


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim a JSON array of segments with start/end times and a timeline section."""
    if _START.match(head_text(head)) and any(section in head for section in _SECTIONS):
        return Detection(10)
    return None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Every segment: visits, trips and paths (`timelineMemory` summaries hold no place)."""
    seen: set[str] = set()
    with source.open() as handle:
        for index, item in enumerate(stream_items(handle, "item", source.name)):
            yield from segment(item, f"[{index}]", options.tz, seen)
