"""The import pipeline: discovered files -> records -> the store, one transaction per file.

`run(store, importers.discover(paths), progress)` is the one way both faces import. A file whose
content was imported before is recognised by its SHA-256 and skipped (a file is hashed before
parsing only when an earlier import has its size; otherwise it is hashed as the parser reads it); it
is parsed and written in batches on the calling thread (see `_batches` for why not on two). Any
failure rolls back that file alone; the rest of the run goes on.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any, Protocol

from vault.errors import CofferError
from vault.records import (
    Discovered,
    ImportOptions,
    LocationBatch,
    MalformedExport,
    MessageBatch,
    Record,
    SourceFile,
)
from vault.store import Store
from vault.writer import RecordWriter

log = logging.getLogger("coffer.ingest")

BATCH_RECORDS = 20_000
_COLUMNAR = (LocationBatch, MessageBatch)
PROGRESS_EVERY_BYTES = 1 << 20


@dataclass
class FileResult:
    """What happened to one file: imported, already, skipped, unrecognised, refused or failed."""

    name: str
    status: str
    importer: str | None = None
    platform: str | None = None
    import_id: int | None = None
    added: dict[str, int] = field(default_factory=dict)
    seen: int = 0
    invalid: int = 0
    invalid_reasons: Counter[str] = field(default_factory=Counter)
    withheld: int = 0  # records of people the user forgot, left out
    unrecognized: list[str] = field(default_factory=list)
    reason: str | None = None
    seconds: float = 0.0

    @property
    def added_total(self) -> int:
        return sum(self.added.values())


@dataclass
class ImportReport:
    """Every file of a run, accounted for."""

    files: list[FileResult] = field(default_factory=list)

    def by_status(self, status: str) -> list[FileResult]:
        return [f for f in self.files if f.status == status]

    @property
    def added_total(self) -> int:
        return sum(f.added_total for f in self.files)


class Progress(Protocol):
    """What the CLI's progress bar and the TUI's import screen implement."""

    def file_started(self, name: str, size: int) -> None: ...

    def advanced(self, done_bytes: int) -> None: ...

    def file_finished(self, result: FileResult) -> None: ...


class NoProgress:
    def file_started(self, name: str, size: int) -> None:
        pass

    def advanced(self, done_bytes: int) -> None:
        pass

    def file_finished(self, result: FileResult) -> None:
        pass


def run(
    store: Store,
    discovered: Iterable[Discovered],
    progress: Progress | None = None,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import every discovered file; returns the accounting of each."""
    progress = progress or NoProgress()
    options = options or ImportOptions()
    report = ImportReport()
    for item in discovered:
        result = _skipped(item) if item.importer is None else _import(store, item, options, progress)
        report.files.append(result)
        progress.file_finished(result)
    return report


def _skipped(item: Discovered) -> FileResult:
    if item.refused:
        status = "refused"
    elif item.skip_reason and item.skip_reason != "not recognised":
        status = "skipped"
    else:
        status = "unrecognised"
    return FileResult(item.source.name, status, reason=item.skip_reason or "not recognised")


def _import(store: Store, item: Discovered, options: ImportOptions, progress: Progress) -> FileResult:
    importer = item.importer
    assert importer is not None
    result = FileResult(item.source.name, "imported", importer.NAME, importer.PLATFORM)
    if item.skip_reason:
        result.status, result.reason = "skipped", item.skip_reason
        return result
    progress.file_started(item.source.name, item.source.size)
    started = time.monotonic()
    try:
        sha256 = _sha256(item.source) if _same_size_imported(store, importer.NAME, item.source.size) else None
        previous = sha256 and store.scalar(
            "SELECT id FROM imports WHERE sha256 = ? AND importer = ? AND status = 'ok' ORDER BY id LIMIT 1",
            (sha256, importer.NAME),
        )
        if previous:
            result.status, result.import_id = "already", int(previous)
            result.reason = f"already imported (import {previous}): nothing new"
            return result
        with store.transaction() as conn:
            writer = RecordWriter(conn, importer.PLATFORM, options, item.source.name)
            writer.begin(importer.NAME, importer.VERSION, item.source.size, options.tz.key)
            reading = _Reading(item.source, progress, hashing=sha256 is None)
            with _collector_paused():
                for batch in _batches(importer.parse(replace(item.source, open=reading.open), options)):
                    writer.write(batch)
            writer.finish(sha256 or reading.sha256())
            if writer.added_total:
                store.bump_generation()
    except MalformedExport as exc:
        return _failed(result, str(exc))
    except CofferError:
        raise
    except Exception as exc:  # a parser that trips on an unexpected file: report it, go on
        log.debug("import of %s failed", item.source.name, exc_info=True)
        return _failed(result, f"could not be read ({type(exc).__name__}); nothing was kept from it")
    _fill(result, writer, time.monotonic() - started)
    return result


def _same_size_imported(store: Store, importer: str, size: int) -> bool:
    """Whether an earlier import could be this very file (only then is it hashed before parsing)."""
    found = store.scalar(
        "SELECT 1 FROM imports WHERE importer = ? AND size = ? AND status = 'ok' LIMIT 1", (importer, size)
    )
    return found is not None


def _sha256(source: SourceFile) -> str:
    digest = hashlib.sha256()
    with source.open() as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _failed(result: FileResult, reason: str) -> FileResult:
    result.status, result.reason = "failed", reason
    return result


def _fill(result: FileResult, writer: RecordWriter, seconds: float) -> None:
    result.import_id = writer.import_id
    result.added = {k: v for k, v in writer.added.items() if v}
    result.seen = writer.seen
    result.invalid = writer.invalid
    result.invalid_reasons = writer.invalid_reasons
    result.withheld = writer.withheld
    result.unrecognized = sorted(writer.unrecognized)
    result.seconds = seconds


def _batches(records: Iterator[Record]) -> Iterator[list[Record]]:
    """Records in batches of about BATCH_RECORDS (a LocationBatch or MessageBatch counts its rows).

    Parsing stays on this thread. A producer thread was tried: the driver releases the GIL for
    every row it steps, and a parser thread holding the GIL then makes each row wait out the
    interpreter's switch interval; measured, the import ran no faster with it and often slower.
    """
    batch: list[Record] = []
    size = 0
    for record in records:
        batch.append(record)
        size += len(record.ts_ms) if isinstance(record, _COLUMNAR) else 1
        if size >= BATCH_RECORDS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one file's import.

    An import creates hundreds of thousands of records and rows, almost none of them in
    reference cycles; the collector would walk them again and again (about an eighth of a chat
    import's time, benchmarks/bench_import.py). Reference counting frees them as before; any
    cycle waits for the collector's next run, after the file.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Reading:
    """`source.open` for the parser: reports progress and hashes the bytes as the parser reads them."""

    def __init__(self, source: SourceFile, progress: Progress, *, hashing: bool) -> None:
        self.source = source
        self.progress = progress
        self.hashing = hashing
        self.opened = 0
        self.digest = hashlib.sha256()
        self.complete = False

    def open(self) -> IO[bytes]:
        self.opened += 1
        first = self.hashing and self.opened == 1
        raw = _CountingRaw(self.source.open(), self.progress.advanced, self if first else None)
        return io.BufferedReader(raw, buffer_size=1 << 20)

    def sha256(self) -> str:
        """The file's SHA-256, from the bytes the parser read when it read the file once to its end."""
        if self.hashing and self.opened == 1 and self.complete:
            return self.digest.hexdigest()
        return _sha256(self.source)  # read twice, or not to the end: hash it whole


class _CountingRaw(io.RawIOBase):
    def __init__(
        self, inner: IO[bytes], on_progress: Callable[[int], None], reading: _Reading | None
    ) -> None:
        self.inner = inner
        self.on_progress = on_progress
        self.reading = reading
        self.done = 0
        self.reported = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        if self.reading is not None:
            self.reading.digest.update(data)
            self.reading.complete = self.reading.complete or count == 0
        self.done += count
        if self.done - self.reported >= PROGRESS_EVERY_BYTES or count == 0:
            self.reported = self.done
            self.on_progress(self.done)
        return count

    def close(self) -> None:
        self.inner.close()
        super().close()


def summary_json(report: ImportReport) -> str:
    """The accounting as JSON (for scripts: `coffer import --json`)."""
    return json.dumps(
        [
            {
                "file": f.name,
                "status": f.status,
                "importer": f.importer,
                "import_id": f.import_id,
                "added": f.added,
                "seen": f.seen,
                "invalid": f.invalid,
                "invalid_reasons": dict(f.invalid_reasons),
                "withheld": f.withheld,
                "unrecognized": f.unrecognized,
                "reason": f.reason,
            }
            for f in report.files
        ],
        indent=2,
    )
