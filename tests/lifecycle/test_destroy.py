"""`coffer destroy`: overwrites and removes the vault and its header, only after its name is typed."""

from __future__ import annotations

from tests.conftest import assert_one_error_line
from tests.lifecycle.helpers import LifeCoffer

NO_BACKEND = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def test_destroy_removes_the_vault_and_its_header(vault_made: LifeCoffer) -> None:
    vault_made.ok("status")
    vault_made.ok("destroy", "--confirm", "v", env=NO_BACKEND)
    assert list(vault_made.vault.parent.iterdir()) == []
    assert_one_error_line(vault_made("status"), 1)


def test_destroy_needs_the_right_name(vault_made: LifeCoffer) -> None:
    files = sorted(vault_made.vault.parent.iterdir())
    assert_one_error_line(vault_made("destroy", "--confirm", "v.db", env=NO_BACKEND), 2)
    assert_one_error_line(vault_made("destroy", env=NO_BACKEND), 2)
    assert sorted(vault_made.vault.parent.iterdir()) == files
    vault_made.ok("verify")


def test_destroy_without_a_vault_exits_1(life: LifeCoffer) -> None:
    assert_one_error_line(life("destroy", "--confirm", "v"), 1)
