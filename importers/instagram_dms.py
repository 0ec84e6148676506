"""Instagram direct messages: the same `message_N.json` shape as Messenger, from an Instagram export."""

from __future__ import annotations

from collections.abc import Iterator

from importers import messenger
from vault.records import Detection, ImportOptions, Record, SourceFile

NAME = "instagram_dms"
PLATFORM = "instagram"
VERSION = messenger.VERSION


def detect(source: SourceFile, head: bytes) -> Detection | None:
    """Claim Meta thread files that come from an Instagram export (outbidding `messenger`)."""
    claim = messenger.detect(source, head)
    if claim is None or messenger.platform(source) != PLATFORM:
        return None
    return Detection(score=claim.score + 10)


def parse(source: SourceFile, options: ImportOptions) -> Iterator[Record]:
    """Messenger's parser: the files differ only in where they come from."""
    return messenger.parse(source, options)
