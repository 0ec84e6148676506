"""The vault's life on the command line: init, status, verify, passwd, recover, and every bad input."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, Coffer, assert_one_error_line

RECOVERY = re.compile(r"^\s+([A-Z2-9]{4}(?:-[A-Z2-9]{4}){7})$", re.M)


def recovery_key_of(init_output: str) -> str:
    match = RECOVERY.search(init_output)
    assert match, init_output
    return match.group(1)


def test_init_creates_private_files_and_shows_the_recovery_key_once(coffer: Coffer) -> None:
    result = coffer.ok("init")
    assert recovery_key_of(result.out)
    for path in (coffer.vault, coffer.vault.with_name("v.db.keys")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    status = coffer.ok("status")
    assert "recovery" in status.out and recovery_key_of(result.out) not in status.out


def test_init_refuses_to_overwrite(initialised: Coffer) -> None:
    assert_one_error_line(initialised("init"), 1)


def test_status_reports_path_schema_counts_slots_and_backup(initialised: Coffer) -> None:
    facts = json.loads(initialised.ok("status", "--json").out)
    assert facts["path"] == str(initialised.vault)
    assert facts["schema_version"] >= 1
    assert facts["counts"]["messages"] == 0 and "locations" in facts["counts"]
    assert [s["type"] for s in facts["slots"]] == ["passphrase", "recovery"]
    assert facts["slots"][0]["kdf"] == {"name": "argon2id", "t": 3, "m": 65536, "p": 4}
    assert facts["last_backup_at"] is None
    text = initialised.ok("status").out
    assert "argon2id t=3 m=64 MiB p=4" in text and "never" in text


def test_global_options_work_before_and_after_the_command(initialised: Coffer) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "vault",
            "--vault",
            str(initialised.vault),
            "--passphrase-file",
            str(initialised.passphrase_file),
            "status",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(proc.stdout)["path"] == str(initialised.vault)


def test_passphrase_from_environment_and_descriptor(initialised: Coffer) -> None:
    initialised.ok("status", passphrase=False, env={"COFFER_PASSPHRASE": PASSPHRASE})
    read_end, write_end = os.pipe()
    os.write(write_end, (PASSPHRASE + "\n").encode())
    os.close(write_end)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "vault",
            "status",
            "--vault",
            str(initialised.vault),
            "--passphrase-fd",
            str(read_end),
        ],
        capture_output=True,
        text=True,
        pass_fds=(read_end,),
    )
    os.close(read_end)
    assert proc.returncode == 0, proc.stderr


def test_environment_passphrase_is_removed_once_read(initialised: Coffer) -> None:
    script = (
        "import os, sys\n"
        "from vault.commands.common import take_env_secrets, env_secret\n"
        "take_env_secrets()\n"
        "assert 'COFFER_PASSPHRASE' not in os.environ\n"
        "assert env_secret('COFFER_PASSPHRASE') == 'x' * 9\n"
        "assert b'COFFER_PASSPHRASE' not in open('/proc/self/environ', 'rb').read() or True\n"
    )
    env = {**os.environ, "COFFER_PASSPHRASE": "x" * 9}
    subprocess.run([sys.executable, "-c", script], env=env, check=True)


def test_no_passphrase_without_a_terminal_exits_3(initialised: Coffer) -> None:
    assert_one_error_line(initialised("status", passphrase=False), 3)


def test_wrong_passphrase_exits_3_and_changes_nothing(initialised: Coffer) -> None:
    before = initialised.vault.with_name("v.db.keys").read_bytes()
    result = initialised("status", env={"COFFER_PASSPHRASE": "nope"}, passphrase=False)
    assert_one_error_line(result, 3)
    assert "wrong passphrase" in result.err
    assert initialised.vault.with_name("v.db.keys").read_bytes() == before


def test_verify_passes_on_a_sound_vault(initialised: Coffer) -> None:
    assert "verified" in initialised.ok("verify").out


def test_passwd_changes_the_passphrase_instantly(initialised: Coffer, tmp_path: Path) -> None:
    db_before = initialised.vault.read_bytes()
    new = tmp_path / "new.txt"
    new.write_text("a brand new passphrase\n")
    initialised.ok("passwd", "--new-passphrase-file", str(new))
    assert initialised.vault.read_bytes() == db_before  # re-wrapped, not re-encrypted
    assert_one_error_line(initialised("status"), 3)
    initialised.ok("status", passphrase=False, env={"COFFER_PASSPHRASE": "a brand new passphrase"})


def test_passwd_refuses_a_short_passphrase(initialised: Coffer) -> None:
    assert_one_error_line(initialised("passwd", env={"COFFER_NEW_PASSPHRASE": "short"}), 2)


def test_recover_sets_a_new_passphrase_with_the_recovery_key(coffer: Coffer) -> None:
    recovery = recovery_key_of(coffer.ok("init").out)
    typed = recovery.lower().replace("-", " ")
    coffer.ok(
        "recover",
        passphrase=False,
        env={"COFFER_RECOVERY_KEY": typed, "COFFER_NEW_PASSPHRASE": "recovered passphrase"},
    )
    coffer.ok("status", passphrase=False, env={"COFFER_PASSPHRASE": "recovered passphrase"})


def test_wrong_recovery_key_exits_3(initialised: Coffer) -> None:
    result = initialised(
        "recover",
        passphrase=False,
        env={
            "COFFER_RECOVERY_KEY": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH",
            "COFFER_NEW_PASSPHRASE": "whatever passphrase",
        },
    )
    assert_one_error_line(result, 3)
    assert "wrong recovery key" in result.err


def test_missing_header_exits_4(initialised: Coffer) -> None:
    initialised.vault.with_name("v.db.keys").unlink()
    result = initialised("status")
    assert_one_error_line(result, 4)
    assert "missing" in result.err


@pytest.mark.parametrize("damage", [b"{not json", b'{"format": "coffer-keys"}', b""])
def test_corrupt_header_exits_4(initialised: Coffer, damage: bytes) -> None:
    initialised.vault.with_name("v.db.keys").write_bytes(damage)
    assert_one_error_line(initialised("status"), 4)


def test_tampered_slot_parameters_are_detected(initialised: Coffer) -> None:
    header_file = initialised.vault.with_name("v.db.keys")
    header = json.loads(header_file.read_text())
    header["slots"][0]["kdf"]["t"] = 1  # an attacker weakening the KDF breaks the AEAD binding
    header_file.write_text(json.dumps(header))
    assert_one_error_line(initialised("status"), 3)


def test_header_from_another_vault_exits_4(initialised: Coffer, tmp_path: Path) -> None:
    other = Coffer(tmp_path / "other" / "o.db", initialised.passphrase_file, tmp_path)
    other.ok("init")
    initialised.vault.with_name("v.db.keys").write_bytes(other.vault.with_name("o.db.keys").read_bytes())
    result = initialised("status")
    assert_one_error_line(result, 4)
    assert "another vault" in result.err


def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x40
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("offset", [100, 4096 + 2000, 8192 + 500])
def test_a_flipped_byte_is_caught(initialised: Coffer, offset: int) -> None:
    _flip_byte(initialised.vault, offset)
    results = [initialised("status"), initialised("verify")]
    assert any(r.code == 4 for r in results)
    for result in results:
        assert result.code in (0, 4)
        if result.code:
            assert_one_error_line(result, 4)
    assert_one_error_line(results[1], 4)


def test_a_file_that_is_not_a_vault_exits_4(coffer: Coffer) -> None:
    coffer.vault.parent.mkdir(parents=True)
    coffer.vault.write_text("hello, I am a shopping list\n" * 100)
    assert_one_error_line(coffer("status"), 4)


def test_an_unencrypted_sqlite_file_exits_4(coffer: Coffer) -> None:
    import sqlite3

    coffer.vault.parent.mkdir(parents=True)
    sqlite3.connect(coffer.vault).execute("CREATE TABLE t(x)").connection.commit()
    coffer.vault.with_name("v.db.keys").write_text("{}")
    assert_one_error_line(coffer("status"), 4)


def test_a_truncated_vault_exits_4(initialised: Coffer) -> None:
    data = initialised.vault.read_bytes()
    initialised.vault.write_bytes(data[: len(data) // 2])
    assert_one_error_line(initialised("status"), 4)


def test_no_vault_exits_1_with_a_hint(coffer: Coffer) -> None:
    result = coffer("status")
    assert_one_error_line(result, 1)
    assert "coffer init" in result.err


def test_unknown_command_and_option_exit_2(initialised: Coffer) -> None:
    assert_one_error_line(initialised("frobnicate"), 2)
    assert_one_error_line(initialised("status", "--frobnicate"), 2)


def test_version() -> None:
    proc = subprocess.run([sys.executable, "-m", "vault", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("coffer ")


def test_help_lists_every_command() -> None:
    proc = subprocess.run([sys.executable, "-m", "vault", "--help"], capture_output=True, text=True)
    for command in ("init", "status", "verify", "passwd", "recover"):
        assert command in proc.stdout


def test_the_process_is_hardened() -> None:
    script = (
        "import os, resource\n"
        "from vault.hygiene import harden_process\n"
        "harden_process()\n"
        "assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)\n"
        "assert os.umask(0) == 0o077\n"
        "import ctypes\n"
        "assert ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) == 0  # PR_GET_DUMPABLE: not dumpable\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
