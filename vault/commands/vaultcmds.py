"""`coffer init`, `status`, `verify`, `passwd` and `recover`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

from vault import keys, session
from vault.commands.common import (
    ENV_NEW_PASSPHRASE,
    ENV_RECOVERY_KEY,
    ask_new_passphrase,
    explicit_passphrase,
    global_options,
    info,
    open_vault,
    read_secret_option,
    terminal_prompt,
    vault_path,
)
from vault.errors import NoPassphrase, VaultDamaged

BACKUP_REMINDER_DAYS = 30


@click.command()
@global_options
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create a new vault and show its recovery key once."""
    path = vault_path(ctx)
    passphrase = ask_new_passphrase(explicit_passphrase(ctx), "Passphrase for the new vault")
    vault, recovery = session.create(path, passphrase)
    vault.close()
    click.echo(f"Created vault {path}")
    click.echo(
        f"Key header   {keys.header_path(path)} (keep it with the vault: without it the vault is lost)"
    )
    click.echo("Recovery key (write it down now: it is shown only once, and opens the vault if you")
    click.echo("forget the passphrase; `coffer recover` uses it):")
    click.echo(f"  {recovery}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@global_options
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show the vault's path, size, schema, record counts, key slots and last backup."""
    with open_vault(ctx) as vault:
        facts = _status_facts(vault)
    if as_json:
        click.echo(json.dumps(facts, indent=2))
        return
    for line in _status_lines(facts):
        click.echo(line)


def _status_facts(vault: session.Vault) -> dict[str, Any]:
    store = vault.store
    last_backup = store.get_meta("last_backup_at")
    files = [vault.path, vault.header_path, vault.path.with_name(vault.path.name + "-wal")]
    return {
        "path": str(vault.path),
        "vault_id": vault.header.vault_id,
        "size_bytes": sum(f.stat().st_size for f in files if f.exists()),
        "schema_version": store.schema_version,
        "counts": store.counts(),
        "slots": [
            {
                "type": s.kind,
                "id": s.slot_id,
                "kdf": _kdf_summary(s),
                "created_at": s.created_at,
                "label": s.label,
            }
            for s in vault.header.slots
        ],
        "last_backup_at": int(last_backup) if last_backup else None,
    }


def _kdf_summary(slot: keys.KeySlot) -> dict[str, Any]:
    return {k: v for k, v in slot.kdf.items() if k != "salt"}


def _status_lines(facts: dict[str, Any]) -> list[str]:
    lines = [
        f"Vault          {facts['path']}",
        f"Size           {facts['size_bytes'] / 1e6:.1f} MB",
        f"Schema         version {facts['schema_version']}",
        "Records",
    ]
    lines += [f"  {table:<16}{count:>12,}" for table, count in facts["counts"].items()]
    lines.append("Key slots")
    for slot in facts["slots"]:
        kdf = slot["kdf"]
        cost = (
            f"argon2id t={kdf['t']} m={kdf['m'] // 1024} MiB p={kdf['p']}"
            if kdf.get("name") == "argon2id"
            else kdf.get("name", "?")
        )
        label = f" ({slot['label']})" if slot["label"] else ""
        lines.append(f"  {slot['type']:<12}{cost}{label}")
    lines.append(f"Last backup    {_backup_age(facts['last_backup_at'])}")
    return lines


def _backup_age(last: int | None) -> str:
    if last is None:
        return "never: losing the .keys header loses the vault; run `coffer backup PATH`"
    days = (time.time() - last) / 86400
    age = f"{days:.0f} days ago" if days >= 1 else "today"
    if days > BACKUP_REMINDER_DAYS:
        return f"{age}: time for a new one (`coffer backup PATH`)"
    return age


@click.command()
@global_options
@click.pass_context
def verify(ctx: click.Context) -> None:
    """Check every page's authentication code and the schema; exit 4 when anything is wrong."""
    with open_vault(ctx) as vault:
        problems = vault.store.integrity_problems() + _schema_problems(vault)
        version = vault.store.schema_version
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise VaultDamaged(f"verification failed: {problems[0]}{more}")
    click.echo(f"ok: {vault.path} verified (every page authenticated, schema version {version})")


def _schema_problems(vault: session.Vault) -> list[str]:
    from vault.store import COUNTED_TABLES, schema_version_latest

    present = {row[0] for row in vault.store.rows("SELECT name FROM sqlite_master WHERE type='table'")}
    problems = [f"table {t} is missing" for t in COUNTED_TABLES if t not in present]
    if vault.store.schema_version != schema_version_latest():
        problems.append(f"schema version {vault.store.schema_version}, expected {schema_version_latest()}")
    return problems


@click.command()
@click.option(
    "--new-passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Read the new passphrase from this file (or ${ENV_NEW_PASSPHRASE}).",
)
@click.option(
    "--revoke-devices",
    is_flag=True,
    help="Also remove every keyring slot: remembered machines need the passphrase again.",
)
@global_options
@click.pass_context
def passwd(ctx: click.Context, new_passphrase_file: Path | None, revoke_devices: bool) -> None:
    """Change the passphrase (instant: the data key is re-wrapped, not the data re-encrypted)."""
    with open_vault(ctx) as vault:
        new = ask_new_passphrase(
            read_secret_option(new_passphrase_file, ENV_NEW_PASSPHRASE, "new passphrase file")
        )
        header = keys.add_passphrase_slot(vault.header, vault.data_key, new, keys.DEFAULT_KDF)
        if revoke_devices:
            header = header.without("keyring")
        vault.save_header(header)
    info("Passphrase changed." + (" Keyring devices revoked." if revoke_devices else ""))


@click.command()
@click.option(
    "--recovery-key-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Read the recovery key from this file (or ${ENV_RECOVERY_KEY}).",
)
@click.option(
    "--new-passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Read the new passphrase from this file (or ${ENV_NEW_PASSPHRASE}).",
)
@global_options
@click.pass_context
def recover(ctx: click.Context, recovery_key_file: Path | None, new_passphrase_file: Path | None) -> None:
    """Set a new passphrase with the recovery key shown at `coffer init`."""
    recovery = read_secret_option(recovery_key_file, ENV_RECOVERY_KEY, "recovery key file")
    if recovery is None:
        prompt = terminal_prompt()
        if prompt is None:
            raise NoPassphrase(f"no recovery key: use --recovery-key-file or {ENV_RECOVERY_KEY}")
        recovery = prompt("Recovery key: ")
    vault = session.unlock(vault_path(ctx), session.Credentials(recovery_key=recovery))
    with vault:
        new = ask_new_passphrase(
            read_secret_option(new_passphrase_file, ENV_NEW_PASSPHRASE, "new passphrase file")
        )
        vault.save_header(keys.add_passphrase_slot(vault.header, vault.data_key, new, keys.DEFAULT_KDF))
    info("Passphrase reset with the recovery key.")


COMMANDS = [init, status, verify, passwd, recover]
