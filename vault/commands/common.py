"""What every command shares: global options, where secrets come from, opening the vault."""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
import platformdirs

from vault import session
from vault.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])

ENV_VAULT = "COFFER_VAULT"
ENV_PASSPHRASE = "COFFER_PASSPHRASE"
ENV_NEW_PASSPHRASE = "COFFER_NEW_PASSPHRASE"
ENV_RECOVERY_KEY = "COFFER_RECOVERY_KEY"

# Secrets read from the environment at start-up, then removed from it (see `take_env_secrets`).
_env_secrets: dict[str, str] = {}


def take_env_secrets() -> None:
    """Read the secret environment variables once and remove them from this process."""
    for name in (ENV_PASSPHRASE, ENV_NEW_PASSPHRASE, ENV_RECOVERY_KEY):
        value = os.environ.pop(name, None)
        if value is not None:
            _env_secrets[name] = value


def env_secret(name: str) -> str | None:
    return _env_secrets.get(name)


@dataclass
class Globals:
    """Options accepted before or after the command name."""

    vault: Path | None = None
    passphrase_file: Path | None = None
    passphrase_fd: int | None = None
    debug: bool = False


def globals_of(ctx: click.Context) -> Globals:
    root = ctx.find_root()
    if "coffer.globals" not in root.meta:
        root.meta["coffer.globals"] = Globals()
    value: Globals = root.meta["coffer.globals"]
    return value


def _store_global(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is not None and value is not False:
            setattr(globals_of(ctx), name, value)
        return value

    return callback


def global_options(func: F) -> F:
    """Attach --vault, --passphrase-file, --passphrase-fd and --debug to a command or group."""
    options = [
        click.option(
            "--vault",
            type=click.Path(path_type=Path, dir_okay=False),
            expose_value=False,
            callback=_store_global("vault"),
            is_eager=True,
            help="The vault's .db file (default: $COFFER_VAULT, else the user data dir).",
        ),
        click.option(
            "--passphrase-file",
            type=click.Path(path_type=Path, dir_okay=False),
            expose_value=False,
            callback=_store_global("passphrase_file"),
            is_eager=True,
            help="Read the passphrase from this file (first line).",
        ),
        click.option(
            "--passphrase-fd",
            type=int,
            expose_value=False,
            is_eager=True,
            callback=_store_global("passphrase_fd"),
            help="Read the passphrase from this open file descriptor.",
        ),
        click.option(
            "--debug",
            is_flag=True,
            expose_value=False,
            callback=_store_global("debug"),
            is_eager=True,
            help="Log what coffer does (never secrets or row values).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def default_vault_path() -> Path:
    return Path(platformdirs.user_data_dir("coffer", appauthor=False)) / "vault.db"


def vault_path(ctx: click.Context) -> Path:
    chosen = globals_of(ctx).vault or os.environ.get(ENV_VAULT)
    return Path(chosen).expanduser() if chosen else default_vault_path()


def explicit_passphrase(ctx: click.Context) -> str | None:
    """The passphrase from --passphrase-file, --passphrase-fd or COFFER_PASSPHRASE, in that order."""
    options = globals_of(ctx)
    if options.passphrase_file is not None:
        return _first_line(_read_secret_file(options.passphrase_file, "passphrase file"))
    if options.passphrase_fd is not None:
        return _read_fd(options.passphrase_fd)
    return env_secret(ENV_PASSPHRASE)


def read_secret_option(path: Path | None, env_name: str, what: str) -> str | None:
    """A secret given as a file option, else from its environment variable."""
    if path is not None:
        return _first_line(_read_secret_file(path, what))
    return env_secret(env_name)


def terminal_prompt() -> Callable[[str], str] | None:
    """A hidden prompt when standard input is a terminal; None otherwise (never block a script)."""
    if not sys.stdin.isatty():
        return None
    return lambda text: getpass.getpass(text, stream=sys.stderr)


def ask_new_passphrase(given: str | None, what: str = "New passphrase") -> str:
    """The new passphrase: given, or asked twice on a terminal."""
    if given is not None:
        return session.check_new_passphrase(given)
    prompt = terminal_prompt()
    if prompt is None:
        raise UsageError(
            f"no new passphrase: use --new-passphrase-file or {ENV_NEW_PASSPHRASE}, or run on a terminal"
        )
    first = session.check_new_passphrase(prompt(f"{what}: "))
    if prompt(f"{what} (again): ") != first:
        raise UsageError("the two passphrases differ")
    return first


def credentials(ctx: click.Context) -> session.Credentials:
    from vault import devices  # keyring access is only loaded when a command unlocks

    return session.Credentials(
        passphrase=explicit_passphrase(ctx),
        device_secret=devices.lookup_device_secret,
        prompt=terminal_prompt(),
    )


@contextlib.contextmanager
def open_vault(ctx: click.Context) -> Iterator[session.Vault]:
    """Unlock the vault the global options name, and close it afterwards."""
    vault = session.unlock(vault_path(ctx), credentials(ctx))
    try:
        yield vault
    finally:
        vault.close()


def info(message: str) -> None:
    """A diagnostic line on stderr (data goes to stdout)."""
    click.echo(message, err=True)


def _read_secret_file(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise UsageError(f"cannot read the {what} {path}: {reason}") from None


def _read_fd(fd: int) -> str:
    try:
        with os.fdopen(fd, "r", encoding="utf-8", closefd=False) as handle:
            return _first_line(handle.readline())
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the passphrase from descriptor {fd}: {exc}") from None


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""
