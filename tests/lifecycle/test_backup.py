"""`coffer backup PATH` and `coffer restore PATH`: one encrypted file, checked before anything is replaced."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, REPO, assert_one_error_line
from tests.lifecycle.helpers import LifeCoffer, header_of, open_with_passphrase
from tests.lifecycle.residue import pages_containing
from vault.lifecycle import MAGIC, read_backup

MARKER = "backup-marker-8d1f2c"


def _put(coffer: LifeCoffer, key: str, value: str) -> None:
    with open_with_passphrase(coffer.vault) as vault, vault.store.transaction() as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", (key, value))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _elsewhere(coffer: LifeCoffer, name: str = "restored") -> LifeCoffer:
    return LifeCoffer(coffer.cwd / name / "r.db", coffer.passphrase_file, coffer.cwd)


def test_backup_restores_to_a_vault_that_verifies(vault_made: LifeCoffer) -> None:
    _put(vault_made, "note", MARKER)
    backup = vault_made.cwd / "b.cofferbak"
    before = time.time()
    vault_made.ok("backup", str(backup))
    raw = backup.read_bytes()
    assert raw.startswith(MAGIC) and MARKER.encode() not in raw
    assert json.loads(vault_made.ok("status", "--json").out)["last_backup_at"] >= int(before)
    assert "today" in vault_made.ok("status").out

    restored = _elsewhere(vault_made)
    restored.ok("restore", str(backup))
    restored.ok("verify")
    with open_with_passphrase(restored.vault) as vault:
        assert vault.store.scalar("SELECT value FROM settings WHERE key = 'note'") == MARKER
        assert vault.header.vault_id == header_of(vault_made.vault).vault_id
        assert pages_containing(restored.vault, vault.data_key, MARKER.encode()) == 1


def test_restore_never_overwrites_without_force(vault_made: LifeCoffer) -> None:
    backup = vault_made.cwd / "b.cofferbak"
    vault_made.ok("backup", str(backup))
    _put(vault_made, "after", "the backup")
    files = _files(vault_made.vault.parent)
    result = vault_made("restore", str(backup))
    assert_one_error_line(result, 1)
    assert "--force" in result.err and _files(vault_made.vault.parent) == files
    vault_made.ok("restore", str(backup), "--force")
    vault_made.ok("verify")
    with open_with_passphrase(vault_made.vault) as vault:
        assert vault.store.scalar("SELECT count(*) FROM settings WHERE key = 'after'") == 0


def test_backup_refuses_an_existing_file_without_force(vault_made: LifeCoffer) -> None:
    backup = vault_made.cwd / "b.cofferbak"
    backup.write_text("keep me")
    assert_one_error_line(vault_made("backup", str(backup)), 1)
    assert backup.read_text() == "keep me"
    vault_made.ok("backup", str(backup), "--force")
    read_backup(backup)


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["database byte", "header byte", "truncated", "not a backup"])
def test_a_damaged_backup_is_refused_with_exit_4_and_nothing_replaced(
    vault_made: LifeCoffer, damage: str
) -> None:
    backup = vault_made.cwd / "b.cofferbak"
    vault_made.ok("backup", str(backup))
    size = backup.stat().st_size
    if damage == "database byte":
        _flip(backup, size - 3000)
    elif damage == "header byte":
        _flip(backup, len(MAGIC) + 20)
    elif damage == "truncated":
        backup.write_bytes(backup.read_bytes()[: size - 4096])
    else:
        backup.write_bytes(b"PK\x03\x04" + bytes(100))
    files = _files(vault_made.vault.parent)
    assert_one_error_line(vault_made("restore", str(backup), "--force"), 4)
    assert _files(vault_made.vault.parent) == files
    fresh = _elsewhere(vault_made)
    assert_one_error_line(fresh("restore", str(backup)), 4)
    assert not fresh.vault.parent.exists() or not any(fresh.vault.parent.iterdir())


def test_restore_with_the_wrong_passphrase_exits_3_and_replaces_nothing(vault_made: LifeCoffer) -> None:
    backup = vault_made.cwd / "b.cofferbak"
    vault_made.ok("backup", str(backup))
    files = _files(vault_made.vault.parent)
    result = vault_made(
        "restore", str(backup), "--force", passphrase=False, env={"COFFER_PASSPHRASE": "not it at all"}
    )
    assert_one_error_line(result, 3)
    assert _files(vault_made.vault.parent) == files


WRITER = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    from vault import session
    v = session.unlock(Path(sys.argv[1]), session.Credentials(passphrase={PASSPHRASE!r}))
    print("writing", flush=True)
    i = 0
    while True:
        with v.store.transaction() as conn:
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", (f"w{{i}}", "x" * 2000))
        i += 1
""")


def test_a_backup_taken_while_another_process_writes_restores_and_verifies(vault_made: LifeCoffer) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(vault_made.vault)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        time.sleep(0.5)
        backup = vault_made.cwd / "b.cofferbak"
        vault_made.ok("backup", str(backup))
        assert writer.poll() is None, "the writer stopped while the backup ran"
    finally:
        writer.kill()
        writer.wait()
    restored = _elsewhere(vault_made)
    restored.ok("restore", str(backup))
    restored.ok("verify")
    with open_with_passphrase(restored.vault) as vault:
        written = int(vault.store.scalar("SELECT count(*) FROM settings WHERE key LIKE 'w%'"))
    with open_with_passphrase(vault_made.vault) as vault:
        assert 0 < written < int(vault.store.scalar("SELECT count(*) FROM settings WHERE key LIKE 'w%'"))
