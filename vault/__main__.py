"""`python -m vault` runs the `coffer` command."""

from vault.cli import main

main()
