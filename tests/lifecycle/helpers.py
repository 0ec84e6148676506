"""A `coffer` runner with the lifecycle and people commands, and ways to look inside a vault."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE, REPO, Coffer, Result
from vault import keys, session


class LifeCoffer(Coffer):
    """Runs the real CLI (tests/lifecycle/run_coffer.py) as a process, like `tests.conftest.Coffer`."""

    def __call__(
        self,
        *args: str,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
        passphrase: bool = True,
        timeout: float = 120,
    ) -> Result:
        command = [sys.executable, "-m", "tests.lifecycle.run_coffer", *args, "--vault", str(self.vault)]
        if passphrase:
            command += ["--passphrase-file", str(self.passphrase_file)]
        full_env = {key: value for key, value in os.environ.items() if not key.startswith("COFFER_")}
        full_env.update({"COFFER_BUSY_TIMEOUT_MS": "2000", "PYTHONPATH": str(REPO), **(env or {})})
        proc = subprocess.run(
            command, input=stdin, capture_output=True, text=True, env=full_env, cwd=self.cwd, timeout=timeout
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)


def make_life(tmp_path: Path) -> LifeCoffer:
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    return LifeCoffer(tmp_path / "vaultdir" / "v.db", secret, tmp_path)


def open_with_passphrase(path: Path) -> session.Vault:
    return session.unlock(path, session.Credentials(passphrase=PASSPHRASE))


def header_of(path: Path) -> keys.KeyHeader:
    return keys.load_header(keys.header_path(path))
