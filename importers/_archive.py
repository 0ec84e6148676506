"""Walk files, folders and zip archives (nested too), in memory, with limits against zip bombs."""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from vault.records import SourceFile

HEAD_BYTES = 64 * 1024
MAX_RATIO = 200
MAX_TOTAL_BYTES = 8 * 1024**3
MAX_NESTED_BYTES = 1024**3  # a zip inside a zip is held in memory
MAX_DEPTH = 4
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class Entry:
    """One file found: its source, its first bytes, and why it is refused or skipped, if it is."""

    source: SourceFile
    head: bytes = b""
    refused: str | None = None
    skip: str | None = None


def walk(path: Path) -> Iterator[Entry]:
    """Every file under `path`: a file, a folder (recursively, sorted, hidden skipped) or a zip."""
    if path.is_dir():
        for file in _folder_files(path):
            yield from _disk_file(file, path.parent, file.relative_to(path).as_posix())
    else:
        yield from _disk_file(path, path.parent, path.name)


def _folder_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _disk_file(file: Path, base: Path, inner: str) -> Iterator[Entry]:
    name = file.relative_to(base).as_posix() if file.is_relative_to(base) else str(file)
    with file.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(_ZIP_MAGIC):
        zipped = _Zip(lambda: zipfile.ZipFile(file), lambda: file.open("rb"), name, file.stat().st_size)
        yield from _zip(zipped, head, 0)
        return
    source = SourceFile(
        name=name,
        path=inner,
        size=file.stat().st_size,
        open=lambda: file.open("rb"),
        sibling=lambda rel: _disk_sibling(file, rel),
    )
    yield Entry(source, head)


def _disk_sibling(file: Path, rel: str) -> IO[bytes] | None:
    candidate = file.parent / rel
    return candidate.open("rb") if candidate.is_file() else None


@dataclass(frozen=True)
class _Zip:
    """A zip archive on disk or in memory: how to open it, and its raw bytes, fresh each time."""

    archive: Callable[[], zipfile.ZipFile]
    raw: Callable[[], IO[bytes]]
    name: str
    size: int

    def as_source(self) -> SourceFile:
        return SourceFile(self.name, self.name, self.size, self.raw, lambda rel: None)


def _zip(zipped: _Zip, head: bytes, depth: int) -> Iterator[Entry]:
    try:
        with zipped.archive() as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Entry(zipped.as_source(), head, skip=f"damaged zip archive ({exc})")
        return
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        reason = f"archive expands to {total / 1024**3:.1f} GiB, above the 8 GiB limit"
        yield Entry(zipped.as_source(), head, refused=reason)
        return
    members = sorted((i for i in infos if not i.is_dir()), key=lambda i: i.filename)
    for info in members:
        if not _hidden(info.filename):
            yield from _member(zipped, info, depth)


def _hidden(member: str) -> bool:
    parts = member.split("/")
    return parts[0] == "__MACOSX" or parts[-1].startswith(".")


def _unsafe(info: zipfile.ZipInfo) -> str | None:
    member = info.filename.replace("\\", "/")
    if member.startswith("/") or (len(member) > 1 and member[1] == ":"):
        return "absolute path in archive"
    if ".." in member.split("/"):
        return "path leaves the archive (..)"
    if info.flag_bits & 0x1:
        return "encrypted archive member"
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        ratio = info.file_size / info.compress_size
        return f"compression ratio {ratio:.0f} above {MAX_RATIO} (zip bomb?)"
    if not info.compress_size and info.file_size:
        return "compression ratio unbounded (zip bomb?)"
    return None


def _member(zipped: _Zip, info: zipfile.ZipInfo, depth: int) -> Iterator[Entry]:
    name = f"{zipped.name}/{info.filename}"

    def open_member() -> IO[bytes]:
        return _open_member(zipped, info.filename)

    refused = _unsafe(info)
    source = SourceFile(
        name=name,
        path=info.filename,
        size=info.file_size,
        open=open_member,
        sibling=lambda rel: _zip_sibling(zipped, info.filename, rel),
    )
    if refused is not None:
        yield Entry(source, refused=refused)
        return
    try:
        with open_member() as stream:
            head = stream.read(HEAD_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        yield Entry(source, skip=f"unreadable archive member ({exc})")
        return
    if head.startswith(_ZIP_MAGIC):
        yield from _nested(source, head, depth)
        return
    yield Entry(source, head)


def _nested(source: SourceFile, head: bytes, depth: int) -> Iterator[Entry]:
    if depth + 1 >= MAX_DEPTH:
        yield Entry(source, head, refused="zip archives nested too deeply")
        return
    if source.size > MAX_NESTED_BYTES:
        yield Entry(source, head, refused="zip inside a zip larger than 1 GiB")
        return
    with source.open() as stream:
        data = stream.read()
    inner = _Zip(lambda: zipfile.ZipFile(io.BytesIO(data)), lambda: io.BytesIO(data), source.name, len(data))
    yield from _zip(inner, head, depth + 1)


def _open_member(zipped: _Zip, member: str) -> IO[bytes]:
    # A fresh ZipFile per open keeps concurrent readers apart; the member stream keeps the
    # underlying file open after the ZipFile object is closed.
    archive = zipped.archive()
    try:
        return archive.open(member)
    finally:
        archive.close()


def _zip_sibling(zipped: _Zip, member: str, rel: str) -> IO[bytes] | None:
    target = posixpath.normpath(posixpath.join(posixpath.dirname(member), rel))
    with zipped.archive() as archive:
        try:
            info = archive.getinfo(target)
        except KeyError:
            return None
    return None if _unsafe(info) else _open_member(zipped, target)
