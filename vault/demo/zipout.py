"""Zip archives written byte-identically for a seed: fixed timestamps, fixed order, streamed members."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

EXPORT_TIME = (2024, 2, 2, 9, 30, 0)


class DeterministicZip:
    """A zip whose members carry one fixed time and fixed permissions."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=5)

    def _info(self, name: str) -> zipfile.ZipInfo:
        """Member metadata that never depends on the clock or the umask."""
        info = zipfile.ZipInfo(name, EXPORT_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.create_system = 3
        return info

    def write_text(self, name: str, text: str) -> None:
        """Add a member from a string (UTF-8)."""
        self.zip.writestr(self._info(name), text.encode("utf-8"))

    def write_stream(self, name: str, chunks: Iterable[str]) -> None:
        """Add a member from text chunks without holding it whole in memory."""
        with self.zip.open(self._info(name), "w", force_zip64=True) as member:
            for chunk in chunks:
                member.write(chunk.encode("utf-8"))

    def __enter__(self) -> DeterministicZip:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.zip.close()
