"""`python -m tests.lifecycle.run_coffer ...`: the real `coffer` with the lifecycle and people commands.

Until vault/cli.py registers them, this adds them to the same click group and runs the same main.
"""

from __future__ import annotations

from vault.cli import cli, main
from vault.commands import lifecmds, peoplecmds

for command in (*lifecmds.COMMANDS, *peoplecmds.COMMANDS):
    if command.name not in cli.commands:
        cli.add_command(command)

if __name__ == "__main__":
    main()
