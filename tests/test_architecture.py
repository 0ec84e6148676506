"""The layering rules of ARCHITECTURE.md, checked on the real import graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(linter)], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_importing_the_core_does_not_load_textual_or_importers() -> None:
    script = (
        "import sys, importlib, pkgutil, vault\n"
        "for m in pkgutil.walk_packages(vault.__path__, 'vault.'):\n"
        "    if m.name != 'vault.cli' and m.name != 'vault.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('textual', 'tui', 'importers')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=REPO, check=True)


def test_importers_do_not_load_the_database_or_ui() -> None:
    script = (
        "import sys, importlib, pkgutil, importers\n"
        "for m in pkgutil.walk_packages(importers.__path__, 'importers.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('sqlcipher3', 'duckdb', 'textual', 'tui')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=REPO, check=True)
