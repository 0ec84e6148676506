"""The `coffer` command: the composition root that wires the core, the importers and the TUI.

Only this module of `vault` may import `importers` and `tui`. Every error a user can cause ends as
one `coffer: error:` line on stderr and the exit code of CONTRACTS.md, never a traceback.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from vault import __version__
from vault.commands import importcmds, lifecmds, peoplecmds, querycmds, sharecmds, vaultcmds
from vault.commands.common import global_options, globals_of, take_env_secrets
from vault.errors import CofferError, UsageError
from vault.hygiene import harden_process

log = logging.getLogger("coffer")


COMMAND_ORDER = (
    "init",
    "status",
    "verify",
    "passwd",
    "recover",
    "keyring",
    "rekey",
    "backup",
    "restore",
    "destroy",
    "import",
    "imports",
    "forget-import",
    "people",
    "forget-person",
    "query",
    "search",
    "tables",
    "schema",
    "policy",
    "reveal",
    "export",
    "contributions",
    "demo",
    "tui",
)


class CofferGroup(click.Group):
    """Lists commands in the order of a person's first session, not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(self.commands, key=lambda name: (rank.get(name, len(rank)), name))

    def invoke(self, ctx: click.Context) -> object:
        """A reader that stops early (`coffer imports | head`) is not an error: exit 0."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _silence_broken_pipe()
            raise click.exceptions.Exit(0) from None


@click.group(
    cls=CofferGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, "--version", prog_name="coffer", message="%(prog)s %(version)s")
@global_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Coffer: an encrypted vault for your platform exports.

    Import your exports, query them with SQL, and see what a share would reveal before it leaves.
    Run `coffer` alone to open the terminal app.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


@cli.command()
@global_options
@click.pass_context
def tui(ctx: click.Context) -> None:
    """Open the terminal app."""
    from tui.app import run_app
    from vault.commands.common import credentials, vault_path

    run_app(vault_path(ctx), credentials(ctx))


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--tz",
    "tz_name",
    metavar="ZONE",
    help="Time zone of local times without an offset "
    "(WhatsApp, Telegram `date`); default: this machine's zone.",
)
@click.option("--me", metavar="NAME", help="Your name as it appears in chats, when the export cannot tell.")
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy", "ymd"]),
    help="Date order of WhatsApp chats, when the file cannot tell.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the accounting as JSON on stdout.")
@global_options
@click.pass_context
def import_(
    ctx: click.Context,
    paths: tuple[Path, ...],
    tz_name: str | None,
    me: str | None,
    date_order: str | None,
    as_json: bool,
) -> None:
    """Import export files, folders or zip archives (each file is detected by its content)."""
    import importers
    from vault import ingest
    from vault.commands.common import open_vault
    from vault.commands.importcmds import BarProgress, report_lines
    from vault.records import ImportOptions

    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
    options = ImportOptions(tz=_zone(tz_name), me=me, date_order=date_order)
    with open_vault(ctx) as vault:
        progress = BarProgress()
        try:
            report = ingest.run(vault.store, importers.discover(paths), progress, options)
        finally:
            progress.close()
    if as_json:
        click.echo(ingest.summary_json(report))
    else:
        click.echo("\n".join(report_lines(report)))
    if report.files and all(f.status in ("failed", "unrecognised", "refused") for f in report.files):
        raise CofferError("nothing could be imported from " + ", ".join(str(p) for p in paths))


DEMO_PASSPHRASE = "coffer demo passphrase"


@cli.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("coffer-demo"),
    show_default=True,
    help="Where the generated export files (and the demo vault) go.",
)
@click.option("--scale", type=click.IntRange(min=1000), help="Grow the persona to about N records.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same persona.")
@click.option("--no-tui", is_flag=True, help="Build the vault and exit.")
@global_options
@click.pass_context
def demo(ctx: click.Context, folder: Path, scale: int | None, seed: int, no_tui: bool) -> None:
    """Generate a synthetic person's exports, import them into a demo vault, open the app."""
    import importers
    from vault import demo as persona
    from vault import ingest, session
    from vault.commands.common import ENV_PASSPHRASE, env_secret, globals_of, info
    from vault.commands.importcmds import BarProgress, report_lines
    from vault.records import ImportOptions

    path = globals_of(ctx).vault or folder / "demo.db"
    passphrase = env_secret(ENV_PASSPHRASE) or DEMO_PASSPHRASE
    exports = folder / "exports"
    info(f"Generating a synthetic persona (seed {seed}) in {exports} ...")
    truth = persona.generate(exports, seed=seed, scale=scale)
    _remove_old_demo_vault(path, folder)
    vault, _recovery = session.create(path, passphrase)
    with vault:
        progress = BarProgress()
        try:
            report = ingest.run(
                vault.store,
                importers.discover([exports]),
                progress,
                ImportOptions(tz=ZoneInfo(truth.timezone), me=truth.owner["name"]),
            )
        finally:
            progress.close()
    info(report_lines(report)[-1])
    click.echo(f"vault: {path}")
    click.echo(f"passphrase: {passphrase}")
    if not no_tui:
        from tui.app import run_app
        from vault.session import Credentials

        run_app(path, Credentials(passphrase=passphrase))


def _remove_old_demo_vault(path: Path, folder: Path) -> None:
    """A demo vault is rebuilt each time, but only one this command made in its own folder."""
    from vault.store import remove_vault_files

    if path.exists() and path.parent.resolve() == folder.resolve() and path.name == "demo.db":
        remove_vault_files(path)
        path.with_name(path.name + ".keys").unlink(missing_ok=True)


def _zone(name: str | None) -> ZoneInfo:
    """The named zone, else this machine's zone (UTC when it cannot be found)."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"unknown time zone {name!r} (use an IANA name like Europe/Berlin)") from None
    return _local_zone()


def _local_zone() -> ZoneInfo:
    tz_env = os.environ.get("TZ", "").lstrip(":")
    candidates = [tz_env] if tz_env else []
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        candidates.append(str(localtime.resolve()).partition("zoneinfo/")[2])
    timezone_file = Path("/etc/timezone")
    if timezone_file.exists():
        candidates.append(timezone_file.read_text().strip())
    for candidate in candidates:
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


for _command in (
    *vaultcmds.COMMANDS,
    *lifecmds.COMMANDS,
    *importcmds.COMMANDS,
    *peoplecmds.COMMANDS,
    *querycmds.COMMANDS,
    *sharecmds.COMMANDS,
):
    cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: harden the process, run the command, turn errors into exit codes."""
    harden_process()
    take_env_secrets()
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="coffer: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    sys.exit(run(args, debug=debug))


def run(args: list[str], *, debug: bool = False) -> int:
    """Run the CLI on `args` and return the exit code."""
    try:
        cli.main(args=args, prog_name="coffer", standalone_mode=False)
        return 0
    except CofferError as exc:
        return _fail(str(exc), exc.exit_code, debug)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "coffer"
        return _fail(f"{exc.format_message()} (see `{where} --help`)", 2, debug)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        return _fail("interrupted", 130, debug)
    except click.ClickException as exc:
        return _fail(exc.format_message(), exc.exit_code, debug)
    except KeyboardInterrupt:
        return _fail("interrupted", 130, debug)
    except BrokenPipeError:
        _silence_broken_pipe()
        return 0
    except Exception as exc:
        if debug:
            traceback.print_exc()
        return _fail(f"unexpected {type(exc).__name__} (run with --debug for details)", 1, False)


def _fail(message: str, code: int, debug: bool) -> int:
    if debug and sys.exc_info()[0] is not None:
        traceback.print_exc()
    click.echo(f"coffer: error: {message}", err=True)
    return code


def _silence_broken_pipe() -> None:
    """A reader that stops early (`coffer query ... | head`) is not an error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


__all__ = ["cli", "globals_of", "main", "run"]
