"""A passphrase change killed mid-way, two processes at once, and older schemas."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, Coffer, assert_one_error_line
from vault import keys, session
from vault.errors import VaultBusy
from vault.store import Store, schema_version_latest

KILL_AROUND_REPLACE = textwrap.dedent("""
    import os, signal, sys
    import vault.fsutil as fsutil
    real_replace = os.replace
    def dying_replace(src, dst):
        if sys.argv[1] == "after":
            real_replace(src, dst)
        os.kill(os.getpid(), signal.SIGKILL)
    fsutil.os.replace = dying_replace
    from vault.cli import main
    main(sys.argv[2:])
""")


@pytest.mark.parametrize("moment", ["before", "after"])
def test_passwd_killed_mid_way_leaves_one_working_passphrase(initialised: Coffer, moment: str) -> None:
    new = "the next passphrase"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            KILL_AROUND_REPLACE,
            moment,
            "passwd",
            "--vault",
            str(initialised.vault),
            "--passphrase-file",
            str(initialised.passphrase_file),
        ],
        env={"COFFER_NEW_PASSPHRASE": new, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == -9
    old_works = initialised("status").code == 0
    new_works = initialised("status", passphrase=False, env={"COFFER_PASSPHRASE": new}).code == 0
    assert old_works != new_works
    assert new_works == (moment == "after")


def test_readers_work_while_another_process_writes(initialised: Coffer) -> None:
    holder = _hold_write_lock(initialised.vault)
    try:
        initialised.ok("status")
    finally:
        holder.kill()
        holder.wait()


def test_a_second_writer_waits_then_reports_busy(initialised: Coffer) -> None:
    holder = _hold_write_lock(initialised.vault)
    try:
        with (
            session.unlock(initialised.vault, session.Credentials(passphrase=PASSPHRASE)) as vault,
            pytest.raises(VaultBusy),
            vault.store.transaction(),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    initialised.ok("verify")


def _hold_write_lock(vault: Path) -> subprocess.Popen[str]:
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from vault import session
        v = session.unlock(Path({str(vault)!r}), session.Credentials(passphrase={PASSPHRASE!r}))
        v.store.conn.execute("BEGIN IMMEDIATE")
        v.store.conn.execute("INSERT INTO settings(key, value) VALUES ('held', '1')")
        print("holding", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={"COFFER_BUSY_TIMEOUT_MS": "300", "PATH": "/usr/bin:/bin"},
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def test_a_vault_made_by_an_older_schema_opens_and_migrates(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    data_key = keys.new_data_key()
    old = Store.create(path, data_key, migrate_to=1)
    assert old.schema_version == 1
    with old.transaction() as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES ('kept', 'yes')")
    old.close()
    reopened = Store.open(path, data_key)
    assert reopened.schema_version == schema_version_latest() > 1
    assert reopened.scalar("SELECT value FROM settings WHERE key = 'kept'") == "yes"
    assert reopened.integrity_problems() == []
    reopened.close()


def test_a_vault_from_a_newer_coffer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    data_key = keys.new_data_key()
    store = Store.create(path, data_key)
    store.conn.execute(f"PRAGMA user_version = {schema_version_latest() + 1}")
    store.close()
    coffer = Coffer(path, tmp_path / "pw", tmp_path)
    (tmp_path / "pw").write_text(PASSPHRASE)
    header, _ = keys.new_header(data_key, PASSPHRASE, keys.KdfParams(1, 8192, 1))
    from dataclasses import replace

    from vault.store import read_salt

    keys.save_header(keys.header_path(path), replace(header, db_salt=read_salt(path)))
    result = coffer("status")
    assert_one_error_line(result, 4)
    assert "newer" in result.err


def test_a_second_writer_from_the_command_line_exits_5(initialised: Coffer, tmp_path: Path) -> None:
    records = tmp_path / "Records.json"
    records.write_text(
        '{"locations": [{"timestampMs": "1700000000000", "latitudeE7": 481372000, "longitudeE7": 115756000}]}'
    )
    holder = _hold_write_lock(initialised.vault)
    try:
        result = initialised("import", str(records))
    finally:
        holder.kill()
        holder.wait()
    assert_one_error_line(result, 5)
    assert "busy" in result.err
    initialised.ok("verify")
    assert initialised.ok("import", str(records)).code == 0
