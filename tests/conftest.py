"""Shared fixtures: vaults in temporary folders and a real `coffer` process to run commands."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = SHARED / "fixtures"
PASSPHRASE = "correct horse battery staple"


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Coffer:
    """Runs `coffer` as a real process against one vault, the passphrase in a private file."""

    vault: Path
    passphrase_file: Path
    cwd: Path
    busy_timeout_ms = "500"

    def __call__(
        self,
        *args: str,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
        passphrase: bool = True,
        timeout: float = 120,
    ) -> Result:
        command = [sys.executable, "-m", "vault", *args, "--vault", str(self.vault)]
        if passphrase:
            command += ["--passphrase-file", str(self.passphrase_file)]
        full_env = {key: value for key, value in os.environ.items() if not key.startswith("COFFER_")}
        full_env.update(
            {"COFFER_BUSY_TIMEOUT_MS": self.busy_timeout_ms, "PYTHONPATH": str(REPO), **(env or {})}
        )
        proc = subprocess.run(
            command, input=stdin, capture_output=True, text=True, env=full_env, cwd=self.cwd, timeout=timeout
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str, **kwargs: object) -> Result:
        result = self(*args, **kwargs)  # type: ignore[arg-type]
        assert result.code == 0, f"coffer {' '.join(args)} failed ({result.code}): {result.err}"
        return result


@pytest.fixture
def coffer(tmp_path: Path) -> Coffer:
    """A `coffer` runner for a vault path in a fresh folder (the vault is not created yet)."""
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    return Coffer(tmp_path / "vaultdir" / "v.db", secret, tmp_path)


@pytest.fixture
def initialised(coffer: Coffer) -> Iterator[Coffer]:
    """A runner whose vault exists."""
    coffer.ok("init")
    yield coffer


def assert_one_error_line(result: Result, code: int) -> None:
    """The failure shape of CONTRACTS.md: exit code, one `coffer: error:` line, no traceback."""
    assert result.code == code, (result.code, result.err)
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("coffer: error: "), result.err
    assert "Traceback" not in result.err


DEMO_PASSPHRASE = "coffer demo passphrase"


@pytest.fixture(scope="session")
def demo_vault_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded demo vault, built once per test session (do not write to it: use `demo_vault`)."""
    folder = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COFFER_")}
    subprocess.run(
        [sys.executable, "-m", "vault", "demo", "--dir", str(folder), "--no-tui", "--seed", "1"],
        env=env,
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder / "demo.db"


@pytest.fixture
def demo_vault(demo_vault_master: Path, tmp_path: Path) -> Coffer:
    """A private copy of the demo vault, with a `coffer` runner."""
    import shutil

    target = tmp_path / "vaultdir"
    target.mkdir()
    for suffix in ("", ".keys"):
        shutil.copy2(
            demo_vault_master.with_name(demo_vault_master.name + suffix), target / f"demo.db{suffix}"
        )
    secret = tmp_path / "passphrase.txt"
    secret.write_text(DEMO_PASSPHRASE + "\n")
    return Coffer(target / "demo.db", secret, tmp_path)
