"""The importer registry: find every importer module and the importer for each file of an export."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import cast

from importers._archive import HEAD_BYTES, Entry, walk
from vault.records import Detection, Discovered, Importer

_REQUIRED = ("NAME", "PLATFORM", "VERSION", "detect", "parse")

__all__ = ["HEAD_BYTES", "discover", "installed_importers"]


@cache
def _load() -> tuple[Importer, ...]:
    found: list[Importer] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if all(hasattr(module, attr) for attr in _REQUIRED):
            found.append(cast(Importer, module))
    return tuple(sorted(found, key=lambda m: m.NAME))


def installed_importers() -> list[Importer]:
    """Every importer module in this package, sorted by NAME."""
    return list(_load())


def discover(paths: Iterable[Path | str]) -> Iterator[Discovered]:
    """Yield every file under `paths` (folders and zips included) with the importer that claims it."""
    importers = _load()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {path}")
        for entry in walk(path):
            yield _classify(entry, importers)


def _classify(entry: Entry, importers: tuple[Importer, ...]) -> Discovered:
    if entry.refused is not None:
        return Discovered(entry.source, None, skip_reason=entry.refused, refused=True)
    if entry.skip is not None:
        return Discovered(entry.source, None, skip_reason=entry.skip)
    best: tuple[Importer, Detection] | None = None
    skip: str | None = None
    for importer in importers:
        verdict = importer.detect(entry.source, entry.head)
        if verdict is None:
            continue
        if verdict.skip_reason is not None:
            skip = skip or verdict.skip_reason
        elif best is None or verdict.score > best[1].score:
            best = (importer, verdict)
    if best is not None:
        return Discovered(entry.source, best[0])
    return Discovered(entry.source, None, skip_reason=skip or "not recognised")
