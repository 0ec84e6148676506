"""`coffer imports`, `coffer forget-import`, and the import report and progress bar."""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING, Any

import click

from vault.commands.common import global_options, info, open_vault

if TYPE_CHECKING:  # the pipeline (numpy, pyarrow) loads only when a command needs it
    from vault.ingest import FileResult, ImportReport

STATUS_WORDS = {
    "imported": "imported",
    "already": "already in the vault",
    "skipped": "skipped (known, nothing to import)",
    "unrecognised": "not recognised",
    "refused": "refused (unsafe archive member)",
    "failed": "FAILED (nothing kept from it)",
}


def report_lines(report: ImportReport) -> list[str]:
    """The "accounted for" table: every file, what happened to it, and rows added or skipped."""
    lines = ["Accounted for:"]
    for f in report.files:
        lines.append(f"  {STATUS_WORDS[f.status]:<22} {f.name}")
        if f.added:
            added = ", ".join(f"{n:,} {table}" for table, n in sorted(f.added.items()))
            lines.append(f"      added {added}" + (f" (import {f.import_id})" if f.import_id else ""))
        elif f.status == "imported":
            lines.append(f"      nothing new ({f.seen:,} records already in the vault)")
        if f.invalid:
            reasons = "; ".join(f"{n} {reason}" for reason, n in f.invalid_reasons.most_common(3))
            lines.append(f"      skipped {f.invalid:,} invalid rows: {reasons}")
        if f.withheld:
            lines.append(f"      left out {f.withheld:,} records of people you forgot (coffer forget-person)")
        if f.unrecognized:
            lines.append(f"      fields not recognised: {', '.join(f.unrecognized[:8])}")
        if f.reason and f.status not in ("imported",):
            lines.append(f"      {f.reason}")
    counts: dict[str, int] = {}
    for f in report.files:
        counts[f.status] = counts.get(f.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    lines.append(f"{len(report.files)} files: {summary}; {report.added_total:,} records added.")
    return lines


class BarProgress:
    """A rich progress bar on a terminal; one line per file otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.bar: Any = None
        self.task: Any = None
        if self.tty:
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                transient=True,
            )
            self.bar.start()

    def file_started(self, name: str, size: int) -> None:
        if self.bar is not None:
            self.task = self.bar.add_task(_short(name), total=size or None)
        self.started = time.monotonic()

    def advanced(self, done_bytes: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=done_bytes)

    def file_finished(self, result: FileResult) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.remove_task(self.task)
            self.task = None
        if not self.tty and result.status in ("imported", "failed"):
            info(f"{result.status}: {result.name} ({result.added_total:,} added)")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _short(name: str, width: int = 48) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1) :]


@click.command("imports")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@global_options
@click.pass_context
def list_imports(ctx: click.Context, as_json: bool) -> None:
    """List every file imported into the vault."""
    with open_vault(ctx) as vault:
        rows = vault.store.rows(
            "SELECT id, platform, importer, file_name, started_at, counts, invalid, tz FROM imports "
            "WHERE status = 'ok' ORDER BY id"
        )
    entries = [
        {
            "id": r[0],
            "platform": r[1],
            "importer": r[2],
            "file_name": r[3],
            "imported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r[4] / 1000)),
            "counts": json.loads(r[5] or "{}"),
            "invalid": r[6],
            "tz": r[7],
        }
        for r in rows
    ]
    if as_json:
        click.echo(json.dumps(entries, indent=2))
        return
    if not entries:
        info("No imports yet: `coffer import PATH...` imports export files, folders or zips.")
        return
    click.echo(f"{'ID':>4}  {'IMPORTED':<20}  {'IMPORTER':<22}  {'RECORDS':>9}  FILE")
    for e in entries:
        total = sum(e["counts"].values())
        click.echo(
            f"{e['id']:>4}  {e['imported_at']:<20}  {e['importer']:<22}  {total:>9,}  {e['file_name']}"
        )


@click.command("forget-import")
@click.argument("import_id", type=int)
@global_options
@click.pass_context
def forget_import_command(ctx: click.Context, import_id: int) -> None:
    """Delete an import and every record that no other import also brought."""
    from vault.forget import forget_import

    with open_vault(ctx) as vault:
        deleted = forget_import(vault.store, import_id)
    detail = ", ".join(f"{n:,} {table}" for table, n in sorted(deleted.items())) or "no records"
    click.echo(f"Forgot import {import_id}: deleted {detail}.")


COMMANDS = [list_imports, forget_import_command]
