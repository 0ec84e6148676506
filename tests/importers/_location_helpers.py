"""Shared helpers for the location importer tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.importers._source import FIXTURES, LOCAL_FIXTURES, source_for
from vault.records import ImportOptions, expanded

GOOGLE = FIXTURES / "google_location"
OWN = LOCAL_FIXTURES / "location"


def records(module: ModuleType, path: Path, options: ImportOptions | None = None) -> list[Any]:
    """Every record `module` parses from `path` (columnar batches as one Location per fix)."""
    return list(expanded(module.parse(source_for(path), options or ImportOptions())))


def kinds(items: list[Any]) -> dict[str, int]:
    """How many records of each type."""
    return dict(Counter(type(item).__name__ for item in items))


def of(items: list[Any], kind: type) -> list[Any]:
    """The records of one type, in order."""
    return [item for item in items if isinstance(item, kind)]


def detect(module: ModuleType, path: Path) -> Any:
    """`module.detect` on a file's head, as discover calls it."""
    return module.detect(source_for(path), path.read_bytes()[: 64 * 1024])
