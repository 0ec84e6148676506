"""A small real vault (shared fixtures imported through the real importers) for the engine's tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import importers
from vault import ingest, keys, session
from vault.engine import Engine
from vault.session import Vault

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
RUNNER_ARGS = ["-m", "vault"]
PASSPHRASE = "engine tests passphrase"
FAST_KDF = keys.KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
SOURCES = (
    "google_location",
    "whatsapp/whatstk__pokemon.txt",
    "telegram/chat-miner__test_single_export.json",
    "reddit",
)


def build(path: Path) -> None:
    vault, _recovery = session.create(path, PASSPHRASE, FAST_KDF)
    with vault:
        report = ingest.run(vault.store, importers.discover([FIXTURES / s for s in SOURCES]))
    assert any(f.status == "imported" for f in report.files)


@pytest.fixture(scope="session")
def vault_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault built once per session; tests that write to it copy it first."""
    path = tmp_path_factory.mktemp("enginevault") / "v.db"
    build(path)
    return path


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    """A fresh vault of its own (for tests that change it)."""
    path = tmp_path / "vaultdir" / "v.db"
    build(path)
    opened = session.unlock(path, session.Credentials(passphrase=PASSPHRASE))
    yield opened
    opened.close()


@pytest.fixture
def engine(vault: Vault) -> Iterator[Engine]:
    opened = Engine(vault.store)
    yield opened
    opened.close()


@dataclass
class Run:
    code: int
    out: str
    err: str


def coffer(
    vault_path: Path,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Run:
    """`coffer ARGS --vault V` as a real process, the passphrase from the environment."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("COFFER_")}
    full_env.update({"COFFER_PASSPHRASE": PASSPHRASE, **(env or {})})
    proc = subprocess.run(
        [sys.executable, *RUNNER_ARGS, *args, "--vault", str(vault_path)],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)
