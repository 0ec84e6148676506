"""`coffer keyring remember|forget` against a real Secret Service (gnome-keyring on a private D-Bus)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import assert_one_error_line
from tests.lifecycle.helpers import LifeCoffer, header_of
from tests.lifecycle.secret_service import (
    lock_keyring,
    needs_secret_service,
    store_secret,
    stored_secret,
    unlock_keyring,
)
from vault import keys
from vault.errors import WrongPassphrase

pytestmark = [pytest.mark.keyring, needs_secret_service]


def _slot_types(coffer: LifeCoffer) -> list[str]:
    return [s.kind for s in header_of(coffer.vault).slots]


def test_remember_unlocks_without_passphrase_and_forget_makes_a_saved_secret_useless(
    vault_made: LifeCoffer,
) -> None:
    assert_one_error_line(vault_made("status", passphrase=False), 3)
    remembered = vault_made.ok("keyring", "remember")
    vault_id = header_of(vault_made.vault).vault_id
    saved = stored_secret(vault_id)
    assert saved is not None and saved not in remembered.out + remembered.err
    assert _slot_types(vault_made) == ["passphrase", "recovery", "keyring"]
    status = json.loads(vault_made.ok("status", "--json", passphrase=False).out)
    assert [s["type"] for s in status["slots"]][-1] == "keyring"

    vault_made.ok("keyring", "forget", passphrase=False)
    assert stored_secret(vault_id) is None
    assert "keyring" not in _slot_types(vault_made)
    assert_one_error_line(vault_made("status", passphrase=False), 3)
    with pytest.raises(WrongPassphrase):
        keys.unwrap(header_of(vault_made.vault), "keyring", saved)
    store_secret(vault_id, saved)  # the leaked copy put back: still opens nothing
    assert_one_error_line(vault_made("status", passphrase=False), 3)


def test_remember_twice_keeps_one_slot_for_this_machine(vault_made: LifeCoffer) -> None:
    vault_made.ok("keyring", "remember")
    first = stored_secret(header_of(vault_made.vault).vault_id)
    vault_made.ok("keyring", "remember")
    assert _slot_types(vault_made).count("keyring") == 1
    assert first is not None
    with pytest.raises(WrongPassphrase):
        keys.unwrap(header_of(vault_made.vault), "keyring", first)
    vault_made.ok("status", passphrase=False)


def test_passwd_revoke_devices_drops_every_keyring_slot(vault_made: LifeCoffer) -> None:
    vault_made.ok("keyring", "remember")
    vault_made.ok("passwd", "--revoke-devices", env={"COFFER_NEW_PASSPHRASE": "a whole new passphrase"})
    assert sorted(_slot_types(vault_made)) == ["passphrase", "recovery"]
    assert_one_error_line(vault_made("status", passphrase=False), 3)
    vault_made.ok("status", passphrase=False, env={"COFFER_PASSPHRASE": "a whole new passphrase"})


def test_a_locked_keyring_falls_back_to_the_passphrase(vault_made: LifeCoffer) -> None:
    vault_made.ok("keyring", "remember")
    lock_keyring()
    try:
        result = vault_made("status", passphrase=False, timeout=30)
        assert_one_error_line(result, 3)
        assert "passphrase" in result.err
        vault_made.ok("status")
        assert_one_error_line(vault_made("keyring", "remember"), 1)
    finally:
        unlock_keyring()
    vault_made.ok("status", passphrase=False)


def test_rekey_keeps_this_machines_keyring_slot(vault_made: LifeCoffer) -> None:
    vault_made.ok("keyring", "remember")
    before = header_of(vault_made.vault).key_check
    vault_made.ok("rekey")
    assert header_of(vault_made.vault).key_check != before
    assert _slot_types(vault_made) == ["passphrase", "recovery", "keyring"]
    vault_made.ok("verify", passphrase=False)


def test_destroy_also_removes_the_keyring_entry(vault_made: LifeCoffer) -> None:
    vault_made.ok("keyring", "remember")
    vault_id = header_of(vault_made.vault).vault_id
    assert stored_secret(vault_id) is not None
    vault_made.ok("destroy", "--confirm", "v", passphrase=False)
    assert stored_secret(vault_id) is None
