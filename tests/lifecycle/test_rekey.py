"""`coffer rekey`: a new data key for every page, every slot re-wrapped, safe to interrupt."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO, assert_one_error_line
from tests.lifecycle.helpers import LifeCoffer, header_of, open_with_passphrase
from vault.errors import VaultDamaged
from vault.lifecycle import PENDING
from vault.store import Store

RECOVERY = re.compile(r"^\s+([A-Z2-9]{4}(?:-[A-Z2-9]{4}){7})$", re.M)


def _recovery_key(output: str) -> str:
    match = RECOVERY.search(output)
    assert match, output
    return match.group(1)


def _fill(coffer: LifeCoffer, rows: int, size: int = 64) -> None:
    with open_with_passphrase(coffer.vault) as vault, vault.store.transaction() as conn:
        conn.executemany(
            "INSERT INTO settings(key, value) VALUES (?, ?)",
            ((f"k{i}", secrets.token_hex(size)) for i in range(rows)),
        )


def _settings_count(coffer: LifeCoffer) -> int:
    with open_with_passphrase(coffer.vault) as vault:
        return int(vault.store.scalar("SELECT count(*) FROM settings"))


def test_rekey_re_encrypts_and_issues_a_new_recovery_key(life: LifeCoffer, tmp_path) -> None:
    old_recovery = _recovery_key(life.ok("init").out)
    _fill(life, 500)
    with open_with_passphrase(life.vault) as vault:
        old_key = vault.data_key
        assert vault.store.scalar("PRAGMA journal_mode") == "wal"
    result = life.ok("rekey")
    new_recovery = _recovery_key(result.out)
    assert new_recovery != old_recovery
    with pytest.raises(VaultDamaged):
        Store.open(life.vault, old_key)
    with open_with_passphrase(life.vault) as vault:
        assert vault.data_key != old_key and PENDING not in vault.header.extra
        assert vault.store.scalar("SELECT count(*) FROM settings") == 500
        assert vault.store.scalar("PRAGMA journal_mode") == "wal"
    life.ok("verify")
    renewed = "a passphrase after recovery"
    env = {"COFFER_NEW_PASSPHRASE": renewed}
    assert_one_error_line(
        life("recover", passphrase=False, env={"COFFER_RECOVERY_KEY": old_recovery, **env}), 3
    )
    life.ok("recover", passphrase=False, env={"COFFER_RECOVERY_KEY": new_recovery, **env})


def test_rekey_can_keep_the_recovery_key(life: LifeCoffer, tmp_path) -> None:
    recovery = _recovery_key(life.ok("init").out)
    key_file = tmp_path / "recovery.txt"
    key_file.write_text(recovery.lower().replace("-", " ") + "\n")
    before = header_of(life.vault).key_check
    result = life.ok("rekey", "--recovery-key-file", str(key_file))
    assert not RECOVERY.search(result.out)
    assert header_of(life.vault).key_check != before
    life.ok(
        "recover", passphrase=False, env={"COFFER_RECOVERY_KEY": recovery, "COFFER_NEW_PASSPHRASE": "x" * 12}
    )


def test_rekey_refuses_a_wrong_recovery_key_and_changes_nothing(vault_made: LifeCoffer, tmp_path) -> None:
    before = header_of(vault_made.vault)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH\n")
    assert_one_error_line(vault_made("rekey", "--recovery-key-file", str(wrong)), 3)
    assert header_of(vault_made.vault) == before


def test_rekey_needs_the_passphrase(vault_made: LifeCoffer) -> None:
    assert_one_error_line(vault_made("rekey", passphrase=False), 3)


# The rekey runs in a child process that SIGKILLs itself at one moment: after the pending keys are
# in the header, while PRAGMA rekey writes the WAL (a watcher thread), or before the header is final.
KILL_DURING_REKEY = textwrap.dedent("""
    import os, signal, sys, threading, time
    from pathlib import Path
    from vault.store import Store
    moment, wal = sys.argv[1], Path(sys.argv[2] + "-wal")
    real_rekey = Store.rekey
    def watch():
        while not wal.exists() or wal.stat().st_size < 256 * 1024:
            time.sleep(0.0005)
        os.kill(os.getpid(), signal.SIGKILL)
    def dying_rekey(self, new_key):
        if moment == "pending":
            os.kill(os.getpid(), signal.SIGKILL)
        if moment == "pages":
            threading.Thread(target=watch, daemon=True).start()
        real_rekey(self, new_key)
        if moment == "pages":
            time.sleep(5)  # the commit's WAL write is what the watcher waits for
        if moment == "header":
            os.kill(os.getpid(), signal.SIGKILL)
    Store.rekey = dying_rekey
    from vault.cli import main
    main(sys.argv[3:])
""")


@pytest.mark.parametrize("moment", ["pending", "pages", "header"])
def test_rekey_killed_mid_way_still_opens(vault_made: LifeCoffer, moment: str) -> None:
    _fill(vault_made, 4000, size=1024)  # about 8 MB, so the rekey's WAL write takes a while
    before = header_of(vault_made.vault).key_check
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            KILL_DURING_REKEY,
            moment,
            str(vault_made.vault),
            "rekey",
            "--vault",
            str(vault_made.vault),
            "--passphrase-file",
            str(vault_made.passphrase_file),
        ],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == -9, proc.stderr
    vault_made.ok("verify")
    assert _settings_count(vault_made) == 4000
    after = header_of(vault_made.vault)
    if moment == "header":
        assert after.key_check != before and PENDING not in after.extra
    if moment == "pending":
        assert after.key_check == before
    vault_made.ok("rekey")
    assert PENDING not in header_of(vault_made.vault).extra
    vault_made.ok("verify")
