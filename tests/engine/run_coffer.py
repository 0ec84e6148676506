"""Runs `coffer` with the query commands registered, whether or not vault/cli.py registers them yet."""

from __future__ import annotations

from vault import cli
from vault.commands import querycmds

for command in querycmds.COMMANDS:
    if command.name not in cli.cli.commands:
        cli.cli.add_command(command)

if __name__ == "__main__":
    cli.main()
