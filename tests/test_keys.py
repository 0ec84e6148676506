"""The key header: wrapping, binding, recovery keys."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from vault import keys
from vault.errors import VaultDamaged, WrongPassphrase

FAST = keys.KdfParams(time_cost=1, memory_kib=8192, parallelism=1)


def test_each_slot_unwraps_the_same_data_key() -> None:
    data_key = keys.new_data_key()
    header, recovery = keys.new_header(data_key, "passphrase one", FAST)
    assert keys.unwrap(header, "passphrase", "passphrase one") == data_key
    assert keys.unwrap(header, "recovery", keys.normalize_recovery_key(recovery)) == data_key
    with pytest.raises(WrongPassphrase):
        keys.unwrap(header, "passphrase", "passphrase two")


def test_a_slot_moved_to_another_vault_does_not_open() -> None:
    data_key = keys.new_data_key()
    header, _ = keys.new_header(data_key, "passphrase one", FAST)
    moved = replace(header, vault_id="another-vault")
    with pytest.raises(WrongPassphrase):
        keys.unwrap(moved, "passphrase", "passphrase one")


def test_a_header_whose_key_check_disagrees_is_damaged() -> None:
    data_key = keys.new_data_key()
    header, _ = keys.new_header(data_key, "passphrase one", FAST)
    with pytest.raises(VaultDamaged):
        keys.unwrap(replace(header, key_check="0" * 32), "passphrase", "passphrase one")


def test_recovery_keys_are_written_for_people() -> None:
    key = keys.new_recovery_key()
    groups = key.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert not set(key.replace("-", "")) & set("01ILOU")
    assert keys.normalize_recovery_key(key.lower().replace("-", " ")) == key.replace("-", "")


def test_header_round_trip_and_atomic_private_write(tmp_path: Path) -> None:
    header, _ = keys.new_header(keys.new_data_key(), "passphrase one", FAST)
    path = tmp_path / "v.db.keys"
    keys.save_header(path, header)
    assert keys.load_header(path) == header
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["v.db.keys"]


def test_weaker_parameters_are_upgraded_by_a_new_passphrase_slot() -> None:
    data_key = keys.new_data_key()
    header, _ = keys.new_header(data_key, "passphrase one", FAST)
    slot = header.slots_of("passphrase")[0]
    params = keys.slot_kdf_params(slot)
    assert params is not None and params.weaker_than(keys.DEFAULT_KDF)
    upgraded = keys.add_passphrase_slot(header, data_key, "passphrase two")
    assert keys.slot_kdf_params(upgraded.slots_of("passphrase")[0]) == keys.DEFAULT_KDF
    assert len(upgraded.slots_of("passphrase")) == 1
