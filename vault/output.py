"""Writing query results: table, CSV, JSON, JSON lines or Markdown, timestamps as ISO 8601 with Z.

The text never depends on the machine's zone: times are printed from their UTC value.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import decimal
import io
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from vault.fsutil import atomic_file

FORMATS = ("table", "csv", "json", "jsonl", "markdown")
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".md": "markdown"}
TABLE_MAX_ROWS = 1_000
BATCH_ROWS = 10_000
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection): text
# that someone else wrote, a chat message, could run a command on the machine that opens the file.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def choose_format(requested: str | None, out: Path | None, terminal: bool) -> str:
    """The format asked for; else by the --out file's suffix; else a table on a terminal, CSV piped."""
    if requested:
        return requested
    if out is not None:
        return SUFFIX_FORMATS.get(out.suffix.lower(), "csv")
    return "table" if terminal else "csv"


def iso_time(value: dt.datetime) -> str:
    """ISO 8601; aware times in UTC with Z, milliseconds or microseconds only when present."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond % 1000:
        text += f".{value.microsecond:06d}"
    elif value.microsecond:
        text += f".{value.microsecond // 1000:03d}"
    return text + ("Z" if value.tzinfo is not None else "")


def plain(value: Any) -> Any:
    """A JSON-ready value: times as ISO text, decimals and bytes as text, nested values kept."""
    if isinstance(value, dt.datetime):
        return iso_time(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def cell(value: Any) -> str:
    """A value as one text cell (CSV, table, Markdown): NULL is empty, nested values JSON."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def defused(text: str) -> str:
    """Text that a spreadsheet would run as a formula, made inert with a leading `'`."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def rows(table: pa.Table) -> Iterator[list[Any]]:
    """The table's rows as lists, converted batch by batch."""
    for batch in table.to_batches(BATCH_ROWS):
        columns = [column.to_pylist() for column in batch.columns]
        yield from (list(r) for r in zip(*columns, strict=True))


def write_csv(table: pa.Table, stream: IO[str]) -> None:
    """CSV as the values are, for scripts reading standard output."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in rows(table):
        writer.writerow([cell(v) for v in row])


def write_csv_file(table: pa.Table, stream: IO[str]) -> None:
    """CSV for a file, which a spreadsheet may open: text cells defused like a share's slice."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in rows(table):
        writer.writerow([defused(v) if isinstance(v, str) else cell(v) for v in row])


def write_jsonl(table: pa.Table, stream: IO[str]) -> None:
    names = table.column_names
    for row in rows(table):
        stream.write(json.dumps(dict(zip(names, map(plain, row), strict=True)), ensure_ascii=False) + "\n")


def write_json(table: pa.Table, stream: IO[str]) -> None:
    names = table.column_names
    stream.write("[")
    for index, row in enumerate(rows(table)):
        stream.write(",\n " if index else "\n ")
        stream.write(json.dumps(dict(zip(names, map(plain, row), strict=True)), ensure_ascii=False))
    stream.write("\n]\n" if table.num_rows else "]\n")


def write_markdown(table: pa.Table, stream: IO[str]) -> None:
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")

    stream.write("| " + " | ".join(escape(n) for n in table.column_names) + " |\n")
    stream.write("|" + "|".join("---" for _ in table.column_names) + "|\n")
    for row in rows(table):
        stream.write("| " + " | ".join(escape(cell(v)) for v in row) + " |\n")


def write_table(table: pa.Table, stream: IO[str]) -> None:
    """A boxed table for people (rich), at most TABLE_MAX_ROWS rows."""
    from rich.console import Console
    from rich.table import Table

    view = Table(show_edge=False, header_style="bold")
    for name, field in zip(table.column_names, table.schema, strict=True):
        numeric = pa.types.is_integer(field.type) or pa.types.is_floating(field.type)
        view.add_column(name, justify="right" if numeric else "left", overflow="fold")
    for row in rows(table.slice(0, TABLE_MAX_ROWS)):
        view.add_row(*("NULL" if v is None else cell(v) for v in row))
    Console(file=stream, soft_wrap=False).print(view)


WRITERS: dict[str, Callable[[pa.Table, IO[str]], None]] = {
    "table": write_table,
    "csv": write_csv,
    "json": write_json,
    "jsonl": write_jsonl,
    "markdown": write_markdown,
}


def write(table: pa.Table, fmt: str, stream: IO[str]) -> None:
    WRITERS[fmt](table, stream)


def write_file(table: pa.Table, fmt: str, path: Path) -> None:
    """Write the result to `path` atomically, mode 0600 (nothing is left behind on failure)."""
    with atomic_file(path, "wb") as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        (write_csv_file if fmt == "csv" else WRITERS[fmt])(table, text)
        text.flush()
        text.detach()
