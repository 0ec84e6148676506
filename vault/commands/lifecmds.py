"""`coffer keyring remember|forget`, `rekey`, `backup`, `restore` and `destroy`."""

from __future__ import annotations

import time
from pathlib import Path

import click

from vault import devices, keys, lifecycle, session
from vault.commands.common import (
    ENV_RECOVERY_KEY,
    credentials,
    explicit_passphrase,
    global_options,
    info,
    open_vault,
    read_secret_option,
    terminal_prompt,
    vault_path,
)
from vault.errors import NoPassphrase, UsageError, VaultDamaged, VaultNotFound


@click.group("keyring")
def keyring_group() -> None:
    """Let this machine's OS keyring open the vault without the passphrase (opt-in)."""


@keyring_group.command("remember")
@click.option(
    "--allow-insecure-keyring",
    is_flag=True,
    help="Accept a keyring backend that stores secrets in plaintext or prompts on the terminal.",
)
@global_options
@click.pass_context
def remember(ctx: click.Context, allow_insecure_keyring: bool) -> None:
    """Keep a device secret in the OS keyring; unlock then needs no passphrase on this machine."""
    with open_vault(ctx) as vault:
        header = devices.remember(vault.header, vault.data_key, allow_insecure=allow_insecure_keyring)
        vault.save_header(header)
    info(f"Remembered on {devices.machine_label()}: this machine opens the vault without the passphrase.")
    info("Undo with `coffer keyring forget`; `coffer passwd --revoke-devices` revokes every machine.")


@keyring_group.command("forget")
@global_options
@click.pass_context
def forget(ctx: click.Context) -> None:
    """Remove this machine's keyring entry and its key slot: a copy of the secret opens nothing."""
    with open_vault(ctx) as vault:
        header, slot_removed = devices.forget(vault.header)
        vault.save_header(header)
        entry_removed = devices.delete_entry(vault.header.vault_id)
    if not (slot_removed or entry_removed):
        info("This machine was not remembered: nothing to forget.")
        return
    info("Forgotten: this machine needs the passphrase again.")


@click.command()
@click.option(
    "--recovery-key-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Keep this recovery key (or ${ENV_RECOVERY_KEY}); without it a new one is issued and shown once.",
)
@global_options
@click.pass_context
def rekey(ctx: click.Context, recovery_key_file: Path | None) -> None:
    """Re-encrypt the vault under a new data key and re-wrap every key slot.

    Close other coffer processes first. Needs the passphrase (not the keyring). Keyring slots of
    other machines are dropped; run `coffer keyring remember` there again.
    """
    passphrase = _passphrase(ctx)
    recovery = read_secret_option(recovery_key_file, ENV_RECOVERY_KEY, "recovery key file")
    path = vault_path(ctx)
    with session.unlock(path, session.Credentials(passphrase=passphrase)) as vault:
        device = devices.lookup_device_secret(vault.header.vault_id)
        started = time.monotonic()
        result = lifecycle.rekey(vault, passphrase, recovery, device)
    info(f"Rekeyed {path} in {time.monotonic() - started:.1f} s: every page is now under a new data key.")
    if result.dropped_keyring_slots:
        info(f"Dropped {result.dropped_keyring_slots} keyring slot(s) of other machines.")
    if result.new_recovery_key:
        click.echo(
            "New recovery key (write it down now: it is shown only once; the old one no longer works):"
        )
        click.echo(f"  {result.new_recovery_key}")


def _passphrase(ctx: click.Context) -> str:
    given = explicit_passphrase(ctx)
    if given is not None:
        return given
    prompt = terminal_prompt()
    if prompt is None:
        raise NoPassphrase(
            "rekey needs the passphrase: use --passphrase-file, --passphrase-fd or COFFER_PASSPHRASE"
        )
    return prompt("Passphrase: ")


@click.command()
@click.argument("dest", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace DEST if it exists.")
@global_options
@click.pass_context
def backup(ctx: click.Context, dest: Path, force: bool) -> None:
    """Write one consistent, still encrypted file holding the vault and its key header."""
    with open_vault(ctx) as vault:
        made = lifecycle.backup(vault, dest, overwrite=force)
    info(f"Backed up to {made.path} ({made.db_bytes / 1e6:.1f} MB, encrypted; the passphrase opens it).")


@click.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace the vault at the destination if one exists.")
@global_options
@click.pass_context
def restore(ctx: click.Context, source: Path, force: bool) -> None:
    """Check that a backup opens and verifies, then restore it into the vault `--vault` names."""
    dest = vault_path(ctx)
    done = lifecycle.restore(source, dest, credentials(ctx), force=force)
    taken = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(done.created_at))
    info(f"Restored {dest} from the backup of {taken} (verified before anything was replaced).")


@click.command()
@click.option("--confirm", "confirmed", metavar="NAME", help="The vault's name, to destroy without a prompt.")
@global_options
@click.pass_context
def destroy(ctx: click.Context, confirmed: str | None) -> None:
    """Overwrite and remove the vault and its key header, after you type the vault's name."""
    path = vault_path(ctx)
    if not path.exists() and not keys.header_path(path).exists():
        raise VaultNotFound(f"no vault at {path}")
    name = path.stem
    typed = confirmed if confirmed is not None else _ask_name(name)
    if typed != name:
        raise UsageError(f"the name typed is not {name!r}: nothing destroyed")
    vault_id = _vault_id(path)
    removed = lifecycle.destroy(path)
    if vault_id is not None:
        devices.delete_entry(vault_id)
    info(f"Destroyed {path} ({len(removed)} files overwritten and removed). Backups, if any, remain.")


def _ask_name(name: str) -> str:
    prompt = terminal_prompt()
    if prompt is None:
        raise UsageError(f"destroy needs the vault's name: pass --confirm {name} or run on a terminal")
    click.echo(f"This overwrites and removes the vault {name!r} and its key header.", err=True)
    return click.prompt(f"Type {name!r} to destroy it", err=True, default="", show_default=False)


def _vault_id(path: Path) -> str | None:
    try:
        return keys.load_header(keys.header_path(path)).vault_id
    except VaultDamaged:
        return None


COMMANDS = [keyring_group, rekey, backup, restore, destroy]
