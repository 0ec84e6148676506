"""Build a SourceFile for a path on disk, as `importers.discover` would, for importer tests."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from vault.records import SourceFile

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
LOCAL_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def source_for(path: Path) -> SourceFile:
    """A SourceFile reading `path`, opening siblings from the same folder."""

    def sibling(rel: str) -> IO[bytes] | None:
        candidate = path.parent / rel
        return candidate.open("rb") if candidate.is_file() else None

    return SourceFile(
        name=path.name,
        path=path.name,
        size=path.stat().st_size,
        open=lambda: path.open("rb"),
        sibling=sibling,
    )
