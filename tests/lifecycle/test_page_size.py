"""The database's page size: 16 KiB for new vaults, recorded in the key header; older vaults keep
SQLCipher's default of 4096 bytes through every command that opens or copies the database."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from tests.conftest import PASSPHRASE, assert_one_error_line
from tests.lifecycle.helpers import LifeCoffer, header_of, open_with_passphrase
from tests.lifecycle.residue import pages_containing
from vault import keys
from vault.store import PAGE_SIZE, Store, read_salt

CHAT = "12/03/2024, 09:15 - Lena: page size marker 51c0\n12/03/2024, 09:16 - Jonas: ok\n"


def _older_vault(life: LifeCoffer) -> None:
    """A vault as coffer made it before page sizes were recorded: 4096-byte pages, no field."""
    data_key = keys.new_data_key()
    Store.create(life.vault, data_key, page_size=keys.LEGACY_DB_PAGE_SIZE).close()
    header, _ = keys.new_header(data_key, PASSPHRASE, keys.KdfParams(1, 8192, 1))
    keys.save_header(keys.header_path(life.vault), replace(header, db_salt=read_salt(life.vault)))
    written = json.loads(keys.header_path(life.vault).read_text())
    del written["db_page_size"]
    keys.header_path(life.vault).write_text(json.dumps(written))


def _page_size(path: Path) -> int:
    with open_with_passphrase(path) as vault:
        return vault.store.page_size


def test_a_new_vault_has_16k_pages_and_its_header_says_so(vault_made: LifeCoffer) -> None:
    assert PAGE_SIZE == 16384
    assert json.loads(keys.header_path(vault_made.vault).read_text())["db_page_size"] == PAGE_SIZE
    assert header_of(vault_made.vault).db_page_size == PAGE_SIZE == _page_size(vault_made.vault)
    assert vault_made.vault.stat().st_size % PAGE_SIZE == 0


def test_an_older_vault_keeps_4096_byte_pages_through_import_rekey_backup_and_restore(
    life: LifeCoffer,
) -> None:
    _older_vault(life)
    assert header_of(life.vault).db_page_size == 4096
    chat = life.cwd / "WhatsApp Chat with Lena.txt"
    chat.write_text(CHAT)
    life.ok("import", str(chat))
    life.ok("rekey")
    life.ok("verify")
    assert _page_size(life.vault) == 4096
    backup = life.cwd / "old.cofferbak"
    life.ok("backup", str(backup))
    restored = LifeCoffer(life.cwd / "restored" / "r.db", life.passphrase_file, life.cwd)
    restored.ok("restore", str(backup))
    restored.ok("verify")
    assert header_of(restored.vault).db_page_size == 4096 == _page_size(restored.vault)
    with open_with_passphrase(restored.vault) as vault:
        assert vault.store.scalar("SELECT count(*) FROM messages") == 2
        assert pages_containing(restored.vault, vault.data_key, b"page size marker 51c0") == 1


def _status_when_the_header_says(vault: LifeCoffer, page_size: int) -> str:
    path = keys.header_path(vault.vault)
    written = json.loads(path.read_text())
    written["db_page_size"] = page_size
    path.write_text(json.dumps(written))
    result = vault("status")
    assert_one_error_line(result, 4)
    return result.err


def test_a_header_with_an_impossible_page_size_is_one_error_line(vault_made: LifeCoffer) -> None:
    assert "page size" in _status_when_the_header_says(vault_made, 5000)


def test_a_header_with_the_wrong_page_size_does_not_open_the_vault(vault_made: LifeCoffer) -> None:
    assert "cannot be decrypted" in _status_when_the_header_says(vault_made, 4096)
