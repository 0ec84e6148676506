"""A `coffer` runner with the lifecycle and people commands, and ways to look inside a vault."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PASSPHRASE, Coffer
from vault import keys, session


class LifeCoffer(Coffer):
    """The real CLI as a process, waiting longer for a busy vault (rekey and backup race writers)."""

    busy_timeout_ms = "2000"


def make_life(tmp_path: Path) -> LifeCoffer:
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    return LifeCoffer(tmp_path / "vaultdir" / "v.db", secret, tmp_path)


def open_with_passphrase(path: Path) -> session.Vault:
    return session.unlock(path, session.Credentials(passphrase=PASSPHRASE))


def header_of(path: Path) -> keys.KeyHeader:
    return keys.load_header(keys.header_path(path))
