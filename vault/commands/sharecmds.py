"""`coffer policy new|check|save|list`, `coffer reveal`, `coffer export` and `coffer contributions`."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vault.commands.common import global_options, info, open_vault
from vault.errors import UsageError

if TYPE_CHECKING:  # policies and operators load only when a share command runs
    from vault.policy import Policy
    from vault.session import Vault


@contextmanager
def vault_and_engine(ctx: click.Context) -> Iterator[tuple[Vault, Any]]:
    from vault.engine import Engine

    with open_vault(ctx) as vault:
        engine = Engine(vault.store)
        try:
            yield vault, engine
        finally:
            engine.close()


def checked_policy(path: Path, engine: Any) -> Policy:
    """Load a policy file and validate it against the columns of what it reads."""
    from vault.policy import load_policy
    from vault.share import dataset_columns

    text = _read_policy(path)
    policy = load_policy(text, source=path.name)
    return load_policy(text, source=path.name, available_columns=dataset_columns(engine, policy))


def _read_policy(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no policy file {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"cannot read the policy file {path}: {getattr(exc, 'strerror', None) or exc}"
        ) from None


@click.group()
def policy() -> None:
    """Write, check and keep share policies."""


@policy.command("new")
@click.argument("dataset")
@global_options
@click.pass_context
def policy_new(ctx: click.Context, dataset: str) -> None:
    """Print a commented starting policy for DATASET (a table or view) on stdout."""
    from vault.policy_template import render

    with vault_and_engine(ctx) as (_vault, engine):
        names = {t.name for t in engine.tables()}
        if dataset not in names:
            raise UsageError(f"unknown dataset {dataset!r} (choose from: {', '.join(sorted(names))})")
        columns = [(c.name, c.type) for c in engine.columns(dataset)]
    click.echo(render(dataset, columns), nl=False)


@policy.command("check")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@global_options
@click.pass_context
def policy_check(ctx: click.Context, file: Path) -> None:
    """Validate a policy against this vault: exit 0 when valid, 2 with the line when not."""
    with vault_and_engine(ctx) as (_vault, engine):
        checked = checked_policy(file, engine)
    click.echo(
        f"ok: {file} is a valid policy ({checked.name!r} for {checked.recipient!r}, "
        f"{len(checked.output_columns)} columns, {len(checked.column_ops)} operators)"
    )


@policy.command("save")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@global_options
@click.pass_context
def policy_save(ctx: click.Context, file: Path) -> None:
    """Keep a policy in the vault (the TUI's share screen lists it)."""
    with vault_and_engine(ctx) as (vault, engine):
        checked = checked_policy(file, engine)
        now = int(time.time() * 1000)
        with vault.store.transaction() as conn:
            conn.execute(
                "INSERT INTO policies(name, toml, created_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET toml = excluded.toml, updated_at = excluded.updated_at",
                (checked.name, checked.source_text, now, now),
            )
    click.echo(f"Saved policy {checked.name!r} in the vault.")


@policy.command("list")
@global_options
@click.pass_context
def policy_list(ctx: click.Context) -> None:
    """List the policies kept in the vault."""
    with open_vault(ctx) as vault:
        rows = vault.store.rows("SELECT name, updated_at FROM policies ORDER BY name")
    for name, updated in rows:
        click.echo(f"{name}\t{time.strftime('%Y-%m-%d', time.gmtime(updated / 1000))}")


@policy.command("show")
@click.argument("name")
@global_options
@click.pass_context
def policy_show(ctx: click.Context, name: str) -> None:
    """Print a policy kept in the vault as TOML (to edit it or pass it to `export`)."""
    with open_vault(ctx) as vault:
        toml = vault.store.scalar("SELECT toml FROM policies WHERE name = ?", (name,))
    if toml is None:
        raise UsageError(f"no policy named {name!r} in the vault (see `coffer policy list`)")
    click.echo(toml, nl=False)


@click.command()
@click.option("--policy", "policy_file", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default=None,
    help="text on a terminal, json when piped.",
)
@global_options
@click.pass_context
def reveal(ctx: click.Context, policy_file: Path, fmt: str | None) -> None:
    """Show what the export this policy describes would reveal, before and after the policy."""
    from vault.reveal.report import render_markdown, render_text
    from vault.share import preview

    with vault_and_engine(ctx) as (vault, engine):
        share = preview(vault, engine, checked_policy(policy_file, engine))
    fmt = fmt or ("text" if sys.stdout.isatty() else "json")
    if fmt == "json":
        click.echo(json.dumps(share.report.to_json(), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(render_markdown(share.report))
    else:
        click.echo(render_text(share.report, color=sys.stdout.isatty()))


@click.command()
@click.option("--policy", "policy_file", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The slice to write; its manifest goes beside it.",
)
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True)
@click.option("--dry-run", is_flag=True, help="Compute everything, write nothing.")
@click.option(
    "--max-severity",
    type=click.Choice(["low", "medium", "high"]),
    help="Refuse (exit 1) when the reveal report is worse than this.",
)
@global_options
@click.pass_context
def export(
    ctx: click.Context, policy_file: Path, out: Path, fmt: str, dry_run: bool, max_severity: str | None
) -> None:
    """Write an anonymized slice as the policy says, with its manifest, and record it in the ledger."""
    from vault.export import manifest_path_for, write_export
    from vault.share import check_severity, preview

    with vault_and_engine(ctx) as (vault, engine):
        share = preview(vault, engine, checked_policy(policy_file, engine))
        check_severity(share.report, max_severity)
        worst = share.report.worst_severity.value.upper()
        if dry_run:
            info(
                f"dry run: would write {share.after.num_rows:,} rows x {share.after.num_columns} columns "
                f"to {out} (and {manifest_path_for(out).name}); worst finding: {worst}"
            )
            return
        result = write_export(vault.store, share, out, fmt)
    info(
        f"Wrote {result.rows:,} rows x {result.columns} columns to {result.path} "
        f"and {result.manifest_path.name}; worst finding: {worst}; contribution {result.contribution_id}."
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@global_options
@click.pass_context
def contributions(ctx: click.Context, as_json: bool) -> None:
    """List what has left the vault: when, to whom, how many rows, and the worst finding."""
    with open_vault(ctx) as vault:
        rows = vault.store.rows(
            "SELECT id, created_at, recipient, policy_name, rows, worst_severity, file_name, sha256 "
            "FROM contributions ORDER BY id"
        )
    entries = [
        {
            "id": r[0],
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r[1] / 1000)),
            "recipient": r[2],
            "policy": r[3],
            "rows": r[4],
            "worst_severity": r[5],
            "file": r[6],
            "sha256": r[7],
        }
        for r in rows
    ]
    if as_json:
        click.echo(json.dumps(entries, indent=2))
        return
    if not entries:
        info("Nothing has left this vault yet.")
        return
    click.echo(f"{'ID':>4}  {'WHEN':<20}  {'RECIPIENT':<16}  {'ROWS':>8}  {'WORST':<6}  FILE")
    for e in entries:
        click.echo(
            f"{e['id']:>4}  {e['created_at']:<20}  {e['recipient']:<16}  {e['rows']:>8,}  "
            f"{(e['worst_severity'] or '').upper():<6}  {e['file']}"
        )


COMMANDS = [policy, reveal, export, contributions]
