"""Writing a share: the CSV or Parquet slice, its manifest, and the contribution in the ledger.

The slice and the manifest are written through private temporary files in the target folder and
renamed into place (mode 0600); the ledger entry is committed only after both exist, and a failure
removes them, so an export either fully happens or leaves nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from vault import __version__
from vault.anonymize import OPERATORS, op_params
from vault.errors import UsageError
from vault.fsutil import atomic_write
from vault.output import defused
from vault.reveal.linkage import fingerprints
from vault.share import SharePreview, now_ms
from vault.store import Store

FORMATS = ("csv", "parquet")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    manifest_path: Path
    rows: int
    columns: int
    sha256: str
    contribution_id: int


def manifest_path_for(out: Path) -> Path:
    """`slice.csv` -> `slice.manifest.json` (CONTRACTS.md)."""
    return (
        out.with_name(out.stem + ".manifest.json")
        if out.suffix
        else out.with_name(out.name + ".manifest.json")
    )


def write_export(store: Store, share: SharePreview, out: Path, fmt: str = "csv") -> ExportResult:
    """Write the slice and manifest, then record the contribution; all or nothing."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose from: {', '.join(FORMATS)})")
    if not out.parent.is_dir():
        raise UsageError(f"the folder {out.parent} does not exist")
    data = slice_bytes(share.after, fmt)
    digest = hashlib.sha256(data).hexdigest()
    manifest = build_manifest(share, out, fmt, digest)
    manifest_file = manifest_path_for(out)
    written: list[Path] = []
    try:
        atomic_write(out, data)
        written.append(out)
        atomic_write(manifest_file, json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n")
        written.append(manifest_file)
        contribution_id = record_contribution(store, share, out, fmt, digest)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return ExportResult(
        out, manifest_file, share.after.num_rows, share.after.num_columns, digest, contribution_id
    )


def slice_bytes(table: pa.Table, fmt: str) -> bytes:
    if fmt == "parquet":
        sink = io.BytesIO()
        pq.write_table(table, sink, compression="zstd")
        return sink.getvalue()
    return csv_bytes(table)


def csv_bytes(table: pa.Table) -> bytes:
    """RFC 4180 CSV, UTF-8, header row; text that a spreadsheet would run as a formula is defused."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.column_names)
    writer.writerows(_csv_rows(table))
    return buffer.getvalue().encode("utf-8")


def _csv_rows(table: pa.Table) -> Iterator[list[str]]:
    formatters = [_formatter(field.type) for field in table.schema]
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    for row in zip(*columns, strict=True):
        yield [fmt(value) for fmt, value in zip(formatters, row, strict=True)]


def _formatter(kind: pa.DataType) -> Any:
    if pa.types.is_timestamp(kind):
        return _timestamp_cell
    if pa.types.is_floating(kind):
        return _float_cell
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind):
        return lambda v: "" if v is None else str(int(v))
    return _text_cell


def _timestamp_cell(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def _float_cell(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(float(value))


def _text_cell(value: Any) -> str:
    if value is None:
        return ""
    return defused(value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False))


def build_manifest(share: SharePreview, out: Path, fmt: str, digest: str) -> dict[str, Any]:
    """What travels with the slice: the data dictionary and operators, never reveal's before-values."""
    policy = share.policy
    ops_by_column: dict[str, list[str]] = {}
    for op in policy.column_ops:
        ops_by_column.setdefault(op.column, []).append(op.op)
    return {
        "format": "coffer-share-manifest",
        "version": 1,
        "file": out.name,
        "file_format": fmt,
        "file_sha256": digest,
        "created_by": f"coffer {__version__}",
        "policy": {"name": policy.name, "sha256": policy.sha256, "recipient": policy.recipient},
        "rows": share.after.num_rows,
        "columns": share.after.num_columns,
        "operators": sorted({op.op for op in policy.column_ops}),
        "operator_versions": {op.op: f"coffer {__version__}" for op in policy.column_ops},
        "data_dictionary": [
            {
                "column": f.name,
                "type": str(f.type),
                "source_column": _source_of(f.name, policy),
                "operators": ops_by_column.get(_source_of(f.name, policy) or f.name, []),
            }
            for f in share.after.schema
        ],
    }


def _source_of(column: str, policy: Any) -> str | None:
    if column in policy.columns:
        return column
    for op in policy.column_ops:
        produces = OPERATORS[op.op].produces
        if produces and column in produces(op.column, op_params(op, policy)):
            return str(op.column)
    return None


def record_contribution(store: Store, share: SharePreview, out: Path, fmt: str, digest: str) -> int:
    policy = share.policy
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO contributions(created_at, recipient, policy_name, policy_toml, policy_sha256, "
            "file_name, format, rows, columns, sha256, worst_severity, report, fingerprints) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                now_ms(),
                policy.recipient,
                policy.name,
                policy.source_text,
                policy.sha256,
                str(out),
                fmt,
                share.after.num_rows,
                share.after.num_columns,
                digest,
                share.report.worst_severity.value,
                json.dumps(share.report.to_json()),
                json.dumps(fingerprints(share.after)),
            ),
        )
        return int(cursor.lastrowid)
