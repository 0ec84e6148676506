"""`coffer query`, `coffer tables`, `coffer schema` and `coffer search`: the headless query mode.

Data goes to stdout (or atomically to --out), diagnostics to stderr. The engine is imported only
when one of these commands runs, so other commands start without DuckDB.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pyarrow as pa

from vault.commands.common import global_options, info, open_vault
from vault.errors import UsageError, VaultBusy
from vault.output import FORMATS, TABLE_MAX_ROWS, choose_format, write, write_file


def format_options(func: Any) -> Any:
    """--format and --out, shared by every command that prints rows."""
    func = click.option(
        "--out",
        type=click.Path(path_type=Path, dir_okay=False, writable=True),
        help="Write the result to this file (atomically, mode 0600) instead of stdout.",
    )(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        help="Output format (default: table on a terminal, csv when piped, or by --out's suffix).",
    )(func)


@contextlib.contextmanager
def opened_engine(ctx: click.Context) -> Iterator[Any]:
    """The vault unlocked and its engine, both closed afterwards."""
    from vault.engine import Engine

    with open_vault(ctx) as vault:
        engine = Engine(vault.store)
        try:
            yield engine
        finally:
            engine.close()


def emit(result: pa.Table, fmt: str | None, out: Path | None) -> None:
    """Print or save a result in the chosen format."""
    chosen = choose_format(fmt, out, sys.stdout.isatty())
    if out is not None:
        write_file(result, chosen, out)
        info(f"{result.num_rows:,} rows written to {out}")
        return
    if chosen == "table" and result.num_rows > TABLE_MAX_ROWS:
        info(
            f"showing the first {TABLE_MAX_ROWS:,} of {result.num_rows:,} rows (use --limit or --format csv)"
        )
    try:
        write(result, chosen, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        _reader_went_away()


def _reader_went_away() -> None:
    """`coffer query ... | head` is not an error (click would turn the broken pipe into exit 1)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def read_statement(sql: str | None, sql_file: Path | None) -> str:
    """The SQL from the argument, stdin (`-`) or --file; exactly one of them."""
    if (sql is None) == (sql_file is None):
        raise UsageError("give the SQL as an argument, `-` to read it from stdin, or --file FILE")
    if sql_file is not None:
        try:
            return sql_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {sql_file}: {getattr(exc, 'strerror', None) or exc}") from None
    return sys.stdin.read() if sql == "-" else str(sql)


@click.command("query")
@click.argument("sql", required=False)
@click.option(
    "--file", "sql_file", type=click.Path(path_type=Path, dir_okay=False), help="Read the SQL from a file."
)
@format_options
@click.option("--limit", type=click.IntRange(min=0), help="Return at most N rows.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Stop after N seconds (0: never).",
)
@global_options
@click.pass_context
def query_command(
    ctx: click.Context,
    sql: str | None,
    sql_file: Path | None,
    fmt: str | None,
    out: Path | None,
    limit: int | None,
    timeout: float,
) -> None:
    """Run a read-only SQL query (DuckDB dialect) over the vault; `coffer tables` lists the tables."""
    from vault.engine import QueryError, record_history

    statement = read_statement(sql, sql_file)
    with opened_engine(ctx) as engine:
        started = time.perf_counter()
        try:
            result = engine.query(statement, limit=limit, timeout_s=timeout or None)
        except QueryError as exc:
            _remember(record_history, engine, statement, started, None, str(exc))
            raise
        _remember(record_history, engine, statement, started, result.num_rows, None)
    emit(result, fmt, out)


def _remember(
    record: Any, engine: Any, sql: str, started: float, rows: int | None, error: str | None
) -> None:
    """Keep the statement in the vault's history; a busy vault is no reason to fail the query."""
    with contextlib.suppress(VaultBusy):
        record(engine.store, sql, int((time.perf_counter() - started) * 1000), rows, error)


@click.command("tables")
@format_options
@global_options
@click.pass_context
def tables_command(ctx: click.Context, fmt: str | None, out: Path | None) -> None:
    """List the tables and views you can query, with their row counts."""
    with opened_engine(ctx) as engine:
        infos = engine.tables()
    emit(
        pa.table(
            {
                "name": [t.name for t in infos],
                "rows": pa.array([t.rows for t in infos], pa.int64()),
                "description": [t.description for t in infos],
            }
        ),
        fmt,
        out,
    )


@click.command("schema")
@click.argument("table", required=False)
@format_options
@global_options
@click.pass_context
def schema_command(ctx: click.Context, table: str | None, fmt: str | None, out: Path | None) -> None:
    """Show the columns of a table (or of every table): name, type and what it holds."""
    from vault.catalog import NAMES

    if table is not None and table not in NAMES:
        raise UsageError(f"no table or view named {table!r} (choose from: {', '.join(NAMES)})")
    names = [table] if table else list(NAMES)
    rows: dict[str, list[str]] = {"table": [], "column": [], "type": [], "description": []}
    with opened_engine(ctx) as engine:
        for name in names:
            for column in engine.columns(name):
                for key, value in zip(
                    rows, (name, column.name, column.type, column.description), strict=True
                ):
                    rows[key].append(value)
    result = pa.table(rows)
    emit(result.drop_columns(["table"]) if table else result, fmt, out)


@click.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Return at most N hits."
)
@format_options
@global_options
@click.pass_context
def search_command(
    ctx: click.Context, words: tuple[str, ...], limit: int, fmt: str | None, out: Path | None
) -> None:
    """Find messages and posts containing every word (`word*` matches a prefix); also in SQL: search_hits('...')."""
    from vault.search import fts_query

    text = " ".join(words)
    fts_query(text)
    with opened_engine(ctx) as engine:
        hits = engine.search(text, limit)
    if not hits.num_rows:
        info(f"no messages or posts contain {text!r}")
    emit(hits, fmt, out)


COMMANDS = [query_command, tables_command, schema_command, search_command]
